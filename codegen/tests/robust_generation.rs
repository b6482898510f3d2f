//! Generation never panics: the shapes typify cannot generate are fixed before it sees them
//! (each on a minimal description of its own), and what no fix handles is refused in one line.

use pinterest_v5_codegen::{fix, shapes};
use serde_json::{Value, json};

fn description(schemas: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {},
        "components": {"schemas": schemas}
    })
}

/// v5.18.0's shape: a request's property refers to another schema's property.
fn deep_ref_description() -> Value {
    description(json!({
        "Promotion": {"type": "object", "properties": {"cta": {
            "type": "string", "nullable": true, "enum": ["SHOP_NOW", "BOOK_NOW", null]
        }}},
        "PreviewRequest": {"type": "object", "properties": {
            "cta": {"$ref": "#/components/schemas/Promotion/properties/cta"}
        }}
    }))
}

#[test]
fn a_reference_into_another_schema_is_hoisted_into_a_component() {
    let mut spec = deep_ref_description();
    let target = spec
        .pointer("/components/schemas/Promotion/properties/cta")
        .cloned()
        .unwrap();
    assert_eq!(shapes::deep_refs(&mut spec), 1);
    let schemas = spec.pointer("/components/schemas").unwrap();
    assert_eq!(
        schemas["PromotionCta"], target,
        "named as typify names it in place"
    );
    let hoisted = json!({"$ref": "#/components/schemas/PromotionCta"});
    assert_eq!(
        schemas["Promotion"]["properties"]["cta"], hoisted,
        "one type, not two"
    );
    assert_eq!(schemas["PreviewRequest"]["properties"]["cta"], hoisted);
    assert_eq!(shapes::deep_refs(&mut spec), 0);
    shapes::check(&spec).expect("nothing left to refuse");
}

#[test]
fn a_reference_into_a_hoisted_schema_follows_it_and_names_do_not_collide() {
    let mut spec = description(json!({
        "A": {"type": "object", "properties": {"b": {"type": "object", "properties": {
            "c": {"type": "string", "enum": ["x"]}
        }}}},
        "AB": {"type": "string"},
        "D": {"type": "object", "properties": {
            "b": {"$ref": "#/components/schemas/A/properties/b"},
            "c": {"$ref": "#/components/schemas/A/properties/b/properties/c"}
        }}
    }));
    // `D.c` follows `A.b` into `AB2`, then is hoisted out of it
    assert_eq!(shapes::deep_refs(&mut spec), 3);
    let schemas = spec.pointer("/components/schemas").unwrap();
    assert_eq!(schemas["AB"], json!({"type": "string"}), "left as it was");
    assert_eq!(
        schemas["D"]["properties"]["b"],
        json!({"$ref": "#/components/schemas/AB2"})
    );
    assert_eq!(
        schemas["D"]["properties"]["c"],
        json!({"$ref": "#/components/schemas/Ab2C"}),
        "typify's name for it inside `AB2`"
    );
    shapes::check(&spec).expect("every reference names a component");
}

#[test]
fn a_reference_into_an_operation_is_replaced_by_a_copy() {
    let mut spec = description(json!({
        "D": {"type": "object", "properties": {
            "e": {"$ref": "#/paths/~1e/get/responses/200/content/application~1json/schema"}
        }}
    }));
    spec["paths"] = json!({"/e": {"get": {"operationId": "e/get", "responses": {"200": {
        "description": "ok",
        "content": {"application/json": {"schema": {"type": "string", "enum": ["on", "off"]}}}
    }}}}});
    assert_eq!(shapes::deep_refs(&mut spec), 1);
    assert_eq!(
        spec.pointer("/components/schemas/D/properties/e").unwrap(),
        &json!({"type": "string", "enum": ["on", "off"]})
    );
}

#[test]
fn without_the_fix_typify_panics_and_the_pipeline_says_so_in_one_line() {
    let spec = deep_ref_description();
    let unfixed = shapes::catch_panics(|| {
        pinterest_v5_codegen::generate::generate(
            &spec,
            &mut pinterest_v5_codegen::report::Report::default(),
        )
    });
    let err = unfixed.expect_err("typify refuses a reference into a schema");
    assert!(err.contains("panicked") && !err.contains('\n'), "{err}");
    // the pipeline fixes it first
    let out = pinterest_v5_codegen::run(&spec, None).expect("generates");
    assert_eq!(out.report.count("deep_refs"), Some(1));
    assert!(out.code.contains("pub enum PromotionCta"));
}

/// v5.12.0's shape: a polymorphic base whose discriminator maps to variants that each `allOf`
/// the base (once the mapping becomes the base's `oneOf`, typify's merge never ends).
fn polymorphic_base_description() -> Value {
    description(json!({
        "Token": {
            "type": "object",
            "properties": {"response_type": {"type": "string"}, "access_token": {"type": "string"}},
            "required": ["access_token"],
            "discriminator": {"propertyName": "response_type", "mapping": {
                "code": "#/components/schemas/TokenCode",
                "refresh": "#/components/schemas/TokenRefresh"
            }}
        },
        "TokenCode": {"type": "object", "allOf": [
            {"$ref": "#/components/schemas/Token"},
            {"type": "object", "properties": {"refresh_token": {"type": "string"}}}
        ]},
        "TokenRefresh": {"type": "object", "allOf": [
            {"$ref": "#/components/schemas/Token"},
            {"type": "object", "properties": {"scope": {"type": "string"}}}
        ]}
    }))
}

