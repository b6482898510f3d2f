//! Doc comments taken from the description, made plain text for rustdoc.

use crate::report::Pass;
use syn::visit_mut::VisitMut;

/// The report line of [`plain_doc_text`].
pub const PLAIN_DOC_TEXT: Pass = Pass {
    name: "plain_doc_text",
    unit: "doc comments",
    why: "the description's text is Markdown with HTML, and rustdoc reads more into it than it means: prose indented by 4 spaces is dedented (else a doctest), brackets that are not links are escaped (else intra-doc links), `<` that opens no HTML element is escaped, its HTML is balanced, bare URLs become autolinks",
};

/// Makes the description's prose in generated doc comments plain Markdown text for rustdoc, so
/// that nothing of it is compiled, linked or read as markup it is not:
///
/// - lines indented by 4 spaces (outside fenced blocks), which Markdown reads as an indented
///   code block and rustdoc compiles as a doctest, are dedented;
/// - square brackets that are not a Markdown link (`[DCA]`, `{'=': [value]}`, `[Integer]`),
///   which rustdoc reads as intra-doc links, are written as character references; a link of the
///   generator's own (`` [`Client::pins_list`] ``) stays a link;
/// - `<` that does not open a well-formed tag of an HTML element or an autolink
///   (`<unit_type>`, `<a href="x" target="blank>`) is written `&lt;`;
/// - the HTML is balanced: a closing tag nothing opened goes, an element left open is closed
///   (before the closing tag of the element around it, or at the end), and `<p/>` is `<p></p>`;
/// - a bare URL in Markdown text becomes an autolink (`<https://…>`); in an HTML block, where
///   Markdown is not read, it stays as written.
///
/// Code spans and fenced blocks are left as they are. rustdoc reads all doc attributes of an
/// item as one text, and so does this pass. Returns the doc comments changed.
pub fn plain_doc_text(file: &mut syn::File) -> usize {
    struct Docs(usize);
    impl VisitMut for Docs {
        fn visit_item_mut(&mut self, item: &mut syn::Item) {
            if let Some(attrs) = item_attrs(item) {
                self.0 += plain_docs(attrs);
            }
            syn::visit_mut::visit_item_mut(self, item);
        }
        fn visit_field_mut(&mut self, field: &mut syn::Field) {
            self.0 += plain_docs(&mut field.attrs);
            syn::visit_mut::visit_field_mut(self, field);
        }
        fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
            self.0 += plain_docs(&mut variant.attrs);
            syn::visit_mut::visit_variant_mut(self, variant);
        }
        fn visit_impl_item_mut(&mut self, item: &mut syn::ImplItem) {
            let attrs = match item {
                syn::ImplItem::Fn(f) => Some(&mut f.attrs),
                syn::ImplItem::Const(c) => Some(&mut c.attrs),
                syn::ImplItem::Type(t) => Some(&mut t.attrs),
                syn::ImplItem::Macro(m) => Some(&mut m.attrs),
                _ => None,
            };
            if let Some(attrs) = attrs {
                self.0 += plain_docs(attrs);
            }
            syn::visit_mut::visit_impl_item_mut(self, item);
        }
        fn visit_trait_item_mut(&mut self, item: &mut syn::TraitItem) {
            let attrs = match item {
                syn::TraitItem::Fn(f) => Some(&mut f.attrs),
                syn::TraitItem::Const(c) => Some(&mut c.attrs),
                syn::TraitItem::Type(t) => Some(&mut t.attrs),
                syn::TraitItem::Macro(m) => Some(&mut m.attrs),
                _ => None,
            };
            if let Some(attrs) = attrs {
                self.0 += plain_docs(attrs);
            }
            syn::visit_mut::visit_trait_item_mut(self, item);
        }
    }
    let mut docs = Docs(plain_docs(&mut file.attrs));
    docs.visit_file_mut(file);
    docs.0
}

