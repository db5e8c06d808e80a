//! Common spec defects, repaired before the document is read, each with a warning.
//!
//! Real specs publish schemas that OpenAPI 3.0 does not allow but whose intent is clear.
//! Read as they are, `openapiv3` refuses some (a boolean `required`) and reads others as a
//! schema of no type at all (a `string` with a `minimum`), which would make their values
//! `serde_json::Value` without a word. Each is repaired in the document's JSON value,
//! before `openapiv3` sees it, and reported with its pointer and the repair:
//!
//! - `required: true` on a property's schema (Swagger 2's spelling for parameters): the
//!   property is required by its object; on any other schema, and `required: false`, it is
//!   dropped.
//! - `type: [T, "null"]` (OpenAPI 3.1's spelling): `type: T` and `nullable: true`.
//! - `exclusiveMinimum: 5` and `exclusiveMaximum` as numbers (3.1's spelling): the bound,
//!   exclusive.
//! - Keywords that do not apply to the schema's type (`minimum` on a `string`, `format` on
//!   an `object`): dropped, since no value of that type is checked by them.
//! - Bounds of an `integer` that no 64-bit integer reaches (`maximum: 9223372036854775808`,
//!   written by generators from unsigned types) are dropped; fractional bounds are rounded
//!   inward; a fractional `multipleOf` is dropped.
//! - Enum values of a `string` schema that are not strings (`enum: [1, 2]`) are read as
//!   their text.
//! - A `$ref` to a component schema the document does not have: a schema of any value
//!   (`{}`), so the rest of the spec generates.
//! - A security requirement that names a scheme `components/securitySchemes` does not
//!   declare: the requirement is ignored, since the client cannot send what it does not
//!   know (an operation left with no requirement is sent without credentials).

use serde_json::{Map, Value};

use crate::error::{join, pointer};
use crate::ir::{Warning, WarningKind};
use crate::load::grammar::Kind;

/// The keywords that each type of schema takes, beside those every schema takes.
const KEYWORDS: [(&str, &[&str]); 6] = [
    (
        "string",
        &["pattern", "enum", "format", "minLength", "maxLength"],
    ),
    ("number", NUMERIC),
    ("integer", NUMERIC),
    ("boolean", &["enum"]),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
    ),
    ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
];

const NUMERIC: &[&str] = &[
    "multipleOf",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "enum",
    "format",
];

const COMPOSITION: [&str; 4] = ["allOf", "oneOf", "anyOf", "not"];

