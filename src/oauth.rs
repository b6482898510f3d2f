//! OAuth 2.0 with Pinterest: the authorization URL, the redirect back to your app, and the
//! three grants of `POST /oauth/token` (authorization code, refresh token, client credentials).
//!
//! The flow, step by step:
//!
//! 1. [`OAuthApp::authorization_url`] gives the URL to send the user to and a fresh `state`
//!    to keep (in the user's session, for example).
//! 2. Pinterest redirects the user to your redirect URI; [`OAuthApp::parse_callback`] takes the
//!    full URL of that redirect and the kept `state`, and returns the [`AuthorizationCode`].
//! 3. [`OAuthApp::exchange_code`] turns the code into a [`Token`] (access and refresh token).
//! 4. A [`crate::auth::TokenManager`] built from the app and the token keeps it fresh for a
//!    [`crate::Client`], saving each new token to a [`crate::token::TokenStore`].
//!
//! The token endpoint is called by hand (HTTP Basic `client_id:client_secret`, form body): the
//! description's request schema cannot express the grants (its discriminator is lost and
//! `continuous_refresh` is missing), so the generated `oauth_token` operation is not used here.
//! [`OAuthApp::revoke`] revokes a token the same way (`POST /oauth/token/revoke`).
//!
//! The generated operations that only the app's own credentials authorise (HTTP Basic in the
//! description: `oauth_token`, `token_revoke`) get them from the client's
//! [`crate::auth::TokenManager`] when it has an app, and fail before sending otherwise.
//!
//! No type of this module shows a secret (client secret, code, access or refresh token) in its
//! `Debug` or `Display`.

use crate::{Environment, Error};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;
use subtle::ConstantTimeEq;

/// Where users are sent to authorise an app.
///
/// ```
/// assert_eq!(pinterest_v5::oauth::AUTHORIZATION_URL, "https://www.pinterest.com/oauth/");
/// ```
pub const AUTHORIZATION_URL: &str = "https://www.pinterest.com/oauth/";

/// What a redacted secret shows in `Debug` output.
const REDACTED: &str = "[redacted]";

/// Shows [`REDACTED`] in a `Debug` in place of a secret: the generated types with a secret
/// field (`codegen`'s `secrets` pass) print it instead of the field's value.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

// ---------------------------------------------------------------------------------------------
// Scopes
// ---------------------------------------------------------------------------------------------

/// A permission an app asks the user for (the scopes of the description's `pinterest_oauth2`
/// scheme). Parses from and displays as Pinterest's name (`boards:read`).
///
/// ```
/// use pinterest_v5::oauth::Scope;
/// let scope: Scope = "pins:write".parse()?;
/// assert_eq!(scope, Scope::PinsWrite);
/// assert_eq!(Scope::BoardsReadSecret.to_string(), "boards:read_secret");
/// assert_eq!(Scope::ALL.len(), 19);
/// assert!("pins:delete".parse::<Scope>().is_err());
/// # Ok::<(), pinterest_v5::Error>(())
/// ```
///
/// A scope Pinterest grants that this crate does not know yet is kept as [`Scope::Other`] when
/// a token reply or a stored token is decoded, so a new scope never breaks decoding.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Scope {
    /// `ads:read`: see all of your advertising data, including ads, ad groups, campaigns etc.
    AdsRead,
    /// `ads:write`: create, update, or delete ads, ad groups, campaigns etc.
    AdsWrite,
    /// `billing:read`: see all of your billing data, billing profile, etc.
    BillingRead,
    /// `billing:write`: create, update, or delete billing data, billing profiles, etc.
    BillingWrite,
    /// `biz_access:read`: see business access data.
    BizAccessRead,
    /// `biz_access:write`: create, update, or delete business access data.
    BizAccessWrite,
    /// `boards:read`: see your public boards, including group boards you join.
    BoardsRead,
    /// `boards:read_secret`: see your secret boards.
    BoardsReadSecret,
    /// `boards:write`: create, update, or delete your public boards.
    BoardsWrite,
    /// `boards:write_secret`: create, update, or delete your secret boards.
    BoardsWriteSecret,
    /// `catalogs:read`: see all of your catalogs data.
    CatalogsRead,
    /// `catalogs:write`: create, update, or delete your catalogs data.
    CatalogsWrite,
    /// `msot:write`: create measurement source of truth events.
    MsotWrite,
    /// `pins:read`: see your public Pins.
    PinsRead,
    /// `pins:read_secret`: see your secret Pins.
    PinsReadSecret,
    /// `pins:write`: create, update, or delete your public Pins.
    PinsWrite,
    /// `pins:write_secret`: create, update, or delete your secret Pins.
    PinsWriteSecret,
    /// `user_accounts:read`: see your user accounts and followers.
    UserAccountsRead,
    /// `user_accounts:write`: update your user accounts and followers.
    UserAccountsWrite,
    /// A scope this crate does not know (kept as Pinterest wrote it).
    Other(String),
}

impl Scope {
    /// Every scope the description defines, in Pinterest's order.
    ///
    /// ```
    /// use pinterest_v5::oauth::Scope;
    /// assert!(Scope::ALL.contains(&Scope::MsotWrite));
    /// ```
    pub const ALL: [Scope; 19] = [
        Scope::AdsRead,
        Scope::AdsWrite,
        Scope::BillingRead,
        Scope::BillingWrite,
        Scope::BizAccessRead,
        Scope::BizAccessWrite,
        Scope::BoardsRead,
        Scope::BoardsReadSecret,
        Scope::BoardsWrite,
        Scope::BoardsWriteSecret,
        Scope::CatalogsRead,
        Scope::CatalogsWrite,
        Scope::MsotWrite,
        Scope::PinsRead,
        Scope::PinsReadSecret,
        Scope::PinsWrite,
        Scope::PinsWriteSecret,
        Scope::UserAccountsRead,
        Scope::UserAccountsWrite,
    ];

