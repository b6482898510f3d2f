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
    /// Any other base URL (a proxy, a local stand-in), checked: build it with
    /// [`Environment::custom`], the only way to make a [`CustomUrl`].
    ///
    /// ```compile_fail
    /// // A URL cannot be put in unchecked: tokens would travel to it in clear text.
    /// let _ = pinterest_v5::Environment::Custom("http://example.com/v5".into());
    /// ```
    Custom(CustomUrl),
}

/// A base URL that passed [`Environment::custom`]'s checks: `https://`, or `http://` on a
/// loopback host, with a path a request's path can be appended to. It has no other
/// constructor, so that no token or client secret is sent in clear text to a host of the
/// network, however the [`Environment`] was made.
///
/// ```
/// use pinterest_v5::Environment;
/// let Environment::Custom(url) = Environment::custom("https://proxy.example/v5/")? else {
///     unreachable!()
/// };
/// assert_eq!(url.as_str(), "https://proxy.example/v5");
/// # Ok::<(), pinterest_v5::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomUrl(String);

impl CustomUrl {
    /// The URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CustomUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Environment {
    /// Production's base URL.
    pub const PRODUCTION_URL: &'static str = "https://api.pinterest.com/v5";
    /// The sandbox's base URL.
    pub const SANDBOX_URL: &'static str = "https://api-sandbox.pinterest.com/v5";

    /// A custom base URL, checked: it must be `https://`, or `http://` on a loopback host
    /// (`127.0.0.0/8`, `[::1]`, `localhost`), without a query or a fragment (a request's path
    /// is appended to it). A trailing slash is dropped.
    ///
    /// ```
    /// use pinterest_v5::{Environment, Error};
    /// assert!(Environment::custom("https://proxy.example/v5").is_ok());
    /// assert!(matches!(Environment::custom("http://proxy.example/v5"), Err(Error::Config(_))));
    /// assert!(matches!(Environment::custom("https://proxy.example/v5?a=1"), Err(Error::Config(_))));
    /// ```
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
        if parsed.cannot_be_a_base() || parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::Config(format!(
                "base URL `{url}` cannot have a path appended (it has a query or a fragment); give one like https://api.pinterest.com/v5"
            )));
        }
        Ok(Environment::Custom(CustomUrl(
            url.trim_end_matches('/').to_string(),
        )))
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
            Environment::Custom(url) => url.as_str(),
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

/// The base URL, parsed once. Each request's URL is a copy of it with the operation's path
/// appended (the generated `send()`s call [`BaseUrl::join`]; see `codegen`'s
/// `parsed_base_url`), so that scheme, host and port are not parsed again for every request.
#[derive(Clone, Debug)]
pub(crate) struct BaseUrl {
    /// The parsed base, or what is wrong with it. Every [`Environment`] is checked when it is
    /// made, so the error is a defence in depth, not an answer to bad input.
    parsed: Result<reqwest::Url, String>,
}

impl BaseUrl {
    /// Parses `base` (a base URL without a trailing slash, as [`Environment::base_url`] gives).
    pub(crate) fn new(base: &str) -> Self {
        let parsed = match reqwest::Url::parse(base) {
            Ok(url)
                if url.cannot_be_a_base() || url.query().is_some() || url.fragment().is_some() =>
            {
                Err(format!(
                    "base URL `{base}` cannot have a path appended (it has a query or a fragment, or no host); give one like https://api.pinterest.com/v5"
                ))
            }
            Ok(url) => Ok(url),
            Err(e) => Err(format!(
                "base URL `{base}` is not a URL ({e}); give one like https://api.pinterest.com/v5"
            )),
        };
        BaseUrl { parsed }
    }

    /// The base with `path` (which starts with `/`, its parameters already percent-encoded)
    /// appended: the URL that parsing the two joined as text gives.
    pub(crate) fn join(&self, path: fmt::Arguments<'_>) -> Result<reqwest::Url, String> {
        use std::fmt::Write;
        let base = self.parsed.as_ref().map_err(Clone::clone)?;
        let prefix = base.path().strip_suffix('/').unwrap_or(base.path());
        let mut full = String::with_capacity(prefix.len() + 64);
        full.push_str(prefix);
        full.write_fmt(path)
            .map_err(|_| "a path parameter could not be written".to_string())?;
        let mut url = base.clone();
        url.set_path(&full);
        Ok(url)
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

#[cfg(test)]
mod tests {
    use super::{BaseUrl, Environment};

    /// `join` gives the URL that parsing base and path joined as text gives.
    #[test]
    fn a_joined_url_is_the_url_of_the_joined_text() {
        let bases = [
            Environment::PRODUCTION_URL,
            Environment::SANDBOX_URL,
            "http://127.0.0.1:8080/v5",
            "http://localhost:8080",
            "https://proxy.example/pinterest/api/v5",
            "http://[::1]:9/v5",
        ];
        let paths = [
            "/pins",
            "/pins/813744226420795886/analytics",
            "/boards/a%2Fb/sections/%3F%23",
            "/user_account",
            "/catalogs/items/batch/%E2%9C%93",
        ];
        for base in bases {
            for path in paths {
                let joined = BaseUrl::new(base)
                    .join(format_args!("{path}"))
                    .expect("a base URL");
                let parsed = reqwest::Url::parse(&format!("{base}{path}")).expect("a URL");
                assert_eq!(joined, parsed, "{base} + {path}");
                assert_eq!(joined.as_str(), format!("{base}{path}"));
            }
        }
    }

    #[test]
    fn a_base_that_is_not_one_is_an_error_that_says_what_to_give() {
        for base in [
            "not a url",
            "https://api.pinterest.com/v5?x=1",
            "mailto:a@b.c",
        ] {
            let err = BaseUrl::new(base)
                .join(format_args!("/pins"))
                .expect_err(base);
            assert!(err.contains(base), "{err}");
            assert!(err.contains("give one like https://"), "{err}");
        }
    }
}
