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
    /// An asynchronous ads report failed, expired, was not ready in time, or its file could not
    /// be downloaded or read (see `crate::reports`).
    Report(ReportError),
}

/// Why an asynchronous ads report (`crate::reports`) gave no rows, beyond the API and transport
/// errors every call can have. None carries the file's pre-signed URL: it authorises the
/// download by itself for a few minutes.
///
/// ```
/// use pinterest_v5::error::ReportError;
/// let e = ReportError::Expired { token: "a1b2".into(), status: "EXPIRED".into() };
/// assert!(e.to_string().contains("create the report again"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ReportError {
    /// The create call's reply has no `token` to read the report with.
    NoToken {
        /// The create operation (`analytics/create_report`, …).
        operation: &'static str,
        /// Pinterest's `message`, when the reply has one.
        message: Option<String>,
    },
    /// Pinterest could not make the report: `FAILED` or `CANCELLED`.
    Failed {
        /// The report's token.
        token: String,
        /// The status Pinterest answered.
        status: String,
    },
    /// The report is gone: `EXPIRED` (a report is kept an hour) or `DOES_NOT_EXIST`.
    Expired {
        /// The report's token.
        token: String,
        /// The status Pinterest answered.
        status: String,
    },
    /// The report was not ready when the polling deadline passed.
    Timeout {
        /// The report's token, to read it later.
        token: String,
        /// How long the client polled.
        waited: std::time::Duration,
        /// How many status calls it made.
        polls: u32,
        /// The last status Pinterest answered.
        last_status: String,
    },
    /// The report is `FINISHED` but the status reply has no `url` to download it from.
    NoUrl {
        /// The report's token.
        token: String,
    },
    /// The file server behind the report's URL refused the download.
    DownloadRejected {
        /// The report's token.
        token: String,
        /// The file server's status.
        status: StatusCode,
        /// Its error code (S3's `<Code>`), when it gave one.
        code: Option<String>,
        /// Its message, or the beginning of its body.
        message: String,
    },
    /// The report's file does not read as rows of the type asked for.
    Rows {
        /// The file's format (`JSON` or `CSV`).
        format: &'static str,
        /// The row (from 1, in file order; for CSV the line after the header) that failed,
        /// when the file itself read.
        row: Option<usize>,
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::NoToken { operation, message } => {
                write!(f, "`{operation}` answered no report token")?;
                if let Some(message) = message {
                    write!(f, " ({message})")?;
                }
                write!(f, "; check the request and create the report again")
            }
            ReportError::Failed { token, status } => write!(
                f,
                "Pinterest could not make report {token} (status `{status}`); check its columns, level and dates and create it again"
            ),
            ReportError::Expired { token, status } => write!(
                f,
                "report {token} is gone (status `{status}`): reports are kept an hour; create the report again"
            ),
            ReportError::Timeout {
                token,
                waited,
                polls,
                last_status,
            } => write!(
                f,
                "report {token} was still `{last_status}` after {} s and {polls} status calls; read it later with its token or raise the timeout",
                waited.as_secs()
            ),
            ReportError::NoUrl { token } => write!(
                f,
                "report {token} is `FINISHED` but its status has no download `url`; ask for its status again"
            ),
            ReportError::DownloadRejected {
                token,
                status,
                code,
                message,
            } => {
                write!(
                    f,
                    "the file server refused the file of report {token} ({status}"
                )?;
                if let Some(code) = code {
                    write!(f, " {code}")?;
                }
                write!(
                    f,
                    "): {message}; its link lasts five minutes: ask for the report's status again for a new one"
                )
            }
            ReportError::Rows {
                format,
                row,
                message,
            } => {
                write!(f, "the {format} report does not read as rows")?;
                if let Some(row) = row {
                    write!(f, " (row {row})")?;
                }
                write!(
                    f,
                    ": {message}; fix the row type, or read the file with `bytes()`"
                )
            }
        }
    }
}

/// Each variant is a cause itself: the report's state or the file, described by its fields.
impl std::error::Error for ReportError {}

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
        let (code, message) = error_body(body);
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

/// The code and message of an error reply: Pinterest's `{code, message}` (a code may come as a
/// number or as text), or OAuth's `{error, error_description}`; None where the body has neither
/// or is not JSON.
pub(crate) fn error_body(body: &[u8]) -> (Option<i64>, Option<String>) {
    #[derive(serde::Deserialize)]
    struct Body {
        code: Option<serde_json::Value>,
        message: Option<String>,
        error: Option<String>,
        error_description: Option<String>,
    }
    match serde_json::from_slice::<Body>(body) {
        Ok(b) => (
            b.code.and_then(|c| {
                c.as_i64()
                    .or_else(|| c.as_str().and_then(|s| s.parse().ok()))
            }),
            b.message.or(b.error_description).or(b.error),
        ),
        Err(_) => (None, None),
    }
}

/// The first 512 bytes of a body, as text, with secrets redacted (see [`redacted`]).
pub(crate) fn excerpt(body: &[u8]) -> String {
    redacted(body).0
}

