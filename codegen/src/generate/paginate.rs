//! Generation pass `bookmark_streams`: bookmark pagination for every list operation.
//!
//! Pinterest pages its lists with a `bookmark` query parameter and answers `{items, bookmark}`.
//! progenitor knows nothing of it (it only understands Dropshot's pagination), so this pass
//! reads the description for the operations that take a `bookmark` query parameter, finds in
//! the generated syntax tree the builder of each (`builder::PinsList`), the type its `send()`
//! returns (`types::PinsListResponse`) and the item type of that type's `items: Vec<_>`
//! (`types::Pin`), and emits for the builder:
//!
//! - `impl crate::rt::Paginated<'a>`: item type, how to set the bookmark, how to send a
//!   request and split the reply into a `Page`;
//! - `.stream()` and `.pages()`: the lazy streams of `crate::pagination` (through `crate::rt`).
//!
//! An operation with a `bookmark` parameter that cannot be paginated this way (a builder, reply
//! or item type of another shape) fails the generation with the list of such operations, so a
//! new version of the description cannot silently lose pagination.

use super::syntax::{generic_arg, module_items, segment_names, self_ident};
use crate::filter;
use crate::naming::method_name;
use crate::report::Pass;
use crate::spec;
use quote::quote;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// What the pass did: the operations it made pageable, and those it could not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Method names (`pins_list`) of the operations given `.stream()` / `.pages()`.
    pub paginated: Vec<String>,
    /// One line per operation with a `bookmark` parameter that could not be paginated, saying why.
    pub problems: Vec<String>,
}

/// The method names of the operations that take a `bookmark` query parameter, sorted.
pub fn bookmark_operations(spec: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (path, _, op) in filter::operations(spec) {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let takes_bookmark = spec::parameters(spec, path, op).any(|p| {
            p.get("in").and_then(Value::as_str) == Some("query")
                && p.get("name").and_then(Value::as_str) == Some("bookmark")
        });
        if takes_bookmark {
            names.insert(method_name(id));
        }
    }
    names
}

/// The report line of [`bookmark_streams`].
pub const BOOKMARK_STREAMS: Pass = Pass {
    name: "bookmark_streams",
    unit: "operations",
    why: "progenitor knows no bookmark pagination: each operation with a `bookmark` query parameter gets `Paginated` and lazy `.stream()` / `.pages()`",
};

/// The pass as [`super::PASSES`] runs it: [`bookmark_streams`], failing the generation when an
/// operation with a `bookmark` parameter cannot be paginated (unless `PV5_DEBUG` is set).
pub fn run(spec: &Value, file: &mut syn::File) -> Result<usize, String> {
    let pages = bookmark_streams(file, spec);
    if !pages.problems.is_empty() && std::env::var_os("PV5_DEBUG").is_none() {
        return Err(format!(
            "bookmark_streams: {} operations with a `bookmark` parameter cannot be paginated (set PV5_DEBUG=1 to generate anyway): {}",
            pages.problems.len(),
            pages.problems.join("; ")
        ));
    }
    Ok(pages.paginated.len())
}

/// Adds pagination to the builder of every operation with a `bookmark` query parameter (and of
/// any builder with a `bookmark` field the description did not announce).
pub fn bookmark_streams(file: &mut syn::File, spec: &Value) -> Outcome {
    let mut outcome = Outcome::default();
    let methods = client_methods(file);
    let replies = reply_types(file);
    let Some(builders) = module_items(file, "builder") else {
        outcome
            .problems
            .push("the generated code has no `builder` module".to_string());
        return outcome;
    };

    // Builders by name, with their fields and the reply type of their `send()`.
    let mut shapes: BTreeMap<String, BuilderShape> = BTreeMap::new();
    for item in builders.iter() {
        match item {
            syn::Item::Struct(s) => {
                let shape = shapes.entry(s.ident.to_string()).or_default();
                if let syn::Fields::Named(fields) = &s.fields {
                    shape.fields = fields
                        .named
                        .iter()
                        .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
                        .collect();
                }
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                let Some(name) = self_ident(&imp.self_ty) else {
                    continue;
                };
                let shape = shapes.entry(name).or_default();
                for f in &imp.items {
                    let syn::ImplItem::Fn(f) = f else { continue };
                    shape.methods.insert(f.sig.ident.to_string());
                    if f.sig.ident == "send" {
                        shape.reply = send_reply_type(&f.sig.output);
                    }
                }
            }
            _ => {}
        }
    }

    let mut wanted: BTreeMap<String, String> = BTreeMap::new(); // method -> builder
    for method in bookmark_operations(spec) {
        match methods.get(&method) {
            Some(builder) => {
                wanted.insert(method, builder.clone());
            }
            None => outcome.problems.push(format!(
                "{method}: takes a `bookmark` parameter but no `Client::{method}` returning a builder was generated"
            )),
        }
    }
    for (method, builder) in &methods {
        let has_bookmark = shapes
            .get(builder)
            .is_some_and(|s| s.fields.contains("bookmark"));
        if has_bookmark && !wanted.contains_key(method) {
            wanted.insert(method.clone(), builder.clone());
        }
    }

    let mut generated: Vec<syn::Item> = Vec::new();
    for (method, builder) in &wanted {
        match page_impl(builder, shapes.get(builder), &replies) {
            Ok(items) => {
                generated.extend(items);
                outcome.paginated.push(method.clone());
            }
            Err(why) => outcome
                .problems
                .push(format!("{method} (builder::{builder}): {why}")),
        }
    }
    builders.extend(generated);
    outcome
}

