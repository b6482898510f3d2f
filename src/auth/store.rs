//! Where tokens are kept between runs.

use crate::auth::Token;
use std::fmt;
use std::future::Future;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The future a [`TokenStore`] method returns.
///
/// ```
/// let ready: pinterest_v5::auth::StoreFuture<'static, ()> = Box::pin(async { Ok(()) });
/// # let _ = ready;
/// ```
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

/// Keeps one token (an app's grant for one user) between runs.
///
/// Implement it for a database, a secret manager or a keychain; the methods return boxed
/// futures so that a store can sit behind `Arc<dyn TokenStore>`.
///
/// ```
/// use pinterest_v5::auth::Token;
/// use pinterest_v5::auth::{StoreFuture, TokenStore};
///
/// /// A store that forgets everything (for illustration).
/// struct Forgetful;
///
/// impl TokenStore for Forgetful {
///     fn load(&self) -> StoreFuture<'_, Option<Token>> {
///         Box::pin(async { Ok(None) })
///     }
///     fn save<'a>(&'a self, _token: &'a Token) -> StoreFuture<'a, ()> {
///         Box::pin(async { Ok(()) })
///     }
/// }
/// ```
pub trait TokenStore: Send + Sync {
    /// The stored token, or `None` when nothing was saved yet.
    ///
    /// ```no_run
    /// # async fn run() -> std::io::Result<()> {
    /// use pinterest_v5::auth::{FileStore, TokenStore};
    /// let token = FileStore::new("token.json").load().await?;
    /// # Ok(()) }
    /// ```
    fn load(&self) -> StoreFuture<'_, Option<Token>>;

    /// Replaces the stored token. When it fails, the previously stored token must still be
    /// there.
    ///
    /// ```no_run
    /// # async fn run() -> std::io::Result<()> {
    /// use pinterest_v5::{auth::Token, auth::{FileStore, TokenStore}};
    /// FileStore::new("token.json").save(&Token::new("pina_test")).await?;
    /// # Ok(()) }
    /// ```
    fn save<'a>(&'a self, token: &'a Token) -> StoreFuture<'a, ()>;

    /// Takes the store's exclusive lock for one refresh, waiting (for a bounded time) while
    /// another holder has it; `None` when the store has no such lock (the default).
    ///
    /// Pinterest's refresh tokens rotate: a refresh spends the refresh token it sends, so two
    /// processes that share a stored token and refresh it at once would each spend the same
    /// one, and the second would be refused (the user would have to authorize the app again).
    /// A store shared by several processes returns a lock that excludes every other process
    /// for as long as it is held, and fails (rather than waiting forever) when it cannot get
    /// it. While it holds the lock, the [`TokenManager`](crate::auth::TokenManager) reads the
    /// store again: a token another process saved meanwhile is used as it is, and only a
    /// token that still needs it is refreshed (then saved, then the lock is dropped).
    ///
    /// A store of one process (like [`MemoryStore`]) keeps the default: the manager refreshes
    /// one at a time by itself, and does not read the store again.
    ///
    /// ```no_run
    /// # async fn run() -> std::io::Result<()> {
    /// use pinterest_v5::auth::{FileStore, TokenStore};
    /// let store = FileStore::new("token.json");
    /// let lock = store.lock_for_refresh().await?; // `token.json.lock`, until dropped
    /// assert!(lock.is_some());
    /// # Ok(()) }
    /// ```
    fn lock_for_refresh(&self) -> StoreFuture<'_, Option<RefreshLock>> {
        Box::pin(async { Ok(None) })
    }
}

// The forwarding impls forward every method: one left to its default would silently drop the
// lock of the store behind it.

impl<T: TokenStore + ?Sized> TokenStore for Arc<T> {
    fn load(&self) -> StoreFuture<'_, Option<Token>> {
        (**self).load()
    }

    fn save<'a>(&'a self, token: &'a Token) -> StoreFuture<'a, ()> {
        (**self).save(token)
    }

    fn lock_for_refresh(&self) -> StoreFuture<'_, Option<RefreshLock>> {
        (**self).lock_for_refresh()
    }
}

