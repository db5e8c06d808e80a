//! HTTP Digest authentication (RFC 7616), as `curl --digest` does it.
//!
//! The first request goes out without credentials; the server's 401 carries a
//! `WWW-Authenticate: Digest ...` challenge, which is remembered and answered on the
//! retry. Later requests answer the same challenge straight away with an increasing nonce
//! count (`nc`), so a client does one handshake per server nonce rather than one per
//! request. That holds for a fresh client too: while the first call's unsigned request
//! is out, other calls wait for its challenge instead of each fetching their own. A
//! server that hands out the next nonce with an answer (`Authentication-Info:
//! nextnonce=...`) is followed without a 401. A 401
//! that brings a new nonce (or says the old one is `stale`) is learned and
//! the request sent again; a 401 on the very nonce the request used means the key pair is
//! wrong, and the call fails instead of looping.
//!
//! Supported: algorithms `MD5`, `MD5-sess`, `SHA-256`, `SHA-256-sess`; `qop=auth` and the
//! RFC 2069 form without `qop`; `userhash`. Not supported: `qop=auth-int` (the
//! authenticator never sees the body) and `SHA-512-256`; challenges that need them are
//! ignored, as if the server had not sent them.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use md5::Md5;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderValue, WWW_AUTHENTICATE};
use sha2::{Digest as _, Sha256};

use crate::auth::{AuthContext, AuthError, Authenticate, BoxFuture, Secret};
use crate::{ClientBuilder, StatusCode};

impl ClientBuilder {
    /// Authenticates with HTTP Digest, using an API key pair: the public key is the
    /// username and the private key the password. Configures every Digest scheme the
    /// spec declares.
    pub fn digest_auth(
        self,
        public_key: impl Into<String>,
        private_key: impl Into<String>,
    ) -> Self {
        self.auth(
            crate::security::DIGEST_SCHEMES,
            Arc::new(DigestAuth::new(public_key, private_key)),
        )
    }
}

/// The Digest authenticator of one client, shared by all its requests.
struct DigestAuth {
    username: String,
    password: Secret,
    /// Locked only for short, synchronous sections: never across an `.await`.
    state: Mutex<State>,
    /// Wakes the calls waiting for the probe (see `State::probing`) when it ends.
    probe_over: tokio::sync::Notify,
}

/// What the client has learned from the server.
#[derive(Debug, Default)]
struct State {
    /// The challenge being answered; `None` until the first 401 (or after `revoke`).
    challenge: Option<Challenge>,
    /// The nonce `nc` counts requests for. It outlives `challenge` on `revoke`: a server
    /// that hands the same nonce out again must see the count go on, as restarting at 1
    /// would repeat counts it has seen and look like a replay.
    counted_nonce: Option<String>,
    /// How many requests have been sent with `counted_nonce` so far. Taken and
    /// incremented under the lock, so concurrent requests never send the same count.
    nc: u32,
    /// An unsigned request (a probe) is out to fetch a challenge. Calls that find no
    /// challenge wait for it rather than each sending their own: a fresh client with 64
    /// calls in flight takes one handshake, not 64.
    probing: bool,
    /// The server answered an unsigned request without a 401: it does not ask for
    /// credentials here, so unsigned calls go out at once rather than one at a time.
    unchallenged: bool,
}

/// What a call does about credentials.
enum Step {
    /// Send with this `Authorization` value, or unsigned.
    Send(Option<HeaderValue>),
    /// Wait for the probe that is out, then look again.
    Wait,
    /// Look again now.
    Again,
}

impl fmt::Debug for DigestAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The password goes through `Secret`'s `Debug`, which never shows it. The nonce and
        // realm are not secrets: the server sends them in the clear.
        let state = self.lock();
        f.debug_struct("DigestAuth")
            .field("username", &self.username)
            .field("password", &self.password)
            .field("challenge", &state.challenge)
            .field("nc", &state.nc)
            .finish()
    }
}

/// The hash function of a challenge's `algorithm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Md5,
    Sha256,
}

impl Hash {
    /// The lowercase hex digest of `data`.
    fn hex(self, data: &str) -> String {
        match self {
            Hash::Md5 => hex(&Md5::digest(data.as_bytes())),
            Hash::Sha256 => hex(&Sha256::digest(data.as_bytes())),
        }
    }
}

/// A challenge's `algorithm`: a hash and whether it is the `-sess` variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Algorithm {
    hash: Hash,
    session: bool,
}

