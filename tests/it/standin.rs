//! The local stand-in is honest: it checks what Pinterest checks (client credentials on the
//! token endpoint, bearer tokens, scopes, required fields) and its replies decode into the
//! generated types.

use pinterest_v5::types::{
    BoardCreate, BoardPrivacy, PinCreate, PinMediaSource, PinMediaSourceImageUrl,
};
use pinterest_v5::{Client, Environment, Error};
use pinterest_v5_standin::Standin;
use std::collections::HashMap;

const SCOPES: [&str; 6] = [
    "user_accounts:read",
    "boards:read",
    "boards:write",
    "pins:read",
    "pins:write",
    "ads:read",
];

fn client_with(standin: &Standin, token: &str) -> Client {
    Client::builder()
        .environment(Environment::custom(standin.base_url()).expect("a loopback URL"))
        .access_token(token)
        .retry_policy(pinterest_v5::client::retry::RetryPolicy::none())
        .build()
        .expect("a client")
}

fn client(standin: &Standin) -> Client {
    client_with(standin, &standin.issue_tokens(&SCOPES).access_token)
}

/// A plain HTTP client, to look at what the client hides (raw statuses, headers).
fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

fn api_status(result: Result<impl std::fmt::Debug, Error>) -> (u16, Option<i64>) {
    match result {
        Err(Error::Api(e)) => (e.status.as_u16(), e.code),
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn image_pin(board_id: &str, title: &str) -> PinCreate {
    PinCreate {
        board_id: Some(board_id.to_string()),
        title: Some(title.to_string()),
        media_source: Some(PinMediaSource::ImageUrl(PinMediaSourceImageUrl::new(
            "https://i.pinimg.com/originals/aa/bb/cc/example.jpg",
        ))),
        ..PinCreate::default()
    }
}

fn board(name: &str) -> BoardCreate {
    BoardCreate {
        name: name.into(),
        description: Some("made by a test".into()),
        is_ads_only: false,
        privacy: BoardPrivacy::Public,
    }
}

#[tokio::test]
async fn replies_decode_into_the_generated_types() -> Result<(), Box<dyn std::error::Error>> {
    let standin = Standin::start().await.expect("stand-in");
    let client = client(&standin);

    let account = client.user_account_get().send().await?.into_inner();
    assert_eq!(account.username.as_deref(), Some(standin.username()));

    let created = client
        .boards_create()
        .body(board("Recipes"))
        .send()
        .await?
        .into_inner();
    assert_eq!(created.name, "Recipes");
    let fetched = client
        .boards_get()
        .board_id(created.id.clone())
        .send()
        .await?
        .into_inner();
    assert_eq!(fetched.id, created.id);
    let boards = client.boards_list().send().await?.into_inner();
    assert_eq!(boards.items.len(), 1);

    let pin = client
        .pins_create()
        .body(image_pin(&created.id, "Soup"))
        .send()
        .await?
        .into_inner();
    assert_eq!(pin.board_id.as_deref(), Some(created.id.as_str()));
    assert!(matches!(
        pin.media,
        Some(pinterest_v5::types::PinMedia::Image(_))
    ));
    let again = client
        .pins_get()
        .pin_id(pin.id.clone())
        .send()
        .await?
        .into_inner();
    assert_eq!(again.title.as_deref(), Some("Soup"));
    assert!(again.created_at.is_some());
    let listed = client.pins_list().send().await?.into_inner();
    assert_eq!(listed.items.len(), 1);
    Ok(())
}

#[tokio::test]
async fn board_pins_page_by_bookmark_until_the_bookmark_is_null()
-> Result<(), Box<dyn std::error::Error>> {
    let standin = Standin::start().await.expect("stand-in");
    let client = client(&standin);
    let board = client
        .boards_create()
        .body(board("Paged"))
        .send()
        .await?
        .into_inner();
    for i in 0..5 {
        client
            .pins_create()
            .body(image_pin(&board.id, &format!("pin {i}")))
            .send()
            .await?;
    }
    let mut titles = Vec::new();
    let mut bookmark: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut call = client
            .boards_list_pins()
            .board_id(board.id.clone())
            .page_size(2u64);
        if let Some(b) = &bookmark {
            call = call.bookmark(b.clone());
        }
        let page = call.send().await?.into_inner();
        pages += 1;
        titles.extend(page.items.into_iter().filter_map(|p| p.title));
        bookmark = page.bookmark;
        if bookmark.is_none() {
            break;
        }
        assert!(pages < 10, "the bookmark never ran out");
    }
    assert_eq!(pages, 3);
    assert_eq!(titles, ["pin 4", "pin 3", "pin 2", "pin 1", "pin 0"]);
    assert_eq!(
        standin.counters().route("GET /v5/boards/{board_id}/pins"),
        3
    );

    let bad = client
        .boards_list_pins()
        .board_id(board.id.clone())
        .bookmark("not-a-bookmark")
        .send()
        .await;
    assert_eq!(api_status(bad), (400, Some(1)));
    Ok(())
}

#[tokio::test]
async fn calls_without_a_live_bearer_token_get_401_with_code_and_message() {
    let standin = Standin::start().await.expect("stand-in");
    let unknown = client_with(&standin, "pina_not_issued_here");
    let reply = unknown.user_account_get().send().await;
    assert_eq!(api_status(reply), (401, Some(2)));

    let raw = http()
        .get(format!("{}/user_account", standin.base_url()))
        .send()
        .await
        .expect("reply");
    assert_eq!(raw.status(), 401);
    let body: serde_json::Value = raw.json().await.expect("JSON");
    assert_eq!(body["code"], 2);
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("Authorization"))
    );

    let client = client(&standin);
    assert!(client.user_account_get().send().await.is_ok());
    standin.expire_access_tokens();
    let expired = client.user_account_get().send().await;
    assert_eq!(api_status(expired), (401, Some(2)));
    assert_eq!(standin.counters().unauthorized, 3);
}

