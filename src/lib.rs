#![doc = include_str!("guide.md")]
// On docs.rs (`--cfg docsrs`, nightly rustdoc) items behind a cargo feature say which one.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]
// Dead code is linted in the full build (the default, and what CI lints). A build of some API
// areas leaves helpers of the generated operations unused: the union decoders of `tolerant`
// when no union is reached, and, with no area at all, the URL join, the reply decoding and the
// optional query parameters.
#![cfg_attr(not(feature = "full"), allow(dead_code))]

pub mod auth;
pub mod client;
mod datetime;
pub mod error;
mod generated;
mod hash;
mod http;
#[cfg(all(feature = "media", feature = "pins"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "media", feature = "pins"))))]
pub mod media;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
pub mod operation;
pub mod pagination;
#[cfg(pinterest_v5_reports)]
#[cfg_attr(docsrs, doc(cfg(feature = "ad_accounts")))]
pub mod reports;
mod rt;

pub use client::{ClientBuilder, Environment};
pub use datetime::DateTime;
pub use error::{ApiError, Error, Result};
pub use generated::{Client, builder, types};
pub use progenitor_client::ResponseValue;

/// The README's examples, compiled as doctests (the crate docs are `guide.md`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// What the generator produced, for the completeness tests. Not a stable API.
#[doc(hidden)]
pub use generated::inventory as __inventory;

/// The hash behind a request's URL print, for the bench that prices the client's bookkeeping.
/// Not a stable API.
#[doc(hidden)]
pub use hash::of as __url_hash;
