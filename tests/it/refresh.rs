//! Token-refresh middleware, through the full client (generated operations on a loopback
//! mock): the bearer on every request, refresh before expiry, refresh once after a 401 and
//! retry once, single flight for any number of concurrent requests, failures shared by all
//! waiters without wedging later requests, each new token saved before it is used, and
//! processes sharing a token file refreshing it once (the refresh lock, the store read again).

use httpmock::prelude::*;
use pinterest_v5::auth::{AccessToken, TokenManager};
use pinterest_v5::auth::{FileStore, MemoryStore, StoreFuture, TokenStore};
use pinterest_v5::auth::{OAuthApp, OAuthError, Token};
use pinterest_v5::{Client, Environment, Error};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Notify;

const BASIC: &str = "Basic MTIzNDU2NzphcHAtc2VjcmV0LVhZWg==";
const ACCOUNT: &str = r#"{"username":"pinner","account_type":"BUSINESS","id":"42"}"#;

fn app() -> OAuthApp {
    OAuthApp::new("1234567", "app-secret-XYZ", "https://example.com/cb")
}

/// A token whose access token expires in `secs` seconds (negative: already expired).
fn token_expiring_in(access: &str, secs: i64) -> Token {
    Token::new(access)
        .with_refresh_token("pinr_OLD")
        .with_expires_at(chrono::Utc::now() + chrono::Duration::seconds(secs))
}

fn client(server: &MockServer, manager: TokenManager) -> Client {
    Client::builder()
        .environment(Environment::custom(server.base_url()).expect("loopback URL"))
        .token_manager(manager)
        .build()
        .expect("client")
}

/// `GET /user_account` answering 200 to `Bearer {token}`.
async fn account_for<'a>(server: &'a MockServer, token: &str) -> httpmock::Mock<'a> {
    let bearer = format!("Bearer {token}");
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/user_account")
                .header("authorization", bearer);
            then.status(200)
                .header("content-type", "application/json")
                .body(ACCOUNT);
        })
        .await
}

/// `GET /user_account` answering 401 to `Bearer {token}`.
async fn unauthorized_for<'a>(server: &'a MockServer, token: &str) -> httpmock::Mock<'a> {
    let bearer = format!("Bearer {token}");
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/user_account")
                .header("authorization", bearer);
            then.status(401)
                .header("content-type", "application/json")
                .body(r#"{"code":2,"message":"Authentication failed."}"#);
        })
        .await
}

/// The refresh grant for `pinr_OLD`, answering `reply` after `delay`.
async fn refresh_grant<'a>(
    server: &'a MockServer,
    status: u16,
    reply: &str,
    delay: Duration,
) -> httpmock::Mock<'a> {
    let reply = reply.to_string();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("authorization", BASIC)
                .x_www_form_urlencoded_tuple("grant_type", "refresh_token")
                .x_www_form_urlencoded_tuple("refresh_token", "pinr_OLD");
            then.status(status)
                .header("content-type", "application/json")
                .delay(delay)
                .body(reply);
        })
        .await
}

const NEW_TOKEN: &str = r#"{"access_token":"pina_NEW","refresh_token":"pinr_NEW","expires_in":2592000,"refresh_token_expires_in":5184000,"scope":"user_accounts:read","token_type":"bearer"}"#;

async fn user_account(client: &Client) -> Result<String, Error> {
    let account = client.user_account_get().send().await?.into_inner();
    Ok(account.username.unwrap_or_default())
}

// ----- bearer -------------------------------------------------------------------------------------

#[tokio::test]
async fn every_request_carries_the_bearer_and_a_fresh_token_is_not_refreshed() {
    let server = MockServer::start_async().await;
    let ok = account_for(&server, "pina_CURRENT").await;
    let grant = refresh_grant(&server, 200, NEW_TOKEN, Duration::ZERO).await;
    let client = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_CURRENT", 3600)),
    );
    for _ in 0..3 {
        assert_eq!(user_account(&client).await.expect("call"), "pinner");
    }
    ok.assert_hits_async(3).await;
    grant.assert_hits_async(0).await;
}

