//! What changed between two surface summaries, as a Markdown section for `CHANGELOG.md`.

use pinterest_v5_codegen::surface::{self, Changed, Entry, Kind, Surface};
use std::collections::BTreeSet;
use std::fmt::Write;

/// Section headings, as the tests and reviewers read them.
const ADDED: &str = "added";
const REMOVED: &str = "removed";
const CHANGED: &str = "changed";

fn plural(kind: Kind) -> &'static str {
    match kind {
        Kind::Operation => "Operations",
        Kind::Model => "Models",
    }
}

/// Items longer than this (both sides together) are described by what they gained and lost.
const LONG: usize = 160;

/// The words (type names, enum values, field names) of an item: what is between brackets,
/// `, ` and ` | `.
fn tokens(item: &str) -> Vec<String> {
    item.split(['(', ')', '[', ']', '{', '}'])
        .flat_map(|s| s.split(", "))
        .flat_map(|s| s.split(" | "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Words only in `after`, words only in `before` (as multisets, in order of appearance).
fn token_changes(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let mut old = tokens(before);
    let mut gained = Vec::new();
    for t in tokens(after) {
        match old.iter().position(|o| *o == t) {
            Some(i) => {
                old.remove(i);
            }
            None => gained.push(t),
        }
    }
    (gained, old)
}

/// One bullet for an added or removed entry.
fn bullet(e: &Entry) -> String {
    match e.kind {
        // `op name METHOD path sandbox=… rate_limit=… -> …`: name the route and its limits
        Kind::Operation => {
            let route: Vec<&str> = e.head.splitn(3, ' ').take(2).collect();
            let limits = e.head.split(" -> ").next().unwrap_or("");
            let limits: Vec<&str> = limits.split(' ').skip(2).collect();
            format!(
                "- `{}`: `{}` ({})",
                e.name,
                route.join(" "),
                limits.join(", ")
            )
        }
        Kind::Model => format!("- `{}`", e.name),
    }
}

fn changed_bullet(out: &mut String, c: &Changed<'_>) {
    let _ = writeln!(out, "- `{}`", c.new.name);
    if c.head_changed {
        let what = match c.new.kind {
            Kind::Operation => "route, limits or replies",
            Kind::Model => "kind",
        };
        let _ = writeln!(out, "  - {what}: `{}` → `{}`", c.old.head, c.new.head);
    }
    for item in &c.added {
        let _ = writeln!(out, "  - {} added: `{item}`", c.new.item_label(item));
    }
    for item in &c.removed {
        let _ = writeln!(out, "  - {} removed: `{item}`", c.old.item_label(item));
    }
    for (before, after) in &c.changed {
        let label = c.new.item_label(after);
        if before.len() + after.len() <= LONG {
            let _ = writeln!(out, "  - {label} changed: `{before}` → `{after}`");
            continue;
        }
        // Long inline types (a 200-value enum of report columns): name what came and went.
        let (gained, lost) = token_changes(before, after);
        let mut parts = Vec::new();
        if !gained.is_empty() {
            parts.push(format!("now has `{}`", gained.join("`, `")));
        }
        if !lost.is_empty() {
            parts.push(format!("no longer has `{}`", lost.join("`, `")));
        }
        if parts.is_empty() {
            parts.push("reordered".to_string());
        }
        let _ = writeln!(
            out,
            "  - {label} changed: `{}`: {}",
            surface::item_key(after),
            parts.join("; ")
        );
    }
    if !c.head_changed && c.added.is_empty() && c.removed.is_empty() && c.changed.is_empty() {
        let _ = writeln!(
            out,
            "  - order of {}s changed",
            c.new.item_label(&c.new.items[0])
        );
    }
}

/// The CHANGELOG section for a move from `old` (if there was a summary) to `new`.
///
/// Headings: `### Operations added (N)`, `### Operations removed (N)`, `### Operations changed
/// (N)`, the same for models, and `### Cargo features`; empty ones are left out.
pub fn render(
    old: Option<&Surface>,
    new: &Surface,
    old_areas: &BTreeSet<String>,
    new_areas: &BTreeSet<String>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Pinterest API v{}\n", new.version);
    let Some(old) = old else {
        let _ = writeln!(
            out,
            "Generated from Pinterest's OpenAPI description v{}: {} operations, {} models (the description pinned before is not at hand to compare with: pass it as PINTEREST_V5_OPENAPI, or keep it in openapi/ or ../shared/openapi/).",
            new.version,
            new.operations().count(),
            new.models().count()
        );
        return out;
    };
    let d = surface::diff(old, new);
    let _ = writeln!(
        out,
        "Generated from Pinterest's OpenAPI description v{} (was v{}): {} operations, {} models.",
        new.version,
        old.version,
        new.operations().count(),
        new.models().count()
    );
    if d.is_empty() && old_areas == new_areas {
        let _ = writeln!(out, "\nNo change to the generated operations and models.");
        return out;
    }
    for kind in [Kind::Operation, Kind::Model] {
        let added: Vec<&&Entry> = d.added.iter().filter(|e| e.kind == kind).collect();
        let removed: Vec<&&Entry> = d.removed.iter().filter(|e| e.kind == kind).collect();
        let changed: Vec<&Changed<'_>> = d.changed.iter().filter(|c| c.new.kind == kind).collect();
        for (label, list) in [(ADDED, &added), (REMOVED, &removed)] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {} {label} ({})\n", plural(kind), list.len());
            for e in list {
                let _ = writeln!(out, "{}", bullet(e));
            }
        }
        if !changed.is_empty() {
            let _ = writeln!(
                out,
                "\n### {} {CHANGED} ({})\n",
                plural(kind),
                changed.len()
            );
            for c in changed {
                changed_bullet(&mut out, c);
            }
        }
    }
    let gained: Vec<&String> = new_areas.difference(old_areas).collect();
    let lost: Vec<&String> = old_areas.difference(new_areas).collect();
    if !gained.is_empty() || !lost.is_empty() {
        let _ = writeln!(out, "\n### Cargo features\n");
        for a in gained {
            let _ = writeln!(out, "- added: `{a}` (a new API area)");
        }
        for a in lost {
            let _ = writeln!(out, "- removed: `{a}` (the API area is gone)");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(version: &str, lines: &[&str]) -> Surface {
        let mut text = format!("{}{version}\n", surface::HEADER);
        for l in lines {
            text.push_str(l);
            text.push('\n');
        }
        Surface::parse(&text).unwrap()
    }

    #[test]
    fn sections_list_what_was_added_removed_and_changed() {
        let old = surface(
            "1.0.0",
            &[
                "op pins_get GET /pins/{id} sandbox=yes rate_limit=org_read -> 200 Pin (id: path string)",
                "op pins_gone DELETE /x sandbox=no rate_limit=org_write -> 204 ()",
                "model Color enum [RED, GREEN]",
            ],
        );
        let new = surface(
            "1.1.0",
            &[
                "op pins_get GET /pins/{id} sandbox=yes rate_limit=org_read -> 200 Pin (id: path string, fields?: query [string])",
                "op pins_new POST /pins sandbox=no rate_limit=org_write -> 201 Pin (body: PinCreate)",
                "model Color enum [RED, BLUE]",
            ],
        );
        let areas = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let text = render(
            Some(&old),
            &new,
            &areas(&["pins"]),
            &areas(&["pins", "boards"]),
        );
        let expected = "\
## Pinterest API v1.1.0

Generated from Pinterest's OpenAPI description v1.1.0 (was v1.0.0): 2 operations, 1 models.

### Operations added (1)

- `pins_new`: `POST /pins` (sandbox=no, rate_limit=org_write)

### Operations removed (1)

- `pins_gone`: `DELETE /x` (sandbox=no, rate_limit=org_write)

### Operations changed (1)

- `pins_get`
  - parameter added: `fields?: query [string]`

### Models changed (1)

- `Color`
  - enum value added: `BLUE`
  - enum value removed: `GREEN`

### Cargo features

- added: `boards` (a new API area)
";
        assert_eq!(text, expected);
    }
}
