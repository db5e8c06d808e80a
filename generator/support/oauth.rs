//! OAuth 2.0 client credentials (RFC 6749 section 4.4), as Atlas service accounts use it.
//!
//! A [`ServiceAccount`] trades its client ID and secret for a short-lived bearer token at
//! the token endpoint and sends that token with every request. The token is cached with
//! its expiry and replaced shortly *before* it expires, so requests do not race the
//! deadline and fail with 401. A token the server rejects anyway (revoked, clock skew) is
//! dropped on the 401 and the request sent once more with a new one.
//!
//! Only one token request is in flight per client: concurrent calls that find no usable
//! token wait for that request and share its result instead of each asking for a token.
//! That holds for a failure too: the calls that waited for a token request that failed
//! (a token endpoint that timed out) all get its error, and only a call made after it
//! asks again. Token requests carry the client's default headers and are retried as API
//! calls are (no answer, 429, 503; see `RetryPolicy`); a failure that remains is an
//! `AuthError` whose `source()` is the underlying error when there is one.
//!
//! [`Client::revoke_credentials`](crate::Client::revoke_credentials) forgets the token and
//! revokes it (RFC 7009) at the revocation endpoint: one set with
//! [`ServiceAccount::revocation_url`], or by default the token URL with its last path
//! segment `token` replaced by `revoke` (`/api/oauth/token` becomes `/api/oauth/revoke`,
//! the convention of most providers). [`ServiceAccount::without_revocation`] only forgets
//! the token.
//!
//! Neither the secret nor a token ever appears in `Debug` output, errors or logs.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{self, HeaderMap, HeaderValue};

use crate::auth::{AuthContext, AuthError, Authenticate, BoxFuture, Secret};
use crate::retry;
use crate::runtime::describe_transport;
use crate::{ClientBuilder, StatusCode};

/// Token lifetimes are measured on tokio's clock, which is the system's monotonic clock
/// except in tests that pause and advance it.
type Instant = tokio::time::Instant;

/// A token is replaced when less than this remains of it, or a tenth of its lifetime
/// when that is shorter (so that tokens living only seconds are still used at all).
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// How much of an endpoint's error answer an [`AuthError`] keeps.
const EXCERPT_LEN: usize = 512;

/// Bytes that stay as they are in `application/x-www-form-urlencoded` (the WHATWG
/// URL standard's set); everything else is percent-encoded.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// A service account's credentials, and where to exchange them for tokens.
///
/// ```no_run
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// let client = atlas_admin::Client::builder()
///     .service_account(atlas_admin::ServiceAccount::new("mdb_sa_id_...", "mdb_sa_sk_..."))
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ServiceAccount {
    client_id: String,
    client_secret: Secret,
    token_url: Option<String>,
    revocation: Revocation,
}

/// Where revoked tokens go.
#[derive(Debug, Clone, PartialEq)]
enum Revocation {
    /// Beside the token endpoint, when its last path segment is `token`.
    Derived,
    Url(String),
    Disabled,
}

impl ServiceAccount {
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            token_url: None,
            revocation: Revocation::Derived,
        }
    }

    /// The token endpoint, used as given.
    ///
    /// Without it the spec's endpoint ([`crate::OAUTH_TOKEN_URL`]) is used, moved to the
    /// client's server when the client has another base URL (a test server or a proxy).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// The token revocation endpoint (RFC 7009), where
    /// [`Client::revoke_credentials`](crate::Client::revoke_credentials) revokes the
    /// cached token.
    ///
    /// Without it the endpoint is derived from the token URL (the account's, or the one
    /// the client uses by default): its last path segment `token` becomes `revoke`, so
    /// `https://cloud.example/api/oauth/token` revokes at
    /// `https://cloud.example/api/oauth/revoke`. A token URL that does not end in `token`
    /// has no derived endpoint, and its tokens are only forgotten.
    pub fn revocation_url(mut self, url: impl Into<String>) -> Self {
        self.revocation = Revocation::Url(url.into());
        self
    }

    /// Revokes nothing: `revoke_credentials` only forgets the cached token, for a server
    /// that has no revocation endpoint.
    pub fn without_revocation(mut self) -> Self {
        self.revocation = Revocation::Disabled;
        self
    }
}

