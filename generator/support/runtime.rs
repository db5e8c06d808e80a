//! The parts of the client that do not depend on the spec: the HTTP client, errors,
//! responses and parameter validation errors.
//!
//! Generated operations build a `PreparedRequest`, hand it to `send` (which calls the
//! client's `execute`) and decode the `RawResponse` according to the statuses their spec
//! documents. `execute` adds credentials, answers a 401 challenge once, and retries what
//! `RetryPolicy` allows.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
pub use reqwest::StatusCode;
pub use reqwest::header::HeaderMap;
use reqwest::header::{HeaderName, HeaderValue};
use serde::Deserialize as _;
use tracing::Instrument;

use crate::auth::{ApiKeyLocation, AuthContext, AuthError, Authenticate, Credential, Secret, Sent};
use crate::retry::{self, RetryPolicy};

/// How many bytes of a response body errors keep for display.
const EXCERPT_LEN: usize = 512;

/// A client for the API. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    default_headers: HeaderMap,
    /// The credentials configured, by security scheme name.
    credentials: BTreeMap<&'static str, Credential>,
    retry: RetryPolicy,
    /// The operations whose deprecation this client has warned about.
    deprecations_logged: std::sync::Mutex<std::collections::HashSet<&'static str>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the spec's default server with default settings.
    ///
    /// # Panics
    ///
    /// When the TLS backend cannot be initialised, as `reqwest::Client::new` does; use
    /// [`Client::builder`] to handle that as an error.
    pub fn new() -> Self {
        match Self::builder().build() {
            Ok(client) => client,
            Err(error) => panic!("cannot initialise the HTTP client: {error}"),
        }
    }

    /// Settings for a client: base URL, HTTP client, timeouts, user agent.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL that operation paths are appended to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Forgets credentials derived from the configured secret (an OAuth token, a Digest
    /// nonce) and revokes them with the server where the scheme supports it. The next
    /// request obtains fresh ones.
    pub async fn revoke_credentials(&self) -> Result<(), AuthError> {
        // One authenticator may serve several schemes; each is revoked once.
        let mut revoked: Vec<*const ()> = Vec::new();
        for credential in self.inner.credentials.values() {
            if let Credential::Authorization(auth) = credential {
                let id = Arc::as_ptr(auth).cast::<()>();
                if !revoked.contains(&id) {
                    revoked.push(id);
                    auth.revoke(&self.inner.auth_context()).await?;
                }
            }
        }
        Ok(())
    }
}

/// What an operation's `send` does: the request its `prepare` built (or why it could
/// not), sent, and the response judged by the operation's own `decode` (its statuses and
/// body types).
///
/// Operations are written `#[inline] pub fn send(self) -> impl Pending<..> { send(..) }`
/// rather than `async fn`: the future is this one function's, instantiated once per
/// success and error type, and `#[inline]` lets the crate that calls an operation compile
/// it (and the decoding of its response) instead of this one compiling every operation.
///
/// A function rather than a method of `Client`, whose methods are the API's operations:
/// an operation may be called anything, `send` included.
#[allow(dead_code, reason = "a spec without operations sends nothing")]
pub(crate) async fn send<T, E>(
    client: &Client,
    request: Result<PreparedRequest, Error<E>>,
    decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
) -> Result<Response<T>, Error<E>> {
    let raw = client.inner.execute(request?, false).await?;
    decode(raw)
}

/// Sends a request as [`send`] does, but a success response's body is left unread, for
/// [`RawResponse::stream`]; any other response is read in full. Statuses are the
/// caller's to judge.
#[allow(dead_code, reason = "only specs with non-JSON success bodies stream")]
pub(crate) async fn execute_streaming<E>(
    client: &Client,
    request: PreparedRequest,
) -> Result<RawResponse, Error<E>> {
    client.inner.execute(request, true).await
}

impl Inner {
    fn auth_context(&self) -> AuthContext<'_> {
        AuthContext {
            http: &self.http,
            base_url: &self.base_url,
            default_headers: &self.default_headers,
            retry: &self.retry,
        }
    }

    /// The credentials an operation is sent with: the first alternative of its security
    /// requirement (in spec order, `{}` last) whose schemes all have credentials. When
    /// none has, the request goes without credentials if an alternative allows that or
    /// the client has no credentials at all (a mock, a public deployment); otherwise it
    /// is an error, before anything is sent, naming what the operation accepts.
    fn choose(&self, request: &PreparedRequest) -> Result<Chosen<'_>, AuthError> {
        let alternatives = request.security;
        let configured = |alternative: &[&str]| {
            alternative
                .iter()
                .all(|scheme| self.credentials.contains_key(scheme))
        };
        let authorizing = |alternative: &[&'static str]| -> Vec<&'static str> {
            alternative
                .iter()
                .copied()
                .filter(|scheme| {
                    self.credentials
                        .get(scheme)
                        .is_some_and(Credential::authorizes)
                })
                .collect()
        };
        let mut conflict = None;
        for alternative in alternatives.iter().filter(|a| !a.is_empty()) {
            if !configured(alternative) {
                continue;
            }
            let authorizing = authorizing(alternative);
            if authorizing.len() > 1 {
                conflict.get_or_insert(authorizing);
                continue;
            }
            return self.apply(alternative);
        }
        if alternatives.iter().any(|a| a.is_empty()) || alternatives.is_empty() {
            return Ok(Chosen::default());
        }
        if let Some(schemes) = conflict {
            return Err(AuthError::new(format!(
                "`{}` would send the credentials of {} together, and each needs the Authorization header",
                request.operation_id,
                quoted(&schemes, " and ")
            )));
        }
        if self.credentials.is_empty() {
            return Ok(Chosen::default());
        }
        let accepted: Vec<String> = alternatives
            .iter()
            .map(|alternative| quoted(alternative, " with "))
            .collect();
        let configured: Vec<&str> = self.credentials.keys().copied().collect();
        Err(AuthError::new(format!(
            "`{}` needs credentials for {}{}, and the client has them for {} only",
            request.operation_id,
            if accepted.len() > 1 { "one of " } else { "" },
            accepted.join(", "),
            quoted(&configured, ", ")
        )))
    }

    /// Everything an alternative puts on the request, checked before anything is sent.
    fn apply(&self, alternative: &[&'static str]) -> Result<Chosen<'_>, AuthError> {
        let mut chosen = Chosen::default();
        for scheme in alternative {
            match self.credentials.get(scheme) {
                Some(Credential::Authorization(auth)) => chosen.auth = Some(auth.as_ref()),
                Some(Credential::ApiKey {
                    location,
                    name,
                    key,
                }) => match location {
                    ApiKeyLocation::Query => chosen.query.push((*name, key)),
                    ApiKeyLocation::Header => {
                        let mut value = HeaderValue::from_str(key.expose()).map_err(|_| {
                            AuthError::new(format!(
                                "the key of `{scheme}` cannot be sent in a header"
                            ))
                        })?;
                        value.set_sensitive(true);
                        chosen.headers.push((*name, value));
                    }
                    ApiKeyLocation::Cookie => {
                        // RFC 6265 section 4.1.1: what a cookie value may hold.
                        let valid = key.expose().bytes().all(|b| {
                            matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
                        });
                        if !valid {
                            return Err(AuthError::new(format!(
                                "the key of `{scheme}` cannot be sent in a cookie"
                            )));
                        }
                        chosen.cookies.push(format!("{name}={}", key.expose()));
                    }
                },
                None => {}
            }
        }
        Ok(chosen)
    }

    async fn execute<E>(
        &self,
        request: PreparedRequest,
        streaming: bool,
    ) -> Result<RawResponse, Error<E>> {
        let chosen = self.choose(&request).map_err(Error::Auth)?;
        let mut url =
            reqwest::Url::parse(&format!("{}{}", self.base_url, request.path)).map_err(|_| {
                Error::InvalidRequest(InvalidRequest::new(
                    "path",
                    ConstraintViolation::new(&request.path, Constraint::Format("url")),
                ))
            })?;
        if chosen.query.is_empty() {
            if !request.query.is_empty() {
                url.set_query(Some(request.query.as_str()));
            }
        } else {
            // API keys go after the operation's own parameters, encoded as values are.
            let mut query = request.query.clone();
            for (name, key) in &chosen.query {
                query.push(name, key.expose(), false);
            }
            url.set_query(Some(query.as_str()));
        }
        // The request target as sent, which Digest signs.
        let target = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        let idempotent = retry::idempotent(&request.method);
        let started = Instant::now();
        let mut attempt = 0u32;
        let mut retries = 1u32;
        let mut reauthenticated = false;
        loop {
            attempt += 1;
            // One span per attempt; it never records secrets, only what identifies the call.
            let span = tracing::info_span!(
                "request",
                operation_id = request.operation_id,
                method = %request.method,
                path_template = request.path_template,
                status = tracing::field::Empty,
                attempt,
            );
            let outcome = self
                .attempt(&request, &chosen, &url, &target, streaming)
                .instrument(span.clone())
                .await;
            let _entered = span.enter();
            let (raw, sent) = match outcome {
                Ok(answer) => answer,
                Err(Error::Transport(error)) if idempotent && retry::retryable_error(&error) => {
                    match self.retry.next_delay(retries, started.elapsed(), None) {
                        Some(delay) => {
                            tracing::warn!(
                                operation_id = request.operation_id,
                                attempt,
                                ?delay,
                                error = %describe_transport(&error),
                                "no response; retrying"
                            );
                            retries += 1;
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                        None => return Err(Error::Transport(error)),
                    }
                }
                Err(error) => return Err(error),
            };
            span.record("status", raw.status.as_u16());
            if raw.status == StatusCode::UNAUTHORIZED && !reauthenticated {
                if let Some(auth) = chosen.auth {
                    if auth
                        .unauthorized(sent.authorization.as_ref(), &raw.headers)
                        .await
                    {
                        // Answering a challenge or replacing a stale token is not a retry.
                        reauthenticated = true;
                        continue;
                    }
                }
            }
            if idempotent && retry::retryable_status(raw.status) {
                let wait = retry::retry_after(&raw.headers);
                if let Some(delay) = self.retry.next_delay(retries, started.elapsed(), wait) {
                    tracing::warn!(
                        operation_id = request.operation_id,
                        attempt,
                        status = raw.status.as_u16(),
                        ?delay,
                        "retrying"
                    );
                    retries += 1;
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            if let Some(deprecation) = header_text(&raw.headers, "deprecation") {
                self.deprecated(&request, deprecation, header_text(&raw.headers, "sunset"));
            }
            return Ok(raw);
        }
    }

    /// Logs that the server marks an operation deprecated: a warning the first time this
    /// client hears it for the operation, naming the operation itself (a filter at `warn`
    /// leaves out the `info` span that would), and at `debug` after that, so a program
    /// calling it in a loop does not fill its log.
    fn deprecated(&self, request: &PreparedRequest, deprecation: &str, sunset: Option<&str>) {
        let first = self
            .deprecations_logged
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(request.operation_id);
        let sunset = sunset.unwrap_or("not announced");
        if first {
            tracing::warn!(
                operation_id = request.operation_id,
                method = %request.method,
                path_template = request.path_template,
                deprecation,
                sunset,
                "the server marks operation {} deprecated",
                request.operation_id
            );
        } else {
            tracing::debug!(
                operation_id = request.operation_id,
                deprecation,
                sunset,
                "the server marks this operation deprecated"
            );
        }
    }

    /// One attempt: credentials, send, read the whole body (or, `streaming`, leave a
    /// success's body unread). Returns the response and the credentials it was sent
    /// with, which tell the authenticator when the attempt is over.
    async fn attempt<'a, E>(
        &'a self,
        request: &PreparedRequest,
        chosen: &Chosen<'a>,
        url: &reqwest::Url,
        target: &str,
        streaming: bool,
    ) -> Result<(RawResponse, Sent<'a>), Error<E>> {
        let auth = chosen.auth;
        let authorization = match auth {
            Some(auth) => auth
                .authorization(&self.auth_context(), &request.method, target)
                .await
                .map_err(Error::Auth)?,
            None => None,
        };
        let mut sent = Sent::new(auth, authorization.clone());
        let mut builder = self
            .http
            .request(request.method.clone(), url.clone())
            .headers(self.default_headers.clone())
            .header(reqwest::header::ACCEPT, request.accept);
        let mut cookie_sent = chosen.cookies.is_empty();
        for (name, value) in &request.headers {
            if !cookie_sent && name.eq_ignore_ascii_case("cookie") {
                // One `Cookie` header: the parameters' pairs, then the keys'.
                builder = builder.header(*name, format!("{value}; {}", chosen.cookies.join("; ")));
                cookie_sent = true;
            } else {
                builder = builder.header(*name, value);
            }
        }
        if !cookie_sent {
            builder = builder.header(reqwest::header::COOKIE, chosen.cookies.join("; "));
        }
        for (name, value) in &chosen.headers {
            builder = builder.header(*name, value.clone());
        }
        if let Some(authorization) = &authorization {
            builder = builder.header(reqwest::header::AUTHORIZATION, authorization.clone());
        }
        match &request.body {
            Some(Payload::Buffered(content_type, body)) => {
                builder = builder
                    .header(reqwest::header::CONTENT_TYPE, *content_type)
                    .body(body.clone());
            }
            // Opened anew for every attempt, so a retried upload sends the whole file.
            Some(Payload::Streamed(source)) => {
                let (body, length) = source.open().await.map_err(Error::File)?;
                builder = builder
                    .header(reqwest::header::CONTENT_TYPE, source.content_type())
                    .header(reqwest::header::CONTENT_LENGTH, length)
                    .body(body);
            }
            None => {}
        }
        // A transport error names the URL, which must not show a key sent in the query.
        let hide_url = |error: reqwest::Error| {
            Error::Transport(if chosen.query.is_empty() {
                error
            } else {
                error.without_url()
            })
        };
        let response = builder.send().await.map_err(hide_url)?;
        let status = response.status();
        sent.status = Some(status);
        sent.info = response.headers().get("authentication-info").cloned();
        let headers = response.headers().clone();
        if streaming && status.is_success() {
            return Ok((
                RawResponse {
                    status,
                    headers,
                    body: Bytes::new(),
                    unread: Some(response),
                },
                sent,
            ));
        }
        let body = response.bytes().await.map_err(hide_url)?;
        Ok((
            RawResponse {
                status,
                headers,
                body,
                unread: None,
            },
            sent,
        ))
    }
}

/// What one call sends for its security requirement, chosen once before its first attempt.
#[derive(Default)]
struct Chosen<'a> {
    /// The scheme that sets the `Authorization` header, if any (at most one can).
    auth: Option<&'a dyn Authenticate>,
    headers: Vec<(&'static str, HeaderValue)>,
    query: Vec<(&'static str, &'a Secret)>,
    /// `name=value` pairs for the `Cookie` header.
    cookies: Vec<String>,
}

/// Names in backquotes, joined by `separator`.
fn quoted(names: &[&str], separator: &str) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(separator)
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

/// Builds a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    http: Option<reqwest::Client>,
    user_agent: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    default_headers: HeaderMap,
    credentials: BTreeMap<&'static str, Credential>,
    retry: RetryPolicy,
}

impl ClientBuilder {
    /// The server to talk to, such as `http://127.0.0.1:8080`; defaults to the spec's
    /// first server.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Uses this HTTP client as it is: its timeouts, proxies, TLS and user agent win over
    /// the settings here.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The `User-Agent` header; defaults to `<crate name>/<crate version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Time allowed to establish a connection; defaults to 10 seconds.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole request, from sending to the last byte of the response;
    /// defaults to 60 seconds.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A header sent with every request, such as a tracing or tenant header.
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.default_headers.insert(name, value);
        self
    }

    /// How requests are retried; [`RetryPolicy::disabled`] turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Installs one authenticator for every scheme named (Digest's and OAuth client
    /// credentials' support modules have a public method that calls this).
    #[allow(
        dead_code,
        reason = "only specs with Digest or client credentials call it"
    )]
    pub(crate) fn auth(mut self, schemes: &[&'static str], auth: Arc<dyn Authenticate>) -> Self {
        for scheme in schemes {
            self.credentials
                .insert(scheme, Credential::Authorization(Arc::clone(&auth)));
        }
        self
    }

    /// Sets the credentials of one scheme; the method named after the scheme calls this.
    #[allow(
        dead_code,
        reason = "only specs with a scheme the caller supplies call it"
    )]
    pub(crate) fn credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        self.credentials.insert(scheme, credential);
        self
    }

    /// Builds the client; fails when the TLS backend cannot be initialised or the base
    /// URL is not a URL.
    pub fn build(self) -> Result<Client, BuildError> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(self.user_agent.unwrap_or_else(|| {
                    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned()
                }))
                .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                .timeout(self.timeout.unwrap_or(Duration::from_secs(60)))
                .build()
                .map_err(BuildError::Http)?,
        };
        let base_url = self
            .base_url
            .unwrap_or_else(|| crate::DEFAULT_BASE_URL.to_owned())
            .trim_end_matches('/')
            .to_owned();
        if reqwest::Url::parse(&base_url).is_err() {
            return Err(BuildError::BaseUrl(base_url));
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                default_headers: self.default_headers,
                credentials: self.credentials,
                retry: self.retry,
                deprecations_logged: Default::default(),
            }),
        })
    }
}

