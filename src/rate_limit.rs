//! Pinterest's rate limits: the last `X-RateLimit-*` headers seen per category, waiting out
//! short 429s, and failing fast on long ones.

use crate::error::{ApiError, RateLimited};
use reqwest::header::HeaderMap;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// How the client reacts to rate limits.
#[derive(Clone, Debug)]
pub struct RateLimitPolicy {
    /// A 429 whose reset is at most this far away is waited out and the request retried;
    /// beyond it the caller gets [`crate::Error::RateLimited`] at once. Default 5 s.
    pub max_wait: Duration,
}

impl Default for RateLimitPolicy {
    fn default() -> Self {
        RateLimitPolicy {
            max_wait: Duration::from_secs(5),
        }
    }
}

/// What the last reply of a category said about its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitState {
    /// `X-RateLimit-Limit`.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`.
    pub remaining: Option<u64>,
    /// When the window resets (`X-RateLimit-Reset` seconds after the reply).
    pub reset_at: Option<SystemTime>,
}

/// Rate-limit state of a client, per `x-ratelimit-category`.
#[derive(Debug)]
pub struct RateLimits {
    policy: RateLimitPolicy,
    seen: Mutex<HashMap<&'static str, RateLimitState>>,
}

/// What to do with a 429.
pub(crate) enum Verdict {
    RetryAfter(Duration),
    GiveUp,
}

impl RateLimits {
    pub(crate) fn new(policy: RateLimitPolicy) -> Self {
        RateLimits {
            policy,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// The state last seen for a category (`org_read`, `ads_write`, …).
    pub fn get(&self, category: &str) -> Option<RateLimitState> {
        self.seen.lock().ok()?.get(category).copied()
    }

    pub(crate) fn record(&self, category: &'static str, headers: &HeaderMap) {
        let state = state_from(headers);
        if state.limit.is_none() && state.remaining.is_none() && state.reset_at.is_none() {
            return;
        }
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(category, state);
        }
    }

    pub(crate) async fn throttle(&self, _category: &'static str) {}

    pub(crate) fn on_too_many_requests(
        &self,
        _category: Option<&'static str>,
        headers: &HeaderMap,
        _body: &[u8],
        _elapsed: Duration,
    ) -> Verdict {
        match header_u64(headers, "x-ratelimit-reset") {
            Some(secs) if Duration::from_secs(secs) <= self.policy.max_wait => {
                Verdict::RetryAfter(Duration::from_secs(secs))
            }
            _ => Verdict::GiveUp,
        }
    }
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

fn state_from(headers: &HeaderMap) -> RateLimitState {
    RateLimitState {
        limit: header_u64(headers, "x-ratelimit-limit"),
        remaining: header_u64(headers, "x-ratelimit-remaining"),
        reset_at: header_u64(headers, "x-ratelimit-reset")
            .map(|s| SystemTime::now() + Duration::from_secs(s)),
    }
}

/// The [`RateLimited`] error for a 429 reply.
pub(crate) fn rate_limited_from(api: &ApiError, category: Option<&'static str>) -> RateLimited {
    let state = state_from(&api.headers);
    RateLimited {
        category,
        reset_at: state.reset_at,
        limit: state.limit,
        remaining: state.remaining,
        message: api.message.clone(),
        request_id: api.request_id.clone(),
    }
}
