//! The generation pipeline of `pinterest-v5`, shared by the crate's `build.rs` and by
//! `cargo xtask regen`.
//!
//! It reads top to bottom, one module a step:
//!
//! 1. [`load`]: find Pinterest's description, check it against the pin in `openapi/pin.json`.
//! 2. [`fix`]: named fixes of the description's defects, each counting what it touched; the
//!    table [`fix::FIXES`] runs them in order.
//! 3. [`filter`]: keep the operations of the enabled API areas (cargo features = tags) and the
//!    schemas they reach.
//! 4. [`generate`]: run progenitor (builder interface, hooks expected), then the passes of the
//!    table [`generate::PASSES`] over the generated syntax tree, one file per job under
//!    `generate/`.
//!
//! Every fix and pass declares a [`report::Pass`] (name, unit, reason) beside its function; the
//! two tables are the only lists of them, and the [`report::Report`] they fill is what
//! `openapi/fixes.txt` holds. [`spec`] has the read-only views of the description the steps
//! share; [`surface`] describes the generated API one line per operation and model (xtask diffs
//! it).
//!
//! # Adding a fix or a pass
//!
//! A fix of the description (JSON in, JSON out) is a function of [`fix`] with its `Pass` const
//! beside it and one row in [`fix::FIXES`]; a pass over the generated code is a function in the
//! module of its job under `generate/` (or a new file) with its `Pass` beside it and one row in
//! [`generate::PASSES`]. Then `cargo xtask regen` adds its line to `openapi/fixes.txt`, and a
//! test in `codegen/tests/` shows it on a minimal description or tree.
//!
//! With the crate's `mock` feature, [`mock`] generates typed `httpmock` mocks of the same
//! operations into a second file.

#[cfg(feature = "generate")]
pub mod build;
pub mod filter;
pub mod fix;
#[cfg(feature = "generate")]
pub mod generate;
pub mod load;
#[cfg(feature = "generate")]
pub mod mock;
pub mod naming;
pub mod report;
pub mod secrets;
pub mod shapes;
pub mod spec;
pub mod surface;

#[cfg(feature = "generate")]
use serde_json::Value;

/// What one run of the pipeline produced.
#[cfg(feature = "generate")]
pub struct Output {
    /// Rust source of the client, to be `include!`d by the crate.
    pub code: String,
    /// One line per fix: its name, what it touched, why.
    pub report: report::Report,
    /// Operations kept after filtering.
    pub operations: usize,
    /// Component schemas kept after filtering.
    pub schemas: usize,
    /// The first thing the hand-written `media` module needs that the code lacks
    /// ([`build::missing_for_media`]); `None` when it has all of it.
    pub media_missing: Option<String>,
    /// The first type the hand-written `reports` module needs that the code lacks
    /// ([`build::missing_for_reports`]); `None` when it has all of them.
    pub reports_missing: Option<String>,
}

/// Runs fix, filter and generate over a loaded description.
///
/// `areas` is `None` for the full API, or the tags (API areas) to keep.
#[cfg(feature = "generate")]
pub fn run(spec: &Value, areas: Option<&[String]>) -> Result<Output, String> {
    let mut spec = spec.clone();
    let mut report = fix::apply_all(&mut spec);
    if let Some(areas) = areas {
        filter::keep_areas(&mut spec, areas);
    }
    let operations = filter::operation_count(&spec);
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map_or(0, |m| m.len());
    shapes::check(&spec)?;
    let file = shapes::catch_panics(|| generate::tree(&spec, &mut report))?;
    Ok(Output {
        code: build::render(&file),
        media_missing: build::missing_for_media(&file),
        reports_missing: build::missing_for_reports(&file),
        report,
        operations,
        schemas,
    })
}

/// Runs fix, filter and the mocks' generation over a loaded description: the source of
/// `pinterest_v5::mock`, for the same operations as [`run`] with the same `areas`.
#[cfg(feature = "generate")]
pub fn run_mock(spec: &Value, areas: Option<&[String]>) -> Result<String, String> {
    let mut spec = spec.clone();
    fix::apply_all(&mut spec);
    if let Some(areas) = areas {
        filter::keep_areas(&mut spec, areas);
    }
    mock::generate(&spec, "crate")
}
