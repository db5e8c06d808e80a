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
///
/// Every error names the place in the text: `openapiv3` reports where it failed only down
/// to the first flattened or untagged type (which is most of the document), so a failure is
/// narrowed down by [`grammar::document`], and what `openapiv3` would silently drop (a path
/// without its leading `/`, a response under a key that is not a status code, a `$ref`
/// that is not a string) is refused by [`grammar::dropped`] before it can.
pub fn load(text: &str, file_name: &str) -> Result<openapiv3::OpenAPI, SpecError> {
    load_repaired(text, file_name).map(|(spec, _)| spec)
}

/// [`load`], repairing common defects first (see `crate::repair`), which it returns.
pub fn load_repaired(
    text: &str,
    file_name: &str,
) -> Result<(openapiv3::OpenAPI, Vec<crate::ir::Warning>), SpecError> {
    let mut value = parse_value(text, file_name)?;
    let fail = |pointer: String, message: String| {
        locate_error(SpecError::at(pointer, message), text, file_name)
    };
    if let Some((pointer, message)) = version_problem(&value) {
        return Err(fail(pointer, message));
    }
    let repairs = crate::repair::repair(&mut value);
    explicit_explode(&mut value);
    let depth = grammar::dropped(grammar::Kind::Document, &value, "")
        .map_err(|(pointer, message)| fail(pointer, message))?;
    let spec = grammar::document(&value, depth).map_err(|(pointer, message)| {
        fail(
            pointer,
            format!("not a valid OpenAPI 3.0 document: {message}"),
        )
    })?;
    Ok((spec, repairs))
}

/// Writes out the default `explode: true` of every `encoding` entry whose style is `form`
/// (or absent) and that does not say: `openapiv3` reads a missing `explode` as `false`,
/// which would send an array as `a=1,2` where the spec means `a=1&a=2`.
fn explicit_explode(value: &mut Value) {
    fn media_types(content: Option<&mut Value>) {
        let Some(Value::Object(content)) = content else {
            return;
        };
        for media in content.values_mut() {
            let Some(Value::Object(encoding)) = media.get_mut("encoding") else {
                continue;
            };
            for entry in encoding.values_mut() {
                let Value::Object(entry) = entry else {
                    continue;
                };
                let form = entry.get("style").is_none_or(|s| s == "form");
                if form && !entry.contains_key("explode") {
                    entry.insert("explode".to_owned(), Value::Bool(true));
                }
            }
        }
    }
    if let Some(Value::Object(paths)) = value.get_mut("paths") {
        for item in paths.values_mut() {
            let Value::Object(item) = item else { continue };
            for operation in item.values_mut() {
                if let Some(body) = operation.get_mut("requestBody") {
                    media_types(body.get_mut("content"));
                }
            }
        }
    }
    let bodies = value
        .get_mut("components")
        .and_then(|c| c.get_mut("requestBodies"));
    if let Some(Value::Object(bodies)) = bodies {
        for body in bodies.values_mut() {
            media_types(body.get_mut("content"));
        }
    }
}

/// Why the document is not OpenAPI 3.0 by its version field, and where.
fn version_problem(value: &Value) -> Option<(String, String)> {
    match (value.get("openapi"), value.get("swagger")) {
        (Some(Value::String(version)), _) if version.starts_with("3.0.") => None,
        (Some(Value::String(version)), _) => Some((
            "/openapi".to_owned(),
            format!("OpenAPI {version} is not supported: only 3.0.x is"),
        )),
        (Some(other), _) => Some((
            "/openapi".to_owned(),
            format!(
                "the `openapi` version must be a string such as \"3.0.3\", not {}: quote it",
                describe(other)
            ),
        )),
        (None, Some(swagger)) => Some((
            "/swagger".to_owned(),
            format!(
                "Swagger (OpenAPI 2) documents are not supported, this one says `swagger: {}`: only OpenAPI 3.0.x is",
                swagger
                    .as_str()
                    .map_or_else(|| swagger.to_string(), str::to_owned)
            ),
        )),
        (None, None) => Some((
            String::new(),
            "not an OpenAPI document: there is no `openapi` version string".to_owned(),
        )),
    }
}

/// The JSON pointer of the deepest node of `value` that `path` (where deserializing
/// failed) leads to, and that node. The path can go past the document: a missing field
/// names its container, an enum variant may be a string value rather than a key, and a
/// segment the deserializer could not name (`Unknown`, inside untagged enums or flattened
/// structs) ends the walk, so the pointer always names a node that exists.
fn existing_pointer<'v>(value: &'v Value, path: &serde_path_to_error::Path) -> (String, &'v Value) {
    use serde_path_to_error::Segment;
    let mut node = value;
    let mut out = String::new();
    for segment in path {
        let (next, raw) = match (segment, node) {
            (Segment::Map { key } | Segment::Enum { variant: key }, Value::Object(map)) => {
                match map.get(key) {
                    Some(next) => (next, key.clone()),
                    None => break,
                }
            }
            (Segment::Seq { index }, Value::Array(items)) => match items.get(*index) {
                Some(next) => (next, index.to_string()),
                None => break,
            },
            (Segment::Enum { .. }, _) => continue,
            _ => break,
        };
        node = next;
        out.push_str(&crate::error::pointer([raw.as_str()]));
    }
    (out, node)
}

/// A value as serde's messages spell it (`string "yes"`, `integer `-1``, `sequence`), so
/// that the value a message complains about can be found in the document.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "unit value".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => format!("integer `{i}`"),
            (_, Some(u), _) => format!("integer `{u}`"),
            (_, _, Some(f)) => {
                let mut text = f.to_string();
                if f.is_finite() && !text.contains(['.', 'e', 'E']) {
                    text.push_str(".0");
                }
                format!("floating point `{text}`")
            }
            _ => format!("number `{n}`"),
        },
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".to_owned(),
        Value::Object(_) => "map".to_owned(),
    }
}

