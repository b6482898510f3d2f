//! The client builder with a `reqwest` client of the caller's own: the builder's transport
//! settings cannot apply to it, so the builder refuses them, naming each, instead of dropping
//! them unseen.

use httpmock::prelude::*;
use pinterest_v5::{Client, ClientBuilder, Environment, Error};
use std::time::Duration;

fn given() -> reqwest::Client {
    pinterest_v5::client::http_client_builder()
        .build()
        .expect("a reqwest client")
}

#[test]
fn each_transport_setting_is_refused_beside_a_given_reqwest_client() {
    /// The builder with one transport setting set.
    fn set(setter: &str, builder: ClientBuilder) -> ClientBuilder {
        match setter {
            "timeout" => builder.timeout(Duration::from_secs(30)),
            "connect_timeout" => builder.connect_timeout(Duration::from_secs(3)),
            "pool_idle_timeout" => builder.pool_idle_timeout(Duration::from_secs(20)),
            _ => builder.user_agent("my-app/1.0"),
        }
    }
    for setter in [
        "timeout",
        "connect_timeout",
        "pool_idle_timeout",
        "user_agent",
    ] {
        let refused = set(
            setter,
            Client::builder().access_token("t").reqwest_client(given()),
        )
        .build();
        match refused {
            Err(Error::Config(message)) => {
                assert!(
                    message.contains(&format!("ClientBuilder::{setter}")),
                    "{message}"
                );
                assert!(message.contains("reqwest::ClientBuilder"), "{message}");
                assert!(message.contains(&format!(".{setter}(")), "{message}");
            }
            other => panic!("{setter} beside a given client must be refused, got {other:?}"),
        }
        // Set before the client is given, the same.
        let refused = set(setter, Client::builder())
            .reqwest_client(given())
            .build()
            .expect_err(setter);
        assert!(refused.to_string().contains(setter), "{refused}");
    }
}

#[test]
fn every_refused_setting_is_named_at_once() {
    let err = Client::builder()
        .reqwest_client(given())
        .timeout(Duration::from_secs(30))
        .user_agent("my-app/1.0")
        .build()
        .expect_err("refused");
    let message = err.to_string();
    assert!(message.contains("ClientBuilder::timeout"), "{message}");
    assert!(message.contains("ClientBuilder::user_agent"), "{message}");
    assert!(
        !message.contains("ClientBuilder::connect_timeout"),
        "{message}"
    );
}

#[test]
fn without_the_builders_transport_settings_a_given_client_is_taken() {
    let client = Client::builder()
        .access_token("t")
        .reqwest_client(given())
        .build();
    assert!(client.is_ok(), "{client:?}");
}

#[tokio::test]
async fn the_given_client_is_the_one_that_sends() {
    let server = MockServer::start_async().await;
    let account = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/user_account")
                .header("user-agent", "given-client/2");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"username":"pinner"}"#);
        })
        .await;
    let http = pinterest_v5::client::http_client_builder()
        .user_agent("given-client/2")
        .build()
        .expect("a reqwest client");
    let client = Client::builder()
        .environment(Environment::custom(server.base_url()).expect("loopback"))
        .access_token("t")
        .reqwest_client(http)
        .build()
        .expect("a client");

    let me = client.user_account_get().send().await.expect("sent");

    assert_eq!(me.into_inner().username.as_deref(), Some("pinner"));
    account.assert_hits_async(1).await;
}
