//! What goes over the wire where the description's defects had to be worked around, and what a
//! non-2xx reply becomes.

use httpmock::prelude::*;
use pinterest_v5::types::UserAccountAnalyticsMetricTypesItem as Metric;
use pinterest_v5::{Client, Environment, Error};
use std::collections::HashMap;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .environment(Environment::custom(server.url("/v5")).expect("a loopback URL"))
        .access_token("pina_wire_test")
        .retry_policy(pinterest_v5::client::retry::RetryPolicy::none())
        .build()
        .expect("a client")
}

fn date(s: &str) -> chrono::NaiveDate {
    s.parse().expect("a date")
}

#[tokio::test]
async fn explode_false_arrays_go_out_comma_joined() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v5/user_account/analytics")
                .query_param("metric_types", "IMPRESSION,SAVE")
                .query_param("start_date", "2025-01-01")
                .query_param("end_date", "2025-01-31");
            then.status(200).json_body(serde_json::json!({}));
        })
        .await;
    let reply = client(&server)
        .user_account_analytics()
        .start_date(date("2025-01-01"))
        .end_date(date("2025-01-31"))
        .metric_types(vec![Metric::Impression, Metric::Save])
        .send()
        .await;
    mock.assert_async().await;
    assert!(reply.is_ok(), "{:?}", reply.err());
}

#[tokio::test]
async fn deep_object_parameters_go_out_bracketed() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v5/catalogs/reports/stats")
                .query_param("parameters[catalog_type]", "RETAIL")
                .query_param("parameters[report_type]", "FEED_INGESTION_ISSUES");
            then.status(200)
                .json_body(serde_json::json!({"items": [], "bookmark": null}));
        })
        .await;
    let parameters: HashMap<String, String> = [
        ("parameters[catalog_type]", "RETAIL"),
        ("parameters[report_type]", "FEED_INGESTION_ISSUES"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let reply = client(&server)
        .reports_stats()
        .parameters(parameters)
        .send()
        .await;
    mock.assert_async().await;
    assert!(reply.is_ok(), "{:?}", reply.err());
}

/// Only what the caller set goes out: an unset optional query parameter is absent (not empty),
/// and no `api-version` header (progenitor's, which Pinterest does not read) is sent.
#[tokio::test]
async fn only_the_parameters_the_caller_set_go_out() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v5/pins")
                .query_param("page_size", "25")
                .matches(|request| {
                    let query = request.query_params.clone().unwrap_or_default();
                    let headers = request.headers.clone().unwrap_or_default();
                    query.len() == 1
                        && !headers
                            .iter()
                            .any(|(name, _)| name.eq_ignore_ascii_case("api-version"))
                });
            then.status(200)
                .json_body(serde_json::json!({"items": [], "bookmark": null}));
        })
        .await;
    let page_size = std::num::NonZeroU64::new(25).expect("not zero");
    let reply = client(&server)
        .pins_list()
        .page_size(page_size)
        .send()
        .await;
    mock.assert_async().await;
    assert!(reply.is_ok(), "{:?}", reply.err());
}

#[tokio::test]
async fn every_request_carries_the_bearer_token() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v5/user_account")
                .header("authorization", "Bearer pina_wire_test");
            then.status(200)
                .json_body(serde_json::json!({"username": "ada", "account_type": "BUSINESS"}));
        })
        .await;
    let account = client(&server)
        .user_account_get()
        .send()
        .await
        .expect("the account");
    mock.assert_async().await;
    assert_eq!(account.username.as_deref(), Some("ada"));
}