/// A client could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The HTTP client (its TLS backend) could not be initialised.
    Http(reqwest::Error),
    /// The base URL is not an absolute URL.
    BaseUrl(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Http(error) => write!(f, "cannot initialise the HTTP client: {error}"),
            BuildError::BaseUrl(url) => write!(f, "the base URL {url:?} is not an absolute URL"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(error) => Some(error),
            BuildError::BaseUrl(_) => None,
        }
    }
}

/// A validated request, ready to send: what an operation's `prepare()` returns and
/// `send()` sends. Credentials are added when it is sent.
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    pub(crate) operation_id: &'static str,
    pub(crate) path_template: &'static str,
    pub(crate) method: reqwest::Method,
    pub(crate) path: String,
    pub(crate) query: Query,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) accept: &'static str,
    pub(crate) body: Option<Payload>,
    /// The spec's security requirement: alternatives, each the schemes applied together;
    /// empty when the operation needs no credentials.
    pub(crate) security: &'static [&'static [&'static str]],
}

/// A request body as `prepare()` leaves it.
#[derive(Debug, Clone)]
pub(crate) enum Payload {
    /// Encoded in full (JSON, a form, text, bytes), with its content type.
    #[allow(dead_code, reason = "only specs with request bodies send one")]
    Buffered(&'static str, Vec<u8>),
    /// Written as it is sent, anew for each attempt (a multipart body that streams
    /// files from disk).
    #[allow(dead_code, reason = "only specs with multipart bodies stream one")]
    Streamed(Arc<dyn BodySource>),
}

/// A request body produced when it is sent, such as a multipart body reading its files.
pub(crate) trait BodySource: fmt::Debug + Send + Sync {
    /// The `Content-Type` header (a multipart boundary included).
    fn content_type(&self) -> String;
    /// The body for one attempt and its length in bytes (sent as `Content-Length`, so
    /// that servers which refuse chunked uploads take it); an error (a file that cannot
    /// be opened) sends nothing.
    #[allow(clippy::type_complexity, reason = "a boxed future of a pair")]
    fn open(
        &self,
    ) -> std::pin::Pin<Box<dyn Future<Output = std::io::Result<(reqwest::Body, u64)>> + Send + '_>>;
}

impl PreparedRequest {
    /// The spec's `operationId`.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    pub fn method(&self) -> &reqwest::Method {
        &self.method
    }

    /// The path with its parameters substituted and percent-encoded, relative to the base URL.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query string as it is sent (without the `?`): the parameters that were set, in
    /// spec order, percent-encoded, each written in its style (`color=blue,black`,
    /// `color=blue&color=black`, `filter[status]=open`). Empty when none was set.
    pub fn query(&self) -> &str {
        self.query.as_str()
    }

    /// The header parameters that were set, in spec order.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// The `Accept` header: the media types of the documented success responses.
    pub fn accept(&self) -> &'static str {
        self.accept
    }

    /// The content type and encoded body, for a body encoded in full (JSON, a form,
    /// text, bytes). A multipart body is written as it is sent, reading its files then:
    /// it is `None` here, and [`content_type`](Self::content_type) gives its type.
    pub fn body(&self) -> Option<(&'static str, &[u8])> {
        match &self.body {
            Some(Payload::Buffered(content_type, body)) => Some((*content_type, body.as_slice())),
            _ => None,
        }
    }

    /// The body's `Content-Type` (for multipart, with its boundary), if there is a body.
    pub fn content_type(&self) -> Option<String> {
        match &self.body {
            Some(Payload::Buffered(content_type, _)) => Some((*content_type).to_owned()),
            Some(Payload::Streamed(source)) => Some(source.content_type()),
            None => None,
        }
    }
}

/// A response read in full, before its status is judged.
#[doc(hidden)]
#[derive(Debug)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// A success response whose body is left to [`RawResponse::stream`] (then `body`
    /// is empty).
    unread: Option<reqwest::Response>,
}

