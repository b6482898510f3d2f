//! Integration tests: one binary, one module per capability.

#[cfg(feature = "full")]
mod completeness;
#[cfg(feature = "full")]
mod decoding;
#[cfg(feature = "full")]
mod environment;
#[cfg(feature = "full")]
mod pagination;
#[cfg(feature = "full")]
mod rate_limit;
#[cfg(feature = "full")]
mod retry;
#[cfg(feature = "full")]
mod wire;
