//! Ads analytics reports, made asynchronously as Pinterest makes them: a create call answers a
//! `token`; each status call with it moves the report one step (`IN_PROGRESS` for
//! [`Standin::set_report_polls`](crate::Standin::set_report_polls) polls, then the knob's
//! outcome); a finished report's `url` points at the file server below, which, like the storage
//! service behind Pinterest's pre-signed URLs, takes no bearer token.
//!
//! Served: `POST`/`GET /v5/ad_accounts/{ad_account_id}/reports` (`analytics/create_report`,
//! `analytics/get_report`), `POST /v5/ad_accounts/{ad_account_id}/templates/{template_id}/reports`
//! (its token is read with `analytics/get_report`), `POST`/`GET …/mmm_reports` (the reply in
//! `{code, data, message, status}`), `POST`/`GET …/reports/brand_category_sku`, and the files at
//! `GET /reports/{file}`.

use crate::state::{ApiFailure, State, random_token};
use crate::{DownloadRecord, ReportOutcome};
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxumState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::Arc;

type Shared = AxumState<Arc<State>>;
type Params = Query<HashMap<String, String>>;
type Reply = Result<Response, ApiFailure>;

/// The scope every report operation needs.
const SCOPES: &[&str] = &["ads:read"];

/// At most this many days of rows in one report (Pinterest allows 186).
const MAX_DAYS: i64 = 186;

/// Which create call made a report: each is read back by its own status call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReportKind {
    /// `analytics/create_report` and `analytics/create_template_report`: `analytics/get_report`.
    Analytics,
    /// `analytics/create_mmm_report`: `analytics/get_mmm_report`.
    Mmm,
    /// `analytics/create_conversion_product_report`: `analytics/get_conversion_product_report`.
    ConversionProduct,
}

/// Where a report stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JobStatus {
    InProgress { polls_left: u32 },
    Finished,
    Failed,
    Expired,
}

impl JobStatus {
    fn as_str(self) -> &'static str {
        match self {
            JobStatus::InProgress { .. } => "IN_PROGRESS",
            JobStatus::Finished => "FINISHED",
            JobStatus::Failed => "FAILED",
            JobStatus::Expired => "EXPIRED",
        }
    }
}

/// A report the stand-in was asked to make.
pub(crate) struct ReportJob {
    pub(crate) token: String,
    pub(crate) ad_account_id: String,
    pub(crate) kind: ReportKind,
    pub(crate) status: JobStatus,
    /// The file's name below `/reports/`.
    pub(crate) file: String,
    /// The `X-Amz-Signature` the file's URL carries.
    pub(crate) signature: String,
    pub(crate) content_type: &'static str,
    pub(crate) content: Vec<u8>,
}

/// `POST /v5/ad_accounts/{ad_account_id}/reports`.
pub(crate) async fn create(
    AxumState(state): Shared,
    headers: HeaderMap,
    Path(ad_account_id): Path<String>,
    body: Bytes,
) -> Reply {
    let limits = crate::api::admit(&state, &headers, SCOPES)?;
    let body = crate::api::json_body(&headers, &body)?;
    let spec = FileSpec::from_body(
        &body,
        &["start_date", "end_date", "granularity", "level", "columns"],
    )?;
    let token = register(&state, &ad_account_id, ReportKind::Analytics, spec)?;
    let body = json!({ "report_status": "IN_PROGRESS", "token": token, "message": null });
    Ok(crate::api::reply(StatusCode::OK, limits, body))
}

