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
pub mod defaults;
pub mod deserialize;
pub mod docs;
pub mod enums;
pub mod errors;
pub mod examples;
mod graph;
pub mod paginate;
pub mod requests;
pub(crate) mod syntax;
pub mod tables;
pub mod tags;
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
        .with_inner_type(quote!(crate::rt::Inner));
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

/// How a pass runs.
#[derive(Clone, Copy, Debug)]
pub enum Run {
    /// On the generated tree alone; returns the count for its report line.
    Tree(fn(&mut syn::File) -> usize),
    /// Reading the fixed description too; returns the count, or why the generation cannot go
    /// on.
    Spec(fn(&Value, &mut syn::File) -> Result<usize, String>),
}

/// One row of [`PASSES`]: a pass's report line and how to run it.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    /// Its name, unit and reason, as the report shows them.
    pub pass: Pass,
    /// Its function.
    pub run: Run,
}

impl Step {
    /// A row for a pass that works on the tree alone.
    pub const fn tree(pass: Pass, run: fn(&mut syn::File) -> usize) -> Step {
        Step {
            pass,
            run: Run::Tree(run),
        }
    }

    /// A row for a pass that also reads the description.
    pub const fn spec(
        pass: Pass,
        run: fn(&Value, &mut syn::File) -> Result<usize, String>,
    ) -> Step {
        Step {
            pass,
            run: Run::Spec(run),
        }
    }

    /// Runs the pass over `file`; returns the count for its report line.
    pub fn run(&self, spec: &Value, file: &mut syn::File) -> Result<usize, String> {
        match self.run {
            Run::Tree(run) => Ok(run(file)),
            Run::Spec(run) => run(spec, file),
        }
    }
}

/// Every generation pass, in the order they run over progenitor's output.
pub const PASSES: &[Step] = &[
    // types: tolerant of what the API adds, and compiled once
    Step::tree(enums::TOLERANT_ENUMS, enums::tolerant_enums),
    Step::tree(enums::DUPLICATE_ENUMS, enums::duplicate_enums),
    Step::spec(unions::DISCRIMINATED_UNIONS, unions::run),
    Step::tree(datetime::LENIENT_DATE_TIMES, datetime::lenient_date_times),
    Step::spec(tags::IMPLIED_TAGS, tags::run),
    // less code: decoding only where replies reach, builders only for request bodies
    Step::tree(
        deserialize::REQUEST_ONLY_DESERIALIZE,
        deserialize::request_only_deserialize,
    ),
    Step::tree(
        deserialize::COMPACT_DESERIALIZE,
        deserialize::compact_deserialize,
    ),
    Step::tree(
        builders::REQUEST_ONLY_STRUCT_BUILDERS,
        builders::request_only_struct_builders,
    ),
    // request bodies written the way their types read
    Step::tree(defaults::REQUEST_DEFAULTS, defaults::request_defaults),
    Step::tree(builders::BUILDER_SETTERS, builders::builder_setters),
    // the request path of each operation's `send()`
    Step::tree(requests::DECODE_WITH_STATUS, requests::decode_with_status),
    Step::spec(errors::CRATE_ERRORS, errors::run),
    Step::tree(
        requests::OPTIONAL_QUERY_PARAMS,
        requests::optional_query_params,
    ),
    Step::tree(
        requests::NO_API_VERSION_HEADER,
        requests::no_api_version_header,
    ),
    Step::tree(requests::PARSED_BASE_URL, requests::parsed_base_url),
    // docs, then what the runtime reads
    Step::tree(docs::PLAIN_DOC_TEXT, docs::plain_doc_text),
    Step::spec(examples::OPERATION_EXAMPLES, examples::operation_examples),
    Step::spec(crate::secrets::REDACTED_DEBUG, crate::secrets::run),
    Step::spec(tables::COMMA_JOINED_ARRAYS, tables::comma_joined_arrays),
    Step::spec(paginate::BOOKMARK_STREAMS, paginate::run),
];

/// Generates the client's source from a fixed (and possibly filtered) description: progenitor,
/// then every pass of [`PASSES`] (each adds its line to `report`), then the inventory.
pub fn generate(spec: &Value, report: &mut Report) -> Result<String, String> {
    Ok(crate::build::render(&tree(spec, report)?))
}

/// What [`generate`] renders: the client as a syntax tree, for checks that read the generated
/// code without parsing its text again (`build::missing_for_media`).
pub fn tree(spec: &Value, report: &mut Report) -> Result<syn::File, String> {
    let mut file = progenitor(spec)?;
    for step in PASSES {
        let count = step.run(spec, &mut file)?;
        report.push(&step.pass, count);
    }
    let inventory = tables::inventory(&file);
    file.items.push(inventory);
    Ok(file)
}
