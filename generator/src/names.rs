//! Rust names for API names, decided in one place.
//!
//! Every identifier the generator emits comes from a function here, so a spelling rule
//! (keywords, leading digits, acronyms) is applied once and tested once. Two API names that
//! end up as the same Rust name are a `Collision`, reported with both sources: a silent
//! suffix would make the generated API depend on declaration order.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeMap;

/// Keywords of every edition, strict and reserved: a field or method cannot be named these
/// without a raw identifier.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either (`r#self` is rejected by rustc).
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names that would shadow the prelude or the generated crate's own items.
const RESERVED_TYPES: &[&str] = &[
    "Box", "Client", "Error", "Option", "Result", "Self", "String", "Vec", "Response",
    // Traits the generated code names unqualified.
    "AsRef", "Default", "From", "Into", "TryFrom", "TryInto",
];

/// `snake_case` for fields, parameters, methods and modules.
///
/// Keywords become raw identifiers (`r#type`), except the few that cannot be raw, which
/// get a trailing underscore (`self_`). A leading digit gets a leading underscore.
pub fn snake(api_name: &str) -> String {
    let mut name = words(api_name).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// `UpperCamelCase` for types and enum variants.
///
/// A leading digit gets a `V` prefix (`2023-01-01` becomes `V20230101`).
pub fn camel(api_name: &str) -> String {
    let mut name = words(api_name).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

/// A type name: `camel`, avoiding names the generated crate uses itself.
pub fn type_name(api_name: &str) -> String {
    let mut name = camel(api_name);
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// `SHOUTY_SNAKE_CASE` for constants.
pub fn shouty(api_name: &str) -> String {
    let mut name = words(api_name).to_shouty_snake_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// The bare identifier text without a raw prefix, for documentation and messages.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Splits an API name into words that heck understands: punctuation that heck would drop
/// silently (`+`, `.`, `/`) separates words instead of gluing them, and symbols that carry
/// meaning in enum values are spelled out so `<` and `>` do not both become empty.
fn words(api_name: &str) -> String {
    let mut out = String::with_capacity(api_name.len());
    for c in api_name.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => out.push(c),
            '+' => out.push_str(" plus "),
            '*' => out.push_str(" star "),
            '<' => out.push_str(" lt "),
            '>' => out.push_str(" gt "),
            '=' => out.push_str(" eq "),
            '&' => out.push_str(" and "),
            '@' => out.push_str(" at "),
            '%' => out.push_str(" percent "),
            '$' => out.push_str(" dollar "),
            '#' => out.push_str(" hash "),
            '!' => out.push_str(" not "),
            // Other characters (letters of other scripts, `²`) are spelled as their code point:
            // only ASCII is sure to make an identifier, and a spelled-out character keeps
            // names distinct.
            c if c.is_alphanumeric() => out.push_str(&format!(" u{:04x} ", c as u32)),
            _ => out.push(' '),
        }
    }
    out
}

/// Two API names that map to one Rust name in the same scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    pub rust_name: String,
    pub first: String,
    pub second: String,
}

/// The Rust names taken in one scope (a module's types, a struct's fields, an enum's
/// variants), each remembering which API name took it.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeMap<String, String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// Claims `rust_name` for `source`, or reports who already has it.
    pub fn claim(&mut self, rust_name: &str, source: &str) -> Result<(), Collision> {
        let key = unraw(rust_name).to_owned();
        match self.taken.get(&key) {
            Some(first) => Err(Collision {
                rust_name: key,
                first: first.clone(),
                second: source.to_owned(),
            }),
            None => {
                self.taken.insert(key, source.to_owned());
                Ok(())
            }
        }
    }

    pub fn contains(&self, rust_name: &str) -> bool {
        self.taken.contains_key(unraw(rust_name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_cases() {
        let table = [
            ("groupId", "group_id"),
            ("itemsPerPage", "items_per_page"),
            ("type", "r#type"),
            ("ref", "r#ref"),
            ("self", "self_"),
            ("Self", "self_"),
            ("super", "super_"),
            ("crate", "crate_"),
            ("async", "r#async"),
            ("2fa", "_2fa"),
            ("", "value"),
            ("x-xgen-version", "x_xgen_version"),
            ("ApiBSONTimestampView", "api_bson_timestamp_view"),
            ("data.size", "data_size"),
            ("²", "u00b2"),
            ("x²", "x_u00b2"),
            ("café", "caf_u00e9"),
        ];
        for (api, rust) in table {
            assert_eq!(snake(api), rust, "snake({api:?})");
        }
    }

    #[test]
    fn camel_cases() {
        let table = [
            ("REPLICA_SET", "ReplicaSet"),
            ("CONFIG_SERVER_REPLICA_SET", "ConfigServerReplicaSet"),
            ("ApiBSONTimestampView", "ApiBsonTimestampView"),
            ("2023-01-01", "V20230101"),
            ("", "Empty"),
            ("<", "Lt"),
            ("<=", "LtEq"),
            ("M10+", "M10Plus"),
        ];
        for (api, rust) in table {
            assert_eq!(camel(api), rust, "camel({api:?})");
        }
        assert_eq!(camel("Self"), "Self_");
    }

    #[test]
    fn type_names_avoid_crate_items() {
        assert_eq!(type_name("Error"), "ErrorType");
        assert_eq!(type_name("client"), "ClientType");
        assert_eq!(type_name("ApiError"), "ApiError");
    }

    #[test]
    fn shouty_cases() {
        assert_eq!(shouty("groupId"), "GROUP_ID");
        assert_eq!(shouty("2x"), "_2X");
    }

    #[test]
    fn collisions_name_both_sources() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim("group_id", "groupId"), Ok(()));
        assert_eq!(
            scope.claim("group_id", "group_id"),
            Err(Collision {
                rust_name: "group_id".to_owned(),
                first: "groupId".to_owned(),
                second: "group_id".to_owned(),
            })
        );
        // A raw identifier and its bare spelling are the same name.
        assert_eq!(scope.claim("r#type", "type"), Ok(()));
        assert!(scope.claim("type", "Type").is_err());
    }
}
