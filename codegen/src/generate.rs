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
//! - [`no_op_hooks`]: `send()` does not await the `pre` and `post` hooks the crate leaves empty.
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
    let n = no_op_hooks(&mut file);
    report.push(
        "no_op_hooks",
        n,
        "operations",
        "progenitor's `send()` awaits a `pre` and a `post` hook around `exec`; the crate leaves both empty, yet their borrows keep the request (264 bytes) in every request's future while it is sent: the calls go",
    );
    let n = plain_doc_text(&mut file);
    report.push(
        "plain_doc_text",
        n,
        "doc comments",
        "the description's text is Markdown with HTML, and rustdoc reads more into it than it means: prose indented by 4 spaces is dedented (else a doctest), brackets that are not links are escaped (else intra-doc links), `<` that opens no HTML element is escaped, its HTML is balanced, bare URLs become autolinks",
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
/// nothing (hundreds of instructions each, and `pins_list` has eight). An optional parameter
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
/// which reqwest then parses whole: scheme, host, port and path, for every request (a few
/// thousand instructions: benches/README.md). The base URL is parsed once, when the client is
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

/// progenitor's `send()` awaits `client.pre(&mut request, &info)` before `exec` and
/// `client.post(&result, &info)` after it. The crate's `ClientHooks` implementation
/// (`src/middleware.rs`) overrides `exec` alone, so both are empty futures; but the borrow each
/// takes makes the compiler keep the borrowed local in the `send()` future across the `exec`
/// await (`-Zprint-type-sizes`: the 264-byte request beside the future that sends it). Both
/// calls go. Returns the operations changed.
pub fn no_op_hooks(file: &mut syn::File) -> usize {
    fn is_hook_call(stmt: &syn::Stmt) -> bool {
        let text = stmt.to_token_stream().to_string();
        text.starts_with("client . pre (") || text.starts_with("client . post (")
    }
    struct Strip(usize);
    impl VisitMut for Strip {
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            let before = block.stmts.len();
            block.stmts.retain(|stmt| !is_hook_call(stmt));
            if block.stmts.len() < before {
                self.0 += 1;
            }
            syn::visit_mut::visit_block_mut(self, block);
        }
    }
    let mut strip = Strip(0);
    visit_builder_module(file, &mut strip);
    strip.0
}

/// Makes the description's prose in generated doc comments plain Markdown text for rustdoc, so
/// that nothing of it is compiled, linked or read as markup it is not:
///
/// - lines indented by 4 spaces (outside fenced blocks), which Markdown reads as an indented
///   code block and rustdoc compiles as a doctest, are dedented;
/// - square brackets that are not a Markdown link (`[DCA]`, `{'=': [value]}`, `[Integer]`),
///   which rustdoc reads as intra-doc links, are written as character references; a link of the
///   generator's own (`` [`Client::pins_list`] ``) stays a link;
/// - `<` that does not open a well-formed tag of an HTML element or an autolink
///   (`<unit_type>`, `<a href="x" target="blank>`) is written `&lt;`;
/// - the HTML is balanced: a closing tag nothing opened goes, an element left open is closed
///   (before the closing tag of the element around it, or at the end), and `<p/>` is `<p></p>`;
/// - a bare URL in Markdown text becomes an autolink (`<https://…>`); in an HTML block, where
///   Markdown is not read, it stays as written.
///
/// Code spans and fenced blocks are left as they are. rustdoc reads all doc attributes of an
/// item as one text, and so does this pass. Returns the doc comments changed.
pub fn plain_doc_text(file: &mut syn::File) -> usize {
    struct Docs(usize);
    impl VisitMut for Docs {
        fn visit_item_mut(&mut self, item: &mut syn::Item) {
            if let Some(attrs) = item_attrs(item) {
                self.0 += plain_docs(attrs);
            }
            syn::visit_mut::visit_item_mut(self, item);
        }
        fn visit_field_mut(&mut self, field: &mut syn::Field) {
            self.0 += plain_docs(&mut field.attrs);
            syn::visit_mut::visit_field_mut(self, field);
        }
        fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
            self.0 += plain_docs(&mut variant.attrs);
            syn::visit_mut::visit_variant_mut(self, variant);
        }
        fn visit_impl_item_mut(&mut self, item: &mut syn::ImplItem) {
            let attrs = match item {
                syn::ImplItem::Fn(f) => Some(&mut f.attrs),
                syn::ImplItem::Const(c) => Some(&mut c.attrs),
                syn::ImplItem::Type(t) => Some(&mut t.attrs),
                syn::ImplItem::Macro(m) => Some(&mut m.attrs),
                _ => None,
            };
            if let Some(attrs) = attrs {
                self.0 += plain_docs(attrs);
            }
            syn::visit_mut::visit_impl_item_mut(self, item);
        }
        fn visit_trait_item_mut(&mut self, item: &mut syn::TraitItem) {
            let attrs = match item {
                syn::TraitItem::Fn(f) => Some(&mut f.attrs),
                syn::TraitItem::Const(c) => Some(&mut c.attrs),
                syn::TraitItem::Type(t) => Some(&mut t.attrs),
                syn::TraitItem::Macro(m) => Some(&mut m.attrs),
                _ => None,
            };
            if let Some(attrs) = attrs {
                self.0 += plain_docs(attrs);
            }
            syn::visit_mut::visit_trait_item_mut(self, item);
        }
    }
    let mut docs = Docs(plain_docs(&mut file.attrs));
    docs.visit_file_mut(file);
    docs.0
}

