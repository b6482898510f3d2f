//! What the stand-in remembers: apps' grants and tokens, boards, pins, media uploads, ads
//! reports, knobs and counters. One mutex guards it all; no handler holds it across an `.await`.

use crate::reports::ReportJob;
use crate::{Counters, DownloadRecord, MediaOutcome, ReportOutcome, StandinConfig, UploadRecord};
use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Everything the server shares between requests.
pub(crate) struct State {
    pub(crate) config: StandinConfig,
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub(crate) origin: String,
    data: Mutex<Data>,
}

impl State {
    pub(crate) fn new(config: StandinConfig, origin: String) -> State {
        let data = Data {
            access_token_lifetime: config.access_token_lifetime,
            refresh_token_lifetime: config.refresh_token_lifetime,
            media_processing_polls: 1,
            report_polls: 1,
            ..Data::default()
        };
        State {
            config,
            origin,
            data: Mutex::new(data),
        }
    }

    /// The data, even if a handler panicked while holding the lock (the data stay usable).
    pub(crate) fn data(&self) -> MutexGuard<'_, Data> {
        self.data
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The mutable part of [`State`].
#[derive(Default)]
pub(crate) struct Data {
    pub(crate) access_token_lifetime: Duration,
    pub(crate) refresh_token_lifetime: Duration,
    pub(crate) codes: HashMap<String, Grant>,
    pub(crate) access_tokens: HashMap<String, IssuedToken>,
    pub(crate) refresh_tokens: HashMap<String, IssuedToken>,
    pub(crate) boards: Vec<Board>,
    pub(crate) pins: Vec<Pin>,
    pub(crate) media: Vec<Media>,
    pub(crate) uploads: Vec<UploadRecord>,
    pub(crate) counters: Counters,
    /// Knob: how many of the next API calls answer 429, and with which reset (seconds).
    pub(crate) pending_429: Option<(u32, u64)>,
    /// Knob: the storage service rejects every upload while set.
    pub(crate) reject_uploads: bool,
    /// Knob: how processing ends.
    pub(crate) media_outcome: MediaOutcome,
    /// Knob: how many `GET /media/{id}` answer `processing` after an upload before the outcome.
    pub(crate) media_processing_polls: u32,
    pub(crate) reports: Vec<ReportJob>,
    pub(crate) downloads: Vec<DownloadRecord>,
    /// Knob: how reports end.
    pub(crate) report_outcome: ReportOutcome,
    /// Knob: how many status calls answer `IN_PROGRESS` before the outcome.
    pub(crate) report_polls: u32,
    /// Knob: the file server answers every report URL as expired while set.
    pub(crate) report_links_expired: bool,
    /// The rate-limit window of `X-RateLimit-*` on successful replies.
    pub(crate) window: Option<(Instant, u64)>,
    next_id: u64,
}

/// An authorization code waiting to be exchanged.
pub(crate) struct Grant {
    pub(crate) redirect_uri: String,
    pub(crate) scopes: Vec<String>,
}

/// An access or refresh token the token endpoint issued.
#[derive(Clone)]
pub(crate) struct IssuedToken {
    pub(crate) expires_at: Instant,
    pub(crate) scopes: Vec<String>,
}

pub(crate) struct Board {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) privacy: String,
    pub(crate) created_at: String,
}

pub(crate) struct Pin {
    pub(crate) id: String,
    pub(crate) board_id: String,
    pub(crate) created_at: String,
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) link: Option<String>,
    pub(crate) alt_text: Option<String>,
    pub(crate) media: serde_json::Value,
    pub(crate) creative_type: &'static str,
}

/// Where a media upload stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MediaStatus {
    Registered,
    Processing { polls_left: u32 },
    Succeeded,
    Failed,
}

pub(crate) struct Media {
    pub(crate) id: String,
    pub(crate) status: MediaStatus,
    /// The `upload_parameters` handed out, in the order they were listed.
    pub(crate) upload_parameters: Vec<(String, String)>,
}

impl Data {
    /// A fresh numeric id (Pinterest's ids match `^\d+$`).
    pub(crate) fn next_id(&mut self, base: u64) -> String {
        self.next_id += 1;
        (base + self.next_id).to_string()
    }

    /// `X-RateLimit-*` values for a successful reply: a window of 1000 calls per 60 s.
    pub(crate) fn tick_rate_limit(&mut self) -> (u64, u64, u64) {
        const LIMIT: u64 = 1000;
        const WINDOW: Duration = Duration::from_secs(60);
        let now = Instant::now();
        let (start, used) = match self.window {
            Some((start, used)) if now.duration_since(start) < WINDOW => (start, used + 1),
            _ => (now, 1),
        };
        self.window = Some((start, used));
        let reset = WINDOW
            .saturating_sub(now.duration_since(start))
            .as_secs()
            .max(1);
        (LIMIT, LIMIT.saturating_sub(used), reset)
    }
}

/// A token-shaped random string (`pina_…`, `pinr_…`), unguessable enough for a local server.
pub(crate) fn random_token(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut out = String::from(prefix);
    for _ in 0..3 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

/// Now, formatted the way Pinterest formats `created_at` (no offset; UTC).
pub(crate) fn now_text() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// A failure answered with Pinterest's error body `{code, message}`.
#[derive(Debug)]
pub(crate) struct ApiFailure {
    pub(crate) status: StatusCode,
    pub(crate) code: i64,
    pub(crate) message: String,
    /// Extra headers (the 429's `X-RateLimit-*`).
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl ApiFailure {
    pub(crate) fn new(status: StatusCode, code: i64, message: impl Into<String>) -> ApiFailure {
        ApiFailure {
            status,
            code,
            message: message.into(),
            headers: Vec::new(),
        }
    }

    /// 400 for a request body or parameter that is missing or wrong.
    pub(crate) fn invalid(message: impl Into<String>) -> ApiFailure {
        ApiFailure::new(StatusCode::BAD_REQUEST, 1, message)
    }

    /// 401: no usable bearer token.
    pub(crate) fn unauthenticated(message: impl Into<String>) -> ApiFailure {
        ApiFailure::new(StatusCode::UNAUTHORIZED, 2, message)
    }

    /// 404 for an object that does not exist.
    pub(crate) fn not_found(code: i64, message: impl Into<String>) -> ApiFailure {
        ApiFailure::new(StatusCode::NOT_FOUND, code, message)
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "code": self.code, "message": self.message });
        let mut response = (self.status, Json(body)).into_response();
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, value);
            }
        }
        response
    }
}
