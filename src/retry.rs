//! Retries of failed requests: which failures, how often, how long to wait.

use reqwest::{Method, StatusCode};
use std::time::Duration;

/// When and how failed requests are retried.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (default 3).
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: 3 }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1 }
    }

    pub(crate) fn after_error(
        &self,
        _method: &Method,
        _attempt: u32,
        _elapsed: Duration,
        _error: &reqwest::Error,
    ) -> Option<Duration> {
        None
    }

    pub(crate) fn after_status(
        &self,
        _method: &Method,
        _attempt: u32,
        _elapsed: Duration,
        _status: StatusCode,
    ) -> Option<Duration> {
        None
    }
}
