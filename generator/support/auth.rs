//! The hook through which a security scheme adds credentials to requests.
//!
//! The executor asks the client's authenticator for an `Authorization` value before each
//! attempt and tells it about a 401, so a scheme can answer a challenge (Digest) or drop
//! a rejected token (OAuth) and have the request sent once more. Each scheme the spec
//! declares has its own module implementing [`Authenticate`] and a `ClientBuilder` method
//! that installs it.
//!
//! Schemes the caller supplies credentials for (HTTP basic, API keys, tokens from a
//! [`TokenSource`]) are here; each gets a `ClientBuilder` method named after the scheme,
//! generated into `security.rs`, which stores a [`Credential`] under the scheme's name.
//! The executor applies, per operation, the first alternative of its security
//! requirement whose schemes all have credentials.

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

/// A secret (a password, an API key, a token): usable, never printed. Its `Debug`
/// shows `<redacted>`, so clients and builders can be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, to send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// What [`TokenSource::token`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, AuthError>> + Send + 'a>>;

/// Supplies the token of a scheme whose flow the client cannot run itself (a bearer
/// token, an OAuth 2.0 authorization-code, implicit or password flow, OpenID Connect).
///
/// The client asks before every attempt of every request that uses the scheme, so a
/// source can renew a token that is about to expire; one that is slow to get should be
/// cached by the source. Implemented for:
///
/// - a fixed token: `String`, `&'static str` or [`Secret`];
/// - an async closure, `|| async { Ok::<_, MyError>(token) }`, whose error is any
///   `std::error::Error` (or a `String`), kept as the [`AuthError`]'s source;
/// - a synchronous function, wrapped by [`token_fn`];
/// - `Arc<S>` of any source, to share one between clients.
pub trait TokenSource: Send + Sync + 'static {
    /// The token to send with the next attempt.
    fn token(&self) -> TokenFuture<'_>;
}

impl TokenSource for Secret {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.clone();
        Box::pin(async move { Ok(token) })
    }
}

impl TokenSource for String {
    fn token(&self) -> TokenFuture<'_> {
        let token = Secret::new(self.as_str());
        Box::pin(async move { Ok(token) })
    }
}

impl TokenSource for &'static str {
    fn token(&self) -> TokenFuture<'_> {
        let token = Secret::new(*self);
        Box::pin(async move { Ok(token) })
    }
}

impl<S: TokenSource + ?Sized> TokenSource for Arc<S> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }
}

impl<F, Fut, T, E> TokenSource for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
    T: Into<Secret>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn token(&self) -> TokenFuture<'_> {
        let future = self();
        Box::pin(async move { future.await.map(Into::into).map_err(source_failed) })
    }
}

/// A [`TokenSource`] calling a synchronous function; made by [`token_fn`].
#[derive(Clone)]
pub struct TokenFn<F>(F);

impl<F> fmt::Debug for TokenFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenFn")
    }
}

/// A [`TokenSource`] that calls `f` for each token, for a source that does not wait
/// (an environment variable, a file already read, a token cache).
pub fn token_fn<F, T, E>(f: F) -> TokenFn<F>
where
    F: Fn() -> Result<T, E> + Send + Sync + 'static,
    T: Into<Secret>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    TokenFn(f)
}

impl<F, T, E> TokenSource for TokenFn<F>
where
    F: Fn() -> Result<T, E> + Send + Sync + 'static,
    T: Into<Secret>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn token(&self) -> TokenFuture<'_> {
        let token = (self.0)().map(Into::into).map_err(source_failed);
        Box::pin(async move { token })
    }
}

fn source_failed(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> AuthError {
    let mut failed = AuthError::new("the token source failed");
    failed.source = Some(Arc::from(error.into()));
    failed
}

/// The credentials configured for one security scheme, by the builder method named
/// after it.
#[derive(Debug)]
pub(crate) enum Credential {
    /// A scheme that sends an `Authorization` header (and may answer a 401).
    Authorization(Arc<dyn Authenticate>),
    /// An API key, sent as is.
    ApiKey {
        location: ApiKeyLocation,
        name: &'static str,
        key: Secret,
    },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code, reason = "each spec uses the locations its keys go in")]
