//! The parts of the client that do not depend on the spec: the HTTP client, errors,
//! responses and parameter validation errors.
//!
//! Generated operations build a `RequestSpec`, hand it to `Client::execute` and decode the
//! `RawResponse` according to the statuses their spec documents.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
pub use reqwest::StatusCode;
pub use reqwest::header::HeaderMap;

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
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
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

    /// Sends a request and reads the whole response; statuses are the caller's to judge.
    #[doc(hidden)]
    pub async fn execute<E>(&self, request: RequestSpec) -> Result<RawResponse, Error<E>> {
        let url = format!("{}{}", self.inner.base_url, request.path);
        let mut builder = self
            .inner
            .http
            .request(request.method, url)
            .header(reqwest::header::ACCEPT, request.accept);
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        if let Some((content_type, body)) = request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body);
        }
        let response = builder.send().await.map_err(Error::Transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Transport)?;
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
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

    /// Builds the client; fails only when the TLS backend cannot be initialised.
    pub fn build(self) -> Result<Client, reqwest::Error> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(self.user_agent.unwrap_or_else(|| {
                    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned()
                }))
                .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                .timeout(self.timeout.unwrap_or(Duration::from_secs(60)))
                .build()?,
        };
        let base_url = self
            .base_url
            .unwrap_or_else(|| crate::DEFAULT_BASE_URL.to_owned())
            .trim_end_matches('/')
            .to_owned();
        Ok(Client {
            inner: Arc::new(Inner { http, base_url }),
        })
    }
}

/// What a generated operation asks [`Client::execute`] to send.
#[doc(hidden)]
#[derive(Debug)]
pub struct RequestSpec {
    pub method: reqwest::Method,
    /// The path with parameters substituted and percent-encoded.
    pub path: String,
    /// Query parameters the caller set, in spec order.
    pub query: Vec<(&'static str, String)>,
    /// Header parameters the caller set, in spec order.
    pub headers: Vec<(&'static str, String)>,
    pub accept: &'static str,
    /// The content type and encoded body, for operations that send one.
    pub body: Option<(&'static str, Vec<u8>)>,
}

/// A response read in full, before its status is judged.
#[doc(hidden)]
#[derive(Debug)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl RawResponse {
    /// Decodes a documented success body.
    pub fn json<T: serde::de::DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        match serde_json::from_slice(&self.body) {
            Ok(body) => Ok(Response {
                status: self.status,
                headers: self.headers,
                body,
            }),
            Err(source) => Err(self.decode_error(source)),
        }
    }

    /// A documented success whose body is not JSON, as bytes.
    pub fn bytes<E>(self) -> Result<Response<Bytes>, Error<E>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body: self.body,
        })
    }

    /// A documented success without a body.
    pub fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body: (),
        })
    }

    /// Decodes a documented error body into [`Error::Api`].
    pub fn api_error<E: serde::de::DeserializeOwned>(self) -> Error<E> {
        match serde_json::from_slice(&self.body) {
            Ok(body) => Error::Api {
                status: self.status,
                headers: Box::new(self.headers),
                body: Box::new(body),
            },
            Err(source) => self.decode_error(source),
        }
    }

    /// A status the spec does not document for this operation.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus {
            status: self.status,
            headers: Box::new(self.headers),
            body: self.body,
        }
    }

    fn decode_error<E>(self, source: serde_json::Error) -> Error<E> {
        let content_type = self
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Error::Decode {
            status: self.status,
            content_type,
            source,
            body: self.body,
        }
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
}

/// Everything that can go wrong with a call. `E` is the body type the spec documents for
/// error statuses.
///
/// Headers and error bodies are boxed so that `Result<Response<T>, Error<E>>` stays small
/// on the success path.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// An argument broke a constraint of the spec; nothing was sent.
    InvalidRequest(InvalidRequest),
    /// The server answered with an error status the spec documents, and this body.
    Api {
        status: StatusCode,
        headers: Box<HeaderMap>,
        body: Box<E>,
    },
    /// The server answered with a status the spec does not document for the operation.
    UnexpectedStatus {
        status: StatusCode,
        headers: Box<HeaderMap>,
        body: Bytes,
    },
    /// The request could not be sent or the response not read: connection, TLS, timeout.
    Transport(reqwest::Error),
    /// The request body could not be encoded as JSON; nothing was sent.
    Encode(serde_json::Error),
    /// The body did not match the documented schema.
    Decode {
        status: StatusCode,
        content_type: Option<String>,
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
            Error::InvalidRequest(_) | Error::Encode(_) => None,
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
}

impl<E> From<InvalidRequest> for Error<E> {
    fn from(error: InvalidRequest) -> Self {
        Error::InvalidRequest(error)
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(error) => write!(f, "{error}"),
            Error::Api { status, body, .. } => write!(f, "the server answered {status}: {body:?}"),
            Error::UnexpectedStatus { status, body, .. } => {
                write!(f, "unexpected status {status}: {}", excerpt(body))
            }
            Error::Transport(error) => write!(f, "request failed: {error}"),
            Error::Encode(error) => write!(f, "cannot encode the request body: {error}"),
            Error::Decode {
                status,
                content_type,
                source,
                body,
            } => write!(
                f,
                "cannot decode the {status} response ({}): {source}; body: {}",
                content_type.as_deref().unwrap_or("no content type"),
                excerpt(body)
            ),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidRequest(error) => Some(error),
            Error::Transport(error) => Some(error),
            Error::Encode(error) => Some(error),
            Error::Decode { source, .. } => Some(source),
            Error::Api { .. } | Error::UnexpectedStatus { .. } => None,
        }
    }
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

/// Bytes that stay as they are in a path segment: RFC 3986 unreserved characters.
/// Everything else, `/` and `%` included, is percent-encoded so that a value can never
/// change which resource a path names.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path parameter value.
#[doc(hidden)]
pub fn encode_path(value: &str) -> percent_encoding::PercentEncode<'_> {
    percent_encoding::utf8_percent_encode(value, PATH_SEGMENT)
}