    /// Pinterest's name of the scope.
    ///
    /// ```
    /// assert_eq!(pinterest_v5::oauth::Scope::AdsRead.as_str(), "ads:read");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            Scope::AdsRead => "ads:read",
            Scope::AdsWrite => "ads:write",
            Scope::BillingRead => "billing:read",
            Scope::BillingWrite => "billing:write",
            Scope::BizAccessRead => "biz_access:read",
            Scope::BizAccessWrite => "biz_access:write",
            Scope::BoardsRead => "boards:read",
            Scope::BoardsReadSecret => "boards:read_secret",
            Scope::BoardsWrite => "boards:write",
            Scope::BoardsWriteSecret => "boards:write_secret",
            Scope::CatalogsRead => "catalogs:read",
            Scope::CatalogsWrite => "catalogs:write",
            Scope::MsotWrite => "msot:write",
            Scope::PinsRead => "pins:read",
            Scope::PinsReadSecret => "pins:read_secret",
            Scope::PinsWrite => "pins:write",
            Scope::PinsWriteSecret => "pins:write_secret",
            Scope::UserAccountsRead => "user_accounts:read",
            Scope::UserAccountsWrite => "user_accounts:write",
            Scope::Other(s) => s,
        }
    }

    /// Reads a scope as Pinterest sends it: a known name gives its variant, anything else
    /// [`Scope::Other`] (never fails).
    ///
    /// ```
    /// use pinterest_v5::oauth::Scope;
    /// assert_eq!(Scope::from_wire("boards:read"), Scope::BoardsRead);
    /// assert_eq!(Scope::from_wire("reports:read"), Scope::Other("reports:read".into()));
    /// ```
    pub fn from_wire(name: &str) -> Scope {
        Scope::ALL
            .iter()
            .find(|s| s.as_str() == name)
            .cloned()
            .unwrap_or_else(|| Scope::Other(name.to_string()))
    }

    /// Splits a scope list as Pinterest writes it (comma- or space-separated).
    ///
    /// ```
    /// use pinterest_v5::oauth::Scope;
    /// assert_eq!(
    ///     Scope::parse_list("boards:read,pins:read user_accounts:read"),
    ///     vec![Scope::BoardsRead, Scope::PinsRead, Scope::UserAccountsRead]
    /// );
    /// ```
    pub fn parse_list(list: &str) -> Vec<Scope> {
        list.split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(Scope::from_wire)
            .collect()
    }

    /// Joins scopes the way the authorization URL and the token endpoint take them
    /// (comma-separated).
    ///
    /// ```
    /// use pinterest_v5::oauth::Scope;
    /// assert_eq!(Scope::join(&[Scope::BoardsRead, Scope::PinsRead]), "boards:read,pins:read");
    /// ```
    pub fn join(scopes: &[Scope]) -> String {
        scopes
            .iter()
            .map(Scope::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = Error;

    /// Parses one of the 19 known scope names; an unknown name is an error (to catch typos in
    /// configuration). Use [`Scope::from_wire`] to keep unknown names instead.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match Scope::from_wire(s.trim()) {
            Scope::Other(name) => Err(Error::Config(format!(
                "`{name}` is not a Pinterest scope; use one of: {}",
                Scope::join(&Scope::ALL)
            ))),
            known => Ok(known),
        }
    }
}

impl Serialize for Scope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(Scope::from_wire(&name))
    }
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

macro_rules! secret_string {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps the secret.
            ///
            /// ```
            #[doc = concat!("let s = pinterest_v5::oauth::", stringify!($name), "::new(\"x\");")]
            /// assert_eq!(s.secret(), "x");
            /// ```
            pub fn new(secret: impl Into<String>) -> Self {
                $name(secret.into())
            }

            /// The secret itself. Handle with care: never log it.
            ///
            /// ```
            #[doc = concat!("let s = pinterest_v5::oauth::", stringify!($name), "::new(\"x\");")]
            /// assert_eq!(s.secret(), "x");
            /// ```
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({REDACTED})", stringify!($name))
            }
        }
    };
}

secret_string! {
    /// An access token as sent in `Authorization: Bearer …`. Its `Debug` hides the secret;
    /// serde writes it as a plain string (that is what a [`crate::token::TokenStore`] keeps).
    ///
    /// ```
    /// use pinterest_v5::oauth::AccessToken;
    /// let token = AccessToken::new("pina_SECRET");
    /// assert_eq!(token.secret(), "pina_SECRET");
    /// assert!(!format!("{token:?}").contains("SECRET"));
    /// ```
    AccessToken
}

secret_string! {
    /// A refresh token, exchanged at the token endpoint for a new access token. Its `Debug`
    /// hides the secret.
    ///
    /// ```
    /// use pinterest_v5::oauth::RefreshToken;
    /// let token = RefreshToken::new("pinr_SECRET");
    /// assert!(!format!("{token:?}").contains("SECRET"));
    /// ```
    RefreshToken
}

secret_string! {
    /// The one-time code Pinterest appends to the redirect after the user consents
    /// ([`OAuthApp::parse_callback`]); exchange it with [`OAuthApp::exchange_code`].
    ///
    /// ```
    /// use pinterest_v5::oauth::AuthorizationCode;
    /// let code = AuthorizationCode::new("c0de");
    /// assert_eq!(format!("{code:?}"), "AuthorizationCode([redacted])");
    /// ```
    AuthorizationCode
}

// ---------------------------------------------------------------------------------------------
// The app
// ---------------------------------------------------------------------------------------------

