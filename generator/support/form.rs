//! `application/x-www-form-urlencoded` request bodies: a value's properties as form fields,
//! each written in the style the spec's `encoding` object gives it.
//!
//! The value is serialized to a JSON object first; its properties are written in the
//! order the generated code lists them (the schema's), then any others in key order. The
//! keys of an object written as fields (`deepObject`, exploded `form`) are in key order too.

use serde_json::Value;

use crate::runtime::Error;

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
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (name, style) in fields {
        if let Some(value) = object.remove(*name) {
            push(&mut pairs, name, &value, *style);
        }
    }
    // Sorted here, whether or not serde_json keeps insertion order.
    let mut rest: Vec<(&String, &Value)> = object.iter().collect();
    rest.sort_by_key(|(name, _)| *name);
    for (name, value) in rest {
        push(&mut pairs, name, value, Style::Default);
    }
    Ok(serialize(&pairs).into_bytes())
}

/// The fields one property becomes.
fn push(pairs: &mut Vec<(String, String)>, name: &str, value: &Value, style: Style) {
    let delimited = |delimiter: &str, items: Vec<String>| items.join(delimiter);
    match (value, style) {
        (Value::Null, _) => {}
        (_, Style::Json) => pairs.push((name.to_owned(), value.to_string())),
        (Value::Array(items), _) => {
            let texts = items.iter().filter(|v| !v.is_null()).map(text).collect();
            match style {
                Style::Form { explode: false } => {
                    pairs.push((name.to_owned(), delimited(",", texts)))
                }
                Style::SpaceDelimited => pairs.push((name.to_owned(), delimited(" ", texts))),
                Style::PipeDelimited => pairs.push((name.to_owned(), delimited("|", texts))),
                _ => pairs.extend(texts.into_iter().map(|t| (name.to_owned(), t))),
            }
        }
        (Value::Object(object), _) => {
            let mut entries: Vec<(&String, &Value)> =
                object.iter().filter(|(_, v)| !v.is_null()).collect();
            entries.sort_by_key(|(k, _)| *k);
            let entries = entries.into_iter();
            let flat = |delimiter: &str| {
                let parts: Vec<String> = entries
                    .clone()
                    .flat_map(|(k, v)| [k.clone(), text(v)])
                    .collect();
                parts.join(delimiter)
            };
            match style {
                Style::Default | Style::Json => pairs.push((name.to_owned(), value.to_string())),
                Style::Form { explode: true } => {
                    pairs.extend(entries.map(|(k, v)| (k.clone(), text(v))));
                }
                Style::Form { explode: false } => pairs.push((name.to_owned(), flat(","))),
                Style::SpaceDelimited => pairs.push((name.to_owned(), flat(" "))),
                Style::PipeDelimited => pairs.push((name.to_owned(), flat("|"))),
                Style::DeepObject => {
                    pairs.extend(entries.map(|(k, v)| (format!("{name}[{k}]"), text(v))));
                }
            }
        }
        (scalar, _) => pairs.push((name.to_owned(), text(scalar))),
    }
}

/// A value's text in a field: a string as it is, a number or boolean as JSON writes it,
/// an object or array (inside an array or object) as JSON text.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The pairs as `application/x-www-form-urlencoded` (the WHATWG URL standard's
/// serializer: `*-._` and alphanumerics as they are, space as `+`, the rest
/// percent-encoded as UTF-8).
pub(crate) fn serialize(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        escape(&mut out, name);
        out.push('=');
        escape(&mut out, value);
    }
    out
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
