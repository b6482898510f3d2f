//! What many capability files set up the same way.

use httpmock::MockServer;
use pinterest_v5::client::retry::RetryPolicy;
use pinterest_v5::{Client, Environment};

/// The access token the clients of [`client`] send.
pub const ACCESS_TOKEN: &str = "pina_TEST";

/// A client of `server` with a bare access token ([`ACCESS_TOKEN`]) and no retries, so that each
/// reply a test mocks is the one the call sees.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .environment(Environment::custom(server.base_url()).expect("loopback URL"))
        .access_token(ACCESS_TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client")
}
