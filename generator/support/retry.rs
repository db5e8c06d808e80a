//! When and how long to wait before sending a request again.
//!
//! Only idempotent methods are retried, and only when a retry can help: 429 (too many
//! requests), 503 (unavailable), or a connection that failed before any response arrived.
//! Waits grow exponentially with full jitter, a `Retry-After` header wins when it is
//! present, and both the number of attempts and the total time are bounded. A server that
//! asks for a longer wait than the policy allows is not retried at all: asking again
//! sooner would only be refused again, so its answer is returned at once (and the error
//! says what the server asked for).

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use crate::StatusCode;

/// How a client retries. The default makes up to 4 attempts within 30 seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            budget: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retries: every request is sent once.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, the first included; at least 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; later waits double, up to `max_delay`.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between attempts. A response whose `Retry-After` asks for longer
    /// is returned at once rather than retried early.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest time from the first attempt to the start of the last; a retry whose
    /// wait would end later (`Retry-After` included) is not made.
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// The wait before attempt `attempt + 1`, or `None` when no retry should be made.
    /// `elapsed` is the time since the first attempt started.
    pub(crate) fn next_delay(
        &self,
        attempt: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = match retry_after {
            // Waiting less than the server asked would only earn another refusal.
            Some(delay) if delay > self.max_delay => return None,
            Some(delay) => delay,
            None => {
                let exponential = self
                    .base_delay
                    .saturating_mul(1 << (attempt - 1).min(16))
                    .min(self.max_delay);
                // Full jitter: clients that failed together do not retry together.
                exponential.mul_f64(random_fraction())
            }
        };
        (elapsed + delay <= self.budget).then_some(delay)
    }
}

/// Whether a response status is worth retrying.
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE
}

/// Whether a transport error happened before any response, so the server cannot have
/// acted on the request twice in a way a retry would repeat (idempotent methods only).
pub(crate) fn retryable_error(error: &reqwest::Error) -> bool {
    error.is_connect() || (error.is_request() && !error.is_timeout())
}

/// RFC 9110 section 9.2.2.
pub(crate) fn idempotent(method: &reqwest::Method) -> bool {
    use reqwest::Method;
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ]
    .contains(method)
}

/// `Retry-After` as seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A number in [0, 1) from the standard library's per-process random keys; jitter needs
/// spread, not cryptographic strength.
fn random_fraction() -> f64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_and_budget_bound_retries() {
        let policy = RetryPolicy::default().max_attempts(3);
        assert!(policy.next_delay(1, Duration::ZERO, None).is_some());
        assert!(policy.next_delay(2, Duration::ZERO, None).is_some());
        assert_eq!(policy.next_delay(3, Duration::ZERO, None), None);
        let policy = RetryPolicy::default().budget(Duration::from_secs(1));
        assert_eq!(
            policy.next_delay(
                1,
                Duration::from_millis(900),
                Some(Duration::from_millis(200))
            ),
            None
        );
        assert_eq!(
            RetryPolicy::disabled().next_delay(1, Duration::ZERO, None),
            None
        );
    }

    #[test]
    fn waits_grow_with_jitter_and_honour_retry_after() {
        let policy = RetryPolicy::default()
            .max_attempts(10)
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(1));
        for attempt in 1..6 {
            let cap = Duration::from_millis(100 * (1 << (attempt - 1))).min(Duration::from_secs(1));
            let delay = policy.next_delay(attempt, Duration::ZERO, None).unwrap();
            assert!(delay <= cap, "attempt {attempt}: {delay:?} > {cap:?}");
        }
        assert_eq!(
            policy.next_delay(1, Duration::ZERO, Some(Duration::from_millis(700))),
            Some(Duration::from_millis(700))
        );
        assert_eq!(
            policy.next_delay(1, Duration::ZERO, Some(Duration::from_secs(1))),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            policy.next_delay(1, Duration::ZERO, Some(Duration::from_secs(60))),
            None,
            "a Retry-After beyond max_delay is not retried early"
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(
            retry_after(&headers),
            Some(Duration::ZERO),
            "a past date means now"
        );
        headers.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn only_idempotent_methods_and_useful_statuses() {
        assert!(idempotent(&reqwest::Method::GET));
        assert!(idempotent(&reqwest::Method::PUT));
        assert!(!idempotent(&reqwest::Method::POST));
        assert!(!idempotent(&reqwest::Method::PATCH));
        assert!(retryable_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(retryable_status(StatusCode::SERVICE_UNAVAILABLE));
        assert!(!retryable_status(StatusCode::INTERNAL_SERVER_ERROR));
    }
}