#[tokio::test]
async fn a_bare_access_token_is_sent_as_is_and_a_401_is_returned_without_refreshing() {
    let server = MockServer::start_async().await;
    let ok = account_for(&server, "pina_TEST_24H").await;
    let grant = server
        .mock_async(|when, then| {
            when.path("/oauth/token");
            then.status(200).body(NEW_TOKEN);
        })
        .await;
    let client = Client::builder()
        .environment(Environment::custom(server.base_url()).expect("loopback"))
        .access_token("pina_TEST_24H")
        .build()
        .expect("client");
    assert_eq!(user_account(&client).await.expect("call"), "pinner");
    ok.assert_hits_async(1).await;

    let expired = unauthorized_for(&server, "pina_EXPIRED_24H").await;
    let client = Client::builder()
        .environment(Environment::custom(server.base_url()).expect("loopback"))
        .access_token("pina_EXPIRED_24H")
        .build()
        .expect("client");
    let err = user_account(&client).await.expect_err("401");
    assert_eq!(err.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    expired.assert_hits_async(1).await;
    grant.assert_hits_async(0).await;
}

#[tokio::test]
async fn the_token_endpoint_operation_gets_the_apps_basic_credentials_never_the_bearer() {
    use pinterest_v5::types;
    let server = MockServer::start_async().await;
    let with_bearer = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("authorization", "Bearer pina_CURRENT");
            then.status(500);
        })
        .await;
    let without = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("authorization", BASIC);
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"access_token":"pina_APP","token_type":"bearer","expires_in":60,"scope":"ads:read","response_type":"client_credentials"}"#);
        })
        .await;
    let client = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_CURRENT", 3600)),
    );
    let body = types::OauthAccessTokenRequestClientCredentials {
        scope: "ads:read".into(),
    };
    client
        .oauth_token()
        .body(body)
        .send()
        .await
        .expect("the generated token operation succeeds");
    with_bearer.assert_hits_async(0).await;
    without.assert_hits_async(1).await;
}

// ----- before expiry --------------------------------------------------------------------------------

#[tokio::test]
async fn a_token_within_the_margin_of_expiry_is_refreshed_before_use() {
    let server = MockServer::start_async().await;
    let old = account_for(&server, "pina_OLD").await;
    let new = account_for(&server, "pina_NEW").await;
    let grant = refresh_grant(&server, 200, NEW_TOKEN, Duration::ZERO).await;
    // Expires in 60 s; the default margin is 5 minutes.
    let manager = TokenManager::new(app(), token_expiring_in("pina_OLD", 60));
    let client = client(&server, manager);
    assert_eq!(user_account(&client).await.expect("call"), "pinner");
    assert_eq!(user_account(&client).await.expect("call"), "pinner");
    grant.assert_hits_async(1).await;
    old.assert_hits_async(0).await;
    new.assert_hits_async(2).await;
    let current = client.token_manager().expect("manager").token();
    assert_eq!(current.access_token().secret(), "pina_NEW");
    assert_eq!(
        current.refresh_token().map(|r| r.secret()),
        Some("pinr_NEW")
    );
}

#[tokio::test]
async fn the_refresh_margin_is_configurable() {
    let server = MockServer::start_async().await;
    let old = account_for(&server, "pina_OLD").await;
    let new = account_for(&server, "pina_NEW").await;
    let grant = refresh_grant(&server, 200, NEW_TOKEN, Duration::ZERO).await;

    // One hour left, 5-minute margin: used as is.
    let relaxed = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_OLD", 3600)),
    );
    user_account(&relaxed).await.expect("call");
    grant.assert_hits_async(0).await;
    old.assert_hits_async(1).await;

    // One hour left, 2-hour margin: refreshed first.
    let eager = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_OLD", 3600))
            .refresh_margin(Duration::from_secs(2 * 3600)),
    );
    user_account(&eager).await.expect("call");
    grant.assert_hits_async(1).await;
    new.assert_hits_async(1).await;
    old.assert_hits_async(1).await;
}

// ----- after a 401 ------------------------------------------------------------------------------------

