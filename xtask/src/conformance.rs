//! `cargo xtask conformance`: every operation of a spec called by its generated client
//! against Prism, an independent mock server that validates each request against the spec.
//!
//! ```text
//! cargo xtask conformance --spec FILE [--spec FILE...] [--config FILE] [--out DIR]
//!                         [--known FILE]
//! ```
//!
//! For each spec: generate its crate into `DIR/<spec>/` (by default
//! `target/conformance/`), add the test `generator::conformance_test` writes, start
//! `prism mock` on the spec (from `xtask/prism/`, installed with `npm ci --prefix
//! xtask/prism`), run the test against it, and read its report: for each operation,
//! whether Prism reported a request violation, the client failed to decode Prism's
//! answer, the call failed otherwise, or its arguments could not be built. The table is
//! printed and written to `target/conformance/report.md`, every failure listed below it.
//!
//! The run fails when an operation fails that `--known` (by default
//! `xtask/prism/known-failures.yaml`) does not list for that spec with its reason: a
//! failure caused by a defect in the spec is written down there, not hidden.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::bench::cargo;
use crate::codegen::{find_config, read_config, workspace_root, write};

struct Options {
    specs: Vec<PathBuf>,
    config: Option<PathBuf>,
    out: PathBuf,
    known: PathBuf,
}

impl Options {
    fn parse(args: &[String], root: &Path) -> Result<Self, String> {
        let mut options = Options {
            specs: Vec::new(),
            config: None,
            out: root.join("target/conformance"),
            known: root.join("xtask/prism/known-failures.yaml"),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value =
                |name: &str| args.next().cloned().ok_or(format!("{name} needs a value"));
            match arg.as_str() {
                "--spec" => options.specs.push(PathBuf::from(value("--spec")?)),
                "--config" => options.config = Some(PathBuf::from(value("--config")?)),
                "--out" => options.out = PathBuf::from(value("--out")?),
                "--known" => options.known = PathBuf::from(value("--known")?),
                other => return Err(format!("unknown option `{other}` for conformance")),
            }
        }
        if options.specs.is_empty() {
            return Err("conformance needs at least one --spec".to_owned());
        }
        Ok(options)
    }
}

/// A line of the test's report: a call, or a note.
enum Line {
    Call(Call),
    Note(String),
}

/// The outcome of one call, from the test's report.
struct Call {
    operation: String,
    version: String,
    outcome: String,
    detail: String,
}

/// What became of one spec.
#[derive(Default)]
struct Row {
    name: String,
    operations: usize,
    passed: usize,
    violations: usize,
    decode: usize,
    failed: usize,
    unbuilt: usize,
    /// Failures `--known` explains, and those it does not.
    explained: Vec<(Call, String)>,
    unexplained: Vec<Call>,
    /// Operations the known list names that passed, or that the spec does not have: the
    /// list is out of date.
    stale: Vec<(String, String)>,
    notes: Vec<String>,
    /// Why the spec could not be run at all, and the known list's reason for it
    /// (under the key `*`).
    error: Option<(String, Option<String>)>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let options = Options::parse(args, &root)?;
    let prism = root.join("xtask/prism/node_modules/.bin/prism");
    if !prism.exists() {
        return Err(format!(
            "Prism is not installed: run `npm ci --prefix xtask/prism` (looked for {})",
            prism.display()
        ));
    }
    let known = read_known(&options.known)?;
    fs::create_dir_all(&options.out)
        .map_err(|e| format!("cannot create {}: {e}", options.out.display()))?;
    // Absolute, so that what cargo and Prism are given does not depend on where they run.
    let out =
        std::path::absolute(&options.out).map_err(|e| format!("{}: {e}", options.out.display()))?;
    let mut rows = Vec::new();
    for spec in &options.specs {
        let name = spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        eprintln!("conformance: {name}");
        let config = options.config.clone().or_else(|| find_config(spec));
        let row = match run_spec(spec, config.as_deref(), &out, &name, &prism) {
            Ok(lines) => judge(&name, lines, known.get(&name)),
            // The spec as a whole: Prism cannot load it, or the crate does not build.
            Err(error) => {
                eprintln!("conformance: {name}: {error}");
                let reason = known.get(&name).and_then(|k| k.get("*")).cloned();
                Row {
                    name: name.clone(),
                    error: Some((first_line(&error), reason)),
                    ..Row::default()
                }
            }
        };
        rows.push(row);
    }
    let table = table(&rows);
    println!("{table}");
    let report = root.join("target/conformance/report.md");
    if let Some(dir) = report.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    fs::write(&report, &table).map_err(|e| format!("cannot write {}: {e}", report.display()))?;
    let unexplained: usize = rows
        .iter()
        .map(|r| r.unexplained.len() + usize::from(r.error.as_ref().is_some_and(|e| e.1.is_none())))
        .sum();
    let stale: usize = rows.iter().map(|r| r.stale.len()).sum();
    if unexplained > 0 || stale > 0 {
        return Err(format!(
            "{unexplained} operation(s) failed that {known} does not explain, and {stale} \
             entr(y/ies) of {known} name an operation that passed or does not exist \
             (listed above)",
            known = options.known.display()
        ));
    }
    Ok(())
}

