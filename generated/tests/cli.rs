//! The command line (`--features cli`), run as the built binary against a server on
//! 127.0.0.1 that is both the OAuth token endpoint and the API, and answers Digest
//! challenges: credentials from the environment and from a profile file, each exit
//! code, validation that sends nothing, `--dry-run`, `--outputFile`, `--all`, and no
//! secret in anything printed.

use std::path::PathBuf;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;

const BINARY: &str = env!("CARGO_BIN_EXE_atlas-admin");
const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
const PATH: &str =
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backupCheckpoints";
const CLIENT_SECRET: &str = "client-secret-value";
const PRIVATE_KEY: &str = "private-key-value";
const TOKEN: &str = "access-token-value";
const SEED: &str = "api legacyBackup listLegacyBackupCheckpoints";

/// One API request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    query: String,
    authorization: String,
}

/// The answer to an API request, from its query.
type Answer = Box<dyn Fn(&str) -> (u16, String) + Send + Sync>;

struct Shared {
    seen: Mutex<Vec<Seen>>,
    tokens: AtomicUsize,
    answer: Answer,
}

struct Server {
    base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    async fn start(answer: impl Fn(&str) -> (u16, String) + Send + Sync + 'static) -> Self {
        let shared = Arc::new(Shared {
            seen: Mutex::new(Vec::new()),
            tokens: AtomicUsize::new(0),
            answer: Box::new(answer),
        });
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Server {
            base_url: format!("http://{address}"),
            shared,
            task,
        }
    }

    /// The API requests that carried credentials the server accepted.
    fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().unwrap().clone()
    }
}

