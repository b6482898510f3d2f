//! A local stand-in for Pinterest's API v5: integration tests of code built on
//! [`pinterest-v5`](https://docs.rs/pinterest-v5) without Pinterest, without network, without
//! an app.
//!
//! ```toml
//! [dev-dependencies]
//! pinterest-v5-standin = "0.1"
//! tokio = { version = "1", features = ["macros", "rt"] }
//! ```
//!
//! [`Standin::start`] serves on `127.0.0.1`, at a random port, in one call, and checks what
//! Pinterest checks: the OAuth flow (consent simulated by [`Standin::consent`], the code
//! exchange, refresh tokens that rotate on each refresh), bearer tokens and their scopes, the
//! user account, boards, pins, bookmark pagination, the video upload flow and asynchronous ads
//! reports. Its knobs make the hard cases happen on demand: [`Standin::expire_access_tokens`],
//! [`Standin::revoke_refresh_tokens`], [`Standin::inject_rate_limit`] (429s with rate-limit
//! headers), [`Standin::reject_uploads`], [`Standin::set_media_outcome`],
//! [`Standin::set_report_outcome`], [`Standin::set_report_polls`],
//! [`Standin::expire_report_links`]; [`Standin::counters`] says what it was asked.
//!
//! An OAuth integration test: consent, code exchange, the user account; then the access token
//! expires and the client refreshes it by itself, the refresh token rotating.
//!
//! ```
//! use pinterest_v5::auth::TokenManager;
//! use pinterest_v5::auth::{OAuthApp, Scope};
//! use pinterest_v5::{Client, Environment};
//! use pinterest_v5_standin::Standin;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let standin = Standin::start().await?;
//! let environment = Environment::custom(standin.base_url())?;
//! let app = OAuthApp::new(standin.client_id(), standin.client_secret(), "http://localhost:8085/cb")
//!     .environment(environment.clone());
//!
//! let request = app.authorization_url(&[Scope::UserAccountsRead, Scope::BoardsRead]);
//! let redirect = standin.consent(&request.url)?; // the user clicks "Give access"
//! let code = app.parse_callback(&redirect, &request.state)?;
//! let token = app.exchange_code(&code).await?;
//! let first_refresh_token = token.refresh_token().map(|t| t.secret().to_string());
//!
//! let client = Client::builder()
//!     .environment(environment)
//!     .token_manager(TokenManager::new(app, token))
//!     .build()?;
//! let me = client.user_account_get().send().await?;
//! assert_eq!(me.username.as_deref(), Some(standin.username()));
//!
//! standin.expire_access_tokens(); // the next call gets a 401: the client refreshes, retries
//! client.user_account_get().send().await?;
//! let rotated = client.token_manager().expect("a token manager").token();
//! assert_ne!(rotated.refresh_token().map(|t| t.secret().to_string()), first_refresh_token);
//! assert_eq!(standin.counters().grant("refresh_token"), 1);
//! # Ok(())
//! # }
//! ```
//!
//! Boards and pins, with tokens issued directly ([`Standin::issue_tokens`], consent skipped)
//! and a 429 the client waits out:
//!
//! ```
//! use pinterest_v5::types::{BoardCreate, BoardPrivacy, PinCreate, PinMediaSourceImageUrl};
//! use pinterest_v5::{Client, Environment};
//! use pinterest_v5_standin::Standin;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let standin = Standin::start().await?;
//! let tokens = standin.issue_tokens(&["boards:read", "boards:write", "pins:read", "pins:write"]);
//! let client = Client::builder()
//!     .environment(Environment::custom(standin.base_url())?)
//!     .access_token(tokens.access_token)
//!     .build()?;
//!
//! let board = client
//!     .boards_create()
//!     .body(BoardCreate {
//!         privacy: BoardPrivacy::Secret,
//!         ..BoardCreate::new("Recipes")
//!     })
//!     .send()
//!     .await?;
//! standin.inject_rate_limit(1); // the next call answers 429, reset in 1 s: waited out
//! let pin = client
//!     .pins_create()
//!     .body(PinCreate {
//!         board_id: Some(board.id.clone()),
//!         title: Some("Weeknight pasta".into()),
//!         media_source: Some(PinMediaSourceImageUrl::new("https://example.com/pasta.jpg").into()),
//!         ..Default::default()
//!     })
//!     .send()
//!     .await?;
//! assert_eq!(pin.board_id.as_deref(), Some(board.id.as_str()));
//! assert_eq!(standin.counters().rate_limited, 1);
//! # Ok(())
//! # }
//! ```
//!
//! What it serves, and how:
//!
//! - `POST /v5/oauth/token`: HTTP Basic `client_id:client_secret`, a form body, the grants
//!   `authorization_code` (single-use code, same `redirect_uri`), `refresh_token` (the refresh
//!   token is rotated: each refresh spends it and returns a new one) and `client_credentials`.
//!   A bad grant answers 400 with code 283.
//! - Every other `/v5` call: `Authorization: Bearer` with a live token issued here (401
//!   `{code, message}` otherwise), the scopes the description lists for the operation (403
//!   otherwise), the body's required fields (400 `{code, message}` otherwise).
//! - `GET /v5/user_account`; boards create / list / get; pins create / get / list;
//!   `GET /v5/boards/{board_id}/pins` with bookmark pagination (`{items, bookmark}`,
//!   `page_size` 1..=250, default 25); `POST /v5/media`, `GET /v5/media`,
//!   `GET /v5/media/{media_id}` (the client's `upload_video` and `video_pin` run against it).
//! - Ads analytics reports, asynchronous (the client's `analytics_report` and its kin run
//!   against them): `POST /v5/ad_accounts/{ad_account_id}/reports` and its template, MMM
//!   (`mmm_reports`) and brand/category/SKU (`reports/brand_category_sku`) kin answer a
//!   `token`; each status call (`GET` of the same path, `?token=…`; a template's report is read
//!   at `reports`) answers `IN_PROGRESS` for [`Standin::set_report_polls`] calls, then what
//!   [`Standin::set_report_outcome`] says, `FINISHED` with a `url`. The file there is the
//!   request's columns (and `DATE`, unless the granularity is `TOTAL`) for two campaigns, in the
//!   request's `report_format`: JSON, the rows keyed by each entity's id, or CSV.
//! - The storage service's upload target (the `upload_url` of `POST /v5/media`): an S3-style
//!   multipart POST that needs every `upload_parameters` field before the file part, refuses an
//!   `Authorization` header, and answers 204.
//! - The report files (`GET /reports/{file}`, the `url` of a finished report): pre-signed, they
//!   need the URL's `X-Amz-Signature` and refuse a request with an `Authorization` header (400
//!   `InvalidArgument`), as S3 does; [`Standin::report_downloads`] lists what was asked.
//!
//! Bodies are shaped like the description's models (`Account`, `Board`, `Pin`, `MediaUpload`,
//! `Media`, the token responses), with ids that match `^\d+$`. Successful replies carry
//! `X-RateLimit-*` headers (1000 calls per 60 s window) and every reply an `x-pinterest-rid`.
//! Anything else answers 404: for the rest of the API, use the typed mocks of
//! `pinterest_v5::mock` (feature `mock`).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! use pinterest_v5_standin::Standin;
//! let standin = Standin::start().await?;
//! assert!(standin.base_url().ends_with("/v5"));
//! let url = format!(
//!     "https://www.pinterest.com/oauth/?client_id={}&redirect_uri=http://localhost:8085/&response_type=code&scope=boards:read&state=xyz",
//!     standin.client_id()
//! );
//! let redirect = standin.consent(&url).unwrap();
//! assert!(redirect.starts_with("http://localhost:8085/?code="));
//! assert!(redirect.ends_with("&state=xyz"));
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

