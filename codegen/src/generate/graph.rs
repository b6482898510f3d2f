//! Which generated types name which others, and where the operations' builders start a walk:
//! what the passes that keep or drop code by use ([`super::deserialize`], [`super::builders`])
//! read.

use super::syntax::{item_ident, segment_names, types_module};
use std::collections::BTreeMap;

struct TypeRefs<'a> {
    known: &'a std::collections::BTreeSet<String>,
    found: std::collections::BTreeSet<String>,
    /// Only paths whose second-to-last segment is `builder` (`types::builder::X`).
    builders_only: bool,
}

impl syn::visit::Visit<'_> for TypeRefs<'_> {
    fn visit_path(&mut self, path: &syn::Path) {
        let segs: Vec<String> = segment_names(path);
        if let Some(last) = segs.last() {
            let via_builder = segs.len() >= 2 && segs[segs.len() - 2] == "builder";
            if self.known.contains(last) && (!self.builders_only || via_builder) {
                self.found.insert(last.clone());
            }
        }
        syn::visit::visit_path(self, path);
    }
}

/// Which types of `types` name which others (fields, variants, aliases), read off the tree.
pub(crate) struct TypeGraph {
    pub(crate) known: std::collections::BTreeSet<String>,
    edges: BTreeMap<String, std::collections::BTreeSet<String>>,
}

impl TypeGraph {
    pub(crate) fn of(file: &mut syn::File) -> TypeGraph {
        use std::collections::BTreeSet;
        use syn::visit::Visit;
        let mut graph = TypeGraph {
            known: BTreeSet::new(),
            edges: BTreeMap::new(),
        };
        let Some(types) = types_module(file) else {
            return graph;
        };
        for item in types.iter() {
            if let Some(ident) = item_ident(item) {
                graph.known.insert(ident);
            }
        }
        for item in types.iter() {
            let Some(ident) = item_ident(item) else {
                continue;
            };
            let mut refs = TypeRefs {
                known: &graph.known,
                found: BTreeSet::new(),
                builders_only: false,
            };
            match item {
                syn::Item::Struct(s) => refs.visit_item_struct(s),
                syn::Item::Enum(e) => refs.visit_item_enum(e),
                syn::Item::Type(t) => refs.visit_item_type(t),
                _ => {}
            }
            let found = refs.found;
            graph.edges.entry(ident).or_default().extend(found);
        }
        graph
    }

    /// Every type reachable from `seeds`.
    pub(crate) fn closure(
        &self,
        seeds: std::collections::BTreeSet<String>,
    ) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        let mut queue: Vec<String> = seeds
            .into_iter()
            .filter(|s| self.known.contains(s))
            .collect();
        while let Some(t) = queue.pop() {
            if out.insert(t.clone()) {
                queue.extend(self.edges.get(&t).into_iter().flatten().cloned());
            }
        }
        out
    }
}

/// Where in the operation builders (`mod builder`) to start a reachability walk.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Seeds {
    /// Request bodies held as `types::builder::X`.
    BodyBuilders,
    /// Everything the operation builders hold: bodies and parameters.
    Requests,
    /// Every `ResponseValue<types::X>` a `send()` returns.
    Responses,
}

pub(crate) fn seeds(file: &syn::File, which: Seeds) -> std::collections::BTreeSet<String> {
    use syn::visit::Visit;
    struct Collect {
        which: Seeds,
        found: std::collections::BTreeSet<String>,
        in_response: usize,
    }
    impl Visit<'_> for Collect {
        fn visit_item_struct(&mut self, s: &syn::ItemStruct) {
            if self.which == Seeds::Requests {
                for f in &s.fields {
                    self.collect(&f.ty);
                }
            }
            syn::visit::visit_item_struct(self, s);
        }
        fn visit_path(&mut self, path: &syn::Path) {
            let segs: Vec<String> = segment_names(path);
            let response_value = segs.last().is_some_and(|l| l == "ResponseValue");
            if response_value {
                self.in_response += 1;
            }
            if self.which == Seeds::BodyBuilders
                && segs.len() >= 3
                && segs[segs.len() - 2] == "builder"
                && segs[0] == "types"
            {
                self.found.extend(segs.last().cloned());
            }
            if self.which == Seeds::Responses
                && self.in_response > 0
                && segs.len() >= 2
                && segs[0] == "types"
            {
                self.found.extend(segs.last().cloned());
            }
            syn::visit::visit_path(self, path);
            if response_value {
                self.in_response -= 1;
            }
        }
    }
    impl Collect {
        fn collect(&mut self, ty: &syn::Type) {
            struct Paths<'a>(&'a mut std::collections::BTreeSet<String>);
            impl Visit<'_> for Paths<'_> {
                fn visit_path(&mut self, path: &syn::Path) {
                    let segs: Vec<String> = segment_names(path);
                    if segs.len() >= 2 && segs[0] == "types" {
                        self.0.extend(segs.last().cloned());
                    }
                    syn::visit::visit_path(self, path);
                }
            }
            Paths(&mut self.found).visit_type(ty);
        }
    }
    let mut c = Collect {
        which,
        found: Default::default(),
        in_response: 0,
    };
    for item in &file.items {
        if let syn::Item::Mod(m) = item
            && m.ident == "builder"
        {
            c.visit_item_mod(m);
        }
    }
    c.found
}