/// The attributes of an item, of every kind that has them.
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::ExternCrate(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::ForeignMod(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        syn::Item::TraitAlias(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Union(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

/// Makes the doc attributes of one item plain, read together as rustdoc reads them. Returns
/// the attributes changed.
fn plain_docs(attrs: &mut [syn::Attribute]) -> usize {
    let mut docs: Vec<(usize, String)> = Vec::new();
    for (at, attr) in attrs.iter().enumerate() {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }),
            ..
        }) = &attr.meta
        {
            docs.push((at, text.value()));
        }
    }
    if docs.is_empty() {
        return 0;
    }
    let joined = docs
        .iter()
        .map(|(_, text)| text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let plain = plain_text(&joined);
    if plain == joined {
        return 0;
    }
    // Back into the attributes, each its own number of lines (the last one takes the rest).
    let mut lines = plain.split('\n');
    let mut changed = 0;
    let last = docs.len() - 1;
    for (n, (at, original)) in docs.iter().enumerate() {
        let text = if n == last {
            lines.by_ref().collect::<Vec<_>>().join("\n")
        } else {
            let count = original.split('\n').count();
            lines.by_ref().take(count).collect::<Vec<_>>().join("\n")
        };
        if &text != original
            && let syn::Meta::NameValue(nv) = &mut attrs[*at].meta
        {
            nv.value = syn::parse_quote!(#text);
            changed += 1;
        }
    }
    changed
}

/// A tag found in the text: where it is (line, byte range in that line), its element, and
/// whether it closes one.
struct Tag {
    line: usize,
    range: std::ops::Range<usize>,
    name: String,
    closing: bool,
}

/// One item's doc text made plain (see [`plain_doc_text`]), line by line, then its HTML
/// balanced.
fn plain_text(text: &str) -> String {
    let mut fenced = false;
    let mut html_block = false;
    let mut tags = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    // The last line of Markdown text (not of a fenced block): where open elements are closed.
    let mut last_text = None;
    for line in text.split('\n') {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            lines.push(line.to_string());
            continue;
        }
        if fenced {
            lines.push(line.to_string());
            continue;
        }
        let line = if line.starts_with("    ") {
            line.trim_start()
        } else {
            line
        };
        if line.trim().is_empty() {
            html_block = false;
            lines.push(line.to_string());
            continue;
        }
        if !html_block && opens_html_block(line) {
            html_block = true;
        }
        let mut found = Vec::new();
        lines.push(plain_inline(line, html_block, &mut found));
        last_text = Some(lines.len() - 1);
        tags.extend(found.into_iter().map(|mut tag: Tag| {
            tag.line = lines.len() - 1;
            tag
        }));
    }
    balance(&mut lines, &tags, last_text);
    lines.join("\n")
}

/// Drops closing tags nothing opened and closes elements left open (see [`plain_doc_text`]).
fn balance(lines: &mut [String], tags: &[Tag], last_text: Option<usize>) {
    // Edits per line: (byte range to replace, replacement).
    let mut edits: Vec<(usize, std::ops::Range<usize>, String)> = Vec::new();
    let mut open: Vec<&Tag> = Vec::new();
    for tag in tags {
        if !tag.closing {
            open.push(tag);
            continue;
        }
        match open.iter().rposition(|o| o.name == tag.name) {
            Some(at) => {
                let unclosed: String = open
                    .drain(at..)
                    .skip(1)
                    .rev()
                    .map(|o| format!("</{}>", o.name))
                    .collect();
                if !unclosed.is_empty() {
                    edits.push((tag.line, tag.range.start..tag.range.start, unclosed));
                }
            }
            None => edits.push((tag.line, tag.range.clone(), String::new())),
        }
    }
    let unclosed: String = open
        .iter()
        .rev()
        .map(|o| format!("</{}>", o.name))
        .collect();
    edits.sort_by_key(|(line, range, _)| (*line, std::cmp::Reverse(range.start)));
    for (line, range, with) in edits {
        lines[line].replace_range(range, &with);
    }
    // Open elements were opened on a line of text, so there is one.
    if let Some(last) = last_text {
        lines[last].push_str(&unclosed);
    }
}

/// HTML elements the description writes as markup (`<p>`, `<a href=…>`, `<br/>`, …): kept.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "wbr",
];

