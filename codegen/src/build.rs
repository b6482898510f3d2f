//! The crate's `build.rs`: generation driven by cargo's environment.

use crate::{filter, load};
use std::path::PathBuf;

/// Name of the generated source file in `OUT_DIR`.
pub const GENERATED: &str = "pinterest_v5.rs";

/// Name of the generated mocks in `OUT_DIR`, written when the crate's `mock` feature is on.
pub const GENERATED_MOCK: &str = "pinterest_v5_mock.rs";

/// Name of the fixes' report written beside it.
pub const REPORT: &str = "fixes.txt";

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
    let pin = load::Pin::read(&root)?;
    for place in load::candidates(&root, &pin) {
        println!("cargo:rerun-if-changed={}", place.display());
    }
    let loaded = load::load_pinned(&root)?;
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
