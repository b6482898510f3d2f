//! Retries of failed requests: which failures, how often, how long to wait.
//!
//! A request that got no answer (connection refused or reset, timeout) or a 5xx answer is sent
//! again after an exponential backoff with jitter, as long as attempts and the time budget
//! allow, and only when replaying it is safe: `GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE` are
//! idempotent; `POST` and `PATCH` are replayed only if the policy says so
//! ([`RetryPolicy::retry_non_idempotent`]), since Pinterest may have acted on the first one.
//!
//! A request the server refused before processing it (an HTTP/2 stream reset with
//! `REFUSED_STREAM`, or a graceful `GOAWAY` it came after) is different: nothing was done, so it
//! is sent again at once, whatever its method and the policy, up to twice. `reqwest` does this by
//! default, at the price of a copy of every request before it is sent;
//! [`http_client_builder`](crate::client::http_client_builder), which the client's own HTTP
//! client is built from, turns `reqwest`'s layer off, and the client does it here.
//!
//! Every wait of the client (backoffs, rate-limit waits) goes through its [`Sleeper`], which
//! tests replace to make waits instant and observable.
//!
//! ```
//! use pinterest_v5::client::retry::RetryPolicy;
//! use std::time::Duration;
//!
//! let policy = RetryPolicy::default()
//!     .max_attempts(5)
//!     .initial_backoff(Duration::from_millis(200))
//!     .budget(Duration::from_secs(20));
//! assert_eq!(policy.attempts(), 5);
//! ```

use reqwest::{Method, StatusCode};
use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::time::Duration;

