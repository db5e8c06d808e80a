//! The configuration beside a spec: what a maintainer decides that the spec does not say.
//!
//! A YAML file (found by `cargo xtask codegen`, see the README) with one section per
//! concern; every section and key is optional and an unknown one is refused with its line
//! and column, so a misspelt key never goes unnoticed:
//!
//! ```yaml
//! names:                      # Rust names, keyed by the JSON pointer of what they name
//!   /components/schemas/nullTime: NullableTime
//!   /components/schemas/Thing/properties/authTime: auth_time_legacy
//!   /components/schemas/Thing/properties/meta: {name: metadata, type: ThingMetadata}
//!   /paths/~1things~1{id}/get: fetch_thing
//! pagination:                 # page-number pagination: the names that mark it
//!   page: [pageNum]
//!   size: [itemsPerPage]
//!   items: [results]
//!   total: [totalCount]
//! errors:                     # the properties of an error body with its code and message
//!   code: [errorCode]
//!   message: [detail, reason]
//! ```
//!
//! `cli:` configures the command line (see [`Cli`]). The
//! generator does no file IO: the caller reads the file and hands its text to [`parse`].

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::SpecError;

/// The parsed configuration; `SpecConfig::default()` is what a spec without one gets.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SpecConfig {
    /// Rust names chosen by a maintainer, keyed by the JSON pointer (RFC 6901, with or
    /// without a leading `#`) of the item in the spec: a schema (its type), a property (its
    /// field), a parameter (its argument, at its use or in `components/parameters`), an
    /// enum value (`.../enum/2`), a union alternative (`.../oneOf/0`, or a discriminator
    /// mapping's entry), an operation (`/paths/~1things/get`, its method).
    pub names: BTreeMap<String, Name>,
    pub pagination: Pagination,
    pub errors: Errors,
    pub cli: Cli,
    /// Where the configuration came from, for errors that point into it.
    #[serde(skip)]
    pub source: Option<Source>,
    /// Each key of `names` as the file spells it (with its `#`, if it has one).
    #[serde(skip)]
    written_keys: BTreeMap<String, String>,
}

/// The names given to the item at one pointer: its own name, or, where an inline schema
/// stands there too (a property's or a union alternative's own schema), `{name, type}` to
/// name the item and its type apart.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Name {
    Item(String),
    Both(Both),
}

/// See [`Name`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Both {
    /// The item's own name (a field, argument, variant, method, or a type).
    pub name: Option<String>,
    /// The name of the inline schema's type at the same pointer.
    #[serde(rename = "type")]
    pub type_name: Option<String>,
}

impl Name {
    /// The item's own name.
    pub fn item(&self) -> Option<&str> {
        match self {
            Name::Item(name) => Some(name),
            Name::Both(both) => both.name.as_deref(),
        }
    }

    /// The name of the type of the inline schema at this pointer, given with `type:`.
    pub fn type_name(&self) -> Option<&str> {
        match self {
            Name::Item(_) => None,
            Name::Both(both) => both.type_name.as_deref(),
        }
    }
}

/// The file a configuration was read from, and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub file: String,
    pub text: String,
}

/// Page-number pagination: an operation is paginated when it takes an integer query
/// parameter named as one of `page` (whose first page the spec states, as its default or a
/// minimum of 1) and one named as one of `size`, and its success body is an object with an
/// array field named as one of `items` (and, optionally, an integer field named as one of
/// `total`). The defaults are common spellings; a spec with its own names lists them in
/// its configuration. An empty list turns detection off.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pagination {
    pub page: Vec<String>,
    pub size: Vec<String>,
    pub items: Vec<String>,
    pub total: Vec<String>,
}

impl Default for Pagination {
    fn default() -> Self {
        let list = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect();
        Pagination {
            page: list(&["page", "pageNumber", "page_number"]),
            size: list(&["pageSize", "page_size", "perPage", "per_page"]),
            items: list(&["items", "results", "data"]),
            total: list(&["total", "totalCount", "total_count"]),
        }
    }
}

