//! Step 2: fixes of the description, applied to its JSON before progenitor parses it.
//!
//! Each fix is one function with the defect it works around in its doc comment, detects the
//! defect generically (defects move between releases: never a list of schema names) and returns
//! how many operations or schemas it touched; its [`Pass`] (name, unit, reason) is declared beside
//! it. [`FIXES`] lists them in the order they run; [`apply_all`] runs that table and collects the
//! [`Report`] that `cargo xtask regen` prints and commits (`openapi/fixes.txt`).
//!
//! Fixes that act on the generated code rather than on the description live in
//! [`crate::generate`] (its table [`crate::generate::PASSES`]) and add their lines to the same
//! report.

use crate::naming::type_name;
use crate::report::{Pass, Report};
use crate::shapes;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// One fix of the description: its report line and the function that applies it.
#[derive(Clone, Copy, Debug)]
pub struct Fix {
    /// Its name, unit and reason, as the report shows them.
    pub pass: Pass,
    /// Applies it; returns how many things it touched.
    pub apply: fn(&mut Value) -> usize,
}

impl Fix {
    /// A row of [`FIXES`].
    pub const fn new(pass: Pass, apply: fn(&mut Value) -> usize) -> Fix {
        Fix { pass, apply }
    }
}

/// Every fix of the description, in the order they run: the one list of them, which the report
/// (`openapi/fixes.txt`) reads. A new fix is a function with its [`Pass`] beside it and a row
/// here.
pub const FIXES: &[Fix] = &[
    Fix::new(shapes::DEEP_REFS, shapes::deep_refs),
    Fix::new(shapes::ALL_OF_CYCLES, shapes::all_of_cycles),
    Fix::new(COLLIDING_ENUM_VALUES, colliding_enum_values),
    Fix::new(ERROR_RESPONSES, error_responses),
    Fix::new(DEEP_OBJECT_QUERY, deep_object_query),
    Fix::new(MAPPING_WITHOUT_ONE_OF, mapping_without_one_of),
    Fix::new(ONE_MEMBER_UNIONS, one_member_unions),
    Fix::new(DISCRIMINATED_ANY_OF, discriminated_any_of),
    Fix::new(REDUNDANT_UNION_BASE, redundant_union_base),
    Fix::new(NULLABLE_ENUM_TITLE, nullable_enum_title),
    Fix::new(NULLABLE_OBJECT_TITLE, nullable_object_title),
    Fix::new(INLINE_NAME_COLLISIONS, inline_name_collisions),
    Fix::new(NULL_ONLY_UNION_MEMBERS, null_only_union_members),
    Fix::new(NULLABLE_REFS, nullable_refs),
    Fix::new(CLOSED_OBJECTS, closed_objects),
    Fix::new(STRING_CONSTRAINTS, string_constraints),
];

/// Runs every fix of [`FIXES`], in order, and reports what each touched.
pub fn apply_all(spec: &mut Value) -> Report {
    let mut r = Report::default();
    for fix in FIXES {
        r.push(&fix.pass, (fix.apply)(spec));
    }
    r
}

/// Calls `f` on every JSON object of the document, depth first.
fn walk_objects(v: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    match v {
        Value::Object(map) => {
            f(map);
            for (_, child) in map.iter_mut() {
                walk_objects(child, f);
            }
        }
        Value::Array(items) => {
            for child in items {
                walk_objects(child, f);
            }
        }
        _ => {}
    }
}

fn operations_mut(spec: &mut Value) -> impl Iterator<Item = &mut Map<String, Value>> {
    spec.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.iter_mut())
        .filter(|(method, _)| crate::filter::is_method(method))
        .filter_map(|(_, op)| op.as_object_mut())
}

/// The report line of [`colliding_enum_values`].
pub const COLLIDING_ENUM_VALUES: Pass = Pass {
    name: "colliding_enum_values",
    unit: "enums",
    why: "enum values that become the same Rust identifier (`Etc/GMT+1`, `Etc/GMT-1`) make typify panic: the enum becomes a plain string",
};

