//! One error type: every generated `send()` returns `pinterest_v5::Result`, and each kind of
//! failure (an API error, a rate limit, a sandbox refusal, a failed refresh, a failed token
//! store, no reply, a reply that does not decode, a request that cannot be built) shows what
//! went wrong however the caller's `?` takes it: into `pinterest_v5::Error`,
//! `Box<dyn Error>` or `anyhow::Error`. Each wrapped error is handed on by `source()`.
//! Against a loopback mock, or nothing at all where nothing is sent.

use crate::support::client;
use httpmock::prelude::*;
use pinterest_v5::auth::TokenManager;
use pinterest_v5::auth::{OAuthApp, OAuthError, Token};
use pinterest_v5::auth::{StoreFuture, TokenStore};
use pinterest_v5::client::retry::RetryPolicy;
use pinterest_v5::error::MediaError;
use pinterest_v5::{Client, Environment, Error};
use std::error::Error as StdError;
use std::future::Future;
use std::sync::Arc;

/// What a caller sees of one failure, sent once for each way `?` can take it.
struct Shown {
    /// `?` into `pinterest_v5::Error`.
    error: Error,
    /// `?` into `Box<dyn Error + Send + Sync>`.
    boxed: Box<dyn StdError + Send + Sync>,
    /// `?` into `anyhow::Error`.
    anyhow: anyhow::Error,
}

impl Shown {
    /// Asserts that every way of showing the error says each of `needles` (as `{}`, the way
    /// most callers print it, and as anyhow's `{:#}` and `{:?}`), and never the made-up
    /// reply the crate's own failures once came in.
    fn says(&self, needles: &[&str]) -> &Self {
        let texts = [
            ("pinterest_v5::Error", self.error.to_string()),
            ("Box<dyn Error>", self.boxed.to_string()),
            ("anyhow {}", format!("{}", self.anyhow)),
            ("anyhow {:#}", format!("{:#}", self.anyhow)),
            ("anyhow {:?}", format!("{:?}", self.anyhow)),
        ];
        for (how, text) in &texts {
            for needle in needles {
                assert!(
                    text.to_lowercase().contains(&needle.to_lowercase()),
                    "{how} does not say `{needle}`: {text}"
                );
            }
            for made_up in ["599", "Unexpected Response", "unexpected response"] {
                assert!(!text.contains(made_up), "{how} says `{made_up}`: {text}");
            }
        }
        // The three are the same error.
        assert_eq!(self.boxed.to_string(), self.error.to_string());
        assert_eq!(self.anyhow.to_string(), self.error.to_string());
        self
    }

    /// The errors `source()` leads to from the error itself, in order (as `Box<dyn Error>`
    /// and as anyhow see them).
    fn causes(&self) -> Vec<&(dyn StdError + 'static)> {
        let boxed: Vec<String> = causes(self.boxed.as_ref())
            .iter()
            .map(ToString::to_string)
            .collect();
        let anyhow: Vec<String> = self
            .anyhow
            .chain()
            .skip(1)
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            boxed, anyhow,
            "Box<dyn Error> and anyhow see the same chain"
        );
        causes(&self.error)
    }
}

fn causes<'e>(error: &'e (dyn StdError + 'static)) -> Vec<&'e (dyn StdError + 'static)> {
    let mut causes = Vec::new();
    let mut next = error.source();
    while let Some(cause) = next {
        causes.push(cause);
        next = cause.source();
    }
    causes
}

/// Sends the failing call three times, through a `?` into each error type.
async fn shown<T, F>(call: impl Fn() -> F) -> Shown
where
    F: Future<Output = pinterest_v5::Result<T>>,
{
    async fn into_crate<T>(
        f: impl Future<Output = pinterest_v5::Result<T>>,
    ) -> pinterest_v5::Result<()> {
        f.await?;
        Ok(())
    }
    async fn into_boxed<T>(
        f: impl Future<Output = pinterest_v5::Result<T>>,
    ) -> Result<(), Box<dyn StdError + Send + Sync>> {
        f.await?;
        Ok(())
    }
    async fn into_anyhow<T>(
        f: impl Future<Output = pinterest_v5::Result<T>>,
    ) -> anyhow::Result<()> {
        f.await?;
        Ok(())
    }
    Shown {
        error: into_crate(call()).await.expect_err("the call fails"),
        boxed: into_boxed(call()).await.expect_err("the call fails"),
        anyhow: into_anyhow(call()).await.expect_err("the call fails"),
    }
}

#[test]
fn every_public_error_type_is_a_std_error() {
    fn is_error<E: StdError + Send + Sync + 'static>() {}
    is_error::<Error>();
    is_error::<pinterest_v5::ApiError>();
    is_error::<pinterest_v5::error::RateLimited>();
    is_error::<MediaError>();
    is_error::<OAuthError>();
}

#[tokio::test]
async fn an_api_error_shows_pinterests_code_message_and_request_id() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/boards/404");
            then.status(404)
                .header("x-pinterest-rid", "rid-404")
                .json_body(serde_json::json!({"code": 40, "message": "Board not found."}));
        })
        .await;
    let client = client(&server);

    let shown = shown(|| client.boards_get().board_id("404").send()).await;

    shown.says(&["404", "code 40", "Board not found.", "rid-404"]);
    let Error::Api(api) = &shown.error else {
        panic!("expected Error::Api, got {:?}", shown.error);
    };
    assert_eq!(api.code, Some(40));
    assert_eq!(api.request_id.as_deref(), Some("rid-404"));
    // The reply is the cause itself.
    assert!(shown.causes().is_empty());
}

