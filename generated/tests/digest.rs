//! HTTP Digest against a real server on 127.0.0.1 that checks every `Authorization`
//! value the way a server must: it recomputes the response from the key pair it knows,
//! refuses a nonce count it has seen, and rotates its nonce on demand.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_admin::{Client, Error};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use md5::Md5;
use sha2::{Digest as _, Sha256};

const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
const CLUSTER: &str = "Cluster0";
const PATH: &str =
    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backupCheckpoints";
const ROUTE: &str = "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backupCheckpoints";
const ATLAS_JSON: &str = "application/vnd.atlas.2023-01-01+json";
const PUBLIC_KEY: &str = "pub";
const PRIVATE_KEY: &str = "priv";
const REALM: &str = "MMS Public API";
const OPAQUE: &str = "c0ffee/opaque";
const PAGE: &str = r#"{"results":[],"totalCount":0}"#;
const UNAUTHORIZED: &str = r#"{"error":401,"errorCode":"UNAUTHORIZED","reason":"Unauthorized"}"#;

/// One request as the server judged it.
#[derive(Debug, Clone)]
struct Seen {
    /// The path and query as sent.
    target: String,
    /// The raw `Authorization` value.
    authorization: Option<String>,
    /// Its parameters, when it was a Digest one.
    params: Vec<(String, String)>,
    /// What the server answered.
    status: u16,
}

impl Seen {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

struct ServerState {
    password: String,
    /// The algorithms offered, one `Digest` challenge each, in this order.
    algorithms: Vec<&'static str>,
    inner: Mutex<Inner>,
    /// When set, every accepted request retires its nonce and the answer hands out the
    /// next one in `Authentication-Info: nextnonce=...`.
    hand_out_next_nonce: AtomicBool,
    /// When set, the next request without credentials is never answered.
    stall_next_unsigned: AtomicBool,
    /// Told when that request has arrived.
    stalled: tokio::sync::Notify,
}

#[derive(Default)]
struct Inner {
    nonce: String,
    /// Nonces that were current once: answering one of them correctly earns `stale=true`.
    retired: Vec<String>,
    rotations: u32,
    /// `(nonce, nc)` pairs already accepted; a repeat would be a replay.
    used: HashSet<(String, String)>,
    seen: Vec<Seen>,
}

struct DigestServer {
    base_url: String,
    state: Arc<ServerState>,
    task: tokio::task::JoinHandle<()>,
}

impl DigestServer {
    async fn start(algorithms: &[&'static str]) -> Self {
        Self::with_password(algorithms, PRIVATE_KEY).await
    }

    async fn with_password(algorithms: &[&'static str], password: &str) -> Self {
        let state = Arc::new(ServerState {
            password: password.to_owned(),
            algorithms: algorithms.to_vec(),
            inner: Mutex::new(Inner {
                nonce: "nonce-0".to_owned(),
                ..Inner::default()
            }),
            hand_out_next_nonce: AtomicBool::new(false),
            stall_next_unsigned: AtomicBool::new(false),
            stalled: tokio::sync::Notify::new(),
        });
        let app = axum::Router::new()
            .route(ROUTE, axum::routing::get(handle))
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            base_url: format!("http://{address}"),
            state,
            task,
        }
    }

    fn client(&self, private_key: &str) -> Client {
        Client::builder()
            .base_url(&self.base_url)
            .digest_auth(PUBLIC_KEY, private_key)
            .build()
            .unwrap()
    }

    /// Retires the current nonce; the next request that uses it gets `stale=true`.
    fn rotate_nonce(&self) {
        let mut inner = self.state.inner.lock().unwrap();
        inner.rotations += 1;
        let next = format!("nonce-{}", inner.rotations);
        let old = std::mem::replace(&mut inner.nonce, next);
        inner.retired.push(old);
    }

    fn nonce(&self) -> String {
        self.state.inner.lock().unwrap().nonce.clone()
    }

    fn seen(&self) -> Vec<Seen> {
        self.state.inner.lock().unwrap().seen.clone()
    }

    fn challenges(&self) -> usize {
        self.seen().iter().filter(|seen| seen.status == 401).count()
    }
}

impl Drop for DigestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(State(state): State<Arc<ServerState>>, request: Request) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map(|target| target.as_str().to_owned())
        .unwrap_or_default();
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|value| value.to_str().unwrap().to_owned());
    if authorization.is_none() && state.stall_next_unsigned.swap(false, Ordering::SeqCst) {
        state.stalled.notify_one();
        std::future::pending::<()>().await;
    }
    let params = authorization
        .as_deref()
        .and_then(|value| value.strip_prefix("Digest "))
        .map(parse_params)
        .unwrap_or_default();
    let mut inner = state.inner.lock().unwrap();
    let verdict = judge(&state, &inner, request.method().as_str(), &target, &params);
    if verdict == Verdict::Ok {
        let key = (
            params_get(&params, "nonce").to_owned(),
            params_get(&params, "nc").to_owned(),
        );
        inner.used.insert(key);
    }
    let status = if verdict == Verdict::Ok { 200 } else { 401 };
    inner.seen.push(Seen {
        target,
        authorization,
        params,
        status,
    });
    if verdict == Verdict::Ok {
        let mut response = Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, ATLAS_JSON);
        if state.hand_out_next_nonce.load(Ordering::SeqCst) {
            inner.rotations += 1;
            let next = format!("nonce-{}", inner.rotations);
            let old = std::mem::replace(&mut inner.nonce, next.clone());
            inner.retired.push(old);
            response = response.header(
                "authentication-info",
                format!(r#"nextnonce="{next}", qop=auth"#),
            );
        }
        return response.body(Body::from(PAGE)).unwrap();
    }
    let mut response = Response::builder()
        .status(StatusCode::UNAUTHORIZED)
        .header(header::CONTENT_TYPE, "application/json")
        // Atlas also accepts OAuth; the client must find the Digest challenges among others.
        .header(header::WWW_AUTHENTICATE, r#"Bearer realm="atlas""#);
    for algorithm in &state.algorithms {
        let stale = if verdict == Verdict::Stale {
            ", stale=true"
        } else {
            ""
        };
        response = response.header(
            header::WWW_AUTHENTICATE,
            format!(
                r#"Digest realm="{REALM}", domain="", nonce="{}", algorithm={algorithm}, qop="auth", opaque="{OPAQUE}"{stale}"#,
                inner.nonce
            ),
        );
    }
    response.body(Body::from(UNAUTHORIZED)).unwrap()
}

#[derive(Debug, PartialEq)]
enum Verdict {
    Ok,
    /// Right credentials for a retired nonce.
    Stale,
    Refused,
}

fn params_get<'a>(params: &'a [(String, String)], name: &str) -> &'a str {
    params
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .unwrap_or("")
}

