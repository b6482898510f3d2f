//! Any operation by its id, with its parameters as text and its body as JSON:
//! [`Client::call`], for callers that name operations at run time (scripts, a command line).
//!
//! The request takes the path every generated `send()` takes: bearer token and refresh,
//! comma-joined arrays, throttling, retries, rate-limit waits, and the crate's [`Error`] for
//! every failure. What is wrong with the request itself (an unknown operation or parameter, a
//! missing required one, a value of the wrong type, a body where none is taken) is
//! [`Error::InvalidRequest`] before anything is sent.

use crate::operation::{self, BodyKind, Location, Operation, ValueType};
use crate::{Client, Error};
use futures::Stream;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::Value;

/// The parameters and body of a [`Client::call`].
///
/// Parameters are named as the description names them (`pin_id`, `page_size`), whatever their
/// location (path, query or header); an array parameter takes one [`param`](Self::param) per
/// value.
///
/// ```
/// use pinterest_v5::client::CallParams;
/// let params = CallParams::new()
///     .param("ad_account_id", "549755885175")
///     .param("columns", "SPEND_IN_DOLLAR")
///     .param("columns", "TOTAL_CLICKTHROUGH")
///     .body(serde_json::json!({"name": "Spring"}));
/// assert_eq!(params.values("columns").count(), 2);
/// ```
#[derive(Clone, Debug, Default)]
pub struct CallParams {
    params: Vec<(String, String)>,
    body: Option<Value>,
}

impl CallParams {
    /// No parameters, no body.
    ///
    /// ```
    /// assert_eq!(pinterest_v5::client::CallParams::new().values("pin_id").count(), 0);
    /// ```
    pub fn new() -> Self {
        CallParams::default()
    }