/// Your Pinterest app: client id, client secret and redirect URI (from the developer portal),
/// and which API host serves its token endpoint. `Debug` hides the secret.
///
/// ```
/// use pinterest_v5::oauth::OAuthApp;
/// let app = OAuthApp::new("1234567", "s3cr3t", "https://example.com/pinterest/callback");
/// assert_eq!(app.client_id(), "1234567");
/// assert_eq!(app.token_url(), "https://api.pinterest.com/v5/oauth/token");
/// assert!(!format!("{app:?}").contains("s3cr3t"));
/// ```
#[derive(Clone)]
pub struct OAuthApp {
    client_id: String,
    client_secret: String,
    redirect_uri: String,
    environment: Option<Environment>,
    continuous_refresh: bool,
    http: Option<reqwest::Client>,
    request_timeout: Duration,
}

/// Time allowed for each token request, unless [`OAuthApp::request_timeout`] says otherwise.
const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

impl fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &REDACTED)
            .field("redirect_uri", &self.redirect_uri)
            .field("environment", &self.environment)
            .field("continuous_refresh", &self.continuous_refresh)
            .field("request_timeout", &self.request_timeout)
            .finish_non_exhaustive()
    }
}

/// Where to send the user, and the `state` to check when they come back.
///
/// ```
/// use pinterest_v5::oauth::{OAuthApp, Scope};
/// let app = OAuthApp::new("1234567", "secret", "https://example.com/cb");
/// let request = app.authorization_url(&[Scope::BoardsRead]);
/// assert!(request.url.starts_with("https://www.pinterest.com/oauth/?"));
/// assert!(request.url.contains(&request.state));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizationRequest {
    /// The URL to send the user to.
    pub url: String,
    /// The unguessable value Pinterest hands back in the redirect. Keep it (in the user's
    /// session) and pass it to [`OAuthApp::parse_callback`].
    pub state: String,
}

