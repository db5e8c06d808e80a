//! Rust names for API names, decided in one place.
//!
//! Every identifier the generator emits comes from a function here, so a spelling rule
//! (keywords, leading digits, acronyms) is applied once and tested once.
//!
//! Two items that want one Rust name in one scope (two components `nullTime` and
//! `NullTime`, an inline type and the component `ConnectionMetadata`, the properties
//! `auth_time` and `authTime`, a path and a query parameter both called `language`, the
//! enum value `unknown` and the catch-all `Unknown`) are resolved by [`Scope`], by one rule
//! that does not depend on the order the spec declares them in:
//!
//! 1. The name goes to the claim of the best **rank**: a name from the configuration
//!    beside the spec first, then (by scope) a component over a parameter's type over an
//!    inline type; a path parameter over a query, header or cookie parameter; an enum value
//!    or a union alternative over the catch-all variant.
//! 2. Among equal ranks, to the API name spelled exactly as the Rust name (`NullTime`,
//!    `auth_time`), then to the first API name in byte order, then the first pointer.
//! 3. Every other claim yields: it takes its first free fallback (a parameter adds its
//!    location, `language_query`; the catch-all becomes `Other`), else the first free
//!    number from 2 (`NullTime2`, `auth_time_2`).
//!
//! Whatever yields is reported, so the caller can list it where a reviewer sees it, and a
//! maintainer can choose another name in the configuration without editing the spec.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

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

/// The methods every generated `ClientBuilder` has; a scheme's method never takes these.
pub const BUILDER_METHODS: &[&str] = &[
    "auth",
    "base_url",
    "build",
    "connect_timeout",
    "credential",
    "default",
    "default_header",
    "digest_auth",
    "fmt",
    "http_client",
    "retry",
    "service_account",
    "timeout",
    "user_agent",
];

/// The `ClientBuilder` method that takes a security scheme's credentials: the scheme's
/// name in `snake_case`, ending in `_auth` (`api_key` gives `api_key_auth`, `bearerAuth`
/// gives `bearer_auth`). A name the builder already has gets `_scheme` before the suffix
/// (`base_url_scheme_auth` cannot clash, `digest_auth` would).
pub fn auth_method(scheme: &str) -> String {
    let name = snake(scheme);
    let name = unraw(&name).trim_end_matches('_');
    let name = if name == "auth" || name.ends_with("_auth") {
        name.to_owned()
    } else {
        format!("{name}_auth")
    };
    if BUILDER_METHODS.contains(&name.as_str()) {
        let stem = name.strip_suffix("_auth").unwrap_or(&name);
        format!("{stem}_scheme_auth")
    } else {
        name
    }
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

/// How a name is spelled, which decides how a number is added to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Types and variants: `NullTime2`.
    Camel,
    /// Fields, parameters and methods: `auth_time_2`.
    Snake,
}

/// Ranks: who keeps a name that several items want, lowest first (see the module docs).
pub mod rank {
    /// A name from the configuration beside the spec; it never yields.
    pub const CONFIGURED: u8 = 0;
    /// What the spec declares under its own name: a component, a property, an enum value,
    /// a path parameter, an operation, a union alternative.
    pub const DECLARED: u8 = 1;
    /// A query parameter; header and cookie parameters come after it.
    pub const QUERY: u8 = 2;
    pub const HEADER: u8 = 3;
    pub const COOKIE: u8 = 4;
    /// The validated type of a parameter, named after the parameter.
    pub const PARAMETER_TYPE: u8 = 5;
    /// A type named after where its schema stands (`{Parent}{Field}`).
    pub const INLINE: u8 = 6;
    /// The variant that keeps values the spec does not list.
    pub const CATCH_ALL: u8 = 9;
}

/// One item asking for a name in a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The item's JSON pointer: its identity, named when another item yields to it.
    pub origin: String,
    pub api_name: String,
    /// The name wanted.
    pub name: String,
    pub case: Case,
    /// See [`rank`].
    pub rank: u8,
    /// Names to try, in order, when `name` is taken, before numbered ones.
    pub fallbacks: Vec<String>,
}

impl Claim {
    /// A claim of rank [`rank::DECLARED`] with no fallbacks.
    pub fn new(
        origin: impl Into<String>,
        api_name: impl Into<String>,
        name: impl Into<String>,
        case: Case,
    ) -> Self {
        Claim {
            origin: origin.into(),
            api_name: api_name.into(),
            name: name.into(),
            case,
            rank: rank::DECLARED,
            fallbacks: Vec::new(),
        }
    }

    pub fn rank(mut self, rank: u8) -> Self {
        self.rank = rank;
        self
    }

