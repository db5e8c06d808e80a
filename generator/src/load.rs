//! Loading: a spec's text to a parsed document, and pointers back to places in the text.
//!
//! Specs come as JSON or YAML. Both are read into one `serde_json::Value` first, so that
//! spellings that differ between renderings (the Atlas YAML writes `1.1991456e+09` where
//! the JSON has `1199145600`) are normalised once, before `openapiv3` sees them. Errors
//! found later name a JSON pointer; [`locate`] finds that pointer's line and column in the
//! text so the message can show the offending lines.

use crate::error::SpecError;
use serde_json::{Map, Value};
use std::path::Path;

/// The keys of an `integer` schema whose values the YAML rendering may spell as floats.
const INTEGER_KEYS: [&str; 5] = ["minimum", "maximum", "default", "example", "multipleOf"];

/// Parses and checks a spec: JSON or YAML by extension, then the OpenAPI 3.0 structure.
pub fn load(text: &str, file_name: &str) -> Result<openapiv3::OpenAPI, SpecError> {
    let value = parse_value(text, file_name)?;
    match value.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") => {}
        Some(version) => {
            let error = SpecError::at(
                "/openapi",
                format!("OpenAPI {version} is not supported: only 3.0.x is"),
            );
            return Err(locate_error(error, text, file_name));
        }
        None => {
            let error = SpecError::at(
                "",
                "not an OpenAPI document: there is no `openapi` version string",
            );
            return Err(locate_error(error, text, file_name));
        }
    }
    serde_json::from_value(value).map_err(|e| {
        let error = SpecError::at("", format!("not a valid OpenAPI 3.0 document: {e}"));
        locate_error(error, text, file_name)
    })
}

/// Parses a spec as JSON or YAML, chosen by the extension of `file_name`, and normalises
/// integers spelled as floats (see [`normalise_integers`]).
pub fn parse_value(text: &str, file_name: &str) -> Result<Value, SpecError> {
    let extension = Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let located = |message: String, line: usize, column: usize| {
        let mut error = SpecError::at("", message);
        error.file = file_name.to_owned();
        error.location = Some((line, column));
        error.excerpt = Some(excerpt(text, line));
        error
    };
    let mut spec: Value = match extension.as_deref() {
        Some("json") => serde_json::from_str(text)
            .map_err(|e| located(format!("not valid json: {e}"), e.line(), e.column()))?,
        Some("yaml" | "yml") => serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((1, 1));
            located(format!("not valid yaml: {e}"), line, column)
        })?,
        _ => {
            let mut error = SpecError::at(
                "",
                "cannot tell the format: expected a .json, .yaml or .yml file",
            );
            error.file = file_name.to_owned();
            return Err(error);
        }
    };
    if !spec.is_object() {
        let mut error = SpecError::at(
            "",
            "not an OpenAPI document (the top level is not an object)",
        );
        error.file = file_name.to_owned();
        return Err(locate_error(error, text, file_name));
    }
    normalise_integers(&mut spec);
    Ok(spec)
}

/// Turns floats with a zero fraction into integers where a schema of `type: integer` holds
/// them: `minimum`, `maximum`, `default`, `example`, `multipleOf` and the elements of `enum`.
///
/// The YAML rendering of the Atlas spec writes `minimum: 1.1991456e+09` where the JSON has
/// `1199145600`; left alone, the fragment would differ from one cut from the JSON and a
/// generator would see a float bound on an integer. Values outside the `i64` range stay
/// floats because no integer can hold them exactly.
pub fn normalise_integers(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if is_integer_schema(map) {
                for key in INTEGER_KEYS {
                    if let Some(v) = map.get_mut(key) {
                        integer_from_float(v);
                    }
                }
                if let Some(Value::Array(items)) = map.get_mut("enum") {
                    items.iter_mut().for_each(integer_from_float);
                }
            }
            map.values_mut().for_each(normalise_integers);
        }
        Value::Array(items) => items.iter_mut().for_each(normalise_integers),
        _ => {}
    }
}

/// Whether `type` says `integer`, either alone or (as OpenAPI 3.1 allows) in a list of types.
fn is_integer_schema(map: &Map<String, Value>) -> bool {
    match map.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(types)) => types.iter().any(|t| t == "integer"),
        _ => false,
    }
}

fn integer_from_float(value: &mut Value) {
    let exact = match value {
        Value::Number(n) if n.is_f64() => n.as_f64().and_then(exact_i64),
        _ => None,
    };
    if let Some(i) = exact {
        *value = Value::from(i);
    }
}