impl ClientBuilder {
    /// Authenticates with OAuth 2.0 client credentials: a bearer token obtained with
    /// the service account's client ID and secret, cached and renewed before it expires.
    /// Configures every scheme of the spec with a client-credentials flow.
    pub fn service_account(self, account: ServiceAccount) -> Self {
        self.auth(
            crate::security::CLIENT_CREDENTIALS_SCHEMES,
            Arc::new(OAuth::new(account)),
        )
    }
}

struct OAuth {
    account: ServiceAccount,
    /// The current token. A plain mutex, never held across an await, so that reading a
    /// good token never waits for a token request in flight.
    cache: Mutex<Option<Arc<Token>>>,
    /// Held for the whole of a token request, so there is only one at a time; tasks that
    /// need a token meanwhile wait here and then find the new one in `cache`, or the
    /// error of the request, which it keeps until the next one.
    refresh: tokio::sync::Mutex<Option<AuthError>>,
    /// How many token requests have ended. A task that sees it change while it waited
    /// for `refresh` takes that request's outcome rather than making another.
    requests_ended: AtomicU64,
}

impl fmt::Debug for OAuth {
    // The cache is left out: it holds the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth")
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

/// An access token and when to stop using it. Deliberately not `Debug`.
struct Token {
    access_token: Secret,
    /// `Bearer <token>`, marked sensitive so that HTTP logging does not print it.
    authorization: HeaderValue,
    /// When the server stops accepting it; `None` when it did not say.
    expires_at: Option<Instant>,
    /// When to start replacing it.
    refresh_at: Option<Instant>,
}

impl Token {
    fn new(
        access_token: String,
        expires_in: Option<Duration>,
        requested_at: Instant,
    ) -> Result<Self, AuthError> {
        let mut authorization =
            HeaderValue::try_from(format!("Bearer {access_token}")).map_err(|_| {
                AuthError::new(
                    "the token endpoint returned a token that is not a valid header value",
                )
            })?;
        authorization.set_sensitive(true);
        // Counted from before the request was sent, so the local deadline is never later
        // than the server's. A lifetime too large for `Instant` is as good as none.
        let expires_at = expires_in.and_then(|lifetime| requested_at.checked_add(lifetime));
        let refresh_at = match (expires_at, expires_in) {
            (Some(expires_at), Some(lifetime)) => {
                // The margin is at most a tenth of the lifetime, so this never underflows.
                Some(expires_at - refresh_margin(lifetime))
            }
            _ => None,
        };
        Ok(Self {
            access_token: Secret::new(access_token),
            authorization,
            expires_at,
            refresh_at,
        })
    }

    /// Good, and not yet due for replacement.
    fn is_fresh(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }

    /// Still accepted by the server, though perhaps due for replacement.
    fn is_usable(&self, now: Instant) -> bool {
        self.expires_at.is_none_or(|at| now < at)
    }
}

/// How long before expiry a token with this lifetime is replaced.
fn refresh_margin(lifetime: Duration) -> Duration {
    MAX_REFRESH_MARGIN.min(lifetime / 10)
}

impl OAuth {
    fn new(account: ServiceAccount) -> Self {
        Self {
            account,
            cache: Mutex::new(None),
            refresh: tokio::sync::Mutex::new(None),
            requests_ended: AtomicU64::new(0),
        }
    }

    fn cache(&self) -> MutexGuard<'_, Option<Arc<Token>>> {
        // Nothing panics while holding the lock, but a poisoned cache is still just a cache.
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn cached(&self) -> Option<Arc<Token>> {
        self.cache().clone()
    }

