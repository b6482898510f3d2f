//! Token stores: the in-memory store, and the file store that replaces its file atomically
//! (temporary file in the same directory, flushed, renamed), with mode 0600, and never leaves
//! a partial file: a save that fails keeps the previous token, and a save killed midway leaves
//! no copy of the token that the next save or load does not remove; a file that is not a token
//! is an error that says what to do; and the file store's refresh lock, through every wrapper.

use pinterest_v5::auth::{FileStore, MemoryStore, TokenStore, write_atomically};
use pinterest_v5::auth::{Scope, Token};
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
    assert!(text.contains("`pinterest auth login`"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
}

#[tokio::test]
async fn a_foreign_or_empty_file_is_an_error_that_names_the_file_and_says_to_log_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("token.json");
    let foreign: [&[u8]; 5] = [
        // Another program's settings.
        br#"{"version": 3, "profiles": ["default"]}"#,
        br#"["pina_SECRET"]"#,
        b"access_token = \"pina_SECRET\"\n",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        b"",
    ];
    for bytes in foreign {
        std::fs::write(&path, bytes).expect("write");
        let err = FileStore::new(&path).load().await.expect_err("not a token");
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "{err}");
        let text = err.to_string();
        assert!(text.contains(&path.display().to_string()), "{text}");
        assert!(text.contains("`pinterest auth login`"), "{text}");
        assert!(text.contains("delete the file"), "{text}");
        assert!(!text.contains("SECRET"), "{text}");
    }
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

// ----- the refresh lock -----------------------------------------------------------------------

/// How long a lock test lets a store wait for a lock held elsewhere.
const SHORT: std::time::Duration = std::time::Duration::from_millis(300);

/// Asserts that `store` cannot take its refresh lock now: it waits [`SHORT`], then fails
/// naming the lock file.
async fn assert_locked_out(store: &FileStore) {
    let started = std::time::Instant::now();
    let err = store
        .clone()
        .lock_timeout(SHORT)
        .lock_for_refresh()
        .await
        .expect_err("the lock is held elsewhere");
    assert!(started.elapsed() >= SHORT, "gave up early");
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut, "{err}");
    let text = err.to_string();
    assert!(
        text.contains(&store.lock_path().display().to_string()),
        "{text}"
    );
    assert!(text.contains("FileStore::lock_timeout"), "{text}");
}

#[tokio::test]
async fn a_file_store_refresh_lock_waits_for_another_holder_and_times_out_clearly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("token.json");
    let store = FileStore::new(&path);
    store.save(&token(1)).await.expect("save");

    let held = FileStore::new(&path)
        .lock_for_refresh()
        .await
        .expect("lock")
        .expect("a file store locks");
    // A sibling file is locked, never the token file (which each save replaces).
    assert_eq!(store.lock_path(), dir.path().join("token.json.lock"));
    assert_eq!(entries(dir.path()), vec!["token.json", "token.json.lock"]);
    assert_locked_out(&store).await;
    // Saves and loads do not wait for the lock.
    store.save(&token(2)).await.expect("save while locked");
    assert_eq!(store.load().await.expect("load"), Some(token(2)));

    // Released when dropped: a waiter gets it as soon as it is free, one with no deadline too.
    let waiter = tokio::spawn({
        let store = store.clone().lock_timeout(std::time::Duration::MAX);
        async move { store.lock_for_refresh().await.map(|lock| lock.is_some()) }
    });
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    drop(held);
    let got = tokio::time::timeout(std::time::Duration::from_secs(10), waiter)
        .await
        .expect("the waiter got the lock once it was free")
        .expect("task");
    assert!(got.expect("lock"));
}

#[tokio::test]
async fn a_file_store_behind_an_arc_a_box_or_a_reference_takes_the_same_lock() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("token.json");
    let plain = FileStore::new(&path);
    let arc: std::sync::Arc<dyn TokenStore> = std::sync::Arc::new(FileStore::new(&path));
    let boxed: Box<dyn TokenStore> = Box::new(FileStore::new(&path));
    let arc_of_arc = std::sync::Arc::new(std::sync::Arc::new(FileStore::new(&path)));
    let stores: [(&str, &dyn TokenStore); 4] = [
        ("Arc<dyn TokenStore>", &arc),
        ("Box<dyn TokenStore>", &boxed),
        ("Arc<Arc<FileStore>>", &arc_of_arc),
        ("&&FileStore", &&plain),
    ];
    for (name, store) in stores {
        let lock = store.lock_for_refresh().await.expect("lock");
        assert!(lock.is_some(), "{name} lost the file store's lock");
        assert_locked_out(&plain).await;
        drop(lock);
        drop(
            plain
                .clone()
                .lock_timeout(SHORT)
                .lock_for_refresh()
                .await
                .expect("free again"),
        );
    }
}

