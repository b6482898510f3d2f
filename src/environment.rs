//! Where requests go: Pinterest's production API, its sandbox, or a URL of your own.

use crate::Error;
use std::fmt;

/// The API host a client talks to.
///
/// ```
/// use pinterest_v5::Environment;
/// assert_eq!(Environment::Production.base_url(), "https://api.pinterest.com/v5");
/// assert_eq!(Environment::Sandbox.base_url(), "https://api-sandbox.pinterest.com/v5");
/// let local = Environment::custom("http://127.0.0.1:8080/v5/").unwrap();
/// assert_eq!(local.base_url(), "http://127.0.0.1:8080/v5");
/// assert!(Environment::custom("http://example.com/v5").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Environment {
    /// `https://api.pinterest.com/v5`.
    #[default]
    Production,
    /// `https://api-sandbox.pinterest.com/v5`: Pinterest's sandbox, where only operations whose
    /// `x-sandbox` is not `disabled` are served.
    Sandbox,
    /// Any other base URL (a proxy, a local stand-in). Build it with [`Environment::custom`].
    Custom(String),
}

impl Environment {
    /// Production's base URL.
    pub const PRODUCTION_URL: &'static str = "https://api.pinterest.com/v5";
    /// The sandbox's base URL.
    pub const SANDBOX_URL: &'static str = "https://api-sandbox.pinterest.com/v5";

    /// A custom base URL, checked: it must be `https://`, or `http://` on a loopback host
    /// (`127.0.0.0/8`, `[::1]`, `localhost`). A trailing slash is dropped.
    pub fn custom(url: impl Into<String>) -> Result<Self, Error> {
        let url = url.into();
        let parsed = reqwest::Url::parse(&url).map_err(|e| {
            Error::Config(format!(
                "base URL `{url}` is not a URL ({e}); give one like https://api.pinterest.com/v5"
            ))
        })?;
        match parsed.scheme() {
            "https" => {}
            "http" if is_loopback(&parsed) => {}
            "http" => {
                return Err(Error::Config(format!(
                    "base URL `{url}` uses plain http on a non-loopback host: tokens would travel unencrypted; use https://"
                )));
            }
            other => {
                return Err(Error::Config(format!(
                    "base URL `{url}` has scheme `{other}`; use https:// (or http:// on loopback)"
                )));
            }
        }
        Ok(Environment::Custom(url.trim_end_matches('/').to_string()))
    }

    /// Reads `PINTEREST_ENV`: `sandbox`, `production` (the default when unset), or a URL.
    pub fn from_env() -> Result<Self, Error> {
        match std::env::var("PINTEREST_ENV") {
            Err(_) => Ok(Environment::Production),
            Ok(v) => match v.trim() {
                "" | "production" | "prod" | "live" => Ok(Environment::Production),
                "sandbox" => Ok(Environment::Sandbox),
                url => Environment::custom(url),
            },
        }
    }

    /// The base URL requests are made below, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Production => Self::PRODUCTION_URL,
            Environment::Sandbox => Self::SANDBOX_URL,
            Environment::Custom(url) => url,
        }
    }

    /// Whether this is Pinterest's sandbox.
    pub fn is_sandbox(&self) -> bool {
        matches!(self, Environment::Sandbox)
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.base_url())
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}
