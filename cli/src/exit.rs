//! Exit statuses, and what a failure says on stderr: what went wrong (for a reply of
//! Pinterest's, its status, code, message and request id) and what to do about it. No secret
//! is ever part of it: the crate's errors show none, and what the tool adds names files and
//! commands only.

use pinterest_v5::Error;
use pinterest_v5::error::MediaError;
use std::process::ExitCode;

/// The exit status of a run that failed, by what a script does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    /// Pinterest answered with an error (not one of the kinds below).
    Api = 1,
    /// The command line or its input is wrong; nothing was sent.
    Usage = 2,
    /// Not signed in, a token refused, expired or unusable, an OAuth step failed.
    Authorization = 3,
    /// Rate limited beyond what the client waits out.
    RateLimited = 4,
    /// Anything else: the network, a reply that does not decode, a file.
    Other = 5,
}

/// The exit statuses, for `pinterest --help` (cli/README.md says the same).
pub(crate) const STATUSES: &str = "\
Exit status:
  0  success
  1  Pinterest answered with an error
  2  usage or bad input: nothing was sent
  3  authorisation: not signed in, token refused or expired, OAuth failed
  4  rate limited
  5  anything else (network, a reply that does not decode, a file)";

/// Why a command failed: the exit status, the message, and what to do.
#[derive(Debug)]
pub(crate) struct Failure {
    status: Status,
    message: String,
    hint: Option<String>,
}

impl Failure {
    /// A failure with this status and message.
    pub(crate) fn new(status: Status, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
            hint: None,
        }
    }

    /// Bad usage or input: nothing was sent.
    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure::new(Status::Usage, message)
    }

    /// An authorisation problem.
    pub(crate) fn authorization(message: impl Into<String>) -> Failure {
        Failure::new(Status::Authorization, message)
    }

    /// Anything else.
    pub(crate) fn other(message: impl Into<String>) -> Failure {
        Failure::new(Status::Other, message)
    }

    /// Adds what to do about it (replacing a hint given before).
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.hint = Some(hint.into());
        self
    }

    /// Prints the failure on stderr and gives its exit status.
    pub(crate) fn report(&self) -> ExitCode {
        eprintln!("error: {}", self.message);
        if let Some(hint) = &self.hint {
            eprintln!("hint: {hint}");
        }
        ExitCode::from(self.status as u8)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        let (status, hint) = match &e {
            Error::Api(api) => match api.status.as_u16() {
                401 => (
                    Status::Authorization,
                    Some(
                        "Pinterest refused the token: sign in again with `pinterest auth login`, or give a valid one with --token",
                    ),
                ),
                403 => (
                    Status::Authorization,
                    Some(
                        "the token lacks a scope this operation needs, or the account may not do this: `pinterest auth login --scopes …` asks for more",
                    ),
                ),
                429 => (
                    Status::RateLimited,
                    Some("wait for the limit to reset and try again"),
                ),
                _ => (Status::Api, None),
            },
            Error::RateLimited(_) => (
                Status::RateLimited,
                Some("wait for the limit to reset and try again"),
            ),
            Error::InvalidRequest(_) => (
                Status::Usage,
                Some("`--help` on the command lists its parameters; nothing was sent"),
            ),
            Error::SandboxUnsupported { .. } | Error::Config(_) => (Status::Usage, None),
            Error::OAuth(o) if o.needs_reauthorization() => (
                Status::Authorization,
                Some("sign in again with `pinterest auth login`"),
            ),
            Error::OAuth(_) | Error::TokenStore(_) => (Status::Authorization, None),
            Error::Media(MediaError::Read { .. }) => (Status::Usage, None),
            Error::Media(_) => (Status::Api, None),
            _ => (Status::Other, None),
        };
        Failure {
            status,
            message: e.to_string(),
            hint: hint.map(str::to_string),
        }
    }
}
