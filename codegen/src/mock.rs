//! Typed mocks of every operation, for the crate's `mock` feature: progenitor's
//! [`Generator::httpmock`] (one `When`/`Then` pair per operation and the extension trait
//! `MockServerExt` on `httpmock::MockServer`), then passes that make it fit the crate:
//!
//! - [`httpmock_regex`]: the path matchers use the `Regex` httpmock re-exports, so the crate
//!   needs no `regex` dependency of its own.
//! - [`path_params`]: a path parameter is matched as the client sends it, percent-encoded and
//!   taken literally; progenitor puts the raw value into the path's regex, where `a.b` also
//!   matches `axb`, `a b` never matches the `a%20b` the client sends, and `a(b` panics.
//! - [`httpmock_07`]: progenitor writes for httpmock 0.8; the crate's httpmock is 0.7 (what
//!   its own tests use): an absent parameter is matched by a function (0.7 has no
//!   `query_param_missing`), a JSON body by its value (0.7's `json_body_obj` wants
//!   `Deserialize`, which request-only types do not have).
//! - [`form_bodies`]: a form-encoded request body (the token endpoint) is matched field by field
//!   as a form, not as the JSON progenitor assumes for every typed body.
//! - [`array_query_params`]: an array query parameter is matched as the client sends it:
//!   comma-joined (`explode: false`) or one pair per element; progenitor writes `to_string()`
//!   of the array, which a `Vec` does not have.
//! - [`pinterest_replies`]: every `Then` gains `error` (Pinterest's `{code, message}` with any
//!   status) and `rate_limited` (a 429 with `x-ratelimit-*` headers), every `When` gains
//!   `bearer` (the access token a request carries, to tell a refreshed token from a stale one).
//!
//! The paths are the description's (`/pins/{pin_id}`), anchored: a mock server stands in for
//! the base URL `https://api.pinterest.com/v5`, so the client is built on the server's
//! `base_url()`, without `/v5`.

use crate::naming::{method_name, type_name};
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use syn::visit_mut::VisitMut;

/// Generates the mock module's source from the same fixed (and possibly filtered) description
/// the client was generated from. `crate_path` is where the client's `types` are (`crate`).
pub fn generate(spec: &Value, crate_path: &str) -> Result<String, String> {
    let api: openapiv3::OpenAPI = serde_json::from_value(spec.clone())
        .map_err(|e| format!("the fixed description is not valid OpenAPI 3.0: {e}"))?;
    let mut settings = GenerationSettings::new();
    // The settings of the client's generation, so that the types are named alike.
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected);
    let mut generator = Generator::new(&settings);
    let tokens = generator
        .httpmock(&api, crate_path)
        .map_err(|e| format!("progenitor could not generate the mocks: {e}"))?;
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("progenitor generated mocks that do not parse: {e}"))?;
    let ops = Operations::of(spec);
    httpmock_regex(&mut file);
    httpmock_07(&mut file);
    let paths = path_params(&mut file);
    if paths != ops.path_params {
        return Err(format!(
            "path_params: {} path parameters, {paths} mock matchers were rewritten",
            ops.path_params
        ));
    }
    let forms = form_bodies(&mut file, &ops);
    if forms != ops.form_bodies.len() {
        return Err(format!(
            "form_bodies: {} operations take a form body, {forms} mock bodies were rewritten",
            ops.form_bodies.len()
        ));
    }
    let arrays = array_query_params(&mut file, &ops);
    let expected: usize = ops.arrays.values().map(BTreeMap::len).sum();
    if arrays != expected {
        return Err(format!(
            "array_query_params: {expected} array query parameters, {arrays} mock matchers were rewritten"
        ));
    }
    map_query_params(&mut file);
    pinterest_replies(&mut file);
    documented(&mut file, &ops);
    inventory(&mut file);
    Ok(crate::build::render(&file))
}

/// What the passes need to know of the description's operations, by `When` type name.
struct Operations {
    /// `When` types of operations whose request body is form-encoded.
    form_bodies: BTreeSet<String>,
    /// `When` type → array query parameter (Rust name) → comma-joined (`explode: false`)?
    arrays: BTreeMap<String, BTreeMap<String, (String, bool)>>,
    /// Method name → `METHOD /path`.
    routes: BTreeMap<String, String>,
    /// Path parameters, summed over the operations.
    path_params: usize,
}