/// The parts of the OpenAPI 3.0 grammar where `openapiv3` loses track of the path (its
/// flattened maps, untagged and internally tagged enums), so that loading can name the
/// node that broke.
pub(crate) mod grammar {
    use super::{describe, existing_pointer};
    use crate::error::pointer;
    use serde::de::DeserializeOwned;
    use serde_json::{Map, Value};

    /// What an OpenAPI node is, where `openapiv3` has a type for it.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Kind {
        Document,
        Paths,
        PathItem,
        Operation,
        Parameter,
        RequestBody,
        Responses,
        Response,
        MediaType,
        Header,
        Schema,
        Components,
        SecurityScheme,
        Callback,
    }

    /// The deepest nesting of referable nodes for which [`document`] tries deserializing the
    /// whole document first: a failure this deep costs at most 2^8 attempts at the nodes
    /// above it before the search starts. The Atlas specs nest 5 deep.
    pub(super) const FAST_DEPTH: usize = 8;

    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];

    impl Kind {
        /// Whether a `{$ref: ...}` may stand for a node of this kind.
        fn referable(self) -> bool {
            !matches!(
                self,
                Kind::Document
                    | Kind::Paths
                    | Kind::Operation
                    | Kind::Responses
                    | Kind::MediaType
                    | Kind::Components
            )
        }

        /// The fixed fields of OpenAPI 3.0 for this kind (extensions, `x-...`, aside).
        /// `Paths`, `Responses` and `Callback` have no fixed fields; their keys are checked
        /// on their own terms.
        pub(super) fn fields(self) -> &'static [&'static str] {
            const PARAMETER: &[&str] = &[
                "name",
                "in",
                "description",
                "required",
                "deprecated",
                "allowEmptyValue",
                "style",
                "explode",
                "allowReserved",
                "schema",
                "example",
                "examples",
                "content",
            ];
            match self {
                Kind::Document => &[
                    "openapi",
                    "info",
                    "servers",
                    "paths",
                    "components",
                    "security",
                    "tags",
                    "externalDocs",
                ],
                Kind::PathItem => &[
                    "$ref",
                    "summary",
                    "description",
                    "get",
                    "put",
                    "post",
                    "delete",
                    "options",
                    "head",
                    "patch",
                    "trace",
                    "servers",
                    "parameters",
                ],
                Kind::Operation => &[
                    "tags",
                    "summary",
                    "description",
                    "externalDocs",
                    "operationId",
                    "parameters",
                    "requestBody",
                    "responses",
                    "callbacks",
                    "deprecated",
                    "security",
                    "servers",
                ],
                Kind::Parameter => PARAMETER,
                // A header is a parameter without `name` and `in`.
                Kind::Header => &PARAMETER[2..],
                Kind::RequestBody => &["description", "content", "required"],
                Kind::Response => &["description", "headers", "content", "links"],
                Kind::MediaType => &["schema", "example", "examples", "encoding"],
                Kind::Schema => &[
                    "title",
                    "multipleOf",
                    "maximum",
                    "exclusiveMaximum",
                    "minimum",
                    "exclusiveMinimum",
                    "maxLength",
                    "minLength",
                    "pattern",
                    "maxItems",
                    "minItems",
                    "uniqueItems",
                    "maxProperties",
                    "minProperties",
                    "required",
                    "enum",
                    "type",
                    "allOf",
                    "oneOf",
                    "anyOf",
                    "not",
                    "items",
                    "properties",
                    "additionalProperties",
                    "description",
                    "format",
                    "default",
                    "nullable",
                    "discriminator",
                    "readOnly",
                    "writeOnly",
                    "xml",
                    "externalDocs",
                    "example",
                    "deprecated",
                ],
                Kind::Components => &[
                    "schemas",
                    "responses",
                    "parameters",
                    "examples",
                    "requestBodies",
                    "headers",
                    "securitySchemes",
                    "links",
                    "callbacks",
                ],
                Kind::SecurityScheme => &[
                    "type",
                    "description",
                    "name",
                    "in",
                    "scheme",
                    "bearerFormat",
                    "flows",
                    "openIdConnectUrl",
                ],
                Kind::Paths | Kind::Responses | Kind::Callback => &[],
            }
        }

        /// The kind as the spec's text calls it, for messages.
        fn describe(self) -> &'static str {
            match self {
                Kind::Document => "the document",
                Kind::Paths => "`paths`",
                Kind::PathItem => "a path item",
                Kind::Operation => "an operation",
                Kind::Parameter => "a parameter",
                Kind::RequestBody => "a request body",
                Kind::Responses => "`responses`",
                Kind::Response => "a response",
                Kind::MediaType => "a media type",
                Kind::Header => "a header",
                Kind::Schema => "a schema",
                Kind::Components => "`components`",
                Kind::SecurityScheme => "a security scheme",
                Kind::Callback => "a callback",
            }
        }

        /// Deserializes `node` as this kind's `openapiv3` type.
        fn check(self, node: &Value) -> Result<(), serde_path_to_error::Error<serde_json::Error>> {
            use openapiv3::ReferenceOr;
            fn check<T: DeserializeOwned>(
                node: &Value,
            ) -> Result<(), serde_path_to_error::Error<serde_json::Error>> {
                serde_path_to_error::deserialize::<_, T>(node).map(drop)
            }
            match self {
                Kind::Document => check::<openapiv3::OpenAPI>(node),
                Kind::Paths => check::<openapiv3::Paths>(node),
                Kind::PathItem => check::<ReferenceOr<openapiv3::PathItem>>(node),
                Kind::Operation => check::<openapiv3::Operation>(node),
                Kind::Parameter => check::<ReferenceOr<openapiv3::Parameter>>(node),
                Kind::RequestBody => check::<ReferenceOr<openapiv3::RequestBody>>(node),
                Kind::Responses => check::<openapiv3::Responses>(node),
                Kind::Response => check::<ReferenceOr<openapiv3::Response>>(node),
                Kind::MediaType => check::<openapiv3::MediaType>(node),
                Kind::Header => check::<ReferenceOr<openapiv3::Header>>(node),
                Kind::Schema => check::<ReferenceOr<openapiv3::Schema>>(node),
                Kind::Components => check::<openapiv3::Components>(node),
                Kind::SecurityScheme => check::<ReferenceOr<openapiv3::SecurityScheme>>(node),
                Kind::Callback => check::<ReferenceOr<openapiv3::Callback>>(node),
            }
        }

        /// The children of `node` that have a kind, each with its pointer relative to
        /// `node`, in document order.
        pub(crate) fn children(self, node: &Value) -> Vec<(Kind, String, &Value)> {
            let mut out = Vec::new();
            let Value::Object(map) = node else {
                return out;
            };
            if self.referable() && map.contains_key("$ref") {
                return out;
            }
            let one = |out: &mut Vec<_>, kind: Kind, key: &str| {
                if let Some(child) = map.get(key) {
                    out.push((kind, pointer([key]), child));
                }
            };
            let each = |out: &mut Vec<_>, kind: Kind, key: &str| {
                if let Some(Value::Object(children)) = map.get(key) {
                    for (name, child) in children {
                        out.push((kind, pointer([key, name]), child));
                    }
                }
            };
            let items = |out: &mut Vec<_>, kind: Kind, key: &str| {
                if let Some(Value::Array(children)) = map.get(key) {
                    for (index, child) in children.iter().enumerate() {
                        out.push((kind, pointer([key, &index.to_string()]), child));
                    }
                }
            };
            match self {
                Kind::Document => {
                    one(&mut out, Kind::Paths, "paths");
                    one(&mut out, Kind::Components, "components");
                }
                Kind::Paths => {
                    for (path, child) in map.iter().filter(|(k, _)| k.starts_with('/')) {
                        out.push((Kind::PathItem, pointer([path.as_str()]), child));
                    }
                }
                Kind::PathItem => {
                    items(&mut out, Kind::Parameter, "parameters");
                    for method in METHODS {
                        one(&mut out, Kind::Operation, method);
                    }
                }
                Kind::Operation => {
                    items(&mut out, Kind::Parameter, "parameters");
                    one(&mut out, Kind::RequestBody, "requestBody");
                    one(&mut out, Kind::Responses, "responses");
                    each(&mut out, Kind::Callback, "callbacks");
                }
                Kind::Callback => {
                    for (expression, child) in map {
                        out.push((Kind::PathItem, pointer([expression.as_str()]), child));
                    }
                }
                Kind::Responses => {
                    for (code, child) in map.iter().filter(|(k, _)| !k.starts_with("x-")) {
                        out.push((Kind::Response, pointer([code.as_str()]), child));
                    }
                }
                Kind::Response => {
                    each(&mut out, Kind::Header, "headers");
                    each(&mut out, Kind::MediaType, "content");
                }
                Kind::RequestBody => each(&mut out, Kind::MediaType, "content"),
                Kind::MediaType => {
                    one(&mut out, Kind::Schema, "schema");
                    if let Some(Value::Object(encodings)) = map.get("encoding") {
                        for (property, encoding) in encodings {
                            if let Some(Value::Object(headers)) = encoding.get("headers") {
                                for (name, child) in headers {
                                    let at = pointer(["encoding", property, "headers", name]);
                                    out.push((Kind::Header, at, child));
                                }
                            }
                        }
                    }
                }
                Kind::Parameter | Kind::Header => {
                    one(&mut out, Kind::Schema, "schema");
                    each(&mut out, Kind::MediaType, "content");
                }
                Kind::Schema => {
                    items(&mut out, Kind::Schema, "allOf");
                    items(&mut out, Kind::Schema, "oneOf");
                    items(&mut out, Kind::Schema, "anyOf");
                    one(&mut out, Kind::Schema, "not");
                    each(&mut out, Kind::Schema, "properties");
                    // `items` and `additionalProperties` may also be a list or a boolean,
                    // which the schema's own check reports.
                    for key in ["items", "additionalProperties"] {
                        if map.get(key).is_some_and(Value::is_object) {
                            one(&mut out, Kind::Schema, key);
                        }
                    }
                }
                Kind::Components => {
                    each(&mut out, Kind::Schema, "schemas");
                    each(&mut out, Kind::Response, "responses");
                    each(&mut out, Kind::Parameter, "parameters");
                    each(&mut out, Kind::RequestBody, "requestBodies");
                    each(&mut out, Kind::Header, "headers");
                    each(&mut out, Kind::SecurityScheme, "securitySchemes");
                    each(&mut out, Kind::Callback, "callbacks");
                }
                Kind::SecurityScheme => {}
            }
            out
        }
    }

    /// Deserializes the document, or names the node that breaks it: the first one, children
    /// before their parent, that does not deserialize as its kind (see [`first_failure`]).
    ///
    /// `depth` is the document's deepest nesting of referable nodes, from [`dropped`]. A
    /// document that is not too deep is first deserialized in one go, the fast way for a
    /// valid one (a fifth of the time of the search, which deserializes each node again at
    /// each level above it); the search runs only when that fails. A deeper document goes
    /// straight to the search, because a failure under n referable levels costs 2^n
    /// attempts in one go (see [`first_failure`]).
    pub fn document(value: &Value, depth: usize) -> Result<openapiv3::OpenAPI, (String, String)> {
        use serde::Deserialize;
        if depth <= FAST_DEPTH {
            if let Ok(document) = openapiv3::OpenAPI::deserialize(value) {
                return Ok(document);
            }
        }
        for (kind, at, child) in Kind::Document.children(value) {
            if let Some(failure) = first_failure(kind, child, &at) {
                return Err(failure);
            }
        }
        serde_path_to_error::deserialize(value).map_err(|error| failure(value, "", &error))
    }

    /// The first node under `node` (at pointer `at`), children before their parent, that
    /// does not deserialize as its kind, as its pointer and the deserializer's message.
    ///
    /// Children come first because that is what keeps this fast: `openapiv3` tries a
    /// `ReferenceOr`'s item type twice when it fails, so a failure n references deep costs
    /// 2^n attempts when deserialized from the top (seconds at n = 20), while a parent whose
    /// children all deserialize costs one pass.
    fn first_failure(kind: Kind, node: &Value, at: &str) -> Option<(String, String)> {
        for (child_kind, relative, child) in kind.children(node) {
            if let Some(found) = first_failure(child_kind, child, &format!("{at}{relative}")) {
                return Some(found);
            }
        }
        let error = kind.check(node).err()?;
        Some(failure(node, at, &error))
    }

    /// Where in `node` (at pointer `at`) deserializing failed, and the message: the place
    /// the deserializer names, narrowed to the one value the message complains about when
    /// that value can be found.
    fn failure(
        node: &Value,
        at: &str,
        error: &serde_path_to_error::Error<serde_json::Error>,
    ) -> (String, String) {
        let message = error.inner().to_string();
        let (inside, target) = existing_pointer(node, error.path());
        let narrowed = complained_about(&message)
            .and_then(|wanted| find(target, &wanted))
            .unwrap_or_default();
        (format!("{at}{inside}{narrowed}"), message)
    }

    /// What serde's message says was found: `invalid type: string "yes", expected ...`
    /// gives `string "yes"`, and `unknown variant `body`, expected ...` gives `string
    /// "body"` (spelled as [`describe`] spells values).
    fn complained_about(message: &str) -> Option<String> {
        if let Some(rest) = message.strip_prefix("unknown variant `") {
            return Some(describe(&Value::String(rest.split_once('`')?.0.to_owned())));
        }
        let rest = message
            .strip_prefix("invalid type: ")
            .or_else(|| message.strip_prefix("invalid value: "))?;
        Some(rest.split_once(", expected")?.0.to_owned())
    }

    /// The pointer, relative to `node`, of the one value under it that `describe`s as
    /// `wanted`; `None` when there is none or several. Containers and nulls, which say
    /// nothing about which one is meant, are looked for among the direct children only.
    fn find(node: &Value, wanted: &str) -> Option<String> {
        fn walk(node: &Value, at: String, wanted: &str, deep: bool, found: &mut Vec<String>) {
            let children: Vec<(String, &Value)> = match node {
                Value::Object(map) => map
                    .iter()
                    .map(|(k, v)| (pointer([k.as_str()]), v))
                    .collect(),
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (pointer([i.to_string().as_str()]), v))
                    .collect(),
                _ => return,
            };
            for (relative, child) in children {
                let here = format!("{at}{relative}");
                if describe(child) == wanted {
                    found.push(here.clone());
                }
                if deep {
                    walk(child, here, wanted, deep, found);
                }
            }
        }
        let deep = !matches!(wanted, "sequence" | "map" | "unit value");
        let mut found = Vec::new();
        walk(node, String::new(), wanted, deep, &mut found);
        match found.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        }
    }

    /// The first thing under `node` that `openapiv3` would silently ignore rather than
    /// refuse: a path that does not start with `/`, a response under a key that is not a
    /// status code, a `$ref` that is not a string (which makes a schema accept anything).
    ///
    /// Without one, the deepest nesting of referable nodes under `node`, counting `node`:
    /// how many `ReferenceOr` levels deserializing it goes through.
    pub fn dropped(kind: Kind, node: &Value, at: &str) -> Result<usize, (String, String)> {
        let own = usize::from(kind.referable());
        let Value::Object(map) = node else {
            return Ok(own);
        };
        if let Some(problem) = own_problem(kind, map, at) {
            return Err(problem);
        }
        let mut deepest = 0;
        for (child_kind, relative, child) in kind.children(node) {
            deepest = deepest.max(dropped(child_kind, child, &format!("{at}{relative}"))?);
        }
        Ok(own + deepest)
    }

    fn own_problem(kind: Kind, map: &Map<String, Value>, at: &str) -> Option<(String, String)> {
        let key_at = |key: &str| format!("{at}{}", pointer([key]));
        if kind.referable() {
            if let Some(reference) = map.get("$ref").filter(|r| !r.is_string()) {
                return Some((
                    key_at("$ref"),
                    format!(
                        "`$ref` must be a string such as \"#/components/schemas/Name\", not {}",
                        describe(reference)
                    ),
                ));
            }
        }
        match kind {
            Kind::Paths => map
                .keys()
                .find(|path| !path.starts_with('/') && !path.starts_with("x-"))
                .map(|path| {
                    (
                        key_at(path),
                        format!("the path `{path}` must start with `/`"),
                    )
                }),
            Kind::Responses => map
                .keys()
                .find(|code| {
                    *code != "default" && !code.starts_with("x-") && !is_status_code(code)
                })
                .map(|code| {
                    (
                        key_at(code),
                        format!(
                            "`{code}` is not a response status: expected `default`, a code from 100 to 599 or a range from `1XX` to `5XX`"
                        ),
                    )
                }),
            Kind::Callback => None,
            // Beside `$ref`, OpenAPI 3.0 ignores every other key.
            _ if kind.referable() && map.contains_key("$ref") => None,
            _ => {
                let known = kind.fields();
                let unknown = map
                    .keys()
                    .find(|key| !key.starts_with("x-") && !known.contains(&key.as_str()))?;
                let mut message = format!(
                    "`{unknown}` is not a field of {}: openapiv3 would ignore it",
                    kind.describe()
                );
                // JSON Schema keywords that OpenAPI 3.0 schemas do not have (3.1 does).
                let instead = match (kind, unknown.as_str()) {
                    (Kind::Schema, "const") => Some("an `enum` of one value"),
                    (Kind::Schema, "examples") => Some("`example`, which takes one value"),
                    _ => None,
                };
                match (instead, closest(unknown, known)) {
                    (Some(instead), _) => {
                        message.push_str(&format!("; OpenAPI 3.0 has {instead} instead"))
                    }
                    (None, Some(close)) => {
                        message.push_str(&format!("; did you mean `{close}`?"))
                    }
                    (None, None) if known.len() <= 12 => message.push_str(&format!(
                        " (the fields are {}; extensions start with `x-`)",
                        known
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                    (None, None) => message.push_str(&format!(
                        " (it is none of the {} fields OpenAPI 3.0 gives {}; extensions start with `x-`)",
                        known.len(),
                        kind.describe()
                    )),
                }
                Some((key_at(unknown), message))
            }
        }
    }

    /// The known field closest to a misspelt one: the same but for case, or at most two
    /// edits away (and fewer than half its letters).
    pub(super) fn closest<'k>(unknown: &str, known: &[&'k str]) -> Option<&'k str> {
        if let Some(same) = known.iter().find(|k| k.eq_ignore_ascii_case(unknown)) {
            return Some(same);
        }
        known
            .iter()
            .map(|k| (edit_distance(unknown, k), *k))
            .filter(|(distance, k)| *distance <= 2 && *distance * 2 < k.len())
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, k)| k)
    }

    /// Levenshtein distance, by characters.
    fn edit_distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut previous: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut current = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                let substitution = previous[j] + usize::from(ca != *cb);
                current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
            }
            previous = current;
        }
        previous[b.len()]
    }

    /// A key `openapiv3` reads as a status code: three digits from 100 to 999, or a digit
    /// and `XX` in either case.
    pub(super) fn is_status_code(key: &str) -> bool {
        match key.as_bytes() {
            [digit, x, y]
                if digit.is_ascii_digit()
                    && x.eq_ignore_ascii_case(&b'X')
                    && y.eq_ignore_ascii_case(&b'X') =>
            {
                true
            }
            _ => {
                key.len() == 3
                    && key
                        .parse::<u16>()
                        .is_ok_and(|code| (100..1000).contains(&code))
            }
        }
    }
}

