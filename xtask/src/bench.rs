//! `cargo xtask bench`: every benchmark of the workspace, and one table of the figures.
//!
//! ```text
//! cargo xtask bench [--quick] [--runs N] [--cold] [--only PART[,PART...]]
//! ```
//!
//! Parts, in the order they run (`--only` picks some; all by default):
//!
//! - `codegen`: `cargo bench -p generator` (criterion `codegen`: wall time of
//!   `generator::generate` on the fragment and the whole 2023-01-01 spec, and the whole
//!   spec's stages; `codegen_heap`: peak heap of one call, by a counting allocator);
//! - `client`: `cargo bench -p atlas-admin` (criterion `decode` and `request`, and the
//!   `loopback` and `cli` drivers; `cli` times the command line's whole process);
//! - `process`: the release xtask binary's `codegen --spec F --out <tmp>`, run `--runs`
//!   times (5 by default) after one warm-up run, each into a new empty directory; wall
//!   time, and peak RSS from the `rusage` that `wait4` returns for the child;
//! - `compile`: `cargo build --lib` of `generated/` and of the whole-spec crate: the crate
//!   alone from scratch (its incremental cache removed, dependencies already built) and
//!   incremental (after touching `src/lib.rs`, nothing changed), each crate in a target directory of its own
//!   (`target/bench/compile-target/<package>`), so that another build in `target/`
//!   neither waits on nor disturbs it. `--cold` empties those directories first, and also
//!   times the first build, dependencies included.
//!
//! `--quick` passes `--quick` to the benches (criterion's shorter run, a quarter of the
//! loopback requests) and runs the process measurement 3 times: for trying the command,
//! not for figures. The results go to `target/bench/` (criterion's data in `criterion/`,
//! the other benches' rows in `report.jsonl`), and the table is printed and written to
//! `target/bench/report.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::codegen::workspace_root;

const PARTS: &[&str] = &["codegen", "client", "process", "compile"];
const FRAGMENT: &str = "specs/atlas-legacy-backup.yaml";
const WHOLE: &str = "specs/atlas/openapi-2023-01-01.json";
/// The package name `codegen --spec` gives the whole spec's crate (from the file's stem).
const WHOLE_CRATE: &str = "openapi-2023-01-01";

/// The targets the issue sets, in seconds or as a ratio.
const TARGET_WHOLE_S: f64 = 0.5;
const TARGET_FRAGMENT_S: f64 = 0.020;
const TARGET_DECODE_RATIO: f64 = 0.95;
const TARGET_REQUEST_S: f64 = 1e-6;

struct Options {
    quick: bool,
    runs: usize,
    cold: bool,
    parts: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            quick: false,
            runs: 0,
            cold: false,
            parts: PARTS.iter().map(|p| (*p).to_owned()).collect(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value =
                |name: &str| args.next().cloned().ok_or(format!("{name} needs a value"));
            match arg.as_str() {
                "--quick" => options.quick = true,
                "--cold" => options.cold = true,
                "--runs" => {
                    options.runs = value("--runs")?
                        .parse()
                        .map_err(|_| "--runs needs a positive number".to_owned())?;
                    if options.runs == 0 {
                        return Err("--runs needs a positive number".to_owned());
                    }
                }
                "--only" => {
                    options.parts = value("--only")?
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect();
                    if let Some(unknown) =
                        options.parts.iter().find(|p| !PARTS.contains(&p.as_str()))
                    {
                        return Err(format!(
                            "unknown part `{unknown}`; the parts are {}",
                            PARTS.join(", ")
                        ));
                    }
                }
                other => return Err(format!("unknown option `{other}` for bench")),
            }
        }
        if options.runs == 0 {
            options.runs = if options.quick { 3 } else { 5 };
        }
        Ok(options)
    }

    fn wants(&self, part: &str) -> bool {
        self.parts.iter().any(|p| p == part)
    }
}

