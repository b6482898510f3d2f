//! Step 1: find Pinterest's description and check it against the pin.
//!
//! The project commits only `openapi/pin.json` (version, upstream address, sha256). Where the
//! description is looked up depends on what the crate is being built from ([`Origin`]):
//!
//! 1. the path in the environment variable `PINTEREST_V5_OPENAPI`, if set (any origin);
//! 2. `openapi/pinterest-v5.json`: where `cargo xtask regen` puts it in a checkout (git-ignored),
//!    and where the packaged crate carries it (`include` in Cargo.toml);
//! 3. in a checkout only, `../shared/openapi/pinterest-v5.<version>.json` beside it (offline
//!    copies).
//!
//! Whatever is found must hash to the pinned sha256. A packaged crate therefore needs nothing
//! beside it: no `../shared`, no environment variable, no network.
//!
//! A git dependency is a checkout without the description (the repository never commits it) and
//! cargo runs no `xtask` for a dependency: it builds once `PINTEREST_V5_OPENAPI` names a copy of
//! the pinned release (set it in the dependent's `.cargo/config.toml`, `[env]`), and otherwise
//! stops with one line saying so. The build script does not download it: a build that reaches
//! the network is one that breaks offline, in sandboxes (docs.rs) and behind proxies.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Environment variable naming a description file to use instead of the default places.
pub const ENV_OPENAPI: &str = "PINTEREST_V5_OPENAPI";

/// Set to `1` (with [`ENV_OPENAPI`]) to generate from a description other than the pinned one,
/// on purpose: CI checks that the crate still builds on the previous release this way.
pub const ENV_UNPINNED: &str = "PINTEREST_V5_UNPINNED";

/// Where the description is copied to inside the project.
pub const LOCAL_COPY: &str = "openapi/pinterest-v5.json";

/// The pin file, relative to the project root.
pub const PIN_FILE: &str = "openapi/pin.json";

/// The committed pin: which release of the description the crate is generated from.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Pin {
    /// `info.version` of the description, e.g. `5.23.0`.
    pub version: String,
    /// Upstream git tag, e.g. `v5.23.0`.
    pub tag: String,
    /// Lowercase hex sha256 of the description file's bytes.
    pub sha256: String,
    /// Where the file was (or can be) downloaded from.
    pub source: String,
}

impl Pin {
    /// Reads `openapi/pin.json` under `root`.
    pub fn read(root: &Path) -> Result<Pin, String> {
        let path = root.join(PIN_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a valid pin: {e}", path.display()))
    }

    /// The upstream address of a tagged copy of the description.
    pub fn upstream_url(tag: &str) -> String {
        format!("https://raw.githubusercontent.com/pinterest/api-description/{tag}/v5/openapi.json")
    }

    /// Serialises the pin as committed (pretty JSON, trailing newline).
    pub fn to_file_text(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a pin always serialises");
        s.push('\n');
        s
    }
}

/// Lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What the crate is being built from: it decides where the description may be, and what to
/// say when it is not there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The project's own checkout (a developer's, CI's).
    Checkout,
    /// An unpacked `.crate` (crates.io, `cargo package`'s verification): cargo writes
    /// `Cargo.toml.orig` into every package.
    Package,
    /// A checkout of the repository made by cargo for a git dependency (under
    /// `$CARGO_HOME/git/checkouts/`, marked with cargo's `.cargo-ok`).
    GitDependency,
}

impl Origin {
    /// The origin of the crate rooted at `root`.
    pub fn of(root: &Path) -> Origin {
        if root.join("Cargo.toml.orig").is_file() {
            Origin::Package
        } else if root.join(".cargo-ok").is_file()
            || root
                .components()
                .collect::<Vec<_>>()
                .windows(2)
                .any(|w| w[0].as_os_str() == "git" && w[1].as_os_str() == "checkouts")
        {
            Origin::GitDependency
        } else {
            Origin::Checkout
        }
    }
}

/// The places searched for the description, in order (see the module's documentation).
pub fn candidates(root: &Path, pin: &Pin) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(p) = std::env::var_os(ENV_OPENAPI) {
        out.push(PathBuf::from(p));
    }
    out.push(root.join(LOCAL_COPY));
    if let (Origin::Checkout, Some(parent)) = (Origin::of(root), root.parent()) {
        out.push(
            parent
                .join("shared/openapi")
                .join(format!("pinterest-v{}.json", pin.version)),
        );
    }
    out
}

/// What to do when the description is missing or is not the pinned one, for `origin`: one
/// clause, to end an error line with.
pub fn remedy(origin: Origin, pin: &Pin) -> String {
    match origin {
        Origin::Checkout => format!(
            "run `cargo xtask regen --version {}` to fetch it (or `cargo xtask regen --from FILE` offline), or set {ENV_OPENAPI}=/path/to/openapi.json",
            pin.tag
        ),
        Origin::Package => format!(
            "the package must carry the pinned description as {LOCAL_COPY}: package it from a checkout that has it (there run `cargo xtask regen --version {}` or `cargo xtask regen --from FILE`, then `cargo package`)",
            pin.tag
        ),
        Origin::GitDependency => format!(
            "a git dependency carries no description (the repository does not commit it): download {} (sha256 {}) and set {ENV_OPENAPI} to its path (e.g. in .cargo/config.toml: [env] {ENV_OPENAPI} = {{ value = \"pinterest-v{}.json\", relative = true }}), or depend on the crates.io release, which carries it",
            pin.source, pin.sha256, pin.version
        ),
    }
}

