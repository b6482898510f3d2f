//! Bookmark pagination: every list operation streams its items (or pages) lazily, one request
//! per page the consumer reaches, until a page comes without a bookmark.

use crate::support::client;
use futures::{StreamExt, TryStreamExt};
use httpmock::prelude::*;
use pinterest_v5::pagination::{Items, Paginated};
use pinterest_v5::{Client, Error, types};

fn board(id: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "name": format!("board {id}"), "is_ads_only": false, "privacy": "PUBLIC"})
}

fn pin(id: &str) -> serde_json::Value {
    // Fields this crate does not know must not break decoding.
    serde_json::json!({"id": id, "title": format!("pin {id}"), "a_field_from_the_future": 1})
}

/// The first page is asked for without a bookmark.
fn without_bookmark(req: &HttpMockRequest) -> bool {
    !req.query_params
        .iter()
        .flatten()
        .any(|(name, _)| name == "bookmark")
}

/// Three pages of boards (2 + 2 + 1), asked for with `page_size=2`.
async fn three_pages_of_boards(server: &MockServer) -> [httpmock::Mock<'_>; 3] {
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards")
                .query_param("page_size", "2")
                .matches(without_bookmark);
            then.status(200).json_body(
                serde_json::json!({"items": [board("1"), board("2")], "bookmark": "b2"}),
            );
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards")
                .query_param("page_size", "2")
                .query_param("bookmark", "b2");
            then.status(200).json_body(
                serde_json::json!({"items": [board("3"), board("4")], "bookmark": "b3"}),
            );
        })
        .await;
    let third = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards")
                .query_param("page_size", "2")
                .query_param("bookmark", "b3");
            then.status(200)
                .json_body(serde_json::json!({"items": [board("5")], "bookmark": null}));
        })
        .await;
    [first, second, third]
}

#[tokio::test]
async fn a_stream_over_three_pages_makes_exactly_three_requests() {
    let server = MockServer::start_async().await;
    let pages = three_pages_of_boards(&server).await;
    let client = client(&server);

    let boards: Vec<types::Board> = client
        .boards_list()
        .page_size(2u64)
        .stream()
        .try_collect()
        .await
        .expect("all pages");

    let ids: Vec<&str> = boards.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    for page in &pages {
        assert_eq!(page.hits_async().await, 1);
    }
}

#[tokio::test]
async fn the_next_page_is_requested_only_when_the_consumer_reaches_it() {
    let server = MockServer::start_async().await;
    let [first, second, third] = three_pages_of_boards(&server).await;
    let client = client(&server);

    let mut boards = client.boards_list().page_size(2u64).stream();
    assert_eq!(
        first.hits_async().await,
        0,
        "nothing is sent before the first poll"
    );
    boards.next().await.expect("board 1").expect("ok");
    boards.next().await.expect("board 2").expect("ok");
    assert_eq!(second.hits_async().await, 0, "page 2 is not fetched ahead");
    boards.next().await.expect("board 3").expect("ok");
    assert_eq!(boards.requests_sent(), 2);
    drop(boards);

    assert_eq!(first.hits_async().await, 1);
    assert_eq!(second.hits_async().await, 1);
    assert_eq!(
        third.hits_async().await,
        0,
        "a dropped stream sends nothing more"
    );
}

#[tokio::test]
async fn taking_fewer_items_than_a_page_holds_sends_one_request() {
    let server = MockServer::start_async().await;
    let [first, second, third] = three_pages_of_boards(&server).await;
    let client = client(&server);

    let two: Vec<types::Board> = client
        .boards_list()
        .page_size(2u64)
        .stream()
        .take(2)
        .try_collect()
        .await
        .expect("two boards");

    assert_eq!(two.len(), 2);
    assert_eq!(first.hits_async().await, 1);
    assert_eq!(second.hits_async().await + third.hits_async().await, 0);
}

#[tokio::test]
async fn an_empty_first_page_ends_the_stream_after_one_request() {
    let server = MockServer::start_async().await;
    let empty = server
        .mock_async(|when, then| {
            when.method(GET).path("/pins");
            then.status(200)
                .json_body(serde_json::json!({"items": [], "bookmark": null}));
        })
        .await;
    let client = client(&server);

    let pins: Vec<types::Pin> = client.pins_list().stream().try_collect().await.expect("ok");

    assert!(pins.is_empty());
    assert_eq!(empty.hits_async().await, 1);
}

#[tokio::test]
async fn an_empty_bookmark_ends_the_stream_like_a_missing_one() {
    let server = MockServer::start_async().await;
    let only = server
        .mock_async(|when, then| {
            when.method(GET).path("/pins");
            then.status(200)
                .json_body(serde_json::json!({"items": [pin("1")], "bookmark": ""}));
        })
        .await;
    let client = client(&server);

    let pages: Vec<_> = client.pins_list().pages().try_collect().await.expect("ok");

    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].next_bookmark(), None);
    assert_eq!(only.hits_async().await, 1);
}

