//! Exit statuses by what went wrong, and errors on stderr with Pinterest's status, code,
//! message and request id, never the token.

use crate::{SECRET_TOKEN, against, config_dir, run};
use httpmock::prelude::*;

/// Runs `pins get` against a server answering `status` with Pinterest's error body.
fn answered(status: u16, headers: &[(&str, &str)]) -> crate::Run {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/pins/1");
        let mut then = then
            .status(status)
            .header("x-pinterest-rid", "rid-4242")
            .json_body(serde_json::json!({"code": 2, "message": "Something went wrong"}));
        for (name, value) in headers {
            then = then.header(*name, *value);
        }
    });
    let dir = config_dir();
    let out = run(against(&server, dir.path()).args(["pins", "get", "--pin-id", "1"]));
    assert!(!out.stderr.contains(SECRET_TOKEN), "{out:?}");
    assert!(!out.stdout.contains(SECRET_TOKEN), "{out:?}");
    out
}

#[test]
fn an_api_error_is_1_with_status_code_message_and_request_id() {
    let out = answered(404, &[]);
    assert_eq!(out.status, 1, "{out:?}");
    for part in ["404", "code 2", "Something went wrong", "rid-4242"] {
        assert!(out.stderr.contains(part), "{part}: {out:?}");
    }
    assert!(out.stdout.is_empty(), "{out:?}");
}

#[test]
fn a_refused_token_is_3() {
    let out = answered(401, &[]);
    assert_eq!(out.status, 3, "{out:?}");
    assert!(out.stderr.contains("auth login"), "{out:?}");
}

#[test]
fn rate_limited_beyond_the_wait_is_4() {
    let out = answered(429, &[("x-ratelimit-reset", "3600")]);
    assert_eq!(out.status, 4, "{out:?}");
    assert!(out.stderr.contains("rate limited"), "{out:?}");
}

#[test]
fn no_token_at_all_is_3_and_a_dead_server_is_5() {
    let dir = config_dir();
    let out = run(crate::pinterest(dir.path()).args([
        "--base-url",
        "http://127.0.0.1:9",
        "user-account",
        "get",
    ]));
    assert_eq!(out.status, 3, "{out:?}");
    assert!(out.stderr.contains("not signed in"), "{out:?}");
    let out = run(crate::pinterest(dir.path()).args([
        "--base-url",
        "http://127.0.0.1:9",
        "--token",
        SECRET_TOKEN,
        "user-account",
        "get",
    ]));
    assert_eq!(out.status, 5, "{out:?}");
    assert!(!out.stderr.contains(SECRET_TOKEN), "{out:?}");
}

#[test]
fn help_lists_the_exit_statuses() {
    let dir = config_dir();
    let out = run(crate::pinterest(dir.path()).arg("--help"));
    assert_eq!(out.status, 0, "{out:?}");
    assert!(out.stdout.contains("Exit status:"), "{out:?}");
    assert!(out.stdout.contains("4  rate limited"), "{out:?}");
}
