//! Rate limits: the last `X-RateLimit-*` figures per category are readable from the client; a
//! 429 with a short reset is waited out, a long one (or one about spam) reaches the caller at
//! once as `Error::RateLimited` with the reset instant; throttling holds a category's requests
//! until its reset once nothing remains. `X-RateLimit-Limit` is read in its structured forms
//! too (`100, 100;w=1, 1000;w=60`), and the IETF RateLimit draft's fields when it is absent.

use crate::retry::TestClock;
use httpmock::prelude::*;
use pinterest_v5::client::rate_limit::RateLimitPolicy;
use pinterest_v5::client::retry::RetryPolicy;
use pinterest_v5::{Client, Environment, Error};
use std::time::{Duration, SystemTime};

fn client(server: &MockServer, policy: RateLimitPolicy, clock: &TestClock) -> Client {
    Client::builder()
        .environment(Environment::custom(server.base_url()).expect("loopback URL"))
        .access_token("t")
        .rate_limit_policy(policy)
        .retry_policy(RetryPolicy::none())
        .sleeper(clock.sleeper())
        .build()
        .expect("client")
}

fn boards() -> serde_json::Value {
    serde_json::json!({
        "items": [{"id": "1", "name": "Recipes", "is_ads_only": false, "privacy": "PUBLIC"}],
        "bookmark": null
    })
}

fn too_many(message: &str) -> serde_json::Value {
    serde_json::json!({"code": 8, "message": message})
}

/// `d` lies within `slack` below `expected`.
fn close_to(d: Duration, expected: Duration, slack: Duration) -> bool {
    d <= expected && d + slack >= expected
}

#[tokio::test]
async fn rate_limit_headers_are_exposed_per_category() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(200)
                .header("x-ratelimit-limit", "1000")
                .header("x-ratelimit-remaining", "998")
                .header("x-ratelimit-reset", "60")
                .json_body(boards());
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/ad_accounts");
            then.status(200)
                .header("x-ratelimit-limit", "300")
                .header("x-ratelimit-remaining", "12")
                .json_body(serde_json::json!({"items": [], "bookmark": null}));
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, RateLimitPolicy::default(), &clock);
    assert_eq!(client.rate_limits().get("org_read"), None);

    client.boards_list().send().await.expect("boards");
    client.ad_accounts_list().send().await.expect("ad accounts");

    let org_read = client.rate_limits().get("org_read").expect("org_read seen");
    assert_eq!(
        (org_read.limit, org_read.remaining),
        (Some(1000), Some(998))
    );
    let reset_in = org_read
        .reset_at
        .and_then(|r| r.duration_since(SystemTime::now()).ok())
        .expect("a reset in the future");
    assert!(
        close_to(reset_in, Duration::from_secs(60), Duration::from_secs(5)),
        "{reset_in:?}"
    );
    let ads_read = client.rate_limits().get("ads_read").expect("ads_read seen");
    assert_eq!(
        (ads_read.limit, ads_read.remaining, ads_read.reset_at),
        (Some(300), Some(12), None)
    );
    let categories: Vec<&str> = client.rate_limits().all().iter().map(|(c, _)| *c).collect();
    assert_eq!(categories, ["ads_read", "org_read"]);
}

#[tokio::test]
async fn a_429_with_a_short_reset_is_waited_out_then_succeeds() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(429)
                .header("x-ratelimit-limit", "10")
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", "2")
                .json_body(too_many("This request exceeded a rate limit."));
        })
        .await;
    let clock = TestClock::held();
    let client = client(&server, RateLimitPolicy::default(), &clock);

    let request = async { client.boards_list().send().await };
    let window_resets = async {
        clock.wait_started().await;
        limited.delete_async().await;
        let ok = server
            .mock_async(|when, then| {
                when.method(GET).path("/boards");
                then.status(200).json_body(boards());
            })
            .await;
        clock.release();
        ok
    };
    let (reply, ok) = tokio::join!(request, window_resets);

    assert_eq!(
        reply
            .expect("retried after the reset")
            .into_inner()
            .items
            .len(),
        1
    );
    assert_eq!(ok.hits_async().await, 1);
    let waits = clock.waits();
    assert_eq!(waits.len(), 1);
    assert!(
        close_to(waits[0], Duration::from_secs(2), Duration::from_millis(500)),
        "{waits:?}"
    );
}

#[tokio::test]
async fn a_429_with_a_long_reset_fails_at_once_with_the_reset_instant() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(429)
                .header("x-ratelimit-limit", "1000")
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", "67000")
                .header("x-pinterest-rid", "rid-1")
                .json_body(too_many("Daily limit reached."));
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, RateLimitPolicy::default(), &clock);

    let err = client.boards_list().send().await.expect_err("429");

    let Error::RateLimited(limited_error) = err else {
        panic!("expected Error::RateLimited, got {err:?}");
    };
    assert_eq!(limited_error.category, Some("org_read"));
    assert_eq!(limited_error.limit, Some(1000));
    assert_eq!(limited_error.remaining, Some(0));
    assert_eq!(limited_error.request_id.as_deref(), Some("rid-1"));
    assert_eq!(
        limited_error.message.as_deref(),
        Some("Daily limit reached.")
    );
    let reset_in = limited_error
        .reset_at
        .and_then(|r| r.duration_since(SystemTime::now()).ok())
        .expect("a reset in the future");
    assert!(
        close_to(
            reset_in,
            Duration::from_secs(67_000),
            Duration::from_secs(60)
        ),
        "{reset_in:?}"
    );
    assert!(
        clock.waits().is_empty(),
        "no wait at all: {:?}",
        clock.waits()
    );
    assert_eq!(limited.hits_async().await, 1);
}