impl Algorithm {
    /// RFC 7616 section 3.3: absent means MD5. Names are case-insensitive.
    fn parse(name: Option<&str>) -> Option<Self> {
        let name = name.unwrap_or("MD5");
        let (hash, session) = [
            ("MD5", Hash::Md5, false),
            ("MD5-sess", Hash::Md5, true),
            ("SHA-256", Hash::Sha256, false),
            ("SHA-256-sess", Hash::Sha256, true),
        ]
        .into_iter()
        .find(|(known, _, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, hash, session)| (hash, session))?;
        Some(Self { hash, session })
    }

    fn name(self) -> &'static str {
        match (self.hash, self.session) {
            (Hash::Md5, false) => "MD5",
            (Hash::Md5, true) => "MD5-sess",
            (Hash::Sha256, false) => "SHA-256",
            (Hash::Sha256, true) => "SHA-256-sess",
        }
    }
}

/// A Digest challenge this client can answer.
#[derive(Debug, Clone, PartialEq)]
struct Challenge {
    realm: String,
    nonce: String,
    opaque: Option<String>,
    algorithm: Algorithm,
    /// Whether the server offered `qop=auth`; without `qop` the RFC 2069 form is used.
    qop_auth: bool,
    /// RFC 7616 section 3.4.4: the server accepts a hashed username.
    userhash: bool,
    /// The server rejected the previous nonce only because it expired.
    stale: bool,
}

impl Challenge {
    /// The challenge from a scheme's parameters, or `None` if it lacks what RFC 7616
    /// requires or asks for something this client cannot do.
    fn from_params(params: &[(String, String)]) -> Option<Self> {
        let get = |name: &str| {
            params
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        };
        let is_true = |name: &str| get(name).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let algorithm = Algorithm::parse(get("algorithm"))?;
        let qop_auth = match get("qop") {
            None => false,
            Some(list) => {
                // Only `auth-int` offered: answering needs the body, which we never see.
                if !list
                    .split(',')
                    .any(|q| q.trim().eq_ignore_ascii_case("auth"))
                {
                    return None;
                }
                true
            }
        };
        // The `-sess` hash includes the cnonce, which the RFC 2069 form does not send.
        if algorithm.session && !qop_auth {
            return None;
        }
        Some(Self {
            realm: get("realm")?.to_owned(),
            nonce: get("nonce")?.to_owned(),
            opaque: get("opaque").map(str::to_owned),
            algorithm,
            qop_auth,
            userhash: is_true("userhash"),
            stale: is_true("stale"),
        })
    }
}

