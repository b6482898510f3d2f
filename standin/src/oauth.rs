//! OAuth as Pinterest does it: the consent step (simulated: [`crate::Standin::consent`]) and
//! `POST /v5/oauth/token` with HTTP Basic client credentials and a form body.

use crate::state::{ApiFailure, Grant, IssuedToken, State, random_token};
use crate::{ALL_SCOPES, ConsentError, IssuedTokens};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// `POST /v5/oauth/token`.
pub(crate) async fn token(
    AxumState(state): AxumState<Arc<State>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiFailure> {
    check_client(&state, &headers)?;
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(ApiFailure::invalid(
            "the token request body must be application/x-www-form-urlencoded",
        ));
    }
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| -> Result<&str, ApiFailure> {
        form.get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ApiFailure::invalid(format!("Missing request body field: {name}")))
    };
    let grant_type = field("grant_type")?;
    {
        let mut data = state.data();
        *data
            .counters
            .token_grants
            .entry(grant_type.to_string())
            .or_default() += 1;
    }
    let reply = match grant_type {
        "authorization_code" => {
            let code = field("code")?;
            let redirect_uri = field("redirect_uri")?;
            let mut data = state.data();
            let Some(grant) = data.codes.remove(code) else {
                return Err(invalid_grant(
                    "the authorization code is unknown or was already used",
                ));
            };
            if grant.redirect_uri != redirect_uri {
                return Err(invalid_grant(
                    "redirect_uri does not match the one of the authorization request",
                ));
            }
            let issued = issue(&mut data, &grant.scopes, true);
            token_reply(&issued, "authorization_code")
        }
        "refresh_token" => {
            let presented = field("refresh_token")?;
            let mut data = state.data();
            let Some(record) = data.refresh_tokens.get(presented).cloned() else {
                return Err(invalid_grant(
                    "the refresh token is unknown or was replaced by a newer one",
                ));
            };
            if record.expires_at <= Instant::now() {
                return Err(invalid_grant("the refresh token has expired"));
            }
            let scopes = match form.get("scope").filter(|s| !s.is_empty()) {
                None => record.scopes.clone(),
                Some(asked) => {
                    let asked = split_scopes(asked);
                    if let Some(extra) = asked.iter().find(|s| !record.scopes.contains(s)) {
                        return Err(ApiFailure::invalid(format!(
                            "scope `{extra}` was not granted to this refresh token"
                        )));
                    }
                    asked
                }
            };
            // Rotation: the presented refresh token is spent; the reply carries its successor.
            data.refresh_tokens.remove(presented);
            let issued = issue(&mut data, &scopes, true);
            token_reply(&issued, "refresh_token")
        }
        "client_credentials" => {
            let scopes = split_scopes(field("scope")?);
            check_known_scopes(&scopes).map_err(ApiFailure::invalid)?;
            let mut data = state.data();
            let issued = issue(&mut data, &scopes, false);
            token_reply(&issued, "client_credentials")
        }
        other => {
            return Err(ApiFailure::invalid(format!(
                "unsupported grant_type `{other}`; use authorization_code, refresh_token or client_credentials"
            )));
        }
    };
    Ok((StatusCode::OK, Json(reply)).into_response())
}

/// Checks `Authorization: Basic base64(client_id:client_secret)`.
fn check_client(state: &State, headers: &HeaderMap) -> Result<(), ApiFailure> {
    let denied = |why: &str| {
        ApiFailure::unauthenticated(format!(
            "Authentication failed: {why}; send Authorization: Basic base64(client_id:client_secret)"
        ))
    };
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| denied("no Authorization header"))?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
        .ok_or_else(|| denied("the Authorization header is not Basic"))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| denied("the Basic credentials are not base64 text"))?;
    let (id, secret) = decoded
        .split_once(':')
        .ok_or_else(|| denied("the Basic credentials have no `:`"))?;
    if id != state.config.client_id || secret != state.config.client_secret {
        return Err(denied("unknown client id or wrong client secret"));
    }
    Ok(())
}

fn invalid_grant(message: &str) -> ApiFailure {
    ApiFailure::new(
        StatusCode::BAD_REQUEST,
        283,
        format!("Invalid grant: {message}"),
    )
}