impl Operations {
    fn of(spec: &Value) -> Self {
        let mut form_bodies = BTreeSet::new();
        let mut arrays: BTreeMap<String, BTreeMap<String, (String, bool)>> = BTreeMap::new();
        let mut routes = BTreeMap::new();
        let mut path_params = 0;
        for (path, http_method, op) in crate::filter::operations(spec) {
            let id = op["operationId"].as_str().unwrap_or_default();
            routes.insert(
                method_name(id),
                format!("{} {path}", http_method.to_uppercase()),
            );
            let when = when_name(id);
            let content = resolve(spec, &op["requestBody"])["content"].as_object();
            if let Some(content) = content
                && content.contains_key("application/x-www-form-urlencoded")
                && !content.contains_key("application/json")
            {
                form_bodies.insert(when.clone());
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                let p = resolve(spec, p);
                if p["in"] == "path" {
                    path_params += 1;
                }
                if p["in"] != "query" {
                    continue;
                }
                let schema = resolve(spec, &p["schema"]);
                if schema["type"] != "array" {
                    continue;
                }
                let api_name = p["name"].as_str().unwrap_or_default().to_string();
                let joined = p.get("explode") == Some(&Value::Bool(false));
                arrays
                    .entry(when.clone())
                    .or_default()
                    .insert(method_name(&api_name), (api_name, joined));
            }
        }
        Operations {
            form_bodies,
            arrays,
            routes,
            path_params,
        }
    }
}

/// The name progenitor gives an operation's `When` type (`pins/create` → `PinsCreateWhen`).
fn when_name(operation_id: &str) -> String {
    type_name(&format!("{}-when", method_name(operation_id)))
}

/// Follows a local `$ref` (one level, as the description's parameters and bodies use them).
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| spec.pointer(pointer))
    {
        Some(target) => target,
        None => value,
    }
}

/// The `operations` module's impls, with the name of the type each is of.
fn impls(file: &mut syn::File) -> impl Iterator<Item = (String, &mut syn::ItemImpl)> {
    file.items
        .iter_mut()
        .filter_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "operations" => m.content.as_mut(),
            _ => None,
        })
        .flat_map(|(_, items)| items.iter_mut())
        .filter_map(|item| match item {
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                let syn::Type::Path(ty) = &*imp.self_ty else {
                    return None;
                };
                let name = ty.path.get_ident()?.to_string();
                Some((name, imp))
            }
            _ => None,
        })
}

/// The method `name` of an impl.
fn method<'a>(imp: &'a mut syn::ItemImpl, name: &str) -> Option<&'a mut syn::ImplItemFn> {
    imp.items.iter_mut().find_map(|item| match item {
        syn::ImplItem::Fn(f) if f.sig.ident == name => Some(f),
        _ => None,
    })
}

