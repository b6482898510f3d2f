//! Shared helpers for the passes: reading and editing progenitor's syntax tree.

use syn::visit_mut::VisitMut;

/// Whether `attrs` derive `name`.
pub(crate) fn has_derive(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|paths| {
                paths
                    .iter()
                    .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
            })
    })
}

/// The items of progenitor's `types` module (typify's types).
pub(crate) fn types_module(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    module_items(file, "types")
}

/// The items of the generated module `name` (`types`, `builder`).
pub(crate) fn module_items<'f>(
    file: &'f mut syn::File,
    name: &str,
) -> Option<&'f mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// Removes `name` from every `#[derive(...)]` of `attrs`.
pub(crate) fn remove_derive(attrs: &mut [syn::Attribute], name: &str) {
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

/// Runs `visitor` over progenitor's `builder` module (the operations' request builders).
pub(crate) fn visit_builder_module(file: &mut syn::File, visitor: &mut impl VisitMut) {
    for item in file.items.iter_mut() {
        if let syn::Item::Mod(m) = item
            && m.ident == "builder"
        {
            visitor.visit_item_mod_mut(m);
        }
    }
}

/// The names of a path's segments, generic arguments left out: `types::PinCreate` is
/// `["types", "PinCreate"]`.
pub(crate) fn segment_names(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// The last segment of a path type (`types::Pin` → `Pin`): an impl's self type.
pub(crate) fn self_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The name of a struct, enum or type alias.
pub(crate) fn item_ident(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

/// Removes the `#[serde(...)]` attributes of every struct of `items` that derives neither
/// `Serialize` nor `Deserialize` (its serialisation written by hand), and of its fields: no
/// derive is left to read them.
pub(crate) fn strip_orphan_serde_attrs(items: &mut [syn::Item]) {
    for item in items.iter_mut() {
        let syn::Item::Struct(s) = item else { continue };
        if has_derive(&s.attrs, "Serialize") || has_derive(&s.attrs, "Deserialize") {
            continue;
        }
        s.attrs.retain(|a| !a.path().is_ident("serde"));
        for field in s.fields.iter_mut() {
            field.attrs.retain(|a| !a.path().is_ident("serde"));
        }
    }
}

/// The `#[serde(rename = "…")]` of `attrs`.
pub(crate) fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| {
        if !attr.path().is_ident("serde") {
            return None;
        }
        let mut renamed = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                renamed = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        renamed
    })
}

/// The JSON name of a struct field: its `#[serde(rename = "...")]`, else its identifier.
pub(crate) fn wire_name(field: &syn::Field) -> Option<String> {
    if let Some(renamed) = serde_rename(&field.attrs) {
        return Some(renamed);
    }
    let ident = field.ident.as_ref()?.to_string();
    Some(ident.trim_start_matches("r#").to_string())
}

/// `T` when `ty` is `…::Wrapper<T>`.
pub(crate) fn generic_arg<'t>(ty: &'t syn::Type, wrapper: &str) -> Option<&'t syn::Type> {
    let syn::Type::Path(tp) = ty else { return None };
    let last = tp.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}