#[tokio::test]
async fn a_401_refreshes_once_and_retries_the_request_once() {
    let server = MockServer::start_async().await;
    let rejected = unauthorized_for(&server, "pina_OLD").await;
    let new = account_for(&server, "pina_NEW").await;
    let grant = refresh_grant(&server, 200, NEW_TOKEN, Duration::ZERO).await;
    // Not near expiry: only the 401 tells the client the token is revoked.
    let client = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_OLD", 86_400)),
    );
    assert_eq!(user_account(&client).await.expect("retried call"), "pinner");
    rejected.assert_hits_async(1).await;
    grant.assert_hits_async(1).await;
    new.assert_hits_async(1).await;
}

#[tokio::test]
async fn after_a_401_a_post_is_sent_again_with_the_same_body_and_the_new_token() {
    let server = MockServer::start_async().await;
    let board = |bearer: &'static str, status: u16| {
        let server = &server;
        async move {
            server
                .mock_async(|when, then| {
                    when.method(POST)
                        .path("/boards")
                        .header("authorization", bearer)
                        .header("content-type", "application/json")
                        .json_body_partial(r#"{"name": "Recipes"}"#);
                    then.status(status)
                        .header("content-type", "application/json")
                        .body(r#"{"id":"1","name":"Recipes","privacy":"PUBLIC"}"#);
                })
                .await
        }
    };
    let rejected = board("Bearer pina_OLD", 401).await;
    let created = board("Bearer pina_NEW", 201).await;
    let grant = refresh_grant(&server, 200, NEW_TOKEN, Duration::ZERO).await;
    let client = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_OLD", 86_400)),
    );

    let board = client
        .boards_create()
        .body_map(|b| b.name("Recipes"))
        .send()
        .await
        .expect("sent again after the refresh")
        .into_inner();

    assert_eq!(board.name, "Recipes");
    rejected.assert_hits_async(1).await;
    grant.assert_hits_async(1).await;
    created.assert_hits_async(1).await;
}

#[tokio::test]
async fn a_second_401_is_returned_to_the_caller_not_retried_again() {
    let server = MockServer::start_async().await;
    let old = unauthorized_for(&server, "pina_OLD").await;
    let new = unauthorized_for(&server, "pina_NEW").await;
    let grant = refresh_grant(&server, 200, NEW_TOKEN, Duration::ZERO).await;
    let client = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_OLD", 86_400)),
    );
    let err = user_account(&client).await.expect_err("still unauthorized");
    match &err {
        Error::Api(api) => {
            assert_eq!(api.status, reqwest::StatusCode::UNAUTHORIZED);
            assert_eq!(api.code, Some(2));
        }
        other => panic!("expected the 401 as an API error, got {other:?}"),
    }
    old.assert_hits_async(1).await;
    grant.assert_hits_async(1).await;
    new.assert_hits_async(1).await;
}

#[tokio::test]
async fn after_a_401_a_token_already_replaced_by_another_request_is_not_refreshed_again() {
    let server = MockServer::start_async().await;
    let grant = refresh_grant(&server, 200, NEW_TOKEN, Duration::ZERO).await;
    // Through a client: the manager learns the mock's address from the client it serves.
    let client = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_OLD", 86_400)),
    );
    let manager = client.token_manager().expect("manager");

    // A request sent with an older token comes back 401: the current token is another one,
    // so the caller just retries with it.
    manager
        .refresh_after_unauthorized(&AccessToken::new("pina_OLDER"))
        .await
        .expect("nothing to do");
    grant.assert_hits_async(0).await;

    // The current token rejected: refreshed once; a second report of the same (now replaced)
    // token does nothing.
    let rejected = manager.access_token().await.expect("token");
    manager
        .refresh_after_unauthorized(&rejected)
        .await
        .expect("refresh");
    manager
        .refresh_after_unauthorized(&rejected)
        .await
        .expect("already replaced");
    grant.assert_hits_async(1).await;
    assert_eq!(
        manager.access_token().await.expect("token").secret(),
        "pina_NEW"
    );
}