/// Parses a spec as JSON or YAML, chosen by the extension of `file_name`, and normalises
/// integers spelled as floats (see [`normalise_integers`]).
///
/// A key given twice in one mapping is an error, in both formats: read into a map, the
/// second would silently replace the first (a second `/things:` would drop the first's
/// operations).
pub fn parse_value(text: &str, file_name: &str) -> Result<Value, SpecError> {
    use serde::de::DeserializeSeed;
    let extension = Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let located = |message: String, line: usize, column: usize| {
        let mut error = SpecError::at("", message);
        error.file = file_name.to_owned();
        error.location = Some((line, column));
        error.excerpt = Some(excerpt(text, line, column));
        error
    };
    let mut spec: Value = match extension.as_deref() {
        Some("json") => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            UniqueKeys
                .deserialize(&mut deserializer)
                .and_then(|value| deserializer.end().map(|()| value))
                .map_err(|e| located(format!("not valid json: {e}"), e.line(), e.column()))?
        }
        Some("yaml" | "yml") => UniqueKeys
            .deserialize(serde_yaml::Deserializer::from_str(text))
            .map_err(|e| {
                let mut message = e.to_string();
                let (mut line, mut column) = e
                    .location()
                    .map(|l| (l.line(), l.column()))
                    .unwrap_or((1, 1));
                // serde_yaml places a repeated key at its mapping; show the repetition.
                let repeated = message
                    .split_once(REPEATED.0)
                    .and_then(|(_, rest)| rest.rsplit_once(REPEATED.1))
                    .and_then(|(key, _)| yaml::repeated_key(text, line, column, key));
                if let Some((first, second)) = repeated {
                    message = message.replace(
                        &format!(" at line {line} column {column}"),
                        &format!(", first at line {} column {}", first.0, first.1),
                    );
                    (line, column) = second;
                }
                located(format!("not valid yaml: {message}"), line, column)
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

/// The message for a repeated key, before and after the key.
const REPEATED: (&str, &str) = ("the key `", "` appears twice in one mapping");

/// Reads a document into a `serde_json::Value` as `Value`'s own `Deserialize` does, except
/// that a mapping with a repeated key is an error rather than keeping the last value.
struct UniqueKeys;

impl<'de> serde::de::DeserializeSeed<'de> for UniqueKeys {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for UniqueKeys {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("any value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    // Integers beyond 64 bits are read as floats, as `serde_json` reads them in JSON, so a
    // YAML spec and its JSON rendering agree (`crate::repair` then says what it makes of
    // such a bound).
    fn visit_i128<E: serde::de::Error>(self, value: i128) -> Result<Value, E> {
        Ok(i64::try_from(value).map_or_else(|_| float(value as f64), Value::from))
    }

    fn visit_u128<E: serde::de::Error>(self, value: u128) -> Result<Value, E> {
        Ok(u64::try_from(value).map_or_else(|_| float(value as f64), Value::from))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(float(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(UniqueKeys)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "{}{key}{}",
                    REPEATED.0, REPEATED.1
                )));
            }
            let value = map.next_value_seed(UniqueKeys)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A float as `Value` reads one: NaN and the infinities, which YAML can spell, become null.
fn float(value: f64) -> Value {
    serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
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
    if let Some((line, column)) = locate_nearest(text, &error.pointer) {
        error.location = Some((line, column));
        error.excerpt = Some(excerpt(text, line, column));
    }
    error
}

/// Where the node at `pointer` starts, or, where it cannot be found (flow-style YAML,
/// anchors), its nearest ancestor that can be: the best place to show, while the pointer
/// still names the node.
pub fn locate_nearest(text: &str, pointer: &str) -> Option<(usize, usize)> {
    Locator::new(text).nearest(pointer)
}

/// How much of a line an excerpt shows: a minified JSON spec is one line of megabytes.
const EXCERPT_WIDTH: usize = 160;

/// The lines around `line` (1-based), numbered, with the line itself marked. Lines longer
/// than [`EXCERPT_WIDTH`] show the window of that width around `column` (1-based, in
/// bytes), with `…` where text is cut off.
pub(crate) fn excerpt(text: &str, line: usize, column: usize) -> String {
    let first = line.saturating_sub(2).max(1);
    text.lines()
        .enumerate()
        .skip(first - 1)
        .take(line + 2 - first + 1)
        .map(|(i, content)| {
            let marker = if i + 1 == line { ">" } else { " " };
            format!("{marker}{:>6} | {}", i + 1, window(content, column))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The part of a long line that an excerpt shows: [`EXCERPT_WIDTH`] bytes (at character
/// boundaries) starting a third of the width before `column`, so the place is seen with
/// what leads up to it and more of what follows.
fn window(content: &str, column: usize) -> String {
    if content.len() <= EXCERPT_WIDTH {
        return content.to_owned();
    }
    let floor = |mut at: usize| {
        while !content.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let wanted = column.saturating_sub(1).saturating_sub(EXCERPT_WIDTH / 3);
    let start = floor(wanted.min(content.len() - EXCERPT_WIDTH));
    let end = floor((start + EXCERPT_WIDTH).min(content.len()));
    let mut out = String::with_capacity(EXCERPT_WIDTH + 8);
    if start > 0 {
        out.push('…');
    }
    out.push_str(&content[start..end]);
    if end < content.len() {
        out.push('…');
    }
    out
}

/// The 1-based line and column where the node at `pointer` starts, in JSON or block-style
/// YAML text. `None` when it cannot be found (flow-style YAML, anchors).
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    Locator::new(text).locate(pointer)
}

/// Locates many nodes in one text, as [`locate`] and [`locate_nearest`] do: in JSON, each
/// object's members are read once for all the pointers, not once per pointer.
pub struct Locator<'a> {
    text: &'a str,
    members: json::Members,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        Locator {
            text,
            members: json::Members::default(),
        }
    }

    /// See [`locate`].
    pub fn locate(&mut self, pointer: &str) -> Option<(usize, usize)> {
        let segments: Vec<String> = match pointer {
            "" => return Some((1, 1)),
            p => p
                .strip_prefix('/')?
                .split('/')
                .map(|s| s.replace("~1", "/").replace("~0", "~"))
                .collect(),
        };
        if self.text.trim_start().starts_with('{') {
            json::locate(self.text, &segments, &mut self.members)
        } else {
            yaml::locate(self.text, &segments)
        }
    }

    /// See [`locate_nearest`].
    pub fn nearest(&mut self, mut pointer: &str) -> Option<(usize, usize)> {
        loop {
            if let Some(found) = self.locate(pointer) {
                return Some(found);
            }
            pointer = &pointer[..pointer.rfind('/')?];
        }
    }
}

/// Locating in JSON: a small scanner that walks values without building them.
mod json {
    use std::collections::HashMap;

    /// The members of the objects read so far, by where each object opens, and where the
    /// text's line breaks are, once a node has been found.
    #[derive(Default)]
    pub struct Members {
        objects: HashMap<usize, Object>,
        line_breaks: Option<Vec<usize>>,
    }

    /// An object's members read so far: each key with where its (first) value starts, and
    /// where reading goes on.
    #[derive(Default)]
    pub struct Object {
        seen: HashMap<String, usize>,
        next: Next,
    }

    #[derive(Default, Clone, Copy)]
    enum Next {
        /// Nothing read yet.
        #[default]
        Start,
        /// After the value starting here.
        After(usize),
        /// At the end of the object, or where it stops being well-formed.
        Done,
    }

    pub fn locate(
        text: &str,
        segments: &[String],
        members: &mut Members,
    ) -> Option<(usize, usize)> {
        let bytes = text.as_bytes();
        let mut at = skip_ws(bytes, 0);
        for segment in segments {
            at = match bytes.get(at)? {
                b'{' => member(bytes, at, segment, members.objects.entry(at).or_default())?,
                b'[' => element(bytes, at, segment.parse().ok()?)?,
                _ => return None,
            };
        }
        let breaks = members.line_breaks.get_or_insert_with(|| {
            bytes
                .iter()
                .enumerate()
                .filter_map(|(i, &b)| (b == b'\n').then_some(i))
                .collect()
        });
        // The 1-based line, and the 1-based column in bytes.
        let offset = at.min(bytes.len());
        let before = breaks.partition_point(|&nl| nl < offset);
        let column = match before {
            0 => offset,
            n => offset - breaks[n - 1] - 1,
        };
        Some((before + 1, column + 1))
    }

    /// Where the value of `key` starts in the object opening at `open`, reading its members
    /// only as far as needed and once.
    fn member(bytes: &[u8], open: usize, key: &str, object: &mut Object) -> Option<usize> {
        if let Some(&at) = object.seen.get(key) {
            return Some(at);
        }
        let found = read_members(bytes, open, key, object);
        if found.is_none() {
            object.next = Next::Done;
        }
        found
    }

    fn read_members(bytes: &[u8], open: usize, key: &str, object: &mut Object) -> Option<usize> {
        let mut at = match object.next {
            Next::Start => skip_ws(bytes, open + 1),
            Next::After(value) => {
                let mut at = skip_ws(bytes, skip_value(bytes, value)?);
                if bytes.get(at) == Some(&b',') {
                    at = skip_ws(bytes, at + 1);
                }
                at
            }
            Next::Done => return None,
        };
        while bytes.get(at)? != &b'}' {
            let key_start = at;
            let key_end = skip_value(bytes, at)?;
            let name: String = serde_json::from_slice(&bytes[key_start..key_end]).ok()?;
            at = skip_ws(bytes, key_end);
            if bytes.get(at)? != &b':' {
                return None;
            }
            at = skip_ws(bytes, at + 1);
            object.next = Next::After(at);
            let found = name == key;
            object.seen.entry(name).or_insert(at);
            if found {
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
        // A plain key ends at the first `: ` (or a `:` ending the line): `/a/{id}:cancel:`
        // is the key `/a/{id}:cancel`.
        let end = content
            .find(": ")
            .or_else(|| content.find(":\t"))
            .or_else(|| content.strip_suffix(':').map(str::len))?;
        Some(content[..end].trim_end().to_owned())
    }

    /// Where `key` appears first and second in the block mapping whose first key is at
    /// `line` and `column` (1-based), which is where `serde_yaml` reports a repeated key.
    pub fn repeated_key(
        text: &str,
        line: usize,
        column: usize,
        key: &str,
    ) -> Option<((usize, usize), (usize, usize))> {
        let indent = column.checked_sub(1)?;
        let mut first = None;
        for (number, raw) in text.lines().enumerate().skip(line.checked_sub(1)?) {
            let content = if number + 1 == line {
                raw.get(indent..)?
            } else {
                let content = raw.trim_start();
                if content.is_empty() || content.starts_with('#') {
                    continue;
                }
                match raw.len() - content.len() {
                    i if i < indent => return None,
                    i if i > indent => continue,
                    _ => content,
                }
            };
            if key_of(content).as_deref() == Some(key) {
                match first {
                    None => first = Some((number + 1, column)),
                    Some(first) => return Some((first, (number + 1, column))),
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn excerpts_of_long_lines_show_a_window_around_the_column() {
        // A minified spec: one line, the error deep inside it.
        let padding = "x".repeat(100_000);
        let text = format!(
            "{{\"openapi\": \"3.0.1\", \"x-padding\": \"{padding}\", \"info\": 7, \"x-more\": \"{padding}\"}}"
        );
        let error = load(&text, "min.json").unwrap_err();
        let excerpt = error.excerpt.expect("an excerpt");
        assert!(excerpt.len() < 400, "{} bytes: {excerpt}", excerpt.len());
        assert!(excerpt.starts_with(">     1 | …"), "{excerpt}");
        assert!(excerpt.ends_with('…'), "{excerpt}");
        assert!(excerpt.contains("\"info\": 7"), "{excerpt}");
        let (line, column) = error.location.expect("a location");
        assert_eq!((line, &text[column - 9..column]), (1, "\"info\": 7"));

        // Near either end, the window starts or ends with the line; multi-byte characters
        // are never cut.
        let line = format!("ab{}", "é".repeat(200));
        let start = window(&line, 1);
        assert!(start.starts_with("abé") && start.ends_with('…'), "{start}");
        let end = window(&line, line.len());
        assert!(end.starts_with('…') && end.ends_with('é'), "{end}");
        assert_eq!(window("short", 3), "short");
    }

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

    #[test]
    fn documents_read_as_value_reads_them() {
        let yaml = "a: 1\nb: -2\nc: 18446744073709551615\nd: 1.5\ne: .nan\nf: ~\ng: [x, 'y', \"z\"]\n200: {h: true}\nbase: &base {i: 1}\nj: *base\nk: 1e400\n";
        let mut expected: Value = serde_yaml::from_str(yaml).unwrap();
        normalise_integers(&mut expected);
        assert_eq!(parse_value(yaml, "spec.yaml").unwrap(), expected);
        let json = r#"{"a": 1, "b": [1.5, -0.0, 123456789012345678901234567890, null, "s\u00e9"], "c": {"d": {}}}"#;
        let mut expected: Value = serde_json::from_str(json).unwrap();
        normalise_integers(&mut expected);
        assert_eq!(parse_value(json, "spec.json").unwrap(), expected);
    }

    #[test]
    fn a_repeated_key_is_refused_where_it_repeats() {
        let yaml = "openapi: 3.0.1\npaths:\n  /a:\n    get: {}\n  # a comment\n  /b: {}\n  /a:\n    put: {}\n";
        let error = parse_value(yaml, "spec.yaml").unwrap_err();
        assert_eq!(error.location, Some((7, 3)), "{error}");
        assert!(error.message.contains("`/a`"), "{error}");
        assert!(
            error.message.contains("first at line 3 column 3"),
            "{error}"
        );
        let in_a_list = "items:\n  - name: a\n    name: b\n";
        let error = parse_value(in_a_list, "spec.yaml").unwrap_err();
        assert_eq!(error.location, Some((3, 5)), "{error}");
        let json = "{\"a\": 1,\n \"a\": 2}";
        let error = parse_value(json, "spec.json").unwrap_err();
        assert_eq!(error.location.map(|(line, _)| line), Some(2), "{error}");
        // The same key in different mappings is no repetition.
        assert!(parse_value("a: {x: 1}\nb: {x: 1}\n", "spec.yaml").is_ok());
    }

    #[test]
    fn errors_name_the_node_openapiv3_complains_about() {
        let yaml = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: x, in: query, schema: {type: string}}\n        - name: y\n          in: query\n          allowEmptyValue: sometimes\n      responses: {}\n";
        let error = load(yaml, "spec.yaml").unwrap_err();
        assert_eq!(error.pointer, "/paths/~1a/get/parameters/1/allowEmptyValue");
        assert_eq!(error.location, Some((10, 11)));
        let not_a_string = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: [B]\n";
        let error = load(not_a_string, "spec.yaml").unwrap_err();
        assert_eq!(error.pointer, "/components/schemas/A/$ref");
        // A property may be called `$ref`: only a schema's own `$ref` is a reference.
        let property = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        $ref: {type: string}\n";
        assert!(load(property, "spec.yaml").is_ok());
    }

    #[test]
    fn an_error_in_flow_style_is_shown_at_the_nearest_line_found() {
        let yaml = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {responses: {'200': {}}}}}\n";
        let error = load(yaml, "spec.yaml").unwrap_err();
        assert_eq!(error.pointer, "/paths/~1a/get/responses/200");
        assert_eq!(error.location, Some((3, 1)));
    }

    #[test]
    fn keys_with_colons_are_found() {
        let yaml = "paths:\n  /a/{id}:cancel:\n    post: {}\n";
        assert_eq!(locate(yaml, "/paths/~1a~1{id}:cancel/post"), Some((3, 5)));
    }

    #[test]
    fn one_locator_finds_what_fresh_ones_do() {
        let json = "{\"a\": {\"x\": 1,\n \"y\": [2, {\"z\": 3}], \"x\": 4},\n\"b\": {\"w\": \"}\"}, \"c\": {}}";
        let pointers = [
            "/b/w", "/a/y/1/z", "/a/x", "/a/v", "/a/y", "/c", "/b", "/a/x", "/d", "/b/v", "",
        ];
        let mut locator = Locator::new(json);
        for pointer in pointers {
            assert_eq!(locator.locate(pointer), locate(json, pointer), "{pointer}");
            assert_eq!(
                locator.nearest(pointer),
                locate_nearest(json, pointer),
                "{pointer}"
            );
        }
        assert_eq!(locate(json, "/a/y/1/z"), Some((2, 17)));
        assert_eq!(locate(json, "/b/w"), Some((3, 12)));
    }

    #[test]
    fn status_codes_as_openapiv3_reads_them() {
        for code in ["200", "999", "2XX", "4xx"] {
            assert!(grammar::is_status_code(code), "{code}");
        }
        for code in ["2000", "099", "20", "OK", "+12", "2X", "XXX", "２００"] {
            assert!(!grammar::is_status_code(code), "{code}");
        }
    }

    /// A spec whose one component schema nests `levels` schemas, the innermost `leaf`.
    fn nested_spec(levels: usize, leaf: &str) -> String {
        let mut schema = leaf.to_owned();
        for i in 1..levels {
            schema = match i % 2 {
                1 => format!(r#"{{"type": "array", "items": {schema}}}"#),
                _ => format!(r#"{{"type": "object", "properties": {{"p": {schema}}}}}"#),
            };
        }
        format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{"Deep": {schema}}}}}}}"#
        )
    }

    #[test]
    fn a_deep_error_is_found_without_trying_each_level_twice() {
        // From the top, openapiv3 would try 2^30 times; children first, it is one pass.
        let spec = nested_spec(31, r#"{"type": "string", "minLength": -1}"#);
        let error = load(&spec, "spec.json").unwrap_err();
        assert!(error.pointer.ends_with("/items/minLength"), "{error}");
        assert_eq!(error.location.map(|(line, _)| line), Some(1));
    }

    #[test]
    fn misspelt_fields_are_matched_to_the_closest_known_one() {
        let closest = |unknown: &str| grammar::closest(unknown, grammar::Kind::Parameter.fields());
        assert_eq!(closest("requried"), Some("required"));
        assert_eq!(closest("Schema"), Some("schema"));
        assert_eq!(closest("explod"), Some("explode"));
        // Short names are too easy to reach: `on` is one edit from `in` but not a typo of it.
        assert_eq!(closest("on"), None);
        assert_eq!(closest("validation"), None);
    }

    #[test]
    fn nesting_is_measured_and_both_ways_of_deserializing_agree() {
        let leaf = r#"{"type": "string"}"#;
        for levels in [1, 2, grammar::FAST_DEPTH, grammar::FAST_DEPTH + 1] {
            let value: Value = serde_json::from_str(&nested_spec(levels, leaf)).unwrap();
            let depth = grammar::dropped(grammar::Kind::Document, &value, "").unwrap();
            assert_eq!(depth, levels);
            // At and below FAST_DEPTH in one go, above it by the search: the same document.
            let in_one_go: openapiv3::OpenAPI = serde_json::from_value(value.clone()).unwrap();
            assert_eq!(grammar::document(&value, depth).unwrap(), in_one_go);
            assert_eq!(grammar::document(&value, usize::MAX).unwrap(), in_one_go);
            // Broken at the bottom, on either side of FAST_DEPTH: the same place.
            let broken = nested_spec(levels, r#"{"type": "string", "minLength": -1}"#);
            let error = load(&broken, "spec.json").unwrap_err();
            assert!(error.pointer.ends_with("/minLength"), "{levels}: {error}");
            assert!(
                error.message.contains("invalid value: integer `-1`"),
                "{error}"
            );
        }
    }
}
