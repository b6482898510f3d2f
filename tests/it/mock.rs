//! Typed mocks (`pinterest_v5::mock`, feature `mock`): every operation has its mock, named as
//! the client's method; a mock matches what the client sends (path and query parameters, JSON
//! and form bodies, bookmarks, the bearer token) and answers typed replies, Pinterest's errors
//! and 429s, for a sample of operations across API areas.

use futures::TryStreamExt;
use pinterest_v5::auth::TokenManager;
use pinterest_v5::auth::{OAuthApp, Token};
use pinterest_v5::mock::MockServerExt;
use pinterest_v5::mock::httpmock::MockServer;
use pinterest_v5::{__inventory, Client, Error, mock, types};
use pinterest_v5_codegen::{filter, load, naming};
use serde_json::json;
use std::collections::BTreeSet;
use std::path::Path;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .environment(mock::environment(server))
        .access_token("pina_TEST")
        .build()
        .expect("client")
}

/// A reply type built from the JSON Pinterest would send (the types decode what they encode).
fn typed<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("a value of the type")
}

fn board(id: &str) -> types::Board {
    typed(json!({"id": id, "name": format!("Board {id}"), "privacy": "PUBLIC"}))
}

#[test]
fn every_operation_of_the_description_has_a_mock_named_as_the_clients_method() {
    let spec = match load::load_pinned(Path::new(env!("CARGO_MANIFEST_DIR"))) {
        Ok(loaded) => loaded.spec,
        Err(e) => panic!("{e}"),
    };
    let described: BTreeSet<String> = filter::operations(&spec)
        .map(|(_, _, op)| naming::method_name(op["operationId"].as_str().unwrap_or_default()))
        .collect();
    let mocked: BTreeSet<String> = mock::__METHODS.iter().map(|s| s.to_string()).collect();
    let missing: Vec<_> = described.difference(&mocked).collect();
    let extra: Vec<_> = mocked.difference(&described).collect();
    assert!(missing.is_empty(), "operations without a mock: {missing:?}");
    assert!(extra.is_empty(), "mocks without an operation: {extra:?}");
    let methods: BTreeSet<String> = __inventory::METHODS.iter().map(|s| s.to_string()).collect();
    assert_eq!(mocked, methods, "mocks and client methods differ");
    if spec["info"]["version"] == "5.23.0" {
        assert_eq!(mocked.len(), 231);
    }
}

#[tokio::test]
async fn user_account_a_typed_reply_decodes_as_the_client_reads_it() {
    let server = MockServer::start_async().await;
    let account = types::Account {
        username: Some("pinner".into()),
        ..Default::default()
    };
    let m = server.user_account_get(|when, then| {
        when.bearer("pina_TEST");
        then.ok(&account);
    });
    let got = client(&server)
        .user_account_get()
        .send()
        .await
        .expect("account");
    assert_eq!(got.username.as_deref(), Some("pinner"));
    m.assert_async().await;
}

#[tokio::test]
async fn pins_path_and_query_parameters_must_match() {
    let server = MockServer::start_async().await;
    let pin: types::Pin = typed(json!({"id": "813744226420795886", "board_id": "42"}));
    let m = server.pins_get(|when, then| {
        when.pin_id("813744226420795886")
            .ad_account_id("549755885175");
        then.ok(&pin);
    });
    let client = client(&server);
    let got = client
        .pins_get()
        .pin_id("813744226420795886")
        .ad_account_id("549755885175")
        .send()
        .await
        .expect("the pin");
    assert_eq!(got.board_id.as_deref(), Some("42"));
    // Another ad account, another pin: no mock matches (httpmock answers 404).
    let other = client
        .pins_get()
        .pin_id("813744226420795886")
        .ad_account_id("1")
        .send()
        .await;
    assert!(other.is_err());
    let other = client.pins_get().pin_id("1").send().await;
    assert!(other.is_err());
    m.assert_hits_async(1).await;
}

#[tokio::test]
async fn pins_a_json_body_must_equal_the_typed_one() {
    let server = MockServer::start_async().await;
    let body = types::PinCreate {
        board_id: Some("42".into()),
        title: Some("Weeknight pasta".into()),
        ..Default::default()
    };
    let pin: types::Pin = typed(json!({"id": "7", "board_id": "42"}));
    let m = server.pins_create(|when, then| {
        when.body(&body);
        then.created(&pin);
    });
    let client = client(&server);
    let created = client
        .pins_create()
        .body(body.clone())
        .send()
        .await
        .expect("created");
    assert_eq!(created.id, "7");
    let other = types::PinCreate {
        title: Some("Something else".into()),
        ..body
    };
    assert!(client.pins_create().body(other).send().await.is_err());
    m.assert_hits_async(1).await;
}

#[tokio::test]
async fn ad_accounts_an_explode_false_array_matches_comma_joined() {
    let server = MockServer::start_async().await;
    let columns: Vec<types::AdAccountAnalyticsColumnsItem> = vec![
        "SPEND_IN_DOLLAR".parse().expect("a column"),
        "TOTAL_CLICKTHROUGH".parse().expect("a column"),
    ];
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).expect("a date");
    let daily: types::Granularity = "DAY".parse().expect("a granularity");
    let reply: types::AdAccountAnalyticsResponse =
        typed(json!([{"AD_ACCOUNT_ID": "549755885175", "SPEND_IN_DOLLAR": 12.5}]));
    let m = server.ad_account_analytics(|when, then| {
        when.ad_account_id("549755885175")
            .columns(&columns)
            .start_date(&day)
            .end_date(&day)
            .granularity(daily.clone());
        then.ok(&reply);
    });
    let got = client(&server)
        .ad_account_analytics()
        .ad_account_id("549755885175")
        .columns(columns.clone())
        .start_date(day)
        .end_date(day)
        .granularity(daily)
        .send()
        .await
        .expect("analytics");
    assert_eq!(got.len(), 1);
    m.assert_async().await;
}

