//! Token-refresh middleware: the bearer token of every request, refreshed before it expires
//! and once after a 401, one refresh at a time however many requests wait.
//!
//! (Minimal first version: a fixed access token. Refresh arrives with the OAuth issue.)

use crate::Error;
use std::fmt;

/// An access token as sent in `Authorization: Bearer …`. Its `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(token.into())
    }

    /// The token itself. Handle with care: it authorises calls as the user.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// Supplies the bearer token of every request a [`crate::Client`] makes.
pub struct TokenManager {
    token: AccessToken,
}

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenManager").finish_non_exhaustive()
    }
}

impl TokenManager {
    /// A manager for a bare access token (never refreshed).
    pub fn from_access_token(token: impl Into<String>) -> Self {
        TokenManager {
            token: AccessToken::new(token),
        }
    }

    /// The token to send now.
    pub async fn access_token(&self) -> Result<AccessToken, Error> {
        Ok(self.token.clone())
    }

    /// Whether a rejected token can be replaced by a refresh.
    pub fn can_refresh(&self) -> bool {
        false
    }

    /// Called after Pinterest rejected `rejected` with a 401.
    pub async fn refresh_after_unauthorized(&self, _rejected: &AccessToken) -> Result<(), Error> {
        Ok(())
    }
}