/// F1. Enum values that collide once made Rust identifiers make typify panic before any
/// operation is generated. Such an enum is left a plain string.
pub fn colliding_enum_values(spec: &mut Value) -> usize {
    let mut n = 0;
    walk_objects(spec, &mut |obj| {
        let Some(values) = obj.get("enum").and_then(Value::as_array) else {
            return;
        };
        let mut seen = BTreeSet::new();
        let collide = values
            .iter()
            .filter_map(Value::as_str)
            .any(|s| !seen.insert(type_name(s)));
        if collide {
            obj.remove("enum");
            n += 1;
        }
    });
    n
}

/// The report line of [`error_responses`].
pub const ERROR_RESPONSES: Pass = Pass {
    name: "error_responses",
    unit: "operations",
    why: "`default` (and two error body types on one operation) break progenitor's one-success-type assert: every non-2xx reply is decoded by the runtime into `pinterest_v5::Error`",
};

/// F2, F3, F7. Every operation has a `default` response, which progenitor counts as both a
/// success and an error type; two operations document two different error bodies, and 27 use
/// `Pinterest.Lib.Error`, a duplicate of `Error`. All three go away together: error responses
/// are removed from the description, so every non-2xx reply reaches the runtime undecoded and
/// becomes a `pinterest_v5::Error` carrying status, `{code, message}` and request id.
pub fn error_responses(spec: &mut Value) -> usize {
    let mut n = 0;
    for op in operations_mut(spec) {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            continue;
        };
        let before = responses.len();
        responses.retain(|status, _| status.starts_with('2'));
        if responses.len() != before {
            n += 1;
        }
    }
    n
}

/// The report line of [`deep_object_query`].
pub const DEEP_OBJECT_QUERY: Pass = Pass {
    name: "deep_object_query",
    unit: "parameters",
    why: "`style: deepObject` query parameters are unsupported: they become a free-form map, sent as `name[key]=value`",
};

/// F4. progenitor rejects `style: deepObject` query parameters. The parameter becomes a
/// free-form map of strings; the caller passes the bracketed keys (`parameters[catalog_type]`).
pub fn deep_object_query(spec: &mut Value) -> usize {
    let mut n = 0;
    walk_objects(spec, &mut |obj| {
        let is_query = obj.get("in").and_then(Value::as_str) == Some("query");
        if is_query && obj.get("style").and_then(Value::as_str) == Some("deepObject") {
            obj.insert("style".into(), "form".into());
            obj.insert("explode".into(), true.into());
            let description = obj
                .get("schema")
                .and_then(|s| s.get("description"))
                .cloned()
                .unwrap_or_else(|| "".into());
            obj.insert(
                "schema".into(),
                serde_json::json!({
                    "type": "object",
                    "description": description,
                    "additionalProperties": {"type": "string"}
                }),
            );
            n += 1;
        }
    });
    n
}

/// The report line of [`mapping_without_one_of`].
pub const MAPPING_WITHOUT_ONE_OF: Pass = Pass {
    name: "mapping_without_one_of",
    unit: "schemas",
    why: "a `discriminator.mapping` without `oneOf` loses its variants (the token reply's `refresh_token`): the `oneOf` is built from the mapping",
};

/// F6. A schema with `discriminator.mapping` but no `oneOf` is generated as the base object
/// alone, losing what the variants add (the token reply's `refresh_token`). The `oneOf` is built
/// from the mapping, so the discriminator pass in [`crate::generate`] can pick the variant.
pub fn mapping_without_one_of(spec: &mut Value) -> usize {
    let mut n = 0;
    walk_objects(spec, &mut |obj| {
        let Some(mapping) = obj
            .get("discriminator")
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object)
        else {
            return;
        };
        if obj.contains_key("oneOf") || obj.contains_key("anyOf") {
            return;
        }
        let mut refs: Vec<Value> = Vec::new();
        for target in mapping.values() {
            let r = serde_json::json!({ "$ref": target });
            if !refs.contains(&r) {
                refs.push(r);
            }
        }
        for key in ["type", "properties", "required", "allOf"] {
            obj.remove(key);
        }
        obj.insert("oneOf".into(), Value::Array(refs));
        n += 1;
    });
    n
}

