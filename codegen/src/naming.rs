//! Names as progenitor and typify derive them, so that fixes can predict collisions and the
//! generated-code passes can find the items a schema or an operation became.

use heck::{ToPascalCase, ToSnakeCase};

fn sanitize(input: &str, pascal: bool) -> String {
    let to_case = |s: &str| {
        if pascal {
            s.to_pascal_case()
        } else {
            s.to_snake_case()
        }
    };
    let out = match input {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-"),
        ),
    };
    match out.chars().next() {
        None => to_case("x"),
        Some(c) if c.is_alphabetic() || c == '_' => out,
        Some(_) => format!("{}{}", to_case("x"), out),
    }
}

/// The Rust type (or variant) name typify gives a schema name, title or enum value.
pub fn type_name(name: &str) -> String {
    sanitize(name, true)
}

/// The method name progenitor gives an `operationId` (`pins/create` → `pins_create`); also the
/// `OperationInfo::operation_id` the hooks see.
pub fn method_name(operation_id: &str) -> String {
    sanitize(operation_id, false)
}