impl DigestAuth {
    fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            password: Secret::new(password),
            state: Mutex::new(State::default()),
            probe_over: tokio::sync::Notify::new(),
        }
    }

    /// What a call does: sign with the challenge, or without one send a probe, unless
    /// one is out already.
    fn step(
        &self,
        method: &str,
        target: &str,
        cnonce: impl FnOnce() -> Result<String, AuthError>,
    ) -> Result<Step, AuthError> {
        if let Some(value) = self.sign(method, target, cnonce)? {
            return Ok(Step::Send(Some(value)));
        }
        let mut state = self.lock();
        if state.challenge.is_some() {
            // Another call learned one since `sign` looked.
            return Ok(Step::Again);
        }
        if state.probing && !state.unchallenged {
            return Ok(Step::Wait);
        }
        state.probing = true;
        Ok(Step::Send(None))
    }

    /// An attempt is over. An unsigned one ends the probe, and wakes the calls waiting
    /// for it: they sign with what the probe's 401 taught (`learn` ran first), or one of
    /// them probes again if it taught nothing.
    fn attempt_over(&self, sent: Option<&HeaderValue>, status: Option<StatusCode>) {
        if sent.is_some() {
            return;
        }
        {
            let mut state = self.lock();
            state.probing = false;
            if status.is_some_and(|status| status != StatusCode::UNAUTHORIZED) {
                state.unchallenged = true;
            }
        }
        self.probe_over.notify_waiters();
    }

    /// The state, even if a thread panicked while holding it: it is always consistent,
    /// since every section that holds it only assigns whole fields.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The `Authorization` value for a request, or `None` before any challenge.
    /// `cnonce` makes the client nonce; tests pass a fixed one.
    fn sign(
        &self,
        method: &str,
        target: &str,
        cnonce: impl FnOnce() -> Result<String, AuthError>,
    ) -> Result<Option<HeaderValue>, AuthError> {
        let (challenge, nc) = {
            let mut state = self.lock();
            let Some(challenge) = state.challenge.clone() else {
                return Ok(None);
            };
            if challenge.qop_auth {
                match state.nc.checked_add(1) {
                    Some(nc) => state.nc = nc,
                    None => {
                        // Eight hex digits are used up: send nothing rather than repeat a
                        // count, so the server's 401 can hand out a new nonce.
                        state.challenge = None;
                        return Ok(None);
                    }
                }
            }
            (challenge, state.nc)
        };
        let cnonce = if challenge.qop_auth {
            cnonce()?
        } else {
            String::new()
        };
        let authorization = authorization(
            &self.username,
            self.password.expose(),
            &challenge,
            method,
            target,
            nc,
            &cnonce,
        );
        let mut value = HeaderValue::from_str(&authorization).map_err(|_| {
            AuthError::new("the Digest credentials contain characters an HTTP header cannot carry")
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    /// Learns from a 401 to a request sent with `sent`; returns whether sending the
    /// request again may succeed.
    fn learn(&self, sent: Option<&HeaderValue>, headers: &HeaderMap) -> bool {
        let Some(challenge) = best_challenge(headers) else {
            return false;
        };
        let retry = match sent {
            // First contact: nothing was tried yet.
            None => true,
            // The nonce expired; the key pair itself was accepted.
            Some(_) if challenge.stale => true,
            // The server moved to another nonce (or another request already learned one
            // after this one was sent). The same nonce, not stale, means the key pair was
            // refused, and trying it again would only be refused again.
            Some(sent) => sent_nonce(sent).as_deref() != Some(challenge.nonce.as_str()),
        };
        if retry {
            let mut state = self.lock();
            // A concurrent request may already have learned this nonce and counted with
            // it (or it was known before `revoke`); restarting at 1 would repeat counts
            // the server has seen.
            if state.counted_nonce.as_deref() != Some(challenge.nonce.as_str()) {
                state.counted_nonce = Some(challenge.nonce.clone());
                state.nc = 0;
            }
            state.challenge = Some(challenge);
            // The server does ask for credentials: the first calls after a `revoke` wait
            // for one probe again.
            state.unchallenged = false;
        }
        retry
    }

    /// Moves to the nonce a server hands out in `Authentication-Info: nextnonce=...` with
    /// its answer to `sent` (RFC 7616 section 3.5), so the next request uses it rather
    /// than taking a 401 for the old one. Only an answer to the current nonce moves the
    /// client: a late answer to an older one must not move it back.
    fn take_next_nonce(&self, sent: &HeaderValue, info: &HeaderValue) {
        let Some(next) = next_nonce(info) else {
            return;
        };
        let sent_with = sent_nonce(sent);
        let mut state = self.lock();
        let Some(challenge) = state.challenge.as_mut() else {
            return;
        };
        if sent_with.as_deref() != Some(challenge.nonce.as_str()) || challenge.nonce == next {
            return;
        }
        challenge.nonce.clone_from(&next);
        state.counted_nonce = Some(next);
        state.nc = 0;
    }

    /// Forgets the challenge; the count of its nonce is kept, see `State::counted_nonce`.
    fn forget(&self) {
        self.lock().challenge = None;
    }
}

impl Authenticate for DigestAuth {
    fn authorization<'a>(
        &'a self,
        _context: &'a AuthContext<'a>,
        method: &'a reqwest::Method,
        target: &'a str,
    ) -> BoxFuture<'a, Result<Option<HeaderValue>, AuthError>> {
        Box::pin(async move {
            loop {
                // Registered before looking, so a probe that ends in between still wakes
                // this call.
                let probe_over = self.probe_over.notified();
                let mut probe_over = std::pin::pin!(probe_over);
                probe_over.as_mut().enable();
                match self.step(method.as_str(), target, random_cnonce)? {
                    Step::Send(authorization) => return Ok(authorization),
                    Step::Wait => probe_over.await,
                    Step::Again => {}
                }
            }
        })
    }

    fn unauthorized<'a>(
        &'a self,
        sent: Option<&'a HeaderValue>,
        headers: &'a HeaderMap,
    ) -> BoxFuture<'a, bool> {
        let retry = self.learn(sent, headers);
        Box::pin(std::future::ready(retry))
    }

    fn finished(
        &self,
        sent: Option<&HeaderValue>,
        status: Option<StatusCode>,
        info: Option<&HeaderValue>,
    ) {
        self.attempt_over(sent, status);
        if let (Some(sent), Some(info)) = (sent, info) {
            self.take_next_nonce(sent, info);
        }
    }

    fn revoke<'a>(&'a self, _context: &'a AuthContext<'a>) -> BoxFuture<'a, Result<(), AuthError>> {
        // Digest has nothing to revoke with the server; forgetting the nonce makes the
        // next request start with a fresh handshake.
        self.forget();
        Box::pin(std::future::ready(Ok(())))
    }
}

