//! Shapes of the description that typify cannot generate: fixed before it sees them, or refused
//! in one line that names the schema and the reason.
//!
//! typify resolves only references to whole components (`#/components/schemas/X`) and panics
//! on any other JSON pointer; its `allOf` merge follows references eagerly and never ends on a
//! cycle through `allOf`, `oneOf` and `anyOf` (the process dies of a stack overflow, which no
//! handler can catch). [`deep_refs`] and [`all_of_cycles`] are fixes counted in the
//! [`Report`](crate::fix::Report); [`check`] refuses what is left; [`catch_panics`] turns any
//! other panic of the generator into an error, as a last line of defence.

use crate::naming::type_name;
use crate::report::Pass;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// How many rounds [`deep_refs`] and [`all_of_cycles`] run at most (each round rewrites one
/// reference); what is left after that is refused by [`check`].
const ROUNDS: usize = 10_000;

/// The keys under which a schema holds the schemas it is composed of.
const COMPOSITION: [&str; 3] = ["allOf", "oneOf", "anyOf"];

/// Whether a local reference names a whole component (`#/components/schemas/X`), the only kind
/// typify resolves.
fn is_component_ref(reference: &str) -> bool {
    let Some(pointer) = reference.strip_prefix("#/components/") else {
        return false;
    };
    let mut parts = pointer.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(kind), Some(name), None) if !kind.is_empty() && !name.is_empty()
    )
}

/// Decodes one JSON-pointer segment (`~1` is `/`, `~0` is `~`).
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Every `$ref` string of the document, each once, in document order.
fn all_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match (k.as_str(), child) {
                    ("$ref", Value::String(r)) => {
                        if !out.contains(r) {
                            out.push(r.clone());
                        }
                    }
                    _ => all_refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|c| all_refs(c, out)),
        _ => {}
    }
}

/// Calls `f` on every `$ref` string of the document.
fn rewrite_refs(v: &mut Value, f: &mut dyn FnMut(&str) -> Option<Value>) -> usize {
    let mut n = 0;
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref")
                && let Some(replacement) = f(r)
            {
                match replacement {
                    Value::String(new_ref) => {
                        map.insert("$ref".into(), Value::String(new_ref));
                    }
                    // an inline copy replaces the reference; siblings the copy lacks stay
                    Value::Object(copy) => {
                        map.remove("$ref");
                        for (k, child) in copy {
                            map.entry(k).or_insert(child);
                        }
                    }
                    _ => {}
                }
                n += 1;
            }
            for (k, child) in map.iter_mut() {
                if k != "$ref" {
                    n += rewrite_refs(child, f);
                }
            }
        }
        Value::Array(items) => {
            for child in items {
                n += rewrite_refs(child, f);
            }
        }
        _ => {}
    }
    n
}

/// The component name a schema nested in component `parent` at `path` (pointer segments after
/// the component's name) is hoisted to: typify's name for the inline schema at that place
/// (`ProductGroupPromotion` + `properties/customizable_cta_type` →
/// `ProductGroupPromotionCustomizableCtaType`), made unique among `taken`.
fn hoisted_name(parent: &str, path: &[String], taken: &BTreeSet<String>) -> String {
    let mut words = vec![parent.to_string()];
    for segment in path {
        match segment.as_str() {
            "properties" => {}
            "items" => words.push("Item".into()),
            other => words.push(other.to_string()),
        }
    }
    let base = type_name(&words.join("-"));
    let mut name = base.clone();
    let mut i = 2;
    while taken.contains(&type_name(&name)) {
        name = format!("{base}{i}");
        i += 1;
    }
    name
}

/// The report line of [`deep_refs`].
pub const DEEP_REFS: Pass = Pass {
    name: "deep_refs",
    unit: "references",
    why: "a `$ref` into another schema (`#/components/schemas/X/properties/y`) makes typify panic: the schema it points at is hoisted into a component of its own (a reference to anything else is replaced by a copy)",
};