/// The report line of [`discriminated_any_of`].
pub const DISCRIMINATED_ANY_OF: Pass = Pass {
    name: "discriminated_any_of",
    unit: "schemas",
    why: "an `anyOf` with a discriminator becomes a struct of optional flattened members that all match at once: with a tag exactly one member applies, so it is a `oneOf`",
};

/// The report line of [`one_member_unions`].
pub const ONE_MEMBER_UNIONS: Pass = Pass {
    name: "one_member_unions",
    unit: "schemas",
    why: "a discriminated `oneOf` of one member is generated by typify as that member, not as an enum the discriminator pass can rewrite: a union of one names no choice, its discriminator goes",
};

/// A discriminated `oneOf` (or `anyOf`) of one member (v5.12.0's `hotel` product group
/// request) is generated by typify as that member, not as an enum: there is no choice for the
/// tag to make, so the discriminator goes and the union decodes as its member.
pub fn one_member_unions(spec: &mut Value) -> usize {
    let mut n = 0;
    walk_objects(spec, &mut |obj| {
        let one = ["oneOf", "anyOf"].iter().any(|k| {
            obj.get(*k)
                .and_then(Value::as_array)
                .is_some_and(|m| m.len() == 1)
        });
        if one && obj.remove("discriminator").is_some() {
            n += 1;
        }
    });
    n
}

/// An `anyOf` with a `discriminator` names one member per tag value, so exactly one applies:
/// it is a `oneOf`, which the discriminator pass then decodes by its tag.
pub fn discriminated_any_of(spec: &mut Value) -> usize {
    let mut n = 0;
    walk_objects(spec, &mut |obj| {
        if obj.contains_key("discriminator")
            && !obj.contains_key("oneOf")
            && let Some(members) = obj.remove("anyOf")
        {
            obj.insert("oneOf".into(), members);
            n += 1;
        }
    });
    n
}

/// The report line of [`redundant_union_base`].
pub const REDUNDANT_UNION_BASE: Pass = Pass {
    name: "redundant_union_base",
    unit: "schemas",
    why: "a discriminated `oneOf` that also declares the tag as a base property is merged by typify into anonymous struct variants: the base property goes (every variant declares it)",
};

/// Discriminated unions whose base object declares nothing but the tag property (each variant
/// declares it too) are merged by typify into inline struct variants (`Variant0 { … }`) that no
/// longer name their schemas. The base is dropped, leaving a plain `oneOf` of references.
pub fn redundant_union_base(spec: &mut Value) -> usize {
    let mut n = 0;
    walk_objects(spec, &mut |obj| {
        let Some(tag) = obj
            .get("discriminator")
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return;
        };
        let all_refs = obj
            .get("oneOf")
            .and_then(Value::as_array)
            .is_some_and(|v| v.iter().all(|s| s.get("$ref").is_some()));
        let only_tag = obj
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| p.len() == 1 && p.contains_key(&tag));
        if all_refs && only_tag {
            for key in ["type", "properties", "required"] {
                obj.remove(key);
            }
            n += 1;
        }
    });
    n
}

/// The report line of [`nullable_enum_title`].
pub const NULLABLE_ENUM_TITLE: Pass = Pass {
    name: "nullable_enum_title",
    unit: "schemas",
    why: "a nullable enum titled with its own schema name generates `struct X(Option<X>)` beside `enum X`: the title is dropped",
};