#[tokio::test]
async fn a_429_about_spam_is_not_retried() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(429)
                .header("x-ratelimit-reset", "1")
                .json_body(too_many(
                    "Your request was blocked: it looks like spam. Please review our policies.",
                ));
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, RateLimitPolicy::default(), &clock);

    let err = client.boards_list().send().await.expect_err("429");

    assert!(
        matches!(&err, Error::RateLimited(r) if r.message.as_deref().is_some_and(|m| m.contains("spam"))),
        "{err:?}"
    );
    assert_eq!(limited.hits_async().await, 1);
    assert!(clock.waits().is_empty());
}

#[tokio::test]
async fn repeated_429s_give_up_after_the_policy_retries() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(429)
                .header("x-ratelimit-reset", "1")
                .json_body(too_many("This request exceeded a rate limit."));
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, RateLimitPolicy::default().max_retries(2), &clock);

    let err = client.boards_list().send().await.expect_err("429");

    assert!(matches!(err, Error::RateLimited(_)), "{err:?}");
    assert_eq!(limited.hits_async().await, 3);
    assert_eq!(clock.waits().len(), 2);
}

#[tokio::test]
async fn throttling_holds_a_request_until_its_category_resets() {
    let server = MockServer::start_async().await;
    let boards_mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(200)
                .header("x-ratelimit-limit", "10")
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", "2")
                .json_body(boards());
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, RateLimitPolicy::default().throttle(true), &clock);

    client.boards_list().send().await.expect("first");
    assert!(
        clock.waits().is_empty(),
        "nothing to wait for before the first reply"
    );
    client.boards_list().send().await.expect("second");

    assert_eq!(boards_mock.hits_async().await, 2);
    let waits = clock.waits();
    assert_eq!(
        waits.len(),
        1,
        "the second request was held once: {waits:?}"
    );
    assert!(
        close_to(waits[0], Duration::from_secs(2), Duration::from_millis(500)),
        "{waits:?}"
    );
}

#[tokio::test]
async fn without_throttling_a_request_is_sent_at_once_whatever_remains() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(200)
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", "2")
                .json_body(boards());
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, RateLimitPolicy::default(), &clock);

    client.boards_list().send().await.expect("first");
    client.boards_list().send().await.expect("second");

    assert!(clock.waits().is_empty());
}

#[tokio::test]
async fn throttling_counts_requests_sent_against_what_remains() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(200)
                .header("x-ratelimit-remaining", "1")
                .header("x-ratelimit-reset", "3")
                .json_body(boards());
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, RateLimitPolicy::default().throttle(true), &clock);

    client
        .boards_list()
        .send()
        .await
        .expect("learns remaining = 1");
    // A burst of two: the first takes the last request of the window, the second is held.
    let (a, b) = tokio::join!(client.boards_list().send(), client.boards_list().send());
    a.expect("a");
    b.expect("b");

    assert_eq!(first.hits_async().await, 3);
    let waits = clock.waits();
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert!(
        close_to(waits[0], Duration::from_secs(3), Duration::from_millis(500)),
        "{waits:?}"
    );
}

#[tokio::test]
async fn a_structured_limit_header_keeps_the_limit_in_force_and_its_window() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(200)
                .header("x-ratelimit-limit", "100, 100;w=1, 1000;w=60")
                .header("x-ratelimit-remaining", "42")
                .header("x-ratelimit-reset", "1")
                .json_body(boards());
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, RateLimitPolicy::default(), &clock);

    client.boards_list().send().await.expect("boards");

    let state = client.rate_limits().get("org_read").expect("org_read seen");
    assert_eq!((state.limit, state.remaining), (Some(100), Some(42)));
    assert_eq!(state.window, Some(Duration::from_secs(1)));
    assert!(state.reset_at.is_some());
}

#[tokio::test]
async fn the_ietf_drafts_fields_are_read_when_pinterests_are_absent() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(200)
                .header("ratelimit-policy", "\"minute\";q=600;w=60")
                .header("ratelimit", "\"minute\";r=17;t=30")
                .json_body(boards());
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, RateLimitPolicy::default(), &clock);

    client.boards_list().send().await.expect("boards");

    let state = client.rate_limits().get("org_read").expect("org_read seen");
    assert_eq!((state.limit, state.remaining), (Some(600), Some(17)));
    assert_eq!(state.window, Some(Duration::from_secs(60)));
    let reset_in = state
        .reset_at
        .and_then(|r| r.duration_since(state.seen_at).ok());
    assert_eq!(reset_in, Some(Duration::from_secs(30)));
}

#[tokio::test]
async fn a_429_with_structured_headers_reports_the_limit_in_force() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(429)
                .header("x-ratelimit-limit", "1000;w=86400, 100;w=60")
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset", "67000")
                .json_body(too_many("Daily limit reached."));
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, RateLimitPolicy::default(), &clock);

    let err = client.boards_list().send().await.expect_err("429");

    let Error::RateLimited(limited) = err else {
        panic!("expected Error::RateLimited, got {err:?}");
    };
    assert_eq!((limited.limit, limited.remaining), (Some(1000), Some(0)));
}