/// When and how failed requests are retried.
///
/// Defaults: 3 attempts, backoff 250 ms doubling up to 8 s, jitter 0.5 (each wait is drawn
/// between half and all of the backoff), 30 s budget, `POST`/`PATCH` never replayed. A
/// request the server refused unprocessed is sent again whatever the policy (see the
/// [module documentation](self)).
///
/// ```
/// use pinterest_v5::client::retry::RetryPolicy;
/// let never = RetryPolicy::none();
/// assert_eq!(never.attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    multiplier: f64,
    jitter: f64,
    budget: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            multiplier: 2.0,
            jitter: 0.5,
            budget: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry: one attempt (a request the server refused unprocessed is still sent
    /// again, see the [module documentation](self)).
    ///
    /// ```
    /// assert_eq!(pinterest_v5::client::retry::RetryPolicy::none().attempts(), 1);
    /// ```
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Attempts in all, the first included (at least 1; default 3).
    ///
    /// ```
    /// let p = pinterest_v5::client::retry::RetryPolicy::default().max_attempts(0);
    /// assert_eq!(p.attempts(), 1);
    /// ```
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry (default 250 ms); each later one is `multiplier` times
    /// longer, up to [`RetryPolicy::max_backoff`].
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pinterest_v5::client::retry::RetryPolicy::default().initial_backoff(Duration::from_millis(10));
    /// assert_eq!(p.backoff(1), Duration::from_millis(10));
    /// ```
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest wait between two attempts (default 8 s).
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pinterest_v5::client::retry::RetryPolicy::default()
    ///     .initial_backoff(Duration::from_secs(1))
    ///     .max_backoff(Duration::from_secs(3));
    /// assert_eq!(p.backoff(5), Duration::from_secs(3));
    /// ```
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// How much longer each backoff is than the one before (at least 1; default 2).
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pinterest_v5::client::retry::RetryPolicy::default()
    ///     .initial_backoff(Duration::from_millis(100))
    ///     .multiplier(3.0);
    /// assert_eq!(p.backoff(3), Duration::from_millis(900));
    /// ```
    pub fn multiplier(mut self, factor: f64) -> Self {
        self.multiplier = if factor.is_finite() {
            factor.max(1.0)
        } else {
            1.0
        };
        self
    }

    /// The share of each backoff drawn at random, 0 to 1 (default 0.5): the wait lies between
    /// `(1 - jitter) × backoff` and the backoff, so that many clients failing together do not
    /// retry together. 0 makes waits exact.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pinterest_v5::client::retry::RetryPolicy::default().jitter(0.0);
    /// assert_eq!(p.wait_before(2), p.backoff(2));
    /// ```
    pub fn jitter(mut self, share: f64) -> Self {
        self.jitter = if share.is_finite() {
            share.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self
    }

    /// The time allowed for a request, retries and waits included (default 30 s): no retry
    /// is started whose wait would end past it.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pinterest_v5::client::retry::RetryPolicy::default().budget(Duration::from_secs(5));
    /// assert_eq!(p.time_budget(), Duration::from_secs(5));
    /// ```
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Also replay `POST` and `PATCH` requests (default false). Only for requests the caller
    /// knows are safe to repeat: Pinterest may have acted on a request whose reply was lost.
    ///
    /// ```
    /// use reqwest::Method;
    /// let p = pinterest_v5::client::retry::RetryPolicy::default();
    /// assert!(!p.may_replay(&Method::POST));
    /// assert!(p.retry_non_idempotent(true).may_replay(&Method::POST));
    /// ```
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = yes;
        self
    }

    /// Attempts in all, the first included.
    ///
    /// ```
    /// assert_eq!(pinterest_v5::client::retry::RetryPolicy::default().attempts(), 3);
    /// ```
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The time budget of one request.
    ///
    /// ```
    /// use std::time::Duration;
    /// assert_eq!(pinterest_v5::client::retry::RetryPolicy::default().time_budget(), Duration::from_secs(30));
    /// ```
    pub fn time_budget(&self) -> Duration {
        self.budget
    }

    /// Whether a request with this method may be sent again.
    ///
    /// ```
    /// use reqwest::Method;
    /// let p = pinterest_v5::client::retry::RetryPolicy::default();
    /// assert!(p.may_replay(&Method::GET) && p.may_replay(&Method::DELETE) && p.may_replay(&Method::PUT));
    /// assert!(!p.may_replay(&Method::PATCH));
    /// ```
    pub fn may_replay(&self, method: &Method) -> bool {
        let idempotent = matches!(
            *method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
        );
        idempotent || self.retry_non_idempotent
    }

    /// The backoff before retry number `retry` (1 for the first retry), before jitter.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pinterest_v5::client::retry::RetryPolicy::default().initial_backoff(Duration::from_millis(100));
    /// assert_eq!(p.backoff(1), Duration::from_millis(100));
    /// assert_eq!(p.backoff(2), Duration::from_millis(200));
    /// assert_eq!(p.backoff(3), Duration::from_millis(400));
    /// ```
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = i32::try_from(retry.saturating_sub(1)).unwrap_or(i32::MAX);
        let secs = self.initial_backoff.as_secs_f64() * self.multiplier.powi(exponent);
        let capped = secs.min(self.max_backoff.as_secs_f64());
        Duration::try_from_secs_f64(capped).unwrap_or(self.max_backoff)
    }

    /// The wait before retry number `retry`: its backoff with jitter applied.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pinterest_v5::client::retry::RetryPolicy::default().initial_backoff(Duration::from_millis(100));
    /// let wait = p.wait_before(1);
    /// assert!(wait >= Duration::from_millis(50) && wait <= Duration::from_millis(100));
    /// ```
    pub fn wait_before(&self, retry: u32) -> Duration {
        let backoff = self.backoff(retry);
        if self.jitter == 0.0 {
            return backoff;
        }
        backoff.mul_f64(1.0 - self.jitter * random_unit())
    }

    /// After attempt `attempt` (1 for the first) failed with a transport error, `elapsed`
    /// after the first was sent: the wait before the next, or `None` to give up.
    pub(crate) fn after_error(
        &self,
        method: &Method,
        attempt: u32,
        elapsed: Duration,
        error: &reqwest::Error,
    ) -> Option<Duration> {
        if !(error.is_connect() || error.is_timeout()) {
            return None;
        }
        self.next_wait(method, attempt, elapsed)
    }

    /// After attempt `attempt` was answered with `status`: the wait before the next, or
    /// `None` to give up (only 5xx answers other than 501 and 505 are retried).
    pub(crate) fn after_status(
        &self,
        method: &Method,
        attempt: u32,
        elapsed: Duration,
        status: StatusCode,
    ) -> Option<Duration> {
        let retryable = status.is_server_error()
            && status != StatusCode::NOT_IMPLEMENTED
            && status != StatusCode::HTTP_VERSION_NOT_SUPPORTED;
        if !retryable {
            return None;
        }
        self.next_wait(method, attempt, elapsed)
    }

    fn next_wait(&self, method: &Method, attempt: u32, elapsed: Duration) -> Option<Duration> {
        if !self.may_replay(method) || attempt >= self.max_attempts {
            return None;
        }
        let wait = self.wait_before(attempt);
        (elapsed.saturating_add(wait) <= self.budget).then_some(wait)
    }
}

