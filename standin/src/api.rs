//! The API calls the stand-in serves, each behind the bearer check Pinterest makes: user
//! account, boards, pins (with bookmark pagination) and media uploads.

use crate::MediaOutcome;
use crate::state::{
    ApiFailure, Board, Data, Media, MediaStatus, Pin, State, now_text, random_token,
};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxumState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

type Shared = AxumState<Arc<State>>;
type Params = Query<HashMap<String, String>>;
type Reply = Result<Response, ApiFailure>;

/// Checks the bearer token and its scopes, then the injected 429; on success returns the
/// `X-RateLimit-*` values for the reply.
pub(crate) fn admit(
    state: &State,
    headers: &HeaderMap,
    scopes: &[&str],
) -> Result<[u64; 3], ApiFailure> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiFailure::unauthenticated(
                "Authentication failed: no Authorization header; send Authorization: Bearer <access token>",
            )
        })?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or_else(|| {
            ApiFailure::unauthenticated(
                "Authentication failed: the Authorization header is not Bearer",
            )
        })?;
    let mut data = state.data();
    let issued = data.access_tokens.get(token.trim()).ok_or_else(|| {
        ApiFailure::unauthenticated("Authentication failed: unknown access token")
    })?;
    if issued.expires_at <= Instant::now() {
        return Err(ApiFailure::unauthenticated(
            "Authentication failed: the access token has expired",
        ));
    }
    if let Some(missing) = scopes
        .iter()
        .find(|s| !issued.scopes.iter().any(|g| g == *s))
    {
        return Err(ApiFailure::new(
            StatusCode::FORBIDDEN,
            3,
            format!("Authorization failed: the access token lacks the scope `{missing}`"),
        ));
    }
    if let Some((left, reset)) = data.pending_429.take() {
        if left > 1 {
            data.pending_429 = Some((left - 1, reset));
        }
        let mut failure = ApiFailure::new(
            StatusCode::TOO_MANY_REQUESTS,
            8,
            "You have exceeded your rate limit. Try again later.",
        );
        failure.headers = vec![
            ("x-ratelimit-limit", "1000".into()),
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", reset.to_string()),
        ];
        return Err(failure);
    }
    let (limit, remaining, reset) = data.tick_rate_limit();
    Ok([limit, remaining, reset])
}

/// A 2xx JSON reply with the rate-limit headers.
pub(crate) fn reply(status: StatusCode, limits: [u64; 3], body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    let names = [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    ];
    for (name, value) in names.into_iter().zip(limits) {
        response
            .headers_mut()
            .insert(name, HeaderValue::from(value));
    }
    response
}

/// The JSON body of a create call, which must be an object.
pub(crate) fn json_body(
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<serde_json::Map<String, Value>, ApiFailure> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return Err(ApiFailure::invalid(
            "the request body must be application/json",
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiFailure::invalid(
            "the request body must be a JSON object",
        )),
        Err(e) => Err(ApiFailure::invalid(format!(
            "the request body is not JSON: {e}"
        ))),
    }
}

/// An optional string field, at most `max` characters.
fn opt_str(
    body: &serde_json::Map<String, Value>,
    name: &str,
    max: usize,
) -> Result<Option<String>, ApiFailure> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(ApiFailure::invalid(format!(
            "{name} is longer than {max} characters"
        ))),
        Some(_) => Err(ApiFailure::invalid(format!("{name} must be a string"))),
    }
}

/// One page of `items` after `bookmark`, and the bookmark of the next page (null at the end).
fn page(items: Vec<Value>, params: &HashMap<String, String>) -> Result<Value, ApiFailure> {
    let page_size = match params.get("page_size") {
        None => 25,
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=250).contains(n))
            .ok_or_else(|| {
                ApiFailure::invalid(format!("page_size `{s}` must be a number from 1 to 250"))
            })?,
    };
    let start = match params.get("bookmark").filter(|b| !b.is_empty()) {
        None => 0,
        Some(b) => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(b)
            .ok()
            .and_then(|raw| String::from_utf8(raw).ok())
            .and_then(|s| {
                s.strip_prefix("offset:")
                    .and_then(|n| n.parse::<usize>().ok())
            })
            .filter(|n| *n <= items.len())
            .ok_or_else(|| ApiFailure::invalid(format!("bookmark `{b}` is not valid")))?,
    };
    let end = (start + page_size).min(items.len());
    let bookmark = (end < items.len())
        .then(|| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("offset:{end}")));
    Ok(json!({ "items": items[start..end].to_vec(), "bookmark": bookmark }))
}

