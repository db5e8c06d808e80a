//! The negative corpus: each spec in `tests/broken/` is one way a spec can be broken.
//!
//! Every one must be refused (an `Err`, never `Ok` and never a panic) with a message that
//! says where: whenever the error names a JSON pointer, it also has the line and column of
//! that node and the lines around it. The message of each file is a snapshot named after
//! the file, so a change in wording or in the place shown is reviewed.
//!
//! A file that the generator cannot refuse yet is listed in `KNOWN` with the reason; it is
//! left out of the corpus test and has an ignored test of its own below, which passes (and
//! should lose its `#[ignore]` and its `KNOWN` entry) once the generator is fixed.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Files the generator does not refuse properly yet, and what it does instead.
const KNOWN: &[(&str, &str)] = &[];

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() > 20,
        "the corpus in {} is missing",
        dir.display()
    );
    files
}

fn name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned()
}

/// Generates from one corpus file, checks it is refused with a located message and
/// snapshots that message; `Err` says what is wrong instead.
fn check(file: &str) -> Result<(), String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/broken")
        .join(file);
    let text = fs::read_to_string(&path).map_err(|e| format!("{file}: {e}"))?;
    let config = generator::Config {
        crate_name: "broken".to_owned(),
        crate_version: "0.1.0".to_owned(),
        spec_path: format!("tests/broken/{file}"),
        command: "cargo xtask codegen".to_owned(),
        dev_dependencies: Vec::new(),
        spec_config: generator::SpecConfig::default(),
        benches: Vec::new(),
        threads: 0,
    };
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| generator::generate(&text, &config)));
    let error = match outcome {
        Err(_) => return Err(format!("{file}: generate panicked (its message is above)")),
        Ok(Ok(_)) => return Err(format!("{file}: the broken spec was accepted")),
        Ok(Err(error)) => error,
    };
    let message = error.to_string();
    if error.file != config.spec_path {
        return Err(format!(
            "{file}: the error names the file {:?}: {message}",
            error.file
        ));
    }
    if !error.pointer.is_empty() {
        let Some((line, column)) = error.location else {
            return Err(format!(
                "{file}: the error names #{} but no line: {message}",
                error.pointer
            ));
        };
        if !message.starts_with(&format!("{}:{line}:{column}: ", config.spec_path)) {
            return Err(format!("{file}: no line:column in front: {message}"));
        }
        let excerpt = error.excerpt.as_deref().unwrap_or_default();
        if !excerpt.contains(&format!(">{line:>6} | ")) {
            return Err(format!(
                "{file}: the excerpt does not mark line {line}: {message}"
            ));
        }
    }
    insta::with_settings!({
        description => format!("generate(tests/broken/{file})"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(file.to_owned(), message);
    });
    Ok(())
}

#[test]
fn every_broken_spec_is_refused_with_a_located_message() {
    let files: Vec<String> = corpus().iter().map(|p| name(p)).collect();
    for (known, _) in KNOWN {
        assert!(
            files.iter().any(|f| f == known),
            "KNOWN names {known}, which is not in the corpus"
        );
    }
    let problems: Vec<String> = files
        .iter()
        .filter(|file| KNOWN.iter().all(|(known, _)| known != file))
        .filter_map(|file| check(file).err())
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
