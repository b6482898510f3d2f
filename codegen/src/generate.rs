//! Step 4: generate the client with progenitor, then make it fit a growing API.
//!
//! progenitor runs with the builder interface, merged tags, and hooks *expected*: the crate's
//! hand-written `Client` hooks (auth, retries, rate limits) are a compile-time requirement.
//! The passes after it work on the generated syntax tree, each counting what it touched:
//!
//! - [`tolerant_enums`]: string enums keep values they do not know (`UnknownValue(String)`).
//! - [`duplicate_enums`]: identical string enums (one per inline copy of a list of values)
//!   become aliases of one.
//! - [`discriminated_unions`]: a `oneOf` with a `discriminator` decodes into the variant its tag
//!   names, not the first one that happens to fit.
//! - [`lenient_date_times`]: date-times decode with or without a UTC offset.
//! - [`compact_deserialize`]: decoded structs get a map visitor alone instead of serde's derive.
//! - [`optional_query_params`]: an optional query parameter costs nothing when it is not set.
//! - [`no_api_version_header`]: requests go without progenitor's `api-version` header.
//! - [`parsed_base_url`]: the base URL is parsed once, not once per request.
//! - [`crate_errors`]: `send()` returns `pinterest_v5::Result`, sent by the crate's request path
//!   (no progenitor hooks).
//! - [`operation_table`]: one row per operation for the runtime (sandbox support, rate-limit
//!   category, security, `explode: false` arrays to send comma-joined, bookmark pagination).

use crate::filter;
use crate::fix::{self, Report};
use crate::naming::method_name;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::{ToTokens, format_ident, quote};
use serde_json::Value;
use std::collections::BTreeMap;
use syn::visit_mut::VisitMut;

/// Generates the client's source from a fixed (and possibly filtered) description.
pub fn generate(spec: &Value, report: &mut Report) -> Result<String, String> {
    let api: openapiv3::OpenAPI = serde_json::from_value(spec.clone())
        .map_err(|e| format!("the fixed description is not valid OpenAPI 3.0: {e}"))?;
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(crate::client::Inner));
    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&api)
        .map_err(|e| format!("progenitor could not generate the client: {e}"))?;
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("progenitor generated code that does not parse: {e}"))?;

    let n = tolerant_enums(&mut file);
    report.push(
        "tolerant_enums",
        n,
        "enums",
        "generated enums have no catch-all, so a value the API adds fails the decode: each string enum gains `UnknownValue(String)`",
    );
    let n = duplicate_enums(&mut file);
    report.push(
        "duplicate_enums",
        n,
        "enums",
        "typify writes one enum per inline schema, so a list of values repeated inline (176 report columns on each analytics operation) is compiled once per place: identical string enums become aliases of one",
    );
    let unions = fix::discriminated_unions(spec);
    let (found, missing) = discriminated_unions(&mut file, &unions);
    report.push(
        "discriminated_unions",
        found,
        "schemas",
        "typify decodes `oneOf` untagged (first fit wins, so a refresh reply decodes as a code-exchange reply): the discriminator picks the variant",
    );
    if !missing.is_empty() && std::env::var_os("PV5_DEBUG").is_none() {
        return Err(format!(
            "discriminated_unions: rewrote {found} discriminated unions, but found no generated enum for {}",
            missing.join(", ")
        ));
    }
    let n = lenient_date_times(&mut file);
    report.push(
        "lenient_date_times",
        n,
        "fields",
        "`chrono::DateTime<Utc>` rejects date-times without an offset, which the API sends: they decode as `pinterest_v5::DateTime` (offset-less means UTC)",
    );
    let n = request_only_deserialize(&mut file);
    report.push(
        "request_only_deserialize",
        n,
        "types",
        "types that only travel in requests are never decoded: they lose `Deserialize`, the largest part of their generated code",
    );
    let n = compact_deserialize(&mut file);
    report.push(
        "compact_deserialize",
        n,
        "structs",
        "serde's derived `Deserialize` (field enum, sequence visitor, map visitor) is the largest share of compile time; replies are JSON objects: a map visitor alone, with one small function matching field names",
    );
    let (kept, dropped) = request_only_struct_builders(&mut file);
    report.push(
        "request_only_struct_builders",
        dropped,
        "types",
        "typify writes a builder for every struct (half the generated lines); only request bodies are built by callers: the builders of the other structs go",
    );
    let _ = kept;
    let n = decode_with_status(&mut file);
    report.push(
        "decode_with_status",
        n,
        "operations",
        "progenitor's decode error drops the reply's status: documented replies decode through `pinterest_v5::error::decode_reply`, whose `Error::Decode` keeps it",
    );
    let n = crate_errors(&mut file)?;
    report.push(
        "crate_errors",
        n,
        "operations",
        "progenitor's `send()` returns its own `Error<()>` and sends through hooks whose `exec` can only hand back a reply, so the crate's own failures came out as a made-up one: `send()` returns `pinterest_v5::Result`, sent by the crate's request path, which answers every failure as `pinterest_v5::Error` (no `pre`/`post` hooks, whose borrows also kept the request in every request's future)",
    );
    let n = optional_query_params(&mut file);
    report.push(
        "optional_query_params",
        n,
        "parameters",
        "progenitor adds each query parameter with reqwest's `query`, which re-serialises the URL even for an absent optional one: optional parameters are added only when set",
    );
    let n = no_api_version_header(&mut file);
    report.push(
        "no_api_version_header",
        n,
        "operations",
        "progenitor sends an `api-version` header (Dropshot's versioning) that Pinterest does not read: each request goes without it, and without the header map it was alone in",
    );
    let n = parsed_base_url(&mut file);
    report.push(
        "parsed_base_url",
        n,
        "operations",
        "progenitor writes each request's URL as text, which reqwest parses whole for every request: the base URL is parsed once, and each request's URL is a copy of it with the operation's path appended",
    );
    let n = plain_doc_text(&mut file);
    report.push(
        "plain_doc_text",
        n,
        "doc comments",
        "Markdown in the description indents prose by 4 spaces, which rustdoc reads as a code block and compiles as a doctest: such lines are dedented",
    );
    let (table, comma_joined) = operation_table(spec);
    report.push(
        "comma_joined_arrays",
        comma_joined,
        "parameters",
        "progenitor sends every array query parameter as repeated keys; `explode: false` ones go out comma-joined (`columns=A,B`), done by the runtime from the operation table",
    );
    let pages = crate::paginate::bookmark_streams(&mut file, spec);
    report.push(
        "bookmark_streams",
        pages.paginated.len(),
        "operations",
        "progenitor knows no bookmark pagination: each operation with a `bookmark` query parameter gets `Paginated` and lazy `.stream()` / `.pages()`",
    );
    if !pages.problems.is_empty() && std::env::var_os("PV5_DEBUG").is_none() {
        return Err(format!(
            "bookmark_streams: {} operations with a `bookmark` parameter cannot be paginated (set PV5_DEBUG=1 to generate anyway): {}",
            pages.problems.len(),
            pages.problems.join("; ")
        ));
    }
    file.items.extend(table.items);
    let inventory = inventory(&file);
    file.items.push(inventory);
    Ok(prettyplease::unparse(&file))
}

