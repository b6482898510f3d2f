//! Pinterest's rate limits, per `x-ratelimit-category` (`org_read`, `ads_write`, … 13 in
//! v5.23.0; [`crate::operation::Operation::rate_limit_category`] gives each operation's).
//!
//! Every reply's `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` are kept
//! per category and readable through [`crate::Client::rate_limits`]. A 429 whose reset is at
//! most [`RateLimitPolicy::max_wait`] away is waited out and the request sent again; a longer
//! one (the Trial tier's daily limit resets up to ~24 h later) comes back at once as
//! [`crate::Error::RateLimited`] carrying the reset instant, and so does a 429 whose message is
//! about spam, which waiting does not cure. With [`RateLimitPolicy::throttle`] the client also
//! holds requests of a category whose remaining count reached 0 until its reset, so a burst
//! does not run into 429 at all.
//!
//! ```
//! use pinterest_v5::rate_limit::RateLimitPolicy;
//! use std::time::Duration;
//!
//! let policy = RateLimitPolicy::default().max_wait(Duration::from_secs(2)).throttle(true);
//! assert_eq!(policy.wait_cap(), Duration::from_secs(2));
//! ```

use crate::error::{ApiError, RateLimited};
use reqwest::header::{HeaderMap, HeaderName};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How the client reacts to rate limits.
///
/// Defaults: 429s whose reset is at most 5 s away are waited out (at most 3 times per
/// request); no client-side throttling.
///
/// ```
/// use pinterest_v5::rate_limit::RateLimitPolicy;
/// let p = RateLimitPolicy::default();
/// assert_eq!(p.wait_cap().as_secs(), 5);
/// assert!(!p.throttles());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimitPolicy {
    max_wait: Duration,
    max_retries: u32,
    throttle: bool,
}

impl Default for RateLimitPolicy {
    fn default() -> Self {
        RateLimitPolicy {
            max_wait: Duration::from_secs(5),
            max_retries: 3,
            throttle: false,
        }
    }
}

impl RateLimitPolicy {
    /// A 429 whose reset is at most this far away is waited out and the request retried;
    /// beyond it the caller gets [`crate::Error::RateLimited`] at once. The same cap bounds the
    /// waits of throttling. Default 5 s; zero never waits.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pinterest_v5::rate_limit::RateLimitPolicy::default().max_wait(Duration::ZERO);
    /// assert_eq!(p.wait_cap(), Duration::ZERO);
    /// ```
    pub fn max_wait(mut self, cap: Duration) -> Self {
        self.max_wait = cap;
        self
    }

    /// How many 429s of one request are waited out before the caller gets
    /// [`crate::Error::RateLimited`] (default 3).
    ///
    /// ```
    /// let p = pinterest_v5::rate_limit::RateLimitPolicy::default().max_retries(1);
    /// assert_eq!(p.retries(), 1);
    /// ```
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// Hold a request whose category has no request left (`X-RateLimit-Remaining: 0`) until
    /// the category resets, when that is within [`RateLimitPolicy::max_wait`] (default off).
    /// Requests sent meanwhile are counted against the last remaining figure, so a burst of
    /// concurrent requests is held too.
    ///
    /// ```
    /// let p = pinterest_v5::rate_limit::RateLimitPolicy::default().throttle(true);
    /// assert!(p.throttles());
    /// ```
    pub fn throttle(mut self, on: bool) -> Self {
        self.throttle = on;
        self
    }

    /// The longest wait for a rate limit.
    ///
    /// ```
    /// assert_eq!(pinterest_v5::rate_limit::RateLimitPolicy::default().wait_cap().as_secs(), 5);
    /// ```
    pub fn wait_cap(&self) -> Duration {
        self.max_wait
    }

    /// How many 429s of one request are waited out.
    ///
    /// ```
    /// assert_eq!(pinterest_v5::rate_limit::RateLimitPolicy::default().retries(), 3);
    /// ```
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// Whether client-side throttling is on.
    ///
    /// ```
    /// assert!(!pinterest_v5::rate_limit::RateLimitPolicy::default().throttles());
    /// ```
    pub fn throttles(&self) -> bool {
        self.throttle
    }
}

