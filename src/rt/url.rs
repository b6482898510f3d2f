//! Building the URLs of the generated operations.

/// Adds an optional query parameter when it is set (the generated `send()`s call this; see
/// `codegen`'s `optional_query_params`): `RequestBuilder::query` re-serialises the URL even
/// for a `None` that adds nothing.
pub(crate) fn optional_query<T: serde::Serialize>(
    builder: reqwest::RequestBuilder,
    name: &str,
    value: &Option<T>,
) -> reqwest::RequestBuilder {
    match value {
        Some(_) => builder.query(&progenitor_client::QueryParam::new(name, value)),
        None => builder,
    }
}