fn has_derive(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("derive") && a.meta.to_token_stream_string().contains(name))
}

trait MetaString {
    fn to_token_stream_string(&self) -> String;
}
impl MetaString for syn::Meta {
    fn to_token_stream_string(&self) -> String {
        quote!(#self).to_string()
    }
}

fn types_module(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// Removes `name` from every `#[derive(...)]` of `attrs`.
fn remove_derive(attrs: &mut [syn::Attribute], name: &str) {
    for attr in attrs.iter_mut() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|p| p.segments.last().is_none_or(|s| s.ident != name))
            .collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
}

/// A generated string enum gains `UnknownValue(String)`: values the API adds decode (and
/// re-encode) as they came instead of failing the whole reply. `Copy` goes (a `String` is not
/// `Copy`); `Display` and `FromStr` learn the new variant. serde's derives give way to two
/// one-line impls through `Display`/`FromStr` (`crate::tolerant`): a derive with a catch-all
/// variant buffers every value before matching it, and costs more to compile.
pub fn tolerant_enums(file: &mut syn::File) -> usize {
    let Some(items) = types_module(file) else {
        return 0;
    };
    let mut names = Vec::new();
    let mut catch_alls = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Enum(e) = item else { continue };
        let string_enum = !e.variants.is_empty()
            && e.variants
                .iter()
                .all(|v| matches!(v.fields, syn::Fields::Unit))
            && has_derive(&e.attrs, "Deserialize");
        if !string_enum {
            continue;
        }
        for derive in ["Copy", "Serialize", "Deserialize"] {
            remove_derive(&mut e.attrs, derive);
        }
        // the `#[serde(rename = "…")]` of each value now lives in `Display`/`FromStr`
        e.attrs.retain(|a| !a.path().is_ident("serde"));
        for v in e.variants.iter_mut() {
            v.attrs.retain(|a| !a.path().is_ident("serde"));
        }
        // `Unknown` is often a value of the enum already (`UNKNOWN`).
        let mut catch_all = format_ident!("UnknownValue");
        while e.variants.iter().any(|v| v.ident == catch_all) {
            catch_all = format_ident!("{}_", catch_all);
        }
        e.variants.push(syn::parse_quote! {
            /// A value this version of the crate does not know, kept as sent.
            #catch_all(::std::string::String)
        });
        names.push(e.ident.clone());
        catch_alls.push(catch_all);
    }
    let mut patched = vec![(false, false); names.len()];
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(self_ty) = &*imp.self_ty else {
            continue;
        };
        let Some(ident) = self_ty.path.get_ident() else {
            continue;
        };
        let Some(i) = names.iter().position(|n| n == ident) else {
            continue;
        };
        let Some((_, trait_path, _)) = &imp.trait_ else {
            continue;
        };
        let trait_name = trait_path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        match trait_name.as_str() {
            "Display" => patched[i].0 = true,
            "FromStr" => patched[i].1 = true,
            _ => {}
        }
        let mut patch = EnumImplPatch {
            trait_name,
            catch_all: catch_alls[i].clone(),
        };
        patch.visit_item_impl_mut(imp);
    }
    for (name, (display, from_str)) in names.iter().zip(&patched) {
        assert!(
            *display && *from_str,
            "typify gave the string enum {name} no Display or FromStr: tolerant_enums needs both"
        );
        items.push(syn::parse_quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.collect_str(self)
                }
            }
        });
        items.push(syn::parse_quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    crate::tolerant::deserialize_from_str(deserializer)
                }
            }
        });
    }
    names.len()
}

struct EnumImplPatch {
    trait_name: String,
    catch_all: syn::Ident,
}

impl VisitMut for EnumImplPatch {
    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        let catch_all = &self.catch_all;
        match self.trait_name.as_str() {
            "Display" => {
                m.arms.push(syn::parse_quote! {
                    Self::#catch_all(ref value) => f.write_str(value),
                });
            }
            "FromStr" => {
                // The last arm rejects unknown values: keep them instead.
                if let Some(last) = m.arms.last_mut()
                    && matches!(last.pat, syn::Pat::Wild(_))
                {
                    *last.body = syn::parse_quote! {
                        Ok(Self::#catch_all(value.to_string()))
                    };
                }
            }
            _ => {}
        }
        syn::visit_mut::visit_expr_match_mut(self, m);
    }
}

/// A `oneOf` with a `discriminator` decodes by its tag: `Deserialize` is replaced by
/// `crate::tolerant::deserialize_tagged`, which finds the tag property and hands the object to
/// the variant the mapping names in one pass; an unknown or missing tag falls back to the first
/// variant that fits. Serialisation is unchanged (untagged: each
/// variant carries its tag itself). Returns the count rewritten and the unions not found.
pub fn discriminated_unions(file: &mut syn::File, unions: &fix::Unions) -> (usize, Vec<String>) {
    let Some(items) = types_module(file) else {
        return (0, unions.keys().cloned().collect());
    };
    let mut done = Vec::new();
    let mut impls = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Enum(e) = item else { continue };
        let Some((prop, mapping)) = unions.get(&e.ident.to_string()) else {
            continue;
        };
        // variant ident by the name of the type it wraps
        let mut by_type: BTreeMap<String, (syn::Ident, syn::Type)> = BTreeMap::new();
        let mut fallback = Vec::new();
        for v in &e.variants {
            let syn::Fields::Unnamed(fields) = &v.fields else {
                continue;
            };
            let Some(field) = fields.unnamed.first() else {
                continue;
            };
            let ty = field.ty.clone();
            if let syn::Type::Path(tp) = &ty
                && let Some(last) = tp.path.segments.last()
            {
                by_type.insert(last.ident.to_string(), (v.ident.clone(), ty.clone()));
            }
            fallback.push((v.ident.clone(), ty));
        }
        let arms: Vec<_> = mapping
            .iter()
            .filter_map(|(value, target)| {
                let (variant, ty) = by_type.get(target)?;
                Some(quote! {
                    #value => <#ty as ::serde::Deserialize>::deserialize(deserializer).map(Self::#variant),
                })
            })
            .collect();
        if arms.is_empty() {
            continue;
        }
        let known: Vec<&String> = mapping
            .iter()
            .filter(|(_, target)| by_type.contains_key(target))
            .map(|(value, _)| value)
            .collect();
        remove_derive(&mut e.attrs, "Deserialize");
        let name = &e.ident;
        done.push(name.to_string());
        let message = format!("the reply matches no variant of {name}");
        let tries = fallback.iter().map(|(variant, ty)| {
            quote! {
                if let Ok(v) = ::serde_json::from_value::<#ty>(value.clone()) {
                    return Ok(Self::#variant(v));
                }
            }
        });
        impls.push(syn::parse_quote! {
            impl crate::tolerant::TaggedUnion for #name {
                const TAG: &'static str = #prop;
                fn known(tag: &str) -> ::std::option::Option<&'static str> {
                    match tag {
                        #(#known => ::std::option::Option::Some(#known),)*
                        _ => ::std::option::Option::None,
                    }
                }
                fn decode_tagged<'de, D: ::serde::Deserializer<'de>>(tag: &str, deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    match tag {
                        #(#arms)*
                        _ => Err(<D::Error as ::serde::de::Error>::custom(#message)),
                    }
                }
                fn decode_untagged(value: ::serde_json::Value) -> ::std::result::Result<Self, ::serde_json::Error> {
                    #(#tries)*
                    Err(<::serde_json::Error as ::serde::de::Error>::custom(#message))
                }
            }
        });
        impls.push(syn::parse_quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    crate::tolerant::deserialize_tagged(deserializer)
                }
            }
        });
    }
    let found = done.len();
    items.extend(impls);
    let missing = unions
        .keys()
        .filter(|k| !done.contains(k))
        .cloned()
        .collect();
    (found, missing)
}

