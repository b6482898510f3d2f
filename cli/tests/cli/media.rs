//! `pinterest media upload FILE`: the crate's video flow against the stand-in.

use crate::Stand;

#[test]
fn upload_registers_sends_the_file_and_waits_for_processing() {
    let stand = Stand::start();
    stand.sign_in(&["pins:read", "pins:write", "boards:read", "boards:write"]);
    let video = stand.dir.path().join("clip.mp4");
    std::fs::write(&video, vec![7u8; 64 * 1024]).expect("video file");
    let video = video.to_str().expect("UTF-8 path");
    let out = stand.run(&["media", "upload", video, "--poll-interval", "0.05"]);
    assert_eq!(out.status, 0, "{out:?}");
    let media_id = out.json()["media_id"]
        .as_str()
        .expect("a media id")
        .to_string();
    let uploads = stand.standin.uploads();
    assert_eq!(uploads.len(), 1);

    let board = crate::pages::board_with_pins(&stand, 0);
    let pinned = stand.run(&[
        "media",
        "upload",
        video,
        "--poll-interval",
        "0.05",
        "--board-id",
        &board,
        "--title",
        "Soup",
    ]);
    assert_eq!(pinned.status, 0, "{pinned:?}");
    assert_ne!(pinned.json()["media_id"], media_id);
    assert_eq!(pinned.json()["pin"]["board_id"], board.as_str());
    assert_eq!(pinned.json()["pin"]["title"], "Soup");
}

#[test]
fn a_missing_video_is_bad_input() {
    let stand = Stand::start();
    stand.sign_in(&["pins:read", "pins:write"]);
    let out = stand.run(&["media", "upload", "/nowhere/clip.mp4"]);
    assert_eq!(out.status, 2, "{out:?}");
    assert!(out.stderr.contains("/nowhere/clip.mp4"), "{out:?}");
    assert_eq!(stand.standin.counters().route("POST /v5/media"), 0);
}