#[test]
fn a_variant_that_all_ofs_its_union_takes_the_base_s_own_fields() {
    let mut spec = polymorphic_base_description();
    let cycles = shapes::composition_cycles(&spec);
    assert_eq!(
        cycles[0],
        ["Token", "TokenCode", "Token"],
        "the shortest cycle"
    );
    assert!(cycles.iter().all(|c| c.contains(&"Token".to_string())));
    assert_eq!(shapes::all_of_cycles(&mut spec), 2);
    assert!(shapes::composition_cycles(&spec).is_empty());
    let own = json!({
        "type": "object",
        "properties": {"response_type": {"type": "string"}, "access_token": {"type": "string"}},
        "required": ["access_token"]
    });
    let schemas = spec.pointer("/components/schemas").unwrap();
    assert_eq!(schemas["TokenCode"]["allOf"][0], own);
    assert_eq!(schemas["TokenRefresh"]["allOf"][0], own);
    assert_eq!(
        schemas["Token"]["discriminator"]["propertyName"],
        "response_type"
    );
}

#[test]
fn the_polymorphic_base_generates_a_union_of_its_variants() {
    let out = pinterest_v5_codegen::run(&polymorphic_base_description(), None)
        .expect("generates, without a stack overflow");
    assert_eq!(out.report.count("all_of_cycles"), Some(2));
    let code: String = out.code.split_whitespace().collect();
    assert!(code.contains("pubenumToken{"), "the base is the union");
    assert!(code.contains("pubstructTokenCode{"));
    assert!(code.contains("pubaccess_token:::std::string::String,"));
}

#[test]
fn a_schema_that_all_ofs_itself_loses_the_self_reference() {
    let mut spec = description(json!({
        "Loop": {"type": "object", "properties": {"a": {"type": "string"}}, "allOf": [
            {"$ref": "#/components/schemas/Loop"},
            {"type": "object", "properties": {"b": {"type": "string"}}}
        ]}
    }));
    assert_eq!(shapes::all_of_cycles(&mut spec), 1);
    assert!(shapes::composition_cycles(&spec).is_empty());
    pinterest_v5_codegen::run(&spec, None).expect("generates");
}

#[test]
fn what_no_fix_handles_is_refused_in_one_line_naming_the_schema() {
    // a cycle through `oneOf` alone: no `allOf` to break
    let cycle = description(json!({
        "Left": {"oneOf": [{"$ref": "#/components/schemas/Right"}, {"type": "string"}]},
        "Right": {"anyOf": [{"$ref": "#/components/schemas/Left"}, {"type": "integer"}]}
    }));
    let err = pinterest_v5_codegen::run(&cycle, None)
        .err()
        .expect("refused");
    assert!(
        err.contains("schema Left") && err.contains("Left -> Right -> Left"),
        "{err}"
    );
    let external = description(json!({
        "Far": {"type": "object", "properties": {"x": {"$ref": "other.json#/X"}}}
    }));
    let err = pinterest_v5_codegen::run(&external, None)
        .err()
        .expect("refused");
    assert!(err.contains("other.json#/X"), "{err}");
    let both = description(json!({
        "Both": {"oneOf": [{"type": "string"}], "anyOf": [{"type": "integer"}]}
    }));
    let err = shapes::check(&both).expect_err("refused");
    assert!(err.contains("/components/schemas/Both"), "{err}");
    assert!(!err.contains('\n'), "{err}");
}

#[test]
fn a_discriminated_union_of_one_member_decodes_as_its_member() {
    let mut spec = description(json!({
        "Hotel": {"type": "object", "properties": {"catalog_type": {"type": "string"}}},
        "Vertical": {
            "type": "object",
            "oneOf": [{"$ref": "#/components/schemas/Hotel"}],
            "discriminator": {"propertyName": "catalog_type", "mapping": {"HOTEL": "#/components/schemas/Hotel"}}
        }
    }));
    assert_eq!(fix::one_member_unions(&mut spec), 1);
    assert!(
        spec.pointer("/components/schemas/Vertical/discriminator")
            .is_none()
    );
    pinterest_v5_codegen::run(&spec, None).expect("generates");
}

/// v5.12.0's shape: a nullable object whose title is its own name.
fn nullable_self_titled_description() -> Value {
    let mut spec = description(json!({
        "PinCreate": {"title": "PinCreate", "type": "object", "nullable": true, "properties": {
            "board_id": {"type": "string"}
        }}
    }));
    spec["paths"] = json!({"/pins": {"post": {
        "operationId": "pins/create",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/PinCreate"
        }}}},
        "responses": {"201": {"description": "created", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/PinCreate"}
        }}}}
    }}});
    spec
}

#[test]
fn a_nullable_object_titled_with_its_own_name_does_not_contain_itself() {
    let mut spec = nullable_self_titled_description();
    assert_eq!(fix::nullable_object_title(&mut spec), 1);
    assert!(
        spec.pointer("/components/schemas/PinCreate/title")
            .is_none()
    );
    assert_eq!(fix::nullable_object_title(&mut spec), 0);

    let out =
        pinterest_v5_codegen::run(&nullable_self_titled_description(), None).expect("generates");
    let code: String = out.code.split_whitespace().collect();
    assert!(
        !code.contains("Option<PinCreate>)"),
        "`struct PinCreate(Option<PinCreate>)` has no finite size"
    );
    assert!(
        code.contains("pubstructPinCreateInner{"),
        "{}",
        &code[..2000.min(code.len())]
    );
    assert_eq!(out.report.count("nullable_object_title"), Some(1));
}
