//! Asynchronous ads analytics reports in one call: create the report, wait until Pinterest has
//! made it, download its file, read its rows.
//!
//! Pinterest makes large ads reports in the background. The flow has three steps, all done by
//! [`ReportRequest::send`]:
//!
//! 1. A create call (`POST /ad_accounts/{ad_account_id}/reports`, or its template, MMM or
//!    brand/category/SKU kin) answers a `token`.
//! 2. The report's status call (`GET` of the same path with `?token=…`) is polled with bounded
//!    exponential backoff: first after [`poll_interval`](ReportRequest::poll_interval), each
//!    wait twice the one before, none longer than
//!    [`max_poll_interval`](ReportRequest::max_poll_interval), until the status is `FINISHED`
//!    or final otherwise, for at most [`timeout`](ReportRequest::timeout) in all. The waits go
//!    through the client's [`Sleeper`](crate::client::retry::Sleeper).
//! 3. A `FINISHED` report's `url` is downloaded. It is a pre-signed link to a storage service,
//!    not to Pinterest, valid for five minutes: the client's plain HTTP client fetches it, and
//!    no bearer token is sent.
//!
//! The [`Report`] holds the file: its [`rows`](Report::rows) decode into any serde type
//! (`serde_json::Value` or a struct of the columns you asked for), from JSON or CSV alike, and
//! [`bytes`](Report::bytes) are the file as downloaded. Failures specific to this flow are
//! [`Error::Report`] with a [`ReportError`]: the report `FAILED` or `EXPIRED`, the deadline
//! passed, the file server refused the download, the file does not read as rows.
//!
//! ```no_run
//! # async fn run() -> Result<(), pinterest_v5::Error> {
//! use pinterest_v5::Client;
//! use pinterest_v5::types::{
//!     AdsAnalyticsCreateAsyncRequest, DataOutputFormat, Granularity, MetricsReportingLevel,
//!     ReportingColumnAsync,
//! };
//! use std::time::Duration;
//!
//! #[derive(serde::Deserialize)]
//! struct Row {
//!     #[serde(rename = "CAMPAIGN_ID")]
//!     campaign_id: String,
//!     #[serde(rename = "DATE")]
//!     date: String,
//!     #[serde(rename = "SPEND_IN_DOLLAR")]
//!     spend: f64,
//! }
//!
//! let client = Client::with_access_token("pina_…")?;
//! let report = client
//!     .analytics_report(
//!         "549755885175",
//!         AdsAnalyticsCreateAsyncRequest::builder()
//!             .start_date("2026-01-01")
//!             .end_date("2026-01-31")
//!             .granularity(Granularity::Day)
//!             .level(MetricsReportingLevel::Campaign)
//!             .columns(vec![ReportingColumnAsync::CampaignId, ReportingColumnAsync::SpendInDollar])
//!             .report_format(DataOutputFormat::Csv),
//!     )
//!     .timeout(Duration::from_secs(20 * 60))
//!     .send()
//!     .await?;
//! for row in report.rows::<Row>()? {
//!     println!("{} {} {:.2}", row.date, row.campaign_id, row.spend);
//! }
//! # Ok(())
//! # }
//! ```

use crate::client::CallParams;
pub use crate::error::ReportError;
use crate::operation::{self, Operation};
use crate::types::{
    AdsAnalyticsCreateAsyncRequest, ConversionProductReportRequest, CreateMmmReportRequest,
    Granularity,
};
use crate::{Client, Error};
use bytes::Bytes;
use serde::de::value::MapDeserializer;
use serde::de::{
    DeserializeOwned, DeserializeSeed, IgnoredAny, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;
use std::fmt;
use std::time::Duration;

/// The format of a report's file.
///
/// ```
/// use pinterest_v5::reports::ReportFormat;
/// assert_eq!(ReportFormat::Csv.to_string(), "CSV");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReportFormat {
    /// JSON: a list of rows, or (as Pinterest writes them) lists of rows keyed by entity id.
    Json,
    /// CSV: a header line of column names, then a line per row.
    Csv,
}