/// Where this run's results go.
struct Dirs {
    root: PathBuf,
    target: PathBuf,
    bench: PathBuf,
    criterion: PathBuf,
    report: PathBuf,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let root = workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_absolute() { t } else { root.join(t) })
        .unwrap_or_else(|| root.join("target"));
    let bench = target.join("bench");
    let dirs = Dirs {
        criterion: bench.join("criterion"),
        report: bench.join("report.jsonl"),
        root,
        target,
        bench,
    };
    // Results of an earlier run would show as this run's: start empty.
    let _ = fs::remove_dir_all(&dirs.criterion);
    let _ = fs::remove_file(&dirs.report);
    fs::create_dir_all(&dirs.bench).map_err(|e| format!("cannot create target/bench: {e}"))?;

    let machine = Machine::read();
    let started = Instant::now();
    let mut process = Vec::new();
    let mut compile = Vec::new();
    if options.wants("codegen") {
        cargo_bench(&dirs, &options, "generator", &["codegen", "codegen_heap"])?;
    }
    if options.wants("client") {
        cargo_bench(
            &dirs,
            &options,
            "atlas-admin",
            &["decode", "request", "loopback", "cli"],
        )?;
    }
    if options.wants("process") {
        process = measure_process(&dirs, options.runs)?;
    }
    if options.wants("compile") {
        compile = measure_compile(&dirs, options.cold)?;
    }
    let load_after = fs::read_to_string("/proc/loadavg").unwrap_or_default();

    let mut table = String::new();
    machine.write(&mut table, &load_after, started.elapsed(), &options);
    let criterion = read_criterion(&dirs.criterion);
    let report = read_report(&dirs.report);
    write_codegen(&mut table, &criterion, &report, &process);
    write_client(&mut table, &criterion, &report);
    write_compile(&mut table, &compile);
    let path = dirs.bench.join("report.md");
    fs::write(&path, &table).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("{table}");
    eprintln!("(written to {})", path.display());
    Ok(())
}

/// A `cargo` command without the variables `cargo run` set for xtask itself: build
/// scripts that watch them (ring's watches `CARGO_MANIFEST_DIR`) would otherwise rerun,
/// and rebuild their crates, whenever a build alternates between xtask and a shell.
pub(crate) fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let set_by_cargo_run = name.starts_with("CARGO_PKG_")
            || matches!(
                name,
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
            );
        if set_by_cargo_run {
            command.env_remove(name);
        }
    }
    command
}

fn status(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed: {status}"))
    }
}

/// `cargo bench -p PACKAGE --bench B...`, with criterion's data and the report file in
/// `target/bench/`. Output goes to the terminal as the benches run.
fn cargo_bench(
    dirs: &Dirs,
    options: &Options,
    package: &str,
    benches: &[&str],
) -> Result<(), String> {
    eprintln!("==> cargo bench -p {package}");
    let mut command = cargo();
    command
        .current_dir(&dirs.root)
        .args(["bench", "-p", package]);
    for bench in benches {
        command.args(["--bench", bench]);
    }
    if options.quick {
        command.args(["--", "--quick"]);
    }
    command
        .env("CRITERION_HOME", &dirs.criterion)
        .env("ATLAS_BENCH_REPORT", &dirs.report);
    status(&mut command, &format!("cargo bench -p {package}"))
}

/// The machine, as BENCHMARKS.md reports it.
struct Machine {
    cores: usize,
    cpu: String,
    memory: String,
    rustc: String,
    load_before: String,
}