impl OAuthApp {
    /// An app with its credentials and the redirect URI registered for it (used exactly as
    /// given). Its token endpoint is production's, or the environment of the
    /// [`crate::Client`] whose token manager it drives (see [`OAuthApp::environment`]).
    ///
    /// ```
    /// let app = pinterest_v5::oauth::OAuthApp::new("id", "secret", "http://localhost:8085/");
    /// assert_eq!(app.redirect_uri(), "http://localhost:8085/");
    /// ```
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        OAuthApp {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            redirect_uri: redirect_uri.into(),
            environment: None,
            continuous_refresh: false,
            http: None,
            request_timeout: TOKEN_REQUEST_TIMEOUT,
        }
    }

    /// Reads `PINTEREST_APP_ID`, `PINTEREST_APP_SECRET` and `PINTEREST_REDIRECT_URI`.
    ///
    /// ```no_run
    /// let app = pinterest_v5::oauth::OAuthApp::from_env()?;
    /// # Ok::<(), pinterest_v5::Error>(())
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        let var = |name: &str| {
            std::env::var(name).map_err(|_| {
                Error::Config(format!(
                    "environment variable {name} is not set; set it to your app's value from the Pinterest developer portal"
                ))
            })
        };
        Ok(OAuthApp::new(
            var("PINTEREST_APP_ID")?,
            var("PINTEREST_APP_SECRET")?,
            var("PINTEREST_REDIRECT_URI")?,
        ))
    }

    /// Sends token requests to this environment's `/oauth/token` (instead of production's, or
    /// of the client's).
    ///
    /// ```
    /// use pinterest_v5::{Environment, oauth::OAuthApp};
    /// let app = OAuthApp::new("id", "secret", "https://example.com/cb")
    ///     .environment(Environment::Sandbox);
    /// assert_eq!(app.token_url(), "https://api-sandbox.pinterest.com/v5/oauth/token");
    /// ```
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// Sends `continuous_refresh=true` with the code exchange and each refresh. Apps created
    /// before 2025-09-25 need it to get continuous refresh tokens (60 days, refreshable
    /// indefinitely); later apps get them without it.
    ///
    /// ```
    /// let app = pinterest_v5::oauth::OAuthApp::new("id", "secret", "https://example.com/cb")
    ///     .continuous_refresh(true);
    /// # let _ = app;
    /// ```
    pub fn continuous_refresh(mut self, on: bool) -> Self {
        self.continuous_refresh = on;
        self
    }

    /// Uses this `reqwest` client for token requests (by default the crate's own, or the
    /// client's when a [`crate::Client`] drives the app).
    ///
    /// With reqwest's `rustls-no-provider` (as this crate builds it), a process-wide crypto
    /// provider must be installed before building a `reqwest::Client` yourself:
    ///
    /// ```
    /// let _ = rustls::crypto::ring::default_provider().install_default();
    /// let app = pinterest_v5::oauth::OAuthApp::new("id", "secret", "https://example.com/cb")
    ///     .http_client(reqwest::Client::new());
    /// # let _ = app;
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Time allowed for each token request, reply included (default 60 s), whatever limit the
    /// HTTP client has (a [`crate::Client`] has none by default). Every request that waits
    /// for a refresh waits on this one, so it always has a limit; when it runs out the
    /// refresh fails with a timeout and the stored token is left as it was.
    ///
    /// ```
    /// let app = pinterest_v5::oauth::OAuthApp::new("id", "secret", "https://example.com/cb")
    ///     .request_timeout(std::time::Duration::from_secs(20));
    /// # let _ = app;
    /// ```
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The app's client id (public).
    ///
    /// ```
    /// let app = pinterest_v5::oauth::OAuthApp::new("id", "secret", "https://example.com/cb");
    /// assert_eq!(app.client_id(), "id");
    /// ```
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The redirect URI, exactly as given.
    ///
    /// ```
    /// let app = pinterest_v5::oauth::OAuthApp::new("id", "secret", "https://example.com/cb");
    /// assert_eq!(app.redirect_uri(), "https://example.com/cb");
    /// ```
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The token endpoint: `{base}/oauth/token` of the app's environment (production unless set).
    ///
    /// ```
    /// use pinterest_v5::{Environment, oauth::OAuthApp};
    /// let app = OAuthApp::new("id", "secret", "https://example.com/cb")
    ///     .environment(Environment::custom("http://127.0.0.1:9000")?);
    /// assert_eq!(app.token_url(), "http://127.0.0.1:9000/oauth/token");
    /// # Ok::<(), pinterest_v5::Error>(())
    /// ```
    pub fn token_url(&self) -> String {
        self.token_url_in(self.environment.as_ref())
    }

    pub(crate) fn token_url_in(&self, fallback: Option<&Environment>) -> String {
        self.endpoint_in(fallback, "/oauth/token")
    }

    /// `{base}{path}` of the app's environment, else `fallback`, else production.
    fn endpoint_in(&self, fallback: Option<&Environment>, path: &str) -> String {
        let env = self
            .environment
            .as_ref()
            .or(fallback)
            .unwrap_or(&Environment::Production);
        format!("{}{path}", env.base_url())
    }

    pub(crate) fn has_environment(&self) -> bool {
        self.environment.is_some()
    }

    pub(crate) fn has_http_client(&self) -> bool {
        self.http.is_some()
    }

    /// The URL to send the user to, asking for `scopes`, with a fresh unguessable `state`
    /// (122 random bits) to keep until the redirect comes back.
    ///
    /// ```
    /// use pinterest_v5::oauth::{OAuthApp, Scope};
    /// let app = OAuthApp::new("1234567", "secret", "https://example.com/cb");
    /// let request = app.authorization_url(&[Scope::BoardsRead, Scope::PinsRead]);
    /// let url = url::Url::parse(&request.url).unwrap();
    /// let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    /// assert_eq!(query["response_type"], "code");
    /// assert_eq!(query["client_id"], "1234567");
    /// assert_eq!(query["redirect_uri"], "https://example.com/cb");
    /// assert_eq!(query["scope"], "boards:read,pins:read");
    /// assert_eq!(query["state"], request.state);
    /// ```
    pub fn authorization_url(&self, scopes: &[Scope]) -> AuthorizationRequest {
        let state = uuid::Uuid::new_v4().simple().to_string();
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("scope", &Scope::join(scopes))
            .append_pair("state", &state)
            .finish();
        AuthorizationRequest {
            url: format!("{AUTHORIZATION_URL}?{query}"),
            state,
        }
    }

    /// Reads the redirect Pinterest sent the user back with: the full URL (or its path and
    /// query, as a web framework gives them), checked against the `state` kept from
    /// [`OAuthApp::authorization_url`] in constant time.
    ///
    /// Errors ([`Error::OAuth`]): [`OAuthError::AccessDenied`] when the user declined,
    /// [`OAuthError::StateMismatch`] when the state is missing or differs (the redirect is not
    /// the answer to your request), [`OAuthError::MissingCode`] when there is no code.
    ///
    /// ```
    /// use pinterest_v5::oauth::{OAuthApp, OAuthError};
    /// use pinterest_v5::Error;
    /// let app = OAuthApp::new("id", "secret", "https://example.com/cb");
    /// let code = app.parse_callback("https://example.com/cb?code=abc&state=s1", "s1")?;
    /// assert_eq!(code.secret(), "abc");
    /// let denied = app.parse_callback("https://example.com/cb?error=access_denied&state=s1", "s1");
    /// assert!(matches!(denied, Err(Error::OAuth(OAuthError::AccessDenied { .. }))));
    /// let forged = app.parse_callback("/cb?code=abc&state=other", "s1");
    /// assert!(matches!(forged, Err(Error::OAuth(OAuthError::StateMismatch))));
    /// # Ok::<(), pinterest_v5::Error>(())
    /// ```
    pub fn parse_callback(
        &self,
        redirect_url: &str,
        expected_state: &str,
    ) -> Result<AuthorizationCode, Error> {
        let base = url::Url::parse(&self.redirect_uri).ok();
        let url = url::Url::options()
            .base_url(base.as_ref())
            .parse(redirect_url.trim())
            .map_err(|e| OAuthError::InvalidRedirect(e.to_string()))?;
        let mut code = None;
        let mut state = None;
        let mut error = None;
        let mut description = None;
        for (k, v) in url.query_pairs() {
            match k.as_ref() {
                "code" if !v.is_empty() => code = Some(v.into_owned()),
                "state" => state = Some(v.into_owned()),
                "error" => error = Some(v.into_owned()),
                "error_description" => description = Some(v.into_owned()),
                _ => {}
            }
        }
        if let Some(error) = error {
            return Err(if error == "access_denied" {
                OAuthError::AccessDenied { description }
            } else {
                OAuthError::AuthorizationFailed { error, description }
            }
            .into());
        }
        let state_matches = !expected_state.is_empty()
            && state.is_some_and(|s| bool::from(s.as_bytes().ct_eq(expected_state.as_bytes())));
        if !state_matches {
            return Err(OAuthError::StateMismatch.into());
        }
        code.map(AuthorizationCode)
            .ok_or_else(|| OAuthError::MissingCode.into())
    }

    /// Exchanges the code of the redirect for a token (`grant_type=authorization_code`, with
    /// the exact redirect URI).
    ///
    /// ```no_run
    /// # async fn run(app: pinterest_v5::oauth::OAuthApp, url: &str, state: &str) -> pinterest_v5::Result<()> {
    /// let code = app.parse_callback(url, state)?;
    /// let token = app.exchange_code(&code).await?;
    /// println!("granted {:?}, expires {:?}", token.scopes(), token.expires_at());
    /// # Ok(()) }
    /// ```
    pub async fn exchange_code(&self, code: &AuthorizationCode) -> Result<Token, Error> {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.secret()),
            ("redirect_uri", self.redirect_uri.as_str()),
        ];
        if self.continuous_refresh {
            form.push(("continuous_refresh", "true"));
        }
        self.token_request(None, None, &form).await
    }

    /// Exchanges a refresh token for a new token (`grant_type=refresh_token`, plus
    /// `continuous_refresh=true` when [`OAuthApp::continuous_refresh`] is on). A reply without
    /// a refresh token keeps `refresh_token` and its expiry in the returned token, so the
    /// result can always replace the old token.
    ///
    /// ```no_run
    /// # async fn run(app: pinterest_v5::oauth::OAuthApp, old: pinterest_v5::oauth::Token) -> pinterest_v5::Result<()> {
    /// let fresh = app.refresh(&old).await?;
    /// # Ok(()) }
    /// ```
    pub async fn refresh(&self, token: &Token) -> Result<Token, Error> {
        self.refresh_in(None, None, token).await
    }

    pub(crate) async fn refresh_in(
        &self,
        environment: Option<&Environment>,
        http: Option<&reqwest::Client>,
        token: &Token,
    ) -> Result<Token, Error> {
        let Some(refresh_token) = &token.refresh_token else {
            return Err(OAuthError::NoRefreshToken.into());
        };
        let mut form = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.secret()),
        ];
        if self.continuous_refresh {
            form.push(("continuous_refresh", "true"));
        }
        let fresh = self.token_request(environment, http, &form).await?;
        Ok(fresh.carry_over(token))
    }

    /// Gets a token for the app itself (`grant_type=client_credentials`): no user, no refresh
    /// token; for reading the app's own ad accounts.
    ///
    /// ```no_run
    /// # async fn run(app: pinterest_v5::oauth::OAuthApp) -> pinterest_v5::Result<()> {
    /// use pinterest_v5::oauth::Scope;
    /// let token = app.client_credentials(&[Scope::AdsRead]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn client_credentials(&self, scopes: &[Scope]) -> Result<Token, Error> {
        let scope = Scope::join(scopes);
        let form = [
            ("grant_type", "client_credentials"),
            ("scope", scope.as_str()),
        ];
        self.token_request(None, None, &form).await
    }

    /// Revokes `token` (an [`AccessToken`] or a [`RefreshToken`]) at
    /// `POST {base}/oauth/token/revoke`: HTTP Basic, a form body with the token and its
    /// `token_type_hint`. A revoked token is unusable at once. Pinterest revokes only tokens
    /// issued for system users for now; it refuses others with [`OAuthError::RevocationRejected`].
    ///
    /// ```no_run
    /// # async fn run(app: pinterest_v5::oauth::OAuthApp, token: pinterest_v5::oauth::Token) -> pinterest_v5::Result<()> {
    /// if let Some(refresh) = token.refresh_token() {
    ///     app.revoke(refresh).await?;
    /// }
    /// app.revoke(token.access_token()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn revoke(&self, token: &impl Revocable) -> Result<(), Error> {
        let (secret, hint) = token.revocation();
        let form = [("token", secret), ("token_type_hint", hint)];
        let url = self.endpoint_in(None, "/oauth/token/revoke");
        let (status, body) = self.post_form(None, url, &form).await?;
        if !status.is_success() {
            let (code, message) = OAuthError::error_body(status.as_u16(), &body);
            return Err(OAuthError::RevocationRejected {
                status: status.as_u16(),
                code,
                message,
            }
            .into());
        }
        Ok(())
    }

    /// The value of `Authorization: Basic …` for the app's credentials, marked sensitive (for
    /// the generated operations that only they authorise).
    pub(crate) fn basic_authorization(&self) -> Result<reqwest::header::HeaderValue, Error> {
        use base64::Engine;
        let credentials = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.client_id, self.client_secret));
        let mut value = reqwest::header::HeaderValue::try_from(format!("Basic {credentials}"))
            .map_err(|_| {
                Error::Config("the app's credentials are not a valid header value".into())
            })?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// `POST {base}/oauth/token` with HTTP Basic and a form body; decodes the reply.
    async fn token_request(
        &self,
        environment: Option<&Environment>,
        http: Option<&reqwest::Client>,
        form: &[(&str, &str)],
    ) -> Result<Token, Error> {
        let received_at = Utc::now();
        let url = self.token_url_in(environment);
        let (status, body) = self.post_form(http, url, form).await?;
        if !status.is_success() {
            return Err(OAuthError::rejected(status.as_u16(), &body).into());
        }
        Token::from_reply(&body, received_at).map_err(Error::from)
    }

    /// `POST url` with HTTP Basic and a form body, within the app's request timeout; the
    /// reply's status and body.
    async fn post_form(
        &self,
        http: Option<&reqwest::Client>,
        url: String,
        form: &[(&str, &str)],
    ) -> Result<(reqwest::StatusCode, bytes::Bytes), Error> {
        let default_client;
        let http = match (self.http.as_ref(), http) {
            (Some(c), _) | (None, Some(c)) => c,
            (None, None) => {
                default_client = crate::client::default_http_client()?;
                &default_client
            }
        };
        let mut request = http
            .post(url)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .header(reqwest::header::ACCEPT, "application/json")
            .form(form)
            .timeout(self.request_timeout)
            .build()
            .map_err(Error::from)?;
        // Sent again at once when the server refused it unprocessed (the crate's `reqwest`
        // client leaves that to its callers: see `retry::refused_unprocessed`).
        let mut resends = 0;
        let response = loop {
            let again = (resends < crate::retry::UNPROCESSED_RESENDS)
                .then(|| request.try_clone())
                .flatten();
            match http.execute(request).await {
                Ok(response) => break response,
                Err(e) => match again {
                    Some(again) if crate::retry::refused_unprocessed(&e) => {
                        request = again;
                        resends += 1;
                    }
                    _ => return Err(Error::from(e)),
                },
            }
        };
        let status = response.status();
        let body = response.bytes().await.map_err(Error::from)?;
        Ok((status, body))
    }
}