#[tokio::test]
async fn boards_pages_mocked_in_a_row_are_followed_by_bookmark() {
    let server = MockServer::start_async().await;
    let page = |ids: &[&str], bookmark: Option<&str>| types::BoardsListResponse {
        items: ids.iter().map(|id| board(id)).collect(),
        bookmark: bookmark.map(str::to_string),
    };
    let first = server.boards_list(|when, then| {
        when.bookmark(None);
        then.ok(&page(&["1", "2"], Some("b2")));
    });
    let second = server.boards_list(|when, then| {
        when.bookmark("b2");
        then.ok(&page(&["3", "4"], Some("b3")));
    });
    let third = server.boards_list(|when, then| {
        when.bookmark("b3");
        then.ok(&page(&["5"], None));
    });
    let boards: Vec<types::Board> = client(&server)
        .boards_list()
        .stream()
        .try_collect()
        .await
        .expect("all pages");
    let ids: Vec<&str> = boards.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    for page in [first, second, third] {
        page.assert_hits_async(1).await;
    }
}

#[tokio::test]
async fn media_an_error_reply_is_pinterests_code_and_message() {
    let server = MockServer::start_async().await;
    server.media_get(|when, then| {
        when.media_id("12345");
        then.error(404, 3, "Media upload not found.");
    });
    let err: Error = client(&server)
        .media_get()
        .media_id("12345")
        .send()
        .await
        .expect_err("not found");
    let Error::Api(api) = err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.code, Some(3));
    assert_eq!(api.message.as_deref(), Some("Media upload not found."));
}

#[tokio::test]
async fn user_account_a_429_beyond_the_wait_is_rate_limited_with_its_headers() {
    let server = MockServer::start_async().await;
    let m = server.user_account_get(|_, then| {
        then.rate_limited(3600);
    });
    let err: Error = client(&server)
        .user_account_get()
        .send()
        .await
        .expect_err("rate limited");
    let Error::RateLimited(limited) = err else {
        panic!("expected Error::RateLimited, got {err:?}");
    };
    assert_eq!(limited.limit, Some(mock::RATE_LIMIT));
    assert_eq!(limited.remaining, Some(0));
    assert!(limited.reset_at.is_some());
    // Too far away to wait for: answered at once, not retried.
    m.assert_hits_async(1).await;
}

#[tokio::test]
async fn oauth_the_form_encoded_refresh_after_a_401_is_matched_field_by_field() {
    let server = MockServer::start_async().await;
    let stale = server.user_account_get(|when, then| {
        when.bearer("pina_OLD");
        then.error(401, 2, "Authentication failed.");
    });
    let refresh = types::OauthAccessTokenRequest::Refresh(types::OauthAccessTokenRequestRefresh {
        refresh_token: "pinr_OLD".into(),
        scope: None,
    });
    let tokens = types::OauthAccessTokenResponse::Refresh(types::OauthAccessTokenResponseRefresh {
        access_token: "pina_NEW".into(),
        refresh_token: "pinr_NEW".into(),
        token_type: "bearer".into(),
        expires_in: 2_592_000,
        refresh_token_expires_in: 5_184_000,
        refresh_token_expires_at: 1_900_000_000,
        response_type: "refresh_token".parse().ok(),
        scope: "user_accounts:read".into(),
    });
    let grant = server.oauth_token(|when, then| {
        when.body(&refresh);
        then.ok(&tokens);
    });
    let fresh = server.user_account_get(|when, then| {
        when.bearer("pina_NEW");
        then.ok(&types::Account::default());
    });
    let token = Token::new("pina_OLD")
        .with_refresh_token("pinr_OLD")
        .with_expires_at(chrono::Utc::now() + chrono::Duration::days(1));
    let app = OAuthApp::new("1234567", "app-secret", "https://example.com/cb");
    let manager = TokenManager::new(app, token);
    let client = Client::builder()
        .environment(mock::environment(&server))
        .token_manager(manager)
        .build()
        .expect("client");
    client
        .user_account_get()
        .send()
        .await
        .expect("after refresh");
    stale.assert_hits_async(1).await;
    grant.assert_hits_async(1).await;
    fresh.assert_hits_async(1).await;
    let saved = client.token_manager().expect("a token manager").token();
    assert_eq!(saved.refresh_token().map(|t| t.secret()), Some("pinr_NEW"));
}

#[tokio::test]
async fn oauth_a_form_body_with_another_value_does_not_match() {
    let server = MockServer::start_async().await;
    let refresh = types::OauthAccessTokenRequest::Refresh(types::OauthAccessTokenRequestRefresh {
        refresh_token: "pinr_SOMEONE_ELSE".into(),
        scope: None,
    });
    let grant = server.oauth_token(|when, then| {
        when.body(&refresh);
        then.error(500, 0, "must not be reached");
    });
    let token = Token::new("pina_OLD")
        .with_refresh_token("pinr_OLD")
        .with_expires_at(chrono::Utc::now() - chrono::Duration::seconds(10));
    let app = OAuthApp::new("1234567", "app-secret", "https://example.com/cb")
        .environment(mock::environment(&server));
    let manager = TokenManager::new(app, token);
    assert!(manager.refresh().await.is_err());
    grant.assert_hits_async(0).await;
}