impl Machine {
    fn read() -> Self {
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
            .unwrap_or_else(|| "unknown".to_owned());
        let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|kb| kb.trim().trim_end_matches(" kB").parse::<f64>().ok())
            .map(|kb| format!("{:.1} GiB", kb / (1024.0 * 1024.0)))
            .unwrap_or_else(|| "unknown".to_owned());
        let rustc = Command::new("rustc")
            .arg("-V")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_else(|| "unknown".to_owned());
        Machine {
            cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
            cpu,
            memory,
            rustc,
            load_before: fs::read_to_string("/proc/loadavg").unwrap_or_default(),
        }
    }

    fn write(&self, out: &mut String, load_after: &str, took: Duration, options: &Options) {
        let load = |l: &str| l.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
        let _ = writeln!(out, "# cargo xtask bench\n");
        let _ = writeln!(
            out,
            "Machine: {} cores ({}), {} memory, {}. Load average (1, 5, 15 min) before: {}, after: {}. Took {:.0} s{}.\n",
            self.cores,
            self.cpu,
            self.memory,
            self.rustc,
            load(&self.load_before),
            load(load_after),
            took.as_secs_f64(),
            if options.quick {
                " (--quick: not for figures)"
            } else {
                ""
            }
        );
    }
}

// ---------------------------------------------------------------------------------------
// Whole-process codegen

struct ProcessRun {
    wall: Duration,
    cpu: Duration,
    max_rss_kib: u64,
}

struct ProcessResult {
    input: &'static str,
    runs: Vec<ProcessRun>,
}

fn measure_process(dirs: &Dirs, runs: usize) -> Result<Vec<ProcessResult>, String> {
    eprintln!("==> cargo build --release -p xtask");
    status(
        cargo()
            .current_dir(&dirs.root)
            .args(["build", "--release", "--quiet", "-p", "xtask"]),
        "cargo build --release -p xtask",
    )?;
    let binary = dirs
        .target
        .join("release")
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    let mut results = Vec::new();
    for (input, spec) in [("fragment", FRAGMENT), ("whole", WHOLE)] {
        let spec = dirs.root.join(spec);
        if !spec.exists() {
            eprintln!("skipping {}: not found", spec.display());
            continue;
        }
        eprintln!(
            "==> xtask codegen --spec {} ({runs} runs after a warm-up)",
            spec.display()
        );
        let mut measured = Vec::new();
        for i in 0..=runs {
            let out = std::env::temp_dir().join(format!(
                "atlas-bench-codegen-{}-{input}-{i}",
                std::process::id()
            ));
            let _ = fs::remove_dir_all(&out);
            let mut command = Command::new(&binary);
            command
                .arg("codegen")
                .arg("--spec")
                .arg(&spec)
                .arg("--out")
                .arg(&out)
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let run = run_measured(&mut command);
            let _ = fs::remove_dir_all(&out);
            let run = run.map_err(|e| {
                format!(
                    "{} codegen --spec {}: {e}",
                    binary.display(),
                    spec.display()
                )
            })?;
            if i > 0 {
                measured.push(run);
            }
        }
        results.push(ProcessResult {
            input,
            runs: measured,
        });
    }
    Ok(results)
}