impl<T: TokenStore + ?Sized> TokenStore for Box<T> {
    fn load(&self) -> StoreFuture<'_, Option<Token>> {
        (**self).load()
    }

    fn save<'a>(&'a self, token: &'a Token) -> StoreFuture<'a, ()> {
        (**self).save(token)
    }

    fn lock_for_refresh(&self) -> StoreFuture<'_, Option<RefreshLock>> {
        (**self).lock_for_refresh()
    }
}

impl<T: TokenStore + ?Sized> TokenStore for &T {
    fn load(&self) -> StoreFuture<'_, Option<Token>> {
        (**self).load()
    }

    fn save<'a>(&'a self, token: &'a Token) -> StoreFuture<'a, ()> {
        (**self).save(token)
    }

    fn lock_for_refresh(&self) -> StoreFuture<'_, Option<RefreshLock>> {
        (**self).lock_for_refresh()
    }
}

/// A store's exclusive lock for one refresh (see [`TokenStore::lock_for_refresh`]), released
/// when dropped.
///
/// It wraps whatever holds the lock (a locked file, a database transaction, a lease) and
/// drops it with itself, so a store of your own can return one.
///
/// ```
/// use pinterest_v5::auth::RefreshLock;
///
/// /// Releases the lock of a store of one's own when dropped.
/// struct Lease;
///
/// impl Drop for Lease {
///     fn drop(&mut self) {
///         // release the lease here
///     }
/// }
///
/// let lock = RefreshLock::new(Lease);
/// drop(lock); // the lease is released
/// ```
pub struct RefreshLock {
    _held: Box<dyn Send>,
}

impl RefreshLock {
    /// A lock held by `held`, released when `held` is dropped.
    ///
    /// ```
    /// let lock = pinterest_v5::auth::RefreshLock::new(std::sync::Arc::new(()));
    /// # let _ = lock;
    /// ```
    pub fn new(held: impl Send + 'static) -> Self {
        RefreshLock {
            _held: Box::new(held),
        }
    }
}

impl fmt::Debug for RefreshLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshLock").finish_non_exhaustive()
    }
}

/// A store in memory (lost when the process ends). Clones share the same token, so a test or
/// an application can keep a handle and look at what the token manager saved.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use pinterest_v5::auth::Token;
/// use pinterest_v5::auth::{MemoryStore, TokenStore};
/// let store = MemoryStore::new();
/// store.save(&Token::new("a")).await.unwrap();
/// assert_eq!(store.get().unwrap().access_token().secret(), "a");
/// # });
/// ```
#[derive(Clone, Default)]
pub struct MemoryStore {
    token: Arc<Mutex<Option<Token>>>,
}

impl MemoryStore {
    /// An empty store.
    ///
    /// ```
    /// assert!(pinterest_v5::auth::MemoryStore::new().get().is_none());
    /// ```
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// A store holding `token`.
    ///
    /// ```
    /// use pinterest_v5::{auth::Token, auth::MemoryStore};
    /// assert!(MemoryStore::with_token(Token::new("a")).get().is_some());
    /// ```
    pub fn with_token(token: Token) -> Self {
        MemoryStore {
            token: Arc::new(Mutex::new(Some(token))),
        }
    }

    /// The token held now.
    ///
    /// ```
    /// assert!(pinterest_v5::auth::MemoryStore::new().get().is_none());
    /// ```
    pub fn get(&self) -> Option<Token> {
        self.token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Token's Debug hides the secrets.
        f.debug_struct("MemoryStore")
            .field("token", &self.get())
            .finish()
    }
}

impl TokenStore for MemoryStore {
    fn load(&self) -> StoreFuture<'_, Option<Token>> {
        let token = self.get();
        Box::pin(async move { Ok(token) })
    }

    fn save<'a>(&'a self, token: &'a Token) -> StoreFuture<'a, ()> {
        *self.token.lock().unwrap_or_else(PoisonError::into_inner) = Some(token.clone());
        Box::pin(async { Ok(()) })
    }
}

