//! A call with the token file's token: refreshed before use when it has expired, and after a
//! 401, the rotated token saved back to the file; `auth refresh` on demand.

use crate::{Stand, run};
use pinterest_v5::auth::Token;

fn refresh_token(token: &Token) -> String {
    token
        .refresh_token()
        .map(|t| t.secret().to_string())
        .expect("a refresh token")
}

#[test]
fn an_expired_token_is_refreshed_before_the_call_and_saved() {
    let stand = Stand::start();
    let issued = stand.standin.issue_tokens(&["user_accounts:read"]);
    let expired = Token::new(issued.access_token)
        .with_refresh_token(issued.refresh_token.expect("a refresh token"))
        .with_expires_at(chrono::Utc::now() - chrono::Duration::hours(1));
    stand.save(&expired);
    let out = stand.run(&["user-account", "get"]);
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(out.json()["username"], stand.standin.username());
    assert_eq!(stand.standin.counters().grant("refresh_token"), 1);
    let saved = stand.saved();
    assert_ne!(
        refresh_token(&saved),
        refresh_token(&expired),
        "rotated and saved"
    );
    assert!(saved.expires_at() > Some(chrono::Utc::now()));
}

#[test]
fn a_refused_token_is_refreshed_and_the_call_retried() {
    let stand = Stand::start();
    let first = stand.sign_in(&["user_accounts:read"]);
    stand.standin.expire_access_tokens();
    let out = stand.run(&["call", "user_account/get"]);
    assert_eq!(out.status, 0, "{out:?}");
    assert_eq!(out.json()["username"], stand.standin.username());
    assert_eq!(stand.standin.counters().grant("refresh_token"), 1);
    assert_ne!(refresh_token(&stand.saved()), refresh_token(&first));
}

#[test]
fn auth_refresh_refreshes_now_and_prints_no_secret() {
    let stand = Stand::start();
    let first = stand.sign_in(&["user_accounts:read", "pins:read"]);
    let out = stand.run(&["auth", "refresh"]);
    assert_eq!(out.status, 0, "{out:?}");
    let status = out.json();
    assert_eq!(
        status["scopes"],
        serde_json::json!(["user_accounts:read", "pins:read"])
    );
    assert_eq!(status["expired"], false);
    let saved = stand.saved();
    for secret in [
        saved.access_token().secret(),
        &refresh_token(&saved),
        first.access_token().secret(),
        stand.standin.client_secret(),
    ] {
        assert!(!out.stdout.contains(secret) && !out.stderr.contains(secret));
    }
    assert_ne!(refresh_token(&saved), refresh_token(&first));
}

#[test]
fn without_the_app_an_expired_token_is_not_refreshed_and_says_why() {
    let stand = Stand::start();
    stand.sign_in(&["user_accounts:read"]);
    stand.standin.expire_access_tokens();
    let mut command = stand.pinterest();
    command
        .env_remove("PINTEREST_APP_ID")
        .env_remove("PINTEREST_APP_SECRET")
        .args(["user-account", "get"]);
    let out = run(&mut command);
    assert_eq!(out.status, 3, "{out:?}");
    assert_eq!(stand.standin.counters().grant("refresh_token"), 0);
}
