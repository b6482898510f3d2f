//! Typed mocks of every operation, for testing code built on this crate without Pinterest
//! (feature `mock`).
//!
//! [`MockServerExt`] gives [`httpmock::MockServer`] one method per operation, named as the
//! client's method (`server.pins_create(…)` mocks `client.pins_create()`). Its closure gets the
//! operation's `When`, which already matches the method and path and offers one typed matcher
//! per parameter and body, and its `Then`, which answers with the operation's typed success
//! replies (`ok`, `created`, …), Pinterest's `{code, message}` errors (`error`) and 429s with
//! rate-limit headers (`rate_limited`). Both hand out httpmock's own type with `into_inner()`
//! for anything else.
//!
//! ```
//! use pinterest_v5::mock::{self, MockServerExt, httpmock::MockServer};
//! use pinterest_v5::{Client, types};
//!
//! /// The code under test: saves a recipe to a board, returns the new pin's id.
//! async fn save_recipe(client: &Client, board_id: &str) -> pinterest_v5::Result<String> {
//!     let body = types::PinCreate {
//!         board_id: Some(board_id.into()),
//!         title: Some("Weeknight pasta".into()),
//!         ..Default::default()
//!     };
//!     let pin = client.pins_create().body(body).send().await?;
//!     Ok(pin.id.clone())
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = MockServer::start_async().await;
//! let created: types::Pin = serde_json::from_value(serde_json::json!({"id": "7", "board_id": "42"}))?;
//! let m = server.pins_create(|when, then| {
//!     when.bearer("test-token").body(&types::PinCreate {
//!         board_id: Some("42".into()),
//!         title: Some("Weeknight pasta".into()),
//!         ..Default::default()
//!     });
//!     then.created(&created);
//! });
//! let client = Client::builder()
//!     .environment(mock::environment(&server))
//!     .access_token("test-token")
//!     .build()?;
//! assert_eq!(save_recipe(&client, "42").await?, "7");
//! m.assert_async().await;
//! # Ok(())
//! # }
//! ```
//!
//! # What a mock matches
//!
//! - **The base URL.** A mock server stands in for `https://api.pinterest.com/v5`: build the
//!   client on the server's `base_url()` ([`environment`] does), without `/v5`. The mocks match
//!   the description's paths (`/pins`, `/oauth/token`), anchored; a client on
//!   `server.url("/v5")` would send `/v5/pins`, which no mock matches (httpmock answers 404).
//! - **Parameters.** A path parameter matches its value; a query parameter matches its value
//!   as the client sends it (an `explode: false` array comma-joined, `columns=A,B`; another
//!   array one pair per element); an optional one given `None` matches a request without it.
//!   A parameter left unmentioned matches anything.
//! - **Bodies.** A JSON body must equal the typed value encoded; a form body (the token
//!   endpoint, `oauth_token`) must have each field of the typed value that is set.
//! - **The token.** `when.bearer(token)` matches `Authorization: Bearer {token}` only: the way
//!   to tell a stale token from a refreshed one.
//!
//! # Replies, and what the client does with them
//!
//! - `then.error(status, code, message)`: the client returns [`crate::Error::Api`] with that
//!   status, code and message. A 401 to a client with a refresh token is refreshed after once
//!   (mock `oauth_token` too), a 5xx is retried as the client's retry policy says.
//! - `then.rate_limited(reset_secs)`: a 429 with `x-ratelimit-limit` ([`RATE_LIMIT`]),
//!   `x-ratelimit-remaining: 0` and `x-ratelimit-reset`. A reset the client's rate-limit
//!   policy waits for (≤ 5 s by default) is waited out and the request sent again, to the same
//!   mock; a longer one returns [`crate::Error::RateLimited`] at once.
//!
//! # Several replies in a row
//!
//! httpmock answers a request with the first mock that matches it, so mocks in a row differ by
//! what they match: pages by `bookmark` (`when.bookmark(None)` for the first page,
//! `when.bookmark("b2")` for the next), a refresh by the bearer token.
//!
//! ```
//! use pinterest_v5::mock::{self, MockServerExt, httpmock::MockServer};
//! use pinterest_v5::{Client, types};
//! use futures::TryStreamExt;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = MockServer::start_async().await;
//! let board = |id: &str| -> types::Board {
//!     serde_json::from_value(serde_json::json!({"id": id, "name": id})).expect("a board")
//! };
//! server.boards_list(|when, then| {
//!     when.bookmark(None);
//!     then.ok(&types::BoardsListResponse { items: vec![board("1")], bookmark: Some("b2".into()) });
//! });
//! server.boards_list(|when, then| {
//!     when.bookmark("b2");
//!     then.ok(&types::BoardsListResponse { items: vec![board("2")], bookmark: None });
//! });
//! let client = Client::builder().environment(mock::environment(&server)).access_token("t").build()?;
//! let boards: Vec<types::Board> = client.boards_list().stream().try_collect().await?;
//! assert_eq!(boards.len(), 2);
//! # Ok(())
//! # }
//! ```
//!
//! The mocks are generated with the client, for the API areas enabled; [`httpmock`] is the
//! version they are built on (0.7), re-exported so that a test need not depend on it.

pub use httpmock;

use httpmock::{Then, When};
use std::fmt::Display;

include!(concat!(env!("OUT_DIR"), "/pinterest_v5_mock.rs"));

