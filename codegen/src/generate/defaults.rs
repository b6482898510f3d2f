//! Request bodies built without ceremony: `Default` where every field has a default, `new`
//! where one or two fields have none.

use super::syntax::{has_derive, self_ident, types_module};
use crate::report::Pass;
use quote::ToTokens;
use std::collections::BTreeSet;
use syn::visit_mut::VisitMut;

/// The report line of [`request_defaults`].
pub const REQUEST_DEFAULTS: Pass = Pass {
    name: "request_defaults",
    unit: "types",
    why: "typify gives a struct `Default` only when every field had a default before the implied tags went, and no constructor at all, so `PinMediaSourceImageUrl` took `is_standard: true` written out: a request body whose every field has a default (the description's, or empty) gets `Default`, one with one or two fields without gets `new(those fields)`, every other field at its default",
};

/// The most fields without a default that [`request_defaults`] makes `new` take: with more,
/// positional arguments are easily swapped, and the builder asks for each by name.
pub const MAX_NEW_ARGUMENTS: usize = 2;

/// A struct's fields as its builder starts them: the default value, or `None` when the caller
/// must supply it.
struct Defaults {
    name: String,
    fields: Vec<(syn::Ident, Option<syn::Expr>)>,
}

/// typify's builder `Default` impl (`Self { a: Ok(value), b: Err("no value supplied ...") }`)
/// read as each field's default, with paths into the types module (`super::defaults::x()`)
/// made paths from it (`defaults::x()`).
fn builder_defaults(item: &syn::Item) -> Option<Defaults> {
    let syn::Item::Impl(imp) = item else {
        return None;
    };
    let (_, path, _) = imp.trait_.as_ref()?;
    if path.segments.last()?.ident != "Default" {
        return None;
    }
    let name = self_ident(&imp.self_ty)?;
    let body = imp.items.iter().find_map(|it| match it {
        syn::ImplItem::Fn(f) if f.sig.ident == "default" => Some(&f.block),
        _ => None,
    })?;
    let syn::Stmt::Expr(syn::Expr::Struct(value), None) = body.stmts.first()? else {
        return None;
    };
    let mut fields = Vec::new();
    for field in &value.fields {
        let syn::Member::Named(ident) = &field.member else {
            return None;
        };
        let syn::Expr::Call(call) = &field.expr else {
            return None;
        };
        let syn::Expr::Path(func) = &*call.func else {
            return None;
        };
        let default = if func.path.is_ident("Ok") {
            let mut expr = call.args.first()?.clone();
            FromTypes.visit_expr_mut(&mut expr);
            Some(expr)
        } else if func.path.is_ident("Err") {
            None
        } else {
            return None;
        };
        fields.push((ident.clone(), default));
    }
    Some(Defaults { name, fields })
}

/// Drops a leading `super::` from every path: the builder module's paths as the types module
/// writes them.
struct FromTypes;

