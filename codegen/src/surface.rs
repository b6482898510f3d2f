//! A reviewable summary of the generated API: one line per operation and per model.
//!
//! `cargo xtask regen` derives it from the description pinned before and from the new one, and
//! prints how it changed (never committed: it is the description's structure), so that moving
//! to a new release of Pinterest's description shows, in review, which operations and models
//! were added, removed or changed. It is computed from the *fixed*
//! description (after [`crate::fix::apply_all`]), i.e. from what progenitor generates from.
//!
//! The lines, sorted (operations first, then models):
//!
//! ```text
//! op <method> <HTTP method> <path> sandbox=<yes|no> rate_limit=<category> -> <2xx replies> (<parameters>)
//! model <Type> {<fields>}                 an object; `..Base` is an `allOf` part, `..: T` extra keys
//! model <Type> enum [<values>]            a string enum (`nullable enum` when null is allowed)
//! model <Type> oneOf (<variants>)         a union (`anyOf` likewise)
//! model <Type> = <type>                   anything else (an array, a map, a plain string, …)
//! ```
//!
//! Types read `Pin` (a model), `string`, `string(date-time)`, `[T]` (array), `{a: T, b?: U}`
//! (inline object, `?` = optional), `enum[a, b]`, `oneOf(A, B)`, `T | null`. A parameter reads
//! `name?: <in> <type>` (`?` = optional), the request body `body: <type>`.

use crate::filter;
use crate::naming::{method_name, type_name};
use crate::spec::{self, resolve};
use serde_json::Value;
use std::collections::BTreeMap;

/// The first line's prefix; the version of the description follows it.
pub const HEADER: &str = "# pinterest-v5 surface of Pinterest API v";

const LEGEND: &str = "\
# Written by `cargo xtask regen` from the fixed description; do not edit. Format: codegen/src/surface.rs
# op <method> <HTTP method> <path> sandbox=<yes|no> rate_limit=<category> -> <2xx replies> (<parameters>)
# model <Type> {<fields>} | enum [<values>] | oneOf (<variants>) | = <type>
";

/// Whether a line describes an operation or a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `op …`: one generated client method.
    Operation,
    /// `model …`: one component schema, i.e. one type in `pinterest_v5::types`.
    Model,
}

impl Kind {
    /// The line's first word.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Operation => "op",
            Kind::Model => "model",
        }
    }
}

/// One line of the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Operation or model.
    pub kind: Kind,
    /// The Rust name: client method (`pins_create`) or type (`PinCreate`).
    pub name: String,
    /// Everything but the bracketed list at the end (HTTP method, path, sandbox, …).
    pub head: String,
    /// The bracketed list at the end: parameters, fields, enum values or variants.
    pub items: Vec<String>,
    /// The whole line.
    pub line: String,
}

impl Entry {
    fn new(kind: Kind, name: String, head: String, open: char, items: Vec<String>) -> Entry {
        let close = match open {
            '(' => ')',
            '[' => ']',
            _ => '}',
        };
        let mut line = format!("{} {name} {head}", kind.word());
        if !head.is_empty() {
            line.push(' ');
        }
        line.push(open);
        line.push_str(&items.join(", "));
        line.push(close);
        Entry {
            kind,
            name,
            head,
            items,
            line,
        }
    }

    fn alias(name: String, ty: String) -> Entry {
        let head = format!("= {ty}");
        Entry {
            kind: Kind::Model,
            line: format!("model {name} {head}"),
            name,
            head,
            items: Vec::new(),
        }
    }

    /// Parses one line of `surface.txt`.
    pub fn parse(line: &str) -> Result<Entry, String> {
        let (word, rest) = line.split_once(' ').ok_or("no name")?;
        let kind = match word {
            "op" => Kind::Operation,
            "model" => Kind::Model,
            other => return Err(format!("unknown kind `{other}`")),
        };
        let (name, rest) = rest.split_once(' ').ok_or("nothing after the name")?;
        let (head, items) = if rest.starts_with("= ") {
            (rest.to_string(), Vec::new())
        } else {
            let open = matching_open(rest).ok_or("no bracketed list at the end")?;
            let inner = &rest[open + 1..rest.len() - 1];
            (rest[..open].trim_end().to_string(), split_top(inner))
        };
        Ok(Entry {
            kind,
            name: name.to_string(),
            head,
            items,
            line: line.to_string(),
        })
    }