    /// A token to send: the cached one while it is fresh, else a new one.
    async fn token(&self, context: &AuthContext<'_>) -> Result<Arc<Token>, AuthError> {
        let cached = self.cached();
        if let Some(token) = cached.as_ref().filter(|t| t.is_fresh(Instant::now())) {
            return Ok(Arc::clone(token));
        }
        // Read before waiting: a request that ends from now on is one this call waited for.
        let ended = self.requests_ended.load(Ordering::SeqCst);
        let mut last_error = match self.refresh.try_lock() {
            Ok(guard) => guard,
            Err(_) => {
                // Another task is already fetching a token; a token that is due for
                // replacement but still accepted can be used without waiting for it.
                if let Some(token) = cached.as_ref().filter(|t| t.is_usable(Instant::now())) {
                    return Ok(Arc::clone(token));
                }
                self.refresh.lock().await
            }
        };
        let cached = self.cached();
        if self.requests_ended.load(Ordering::SeqCst) != ended {
            // A token request ended while this call waited: its outcome is this call's
            // too. Asking again at once would make every waiter wait one more timeout
            // when the endpoint is down, in turn.
            if let Some(token) = cached.as_ref().filter(|t| t.is_usable(Instant::now())) {
                return Ok(Arc::clone(token));
            }
            if let Some(error) = last_error.as_ref() {
                return Err(error.clone());
            }
        }
        // Whoever held the lock before may have stored a new token (then revoked it, or
        // it has already gone stale): only a fresh one saves a request.
        if let Some(token) = cached.as_ref().filter(|t| t.is_fresh(Instant::now())) {
            return Ok(Arc::clone(token));
        }
        let fetched = self.fetch(context).await;
        *last_error = fetched.as_ref().err().cloned();
        self.requests_ended.fetch_add(1, Ordering::SeqCst);
        match fetched {
            Ok(token) => {
                let token = Arc::new(token);
                *self.cache() = Some(Arc::clone(&token));
                Ok(token)
            }
            Err(error) => match cached.filter(|t| t.is_usable(Instant::now())) {
                // A refresh ahead of time failed, but the current token still works: use
                // it, and try again on the next call rather than failing this one.
                Some(token) => {
                    tracing::warn!(%error, "cannot renew the OAuth token; using the current one");
                    Ok(token)
                }
                None => Err(error),
            },
        }
    }

    /// Where to revoke tokens, or `None` when they are only forgotten.
    fn revocation_url(&self, base_url: &str) -> Result<Option<reqwest::Url>, AuthError> {
        match &self.account.revocation {
            Revocation::Url(url) => reqwest::Url::parse(url).map(Some).map_err(|_| {
                AuthError::new(format!("the revocation URL {url:?} is not an absolute URL"))
            }),
            Revocation::Derived => {
                let token_url = token_url(self.account.token_url.as_deref(), base_url)?;
                Ok(revocation_url_beside(&token_url))
            }
            Revocation::Disabled => Ok(None),
        }
    }

