//! What the client reports through [`tracing`]: a span per request, an event per reply, per
//! wait before a retry or for a rate limit, and per token refresh. All under the target
//! `pinterest_v5`; spans and replies at `DEBUG`, waits and refreshes at `INFO` (a failed
//! refresh at `WARN`).
//!
//! Nothing secret is recorded: no header (the bearer, the app's Basic credentials), no token,
//! no URL (a query value may carry anything). A request is named by its operation (`name`, the
//! description's `operation_id`), its method and its path *template* (`/pins/{pin_id}`); a
//! reply by its status, its attempt and Pinterest's request id (`x-pinterest-rid`), which
//! Pinterest's support asks for.
//!
//! Without a subscriber, or with one that leaves `pinterest_v5` out, each call costs a check of
//! the level filter: the span is `Span::none()`, no field is computed, and a request's future is
//! not wrapped (bench `request_overhead`, README, *Performance*).

use crate::operation::Operation;
use futures::future::Either;
use reqwest::header::HeaderName;
use reqwest::{Method, Response, StatusCode};
use std::fmt;
use std::pin::Pin;
use std::time::Duration;
use tracing::instrument::{Instrument, Instrumented};
use tracing::{Level, Span};

/// The target of every span and event.
const TARGET: &str = "pinterest_v5";
/// Pinterest's request id.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-pinterest-rid");

/// The span of one request, attempts and waits included: disabled (`Span::none()`) unless a
/// subscriber wants `DEBUG` of `pinterest_v5`.
pub(crate) fn request_span(op: Option<&'static Operation>, method: &Method) -> Span {
    match op {
        Some(op) => tracing::span!(
            target: TARGET,
            Level::DEBUG,
            "request",
            operation = op.name,
            operation_id = op.operation_id,
            method = op.method,
            path = op.path,
        ),
        None => tracing::span!(target: TARGET, Level::DEBUG, "request", method = method.as_str()),
    }
}

/// `future` inside `span`, or `future` itself when the span is disabled: without a subscriber a
/// request's future stays as it is, with no span to enter and leave at every poll.
pub(crate) fn instrument<F: Future>(span: Span, future: F) -> Either<Pin<Box<Instrumented<F>>>, F> {
    if span.is_disabled() {
        Either::Right(future)
    } else {
        Either::Left(Box::pin(future.instrument(span)))
    }
}

/// Attempt `attempt` (1 for the first) got `response`.
pub(crate) fn reply(attempt: u32, response: &Response) {
    tracing::event!(
        target: TARGET,
        Level::DEBUG,
        attempt,
        status = response.status().as_u16(),
        request_id = response
            .headers()
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok()),
        "reply",
    );
}

/// Attempt `attempt` got no reply.
pub(crate) fn no_reply(attempt: u32, error: &reqwest::Error) {
    tracing::event!(
        target: TARGET,
        Level::DEBUG,
        attempt,
        error = %Cause(error),
        "no reply",
    );
}

/// The server refused the request unprocessed: it is sent again at once.
pub(crate) fn resend_unprocessed(attempt: u32) {
    tracing::event!(
        target: TARGET,
        Level::DEBUG,
        attempt,
        "refused unprocessed by the server; sending again",
    );
}

/// Attempt `attempt` failed without a reply; the next starts after `wait`.
pub(crate) fn retry_after_error(attempt: u32, error: &reqwest::Error, wait: Duration) {
    tracing::event!(
        target: TARGET,
        Level::INFO,
        attempt,
        error = %Cause(error),
        wait_ms = millis(wait),
        "retrying after a failed attempt",
    );
}

/// Attempt `attempt` was answered `status`; the next starts after `wait`.
pub(crate) fn retry_after_status(attempt: u32, status: StatusCode, wait: Duration) {
    tracing::event!(
        target: TARGET,
        Level::INFO,
        attempt,
        status = status.as_u16(),
        wait_ms = millis(wait),
        "retrying after a server error",
    );
}

/// A 429 is waited out for `wait`.
pub(crate) fn rate_limited(category: Option<&'static str>, wait: Duration) {
    tracing::event!(
        target: TARGET,
        Level::INFO,
        category,
        wait_ms = millis(wait),
        "rate limited (429); waiting for the reset",
    );
}

/// A request of `category` is held for `wait`: the category has no request left.
pub(crate) fn throttled(category: Option<&'static str>, wait: Duration) {
    tracing::event!(
        target: TARGET,
        Level::INFO,
        category,
        wait_ms = millis(wait),
        "no request left in the rate-limit category; holding the request until its reset",
    );
}

/// A 401 answered attempt `attempt`: the token is refreshed and the request sent again.
pub(crate) fn unauthorized(attempt: u32) {
    tracing::event!(
        target: TARGET,
        Level::DEBUG,
        attempt,
        "unauthorized (401); refreshing the token, then sending again",
    );
}

/// A token refresh starts (one at a time, however many requests wait for it).
pub(crate) fn refresh_started() {
    tracing::event!(target: TARGET, Level::INFO, "token refresh started");
}

/// A token refresh found a token that another process sharing the store had saved meanwhile,
/// and uses it as it is.
pub(crate) fn refresh_adopted() {
    tracing::event!(
        target: TARGET,
        Level::INFO,
        "token refreshed by another process sharing the store; using the one it saved",
    );
}

/// A token refresh ended: the new token's expiry (saved to the store first, when there is
/// one), or why it failed.
pub(crate) fn refresh_finished(
    outcome: Result<Option<chrono::DateTime<chrono::Utc>>, &crate::Error>,
) {
    match outcome {
        Ok(expires_at) => tracing::event!(
            target: TARGET,
            Level::INFO,
            expires_at = expires_at.map(|at| tracing::field::display(at.to_rfc3339())),
            "token refreshed",
        ),
        Err(error) => tracing::event!(
            target: TARGET,
            Level::WARN,
            error = %error,
            "token refresh failed",
        ),
    }
}

fn millis(wait: Duration) -> u64 {
    u64::try_from(wait.as_millis()).unwrap_or(u64::MAX)
}

/// A transport error without its URL: what kind of failure, and its causes.
struct Cause<'a>(&'a reqwest::Error);

impl fmt::Display for Cause<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "could not connect"
        } else if e.is_body() || e.is_decode() {
            "the body failed"
        } else {
            "the request failed"
        };
        f.write_str(kind)?;
        let mut cause = std::error::Error::source(e);
        while let Some(c) = cause {
            write!(f, ": {c}")?;
            cause = c.source();
        }
        Ok(())
    }
}
