//! Tests run inside the crate generated from `secure.yaml` (see that file, and `.ci/run`):
//! each call goes to a loopback server that records the request line and headers it
//! received, so the tests check the credentials exactly as they went over the wire.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use secure::{Client, ClientBuilder, Error, Secret, token_fn};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server received: the request target and the headers, names in lower case.
#[derive(Debug, Clone, PartialEq)]
struct Received {
    target: String,
    headers: Vec<(String, String)>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The credential-bearing headers, in a fixed order.
    fn credentials(&self) -> Vec<(&str, &str)> {
        ["authorization", "cookie", "x-api-key"]
            .into_iter()
            .filter_map(|name| self.header(name).map(|value| (name, value)))
            .collect()
    }
}

/// A server answering `200 {}` to everything, recording each request.
struct Server {
    base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Server {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buffer = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buffer[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&head).into_owned();
                    let mut lines = text.split("\r\n");
                    let target = lines
                        .next()
                        .and_then(|line| line.split(' ').nth(1))
                        .unwrap_or_default()
                        .to_owned();
                    let headers = lines
                        .take_while(|line| !line.is_empty())
                        .filter_map(|line| line.split_once(':'))
                        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                        .collect();
                    log.lock().unwrap().push(Received { target, headers });
                    let response = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
                    let _ = stream.write_all(response.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        Self { base_url, received }
    }

    fn builder(&self) -> ClientBuilder {
        Client::builder().base_url(&self.base_url)
    }

    /// The requests received since the last call.
    fn take(&self) -> Vec<Received> {
        std::mem::take(&mut *self.received.lock().unwrap())
    }

    /// The one request received since the last call.
    fn one(&self) -> Received {
        let mut received = self.take();
        assert_eq!(received.len(), 1, "{received:?}");
        received.remove(0)
    }
}

fn basic(user_and_password_base64: &str) -> String {
    format!("Basic {user_and_password_base64}")
}

#[tokio::test]
async fn an_api_key_goes_in_its_header() {
    let server = Server::start().await;
    let client = server.builder().header_key_auth("k-1").build().unwrap();
    client.inherited().send().await.unwrap();
    let received = server.one();
    assert_eq!(received.target, "/inherited");
    assert_eq!(received.credentials(), [("x-api-key", "k-1")]);
}

#[tokio::test]
async fn the_first_alternative_with_credentials_is_chosen() {
    let server = Server::start().await;
    // Only the second alternative (`basic`) has credentials.
    let client = server
        .builder()
        .basic_auth("Aladdin", "open sesame")
        .build()
        .unwrap();
    client.inherited().send().await.unwrap();
    assert_eq!(
        server.one().credentials(),
        [("authorization", basic("QWxhZGRpbjpvcGVuIHNlc2FtZQ==").as_str())]
    );

    // Both have: the first (`headerKey`) wins, and only it is sent.
    let client = server
        .builder()
        .basic_auth("Aladdin", "open sesame")
        .header_key_auth("k-1")
        .build()
        .unwrap();
    client.inherited().send().await.unwrap();
    assert_eq!(server.one().credentials(), [("x-api-key", "k-1")]);
}

#[tokio::test]
async fn schemes_required_together_are_all_sent() {
    let server = Server::start().await;
    let client = server
        .builder()
        .header_key_auth("k-1")
        .query_key_auth("q 1&2")
        .build()
        .unwrap();
    client.both().page(3).send().await.unwrap();
    let received = server.one();
    // The key follows the operation's own parameters, encoded as they are.
    assert_eq!(received.target, "/both?page=3&api_key=q%201%262");
    assert_eq!(received.credentials(), [("x-api-key", "k-1")]);
}

#[tokio::test]
async fn a_missing_half_of_a_requirement_fails_before_sending() {
    let server = Server::start().await;
    let client = server.builder().header_key_auth("k-1").build().unwrap();
    let error = client.both().send().await.unwrap_err();
    let Error::Auth(auth) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(
        auth.to_string(),
        "`both` needs credentials for `headerKey` with `queryKey`, and the client has them for `headerKey` only"
    );
    assert_eq!(server.take(), []);
}

#[tokio::test]
async fn an_api_key_goes_in_its_cookie_and_a_bearer_token_in_authorization() {
    let server = Server::start().await;
    let client = server.builder().cookie_key_auth("c-1").build().unwrap();
    client.either().send().await.unwrap();
    assert_eq!(server.one().credentials(), [("cookie", "session=c-1")]);

    let client = server.builder().bearer_auth("t-1").build().unwrap();
    client.either().send().await.unwrap();
    assert_eq!(
        server.one().credentials(),
        [("authorization", "Bearer t-1")]
    );
    // A cookie parameter and a cookie key share the one `Cookie` header.
    let client = server.builder().cookie_key_auth("c-2").build().unwrap();
    client.either().theme("dark").send().await.unwrap();
    assert_eq!(
        server.one().credentials(),
        [("cookie", "theme=dark; session=c-2")]
    );
}

#[tokio::test]
async fn no_credentials_go_where_the_spec_requires_none() {
    let server = Server::start().await;
    let client = server
        .builder()
        .header_key_auth("k-1")
        .bearer_auth("t-1")
        .build()
        .unwrap();
    client.open().send().await.unwrap();
    assert_eq!(server.one().credentials(), []);
}

#[tokio::test]
async fn optional_security_sends_credentials_when_it_has_them() {
    let server = Server::start().await;
    let client = server.builder().bearer_auth("t-1").build().unwrap();
    client.optional().send().await.unwrap();
    assert_eq!(
        server.one().credentials(),
        [("authorization", "Bearer t-1")]
    );

    // Without them, the anonymous alternative applies: no error.
    let client = server.builder().header_key_auth("k-1").build().unwrap();
    client.optional().send().await.unwrap();
    assert_eq!(server.one().credentials(), []);
}

#[tokio::test]
async fn a_client_without_credentials_sends_without_them() {
    let server = Server::start().await;
    let client = server.builder().build().unwrap();
    client.inherited().send().await.unwrap();
    client.both().send().await.unwrap();
    let received = server.take();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|r| r.credentials().is_empty()), "{received:?}");
}