/// `spec name → operationId → why it fails`.
type Known = BTreeMap<String, BTreeMap<String, String>>;

fn read_known(path: &Path) -> Result<Known, String> {
    match fs::read_to_string(path) {
        Ok(text) if text.trim().is_empty() => Ok(Known::new()),
        Ok(text) => serde_yaml::from_str::<Option<Known>>(&text)
            .map(Option::unwrap_or_default)
            .map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Known::new()),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// Generates the crate, starts Prism, runs the test and reads its report.
fn run_spec(
    spec: &Path,
    config: Option<&Path>,
    out: &Path,
    name: &str,
    prism: &Path,
) -> Result<Vec<Line>, String> {
    let text =
        fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let crate_name = format!("conformance-{stem}")
        .to_ascii_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let lib = crate_name.replace('-', "_");
    let generator_config = generator::Config {
        crate_name,
        crate_version: "0.1.0".to_owned(),
        spec_path: name.to_owned(),
        command: format!("cargo xtask conformance --spec {name}"),
        spec_config: read_config(config)?,
        ..Default::default()
    };
    let generated = generator::generate(&text, &generator_config).map_err(|e| e.to_string())?;
    let mut files = generated.files;
    let test = generator::conformance_test(&generated.api, &lib).map_err(|e| e.to_string())?;
    files.insert("tests/conformance.rs".to_owned(), test);
    let manifest = files
        .get_mut("Cargo.toml")
        .ok_or("the generated crate has no Cargo.toml")?;
    if !manifest.contains("[dev-dependencies]") {
        manifest.push_str("\n[dev-dependencies]\n");
    }
    let dev = manifest
        .split("[dev-dependencies]")
        .nth(1)
        .unwrap_or_default();
    if !dev.contains("\ntokio") {
        *manifest = manifest.replace(
            "[dev-dependencies]\n",
            "[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
        );
    }
    // A workspace of its own: `DIR` may be inside this one (`target/`).
    if !manifest.contains("\n[workspace]") {
        manifest.push_str("\n[workspace]\n");
    }
    let dir = out.join(name);
    write(&dir, &files)?;

    // Build first, so that Prism's start-up and the build do not compete for the machine.
    let target = out.join("target");
    let manifest = dir.join("Cargo.toml");
    let build = cargo()
        .args([
            "test",
            "--quiet",
            "--no-run",
            "--test",
            "conformance",
            "--manifest-path",
        ])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !build.success() {
        return Err(format!("{name}: the conformance test does not build"));
    }

    let port = free_port()?;
    let spec = spec
        .canonicalize()
        .map_err(|e| format!("{}: {e}", spec.display()))?;
    let log_path = out.join(format!("{name}.prism.log"));
    let log = fs::File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let mut server = Server(
        Command::new(prism)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(&spec)
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", prism.display()))?,
    );
    wait_for(&mut server.0, port, &log_path)?;
    let output = cargo()
        .args([
            "test",
            "--quiet",
            "--test",
            "conformance",
            "--manifest-path",
        ])
        .arg(&manifest)
        .args(["--", "--nocapture"])
        .env("CARGO_TARGET_DIR", &target)
        .env("CONFORMANCE_URL", format!("http://127.0.0.1:{port}"))
        // Debug builds of large request builders take a lot of stack.
        .env("RUST_MIN_STACK", "67108864")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    drop(server);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = out.join(format!("{name}.report.jsonl"));
    let lines: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("conformance-report: "))
        .collect();
    fs::write(&report, lines.join("\n"))
        .map_err(|e| format!("cannot write {}: {e}", report.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{name}: the conformance test failed to run:\n{stdout}"
        ));
    }
    let mut calls = Vec::new();
    for line in lines {
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}: {e}", report.display()))?;
        let field = |key: &str| value[key].as_str().unwrap_or_default().to_owned();
        if value.get("note").is_some() {
            calls.push(Line::Note(field("note")));
        } else {
            calls.push(Line::Call(Call {
                operation: field("operation"),
                version: field("version"),
                outcome: field("outcome"),
                detail: field("detail"),
            }));
        }
    }
    Ok(calls)
}