#[tokio::test]
async fn a_token_lacking_the_operations_scope_is_refused() {
    let standin = Standin::start().await.expect("stand-in");
    let client = client_with(&standin, &standin.issue_tokens(&["pins:read"]).access_token);
    let reply = client.user_account_get().send().await;
    assert_eq!(api_status(reply), (403, Some(3)));
}

#[tokio::test]
async fn required_body_fields_are_checked() {
    let standin = Standin::start().await.expect("stand-in");
    let client = client(&standin);
    let unnamed = client.boards_create().body(board("  ")).send().await;
    assert_eq!(api_status(unnamed), (400, Some(1)));

    let board = client
        .boards_create()
        .body(board("Real"))
        .send()
        .await
        .expect("board")
        .into_inner();
    let no_media = PinCreate {
        media_source: None,
        ..image_pin(&board.id, "x")
    };
    let reply = client.pins_create().body(no_media).send().await;
    match reply {
        Err(Error::Api(e)) => {
            assert_eq!(e.status, 400);
            assert!(e.message.is_some_and(|m| m.contains("media_source")));
        }
        other => panic!("expected 400, got {other:?}"),
    }
    let unknown_board = client
        .pins_create()
        .body(image_pin("999", "x"))
        .send()
        .await;
    assert_eq!(api_status(unknown_board).0, 404);
}

/// The token endpoint's form, posted with the given Basic credentials.
async fn token_request(
    standin: &Standin,
    secret: &str,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let reply = http()
        .post(standin.token_url())
        .basic_auth(standin.client_id(), Some(secret))
        .form(form)
        .send()
        .await
        .expect("reply");
    let status = reply.status().as_u16();
    (status, reply.json().await.expect("JSON body"))
}

fn authorization_url(standin: &Standin, redirect: &str, state: &str) -> String {
    let mut url = url::Url::parse("https://www.pinterest.com/oauth/").expect("URL");
    url.query_pairs_mut()
        .append_pair("client_id", standin.client_id())
        .append_pair("redirect_uri", redirect)
        .append_pair("response_type", "code")
        .append_pair("scope", "boards:read,pins:read")
        .append_pair("state", state);
    url.to_string()
}

fn code_of(redirect: &str) -> String {
    let url = url::Url::parse(redirect).expect("redirect URL");
    let query: HashMap<_, _> = url.query_pairs().into_owned().collect();
    query.get("code").cloned().expect("a code")
}