    /// Asks the token endpoint for a new token.
    async fn fetch(&self, context: &AuthContext<'_>) -> Result<Token, AuthError> {
        let url = token_url(self.account.token_url.as_deref(), context.base_url)?;
        let requested_at = Instant::now();
        let (status, body) = self
            .post_form(context, &url, "grant_type=client_credentials".to_owned())
            .await
            .map_err(|error| {
                AuthError::new(format!(
                    "cannot request a token from {url}: {}",
                    describe_transport(&error)
                ))
                .with_source(error)
            })?;
        if !status.is_success() {
            return Err(AuthError::new(format!(
                "the token endpoint {url} did not issue a token to service account {:?}",
                self.account.client_id
            ))
            .with_response(status, self.excerpt(&body)));
        }
        let malformed = |what: &str| {
            AuthError::new(format!("the token endpoint {url} answered {what}"))
                .with_response(status, self.excerpt(&body))
        };
        let answer: serde_json::Value = serde_json::from_slice(&body).map_err(|_| {
            // Some endpoints answer in form encoding despite `Accept`; that body may hold
            // a token, so it is not quoted.
            if String::from_utf8_lossy(&body).contains("access_token") {
                AuthError::new(format!(
                    "the token endpoint {url} answered with something other than JSON"
                ))
            } else {
                malformed("with something other than JSON")
            }
        })?;
        let access_token = match answer.get("access_token") {
            Some(serde_json::Value::String(token)) if !token.is_empty() => token.clone(),
            // The body has no usable token, so it is safe to quote.
            _ => return Err(malformed("without an access_token")),
        };
        // The body holds a token from here on: errors must not quote it.
        if let Some(token_type) = answer.get("token_type").and_then(|t| t.as_str()) {
            // RFC 6749 section 7.1: a client must not use a token type it does not know.
            if !token_type.eq_ignore_ascii_case("bearer") {
                return Err(AuthError::new(format!(
                    "the token endpoint {url} issued a {token_type:?} token; only bearer tokens are supported"
                )));
            }
        }
        let expires_in = answer.get("expires_in").and_then(lifetime);
        tracing::debug!(
            %url,
            expires_in = expires_in.map(|d| d.as_secs()),
            "obtained an OAuth access token"
        );
        Token::new(access_token, expires_in, requested_at)
    }

    /// Posts a form with the client's credentials as HTTP Basic authentication
    /// (RFC 6749 section 2.3.1) and reads the whole answer. The client's default headers
    /// go with it, and its `RetryPolicy` retries what it retries for API calls (no
    /// answer, 429, 503): asking for a token again, or revoking one again, is harmless.
    async fn post_form(
        &self,
        context: &AuthContext<'_>,
        url: &reqwest::Url,
        body: String,
    ) -> Result<(StatusCode, Bytes), reqwest::Error> {
        let started = Instant::now();
        let mut attempt = 1u32;
        loop {
            let answer = self.post_form_once(context, url, body.clone()).await;
            let retry_after = match &answer {
                Err(error) if retry::retryable_error(error) => None,
                Ok((status, headers, _)) if retry::retryable_status(*status) => {
                    retry::retry_after(headers)
                }
                _ => return answer.map(|(status, _, body)| (status, body)),
            };
            let Some(delay) = context
                .retry
                .next_delay(attempt, started.elapsed(), retry_after)
            else {
                return answer.map(|(status, _, body)| (status, body));
            };
            tracing::warn!(%url, ?delay, "the token endpoint is unavailable; retrying");
            attempt += 1;
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt of [`post_form`](Self::post_form).
    async fn post_form_once(
        &self,
        context: &AuthContext<'_>,
        url: &reqwest::Url,
        body: String,
    ) -> Result<(StatusCode, HeaderMap, Bytes), reqwest::Error> {
        // RFC 6749 section 2.3.1 form-encodes both before Basic encoding them; for the
        // characters Atlas uses in IDs and secrets this changes nothing.
        let client_id = utf8_percent_encode(&self.account.client_id, FORM).to_string();
        let client_secret =
            utf8_percent_encode(self.account.client_secret.expose(), FORM).to_string();
        let response = context
            .http
            .post(url.clone())
            .headers(context.default_headers.clone())
            .basic_auth(client_id, Some(client_secret))
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        Ok((status, headers, body))
    }

    /// The start of an endpoint's answer for an error, with the secret blanked out in
    /// case the endpoint echoes what it was sent.
    fn excerpt(&self, body: &[u8]) -> String {
        let text = String::from_utf8_lossy(body);
        let secret = self.account.client_secret.expose();
        let text = if secret.is_empty() {
            text.into_owned()
        } else {
            text.replace(secret, "<redacted>")
        };
        if text.len() <= EXCERPT_LEN {
            return text;
        }
        let mut end = EXCERPT_LEN;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &text[..end])
    }
}

impl Authenticate for OAuth {
    fn authorization<'a>(
        &'a self,
        context: &'a AuthContext<'a>,
        _method: &'a reqwest::Method,
        _target: &'a str,
    ) -> BoxFuture<'a, Result<Option<HeaderValue>, AuthError>> {
        Box::pin(async move {
            let token = self.token(context).await?;
            Ok(Some(token.authorization.clone()))
        })
    }

