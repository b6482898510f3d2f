//! No `Debug` shows a secret, generated types included: every public type that can hold one
//! (read off the generated code and checked against the description) is formatted with a
//! secret in each secret field, and the secret never appears.

use pinterest_v5::types::__secret_samples;
use pinterest_v5::{Client, Environment};
use pinterest_v5_codegen::{load, naming, secrets};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const SECRET: &str = "pinS3CR3Tvalue";

fn description() -> Value {
    match load::load_pinned(Path::new(env!("CARGO_MANIFEST_DIR"))) {
        Ok(loaded) => loaded.spec,
        Err(e) => panic!("{e}"),
    }
}

fn samples() -> Vec<(&'static str, String, String)> {
    let client = Client::builder()
        .environment(Environment::Sandbox)
        .build()
        .expect("client");
    __secret_samples::all(SECRET, &client)
}

/// The component schemas with a secret property of their own (inline, or in an inline part of
/// an `allOf`, `oneOf` or `anyOf`).
fn schemas_with_secrets(spec: &Value) -> BTreeSet<String> {
    let names = secrets::secret_names(spec);
    fn has(schema: &Value, names: &BTreeSet<String>) -> bool {
        let own = schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|props| props.keys().any(|k| names.contains(k)));
        own || ["allOf", "oneOf", "anyOf"].iter().any(|k| {
            schema
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|parts| parts.iter().any(|p| has(p, names)))
        })
    }
    spec["components"]["schemas"]
        .as_object()
        .expect("component schemas")
        .iter()
        .filter(|(_, schema)| has(schema, &names))
        .map(|(name, _)| name.clone())
        .collect()
}

#[test]
fn every_type_that_can_hold_a_secret_is_formatted_without_it() {
    let samples = samples();
    for (name, debug, json) in &samples {
        assert!(
            json.contains(SECRET),
            "the sample of {name} holds no secret, so its Debug proves nothing: {json}"
        );
        assert!(!debug.contains(SECRET), "{name} shows the secret: {debug}");
        assert!(debug.contains("[redacted]"), "{name}: {debug}");
    }
    // Models, their builders and operation builders.
    assert!(samples.iter().any(|(n, ..)| n.starts_with("builder::")));
    assert!(
        samples
            .iter()
            .any(|(n, ..)| n.starts_with("operation builder "))
    );
}

#[test]
fn every_schema_of_the_description_with_a_secret_field_is_among_the_formatted_types() {
    let spec = description();
    let formatted: BTreeSet<&str> = samples().iter().map(|(n, ..)| *n).collect();
    let expected = schemas_with_secrets(&spec);
    let missing: Vec<String> = expected
        .iter()
        .map(|schema| naming::type_name(schema))
        .filter(|ty| !formatted.contains(ty.as_str()))
        .collect();
    assert!(missing.is_empty(), "not formatted: {missing:?}");
    if spec["info"]["version"] == "5.23.0" {
        for known in [
            "OauthAccessTokenResponse",
            "OauthAccessTokenResponseCode",
            "OauthAccessTokenResponseRefresh",
            "ConversionAccessTokenResponse",
            "IntegrationRequest",
            "IntegrationRecord",
            "CatalogsFeedCredentialsInner",
            "TokenRevocationRequest",
        ] {
            assert!(formatted.contains(known), "{known} is not formatted");
        }
    }
}

#[test]
fn secret_fields_are_found_by_name_format_and_security_scheme() {
    let spec = serde_json::json!({
        "components": {
            "securitySchemes": {
                "partner_key": {"type": "apiKey", "in": "header", "name": "X-Partner-Key"},
            },
            "schemas": {
                "A": {"properties": {
                    "feed_pass": {"type": "string", "format": "password"},
                    "client_secret": {"type": "string"},
                    "token_type": {"type": "string"},
                    "X-Partner-Key": {"type": "string"},
                }},
            },
        },
        "paths": {"/x": {"get": {"parameters": [{"in": "query", "name": "session_token"}]}}},
    });
    let names = secrets::secret_names(&spec);
    for secret in [
        "feed_pass",
        "client_secret",
        "X-Partner-Key",
        "partner_key",
        "session_token",
    ] {
        assert!(names.contains(secret), "{secret} not found in {names:?}");
    }
    assert!(!names.contains("token_type"));
}