impl ReportFormat {
    /// Pinterest's name for the format (`JSON`, `CSV`).
    ///
    /// ```
    /// assert_eq!(pinterest_v5::reports::ReportFormat::Json.as_str(), "JSON");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Json => "JSON",
            ReportFormat::Csv => "CSV",
        }
    }
}

impl fmt::Display for ReportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which asynchronous report a [`ReportRequest`] makes: its create and status operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Analytics,
    Template,
    Mmm,
    ConversionProduct,
}

impl Kind {
    /// The create operation's id.
    fn create(self) -> &'static str {
        match self {
            Kind::Analytics => "analytics/create_report",
            Kind::Template => "analytics/create_template_report",
            Kind::Mmm => "analytics/create_mmm_report",
            Kind::ConversionProduct => "analytics/create_conversion_product_report",
        }
    }

    /// The status operation's id (a template's report is read as any analytics report).
    fn status(self) -> &'static str {
        match self {
            Kind::Analytics | Kind::Template => "analytics/get_report",
            Kind::Mmm => "analytics/get_mmm_report",
            Kind::ConversionProduct => "analytics/get_conversion_product_report",
        }
    }

    /// The part of a reply that carries `token`, `report_status` and `url`: the MMM operations
    /// wrap it in `data`.
    fn payload(self, reply: &Value) -> &Value {
        match (self, reply.get("data")) {
            (Kind::Mmm, Some(data)) if data.is_object() => data,
            _ => reply,
        }
    }
}

/// What a status says of the report.
enum Stage {
    Finished,
    Failed,
    Expired,
    /// `IN_PROGRESS`, a status this crate does not know, or none: still worth waiting for.
    Pending,
}

fn stage(status: &str) -> Stage {
    match status {
        "FINISHED" => Stage::Finished,
        "FAILED" | "CANCELLED" => Stage::Failed,
        "EXPIRED" | "DOES_NOT_EXIST" => Stage::Expired,
        _ => Stage::Pending,
    }
}

/// The text field `name` of a reply's payload, when it is a non-empty string.
fn text<'v>(payload: &'v Value, name: &str) -> Option<&'v str> {
    payload
        .get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Makes an asynchronous report, waits for it and downloads it; answers a [`Report`]. Built by
/// [`Client::analytics_report`], [`Client::analytics_mmm_report`] and
/// [`Client::analytics_conversion_product_report`] (and, through a
/// [`TemplateReportRequest`], [`Client::analytics_template_report`]).
#[must_use = "nothing happens until `.send().await`"]
pub struct ReportRequest<'a> {
    client: &'a Client,
    kind: Kind,
    ad_account_id: String,
    /// The create call's parameters other than the ad account (a template's id and timeframe).
    params: CallParams,
    /// The create call's body, as JSON (or why it could not be made so).
    body: Option<Result<Value, String>>,
    poll_interval: Duration,
    max_poll_interval: Duration,
    timeout: Duration,
    download_timeout: Duration,
}