#[tokio::test]
async fn a_rate_limit_shows_its_category_message_and_request_id() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(429)
                .header("x-ratelimit-reset", "67000")
                .header("x-pinterest-rid", "rid-429")
                .json_body(serde_json::json!({"code": 8, "message": "Daily limit reached."}));
        })
        .await;
    let client = client(&server);

    let shown = shown(|| client.boards_list().send()).await;

    shown.says(&[
        "rate limited",
        "org_read",
        "Daily limit reached.",
        "rid-429",
    ]);
    assert!(
        matches!(shown.error, Error::RateLimited(_)),
        "{:?}",
        shown.error
    );
    assert!(shown.causes().is_empty());
}

#[tokio::test]
async fn a_sandbox_refusal_names_the_operation_and_what_to_use_instead() {
    // Nothing is sent: the refusal comes before any connection.
    let client = Client::builder()
        .environment(Environment::Sandbox)
        .access_token("pina_sandbox")
        .build()
        .expect("client");
    let date = |d: &str| d.parse::<chrono::NaiveDate>().expect("date");

    let shown = shown(|| {
        client
            .user_account_analytics()
            .start_date(date("2025-01-01"))
            .end_date(date("2025-01-02"))
            .send()
    })
    .await;

    shown.says(&[
        "user_account_analytics",
        "sandbox",
        "Environment::Production",
    ]);
    assert!(matches!(
        shown.error,
        Error::SandboxUnsupported {
            operation: "user_account_analytics"
        }
    ));
}

fn app() -> OAuthApp {
    OAuthApp::new("1234567", "app-secret-XYZ", "https://example.com/cb")
}

fn expired_token() -> Token {
    Token::new("pina_OLD")
        .with_refresh_token("pinr_OLD")
        .with_expires_at(chrono::Utc::now() - chrono::Duration::seconds(10))
}

#[tokio::test]
async fn a_failed_refresh_shows_the_token_endpoints_answer_and_hands_on_the_oauth_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(400).json_body(
                serde_json::json!({"code": 283, "message": "The authorization grant is invalid"}),
            );
        })
        .await;
    let client = Client::builder()
        .environment(Environment::custom(server.base_url()).expect("loopback URL"))
        .token_manager(TokenManager::new(app(), expired_token()))
        .build()
        .expect("client");

    let shown = shown(|| client.user_account_get().send()).await;

    shown.says(&[
        "The authorization grant is invalid",
        "authorize the app again",
    ]);
    assert!(shown.error.needs_reauthorization());
    let causes = shown.causes();
    let oauth = causes
        .first()
        .and_then(|e| e.downcast_ref::<OAuthError>())
        .expect("the OAuth error is the first cause");
    assert!(
        matches!(
            oauth,
            OAuthError::Rejected {
                code: Some(283),
                ..
            }
        ),
        "{oauth:?}"
    );
}

/// A store that loads nothing and cannot save.
#[derive(Debug)]
struct FullDisk;

impl TokenStore for FullDisk {
    fn load(&self) -> StoreFuture<'_, Option<Token>> {
        Box::pin(async { Ok(None) })
    }

    fn save<'a>(&'a self, _: &'a Token) -> StoreFuture<'a, ()> {
        Box::pin(async {
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no space left on device",
            ))
        })
    }
}