/// RFC 7616 section 3.4.1 for `qop=auth`, with the key pair the server knows.
fn judge(
    state: &ServerState,
    inner: &Inner,
    method: &str,
    target: &str,
    params: &[(String, String)],
) -> Verdict {
    let get = |name| params_get(params, name);
    let algorithm = get("algorithm");
    let hash = match algorithm {
        "MD5" => |data: &str| hex(&Md5::digest(data)),
        "SHA-256" => |data: &str| hex(&Sha256::digest(data)),
        _ => return Verdict::Refused,
    };
    let nc = get("nc");
    let well_formed = state.algorithms.contains(&algorithm)
        && get("username") == PUBLIC_KEY
        && get("realm") == REALM
        && get("uri") == target
        && get("qop") == "auth"
        && get("opaque") == OPAQUE
        && nc.len() == 8
        && nc.bytes().all(|b| b.is_ascii_hexdigit())
        && !get("cnonce").is_empty();
    if !well_formed {
        return Verdict::Refused;
    }
    let nonce = get("nonce");
    let ha1 = hash(&format!("{PUBLIC_KEY}:{REALM}:{}", state.password));
    let ha2 = hash(&format!("{method}:{}", get("uri")));
    let expected = hash(&format!("{ha1}:{nonce}:{nc}:{}:auth:{ha2}", get("cnonce")));
    if get("response") != expected {
        return Verdict::Refused;
    }
    if nonce == inner.nonce {
        if inner.used.contains(&(nonce.to_owned(), nc.to_owned())) {
            return Verdict::Refused;
        }
        return Verdict::Ok;
    }
    if inner.retired.iter().any(|retired| retired == nonce) {
        return Verdict::Stale;
    }
    Verdict::Refused
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `name=value` pairs separated by commas; values may be quoted with `\` escapes.
fn parse_params(text: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| *c == ',' || *c == ' ').is_some() {}
        let name: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=')).collect();
        if name.is_empty() || chars.next() != Some('=') {
            break;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => value.extend(chars.next()),
                    _ => value.push(c),
                }
            }
        } else {
            value.extend(std::iter::from_fn(|| chars.next_if(|c| *c != ',')));
        }
        params.push((name.trim().to_owned(), value));
    }
    params
}

#[allow(deprecated)]
async fn list(
    client: &Client,
) -> Result<
    atlas_admin::Response<atlas_admin::models::PaginatedApiAtlasCheckpointView>,
    Error<atlas_admin::models::ApiError>,
> {
    client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .send()
        .await
}

/// Calls once and checks the page arrived.
async fn list_ok(client: &Client) {
    let response = list(client).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().total_count, Some(0));
    assert_eq!(response.body().results, Some(Vec::new()));
}

/// The `nc` of every accepted request, in order.
fn accepted_counts(server: &DigestServer) -> Vec<String> {
    server
        .seen()
        .iter()
        .filter(|seen| seen.status == 200)
        .map(|seen| seen.param("nc").unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn first_call_answers_one_challenge() {
    let server = DigestServer::start(&["MD5"]).await;
    let client = server.client(PRIVATE_KEY);
    list_ok(&client).await;

    let seen = server.seen();
    assert_eq!(seen.len(), 2, "{seen:#?}");
    assert_eq!(server.challenges(), 1);
    assert_eq!(seen[0].authorization, None);
    assert_eq!(seen[0].status, 401);
    let retried = &seen[1];
    assert!(
        retried
            .authorization
            .as_deref()
            .unwrap()
            .starts_with("Digest "),
        "{retried:?}"
    );
    assert_eq!(retried.status, 200);
    assert_eq!(retried.param("uri"), Some(PATH));
    assert_eq!(retried.param("username"), Some(PUBLIC_KEY));
    assert_eq!(retried.param("nonce"), Some("nonce-0"));
    assert_eq!(retried.param("nc"), Some("00000001"));
    assert_eq!(retried.param("opaque"), Some(OPAQUE));
    assert_eq!(retried.param("cnonce").map(str::len), Some(32));
}

#[tokio::test]
async fn signed_uri_includes_the_query() {
    let server = DigestServer::start(&["MD5"]).await;
    let client = server.client(PRIVATE_KEY);
    #[allow(deprecated)]
    let response = client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .items_per_page(5)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(server.challenges(), 1);
    let expected = format!("{PATH}?itemsPerPage=5");
    assert_eq!(seen[1].target, expected);
    assert_eq!(seen[1].param("uri"), Some(expected.as_str()));
}

#[tokio::test]
async fn later_calls_reuse_the_nonce_with_increasing_counts() {
    let server = DigestServer::start(&["MD5"]).await;
    let client = server.client(PRIVATE_KEY);
    for _ in 0..4 {
        list_ok(&client).await;
    }
    // One handshake, then one request per call.
    assert_eq!(server.seen().len(), 5);
    assert_eq!(server.challenges(), 1);
    assert_eq!(
        accepted_counts(&server),
        ["00000001", "00000002", "00000003", "00000004"]
    );
    let cnonces: HashSet<String> = server
        .seen()
        .iter()
        .filter(|seen| seen.status == 200)
        .map(|seen| {
            assert_eq!(seen.param("nonce"), Some("nonce-0"));
            seen.param("cnonce").unwrap().to_owned()
        })
        .collect();
    assert_eq!(cnonces.len(), 4, "every request has a fresh cnonce");
}

#[tokio::test]
async fn stale_nonce_is_replaced_with_one_more_handshake() {
    let server = DigestServer::start(&["MD5"]).await;
    let client = server.client(PRIVATE_KEY);
    list_ok(&client).await;
    list_ok(&client).await;
    assert_eq!(server.challenges(), 1);

    server.rotate_nonce();
    list_ok(&client).await;
    let seen = server.seen();
    assert_eq!(seen.len(), 5, "{seen:#?}");
    assert_eq!(server.challenges(), 2);
    // The old nonce was answered correctly, so the server called it stale...
    assert_eq!(seen[3].status, 401);
    assert_eq!(seen[3].param("nonce"), Some("nonce-0"));
    assert_eq!(seen[3].param("nc"), Some("00000003"));
    // ...and the client moved to the new nonce, counting from 1 again.
    assert_eq!(seen[4].status, 200);
    assert_eq!(seen[4].param("nonce"), Some(server.nonce().as_str()));
    assert_eq!(seen[4].param("nc"), Some("00000001"));

    list_ok(&client).await;
    assert_eq!(server.challenges(), 2);
    assert_eq!(server.seen()[5].param("nc"), Some("00000002"));
}

#[tokio::test]
async fn wrong_private_key_fails_without_looping() {
    let server = DigestServer::start(&["MD5"]).await;
    let client = server.client("not-the-key");
    let error = list(&client).await.unwrap_err();
    match &error {
        Error::Api { status, body, .. } => {
            assert_eq!(*status, 401);
            assert_eq!(body.error, 401);
            assert_eq!(body.error_code, "UNAUTHORIZED");
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 2, "{seen:#?}");
    assert_eq!(seen[0].authorization, None);
    assert!(seen[1].authorization.is_some());
    assert_eq!(server.challenges(), 2);

    // The challenge is still known, so a later call costs one refused request, not two.
    let error = list(&client).await.unwrap_err();
    assert_eq!(error.status(), Some(atlas_admin::StatusCode::UNAUTHORIZED));
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn the_offered_algorithm_is_used_and_sha256_preferred() {
    for (offered, expected) in [
        (&["MD5"][..], "MD5"),
        (&["SHA-256"][..], "SHA-256"),
        (&["MD5", "SHA-256"][..], "SHA-256"),
    ] {
        let server = DigestServer::start(offered).await;
        let client = server.client(PRIVATE_KEY);
        list_ok(&client).await;
        let seen = server.seen();
        assert_eq!(seen.len(), 2, "{offered:?}");
        assert_eq!(seen[1].status, 200, "{offered:?}");
        assert_eq!(seen[1].param("algorithm"), Some(expected), "{offered:?}");
        // The response is as long as the hash's hex digest.
        let digits = if expected == "MD5" { 32 } else { 64 };
        assert_eq!(seen[1].param("response").map(str::len), Some(digits));
    }
}

#[tokio::test]
async fn debug_output_hides_the_private_key() {
    let key = "Pr1vate-K3y-Never-Printed";
    let server = DigestServer::with_password(&["SHA-256"], key).await;
    let client = server.client(key);
    let before = format!("{client:?}");
    // After the handshake the challenge is part of the state shown too.
    list_ok(&client).await;
    let after = format!("{client:#?}");
    for shown in [&before, &after] {
        assert!(!shown.contains(key), "{shown}");
        assert!(shown.contains(PUBLIC_KEY), "{shown}");
    }
    assert!(after.contains("nonce-0"), "{after}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_use_distinct_counts() {
    let server = DigestServer::start(&["MD5"]).await;
    let client = server.client(PRIVATE_KEY);
    list_ok(&client).await;

    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { list(&client).await.map(|response| response.status()) })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), 200);
    }
    assert_eq!(server.challenges(), 1);
    assert_eq!(server.seen().len(), 22);
    let mut counts = accepted_counts(&server);
    counts.sort();
    let expected: Vec<String> = (1..=21).map(|nc| format!("{nc:08x}")).collect();
    assert_eq!(counts, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_fresh_client_with_calls_in_flight_takes_one_challenge() {
    // The first call sends the one unsigned request; the others wait for its challenge
    // instead of each fetching their own.
    let server = DigestServer::start(&["MD5"]).await;
    let client = server.client(PRIVATE_KEY);
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { list(&client).await.map(|response| response.status()) })
        })
        .collect();
    for call in calls {
        let status = within_a_minute("a call", call).await;
        assert_eq!(status.unwrap().unwrap(), 200);
    }
    assert_eq!(server.challenges(), 1);
    let seen = server.seen();
    assert_eq!(seen.len(), 21);
    assert_eq!(seen[0].authorization, None);
    let mut counts = accepted_counts(&server);
    counts.sort();
    let expected: Vec<String> = (1..=20).map(|nc| format!("{nc:08x}")).collect();
    assert_eq!(counts, expected);
}

/// Turns a hang into a failure: these tests are about calls that would otherwise wait
/// forever. Nothing is timed; the bound is far above how long they take.
async fn within_a_minute<T>(what: &str, future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), future)
        .await
        .unwrap_or_else(|_| panic!("{what} never finished"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_first_call_lets_the_waiting_ones_go_on() {
    let server = DigestServer::start(&["MD5"]).await;
    server
        .state
        .stall_next_unsigned
        .store(true, Ordering::SeqCst);
    let client = server.client(PRIVATE_KEY);
    let first = tokio::spawn({
        let client = client.clone();
        async move { list(&client).await.map(|response| response.status()) }
    });
    // The first call's unsigned request is at the server, which will never answer it.
    within_a_minute("the first request", server.state.stalled.notified()).await;
    let second = tokio::spawn({
        let client = client.clone();
        async move { list(&client).await.map(|response| response.status()) }
    });
    // Dropping the first call ends its handshake; the second one sends its own.
    first.abort();
    assert!(first.await.unwrap_err().is_cancelled());
    let status = within_a_minute("the second call", second).await;
    assert_eq!(status.unwrap().unwrap(), 200);
    assert_eq!(server.challenges(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_does_not_challenge_gets_unsigned_calls_at_once() {
    // No credentials asked: after the first answer, unsigned calls do not wait for one
    // another. The server holds each request until eight are in at once, which could
    // never happen if they went one at a time.
    const AT_ONCE: usize = 8;
    let barrier = Arc::new(tokio::sync::Barrier::new(AT_ONCE));
    let requests = Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new().route(
        ROUTE,
        axum::routing::get({
            let (barrier, requests) = (Arc::clone(&barrier), Arc::clone(&requests));
            move |request: Request| async move {
                assert!(request.headers().get(header::AUTHORIZATION).is_none());
                if requests.fetch_add(1, Ordering::SeqCst) > 0 {
                    barrier.wait().await;
                }
                Response::builder()
                    .header(header::CONTENT_TYPE, ATLAS_JSON)
                    .body(Body::from(PAGE))
                    .unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder()
        .base_url(&base_url)
        .digest_auth(PUBLIC_KEY, PRIVATE_KEY)
        .build()
        .unwrap();
    list_ok(&client).await;
    let calls: Vec<_> = (0..AT_ONCE)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { list(&client).await.map(|response| response.status()) })
        })
        .collect();
    for call in calls {
        let status = within_a_minute("a call", call).await;
        assert_eq!(status.unwrap().unwrap(), 200);
    }
    assert_eq!(requests.load(Ordering::SeqCst), AT_ONCE + 1);
    server.abort();
}

#[tokio::test]
async fn a_nonce_handed_out_with_an_answer_is_used_next_without_a_401() {
    let server = DigestServer::start(&["MD5"]).await;
    server
        .state
        .hand_out_next_nonce
        .store(true, Ordering::SeqCst);
    let client = server.client(PRIVATE_KEY);
    for _ in 0..3 {
        list_ok(&client).await;
    }
    // One handshake; then each request uses the nonce the previous answer handed out,
    // counting from 1 again, where the old nonce would have earned `stale=true`.
    assert_eq!(server.challenges(), 1);
    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    let used: Vec<(Option<&str>, Option<&str>)> = seen[1..]
        .iter()
        .map(|seen| (seen.param("nonce"), seen.param("nc")))
        .collect();
    assert_eq!(
        used,
        [
            (Some("nonce-0"), Some("00000001")),
            (Some("nonce-1"), Some("00000001")),
            (Some("nonce-2"), Some("00000001")),
        ]
    );
}

#[tokio::test]
async fn revoking_forgets_the_nonce() {
    let server = DigestServer::start(&["MD5"]).await;
    let client = server.client(PRIVATE_KEY);
    list_ok(&client).await;
    client.revoke_credentials().await.unwrap();
    list_ok(&client).await;
    let seen = server.seen();
    assert_eq!(seen.len(), 4);
    assert_eq!(server.challenges(), 2);
    assert_eq!(seen[2].authorization, None);
    // The server handed out the same nonce again; restarting the count at 1 would be
    // refused as a replay.
    assert_eq!(seen[3].param("nonce"), Some("nonce-0"));
    assert_eq!(seen[3].param("nc"), Some("00000002"));

    // After a rotation, a revoked client counts from 1 on the new nonce.
    server.rotate_nonce();
    client.revoke_credentials().await.unwrap();
    list_ok(&client).await;
    let seen = server.seen();
    assert_eq!(seen.len(), 6);
    assert_eq!(server.challenges(), 3);
    assert_eq!(seen[4].authorization, None);
    assert_eq!(seen[5].param("nonce"), Some("nonce-1"));
    assert_eq!(seen[5].param("nc"), Some("00000001"));
}