// ----- single flight ------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_tasks_on_an_expired_token_make_exactly_one_token_request() {
    let server = MockServer::start_async().await;
    let old = unauthorized_for(&server, "pina_OLD").await;
    let new = account_for(&server, "pina_NEW").await;
    // The refresh takes a while, so the tasks pile up behind it.
    let grant = refresh_grant(&server, 200, NEW_TOKEN, Duration::from_millis(300)).await;
    let client = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_OLD", -10)),
    );

    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { user_account(&client).await })
        })
        .collect();
    let mut succeeded = 0;
    for task in tasks {
        let username = task.await.expect("task").expect("call");
        assert_eq!(username, "pinner");
        succeeded += 1;
    }
    assert_eq!(succeeded, 200);
    grant.assert_hits_async(1).await;
    new.assert_hits_async(200).await;
    old.assert_hits_async(0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_refresh_fails_every_waiter_with_the_same_error_and_the_next_request_recovers() {
    let server = MockServer::start_async().await;
    let new = account_for(&server, "pina_NEW").await;
    let failing = refresh_grant(
        &server,
        503,
        r#"{"code":8,"message":"Service temporarily unavailable"}"#,
        Duration::from_millis(300),
    )
    .await;
    let client = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_OLD", -10)),
    );

    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { user_account(&client).await })
        })
        .collect();
    for task in tasks {
        let err = task.await.expect("task").expect_err("the refresh failed");
        match err {
            Error::OAuth(OAuthError::Rejected {
                status: 503,
                code: Some(8),
                ref message,
            }) => {
                assert_eq!(message, "Service temporarily unavailable")
            }
            other => panic!("expected the refresh's error, got {other:?}"),
        }
    }
    failing.assert_hits_async(1).await;
    new.assert_hits_async(0).await;

    // The token endpoint is back: the next request refreshes and succeeds.
    failing.delete_async().await;
    let grant = refresh_grant(&server, 200, NEW_TOKEN, Duration::ZERO).await;
    assert_eq!(user_account(&client).await.expect("recovered"), "pinner");
    grant.assert_hits_async(1).await;
    new.assert_hits_async(1).await;
}

#[tokio::test]
async fn a_revoked_refresh_token_says_the_user_must_authorize_again() {
    let server = MockServer::start_async().await;
    refresh_grant(
        &server,
        400,
        r#"{"code":283,"message":"The authorization grant is invalid"}"#,
        Duration::ZERO,
    )
    .await;
    let client = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_OLD", -10)),
    );
    let err = user_account(&client).await.expect_err("revoked");
    assert!(err.needs_reauthorization(), "{err:?}");
}

// ----- saved before use ---------------------------------------------------------------------------------------

/// A store whose saves wait until the test lets them finish, and can be made to fail.
#[derive(Clone, Default)]
struct ControlledStore {
    saved: MemoryStore,
    hold: Arc<AtomicBool>,
    fail: Arc<AtomicBool>,
    saving: Arc<Notify>,
    release: Arc<Notify>,
    attempts: Arc<AtomicUsize>,
}

impl TokenStore for ControlledStore {
    fn load(&self) -> StoreFuture<'_, Option<Token>> {
        self.saved.load()
    }

    fn save<'a>(&'a self, token: &'a Token) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            self.attempts.fetch_add(1, Ordering::SeqCst);
            if self.hold.load(Ordering::SeqCst) {
                self.saving.notify_one();
                self.release.notified().await;
            }
            if self.fail.load(Ordering::SeqCst) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "no space left on device",
                ));
            }
            self.saved.save(token).await
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_token_is_saved_before_any_request_uses_it() {
    let server = MockServer::start_async().await;
    let new = account_for(&server, "pina_NEW").await;
    let grant = refresh_grant(&server, 200, NEW_TOKEN, Duration::ZERO).await;
    let store = ControlledStore::default();
    store.hold.store(true, Ordering::SeqCst);
    let client = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_OLD", -10)).store(store.clone()),
    );

    let call = tokio::spawn({
        let client = client.clone();
        async move { user_account(&client).await }
    });
    // The refresh got its answer and is saving: no request has used the new token yet.
    tokio::time::timeout(Duration::from_secs(2), store.saving.notified())
        .await
        .expect("the save starts");
    grant.assert_hits_async(1).await;
    new.assert_hits_async(0).await;
    assert!(store.saved.get().is_none());

    store.release.notify_one();
    assert_eq!(call.await.expect("task").expect("call"), "pinner");
    new.assert_hits_async(1).await;
    let saved = store.saved.get().expect("saved");
    assert_eq!(saved.access_token().secret(), "pina_NEW");
    assert_eq!(saved.refresh_token().map(|r| r.secret()), Some("pinr_NEW"));
}