/// Elements that have no closing tag.
const VOID_ELEMENTS: &[&str] = &["br", "hr", "img", "wbr"];

/// CommonMark's HTML blocks that a blank line ends (kind 6), among [`HTML_ELEMENTS`]: a line
/// opening with one of these is raw HTML up to the next blank line.
const HTML_BLOCK_ELEMENTS: &[&str] = &[
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "summary",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Whether a line opens an HTML block (up to three spaces, then `<p>`, `</ul>`, …).
fn opens_html_block(line: &str) -> bool {
    let rest = line.trim_start_matches(' ');
    line.len() - rest.len() <= 3
        && html_tag_len(rest).is_some()
        && HTML_BLOCK_ELEMENTS.contains(&tag_name(rest).as_str())
}

/// The element name of a tag at the start of `s` (`<a href…>` → `a`), lower case.
fn tag_name(s: &str) -> String {
    s.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The length of a well-formed tag of one of [`HTML_ELEMENTS`] at the start of `s` (`<br/>`,
/// `</p>`, `<a href='x'>`), if there is one: attribute values quoted, nothing but the tag's
/// own `>` ending it.
fn html_tag_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix('<')?;
    let body = body.strip_prefix('/').unwrap_or(body);
    let name = tag_name(s);
    if name.is_empty() || !HTML_ELEMENTS.contains(&name.as_str()) {
        return None;
    }
    let after = &body[name.len()..];
    if !(after.starts_with(['>', '/', ' ', '\t'])) {
        return None;
    }
    let start = s.len() - after.len();
    let mut quote = None;
    for (i, c) in after.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(start + i + 1),
            (None, '<') => return None,
            (None, _) => {}
        }
    }
    None
}

/// The length of an autolink at the start of `s` (`<https://…>`), if there is one.
fn autolink_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix('<')?;
    let end = body.find(|c: char| c == '>' || c == '<' || c.is_whitespace())?;
    let scheme = body[..end].split_once(':')?.0;
    let is_scheme = (2..=32).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
    (body.as_bytes()[end] == b'>' && is_scheme).then_some(end + 2)
}

