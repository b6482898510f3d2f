//! Token stores: the in-memory store, and the file store that replaces its file atomically
//! (temporary file in the same directory, flushed, renamed), with mode 0600, and never leaves
//! a partial file: a save that fails keeps the previous token.

use pinterest_v5::oauth::{Scope, Token};
use pinterest_v5::token::{FileStore, MemoryStore, TokenStore, write_atomically};
use std::path::Path;

fn token(n: u32) -> Token {
    Token::new(format!("pina_ACCESS_{n}"))
        .with_refresh_token(format!("pinr_REFRESH_{n}"))
        .with_scopes(vec![Scope::BoardsRead, Scope::PinsWrite])
        .with_expires_at(at(1_900_000_000 + i64::from(n)))
        .with_refresh_token_expires_at(at(1_905_000_000 + i64::from(n)))
}

fn at(secs: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(secs, 0).expect("a valid time")
}

/// The names in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn memory_store_starts_empty_and_keeps_the_last_saved_token() {
    let store = MemoryStore::new();
    assert_eq!(store.load().await.expect("load"), None);
    store.save(&token(1)).await.expect("save");
    store.save(&token(2)).await.expect("save");
    assert_eq!(store.load().await.expect("load"), Some(token(2)));
    // Clones share the token.
    let handle = store.clone();
    store.save(&token(3)).await.expect("save");
    assert_eq!(handle.get(), Some(token(3)));
}

#[tokio::test]
async fn file_store_without_a_file_loads_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = FileStore::new(dir.path().join("token.json"));
    assert_eq!(
        store.load().await.expect("a missing file is not an error"),
        None
    );
}

#[tokio::test]
async fn file_store_saves_and_loads_the_same_token_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("token.json");
    let store = FileStore::new(&path);
    store.save(&token(1)).await.expect("first save");
    store.save(&token(2)).await.expect("second save replaces");
    assert_eq!(store.load().await.expect("load"), Some(token(2)));
    assert_eq!(entries(dir.path()), vec!["token.json".to_string()]);
    // A fresh store on the same file reads it too.
    assert_eq!(
        FileStore::new(&path).load().await.expect("load"),
        Some(token(2))
    );
}

#[cfg(unix)]
#[tokio::test]
async fn file_store_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("token.json");
    let store = FileStore::new(&path);
    store.save(&token(1)).await.expect("save");
    let mode = std::fs::metadata(&path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");

    // A file made world-readable by someone else becomes 0600 again at the next save.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    store.save(&token(2)).await.expect("save");
    let mode = std::fs::metadata(&path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");
}

#[test]
fn a_write_that_fails_midway_leaves_the_old_file_intact_and_no_temporary_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("token.json");
    let old = serde_json::to_vec_pretty(&token(1)).expect("json");
    write_atomically(&path, |file| file.write_all(&old)).expect("first write");

    let new = serde_json::to_vec_pretty(&token(2)).expect("json");
    let err = write_atomically(&path, |file| {
        // Half the new token reaches the disk, then the device fails.
        file.write_all(&new[..new.len() / 2])?;
        file.flush()?;
        Err(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "no space left on device",
        ))
    })
    .expect_err("the writer failed");

    assert_eq!(err.kind(), std::io::ErrorKind::StorageFull);
    assert!(err.to_string().contains("old file is untouched"), "{err}");
    assert_eq!(
        std::fs::read(&path).expect("old file"),
        old,
        "the old file changed"
    );
    assert_eq!(entries(dir.path()), vec!["token.json".to_string()]);
}

#[tokio::test]
async fn a_file_store_save_that_fails_keeps_the_previous_token() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A name long enough that the temporary file's name (the name plus a random suffix)
    // exceeds the file system's limit: every save fails, whatever the user's privileges
    // (tests may run as root, for whom a read-only directory is no obstacle). The previous
    // token was written there by other means.
    let name = format!("{}.json", "t".repeat(220));
    let path = dir.path().join(&name);
    std::fs::write(&path, serde_json::to_vec_pretty(&token(1)).expect("json")).expect("old file");
    let store = FileStore::new(&path);
    let before = std::fs::read(&path).expect("file");

    let err = store
        .save(&token(2))
        .await
        .expect_err("the temporary file cannot be created");
    assert!(err.to_string().contains("old file is untouched"), "{err}");
    assert_eq!(std::fs::read(&path).expect("file"), before);
    assert_eq!(store.load().await.expect("load"), Some(token(1)));
    assert_eq!(entries(dir.path()), vec![name]);
}

#[tokio::test]
async fn a_file_store_in_a_missing_directory_says_where_it_failed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("no-such-dir").join("token.json");
    let err = FileStore::new(&path)
        .save(&token(1))
        .await
        .expect_err("no directory");
    assert!(err.to_string().contains("token.json"), "{err}");
    assert!(!path.exists());
}

#[tokio::test]
async fn a_corrupt_token_file_is_an_error_that_names_the_file_and_no_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("token.json");
    // Truncated, and with the access token in a place serde would quote.
    std::fs::write(
        &path,
        br#"{"access_token": 12, "refresh_token": "pinr_SECRET", "scopes": "pina_SECRET"#,
    )
    .expect("write");
    let err = FileStore::new(&path).load().await.expect_err("corrupt");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    let text = err.to_string();
    assert!(text.contains("token.json"), "{text}");
    assert!(text.contains("authorize the app again"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
}

#[tokio::test]
async fn file_store_reads_a_token_with_unknown_fields_and_scopes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("token.json");
    std::fs::write(
        &path,
        br#"{"access_token":"pina_A","refresh_token":"pinr_R","scopes":["pins:read","new:scope"],"written_by":"v9"}"#,
    )
    .expect("write");
    let loaded = FileStore::new(&path)
        .load()
        .await
        .expect("load")
        .expect("a token");
    assert_eq!(loaded.access_token().secret(), "pina_A");
    assert_eq!(
        loaded.scopes(),
        &[Scope::PinsRead, Scope::Other("new:scope".into())]
    );
}