/// The attributes of an item, of every kind that has them.
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::ExternCrate(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::ForeignMod(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        syn::Item::TraitAlias(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Union(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

/// Makes the doc attributes of one item plain, read together as rustdoc reads them. Returns
/// the attributes changed.
fn plain_docs(attrs: &mut [syn::Attribute]) -> usize {
    let mut docs: Vec<(usize, String)> = Vec::new();
    for (at, attr) in attrs.iter().enumerate() {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }),
            ..
        }) = &attr.meta
        {
            docs.push((at, text.value()));
        }
    }
    if docs.is_empty() {
        return 0;
    }
    let joined = docs
        .iter()
        .map(|(_, text)| text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let plain = plain_text(&joined);
    if plain == joined {
        return 0;
    }
    // Back into the attributes, each its own number of lines (the last one takes the rest).
    let mut lines = plain.split('\n');
    let mut changed = 0;
    let last = docs.len() - 1;
    for (n, (at, original)) in docs.iter().enumerate() {
        let text = if n == last {
            lines.by_ref().collect::<Vec<_>>().join("\n")
        } else {
            let count = original.split('\n').count();
            lines.by_ref().take(count).collect::<Vec<_>>().join("\n")
        };
        if &text != original
            && let syn::Meta::NameValue(nv) = &mut attrs[*at].meta
        {
            nv.value = syn::parse_quote!(#text);
            changed += 1;
        }
    }
    changed
}

/// A tag found in the text: where it is (line, byte range in that line), its element, and
/// whether it closes one.
struct Tag {
    line: usize,
    range: std::ops::Range<usize>,
    name: String,
    closing: bool,
}

/// One item's doc text made plain (see [`plain_doc_text`]), line by line, then its HTML
/// balanced.
fn plain_text(text: &str) -> String {
    let mut fenced = false;
    let mut html_block = false;
    let mut tags = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    // The last line of Markdown text (not of a fenced block): where open elements are closed.
    let mut last_text = None;
    for line in text.split('\n') {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            lines.push(line.to_string());
            continue;
        }
        if fenced {
            lines.push(line.to_string());
            continue;
        }
        let line = if line.starts_with("    ") {
            line.trim_start()
        } else {
            line
        };
        if line.trim().is_empty() {
            html_block = false;
            lines.push(line.to_string());
            continue;
        }
        if !html_block && opens_html_block(line) {
            html_block = true;
        }
        let mut found = Vec::new();
        lines.push(plain_inline(line, html_block, &mut found));
        last_text = Some(lines.len() - 1);
        tags.extend(found.into_iter().map(|mut tag: Tag| {
            tag.line = lines.len() - 1;
            tag
        }));
    }
    balance(&mut lines, &tags, last_text);
    lines.join("\n")
}

/// Drops closing tags nothing opened and closes elements left open (see [`plain_doc_text`]).
fn balance(lines: &mut [String], tags: &[Tag], last_text: Option<usize>) {
    // Edits per line: (byte range to replace, replacement).
    let mut edits: Vec<(usize, std::ops::Range<usize>, String)> = Vec::new();
    let mut open: Vec<&Tag> = Vec::new();
    for tag in tags {
        if !tag.closing {
            open.push(tag);
            continue;
        }
        match open.iter().rposition(|o| o.name == tag.name) {
            Some(at) => {
                let unclosed: String = open
                    .drain(at..)
                    .skip(1)
                    .rev()
                    .map(|o| format!("</{}>", o.name))
                    .collect();
                if !unclosed.is_empty() {
                    edits.push((tag.line, tag.range.start..tag.range.start, unclosed));
                }
            }
            None => edits.push((tag.line, tag.range.clone(), String::new())),
        }
    }
    let unclosed: String = open
        .iter()
        .rev()
        .map(|o| format!("</{}>", o.name))
        .collect();
    edits.sort_by_key(|(line, range, _)| (*line, std::cmp::Reverse(range.start)));
    for (line, range, with) in edits {
        lines[line].replace_range(range, &with);
    }
    // Open elements were opened on a line of text, so there is one.
    if let Some(last) = last_text {
        lines[last].push_str(&unclosed);
    }
}

/// HTML elements the description writes as markup (`<p>`, `<a href=…>`, `<br/>`, …): kept.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "wbr",
];

/// Elements that have no closing tag.
const VOID_ELEMENTS: &[&str] = &["br", "hr", "img", "wbr"];

/// CommonMark's HTML blocks that a blank line ends (kind 6), among [`HTML_ELEMENTS`]: a line
/// opening with one of these is raw HTML up to the next blank line.
const HTML_BLOCK_ELEMENTS: &[&str] = &[
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "summary",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Whether a line opens an HTML block (up to three spaces, then `<p>`, `</ul>`, …).
fn opens_html_block(line: &str) -> bool {
    let rest = line.trim_start_matches(' ');
    line.len() - rest.len() <= 3
        && html_tag_len(rest).is_some()
        && HTML_BLOCK_ELEMENTS.contains(&tag_name(rest).as_str())
}

/// The element name of a tag at the start of `s` (`<a href…>` → `a`), lower case.
fn tag_name(s: &str) -> String {
    s.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The length of a well-formed tag of one of [`HTML_ELEMENTS`] at the start of `s` (`<br/>`,
/// `</p>`, `<a href='x'>`), if there is one: attribute values quoted, nothing but the tag's
/// own `>` ending it.
fn html_tag_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix('<')?;
    let body = body.strip_prefix('/').unwrap_or(body);
    let name = tag_name(s);
    if name.is_empty() || !HTML_ELEMENTS.contains(&name.as_str()) {
        return None;
    }
    let after = &body[name.len()..];
    if !(after.starts_with(['>', '/', ' ', '\t'])) {
        return None;
    }
    let start = s.len() - after.len();
    let mut quote = None;
    for (i, c) in after.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(start + i + 1),
            (None, '<') => return None,
            (None, _) => {}
        }
    }
    None
}

