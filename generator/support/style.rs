//! Parameter values that are not plain scalars (objects, unions, free-form values, arrays
//! of them, and every cookie), written out as OpenAPI 3.0's `style` and `explode` say.
//!
//! Generated code writes scalars and arrays of scalars itself; any other value comes here
//! as JSON, so one set of rules covers every type a spec can give a parameter. A `null`
//! is no value: the parameter is left out, as if it were not set. Values nested deeper
//! than the style can spell (an object inside an array) are written as compact JSON. An
//! object's keys come in the order `serde_json` keeps them: sorted.

use percent_encoding::{AsciiSet, CONTROLS};
use serde_json::Value;

use crate::runtime::{Constraint, ConstraintViolation, InvalidRequest, PATH_SEGMENT, Query};

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

/// Where the pairs of query-like styles go: a URL's query ([`Query`]) or a form body
/// (`crate::form`), each encoding names and values its own way.
pub(crate) trait Pairs {
    /// Starts a pair named `name` (not yet encoded).
    fn start(&mut self, name: &str);
    /// Starts a pair whose name is percent-encoded already, the brackets a style adds
    /// (`deepObject`) written as they are.
    fn start_encoded(&mut self, name: &str);
    /// Appends a value to the pair being written; `reserved` keeps reserved characters
    /// (OpenAPI's `allowReserved`) where the sink can.
    fn append(&mut self, value: &str, reserved: bool);
    /// Appends the delimiter a style puts between items: `,`, `|` or a space.
    fn delimiter(&mut self, delimiter: char);
}

impl Pairs for Query {
    fn start(&mut self, name: &str) {
        Query::start(self, name);
    }

    fn start_encoded(&mut self, name: &str) {
        Query::start_encoded(self, name);
    }

    fn append(&mut self, value: &str, reserved: bool) {
        Query::append(self, value, reserved);
    }

    /// As OpenAPI's style examples spell them: a space as `%20`, the others as they are.
    fn delimiter(&mut self, delimiter: char) {
        match delimiter {
            ' ' => self.append_delimiter("%20"),
            other => self.append_delimiter(other.encode_utf8(&mut [0; 4])),
        }
    }
}

/// Appends the pairs of `value` for the parameter (or form field) `name`, in a query-like
/// style (`form`, `spaceDelimited`, `pipeDelimited`, `deepObject`); `reserved` keeps
/// reserved characters of values as they are (OpenAPI's `allowReserved`).
#[allow(
    dead_code,
    reason = "only specs with such query parameters or form fields use it"
)]
pub(crate) fn query(
    out: &mut impl Pairs,
    name: &str,
    value: &Value,
    style: Style,
    explode: bool,
    reserved: bool,
) {
    let delimiter = match style {
        Style::SpaceDelimited => ' ',
        Style::PipeDelimited => '|',
        _ => ',',
    };
    if style == Style::DeepObject && value.is_object() {
        deep(out, &encoded(name), value, reserved);
        return;
    }
    match parts(value) {
        Parts::Absent => {}
        Parts::Scalar(text) => push_joined(out, name, [text], delimiter, reserved),
        Parts::Items(items) if explode => {
            for item in items {
                push_joined(out, name, [item], delimiter, reserved);
            }
        }
        Parts::Items(items) => push_joined(out, name, items, delimiter, reserved),
        // An exploded form object is its own keys; the parameter's name disappears.
        Parts::Entries(pairs) if explode && style == Style::Form => {
            for (key, value) in pairs {
                push_joined(out, &key, [value], delimiter, reserved);
            }
        }
        Parts::Entries(pairs) => {
            let flat = pairs.into_iter().flat_map(|(k, v)| [k, v]);
            push_joined(out, name, flat, delimiter, reserved);
        }
    }
}

/// `name=` and the items, each encoded, joined by `delimiter`.
fn push_joined(
    out: &mut impl Pairs,
    name: &str,
    items: impl IntoIterator<Item = String>,
    delimiter: char,
    reserved: bool,
) {
    out.start(name);
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.delimiter(delimiter);
        }
        out.append(&item, reserved);
    }
}

fn encoded(name: &str) -> String {
    percent_encoding::utf8_percent_encode(name, PATH_SEGMENT).to_string()
}