/// A store in a JSON file.
///
/// Each save writes a temporary file in the same directory, flushes it to disk, then renames
/// it over the old file (see [`write_atomically`]): a reader sees the old token or the new
/// one, never a partial file, and a failed save leaves the old file as it was. On Unix the
/// file is created with mode `0600` (readable by its owner only). A process killed midway
/// through a save leaves its temporary file (a copy of the token) behind; the next save or
/// load removes it.
///
/// Several processes may share the file: a refresh locks the sibling file `<file>.lock` (an
/// OS file lock, released when the refresh is saved, or when its process ends however it
/// ends), so that one process refreshes and the others use the token it saved (see
/// [`TokenStore::lock_for_refresh`]). The lock file holds nothing and is left in place.
///
/// A missing file loads as no token. A file that is not a token (corrupt, or written by
/// something else) is an error naming the file and saying to authorize the app again.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use pinterest_v5::auth::{FileStore, TokenStore};
/// let store = FileStore::new("pinterest-token.json");
/// match store.load().await? {
///     Some(token) => println!("loaded a token expiring {:?}", token.expires_at()),
///     None => println!("no token yet: authorize the app first"),
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct FileStore {
    path: PathBuf,
    lock_timeout: Duration,
}

impl FileStore {
    /// A store in the file at `path` (created at the first save).
    ///
    /// ```
    /// let store = pinterest_v5::auth::FileStore::new("/var/lib/app/pinterest-token.json");
    /// assert_eq!(store.path().file_name().unwrap(), "pinterest-token.json");
    /// ```
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileStore {
            path: path.into(),
            lock_timeout: Self::DEFAULT_LOCK_TIMEOUT,
        }
    }

    /// How long a refresh waits by default for another process's refresh of the same file:
    /// 90 seconds, longer than a token request may take (60 seconds by default,
    /// [`OAuthApp::request_timeout`](crate::auth::OAuthApp::request_timeout)) plus its save.
    ///
    /// ```
    /// use pinterest_v5::auth::FileStore;
    /// assert_eq!(FileStore::DEFAULT_LOCK_TIMEOUT.as_secs(), 90);
    /// ```
    pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(90);

    /// How long a refresh waits for the lock while another process holds it (default
    /// [`FileStore::DEFAULT_LOCK_TIMEOUT`]); past it, the refresh fails with an error of kind
    /// [`TimedOut`](io::ErrorKind::TimedOut) naming the lock file, and the token is left as
    /// it was. `Duration::MAX` waits as long as it takes.
    ///
    /// ```
    /// use std::time::Duration;
    /// let store = pinterest_v5::auth::FileStore::new("token.json").lock_timeout(Duration::from_secs(10));
    /// # let _ = store;
    /// ```
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// The file's path.
    ///
    /// ```
    /// let store = pinterest_v5::auth::FileStore::new("t.json");
    /// assert_eq!(store.path(), std::path::Path::new("t.json"));
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file a refresh locks: the token file's path with `.lock` appended. The token file
    /// itself is never locked: each save replaces it by another file.
    ///
    /// ```
    /// let store = pinterest_v5::auth::FileStore::new("/var/lib/app/token.json");
    /// assert_eq!(store.lock_path(), std::path::Path::new("/var/lib/app/token.json.lock"));
    /// ```
    pub fn lock_path(&self) -> PathBuf {
        let mut path = self.path.clone().into_os_string();
        path.push(".lock");
        PathBuf::from(path)
    }
}