#[tokio::test]
async fn a_failed_save_is_reported_and_the_new_token_is_kept_until_it_is_saved() {
    let server = MockServer::start_async().await;
    let old = account_for(&server, "pina_OLD").await;
    let new = account_for(&server, "pina_NEW").await;
    let grant = refresh_grant(&server, 200, NEW_TOKEN, Duration::ZERO).await;
    let store = ControlledStore::default();
    store
        .saved
        .save(&token_expiring_in("pina_OLD", -10))
        .await
        .expect("seed");
    store.fail.store(true, Ordering::SeqCst);
    let manager = TokenManager::load(app(), store.clone())
        .await
        .expect("load");
    let client = client(&server, manager);

    let err = user_account(&client).await.expect_err("the save failed");
    assert!(matches!(err, Error::TokenStore(_)), "{err:?}");
    assert!(err.to_string().contains("token store failed"), "{err}");
    assert!(!err.to_string().contains("pina_NEW") && !err.to_string().contains("pinr_NEW"));
    // Nothing used the unsaved token, and it is not lost.
    new.assert_hits_async(0).await;
    old.assert_hits_async(0).await;
    let manager = client.token_manager().expect("manager");
    let unsaved = manager.unsaved_token().expect("kept in memory");
    assert_eq!(
        unsaved.refresh_token().map(|r| r.secret()),
        Some("pinr_NEW")
    );
    assert_eq!(
        store
            .saved
            .get()
            .expect("old token")
            .access_token()
            .secret(),
        "pina_OLD"
    );

    // The store works again: the kept token is saved and used, without a second grant.
    store.fail.store(false, Ordering::SeqCst);
    assert_eq!(user_account(&client).await.expect("call"), "pinner");
    grant.assert_hits_async(1).await;
    new.assert_hits_async(1).await;
    assert_eq!(store.attempts.load(Ordering::SeqCst), 2);
    assert!(manager.unsaved_token().is_none());
    assert_eq!(
        store
            .saved
            .get()
            .expect("new token")
            .refresh_token()
            .map(|r| r.secret()),
        Some("pinr_NEW")
    );
}

#[tokio::test]
async fn loading_from_an_empty_store_says_to_authorize_first() {
    let err = TokenManager::load(app(), MemoryStore::new())
        .await
        .expect_err("empty store");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains("authorize the app"), "{err}");
}

// ----- a refresh that cannot finish ------------------------------------------------------------------

/// A store whose first save panics (a bug in an application's store); later saves work.
#[derive(Clone, Default)]
struct PanickingStore {
    saved: MemoryStore,
    panicked: Arc<AtomicBool>,
}

impl TokenStore for PanickingStore {
    fn load(&self) -> StoreFuture<'_, Option<Token>> {
        self.saved.load()
    }

    fn save<'a>(&'a self, token: &'a Token) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            if !self.panicked.swap(true, Ordering::SeqCst) {
                panic!("the store's database handle is gone");
            }
            self.saved.save(token).await
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_that_panics_fails_the_waiting_requests_and_the_next_request_saves_and_goes_on() {
    let server = MockServer::start_async().await;
    let new = account_for(&server, "pina_NEW").await;
    let grant = refresh_grant(&server, 200, NEW_TOKEN, Duration::from_millis(200)).await;
    let store = PanickingStore::default();
    let client = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_OLD", -10)).store(store.clone()),
    );

    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { user_account(&client).await })
        })
        .collect();
    for task in tasks {
        let err = task
            .await
            .expect("the request fails, it does not panic")
            .expect_err("the save panicked");
        assert!(matches!(err, Error::TokenStore(_)), "{err:?}");
        assert!(err.to_string().contains("panicked"), "{err}");
    }
    grant.assert_hits_async(1).await;
    new.assert_hits_async(0).await;
    let manager = client.token_manager().expect("manager");
    assert!(manager.unsaved_token().is_some(), "the new token is kept");

    // The next request is not stuck behind the refresh that panicked: it saves the kept token
    // (without asking Pinterest again) and uses it.
    assert_eq!(user_account(&client).await.expect("call"), "pinner");
    grant.assert_hits_async(1).await;
    new.assert_hits_async(1).await;
    assert!(manager.unsaved_token().is_none());
    let saved = store.saved.get().expect("saved");
    assert_eq!(saved.refresh_token().map(|r| r.secret()), Some("pinr_NEW"));
}

