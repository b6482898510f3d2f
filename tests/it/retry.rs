//! Retries: connection errors, timeouts and 5xx answers are retried for idempotent methods,
//! with exponential backoff, within the attempts and the time budget of the policy; a POST is
//! never replayed unless the caller opts in. A request the server refused unprocessed (HTTP/2
//! `REFUSED_STREAM`) is sent again at once, whatever its method, up to twice.
//!
//! Waits go through a [`TestClock`] the test controls: they are recorded, and either end at
//! once or last until the test releases them (so the server can change its answer meanwhile).

use httpmock::prelude::*;
use pinterest_v5::client::retry::{RetryPolicy, SleepFuture, Sleeper};
use pinterest_v5::{Client, Environment, Error};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// A [`Sleeper`] the test controls: every wait is recorded; in `instant` mode it ends at
/// once, in `held` mode it lasts until [`TestClock::release`].
#[derive(Debug, Clone)]
pub(crate) struct TestClock {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    held: bool,
    waits: Mutex<Vec<Duration>>,
    sleeping: Notify,
    resume: Notify,
}

impl TestClock {
    /// Waits are recorded and end at once.
    pub(crate) fn instant() -> Self {
        Self::new(false)
    }

    /// Waits are recorded and last until [`TestClock::release`].
    pub(crate) fn held() -> Self {
        Self::new(true)
    }

    fn new(held: bool) -> Self {
        TestClock {
            shared: Arc::new(Shared {
                held,
                waits: Mutex::new(Vec::new()),
                sleeping: Notify::new(),
                resume: Notify::new(),
            }),
        }
    }

    /// The waits asked for so far.
    pub(crate) fn waits(&self) -> Vec<Duration> {
        self.shared
            .waits
            .lock()
            .map(|w| w.clone())
            .unwrap_or_default()
    }

    /// Returns once the client has started a wait.
    pub(crate) async fn wait_started(&self) {
        self.shared.sleeping.notified().await;
    }

    /// Ends the wait in progress (or the next one).
    pub(crate) fn release(&self) {
        self.shared.resume.notify_one();
    }

    pub(crate) fn sleeper(&self) -> Arc<dyn Sleeper> {
        Arc::new(self.clone())
    }
}

impl Sleeper for TestClock {
    fn sleep(&self, wait: Duration) -> SleepFuture {
        if let Ok(mut waits) = self.shared.waits.lock() {
            waits.push(wait);
        }
        let shared = self.shared.clone();
        Box::pin(async move {
            if shared.held {
                shared.sleeping.notify_one();
                shared.resume.notified().await;
            }
        })
    }
}

/// A client of the mock server with this retry policy and clock.
pub(crate) fn client(server: &MockServer, policy: RetryPolicy, clock: &TestClock) -> Client {
    Client::builder()
        .environment(Environment::custom(server.base_url()).expect("loopback URL"))
        .access_token("t")
        .retry_policy(policy)
        .sleeper(clock.sleeper())
        .build()
        .expect("client")
}

/// An HTTP/2 server without TLS on loopback (clients connect with prior knowledge) that
/// resets its first `refuse` streams with `REFUSED_STREAM`, as a server that will not take
/// more work does, and answers every later one 200 with `reply` as JSON.
pub(crate) struct RefusingServer {
    pub(crate) base: String,
    streams: Arc<std::sync::atomic::AtomicUsize>,
}

impl RefusingServer {
    pub(crate) async fn start(refuse: usize, reply: serde_json::Value) -> RefusingServer {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("its address");
        let streams = Arc::new(AtomicUsize::new(0));
        let counted = streams.clone();
        let body = bytes::Bytes::from(reply.to_string());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (counted, body) = (counted.clone(), body.clone());
                tokio::spawn(async move {
                    let Ok(mut connection) = h2::server::handshake(socket).await else {
                        return;
                    };
                    while let Some(Ok((_request, mut respond))) = connection.accept().await {
                        if counted.fetch_add(1, Ordering::SeqCst) < refuse {
                            respond.send_reset(h2::Reason::REFUSED_STREAM);
                            continue;
                        }
                        let head = http::Response::builder()
                            .status(200)
                            .header("content-type", "application/json")
                            .header("content-length", body.len())
                            .body(())
                            .expect("a response head");
                        if let Ok(mut stream) = respond.send_response(head, false) {
                            let _ = stream.send_data(body.clone(), true);
                        }
                    }
                });
            }
        });
        RefusingServer {
            base: format!("http://{addr}/v5"),
            streams,
        }
    }

    /// Requests received, refused or answered.
    pub(crate) fn streams(&self) -> usize {
        self.streams.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A `reqwest` client that speaks HTTP/2 to it, from the crate's own builder (as the
    /// client's default HTTP client): without `reqwest`'s retry layer, so what is sent again,
    /// the client sent.
    pub(crate) fn http_client() -> reqwest::Client {
        pinterest_v5::client::http_client_builder()
            .http2_prior_knowledge()
            .build()
            .expect("an HTTP/2 client")
    }
}

