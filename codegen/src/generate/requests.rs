//! The operations' request builders (`mod builder`): what each `send()` does on the way out and
//! back.

use super::syntax::{segment_names, visit_builder_module};
use crate::report::Pass;
use quote::ToTokens;
use std::collections::BTreeMap;
use syn::visit_mut::VisitMut;

/// The report line of [`decode_with_status`].
pub const DECODE_WITH_STATUS: Pass = Pass {
    name: "decode_with_status",
    unit: "operations",
    why: "progenitor's decode error drops the reply's status: documented replies decode through `pinterest_v5::error::decode_reply`, whose `Error::Decode` keeps it",
};

/// Every `ResponseValue::from_response(response)` of the operation builders becomes
/// `crate::rt::decode_reply(response)`: same decoding, but a body that does not decode
/// keeps the reply's status in the error. Returns the calls rewritten.
pub fn decode_with_status(file: &mut syn::File) -> usize {
    struct Swap(usize);
    impl VisitMut for Swap {
        fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
            if let syn::Expr::Path(p) = &*call.func {
                let segs: Vec<String> = segment_names(&p.path);
                if segs.ends_with(&["ResponseValue".to_string(), "from_response".to_string()]) {
                    *call.func = syn::parse_quote!(crate::rt::decode_reply);
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

/// The report line of [`optional_query_params`].
pub const OPTIONAL_QUERY_PARAMS: Pass = Pass {
    name: "optional_query_params",
    unit: "parameters",
    why: "progenitor adds each query parameter with reqwest's `query`, which re-serialises the URL even for an absent optional one: optional parameters are added only when set",
};

/// progenitor adds every query parameter with `.query(&QueryParam::new(name, &value))`, and
/// reqwest's `query` re-serialises the URL even when an optional parameter is `None` and adds
/// nothing (hundreds of instructions each, and `pins_list` has eight). An optional parameter
/// goes through `crate::rt::optional_query`, which calls `query` only for a value.
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
            *expr = syn::parse_quote!(crate::rt::optional_query(#receiver, #name, #value));
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

/// The report line of [`no_api_version_header`].
pub const NO_API_VERSION_HEADER: Pass = Pass {
    name: "no_api_version_header",
    unit: "operations",
    why: "progenitor sends an `api-version` header (Dropshot's versioning) that Pinterest does not read: each request goes without it, and without the header map it was alone in",
};

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

/// The report line of [`parsed_base_url`].
pub const PARSED_BASE_URL: Pass = Pass {
    name: "parsed_base_url",
    unit: "operations",
    why: "progenitor writes each request's URL as text, which reqwest parses whole for every request: the base URL is parsed once, and each request's URL is a copy of it with the operation's path appended",
};

/// progenitor writes each request's URL as text, `format!("{}/pins/{}", client.baseurl, …)`,
/// which reqwest then parses whole: scheme, host, port and path, for every request (a few
/// thousand instructions: benches/README.md). The base URL is parsed once, when the client is
/// built (`crate::client::environment::BaseUrl`); `let url = …` becomes a copy of it with the
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