#[test]
fn a_refresh_whose_runtime_shuts_down_fails_its_waiters_and_another_runtime_refreshes_fine() {
    let server = MockServer::start();
    let new = server.mock(|when, then| {
        when.method(GET)
            .path("/user_account")
            .header("authorization", "Bearer pina_NEW");
        then.status(200)
            .header("content-type", "application/json")
            .body(ACCOUNT);
    });
    let grant = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", BASIC)
            .x_www_form_urlencoded_tuple("refresh_token", "pinr_OLD");
        // Not kept for reuse: a connection of the first runtime dies with it.
        then.status(200)
            .header("content-type", "application/json")
            .header("connection", "close")
            .body(NEW_TOKEN);
    });
    let store = ControlledStore::default();
    store.hold.store(true, Ordering::SeqCst);
    let client = client(
        &server,
        TokenManager::new(app(), token_expiring_in("pina_OLD", -10)).store(store.clone()),
    );

    // On a first runtime, a request starts the refresh, which gets its token and is saving it
    // when that runtime shuts down.
    let first = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let _request = first.spawn({
        let client = client.clone();
        async move { user_account(&client).await }
    });
    first.block_on(async {
        tokio::time::timeout(Duration::from_secs(5), store.saving.notified())
            .await
            .expect("the save starts")
    });

    // A request on another thread (and runtime) joins the refresh under way.
    let (joined, is_joined) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn({
        let client = client.clone();
        move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let manager = client.token_manager().expect("manager");
                let mut refresh = Box::pin(manager.refresh());
                assert!(
                    futures::poll!(&mut refresh).is_pending(),
                    "the refresh waits"
                );
                joined.send(()).expect("main thread");
                refresh.await
            })
        }
    });
    is_joined
        .recv_timeout(Duration::from_secs(5))
        .expect("the waiter joins");
    drop(first);

    let err = waiter
        .join()
        .expect("the waiter does not panic")
        .expect_err("its refresh stopped");
    assert!(
        matches!(err, Error::OAuth(OAuthError::RefreshInterrupted(_))),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("next request refreshes again"),
        "{err}"
    );

    // A new runtime: the next request saves the token the interrupted refresh had received
    // (no second grant: its refresh token was spent) and uses it.
    store.hold.store(false, Ordering::SeqCst);
    let second = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let name = second
        .block_on(user_account(&client))
        .expect("the next request refreshes");
    assert_eq!(name, "pinner");
    grant.assert_hits(1);
    new.assert_hits(1);
    let saved = store.saved.get().expect("saved");
    assert_eq!(saved.access_token().secret(), "pina_NEW");
}

// ----- processes sharing a token file -----------------------------------------------------------

/// The refresh grant for `refresh_token`, answering `NEW_TOKEN`.
async fn refresh_grant_for<'a>(server: &'a MockServer, refresh_token: &str) -> httpmock::Mock<'a> {
    let refresh_token = refresh_token.to_string();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .x_www_form_urlencoded_tuple("grant_type", "refresh_token")
                .x_www_form_urlencoded_tuple("refresh_token", refresh_token);
            then.status(200)
                .header("content-type", "application/json")
                .body(NEW_TOKEN);
        })
        .await
}

/// A token file holding `token`, and a manager loaded from it, as a process starting up has.
async fn manager_on_file(
    dir: &tempfile::TempDir,
    token: Token,
) -> (std::path::PathBuf, TokenManager) {
    let path = dir.path().join("token.json");
    FileStore::new(&path).save(&token).await.expect("seed");
    let manager = TokenManager::load(app(), FileStore::new(&path))
        .await
        .expect("load");
    (path, manager)
}