/// The length of a bare `http(s)://host.tld…` URL at the start of `s`, trailing punctuation
/// and unbalanced closing brackets left out, if there is one.
fn bare_url_len(s: &str) -> Option<usize> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))?;
    let scheme = s.len() - rest.len();
    let mut len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`'))
        .unwrap_or(rest.len());
    loop {
        let url = &rest[..len];
        let unbalanced = |open: char, close: char| {
            url.ends_with(close) && url.matches(close).count() > url.matches(open).count()
        };
        if url.ends_with(['.', ',', ';', ':', '!', '?', '*', '_'])
            || unbalanced('(', ')')
            || unbalanced('[', ']')
        {
            len -= 1;
        } else {
            break;
        }
    }
    let host = rest[..len].split(['/', '?', '#']).next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    let is_host = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':'))
        });
    is_host.then_some(scheme + len)
}

/// The length of a code span at the start of `s` (a run of backticks up to the next run of the
/// same length), if it closes.
fn code_span_len(s: &str) -> Option<usize> {
    let ticks = s.len() - s.trim_start_matches('`').len();
    let mut at = ticks;
    while let Some(found) = s[at..].find('`') {
        let start = at + found;
        let run = s[start..].len() - s[start..].trim_start_matches('`').len();
        if run == ticks {
            return Some(start + run);
        }
        at = start + run;
    }
    None
}

