//! `cargo xtask regen`, run as the binary on a temporary copy of the project (its `Cargo.toml`
//! and `openapi/`), with Pinterest's real descriptions v5.22.0 and v5.23.0 from
//! `../shared/openapi/` beside the workspace.

use pinterest_v5_codegen::load::sha256_hex;
use pinterest_v5_codegen::naming::{method_name, type_name};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// `../shared/openapi/pinterest-v5.<version>.json`, relative to the workspace.
fn shared(version: &str) -> PathBuf {
    let path = workspace()
        .join("../shared/openapi")
        .join(format!("pinterest-v5.{version}.json"));
    assert!(
        path.is_file(),
        "{} is missing: these tests need Pinterest's descriptions in ../shared/openapi/",
        path.display()
    );
    path
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// A temporary copy of what regen reads and writes: `Cargo.toml` and `openapi/pin.json`.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("openapi")).unwrap();
        std::fs::copy(
            workspace().join("Cargo.toml"),
            dir.path().join("Cargo.toml"),
        )
        .unwrap();
        std::fs::copy(
            workspace().join("openapi/pin.json"),
            dir.path().join("openapi/pin.json"),
        )
        .unwrap();
        Project { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn xtask(&self, args: &[&str]) -> Output {
        self.xtask_with_env(args, &[])
    }

    fn xtask_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
        cmd.args(args)
            .arg("--root")
            .arg(self.root())
            .env_remove("PINTEREST_V5_OPENAPI")
            .env_remove("PINTEREST_V5_UPSTREAM");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).unwrap()
    }

    /// Every file under the root, with its bytes.
    fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.insert(path.clone(), std::fs::read(&path).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(self.root(), &mut out);
        out
    }

    /// Runs regen, expects it to succeed, returns its stdout (the CHANGELOG section).
    fn regen(&self, args: &[&str]) -> String {
        let out = self.xtask(args);
        assert!(
            out.status.success(),
            "regen {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs regen, expects it to fail with one line naming `reason`, and the tree unchanged.
    fn refuses(&self, args: &[&str], env: &[(&str, &str)], reason: &str) -> String {
        let before = self.snapshot();
        let out = self.xtask_with_env(args, env);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success(), "regen {args:?} succeeded: {stderr}");
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "not one line: {stderr}"
        );
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains(reason), "no `{reason}` in: {stderr}");
        assert!(self.snapshot() == before, "regen {args:?} changed the tree");
        stderr
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ---------------------------------------------------------------------------------------------
// What the two descriptions differ by, computed from their JSON alone.

/// operationId → (set of parameter names, set of 2xx statuses), by generated method name.
fn operations(spec: &Value) -> BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> {
    let mut out = BTreeMap::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for (method, op) in item.as_object().unwrap() {
            if ![
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                continue;
            }
            let params = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| match p["$ref"].as_str() {
                    Some(r) => spec.pointer(r.trim_start_matches('#')).unwrap().clone(),
                    None => p.clone(),
                })
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect();
            let statuses = op["responses"]
                .as_object()
                .unwrap()
                .keys()
                .filter(|s| s.starts_with('2'))
                .cloned()
                .collect();
            let id = op["operationId"].as_str().unwrap();
            out.insert(method_name(id), (params, statuses));
        }
    }
    out
}

fn schemas(spec: &Value) -> BTreeMap<String, Value> {
    spec["components"]["schemas"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, s)| (type_name(name), s.clone()))
        .collect()
}

fn tags(spec: &Value) -> BTreeSet<String> {
    spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .flat_map(|op| op["tags"].as_array().cloned().unwrap_or_default())
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

fn property_names(schema: &Value) -> BTreeSet<String> {
    schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn names<V>(m: &BTreeMap<String, V>) -> BTreeSet<String> {
    m.keys().cloned().collect()
}

fn only_in<T: Ord + Clone>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> BTreeSet<T> {
    a.difference(b).cloned().collect()
}

// ---------------------------------------------------------------------------------------------
// What regen reported: its CHANGELOG section, read back.

/// The names bulleted under `### <heading> (N)`, checking N.
fn section(changelog: &str, heading: &str) -> BTreeSet<String> {
    let mut lines = changelog.lines();
    let Some(title) = lines.find(|l| l.starts_with(&format!("### {heading} ("))) else {
        return BTreeSet::new();
    };
    let names: Vec<String> = lines
        .take_while(|l| !l.starts_with("### "))
        .filter_map(|l| l.strip_prefix("- `"))
        .map(|l| l.split('`').next().unwrap().to_string())
        .collect();
    let count: usize = title
        .rsplit('(')
        .next()
        .unwrap()
        .trim_end_matches(')')
        .parse()
        .unwrap();
    assert_eq!(count, names.len(), "count in `{title}`");
    names.into_iter().collect()
}

/// The sub-bullets of one changed entry.
fn details<'a>(changelog: &'a str, name: &str) -> Vec<&'a str> {
    let mut lines = changelog.lines();
    let header = format!("- `{name}`");
    assert!(
        lines.any(|l| l == header),
        "no changed entry `{name}` in:\n{changelog}"
    );
    lines
        .take_while(|l| l.starts_with("  - "))
        .map(|l| l.trim_start_matches("  - "))
        .collect()
}