impl RawResponse {
    /// Decodes a documented success body.
    ///
    /// An empty body is read as `null` when the type takes one (a media type the spec gives
    /// no schema, which servers answer with no body at all, or an optional value); for any
    /// other type it is the decode error it was.
    #[allow(dead_code, reason = "only specs with JSON success bodies use it")]
    pub fn json<T: serde::de::DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        let decoded = match serde_json::from_slice(&self.body) {
            Err(error) if self.body.trim_ascii().is_empty() => {
                serde_json::from_slice(b"null").map_err(|_| error)
            }
            decoded => decoded,
        };
        match decoded {
            Ok(body) => Ok(Response {
                status: self.status,
                headers: self.headers,
                body,
            }),
            Err(source) => Err(self.decode_error::<T, E>(source)),
        }
    }

    /// A documented success whose body is not JSON, as bytes.
    #[allow(dead_code, reason = "only specs with non-JSON responses use it")]
    pub fn bytes<E>(self) -> Result<Response<Bytes>, Error<E>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body: self.body,
        })
    }

    /// A documented success whose body is text (`text/*`), as a `String`. A body that
    /// is not UTF-8 is an [`Error::Decode`].
    #[allow(dead_code, reason = "only specs with text responses use it")]
    pub fn text<E>(self) -> Result<Response<String>, Error<E>> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(body) => Ok(Response {
                status: self.status,
                headers: self.headers,
                body,
            }),
            Err(error) => {
                let source = <serde_json::Error as serde::de::Error>::custom(format_args!(
                    "the text is not UTF-8: {error}"
                ));
                Err(self.decode_error::<(), E>(source))
            }
        }
    }

    /// A documented success whose body is read as it arrives, from a request sent by
    /// [`execute_streaming`].
    #[allow(dead_code, reason = "only specs with non-JSON success bodies stream")]
    pub fn stream<E>(self) -> Result<Response<ByteStream>, Error<E>> {
        let body = match self.unread {
            Some(response) => ByteStream::new(response),
            None => ByteStream::done(self.body),
        };
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body,
        })
    }

    /// A documented success without a body.
    #[allow(dead_code, reason = "only specs with bodiless responses use it")]
    pub fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body: (),
        })
    }

    /// Decodes a documented error body into [`Error::Api`]. A body that is not the
    /// documented schema (an HTML page from a proxy in front of the API) leaves the error
    /// one of its status, [`Error::UnexpectedStatus`], with the body as it came.
    #[allow(dead_code, reason = "only specs that document error bodies use it")]
    pub fn api_error<E: serde::de::DeserializeOwned>(self) -> Error<E> {
        match serde_json::from_slice(&self.body) {
            Ok(body) => Error::Api {
                status: self.status,
                headers: Box::new(self.headers),
                body: Box::new(body),
            },
            Err(error) => {
                tracing::debug!(
                    status = self.status.as_u16(),
                    %error,
                    "the error body is not the documented schema"
                );
                self.unexpected()
            }
        }
    }

    /// A status the spec does not document for this operation. An error status (4xx,
    /// 5xx: a 429 or a 503 after retries) whose body is the operation's error schema, with
    /// an error code or message, is still an [`Error::Api`], so `is_error_code` works on
    /// it; anything else is an [`Error::UnexpectedStatus`].
    #[allow(dead_code, reason = "only specs that document error bodies use it")]
    pub fn undocumented<E: serde::de::DeserializeOwned + ErrorBody>(self) -> Error<E> {
        let error_status = self.status.is_client_error() || self.status.is_server_error();
        if error_status {
            if let Ok(body) = serde_json::from_slice::<E>(&self.body) {
                if body.error_code().is_some() || body.error_message().is_some() {
                    return Error::Api {
                        status: self.status,
                        headers: Box::new(self.headers),
                        body: Box::new(body),
                    };
                }
            }
        }
        self.unexpected()
    }

    /// A status the spec does not document for this operation.
    #[allow(
        dead_code,
        reason = "only specs with an operation whose `default` response has no body use it"
    )]
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus {
            status: self.status,
            headers: Box::new(self.headers),
            body: self.body,
        }
    }

    /// A decode error for a body that did not decode as `T`.
    fn decode_error<T: serde::de::DeserializeOwned, E>(
        self,
        source: serde_json::Error,
    ) -> Error<E> {
        // Decoding again with path tracking costs time, so only failures pay for it. A
        // syntax error or an early end has no path worth showing (serde_path_to_error says
        // `?` or `.`): the byte offset says where instead.
        let path = if source.is_syntax() || source.is_eof() {
            String::new()
        } else {
            let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
            match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                Err(error) => known_path(&error.path().to_string()),
                Ok(_) => String::new(),
            }
        };
        let content_type = self
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Error::Decode {
            status: self.status,
            content_type,
            path,
            source,
            body: self.body,
        }
    }
}

/// A response body read as it arrives, chunk by chunk, rather than held whole: what an
/// operation's `send_streaming()` gives, for large downloads. A `Stream` of
/// `Result<Bytes, reqwest::Error>` (use `futures_util::TryStreamExt::try_next`), or read it
/// with [`ByteStream::chunk`]; it is `Unpin` and `Send`.
pub struct ByteStream {
    next: Option<std::pin::Pin<Box<dyn Future<Output = ChunkRead> + Send>>>,
}

/// The response (to read on from) and what one read gave.
type ChunkRead = (
    Option<reqwest::Response>,
    Result<Option<Bytes>, reqwest::Error>,
);

impl ByteStream {
    fn new(response: reqwest::Response) -> Self {
        Self {
            next: Some(Self::read(response)),
        }
    }

    /// A stream of a body already read.
    fn done(body: Bytes) -> Self {
        let chunk = (!body.is_empty()).then_some(body);
        Self {
            next: Some(Box::pin(std::future::ready((None, Ok(chunk))))),
        }
    }

    fn read(
        mut response: reqwest::Response,
    ) -> std::pin::Pin<Box<dyn Future<Output = ChunkRead> + Send>> {
        Box::pin(async move {
            let chunk = response.chunk().await;
            (Some(response), chunk)
        })
    }

    /// The next chunk of the body; `None` after the last one. An error (a timeout, a
    /// body cut short) ends the stream.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, reqwest::Error> {
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut *self).poll_chunk(cx))
            .await
            .transpose()
    }

    fn poll_chunk(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Bytes, reqwest::Error>>> {
        use std::task::Poll;
        let Some(next) = self.next.as_mut() else {
            return Poll::Ready(None);
        };
        let (response, read) = match next.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(done) => done,
        };
        self.next = None;
        match (read, response) {
            (Ok(Some(chunk)), Some(response)) => {
                self.next = Some(Self::read(response));
                Poll::Ready(Some(Ok(chunk)))
            }
            (Ok(Some(chunk)), None) => Poll::Ready(Some(Ok(chunk))),
            (Ok(None), _) => Poll::Ready(None),
            (Err(error), _) => Poll::Ready(Some(Err(error))),
        }
    }

    /// Reads the rest of the body into memory.
    pub async fn collect(mut self) -> Result<Bytes, reqwest::Error> {
        let mut all = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            all.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(all))
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<Bytes, reqwest::Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("finished", &self.next.is_none())
            .finish()
    }
}

/// A path from serde_path_to_error without its unknown segments (`?`) and without the
/// `.` it prints for the document itself.
fn known_path(path: &str) -> String {
    let known = path.split(".?").next().unwrap_or_default();
    match known {
        "." | "?" => String::new(),
        known => known.to_owned(),
    }
}

/// A successful response: the decoded body with the status and headers it came with.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub fn body(&self) -> &T {
        &self.body
    }

    pub fn into_inner(self) -> T {
        self.body
    }

    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }

    /// The `Deprecation` header (RFC 9745), when the server says the operation is
    /// deprecated. The client also logs it through `tracing`: a warning naming the
    /// operation the first time, at `debug` after that.
    pub fn deprecation(&self) -> Option<&str> {
        header_text(&self.headers, "deprecation")
    }

    /// The `Sunset` header (RFC 8594): when the operation is expected to stop working.
    pub fn sunset(&self) -> Option<&str> {
        header_text(&self.headers, "sunset")
    }
}

/// What an operation's `send()` returns: the decoded response, or why there is none. `E`
/// is the body type the spec documents for the operation's error statuses.
pub type SendResult<T, E> = Result<Response<T>, Error<E>>;

/// What an operation's `send()` returns: the request on its way, a future whose output
/// is a [`SendResult<T, E>`]; `.await` it. Nothing is sent until it is first polled.
///
/// It is `Future<Output = SendResult<T, E>>` under one name, implemented for every such
/// future; like the `async fn` it stands for, it is `Send` when its parts are.
pub trait Pending<T, E>: Future<Output = SendResult<T, E>> {}

impl<T, E, F> Pending<T, E> for F where F: Future<Output = SendResult<T, E>> {}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// Everything that can go wrong with a call. `E` is the body type the spec documents for
/// the operation's error statuses.
///
/// Headers and error bodies are boxed so that `Result<Response<T>, Error<E>>` stays small
/// on the success path.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// An argument broke a constraint of the spec; nothing was sent.
    InvalidRequest(InvalidRequest),
    /// The server answered with an error status and a body of the operation's documented
    /// error schema: a status the operation documents, or any other 4xx or 5xx (a 429 or
    /// a 503 from a gateway) whose body is that schema with its code or message.
    Api {
        status: StatusCode,
        headers: Box<HeaderMap>,
        body: Box<E>,
    },
    /// The server answered with a status the operation does not document, or with an
    /// error status whose body is not the documented error schema (an HTML page from a
    /// proxy): the status, headers and body as they came.
    UnexpectedStatus {
        status: StatusCode,
        headers: Box<HeaderMap>,
        body: Bytes,
    },
    /// The request could not be sent or the response not read in full: connection, TLS,
    /// timeout, a body cut short. `Display` says which; so do `is_timeout()`,
    /// `is_connect()` and `is_body()` on the `reqwest::Error`.
    Transport(reqwest::Error),
    /// Credentials could not be obtained (the token endpoint refused them, a token source
    /// failed), or the client has credentials but none that the operation's security
    /// requirement accepts: then nothing was sent, and the message names the schemes it
    /// needs.
    Auth(AuthError),
    /// The request body could not be encoded (as JSON, or as a form: a value that is not
    /// an object); nothing was sent.
    Encode(serde_json::Error),
    /// A file of the request body could not be opened; nothing was sent. (One that fails
    /// while it is read cuts the request short: an [`Error::Transport`].)
    File(std::io::Error),
    /// A documented success body did not match its schema.
    Decode {
        status: StatusCode,
        content_type: Option<String>,
        /// Where in the document decoding failed, such as `results[0].parts[1].increment`.
        /// Empty when the failure has no such path, because the text is not JSON or ends
        /// early; `Display` then gives the byte offset, and `source.line()` and
        /// `source.column()` say where too.
        path: String,
        source: serde_json::Error,
        body: Bytes,
    },
}

impl<E> Error<E> {
    /// The HTTP status, for errors that got a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::Transport(error) => error.status(),
            Error::Auth(error) => error.status(),
            Error::InvalidRequest(_) | Error::Encode(_) | Error::File(_) => None,
        }
    }

    /// The start of the response body as text, for errors that got a response body that
    /// was not decoded.
    pub fn body_excerpt(&self) -> Option<String> {
        match self {
            Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } => {
                Some(excerpt(body))
            }
            _ => None,
        }
    }

    /// How long the server asked the client to wait before trying again (its
    /// `Retry-After` header), for an error response that has one. A wait longer than the
    /// client's `RetryPolicy` allows is why such a response is returned without retrying.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { headers, .. } | Error::UnexpectedStatus { headers, .. } => {
                retry::retry_after(headers)
            }
            _ => None,
        }
    }
}

/// What a person reads of an error body: its application error code and its message.
///
/// The generated models implement it for every type the spec documents as an error body,
/// and for `serde_json::Value`, from the string properties that carry them: the code from
/// `errorCode`, `code` or a string `error`; the message from `detail`, `message`,
/// `errorMessage`, `error_description`, `description`, `reason`, `title` or `details`, the
/// first the type has (names compared without case, `_` or `-`). A body without such
/// properties has neither. `Error`'s `Display` shows them, and `Error::is_error_code`
/// tests the code.
pub trait ErrorBody {
    /// The application error code, such as `RESOURCE_NOT_FOUND`.
    fn error_code(&self) -> Option<&str> {
        None
    }

    /// What went wrong, in the server's words.
    fn error_message(&self) -> Option<&str> {
        None
    }
}

/// The first string property of a JSON object whose name, normalised (lower case, no `_`
/// or `-`), is in `names`, taking the names in order: how the generated `ErrorBody` for
/// `serde_json::Value` finds a code and a message in a body of no documented type.
#[allow(
    dead_code,
    reason = "only specs with an operation without one error type use it"
)]
pub(crate) fn string_property<'a>(value: &'a serde_json::Value, names: &[&str]) -> Option<&'a str> {
    let object = value.as_object()?;
    names.iter().find_map(|wanted| {
        object.iter().find_map(|(name, value)| {
            let normalised = name
                .chars()
                .filter(|c| !matches!(c, '_' | '-'))
                .map(|c| c.to_ascii_lowercase());
            normalised
                .eq(wanted.chars())
                .then(|| value.as_str())
                .flatten()
        })
    })
}

impl<E: ErrorBody> Error<E> {
    /// The application error code of an error response whose body was decoded.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            Error::Api { body, .. } => body.error_code(),
            _ => None,
        }
    }

    /// Whether this is an error response with this application error code, such as
    /// `RESOURCE_NOT_FOUND`.
    pub fn is_error_code(&self, code: &str) -> bool {
        self.error_code() == Some(code)
    }
}

impl<E> From<InvalidRequest> for Error<E> {
    fn from(error: InvalidRequest) -> Self {
        Error::InvalidRequest(error)
    }
}

