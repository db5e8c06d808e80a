//! `cargo xtask fragment`: cut a self-contained OpenAPI 3.0 fragment out of a full spec.
//!
//! ```text
//! cargo xtask fragment --spec FILE --operations ID[,ID...] [--tags TAG[,TAG...]] [--out FILE]
//! ```
//!
//! The fragment keeps the selected operations (named by operationId, or carrying one of the
//! named tags), the path-level keys of their path items, the tag objects they use, every other
//! top-level key unchanged, and exactly the components the selection reaches: transitively
//! through `$ref`, through discriminator mappings, and through security requirements. Nothing
//! is rewritten and the original key order is kept everywhere, so a fragment diffs cleanly
//! against the spec it came from and a generator sees the same input it would see in the full
//! spec.
//!
//! Only OpenAPI's own references are followed: a `$ref` key inside an `x-` extension or in
//! data (`example`, `default`, `enum`) is not one. A reference that cannot be followed
//! (to another file, to nothing) is kept as it is and reported with its place in the spec;
//! a generator reading the fragment meets it as it would in the whole spec. Since a JSON
//! pointer names the same node in the fragment and in the spec, [`relocate`] shows an
//! error found in the fragment at its line in the spec.
//!
//! The YAML renderings of the published specs spell some integers as floats
//! (`minimum: 1.1991456e+09` on an `integer` schema), so `generator::load::parse_value`
//! normalises them: a fragment cut from the YAML then equals one cut from the JSON.
//!
//! The pure steps (`generator::load::parse_value`, [`extract`], [`header`], [`render`]) do no file IO, so tests
//! call them directly; [`run`] only parses arguments, reads the spec and writes the output.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::Path;

use serde_json::{Map, Value};

mod yaml;

const USAGE: &str = "usage: cargo xtask fragment --spec FILE --operations ID[,ID...] \
[--tags TAG[,TAG...]] [--out FILE]

  --spec FILE        the full spec, .json or .yaml/.yml
  --operations IDS   comma-separated operationIds to keep
  --tags TAGS        comma-separated tags: keep every operation carrying one of them
  --out FILE         write the fragment here instead of to stdout

At least one of --operations and --tags is required.";

/// The keys of a path item that hold operations; every other key (`parameters`, `summary`,
/// `servers`, `x-` extensions, ...) belongs to the path item itself.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Runs `cargo xtask fragment` with the arguments that follow the command name.
pub fn run(args: &[String]) -> Result<(), String> {
    let options = parse_args(args)?;
    let operation_ids = split_list(options.operations.as_deref(), "--operations")?;
    let tags = split_list(options.tags.as_deref(), "--tags")?;

    let text = std::fs::read_to_string(&options.spec)
        .map_err(|e| format!("cannot read {}: {e}", options.spec))?;
    let spec = generator::load::parse_value(&text, &options.spec).map_err(|e| e.to_string())?;
    let Extracted {
        fragment,
        unresolved,
    } = extract_reporting(&spec, &operation_ids, &tags)?;
    for (pointer, message) in unresolved {
        eprintln!(
            "warning: kept as it is: {}",
            located(pointer, message, &text, &options.spec)
        );
    }
    let header = header(
        &options.spec,
        &spec,
        options.operations.as_deref(),
        options.tags.as_deref(),
    )?;
    let output = render(&fragment, &header)?;

    match &options.out {
        Some(out) => {
            std::fs::write(out, &output).map_err(|e| format!("cannot write {out}: {e}"))?;
            eprintln!("wrote {out} ({})", summary(&fragment));
        }
        // Writing through `io::stdout` instead of `print!` turns a closed pipe into an error
        // rather than a panic.
        None => std::io::stdout()
            .write_all(output.as_bytes())
            .map_err(|e| format!("cannot write to stdout: {e}"))?,
    }
    Ok(())
}

/// A message about the node at `pointer` of the spec `text`, with its line, column and
/// the lines around it.
fn located(pointer: String, message: String, text: &str, file_name: &str) -> generator::SpecError {
    let error = generator::SpecError {
        file: String::new(),
        pointer,
        location: None,
        message,
        excerpt: None,
    };
    generator::load::locate_error(error, text, file_name)
}

/// An error found in a fragment, located in the spec it was cut from instead: the
/// fragment keeps the spec's paths and component names, so a JSON pointer means the same
/// node in both, except in the `tags` list, which the fragment filters (its entries are
/// found again by name). The line and column the error had referred to the fragment's
/// own text, which no one reads.
pub fn relocate(
    mut error: generator::SpecError,
    fragment: &Value,
    spec: &Value,
    text: &str,
    file_name: &str,
) -> generator::SpecError {
    let tag = error
        .pointer
        .strip_prefix("/tags/")
        .map(|rest| rest.split_once('/').unwrap_or((rest, "")));
    if let Some((index, rest)) = tag {
        let name = fragment
            .pointer(&format!("/tags/{index}/name"))
            .and_then(Value::as_str);
        let original = spec.get("tags").and_then(Value::as_array).and_then(|tags| {
            tags.iter()
                .position(|tag| tag.get("name").and_then(Value::as_str) == name)
        });
        if let Some(original) = original {
            error.pointer = if rest.is_empty() {
                format!("/tags/{original}")
            } else {
                format!("/tags/{original}/{rest}")
            };
        }
    }
    error.location = None;
    error.excerpt = None;
    generator::load::locate_error(error, text, file_name)
}

/// The command-line options, each exactly as given so that the header can repeat them.
#[derive(Debug, Default, PartialEq)]
struct Options {
    spec: String,
    operations: Option<String>,
    tags: Option<String>,
    out: Option<String>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut spec = None;
    let mut operations = None;
    let mut tags = None;
    let mut out = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        // Both `--spec FILE` and `--spec=FILE` are accepted, as with most command-line tools.
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let slot = match name {
            "--spec" => &mut spec,
            "--operations" => &mut operations,
            "--tags" => &mut tags,
            "--out" => &mut out,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ => return Err(format!("unknown argument `{arg}`\n\n{USAGE}")),
        };
        let value = match inline {
            Some(value) => value,
            // A following option means the value was forgotten, not that it is the value.
            None => match args.next() {
                Some(value) if !value.starts_with("--") => value.clone(),
                _ => return Err(format!("{name} needs a value\n\n{USAGE}")),
            },
        };
        if slot.is_some() {
            return Err(format!("{name} is given more than once"));
        }
        *slot = Some(value);
    }
    let Some(spec) = spec else {
        return Err(format!("--spec is required\n\n{USAGE}"));
    };
    if operations.is_none() && tags.is_none() {
        return Err(format!(
            "select operations with --operations, --tags or both\n\n{USAGE}"
        ));
    }
    Ok(Options {
        spec,
        operations,
        tags,
        out,
    })
}