#[tokio::test]
async fn a_token_another_process_saved_meanwhile_is_used_instead_of_refreshing() {
    let server = MockServer::start_async().await;
    let other = account_for(&server, "pina_OTHER").await;
    let spent = refresh_grant_for(&server, "pinr_OLD").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, manager) = manager_on_file(&dir, token_expiring_in("pina_OLD", -60)).await;
    // Another process refreshed: its token (the old refresh token spent) is in the file.
    let theirs = Token::new("pina_OTHER")
        .with_refresh_token("pinr_OTHER")
        .with_expires_at(chrono::Utc::now() + chrono::Duration::hours(1));
    FileStore::new(&path).save(&theirs).await.expect("save");

    let client = client(&server, manager);
    assert_eq!(user_account(&client).await.expect("call"), "pinner");
    spent.assert_hits_async(0).await;
    other.assert_hits_async(1).await;
    let manager = client.token_manager().expect("manager");
    assert_eq!(manager.token(), theirs);
    assert_eq!(
        FileStore::new(&path).load().await.expect("load"),
        Some(theirs)
    );
}

#[tokio::test]
async fn a_token_another_process_saved_that_is_due_itself_is_the_one_refreshed() {
    let server = MockServer::start_async().await;
    let new = account_for(&server, "pina_NEW").await;
    let spent = refresh_grant_for(&server, "pinr_OLD").await;
    let theirs_refreshed = refresh_grant_for(&server, "pinr_OTHER").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, manager) = manager_on_file(&dir, token_expiring_in("pina_OLD", -60)).await;
    // Another process refreshed long ago: its token is within the margin of expiry too.
    let theirs = Token::new("pina_OTHER")
        .with_refresh_token("pinr_OTHER")
        .with_expires_at(chrono::Utc::now() + chrono::Duration::seconds(30));
    FileStore::new(&path).save(&theirs).await.expect("save");

    let client = client(&server, manager);
    assert_eq!(user_account(&client).await.expect("call"), "pinner");
    spent.assert_hits_async(0).await;
    theirs_refreshed.assert_hits_async(1).await;
    new.assert_hits_async(1).await;
    let saved = FileStore::new(&path)
        .load()
        .await
        .expect("load")
        .expect("token");
    assert_eq!(saved.refresh_token().map(|r| r.secret()), Some("pinr_NEW"));
}

#[tokio::test]
async fn a_refresh_through_an_arc_of_a_file_store_waits_for_its_lock_and_times_out_clearly() {
    let server = MockServer::start_async().await;
    let new = account_for(&server, "pina_NEW").await;
    let grant = refresh_grant(&server, 200, NEW_TOKEN, Duration::ZERO).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("token.json");
    let old = token_expiring_in("pina_OLD", -60);
    FileStore::new(&path).save(&old).await.expect("seed");
    let store = Arc::new(FileStore::new(&path).lock_timeout(Duration::from_millis(300)));
    let manager = TokenManager::load(app(), Arc::clone(&store))
        .await
        .expect("load");
    let client = client(&server, manager);

    // Another process is refreshing: it holds the lock.
    let held = FileStore::new(&path)
        .lock_for_refresh()
        .await
        .expect("lock")
        .expect("a file store locks");
    let err = user_account(&client).await.expect_err("the lock is held");
    let Error::TokenStore(cause) = &err else {
        panic!("not a store error: {err:?}");
    };
    assert_eq!(cause.kind(), std::io::ErrorKind::TimedOut, "{cause}");
    assert!(err.to_string().contains("token.json.lock"), "{err}");
    assert!(err.to_string().contains("left as it was"), "{err}");
    grant.assert_hits_async(0).await;
    assert_eq!(store.load().await.expect("load"), Some(old));

    // Released: the next request refreshes.
    drop(held);
    assert_eq!(user_account(&client).await.expect("call"), "pinner");
    grant.assert_hits_async(1).await;
    new.assert_hits_async(1).await;
}

/// The variable that makes [`a_process_sharing_the_token_file`] run: the token file's path.
const SHARED_FILE: &str = "PINTEREST_V5_TEST_SHARED_FILE";
/// The stand-in's base URL, client id and client secret, for that process.
const SHARED_STANDIN: &str = "PINTEREST_V5_TEST_SHARED_STANDIN";
/// What the sharing process prints once its manager is loaded; it then waits for a line.
const LOADED: &str = "loaded the token file";
/// What it prints before its result: `called` and the access token it ended with, or `failed`
/// and the error.
const CALLED: &str = "called";

