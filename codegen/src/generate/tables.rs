//! Tables the runtime and the tests read: the operation table and the inventory of what was
//! generated.

use crate::filter;
use crate::naming::method_name;
use crate::report::Pass;
use crate::spec::resolve;
use quote::{format_ident, quote};
use serde_json::Value;

/// The report line of [`comma_joined_arrays`].
pub const COMMA_JOINED_ARRAYS: Pass = Pass {
    name: "comma_joined_arrays",
    unit: "parameters",
    why: "progenitor sends every array query parameter as repeated keys; `explode: false` ones go out comma-joined (`columns=A,B`), done by the runtime from the operation table",
};

/// The pass as [`super::PASSES`] runs it: [`operation_table`] appended to the tree, counting the
/// `explode: false` array query parameters it lists.
pub fn comma_joined_arrays(spec: &Value, file: &mut syn::File) -> Result<usize, String> {
    let (table, comma_joined) = operation_table(spec);
    file.items.extend(table.items);
    Ok(comma_joined)
}

/// The value type of a parameter or body field as the runtime's table names it
/// (`crate::rt::ValueType`): a scalar's own type, an array's items' type.
fn value_type(spec: &Value, schema: Option<&Value>) -> syn::Expr {
    let schema = schema.map(|s| resolve(spec, s));
    let ty = schema.and_then(|s| s.get("type")).and_then(Value::as_str);
    let ty = match ty {
        Some("array") => schema
            .and_then(|s| s.get("items"))
            .map(|i| resolve(spec, i))
            .and_then(|i| i.get("type"))
            .and_then(Value::as_str),
        other => other,
    };
    match ty {
        Some("integer") => syn::parse_quote! { crate::rt::ValueType::Integer },
        Some("number") => syn::parse_quote! { crate::rt::ValueType::Number },
        Some("boolean") => syn::parse_quote! { crate::rt::ValueType::Boolean },
        _ => syn::parse_quote! { crate::rt::ValueType::String },
    }
}