#[derive(Default)]
struct BuilderShape {
    fields: BTreeSet<String>,
    methods: BTreeSet<String>,
    reply: Option<String>,
}

/// The items emitted for one builder, or why there are none.
fn page_impl(
    builder: &str,
    shape: Option<&BuilderShape>,
    replies: &BTreeMap<String, Reply>,
) -> Result<Vec<syn::Item>, String> {
    let shape = shape.ok_or("the builder struct was not generated")?;
    if !shape.fields.contains("bookmark") {
        return Err("the builder has no `bookmark` setter".into());
    }
    for taken in ["stream", "pages"] {
        if shape.methods.contains(taken) {
            return Err(format!(
                "the builder already has a method `{taken}` (a parameter of that name?): rename ours"
            ));
        }
    }
    let reply_name = shape
        .reply
        .as_ref()
        .ok_or("`send()` does not return `Result<ResponseValue<types::…>, Error>`")?;
    let reply = replies
        .get(reply_name)
        .ok_or_else(|| format!("the reply type `types::{reply_name}` is not a struct"))?;
    let item = reply.items.as_ref().ok_or_else(|| {
        format!("the reply type `types::{reply_name}` has no `items: Vec<_>` field")
    })?;
    if !reply.bookmark_is_optional_string {
        return Err(format!(
            "the reply type `types::{reply_name}` has no `bookmark: Option<String>` field"
        ));
    }
    let builder_ident = quote::format_ident!("{}", builder);
    let item_name = quote!(#item).to_string().replace(' ', "");
    let stream_doc = format!(
        " Every item of the list (`{item_name}`), page after page, as a lazy stream: a page is requested only once the items before it have been taken; the stream ends after the page without a next bookmark. The page size is this builder's `page_size`, where it has one (at most 250)."
    );
    let pages_doc = " Every page of the list (items and next bookmark), as a lazy stream: one request per page polled.".to_string();
    let paginated: syn::Item = syn::parse_quote! {
        impl<'a> crate::rt::Paginated<'a> for #builder_ident<'a> {
            type Item = #item;
            fn with_bookmark(self, bookmark: ::std::string::String) -> Self {
                self.bookmark(bookmark)
            }
            fn fetch_page(self) -> crate::rt::PageFuture<'a, Self::Item> {
                ::std::boxed::Box::pin(async move {
                    let reply = self.send().await?.into_inner();
                    Ok(crate::rt::Page::new(reply.items, reply.bookmark))
                })
            }
        }
    };
    let methods: syn::Item = syn::parse_quote! {
        impl<'a> #builder_ident<'a> {
            #[doc = #stream_doc]
            pub fn stream(self) -> crate::rt::Items<'a, Self> {
                crate::rt::Items::new(self)
            }
            #[doc = #pages_doc]
            pub fn pages(self) -> crate::rt::Pages<'a, Self> {
                crate::rt::Pages::new(self)
            }
        }
    };
    Ok(vec![paginated, methods])
}

/// What a reply type of the `types` module looks like, as far as paging goes.
struct Reply {
    /// The `T` of `items: Vec<T>`, as seen from the `builder` module.
    items: Option<syn::Type>,
    bookmark_is_optional_string: bool,
}

fn reply_types(file: &mut syn::File) -> BTreeMap<String, Reply> {
    let mut out = BTreeMap::new();
    let Some(items) = module_items(file, "types") else {
        return out;
    };
    for item in items.iter() {
        let syn::Item::Struct(s) = item else { continue };
        let syn::Fields::Named(fields) = &s.fields else {
            continue;
        };
        let mut reply = Reply {
            items: None,
            bookmark_is_optional_string: false,
        };
        for f in &fields.named {
            let Some(name) = &f.ident else { continue };
            if name == "items" {
                reply.items = generic_arg(&f.ty, "Vec").and_then(from_builder_module);
            } else if name == "bookmark" {
                reply.bookmark_is_optional_string = generic_arg(&f.ty, "Option")
                    .and_then(self_ident)
                    .is_some_and(|i| i == "String");
            }
        }
        out.insert(s.ident.to_string(), reply);
    }
    out
}