/// A token [`OAuthApp::revoke`] can revoke: an [`AccessToken`] or a [`RefreshToken`].
///
/// ```
/// fn revocable(_: &impl pinterest_v5::oauth::Revocable) {}
/// revocable(&pinterest_v5::oauth::AccessToken::new("pina_x"));
/// revocable(&pinterest_v5::oauth::RefreshToken::new("pinr_x"));
/// ```
pub trait Revocable: sealed::Sealed {
    /// The secret and its `token_type_hint`.
    #[doc(hidden)]
    fn revocation(&self) -> (&str, &'static str);
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::AccessToken {}
    impl Sealed for super::RefreshToken {}
}

impl Revocable for AccessToken {
    fn revocation(&self) -> (&str, &'static str) {
        (self.secret(), "access_token")
    }
}

impl Revocable for RefreshToken {
    fn revocation(&self) -> (&str, &'static str) {
        (self.secret(), "refresh_token")
    }
}

// ---------------------------------------------------------------------------------------------
// Token
// ---------------------------------------------------------------------------------------------

/// What the token endpoint grants: access token, refresh token (not for client credentials),
/// scopes, and when each token expires (computed at receipt from `expires_in` and
/// `refresh_token_expires_in`).
///
/// Serde writes every field (secrets included: that is what a token store keeps) and reads
/// leniently (missing optional fields, unknown fields, unknown scopes). `Debug` hides both
/// tokens.
///
/// ```
/// use pinterest_v5::oauth::{Scope, Token};
/// let token = Token::new("pina_SECRET")
///     .with_refresh_token("pinr_SECRET")
///     .with_scopes(vec![Scope::BoardsRead])
///     .with_expires_in(std::time::Duration::from_secs(3600));
/// let json = serde_json::to_string(&token).unwrap();
/// let back: Token = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, token);
/// assert!(!format!("{token:?}").contains("SECRET"));
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    access_token: AccessToken,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<RefreshToken>,
    #[serde(default)]
    scopes: Vec<Scope>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token_expires_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("scopes", &self.scopes)
            .field("expires_at", &self.expires_at)
            .field("refresh_token_expires_at", &self.refresh_token_expires_at)
            .finish()
    }
}

