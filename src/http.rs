//! The HTTP client every part of the crate shares: the API's requests (`client/`) and the
//! token endpoint (`auth/`).

use crate::Error;
use reqwest::header::HeaderValue;
use std::time::Duration;

/// Time allowed to connect, unless the builder says otherwise.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection may be silent before keepalive probes start, and between probes.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// Unanswered keepalive probes after which a connection is dropped.
const KEEPALIVE_PROBES: u32 = 3;
/// How long sent data may stay unacknowledged before the connection is dropped (Linux).
#[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
const UNACKNOWLEDGED: Duration = Duration::from_secs(30);
/// The `User-Agent` sent, unless the builder says otherwise.
pub(crate) const DEFAULT_USER_AGENT: &str =
    concat!("pinterest-v5-rust/", env!("CARGO_PKG_VERSION"));

/// The `User-Agent` value: the default one is static, so that adding it to each request copies
/// no bytes and counts no references.
pub(crate) fn user_agent(custom: Option<String>) -> Result<HeaderValue, Error> {
    match custom {
        None => Ok(HeaderValue::from_static(DEFAULT_USER_AGENT)),
        Some(agent) => HeaderValue::try_from(agent).map_err(|_| {
            Error::Config(
                "the user agent must be visible ASCII text without line breaks; change the value given to ClientBuilder::user_agent".into(),
            )
        }),
    }
}

/// 30 s, or half of `timeout` when one is set and that is shorter (see
/// [`ClientBuilder::pool_idle_timeout`]).
pub(crate) fn default_pool_idle_timeout(timeout: Option<Duration>) -> Duration {
    let idle = Duration::from_secs(30);
    timeout.map_or(idle, |timeout| idle.min(timeout / 2))
}

/// A `reqwest::ClientBuilder` ready for TLS: the crate's rustls `ring` provider is installed
/// process-wide first (unless one already is). Build a custom client from it for
/// [`ClientBuilder::reqwest_client`](crate::ClientBuilder::reqwest_client); a `reqwest` client built without a provider panics on
/// its first request.
///
/// It also turns off `reqwest`'s default retry layer, which copies every request's head before
/// sending it, retried or not (about 1 % of a loopback `GET`'s throughput: bench
/// `request_overhead`, figures in benches/README.md). The client sends a request the server refused
/// unprocessed again itself (see [`retry`](crate::client::retry)). With no retries allowed, the layer
/// copies no request; `reqwest::retry::never()` alone would, since its scope is asked only once
/// a retry has run.
///
/// ```
/// let http = pinterest_v5::client::http_client_builder()
///     .pool_max_idle_per_host(4)
///     .build()
///     .unwrap();
/// let client = pinterest_v5::Client::builder().reqwest_client(http).build().unwrap();
/// # let _ = client;
/// ```
pub fn http_client_builder() -> reqwest::ClientBuilder {
    // A process-wide provider may already be installed (by the application or an earlier
    // client): either way one is there afterwards.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().retry(reqwest::retry::never().max_retries_per_request(0))
}

/// The HTTP client a default [`ClientBuilder`] builds (the OAuth app uses it when given none).
pub(crate) fn default_http_client() -> Result<reqwest::Client, Error> {
    http_client(
        DEFAULT_CONNECT_TIMEOUT,
        None,
        default_pool_idle_timeout(None),
        HeaderValue::from_static(DEFAULT_USER_AGENT),
    )
}

/// The `reqwest` client every part of the crate uses by default: rustls with the `ring`
/// provider, HTTP/2 when the server offers it, TCP keepalive (and, on Linux, a limit on
/// unacknowledged data) so that a dead connection ends, the given timeouts, and (from
/// [`http_client_builder`]) no retry layer of its own.
pub(crate) fn http_client(
    connect_timeout: Duration,
    timeout: Option<Duration>,
    pool_idle_timeout: Duration,
    user_agent: HeaderValue,
) -> Result<reqwest::Client, Error> {
    // `reqwest` 0.13 sets the same keepalive by default; set here, it cannot go away unseen.
    let builder = http_client_builder()
        .connect_timeout(connect_timeout)
        .tcp_keepalive(KEEPALIVE)
        .tcp_keepalive_interval(KEEPALIVE)
        .tcp_keepalive_retries(KEEPALIVE_PROBES)
        .pool_idle_timeout(pool_idle_timeout)
        .user_agent(user_agent);
    #[cfg(any(target_os = "android", target_os = "fuchsia", target_os = "linux"))]
    let builder = builder.tcp_user_timeout(UNACKNOWLEDGED);
    let builder = match timeout {
        Some(timeout) => builder.timeout(timeout),
        None => builder,
    };
    builder
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}