/// `deepObject`: `prefix[key]=value`, nesting brackets for nested objects and repeating
/// the key for each item of an array. Names are encoded part by part, the brackets
/// written as they are.
fn deep(out: &mut impl Pairs, prefix: &str, value: &Value, reserved: bool) {
    match value {
        Value::Null => {}
        Value::Object(entries) => {
            for (key, value) in entries {
                deep(out, &format!("{prefix}[{}]", encoded(key)), value, reserved);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.start_encoded(prefix);
                out.append(&text(item), reserved);
            }
        }
        scalar => {
            out.start_encoded(prefix);
            out.append(&text(scalar), reserved);
        }
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
        // OpenAPI 3.0's table joins label items by `.` whether exploded or not.
        Style::Label => (".".to_owned(), "."),
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

    fn query_of(value: Value, style: Style, explode: bool) -> String {
        let mut out = Query::default();
        query(&mut out, "color", &value, style, explode, false);
        out.as_str().to_owned()
    }

    /// Every query row of OpenAPI 3.0's "Style Examples" table, for its values
    /// `color = "blue"`, `["blue", "black", "brown"]` and `{"R": 100, "G": 200, "B": 150}`
    /// (objects come in key order, as `serde_json` keeps them: `B`, `G`, `R`).
    #[test]
    fn query_styles_follow_the_openapi_examples() {
        let string = json!("blue");
        let array = json!(["blue", "black", "brown"]);
        let object = json!({"R": 100, "G": 200, "B": 150});
        let rows = [
            (Style::Form, false, &string, "color=blue"),
            (Style::Form, false, &array, "color=blue,black,brown"),
            (Style::Form, false, &object, "color=B,150,G,200,R,100"),
            (Style::Form, true, &string, "color=blue"),
            (
                Style::Form,
                true,
                &array,
                "color=blue&color=black&color=brown",
            ),
            (Style::Form, true, &object, "B=150&G=200&R=100"),
            (
                Style::SpaceDelimited,
                false,
                &array,
                "color=blue%20black%20brown",
            ),
            (
                Style::SpaceDelimited,
                false,
                &object,
                "color=B%20150%20G%20200%20R%20100",
            ),
            (
                Style::PipeDelimited,
                false,
                &array,
                "color=blue|black|brown",
            ),
            (
                Style::PipeDelimited,
                false,
                &object,
                "color=B|150|G|200|R|100",
            ),
            (
                Style::DeepObject,
                true,
                &object,
                "color[B]=150&color[G]=200&color[R]=100",
            ),
        ];
        for (style, explode, value, expected) in rows {
            assert_eq!(
                query_of(value.clone(), style, explode),
                expected,
                "{style:?}, explode {explode}, {value}"
            );
        }
    }

    #[test]
    fn query_values_are_encoded_and_delimiters_are_not() {
        assert_eq!(
            query_of(json!(["a,b", "c d", "e&f"]), Style::Form, false),
            "color=a%2Cb,c%20d,e%26f"
        );
        let mut out = Query::default();
        query(
            &mut out,
            "q",
            &json!("a/b:c?d&e=f#g"),
            Style::Form,
            true,
            true,
        );
        assert_eq!(out.as_str(), "q=a/b:c?d%26e%3Df%23g");
        let mut out = Query::default();
        query(&mut out, "q", &json!("a/b:c"), Style::Form, true, false);
        assert_eq!(out.as_str(), "q=a%2Fb%3Ac");
    }

    #[test]
    fn deep_objects_nest_and_nulls_are_left_out() {
        let filter =
            json!({"created": {"gte": "2024-01-01"}, "tags": ["a", "b"], "gone": null, "a b": 1});
        assert_eq!(
            query_of(filter, Style::DeepObject, true),
            "color[a%20b]=1&color[created][gte]=2024-01-01&color[tags]=a&color[tags]=b"
        );
        assert!(query_of(Value::Null, Style::Form, true).is_empty());
        // A union that holds a scalar is written as that scalar.
        assert_eq!(query_of(json!(5), Style::Form, true), "color=5");
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

    /// Every path row of OpenAPI 3.0's "Style Examples" table (`simple`, `label`,
    /// `matrix`, each exploded and not, for a string, an array and an object), objects in
    /// key order.
    #[test]
    fn path_styles_follow_the_openapi_examples() {
        let string = json!("blue");
        let array = json!(["blue", "black", "brown"]);
        let object = json!({"R": 100, "G": 200, "B": 150});
        let rows = [
            (Style::Simple, false, &string, "blue"),
            (Style::Simple, false, &array, "blue,black,brown"),
            (Style::Simple, false, &object, "B,150,G,200,R,100"),
            (Style::Simple, true, &string, "blue"),
            (Style::Simple, true, &array, "blue,black,brown"),
            (Style::Simple, true, &object, "B=150,G=200,R=100"),
            (Style::Label, false, &string, ".blue"),
            (Style::Label, false, &array, ".blue.black.brown"),
            (Style::Label, false, &object, ".B.150.G.200.R.100"),
            (Style::Label, true, &string, ".blue"),
            (Style::Label, true, &array, ".blue.black.brown"),
            (Style::Label, true, &object, ".B=150.G=200.R=100"),
            (Style::Matrix, false, &string, ";color=blue"),
            (Style::Matrix, false, &array, ";color=blue,black,brown"),
            (Style::Matrix, false, &object, ";color=B,150,G,200,R,100"),
            (Style::Matrix, true, &string, ";color=blue"),
            (
                Style::Matrix,
                true,
                &array,
                ";color=blue;color=black;color=brown",
            ),
            (Style::Matrix, true, &object, ";B=150;G=200;R=100"),
        ];
        for (style, explode, value, expected) in rows {
            assert_eq!(
                path("color", value, style, explode).unwrap(),
                expected,
                "{style:?}, explode {explode}, {value}"
            );
        }
    }

    #[test]
    fn path_values_are_encoded_and_empty_segments_refused() {
        assert_eq!(
            path("color", &json!("a/b"), Style::Simple, false).unwrap(),
            "a%2Fb"
        );
        assert_eq!(
            path("color", &json!(["a,b", "c"]), Style::Simple, false).unwrap(),
            "a%2Cb,c"
        );
        for refused in [json!(""), json!("."), json!(".."), Value::Null] {
            let error = path("color", &refused, Style::Simple, false).unwrap_err();
            assert_eq!(error.violation().constraint(), &Constraint::PathSegment);
        }
    }

    /// The `simple` rows of the table, as headers write them.
    #[test]
    fn header_styles_follow_the_openapi_examples() {
        let object = json!({"R": 100, "G": 200, "B": 150});
        let array = json!(["blue", "black", "brown"]);
        for explode in [false, true] {
            assert_eq!(header(&json!("blue"), explode).as_deref(), Some("blue"));
            assert_eq!(header(&array, explode).as_deref(), Some("blue,black,brown"));
        }
        assert_eq!(header(&object, false).as_deref(), Some("B,150,G,200,R,100"));
        assert_eq!(header(&object, true).as_deref(), Some("B=150,G=200,R=100"));
        assert_eq!(header(&Value::Null, false), None);
    }
}