impl Token {
    /// A token with only an access token (no refresh token, no known expiry), like the
    /// 24-hour test tokens of the developer portal.
    ///
    /// ```
    /// let token = pinterest_v5::oauth::Token::new("pina_test");
    /// assert!(token.refresh_token().is_none());
    /// assert!(token.expires_at().is_none());
    /// ```
    pub fn new(access_token: impl Into<String>) -> Self {
        Token {
            access_token: AccessToken::new(access_token),
            refresh_token: None,
            scopes: Vec::new(),
            expires_at: None,
            refresh_token_expires_at: None,
        }
    }

    /// Sets the refresh token.
    ///
    /// ```
    /// let token = pinterest_v5::oauth::Token::new("a").with_refresh_token("r");
    /// assert_eq!(token.refresh_token().map(|r| r.secret()), Some("r"));
    /// ```
    pub fn with_refresh_token(mut self, refresh_token: impl Into<String>) -> Self {
        self.refresh_token = Some(RefreshToken::new(refresh_token));
        self
    }

    /// Sets the granted scopes.
    ///
    /// ```
    /// use pinterest_v5::oauth::{Scope, Token};
    /// let token = Token::new("a").with_scopes(vec![Scope::PinsRead]);
    /// assert_eq!(token.scopes(), &[Scope::PinsRead]);
    /// ```
    pub fn with_scopes(mut self, scopes: Vec<Scope>) -> Self {
        self.scopes = scopes;
        self
    }

    /// Sets when the access token expires.
    ///
    /// ```
    /// let at = chrono::Utc::now();
    /// let token = pinterest_v5::oauth::Token::new("a").with_expires_at(at);
    /// assert_eq!(token.expires_at(), Some(at));
    /// ```
    pub fn with_expires_at(mut self, at: DateTime<Utc>) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// Sets the access token to expire `lifetime` from now.
    ///
    /// ```
    /// let token = pinterest_v5::oauth::Token::new("a")
    ///     .with_expires_in(std::time::Duration::from_secs(60));
    /// assert!(token.expires_at().unwrap() > chrono::Utc::now());
    /// ```
    pub fn with_expires_in(self, lifetime: std::time::Duration) -> Self {
        self.with_expires_at(after(Utc::now(), lifetime.as_secs()))
    }

    /// Sets when the refresh token expires.
    ///
    /// ```
    /// let at = chrono::Utc::now();
    /// let token = pinterest_v5::oauth::Token::new("a").with_refresh_token_expires_at(at);
    /// assert_eq!(token.refresh_token_expires_at(), Some(at));
    /// ```
    pub fn with_refresh_token_expires_at(mut self, at: DateTime<Utc>) -> Self {
        self.refresh_token_expires_at = Some(at);
        self
    }

    /// The access token.
    ///
    /// ```
    /// let token = pinterest_v5::oauth::Token::new("a");
    /// assert_eq!(token.access_token().secret(), "a");
    /// ```
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// The refresh token, if one was granted.
    ///
    /// ```
    /// assert!(pinterest_v5::oauth::Token::new("a").refresh_token().is_none());
    /// ```
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    /// The scopes granted.
    ///
    /// ```
    /// assert!(pinterest_v5::oauth::Token::new("a").scopes().is_empty());
    /// ```
    pub fn scopes(&self) -> &[Scope] {
        &self.scopes
    }

