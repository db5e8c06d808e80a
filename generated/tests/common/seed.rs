//! Response examples: the documentation page's, kept as fixtures in `tests/fixtures/`
//! (see `tests/fixtures/SOURCE.md`), and the pinned spec's.
//!
//! The endpoint's documentation page (the seed) has the 200, 401 and 500 examples; the
//! 403 and 404 examples exist only in the pinned spec fragment, under
//! `components.responses.{forbidden,notFound}.content.application/json.example`.

use serde_json::Value;

/// Where the documentation page's examples are kept.
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// The spec fragment the crate was generated from.
pub const SPEC_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../specs/atlas-legacy-backup.yaml"
);

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

/// The JSON text of the documentation page's `Response examples (<status>)` block, as
/// the page gives it (200, 401 or 500).
pub fn seed_example(status: u16) -> String {
    read(&format!(
        "{FIXTURES}/list-legacy-backup-checkpoints-{status}.json"
    ))
    .trim()
    .to_owned()
}

/// The `example` of one of the spec's shared responses (`forbidden`, `notFound`, ...), as
/// JSON. The fragment is written by serde_yaml, so the example is a flat block of
/// `key: plain scalar` lines; anything else fails loudly rather than being misread.
pub fn spec_response_example(response: &str) -> Value {
    let text = read(SPEC_PATH);
    let lines: Vec<&str> = text.lines().collect();
    let responses = lines
        .iter()
        .position(|line| *line == "  responses:")
        .expect("the spec has components.responses");
    let header = format!("    {response}:");
    let at = responses
        + lines[responses..]
            .iter()
            .position(|line| *line == header)
            .unwrap_or_else(|| panic!("the spec has no response `{response}`"));
    let example = at
        + lines[at..]
            .iter()
            .position(|line| line.trim() == "example:")
            .unwrap_or_else(|| panic!("response `{response}` has no example"));
    let indent = |line: &str| line.len() - line.trim_start().len();
    let example_indent = indent(lines[example]);
    let mut object = serde_json::Map::new();
    for line in &lines[example + 1..] {
        if indent(line) <= example_indent {
            break;
        }
        let (key, value) = line
            .trim()
            .split_once(": ")
            .unwrap_or_else(|| panic!("not a `key: value` line: {line:?}"));
        assert!(
            !value.starts_with(['\'', '"', '|', '>', '[', '{']),
            "not a plain scalar: {line:?}"
        );
        let value = match value.parse::<i64>() {
            Ok(number) => Value::from(number),
            Err(_) => Value::from(value),
        };
        object.insert(key.to_owned(), value);
    }
    assert!(
        !object.is_empty(),
        "response `{response}` has an empty example"
    );
    Value::Object(object)
}

/// The JSON text of the documented error example for a status: the seed's for 401 and
/// 500, the spec's for 403 and 404 (the seed does not show those).
pub fn error_example(status: u16) -> String {
    match status {
        401 | 500 => seed_example(status),
        403 => spec_response_example("forbidden").to_string(),
        404 => spec_response_example("notFound").to_string(),
        _ => panic!("no documented error example for {status}"),
    }
}