/// Runs the command to its end; its wall time, CPU time and peak RSS, from `wait4`.
#[cfg(unix)]
fn run_measured(command: &mut Command) -> Result<ProcessRun, String> {
    let start = Instant::now();
    let child = command.spawn().map_err(|e| format!("cannot start: {e}"))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| e.to_string())?;
    let mut wait_status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data, for which all-zero bytes are a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped (std's `Child` is never waited
        // on: dropping it does not wait), and both pointers are to live locals.
        let reaped = unsafe { libc::wait4(pid, &mut wait_status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4: {error}"));
        }
    }
    let wall = start.elapsed();
    drop(child);
    if !(libc::WIFEXITED(wait_status) && libc::WEXITSTATUS(wait_status) == 0) {
        return Err(format!("failed (wait status {wait_status})"));
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Ok(ProcessRun {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        // Linux reports kibibytes.
        max_rss_kib: usage.ru_maxrss as u64,
    })
}

#[cfg(not(unix))]
fn run_measured(_command: &mut Command) -> Result<ProcessRun, String> {
    Err("the whole-process measurement needs wait4 (Linux or another Unix)".to_owned())
}

// ---------------------------------------------------------------------------------------
// Compile time

struct CompileRow {
    krate: &'static str,
    kind: &'static str,
    seconds: f64,
}

fn measure_compile(dirs: &Dirs, cold: bool) -> Result<Vec<CompileRow>, String> {
    let targets = dirs.bench.join("compile-target");
    let mut rows = Vec::new();
    // Each crate has a target directory of its own, so that a cold build of one is not
    // helped by the other's dependencies.
    let mut measure = |krate: &'static str, dir: &Path, package: &str| -> Result<(), String> {
        eprintln!("==> compile time of {krate} ({})", dir.display());
        let target = targets.join(package);
        if cold {
            let _ = fs::remove_dir_all(&target);
        }
        let build = |timings: bool| -> Result<f64, String> {
            let mut command = cargo();
            command
                .current_dir(dir)
                .args(["build", "--lib", "--quiet"])
                .env("CARGO_TARGET_DIR", &target);
            if timings {
                command.arg("--timings");
            }
            let start = Instant::now();
            status(&mut command, &format!("cargo build in {}", dir.display()))?;
            Ok(start.elapsed().as_secs_f64())
        };
        let first = build(false)?;
        if cold {
            rows.push(CompileRow {
                krate,
                kind: "cold (dependencies included)",
                seconds: first,
            });
        }
        // The crate alone from scratch: its incremental cache gone and a source touched.
        // (`cargo clean -p` would do, but it also deletes some dependencies' artifacts,
        // such as `tracing` and `digest` here, which then rebuild inside the figure.)
        forget_incremental(&target, package)?;
        touch(&dir.join("src/lib.rs"))?;
        rows.push(CompileRow {
            krate,
            kind: "clean crate (dependencies built)",
            seconds: build(true)?,
        });
        touch(&dir.join("src/lib.rs"))?;
        rows.push(CompileRow {
            krate,
            kind: "incremental (src/lib.rs touched)",
            seconds: build(false)?,
        });
        eprintln!(
            "(cargo's --timings report of the clean build: {})",
            target.join("cargo-timings").display()
        );
        Ok(())
    };

    // generated/, a workspace member.
    measure(
        "generated/ (atlas-admin)",
        &dirs.root.join("generated"),
        "atlas-admin",
    )?;

    // The whole spec's crate, outside the workspace (as CI builds it), with the
    // workspace's lock file so the dependencies are the same versions.
    let whole_spec = dirs.root.join(WHOLE);
    if whole_spec.exists() {
        let out = std::env::temp_dir().join("atlas-bench-whole-crate");
        status(
            cargo()
                .current_dir(&dirs.root)
                .args([
                    "run",
                    "--quiet",
                    "--release",
                    "-p",
                    "xtask",
                    "--",
                    "codegen",
                    "--spec",
                ])
                .arg(&whole_spec)
                .arg("--out")
                .arg(&out)
                .stderr(Stdio::null()),
            "xtask codegen of the whole spec",
        )?;
        if !out.join("Cargo.lock").exists() {
            fs::copy(dirs.root.join("Cargo.lock"), out.join("Cargo.lock"))
                .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
        }
        measure("whole 2023-01-01 spec", &out, WHOLE_CRATE)?;
    } else {
        eprintln!(
            "skipping the whole spec's crate: {} not found",
            whole_spec.display()
        );
    }
    Ok(rows)
}