#[tokio::test]
async fn the_token_endpoint_wants_basic_client_credentials_and_a_single_use_code() {
    let standin = Standin::start().await.expect("stand-in");
    let redirect_uri = "http://localhost:8085/callback";
    let redirect = standin
        .consent(&authorization_url(&standin, redirect_uri, "s-123"))
        .expect("consent");
    assert!(redirect.starts_with(redirect_uri));
    assert!(redirect.contains("state=s-123"));
    let code = code_of(&redirect);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect_uri),
    ];

    let (status, body) = token_request(&standin, "wrong-secret", &form).await;
    assert_eq!((status, body["code"].as_i64()), (401, Some(2)));

    let other_code = code_of(
        &standin
            .consent(&authorization_url(&standin, redirect_uri, "s-456"))
            .expect("consent"),
    );
    let wrong_redirect = [
        form[0],
        ("code", other_code.as_str()),
        ("redirect_uri", "http://localhost:9999/"),
    ];
    let (status, body) = token_request(&standin, standin.client_secret(), &wrong_redirect).await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(283)));

    let (status, body) = token_request(&standin, standin.client_secret(), &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["response_type"], "authorization_code");
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["scope"], "boards:read,pins:read");
    assert!(body["refresh_token"].as_str().is_some());
    assert!(body["expires_in"].as_i64().is_some_and(|s| s > 0));
    let decoded: pinterest_v5::types::OauthAccessTokenResponse =
        serde_json::from_value(body).expect("the generated token response decodes it");
    drop(decoded);

    let (status, body) = token_request(&standin, standin.client_secret(), &form).await;
    assert_eq!(
        (status, body["code"].as_i64()),
        (400, Some(283)),
        "a code is single-use"
    );

    let (status, _) = token_request(
        &standin,
        standin.client_secret(),
        &[("grant_type", "password")],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(standin.counters().grant("authorization_code"), 3);
}

#[tokio::test]
async fn refresh_rotates_the_refresh_token_and_spends_the_old_one() {
    let standin = Standin::start().await.expect("stand-in");
    let first = standin.issue_tokens(&["pins:read"]);
    let old = first.refresh_token.expect("a refresh token");
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", old.as_str()),
    ];
    let (status, body) = token_request(&standin, standin.client_secret(), &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["response_type"], "refresh_token");
    let new = body["refresh_token"]
        .as_str()
        .expect("a rotated refresh token");
    assert_ne!(new, old);
    assert!(body["refresh_token_expires_at"].as_i64().is_some());

    let (status, body) = token_request(&standin, standin.client_secret(), &form).await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(283)));

    let again = [("grant_type", "refresh_token"), ("refresh_token", new)];
    let (status, _) = token_request(&standin, standin.client_secret(), &again).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn client_credentials_need_a_scope_and_give_no_refresh_token() {
    let standin = Standin::start().await.expect("stand-in");
    let (status, _) = token_request(
        &standin,
        standin.client_secret(),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(status, 400);
    let form = [("grant_type", "client_credentials"), ("scope", "ads:read")];
    let (status, body) = token_request(&standin, standin.client_secret(), &form).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("refresh_token").is_none());
}

#[tokio::test]
async fn consent_checks_the_authorization_url_and_deny_reports_access_denied() {
    let standin = Standin::start().await.expect("stand-in");
    let good = authorization_url(&standin, "http://localhost:8085/", "st");
    assert!(
        standin
            .consent(&good.replace("response_type=code", "response_type=token"))
            .is_err()
    );
    assert!(
        standin
            .consent(&good.replace("client_id=1234567", "client_id=1"))
            .is_err()
    );
    assert!(
        standin
            .consent(&good.replace("pins%3Aread", "pins%3Aeverything"))
            .is_err()
    );
    let denied = standin.deny(&good).expect("a redirect");
    assert_eq!(
        denied,
        "http://localhost:8085/?error=access_denied&state=st"
    );
}

