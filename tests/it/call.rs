//! Any operation by its id (`Client::call`): parameters as text put where the description
//! says (path, query, repeated or comma-joined arrays), a JSON body, the reply's JSON; what is
//! wrong with the request refused before anything is sent; the request path's refresh and
//! pagination over it.

use crate::support::client;
use futures::TryStreamExt;
use httpmock::prelude::*;
use pinterest_v5::auth::{OAuthApp, TokenManager};
use pinterest_v5::client::CallParams;
use pinterest_v5::operation::{self, BodyKind, Location, ValueType};
use pinterest_v5::{Client, Environment, Error};
use pinterest_v5_standin::Standin;

/// The values of the query parameter `name`, in order.
fn query_values(req: &HttpMockRequest, name: &str) -> Vec<String> {
    req.query_params
        .iter()
        .flatten()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

#[test]
fn the_table_names_each_operations_parameters_and_body() {
    let op = operation::lookup("ad_groups/analytics").expect("ad_groups/analytics");
    assert_eq!(
        op,
        operation::lookup("ad_groups_analytics").expect("by name")
    );
    assert!(!op.summary.is_empty());
    let account = op.parameter("ad_account_id").expect("ad_account_id");
    assert_eq!(
        (account.location, account.required, account.array),
        (Location::Path, true, false)
    );
    let columns = op.parameter("columns").expect("columns");
    assert_eq!((columns.location, columns.array), (Location::Query, true));
    let days = op
        .parameter("click_window_days")
        .expect("click_window_days");
    assert_eq!(
        (days.value_type, days.required),
        (ValueType::Integer, false)
    );
    assert!(op.body.is_none());

    let create = operation::lookup("pins/create").expect("pins/create");
    let body = create.body.expect("a body");
    assert_eq!(body.kind, BodyKind::Json);
    assert!(body.required);
    let title = body.fields.iter().find(|f| f.name == "title");
    assert_eq!(title.map(|f| f.value_type), Some(ValueType::String));
    // Objects and arrays are not fields given one by one.
    assert!(!body.fields.iter().any(|f| f.name == "media_source"));

    let token = operation::lookup("oauth/token").expect("oauth/token");
    assert_eq!(token.body.map(|b| b.kind), Some(BodyKind::Form));
}

#[tokio::test]
async fn path_query_and_array_parameters_go_where_the_description_says() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/ad_accounts/12%2F3/ad_groups/analytics")
                .matches(|req| {
                    query_values(req, "ad_group_ids") == ["1", "2"]
                        && query_values(req, "columns") == ["SPEND_IN_DOLLAR,TOTAL_CLICKTHROUGH"]
                        && query_values(req, "granularity") == ["DAY"]
                        && query_values(req, "click_window_days") == ["7"]
                });
            then.status(200)
                .json_body(serde_json::json!([{"DATE": "2026-01-01"}]));
        })
        .await;
    let params = CallParams::new()
        .param("ad_account_id", "12/3")
        .param("start_date", "2026-01-01")
        .param("end_date", "2026-01-02")
        .param("ad_group_ids", "1")
        .param("ad_group_ids", "2")
        .param("columns", "SPEND_IN_DOLLAR")
        .param("columns", "TOTAL_CLICKTHROUGH")
        .param("granularity", "DAY")
        .param("click_window_days", "7");
    let reply = client(&server)
        .call("ad_groups/analytics", params)
        .await
        .expect("the reply");
    assert_eq!(reply[0]["DATE"], "2026-01-01");
    mock.assert_async().await;
}

