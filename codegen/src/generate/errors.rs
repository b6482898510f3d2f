//! Each operation's `send()` returns the crate's own error and sends through the crate's
//! request path.

use crate::report::Pass;
use quote::ToTokens;
use syn::visit_mut::VisitMut;

/// The report line of [`crate_errors`].
pub const CRATE_ERRORS: Pass = Pass {
    name: "crate_errors",
    unit: "operations",
    why: "progenitor's `send()` returns its own `Error<()>` and sends through hooks whose `exec` can only hand back a reply, so the crate's own failures came out as a made-up one: `send()` returns `pinterest_v5::Result`, sent by the crate's request path, which answers every failure as `pinterest_v5::Error` (no `pre`/`post` hooks, whose borrows also kept the request in every request's future)",
};

/// [`crate_errors`] as a row of [`super::PASSES`] (it fails on a `send()` it does not know).
pub fn run(_spec: &serde_json::Value, file: &mut syn::File) -> Result<usize, String> {
    crate_errors(file)
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
/// - the hooks go: `client.exec(request, &info)` becomes `crate::rt::send(client,
///   request, "operation_id")`, which answers `Err(Error::Api | Error::RateLimited | …)` for
///   every failure, a non-2xx reply with its body read. The `pre` and `post` calls go too:
///   besides doing nothing, the borrow each takes kept the 264-byte request in every
///   `send()` future while it was sent (`-Zprint-type-sizes`). The `OperationInfo` goes with
///   them, and with it `HooksMode::Expected`'s check that `Client` implements `ClientHooks`;
/// - progenitor's catch-all `_ => Err(Error::UnexpectedResponse(response))` (every non-2xx,
///   since the fix `error_responses` leaves no error reply documented) only sees a 2xx the
///   description does not document now: it becomes `crate::rt::undocumented_reply`, and
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
    // `use super::{…, Error, …}` loses `Error` and the hooks' names; `use crate::rt::Error` comes.
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
            use crate::rt::Error;
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
                // client.exec(request, &info) → crate::rt::send(client, request, id)
                syn::Expr::MethodCall(call) if call.method == "exec" && call.args.len() == 2 => {
                    let client = &call.receiver;
                    let request = &call.args[0];
                    let id = &self.operation_id;
                    *expr = syn::parse_quote!(crate::rt::send(#client, #request, #id));
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
                            _ => Err(crate::rt::undocumented_reply(#response).await),
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
                    Client: ClientHooks<crate::rt::Inner>,
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
            "use crate::rt::Error;",
            "-> Result<ResponseValue<types::Pin>, Error> {",
            "let result = crate::rt::send(client, request, \"pins_create\").await;",
            "body.map_err(Error::InvalidRequest)?",
            ".post(url).form(&body).build()?",
            "_ => Err(crate::rt::undocumented_reply(response).await),",
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
