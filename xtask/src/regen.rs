//! `cargo xtask regen`: move the crate to a release of Pinterest's description, or `--check`
//! that the committed files are in step with the description in place.
//!
//! Everything that can fail runs first ([`prepare`]): getting the description, checking it is
//! OpenAPI 3.0, the optional sha256, the whole generation pipeline (`pinterest_v5_codegen::run`,
//! the one `build.rs` runs), the features block, and the changelog: the surface of the new
//! description against that of the description pinned until now, when it is still in place (the
//! summaries are derived, never committed). Only then are files written ([`Plan::apply`]), each
//! through a temporary file renamed into place.

use crate::{changelog, download, features, one_line};
use pinterest_v5_codegen::load::{self, Pin};
use pinterest_v5_codegen::surface::Surface;
use pinterest_v5_codegen::{filter, run};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The committed report of the fixes.
pub const FIXES: &str = "openapi/fixes.txt";
/// The root manifest holding the features block.
pub const CARGO_TOML: &str = "Cargo.toml";

/// Where the new description comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// `--from FILE`: a local copy.
    File(PathBuf),
    /// `--version TAG`: the tagged release upstream.
    Upstream(String),
    /// Neither: the pinned description already in place (re-derives the committed files).
    InPlace,
}

/// What `cargo xtask regen` was asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// The project root (holds `Cargo.toml` and `openapi/`).
    pub root: PathBuf,
    /// Where the description comes from.
    pub source: Source,
    /// `--sha256 HEX`: the checksum the description must have.
    pub sha256: Option<String>,
}

/// The files a regen writes, computed before any is written.
pub struct Plan {
    /// (path relative to the root, new content).
    pub writes: Vec<(&'static str, Vec<u8>)>,
    /// The change against the description pinned before, as a CHANGELOG section.
    pub changelog: String,
    /// The new pin.
    pub pin: Pin,
    /// Where the description was read from.
    pub origin: String,
}

/// What a description yields: the files derived from it.
struct Derived {
    surface: Surface,
    fixes_text: String,
    areas: std::collections::BTreeSet<String>,
    features_block: String,
}

fn derive(spec: &Value, origin: &str) -> Result<Derived, String> {
    let output = run_quietly(spec)
        .map_err(|e| format!("generation from {origin} failed: {}", one_line(&e)))?;
    let surface = Surface::of(spec);
    let version = &surface.version;
    let fixes_text = format!(
        "# Fixes applied by the generation pipeline to Pinterest API v{version}: written by `cargo xtask regen`, do not edit.\n# name, count, unit, why: the fixes of codegen/src/fix.rs (FIXES), then the passes of codegen/src/generate/mod.rs (PASSES), in the order they run\n{}",
        output.report
    );
    let areas = filter::areas(spec);
    let features_block = features::render(&areas)?;
    Ok(Derived {
        surface,
        fixes_text,
        areas,
        features_block,
    })
}

/// Runs the pipeline, turning a panic of the generator (typify and progenitor assert on
/// descriptions they do not handle) into an error instead of a backtrace.
fn run_quietly(spec: &Value) -> Result<pinterest_v5_codegen::Output, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| run(spec, None));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        Err(format!("the generator panicked: {why}"))
    })
}

fn read_text(root: &Path, rel: &str) -> Result<Option<String>, String> {
    let path = root.join(rel);
    match std::fs::read_to_string(&path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// The surface of the description `pin` names, read from the first of [`load::candidates`]
/// whose sha256 is the pinned one (regen reads it before it writes the new one in its place).
/// `None` when there is no pin yet or that description is no longer at hand.
fn previous_surface(root: &Path, pin: Option<&Pin>) -> Option<Surface> {
    let pin = pin?;
    load::candidates(root, pin).iter().find_map(|path| {
        let bytes = std::fs::read(path).ok()?;
        if load::sha256_hex(&bytes) != pin.sha256 {
            return None;
        }
        load::parse(&bytes).ok().map(|spec| Surface::of(&spec))
    })
}

/// The description in place: the first of [`load::candidates`] that exists (what `build.rs`
/// would read).
fn in_place(root: &Path, pin: &Pin) -> Result<PathBuf, String> {
    let places = load::candidates(root, pin);
    places.iter().find(|p| p.is_file()).cloned().ok_or_else(|| {
        let looked: Vec<String> = places.iter().map(|p| p.display().to_string()).collect();
        format!(
            "no description in place (looked in {}): run `cargo xtask regen --version {}` or `cargo xtask regen --from FILE`",
            looked.join(", "),
            pin.tag
        )
    })
}

fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| {
        format!(
            "cannot read {}: {}",
            path.display(),
            one_line(&e.to_string())
        )
    })
}

