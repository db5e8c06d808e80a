//! The whole real Atlas specs, unmodified: every operation generates, the JSON and YAML
//! renderings of one spec give the same crate, and a summary snapshot makes a spec upgrade
//! reviewable. (CI also compiles both crates with clippy; see `.ci/run`.)

use std::fs;
use std::path::Path;

fn spec(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../specs/atlas")
        .join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn config(spec_path: &str) -> generator::Config {
    generator::Config {
        crate_name: "atlas-whole".to_owned(),
        crate_version: "0.1.0".to_owned(),
        spec_path: spec_path.to_owned(),
        command: "cargo xtask codegen --spec SPEC --out DIR".to_owned(),
        dev_dependencies: Vec::new(),
        skip_unsupported: false,
        benches: Vec::new(),
        threads: 0,
    }
}

#[test]
fn the_2023_01_01_spec_in_json_and_yaml_gives_one_crate() {
    let json = generator::generate(
        &spec("openapi-2023-01-01.json"),
        &config("openapi-2023-01-01.json"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let yaml = generator::generate(
        &spec("openapi-2023-01-01.yaml"),
        &config("openapi-2023-01-01.yaml"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(json.skipped.is_empty());
    // Every operation of the spec, none skipped.
    let operations: usize = json
        .api
        .operations
        .iter()
        .filter(|op| op.version.is_none())
        .count();
    assert_eq!(operations, 337);
    assert_eq!(
        json.files.keys().collect::<Vec<_>>(),
        yaml.files.keys().collect::<Vec<_>>()
    );
    // Only the headers differ: they name the file each crate came from.
    for (path, contents) in &json.files {
        let from_yaml =
            yaml.files[path].replace("openapi-2023-01-01.yaml", "openapi-2023-01-01.json");
        assert!(
            from_yaml == *contents,
            "{path} differs between the JSON and YAML renderings"
        );
    }
    insta::assert_snapshot!(
        "openapi-2023-01-01.summary",
        generator::summary::summary(&json.api)
    );
}

#[test]
fn files_formatted_in_parts_on_any_number_of_threads_are_the_files_formatted_at_once() {
    let text = spec("openapi-2023-01-01.json");
    let generate = |threads| {
        let config = generator::Config {
            threads,
            ..config("openapi-2023-01-01.json")
        };
        generator::generate(&text, &config).unwrap_or_else(|e| panic!("{e}"))
    };
    let (one, three) = (generate(1), generate(3));
    assert!(one.files == three.files, "one thread and three differ");
    let header_end = |text: &str| text.find("\n\n").map_or(0, |i| i + 2);
    for (path, tokens) in [
        ("src/models.rs", generator::emit::models(&one.api)),
        ("src/operations.rs", generator::emit::operations(&one.api)),
    ] {
        let in_parts = &one.files[path];
        let at_once = generator::render::render(tokens).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            in_parts[header_end(in_parts)..] == at_once,
            "{path} formatted in parts differs from {path} formatted at once"
        );
    }
}

#[test]
fn the_multi_version_v2_spec_generates_every_operation() {
    let generated =
        generator::generate(&spec("v2.yaml"), &config("v2.yaml")).unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.skipped.is_empty());
    let mut distinct: Vec<(&str, &str)> = generated
        .api
        .operations
        .iter()
        .map(|op| (op.path.as_str(), op.method.as_str()))
        .collect();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        457,
        "every operation, each version a method of its own"
    );
    insta::assert_snapshot!("v2.summary", generator::summary::summary(&generated.api));
}
