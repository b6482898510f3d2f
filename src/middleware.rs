//! The path every generated request takes: progenitor's `exec` hook.
//!
//! In order: refuse operations the sandbox does not serve; send `explode: false` arrays
//! comma-joined; per attempt, throttle by rate-limit category, add the bearer token (refreshed
//! first when it is about to expire), send; then after a 401 refresh once and retry once, wait
//! out a short 429, retry connection errors and 5xx as the [`RetryPolicy`] allows, and hand
//! non-2xx bodies to the error conversion.
//!
//! [`RetryPolicy`]: crate::retry::RetryPolicy

use crate::error::ApiError;
use crate::error::{ErrorBody, LocalFailure};
use crate::operation::{self, Operation};
use crate::rate_limit::{self, Verdict};
use crate::{Client, Error};
use futures::FutureExt;
use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use reqwest::{Request, Response, StatusCode};
use std::time::Instant;

impl ClientHooks<crate::client::Inner> for Client {
    // A plain function returning `execute`'s future, mapped: an `async fn` here would keep the
    // request a second time and wrap that future in one more state machine, and every request's
    // future is moved whole into its caller's.
    fn exec(
        &self,
        request: Request,
        info: &OperationInfo,
    ) -> impl Future<Output = reqwest::Result<Response>> {
        execute(self, request, operation::find(info.operation_id)).map(|outcome| match outcome {
            Ok(response) => Ok(response),
            Err(Failed::Transport(e)) => Err(e),
            Err(Failed::Local(e)) => Ok(LocalFailure(e).into_response()),
        })
    }
}

/// Why [`execute`] produced no reply to pass on.
pub(crate) enum Failed {
    /// The network failed; progenitor reports it as a communication error.
    Transport(reqwest::Error),
    /// One of the client's own layers failed.
    Local(Error),
}

impl From<Error> for Failed {
    fn from(e: Error) -> Self {
        Failed::Local(e)
    }
}

/// Sends `request` for operation `op` (None for requests the table does not know) through every
/// layer of the client.
///
/// What needs no waiting is done before the future is made, so that the future holds only what
/// lives across its awaits: the request once (in its [`Source`]), never the request being sent.
pub(crate) fn execute(
    client: &Client,
    mut request: Request,
    op: Option<&'static Operation>,
) -> impl Future<Output = Result<Response, Failed>> {
    let inner = &client.inner;
    // The operation's name when the sandbox does not serve it.
    let refused = match op {
        Some(op) if inner.environment.is_sandbox() && !op.sandbox => Some(op.name),
        Some(op) => {
            join_commas(&mut request, op.comma_joined);
            None
        }
        None => None,
    };
    let category = op.map(|o| o.rate_limit_category).filter(|c| !c.is_empty());
    let auth = inner
        .auth
        .as_deref()
        .filter(|_| op.is_none_or(Operation::uses_bearer));
    let mut source = Source::new(request);
    async move {
        if let Some(operation) = refused {
            return Err(Error::SandboxUnsupported { operation }.into());
        }
        let started = Instant::now();
        let mut attempt: u32 = 0;
        let mut refreshed_after_401 = false;
        let mut rate_limit_retries: u32 = 0;
        loop {
            attempt += 1;
            if let Some(wait) = category.and_then(|c| inner.rate_limits.throttle(c)) {
                inner.sleeper.sleep(wait).await;
            }
            // The header goes on the request kept for retries, before it is copied: a copy has
            // no room to spare, and inserting into it would grow and rehash its header map.
            let token = match auth {
                Some(auth) => {
                    let authorization = auth.authorization().await?;
                    source.insert_header(AUTHORIZATION, authorization.header);
                    authorization.token
                }
                None => None,
            };
            let is_one_shot = !source.replayable();
            // In a block of its own: the request sent is gone before the await, so the future
            // does not keep room for it.
            let (sending, method) = {
                let Some(req) = source.next() else {
                    // Only a streaming body runs out, and it is never retried below.
                    return Err(Error::InvalidRequest(
                        "a streaming request body cannot be sent twice".into(),
                    )
                    .into());
                };
                let method = req.method().clone();
                (client.client.execute(req), method)
            };
            let response = match sending.await {
                Ok(r) => r,
                Err(e) => {
                    if !is_one_shot
                        && let Some(wait) =
                            inner
                                .retry
                                .after_error(&method, attempt, started.elapsed(), &e)
                    {
                        inner.sleeper.sleep(wait).await;
                        continue;
                    }
                    return Err(Failed::Transport(e));
                }
            };
            if let Some(category) = category {
                inner.rate_limits.record(category, response.headers());
            }
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED
                && !refreshed_after_401
                && !is_one_shot
                && let (Some(auth), Some(token)) = (auth, &token)
                && auth.can_refresh()
            {
                refreshed_after_401 = true;
                auth.refresh_after_unauthorized(token).await?;
                attempt -= 1;
                continue;
            }
            if status.is_success() {
                return Ok(response);
            }
            // Boxed: only a non-2xx reply comes here, and inline the body read and the error's
            // parts would make every request's future larger.
            let next = Box::pin(after_failure(
                inner,
                response,
                category,
                is_one_shot,
                &method,
                attempt,
                started,
                rate_limit_retries,
            ))
            .await;
            match next {
                AfterFailure::RetryRateLimited => {
                    rate_limit_retries += 1;
                    attempt -= 1;
                }
                AfterFailure::Retry => {}
                AfterFailure::Return(outcome) => return outcome,
            }
        }
    }
}