/// The README's example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

mod api;
mod oauth;
mod reports;
mod state;
mod upload;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State as AxumState};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use state::State;
use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The 19 OAuth scopes of Pinterest's description.
pub const ALL_SCOPES: [&str; 19] = [
    "ads:read",
    "ads:write",
    "billing:read",
    "billing:write",
    "biz_access:read",
    "biz_access:write",
    "boards:read",
    "boards:read_secret",
    "boards:write",
    "boards:write_secret",
    "catalogs:read",
    "catalogs:write",
    "msot:write",
    "pins:read",
    "pins:read_secret",
    "pins:write",
    "pins:write_secret",
    "user_accounts:read",
    "user_accounts:write",
];

/// The app and account the stand-in knows.
///
/// ```
/// use pinterest_v5_standin::StandinConfig;
/// use std::time::Duration;
/// let config = StandinConfig {
///     access_token_lifetime: Duration::from_secs(60),
///     ..StandinConfig::default()
/// };
/// assert_eq!(config.client_id, "1234567");
/// ```
#[derive(Clone)]
pub struct StandinConfig {
    /// The app's id (default `1234567`).
    pub client_id: String,
    /// The app's secret (default `standin-secret`). Hidden in `Debug`.
    pub client_secret: String,
    /// The redirect URIs registered for the app; empty (the default) accepts any.
    pub redirect_uris: Vec<String>,
    /// The user who consents (default `standin_user`).
    pub username: String,
    /// Lifetime of access tokens issued from now on (default 30 days, as Pinterest).
    pub access_token_lifetime: Duration,
    /// Lifetime of refresh tokens (default 365 days, as Pinterest).
    pub refresh_token_lifetime: Duration,
}