#[tokio::test]
async fn a_failed_token_store_shows_the_io_error_and_hands_it_on() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(200).body(
                r#"{"access_token":"pina_NEW","refresh_token":"pinr_NEW","expires_in":2592000,"refresh_token_expires_in":5184000,"scope":"user_accounts:read","token_type":"bearer"}"#,
            );
        })
        .await;
    let client = Client::builder()
        .environment(Environment::custom(server.base_url()).expect("loopback URL"))
        .token_manager(TokenManager::new(app(), expired_token()).store(FullDisk))
        .build()
        .expect("client");

    let shown = shown(|| client.user_account_get().send()).await;

    shown.says(&["token store failed", "no space left on device"]);
    let causes = shown.causes();
    let io = causes
        .first()
        .and_then(|e| e.downcast_ref::<std::io::Error>())
        .expect("the I/O error is the first cause");
    assert_eq!(io.kind(), std::io::ErrorKind::StorageFull);
    // The unsaved token is not shown.
    for text in [shown.error.to_string(), format!("{:?}", shown.anyhow)] {
        assert!(
            !text.contains("pina_NEW") && !text.contains("pinr_NEW"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn no_reply_shows_why_down_to_the_refused_connection() {
    // A loopback port nothing listens on: the connection is refused at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let client = Client::builder()
        .environment(Environment::custom(format!("http://127.0.0.1:{port}/v5")).expect("loopback"))
        .access_token("pina_TEST")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");

    let shown = shown(|| client.user_account_get().send()).await;

    shown.says(&["no reply from Pinterest", "refused"]);
    assert!(
        matches!(shown.error, Error::Transport(_)),
        "{:?}",
        shown.error
    );
    let causes = shown.causes();
    assert!(
        causes.first().is_some_and(|e| e.is::<reqwest::Error>()),
        "reqwest's error is the first cause: {causes:?}"
    );
    assert!(
        causes.iter().any(|e| e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)),
        "the refused connection is in the chain: {causes:?}"
    );
}

#[tokio::test]
async fn a_reply_that_does_not_decode_shows_its_status_the_reason_and_the_body() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/user_account");
            then.status(200).body(r#"{"username": 7}"#);
        })
        .await;
    let client = client(&server);

    let shown = shown(|| client.user_account_get().send()).await;

    shown.says(&["200 OK", "invalid type: integer `7`", r#"{"username": 7}"#]);
    assert!(
        matches!(shown.error, Error::Decode { status: Some(s), .. } if s == 200),
        "{:?}",
        shown.error
    );
}

#[tokio::test]
async fn a_reply_that_does_not_decode_shows_no_secret_it_holds() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/user_account");
            // A secret where the description names one, and the same value where serde's
            // message quotes what it stopped at.
            then.status(200).body(
                r#"{"refresh_token": "pinr_LEAKED", "access_token": "pina_LEAKED", "follower_count": "pina_LEAKED"}"#,
            );
        })
        .await;
    let client = client(&server);

    let shown = shown(|| client.user_account_get().send()).await;

    shown.says(&[
        "200 OK",
        "invalid type: string",
        r#""access_token": "[redacted]""#,
    ]);
    for text in [
        shown.error.to_string(),
        format!("{:?}", shown.error),
        format!("{:#}", shown.anyhow),
        format!("{:?}", shown.anyhow),
    ] {
        assert!(!text.contains("LEAKED"), "{text}");
    }
}

#[tokio::test]
async fn a_success_status_the_description_does_not_document_is_a_decode_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/user_account");
            then.status(202).body("queued");
        })
        .await;
    let client = client(&server);

    let shown = shown(|| client.user_account_get().send()).await;

    shown.says(&["202 Accepted", "documents no", "queued"]);
    assert!(
        matches!(shown.error, Error::Decode { status: Some(s), .. } if s == 202),
        "{:?}",
        shown.error
    );
}

#[tokio::test]
async fn a_request_missing_a_required_parameter_names_it() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let client = client(&server);

    let shown = shown(|| client.boards_get().send()).await;

    shown.says(&["invalid request", "board_id"]);
    assert!(
        matches!(shown.error, Error::InvalidRequest(_)),
        "{:?}",
        shown.error
    );
    assert_eq!(anything.hits_async().await, 0, "nothing is sent");
}

#[test]
fn a_failed_video_read_hands_on_the_io_error() {
    let error = Error::Media(MediaError::Read {
        path: Some("clip.mp4".into()),
        error: Arc::new(std::io::Error::other("the disk was unplugged")),
    });
    let boxed: Box<dyn StdError + Send + Sync> = error.into();
    assert!(boxed.to_string().contains("clip.mp4"), "{boxed}");
    assert!(boxed.to_string().contains("unplugged"), "{boxed}");
    let causes = causes(boxed.as_ref());
    assert!(causes[0].is::<MediaError>(), "{causes:?}");
    assert!(
        causes[1]
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.to_string() == "the disk was unplugged"),
        "{causes:?}"
    );
}
