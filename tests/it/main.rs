//! Integration tests: one binary, one module per capability.

#[cfg(feature = "full")]
mod call;
#[cfg(feature = "full")]
mod client_builder;
#[cfg(feature = "full")]
mod completeness;
#[cfg(feature = "full")]
mod decoding;
#[cfg(feature = "full")]
mod environment;
#[cfg(all(feature = "user_account", feature = "boards"))]
mod errors;
#[cfg(feature = "full")]
mod media;
#[cfg(all(feature = "full", feature = "mock"))]
mod mock;
#[cfg(all(feature = "full", feature = "mock"))]
mod mock_areas;
#[cfg(feature = "full")]
mod oauth;
#[cfg(feature = "full")]
mod pagination;
#[cfg(feature = "full")]
mod rate_limit;
#[cfg(feature = "full")]
mod refresh;
#[cfg(feature = "full")]
mod reports;
#[cfg(feature = "full")]
mod request_bodies;
#[cfg(feature = "full")]
mod retry;
#[cfg(feature = "full")]
mod secrets;
#[cfg(feature = "full")]
mod standin;
#[cfg(any(feature = "full", all(feature = "user_account", feature = "boards")))]
mod support;
mod token_store;
#[cfg(feature = "full")]
mod tracing;
#[cfg(feature = "full")]
mod wire;