/// F5a. A nullable enum whose `title` is its own schema name generates a wrapper and an enum of
/// the same name. The title adds nothing (the schema's name names the type), so it is dropped.
pub fn nullable_enum_title(spec: &mut Value) -> usize {
    let mut n = 0;
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            let Some(obj) = schema.as_object_mut() else {
                continue;
            };
            let nullable = obj.get("nullable").and_then(Value::as_bool) == Some(true);
            let own_title = obj
                .get("title")
                .and_then(Value::as_str)
                .is_some_and(|t| type_name(t) == type_name(name));
            if nullable && own_title && obj.contains_key("enum") {
                obj.remove("title");
                n += 1;
            }
        }
    }
    n
}

/// The report line of [`nullable_object_title`].
pub const NULLABLE_OBJECT_TITLE: Pass = Pass {
    name: "nullable_object_title",
    unit: "schemas",
    why: "a nullable object titled with its own schema name generates `struct X(Option<X>)`, a type that contains itself: the title is dropped",
};

/// A nullable object schema becomes a newtype over `Option` of an inner struct, which typify
/// names after the schema's `title` (`X` + `Inner` without one). A title that is the schema's own
/// name (v5.12.0's `Pin`, `PinCreate`, `PinUpdate`) names the inner struct like the wrapper:
/// `struct PinCreate(Option<PinCreate>)` refers to itself, and rustc stops with "cycle detected
/// when computing layout". The title adds nothing (the schema's name names the type), so it is
/// dropped and the inner struct is `XInner`, as for every other nullable object. Returns the
/// schemas changed.
pub fn nullable_object_title(spec: &mut Value) -> usize {
    let mut n = 0;
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            let Some(obj) = schema.as_object_mut() else {
                continue;
            };
            let nullable = obj.get("nullable").and_then(Value::as_bool) == Some(true);
            let own_title = obj
                .get("title")
                .and_then(Value::as_str)
                .is_some_and(|t| type_name(t) == type_name(name));
            let object = obj.get("type").and_then(Value::as_str) == Some("object")
                || obj.contains_key("properties");
            if nullable && own_title && object {
                obj.remove("title");
                n += 1;
            }
        }
    }
    n
}

/// The report line of [`inline_name_collisions`].
pub const INLINE_NAME_COLLISIONS: Pass = Pass {
    name: "inline_name_collisions",
    unit: "schemas",
    why: "an inline schema whose generated name equals a component schema's name duplicates a type: it gets a unique title",
};

/// F5b. typify names an inline schema after its title, or after its parent and property
/// (`Parent` + `prop` → `ParentProp`). When that name is already a component schema's, two types
/// get one name. The inline schema gets a unique title (`ParentPropInline`); an inline title equal
/// to a component's name gets the same treatment.
pub fn inline_name_collisions(spec: &mut Value) -> usize {
    let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return 0;
    };
    let taken: BTreeSet<String> = schemas.keys().map(|k| type_name(k)).collect();
    let mut n = 0;
    for (name, schema) in schemas.iter_mut() {
        n += rename_inline(&type_name(name), schema, &taken);
    }
    n
}

/// Whether typify generates a named type for this inline schema.
fn is_named_inline(obj: &Map<String, Value>) -> bool {
    !obj.contains_key("$ref")
        && (obj.contains_key("properties")
            || obj.contains_key("enum")
            || obj.contains_key("oneOf")
            || obj.contains_key("anyOf")
            || obj.contains_key("allOf"))
}

fn rename_inline(parent: &str, schema: &mut Value, taken: &BTreeSet<String>) -> usize {
    let Some(obj) = schema.as_object_mut() else {
        return 0;
    };
    let mut n = 0;
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for (prop, child) in props.iter_mut() {
            let Some(child_obj) = child.as_object_mut() else {
                continue;
            };
            if !is_named_inline(child_obj) {
                continue;
            }
            let derived = match child_obj.get("title").and_then(Value::as_str) {
                Some(t) => type_name(t),
                None => type_name(&format!("{parent}-{prop}")),
            };
            if taken.contains(&derived) {
                let fresh = format!("{}{}Inline", parent, type_name(prop));
                child_obj.insert("title".into(), fresh.clone().into());
                n += 1;
                n += rename_inline(&fresh, child, taken);
            } else {
                n += rename_inline(&derived, child, taken);
            }
        }
    }
    n
}

