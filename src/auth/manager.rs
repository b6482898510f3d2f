//! [`TokenManager`]: the bearer of every request, kept fresh (see the [`crate::auth`] docs).

use crate::auth::TokenStore;
use crate::auth::{OAuthApp, OAuthError, Token};
use crate::operation::Operation;
use crate::{Environment, Error};
use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use reqwest::header::HeaderValue;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

use crate::auth::AccessToken;

/// Supplies the bearer token of every request a [`crate::Client`] makes, refreshing it when it
/// can (see the [`crate::auth`] docs).
///
/// ```no_run
/// # async fn run() -> pinterest_v5::Result<()> {
/// use pinterest_v5::{Client, auth::TokenManager, auth::OAuthApp, auth::FileStore};
/// let app = OAuthApp::from_env()?;
/// let manager = TokenManager::load(app, FileStore::new("pinterest-token.json")).await?;
/// let client = Client::builder().token_manager(manager).build()?;
/// let me = client.user_account_get().send().await?;
/// # Ok(()) }
/// ```
pub struct TokenManager {
    kind: Kind,
}

enum Kind {
    /// A bare access token: sent as is, never refreshed. Its `Authorization` value is built
    /// once (`None`: the token cannot be a header value, which each request then reports).
    Fixed(AccessToken, Option<HeaderValue>),
    /// A token refreshed through an app.
    Managed(Arc<Core>),
}

/// What a refresh shares with the task it runs on.
struct Core {
    app: OAuthApp,
    store: Option<Arc<dyn TokenStore>>,
    margin: Duration,
    /// The client's environment, used when the app names none.
    environment: OnceLock<Environment>,
    /// The client's HTTP client, used when the app brings none.
    http: OnceLock<reqwest::Client>,
    state: Mutex<State>,
}

struct State {
    /// The token requests use.
    token: Token,
    /// A refreshed token not saved yet (its save failed, was interrupted, or is under way):
    /// saved (then used) by the next refresh.
    unsaved: Option<Token>,
    /// The refresh under way (with its number), shared by everyone waiting for it.
    in_flight: Option<(u64, Flight)>,
    /// How many refreshes were started: numbers them, so that a refresh's end clears its own
    /// record and never a later one's.
    flights: u64,
}

/// Clears the record of refresh `id` when dropped, unless a later refresh replaced it.
struct FlightEnded {
    core: Arc<Core>,
    id: u64,
}

impl FlightEnded {
    fn clear(&self, state: &mut State) {
        if state
            .in_flight
            .as_ref()
            .is_some_and(|(id, _)| *id == self.id)
        {
            state.in_flight = None;
        }
    }
}

impl Drop for FlightEnded {
    fn drop(&mut self) {
        let mut state = self.core.lock();
        self.clear(&mut state);
    }
}

type Flight = Shared<BoxFuture<'static, Result<Token, Error>>>;

impl fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Fixed(token, _) => f
                .debug_struct("TokenManager")
                .field("access_token", token)
                .field("refreshes", &false)
                .finish(),
            Kind::Managed(core) => {
                let state = core.lock();
                f.debug_struct("TokenManager")
                    .field("app", &core.app)
                    .field("token", &state.token)
                    .field("unsaved", &state.unsaved.is_some())
                    .field("refreshing", &state.in_flight.is_some())
                    .field("margin", &core.margin)
                    .field("store", &core.store.is_some())
                    .finish()
            }
        }
    }
}

/// The `Authorization` header of one request (see [`TokenManager::authorization`]).
pub(crate) struct Authorization {
    /// `Bearer <access token>`, marked sensitive.
    pub(crate) header: HeaderValue,
    /// The access token sent, when it can be refreshed after a 401.
    pub(crate) token: Option<AccessToken>,
}

/// `Bearer <token>` as a sensitive header value, or why the token cannot be one.
fn bearer_header(token: &AccessToken) -> Result<HeaderValue, Error> {
    let secret = token.secret().as_bytes();
    let mut value = Vec::with_capacity(b"Bearer ".len() + secret.len());
    value.extend_from_slice(b"Bearer ");
    value.extend_from_slice(secret);
    let mut header = HeaderValue::from_maybe_shared(bytes::Bytes::from(value))
        .map_err(|_| Error::Config("the access token is not a valid header value".into()))?;
    header.set_sensitive(true);
    Ok(header)
}

