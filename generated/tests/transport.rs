//! Retries, timeouts, dropped connections and error details, against real servers on
//! 127.0.0.1. No test asserts on elapsed time: retry waits are kept tiny, whether
//! `Retry-After` is honoured shows in how many requests are made, and a timeout is
//! reached by pausing tokio's clock once the request is at the server, not by waiting.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_admin::{Client, Error, RetryPolicy, StatusCode};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
const ATLAS_JSON: &str = "application/vnd.atlas.2023-01-01+json";
const PAGE: &str = r#"{"results":[],"totalCount":0}"#;

/// One scripted answer.
#[derive(Clone)]
struct Answer {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: &'static str,
    delay: Duration,
}

fn answer(status: u16, body: &'static str) -> Answer {
    let content_type = if status == 200 {
        ATLAS_JSON
    } else {
        "application/json"
    };
    Answer {
        status,
        headers: vec![("content-type", content_type)],
        body,
        delay: Duration::ZERO,
    }
}

/// Answers requests from a script; the last answer repeats. Records every request's headers.
#[derive(Default)]
struct Script {
    answers: Mutex<VecDeque<Answer>>,
    seen: Mutex<Vec<axum::http::HeaderMap>>,
    /// Told of each request as it arrives.
    arrived: tokio::sync::Notify,
}

async fn scripted(State(script): State<Arc<Script>>, request: Request) -> Response {
    script.seen.lock().unwrap().push(request.headers().clone());
    script.arrived.notify_one();
    let answer = {
        let mut answers = script.answers.lock().unwrap();
        if answers.len() > 1 {
            answers.pop_front().unwrap()
        } else {
            answers[0].clone()
        }
    };
    tokio::time::sleep(answer.delay).await;
    let mut response = (StatusCode::from_u16(answer.status).unwrap(), answer.body).into_response();
    for (name, value) in answer.headers {
        response.headers_mut().insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    response
}

async fn serve(answers: Vec<Answer>) -> (String, Arc<Script>) {
    let script = Arc::new(Script {
        answers: Mutex::new(answers.into()),
        ..Script::default()
    });
    let app = axum::Router::new()
        .fallback(scripted)
        .with_state(Arc::clone(&script));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), script)
}

/// Retries with waits short enough not to slow the suite.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

fn client(base_url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base_url)
        .retry(retry)
        .build()
        .unwrap()
}

#[allow(deprecated)]
async fn call(
    client: &Client,
) -> Result<
    atlas_admin::Response<atlas_admin::models::PaginatedApiAtlasCheckpointView>,
    Error<atlas_admin::models::ApiError>,
