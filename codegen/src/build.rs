//! The crate's `build.rs`: generation driven by cargo's environment.

use crate::{filter, load};
use std::path::PathBuf;

/// Name of the generated source file in `OUT_DIR`.
pub const GENERATED: &str = "pinterest_v5.rs";

/// Name of the generated mocks in `OUT_DIR`, written when the crate's `mock` feature is on.
pub const GENERATED_MOCK: &str = "pinterest_v5_mock.rs";

/// Name of the fixes' report written beside it.
pub const REPORT: &str = "fixes.txt";

/// The generated client as Rust source: unformatted, short lines (see [`tokens`]).
///
/// The crate `include!`s it, so rustc is its only reader: a pretty printer (prettyplease) would
/// be one more crate for every user to compile and, in a build script that a user's profile runs
/// unoptimised, seconds of formatting on every generation. `rustfmt` formats a copy for a human.
///
/// Short lines are for rustc: it turns a span into a line and column by reading the line from
/// its start (panic locations, debug info), so one item a line, whose `builder` and `types`
/// modules are lines of megabytes, doubled the crate's compile time.
pub fn render(file: &syn::File) -> String {
    use quote::ToTokens;
    let mut out = String::new();
    for attr in &file.attrs {
        tokens(&mut out, attr.to_token_stream(), false);
        out.push('\n');
    }
    for item in &file.items {
        tokens(&mut out, item.to_token_stream(), false);
        out.push('\n');
    }
    out
}

/// Writes `stream` as `proc_macro2` prints it (a space after each token but a joint
/// punctuation's), with a line break in place of the space after `;`, around braces and, in
/// braces (fields, variants, match arms), after `,`.
fn tokens(out: &mut String, stream: proc_macro2::TokenStream, braced: bool) {
    use proc_macro2::{Delimiter, Spacing, TokenTree};
    for tree in stream {
        match tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Brace => ("{\n", "}\n"),
                    Delimiter::Parenthesis => ("(", ") "),
                    Delimiter::Bracket => ("[", "] "),
                    Delimiter::None => ("", " "),
                };
                out.push_str(open);
                tokens(out, group.stream(), group.delimiter() == Delimiter::Brace);
                out.push_str(close);
            }
            TokenTree::Punct(punct) => {
                out.push(punct.as_char());
                match (punct.spacing(), punct.as_char()) {
                    (Spacing::Joint, _) => {}
                    (Spacing::Alone, ';') => out.push('\n'),
                    (Spacing::Alone, ',') if braced => out.push('\n'),
                    (Spacing::Alone, _) => out.push(' '),
                }
            }
            TokenTree::Ident(ident) => {
                out.push_str(&ident.to_string());
                out.push(' ');
            }
            TokenTree::Literal(literal) => {
                out.push_str(&literal.to_string());
                out.push(' ');
            }
        }
    }
}