/// Scopes as Pinterest writes them: comma-separated (spaces tolerated).
pub(crate) fn split_scopes(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn check_known_scopes(scopes: &[String]) -> Result<(), String> {
    if scopes.is_empty() {
        return Err("at least one scope is required".into());
    }
    match scopes.iter().find(|s| !ALL_SCOPES.contains(&s.as_str())) {
        Some(unknown) => Err(format!("unknown scope `{unknown}`")),
        None => Ok(()),
    }
}

/// Issues an access token (and a refresh token for user grants).
pub(crate) fn issue(
    data: &mut crate::state::Data,
    scopes: &[String],
    with_refresh: bool,
) -> IssuedTokens {
    let now = Instant::now();
    let access_token = random_token("pina_");
    data.access_tokens.insert(
        access_token.clone(),
        IssuedToken {
            expires_at: now + data.access_token_lifetime,
            scopes: scopes.to_vec(),
        },
    );
    let refresh_token = with_refresh.then(|| {
        let token = random_token("pinr_");
        data.refresh_tokens.insert(
            token.clone(),
            IssuedToken {
                expires_at: now + data.refresh_token_lifetime,
                scopes: scopes.to_vec(),
            },
        );
        token
    });
    IssuedTokens {
        access_token,
        refresh_token,
        expires_in: data.access_token_lifetime.as_secs(),
        refresh_token_expires_in: data.refresh_token_lifetime.as_secs(),
        scopes: scopes.to_vec(),
    }
}

fn token_reply(issued: &IssuedTokens, response_type: &str) -> serde_json::Value {
    let mut reply = serde_json::json!({
        "access_token": issued.access_token,
        "token_type": "bearer",
        "expires_in": issued.expires_in,
        "scope": issued.scopes.join(","),
        "response_type": response_type,
    });
    if let Some(refresh) = &issued.refresh_token {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        reply["refresh_token"] = refresh.clone().into();
        reply["refresh_token_expires_in"] = issued.refresh_token_expires_in.into();
        reply["refresh_token_expires_at"] = (now + issued.refresh_token_expires_in).into();
    }
    reply
}

/// The parameters of an authorization URL, checked as Pinterest's consent page checks them.
struct AuthorizationRequest {
    /// The redirect URI exactly as the authorization URL gave it (the code exchange must repeat
    /// it byte for byte).
    redirect_raw: String,
    redirect_uri: url::Url,
    scopes: Vec<String>,
    state: Option<String>,
}

fn parse_authorization_url(
    state: &State,
    authorization_url: &str,
) -> Result<AuthorizationRequest, ConsentError> {
    let url = url::Url::parse(authorization_url)
        .map_err(|e| ConsentError::BadUrl(format!("`{authorization_url}` is not a URL: {e}")))?;
    let query: HashMap<String, String> = url.query_pairs().into_owned().collect();
    let get = |name: &'static str| {
        query
            .get(name)
            .filter(|v| !v.is_empty())
            .ok_or(ConsentError::MissingParameter(name))
    };
    if get("client_id")? != &state.config.client_id {
        return Err(ConsentError::UnknownClient);
    }
    let response_type = get("response_type")?;
    if response_type != "code" {
        return Err(ConsentError::BadUrl(format!(
            "response_type is `{response_type}`; Pinterest only accepts `code`"
        )));
    }
    let redirect = get("redirect_uri")?;
    if !state.config.redirect_uris.is_empty() && !state.config.redirect_uris.contains(redirect) {
        return Err(ConsentError::UnregisteredRedirectUri(redirect.clone()));
    }
    let redirect_uri = url::Url::parse(redirect)
        .map_err(|e| ConsentError::BadUrl(format!("redirect_uri `{redirect}`: {e}")))?;
    let scopes = split_scopes(get("scope")?);
    check_known_scopes(&scopes).map_err(ConsentError::BadScope)?;
    Ok(AuthorizationRequest {
        redirect_raw: redirect.clone(),
        redirect_uri,
        scopes,
        state: query.get("state").cloned(),
    })
}

/// The user consents: a code is registered and the redirect URL returned.
pub(crate) fn consent(state: &State, authorization_url: &str) -> Result<String, ConsentError> {
    let request = parse_authorization_url(state, authorization_url)?;
    let code = random_token("");
    state.data().codes.insert(
        code.clone(),
        Grant {
            redirect_uri: request.redirect_raw,
            scopes: request.scopes,
        },
    );
    let mut redirect = request.redirect_uri;
    {
        let mut pairs = redirect.query_pairs_mut();
        pairs.append_pair("code", &code);
        if let Some(s) = &request.state {
            pairs.append_pair("state", s);
        }
    }
    Ok(redirect.to_string())
}

/// The user declines: the redirect carries `error=access_denied`.
pub(crate) fn deny(state: &State, authorization_url: &str) -> Result<String, ConsentError> {
    let request = parse_authorization_url(state, authorization_url)?;
    let mut redirect = request.redirect_uri;
    {
        let mut pairs = redirect.query_pairs_mut();
        pairs.append_pair("error", "access_denied");
        if let Some(s) = &request.state {
            pairs.append_pair("state", s);
        }
    }
    Ok(redirect.to_string())
}
