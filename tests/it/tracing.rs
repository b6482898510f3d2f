//! What the client reports through `tracing`: a span per request (operation, method, path
//! template), an event per reply (status, attempt, `x-pinterest-rid`), per retry with its wait,
//! per rate-limit wait and per token refresh; and never a secret (no token, no client secret,
//! no header, no query value), whatever the level.

use crate::retry::TestClock;
use httpmock::prelude::*;
use pinterest_v5::auth::TokenManager;
use pinterest_v5::auth::{OAuthApp, Token};
use pinterest_v5::client::rate_limit::RateLimitPolicy;
use pinterest_v5::client::retry::RetryPolicy;
use pinterest_v5::{Client, Environment, Error};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

const ACCESS: &str = "pina_SECRET_ACCESS";
const NEW_ACCESS: &str = "pina_SECRET_NEW";
const REFRESH: &str = "pinr_SECRET_REFRESH";
const NEW_REFRESH: &str = "pinr_SECRET_NEW";
const CLIENT_SECRET: &str = "app-secret-XYZ";
/// `1234567:app-secret-XYZ` in Base64, as the token request's Basic credentials carry it.
const BASIC: &str = "MTIzNDU2NzphcHAtc2VjcmV0LVhZWg==";
const QUERY_VALUE: &str = "query-value-SECRET";
const ACCOUNT: &str = r#"{"username":"pinner","account_type":"BUSINESS","id":"42"}"#;

/// A span opened or an event recorded, with its fields as text.
#[derive(Clone, Debug)]
struct Record {
    /// `span` or the event's level.
    kind: String,
    /// The span's name, or the event's message.
    name: String,
    fields: BTreeMap<String, String>,
    /// For an event: the name of the span it happened in.
    within: Option<String>,
}

impl Record {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

/// A subscriber layer that keeps everything it sees.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Record>>>);

struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().into(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        let mut fields = Fields(BTreeMap::new());
        attrs.record(&mut fields);
        self.push(Record {
            kind: "span".into(),
            name: attrs.metadata().name().into(),
            fields: fields.0,
            within: None,
        });
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields(BTreeMap::new());
        event.record(&mut fields);
        let name = fields.0.remove("message").unwrap_or_default();
        self.push(Record {
            kind: event.metadata().level().to_string(),
            name,
            fields: fields.0,
            within: ctx.event_span(event).map(|span| span.name().to_string()),
        });
    }
}

impl Capture {
    fn push(&self, record: Record) {
        if let Ok(mut records) = self.0.lock() {
            records.push(record);
        }
    }

    /// Everything seen so far.
    fn records(&self) -> Vec<Record> {
        self.0.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The events whose message starts with `message`.
    fn events(&self, message: &str) -> Vec<Record> {
        self.records()
            .into_iter()
            .filter(|r| r.kind != "span" && r.name.starts_with(message))
            .collect()
    }

    /// Fails if any secret appears anywhere in what was recorded.
    fn assert_no_secret(&self) {
        let all = format!("{:?}", self.records());
        for secret in [
            ACCESS,
            NEW_ACCESS,
            REFRESH,
            NEW_REFRESH,
            CLIENT_SECRET,
            BASIC,
            QUERY_VALUE,
            "Bearer",
            "Basic ",
        ] {
            assert!(!all.contains(secret), "{secret} was recorded: {all}");
        }
    }
}

/// Captures what this thread's code reports until the guard is dropped (the tests run on a
/// current-thread runtime, so the client's tasks run here too).
fn capture() -> (Capture, tracing::subscriber::DefaultGuard) {
    let capture = Capture::default();
    let guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    (capture, guard)
}

fn client(base: &str, clock: &TestClock) -> pinterest_v5::ClientBuilder {
    Client::builder()
        .environment(Environment::custom(base).expect("loopback URL"))
        .sleeper(clock.sleeper())
}

#[tokio::test]
async fn a_request_has_a_span_and_each_reply_and_retry_an_event() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path("/user_account");
            then.status(503)
                .header("x-pinterest-rid", "rid-503")
                .body("{}");
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server.base_url(), &clock)
        .access_token(ACCESS)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(100))
                .jitter(0.0),
        )
        .build()
        .expect("client");
    let (capture, _guard) = capture();

    let err = client
        .user_account_get()
        .ad_account_id(QUERY_VALUE)
        .send()
        .await
        .expect_err("503");

    assert!(matches!(err, Error::Api(_)));
    assert_eq!(failing.hits_async().await, 2);
    let spans: Vec<Record> = capture
        .records()
        .into_iter()
        .filter(|r| r.kind == "span")
        .collect();
    assert_eq!(spans.len(), 1, "one span per request: {spans:?}");
    let span = &spans[0];
    assert_eq!(span.name, "request");
    assert_eq!(span.field("operation"), Some("user_account_get"));
    assert_eq!(span.field("operation_id"), Some("user_account/get"));
    assert_eq!(span.field("method"), Some("GET"));
    assert_eq!(span.field("path"), Some("/user_account"));

    let replies = capture.events("reply");
    assert_eq!(replies.len(), 2, "{replies:?}");
    for (i, reply) in replies.iter().enumerate() {
        assert_eq!(reply.kind, "DEBUG");
        assert_eq!(reply.field("attempt"), Some((i + 1).to_string().as_str()));
        assert_eq!(reply.field("status"), Some("503"));
        assert_eq!(reply.field("request_id"), Some("rid-503"));
        assert_eq!(reply.within.as_deref(), Some("request"));
    }
    let retries = capture.events("retrying");
    assert_eq!(retries.len(), 1, "{retries:?}");
    assert_eq!(retries[0].kind, "INFO");
    assert_eq!(retries[0].field("attempt"), Some("1"));
    assert_eq!(retries[0].field("status"), Some("503"));
    assert_eq!(retries[0].field("wait_ms"), Some("100"));
    assert_eq!(retries[0].within.as_deref(), Some("request"));
    capture.assert_no_secret();
}