/// The length of an autolink at the start of `s` (`<https://…>`), if there is one.
fn autolink_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix('<')?;
    let end = body.find(|c: char| c == '>' || c == '<' || c.is_whitespace())?;
    let scheme = body[..end].split_once(':')?.0;
    let is_scheme = (2..=32).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
    (body.as_bytes()[end] == b'>' && is_scheme).then_some(end + 2)
}

/// The length of a bare `http(s)://host.tld…` URL at the start of `s`, trailing punctuation
/// and unbalanced closing brackets left out, if there is one.
fn bare_url_len(s: &str) -> Option<usize> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))?;
    let scheme = s.len() - rest.len();
    let mut len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`'))
        .unwrap_or(rest.len());
    loop {
        let url = &rest[..len];
        let unbalanced = |open: char, close: char| {
            url.ends_with(close) && url.matches(close).count() > url.matches(open).count()
        };
        if url.ends_with(['.', ',', ';', ':', '!', '?', '*', '_'])
            || unbalanced('(', ')')
            || unbalanced('[', ']')
        {
            len -= 1;
        } else {
            break;
        }
    }
    let host = rest[..len].split(['/', '?', '#']).next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    let is_host = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':'))
        });
    is_host.then_some(scheme + len)
}

/// The length of a code span at the start of `s` (a run of backticks up to the next run of the
/// same length), if it closes.
fn code_span_len(s: &str) -> Option<usize> {
    let ticks = s.len() - s.trim_start_matches('`').len();
    let mut at = ticks;
    while let Some(found) = s[at..].find('`') {
        let start = at + found;
        let run = s[start..].len() - s[start..].trim_start_matches('`').len();
        if run == ticks {
            return Some(start + run);
        }
        at = start + run;
    }
    None
}

