//! One error type for everything the crate does.
//!
//! Every generated `send()` returns [`Result`], and so do the streams of `.stream()` and
//! `.pages()`: a non-2xx reply is an [`ApiError`] with Pinterest's `{code, message}` and request
//! id (or [`RateLimited`]), and failures of the client's own layers (sandbox checks, refresh,
//! token store, rate limits) come out with their type. `?` keeps them whole into `anyhow` or
//! `Box<dyn std::error::Error>`: each [`Error`] says in its `Display` what went wrong, down to
//! the first cause, and [`source`](std::error::Error::source) hands on the error it wraps.
//!
//! ```
//! use pinterest_v5::Error;
//! let e = Error::TokenStore(std::sync::Arc::new(std::io::Error::other("disk full")));
//! let boxed: Box<dyn std::error::Error> = Box::new(e);
//! assert!(boxed.to_string().contains("disk full"));
//! assert_eq!(boxed.source().map(ToString::to_string).as_deref(), Some("disk full"));
//! ```

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong calling Pinterest through this crate.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Error {
    /// Pinterest answered with a non-2xx status (boxed: it carries the reply's headers).
    Api(Box<ApiError>),
    /// A 429 whose reset is further away than the client waits (or whose message is about spam).
    RateLimited(RateLimited),
    /// The operation is not served by the sandbox (`x-sandbox: disabled`); nothing was sent.
    SandboxUnsupported {
        /// The operation's method name.
        operation: &'static str,
    },
    /// An OAuth step failed (authorization redirect, code exchange, refresh).
    OAuth(crate::auth::OAuthError),
    /// A token could not be loaded from or saved to its store. After a refresh, the new token
    /// was not used: saving it first is what keeps it from being lost.
    TokenStore(Arc<std::io::Error>),
    /// The request never got an answer (connection, timeout, TLS).
    Transport(Arc<reqwest::Error>),
    /// A 2xx reply whose body does not decode into the documented type.
    Decode {
        /// The reply's status, when the reply came from Pinterest.
        status: Option<StatusCode>,
        /// The beginning of the body, for diagnosis.
        excerpt: String,
        /// The decoding error.
        message: String,
    },
    /// The request could not be built (a required parameter is missing, …).
    InvalidRequest(String),
    /// The client is configured wrongly (bad base URL, missing credentials, …).
    Config(String),
    /// A video upload failed (see `crate::media`).
    Media(MediaError),
}

/// Why a video upload (`crate::media`) failed, beyond the API and transport errors every call
/// can have.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum MediaError {
    /// The video could not be read (`path` is None for a stream).
    Read {
        /// The file, when the video came from one.
        path: Option<std::path::PathBuf>,
        /// What went wrong.
        error: Arc<std::io::Error>,
    },
    /// `POST /media` answered without an `upload_url` or `upload_parameters`.
    IncompleteRegistration {
        /// The media upload's id.
        media_id: String,
        /// The missing field.
        missing: &'static str,
    },
    /// The storage service behind `upload_url` refused the file.
    UploadRejected {
        /// The media upload's id.
        media_id: String,
        /// The storage service's status.
        status: StatusCode,
        /// Its error code (S3's `<Code>`), when it gave one.
        code: Option<String>,
        /// Its message, or the beginning of its body.
        message: String,
    },
    /// Pinterest's processing of the uploaded video ended with status `failed`.
    ProcessingFailed {
        /// The media upload's id.
        media_id: String,
    },
    /// Processing had not finished when the polling timeout ran out.
    Timeout {
        /// The media upload's id.
        media_id: String,
        /// How long the client polled.
        waited: std::time::Duration,
        /// The last status Pinterest reported.
        last_status: String,
    },
}

impl fmt::Display for MediaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MediaError::Read {
                path: Some(p),
                error,
            } => {
                write!(f, "cannot read the video {}: {error}", p.display())
            }
            MediaError::Read { path: None, error } => {
                write!(f, "cannot read the video stream: {error}")
            }
            MediaError::IncompleteRegistration { media_id, missing } => write!(
                f,
                "POST /media registered media {media_id} but its reply has no `{missing}`; register the upload again"
            ),
            MediaError::UploadRejected {
                media_id,
                status,
                code,
                message,
            } => {
                write!(
                    f,
                    "the storage service refused the file of media {media_id} ({status}"
                )?;
                if let Some(code) = code {
                    write!(f, " {code}")?;
                }
                write!(
                    f,
                    "): {message}; register a new upload with POST /media and try again"
                )
            }
            MediaError::ProcessingFailed { media_id } => write!(
                f,
                "Pinterest could not process video {media_id} (status `failed`); check the format (MP4/MOV, 4 s to 15 min, at most 2 GB) and upload it again"
            ),
            MediaError::Timeout {
                media_id,
                waited,
                last_status,
            } => write!(
                f,
                "video {media_id} was still `{last_status}` after {} s of polling; poll GET /media/{media_id} later or raise the timeout",
                waited.as_secs()
            ),
        }
    }
}