fn board() -> serde_json::Value {
    serde_json::json!({"id": "1", "name": "Recipes", "is_ads_only": false, "privacy": "PUBLIC"})
}

fn page_of_boards() -> serde_json::Value {
    serde_json::json!({"items": [board()], "bookmark": null})
}

fn exact() -> RetryPolicy {
    RetryPolicy::default()
        .jitter(0.0)
        .initial_backoff(Duration::from_millis(10))
}

#[tokio::test]
async fn a_503_on_get_is_retried_then_succeeds() {
    let server = MockServer::start_async().await;
    let unavailable = server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(503)
                .json_body(serde_json::json!({"code": 1, "message": "busy"}));
        })
        .await;
    let clock = TestClock::held();
    let client = client(&server, exact(), &clock);

    let request = async { client.boards_list().send().await };
    let server_recovers = async {
        clock.wait_started().await;
        assert_eq!(unavailable.hits_async().await, 1);
        unavailable.delete_async().await;
        let ok = server
            .mock_async(|when, then| {
                when.method(GET).path("/boards");
                then.status(200).json_body(page_of_boards());
            })
            .await;
        clock.release();
        ok
    };
    let (reply, ok) = tokio::join!(request, server_recovers);

    let page = reply.expect("the retry succeeds").into_inner();
    assert_eq!(page.items[0].name, "Recipes");
    assert_eq!(ok.hits_async().await, 1);
    assert_eq!(clock.waits(), [Duration::from_millis(10)]);
}

#[tokio::test]
async fn a_503_on_post_is_not_retried() {
    let server = MockServer::start_async().await;
    let unavailable = server
        .mock_async(|when, then| {
            when.method(POST).path("/boards");
            then.status(503)
                .json_body(serde_json::json!({"code": 1, "message": "busy"}));
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, exact(), &clock);

    let result: Result<_, Error> = client
        .boards_create()
        .body_map(|b| b.name("Recipes"))
        .send()
        .await;

    let err = result.expect_err("the 503 reaches the caller");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(unavailable.hits_async().await, 1);
    assert!(clock.waits().is_empty());
}

#[tokio::test]
async fn a_post_is_replayed_when_the_caller_opts_in() {
    let server = MockServer::start_async().await;
    let unavailable = server
        .mock_async(|when, then| {
            when.method(POST).path("/boards");
            then.status(503);
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, exact().retry_non_idempotent(true), &clock);

    let result = client
        .boards_create()
        .body_map(|b| b.name("Recipes"))
        .send()
        .await;

    assert!(result.is_err());
    assert_eq!(unavailable.hits_async().await, 3);
    assert_eq!(clock.waits().len(), 2);
}

#[tokio::test]
async fn retries_stop_after_the_policy_attempts_with_exponential_backoff() {
    let server = MockServer::start_async().await;
    let unavailable = server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(502);
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, exact().max_attempts(4), &clock);

    let err = client.boards_list().send().await.expect_err("always 502");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(unavailable.hits_async().await, 4);
    let ms: Vec<u128> = clock.waits().iter().map(Duration::as_millis).collect();
    assert_eq!(ms, [10, 20, 40]);
}

#[tokio::test]
async fn the_retry_budget_stops_retries_before_the_attempts_run_out() {
    let server = MockServer::start_async().await;
    let unavailable = server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(503);
        })
        .await;
    // Real waits of 40 ms then 80 ms fit a 200 ms budget; the next (160 ms) would not.
    let policy = RetryPolicy::default()
        .jitter(0.0)
        .max_attempts(10)
        .initial_backoff(Duration::from_millis(40))
        .budget(Duration::from_millis(200));
    let client = Client::builder()
        .environment(Environment::custom(server.base_url()).expect("loopback URL"))
        .access_token("t")
        .retry_policy(policy)
        .build()
        .expect("client");

    let result = client.boards_list().send().await;

    assert!(result.is_err());
    assert_eq!(unavailable.hits_async().await, 3);
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let server = MockServer::start_async().await;
    let bad = server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(400)
                .json_body(serde_json::json!({"code": 1, "message": "bad page_size"}));
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, exact(), &clock);

    let err = client.boards_list().send().await.expect_err("400");

    match err {
        Error::Api(api) => assert_eq!(api.message.as_deref(), Some("bad page_size")),
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_eq!(bad.hits_async().await, 1);
    assert!(clock.waits().is_empty());
}