impl fmt::Debug for ReportRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReportRequest")
            .field("operation", &self.kind.create())
            .field("ad_account_id", &self.ad_account_id)
            .field("poll_interval", &self.poll_interval)
            .field("max_poll_interval", &self.max_poll_interval)
            .field("timeout", &self.timeout)
            .field("download_timeout", &self.download_timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// An ads analytics report of `ad_account_id` (`analytics/create_report`): metrics by
    /// campaign, ad group, ad, keyword… for a date range, as JSON or CSV
    /// (`report_format`), from the request or its builder (an incomplete one is
    /// [`Error::InvalidRequest`] at `send`, nothing sent). See the [module documentation](crate::reports) for the flow.
    ///
    /// ```no_run
    /// # async fn run(client: pinterest_v5::Client) -> Result<(), pinterest_v5::Error> {
    /// use pinterest_v5::types::{
    ///     AdsAnalyticsCreateAsyncRequest, Granularity, MetricsReportingLevel, ReportingColumnAsync,
    /// };
    /// let report = client
    ///     .analytics_report(
    ///         "549755885175",
    ///         AdsAnalyticsCreateAsyncRequest::builder()
    ///             .start_date("2026-01-01")
    ///             .end_date("2026-01-07")
    ///             .granularity(Granularity::Total)
    ///             .level(MetricsReportingLevel::Campaign)
    ///             .columns(vec![ReportingColumnAsync::CampaignId, ReportingColumnAsync::TotalClickthrough]),
    ///     )
    ///     .send()
    ///     .await?;
    /// let rows: Vec<serde_json::Value> = report.rows()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn analytics_report(
        &self,
        ad_account_id: impl Into<String>,
        request: impl TryInto<AdsAnalyticsCreateAsyncRequest, Error: fmt::Display>,
    ) -> ReportRequest<'_> {
        ReportRequest::new(
            self,
            Kind::Analytics,
            ad_account_id.into(),
            Some(body(request)),
        )
    }

    /// A report made from the ad account's report template `template_id`
    /// (`analytics/create_template_report`), with the template's columns and format, over the
    /// template's timeframe unless [`TemplateReportRequest::start_date`] and its kin say
    /// otherwise.
    ///
    /// ```no_run
    /// # async fn run(client: pinterest_v5::Client) -> Result<(), pinterest_v5::Error> {
    /// let report = client
    ///     .analytics_template_report("549755885175", "8234234")
    ///     .start_date("2026-01-01")
    ///     .end_date("2026-01-31")
    ///     .send()
    ///     .await?;
    /// println!("{} bytes of {}", report.bytes().len(), report.format());
    /// # Ok(())
    /// # }
    /// ```
    pub fn analytics_template_report(
        &self,
        ad_account_id: impl Into<String>,
        template_id: impl Into<String>,
    ) -> TemplateReportRequest<'_> {
        let mut request = ReportRequest::new(self, Kind::Template, ad_account_id.into(), None);
        request.params = request.params.param("template_id", template_id);
        TemplateReportRequest { request }
    }

    /// A Marketing Mix Modeling report of `ad_account_id` (`analytics/create_mmm_report`):
    /// metrics by targeting, for modelling tools.
    ///
    /// ```no_run
    /// # async fn run(client: pinterest_v5::Client) -> Result<(), pinterest_v5::Error> {
    /// use pinterest_v5::types::{
    ///     CreateMmmReportRequest, CreateMmmReportRequestGranularity, CreateMmmReportRequestLevel,
    ///     MmmReportingColumn, MmmReportingTargetingType,
    /// };
    /// let report = client
    ///     .analytics_mmm_report(
    ///         "549755885175",
    ///         CreateMmmReportRequest::builder()
    ///             .report_name("January by gender")
    ///             .start_date("2026-01-01")
    ///             .end_date("2026-01-31")
    ///             .granularity(CreateMmmReportRequestGranularity::Day)
    ///             .level(CreateMmmReportRequestLevel::CampaignTargeting)
    ///             .targeting_types(vec![MmmReportingTargetingType::Gender])
    ///             .columns(vec![MmmReportingColumn::SpendInDollar]),
    ///     )
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn analytics_mmm_report(
        &self,
        ad_account_id: impl Into<String>,
        request: impl TryInto<CreateMmmReportRequest, Error: fmt::Display>,
    ) -> ReportRequest<'_> {
        ReportRequest::new(self, Kind::Mmm, ad_account_id.into(), Some(body(request)))
    }

    /// A brand, category and SKU conversion report of `ad_account_id`
    /// (`analytics/create_conversion_product_report`).
    ///
    /// ```no_run
    /// # async fn run(client: pinterest_v5::Client) -> Result<(), pinterest_v5::Error> {
    /// use pinterest_v5::types::{
    ///     ConversionProductReportRequest, ConversionProductReportRequestGranularity,
    ///     ConversionProductReportRequestLevel, ConversionProductReportingColumn,
    /// };
    /// let report = client
    ///     .analytics_conversion_product_report(
    ///         "549755885175",
    ///         ConversionProductReportRequest::builder()
    ///             .report_name("SKUs in January")
    ///             .start_date("2026-01-01")
    ///             .end_date("2026-01-31")
    ///             .granularity(ConversionProductReportRequestGranularity::Week)
    ///             .level(ConversionProductReportRequestLevel::Campaign)
    ///             .columns(vec![
    ///                 ConversionProductReportingColumn::ConversionProductBrand,
    ///                 ConversionProductReportingColumn::TotalConversionProductQuantity,
    ///             ]),
    ///     )
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn analytics_conversion_product_report(
        &self,
        ad_account_id: impl Into<String>,
        request: impl TryInto<ConversionProductReportRequest, Error: fmt::Display>,
    ) -> ReportRequest<'_> {
        ReportRequest::new(
            self,
            Kind::ConversionProduct,
            ad_account_id.into(),
            Some(body(request)),
        )
    }
}