    /// When the access token expires, if known.
    ///
    /// ```
    /// assert!(pinterest_v5::oauth::Token::new("a").expires_at().is_none());
    /// ```
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.expires_at
    }

    /// When the refresh token expires, if known. After it, the user must authorise again.
    ///
    /// ```
    /// assert!(pinterest_v5::oauth::Token::new("a").refresh_token_expires_at().is_none());
    /// ```
    pub fn refresh_token_expires_at(&self) -> Option<DateTime<Utc>> {
        self.refresh_token_expires_at
    }

    /// Whether the access token expires within `margin` of `now` (false when its expiry is
    /// unknown).
    ///
    /// ```
    /// use std::time::Duration;
    /// let token = pinterest_v5::oauth::Token::new("a").with_expires_in(Duration::from_secs(60));
    /// let now = chrono::Utc::now();
    /// assert!(token.expires_within(Duration::from_secs(300), now));
    /// assert!(!token.expires_within(Duration::from_secs(10), now));
    /// ```
    pub fn expires_within(&self, margin: std::time::Duration, now: DateTime<Utc>) -> bool {
        self.expires_at
            .is_some_and(|at| at <= after(now, margin.as_secs()))
    }

    /// Decodes a token endpoint reply received at `received_at`. Lenient: only
    /// `access_token` is required; numbers may come as strings; unknown fields and
    /// `response_type` values are ignored.
    ///
    /// ```
    /// use pinterest_v5::oauth::{Scope, Token};
    /// let now = chrono::Utc::now();
    /// let token = Token::from_reply(
    ///     br#"{"access_token":"a","refresh_token":"r","expires_in":"60","scope":"pins:read","x":1}"#,
    ///     now,
    /// )?;
    /// assert_eq!(token.expires_at(), Some(now + chrono::Duration::seconds(60)));
    /// assert_eq!(token.scopes(), &[Scope::PinsRead]);
    /// # Ok::<(), pinterest_v5::oauth::OAuthError>(())
    /// ```
    pub fn from_reply(body: &[u8], received_at: DateTime<Utc>) -> Result<Token, OAuthError> {
        let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
            OAuthError::InvalidTokenReply("the reply of the token endpoint is not JSON".into())
        })?;
        let Some(object) = value.as_object() else {
            return Err(OAuthError::InvalidTokenReply(
                "the reply of the token endpoint is not a JSON object".into(),
            ));
        };
        let text = |name: &str| {
            object
                .get(name)
                .and_then(serde_json::Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let number = |name: &str| {
            object.get(name).and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            })
        };
        let Some(access_token) = text("access_token") else {
            return Err(OAuthError::InvalidTokenReply(
                "the reply of the token endpoint has no access_token".into(),
            ));
        };
        let refresh_token = text("refresh_token");
        let refresh_token_expires_at = match number("refresh_token_expires_in") {
            Some(secs) => Some(after(received_at, secs)),
            None => number("refresh_token_expires_at")
                .and_then(|t| i64::try_from(t).ok())
                .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0)),
        };
        Ok(Token {
            access_token: AccessToken(access_token),
            refresh_token_expires_at: refresh_token.as_ref().and(refresh_token_expires_at),
            refresh_token: refresh_token.map(RefreshToken),
            scopes: text("scope")
                .map(|s| Scope::parse_list(&s))
                .unwrap_or_default(),
            expires_at: number("expires_in").map(|secs| after(received_at, secs)),
        })
    }

    /// Fills what a refresh reply left out from the token it replaces: the refresh token (and
    /// its expiry) when not rotated, the scopes when not listed.
    fn carry_over(mut self, old: &Token) -> Token {
        if self.refresh_token.is_none() {
            self.refresh_token = old.refresh_token.clone();
            self.refresh_token_expires_at = old.refresh_token_expires_at;
        }
        if self.scopes.is_empty() {
            self.scopes = old.scopes.clone();
        }
        self
    }
}

/// `t + secs`, saturating far in the future instead of overflowing.
fn after(t: DateTime<Utc>, secs: u64) -> DateTime<Utc> {
    i64::try_from(secs)
        .ok()
        .and_then(chrono::TimeDelta::try_seconds)
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// An OAuth step that failed. None of them shows a secret.
///
/// ```
/// use pinterest_v5::oauth::OAuthError;
/// let e = OAuthError::Rejected { status: 400, code: Some(283), message: "The authorization grant is invalid".into() };
/// assert!(e.needs_reauthorization());
/// assert!(e.to_string().contains("authorize the app again"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OAuthError {
    /// The user declined the app's request (`error=access_denied` in the redirect).
    AccessDenied {
        /// Pinterest's `error_description`, when given.
        description: Option<String>,
    },
    /// The redirect carries another OAuth `error`.
    AuthorizationFailed {
        /// The `error` parameter.
        error: String,
        /// The `error_description` parameter, when given.
        description: Option<String>,
    },
    /// The redirect's `state` is missing or is not the one kept from the authorization URL:
    /// it does not answer your request (possibly forged).
    StateMismatch,
    /// The redirect has neither a `code` nor an `error`.
    MissingCode,
    /// The redirect URL does not parse.
    InvalidRedirect(String),
    /// The token endpoint refused the grant.
    Rejected {
        /// HTTP status of the reply.
        status: u16,
        /// Pinterest's error code (283: the authorization grant is invalid).
        code: Option<i64>,
        /// Pinterest's message.
        message: String,
    },
    /// The token endpoint answered 2xx with something that is not a token.
    InvalidTokenReply(String),
    /// A refresh was needed but the token has no refresh token (a bare access token or a
    /// client-credentials token).
    NoRefreshToken,
    /// The revocation endpoint refused to revoke the token.
    RevocationRejected {
        /// HTTP status of the reply.
        status: u16,
        /// Pinterest's error code (29: the app may not revoke this token).
        code: Option<i64>,
        /// Pinterest's message.
        message: String,
    },
    /// The refresh these requests waited for stopped before it finished (why, in words: it
    /// panicked, or its task was cancelled when the runtime it ran on shut down). The token
    /// was left as it was; the next request starts a new refresh.
    RefreshInterrupted(String),
}