/// `GET /v5/user_account`.
pub(crate) async fn user_account(AxumState(state): Shared, headers: HeaderMap) -> Reply {
    let limits = admit(&state, &headers, &["user_accounts:read"])?;
    let data = state.data();
    let body = json!({
        "account_type": "BUSINESS",
        "id": "2783136121146311751",
        "username": state.config.username,
        "profile_image": "https://i.pinimg.com/600x600_R/42/f5/36/42f5364a0a6b0e1a7bb2e8d3b0c40a7d.jpg",
        "website_url": "https://example.com",
        "business_name": "Stand-in Studio",
        "about": "A local stand-in for Pinterest",
        "board_count": data.boards.len(),
        "pin_count": data.pins.len(),
        "follower_count": 10,
        "following_count": 347,
        "monthly_views": 163,
    });
    Ok(reply(StatusCode::OK, limits, body))
}

fn board_json(state: &State, data: &Data, board: &Board) -> Value {
    let pins: Vec<&Pin> = data
        .pins
        .iter()
        .filter(|p| p.board_id == board.id)
        .collect();
    let modified = pins
        .last()
        .map(|p| p.created_at.clone())
        .unwrap_or_else(|| board.created_at.clone());
    json!({
        "id": board.id,
        "name": board.name,
        "description": board.description,
        "privacy": board.privacy,
        "owner": { "username": state.config.username },
        "created_at": board.created_at,
        "board_pins_modified_at": modified,
        "pin_count": pins.len(),
        "follower_count": 0,
        "collaborator_count": 0,
        "is_ads_only": false,
        "media": { "image_cover_url": null, "pin_thumbnail_urls": [] },
    })
}

fn pin_json(state: &State, pin: &Pin) -> Value {
    json!({
        "id": pin.id,
        "created_at": pin.created_at,
        "link": pin.link,
        "title": pin.title,
        "description": pin.description,
        "alt_text": pin.alt_text,
        "dominant_color": "#6E7874",
        "board_id": pin.board_id,
        "board_section_id": null,
        "board_owner": { "username": state.config.username },
        "parent_pin_id": null,
        "is_owner": true,
        "is_standard": true,
        "has_been_promoted": false,
        "creative_type": pin.creative_type,
        "media": pin.media,
    })
}

/// `POST /v5/boards`.
pub(crate) async fn boards_create(
    AxumState(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let limits = admit(&state, &headers, &["boards:read", "boards:write"])?;
    let body = json_body(&headers, &body)?;
    let name = opt_str(&body, "name", 180)?
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| ApiFailure::invalid("Missing request body field: name"))?;
    let description = opt_str(&body, "description", 500)?;
    let privacy = opt_str(&body, "privacy", 16)?.unwrap_or_else(|| "PUBLIC".into());
    if !["PUBLIC", "PROTECTED", "SECRET"].contains(&privacy.as_str()) {
        return Err(ApiFailure::invalid(format!(
            "privacy `{privacy}` is not one of PUBLIC, PROTECTED, SECRET"
        )));
    }
    let mut data = state.data();
    if data.boards.iter().any(|b| b.name == name) {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            58,
            format!("You already have a board named `{name}`"),
        ));
    }
    let board = Board {
        id: data.next_id(549_755_885_175),
        name,
        description,
        privacy,
        created_at: now_text(),
    };
    let json = board_json(&state, &data, &board);
    data.boards.push(board);
    Ok(reply(StatusCode::CREATED, limits, json))
}

/// `GET /v5/boards`.
pub(crate) async fn boards_list(
    AxumState(state): Shared,
    headers: HeaderMap,
    Query(params): Params,
) -> Reply {
    let limits = admit(&state, &headers, &["boards:read"])?;
    let data = state.data();
    let items = data
        .boards
        .iter()
        .map(|b| board_json(&state, &data, b))
        .collect();
    Ok(reply(StatusCode::OK, limits, page(items, &params)?))
}

fn find_board<'a>(data: &'a Data, board_id: &str) -> Result<&'a Board, ApiFailure> {
    data.boards
        .iter()
        .find(|b| b.id == board_id)
        .ok_or_else(|| ApiFailure::not_found(40, format!("Board not found: {board_id}")))
}

/// `GET /v5/boards/{board_id}`.
pub(crate) async fn boards_get(
    AxumState(state): Shared,
    headers: HeaderMap,
    Path(board_id): Path<String>,
) -> Reply {
    let limits = admit(&state, &headers, &["boards:read"])?;
    let data = state.data();
    let board = find_board(&data, &board_id)?;
    Ok(reply(
        StatusCode::OK,
        limits,
        board_json(&state, &data, board),
    ))
}

/// `GET /v5/boards/{board_id}/pins`: newest first, bookmark-paginated.
pub(crate) async fn boards_list_pins(
    AxumState(state): Shared,
    headers: HeaderMap,
    Path(board_id): Path<String>,
    Query(params): Params,
) -> Reply {
    let limits = admit(&state, &headers, &["boards:read", "pins:read"])?;
    let data = state.data();
    find_board(&data, &board_id)?;
    let items = data
        .pins
        .iter()
        .rev()
        .filter(|p| p.board_id == board_id)
        .map(|p| pin_json(&state, p))
        .collect();
    Ok(reply(StatusCode::OK, limits, page(items, &params)?))
}