/// The position of the `]` that closes the `[` at the start of `s`, code spans skipped.
fn closing_bracket(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        match rest.as_bytes()[0] {
            b'\\' => {
                i += 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
                continue;
            }
            b'`' => {
                if let Some(len) = code_span_len(rest) {
                    i += len;
                    continue;
                }
            }
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// One line of Markdown text made plain (see [`plain_doc_text`]); `html` when it is inside an
/// HTML block, where only `<` needs escaping. The element tags kept are added to `tags`, with
/// their place in the line returned.
fn plain_inline(line: &str, html: bool, tags: &mut Vec<Tag>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '\\' => {
                let len = 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&rest[..len]);
                i += len;
            }
            '`' => {
                let run = rest.len() - rest.trim_start_matches('`').len();
                let len = code_span_len(rest).unwrap_or(run);
                out.push_str(&rest[..len]);
                i += len;
            }
            '<' => {
                if let Some(len) = html_tag_len(rest) {
                    let tag = &rest[..len];
                    let name = tag_name(tag);
                    let closing = tag.starts_with("</");
                    if VOID_ELEMENTS.contains(&name.as_str()) {
                        out.push_str(tag);
                    } else if !closing && tag.ends_with("/>") {
                        // `<p/>`: HTML knows no self-closing `p`; the author meant it empty.
                        out.push_str(tag[..len - 2].trim_end());
                        out.push_str(&format!("></{name}>"));
                    } else {
                        let start = out.len();
                        out.push_str(tag);
                        tags.push(Tag {
                            line: 0,
                            range: start..out.len(),
                            name,
                            closing,
                        });
                    }
                    i += len;
                } else if let Some(len) = autolink_len(rest) {
                    out.push_str(&rest[..len]);
                    i += len;
                } else {
                    out.push_str("&lt;");
                    i += 1;
                }
            }
            '[' if !html => match closing_bracket(rest) {
                Some(close) => {
                    let inner = &rest[1..close];
                    let after = &rest[close + 1..];
                    let generator_link = inner.len() > 2
                        && inner.starts_with('`')
                        && inner.ends_with('`')
                        && !inner[1..inner.len() - 1].contains(['`', ' ']);
                    i += close + 1;
                    if after.starts_with(['(', '[']) || generator_link {
                        // A link: its text and destination are the author's.
                        out.push_str(&rest[..=close]);
                        let end = match after.as_bytes().first() {
                            Some(b'(') => after.find(')'),
                            Some(b'[') => after.find(']'),
                            _ => None,
                        };
                        if let Some(end) = end {
                            out.push_str(&after[..=end]);
                            i += end + 1;
                        }
                    } else {
                        out.push_str("&#91;");
                        let mut inner_tags = Vec::new();
                        let plain = plain_inline(inner, html, &mut inner_tags);
                        let shift = out.len();
                        tags.extend(inner_tags.into_iter().map(|mut tag| {
                            tag.range = tag.range.start + shift..tag.range.end + shift;
                            tag
                        }));
                        out.push_str(&plain);
                        out.push_str("&#93;");
                    }
                }
                None => {
                    out.push_str("&#91;");
                    i += 1;
                }
            },
            ']' if !html => {
                out.push_str("&#93;");
                i += 1;
            }
            'h' if !html && !out.ends_with(|p: char| p.is_ascii_alphanumeric()) => {
                match bare_url_len(rest) {
                    Some(len) => {
                        out.push('<');
                        out.push_str(&rest[..len]);
                        out.push('>');
                        i += len;
                    }
                    None => {
                        out.push('h');
                        i += 1;
                    }
                }
            }
            _ => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
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
                            // key (a thousand instructions more per `Pin`).
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
mod plain_doc_text_tests {
    use super::plain_text as plain;

    #[test]
    fn brackets_that_are_not_links_are_escaped() {
        assert_eq!(plain("DCA [DCA] campaigns"), "DCA &#91;DCA&#93; campaigns");
        assert_eq!(
            plain("{'=': [value]} or [Integer]"),
            "{'=': &#91;value&#93;} or &#91;Integer&#93;"
        );
        assert_eq!(plain("a stray ] and ["), "a stray &#93; and &#91;");
    }

    #[test]
    fn links_and_code_stay() {
        for text in [
            "See [the guide](https://example.com/a_b) now",
            "Builder for [`Client::pins_list`]",
            "A [reference][ref] link",
            "`[not, a, link]` and ``a ` [b]``",
            "already \\[escaped\\]",
        ] {
            assert_eq!(plain(text), text);
        }
    }

    #[test]
    fn stray_angle_brackets_are_escaped_and_html_kept() {
        assert_eq!(
            plain("<p>Use <code>a</code> for <unit_type>, <= 10</p><br/>"),
            "<p>Use <code>a</code> for &lt;unit_type>, &lt;= 10</p><br/>"
        );
        assert_eq!(
            plain("<a href='/docs/x'>docs</a> or <https://example.com>"),
            "<a href='/docs/x'>docs</a> or <https://example.com>"
        );
    }

    #[test]
    fn html_is_balanced() {
        // A tag whose quote never closes is text; its closing tag then closes nothing and goes.
        assert_eq!(
            plain("<a href=\"/docs/\" target=\"blank>Open beta</a> now"),
            "&lt;a href=\"/docs/\" target=\"blank>Open beta now"
        );
        assert_eq!(
            plain("ad in grid. </p><strong>Note:</strong>"),
            "ad in grid. <strong>Note:</strong>"
        );
        assert_eq!(plain("<p>Merchant\n\nmore"), "<p>Merchant\n\nmore</p>");
        assert_eq!(plain("<div><p>a</div>"), "<div><p>a</p></div>");
        // Not inside the fenced block after the text.
        assert_eq!(
            plain("<p>Example:\n```ignore\nlet a = 1;\n```"),
            "<p>Example:</p>\n```ignore\nlet a = 1;\n```"
        );
        assert_eq!(plain("values. <p/> More"), "values. <p></p> More");
    }

    #[test]
    fn bare_urls_become_autolinks_outside_html_blocks() {
        assert_eq!(
            plain("See https://help.pinterest.com/en/a-b. Or (http://x.io/y)."),
            "See <https://help.pinterest.com/en/a-b>. Or (<http://x.io/y>)."
        );
        assert_eq!(
            plain("\"url\": \"http://x.io/a\""),
            "\"url\": \"<http://x.io/a>\""
        );
        assert_eq!(
            plain("must start with https://"),
            "must start with https://"
        );
        assert_eq!(
            plain("<p>Read\nhttps://x.io</p>\n\nhttps://x.io"),
            "<p>Read\nhttps://x.io</p>\n\n<https://x.io>"
        );
    }

    #[test]
    fn indented_prose_is_dedented_and_fences_kept() {
        assert_eq!(plain("    indented [x]"), "indented &#91;x&#93;");
        let fenced = "```json\n    {\"a\": [1]}\n```";
        assert_eq!(plain(fenced), fenced);
    }
}