/// 16 random bytes as hex: unpredictable, so the server's nonce and ours together are
/// never repeated (RFC 7616 section 3.4).
fn random_cnonce() -> Result<String, AuthError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|error| AuthError::new(format!("cannot make a Digest cnonce: {error}")))?;
    Ok(hex(&bytes))
}

/// The `Authorization` value answering `challenge` (RFC 7616 section 3.4).
fn authorization(
    username: &str,
    password: &str,
    challenge: &Challenge,
    method: &str,
    uri: &str,
    nc: u32,
    cnonce: &str,
) -> String {
    let hash = challenge.algorithm.hash;
    let nc = format!("{nc:08x}");
    let mut ha1 = hash.hex(&format!("{username}:{}:{password}", challenge.realm));
    if challenge.algorithm.session {
        ha1 = hash.hex(&format!("{ha1}:{}:{cnonce}", challenge.nonce));
    }
    let ha2 = hash.hex(&format!("{method}:{uri}"));
    let response = if challenge.qop_auth {
        hash.hex(&format!(
            "{ha1}:{}:{nc}:{cnonce}:auth:{ha2}",
            challenge.nonce
        ))
    } else {
        // RFC 2069, kept by RFC 7616 for servers that send no `qop`.
        hash.hex(&format!("{ha1}:{}:{ha2}", challenge.nonce))
    };

    let mut out = String::from("Digest ");
    if challenge.userhash {
        // Section 3.4.4: the server looks the user up by H(username:realm).
        let hashed = hash.hex(&format!("{username}:{}", challenge.realm));
        out.push_str(&format!("username=\"{hashed}\""));
    } else if username.is_ascii() {
        out.push_str(&format!("username={}", quote(username)));
    } else {
        // Section 3.4.4: a username a quoted string cannot carry goes in `username*`,
        // encoded as RFC 5987 says.
        let encoded = percent_encoding::utf8_percent_encode(username, ATTR_CHAR);
        out.push_str(&format!("username*=UTF-8''{encoded}"));
    }
    out.push_str(&format!(
        ", realm={}, nonce={}, uri={}, algorithm={}",
        quote(&challenge.realm),
        quote(&challenge.nonce),
        quote(uri),
        challenge.algorithm.name(),
    ));
    if challenge.qop_auth {
        out.push_str(&format!(", qop=auth, nc={nc}, cnonce={}", quote(cnonce)));
    }
    out.push_str(&format!(", response=\"{response}\""));
    if let Some(opaque) = &challenge.opaque {
        out.push_str(&format!(", opaque={}", quote(opaque)));
    }
    if challenge.userhash {
        out.push_str(", userhash=true");
    }
    out
}

/// Bytes RFC 5987 `attr-char` does not allow, which `username*` percent-encodes.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `value` as an HTTP quoted-string.
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    out
}

/// The Digest challenge to answer among all `WWW-Authenticate` values: the first SHA-256
/// one, else the first MD5 one, skipping those this client cannot answer.
fn best_challenge(headers: &HeaderMap) -> Option<Challenge> {
    let challenges: Vec<Challenge> = headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        // Realms may be UTF-8; a value that is not is no challenge of ours.
        .filter_map(|value| std::str::from_utf8(value.as_bytes()).ok())
        .flat_map(parse_challenges)
        .filter(|parsed| parsed.scheme.eq_ignore_ascii_case("digest"))
        .filter_map(|parsed| Challenge::from_params(&parsed.params))
        .collect();
    let sha256 = challenges
        .iter()
        .position(|challenge| challenge.algorithm.hash == Hash::Sha256);
    let mut challenges = challenges.into_iter();
    match sha256 {
        Some(index) => challenges.nth(index),
        None => challenges.next(),
    }
}

/// The nonce an `Authorization` value this authenticator made was computed with.
fn sent_nonce(sent: &HeaderValue) -> Option<String> {
    let text = std::str::from_utf8(sent.as_bytes()).ok()?;
    parse_challenges(text)
        .into_iter()
        .find(|parsed| parsed.scheme.eq_ignore_ascii_case("digest"))?
        .params
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("nonce"))
        .map(|(_, nonce)| nonce)
}

/// The `nextnonce` of an `Authentication-Info` value: a list of auth-params, read with the
/// challenge parser as the parameters of a challenge without its scheme.
fn next_nonce(info: &HeaderValue) -> Option<String> {
    let text = std::str::from_utf8(info.as_bytes()).ok()?;
    parse_challenges(&format!("Digest {text}"))
        .into_iter()
        .next()?
        .params
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("nextnonce"))
        .map(|(_, nonce)| nonce)
        .filter(|nonce| !nonce.is_empty())
}