/// `Display` shows what a person needs: `404 Not Found: CLUSTER_NOT_FOUND: No cluster
/// named ...` for an API error, the start of the body for any other status, what
/// happened to a request that got no complete answer, and where a body stopped decoding.
impl<E: ErrorBody + fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(error) => write!(f, "{error}"),
            Error::Api {
                status,
                headers,
                body,
            } => {
                write!(f, "{status}")?;
                match (body.error_code(), body.error_message()) {
                    (Some(code), Some(message)) => write!(f, ": {code}: {message}")?,
                    (Some(text), None) | (None, Some(text)) => write!(f, ": {text}")?,
                    // A body the spec gives no code or message: all of it, as decoded.
                    (None, None) => write!(f, ": {body:?}")?,
                }
                retry_note(f, headers)
            }
            Error::UnexpectedStatus {
                status,
                headers,
                body,
            } => {
                if !(status.is_client_error() || status.is_server_error()) {
                    f.write_str("unexpected status ")?;
                }
                if body.is_empty() {
                    write!(f, "{status} with an empty body")?;
                } else {
                    write!(f, "{status}: {}", excerpt(body))?;
                }
                retry_note(f, headers)
            }
            Error::Transport(error) => f.write_str(&describe_transport(error)),
            Error::Auth(error) => write!(f, "cannot authenticate: {error}"),
            Error::Encode(error) => write!(f, "cannot encode the request body: {error}"),
            Error::File(error) => write!(f, "cannot read a file of the request body: {error}"),
            Error::Decode {
                status,
                content_type,
                path,
                source,
                body,
            } => {
                let content_type = content_type.as_deref().unwrap_or("no content type");
                write!(
                    f,
                    "cannot decode the {status} response ({content_type}) at "
                )?;
                if path.is_empty() {
                    // serde_json places an early end at the last byte it read; the body
                    // ends after it.
                    let offset = if source.is_eof() {
                        body.len()
                    } else {
                        byte_offset(body, source.line(), source.column())
                    };
                    write!(f, "byte {offset} (near `{}`)", excerpt_around(body, offset))?;
                } else {
                    write!(f, "`{path}`")?;
                }
                write!(f, ": {source}; body: {}", excerpt(body))
            }
        }
    }
}

impl<E: ErrorBody + fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidRequest(error) => Some(error),
            Error::Transport(error) => Some(error),
            Error::Auth(error) => Some(error),
            Error::Encode(error) => Some(error),
            Error::File(error) => Some(error),
            Error::Decode { source, .. } => Some(source),
            Error::Api { .. } | Error::UnexpectedStatus { .. } => None,
        }
    }
}

/// Says how long the server asked to wait, when an error response has `Retry-After`.
fn retry_note(f: &mut fmt::Formatter<'_>, headers: &HeaderMap) -> fmt::Result {
    match header_text(headers, "retry-after").map(str::trim) {
        Some(seconds) if seconds.parse::<u64>().is_ok() => {
            write!(f, " (the server asked to retry after {seconds} s)")
        }
        Some(date) if !date.is_empty() => write!(f, " (the server asked to retry at {date})"),
        _ => Ok(()),
    }
}

/// A request that got no complete answer, in words: what happened first (timed out,
/// could not connect, the body was cut short), then reqwest's message and its causes,
/// such as `timed out: error sending request for url (...): operation timed out`.
pub(crate) fn describe_transport(error: &reqwest::Error) -> String {
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else if error.is_body() || error.is_decode() {
        // Reading the body is the only place these arise: the status and headers came,
        // then the connection failed before the last byte.
        "the response was cut short (the connection failed before the whole body arrived)"
    } else {
        "request failed"
    };
    let mut text = format!("{what}: {error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The byte offset of serde_json's line (1-based) and column (1-based; 0 at the start of
/// a line) in `body`.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize = body
        .split(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(|text| text.len() + 1)
        .sum();
    (line_start + column.saturating_sub(1)).min(body.len())
}

/// A few characters either side of `offset`, on one line, for a syntax error's message.
fn excerpt_around(body: &[u8], offset: usize) -> String {
    const SIDE: usize = 24;
    let start = offset.saturating_sub(SIDE);
    let end = (offset + SIDE).min(body.len());
    let text = String::from_utf8_lossy(&body[start..end]);
    text.trim_matches('\u{FFFD}')
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The first bytes of a body as text, cut at a character boundary.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_LEN)]);
    let mut text = text.trim_end_matches('\u{FFFD}').to_owned();
    if body.len() > EXCERPT_LEN {
        text.push_str("...");
    }
    text
}

/// A request argument that breaks a constraint of its parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidRequest {
    parameter: &'static str,
    violation: ConstraintViolation,
}

impl InvalidRequest {
    #[doc(hidden)]
    pub fn new(parameter: &'static str, violation: ConstraintViolation) -> Self {
        Self {
            parameter,
            violation,
        }
    }

    /// The parameter's name in the API, such as `groupId`.
    pub fn parameter(&self) -> &'static str {
        self.parameter
    }

    pub fn violation(&self) -> &ConstraintViolation {
        &self.violation
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid parameter `{}`: {}",
            self.parameter, self.violation
        )
    }
}

impl std::error::Error for InvalidRequest {}

/// What a model's `constraint_violations()` returns: the fields whose values break the
/// spec's constraints (pattern, length, range, an `int32` out of range), each with its API
/// name. Decoding accepts such values, because servers do not always keep their own
/// constraints; this is how to check them. An absent or null value is not checked.
pub type ConstraintViolations = Vec<(&'static str, ConstraintViolation)>;

/// What an operation takes for a parameter whose type checks the spec's constraints: the
/// type itself, or any value that converts into it (a `&str` or `String` for a constrained
/// string, an integer for a constrained number). A value that does not fit is kept, and
/// `send()` returns it as an [`Error::InvalidRequest`] naming the parameter, having sent
/// nothing.
///
/// It is `TryInto<T>` with an error that is a [`ConstraintViolation`], under one name:
/// implemented for every such type, and for no other.
pub trait Argument<T>: TryInto<T, Error: Into<ConstraintViolation>> {}

impl<T, V> Argument<T> for V where V: TryInto<T, Error: Into<ConstraintViolation>> {}

/// A value that breaks a constraint of its type.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintViolation {
    value: String,
    constraint: Constraint,
}

impl ConstraintViolation {
    #[doc(hidden)]
    pub fn new(value: impl fmt::Display, constraint: Constraint) -> Self {
        Self {
            value: value.to_string(),
            constraint,
        }
    }

    /// The rejected value, as text.
    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn constraint(&self) -> &Constraint {
        &self.constraint
    }
}

impl fmt::Display for ConstraintViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} {}", self.value, self.constraint)
    }
}

impl std::error::Error for ConstraintViolation {}

impl From<std::convert::Infallible> for ConstraintViolation {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

/// A constraint from the spec.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Constraint {
    /// An ECMA-262 regular expression the whole value must match.
    Pattern(&'static str),
    /// Minimum length in characters (Unicode scalar values).
    MinLength(u64),
    /// Maximum length in characters (Unicode scalar values).
    MaxLength(u64),
    Minimum {
        bound: Bound,
        exclusive: bool,
    },
    Maximum {
        bound: Bound,
        exclusive: bool,
    },
    MultipleOf(Bound),
    /// The value does not fit the type the spec's format gives it, such as `int32`.
    Format(&'static str),
    /// A required value was not given.
    Required,
    /// A path parameter that would not stay one path segment: empty, `.` or `..`.
    PathSegment,
    /// Fewer items than `minItems`.
    MinItems(u64),
    /// More items than `maxItems`.
    MaxItems(u64),
    /// An item repeated where `uniqueItems` forbids it.
    UniqueItems,
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::Pattern(pattern) => write!(f, "does not match the pattern `{pattern}`"),
            Constraint::MinLength(n) => write!(f, "is shorter than the minimum length {n}"),
            Constraint::MaxLength(n) => write!(f, "is longer than the maximum length {n}"),
            Constraint::Minimum {
                bound,
                exclusive: false,
            } => write!(f, "is less than the minimum {bound}"),
            Constraint::Minimum {
                bound,
                exclusive: true,
            } => write!(f, "is not greater than the exclusive minimum {bound}"),
            Constraint::Maximum {
                bound,
                exclusive: false,
            } => write!(f, "is greater than the maximum {bound}"),
            Constraint::Maximum {
                bound,
                exclusive: true,
            } => write!(f, "is not less than the exclusive maximum {bound}"),
            Constraint::MultipleOf(bound) => write!(f, "is not a multiple of {bound}"),
            Constraint::Format(format) => write!(f, "does not fit the format `{format}`"),
            Constraint::Required => write!(f, "is required"),
            Constraint::PathSegment => write!(f, "cannot be a path segment (empty, `.` or `..`)"),
            Constraint::MinItems(n) => write!(f, "has fewer items than the minimum {n}"),
            Constraint::MaxItems(n) => write!(f, "has more items than the maximum {n}"),
            Constraint::UniqueItems => write!(f, "repeats an item, which must be unique"),
        }
    }
}

/// A numeric bound of a constraint.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Int(i64),
    Float(f64),
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::Int(n) => write!(f, "{n}"),
            Bound::Float(n) => write!(f, "{n}"),
        }
    }
}

/// The properties of a response object that its type does not declare, as the server sent
/// them: a map from name to JSON value, written back after the declared properties (in
/// key order) when the value is encoded, so a value read and sent back loses nothing.
///
/// It is used as a `BTreeMap<String, serde_json::Value>` (it dereferences to one), and
/// costs one pointer and no allocation while it is empty, which it almost always is: a
/// plain map in every struct made decoding a page a few percent slower still.
#[derive(Clone, Default)]
#[allow(
    clippy::box_collection,
    reason = "one word instead of three while empty"
)]
pub struct UnknownFields(Option<Box<BTreeMap<String, serde_json::Value>>>);

/// What an empty `UnknownFields` dereferences to.
static NO_FIELDS: BTreeMap<String, serde_json::Value> = BTreeMap::new();

impl UnknownFields {
    pub fn new() -> Self {
        Self(None)
    }

    /// The map, for the caller to keep.
    pub fn into_inner(self) -> BTreeMap<String, serde_json::Value> {
        self.0.map(|map| *map).unwrap_or_default()
    }
}

impl std::ops::Deref for UnknownFields {
    type Target = BTreeMap<String, serde_json::Value>;

    fn deref(&self) -> &Self::Target {
        self.0.as_deref().unwrap_or(&NO_FIELDS)
    }
}

impl std::ops::DerefMut for UnknownFields {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.0.get_or_insert_with(Default::default)
    }
}

impl From<BTreeMap<String, serde_json::Value>> for UnknownFields {
    fn from(map: BTreeMap<String, serde_json::Value>) -> Self {
        Self((!map.is_empty()).then(|| Box::new(map)))
    }
}

/// Equal when they hold the same properties, however they were made.
impl PartialEq for UnknownFields {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl serde::Serialize for UnknownFields {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for UnknownFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = UnknownFields;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<UnknownFields, A::Error> {
                let mut fields = UnknownFields::new();
                while let Some((name, value)) = map.next_entry()? {
                    fields.insert(name, value);
                }
                Ok(fields)
            }
        }

        deserializer.deserialize_map(Visitor)
    }
}

/// Deserializes a property that may be absent or null into `Option<Option<T>>`: serde
/// calls this only when the property is present (absent is `#[serde(default)]`, `None`),
/// so `null` becomes `Some(None)` and a value `Some(Some(value))`.
#[allow(
    dead_code,
    reason = "only specs with nullable optional properties use it"
)]
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

// How the structs of the models are written and read. Each struct lists its fields once,
// in `object!`, as serde's derive would have read them from its attributes; the impls
// below are what the derive writes for such a struct, with the decoding of property names
// shared (`Key`) instead of written out per struct.