/// Splits a comma-separated option value; an empty item is almost certainly a typo, so it is
/// an error rather than silently ignored.
fn split_list(raw: Option<&str>, option: &str) -> Result<Vec<String>, String> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(|item| {
            let item = item.trim();
            if item.is_empty() {
                Err(format!("{option} has an empty item in `{raw}`"))
            } else {
                Ok(item.to_owned())
            }
        })
        .collect()
}

/// Cuts the fragment out of `spec`: the operations whose operationId is in `operation_ids`
/// plus those carrying any tag in `tags`, and everything they need (see the module docs).
///
/// Every listed operationId and tag must match at least one operation, so that a typo fails
/// loudly instead of producing a smaller fragment. A reference that cannot be followed is
/// left as it is (see [`Extracted::unresolved`]).
pub fn extract(spec: &Value, operation_ids: &[String], tags: &[String]) -> Result<Value, String> {
    extract_reporting(spec, operation_ids, tags).map(|extracted| extracted.fragment)
}

/// A fragment, and what in it could not be followed.
#[derive(Debug)]
pub struct Extracted {
    pub fragment: Value,
    /// References that point outside the document, nowhere, or outside `components`, and
    /// security requirements naming an undeclared scheme, each as the JSON pointer where
    /// it sits in the spec and a message. The fragment keeps them as the spec has them, so
    /// a generator reading the fragment reports them as it would in the whole spec.
    pub unresolved: Vec<(String, String)>,
}

/// [`extract`], with what could not be followed.
pub fn extract_reporting(
    spec: &Value,
    operation_ids: &[String],
    tags: &[String],
) -> Result<Extracted, String> {
    let root = spec
        .as_object()
        .ok_or("the spec is not an openapi document (not an object)")?;
    if operation_ids.is_empty() && tags.is_empty() {
        return Err("no operations selected: give at least one operationId or tag".to_owned());
    }
    let paths = root
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("the spec has no paths object")?;

    let mut seen_ids = HashSet::new();
    let mut seen_tags = HashSet::new();
    let mut used_tags = HashSet::new();
    // Each security requirement object, with the pointer where it sits, for error messages.
    let mut requirements: Vec<(String, &Map<String, Value>)> = Vec::new();
    let mut kept_paths = Map::new();

    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        let mut kept_methods = HashSet::new();
        for (method, operation) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(operation) = operation.as_object() else {
                continue;
            };
            let id = operation.get("operationId").and_then(Value::as_str);
            let op_tags: Vec<&str> = operation
                .get("tags")
                .and_then(Value::as_array)
                .map(|t| t.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let by_id = id.filter(|id| operation_ids.iter().any(|want| want == id));
            let by_tags: Vec<&str> = op_tags
                .iter()
                .copied()
                .filter(|t| tags.iter().any(|want| want == t))
                .collect();
            if by_id.is_none() && by_tags.is_empty() {
                continue;
            }
            seen_ids.extend(by_id);
            seen_tags.extend(by_tags);
            used_tags.extend(op_tags);
            kept_methods.insert(method.as_str());
            if let Some(Value::Array(security)) = operation.get("security") {
                let at = format!("/paths/{}/{}/security", escape(path), escape(method));
                for (i, requirement) in security.iter().enumerate() {
                    if let Some(requirement) = requirement.as_object() {
                        requirements.push((format!("{at}/{i}"), requirement));
                    }
                }
            }
        }
        if kept_methods.is_empty() {
            continue;
        }
        let kept_item: Map<String, Value> = item
            .iter()
            .filter(|(key, _)| {
                !METHODS.contains(&key.as_str()) || kept_methods.contains(key.as_str())
            })
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        kept_paths.insert(path.clone(), Value::Object(kept_item));
    }

    let unknown_ids: Vec<&str> = operation_ids
        .iter()
        .map(String::as_str)
        .filter(|id| !seen_ids.contains(id))
        .collect();
    if !unknown_ids.is_empty() {
        return Err(format!(
            "no operation in the spec has the operationId {}",
            quoted_list(&unknown_ids)
        ));
    }
    let unknown_tags: Vec<&str> = tags
        .iter()
        .map(String::as_str)
        .filter(|t| !seen_tags.contains(t))
        .collect();
    if !unknown_tags.is_empty() {
        return Err(format!(
            "no operation in the spec carries the tag {}",
            quoted_list(&unknown_tags)
        ));
    }

    if let Some(Value::Array(security)) = root.get("security") {
        for (i, requirement) in security.iter().enumerate() {
            if let Some(requirement) = requirement.as_object() {
                requirements.push((format!("/security/{i}"), requirement));
            }
        }
    }

    let components = root.get("components").and_then(Value::as_object);
    let mut closure = Closure {
        spec,
        components,
        needed: HashMap::new(),
        queue: Vec::new(),
        unresolved: Vec::new(),
    };
    for (at, requirement) in requirements {
        for name in requirement.keys() {
            closure.need_security_scheme(name, &at);
        }
    }
    // Refs may sit in the operations, in path-level parameters and in the other top-level
    // objects. Tag objects cannot hold refs, and extensions hold no OpenAPI references.
    let mut at = String::from("/paths");
    closure.walk(
        &Value::Object(kept_paths.clone()),
        &mut at,
        Role::NamesOrExtensions,
    );
    for (key, value) in root {
        let skipped = matches!(key.as_str(), "paths" | "components" | "tags");
        if !skipped && !key.starts_with("x-") {
            let mut at = format!("/{}", escape(key));
            closure.walk(value, &mut at, Role::Object);
        }
    }
    closure.drain();

    // Assemble the fragment in the original top-level order.
    let mut fragment = Map::new();
    for (key, value) in root {
        match key.as_str() {
            "paths" => {
                fragment.insert(key.clone(), Value::Object(kept_paths.clone()));
            }
            "components" => {
                if let Some(kept) = closure.kept_components() {
                    fragment.insert(key.clone(), Value::Object(kept));
                }
            }
            "tags" => {
                let kept = match value {
                    Value::Array(all) => Value::Array(
                        all.iter()
                            .filter(|tag| {
                                tag.get("name")
                                    .and_then(Value::as_str)
                                    .is_some_and(|name| used_tags.contains(name))
                            })
                            .cloned()
                            .collect(),
                    ),
                    other => other.clone(),
                };
                if kept.as_array().is_none_or(|kept| !kept.is_empty()) {
                    fragment.insert(key.clone(), kept);
                }
            }
            _ => {
                fragment.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(Extracted {
        fragment: Value::Object(fragment),
        unresolved: closure.unresolved,
    })
}

/// `` `a`, `b` `` for error messages.
fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The components the fragment needs, found by following references from the selection.
struct Closure<'a> {
    spec: &'a Value,
    components: Option<&'a Map<String, Value>>,
    /// Section (`schemas`, `parameters`, ...) to the names of the components needed from it.
    needed: HashMap<String, HashSet<String>>,
    /// Components needed but not yet searched for references of their own.
    queue: Vec<(String, String)>,
    /// What could not be followed: the pointer where it sits, and why.
    unresolved: Vec<(String, String)>,
}

/// What a node of the document is, which decides where references can be in it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// An OpenAPI object: a string `$ref` in it is a reference. Its `x-` keys are
    /// extensions, whose contents are not OpenAPI and may hold `$ref` keys that are no
    /// references; and `example`, `default`, `enum` and an example's `value` hold data,
    /// which may too. Neither is searched.
    Object,
    /// A map whose keys are names (schema properties, components, media types, headers):
    /// every value is an OpenAPI object, whatever its name (`x-request-id`, `default`).
    Names,
    /// A map whose keys are paths, status codes or callback expressions: every value is
    /// an OpenAPI object, and an `x-` key is an extension.
    NamesOrExtensions,
}

