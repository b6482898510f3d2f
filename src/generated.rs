//! The code progenitor generates from Pinterest's description (see `codegen/`): one method per
//! operation on [`Client`], the request and reply types in `types`, their builders in `builder`.

#![allow(missing_docs, clippy::all, clippy::pedantic, unused_imports, dead_code)]

include!(concat!(env!("OUT_DIR"), "/pinterest_v5.rs"));