#[tokio::test]
async fn delegated_flows_send_the_callers_token() {
    let server = Server::start().await;
    // OAuth 2.0 (implicit, authorization code) and OpenID Connect: the caller's token.
    let client = server.builder().oidc_auth("id-1").build().unwrap();
    client.delegated().send().await.unwrap();
    assert_eq!(
        server.one().credentials(),
        [("authorization", "Bearer id-1")]
    );
    let client = server
        .builder()
        .oidc_auth("id-1")
        .oauth_auth(Secret::new("oa-1"))
        .build()
        .unwrap();
    client.delegated().send().await.unwrap();
    assert_eq!(
        server.one().credentials(),
        [("authorization", "Bearer oa-1")]
    );
}

#[tokio::test]
async fn an_async_token_source_is_asked_before_every_request() {
    let server = Server::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let client = server
        .builder()
        .bearer_auth(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok::<_, std::io::Error>(format!("t-{n}")) }
        })
        .build()
        .unwrap();
    client.either().send().await.unwrap();
    client.either().send().await.unwrap();
    let sent: Vec<_> = server
        .take()
        .iter()
        .map(|r| r.header("authorization").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(sent, ["Bearer t-1", "Bearer t-2"]);
}

#[tokio::test]
async fn a_sync_token_source_works_too() {
    let server = Server::start().await;
    let client = server
        .builder()
        .bearer_auth(token_fn(|| Ok::<_, String>("s-1")))
        .build()
        .unwrap();
    client.either().send().await.unwrap();
    assert_eq!(
        server.one().credentials(),
        [("authorization", "Bearer s-1")]
    );
}

#[tokio::test]
async fn a_failing_token_source_fails_the_call_before_sending() {
    let server = Server::start().await;
    let client = server
        .builder()
        .bearer_auth(|| async { Err::<String, _>(std::io::Error::other("vault sealed")) })
        .build()
        .unwrap();
    let error = client.either().send().await.unwrap_err();
    let Error::Auth(auth) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(auth.to_string(), "the token source failed for `bearer`");
    let source = std::error::Error::source(auth).map(ToString::to_string);
    assert_eq!(source.as_deref(), Some("vault sealed"));
    assert_eq!(server.take(), []);
}

#[tokio::test]
async fn two_authorization_schemes_together_fail_before_sending() {
    let server = Server::start().await;
    let client = server
        .builder()
        .basic_auth("a", "b")
        .bearer_auth("t-1")
        .build()
        .unwrap();
    let error = client.conflict().send().await.unwrap_err();
    let Error::Auth(auth) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(
        auth.to_string(),
        "`conflict` would send the credentials of `basic` and `bearer` together, and each needs the Authorization header"
    );
    assert_eq!(server.take(), []);
}

#[tokio::test]
async fn a_scheme_the_client_cannot_send_is_never_met() {
    let server = Server::start().await;
    let client = server.builder().header_key_auth("k-1").build().unwrap();
    let error = client.unusable().send().await.unwrap_err();
    assert!(matches!(error, Error::Auth(_)), "{error:?}");
    assert_eq!(server.take(), []);
}

#[tokio::test]
async fn secrets_never_show_in_debug_output_or_errors() {
    let server = Server::start().await;
    let builder = server
        .builder()
        .header_key_auth("key-secret")
        .query_key_auth("query-secret")
        .basic_auth("user", "password-secret")
        .bearer_auth("token-secret");
    let shown = format!("{builder:?}");
    let client = builder.build().unwrap();
    for text in [shown, format!("{client:?}"), format!("{client:#?}")] {
        for secret in ["key-secret", "query-secret", "password-secret", "token-secret"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(text.contains("<redacted>"), "{text}");
    }

    // A transport error names the URL, but not the key in its query.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder()
        .base_url(closed)
        .retry(secure::RetryPolicy::disabled())
        .header_key_auth("key-secret")
        .query_key_auth("query-secret")
        .build()
        .unwrap();
    let error = client.both().send().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains("query-secret"), "{text}");
    }
}
