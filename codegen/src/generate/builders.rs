//! Struct builders only for the structs a request body reaches.

use super::graph::{Seeds, TypeGraph, seeds};
use super::syntax::{self_ident, types_module};
use crate::report::Pass;

/// The report line of [`request_only_struct_builders`].
pub const REQUEST_ONLY_STRUCT_BUILDERS: Pass = Pass {
    name: "request_only_struct_builders",
    unit: "types",
    why: "typify writes a builder for every struct (half the generated lines); only request bodies are built by callers: the builders of the other structs go",
};

/// typify gives every generated struct a builder (`types::builder::X`, about half of all
/// generated lines). Callers build request bodies (progenitor's `body_map` hands them the
/// body's builder); replies are only read. This keeps the builders of the structs a request body
/// reaches, found on the syntax tree (operation builders' `types::builder::X` fields, then every
/// type those types name), and removes the rest with their `builder()` constructors.
/// Returns the builders removed.
pub fn request_only_struct_builders(file: &mut syn::File) -> usize {
    let graph = TypeGraph::of(file);
    let keep = graph.closure(seeds(file, Seeds::BodyBuilders));
    let Some(types) = types_module(file) else {
        return 0;
    };
    let mut dropped = 0;
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
                            dropped += usize::from(!keep_it);
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
    dropped
}

/// The report line of [`builder_setters`].
pub const BUILDER_SETTERS: Pass = Pass {
    name: "builder_setters",
    unit: "fields",
    why: "typify's setter of an optional field takes `TryInto<Option<T>>`, so `.title(\"Pasta\")` does not compile, and a required field left unset fails with `no value supplied for url`, naming neither the type nor the call that fixes it: optional setters take the value, text for a text field, or an `Option` (`None` leaves it unset), and the error names the type and the setter",
};

/// The option type `T` of a setter `fn f<T>(mut self, value: T) where T: TryInto<Option<X>>`:
/// `Some(X)` for a setter of an optional field.
fn optional_setter(f: &syn::ImplItemFn) -> Option<syn::Type> {
    let clause = f.sig.generics.where_clause.as_ref()?;
    clause.predicates.iter().find_map(|p| {
        let syn::WherePredicate::Type(p) = p else {
            return None;
        };
        p.bounds.iter().find_map(|b| {
            let syn::TypeParamBound::Trait(t) = b else {
                return None;
            };
            let last = t.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            let Some(syn::GenericArgument::Type(syn::Type::Path(ty))) = args.args.first() else {
                return None;
            };
            let option = ty.path.segments.last()?;
            if option.ident != "Option" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(inner) = &option.arguments else {
                return None;
            };
            match inner.args.first() {
                Some(syn::GenericArgument::Type(t)) if inner.args.len() == 1 => Some(t.clone()),
                _ => None,
            }
        })
    })
}

/// The trait the optional setters take, added to `types::builder` beside them.
fn optional_trait() -> Vec<syn::Item> {
    let file: syn::File = syn::parse_quote! {
        /// A value for a builder's optional field: the value itself (text from a `&str`, for
        /// a text field), or an `Option` of it, `None` leaving the field unset.
        ///
        /// ```
        /// # #[cfg(feature = "pins")] {
        /// use pinterest_v5::types::PinCreate;
        /// let builder = PinCreate::builder()
        ///     .title("Weeknight pasta")
        ///     .description(None)
        ///     .board_id(String::from("549755885175"));
        /// let pin = PinCreate::try_from(builder).expect("no field is required");
        /// assert_eq!(pin.title.as_deref(), Some("Weeknight pasta"));
        /// # }
        /// ```
        pub trait Optional<T> {
            /// The field's new value.
            fn into_option(self) -> ::std::option::Option<T>;
        }
        impl<T> Optional<T> for T {
            fn into_option(self) -> ::std::option::Option<T> {
                ::std::option::Option::Some(self)
            }
        }
        impl<T> Optional<T> for ::std::option::Option<T> {
            fn into_option(self) -> ::std::option::Option<T> {
                self
            }
        }
        impl Optional<::std::string::String> for &str {
            fn into_option(self) -> ::std::option::Option<::std::string::String> {
                ::std::option::Option::Some(self.to_string())
            }
        }
        impl Optional<::std::string::String> for &::std::string::String {
            fn into_option(self) -> ::std::option::Option<::std::string::String> {
                ::std::option::Option::Some(self.clone())
            }
        }
    };
    file.items
}

/// In the struct builders of `types::builder`:
///
/// - the setter of an optional field (`Option<X>`) takes any [`Optional`]-like value: `X`
///   itself, `Option<X>`, and for text `&str` and `&String` too; it cannot fail, so the field
///   is set as given;
/// - a required field left unset fails the build with an error naming the field, its type and
///   the setter that fixes it (typify's says `no value supplied for url`).
///
/// The trait `Optional` is added to the module when a setter takes it. Returns the fields
/// whose setter or error changed.
pub fn builder_setters(file: &mut syn::File) -> usize {
    let Some(types) = types_module(file) else {
        return 0;
    };
    let Some(items) = types.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return 0;
    };
    // a type of the description named so keeps typify's setters
    let free = !items
        .iter()
        .any(|it| super::syntax::item_ident(it).is_some_and(|i| i == "Optional"));
    let mut changed = 0;
    let mut optional = false;
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(name) = self_ident(&imp.self_ty) else {
            continue;
        };
        let is_default = imp
            .trait_
            .as_ref()
            .is_some_and(|(_, p, _)| p.segments.last().is_some_and(|s| s.ident == "Default"));
        for it in imp.items.iter_mut() {
            let syn::ImplItem::Fn(f) = it else { continue };
            if is_default && f.sig.ident == "default" {
                changed += missing_field_errors(&name, f);
            } else if free
                && imp.trait_.is_none()
                && let Some(inner) = optional_setter(f)
            {
                let ident = &f.sig.ident;
                let vis = &f.vis;
                *f = syn::parse_quote! {
                    #vis fn #ident<T>(mut self, value: T) -> Self
                    where
                        T: Optional<#inner>,
                    {
                        self.#ident = Ok(value.into_option());
                        self
                    }
                };
                optional = true;
                changed += 1;
            }
        }
    }
    if optional {
        items.extend(optional_trait());
    }
    changed
}

/// Rewrites the `Err("no value supplied for x")` of the builder `name`'s `default()`; returns
/// how many.
fn missing_field_errors(name: &str, f: &mut syn::ImplItemFn) -> usize {
    let Some(syn::Stmt::Expr(syn::Expr::Struct(value), None)) = f.block.stmts.first_mut() else {
        return 0;
    };
    let mut changed = 0;
    for field in value.fields.iter_mut() {
        let syn::Member::Named(ident) = &field.member else {
            continue;
        };
        let syn::Expr::Call(call) = &field.expr else {
            continue;
        };
        if !matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("Err")) {
            continue;
        }
        let message =
            format!("no value supplied for `{ident}` of `{name}`: set it with `.{ident}(…)`");
        field.expr = syn::parse_quote!(Err(#message.to_string()));
        changed += 1;
    }
    changed
}
