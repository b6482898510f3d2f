//! What the token endpoint grants, and the secrets in it: their `Debug` never shows them.

use super::error::OAuthError;
use super::scope::Scope;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a redacted secret shows in `Debug` output.
pub(super) const REDACTED: &str = "[redacted]";

/// Shows [`REDACTED`] in a `Debug` in place of a secret: the generated types with a secret
/// field (`codegen`'s `secrets` pass) print it instead of the field's value.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

macro_rules! secret_string {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub(super) String);

        impl $name {
            /// Wraps the secret.
            ///
            /// ```
            #[doc = concat!("let s = pinterest_v5::auth::", stringify!($name), "::new(\"x\");")]
            /// assert_eq!(s.secret(), "x");
            /// ```
            pub fn new(secret: impl Into<String>) -> Self {
                $name(secret.into())
            }

            /// The secret itself. Handle with care: never log it.
            ///
            /// ```
            #[doc = concat!("let s = pinterest_v5::auth::", stringify!($name), "::new(\"x\");")]
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
    /// serde writes it as a plain string (that is what a [`crate::auth::TokenStore`] keeps).
    ///
    /// ```
    /// use pinterest_v5::auth::AccessToken;
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
    /// use pinterest_v5::auth::RefreshToken;
    /// let token = RefreshToken::new("pinr_SECRET");
    /// assert!(!format!("{token:?}").contains("SECRET"));
    /// ```
    RefreshToken
}

secret_string! {
    /// The one-time code Pinterest appends to the redirect after the user consents
    /// ([`OAuthApp::parse_callback`](super::OAuthApp::parse_callback)); exchange it with [`OAuthApp::exchange_code`](super::OAuthApp::exchange_code).
    ///
    /// ```
    /// use pinterest_v5::auth::AuthorizationCode;
    /// let code = AuthorizationCode::new("c0de");
    /// assert_eq!(format!("{code:?}"), "AuthorizationCode([redacted])");
    /// ```
    AuthorizationCode
}

/// What the token endpoint grants: access token, refresh token (not for client credentials),
/// scopes, and when each token expires (computed at receipt from `expires_in` and
/// `refresh_token_expires_in`).
///
/// Serde writes every field (secrets included: that is what a token store keeps) and reads
/// leniently (missing optional fields, unknown fields, unknown scopes). `Debug` hides both
/// tokens.
///
/// ```
/// use pinterest_v5::auth::{Scope, Token};
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
    pub(super) refresh_token: Option<RefreshToken>,
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
    /// let token = pinterest_v5::auth::Token::new("pina_test");
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
    /// let token = pinterest_v5::auth::Token::new("a").with_refresh_token("r");
    /// assert_eq!(token.refresh_token().map(|r| r.secret()), Some("r"));
    /// ```
    pub fn with_refresh_token(mut self, refresh_token: impl Into<String>) -> Self {
        self.refresh_token = Some(RefreshToken::new(refresh_token));
        self
    }

    /// Sets the granted scopes.
    ///
    /// ```
    /// use pinterest_v5::auth::{Scope, Token};
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
    /// let token = pinterest_v5::auth::Token::new("a").with_expires_at(at);
    /// assert_eq!(token.expires_at(), Some(at));
    /// ```
    pub fn with_expires_at(mut self, at: DateTime<Utc>) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// Sets the access token to expire `lifetime` from now.
    ///
    /// ```
    /// let token = pinterest_v5::auth::Token::new("a")
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
    /// let token = pinterest_v5::auth::Token::new("a").with_refresh_token_expires_at(at);
    /// assert_eq!(token.refresh_token_expires_at(), Some(at));
    /// ```
    pub fn with_refresh_token_expires_at(mut self, at: DateTime<Utc>) -> Self {
        self.refresh_token_expires_at = Some(at);
        self
    }

    /// The access token.
    ///
    /// ```
    /// let token = pinterest_v5::auth::Token::new("a");
    /// assert_eq!(token.access_token().secret(), "a");
    /// ```
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// The refresh token, if one was granted.
    ///
    /// ```
    /// assert!(pinterest_v5::auth::Token::new("a").refresh_token().is_none());
    /// ```
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    /// The scopes granted.
    ///
    /// ```
    /// assert!(pinterest_v5::auth::Token::new("a").scopes().is_empty());
    /// ```
    pub fn scopes(&self) -> &[Scope] {
        &self.scopes
    }

    /// When the access token expires, if known.
    ///
    /// ```
    /// assert!(pinterest_v5::auth::Token::new("a").expires_at().is_none());
    /// ```
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.expires_at
    }

    /// When the refresh token expires, if known. After it, the user must authorise again.
    ///
    /// ```
    /// assert!(pinterest_v5::auth::Token::new("a").refresh_token_expires_at().is_none());
    /// ```
    pub fn refresh_token_expires_at(&self) -> Option<DateTime<Utc>> {
        self.refresh_token_expires_at
    }

    /// Whether the access token expires within `margin` of `now` (false when its expiry is
    /// unknown).
    ///
    /// ```
    /// use std::time::Duration;
    /// let token = pinterest_v5::auth::Token::new("a").with_expires_in(Duration::from_secs(60));
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
    /// use pinterest_v5::auth::{Scope, Token};
    /// let now = chrono::Utc::now();
    /// let token = Token::from_reply(
    ///     br#"{"access_token":"a","refresh_token":"r","expires_in":"60","scope":"pins:read","x":1}"#,
    ///     now,
    /// )?;
    /// assert_eq!(token.expires_at(), Some(now + chrono::Duration::seconds(60)));
    /// assert_eq!(token.scopes(), &[Scope::PinsRead]);
    /// # Ok::<(), pinterest_v5::auth::OAuthError>(())
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
    pub(super) fn carry_over(mut self, old: &Token) -> Token {
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
