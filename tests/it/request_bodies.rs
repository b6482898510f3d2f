//! Request bodies are written the way their types read: a variant of a discriminated union
//! implies its tag, so the caller does not write it, and the JSON sent is byte for byte what
//! it was when the caller wrote the tag as a field of its own.

use pinterest_v5::types::{
    ContentType, OauthAccessTokenRequest, OauthAccessTokenRequestClientCredentials,
    OauthAccessTokenRequestCode, OauthAccessTokenRequestRefresh, PinCreate, PinMediaSource,
    PinMediaSourceImageBase64, PinMediaSourceImageUrl, PinMediaSourceImagesBase64,
    PinMediaSourceImagesBase64Item, PinMediaSourceImagesUrl, PinMediaSourceImagesUrlItem,
    PinMediaSourcePinUrl, PinMediaSourceVideoId,
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
