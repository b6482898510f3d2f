//! The crate's `build.rs`: generation driven by cargo's environment.

use crate::{filter, load};
use std::path::PathBuf;

/// Name of the generated source file in `OUT_DIR`.
pub const GENERATED: &str = "pinterest_v5.rs";

/// Name of the generated mocks in `OUT_DIR`, written when the crate's `mock` feature is on.
pub const GENERATED_MOCK: &str = "pinterest_v5_mock.rs";

/// Name of the fixes' report written beside it.
pub const REPORT: &str = "fixes.txt";

/// The generated client as Rust source: one item a line, unformatted.
///
/// The crate `include!`s it, so rustc is its only reader: a pretty printer (prettyplease) would
/// be one more crate for every user to compile and, in a build script that a user's profile runs
/// unoptimised, seconds of formatting on every generation. One item a line keeps it greppable;
/// `rustfmt` formats a copy for a human.
pub fn render(file: &syn::File) -> String {
    use quote::ToTokens;
    let mut out = String::new();
    for attr in &file.attrs {
        out.push_str(&attr.to_token_stream().to_string());
        out.push('\n');
    }
    for item in &file.items {
        out.push_str(&item.to_token_stream().to_string());
        out.push('\n');
    }
    out
}

/// Runs the pipeline for the crate being built: the pinned description, the enabled features.
///
/// On failure it prints one line saying what to do and exits non-zero.
pub fn run() {
    if let Err(message) = try_run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn try_run() -> Result<(), String> {
    let root = PathBuf::from(env("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(env("OUT_DIR")?);
    println!("cargo:rerun-if-env-changed={}", load::ENV_OPENAPI);
    println!("cargo:rerun-if-env-changed={}", load::ENV_UNPINNED);
    println!(
        "cargo:rerun-if-changed={}",
        root.join(load::PIN_FILE).display()
    );
    // The description used, and `openapi/` (where a copy of it may appear). Never a path that
    // does not exist: cargo would take it as changed and run the generation on every build.
    println!(
        "cargo:rerun-if-changed={}",
        root.join(load::PIN_FILE).with_file_name("").display()
    );
    let loaded = load::load_pinned(&root)?;
    println!("cargo:rerun-if-changed={}", loaded.path.display());
    let areas = enabled_areas(&loaded.spec);
    let output = crate::run(&loaded.spec, areas.as_deref())
        .map_err(|e| format!("generation from {} failed: {e}", loaded.path.display()))?;
    std::fs::write(out.join(GENERATED), output.code)
        .map_err(|e| format!("cannot write the generated client: {e}"))?;
    std::fs::write(out.join(REPORT), output.report.to_string())
        .map_err(|e| format!("cannot write the fixes' report: {e}"))?;
    if std::env::var_os("CARGO_FEATURE_MOCK").is_some() {
        let mock = crate::run_mock(&loaded.spec, areas.as_deref()).map_err(|e| {
            format!(
                "generation of the mocks from {} failed: {e}",
                loaded.path.display()
            )
        })?;
        std::fs::write(out.join(GENERATED_MOCK), mock)
            .map_err(|e| format!("cannot write the generated mocks: {e}"))?;
    }
    Ok(())
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set: run this through cargo"))
}

/// `None` when the `full` feature is on; otherwise the areas whose feature is on.
fn enabled_areas(spec: &serde_json::Value) -> Option<Vec<String>> {
    if std::env::var_os("CARGO_FEATURE_FULL").is_some() {
        return None;
    }
    Some(
        filter::areas(spec)
            .into_iter()
            .filter(|area| {
                std::env::var_os(format!("CARGO_FEATURE_{}", area.to_uppercase())).is_some()
            })
            .collect(),
    )
}
