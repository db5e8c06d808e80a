//! The command line as a user runs it: the whole process, from `exec` to exit.
//!
//! Two scenarios, each run a number of times after one warm-up, wall time per process:
//! `--help` of the seed's command (start-up, the tables, the help text), and one call of
//! it against a server on 127.0.0.1 with a service account from the environment (start-up,
//! a token request, the call, a 100-checkpoint page decoded and printed as JSON).
//!
//! Run with `cargo bench -p atlas-admin --bench cli` (add `-- --quick` for fewer runs), or
//! everything with `cargo xtask bench`. When `ATLAS_BENCH_REPORT` names a file, one JSON
//! line per scenario is appended to it.

use std::process::{Command, Stdio};
use std::time::Instant;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::response::Response;

const BINARY: &str = env!("CARGO_BIN_EXE_atlas-admin");
const SEED: &[&str] = &["api", "legacyBackup", "listLegacyBackupCheckpoints"];

fn page() -> String {
    let items: Vec<String> = (0..100)
        .map(|i| format!(r#"{{"id":"{i:024x}","clusterId":"32b6e34b3d91647abb20e7b8","groupId":"32b6e34b3d91647abb20e7b8","restorable":true,"completed":"2025-05-04T09:42:00Z","parts":[{{"replicaSetName":"rs0","typeName":"REPLICA_SET","tokenDiscovered":true}}]}}"#))
        .collect();
    format!(r#"{{"results":[{}],"totalCount":100}}"#, items.join(","))
}

async fn handle(request: Request) -> Response {
    let (content_type, body) = if request.uri().path() == "/api/oauth/token" {
        (
            "application/json",
            r#"{"access_token":"t","token_type":"Bearer","expires_in":3600}"#.to_owned(),
        )
    } else {
        ("application/vnd.atlas.2023-01-01+json", page())
    };
    Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("a valid response")
}

/// Wall times of `runs` processes, in milliseconds, sorted, after one warm-up.
fn measure(runs: usize, args: &[&str], env: &[(&str, &str)]) -> Vec<f64> {
    let run = || {
        let start = Instant::now();
        let status = Command::new(BINARY)
            .args(args)
            // No HOME nor XDG_CONFIG_HOME: no profile file is read.
            .env_clear()
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("the binary runs");
        assert!(status.success(), "{args:?} failed: {status}");
        start.elapsed().as_secs_f64() * 1e3
    };
    run();
    let mut times: Vec<f64> = (0..runs).map(|_| run()).collect();
    times.sort_by(f64::total_cmp);
    times
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 5 } else { 30 };
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let base_url = format!("http://{}", listener.local_addr().expect("an address"));
    runtime.spawn(async move {
        let app = axum::Router::new().fallback(handle);
        axum::serve(listener, app).await.expect("the server runs");
    });
    let help: Vec<&str> = SEED.iter().copied().chain(["--help"]).collect();
    let call: Vec<&str> = SEED
        .iter()
        .copied()
        .chain([
            "--groupId",
            "32b6e34b3d91647abb20e7b8",
            "--clusterName",
            "Cluster0",
        ])
        .collect();
    let env = [
        ("MONGODB_ATLAS_CLIENT_ID", "id"),
        ("MONGODB_ATLAS_CLIENT_SECRET", "secret"),
        ("MONGODB_ATLAS_BASE_URL", base_url.as_str()),
    ];
    println!("| scenario | runs | median | min | max |\n| --- | --- | --- | --- | --- |");
    for (scenario, args, env) in [
        ("--help", &help, &env[..0]),
        ("one call (token + page of 100)", &call, &env[..]),
    ] {
        let times = measure(runs, args, env);
        let (median, min, max) = (times[times.len() / 2], times[0], times[times.len() - 1]);
        println!("| {scenario} | {runs} | {median:.2} ms | {min:.2} ms | {max:.2} ms |");
        report(&format!(
            r#"{{"kind":"cli","scenario":"{scenario}","runs":{runs},"median_ms":{median:.3},"min_ms":{min:.3},"max_ms":{max:.3}}}"#
        ));
    }
}

/// Appends one JSON line to the file `ATLAS_BENCH_REPORT` names, for `cargo xtask bench`.
fn report(line: &str) {
    use std::io::Write as _;
    if let Some(path) = std::env::var_os("ATLAS_BENCH_REPORT") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("ATLAS_BENCH_REPORT is writable");
        writeln!(file, "{line}").expect("report is writable");
    }
}