> {
    client
        .list_legacy_backup_checkpoints(GROUP_ID, "Cluster0")
        .send()
        .await
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_then_succeeds() {
    let mut limited = answer(429, "");
    limited.headers.push(("retry-after", "0"));
    let (url, script) = serve(vec![limited, answer(200, PAGE)]).await;
    let response = call(&client(&url, quick_retries())).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(script.seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_is_not_waited_for() {
    // Retry-After asks for 60 s; the budget allows 1 s, so the 429 is the answer.
    let mut limited = answer(429, "");
    limited.headers.push(("retry-after", "60"));
    let (url, script) = serve(vec![limited, answer(200, PAGE)]).await;
    let policy = quick_retries()
        .max_delay(Duration::from_secs(120))
        .budget(Duration::from_secs(1));
    let error = call(&client(&url, policy)).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert!(matches!(error, Error::UnexpectedStatus { .. }));
    assert_eq!(script.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_retry_after_beyond_the_longest_wait_fails_at_once_with_the_decoded_429() {
    // The server asks for 120 s; the policy waits 5 ms at most. Retrying sooner would only
    // earn more 429s, so the first answer is the error, decoded, and says what was asked.
    let mut limited = answer(
        429,
        r#"{"error":429,"errorCode":"RATE_LIMITED","detail":"Too many requests."}"#,
    );
    limited.headers.push(("retry-after", "120"));
    let (url, script) = serve(vec![limited, answer(200, PAGE)]).await;
    let error = call(&client(&url, quick_retries())).await.unwrap_err();
    assert_eq!(script.seen.lock().unwrap().len(), 1, "not retried");
    assert!(error.is_error_code("RATE_LIMITED"), "{error:?}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(
        error.to_string(),
        "429 Too Many Requests: RATE_LIMITED: Too many requests. (the server asked to retry after 120 s)"
    );
}

#[tokio::test]
async fn a_503_is_retried_until_the_attempts_are_spent() {
    let (url, script) = serve(vec![answer(503, "down")]).await;
    let error = call(&client(&url, quick_retries())).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(error.body_excerpt().as_deref(), Some("down"));
    assert_eq!(script.seen.lock().unwrap().len(), 3, "max_attempts(3)");
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let (url, script) = serve(vec![answer(503, ""), answer(200, PAGE)]).await;
    let error = call(&client(&url, RetryPolicy::disabled()))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(script.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    let body = r#"{"error":500,"errorCode":"UNEXPECTED_ERROR","reason":"Internal Server Error"}"#;
    let (url, script) = serve(vec![answer(500, body), answer(200, PAGE)]).await;
    let error = call(&client(&url, quick_retries())).await.unwrap_err();
    assert!(error.is_error_code("UNEXPECTED_ERROR"));
    assert_eq!(error.error_code(), Some("UNEXPECTED_ERROR"));
    assert!(!error.is_error_code("RESOURCE_NOT_FOUND"));
    assert_eq!(script.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_connection_dropped_before_any_response_is_retried() {
    // A raw server: the first connection is closed as soon as the request arrives, the
    // second gets a real answer.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&connections);
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let n = {
                let mut count = counter.lock().unwrap();
                *count += 1;
                *count
            };
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            if n > 1 {
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: {ATLAS_JSON}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{PAGE}",
                    PAGE.len()
                );
                socket.write_all(reply.as_bytes()).await.unwrap();
            }
            drop(socket);
        }
    });
    let response = call(&client(&format!("http://{address}"), quick_retries()))
        .await
        .unwrap();
    assert_eq!(response.into_inner().total_count, Some(0));
    assert_eq!(*connections.lock().unwrap(), 2);
}

#[tokio::test]
async fn a_server_slower_than_the_timeout_is_a_transport_error_that_says_so() {
    let mut slow = answer(200, PAGE);
    slow.delay = Duration::from_secs(5);
    let (url, script) = serve(vec![slow]).await;
    let client = Client::builder()
        .base_url(&url)
        .timeout(Duration::from_millis(200))
        .retry(quick_retries())
        .build()
        .unwrap();
    let (result, ()) = tokio::join!(call(&client), async {
        // The request is at the server: the clock can jump to the client's timeout, which
        // comes before the server's answer.
        script.arrived.notified().await;
        tokio::time::pause();
    });
    tokio::time::resume();
    let error = result.unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("expected a timeout, got {error:?}");
    };
    assert!(transport.is_timeout(), "{transport}");
    let message = error.to_string();
    assert!(message.starts_with("timed out: "), "{message}");
    assert_eq!(
        script.seen.lock().unwrap().len(),
        1,
        "a timeout is not retried"
    );
}

#[tokio::test]
async fn a_body_cut_short_is_a_transport_error_that_says_so() {
    // A raw server that promises 1000 bytes, sends 10 and closes the connection.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buffer = [0u8; 4096];
        let _ = socket.read(&mut buffer).await;
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: {ATLAS_JSON}\r\ncontent-length: 1000\r\n\r\n{{\"results\""
        );
        socket.write_all(reply.as_bytes()).await.unwrap();
    });
    let error = call(&client(
        &format!("http://{address}"),
        RetryPolicy::disabled(),
    ))
    .await
    .unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("expected a transport error, got {error:?}");
    };
    assert!(!transport.is_timeout(), "{transport}");
    let message = error.to_string();
    assert!(
        message.starts_with(
            "the response was cut short (the connection failed before the whole body arrived): "
        ),
        "{message}"
    );
}

#[tokio::test]
async fn decode_errors_name_the_json_path() {
    let body = r#"{"results":[{"parts":[{"tokenTimestamp":{"increment":"soon"}}]}]}"#;
    let (url, _script) = serve(vec![answer(200, body)]).await;
    match call(&client(&url, quick_retries())).await {
        Err(error @ Error::Decode { .. }) => {
            let Error::Decode {
                path,
                status,
                content_type,
                ..
            } = &error
            else {
                unreachable!()
            };
            assert_eq!(path, "results[0].parts[0].tokenTimestamp.increment");
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(content_type.as_deref(), Some(ATLAS_JSON));
            assert!(
                error
                    .to_string()
                    .contains("results[0].parts[0].tokenTimestamp.increment"),
                "{error}"
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn default_headers_and_user_agent_are_sent() {
    let (url, script) = serve(vec![answer(200, PAGE)]).await;
    let client = Client::builder()
        .base_url(&url)
        .user_agent("checkpoints-tool/2.0")
        .default_header(
            HeaderName::from_static("x-request-source"),
            HeaderValue::from_static("nightly"),
        )
        .build()
        .unwrap();
    call(&client).await.unwrap();
    let seen = script.seen.lock().unwrap();
    assert_eq!(seen[0]["user-agent"], "checkpoints-tool/2.0");
    assert_eq!(seen[0]["x-request-source"], "nightly");
    assert_eq!(seen[0]["accept"], ATLAS_JSON);
    assert!(
        seen[0].get("authorization").is_none(),
        "no credentials configured, none sent"
    );
}

#[tokio::test]
async fn an_invalid_base_url_is_refused_when_building() {
    let error = Client::builder().base_url("not a url").build().unwrap_err();
    assert!(matches!(error, atlas_admin::BuildError::BaseUrl(_)));
    assert!(error.to_string().contains("not a url"));
}

#[tokio::test]
async fn envelope_and_pretty_responses_decode() {
    // With envelope=true Atlas adds a `status` member to list bodies; pretty=true only
    // changes whitespace.
    let body = "{\n  \"status\" : 200,\n  \"results\" : [ {\n    \"id\" : \"32b6e34b3d91647abb20e7b8\"\n  } ],\n  \"totalCount\" : 1\n}";
    let (url, script) = serve(vec![answer(200, body)]).await;
    #[allow(deprecated)]
    let page = client(&url, RetryPolicy::disabled())
        .list_legacy_backup_checkpoints(GROUP_ID, "Cluster0")
        .envelope(true)
        .pretty(true)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.total_count, Some(1));
    assert_eq!(page.results.unwrap()[0].id.as_deref(), Some(GROUP_ID));
    assert_eq!(script.seen.lock().unwrap().len(), 1);
}