    /// Adds a value of the parameter `name` (once more for each value of an array).
    ///
    /// ```
    /// let params = pinterest_v5::client::CallParams::new().param("pin_id", "42");
    /// assert_eq!(params.values("pin_id").collect::<Vec<_>>(), ["42"]);
    /// ```
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// Replaces every value of the parameter `name` with `value`.
    ///
    /// ```
    /// let mut params = pinterest_v5::client::CallParams::new().param("bookmark", "a");
    /// params.set("bookmark", "b");
    /// assert_eq!(params.values("bookmark").collect::<Vec<_>>(), ["b"]);
    /// ```
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.params.retain(|(n, _)| n != name);
        self.params.push((name.to_string(), value.into()));
    }

    /// The request body (a JSON value; for a form body, an object of scalars).
    ///
    /// ```
    /// let params = pinterest_v5::client::CallParams::new().body(serde_json::json!({"name": "x"}));
    /// # let _ = params;
    /// ```
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// The values given for the parameter `name`, in order.
    ///
    /// ```
    /// let params = pinterest_v5::client::CallParams::new().param("a", "1").param("a", "2");
    /// assert_eq!(params.values("a").collect::<Vec<_>>(), ["1", "2"]);
    /// ```
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.params
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Client {
    /// Sends the operation `operation`, named by the description's id (`pins/get`) or by
    /// method name (`pins_get`), and returns the reply's JSON (`Value::Null` for an empty
    /// reply).
    ///
    /// Errors: [`Error::InvalidRequest`], nothing sent, for an operation that is not generated
    /// (see [`operation::lookup`]), a parameter it does not have, a missing required one, a
    /// repeated one that is not an array, a value that is not of the parameter's type, a body
    /// where it takes none or none where it needs one; otherwise what every operation can fail
    /// with ([`Error::Api`], [`Error::RateLimited`], …).
    ///
    /// ```no_run
    /// # async fn run() -> pinterest_v5::Result<()> {
    /// use pinterest_v5::{Client, client::CallParams};
    /// let client = Client::with_access_token("pina_…")?;
    /// let pin = client.call("pins/get", CallParams::new().param("pin_id", "813744226420795886")).await?;
    /// println!("{}", pin["title"]);
    /// # Ok(()) }
    /// ```
    pub async fn call(&self, operation: &str, params: CallParams) -> Result<Value, Error> {
        let op = find_operation(operation)?;
        self.call_op(op, &params).await
    }

    /// Every page of a bookmark-paginated operation (see [`Client::call`]), one reply (with its
    /// `items`) per page, following each page's `bookmark` until a page has none.
    ///
    /// Fails at once with [`Error::InvalidRequest`] for an operation that does not page.
    ///
    /// ```no_run
    /// # async fn run() -> pinterest_v5::Result<()> {
    /// use futures::TryStreamExt;
    /// use pinterest_v5::{Client, client::CallParams};
    /// let client = Client::with_access_token("pina_…")?;
    /// let mut pages = std::pin::pin!(client.call_pages("boards/list", CallParams::new()));
    /// while let Some(page) = pages.try_next().await? {
    ///     for board in page["items"].as_array().into_iter().flatten() {
    ///         println!("{}", board["name"]);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn call_pages<'a>(
        &'a self,
        operation: &str,
        params: CallParams,
    ) -> impl Stream<Item = Result<Value, Error>> + 'a {
        let start = find_operation(operation).and_then(|op| match op.paginated {
            true => Ok(op),
            false => Err(Error::InvalidRequest(format!(
                "`{}` does not page (it has no `bookmark` parameter); call it once instead",
                op.operation_id
            ))),
        });
        let state = Some((start, params));
        futures::stream::unfold(state, move |state| async move {
            let (op, mut params) = state?;
            let op = match op {
                Ok(op) => op,
                Err(e) => return Some((Err(e), None)),
            };
            match self.call_op(op, &params).await {
                Ok(page) => {
                    let next = page
                        .get("bookmark")
                        .and_then(Value::as_str)
                        .filter(|b| !b.is_empty())
                        .map(str::to_string);
                    let state = next.map(|bookmark| {
                        params.set("bookmark", bookmark);
                        (Ok(op), params)
                    });
                    Some((Ok(page), state))
                }
                Err(e) => Some((Err(e), None)),
            }
        })
    }

    pub(crate) async fn call_op(
        &self,
        op: &'static Operation,
        params: &CallParams,
    ) -> Result<Value, Error> {
        let request = self.call_request(op, params)?;
        let mut response = crate::client::send::execute(self, request, Some(op)).await?;
        let status = response.status();
        let mut headers = std::mem::take(response.headers_mut());
        let body = crate::rt::reply::read_body(response, &mut headers).await?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&body).map_err(|e| Error::Decode {
            status: Some(status),
            excerpt: crate::error::excerpt(&body),
            message: e.to_string(),
        })
    }

    /// The request of `op` with `params`, checked against the table.
    fn call_request(
        &self,
        op: &'static Operation,
        params: &CallParams,
    ) -> Result<reqwest::Request, Error> {
        let name = op.operation_id;
        let invalid = |m: String| Error::InvalidRequest(format!("`{name}`: {m}"));
        for (given, _) in &params.params {
            if op.parameter(given).is_none() {
                let known: Vec<&str> = op.parameters.iter().map(|p| p.name).collect();
                return Err(invalid(match known.is_empty() {
                    true => format!("it takes no parameter, and `{given}` was given"),
                    false => format!(
                        "it has no parameter `{given}`; its parameters are {}",
                        known.join(", ")
                    ),
                }));
            }
        }
        let mut path = String::with_capacity(op.path.len() + 32);
        let mut rest = op.path;
        let mut query: Vec<(&str, &str)> = Vec::new();
        let mut headers: Vec<(&str, &str)> = Vec::new();
        for p in op.parameters {
            let values: Vec<&str> = params.values(p.name).collect();
            if values.is_empty() && p.required {
                let at = match p.location {
                    Location::Path => "path",
                    Location::Query => "query",
                    Location::Header => "header",
                };
                return Err(invalid(format!(
                    "the {at} parameter `{}` is required; give it (`{}=VALUE`)",
                    p.name, p.name
                )));
            }
            if values.len() > 1 && !p.array {
                return Err(invalid(format!(
                    "the parameter `{}` takes one value, and {} were given",
                    p.name,
                    values.len()
                )));
            }
            for value in &values {
                check_type(p.value_type, value)
                    .map_err(|what| invalid(format!("`{}`: {what}", p.name)))?;
            }
            match p.location {
                Location::Path => {
                    let placeholder = format!("{{{}}}", p.name);
                    if let Some(at) = rest.find(&placeholder) {
                        path.push_str(&rest[..at]);
                        path.push_str(&progenitor_client::encode_path(values[0]));
                        rest = &rest[at + placeholder.len()..];
                    }
                }
                Location::Query => query.extend(values.iter().map(|v| (p.name, *v))),
                Location::Header => headers.extend(values.iter().map(|v| (p.name, *v))),
            }
        }
        path.push_str(rest);
        let mut url = self
            .inner
            .base
            .join(format_args!("{path}"))
            .map_err(Error::Config)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let method = reqwest::Method::from_bytes(op.method.as_bytes())
            .map_err(|_| invalid(format!("the method `{}` is not an HTTP method", op.method)))?;
        let mut builder = self
            .client
            .request(method, url)
            .header(reqwest::header::ACCEPT, "application/json");
        for (name, value) in headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(format!("`{name}` cannot be a header name")))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| invalid(format!("the value of `{name}` cannot be a header value")))?;
            builder = builder.header(name, value);
        }
        builder = match (op.body, &params.body) {
            (None, Some(_)) => return Err(invalid("it takes no request body".into())),
            (Some(body), None) if body.required => {
                return Err(invalid(
                    "it needs a request body (a JSON document); give one".into(),
                ));
            }
            (_, None) => builder,
            (Some(body), Some(value)) => match body.kind {
                BodyKind::Json => builder.json(value),
                BodyKind::Form => builder.form(&form_pairs(value).map_err(invalid)?),
                BodyKind::Multipart | BodyKind::Other => {
                    return Err(invalid(
                        "its request body is not JSON or a form, which a call cannot send; use the operation's method".into(),
                    ));
                }
            },
        };
        builder.build().map_err(Error::from)
    }
}