/// `GET /v5/pins`: newest first, bookmark-paginated.
pub(crate) async fn pins_list(
    AxumState(state): Shared,
    headers: HeaderMap,
    Query(params): Params,
) -> Reply {
    let limits = admit(&state, &headers, &["boards:read", "pins:read"])?;
    let data = state.data();
    let items = data
        .pins
        .iter()
        .rev()
        .map(|p| pin_json(&state, p))
        .collect();
    Ok(reply(StatusCode::OK, limits, page(items, &params)?))
}

/// `GET /v5/pins/{pin_id}`.
pub(crate) async fn pins_get(
    AxumState(state): Shared,
    headers: HeaderMap,
    Path(pin_id): Path<String>,
) -> Reply {
    let limits = admit(&state, &headers, &["boards:read", "pins:read"])?;
    let data = state.data();
    let pin = data
        .pins
        .iter()
        .find(|p| p.id == pin_id)
        .ok_or_else(|| ApiFailure::not_found(50, format!("Pin not found: {pin_id}")))?;
    Ok(reply(StatusCode::OK, limits, pin_json(&state, pin)))
}

fn image_sizes(url: &str) -> Value {
    let size = |w: u32, h: u32| json!({ "width": w, "height": h, "url": url });
    json!({
        "150x150": size(150, 150),
        "400x300": size(400, 300),
        "600x": size(600, 600),
        "1200x": size(1200, 1200),
    })
}

/// The `media` of a new pin from its `media_source`, checked as Pinterest checks it.
fn media_from_source(
    data: &Data,
    source: Option<&Value>,
) -> Result<(Value, &'static str), ApiFailure> {
    let source = source
        .and_then(Value::as_object)
        .ok_or_else(|| ApiFailure::invalid("Missing request body field: media_source"))?;
    let field = |name: &str| {
        source
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                ApiFailure::invalid(format!("Missing request body field: media_source.{name}"))
            })
    };
    match field("source_type")? {
        "image_url" => {
            let url = field("url")?;
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(ApiFailure::invalid(format!(
                    "media_source.url `{url}` is not an http(s) URL"
                )));
            }
            Ok((
                json!({ "media_type": "image", "images": image_sizes(url) }),
                "REGULAR",
            ))
        }
        "image_base64" => {
            field("content_type")?;
            let data64 = field("data")?;
            if base64::engine::general_purpose::STANDARD
                .decode(data64)
                .is_err()
            {
                return Err(ApiFailure::invalid("media_source.data is not base64"));
            }
            let url = "https://i.pinimg.com/originals/standin/base64.jpg";
            Ok((
                json!({ "media_type": "image", "images": image_sizes(url) }),
                "REGULAR",
            ))
        }
        "video_id" => {
            let media_id = field("media_id")?;
            let media = data
                .media
                .iter()
                .find(|m| m.id == media_id)
                .ok_or_else(|| {
                    ApiFailure::invalid(format!(
                        "media_source.media_id `{media_id}` is not a registered media upload"
                    ))
                })?;
            match media.status {
                MediaStatus::Succeeded => {}
                MediaStatus::Failed => {
                    return Err(ApiFailure::invalid(format!(
                        "media upload {media_id} failed processing; upload the video again"
                    )));
                }
                _ => {
                    return Err(ApiFailure::invalid(format!(
                        "media upload {media_id} is not ready; wait until GET /v5/media/{media_id} says succeeded"
                    )));
                }
            }
            let cover = source
                .get("cover_image_url")
                .and_then(Value::as_str)
                .unwrap_or("https://i.pinimg.com/videos/thumbnails/originals/standin.jpg");
            Ok((
                json!({
                    "media_type": "video",
                    "cover_image_url": cover,
                    "video_url": null,
                    "duration": 10000.0,
                    "height": 720,
                    "width": 1280,
                    "images": image_sizes(cover),
                }),
                "VIDEO",
            ))
        }
        other => Err(ApiFailure::invalid(format!(
            "media_source.source_type `{other}` is not served by the stand-in (it serves image_url, image_base64, video_id)"
        ))),
    }
}