impl Default for StandinConfig {
    fn default() -> Self {
        StandinConfig {
            client_id: "1234567".into(),
            client_secret: "standin-secret".into(),
            redirect_uris: Vec::new(),
            username: "standin_user".into(),
            access_token_lifetime: Duration::from_secs(30 * 24 * 3600),
            refresh_token_lifetime: Duration::from_secs(365 * 24 * 3600),
        }
    }
}

impl fmt::Debug for StandinConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StandinConfig")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("redirect_uris", &self.redirect_uris)
            .field("username", &self.username)
            .field("access_token_lifetime", &self.access_token_lifetime)
            .field("refresh_token_lifetime", &self.refresh_token_lifetime)
            .finish()
    }
}

/// How video processing ends after an upload (see [`Standin::set_media_outcome`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MediaOutcome {
    /// `succeeded` (the default).
    #[default]
    Succeed,
    /// `failed`.
    Fail,
    /// `processing` forever (to test polling timeouts).
    NeverFinish,
}

/// How the stand-in's ads reports end (see [`Standin::set_report_outcome`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReportOutcome {
    /// `FINISHED`, with the file's `url` (the default).
    #[default]
    Finish,
    /// `FAILED`.
    Fail,
    /// `EXPIRED` (as a report is an hour after it was made).
    Expire,
    /// `IN_PROGRESS` forever (to test polling timeouts).
    NeverFinish,
}

/// What the stand-in has been asked, counted since it started.
///
/// ```
/// let counters = pinterest_v5_standin::Counters::default();
/// assert_eq!(counters.route("GET /v5/user_account"), 0);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Requests per route, keyed `"METHOD /path/template"` as routed, e.g.
    /// `"GET /v5/boards/{board_id}/pins"`, `"POST /v5/oauth/token"`, `"POST /upload/"`;
    /// requests no route serves count under `"METHOD (not served)"`.
    pub by_route: BTreeMap<String, u64>,
    /// Token requests per `grant_type` (`authorization_code`, `refresh_token`, …), counted
    /// once the client's Basic credentials were accepted.
    pub token_grants: BTreeMap<String, u64>,
    /// Replies with status 401.
    pub unauthorized: u64,
    /// Replies with status 429.
    pub rate_limited: u64,
}

impl Counters {
    /// Requests made to one route (`"GET /v5/user_account"`); 0 if none.
    pub fn route(&self, key: &str) -> u64 {
        self.by_route.get(key).copied().unwrap_or(0)
    }

    /// Token requests with this `grant_type`; 0 if none.
    pub fn grant(&self, grant_type: &str) -> u64 {
        self.token_grants.get(grant_type).copied().unwrap_or(0)
    }
}

/// One request the upload target received.
///
/// ```
/// let record = pinterest_v5_standin::UploadRecord::default();
/// assert!(record.field_order.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UploadRecord {
    /// The name of every multipart part, in the order they arrived (the file is `file`).
    pub field_order: Vec<String>,
    /// The text fields that arrived before the file part, in order.
    pub fields_before_file: Vec<(String, String)>,
    /// The file part's file name, if it had one.
    pub file_name: Option<String>,
    /// The file part's content type, if it had one.
    pub file_content_type: Option<String>,
    /// The file's length in bytes, when a file part arrived.
    pub file_len: Option<u64>,
    /// The file's first bytes (at most 1 MiB).
    pub file_start: Vec<u8>,
    /// Whether the request carried an `Authorization` header (it must not).
    pub had_authorization_header: bool,
    /// The status answered (204 on success).
    pub status: u16,
}