/// `regex::Regex` → `::httpmock::Regex` (the same type, re-exported by httpmock).
pub fn httpmock_regex(file: &mut syn::File) -> usize {
    struct Pass(usize);
    impl VisitMut for Pass {
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            if path.leading_colon.is_none()
                && path.segments.len() >= 2
                && path.segments[0].ident == "regex"
                && path.segments[1].ident == "Regex"
            {
                path.leading_colon = Some(Default::default());
                path.segments[0].ident = syn::Ident::new("httpmock", path.segments[0].ident.span());
                self.0 += 1;
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    let mut pass = Pass(0);
    pass.visit_file_mut(file);
    pass.0
}

/// A path parameter's matcher, `Regex::new(&format!("^/pins/{}$", value.to_string()))` as
/// progenitor writes it, becomes `crate::mock::path_param(self.0, "^/pins/{}$", value)`,
/// which puts the value in as the client sends it (percent-encoded) and escaped.
fn path_params(file: &mut syn::File) -> usize {
    let mut n = 0;
    for (name, imp) in impls(file) {
        if !name.ends_with("When") {
            continue;
        }
        for item in imp.items.iter_mut() {
            let syn::ImplItem::Fn(f) = item else { continue };
            let Some(pattern) = path_pattern(&f.block) else {
                continue;
            };
            f.block = syn::parse_quote!({ Self(crate::mock::path_param(self.0, #pattern, value)) });
            n += 1;
        }
    }
    n
}

/// The path regex with its `{}` of a path parameter's matcher (the string literal of its
/// `format!`), if `block` is one.
fn path_pattern(block: &syn::Block) -> Option<syn::LitStr> {
    use syn::punctuated::Punctuated;
    struct Find(Option<syn::LitStr>);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            if !mac.path.is_ident("format") {
                return;
            }
            let Ok(args) =
                mac.parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
            else {
                return;
            };
            if let Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(pattern),
                ..
            })) = args.first()
                && args.len() == 2
                && pattern.value().starts_with("^/")
            {
                self.0 = Some(pattern.clone());
            }
        }
    }
    let text = quote!(#block).to_string();
    if !text.contains("path_matches") {
        return None;
    }
    let mut find = Find(None);
    syn::visit::Visit::visit_block(&mut find, block);
    find.0
}

/// The `body` matcher of a form-encoded operation matches the form's fields.
fn form_bodies(file: &mut syn::File, ops: &Operations) -> usize {
    let mut n = 0;
    for (name, imp) in impls(file) {
        if !ops.form_bodies.contains(&name) {
            continue;
        }
        if let Some(body) = method(imp, "body") {
            body.block = syn::parse_quote!({ Self(crate::mock::form_body(self.0, value)) });
            n += 1;
        }
    }
    n
}

/// An array query parameter's matcher: comma-joined or one pair per element, as sent.
fn array_query_params(file: &mut syn::File, ops: &Operations) -> usize {
    let mut n = 0;
    for (name, imp) in impls(file) {
        let Some(params) = ops.arrays.get(&name) else {
            continue;
        };
        for (rust_name, (api_name, joined)) in params {
            let Some(f) = method(imp, rust_name) else {
                continue;
            };
            let required = f.sig.generics.params.is_empty();
            let matcher = if *joined {
                quote!(crate::mock::query_joined)
            } else {
                quote!(crate::mock::query_each)
            };
            f.block = if required {
                syn::parse_quote!({
                    Self(#matcher(self.0, #api_name, value.iter()))
                })
            } else {
                syn::parse_quote!({
                    match value.into() {
                        Some(value) => Self(#matcher(self.0, #api_name, value.iter())),
                        None => Self(self.0.matches(|req| crate::mock::query_absent(req, #api_name))),
                    }
                })
            };
            n += 1;
        }
    }
    n
}

/// A map-typed query parameter (`style: deepObject` of an object) is sent as one pair per
/// entry: matched so, where progenitor writes `to_string()` of the map.
fn map_query_params(file: &mut syn::File) -> usize {
    let mut n = 0;
    for (_, imp) in impls(file) {
        for item in imp.items.iter_mut() {
            let syn::ImplItem::Fn(f) = item else { continue };
            let is_map = f.sig.inputs.iter().any(|arg| {
                let syn::FnArg::Typed(arg) = arg else {
                    return false;
                };
                let ty = &arg.ty;
                let ty = quote!(#ty).to_string();
                ty.contains("HashMap") || ty.contains("BTreeMap")
            });
            let text = {
                let block = &f.block;
                quote!(#block).to_string()
            };
            if is_map && text.contains("query_param") {
                f.block = syn::parse_quote!({ Self(crate::mock::query_map(self.0, value.iter())) });
                n += 1;
            }
        }
    }
    n
}

/// `Then::error` and `Then::rate_limited` on every operation's `Then`; `When::bearer` on every
/// `When`.
fn pinterest_replies(file: &mut syn::File) -> usize {
    let mut n = 0;
    for (name, imp) in impls(file) {
        if name.ends_with("Then") {
            imp.items.push(syn::parse_quote! {
                /// Pinterest's error reply: `status` with `{"code": code, "message": message}`
                /// (what the client reads into [`crate::ApiError`]).
                pub fn error(self, status: u16, code: i64, message: &str) -> Self {
                    Self(crate::mock::error_reply(self.0, status, code, message))
                }
            });
            imp.items.push(syn::parse_quote! {
                /// A 429 of the operation's rate limit, reset in `reset_secs` seconds, with the
                /// `x-ratelimit-limit`, `x-ratelimit-remaining` (0) and `x-ratelimit-reset`
                /// headers Pinterest sends. See [`crate::mock`] for how the client answers it.
                pub fn rate_limited(self, reset_secs: u64) -> Self {
                    Self(crate::mock::rate_limited_reply(self.0, reset_secs))
                }
            });
            n += 1;
        } else if name.ends_with("When") {
            imp.items.push(syn::parse_quote! {
                /// Matches the request only when it carries `Authorization: Bearer {token}`.
                pub fn bearer(self, token: &str) -> Self {
                    Self(self.0.header("authorization", format!("Bearer {token}")))
                }
            });
        }
    }
    n
}

/// httpmock 0.8's matchers progenitor uses, in httpmock 0.7's terms.
pub fn httpmock_07(file: &mut syn::File) -> usize {
    struct Pass(usize);
    impl VisitMut for Pass {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            syn::visit_mut::visit_expr_mut(self, expr);
            let syn::Expr::MethodCall(call) = expr else {
                return;
            };
            let (receiver, args) = (&call.receiver, &call.args);
            let replacement: syn::Expr = match call.method.to_string().as_str() {
                // A closure that captures nothing (the name is a literal) is the `fn` 0.7 takes.
                "query_param_missing" => {
                    syn::parse_quote!(#receiver.matches(|req| crate::mock::query_absent(req, #args)))
                }
                "header_missing" => {
                    syn::parse_quote!(#receiver.matches(|req| crate::mock::header_absent(req, #args)))
                }
                _ => return,
            };
            *expr = replacement;
            self.0 += 1;
        }
    }
    let mut pass = Pass(0);
    pass.visit_file_mut(file);
    for (name, imp) in impls(file) {
        let helper: syn::Path = if name.ends_with("When") {
            syn::parse_quote!(crate::mock::json_body)
        } else {
            // 0.7's `Then::json_body_obj` wants a sized value; a `&str` reply is not.
            syn::parse_quote!(crate::mock::json_reply)
        };
        struct Json(usize, syn::Path);
        impl VisitMut for Json {
            fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
                syn::visit_mut::visit_expr_mut(self, expr);
                let syn::Expr::MethodCall(call) = expr else {
                    return;
                };
                if call.method != "json_body_obj" {
                    return;
                }
                let (receiver, args, helper) = (&call.receiver, &call.args, &self.1);
                *expr = syn::parse_quote!(#helper(#receiver, #args));
                self.0 += 1;
            }
        }
        let mut json = Json(0, helper);
        json.visit_item_impl_mut(imp);
        pass.0 += json.0;
    }
    pass.0
}

/// Doc comments on the extension trait's methods (which operation each mocks) and on the
/// `When`/`Then` types; the rest of the generated module is exempt from `missing_docs`.
fn documented(file: &mut syn::File, ops: &Operations) {
    for item in file.items.iter_mut() {
        match item {
            syn::Item::Mod(m) if m.ident == "operations" => {
                m.attrs
                    .push(syn::parse_quote!(#[allow(missing_docs, clippy::all)]));
                for item in m.content.iter_mut().flat_map(|(_, items)| items.iter_mut()) {
                    let syn::Item::Struct(s) = item else { continue };
                    let name = s.ident.to_string();
                    let doc = if let Some(op) = name.strip_suffix("When") {
                        format!(
                            " What a request of the `{op}` operation must be like to match (`httpmock::When` with typed parameters and bodies)."
                        )
                    } else if let Some(op) = name.strip_suffix("Then") {
                        format!(
                            " The reply to a matched request of the `{op}` operation (`httpmock::Then` with typed replies)."
                        )
                    } else {
                        continue;
                    };
                    s.attrs.push(syn::parse_quote!(#[doc = #doc]));
                }
            }
            syn::Item::Trait(t) => {
                for item in t.items.iter_mut() {
                    let syn::TraitItem::Fn(f) = item else {
                        continue;
                    };
                    let name = f.sig.ident.to_string();
                    let route = ops.routes.get(&name).map_or("", String::as_str);
                    let doc = format!(
                        " Mocks `{route}`, the operation of [`Client::{name}`](crate::Client::{name})."
                    );
                    f.attrs.push(syn::parse_quote!(#[doc = #doc]));
                }
            }
            syn::Item::Impl(imp) => imp.attrs.push(syn::parse_quote!(#[allow(clippy::all)])),
            _ => {}
        }
    }
}

/// `__METHODS`: the extension trait's methods, for the test that every operation has its mock.
fn inventory(file: &mut syn::File) {
    let names: Vec<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Trait(t) if t.ident == "MockServerExt" => Some(t),
            _ => None,
        })
        .flat_map(|t| t.items.iter())
        .filter_map(|item| match item {
            syn::TraitItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect();
    file.items.push(syn::parse_quote! {
        /// The methods of [`MockServerExt`], one per operation. Not a stable API.
        #[doc(hidden)]
        pub const __METHODS: &[&str] = &[#(#names),*];
    });
}