#[tokio::test]
async fn a_memory_store_has_no_refresh_lock() {
    let store = MemoryStore::new();
    assert!(store.lock_for_refresh().await.expect("lock").is_none());
}

// ----- a saving process killed midway -----------------------------------------------------------

/// The variable that makes [`a_process_saving_in_a_loop`] save, to the token file it names.
const SAVE_LOOP: &str = "PINTEREST_V5_TEST_SAVE_LOOP";
/// What the saving process prints once its first save is done.
const SAVING: &str = "saving in a loop";

/// Not a test of its own: the child process of
/// [`a_save_killed_midway_leaves_no_copy_of_the_token_after_the_next_save_or_load`], which
/// saves tokens to a file until it is killed.
#[test]
#[ignore = "the child process of another test"]
fn a_process_saving_in_a_loop() {
    let Some(path) = std::env::var_os(SAVE_LOOP) else {
        return;
    };
    let store = FileStore::new(path);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    // Bounded, should the parent die first.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    for n in (0..100_000).take_while(|_| std::time::Instant::now() < deadline) {
        runtime.block_on(store.save(&token(n))).expect("save");
        if n == 0 {
            // Tells the parent that saves are under way (straight to the pipe: the test
            // harness captures what `println!` prints).
            let mut out = std::io::stdout();
            let _ = std::io::Write::write_all(&mut out, format!("{SAVING}\n").as_bytes());
            let _ = std::io::Write::flush(&mut out);
        }
    }
}

/// The temporary files beside `path` that hold a token.
fn copies_of_the_token(dir: &Path) -> Vec<String> {
    entries(dir)
        .into_iter()
        .filter(|name| name != "token.json")
        .filter(|name| {
            std::fs::read_to_string(dir.join(name)).is_ok_and(|text| text.contains("pina_ACCESS"))
        })
        .collect()
}

#[test]
fn a_save_killed_midway_leaves_no_copy_of_the_token_after_the_next_save_or_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("token.json");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let store = FileStore::new(&path);
    let this_binary = std::env::current_exe().expect("the test binary");
    let mut killed_midway = 0;
    let mut kills = 0;
    // Until a few kills landed inside a save (most do: a save is mostly its flush to disk),
    // within a bound.
    while kills < 60 && killed_midway < 5 {
        kills += 1;
        let mut child = std::process::Command::new(&this_binary)
            .args([
                "token_store::a_process_saving_in_a_loop",
                "--exact",
                "--ignored",
                "--test-threads=1",
                "--nocapture",
            ])
            .env(SAVE_LOOP, &path)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the saving process starts");
        // Wait until it saves, then let it save a varying while more.
        let stdout = child.stdout.take().expect("piped");
        let (saving, is_saving) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let found = std::io::BufRead::lines(std::io::BufReader::new(stdout))
                .map_while(Result::ok)
                .any(|line| line.ends_with(SAVING));
            let _ = saving.send(found);
        });
        let started = is_saving.recv_timeout(std::time::Duration::from_secs(60));
        if started != Ok(true) {
            let _ = child.kill();
            panic!("the saving process did not start saving: {started:?}");
        }
        std::thread::sleep(std::time::Duration::from_micros(300 * (kills % 7)));
        child.kill().expect("kill");
        child.wait().expect("the killed process ends");

        if !copies_of_the_token(dir.path()).is_empty() {
            killed_midway += 1;
        }
        // The token file is whole after every kill.
        let whole: Token = serde_json::from_slice(&std::fs::read(&path).expect("token file"))
            .expect("the token file is whole");
        assert!(whole.access_token().secret().starts_with("pina_ACCESS_"));
        // The next load (every other time) or save (the other times) removes what the killed
        // process left.
        if kills % 2 == 0 {
            let loaded = runtime.block_on(store.load()).expect("load");
            assert_eq!(loaded, Some(whole));
        } else {
            runtime.block_on(store.save(&token(0))).expect("save");
        }
        assert_eq!(
            copies_of_the_token(dir.path()),
            Vec::<String>::new(),
            "left after kill {kills}"
        );
        assert_eq!(entries(dir.path()), vec!["token.json".to_string()]);
    }
    assert!(
        killed_midway > 0,
        "none of {kills} kills landed inside a save: the test proved nothing"
    );
}