    /// What one of this entry's items is called in a change: `parameter`, `field`, `base`,
    /// `enum value` or `variant`.
    pub fn item_label(&self, item: &str) -> &'static str {
        if self.kind == Kind::Operation {
            "parameter"
        } else if item.starts_with("..") && !item.starts_with("..:") {
            "base"
        } else if item_key(item) != item {
            "field"
        } else if self.head.ends_with("enum") {
            "enum value"
        } else {
            "variant"
        }
    }
}

/// The name an item is compared by: a parameter's or field's name, else the whole item.
pub fn item_key(item: &str) -> &str {
    if item.starts_with(['{', '[', '(', '"']) {
        return item;
    }
    match item.split_once(": ") {
        Some((name, _)) => name.strip_suffix('?').unwrap_or(name),
        None => item,
    }
}

/// Byte index of the bracket that opens the one closing `s`, skipping quoted strings.
fn matching_open(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let last = *bytes.last()?;
    if !matches!(last, b')' | b']' | b'}') {
        return None;
    }
    // Scan forwards (quotes are only readable that way), remembering each open's position.
    let mut stack = Vec::new();
    let mut in_str = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_str {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'(' | b'[' | b'{' => stack.push(i),
            b')' | b']' | b'}' => {
                let open = stack.pop()?;
                if i == bytes.len() - 1 {
                    return Some(open);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits a list at the `, ` that are outside brackets and quotes.
fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    let mut start = 0;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if in_str {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 0 && bytes.get(i + 1) == Some(&b' ') => {
                out.push(s[start..i].to_string());
                start = i + 2;
            }
            _ => {}
        }
    }
    if start < s.len() {
        out.push(s[start..].to_string());
    }
    out
}

/// The summary of one description: its version and its lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Surface {
    /// `info.version` of the description (`5.23.0`).
    pub version: String,
    /// Operations sorted by method name, then models sorted by type name.
    pub entries: Vec<Entry>,
}

impl Surface {
    /// The summary of a description as Pinterest publishes it: the fixes of
    /// [`crate::fix::apply_all`] are applied first, as the generation pipeline does.
    pub fn of(spec: &Value) -> Surface {
        let mut fixed = spec.clone();
        crate::fix::apply_all(&mut fixed);
        Surface::of_fixed(&fixed)
    }

    /// The summary of an already fixed description.
    pub fn of_fixed(spec: &Value) -> Surface {
        let version = spec
            .pointer("/info/version")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let mut ops: Vec<Entry> = filter::operations(spec)
            .filter_map(|(path, method, op)| operation(spec, path, method, op))
            .collect();
        ops.sort_by(|a, b| a.name.cmp(&b.name));
        let mut models: Vec<Entry> = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, schema)| model(name, schema))
            .collect();
        models.sort_by(|a, b| a.name.cmp(&b.name));
        ops.extend(models);
        Surface {
            version,
            entries: ops,
        }
    }

    /// Reads `surface.txt` text back.
    pub fn parse(text: &str) -> Result<Surface, String> {
        let mut surface = Surface::default();
        for (i, line) in text.lines().enumerate() {
            if let Some(version) = line.strip_prefix(HEADER) {
                surface.version = version.split([':', ' ']).next().unwrap_or("").to_string();
            }
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let entry = Entry::parse(line).map_err(|e| format!("line {}: {e}", i + 1))?;
            surface.entries.push(entry);
        }
        Ok(surface)
    }

    /// The operations.
    pub fn operations(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.kind == Kind::Operation)
    }

    /// The models.
    pub fn models(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.kind == Kind::Model)
    }

    fn by_key(&self) -> BTreeMap<(Kind, &str), &Entry> {
        self.entries
            .iter()
            .map(|e| ((e.kind, e.name.as_str()), e))
            .collect()
    }
}

impl std::fmt::Display for Surface {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{HEADER}{}: {} operations, {} models",
            self.version,
            self.operations().count(),
            self.models().count()
        )?;
        f.write_str(LEGEND)?;
        for e in &self.entries {
            writeln!(f, "{}", e.line)?;
        }
        Ok(())
    }
}