/// A request body (or its builder) as JSON, or why it is not one.
fn body<T: serde::Serialize>(
    request: impl TryInto<T, Error: fmt::Display>,
) -> Result<Value, String> {
    let request = request.try_into().map_err(|e| e.to_string())?;
    serde_json::to_value(&request).map_err(|e| e.to_string())
}

/// The shortest wait between two polls: a zero interval would poll in a loop.
const MIN_POLL_INTERVAL: Duration = Duration::from_millis(1);

impl<'a> ReportRequest<'a> {
    fn new(
        client: &'a Client,
        kind: Kind,
        ad_account_id: String,
        body: Option<Result<Value, String>>,
    ) -> ReportRequest<'a> {
        ReportRequest {
            client,
            kind,
            ad_account_id,
            params: CallParams::new(),
            body,
            poll_interval: Duration::from_secs(2),
            max_poll_interval: Duration::from_secs(60),
            timeout: Duration::from_secs(30 * 60),
            download_timeout: Duration::from_secs(10 * 60),
        }
    }

    /// How long to wait before the first status call (default 2 s, at least 1 ms); each later
    /// wait is twice the one before, up to [`max_poll_interval`](Self::max_poll_interval).
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client, request: pinterest_v5::types::AdsAnalyticsCreateAsyncRequest) {
    /// let report = client
    ///     .analytics_report("549755885175", request)
    ///     .poll_interval(std::time::Duration::from_secs(5));
    /// # }
    /// ```
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval.max(MIN_POLL_INTERVAL);
        self
    }

    /// The longest wait between two status calls (default 60 s; never shorter than
    /// [`poll_interval`](Self::poll_interval)).
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client, request: pinterest_v5::types::AdsAnalyticsCreateAsyncRequest) {
    /// let report = client
    ///     .analytics_report("549755885175", request)
    ///     .max_poll_interval(std::time::Duration::from_secs(20));
    /// # }
    /// ```
    pub fn max_poll_interval(mut self, interval: Duration) -> Self {
        self.max_poll_interval = interval;
        self
    }

    /// How long to wait for the report in all before giving up with [`ReportError::Timeout`]
    /// (default 30 min; Pinterest keeps a report an hour). The last wait is cut short to end
    /// at the deadline, where one more status call is made.
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client, request: pinterest_v5::types::AdsAnalyticsCreateAsyncRequest) {
    /// let report = client
    ///     .analytics_report("549755885175", request)
    ///     .timeout(std::time::Duration::from_secs(5 * 60));
    /// # }
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long the download of the file may take (default 10 min).
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client, request: pinterest_v5::types::AdsAnalyticsCreateAsyncRequest) {
    /// let report = client
    ///     .analytics_report("549755885175", request)
    ///     .download_timeout(std::time::Duration::from_secs(30 * 60));
    /// # }
    /// ```
    pub fn download_timeout(mut self, timeout: Duration) -> Self {
        self.download_timeout = timeout;
        self
    }

    /// Runs the three steps; answers the downloaded report.
    ///
    /// Errors: [`Error::Report`] for a report that failed, expired or was not ready in time,
    /// a download the file server refused; otherwise what every operation can fail with
    /// ([`Error::Api`], [`Error::Transport`], …).
    ///
    /// ```no_run
    /// # async fn run(client: pinterest_v5::Client, request: pinterest_v5::types::AdsAnalyticsCreateAsyncRequest) -> Result<(), pinterest_v5::Error> {
    /// use pinterest_v5::{Error, error::ReportError};
    /// match client.analytics_report("549755885175", request).send().await {
    ///     Ok(report) => println!("{} rows", report.rows::<serde_json::Value>()?.len()),
    ///     Err(Error::Report(ReportError::Timeout { token, .. })) => println!("still making {token}"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<Report, Error> {
        let client = self.client;
        let kind = self.kind;
        let create = find(kind.create())?;
        let status_op = find(kind.status())?;
        let requested = self
            .body
            .as_ref()
            .and_then(|b| b.as_ref().ok())
            .and_then(|b| b.get("report_format"))
            .and_then(Value::as_str)
            .and_then(format_named);
        let mut params = self
            .params
            .param("ad_account_id", self.ad_account_id.clone());
        if let Some(body) = self.body {
            let body = body.map_err(|e| {
                Error::InvalidRequest(format!(
                    "`{}`: the request body is not complete: {e}",
                    kind.create()
                ))
            })?;
            params = params.body(body);
        }
        let created = client.call_op(create, &params).await?;
        let created = kind.payload(&created);
        let token = text(created, "token")
            .ok_or_else(|| {
                Error::Report(ReportError::NoToken {
                    operation: kind.create(),
                    message: text(created, "message").map(str::to_string),
                })
            })?
            .to_string();
        let mut last_status = text(created, "report_status")
            .unwrap_or("IN_PROGRESS")
            .to_string();
        let status_params = CallParams::new()
            .param("ad_account_id", self.ad_account_id)
            .param("token", token.clone());

        let started = tokio::time::Instant::now();
        let mut slept = Duration::ZERO;
        let mut wait = self.poll_interval;
        let max_wait = self.max_poll_interval.max(self.poll_interval);
        let mut polls: u32 = 0;
        // A create reply that says `FINISHED` has no `url` yet: its status call is made at once.
        let mut ready = matches!(stage(&last_status), Stage::Finished);
        let url = loop {
            match stage(&last_status) {
                Stage::Failed => {
                    return Err(Error::Report(ReportError::Failed {
                        token,
                        status: last_status,
                    }));
                }
                Stage::Expired => {
                    return Err(Error::Report(ReportError::Expired {
                        token,
                        status: last_status,
                    }));
                }
                Stage::Finished | Stage::Pending => {}
            }
            if !ready {
                // Real time, or the waits asked for where the sleeper does not take them.
                let waited = started.elapsed().max(slept);
                let left = self.timeout.saturating_sub(waited);
                if left.is_zero() {
                    return Err(Error::Report(ReportError::Timeout {
                        token,
                        waited,
                        polls,
                        last_status,
                    }));
                }
                let pause = wait.min(left);
                client.inner.sleeper.sleep(pause).await;
                slept += pause;
                wait = wait.saturating_mul(2).min(max_wait);
            }
            let reply = client.call_op(status_op, &status_params).await?;
            polls += 1;
            let status = kind.payload(&reply);
            last_status = text(status, "report_status")
                .unwrap_or("IN_PROGRESS")
                .to_string();
            ready = false;
            if let Stage::Finished = stage(&last_status) {
                match text(status, "url") {
                    Some(url) => break url.to_string(),
                    None => return Err(Error::Report(ReportError::NoUrl { token })),
                }
            }
        };

        // The URL is pre-signed for a storage service: the plain HTTP client, without the
        // bearer token the API calls carry. Its query is a credential: no error names it.
        let reply = client
            .client
            .get(url.as_str())
            .timeout(self.download_timeout)
            .send()
            .await
            .map_err(Error::from)?;
        let status = reply.status();
        let content_type = reply
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_ascii_lowercase);
        let body = reply.bytes().await.map_err(Error::from)?;
        if !status.is_success() {
            let (code, message) = crate::error::storage_error(&body);
            return Err(Error::Report(ReportError::DownloadRejected {
                token,
                status,
                code,
                message,
            }));
        }
        let format = requested
            .or_else(|| content_type.as_deref().and_then(format_of_content_type))
            .or_else(|| format_of_path(&url))
            .unwrap_or_else(|| sniff(&body));
        Ok(Report {
            token,
            format,
            bytes: body,
        })
    }
}