/// `serde::Serialize` and `serde::Deserialize` for a struct of the models, the same as
/// `#[derive(serde::Serialize, serde::Deserialize)]` with the attributes each field's kind
/// stands for:
///
/// - `required`: a plain field, an error when absent;
/// - `null`: `Option<T>` written as `null` when `None`, `None` when absent
///   (`#[serde(default)]`);
/// - `optional`: `Option<T>`, left out when `None`, `None` when absent or `null`
///   (`#[serde(default, skip_serializing_if = "Option::is_none")]`);
/// - `nullable`: `Option<Option<T>>`, `None` absent and `Some(None)` `null` (the same,
///   with `deserialize_with = "crate::runtime::nullable"`).
///
/// A struct that keeps the properties it does not declare names its `UnknownFields`
/// field last (`..unknown_fields`, `#[serde(flatten)]`): they are written after the
/// declared ones, in key order. Any other property is skipped when read.
///
/// The macro holds each struct's data (its fields, their wire names and kinds); the
/// mechanics are functions of this module, written once: [`Fields`] writes a field,
/// [`entry`] reads one, [`required`] says when one is missing and [`ObjectVisitor`]
/// is the visitor of every struct. Each field costs its struct one call per direction
/// rather than the branches the derive writes out inline for it, which is what type
/// checking and borrow checking a crate of many structs pay for.
///
/// One difference from the derive: a struct is read from a JSON object only. The derive
/// also reads a JSON array as the fields in declaration order, which no spec's `object`
/// allows; leaving that reading out (`invalid type: sequence, expected struct Name`)
/// spares every struct a second decoder that type checking and borrow checking pay for.
#[allow(unused_macros, reason = "a spec may have no struct")]
macro_rules! object {
    ($name:ident { $($field:ident: $wire:literal $kind:ident),* $(,)? }) => {
        impl serde::Serialize for $name {
            #[allow(unused_mut, reason = "a struct may have no fields")]
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let len = $crate::runtime::written(&[
                    $($crate::runtime::object!(@written $kind &self.$field)),*
                ]);
                let mut fields = $crate::runtime::Fields(serializer.serialize_struct(stringify!($name), len));
                $(fields.$kind($wire, &self.$field);)*
                fields.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const FIELDS: &[&str] = &[$($wire),*];
                deserializer.deserialize_struct(stringify!($name), FIELDS, $crate::runtime::ObjectVisitor::NEW)
            }
        }

        impl $crate::runtime::Object for $name {
            const EXPECTING: &str = concat!("struct ", stringify!($name));

            #[allow(unused_mut, reason = "a struct may have no fields")]
            fn visit_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                $(let mut $field = $crate::runtime::object!(@slot $kind);)*
                while let Some(key) = map.next_key::<$crate::runtime::Key<'de>>()? {
                    let read = match key.as_str() {
                        $($wire => $crate::runtime::object!(@entry $kind map $field $wire),)*
                        _ => $crate::runtime::skip_value(&mut map),
                    };
                    read?;
                }
                Ok($name {
                    $($field: $crate::runtime::object!(@absent $kind $field $wire),)*
                })
            }
        }
    };
    ($name:ident { $($field:ident: $wire:literal $kind:ident,)* ..$unknown:ident }) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut fields = $crate::runtime::Fields(serializer.serialize_map(None).map($crate::runtime::MapFields));
                $(fields.$kind($wire, &self.$field);)*
                fields.unknown(&self.$unknown);
                fields.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_map($crate::runtime::ObjectVisitor::NEW)
            }
        }

        impl $crate::runtime::Object for $name {
            const EXPECTING: &str = concat!("struct ", stringify!($name));

            fn visit_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                $(let mut $field = $crate::runtime::object!(@slot $kind);)*
                let mut $unknown = $crate::UnknownFields::new();
                while let Some(key) = map.next_key::<$crate::runtime::Key<'de>>()? {
                    let read = match key.as_str() {
                        $($wire => $crate::runtime::object!(@entry $kind map $field $wire),)*
                        _ => $unknown.read_entry(&mut map, key),
                    };
                    read?;
                }
                Ok($name {
                    $($field: $crate::runtime::object!(@absent $kind $field $wire),)*
                    $unknown,
                })
            }
        }
    };

    // Whether a field is written.
    (@written required $value:expr) => { true };
    (@written null $value:expr) => { true };
    (@written optional $value:expr) => { Option::is_some($value) };
    (@written nullable $value:expr) => { Option::is_some($value) };

    // Where a field's value is kept while the map is read: a required one's `Option`, or
    // the value of one whose absence is not an error, and whether it was there.
    (@slot required) => { None };
    (@slot $kind:ident) => { $crate::runtime::Slot { value: None, seen: false } };

    // A field's value from a map entry: at most one per field.
    (@entry required $map:ident $field:ident $wire:literal) => {
        $crate::runtime::entry(&mut $map, &mut $field, $wire)
    };
    (@entry nullable $map:ident $field:ident $wire:literal) => {
        $crate::runtime::nullable_entry(&mut $map, &mut $field, $wire)
    };
    (@entry $kind:ident $map:ident $field:ident $wire:literal) => {
        $crate::runtime::optional_entry(&mut $map, &mut $field, $wire)
    };

    // A field's value when the map is over.
    (@absent required $field:ident $wire:literal) => {
        $crate::runtime::required::<_, A::Error>($field, $wire)?
    };
    (@absent $kind:ident $field:ident $wire:literal) => { $field.value };
}
#[allow(unused_imports, reason = "a spec may have no struct")]
pub(crate) use object;

/// The number of fields a struct writes, for `serialize_struct`: one flag per field.
#[allow(dead_code, reason = "a spec may have no struct")]
pub(crate) fn written(fields: &[bool]) -> usize {
    fields.iter().filter(|written| **written).count()
}

/// A struct being written by its `Serialize` (see `object!`): one call per field, by its
/// kind. The first error stops the writing and is what [`Fields::end`] returns, as `?`
/// after each field would.
#[allow(dead_code, reason = "a spec may have no struct")]
pub(crate) struct Fields<S: serde::ser::SerializeStruct>(pub(crate) Result<S, S::Error>);

#[allow(dead_code, reason = "each spec uses the kinds of field it has")]
impl<S: serde::ser::SerializeStruct> Fields<S> {
    /// Writes a field, or tells the serializer it is skipped.
    #[inline]
    fn write<T: ?Sized + serde::Serialize>(
        &mut self,
        wire: &'static str,
        value: &T,
        written: bool,
    ) {
        if let Ok(state) = &mut self.0 {
            let result = if written {
                state.serialize_field(wire, value)
            } else {
                state.skip_field(wire)
            };
            if let Err(error) = result {
                self.0 = Err(error);
            }
        }
    }

    /// A field always written.
    #[inline]
    pub(crate) fn required<T: ?Sized + serde::Serialize>(&mut self, wire: &'static str, value: &T) {
        self.write(wire, value, true);
    }

    /// An `Option` written as `null` when `None`.
    #[inline]
    pub(crate) fn null<T: serde::Serialize>(&mut self, wire: &'static str, value: &Option<T>) {
        self.write(wire, value, true);
    }

    /// An `Option` left out when `None`.
    #[inline]
    pub(crate) fn optional<T: serde::Serialize>(&mut self, wire: &'static str, value: &Option<T>) {
        self.write(wire, value, value.is_some());
    }

    /// An `Option<Option<T>>` left out when `None`, `null` when `Some(None)`.
    #[inline]
    pub(crate) fn nullable<T: serde::Serialize>(
        &mut self,
        wire: &'static str,
        value: &Option<Option<T>>,
    ) {
        self.write(wire, value, value.is_some());
    }

    /// Ends the struct, or returns the first error.
    #[inline]
    pub(crate) fn end(self) -> Result<S::Ok, S::Error> {
        self.0.and_then(S::end)
    }
}

/// A map written as a struct's fields, for a struct that keeps unknown fields (written as
/// a map, as serde's derive writes a struct with a flattened field): a skipped field is
/// left out.
#[allow(
    dead_code,
    reason = "a spec may have no struct that keeps unknown fields"
)]
pub(crate) struct MapFields<M>(pub(crate) M);

impl<M: serde::ser::SerializeMap> serde::ser::SerializeStruct for MapFields<M> {
    type Ok = M::Ok;
    type Error = M::Error;

    #[inline]
    fn serialize_field<T: ?Sized + serde::Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.0.serialize_entry(key, value)
    }

    #[inline]
    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}

#[allow(
    dead_code,
    reason = "a spec may have no struct that keeps unknown fields"
)]
impl<M: serde::ser::SerializeMap> Fields<MapFields<M>> {
    /// Writes the properties the struct does not declare, after the declared ones.
    pub(crate) fn unknown(&mut self, fields: &UnknownFields) {
        if let Ok(state) = &mut self.0 {
            if let Err(error) = fields.serialize_entries(&mut state.0) {
                self.0 = Err(error);
            }
        }
    }
}

/// A struct that `object!` reads: what its errors say it expected, and how it reads its
/// fields from a map.
#[allow(dead_code, reason = "a spec may have no struct")]
pub(crate) trait Object: Sized {
    /// `struct Name`, as serde's derive says it.
    const EXPECTING: &'static str;

    /// Reads the struct's fields from a map.
    fn visit_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The visitor of every struct that `object!` reads: it hands the map to the struct.
#[allow(dead_code, reason = "a spec may have no struct")]
pub(crate) struct ObjectVisitor<T>(std::marker::PhantomData<T>);

#[allow(dead_code, reason = "a spec may have no struct")]
impl<T> ObjectVisitor<T> {
    pub(crate) const NEW: Self = Self(std::marker::PhantomData);
}

impl<'de, T: Object> serde::de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    #[inline]
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit_map(map)
    }
}

/// Reads a field's value from the map entry being read: an error if the field already
/// had one (`duplicate field`).
#[allow(dead_code, reason = "a spec may have no struct")]
#[inline]
pub(crate) fn entry<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    wire: &'static str,
) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(serde::de::Error::duplicate_field(wire));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A field whose absence is not an error (`null`, `optional` or `nullable`) while its
/// struct is read: its value, `None` until the map has it, and whether the map had it, so
/// that a second entry is an error even after a `null`. The value is the field's once the
/// map is over.
#[allow(dead_code, reason = "a spec may have no struct with such a field")]
pub(crate) struct Slot<T> {
    pub(crate) value: Option<T>,
    pub(crate) seen: bool,
}

/// [`entry`] for a field whose absence is not an error: `null` is `None`, as absent is.
#[allow(dead_code, reason = "a spec may have no struct with such a field")]
#[inline]
pub(crate) fn optional_entry<'de, A, T>(
    map: &mut A,
    slot: &mut Slot<T>,
    wire: &'static str,
) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    if slot.seen {
        return Err(serde::de::Error::duplicate_field(wire));
    }
    slot.seen = true;
    slot.value = map.next_value()?;
    Ok(())
}

/// [`entry`] for a `nullable` field: `null` is `Some(None)`, kept apart from absent.
#[allow(
    dead_code,
    reason = "only specs with nullable optional properties use it"
)]
#[inline]
pub(crate) fn nullable_entry<'de, A, T>(
    map: &mut A,
    slot: &mut Slot<Option<T>>,
    wire: &'static str,
) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    if slot.seen {
        return Err(serde::de::Error::duplicate_field(wire));
    }
    slot.seen = true;
    slot.value = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a property a struct does not declare.
#[allow(dead_code, reason = "a spec may have no struct")]
#[inline]
pub(crate) fn skip_value<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>()?;
    Ok(())
}

/// A required field's value once the map is over: an error if it was absent
/// (`missing field`).
#[allow(dead_code, reason = "a spec may have no struct with a required field")]
#[inline]
pub(crate) fn required<T, E: serde::de::Error>(
    value: Option<T>,
    wire: &'static str,
) -> Result<T, E> {
    match value {
        Some(value) => Ok(value),
        None => Err(E::missing_field(wire)),
    }
}