    fn unauthorized<'a>(
        &'a self,
        sent: Option<&'a HeaderValue>,
        _headers: &'a HeaderMap,
    ) -> BoxFuture<'a, bool> {
        Box::pin(async move {
            // Without a token there is nothing to replace; the 401 is about something else.
            let Some(sent) = sent else {
                return false;
            };
            let mut cache = self.cache();
            // Drop the rejected token only if it is still the current one: another task may
            // already have replaced it, and that newer token deserves its own chance.
            if cache
                .as_ref()
                .is_some_and(|token| token.authorization == sent)
            {
                *cache = None;
            }
            // Either way the next attempt goes out with a token other than the rejected one.
            true
        })
    }

    fn revoke<'a>(&'a self, context: &'a AuthContext<'a>) -> BoxFuture<'a, Result<(), AuthError>> {
        Box::pin(async move {
            // Waiting for a token request in flight means its token is the one revoked,
            // rather than being cached right after the revocation.
            let token = {
                let _refreshing = self.refresh.lock().await;
                self.cache().take()
            };
            let Some(token) = token else {
                return Ok(());
            };
            let Some(url) = self.revocation_url(context.base_url)? else {
                return Ok(());
            };
            // RFC 7009 section 2.1.
            let body = format!(
                "token={}&token_type_hint=access_token",
                utf8_percent_encode(token.access_token.expose(), FORM)
            );
            let (status, answer) = self.post_form(context, &url, body).await.map_err(|error| {
                AuthError::new(format!(
                    "cannot revoke the token at {url}: {}",
                    describe_transport(&error)
                ))
                .with_source(error)
            })?;
            if !status.is_success() {
                // A derived endpoint is a guess; say how to correct it.
                let hint = match self.account.revocation {
                    Revocation::Derived => {
                        " (derived from the token URL; set `revocation_url` or `without_revocation` on the ServiceAccount)"
                    }
                    _ => "",
                };
                return Err(AuthError::new(format!(
                    "the revocation endpoint {url} refused to revoke the token{hint}"
                ))
                .with_response(status, self.excerpt(&answer)));
            }
            Ok(())
        })
    }
}

/// Where to request tokens: the account's own token URL if it has one; else the spec's,
/// moved to the client's server (scheme, host and port; the path stays) when the client
/// does not talk to the spec's default server, so that a test server or proxy is asked.
fn token_url(explicit: Option<&str>, base_url: &str) -> Result<reqwest::Url, AuthError> {
    if let Some(url) = explicit {
        return reqwest::Url::parse(url)
            .map_err(|_| AuthError::new(format!("the token URL {url:?} is not an absolute URL")));
    }
    let spec = reqwest::Url::parse(crate::OAUTH_TOKEN_URL).map_err(|_| {
        AuthError::new(format!(
            "the token URL {:?} is not an absolute URL",
            crate::OAUTH_TOKEN_URL
        ))
    })?;
    let base = match reqwest::Url::parse(base_url) {
        Ok(base) if base.has_host() && !base.cannot_be_a_base() => base,
        _ => {
            return Err(AuthError::new(format!(
                "cannot derive a token URL from the base URL {base_url:?}"
            )));
        }
    };
    let default_origin = reqwest::Url::parse(crate::DEFAULT_BASE_URL).map(|url| url.origin());
    if default_origin.is_ok_and(|origin| origin == base.origin()) {
        return Ok(spec);
    }
    let mut url = base;
    url.set_path(spec.path());
    url.set_query(spec.query());
    url.set_fragment(None);
    // Credentials in the base URL are for the API, not the token endpoint (and reqwest
    // would send them as a second Basic authorization). These fail only for URLs
    // without a host, refused above.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Ok(url)
}

