//! Fuzzing `generate`: whatever the text, it returns `Ok` or a located `Err`, and never
//! panics.
//!
//! The inputs are real specs (`specs/atlas-legacy-backup.yaml` and small specs like the
//! focused tests') with random mutations of their document tree (a key deleted or renamed,
//! a value replaced by one of another type or by a `$ref`, a subtree copied elsewhere,
//! odd names inserted), written back as JSON or YAML; the same specs truncated at a random
//! byte; and random text. A fixed test also nests schemas as deep as the JSON parser allows,
//! valid and broken at the bottom. Each property runs 256 cases by default; set `PROPTEST_CASES`
//! to run more (`PROPTEST_CASES=5000 cargo test -p generator --test fuzz -- --nocapture`
//! prints how many inputs ran and how they ended).
//!
//! A panic already reported is listed in `KNOWN_PANICS` with a reproducer test (ignored
//! until fixed): the fuzzer counts it and goes on, so that it keeps looking for new ones.

use generator::SpecError;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, Once, OnceLock};

/// Panics already reported, by a part of their message: (message, where and why).
const KNOWN_PANICS: &[(&str, &str)] = &[];

const MODELS: &str = r##"openapi: 3.0.1
info:
  title: Models
  version: '1'
paths: {}
components:
  schemas:
    Thing:
      type: object
      required: [type, id]
      properties:
        type: {type: string}
        ref: {type: string, nullable: true}
        self: {type: string, readOnly: true}
        2fa: {type: boolean, default: false}
        id: {type: string, pattern: '^([a-f0-9]{24})$', minLength: 24, maxLength: 24}
        tag: {type: string, pattern: '^(?!admin).+$'}
        size: {$ref: '#/components/schemas/Size'}
        level: {$ref: '#/components/schemas/Level'}
        when: {type: string, format: date-time}
        ratio: {type: number, minimum: 0.5, multipleOf: 0.25}
        count: {type: integer, format: int32, minimum: 1, maximum: 10, exclusiveMaximum: true}
        bag:
          type: object
          additionalProperties: {$ref: '#/components/schemas/Node'}
        anything: {type: object}
        list:
          type: array
          minItems: 1
          uniqueItems: true
          items:
            type: object
            properties:
              depth: {type: integer, format: int64}
    Size:
      type: string
      description: A size, like `M10` or [R_40](https://example.com).
      enum: [M10, M10+, R_40, small]
    Level:
      type: integer
      enum: [1, 2, -3]
    Node:
      type: object
      properties:
        parent: {$ref: '#/components/schemas/Node'}
        children:
          type: array
          items: {$ref: '#/components/schemas/Node'}
    Base:
      type: object
      required: [id]
      properties:
        id: {type: string}
    Derived:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            extra: {type: integer, format: int64}
    Alias:
      $ref: '#/components/schemas/Base'
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Base'
        - $ref: '#/components/schemas/Node'
        - type: string
    Region:
      anyOf:
        - {type: string, enum: [US_EAST_1, US_WEST_2]}
        - {type: string, enum: [EU_WEST_1]}
"##;

const OPERATIONS: &str = r##"openapi: 3.0.1
info:
  title: Operations
  version: '1'
  description: Operations of every kind.
servers:
  - url: https://example.com/api
security:
  - token: []
  - basic: []
paths:
  /groups/{groupId}/things:
    parameters:
      - $ref: '#/components/parameters/groupId'
    get:
      operationId: listThings
      tags: [things]
      parameters:
        - $ref: '#/components/parameters/pageNum'
        - name: itemsPerPage
          in: query
          schema: {type: integer, default: 100, minimum: 1, maximum: 500}
        - name: tags
          in: query
          style: form
          explode: false
          schema: {type: array, items: {type: string}}
        - name: X-Trace
          in: header
          schema: {type: string}
        - name: session
          in: cookie
          schema: {type: string}
      responses:
        '200':
          description: A page of things.
          content:
            application/vnd.example.2023-01-01+json:
              schema: {$ref: '#/components/schemas/PageOfThings'}
        default:
          $ref: '#/components/responses/Error'
    post:
      operationId: createThing
      security:
        - oauth: [write]
      requestBody:
        $ref: '#/components/requestBodies/Thing'
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        4XX:
          $ref: '#/components/responses/Error'
  /groups/{groupId}/things/{thingId}:
    delete:
      operationId: deleteThing
      deprecated: true
      parameters:
        - $ref: '#/components/parameters/groupId'
        - name: thingId
          in: path
          required: true
          schema: {type: string, pattern: '^[a-z][a-z0-9-]*$'}
      responses:
        '204':
          description: Deleted.
  /files/{name}:
    put:
      operationId: uploadFile
      parameters:
        - name: name
          in: path
          required: true
          style: label
          schema: {type: string}
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses:
        '200':
          description: Stored.
          content:
            text/plain:
              schema: {type: string}
components:
  parameters:
    groupId:
      name: groupId
      in: path
      required: true
      description: The group.
      schema: {type: string, pattern: '^([a-f0-9]{24})$'}
    pageNum:
      name: pageNum
      in: query
      schema: {type: integer, default: 1, minimum: 1}
  requestBodies:
    Thing:
      required: true
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Thing'}
  responses:
    Error:
      description: An error.
      content:
        application/json:
          schema:
            type: object
            properties:
              detail: {type: string}
              errorCode: {type: string, enum: [NOT_FOUND, FORBIDDEN]}
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 64}
        created: {type: string, format: date}
        id: {type: string, format: uuid}
    PageOfThings:
      type: object
      properties:
        results:
          type: array
          items: {$ref: '#/components/schemas/Thing'}
        totalCount: {type: integer, format: int32}
  securitySchemes:
    token:
      type: apiKey
      in: header
      name: X-Api-Key
    basic:
      type: http
      scheme: digest
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://example.com/oauth/token
          scopes:
            write: Write things.