/// Gets, checks and derives everything; writes nothing.
pub fn prepare(opts: &Options) -> Result<Plan, String> {
    let root = &opts.root;
    let old_pin = if root.join(load::PIN_FILE).is_file() {
        Some(Pin::read(root)?)
    } else {
        None
    };
    let (bytes, origin, tag) = match &opts.source {
        Source::File(path) => (read_file(path)?, path.display().to_string(), None),
        Source::Upstream(tag) => {
            let tag = download::normalize_tag(tag)?;
            let url = download::url(&tag);
            (download::fetch(&url)?, url, Some(tag))
        }
        Source::InPlace => {
            let pin = old_pin.as_ref().ok_or_else(|| {
                format!(
                    "{} is missing: run `cargo xtask regen --from FILE` or `--version TAG`",
                    root.join(load::PIN_FILE).display()
                )
            })?;
            let path = in_place(root, pin)?;
            let bytes = read_file(&path)?;
            let sha = load::sha256_hex(&bytes);
            if sha != pin.sha256 {
                return Err(format!(
                    "sha256 mismatch: {} has {sha}, but {} pins v{} at {}: run `cargo xtask regen --from {}` to pin it",
                    path.display(),
                    load::PIN_FILE,
                    pin.version,
                    pin.sha256,
                    path.display()
                ));
            }
            (bytes, path.display().to_string(), None)
        }
    };
    let sha256 = load::sha256_hex(&bytes);
    if let Some(expected) = opts
        .sha256
        .as_ref()
        .filter(|e| !e.eq_ignore_ascii_case(&sha256))
    {
        return Err(format!(
            "sha256 mismatch: {origin} has {sha256}, but --sha256 expects {}",
            expected.to_lowercase()
        ));
    }
    let spec = load::parse(&bytes).map_err(|e| format!("{origin}: {}", one_line(&e)))?;
    let version = spec
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if let Some(tag) = &tag
        && tag.trim_start_matches('v') != version
    {
        return Err(format!(
            "{origin} says it is v{version} (info.version), not {tag}: check the tag"
        ));
    }
    let tag = tag.unwrap_or_else(|| format!("v{version}"));
    let source = match (&opts.source, &old_pin) {
        (Source::InPlace, Some(pin)) if pin.tag == tag => pin.source.clone(),
        (Source::Upstream(_), _) => origin.clone(),
        _ => Pin::upstream_url(&tag),
    };
    let pin = Pin {
        version,
        tag,
        sha256,
        source,
    };

    let derived = derive(&spec, &origin)?;
    let toml = read_text(root, CARGO_TOML)?.ok_or_else(|| {
        format!(
            "{} is missing: is --root the project's root?",
            root.join(CARGO_TOML).display()
        )
    })?;
    let old_areas = features::areas(features::current(&toml)?);
    let new_toml = features::replace(&toml, &derived.features_block)?;
    let old_surface = previous_surface(root, old_pin.as_ref());
    let changelog = changelog::render(
        old_surface.as_ref(),
        &derived.surface,
        &old_areas,
        &derived.areas,
    );
    let mut writes = Vec::new();
    // a description already in place (say ../shared/openapi/) stays where build.rs finds it
    if opts.source != Source::InPlace {
        writes.push((load::LOCAL_COPY, bytes));
    }
    writes.extend([
        (load::PIN_FILE, pin.to_file_text().into_bytes()),
        (CARGO_TOML, new_toml.into_bytes()),
        (FIXES, derived.fixes_text.into_bytes()),
    ]);
    Ok(Plan {
        writes,
        changelog,
        pin,
        origin,
    })
}

