//! Doc comments taken from the description, made plain text for rustdoc.

use crate::report::Pass;
use syn::visit_mut::VisitMut;

/// The report line of [`plain_doc_text`].
pub const PLAIN_DOC_TEXT: Pass = Pass {
    name: "plain_doc_text",
    unit: "doc comments",
    why: "Markdown in the description indents prose by 4 spaces, which rustdoc reads as a code block and compiles as a doctest: such lines are dedented",
};

/// Dedents the lines of generated doc comments (outside fenced blocks) that Markdown would read
/// as an indented code block, so that rustdoc does not compile the description's prose as Rust.
/// Returns the doc comments changed.
pub fn plain_doc_text(file: &mut syn::File) -> usize {
    struct Docs(usize);
    impl VisitMut for Docs {
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            if !attr.path().is_ident("doc") {
                return;
            }
            let syn::Meta::NameValue(nv) = &mut attr.meta else {
                return;
            };
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &nv.value
            else {
                return;
            };
            let original = text.value();
            let mut fenced = false;
            let dedented: Vec<&str> = original
                .lines()
                .map(|line| {
                    if line.trim_start().starts_with("```") {
                        fenced = !fenced;
                    }
                    if fenced || !line.starts_with("    ") {
                        line
                    } else {
                        line.trim_start()
                    }
                })
                .collect();
            let dedented = dedented.join("\n");
            if dedented != original {
                nv.value = syn::parse_quote!(#dedented);
                self.0 += 1;
            }
        }
    }
    let mut docs = Docs(0);
    docs.visit_file_mut(file);
    docs.0
}