"##;

/// The seeds: (name, text, document).
fn seeds() -> &'static [(String, String, Value)] {
    static SEEDS: OnceLock<Vec<(String, String, Value)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let atlas = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../specs/atlas-legacy-backup.yaml"
        );
        let atlas = std::fs::read_to_string(atlas).unwrap_or_else(|e| panic!("{atlas}: {e}"));
        [
            ("atlas-legacy-backup.yaml", atlas),
            ("models.yaml", MODELS.to_owned()),
            ("operations.yaml", OPERATIONS.to_owned()),
        ]
        .into_iter()
        .map(|(name, text)| {
            let value = generator::load::parse_value(&text, name).unwrap_or_else(|e| panic!("{e}"));
            generator::generate(&text, &config(name)).unwrap_or_else(|e| panic!("seed: {e}"));
            (name.to_owned(), text, value)
        })
        .collect()
    })
}

fn config(spec_path: &str) -> generator::Config {
    generator::Config {
        crate_name: "fuzz".to_owned(),
        crate_version: "0.1.0".to_owned(),
        spec_path: spec_path.to_owned(),
        command: "cargo xtask codegen".to_owned(),
        dev_dependencies: Vec::new(),
        spec_config: generator::SpecConfig::default(),
        benches: Vec::new(),
        threads: 0,
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        // Failures are reported with the shrunk input; no regression file in the tree.
        failure_persistence: None,
        ..Config::default()
    })
}

// ---------------------------------------------------------------------------------------
// Running one input.

thread_local! {
    /// The message and place of the last panic on this thread, kept by the panic hook.
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A panic hook that records the panic for `run` instead of printing it, unless
/// `FUZZ_VERBOSE` is set. Panics outside `run` are printed as usual.
fn quiet_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let place = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                .unwrap_or_default();
            let recorded = LAST_PANIC.with(|last| {
                let mut last = last.borrow_mut();
                let inside_run = last.as_str() == IN_RUN;
                if inside_run {
                    *last = format!("{payload} (at {place})");
                }
                inside_run
            });
            if !recorded || std::env::var_os("FUZZ_VERBOSE").is_some() {
                default(info);
            }
        }));
    });
}

const IN_RUN: &str = "\u{0}in run";

/// How inputs ended, for the summary.
#[derive(Default, Debug)]
struct Tally {
    inputs: usize,
    ok: usize,
    errors: usize,
    skipped: BTreeMap<&'static str, usize>,
    known_panics: BTreeMap<&'static str, usize>,
}