/// How one entry present on both sides changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed<'a> {
    /// The entry before.
    pub old: &'a Entry,
    /// The entry after.
    pub new: &'a Entry,
    /// Items (parameters, fields, values, variants) only after.
    pub added: Vec<&'a str>,
    /// Items only before.
    pub removed: Vec<&'a str>,
    /// Items of the same name that differ: (before, after).
    pub changed: Vec<(&'a str, &'a str)>,
    /// Whether the head (method, path, sandbox, rate limit, replies, kind of model) differs.
    pub head_changed: bool,
}

/// What differs between two summaries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff<'a> {
    /// Entries only in the new summary.
    pub added: Vec<&'a Entry>,
    /// Entries only in the old summary.
    pub removed: Vec<&'a Entry>,
    /// Entries in both whose line differs.
    pub changed: Vec<Changed<'a>>,
}

impl Diff<'_> {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Compares two summaries entry by entry and, within changed entries, item by item.
pub fn diff<'a>(old: &'a Surface, new: &'a Surface) -> Diff<'a> {
    let before = old.by_key();
    let after = new.by_key();
    let mut d = Diff::default();
    for (key, n) in &after {
        match before.get(key) {
            None => d.added.push(n),
            Some(o) if o.line != n.line => d.changed.push(changed(o, n)),
            Some(_) => {}
        }
    }
    d.removed = before
        .iter()
        .filter(|(k, _)| !after.contains_key(k))
        .map(|(_, e)| *e)
        .collect();
    d
}

fn changed<'a>(old: &'a Entry, new: &'a Entry) -> Changed<'a> {
    let before: BTreeMap<&str, &str> = old
        .items
        .iter()
        .map(|i| (item_key(i), i.as_str()))
        .collect();
    let after: BTreeMap<&str, &str> = new
        .items
        .iter()
        .map(|i| (item_key(i), i.as_str()))
        .collect();
    let mut c = Changed {
        old,
        new,
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
        head_changed: old.head != new.head,
    };
    for item in &new.items {
        match before.get(item_key(item)) {
            None => c.added.push(item),
            Some(o) if *o != item => c.changed.push((o, item)),
            Some(_) => {}
        }
    }
    for item in &old.items {
        if !after.contains_key(item_key(item)) {
            c.removed.push(item);
        }
    }
    c
}

// ---------------------------------------------------------------------------------------------
// From the description to lines.

fn operation(spec: &Value, path: &str, method: &str, op: &Value) -> Option<Entry> {
    let id = op.get("operationId").and_then(Value::as_str)?;
    let sandbox = op.get("x-sandbox").and_then(Value::as_str) != Some("disabled");
    let category = op
        .get("x-ratelimit-category")
        .and_then(Value::as_str)
        .unwrap_or("-");
    let mut head = format!(
        "{} {path} sandbox={} rate_limit={category}",
        method.to_uppercase(),
        if sandbox { "yes" } else { "no" }
    );
    if op.get("deprecated") == Some(&Value::Bool(true)) {
        head.push_str(" deprecated");
    }
    head.push_str(" -> ");
    head.push_str(&replies(spec, op));

    // path-item parameters, overridden by the operation's own of the same name and place
    let mut params: BTreeMap<(u8, String), String> = BTreeMap::new();
    for p in spec::parameters(spec, path, op) {
        let name = p.get("name").and_then(Value::as_str).unwrap_or("?");
        let place = p.get("in").and_then(Value::as_str).unwrap_or("?");
        let rank = match place {
            "path" => 0,
            "query" => 1,
            "header" => 2,
            _ => 3,
        };
        let required = place == "path" || p.get("required") == Some(&Value::Bool(true));
        let ty = p.get("schema").map_or_else(|| "any".to_string(), ty);
        params.insert(
            (rank, name.to_string()),
            format!("{name}{}: {place} {ty}", if required { "" } else { "?" }),
        );
    }
    let mut items: Vec<String> = params.into_values().collect();
    if let Some(body) = op.get("requestBody") {
        let body = resolve(spec, body);
        let required = body.get("required") == Some(&Value::Bool(true));
        items.push(format!(
            "body{}: {}",
            if required { "" } else { "?" },
            content(body).unwrap_or_else(|| "any".to_string())
        ));
    }
    Some(Entry::new(
        Kind::Operation,
        method_name(id),
        head,
        '(',
        items,
    ))
}

