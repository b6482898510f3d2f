//! Each generation pass, shown on a minimal description (`golden/description.json`: two pin
//! operations, a token endpoint, their schemas).
//!
//! For every row of `generate::PASSES`, in order: the description is fixed as the pipeline
//! fixes it, progenitor generates its client, the passes above the row run, and then the row's
//! pass alone. What that pass changed, as a unified diff of the generated source, and the count
//! it reported must equal `golden/<pass>.diff`. A pass without a golden file, or one that
//! changes nothing here, fails: every pass is shown at work.
//!
//! After a deliberate change, `BLESS=1 cargo test -p pinterest-v5-codegen --test passes`
//! rewrites the golden files; read their diff before committing it.

#![cfg(feature = "generate")]

use pinterest_v5_codegen::{fix, generate};
use serde_json::Value;
use std::path::PathBuf;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn description() -> Value {
    let text = std::fs::read_to_string(golden_dir().join("description.json"))
        .expect("tests/golden/description.json is readable");
    let mut spec: Value = serde_json::from_str(&text).expect("the description is JSON");
    fix::apply_all(&mut spec);
    spec
}

/// The golden text of one pass: its count, then the diff of what it changed.
fn shown(name: &str, count: usize, before: &str, after: &str) -> String {
    let diff = similar::TextDiff::from_lines(before, after);
    let unified = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("{name} (before)"), &format!("{name} (after)"))
        .to_string();
    format!("count: {count}\n{unified}")
}

/// Compares `actual` with `golden/<name>.diff`, or writes it there under `BLESS=1`.
fn check(name: &str, actual: &str) -> Result<(), String> {
    let path = golden_dir().join(format!("{name}.diff"));
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, actual).map_err(|e| format!("{}: {e}", path.display()))?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(&path).map_err(|_| {
        format!(
            "{name}: no golden file {} (run with BLESS=1 to write it)",
            path.display()
        )
    })?;
    if expected != actual {
        return Err(format!(
            "{name}: the pass's output differs from {} (BLESS=1 accepts it):\n{}",
            path.display(),
            similar::TextDiff::from_lines(expected.as_str(), actual)
                .unified_diff()
                .header("golden", "now")
        ));
    }
    Ok(())
}

#[test]
fn every_pass_changes_the_minimal_description_as_its_golden_file_shows() {
    let spec = description();
    let mut file = generate::progenitor(&spec).expect("progenitor generates the description");
    let mut failures = Vec::new();
    for step in generate::PASSES {
        let name = step.pass.name;
        let before = prettyplease::unparse(&file);
        let count = step
            .run(&spec, &mut file)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let after = prettyplease::unparse(&file);
        if count == 0 || before == after {
            failures.push(format!(
                "{name}: counted {count} and changed {} on the minimal description: extend it so that the pass has work",
                if before == after { "nothing" } else { "something" }
            ));
        }
        if let Err(e) = check(name, &shown(name, count, &before, &after)) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_golden_file_belongs_to_a_pass() {
    let names: Vec<&str> = generate::PASSES.iter().map(|s| s.pass.name).collect();
    let strays: Vec<String> = std::fs::read_dir(golden_dir())
        .expect("tests/golden is readable")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|f| f.strip_suffix(".diff").map(str::to_string))
        .filter(|n| !names.contains(&n.as_str()))
        .collect();
    assert!(strays.is_empty(), "golden files of no pass: {strays:?}");
}

#[test]
fn the_report_has_one_line_per_fix_then_per_pass_in_table_order() {
    let mut spec: Value = serde_json::from_str(
        &std::fs::read_to_string(golden_dir().join("description.json")).unwrap(),
    )
    .unwrap();
    let mut report = fix::apply_all(&mut spec);
    generate::generate(&spec, &mut report).expect("the minimal description generates");
    let reported: Vec<&str> = report.lines.iter().map(|l| l.name).collect();
    let tables: Vec<&str> = fix::FIXES
        .iter()
        .map(|f| f.pass.name)
        .chain(generate::PASSES.iter().map(|s| s.pass.name))
        .collect();
    assert_eq!(reported, tables);
    let mut unique = tables.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), tables.len(), "two steps share a name");
}

#[test]
fn the_committed_fixes_report_lists_the_tables_steps_in_order() {
    let committed = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi/fixes.txt"),
    )
    .expect("openapi/fixes.txt is readable");
    let committed: Vec<&str> = committed
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let tables: Vec<&str> = fix::FIXES
        .iter()
        .map(|f| f.pass.name)
        .chain(generate::PASSES.iter().map(|s| s.pass.name))
        .collect();
    assert_eq!(
        committed, tables,
        "openapi/fixes.txt is stale against the tables: run `cargo xtask regen`"
    );
}
