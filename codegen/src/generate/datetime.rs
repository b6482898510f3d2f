//! Date-times that decode with or without a UTC offset.

use super::syntax::segment_names;
use crate::report::Pass;
use syn::visit_mut::VisitMut;

/// The report line of [`lenient_date_times`].
pub const LENIENT_DATE_TIMES: Pass = Pass {
    name: "lenient_date_times",
    unit: "fields",
    why: "`chrono::DateTime<Utc>` rejects date-times without an offset, which the API sends: they decode as `pinterest_v5::DateTime` (offset-less means UTC)",
};

/// Every `chrono::DateTime<Utc>` of the generated code becomes `crate::rt::DateTime`, which also
/// accepts date-times without an offset (taken as UTC).
pub fn lenient_date_times(file: &mut syn::File) -> usize {
    struct Swap(usize);
    impl VisitMut for Swap {
        fn visit_type_mut(&mut self, ty: &mut syn::Type) {
            if let syn::Type::Path(tp) = ty {
                let segs: Vec<String> = segment_names(&tp.path);
                if segs.len() >= 2
                    && segs[0] == "chrono"
                    && segs.last().is_some_and(|s| s == "DateTime")
                {
                    *ty = syn::parse_quote!(crate::rt::DateTime);
                    self.0 += 1;
                    return;
                }
            }
            syn::visit_mut::visit_type_mut(self, ty);
        }
    }
    let mut swap = Swap(0);
    swap.visit_file_mut(file);
    swap.0
}
