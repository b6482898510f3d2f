//! OAuth helpers: the authorization URL, the redirect back to the app, the three grants of
//! `POST /oauth/token` exactly as they go on the wire, the decoding of token replies and of
//! Pinterest's error bodies, and that no public type shows a secret.

use httpmock::prelude::*;
use pinterest_v5::auth::TokenManager;
use pinterest_v5::auth::{
    AccessToken, AuthorizationCode, OAuthApp, OAuthError, RefreshToken, Scope, Token,
};
use pinterest_v5::auth::{FileStore, MemoryStore};
use pinterest_v5::{Client, Environment, Error};
use std::collections::HashMap;
use std::time::Duration;

const CLIENT_ID: &str = "1234567";
const CLIENT_SECRET: &str = "app-secret-XYZ";
/// base64("1234567:app-secret-XYZ")
const BASIC: &str = "Basic MTIzNDU2NzphcHAtc2VjcmV0LVhZWg==";
const REDIRECT_URI: &str = "https://example.com/pinterest/callback?tenant=7";

fn app() -> OAuthApp {
    OAuthApp::new(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI)
}

fn app_at(server: &MockServer) -> OAuthApp {
    app().environment(Environment::custom(server.base_url()).expect("loopback URL"))
}

fn query(url: &str) -> HashMap<String, String> {
    url::Url::parse(url)
        .expect("a URL")
        .query_pairs()
        .into_owned()
        .collect()
}

// ----- authorization URL ---------------------------------------------------------------------

#[test]
fn authorization_url_asks_pinterest_for_a_code_with_the_exact_redirect_and_comma_joined_scopes() {
    let request =
        app().authorization_url(&[Scope::BoardsRead, Scope::PinsRead, Scope::UserAccountsRead]);
    let url = url::Url::parse(&request.url).expect("a URL");
    assert_eq!(url.scheme(), "https");
    assert_eq!(url.host_str(), Some("www.pinterest.com"));
    assert_eq!(url.path(), "/oauth/");
    let q = query(&request.url);
    assert_eq!(q.len(), 5, "{q:?}");
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], CLIENT_ID);
    assert_eq!(q["redirect_uri"], REDIRECT_URI);
    assert_eq!(q["scope"], "boards:read,pins:read,user_accounts:read");
    assert_eq!(q["state"], request.state);
}

#[test]
fn authorization_url_state_is_fresh_and_unguessable_each_time() {
    let states: Vec<String> = (0..100)
        .map(|_| app().authorization_url(&[Scope::PinsRead]).state)
        .collect();
    let distinct: std::collections::HashSet<_> = states.iter().collect();
    assert_eq!(distinct.len(), states.len());
    for state in &states {
        assert!(
            state.len() >= 32,
            "state `{state}` is too short to be unguessable"
        );
        assert!(state.chars().all(|c| c.is_ascii_alphanumeric()));
    }
}

#[test]
fn scopes_are_the_nineteen_of_the_description_and_parse_back_from_their_display() {
    let names = [
        "ads:read",
        "ads:write",
        "billing:read",
        "billing:write",
        "biz_access:read",
        "biz_access:write",
        "boards:read",
        "boards:read_secret",
        "boards:write",
        "boards:write_secret",
        "catalogs:read",
        "catalogs:write",
        "msot:write",
        "pins:read",
        "pins:read_secret",
        "pins:write",
        "pins:write_secret",
        "user_accounts:read",
        "user_accounts:write",
    ];
    let shown: Vec<String> = Scope::ALL.iter().map(Scope::to_string).collect();
    assert_eq!(shown, names);
    for scope in Scope::ALL {
        let parsed: Scope = scope.to_string().parse().expect("a known scope parses");
        assert_eq!(parsed, scope);
    }
    let typo = "pins:wirte"
        .parse::<Scope>()
        .expect_err("a typo is refused");
    assert!(typo.to_string().contains("pins:wirte"), "{typo}");
    assert_eq!(
        Scope::from_wire("reports:read"),
        Scope::Other("reports:read".into())
    );
}

// ----- callback ------------------------------------------------------------------------------

