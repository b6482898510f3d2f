//! Operation docs whose example compiles, built from the description's own example values.

use super::syntax::{generic_arg, segment_names, self_ident, serde_rename, wire_name};
use crate::naming::method_name;
use crate::report::Pass;
use crate::spec::{parameters, resolve};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The report line of [`operation_examples`].
pub const OPERATION_EXAMPLES: Pass = Pass {
    name: "operation_examples",
    unit: "operations",
    why: "progenitor's example of each operation is an ` ```ignore ` block that passes variables nobody declared (`.board_id(board_id)`) and is never compiled: it becomes a `no_run` doctest that compiles, its path, query and body values taken from the description's examples",
};

/// How deep a body's nested structs are written out.
const MAX_DEPTH: usize = 12;

/// The placeholder progenitor ends an operation's doc with.
const PLACEHOLDER: &str = "```ignore\nlet response = client.";

/// Replaces progenitor's ` ```ignore ` placeholder in the doc of each `Client` method with a
/// ` ```no_run ` doctest: a client (hidden setup), the call with its required parameters and
/// those the description gives an `example` for, and a body where the operation takes one
/// (its builder, with the required fields and the fields the description exemplifies).
///
/// Values come from the description: the parameter's or property's `example`, else its
/// schema's `example`, `default` or first `enum` value, else a plausible value of the type.
/// Types come from the generated code (the setters' and fields' types), so that the example
/// compiles; an operation for which one value cannot be written (a required field of a type
/// with no literal) loses the placeholder and gets no example. Returns the operations given
/// one.
pub fn operation_examples(spec: &Value, file: &mut syn::File) -> Result<usize, String> {
    let index = Index::of(spec, file);
    let mut written = 0;
    for item in file.items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || self_ident(&imp.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for it in imp.items.iter_mut() {
            let syn::ImplItem::Fn(f) = it else { continue };
            let Some(builder) = builder_of(f) else {
                continue;
            };
            let method = f.sig.ident.to_string();
            let example = index.example(&method, &builder);
            for attr in f.attrs.iter_mut() {
                let Some(doc) = doc_text(attr) else { continue };
                let Some(at) = doc.find(PLACEHOLDER) else {
                    continue;
                };
                let end = doc[at + 3..]
                    .find("```")
                    .map_or(doc.len(), |e| at + 3 + e + 3);
                let mut text = doc[..at].trim_end().to_string();
                if let Some(example) = &example {
                    text.push_str("\n\n");
                    text.push_str(example);
                    written += 1;
                }
                text.push_str(&doc[end..]);
                *attr = syn::parse_quote!(#[doc = #text]);
            }
        }
    }
    Ok(written)
}

/// The text of a `#[doc = "…"]` attribute.
fn doc_text(attr: &syn::Attribute) -> Option<String> {
    if !attr.path().is_ident("doc") {
        return None;
    }
    match &attr.meta {
        syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

/// The request builder a `Client` method returns (`builder::PinsList::new(self)`).
fn builder_of(f: &syn::ImplItemFn) -> Option<String> {
    let Some(syn::Stmt::Expr(syn::Expr::Call(call), None)) = f.block.stmts.last() else {
        return None;
    };
    let syn::Expr::Path(path) = &*call.func else {
        return None;
    };
    let segments: Vec<String> = segment_names(&path.path);
    match segments.as_slice() {
        [.., ty, new] if new == "new" => Some(ty.clone()),
        _ => None,
    }
}

/// A struct's fields: name, type, and whether a value must be given (its builder starts it
/// as an error).
#[derive(Clone, Default)]
struct Fields {
    fields: Vec<(String, syn::Type, bool)>,
}

/// What the examples are written from: the generated types, builders and operations, and the
/// description's operations.
struct Index<'s> {
    spec: &'s Value,
    /// `types::X`: structs, enums and aliases by name.
    types: HashMap<String, syn::Item>,
    /// `types::X` that have `From<T>`, with `T` as tokens.
    froms: std::collections::HashSet<(String, String)>,
    /// `types::builder::X`: the fields of each struct builder.
    type_builders: HashMap<String, Fields>,
    /// `builder::X`: the fields of each operation's builder.
    operations: HashMap<String, Fields>,
    /// The description's operations, by method name.
    spec_ops: HashMap<String, &'s Value>,
    /// The path of each operation of `spec_ops`.
    spec_paths: HashMap<String, &'s str>,
}

impl<'s> Index<'s> {
    fn of(spec: &'s Value, file: &syn::File) -> Index<'s> {
        let mut index = Index {
            spec,
            types: HashMap::new(),
            froms: std::collections::HashSet::new(),
            type_builders: HashMap::new(),
            operations: HashMap::new(),
            spec_ops: HashMap::new(),
            spec_paths: HashMap::new(),
        };
        for item in &file.items {
            let syn::Item::Mod(m) = item else { continue };
            let Some((_, items)) = &m.content else {
                continue;
            };
            if m.ident == "types" {
                for it in items {
                    match it {
                        syn::Item::Struct(s) => {
                            index.types.insert(s.ident.to_string(), it.clone());
                        }
                        syn::Item::Enum(e) => {
                            index.types.insert(e.ident.to_string(), it.clone());
                        }
                        syn::Item::Type(t) => {
                            index.types.insert(t.ident.to_string(), it.clone());
                        }
                        syn::Item::Impl(imp) => {
                            if let (Some((_, path, _)), Some(target)) =
                                (&imp.trait_, self_ident(&imp.self_ty))
                                && let Some(last) = path.segments.last()
                                && last.ident == "From"
                                && let syn::PathArguments::AngleBracketed(args) = &last.arguments
                                && let Some(syn::GenericArgument::Type(from)) = args.args.first()
                            {
                                index.froms.insert((target, type_key(from)));
                            }
                        }
                        syn::Item::Mod(b) if b.ident == "builder" => {
                            if let Some((_, items)) = &b.content {
                                index.type_builders = builders(items, "default");
                            }
                        }
                        _ => {}
                    }
                }
            } else if m.ident == "builder" {
                index.operations = builders(items, "new");
            }
        }
        if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                let Some(item) = item.as_object() else {
                    continue;
                };
                for op in item.values() {
                    if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                        index.spec_ops.insert(method_name(id), op);
                        index.spec_paths.insert(method_name(id), path.as_str());
                    }
                }
            }
        }
        index
    }

    /// The doctest of the operation `method` (its builder `builder::<builder>`), or `None`
    /// when a value it needs cannot be written.
    fn example(&self, method: &str, builder: &str) -> Option<String> {
        let fields = self.operations.get(builder)?;
        let op = self.spec_ops.get(method).copied();
        let params: HashMap<String, &Value> = match (op, self.spec_paths.get(method)) {
            (Some(op), Some(path)) => parameters(self.spec, path, op)
                .filter_map(|p| Some((method_name(p.get("name")?.as_str()?), p)))
                .collect(),
            _ => HashMap::new(),
        };
        let body_schema = op
            .and_then(|op| op.get("requestBody"))
            .map(|b| resolve(self.spec, b))
            .and_then(|b| b.get("content"))
            .and_then(Value::as_object)
            .and_then(|c| c.values().next())
            .and_then(|c| c.get("schema"));
        let mut calls = String::new();
        for (name, ty, required) in &fields.fields {
            if name == "body" {
                let value = self.setter_value(ty, body_schema, None, "body", 0)?;
                let _ = write!(calls, "\n    .body({value})");
                continue;
            }
            let param = params.get(name).copied();
            let schema = param.and_then(|p| p.get("schema"));
            let example = param.and_then(|p| {
                p.get("example").or_else(|| {
                    p.get("examples")
                        .and_then(Value::as_object)
                        .and_then(|e| e.values().next())
                        .and_then(|e| e.get("value"))
                })
            });
            let exemplified = example.is_some()
                || schema.is_some_and(|s| resolve(self.spec, s).get("example").is_some());
            if !required && !exemplified {
                continue;
            }
            let ty = generic_arg(ty, "Option").unwrap_or(ty);
            let value = self.setter_value(ty, schema, example, name, 0);
            match value {
                Some(value) => {
                    let _ = write!(calls, "\n    .{name}({value})");
                }
                None if *required => return None,
                None => {}
            }
        }
        let uses = if calls.contains("types::") {
            "use pinterest_v5::types;\n"
        } else {
            ""
        };
        Some(format!(
            "```no_run\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n# let client = pinterest_v5::Client::builder().access_token(\"pina_…\").build()?;\n{uses}let response = client\n    .{method}(){calls}\n    .send()\n    .await?;\n# let _ = response;\n# Ok(())\n# }}\n```"
        ))
    }

    /// A value for a setter that takes `TryInto<ty>`: a struct may be given as its builder.
    fn setter_value(
        &self,
        ty: &syn::Type,
        schema: Option<&Value>,
        example: Option<&Value>,
        name: &str,
        depth: usize,
    ) -> Option<String> {
        let (ident, args) = last_segment(ty)?;
        if ident == "String" {
            let text = self.text(schema, example, name);
            return Some(format!("{text:?}"));
        }
        if let Some(literal) = integer_type(&ident) {
            let n = self.integer(schema, example, name);
            return Some(integer_literal(n, literal, literal == "i32" || fits_i32(n)));
        }
        if let Some(plain) = ident
            .strip_prefix("NonZero")
            .and_then(|t| integer_type(&t.to_lowercase()))
        {
            let n = self.integer(schema, example, name).max(1);
            return Some(integer_literal(n, plain, false));
        }
        // a struct builder (`types::builder::X`, a body) or a struct with one
        let target = self.resolved_name(&ident, args.is_empty());
        if let Some(target) = target
            && self.type_builders.contains_key(&target)
            && matches!(self.types.get(&target), Some(syn::Item::Struct(_)))
        {
            return self.struct_builder(&target, schema, example, depth);
        }
        self.value(ty, schema, example, name, depth)
    }

    /// The name a type path `ident` names after aliases (`pub type X = Y;`).
    fn resolved_name(&self, ident: &str, plain: bool) -> Option<String> {
        if !plain {
            return None;
        }
        let mut name = ident.to_string();
        for _ in 0..8 {
            match self.types.get(&name) {
                Some(syn::Item::Type(t)) => {
                    let (next, args) = last_segment(&t.ty)?;
                    if !args.is_empty() {
                        return None;
                    }
                    name = next;
                }
                Some(_) => return Some(name),
                None => return None,
            }
        }
        None
    }

    /// `types::X::builder()` with the required fields and the exemplified ones set.
    fn struct_builder(
        &self,
        name: &str,
        schema: Option<&Value>,
        example: Option<&Value>,
        depth: usize,
    ) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        let fields = self.type_builders.get(name)?;
        let json_names = self.json_names(name);
        let properties = schema.map(|s| self.properties(s)).unwrap_or_default();
        let mut out = format!("types::{name}::builder()");
        for (field, ty, required) in &fields.fields {
            let json = json_names
                .get(field)
                .cloned()
                .unwrap_or_else(|| field.trim_start_matches("r#").to_string());
            let property = properties.get(json.as_str()).copied();
            let given = example.and_then(|e| e.get(&json));
            let own = property.and_then(|p| p.get("example"));
            let field_example = given.or(own);
            if !required && field_example.is_none() {
                continue;
            }
            let value = if let Some(inner) = generic_arg(ty, "Option") {
                // an optional field takes the value itself: no builder, no nested struct
                if self.is_struct(inner) && !*required {
                    None
                } else {
                    self.value(inner, property, field_example, field, depth + 1)
                        .map(|v| match last_segment(inner) {
                            Some((ident, _)) if ident == "String" => {
                                v.trim_end_matches(".to_string()").to_string()
                            }
                            _ => v,
                        })
                }
            } else {
                self.setter_value(ty, property, field_example, field, depth + 1)
            };
            match value {
                Some(value) => {
                    // the top-level body's setters one a line
                    let dot = if depth == 0 { "\n        ." } else { "." };
                    let _ = write!(out, "{dot}{}({value})", field.trim_start_matches("r#"));
                }
                None if *required => return None,
                None => {}
            }
        }
        Some(out)
    }

    /// Whether `ty` names a struct of `types` (after aliases).
    fn is_struct(&self, ty: &syn::Type) -> bool {
        last_segment(ty)
            .and_then(|(ident, args)| self.resolved_name(&ident, args.is_empty()))
            .is_some_and(|n| matches!(self.types.get(&n), Some(syn::Item::Struct(_))))
    }

    /// A value of exactly `ty` (no conversion applies).
    fn value(
        &self,
        ty: &syn::Type,
        schema: Option<&Value>,
        example: Option<&Value>,
        name: &str,
        depth: usize,
    ) -> Option<String> {
        if depth > MAX_DEPTH + 2 {
            return None;
        }
        let (ident, args) = last_segment(ty)?;
        match ident.as_str() {
            "String" => {
                let text = self.text(schema, example, name);
                return Some(format!("{text:?}.to_string()"));
            }
            "bool" => {
                let b = example
                    .or_else(|| self.schema_value(schema))
                    .and_then(Value::as_bool)
                    .unwrap_or(true);
                return Some(b.to_string());
            }
            "f64" | "f32" => {
                let n = example
                    .or_else(|| self.schema_value(schema))
                    .and_then(Value::as_f64)
                    .unwrap_or(1.0);
                let mut text = format!("{n:?}");
                if ident == "f32" {
                    text.push_str("f32");
                } else if !text.contains(['.', 'e']) {
                    text.push_str(".0");
                }
                return Some(text);
            }
            "Vec" => {
                let item = args.first()?;
                let items_schema = schema
                    .map(|s| resolve(self.spec, s))
                    .and_then(|s| s.get("items"));
                let first = example
                    .or_else(|| self.schema_value(schema))
                    .and_then(Value::as_array)
                    .and_then(|a| a.first());
                let value = self.value(item, items_schema, first, name, depth + 1)?;
                return Some(format!("vec![{value}]"));
            }
            "Option" => {
                // set when the description gives a value, else left `None`
                let inner = args.first()?;
                let given = example.or_else(|| self.schema_value(schema)).is_some();
                return Some(
                    match given
                        .then(|| self.value(inner, schema, example, name, depth + 1))
                        .flatten()
                    {
                        Some(value) => format!("Some({value})"),
                        None => "None".to_string(),
                    },
                );
            }
            "HashMap" | "BTreeMap" => {
                let key = self.value(args.first()?, None, None, "key", depth + 1)?;
                let value = self.value(args.get(1)?, None, None, name, depth + 1)?;
                let map = if ident == "HashMap" {
                    "HashMap"
                } else {
                    "BTreeMap"
                };
                return Some(format!("std::collections::{map}::from([({key}, {value})])"));
            }
            "Map" => return Some("serde_json::Map::new()".to_string()),
            "Value" => {
                let json = example
                    .or_else(|| self.schema_value(schema))
                    .map(Value::to_string)
                    .filter(|j| !j.contains('\\'))
                    .unwrap_or_else(|| "{}".to_string());
                return Some(format!("serde_json::json!({json})"));
            }
            "NaiveDate" => {
                let text = self.text(schema, example, name);
                let date = if is_date(&text) {
                    text
                } else {
                    "2024-01-31".to_string()
                };
                return Some(format!("{date:?}.parse::<chrono::NaiveDate>()?"));
            }
            _ => {}
        }
        if let Some(literal) = integer_type(&ident) {
            let n = self.integer(schema, example, name);
            return Some(integer_literal(n, literal, literal == "i32"));
        }
        if let Some(plain) = ident
            .strip_prefix("NonZero")
            .and_then(|t| integer_type(&t.to_lowercase()))
        {
            let n = self.integer(schema, example, name).max(1);
            return Some(format!(
                "std::num::{ident}::new({}).expect(\"not zero\")",
                integer_literal(n, plain, false)
            ));
        }
        let name_of = self.resolved_name(&ident, args.is_empty())?;
        match self.types.get(&name_of)? {
            syn::Item::Enum(e) => self.enum_value(e, schema, example, name, depth),
            syn::Item::Struct(_) if self.type_builders.contains_key(&name_of) => {
                let builder = self.struct_builder(&name_of, schema, example, depth + 1)?;
                Some(format!("types::{name_of}::try_from({builder})?"))
            }
            syn::Item::Struct(s) => match &s.fields {
                // a newtype: `From` its one field's type, or its public field
                syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    let field = &fields.unnamed[0];
                    let value = self.value(&field.ty, schema, example, name, depth + 1)?;
                    if self.froms.contains(&(name_of.clone(), type_key(&field.ty))) {
                        Some(format!("types::{name_of}::from({value})"))
                    } else if matches!(field.vis, syn::Visibility::Public(_)) {
                        Some(format!("types::{name_of}({value})"))
                    } else {
                        None
                    }
                }
                // a struct without a builder, every field public: a struct literal
                syn::Fields::Named(fields)
                    if fields
                        .named
                        .iter()
                        .all(|f| matches!(f.vis, syn::Visibility::Public(_))) =>
                {
                    let properties = schema.map(|s| self.properties(s)).unwrap_or_default();
                    let values: Option<Vec<String>> = fields
                        .named
                        .iter()
                        .map(|field| {
                            let ident = field.ident.as_ref()?;
                            let json = wire_name(field)?;
                            let property = properties.get(json.as_str()).copied();
                            let given = example.and_then(|e| e.get(&json));
                            let value = self.value(
                                &field.ty,
                                property,
                                given,
                                &ident.to_string(),
                                depth + 1,
                            )?;
                            Some(format!("{ident}: {value}"))
                        })
                        .collect();
                    Some(format!("types::{name_of} {{ {} }}", values?.join(", ")))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// A variant of the enum `e`: the one the example names, else the first; a variant with
    /// one field holds a value of it.
    fn enum_value(
        &self,
        e: &syn::ItemEnum,
        schema: Option<&Value>,
        example: Option<&Value>,
        name: &str,
        depth: usize,
    ) -> Option<String> {
        let wanted = example
            .or_else(|| self.schema_value(schema))
            .and_then(Value::as_str);
        let variants: Vec<&syn::Variant> = e
            .variants
            .iter()
            .filter(|v| v.ident != "UnknownValue")
            .collect();
        if let Some(wanted) = wanted
            && let Some(v) = variants.iter().find(|v| {
                matches!(v.fields, syn::Fields::Unit)
                    && serde_rename(&v.attrs).as_deref() == Some(wanted)
            })
        {
            return Some(format!("types::{}::{}", e.ident, v.ident));
        }
        for v in &variants {
            match &v.fields {
                syn::Fields::Unit => return Some(format!("types::{}::{}", e.ident, v.ident)),
                syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                    let ty = &f.unnamed[0].ty;
                    if let Some(value) = self.value(ty, None, None, name, depth + 1) {
                        return Some(format!("types::{}::{}({value})", e.ident, v.ident));
                    }
                }
                syn::Fields::Named(f) => {
                    let values: Option<Vec<String>> = f
                        .named
                        .iter()
                        .map(|field| {
                            let ident = field.ident.as_ref()?;
                            let value =
                                self.value(&field.ty, None, None, &ident.to_string(), depth + 1)?;
                            Some(format!("{ident}: {value}"))
                        })
                        .collect();
                    if let Some(values) = values {
                        return Some(format!(
                            "types::{}::{} {{ {} }}",
                            e.ident,
                            v.ident,
                            values.join(", ")
                        ));
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The JSON name of each field of the struct `types::name`.
    fn json_names(&self, name: &str) -> HashMap<String, String> {
        let mut names = HashMap::new();
        if let Some(syn::Item::Struct(s)) = self.types.get(name) {
            for field in &s.fields {
                let Some(ident) = &field.ident else { continue };
                let ident = ident.to_string();
                let Some(json) = wire_name(field) else {
                    continue;
                };
                names.insert(ident, json);
            }
        }
        names
    }

    /// The properties of an object schema, its `allOf` members' included.
    fn properties(&self, schema: &'s Value) -> HashMap<&'s str, &'s Value> {
        let mut out = HashMap::new();
        self.collect_properties(schema, &mut out, 0);
        out
    }

    fn collect_properties(
        &self,
        schema: &'s Value,
        out: &mut HashMap<&'s str, &'s Value>,
        depth: usize,
    ) {
        if depth > 8 {
            return;
        }
        let schema = resolve(self.spec, schema);
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, p) in props {
                out.entry(name.as_str()).or_insert(p);
            }
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for member in all {
                self.collect_properties(member, out, depth + 1);
            }
        }
    }

    /// The value a schema gives itself: its `example`, `default` or first `enum` value.
    fn schema_value(&self, schema: Option<&'s Value>) -> Option<&'s Value> {
        let schema = resolve(self.spec, schema?);
        schema
            .get("example")
            .or_else(|| schema.get("default"))
            .or_else(|| {
                schema
                    .get("enum")
                    .and_then(Value::as_array)
                    .and_then(|e| e.first())
            })
            .or_else(|| {
                schema
                    .get("allOf")
                    .and_then(Value::as_array)
                    .and_then(|a| a.first())
                    .and_then(|m| self.schema_value(Some(m)))
            })
    }

    /// Text for a string: the example, the schema's value, else one fitting the name.
    fn text(&self, schema: Option<&Value>, example: Option<&Value>, name: &str) -> String {
        let given = example.or_else(|| self.schema_value(schema));
        match given {
            Some(Value::String(s)) if !s.contains("```") => return s.clone(),
            Some(Value::Number(n)) => return n.to_string(),
            Some(Value::Bool(b)) => return b.to_string(),
            _ => {}
        }
        let format = schema
            .map(|s| resolve(self.spec, s))
            .and_then(|s| s.get("format"))
            .and_then(Value::as_str);
        match format {
            Some("date") => return "2024-01-31".to_string(),
            Some("date-time") => return "2024-01-31T12:00:00Z".to_string(),
            Some("uri" | "url") => return "https://example.com".to_string(),
            Some("email") => return "someone@example.com".to_string(),
            _ => {}
        }
        if name == "id" || name.ends_with("_id") {
            "549755885175".to_string()
        } else if name.contains("url") || name.contains("link") {
            "https://example.com".to_string()
        } else {
            "example".to_string()
        }
    }

    /// A number for an integer: the example, the schema's value or `minimum`, else 1 (25 for a
    /// page size).
    fn integer(&self, schema: Option<&Value>, example: Option<&Value>, name: &str) -> i64 {
        let given = example.or_else(|| self.schema_value(schema));
        if let Some(n) = given.and_then(|v| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }) {
            return n;
        }
        let minimum = schema
            .map(|s| resolve(self.spec, s))
            .and_then(|s| s.get("minimum"))
            .and_then(Value::as_i64);
        match minimum {
            Some(m) => m.max(1),
            None if name == "page_size" => 25,
            None => 1,
        }
    }
}

/// The builders of `items` (`impl X { fn <init>() }` starting each field as `Ok(…)` or
/// `Err(…)`), with their fields.
fn builders(items: &[syn::Item], init: &str) -> HashMap<String, Fields> {
    let mut types: HashMap<String, Vec<(String, syn::Type)>> = HashMap::new();
    let mut required: HashMap<String, Vec<String>> = HashMap::new();
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                let fields = s
                    .fields
                    .iter()
                    .filter_map(|f| Some((f.ident.as_ref()?.to_string(), result_ok(&f.ty)?)))
                    .collect();
                types.insert(s.ident.to_string(), fields);
            }
            syn::Item::Impl(imp) => {
                let Some(name) = self_ident(&imp.self_ty) else {
                    continue;
                };
                for it in &imp.items {
                    let syn::ImplItem::Fn(f) = it else { continue };
                    if f.sig.ident != init {
                        continue;
                    }
                    let Some(syn::Stmt::Expr(syn::Expr::Struct(value), None)) =
                        f.block.stmts.last()
                    else {
                        continue;
                    };
                    let errs = value
                        .fields
                        .iter()
                        .filter_map(|field| {
                            let syn::Member::Named(ident) = &field.member else {
                                return None;
                            };
                            let syn::Expr::Call(call) = &field.expr else {
                                return None;
                            };
                            matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("Err"))
                                .then(|| ident.to_string())
                        })
                        .collect();
                    required.insert(name.clone(), errs);
                }
            }
            _ => {}
        }
    }
    types
        .into_iter()
        .filter_map(|(name, fields)| {
            let required = required.get(&name)?;
            let fields = fields
                .into_iter()
                .map(|(f, ty)| {
                    let req = required.contains(&f);
                    (f, ty, req)
                })
                .collect();
            Some((name, Fields { fields }))
        })
        .collect()
}