static TALLIES: Mutex<BTreeMap<&'static str, Tally>> = Mutex::new(BTreeMap::new());

fn tally(property: &'static str, f: impl FnOnce(&mut Tally)) {
    let mut tallies = TALLIES.lock().unwrap_or_else(|e| e.into_inner());
    f(tallies.entry(property).or_default());
}

fn report(property: &'static str) {
    let tallies = TALLIES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(t) = tallies.get(property) {
        eprintln!(
            "fuzz {property}: {} inputs: {} generated, {} refused, skipped {:?}, known panics {:?}",
            t.inputs, t.ok, t.errors, t.skipped, t.known_panics
        );
    }
}

/// Runs `generate` on one input and checks how it ended: `Ok`, or an error with a file and
/// a line (whenever it names a node) that is not a generator bug. A known panic is counted.
/// Returns the error, if that is how it ended.
fn run(
    property: &'static str,
    text: &str,
    spec_path: &str,
) -> Result<Option<SpecError>, TestCaseError> {
    quiet_panics();
    tally(property, |t| t.inputs += 1);
    LAST_PANIC.with(|last| *last.borrow_mut() = IN_RUN.to_owned());
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        generator::generate(text, &config(spec_path))
    }));
    let panicked = LAST_PANIC.with(|last| std::mem::take(&mut *last.borrow_mut()));
    match outcome {
        Ok(Ok(_)) => {
            tally(property, |t| t.ok += 1);
            Ok(None)
        }
        Ok(Err(error)) => {
            tally(property, |t| t.errors += 1);
            check_error(&error, spec_path)?;
            Ok(Some(error))
        }
        Err(_) => match KNOWN_PANICS.iter().find(|(m, _)| panicked.contains(m)) {
            Some((_, why)) => {
                tally(property, |t| *t.known_panics.entry(why).or_default() += 1);
                Ok(None)
            }
            None => Err(TestCaseError::fail(format!(
                "generate panicked: {panicked}"
            ))),
        },
    }
}

