//! Your Pinterest app and its OAuth endpoints: the authorization URL, the redirect back, the
//! token grants and revocation.

use super::error::OAuthError;
use super::scope::Scope;
use super::token::{AccessToken, AuthorizationCode, REDACTED, RefreshToken, Token};
use crate::{Environment, Error};
use chrono::Utc;
use std::fmt;
use std::time::Duration;
use subtle::ConstantTimeEq;

/// Where users are sent to authorise an app.
///
/// ```
/// assert_eq!(pinterest_v5::auth::AUTHORIZATION_URL, "https://www.pinterest.com/oauth/");
/// ```
pub const AUTHORIZATION_URL: &str = "https://www.pinterest.com/oauth/";

/// Your Pinterest app: client id, client secret and redirect URI (from the developer portal),
/// and which API host serves its token endpoint. `Debug` hides the secret.
///
/// ```
/// use pinterest_v5::auth::OAuthApp;
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
/// use pinterest_v5::auth::{OAuthApp, Scope};
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
    /// let app = pinterest_v5::auth::OAuthApp::new("id", "secret", "http://localhost:8085/");
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
    /// let app = pinterest_v5::auth::OAuthApp::from_env()?;
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
    /// use pinterest_v5::{Environment, auth::OAuthApp};
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
    /// let app = pinterest_v5::auth::OAuthApp::new("id", "secret", "https://example.com/cb")
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
    /// let app = pinterest_v5::auth::OAuthApp::new("id", "secret", "https://example.com/cb")
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
    /// let app = pinterest_v5::auth::OAuthApp::new("id", "secret", "https://example.com/cb")
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
    /// let app = pinterest_v5::auth::OAuthApp::new("id", "secret", "https://example.com/cb");
    /// assert_eq!(app.client_id(), "id");
    /// ```
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The redirect URI, exactly as given.
    ///
    /// ```
    /// let app = pinterest_v5::auth::OAuthApp::new("id", "secret", "https://example.com/cb");
    /// assert_eq!(app.redirect_uri(), "https://example.com/cb");
    /// ```
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The token endpoint: `{base}/oauth/token` of the app's environment (production unless set).
    ///
    /// ```
    /// use pinterest_v5::{Environment, auth::OAuthApp};
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
    /// use pinterest_v5::auth::{OAuthApp, Scope};
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
    /// use pinterest_v5::auth::{OAuthApp, OAuthError};
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
    /// # async fn run(app: pinterest_v5::auth::OAuthApp, url: &str, state: &str) -> pinterest_v5::Result<()> {
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
    /// # async fn run(app: pinterest_v5::auth::OAuthApp, old: pinterest_v5::auth::Token) -> pinterest_v5::Result<()> {
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
    /// # async fn run(app: pinterest_v5::auth::OAuthApp) -> pinterest_v5::Result<()> {
    /// use pinterest_v5::auth::Scope;
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
    /// # async fn run(app: pinterest_v5::auth::OAuthApp, token: pinterest_v5::auth::Token) -> pinterest_v5::Result<()> {
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
                default_client = crate::http::default_http_client()?;
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
            let again = (resends < crate::client::retry::UNPROCESSED_RESENDS)
                .then(|| request.try_clone())
                .flatten();
            match http.execute(request).await {
                Ok(response) => break response,
                Err(e) => match again {
                    Some(again) if crate::client::retry::refused_unprocessed(&e) => {
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
/// fn revocable(_: &impl pinterest_v5::auth::Revocable) {}
/// revocable(&pinterest_v5::auth::AccessToken::new("pina_x"));
/// revocable(&pinterest_v5::auth::RefreshToken::new("pinr_x"));
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
