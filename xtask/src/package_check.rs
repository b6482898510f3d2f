//! `cargo xtask package-check`: the crates as a user gets them, built and run by a user's crate.
//!
//! 1. The pinned description must be at `openapi/pinterest-v5.json`, where the package takes it
//!    from (git-ignored, listed in Cargo.toml's `include`): when it is not, the pinned one found
//!    elsewhere (`../shared`, `PINTEREST_V5_OPENAPI`) is copied there, checked against the pin.
//! 2. `cargo package --no-verify` of `pinterest-v5-codegen` and `pinterest-v5`: the consumer's
//!    build below is the verification, and builds only the API areas it asks for.
//! 3. Both `.crate` files are unpacked into an empty directory outside the checkout (under the
//!    system's temporary directory, one per checkout), and their contents checked: the
//!    description (its sha256 against the pin), Pinterest's licence notice, the crate's own
//!    licences.
//! 4. The consumer, `xtask/consumer/` filled in beside them, depends on the unpacked crates
//!    (through `[patch.crates-io]`, as if they were the crates.io releases), is built `--offline`
//!    with its own target directory (`target/xtask/package-check-target/`, kept between runs,
//!    so a second run rebuilds only the two unpacked crates), and run: it calls one operation
//!    against a loopback server it starts.
//!
//! Nothing reaches the build beside the unpacked crates: the description's environment
//! variables are removed, and the consumer's directory is outside the checkout (so not even
//! the checkout's `.cargo/config.toml` applies).

use pinterest_v5_codegen::load::{self, ENV_OPENAPI, ENV_UNPINNED, LOCAL_COPY, Pin};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The consumer's template, under xtask/.
pub const CONSUMER: &str = "xtask/consumer";

/// Pinterest's licence notice for the description, shipped beside it.
pub const DESCRIPTION_LICENCE: &str = "openapi/LICENSE";

/// The crate's own licence files, in each package.
pub const LICENCES: [&str; 2] = ["LICENSE-MIT", "LICENSE-APACHE"];

/// What to check.
pub struct PackageCheck {
    /// The project.
    pub root: PathBuf,
    /// The consumer's features of `pinterest-v5`: `None` for its default features, else the
    /// API areas (with `default-features = false`).
    pub areas: Option<Vec<String>>,
    /// The consumer's target directory (default: `target/xtask/package-check-target/`).
    pub target_dir: Option<PathBuf>,
}

/// `version = "…"` of the `[package]` of a manifest (the project's own manifests: one line).
pub fn package_version(manifest: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let mut in_package = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package
            && let Some(rest) = line.strip_prefix("version")
            && let Some(v) = rest.trim_start().strip_prefix('=')
        {
            return Ok(v.trim().trim_matches('"').to_string());
        }
    }
    Err(format!(
        "{} has no `version` in [package]",
        manifest.display()
    ))
}

/// Makes sure `openapi/pinterest-v5.json` is the pinned description, copying it in from where
/// the build finds it otherwise. Returns what was done, for the log.
pub fn description_in_place(root: &Path) -> Result<String, String> {
    let pin = Pin::read(root)?;
    let local = root.join(LOCAL_COPY);
    let pinned = |bytes: &[u8]| load::sha256_hex(bytes) == pin.sha256;
    if let Ok(bytes) = std::fs::read(&local) {
        if pinned(&bytes) {
            return Ok(format!("{LOCAL_COPY} is the pinned v{}", pin.version));
        }
        return Err(format!(
            "{} is not the pinned v{} (sha256 differs), so the package would not build: run `cargo xtask regen --version {}` (or `cargo xtask regen --from FILE`), or delete it to use ../shared",
            local.display(),
            pin.version,
            pin.tag
        ));
    }
    let from = load::candidates(root, &pin)
        .into_iter()
        .find(|p| p != &local && std::fs::read(p).is_ok_and(|b| pinned(&b)))
        .ok_or_else(|| {
            format!(
                "{LOCAL_COPY} is missing, so the package would be too, and no pinned copy was found: run `cargo xtask regen --version {}` (or `cargo xtask regen --from FILE`) first",
                pin.tag
            )
        })?;
    std::fs::copy(&from, &local)
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), local.display()))?;
    Ok(format!(
        "copied the pinned v{} from {} to {LOCAL_COPY} (git-ignored; packaged)",
        pin.version,
        from.display()
    ))
}

/// A command run with the description's environment variables removed.
fn cargo(dir: &Path) -> Command {
    let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    c.current_dir(dir)
        .env_remove(ENV_OPENAPI)
        .env_remove(ENV_UNPINNED)
        .env_remove("CARGO_TARGET_DIR");
    c
}

fn status(what: &str, c: &mut Command) -> Result<(), String> {
    let s = c.status().map_err(|e| format!("cannot run {what}: {e}"))?;
    if s.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({s}): see the errors above"))
    }
}

/// Checks that an unpacked package holds `files`.
fn holds(dir: &Path, files: &[&str]) -> Result<(), String> {
    let missing: Vec<&str> = files
        .iter()
        .copied()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the package {} lacks {}: list it in its Cargo.toml's `include`",
            dir.file_name().unwrap_or_default().to_string_lossy(),
            missing.join(", ")
        ))
    }
}

