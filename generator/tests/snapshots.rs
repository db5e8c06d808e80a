//! Snapshots of every spec in `specs/`: its IR and the code emitted for it, each generated
//! with the configuration beside it (`specs/codegen.yaml`).
//!
//! When a spec changes, these snapshots change with it, and `cargo insta review` shows the
//! difference in what the client offers (IR) and in the code (emitted files) for review.

use std::fs;
use std::path::{Path, PathBuf};

fn specs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut specs: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .filter(|path| !path.ends_with(CONFIG))
        .collect();
    specs.sort();
    assert!(!specs.is_empty(), "no spec in specs/");
    specs
}

/// The configuration beside the specs, which `cargo xtask codegen` finds for them.
const CONFIG: &str = "codegen.yaml";

fn config(name: &str) -> generator::Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../specs")
        .join(CONFIG);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec_config = generator::config::parse(&text, &format!("specs/{CONFIG}"))
        .unwrap_or_else(|e| panic!("{e}"));
    generator::Config {
        crate_name: "snapshot".to_owned(),
        crate_version: "0.1.0".to_owned(),
        spec_path: format!("specs/{name}"),
        command: "cargo xtask codegen".to_owned(),
        spec_config,
        ..Default::default()
    }
}

#[test]
fn ir_and_code_of_each_spec() {
    for path in specs() {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let generated =
            generator::generate(&text, &config(&name)).unwrap_or_else(|e| panic!("{e}"));
        let stem = name.trim_end_matches(".yaml").trim_end_matches(".json");
        insta::assert_snapshot!(format!("{stem}.ir"), format!("{:#?}", generated.api));
        // The runtime and the command line's machinery are copied verbatim from the
        // generator and reviewed there.
        let code: String = generated
            .files
            .iter()
            .filter(|(path, _)| !matches!(path.as_str(), "src/runtime.rs" | "src/cli_support.rs"))
            .map(|(path, contents)| format!("=== {path} ===\n{contents}\n"))
            .collect();
        insta::assert_snapshot!(format!("{stem}.code"), code);
    }
}

#[test]
fn same_spec_gives_byte_identical_output() {
    for path in specs() {
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let config = config("spec.yaml");
        let first = generator::generate(&text, &config)
            .unwrap_or_else(|e| panic!("{e}"))
            .files;
        let second = generator::generate(&text, &config)
            .unwrap_or_else(|e| panic!("{e}"))
            .files;
        assert_eq!(first, second, "{}", path.display());
        // The same document as JSON generates the same crate: the format is not an input.
        let value =
            generator::load::parse_value(&text, "spec.yaml").unwrap_or_else(|e| panic!("{e}"));
        let json = serde_json::to_string(&value).unwrap_or_else(|e| panic!("{e}"));
        let from_json = generator::generate(
            &json,
            &generator::Config {
                spec_path: "specs/spec.json".to_owned(),
                ..config.clone()
            },
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .files;
        for (file, contents) in &first {
            assert_eq!(
                from_json[file].replace("spec.json", "spec.yaml"),
                *contents,
                "{file}"
            );
        }
    }
}