/// The generated operation `id`, or what to do when this build has none.
fn find(id: &str) -> Result<&'static Operation, Error> {
    operation::lookup(id).ok_or_else(|| {
        Error::InvalidRequest(format!(
            "this build has no operation `{id}` (the description it was generated from lacks it)"
        ))
    })
}

/// The format Pinterest names `name`.
fn format_named(name: &str) -> Option<ReportFormat> {
    match name {
        "JSON" => Some(ReportFormat::Json),
        "CSV" => Some(ReportFormat::Csv),
        _ => None,
    }
}

fn format_of_content_type(content_type: &str) -> Option<ReportFormat> {
    if content_type.contains("json") {
        Some(ReportFormat::Json)
    } else if content_type.contains("csv") {
        Some(ReportFormat::Csv)
    } else {
        None
    }
}

/// The format a URL's file name says (`….csv`, `….json`), its query left aside.
fn format_of_path(url: &str) -> Option<ReportFormat> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let (_, extension) = path.rsplit_once('.')?;
    match extension.to_ascii_lowercase().as_str() {
        "json" => Some(ReportFormat::Json),
        "csv" => Some(ReportFormat::Csv),
        _ => None,
    }
}

/// JSON when the file begins (after white space) with `{` or `[`; CSV otherwise.
fn sniff(body: &[u8]) -> ReportFormat {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{' | b'[') => ReportFormat::Json,
        _ => ReportFormat::Csv,
    }
}

/// A report made from a template: a [`ReportRequest`] whose create call can also be given a
/// timeframe. Built by [`Client::analytics_template_report`].
#[must_use = "nothing happens until `.send().await`"]
#[derive(Debug)]
pub struct TemplateReportRequest<'a> {
    request: ReportRequest<'a>,
}