/// The report line of [`closed_objects`].
pub const CLOSED_OBJECTS: Pass = Pass {
    name: "closed_objects",
    unit: "schemas",
    why: "`additionalProperties: false` generates `deny_unknown_fields`, so a field the API adds breaks decoding: objects are left open",
};

/// Whether a schema admits `null` alone: an `enum` whose only value is `null`.
fn is_null_only(schema: &Value) -> bool {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
}

/// The report line of [`null_only_union_members`].
pub const NULL_ONLY_UNION_MEMBERS: Pass = Pass {
    name: "null_only_union_members",
    unit: "schemas",
    why: "an `anyOf`/`oneOf` of a schema and a null-only schema (`enum: [null]`) generates a struct of flattened options that cannot decode the plain value: the null-only member goes and the union is made nullable",
};

/// Tolerance. A union written as "this schema, or null" (`anyOf: [{enum: [...]}, {type: string,
/// nullable: true, enum: [null]}]`) is generated by typify as a struct of two flattened optional
/// members, which cannot decode the plain value. The null-only members go and the union is made
/// nullable; a union left with one member becomes that member (a `$ref` in a nullable `allOf`),
/// with the union's own description and title, so typify generates `Option<T>`.
pub fn null_only_union_members(spec: &mut Value) -> usize {
    let mut n = 0;
    walk_objects(spec, &mut |obj| {
        for key in ["anyOf", "oneOf"] {
            let Some(members) = obj.get(key).and_then(Value::as_array) else {
                continue;
            };
            if !members.iter().any(is_null_only) || members.iter().all(is_null_only) {
                continue;
            }
            let mut rest: Vec<Value> = members
                .iter()
                .filter(|m| !is_null_only(m))
                .cloned()
                .collect();
            obj.remove(key);
            obj.insert("nullable".into(), true.into());
            if rest.len() == 1 {
                let only = rest.remove(0);
                if only.get("$ref").is_some() {
                    obj.insert("allOf".into(), Value::Array(vec![only]));
                } else if let Value::Object(member) = only {
                    // the union's own words win over the member's
                    for (k, v) in member {
                        if k != "nullable" && !obj.contains_key(&k) {
                            obj.insert(k, v);
                        }
                    }
                }
            } else {
                obj.insert(key.into(), Value::Array(rest));
            }
            n += 1;
        }
    });
    n
}

/// The report line of [`nullable_refs`].
pub const NULLABLE_REFS: Pass = Pass {
    name: "nullable_refs",
    unit: "schemas",
    why: "`nullable: true` beside a `$ref` is dropped (a reference carries nothing else), so a `null` the description allows fails the decode: the reference is wrapped in a nullable `allOf`",
};

/// Tolerance. In OpenAPI 3.0 a `$ref` object carries nothing but the reference, so the
/// `nullable: true` written beside one (`{"$ref": "#/components/schemas/Currency", "nullable":
/// true}`) is dropped on parsing and a `null` the description means to allow fails the decode
/// (in a required field or an array item). The reference is wrapped: `{"allOf": [{"$ref": …}],
/// "nullable": true}`, which typify generates as `Option<T>`.
pub fn nullable_refs(spec: &mut Value) -> usize {
    let mut n = 0;
    walk_objects(spec, &mut |obj| {
        let is_ref = obj.get("$ref").is_some_and(Value::is_string);
        if is_ref && obj.get("nullable") == Some(&Value::Bool(true)) {
            let reference = obj.remove("$ref").unwrap_or_default();
            obj.insert("allOf".into(), serde_json::json!([{ "$ref": reference }]));
            n += 1;
        }
    });
    n
}