/// Error bodies: the properties that hold an error's code (`err.is_error_code("...")`) and
/// its message (shown by `Display`). Names match whatever their case and `_`/`-`
/// (`errorCode` also finds `error_code`); the first name a type has wins. The defaults are
/// the conventions of error bodies across APIs: RFC 7807's `title` and `detail`, OAuth's
/// `error` and `error_description`, the common `code` and `message`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Errors {
    pub code: Vec<String>,
    pub message: Vec<String>,
}

impl Default for Errors {
    fn default() -> Self {
        let names = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect();
        Errors {
            code: names(&["errorCode", "code", "error"]),
            message: names(&[
                "detail",
                "message",
                "errorMessage",
                "error_description",
                "description",
                "reason",
                "title",
                "details",
            ]),
        }
    }
}

/// The command line generated beside the library (the crate's `cli` feature): its
/// binary's name, where it finds credentials, and the profile file it reads. Every key
/// has a default any spec gets: the binary and environment variables are named after the
/// crate (`PETSTORE_USERNAME`), and no profile file is read unless one is configured.
///
/// ```yaml
/// cli:
///   binary: atlas-admin
///   env:                       # each credential's variables, the first set one wins
///     username: [MONGODB_ATLAS_PUBLIC_KEY, MONGODB_ATLAS_PUBLIC_API_KEY]
///     password: [MONGODB_ATLAS_PRIVATE_KEY, MONGODB_ATLAS_PRIVATE_API_KEY]
///     client_id: [MONGODB_ATLAS_CLIENT_ID]
///     client_secret: [MONGODB_ATLAS_CLIENT_SECRET]
///     base_url: [MONGODB_ATLAS_BASE_URL, MONGODB_ATLAS_OPS_MANAGER_URL]
///   profile:                   # a TOML file of named profiles, under the config directory
///     file: atlascli/config.toml
///     keys: {username: public_api_key, password: private_api_key, base_url: ops_manager_url}
///     defaults: {groupId: project_id, orgId: org_id}   # parameter: profile key
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Cli {
    /// The binary's name; the crate's package name when not given.
    pub binary: Option<String>,
    /// The environment variables of each credential. A credential not listed is read from
    /// `<CRATE>_<CREDENTIAL>` (`ATLAS_ADMIN_CLIENT_ID`).
    pub env: CliCredentials<Vec<String>>,
    /// The profile file, when the command line reads one.
    pub profile: Option<CliProfile>,
}

/// One entry per credential the command line knows.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CliCredentials<T> {
    /// The user name of HTTP Basic or Digest (a public key).
    pub username: T,
    /// The password of HTTP Basic or Digest (a private key).
    pub password: T,
    /// The client id of OAuth 2.0 client credentials.
    pub client_id: T,
    /// The client secret of OAuth 2.0 client credentials.
    pub client_secret: T,
    /// A bearer token or API key, for schemes that take one.
    pub token: T,
    /// The server, instead of the spec's first.
    pub base_url: T,
}

/// A TOML file of profiles (`[name]` tables of string keys), found under
/// `$XDG_CONFIG_HOME`, else `$HOME/.config`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CliProfile {
    /// The file's path under the configuration directory.
    pub file: String,
    /// The profile key of each credential.
    #[serde(default)]
    pub keys: CliCredentials<Option<String>>,
    /// Parameters whose value a profile key supplies when the flag is not given, keyed by
    /// the parameter's name in the spec.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
}

