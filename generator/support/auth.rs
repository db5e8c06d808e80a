//! The hook through which a security scheme adds credentials to requests.
//!
//! The executor asks the client's authenticator for an `Authorization` value before each
//! attempt and tells it about a 401, so a scheme can answer a challenge (Digest) or drop
//! a rejected token (OAuth) and have the request sent once more. Each scheme the spec
//! declares has its own module implementing [`Authenticate`] and a `ClientBuilder` method
//! that installs it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderValue};

use crate::StatusCode;
use crate::retry::RetryPolicy;

/// A boxed future, so authenticators can be stored as trait objects.
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What an authenticator may use: the client's HTTP client, base URL, default headers
/// and retry policy, for the requests it makes itself (a token endpoint).
#[allow(dead_code, reason = "only some schemes make requests of their own")]
pub(crate) struct AuthContext<'a> {
    pub http: &'a reqwest::Client,
    pub base_url: &'a str,
    pub default_headers: &'a HeaderMap,
    pub retry: &'a RetryPolicy,
}

/// Adds credentials to requests for one security scheme.
pub(crate) trait Authenticate: fmt::Debug + Send + Sync {
    /// The `Authorization` value for a request with this method and request target
    /// (`/path?query` as sent), or `None` to send it without one (as Digest does before
    /// it has seen a challenge).
    fn authorization<'a>(
        &'a self,
        context: &'a AuthContext<'a>,
        method: &'a reqwest::Method,
        target: &'a str,
    ) -> BoxFuture<'a, Result<Option<HeaderValue>, AuthError>>;

    /// The server answered 401 to a request that carried `sent`. Returns whether sending
    /// the request again may succeed (a new challenge was learned, a stale token dropped).
    fn unauthorized<'a>(
        &'a self,
        sent: Option<&'a HeaderValue>,
        headers: &'a HeaderMap,
    ) -> BoxFuture<'a, bool>;

    /// An attempt that carried `sent` is over: `status` is the answer's status, or `None`
    /// when no answer came (a transport error, or the caller dropped the call), and
    /// `info` its `Authentication-Info` header (RFC 9110 section 11.6.3), through which a
    /// server can hand out what the next request should use. Called for every attempt,
    /// after [`unauthorized`](Self::unauthorized) for a 401.
    fn finished(
        &self,
        sent: Option<&HeaderValue>,
        status: Option<StatusCode>,
        info: Option<&HeaderValue>,
    ) {
        let _ = (sent, status, info);
    }

    /// Forgets any credentials derived from the secret (tokens, nonces), and revokes them
    /// with the server where the scheme supports it.
    fn revoke<'a>(&'a self, context: &'a AuthContext<'a>) -> BoxFuture<'a, Result<(), AuthError>> {
        let _ = context;
        Box::pin(async { Ok(()) })
    }
}

/// The credentials one attempt was sent with. Dropping it tells the authenticator the
/// attempt is over ([`Authenticate::finished`]) however it ended, so an authenticator
/// that makes other calls wait for an attempt (Digest's first handshake) is never left
/// waiting by an error or a dropped call.
pub(crate) struct Sent<'a> {
    auth: Option<&'a dyn Authenticate>,
    pub(crate) authorization: Option<HeaderValue>,
    pub(crate) status: Option<StatusCode>,
    pub(crate) info: Option<HeaderValue>,
}

impl<'a> Sent<'a> {
    pub(crate) fn new(
        auth: Option<&'a dyn Authenticate>,
        authorization: Option<HeaderValue>,
    ) -> Self {
        Self {
            auth,
            authorization,
            status: None,
            info: None,
        }
    }
}

impl Drop for Sent<'_> {
    fn drop(&mut self) {
        if let Some(auth) = self.auth {
            auth.finished(self.authorization.as_ref(), self.status, self.info.as_ref());
        }
    }
}

/// Credentials could not be obtained: the token endpoint failed or answered oddly.
/// Never carries a secret.
#[derive(Debug, Clone)]
pub struct AuthError {
    message: String,
    status: Option<StatusCode>,
    body: Option<String>,
    /// What failed underneath, such as the `reqwest::Error` of a request that got no
    /// answer (its `is_timeout()` and `is_connect()` say why).
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// Errors are equal when they say the same; their sources are not compared.
impl PartialEq for AuthError {
    fn eq(&self, other: &Self) -> bool {
        self.message == other.message && self.status == other.status && self.body == other.body
    }
}

#[allow(dead_code, reason = "only schemes with a token endpoint build these")]
impl AuthError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            status: None,
            body: None,
            source: None,
        }
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    pub(crate) fn with_response(mut self, status: StatusCode, body: String) -> Self {
        self.status = Some(status);
        self.body = Some(body);
        self
    }

    /// The status of the token endpoint's answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The start of the token endpoint's answer, when there was one.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.body.as_deref()
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(status) = self.status {
            write!(f, " (status {status}")?;
            if let Some(body) = &self.body {
                write!(f, ": {body}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// A secret string: usable, never printed.
#[derive(Clone)]
#[allow(dead_code, reason = "only specs with a security scheme keep secrets")]
pub(crate) struct Secret(String);

#[allow(dead_code, reason = "only specs with a security scheme keep secrets")]
impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
