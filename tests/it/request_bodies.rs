//! Request bodies are written the way their types read: a variant of a discriminated union
//! implies its tag, so the caller does not write it, and the JSON sent is byte for byte what
//! it was when the caller wrote the tag as a field of its own. A field with a default takes it
//! without the caller (`Default`, `new`, the builder), a field without one is asked for once.

use pinterest_v5::types::{
    BoardCreate, BoardPrivacy, ContentType, OauthAccessTokenRequest,
    OauthAccessTokenRequestClientCredentials, OauthAccessTokenRequestCode,
    OauthAccessTokenRequestRefresh, PinCreate, PinMediaSource, PinMediaSourceImageBase64,
    PinMediaSourceImageUrl, PinMediaSourceImagesBase64, PinMediaSourceImagesBase64Item,
    PinMediaSourceImagesUrl, PinMediaSourceImagesUrlItem, PinMediaSourcePinUrl,
    PinMediaSourceVideoId,
};

fn sent(body: &impl serde::Serialize) -> String {
    serde_json::to_string(body).expect("a request body serialises")
}

#[test]
fn every_pin_media_source_sends_its_tag_where_the_field_was() {
    let cases: Vec<(PinMediaSource, &str)> = vec![
        (
            PinMediaSourceImageUrl {
                is_standard: true,
                url: "https://example.com/a.jpg".into(),
            }
            .into(),
            r#"{"is_standard":true,"source_type":"image_url","url":"https://example.com/a.jpg"}"#,
        ),
        (
            PinMediaSourceImageBase64 {
                content_type: ContentType::ImagePng,
                data: "iVBORw0KGgo=".into(),
                is_standard: false,
            }
            .into(),
            r#"{"content_type":"image/png","data":"iVBORw0KGgo=","is_standard":false,"source_type":"image_base64"}"#,
        ),
        (
            PinMediaSourceImagesBase64 {
                index: Some(1),
                items: vec![PinMediaSourceImagesBase64Item {
                    content_type: ContentType::ImageJpeg,
                    data: "/9j/4AAQ".into(),
                    description: None,
                    link: None,
                    title: Some("one".into()),
                }],
            }
            .into(),
            r#"{"index":1,"items":[{"content_type":"image/jpeg","data":"/9j/4AAQ","title":"one"}],"source_type":"multiple_image_base64"}"#,
        ),
        (
            PinMediaSourceImagesUrl {
                index: None,
                items: vec![PinMediaSourceImagesUrlItem {
                    description: None,
                    link: Some("https://example.com/".into()),
                    title: None,
                    url: "https://example.com/1.jpg".into(),
                }],
            }
            .into(),
            r#"{"items":[{"link":"https://example.com/","url":"https://example.com/1.jpg"}],"source_type":"multiple_image_urls"}"#,
        ),
        (
            PinMediaSourcePinUrl {
                is_affiliate_link: false,
            }
            .into(),
            r#"{"is_affiliate_link":false,"source_type":"pin_url"}"#,
        ),
        (
            PinMediaSourceVideoId {
                cover_image_content_type: None,
                cover_image_data: None,
                cover_image_key_frame_time: Some(3),
                cover_image_url: None,
                is_standard: true,
                media_id: "12345".into(),
            }
            .into(),
            r#"{"cover_image_key_frame_time":3,"is_standard":true,"media_id":"12345","source_type":"video_id"}"#,
        ),
    ];
    for (source, expected) in cases {
        assert_eq!(sent(&source), expected);
    }
}

#[test]
fn a_pin_body_carries_the_tag_of_its_media_source_inside_it() {
    let body = PinCreate {
        board_id: Some("549755885175".into()),
        media_source: Some(
            PinMediaSourceImageUrl {
                is_standard: true,
                url: "https://example.com/a.jpg".into(),
            }
            .into(),
        ),
        ..Default::default()
    };
    assert_eq!(
        sent(&body),
        r#"{"board_id":"549755885175","media_source":{"is_standard":true,"source_type":"image_url","url":"https://example.com/a.jpg"}}"#
    );
}

#[test]
fn every_token_request_sends_its_grant_type_where_the_field_was() {
    let cases: Vec<(OauthAccessTokenRequest, &str)> = vec![
        (
            OauthAccessTokenRequest::Code(OauthAccessTokenRequestCode {
                code: "the-code".into(),
                redirect_uri: "https://example.com/cb".into(),
            }),
            r#"{"code":"the-code","grant_type":"authorization_code","redirect_uri":"https://example.com/cb"}"#,
        ),
        (
            OauthAccessTokenRequest::Refresh(OauthAccessTokenRequestRefresh {
                refresh_token: "pinr_OLD".into(),
                scope: None,
            }),
            r#"{"grant_type":"refresh_token","refresh_token":"pinr_OLD"}"#,
        ),
        (
            OauthAccessTokenRequest::ClientCredentials(OauthAccessTokenRequestClientCredentials {
                scope: "ads:read".into(),
            }),
            r#"{"grant_type":"client_credentials","scope":"ads:read"}"#,
        ),
    ];
    for (request, expected) in cases {
        assert_eq!(sent(&request), expected);
    }
}