impl std::error::Error for MediaError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MediaError::Read { error, .. } => Some(error.as_ref()),
            _ => None,
        }
    }
}

/// A non-2xx reply from Pinterest.
#[derive(Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Pinterest's error code (`code` of the body), when the body has one.
    pub code: Option<i64>,
    /// Pinterest's message (`message` of the body), when the body has one.
    pub message: Option<String>,
    /// The `x-pinterest-rid` request id, to quote to Pinterest's support.
    pub request_id: Option<String>,
    /// The beginning of the body (at most 512 bytes), for replies that are not Pinterest's JSON.
    pub body_excerpt: String,
    /// The reply's headers.
    pub headers: HeaderMap,
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("body_excerpt", &self.body_excerpt)
            .finish_non_exhaustive()
    }
}

/// A 429 that the client did not (or could not) wait out.
#[derive(Clone, Debug)]
pub struct RateLimited {
    /// The operation's `x-ratelimit-category`, when known.
    pub category: Option<&'static str>,
    /// When the limit resets (`X-RateLimit-Reset` seconds from the reply), when given.
    pub reset_at: Option<SystemTime>,
    /// `X-RateLimit-Limit`, when given.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`, when given.
    pub remaining: Option<u64>,
    /// Pinterest's message.
    pub message: Option<String>,
    /// The request id of the 429 reply.
    pub request_id: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pinterest answered {}", self.status)?;
        match (&self.code, &self.message) {
            (Some(c), Some(m)) => write!(f, ": code {c}: {m}")?,
            (None, Some(m)) => write!(f, ": {m}")?,
            (Some(c), None) => write!(f, ": code {c}")?,
            (None, None) if !self.body_excerpt.is_empty() => write!(f, ": {}", self.body_excerpt)?,
            (None, None) => {}
        }
        if let Some(rid) = &self.request_id {
            write!(f, " (request id {rid})")?;
        }
        Ok(())
    }
}

/// The reply itself is the cause: it wraps no other error.
impl std::error::Error for ApiError {}

impl fmt::Display for RateLimited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rate limited")?;
        if let Some(c) = self.category {
            write!(f, " in category {c}")?;
        }
        if let Some(reset) = self.reset_at {
            let secs = reset
                .duration_since(SystemTime::now())
                .map(|d| d.as_secs())
                .unwrap_or(0);
            write!(f, "; the limit resets in {secs} s")?;
        }
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if let Some(rid) = &self.request_id {
            write!(f, " (request id {rid})")?;
        }
        Ok(())
    }
}

/// The 429 reply itself is the cause: it wraps no other error.
impl std::error::Error for RateLimited {}

impl ApiError {
    /// Builds the error from a reply's parts. Never fails: a body that is not Pinterest's JSON
    /// is kept as an excerpt.
    pub fn from_parts(status: StatusCode, headers: HeaderMap, body: &[u8]) -> ApiError {
        #[derive(serde::Deserialize)]
        struct Body {
            code: Option<serde_json::Value>,
            message: Option<String>,
        }
        let parsed: Option<Body> = serde_json::from_slice(body).ok();
        let (code, message) = match parsed {
            Some(b) => (
                b.code.and_then(|c| {
                    c.as_i64()
                        .or_else(|| c.as_str().and_then(|s| s.parse().ok()))
                }),
                b.message,
            ),
            None => (None, None),
        };
        let request_id = headers
            .get("x-pinterest-rid")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        ApiError {
            status,
            code,
            message,
            request_id,
            body_excerpt: excerpt(body),
            headers,
        }
    }
}

/// The first 512 bytes of a body, as text.
pub(crate) fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 512;
    let mut end = body.len().min(MAX);
    while end > 0 && std::str::from_utf8(&body[..end]).is_err() {
        end -= 1;
    }
    let mut s = String::from_utf8_lossy(&body[..end]).into_owned();
    if body.len() > MAX {
        s.push('…');
    }
    s
}

impl Error {
    /// The HTTP status of the reply behind this error, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::RateLimited(_) => Some(StatusCode::TOO_MANY_REQUESTS),
            Error::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// Whether the user must go through the OAuth consent again (the refresh token is invalid,
    /// expired or revoked).
    pub fn needs_reauthorization(&self) -> bool {
        match self {
            Error::OAuth(e) => e.needs_reauthorization(),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(f, "{e}"),
            Error::RateLimited(r) => write!(f, "{r}"),
            Error::SandboxUnsupported { operation } => write!(
                f,
                "`{operation}` is not available in Pinterest's sandbox (x-sandbox: disabled); use Environment::Production for it"
            ),
            Error::OAuth(e) => write!(f, "OAuth: {e}"),
            Error::TokenStore(e) => write!(
                f,
                "the token store failed: {e}; the previous token is kept, fix the store and retry"
            ),
            Error::Transport(e) => write!(f, "no reply from Pinterest: {}", Chain(e.as_ref())),
            Error::Decode {
                status,
                excerpt,
                message,
            } => {
                write!(f, "the reply")?;
                if let Some(status) = status {
                    write!(f, " ({status})")?;
                }
                write!(f, " does not decode ({message}); body begins: {excerpt}")
            }
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
            Error::Config(m) => write!(f, "configuration: {m}"),
            Error::Media(e) => write!(f, "video upload: {e}"),
        }
    }
}

