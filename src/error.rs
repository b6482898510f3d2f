//! One error type for everything the crate does.
//!
//! Generated methods return `progenitor_client::Error<()>`; `?` converts it into [`Error`]
//! (the `From` impl below), which is where a non-2xx reply is decoded into an [`ApiError`] with
//! Pinterest's `{code, message}` and request id, and where failures of the client's own layers
//! (refresh, token store, rate limits, sandbox checks) come back out with their type.

use bytes::Bytes;
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
    OAuth(crate::oauth::OAuthError),
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
            Error::Api(e) => {
                write!(f, "Pinterest answered {}", e.status)?;
                match (&e.code, &e.message) {
                    (Some(c), Some(m)) => write!(f, ": code {c}: {m}")?,
                    (None, Some(m)) => write!(f, ": {m}")?,
                    (Some(c), None) => write!(f, ": code {c}")?,
                    (None, None) if !e.body_excerpt.is_empty() => {
                        write!(f, ": {}", e.body_excerpt)?
                    }
                    (None, None) => {}
                }
                if let Some(rid) = &e.request_id {
                    write!(f, " (request id {rid})")?;
                }
                Ok(())
            }
            Error::RateLimited(r) => {
                write!(f, "rate limited")?;
                if let Some(c) = r.category {
                    write!(f, " in category {c}")?;
                }
                if let Some(reset) = r.reset_at {
                    let secs = reset
                        .duration_since(SystemTime::now())
                        .map(|d| d.as_secs())
                        .unwrap_or(0);
                    write!(f, "; the limit resets in {secs} s")?;
                }
                if let Some(m) = &r.message {
                    write!(f, ": {m}")?;
                }
                Ok(())
            }
            Error::SandboxUnsupported { operation } => write!(
                f,
                "`{operation}` is not available in Pinterest's sandbox (x-sandbox: disabled); use Environment::Production for it"
            ),
            Error::OAuth(e) => write!(f, "{e}"),
            Error::TokenStore(e) => write!(
                f,
                "the token store failed: {e}; the previous token is kept, fix the store and retry"
            ),
            Error::Transport(e) => write!(f, "no reply from Pinterest: {e}"),
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

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e.as_ref()),
            Error::TokenStore(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Error::Transport(Arc::new(e.without_url()))
    }
}

/// A failure of the client's own layers, carried out of progenitor's `exec` hook (which can
/// only return a response) inside a synthetic reply's extensions.
#[derive(Clone)]
pub(crate) struct LocalFailure(pub Error);

/// The body of a non-2xx reply, read by the `exec` hook so that the conversion below (which
/// cannot await) sees it.
#[derive(Clone)]
pub(crate) struct ErrorBody(pub Bytes);

/// Status of the synthetic reply that carries a [`LocalFailure`]; it never leaves the crate
/// once converted into [`Error`].
pub(crate) const LOCAL_FAILURE_STATUS: u16 = 599;

impl LocalFailure {
    /// Wraps an error in a reply the generated code passes back untouched.
    pub(crate) fn into_response(self) -> reqwest::Response {
        let mut response = http::Response::new(Vec::<u8>::new());
        *response.status_mut() =
            StatusCode::from_u16(LOCAL_FAILURE_STATUS).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        response.extensions_mut().insert(self);
        reqwest::Response::from(response)
    }
}

/// Decodes a documented reply, as progenitor's `ResponseValue::from_response` does, but a body
/// that does not decode becomes [`Error::Decode`] with the reply's status (progenitor's own
/// error drops it). The generated methods call this (see `codegen`'s `decode_with_status`).
///
/// A plain function returning a future, like `read_body`: what needs no waiting is done first,
/// so the future holds the reply once (an `async fn` keeps its argument and its rebinding).
pub(crate) fn decode_reply<T: serde::de::DeserializeOwned>(
    mut response: reqwest::Response,
) -> impl Future<
    Output = std::result::Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<()>>,
> {
    let status = response.status();
    // Moved, not copied: the body is read without them (its length comes from the body).
    let mut headers = std::mem::take(response.headers_mut());
    async move {
        let body = read_body(response, &mut headers)
            .await
            .map_err(progenitor_client::Error::ResponseBodyError)?;
        match serde_json::from_slice(&body) {
            Ok(inner) => Ok(progenitor_client::ResponseValue::new(
                inner, status, headers,
            )),
            Err(e) => Err(progenitor_client::Error::UnexpectedResponse(
                LocalFailure(Error::Decode {
                    status: Some(status),
                    excerpt: excerpt(&body),
                    message: e.to_string(),
                })
                .into_response(),
            )),
        }
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
fn read_body(
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

impl From<progenitor_client::Error<()>> for Error {
    fn from(e: progenitor_client::Error<()>) -> Self {
        use progenitor_client::Error as P;
        match e {
            P::UnexpectedResponse(response) => from_response(&response),
            P::ErrorResponse(rv) => Error::Api(Box::new(ApiError::from_parts(
                rv.status(),
                rv.headers().clone(),
                b"",
            ))),
            P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => {
                Error::from(e)
            }
            P::InvalidResponsePayload(body, e) => Error::Decode {
                status: None,
                excerpt: excerpt(&body),
                message: e.to_string(),
            },
            P::InvalidRequest(m) => Error::InvalidRequest(m),
            P::Custom(m) => Error::InvalidRequest(m),
        }
    }
}

/// Builds the error for a reply that reached the caller as "unexpected" (every non-2xx does).
pub(crate) fn from_response(response: &reqwest::Response) -> Error {
    if let Some(LocalFailure(e)) = response.extensions().get::<LocalFailure>() {
        return e.clone();
    }
    let body = response
        .extensions()
        .get::<ErrorBody>()
        .map(|b| b.0.clone())
        .unwrap_or_default();
    let api = ApiError::from_parts(response.status(), response.headers().clone(), &body);
    if api.status == StatusCode::TOO_MANY_REQUESTS {
        return Error::RateLimited(crate::rate_limit::rate_limited_from(&api, None));
    }
    Error::Api(Box::new(api))
}