/// Repairs the document in place and says what it did.
pub fn repair(document: &mut Value) -> Vec<Warning> {
    let declared = |section: &str| -> Vec<String> {
        match document.pointer(&pointer(["components", section])) {
            Some(Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    };
    let components = declared("schemas");
    let schemes = declared("securitySchemes");
    let mut warnings = Vec::new();
    walk(
        Kind::Document,
        document,
        &mut String::new(),
        &components,
        &mut warnings,
    );
    repair_security(document, &schemes, &mut warnings);
    warnings
}

/// Repairs every schema under `node` (at pointer `at`), parents before their children.
fn walk(
    kind: Kind,
    node: &mut Value,
    at: &mut String,
    components: &[String],
    out: &mut Vec<Warning>,
) {
    if kind == Kind::Schema {
        if repair_missing_reference(node, at, components, out) {
            return;
        }
        if let Value::Object(schema) = node {
            repair_schema(schema, at, out);
        }
    }
    let children: Vec<(Kind, String)> = kind
        .children(node)
        .into_iter()
        .map(|(kind, relative, _)| (kind, relative))
        .collect();
    for (child_kind, relative) in children {
        let len = at.len();
        at.push_str(&relative);
        if let Some(child) = node.pointer_mut(&relative) {
            walk(child_kind, child, at, components, out);
        }
        at.truncate(len);
    }
}

/// A schema that is a `$ref` to a component schema the document lacks becomes `{}`;
/// whether it did.
fn repair_missing_reference(
    node: &mut Value,
    at: &str,
    components: &[String],
    out: &mut Vec<Warning>,
) -> bool {
    let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
        return false;
    };
    let Some(name) = reference.strip_prefix("#/components/schemas/") else {
        return false;
    };
    let name = name.replace("~1", "/").replace("~0", "~");
    if components.contains(&name) {
        return false;
    }
    let message = format!("`$ref` names `{reference}`, but the document has no schema `{name}`");
    *node = Value::Object(Map::new());
    warn(
        out,
        join(at, "$ref"),
        message,
        "read as `{}`: its values are `serde_json::Value`",
    );
    true
}

/// Requirements that name an undeclared security scheme, in the document's `security` and
/// each operation's, are ignored.
fn repair_security(document: &mut Value, schemes: &[String], out: &mut Vec<Warning>) {
    let mut places = vec!["/security".to_owned()];
    if let Some(Value::Object(paths)) = document.get("paths") {
        for (path, item) in paths {
            let Value::Object(item) = item else { continue };
            for (method, operation) in item {
                if operation.get("security").is_some() {
                    places.push(pointer(["paths", path, method, "security"]));
                }
            }
        }
    }
    for at in places {
        let Some(Value::Array(requirements)) = document.pointer_mut(&at) else {
            continue;
        };
        let before = requirements.len();
        let mut index = 0;
        requirements.retain(|requirement| {
            let here = join(&at, &index.to_string());
            index += 1;
            let Value::Object(requirement) = requirement else {
                return true;
            };
            let unknown: Vec<&String> = requirement.keys().filter(|k| !schemes.contains(k)).collect();
            for name in &unknown {
                warn(
                    out,
                    join(&here, name),
                    format!("the security requirement names `{name}`, which `components/securitySchemes` does not declare"),
                    "the requirement is ignored: the client cannot send credentials it knows nothing of",
                );
            }
            unknown.is_empty()
        });
        if before > 0 && requirements.is_empty() {
            if let Some(last) = out.last_mut() {
                last.action
                    .push_str("; no requirement is left, so the client sends no credentials");
            }
        }
    }
}

fn warn(out: &mut Vec<Warning>, origin: String, message: String, action: impl Into<String>) {
    out.push(Warning {
        kind: WarningKind::Repaired,
        origin,
        message,
        action: action.into(),
    });
}

fn repair_schema(schema: &mut Map<String, Value>, at: &str, warnings: &mut Vec<Warning>) {
    repair_boolean_required(schema, at, warnings);
    repair_type_list(schema, at, warnings);
    repair_exclusive_bounds(schema, at, warnings);
    let typ = schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let composed = COMPOSITION.iter().any(|k| schema.contains_key(*k));
    if let (Some(typ), false) = (typ.as_deref(), composed) {
        if let Some((_, own)) = KEYWORDS.iter().find(|(t, _)| *t == typ) {
            drop_foreign_keywords(schema, typ, own, at, warnings);
        }
        match typ {
            "integer" => repair_integer_bounds(schema, at, warnings),
            "string" => repair_string_enum(schema, at, warnings),
            _ => {}
        }
    }
}

/// `required: true` or `false` on a schema. On one of this schema's properties, `true`
/// makes the property required by this schema; anywhere else it says nothing. (A
/// property's is handled here, by its parent, which comes first.)
fn repair_boolean_required(schema: &mut Map<String, Value>, at: &str, out: &mut Vec<Warning>) {
    let message = |required: bool| {
        format!(
            "`required: {required}` on a schema: in OpenAPI 3.0, `required` is the list of an object's required properties"
        )
    };
    let mut now_required = Vec::new();
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            let Some(property) = property.as_object_mut() else {
                continue;
            };
            let Some(Value::Bool(required)) = property.get("required").cloned() else {
                continue;
            };
            property.remove("required");
            let where_ = format!("{at}{}", pointer(["properties", name, "required"]));
            let action = if required {
                now_required.push(name.clone());
                format!("`{name}` is required by its object")
            } else {
                "ignored".to_owned()
            };
            warn(out, where_, message(required), action);
        }
    }
    if !now_required.is_empty() {
        let list = schema
            .entry("required")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            for name in now_required {
                if !list.iter().any(|v| v.as_str() == Some(&name)) {
                    list.push(Value::String(name));
                }
            }
        }
    }
    if let Some(Value::Bool(required)) = schema.get("required").cloned() {
        schema.remove("required");
        warn(out, join(at, "required"), message(required), "ignored");
    }
}

