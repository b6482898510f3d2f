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