/// The environment of a client whose requests go to `server`: its `base_url()`, which stands
/// in for `https://api.pinterest.com/v5` (the mocks match the description's paths, `/pins`,
/// without `/v5`).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let server = pinterest_v5::mock::httpmock::MockServer::start_async().await;
/// let environment = pinterest_v5::mock::environment(&server);
/// assert_eq!(environment.base_url(), server.base_url());
/// # }
/// ```
pub fn environment(server: &httpmock::MockServer) -> crate::Environment {
    // httpmock's servers listen on loopback, where plain http is allowed.
    crate::Environment::custom(server.base_url())
        .expect("an httpmock server's base URL is an http URL on loopback")
}

/// Matches a path whose parameter is `value` as the client sends it (percent-encoded, then
/// taken literally): `pattern` is the path's regex with `{}` where the parameter goes.
#[doc(hidden)]
pub fn path_param(when: When, pattern: &str, value: impl Display) -> When {
    let segment = literal(&progenitor_client::encode_path(&value.to_string()));
    match httpmock::Regex::new(&pattern.replacen("{}", &segment, 1)) {
        Ok(path) => when.path_matches(path),
        // Only a value beyond the regex's size limit: no request the client sends.
        Err(_) => when.matches(|_| false),
    }
}

/// `text` with every character a regex gives a meaning escaped, so that it matches itself.
fn literal(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Matches a form body field by field: each field of `value` that is set must be in the form
/// with that value (other fields of the request's form are allowed).
#[doc(hidden)]
pub fn form_body<T: serde::Serialize>(when: When, value: &T) -> When {
    let mut when = when.header("content-type", "application/x-www-form-urlencoded");
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(value) {
        for (key, field) in fields {
            when = match field {
                serde_json::Value::Null => when,
                serde_json::Value::String(s) => when.x_www_form_urlencoded_tuple(key, s),
                other => when.x_www_form_urlencoded_tuple(key, other.to_string()),
            };
        }
    }
    when
}

/// Matches an `explode: false` array query parameter, sent comma-joined (`columns=A,B`).
#[doc(hidden)]
pub fn query_joined<I>(when: When, name: &str, values: I) -> When
where
    I: IntoIterator,
    I::Item: Display,
{
    let joined: Vec<String> = values.into_iter().map(|v| v.to_string()).collect();
    when.query_param(name, joined.join(","))
}

/// Matches an array query parameter sent as one pair per element (`ids=1&ids=2`).
#[doc(hidden)]
pub fn query_each<I>(when: When, name: &str, values: I) -> When
where
    I: IntoIterator,
    I::Item: Display,
{
    values
        .into_iter()
        .fold(when, |when, v| when.query_param(name, v.to_string()))
}

/// Matches a JSON body equal to `value` encoded (as the client encodes it).
#[doc(hidden)]
pub fn json_body<T: serde::Serialize + ?Sized>(when: When, value: &T) -> When {
    match serde_json::to_value(value) {
        Ok(json) => when.json_body(json),
        // A body that cannot be encoded is no request the client sends: match none.
        Err(_) => when.matches(|_| false),
    }
}

/// Answers with `value` as JSON.
#[doc(hidden)]
pub fn json_reply<T: serde::Serialize + ?Sized>(then: Then, value: &T) -> Then {
    match serde_json::to_value(value) {
        Ok(json) => then.json_body(json),
        Err(e) => then
            .status(500)
            .body(format!("the mock's reply cannot be encoded: {e}")),
    }
}

/// Matches a map-typed query parameter, sent as one pair per entry.
#[doc(hidden)]
pub fn query_map<K: Display, V: Display>(
    when: When,
    entries: impl IntoIterator<Item = (K, V)>,
) -> When {
    entries.into_iter().fold(when, |when, (k, v)| {
        when.query_param(k.to_string(), v.to_string())
    })
}

/// Whether the request has no query parameter `name`.
#[doc(hidden)]
pub fn query_absent(request: &httpmock::prelude::HttpMockRequest, name: &str) -> bool {
    !request
        .query_params
        .iter()
        .flatten()
        .any(|(key, _)| key == name)
}

/// Whether the request has no header `name` (names compare without case).
#[doc(hidden)]
pub fn header_absent(request: &httpmock::prelude::HttpMockRequest, name: &str) -> bool {
    !request
        .headers
        .iter()
        .flatten()
        .any(|(key, _)| key.eq_ignore_ascii_case(name))
}

/// Pinterest's error reply: `status` with `{"code": …, "message": …}`.
#[doc(hidden)]
pub fn error_reply(then: Then, status: u16, code: i64, message: &str) -> Then {
    then.status(status)
        .header("content-type", "application/json")
        .json_body(serde_json::json!({ "code": code, "message": message }))
}

/// The requests per window of [`rate_limited_reply`]'s `x-ratelimit-limit`.
pub const RATE_LIMIT: u64 = 1000;

/// A 429 with Pinterest's rate-limit headers and error body (code 8).
#[doc(hidden)]
pub fn rate_limited_reply(then: Then, reset_secs: u64) -> Then {
    error_reply(
        then.header("x-ratelimit-limit", RATE_LIMIT.to_string())
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", reset_secs.to_string()),
        429,
        8,
        "You have exceeded your rate limit. Try again later.",
    )
}