#[test]
fn callback_with_the_kept_state_gives_the_code() {
    let request = app().authorization_url(&[Scope::PinsRead]);
    let redirect = format!(
        "https://example.com/pinterest/callback?tenant=7&code=the-code&state={}",
        request.state
    );
    let code = app()
        .parse_callback(&redirect, &request.state)
        .expect("a good redirect");
    assert_eq!(code.secret(), "the-code");
}

#[test]
fn callback_given_as_path_and_query_is_read_against_the_redirect_uri() {
    let code = app()
        .parse_callback("/pinterest/callback?code=c1&state=s1", "s1")
        .expect("a path and query as a web framework gives them");
    assert_eq!(code.secret(), "c1");
}

#[test]
fn callback_when_the_user_declines_is_access_denied() {
    let err = app()
        .parse_callback(
            "https://example.com/pinterest/callback?error=access_denied&error_description=User+said+no&state=s1",
            "s1",
        )
        .expect_err("a refusal");
    match &err {
        Error::OAuth(OAuthError::AccessDenied { description }) => {
            assert_eq!(description.as_deref(), Some("User said no"))
        }
        other => panic!("expected AccessDenied, got {other:?}"),
    }
    assert!(err.needs_reauthorization());
    assert!(err.to_string().contains("declined"), "{err}");
}

#[test]
fn callback_with_another_state_is_a_state_mismatch() {
    let err = app()
        .parse_callback(
            "https://example.com/pinterest/callback?code=c&state=forged",
            "kept",
        )
        .expect_err("forged state");
    assert!(
        matches!(err, Error::OAuth(OAuthError::StateMismatch)),
        "{err:?}"
    );
    assert!(err.to_string().contains("state"), "{err}");
}

#[test]
fn callback_without_state_or_with_an_empty_kept_state_is_a_state_mismatch() {
    let no_state = app()
        .parse_callback("https://example.com/pinterest/callback?code=c", "kept")
        .expect_err("no state");
    assert!(matches!(no_state, Error::OAuth(OAuthError::StateMismatch)));
    let empty_kept = app()
        .parse_callback("https://example.com/pinterest/callback?code=c&state=", "")
        .expect_err("an empty kept state never matches");
    assert!(matches!(
        empty_kept,
        Error::OAuth(OAuthError::StateMismatch)
    ));
    // Same length, one byte different.
    let near = app()
        .parse_callback(
            "https://example.com/pinterest/callback?code=c&state=abcd",
            "abce",
        )
        .expect_err("one byte off");
    assert!(matches!(near, Error::OAuth(OAuthError::StateMismatch)));
}

#[test]
fn callback_without_a_code_is_missing_code() {
    let err = app()
        .parse_callback("https://example.com/pinterest/callback?state=s1", "s1")
        .expect_err("no code");
    assert!(
        matches!(err, Error::OAuth(OAuthError::MissingCode)),
        "{err:?}"
    );
    assert!(err.to_string().contains("no authorization code"), "{err}");
}

#[test]
fn callback_that_is_not_a_url_is_an_invalid_redirect() {
    let app = OAuthApp::new(CLIENT_ID, CLIENT_SECRET, "not a url");
    let err = app
        .parse_callback("also not a url ?code=c", "s")
        .expect_err("garbage");
    assert!(
        matches!(err, Error::OAuth(OAuthError::InvalidRedirect(_))),
        "{err:?}"
    );
}

// ----- grants on the wire ----------------------------------------------------------------------

const TOKEN_REPLY: &str = r#"{
    "access_token": "pina_ACCESS_1",
    "refresh_token": "pinr_REFRESH_1",
    "response_type": "authorization_code",
    "token_type": "bearer",
    "expires_in": 2592000,
    "refresh_token_expires_in": 5184000,
    "refresh_token_expires_at": 1900000000,
    "scope": "boards:read,pins:read"
}"#;