/// The `Authorization` of a request for `op` when only the app's own credentials authorise
/// it (every security scheme it names is HTTP Basic: the generated list
/// `APP_CREDENTIAL_SCHEMES`, read off the description): the app's Basic credentials, or an
/// error before anything is sent when the client has no app. None for every other operation.
pub(crate) fn app_authorization(
    manager: Option<&TokenManager>,
    op: Option<&Operation>,
) -> Result<Option<HeaderValue>, Error> {
    let Some(op) = op.filter(|op| op.needs_app_credentials()) else {
        return Ok(None);
    };
    match manager.map(|m| &m.kind) {
        Some(Kind::Managed(core)) => core.app.basic_authorization().map(Some),
        Some(Kind::Fixed(..)) | None => Err(Error::Config(format!(
            "`{}` is authorised by the app's client id and secret (HTTP Basic), which this client does not have: use `OAuthApp::revoke` to revoke a token and `OAuthApp::exchange_code`, `refresh` or `client_credentials` for the token endpoint, or give the client a `TokenManager` built with the app",
            op.name
        ))),
    }
}

impl TokenManager {
    /// The default margin: refresh when the access token expires within 5 minutes.
    ///
    /// ```
    /// use pinterest_v5::auth::TokenManager;
    /// assert_eq!(TokenManager::DEFAULT_MARGIN.as_secs(), 300);
    /// ```
    pub const DEFAULT_MARGIN: Duration = Duration::from_secs(5 * 60);

    /// A manager for a bare access token (for example the 24-hour test token of the
    /// developer portal), sent as is and never refreshed.
    ///
    /// ```
    /// let manager = pinterest_v5::auth::TokenManager::from_access_token("pina_test");
    /// assert!(!manager.can_refresh());
    /// ```
    pub fn from_access_token(token: impl Into<String>) -> Self {
        let token = AccessToken::new(token);
        let header = bearer_header(&token).ok();
        TokenManager {
            kind: Kind::Fixed(token, header),
        }
    }

    /// A manager that refreshes `token` through `app`, keeping new tokens in memory only (add
    /// a store with [`TokenManager::store`]).
    ///
    /// ```
    /// use pinterest_v5::{auth::TokenManager, auth::{OAuthApp, Token}};
    /// let app = OAuthApp::new("id", "secret", "https://example.com/cb");
    /// let manager = TokenManager::new(app, Token::new("a").with_refresh_token("r"));
    /// assert!(manager.can_refresh());
    /// ```
    pub fn new(app: OAuthApp, token: Token) -> Self {
        TokenManager {
            kind: Kind::Managed(Arc::new(Core {
                app,
                store: None,
                margin: Self::DEFAULT_MARGIN,
                environment: OnceLock::new(),
                http: OnceLock::new(),
                state: Mutex::new(State {
                    token,
                    unsaved: None,
                    in_flight: None,
                    flights: 0,
                }),
            })),
        }
    }