impl TokenStore for FileStore {
    fn load(&self) -> StoreFuture<'_, Option<Token>> {
        let path = self.path.clone();
        Box::pin(async move {
            let read = tokio::task::spawn_blocking(move || {
                remove_leftovers(&path);
                std::fs::read(&path)
            })
            .await
            .map_err(|e| io::Error::other(format!("the token file reader stopped: {e}")))?;
            let bytes = match read {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => {
                    return Err(io::Error::new(
                        e.kind(),
                        format!("cannot read the token file {}: {e}", self.path.display()),
                    ));
                }
            };
            let not_a_token = |why: String| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "the token file {} does not hold a token ({why}): it is corrupt or was written by something else; authorize the app again (`pinterest auth login`), or delete the file and save a new token",
                        self.path.display(),
                    ),
                )
            };
            // A token is saved as a JSON object; serde would also read a struct from an array.
            if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
                return Err(not_a_token("not a JSON object".into()));
            }
            serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                // The message names the place only: serde's own text could quote a secret.
                not_a_token(format!(
                    "JSON error at line {}, column {}",
                    e.line(),
                    e.column()
                ))
            })
        })
    }

    fn save<'a>(&'a self, token: &'a Token) -> StoreFuture<'a, ()> {
        let bytes = serde_json::to_vec_pretty(token).map_err(io::Error::other);
        let path = self.path.clone();
        Box::pin(async move {
            let bytes = bytes?;
            tokio::task::spawn_blocking(move || {
                write_atomically(&path, |file| file.write_all(&bytes))
            })
            .await
            .map_err(|e| io::Error::other(format!("the token file writer stopped: {e}")))?
        })
    }

    fn lock_for_refresh(&self) -> StoreFuture<'_, Option<RefreshLock>> {
        let lock_path = self.lock_path();
        let timeout = self.lock_timeout;
        Box::pin(async move {
            // The wait runs on the blocking pool, polling the lock: it needs no timer from the
            // runtime, and stops within one pause once the refresh waiting for it is dropped.
            let waiting = Arc::new(AtomicBool::new(true));
            let _stop_when_dropped = StopWaiting(Arc::clone(&waiting));
            let file =
                tokio::task::spawn_blocking(move || lock_file(&lock_path, timeout, &waiting))
                    .await
                    .map_err(|e| {
                        io::Error::other(format!("the token file locker stopped: {e}"))
                    })??;
            Ok(Some(RefreshLock::new(file)))
        })
    }
}

/// Tells the wait of [`lock_file`] to give up when dropped.
struct StopWaiting(Arc<AtomicBool>);