/// `<media type> <type>`, the media type left out when it is JSON.
fn content(holder: &Value) -> Option<String> {
    let content = holder.get("content").and_then(Value::as_object)?;
    let (media, body) = content
        .get_key_value("application/json")
        .or_else(|| content.iter().next())?;
    let t = body.get("schema").map_or_else(|| "any".to_string(), ty);
    Some(if media == "application/json" {
        t
    } else {
        format!("{media} {t}")
    })
}

fn replies(spec: &Value, op: &Value) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut statuses: Vec<(&String, &Value)> = op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(status, _)| status.starts_with('2'))
        .collect();
    statuses.sort_by(|a, b| a.0.cmp(b.0));
    for (status, reply) in statuses {
        let reply = resolve(spec, reply);
        out.push(match content(reply) {
            Some(t) => format!("{status} {t}"),
            None => status.clone(),
        });
    }
    if out.is_empty() {
        "-".to_string()
    } else {
        out.join(" | ")
    }
}

fn model(name: &str, s: &Value) -> Entry {
    let rust = type_name(name);
    let nullable = s.get("nullable") == Some(&Value::Bool(true));
    let prefix = if nullable { "nullable " } else { "" };
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        let values = values.iter().map(enum_value).collect();
        return Entry::new(Kind::Model, rust, format!("{prefix}enum"), '[', values);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = s.get(key).and_then(Value::as_array) {
            let mut items: Vec<String> = variants.iter().map(ty).collect();
            items.extend(fields(s));
            return Entry::new(Kind::Model, rust, format!("{prefix}{key}"), '(', items);
        }
    }
    let parts = s.get("allOf").and_then(Value::as_array);
    let has_props = s.get("properties").is_some_and(Value::is_object);
    if parts.is_some_and(|p| p.len() == 1) && !has_props {
        return Entry::alias(rust, ty(s));
    }
    if parts.is_some() || has_props {
        let mut items: Vec<String> = Vec::new();
        for part in parts.into_iter().flatten() {
            if part.get("properties").is_some() && part.get("$ref").is_none() {
                items.extend(fields(part));
            } else {
                items.push(format!("..{}", ty(part)));
            }
        }
        items.extend(fields(s));
        return Entry::new(Kind::Model, rust, prefix.trim_end().to_string(), '{', items);
    }
    Entry::alias(rust, ty(s))
}

/// An enum value: plain when it cannot be confused with the list's syntax, else JSON.
fn enum_value(v: &Value) -> String {
    match v {
        Value::String(s)
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_alphanumeric() || "_-./+:@*&'".contains(c)) =>
        {
            s.clone()
        }
        other => other.to_string(),
    }
}

/// The fields of an object schema, sorted by name; `..: T` for `additionalProperties`.
fn fields(s: &Value) -> Vec<String> {
    let required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut out: Vec<String> = s
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, p)| {
            let opt = if required.contains(&name.as_str()) {
                ""
            } else {
                "?"
            };
            format!("{name}{opt}: {}", ty(p))
        })
        .collect();
    out.sort();
    match s.get("additionalProperties") {
        Some(Value::Bool(true)) => out.push("..: any".to_string()),
        Some(extra @ Value::Object(_)) => out.push(format!("..: {}", ty(extra))),
        _ => {}
    }
    out
}

/// A schema as a short type expression (see the module's documentation).
fn ty(s: &Value) -> String {
    let mut out = base_ty(s);
    if s.get("nullable") == Some(&Value::Bool(true)) {
        out.push_str(" | null");
    }
    out
}

/// Inline enums with more values than this are summarised, not listed.
const INLINE_ENUM_LISTED: usize = 12;