/// Every `chrono::DateTime<Utc>` of the generated code becomes `crate::DateTime`, which also
/// accepts date-times without an offset (taken as UTC).
pub fn lenient_date_times(file: &mut syn::File) -> usize {
    struct Swap(usize);
    impl VisitMut for Swap {
        fn visit_type_mut(&mut self, ty: &mut syn::Type) {
            if let syn::Type::Path(tp) = ty {
                let segs: Vec<String> = tp
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if segs.len() >= 2
                    && segs[0] == "chrono"
                    && segs.last().is_some_and(|s| s == "DateTime")
                {
                    *ty = syn::parse_quote!(crate::DateTime);
                    self.0 += 1;
                    return;
                }
            }
            syn::visit_mut::visit_type_mut(self, ty);
        }
    }
    let mut swap = Swap(0);
    swap.visit_file_mut(file);
    swap.0
}

/// The table of operations the runtime consults, sorted by method name:
/// `crate::operation::OPERATIONS`. Also returns how many `explode: false` array query
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
        for p in op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let p = resolve(spec, p);
            if p.get("in").and_then(Value::as_str) != Some("query") {
                continue;
            }
            let pname = p.get("name").and_then(Value::as_str).unwrap_or("");
            if pname == "bookmark" {
                paginated = true;
            }
            let schema = p.get("schema").map(|s| resolve(spec, s));
            let is_array =
                schema.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("array");
            if is_array && p.get("explode") == Some(&Value::Bool(false)) {
                comma_joined.push(pname.to_string());
            }
        }
        comma_joined_total += comma_joined.len();
        let method = method.to_uppercase();
        rows.push((
            name.clone(),
            quote! {
                crate::operation::Operation {
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
                }
            },
        ));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let rows = rows.into_iter().map(|(_, r)| r);
    let ident = format_ident!("OPERATIONS");
    let file = syn::parse_quote! {
        /// Every generated operation, sorted by method name (generated from the description).
        pub(crate) const #ident: &[crate::operation::Operation] = &[#(#rows),*];
    };
    (file, comma_joined_total)
}

struct TypeRefs<'a> {
    known: &'a std::collections::BTreeSet<String>,
    found: std::collections::BTreeSet<String>,
    /// Only paths whose second-to-last segment is `builder` (`types::builder::X`).
    builders_only: bool,
}

impl syn::visit::Visit<'_> for TypeRefs<'_> {
    fn visit_path(&mut self, path: &syn::Path) {
        let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(last) = segs.last() {
            let via_builder = segs.len() >= 2 && segs[segs.len() - 2] == "builder";
            if self.known.contains(last) && (!self.builders_only || via_builder) {
                self.found.insert(last.clone());
            }
        }
        syn::visit::visit_path(self, path);
    }
}

fn self_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Which types of `types` name which others (fields, variants, aliases), read off the tree.
struct TypeGraph {
    known: std::collections::BTreeSet<String>,
    edges: BTreeMap<String, std::collections::BTreeSet<String>>,
}

impl TypeGraph {
    fn of(file: &mut syn::File) -> TypeGraph {
        use std::collections::BTreeSet;
        use syn::visit::Visit;
        let mut graph = TypeGraph {
            known: BTreeSet::new(),
            edges: BTreeMap::new(),
        };
        let Some(types) = types_module(file) else {
            return graph;
        };
        for item in types.iter() {
            if let Some(ident) = item_ident(item) {
                graph.known.insert(ident);
            }
        }
        for item in types.iter() {
            let Some(ident) = item_ident(item) else {
                continue;
            };
            let mut refs = TypeRefs {
                known: &graph.known,
                found: BTreeSet::new(),
                builders_only: false,
            };
            match item {
                syn::Item::Struct(s) => refs.visit_item_struct(s),
                syn::Item::Enum(e) => refs.visit_item_enum(e),
                syn::Item::Type(t) => refs.visit_item_type(t),
                _ => {}
            }
            let found = refs.found;
            graph.edges.entry(ident).or_default().extend(found);
        }
        graph
    }

    /// Every type reachable from `seeds`.
    fn closure(
        &self,
        seeds: std::collections::BTreeSet<String>,
    ) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        let mut queue: Vec<String> = seeds
            .into_iter()
            .filter(|s| self.known.contains(s))
            .collect();
        while let Some(t) = queue.pop() {
            if out.insert(t.clone()) {
                queue.extend(self.edges.get(&t).into_iter().flatten().cloned());
            }
        }
        out
    }
}

fn item_ident(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

/// Where in the operation builders (`mod builder`) to start a reachability walk.
#[derive(Clone, Copy, PartialEq)]
enum Seeds {
    /// Request bodies held as `types::builder::X`.
    BodyBuilders,
    /// Everything the operation builders hold: bodies and parameters.
    Requests,
    /// Every `ResponseValue<types::X>` a `send()` returns.
    Responses,
}

fn seeds(file: &syn::File, which: Seeds) -> std::collections::BTreeSet<String> {
    use syn::visit::Visit;
    struct Collect {
        which: Seeds,
        found: std::collections::BTreeSet<String>,
        in_response: usize,
    }
    impl Visit<'_> for Collect {
        fn visit_item_struct(&mut self, s: &syn::ItemStruct) {
            if self.which == Seeds::Requests {
                for f in &s.fields {
                    self.collect(&f.ty);
                }
            }
            syn::visit::visit_item_struct(self, s);
        }
        fn visit_path(&mut self, path: &syn::Path) {
            let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            let response_value = segs.last().is_some_and(|l| l == "ResponseValue");
            if response_value {
                self.in_response += 1;
            }
            if self.which == Seeds::BodyBuilders
                && segs.len() >= 3
                && segs[segs.len() - 2] == "builder"
                && segs[0] == "types"
            {
                self.found.extend(segs.last().cloned());
            }
            if self.which == Seeds::Responses
                && self.in_response > 0
                && segs.len() >= 2
                && segs[0] == "types"
            {
                self.found.extend(segs.last().cloned());
            }
            syn::visit::visit_path(self, path);
            if response_value {
                self.in_response -= 1;
            }
        }
    }
    impl Collect {
        fn collect(&mut self, ty: &syn::Type) {
            struct Paths<'a>(&'a mut std::collections::BTreeSet<String>);
            impl Visit<'_> for Paths<'_> {
                fn visit_path(&mut self, path: &syn::Path) {
                    let segs: Vec<String> =
                        path.segments.iter().map(|s| s.ident.to_string()).collect();
                    if segs.len() >= 2 && segs[0] == "types" {
                        self.0.extend(segs.last().cloned());
                    }
                    syn::visit::visit_path(self, path);
                }
            }
            Paths(&mut self.found).visit_type(ty);
        }
    }
    let mut c = Collect {
        which,
        found: Default::default(),
        in_response: 0,
    };
    for item in &file.items {
        if let syn::Item::Mod(m) = item
            && m.ident == "builder"
        {
            c.visit_item_mod(m);
        }
    }
    c.found
}