    /// A manager for the token kept in `store`, saving each new token there.
    ///
    /// Fails with [`Error::TokenStore`] when the store cannot be read, and with
    /// [`Error::Config`] when it holds no token yet (authorise the app first, then save the
    /// token the code exchange gives).
    ///
    /// ```no_run
    /// # async fn run() -> pinterest_v5::Result<()> {
    /// use pinterest_v5::{auth::TokenManager, auth::OAuthApp, auth::FileStore};
    /// let manager = TokenManager::load(OAuthApp::from_env()?, FileStore::new("token.json")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn load(app: OAuthApp, store: impl TokenStore + 'static) -> Result<Self, Error> {
        let token = store
            .load()
            .await
            .map_err(|e| Error::TokenStore(Arc::new(e)))?
            .ok_or_else(|| {
                Error::Config(
                    "the token store holds no token yet: authorize the app (auth::OAuthApp::authorization_url), exchange the code and save the token first".into(),
                )
            })?;
        Ok(TokenManager::new(app, token).store(store))
    }

    /// Saves `token` (fresh from the code exchange) to `store`, then manages it, saving each
    /// new token there too. Fails with [`Error::TokenStore`] when the first save fails.
    ///
    /// ```no_run
    /// # async fn run(app: pinterest_v5::auth::OAuthApp, code: pinterest_v5::auth::AuthorizationCode) -> pinterest_v5::Result<()> {
    /// use pinterest_v5::{auth::TokenManager, auth::FileStore};
    /// let token = app.exchange_code(&code).await?;
    /// let manager = TokenManager::persisted(app, token, FileStore::new("token.json")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn persisted(
        app: OAuthApp,
        token: Token,
        store: impl TokenStore + 'static,
    ) -> Result<Self, Error> {
        store
            .save(&token)
            .await
            .map_err(|e| Error::TokenStore(Arc::new(e)))?;
        Ok(TokenManager::new(app, token).store(store))
    }

    /// Saves each new token to `store` before it is used. The current token is not saved by
    /// this call (see [`TokenManager::persisted`]).
    ///
    /// ```
    /// use pinterest_v5::{auth::TokenManager, auth::{OAuthApp, Token}, auth::MemoryStore};
    /// let app = OAuthApp::new("id", "secret", "https://example.com/cb");
    /// let manager = TokenManager::new(app, Token::new("a")).store(MemoryStore::new());
    /// # let _ = manager;
    /// ```
    pub fn store(self, store: impl TokenStore + 'static) -> Self {
        self.map_core(|core| core.store = Some(Arc::new(store)))
    }

    /// Refreshes the access token before use when it expires within `margin` (default 5
    /// minutes).
    ///
    /// ```
    /// use pinterest_v5::{auth::TokenManager, auth::{OAuthApp, Token}};
    /// let app = OAuthApp::new("id", "secret", "https://example.com/cb");
    /// let manager = TokenManager::new(app, Token::new("a"))
    ///     .refresh_margin(std::time::Duration::from_secs(3600));
    /// # let _ = manager;
    /// ```
    pub fn refresh_margin(self, margin: Duration) -> Self {
        self.map_core(|core| core.margin = margin)
    }

    /// Changes the settings of a manager not yet shared (builder methods only).
    fn map_core(mut self, change: impl FnOnce(&mut Core)) -> Self {
        if let Kind::Managed(core) = &mut self.kind
            && let Some(core) = Arc::get_mut(core)
        {
            change(core);
        }
        self
    }

    /// Gives the manager the environment and HTTP client of the client it serves, for token
    /// requests of an app that names none (called by [`crate::ClientBuilder::build`]).
    pub(crate) fn attach(&self, environment: &Environment, http: &reqwest::Client) {
        if let Kind::Managed(core) = &self.kind {
            if !core.app.has_environment() {
                let _ = core.environment.set(environment.clone());
            }
            if !core.app.has_http_client() {
                let _ = core.http.set(http.clone());
            }
        }
    }

    /// The token requests use now (secrets hidden in its `Debug`). For a bare access token, a
    /// [`Token`] with only that.
    ///
    /// ```
    /// let manager = pinterest_v5::auth::TokenManager::from_access_token("pina_test");
    /// assert_eq!(manager.token().access_token().secret(), "pina_test");
    /// ```
    pub fn token(&self) -> Token {
        match &self.kind {
            Kind::Fixed(token, _) => Token::new(token.secret()),
            Kind::Managed(core) => core.lock().token.clone(),
        }
    }

    /// A refreshed token not saved to the store yet, if any: its save failed, was interrupted,
    /// or is under way. It is not used until saved (the next request or
    /// [`TokenManager::refresh`] tries again); an application can rescue it from here.
    ///
    /// ```
    /// let manager = pinterest_v5::auth::TokenManager::from_access_token("pina_test");
    /// assert!(manager.unsaved_token().is_none());
    /// ```
    pub fn unsaved_token(&self) -> Option<Token> {
        match &self.kind {
            Kind::Fixed(..) => None,
            Kind::Managed(core) => core.lock().unsaved.clone(),
        }
    }

    /// The access token to send now: refreshed first (single flight) when it expires within
    /// the margin, or when a refreshed token still waits to be saved.
    ///
    /// ```no_run
    /// # async fn run(manager: pinterest_v5::auth::TokenManager) -> pinterest_v5::Result<()> {
    /// let token = manager.access_token().await?;
    /// # Ok(()) }
    /// ```
    pub async fn access_token(&self) -> Result<AccessToken, Error> {
        let core = match &self.kind {
            Kind::Fixed(token, _) => return Ok(token.clone()),
            Kind::Managed(core) => core,
        };
        let flight = {
            let mut state = core.lock();
            match &state.in_flight {
                Some((_, flight)) => flight.clone(),
                None => {
                    if !core.due(&state.token) && state.unsaved.is_none() {
                        return Ok(state.token.access_token().clone());
                    }
                    Core::start(core, &mut state)
                }
            }
        };
        flight.await.map(|token| token.access_token().clone())
    }

    /// What a request carries: the `Authorization` value, and the token in it when a 401 can
    /// be answered by a refresh. A bare token's value is built once, not per request.
    pub(crate) async fn authorization(&self) -> Result<Authorization, Error> {
        match &self.kind {
            Kind::Fixed(_, Some(header)) => Ok(Authorization {
                header: header.clone(),
                token: None,
            }),
            Kind::Fixed(token, None) => bearer_header(token).map(|header| Authorization {
                header,
                token: None,
            }),
            Kind::Managed(_) => {
                let token = self.access_token().await?;
                Ok(Authorization {
                    header: bearer_header(&token)?,
                    token: Some(token),
                })
            }
        }
    }

    /// Whether a rejected token can be replaced by a refresh (the manager has a refresh
    /// token).
    ///
    /// ```
    /// assert!(!pinterest_v5::auth::TokenManager::from_access_token("t").can_refresh());
    /// ```
    pub fn can_refresh(&self) -> bool {
        match &self.kind {
            Kind::Fixed(..) => false,
            Kind::Managed(core) => core.lock().token.refresh_token().is_some(),
        }
    }

    /// Called after Pinterest rejected `rejected` with a 401: refreshes, unless the token was
    /// replaced since `rejected` was handed out (then the caller simply retries with the
    /// current one), or joins the refresh under way.
    ///
    /// ```no_run
    /// # async fn run(manager: pinterest_v5::auth::TokenManager) -> pinterest_v5::Result<()> {
    /// let used = manager.access_token().await?;
    /// // … Pinterest answered 401 …
    /// manager.refresh_after_unauthorized(&used).await?;
    /// # Ok(()) }
    /// ```
    pub async fn refresh_after_unauthorized(&self, rejected: &AccessToken) -> Result<(), Error> {
        let core = match &self.kind {
            Kind::Fixed(..) => return Err(OAuthError::NoRefreshToken.into()),
            Kind::Managed(core) => core,
        };
        let flight = {
            let mut state = core.lock();
            match &state.in_flight {
                Some((_, flight)) => flight.clone(),
                None if state.token.access_token() != rejected => return Ok(()),
                None => Core::start(core, &mut state),
            }
        };
        flight.await.map(|_| ())
    }

    /// Refreshes now (or joins the refresh under way) and returns the new token: when the
    /// store locks for a refresh and another process sharing it saved a token since this
    /// manager read its own, that token (unless it is due for a refresh itself).
    ///
    /// ```no_run
    /// # async fn run(manager: pinterest_v5::auth::TokenManager) -> pinterest_v5::Result<()> {
    /// let token = manager.refresh().await?;
    /// println!("valid until {:?}", token.expires_at());
    /// # Ok(()) }
    /// ```
    pub async fn refresh(&self) -> Result<Token, Error> {
        let core = match &self.kind {
            Kind::Fixed(..) => return Err(OAuthError::NoRefreshToken.into()),
            Kind::Managed(core) => core,
        };
        let flight = {
            let mut state = core.lock();
            match &state.in_flight {
                Some((_, flight)) => flight.clone(),
                None => Core::start(core, &mut state),
            }
        };
        flight.await
    }
}