/// The position of the `]` that closes the `[` at the start of `s`, code spans skipped.
fn closing_bracket(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        match rest.as_bytes()[0] {
            b'\\' => {
                i += 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
                continue;
            }
            b'`' => {
                if let Some(len) = code_span_len(rest) {
                    i += len;
                    continue;
                }
            }
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// One line of Markdown text made plain (see [`plain_doc_text`]); `html` when it is inside an
/// HTML block, where only `<` needs escaping. The element tags kept are added to `tags`, with
/// their place in the line returned.
fn plain_inline(line: &str, html: bool, tags: &mut Vec<Tag>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '\\' => {
                let len = 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&rest[..len]);
                i += len;
            }
            '`' => {
                let run = rest.len() - rest.trim_start_matches('`').len();
                let len = code_span_len(rest).unwrap_or(run);
                out.push_str(&rest[..len]);
                i += len;
            }
            '<' => {
                if let Some(len) = html_tag_len(rest) {
                    let tag = &rest[..len];
                    let name = tag_name(tag);
                    let closing = tag.starts_with("</");
                    if VOID_ELEMENTS.contains(&name.as_str()) {
                        out.push_str(tag);
                    } else if !closing && tag.ends_with("/>") {
                        // `<p/>`: HTML knows no self-closing `p`; the author meant it empty.
                        out.push_str(tag[..len - 2].trim_end());
                        out.push_str(&format!("></{name}>"));
                    } else {
                        let start = out.len();
                        out.push_str(tag);
                        tags.push(Tag {
                            line: 0,
                            range: start..out.len(),
                            name,
                            closing,
                        });
                    }
                    i += len;
                } else if let Some(len) = autolink_len(rest) {
                    out.push_str(&rest[..len]);
                    i += len;
                } else {
                    out.push_str("&lt;");
                    i += 1;
                }
            }
            '[' if !html => match closing_bracket(rest) {
                Some(close) => {
                    let inner = &rest[1..close];
                    let after = &rest[close + 1..];
                    let generator_link = inner.len() > 2
                        && inner.starts_with('`')
                        && inner.ends_with('`')
                        && !inner[1..inner.len() - 1].contains(['`', ' ']);
                    i += close + 1;
                    if after.starts_with(['(', '[']) || generator_link {
                        // A link: its text and destination are the author's.
                        out.push_str(&rest[..=close]);
                        let end = match after.as_bytes().first() {
                            Some(b'(') => after.find(')'),
                            Some(b'[') => after.find(']'),
                            _ => None,
                        };
                        if let Some(end) = end {
                            out.push_str(&after[..=end]);
                            i += end + 1;
                        }
                    } else {
                        out.push_str("&#91;");
                        let mut inner_tags = Vec::new();
                        let plain = plain_inline(inner, html, &mut inner_tags);
                        let shift = out.len();
                        tags.extend(inner_tags.into_iter().map(|mut tag| {
                            tag.range = tag.range.start + shift..tag.range.end + shift;
                            tag
                        }));
                        out.push_str(&plain);
                        out.push_str("&#93;");
                    }
                }
                None => {
                    out.push_str("&#91;");
                    i += 1;
                }
            },
            ']' if !html => {
                out.push_str("&#93;");
                i += 1;
            }
            'h' if !html && !out.ends_with(|p: char| p.is_ascii_alphanumeric()) => {
                match bare_url_len(rest) {
                    Some(len) => {
                        out.push('<');
                        out.push_str(&rest[..len]);
                        out.push('>');
                        i += len;
                    }
                    None => {
                        out.push('h');
                        i += 1;
                    }
                }
            }
            _ => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

#[cfg(test)]
mod plain_doc_text_tests {
    use super::plain_text as plain;

    #[test]
    fn brackets_that_are_not_links_are_escaped() {
        assert_eq!(plain("DCA [DCA] campaigns"), "DCA &#91;DCA&#93; campaigns");
        assert_eq!(
            plain("{'=': [value]} or [Integer]"),
            "{'=': &#91;value&#93;} or &#91;Integer&#93;"
        );
        assert_eq!(plain("a stray ] and ["), "a stray &#93; and &#91;");
    }

    #[test]
    fn links_and_code_stay() {
        for text in [
            "See [the guide](https://example.com/a_b) now",
            "Builder for [`Client::pins_list`]",
            "A [reference][ref] link",
            "`[not, a, link]` and ``a ` [b]``",
            "already \\[escaped\\]",
        ] {
            assert_eq!(plain(text), text);
        }
    }

    #[test]
    fn stray_angle_brackets_are_escaped_and_html_kept() {
        assert_eq!(
            plain("<p>Use <code>a</code> for <unit_type>, <= 10</p><br/>"),
            "<p>Use <code>a</code> for &lt;unit_type>, &lt;= 10</p><br/>"
        );
        assert_eq!(
            plain("<a href='/docs/x'>docs</a> or <https://example.com>"),
            "<a href='/docs/x'>docs</a> or <https://example.com>"
        );
    }

    #[test]
    fn html_is_balanced() {
        // A tag whose quote never closes is text; its closing tag then closes nothing and goes.
        assert_eq!(
            plain("<a href=\"/docs/\" target=\"blank>Open beta</a> now"),
            "&lt;a href=\"/docs/\" target=\"blank>Open beta now"
        );
        assert_eq!(
            plain("ad in grid. </p><strong>Note:</strong>"),
            "ad in grid. <strong>Note:</strong>"
        );
        assert_eq!(plain("<p>Merchant\n\nmore"), "<p>Merchant\n\nmore</p>");
        assert_eq!(plain("<div><p>a</div>"), "<div><p>a</p></div>");
        // Not inside the fenced block after the text.
        assert_eq!(
            plain("<p>Example:\n```ignore\nlet a = 1;\n```"),
            "<p>Example:</p>\n```ignore\nlet a = 1;\n```"
        );
        assert_eq!(plain("values. <p/> More"), "values. <p></p> More");
    }

    #[test]
    fn bare_urls_become_autolinks_outside_html_blocks() {
        assert_eq!(
            plain("See https://help.pinterest.com/en/a-b. Or (http://x.io/y)."),
            "See <https://help.pinterest.com/en/a-b>. Or (<http://x.io/y>)."
        );
        assert_eq!(
            plain("\"url\": \"http://x.io/a\""),
            "\"url\": \"<http://x.io/a>\""
        );
        assert_eq!(
            plain("must start with https://"),
            "must start with https://"
        );
        assert_eq!(
            plain("<p>Read\nhttps://x.io</p>\n\nhttps://x.io"),
            "<p>Read\nhttps://x.io</p>\n\n<https://x.io>"
        );
    }

    #[test]
    fn indented_prose_is_dedented_and_fences_kept() {
        assert_eq!(plain("    indented [x]"), "indented &#91;x&#93;");
        let fenced = "```json\n    {\"a\": [1]}\n```";
        assert_eq!(plain(fenced), fenced);
    }
}