/// How many times a request the server refused unprocessed is sent again (as `reqwest`'s
/// default retry layer does): see [`refused_unprocessed`].
pub(crate) const UNPROCESSED_RESENDS: u32 = 2;

/// Whether the server refused the request before processing any of it, so that sending it
/// again is safe whatever its method (RFC 9113, section 8.7): an HTTP/2 stream reset with
/// `REFUSED_STREAM`, or a graceful `GOAWAY` (`NO_ERROR`) that the request came after. Both
/// come from the server (a reset the client made itself is not a refusal).
pub(crate) fn refused_unprocessed(error: &reqwest::Error) -> bool {
    let mut cause = std::error::Error::source(error);
    while let Some(e) = cause {
        if let Some(h2) = e.downcast_ref::<h2::Error>() {
            let refused = h2.is_reset() && h2.reason() == Some(h2::Reason::REFUSED_STREAM);
            let going_away = h2.is_go_away() && h2.reason() == Some(h2::Reason::NO_ERROR);
            return h2.is_remote() && (refused || going_away);
        }
        cause = e.source();
    }
    false
}

/// A number in `[0, 1)`, random enough for jitter (std's per-process random hash keys).
fn random_unit() -> f64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos().into())
            .unwrap_or(0),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The future of one wait of a [`Sleeper`].
///
/// ```
/// use pinterest_v5::client::retry::SleepFuture;
/// let no_wait: SleepFuture = Box::pin(async {});
/// ```
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// How the client waits: between retries, for a rate limit to reset, while throttling.
/// The default is [`TokioSleeper`]; tests give one that returns at once and records the waits
/// (see [`crate::ClientBuilder::sleeper`]).
///
/// ```
/// use pinterest_v5::client::retry::{SleepFuture, Sleeper};
/// use std::sync::{Arc, Mutex};
/// use std::time::Duration;
///
/// /// Records each wait and returns at once.
/// #[derive(Debug, Default)]
/// struct Instant(Mutex<Vec<Duration>>);
/// impl Sleeper for Instant {
///     fn sleep(&self, wait: Duration) -> SleepFuture {
///         if let Ok(mut waits) = self.0.lock() {
///             waits.push(wait);
///         }
///         Box::pin(async {})
///     }
/// }
/// let sleeper = Arc::new(Instant::default());
/// # let client =
/// pinterest_v5::Client::builder().access_token("t").sleeper(sleeper.clone()).build()?;
/// # Ok::<(), pinterest_v5::Error>(())
/// ```
pub trait Sleeper: fmt::Debug + Send + Sync {
    /// Waits `wait`.
    ///
    /// ```
    /// use pinterest_v5::client::retry::{Sleeper, TokioSleeper};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let sleeper: &dyn Sleeper = &TokioSleeper;
    /// sleeper.sleep(std::time::Duration::ZERO).await;
    /// # }
    /// ```
    fn sleep(&self, wait: Duration) -> SleepFuture;
}

/// Waits with `tokio::time::sleep` (the default [`Sleeper`]).
///
/// ```
/// use pinterest_v5::client::retry::{Sleeper, TokioSleeper};
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// TokioSleeper.sleep(std::time::Duration::from_millis(1)).await;
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, wait: Duration) -> SleepFuture {
        Box::pin(tokio::time::sleep(wait))
    }
}