impl Core {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent at every await-free step, so a poisoned lock is usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts a refresh and records it as the one under way (the caller holds the lock, so
    /// nobody else can start one).
    ///
    /// However the refresh ends, the record goes with it: finished, panicked (caught, and
    /// reported as an error), or dropped unfinished (its task cancelled, or the runtime it ran
    /// on shut down), so the next request starts a new refresh instead of joining one that
    /// can never answer.
    fn start(core: &Arc<Core>, state: &mut State) -> Flight {
        state.flights = state.flights.wrapping_add(1);
        let id = state.flights;
        let task = {
            let core = Arc::clone(core);
            async move {
                crate::client::trace::refresh_started();
                // Dropped last: after the result is recorded, or on its own when the task is
                // dropped midway.
                let ended = FlightEnded {
                    core: Arc::clone(&core),
                    id,
                };
                let result = match AssertUnwindSafe(core.refresh_and_save())
                    .catch_unwind()
                    .await
                {
                    Ok(result) => result,
                    Err(_) => Err((
                        OAuthError::RefreshInterrupted("it panicked".into()).into(),
                        None,
                    )),
                };
                crate::client::trace::refresh_finished(
                    result.as_ref().map(Token::expires_at).map_err(|(e, _)| e),
                );
                let mut state = core.lock();
                ended.clear(&mut state);
                match result {
                    Ok(token) => {
                        state.token = token.clone();
                        state.unsaved = None;
                        Ok(token)
                    }
                    Err((e, unsaved)) => {
                        if unsaved.is_some() {
                            state.unsaved = unsaved;
                        }
                        Err(e)
                    }
                }
            }
        };
        let flight: BoxFuture<'static, Result<Token, Error>> =
            match tokio::runtime::Handle::try_current() {
                Ok(runtime) => {
                    let handle = runtime.spawn(task);
                    async move {
                        handle.await.unwrap_or_else(|e| {
                            let why = if e.is_cancelled() {
                                "its task was cancelled (the runtime it ran on shut down)"
                            } else {
                                "its task panicked"
                            };
                            Err(OAuthError::RefreshInterrupted(why.into()).into())
                        })
                    }
                    .boxed()
                }
                Err(_) => task.boxed(),
            };
        let flight = flight.shared();
        state.in_flight = Some((id, flight.clone()));
        flight
    }

    /// Whether `token` is due for a refresh: it can be refreshed and expires within the
    /// margin.
    fn due(&self, token: &Token) -> bool {
        token.refresh_token().is_some() && token.expires_within(self.margin, chrono::Utc::now())
    }

    /// Gets a new token (or takes the one waiting to be saved) and saves it, holding the
    /// store's refresh lock when it has one. On a failed save, the error comes with the token
    /// to keep for the next try.
    ///
    /// With the lock held, the store is read again first: when another process sharing it
    /// saved a token meanwhile (its access token is not the one this manager holds), that
    /// token is used as it is unless it is due itself, and then it is the one refreshed (the
    /// refresh token this manager holds was spent by the other process).
    async fn refresh_and_save(&self) -> Result<Token, (Error, Option<Token>)> {
        let (current, unsaved) = {
            let state = self.lock();
            (state.token.clone(), state.unsaved.clone())
        };
        let store_error = |e| (Error::TokenStore(Arc::new(e)), None);
        // Released when dropped: once the new token is saved, or the refresh fails.
        let lock = match &self.store {
            Some(store) => store.lock_for_refresh().await.map_err(store_error)?,
            None => None,
        };
        let mut to_refresh = current;
        if let (Some(store), Some(_), None) = (&self.store, &lock, &unsaved)
            && let Some(stored) = store.load().await.map_err(store_error)?
            && stored.access_token() != to_refresh.access_token()
        {
            if !self.due(&stored) {
                crate::client::trace::refresh_adopted();
                return Ok(stored);
            }
            to_refresh = stored;
        }
        let fresh = match unsaved {
            Some(token) => token,
            None => self
                .app
                .refresh_in(self.environment.get(), self.http.get(), &to_refresh)
                .await
                .map_err(|e| (e, None))?,
        };
        let Some(store) = &self.store else {
            return Ok(fresh);
        };
        // Kept before the save starts: should the save never finish (its task dropped midway),
        // the next refresh saves this token instead of spending the refresh token again.
        self.lock().unsaved = Some(fresh.clone());
        let saved = AssertUnwindSafe(async { store.save(&fresh).await })
            .catch_unwind()
            .await
            .unwrap_or_else(|_| {
                // The panic's own message went to the panic hook; it is not repeated here, in
                // case it quotes the token.
                Err(std::io::Error::other(
                    "the token store panicked while saving the new token",
                ))
            });
        drop(lock);
        match saved {
            Ok(()) => Ok(fresh),
            Err(e) => Err((Error::TokenStore(Arc::new(e)), Some(fresh))),
        }
    }
}
