//! `cargo xtask corpus`: generate a crate for every spec of the corpus and tabulate what the
//! generator decided for each.
//!
//! ```text
//! cargo xtask corpus [--build] [--out DIR] [--only NAME[,NAME...]]
//! ```
//!
//! The corpus is every spec in `../shared/specs/public/` and the two full Atlas specs (from
//! `specs/atlas/` when the repository has them, else `../shared/specs/atlas/`, generated
//! with `specs/codegen.yaml`). Each is generated in this process (the generate time is
//! `generator::generate`, formatting included) and written to `DIR/<spec>/` (by default
//! `corpus` in the system's temporary directory: outside the workspace, so each crate
//! builds on its own as a user's would). With `--build`, each crate is then linted with
//! `cargo clippy --all-targets -- -D warnings`, all in one target directory (`DIR/target`)
//! so that dependencies build once (a first, untimed run of the first crate builds them);
//! each crate is timed from scratch (its incremental cache removed, its `lib.rs` touched),
//! so the build time is the crate's own, plus any dependency only it needs. A crate that
//! fails does not stop the run: its log is kept in `DIR/<spec>.clippy.log` and the table
//! says how many errors it has. A spec that does not generate is a row with its error.
//!
//! The table is printed and written to `target/corpus/report.md`. Times come from the
//! build xtask was compiled in: run `cargo run --release -p xtask -- corpus --build` for
//! figures.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use generator::ir::WarningKind;

use crate::bench::{cargo, forget_incremental, time, touch};
use crate::codegen::{find_config, read_config, workspace_root, write};

struct Options {
    build: bool,
    out: PathBuf,
    only: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            build: false,
            out: std::env::temp_dir().join("corpus"),
            only: Vec::new(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value =
                |name: &str| args.next().cloned().ok_or(format!("{name} needs a value"));
            match arg.as_str() {
                "--build" => options.build = true,
                "--out" => options.out = PathBuf::from(value("--out")?),
                "--only" => {
                    options.only = value("--only")?
                        .split(',')
                        .map(|s| s.trim().to_owned())
                        .collect()
                }
                other => return Err(format!("unknown option `{other}` for corpus")),
            }
        }
        Ok(options)
    }
}

/// One spec of the corpus: its file and the configuration it is generated with.
struct Spec {
    path: PathBuf,
    config: Option<PathBuf>,
}

