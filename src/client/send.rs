//! The path every generated request takes: each `send()` calls [`send`] (codegen's
//! `crate_errors` pass), which answers the reply of a request that succeeded, or the crate's
//! [`Error`] for every way it can fail.
//!
//! In order: refuse operations the sandbox does not serve; send `explode: false` arrays
//! comma-joined; per attempt, throttle by rate-limit category, add the bearer token (refreshed
//! first when it is about to expire), send; then send again at once what the server refused
//! unprocessed, after a 401 refresh once and retry once, wait out a short 429, retry connection
//! errors and 5xx as the [`RetryPolicy`] allows, and turn what is left of a non-2xx reply,
//! its body read, into [`Error::Api`] or [`Error::RateLimited`].
//!
//! [`RetryPolicy`]: crate::client::retry::RetryPolicy

use crate::client::rate_limit::{self, Verdict};
use crate::error::ApiError;
use crate::operation::{self, Operation};
use crate::{Client, Error};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Request, Response, StatusCode};
use std::time::Instant;

/// Sends the request of the operation `operation_id` (what each generated `send()` calls).
///
/// A plain function returning `execute`'s future: an `async fn` here would keep the request a
/// second time and wrap that future in one more state machine, and every request's future is
/// moved whole into its caller's.
pub(crate) fn send(
    client: &Client,
    request: Request,
    operation_id: &'static str,
) -> impl Future<Output = Result<Response, Error>> {
    execute(client, request, operation::find(operation_id))
}

