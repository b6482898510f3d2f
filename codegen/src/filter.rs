//! Step 3: keep only the enabled API areas.
//!
//! An API area is one of the description's tags (`pins`, `boards`, `ads`, …); each is a cargo
//! feature of the crate, and `full` enables them all. Filtering drops the operations of the other
//! areas, then every component schema, parameter, request body and response that no remaining
//! operation reaches through `$ref`s, so a build of `pins` alone generates only what pins need.

use serde_json::Value;
use std::collections::BTreeSet;

/// The HTTP methods an OpenAPI path item can hold operations under.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Whether a path-item key is an HTTP method (as opposed to `parameters`, `summary`, …).
pub fn is_method(key: &str) -> bool {
    METHODS.contains(&key)
}

/// Number of operations in the description.
pub fn operation_count(spec: &Value) -> usize {
    operations(spec).count()
}

/// Every operation: (path, method, operation object).
pub fn operations(spec: &Value) -> impl Iterator<Item = (&str, &str, &Value)> {
    spec.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.iter())
        .filter_map(|(path, item)| Some((path.as_str(), item.as_object()?)))
        .flat_map(|(path, item)| {
            item.iter()
                .filter(|(m, _)| is_method(m))
                .map(move |(m, op)| (path, m.as_str(), op))
        })
}

/// The API areas (tags) of the description's operations, sorted.
pub fn areas(spec: &Value) -> BTreeSet<String> {
    operations(spec)
        .flat_map(|(_, _, op)| {
            op.get("tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter_map(|t| t.as_str().map(str::to_string))
        .collect()
}

/// Keeps the operations tagged with one of `keep`, and the components they reach.
pub fn keep_areas(spec: &mut Value, keep: &[String]) {
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            if let Some(item) = item.as_object_mut() {
                item.retain(|key, op| {
                    !is_method(key)
                        || op
                            .get("tags")
                            .and_then(Value::as_array)
                            .is_some_and(|tags| {
                                tags.iter().any(|t| {
                                    t.as_str().is_some_and(|t| keep.iter().any(|k| k == t))
                                })
                            })
                });
            }
        }
        paths.retain(|_, item| {
            item.as_object()
                .is_some_and(|i| i.keys().any(|k| is_method(k)))
        });
    }
    prune_unreachable(spec);
}

/// Removes every component nothing outside `components` reaches through `$ref`s.
fn prune_unreachable(spec: &mut Value) {
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = Vec::new();
    if let Some(paths) = spec.get("paths") {
        collect_refs(paths, &mut queue);
    }
    while let Some(r) = queue.pop() {
        if !reached.insert(r.clone()) {
            continue;
        }
        if let Some(target) = r.strip_prefix('#').and_then(|p| spec.pointer(p)) {
            collect_refs(target, &mut queue);
        }
    }
    if let Some(components) = spec.get_mut("components").and_then(Value::as_object_mut) {
        for (kind, entries) in components.iter_mut() {
            if kind == "securitySchemes" {
                continue;
            }
            if let Some(entries) = entries.as_object_mut() {
                entries.retain(|name, _| {
                    reached.contains(&format!(
                        "#/components/{kind}/{}",
                        crate::spec::escape(name)
                    ))
                });
            }
        }
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match (k.as_str(), child) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    // discriminator mappings name schemas by reference too
                    ("mapping", Value::Object(m)) => {
                        out.extend(m.values().filter_map(|t| t.as_str().map(str::to_string)));
                        collect_refs(child, out);
                    }
                    _ => collect_refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|c| collect_refs(c, out)),
        _ => {}
    }
}