/// Runs the pipeline for the crate being built: the pinned description, the enabled features.
///
/// On failure it prints one line saying what to do and exits non-zero.
pub fn run() {
    if let Err(message) = try_run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

/// Sets [`MEDIA_CFG`] when the `media` module is enabled and the generated code has what it
/// needs (`missing` is [`Output::media_missing`](crate::Output::media_missing)); otherwise
/// warns, naming the first thing missing.
fn media_cfg(missing: Option<&str>) {
    println!("cargo::rustc-check-cfg=cfg({MEDIA_CFG})");
    let enabled = |feature: &str| std::env::var_os(format!("CARGO_FEATURE_{feature}")).is_some();
    if !(enabled("MEDIA") && enabled("PINS")) {
        return;
    }
    match missing {
        None => println!("cargo::rustc-cfg={MEDIA_CFG}"),
        Some(missing) => println!(
            "cargo::warning=the `media` module (video upload) is left out: it is written for other shapes of the generated types than this description's ({missing})"
        ),
    }
}

/// Sets [`REPORTS_CFG`] when the `ad_accounts` area is enabled and the generated code has the
/// request types `reports` builds (`missing` is
/// [`Output::reports_missing`](crate::Output::reports_missing)); otherwise warns, naming the
/// first one missing.
fn reports_cfg(missing: Option<&str>) {
    println!("cargo::rustc-check-cfg=cfg({REPORTS_CFG})");
    if std::env::var_os("CARGO_FEATURE_AD_ACCOUNTS").is_none() {
        return;
    }
    match missing {
        None => println!("cargo::rustc-cfg={REPORTS_CFG}"),
        Some(missing) => println!(
            "cargo::warning=the `reports` module (ads reports in one call) is left out: this description has no type `types::{missing}` it builds"
        ),
    }
}

fn try_run() -> Result<(), String> {
    let root = PathBuf::from(env("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(env("OUT_DIR")?);
    println!("cargo:rerun-if-env-changed={}", load::ENV_OPENAPI);
    println!("cargo:rerun-if-env-changed={}", load::ENV_UNPINNED);
    println!(
        "cargo:rerun-if-changed={}",
        root.join(load::PIN_FILE).display()
    );
    // The description used, and `openapi/` (where a copy of it may appear). Never a path that
    // does not exist: cargo would take it as changed and run the generation on every build.
    println!(
        "cargo:rerun-if-changed={}",
        root.join(load::PIN_FILE).with_file_name("").display()
    );
    let loaded = load::load_pinned(&root)?;
    println!("cargo:rerun-if-changed={}", loaded.path.display());
    let areas = enabled_areas(&loaded.spec);
    let output = crate::run(&loaded.spec, areas.as_deref())
        .map_err(|e| format!("generation from {} failed: {e}", loaded.path.display()))?;
    media_cfg(output.media_missing.as_deref());
    reports_cfg(output.reports_missing.as_deref());
    std::fs::write(out.join(GENERATED), output.code)
        .map_err(|e| format!("cannot write the generated client: {e}"))?;
    std::fs::write(out.join(REPORT), output.report.to_string())
        .map_err(|e| format!("cannot write the fixes' report: {e}"))?;
    if std::env::var_os("CARGO_FEATURE_MOCK").is_some() {
        let mock = crate::run_mock(&loaded.spec, areas.as_deref()).map_err(|e| {
            format!(
                "generation of the mocks from {} failed: {e}",
                loaded.path.display()
            )
        })?;
        std::fs::write(out.join(GENERATED_MOCK), mock)
            .map_err(|e| format!("cannot write the generated mocks: {e}"))?;
    }
    Ok(())
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set: run this through cargo"))
}

/// `None` when the `full` feature is on; otherwise the areas whose feature is on.
fn enabled_areas(spec: &serde_json::Value) -> Option<Vec<String>> {
    if std::env::var_os("CARGO_FEATURE_FULL").is_some() {
        return None;
    }
    Some(
        filter::areas(spec)
            .into_iter()
            .filter(|area| {
                std::env::var_os(format!("CARGO_FEATURE_{}", area.to_uppercase())).is_some()
            })
            .collect(),
    )
}

/// The `cfg` the build sets when the generated types have the shapes the video upload
/// (`src/media.rs`) is written against: `media` compiles only then.
///
/// Releases of the description rename and reshape the types `media` builds and reads (v5.18.0
/// names the upload's request body `MediaUploadRequest`, its `media_id` optional). The rest of
/// the crate is generated and follows every release; `media` is hand-written for the current
/// shapes, so on a release without them it is left out with a warning naming what is missing,
/// instead of failing the build.
pub const MEDIA_CFG: &str = "pinterest_v5_media";

/// The cfg set when the generated code has the request types the hand-written `reports` module
/// (`src/reports.rs`) builds: older releases of the description lack some of them (v5.12.0 has
/// no `ConversionProductReportRequest`), and there the module is left out with a warning.
pub const REPORTS_CFG: &str = "pinterest_v5_reports";

/// The generated types `src/reports.rs` names.
const REPORTS_NEEDS: [&str; 4] = [
    "AdsAnalyticsCreateAsyncRequest",
    "ConversionProductReportRequest",
    "CreateMmmReportRequest",
    "Granularity",
];

/// The first type of [`REPORTS_NEEDS`] the generated `types` module lacks; `None` when it has
/// every one.
pub fn missing_for_reports(file: &syn::File) -> Option<String> {
    let mut names = std::collections::BTreeSet::new();
    for item in &file.items {
        if let syn::Item::Mod(m) = item
            && m.ident == "types"
        {
            for it in m.content.iter().flat_map(|(_, items)| items) {
                match it {
                    syn::Item::Struct(s) => names.insert(s.ident.to_string()),
                    syn::Item::Enum(e) => names.insert(e.ident.to_string()),
                    syn::Item::Type(t) => names.insert(t.ident.to_string()),
                    _ => false,
                };
            }
        }
    }
    REPORTS_NEEDS
        .iter()
        .find(|name| !names.contains(**name))
        .map(|name| name.to_string())
}

/// One thing `src/media.rs` relies on in the generated code.
enum Need {
    /// A struct with exactly these fields (media builds it with a struct literal), each of the
    /// type given (see [`type_shape`]; `_` is any type).
    Exactly(&'static str, &'static [(&'static str, &'static str)]),
    /// A struct with at least these fields of these types.
    Fields(&'static str, &'static [(&'static str, &'static str)]),
    /// An enum with at least these variants.
    Variants(&'static str, &'static [&'static str]),
    /// Methods of `Client` (the operations it calls).
    Methods(&'static [&'static str]),
}

/// Everything `src/media.rs` names of the generated code, as it uses it.
const MEDIA_NEEDS: &[Need] = &[
    Need::Methods(&["media_create", "media_get", "pins_create"]),
    Need::Exactly("MediaUploadCreate", &[("media_type", "MediaUploadType")]),
    Need::Variants("MediaUploadType", &["Video"]),
    Need::Fields(
        "MediaUpload",
        &[
            ("media_id", "String"),
            ("upload_url", "Option<String>"),
            ("upload_parameters", "Option<_>"),
        ],
    ),
    Need::Fields("Media", &[("status", "Option<MediaUploadStatus>")]),
    Need::Variants("MediaUploadStatus", &["Registered", "Succeeded", "Failed"]),
    Need::Fields(
        "PinCreate",
        &[
            ("board_id", "Option<String>"),
            ("media_source", "Option<PinMediaSource>"),
        ],
    ),
    Need::Variants("PinMediaSource", &["VideoId"]),
    Need::Exactly(
        "PinMediaSourceVideoId",
        &[
            ("cover_image_content_type", "Option<_>"),
            ("cover_image_data", "Option<_>"),
            ("cover_image_key_frame_time", "Option<u64>"),
            ("cover_image_url", "Option<String>"),
            ("is_standard", "bool"),
            ("media_id", "String"),
        ],
    ),
    Need::Fields("Pin", &[("id", "String")]),
];

/// A type as `Need` spells it: the last segment of each path, with its generic arguments
/// (`::std::option::Option<::std::string::String>` is `Option<String>`).
fn type_shape(ty: &syn::Type) -> String {
    use quote::ToTokens;
    match ty {
        syn::Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return String::new();
            };
            let mut out = last.ident.to_string();
            if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                let inner: Vec<String> = args
                    .args
                    .iter()
                    .map(|a| match a {
                        syn::GenericArgument::Type(t) => type_shape(t),
                        other => other.to_token_stream().to_string(),
                    })
                    .collect();
                out.push_str(&format!("<{}>", inner.join(",")));
            }
            out
        }
        other => other.to_token_stream().to_string().replace(' ', ""),
    }
}

/// Whether a field of type `actual` (as [`type_shape`] spells it) is of the `wanted` shape,
/// where `_` stands for any type.
fn shape_matches(wanted: &str, actual: &str) -> bool {
    match wanted.split_once('_') {
        None => wanted == actual,
        Some((before, after)) => {
            actual.len() > before.len() + after.len()
                && actual.starts_with(before)
                && actual.ends_with(after)
        }
    }
}

/// The first thing `src/media.rs` needs that the generated code lacks, in words; `None` when
/// the code has every one.
pub fn missing_for_media(file: &syn::File) -> Option<String> {
    use std::collections::BTreeMap;
    let mut structs = BTreeMap::new();
    let mut enums = BTreeMap::new();
    let mut methods = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Mod(m) if m.ident == "types" => {
                for it in m.content.iter().flat_map(|(_, items)| items) {
                    match it {
                        syn::Item::Struct(s) => {
                            let fields: BTreeMap<String, String> = s
                                .fields
                                .iter()
                                .filter_map(|f| {
                                    Some((f.ident.as_ref()?.to_string(), type_shape(&f.ty)))
                                })
                                .collect();
                            structs.insert(s.ident.to_string(), fields);
                        }
                        syn::Item::Enum(e) => {
                            let variants: Vec<String> =
                                e.variants.iter().map(|v| v.ident.to_string()).collect();
                            enums.insert(e.ident.to_string(), variants);
                        }
                        _ => {}
                    }
                }
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                if matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.is_ident("Client")) {
                    for it in &imp.items {
                        if let syn::ImplItem::Fn(f) = it {
                            methods.push(f.sig.ident.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let check_fields = |name: &str, wanted: &[(&str, &str)], exactly: bool| {
        let Some(fields) = structs.get(name) else {
            return Some(format!("no struct `types::{name}`"));
        };
        for (field, ty) in wanted {
            match fields.get(*field) {
                None => return Some(format!("`types::{name}` has no field `{field}`")),
                Some(actual) if !shape_matches(ty, actual) => {
                    return Some(format!(
                        "`types::{name}::{field}` is `{actual}`, not `{ty}`"
                    ));
                }
                Some(_) => {}
            }
        }
        if exactly && fields.len() != wanted.len() {
            let extra: Vec<&String> = fields
                .keys()
                .filter(|f| !wanted.iter().any(|(w, _)| w == f))
                .collect();
            return Some(format!(
                "`types::{name}` has fields media does not set: {extra:?}"
            ));
        }
        None
    };
    MEDIA_NEEDS.iter().find_map(|need| match need {
        Need::Methods(names) => names
            .iter()
            .find(|n| !methods.iter().any(|m| m == *n))
            .map(|n| format!("no operation `Client::{n}`")),
        Need::Exactly(name, fields) => check_fields(name, fields, true),
        Need::Fields(name, fields) => check_fields(name, fields, false),
        Need::Variants(name, wanted) => match enums.get(*name) {
            None => Some(format!("no enum `types::{name}`")),
            Some(variants) => wanted
                .iter()
                .find(|w| !variants.iter().any(|v| v == *w))
                .map(|w| format!("`types::{name}` has no variant `{w}`")),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn render_writes_the_same_tokens_on_short_lines() {
        let file: syn::File = syn::parse_quote! {
            #![allow(dead_code)]
            /// A "doc; with {braces}, and commas".
            pub mod builder {
                pub struct S<'a> { pub a: &'a str, pub b: ::std::option::Option<i64> }
                impl<'a> S<'a> {
                    pub fn f(&self, x: u8) -> Result<(), ()> {
                        let _ = match x { 0 => 'c', _ => '\n' };
                        let v = [1, 2, 3];
                        let _ = (v[0]..=v[2], x as u32 >> 1u32, x != 0 && x <= 2);
                        Ok(())
                    }
                }
            }
        };
        let text = render(&file);
        let again: syn::File = syn::parse_str(&text).unwrap();
        assert_eq!(
            again.to_token_stream().to_string(),
            file.to_token_stream().to_string()
        );
        assert!(text.lines().all(|line| line.len() < 80), "{text}");
    }

    #[test]
    fn a_type_is_spelled_by_the_last_segments_of_its_paths() {
        let ty: syn::Type = syn::parse_quote!(::std::option::Option<::std::string::String>);
        assert_eq!(type_shape(&ty), "Option<String>");
        assert!(shape_matches("Option<_>", "Option<MediaUploadParameters>"));
        assert!(!shape_matches("Option<_>", "String"));
        assert!(!shape_matches("String", "Option<String>"));
    }

    #[test]
    fn media_is_left_out_naming_the_first_shape_it_misses() {
        let file: syn::File = syn::parse_quote! {
            impl Client {
                pub fn media_create(&self) {}
                pub fn media_get(&self) {}
                pub fn pins_create(&self) {}
            }
            pub mod types {
                pub struct MediaUploadRequest { pub media_type: MediaUploadType }
            }
        };
        assert_eq!(
            missing_for_media(&file).as_deref(),
            Some("no struct `types::MediaUploadCreate`")
        );
        let file: syn::File = syn::parse_quote! {
            impl Client {
                pub fn media_create(&self) {}
                pub fn media_get(&self) {}
                pub fn pins_create(&self) {}
            }
            pub mod types {
                pub struct MediaUploadCreate { pub media_type: MediaUploadType }
                pub enum MediaUploadType { Video }
                pub struct MediaUpload {
                    pub media_id: ::std::option::Option<::std::string::String>,
                }
            }
        };
        assert_eq!(
            missing_for_media(&file).as_deref(),
            Some("`types::MediaUpload::media_id` is `Option<String>`, not `String`")
        );
    }
}