fn check_error(error: &SpecError, spec_path: &str) -> Result<(), TestCaseError> {
    let message = error.to_string();
    prop_assert!(
        !error.message.contains("generator bug"),
        "the generator produced invalid Rust: {message}"
    );
    prop_assert_eq!(&error.file, spec_path, "{}", message);
    if !error.pointer.is_empty() || error.message.starts_with("not valid") {
        prop_assert!(error.location.is_some(), "not located: {}", message);
        prop_assert!(error.excerpt.is_some(), "no excerpt: {}", message);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Mutations.

#[derive(Debug, Clone)]
enum Replacement {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    EmptyObject,
    EmptyArray,
    Ref(String),
}

impl Replacement {
    fn value(&self) -> Value {
        match self {
            Replacement::Null => Value::Null,
            Replacement::Bool(b) => Value::Bool(*b),
            Replacement::Int(i) => Value::from(*i),
            Replacement::Float(f) => Value::from(*f),
            Replacement::Str(s) => Value::String(s.clone()),
            Replacement::EmptyObject => Value::Object(Map::new()),
            Replacement::EmptyArray => Value::Array(Vec::new()),
            Replacement::Ref(target) => {
                let mut map = Map::new();
                map.insert("$ref".to_owned(), Value::String(target.clone()));
                Value::Object(map)
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Deletes a key of an object.
    Delete { node: Index, key: Index },
    /// Replaces any node but the root.
    Replace { node: Index, with: Replacement },
    /// Copies a subtree into an object under a key.
    Duplicate { from: Index, to: Index, key: String },
    /// Renames a key of an object, keeping its place.
    Rename { node: Index, key: Index, to: String },
    /// Adds a key to an object.
    Insert {
        node: Index,
        key: String,
        with: Replacement,
    },
    /// Changes a name the generator turns into a Rust name: a property, schema, path or
    /// status key, or an `operationId`, parameter `name` or `enum` value.
    Name { site: Index, to: String },
}

/// Names that break naming: keywords, reserved type names, digits, empty, punctuation,
/// non-ASCII letters and digits, names that collide after casing.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            "type",
            "self",
            "Self",
            "crate",
            "super",
            "r#type",
            "_",
            "__",
            "Unknown",
            "Error",
            "Result",
            "Option",
            "Client",
            "Response",
            "default",
            "x-ext",
            "$ref",
            "getThing",
            "get_thing",
            "GetThing",
            "get-thing",
            "groupId",
            "group_id",
            "1",
            "2fa",
            "²",
            "٣",
            "ǅ",
            "é",
            "日本",
            "\u{200b}",
            "a b",
            "a/b",
            "{id}",
            "~",
            "~1",
            "/",
            "/things/{id}",
            "/{a}/{a}",
            "application/json",
            "200",
            "2XX",
            "default",
        ])
        .prop_map(str::to_owned),
        "[0-9]{1,5}",
        "[a-zA-Z_-]{1,12}",
        "[-_ .$/~{}#+<>!@%&*=]{1,6}",
        any::<String>(),
    ]
}

fn reference() -> impl Strategy<Value = String> {
    prop_oneof![
        name().prop_map(|n| format!("#/components/schemas/{n}")),
        prop::sample::select(vec![
            "#/components/schemas/Thing",
            "#/components/schemas/Node",
            "#/components/schemas/Base",
            "#/components/schemas/Missing",
            "#/components/parameters/groupId",
            "#/components/parameters/pageNum",
            "#/components/responses/Error",
            "#/components/requestBodies/Thing",
            "#/components/schemas/ApiError",
            "#/components/schemas/",
            "#/components/schemas",
            "#/info",
            "#/",
            "#",
            "",
            "other.yaml#/x",
            "https://example.com/spec.yaml#/components/schemas/Thing",
            "#/components/schemas/a~1b",
            "#/components/schemas/a~0b",
        ])
        .prop_map(str::to_owned),
    ]
}

fn replacement() -> impl Strategy<Value = Replacement> {
    prop_oneof![
        Just(Replacement::Null),
        any::<bool>().prop_map(Replacement::Bool),
        prop_oneof![
            Just(0i64),
            Just(-1),
            Just(i64::MAX),
            Just(i64::MIN),
            any::<i64>()
        ]
        .prop_map(Replacement::Int),
        prop_oneof![Just(0.5f64), Just(1e300), Just(-0.0), any::<f64>()]
            .prop_map(Replacement::Float),
        name().prop_map(Replacement::Str),
        Just(Replacement::EmptyObject),
        Just(Replacement::EmptyArray),
        reference().prop_map(Replacement::Ref),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<Index>(), any::<Index>()).prop_map(|(node, key)| Mutation::Delete { node, key }),
        2 => (any::<Index>(), replacement())
            .prop_map(|(node, with)| Mutation::Replace { node, with }),
        1 => (any::<Index>(), any::<Index>(), name())
            .prop_map(|(from, to, key)| Mutation::Duplicate { from, to, key }),
        1 => (any::<Index>(), any::<Index>(), name())
            .prop_map(|(node, key, to)| Mutation::Rename { node, key, to }),
        1 => (any::<Index>(), name(), replacement())
            .prop_map(|(node, key, with)| Mutation::Insert { node, key, with }),
        2 => (any::<Index>(), name()).prop_map(|(site, to)| Mutation::Name { site, to }),
    ]
}

/// Keys whose object's keys are names, and keys whose string values are names.
const NAME_MAPS: [&str; 7] = [
    "properties",
    "schemas",
    "paths",
    "responses",
    "parameters",
    "securitySchemes",
    "content",
];
const NAME_VALUES: [&str; 2] = ["operationId", "name"];