/// A property name as a struct's `Deserialize` reads it (see `object!`): borrowed from the
/// input where it can be, so that matching it against the declared names costs nothing.
#[allow(dead_code, reason = "a spec may have no struct")]
pub(crate) struct Key<'de>(std::borrow::Cow<'de, str>);

#[allow(
    dead_code,
    reason = "a spec may have no struct, or none that keeps unknown fields"
)]
impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("field identifier")
            }

            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                value: &'de str,
            ) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(value)))
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(value.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(value)))
            }

            fn visit_bytes<E: serde::de::Error>(self, value: &[u8]) -> Result<Key<'de>, E> {
                Ok(Key(String::from_utf8_lossy(value).into_owned().into()))
            }
        }

        deserializer.deserialize_identifier(Visitor)
    }
}

impl UnknownFields {
    /// Keeps the map entry being read, a property the struct does not declare.
    #[allow(
        dead_code,
        reason = "a spec may have no struct that keeps unknown fields"
    )]
    #[inline]
    pub(crate) fn read_entry<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        map: &mut A,
        key: Key<'de>,
    ) -> Result<(), A::Error> {
        let value = map.next_value()?;
        self.insert(key.into_owned(), value);
        Ok(())
    }

    /// Writes the properties into a map being serialized, after the declared ones.
    #[allow(dead_code, reason = "a spec may have no response struct")]
    pub(crate) fn serialize_entries<M: serde::ser::SerializeMap>(
        &self,
        map: &mut M,
    ) -> Result<(), M::Error> {
        for (key, value) in self.iter() {
            map.serialize_entry(key, value)?;
        }
        Ok(())
    }
}
/// Bytes that stay as they are in a path segment: RFC 3986 unreserved characters.
/// Everything else, `/` and `%` included, is percent-encoded so that a value can never
/// change which resource a path names.
#[allow(dead_code, reason = "only specs with path parameters use it")]
pub(crate) const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Bytes that stay as they are in a query name or value with `allowReserved`: RFC 3986
/// unreserved characters and the reserved ones a value can hold without changing the
/// query's shape. `#` (which would end the query), `&` and `=` (which would start another
/// pair or value) and `+` (which form decoders read as a space) are still encoded.
const QUERY_RESERVED: &AsciiSet = &PATH_SEGMENT
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';');

/// A query string as it goes on the wire: `name=value` pairs joined by `&`, each name and
/// value percent-encoded (a space as `%20`) and the delimiters a style adds (`,`, `|`,
/// `%20`, the brackets of `deepObject`) written as they are, as OpenAPI's style examples
/// spell them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query(String);

#[allow(dead_code, reason = "each spec uses what its query parameters need")]
impl Query {
    pub(crate) fn with_capacity(pairs: usize) -> Self {
        Self(String::with_capacity(pairs * 24))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Starts a pair whose name is already encoded (for names a style builds).
    pub(crate) fn start_encoded(&mut self, name: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        self.0.push_str(name);
        self.0.push('=');
    }

    /// Appends a value to the pair being written, encoded; `reserved` keeps reserved
    /// characters (OpenAPI's `allowReserved`).
    pub(crate) fn append(&mut self, value: &str, reserved: bool) {
        let set = if reserved {
            QUERY_RESERVED
        } else {
            PATH_SEGMENT
        };
        self.0
            .extend(percent_encoding::utf8_percent_encode(value, set));
    }

    /// Appends text as it is: a style's delimiter.
    pub(crate) fn append_delimiter(&mut self, delimiter: &str) {
        self.0.push_str(delimiter);
    }

    /// Appends `name=value`.
    pub(crate) fn push(&mut self, name: &str, value: &str, reserved: bool) {
        self.start(name);
        self.append(value, reserved);
    }

    /// Appends `name=` and the items, each encoded, joined by `delimiter` (`,`, `|` or
    /// `%20`, written as it is).
    pub(crate) fn push_joined<S: AsRef<str>>(
        &mut self,
        name: &str,
        items: impl IntoIterator<Item = S>,
        delimiter: &str,
        reserved: bool,
    ) {
        self.start(name);
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.append_delimiter(delimiter);
            }
            self.append(item.as_ref(), reserved);
        }
    }

    /// Starts a pair named `name`, encoded.
    pub(crate) fn start(&mut self, name: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        self.0
            .extend(percent_encoding::utf8_percent_encode(name, PATH_SEGMENT));
        self.0.push('=');
    }
}

/// The value of an argument that was validated when it was given, or why it is not valid.
/// Builders keep each validated argument as a `Result` until the request is prepared.
#[allow(dead_code, reason = "only specs with constrained parameters use it")]
pub(crate) fn valid<T>(argument: &Result<T, InvalidRequest>) -> Result<&T, InvalidRequest> {
    argument.as_ref().map_err(Clone::clone)
}

/// Checks the number of items of an array parameter (`minItems`, `maxItems`) and, with
/// `unique`, that no item repeats (`uniqueItems`).
#[allow(dead_code, reason = "only specs with such array parameters use it")]
pub(crate) fn check_items<T: PartialEq>(
    parameter: &'static str,
    items: &[T],
    min: Option<u64>,
    max: Option<u64>,
    unique: bool,
) -> Result<(), InvalidRequest> {
    let count = items.len() as u64;
    let broken = if min.is_some_and(|min| count < min) {
        min.map(Constraint::MinItems)
    } else if max.is_some_and(|max| count > max) {
        max.map(Constraint::MaxItems)
    } else if unique
        && items
            .iter()
            .enumerate()
            .any(|(i, item)| items[..i].contains(item))
    {
        Some(Constraint::UniqueItems)
    } else {
        None
    };
    match broken {
        Some(constraint) => Err(InvalidRequest::new(
            parameter,
            ConstraintViolation::new(format_args!("{count} item(s)"), constraint),
        )),
        None => Ok(()),
    }
}

/// Percent-encodes one path parameter value.
///
/// An empty value, `.` and `..` are refused: URL parsers resolve `.` and `..` as
/// dot-segments even when percent-encoded (`%2e%2e`), and an empty one makes `//`, so each
/// would change which resource the path names.
#[allow(dead_code, reason = "only specs with path parameters use it")]
pub(crate) fn encode_path<'a>(
    parameter: &'static str,
    value: &'a str,
) -> Result<percent_encoding::PercentEncode<'a>, InvalidRequest> {
    if matches!(value, "" | "." | "..") {
        return Err(InvalidRequest::new(
            parameter,
            ConstraintViolation::new(value, Constraint::PathSegment),
        ));
    }
    Ok(percent_encoding::utf8_percent_encode(value, PATH_SEGMENT))
}

// What the models' types share. Each open enum, union and validated newtype in `models`
// writes out its own data (variants, wire values, constraints); the impls that are the same
// for all of them come from here.

/// An open string enum, from its data: its docs and attributes, one `Variant = "wire",`
/// row per value the spec lists, and its catch-all variant (with its docs), which keeps any
/// other value as it came; the macro adds a paragraph to the enum's docs saying so:
///
/// ```ignore
/// crate::runtime::open_str_enum! {
///     /// A cloud provider.
///     pub enum Provider {
///         Aws = "AWS",
///         Gcp = "GCP",
///         /// A value this version of the crate does not know, as the server sent it.
///         Unknown(String),
///     }
/// }
/// ```
///
/// It defines the enum (each listed variant documented with its wire value), `KNOWN`,
/// `as_str` (the wire value of a variant), `known` (the variant of a listed wire value),
/// and the impls every open string enum shares: `is_unknown`, `From<&str>`,
/// `From<String>`, `FromStr`, `Display` and serde. `open_str_enum!(Name, Unknown)` alone
/// adds the shared impls to an enum that writes out the rest itself.
#[allow(unused_macros, reason = "a spec may have no open string enum")]
macro_rules! open_str_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($variant:ident = $wire:literal,)*
            $(#[$unknown_meta:meta])+
            $unknown:ident(String) $(,)?
        }
    ) => {
        $(#[$meta])*
        #[doc = ""]
        #[doc = concat!(
            " Open: a value the spec does not list decodes into `",
            stringify!($unknown),
            "` and is sent back as it came, so a new server value never breaks decoding.",
        )]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(
                #[doc = concat!(" `", $wire, "`")]
                $variant,
            )*
            $(#[$unknown_meta])+
            $unknown(String),
        }

        impl $name {
            /// The values the spec lists.
            pub const KNOWN: [Self; $name::WIRE.len()] = [$(Self::$variant),*];

            /// The wire values of [`Self::KNOWN`], in the same order: how [`Self::known`]
            /// finds a variant, and how unions rank by them.
            const WIRE: &'static [&'static str] = &[$($wire),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$unknown(value) => value,
                }
            }

            /// [`Self::KNOWN`] as a slice, for [`Self::known`].
            const LISTED: &'static [Self] = &Self::KNOWN;

            /// The variant of a value the spec lists.
            fn known(value: &str) -> Option<Self> {
                $crate::runtime::known(value, Self::WIRE, Self::LISTED)
            }
        }

        $crate::runtime::open_str_enum!($name, $unknown);
    };
    ($name:ident, $unknown:ident) => {
        impl $name {
            /// Whether the value is one the spec does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::$unknown(_))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match Self::known(value) {
                    Some(known) => known,
                    None => Self::$unknown(value.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match Self::known(&value) {
                    Some(known) => known,
                    None => Self::$unknown(value),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::runtime::StrVisitor(std::marker::PhantomData))
            }
        }
    };
}
#[allow(unused_imports, reason = "a spec may have no open string enum")]
pub(crate) use open_str_enum;

/// The value of `listed` whose wire value (`wire`, in the same order) is `value`: the
/// variant of an open enum's value that its spec lists (its `known`), found in its data
/// rather than in a `match` written out per enum.
#[allow(dead_code, reason = "a spec may have no open string enum")]
#[inline]
pub(crate) fn known<T: Clone>(value: &str, wire: &[&str], listed: &[T]) -> Option<T> {
    let index = wire.iter().position(|wire| *wire == value)?;
    listed.get(index).cloned()
}

/// Decodes a string into any type made from one, borrowed or owned (an open string enum).
#[allow(dead_code, reason = "a spec may have no open string enum")]
pub(crate) struct StrVisitor<T>(pub(crate) std::marker::PhantomData<T>);

impl<T: for<'a> From<&'a str> + From<String>> serde::de::Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }
}

