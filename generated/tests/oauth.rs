//! Service accounts (OAuth 2.0 client credentials) end to end, against a real HTTP server
//! on 127.0.0.1 that is both the token endpoint and the API: where the token is
//! requested and how, when it is reused, renewed ahead of expiry, replaced after a 401
//! and revoked, and that neither the secret nor a token leaks into errors or `Debug`.
//!
//! Nothing here sleeps or races the clock: where a test needs requests in flight at once,
//! the server holds one until the test lets it go; where it needs time to pass, it moves
//! tokio's clock (`tokio::time::pause` and `advance`) while no request is in flight, or
//! pauses it once the only thing left to happen is a timeout.

#![allow(deprecated, reason = "the only operation of the spec is deprecated")]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::join_all;
use tokio::sync::Notify;
use tokio::time::Instant;

use atlas_admin::models::{ApiError, PaginatedApiAtlasCheckpointView};
use atlas_admin::{Client, Error, Response, ServiceAccount, StatusCode};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::{get, post};

const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
const CLUSTER: &str = "Cluster0";
const ATLAS_JSON: &str = "application/vnd.atlas.2023-01-01+json";
const CLIENT_ID: &str = "id";
const CLIENT_SECRET: &str = "secret";
/// A secret that no field name or message could contain by accident.
const DISTINCT_SECRET: &str = "s3cr3t-Value-42";

/// A token request or revocation as the server received it.
#[derive(Debug, Clone)]
struct FormRequest {
    path: String,
    authorization: Option<String>,
    content_type: Option<String>,
    accept: Option<String>,
    /// The `x-test-origin` header, which tests set as a client default header.
    origin: Option<String>,
    form: Vec<(String, String)>,
}

/// An API request and how the server answered it.
#[derive(Debug, Clone, PartialEq)]
struct ApiRequest {
    authorization: Option<String>,
    status: u16,
}