/// The fields of OpenAPI objects that hold data rather than OpenAPI objects.
const DATA: [&str; 4] = ["example", "default", "enum", "value"];

/// The fields of OpenAPI objects whose value, when it is a map, is keyed by names (of
/// properties, components, media types, headers, ...).
const NAMES: [&str; 15] = [
    "properties",
    "headers",
    "content",
    "encoding",
    "links",
    "callbacks",
    "examples",
    "schemas",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "variables",
    "mapping",
    "scopes",
    "responses",
];

impl Role {
    /// The role of the value of `key` in an object.
    fn of_field(key: &str) -> Role {
        match key {
            // Status codes and `default`: the operation's responses (a map of response
            // components is keyed by names, but `default` or `x-` ones are rare enough).
            "responses" => Role::NamesOrExtensions,
            key if NAMES.contains(&key) => Role::Names,
            _ => Role::Object,
        }
    }
}

impl Closure<'_> {
    /// Marks a component as needed; it is queued only the first time, which is what makes
    /// reference cycles (A -> B -> A) terminate.
    fn need(&mut self, section: &str, name: &str) {
        if self
            .needed
            .entry(section.to_owned())
            .or_default()
            .insert(name.to_owned())
        {
            self.queue.push((section.to_owned(), name.to_owned()));
        }
    }

    fn need_security_scheme(&mut self, name: &str, at: &str) {
        let defined = self
            .components
            .and_then(|c| c.get("securitySchemes"))
            .and_then(|s| s.get(name))
            .is_some();
        if defined {
            self.need("securitySchemes", name);
        } else {
            self.unresolved.push((
                at.to_owned(),
                format!(
                    "the security requirement names the scheme `{name}`, \
                     which is not in components.securitySchemes"
                ),
            ));
        }
    }

    /// Searches `value`, which sits at the JSON pointer `at` of the original spec and is
    /// a node of the kind `role` says, for references. `at` is restored before returning,
    /// so one buffer serves the whole walk.
    fn walk(&mut self, value: &Value, at: &mut String, role: Role) {
        let child = |closure: &mut Self, at: &mut String, key: &str, value: &Value, role| {
            let len = at.len();
            at.push('/');
            at.push_str(&escape(key));
            closure.walk(value, at, role);
            at.truncate(len);
        };
        match value {
            Value::Object(map) => {
                if role == Role::Object {
                    // Only a string `$ref` is a reference.
                    if let Some(Value::String(target)) = map.get("$ref") {
                        self.follow_ref(target, at);
                    }
                    self.follow_discriminator(map, at);
                }
                for (key, value) in map {
                    let extension = key.starts_with("x-");
                    let role_of_value = match role {
                        Role::Object if extension || DATA.contains(&key.as_str()) => continue,
                        Role::Object => Role::of_field(key),
                        Role::NamesOrExtensions if extension => continue,
                        Role::Names | Role::NamesOrExtensions => Role::Object,
                    };
                    child(self, at, key, value, role_of_value);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    child(self, at, &i.to_string(), item, Role::Object);
                }
            }
            _ => {}
        }
    }

    /// Resolves a local `$ref` in the original spec and marks the component it lands in;
    /// one that cannot be followed is noted as unresolved.
    fn follow_ref(&mut self, target: &str, at: &str) {
        if let Err(problem) = self.resolve_ref(target) {
            let at = if at.is_empty() { "/" } else { at };
            self.unresolved.push((at.to_owned(), problem));
        }
    }

    fn resolve_ref(&mut self, target: &str) -> Result<(), String> {
        let Some(fragment) = target.strip_prefix('#') else {
            return Err(format!(
                "`$ref` points to `{target}`, outside this document; \
                 only local refs (#/...) are supported"
            ));
        };
        let tokens = decode_pointer(fragment).ok_or_else(|| {
            format!("`$ref` points to `{target}`, which is not a valid json pointer")
        })?;
        if resolve(self.spec, &tokens).is_none() {
            return Err(format!(
                "`$ref` points to `{target}`, which does not exist in the spec"
            ));
        }
        match tokens.as_slice() {
            [components, section, name, ..] if components == "components" => {
                self.need(section, name);
                Ok(())
            }
            _ => Err(format!(
                "`$ref` points to `{target}`; only refs into \
                 #/components/<section>/<name> are supported"
            )),
        }
    }

    /// Follows the values of a discriminator mapping. They name the subtypes that a payload
    /// can select, and in the Atlas spec they are often the only link from a base schema to
    /// its subtypes (which `allOf` the base), so without them the fragment would hold
    /// dangling mapping targets.
    fn follow_discriminator(&mut self, map: &Map<String, Value>, at: &str) {
        let Some(Value::Object(discriminator)) = map.get("discriminator") else {
            return;
        };
        let Some(Value::Object(mapping)) = discriminator.get("mapping") else {
            return;
        };
        for (key, target) in mapping {
            let Some(target) = target.as_str() else {
                continue;
            };
            let at = format!("{at}/discriminator/mapping/{}", escape(key));
            // A mapping value is either a reference or the bare name of a schema.
            if target.starts_with('#') || target.contains('/') {
                self.follow_ref(target, &at);
            } else {
                self.follow_ref(&format!("#/components/schemas/{}", escape(target)), &at);
            }
        }
    }

    /// Searches every needed component for references of its own until nothing new turns up.
    fn drain(&mut self) {
        while let Some((section, name)) = self.queue.pop() {
            // Components are only queued after they resolved, so this lookup succeeds.
            let Some(value) = self
                .components
                .and_then(|c| c.get(&section))
                .and_then(|s| s.get(&name))
            else {
                continue;
            };
            let mut at = format!("/components/{}/{}", escape(&section), escape(&name));
            self.walk(value, &mut at, Role::Object);
        }
    }

    /// The components object of the fragment: sections and components in their original
    /// order, empty sections dropped, `x-` extensions of the components object kept.
    fn kept_components(&self) -> Option<Map<String, Value>> {
        let mut kept = Map::new();
        for (section, members) in self.components? {
            if section.starts_with("x-") {
                kept.insert(section.clone(), members.clone());
                continue;
            }
            let (Some(needed), Some(members)) = (self.needed.get(section), members.as_object())
            else {
                continue;
            };
            let kept_members: Map<String, Value> = members
                .iter()
                .filter(|(name, _)| needed.contains(name.as_str()))
                .map(|(name, member)| (name.clone(), member.clone()))
                .collect();
            if !kept_members.is_empty() {
                kept.insert(section.clone(), Value::Object(kept_members));
            }
        }
        (!kept.is_empty()).then_some(kept)
    }
}

