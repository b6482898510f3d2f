//! Reading the replies the generated operations document, and the ones they do not.

use crate::error::{excerpt, redacted, without};
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
            Err(e) => {
                let (excerpt, secrets) = redacted(&body);
                Err(Error::Decode {
                    status: Some(status),
                    excerpt,
                    message: without(e.to_string(), &secrets),
                })
            }
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

/// No more is reserved up front, whatever `Content-Length` claims.
const MAX_RESERVE: u64 = 64 << 20;
/// From this size on, a body is copied out of hyper's buffer (see `read_body`).
const COPY_OUT: usize = 64 << 10;

/// A reply's body in one buffer.
///
/// A small body (under 64 KiB) that arrives whole in its first chunk is used as it is: whole
/// as `Content-Length` says, or, without a length, when no second chunk follows. Any other
/// body is copied into one buffer sized from `Content-Length` up front, chunk by chunk, each
/// chunk let go before the next is read (`Response::bytes` keeps them all until it copies
/// them, holding the body twice at its peak).
///
/// hyper reads the reply's head and the body's first bytes into its connection buffer, and
/// both the first chunk and the `headers`' values are views of that buffer. While any view
/// is held, hyper cannot reuse the buffer for its next read and allocates another one (up
/// to 408 KiB for a large page), which the decode would then hold alongside the body and
/// the decoded value. So a large body is copied out, even when it arrived whole, and the
/// header values are made owned copies (a few dozen bytes each) before the next read.
///
/// A body that is not used in place is read to its end, so that the connection goes back to
/// the pool. One used in place whole by `Content-Length` need not be: hyper ends the body
/// stream when it reads the last byte of the length (the wire test
/// `a_reply_decodes_the_same_whole_or_in_pieces_with_or_without_a_length` sends six such
/// replies over one connection).
pub(crate) fn read_body(
    mut response: reqwest::Response,
    headers: &mut http::HeaderMap,
) -> impl Future<Output = reqwest::Result<bytes::Bytes>> {
    let expected = response.content_length();
    async move {
        let Some(first) = response.chunk().await? else {
            return Ok(bytes::Bytes::new());
        };
        let small = first.len() < COPY_OUT;
        if small && expected == Some(first.len() as u64) {
            return Ok(first);
        }
        // No length given: a small reply that ends with its first chunk is used in place.
        let second = if small && expected.is_none() {
            match response.chunk().await? {
                None => return Ok(first),
                second => second,
            }
        } else {
            None
        };
        let arrived = first.len() + second.as_ref().map_or(0, |s| s.len());
        let reserve = expected.unwrap_or(0).min(MAX_RESERVE) as usize;
        let mut body = Vec::with_capacity(reserve.max(arrived));
        body.extend_from_slice(&first);
        drop(first);
        if let Some(second) = second {
            body.extend_from_slice(&second);
        }
        own_values(headers);
        while let Some(chunk) = response.chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(body.into())
    }
}

/// Replaces each header value with an owned copy, so that none keeps the buffer it was parsed
/// from alive.
fn own_values(headers: &mut http::HeaderMap) {
    for value in headers.values_mut() {
        let owned = http::HeaderValue::from_bytes(value.as_bytes())
            .map(|mut owned| {
                owned.set_sensitive(value.is_sensitive());
                owned
            })
            .unwrap_or_else(|_| value.clone());
        *value = owned;
    }
}