/// An error and its causes, one after the other (`a: b: c`), each cause once: `reqwest` says
/// "error sending request" and leaves the reason ("connection refused", "deadline has elapsed")
/// to its sources, which `Display` alone never shows.
struct Chain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.0.to_string();
        write!(f, "{shown}")?;
        let mut cause = self.0.source();
        while let Some(error) = cause {
            let text = error.to_string();
            // hyper and the OS often repeat what the error above them said.
            if !shown.contains(&text) {
                write!(f, ": {text}")?;
                shown = text;
            }
            cause = error.source();
        }
        Ok(())
    }
}

/// Every variant that wraps an error hands it on; [`Error::Api`] and [`Error::RateLimited`]
/// are replies, causes themselves, whose details are their fields.
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e.as_ref()),
            Error::TokenStore(e) => Some(e.as_ref()),
            Error::OAuth(e) => Some(e),
            Error::Media(e) => Some(e),
            Error::Api(_)
            | Error::RateLimited(_)
            | Error::SandboxUnsupported { .. }
            | Error::Decode { .. }
            | Error::InvalidRequest(_)
            | Error::Config(_) => None,
        }
    }
}

impl From<reqwest::Error> for Error {
    /// A request `reqwest` could not build (a body that does not serialise, a header value it
    /// refuses) is [`Error::InvalidRequest`]; any other failure is [`Error::Transport`], its URL
    /// dropped (a query can carry identifiers the caller did not mean to log).
    fn from(e: reqwest::Error) -> Self {
        if e.is_builder() {
            return Error::InvalidRequest(format!(
                "the request could not be built: {}",
                Chain(&e.without_url())
            ));
        }
        Error::Transport(Arc::new(e.without_url()))
    }
}

/// No more is reserved up front, whatever `Content-Length` claims.
const MAX_RESERVE: u64 = 64 << 20;
/// From this size on, a body is copied out of hyper's buffer (see `read_body`).
const COPY_OUT: usize = 64 << 10;

/// A reply's body in one buffer.
///
/// A small body (under 64 KiB) that arrives whole in its first chunk is used as it is: whole
/// as `Content-Length` says, or, without a length, when no second chunk follows. Any other
/// body is copied into one buffer sized from `Content-Length` up front, chunk by chunk, each
/// chunk let go before the next is read (`Response::bytes` keeps them all until it copies
/// them, holding the body twice at its peak).
///
/// hyper reads the reply's head and the body's first bytes into its connection buffer, and
/// both the first chunk and the `headers`' values are views of that buffer. While any view
/// is held, hyper cannot reuse the buffer for its next read and allocates another one (up
/// to 408 KiB for a large page), which the decode would then hold alongside the body and
/// the decoded value. So a large body is copied out, even when it arrived whole, and the
/// header values are made owned copies (a few dozen bytes each) before the next read.
///
/// A body that is not used in place is read to its end, so that the connection goes back to
/// the pool. One used in place whole by `Content-Length` need not be: hyper ends the body
/// stream when it reads the last byte of the length (the wire test
/// `a_reply_decodes_the_same_whole_or_in_pieces_with_or_without_a_length` sends six such
/// replies over one connection).
pub(crate) fn read_body(
    mut response: reqwest::Response,
    headers: &mut http::HeaderMap,
) -> impl Future<Output = reqwest::Result<bytes::Bytes>> {
    let expected = response.content_length();
    async move {
        let Some(first) = response.chunk().await? else {
            return Ok(bytes::Bytes::new());
        };
        let small = first.len() < COPY_OUT;
        if small && expected == Some(first.len() as u64) {
            return Ok(first);
        }
        // No length given: a small reply that ends with its first chunk is used in place.
        let second = if small && expected.is_none() {
            match response.chunk().await? {
                None => return Ok(first),
                second => second,
            }
        } else {
            None
        };
        let arrived = first.len() + second.as_ref().map_or(0, |s| s.len());
        let reserve = expected.unwrap_or(0).min(MAX_RESERVE) as usize;
        let mut body = Vec::with_capacity(reserve.max(arrived));
        body.extend_from_slice(&first);
        drop(first);
        if let Some(second) = second {
            body.extend_from_slice(&second);
        }
        own_values(headers);
        while let Some(chunk) = response.chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(body.into())
    }
}

/// Replaces each header value with an owned copy, so that none keeps the buffer it was parsed
/// from alive.
fn own_values(headers: &mut http::HeaderMap) {
    for value in headers.values_mut() {
        let owned = http::HeaderValue::from_bytes(value.as_bytes())
            .map(|mut owned| {
                owned.set_sensitive(value.is_sensitive());
                owned
            })
            .unwrap_or_else(|_| value.clone());
        *value = owned;
    }
}
