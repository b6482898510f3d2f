//! Building a [`Client`]: environment, credentials, retries, rate limits, timeouts.
//!
//! The generated `Client` (one method per operation) carries an [`Inner`] with everything the
//! hand-written layers need; every request goes through one loop (`send`): the bearer token and
//! its refresh, rate limits, retries, and the reply's error.
//!
//! # What a client reports
//!
//! Through [`tracing`](https://docs.rs/tracing), under the target `pinterest_v5`:
//!
//! - a `request` span (`DEBUG`) per request, retries and waits included, with `operation`
//!   (`pins_create`), `operation_id` (the description's, `pins/create`), `method` and `path`,
//!   the path's template (`/pins/{pin_id}`);
//! - a `reply` event (`DEBUG`) per attempt answered, with `attempt`, `status` and `request_id`
//!   (Pinterest's `x-pinterest-rid`, which its support asks for), and a `no reply` event with
//!   the cause when an attempt got none;
//! - an `INFO` event before each wait: a retry (`attempt`, `status` or `error`, `wait_ms`), a
//!   429 waited out or a request held by throttling (`category`, `wait_ms`);
//! - an event when a token refresh starts and ends (`INFO`, with the new token's `expires_at`;
//!   `WARN` with the `error` when it fails).
//!
//! No header, token, client secret or URL is ever recorded (a query value may carry anything).
//! Without a subscriber that wants these levels, each costs a check of the level filter.

mod call;
mod environment;
pub mod rate_limit;
pub mod retry;
pub(crate) mod send;

pub(crate) mod trace;

pub use crate::http::http_client_builder;
pub use call::CallParams;
pub(crate) use environment::BaseUrl;
pub use environment::{CustomUrl, Environment};

use crate::auth::TokenManager;
use crate::http::{DEFAULT_CONNECT_TIMEOUT, default_pool_idle_timeout, http_client, user_agent};
use crate::{Client, Error};
use rate_limit::{RateLimitPolicy, RateLimits};
use retry::{RetryPolicy, Sleeper, TokioSleeper};
use std::sync::Arc;
use std::time::Duration;

/// State shared by every request of a [`Client`] (progenitor's "inner type").
#[derive(Clone, Debug)]
pub struct Inner {
    pub(crate) environment: Environment,
    /// The environment's base URL, parsed once.
    pub(crate) base: crate::client::BaseUrl,
    pub(crate) auth: Option<Arc<TokenManager>>,
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limits: Arc<RateLimits>,
    pub(crate) sleeper: Arc<dyn Sleeper>,
}

impl Client {
    /// Starts building a client.
    ///
    /// ```
    /// use pinterest_v5::{Client, Environment};
    /// let client = Client::builder()
    ///     .environment(Environment::Sandbox)
    ///     .access_token("pina_test_token")
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(client.environment(), &Environment::Sandbox);
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A production client authorised by a bare access token (for example the 24-hour test
    /// token from Pinterest's developer portal). It cannot refresh.
    pub fn with_access_token(token: impl Into<String>) -> Result<Client, Error> {
        Client::builder().access_token(token).build()
    }

    /// Where this client sends requests.
    pub fn environment(&self) -> &Environment {
        &self.inner.environment
    }

    /// The rate-limit state last seen per category (see [`RateLimits`]).
    pub fn rate_limits(&self) -> &RateLimits {
        &self.inner.rate_limits
    }

    /// The token manager, when the client was given credentials.
    pub fn token_manager(&self) -> Option<&TokenManager> {
        self.inner.auth.as_deref()
    }
}

/// Configures and builds a [`Client`]. Every setting has a default: production, retries of
/// idempotent requests, rate-limit waits of at most 5 s, 10 s to connect, no limit per request
/// (a dead connection still ends: see [`timeout`](Self::timeout)), idle connections kept 30 s.
#[derive(Default)]
pub struct ClientBuilder {
    environment: Option<Environment>,
    auth: Option<TokenManager>,
    retry: Option<RetryPolicy>,
    rate_limit: Option<RateLimitPolicy>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    user_agent: Option<String>,
    reqwest: Option<reqwest::Client>,
    sleeper: Option<Arc<dyn Sleeper>>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("environment", &self.environment)
            .field("auth", &self.auth)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Production (default), sandbox, or a custom base URL.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// Authorise with a bare access token, which is never refreshed.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.auth = Some(TokenManager::from_access_token(token));
        self
    }

    /// Authorise with a token manager: bearer injection, refresh before expiry and after a 401,
    /// rotated tokens saved to its store (see [`crate::auth`]).
    pub fn token_manager(mut self, manager: TokenManager) -> Self {
        self.auth = Some(manager);
        self
    }

    /// How failed requests are retried (see [`RetryPolicy`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// How 429 replies are waited out and bursts throttled (see [`RateLimitPolicy`]).
    pub fn rate_limit_policy(mut self, policy: RateLimitPolicy) -> Self {
        self.rate_limit = Some(policy);
        self
    }