#[test]
fn a_body_whose_every_field_has_a_default_is_default_and_sends_the_descriptions_defaults() {
    // `is_affiliate_link` defaults to false in the description; the tag is implied
    let source: PinMediaSource = PinMediaSourcePinUrl::default().into();
    assert_eq!(
        sent(&source),
        r#"{"is_affiliate_link":false,"source_type":"pin_url"}"#
    );
}

#[test]
fn new_asks_for_the_fields_without_default_and_sends_the_others_as_the_builder_would() {
    let url = "https://example.com/a.jpg";
    let made = PinMediaSourceImageUrl::new(url);
    let built = PinMediaSourceImageUrl::try_from(PinMediaSourceImageUrl::builder().url(url))
        .expect("the url is set");
    // `is_standard` is `true` by the description's default, sent as it always was
    let expected =
        r#"{"is_standard":true,"source_type":"image_url","url":"https://example.com/a.jpg"}"#;
    assert_eq!(sent(&PinMediaSource::from(made)), expected);
    assert_eq!(sent(&PinMediaSource::from(built)), expected);

    assert_eq!(
        sent(&PinMediaSource::from(PinMediaSourceVideoId::new("12345"))),
        r#"{"is_standard":true,"media_id":"12345","source_type":"video_id"}"#
    );

    let board = BoardCreate::new("Recipes");
    assert_eq!(board.privacy, BoardPrivacy::Public);
    assert_eq!(
        sent(&board),
        r#"{"is_ads_only":false,"name":"Recipes","privacy":"PUBLIC"}"#
    );
}

#[test]
fn the_shorter_pin_body_sends_what_the_long_one_did() {
    let long = PinCreate {
        board_id: Some("549755885175".into()),
        title: Some("Weeknight pasta".into()),
        media_source: Some(
            PinMediaSourceImageUrl {
                is_standard: true,
                url: "https://example.com/a.jpg".into(),
            }
            .into(),
        ),
        ..Default::default()
    };
    let short = PinCreate {
        board_id: Some("549755885175".into()),
        title: Some("Weeknight pasta".into()),
        media_source: Some(PinMediaSourceImageUrl::new("https://example.com/a.jpg").into()),
        ..Default::default()
    };
    let built = PinCreate::try_from(
        PinCreate::builder()
            .board_id("549755885175")
            .title("Weeknight pasta")
            .description(None)
            .media_source(PinMediaSource::from(PinMediaSourceImageUrl::new(
                "https://example.com/a.jpg",
            ))),
    )
    .expect("no field of a pin is required");
    assert_eq!(sent(&short), sent(&long));
    assert_eq!(sent(&built), sent(&long));
}

#[test]
fn a_builder_missing_a_required_field_names_it_and_the_setter() {
    let err = BoardCreate::try_from(BoardCreate::builder().description("Weeknight dinners"))
        .expect_err("a board has no name by default");
    assert_eq!(
        err.to_string(),
        "no value supplied for `name` of `BoardCreate`: set it with `.name(…)`"
    );
}

#[tokio::test]
async fn send_refuses_a_body_missing_a_required_field_before_sending() {
    let standin = pinterest_v5_standin::Standin::start()
        .await
        .expect("stand-in");
    let client = pinterest_v5::Client::builder()
        .environment(pinterest_v5::Environment::custom(standin.base_url()).expect("base URL"))
        .access_token(
            standin
                .issue_tokens(&["boards:read", "boards:write"])
                .access_token,
        )
        .build()
        .expect("client");
    let before = standin.counters().route("POST /v5/boards");
    let err = client
        .boards_create()
        .body_map(|b| b.description("Weeknight dinners"))
        .send()
        .await
        .expect_err("the body has no name");
    assert!(
        matches!(&err, pinterest_v5::Error::InvalidRequest(m) if m.contains("`name` of `BoardCreate`: set it with `.name(…)`")),
        "{err}"
    );
    assert_eq!(standin.counters().route("POST /v5/boards"), before);
    // the same call with its name goes out: the route counted above is this one
    client
        .boards_create()
        .body(BoardCreate::new("Weeknight dinners"))
        .send()
        .await
        .expect("a board with a name is created");
    assert_eq!(standin.counters().route("POST /v5/boards"), before + 1);
}