/// `POST /v5/pins`.
pub(crate) async fn pins_create(
    AxumState(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let limits = admit(
        &state,
        &headers,
        &["boards:read", "boards:write", "pins:read", "pins:write"],
    )?;
    let body = json_body(&headers, &body)?;
    let board_id = opt_str(&body, "board_id", 64)?
        .ok_or_else(|| ApiFailure::invalid("Missing request body field: board_id"))?;
    let title = opt_str(&body, "title", 100)?;
    let description = opt_str(&body, "description", 800)?;
    let link = opt_str(&body, "link", 2048)?;
    let alt_text = opt_str(&body, "alt_text", 500)?;
    let mut data = state.data();
    find_board(&data, &board_id)?;
    let (media, creative_type) = media_from_source(&data, body.get("media_source"))?;
    let pin = Pin {
        id: data.next_id(813_744_226_420_795_884),
        board_id,
        created_at: now_text(),
        title,
        description,
        link,
        alt_text,
        media,
        creative_type,
    };
    let json = pin_json(&state, &pin);
    data.pins.push(pin);
    Ok(reply(StatusCode::CREATED, limits, json))
}

/// `POST /v5/media`: registers an upload and hands out where and how to upload the file.
pub(crate) async fn media_create(
    AxumState(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let limits = admit(&state, &headers, &["pins:read", "pins:write"])?;
    let body = json_body(&headers, &body)?;
    match body.get("media_type").and_then(Value::as_str) {
        Some("video") => {}
        Some(other) => {
            return Err(ApiFailure::invalid(format!(
                "media_type `{other}` is not supported; use video"
            )));
        }
        None => {
            return Err(ApiFailure::invalid(
                "Missing request body field: media_type",
            ));
        }
    }
    let mut data = state.data();
    let id = data.next_id(5_212_123_920_968_240_771);
    let date = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let upload_parameters = vec![
        ("x-amz-date".to_string(), date.clone()),
        (
            "x-amz-signature".to_string(),
            random_token("").chars().take(64).collect(),
        ),
        (
            "x-amz-security-token".to_string(),
            random_token("IQoJb3JpZ2lu"),
        ),
        (
            "x-amz-algorithm".to_string(),
            "AWS4-HMAC-SHA256".to_string(),
        ),
        ("key".to_string(), format!("uploads/standin/video:{id}")),
        (
            "policy".to_string(),
            base64::engine::general_purpose::STANDARD
                .encode(format!("{{\"expiration\":\"{date}\",\"media\":\"{id}\"}}")),
        ),
        (
            "x-amz-credential".to_string(),
            format!("STANDIN/{}/us-east-1/s3/aws4_request", &date[..8]),
        ),
        (
            "Content-Type".to_string(),
            "multipart/form-data".to_string(),
        ),
    ];
    let params: serde_json::Map<String, Value> = upload_parameters
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    data.media.push(Media {
        id: id.clone(),
        status: MediaStatus::Registered,
        upload_parameters,
    });
    let body = json!({
        "media_id": id,
        "media_type": "video",
        "upload_url": format!("{}/upload/", state.origin),
        "upload_parameters": params,
    });
    Ok(reply(StatusCode::CREATED, limits, body))
}

fn media_json(media: &Media) -> Value {
    let status = match media.status {
        MediaStatus::Registered => "registered",
        MediaStatus::Processing { .. } => "processing",
        MediaStatus::Succeeded => "succeeded",
        MediaStatus::Failed => "failed",
    };
    json!({ "media_id": media.id, "media_type": "video", "status": status })
}

/// `GET /v5/media/{media_id}`: each call moves an uploaded video one step through processing.
pub(crate) async fn media_get(
    AxumState(state): Shared,
    headers: HeaderMap,
    Path(media_id): Path<String>,
) -> Reply {
    let limits = admit(&state, &headers, &["pins:read"])?;
    let mut data = state.data();
    let outcome = data.media_outcome;
    let media = data
        .media
        .iter_mut()
        .find(|m| m.id == media_id)
        .ok_or_else(|| ApiFailure::not_found(4, format!("Media not found: {media_id}")))?;
    if let MediaStatus::Processing { polls_left } = media.status {
        media.status = match (polls_left, outcome) {
            (0, MediaOutcome::Succeed) => MediaStatus::Succeeded,
            (0, MediaOutcome::Fail) => MediaStatus::Failed,
            (0, MediaOutcome::NeverFinish) => MediaStatus::Processing { polls_left: 0 },
            (n, _) => MediaStatus::Processing { polls_left: n - 1 },
        };
    }
    let json = media_json(media);
    Ok(reply(StatusCode::OK, limits, json))
}

/// `GET /v5/media`.
pub(crate) async fn media_list(
    AxumState(state): Shared,
    headers: HeaderMap,
    Query(params): Params,
) -> Reply {
    let limits = admit(&state, &headers, &["pins:read"])?;
    let data = state.data();
    let items = data.media.iter().rev().map(media_json).collect();
    Ok(reply(StatusCode::OK, limits, page(items, &params)?))
}

/// Anything else below `/v5`.
pub(crate) async fn not_served(method: axum::http::Method, uri: axum::http::Uri) -> ApiFailure {
    ApiFailure::not_found(
        404,
        format!("{method} {} is not served by the stand-in", uri.path()),
    )
}