#[tokio::test]
async fn a_connection_error_on_get_is_retried() {
    // A port nothing listens on: every attempt is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let clock = TestClock::instant();
    let client = Client::builder()
        .environment(Environment::custom(format!("http://127.0.0.1:{port}/v5")).expect("URL"))
        .access_token("t")
        .retry_policy(exact().max_attempts(3))
        .sleeper(clock.sleeper())
        .build()
        .expect("client");

    let err = client.boards_list().send().await.expect_err("refused");

    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(
        clock.waits().len(),
        2,
        "two retries after the first refusal"
    );
}

#[tokio::test]
async fn a_timeout_on_get_is_retried() {
    let server = MockServer::start_async().await;
    let slow = server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(200)
                .json_body(page_of_boards())
                .delay(Duration::from_millis(300));
        })
        .await;
    let clock = TestClock::instant();
    let client = Client::builder()
        .environment(Environment::custom(server.base_url()).expect("loopback URL"))
        .access_token("t")
        .timeout(Duration::from_millis(50))
        .retry_policy(exact().max_attempts(2))
        .sleeper(clock.sleeper())
        .build()
        .expect("client");

    let err = client.boards_list().send().await.expect_err("too slow");

    assert!(
        matches!(err, Error::Transport(ref e) if e.is_timeout()),
        "{err:?}"
    );
    assert_eq!(clock.waits().len(), 1);
    assert_eq!(slow.hits_async().await, 2);
}

#[tokio::test]
async fn a_retry_sends_the_same_query_and_headers_again() {
    let server = MockServer::start_async().await;
    // Matches only the request as first sent: a retry missing a part of it would get a 404.
    let unavailable = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/boards")
                .query_param("page_size", "5")
                .query_param("bookmark", "a b+c/==")
                .header("accept", "application/json")
                .header("authorization", "Bearer t");
            then.status(503);
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, exact(), &clock);

    let err = client
        .boards_list()
        .page_size(5)
        // Characters the URL escapes: the retry still recognises it as its own.
        .bookmark("a b+c/==")
        .send()
        .await
        .expect_err("503 every time");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        unavailable.hits_async().await,
        3,
        "the first attempt and two retries"
    );
    assert_eq!(clock.waits().len(), 2);
}

#[tokio::test]
async fn a_503_after_a_redirect_is_not_retried() {
    // The retry is rebuilt from the URL the reply came from; after a redirect that is not the
    // request's own, so the reply is handed on as it is.
    let server = MockServer::start_async().await;
    let moved = server
        .mock_async(|when, then| {
            when.method(GET).path("/boards");
            then.status(307).header("location", "/elsewhere");
        })
        .await;
    let unavailable = server
        .mock_async(|when, then| {
            when.method(GET).path("/elsewhere");
            then.status(503);
        })
        .await;
    let clock = TestClock::instant();
    let client = client(&server, exact(), &clock);

    let err = client.boards_list().send().await.expect_err("503");

    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(moved.hits_async().await, 1);
    assert_eq!(unavailable.hits_async().await, 1);
    assert!(clock.waits().is_empty());
}

#[tokio::test]
async fn a_post_the_server_refused_unprocessed_is_sent_again_at_once() {
    let server = RefusingServer::start(2, board()).await;
    let clock = TestClock::instant();
    let client = Client::builder()
        .environment(Environment::custom(&server.base).expect("loopback URL"))
        .access_token("t")
        .reqwest_client(RefusingServer::http_client())
        // Not replayed by the policy: the resends below are the refusal's own.
        .retry_policy(exact())
        .sleeper(clock.sleeper())
        .build()
        .expect("client");

    let created = client
        .boards_create()
        .body_map(|b| b.name("Recipes"))
        .send()
        .await
        .expect("answered after two refusals");

    assert_eq!(created.into_inner().name, "Recipes");
    assert_eq!(server.streams(), 3, "sent three times");
    assert!(
        clock.waits().is_empty(),
        "without a wait: {:?}",
        clock.waits()
    );
}

#[tokio::test]
async fn a_request_refused_three_times_reports_the_refusal() {
    let server = RefusingServer::start(usize::MAX, board()).await;
    let clock = TestClock::instant();
    let client = Client::builder()
        .environment(Environment::custom(&server.base).expect("loopback URL"))
        .access_token("t")
        .reqwest_client(RefusingServer::http_client())
        .retry_policy(RetryPolicy::none())
        .sleeper(clock.sleeper())
        .build()
        .expect("client");

    let err = client
        .boards_get()
        .board_id("1")
        .send()
        .await
        .expect_err("refused every time");

    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    // Also: no second layer resends underneath (`reqwest`'s, which the crate's builder turns
    // off, would make it up to nine).
    assert_eq!(server.streams(), 3, "the first sending and two more");
    assert!(clock.waits().is_empty());
}