/// What [`after_failure`] decided, having waited already when it is a retry.
enum AfterFailure {
    /// Send again after a 429 (the wait does not count as an attempt).
    RetryRateLimited,
    /// Send again after a 5xx, as the retry policy allows.
    Retry,
    /// Pass this on.
    Return(Result<Response, Failed>),
}

/// A reply that is neither a success nor a 401 to refresh after: reads its body, then waits out
/// a short 429 or a 5xx the retry policy retries, or hands it on (a 429 as [`Error::RateLimited`]).
#[allow(clippy::too_many_arguments)]
async fn after_failure(
    inner: &crate::client::Inner,
    response: Response,
    category: Option<&'static str>,
    is_one_shot: bool,
    method: &reqwest::Method,
    attempt: u32,
    started: Instant,
    rate_limit_retries: u32,
) -> AfterFailure {
    let headers = response.headers().clone();
    let (status, response, body) = match buffer(response).await {
        Ok(parts) => parts,
        Err(e) => return AfterFailure::Return(Err(Failed::Transport(e))),
    };
    if status == StatusCode::TOO_MANY_REQUESTS {
        let verdict = match is_one_shot {
            true => Verdict::GiveUp,
            false => inner
                .rate_limits
                .on_too_many_requests(&headers, &body, rate_limit_retries),
        };
        if let Verdict::RetryAfter(wait) = verdict {
            inner.sleeper.sleep(wait).await;
            return AfterFailure::RetryRateLimited;
        }
        let api = ApiError::from_parts(status, headers, &body);
        let limited = rate_limit::rate_limited_from(&api, category);
        return AfterFailure::Return(Err(Error::RateLimited(limited).into()));
    }
    if status.is_server_error()
        && !is_one_shot
        && let Some(wait) = inner
            .retry
            .after_status(method, attempt, started.elapsed(), status)
    {
        inner.sleeper.sleep(wait).await;
        return AfterFailure::Retry;
    }
    AfterFailure::Return(Ok(response))
}

/// Where each attempt's request comes from: clones of the original, or, for a streaming body
/// that cannot be cloned, the original once.
enum Source {
    Replayable(Request),
    Once(Option<Request>),
}

impl Source {
    fn new(request: Request) -> Source {
        // What `try_clone` can copy: no body, or one held in memory. Asked without copying.
        if request.body().is_none_or(|b| b.as_bytes().is_some()) {
            Source::Replayable(request)
        } else {
            Source::Once(Some(request))
        }
    }