/// Where names are in `value`: (the pointer of an object and one of its keys, to rename) or
/// (the pointer of a string, to replace).
fn name_sites(value: &Value) -> Vec<(String, Option<String>)> {
    fn walk(value: &Value, at: &str, parent: &str, out: &mut Vec<(String, Option<String>)>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if NAME_MAPS.contains(&parent) {
                        out.push((at.to_owned(), Some(key.clone())));
                    }
                    let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                    if NAME_VALUES.contains(&key.as_str()) && child.is_string() {
                        out.push((here.clone(), None));
                    }
                    walk(child, &here, key, out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let here = format!("{at}/{i}");
                    if parent == "enum" {
                        out.push((here.clone(), None));
                    }
                    walk(child, &here, "", out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, "", "", &mut out);
    out
}

/// The pointers of every node of `value`, in document order, and those of the objects.
fn nodes(value: &Value) -> (Vec<String>, Vec<String>) {
    fn walk(value: &Value, at: String, all: &mut Vec<String>, objects: &mut Vec<String>) {
        all.push(at.clone());
        match value {
            Value::Object(map) => {
                objects.push(at.clone());
                for (key, child) in map {
                    let key = key.replace('~', "~0").replace('/', "~1");
                    walk(child, format!("{at}/{key}"), all, objects);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, format!("{at}/{i}"), all, objects);
                }
            }
            _ => {}
        }
    }
    let (mut all, mut objects) = (Vec::new(), Vec::new());
    walk(value, String::new(), &mut all, &mut objects);
    (all, objects)
}

fn object_at<'v>(value: &'v mut Value, pointer: &str) -> Option<&'v mut Map<String, Value>> {
    value.pointer_mut(pointer)?.as_object_mut()
}

fn apply(value: &mut Value, mutation: &Mutation) {
    let (all, objects) = nodes(value);
    match mutation {
        Mutation::Delete { node, key } => {
            if let Some(map) = object_at(value, &objects[node.index(objects.len())]) {
                if !map.is_empty() {
                    let key = map.keys().nth(key.index(map.len())).cloned();
                    if let Some(key) = key {
                        map.shift_remove(&key);
                    }
                }
            }
        }
        Mutation::Replace { node, with } => {
            // Not the root, which parse_value already checks is an object.
            if all.len() > 1 {
                let at = &all[1 + node.index(all.len() - 1)];
                if let Some(target) = value.pointer_mut(at) {
                    *target = with.value();
                }
            }
        }
        Mutation::Duplicate { from, to, key } => {
            let copy = value.pointer(&all[from.index(all.len())]).cloned();
            if let (Some(copy), Some(map)) =
                (copy, object_at(value, &objects[to.index(objects.len())]))
            {
                map.insert(key.clone(), copy);
            }
        }
        Mutation::Rename { node, key, to } => {
            if let Some(map) = object_at(value, &objects[node.index(objects.len())]) {
                if !map.is_empty() && !map.contains_key(to) {
                    let index = key.index(map.len());
                    let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
                    for (i, (k, v)) in entries.into_iter().enumerate() {
                        map.insert(if i == index { to.clone() } else { k }, v);
                    }
                }
            }
        }
        Mutation::Insert { node, key, with } => {
            if let Some(map) = object_at(value, &objects[node.index(objects.len())]) {
                map.insert(key.clone(), with.value());
            }
        }
        Mutation::Name { site, to } => {
            let sites = name_sites(value);
            if sites.is_empty() {
                return;
            }
            match &sites[site.index(sites.len())] {
                (at, Some(key)) => {
                    if let Some(map) = object_at(value, at) {
                        if !map.contains_key(to) {
                            let entries: Vec<(String, Value)> =
                                std::mem::take(map).into_iter().collect();
                            for (k, v) in entries {
                                map.insert(if k == *key { to.clone() } else { k }, v);
                            }
                        }
                    }
                }
                (at, None) => {
                    if let Some(target) = value.pointer_mut(at) {
                        *target = Value::String(to.clone());
                    }
                }
            }
        }
    }
}

/// Renders a document as the seed's format or the other one.
fn render(value: &Value, yaml: bool) -> (String, &'static str) {
    if yaml {
        let text = serde_yaml::to_string(value).unwrap_or_else(|e| panic!("{e}"));
        (text, "fuzz.yaml")
    } else {
        let text = serde_json::to_string_pretty(value).unwrap_or_else(|e| panic!("{e}"));
        (text, "fuzz.json")
    }
}

// ---------------------------------------------------------------------------------------
// Properties.