#[tokio::test]
async fn a_json_body_is_sent_as_given_and_an_empty_reply_is_null() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/pins")
                .header("content-type", "application/json")
                .json_body(serde_json::json!({"board_id": "9", "title": "Pasta"}));
            then.status(201)
                .json_body(serde_json::json!({"id": "77", "title": "Pasta"}));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/pins/77");
            then.status(204);
        })
        .await;
    let client = client(&server);
    let body = serde_json::json!({"board_id": "9", "title": "Pasta"});
    let pin = client
        .call("pins_create", CallParams::new().body(body))
        .await
        .expect("created");
    assert_eq!(pin["id"], "77");
    let gone = client
        .call("pins/delete", CallParams::new().param("pin_id", "77"))
        .await
        .expect("deleted");
    assert_eq!(gone, serde_json::Value::Null);
    create.assert_async().await;
    delete.assert_async().await;
}

#[tokio::test]
async fn bad_input_is_refused_with_what_to_do_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|_, then| {
            then.status(200).json_body(serde_json::json!({}));
        })
        .await;
    let client = client(&server);
    let cases = [
        ("pins/fly", CallParams::new(), "no operation `pins/fly`"),
        ("pins/get", CallParams::new(), "`pin_id` is required"),
        (
            "pins/get",
            CallParams::new()
                .param("pin_id", "1")
                .param("colour", "red"),
            "no parameter `colour`; its parameters are pin_id",
        ),
        (
            "pins/get",
            CallParams::new().param("pin_id", "1").param("pin_id", "2"),
            "takes one value",
        ),
        (
            "boards/list",
            CallParams::new().param("page_size", "many"),
            "`many` is not a whole number",
        ),
        ("pins/create", CallParams::new(), "needs a request body"),
        (
            "user_account/get",
            CallParams::new().body(serde_json::json!({})),
            "takes no request body",
        ),
    ];
    for (op, params, expected) in cases {
        match client.call(op, params).await {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains(expected), "{op}: {message}");
            }
            other => panic!("{op}: {other:?}"),
        }
    }
    anything.assert_hits_async(0).await;
}

#[tokio::test]
async fn a_call_refreshes_an_expired_token_and_retries() {
    let standin = Standin::start().await.expect("stand-in");
    let environment = Environment::custom(standin.base_url()).expect("loopback URL");
    let app = OAuthApp::new(
        standin.client_id(),
        standin.client_secret(),
        "http://localhost:8085/cb",
    );
    let issued = standin.issue_tokens(&["user_accounts:read"]);
    let token = pinterest_v5::auth::Token::new(issued.access_token)
        .with_refresh_token(issued.refresh_token.expect("a refresh token"));
    let client = Client::builder()
        .environment(environment)
        .token_manager(TokenManager::new(app, token))
        .build()
        .expect("client");
    standin.expire_access_tokens();
    let me = client
        .call("user_account/get", CallParams::new())
        .await
        .expect("the account");
    assert_eq!(me["username"], standin.username());
    assert_eq!(standin.counters().grant("refresh_token"), 1);
}

#[tokio::test]
async fn call_pages_follows_bookmarks_until_a_page_has_none() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards")
                .matches(|req| query_values(req, "bookmark").is_empty());
            then.status(200)
                .json_body(serde_json::json!({"items": [{"id": "1"}], "bookmark": "b2"}));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards")
                .matches(|req| query_values(req, "bookmark") == ["b2"]);
            then.status(200)
                .json_body(serde_json::json!({"items": [{"id": "2"}], "bookmark": null}));
        })
        .await;
    let client = client(&server);
    let pages: Vec<serde_json::Value> = client
        .call_pages("boards/list", CallParams::new().param("page_size", "1"))
        .try_collect()
        .await
        .expect("every page");
    let ids: Vec<&serde_json::Value> = pages.iter().map(|p| &p["items"][0]["id"]).collect();
    assert_eq!(ids, ["1", "2"]);
    first.assert_async().await;
    second.assert_async().await;

    let refused: Result<Vec<_>, _> = client
        .call_pages("user_account/get", CallParams::new())
        .try_collect()
        .await;
    assert!(matches!(refused, Err(Error::InvalidRequest(m)) if m.contains("does not page")));
}
