//! Fixes that make a reply the description allows decode: each on a minimal description of its
//! own, the JSON before and after, and what it counts.

use pinterest_v5_codegen::fix;
use serde_json::{Value, json};

/// A minimal description holding `schemas` as its component schemas.
fn description(schemas: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {},
        "components": {"schemas": schemas}
    })
}

#[test]
fn an_enum_or_null_union_becomes_the_enum_made_nullable() {
    let mut spec = description(json!({
        "Event": {"type": "object", "properties": {"kind": {
            "description": "what it maps to",
            "anyOf": [
                {"type": "string", "description": "a kind", "enum": ["A", "B"]},
                {"type": "string", "nullable": true, "enum": [null]}
            ],
            "nullable": true
        }}}
    }));
    assert_eq!(fix::null_only_union_members(&mut spec), 1);
    assert_eq!(
        spec.pointer("/components/schemas/Event/properties/kind")
            .unwrap(),
        &json!({
            "description": "what it maps to",
            "nullable": true,
            "type": "string",
            "enum": ["A", "B"]
        })
    );
    assert_eq!(fix::null_only_union_members(&mut spec), 0, "once is enough");
}

#[test]
fn a_reference_or_null_union_becomes_a_nullable_all_of() {
    let mut spec = description(json!({
        "Money": {"type": "object", "properties": {"amount": {"type": "integer"}}},
        "Line": {"type": "object", "properties": {"price": {
            "oneOf": [{"$ref": "#/components/schemas/Money"}, {"enum": [null]}]
        }}}
    }));
    assert_eq!(fix::null_only_union_members(&mut spec), 1);
    assert_eq!(
        spec.pointer("/components/schemas/Line/properties/price")
            .unwrap(),
        &json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Money"}]})
    );
}

#[test]
fn a_union_of_several_keeps_them_and_is_made_nullable() {
    let mut spec = description(json!({
        "Value": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"enum": [null]}]}
    }));
    assert_eq!(fix::null_only_union_members(&mut spec), 1);
    assert_eq!(
        spec.pointer("/components/schemas/Value").unwrap(),
        &json!({"nullable": true, "anyOf": [{"type": "string"}, {"type": "integer"}]})
    );
}

#[test]
fn a_union_without_a_null_only_member_is_left_alone() {
    let schemas = json!({
        "Value": {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["A", null]}]},
        "Null": {"anyOf": [{"enum": [null]}]}
    });
    let mut spec = description(schemas.clone());
    assert_eq!(fix::null_only_union_members(&mut spec), 0);
    assert_eq!(spec, description(schemas));
}

#[test]
fn nullable_beside_a_reference_becomes_a_nullable_all_of_everywhere() {
    let mut spec = description(json!({
        "Currency": {"type": "object", "properties": {"code": {"type": "string"}}},
        "Line": {"type": "object", "required": ["currency"], "properties": {
            "currency": {"$ref": "#/components/schemas/Currency", "nullable": true, "description": "its currency"},
            "history": {"type": "array", "items": {"$ref": "#/components/schemas/Currency", "nullable": true}},
            "plain": {"$ref": "#/components/schemas/Currency"},
            "not_null": {"$ref": "#/components/schemas/Currency", "nullable": false}
        }}
    }));
    // and inline, in an operation's reply
    spec["paths"] = json!({"/lines": {"get": {"operationId": "lines/get", "responses": {"200": {
        "description": "ok",
        "content": {"application/json": {"schema": {"type": "object", "properties": {
            "first": {"$ref": "#/components/schemas/Currency", "nullable": true}
        }}}}
    }}}}});
    assert_eq!(fix::nullable_refs(&mut spec), 3);
    let line = spec.pointer("/components/schemas/Line/properties").unwrap();
    assert_eq!(
        line["currency"],
        json!({"allOf": [{"$ref": "#/components/schemas/Currency"}], "nullable": true, "description": "its currency"})
    );
    assert_eq!(
        line["history"]["items"],
        json!({"allOf": [{"$ref": "#/components/schemas/Currency"}], "nullable": true})
    );
    assert_eq!(
        line["plain"],
        json!({"$ref": "#/components/schemas/Currency"})
    );
    assert_eq!(
        line["not_null"],
        json!({"$ref": "#/components/schemas/Currency", "nullable": false})
    );
    let first = spec
        .pointer(
            "/paths/~1lines/get/responses/200/content/application~1json/schema/properties/first",
        )
        .unwrap();
    assert_eq!(
        first,
        &json!({"allOf": [{"$ref": "#/components/schemas/Currency"}], "nullable": true})
    );
}

/// Both fixes together, through the whole pipeline: the generated field types are `Option`s
/// (without the fixes: a struct of two flattened options, and a bare `Currency`).
#[test]
fn the_generated_types_take_null() {
    let spec = description(json!({
        "Currency": {"type": "object", "properties": {"code": {"type": "string"}}},
        "Line": {"type": "object", "required": ["currency", "kind"], "properties": {
            "currency": {"$ref": "#/components/schemas/Currency", "nullable": true},
            "kind": {"anyOf": [
                {"type": "string", "enum": ["A", "B"]},
                {"type": "string", "nullable": true, "enum": [null]}
            ], "nullable": true}
        }}
    }));
    let out = pinterest_v5_codegen::run(&spec, None).expect("generates");
    assert_eq!(out.report.count("nullable_refs"), Some(1));
    assert_eq!(out.report.count("null_only_union_members"), Some(1));
    let code: String = out.code.split_whitespace().collect();
    assert!(
        code.contains("pubcurrency:::std::option::Option<Currency>,"),
        "currency takes null"
    );
    assert!(
        code.contains("pubkind:::std::option::Option<LineKind>,"),
        "kind takes null"
    );
    assert!(code.contains("pubenumLineKind{A,B,"), "kind is an enum");
}