/// One request for a report's file (the `url` of a finished report).
///
/// ```
/// let record = pinterest_v5_standin::DownloadRecord::default();
/// assert!(!record.had_authorization_header);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DownloadRecord {
    /// The file asked for (the URL's last path segment).
    pub file: String,
    /// Whether the request carried an `Authorization` header (it must not).
    pub had_authorization_header: bool,
    /// The status answered (200 on success).
    pub status: u16,
}

/// Tokens issued directly by [`Standin::issue_tokens`], as if the user had consented.
#[derive(Clone)]
pub struct IssuedTokens {
    /// The access token.
    pub access_token: String,
    /// The refresh token (None for client credentials).
    pub refresh_token: Option<String>,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Seconds until the refresh token expires.
    pub refresh_token_expires_in: u64,
    /// The scopes granted.
    pub scopes: Vec<String>,
}

impl fmt::Debug for IssuedTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedTokens")
            .field("access_token", &"<redacted>")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_in", &self.expires_in)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// Why [`Standin::consent`] could not produce a redirect (Pinterest would show an error page).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConsentError {
    /// The URL or one of its parameters is malformed.
    BadUrl(String),
    /// A required parameter (`client_id`, `redirect_uri`, `response_type`, `scope`) is missing.
    MissingParameter(&'static str),
    /// `client_id` is not the stand-in's app.
    UnknownClient,
    /// `redirect_uri` is not registered for the app.
    UnregisteredRedirectUri(String),
    /// A scope is unknown, or none was asked.
    BadScope(String),
}

impl fmt::Display for ConsentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConsentError::BadUrl(m) => write!(f, "bad authorization URL: {m}"),
            ConsentError::MissingParameter(p) => {
                write!(f, "the authorization URL has no `{p}` parameter")
            }
            ConsentError::UnknownClient => {
                write!(
                    f,
                    "the authorization URL's client_id is not the stand-in's app"
                )
            }
            ConsentError::UnregisteredRedirectUri(u) => {
                write!(f, "redirect_uri `{u}` is not registered for the app")
            }
            ConsentError::BadScope(m) => write!(f, "bad scope: {m}"),
        }
    }
}

impl std::error::Error for ConsentError {}

