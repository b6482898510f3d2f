//! Everything the generated code calls, and nothing else: the request path's entry, URL
//! building, reply reading, and the tolerant decoding of enums, unions and fields. Every path
//! `codegen` emits into the generated code starts with `crate::rt::`, so what the generator
//! depends on is listed here, once.

// A build of some API areas calls only some of these.
#![allow(unused_imports)]

pub(crate) mod reply;
mod tolerant;
mod url;

pub(crate) use crate::auth::Redacted;
pub(crate) use crate::client::Inner;
pub(crate) use crate::client::send::send;
pub(crate) use crate::operation::{
    Body, BodyField, BodyKind, Location, Operation, Parameter, ValueType,
};
pub(crate) use crate::pagination::{Items, Page, PageFuture, Pages, Paginated};
pub(crate) use crate::{DateTime, Error};
pub(crate) use reply::{decode_reply, undocumented_reply};
pub(crate) use tolerant::{Field, TaggedUnion, deserialize_from_str, deserialize_tagged};
pub(crate) use url::optional_query;