/// `POST /v5/ad_accounts/{ad_account_id}/templates/{template_id}/reports`: a report of the
/// template's columns (`CAMPAIGN_ID`, `SPEND_IN_DOLLAR`, `TOTAL_IMPRESSION`, JSON), over the
/// query's `start_date`..`end_date` (default the 7 days to 2026-01-07) by its `granularity`
/// (default `TOTAL`).
pub(crate) async fn create_template(
    AxumState(state): Shared,
    headers: HeaderMap,
    Path((ad_account_id, template_id)): Path<(String, String)>,
    Query(params): Params,
) -> Reply {
    let limits = crate::api::admit(&state, &headers, SCOPES)?;
    if template_id.is_empty() || !template_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiFailure::not_found(
            4,
            format!("Template not found: {template_id}"),
        ));
    }
    let mut body = Map::new();
    body.insert(
        "columns".into(),
        json!(["CAMPAIGN_ID", "SPEND_IN_DOLLAR", "TOTAL_IMPRESSION"]),
    );
    for (name, default) in [
        ("start_date", "2026-01-01"),
        ("end_date", "2026-01-07"),
        ("granularity", "TOTAL"),
    ] {
        let value = params.get(name).map(String::as_str).unwrap_or(default);
        body.insert(name.into(), Value::String(value.into()));
    }
    let spec = FileSpec::from_body(&body, &[])?;
    let token = register(&state, &ad_account_id, ReportKind::Analytics, spec)?;
    let body = json!({
        "template_id": template_id,
        "report_status": "IN_PROGRESS",
        "token": token,
        "message": "",
    });
    Ok(crate::api::reply(StatusCode::OK, limits, body))
}

/// `POST /v5/ad_accounts/{ad_account_id}/mmm_reports`.
pub(crate) async fn create_mmm(
    AxumState(state): Shared,
    headers: HeaderMap,
    Path(ad_account_id): Path<String>,
    body: Bytes,
) -> Reply {
    let limits = crate::api::admit(&state, &headers, SCOPES)?;
    let body = crate::api::json_body(&headers, &body)?;
    let spec = FileSpec::from_body(
        &body,
        &[
            "report_name",
            "start_date",
            "end_date",
            "granularity",
            "level",
            "targeting_types",
            "columns",
        ],
    )?;
    let token = register(&state, &ad_account_id, ReportKind::Mmm, spec)?;
    let body = json!({
        "code": 0,
        "data": { "report_status": "IN_PROGRESS", "token": token, "message": null, "status": "success" },
    });
    Ok(crate::api::reply(StatusCode::OK, limits, body))
}

/// `POST /v5/ad_accounts/{ad_account_id}/reports/brand_category_sku`.
pub(crate) async fn create_conversion_product(
    AxumState(state): Shared,
    headers: HeaderMap,
    Path(ad_account_id): Path<String>,
    body: Bytes,
) -> Reply {
    let limits = crate::api::admit(&state, &headers, SCOPES)?;
    let body = crate::api::json_body(&headers, &body)?;
    let spec = FileSpec::from_body(
        &body,
        &[
            "report_name",
            "start_date",
            "end_date",
            "granularity",
            "level",
            "columns",
        ],
    )?;
    let token = register(&state, &ad_account_id, ReportKind::ConversionProduct, spec)?;
    let body = json!({ "report_status": "IN_PROGRESS", "token": token, "message": null });
    Ok(crate::api::reply(StatusCode::OK, limits, body))
}

/// `GET /v5/ad_accounts/{ad_account_id}/reports?token=…`.
pub(crate) async fn get(
    state: Shared,
    headers: HeaderMap,
    path: Path<String>,
    params: Params,
) -> Reply {
    status(state, headers, path, params, ReportKind::Analytics).await
}

/// `GET /v5/ad_accounts/{ad_account_id}/mmm_reports?token=…`.
pub(crate) async fn get_mmm(
    state: Shared,
    headers: HeaderMap,
    path: Path<String>,
    params: Params,
) -> Reply {
    status(state, headers, path, params, ReportKind::Mmm).await
}

/// `GET /v5/ad_accounts/{ad_account_id}/reports/brand_category_sku?token=…`.
pub(crate) async fn get_conversion_product(
    state: Shared,
    headers: HeaderMap,
    path: Path<String>,
    params: Params,
) -> Reply {
    status(state, headers, path, params, ReportKind::ConversionProduct).await
}

