//! Retries of transient failures, as a `reqwest-middleware` middleware.
//!
//! Why not `reqwest-retry`: it resends any method (a `POST` that creates a
//! user would be sent twice), does not wait for `Retry-After`, and takes its
//! policy once for all requests. This middleware keeps to what is safe and
//! takes a per-call policy from the request's extensions; the waits between
//! attempts come from `retry-policies` (exponential backoff with bounded
//! jitter), the policy crate `reqwest-retry` is built on.

use std::time::{Duration, SystemTime};

use http::Extensions;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, Request, Response, StatusCode};
use reqwest_middleware::{Middleware, Next};
use retry_policies::policies::ExponentialBackoff;
use retry_policies::{Jitter, RetryDecision, RetryPolicy as _};

/// When and how often a request is retried.
///
/// A request is retried when the connection could not be made, or the
/// answer is `429 Too Many Requests`, `502`, `503` or `504`; only for
/// idempotent methods (`GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE`) unless
/// [`retry_non_idempotent`](Self::retry_non_idempotent) says otherwise. The
/// wait before each retry grows exponentially with bounded jitter, from
/// half of [`backoff`](Self::backoff)'s lower bound up to its upper bound;
/// a `Retry-After` header (seconds or a date) is waited for instead, up to
/// [`max_retry_after`](Self::max_retry_after).
///
/// Default: 3 retries, waits from 100 ms to 5 s, `Retry-After` up to 30 s,
/// idempotent methods only. [`RetryPolicy::none`] turns retries off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    min_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            min_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    /// At most `n` retries after the first attempt.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// The bounds of the exponential wait between attempts.
    pub fn backoff(mut self, min: Duration, max: Duration) -> Self {
        self.min_backoff = min;
        self.max_backoff = max.max(min);
        self
    }

    /// The longest `Retry-After` that is waited for; a longer one is cut
    /// to it.
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Also retries `POST` and `PATCH`, which may not be safe to send twice
    /// (a create that succeeded but whose answer was lost would be done
    /// again). Only for calls you know to be idempotent.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.non_idempotent = yes;
        self
    }

    /// The number of retries this policy allows.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    fn applies_to(&self, method: &Method) -> bool {
        self.max_retries > 0
            && (self.non_idempotent
                || matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE))
    }

    fn backoff_policy(&self) -> ExponentialBackoff {
        ExponentialBackoff::builder()
            .retry_bounds(self.min_backoff, self.max_backoff)
            .jitter(Jitter::Bounded)
            .build_with_max_retries(self.max_retries)
    }
}

/// The middleware: retries by the client's policy, or by the one a call set
/// (a [`RetryPolicy`] in the request's extensions).
#[derive(Debug, Clone)]
pub(crate) struct Retry {
    pub(crate) policy: RetryPolicy,
}

#[async_trait::async_trait]
impl Middleware for Retry {
    async fn handle(
        &self,
        request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let policy = extensions.get::<RetryPolicy>().cloned().unwrap_or_else(|| self.policy.clone());
        if !policy.applies_to(request.method()) {
            return next.run(request, extensions).await;
        }
        let backoff = policy.backoff_policy();
        let started = SystemTime::now();
        let mut retries = 0;
        loop {
            // A body that cannot be cloned (a stream) cannot be resent.
            let Some(attempt) = request.try_clone() else {
                return next.run(request, extensions).await;
            };
            let result = next.clone().run(attempt, extensions).await;
            let Some(retry_after) = transient(&result) else { return result };
            let wait = match backoff.should_retry(started, retries) {
                RetryDecision::Retry { execute_after } => {
                    let backoff = execute_after.duration_since(SystemTime::now()).unwrap_or_default();
                    retry_after.map_or(backoff, |after| after.min(policy.max_retry_after))
                }
                RetryDecision::DoNotRetry => return result,
            };
            drop(result);
            tokio::time::sleep(wait).await;
            retries += 1;
        }
    }
}

/// `Some` when the outcome is worth another attempt, with the server's
/// `Retry-After` if it gave one.
fn transient(result: &reqwest_middleware::Result<Response>) -> Option<Option<Duration>> {
    match result {
        Ok(response) => match response.status() {
            StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT => Some(retry_after(response.headers())),
            _ => None,
        },
        Err(reqwest_middleware::Error::Reqwest(e)) if e.is_connect() => Some(None),
        Err(_) => None,
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(SystemTime::now()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_idempotent_methods_are_retried_unless_asked() {
        let policy = RetryPolicy::default();
        assert!(policy.applies_to(&Method::GET) && policy.applies_to(&Method::DELETE));
        assert!(!policy.applies_to(&Method::POST) && !policy.applies_to(&Method::PATCH));
        assert!(policy.clone().retry_non_idempotent(true).applies_to(&Method::POST));
        assert!(!RetryPolicy::none().applies_to(&Method::GET));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let later = SystemTime::now() + Duration::from_secs(120);
        headers.insert(RETRY_AFTER, httpdate::fmt_http_date(later).parse().unwrap());
        let wait = retry_after(&headers).expect("a date");
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120), "{wait:?}");
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