#[test]
fn upgrade_from_v5_22_0_to_v5_23_0_reports_what_the_descriptions_differ_by() {
    let (old_file, new_file) = (shared("22.0"), shared("23.0"));
    let (old, new) = (json(&old_file), json(&new_file));
    let p = Project::new();

    let first = p.regen(&["regen", "--from", path_str(&old_file)]);
    assert!(first.starts_with("## Pinterest API v5.22.0\n"), "{first}");
    let pin: Value = serde_json::from_str(&p.read("openapi/pin.json")).unwrap();
    assert_eq!(pin["version"], "5.22.0");
    assert_eq!(pin["tag"], "v5.22.0");
    assert_eq!(
        pin["sha256"].as_str().unwrap(),
        sha256_hex(&std::fs::read(&old_file).unwrap())
    );
    assert_eq!(
        std::fs::read(p.root().join("openapi/pinterest-v5.json")).unwrap(),
        std::fs::read(&old_file).unwrap()
    );

    let changelog = p.regen(&["regen", "--from", path_str(&new_file)]);
    assert!(
        changelog.starts_with("## Pinterest API v5.23.0\n"),
        "{changelog}"
    );
    assert!(changelog.contains("(was v5.22.0)"), "{changelog}");

    // operations added and removed
    let (ops_old, ops_new) = (operations(&old), operations(&new));
    let expected_added = only_in(&names(&ops_new), &names(&ops_old));
    assert!(!expected_added.is_empty(), "v5.23.0 adds operations");
    assert_eq!(section(&changelog, "Operations added"), expected_added);
    assert_eq!(
        section(&changelog, "Operations removed"),
        only_in(&names(&ops_old), &names(&ops_new))
    );
    // an operation whose parameters or success statuses differ is reported changed
    let changed_ops = section(&changelog, "Operations changed");
    for (name, (params, statuses)) in &ops_new {
        if let Some((old_params, old_statuses)) = ops_old.get(name)
            && (params != old_params || statuses != old_statuses)
        {
            assert!(changed_ops.contains(name), "{name} not reported changed");
        }
    }

    // models added and removed
    let (schemas_old, schemas_new) = (schemas(&old), schemas(&new));
    let expected_added = only_in(&names(&schemas_new), &names(&schemas_old));
    let expected_removed = only_in(&names(&schemas_old), &names(&schemas_new));
    assert!(!expected_added.is_empty() && !expected_removed.is_empty());
    assert_eq!(section(&changelog, "Models added"), expected_added);
    assert_eq!(section(&changelog, "Models removed"), expected_removed);

    // a model whose properties or enum values differ is reported changed, naming them
    let changed_models = section(&changelog, "Models changed");
    let mut checked = 0;
    for (name, schema) in &schemas_new {
        let Some(before) = schemas_old.get(name) else {
            continue;
        };
        let (props, old_props) = (property_names(schema), property_names(before));
        for prop in only_in(&props, &old_props) {
            let lines = details(&changelog, name);
            let added = format!("field added: `{prop}");
            assert!(
                lines.iter().any(|l| l.starts_with(&added)),
                "{name}: {lines:?}"
            );
            checked += 1;
        }
        for prop in only_in(&old_props, &props) {
            let lines = details(&changelog, name);
            let removed = format!("field removed: `{prop}");
            assert!(
                lines.iter().any(|l| l.starts_with(&removed)),
                "{name}: {lines:?}"
            );
            checked += 1;
        }
        if schema["enum"] != before["enum"] {
            assert!(changed_models.contains(name), "{name} not reported changed");
            checked += 1;
        }
    }
    assert!(checked > 0, "v5.23.0 changes some models' fields or values");

    // the new API area becomes a cargo feature
    let new_tags = only_in(&tags(&new), &tags(&old));
    assert!(!new_tags.is_empty());
    for tag in &new_tags {
        assert!(
            changelog.contains(&format!("- added: `{tag}`")),
            "{changelog}"
        );
        assert!(p.read("Cargo.toml").contains(&format!("\n{tag} = []\n")));
    }

    // the result is in step with the description in place
    let check = p.xtask(&["regen", "--check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    // a generation pass added since: only the report is stale, and a plain regen fixes it
    let fixes = p.read("openapi/fixes.txt");
    let last = fixes.lines().last().unwrap().to_string();
    let without_last = fixes.replace(&format!("{last}\n"), "");
    std::fs::write(p.root().join("openapi/fixes.txt"), without_last).unwrap();
    let check = p.xtask(&["regen", "--check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(!check.status.success(), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines[0], "stale: openapi/fixes.txt", "{stderr}");
    assert!(
        lines[1].starts_with("    + ") && last.starts_with(&lines[1][6..]),
        "{stderr}"
    );
    assert!(
        lines[2].starts_with("error: 1 file(s) stale")
            && lines[2].contains("run `cargo xtask regen` and commit"),
        "{stderr}"
    );
}

#[test]
fn check_names_each_stale_file() {
    let p = Project::new();
    // pinned v5.23.0, but v5.22.0 in place; report and features out of step
    std::fs::copy(shared("22.0"), p.root().join("openapi/pinterest-v5.json")).unwrap();
    std::fs::write(p.root().join("openapi/fixes.txt"), "").unwrap();
    let before = p.snapshot();
    let out = p.xtask(&["regen", "--check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    for stale in [
        "stale: openapi/pin.json",
        "stale: openapi/fixes.txt",
        "stale: Cargo.toml (the features block)",
    ] {
        assert!(stderr.contains(stale), "no `{stale}` in: {stderr}");
    }
    assert!(stderr.contains("cargo xtask regen --from"), "{stderr}");
    assert!(p.snapshot() == before, "--check changed the tree");
}

#[test]
fn a_missing_file_is_refused() {
    let p = Project::new();
    p.refuses(
        &["regen", "--from", "/nonexistent/openapi.json"],
        &[],
        "cannot read /nonexistent/openapi.json",
    );
}

#[test]
fn a_file_that_is_not_json_is_refused() {
    let p = Project::new();
    let file = p.root().join("notes.txt");
    std::fs::write(&file, "openapi: 3.0.3\ninfo: {}\n").unwrap();
    p.refuses(&["regen", "--from", path_str(&file)], &[], "not JSON");
}

#[test]
fn json_that_is_not_openapi_3_0_is_refused() {
    let p = Project::new();
    let cases = [
        (
            r#"{"swagger": "2.0", "info": {"version": "1"}, "paths": {}}"#,
            "not an OpenAPI document",
        ),
        (
            r#"{"openapi": "3.1.0", "info": {"version": "1"}, "paths": {}}"#,
            "OpenAPI 3.1.0, but only 3.0.x is supported",
        ),
        (
            r#"{"openapi": "3.0.3", "info": {}, "paths": {}}"#,
            "without `info.version`",
        ),
        (
            r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {"operationId": "x", "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}}}}}}}}"##,
            "`$ref` to nothing: #/components/schemas/Gone",
        ),
    ];
    for (i, (text, reason)) in cases.iter().enumerate() {
        let file = p.root().join(format!("case{i}.json"));
        std::fs::write(&file, text).unwrap();
        p.refuses(&["regen", "--from", path_str(&file)], &[], reason);
        std::fs::remove_file(&file).unwrap();
    }
}

#[test]
fn a_description_the_generator_rejects_is_refused_before_anything_is_written() {
    let p = Project::new();
    let file = p.root().join("no-operation-id.json");
    // valid OpenAPI 3.0, but progenitor needs an operationId on every operation
    std::fs::write(
        &file,
        r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "9.9.9"},
            "paths": {"/x": {"get": {"tags": ["x"], "responses": {"200": {"description": "ok"}}}}}}"#,
    )
    .unwrap();
    p.refuses(
        &["regen", "--from", path_str(&file)],
        &[],
        "generation from",
    );
}

#[test]
fn a_sha256_mismatch_is_refused() {
    let p = Project::new();
    let new_file = shared("23.0");
    let wrong = "0".repeat(64);
    p.refuses(
        &["regen", "--from", path_str(&new_file), "--sha256", &wrong],
        &[],
        "sha256 mismatch",
    );
    // the pin says v5.23.0; another file in place does not pass for it
    std::fs::copy(shared("22.0"), p.root().join("openapi/pinterest-v5.json")).unwrap();
    let line = p.refuses(&["regen"], &[], "sha256 mismatch");
    assert!(line.contains("cargo xtask regen --from"), "{line}");
}

#[test]
fn a_download_without_network_fails_at_once_naming_from() {
    let p = Project::new();
    // a closed loopback port stands for "no network"
    let line = p.refuses(
        &["regen", "--version", "v5.23.0"],
        &[("PINTEREST_V5_UPSTREAM", "https://127.0.0.1:1")],
        "cannot download https://127.0.0.1:1/v5.23.0/v5/openapi.json",
    );
    assert!(line.contains("--from"), "{line}");
}

#[test]
fn a_tag_that_is_not_a_release_is_refused() {
    let p = Project::new();
    p.refuses(
        &["regen", "--version", "../../etc/passwd"],
        &[],
        "is not a release tag",
    );
}

#[test]
fn without_the_description_pinned_before_the_changelog_says_it_cannot_compare() {
    let p = Project::new();
    // pinned v5.23.0, but no v5.23.0 file anywhere regen looks
    let changelog = p.regen(&["regen", "--from", path_str(&shared("22.0"))]);
    assert!(
        changelog.contains("the description pinned before is not at hand"),
        "{changelog}"
    );
    assert!(!changelog.contains("### Models added"), "{changelog}");
}