/// The revocation endpoint beside a token endpoint, by the common convention: the last
/// path segment `token` becomes `revoke` (`/api/oauth/token`, `/oauth2/v1/token`,
/// `/protocol/openid-connect/token`). Any other token URL has none.
fn revocation_url_beside(token_url: &reqwest::Url) -> Option<reqwest::Url> {
    let path = token_url.path();
    let parent = path.strip_suffix("/token")?;
    let mut url = token_url.clone();
    url.set_path(&format!("{parent}/revoke"));
    url.set_query(None);
    Some(url)
}

/// `expires_in` in seconds: a number as RFC 6749 says, or a numeric string as some servers
/// send. Anything else counts as not given.
fn lifetime(value: &serde_json::Value) -> Option<Duration> {
    let seconds = match value {
        serde_json::Value::Number(n) => n.as_f64()?,
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    Duration::try_from_secs_f64(seconds.max(0.0)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_url_is_the_specs_on_the_default_server() {
        let url = token_url(None, crate::DEFAULT_BASE_URL).unwrap();
        assert_eq!(url.as_str(), crate::OAUTH_TOKEN_URL);
        let url = token_url(None, &format!("{}/", crate::DEFAULT_BASE_URL)).unwrap();
        assert_eq!(url.as_str(), crate::OAUTH_TOKEN_URL);
    }

    #[test]
    fn token_url_moves_to_another_base_url_keeping_its_path() {
        let spec_path = reqwest::Url::parse(crate::OAUTH_TOKEN_URL).unwrap();
        let spec_path = spec_path.path();
        let url = token_url(None, "http://127.0.0.1:8080").unwrap();
        assert_eq!(url.as_str(), format!("http://127.0.0.1:8080{spec_path}"));
        // The base URL's own path and credentials do not carry over.
        let url = token_url(None, "https://user:pw@proxy.example:9443/atlas?x=1").unwrap();
        assert_eq!(
            url.as_str(),
            format!("https://proxy.example:9443{spec_path}")
        );
    }

    #[test]
    fn an_explicit_token_url_wins() {
        let url = token_url(Some("https://idp.example/token"), "http://127.0.0.1:1").unwrap();
        assert_eq!(url.as_str(), "https://idp.example/token");
        assert!(token_url(Some("not a url"), crate::DEFAULT_BASE_URL).is_err());
    }

    #[test]
    fn the_revocation_endpoint_is_derived_beside_a_token_endpoint_named_token() {
        let beside = |url: &str| {
            revocation_url_beside(&reqwest::Url::parse(url).unwrap()).map(|u| u.to_string())
        };
        assert_eq!(
            beside("https://cloud.example/api/oauth/token").as_deref(),
            Some("https://cloud.example/api/oauth/revoke")
        );
        assert_eq!(
            beside("https://idp.example/oauth2/v1/token?tenant=a").as_deref(),
            Some("https://idp.example/oauth2/v1/revoke")
        );
        assert_eq!(
            beside("http://127.0.0.1:8080/token").as_deref(),
            Some("http://127.0.0.1:8080/revoke")
        );
        // Not a `token` segment: nothing to derive.
        assert_eq!(beside("https://idp.example/oauth/access_token"), None);
        assert_eq!(beside("https://idp.example/token/"), None);
        assert_eq!(beside("https://idp.example/"), None);
    }

    #[test]
    fn the_revocation_endpoint_can_be_set_or_turned_off() {
        let base = "http://127.0.0.1:9";
        let url = |account: ServiceAccount| {
            OAuth::new(account)
                .revocation_url(base)
                .unwrap()
                .map(|u| u.to_string())
        };
        let account = || ServiceAccount::new("id", "secret");
        let token_path = reqwest::Url::parse(crate::OAUTH_TOKEN_URL).unwrap();
        let derived = revocation_url_beside(&token_url(None, base).unwrap()).map(|u| u.to_string());
        assert_eq!(url(account()), derived);
        assert!(
            token_path.path().ends_with("/token") == derived.is_some(),
            "derived only from a token URL ending in `token`"
        );
        assert_eq!(
            url(account().token_url("https://idp.example/v1/token")).as_deref(),
            Some("https://idp.example/v1/revoke")
        );
        assert_eq!(
            url(account().revocation_url("https://idp.example/x")).as_deref(),
            Some("https://idp.example/x")
        );
        assert_eq!(url(account().without_revocation()), None);
        assert!(
            OAuth::new(account().revocation_url("no"))
                .revocation_url(base)
                .is_err()
        );
    }

    #[test]
    fn refresh_margin_is_a_tenth_of_short_lifetimes_and_a_minute_of_long_ones() {
        assert_eq!(
            refresh_margin(Duration::from_secs(2)),
            Duration::from_millis(200)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(600)),
            Duration::from_secs(60)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(3600)),
            Duration::from_secs(60)
        );
    }

    #[test]
    fn tokens_are_fresh_then_stale_then_expired() {
        let start = Instant::now();
        let token = Token::new("t".into(), Some(Duration::from_secs(100)), start).unwrap();
        assert!(token.is_fresh(start + Duration::from_secs(89)));
        assert!(!token.is_fresh(start + Duration::from_secs(91)));
        assert!(token.is_usable(start + Duration::from_secs(91)));
        assert!(!token.is_usable(start + Duration::from_secs(100)));
        // Without expires_in the token is kept until the server rejects it.
        let forever = Token::new("t".into(), None, start).unwrap();
        assert!(forever.is_fresh(start + Duration::from_secs(1 << 40)));
        // A zero lifetime is never fresh.
        let zero = Token::new("t".into(), Some(Duration::ZERO), start).unwrap();
        assert!(!zero.is_fresh(start));
    }

    #[test]
    fn expires_in_accepts_numbers_and_numeric_strings() {
        assert_eq!(
            lifetime(&serde_json::json!(3600)),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            lifetime(&serde_json::json!("60")),
            Some(Duration::from_secs(60))
        );
        assert_eq!(lifetime(&serde_json::json!(-5)), Some(Duration::ZERO));
        assert_eq!(lifetime(&serde_json::json!(null)), None);
        assert_eq!(lifetime(&serde_json::json!("soon")), None);
        // Too large for any Instant: treated as no expiry rather than overflowing.
        let huge = lifetime(&serde_json::json!(1e300));
        assert_eq!(huge, None);
    }

    #[test]
    fn a_token_that_cannot_be_a_header_is_an_error() {
        assert!(Token::new("bad\ntoken".into(), None, Instant::now()).is_err());
    }

    #[test]
    fn excerpts_blank_out_the_secret_and_cut_long_answers() {
        let oauth = OAuth::new(ServiceAccount::new("id", "hunter2"));
        assert_eq!(
            oauth.excerpt(br#"{"error":"invalid_client","got":"hunter2"}"#),
            r#"{"error":"invalid_client","got":"<redacted>"}"#
        );
        let long = "é".repeat(EXCERPT_LEN);
        let excerpt = oauth.excerpt(long.as_bytes());
        assert!(excerpt.ends_with("..."));
        assert!(excerpt.len() <= EXCERPT_LEN + 3);
    }

    #[test]
    fn form_encoding_escapes_reserved_characters() {
        assert_eq!(
            utf8_percent_encode("a b&c=d+e%f/g", FORM).to_string(),
            "a%20b%26c%3Dd%2Be%25f%2Fg"
        );
        assert_eq!(
            utf8_percent_encode("A-z_0.9*", FORM).to_string(),
            "A-z_0.9*"
        );
    }
}