/// Escapes one JSON pointer token (RFC 6901): `~` first, so that the `~` of `~1` survives.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Decodes the fragment of a `$ref` (after `#`) into unescaped JSON pointer tokens: first the
/// URI percent-encoding, then `~1` to `/` and `~0` to `~` in each token.
fn decode_pointer(fragment: &str) -> Option<Vec<String>> {
    let fragment = percent_decode(fragment)?;
    if fragment.is_empty() {
        return Some(Vec::new());
    }
    fragment
        .strip_prefix('/')?
        .split('/')
        .map(unescape)
        .collect()
}

fn unescape(token: &str) -> Option<String> {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn resolve<'v>(root: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    tokens.iter().try_fold(root, |value, token| match value {
        Value::Object(map) => map.get(token),
        Value::Array(items) => {
            // RFC 6901 array indices are plain decimals without leading zeros or signs.
            let canonical = token == "0"
                || (!token.starts_with('0') && token.bytes().all(|b| b.is_ascii_digit()));
            if canonical {
                items.get(token.parse::<usize>().ok()?)
            } else {
                None
            }
        }
        _ => None,
    })
}

/// The comment block that opens a fragment file: where it came from and the command that
/// refreshes it. `operations` and `tags` are the option values exactly as given.
pub fn header(
    spec_path: &str,
    spec: &Value,
    operations: Option<&str>,
    tags: Option<&str>,
) -> Result<String, String> {
    let file_name = Path::new(spec_path)
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or(spec_path);
    let info_field = |field: &str| match spec.get("info").and_then(|info| info.get(field)) {
        Some(Value::String(text)) => Ok(text.clone()),
        // An unquoted YAML `version: 2.0` arrives as a number; it still identifies the spec.
        Some(value @ (Value::Number(_) | Value::Bool(_))) => Ok(value.to_string()),
        _ => Err(format!("the spec has no info.{field} string")),
    };
    let title = info_field("title")?;
    let version = info_field("version")?;
    let mut command = format!("cargo xtask fragment --spec {}", shell_quote(spec_path));
    if let Some(operations) = operations {
        command.push_str(" --operations ");
        command.push_str(&shell_quote(operations));
    }
    if let Some(tags) = tags {
        command.push_str(" --tags ");
        command.push_str(&shell_quote(tags));
    }
    let header = format!(
        "# Fragment of {file_name} ({title} {version}), cut by:\n\
         #   {command}\n\
         # Do not edit by hand: rerun the command above to refresh it.\n"
    );
    // A line break in the title or a path would end the comment and corrupt the YAML.
    if header.lines().count() != 3 {
        return Err("the spec path or info.title/info.version contains a line break".to_owned());
    }
    Ok(header)
}