impl Drop for StopWaiting {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

/// Opens (creating it, mode `0600` on Unix) and locks the lock file at `path`, waiting at most
/// `timeout` while another process holds it, and while `waiting` stays true. The lock is
/// released when the file is closed.
fn lock_file(path: &Path, timeout: Duration, waiting: &AtomicBool) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "cannot open the token file's lock {} to refresh the token: {e}",
                path.display()
            ),
        )
    })?;
    // A timeout too long to reach (`Duration::MAX`) waits without a deadline.
    let deadline = Instant::now().checked_add(timeout);
    let mut pause = Duration::from_millis(2);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!(
                        "cannot lock the token file's lock {} to refresh the token: {e}",
                        path.display()
                    ),
                ));
            }
        }
        let now = Instant::now();
        if deadline.is_some_and(|deadline| now >= deadline) {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "the token file's lock {} was not released within {:?}: another process sharing the token is refreshing it, or is stuck; the token is left as it was: try again, stop that process, or wait longer (FileStore::lock_timeout)",
                    path.display(),
                    timeout
                ),
            ));
        }
        if !waiting.load(Ordering::Relaxed) {
            return Err(io::Error::other(format!(
                "the refresh waiting for the lock {} was dropped",
                path.display()
            )));
        }
        let left = deadline.map_or(pause, |deadline| deadline - now);
        std::thread::sleep(pause.min(left));
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// Replaces the file at `path` with what `contents` writes, atomically: the bytes go to a new
/// temporary file in the same directory (`.<name>.<random>.tmp`, mode `0600` on Unix), which
/// is flushed to disk and then renamed over `path`; the directory is flushed too. If
/// `contents` or any step fails, the temporary file is removed and the file at `path` is
/// untouched.
///
/// A process killed midway leaves its temporary file behind, holding what it was writing (for
/// a token store, a whole token): each write first removes the temporary files an earlier
/// one left beside `path` (as does [`FileStore`]'s load). Writes in one process run one at a
/// time, so none removes another's; a write of another process to the same file at the same
/// moment may lose its temporary file that way and fail (the file at `path` stays whole).
///
/// This is how [`FileStore`] saves; it is public for applications that keep other secrets
/// the same way.
///
/// ```
/// use std::io::Write;
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("secret.txt");
/// pinterest_v5::auth::write_atomically(&path, |file| file.write_all(b"one"))?;
/// let failed = pinterest_v5::auth::write_atomically(&path, |file| {
///     file.write_all(b"tw")?;
///     Err(std::io::Error::other("disk full"))
/// });
/// assert!(failed.is_err());
/// assert_eq!(std::fs::read(&path)?, b"one");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_atomically(
    path: &Path,
    contents: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let (dir, name) = dir_and_name(path)?;
    let _one_at_a_time = WRITING.lock().unwrap_or_else(PoisonError::into_inner);
    remove_leftovers_of(&dir, name);
    let temp = dir.join(temp_name(name, &uuid::Uuid::new_v4().simple().to_string()));
    let context = |step: &str, e: io::Error| {
        io::Error::new(
            e.kind(),
            format!(
                "cannot {step} {} (the old file is untouched): {e}",
                path.display()
            ),
        )
    };
    let mut file =
        create_private(&temp).map_err(|e| context("create a temporary file beside", e))?;
    let written = contents(&mut file)
        .and_then(|()| file.flush())
        .map_err(|e| context("write", e))
        .and_then(|()| file.sync_all().map_err(|e| context("flush to disk", e)));
    drop(file);
    let renamed =
        written.and_then(|()| std::fs::rename(&temp, path).map_err(|e| context("replace", e)));
    if let Err(e) = renamed {
        // Best effort: a leftover is removed by the next write or load.
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    sync_dir(&dir);
    Ok(())
}

/// Held by every [`write_atomically`] in the process, and by a load's clean-up, so that none
/// removes the temporary file of a write under way.
static WRITING: Mutex<()> = Mutex::new(());

/// The directory of `path` (`.` for a bare name) and its file name.
fn dir_and_name(path: &Path) -> io::Result<(PathBuf, &std::ffi::OsStr)> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{}` does not name a file", path.display()),
        )
    })?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, name))
}

/// `.<name>.<tag>.tmp`: the temporary file of a write to `name`.
fn temp_name(name: &std::ffi::OsStr, tag: &str) -> std::ffi::OsString {
    let mut temp = std::ffi::OsString::from(".");
    temp.push(name);
    temp.push(".");
    temp.push(tag);
    temp.push(".tmp");
    temp
}

/// Removes the temporary files that writes to `path` killed midway left behind (best effort:
/// a load or a write goes on whatever happens here).
fn remove_leftovers(path: &Path) {
    if let Ok((dir, name)) = dir_and_name(path) {
        let _one_at_a_time = WRITING.lock().unwrap_or_else(PoisonError::into_inner);
        remove_leftovers_of(&dir, name);
    }
}

/// [`remove_leftovers`] with [`WRITING`] held: removes every `.<name>.<32 hex digits>.tmp`
/// of `dir`.
fn remove_leftovers_of(dir: &Path, name: &std::ffi::OsStr) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = temp_name(name, "");
    let Some(prefix) = prefix.to_str().and_then(|p| p.strip_suffix(".tmp")) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let is_leftover = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(prefix))
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .is_some_and(|tag| tag.len() == 32 && tag.bytes().all(|b| b.is_ascii_hexdigit()));
        if is_leftover {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Creates a new file readable by its owner only (Unix), failing if it exists.
fn create_private(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Flushes a directory's entries (the rename) to disk. Not every platform can open a
/// directory; the rename itself has happened either way.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
