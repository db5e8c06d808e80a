//! The whole real specs, unmodified. The Atlas specs (with the Atlas configuration,
//! `specs/codegen.yaml`): every operation generates with no fallback and no skipped
//! operation, the JSON and YAML renderings of one spec give the same crate, and a summary
//! snapshot makes a spec upgrade reviewable. The public corpus: every spec generates, and
//! a snapshot of each one's decisions (renames, fallbacks, skips, repairs) makes any change
//! in them reviewable. (CI also compiles every crate with clippy; see `.ci/run` and
//! `cargo xtask corpus`.)

use std::fs;
use std::path::{Path, PathBuf};

use generator::ir::WarningKind;

/// A full Atlas spec, vendored in `specs/atlas/`.
fn spec(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../specs/atlas")
        .join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A spec of the public corpus beside the repository (`../shared/specs/public/`), or `None`
/// in a lone clone, which does not have it: the test says why it is skipped and passes,
/// unless `REQUIRE_SHARED_CORPORA` is set (as `.ci/run` sets it).
fn public_spec(name: &str) -> Option<String> {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs/public")
        .join(name);
    match fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if std::env::var_os("REQUIRE_SHARED_CORPORA").is_some() => {
            panic!(
                "REQUIRE_SHARED_CORPORA is set but {} cannot be read: {e}",
                path.display()
            )
        }
        Err(e) => {
            eprintln!(
                "skipped: {} cannot be read ({e}); the public corpus is beside the repository \
                 in CI (set REQUIRE_SHARED_CORPORA to make this an error)",
                path.display()
            );
            None
        }
    }
}

/// The Atlas configuration, shared by the fragment and the full specs.
fn atlas_config() -> generator::SpecConfig {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/codegen.yaml");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    generator::config::parse(&text, "specs/codegen.yaml").unwrap_or_else(|e| panic!("{e}"))
}

fn config(spec_path: &str, spec_config: generator::SpecConfig) -> generator::Config {
    generator::Config {
        crate_name: "whole".to_owned(),
        crate_version: "0.1.0".to_owned(),
        spec_path: spec_path.to_owned(),
        command: "cargo xtask codegen --spec SPEC --out DIR".to_owned(),
        spec_config,
        ..Default::default()
    }
}

fn atlas(name: &str) -> generator::Generated {
    generator::generate(&spec(name), &config(name, atlas_config()))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Atlas generates as it is: no type falls back and no operation is left out. (Repairs of
/// its defects are allowed, and listed in the summary.)
fn assert_no_fallback_or_skip(name: &str, generated: &generator::Generated) {
    let degraded: Vec<String> = generated
        .warnings
        .iter()
        .filter(|w| matches!(w.kind, WarningKind::Fallback | WarningKind::Skipped))
        .map(|w| w.to_string())
        .collect();
    assert!(degraded.is_empty(), "{name}:\n{}", degraded.join("\n"));
}

#[test]
fn the_2023_01_01_spec_in_json_and_yaml_gives_one_crate() {
    let json = atlas("openapi-2023-01-01.json");
    let yaml = atlas("openapi-2023-01-01.yaml");
    assert_no_fallback_or_skip("openapi-2023-01-01.json", &json);
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
            ..config("openapi-2023-01-01.json", atlas_config())
        };
        generator::generate(&text, &config).unwrap_or_else(|e| panic!("{e}"))
    };
    let (one, three) = (generate(1), generate(3));
    assert!(one.files == three.files, "one thread and three differ");
    let header_end = |text: &str| text.find("\n\n").map_or(0, |i| i + 2);
    for (module, tokens) in [
        ("src/models.rs", generator::emit::models(&one.api)),
        ("src/operations.rs", generator::emit::operations(&one.api)),
    ] {
        let at_once =
            generator::module_files(&one.api, module, tokens).unwrap_or_else(|e| panic!("{e}"));
        // The module's file and one per feature (`src/models/clusters.rs`).
        let dir = format!("{}/", module.trim_end_matches(".rs"));
        let in_parts: Vec<&String> = one
            .files
            .keys()
            .filter(|path| *path == module || path.starts_with(&dir))
            .collect();
        assert_eq!(in_parts, at_once.keys().collect::<Vec<_>>());
        assert!(at_once.len() > 40, "{module}: a module per tag");
        for (path, at_once) in &at_once {
            let in_parts = &one.files[path];
            assert!(
                in_parts[header_end(in_parts)..] == *at_once,
                "{path} formatted in parts differs from {path} formatted at once"
            );
        }
    }
}

#[test]
fn the_multi_version_v2_spec_generates_every_operation() {
    let generated = atlas("v2.yaml");
    assert_no_fallback_or_skip("v2.yaml", &generated);
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

#[test]
fn the_atlas_fragment_generates_with_no_warning_at_all() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/atlas-legacy-backup.yaml");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let generated = generator::generate(&text, &config("atlas-legacy-backup.yaml", atlas_config()))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(generated.warnings, []);
    assert_eq!(generated.api.renames, []);
}

/// The public corpus: twelve specs from other projects (see `../shared/specs/public/`).
const PUBLIC: &[&str] = &[
    "apideck-crm.yml",
    "apideck-vault.yml",
    "datadog-v1.yaml",
    "influxdb-oss.yml",
    "keycloak-23.0.6.json",
    "ory-kratos.json",
    "overseerr-api.yml",
    "qdrant.json",
    "sentry.json",
    "swagger-petstore-3.0.yaml",
    "vonage-number-insight.yml",
    "xero-files.yaml",
];

#[test]
fn every_public_spec_generates_and_its_decisions_are_reviewed() {
    for name in PUBLIC {
        let Some(text) = public_spec(name) else {
            return;
        };
        let generated = generator::generate(&text, &config(name, generator::SpecConfig::default()))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!generated.api.operations.is_empty(), "{name}");
        insta::assert_snapshot!(
            format!("public-{name}.decisions"),
            generator::summary::decisions(&generated.api)
        );
    }
}