#[tokio::test]
async fn code_exchange_posts_basic_credentials_and_the_exact_form() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("authorization", BASIC)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(
                    "grant_type=authorization_code&code=the-code&redirect_uri=https%3A%2F%2Fexample.com%2Fpinterest%2Fcallback%3Ftenant%3D7",
                );
            then.status(200)
                .header("content-type", "application/json")
                .body(TOKEN_REPLY);
        })
        .await;
    let before = chrono::Utc::now();
    let token = app_at(&server)
        .exchange_code(&AuthorizationCode::new("the-code"))
        .await
        .expect("exchange");
    let after = chrono::Utc::now();
    mock.assert_hits_async(1).await;
    assert_eq!(token.access_token().secret(), "pina_ACCESS_1");
    assert_eq!(
        token.refresh_token().map(RefreshToken::secret),
        Some("pinr_REFRESH_1")
    );
    assert_eq!(token.scopes(), &[Scope::BoardsRead, Scope::PinsRead]);
    let expires = token.expires_at().expect("expires_in gives an expiry");
    assert!(expires >= before + chrono::Duration::seconds(2_592_000));
    assert!(expires <= after + chrono::Duration::seconds(2_592_000));
    let refresh_expires = token.refresh_token_expires_at().expect("refresh expiry");
    assert!(refresh_expires >= before + chrono::Duration::seconds(5_184_000));
    assert!(refresh_expires <= after + chrono::Duration::seconds(5_184_000));
}

#[tokio::test]
async fn refresh_posts_the_refresh_token_and_continuous_refresh_when_asked() {
    let server = MockServer::start_async().await;
    let plain = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("authorization", BASIC)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("grant_type=refresh_token&refresh_token=pinr_OLD");
            then.status(200).body(
                r#"{"access_token":"pina_NEW","expires_in":60,"scope":"pins:read","token_type":"bearer"}"#,
            );
        })
        .await;
    let continuous = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("authorization", BASIC)
                .body("grant_type=refresh_token&refresh_token=pinr_OLD&continuous_refresh=true");
            then.status(200).body(
                r#"{"access_token":"pina_NEW2","refresh_token":"pinr_NEW2","refresh_token_expires_in":5184000,"expires_in":60,"scope":"pins:read"}"#,
            );
        })
        .await;
    let old = Token::new("pina_OLD")
        .with_refresh_token("pinr_OLD")
        .with_refresh_token_expires_at(chrono::Utc::now() + chrono::Duration::days(10))
        .with_scopes(vec![Scope::PinsRead, Scope::BoardsRead]);

    let fresh = app_at(&server).refresh(&old).await.expect("refresh");
    plain.assert_hits_async(1).await;
    assert_eq!(fresh.access_token().secret(), "pina_NEW");
    // Not rotated: the old refresh token and its expiry carry over.
    assert_eq!(fresh.refresh_token(), old.refresh_token());
    assert_eq!(
        fresh.refresh_token_expires_at(),
        old.refresh_token_expires_at()
    );
    assert_eq!(fresh.scopes(), &[Scope::PinsRead]);

    let rotated = app_at(&server)
        .continuous_refresh(true)
        .refresh(&old)
        .await
        .expect("continuous refresh");
    continuous.assert_hits_async(1).await;
    assert_eq!(
        rotated.refresh_token().map(RefreshToken::secret),
        Some("pinr_NEW2")
    );
    assert!(rotated.refresh_token_expires_at() > old.refresh_token_expires_at());
}

#[tokio::test]
async fn a_token_request_the_server_refused_unprocessed_is_sent_again() {
    let server = crate::retry::RefusingServer::start(
        2,
        serde_json::json!({"access_token": "pina_NEW", "expires_in": 60, "scope": "pins:read"}),
    )
    .await;
    let app = app()
        .environment(Environment::custom(&server.base).expect("loopback URL"))
        .http_client(crate::retry::RefusingServer::http_client());
    let old = Token::new("pina_OLD").with_refresh_token("pinr_OLD");

    let fresh = app
        .refresh(&old)
        .await
        .expect("answered after two refusals");

    assert_eq!(fresh.access_token().secret(), "pina_NEW");
    assert_eq!(server.streams(), 3);
}

#[tokio::test]
async fn client_credentials_posts_the_scopes_comma_joined() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token")
                .header("authorization", BASIC)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&scope=ads%3Aread%2Cads%3Awrite");
            then.status(200).body(
                r#"{"access_token":"pina_APP","token_type":"bearer","expires_in":2592000,"scope":"ads:read,ads:write","response_type":"client_credentials"}"#,
            );
        })
        .await;
    let token = app_at(&server)
        .client_credentials(&[Scope::AdsRead, Scope::AdsWrite])
        .await
        .expect("client credentials");
    mock.assert_hits_async(1).await;
    assert_eq!(token.access_token().secret(), "pina_APP");
    assert!(token.refresh_token().is_none());
}