/// Sends `request` for operation `op` (None for requests the table does not know) through every
/// layer of the client.
///
/// What needs no waiting is done before the future is made, so that the future holds only what
/// lives across its awaits: the request not yet sent, and its [`Replay`] for a retry.
pub(crate) fn execute(
    client: &Client,
    mut request: Request,
    op: Option<&'static Operation>,
) -> impl Future<Output = Result<Response, Error>> {
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
    // None for a streaming body, which is sent once and never retried.
    let replay = Replay::of(&request);
    let span = crate::client::trace::request_span(op, request.method());
    let mut next = Some(request);
    crate::client::trace::instrument(span, async move {
        if let Some(operation) = refused {
            return Err(Error::SandboxUnsupported { operation });
        }
        let started = Instant::now();
        let mut attempt: u32 = 0;
        let mut refreshed_after_401 = false;
        let mut rate_limit_retries: u32 = 0;
        let mut unprocessed_resends: u32 = 0;
        loop {
            attempt += 1;
            if let Some(wait) = category.and_then(|c| inner.rate_limits.throttle(c)) {
                crate::client::trace::throttled(category, wait);
                inner.sleeper.sleep(wait).await;
            }
            let (header, token) = match auth {
                Some(auth) => {
                    let authorization = auth.authorization().await?;
                    (Some(authorization.header), authorization.token)
                }
                // The app's Basic credentials for an operation only they authorise.
                None => (
                    crate::auth::app_authorization(inner.auth.as_deref(), op)?,
                    None,
                ),
            };
            // In a block of its own, with no await between taking the request and sending it:
            // the future keeps room for the request once.
            let (sending, method) = {
                let Some(mut request) = next.take() else {
                    // Every retry below sets the next request; this is a defect, not bad input.
                    return Err(Error::InvalidRequest(
                        "no request to send: a retry was started without one".into(),
                    ));
                };
                if let Some(header) = header {
                    request.headers_mut().insert(AUTHORIZATION, header);
                }
                let method = request.method().clone();
                (client.client.execute(request), method)
            };
            // What the reply (or the failure) leads to is decided in a block of its own, with no
            // wait in it, and a retry's request goes straight into `next`: whatever is alive
            // across a wait takes room in every request's future, retried or not.
            let step = 'step: {
                let response = match sending.await {
                    Ok(response) => response,
                    Err(e) => {
                        crate::client::trace::no_reply(attempt, &e);
                        // Refused before the server did anything: sent again at once, whatever
                        // the method (the client's `reqwest` has its own such layer off).
                        if unprocessed_resends < crate::client::retry::UNPROCESSED_RESENDS
                            && crate::client::retry::refused_unprocessed(&e)
                            && let Some(again) = replay.as_ref().and_then(|r| r.rebuild(e.url()))
                        {
                            next = Some(again);
                            crate::client::trace::resend_unprocessed(attempt);
                            break 'step Step::Resend;
                        }
                        let wait = replay.as_ref().and_then(|replay| {
                            let wait =
                                inner
                                    .retry
                                    .after_error(&method, attempt, started.elapsed(), &e)?;
                            next = Some(replay.rebuild(e.url())?);
                            Some(wait)
                        });
                        match wait {
                            Some(wait) => {
                                crate::client::trace::retry_after_error(attempt, &e, wait);
                                break 'step Step::Wait(wait);
                            }
                            None => return Err(Error::from(e)),
                        }
                    }
                };
                crate::client::trace::reply(attempt, &response);
                if let Some(category) = category {
                    inner.rate_limits.record(category, response.headers());
                }
                let status = response.status();
                if status == StatusCode::UNAUTHORIZED
                    && !refreshed_after_401
                    && let (Some(auth), Some(token)) = (auth, token)
                    && auth.can_refresh()
                {
                    next = replay
                        .as_ref()
                        .and_then(|r| r.rebuild(Some(response.url())));
                    if next.is_some() {
                        crate::client::trace::unauthorized(attempt);
                        break 'step Step::Refresh(auth, token);
                    }
                }
                if status.is_success() {
                    return Ok(response);
                }
                Step::Failed(response)
            };
            match step {
                Step::Resend => {
                    unprocessed_resends += 1;
                    attempt -= 1;
                }
                Step::Wait(wait) => inner.sleeper.sleep(wait).await,
                Step::Refresh(auth, rejected) => {
                    refreshed_after_401 = true;
                    auth.refresh_after_unauthorized(&rejected).await?;
                    attempt -= 1;
                }
                // Boxed: only a non-2xx reply comes here, and inline the body read and the
                // error's parts would make every request's future larger.
                Step::Failed(response) => {
                    let decided = Box::pin(after_failure(
                        inner,
                        response,
                        category,
                        replay.as_ref(),
                        &method,
                        attempt,
                        started,
                        rate_limit_retries,
                    ))
                    .await;
                    match decided {
                        AfterFailure::RetryRateLimited(again) => {
                            next = Some(again);
                            rate_limit_retries += 1;
                            attempt -= 1;
                        }
                        AfterFailure::Retry(again) => next = Some(again),
                        AfterFailure::Fail(error) => return Err(error),
                    }
                }
            }
        }
    })
}

/// What one attempt's outcome leads to, when it is not handed on at once.
enum Step<'a> {
    /// Send `next` again at once: the server refused it unprocessed.
    Resend,
    /// Send `next` again after this wait (a connection error the retry policy retries).
    Wait(std::time::Duration),
    /// Refresh after the 401 that rejected this token, then send `next` again.
    Refresh(&'a crate::auth::TokenManager, crate::auth::AccessToken),
    /// A reply that is neither a success nor a 401 to refresh after.
    Failed(Response),
}

/// What [`after_failure`] decided, having waited already when it is a retry.
enum AfterFailure {
    /// Send this request again after a 429 (the wait does not count as an attempt).
    RetryRateLimited(Request),
    /// Send this request again after a 5xx, as the retry policy allows.
    Retry(Request),
    /// Give up with this error.
    Fail(Error),
}