fn exact_i64(f: f64) -> Option<i64> {
    // -2^63 is exactly `i64::MIN`, while 2^63 is one past `i64::MAX`; both are exact in f64,
    // so these bounds admit precisely the floats that convert without saturating.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (f.is_finite() && f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f)).then_some(f as i64)
}

/// Adds the file name, line, column and excerpt to an error that knows its pointer.
pub fn locate_error(mut error: SpecError, text: &str, file_name: &str) -> SpecError {
    error.file = file_name.to_owned();
    if let Some((line, column)) = locate(text, &error.pointer) {
        error.location = Some((line, column));
        error.excerpt = Some(excerpt(text, line));
    }
    error
}

/// The lines around `line` (1-based), numbered, with the line itself marked.
fn excerpt(text: &str, line: usize) -> String {
    let first = line.saturating_sub(2).max(1);
    text.lines()
        .enumerate()
        .skip(first - 1)
        .take(line + 2 - first + 1)
        .map(|(i, content)| {
            let marker = if i + 1 == line { ">" } else { " " };
            format!("{marker}{:>6} | {content}", i + 1)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The 1-based line and column where the node at `pointer` starts, in JSON or block-style
/// YAML text. `None` when it cannot be found (flow-style YAML, anchors).
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let segments: Vec<String> = match pointer {
        "" => return Some((1, 1)),
        p => p
            .strip_prefix('/')?
            .split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect(),
    };
    if text.trim_start().starts_with('{') {
        json::locate(text, &segments)
    } else {
        yaml::locate(text, &segments)
    }
}

/// Locating in JSON: a small scanner that walks values without building them.
mod json {
    pub fn locate(text: &str, segments: &[String]) -> Option<(usize, usize)> {
        let bytes = text.as_bytes();
        let mut at = skip_ws(bytes, 0);
        for segment in segments {
            at = match bytes.get(at)? {
                b'{' => member(bytes, at, segment)?,
                b'[' => element(bytes, at, segment.parse().ok()?)?,
                _ => return None,
            };
        }
        Some(line_column(text, at))
    }

    fn member(bytes: &[u8], open: usize, key: &str) -> Option<usize> {
        let mut at = skip_ws(bytes, open + 1);
        while bytes.get(at)? != &b'}' {
            let key_start = at;
            let key_end = skip_value(bytes, at)?;
            let name: String = serde_json::from_slice(&bytes[key_start..key_end]).ok()?;
            at = skip_ws(bytes, key_end);
            if bytes.get(at)? != &b':' {
                return None;
            }
            at = skip_ws(bytes, at + 1);
            if name == key {
                return Some(at);
            }
            at = skip_ws(bytes, skip_value(bytes, at)?);
            if bytes.get(at) == Some(&b',') {
                at = skip_ws(bytes, at + 1);
            }
        }
        None
    }

    fn element(bytes: &[u8], open: usize, index: usize) -> Option<usize> {
        let mut at = skip_ws(bytes, open + 1);
        let mut current = 0;
        while bytes.get(at)? != &b']' {
            if current == index {
                return Some(at);
            }
            at = skip_ws(bytes, skip_value(bytes, at)?);
            if bytes.get(at) == Some(&b',') {
                at = skip_ws(bytes, at + 1);
            }
            current += 1;
        }
        None
    }

    /// The index just past the value starting at `at`.
    fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
        match bytes.get(at)? {
            b'"' => {
                let mut i = at + 1;
                loop {
                    match bytes.get(i)? {
                        b'\\' => i += 2,
                        b'"' => return Some(i + 1),
                        _ => i += 1,
                    }
                }
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                let mut i = at;
                loop {
                    match bytes.get(i)? {
                        b'"' => {
                            i = skip_value(bytes, i)?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                return Some(i + 1);
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            _ => {
                let end = bytes[at..]
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace());
                Some(at + end.unwrap_or(bytes.len() - at))
            }
        }
    }

    fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        at
    }

    pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before
            .rfind('\n')
            .map_or(before.len(), |nl| before.len() - nl - 1)
            + 1;
        (line, column)
    }
}

/// Locating in block-style YAML by indentation: a key is a line `key:` at its mapping's
/// indentation, and its value is the lines indented deeper (or, as serde_yaml writes
/// sequences, `- ` lines at the key's own indentation).
mod yaml {
    #[derive(Clone, Copy)]
    struct Line<'a> {
        number: usize,
        indent: usize,
        content: &'a str,
    }

    pub fn locate(text: &str, segments: &[String]) -> Option<(usize, usize)> {
        let mut node: Vec<Line<'_>> = text
            .lines()
            .enumerate()
            .filter_map(|(i, raw)| {
                let content = raw.trim_start();
                let skip = content.is_empty() || content.starts_with('#') || content == "---";
                (!skip).then(|| Line {
                    number: i + 1,
                    indent: raw.len() - content.len(),
                    content,
                })
            })
            .collect();
        let mut position = (node.first()?.number, node.first()?.indent + 1);
        for segment in segments {
            let indent = node.first()?.indent;
            let is_sequence = node[0].content.starts_with('-');
            let (found, rest) = if is_sequence {
                let index: usize = segment.parse().ok()?;
                let at = node
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| l.indent == indent && l.content.starts_with('-'))
                    .nth(index)?
                    .0;
                let item = node[at];
                let first = item.content[1..].trim_start();
                let first_indent = indent + (item.content.len() - first.len());
                position = (item.number, first_indent + 1);
                let mut lines = Vec::new();
                if !first.is_empty() {
                    lines.push(Line {
                        number: item.number,
                        indent: first_indent,
                        content: first,
                    });
                }
                (lines, &node[at + 1..])
            } else {
                let at = node.iter().position(|l| {
                    l.indent == indent && key_of(l.content).as_deref() == Some(segment)
                })?;
                position = (node[at].number, indent + 1);
                (Vec::new(), &node[at + 1..])
            };
            let mut lines = found;
            for line in rest {
                let deeper = line.indent > indent;
                let sequence_under_key =
                    !is_sequence && line.indent == indent && line.content.starts_with('-');
                if !(deeper || sequence_under_key) {
                    break;
                }
                lines.push(*line);
            }
            node = lines;
        }
        Some(position)
    }

    fn key_of(content: &str) -> Option<String> {
        if let Some(rest) = content.strip_prefix('\'') {
            let end = rest.find("':")?;
            return Some(rest[..end].replace("''", "'"));
        }
        if let Some(rest) = content.strip_prefix('"') {
            let end = rest.find("\":")?;
            return serde_json::from_str(&format!("\"{}\"", &rest[..end])).ok();
        }
        let (key, _) = content.split_once(':')?;
        Some(key.trim_end().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integer_schemas_lose_their_float_spellings() {
        let mut value = json!({
            "int": {"type": "integer", "minimum": 1.1991456e9, "maximum": 1e19, "default": 3.0,
                    "example": 2.5, "multipleOf": 1.0, "enum": [1.0, 2.0, "x"], "format": "int64"},
            "number": {"type": "number", "minimum": 1.0},
            "nullable": {"type": ["integer", "null"], "default": -4.0},
            "nested": [{"items": {"type": "integer", "minimum": -0.0}}],
        });
        normalise_integers(&mut value);
        assert_eq!(
            value,
            json!({
                "int": {"type": "integer", "minimum": 1_199_145_600, "maximum": 1e19, "default": 3,
                        "example": 2.5, "multipleOf": 1, "enum": [1, 2, "x"], "format": "int64"},
                "number": {"type": "number", "minimum": 1.0},
                "nullable": {"type": ["integer", "null"], "default": -4},
                "nested": [{"items": {"type": "integer", "minimum": 0}}],
            })
        );
        assert!(value["int"]["default"].is_i64());
        assert!(
            value["int"]["maximum"].is_f64(),
            "beyond i64 it stays a float"
        );
        assert!(
            value["number"]["minimum"].is_f64(),
            "number schemas are left alone"
        );
        assert_eq!(exact_i64(-9_223_372_036_854_775_808.0), Some(i64::MIN));
        assert_eq!(exact_i64(9_223_372_036_854_775_808.0), None);
        assert_eq!(exact_i64(f64::NAN), None);
    }

    #[test]
    fn parse_spec_picks_the_format_by_extension() {
        let yaml = "openapi: 3.0.1\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: OK\n";
        let spec = parse_value(yaml, "dir/spec.YML").unwrap();
        assert_eq!(
            spec["paths"]["/a"]["get"]["responses"]["200"]["description"],
            "OK"
        );
        assert_eq!(spec["openapi"], "3.0.1");
        assert!(parse_value("{}", "spec.json").unwrap().is_object());
        assert!(
            parse_value("{}", "spec.txt")
                .unwrap_err()
                .to_string()
                .contains("spec.txt")
        );
        assert!(parse_value("[1]", "spec.json").is_err());
        assert!(
            parse_value("{", "spec.json")
                .unwrap_err()
                .to_string()
                .contains("not valid json")
        );
        assert!(
            parse_value("a: [", "spec.yaml")
                .unwrap_err()
                .to_string()
                .contains("not valid yaml")
        );
    }
}