impl OAuthError {
    /// Pinterest's code for an invalid, expired or revoked grant (code or refresh token).
    ///
    /// ```
    /// assert_eq!(pinterest_v5::oauth::OAuthError::INVALID_GRANT, 283);
    /// ```
    pub const INVALID_GRANT: i64 = 283;

    /// Whether the user must authorise the app again (go through the authorization URL): the
    /// grant is invalid, expired or revoked, the user declined, or the redirect cannot be
    /// trusted.
    ///
    /// ```
    /// use pinterest_v5::oauth::OAuthError;
    /// assert!(OAuthError::NoRefreshToken.needs_reauthorization());
    /// let bad_secret = OAuthError::Rejected { status: 401, code: Some(2), message: "Authentication failed".into() };
    /// assert!(!bad_secret.needs_reauthorization());
    /// ```
    pub fn needs_reauthorization(&self) -> bool {
        match self {
            OAuthError::Rejected { code, message, .. } => {
                *code == Some(Self::INVALID_GRANT) || message == "invalid_grant"
            }
            OAuthError::AccessDenied { .. }
            | OAuthError::StateMismatch
            | OAuthError::MissingCode
            | OAuthError::NoRefreshToken => true,
            OAuthError::AuthorizationFailed { .. }
            | OAuthError::InvalidRedirect(_)
            | OAuthError::InvalidTokenReply(_)
            | OAuthError::RevocationRejected { .. }
            | OAuthError::RefreshInterrupted(_) => false,
        }
    }

    /// Builds the error of a non-2xx token reply: Pinterest's `{code, message}`, or OAuth's
    /// `{error, error_description}`, or the status alone.
    fn rejected(status: u16, body: &[u8]) -> OAuthError {
        let (code, message) = OAuthError::error_body(status, body);
        OAuthError::Rejected {
            status,
            code,
            message,
        }
    }

    /// The code and message of an error reply of the token endpoints.
    fn error_body(status: u16, body: &[u8]) -> (Option<i64>, String) {
        #[derive(Deserialize)]
        struct Body {
            code: Option<serde_json::Value>,
            message: Option<String>,
            error: Option<String>,
            error_description: Option<String>,
        }
        let parsed: Option<Body> = serde_json::from_slice(body).ok();
        let (code, message) = match parsed {
            Some(b) => (
                b.code.and_then(|c| {
                    c.as_i64()
                        .or_else(|| c.as_str().and_then(|s| s.parse().ok()))
                }),
                b.message.or(b.error_description).or(b.error),
            ),
            None => (None, None),
        };
        (
            code,
            message.unwrap_or_else(|| format!("HTTP {status} without an error body")),
        )
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OAuthError::AccessDenied { description } => {
                write!(f, "the user declined to authorize the app")?;
                if let Some(d) = description {
                    write!(f, " ({d})")?;
                }
                write!(
                    f,
                    "; ask again with a new authorization URL if they want to"
                )
            }
            OAuthError::AuthorizationFailed { error, description } => {
                write!(f, "Pinterest's authorization redirect reports `{error}`")?;
                if let Some(d) = description {
                    write!(f, ": {d}")?;
                }
                write!(f, "; check the app's client id, redirect URI and scopes")
            }
            OAuthError::StateMismatch => write!(
                f,
                "the redirect's state does not match the one of the authorization request (possibly forged); discard it and start the authorization again"
            ),
            OAuthError::MissingCode => write!(
                f,
                "the redirect has no authorization code; pass the full redirect URL, or start the authorization again"
            ),
            OAuthError::InvalidRedirect(e) => write!(
                f,
                "the redirect URL does not parse ({e}); pass the full URL Pinterest redirected to"
            ),
            OAuthError::Rejected {
                status,
                code,
                message,
            } => {
                write!(
                    f,
                    "Pinterest's token endpoint refused the grant (HTTP {status}"
                )?;
                if let Some(c) = code {
                    write!(f, ", code {c}")?;
                }
                write!(f, "): {message}")?;
                if self.needs_reauthorization() {
                    write!(
                        f,
                        "; the grant is invalid, expired or revoked: the user must authorize the app again"
                    )?;
                }
                Ok(())
            }
            OAuthError::InvalidTokenReply(m) => write!(f, "{m}"),
            OAuthError::NoRefreshToken => write!(
                f,
                "the token cannot be refreshed (it has no refresh token); the user must authorize the app again"
            ),
            OAuthError::RevocationRejected {
                status,
                code,
                message,
            } => {
                write!(f, "Pinterest refused to revoke the token (HTTP {status}")?;
                if let Some(c) = code {
                    write!(f, ", code {c}")?;
                }
                write!(
                    f,
                    "): {message}; only tokens issued for system users can be revoked for now"
                )
            }
            OAuthError::RefreshInterrupted(why) => write!(
                f,
                "the token refresh this request waited for stopped before it finished ({why}); the token was left as it was, and the next request refreshes again"
            ),
        }
    }
}

impl std::error::Error for OAuthError {}

impl From<OAuthError> for Error {
    fn from(e: OAuthError) -> Self {
        Error::OAuth(e)
    }
}