/// A status call: moves the report one step, then answers where it stands (`DOES_NOT_EXIST` for
/// a token this status call did not hand out for this ad account).
async fn status(
    AxumState(state): Shared,
    headers: HeaderMap,
    Path(ad_account_id): Path<String>,
    Query(params): Params,
    kind: ReportKind,
) -> Reply {
    let limits = crate::api::admit(&state, &headers, SCOPES)?;
    let token = params
        .get("token")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiFailure::invalid("Missing query parameter: token"))?;
    let mut data = state.data();
    let outcome = data.report_outcome;
    let job = data
        .reports
        .iter_mut()
        .find(|j| &j.token == token && j.ad_account_id == ad_account_id && j.kind == kind);
    let status = match job {
        None => json!({ "report_status": "DOES_NOT_EXIST", "url": null, "size": null }),
        Some(job) => {
            if let JobStatus::InProgress { polls_left } = job.status {
                job.status = match (polls_left, outcome) {
                    (0, ReportOutcome::Finish) => JobStatus::Finished,
                    (0, ReportOutcome::Fail) => JobStatus::Failed,
                    (0, ReportOutcome::Expire) => JobStatus::Expired,
                    (0, ReportOutcome::NeverFinish) => JobStatus::InProgress { polls_left: 0 },
                    (n, _) => JobStatus::InProgress { polls_left: n - 1 },
                };
            }
            match job.status {
                JobStatus::Finished => json!({
                    "report_status": "FINISHED",
                    "url": format!(
                        "{}/reports/{}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300&X-Amz-Signature={}",
                        state.origin, job.file, job.signature
                    ),
                    "size": job.content.len(),
                }),
                other => json!({ "report_status": other.as_str(), "url": null, "size": null }),
            }
        }
    };
    let body = match kind {
        ReportKind::Mmm => {
            json!({ "code": 0, "data": status, "message": "ok", "status": "success" })
        }
        _ => status,
    };
    Ok(crate::api::reply(StatusCode::OK, limits, body))
}

/// `GET /reports/{file}`: a finished report's file, for the signature its URL carries. Like a
/// pre-signed S3 URL, it refuses a request that also carries an `Authorization` header.
pub(crate) async fn download(
    AxumState(state): Shared,
    headers: HeaderMap,
    Path(file): Path<String>,
    Query(params): Params,
) -> Response {
    let mut record = DownloadRecord {
        file: file.clone(),
        had_authorization_header: headers.contains_key(header::AUTHORIZATION),
        status: 200,
    };
    let response = {
        let data = state.data();
        let job = data.reports.iter().find(|j| j.file == file);
        match job {
            _ if record.had_authorization_header => Err((
                StatusCode::BAD_REQUEST,
                "InvalidArgument",
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
            )),
            Some(_) if data.report_links_expired => {
                Err((StatusCode::FORBIDDEN, "AccessDenied", "Request has expired"))
            }
            None => Err((
                StatusCode::NOT_FOUND,
                "NoSuchKey",
                "The specified key does not exist.",
            )),
            Some(job) if params.get("X-Amz-Signature") != Some(&job.signature) => Err((
                StatusCode::FORBIDDEN,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )),
            Some(job) => Ok((
                StatusCode::OK,
                [(header::CONTENT_TYPE, job.content_type)],
                job.content.clone(),
            )
                .into_response()),
        }
    };
    let response = match response {
        Ok(response) => response,
        Err((status, code, message)) => {
            record.status = status.as_u16();
            crate::upload::s3_error(status, code, message)
        }
    };
    state.data().downloads.push(record);
    response
}

/// What goes in a report's file, read from its request.
struct FileSpec {
    columns: Vec<String>,
    days: Vec<chrono::NaiveDate>,
    /// Whether rows are per day (any granularity but `TOTAL`).
    per_day: bool,
    csv: bool,
}

