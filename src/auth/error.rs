//! What can go wrong in an OAuth step.

use crate::Error;

use std::fmt;

/// An OAuth step that failed. None of them shows a secret.
///
/// ```
/// use pinterest_v5::auth::OAuthError;
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
    /// assert_eq!(pinterest_v5::auth::OAuthError::INVALID_GRANT, 283);
    /// ```
    pub const INVALID_GRANT: i64 = 283;

    /// Whether the user must authorise the app again (go through the authorization URL): the
    /// grant is invalid, expired or revoked, the user declined, or the redirect cannot be
    /// trusted.
    ///
    /// ```
    /// use pinterest_v5::auth::OAuthError;
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
    pub(super) fn rejected(status: u16, body: &[u8]) -> OAuthError {
        let (code, message) = OAuthError::error_body(status, body);
        OAuthError::Rejected {
            status,
            code,
            message,
        }
    }

    /// The code and message of an error reply of the token endpoints.
    pub(super) fn error_body(status: u16, body: &[u8]) -> (Option<i64>, String) {
        let (code, message) = crate::error::error_body(body);
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