/// Parses a configuration file's text. Errors name the file, line and column.
pub fn parse(text: &str, file: &str) -> Result<SpecConfig, SpecError> {
    // An empty file (or one of comments only) is the default configuration.
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(SpecConfig {
            source: Some(Source {
                file: file.to_owned(),
                text: text.to_owned(),
            }),
            ..SpecConfig::default()
        });
    }
    let mut config: SpecConfig = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let mut error = SpecError::at("", format!("invalid configuration: {e}"));
        error.file = file.to_owned();
        error.location = Some((line, column));
        error.excerpt = Some(crate::load::excerpt(text, line, column));
        error
    })?;
    let mut names = BTreeMap::new();
    for (written, name) in std::mem::take(&mut config.names) {
        let key = written.trim_start_matches('#').to_owned();
        config.written_keys.insert(key.clone(), written);
        names.insert(key, name);
    }
    config.names = names;
    config.source = Some(Source {
        file: file.to_owned(),
        text: text.to_owned(),
    });
    Ok(config)
}

impl SpecConfig {
    /// An error about the configuration entry at `pointer` (into the configuration file),
    /// located in its text when the configuration came from a file.
    pub(crate) fn error(&self, pointer: &str, message: String) -> SpecError {
        let error = SpecError::at(pointer, message);
        match &self.source {
            Some(source) => crate::load::locate_error(error, &source.text, &source.file),
            None => SpecError {
                file: "configuration".to_owned(),
                ..error
            },
        }
    }

    /// The pointer, into the configuration file, of the name given for `key`.
    pub(crate) fn name_pointer(&self, key: &str) -> String {
        let written = self.written_keys.get(key).map_or(key, String::as_str);
        crate::error::pointer(["names", written])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_for_a_spec_without_configuration() {
        let config = parse("# nothing yet\n", "codegen.yaml").unwrap();
        assert_eq!(config.pagination, Pagination::default());
        assert!(config.names.is_empty());
        assert_eq!(config.errors.code[0], "errorCode");
    }

    #[test]
    fn sections_and_names() {
        let config = parse(
            "names:\n  '#/components/schemas/a': A\n  /paths/~1x/get: get_x\n  /components/schemas/b/properties/c: {name: c_field, type: CType}\npagination:\n  page: [pageNum]\n",
            "codegen.yaml",
        )
        .unwrap();
        assert_eq!(config.names["/components/schemas/a"].item(), Some("A"));
        assert_eq!(config.names["/paths/~1x/get"].item(), Some("get_x"));
        assert_eq!(config.pagination.page, ["pageNum"]);
        let both = &config.names["/components/schemas/b/properties/c"];
        assert_eq!(
            (both.item(), both.type_name()),
            (Some("c_field"), Some("CType"))
        );
        // Sections not given keep their defaults.
        assert_eq!(config.pagination.size, Pagination::default().size);
    }

    #[test]
    fn unknown_keys_are_refused_where_they_stand() {
        let error = parse("names: {}\npagination:\n  pages: [p]\n", "codegen.yaml").unwrap_err();
        assert_eq!(error.file, "codegen.yaml");
        assert_eq!(error.location, Some((3, 3)));
        assert!(error.message.contains("unknown field `pages`"), "{error}");
        let error = parse("name: {}\n", "codegen.yaml").unwrap_err();
        assert!(error.message.contains("unknown field `name`"), "{error}");
    }

    #[test]
    fn command_line_section() {
        let config = parse(
            "cli:\n  env:\n    client_id: [X_ID]\n  profile:\n    file: x/config.toml\n    keys: {token: t}\n    defaults: {groupId: project_id}\n",
            "codegen.yaml",
        )
        .unwrap();
        assert_eq!(config.cli.env.client_id, ["X_ID"]);
        assert!(config.cli.env.username.is_empty());
        let profile = config.cli.profile.unwrap();
        assert_eq!(profile.keys.token.as_deref(), Some("t"));
        assert_eq!(profile.defaults["groupId"], "project_id");
        let error = parse("cli:\n  env:\n    secret: [X]\n", "codegen.yaml").unwrap_err();
        assert!(error.message.contains("unknown field `secret`"), "{error}");
    }
}