impl FileSpec {
    /// Checks the `required` fields and reads the columns, dates, granularity and
    /// `report_format` (JSON or CSV, default JSON).
    fn from_body(body: &Map<String, Value>, required: &[&str]) -> Result<FileSpec, ApiFailure> {
        for name in required {
            if body.get(*name).is_none_or(Value::is_null) {
                return Err(ApiFailure::invalid(format!(
                    "Missing request body field: {name}"
                )));
            }
        }
        let columns: Vec<String> = match body.get("columns") {
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|c| c.as_str().map(str::to_string))
                .collect::<Option<_>>()
                .ok_or_else(|| ApiFailure::invalid("columns must be a list of column names"))?,
            _ => {
                return Err(ApiFailure::invalid(
                    "columns must be a non-empty list of column names",
                ));
            }
        };
        let date = |name: &str| {
            let text = body.get(name).and_then(Value::as_str).unwrap_or_default();
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                ApiFailure::invalid(format!("{name} `{text}` is not a date (YYYY-MM-DD)"))
            })
        };
        let (start, end) = (date("start_date")?, date("end_date")?);
        let span = (end - start).num_days();
        if !(0..MAX_DAYS).contains(&span) {
            return Err(ApiFailure::invalid(format!(
                "the report's dates must span 1 to {MAX_DAYS} days, end_date not before start_date"
            )));
        }
        let days = start.iter_days().take(span as usize + 1).collect();
        let per_day = body.get("granularity").and_then(Value::as_str) != Some("TOTAL");
        let csv = match body.get("report_format").and_then(Value::as_str) {
            None | Some("JSON") => false,
            Some("CSV") => true,
            Some(other) => {
                return Err(ApiFailure::invalid(format!(
                    "report_format `{other}` is not one of JSON, CSV"
                )));
            }
        };
        Ok(FileSpec {
            columns,
            days,
            per_day,
            csv,
        })
    }

    /// The file: two entities (`626736533506`, `626736533507`), each with a row per day (or
    /// one for `TOTAL`); a row has a `DATE` (per day) and the requested columns: an `…_ID`
    /// column is the entity's id, any other a number that grows with the entity and the day.
    /// JSON is an object of each entity's rows keyed by its id (as Pinterest's files are);
    /// CSV is a header line and a line per row.
    fn render(&self) -> (Vec<u8>, &'static str) {
        const ENTITIES: [&str; 2] = ["626736533506", "626736533507"];
        let mut header: Vec<&str> = Vec::new();
        if self.per_day {
            header.push("DATE");
        }
        header.extend(self.columns.iter().map(String::as_str));
        let days: Vec<Option<String>> = match self.per_day {
            true => self
                .days
                .iter()
                .map(|d| Some(d.format("%Y-%m-%d").to_string()))
                .collect(),
            false => vec![None],
        };
        let cell = |column: &str, entity: usize, day: usize| -> Value {
            if column.ends_with("_ID") {
                return Value::String(ENTITIES[entity].to_string());
            }
            let n = (entity as u64 + 1) * 100 + day as u64;
            match column.contains("SPEND") || column.contains("RATE") {
                true => json!(n as f64 / 4.0),
                false => json!(n),
            }
        };
        if self.csv {
            let mut out = header.join(",");
            out.push('\n');
            for entity in 0..ENTITIES.len() {
                for (i, day) in days.iter().enumerate() {
                    let mut cells: Vec<String> = day.iter().cloned().collect();
                    for column in &self.columns {
                        cells.push(match cell(column, entity, i) {
                            Value::String(s) => s,
                            other => other.to_string(),
                        });
                    }
                    out.push_str(&cells.join(","));
                    out.push('\n');
                }
            }
            return (out.into_bytes(), "text/csv");
        }
        let mut file = Map::new();
        for (entity, id) in ENTITIES.iter().enumerate() {
            let rows: Vec<Value> = days
                .iter()
                .enumerate()
                .map(|(i, day)| {
                    let mut row = Map::new();
                    if let Some(day) = day {
                        row.insert("DATE".into(), Value::String(day.clone()));
                    }
                    for column in &self.columns {
                        row.insert(column.clone(), cell(column, entity, i));
                    }
                    Value::Object(row)
                })
                .collect();
            file.insert(id.to_string(), Value::Array(rows));
        }
        (
            Value::Object(file).to_string().into_bytes(),
            "application/json",
        )
    }
}

/// Makes the report's file, keeps it, and hands back its token.
fn register(
    state: &State,
    ad_account_id: &str,
    kind: ReportKind,
    spec: FileSpec,
) -> Result<String, ApiFailure> {
    if ad_account_id.is_empty() || !ad_account_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiFailure::invalid(format!(
            "ad_account_id `{ad_account_id}` must match ^\\d+$"
        )));
    }
    let (content, content_type) = spec.render();
    let token = random_token("");
    let extension = if spec.csv { "csv" } else { "json" };
    let mut data = state.data();
    let polls = data.report_polls;
    data.reports.push(ReportJob {
        token: token.clone(),
        ad_account_id: ad_account_id.to_string(),
        kind,
        status: JobStatus::InProgress { polls_left: polls },
        file: format!("async_report_{}.{extension}", &token[..16]),
        signature: random_token(""),
        content_type,
        content,
    });
    Ok(token)
}