impl<'a> TemplateReportRequest<'a> {
    /// The first day of the report (`YYYY-MM-DD`, UTC), instead of the template's.
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let report = client.analytics_template_report("549755885175", "8234234").start_date("2026-01-01");
    /// # }
    /// ```
    pub fn start_date(mut self, date: impl Into<String>) -> Self {
        self.request.params.set("start_date", date);
        self
    }

    /// The last day of the report (`YYYY-MM-DD`, UTC), instead of the template's.
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let report = client.analytics_template_report("549755885175", "8234234").end_date("2026-01-31");
    /// # }
    /// ```
    pub fn end_date(mut self, date: impl Into<String>) -> Self {
        self.request.params.set("end_date", date);
        self
    }

    /// How the metrics are broken down over time, instead of the template's way.
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// use pinterest_v5::types::Granularity;
    /// let report = client.analytics_template_report("549755885175", "8234234").granularity(Granularity::Week);
    /// # }
    /// ```
    pub fn granularity(mut self, granularity: Granularity) -> Self {
        self.request
            .params
            .set("granularity", granularity.to_string());
        self
    }

    /// See [`ReportRequest::poll_interval`].
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let report = client
    ///     .analytics_template_report("549755885175", "8234234")
    ///     .poll_interval(std::time::Duration::from_secs(5));
    /// # }
    /// ```
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.request = self.request.poll_interval(interval);
        self
    }

    /// See [`ReportRequest::max_poll_interval`].
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let report = client
    ///     .analytics_template_report("549755885175", "8234234")
    ///     .max_poll_interval(std::time::Duration::from_secs(20));
    /// # }
    /// ```
    pub fn max_poll_interval(mut self, interval: Duration) -> Self {
        self.request = self.request.max_poll_interval(interval);
        self
    }

    /// See [`ReportRequest::timeout`].
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let report = client
    ///     .analytics_template_report("549755885175", "8234234")
    ///     .timeout(std::time::Duration::from_secs(600));
    /// # }
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.request = self.request.timeout(timeout);
        self
    }

    /// See [`ReportRequest::download_timeout`].
    ///
    /// ```no_run
    /// # fn f(client: &pinterest_v5::Client) {
    /// let report = client
    ///     .analytics_template_report("549755885175", "8234234")
    ///     .download_timeout(std::time::Duration::from_secs(1200));
    /// # }
    /// ```
    pub fn download_timeout(mut self, timeout: Duration) -> Self {
        self.request = self.request.download_timeout(timeout);
        self
    }

    /// See [`ReportRequest::send`].
    ///
    /// ```no_run
    /// # async fn run(client: pinterest_v5::Client) -> Result<(), pinterest_v5::Error> {
    /// let report = client.analytics_template_report("549755885175", "8234234").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<Report, Error> {
        self.request.send().await
    }
}

