//! `cargo xtask build-on FILE`: show that the crate builds on another release of the
//! description (CI runs it on the previous release).
//!
//! It copies the project (without `target/` and `.git/`) to `target/xtask/build-on/`, runs
//! regen there from FILE, and runs `cargo check` on the copy's crate. The copy shares the
//! project's target directory by default, so the registry dependencies already built are reused
//! and only the workspace's own crates (codegen, the build script, the generated client) are
//! compiled again; the fixed copy path keeps those artifacts from piling up between runs.

use crate::regen::{self, Options, Source};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// What to build on.
pub struct BuildOn {
    /// The project to copy.
    pub root: PathBuf,
    /// The description to regenerate the copy from.
    pub description: PathBuf,
    /// The target directory for `cargo check` (default: the project's `target/`).
    pub target_dir: Option<PathBuf>,
}

fn copy_tree(from: &Path, to: &Path, top: bool) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let name = entry.file_name();
        if top && (name == "target" || name == ".git") {
            continue;
        }
        let kind = entry
            .file_type()
            .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?;
        let dest = to.join(&name);
        if kind.is_dir() {
            copy_tree(&entry.path(), &dest, false)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &dest)
                .map_err(|e| format!("cannot copy {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Runs the whole check, printing what it does and how long each part took.
pub fn run(b: &BuildOn) -> Result<(), String> {
    let target = b.root.join("target");
    let copy = target.join("xtask/build-on");
    let description = std::path::absolute(&b.description)
        .map_err(|e| format!("cannot resolve {}: {e}", b.description.display()))?;
    if copy.exists() {
        std::fs::remove_dir_all(&copy)
            .map_err(|e| format!("cannot clear {}: {e}", copy.display()))?;
    }
    let started = Instant::now();
    copy_tree(&b.root, &copy, true)?;
    let plan = regen::prepare(&Options {
        root: copy.clone(),
        source: Source::File(description),
        sha256: None,
    })?;
    plan.apply(&copy)?;
    let regen_secs = started.elapsed().as_secs_f64();
    println!(
        "build-on: copied the project to {} and regenerated it to v{} in {regen_secs:.1} s",
        copy.display(),
        plan.pin.version
    );

    let target_dir = b.target_dir.clone().unwrap_or(target);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let status = Command::new(&cargo)
        .args([
            "check",
            "--package",
            "pinterest-v5",
            "--lib",
            "--manifest-path",
        ])
        .arg(copy.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target_dir)
        // the copy's own description, not one a caller pointed the original build at
        .env_remove(pinterest_v5_codegen::load::ENV_OPENAPI)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let check_secs = started.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!(
            "the crate does not build on v{} ({status}; cargo check took {check_secs:.1} s): see the errors above",
            plan.pin.version
        ));
    }
    println!(
        "build-on: the crate builds on v{}: cargo check took {check_secs:.1} s (target dir {})",
        plan.pin.version,
        target_dir.display()
    );
    Ok(())
}
