//! Discriminated unions decode by their tag.

use super::syntax::{remove_derive, types_module};
use crate::fix;
use crate::report::Pass;
use quote::quote;
use serde_json::Value;
use std::collections::BTreeMap;

/// The report line of [`discriminated_unions`].
pub const DISCRIMINATED_UNIONS: Pass = Pass {
    name: "discriminated_unions",
    unit: "schemas",
    why: "typify decodes `oneOf` untagged (first fit wins, so a refresh reply decodes as a code-exchange reply): the discriminator picks the variant",
};

/// A `oneOf` with a `discriminator` decodes by its tag: `Deserialize` is replaced by
/// `crate::rt::deserialize_tagged`, which finds the tag property and hands the object to
/// the variant the mapping names in one pass; an unknown or missing tag falls back to the first
/// variant that fits. Serialisation is unchanged (untagged: each
/// variant carries its tag itself). Returns the count rewritten and the unions not found.
pub fn discriminated_unions(file: &mut syn::File, unions: &fix::Unions) -> (usize, Vec<String>) {
    let Some(items) = types_module(file) else {
        return (0, unions.keys().cloned().collect());
    };
    let mut done = Vec::new();
    let mut impls = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Enum(e) = item else { continue };
        let Some((prop, mapping)) = unions.get(&e.ident.to_string()) else {
            continue;
        };
        // variant ident by the name of the type it wraps
        let mut by_type: BTreeMap<String, (syn::Ident, syn::Type)> = BTreeMap::new();
        let mut fallback = Vec::new();
        for v in &e.variants {
            let syn::Fields::Unnamed(fields) = &v.fields else {
                continue;
            };
            let Some(field) = fields.unnamed.first() else {
                continue;
            };
            let ty = field.ty.clone();
            if let syn::Type::Path(tp) = &ty
                && let Some(last) = tp.path.segments.last()
            {
                by_type.insert(last.ident.to_string(), (v.ident.clone(), ty.clone()));
            }
            fallback.push((v.ident.clone(), ty));
        }
        let arms: Vec<_> = mapping
            .iter()
            .filter_map(|(value, target)| {
                let (variant, ty) = by_type.get(target)?;
                Some(quote! {
                    #value => <#ty as ::serde::Deserialize>::deserialize(deserializer).map(Self::#variant),
                })
            })
            .collect();
        if arms.is_empty() {
            continue;
        }
        let known: Vec<&String> = mapping
            .iter()
            .filter(|(_, target)| by_type.contains_key(target))
            .map(|(value, _)| value)
            .collect();
        remove_derive(&mut e.attrs, "Deserialize");
        let name = &e.ident;
        done.push(name.to_string());
        let message = format!("the reply matches no variant of {name}");
        let tries = fallback.iter().map(|(variant, ty)| {
            quote! {
                if let Ok(v) = ::serde_json::from_value::<#ty>(value.clone()) {
                    return Ok(Self::#variant(v));
                }
            }
        });
        impls.push(syn::parse_quote! {
            impl crate::rt::TaggedUnion for #name {
                const TAG: &'static str = #prop;
                fn known(tag: &str) -> ::std::option::Option<&'static str> {
                    match tag {
                        #(#known => ::std::option::Option::Some(#known),)*
                        _ => ::std::option::Option::None,
                    }
                }
                fn decode_tagged<'de, D: ::serde::Deserializer<'de>>(tag: &str, deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    match tag {
                        #(#arms)*
                        _ => Err(<D::Error as ::serde::de::Error>::custom(#message)),
                    }
                }
                fn decode_untagged(value: ::serde_json::Value) -> ::std::result::Result<Self, ::serde_json::Error> {
                    #(#tries)*
                    Err(<::serde_json::Error as ::serde::de::Error>::custom(#message))
                }
            }
        });
        impls.push(syn::parse_quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    crate::rt::deserialize_tagged(deserializer)
                }
            }
        });
    }
    let found = done.len();
    items.extend(impls);
    let missing = unions
        .keys()
        .filter(|k| !done.contains(k))
        .cloned()
        .collect();
    (found, missing)
}

/// The pass as [`super::PASSES`] runs it: the unions read off the description, rewritten in the
/// tree; a union with no generated enum fails the generation (unless `PV5_DEBUG` is set).
pub fn run(spec: &Value, file: &mut syn::File) -> Result<usize, String> {
    let unions = fix::discriminated_unions(spec);
    let (found, missing) = discriminated_unions(file, &unions);
    if !missing.is_empty() && std::env::var_os("PV5_DEBUG").is_none() {
        return Err(format!(
            "discriminated_unions: rewrote {found} discriminated unions, but found no generated enum for {}",
            missing.join(", ")
        ));
    }
    Ok(found)
}