/// A reply that is neither a success nor a 401 to refresh after: reads its body, then waits out
/// a short 429 or a 5xx the retry policy retries, or fails with [`Error::RateLimited`] for a 429
/// and [`Error::Api`] for the rest.
#[allow(clippy::too_many_arguments)]
async fn after_failure(
    inner: &crate::client::Inner,
    mut response: Response,
    category: Option<&'static str>,
    replay: Option<&Replay>,
    method: &reqwest::Method,
    attempt: u32,
    started: Instant,
    rate_limit_retries: u32,
) -> AfterFailure {
    // Only a 429 or a 5xx may be retried. The request is rebuilt from the reply's URL before
    // the reply is buffered (which drops the URL); None when it cannot be sent again.
    let status = response.status();
    let again = match status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        true => replay.and_then(|r| r.rebuild(Some(response.url()))),
        false => None,
    };
    let headers = std::mem::take(response.headers_mut());
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(e) => return AfterFailure::Fail(Error::from(e)),
    };
    if status == StatusCode::TOO_MANY_REQUESTS {
        let verdict = match &again {
            None => Verdict::GiveUp,
            Some(_) => inner
                .rate_limits
                .on_too_many_requests(&headers, &body, rate_limit_retries),
        };
        if let (Verdict::RetryAfter(wait), Some(again)) = (verdict, again) {
            crate::client::trace::rate_limited(category, wait);
            inner.sleeper.sleep(wait).await;
            return AfterFailure::RetryRateLimited(again);
        }
        let api = ApiError::from_parts(status, headers, &body);
        let limited = rate_limit::rate_limited_from(&api, category);
        return AfterFailure::Fail(Error::RateLimited(limited));
    }
    if status.is_server_error()
        && let Some(again) = again
        && let Some(wait) = inner
            .retry
            .after_status(method, attempt, started.elapsed(), status)
    {
        crate::client::trace::retry_after_status(attempt, status, wait);
        inner.sleeper.sleep(wait).await;
        return AfterFailure::Retry(again);
    }
    AfterFailure::Fail(Error::Api(Box::new(ApiError::from_parts(
        status, headers, &body,
    ))))
}

/// What a retry is rebuilt from, taken before the first attempt is sent.
///
/// A request without a body is not copied up front: a copy of its URL and header map before
/// every send cost raw `reqwest` 0.5-2.6 % of a loopback `GET`'s throughput (bench
/// `request_overhead -- --parts`, and the experiments before it), and most requests are
/// never retried. Its URL comes back with the reply or the error of the attempt before, and a print
/// of it tells whether that is still the request's own URL (after a redirect it is not, and
/// the request is not sent again). The headers the generated code sets are one or two static
/// values, kept in place; `Authorization` is set again on every attempt.
// `Parts` is inline on purpose: it is every bodiless request's, and boxing it would cost an
// allocation per request.
#[allow(clippy::large_enum_variant)]
enum Replay {
    /// A request without a body.
    Parts {
        method: reqwest::Method,
        version: http::Version,
        timeout: Option<std::time::Duration>,
        headers: KeptHeaders,
        url: UrlPrint,
    },
    /// A request with a body held in memory, copied whole: `reqwest` shares a body (without
    /// copying its bytes) only in a copy of the whole request. Boxed, so that a `Replay` is
    /// not as large as a request in every request's future.
    Copy(Box<Request>),
}

impl Replay {
    /// None for a streaming body, which cannot be sent twice.
    fn of(request: &Request) -> Option<Replay> {
        if request.body().is_some() {
            return request.try_clone().map(|copy| Replay::Copy(Box::new(copy)));
        }
        Some(Replay::Parts {
            method: request.method().clone(),
            version: request.version(),
            timeout: request.timeout().copied(),
            headers: KeptHeaders::of(request.headers()),
            url: UrlPrint::of(request.url()),
        })
    }

    /// The request again, at `url` (where the last attempt went), or None when that is not
    /// the request's own URL.
    fn rebuild(&self, url: Option<&reqwest::Url>) -> Option<Request> {
        let url = url?;
        match self {
            Replay::Parts {
                method,
                version,
                timeout,
                headers,
                url: own,
            } => {
                if UrlPrint::of(url) != *own {
                    return None;
                }
                let mut request = Request::new(method.clone(), url.clone());
                headers.put_into(request.headers_mut());
                *request.version_mut() = *version;
                *request.timeout_mut() = *timeout;
                Some(request)
            }
            Replay::Copy(request) if request.url() == url => request.try_clone(),
            Replay::Copy(_) => None,
        }
    }
}

