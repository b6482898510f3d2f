//! String enums: tolerant of values the API adds, and one enum per list of values.

use super::syntax::{has_derive, item_ident, remove_derive, self_ident, types_module};
use crate::report::Pass;
use quote::{format_ident, quote};
use std::collections::BTreeMap;
use syn::visit_mut::VisitMut;

/// The report line of [`tolerant_enums`].
pub const TOLERANT_ENUMS: Pass = Pass {
    name: "tolerant_enums",
    unit: "enums",
    why: "generated enums have no catch-all, so a value the API adds fails the decode: each string enum gains `UnknownValue(String)`",
};

/// A generated string enum gains `UnknownValue(String)`: values the API adds decode (and
/// re-encode) as they came instead of failing the whole reply. `Copy` goes (a `String` is not
/// `Copy`); `Display` and `FromStr` learn the new variant. serde's derives give way to two
/// one-line impls through `Display`/`FromStr` (`crate::rt`): a derive with a catch-all
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
                    crate::rt::deserialize_from_str(deserializer)
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

/// The report line of [`duplicate_enums`].
pub const DUPLICATE_ENUMS: Pass = Pass {
    name: "duplicate_enums",
    unit: "enums",
    why: "typify writes one enum per inline schema, so a list of values repeated inline (176 report columns on each analytics operation) is compiled once per place: identical string enums become aliases of one",
};

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
