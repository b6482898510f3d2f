//! The whole API is generated: every operation and every schema of the pinned description
//! has its method and its type, as read off the generator's output.

use pinterest_v5::__inventory;
use pinterest_v5_codegen::{filter, load, naming};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn description() -> Value {
    match load::load_pinned(Path::new(env!("CARGO_MANIFEST_DIR"))) {
        Ok(loaded) => loaded.spec,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn every_operation_of_the_description_has_a_generated_method() {
    let spec = description();
    let described: BTreeSet<String> = filter::operations(&spec)
        .map(|(_, _, op)| naming::method_name(op["operationId"].as_str().unwrap_or_default()))
        .collect();
    let generated: BTreeSet<String> = __inventory::METHODS.iter().map(|s| s.to_string()).collect();
    let missing: Vec<_> = described.difference(&generated).collect();
    let extra: Vec<_> = generated.difference(&described).collect();
    assert!(
        missing.is_empty(),
        "operations without a method: {missing:?}"
    );
    assert!(extra.is_empty(), "methods without an operation: {extra:?}");
    assert_eq!(generated.len(), filter::operation_count(&spec));
    if spec["info"]["version"] == "5.23.0" {
        assert_eq!(generated.len(), 231);
    }
}

#[test]
fn every_schema_of_the_description_has_a_generated_type() {
    let spec = description();
    let schemas = spec["components"]["schemas"]
        .as_object()
        .expect("the description has component schemas");
    let generated: BTreeSet<&str> = __inventory::TYPES.iter().copied().collect();
    let missing: Vec<&String> = schemas
        .keys()
        .filter(|name| !generated.contains(naming::type_name(name).as_str()))
        .collect();
    assert!(missing.is_empty(), "schemas without a type: {missing:?}");
    if spec["info"]["version"] == "5.23.0" {
        assert_eq!(schemas.len(), 727);
    }
}

#[test]
fn the_operation_table_describes_every_generated_method() {
    let spec = description();
    let table = pinterest_v5::operation::operations();
    assert_eq!(table.len(), __inventory::METHODS.len());
    for (path, method, op) in filter::operations(&spec) {
        let name = naming::method_name(op["operationId"].as_str().unwrap_or_default());
        let row = pinterest_v5::operation::find(&name)
            .unwrap_or_else(|| panic!("{name} is not in the operation table"));
        assert_eq!(row.path, path);
        assert_eq!(row.method, method.to_uppercase());
        assert_eq!(row.sandbox, op["x-sandbox"] != "disabled", "{name}");
        assert_eq!(
            row.rate_limit_category,
            op["x-ratelimit-category"].as_str().unwrap_or(""),
            "{name}"
        );
    }
    let sandboxed = table.iter().filter(|op| op.sandbox).count();
    let comma_joined: usize = table.iter().map(|op| op.comma_joined.len()).sum();
    let with_comma_joined = table
        .iter()
        .filter(|op| !op.comma_joined.is_empty())
        .count();
    if spec["info"]["version"] == "5.23.0" {
        assert_eq!(sandboxed, 117);
        assert_eq!((comma_joined, with_comma_joined), (26, 18));
    }
}
