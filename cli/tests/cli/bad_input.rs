//! Input the tool refuses before sending anything: a clear message, exit status 2, and not a
//! single request on the wire.

use crate::{against, config_dir, run};
use httpmock::prelude::*;

/// Runs `args` against a server that answers everything, and checks it was never asked.
fn refused(args: &[&str]) -> crate::Run {
    let server = MockServer::start();
    let any = server.mock(|_, then| {
        then.status(200).json_body(serde_json::json!({}));
    });
    let dir = config_dir();
    let out = run(against(&server, dir.path()).args(args));
    assert_eq!(out.status, 2, "{out:?}");
    any.assert_hits(0);
    out
}

#[test]
fn an_unknown_operation_is_named_with_the_way_out() {
    let out = refused(&["call", "pins/frobnicate"]);
    assert!(
        out.stderr.contains("no operation `pins/frobnicate`"),
        "{out:?}"
    );
    assert!(out.stderr.contains("pins/create"), "{out:?}");
}

#[test]
fn a_missing_required_parameter_is_named() {
    let out = refused(&["call", "pins/get"]);
    assert!(out.stderr.contains("pin_id"), "{out:?}");
    // The area subcommand says the same through clap.
    let out = refused(&["pins", "get"]);
    assert!(out.stderr.contains("--pin-id"), "{out:?}");
}

#[test]
fn a_malformed_json_body_is_refused_with_its_place() {
    let dir = config_dir();
    let file = dir.path().join("bad.json");
    std::fs::write(&file, "{\"title\": \"Soup\",}").expect("body file");
    let out = refused(&[
        "call",
        "pins/create",
        "--body",
        file.to_str().expect("utf-8"),
    ]);
    assert!(out.stderr.contains("is not JSON"), "{out:?}");
    assert!(out.stderr.contains("line 1"), "{out:?}");
}

#[test]
fn a_parameter_without_a_value_and_a_wrongly_typed_flag_are_refused() {
    let out = refused(&["call", "pins/get", "-p", "pin_id"]);
    assert!(out.stderr.contains("NAME=VALUE"), "{out:?}");
    let out = refused(&["boards", "list", "--page-size", "many"]);
    assert!(out.stderr.contains("many"), "{out:?}");
}
