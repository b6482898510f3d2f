//! Replies decode into the generated models even when the API has grown or is sloppy:
//! unknown enum values are kept, unknown fields ignored, strings that break a documented
//! `pattern` or `maxLength` accepted, date-times without an offset read as UTC, and a `oneOf`
//! with a discriminator decodes into the variant its tag names.

use pinterest_v5::types;
use serde_json::json;

fn pin_json() -> serde_json::Value {
    json!({
        "id": "813744226420795884",
        "created_at": "2020-01-01T20:10:40",
        "link": "https://www.pinterest.com/",
        "title": "A Pin",
        "board_id": "549755885175",
        "creative_type": "REGULAR",
        "media": {"media_type": "image", "images": {}},
        "has_been_promoted": false
    })
}

#[test]
fn a_documented_pin_decodes() {
    let pin: types::Pin = serde_json::from_value(pin_json()).expect("a documented Pin decodes");
    assert_eq!(pin.id, "813744226420795884");
    assert!(matches!(
        pin.creative_type,
        Some(types::CreativeType::Regular)
    ));
}

#[test]
fn an_unknown_enum_value_is_kept_not_dropped() {
    let mut body = pin_json();
    body["creative_type"] = json!("HOLOGRAM");
    let pin: types::Pin = serde_json::from_value(body).expect("a new creative_type decodes");
    match &pin.creative_type {
        Some(types::CreativeType::UnknownValue(v)) => assert_eq!(v, "HOLOGRAM"),
        other => panic!("expected the unknown value to be kept, got {other:?}"),
    }
    // and it goes back out as it came
    let again = serde_json::to_value(&pin).expect("re-encodes");
    assert_eq!(again["creative_type"], "HOLOGRAM");
    assert_eq!(
        types::CreativeType::UnknownValue("HOLOGRAM".into()).to_string(),
        "HOLOGRAM"
    );
    let parsed: types::CreativeType = "HOLOGRAM".parse().expect("FromStr keeps it too");
    assert_eq!(parsed, types::CreativeType::UnknownValue("HOLOGRAM".into()));
    // an enum whose values include `UNKNOWN` keeps both apart
    let known: types::CreativeType = "VIDEO".parse().expect("a known value");
    assert_eq!(known, types::CreativeType::Video);
}

#[test]
fn unknown_fields_are_ignored() {
    let mut body = pin_json();
    body["sparkles"] = json!({"count": 3});
    body["media"]["hologram_depth"] = json!(7);
    let pin: types::Pin = serde_json::from_value(body).expect("new fields do not break decoding");
    assert_eq!(pin.title.as_deref(), Some("A Pin"));
}

#[test]
fn strings_that_break_a_documented_pattern_or_length_decode() {
    let mut body = pin_json();
    body["id"] = json!("pin-abc"); // documented as ^\d+$
    body["title"] = json!("t".repeat(300)); // documented maxLength 100
    let pin: types::Pin =
        serde_json::from_value(body).expect("the server's strings are taken as sent");
    assert_eq!(pin.id, "pin-abc");
    assert_eq!(pin.title.map(|t| t.len()), Some(300));
}

#[test]
fn date_times_with_or_without_an_offset_decode_as_utc() {
    let mut body = pin_json();
    let pin: types::Pin = serde_json::from_value(body.clone()).expect("no offset");
    let naive = pin.created_at.expect("created_at");
    assert_eq!(naive.to_string(), "2020-01-01T20:10:40Z");
    body["created_at"] = json!("2020-01-01T21:10:40+01:00");
    let pin: types::Pin = serde_json::from_value(body).expect("with offset");
    assert_eq!(pin.created_at, Some(naive));
}

#[test]
fn a_refresh_reply_decodes_as_the_refresh_variant() {
    // The code-exchange variant would fit this body too (its refresh fields are optional):
    // decoding untagged would take it. The discriminator `response_type` says refresh.
    let body = json!({
        "access_token": "pina_new",
        "expires_in": 2592000,
        "refresh_token": "pinr_new",
        "refresh_token_expires_in": 5184000,
        "refresh_token_expires_at": 1760000000,
        "response_type": "refresh_token",
        "scope": "boards:read,pins:read",
        "token_type": "bearer"
    });
    let reply: types::OauthAccessTokenResponse =
        serde_json::from_value(body.clone()).expect("a refresh reply decodes");
    match reply {
        types::OauthAccessTokenResponse::Refresh(r) => assert_eq!(r.refresh_token, "pinr_new"),
        other => panic!("decoded as {other:?}"),
    }
    let mut code = body;
    code["response_type"] = json!("authorization_code");
    let reply: types::OauthAccessTokenResponse =
        serde_json::from_value(code).expect("a code reply decodes");
    assert!(matches!(reply, types::OauthAccessTokenResponse::Code(_)));
}