#[test]
fn mutated_specs_never_panic() {
    let property = "mutated specs";
    let strategy = (
        any::<Index>(),
        prop::collection::vec(mutation(), 1..=4),
        any::<bool>(),
    );
    let result = runner().run(&strategy, |(seed, mutations, yaml)| {
        let (_, _, document) = &seeds()[seed.index(seeds().len())];
        let mut document = document.clone();
        for mutation in &mutations {
            apply(&mut document, mutation);
        }
        let (text, path) = render(&document, yaml);
        run(property, &text, path).map(drop)
    });
    report(property);
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn truncated_specs_give_located_errors() {
    let property = "truncated specs";
    let strategy = (any::<Index>(), any::<Index>(), any::<bool>());
    let result = runner().run(&strategy, |(seed, cut, yaml)| {
        let (name, text, document) = &seeds()[seed.index(seeds().len())];
        let (text, path) = if yaml {
            (text.clone(), name.as_str())
        } else {
            render(document, false)
        };
        let mut end = cut.index(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let error = run(property, &text[..end], path)?;
        // A JSON document cut short is never valid, and the error says where it stopped.
        if !yaml {
            let located = error.as_ref().is_some_and(|e| e.location.is_some());
            prop_assert!(located, "a truncated JSON spec: {:?}", error);
        }
        Ok(())
    });
    report(property);
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn random_text_never_panics() {
    let property = "random text";
    let text = prop_oneof![
        any::<Vec<u8>>().prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        any::<String>(),
        // Text shaped like YAML and JSON, past the version check.
        "[a-z{}:\\[\\],\"' \n-]{0,200}".prop_map(|s| format!("openapi: 3.0.0\n{s}")),
        "[a-z{}:\\[\\],\"' \n-]{0,200}".prop_map(|s| format!("{{\"openapi\": \"3.0.0\", {s}")),
    ];
    let strategy = (text, prop::sample::select(vec!["fuzz.yaml", "fuzz.json"]));
    let result = runner().run(&strategy, |(text, path)| {
        run(property, &text, path).map(drop)
    });
    report(property);
    if let Err(e) = result {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------------------------------
// Reproducers of the panics the fuzzer found, now fixed.

fn spec_with_property(name: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo:\n  title: x\n  version: '1'\npaths: {{}}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        {}:\n          type: string\n",
        serde_json::to_string(name).unwrap_or_default()
    )
}

#[test]
fn property_names_that_are_no_identifiers_do_not_panic() {
    for name in ["²", "٣", "x²"] {
        let spec = spec_with_property(name);
        let outcome = panic::catch_unwind(|| generator::generate(&spec, &config("fuzz.yaml")));
        assert!(outcome.is_ok(), "property {name:?} panicked");
    }
}

/// A schema nested `depth` times, alternating arrays and objects, as a JSON spec.
fn deep_spec(depth: usize, leaf: &str) -> String {
    let mut schema = leaf.to_owned();
    for i in 0..depth {
        schema = match i % 2 {
            0 => format!(r#"{{"type": "array", "items": {schema}}}"#),
            _ => format!(r#"{{"type": "object", "properties": {{"p": {schema}}}}}"#),
        };
    }
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{"Deep": {schema}}}}}}}"#
    )
}

#[test]
fn deeply_nested_schemas_are_handled_in_one_pass() {
    // As deep as the JSON parser's nesting limit allows, valid and with an error at the
    // bottom, on a main thread's stack (8 MiB) as the command line has.
    let outcome = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(|| {
            // Tried from the top, the broken ones would take 2^depth attempts: the test
            // would not finish rather than fail, which is why nothing here is timed.
            for depth in [10, 40, 80] {
                let valid = deep_spec(depth, r#"{"type": "string"}"#);
                let result = generator::generate(&valid, &config("deep.json"));
                assert!(result.is_ok(), "depth {depth}: {:?}", result.err());
                let broken = deep_spec(depth, r#"{"type": "string", "minLength": -1}"#);
                let error = generator::generate(&broken, &config("deep.json")).unwrap_err();
                assert!(error.pointer.ends_with("/minLength"), "{error}");
            }
        })
        .unwrap_or_else(|e| panic!("{e}"))
        .join();
    assert!(outcome.is_ok(), "a deep schema panicked");
}