/// Types that only ever travel in requests need no decoding: their `Deserialize` (derived, or
/// written by the passes above) goes. Types a reply can contain, or that no operation uses,
/// keep both directions. Returns how many lost `Deserialize`.
pub fn request_only_deserialize(file: &mut syn::File) -> usize {
    let graph = TypeGraph::of(file);
    let requests = graph.closure(seeds(file, Seeds::Requests));
    // Decoded: what replies reach, and what no request reaches (kept whole for callers),
    // with everything those name.
    let mut decoded = seeds(file, Seeds::Responses);
    decoded.extend(graph.known.difference(&requests).cloned());
    let decoded = graph.closure(decoded);
    let request_only: std::collections::BTreeSet<&String> = requests.difference(&decoded).collect();
    let Some(types) = types_module(file) else {
        return 0;
    };
    let mut n = 0;
    types.retain(|item| match item {
        syn::Item::Impl(imp) => {
            let is_deserialize = imp.trait_.as_ref().is_some_and(|(_, p, _)| {
                p.segments
                    .last()
                    .is_some_and(|s| s.ident == "Deserialize" || s.ident == "TaggedUnion")
            });
            !(is_deserialize && self_ident(&imp.self_ty).is_some_and(|i| request_only.contains(&i)))
        }
        _ => true,
    });
    for item in types.iter_mut() {
        let ident = item_ident(item);
        let attrs = match item {
            syn::Item::Struct(s) => &mut s.attrs,
            syn::Item::Enum(e) => &mut e.attrs,
            _ => continue,
        };
        if ident.is_some_and(|i| request_only.contains(&i)) {
            if has_derive(attrs, "Deserialize") {
                remove_derive(attrs, "Deserialize");
            }
            n += 1;
        }
    }
    n
}

/// typify gives every generated struct a builder (`types::builder::X`, about half of all
/// generated lines). Callers build request bodies (progenitor's `body_map` hands them the
/// body's builder); replies are only read. This keeps the builders of the structs a request body
/// reaches, found on the syntax tree (operation builders' `types::builder::X` fields, then every
/// type those types name), and removes the rest with their `builder()` constructors.
/// Returns (builders kept, builders removed).
pub fn request_only_struct_builders(file: &mut syn::File) -> (usize, usize) {
    let graph = TypeGraph::of(file);
    let keep = graph.closure(seeds(file, Seeds::BodyBuilders));
    let Some(types) = types_module(file) else {
        return (0, 0);
    };
    let mut dropped = 0;
    let mut kept = 0;
    for item in types.iter_mut() {
        match item {
            syn::Item::Mod(m) if m.ident == "builder" => {
                if let Some((_, items)) = m.content.as_mut() {
                    items.retain(|it| {
                        let ident = match it {
                            syn::Item::Struct(s) => Some(s.ident.to_string()),
                            syn::Item::Impl(i) => self_ident(&i.self_ty),
                            _ => None,
                        };
                        let keep_it = ident.as_ref().is_none_or(|i| keep.contains(i));
                        if let syn::Item::Struct(_) = it {
                            if keep_it { kept += 1 } else { dropped += 1 }
                        }
                        keep_it
                    });
                }
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                let Some(ident) = self_ident(&imp.self_ty) else {
                    continue;
                };
                if !keep.contains(&ident) {
                    imp.items.retain(
                        |it| !matches!(it, syn::ImplItem::Fn(f) if f.sig.ident == "builder"),
                    );
                }
            }
            _ => {}
        }
    }
    // inherent impls left empty
    types.retain(|item| !matches!(item, syn::Item::Impl(imp) if imp.trait_.is_none() && imp.items.is_empty()));
    (kept, dropped)
}

/// Every `ResponseValue::from_response(response)` of the operation builders becomes
/// `crate::error::decode_reply(response)`: same decoding, but a body that does not decode
/// keeps the reply's status in the error. Returns the calls rewritten.
pub fn decode_with_status(file: &mut syn::File) -> usize {
    struct Swap(usize);
    impl VisitMut for Swap {
        fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
            if let syn::Expr::Path(p) = &*call.func {
                let segs: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if segs.ends_with(&["ResponseValue".to_string(), "from_response".to_string()]) {
                    *call.func = syn::parse_quote!(crate::error::decode_reply);
                    self.0 += 1;
                }
            }
            syn::visit_mut::visit_expr_call_mut(self, call);
        }
    }
    let mut swap = Swap(0);
    visit_builder_module(file, &mut swap);
    swap.0
}

/// progenitor's `send()` returns `Result<ResponseValue<T>, progenitor_client::Error<()>>` and
/// sends through the `ClientHooks` trait: `pre`, then `exec`, then `post`. `exec` can only
/// hand back a reply or a `reqwest::Error`, so the crate's own failures (a sandbox refusal, a
/// refresh, the token store) had no way out but a made-up reply, and `?` into `anyhow` showed
/// that reply instead of the cause. Each `send()` is rewritten in the `builder` module:
///
/// - it returns `crate::Result<ResponseValue<T>>`: the module's `Error` is `crate::Error`, so
///   `.map_err(Error::InvalidRequest)` builds the crate's own variant, `?` on `reqwest`'s
///   errors goes through `From<reqwest::Error>`, and the decode is `Error::Decode` (see
///   [`decode_with_status`]);
/// - the hooks go: `client.exec(request, &info)` becomes `crate::middleware::send(client,
///   request, "operation_id")`, which answers `Err(Error::Api | Error::RateLimited | …)` for
///   every failure, a non-2xx reply with its body read. The `pre` and `post` calls go too:
///   besides doing nothing, the borrow each takes kept the 264-byte request in every
///   `send()` future while it was sent (`-Zprint-type-sizes`). The `OperationInfo` goes with
///   them, and with it `HooksMode::Expected`'s check that `Client` implements `ClientHooks`;
/// - progenitor's catch-all `_ => Err(Error::UnexpectedResponse(response))` (every non-2xx,
///   since the fix `error_responses` leaves no error reply documented) only sees a 2xx the
///   description does not document now: it becomes `crate::error::undocumented_reply`, and
///   arms of documented error replies, which can no longer be reached, go;
/// - a form body goes through `reqwest`'s own `form` (the same encoding and content type) in
///   place of progenitor's `form_urlencoded`, whose error is progenitor's.
///
/// Returns the `send()`s rewritten, or the ones whose shape it does not know.
pub fn crate_errors(file: &mut syn::File) -> Result<usize, String> {
    // `HooksMode::Expected`'s check: no generated code calls the hooks any more.
    file.items.retain(|item| {
        !matches!(item, syn::Item::Const(c) if c.to_token_stream().to_string().contains("assert_client_hooks"))
    });
    let Some(builder) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return Err("crate_errors: the generated code has no `builder` module".into());
    };
    // `use super::{…, Error, …}` loses `Error` and the hooks' names; `use crate::Error` comes.
    for item in builder.iter_mut() {
        let syn::Item::Use(u) = item else { continue };
        let syn::UseTree::Path(path) = &mut u.tree else {
            continue;
        };
        let syn::UseTree::Group(group) = &mut *path.tree else {
            continue;
        };
        if path.ident != "super" {
            continue;
        }
        group.items = std::mem::take(&mut group.items)
            .into_iter()
            .filter(|tree| {
                !matches!(tree, syn::UseTree::Name(n)
                    if ["Error", "ClientHooks", "OperationInfo", "RequestBuilderExt"].iter().any(|gone| n.ident == gone))
            })
            .collect();
    }
    builder.insert(
        0,
        syn::parse_quote!(
            use crate::Error;
        ),
    );

    let mut rewritten = 0;
    let mut unknown = Vec::new();
    for item in builder.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let owner = imp.self_ty.to_token_stream().to_string().replace(' ', "");
        for f in imp.items.iter_mut() {
            let syn::ImplItem::Fn(f) = f else { continue };
            if f.sig.ident != "send" {
                continue;
            }
            match crate_error_send(f) {
                Ok(()) => rewritten += 1,
                Err(why) => unknown.push(format!("{owner}::send: {why}")),
            }
        }
    }
    if !unknown.is_empty() {
        return Err(format!(
            "crate_errors: {} `send()`s of an unknown shape: {}",
            unknown.len(),
            unknown.join("; ")
        ));
    }
    Ok(rewritten)
}