/// `type: [string, "null"]`: OpenAPI 3.0 has one type and `nullable`.
fn repair_type_list(schema: &mut Map<String, Value>, at: &str, out: &mut Vec<Warning>) {
    let Some(Value::Array(types)) = schema.get("type") else {
        return;
    };
    let null = types.iter().any(|t| t == "null");
    let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
    let listed = types
        .iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let message = format!("`type` lists [{listed}]: in OpenAPI 3.0, `type` is one type");
    let action = match others.as_slice() {
        [one] => {
            schema.insert("type".to_owned(), one.clone());
            format!("read as `type: {one}`")
        }
        _ => {
            schema.remove("type");
            "read as a schema of any type".to_owned()
        }
    };
    if null {
        schema.insert("nullable".to_owned(), Value::Bool(true));
    }
    let action = if null {
        format!("{action} with `nullable: true`")
    } else {
        action
    };
    warn(out, join(at, "type"), message, action);
}

/// `exclusiveMinimum: 5`: OpenAPI 3.0's `exclusiveMinimum` is a flag on `minimum`.
fn repair_exclusive_bounds(schema: &mut Map<String, Value>, at: &str, out: &mut Vec<Warning>) {
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        let Some(Value::Number(value)) = schema.get(flag).cloned() else {
            continue;
        };
        schema.insert(bound.to_owned(), Value::Number(value.clone()));
        schema.insert(flag.to_owned(), Value::Bool(true));
        warn(
            out,
            join(at, flag),
            format!("`{flag}: {value}`: in OpenAPI 3.0, `{flag}` is a flag on `{bound}`"),
            format!("read as `{bound}: {value}` with `{flag}: true`"),
        );
    }
}

fn drop_foreign_keywords(
    schema: &mut Map<String, Value>,
    typ: &str,
    own: &[&str],
    at: &str,
    out: &mut Vec<Warning>,
) {
    let foreign: Vec<String> = schema
        .keys()
        .filter(|key| {
            KEYWORDS
                .iter()
                .any(|(_, keys)| keys.contains(&key.as_str()))
                && !own.contains(&key.as_str())
        })
        .cloned()
        .collect();
    for key in foreign {
        schema.remove(&key);
        warn(
            out,
            join(at, &key),
            format!("`{key}` does not apply to {} `{typ}` schema", article(typ)),
            "ignored",
        );
    }
}

fn article(typ: &str) -> &'static str {
    if typ.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Integer bounds a 64-bit integer can hold: the spelling of unsigned or floating-point
