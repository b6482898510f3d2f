//! The discriminator of a discriminated union is implied by the variant: callers do not write it.

use super::graph::{Seeds, TypeGraph, seeds};
use super::syntax::{has_derive, remove_derive, self_ident, types_module, wire_name};
use crate::fix;
use crate::report::Pass;
use quote::format_ident;
use serde_json::Value;
use std::collections::BTreeMap;
use syn::visit_mut::VisitMut;

/// The report line of [`implied_tags`].
pub const IMPLIED_TAGS: Pass = Pass {
    name: "implied_tags",
    unit: "types",
    why: "typify keeps the discriminator as a field of each variant, so a caller who picked `PinMediaSource::ImageUrl` writes `source_type: ImageUrl` again: the field goes, and serialisation writes the tag the variant implies, in its place",
};

/// Removes the field `member` from every struct expression (`Self { .. }`, `X { .. }`) it visits.
struct DropField<'a> {
    member: &'a syn::Ident,
}

impl VisitMut for DropField<'_> {
    fn visit_expr_struct_mut(&mut self, e: &mut syn::ExprStruct) {
        let kept: syn::punctuated::Punctuated<syn::FieldValue, syn::Token![,]> = e
            .fields
            .iter()
            .filter(|f| !matches!(&f.member, syn::Member::Named(m) if m == self.member))
            .cloned()
            .collect();
        e.fields = kept;
        syn::visit_mut::visit_expr_struct_mut(self, e);
    }
}

/// The variant structs whose tag is implied: struct name → (tag property, tag value). A struct
/// that two tag values (or two unions with different values) map to keeps its field.
pub fn implied(unions: &fix::Unions) -> BTreeMap<String, (String, String)> {
    let mut seen: BTreeMap<String, Option<(String, String)>> = BTreeMap::new();
    for (prop, mapping) in unions.values() {
        for (value, target) in mapping {
            let this = (prop.clone(), value.clone());
            seen.entry(target.clone())
                .and_modify(|e| {
                    if e.as_ref() != Some(&this) {
                        *e = None;
                    }
                })
                .or_insert(Some(this));
        }
    }
    seen.into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
}

/// In each variant struct of a discriminated union that a request body reaches (and one tag
/// value maps to), the
/// discriminator field goes: from the struct, its builder (field, setter, defaults and
/// conversions) and every struct expression of their impls. The struct's `Serialize` becomes a
/// derive on a private copy (`#[serde(remote)]`) whose tag field, at the place the field had,
/// is the constant tag value: the JSON sent is byte for byte what it was. Decoding reads the tag
/// where it always did: the union's `Deserialize` picks the variant by it. The tag's own type
/// stays (every schema keeps its type). Returns the structs changed.
pub fn implied_tags(file: &mut syn::File, unions: &fix::Unions) -> usize {
    let mut implied = implied(unions);
    let graph = TypeGraph::of(file);
    let requests = graph.closure(seeds(file, Seeds::Requests));
    implied.retain(|name, _| requests.contains(name));
    let Some(types) = types_module(file) else {
        return 0;
    };
    // struct → the identifier of its removed field
    let mut removed: BTreeMap<String, syn::Ident> = BTreeMap::new();
    let mut added = Vec::new();
    for item in types.iter_mut() {
        let syn::Item::Struct(s) = item else { continue };
        let name = s.ident.to_string();
        let Some((prop, value)) = implied.get(&name) else {
            continue;
        };
        let syn::Fields::Named(fields) = &s.fields else {
            continue;
        };
        let Some(pos) = fields
            .named
            .iter()
            .position(|f| wire_name(f).as_deref() == Some(prop.as_str()))
        else {
            continue;
        };
        if !has_derive(&s.attrs, "Serialize") {
            continue;
        }
        // the private copy that serialises: every field as it was, the tag a constant
        let ident = &s.ident;
        let wire = format_ident!("{}Wire", s.ident);
        let remote = ident.to_string();
        let mut copy = s.clone();
        copy.ident = wire.clone();
        copy.vis = syn::Visibility::Inherited;
        copy.attrs.retain(|a| a.path().is_ident("serde"));
        copy.attrs
            .insert(0, syn::parse_quote!(#[serde(remote = #remote)]));
        copy.attrs
            .insert(0, syn::parse_quote!(#[derive(::serde::Serialize)]));
        copy.attrs.insert(0, syn::parse_quote!(#[allow(dead_code)]));
        let mut member = None;
        if let syn::Fields::Named(fields) = &mut copy.fields {
            for (i, f) in fields.named.iter_mut().enumerate() {
                f.vis = syn::Visibility::Inherited;
                f.attrs.retain(|a| a.path().is_ident("serde"));
                if i == pos {
                    member = f.ident.clone();
                    f.attrs = vec![syn::parse_quote!(#[serde(rename = #prop, getter = "tag")])];
                    f.ty = syn::parse_quote!(&'static str);
                }
            }
        }
        let Some(member) = member else { continue };
        if let syn::Fields::Named(fields) = &mut s.fields {
            fields.named = fields
                .named
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != pos)
                .map(|(_, f)| f.clone())
                .collect();
        }
        remove_derive(&mut s.attrs, "Serialize");
        let doc = format!("Sent with `\"{prop}\": \"{value}\"`, the tag this variant implies.");
        s.attrs.push(syn::parse_quote!(#[doc = ""]));
        s.attrs.push(syn::parse_quote!(#[doc = #doc]));
        added.push(syn::parse_quote! {
            const _: () = {
                #copy
                fn tag(_: &#ident) -> &'static str {
                    #value
                }
                impl ::serde::Serialize for #ident {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        #wire::serialize(self, serializer)
                    }
                }
            };
        });
        removed.insert(name, member);
    }
    let count = removed.len();
    types.extend(added);
    // the impls of the changed structs, and their builders
    let strip = |items: &mut Vec<syn::Item>, in_builder: bool| {
        for item in items.iter_mut() {
            match item {
                syn::Item::Struct(s) if in_builder => {
                    if let Some(member) = removed.get(&s.ident.to_string())
                        && let syn::Fields::Named(fields) = &mut s.fields
                    {
                        fields.named = fields
                            .named
                            .iter()
                            .filter(|f| f.ident.as_ref() != Some(member))
                            .cloned()
                            .collect();
                    }
                }
                syn::Item::Impl(imp) => {
                    let Some(member) = self_ident(&imp.self_ty).and_then(|i| removed.get(&i))
                    else {
                        continue;
                    };
                    if in_builder && imp.trait_.is_none() {
                        imp.items.retain(
                            |it| !matches!(it, syn::ImplItem::Fn(f) if &f.sig.ident == member),
                        );
                    }
                    DropField { member }.visit_item_impl_mut(imp);
                }
                _ => {}
            }
        }
    };
    strip(types, false);
    for item in types.iter_mut() {
        if let syn::Item::Mod(m) = item
            && m.ident == "builder"
            && let Some((_, items)) = m.content.as_mut()
        {
            strip(items, true);
        }
    }
    count
}

/// The pass as [`super::PASSES`] runs it, on the unions read off the description.
pub fn run(spec: &Value, file: &mut syn::File) -> Result<usize, String> {
    let unions = fix::discriminated_unions(spec);
    Ok(implied_tags(file, &unions))
}
