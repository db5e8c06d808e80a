//! Parameter values that are not plain scalars (objects, unions, free-form values, arrays
//! of them, and every cookie), written out as OpenAPI 3.0's `style` and `explode` say.
//!
//! Generated code writes scalars and arrays of scalars itself; any other value comes here
//! as JSON, so one set of rules covers every type a spec can give a parameter. A `null`
//! is no value: the parameter is left out, as if it were not set. Values nested deeper
//! than the style can spell (an object inside an array) are written as compact JSON. An
//! object's keys come in the order `serde_json` keeps them: sorted.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, CONTROLS};
use serde_json::Value;

use crate::runtime::{Constraint, ConstraintViolation, InvalidRequest, PATH_SEGMENT};

/// The `style` of a parameter (OpenAPI 3.0, "Style Values").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code, reason = "each spec uses the styles of its own parameters")]
pub(crate) enum Style {
    /// Path and header values: `a,b` and `k,v` (`k=v` exploded).
    Simple,
    /// Path values after a dot: `.a,b` (`.a.b` exploded).
    Label,
    /// Path values as `;name=a,b` (`;name=a;name=b` exploded).
    Matrix,
    /// Query and cookie values: `name=a,b` (`name=a&name=b` exploded, objects as their
    /// own keys `k=v`).
    Form,
    /// Query arrays and objects joined by spaces.
    SpaceDelimited,
    /// Query arrays and objects joined by `|`.
    PipeDelimited,
    /// Query objects as `name[k]=v`, nested objects as `name[k][j]=v`.
    DeepObject,
}

/// A value taken apart as styles see it.
enum Parts {
    /// `null`: nothing to write.
    Absent,
    Scalar(String),
    Items(Vec<String>),
    Entries(Vec<(String, String)>),
}

fn parts(value: &Value) -> Parts {
    match value {
        Value::Null => Parts::Absent,
        Value::Array(items) => Parts::Items(items.iter().map(text).collect()),
        Value::Object(entries) => Parts::Entries(
            entries
                .iter()
                .map(|(key, value)| (key.clone(), text(value)))
                .collect(),
        ),
        scalar => Parts::Scalar(text(scalar)),
    }
}

/// A value as text: a string as it is, other scalars as JSON spells them, and containers
/// (which no style spells inside another) as compact JSON.
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `k1,v1,k2,v2`, or `k1=v1,k2=v2` exploded, with `separator` between entries.
fn entries(entries: &[(String, String)], explode: bool, separator: &str) -> String {
    let pairs: Vec<String> = entries
        .iter()
        .map(|(key, value)| {
            if explode {
                format!("{key}={value}")
            } else {
                format!("{key}{separator}{value}")
            }
        })
        .collect();
    pairs.join(separator)
}

