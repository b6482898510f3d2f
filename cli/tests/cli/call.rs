//! `pinterest call OPERATION_ID`: parameters by the description's name put where it says
//! (path, query, repeated for an array), a JSON body from a file or stdin, the reply on stdout.

use crate::{SECRET_TOKEN, against, config_dir, run, run_with_stdin};
use httpmock::prelude::*;

#[test]
fn path_query_and_array_parameters_go_where_the_description_says() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(GET)
            .path("/ad_accounts/12/ad_groups/analytics")
            .header("authorization", format!("Bearer {SECRET_TOKEN}"))
            .query_param("start_date", "2026-01-01")
            .query_param("end_date", "2026-01-31")
            .query_param("granularity", "DAY")
            .query_param("ad_group_ids", "1")
            .query_param("ad_group_ids", "2");
        then.status(200)
            .json_body(serde_json::json!([{"AD_GROUP_ID": "1"}]));
    });
    let dir = config_dir();
    let out = run(against(&server, dir.path()).args([
        "call",
        "ad_groups/analytics",
        "-p",
        "ad_account_id=12",
        "-p",
        "start_date=2026-01-01",
        "-p",
        "end_date=2026-01-31",
        "-p",
        "granularity=DAY",
        "-p",
        "columns=SPEND_IN_DOLLAR",
        "-p",
        "ad_group_ids=1",
        "-p",
        "ad_group_ids=2",
    ]));
    assert_eq!(out.status, 0, "{out:?}");
    mock.assert();
    assert_eq!(out.json(), serde_json::json!([{"AD_GROUP_ID": "1"}]));
    // Not a terminal: compact, one line.
    assert_eq!(out.stdout.lines().count(), 1, "{out:?}");
}

#[test]
fn the_body_comes_from_a_file_or_stdin_and_the_method_name_works_too() {
    let server = MockServer::start();
    let body = serde_json::json!({"board_id": "7", "title": "Soup", "media_source": {"source_type": "image_url", "url": "https://example.com/a.png"}});
    let mock = server.mock(|when, then| {
        when.method(POST).path("/pins").json_body(body.clone());
        then.status(201)
            .json_body(serde_json::json!({"id": "99", "title": "Soup"}));
    });
    let dir = config_dir();
    let file = dir.path().join("pin.json");
    std::fs::write(&file, body.to_string()).expect("body file");
    let from_file = run(against(&server, dir.path()).args([
        "call",
        "pins/create",
        "--body",
        file.to_str().expect("utf-8 path"),
    ]));
    assert_eq!(from_file.status, 0, "{from_file:?}");
    assert_eq!(from_file.json()["id"], "99");
    let from_stdin = run_with_stdin(
        against(&server, dir.path()).args(["call", "pins_create", "--body", "-"]),
        &body.to_string(),
    );
    assert_eq!(from_stdin.status, 0, "{from_stdin:?}");
    mock.assert_hits(2);
}