/// An open integer enum, from its data, as [`open_str_enum!`] makes a string one: rows
/// `Variant = 1,` and a catch-all `Unknown(i64)`. It defines the enum, `KNOWN`, `get` (the
/// wire value of a variant), `known` (the variant of a listed value), `is_unknown`,
/// `From<i64>`, `Display` and serde.
#[allow(unused_macros, reason = "a spec may have no open integer enum")]
macro_rules! open_int_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($variant:ident = $wire:literal,)*
            $(#[$unknown_meta:meta])+
            $unknown:ident(i64) $(,)?
        }
    ) => {
        $(#[$meta])*
        #[doc = ""]
        #[doc = concat!(
            " Open: a value the spec does not list decodes into `",
            stringify!($unknown),
            "` and is sent back as it came, so a new server value never breaks decoding.",
        )]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(
                #[doc = concat!(" `", $wire, "`")]
                $variant,
            )*
            $(#[$unknown_meta])+
            $unknown(i64),
        }

        impl $name {
            /// The values the spec lists.
            pub const KNOWN: [Self; <[i64]>::len(&[$($wire),*])] = [$(Self::$variant),*];

            /// The value as it appears on the wire.
            pub fn get(self) -> i64 {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$unknown(value) => value,
                }
            }

            /// The variant of a value the spec lists.
            fn known(value: i64) -> Option<Self> {
                match value {
                    $($wire => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }

        impl $name {
            /// Whether the value is one the spec does not list.
            pub fn is_unknown(self) -> bool {
                matches!(self, Self::$unknown(_))
            }
        }

        impl From<i64> for $name {
            fn from(value: i64) -> Self {
                Self::known(value).unwrap_or(Self::$unknown(value))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.get())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.get())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i64 as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}
#[allow(unused_imports, reason = "a spec may have no open integer enum")]
pub(crate) use open_int_enum;

/// The impls a validated string newtype shares, built on the `new` it writes out itself
/// (which checks the spec's constraints).
#[allow(unused_macros, reason = "a spec may have no validated string")]
macro_rules! constrained_string {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::ConstraintViolation;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Self::new(value)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::ConstraintViolation;

            fn try_from(value: &str) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl TryFrom<&String> for $name {
            type Error = $crate::ConstraintViolation;

            fn try_from(value: &String) -> Result<Self, Self::Error> {
                Self::new(value.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::ConstraintViolation;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Self::new(value).map_err(serde::de::Error::custom)
            }
        }
    };
}
#[allow(unused_imports, reason = "a spec may have no validated string")]
pub(crate) use constrained_string;

/// The impls a validated number newtype of `$ty` shares, built on the `new` it writes out
/// itself (which checks the spec's constraints). Integer arguments of any width convert,
/// so `items_per_page(50)` and `items_per_page(items.len())` both work; a value too wide
/// for the format is a violation of that format, not a panic or a silent truncation.
#[allow(unused_macros, reason = "a spec may have no validated number")]
macro_rules! constrained_number {
    ($name:ident, i32) => {
        $crate::runtime::constrained_number!(@common $name, i32);
        $crate::runtime::constrained_number!(@same $name, i32);
        $crate::runtime::constrained_number!(@lossless $name, i32, i8 i16 u8 u16);
        $crate::runtime::constrained_number!(@lossy $name, i32, "int32", i64 u32 u64 usize isize);
    };
    ($name:ident, i64) => {
        $crate::runtime::constrained_number!(@common $name, i64);
        $crate::runtime::constrained_number!(@same $name, i64);
        $crate::runtime::constrained_number!(@lossless $name, i64, i8 i16 i32 u8 u16 u32);
        $crate::runtime::constrained_number!(@lossy $name, i64, "int64", u64 usize isize);
    };
    ($name:ident, $ty:ident) => {
        $crate::runtime::constrained_number!(@common $name, $ty);
        $crate::runtime::constrained_number!(@same $name, $ty);
    };
    (@common $name:ident, $ty:ident) => {
        impl $name {
            pub fn get(self) -> $ty {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <$ty as serde::Deserialize>::deserialize(deserializer)?;
                Self::new(value).map_err(serde::de::Error::custom)
            }
        }
    };
    (@same $name:ident, $ty:ident) => {
        impl TryFrom<$ty> for $name {
            type Error = $crate::ConstraintViolation;

            fn try_from(value: $ty) -> Result<Self, Self::Error> {
                Self::new(value)
            }
        }
    };
    (@lossless $name:ident, $ty:ident, $($source:ident)*) => {
        $(
            impl TryFrom<$source> for $name {
                type Error = $crate::ConstraintViolation;

                fn try_from(value: $source) -> Result<Self, Self::Error> {
                    Self::new($ty::from(value))
                }
            }
        )*
    };
    (@lossy $name:ident, $ty:ident, $format:literal, $($source:ident)*) => {
        $(
            impl TryFrom<$source> for $name {
                type Error = $crate::ConstraintViolation;

                fn try_from(value: $source) -> Result<Self, Self::Error> {
                    match $ty::try_from(value) {
                        Ok(value) => Self::new(value),
                        Err(_) => Err($crate::ConstraintViolation::new(
                            value,
                            $crate::Constraint::Format($format),
                        )),
                    }
                }
            }
        )*
    };
}
#[allow(unused_imports, reason = "a spec may have no validated number")]
pub(crate) use constrained_number;

/// The fields of a value whose values break the spec's constraints, each with its API
/// name, collected by a struct's `constraint_violations`: one [`Violations::check`] per
/// checked field, in the order of the fields.
#[allow(dead_code, reason = "a spec may have no constrained field")]
#[derive(Default)]
pub(crate) struct Violations(Vec<(&'static str, ConstraintViolation)>);

#[allow(dead_code, reason = "a spec may have no constrained field")]
impl Violations {
    /// Checks a field's value, when it has one, and keeps the violation if it breaks a
    /// constraint.
    pub(crate) fn check<'a, T: Checked<'a>>(
        mut self,
        name: &'static str,
        value: &'a T,
        check: fn(T::Value) -> Result<(), ConstraintViolation>,
    ) -> Self {
        if let Some(Err(violation)) = value.checked().map(check) {
            self.0.push((name, violation));
        }
        self
    }

    pub(crate) fn into_vec(self) -> Vec<(&'static str, ConstraintViolation)> {
        self.0
    }
}

/// A field [`Violations::check`] checks: a string or a number, or an optional one (absent
/// and null values are not checked).
#[allow(dead_code, reason = "a spec may have no constrained field")]
pub(crate) trait Checked<'a> {
    /// What the field's check function takes.
    type Value;

    /// The value to check, if there is one.
    fn checked(&'a self) -> Option<Self::Value>;
}

impl<'a> Checked<'a> for String {
    type Value = &'a str;

    fn checked(&'a self) -> Option<&'a str> {
        Some(self)
    }
}

macro_rules! checked_number {
    ($($ty:ident)*) => {
        $(
            impl Checked<'_> for $ty {
                type Value = $ty;

                fn checked(&self) -> Option<$ty> {
                    Some(*self)
                }
            }
        )*
    };
}
checked_number!(i32 i64 f32 f64);

impl<'a, T: Checked<'a>> Checked<'a> for Option<T> {
    type Value = T::Value;

    fn checked(&'a self) -> Option<T::Value> {
        self.as_ref().and_then(T::checked)
    }
}

/// The alternative a union's tag chose, decoded from the union's value; failing as a
/// decoder does, with the alternative's error.
#[allow(dead_code, reason = "a spec may have no tagged union")]
pub(crate) fn alternative<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// One alternative of a union without a discriminator, decoded from a copy of the value;
/// `None` if it does not decode, and the next alternative is tried.
#[allow(dead_code, reason = "a spec may have no union to rank")]
pub(crate) fn attempt<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Option<T> {
    serde_json::from_value(value.clone()).ok()
}

/// A string-enum field of a union's alternative: its name and the values it lists.
pub(crate) type EnumField<'a> = (&'a str, &'a [&'a str]);

/// The order in which to try the alternatives of a union without a discriminator, best
/// first: ranked by their string-enum fields (+1 for each whose value the alternative
/// lists, -1 for each whose value it does not), then by how many of the object's keys
/// they declare; alternatives that rank the same keep the spec's order. Each alternative
/// is given as its declared keys and its string-enum fields with their values.
#[allow(dead_code, reason = "a spec may have no union to rank")]
pub(crate) fn union_order(
    value: &serde_json::Value,
    alternatives: &[(&[&str], &[EnumField])],
) -> Vec<usize> {
    let score = |fields: &[&str], tags: &[EnumField]| match value {
        serde_json::Value::Object(object) => {
            let tagged: i32 = tags
                .iter()
                .map(|(field, known)| {
                    match object.get(*field).and_then(serde_json::Value::as_str) {
                        Some(tag) if known.contains(&tag) => 1,
                        Some(_) => -1,
                        None => 0,
                    }
                })
                .sum();
            (
                tagged,
                fields.iter().filter(|f| object.contains_key(**f)).count(),
            )
        }
        _ => (0, 0),
    };
    let mut order: Vec<((i32, usize), usize)> = alternatives
        .iter()
        .enumerate()
        .map(|(index, (fields, tags))| (score(fields, tags), index))
        .collect();
    order.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    order.into_iter().map(|(_, index)| index).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_counts_and_uniqueness_are_checked() {
        let check = |items: &[i32], min, max, unique| {
            check_items("ids", items, min, max, unique)
                .err()
                .map(|e| e.violation().constraint().clone())
        };
        assert_eq!(check(&[1, 2], Some(1), Some(2), true), None);
        assert_eq!(
            check(&[], Some(1), None, false),
            Some(Constraint::MinItems(1))
        );
        assert_eq!(
            check(&[1, 2, 3], None, Some(2), false),
            Some(Constraint::MaxItems(2))
        );
        assert_eq!(
            check(&[1, 1], None, None, true),
            Some(Constraint::UniqueItems)
        );
        assert_eq!(check(&[1, 1], None, None, false), None);
        let error = check_items("ids", &[1, 1], None, None, true).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid parameter `ids`: \"2 item(s)\" repeats an item, which must be unique"
        );
    }

    fn raw(status: u16, body: &'static [u8]) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: Bytes::from_static(body),
            unread: None,
        }
    }

    #[test]
    fn an_empty_body_is_null_where_the_type_takes_one() {
        #[derive(Debug, serde::Deserialize)]
        struct E;
        impl ErrorBody for E {}
        // A media type with no schema: servers answer with no body at all.
        let Ok(value) = raw(204, b"").json::<serde_json::Value, E>() else {
            panic!("an empty body is not null")
        };
        assert_eq!(value.into_inner(), serde_json::Value::Null);
        let Ok(absent) = raw(200, b" \r\n").json::<Option<u32>, E>() else {
            panic!("an empty body is not None")
        };
        assert_eq!(absent.into_inner(), None);
        // A type that needs a value still fails, with the error of the empty body.
        let Err(error) = raw(200, b"").json::<u32, E>() else {
            panic!("an empty body decoded as a number")
        };
        assert!(matches!(error, Error::Decode { .. }), "{error}");
        assert!(error.to_string().contains("EOF"), "{error}");
    }

    fn encoded(value: &str) -> String {
        encode_path("p", value).unwrap().to_string()
    }

    /// The path a value ends up in once the URL is parsed, as reqwest does before sending.
    fn sent_path(value: &str) -> String {
        let url = format!("http://127.0.0.1/groups/{}/clusters", encoded(value));
        reqwest::Url::parse(&url).unwrap().path().to_owned()
    }

    #[test]
    fn encode_path_escapes_separators_spaces_and_percent() {
        assert_eq!(encoded("a/b c%"), "a%2Fb%20c%25");
        // Already-encoded text is encoded again, not passed through.
        assert_eq!(encoded("a%2Fb"), "a%252Fb");
    }

    #[test]
    fn encode_path_keeps_unreserved_characters() {
        let unreserved = "ABCXYZabcxyz0189-._~";
        assert_eq!(encoded(unreserved), unreserved);
    }

    #[test]
    fn encode_path_escapes_every_reserved_character_and_non_ascii() {
        assert_eq!(
            encoded(":/?#[]@!$&'()*+,;="),
            "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D"
        );
        assert_eq!(encoded("\"<>\\^`{|}"), "%22%3C%3E%5C%5E%60%7B%7C%7D");
        assert_eq!(encoded("é\u{1F600}\n"), "%C3%A9%F0%9F%98%80%0A");
    }

    #[test]
    fn encoded_values_stay_one_path_segment() {
        for value in ["a/b", "?x=1", "#top", "a%2Fb", "a\\b", " "] {
            let path = sent_path(value);
            let segments: Vec<&str> = path.split('/').collect();
            assert_eq!(segments.len(), 4, "{value:?} became {path}");
            assert_eq!(segments[2], encoded(value), "{value:?} became {path}");
        }
    }

    #[test]
    fn dot_and_empty_segments_are_refused() {
        // Why: a URL parser resolves dot-segments, escaped or not, so the path would change.
        assert_eq!(
            reqwest::Url::parse("http://127.0.0.1/groups/%2e%2E/clusters")
                .unwrap()
                .path(),
            "/clusters"
        );
        for value in ["", ".", ".."] {
            let error = encode_path("groupId", value).unwrap_err();
            assert_eq!(error.parameter(), "groupId");
            assert_eq!(error.violation().constraint(), &Constraint::PathSegment);
        }
        // Dots inside a value are ordinary characters.
        assert_eq!(sent_path("a..b"), "/groups/a..b/clusters");
        assert_eq!(sent_path("..."), "/groups/.../clusters");
    }

    #[test]
    fn unknown_fields_are_a_map_that_allocates_only_when_used() {
        let mut fields = UnknownFields::new();
        assert!(fields.is_empty() && fields.0.is_none());
        assert_eq!(fields, UnknownFields::from(BTreeMap::new()));
        fields.insert("b".to_owned(), serde_json::json!(2));
        fields.insert("a".to_owned(), serde_json::json!([1]));
        assert_eq!(fields["a"], serde_json::json!([1]));
        assert_eq!(
            format!("{fields:?}"),
            r#"{"a": Array [Number(1)], "b": Number(2)}"#
        );
        // Written in key order; read back the same.
        let text = serde_json::to_string(&fields).unwrap();
        assert_eq!(text, r#"{"a":[1],"b":2}"#);
        let again: UnknownFields = serde_json::from_str(&text).unwrap();
        assert_eq!(again, fields);
        assert_eq!(again.into_inner().len(), 2);
        // Emptied, it equals a new one.
        fields.clear();
        assert_eq!(fields, UnknownFields::new());
    }

    #[test]
    fn string_property_takes_the_first_name_listed_spelled_any_way() {
        let body = serde_json::json!({
            "Error_Code": "RATE_LIMITED",
            "reason": "Too Many Requests",
            "detail": "Slow down.",
            "code": 429,
        });
        assert_eq!(
            string_property(&body, &["errorcode", "code"]),
            Some("RATE_LIMITED")
        );
        // In the order of the names, not of the object.
        assert_eq!(
            string_property(&body, &["detail", "reason"]),
            Some("Slow down.")
        );
        // Only strings count.
        assert_eq!(string_property(&body, &["code"]), None);
        assert_eq!(string_property(&serde_json::json!("text"), &["code"]), None);
    }

    #[test]
    fn excerpt_cuts_long_bodies_at_a_character_boundary() {
        assert_eq!(excerpt(b"short"), "short");
        let exact = "x".repeat(EXCERPT_LEN);
        assert_eq!(excerpt(exact.as_bytes()), exact);
        let long = "y".repeat(EXCERPT_LEN + 1);
        assert_eq!(
            excerpt(long.as_bytes()),
            format!("{}...", &long[..EXCERPT_LEN])
        );
        // A two-byte character straddling the cut is dropped, not shown as U+FFFD.
        let straddling = format!("{}é", "z".repeat(EXCERPT_LEN - 1));
        assert_eq!(
            excerpt(straddling.as_bytes()),
            format!("{}...", "z".repeat(EXCERPT_LEN - 1))
        );
    }
}