/// The request body's row (`crate::rt::Body`): its media type, whether it is required, and
/// the top-level fields whose values are scalars (strings, numbers, booleans), the ones a
/// caller can give one by one.
fn request_body(spec: &Value, op: &Value) -> syn::Expr {
    let Some(body) = op.get("requestBody").map(|b| resolve(spec, b)) else {
        return syn::parse_quote! { None };
    };
    let required = body.get("required") == Some(&Value::Bool(true));
    let content = body.get("content").and_then(Value::as_object);
    let (media, schema) = match content.and_then(|c| c.iter().next()) {
        Some((media, value)) => (media.as_str(), value.get("schema")),
        None => ("", None),
    };
    let kind: syn::Expr = match media {
        "application/json" => syn::parse_quote! { crate::rt::BodyKind::Json },
        "application/x-www-form-urlencoded" => syn::parse_quote! { crate::rt::BodyKind::Form },
        "multipart/form-data" => syn::parse_quote! { crate::rt::BodyKind::Multipart },
        _ => syn::parse_quote! { crate::rt::BodyKind::Other },
    };
    let schema = schema.map(|s| resolve(spec, s));
    let required_fields: Vec<&str> = schema
        .and_then(|s| s.get("required"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut fields = Vec::new();
    for (name, field) in schema
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let resolved = resolve(spec, field);
        let scalar = matches!(
            resolved.get("type").and_then(Value::as_str),
            Some("string" | "integer" | "number" | "boolean")
        );
        if !scalar || resolved.get("readOnly") == Some(&Value::Bool(true)) {
            continue;
        }
        let ty = value_type(spec, Some(field));
        let field_required = required_fields.contains(&name.as_str());
        fields.push(quote! {
            crate::rt::BodyField { name: #name, value_type: #ty, required: #field_required }
        });
    }
    syn::parse_quote! {
        Some(crate::rt::Body { kind: #kind, required: #required, fields: &[#(#fields),*] })
    }
}

/// The first line of the operation's summary (or description), for listings.
fn summary(op: &Value) -> String {
    op.get("summary")
        .or_else(|| op.get("description"))
        .and_then(Value::as_str)
        .and_then(|s| s.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("")
        .to_string()
}

/// The table of operations the runtime consults, sorted by method name:
/// `crate::generated::OPERATIONS`. Also returns how many `explode: false` array query
/// parameters it lists.
pub fn operation_table(spec: &Value) -> (syn::File, usize) {
    let mut rows = Vec::new();
    let mut comma_joined_total = 0;
    for (path, method, op) in filter::operations(spec) {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let name = method_name(id);
        let area = op
            .pointer("/tags/0")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let sandbox = op.get("x-sandbox").and_then(Value::as_str) != Some("disabled");
        let category = op
            .get("x-ratelimit-category")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let security: Vec<String> = op
            .get("security")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .flat_map(|req| req.keys().cloned())
            .collect();
        let mut comma_joined = Vec::new();
        let mut paginated = false;
        let mut parameters = Vec::new();
        for p in op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let p = resolve(spec, p);
            let location = match p.get("in").and_then(Value::as_str) {
                Some("path") => quote! { crate::rt::Location::Path },
                Some("query") => quote! { crate::rt::Location::Query },
                Some("header") => quote! { crate::rt::Location::Header },
                _ => continue,
            };
            let pname = p.get("name").and_then(Value::as_str).unwrap_or("");
            let schema = p.get("schema").map(|s| resolve(spec, s));
            let array = schema.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("array");
            let required = p.get("required") == Some(&Value::Bool(true))
                || p.get("in").and_then(Value::as_str) == Some("path");
            let ty = value_type(spec, p.get("schema"));
            parameters.push(quote! {
                crate::rt::Parameter {
                    name: #pname,
                    location: #location,
                    value_type: #ty,
                    required: #required,
                    array: #array,
                }
            });
            if p.get("in").and_then(Value::as_str) != Some("query") {
                continue;
            }
            if pname == "bookmark" {
                paginated = true;
            }
            if array && p.get("explode") == Some(&Value::Bool(false)) {
                comma_joined.push(pname.to_string());
            }
        }
        comma_joined_total += comma_joined.len();
        let method = method.to_uppercase();
        let summary = summary(op);
        let body = request_body(spec, op);
        rows.push((
            name.clone(),
            quote! {
                crate::rt::Operation {
                    name: #name,
                    operation_id: #id,
                    method: #method,
                    path: #path,
                    area: #area,
                    sandbox: #sandbox,
                    rate_limit_category: #category,
                    security: &[#(#security),*],
                    comma_joined: &[#(#comma_joined),*],
                    paginated: #paginated,
                    summary: #summary,
                    parameters: &[#(#parameters),*],
                    body: #body,
                }
            },
        ));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let rows = rows.into_iter().map(|(_, r)| r);
    let ident = format_ident!("OPERATIONS");
    let file = syn::parse_quote! {
        /// Every generated operation, sorted by method name (generated from the description).
        pub(crate) const #ident: &[crate::rt::Operation] = &[#(#rows),*];
    };
    (file, comma_joined_total)
}

/// What progenitor actually generated, read off the syntax tree: the methods of `Client` and
/// the items of `types`. The completeness test compares them with the description, so an
/// operation or schema silently dropped by the generator fails it.
pub fn inventory(file: &syn::File) -> syn::Item {
    let mut methods = Vec::new();
    let mut types = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                let is_client =
                    matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
                if !is_client {
                    continue;
                }
                for it in &imp.items {
                    if let syn::ImplItem::Fn(f) = it {
                        let name = f.sig.ident.to_string();
                        if name != "new" && name != "new_with_client" {
                            methods.push(name);
                        }
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "types" => {
                for it in m.content.iter().flat_map(|(_, items)| items) {
                    match it {
                        syn::Item::Struct(s) => types.push(s.ident.to_string()),
                        syn::Item::Enum(e) => types.push(e.ident.to_string()),
                        syn::Item::Type(t) => types.push(t.ident.to_string()),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    methods.sort();
    types.sort();
    syn::parse_quote! {
        /// What the generator produced (read off its output), for the completeness tests.
        #[doc(hidden)]
        pub mod inventory {
            /// Methods of `Client`, one per generated operation, sorted.
            pub const METHODS: &[&str] = &[#(#methods),*];
            /// Types of `types`, sorted.
            pub const TYPES: &[&str] = &[#(#types),*];
        }
    }
}