/// A request's headers: up to two kept in place (cloning a static value copies no bytes), more
/// in a copy of the map.
enum KeptHeaders {
    Few([Option<(HeaderName, HeaderValue)>; 2]),
    Many(HeaderMap),
}

impl KeptHeaders {
    fn of(headers: &HeaderMap) -> KeptHeaders {
        if headers.len() > 2 {
            return KeptHeaders::Many(headers.clone());
        }
        let mut few = [None, None];
        for (slot, (name, value)) in few.iter_mut().zip(headers) {
            *slot = Some((name.clone(), value.clone()));
        }
        KeptHeaders::Few(few)
    }

    fn put_into(&self, headers: &mut HeaderMap) {
        match self {
            KeptHeaders::Few(few) => {
                for (name, value) in few.iter().flatten() {
                    headers.append(name.clone(), value.clone());
                }
            }
            KeptHeaders::Many(all) => headers.clone_from(all),
        }
    }
}

/// A URL's length and hash (`crate::hash`): enough to tell the request's own URL from a
/// redirect's. It guards against accidents (a redirect followed by a user's own `reqwest`
/// client), not against a server choosing collisions: a server that redirects has been sent the
/// request already.
#[derive(PartialEq)]
struct UrlPrint(usize, u64);

impl UrlPrint {
    fn of(url: &reqwest::Url) -> UrlPrint {
        UrlPrint(url.as_str().len(), crate::hash::of(url.as_str().as_bytes()))
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

    /// A request with `Accept` and, with a body, `Content-Type`, and `extra` more headers.
    fn request(
        body: Option<&'static str>,
        timeout: Option<std::time::Duration>,
        extra: usize,
    ) -> Request {
        let http = crate::client::http_client_builder()
            .build()
            .expect("a client");
        let mut builder = http
            .post("https://api.pinterest.com/v5/pins?ad_account_id=1")
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        // Two values under one name among them.
        for i in 0..extra {
            builder = builder.header(if i == 0 { "x-one" } else { "x-two" }, i.to_string());
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        builder.build().expect("a request")
    }

    #[test]
    fn a_retry_has_everything_the_original_has() {
        let seconds = std::time::Duration::from_secs;
        for (body, timeout) in [
            (None, None),
            (None, Some(seconds(3))),
            (Some("{\"a\":1}"), None),
            (Some("{\"a\":1}"), Some(seconds(5))),
        ] {
            for extra in [0, 1, 3] {
                let original = request(body, timeout, extra);
                let replay = Replay::of(&original).expect("an in-memory body can be sent again");
                let again = replay.rebuild(Some(original.url())).expect("a retry");
                assert_eq!(again.method(), original.method());
                assert_eq!(again.url(), original.url());
                assert_eq!(again.headers(), original.headers(), "{extra} extra headers");
                assert_eq!(again.version(), original.version());
                assert_eq!(again.timeout(), timeout.as_ref());
                assert_eq!(
                    again.body().and_then(|b| b.as_bytes()),
                    body.map(str::as_bytes)
                );
            }
        }
    }

    #[test]
    fn a_request_is_not_sent_again_to_a_url_it_was_redirected_to() {
        let original = request(None, None, 0);
        let replay = Replay::of(&original).expect("a replay");
        let elsewhere = reqwest::Url::parse("https://api.pinterest.com/v5/pins?ad_account_id=2")
            .expect("a URL");
        assert!(replay.rebuild(Some(&elsewhere)).is_none());
        assert!(replay.rebuild(None).is_none());
    }

    #[test]
    fn a_streaming_body_is_sent_once() {
        let http = crate::client::http_client_builder()
            .build()
            .expect("a client");
        let stream = futures::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from("a"))]);
        let original = http
            .post("https://api.pinterest.com/v5/media")
            .body(reqwest::Body::wrap_stream(stream))
            .build()
            .expect("a request");
        assert!(Replay::of(&original).is_none());
    }
}