#[tokio::test]
async fn an_injected_429_carries_rate_limit_headers_once() {
    let standin = Standin::start().await.expect("stand-in");
    let token = standin.issue_tokens(&SCOPES).access_token;
    standin.inject_rate_limit(1);
    let get = || {
        http()
            .get(format!("{}/user_account", standin.base_url()))
            .bearer_auth(&token)
            .send()
    };
    let limited = get().await.expect("reply");
    assert_eq!(limited.status(), 429);
    let header = |name: &str| {
        limited
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    assert_eq!(header("x-ratelimit-reset").as_deref(), Some("1"));
    assert_eq!(header("x-ratelimit-remaining").as_deref(), Some("0"));
    assert!(header("x-pinterest-rid").is_some());
    let body: serde_json::Value = limited.json().await.expect("JSON");
    assert_eq!(body["code"], 8);

    let next = get().await.expect("reply");
    assert_eq!(next.status(), 200);
    assert!(next.headers().contains_key("x-ratelimit-limit"));
    assert_eq!(standin.counters().rate_limited, 1);
}

#[tokio::test]
async fn the_upload_target_wants_every_field_before_the_file_and_no_bearer_token() {
    let standin = Standin::start().await.expect("stand-in");
    let client = client(&standin);
    let registration = client
        .media_create()
        .body(pinterest_v5::types::MediaUploadCreate {
            media_type: pinterest_v5::types::MediaUploadType::Video,
        })
        .send()
        .await
        .expect("a registration")
        .into_inner();
    let url = registration.upload_url.expect("an upload_url");
    let fields = match serde_json::to_value(registration.upload_parameters.expect("parameters")) {
        Ok(serde_json::Value::Object(map)) => map,
        other => panic!("parameters: {other:?}"),
    };
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let file = || reqwest::multipart::Part::bytes(vec![7u8; 100]).file_name("clip.mp4");

    let mut file_first = reqwest::multipart::Form::new().part("file", file());
    for (name, value) in &fields {
        file_first = file_first.text(name.clone(), text(value));
    }
    let reply = http()
        .post(&url)
        .multipart(file_first)
        .send()
        .await
        .expect("reply");
    assert_eq!(reply.status(), 400);
    let body = reply.text().await.expect("body");
    assert!(body.contains("check the order of the fields"), "{body}");

    let mut with_bearer = reqwest::multipart::Form::new();
    for (name, value) in &fields {
        with_bearer = with_bearer.text(name.clone(), text(value));
    }
    let reply = http()
        .post(&url)
        .bearer_auth("pina_not_for_storage")
        .multipart(with_bearer.part("file", file()))
        .send()
        .await
        .expect("reply");
    assert_eq!(reply.status(), 400);

    let mut good = reqwest::multipart::Form::new();
    for (name, value) in &fields {
        good = good.text(name.clone(), text(value));
    }
    let reply = http()
        .post(&url)
        .multipart(good.part("file", file()))
        .send()
        .await
        .expect("reply");
    assert_eq!(reply.status(), 204);
    let statuses: Vec<u16> = standin.uploads().iter().map(|u| u.status).collect();
    assert_eq!(statuses, [400, 400, 204]);
}

#[tokio::test]
async fn media_moves_from_registered_through_processing_to_the_outcome() {
    let standin = Standin::start().await.expect("stand-in");
    let client = client(&standin);
    let status = |id: String| {
        let client = &client;
        async move {
            client
                .media_get()
                .media_id(id)
                .send()
                .await
                .expect("a status")
                .into_inner()
                .status
                .map(|s| s.to_string())
        }
    };
    let registration = client
        .media_create()
        .body(pinterest_v5::types::MediaUploadCreate {
            media_type: pinterest_v5::types::MediaUploadType::Video,
        })
        .send()
        .await
        .expect("a registration")
        .into_inner();
    let id = registration.media_id.clone();
    assert_eq!(status(id.clone()).await.as_deref(), Some("registered"));
    assert_eq!(
        status(id.clone()).await.as_deref(),
        Some("registered"),
        "no upload, no progress"
    );

    let mut form = reqwest::multipart::Form::new();
    let fields =
        serde_json::to_value(registration.upload_parameters.expect("parameters")).expect("JSON");
    for (name, value) in fields.as_object().expect("an object") {
        form = form.text(name.clone(), value.as_str().unwrap_or_default().to_string());
    }
    let form = form.part("file", reqwest::multipart::Part::bytes(vec![1u8; 10]));
    let url = registration.upload_url.expect("an upload_url");
    let reply = http()
        .post(&url)
        .multipart(form)
        .send()
        .await
        .expect("reply");
    assert_eq!(reply.status(), 204);
    assert_eq!(status(id.clone()).await.as_deref(), Some("processing"));
    standin.set_media_outcome(pinterest_v5_standin::MediaOutcome::Fail);
    assert_eq!(status(id.clone()).await.as_deref(), Some("failed"));
}