/// The consumer's `Cargo.toml`, from the template.
pub fn consumer_manifest(
    template: &str,
    crates: &Path,
    version: &str,
    codegen_version: &str,
    areas: Option<&[String]>,
) -> String {
    let features = match areas {
        None => String::new(),
        Some(areas) => format!(
            ", default-features = false, features = [{}]",
            areas
                .iter()
                .map(|a| format!("\"{a}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    template
        .replace("@VERSION@", version)
        .replace("@CODEGEN_VERSION@", codegen_version)
        .replace("@CRATES@", &crates.display().to_string())
        .replace("@FEATURES@", &features)
}

/// Runs the whole check, printing what it does and how long its parts took.
pub fn run(p: &PackageCheck) -> Result<(), String> {
    let root = &p.root;
    println!("package-check: {}", description_in_place(root)?);
    let version = package_version(&root.join("Cargo.toml"))?;
    let codegen_version = package_version(&root.join("codegen/Cargo.toml"))?;

    let started = Instant::now();
    status(
        "cargo package",
        cargo(root).args([
            "package",
            "--quiet",
            "--offline",
            "--allow-dirty",
            "--no-verify",
            "--package",
            "pinterest-v5-codegen",
            "--package",
            "pinterest-v5",
        ]),
    )?;

    // One directory per checkout, emptied first: two checkouts never share it.
    let id = &load::sha256_hex(root.display().to_string().as_bytes())[..12];
    let dir = std::env::temp_dir().join(format!("pinterest-v5-package-check-{id}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    let crates = dir.join("crates");
    std::fs::create_dir_all(&crates)
        .map_err(|e| format!("cannot create {}: {e}", crates.display()))?;
    let packaged = [
        format!("pinterest-v5-codegen-{codegen_version}"),
        format!("pinterest-v5-{version}"),
    ];
    for name in &packaged {
        let file = root.join("target/package").join(format!("{name}.crate"));
        // `-m`: the files get the time of unpacking, not the package's fixed one, so cargo
        // never takes a changed package for the one it built last time.
        status(
            "tar (unpacking a .crate)",
            Command::new("tar")
                .arg("-xzmf")
                .arg(&file)
                .arg("-C")
                .arg(&crates),
        )?;
    }
    let codegen_dir = crates.join(&packaged[0]);
    let crate_dir = crates.join(&packaged[1]);
    holds(&codegen_dir, &LICENCES)?;
    holds(&crate_dir, &LICENCES)?;
    holds(
        &crate_dir,
        &[LOCAL_COPY, DESCRIPTION_LICENCE, load::PIN_FILE],
    )?;
    let pin = Pin::read(&crate_dir)?;
    let shipped = std::fs::read(crate_dir.join(LOCAL_COPY))
        .map_err(|e| format!("cannot read the packaged description: {e}"))?;
    if load::sha256_hex(&shipped) != pin.sha256 {
        return Err(format!(
            "the packaged {LOCAL_COPY} is not the pinned v{}: run `cargo xtask regen --check`",
            pin.version
        ));
    }
    println!(
        "package-check: packaged and unpacked {} and {} into {} in {:.1} s: they hold the licences, and the description v{} ({} bytes, sha256 as pinned) with its licence notice",
        packaged[0],
        packaged[1],
        crates.display(),
        started.elapsed().as_secs_f64(),
        pin.version,
        shipped.len()
    );

    let consumer = dir.join("consumer");
    let template = root.join(CONSUMER);
    copy_dir(&template.join("src"), &consumer.join("src"))?;
    let manifest = std::fs::read_to_string(template.join("Cargo.toml.in"))
        .map_err(|e| format!("cannot read the consumer's template: {e}"))?;
    let manifest = consumer_manifest(
        &manifest,
        &crates,
        &version,
        &codegen_version,
        p.areas.as_deref(),
    );
    std::fs::write(consumer.join("Cargo.toml"), manifest)
        .map_err(|e| format!("cannot write the consumer's manifest: {e}"))?;
    // The versions the crate was packaged with, so that an offline build finds them cached.
    std::fs::copy(crate_dir.join("Cargo.lock"), consumer.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy the packaged Cargo.lock: {e}"))?;

    let target_dir = p
        .target_dir
        .clone()
        .unwrap_or_else(|| root.join("target/xtask/package-check-target"));
    let features = match &p.areas {
        None => "default features".to_string(),
        Some(a) => format!("features {}", a.join(",")),
    };
    let started = Instant::now();
    status(
        "the consumer's build",
        cargo(&consumer)
            .args(["build", "--quiet", "--offline"])
            .env("CARGO_TARGET_DIR", &target_dir),
    )?;
    println!(
        "package-check: the consumer built offline on the unpacked pinterest-v5 ({features}) in {:.1} s (target dir {})",
        started.elapsed().as_secs_f64(),
        target_dir.display()
    );
    status(
        "the consumer",
        cargo(&consumer)
            .args(["run", "--quiet", "--offline"])
            .env("CARGO_TARGET_DIR", &target_dir),
    )?;
    std::fs::remove_dir_all(&dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for entry in
        std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?
    {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            std::fs::copy(entry.path(), &dest)
                .map_err(|e| format!("cannot copy {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}