struct Shared {
    /// The `Authorization` value the token and revocation endpoints accept.
    expected_basic: Mutex<String>,
    expires_in: AtomicU64,
    /// Holds the next token request.
    token_hold: Hold,
    /// A canned answer of the token endpoint that replaces issuing a token.
    token_failure: Mutex<Option<(u16, &'static str)>>,
    /// How many of the next token requests get `503` with `Retry-After: 0`.
    token_unavailable: AtomicUsize,
    /// A canned answer of the revocation endpoint.
    revoke_failure: Mutex<Option<(u16, &'static str)>>,
    /// Reject every token at the API, as if the account lost access.
    reject_all: AtomicBool,
    /// Holds the API's next 401.
    rejection_hold: Hold,
    issued: AtomicUsize,
    /// Tokens the API accepts, with their expiry.
    valid: Mutex<HashMap<String, Instant>>,
    token_requests: Mutex<Vec<FormRequest>>,
    revocations: Mutex<Vec<FormRequest>>,
    api_requests: Mutex<Vec<ApiRequest>>,
}

struct TestServer {
    base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    async fn start() -> Self {
        let shared = Arc::new(Shared {
            expected_basic: Mutex::new(basic(CLIENT_ID, CLIENT_SECRET)),
            expires_in: AtomicU64::new(3600),
            token_hold: Hold::default(),
            token_failure: Mutex::new(None),
            token_unavailable: AtomicUsize::new(0),
            revoke_failure: Mutex::new(None),
            reject_all: AtomicBool::new(false),
            rejection_hold: Hold::default(),
            issued: AtomicUsize::new(0),
            valid: Mutex::new(HashMap::new()),
            token_requests: Mutex::new(Vec::new()),
            revocations: Mutex::new(Vec::new()),
            api_requests: Mutex::new(Vec::new()),
        });
        let app = axum::Router::new()
            .route("/api/oauth/token", post(token))
            .route("/custom/token", post(token))
            .route("/api/oauth/revoke", post(revoke))
            .route("/custom/revoke", post(revoke))
            .route("/revocations", post(revoke))
            .route(
                "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backupCheckpoints",
                get(checkpoints),
            )
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            base_url: format!("http://{address}"),
            shared,
            task,
        }
    }

    fn account(&self) -> ServiceAccount {
        ServiceAccount::new(CLIENT_ID, CLIENT_SECRET)
    }

    fn client(&self, account: ServiceAccount) -> Client {
        Client::builder()
            .base_url(&self.base_url)
            .timeout(Duration::from_secs(10))
            .service_account(account)
            .build()
            .unwrap()
    }

    fn set_credentials(&self, id: &str, secret: &str) {
        *self.shared.expected_basic.lock().unwrap() = basic(id, secret);
    }

    fn set_expires_in(&self, seconds: u64) {
        self.shared.expires_in.store(seconds, Ordering::SeqCst);
    }

    /// The next token request will not be answered until `release_token_request`.
    fn hold_next_token_request(&self) {
        self.shared.token_hold.arm();
    }

    fn fail_token_requests(&self, status: u16, body: &'static str) {
        *self.shared.token_failure.lock().unwrap() = Some((status, body));
    }

    fn make_token_endpoint_unavailable(&self, requests: usize) {
        self.shared
            .token_unavailable
            .store(requests, Ordering::SeqCst);
    }

    fn fail_revocations(&self, status: u16, body: &'static str) {
        *self.shared.revoke_failure.lock().unwrap() = Some((status, body));
    }

    /// The API's next 401 will not be sent until `release_rejection`.
    fn hold_next_rejection(&self) {
        self.shared.rejection_hold.arm();
    }

    fn reject_all_tokens(&self) {
        self.shared.reject_all.store(true, Ordering::SeqCst);
    }

    /// Revokes a token server-side, as an administrator might.
    fn invalidate(&self, token: &str) {
        assert!(
            self.shared.valid.lock().unwrap().remove(token).is_some(),
            "{token} was never issued"
        );
    }

    fn token_requests(&self) -> Vec<FormRequest> {
        self.shared.token_requests.lock().unwrap().clone()
    }

    fn revocations(&self) -> Vec<FormRequest> {
        self.shared.revocations.lock().unwrap().clone()
    }

    fn api_requests(&self) -> Vec<ApiRequest> {
        self.shared.api_requests.lock().unwrap().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Holds one request at a point of its handler until the test lets it go, and tells the
/// test when it got there: how tests make requests overlap without sleeping.
#[derive(Default)]
struct Hold {
    armed: AtomicBool,
    arrived: Notify,
    released: Notify,
}

impl Hold {
    fn arm(&self) {
        self.armed.store(true, Ordering::SeqCst);
    }

    /// In a handler: waits for the release if this is the request to hold.
    async fn pass(&self) {
        if self.armed.swap(false, Ordering::SeqCst) {
            self.arrived.notify_one();
            self.released.notified().await;
        }
    }

    /// In a test: waits until the held request has arrived.
    async fn arrived(&self) {
        self.arrived.notified().await;
    }

    fn release(&self) {
        self.released.notify_one();
    }
}

/// Moves tokio's clock forward without waiting, while no request is in flight (a paused
/// clock would otherwise jump straight to the next timeout of a request under way).
async fn advance_clock(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

/// `Basic` credentials as RFC 7617 defines them, with a small base64 encoder (the crate
/// has no base64 dependency to borrow).
fn basic(id: &str, secret: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{id}:{secret}").into_bytes();
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let bytes = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(bytes[0]) << 16) | (u32::from(bytes[1]) << 8) | u32::from(bytes[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    format!("Basic {out}")
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .map(|value| value.to_str().unwrap().to_owned())
}

/// Decodes an `application/x-www-form-urlencoded` body.
fn parse_form(body: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(&text.replace('+', " "))
            .decode_utf8()
            .unwrap()
            .into_owned()
    };
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

fn json_reply(status: u16, content_type: &'static str, body: String) -> HttpResponse {
    (
        axum::http::StatusCode::from_u16(status).unwrap(),
        [(header::CONTENT_TYPE, content_type)],
        body,
    )
        .into_response()
}

fn record_form(uri: &Uri, headers: &HeaderMap, body: &str) -> FormRequest {
    FormRequest {
        path: uri.path().to_owned(),
        authorization: header_text(headers, header::AUTHORIZATION),
        content_type: header_text(headers, header::CONTENT_TYPE),
        accept: header_text(headers, header::ACCEPT),
        origin: headers
            .get("x-test-origin")
            .map(|value| value.to_str().unwrap().to_owned()),
        form: parse_form(body),
    }
}

async fn token(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> HttpResponse {
    let request = record_form(&uri, &headers, &body);
    shared.token_requests.lock().unwrap().push(request.clone());
    shared.token_hold.pass().await;
    if let Some((status, body)) = *shared.token_failure.lock().unwrap() {
        return json_reply(status, "application/json", body.to_owned());
    }
    let unavailable =
        shared
            .token_unavailable
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
    if unavailable.is_ok() {
        return (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "0")],
            "try again",
        )
            .into_response();
    }
    let expected = shared.expected_basic.lock().unwrap().clone();
    if request.authorization.as_deref() != Some(expected.as_str()) {
        // RFC 6749 section 5.2: 401 when the client authenticated with a header.
        return json_reply(
            401,
            "application/json",
            r#"{"error":"invalid_client"}"#.into(),
        );
    }
    if request.form != [("grant_type".to_owned(), "client_credentials".to_owned())] {
        let body = r#"{"error":"unsupported_grant_type"}"#;
        return json_reply(400, "application/json", body.into());
    }
    let n = shared.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let access_token = format!("tok-{n}");
    let expires_in = shared.expires_in.load(Ordering::SeqCst);
    shared.valid.lock().unwrap().insert(
        access_token.clone(),
        Instant::now() + Duration::from_secs(expires_in),
    );
    let body = serde_json::json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": expires_in,
    });
    json_reply(200, "application/json", body.to_string())
}

async fn revoke(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> HttpResponse {
    let request = record_form(&uri, &headers, &body);
    shared.revocations.lock().unwrap().push(request.clone());
    if let Some((status, body)) = *shared.revoke_failure.lock().unwrap() {
        return json_reply(status, "application/json", body.to_owned());
    }
    let expected = shared.expected_basic.lock().unwrap().clone();
    if request.authorization.as_deref() != Some(expected.as_str()) {
        return json_reply(
            401,
            "application/json",
            r#"{"error":"invalid_client"}"#.into(),
        );
    }
    // RFC 7009 section 2.2: an unknown token is not an error.
    if let Some((_, token)) = request.form.iter().find(|(name, _)| name == "token") {
        shared.valid.lock().unwrap().remove(token);
    }
    json_reply(200, "application/json", String::new())
}

async fn checkpoints(
    State(shared): State<Arc<Shared>>,
    Path((group_id, cluster)): Path<(String, String)>,
    headers: HeaderMap,
) -> HttpResponse {
    assert_eq!((group_id.as_str(), cluster.as_str()), (GROUP_ID, CLUSTER));
    let authorization = header_text(&headers, header::AUTHORIZATION);
    let accepted = authorization
        .as_deref()
        .and_then(|value| value.strip_prefix("Bearer "))
        .is_some_and(|token| {
            !shared.reject_all.load(Ordering::SeqCst)
                && shared
                    .valid
                    .lock()
                    .unwrap()
                    .get(token)
                    .is_some_and(|expires_at| Instant::now() < *expires_at)
        });
    let status = if accepted { 200 } else { 401 };
    shared.api_requests.lock().unwrap().push(ApiRequest {
        authorization,
        status,
    });
    if accepted {
        json_reply(200, ATLAS_JSON, r#"{"results":[],"totalCount":0}"#.into())
    } else {
        shared.rejection_hold.pass().await;
        let body = r#"{"error":401,"errorCode":"UNAUTHORIZED","reason":"Unauthorized"}"#;
        json_reply(401, "application/json", body.into())
    }
}

async fn list(
    client: &Client,
) -> Result<Response<PaginatedApiAtlasCheckpointView>, Error<ApiError>> {
    client
        .list_legacy_backup_checkpoints(GROUP_ID, CLUSTER)
        .send()
        .await
}

fn accepted(token: &str) -> ApiRequest {
    ApiRequest {
        authorization: Some(format!("Bearer {token}")),
        status: 200,
    }
}

fn rejected(token: &str) -> ApiRequest {
    ApiRequest {
        authorization: Some(format!("Bearer {token}")),
        status: 401,
    }
}

fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

#[test]
fn the_basic_helper_encodes_as_rfc_7617_does() {
    // The server's credential check is only as good as this encoder.
    assert_eq!(basic("id", "secret"), "Basic aWQ6c2VjcmV0");
    assert_eq!(
        basic("Aladdin", "open sesame"),
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    );
    assert_eq!(basic("a", "bc"), "Basic YTpiYw==");
    assert_eq!(basic("ab", "cd"), "Basic YWI6Y2Q=");
}

#[tokio::test]
async fn the_token_comes_from_the_base_url_and_is_reused() {
    let server = TestServer::start().await;
    let client = server.client(server.account());

    let response = list(&client).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.body().total_count, Some(0));

    // The spec's token URL, moved to the test server because the client talks to it.
    let requests = server.token_requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.path, "/api/oauth/token");
    assert_eq!(
        request.authorization.as_deref(),
        Some(basic(CLIENT_ID, CLIENT_SECRET).as_str())
    );
    assert_eq!(
        request.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(request.accept.as_deref(), Some("application/json"));
    assert_eq!(request.form, pairs(&[("grant_type", "client_credentials")]));
    assert_eq!(server.api_requests(), [accepted("tok-1")]);

    list(&client).await.unwrap();
    assert_eq!(server.token_requests().len(), 1, "the token is reused");
    assert_eq!(
        server.api_requests(),
        [accepted("tok-1"), accepted("tok-1")]
    );
}

#[tokio::test]
async fn an_explicit_token_url_is_used_as_given() {
    let server = TestServer::start().await;
    let account = server
        .account()
        .token_url(format!("{}/custom/token", server.base_url));
    let client = server.client(account);

    list(&client).await.unwrap();
    let paths: Vec<String> = server
        .token_requests()
        .into_iter()
        .map(|r| r.path)
        .collect();
    assert_eq!(paths, ["/custom/token"]);
    assert_eq!(server.api_requests(), [accepted("tok-1")]);

    // Revoked beside it.
    client.revoke_credentials().await.unwrap();
    let paths: Vec<String> = server.revocations().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/custom/revoke"]);
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires() {
    let server = TestServer::start().await;
    // Renewed when less than a tenth of its 2 s lifetime (0.2 s) remains.
    server.set_expires_in(2);
    let client = server.client(server.account());

    list(&client).await.unwrap();
    list(&client).await.unwrap();
    assert_eq!(server.token_requests().len(), 1, "fresh tokens are reused");

    // Past the renewal point (1.8 s after the token was requested), before its expiry.
    advance_clock(Duration::from_millis(1900)).await;
    list(&client).await.unwrap();
    assert_eq!(server.token_requests().len(), 2);
    // The new token went out with the request: the API never had to refuse the old one.
    assert_eq!(
        server.api_requests(),
        [accepted("tok-1"), accepted("tok-1"), accepted("tok-2")]
    );
}

#[tokio::test]
async fn a_rejected_token_is_replaced_once_and_the_call_succeeds() {
    let server = TestServer::start().await;
    let client = server.client(server.account());
    list(&client).await.unwrap();

    server.invalidate("tok-1");
    let response = list(&client).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(server.token_requests().len(), 2);
    assert_eq!(
        server.api_requests()[1..],
        [rejected("tok-1"), accepted("tok-2")]
    );
}

#[tokio::test]
async fn a_call_whose_new_token_is_rejected_too_fails_with_401_without_looping() {
    let server = TestServer::start().await;
    let client = server.client(server.account());
    list(&client).await.unwrap();

    server.reject_all_tokens();
    let error = list(&client).await.unwrap_err();
    match &error {
        Error::Api { status, body, .. } => {
            assert_eq!(*status, StatusCode::UNAUTHORIZED);
            assert_eq!(body.error_code, "UNAUTHORIZED");
        }
        other => panic!("expected the API's 401, got {other:?}"),
    }
    // One new token, one more attempt with it, then the 401 is the answer.
    assert_eq!(server.token_requests().len(), 2);
    assert_eq!(
        server.api_requests()[1..],
        [rejected("tok-1"), rejected("tok-2")]
    );
}

/// `n` calls at once. They run in one task, so the first poll starts every one of them
/// before any answer can arrive: all of them overlap, whatever the scheduler does.
async fn concurrent_calls(
    client: &Client,
    n: usize,
) -> Vec<Result<Response<PaginatedApiAtlasCheckpointView>, Error<ApiError>>> {
    join_all((0..n).map(|_| list(client))).await
}

#[tokio::test]
async fn concurrent_calls_on_a_fresh_client_share_one_token_request() {
    let server = TestServer::start().await;
    let client = server.client(server.account());

    let results = concurrent_calls(&client, 50).await;
    assert_eq!(results.len(), 50);
    for result in results {
        assert_eq!(result.unwrap().status(), StatusCode::OK);
    }
    assert_eq!(server.token_requests().len(), 1);
    let api = server.api_requests();
    assert_eq!(api.len(), 50);
    assert!(
        api.iter().all(|request| *request == accepted("tok-1")),
        "{api:?}"
    );
}

#[tokio::test]
async fn concurrent_calls_refused_with_one_token_share_one_replacement() {
    let server = TestServer::start().await;
    let client = server.client(server.account());
    list(&client).await.unwrap();
    server.invalidate("tok-1");

    for result in concurrent_calls(&client, 20).await {
        assert_eq!(result.unwrap().status(), StatusCode::OK);
    }
    // Every call that saw its tok-1 refused moved on to the same tok-2.
    assert_eq!(server.token_requests().len(), 2);
    let api = server.api_requests();
    let retried: Vec<&ApiRequest> = api[1..].iter().filter(|r| r.status == 200).collect();
    assert_eq!(retried.len(), 20);
    assert!(retried.iter().all(|r| **r == accepted("tok-2")), "{api:?}");
}

#[tokio::test]
async fn a_late_401_for_an_old_token_does_not_discard_the_new_one() {
    let server = TestServer::start().await;
    let client = server.client(server.account());
    list(&client).await.unwrap();
    server.invalidate("tok-1");

    // The first call's 401 for tok-1 is held back until the second call has replaced
    // tok-1 with tok-2.
    server.hold_next_rejection();
    let slow = tokio::spawn({
        let client = client.clone();
        async move { list(&client).await.map(|r| r.status()) }
    });
    server.shared.rejection_hold.arrived().await;
    assert_eq!(list(&client).await.unwrap().status(), StatusCode::OK);
    assert_eq!(server.token_requests().len(), 2);

    server.shared.rejection_hold.release();
    assert_eq!(slow.await.unwrap().unwrap(), StatusCode::OK);
    // The late 401 concerned tok-1, so tok-2 was kept and used, not replaced by tok-3.
    assert_eq!(server.token_requests().len(), 2);
    assert_eq!(
        server.api_requests(),
        [
            accepted("tok-1"),
            rejected("tok-1"),
            rejected("tok-1"),
            accepted("tok-2"),
            accepted("tok-2"),
        ]
    );
}

#[tokio::test]
async fn calls_waiting_for_a_token_request_that_times_out_all_get_its_error() {
    let server = TestServer::start().await;
    // The token endpoint hangs; the client gives up on a request after 1 s.
    server.hold_next_token_request();
    let client = Client::builder()
        .base_url(&server.base_url)
        .timeout(Duration::from_secs(1))
        .service_account(server.account())
        .build()
        .unwrap();

    let (results, ()) = tokio::join!(concurrent_calls(&client, 10), async {
        server.shared.token_hold.arrived().await;
        // The token request is at the endpoint and every call waits for it: the only
        // thing left to happen is the timeout, so the clock can jump to it.
        tokio::time::pause();
    });
    tokio::time::resume();

    // One token request, and its failure is the answer of all ten calls.
    assert_eq!(server.token_requests().len(), 1);
    assert!(server.api_requests().is_empty());
    let errors: Vec<atlas_admin::AuthError> = results
        .into_iter()
        .map(|result| match result {
            Err(Error::Auth(error)) => error,
            other => panic!("expected an auth error, got {other:?}"),
        })
        .collect();
    assert_eq!(errors.len(), 10);
    assert!(errors.iter().all(|error| *error == errors[0]), "{errors:?}");
    let message = errors[0].to_string();
    assert!(message.contains("timed out"), "{message}");
    let source = std::error::Error::source(&errors[0]).expect("a source");
    let transport = source
        .downcast_ref::<reqwest::Error>()
        .expect("a reqwest::Error");
    assert!(transport.is_timeout(), "{transport:?}");

    // A call after the failure asks again, and this time gets a token.
    assert_eq!(list(&client).await.unwrap().status(), StatusCode::OK);
    assert_eq!(server.token_requests().len(), 2);
}

#[tokio::test]
async fn a_refused_token_request_is_an_auth_error_without_the_secret() {
    let server = TestServer::start().await;
    // An endpoint that echoes what it was sent must not get the secret into the error.
    server.fail_token_requests(
        400,
        r#"{"error":"invalid_client","error_description":"bad secret s3cr3t-Value-42"}"#,
    );
    let client = server.client(ServiceAccount::new(CLIENT_ID, DISTINCT_SECRET));

    let error = list(&client).await.unwrap_err();
    let Error::Auth(auth) = &error else {
        panic!("expected an auth error, got {error:?}");
    };
    assert_eq!(auth.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    let excerpt = auth.body_excerpt().unwrap();
    assert!(excerpt.contains("invalid_client"), "{excerpt}");
    for text in [
        error.to_string(),
        format!("{error:?}"),
        auth.to_string(),
        excerpt.to_owned(),
    ] {
        assert!(!text.contains(DISTINCT_SECRET), "{text}");
    }
    assert!(
        server.api_requests().is_empty(),
        "nothing is sent without a token"
    );
}

/// A client of `server` for `account` that makes up to `attempts` attempts, waiting a
/// millisecond or two between them so the tests do not sleep.
fn retrying_client(server: &TestServer, account: ServiceAccount, attempts: u32) -> Client {
    let retries = atlas_admin::RetryPolicy::default()
        .max_attempts(attempts)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(2));
    Client::builder()
        .base_url(&server.base_url)
        .retry(retries)
        .service_account(account)
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_unavailable_token_endpoint_is_retried_as_the_api_would_be() {
    let server = TestServer::start().await;
    server.make_token_endpoint_unavailable(2);
    let client = retrying_client(&server, server.account(), 3);
    assert_eq!(list(&client).await.unwrap().status(), StatusCode::OK);
    assert_eq!(server.token_requests().len(), 3);
    assert_eq!(server.api_requests(), [accepted("tok-1")]);
}

#[tokio::test]
async fn a_token_endpoint_that_stays_unavailable_fails_once_retries_run_out() {
    let server = TestServer::start().await;
    server.make_token_endpoint_unavailable(usize::MAX);
    let client = retrying_client(&server, server.account(), 3);
    let error = list(&client).await.unwrap_err();
    let Error::Auth(auth) = &error else {
        panic!("expected an auth error, got {error:?}");
    };
    assert_eq!(auth.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(server.token_requests().len(), 3);
    assert!(server.api_requests().is_empty());
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_an_auth_error_with_its_cause() {
    // Nothing listens on the port of a listener that was bound and dropped.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let server = TestServer::start().await;
    let account = server
        .account()
        .token_url(format!("http://{address}/token"));
    let client = retrying_client(&server, account, 2);
    let error = list(&client).await.unwrap_err();
    let Error::Auth(auth) = &error else {
        panic!("expected an auth error, got {error:?}");
    };
    assert_eq!(auth.status(), None);
    // The transport error is the source, so callers can ask it what went wrong.
    let source = std::error::Error::source(auth).expect("a source");
    let transport = source
        .downcast_ref::<reqwest::Error>()
        .expect("a reqwest::Error");
    assert!(transport.is_connect(), "{transport:?}");
    assert!(server.api_requests().is_empty());
}

#[tokio::test]
async fn default_headers_go_to_the_token_endpoint_too() {
    let server = TestServer::start().await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .default_header(
            reqwest::header::HeaderName::from_static("x-test-origin"),
            reqwest::header::HeaderValue::from_static("batch-job"),
        )
        .service_account(server.account())
        .build()
        .unwrap();
    list(&client).await.unwrap();
    let requests = server.token_requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].origin.as_deref(), Some("batch-job"));
    // The client's credentials, not a default header, authenticate the token request.
    assert_eq!(
        requests[0].authorization.as_deref(),
        Some(basic(CLIENT_ID, CLIENT_SECRET).as_str())
    );
}

#[tokio::test]
async fn wrong_credentials_are_refused_by_the_token_endpoint() {
    let server = TestServer::start().await;
    let client = server.client(ServiceAccount::new(CLIENT_ID, DISTINCT_SECRET));

    let error = list(&client).await.unwrap_err();
    let Error::Auth(auth) = &error else {
        panic!("expected an auth error, got {error:?}");
    };
    // The token endpoint's 401, not the API's: the API was never called.
    assert_eq!(auth.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(server.api_requests().is_empty());
    assert!(!error.to_string().contains(DISTINCT_SECRET));
}

#[tokio::test]
async fn a_token_answer_without_an_access_token_is_an_auth_error() {
    let server = TestServer::start().await;
    server.fail_token_requests(200, r#"{"token_type":"Bearer","expires_in":3600}"#);
    let client = server.client(server.account());

    let error = list(&client).await.unwrap_err();
    let Error::Auth(auth) = &error else {
        panic!("expected an auth error, got {error:?}");
    };
    assert_eq!(auth.status(), Some(StatusCode::OK));
    assert!(auth.to_string().contains("access_token"), "{auth}");
    assert!(server.api_requests().is_empty());
}

#[tokio::test]
async fn revoking_posts_the_token_beside_the_token_endpoint_and_the_next_call_gets_a_new_one() {
    let server = TestServer::start().await;
    // No revocation URL is set: it is derived from the token URL, as the token URL is
    // from the base URL.
    let client = server.client(server.account());
    list(&client).await.unwrap();

    client.revoke_credentials().await.unwrap();
    let revocations = server.revocations();
    assert_eq!(revocations.len(), 1);
    let revocation = &revocations[0];
    assert_eq!(revocation.path, "/api/oauth/revoke");
    assert_eq!(
        revocation.authorization.as_deref(),
        Some(basic(CLIENT_ID, CLIENT_SECRET).as_str())
    );
    assert_eq!(
        revocation.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        revocation.form,
        pairs(&[("token", "tok-1"), ("token_type_hint", "access_token")])
    );

    list(&client).await.unwrap();
    assert_eq!(server.token_requests().len(), 2);
    // The revoked token was not tried again.
    assert_eq!(
        server.api_requests(),
        [accepted("tok-1"), accepted("tok-2")]
    );

    // tok-2 is revoked in turn; after that nothing is cached and nothing is posted.
    client.revoke_credentials().await.unwrap();
    client.revoke_credentials().await.unwrap();
    let tokens: Vec<String> = server
        .revocations()
        .into_iter()
        .map(|r| r.form[0].1.clone())
        .collect();
    assert_eq!(tokens, ["tok-1", "tok-2"]);
}

#[tokio::test]
async fn an_explicit_revocation_url_is_used_as_given() {
    let server = TestServer::start().await;
    let account = server
        .account()
        .token_url(format!("{}/custom/token", server.base_url))
        .revocation_url(format!("{}/revocations", server.base_url));
    let client = server.client(account);
    list(&client).await.unwrap();

    client.revoke_credentials().await.unwrap();
    let paths: Vec<String> = server.revocations().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/revocations"]);
}

#[tokio::test]
async fn without_revocation_the_token_is_only_forgotten() {
    let server = TestServer::start().await;
    let client = server.client(server.account().without_revocation());
    list(&client).await.unwrap();

    client.revoke_credentials().await.unwrap();
    assert!(server.revocations().is_empty());
    list(&client).await.unwrap();
    assert_eq!(server.token_requests().len(), 2);
    assert_eq!(
        server.api_requests(),
        [accepted("tok-1"), accepted("tok-2")]
    );
}

#[tokio::test]
async fn a_refused_revocation_is_an_error_and_the_token_is_forgotten_anyway() {
    let server = TestServer::start().await;
    // A refusal (a 503 would be retried first, as for a token request).
    server.fail_revocations(400, r#"{"error":"unsupported_token_type"}"#);
    let client = server.client(server.account());
    list(&client).await.unwrap();

    let error = client.revoke_credentials().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    assert!(!error.to_string().contains("tok-1"), "{error}");
    // The endpoint was derived, so the error says how to set another or none.
    assert!(error.to_string().contains("without_revocation"), "{error}");
    assert_eq!(server.revocations().len(), 1);

    list(&client).await.unwrap();
    assert_eq!(
        server.api_requests(),
        [accepted("tok-1"), accepted("tok-2")]
    );
}

#[tokio::test]
async fn debug_output_shows_neither_the_secret_nor_the_token() {
    let server = TestServer::start().await;
    server.set_credentials(CLIENT_ID, DISTINCT_SECRET);
    let account = ServiceAccount::new(CLIENT_ID, DISTINCT_SECRET)
        .revocation_url(format!("{}/api/oauth/revoke", server.base_url));
    let client = server.client(account.clone());
    // A cached token, so there is one that could leak.
    list(&client).await.unwrap();
    assert_eq!(server.api_requests(), [accepted("tok-1")]);

    for text in [
        format!("{account:?}"),
        format!("{account:#?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
    ] {
        assert!(!text.contains(DISTINCT_SECRET), "{text}");
        assert!(!text.contains("tok-1"), "{text}");
        // Still useful: the client ID shows, the secret's place is marked.
        assert!(text.contains(r#""id""#), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
}