/// Tolerance. `additionalProperties: false` makes typify emit `deny_unknown_fields`; the API
/// adds fields between releases, so every object is left open.
pub fn closed_objects(spec: &mut Value) -> usize {
    let mut n = 0;
    walk_objects(spec, &mut |obj| {
        if obj.get("additionalProperties") == Some(&Value::Bool(false)) {
            obj.remove("additionalProperties");
            n += 1;
        }
    });
    n
}

/// The report line of [`string_constraints`].
pub const STRING_CONSTRAINTS: Pass = Pass {
    name: "string_constraints",
    unit: "schemas",
    why: "`pattern`/`minLength`/`maxLength` generate validating newtypes, so one odd string in a reply fails the whole decode: the server validates instead",
};

/// Tolerance. `pattern`, `minLength` and `maxLength` on strings make typify generate newtypes
/// that validate on decode: one reply string the description did not foresee fails the whole
/// reply. Strings stay plain; Pinterest validates what it receives.
pub fn string_constraints(spec: &mut Value) -> usize {
    let mut n = 0;
    walk_objects(spec, &mut |obj| {
        let is_string = obj.get("type").and_then(Value::as_str) == Some("string");
        if !is_string {
            return;
        }
        let mut touched = false;
        for key in ["pattern", "minLength", "maxLength"] {
            if obj.get(key).is_some_and(|v| !v.is_object()) {
                obj.remove(key);
                touched = true;
            }
        }
        n += usize::from(touched);
    });
    n
}

/// Discriminated unions by Rust enum name: (tag property, [(tag value, Rust variant type name)]).
pub type Unions = BTreeMap<String, (String, Vec<(String, String)>)>;

/// Discriminated unions of the description, for the generated-code pass that decodes them by
/// their tag: Rust enum name → (tag property, tag value → Rust variant type name).
pub fn discriminated_unions(spec: &Value) -> Unions {
    let mut out = BTreeMap::new();
    let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return out;
    };
    for (name, schema) in schemas {
        collect_unions(&type_name(name), schema, &mut out);
    }
    out
}

fn collect_unions(rust_name: &str, schema: &Value, out: &mut Unions) {
    let Some(obj) = schema.as_object() else {
        return;
    };
    if let (Some(disc), Some(_)) = (obj.get("discriminator"), obj.get("oneOf")) {
        let prop = disc.get("propertyName").and_then(Value::as_str);
        let mapping = disc.get("mapping").and_then(Value::as_object);
        if let (Some(prop), Some(mapping)) = (prop, mapping) {
            let tags = mapping
                .iter()
                .filter_map(|(value, target)| {
                    let target = target.as_str()?.rsplit('/').next()?;
                    Some((value.clone(), type_name(target)))
                })
                .collect();
            out.insert(rust_name.to_string(), (prop.to_string(), tags));
        }
    }
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (prop, child) in props {
            let child_name = match child.get("title").and_then(Value::as_str) {
                Some(t) => type_name(t),
                None => type_name(&format!("{rust_name}-{prop}")),
            };
            collect_unions(&child_name, child, out);
            // inline items of an array property are named `{Parent}{Prop}Item`
            if let Some(items) = child.get("items").filter(|i| i.get("$ref").is_none()) {
                let item_name = match items.get("title").and_then(Value::as_str) {
                    Some(t) => type_name(t),
                    None => format!("{child_name}Item"),
                };
                collect_unions(&item_name, items, out);
            }
        }
    }
    // inline variants of a `oneOf` are named `{Parent}Variant{i}` (or by their title)
    if let Some(variants) = obj.get("oneOf").and_then(Value::as_array) {
        for (i, child) in variants.iter().enumerate() {
            if child.get("$ref").is_some() {
                continue;
            }
            let child_name = match child.get("title").and_then(Value::as_str) {
                Some(t) => type_name(t),
                None => format!("{rust_name}Variant{i}"),
            };
            collect_unions(&child_name, child, out);
        }
    }
}
