//! Secrets in the generated code, as the description names them.
//!
//! - Which fields carry a secret: properties and parameters whose name says token, secret,
//!   password or key (`access_token`, `partner_refresh_token`, `client_secret`, `api_key`,
//!   `cryptographic_key`, `x-amz-security-token`), or whose format is `password`, plus the names
//!   of the security schemes (and of their `apiKey` parameters). Read off the description, so a
//!   release that adds one is covered without a change here.
//! - The pass [`secrets`]: every generated type with such a field (models, their builders, the
//!   operation builders) loses its derived `Debug` for one that shows `[redacted]` in the
//!   field's place (`Some([redacted])` / `None` for an optional one). Types that hold those
//!   types need nothing: their `Debug` calls the redacted one.
//! - Which security schemes take the app's own credentials (HTTP Basic): the generated
//!   `APP_CREDENTIAL_SCHEMES`, by which the runtime gives an operation authorised by them the
//!   app's Basic credentials, or refuses to send it without them.
//! - `types::__secret_samples::all`: one value of every type that can hold a secret, each
//!   secret field set, for the test that no `Debug` shows one (not a stable API).

use serde_json::Value;
use std::collections::BTreeSet;

/// Whether a property or parameter named `name` carries a secret: its last word (split at
/// `_`, `-`, `.` and case changes) is token, secret, password or credentials, or it is a key
/// that says what for (`api_key`, `access_key`, `private_key`, `cryptographic_key`, …; a bare
/// `key` or a `subscriber_key` is an identifier).
///
/// ```
/// use pinterest_v5_codegen::secrets::is_secret_name;
/// for secret in ["access_token", "partner_refresh_token", "client_secret", "password",
///                "api_key", "apiKey", "cryptographic_key", "x-amz-security-token", "token"] {
///     assert!(is_secret_name(secret), "{secret}");
/// }
/// for plain in ["token_type", "refresh_token_expires_in", "partner_access_token_expiry",
///               "key", "subscriber_key", "keywords", "TITLE_KEYWORDS", "tokens_used_count"] {
///     assert!(!is_secret_name(plain), "{plain}");
/// }
/// ```
pub fn is_secret_name(name: &str) -> bool {
    let words = words(name);
    let Some(last) = words.last() else {
        return false;
    };
    match last.as_str() {
        "token" | "secret" | "password" | "passwd" | "passphrase" | "credentials" | "apikey" => {
            true
        }
        "key" => words.len() >= 2 && KEY_QUALIFIERS.contains(&words[words.len() - 2].as_str()),
        _ => false,
    }
}

/// The words before `key` that make it a secret.
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "secret",
    "private",
    "cryptographic",
    "crypto",
    "encryption",
    "decryption",
    "signing",
    "client",
    "session",
    "app",
];

/// `name` split at non-alphanumerics and lower-to-upper case changes, lower-cased.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut lower_before = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            lower_before = false;
            continue;
        }
        if c.is_ascii_uppercase() && lower_before && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        lower_before = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Every property and parameter name of the description that carries a secret (by
/// [`is_secret_name`], or by `format: password`), with the names of its security schemes and
/// of their `apiKey` parameters.
pub fn secret_names(spec: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    collect(spec, &mut names);
    if let Some(schemes) = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
    {
        for (scheme, body) in schemes {
            names.insert(scheme.clone());
            if body.get("type").and_then(Value::as_str) == Some("apiKey")
                && let Some(name) = body.get("name").and_then(Value::as_str)
            {
                names.insert(name.to_string());
            }
        }
    }
    names
}

fn is_password(schema: &Value) -> bool {
    schema.get("format").and_then(Value::as_str) == Some("password")
}

fn collect(v: &Value, names: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let Some(props) = map.get("properties").and_then(Value::as_object) {
                for (name, schema) in props {
                    if is_secret_name(name) || is_password(schema) {
                        names.insert(name.clone());
                    }
                }
            }
            // A parameter: `in` and `name`.
            if map.get("in").and_then(Value::as_str).is_some()
                && let Some(name) = map.get("name").and_then(Value::as_str)
                && (is_secret_name(name) || map.get("schema").is_some_and(is_password))
            {
                names.insert(name.to_string());
            }
            for value in map.values() {
                collect(value, names);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, names)),
        _ => {}
    }
}

