//! OAuth 2.0 with Pinterest: authorization URL, callback, code exchange, refresh.
//!
//! (Minimal first version: the error type.)

use std::fmt;

/// An OAuth step that failed.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum OAuthError {
    /// The token endpoint refused the grant.
    Rejected {
        /// Pinterest's error code.
        code: Option<i64>,
        /// Pinterest's message.
        message: String,
    },
}

impl OAuthError {
    /// Whether the user must authorise the app again.
    pub fn needs_reauthorization(&self) -> bool {
        matches!(self, OAuthError::Rejected { code: Some(283), .. })
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OAuthError::Rejected { code, message } => {
                write!(f, "Pinterest refused the OAuth grant")?;
                if let Some(c) = code {
                    write!(f, " (code {c})")?;
                }
                write!(f, ": {message}")
            }
        }
    }
}