/// What an error shows of a reply's body: its first 512 bytes as text, with the value of every
/// field the description names as a secret (`access_token`, `refresh_token`, …, the generated
/// `SECRET_FIELDS`) replaced by `[redacted]`, so that a token reply that fails to decode
/// leaves no token in the error. Also hands back the values it replaced, for a message that
/// may quote them (serde's errors quote the value they stop at): see [`without`].
///
/// The body is read as JSON text, string by string, not parsed: a body cut short or malformed
/// (the reason a decode fails) is redacted too.
pub(crate) fn redacted(body: &[u8]) -> (String, Vec<String>) {
    const MAX: usize = 512;
    let (body, secrets) = redact_secret_fields(body, crate::generated::SECRET_FIELDS);
    // A secret's value may come again under another name.
    let body = match secrets.is_empty() {
        true => body,
        false => std::borrow::Cow::Owned(
            without(String::from_utf8_lossy(&body).into_owned(), &secrets).into_bytes(),
        ),
    };
    let mut end = body.len().min(MAX);
    while end > 0 && std::str::from_utf8(&body[..end]).is_err() {
        end -= 1;
    }
    let mut s = String::from_utf8_lossy(&body[..end]).into_owned();
    if body.len() > MAX {
        s.push('…');
    }
    (s, secrets)
}

/// `message` with each of `secrets` replaced by `[redacted]`.
pub(crate) fn without(mut message: String, secrets: &[String]) -> String {
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        message = message.replace(secret.as_str(), "[redacted]");
    }
    message
}

/// `body` with the string value of each field named in `names` replaced by `[redacted]`, and
/// the values replaced. Borrowed unchanged where no such field has a string value.
fn redact_secret_fields<'b>(
    body: &'b [u8],
    names: &[&str],
) -> (std::borrow::Cow<'b, [u8]>, Vec<String>) {
    // The end (index of the closing quote) of the JSON string whose opening quote is at
    // `start`, or None where the body ends first.
    fn string_end(body: &[u8], start: usize) -> Option<usize> {
        let mut i = start + 1;
        while i < body.len() {
            match body[i] {
                b'\\' => i += 2,
                b'"' => return Some(i),
                _ => i += 1,
            }
        }
        None
    }
    fn skip_space(body: &[u8], mut i: usize) -> usize {
        while i < body.len() && body[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    }
    let mut out: Option<Vec<u8>> = None;
    let mut secrets = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    while let Some(offset) = body[i..].iter().position(|&b| b == b'"') {
        let start = i + offset;
        let Some(end) = string_end(body, start) else {
            break;
        };
        i = end + 1;
        let key = &body[start + 1..end];
        if !names.iter().any(|name| name.as_bytes() == key) {
            continue;
        }
        let colon = skip_space(body, end + 1);
        if body.get(colon) != Some(&b':') {
            continue;
        }
        let value = skip_space(body, colon + 1);
        if body.get(value) != Some(&b'"') {
            continue;
        }
        // A value cut short by the end of the body is redacted to the end.
        let value_end = string_end(body, value).unwrap_or(body.len());
        secrets.push(String::from_utf8_lossy(&body[value + 1..value_end]).into_owned());
        let out = out.get_or_insert_with(|| Vec::with_capacity(body.len()));
        out.extend_from_slice(&body[copied..=value]);
        out.extend_from_slice(b"[redacted]");
        copied = value_end;
        i = value_end + 1;
        if value_end >= body.len() {
            break;
        }
    }
    match out {
        None => (std::borrow::Cow::Borrowed(body), secrets),
        Some(mut out) => {
            out.extend_from_slice(&body[copied.min(body.len())..]);
            (std::borrow::Cow::Owned(out), secrets)
        }
    }
}

/// The code and message of a storage service's error reply: S3's
/// `<Error><Code>…</Code><Message>…</Message></Error>`, or the body's beginning.
pub(crate) fn storage_error(body: &[u8]) -> (Option<String>, String) {
    let text = String::from_utf8_lossy(body);
    let element = |name: &str| {
        let open = format!("<{name}>");
        let close = format!("</{name}>");
        let start = text.find(&open)? + open.len();
        let end = text[start..].find(&close)? + start;
        Some(text[start..end].to_string())
    };
    let code = element("Code");
    let message = element("Message").unwrap_or_else(|| excerpt(body));
    (code, message)
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
            Error::Report(e) => write!(f, "ads report: {e}"),
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
            Error::Report(e) => Some(e),
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

#[cfg(test)]
mod tests {
    use super::{redact_secret_fields, without};

    fn redact(body: &str) -> (String, Vec<String>) {
        let (out, secrets) =
            redact_secret_fields(body.as_bytes(), &["access_token", "refresh_token"]);
        (String::from_utf8(out.into_owned()).expect("utf-8"), secrets)
    }

    #[test]
    fn secret_fields_lose_their_values_wherever_they_are() {
        let (out, secrets) = redact(
            r#"{"access_token": "pina_AAA", "scope": "pins:read", "nested": [{"refresh_token":"pinr_B\"B"}], "token_type": "bearer"}"#,
        );
        assert_eq!(
            out,
            r#"{"access_token": "[redacted]", "scope": "pins:read", "nested": [{"refresh_token":"[redacted]"}], "token_type": "bearer"}"#
        );
        assert_eq!(secrets, ["pina_AAA", r#"pinr_B\"B"#]);
    }

    #[test]
    fn a_body_cut_short_is_redacted_to_its_end() {
        let (out, secrets) = redact(r#"{"scope": "access_token", "access_token": "pina_A"#);
        assert_eq!(
            out,
            r#"{"scope": "access_token", "access_token": "[redacted]"#
        );
        assert_eq!(secrets, ["pina_A"]);
    }

    #[test]
    fn a_body_without_secrets_is_unchanged_and_a_message_loses_the_values() {
        let (out, secrets) = redact(r#"{"code": 3, "message": "no access_token here"}"#);
        assert_eq!(out, r#"{"code": 3, "message": "no access_token here"}"#);
        assert!(secrets.is_empty());
        assert_eq!(
            without("invalid type: string \"pina_A\"".into(), &["pina_A".into()]),
            "invalid type: string \"[redacted]\""
        );
    }
}
