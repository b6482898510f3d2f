//! Read-only views of the description that several steps share, one copy each.

use serde_json::Value;

/// Follows a local `$ref` to what it names; `v` itself when it is no reference (or a dangling
/// one). References to references are legal: a few hops are all a sane document needs.
pub fn resolve<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    let mut v = v;
    for _ in 0..8 {
        match v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| spec.pointer(p))
        {
            Some(target) => v = target,
            None => break,
        }
    }
    v
}

/// `name` as one token of a JSON pointer (`/` and `~` escaped).
pub fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Every parameter an operation takes, resolved: its path item's first, then its own (an
/// operation's parameter overrides the path item's of the same name and place, so read them in
/// this order to let the later win).
pub fn parameters<'a>(
    spec: &'a Value,
    path: &str,
    op: &'a Value,
) -> impl Iterator<Item = &'a Value> {
    let item_params = spec
        .get("paths")
        .and_then(|p| p.get(path))
        .and_then(|i| i.get("parameters"));
    [item_params, op.get("parameters")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(move |p| resolve(spec, p))
}