/// One challenge of a `WWW-Authenticate` value, with any scheme.
#[derive(Debug, PartialEq)]
struct ParsedChallenge {
    scheme: String,
    /// Parameter names as sent and values with quoting undone, in order.
    params: Vec<(String, String)>,
}

/// Splits a header value into challenges (RFC 9110 section 11.6.1):
/// `1#( auth-scheme [ 1*SP ( token68 / #auth-param ) ] )`. Commas separate both
/// challenges and parameters, so a token followed by `=` is a parameter of the current
/// challenge and any other token starts a new one. Malformed parts are skipped rather
/// than failing the whole value.
fn parse_challenges(value: &str) -> Vec<ParsedChallenge> {
    let mut challenges: Vec<ParsedChallenge> = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || is_space(c));
        if rest.is_empty() {
            break;
        }
        let (name, after) = split_token(rest);
        if name.is_empty() {
            // Not a token: skip to the next list element.
            rest = skip_element(rest);
            continue;
        }
        let after_space = after.trim_start_matches(is_space);
        if let Some(after_equals) = after_space.strip_prefix('=') {
            let (param_value, after_value) = split_value(after_equals.trim_start_matches(is_space));
            if let (Some(challenge), Some(param_value)) = (challenges.last_mut(), param_value) {
                challenge.params.push((name.to_owned(), param_value));
            }
            rest = after_value;
        } else {
            challenges.push(ParsedChallenge {
                scheme: name.to_owned(),
                params: Vec::new(),
            });
            rest = skip_token68(after_space);
        }
    }
    challenges
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// RFC 9110 `tchar`.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn split_token(text: &str) -> (&str, &str) {
    let end = text.find(|c: char| !is_tchar(c)).unwrap_or(text.len());
    text.split_at(end)
}

/// Skips a `token68` right after a scheme (`Basic dXNlcg==`), which is followed by a comma
/// or the end. Anything else is left for the parameter loop.
fn skip_token68(text: &str) -> &str {
    let is_token68 = |c: char| c.is_ascii_alphanumeric() || "-._~+/".contains(c);
    let body_end = text.find(|c: char| !is_token68(c)).unwrap_or(text.len());
    let (body, after) = text.split_at(body_end);
    let after = after.trim_start_matches('=').trim_start_matches(is_space);
    if !body.is_empty() && (after.is_empty() || after.starts_with(',')) {
        after
    } else {
        text
    }
}

/// Skips to the comma that ends the current list element, outside quotes.
fn skip_element(text: &str) -> &str {
    let mut quoted = false;
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => return &text[index..],
            _ => {}
        }
    }
    ""
}