/// One `send()` of [`crate_errors`].
fn crate_error_send(f: &mut syn::ImplItemFn) -> Result<(), String> {
    // `-> Result<ResponseValue<T>, Error<()>>` → `-> Result<ResponseValue<T>, Error>`.
    struct Plain(bool);
    impl VisitMut for Plain {
        fn visit_type_path_mut(&mut self, ty: &mut syn::TypePath) {
            if ty.qself.is_none() && ty.path.segments.len() == 1 {
                let segment = &mut ty.path.segments[0];
                if segment.ident == "Error" {
                    segment.arguments = syn::PathArguments::None;
                    self.0 = true;
                }
            }
            syn::visit_mut::visit_type_path_mut(self, ty);
        }
    }
    let mut plain = Plain(false);
    plain.visit_return_type_mut(&mut f.sig.output);
    if !plain.0 {
        return Err("its return type names no `Error<…>`".into());
    }

    // `let info = OperationInfo { operation_id: "…" };` and the hook calls go.
    let mut operation_id: Option<syn::Expr> = None;
    f.block.stmts.retain(|stmt| {
        if let syn::Stmt::Local(local) = stmt
            && let Some(init) = &local.init
            && let syn::Expr::Struct(s) = &*init.expr
            && s.path.is_ident("OperationInfo")
        {
            operation_id = s
                .fields
                .iter()
                .find(|field| matches!(&field.member, syn::Member::Named(n) if n == "operation_id"))
                .map(|field| field.expr.clone());
            return false;
        }
        let text = stmt.to_token_stream().to_string();
        !(text.starts_with("client . pre (") || text.starts_with("client . post ("))
    });
    let operation_id = operation_id.ok_or("no `OperationInfo { operation_id }`")?;

    struct Body {
        operation_id: syn::Expr,
        sends: usize,
        matches: usize,
    }
    impl VisitMut for Body {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            syn::visit_mut::visit_expr_mut(self, expr);
            match expr {
                // client.exec(request, &info) → crate::middleware::send(client, request, id)
                syn::Expr::MethodCall(call) if call.method == "exec" && call.args.len() == 2 => {
                    let client = &call.receiver;
                    let request = &call.args[0];
                    let id = &self.operation_id;
                    *expr = syn::parse_quote!(crate::middleware::send(#client, #request, #id));
                    self.sends += 1;
                }
                // builder.form_urlencoded(&body)? → builder.form(&body)
                syn::Expr::Try(t) => {
                    if let syn::Expr::MethodCall(call) = &mut *t.expr
                        && call.method == "form_urlencoded"
                    {
                        call.method = syn::Ident::new("form", call.method.span());
                        *expr = (*t.expr).clone();
                    }
                }
                // match response.status().as_u16() { …, _ => Err(Error::UnexpectedResponse(response)) }
                syn::Expr::Match(m) => {
                    let syn::Expr::MethodCall(as_u16) = &*m.expr else {
                        return;
                    };
                    let syn::Expr::MethodCall(status) = &*as_u16.receiver else {
                        return;
                    };
                    if as_u16.method != "as_u16" || status.method != "status" {
                        return;
                    }
                    let response = status.receiver.clone();
                    let error_arm = |arm: &syn::Arm| {
                        let body = arm.body.to_token_stream().to_string();
                        body.contains("Error :: UnexpectedResponse")
                            || body.contains("Error :: ErrorResponse")
                    };
                    m.arms.retain(|arm| !error_arm(arm));
                    if !m
                        .arms
                        .iter()
                        .any(|arm| matches!(arm.pat, syn::Pat::Wild(_)))
                    {
                        m.arms.push(syn::parse_quote! {
                            _ => Err(crate::error::undocumented_reply(#response).await),
                        });
                    }
                    self.matches += 1;
                }
                _ => {}
            }
        }
    }
    let mut body = Body {
        operation_id,
        sends: 0,
        matches: 0,
    };
    body.visit_block_mut(&mut f.block);
    if body.sends != 1 || body.matches != 1 {
        return Err(format!(
            "expected one `client.exec(…)` and one `match response.status()`, found {} and {}",
            body.sends, body.matches
        ));
    }
    Ok(())
}

/// Runs `visitor` over progenitor's `builder` module (the operations' request builders).
fn visit_builder_module(file: &mut syn::File, visitor: &mut impl VisitMut) {
    for item in file.items.iter_mut() {
        if let syn::Item::Mod(m) = item
            && m.ident == "builder"
        {
            visitor.visit_item_mod_mut(m);
        }
    }
}

/// progenitor adds every query parameter with `.query(&QueryParam::new(name, &value))`, and
/// reqwest's `query` re-serialises the URL even when an optional parameter is `None` and adds
/// nothing (callgrind: ~750 instructions each; `pins_list` has eight). An optional parameter
/// goes through `crate::middleware::optional_query`, which calls `query` only for a value.
/// Returns the parameters changed.
pub fn optional_query_params(file: &mut syn::File) -> usize {
    /// The fields of one builder struct whose type is `Result<Option<_>, String>`.
    fn optional_fields(item: &syn::ItemStruct) -> Vec<String> {
        item.fields
            .iter()
            .filter(|f| {
                f.ty.to_token_stream()
                    .to_string()
                    .starts_with("Result < Option <")
            })
            .filter_map(|f| f.ident.as_ref().map(|i| i.to_string()))
            .collect()
    }
    struct Rewrite<'a> {
        optional: &'a [String],
        count: usize,
    }
    impl VisitMut for Rewrite<'_> {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            syn::visit_mut::visit_expr_mut(self, expr);
            let syn::Expr::MethodCall(call) = expr else {
                return;
            };
            if call.method != "query" || call.args.len() != 1 {
                return;
            }
            // `&progenitor_client::QueryParam::new("name", &value)`
            let Some(syn::Expr::Reference(arg)) = call.args.first() else {
                return;
            };
            let syn::Expr::Call(new) = &*arg.expr else {
                return;
            };
            if !new
                .func
                .to_token_stream()
                .to_string()
                .ends_with("QueryParam :: new")
                || new.args.len() != 2
            {
                return;
            }
            let (name, value) = (&new.args[0], &new.args[1]);
            let syn::Expr::Reference(value_ref) = value else {
                return;
            };
            let syn::Expr::Path(path) = &*value_ref.expr else {
                return;
            };
            if !path
                .path
                .get_ident()
                .is_some_and(|i| self.optional.contains(&i.to_string()))
            {
                return;
            }
            let receiver = &call.receiver;
            *expr = syn::parse_quote!(crate::middleware::optional_query(#receiver, #name, #value));
            self.count += 1;
        }
    }
    let mut count = 0;
    for item in file.items.iter_mut() {
        let syn::Item::Mod(m) = item else { continue };
        if m.ident != "builder" {
            continue;
        }
        let Some((_, items)) = &mut m.content else {
            continue;
        };
        let mut optional: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for item in items.iter() {
            if let syn::Item::Struct(s) = item {
                optional.insert(s.ident.to_string(), optional_fields(s));
            }
        }
        for item in items.iter_mut() {
            let syn::Item::Impl(imp) = item else { continue };
            if imp.trait_.is_some() {
                continue;
            }
            let syn::Type::Path(ty) = &*imp.self_ty else {
                continue;
            };
            let Some(fields) = ty
                .path
                .segments
                .last()
                .and_then(|seg| optional.get(&seg.ident.to_string()))
            else {
                continue;
            };
            let mut rewrite = Rewrite {
                optional: fields,
                count: 0,
            };
            rewrite.visit_item_impl_mut(imp);
            count += rewrite.count;
        }
    }
    count
}

/// progenitor adds an `api-version` header (Dropshot's API versioning) to every request;
/// Pinterest reads no such header. Each `send()` loses it, and the header map it was the only
/// entry of (a map allocated, filled and merged into the request on every call). Returns the
/// operations changed.
pub fn no_api_version_header(file: &mut syn::File) -> usize {
    fn mentions(tokens: &impl quote::ToTokens, what: &str) -> bool {
        tokens.to_token_stream().to_string().contains(what)
    }
    /// `X.headers(header_map)` becomes `X`.
    struct Unmerge;
    impl VisitMut for Unmerge {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let syn::Expr::MethodCall(call) = expr
                && call.method == "headers"
                && call.args.len() == 1
                && mentions(&call.args, "header_map")
            {
                *expr = (*call.receiver).clone();
                self.visit_expr_mut(expr);
                return;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    struct Strip(usize);
    impl VisitMut for Strip {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            let before = block.stmts.len();
            block.stmts.retain(|stmt| {
                !(mentions(stmt, "header_map . append") && mentions(stmt, "\"api-version\""))
            });
            if block.stmts.len() < before {
                self.0 += 1;
                // Only the map's creation and its merge left: neither is needed.
                let uses = block
                    .stmts
                    .iter()
                    .filter(|stmt| mentions(*stmt, "header_map"))
                    .count();
                if uses == 2 {
                    block.stmts.retain(|stmt| {
                        !matches!(stmt, syn::Stmt::Local(local) if mentions(&local.pat, "header_map"))
                    });
                    for stmt in &mut block.stmts {
                        Unmerge.visit_stmt_mut(stmt);
                    }
                }
            }
            syn::visit_mut::visit_block_mut(self, block);
        }
    }
    let mut strip = Strip(0);
    visit_builder_module(file, &mut strip);
    strip.0
}

/// progenitor writes each request's URL as text, `format!("{}/pins/{}", client.baseurl, …)`,
/// which reqwest then parses whole: scheme, host, port and path, for every request (callgrind,
/// `request_overhead --only client`: 99.9 k → 95.3 k instructions per request with this pass). The base URL is parsed once, when the client is
/// built (`crate::environment::BaseUrl`); `let url = …` becomes a copy of it with the
/// operation's path appended. Returns the operations changed.
pub fn parsed_base_url(file: &mut syn::File) -> usize {
    use syn::punctuated::Punctuated;
    struct Rewrite(usize);
    impl VisitMut for Rewrite {
        fn visit_local_mut(&mut self, local: &mut syn::Local) {
            let syn::Pat::Ident(pat) = &local.pat else {
                return;
            };
            let Some(init) = &mut local.init else { return };
            let syn::Expr::Macro(mac) = &*init.expr else {
                return;
            };
            if pat.ident != "url" || !mac.mac.path.is_ident("format") {
                return;
            }
            let Ok(args) = mac
                .mac
                .parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
            else {
                return;
            };
            let mut args = args.into_iter();
            let (Some(syn::Expr::Lit(template)), Some(base)) = (args.next(), args.next()) else {
                return;
            };
            let syn::Lit::Str(template) = &template.lit else {
                return;
            };
            let Some(path) = template.value().strip_prefix("{}").map(str::to_string) else {
                return;
            };
            if base.to_token_stream().to_string() != "client . baseurl" || !path.starts_with('/') {
                return;
            }
            let path = syn::LitStr::new(&path, template.span());
            let rest: Vec<syn::Expr> = args.collect();
            *init.expr = syn::parse_quote! {
                client
                    .inner
                    .base
                    .join(format_args!(#path, #(#rest),*))
                    .map_err(Error::InvalidRequest)?
            };
            self.0 += 1;
        }
    }
    let mut rewrite = Rewrite(0);
    visit_builder_module(file, &mut rewrite);
    rewrite.0
}

/// Dedents the lines of generated doc comments (outside fenced blocks) that Markdown would read
/// as an indented code block, so that rustdoc does not compile the description's prose as Rust.
/// Returns the doc comments changed.
pub fn plain_doc_text(file: &mut syn::File) -> usize {
    struct Docs(usize);
    impl VisitMut for Docs {
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            if !attr.path().is_ident("doc") {
                return;
            }
            let syn::Meta::NameValue(nv) = &mut attr.meta else {
                return;
            };
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &nv.value
            else {
                return;
            };
            let original = text.value();
            let mut fenced = false;
            let dedented: Vec<&str> = original
                .lines()
                .map(|line| {
                    if line.trim_start().starts_with("```") {
                        fenced = !fenced;
                    }
                    if fenced || !line.starts_with("    ") {
                        line
                    } else {
                        line.trim_start()
                    }
                })
                .collect();
            let dedented = dedented.join("\n");
            if dedented != original {
                nv.value = syn::parse_quote!(#dedented);
                self.0 += 1;
            }
        }
    }
    let mut docs = Docs(0);
    docs.visit_file_mut(file);
    docs.0
}

/// What progenitor actually generated, read off the syntax tree: the methods of `Client` and
/// the items of `types`. The completeness test compares them with the description, so an
/// operation or schema silently dropped by the generator fails it.
fn inventory(file: &syn::File) -> syn::Item {
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

/// Follows a local `$ref` (one level is all parameters and their schemas use).
pub(crate) fn resolve<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|p| spec.pointer(p))
            .unwrap_or(v),
        None => v,
    }
}

/// typify writes one enum per inline schema, so the same list of values, repeated inline across
/// the description (the 176 report columns of every analytics operation, the countries, sort
/// orders, entity statuses), becomes one enum per place, each with its own derives, `Display`,
/// `FromStr` and serde impls: about a quarter of all enum values. Each group of string enums that
/// are identical but for their name (values, attributes and impls compared on the syntax tree,
/// docs aside) keeps one enum, the shortest name; the others become aliases of it
/// (`pub type AdsListOrder = AdGroupsListOrder;`), so every name still works, variants included.
/// An enum named as a trait parameter by another impl (`From<X> for Union`) is left alone: two
/// such impls would collide once the types are one. Returns the enums made aliases.
pub fn duplicate_enums(file: &mut syn::File) -> usize {
    use std::collections::BTreeSet;
    let Some(items) = types_module(file) else {
        return 0;
    };
    let placeholder = format_ident!("__Same");
    let is_doc = |a: &syn::Attribute| a.path().is_ident("doc");
    // string enums as `tolerant_enums` leaves them: unit variants, then `UnknownValue(String)`
    let string_enums: BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(e)
                if e.variants.len() > 1
                    && e.variants
                        .iter()
                        .rev()
                        .skip(1)
                        .all(|v| matches!(v.fields, syn::Fields::Unit))
                    && e.variants
                        .last()
                        .is_some_and(|v| matches!(v.fields, syn::Fields::Unnamed(_))) =>
            {
                Some(e.ident.to_string())
            }
            _ => None,
        })
        .collect();
    // named by other impls' trait parameters (`impl From<X> for Y`)
    let mut in_trait_params = BTreeSet::new();
    for item in items.iter() {
        if let syn::Item::Impl(imp) = item
            && let Some((_, path, _)) = &imp.trait_
        {
            let path = quote!(#path).to_string();
            for name in &string_enums {
                if path
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .any(|t| t == name)
                {
                    in_trait_params.insert(name.clone());
                }
            }
        }
    }
    // each enum's text with its name replaced and docs dropped: the enum, then its impls
    let mut key: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in items.iter() {
        match item {
            syn::Item::Enum(e) if string_enums.contains(&e.ident.to_string()) => {
                let mut e = e.clone();
                e.ident = placeholder.clone();
                e.attrs.retain(|a| !is_doc(a));
                for v in e.variants.iter_mut() {
                    v.attrs.retain(|a| !is_doc(a));
                }
                let name = item_ident(item).unwrap_or_default();
                key.entry(name)
                    .or_default()
                    .insert(0, quote!(#e).to_string());
            }
            syn::Item::Impl(imp) => {
                let Some(name) = self_ident(&imp.self_ty).filter(|n| string_enums.contains(n))
                else {
                    continue;
                };
                let mut imp = imp.clone();
                *imp.self_ty = syn::parse_quote!(#placeholder);
                imp.attrs.retain(|a| !is_doc(a));
                key.entry(name).or_default().push(quote!(#imp).to_string());
            }
            _ => {}
        }
    }
    let mut groups: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for (name, mut parts) in key {
        if in_trait_params.contains(&name) {
            continue;
        }
        if let Some((_, impls)) = parts.split_first_mut() {
            impls.sort();
        }
        groups.entry(parts).or_default().push(name);
    }
    let mut alias_of: BTreeMap<String, syn::Ident> = BTreeMap::new();
    for names in groups.into_values().filter(|n| n.len() > 1) {
        let Some(keep) = names
            .iter()
            .min_by_key(|n| (n.len(), n.to_string()))
            .cloned()
        else {
            continue;
        };
        for name in names.into_iter().filter(|n| *n != keep) {
            alias_of.insert(name, format_ident!("{}", keep));
        }
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        match &item {
            syn::Item::Enum(e) if alias_of.contains_key(&e.ident.to_string()) => {
                let keep = &alias_of[&e.ident.to_string()];
                let docs = e.attrs.iter().filter(|a| is_doc(a));
                let (vis, ident) = (&e.vis, &e.ident);
                let note =
                    format!(" The same values as [`{keep}`], of which this is another name.");
                out.push(syn::parse_quote! {
                    #(#docs)*
                    ///
                    #[doc = #note]
                    #vis type #ident = #keep;
                });
            }
            syn::Item::Impl(imp)
                if self_ident(&imp.self_ty).is_some_and(|n| alias_of.contains_key(&n)) => {}
            _ => out.push(item),
        }
    }
    *items = out;
    alias_of.len()
}

/// serde's derive writes, for every decoded struct, a field enum with its own visitor, a
/// visitor for the sequence form (which JSON objects never take) and one for the map form,
/// with a duplicate check per field: the largest single share of the crate's compile time
/// (`-Z self-profile`: type checking and borrow checking of `Deserialize` impls came first).
/// Replies only ever arrive as JSON objects: each plain struct gets a map visitor alone, its
/// field names matched by one small function per struct (read through the shared
/// `crate::tolerant::Field`), unknown fields
/// skipped as before, a missing required field reported as before. Structs with serde
/// attributes beyond `rename`, `default` and `skip_serializing_if` keep the derive.
/// Returns the structs rewritten.
pub fn compact_deserialize(file: &mut syn::File) -> usize {
    let Some(items) = types_module(file) else {
        return 0;
    };
    let mut impls = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Struct(s) = item else { continue };
        if !has_derive(&s.attrs, "Deserialize")
            || !s.generics.params.is_empty()
            || s.attrs.iter().any(|a| a.path().is_ident("serde"))
        {
            continue;
        }
        let syn::Fields::Named(fields) = &s.fields else {
            continue;
        };
        let Some(plan) = fields
            .named
            .iter()
            .map(field_plan)
            .collect::<Option<Vec<FieldPlan>>>()
        else {
            continue;
        };
        remove_derive(&mut s.attrs, "Deserialize");
        let name = &s.ident;
        let expecting = format!("struct {name}");
        let wire: Vec<&String> = plan.iter().map(|p| &p.wire).collect();
        let slots: Vec<syn::Ident> = (0..plan.len()).map(|i| format_ident!("f{i}")).collect();
        // An `Option` field missing from the object is `None`, the value a `null` also gives: its
        // slot is the field itself. Any other field's slot is an `Option` of it, `None` until read.
        let tys = plan.iter().map(|p| match p.optional {
            true => p.ty.clone(),
            false => {
                let ty = &p.ty;
                syn::parse_quote!(::std::option::Option<#ty>)
            }
        });
        let index: Vec<syn::Index> = (0..plan.len()).map(syn::Index::from).collect();
        let nones = plan.iter().map(|_| quote!(None));
        let read = plan.iter().map(|p| match p.optional {
            true => quote!(map.next_value()?),
            false => quote!(Some(map.next_value()?)),
        });
        let build = plan.iter().zip(&slots).map(|(p, slot)| {
            let field = &p.ident;
            let wire = &p.wire;
            match &p.missing {
                Missing::Default if p.optional => quote!(#field: #slot),
                Missing::Default => quote!(#field: #slot.unwrap_or_default()),
                Missing::Call(path) => quote!(#field: #slot.unwrap_or_else(#path)),
                Missing::Error => {
                    quote!(#field: #slot.ok_or_else(|| ::serde::de::Error::missing_field(#wire))?)
                }
            }
        });
        impls.push(syn::parse_quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    const FIELDS: &[&str] = &[#(#wire),*];
                    fn field(name: &str) -> ::std::option::Option<usize> {
                        match name {
                            #(#wire => Some(#index),)*
                            _ => None,
                        }
                    }
                    struct Visitor;
                    impl<'de> ::serde::de::Visitor<'de> for Visitor {
                        type Value = #name;
                        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.write_str(#expecting)
                        }
                        fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#name, A::Error> {
                            // One tuple, not a local per field: with separate locals LLVM
                            // carries every slot through the loop and shuffles them all at each
                            // key (callgrind: ~1 000 more instructions per `Pin`).
                            let mut slots: (#(#tys,)*) = (#(#nones,)*);
                            while let Some(field) = map.next_key_seed(crate::tolerant::Field(field))? {
                                match field {
                                    #(Some(#index) => slots.#index = #read,)*
                                    _ => {
                                        map.next_value::<::serde::de::IgnoredAny>()?;
                                    }
                                }
                            }
                            let (#(#slots,)*) = slots;
                            Ok(#name { #(#build),* })
                        }
                    }
                    deserializer.deserialize_struct(#expecting, FIELDS, Visitor)
                }
            }
        });
    }
    let n = impls.len();
    items.extend(impls);
    n
}

/// How `compact_deserialize` reads one field.
struct FieldPlan {
    ident: syn::Ident,
    ty: syn::Type,
    wire: String,
    missing: Missing,
    /// An `Option` field that is `None` when missing: read straight into its slot.
    optional: bool,
}

/// What a field becomes when the object lacks it.
enum Missing {
    /// `Option` fields and `#[serde(default)]`: `Default::default()`.
    Default,
    /// `#[serde(default = "path")]`: `path()`.
    Call(syn::ExprPath),
    /// Required: the `missing field` error.
    Error,
}

/// The plan for one field, or `None` when it carries a serde attribute the compact form does
/// not reproduce (`flatten`, `deserialize_with`, `alias`, …).
fn field_plan(field: &syn::Field) -> Option<FieldPlan> {
    let ident = field.ident.clone()?;
    let optional = matches!(&field.ty, syn::Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| s.ident == "Option"));
    let mut wire = ident.to_string().trim_start_matches("r#").to_string();
    let mut missing = if optional {
        Missing::Default
    } else {
        Missing::Error
    };
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let mut ok = true;
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                wire = meta.value()?.parse::<syn::LitStr>()?.value();
            } else if meta.path.is_ident("default") {
                missing = match meta.input.peek(syn::Token![=]) {
                    true => {
                        let path = meta.value()?.parse::<syn::LitStr>()?;
                        Missing::Call(path.parse()?)
                    }
                    false => Missing::Default,
                };
            } else if meta.path.is_ident("skip_serializing_if") {
                meta.value()?.parse::<syn::LitStr>()?;
            } else {
                ok = false;
                if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<syn::Expr>()?;
                }
            }
            Ok(())
        })
        .ok()?;
        if !ok {
            return None;
        }
    }
    Some(FieldPlan {
        ident,
        ty: field.ty.clone(),
        wire,
        optional: optional && matches!(missing, Missing::Default),
        missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape progenitor gives a client's hooks check and one operation (`pins_create`,
    /// a form body, a documented 201 and 400), with `send_extra` added to the `send()`.
    fn generated(send_extra: &str) -> syn::File {
        let extra: Vec<syn::Stmt> = syn::parse_str::<syn::Block>(&format!("{{{send_extra}}}"))
            .expect("statements")
            .stmts;
        syn::parse_quote! {
            const _: () = {
                #[allow(dead_code)]
                fn assert_client_hooks()
                where
                    Client: ClientHooks<crate::client::Inner>,
                {}
            };
            pub mod builder {
                use super::types;
                #[allow(unused_imports)]
                use super::{encode_path, ByteStream, ClientInfo, ClientHooks, Error, OperationInfo, RequestBuilderExt, ResponseValue};
                impl<'a> PinsCreate<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Pin>, Error<()>> {
                        let Self { client, body } = self;
                        let body = body.map_err(Error::InvalidRequest)?;
                        let url = format!("{}/pins", client.baseurl);
                        #[allow(unused_mut)]
                        let mut request = client.client.post(url).form_urlencoded(&body)?.build()?;
                        let info = OperationInfo { operation_id: "pins_create" };
                        client.pre(&mut request, &info).await?;
                        let result = client.exec(request, &info).await;
                        client.post(&result, &info).await?;
                        #(#extra)*
                        let response = result?;
                        match response.status().as_u16() {
                            201u16 => ResponseValue::from_response(response).await,
                            400u16 => Err(Error::ErrorResponse(ResponseValue::empty(response))),
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            }
        }
    }

    fn code(file: &syn::File) -> String {
        prettyplease::unparse(file)
    }

    #[test]
    fn crate_errors_sends_through_the_crate_and_returns_its_error() {
        let mut file = generated("");
        assert_eq!(crate_errors(&mut file), Ok(1));
        let code = code(&file);
        for expected in [
            "use crate::Error;",
            "-> Result<ResponseValue<types::Pin>, Error> {",
            "let result = crate::middleware::send(client, request, \"pins_create\").await;",
            "body.map_err(Error::InvalidRequest)?",
            ".post(url).form(&body).build()?",
            "_ => Err(crate::error::undocumented_reply(response).await),",
        ] {
            assert!(code.contains(expected), "no `{expected}` in:\n{code}");
        }
        for gone in [
            "Error<()>",
            "OperationInfo",
            "ClientHooks",
            "client.pre(&mut request",
            "client.post(&result",
            ".exec(",
            "form_urlencoded",
            "ErrorResponse",
            "UnexpectedResponse",
            "400u16",
            "assert_client_hooks",
        ] {
            assert!(!code.contains(gone), "`{gone}` left in:\n{code}");
        }
    }

    #[test]
    fn crate_errors_reports_a_send_it_does_not_know() {
        // A second `exec`: the pass would not know which one is the request.
        let mut file = generated("let _again = client.exec(request, &info);");
        let error = crate_errors(&mut file).expect_err("an unknown shape");
        assert!(
            error.contains("PinsCreate<'a>::send") && error.contains("found 2 and 1"),
            "{error}"
        );
    }
}