/// A running stand-in. Dropping it stops the server.
pub struct Standin {
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl fmt::Debug for Standin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Standin")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl Drop for Standin {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl Standin {
    /// Starts a stand-in with the default app ([`StandinConfig::default`]) on a random
    /// loopback port. Must be called inside a Tokio runtime, which then runs the server.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// assert!(standin.base_url().starts_with("http://127.0.0.1:"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start() -> std::io::Result<Standin> {
        Standin::start_with(StandinConfig::default()).await
    }

    /// Starts a stand-in with this app and account.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use pinterest_v5_standin::{Standin, StandinConfig};
    /// let standin = Standin::start_with(StandinConfig {
    ///     client_id: "42".into(),
    ///     ..StandinConfig::default()
    /// })
    /// .await?;
    /// assert_eq!(standin.client_id(), "42");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start_with(config: StandinConfig) -> std::io::Result<Standin> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State::new(config, format!("http://{addr}")));
        let router = Router::new()
            .route("/v5/oauth/token", post(oauth::token))
            .route("/v5/user_account", get(api::user_account))
            .route("/v5/boards", get(api::boards_list).post(api::boards_create))
            .route("/v5/boards/{board_id}", get(api::boards_get))
            .route("/v5/boards/{board_id}/pins", get(api::boards_list_pins))
            .route("/v5/pins", get(api::pins_list).post(api::pins_create))
            .route("/v5/pins/{pin_id}", get(api::pins_get))
            .route("/v5/media", get(api::media_list).post(api::media_create))
            .route("/v5/media/{media_id}", get(api::media_get))
            .route(
                "/v5/ad_accounts/{ad_account_id}/reports",
                get(reports::get).post(reports::create),
            )
            .route(
                "/v5/ad_accounts/{ad_account_id}/templates/{template_id}/reports",
                post(reports::create_template),
            )
            .route(
                "/v5/ad_accounts/{ad_account_id}/mmm_reports",
                get(reports::get_mmm).post(reports::create_mmm),
            )
            .route(
                "/v5/ad_accounts/{ad_account_id}/reports/brand_category_sku",
                get(reports::get_conversion_product).post(reports::create_conversion_product),
            )
            .route("/upload/", post(upload::upload))
            .route("/reports/{file}", get(reports::download))
            .fallback(api::not_served)
            .layer(DefaultBodyLimit::disable())
            .layer(middleware::from_fn_with_state(state.clone(), count))
            .with_state(state.clone());
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(Standin {
            addr,
            state,
            shutdown: Some(tx),
        })
    }

    /// The API's base URL, `http://127.0.0.1:PORT/v5` (give it to `Environment::custom`).
    pub fn base_url(&self) -> String {
        format!("http://{}/v5", self.addr)
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The token endpoint, `{base_url}/oauth/token`.
    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.base_url())
    }

    /// The upload target handed out as `upload_url`.
    pub fn upload_url(&self) -> String {
        format!("http://{}/upload/", self.addr)
    }

    /// The app's client id.
    pub fn client_id(&self) -> &str {
        &self.state.config.client_id
    }

    /// The app's client secret.
    pub fn client_secret(&self) -> &str {
        &self.state.config.client_secret
    }

    /// The consenting user's username.
    pub fn username(&self) -> &str {
        &self.state.config.username
    }

    /// Simulates the user consenting on Pinterest's page for `authorization_url` (any host; its
    /// query is what counts): checks `client_id`, `response_type=code`, `redirect_uri`
    /// (registered, when the config lists any) and `scope` (comma-separated, known), registers a
    /// single-use code, and returns the redirect URL with `code` and the unchanged `state`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// let bad = "https://www.pinterest.com/oauth/?client_id=nope&redirect_uri=http://localhost/&response_type=code&scope=pins:read";
    /// assert!(standin.consent(bad).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn consent(&self, authorization_url: &str) -> Result<String, ConsentError> {
        oauth::consent(&self.state, authorization_url)
    }

    /// Simulates the user declining: the redirect URL carries `error=access_denied` and `state`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// let url = "https://www.pinterest.com/oauth/?client_id=1234567&redirect_uri=http://localhost/cb&response_type=code&scope=pins:read&state=s";
    /// assert_eq!(standin.deny(url).unwrap(), "http://localhost/cb?error=access_denied&state=s");
    /// # Ok(())
    /// # }
    /// ```
    pub fn deny(&self, authorization_url: &str) -> Result<String, ConsentError> {
        oauth::deny(&self.state, authorization_url)
    }

    /// Issues an access token and a refresh token for `scopes` without the OAuth round trip
    /// (as if consent and code exchange had happened).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// let tokens = standin.issue_tokens(&["pins:read"]);
    /// assert!(tokens.access_token.starts_with("pina_"));
    /// assert!(tokens.refresh_token.is_some());
    /// # Ok(())
    /// # }
    /// ```
    pub fn issue_tokens(&self, scopes: &[&str]) -> IssuedTokens {
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        oauth::issue(&mut self.state.data(), &scopes, true)
    }

    /// Knob: the lifetime of access tokens issued from now on (`expires_in` of token replies).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// standin.set_access_token_lifetime(std::time::Duration::from_secs(1));
    /// assert_eq!(standin.issue_tokens(&["pins:read"]).expires_in, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_access_token_lifetime(&self, lifetime: Duration) {
        self.state.data().access_token_lifetime = lifetime;
    }

    /// Knob: every access token issued so far expires now (the next call with one gets 401);
    /// refresh tokens stay valid.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// standin.expire_access_tokens();
    /// # Ok(())
    /// # }
    /// ```
    pub fn expire_access_tokens(&self) {
        let now = Instant::now();
        for token in self.state.data().access_tokens.values_mut() {
            token.expires_at = now;
        }
    }

    /// Knob: the next API call with a valid token answers 429 `{code: 8, message}` with
    /// `X-RateLimit-Limit: 1000`, `X-RateLimit-Remaining: 0` and `X-RateLimit-Reset:
    /// reset_secs`; later calls are served normally.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// standin.inject_rate_limit(1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn inject_rate_limit(&self, reset_secs: u64) {
        self.inject_rate_limits(1, reset_secs);
    }

    /// Knob: the next `count` API calls with a valid token answer 429 as
    /// [`Standin::inject_rate_limit`] describes (0 cancels those still pending). More than the
    /// client's rate-limit policy retries makes it give up with `Error::RateLimited`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// standin.inject_rate_limits(5, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn inject_rate_limits(&self, count: u32, reset_secs: u64) {
        self.state.data().pending_429 = (count > 0).then_some((count, reset_secs));
    }

    /// Knob: every refresh token issued so far is revoked (as when the user removes the app's
    /// access): the next refresh answers 400 with code 283 (invalid grant), and the app must send the user
    /// through consent again. Access tokens stay valid until they expire.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// standin.revoke_refresh_tokens();
    /// # Ok(())
    /// # }
    /// ```
    pub fn revoke_refresh_tokens(&self) {
        self.state.data().refresh_tokens.clear();
    }

    /// Knob: while `true`, the upload target reads each upload and answers 403 `AccessDenied`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// standin.reject_uploads(true);
    /// # Ok(())
    /// # }
    /// ```
    pub fn reject_uploads(&self, reject: bool) {
        self.state.data().reject_uploads = reject;
    }

    /// Knob: how processing of uploaded videos ends (default [`MediaOutcome::Succeed`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use pinterest_v5_standin::{MediaOutcome, Standin};
    /// let standin = Standin::start().await?;
    /// standin.set_media_outcome(MediaOutcome::Fail);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_media_outcome(&self, outcome: MediaOutcome) {
        self.state.data().media_outcome = outcome;
    }

    /// Knob: how many `GET /v5/media/{id}` calls answer `processing` after an upload before
    /// the outcome shows (default 1).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// standin.set_media_processing_polls(3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_media_processing_polls(&self, polls: u32) {
        self.state.data().media_processing_polls = polls;
    }

    /// Knob: how ads reports end, at their next status call once
    /// [`set_report_polls`](Self::set_report_polls) calls have answered `IN_PROGRESS` (default
    /// [`ReportOutcome::Finish`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use pinterest_v5_standin::{ReportOutcome, Standin};
    /// let standin = Standin::start().await?;
    /// standin.set_report_outcome(ReportOutcome::Expire);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_report_outcome(&self, outcome: ReportOutcome) {
        self.state.data().report_outcome = outcome;
    }

    /// Knob: how many status calls of a report made from now on answer `IN_PROGRESS` before
    /// its outcome shows (default 1).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// standin.set_report_polls(3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_report_polls(&self, polls: u32) {
        self.state.data().report_polls = polls;
    }

    /// Knob: while `true`, the file server answers every report URL 403 `AccessDenied`
    /// ("Request has expired"), as S3 does once a pre-signed link's five minutes are over.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// standin.expire_report_links(true);
    /// # Ok(())
    /// # }
    /// ```
    pub fn expire_report_links(&self, expired: bool) {
        self.state.data().report_links_expired = expired;
    }

    /// Every request for a report's file, oldest first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// assert!(standin.report_downloads().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn report_downloads(&self) -> Vec<DownloadRecord> {
        self.state.data().downloads.clone()
    }

    /// The counters so far.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// assert_eq!(standin.counters().unauthorized, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn counters(&self) -> Counters {
        self.state.data().counters.clone()
    }

    /// Every request the upload target received, oldest first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let standin = pinterest_v5_standin::Standin::start().await?;
    /// assert!(standin.uploads().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn uploads(&self) -> Vec<UploadRecord> {
        self.state.data().uploads.clone()
    }
}

/// Counts each request by route and status and stamps the reply with a request id.
async fn count(AxumState(state): AxumState<Arc<State>>, request: Request, next: Next) -> Response {
    let key = match request.extensions().get::<MatchedPath>() {
        Some(path) => format!("{} {}", request.method(), path.as_str()),
        None => format!("{} (not served)", request.method()),
    };
    let mut response = next.run(request).await;
    {
        let mut data = state.data();
        *data.counters.by_route.entry(key).or_default() += 1;
        match response.status().as_u16() {
            401 => data.counters.unauthorized += 1,
            429 => data.counters.rate_limited += 1,
            _ => {}
        }
    }
    let rid = state::random_token("");
    if let Ok(value) = HeaderValue::from_str(&rid[..16]) {
        response.headers_mut().insert("x-pinterest-rid", value);
    }
    response
}