impl VisitMut for FromTypes {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none()
            && path.segments.len() > 1
            && path.segments.first().is_some_and(|s| s.ident == "super")
        {
            path.segments = path.segments.iter().skip(1).cloned().collect();
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

/// Whether `expr` is `Default::default()`: what `#[derive(Default)]` writes.
fn is_plain_default(expr: &syn::Expr) -> bool {
    expr.to_token_stream().to_string() == "Default :: default ()"
}

/// For every struct a request body reaches (those that kept their builder,
/// [`super::builders::request_only_struct_builders`]), reads each field's default off its
/// builder (the description's `default`, else empty for an option, list or map, else none),
/// then:
///
/// - every field has one, and the struct has no `Default`: it gets one (derived when every
///   default is `Default::default()`), so `X { a, ..Default::default() }` works;
/// - one or two fields have none ([`MAX_NEW_ARGUMENTS`]): it gets `new(those fields)`, each
///   taking `impl Into<T>`, every other field at its default.
///
/// The values are the ones the builder starts with, so a body made either way is the body the
/// builder makes; serialisation is untouched. Returns the structs changed.
pub fn request_defaults(file: &mut syn::File) -> usize {
    let Some(types) = types_module(file) else {
        return 0;
    };
    let defaults: Vec<Defaults> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items.iter().filter_map(builder_defaults))
        .collect();
    let with_default: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) if has_derive(&s.attrs, "Default") => Some(s.ident.to_string()),
            syn::Item::Impl(imp)
                if imp.trait_.as_ref().is_some_and(|(_, p, _)| {
                    p.segments.last().is_some_and(|s| s.ident == "Default")
                }) =>
            {
                self_ident(&imp.self_ty)
            }
            _ => None,
        })
        .collect();
    let mut changed = 0;
    let mut added: Vec<syn::Item> = Vec::new();
    for Defaults { name, fields } in defaults {
        let Some(s) = types.iter_mut().find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        }) else {
            continue;
        };
        let syn::Fields::Named(named) = &s.fields else {
            continue;
        };
        // the builder's fields are the struct's, in its order
        let types_of: Vec<(&syn::Ident, &syn::Type)> = named
            .named
            .iter()
            .filter_map(|f| f.ident.as_ref().map(|i| (i, &f.ty)))
            .collect();
        if types_of.len() != fields.len()
            || types_of.iter().zip(&fields).any(|((a, _), (b, _))| *a != b)
        {
            continue;
        }
        let ident = s.ident.clone();
        let required: Vec<(&syn::Ident, &syn::Type)> = types_of
            .iter()
            .zip(&fields)
            .filter(|(_, (_, d))| d.is_none())
            .map(|(f, _)| *f)
            .collect();
        if required.is_empty() {
            if with_default.contains(&name) {
                continue;
            }
            if fields
                .iter()
                .all(|(_, d)| d.as_ref().is_some_and(is_plain_default))
            {
                s.attrs.push(syn::parse_quote!(#[derive(Default)]));
            } else {
                let members = fields.iter().map(|(f, _)| f);
                let values = fields.iter().filter_map(|(_, d)| d.as_ref());
                added.push(syn::parse_quote! {
                    impl ::std::default::Default for #ident {
                        fn default() -> Self {
                            Self { #(#members: #values,)* }
                        }
                    }
                });
            }
            changed += 1;
        } else if required.len() <= MAX_NEW_ARGUMENTS {
            let names: Vec<String> = required
                .iter()
                .map(|(f, _)| format!("`{}`", f.to_string().trim_start_matches("r#")))
                .collect();
            let doc = format!(
                "A `{name}` from its {}, the field{} the description requires; every other field \
                 takes its default, as `{name}::builder()` starts it.",
                names.join(" and "),
                if names.len() == 1 { "" } else { "s" },
            );
            let params = required.iter().map(|(f, ty)| -> syn::FnArg {
                syn::parse_quote!(#f: impl ::std::convert::Into<#ty>)
            });
            let values = fields.iter().map(|(f, d)| -> syn::FieldValue {
                match d {
                    Some(d) => syn::parse_quote!(#f: #d),
                    None => syn::parse_quote!(#f: #f.into()),
                }
            });
            let new: syn::ImplItem = syn::parse_quote! {
                #[doc = #doc]
                pub fn new(#(#params),*) -> Self {
                    Self { #(#values),* }
                }
            };
            added.push(syn::parse_quote! {
                impl #ident {
                    #new
                }
            });
            changed += 1;
        }
    }
    // a `new` joins the struct's inherent impl (its `builder()`), a `Default` stands alone
    for item in added {
        let syn::Item::Impl(imp) = &item else {
            continue;
        };
        let target = self_ident(&imp.self_ty);
        let is_trait = imp.trait_.is_some();
        let inherent = types.iter_mut().find_map(|it| match it {
            syn::Item::Impl(i)
                if !is_trait && i.trait_.is_none() && self_ident(&i.self_ty) == target =>
            {
                Some(i)
            }
            _ => None,
        });
        match (inherent, item) {
            (Some(inherent), syn::Item::Impl(imp)) => inherent.items.extend(imp.items),
            (_, item) => types.push(item),
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(file: &syn::File) -> String {
        file.to_token_stream().to_string()
    }

    #[test]
    fn a_struct_whose_every_field_has_a_default_gets_default_with_the_builders_values() {
        let mut f: syn::File = syn::parse_quote! { pub mod types {
            pub struct Src { pub is_standard: bool, pub note: Option<String> }
            pub mod builder {
                impl ::std::default::Default for Src {
                    fn default() -> Self {
                        Self {
                            is_standard: Ok(super::defaults::default_bool::<true>()),
                            note: Ok(Default::default()),
                        }
                    }
                }
            }
        } };
        assert_eq!(request_defaults(&mut f), 1);
        let out = text(&f);
        assert!(
            out.contains("impl :: std :: default :: Default for Src { fn default () -> Self { Self { is_standard : defaults :: default_bool :: < true > () , note : Default :: default () , } } }"),
            "{out}"
        );
        // once only
        assert_eq!(request_defaults(&mut f), 0);
    }

    #[test]
    fn plain_defaults_are_derived_and_existing_defaults_kept() {
        let mut f: syn::File = syn::parse_quote! { pub mod types {
            pub struct Plain { pub flag: bool }
            #[derive(Default)]
            pub struct Had { pub flag: bool }
            pub mod builder {
                impl ::std::default::Default for Plain {
                    fn default() -> Self { Self { flag: Ok(Default::default()) } }
                }
                impl ::std::default::Default for Had {
                    fn default() -> Self { Self { flag: Ok(Default::default()) } }
                }
            }
        } };
        assert_eq!(request_defaults(&mut f), 1);
        let out = text(&f);
        assert!(
            out.contains("# [derive (Default)] pub struct Plain"),
            "{out}"
        );
        assert_eq!(out.matches("derive (Default)").count(), 2, "{out}");
    }

    #[test]
    fn one_or_two_fields_without_default_make_new_more_make_nothing() {
        let mut f: syn::File = syn::parse_quote! { pub mod types {
            pub struct One { pub flag: bool, pub url: String }
            impl One { pub fn builder() -> builder::One { Default::default() } }
            pub struct Three { pub a: String, pub b: String, pub c: String }
            pub mod builder {
                impl ::std::default::Default for One {
                    fn default() -> Self {
                        Self { flag: Ok(Default::default()), url: Err("no value supplied for url".to_string()) }
                    }
                }
                impl ::std::default::Default for Three {
                    fn default() -> Self {
                        Self {
                            a: Err("no value supplied for a".to_string()),
                            b: Err("no value supplied for b".to_string()),
                            c: Err("no value supplied for c".to_string()),
                        }
                    }
                }
            }
        } };
        assert_eq!(request_defaults(&mut f), 1);
        let out = text(&f);
        assert!(
            out.contains("impl One { pub fn builder () -> builder :: One { Default :: default () } # [doc = \"A `One` from its `url`, the field the description requires; every other field takes its default, as `One::builder()` starts it.\"] pub fn new (url : impl :: std :: convert :: Into < String >) -> Self { Self { flag : Default :: default () , url : url . into () } } }"),
            "{out}"
        );
        assert!(!out.contains("impl Three"), "{out}");
    }
}
