//! The storage service's upload target (`upload_url` of `POST /v5/media`): an S3-style
//! browser-form POST. Like S3, it wants every signed form field *before* the file part, takes no
//! bearer token (the signed policy authorises the upload), answers 204 on success and an XML
//! `<Error>` otherwise.

use crate::UploadRecord;
use crate::state::{MediaStatus, State};
use axum::extract::State as AxumState;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Bytes of the file kept in an [`UploadRecord`] (the length is always counted in full).
const KEPT: usize = 1 << 20;

/// An S3-style error reply.
pub(crate) fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    );
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

/// `POST /upload/`.
pub(crate) async fn upload(
    AxumState(state): AxumState<Arc<State>>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let mut record = UploadRecord {
        had_authorization_header: headers.contains_key(header::AUTHORIZATION),
        ..UploadRecord::default()
    };
    let outcome = read_form(&state, multipart, &mut record).await;
    let response = match outcome {
        Err((status, code, message)) => {
            record.status = status.as_u16();
            s3_error(status, code, &message)
        }
        Ok(media_id) => {
            let mut data = state.data();
            if data.reject_uploads {
                record.status = 403;
                s3_error(
                    StatusCode::FORBIDDEN,
                    "AccessDenied",
                    "Invalid according to Policy: Policy Condition failed (rejected by the stand-in's knob)",
                )
            } else {
                let polls = data.media_processing_polls;
                if let Some(media) = data.media.iter_mut().find(|m| m.id == media_id) {
                    media.status = MediaStatus::Processing { polls_left: polls };
                }
                record.status = 204;
                StatusCode::NO_CONTENT.into_response()
            }
        }
    };
    state.data().uploads.push(record);
    response
}

type S3Failure = (StatusCode, &'static str, String);

/// Reads the whole form (so that a rejection is answered, not a reset connection) and returns
/// the id of the media upload it completes.
async fn read_form(
    state: &State,
    multipart: Result<Multipart, MultipartRejection>,
    record: &mut UploadRecord,
) -> Result<String, S3Failure> {
    let malformed = |e: &dyn std::fmt::Display| {
        (
            StatusCode::BAD_REQUEST,
            "MalformedPOSTRequest",
            format!("The body of your POST request is not well-formed multipart/form-data: {e}"),
        )
    };
    let mut multipart = multipart.map_err(|e| malformed(&e))?;
    let mut verdict: Option<Result<String, S3Failure>> = None;
    if record.had_authorization_header {
        verdict = Some(Err((
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
            "Only one auth mechanism allowed: the form's signed policy authorises this upload, so it must not carry an Authorization header".into(),
        )));
    }
    while let Some(mut field) = multipart.next_field().await.map_err(|e| malformed(&e))? {
        let name = field.name().unwrap_or_default().to_string();
        record.field_order.push(name.clone());
        if name != "file" {
            let value = field.text().await.map_err(|e| malformed(&e))?;
            if record.file_len.is_none() {
                record.fields_before_file.push((name, value));
            }
            continue;
        }
        if record.file_len.is_some() {
            verdict = Some(Err((
                StatusCode::BAD_REQUEST,
                "InvalidArgument",
                "POST requires exactly one file upload per request.".into(),
            )));
        }
        if verdict.is_none() {
            verdict = Some(check_fields(state, &record.fields_before_file));
        }
        record.file_name = field.file_name().map(str::to_string);
        record.file_content_type = field.content_type().map(str::to_string);
        let mut len: u64 = 0;
        while let Some(chunk) = field.chunk().await.map_err(|e| malformed(&e))? {
            len += chunk.len() as u64;
            let room = KEPT.saturating_sub(record.file_start.len());
            record
                .file_start
                .extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        record.file_len = Some(record.file_len.unwrap_or(0) + len);
    }
    verdict.unwrap_or_else(|| {
        Err((
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
            "POST requires exactly one file upload per request.".into(),
        ))
    })
}

/// Every `upload_parameters` field of the media upload named by `key` must have arrived, with
/// the value handed out, before the file.
fn check_fields(state: &State, before: &[(String, String)]) -> Result<String, S3Failure> {
    let value_of = |name: &str| {
        before
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let missing = |name: &str| {
        (
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
            format!(
                "Bucket POST must contain a field named '{name}'.  If it is specified, please check the order of the fields."
            ),
        )
    };
    let key = value_of("key").ok_or_else(|| missing("key"))?;
    let data = state.data();
    let media = data
        .media
        .iter()
        .find(|m| {
            m.upload_parameters
                .iter()
                .any(|(n, v)| n == "key" && v == key)
        })
        .ok_or_else(|| {
            (
                StatusCode::FORBIDDEN,
                "AccessDenied",
                format!("no media upload was registered with key `{key}`"),
            )
        })?;
    for (name, expected) in &media.upload_parameters {
        match value_of(name) {
            None => return Err(missing(name)),
            Some(v) if v != expected => {
                return Err((
                    StatusCode::FORBIDDEN,
                    "SignatureDoesNotMatch",
                    format!("field '{name}' differs from the value POST /v5/media handed out"),
                ));
            }
            Some(_) => {}
        }
    }
    if media.status != MediaStatus::Registered {
        return Err((
            StatusCode::FORBIDDEN,
            "AccessDenied",
            format!("media upload {} has already received its file", media.id),
        ));
    }
    Ok(media.id.clone())
}