/// Appends the query pairs of `value` for the parameter `name`.
#[allow(dead_code, reason = "only specs with such query parameters use it")]
pub(crate) fn query(
    out: &mut Vec<(Cow<'static, str>, String)>,
    name: &'static str,
    value: &Value,
    style: Style,
    explode: bool,
) {
    let separator = match style {
        Style::SpaceDelimited => " ",
        Style::PipeDelimited => "|",
        _ => ",",
    };
    if style == Style::DeepObject && value.is_object() {
        deep(out, name.to_owned(), value);
        return;
    }
    match parts(value) {
        Parts::Absent => {}
        Parts::Scalar(text) => out.push((name.into(), text)),
        Parts::Items(items) if explode => {
            out.extend(items.into_iter().map(|item| (name.into(), item)));
        }
        Parts::Items(items) => out.push((name.into(), items.join(separator))),
        // An exploded form object is its own keys; the parameter's name disappears.
        Parts::Entries(pairs) if explode && style == Style::Form => {
            out.extend(pairs.into_iter().map(|(key, value)| (key.into(), value)));
        }
        Parts::Entries(pairs) => {
            let flat: Vec<String> = pairs.into_iter().flat_map(|(k, v)| [k, v]).collect();
            out.push((name.into(), flat.join(separator)));
        }
    }
}

/// `deepObject`: `prefix[key]=value`, nesting brackets for nested objects and repeating
/// the key for each item of an array.
fn deep(out: &mut Vec<(Cow<'static, str>, String)>, prefix: String, value: &Value) {
    match value {
        Value::Null => {}
        Value::Object(entries) => {
            for (key, value) in entries {
                deep(out, format!("{prefix}[{key}]"), value);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push((prefix.clone().into(), text(item)));
            }
        }
        scalar => out.push((prefix.into(), text(scalar))),
    }
}

/// The header value of `value` (`simple` style), or `None` for no header.
#[allow(dead_code, reason = "only specs with such header parameters use it")]
pub(crate) fn header(value: &Value, explode: bool) -> Option<String> {
    match parts(value) {
        Parts::Absent => None,
        Parts::Scalar(text) => Some(text),
        Parts::Items(items) => Some(items.join(",")),
        Parts::Entries(pairs) => Some(entries(&pairs, explode, ",")),
    }
}

/// Characters a cookie value cannot hold as they are (RFC 6265 `cookie-octet` leaves out
/// controls, space, `"`, `,`, `;` and `\`), and `%`, so that encoded text stays readable.
const COOKIE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

fn cookie_text(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, COOKIE).to_string()
}

/// The `name=value` pairs of `value` for a `Cookie` header (`form` style), joined by `; `,
/// or `None` for no cookie. Values are percent-encoded where a cookie cannot hold them, so
/// a value never ends its cookie or starts another.
#[allow(dead_code, reason = "only specs with cookie parameters use it")]
pub(crate) fn cookie(name: &str, value: &Value, explode: bool) -> Option<String> {
    let name = cookie_text(name);
    let pairs: Vec<String> = match parts(value) {
        Parts::Absent => return None,
        Parts::Scalar(text) => vec![format!("{name}={}", cookie_text(&text))],
        Parts::Items(items) if explode => items
            .iter()
            .map(|item| format!("{name}={}", cookie_text(item)))
            .collect(),
        Parts::Items(items) => {
            let items: Vec<String> = items.iter().map(|item| cookie_text(item)).collect();
            vec![format!("{name}={}", items.join(","))]
        }
        Parts::Entries(pairs) if explode => pairs
            .iter()
            .map(|(key, value)| format!("{}={}", cookie_text(key), cookie_text(value)))
            .collect(),
        Parts::Entries(pairs) => {
            let flat: Vec<String> = pairs
                .iter()
                .flat_map(|(key, value)| [cookie_text(key), cookie_text(value)])
                .collect();
            vec![format!("{name}={}", flat.join(","))]
        }
    };
    Some(pairs.join("; "))
}

fn path_text(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, PATH_SEGMENT).to_string()
}