impl Plan {
    /// Writes the files that differ; returns their paths (relative to the root).
    pub fn apply(&self, root: &Path) -> Result<Vec<&'static str>, String> {
        let mut written = Vec::new();
        for (rel, content) in &self.writes {
            let path = root.join(rel);
            if std::fs::read(&path).is_ok_and(|old| &old == content) {
                continue;
            }
            let tmp = path.with_extension("regen-tmp");
            std::fs::write(&tmp, content)
                .and_then(|()| std::fs::rename(&tmp, &path))
                .map_err(|e| {
                    let _ = std::fs::remove_file(&tmp);
                    format!("cannot write {}: {e}", path.display())
                })?;
            written.push(*rel);
        }
        Ok(written)
    }
}

/// What `cargo xtask regen --check` found.
pub struct Check {
    /// The description in place it checked against.
    pub path: PathBuf,
    /// Whether the pin itself is stale (then `--from PATH` re-pins; else a plain regen).
    pub pin_stale: bool,
    /// One line per stale file, then indented lines saying how it differs.
    pub stale: Vec<String>,
}

impl Check {
    /// The command that brings the files in step.
    pub fn remedy(&self) -> String {
        if self.pin_stale {
            format!("cargo xtask regen --from {}", self.path.display())
        } else {
            "cargo xtask regen".to_string()
        }
    }
}

/// Lines only in `expected` (`+`) and only in `committed` (`-`), a few of each, shortened.
fn line_changes(committed: &str, expected: &str) -> Vec<String> {
    let short = |l: &str| l.chars().take(100).collect::<String>();
    let mut out: Vec<String> = expected
        .lines()
        .filter(|l| !committed.lines().any(|c| c == *l))
        .map(|l| format!("    + {}", short(l)))
        .collect();
    out.extend(
        committed
            .lines()
            .filter(|l| !expected.lines().any(|e| e == *l))
            .map(|l| format!("    - {}", short(l))),
    );
    if out.len() > 12 {
        let more = out.len() - 10;
        out.truncate(10);
        out.push(format!("    … and {more} more lines"));
    }
    out
}

/// `cargo xtask regen --check`: compares the committed files with what the description in
/// place yields. An error when that description cannot be read.
pub fn check(root: &Path) -> Result<Check, String> {
    let pin = Pin::read(root)?;
    let path = in_place(root, &pin)?;
    let bytes = read_file(&path)?;
    let spec = load::parse(&bytes).map_err(|e| format!("{}: {}", path.display(), one_line(&e)))?;
    let origin = path.display().to_string();
    let derived = derive(&spec, &origin)?;
    let mut stale = Vec::new();
    let sha = load::sha256_hex(&bytes);
    let version = spec.pointer("/info/version").and_then(Value::as_str);
    let pin_stale = sha != pin.sha256 || version != Some(pin.version.as_str());
    if pin_stale {
        stale.push(format!(
            "{} (pins v{} sha256 {}; the description in place is v{} sha256 {sha})",
            load::PIN_FILE,
            pin.version,
            pin.sha256,
            version.unwrap_or("?")
        ));
    }
    let committed = read_text(root, FIXES)?.unwrap_or_default();
    if committed != derived.fixes_text {
        stale.push(FIXES.to_string());
        stale.extend(line_changes(&committed, &derived.fixes_text));
    }
    let toml = read_text(root, CARGO_TOML)?.unwrap_or_default();
    let block = features::current(&toml)?;
    if block != derived.features_block {
        stale.push(format!("{CARGO_TOML} (the features block)"));
        stale.extend(line_changes(block, &derived.features_block));
    }
    Ok(Check {
        path,
        pin_stale,
        stale,
    })
}
