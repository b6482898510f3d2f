//! `cargo xtask …`: maintenance tasks of `pinterest-v5`.
//!
//! - [`regen`]: move the crate to a release of Pinterest's OpenAPI description (or check that
//!   the committed files are in step with the one in place), printing what changed as a
//!   CHANGELOG entry ([`changelog`]).
//! - [`build_on`]: regenerate a copy of the project from another description and `cargo check`
//!   it, to show the crate builds on that release too.
//! - [`generate`]: run the generation pipeline on releases of the description and parse the
//!   code, without compiling it (CI runs it on every release beside the checkout).
//! - [`package_check`]: package the crates, unpack them outside the checkout and build and run
//!   a user's crate on them, offline.
//!
//! Everything goes through `pinterest_v5_codegen`, the pipeline the crate's `build.rs` runs.

pub mod build_on;
pub mod changelog;
pub mod download;
pub mod features;
pub mod generate;
pub mod package_check;
pub mod regen;

use std::path::{Path, PathBuf};

/// The project's root: the workspace this xtask was built in.
pub fn default_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

/// Makes an error message one line: progenitor's and serde's can span several.
pub fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}