/// What the last reply of a category said about its limit.
///
/// ```no_run
/// # #[cfg(feature = "boards")]
/// # async fn demo(client: &pinterest_v5::Client) -> pinterest_v5::Result<()> {
/// client.boards_list().send().await?;
/// if let Some(state) = client.rate_limits().get("org_read") {
///     println!("{:?} of {:?} left", state.remaining, state.limit);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitState {
    /// `X-RateLimit-Limit`: requests allowed in the window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// When the window resets (`X-RateLimit-Reset` seconds after the reply was read).
    pub reset_at: Option<SystemTime>,
    /// When the reply carrying these figures was read.
    pub seen_at: SystemTime,
}

/// Rate-limit state of a client, per `x-ratelimit-category` (see [`crate::Client::rate_limits`]).
///
/// ```no_run
/// # async fn demo(client: &pinterest_v5::Client) {
/// for (category, state) in client.rate_limits().all() {
///     println!("{category}: {:?} left", state.remaining);
/// }
/// # }
/// ```
#[derive(Debug)]
pub struct RateLimits {
    policy: RateLimitPolicy,
    seen: Mutex<BTreeMap<&'static str, RateLimitState>>,
}

/// What to do with a 429.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Wait this long, then send the request again.
    RetryAfter(Duration),
    /// Hand the caller [`crate::Error::RateLimited`].
    GiveUp,
}

impl RateLimits {
    pub(crate) fn new(policy: RateLimitPolicy) -> Self {
        RateLimits {
            policy,
            seen: Mutex::new(BTreeMap::new()),
        }
    }

    /// The policy in force.
    ///
    /// ```
    /// let client = pinterest_v5::Client::builder().access_token("t").build()?;
    /// assert_eq!(client.rate_limits().policy().wait_cap().as_secs(), 5);
    /// # Ok::<(), pinterest_v5::Error>(())
    /// ```
    pub fn policy(&self) -> &RateLimitPolicy {
        &self.policy
    }

    /// The state last seen for a category (`org_read`, `ads_write`, …), if a reply of that
    /// category carried rate-limit headers.
    ///
    /// ```
    /// let client = pinterest_v5::Client::builder().access_token("t").build()?;
    /// assert_eq!(client.rate_limits().get("org_read"), None);
    /// # Ok::<(), pinterest_v5::Error>(())
    /// ```
    pub fn get(&self, category: &str) -> Option<RateLimitState> {
        self.seen.lock().ok()?.get(category).copied()
    }

    /// Every category seen so far with its last state, sorted by category.
    ///
    /// ```
    /// let client = pinterest_v5::Client::builder().access_token("t").build()?;
    /// assert!(client.rate_limits().all().is_empty());
    /// # Ok::<(), pinterest_v5::Error>(())
    /// ```
    pub fn all(&self) -> Vec<(&'static str, RateLimitState)> {
        self.seen
            .lock()
            .map(|seen| seen.iter().map(|(c, s)| (*c, *s)).collect())
            .unwrap_or_default()
    }

    /// Keeps a reply's rate-limit headers as the category's state.
    pub(crate) fn record(&self, category: &'static str, headers: &HeaderMap) {
        let Some(state) = state_from(headers, SystemTime::now()) else {
            return;
        };
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(category, state);
        }
    }

    /// Before sending a request of `category`: how long to hold it, if throttling is on and
    /// the category has no request left. A request let through is counted against the
    /// remaining figure until the next reply says otherwise.
    pub(crate) fn throttle(&self, category: &'static str) -> Option<Duration> {
        if !self.policy.throttle {
            return None;
        }
        let now = SystemTime::now();
        let mut seen = self.seen.lock().ok()?;
        let state = seen.get_mut(category)?;
        match state.remaining {
            Some(0) => {
                let wait = state
                    .reset_at
                    .and_then(|r| r.duration_since(now).ok())
                    .unwrap_or_default();
                // After the reset the window is new, its figures unknown until the next reply.
                state.remaining = None;
                // Beyond the cap the request goes as is: the server's answer decides.
                (!wait.is_zero() && wait <= self.policy.max_wait).then_some(wait)
            }
            Some(n) => {
                state.remaining = Some(n - 1);
                None
            }
            None => None,
        }
    }

    /// After a 429 (the `retries_so_far`-th of this request waited out so far): wait and retry,
    /// or give up.
    pub(crate) fn on_too_many_requests(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        retries_so_far: u32,
    ) -> Verdict {
        if retries_so_far >= self.policy.max_retries || is_about_spam(body) {
            return Verdict::GiveUp;
        }
        let now = SystemTime::now();
        let Some(reset_at) = state_from(headers, now).and_then(|s| s.reset_at) else {
            return Verdict::GiveUp;
        };
        let wait = reset_at.duration_since(now).unwrap_or_default();
        if wait <= self.policy.max_wait {
            Verdict::RetryAfter(wait)
        } else {
            Verdict::GiveUp
        }
    }
}