    /// Time allowed to connect (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for each request, reply included (default: no limit).
    ///
    /// Without it, a request still ends when its connection dies: the client's sockets send
    /// TCP keepalive probes after 15 s of silence (every 15 s, 3 unanswered end the
    /// connection) and, on Linux, give up on data unacknowledged for 30 s. Only a server that
    /// keeps the connection alive but never answers (a stuck proxy, say) can hold a request
    /// longer: set a limit when you talk through one.
    ///
    /// The limit is a timer armed for every request: on loopback, a 60 s limit cost raw
    /// `reqwest` 0.6-3.8 % of its throughput (README, *Performance*), which is why none is set
    /// by default.
    ///
    /// Token requests have a limit of their own (see
    /// [`OAuthApp::request_timeout`](crate::auth::OAuthApp::request_timeout)).
    ///
    /// ```
    /// use std::time::Duration;
    /// let client = pinterest_v5::Client::builder()
    ///     .access_token("t")
    ///     .timeout(Duration::from_secs(30))
    ///     .build()?;
    /// # Ok::<(), pinterest_v5::Error>(())
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long an unused connection is kept for the next request (default 30 s, or half the
    /// [`timeout`](Self::timeout) when one is set and that is shorter).
    ///
    /// The default stays under the 60 s after which common load balancers drop an idle
    /// connection, and under each request's deadline when there is one. The second is for
    /// speed: while the pool's sweep of idle connections waits on a timer due before a
    /// request's deadline, tokio's timer driver does not have to be woken to arm that
    /// deadline: with `reqwest`'s default (90 s) every request woke a thread (benches/README.md
    /// has the figures).
    ///
    /// ```
    /// use std::time::Duration;
    /// let client = pinterest_v5::Client::builder()
    ///     .access_token("t")
    ///     .pool_idle_timeout(Duration::from_secs(20))
    ///     .build()?;
    /// # Ok::<(), pinterest_v5::Error>(())
    /// ```
    pub fn pool_idle_timeout(mut self, idle: Duration) -> Self {
        self.pool_idle_timeout = Some(idle);
        self
    }

    /// The `User-Agent` sent (default `pinterest-v5-rust/<version>`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// How the client waits between retries, for rate limits and between the status calls
    /// of a report (default [`TokioSleeper`]); tests pass one that returns at once.
    ///
    /// ```
    /// use pinterest_v5::client::retry::TokioSleeper;
    /// let client = pinterest_v5::Client::builder()
    ///     .access_token("t")
    ///     .sleeper(std::sync::Arc::new(TokioSleeper))
    ///     .build()?;
    /// # Ok::<(), pinterest_v5::Error>(())
    /// ```
    pub fn sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = Some(sleeper);
        self
    }

    /// Use this `reqwest::Client` as is (its own timeouts, pool and TLS settings apply). Start
    /// it from [`http_client_builder`], which installs the TLS provider, and, if it has a
    /// total timeout, keep idle connections for less than that (see
    /// [`pool_idle_timeout`](Self::pool_idle_timeout) for why).
    ///
    /// The builder's transport settings, [`timeout`](Self::timeout),
    /// [`connect_timeout`](Self::connect_timeout),
    /// [`pool_idle_timeout`](Self::pool_idle_timeout) and [`user_agent`](Self::user_agent),
    /// belong to a `reqwest` client the builder makes itself: with a client of your own,
    /// [`build`](Self::build) refuses them with [`Error::Config`] rather than drop them
    /// unseen. Set them on the `reqwest::ClientBuilder` instead (`.timeout(…)`,
    /// `.connect_timeout(…)`, `.pool_idle_timeout(…)`, `.user_agent(…)`).
    ///
    /// ```
    /// use std::time::Duration;
    /// let http = pinterest_v5::client::http_client_builder().build().unwrap();
    /// let refused = pinterest_v5::Client::builder()
    ///     .reqwest_client(http)
    ///     .timeout(Duration::from_secs(30))
    ///     .build();
    /// assert!(matches!(refused, Err(pinterest_v5::Error::Config(_))));
    /// ```
    ///
    /// [`http_client_builder`] also turns off `reqwest`'s own retry layer, which the client
    /// replaces (see [`retry`]). A client built without it keeps the layer: it
    /// then copies every request before sending it, and a refused request may be sent again by
    /// both.
    ///
    /// ```
    /// let http = pinterest_v5::client::http_client_builder()
    ///     .http2_adaptive_window(true)
    ///     .build()
    ///     .unwrap();
    /// let client = pinterest_v5::Client::builder().reqwest_client(http).build().unwrap();
    /// # let _ = client;
    /// ```
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.reqwest = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let environment = self.environment.unwrap_or_default();
        let http = match self.reqwest {
            Some(c) => {
                let ignored: Vec<&str> = [
                    ("timeout", self.timeout.is_some()),
                    ("connect_timeout", self.connect_timeout.is_some()),
                    ("pool_idle_timeout", self.pool_idle_timeout.is_some()),
                    ("user_agent", self.user_agent.is_some()),
                ]
                .into_iter()
                .filter_map(|(setter, set)| set.then_some(setter))
                .collect();
                if !ignored.is_empty() {
                    let setters = ignored
                        .iter()
                        .map(|s| format!("ClientBuilder::{s}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let calls = ignored
                        .iter()
                        .map(|s| format!(".{s}(…)"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    return Err(Error::Config(format!(
                        "{setters} cannot apply to the reqwest client given with ClientBuilder::reqwest_client, which keeps its own settings; set them on its reqwest::ClientBuilder instead ({calls}) and drop them from the ClientBuilder"
                    )));
                }
                c
            }
            None => http_client(
                self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
                self.timeout,
                self.pool_idle_timeout
                    .unwrap_or_else(|| default_pool_idle_timeout(self.timeout)),
                user_agent(self.user_agent)?,
            )?,
        };
        if let Some(auth) = &self.auth {
            // Token requests go to the client's environment through its HTTP client, unless
            // the manager's app names its own.
            auth.attach(&environment, &http);
        }
        let inner = Inner {
            base: crate::client::BaseUrl::new(environment.base_url()),
            environment: environment.clone(),
            auth: self.auth.map(Arc::new),
            retry: self.retry.unwrap_or_default(),
            rate_limits: Arc::new(RateLimits::new(self.rate_limit.unwrap_or_default())),
            sleeper: self.sleeper.unwrap_or_else(|| Arc::new(TokioSleeper)),
        };
        Ok(Client::new_with_client(environment.base_url(), http, inner))
    }
}
