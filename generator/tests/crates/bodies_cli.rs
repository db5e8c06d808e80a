//! The command line of the bodies crate (`--features cli`), run as the built binary
//! against a server on loopback: request bodies from stdin and from files, decoded into
//! the request type before anything is sent, text and binary responses, `--dry-run`
//! with a body. `.ci/run` copies it into the generated crate and runs it with the feature.

#![cfg(feature = "cli")]

use std::process::Output;
use std::sync::{Arc, Mutex};

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header;
use axum::response::Response;

const BINARY: &str = env!("CARGO_BIN_EXE_bodies");

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    content_type: String,
    body: Vec<u8>,
}

type Log = Arc<Mutex<Vec<Seen>>>;

async fn handle(State(log): State<Log>, request: Request) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = to_bytes(request.into_body(), 1 << 20)
        .await
        .unwrap()
        .to_vec();
    log.lock().unwrap().push(Seen {
        method,
        path: path.clone(),
        content_type,
        body: body.clone(),
    });
    let (content_type, body) = match path.as_str() {
        "/either" => ("application/problem+json", body),
        "/note" => ("text/plain", body),
        "/download" => ("application/gzip", vec![0x1f, 0x8b, 0, 1, 2]),
        _ => ("text/plain", Vec::new()),
    };
    Response::builder()
        .status(if path == "/form" { 204 } else { 200 })
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap()
}

async fn start() -> (String, Log, tokio::task::JoinHandle<()>) {
    let log: Log = Arc::default();
    let app = axum::Router::new()
        .fallback(handle)
        .with_state(Arc::clone(&log));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://{address}"), log, task)
}

async fn run(base_url: &str, args: &[&str], stdin: &str) -> Output {
    let mut command = std::process::Command::new(BINARY);
    command
        .args(args)
        .env_clear()
        .env("BODIES_BASE_URL", base_url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let stdin = stdin.to_owned();
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = command.spawn().unwrap();
        let mut input = child.stdin.take().unwrap();
        // The binary may exit before reading (a refused flag): a closed pipe is fine.
        let _ = input.write_all(stdin.as_bytes());
        drop(input);
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_json_body_from_stdin_is_decoded_then_sent() {
    let (url, log, _task) = start().await;
    let output = run(
        &url,
        &["api", "default", "sendEither", "--file", "-"],
        r#"{"year": 2020, "author": "Ada"}"#,
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let seen = log.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("POST", "/either")
    );
    assert_eq!(seen[0].content_type, "application/json");
    // Decoded into `Meta` and encoded again: the spec's property order.
    assert_eq!(text(&seen[0].body), r#"{"author":"Ada","year":2020}"#);
    assert_eq!(text(&output.stdout), "{\"author\":\"Ada\",\"year\":2020}\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_body_is_located_and_nothing_is_sent() {
    let (url, log, _task) = start().await;
    let output = run(
        &url,
        &["api", "default", "sendEither", "--file", "-"],
        r#"{"author": "Ada", "year": "then"}"#,
    )
    .await;
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(
            "Error: invalid request body in stdin at `year`: invalid type: string \"then\""
        ),
        "{stderr}"
    );
    // A required body not given.
    let output = run(&url, &["api", "default", "send-form"], "").await;
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--file"));
    assert!(log.lock().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn text_from_a_file_and_binary_responses() {
    let (url, log, _task) = start().await;
    let dir = std::env::temp_dir().join(format!("bodies-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let note = dir.join("note.txt");
    std::fs::write(&note, "remember the milk").unwrap();
    let output = run(
        &url,
        &[
            "api",
            "default",
            "putNote",
            "--file",
            note.to_str().unwrap(),
        ],
        "",
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "remember the milk");
    assert_eq!(log.lock().unwrap()[0].content_type, "text/plain");
    // Binary to a pipe, and to a file.
    let output = run(&url, &["api", "default", "download"], "").await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(output.stdout, [0x1f, 0x8b, 0, 1, 2]);
    let file = dir.join("download.gz");
    let output = run(
        &url,
        &[
            "api",
            "default",
            "download",
            "--outputFile",
            file.to_str().unwrap(),
        ],
        "",
    )
    .await;
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    assert_eq!(std::fs::read(&file).unwrap(), [0x1f, 0x8b, 0, 1, 2]);
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_shows_the_body() {
    let (url, log, _task) = start().await;
    let output = run(
        &url,
        &["api", "default", "sendEither", "--file", "-", "--dry-run"],
        r#"{"author": "O'Brien"}"#,
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        format!(
            "curl --include \\\n  --header \"Accept: application/problem+json\" \\\n  --header \"Content-Type: application/json\" \\\n  --data-binary '{{\"author\":\"O'\\''Brien\"}}' \\\n  -X POST \"{url}/either\"\n"
        )
    );
    assert!(log.lock().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_binary_response_is_not_written_to_a_terminal() {
    let (url, log, _task) = start().await;
    // util-linux's `script` runs the binary on a pseudo-terminal and copies what it writes.
    let mut command = std::process::Command::new("script");
    command
        .args(["--quiet", "--return", "--command"])
        .arg(format!("{BINARY} api default download"))
        .arg("/dev/null")
        .env_clear()
        .env("BODIES_BASE_URL", &url)
        .stdin(std::process::Stdio::null());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("util-linux's `script` runs the binary on a pseudo-terminal");
    let shown = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(2), "{shown}");
    assert!(shown.contains("--outputFile"), "{shown}");
    assert!(!output.stdout.contains(&0x8b), "the bytes reached the terminal: {shown}");
    // The call was made; only the writing was refused.
    assert_eq!(log.lock().unwrap().len(), 1);
}
