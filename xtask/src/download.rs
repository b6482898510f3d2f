//! Downloads a tagged release of the description from Pinterest's repository.
//!
//! The download runs `curl` as a subprocess rather than an HTTP client crate: a maintenance task
//! fetches one file every month or two, and curl (on every developer machine and CI image) brings
//! TLS, proxies (`https_proxy`) and redirects without compiling a second TLS stack into xtask
//! (the crate's reqwest is built without a provider and without `blocking`, so reusing it would
//! still mean another build of it). With no network, curl fails at once (name resolution), and
//! the message names `--from`, the offline way.

use std::process::Command;

/// Environment variable replacing `https://raw.githubusercontent.com/pinterest/api-description`
/// (tests point it at a closed loopback port).
pub const ENV_UPSTREAM: &str = "PINTEREST_V5_UPSTREAM";

/// Checks a release tag (`v5.23.0` or `5.23.0`) and returns it as upstream spells it (`v5.23.0`).
pub fn normalize_tag(tag: &str) -> Result<String, String> {
    let bare = tag.strip_prefix('v').unwrap_or(tag);
    let parts: Vec<&str> = bare.split('.').collect();
    let numeric = parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if numeric {
        Ok(format!("v{bare}"))
    } else {
        Err(format!(
            "`{tag}` is not a release tag: use one like `v5.23.0` (see the tags of pinterest/api-description)"
        ))
    }
}

/// The address of a tagged release of the description.
pub fn url(tag: &str) -> String {
    match std::env::var(ENV_UPSTREAM) {
        Ok(base) => format!("{}/{tag}/v5/openapi.json", base.trim_end_matches('/')),
        Err(_) => pinterest_v5_codegen::load::Pin::upstream_url(tag),
    }
}

/// Fetches `url` over HTTPS; every failure is one line naming `--from`.
pub fn fetch(url: &str) -> Result<Vec<u8>, String> {
    let offline = "without network, download it elsewhere and run `cargo xtask regen --from FILE`";
    let out = Command::new("curl")
        .args([
            "--silent",
            "--show-error",
            "--fail",
            "--location",
            "--proto",
            "=https",
            "--connect-timeout",
            "10",
            "--max-time",
            "300",
            url,
        ])
        .output()
        .map_err(|e| format!("cannot run curl to download {url} ({e}): {offline}"))?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        let why = crate::one_line(why.trim());
        return Err(format!("cannot download {url} ({why}): {offline}"));
    }
    Ok(out.stdout)
}
