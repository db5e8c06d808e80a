//! `application/x-www-form-urlencoded` request bodies: a value's properties as form fields,
//! each written in the style the spec's `encoding` object gives it.
//!
//! The value is serialized to a JSON object first; its properties are written in the
//! order the generated code lists them (the schema's), then any others in key order. The
//! keys of an object written as fields (`deepObject`, exploded `form`) are in key order too.
//! The styles are written by the writer query parameters use (`crate::style`), into a
//! sink that encodes as forms do.

use serde_json::Value;

use crate::runtime::Error;
use crate::style::{self, Pairs as _};

/// How one property is written (OpenAPI's `style` and `explode`, or JSON text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code, reason = "a spec's encodings use some of the styles")]
pub(crate) enum Style {
    /// No style in the spec: an array as one field per item, an object as JSON text.
    Default,
    /// `style: form`: exploded, an array as `a=1&a=2` and an object as `x=1&y=2`; not
    /// exploded, `a=1,2` and `o=x,1,y,2`.
    Form { explode: bool },
    /// `style: spaceDelimited`: `a=1 2`.
    SpaceDelimited,
    /// `style: pipeDelimited`: `a=1|2`.
    PipeDelimited,
    /// `style: deepObject`: `o[x]=1&o[y]=2`.
    DeepObject,
    /// JSON text, whatever the value.
    Json,
}

/// The form body of `value`: `fields` lists properties in the order to write them, each
/// with its style; properties not listed follow, in key order, in the default style.
/// A value that is not a JSON object is an [`Error::Encode`].
pub(crate) fn encode<T: serde::Serialize, E>(
    value: &T,
    fields: &[(&str, Style)],
) -> Result<Vec<u8>, Error<E>> {
    let value = serde_json::to_value(value).map_err(Error::Encode)?;
    let Value::Object(mut object) = value else {
        return Err(Error::Encode(
            <serde_json::Error as serde::ser::Error>::custom(format_args!(
                "a form body must be an object, not {value}"
            )),
        ));
    };
    let mut out = Form::default();
    for (name, style) in fields {
        if let Some(value) = object.remove(*name) {
            push(&mut out, name, &value, *style);
        }
    }
    // Sorted here, whether or not serde_json keeps insertion order.
    let mut rest: Vec<(&String, &Value)> = object.iter().collect();
    rest.sort_by_key(|(name, _)| *name);
    for (name, value) in rest {
        push(&mut out, name, value, Style::Default);
    }
    Ok(out.0.into_bytes())
}

/// The fields one property becomes: JSON text where the style says so (or, by default,
/// for an object), otherwise as the query styles write them (`crate::style`).
fn push(out: &mut Form, name: &str, value: &Value, style: Style) {
    let (style, explode) = match (value, style) {
        (Value::Null, _) => return,
        (Value::Object(_), Style::Default) | (_, Style::Json) => {
            out.start(name);
            out.append(&value.to_string(), false);
            return;
        }
        (_, Style::Default) => (style::Style::Form, true),
        (_, Style::Form { explode }) => (style::Style::Form, explode),
        (_, Style::SpaceDelimited) => (style::Style::SpaceDelimited, false),
        (_, Style::PipeDelimited) => (style::Style::PipeDelimited, false),
        (_, Style::DeepObject) => (style::Style::DeepObject, true),
    };
    style::query(out, name, value, style, explode, false);
}

/// A form body as it is written: `application/x-www-form-urlencoded` pairs (the WHATWG URL
/// standard's serializer: `*-._` and alphanumerics as they are, space as `+`, the rest
/// percent-encoded as UTF-8), names and values alike.
#[derive(Default)]
struct Form(String);

impl style::Pairs for Form {
    fn start(&mut self, name: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        escape(&mut self.0, name);
        self.0.push('=');
    }

    /// The name is decoded, then encoded as a form encodes it (brackets too).
    fn start_encoded(&mut self, name: &str) {
        let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
        self.start(&name);
    }

    fn append(&mut self, value: &str, _reserved: bool) {
        escape(&mut self.0, value);
    }

    fn delimiter(&mut self, delimiter: char) {
        escape(&mut self.0, delimiter.encode_utf8(&mut [0; 4]));
    }
}

fn escape(out: &mut String, text: &str) {
    for byte in text.bytes() {
        match byte {
            b'*' | b'-' | b'.' | b'_' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(value: Value, fields: &[(&str, Style)]) -> String {
        String::from_utf8(encode::<_, ()>(&value, fields).unwrap()).unwrap()
    }

    #[test]
    fn scalars_arrays_and_objects_take_their_styles() {
        let value = json!({
            "name": "a b&c",
            "tags": ["x", "y"],
            "flat": [1, 2],
            "spaced": [1, 2],
            "piped": [1, 2],
            "meta": {"k": "v"},
            "deep": {"r": 1, "g": 2},
            "exploded": {"r": 1},
            "none": null,
        });
        let fields = [
            ("name", Style::Default),
            ("tags", Style::Default),
            ("flat", Style::Form { explode: false }),
            ("spaced", Style::SpaceDelimited),
            ("piped", Style::PipeDelimited),
            ("meta", Style::Default),
            ("deep", Style::DeepObject),
            ("exploded", Style::Form { explode: true }),
            ("none", Style::Default),
        ];
        assert_eq!(
            form(value, &fields),
            "name=a+b%26c&tags=x&tags=y&flat=1%2C2&spaced=1+2&piped=1%7C2\
             &meta=%7B%22k%22%3A%22v%22%7D&deep%5Bg%5D=2&deep%5Br%5D=1&r=1"
        );
    }

    #[test]
    fn unlisted_properties_follow_in_key_order_and_json_style_writes_json() {
        let value = json!({"b": 1, "a": true, "j": "text"});
        assert_eq!(
            form(value, &[("j", Style::Json)]),
            "j=%22text%22&a=true&b=1"
        );
    }

    #[test]
    fn a_value_that_is_not_an_object_is_an_encoding_error() {
        let error = encode::<_, ()>(&json!([1]), &[]).unwrap_err();
        assert!(matches!(error, Error::Encode(_)), "{error:?}");
    }
}