/// A parameter value, token or quoted-string with its escapes undone, and the rest.
fn split_value(text: &str) -> (Option<String>, &str) {
    if let Some(quoted) = text.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((index, c)) = chars.next() {
            match c {
                '"' => return (Some(value), &quoted[index + c.len_utf8()..]),
                // A quoted-pair: the next character stands for itself.
                '\\' => match chars.next() {
                    Some((_, escaped)) => value.push(escaped),
                    None => break,
                },
                _ => value.push(c),
            }
        }
        // No closing quote: the value is malformed and dropped.
        (None, "")
    } else {
        let (token, rest) = split_token(text);
        if token.is_empty() {
            (None, skip_element(text))
        } else {
            (Some(token.to_owned()), rest)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7616 section 3.9.1.
    const USER: &str = "Mufasa";
    const PASSWORD: &str = "Circle of Life";
    const REALM: &str = "http-auth@example.org";
    const URI: &str = "/dir/index.html";
    const NONCE: &str = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    const CNONCE: &str = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    const OPAQUE: &str = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

    fn rfc_challenge_header(algorithm: &str) -> String {
        format!(
            "Digest realm=\"{REALM}\", qop=\"auth, auth-int\", algorithm={algorithm}, \
             nonce=\"{NONCE}\", opaque=\"{OPAQUE}\""
        )
    }

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(WWW_AUTHENTICATE, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn challenge(values: &[&str]) -> Option<Challenge> {
        best_challenge(&headers(values))
    }

    /// The parameters of an `Authorization` value, by name.
    fn param(authorization: &str, name: &str) -> Option<String> {
        parse_challenges(authorization)
            .pop()?
            .params
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    fn fixed_cnonce() -> Result<String, AuthError> {
        Ok(CNONCE.to_owned())
    }

    /// An authenticator that has learned `header` from a first-contact 401.
    fn learned(header: &str) -> DigestAuth {
        let auth = DigestAuth::new(USER, PASSWORD);
        assert!(auth.learn(None, &headers(&[header])));
        auth
    }

    fn sign(auth: &DigestAuth) -> String {
        let value = auth.sign("GET", URI, fixed_cnonce).unwrap().unwrap();
        value.to_str().unwrap().to_owned()
    }

    #[test]
    fn rfc_7616_md5_example() {
        let auth = learned(&rfc_challenge_header("MD5"));
        let value = sign(&auth);
        assert_eq!(
            value,
            format!(
                "Digest username=\"{USER}\", realm=\"{REALM}\", nonce=\"{NONCE}\", \
                 uri=\"{URI}\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"{CNONCE}\", \
                 response=\"8ca523f5e9506fed4657c9700eebdbec\", opaque=\"{OPAQUE}\""
            )
        );
    }

    #[test]
    fn rfc_7616_sha256_example() {
        let auth = learned(&rfc_challenge_header("SHA-256"));
        let value = sign(&auth);
        assert_eq!(
            param(&value, "response").as_deref(),
            Some("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
        );
        assert_eq!(param(&value, "algorithm").as_deref(), Some("SHA-256"));
        assert_eq!(param(&value, "nc").as_deref(), Some("00000001"));
    }

    #[test]
    fn the_rfc_offering_both_algorithms_is_answered_with_sha256() {
        // Section 3.9.1 sends the SHA-256 challenge first and MD5 second, in two values.
        let md5 = rfc_challenge_header("MD5");
        let sha = rfc_challenge_header("SHA-256");
        for order in [[&md5, &sha], [&sha, &md5]] {
            let found = challenge(&[order[0], order[1]]).unwrap();
            assert_eq!(found.algorithm.hash, Hash::Sha256);
        }
        // Also when both are in one value.
        let found = challenge(&[&format!("{md5}, {sha}")]).unwrap();
        assert_eq!(found.algorithm.name(), "SHA-256");
    }

    #[test]
    fn session_algorithms_hash_the_nonces_into_ha1() {
        for (name, hash) in [("MD5-sess", Hash::Md5), ("SHA-256-sess", Hash::Sha256)] {
            let value = sign(&learned(&rfc_challenge_header(name)));
            let ha1 = hash.hex(&format!("{USER}:{REALM}:{PASSWORD}"));
            let ha1 = hash.hex(&format!("{ha1}:{NONCE}:{CNONCE}"));
            let ha2 = hash.hex(&format!("GET:{URI}"));
            let expected = hash.hex(&format!("{ha1}:{NONCE}:00000001:{CNONCE}:auth:{ha2}"));
            assert_eq!(param(&value, "response"), Some(expected), "{name}");
            assert_eq!(param(&value, "algorithm").as_deref(), Some(name));
        }
    }

    #[test]
    fn without_qop_the_rfc_2069_form_is_sent() {
        let auth = learned(&format!("Digest realm=\"{REALM}\", nonce=\"{NONCE}\""));
        let value = sign(&auth);
        let ha1 = Hash::Md5.hex(&format!("{USER}:{REALM}:{PASSWORD}"));
        let ha2 = Hash::Md5.hex(&format!("GET:{URI}"));
        assert_eq!(
            value,
            format!(
                "Digest username=\"{USER}\", realm=\"{REALM}\", nonce=\"{NONCE}\", \
                 uri=\"{URI}\", algorithm=MD5, response=\"{}\"",
                Hash::Md5.hex(&format!("{ha1}:{NONCE}:{ha2}"))
            )
        );
        // No cnonce is needed, so none is made.
        let no_cnonce = || -> Result<String, AuthError> { panic!("cnonce asked for") };
        assert!(auth.sign("GET", URI, no_cnonce).unwrap().is_some());
    }

    #[test]
    fn userhash_sends_the_hashed_username() {
        let auth = learned(&format!(
            "{}, userhash=true",
            rfc_challenge_header("SHA-256")
        ));
        let value = sign(&auth);
        let hashed = Hash::Sha256.hex(&format!("{USER}:{REALM}"));
        assert_eq!(param(&value, "username"), Some(hashed));
        assert_eq!(param(&value, "userhash").as_deref(), Some("true"));
        // The response still hashes the plain username, so it is the RFC's.
        assert_eq!(
            param(&value, "response").as_deref(),
            Some("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
        );
        // `userhash=false` is the default form.
        let plain = learned(&format!("{}, userhash=false", rfc_challenge_header("MD5")));
        let value = sign(&plain);
        assert_eq!(param(&value, "username").as_deref(), Some(USER));
        assert_eq!(param(&value, "userhash"), None);
    }

    #[test]
    fn non_ascii_usernames_use_username_star() {
        // The encoding of RFC 7616 section 3.9.2.
        let auth = DigestAuth::new("J\u{e4}s\u{f8}n Doe", PASSWORD);
        assert!(auth.learn(None, &headers(&[&rfc_challenge_header("MD5")])));
        let value = sign(&auth);
        assert!(
            value.starts_with("Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm="),
            "{value}"
        );
    }

    #[test]
    fn quoted_values_are_escaped_when_sent_back() {
        let auth = learned(r#"Digest realm="a \"b\" \\ c", nonce="n", qop=auth"#);
        let value = sign(&auth);
        assert!(value.contains(r#"realm="a \"b\" \\ c""#), "{value}");
        assert_eq!(param(&value, "realm").as_deref(), Some(r#"a "b" \ c"#));
    }

    #[test]
    fn header_breaking_credentials_are_an_error_not_a_panic() {
        let auth = DigestAuth::new("user\nname", PASSWORD);
        assert!(auth.learn(None, &headers(&[&rfc_challenge_header("MD5")])));
        assert!(auth.sign("GET", URI, fixed_cnonce).is_err());
    }

    #[test]
    fn parser_finds_digest_among_several_challenges() {
        let value = r#"Bearer realm="x", error="invalid_token", Basic dXNlcjpwYXNz==, Digest realm="r", nonce="n1", qop="auth,auth-int", Newauth"#;
        let parsed = parse_challenges(value);
        let schemes: Vec<&str> = parsed.iter().map(|c| c.scheme.as_str()).collect();
        assert_eq!(schemes, ["Bearer", "Basic", "Digest", "Newauth"]);
        assert_eq!(parsed[0].params.len(), 2);
        assert!(parsed[1].params.is_empty());
        let found = challenge(&[value]).unwrap();
        assert_eq!(found.realm, "r");
        assert_eq!(found.nonce, "n1");
        assert!(found.qop_auth);
        assert_eq!(found.algorithm.name(), "MD5");
        assert!(!found.stale);
        assert_eq!(found.opaque, None);
    }

    #[test]
    fn parser_reads_escapes_commas_and_odd_spacing() {
        let found = challenge(&[
            r#"dIgEsT REALM = "a \"quoted\", realm \\ here" ,NONCE="x,y" , Algorithm=sha-256"#,
        ])
        .unwrap();
        assert_eq!(found.realm, r#"a "quoted", realm \ here"#);
        assert_eq!(found.nonce, "x,y");
        assert_eq!(found.algorithm.name(), "SHA-256");
        assert!(!found.qop_auth);
    }

    #[test]
    fn authentication_info_gives_the_next_nonce() {
        let info = HeaderValue::from_static(
            r#"qop=auth, rspauth="6629fae49393a05397450978507c4ef1", cnonce="0a4f113b", nc=00000001, nextnonce="n2""#,
        );
        assert_eq!(next_nonce(&info).as_deref(), Some("n2"));
        for without in [r#"qop=auth, rspauth="x""#, r#"nextnonce="""#, ""] {
            assert_eq!(
                next_nonce(&HeaderValue::from_static(without)),
                None,
                "{without}"
            );
        }
    }

    #[test]
    fn parser_reads_stale_and_the_other_flags() {
        let found =
            challenge(&[r#"Digest realm="r", nonce="n", stale=TRUE, qop="auth", userhash="true""#])
                .unwrap();
        assert!(found.stale);
        assert!(found.userhash);
        let found = challenge(&[r#"Digest realm="r", nonce="n", stale=false"#]).unwrap();
        assert!(!found.stale);
        assert!(!found.qop_auth);
    }

    #[test]
    fn parser_skips_challenges_it_cannot_answer() {
        // Unknown algorithm, only auth-int, -sess without qop, missing nonce or realm.
        for value in [
            r#"Digest realm="r", nonce="n", algorithm=SHA-512-256, qop=auth"#,
            r#"Digest realm="r", nonce="n", qop="auth-int""#,
            r#"Digest realm="r", nonce="n", algorithm=MD5-sess"#,
            r#"Digest realm="r", qop=auth"#,
            r#"Digest nonce="n", qop=auth"#,
            r#"Digest realm="r", nonce="unterminated"#,
            "Basic realm=\"r\"",
            "Digest",
            "",
            ",,,",
            "=\"\"",
            "Digest realm=, nonce=",
        ] {
            assert_eq!(challenge(&[value]), None, "{value}");
        }
        // An unusable challenge does not hide a usable one after it.
        let found = challenge(&[
            r#"Digest realm="r", nonce="n1", algorithm=SHA-512-256, qop=auth"#,
            r#"Digest realm="r", nonce="n2", algorithm=MD5, qop=auth"#,
        ])
        .unwrap();
        assert_eq!(found.nonce, "n2");
    }

    #[test]
    fn no_challenge_means_no_credentials_and_no_retry() {
        let auth = DigestAuth::new(USER, PASSWORD);
        assert_eq!(auth.sign("GET", URI, fixed_cnonce), Ok(None));
        assert!(!auth.learn(None, &HeaderMap::new()));
        assert!(!auth.learn(None, &headers(&["Bearer realm=\"x\""])));
        assert_eq!(auth.sign("GET", URI, fixed_cnonce), Ok(None));
    }

    #[test]
    fn nonce_count_increases_per_request() {
        let auth = learned(&rfc_challenge_header("MD5"));
        let counts: Vec<Option<String>> = (0..3).map(|_| param(&sign(&auth), "nc")).collect();
        assert_eq!(
            counts,
            ["00000001", "00000002", "00000003"].map(|nc| Some(nc.to_owned()))
        );
    }

    #[test]
    fn same_nonce_not_stale_is_not_retried() {
        let header = rfc_challenge_header("MD5");
        let auth = learned(&header);
        let sent = auth.sign("GET", URI, fixed_cnonce).unwrap().unwrap();
        assert!(!auth.learn(Some(&sent), &headers(&[&header])));
        // The challenge is kept: the next request still answers it.
        assert_eq!(param(&sign(&auth), "nc").as_deref(), Some("00000002"));
    }

    #[test]
    fn stale_or_new_nonce_is_learned_and_retried() {
        let auth = learned(&rfc_challenge_header("MD5"));
        let sent = auth.sign("GET", URI, fixed_cnonce).unwrap().unwrap();
        sign(&auth);
        // A new nonce, stale.
        let stale = r#"Digest realm="r", nonce="fresh", qop=auth, stale=true"#;
        assert!(auth.learn(Some(&sent), &headers(&[stale])));
        let value = sign(&auth);
        assert_eq!(param(&value, "nonce").as_deref(), Some("fresh"));
        assert_eq!(param(&value, "nc").as_deref(), Some("00000001"));
        // A new nonce without `stale`.
        let other = r#"Digest realm="r", nonce="other", qop=auth"#;
        assert!(auth.learn(Some(&sent), &headers(&[other])));
        let value = sign(&auth);
        assert_eq!(param(&value, "nonce").as_deref(), Some("other"));
        assert_eq!(param(&value, "nc").as_deref(), Some("00000001"));
    }

    #[test]
    fn relearning_the_current_nonce_keeps_counting() {
        // Two requests sent before the handshake both get the first challenge; the second
        // must not restart the count the first one has already used.
        let header = rfc_challenge_header("MD5");
        let auth = learned(&header);
        sign(&auth);
        assert!(auth.learn(None, &headers(&[&header])));
        assert_eq!(param(&sign(&auth), "nc").as_deref(), Some("00000002"));
    }

    #[test]
    fn revoke_forgets_the_challenge_but_not_the_count() {
        let header = rfc_challenge_header("MD5");
        let auth = learned(&header);
        sign(&auth);
        auth.forget();
        assert_eq!(auth.sign("GET", URI, fixed_cnonce), Ok(None));
        // The server may hand out the same nonce again: counting goes on.
        assert!(auth.learn(None, &headers(&[&header])));
        assert_eq!(param(&sign(&auth), "nc").as_deref(), Some("00000002"));
        // A new nonce counts from 1.
        auth.forget();
        let other = r#"Digest realm="r", nonce="other", qop=auth"#;
        assert!(auth.learn(None, &headers(&[other])));
        assert_eq!(param(&sign(&auth), "nc").as_deref(), Some("00000001"));
    }

    #[test]
    fn exhausted_nonce_count_starts_a_new_handshake() {
        let auth = learned(&rfc_challenge_header("MD5"));
        auth.lock().nc = u32::MAX;
        assert_eq!(auth.sign("GET", URI, fixed_cnonce), Ok(None));
    }

    #[test]
    fn random_cnonces_are_32_hex_digits_and_differ() {
        let first = random_cnonce().unwrap();
        let second = random_cnonce().unwrap();
        assert_eq!(first.len(), 32);
        assert!(first.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(first, second);
    }

    #[test]
    fn debug_never_shows_the_private_key() {
        let auth = learned(&rfc_challenge_header("MD5"));
        let shown = format!("{auth:?}");
        assert!(!shown.contains(PASSWORD), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
        assert!(shown.contains(USER), "{shown}");
        let pretty = format!("{auth:#?}");
        assert!(!pretty.contains(PASSWORD), "{pretty}");
    }
}
