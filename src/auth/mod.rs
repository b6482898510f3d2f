//! Authorisation: OAuth 2.0 with Pinterest, the tokens it grants, where they are kept, and the
//! manager that keeps them fresh for a [`crate::Client`]. In OAuth terms: the authorization URL, the redirect back to your app, and the
//! three grants of `POST /oauth/token` (authorization code, refresh token, client credentials).
//!
//! The flow, step by step:
//!
//! 1. [`OAuthApp::authorization_url`] gives the URL to send the user to and a fresh `state`
//!    to keep (in the user's session, for example).
//! 2. Pinterest redirects the user to your redirect URI; [`OAuthApp::parse_callback`] takes the
//!    full URL of that redirect and the kept `state`, and returns the [`AuthorizationCode`].
//! 3. [`OAuthApp::exchange_code`] turns the code into a [`Token`] (access and refresh token).
//! 4. A [`TokenManager`] built from the app and the token keeps it fresh for a
//!    [`crate::Client`], saving each new token to a [`TokenStore`].
//!
//! The token endpoint is called by hand (HTTP Basic `client_id:client_secret`, form body): the
//! description's request schema cannot express the grants (its discriminator is lost and
//! `continuous_refresh` is missing), so the generated `oauth_token` operation is not used here.
//! [`OAuthApp::revoke`] revokes a token the same way (`POST /oauth/token/revoke`).
//!
//! The generated operations that only the app's own credentials authorise (HTTP Basic in the
//! description: `oauth_token`, `token_revoke`) get them from the client's
//! [`TokenManager`] when it has an app, and fail before sending otherwise.
//!
//! No type of this module shows a secret (client secret, code, access or refresh token) in its
//! `Debug` or `Display`.
//!
//! # Refresh
//!
//! The bearer token of every request is refreshed before it expires and once after a 401, one
//! refresh at a time however many requests wait.
//!
//! A [`TokenManager`] is handed to [`crate::ClientBuilder::token_manager`]; the client's
//! request path asks it for the token of each request:
//!
//! - the access token is refreshed before use when it expires within the manager's margin
//!   ([`TokenManager::refresh_margin`], 5 minutes by default);
//! - after a 401, the token is refreshed once (unless another request already replaced the
//!   rejected token) and the request is retried once;
//! - single flight: however many requests find the token expired, one token request is made;
//!   the others wait for it and share its result, success or error, and the next request after
//!   a failure starts afresh;
//! - each new token is saved to the manager's [`TokenStore`] before any request uses it. When
//!   the save fails, requests fail with [`Error::TokenStore`](crate::Error::TokenStore) and the new token is kept in
//!   memory ([`TokenManager::unsaved_token`]); the next request tries to save it again before
//!   asking Pinterest for another;
//! - several processes may share one stored token: with a store that locks for a refresh
//!   ([`TokenStore::lock_for_refresh`], as [`FileStore`] does), a refresh takes the lock, reads
//!   the store again, and uses the token another process saved meanwhile instead of spending
//!   the refresh token that process already spent (Pinterest's refresh tokens rotate); only a
//!   token that still needs it is refreshed, then saved, then the lock is released;
//! - a refresh runs on its own task: a caller that gives up (timeout, cancellation) does not
//!   interrupt it between Pinterest's answer and the save;
//! - a refresh that cannot finish never blocks the ones after it: a store that panics fails
//!   the save like an error ([`Error::TokenStore`](crate::Error::TokenStore), the token kept as unsaved); a refresh that
//!   panics elsewhere, or whose task is dropped (the runtime it ran on shut down), fails its
//!   waiters with [`OAuthError::RefreshInterrupted`]; either way the next request starts a new
//!   refresh, which first saves a token the interrupted one had received.
//!
//! Operations authorised by the app's own credentials only (HTTP Basic in the description: the
//! token endpoint, revocation) never get the bearer: they get the app's Basic credentials
//! when the manager has an app, and fail before sending when it has none (a bare access token,
//! or no manager), saying to use [`OAuthApp`]'s methods.
//!
//! # Stores
//!
//! Where tokens are kept between runs: the [`TokenStore`] trait, a [`MemoryStore`] and a
//! [`FileStore`] that writes atomically and locks for a refresh ([`RefreshLock`]). The manager saves every refreshed token to its store
//! before any request uses it (refresh tokens rotate: losing the new one can mean authorising
//! again).

mod app;
mod error;
mod manager;
mod scope;
mod store;
mod token;

pub use app::{AUTHORIZATION_URL, AuthorizationRequest, OAuthApp, Revocable};
pub use error::OAuthError;
pub use manager::TokenManager;
pub(crate) use manager::app_authorization;
pub use scope::Scope;
pub use store::{FileStore, MemoryStore, RefreshLock, StoreFuture, TokenStore, write_atomically};
pub(crate) use token::Redacted;
pub use token::{AccessToken, AuthorizationCode, RefreshToken, Token};