#[test]
fn the_discriminator_picks_the_variant_of_pin_media() {
    let video = json!({"media_type": "video", "cover_image_url": "https://i.pinimg.com/c.jpg", "duration": 12.5});
    let media: types::PinMedia = serde_json::from_value(video).expect("video media decodes");
    match media {
        types::PinMedia::Video(v) => assert_eq!(v.duration, Some(12.5)),
        other => panic!("decoded as {other:?}"),
    }
    let image = json!({"media_type": "image", "images": {}});
    let media: types::PinMedia = serde_json::from_value(image).expect("image media decodes");
    assert!(matches!(media, types::PinMedia::Image(_)));
}

#[test]
fn an_unknown_discriminator_value_falls_back_to_the_first_variant_that_fits() {
    let body = json!({"media_type": "hologram", "images": {}});
    let media: types::PinMedia =
        serde_json::from_value(body).expect("a new media type still decodes");
    assert!(matches!(media, types::PinMedia::Image(_)));
}

#[test]
fn colliding_time_zone_names_stay_distinct_strings() {
    // `Etc/GMT+1` and `Etc/GMT-1` would be one Rust identifier: the enum is a plain string, so
    // both (and zones added later) decode and stay apart.
    let plus: types::CatalogsProcessingSchedule =
        serde_json::from_value(json!({"time": "02:59", "timezone": "Etc/GMT+1"})).expect("decodes");
    let minus: types::CatalogsProcessingSchedule =
        serde_json::from_value(json!({"time": "02:59", "timezone": "Etc/GMT-1"})).expect("decodes");
    assert_eq!(plus.timezone.as_deref(), Some("Etc/GMT+1"));
    assert_eq!(minus.timezone.as_deref(), Some("Etc/GMT-1"));
}

#[test]
fn a_union_whose_base_repeats_the_tag_decodes_by_its_tag() {
    // Both variants share their fields; the description's base object declared `report_type`
    // as well, which typify turned into anonymous variants. The tag picks the second variant.
    let body = json!({
        "catalog_id": "1", "code": 7, "code_label": "SPAM",
        "report_type": "DISTRIBUTION_ISSUES"
    });
    let stats: types::CatalogsReportStats = serde_json::from_value(body).expect("decodes");
    assert!(
        matches!(stats, types::CatalogsReportStats::DistributionStats(_)),
        "decoded as {stats:?}"
    );
}

#[test]
fn an_any_of_decodes_whichever_members_fit() {
    let video = json!({"item_type": "video", "cover_image_url": "https://i.pinimg.com/c.jpg", "duration": 3.0});
    let item: types::PinMediaMetadata = serde_json::from_value(video).expect("decodes");
    let v = item.subtype_1.expect("the video member");
    assert_eq!(v.duration, Some(3.0));
}

#[test]
fn a_discriminated_union_nested_in_a_one_of_decodes_by_its_tag() {
    let body = json!({"catalog_type": "HOTEL", "hotel_id": "h1"});
    let item: types::ItemResponse = serde_json::from_value(body).expect("decodes");
    match item {
        types::ItemResponse::Variant0(types::ItemResponseVariant0::HotelItemResponse(h)) => {
            assert_eq!(h.hotel_id.as_deref(), Some("h1"))
        }
        other => panic!("decoded as {other:?}"),
    }
}

#[test]
fn the_tag_picks_the_variant_wherever_it_stands_in_the_object() {
    // fields before the tag are buffered and replayed to the variant, fields after it are read
    // straight from the input: the result is the same
    let body = r#"{"cover_image_url": "https://i.pinimg.com/c.jpg", "media_type": "video", "duration": 4.5, "sparkles": 1}"#;
    let media: types::PinMedia = serde_json::from_str(body).expect("decodes");
    match media {
        types::PinMedia::Video(v) => {
            assert_eq!(v.duration, Some(4.5));
            assert_eq!(
                v.cover_image_url.as_deref(),
                Some("https://i.pinimg.com/c.jpg")
            );
        }
        other => panic!("decoded as {other:?}"),
    }
}

