//! Reading the replies the generated operations document, and the ones they do not.

use crate::error::{excerpt, read_body};
use crate::{Error, Result};
use std::future::Future;

/// Decodes a documented reply, as progenitor's `ResponseValue::from_response` does, but a body
/// that does not decode becomes [`Error::Decode`] with the reply's status (progenitor's own
/// error drops it), and a body that cannot be read [`Error::Transport`]. The generated methods
/// call this (see `codegen`'s `decode_with_status`).
///
/// A plain function returning a future, like `read_body`: what needs no waiting is done first,
/// so the future holds the reply once (an `async fn` keeps its argument and its rebinding).
pub(crate) fn decode_reply<T: serde::de::DeserializeOwned>(
    mut response: reqwest::Response,
) -> impl Future<Output = Result<progenitor_client::ResponseValue<T>>> {
    let status = response.status();
    // Moved, not copied: the body is read without them (its length comes from the body).
    let mut headers = std::mem::take(response.headers_mut());
    async move {
        let body = read_body(response, &mut headers).await?;
        match serde_json::from_slice(&body) {
            Ok(inner) => Ok(progenitor_client::ResponseValue::new(
                inner, status, headers,
            )),
            Err(e) => Err(Error::Decode {
                status: Some(status),
                excerpt: excerpt(&body),
                message: e.to_string(),
            }),
        }
    }
}

/// The error of a 2xx reply whose status the description does not document for the operation
/// (the generated `send()`s call this for it; see `codegen`'s `crate_errors`): its body is not
/// decoded into a type that may not fit it, and is kept as an excerpt in [`Error::Decode`].
pub(crate) fn undocumented_reply(mut response: reqwest::Response) -> impl Future<Output = Error> {
    let status = response.status();
    let mut headers = std::mem::take(response.headers_mut());
    async move {
        match read_body(response, &mut headers).await {
            Ok(body) => Error::Decode {
                status: Some(status),
                excerpt: excerpt(&body),
                message: format!(
                    "Pinterest's description documents no {status} reply for this operation"
                ),
            },
            Err(e) => Error::from(e),
        }
    }
}
