//! `--all`: every page through the bookmark, one item a JSON line.

use crate::Stand;

/// A new board with `count` pins on it (titled `Soup 0`…), made through the tool; its id.
pub fn board_with_pins(stand: &Stand, count: usize) -> String {
    let board = stand.run(&["boards", "create", "--name", "Soups"]).json();
    let board_id = board["id"].as_str().expect("a board id").to_string();
    let media = stand.dir.path().join("media.json");
    std::fs::write(
        &media,
        r#"{"media_source": {"source_type": "image_url", "url": "https://example.com/soup.png"}}"#,
    )
    .expect("body file");
    for n in 0..count {
        let title = format!("Soup {n}");
        let pin = stand.run(&[
            "pins",
            "create",
            "--board-id",
            &board_id,
            "--title",
            &title,
            "--body",
            media.to_str().expect("utf-8"),
        ]);
        assert_eq!(pin.status, 0, "{pin:?}");
    }
    board_id
}

#[test]
fn all_follows_the_bookmark_and_prints_json_lines() {
    let stand = Stand::start();
    stand.sign_in(&["boards:read", "boards:write", "pins:read", "pins:write"]);
    let board_id = board_with_pins(&stand, 5);
    let out = stand.run(&[
        "boards",
        "list-pins",
        "--board-id",
        &board_id,
        "--page-size",
        "2",
        "--all",
    ]);
    assert_eq!(out.status, 0, "{out:?}");
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 5, "{out:?}");
    let mut titles: Vec<&str> = lines.iter().filter_map(|p| p["title"].as_str()).collect();
    titles.sort();
    assert_eq!(titles, ["Soup 0", "Soup 1", "Soup 2", "Soup 3", "Soup 4"]);
    assert_eq!(
        stand
            .standin
            .counters()
            .route("GET /v5/boards/{board_id}/pins"),
        3
    );

    // Without --all: the first page, bookmark and all.
    let first = stand.run(&[
        "boards",
        "list-pins",
        "--board-id",
        &board_id,
        "--page-size",
        "2",
    ]);
    assert_eq!(first.json()["items"].as_array().map(Vec::len), Some(2));
    assert!(first.json()["bookmark"].is_string());
}

#[test]
fn all_on_an_operation_that_does_not_page_is_refused() {
    let stand = Stand::start();
    stand.sign_in(&["user_accounts:read"]);
    let out = stand.run(&["call", "user_account/get", "--all"]);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stderr.contains("does not page"), "{out:?}");
    assert_eq!(stand.standin.counters().route("GET /v5/user_account"), 0);
}
