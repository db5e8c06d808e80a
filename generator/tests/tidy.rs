//! The layering of the generator, written down and checked (see the table in the README):
//! each module (a file, or a directory such as `lower/` with every file in it) may import
//! only what its layer allows.

use std::fs;
use std::path::Path;

/// Module (file or directory under `src/`) and the crates it must not use.
const RULES: &[(&str, &[&str])] = &[
    (
        "ir",
        &[
            "openapiv3",
            "quote",
            "proc_macro2",
            "syn",
            "prettyplease",
            "heck",
            "crate::",
        ],
    ),
    (
        "names",
        &["openapiv3", "quote", "proc_macro2", "syn", "crate::ir"],
    ),
    ("pattern", &["openapiv3", "quote", "proc_macro2", "syn"]),
    // The configuration and the repairs before lowering know nothing of the later stages.
    (
        "config",
        &[
            "openapiv3",
            "quote",
            "proc_macro2",
            "syn",
            "crate::ir",
            "crate::lower",
            "crate::emit",
        ],
    ),
    (
        "repair",
        &[
            "openapiv3",
            "quote",
            "proc_macro2",
            "syn",
            "crate::lower",
            "crate::emit",
        ],
    ),
    (
        "lower",
        &["quote", "proc_macro2", "syn", "prettyplease", "crate::emit"],
    ),
    // The emitters make tokens, and syntax trees (`syn`) where building them beats parsing
    // tokens back (see `emit/syntax.rs`); formatting is `render`'s.
    ("emit", &["openapiv3", "prettyplease", "serde_yaml"]),
    (
        "render",
        &["openapiv3", "crate::ir", "crate::lower", "crate::emit"],
    ),
];

fn sources(module: &str) -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let file = src.join(format!("{module}.rs"));
    let dir = src.join(module);
    let mut out = Vec::new();
    if file.exists() {
        out.push((
            file.display().to_string(),
            fs::read_to_string(&file).unwrap_or_default(),
        ));
    }
    if let Ok(entries) = fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            out.push((
                path.display().to_string(),
                fs::read_to_string(&path).unwrap_or_default(),
            ));
        }
    }
    assert!(!out.is_empty(), "module {module} not found");
    out
}

#[test]
fn layers_import_only_what_they_may() {
    let mut violations = Vec::new();
    for (module, forbidden) in RULES {
        for (path, text) in sources(module) {
            for (number, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                for name in *forbidden {
                    let used = code.starts_with(&format!("use {name}"))
                        || code.contains(&format!("{name}::"))
                        || (name.ends_with("::") && code.contains(name));
                    if used {
                        violations.push(format!(
                            "{path}:{}: `{module}` must not use `{name}`: {code}",
                            number + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "layering broken:\n{}",
        violations.join("\n")
    );
}

#[test]
fn no_file_io_in_the_generator() {
    for module in [
        "ir", "names", "pattern", "lower", "emit", "render", "load", "error", "lib", "config",
        "repair", "summary",
    ] {
        for (path, text) in sources(module) {
            for forbidden in ["std::fs", "File::open", "fs::read", "fs::write"] {
                assert!(
                    !text.contains(forbidden),
                    "{path} uses {forbidden}: the generator does no file IO"
                );
            }
        }
    }
}