#[cfg(test)]
mod object_tests {
    //! `object!` against serde's derive with the attributes it stands for: the same text
    //! written, the same values and errors read, the same error paths.

    use super::UnknownFields;

    mod derived {
        use super::UnknownFields;

        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct Kept {
            pub id: String,
            #[serde(rename = "displayName")]
            pub display_name: String,
            #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
            pub r#type: Option<String>,
            #[serde(default)]
            pub note: Option<i64>,
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                deserialize_with = "crate::runtime::nullable"
            )]
            pub tags: Option<Option<Vec<String>>>,
            #[serde(flatten)]
            pub unknown_fields: UnknownFields,
        }

        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct Plain {
            pub id: String,
            #[serde(rename = "displayName")]
            pub display_name: String,
            #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
            pub r#type: Option<String>,
            #[serde(default)]
            pub note: Option<i64>,
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                deserialize_with = "crate::runtime::nullable"
            )]
            pub tags: Option<Option<Vec<String>>>,
        }

        #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
        pub struct Empty {}
    }

    mod declared {
        use super::UnknownFields;

        #[derive(Debug, Clone, PartialEq)]
        pub struct Kept {
            pub id: String,
            pub display_name: String,
            pub r#type: Option<String>,
            pub note: Option<i64>,
            pub tags: Option<Option<Vec<String>>>,
            pub unknown_fields: UnknownFields,
        }

        crate::runtime::object! {
            Kept {
                id: "id" required,
                display_name: "displayName" required,
                r#type: "type" optional,
                note: "note" null,
                tags: "tags" nullable,
                ..unknown_fields
            }
        }

        #[derive(Debug, Clone, PartialEq)]
        pub struct Plain {
            pub id: String,
            pub display_name: String,
            pub r#type: Option<String>,
            pub note: Option<i64>,
            pub tags: Option<Option<Vec<String>>>,
        }

        crate::runtime::object! {
            Plain {
                id: "id" required,
                display_name: "displayName" required,
                r#type: "type" optional,
                note: "note" null,
                tags: "tags" nullable,
            }
        }

        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct Empty {}

        crate::runtime::object! { Empty {} }

        /// Named like what the impls declare inside.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Visitor {
            pub key: String,
            pub map: Option<i64>,
            pub unknown: UnknownFields,
        }

        crate::runtime::object! {
            Visitor {
                key: "key" required,
                map: "map" optional,
                ..unknown
            }
        }
    }

    const INPUTS: &[&str] = &[
        r#"{"id":"a","displayName":"b"}"#,
        r#"{"displayName":"b","id":"a","type":"t","note":3,"tags":["x","y"]}"#,
        r#"{"id":"a","displayName":"b","type":null,"note":null,"tags":null}"#,
        r#"{"zeta":1,"id":"a","alpha":{"x":[1,2.5,null]},"displayName":"b","zeta":[true]}"#,
        r#"{"i\u0064":"a","display\u004eame":"b","\u0074ags":[],"un\u006bnown":"u"}"#,
        r#"{}"#,
        r#"{"id":"a"}"#,
        r#"{"displayName":"b"}"#,
        r#"{"id":"a","id":"c","displayName":"b"}"#,
        r#"{"id":"a","displayName":"b","tags":null,"tags":[]}"#,
        r#"{"id":null,"displayName":"b"}"#,
        r#"{"id":"a","displayName":"b","note":"x"}"#,
        r#"{"id":"a","displayName":"b","note":1.5}"#,
        r#"{"id":"a","displayName":"b","tags":[1]}"#,
        r#"{"id":"a","displayName":"b","tags":{"x":1}}"#,
        r#"{"id":"a","displayName":"b","other":[1,}"#,
        r#"{"id":"a","displayName":"b""#,
        r#"{"id":"a","displayName":"b"} x"#,
        r#"{"id":"a",1:2}"#,
        r#"[]"#,
        r#"["a"]"#,
        r#"["a","b"]"#,
        r#"["a","b","t",3,["x"]]"#,
        r#"["a","b",null,null,null]"#,
        r#"["a","b","t",3,["x"],5]"#,
        r#"[1]"#,
        r#""text""#,
        r#"1"#,
        r#"null"#,
        r#"true"#,
    ];

    /// What decoding `input` gives: the value or the error, as text, then the path and
    /// the error that `serde_path_to_error` reports.
    fn decode<T: serde::de::DeserializeOwned + std::fmt::Debug>(input: &str) -> [String; 4] {
        let direct = match serde_json::from_str::<T>(input) {
            Ok(value) => format!("{value:?}"),
            Err(error) => format!("error: {error}"),
        };
        let reader = match serde_json::from_reader::<_, T>(input.as_bytes()) {
            Ok(value) => format!("{value:?}"),
            Err(error) => format!("error: {error}"),
        };
        let deserializer = &mut serde_json::Deserializer::from_str(input);
        let (path, error) = match serde_path_to_error::deserialize::<_, T>(deserializer) {
            Ok(_) => (String::new(), String::new()),
            Err(error) => (error.path().to_string(), error.inner().to_string()),
        };
        [direct, reader, path, error]
    }

    #[test]
    fn objects_decode_as_the_derive_does() {
        for input in INPUTS {
            if input.starts_with('[') {
                // The one difference: an array is not read as a struct (see `object!`).
                for (name, [direct, reader, path, error]) in [
                    ("Kept", decode::<declared::Kept>(input)),
                    ("Plain", decode::<declared::Plain>(input)),
                    ("Empty", decode::<declared::Empty>(input)),
                ] {
                    let expected = format!("invalid type: sequence, expected struct {name}");
                    assert!(
                        direct.starts_with(&format!("error: {expected}")),
                        "{input}: {direct}"
                    );
                    assert!(
                        reader.starts_with(&format!("error: {expected}")),
                        "{input}: {reader}"
                    );
                    assert_eq!(
                        (path.as_str(), error.starts_with(&expected)),
                        (".", true),
                        "{input}: {error}"
                    );
                }
                continue;
            }
            assert_eq!(
                decode::<declared::Kept>(input),
                decode::<derived::Kept>(input),
                "{input}"
            );
            assert_eq!(
                decode::<declared::Plain>(input),
                decode::<derived::Plain>(input),
                "{input}"
            );
            assert_eq!(
                decode::<declared::Empty>(input),
                decode::<derived::Empty>(input),
                "{input}"
            );
        }
    }

    #[test]
    fn field_and_type_names_do_not_meet_the_impls_own() {
        let text = r#"{"key":"k","map":1,"x":[2]}"#;
        let value: declared::Visitor = serde_json::from_str(text).unwrap();
        assert_eq!((value.key.as_str(), value.map), ("k", Some(1)));
        assert_eq!(serde_json::to_string(&value).unwrap(), text);
    }

    #[test]
    fn objects_encode_as_the_derive_does() {
        let mut unknown = UnknownFields::new();
        unknown.insert("zeta".to_owned(), serde_json::json!([1, {"b": null}]));
        unknown.insert("alpha".to_owned(), serde_json::json!("a"));
        for r#type in [None, Some("t".to_owned())] {
            for note in [None, Some(3)] {
                for tags in [None, Some(None), Some(Some(vec!["x".to_owned()]))] {
                    for unknown_fields in [UnknownFields::new(), unknown.clone()] {
                        let derived = derived::Kept {
                            id: "a".to_owned(),
                            display_name: "b".to_owned(),
                            r#type: r#type.clone(),
                            note,
                            tags: tags.clone(),
                            unknown_fields: unknown_fields.clone(),
                        };
                        let declared = declared::Kept {
                            id: "a".to_owned(),
                            display_name: "b".to_owned(),
                            r#type: r#type.clone(),
                            note,
                            tags: tags.clone(),
                            unknown_fields,
                        };
                        let text = serde_json::to_string(&derived).unwrap();
                        assert_eq!(serde_json::to_string(&declared).unwrap(), text);
                        assert_eq!(
                            serde_json::to_string_pretty(&declared).unwrap(),
                            serde_json::to_string_pretty(&derived).unwrap()
                        );
                        let again: declared::Kept = serde_json::from_str(&text).unwrap();
                        assert_eq!(again, declared);

                        let derived = derived::Plain {
                            id: "a".to_owned(),
                            display_name: "b".to_owned(),
                            r#type: r#type.clone(),
                            note,
                            tags: tags.clone(),
                        };
                        let declared = declared::Plain {
                            id: "a".to_owned(),
                            display_name: "b".to_owned(),
                            r#type: r#type.clone(),
                            note,
                            tags: tags.clone(),
                        };
                        assert_eq!(
                            serde_json::to_string(&declared).unwrap(),
                            serde_json::to_string(&derived).unwrap()
                        );
                    }
                }
            }
        }
        assert_eq!(
            serde_json::to_string(&declared::Empty {}).unwrap(),
            serde_json::to_string(&derived::Empty {}).unwrap()
        );
    }
}