/// A child process killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// Waits until the server takes connections (a large spec takes Prism a while to load).
fn wait_for(server: &mut Child, port: u16, log: &Path) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(300) {
        if let Ok(Some(status)) = server.try_wait() {
            let text = fs::read_to_string(log).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(20).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            return Err(format!("Prism exited ({status}):\n{}", tail.join("\n")));
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err(format!(
        "Prism did not start within 300 s (see {})",
        log.display()
    ))
}

fn judge(name: &str, lines: Vec<Line>, known: Option<&BTreeMap<String, String>>) -> Row {
    let mut row = Row {
        name: name.to_owned(),
        ..Row::default()
    };
    let mut outcomes: BTreeMap<String, bool> = BTreeMap::new();
    for line in lines {
        let call = match line {
            Line::Note(note) => {
                row.notes.push(note);
                continue;
            }
            Line::Call(call) => call,
        };
        row.operations += 1;
        let passed = call.outcome == "passed";
        // An operation called in several versions fails when any of them fails.
        *outcomes.entry(call.operation.clone()).or_insert(true) &= passed;
        match call.outcome.as_str() {
            "passed" => {
                row.passed += 1;
                continue;
            }
            "violations" => row.violations += 1,
            "decode" => row.decode += 1,
            "unbuilt" => row.unbuilt += 1,
            _ => row.failed += 1,
        }
        match known.and_then(|k| k.get(&call.operation)) {
            Some(reason) => row.explained.push((call, reason.clone())),
            None => row.unexplained.push(call),
        }
    }
    for (operation, reason) in known.into_iter().flatten() {
        match outcomes.get(operation) {
            _ if operation == "*" => {}
            Some(false) => {}
            Some(true) => row.stale.push((operation.clone(), "passed".to_owned())),
            None => row
                .stale
                .push((operation.clone(), format!("was not called ({reason})"))),
        }
    }
    row
}

fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str(
        "| spec | operations called | passed | request violations | decode failures | other failures | arguments not built | explained in the known list |\n",
    );
    out.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for r in rows {
        if let Some((error, reason)) = &r.error {
            let known = reason
                .as_ref()
                .map_or(String::new(), |r| format!(" (known: {r})"));
            let _ = writeln!(out, "| {} | not run: {error}{known} | | | | | | |", r.name);
            continue;
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.name,
            r.operations,
            r.passed,
            r.violations,
            r.decode,
            r.failed,
            r.unbuilt,
            r.explained.len()
        );
    }
    for r in rows {
        for call in &r.unexplained {
            let _ = writeln!(
                out,
                "\n{}: {}{} ({}): {}",
                r.name,
                call.operation,
                version(&call.version),
                call.outcome,
                excerpt(&call.detail)
            );
        }
        for (call, reason) in &r.explained {
            let _ = writeln!(
                out,
                "\n{}: {}{} ({}, known: {reason}): {}",
                r.name,
                call.operation,
                version(&call.version),
                call.outcome,
                excerpt(&call.detail)
            );
        }
        for (operation, what) in &r.stale {
            let _ = writeln!(
                out,
                "\n{}: {operation}: listed as a known failure, but {what}: remove it from the list",
                r.name
            );
        }
        for note in &r.notes {
            let _ = writeln!(out, "\n{}: note: {}", r.name, excerpt(note));
        }
    }
    out
}

/// The first line of a message that is not blank (Prism's own messages start with `{`).
fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("message:") || l.starts_with("error"))
        .or_else(|| text.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or_default();
    excerpt(line).replace('|', "\\|")
}

fn version(version: &str) -> String {
    if version.is_empty() {
        String::new()
    } else {
        format!(" [{version}]")
    }
}

fn excerpt(text: &str) -> String {
    let text = text.replace('\n', " ");
    match text.char_indices().nth(400) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(operation: &str, outcome: &str) -> Line {
        Line::Call(Call {
            operation: operation.to_owned(),
            version: String::new(),
            outcome: outcome.to_owned(),
            detail: String::new(),
        })
    }

    #[test]
    fn known_failures_that_pass_or_are_not_called_are_stale() {
        let known: BTreeMap<String, String> = [
            ("fails", "spec: why"),
            ("passes", "prism: why"),
            ("absent", "test: why"),
            ("*", "spec: the whole spec"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let lines = vec![
            call("fails", "violations"),
            call("passes", "passed"),
            call("unexplained", "decode"),
        ];
        let row = judge("spec.yaml", lines, Some(&known));
        assert_eq!(row.passed, 1);
        assert_eq!(row.explained.len(), 1);
        assert_eq!(row.unexplained.len(), 1);
        let stale: Vec<&str> = row.stale.iter().map(|(op, _)| op.as_str()).collect();
        assert_eq!(stale, ["absent", "passes"]);
    }

    #[test]
    fn an_operation_failing_in_one_of_its_versions_is_not_stale() {
        let known: BTreeMap<String, String> = [("both".to_owned(), "spec: why".to_owned())]
            .into_iter()
            .collect();
        let lines = vec![call("both", "passed"), call("both", "decode")];
        let row = judge("spec.yaml", lines, Some(&known));
        assert!(row.stale.is_empty());
    }
}