/// Quotes an argument for a POSIX shell only when it needs it, so that the command in the
/// header can be pasted as is (tags such as `Legacy Backup` contain spaces).
fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./,:=+@%".contains(c));
    if plain {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// Renders the fragment as YAML after `header` (see [`yaml`]: every YAML reader, 1.1 or
/// 1.2, reads it as the same document), and checks that the YAML parses back to exactly
/// the same document, key order included, so that no string is read back as a number or
/// boolean and no integer comes back as a float.
pub fn render(fragment: &Value, header: &str) -> Result<String, String> {
    if !header.lines().all(|line| line.starts_with('#')) {
        return Err("the header must consist of comment lines starting with #".to_owned());
    }
    let yaml = yaml::to_string(fragment);
    let reparsed: Value = serde_yaml::from_str(&yaml)
        .map_err(|e| format!("the rendered yaml does not parse back: {e}"))?;
    // `Value`'s equality ignores key order, so compare the serialised forms to check it too.
    let same = serde_json::to_string(&reparsed).ok() == serde_json::to_string(fragment).ok();
    if !same {
        return Err("the rendered yaml does not parse back to the same document".to_owned());
    }
    let mut output = String::with_capacity(header.len() + 1 + yaml.len());
    output.push_str(header);
    if !header.is_empty() && !header.ends_with('\n') {
        output.push('\n');
    }
    output.push_str(&yaml);
    Ok(output)
}

/// `1 path, 3 operations, 12 components` for the message after writing a file.
fn summary(fragment: &Value) -> String {
    let paths = fragment.get("paths").and_then(Value::as_object);
    let path_count = paths.map_or(0, Map::len);
    let operation_count: usize = paths.map_or(0, |paths| {
        paths
            .values()
            .filter_map(Value::as_object)
            .map(|item| {
                item.keys()
                    .filter(|k| METHODS.contains(&k.as_str()))
                    .count()
            })
            .sum()
    });
    let component_count: usize = fragment
        .get("components")
        .and_then(Value::as_object)
        .map_or(0, |components| {
            components
                .iter()
                .filter(|(section, _)| !section.starts_with("x-"))
                .filter_map(|(_, members)| members.as_object())
                .map(Map::len)
                .sum()
        });
    format!("{path_count} path(s), {operation_count} operation(s), {component_count} component(s)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeSet;
    use std::sync::OnceLock;

    const ATLAS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/atlas/");

    fn load(file: &str) -> Value {
        let path = format!("{ATLAS}{file}");
        let text = std::fs::read_to_string(&path).expect("read the atlas spec");
        generator::load::parse_value(&text, &path).expect("parse the atlas spec")
    }

    /// The specs are large, so each is parsed once and shared by the tests.
    fn atlas_json() -> &'static Value {
        static SPEC: OnceLock<Value> = OnceLock::new();
        SPEC.get_or_init(|| load("openapi-2023-01-01.json"))
    }

    fn atlas_yaml() -> &'static Value {
        static SPEC: OnceLock<Value> = OnceLock::new();
        SPEC.get_or_init(|| load("openapi-2023-01-01.yaml"))
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn names(value: &Value) -> BTreeSet<&str> {
        value
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect()
    }

    /// Every `$ref` in `fragment` must resolve inside `fragment` itself.
    fn assert_self_contained(fragment: &Value) {
        fn walk(root: &Value, value: &Value) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(target)) = map.get("$ref") {
                        let tokens = decode_pointer(&target[1..]).expect("a valid pointer");
                        assert!(resolve(root, &tokens).is_some(), "dangling {target}");
                    }
                    map.values().for_each(|v| walk(root, v));
                }
                Value::Array(items) => items.iter().for_each(|v| walk(root, v)),
                _ => {}
            }
        }
        walk(fragment, fragment);
    }

    const LEGACY_PATH: &str =
        "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backupCheckpoints";

    #[test]
    fn legacy_backup_checkpoints_from_json_has_exactly_what_it_needs() {
        let spec = atlas_json();
        let fragment = extract(spec, &strings(&["listLegacyBackupCheckpoints"]), &[]).unwrap();

        let paths = fragment["paths"].as_object().unwrap();
        assert_eq!(paths.len(), 1);
        let item = paths[LEGACY_PATH].as_object().unwrap();
        assert_eq!(item.keys().collect::<Vec<_>>(), ["get"]);
        assert_eq!(item["get"], spec["paths"][LEGACY_PATH]["get"]);

        let components = fragment["components"].as_object().unwrap();
        assert_eq!(
            names(&components["parameters"]),
            BTreeSet::from([
                "envelope",
                "groupId",
                "includeCount",
                "itemsPerPage",
                "pageNum",
                "pretty"
            ])
        );
        assert_eq!(
            names(&components["responses"]),
            BTreeSet::from([
                "unauthorized",
                "forbidden",
                "notFound",
                "internalServerError"
            ])
        );
        assert_eq!(
            names(&components["schemas"]),
            BTreeSet::from([
                "PaginatedApiAtlasCheckpointView",
                "Link",
                "ApiAtlasCheckpointView",
                "ApiCheckpointPartView",
                "ApiBSONTimestampView",
                "ApiError",
                "BadRequestDetail",
                "FieldViolation",
            ])
        );
        assert_eq!(
            names(&components["securitySchemes"]),
            BTreeSet::from(["DigestAuth", "ServiceAccounts"])
        );
        assert_eq!(components.len(), 4, "no empty or unused sections");

        for (section, members) in components {
            let original = spec["components"][section].as_object().unwrap();
            for (name, member) in members.as_object().unwrap() {
                assert_eq!(
                    member, &original[name],
                    "{section}/{name} is copied unchanged"
                );
            }
            // The original order within each section is kept.
            let kept: Vec<&String> = members.as_object().unwrap().keys().collect();
            let expected: Vec<&String> = original.keys().filter(|k| kept.contains(k)).collect();
            assert_eq!(kept, expected, "{section} keeps the original order");
        }

        for key in ["openapi", "info", "servers", "security", "externalDocs"] {
            assert_eq!(fragment[key], spec[key], "{key} is copied unchanged");
        }
        let tags = fragment["tags"].as_array().unwrap();
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0]["name"], "Legacy Backup");

        // The top level keeps the original key order.
        let order: Vec<&String> = fragment.as_object().unwrap().keys().collect();
        let original: Vec<&String> = spec.as_object().unwrap().keys().collect();
        assert_eq!(order, original);

        assert_self_contained(&fragment);
    }

    #[test]
    fn yaml_spec_gives_the_same_fragment_as_json() {
        let ids = strings(&["listLegacyBackupCheckpoints"]);
        let from_json = extract(atlas_json(), &ids, &[]).unwrap();
        let from_yaml = extract(atlas_yaml(), &ids, &[]).unwrap();
        assert_eq!(from_yaml, from_json);
        let minimum = &from_yaml["components"]["schemas"]["ApiBSONTimestampView"]["properties"]["increment"]
            ["minimum"];
        assert_eq!(minimum.as_i64(), Some(1_199_145_600));
        assert!(minimum.is_i64(), "{minimum} is an integer, not a float");
    }

    #[test]
    fn whole_yaml_spec_equals_whole_json_spec_after_normalisation() {
        // This is the broadest check of `normalise_integers`: every integer that the YAML
        // rendering spells as a float must come back as the integer the JSON has.
        assert!(atlas_yaml() == atlas_json());
    }

    #[test]
    fn yaml_spells_integers_as_floats_before_normalisation() {
        // Documents why normalisation exists; if upstream fixes its YAML this can go.
        let path = format!("{ATLAS}openapi-2023-01-01.yaml");
        let raw: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let minimum = &raw["components"]["schemas"]["ApiBSONTimestampView"]["properties"]["increment"]
            ["minimum"];
        assert!(minimum.is_f64());
    }

    #[test]
    fn rendered_fragment_parses_back_to_the_same_value() {
        let spec = atlas_json();
        let spec_path = "specs/atlas/openapi-2023-01-01.json";
        let fragment = extract(spec, &strings(&["listLegacyBackupCheckpoints"]), &[]).unwrap();
        let header = header(spec_path, spec, Some("listLegacyBackupCheckpoints"), None).unwrap();
        assert_eq!(
            header,
            "# Fragment of openapi-2023-01-01.json (MongoDB Atlas Administration API 2.0), cut by:\n\
             #   cargo xtask fragment --spec specs/atlas/openapi-2023-01-01.json \
             --operations listLegacyBackupCheckpoints\n\
             # Do not edit by hand: rerun the command above to refresh it.\n"
        );
        let text = render(&fragment, &header).unwrap();
        assert!(text.starts_with(&header));

        let reparsed: Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(reparsed, fragment);
        assert_eq!(
            serde_json::to_string(&reparsed).unwrap(),
            serde_json::to_string(&fragment).unwrap(),
            "key order survives the round trip"
        );
        assert!(text.contains("minimum: 1199145600\n"));
        assert!(!text.contains("e+"), "no integer is spelled as a float");
        assert!(!text.contains("1199145600.0"));
    }

    #[test]
    fn tricky_strings_and_numbers_round_trip() {
        let tricky = [
            "2.0",
            "1.0",
            "true",
            "false",
            "null",
            "~",
            "",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
            "a: b",
            "# not a comment",
            "*alias",
            "&anchor",
            "!tag",
            "%directive",
            "@at",
            "`tick",
            "- item",
            "? key",
            "{x}",
            "[x]",
            "|",
            ">",
            "'",
            "\"",
            "0x1F",
            "0o17",
            "017",
            "1e3",
            "1_000",
            "+1",
            "-0",
            ".inf",
            "-.inf",
            ".nan",
            "12:30",
            "2025-06-04",
            " leading space",
            "trailing space ",
            "multi\nline",
            "trailing spaces   \nnext",
            "tab\there",
            "ends with newline\n",
            "\u{0}nul",
            "unicode ✓",
        ];
        let fragment = json!({
            "strings": &tricky[..],
            "keys": tricky.iter().map(|s| (s.to_string(), json!(s))).collect::<Map<_, _>>(),
            "numbers": [0, -1, i64::MAX, i64::MIN, u64::MAX, 0.5, 1.0, -0.0, 1e300, 1.5e-7],
        });
        let text = render(&fragment, "# header\n").unwrap();
        let reparsed: Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(reparsed, fragment);
        assert!(reparsed["numbers"][1].is_i64() && reparsed["numbers"][6].is_f64());
    }

    fn small_spec(parameter: Value) -> Value {
        json!({
            "openapi": "3.0.1",
            "info": {"title": "Small", "version": "1"},
            "paths": {
                "/api/v1/things/{id}": {
                    "get": {
                        "operationId": "getThing",
                        "parameters": [
                            {"name": "a", "in": "query", "schema": {"type": "string"}},
                            {"name": "b", "in": "query", "schema": {"type": "string"}},
                            {"name": "c", "in": "query", "schema": {"type": "string"}},
                            parameter,
                        ],
                        "responses": {"200": {"description": "OK"}},
                    },
                },
            },
            "components": {"schemas": {"Present": {"type": "string"}}},
        })
    }

    /// The references extraction could not follow, each as `pointer: message`.
    fn unresolved(spec: &Value, ids: &[&str]) -> Vec<String> {
        let extracted = extract_reporting(spec, &strings(ids), &[]).unwrap();
        extracted
            .unresolved
            .into_iter()
            .map(|(at, message)| format!("{at}: {message}"))
            .collect()
    }

    #[test]
    fn unresolvable_refs_are_kept_and_reported_where_they_sit() {
        let spec = small_spec(json!({"$ref": "#/components/schemas/Missing"}));
        let fragment = extract(&spec, &strings(&["getThing"]), &[]).unwrap();
        // The fragment keeps the reference, so a generator reports it as in the whole spec.
        assert_eq!(
            fragment["paths"]["/api/v1/things/{id}"]["get"]["parameters"][3],
            json!({"$ref": "#/components/schemas/Missing"})
        );
        let problems = unresolved(&spec, &["getThing"]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("/paths/~1api~1v1~1things~1{id}/get/parameters/3: "),
            "{problems:?}"
        );
        assert!(
            problems[0].contains("#/components/schemas/Missing"),
            "{problems:?}"
        );

        let nested = small_spec(json!({"name": "d", "in": "query",
            "schema": {"items": {"$ref": "#/components/schemas/Missing"}}}));
        assert!(
            unresolved(&nested, &["getThing"])[0]
                .starts_with("/paths/~1api~1v1~1things~1{id}/get/parameters/3/schema/items: ")
        );
    }

    #[test]
    fn unresolvable_ref_inside_a_component_names_the_component_pointer() {
        let mut spec = small_spec(json!({"name": "d", "in": "query",
            "schema": {"$ref": "#/components/schemas/A~1B"}}));
        spec["components"]["schemas"]["A/B"] =
            json!({"properties": {"x": {"$ref": "#/components/schemas/Gone"}}});
        let problems = unresolved(&spec, &["getThing"]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("/components/schemas/A~1B/properties/x: "),
            "{problems:?}"
        );
        assert!(
            problems[0].contains("`#/components/schemas/Gone`"),
            "{problems:?}"
        );
    }

    #[test]
    fn external_and_non_component_refs_are_reported() {
        let spec = small_spec(json!({"$ref": "other.yaml#/components/parameters/P"}));
        let problems = unresolved(&spec, &["getThing"]);
        assert!(problems[0].contains("only local refs"), "{problems:?}");
        assert!(
            problems[0].contains("other.yaml#/components/parameters/P"),
            "{problems:?}"
        );

        let spec = small_spec(json!({"$ref": "#/info"}));
        let problems = unresolved(&spec, &["getThing"]);
        assert!(
            problems[0].contains("only refs into #/components"),
            "{problems:?}"
        );

        let spec = small_spec(json!({"$ref": "#/components/schemas/Bad~2Escape"}));
        let problems = unresolved(&spec, &["getThing"]);
        assert!(
            problems[0].contains("not a valid json pointer"),
            "{problems:?}"
        );
    }

    #[test]
    fn refs_in_extensions_and_data_are_not_references() {
        let parameter = json!({
            "name": "d", "in": "query",
            "x-origin": {"$ref": "#/components/schemas/NotInTheSpec"},
            "example": {"$ref": "#/components/schemas/AlsoNot"},
            "schema": {
                "type": "object",
                "default": {"$ref": "#/nowhere"},
                "enum": [{"$ref": "#/nowhere"}],
                "properties": {
                    // Properties are names: these are schemas, with real references.
                    "x-request-id": {"$ref": "#/components/schemas/Present"},
                    "default": {"$ref": "#/components/schemas/Default"},
                    "$ref": {"type": "string"},
                },
            },
        });
        let mut spec = small_spec(parameter);
        spec["components"]["schemas"]["Default"] = json!({"type": "string"});
        spec["components"]["schemas"]["Present"]["x-links"] =
            json!([{"$ref": "#/components/schemas/NotInTheSpec"}]);
        spec["x-top"] = json!({"$ref": "#/components/schemas/NotInTheSpec"});
        spec["paths"]["/api/v1/things/{id}"]["get"]["responses"] = json!({
            "default": {"$ref": "#/components/responses/Error"},
            "x-extra": {"$ref": "#/components/responses/NotInTheSpec"},
        });
        spec["components"]["responses"] = json!({"Error": {"description": "error",
            "headers": {"x-rate-limit": {"$ref": "#/components/headers/RateLimit"}}}});
        spec["components"]["headers"] = json!({"RateLimit": {"schema": {"type": "integer"}}});
        let extracted = extract_reporting(&spec, &strings(&["getThing"]), &[]).unwrap();
        assert_eq!(extracted.unresolved, Vec::new());
        let components = &extracted.fragment["components"];
        assert_eq!(
            names(&components["schemas"]),
            BTreeSet::from(["Present", "Default"])
        );
        assert_eq!(names(&components["responses"]), BTreeSet::from(["Error"]));
        assert_eq!(names(&components["headers"]), BTreeSet::from(["RateLimit"]));
        assert_eq!(extracted.fragment["x-top"], spec["x-top"]);
    }

    #[test]
    fn errors_in_a_fragment_are_located_in_the_spec() {
        let text = "openapi: 3.0.1\ninfo: {title: T, version: '1'}\n\
                    tags:\n  - name: Unused\n  - name: Used\n    description: 5\n\
                    paths:\n  /a:\n    get:\n      operationId: getA\n      tags: [Used]\n\
                    \x20     responses:\n        '200': {description: OK}\n";
        let spec = generator::load::parse_value(text, "spec.yaml").unwrap();
        let fragment = extract(&spec, &strings(&["getA"]), &[]).unwrap();
        let error = generator::SpecError {
            file: "spec.yaml".to_owned(),
            pointer: "/tags/0/description".to_owned(),
            location: Some((99, 1)),
            message: "not a string".to_owned(),
            excerpt: None,
        };
        let error = relocate(error, &fragment, &spec, text, "spec.yaml");
        assert_eq!(error.pointer, "/tags/1/description");
        assert_eq!(error.location, Some((6, 5)));
        let error = relocate(
            generator::SpecError {
                pointer: "/paths/~1a/get/operationId".to_owned(),
                ..error
            },
            &fragment,
            &spec,
            text,
            "spec.yaml",
        );
        assert_eq!(error.location, Some((10, 7)));
        assert!(
            error
                .to_string()
                .contains(">    10 |       operationId: getA"),
            "{error}"
        );
    }

    #[test]
    fn escaped_and_percent_encoded_refs_resolve() {
        let mut spec = small_spec(json!({"name": "d", "in": "query",
            "schema": {"$ref": "#/components/schemas/a~1b~0c"}}));
        spec["components"]["schemas"]["a/b~c"] =
            json!({"properties": {"x": {"$ref": "#/components/schemas/with%20space"}}});
        spec["components"]["schemas"]["with space"] = json!({"type": "integer"});
        let fragment = extract(&spec, &strings(&["getThing"]), &[]).unwrap();
        assert_eq!(
            names(&fragment["components"]["schemas"]),
            BTreeSet::from(["a/b~c", "with space"])
        );
    }

    #[test]
    fn unknown_operation_id_and_tag_are_named() {
        let spec = small_spec(json!({"name": "d", "in": "query"}));
        let error = extract(&spec, &strings(&["getThing", "noSuchOperation"]), &[]).unwrap_err();
        assert!(error.contains("`noSuchOperation`"), "{error}");
        assert!(!error.contains("`getThing`"), "{error}");

        let error = extract(&spec, &[], &strings(&["No Such Tag"])).unwrap_err();
        assert!(error.contains("`No Such Tag`"), "{error}");

        assert!(extract(&spec, &[], &[]).is_err());
    }

    #[test]
    fn ref_cycle_terminates_and_includes_both() {
        let spec = json!({
            "openapi": "3.0.1",
            "info": {"title": "Cycle", "version": "1"},
            "paths": {"/a": {"get": {
                "operationId": "getA",
                "responses": {"200": {"description": "OK", "content": {"application/json":
                    {"schema": {"$ref": "#/components/schemas/A"}}}}},
            }}},
            "components": {"schemas": {
                "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
                "Unused": {"type": "string"},
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
            }},
        });
        let fragment = extract(&spec, &strings(&["getA"]), &[]).unwrap();
        let schemas: Vec<&String> = fragment["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(schemas, ["B", "A"], "both, in the original order");
        assert_self_contained(&fragment);
    }

    #[test]
    fn selection_by_tag_keeps_path_level_keys_and_drops_other_methods() {
        let spec = json!({
            "openapi": "3.0.1",
            "info": {"title": "Tags", "version": "1"},
            "x-top": {"kept": true},
            "tags": [{"name": "One"}, {"name": "Two"}, {"name": "Three"}],
            "paths": {
                "/things/{id}": {
                    "summary": "Things",
                    "parameters": [{"$ref": "#/components/parameters/id"}],
                    "get": {"operationId": "getThing", "tags": ["Two", "One"], "responses": {}},
                    "delete": {"operationId": "deleteThing", "tags": ["Three"], "responses": {}},
                    "x-path-extension": 1,
                },
                "/other": {"get": {"operationId": "getOther", "tags": ["Three"], "responses": {}}},
            },
            "components": {
                "parameters": {"id": {"name": "id", "in": "path", "required": true,
                    "schema": {"$ref": "#/components/schemas/Id"}}},
                "schemas": {"Id": {"type": "string"}, "Other": {"type": "string"}},
                "responses": {"Unused": {"description": "unused"}},
            },
        });
        let fragment = extract(&spec, &[], &strings(&["One"])).unwrap();
        let item: Vec<&String> = fragment["paths"]["/things/{id}"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(item, ["summary", "parameters", "get", "x-path-extension"]);
        assert_eq!(names(&fragment["paths"]), BTreeSet::from(["/things/{id}"]));
        assert_eq!(fragment["tags"], json!([{"name": "One"}, {"name": "Two"}]));
        assert_eq!(fragment["x-top"], spec["x-top"]);
        assert_eq!(
            fragment["components"],
            json!({"parameters": {"id": spec["components"]["parameters"]["id"]},
                   "schemas": {"Id": {"type": "string"}}})
        );

        // Ids and tags combine; an operation matched by both appears once.
        let fragment = extract(
            &spec,
            &strings(&["getOther", "getThing"]),
            &strings(&["Two"]),
        )
        .unwrap();
        assert_eq!(
            names(&fragment["paths"]),
            BTreeSet::from(["/things/{id}", "/other"])
        );
        assert_eq!(names(&fragment["paths"]["/things/{id}"]).len(), 4);
    }

    #[test]
    fn security_schemes_come_from_global_and_operation_requirements() {
        let mut spec = json!({
            "openapi": "3.0.1",
            "info": {"title": "Security", "version": "1"},
            "security": [{"Global": []}, {}],
            "paths": {"/a": {"get": {
                "operationId": "getA",
                "security": [{"OAuth": ["read"], "Key": []}],
                "responses": {},
            }}},
            "components": {"securitySchemes": {
                "Key": {"type": "apiKey", "name": "key", "in": "header"},
                "Global": {"type": "http", "scheme": "basic"},
                "Unused": {"type": "http", "scheme": "bearer"},
                "OAuth": {"type": "oauth2", "flows": {}},
            }},
        });
        let fragment = extract(&spec, &strings(&["getA"]), &[]).unwrap();
        let schemes: Vec<&String> = fragment["components"]["securitySchemes"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(schemes, ["Key", "Global", "OAuth"]);

        spec["paths"]["/a"]["get"]["security"] = json!([{"Nope": []}]);
        let problems = unresolved(&spec, &["getA"]);
        assert!(
            problems[0].contains("`Nope`")
                && problems[0].starts_with("/paths/~1a/get/security/0: "),
            "{problems:?}"
        );
    }

    #[test]
    fn discriminator_mappings_are_followed() {
        let spec = json!({
            "openapi": "3.0.1",
            "info": {"title": "Discriminator", "version": "1"},
            "paths": {"/pets": {"get": {
                "operationId": "getPets",
                "responses": {"200": {"description": "OK", "content": {"application/json":
                    {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
            }}},
            "components": {"schemas": {
                "Pet": {"type": "object", "discriminator": {"propertyName": "kind",
                    "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog"}}},
                "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
                "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
                "Fish": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
            }},
        });
        let fragment = extract(&spec, &strings(&["getPets"]), &[]).unwrap();
        assert_eq!(
            names(&fragment["components"]["schemas"]),
            BTreeSet::from(["Pet", "Cat", "Dog"])
        );
    }

    #[test]
    fn arguments_are_parsed_and_checked() {
        let args = strings(&[
            "--spec",
            "s.json",
            "--operations=a,b",
            "--tags",
            "Legacy Backup",
        ]);
        assert_eq!(
            parse_args(&args).unwrap(),
            Options {
                spec: "s.json".to_owned(),
                operations: Some("a,b".to_owned()),
                tags: Some("Legacy Backup".to_owned()),
                out: None,
            }
        );
        assert!(
            parse_args(&strings(&["--operations", "a"]))
                .unwrap_err()
                .contains("--spec")
        );
        assert!(parse_args(&strings(&["--spec", "s.json"])).is_err());
        assert!(parse_args(&strings(&["--spec", "s.json", "--operations"])).is_err());
        assert!(parse_args(&strings(&["--spec", "--operations", "a"])).is_err());
        assert!(parse_args(&strings(&["--spec", "a", "--spec", "b", "--tags", "t"])).is_err());
        assert!(parse_args(&strings(&["--spec", "a", "--tags", "t", "extra"])).is_err());
        assert_eq!(
            split_list(Some("a, b"), "--operations").unwrap(),
            strings(&["a", "b"])
        );
        assert!(split_list(Some("a,,b"), "--operations").is_err());
    }

    #[test]
    fn header_quotes_arguments_that_need_it() {
        let spec = json!({"info": {"title": "T", "version": "1"}});
        let header = header("specs/x.yaml", &spec, None, Some("Legacy Backup,It's")).unwrap();
        assert_eq!(
            header.lines().nth(1).unwrap(),
            r"#   cargo xtask fragment --spec specs/x.yaml --tags 'Legacy Backup,It'\''s'"
        );
        assert!(header.starts_with("# Fragment of x.yaml (T 1), cut by:\n"));
        assert!(super::header("x.json", &json!({}), Some("a"), None).is_err());
        let multiline = json!({"info": {"title": "T\nU", "version": "1"}});
        assert!(super::header("x.json", &multiline, Some("a"), None).is_err());
    }

    #[test]
    fn every_operation_of_the_atlas_spec_can_be_cut() {
        // Cutting everything exercises every ref in the spec, and the closure must hold.
        let spec = atlas_json();
        let ids: Vec<String> = spec["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .filter_map(|op| op.get("operationId").and_then(Value::as_str))
            .map(str::to_owned)
            .collect();
        let fragment = extract(spec, &ids, &[]).unwrap();
        assert_eq!(fragment["paths"], spec["paths"]);
        assert_self_contained(&fragment);

        let by_tag = extract(spec, &[], &strings(&["Legacy Backup"])).unwrap();
        assert_self_contained(&by_tag);
        assert!(names(&by_tag["paths"]).contains(LEGACY_PATH));
    }
}