/// The generated operation named `operation`, or what to do instead.
fn find_operation(operation: &str) -> Result<&'static Operation, Error> {
    operation::lookup(operation).ok_or_else(|| {
        Error::InvalidRequest(format!(
            "no operation `{operation}` (in this build's API areas); give a description's id like `pins/create` or a method name like `pins_create`"
        ))
    })
}

/// Whether `value` reads as a value of type `ty` (what is wrong with it otherwise).
fn check_type(ty: ValueType, value: &str) -> Result<(), String> {
    let ok = match ty {
        ValueType::String => true,
        ValueType::Integer => value.parse::<i64>().is_ok(),
        ValueType::Number => value.parse::<f64>().is_ok_and(f64::is_finite),
        ValueType::Boolean => matches!(value, "true" | "false"),
    };
    match ok {
        true => Ok(()),
        false => Err(format!(
            "`{value}` is not {}",
            match ty {
                ValueType::String => "text",
                ValueType::Integer => "a whole number",
                ValueType::Number => "a number",
                ValueType::Boolean => "`true` or `false`",
            }
        )),
    }
}

/// A form body's pairs from a JSON object of scalars.
fn form_pairs(body: &Value) -> Result<Vec<(String, String)>, String> {
    let Some(object) = body.as_object() else {
        return Err("its form body must be a JSON object of names and values".into());
    };
    object
        .iter()
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k.clone(), s.clone())),
            Value::Number(_) | Value::Bool(_) => Ok((k.clone(), v.to_string())),
            _ => Err(format!(
                "the form field `{k}` must be a string, number or boolean"
            )),
        })
        .collect()
}