/// The security schemes authorised by the app's own credentials: type `http`, scheme `basic`.
///
/// ```
/// let spec = serde_json::json!({"components": {"securitySchemes": {
///     "basic": {"type": "http", "scheme": "basic"},
///     "oauth": {"type": "oauth2", "flows": {}},
/// }}});
/// assert_eq!(pinterest_v5_codegen::secrets::app_credential_schemes(&spec), ["basic"]);
/// ```
pub fn app_credential_schemes(spec: &Value) -> Vec<String> {
    spec.pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, s)| {
            s.get("type").and_then(Value::as_str) == Some("http")
                && s.get("scheme")
                    .and_then(Value::as_str)
                    .is_some_and(|x| x.eq_ignore_ascii_case("basic"))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

#[cfg(feature = "generate")]
pub use pass::secrets;

/// The report line of [`secrets`].
#[cfg(feature = "generate")]
pub const REDACTED_DEBUG: crate::report::Pass = crate::report::Pass {
    name: "redacted_debug",
    unit: "types",
    why: "typify and progenitor derive `Debug` on every type, so a token, secret, password or key field (named so in the description, or `format: password`) printed in clear: those types get a `Debug` that shows `[redacted]` for it",
};

/// [`secrets`] as a row of `generate::PASSES`.
#[cfg(feature = "generate")]
pub fn run(spec: &Value, file: &mut syn::File) -> Result<usize, String> {
    Ok(secrets(file, spec))
}

#[cfg(feature = "generate")]
mod pass {
    use super::{app_credential_schemes, secret_names};
    use crate::generate::syntax::{has_derive, remove_derive, wire_name};
    use quote::{format_ident, quote};
    use serde_json::Value;
    use std::collections::{BTreeMap, BTreeSet};

    /// The pass (see the [module documentation](super)): redacted `Debug` impls, the list of
    /// app-credential schemes, the samples. Returns the types whose `Debug` it rewrote.
    pub fn secrets(file: &mut syn::File, spec: &Value) -> usize {
        let names = secret_names(spec);
        let mut redacted = 0;
        let mut redacted_types = BTreeSet::new();
        let mut op_builders = Vec::new();
        for item in file.items.iter_mut() {
            let syn::Item::Mod(m) = item else { continue };
            let Some((_, items)) = m.content.as_mut() else {
                continue;
            };
            if m.ident == "types" {
                redacted += redact_items(items, &names, &mut redacted_types);
                for item in items.iter_mut() {
                    if let syn::Item::Mod(b) = item
                        && b.ident == "builder"
                        && let Some((_, items)) = b.content.as_mut()
                    {
                        redacted += redact_items(items, &names, &mut BTreeSet::new());
                    }
                }
            } else if m.ident == "builder" {
                let mut found = BTreeSet::new();
                redacted += redact_items(items, &names, &mut found);
                for item in items.iter() {
                    if let syn::Item::Struct(s) = item
                        && found.contains(&s.ident.to_string())
                    {
                        op_builders.push(s.clone());
                    }
                }
            }
        }
        let schemes = app_credential_schemes(spec);
        file.items.push(syn::parse_quote! {
            /// The security schemes authorised by the app's own credentials (HTTP Basic), read
            /// off the description: an operation they alone authorise gets the app's Basic
            /// credentials, or is refused before it is sent.
            pub(crate) const APP_CREDENTIAL_SCHEMES: &[&str] = &[#(#schemes),*];
        });
        let fields = names.iter();
        file.items.push(syn::parse_quote! {
            /// The names of the properties and parameters that carry a secret, read off the
            /// description: what an error shows of a reply has their values redacted.
            pub(crate) const SECRET_FIELDS: &[&str] = &[#(#fields),*];
        });
        let samples = samples(file, &names, &redacted_types, &op_builders);
        if let Some(types) = file.items.iter_mut().find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, i)| i),
            _ => None,
        }) {
            types.push(samples);
        }
        redacted
    }

    fn is_secret(field: &syn::Field, names: &BTreeSet<String>) -> bool {
        wire_name(field).is_some_and(|n| names.contains(&n))
    }

    /// The last segment of a path type, and its single generic argument when it has one.
    fn last_segment(ty: &syn::Type) -> Option<(String, Option<&syn::Type>)> {
        let syn::Type::Path(p) = ty else { return None };
        let seg = p.path.segments.last()?;
        let arg = match &seg.arguments {
            syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            }),
            _ => None,
        };
        Some((seg.ident.to_string(), arg))
    }

    /// What a field shows in a redacted `Debug`.
    fn shown(field: &syn::Field, access: syn::Expr, secret: bool) -> syn::Expr {
        if !secret {
            return syn::parse_quote!(&#access);
        }
        match last_segment(&field.ty) {
            Some((name, Some(_))) if name == "Option" => {
                syn::parse_quote!(&#access.as_ref().map(|_| crate::rt::Redacted))
            }
            _ => syn::parse_quote!(&crate::rt::Redacted),
        }
    }

    /// Rewrites the `Debug` of every struct or enum of `items` with a secret field; records
    /// their names in `found`. Returns how many.
    fn redact_items(
        items: &mut Vec<syn::Item>,
        names: &BTreeSet<String>,
        found: &mut BTreeSet<String>,
    ) -> usize {
        let mut impls = Vec::new();
        for item in items.iter_mut() {
            match item {
                syn::Item::Struct(s)
                    if has_derive(&s.attrs, "Debug")
                        && s.fields.iter().any(|f| is_secret(f, names)) =>
                {
                    remove_derive(&mut s.attrs, "Debug");
                    impls.push(struct_debug(s, names));
                    found.insert(s.ident.to_string());
                }
                syn::Item::Enum(e)
                    if has_derive(&e.attrs, "Debug")
                        && e.variants
                            .iter()
                            .any(|v| v.fields.iter().any(|f| is_secret(f, names))) =>
                {
                    remove_derive(&mut e.attrs, "Debug");
                    impls.push(enum_debug(e, names));
                    found.insert(e.ident.to_string());
                }
                _ => {}
            }
        }
        let n = impls.len();
        items.extend(impls);
        n
    }

    fn struct_debug(s: &syn::ItemStruct, names: &BTreeSet<String>) -> syn::Item {
        let ident = &s.ident;
        let title = ident.to_string();
        let (impl_g, ty_g, where_c) = s.generics.split_for_impl();
        let body = match &s.fields {
            syn::Fields::Named(fields) => {
                let calls = fields.named.iter().map(|f| {
                    let name = f.ident.as_ref().expect("a named field");
                    let label = name.to_string().trim_start_matches("r#").to_string();
                    let value = shown(f, syn::parse_quote!(self.#name), is_secret(f, names));
                    quote!(.field(#label, #value))
                });
                quote!(f.debug_struct(#title)#(#calls)*.finish())
            }
            syn::Fields::Unnamed(fields) => {
                let calls = fields.unnamed.iter().enumerate().map(|(i, f)| {
                    let index = syn::Index::from(i);
                    let value = shown(f, syn::parse_quote!(self.#index), is_secret(f, names));
                    quote!(.field(#value))
                });
                quote!(f.debug_tuple(#title)#(#calls)*.finish())
            }
            syn::Fields::Unit => quote!(f.write_str(#title)),
        };
        syn::parse_quote! {
            impl #impl_g ::std::fmt::Debug for #ident #ty_g #where_c {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #body
                }
            }
        }
    }

    fn enum_debug(e: &syn::ItemEnum, names: &BTreeSet<String>) -> syn::Item {
        let ident = &e.ident;
        let (impl_g, ty_g, where_c) = e.generics.split_for_impl();
        let arms = e.variants.iter().map(|v| {
            let variant = &v.ident;
            let title = variant.to_string();
            match &v.fields {
                syn::Fields::Named(fields) => {
                    let bound: Vec<_> = fields.named.iter().map(|f| f.ident.clone()).collect();
                    let calls = fields.named.iter().map(|f| {
                        let name = f.ident.as_ref().expect("a named field");
                        let label = name.to_string().trim_start_matches("r#").to_string();
                        let value = shown(f, syn::parse_quote!((*#name)), is_secret(f, names));
                        quote!(.field(#label, #value))
                    });
                    quote!(Self::#variant { #(#bound),* } => f.debug_struct(#title)#(#calls)*.finish())
                }
                syn::Fields::Unnamed(fields) => {
                    let bound: Vec<_> =
                        (0..fields.unnamed.len()).map(|i| format_ident!("v{i}")).collect();
                    let calls = fields.unnamed.iter().zip(&bound).map(|(f, b)| {
                        let value = shown(f, syn::parse_quote!((*#b)), is_secret(f, names));
                        quote!(.field(#value))
                    });
                    quote!(Self::#variant(#(#bound),*) => f.debug_tuple(#title)#(#calls)*.finish())
                }
                syn::Fields::Unit => quote!(Self::#variant => f.write_str(#title)),
            }
        });
        syn::parse_quote! {
            impl #impl_g ::std::fmt::Debug for #ident #ty_g #where_c {
                // A secret field is bound, and not shown.
                #[allow(unused_variables)]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#arms,)*
                    }
                }
            }
        }
    }

    // ----- samples ------------------------------------------------------------------------

    /// The generated models, by name.
    struct Models<'a> {
        items: BTreeMap<String, &'a syn::Item>,
        builders: BTreeSet<String>,
        /// Models that can hold a secret (a secret field, or a model that can, within).
        holders: BTreeSet<String>,
        names: &'a BTreeSet<String>,
    }

    impl<'a> Models<'a> {
        fn of(
            types: &'a [syn::Item],
            names: &'a BTreeSet<String>,
            redacted: &BTreeSet<String>,
        ) -> Self {
            let mut items = BTreeMap::new();
            let mut builders = BTreeSet::new();
            for item in types {
                match item {
                    syn::Item::Struct(s) => {
                        items.insert(s.ident.to_string(), item);
                    }
                    syn::Item::Enum(e) => {
                        items.insert(e.ident.to_string(), item);
                    }
                    syn::Item::Type(t) => {
                        items.insert(t.ident.to_string(), item);
                    }
                    syn::Item::Mod(m) if m.ident == "builder" => {
                        for b in m.content.iter().flat_map(|(_, i)| i) {
                            if let syn::Item::Struct(s) = b {
                                builders.insert(s.ident.to_string());
                            }
                        }
                    }
                    _ => {}
                }
            }
            let mut models = Models {
                items,
                builders,
                holders: redacted.clone(),
                names,
            };
            // Grow the holders to a fixed point: a model naming a holder holds one.
            loop {
                let before = models.holders.len();
                let grown: Vec<String> = models
                    .items
                    .iter()
                    .filter(|(name, item)| {
                        !models.holders.contains(*name) && models.names_holder(item)
                    })
                    .map(|(name, _)| name.clone())
                    .collect();
                models.holders.extend(grown);
                if models.holders.len() == before {
                    break;
                }
            }
            models
        }

        fn names_holder(&self, item: &syn::Item) -> bool {
            let types: Vec<&syn::Type> = match item {
                syn::Item::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
                syn::Item::Enum(e) => e
                    .variants
                    .iter()
                    .flat_map(|v| v.fields.iter().map(|f| &f.ty))
                    .collect(),
                syn::Item::Type(t) => vec![&*t.ty],
                _ => Vec::new(),
            };
            types.into_iter().any(|t| self.type_holds(t))
        }

        /// Whether a value of `ty` can hold a secret.
        fn type_holds(&self, ty: &syn::Type) -> bool {
            let syn::Type::Path(p) = ty else { return false };
            p.path.segments.iter().any(|seg| {
                self.holders.contains(&seg.ident.to_string())
                    || match &seg.arguments {
                        syn::PathArguments::AngleBracketed(a) => a.args.iter().any(
                            |a| matches!(a, syn::GenericArgument::Type(t) if self.type_holds(t)),
                        ),
                        _ => false,
                    }
            })
        }

        /// An expression of type `ty` in a sample function (whose `secret` and `depth` it
        /// reads): `secret` in place of the value when `secret`; otherwise holding a secret
        /// where it can. Each optional, repeated or mapped value (`within` one) takes one from
        /// `depth`, and is left out when none is left: a recursive model goes through one.
        fn value(&self, ty: &syn::Type, secret: bool, within: bool) -> syn::Expr {
            let Some((name, arg)) = last_segment(ty) else {
                return syn::parse_quote!(::std::default::Default::default());
            };
            let map_value = map_value(ty);
            match (name.as_str(), arg) {
                ("Option", Some(inner)) if secret => {
                    let v = self.value(inner, true, true);
                    syn::parse_quote!(::std::option::Option::Some(#v))
                }
                ("Option", Some(inner)) if self.type_holds(inner) => {
                    let v = self.value(inner, false, true);
                    syn::parse_quote!(if depth > 0 { ::std::option::Option::Some(#v) } else { ::std::option::Option::None })
                }
                ("Option", Some(_)) => syn::parse_quote!(::std::option::Option::None),
                ("Vec", Some(inner)) if secret => {
                    let v = self.value(inner, true, true);
                    syn::parse_quote!(::std::vec![#v])
                }
                ("Vec", Some(inner)) if self.type_holds(inner) => {
                    let v = self.value(inner, false, true);
                    syn::parse_quote!(if depth > 0 {
                        ::std::vec![#v]
                    } else {
                        ::std::vec::Vec::new()
                    })
                }
                ("Vec", Some(_)) => syn::parse_quote!(::std::vec::Vec::new()),
                ("HashMap" | "BTreeMap" | "IndexMap" | "Map", _)
                    if map_value.is_some_and(|v| secret || self.type_holds(v)) =>
                {
                    let v = self.value(map_value.expect("checked"), secret, true);
                    syn::parse_quote!(if depth > 0 || #secret { [("key".to_string(), #v)].into_iter().collect() } else { ::std::default::Default::default() })
                }
                ("Box", Some(inner)) => {
                    let v = self.value(inner, secret, within);
                    syn::parse_quote!(::std::boxed::Box::new(#v))
                }
                ("String", _) if secret => syn::parse_quote!(secret.to_string()),
                ("Value", _) if secret => {
                    syn::parse_quote!(::serde_json::Value::String(secret.to_string()))
                }
                ("DateTime", _) => {
                    syn::parse_quote!(crate::rt::DateTime(
                        ::chrono::DateTime::<::chrono::Utc>::UNIX_EPOCH
                    ))
                }
                ("NonZeroU64", _) => syn::parse_quote!(::std::num::NonZeroU64::MIN),
                ("NonZeroU32", _) => syn::parse_quote!(::std::num::NonZeroU32::MIN),
                _ if self.items.contains_key(&name) => {
                    let f = format_ident!("sample_{}", name);
                    if within {
                        syn::parse_quote!(#f(secret, depth.saturating_sub(1)))
                    } else {
                        syn::parse_quote!(#f(secret, depth))
                    }
                }
                _ => syn::parse_quote!(::std::default::Default::default()),
            }
        }

        /// `fn sample_X(secret: &str, depth: u32) -> X` for a model.
        fn sample_fn(&self, name: &str) -> Option<syn::Item> {
            let item = self.items.get(name)?;
            let ident = format_ident!("{}", name);
            let f = format_ident!("sample_{}", name);
            let body = match item {
                syn::Item::Struct(s) => self.construct(syn::parse_quote!(#ident), &s.fields),
                syn::Item::Type(t) => self.value(&t.ty, false, false),
                syn::Item::Enum(e) => {
                    // A variant that holds a secret when the enum can; else the first unit
                    // variant, else the first.
                    let chosen = e
                        .variants
                        .iter()
                        .find(|v| {
                            v.fields
                                .iter()
                                .any(|f| is_secret(f, self.names) || self.type_holds(&f.ty))
                        })
                        .or_else(|| e.variants.iter().find(|v| v.fields.is_empty()))
                        .or_else(|| e.variants.first())?;
                    let variant = &chosen.ident;
                    self.construct(syn::parse_quote!(#ident::#variant), &chosen.fields)
                }
                _ => return None,
            };
            Some(syn::parse_quote! {
                fn #f(secret: &str, depth: u32) -> super::#ident {
                    #body
                }
            })
        }

        fn construct(&self, path: syn::Path, fields: &syn::Fields) -> syn::Expr {
            match fields {
                syn::Fields::Named(named) => {
                    let inits = named.named.iter().map(|f| {
                        let name = f.ident.as_ref().expect("a named field");
                        let v = self.value(&f.ty, is_secret(f, self.names), false);
                        quote!(#name: #v)
                    });
                    syn::parse_quote!(super::#path { #(#inits),* })
                }
                syn::Fields::Unnamed(unnamed) => {
                    let inits = unnamed
                        .unnamed
                        .iter()
                        .map(|f| self.value(&f.ty, is_secret(f, self.names), false));
                    syn::parse_quote!(super::#path(#(#inits),*))
                }
                syn::Fields::Unit => syn::parse_quote!(super::#path),
            }
        }
    }

    /// The value type of a map type (its last generic argument).
    fn map_value(ty: &syn::Type) -> Option<&syn::Type> {
        let syn::Type::Path(p) = ty else { return None };
        match &p.path.segments.last()?.arguments {
            syn::PathArguments::AngleBracketed(a) => a
                .args
                .iter()
                .filter_map(|a| match a {
                    syn::GenericArgument::Type(t) => Some(t),
                    _ => None,
                })
                .nth(1),
            _ => None,
        }
    }

    /// `types::__secret_samples`: `all(secret, client)` gives (type, its `Debug`, its JSON) for
    /// a value of every model that can hold a secret, of its builder, and of every operation
    /// builder with a secret parameter.
    fn samples(
        file: &syn::File,
        names: &BTreeSet<String>,
        redacted: &BTreeSet<String>,
        op_builders: &[syn::ItemStruct],
    ) -> syn::Item {
        let empty = Vec::new();
        let types = file
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, i)| i),
                _ => None,
            })
            .unwrap_or(&empty);
        let models = Models::of(types, names, redacted);
        // Every model a sample may call, to a fixed point.
        let mut needed: BTreeSet<String> = models.holders.clone();
        loop {
            let before = needed.len();
            let mut more = Vec::new();
            for name in &needed {
                if let Some(item) = models.items.get(name) {
                    let mut refs = Refs(&models, Vec::new());
                    syn::visit::Visit::visit_item(&mut refs, item);
                    more.extend(refs.1);
                }
            }
            needed.extend(more);
            if needed.len() == before {
                break;
            }
        }
        let fns = needed.iter().filter_map(|n| models.sample_fn(n));
        let entries = models.holders.iter().filter(|n| {
            matches!(models.items.get(*n), Some(syn::Item::Struct(_) | syn::Item::Enum(_)))
        }).map(|name| {
            let ident = format_ident!("{}", name);
            let f = format_ident!("sample_{}", name);
            let builder = models.builders.contains(name).then(|| {
                let label = format!("builder::{name}");
                quote! {
                    out.push((#label, format!("{:?}", super::builder::#ident::from(value.clone())), json.clone()));
                }
            });
            quote! {
                let value: super::#ident = #f(secret, 3);
                let json = ::serde_json::to_string(&value).unwrap_or_default();
                out.push((#name, format!("{:?}", value), json.clone()));
                #builder
            }
        });
        let ops = op_builders.iter().map(|s| {
            let ident = &s.ident;
            let label = format!("operation builder {ident}");
            let setters = s.fields.iter().filter(|f| is_secret(f, names)).map(|f| {
                let name = f.ident.as_ref().expect("a named field");
                quote!(.#name(secret.to_string()))
            });
            quote! {
                out.push((#label, format!("{:?}", super::super::builder::#ident::new(client)#(#setters)*), secret.to_string()));
            }
        });
        syn::parse_quote! {
            /// One value of every type that can hold a secret, for the test that no `Debug`
            /// shows it. Not a stable API.
            #[doc(hidden)]
            #[allow(clippy::all, non_snake_case, unused_variables, unused_mut)]
            pub mod __secret_samples {
                /// (type, its `Debug`, its JSON) for a value of every model that can hold a
                /// secret (each secret field set to `secret`), of its builder, and of every
                /// operation builder with a secret parameter (its JSON: the secret itself).
                pub fn all(secret: &str, client: &super::super::Client) -> ::std::vec::Vec<(&'static str, ::std::string::String, ::std::string::String)> {
                    let mut out = ::std::vec::Vec::new();
                    #(#entries)*
                    #(#ops)*
                    out
                }
                #(#fns)*
            }
        }
    }

    /// The models an item names.
    struct Refs<'a, 'b>(&'b Models<'a>, Vec<String>);

    impl syn::visit::Visit<'_> for Refs<'_, '_> {
        fn visit_path(&mut self, path: &syn::Path) {
            for seg in &path.segments {
                let name = seg.ident.to_string();
                if self.0.items.contains_key(&name) {
                    self.1.push(name);
                }
            }
            syn::visit::visit_path(self, path);
        }
    }
}