#[tokio::test]
async fn refresh_without_a_refresh_token_asks_for_reauthorization_and_sends_nothing() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/oauth/token");
            then.status(200).body(r#"{"access_token":"x"}"#);
        })
        .await;
    let err = app_at(&server)
        .refresh(&Token::new("pina_bare"))
        .await
        .expect_err("nothing to refresh with");
    assert!(
        matches!(err, Error::OAuth(OAuthError::NoRefreshToken)),
        "{err:?}"
    );
    assert!(err.needs_reauthorization());
    mock.assert_hits_async(0).await;
}

// ----- revocation ------------------------------------------------------------------------------

/// `POST /oauth/token/revoke` with the app's Basic credentials and exactly `form`.
async fn revocation<'a>(server: &'a MockServer, form: &str, status: u16) -> httpmock::Mock<'a> {
    let form = form.to_string();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth/token/revoke")
                .header("authorization", BASIC)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form);
            then.status(status)
                .header("content-type", "application/json")
                .body(if status == 200 {
                    ""
                } else {
                    r#"{"code":29,"message":"You are not permitted to access that resource."}"#
                });
        })
        .await
}

#[tokio::test]
async fn revoke_posts_basic_credentials_and_the_token_with_its_type() {
    let server = MockServer::start_async().await;
    let refresh = revocation(&server, "token=pinr_OLD&token_type_hint=refresh_token", 200).await;
    let access = revocation(&server, "token=pina_OLD&token_type_hint=access_token", 200).await;
    let app = app_at(&server);
    app.revoke(&RefreshToken::new("pinr_OLD"))
        .await
        .expect("refresh token revoked");
    app.revoke(&AccessToken::new("pina_OLD"))
        .await
        .expect("access token revoked");
    refresh.assert_hits_async(1).await;
    access.assert_hits_async(1).await;
}

#[tokio::test]
async fn a_refused_revocation_says_why_and_shows_no_secret() {
    let server = MockServer::start_async().await;
    let refused = revocation(
        &server,
        "token=pina_SECRET&token_type_hint=access_token",
        403,
    )
    .await;
    let err = app_at(&server)
        .revoke(&AccessToken::new("pina_SECRET"))
        .await
        .expect_err("refused");
    refused.assert_hits_async(1).await;
    match &err {
        Error::OAuth(OAuthError::RevocationRejected {
            status: 403,
            code: Some(29),
            message,
        }) => assert!(message.contains("not permitted"), "{message}"),
        other => panic!("expected a refused revocation, got {other:?}"),
    }
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("system users"), "{shown}");
    assert!(
        !shown.contains("pina_SECRET") && !shown.contains(CLIENT_SECRET),
        "{shown}"
    );
}

#[tokio::test]
async fn the_generated_revocation_goes_out_with_the_apps_basic_credentials() {
    let server = MockServer::start_async().await;
    let revoked = revocation(&server, "token=pinr_OLD&token_type_hint=refresh_token", 200).await;
    let token = Token::new("pina_CURRENT")
        .with_refresh_token("pinr_OLD")
        .with_expires_in(Duration::from_secs(3600));
    let client = Client::builder()
        .environment(Environment::custom(server.base_url()).expect("loopback"))
        .token_manager(TokenManager::new(app(), token))
        .build()
        .expect("client");
    client
        .token_revoke()
        .body_map(|b| {
            b.token("pinr_OLD").token_type_hint(
                pinterest_v5::types::TokenRevocationRequestTokenTypeHint::RefreshToken,
            )
        })
        .send()
        .await
        .expect("revoked through the generated operation");
    revoked.assert_hits_async(1).await;
}