/// The path segment for `value` (`simple`, `label` or `matrix` style), every name and
/// value percent-encoded and the style's delimiters as they are. A segment that would not
/// stay one (empty, `.` or `..`) is refused, as for scalar path parameters.
#[allow(dead_code, reason = "only specs with such path parameters use it")]
pub(crate) fn path(
    name: &'static str,
    value: &Value,
    style: Style,
    explode: bool,
) -> Result<String, InvalidRequest> {
    let encoded_name = path_text(name);
    let (prefix, separator) = match style {
        Style::Label => (".".to_owned(), if explode { "." } else { "," }),
        Style::Matrix => (format!(";{encoded_name}="), ","),
        _ => (String::new(), ","),
    };
    let segment = match parts(value) {
        Parts::Absent => String::new(),
        Parts::Scalar(text) => format!("{prefix}{}", path_text(&text)),
        Parts::Items(items) if style == Style::Matrix && explode => items
            .iter()
            .map(|item| format!("{prefix}{}", path_text(item)))
            .collect(),
        Parts::Items(items) => {
            let items: Vec<String> = items.iter().map(|item| path_text(item)).collect();
            format!("{prefix}{}", items.join(separator))
        }
        Parts::Entries(pairs) => {
            let pairs: Vec<(String, String)> = pairs
                .iter()
                .map(|(key, value)| (path_text(key), path_text(value)))
                .collect();
            match (style, explode) {
                (Style::Matrix, true) => pairs
                    .iter()
                    .map(|(key, value)| format!(";{key}={value}"))
                    .collect(),
                _ => format!("{prefix}{}", entries(&pairs, explode, separator)),
            }
        }
    };
    if matches!(segment.as_str(), "" | "." | "..") {
        return Err(InvalidRequest::new(
            name,
            ConstraintViolation::new(value, Constraint::PathSegment),
        ));
    }
    Ok(segment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query_of(value: Value, style: Style, explode: bool) -> Vec<(String, String)> {
        let mut out = Vec::new();
        query(&mut out, "p", &value, style, explode);
        out.into_iter().map(|(k, v)| (k.into_owned(), v)).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn query_styles_follow_the_openapi_examples() {
        let object = json!({"B": 150, "G": 200, "R": 100});
        let array = json!(["blue", "black", "brown"]);
        assert_eq!(
            query_of(array.clone(), Style::Form, true),
            pairs(&[("p", "blue"), ("p", "black"), ("p", "brown")])
        );
        assert_eq!(
            query_of(array.clone(), Style::Form, false),
            pairs(&[("p", "blue,black,brown")])
        );
        assert_eq!(
            query_of(array.clone(), Style::SpaceDelimited, false),
            pairs(&[("p", "blue black brown")])
        );
        assert_eq!(
            query_of(array, Style::PipeDelimited, false),
            pairs(&[("p", "blue|black|brown")])
        );
        assert_eq!(
            query_of(object.clone(), Style::Form, true),
            pairs(&[("B", "150"), ("G", "200"), ("R", "100")])
        );
        assert_eq!(
            query_of(object.clone(), Style::Form, false),
            pairs(&[("p", "B,150,G,200,R,100")])
        );
        assert_eq!(
            query_of(object, Style::DeepObject, true),
            pairs(&[("p[B]", "150"), ("p[G]", "200"), ("p[R]", "100")])
        );
    }

    #[test]
    fn deep_objects_nest_and_nulls_are_left_out() {
        let filter = json!({"created": {"gte": "2024-01-01"}, "tags": ["a", "b"], "gone": null});
        assert_eq!(
            query_of(filter, Style::DeepObject, true),
            pairs(&[
                ("p[created][gte]", "2024-01-01"),
                ("p[tags]", "a"),
                ("p[tags]", "b"),
            ])
        );
        assert!(query_of(Value::Null, Style::Form, true).is_empty());
        // A union that holds a scalar is written as that scalar.
        assert_eq!(query_of(json!(5), Style::Form, true), pairs(&[("p", "5")]));
    }

    #[test]
    fn headers_and_cookies() {
        let object = json!({"G": 200, "R": 100});
        assert_eq!(header(&json!([1, 2]), false).as_deref(), Some("1,2"));
        assert_eq!(header(&object, false).as_deref(), Some("G,200,R,100"));
        assert_eq!(header(&object, true).as_deref(), Some("G=200,R=100"));
        assert_eq!(header(&Value::Null, false), None);
        assert_eq!(
            cookie("id", &json!([3, 4, 5]), false).as_deref(),
            Some("id=3,4,5")
        );
        assert_eq!(
            cookie("id", &json!([3, 4]), true).as_deref(),
            Some("id=3; id=4")
        );
        // A value cannot end its cookie or smuggle in another.
        assert_eq!(
            cookie("session", &json!("a; admin=1"), true).as_deref(),
            Some("session=a%3B%20admin=1")
        );
    }

    #[test]
    fn path_styles_follow_the_openapi_examples() {
        let array = json!(["blue", "black"]);
        let object = json!({"G": 200, "R": 100});
        let path_of = |value: &Value, style, explode| path("color", value, style, explode).unwrap();
        assert_eq!(path_of(&array, Style::Simple, false), "blue,black");
        assert_eq!(path_of(&object, Style::Simple, true), "G=200,R=100");
        assert_eq!(path_of(&array, Style::Label, false), ".blue,black");
        assert_eq!(path_of(&array, Style::Label, true), ".blue.black");
        assert_eq!(path_of(&array, Style::Matrix, false), ";color=blue,black");
        assert_eq!(
            path_of(&array, Style::Matrix, true),
            ";color=blue;color=black"
        );
        assert_eq!(path_of(&object, Style::Matrix, true), ";G=200;R=100");
        assert_eq!(path_of(&json!("a/b"), Style::Simple, false), "a%2Fb");
        for refused in [json!(""), json!("."), json!(".."), Value::Null] {
            let error = path("color", &refused, Style::Simple, false).unwrap_err();
            assert_eq!(error.violation().constraint(), &Constraint::PathSegment);
        }
    }
}