/// A shape typify cannot generate: a `$ref` that points inside another schema
/// (`#/components/schemas/ProductGroupPromotion/properties/customizable_cta_type`, in v5.18.0)
/// or anywhere but a whole component makes typify panic ("$ref … is missing"). A schema nested
/// in a component schema is hoisted into a component of its own, named as typify would have
/// named it in place, and both its old place and every reference point at it, so it stays one
/// type; a reference to anything else (a schema inside an operation, a parameter) is replaced
/// by a copy of its target. Returns the references rewritten.
pub fn deep_refs(spec: &mut Value) -> usize {
    let mut n = 0;
    for _ in 0..ROUNDS {
        let mut refs = Vec::new();
        all_refs(spec, &mut refs);
        // shallowest first: hoisting a schema moves the ones nested in it along
        let mut deep: Vec<String> = refs
            .into_iter()
            .filter(|r| r.starts_with("#/") && !is_component_ref(r))
            .collect();
        if deep.is_empty() {
            break;
        }
        deep.sort_by_key(|r| (r.matches('/').count(), r.clone()));
        let reference = deep.remove(0);
        let pointer = &reference[1..];
        let Some(target) = spec.pointer(pointer).cloned() else {
            // dangling: `load` refuses those before any fix runs
            break;
        };
        let segments: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
        let replacement = if let Some(next) = target
            .get("$ref")
            .filter(|_| target.as_object().is_some_and(|o| o.len() == 1))
        {
            // a reference to a reference: point at what it points at
            next.clone()
        } else if segments.len() > 3 && segments[0] == "components" && segments[1] == "schemas" {
            let taken: BTreeSet<String> = spec
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .map(|m| m.keys().map(|k| type_name(k)).collect())
                .unwrap_or_default();
            let name = hoisted_name(&segments[2], &segments[3..], &taken);
            let new_ref = Value::String(format!("#/components/schemas/{name}"));
            if let Some(place) = spec.pointer_mut(pointer) {
                *place = serde_json::json!({ "$ref": new_ref.clone() });
            }
            if let Some(schemas) = spec
                .pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut)
            {
                schemas.insert(name, target);
            }
            new_ref
        } else {
            target
        };
        let prefix = format!("{reference}/");
        n += rewrite_refs(spec, &mut |r| {
            if r == reference {
                Some(replacement.clone())
            } else if let (Some(rest), Value::String(base)) =
                (r.strip_prefix(&prefix), &replacement)
            {
                // a reference into the hoisted schema follows it
                Some(Value::String(format!("{base}/{rest}")))
            } else {
                None
            }
        });
    }
    n
}

/// The component schemas a schema is composed of: the `$ref`s of its `allOf`, `oneOf` and
/// `anyOf` (inline members included) and the targets of its discriminator's mapping (the
/// members a `oneOf` is built from, by [`crate::fix::mapping_without_one_of`]). These are the
/// references typify's merge follows at once; a property's reference is only named.
fn composed_of(schema: &Value, out: &mut BTreeSet<String>) {
    let Some(obj) = schema.as_object() else {
        return;
    };
    if let Some(name) = obj
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        out.insert(unescape(name));
    }
    for key in COMPOSITION {
        for member in obj.get(key).and_then(Value::as_array).into_iter().flatten() {
            composed_of(member, out);
        }
    }
    if let Some(mapping) = obj
        .get("discriminator")
        .and_then(|d| d.get("mapping"))
        .and_then(Value::as_object)
    {
        for target in mapping.values().filter_map(Value::as_str) {
            if let Some(name) = target.strip_prefix("#/components/schemas/") {
                out.insert(unescape(name));
            }
        }
    }
}

/// The composition graph of the component schemas (see [`composed_of`]).
fn composition_graph(spec: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    if let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            let mut edges = BTreeSet::new();
            if let Some(obj) = schema.as_object() {
                // the schema's own `$ref` (an alias) counts too
                let mut top = Map::new();
                for key in COMPOSITION.iter().chain(["$ref", "discriminator"].iter()) {
                    if let Some(v) = obj.get(*key) {
                        top.insert((*key).into(), v.clone());
                    }
                }
                composed_of(&Value::Object(top), &mut edges);
            }
            graph.insert(name.clone(), edges);
        }
    }
    graph
}

/// The cycles of the composition graph, each as the path from its first schema (by name) back
/// to it, each once.
pub fn composition_cycles(spec: &Value) -> Vec<Vec<String>> {
    let graph = composition_graph(spec);
    // `from` reaches `to` along composition edges
    let reaches = |from: &str, to: &str| -> Option<Vec<String>> {
        let mut seen = BTreeSet::new();
        // breadth first: the shortest cycle, the same on every run
        let mut queue =
            std::collections::VecDeque::from([(from.to_string(), vec![from.to_string()])]);
        while let Some((at, path)) = queue.pop_front() {
            for next in graph.get(&at).into_iter().flatten() {
                if next == to {
                    let mut p = path.clone();
                    p.push(next.clone());
                    return Some(p);
                }
                if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    queue.push_back((next.clone(), p));
                }
            }
        }
        None
    };
    let mut cycles: Vec<Vec<String>> = Vec::new();
    let mut in_cycle = BTreeSet::new();
    for name in graph.keys() {
        if in_cycle.contains(name) {
            continue;
        }
        if let Some(cycle) = reaches(name, name) {
            in_cycle.extend(cycle.iter().cloned());
            cycles.push(cycle);
        }
    }
    cycles
}

/// What a schema says of its own, without what it is composed of or its words: the part of a
/// union's base a member that `allOf`s the base means to take.
fn own_body(schema: &Value, name: &str) -> Value {
    let mut body = schema.as_object().cloned().unwrap_or_default();
    for key in [
        "oneOf",
        "anyOf",
        "discriminator",
        "title",
        "description",
        "example",
        "$ref",
    ] {
        body.remove(key);
    }
    let self_ref = format!("#/components/schemas/{name}");
    if let Some(Value::Array(all)) = body.get_mut("allOf") {
        all.retain(|m| m.get("$ref").and_then(Value::as_str) != Some(self_ref.as_str()));
        if all.is_empty() {
            body.remove("allOf");
        }
    }
    Value::Object(body)
}