#[tokio::test]
async fn without_the_app_an_operation_only_its_credentials_authorise_fails_before_sending() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|when, then| {
            when.path_contains("/oauth/token");
            then.status(200);
        })
        .await;
    let base = || Environment::custom(server.base_url()).expect("loopback");
    let bare = Client::builder()
        .environment(base())
        .access_token("pina_TEST_24H")
        .build()
        .expect("client");
    let anonymous = Client::builder()
        .environment(base())
        .build()
        .expect("client");
    for client in [&bare, &anonymous] {
        let err = client
            .token_revoke()
            .body_map(|b| b.token("pinr_OLD"))
            .send()
            .await
            .expect_err("no app credentials");
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(err.to_string().contains("OAuthApp::revoke"), "{err}");
        assert!(err.to_string().contains("token_revoke"), "{err}");
    }
    anything.assert_hits_async(0).await;
}

// ----- replies -------------------------------------------------------------------------------------

#[test]
fn token_reply_decodes_tolerantly() {
    let now = chrono::Utc::now();
    // No response_type, no token_type, numbers as strings, an unknown field, an unknown scope.
    let token = Token::from_reply(
        br#"{"access_token":"a","expires_in":"3600","scope":"pins:read reports:read","new_field":{"x":1}}"#,
        now,
    )
    .expect("tolerant decoding");
    assert_eq!(
        token.expires_at(),
        Some(now + chrono::Duration::seconds(3600))
    );
    assert_eq!(
        token.scopes(),
        &[Scope::PinsRead, Scope::Other("reports:read".into())]
    );
    assert!(token.refresh_token().is_none());

    // Only refresh_token_expires_at (seconds since the epoch) given.
    let token = Token::from_reply(
        br#"{"access_token":"a","refresh_token":"r","refresh_token_expires_at":1900000000}"#,
        now,
    )
    .expect("decodes");
    assert_eq!(
        token.refresh_token_expires_at().map(|t| t.timestamp()),
        Some(1_900_000_000)
    );
    assert!(token.expires_at().is_none());
}

#[test]
fn token_reply_without_access_token_or_not_json_is_an_invalid_reply() {
    let now = chrono::Utc::now();
    for body in [
        &br#"{"token_type":"bearer"}"#[..],
        b"<html>oops</html>",
        b"[]",
        br#"{"access_token":""}"#,
    ] {
        let err = Token::from_reply(body, now).expect_err("not a token");
        assert!(matches!(err, OAuthError::InvalidTokenReply(_)), "{err:?}");
    }
}

#[tokio::test]
async fn invalid_grant_283_is_a_typed_error_asking_for_reauthorization() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(400)
                .header("content-type", "application/json")
                .body(r#"{"code":283,"message":"The authorization grant is invalid"}"#);
        })
        .await;
    let old = Token::new("pina_OLD").with_refresh_token("pinr_REVOKED");
    let err = app_at(&server).refresh(&old).await.expect_err("revoked");
    match &err {
        Error::OAuth(OAuthError::Rejected {
            status,
            code,
            message,
        }) => {
            assert_eq!(*status, 400);
            assert_eq!(*code, Some(283));
            assert_eq!(message, "The authorization grant is invalid");
        }
        other => panic!("expected Rejected, got {other:?}"),
    }
    assert!(err.needs_reauthorization());
    assert!(err.to_string().contains("authorize the app again"), "{err}");
}

#[tokio::test]
async fn wrong_client_credentials_do_not_ask_for_reauthorization() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(401)
                .body(r#"{"code":2,"message":"Authentication failed."}"#);
        })
        .await;
    let err = app_at(&server)
        .exchange_code(&AuthorizationCode::new("c"))
        .await
        .expect_err("bad secret");
    assert!(
        matches!(
            err,
            Error::OAuth(OAuthError::Rejected {
                status: 401,
                code: Some(2),
                ..
            })
        ),
        "{err:?}"
    );
    assert!(!err.needs_reauthorization());
}

#[tokio::test]
async fn an_error_reply_that_is_not_json_still_gives_a_rejection_with_the_status() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(502).body("Bad Gateway");
        })
        .await;
    let err = app_at(&server)
        .client_credentials(&[Scope::AdsRead])
        .await
        .expect_err("502");
    assert!(
        matches!(
            err,
            Error::OAuth(OAuthError::Rejected {
                status: 502,
                code: None,
                ..
            })
        ),
        "{err:?}"
    );
}

