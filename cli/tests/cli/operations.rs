//! Area subcommands (`pinterest boards create --name …`): each parameter and simple body field
//! a flag, against the stand-in.

use crate::Stand;

#[test]
fn body_field_flags_and_parameter_flags_make_the_request() {
    let stand = Stand::start();
    stand.sign_in(&["boards:read", "boards:write", "pins:read", "pins:write"]);
    let board = stand.run(&[
        "boards",
        "create",
        "--name",
        "Soups",
        "--description",
        "Warm",
    ]);
    assert_eq!(board.status, 0, "{board:?}");
    let board = board.json();
    assert_eq!(board["name"], "Soups");
    assert_eq!(board["description"], "Warm");
    let id = board["id"].as_str().expect("a board id");

    let got = stand.run(&["boards", "get", "--board-id", id]);
    assert_eq!(got.status, 0, "{got:?}");
    assert_eq!(got.json()["name"], "Soups");
    assert_eq!(
        stand.standin.counters().route("GET /v5/boards/{board_id}"),
        1
    );
}

#[test]
fn flags_set_fields_of_the_body_file() {
    let stand = Stand::start();
    stand.sign_in(&["boards:read", "boards:write", "pins:read", "pins:write"]);
    let board = stand.run(&["boards", "create", "--name", "Soups"]).json();
    let board_id = board["id"].as_str().expect("a board id");
    let media = stand.dir.path().join("media.json");
    std::fs::write(
        &media,
        r#"{"media_source": {"source_type": "image_url", "url": "https://example.com/soup.png"}, "title": "from the file"}"#,
    )
    .expect("body file");
    let pin = stand.run(&[
        "pins",
        "create",
        "--board-id",
        board_id,
        "--title",
        "Tomato",
        "--body",
        media.to_str().expect("utf-8"),
    ]);
    assert_eq!(pin.status, 0, "{pin:?}");
    let pin = pin.json();
    assert_eq!(pin["board_id"], board_id);
    assert_eq!(pin["title"], "Tomato");
}
