//! Each fix of the description on a minimal document: the JSON before, the JSON after, and the
//! count the fix reports.

use pinterest_v5_codegen::fix;
use serde_json::{Value, json};

/// Runs `apply` on `before`, checks the result and the count.
fn check(apply: fn(&mut Value) -> usize, mut before: Value, after: Value, count: usize) {
    let n = apply(&mut before);
    assert_eq!(before, after);
    assert_eq!(n, count);
}

fn schemas(schemas: Value) -> Value {
    json!({ "components": { "schemas": schemas } })
}

#[test]
fn colliding_enum_values_leave_the_enum_a_plain_string() {
    check(
        fix::colliding_enum_values,
        schemas(json!({
            "Zone": { "type": "string", "enum": ["Etc/GMT+1", "Etc/GMT-1"] },
            "Kind": { "type": "string", "enum": ["a", "b"] }
        })),
        schemas(json!({
            "Zone": { "type": "string" },
            "Kind": { "type": "string", "enum": ["a", "b"] }
        })),
        1,
    );
}

#[test]
fn error_responses_keep_only_the_successes() {
    check(
        fix::error_responses,
        json!({ "paths": { "/pins": {
            "get": { "responses": { "200": {}, "default": {}, "404": {} } },
            "post": { "responses": { "201": {} } },
            "parameters": []
        } } }),
        json!({ "paths": { "/pins": {
            "get": { "responses": { "200": {} } },
            "post": { "responses": { "201": {} } },
            "parameters": []
        } } }),
        1,
    );
}

#[test]
fn deep_object_query_parameters_become_a_map_of_strings() {
    check(
        fix::deep_object_query,
        json!({ "name": "parameters", "in": "query", "style": "deepObject",
                "schema": { "type": "object", "description": "filters" } }),
        json!({ "name": "parameters", "in": "query", "style": "form", "explode": true,
                "schema": { "type": "object", "description": "filters",
                            "additionalProperties": { "type": "string" } } }),
        1,
    );
}

#[test]
fn a_mapping_without_one_of_gains_the_one_of_it_names() {
    check(
        fix::mapping_without_one_of,
        schemas(json!({ "Token": {
            "type": "object",
            "properties": { "kind": { "type": "string" } },
            "required": ["kind"],
            "discriminator": { "propertyName": "kind", "mapping": {
                "a": "#/components/schemas/A", "b": "#/components/schemas/B",
                "also_a": "#/components/schemas/A"
            } }
        } })),
        schemas(json!({ "Token": {
            "discriminator": { "propertyName": "kind", "mapping": {
                "a": "#/components/schemas/A", "b": "#/components/schemas/B",
                "also_a": "#/components/schemas/A"
            } },
            "oneOf": [ { "$ref": "#/components/schemas/A" }, { "$ref": "#/components/schemas/B" } ]
        } })),
        1,
    );
}

#[test]
fn a_discriminated_any_of_becomes_a_one_of() {
    let members =
        json!([{ "$ref": "#/components/schemas/A" }, { "$ref": "#/components/schemas/B" }]);
    check(
        fix::discriminated_any_of,
        schemas(json!({
            "U": { "anyOf": members, "discriminator": { "propertyName": "kind" } },
            "Plain": { "anyOf": members }
        })),
        schemas(json!({
            "U": { "oneOf": members, "discriminator": { "propertyName": "kind" } },
            "Plain": { "anyOf": members }
        })),
        1,
    );
}

#[test]
fn a_union_base_declaring_only_the_tag_goes() {
    let one_of =
        json!([{ "$ref": "#/components/schemas/A" }, { "$ref": "#/components/schemas/B" }]);
    let disc = json!({ "propertyName": "kind" });
    check(
        fix::redundant_union_base,
        schemas(json!({
            "U": { "type": "object", "properties": { "kind": { "type": "string" } },
                   "required": ["kind"], "oneOf": one_of, "discriminator": disc },
            "V": { "type": "object", "properties": { "kind": {}, "other": {} },
                   "oneOf": one_of, "discriminator": disc }
        })),
        schemas(json!({
            "U": { "oneOf": one_of, "discriminator": disc },
            "V": { "type": "object", "properties": { "kind": {}, "other": {} },
                   "oneOf": one_of, "discriminator": disc }
        })),
        1,
    );
}

#[test]
fn a_nullable_enum_titled_with_its_own_name_loses_the_title() {
    check(
        fix::nullable_enum_title,
        schemas(json!({
            "Privacy": { "title": "privacy", "nullable": true, "enum": ["PUBLIC", null] },
            "Other": { "title": "Something else", "nullable": true, "enum": ["A"] }
        })),
        schemas(json!({
            "Privacy": { "nullable": true, "enum": ["PUBLIC", null] },
            "Other": { "title": "Something else", "nullable": true, "enum": ["A"] }
        })),
        1,
    );
}

#[test]
fn an_inline_schema_named_as_a_component_gets_a_title_of_its_own() {
    check(
        fix::inline_name_collisions,
        schemas(json!({
            "Pin": { "type": "object", "properties": {
                "media": { "type": "object", "properties": { "url": { "type": "string" } } },
                "board": { "type": "object", "properties": { "id": { "type": "string" } } }
            } },
            "PinMedia": { "type": "object" }
        })),
        schemas(json!({
            "Pin": { "type": "object", "properties": {
                "media": { "type": "object", "title": "PinMediaInline",
                           "properties": { "url": { "type": "string" } } },
                "board": { "type": "object", "properties": { "id": { "type": "string" } } }
            } },
            "PinMedia": { "type": "object" }
        })),
        1,
    );
}

#[test]
fn closed_objects_are_left_open() {
    check(
        fix::closed_objects,
        schemas(json!({
            "A": { "type": "object", "additionalProperties": false },
            "B": { "type": "object", "additionalProperties": { "type": "string" } }
        })),
        schemas(json!({
            "A": { "type": "object" },
            "B": { "type": "object", "additionalProperties": { "type": "string" } }
        })),
        1,
    );
}

#[test]
fn string_constraints_go_and_others_stay() {
    check(
        fix::string_constraints,
        schemas(json!({
            "Id": { "type": "string", "pattern": "^\\d+$", "maxLength": 25 },
            "Count": { "type": "integer", "maximum": 10 },
            "Name": { "type": "string", "minLength": 1 }
        })),
        schemas(json!({
            "Id": { "type": "string" },
            "Count": { "type": "integer", "maximum": 10 },
            "Name": { "type": "string" }
        })),
        2,
    );
}

#[test]
fn every_fix_of_the_table_is_tested() {
    // Here, or in the tests of the generation shapes and of tolerant decoding beside this file.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let sources: Vec<String> = std::fs::read_dir(dir)
        .expect("codegen/tests is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let untested: Vec<&str> = fix::FIXES
        .iter()
        .map(|f| f.pass.name)
        .filter(|name| {
            !sources
                .iter()
                .any(|s| s.contains(&format!("{name},")) || s.contains(&format!("{name}(")))
        })
        .collect();
    assert!(untested.is_empty(), "fixes without a test: {untested:?}");
}