#[tokio::test]
async fn a_failed_attempt_is_reported_without_its_url() {
    // A loopback port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let clock = TestClock::instant();
    let client = client(&format!("http://127.0.0.1:{port}"), &clock)
        .access_token(ACCESS)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(10))
                .jitter(0.0),
        )
        .build()
        .expect("client");
    let (capture, _guard) = capture();

    client
        .user_account_get()
        .ad_account_id(QUERY_VALUE)
        .send()
        .await
        .expect_err("nothing listens");

    let failed = capture.events("no reply");
    assert_eq!(failed.len(), 2, "{:?}", capture.records());
    assert_eq!(failed[0].field("attempt"), Some("1"));
    let error = failed[0].field("error").unwrap_or_default();
    assert!(error.starts_with("could not connect"), "{error}");
    assert!(!error.contains("127.0.0.1"), "no URL: {error}");
    let retries = capture.events("retrying after a failed attempt");
    assert_eq!(retries.len(), 1, "{:?}", capture.records());
    assert_eq!(retries[0].field("wait_ms"), Some("10"));
    capture.assert_no_secret();
}

#[tokio::test]
async fn rate_limit_waits_are_reported_with_their_category_and_wait() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path("/user_account");
            then.status(429)
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", "2")
                .json_body(serde_json::json!({"code": 8, "message": "Rate limited."}));
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server.base_url(), &clock)
        .access_token(ACCESS)
        .rate_limit_policy(RateLimitPolicy::default().max_retries(1).throttle(true))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let (capture, _guard) = capture();

    client.user_account_get().send().await.expect_err("429");

    assert_eq!(limited.hits_async().await, 2);
    // The 429 is waited out once; the retry, its category out of requests, is held first.
    let waits = capture.events("rate limited");
    assert_eq!(waits.len(), 1, "{:?}", capture.records());
    assert_eq!(waits[0].field("category"), Some("org_read"));
    let wait_ms: u64 = waits[0]
        .field("wait_ms")
        .and_then(|w| w.parse().ok())
        .expect("a wait");
    assert!((1000..=2000).contains(&wait_ms), "{wait_ms}");
    assert!(!capture.events("no request left").is_empty());
    assert_eq!(clock.waits().len(), 2, "{:?}", clock.waits());
    capture.assert_no_secret();
}

fn app() -> OAuthApp {
    OAuthApp::new("1234567", CLIENT_SECRET, "https://example.com/cb")
}

/// A manager of a token valid for a day, refreshed only after a 401.
fn manager() -> TokenManager {
    TokenManager::new(
        app(),
        Token::new(ACCESS)
            .with_refresh_token(REFRESH)
            .with_expires_at(chrono::Utc::now() + chrono::Duration::days(1)),
    )
}

#[tokio::test]
async fn a_refresh_after_a_401_is_reported_without_a_token() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/user_account")
                .header("authorization", format!("Bearer {ACCESS}"));
            then.status(401)
                .body(r#"{"code":2,"message":"Authentication failed."}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/user_account")
                .header("authorization", format!("Bearer {NEW_ACCESS}"));
            then.status(200)
                .header("content-type", "application/json")
                .header("x-pinterest-rid", "rid-ok")
                .body(ACCOUNT);
        })
        .await;
    let grant = server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(serde_json::json!({
                    "access_token": NEW_ACCESS,
                    "refresh_token": NEW_REFRESH,
                    "expires_in": 2_592_000,
                    "refresh_token_expires_in": 5_184_000,
                    "scope": "user_accounts:read",
                    "token_type": "bearer",
                }));
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server.base_url(), &clock)
        .token_manager(manager())
        .build()
        .expect("client");
    let (capture, _guard) = capture();

    client.user_account_get().send().await.expect("refreshed");

    assert_eq!(grant.hits_async().await, 1);
    assert_eq!(capture.events("unauthorized").len(), 1);
    assert_eq!(capture.events("token refresh started").len(), 1);
    let refreshed = capture.events("token refreshed");
    assert_eq!(refreshed.len(), 1, "{:?}", capture.records());
    assert_eq!(refreshed[0].kind, "INFO");
    assert!(refreshed[0].field("expires_at").is_some());
    let statuses: Vec<String> = capture
        .events("reply")
        .iter()
        .filter_map(|r| r.field("status").map(String::from))
        .collect();
    assert_eq!(statuses, ["401", "200"]);
    capture.assert_no_secret();
}

#[tokio::test]
async fn a_failed_refresh_is_a_warning() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(400)
                .header("content-type", "application/json")
                .body(r#"{"code":1,"message":"Invalid refresh token."}"#);
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server.base_url(), &clock)
        .token_manager(manager())
        .build()
        .expect("client");
    let (capture, _guard) = capture();

    let manager = client.token_manager().expect("a manager");
    manager.refresh().await.expect_err("refused");

    let failed = capture.events("token refresh failed");
    assert_eq!(failed.len(), 1, "{:?}", capture.records());
    assert_eq!(failed[0].kind, "WARN");
    assert!(failed[0].field("error").is_some_and(|e| !e.is_empty()));
    capture.assert_no_secret();
}
