//! Typed mocks of every operation (feature `mock`).

pub use httpmock;

use httpmock::{Then, When};
use std::fmt::Display;

include!(concat!(env!("OUT_DIR"), "/pinterest_v5_mock.rs"));

/// The environment of a client whose requests go to `server`: its `base_url()`, which stands
/// in for `https://api.pinterest.com/v5` (the mocks match the description's paths, `/pins`,
/// without `/v5`).
pub fn environment(server: &httpmock::MockServer) -> crate::Environment {
    crate::Environment::Custom(server.base_url())
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