/// The report line of [`all_of_cycles`].
pub const ALL_OF_CYCLES: Pass = Pass {
    name: "all_of_cycles",
    unit: "references",
    why: "a schema that `allOf`s a union leading back to it (a discriminator's base and its variants) makes typify's `allOf` merge recurse until the stack overflows: the reference becomes the base's own fields",
};

/// A shape typify cannot generate: a cycle through composition (`allOf`, `oneOf`,
/// `anyOf`, a discriminator's mapping) makes typify's `allOf` merge recurse without end. It is
/// the shape of a polymorphic base (in v5.12.0, `OauthAccessTokenResponse`, whose discriminator
/// maps to variants that each `allOf` the base): the base is the union of its variants, and
/// each variant means the base's own fields plus its own. The cycle is broken where a schema
/// `allOf`s one that leads back to it: the reference is replaced by the target's own body (its
/// type, properties, required fields; not its union). Returns the references replaced.
pub fn all_of_cycles(spec: &mut Value) -> usize {
    let mut n = 0;
    for _ in 0..ROUNDS {
        let cycles = composition_cycles(spec);
        let Some(cycle) = cycles.first() else {
            break;
        };
        // the first `allOf` edge of the cycle: cycle[i] allOf-references cycle[i + 1]
        let mut broken = false;
        for pair in cycle.windows(2) {
            let (from, to) = (&pair[0], &pair[1]);
            let to_ref = format!("#/components/schemas/{to}");
            let Some(body) = spec
                .pointer(&format!("/components/schemas/{}", escape(to)))
                .map(|s| own_body(s, to))
            else {
                continue;
            };
            let Some(Value::Array(members)) =
                spec.pointer_mut(&format!("/components/schemas/{}/allOf", escape(from)))
            else {
                continue;
            };
            let mut replaced = 0;
            for member in members.iter_mut() {
                if member.get("$ref").and_then(Value::as_str) == Some(to_ref.as_str()) {
                    *member = body.clone();
                    replaced += 1;
                }
            }
            members.retain(|m| m.as_object().is_some_and(|o| !o.is_empty()));
            if replaced > 0 {
                n += replaced;
                broken = true;
                break;
            }
        }
        if !broken {
            break;
        }
    }
    n
}

/// Encodes a JSON-pointer segment.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Refuses, in one line naming the schema and the reason, what the fixes left that typify
/// cannot generate: a reference outside the document, a reference still inside a component,
/// a composition cycle no `allOf` edge could break, a schema with both `oneOf` and `anyOf`.
pub fn check(spec: &Value) -> Result<(), String> {
    let mut refs = Vec::new();
    all_refs(spec, &mut refs);
    if let Some(r) = refs.iter().find(|r| !r.starts_with('#')) {
        return Err(format!(
            "the description refers outside itself (`$ref: {r}`), which the generator cannot follow: bundle the description into one file first"
        ));
    }
    if let Some(r) = refs.iter().find(|r| !is_component_ref(r)) {
        return Err(format!(
            "`$ref: {r}` points inside a schema and could not be hoisted into a component of its own"
        ));
    }
    if let Some(cycle) = composition_cycles(spec).first() {
        return Err(format!(
            "schema {} is composed of itself ({}) through oneOf/anyOf only, which typify's allOf merge cannot end",
            cycle[0],
            cycle.join(" -> ")
        ));
    }
    let mut both = None;
    find_schema(spec, "", &mut |path, obj| {
        if both.is_none() && obj.contains_key("oneOf") && obj.contains_key("anyOf") {
            both = Some(path.to_string());
        }
    });
    if let Some(path) = both {
        return Err(format!(
            "the schema at {path} has both `oneOf` and `anyOf`, which typify cannot generate"
        ));
    }
    Ok(())
}

/// Calls `f` with the JSON pointer of every object of the document.
fn find_schema(v: &Value, path: &str, f: &mut dyn FnMut(&str, &Map<String, Value>)) {
    match v {
        Value::Object(map) => {
            f(path, map);
            for (k, child) in map {
                find_schema(child, &format!("{path}/{}", escape(k)), f);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                find_schema(child, &format!("{path}/{i}"), f);
            }
        }
        _ => {}
    }
}

/// Runs `generate`, turning a panic of typify or progenitor (they assert on shapes they do not
/// handle) into a one-line error instead of a backtrace: the last line of defence behind
/// [`check`], for shapes no release has shown yet.
pub fn catch_panics<T>(generate: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(generate));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        let first = why.lines().next().unwrap_or_default();
        Err(format!(
            "typify/progenitor panicked on a shape of the description no fix handles yet: {first}"
        ))
    })
}
