//! Production, sandbox and custom base URLs, and the sandbox's unsupported operations.

use httpmock::prelude::*;
use pinterest_v5::{Client, Environment, Error};

#[test]
fn production_and_sandbox_have_pinterests_base_urls() {
    assert_eq!(
        Environment::Production.base_url(),
        "https://api.pinterest.com/v5"
    );
    assert_eq!(
        Environment::Sandbox.base_url(),
        "https://api-sandbox.pinterest.com/v5"
    );
    assert_eq!(Environment::default(), Environment::Production);
}

#[test]
fn custom_urls_must_be_https_unless_loopback() {
    for ok in [
        "https://proxy.example.com/v5",
        "http://127.0.0.1:8080/v5",
        "http://127.3.2.1/v5",
        "http://localhost:9/v5",
        "http://[::1]:9/v5",
    ] {
        assert!(Environment::custom(ok).is_ok(), "{ok} is allowed");
    }
    for bad in [
        "http://example.com/v5",
        "http://10.0.0.1/v5",
        "ftp://127.0.0.1/",
        "not a url",
    ] {
        match Environment::custom(bad) {
            Err(Error::Config(message)) => assert!(message.contains(bad), "{message}"),
            other => panic!("{bad} must be refused, got {other:?}"),
        }
    }
    let env = Environment::custom("http://127.0.0.1:1/v5/").expect("loopback");
    assert_eq!(env.base_url(), "http://127.0.0.1:1/v5");
}

#[test]
fn a_custom_url_with_a_query_or_a_fragment_is_refused_when_made() {
    for bad in [
        "https://proxy.example.com/v5?key=1",
        "https://proxy.example.com/v5#top",
        "http://127.0.0.1:8080/v5?x",
    ] {
        match Environment::custom(bad) {
            Err(Error::Config(message)) => {
                assert!(message.contains(bad), "{message}");
                assert!(message.contains("give one like https://"), "{message}");
            }
            other => panic!("{bad} must be refused, got {other:?}"),
        }
    }
}

/// The variant's URL can be read, never written: the only `CustomUrl` is one the check made
/// (a doc test of `Environment::Custom` shows that building one directly does not compile).
#[test]
fn a_custom_environment_holds_the_checked_url() {
    let env = Environment::custom("https://proxy.example.com/v5/").expect("https");
    let Environment::Custom(url) = &env else {
        panic!("a custom environment, got {env:?}");
    };
    assert_eq!(url.as_str(), "https://proxy.example.com/v5");
    assert_eq!(url.to_string(), env.base_url());
    assert_eq!(env.to_string(), "https://proxy.example.com/v5");
}

/// Token requests go to the environment's `/oauth/token`: a checked environment, so the
/// client secret cannot be sent in clear text to a host of the network either.
#[test]
fn the_token_endpoint_is_below_a_checked_environment() {
    let app = pinterest_v5::auth::OAuthApp::new("id", "secret", "https://example.com/cb");
    assert_eq!(app.token_url(), "https://api.pinterest.com/v5/oauth/token");
    let local = app.environment(Environment::custom("http://localhost:9/v5").expect("loopback"));
    assert_eq!(local.token_url(), "http://localhost:9/v5/oauth/token");
    assert!(Environment::custom("http://auth.example.com/v5").is_err());
}

/// A client whose sandbox host resolves to a loopback mock: nothing can leave the machine.
fn sandbox_client(server: &MockServer) -> Client {
    let http = pinterest_v5::client::http_client_builder()
        .resolve("api-sandbox.pinterest.com", *server.address())
        .build()
        .expect("a reqwest client");
    Client::builder()
        .environment(Environment::Sandbox)
        .access_token("pina_sandbox")
        .retry_policy(pinterest_v5::client::retry::RetryPolicy::none())
        .reqwest_client(http)
        .build()
        .expect("a client")
}

#[tokio::test]
async fn an_operation_the_sandbox_does_not_serve_fails_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let op = pinterest_v5::operation::find("user_account_analytics").expect("in the table");
    assert!(!op.sandbox, "premise: x-sandbox is disabled for it");
    let err: Error = sandbox_client(&server)
        .user_account_analytics()
        .start_date("2025-01-01".parse::<chrono::NaiveDate>().expect("date"))
        .end_date("2025-01-02".parse::<chrono::NaiveDate>().expect("date"))
        .send()
        .await
        .expect_err("refused locally");
    match &err {
        Error::SandboxUnsupported { operation } => assert_eq!(*operation, "user_account_analytics"),
        other => panic!("expected SandboxUnsupported, got {other:?}"),
    }
    assert!(err.to_string().contains("Environment::Production"), "{err}");
    assert_eq!(any.hits_async().await, 0, "nothing was sent");
}

#[tokio::test]
async fn an_operation_the_sandbox_serves_is_sent_to_the_sandbox_host() {
    // The mock speaks plain HTTP on loopback; the sandbox URL is https, so the attempt fails
    // in the TLS handshake — which proves it was sent, to the sandbox host, and nowhere else.
    let server = MockServer::start_async().await;
    let op = pinterest_v5::operation::find("user_account_get").expect("in the table");
    assert!(op.sandbox, "premise: the sandbox serves it");
    let err: Error = sandbox_client(&server)
        .user_account_get()
        .send()
        .await
        .expect_err("TLS to a plain HTTP mock fails");
    assert!(matches!(err, Error::Transport(_)), "got {err:?}");
}