fn base_ty(s: &Value) -> String {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        return type_name(r.rsplit('/').next().unwrap_or(r));
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values.iter().map(enum_value).collect();
        let listed = values.join(", ");
        // A long inline enum (report columns: hundreds of values, repeated on every analytics
        // operation) is summarised by its count and a digest: the summary stays reviewable and
        // never a copy of the description; a change still shows as a changed type.
        if values.len() > INLINE_ENUM_LISTED {
            let digest = crate::load::sha256_hex(listed.as_bytes());
            return format!("enum[{} values, sha256 {}]", values.len(), &digest[..12]);
        }
        return format!("enum[{listed}]");
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = s.get(key).and_then(Value::as_array) {
            let mut items: Vec<String> = variants.iter().map(ty).collect();
            items.extend(fields(s));
            return format!("{key}({})", items.join(", "));
        }
    }
    if let Some(parts) = s.get("allOf").and_then(Value::as_array) {
        if parts.len() == 1 && s.get("properties").is_none() {
            return base_ty(&parts[0]);
        }
        let mut items: Vec<String> = Vec::new();
        for part in parts {
            if part.get("properties").is_some() && part.get("$ref").is_none() {
                items.extend(fields(part));
            } else {
                items.push(format!("..{}", ty(part)));
            }
        }
        items.extend(fields(s));
        return format!("{{{}}}", items.join(", "));
    }
    match s.get("type").and_then(Value::as_str) {
        Some("array") => format!("[{}]", s.get("items").map_or_else(|| "any".to_string(), ty)),
        Some("object") | None
            if s.get("properties").is_some() || s.get("additionalProperties").is_some() =>
        {
            let f = fields(s);
            if f.is_empty() {
                "object".to_string()
            } else {
                format!("{{{}}}", f.join(", "))
            }
        }
        Some("object") => "object".to_string(),
        Some(t) => match s.get("format").and_then(Value::as_str) {
            Some(format) => format!("{t}({format})"),
            None => t.to_string(),
        },
        None => "any".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"version": "1.2.3", "title": "t"},
            "paths": {
                "/pins/{pin_id}": {
                    "get": {
                        "operationId": "pins/get",
                        "x-ratelimit-category": "org_read",
                        "parameters": [
                            {"name": "pin_id", "in": "path", "required": true, "schema": {"type": "string"}},
                            {"$ref": "#/components/parameters/query_bookmark"}
                        ],
                        "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pin"}}}}}
                    }
                }
            },
            "components": {
                "parameters": {"query_bookmark": {"name": "bookmark", "in": "query", "schema": {"type": "string"}}},
                "schemas": {
                    "Pin": {"type": "object", "required": ["id"], "properties": {
                        "id": {"type": "string"},
                        "created_at": {"type": "string", "format": "date-time", "nullable": true},
                        "media": {"oneOf": [{"$ref": "#/components/schemas/Color"}, {"type": "object", "properties": {"x": {"type": "array", "items": {"type": "integer"}}}}]}
                    }},
                    "Color": {"type": "string", "enum": ["RED", "GREEN", "a, b", null]}
                }
            }
        })
    }

    #[test]
    fn lines_name_operations_and_models_as_generated() {
        let s = Surface::of_fixed(&spec());
        let lines: Vec<&str> = s.entries.iter().map(|e| e.line.as_str()).collect();
        assert_eq!(
            lines,
            [
                "op pins_get GET /pins/{pin_id} sandbox=yes rate_limit=org_read -> 200 Pin (pin_id: path string, bookmark?: query string)",
                "model Color enum [RED, GREEN, \"a, b\", null]",
                "model Pin {created_at?: string(date-time) | null, id: string, media?: oneOf(Color, {x?: [integer]})}",
            ]
        );
    }

    #[test]
    fn text_reads_back_as_written() {
        let s = Surface::of_fixed(&spec());
        let back = Surface::parse(&s.to_string()).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.version, "1.2.3");
    }

    #[test]
    fn diff_names_added_removed_and_changed_items() {
        let old = Surface::of_fixed(&spec());
        let mut v = spec();
        v["components"]["schemas"]["Color"]["enum"] = json!(["RED", "BLUE"]);
        v["components"]["schemas"]["Pin"]["properties"]["id"] = json!({"type": "integer"});
        v["components"]["schemas"]["Board"] = json!({"type": "object"});
        v["paths"]["/pins/{pin_id}"]["get"]["x-ratelimit-category"] = json!("org_write");
        let new = Surface::of_fixed(&v);
        let d = diff(&old, &new);
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.added[0].line, "model Board = object");
        assert!(d.removed.is_empty());
        let color = d.changed.iter().find(|c| c.new.name == "Color").unwrap();
        assert_eq!(color.added, ["BLUE"]);
        assert_eq!(color.removed, ["GREEN", "\"a, b\"", "null"]);
        assert_eq!(color.new.item_label("BLUE"), "enum value");
        let pin = d.changed.iter().find(|c| c.new.name == "Pin").unwrap();
        assert_eq!(pin.changed, [("id: string", "id: integer")]);
        assert!(!pin.head_changed);
        let op = d.changed.iter().find(|c| c.new.name == "pins_get").unwrap();
        assert!(op.head_changed && op.added.is_empty() && op.changed.is_empty());
    }
}