/// A downloaded report: its file, and the rows in it.
///
/// ```
/// use pinterest_v5::reports::{Report, ReportFormat};
/// let report = Report::from_bytes(ReportFormat::Csv, "DATE,SPEND_IN_DOLLAR\n2026-01-01,2.5\n");
/// let rows: Vec<std::collections::BTreeMap<String, String>> = report.rows()?;
/// assert_eq!(rows[0]["SPEND_IN_DOLLAR"], "2.5");
/// # Ok::<(), pinterest_v5::Error>(())
/// ```
#[derive(Clone)]
pub struct Report {
    token: String,
    format: ReportFormat,
    bytes: Bytes,
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("token", &self.token)
            .field("format", &self.format)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl Report {
    /// A report from a file read elsewhere (one saved before, say), to read its rows.
    ///
    /// ```
    /// use pinterest_v5::reports::{Report, ReportFormat};
    /// let report = Report::from_bytes(ReportFormat::Json, r#"[{"IMPRESSION_1": 4}]"#);
    /// assert_eq!(report.token(), "");
    /// ```
    pub fn from_bytes(format: ReportFormat, bytes: impl Into<Bytes>) -> Report {
        Report {
            token: String::new(),
            format,
            bytes: bytes.into(),
        }
    }

    /// The token Pinterest made the report under (empty for [`from_bytes`](Self::from_bytes)).
    ///
    /// ```
    /// # let report = pinterest_v5::reports::Report::from_bytes(pinterest_v5::reports::ReportFormat::Json, "[]");
    /// println!("report {}", report.token());
    /// ```
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The file's format: the one the request asked for, else what the download's
    /// `Content-Type` or file name says, else JSON if the file begins with `{` or `[`.
    ///
    /// ```
    /// use pinterest_v5::reports::{Report, ReportFormat};
    /// assert_eq!(Report::from_bytes(ReportFormat::Csv, "A\n1\n").format(), ReportFormat::Csv);
    /// ```
    pub fn format(&self) -> ReportFormat {
        self.format
    }

    /// The file, as downloaded.
    ///
    /// ```
    /// use pinterest_v5::reports::{Report, ReportFormat};
    /// let report = Report::from_bytes(ReportFormat::Csv, "A\n1\n");
    /// assert_eq!(&report.bytes()[..], b"A\n1\n");
    /// ```
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The file, as downloaded, without copying it.
    ///
    /// ```
    /// use pinterest_v5::reports::{Report, ReportFormat};
    /// let bytes = Report::from_bytes(ReportFormat::Csv, "A\n1\n").into_bytes();
    /// assert_eq!(bytes.len(), 4);
    /// ```
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }

    /// The file's rows, each decoded into a `T` by its columns' names (`SPEND_IN_DOLLAR`,
    /// `DATE`, …): a struct of the columns you asked for, a map, or `serde_json::Value`.
    ///
    /// JSON: a list of rows, or Pinterest's object of lists of rows keyed by entity id (the
    /// lists one after the other, in the file's order). CSV: a line per row after the header
    /// line; a struct's number fields read the cells as numbers, and a `serde_json::Value`
    /// takes each cell as a number or `true`/`false` where it reads as one, as text otherwise.
    ///
    /// Errors: [`Error::Report`] with [`ReportError::Rows`], naming the row, when the file is
    /// not of the format or a row does not decode into `T`.
    ///
    /// ```
    /// use pinterest_v5::reports::{Report, ReportFormat};
    /// #[derive(serde::Deserialize)]
    /// struct Row {
    ///     #[serde(rename = "CAMPAIGN_ID")]
    ///     campaign: String,
    ///     #[serde(rename = "TOTAL_CLICKTHROUGH")]
    ///     clicks: u64,
    /// }
    /// let json = r#"{"626736533506": [{"CAMPAIGN_ID": "626736533506", "TOTAL_CLICKTHROUGH": 7}]}"#;
    /// let rows: Vec<Row> = Report::from_bytes(ReportFormat::Json, json).rows()?;
    /// assert_eq!((rows[0].campaign.as_str(), rows[0].clicks), ("626736533506", 7));
    ///
    /// let csv = "CAMPAIGN_ID,TOTAL_CLICKTHROUGH\n626736533506,7\n";
    /// let rows: Vec<Row> = Report::from_bytes(ReportFormat::Csv, csv).rows()?;
    /// assert_eq!(rows[0].clicks, 7);
    /// # Ok::<(), pinterest_v5::Error>(())
    /// ```
    pub fn rows<T: DeserializeOwned>(&self) -> Result<Vec<T>, Error> {
        match self.format {
            ReportFormat::Json => json_rows(&self.bytes),
            ReportFormat::Csv => csv_rows(&self.bytes),
        }
        .map_err(Error::Report)
    }
}