#[tokio::test]
async fn pages_carry_items_decoded_into_the_generated_types_and_the_bookmark() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/pins").matches(without_bookmark);
            then.status(200)
                .json_body(serde_json::json!({"items": [pin("1"), pin("2")], "bookmark": "next"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/pins")
                .query_param("bookmark", "next");
            then.status(200)
                .json_body(serde_json::json!({"items": [pin("3")]}));
        })
        .await;
    let client = client(&server);

    let pages: Vec<pinterest_v5::pagination::Page<types::Pin>> =
        client.pins_list().pages().try_collect().await.expect("ok");

    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].next_bookmark(), Some("next"));
    assert_eq!(pages[0].items[1].title.as_deref(), Some("pin 2"));
    assert_eq!(pages[1].items[0].id, "3");
    assert_eq!(pages[1].bookmark, None);
}

#[tokio::test]
async fn an_error_is_yielded_and_ends_the_stream() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/pins").matches(without_bookmark);
            then.status(200)
                .json_body(serde_json::json!({"items": [pin("1")], "bookmark": "b2"}));
        })
        .await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path("/pins").query_param("bookmark", "b2");
            then.status(400)
                .json_body(serde_json::json!({"code": 2, "message": "Invalid bookmark"}));
        })
        .await;
    let client = client(&server);

    let mut pins = client.pins_list().stream();
    assert_eq!(pins.next().await.expect("pin").expect("ok").id, "1");
    match pins.next().await {
        Some(Err(Error::Api(api))) => assert_eq!(api.message.as_deref(), Some("Invalid bookmark")),
        other => panic!("expected the 400 as Error::Api, got {other:?}"),
    }
    assert!(pins.next().await.is_none());
    assert_eq!(failing.hits_async().await, 1);
}

#[tokio::test]
async fn a_bookmark_sent_back_unchanged_ends_the_stream_instead_of_looping() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/pins").matches(without_bookmark);
            then.status(200)
                .json_body(serde_json::json!({"items": [pin("1")], "bookmark": "same"}));
        })
        .await;
    let looping = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/pins")
                .query_param("bookmark", "same");
            then.status(200)
                .json_body(serde_json::json!({"items": [pin("2")], "bookmark": "same"}));
        })
        .await;
    let client = client(&server);

    let results: Vec<Result<types::Pin, Error>> = client.pins_list().stream().collect().await;

    assert_eq!(
        results.len(),
        3,
        "pin 1, pin 2, then the error: {results:?}"
    );
    assert!(matches!(results[2], Err(Error::Decode { .. })));
    assert_eq!(looping.hits_async().await, 1);
}

#[tokio::test]
async fn a_request_that_starts_at_a_bookmark_continues_from_there() {
    let server = MockServer::start_async().await;
    let [first, second, third] = three_pages_of_boards(&server).await;
    let client = client(&server);

    let boards: Vec<types::Board> = client
        .boards_list()
        .page_size(2u64)
        .bookmark("b2")
        .stream()
        .try_collect()
        .await
        .expect("pages 2 and 3");

    assert_eq!(boards.len(), 3);
    assert_eq!(first.hits_async().await, 0);
    assert_eq!(
        (second.hits_async().await, third.hits_async().await),
        (1, 1)
    );
}

/// Generic code over any paginated list: a compile-time check that builders of several areas
/// implement [`Paginated`] with their generated item types.
#[test]
fn builders_of_every_area_are_paginated_with_their_generated_item_types() {
    fn item_of<'a, B: Paginated<'a>>(_: &B) -> &'static str {
        std::any::type_name::<B::Item>()
    }
    let client = Client::builder().access_token("t").build().expect("client");
    assert!(item_of(&client.pins_list()).ends_with("types::Pin"));
    assert!(item_of(&client.boards_list()).ends_with("types::Board"));
    assert!(item_of(&client.ad_accounts_list()).ends_with("types::AdAccount"));
    assert!(item_of(&client.user_account_followed_interests()).ends_with("types::Interest"));
    assert!(item_of(&client.search_partner_pins()).ends_with("types::SummaryPin"));
    let _ = Items::new(client.catalogs_list());
}

/// The generation pass paginated every operation the description gives a `bookmark` query
/// parameter: its count in the fixes' report equals the operation table's.
#[test]
fn the_generation_pass_paginated_every_operation_with_a_bookmark() {
    let report = include_str!(concat!(env!("OUT_DIR"), "/fixes.txt"));
    let count: usize = report
        .lines()
        .find_map(|l| l.strip_prefix("bookmark_streams"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("the report has a bookmark_streams line");
    let described = pinterest_v5::operation::operations()
        .iter()
        .filter(|op| op.paginated)
        .count();
    assert_eq!(count, described);
    let pin: serde_json::Value = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/openapi/pin.json"
    )))
    .expect("openapi/pin.json is JSON");
    assert!(pin["version"].is_string(), "the pin names its version");
    if pin["version"] == "5.23.0" {
        assert_eq!(count, 56);
    }
}