/// generators (`maximum: 18446744073709551615`, `minimum: 0.5`) is read as what it means
/// for an `i64`.
fn repair_integer_bounds(schema: &mut Map<String, Value>, at: &str, out: &mut Vec<Warning>) {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    for key in ["minimum", "maximum", "multipleOf"] {
        let Some(Value::Number(n)) = schema.get(key) else {
            continue;
        };
        if n.is_i64() {
            continue;
        }
        let text = n.to_string();
        let value = n.as_f64().unwrap_or(f64::NAN);
        let beyond = !(-LIMIT..LIMIT).contains(&value);
        let action = if key == "multipleOf" || beyond {
            schema.remove(key);
            if key == "multipleOf" {
                "dropped: an integer is not checked against a fractional step".to_owned()
            } else {
                "dropped: no 64-bit integer lies beyond it".to_owned()
            }
        } else {
            let rounded = if key == "minimum" {
                value.ceil()
            } else {
                value.floor()
            };
            // An exclusive bound that was fractional is inclusive once rounded inward.
            let exclusive = if key == "minimum" {
                "exclusiveMinimum"
            } else {
                "exclusiveMaximum"
            };
            if rounded != value {
                schema.remove(exclusive);
            }
            schema.insert(key.to_owned(), Value::from(rounded as i64));
            format!("read as `{key}: {}`", rounded as i64)
        };
        warn(
            out,
            join(at, key),
            format!("`{key}: {text}` on an `integer` is not a 64-bit integer"),
            action,
        );
    }
}

fn repair_string_enum(schema: &mut Map<String, Value>, at: &str, out: &mut Vec<Warning>) {
    let Some(Value::Array(values)) = schema.get_mut("enum") else {
        return;
    };
    for (i, value) in values.iter_mut().enumerate() {
        let text = match value {
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => continue,
        };
        warn(
            out,
            pointer_join(at, &["enum", &i.to_string()]),
            format!("the enum of a `string` lists `{text}`, which is not a string"),
            format!("read as \"{text}\""),
        );
        *value = Value::String(text);
    }
}

fn pointer_join(at: &str, segments: &[&str]) -> String {
    format!("{at}{}", pointer(segments.iter().copied()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(schema: Value) -> (Value, Vec<String>) {
        let mut document = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"Thing": schema}},
        });
        let warnings = repair(&mut document);
        let schema = document["components"]["schemas"]["Thing"].clone();
        let warnings = warnings
            .into_iter()
            .map(|w| format!("{}: {}; {}", w.origin, w.message, w.action))
            .collect();
        (schema, warnings)
    }

    #[test]
    fn a_boolean_required_on_a_property_moves_to_its_object() {
        let (schema, warnings) = repaired(serde_json::json!({
            "type": "object",
            "properties": {"id": {"type": "string", "required": true}, "n": {"type": "integer", "required": false}},
        }));
        assert_eq!(schema["required"], serde_json::json!(["id"]));
        assert!(schema["properties"]["id"].get("required").is_none());
        assert!(schema["properties"]["n"].get("required").is_none());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }

    #[test]
    fn integer_bounds_beyond_64_bits_are_dropped_and_fractions_rounded_inward() {
        let (schema, warnings) = repaired(serde_json::json!({
            "type": "integer",
            "minimum": 0.5,
            "maximum": 18446744073709551615u64,
        }));
        assert_eq!(schema["minimum"], 1);
        assert!(schema.get("maximum").is_none());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }

    #[test]
    fn keywords_of_another_type_are_dropped() {
        let (schema, warnings) = repaired(serde_json::json!({
            "type": "string",
            "minimum": 1,
            "maxLength": 3,
        }));
        assert_eq!(
            schema,
            serde_json::json!({"type": "string", "maxLength": 3})
        );
        assert_eq!(
            warnings,
            [
                "/components/schemas/Thing/minimum: `minimum` does not apply to a `string` schema; ignored"
            ]
        );
    }

    #[test]
    fn openapi_3_1_spellings_are_read_as_3_0() {
        let (schema, _) = repaired(serde_json::json!({
            "type": ["integer", "null"],
            "exclusiveMinimum": 0,
        }));
        assert_eq!(
            schema,
            serde_json::json!({"type": "integer", "nullable": true, "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn a_valid_schema_is_left_alone() {
        let schema = serde_json::json!({
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"type": "string", "enum": ["x"]}, "b": {"allOf": [{"type": "object"}]}},
        });
        assert_eq!(repaired(schema.clone()), (schema, Vec::new()));
    }
}