/// Generated structs decode as serde's derive would decode them (`codegen`'s
/// `compact_deserialize` writes their `Deserialize`): required fields, defaults, `null`,
/// escaped keys, and the shape of the errors.
#[test]
fn structs_decode_fields_by_their_wire_names_with_serde_s_rules() {
    let board: types::Board = serde_json::from_slice(
        br#"{"id":"1","name":"Recipes","description":null,"follower_count":3,"owner":{"username":"u"}}"#,
    )
    .expect("a board decodes");
    assert_eq!((board.id.as_str(), board.name.as_str()), ("1", "Recipes"));
    assert_eq!(board.description, None, "null in an optional field is None");
    assert_eq!(board.follower_count, Some(3));
    assert!(
        !board.is_ads_only,
        "a missing `#[serde(default)]` field is its default"
    );

    // keys written with escapes are the same keys (serde_json hands them over as owned strings)
    let escaped: types::Board =
        serde_json::from_slice(br#"{"\u0069d":"2","name":"N"}"#).expect("escaped keys decode");
    assert_eq!(escaped.id, "2");

    // the same through a `serde_json::Value` (every key an owned string)
    let from_value: types::Board =
        serde_json::from_value(json!({"id": "3", "name": "V", "privacy": "SECRET"}))
            .expect("decodes from a Value");
    assert_eq!(from_value.id, "3");

    let missing = serde_json::from_slice::<types::Board>(br#"{"name":"no id"}"#)
        .expect_err("a required field is required");
    assert!(
        missing.to_string().contains("missing field `id`"),
        "{missing}"
    );
    let wrong = serde_json::from_slice::<types::Board>(br#"{"id":7,"name":"N"}"#)
        .expect_err("a number is not a string");
    assert!(
        wrong.to_string().contains("invalid type: integer `7`"),
        "{wrong}"
    );
    let array =
        serde_json::from_slice::<types::Board>(br#"["1","N"]"#).expect_err("a board is an object");
    assert!(
        array.to_string().contains("expected struct Board"),
        "{array}"
    );
}

/// The tag is read straight from the reply's bytes: a tag first (the member reads on from the
/// input), escaped keys and tags, a tag after the other fields, an unknown tag, and a tag that
/// is not a string.
#[test]
fn the_tag_is_found_however_the_reply_writes_it() {
    let escaped: types::PinMedia =
        serde_json::from_slice(br#"{"media_\u0074ype":"vid\u0065o","duration":3.5}"#)
            .expect("escaped key and tag decode");
    match escaped {
        types::PinMedia::Video(v) => assert_eq!(v.duration, Some(3.5)),
        other => panic!("decoded as {other:?}"),
    }
    let last: types::PinMedia =
        serde_json::from_slice(br#"{"duration":1.0,"cover_image_url":"u","media_type":"video"}"#)
            .expect("a tag after the other fields decodes");
    assert!(matches!(last, types::PinMedia::Video(_)));
    let first: types::PinMedia =
        serde_json::from_slice(br#"{"media_type":"video","duration":2.5,"sparkles":[1]}"#)
            .expect("a tag before the other fields (as Pinterest writes it) decodes");
    match first {
        types::PinMedia::Video(v) => {
            assert_eq!(v.duration, Some(2.5));
            assert_eq!(v.media_type, types::PinMediaWithVideoMediaType::Video);
        }
        other => panic!("decoded as {other:?}"),
    }
    let unknown_first: types::PinMedia =
        serde_json::from_slice(br#"{"media_type":"hologram","images":{}}"#)
            .expect("an unknown tag before the other fields falls back to the first that fits");
    assert!(matches!(unknown_first, types::PinMedia::Image(_)));
    let not_a_string =
        serde_json::from_slice::<types::PinMedia>(br#"{"media_type":7,"images":{}}"#);
    assert!(
        not_a_string.is_err(),
        "a numeric tag fits no member (each declares the tag a string): {not_a_string:?}"
    );
}

/// A union of a string enum and a null-only schema (`anyOf: [{enum: [...]}, {enum: [null]}]`,
/// an advertiser-defined event's `mapped_conversion_type`) decodes the plain string and `null`
/// (the `null_only_union_members` fix: the union is the enum, made nullable).
#[test]
fn an_enum_or_null_union_decodes_the_plain_value_and_null() {
    let event: types::AdvertiserDefinedEvent =
        serde_json::from_value(json!({"name": "add_to_bag", "mapped_conversion_type": "CHECKOUT"}))
            .expect("the plain string decodes");
    assert_eq!(
        event.mapped_conversion_type,
        Some(types::AdvertiserDefinedEventMappedConversionType::Checkout)
    );
    let null: types::AdvertiserDefinedEvent =
        serde_json::from_value(json!({"name": "e", "mapped_conversion_type": null}))
            .expect("null decodes");
    assert_eq!(null.mapped_conversion_type, None);
    let new: types::AdvertiserDefinedEvent =
        serde_json::from_value(json!({"mapped_conversion_type": "HOLOGRAM_VIEW"}))
            .expect("a value the API adds decodes");
    assert_eq!(
        new.mapped_conversion_type,
        Some(
            types::AdvertiserDefinedEventMappedConversionType::UnknownValue("HOLOGRAM_VIEW".into())
        )
    );
}

/// `nullable: true` written beside a `$ref` (a product group promotion reply's `exceptions`
/// items) lets `null` through where the description says so (the `nullable_refs` fix).
#[test]
fn a_nullable_reference_decodes_null() {
    let item: types::ProductGroupPromotionResponseItem = serde_json::from_value(json!({
        "exceptions": [null, {"code": 7, "message": "bid too low"}]
    }))
    .expect("a null exception decodes");
    let exceptions = item.exceptions.expect("exceptions");
    assert_eq!(exceptions.len(), 2);
    assert!(exceptions[0].is_none());
    assert_eq!(
        exceptions[1].as_ref().and_then(|e| e.message.as_deref()),
        Some("bid too low")
    );
}