fn page(from: usize, count: usize, total: usize) -> String {
    let results: Vec<String> = (from..from + count)
        .map(|i| format!(r#"{{"id":"{i:024x}","restorable":true,"clusterId":"{GROUP_ID}"}}"#))
        .collect();
    format!(
        r#"{{"results":[{}],"totalCount":{total}}}"#,
        results.join(",")
    )
}

/// Answers the page its query's `pageNum` asks for, of `total` items `per_page` a page.
fn paged(per_page: usize, total: usize) -> impl Fn(&str) -> (u16, String) + Send + Sync {
    move |query| {
        let page_num: usize = query
            .split('&')
            .find_map(|p| p.strip_prefix("pageNum="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        let from = ((page_num - 1) * per_page).min(total);
        (200, page(from, per_page.min(total - from), total))
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    if request.uri().path() == "/api/oauth/token" {
        // HTTP Basic of `id:client-secret-value`.
        let accepted = authorization == "Basic aWQ6Y2xpZW50LXNlY3JldC12YWx1ZQ==";
        shared.tokens.fetch_add(1, Ordering::SeqCst);
        let (status, body) = if accepted {
            (
                200,
                format!(r#"{{"access_token":"{TOKEN}","token_type":"Bearer","expires_in":3600}}"#),
            )
        } else {
            (401, r#"{"error":"invalid_client"}"#.to_owned())
        };
        return reply(status, "application/json", body, None);
    }
    let bearer = authorization == format!("Bearer {TOKEN}");
    let digest = authorization.starts_with("Digest ") && authorization.contains("username=\"pub\"");
    if !bearer && !digest {
        return reply(
            401,
            "application/json",
            r#"{"error":401,"errorCode":"UNAUTHORIZED","detail":"Unauthorized."}"#.to_owned(),
            Some(
                r#"Digest realm="MMS Public API", domain="", nonce="n0nce", algorithm=MD5, qop="auth", stale=false"#,
            ),
        );
    }
    let query = request.uri().query().unwrap_or_default().to_owned();
    shared.seen.lock().unwrap().push(Seen {
        path: request.uri().path().to_owned(),
        query: query.clone(),
        authorization,
    });
    let (status, body) = (shared.answer)(&query);
    let content_type = if status == 200 {
        "application/vnd.atlas.2023-01-01+json"
    } else {
        "application/json"
    };
    reply(status, content_type, body, None)
}

fn reply(status: u16, content_type: &str, body: String, challenge: Option<&str>) -> Response {
    let mut response = Response::builder()
        .status(StatusCode::from_u16(status).unwrap())
        .header(header::CONTENT_TYPE, content_type);
    if let Some(challenge) = challenge {
        response = response.header(header::WWW_AUTHENTICATE, challenge);
    }
    response.body(Body::from(body)).unwrap()
}

/// A fresh directory under the system's temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "atlas-admin-cli-{}-{}-{name}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary with only the given environment (and an empty configuration
/// directory unless one is given).
async fn run(args: &str, env: &[(&str, &str)]) -> Output {
    run_in(args, env, None, None).await
}

async fn run_in(
    args: &str,
    env: &[(&str, &str)],
    config: Option<PathBuf>,
    stdin: Option<&str>,
) -> Output {
    let config = config.unwrap_or_else(|| temp_dir("config"));
    let mut command = std::process::Command::new(BINARY);
    command
        .args(args.split_whitespace())
        .env_clear()
        .env("XDG_CONFIG_HOME", &config)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let stdin = stdin.map(str::to_owned);
    tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().unwrap();
        if let Some(text) = stdin {
            use std::io::Write;
            // The binary may exit before reading (a refused flag): a closed pipe is fine.
            let _ = child.stdin.take().unwrap().write_all(text.as_bytes());
        }
        drop(child.stdin.take());
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Neither stream holds a secret.
fn assert_no_secret(output: &Output) {
    for text in [stdout(output), stderr(output)] {
        for secret in [CLIENT_SECRET, PRIVATE_KEY, TOKEN] {
            assert!(!text.contains(secret), "{secret} printed: {text}");
        }
    }
}

fn oauth_env(server: &Server) -> Vec<(&'static str, String)> {
    vec![
        ("MONGODB_ATLAS_CLIENT_ID", "id".to_owned()),
        ("MONGODB_ATLAS_CLIENT_SECRET", CLIENT_SECRET.to_owned()),
        ("MONGODB_ATLAS_BASE_URL", server.base_url.clone()),
    ]
}

fn borrowed<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn seed_args(rest: &str) -> String {
    format!("{SEED} --groupId {GROUP_ID} --clusterName Cluster0 {rest}")
}

#[tokio::test(flavor = "multi_thread")]
async fn help_is_written_from_the_spec() {
    let top = run("--help", &[]).await;
    assert_eq!(top.status.code(), Some(0));
    insta::assert_snapshot!("top", stdout(&top));
    let tag = run("api legacyBackup --help", &[]).await;
    assert_eq!(tag.status.code(), Some(0));
    insta::assert_snapshot!("tag", stdout(&tag));
    let seed = run(&format!("{SEED} --help"), &[]).await;
    assert_eq!(seed.status.code(), Some(0));
    insta::assert_snapshot!("seed", stdout(&seed));
    // The kebab-case spelling names the same command.
    let kebab = run("api legacy-backup list-legacy-backup-checkpoints -h", &[]).await;
    assert_eq!(stdout(&kebab), stdout(&seed));
}

#[tokio::test(flavor = "multi_thread")]
async fn oauth_from_the_environment_prints_compact_json() {
    let server = Server::start(|_| (200, page(0, 2, 2))).await;
    let env = oauth_env(&server);
    let output = run(&seed_args("--itemsPerPage 5"), &borrowed(&env)).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let printed: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(printed["results"].as_array().unwrap().len(), 2);
    assert_eq!(printed["totalCount"], 2);
    // Not a terminal: compact, one line.
    assert_eq!(stdout(&output).lines().count(), 1);
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, PATH);
    assert_eq!(seen[0].query, "itemsPerPage=5");
    assert_eq!(seen[0].authorization, format!("Bearer {TOKEN}"));
    assert_eq!(server.shared.tokens.load(Ordering::SeqCst), 1);
    assert_no_secret(&output);
    // `-o pretty` indents.
    let pretty = run(&seed_args("-o pretty"), &borrowed(&env)).await;
    assert!(
        stdout(&pretty).starts_with("{\n  \""),
        "{}",
        stdout(&pretty)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn digest_from_the_environment_with_the_atlas_cli_names() {
    let server = Server::start(|_| (200, page(0, 1, 1))).await;
    let env = [
        ("MONGODB_ATLAS_PUBLIC_API_KEY", "pub"),
        ("MONGODB_ATLAS_PRIVATE_API_KEY", PRIVATE_KEY),
        ("MONGODB_ATLAS_OPS_MANAGER_URL", server.base_url.as_str()),
    ];
    let output = run(&seed_args(""), &env).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].authorization.starts_with("Digest username=\"pub\""));
    assert!(!seen[0].authorization.contains(PRIVATE_KEY));
    assert_no_secret(&output);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_supplies_credentials_and_the_project() {
    let server = Server::start(|_| (200, page(0, 1, 1))).await;
    let config = temp_dir("profile");
    std::fs::create_dir_all(config.join("atlascli")).unwrap();
    std::fs::write(
        config.join("atlascli/config.toml"),
        format!(
            "[default]\n  public_api_key = \"nobody\"\n  private_api_key = \"wrong\"\n\n[work]\n  public_api_key = \"pub\"\n  private_api_key = \"{PRIVATE_KEY}\"\n  project_id = \"{GROUP_ID}\"\n  ops_manager_url = \"{}/\"\n  service = \"cloud\"\n",
            server.base_url
        ),
    )
    .unwrap();
    let args = format!("{SEED} --clusterName Cluster0 -P work");
    let output = run_in(&args, &[], Some(config.clone()), None).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].path, PATH,
        "the profile's project_id is the groupId"
    );
    assert!(seen[0].authorization.starts_with("Digest username=\"pub\""));
    assert_no_secret(&output);
    // The environment comes before the profile.
    let env = oauth_env(&server);
    let output = run_in(&args, &borrowed(&env), Some(config.clone()), None).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(server.seen()[1].authorization, format!("Bearer {TOKEN}"));
    // A profile that is not there is a usage error.
    let missing = run_in(&format!("{args} -P nope"), &[], Some(config), None).await;
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("no profile \"nope\""),
        "{}",
        stderr(&missing)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_value_is_a_usage_error_and_sends_nothing() {
    let server = Server::start(|_| (200, page(0, 0, 0))).await;
    let env = oauth_env(&server);
    let output = run(&seed_args("--itemsPerPage 501"), &borrowed(&env)).await;
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).lines().next().unwrap(),
        "Error: invalid --itemsPerPage: \"501\" is greater than the maximum 500"
    );
    let output = run(
        &format!("{SEED} --groupId nope --clusterName Cluster0"),
        &borrowed(&env),
    )
    .await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("--groupId: \"nope\" does not match the pattern `^([a-f0-9]{24})$`")
    );
    for args in [
        seed_args("--itemsPerPage many"),
        seed_args("--unknown 1"),
        format!("{SEED} --groupId {GROUP_ID}"),
        "api noSuchTag op".to_owned(),
    ] {
        let output = run(&args, &borrowed(&env)).await;
        assert_eq!(output.status.code(), Some(2), "{args}: {}", stderr(&output));
    }
    assert_eq!(server.shared.tokens.load(Ordering::SeqCst), 0);
    assert!(server.seen().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_of_api_auth_and_transport_errors() {
    let server = Server::start(|_| {
        (
            404,
            r#"{"error":404,"errorCode":"CLUSTER_NOT_FOUND","detail":"No cluster named Cluster0 exists.","reason":"Not Found"}"#.to_owned(),
        )
    })
    .await;
    let env = oauth_env(&server);
    let output = run(&seed_args(""), &borrowed(&env)).await;
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "Error: 404 CLUSTER_NOT_FOUND: No cluster named Cluster0 exists.\n"
    );
    assert_eq!(stdout(&output), "");
    // No `--outputFile` is left behind by a failed call.
    let file = temp_dir("failed").join("page.json");
    let args = seed_args(&format!("--outputFile {}", file.display()));
    assert_eq!(run(&args, &borrowed(&env)).await.status.code(), Some(1));
    assert!(!file.exists());
    // A refused client secret.
    let wrong = [
        ("MONGODB_ATLAS_CLIENT_ID", "id"),
        ("MONGODB_ATLAS_CLIENT_SECRET", "not-the-secret"),
        ("MONGODB_ATLAS_BASE_URL", server.base_url.as_str()),
    ];
    let output = run(&seed_args(""), &wrong).await;
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(!stderr(&output).contains("not-the-secret"));
    // A key pair the API refuses.
    let refused = [
        ("MONGODB_ATLAS_PUBLIC_KEY", "someone"),
        ("MONGODB_ATLAS_PRIVATE_KEY", PRIVATE_KEY),
        ("MONGODB_ATLAS_BASE_URL", server.base_url.as_str()),
    ];
    let output = run(&seed_args(""), &refused).await;
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(stderr(&output).starts_with("Error: 401 UNAUTHORIZED: Unauthorized."));
    assert_no_secret(&output);
    // No credentials at all: the API's 401, and where to look.
    let output = run(
        &seed_args(""),
        &[("MONGODB_ATLAS_BASE_URL", server.base_url.as_str())],
    )
    .await;
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "Error: 401 UNAUTHORIZED: Unauthorized. (no credentials were found: see 'atlas-admin --help')\n"
    );
    // Nothing listens on port 9 of 127.0.0.1 (discard is not run).
    let closed = [
        ("MONGODB_ATLAS_PUBLIC_KEY", "pub"),
        ("MONGODB_ATLAS_PRIVATE_KEY", PRIVATE_KEY),
        ("MONGODB_ATLAS_BASE_URL", "http://127.0.0.1:9"),
    ];
    let output = run(&seed_args(""), &closed).await;
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_no_secret(&output);
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_prints_curl_with_variables_for_secrets() {
    let server = Server::start(|_| (200, page(0, 0, 0))).await;
    let env = oauth_env(&server);
    let output = run(&seed_args("--pretty --dry-run"), &borrowed(&env)).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let url = format!("{}{PATH}?pretty=true", server.base_url);
    assert_eq!(
        stdout(&output),
        format!(
            "curl --include --header \"Authorization: Bearer ${{ACCESS_TOKEN}}\" \\\n  --header \"Accept: application/vnd.atlas.2023-01-01+json\" \\\n  -X GET \"{url}\"\n"
        )
    );
    let digest = [
        ("MONGODB_ATLAS_PUBLIC_KEY", "pub"),
        ("MONGODB_ATLAS_PRIVATE_KEY", PRIVATE_KEY),
        ("MONGODB_ATLAS_BASE_URL", server.base_url.as_str()),
    ];
    let output = run(&seed_args("--pretty --dry-run"), &digest).await;
    assert_eq!(
        stdout(&output),
        format!(
            "curl --user \"${{PUBLIC_KEY}}:${{PRIVATE_KEY}}\" \\\n  --digest --include \\\n  --header \"Accept: application/vnd.atlas.2023-01-01+json\" \\\n  -X GET \"{url}\"\n"
        )
    );
    assert_no_secret(&output);
    assert_eq!(server.shared.tokens.load(Ordering::SeqCst), 0);
    assert!(server.seen().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn output_file_and_table() {
    let server = Server::start(|_| (200, page(0, 2, 2))).await;
    let env = oauth_env(&server);
    let dir = temp_dir("out");
    let file = dir.join("page.json");
    let args = seed_args(&format!("--outputFile {}", file.display()));
    let output = run(&args, &borrowed(&env)).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["totalCount"], 2);
    // The older spelling.
    let args = seed_args(&format!("--output-file {}", file.display()));
    assert_eq!(run(&args, &borrowed(&env)).await.status.code(), Some(0));
    let table = run(&seed_args("-o table"), &borrowed(&env)).await;
    assert_eq!(
        stdout(&table),
        format!(
            "clusterId                  id                         restorable\n{GROUP_ID}   000000000000000000000000   true\n{GROUP_ID}   000000000000000000000001   true\n"
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn all_streams_every_item_across_pages_as_json_lines() {
    // Seven items, three a page: pages 1, 2 and 3.
    let server = Server::start(paged(3, 7)).await;
    let env = oauth_env(&server);
    let output = run(&seed_args("--all --itemsPerPage 3"), &borrowed(&env)).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 7);
    assert_eq!(lines[6]["id"], format!("{:024x}", 6));
    // stderr is not a terminal: no progress.
    assert_eq!(stderr(&output), "");
    let queries: Vec<String> = server.seen().into_iter().map(|s| s.query).collect();
    assert_eq!(
        queries,
        [
            "itemsPerPage=3&pageNum=1",
            "itemsPerPage=3&pageNum=2",
            "itemsPerPage=3&pageNum=3"
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_for_three_shells() {
    for shell in ["bash", "zsh", "fish"] {
        let output = run(&format!("completion {shell}"), &[]).await;
        assert_eq!(output.status.code(), Some(0));
        assert!(stdout(&output).contains("atlas-admin __complete"));
    }
    let tags = run("__complete api leg", &[]).await;
    assert_eq!(stdout(&tags), "legacyBackup\n");
    let flags = run(
        "__complete api legacyBackup listLegacyBackupCheckpoints --items",
        &[],
    )
    .await;
    assert_eq!(stdout(&flags), "--itemsPerPage\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn file_is_refused_by_an_operation_without_a_body() {
    let output = run_in(&seed_args("--file -"), &[], None, Some("{}")).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("takes no request body"));
}

/// Runs the binary on a pseudo-terminal (util-linux's `script`, which gives the command a
/// terminal for stdin, stdout and stderr and copies what it writes), so the behaviour
/// meant for a person at a terminal is what runs. Returns the terminal's text.
async fn run_on_terminal(args: &str, env: &[(&str, &str)]) -> (Option<i32>, String) {
    let config = temp_dir("config");
    let mut command = std::process::Command::new("script");
    command
        .args(["--quiet", "--return", "--command"])
        .arg(format!("{BINARY} {args}"))
        .arg("/dev/null")
        .env_clear()
        .env("XDG_CONFIG_HOME", &config)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("util-linux's `script` runs the binary on a pseudo-terminal");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_all_shows_progress_and_json_is_pretty() {
    // Five items, two a page, with their total.
    let server = Server::start(paged(2, 5)).await;
    let env = oauth_env(&server);
    let (code, text) = run_on_terminal(&seed_args("--all --itemsPerPage 2"), &borrowed(&env)).await;
    assert_eq!(code, Some(0), "{text}");
    // Items so far, and of how many: the last count is the whole.
    assert!(text.contains("\r5 of 5 items\n"), "{text}");
    assert!(!text.contains(CLIENT_SECRET), "{text}");

    // One page, to a terminal: pretty JSON, over several lines.
    let (code, text) = run_on_terminal(&seed_args("--itemsPerPage 2"), &borrowed(&env)).await;
    assert_eq!(code, Some(0), "{text}");
    assert!(text.starts_with("{\n  \""), "{text}");
}