/// A type named inside `types` as the `builder` module names it: `Pin` → `types::Pin`;
/// absolute paths (`::serde_json::Map<…>`) are kept.
fn from_builder_module(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(tp) = ty else { return None };
    if tp.qself.is_some() {
        return None;
    }
    if tp.path.leading_colon.is_some() {
        return Some(ty.clone());
    }
    let first = tp.path.segments.first()?;
    if first.ident == "super" || first.ident == "crate" || first.ident == "self" {
        return None;
    }
    if tp.path.segments.len() == 1 && matches!(first.arguments, syn::PathArguments::None) {
        let ident = &first.ident;
        return Some(syn::parse_quote!(types::#ident));
    }
    None
}

/// `R` of `-> Result<ResponseValue<types::R>, Error>`.
fn send_reply_type(output: &syn::ReturnType) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let ok = generic_arg(ty, "Result")?;
    let body = generic_arg(ok, "ResponseValue")?;
    let syn::Type::Path(tp) = body else {
        return None;
    };
    let segments: Vec<String> = segment_names(&tp.path);
    match segments.as_slice() {
        [module, name] if module == "types" => Some(name.clone()),
        _ => None,
    }
}

/// `pins_list` → `PinsList`, from `impl Client { pub fn pins_list(&self) -> builder::PinsList<'_> }`.
fn client_methods(file: &syn::File) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || self_ident(&imp.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for f in &imp.items {
            let syn::ImplItem::Fn(f) = f else { continue };
            let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                continue;
            };
            let syn::Type::Path(tp) = &**ty else { continue };
            let segments: Vec<String> = segment_names(&tp.path);
            if let [module, name] = segments.as_slice()
                && module == "builder"
            {
                out.insert(f.sig.ident.to_string(), name.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        serde_json::json!({
            "paths": {
                "/pins": {
                    "get": {
                        "operationId": "pins/list",
                        "parameters": [{"$ref": "#/components/parameters/bookmark"}]
                    },
                    "post": {"operationId": "pins/create"}
                },
                "/boards": {
                    "get": {
                        "operationId": "boards/list",
                        "parameters": [{"in": "query", "name": "bookmark", "schema": {"type": "string"}}]
                    }
                }
            },
            "components": {"parameters": {"bookmark": {"in": "query", "name": "bookmark"}}}
        })
    }

    fn generated(board_items: &str) -> syn::File {
        let board_items: syn::Type = syn::parse_str(board_items).unwrap();
        syn::parse_quote! {
            pub mod types {
                pub struct PinsListResponse {
                    pub bookmark: ::std::option::Option<::std::string::String>,
                    pub items: ::std::vec::Vec<Pin>,
                }
                pub struct BoardsListResponse {
                    pub bookmark: ::std::option::Option<::std::string::String>,
                    pub items: #board_items,
                }
            }
            impl Client {
                pub fn pins_list(&self) -> builder::PinsList<'_> { builder::PinsList::new(self) }
                pub fn pins_create(&self) -> builder::PinsCreate<'_> { builder::PinsCreate::new(self) }
                pub fn boards_list(&self) -> builder::BoardsList<'_> { builder::BoardsList::new(self) }
            }
            pub mod builder {
                pub struct PinsList<'a> { client: &'a super::Client, bookmark: Result<Option<String>, String> }
                impl<'a> PinsList<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::PinsListResponse>, Error<()>> { todo!() }
                }
                pub struct PinsCreate<'a> { client: &'a super::Client }
                impl<'a> PinsCreate<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Pin>, Error<()>> { todo!() }
                }
                pub struct BoardsList<'a> { client: &'a super::Client, bookmark: Result<Option<String>, String> }
                impl<'a> BoardsList<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::BoardsListResponse>, Error<()>> { todo!() }
                }
            }
        }
    }

    #[test]
    fn finds_operations_with_a_bookmark_query_parameter() {
        let names: Vec<String> = bookmark_operations(&spec()).into_iter().collect();
        assert_eq!(names, ["boards_list", "pins_list"]);
    }

    #[test]
    fn paginates_every_builder_whose_reply_has_items_and_bookmark() {
        let mut file = generated("::std::vec::Vec<Board>");
        let outcome = bookmark_streams(&mut file, &spec());
        assert_eq!(outcome.problems, Vec::<String>::new());
        assert_eq!(outcome.paginated, ["boards_list", "pins_list"]);
        let code = prettyplease::unparse(&file);
        assert!(code.contains("crate::rt::Paginated<'a> for PinsList<'a>"));
        assert!(code.contains("type Item = types::Pin;"));
        assert!(code.contains("type Item = types::Board;"));
        assert!(!code.contains("for PinsCreate"));
    }

    #[test]
    fn reports_an_operation_whose_reply_has_no_items_list() {
        let mut file = generated("::std::option::Option<::std::vec::Vec<Board>>");
        let outcome = bookmark_streams(&mut file, &spec());
        assert_eq!(outcome.paginated, ["pins_list"]);
        assert_eq!(outcome.problems.len(), 1);
        assert!(
            outcome.problems[0].starts_with("boards_list (builder::BoardsList): the reply type `types::BoardsListResponse` has no `items: Vec<_>`"),
            "{:?}",
            outcome.problems
        );
    }
}
