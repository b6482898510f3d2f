//! Step 4: generate the client with progenitor, then make it fit a growing API.
//!
//! It reads top to bottom: [`progenitor`] runs progenitor with the crate's settings, then
//! [`generate`] runs every pass of [`PASSES`] over the generated syntax tree, in the table's
//! order, adding each pass's line to the report, and last appends the [`tables::inventory`] of
//! what came out. [`PASSES`] is the one list of the passes: the report, `openapi/fixes.txt`
//! (name, count, unit and reason of each) and these docs all read it.
//!
//! Each module below does one job; a pass is a function of one of them with its
//! [`Pass`](crate::report::Pass) declared beside it.
//!
//! # Adding a pass
//!
//! 1. Write the function in the module of its job (or a new file, declared here): it edits the
//!    tree (`&mut syn::File`), reads the fixed description if it needs to, and returns how many
//!    things it changed.
//! 2. Beside it, declare its `Pass { name, unit, why }`: `name` is the function's name, `why`
//!    the defect it works around, in one sentence.
//! 3. Add one row to [`PASSES`], where its place in the order is (a pass sees what the passes
//!    above it did).
//! 4. Add its golden test to `codegen/tests/passes.rs` and run `cargo xtask regen` so that
//!    `openapi/fixes.txt` gains its line.

pub mod builders;
pub mod datetime;
pub mod deserialize;
pub mod docs;
pub mod enums;
mod graph;
pub mod paginate;
pub mod requests;
mod syntax;
pub mod tables;
pub mod unions;

use crate::report::{Pass, Report};
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;
use serde_json::Value;

/// The settings progenitor runs with: the builder interface, merged tags, and hooks *expected*
/// (the crate's hand-written `Client` hooks, for auth, retries and rate limits, are a
/// compile-time requirement), around the crate's own client state.
pub fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(crate::client::Inner));
    settings
}

/// progenitor's client for a fixed description, as a syntax tree for the passes.
pub fn progenitor(spec: &Value) -> Result<syn::File, String> {
    let api: openapiv3::OpenAPI = serde_json::from_value(spec.clone())
        .map_err(|e| format!("the fixed description is not valid OpenAPI 3.0: {e}"))?;
    let mut generator = Generator::new(&settings());
    let tokens = generator
        .generate_tokens(&api)
        .map_err(|e| format!("progenitor could not generate the client: {e}"))?;
    syn::parse2(tokens).map_err(|e| format!("progenitor generated code that does not parse: {e}"))
}

/// How a pass runs: over the fixed description and the generated tree, returning the count for
/// its report line, or why the generation cannot go on.
pub type Run = fn(&Value, &mut syn::File) -> Result<usize, String>;

/// One row of [`PASSES`]: a pass's report line and how to run it.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    /// Its name, unit and reason, as the report shows them.
    pub pass: Pass,
    /// Runs it.
    pub run: Run,
}

impl Step {
    /// A row of [`PASSES`].
    pub const fn new(pass: Pass, run: Run) -> Step {
        Step { pass, run }
    }
}

/// Every generation pass, in the order they run over progenitor's output.
pub const PASSES: &[Step] = &[
    // types: tolerant, and compiled once
    Step::new(enums::TOLERANT_ENUMS, |_, file| {
        Ok(enums::tolerant_enums(file))
    }),
    Step::new(enums::DUPLICATE_ENUMS, |_, file| {
        Ok(enums::duplicate_enums(file))
    }),
    Step::new(unions::DISCRIMINATED_UNIONS, unions::run),
    Step::new(datetime::LENIENT_DATE_TIMES, |_, file| {
        Ok(datetime::lenient_date_times(file))
    }),
    // less code: decoding only where replies reach, builders only for request bodies
    Step::new(deserialize::REQUEST_ONLY_DESERIALIZE, |_, file| {
        Ok(deserialize::request_only_deserialize(file))
    }),
    Step::new(deserialize::COMPACT_DESERIALIZE, |_, file| {
        Ok(deserialize::compact_deserialize(file))
    }),
    Step::new(builders::REQUEST_ONLY_STRUCT_BUILDERS, |_, file| {
        Ok(builders::request_only_struct_builders(file).1)
    }),
    // the request path of each operation's `send()`
    Step::new(requests::DECODE_WITH_STATUS, |_, file| {
        Ok(requests::decode_with_status(file))
    }),
    Step::new(requests::OPTIONAL_QUERY_PARAMS, |_, file| {
        Ok(requests::optional_query_params(file))
    }),
    Step::new(requests::NO_API_VERSION_HEADER, |_, file| {
        Ok(requests::no_api_version_header(file))
    }),
    Step::new(requests::PARSED_BASE_URL, |_, file| {
        Ok(requests::parsed_base_url(file))
    }),
    Step::new(requests::NO_OP_HOOKS, |_, file| {
        Ok(requests::no_op_hooks(file))
    }),
    // docs, then what the runtime reads
    Step::new(docs::PLAIN_DOC_TEXT, |_, file| {
        Ok(docs::plain_doc_text(file))
    }),
    Step::new(tables::COMMA_JOINED_ARRAYS, tables::comma_joined_arrays),
    Step::new(paginate::BOOKMARK_STREAMS, paginate::run),
];

/// Generates the client's source from a fixed (and possibly filtered) description: progenitor,
/// then every pass of [`PASSES`] (each adds its line to `report`), then the inventory.
pub fn generate(spec: &Value, report: &mut Report) -> Result<String, String> {
    let mut file = progenitor(spec)?;
    for step in PASSES {
        let count = (step.run)(spec, &mut file)?;
        report.push(&step.pass, count);
    }
    let inventory = tables::inventory(&file);
    file.items.push(inventory);
    Ok(prettyplease::unparse(&file))
}