impl Spec {
    fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// What became of one spec.
#[derive(Default)]
struct Row {
    name: String,
    error: Option<String>,
    operations: usize,
    methods: usize,
    types: usize,
    fallbacks: usize,
    skipped: usize,
    renames: usize,
    warnings: usize,
    generate_s: f64,
    /// Seconds, and the number of clippy errors (`None` when clippy could not run).
    build: Option<(f64, Option<usize>)>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let root = workspace_root();
    let specs: Vec<Spec> = corpus(&root)?
        .into_iter()
        .filter(|s| options.only.is_empty() || options.only.contains(&s.name()))
        .collect();
    if specs.is_empty() {
        return Err("no spec of the corpus matches --only".to_owned());
    }
    fs::create_dir_all(&options.out)
        .map_err(|e| format!("cannot create {}: {e}", options.out.display()))?;
    let mut rows = Vec::with_capacity(specs.len());
    let mut warmed_up = false;
    for spec in &specs {
        eprintln!("corpus: {}", spec.name());
        let mut row = generate(spec, &options.out);
        if options.build && row.error.is_none() {
            if !warmed_up {
                eprintln!("corpus: building the dependencies (not timed)");
                clippy(&options.out, &spec.name());
                warmed_up = true;
            }
            row.build = Some(clippy(&options.out, &spec.name()));
        }
        rows.push(row);
    }
    let table = table(&rows, options.build);
    println!("{table}");
    let report = root.join("target/corpus/report.md");
    if let Some(dir) = report.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    fs::write(&report, &table).map_err(|e| format!("cannot write {}: {e}", report.display()))?;
    eprintln!("corpus: the table is in {}", report.display());
    Ok(())
}

/// Every spec of the public corpus, then the two full Atlas specs.
fn corpus(root: &Path) -> Result<Vec<Spec>, String> {
    let shared = root.join("../shared/specs");
    let public = shared.join("public");
    let mut specs: Vec<Spec> = fs::read_dir(&public)
        .map_err(|e| format!("cannot list {}: {e}", public.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .map(|path| Spec {
            config: find_config(&path),
            path,
        })
        .collect();
    specs.sort_by_key(|s| s.name());
    let atlas_config = root.join("specs").join(crate::codegen::CONFIG_FILE);
    for name in ["openapi-2023-01-01.json", "v2.yaml"] {
        let vendored = root.join("specs/atlas").join(name);
        let path = if vendored.exists() {
            vendored
        } else {
            shared.join("atlas").join(name)
        };
        specs.push(Spec {
            path,
            config: Some(atlas_config.clone()),
        });
    }
    Ok(specs)
}

/// Generates one spec into `out/<name>/` and counts what the generator decided.
fn generate(spec: &Spec, out: &Path) -> Row {
    let name = spec.name();
    let mut row = Row {
        name: name.clone(),
        ..Row::default()
    };
    let result = (|| -> Result<(), String> {
        let text = fs::read_to_string(&spec.path)
            .map_err(|e| format!("cannot read {}: {e}", spec.path.display()))?;
        let spec_config = read_config(spec.config.as_deref())?;
        let stem = name
            .rsplit_once('.')
            .map_or(name.as_str(), |(stem, _)| stem);
        let crate_name = format!("corpus-{stem}")
            .to_ascii_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
        let config = generator::Config {
            crate_name,
            crate_version: "0.1.0".to_owned(),
            spec_path: name.clone(),
            command: format!("cargo xtask corpus --only {name}"),
            spec_config,
            ..Default::default()
        };
        let started = Instant::now();
        let generated = generator::generate(&text, &config).map_err(|e| e.to_string())?;
        row.generate_s = started.elapsed().as_secs_f64();
        let api = &generated.api;
        row.methods = api.operations.len();
        let mut distinct: Vec<(&str, &str)> = api
            .operations
            .iter()
            .map(|op| (op.path.as_str(), op.method.as_str()))
            .collect();
        distinct.sort();
        distinct.dedup();
        row.operations = distinct.len();
        row.types = api.types.len();
        let count = |kind: WarningKind| api.warnings.iter().filter(|w| w.kind == kind).count();
        row.fallbacks = count(WarningKind::Fallback);
        row.skipped = count(WarningKind::Skipped);
        row.renames = api.renames.len();
        row.warnings = api.warnings.len();
        write(&out.join(&name), &generated.files)?;
        Ok(())
    })();
    if let Err(error) = result {
        // The first line is where and what; the excerpt below it is for the terminal.
        eprintln!("corpus: {name}: {error}");
        row.error = Some(error.lines().next().unwrap_or_default().to_owned());
    }
    row
}

/// `cargo clippy --all-targets -- -D warnings` on one generated crate: how long it took and
/// how many errors it reported, its output kept beside the crate.
fn clippy(out: &Path, name: &str) -> (f64, Option<usize>) {
    let manifest = out.join(name).join("Cargo.toml");
    let target = out.join("target");
    // From scratch: nothing of the crate's previous build is reused.
    let package = crate_name(name);
    let _ = forget_incremental(&target, &package);
    let _ = touch(&out.join(name).join("src/lib.rs"));
    let started = Instant::now();
    let output = cargo()
        .args(["clippy", "--quiet", "--all-targets", "--manifest-path"])
        .arg(&manifest)
        .args(["--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", &target)
        .output();
    let took = started.elapsed().as_secs_f64();
    let Ok(output) = output else {
        return (took, None);
    };
    let log = String::from_utf8_lossy(&output.stderr);
    let _ = fs::write(out.join(format!("{name}.clippy.log")), log.as_bytes());
    let errors = log
        .lines()
        .filter(|l| l.starts_with("error") && !l.starts_with("error: could not compile"))
        .count();
    let errors = if output.status.success() {
        0
    } else {
        errors.max(1)
    };
    (took, Some(errors))
}

/// The package name of a spec's crate: `corpus-` and the file's stem, in kebab case.
fn crate_name(spec: &str) -> String {
    let stem = spec.rsplit_once('.').map_or(spec, |(stem, _)| stem);
    format!("corpus-{stem}")
        .to_ascii_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
}

fn table(rows: &[Row], build: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| spec | operations (methods) | types | fallbacks | skipped | renames | warnings | generate time | build time (clippy) |"
    );
    let _ = writeln!(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    );
    for row in rows {
        if let Some(error) = &row.error {
            let _ = writeln!(
                out,
                "| {} | not generated: {error} | | | | | | | |",
                row.name
            );
            continue;
        }
        let build = match row.build {
            None if build => "not built".to_owned(),
            None => "(not run)".to_owned(),
            Some((seconds, Some(0))) => format!("{}, clean", time(seconds)),
            Some((seconds, Some(errors))) => format!("{}, {errors} errors", time(seconds)),
            Some((seconds, None)) => format!("{}, clippy did not run", time(seconds)),
        };
        let _ = writeln!(
            out,
            "| {} | {} ({}) | {} | {} | {} | {} | {} | {} | {build} |",
            row.name,
            row.operations,
            row.methods,
            row.types,
            row.fallbacks,
            row.skipped,
            row.renames,
            row.warnings,
            time(row.generate_s),
        );
    }
    out
}