/// A type as tokens, without the paths the types module and its builders name it by
/// (`super::X`, `X`).
fn type_key(ty: &syn::Type) -> String {
    quote::quote!(#ty).to_string().replace("super :: ", "")
}

/// `T` of `Result<T, String>`.
fn result_ok(ty: &syn::Type) -> Option<syn::Type> {
    let (ident, args) = last_segment(ty)?;
    (ident == "Result")
        .then(|| args.into_iter().next())
        .flatten()
}

/// The last segment of a path type, and its type arguments.
fn last_segment(ty: &syn::Type) -> Option<(String, Vec<syn::Type>)> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let args = match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((last.ident.to_string(), args))
}

/// The integer type named `ident`.
fn integer_type(ident: &str) -> Option<&'static str> {
    [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "isize", "usize",
    ]
    .into_iter()
    .find(|t| *t == ident)
}

fn fits_i32(n: i64) -> bool {
    i32::try_from(n).is_ok()
}

/// `n` as a literal of `ty` (unsuffixed when `plain`), clamped to what `ty` holds.
fn integer_literal(n: i64, ty: &str, plain: bool) -> String {
    let n = if ty.starts_with('u') { n.max(0) } else { n };
    let n = match ty {
        "i8" => n.clamp(i8::MIN.into(), i8::MAX.into()),
        "i16" => n.clamp(i16::MIN.into(), i16::MAX.into()),
        "i32" => n.clamp(i32::MIN.into(), i32::MAX.into()),
        "u8" => n.min(u8::MAX.into()),
        "u16" => n.min(u16::MAX.into()),
        "u32" => n.min(u32::MAX.into()),
        _ => n,
    };
    if plain {
        n.to_string()
    } else {
        format!("{n}{ty}")
    }
}

/// Whether `text` is a date `YYYY-MM-DD`.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}