    /// Tries `name` after the wanted one and before numbered ones.
    pub fn or(mut self, name: impl Into<String>) -> Self {
        self.fallbacks.push(name.into());
        self
    }

    /// The order of rule 1 and 2: rank, exact spelling, API name, pointer.
    fn order(&self) -> (u8, bool, &str, &str) {
        let exact = unraw(&self.name) == self.api_name;
        (self.rank, !exact, &self.api_name, &self.origin)
    }

    /// The `n`th numbered spelling of the wanted name.
    fn numbered(&self, n: usize) -> String {
        match self.case {
            Case::Camel => format!("{}{n}", unraw(&self.name)),
            Case::Snake => format!("{}_{n}", unraw(&self.name)),
        }
    }
}

/// The name a claim got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    pub name: String,
    /// When the claim yielded: the pointer of the item that has the name it wanted.
    pub yielded_to: Option<String>,
}

/// The Rust names taken in one scope (a module's types, a struct's fields, an enum's
/// variants, an operation's parameters), each remembering the pointer of its item.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeMap<String, String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// Names every claim of a group known all at once, by the rules in the module docs;
    /// the names come back in the order of `claims`.
    pub fn resolve<C: Borrow<Claim>>(&mut self, claims: &[C]) -> Vec<Given> {
        let claims: Vec<&Claim> = claims.iter().map(Borrow::borrow).collect();
        let mut order: Vec<usize> = (0..claims.len()).collect();
        order.sort_by(|a, b| claims[*a].order().cmp(&claims[*b].order()));
        let mut given: Vec<Option<Given>> = vec![None; claims.len()];
        // Every wanted name that is free goes to its best claim first, so that no claim
        // that yields can take, as a fallback or a number, a name another claim wants.
        let mut yielding = Vec::new();
        for index in order {
            let claim = claims[index];
            if self.is_free(&claim.name) {
                self.take(&claim.name, &claim.origin);
                given[index] = Some(Given {
                    name: claim.name.clone(),
                    yielded_to: None,
                });
            } else {
                yielding.push(index);
            }
        }
        let wanted: BTreeSet<&str> = if yielding.is_empty() {
            BTreeSet::new()
        } else {
            claims.iter().map(|c| unraw(&c.name)).collect()
        };
        for index in yielding {
            let claim = claims[index];
            let holder = self.holder(&claim.name).unwrap_or_default().to_owned();
            let name = claim
                .fallbacks
                .iter()
                .find(|f| self.is_free(f) && !wanted.contains(unraw(f)))
                .cloned()
                .unwrap_or_else(|| {
                    (2..)
                        .map(|n| claim.numbered(n))
                        .find(|n| self.is_free(n) && !wanted.contains(n.as_str()))
                        .unwrap_or_default()
                });
            self.take(&name, &claim.origin);
            given[index] = Some(Given {
                name,
                yielded_to: Some(holder),
            });
        }
        given.into_iter().flatten().collect()
    }

    /// Names one claim against the names already taken: it yields to any of them.
    pub fn claim(&mut self, claim: &Claim) -> Given {
        let mut given = self.resolve(std::slice::from_ref(claim));
        given.pop().unwrap_or(Given {
            name: claim.name.clone(),
            yielded_to: None,
        })
    }

    /// Who has `rust_name`, as the pointer its claim gave.
    pub fn holder(&self, rust_name: &str) -> Option<&str> {
        self.taken.get(unraw(rust_name)).map(String::as_str)
    }

    pub fn contains(&self, rust_name: &str) -> bool {
        self.taken.contains_key(unraw(rust_name))
    }

    fn is_free(&self, rust_name: &str) -> bool {
        !self.contains(rust_name)
    }

    fn take(&mut self, rust_name: &str, origin: &str) {
        self.taken
            .insert(unraw(rust_name).to_owned(), origin.to_owned());
    }
}

/// The names of the generated check function for one set of field constraints, numbered
/// in the order structs first use them: `check_0`, its pattern matcher
/// `matches_pattern_0` and the pattern's constant `PATTERN_0`. They live in the models
/// module beside types, whose names are `UpperCamelCase`, so they never collide.
pub fn check_items(index: usize) -> CheckItems {
    CheckItems {
        function: format!("check_{index}"),
        matcher: format!("matches_pattern_{index}"),
        constant: format!("PATTERN_{index}"),
    }
}