/// Removes the crate's incremental compilation cache from a target directory.
pub(crate) fn forget_incremental(target: &Path, package: &str) -> Result<(), String> {
    let prefix = format!("{}-", package.replace('-', "_"));
    let dir = target.join("debug").join("incremental");
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            fs::remove_dir_all(entry.path())
                .map_err(|e| format!("cannot remove {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Sets a file's modification time to now, without changing its contents.
pub(crate) fn touch(path: &Path) -> Result<(), String> {
    fs::File::options()
        .append(true)
        .open(path)
        .and_then(|file| file.set_modified(std::time::SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------
// Reading the results

/// One criterion benchmark: its time per iteration, in seconds.
struct Estimate {
    median: f64,
    /// The 95% confidence interval of the median.
    low: f64,
    high: f64,
    /// The fastest and slowest sample (time per iteration).
    min: f64,
    max: f64,
    bytes: Option<u64>,
}

/// Every benchmark under criterion's directory, by its id (`group/function`).
fn read_criterion(dir: &Path) -> BTreeMap<String, Estimate> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            if path.file_name().is_some_and(|n| n == "new") {
                if let Some((id, estimate)) = read_estimate(&path) {
                    found.insert(id, estimate);
                }
            } else {
                pending.push(path);
            }
        }
    }
    found
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}

fn read_estimate(dir: &Path) -> Option<(String, Estimate)> {
    let benchmark = read_json(&dir.join("benchmark.json"))?;
    let estimates = read_json(&dir.join("estimates.json"))?;
    let sample = read_json(&dir.join("sample.json"))?;
    let ns = |v: &Value| v.as_f64().map(|n| n * 1e-9);
    let median = &estimates["median"];
    let per_iteration: Vec<f64> = sample["iters"]
        .as_array()?
        .iter()
        .zip(sample["times"].as_array()?)
        .filter_map(|(i, t)| Some(t.as_f64()? / i.as_f64()? * 1e-9))
        .collect();
    let id = benchmark["full_id"].as_str()?.to_owned();
    Some((
        id,
        Estimate {
            median: ns(&median["point_estimate"])?,
            low: ns(&median["confidence_interval"]["lower_bound"])?,
            high: ns(&median["confidence_interval"]["upper_bound"])?,
            min: per_iteration.iter().copied().fold(f64::INFINITY, f64::min),
            max: per_iteration.iter().copied().fold(0.0, f64::max),
            bytes: benchmark["throughput"]["Bytes"].as_u64(),
        },
    ))
}

fn read_report(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

// ---------------------------------------------------------------------------------------
// The table

/// A duration in the unit that suits it.
pub(crate) fn time(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.2} ms", seconds * 1e3)
    } else if seconds >= 1e-6 {
        format!("{:.2} µs", seconds * 1e6)
    } else {
        format!("{:.0} ns", seconds * 1e9)
    }
}

fn spread(e: &Estimate) -> String {
    format!(
        "CI95 {}–{}; samples {}–{}",
        time(e.low),
        time(e.high),
        time(e.min),
        time(e.max)
    )
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
}

fn write_codegen(
    out: &mut String,
    criterion: &BTreeMap<String, Estimate>,
    report: &[Value],
    process: &[ProcessResult],
) {
    let heap: Vec<&Value> = report
        .iter()
        .filter(|r| r["kind"] == "codegen_heap")
        .collect();
    if !criterion.keys().any(|k| k.starts_with("codegen/")) && process.is_empty() {
        return;
    }
    let _ = writeln!(out, "## 1. Codegen\n");
    let _ = writeln!(
        out,
        "| what | median | spread | target | ratio to target | verdict |\n| --- | --- | --- | --- | --- | --- |"
    );
    let target_of = |input: &str| {
        if input.starts_with("whole") {
            TARGET_WHOLE_S
        } else {
            TARGET_FRAGMENT_S
        }
    };
    for (input, label) in [
        ("fragment", "fragment"),
        ("whole", "whole"),
        ("whole_one_thread", "whole, on one thread"),
    ] {
        if let Some(e) = criterion.get(&format!("codegen/{input}")) {
            let target = target_of(input);
            let _ = writeln!(
                out,
                "| library `generate`, {label} | {} | {} | < {} | {:.2}× | {} |",
                time(e.median),
                spread(e),
                time(target),
                e.median / target,
                // The target is for `generate` as it runs; one thread is for comparison.
                if input == "whole_one_thread" {
                    "for comparison"
                } else {
                    verdict(e.median < target)
                }
            );
        }
    }
    for result in process {
        let target = target_of(result.input);
        let mut wall: Vec<f64> = result.runs.iter().map(|r| r.wall.as_secs_f64()).collect();
        let mut cpu: Vec<f64> = result.runs.iter().map(|r| r.cpu.as_secs_f64()).collect();
        let m = median(&mut wall);
        let _ = writeln!(
            out,
            "| process `xtask codegen --spec`, {} ({} runs) | {} | min–max {}–{}; CPU median {} | < {} | {:.2}× | {} |",
            result.input,
            wall.len(),
            time(m),
            time(wall.first().copied().unwrap_or_default()),
            time(wall.last().copied().unwrap_or_default()),
            time(median(&mut cpu)),
            time(target),
            m / target,
            verdict(m < target)
        );
    }
    let _ = writeln!(out, "\n| memory | peak | detail |\n| --- | --- | --- |");
    for row in &heap {
        let _ = writeln!(
            out,
            "| library peak heap, {} | {} | {} allocated in {} allocations; spec {}, output {} |",
            row["input"].as_str().unwrap_or("?"),
            mib(row["peak_bytes"].as_f64().unwrap_or(0.0)),
            mib(row["allocated_bytes"].as_f64().unwrap_or(0.0)),
            row["allocations"],
            mib(row["spec_bytes"].as_f64().unwrap_or(0.0)),
            mib(row["output_bytes"].as_f64().unwrap_or(0.0)),
        );
    }
    for result in process {
        let mut rss: Vec<f64> = result
            .runs
            .iter()
            .map(|r| r.max_rss_kib as f64 * 1024.0)
            .collect();
        let m = median(&mut rss);
        let _ = writeln!(
            out,
            "| process max RSS, {} | {} | min–max {}–{} (`ru_maxrss` from `wait4`) |",
            result.input,
            mib(m),
            mib(rss.first().copied().unwrap_or_default()),
            mib(rss.last().copied().unwrap_or_default()),
        );
    }
    let stages: Vec<(&String, &Estimate)> = criterion
        .iter()
        .filter(|(k, _)| k.starts_with("whole_stages/"))
        .collect();
    if !stages.is_empty() {
        let whole = criterion.get("codegen/whole").map(|e| e.median);
        let _ = writeln!(
            out,
            "\n| whole spec, by stage | median | share of `generate` | spread |\n| --- | --- | --- | --- |"
        );
        for stage in [
            "load",
            "lower",
            "emit",
            "parse",
            "unparse",
            "files",
            "files_one_thread",
        ] {
            if let Some(e) = criterion.get(&format!("whole_stages/{stage}")) {
                let share =
                    whole.map_or(String::new(), |w| format!("{:.0}%", e.median / w * 100.0));
                let _ = writeln!(
                    out,
                    "| {stage} | {} | {share} | {} |",
                    time(e.median),
                    spread(e)
                );
            }
        }
    }
    out.push('\n');
}

fn write_client(out: &mut String, criterion: &BTreeMap<String, Estimate>, report: &[Value]) {
    let items = report
        .iter()
        .find(|r| r["kind"] == "decode_page")
        .and_then(|r| r["items"].as_f64());
    let decode: Vec<(&String, &Estimate)> = criterion
        .iter()
        .filter(|(k, _)| k.starts_with("decode/") || k.starts_with("decode_why/"))
        .collect();
    if !decode.is_empty() {
        let base = criterion.get("decode/handwritten").map(|e| e.median);
        let _ = writeln!(out, "## 2. Decode (500-checkpoint page)\n");
        let _ = writeln!(
            out,
            "| into | median per page | MB/s | items/s | spread | ratio to hand-written (throughput) | verdict |\n| --- | --- | --- | --- | --- | --- | --- |"
        );
        for (id, e) in decode {
            let mbs = e.bytes.map_or(String::new(), |b| {
                format!("{:.0}", b as f64 / e.median / 1e6)
            });
            let per_s = items.map_or(String::new(), |n| format!("{:.0}", n / e.median));
            let ratio = base.map(|b| b / e.median);
            let verdict = match (id.as_str(), ratio) {
                ("decode/generated", Some(r)) => format!(
                    "{} (target ≥ {TARGET_DECODE_RATIO}×)",
                    verdict(r >= TARGET_DECODE_RATIO)
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "| {id} | {} | {mbs} | {per_s} | {} | {} | {verdict} |",
                time(e.median),
                spread(e),
                ratio.map_or(String::new(), |r| format!("{r:.3}×")),
            );
        }
        out.push('\n');
    }

    let request: Vec<(&String, &Estimate)> = criterion
        .iter()
        .filter(|(k, _)| k.starts_with("request/"))
        .collect();
    if !request.is_empty() {
        let _ = writeln!(out, "## 3. Request building and validation (no network)\n");
        let _ = writeln!(
            out,
            "| call | median | spread | target | ratio to target | verdict |\n| --- | --- | --- | --- | --- | --- |"
        );
        for (id, e) in request {
            let _ = writeln!(
                out,
                "| {id} | {} | {} | < {} | {:.2}× | {} |",
                time(e.median),
                spread(e),
                time(TARGET_REQUEST_S),
                e.median / TARGET_REQUEST_S,
                verdict(e.median < TARGET_REQUEST_S)
            );
        }
        out.push('\n');
    }

    let loopback: Vec<&Value> = report.iter().filter(|r| r["kind"] == "loopback").collect();
    if !loopback.is_empty() {
        let _ = writeln!(out, "## 4. Over loopback (one shared client)\n");
        let _ = writeln!(
            out,
            "Each scenario ran {} times; the median round is shown, with the range of calls/s over the rounds and the most connections, requests and challenges any round saw.\n",
            loopback
                .first()
                .map_or(0, |r| r["rounds"].as_u64().unwrap_or(0))
        );
        let _ = writeln!(
            out,
            "| scenario | in flight | calls | calls/s | calls/s min–max | p50 | p90 | p99 | TCP connections accepted | most open at once | server requests | 401 challenges |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
        );
        for row in loopback {
            let ms = |key: &str| time(row[key].as_f64().unwrap_or(0.0) / 1e3);
            let rate = |key: &str| row[key].as_f64().unwrap_or(0.0);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.0} | {:.0}–{:.0} | {} | {} | {} | {} | {} | {} | {} |",
                row["scenario"].as_str().unwrap_or("?"),
                row["in_flight"],
                row["calls"],
                rate("rate"),
                rate("rate_min"),
                rate("rate_max"),
                ms("p50_ms"),
                ms("p90_ms"),
                ms("p99_ms"),
                row["connections"],
                row["peak_open"],
                row["server_requests"],
                row["challenges"],
            );
        }
        out.push('\n');
    }

    let cli: Vec<&Value> = report.iter().filter(|r| r["kind"] == "cli").collect();
    if !cli.is_empty() {
        let _ = writeln!(
            out,
            "## 5. The command line (whole process, `--features cli`)\n\n| scenario | runs | median | min–max |\n| --- | --- | --- | --- |"
        );
        for row in cli {
            let ms = |key: &str| time(row[key].as_f64().unwrap_or(0.0) / 1e3);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {}–{} |",
                row["scenario"].as_str().unwrap_or("?"),
                row["runs"],
                ms("median_ms"),
                ms("min_ms"),
                ms("max_ms"),
            );
        }
        out.push('\n');
    }
}

fn write_compile(out: &mut String, rows: &[CompileRow]) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "## 6. Compile time (`cargo build --lib`, dev profile)\n"
    );
    let _ = writeln!(out, "| crate | build | wall time |\n| --- | --- | --- |");
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            row.krate,
            row.kind,
            time(row.seconds)
        );
    }
    out.push('\n');
}