/// A description found and verified.
pub struct Loaded {
    /// The file it was read from.
    pub path: PathBuf,
    /// Its bytes, parsed.
    pub spec: Value,
}

/// Finds the pinned description, checks its sha256 and parses it.
///
/// Every error is one line that says what to run.
pub fn load_pinned(root: &Path) -> Result<Loaded, String> {
    let pin = Pin::read(root)?;
    let fetch = remedy(Origin::of(root), &pin);
    let places = candidates(root, &pin);
    let Some(path) = places.iter().find(|p| p.is_file()) else {
        let looked: Vec<String> = places.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "Pinterest's OpenAPI description v{} is missing (looked in {}): {fetch}",
            pin.version,
            looked.join(", ")
        ));
    };
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read {}: {e}; {fetch}", path.display()))?;
    let sha = sha256_hex(&bytes);
    let unpinned = std::env::var_os(ENV_OPENAPI).is_some()
        && std::env::var(ENV_UNPINNED).is_ok_and(|v| v == "1");
    if sha != pin.sha256 && !unpinned {
        return Err(format!(
            "{} has sha256 {sha}, but openapi/pin.json pins v{} at {}: {fetch}",
            path.display(),
            pin.version,
            pin.sha256
        ));
    }
    let spec = parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Loaded {
        path: path.clone(),
        spec,
    })
}

/// Parses bytes as an OpenAPI 3.0.x description (JSON), with a one-line reason when they are not.
pub fn parse(bytes: &[u8]) -> Result<Value, String> {
    let spec: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON ({e})"))?;
    let version = spec.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.0.") {
        return Err(if version.is_empty() {
            "JSON, but not an OpenAPI document (no `openapi` field)".to_string()
        } else {
            format!("OpenAPI {version}, but only 3.0.x is supported")
        });
    }
    if spec
        .pointer("/info/version")
        .and_then(Value::as_str)
        .is_none()
    {
        return Err("OpenAPI document without `info.version`".to_string());
    }
    if !spec.get("paths").is_some_and(Value::is_object) {
        return Err("OpenAPI document without `paths`".to_string());
    }
    let dangling = dangling_refs(&spec);
    if let Some(first) = dangling.first() {
        return Err(format!(
            "OpenAPI document with a `$ref` to nothing: {first}{}",
            match dangling.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            }
        ));
    }
    Ok(spec)
}

/// The local `$ref`s (`#/…`) that point at nothing, each once, in document order. (typify
/// panics on them; this turns that into an error message.)
pub fn dangling_refs(spec: &Value) -> Vec<String> {
    fn walk(v: &Value, spec: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    if let ("$ref", Value::String(r)) = (k.as_str(), child) {
                        let found = r
                            .strip_prefix('#')
                            .is_some_and(|p| spec.pointer(p).is_some());
                        if r.starts_with('#') && !found && !out.contains(r) {
                            out.push(r.clone());
                        }
                    } else {
                        walk(child, spec, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|c| walk(c, spec, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(spec, spec, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin() -> Pin {
        Pin {
            version: "5.23.0".into(),
            tag: "v5.23.0".into(),
            sha256: "0".repeat(64),
            source: Pin::upstream_url("v5.23.0"),
        }
    }

    /// An empty directory of its own under the system's temporary directory.
    fn dir(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("pinterest-v5-load-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("a temporary directory");
        d
    }

    #[test]
    fn a_package_looks_only_inside_itself() {
        let root = dir("package");
        std::fs::write(root.join("Cargo.toml.orig"), "").expect("written");
        assert_eq!(Origin::of(&root), Origin::Package);
        let places = candidates(&root, &pin());
        assert!(
            places
                .iter()
                .all(|p| p.starts_with(&root) || std::env::var_os(ENV_OPENAPI).is_some())
        );
        assert!(places.contains(&root.join(LOCAL_COPY)));
    }

    #[test]
    fn a_checkout_also_looks_in_shared_beside_it() {
        let root = dir("checkout");
        assert_eq!(Origin::of(&root), Origin::Checkout);
        let shared = root
            .parent()
            .expect("a parent")
            .join("shared/openapi/pinterest-v5.23.0.json");
        assert!(candidates(&root, &pin()).contains(&shared));
    }

    #[test]
    fn a_git_dependency_is_told_what_to_download_and_set() {
        let root = dir("git");
        std::fs::write(root.join(".cargo-ok"), "").expect("written");
        std::fs::create_dir_all(root.join("openapi")).expect("a directory");
        std::fs::write(root.join(PIN_FILE), pin().to_file_text()).expect("written");
        assert_eq!(Origin::of(&root), Origin::GitDependency);
        assert_eq!(
            Origin::of(Path::new(
                "/home/u/.cargo/git/checkouts/pinterest-v5-f5a3/22ab583"
            )),
            Origin::GitDependency
        );
        let remedy = remedy(Origin::GitDependency, &pin());
        assert!(
            remedy.contains(&pin().source) && remedy.contains(ENV_OPENAPI),
            "{remedy}"
        );
        let Err(message) = load_pinned(&root) else {
            panic!("found a description in an empty git checkout")
        };
        if std::env::var_os(ENV_OPENAPI).is_none() {
            assert!(
                !message.contains('\n') && message.contains("git dependency"),
                "{message}"
            );
        }
    }
}