pub(crate) enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

#[allow(dead_code, reason = "each spec uses the kinds of scheme it declares")]
impl Credential {
    pub(crate) fn api_key(location: ApiKeyLocation, name: &'static str, key: Secret) -> Self {
        Self::ApiKey {
            location,
            name,
            key,
        }
    }

    pub(crate) fn basic(username: String, password: Secret) -> Self {
        Self::Authorization(Arc::new(BasicAuth { username, password }))
    }

    pub(crate) fn token(
        scheme: &'static str,
        prefix: &'static str,
        source: impl TokenSource,
    ) -> Self {
        Self::Authorization(Arc::new(TokenAuth {
            scheme,
            prefix,
            source: Box::new(source),
        }))
    }

    /// Whether the credential goes in the `Authorization` header, which a request has
    /// one of.
    pub(crate) fn authorizes(&self) -> bool {
        match self {
            Self::Authorization(_) => true,
            Self::ApiKey { location, name, .. } => {
                *location == ApiKeyLocation::Header && name.eq_ignore_ascii_case("authorization")
            }
        }
    }
}

/// HTTP basic (RFC 7617): the same header on every request.
struct BasicAuth {
    username: String,
    password: Secret,
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

impl Authenticate for BasicAuth {
    fn authorization<'a>(
        &'a self,
        _context: &'a AuthContext<'a>,
        _method: &'a reqwest::Method,
        _target: &'a str,
    ) -> BoxFuture<'a, Result<Option<HeaderValue>, AuthError>> {
        let pair = format!("{}:{}", self.username, self.password.expose());
        let value = HeaderValue::try_from(format!("Basic {}", base64(pair.as_bytes())))
            .map(|mut value| {
                value.set_sensitive(true);
                Some(value)
            })
            .map_err(|_| AuthError::new("the basic credentials cannot be sent in a header"));
        Box::pin(async move { value })
    }

    fn unauthorized<'a>(
        &'a self,
        _sent: Option<&'a HeaderValue>,
        _headers: &'a HeaderMap,
    ) -> BoxFuture<'a, bool> {
        Box::pin(async { false })
    }
}

/// `Authorization: <prefix> <token>`, the token asked of the caller's source each time.
struct TokenAuth {
    scheme: &'static str,
    prefix: &'static str,
    source: Box<dyn TokenSource>,
}

impl fmt::Debug for TokenAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenAuth")
            .field("scheme", &self.scheme)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl Authenticate for TokenAuth {
    fn authorization<'a>(
        &'a self,
        _context: &'a AuthContext<'a>,
        _method: &'a reqwest::Method,
        _target: &'a str,
    ) -> BoxFuture<'a, Result<Option<HeaderValue>, AuthError>> {
        Box::pin(async move {
            let token = self.source.token().await.map_err(|mut error| {
                error.message = format!("{} for `{}`", error.message, self.scheme);
                error
            })?;
            let mut value = HeaderValue::try_from(format!("{} {}", self.prefix, token.expose()))
                .map_err(|_| {
                    AuthError::new(format!(
                        "the token for `{}` cannot be sent in a header",
                        self.scheme
                    ))
                })?;
            value.set_sensitive(true);
            Ok(Some(value))
        })
    }

    fn unauthorized<'a>(
        &'a self,
        _sent: Option<&'a HeaderValue>,
        _headers: &'a HeaderMap,
    ) -> BoxFuture<'a, bool> {
        // The source is asked again for the next request; this one is not repeated.
        Box::pin(async { false })
    }
}

/// Standard base64 with padding (RFC 4648 section 4), as basic credentials are sent.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        let table = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
            // RFC 7617's example.
            ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        ];
        for (text, encoded) in table {
            assert_eq!(base64(text.as_bytes()), encoded, "{text:?}");
        }
    }
}
