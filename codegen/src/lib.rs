//! The generation pipeline of `pinterest-v5`, shared by the crate's `build.rs` and by
//! `cargo xtask regen`.
//!
//! It reads top to bottom, one module a step:
//!
//! 1. [`load`]: find Pinterest's description, check it against the pin in `openapi/pin.json`.
//! 2. [`fix`]: named fixes of the description's defects, each counting what it touched.
//! 3. [`filter`]: keep the operations of the enabled API areas (cargo features = tags) and the
//!    schemas they reach.
//! 4. [`generate`]: run progenitor (builder interface, hooks expected), then make the generated
//!    types tolerant of an API that grows, and emit the operation table the runtime reads.
//!
//! [`surface`] describes the generated API one line per operation and model; xtask diffs it.

#[cfg(feature = "generate")]
pub mod build;
pub mod filter;
pub mod fix;
#[cfg(feature = "generate")]
pub mod generate;
pub mod load;
pub mod naming;
#[cfg(feature = "generate")]
pub mod paginate;
pub mod secrets;
pub mod surface;

#[cfg(feature = "generate")]
use serde_json::Value;

/// What one run of the pipeline produced.
#[cfg(feature = "generate")]
pub struct Output {
    /// Rust source of the client, to be `include!`d by the crate.
    pub code: String,
    /// One line per fix: its name, what it touched, why.
    pub report: fix::Report,
    /// Operations kept after filtering.
    pub operations: usize,
    /// Component schemas kept after filtering.
    pub schemas: usize,
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
    let code = generate::generate(&spec, &mut report)?;
    Ok(Output {
        code,
        report,
        operations,
        schemas,
    })
}