/// See [`check_items`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckItems {
    pub function: String,
    pub matcher: String,
    pub constant: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_methods() {
        let table = [
            ("api_key", "api_key_auth"),
            ("ApiKeyAuth", "api_key_auth"),
            ("bearerAuth", "bearer_auth"),
            ("Bearer", "bearer_auth"),
            ("petstore_auth", "petstore_auth"),
            ("oauth2", "oauth2_auth"),
            ("OAuth2", "o_auth2_auth"),
            ("X-API-Key", "x_api_key_auth"),
            ("auth", "auth_scheme_auth"),
            ("DigestAuth", "digest_scheme_auth"),
            ("self", "self_auth"),
            ("type", "type_auth"),
            ("", "value_auth"),
        ];
        for (scheme, method) in table {
            assert_eq!(auth_method(scheme), method, "{scheme:?}");
        }
    }

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

    fn claim(origin: &str, api_name: &str, name: &str, case: Case) -> Claim {
        Claim::new(origin, api_name, name, case)
    }

    fn names(given: &[Given]) -> Vec<&str> {
        given.iter().map(|g| g.name.as_str()).collect()
    }

    /// Every collision kind, each in both declaration orders: the result is the same.
    #[test]
    fn collisions_are_resolved_by_rank_spelling_and_byte_order() {
        let snake = Case::Snake;
        let camel = Case::Camel;
        let table: Vec<(&str, Vec<Claim>, Vec<&str>)> = vec![
            (
                "components that differ in case: the exact spelling keeps the name",
                vec![
                    claim("#/s/nullTime", "nullTime", "NullTime", camel),
                    claim("#/s/NullTime", "NullTime", "NullTime", camel),
                ],
                vec!["NullTime2", "NullTime"],
            ),
            (
                "components that differ in punctuation: byte order decides",
                vec![
                    claim("#/s/a_b_c", "a_b_c", "ABC", camel),
                    claim("#/s/a_b-c", "a_b-c", "ABC", camel),
                ],
                vec!["ABC2", "ABC"],
            ),
            (
                "a component over an inline type",
                vec![
                    claim(
                        "#/s/Connection/properties/metadata",
                        "",
                        "ConnectionMetadata",
                        camel,
                    )
                    .rank(rank::INLINE),
                    claim(
                        "#/s/ConnectionMetadata",
                        "ConnectionMetadata",
                        "ConnectionMetadata",
                        camel,
                    ),
                ],
                vec!["ConnectionMetadata2", "ConnectionMetadata"],
            ),
            (
                "two properties, one field",
                vec![
                    claim("#/p/authTime", "authTime", "auth_time", snake),
                    claim("#/p/auth_time", "auth_time", "auth_time", snake),
                ],
                vec!["auth_time_2", "auth_time"],
            ),
            (
                "a path parameter over a query parameter, which adds its location",
                vec![
                    claim("#/q", "language", "language", snake)
                        .rank(rank::QUERY)
                        .or("language_query"),
                    claim("#/p", "language", "language", snake),
                ],
                vec!["language_query", "language"],
            ),
            (
                "an enum value over the catch-all, which becomes Other",
                vec![
                    claim("#/e", "", "Unknown", camel)
                        .rank(rank::CATCH_ALL)
                        .or("Other"),
                    claim("#/e/enum/1", "unknown", "Unknown", camel),
                ],
                vec!["Other", "Unknown"],
            ),
            (
                "a number never takes a name another claim wants",
                vec![
                    claim("#/a", "a", "Thing", camel),
                    claim("#/b", "b", "Thing", camel),
                    claim("#/c", "Thing2", "Thing2", camel),
                ],
                vec!["Thing", "Thing3", "Thing2"],
            ),
        ];
        for (case, claims, expected) in table {
            let forward = Scope::new().resolve(&claims);
            assert_eq!(names(&forward), expected, "{case}");
            let mut reversed = claims.clone();
            reversed.reverse();
            let mut backward = Scope::new().resolve(&reversed);
            backward.reverse();
            assert_eq!(forward, backward, "{case}: depends on declaration order");
        }
    }

    #[test]
    fn yielding_names_the_holder() {
        let mut scope = Scope::new();
        let kept = scope.claim(&claim("#/s/Pet", "Pet", "Pet", Case::Camel));
        assert_eq!(kept.yielded_to, None);
        let inline = scope.claim(&claim("#/x", "", "Pet", Case::Camel).rank(rank::INLINE));
        assert_eq!(
            inline,
            Given {
                name: "Pet2".to_owned(),
                yielded_to: Some("#/s/Pet".to_owned())
            }
        );
        // A raw identifier and its bare spelling are the same name.
        let mut fields = Scope::new();
        fields.claim(&claim("#/type", "type", "r#type", Case::Snake));
        let other = fields.claim(&claim("#/Type", "Type", "r#type", Case::Snake));
        assert_eq!(other.name, "type_2");
    }

    #[test]
    fn check_items_are_numbered() {
        let items = check_items(3);
        assert_eq!(items.function, "check_3");
        assert_eq!(items.matcher, "matches_pattern_3");
        assert_eq!(items.constant, "PATTERN_3");
    }
}