/// Not a test of its own: the second process of
/// [`two_processes_on_one_token_file_refresh_once_and_both_end_with_the_new_token`], which
/// loads the token file, waits for the word of the first process, then calls the stand-in.
#[test]
#[ignore = "the child process of another test"]
fn a_process_sharing_the_token_file() {
    let (Some(path), Ok(standin)) = (std::env::var_os(SHARED_FILE), std::env::var(SHARED_STANDIN))
    else {
        return;
    };
    let mut standin = standin.split(' ');
    let (Some(base_url), Some(id), Some(secret)) = (standin.next(), standin.next(), standin.next())
    else {
        panic!("{SHARED_STANDIN} is `base_url client_id client_secret`");
    };
    let environment = Environment::custom(base_url).expect("loopback URL");
    let app =
        OAuthApp::new(id, secret, "http://localhost:8085/cb").environment(environment.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let manager = runtime
        .block_on(TokenManager::load(app, FileStore::new(path)))
        .expect("load");
    let client = Client::builder()
        .environment(environment)
        .token_manager(manager)
        .build()
        .expect("client");
    // Straight to the pipe: the test harness captures what `println!` prints.
    let say = |line: String| {
        let mut out = std::io::stdout();
        let _ = std::io::Write::write_all(&mut out, format!("{line}\n").as_bytes());
        let _ = std::io::Write::flush(&mut out);
    };
    say(LOADED.to_string());
    let mut go = String::new();
    if std::io::stdin().read_line(&mut go).is_err() || go.trim() != "go" {
        return; // the first process is gone
    }
    match runtime.block_on(client.user_account_get().send()) {
        Ok(_) => {
            let token = client.token_manager().expect("manager").token();
            say(format!("{CALLED} {}", token.access_token().secret()));
        }
        Err(e) => say(format!("{CALLED} failed: {e}")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_token_file_refresh_once_and_both_end_with_the_new_token() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    let standin = pinterest_v5_standin::Standin::start()
        .await
        .expect("stand-in");
    let issued = standin.issue_tokens(&["user_accounts:read"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("token.json");
    // Both processes find the access token expired: each needs a refresh before its call.
    let expired = Token::new(&issued.access_token)
        .with_refresh_token(issued.refresh_token.clone().expect("a refresh token"))
        .with_expires_at(chrono::Utc::now() - chrono::Duration::minutes(1));
    FileStore::new(&path).save(&expired).await.expect("seed");

    let mut child = tokio::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "refresh::a_process_sharing_the_token_file",
            "--exact",
            "--ignored",
            "--test-threads=1",
            "--nocapture",
        ])
        .env(SHARED_FILE, &path)
        .env(
            SHARED_STANDIN,
            format!(
                "{} {} {}",
                standin.base_url(),
                standin.client_id(),
                standin.client_secret()
            ),
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the second process starts");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().expect("piped")).lines();
    let mut next_line_saying = async |word: &str| loop {
        let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .expect("the second process answers in time")
            .expect("readable")
            .expect("the second process said nothing");
        if let Some(at) = line.find(word) {
            return line[at + word.len()..].trim().to_string();
        }
    };
    next_line_saying(LOADED).await;

    let environment = Environment::custom(standin.base_url()).expect("loopback URL");
    let app = OAuthApp::new(
        standin.client_id(),
        standin.client_secret(),
        "http://localhost:8085/cb",
    )
    .environment(environment.clone());
    let manager = TokenManager::load(app, FileStore::new(&path))
        .await
        .expect("load");
    let client = Client::builder()
        .environment(environment)
        .token_manager(manager)
        .build()
        .expect("client");

    // Both at once.
    let mut stdin = child.stdin.take().expect("piped");
    stdin
        .write_all(b"go\n")
        .await
        .expect("tell the second process");
    stdin.flush().await.expect("flush");
    let mine = client.user_account_get().send().await;
    let theirs = next_line_saying(CALLED).await;
    child.wait().await.expect("the second process ends");

    mine.expect("this process's call (no new login needed)");
    let ours = client.token_manager().expect("manager").token();
    assert_eq!(theirs, ours.access_token().secret(), "the second process");
    assert_ne!(ours.access_token().secret(), issued.access_token);
    assert_ne!(ours.refresh_token(), expired.refresh_token());
    assert_eq!(
        FileStore::new(&path).load().await.expect("load"),
        Some(ours)
    );
    assert_eq!(standin.counters().grant("refresh_token"), 1);
}
