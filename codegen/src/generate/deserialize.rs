//! Less decoding code: none for types only requests carry, a map visitor alone for the rest.

use super::graph::{Seeds, TypeGraph, seeds};
use super::syntax::{
    has_derive, item_ident, remove_derive, self_ident, strip_orphan_serde_attrs, types_module,
};
use crate::report::Pass;
use quote::{format_ident, quote};

/// The report line of [`request_only_deserialize`].
pub const REQUEST_ONLY_DESERIALIZE: Pass = Pass {
    name: "request_only_deserialize",
    unit: "types",
    why: "types that only travel in requests are never decoded: they lose `Deserialize`, the largest part of their generated code",
};

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
    strip_orphan_serde_attrs(types);
    n
}

/// The report line of [`compact_deserialize`].
pub const COMPACT_DESERIALIZE: Pass = Pass {
    name: "compact_deserialize",
    unit: "structs",
    why: "serde's derived `Deserialize` (field enum, sequence visitor, map visitor) is the largest share of compile time; replies are JSON objects: a map visitor alone, with one small function matching field names",
};

/// serde's derive writes, for every decoded struct, a field enum with its own visitor, a
/// visitor for the sequence form (which JSON objects never take) and one for the map form,
/// with a duplicate check per field: the largest single share of the crate's compile time
/// (`-Z self-profile`: type checking and borrow checking of `Deserialize` impls came first).
/// Replies only ever arrive as JSON objects: each plain struct gets a map visitor alone, its
/// field names matched by one small function per struct (read through the shared
/// `crate::rt::Field`), unknown fields
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
                            while let Some(field) = map.next_key_seed(crate::rt::Field(field))? {
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
    strip_orphan_serde_attrs(items);
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