/// Whether a 429's message says the request was taken for spam: no wait cures that.
fn is_about_spam(body: &[u8]) -> bool {
    let message = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v.get("message")
                .and_then(|m| m.as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    message.to_ascii_lowercase().contains("spam")
}

// Looked up by name objects made at compile time (a `&str` name is parsed on every lookup).
/// `X-RateLimit-Limit`.
const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
/// `X-RateLimit-Remaining`.
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
/// `X-RateLimit-Reset`.
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

fn header_u64(headers: &HeaderMap, name: HeaderName) -> Option<u64> {
    let text = headers.get(name)?.to_str().ok()?.trim();
    text.parse::<u64>().ok().or_else(|| {
        // Tolerate `12.0`.
        text.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite() && *f >= 0.0)
            .map(|f| f.ceil() as u64)
    })
}

/// Resets this large are Unix times rather than seconds from now.
const EPOCH_THRESHOLD: u64 = 1_000_000_000;

/// The state a reply's headers describe, `None` when it has none of them.
fn state_from(headers: &HeaderMap, now: SystemTime) -> Option<RateLimitState> {
    // A glance at the few names of a reply is cheaper than three hashed lookups.
    if !headers
        .keys()
        .any(|name| name.as_str().starts_with("x-ratelimit-"))
    {
        return None;
    }
    let limit = header_u64(headers, LIMIT);
    let remaining = header_u64(headers, REMAINING);
    let reset_at = header_u64(headers, RESET).map(|secs| {
        if secs >= EPOCH_THRESHOLD {
            UNIX_EPOCH + Duration::from_secs(secs)
        } else {
            now + Duration::from_secs(secs)
        }
    });
    if limit.is_none() && remaining.is_none() && reset_at.is_none() {
        return None;
    }
    Some(RateLimitState {
        limit,
        remaining,
        reset_at,
        seen_at: now,
    })
}

/// The [`RateLimited`] error for a 429 reply.
pub(crate) fn rate_limited_from(api: &ApiError, category: Option<&'static str>) -> RateLimited {
    let state = state_from(&api.headers, SystemTime::now());
    RateLimited {
        category,
        reset_at: state.and_then(|s| s.reset_at),
        limit: state.and_then(|s| s.limit),
        remaining: state.and_then(|s| s.remaining),
        message: api.message.clone(),
        request_id: api.request_id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(reset: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-reset", HeaderValue::from_str(reset).unwrap());
        h
    }

    #[test]
    fn a_reset_within_the_cap_is_waited_out() {
        let limits = RateLimits::new(RateLimitPolicy::default());
        assert_eq!(
            limits.on_too_many_requests(&headers("2"), b"{}", 0),
            Verdict::RetryAfter(Duration::from_secs(2))
        );
        assert_eq!(
            limits.on_too_many_requests(&headers("2"), b"{}", 3),
            Verdict::GiveUp
        );
    }

    #[test]
    fn a_reset_given_as_a_unix_time_is_read_as_one() {
        let now = SystemTime::now();
        let at = now.duration_since(UNIX_EPOCH).unwrap().as_secs() + 3600;
        let state = state_from(&headers(&at.to_string()), now).unwrap();
        let wait = state.reset_at.unwrap().duration_since(now).unwrap();
        assert!(wait > Duration::from_secs(3590) && wait <= Duration::from_secs(3600));
    }

    #[test]
    fn a_spam_message_is_never_waited_out() {
        let limits = RateLimits::new(RateLimitPolicy::default());
        let body = br#"{"code":8,"message":"Your request was blocked as Spam."}"#;
        assert_eq!(
            limits.on_too_many_requests(&headers("1"), body, 0),
            Verdict::GiveUp
        );
    }
}