#[test]
fn token_round_trips_through_serde_and_reads_leniently() {
    let token = Token::new("pina_A")
        .with_refresh_token("pinr_R")
        .with_scopes(vec![Scope::PinsRead, Scope::Other("future:scope".into())])
        .with_expires_in(Duration::from_secs(3600))
        .with_refresh_token_expires_at(chrono::Utc::now() + chrono::Duration::days(60));
    let json = serde_json::to_string(&token).expect("serialises");
    let back: Token = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, token);

    let minimal: Token = serde_json::from_str(r#"{"access_token":"pina_A","extra":true}"#)
        .expect("only the access token is needed");
    assert_eq!(minimal, Token::new("pina_A"));
}

// ----- secrets -------------------------------------------------------------------------------------

#[tokio::test]
async fn no_public_type_shows_a_secret_in_debug_or_display() {
    let secrets = [
        CLIENT_SECRET,
        "pina_SECRET_ACCESS",
        "pinr_SECRET_REFRESH",
        "SECRET_CODE",
    ];
    let token = Token::new("pina_SECRET_ACCESS")
        .with_refresh_token("pinr_SECRET_REFRESH")
        .with_scopes(vec![Scope::PinsRead])
        .with_expires_in(Duration::from_secs(60));
    let manager =
        TokenManager::new(app(), token.clone()).store(MemoryStore::with_token(token.clone()));
    let client = Client::builder()
        .environment(Environment::Sandbox)
        .token_manager(manager)
        .build()
        .expect("client");
    let bare = Client::builder()
        .access_token("pina_SECRET_ACCESS")
        .build()
        .expect("client");
    let builder = Client::builder().access_token("pina_SECRET_ACCESS");
    let request = app().authorization_url(&[Scope::PinsRead]);

    let shown = [
        format!("{:?}", app()),
        format!("{:#?}", app()),
        format!("{token:?}"),
        format!("{token:#?}"),
        format!("{:?}", AccessToken::new("pina_SECRET_ACCESS")),
        format!("{:?}", RefreshToken::new("pinr_SECRET_REFRESH")),
        format!("{:?}", AuthorizationCode::new("SECRET_CODE")),
        format!("{:?}", TokenManager::new(app(), token.clone())),
        format!(
            "{:?}",
            TokenManager::from_access_token("pina_SECRET_ACCESS")
        ),
        format!("{:?}", client.token_manager()),
        format!("{:?}", MemoryStore::with_token(token.clone())),
        format!("{:?}", FileStore::new("/tmp/token.json")),
        format!("{client:?}"),
        format!("{bare:?}"),
        format!("{builder:?}"),
        format!("{request:?}"),
        format!(
            "{:?}",
            app().parse_callback("https://example.com/cb?code=SECRET_CODE&state=x", "y")
        ),
        format!("{}", Error::from(OAuthError::NoRefreshToken)),
        format!(
            "{}",
            Error::TokenStore(std::sync::Arc::new(std::io::Error::other("disk full")))
        ),
    ];
    for text in &shown {
        for secret in secrets {
            assert!(!text.contains(secret), "`{secret}` appears in: {text}");
        }
    }
    // And the formatted values are not empty placeholders: they say what they are.
    assert!(shown[2].contains("expires_at"), "{}", shown[2]);
    assert!(shown[0].contains(CLIENT_ID), "{}", shown[0]);
}

#[tokio::test]
async fn a_token_request_gives_up_after_the_apps_request_timeout() {
    // The client sets no limit per request by default; token requests always have one, since
    // every request waiting for a refresh waits on them.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(200)
                .delay(Duration::from_secs(5))
                .body(r#"{"access_token":"pina_APP","token_type":"bearer","expires_in":2592000,"scope":"ads:read","response_type":"client_credentials"}"#);
        })
        .await;

    let err = app_at(&server)
        .request_timeout(Duration::from_millis(100))
        .client_credentials(&[Scope::AdsRead])
        .await
        .expect_err("the reply comes after the limit");

    assert!(
        matches!(err, Error::Transport(ref e) if e.is_timeout()),
        "{err:?}"
    );
}