/// The rows of a JSON report.
fn json_rows<T: DeserializeOwned>(bytes: &[u8]) -> Result<Vec<T>, ReportError> {
    let mut rows = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let read = JsonRows {
        rows: &mut rows,
        group: false,
    }
    .deserialize(&mut deserializer)
    .and_then(|()| deserializer.end());
    match read {
        Ok(()) => Ok(rows),
        Err(e) => Err(ReportError::Rows {
            format: "JSON",
            row: e.is_data().then_some(rows.len() + 1),
            message: e.to_string(),
        }),
    }
}

/// Reads rows into `rows` from a list of rows or, at the top (`group` false), from an object
/// of lists of rows; rows are decoded one by one, with no document built in between.
struct JsonRows<'r, T> {
    rows: &'r mut Vec<T>,
    group: bool,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for JsonRows<'_, T> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.group {
            true => deserializer.deserialize_seq(self),
            false => deserializer.deserialize_any(self),
        }
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for JsonRows<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.group {
            true => f.write_str("a list of rows"),
            false => f.write_str("a list of rows, or an object of lists of rows keyed by id"),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(row) = seq.next_element::<T>()? {
            self.rows.push(row);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<IgnoredAny>()?.is_some() {
            map.next_value_seed(JsonRows::<T> {
                rows: &mut *self.rows,
                group: true,
            })?;
        }
        Ok(())
    }
}

/// The rows of a CSV report, by the header line's names: each record goes to `T` as a map of
/// its cells (csv's own serde support takes a record without names as a list).
fn csv_rows<T: DeserializeOwned>(bytes: &[u8]) -> Result<Vec<T>, ReportError> {
    let failure = |row: Option<usize>, message: String| ReportError::Rows {
        format: "CSV",
        row,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| failure(None, e.to_string()))?
        .clone();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| failure(Some(i + 1), e.to_string()))?;
        let cells = headers.iter().zip(record.iter()).map(|(h, c)| (h, Cell(c)));
        let row = T::deserialize(MapDeserializer::<_, serde::de::value::Error>::new(cells))
            .map_err(|e| failure(Some(i + 1), e.to_string()))?;
        rows.push(row);
    }
    Ok(rows)
}

/// One CSV cell, decoded as the type asks: text for text, a number for a number, `None` for an
/// empty cell of an `Option`; asked for anything (`serde_json::Value`), a number or
/// `true`/`false` where it reads as one, text otherwise.
struct Cell<'a>(&'a str);

impl<'de> IntoDeserializer<'de, serde::de::value::Error> for Cell<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> serde::Deserializer<'de> for Cell<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let text = self.0;
        match text {
            "true" => return visitor.visit_bool(true),
            "false" => return visitor.visit_bool(false),
            _ => {}
        }
        if let Ok(n) = text.parse::<u64>() {
            return visitor.visit_u64(n);
        }
        if let Ok(n) = text.parse::<i64>() {
            return visitor.visit_i64(n);
        }
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() && !text.is_empty() => visitor.visit_f64(n),
            _ => visitor.visit_str(text),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_str(self.0)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_str(self.0)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_str(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0.is_empty() {
            true => visitor.visit_none(),
            false => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_enum(IntoDeserializer::<Self::Error>::into_deserializer(self.0))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct ignored_any
    }
}