    /// Sets a header on the request every later attempt is made from.
    fn insert_header(&mut self, name: HeaderName, value: HeaderValue) {
        let request = match self {
            Source::Replayable(r) => Some(r),
            Source::Once(r) => r.as_mut(),
        };
        if let Some(request) = request {
            request.headers_mut().insert(name, value);
        }
    }

    fn replayable(&self) -> bool {
        matches!(self, Source::Replayable(_))
    }

    fn next(&mut self) -> Option<Request> {
        match self {
            // The original goes, a copy stays for a retry: the copy's header map has no room
            // to spare, the original's takes the client's default headers (`User-Agent`)
            // without growing.
            Source::Replayable(r) => {
                let copy = copy_of(r)?;
                Some(std::mem::replace(r, copy))
            }
            Source::Once(r) => r.take(),
        }
    }
}

/// A copy of a request whose body is absent or in memory.
///
/// A request without a body is copied part by part: `Request::try_clone` also makes and then
/// drops an extension map for the per-request timeout even when there is none (~600 of its
/// ~1 400 instructions). A request built by `reqwest`'s `RequestBuilder` has no extensions
/// but that timeout, which is copied when set.
fn copy_of(request: &Request) -> Option<Request> {
    if request.body().is_some() {
        return request.try_clone();
    }
    let mut copy = Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *copy.timeout_mut() = Some(*timeout);
    }
    Some(copy)
}

/// Reads a non-2xx reply's body and rebuilds the reply with the body in its extensions, where
/// the (synchronous) conversion into [`Error`] finds it.
async fn buffer(response: Response) -> reqwest::Result<(StatusCode, Response, bytes::Bytes)> {
    let status = response.status();
    let version = response.version();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    let mut rebuilt = http::Response::new(body.clone());
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    rebuilt.extensions_mut().insert(ErrorBody(body.clone()));
    Ok((status, Response::from(rebuilt), body))
}

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

/// progenitor sends an array query parameter as repeated keys (`columns=A&columns=B`); the
/// description's `explode: false` parameters must go out as `columns=A,B`.
fn join_commas(request: &mut Request, names: &[&str]) {
    if names.is_empty() || request.url().query().is_none() {
        return;
    }
    let pairs: Vec<(String, String)> = request
        .url()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut out: Vec<(String, String)> = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        if names.contains(&k.as_str())
            && let Some(existing) = out.iter_mut().find(|(ek, _)| *ek == k)
        {
            existing.1.push(',');
            existing.1.push_str(&v);
            continue;
        }
        out.push((k, v));
    }
    request
        .url_mut()
        .query_pairs_mut()
        .clear()
        .extend_pairs(out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: Option<&'static str>, timeout: Option<std::time::Duration>) -> Request {
        let http = crate::client::http_client_builder()
            .build()
            .expect("a client");
        let mut builder = http
            .post("https://api.pinterest.com/v5/pins?ad_account_id=1")
            .header(AUTHORIZATION, "Bearer t")
            .header("x-custom", "a")
            .header("x-custom", "b");
        if let Some(body) = body {
            builder = builder.body(body);
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        builder.build().expect("a request")
    }

    #[test]
    fn a_copy_for_a_retry_has_everything_the_original_has() {
        let seconds = std::time::Duration::from_secs;
        for (body, timeout) in [
            (None, None),
            (None, Some(seconds(3))),
            (Some("{\"a\":1}"), None),
            (Some("{\"a\":1}"), Some(seconds(5))),
        ] {
            let original = request(body, timeout);
            let copy = copy_of(&original).expect("a copy");
            assert_eq!(copy.method(), original.method());
            assert_eq!(copy.url(), original.url());
            assert_eq!(copy.headers(), original.headers());
            assert_eq!(copy.version(), original.version());
            assert_eq!(copy.timeout(), timeout.as_ref());
            assert_eq!(
                copy.body().and_then(|b| b.as_bytes()),
                body.map(str::as_bytes)
            );
        }
    }
}