#[tokio::test]
async fn every_request_names_the_crate_or_the_callers_user_agent() {
    let server = MockServer::start_async().await;
    let builder = || {
        Client::builder()
            .environment(Environment::custom(server.url("/v5")).expect("a loopback URL"))
            .access_token("t")
    };
    let default = concat!("pinterest-v5-rust/", env!("CARGO_PKG_VERSION"));
    for (given, sent) in [(None, default), (Some("my-app/2.1"), "my-app/2.1")] {
        let mock = server
            .mock_async(|when, then| {
                when.method(GET)
                    .path("/v5/user_account")
                    .header("user-agent", sent);
                then.status(200).json_body(serde_json::json!({}));
            })
            .await;
        let client = match given {
            Some(agent) => builder().user_agent(agent),
            None => builder(),
        };
        let reply = client
            .build()
            .expect("a client")
            .user_account_get()
            .send()
            .await;
        assert!(reply.is_ok(), "{sent}: {reply:?}");
        mock.assert_async().await;
    }

    let err = builder()
        .user_agent("my-app\n2.1")
        .build()
        .expect_err("a line break cannot go in a header");
    assert!(
        matches!(err, Error::Config(ref m) if m.contains("ClientBuilder::user_agent")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_pinterest_error_reply_becomes_an_api_error_with_code_message_and_request_id() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v5/pins/42");
            then.status(404)
                .header("x-pinterest-rid", "rid-123")
                .json_body(serde_json::json!({"code": 50, "message": "Pin not found."}));
        })
        .await;
    let err: Error = client(&server)
        .pins_get()
        .pin_id("42")
        .send()
        .await
        .expect_err("a 404");
    match &err {
        Error::Api(api) => {
            assert_eq!(api.status.as_u16(), 404);
            assert_eq!(api.code, Some(50));
            assert_eq!(api.message.as_deref(), Some("Pin not found."));
            assert_eq!(api.request_id.as_deref(), Some("rid-123"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let shown = err.to_string();
    assert!(
        shown.contains("404") && shown.contains("Pin not found.") && shown.contains("rid-123"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_non_json_error_reply_keeps_status_and_a_body_excerpt() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v5/user_account");
            then.status(502)
                .body(format!("<html>Bad gateway{}</html>", "!".repeat(2000)));
        })
        .await;
    let err: Error = client(&server)
        .user_account_get()
        .send()
        .await
        .expect_err("a 502");
    match err {
        Error::Api(api) => {
            assert_eq!(api.status.as_u16(), 502);
            assert_eq!(api.code, None);
            assert!(api.body_excerpt.starts_with("<html>Bad gateway"));
            assert!(api.body_excerpt.len() < 600, "the excerpt is bounded");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_undecodable_success_reply_is_a_decode_error_with_an_excerpt() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v5/pins/42");
            then.status(200).body("{\"id\": 42, oops");
        })
        .await;
    let err: Error = client(&server)
        .pins_get()
        .pin_id("42")
        .send()
        .await
        .expect_err("garbage");
    match err {
        Error::Decode {
            status, excerpt, ..
        } => {
            assert_eq!(status.map(|s| s.as_u16()), Some(200));
            assert!(excerpt.contains("oops"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

/// A token that cannot be a header value (a pasted line break) is a configuration error on the
/// request, which never leaves the machine; it is not a panic, and the error hides the token.
#[tokio::test]
async fn a_token_that_cannot_be_sent_is_a_configuration_error() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let client = Client::builder()
        .environment(Environment::custom(server.url("/v5")).expect("a loopback URL"))
        .access_token("pina_secret\nwith a line break")
        .build()
        .expect("a client");
    let err: Error = client
        .user_account_get()
        .send()
        .await
        .expect_err("refused locally");
    match &err {
        Error::Config(message) => assert!(message.contains("not a valid header value")),
        other => panic!("expected Config, got {other:?}"),
    }
    assert!(!format!("{err} {err:?}").contains("pina_secret"));
    assert_eq!(mock.hits_async().await, 0);
}

/// A large page of boards (about 100 KiB of JSON: above the size from which a body that
/// arrives whole is copied out of hyper's buffer).
fn large_page_of_boards() -> Vec<u8> {
    let items: Vec<serde_json::Value> = (0..400)
        .map(|i| {
            serde_json::json!({
                "id": i.to_string(),
                "name": format!("Board {i}"),
                "description": "a description long enough to make the page large ".repeat(4),
                "privacy": "PUBLIC",
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({"items": items, "bookmark": "next"})).expect("JSON")
}

/// Reads one request's head (the test servers ignore what follows it); false when the client
/// closed the connection first.
async fn read_request_head(socket: &mut tokio::net::TcpStream) -> bool {
    use tokio::io::AsyncReadExt;
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(n) if n > 0 => request.extend_from_slice(&buf[..n]),
            _ => return false,
        }
    }
    true
}

/// Serves `replies` replies over one raw connection: each one's head and body in `pieces`
/// writes with a pause between them, so that the client reads the body in that many chunks,
/// or, once hyper's read buffer has grown past the body's size, whole. `chunked`: with
/// `transfer-encoding: chunked` (no length) instead of `content-length`.
async fn serve(body: Vec<u8>, pieces: usize, replies: usize, chunked: bool) -> u16 {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let port = listener.local_addr().expect("an address").port();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("a connection");
        socket.set_nodelay(true).expect("nodelay");
        for _ in 0..replies {
            assert!(
                read_request_head(&mut socket).await,
                "the client closed before its request ended"
            );
            let framing = match chunked {
                true => "transfer-encoding: chunked".to_string(),
                false => format!("content-length: {}", body.len()),
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-pinterest-rid: rid-42\r\nx-ratelimit-remaining: 99\r\n{framing}\r\n\r\n"
            );
            let mut out = head.into_bytes();
            let mut pieces = body.chunks(body.len().div_ceil(pieces)).peekable();
            while let Some(piece) = pieces.next() {
                // The head goes out with the first piece, in one write.
                if chunked {
                    out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                    out.extend_from_slice(piece);
                    out.extend_from_slice(b"\r\n");
                    if pieces.peek().is_none() {
                        out.extend_from_slice(b"0\r\n\r\n");
                    }
                } else {
                    out.extend_from_slice(piece);
                }
                socket.write_all(&out).await.expect("a piece of the body");
                out.clear();
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
    });
    port
}

/// A small page of boards (well under 64 KiB of JSON).
fn small_page_of_boards() -> Vec<u8> {
    let items: Vec<serde_json::Value> = (0..400)
        .map(|i| serde_json::json!({"id": i.to_string(), "name": format!("Board {i}")}))
        .collect();
    serde_json::to_vec(&serde_json::json!({"items": items, "bookmark": "next"})).expect("JSON")
}

#[tokio::test]
async fn a_reply_decodes_the_same_whole_or_in_pieces_with_or_without_a_length() {
    let large = large_page_of_boards();
    let small = small_page_of_boards();
    assert!(large.len() > 64 << 10, "{} bytes", large.len());
    assert!(small.len() < 32 << 10, "{} bytes", small.len());
    for (body, pieces, chunked) in [
        (&large, 1, false),
        (&large, 2, false),
        (&large, 7, false),
        (&large, 1, true),
        (&large, 3, true),
        (&small, 1, false),
        (&small, 1, true),
        (&small, 2, true),
    ] {
        // Six replies on one connection: the first ones grow hyper's read buffer, so that the
        // later ones can arrive whole in its first chunk.
        let port = serve(body.clone(), pieces, 6, chunked).await;
        let client = Client::builder()
            .environment(Environment::custom(format!("http://127.0.0.1:{port}/v5")).expect("URL"))
            .access_token("t")
            .retry_policy(pinterest_v5::client::retry::RetryPolicy::none())
            .build()
            .expect("a client");

        for n in 0..6 {
            let reply = client.boards_list().send().await.expect("the page");

            let case = format!(
                "{} bytes, {pieces} pieces, chunked {chunked}, reply {n}",
                body.len()
            );
            assert_eq!(reply.headers()["x-pinterest-rid"], "rid-42", "{case}");
            assert_eq!(reply.headers()["x-ratelimit-remaining"], "99", "{case}");
            if !chunked {
                assert_eq!(reply.headers()["content-length"], body.len().to_string());
            }
            let page = reply.into_inner();
            assert_eq!(page.items.len(), 400, "{case}");
            assert_eq!(page.items[399].name, "Board 399", "{case}");
            assert_eq!(page.bookmark.as_deref(), Some("next"), "{case}");
        }
    }
}

/// Serves `body` to every request on every connection (keep-alive), counting the connections.
async fn serve_counting_connections(
    body: Vec<u8>,
) -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let port = listener.local_addr().expect("an address").port();
    let connections = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let body = body.clone();
            tokio::spawn(async move {
                while read_request_head(&mut socket).await {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    );
                    let mut out = head.into_bytes();
                    out.extend_from_slice(&body);
                    if socket.write_all(&out).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, connections)
}

#[tokio::test]
async fn an_idle_connection_is_reused_until_the_pool_idle_timeout_then_replaced() {
    use std::sync::atomic::Ordering;
    use std::time::Duration;
    let (port, connections) = serve_counting_connections(small_page_of_boards()).await;
    let base = format!("http://127.0.0.1:{port}/v5");
    // Set explicitly, and by default: half the request timeout when that is under 60 s.
    for builder in [
        Client::builder().pool_idle_timeout(Duration::from_millis(300)),
        Client::builder().timeout(Duration::from_millis(600)),
    ] {
        connections.store(0, Ordering::SeqCst);
        let client = builder
            .environment(Environment::custom(&base).expect("URL"))
            .access_token("t")
            .build()
            .expect("a client");
        client.boards_list().send().await.expect("the first page");
        client.boards_list().send().await.expect("the second page");
        assert_eq!(connections.load(Ordering::SeqCst), 1, "reused while fresh");

        tokio::time::sleep(Duration::from_millis(900)).await;
        client.boards_list().send().await.expect("the third page");
        assert_eq!(
            connections.load(Ordering::SeqCst),
            2,
            "replaced once idle too long"
        );
    }
}
