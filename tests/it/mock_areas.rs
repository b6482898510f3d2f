//! Typed mocks in every API area: for each of the 46 areas, one operation mocked through its
//! typed `When`/`Then` (`pinterest_v5::mock`) and called through the typed client, which
//! decodes the typed reply. Each mock matches what it was given and nothing else: the same
//! call with one path or query parameter or its body changed matches no mock (httpmock answers
//! 404) and the mock counts one hit. Between them they take path parameters (one to three, an
//! enum, values a regex or a URL would change), required and optional query parameters
//! (booleans, enums, dates, arrays), JSON and form bodies, pages followed by bookmark, empty
//! replies, Pinterest's errors and a 429.

use futures::{StreamExt, TryStreamExt};
use pinterest_v5::auth::{OAuthApp, Token, TokenManager};
use pinterest_v5::mock::MockServerExt;
use pinterest_v5::mock::httpmock::MockServer;
use pinterest_v5::{Client, Error, mock, types};
use serde_json::json;
use std::collections::BTreeSet;
use std::fmt::Debug;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .environment(mock::environment(server))
        .access_token("pina_TEST")
        .build()
        .expect("client")
}

/// A reply type built from the JSON Pinterest would send.
fn typed<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    match serde_json::from_value(value) {
        Ok(value) => value,
        Err(e) => panic!("not a value of {}: {e}", std::any::type_name::<T>()),
    }
}

/// A value of a string enum, by its wire name.
fn variant<T: std::str::FromStr>(name: &str) -> T
where
    T::Err: Debug,
{
    name.parse().expect("a variant of the enum")
}

/// The request matched no mock: httpmock's own 404, not a reply of Pinterest's shape.
#[track_caller]
fn unmatched<T: Debug>(result: Result<T, Error>) {
    match result {
        Err(Error::Api(api)) if api.status.as_u16() == 404 && api.code.is_none() => {}
        other => panic!("expected no mock to match, got {other:?}"),
    }
}

const AD_ACCOUNT: &str = "549755885175";

// ---- ad_accounts ---------------------------------------------------------------------------

#[tokio::test]
async fn ad_accounts_pages_followed_by_bookmark_with_a_boolean_query_parameter() {
    let server = MockServer::start_async().await;
    let page = |ids: &[&str], bookmark: Option<&str>| -> types::AdAccountsListResponse {
        let items: Vec<_> = ids.iter().map(|id| json!({"id": id, "name": id})).collect();
        typed(json!({"items": items, "bookmark": bookmark}))
    };
    let first = server.ad_accounts_list(|when, then| {
        when.include_shared_accounts(true).bookmark(None);
        then.ok(&page(&["1", "2"], Some("b2")));
    });
    let second = server.ad_accounts_list(|when, then| {
        when.include_shared_accounts(true).bookmark("b2");
        then.ok(&page(&["3"], None));
    });
    let client = client(&server);
    let accounts: Vec<types::AdAccount> = client
        .ad_accounts_list()
        .include_shared_accounts(true)
        .stream()
        .take(10)
        .try_collect()
        .await
        .expect("both pages");
    let ids: Vec<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    unmatched(client.ad_accounts_list().send().await);
    first.assert_hits_async(1).await;
    second.assert_hits_async(1).await;
}

// ---- ad_groups -----------------------------------------------------------------------------

#[tokio::test]
async fn ad_groups_two_path_parameters() {
    let server = MockServer::start_async().await;
    let group: types::AdGroupResponse =
        typed(json!({"type": "adgroup", "id": "2680", "name": "Spring"}));
    let m = server.ad_groups_get(|when, then| {
        when.ad_account_id(AD_ACCOUNT).ad_group_id("2680");
        then.ok(&group);
    });
    let client = client(&server);
    let got = client
        .ad_groups_get()
        .ad_account_id(AD_ACCOUNT)
        .ad_group_id("2680")
        .send()
        .await
        .expect("the ad group");
    assert_eq!(got.name.as_deref(), Some("Spring"));
    unmatched(
        client
            .ad_groups_get()
            .ad_account_id(AD_ACCOUNT)
            .ad_group_id("2681")
            .send()
            .await,
    );
    unmatched(
        client
            .ad_groups_get()
            .ad_account_id("1")
            .ad_group_id("2680")
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- ads -----------------------------------------------------------------------------------

#[tokio::test]
async fn ads_an_array_and_an_enum_query_parameter() {
    let server = MockServer::start_async().await;
    let campaigns = vec!["626736533506".to_string(), "626736533507".to_string()];
    let order: types::AdsListOrder = variant("DESCENDING");
    let reply: types::AdsListResponse = typed(json!({
        "items": [{"id": "687195134316", "ad_group_id": "2680", "campaign_id": "626736533506"}],
    }));
    let m = server.ads_list(|when, then| {
        when.ad_account_id(AD_ACCOUNT)
            .campaign_ids(&campaigns)
            .order(order.clone());
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .ads_list()
        .ad_account_id(AD_ACCOUNT)
        .campaign_ids(campaigns.clone())
        .order(order.clone())
        .send()
        .await
        .expect("the ads");
    assert_eq!(got.items[0].id.as_deref(), Some("687195134316"));
    unmatched(
        client
            .ads_list()
            .ad_account_id(AD_ACCOUNT)
            .campaign_ids(campaigns[..1].to_vec())
            .order(order)
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- advanced_auction ----------------------------------------------------------------------

#[tokio::test]
async fn advanced_auction_a_json_body_and_an_optional_query_parameter() {
    let server = MockServer::start_async().await;
    let body = types::AdvancedAuctionItemsGetRequest {
        catalog_id: "913".into(),
        items: vec![],
    };
    let reply: types::AdvancedAuctionItems = typed(json!({"catalog_id": "913", "items": []}));
    let m = server.advanced_auction_items_get_post(|when, then| {
        when.ad_account_id(AD_ACCOUNT).body(&body);
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .advanced_auction_items_get_post()
        .ad_account_id(AD_ACCOUNT)
        .body(body.clone())
        .send()
        .await
        .expect("the items");
    assert_eq!(got.catalog_id.as_deref(), Some("913"));
    let other = types::AdvancedAuctionItemsGetRequest {
        catalog_id: "914".into(),
        ..body
    };
    unmatched(
        client
            .advanced_auction_items_get_post()
            .ad_account_id(AD_ACCOUNT)
            .body(other)
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- audience_insights ---------------------------------------------------------------------

#[tokio::test]
async fn audience_insights_a_required_enum_query_parameter() {
    let server = MockServer::start_async().await;
    let reply: types::AudienceInsightsResponse =
        typed(json!({"type": "YOUR_TOTAL_AUDIENCE", "size": 12000, "categories": []}));
    let m = server.audience_insights_get(|when, then| {
        when.ad_account_id(AD_ACCOUNT)
            .audience_insight_type(variant("YOUR_TOTAL_AUDIENCE"));
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .audience_insights_get()
        .ad_account_id(AD_ACCOUNT)
        .audience_insight_type(variant::<types::AudienceInsightType>("YOUR_TOTAL_AUDIENCE"))
        .send()
        .await
        .expect("the insights");
    assert_eq!(got.size, Some(12000));
    unmatched(
        client
            .audience_insights_get()
            .ad_account_id(AD_ACCOUNT)
            .audience_insight_type(variant::<types::AudienceInsightType>(
                "PINTEREST_TOTAL_AUDIENCE",
            ))
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- audience_sharing ----------------------------------------------------------------------

#[tokio::test]
async fn audience_sharing_a_patch_with_a_json_body() {
    let server = MockServer::start_async().await;
    let share = types::SharedAudience {
        audience_id: "2542620905473".into(),
        operation_type: variant("SHARE"),
        recipient_account_ids: vec!["549755885176".into()],
    };
    let reply: types::SharedAudienceResponse = typed(json!({
        "audience_id": "2542620905473",
        "recipient_account_ids": ["549755885176"],
    }));
    let m = server.update_ad_account_to_ad_account_shared_audience(|when, then| {
        when.ad_account_id(AD_ACCOUNT).body(&share);
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .update_ad_account_to_ad_account_shared_audience()
        .ad_account_id(AD_ACCOUNT)
        .body(share.clone())
        .send()
        .await
        .expect("shared");
    let reply: &types::SharedAudienceResponse = &got;
    let shared = reply.0.as_ref().expect("a shared audience");
    assert_eq!(shared.recipient_account_ids, ["549755885176"]);
    let revoke = types::SharedAudience {
        operation_type: variant("REVOKE"),
        ..share
    };
    unmatched(
        client
            .update_ad_account_to_ad_account_shared_audience()
            .ad_account_id(AD_ACCOUNT)
            .body(revoke)
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- audiences -----------------------------------------------------------------------------

#[tokio::test]
async fn audiences_an_error_reply_is_pinterests_code_and_message() {
    let server = MockServer::start_async().await;
    let m = server.audiences_get(|when, then| {
        when.ad_account_id(AD_ACCOUNT).audience_id("2542620905473");
        then.error(404, 2648, "Audience not found.");
    });
    let client = client(&server);
    let err = client
        .audiences_get()
        .ad_account_id(AD_ACCOUNT)
        .audience_id("2542620905473")
        .send()
        .await
        .expect_err("not found");
    let Error::Api(api) = err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.code, Some(2648));
    assert_eq!(api.message.as_deref(), Some("Audience not found."));
    unmatched(
        client
            .audiences_get()
            .ad_account_id(AD_ACCOUNT)
            .audience_id("1")
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- billing -------------------------------------------------------------------------------

#[tokio::test]
async fn billing_pages_with_a_required_boolean_query_parameter() {
    let server = MockServer::start_async().await;
    let page = |ids: &[&str], bookmark: Option<&str>| -> types::BillingProfilesGetResponse {
        let items: Vec<_> = ids
            .iter()
            .map(|id| json!({"id": id, "status": "VALID"}))
            .collect();
        typed(json!({"items": items, "bookmark": bookmark}))
    };
    let first = server.billing_profiles_get(|when, then| {
        when.ad_account_id(AD_ACCOUNT)
            .is_active(true)
            .bookmark(None);
        then.ok(&page(&["11"], Some("b2")));
    });
    let second = server.billing_profiles_get(|when, then| {
        when.ad_account_id(AD_ACCOUNT)
            .is_active(true)
            .bookmark("b2");
        then.ok(&page(&["12"], None));
    });
    let client = client(&server);
    let profiles: Vec<_> = client
        .billing_profiles_get()
        .ad_account_id(AD_ACCOUNT)
        .is_active(true)
        .stream()
        .take(10)
        .try_collect()
        .await
        .expect("both pages");
    let ids: Vec<_> = profiles.iter().map(|p| p.id.as_deref()).collect();
    assert_eq!(ids, [Some("11"), Some("12")]);
    unmatched(
        client
            .billing_profiles_get()
            .ad_account_id(AD_ACCOUNT)
            .is_active(false)
            .send()
            .await,
    );
    first.assert_hits_async(1).await;
    second.assert_hits_async(1).await;
}

// ---- boards --------------------------------------------------------------------------------

#[tokio::test]
async fn boards_a_path_parameter_a_query_parameter_and_a_json_body() {
    let server = MockServer::start_async().await;
    let update = types::BoardWithUpdatePrivacyUpdate {
        name: Some("Dinners".into()),
        privacy: Some(variant("SECRET")),
        ..Default::default()
    };
    let board: types::BoardWithUpdatePrivacy = typed(json!({
        "id": "42", "name": "Dinners", "is_ads_only": false, "privacy": "SECRET",
    }));
    let m = server.boards_update(|when, then| {
        when.board_id("42").ad_account_id(AD_ACCOUNT).body(&update);
        then.ok(&board);
    });
    let client = client(&server);
    let got = client
        .boards_update()
        .board_id("42")
        .ad_account_id(AD_ACCOUNT)
        .body(update.clone())
        .send()
        .await
        .expect("updated");
    assert_eq!(got.name, "Dinners");
    let other = types::BoardWithUpdatePrivacyUpdate {
        name: Some("Lunches".into()),
        ..update.clone()
    };
    unmatched(
        client
            .boards_update()
            .board_id("42")
            .ad_account_id(AD_ACCOUNT)
            .body(other)
            .send()
            .await,
    );
    unmatched(
        client
            .boards_update()
            .board_id("42")
            .body(update)
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- bulk ----------------------------------------------------------------------------------

#[tokio::test]
async fn bulk_two_path_parameters_and_an_optional_boolean() {
    let server = MockServer::start_async().await;
    let reply: types::BulkUpsertStatusResponse =
        typed(json!({"result_url": "https://example.com/r.json"}));
    let m = server.bulk_request_get(|when, then| {
        when.ad_account_id(AD_ACCOUNT)
            .bulk_request_id("b-1")
            .include_details(true);
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .bulk_request_get()
        .ad_account_id(AD_ACCOUNT)
        .bulk_request_id("b-1")
        .include_details(true)
        .send()
        .await
        .expect("the request's status");
    assert_eq!(
        got.result_url.as_deref(),
        Some("https://example.com/r.json")
    );
    unmatched(
        client
            .bulk_request_get()
            .ad_account_id(AD_ACCOUNT)
            .bulk_request_id("b-1")
            .send()
            .await,
    );
    unmatched(
        client
            .bulk_request_get()
            .ad_account_id(AD_ACCOUNT)
            .bulk_request_id("b-2")
            .include_details(true)
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- business_access_assets ----------------------------------------------------------------

#[tokio::test]
async fn business_access_assets_an_enum_query_parameter() {
    let server = MockServer::start_async().await;
    let reply: types::BusinessAssetsGetResponse = typed(json!({"items": [], "bookmark": "b2"}));
    let m = server.business_assets_get(|when, then| {
        when.business_id("7001")
            .asset_type(variant::<types::BusinessAssetsGetAssetType>("AD_ACCOUNT"));
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .business_assets_get()
        .business_id("7001")
        .asset_type(variant::<types::BusinessAssetsGetAssetType>("AD_ACCOUNT"))
        .send()
        .await
        .expect("the assets");
    assert_eq!(got.bookmark.as_deref(), Some("b2"));
    unmatched(
        client
            .business_assets_get()
            .business_id("7001")
            .asset_type(variant::<types::BusinessAssetsGetAssetType>("PROFILE"))
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- business_access_invite ----------------------------------------------------------------

#[tokio::test]
async fn business_access_invite_an_array_of_enums_in_the_query() {
    let server = MockServer::start_async().await;
    let pending: Vec<types::GetInvitesInviteStatusItem> = vec![variant("PENDING")];
    let reply: types::GetInvitesResponse = typed(json!({"items": [], "bookmark": "b2"}));
    let m = server.get_invites(|when, then| {
        when.business_id("7001")
            .invite_status(&pending)
            .invite_type(variant::<types::InviteType>("MEMBER_INVITE"));
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .get_invites()
        .business_id("7001")
        .invite_status(pending.clone())
        .invite_type(variant::<types::InviteType>("MEMBER_INVITE"))
        .send()
        .await
        .expect("the invites");
    assert_eq!(got.bookmark.as_deref(), Some("b2"));
    unmatched(
        client
            .get_invites()
            .business_id("7001")
            .invite_status(vec![variant::<types::GetInvitesInviteStatusItem>(
                "EXPIRED",
            )])
            .invite_type(variant::<types::InviteType>("MEMBER_INVITE"))
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- business_access_relationships ---------------------------------------------------------

#[tokio::test]
async fn business_access_relationships_pages_followed_by_bookmark() {
    let server = MockServer::start_async().await;
    let page = |id: &str, bookmark: Option<&str>| -> types::GetBusinessEmployersResponse {
        typed(json!({"items": [{"id": id}], "bookmark": bookmark}))
    };
    let first = server.get_business_employers(|when, then| {
        when.bookmark(None);
        then.ok(&page("e1", Some("b2")));
    });
    let second = server.get_business_employers(|when, then| {
        when.bookmark("b2");
        then.ok(&page("e2", None));
    });
    let client = client(&server);
    let employers: Vec<_> = client
        .get_business_employers()
        .stream()
        .take(10)
        .try_collect()
        .await
        .expect("both pages");
    let ids: Vec<_> = employers.iter().map(|e| e.id.as_deref()).collect();
    assert_eq!(ids, [Some("e1"), Some("e2")]);
    unmatched(client.get_business_employers().bookmark("b3").send().await);
    first.assert_hits_async(1).await;
    second.assert_hits_async(1).await;
}

// ---- campaigns -----------------------------------------------------------------------------

#[tokio::test]
async fn campaigns_a_json_array_body() {
    let server = MockServer::start_async().await;
    let campaign = |name: &str| types::CampaignCreateRequest {
        ad_account_id: AD_ACCOUNT.into(),
        name: name.into(),
        objective_type: variant("AWARENESS"),
        is_performance_plus: false,
        bid_options: None,
        daily_spend_cap: None,
        default_ad_group_budget_in_micro_currency: None,
        end_time: None,
        is_automated_campaign: None,
        is_campaign_budget_optimization: None,
        is_flexible_daily_budgets: None,
        lifetime_spend_cap: None,
        order_line_id: None,
        start_time: None,
        status: None,
        tracking_urls: None,
    };
    let body = vec![campaign("Spring")];
    let reply: types::CampaignCreateResponse = typed(json!({
        "items": [{"data": {"id": "626736533506", "name": "Spring"}, "exceptions": []}],
    }));
    let m = server.campaigns_create(|when, then| {
        when.ad_account_id(AD_ACCOUNT).body(&body);
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .campaigns_create()
        .ad_account_id(AD_ACCOUNT)
        .body(body.clone())
        .send()
        .await
        .expect("created");
    assert_eq!(got.items.len(), 1);
    unmatched(
        client
            .campaigns_create()
            .ad_account_id(AD_ACCOUNT)
            .body(vec![campaign("Autumn")])
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- catalog_feeds -------------------------------------------------------------------------

#[tokio::test]
async fn catalog_feeds_a_delete_answered_with_no_content() {
    let server = MockServer::start_async().await;
    let m = server.feeds_delete(|when, then| {
        when.feed_id("2680059592705").ad_account_id(AD_ACCOUNT);
        then.no_content();
    });
    let client = client(&server);
    let got = client
        .feeds_delete()
        .feed_id("2680059592705")
        .ad_account_id(AD_ACCOUNT)
        .send()
        .await
        .expect("deleted");
    assert_eq!(got.status().as_u16(), 204);
    unmatched(
        client
            .feeds_delete()
            .feed_id("2680059592706")
            .ad_account_id(AD_ACCOUNT)
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- catalog_items -------------------------------------------------------------------------

#[tokio::test]
async fn catalog_items_a_union_reply() {
    let server = MockServer::start_async().await;
    let batch: types::CatalogsItemsBatch = typed(json!({
        "catalog_type": "RETAIL",
        "batch_id": "595953100599279259-66753b9bb65c46c49bd8503b27fecf9e",
        "status": "COMPLETED",
        "created_time": "2026-01-02T03:04:05",
        "completed_time": "2026-01-02T03:04:09",
        "items": [],
    }));
    let m = server.items_batch_get(|when, then| {
        when.batch_id("595953100599279259-66753b9bb65c46c49bd8503b27fecf9e");
        then.ok(&batch);
    });
    let client = client(&server);
    let got = client
        .items_batch_get()
        .batch_id("595953100599279259-66753b9bb65c46c49bd8503b27fecf9e")
        .send()
        .await
        .expect("the batch");
    assert!(matches!(
        got.into_inner(),
        types::CatalogsItemsBatch::RetailItemsBatch(_)
    ));
    unmatched(
        client
            .items_batch_get()
            .batch_id("595953100599279259")
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- catalog_product_groups ----------------------------------------------------------------

#[tokio::test]
async fn catalog_product_groups_a_required_array_of_integers() {
    let server = MockServer::start_async().await;
    let ids = vec![443727193917i64, 443727193918];
    let m = server.catalogs_product_groups_delete_many(|when, then| {
        when.id(&ids);
        then.no_content();
    });
    let client = client(&server);
    let got = client
        .catalogs_product_groups_delete_many()
        .id(ids.clone())
        .send()
        .await
        .expect("deleted");
    assert_eq!(got.status().as_u16(), 204);
    unmatched(
        client
            .catalogs_product_groups_delete_many()
            .id(ids[..1].to_vec())
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- catalog_reports -----------------------------------------------------------------------

#[tokio::test]
async fn catalog_reports_a_required_query_parameter() {
    let server = MockServer::start_async().await;
    let report: types::CatalogsReport = typed(json!({
        "report_status": "FINISHED", "url": "https://example.com/report.csv", "size": 1024.0,
    }));
    let m = server.reports_get(|when, then| {
        when.token("rpt-1");
        then.ok(&report);
    });
    let client = client(&server);
    let got = client
        .reports_get()
        .token("rpt-1")
        .send()
        .await
        .expect("the report");
    assert_eq!(got.url.as_deref(), Some("https://example.com/report.csv"));
    unmatched(client.reports_get().token("rpt-2").send().await);
    m.assert_hits_async(1).await;
}

// ---- catalogs ------------------------------------------------------------------------------

#[tokio::test]
async fn catalogs_pages_followed_by_bookmark() {
    let server = MockServer::start_async().await;
    let page = |id: &str, bookmark: Option<&str>| -> types::CatalogsListResponse {
        typed(json!({
            "items": [{
                "id": id, "catalog_type": "RETAIL", "name": "Shop",
                "created_at": "2026-01-02T03:04:05", "updated_at": "2026-01-02T03:04:05",
            }],
            "bookmark": bookmark,
        }))
    };
    let first = server.catalogs_list(|when, then| {
        when.ad_account_id(AD_ACCOUNT).bookmark(None);
        then.ok(&page("c1", Some("b2")));
    });
    let second = server.catalogs_list(|when, then| {
        when.ad_account_id(AD_ACCOUNT).bookmark("b2");
        then.ok(&page("c2", None));
    });
    let client = client(&server);
    let catalogs: Vec<_> = client
        .catalogs_list()
        .ad_account_id(AD_ACCOUNT)
        .stream()
        .take(10)
        .try_collect()
        .await
        .expect("both pages");
    let ids: Vec<&str> = catalogs.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c1", "c2"]);
    unmatched(client.catalogs_list().send().await);
    first.assert_hits_async(1).await;
    second.assert_hits_async(1).await;
}

// ---- conversion_eqs ------------------------------------------------------------------------

#[tokio::test]
async fn conversion_eqs_an_enum_query_parameter_and_an_array_reply() {
    let server = MockServer::start_async().await;
    let scores: Vec<types::EventQualityScore> = typed(json!([{
        "ingestion_source": "TAG",
        "lookback_period": "1d",
        "overall_status": "GOOD",
        "source_platform": "WEB",
        "quality_components": {},
    }]));
    let m = server.conversion_eqs_list(|when, then| {
        when.ad_account_id(AD_ACCOUNT)
            .lookback_period(variant("1d"));
        then.ok(&scores);
    });
    let client = client(&server);
    let got = client
        .conversion_eqs_list()
        .ad_account_id(AD_ACCOUNT)
        .lookback_period(variant::<types::LookbackPeriodOptions>("1d"))
        .send()
        .await
        .expect("the scores");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].ingestion_source.to_string(), "TAG");
    unmatched(
        client
            .conversion_eqs_list()
            .ad_account_id(AD_ACCOUNT)
            .lookback_period(variant::<types::LookbackPeriodOptions>("14d"))
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- conversion_events ---------------------------------------------------------------------

#[tokio::test]
async fn conversion_events_a_json_body_and_a_boolean_query_parameter() {
    let server = MockServer::start_async().await;
    let events = types::ConversionEvents { data: vec![] };
    let reply: types::ConversionApiResponse =
        typed(json!({"num_events_received": 0, "num_events_processed": 0, "events": []}));
    let m = server.events_create(|when, then| {
        when.ad_account_id(AD_ACCOUNT).test(true).body(&events);
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .events_create()
        .ad_account_id(AD_ACCOUNT)
        .test(true)
        .body(events.clone())
        .send()
        .await
        .expect("received");
    assert_eq!(got.num_events_processed, 0);
    unmatched(
        client
            .events_create()
            .ad_account_id(AD_ACCOUNT)
            .body(events)
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- conversion_tags -----------------------------------------------------------------------

#[tokio::test]
async fn conversion_tags_two_path_parameters() {
    let server = MockServer::start_async().await;
    let tag: types::ConversionTag =
        typed(json!({"ad_account_id": AD_ACCOUNT, "id": "2612345678901", "name": "Checkout"}));
    let m = server.conversion_tags_get(|when, then| {
        when.ad_account_id(AD_ACCOUNT)
            .conversion_tag_id("2612345678901");
        then.ok(&tag);
    });
    let client = client(&server);
    let got = client
        .conversion_tags_get()
        .ad_account_id(AD_ACCOUNT)
        .conversion_tag_id("2612345678901")
        .send()
        .await
        .expect("the tag");
    assert_eq!(got.name, "Checkout");
    unmatched(
        client
            .conversion_tags_get()
            .ad_account_id(AD_ACCOUNT)
            .conversion_tag_id("2612345678902")
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- conversions ---------------------------------------------------------------------------

#[tokio::test]
async fn conversions_a_403_is_an_api_error() {
    let server = MockServer::start_async().await;
    let m = server.advertiser_defined_events_get(|when, then| {
        when.ad_account_id(AD_ACCOUNT);
        then.error(403, 29, "You are not permitted to access that resource.");
    });
    let client = client(&server);
    let err = client
        .advertiser_defined_events_get()
        .ad_account_id(AD_ACCOUNT)
        .send()
        .await
        .expect_err("forbidden");
    let Error::Api(api) = err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!((api.status.as_u16(), api.code), (403, Some(29)));
    unmatched(
        client
            .advertiser_defined_events_get()
            .ad_account_id("1")
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- customer_list_uploads -----------------------------------------------------------------

#[tokio::test]
async fn customer_list_uploads_three_path_parameters_and_no_body() {
    let server = MockServer::start_async().await;
    let upload: types::CustomerListUploadResponse = typed(json!({
        "ad_account_id": AD_ACCOUNT,
        "customer_list_id": "643",
        "id": "u-9",
        "creation_time": 1_767_312_000,
        "updated_time": 1_767_312_000,
        "operation": "ADD",
        "state": "PROCESSING",
    }));
    let m = server.customer_list_uploads_run(|when, then| {
        when.ad_account_id(AD_ACCOUNT)
            .customer_list_id("643")
            .customer_list_upload_id("u-9");
        then.ok(&upload);
    });
    let client = client(&server);
    let got = client
        .customer_list_uploads_run()
        .ad_account_id(AD_ACCOUNT)
        .customer_list_id("643")
        .customer_list_upload_id("u-9")
        .send()
        .await
        .expect("running");
    assert_eq!(got.id, "u-9");
    unmatched(
        client
            .customer_list_uploads_run()
            .ad_account_id(AD_ACCOUNT)
            .customer_list_id("644")
            .customer_list_upload_id("u-9")
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- customer_lists ------------------------------------------------------------------------

#[tokio::test]
async fn customer_lists_a_patch_with_an_enum_in_its_body() {
    let server = MockServer::start_async().await;
    let add = types::CustomerListUpdateRequest {
        operation_type: variant("ADD"),
        records: "ada@example.com".into(),
    };
    let list: types::CustomerList =
        typed(json!({"id": "643", "name": "Newsletter", "exceptions": {}}));
    let m = server.customer_lists_update(|when, then| {
        when.ad_account_id(AD_ACCOUNT)
            .customer_list_id("643")
            .body(&add);
        then.ok(&list);
    });
    let client = client(&server);
    let got = client
        .customer_lists_update()
        .ad_account_id(AD_ACCOUNT)
        .customer_list_id("643")
        .body(add.clone())
        .send()
        .await
        .expect("updated");
    assert_eq!(got.name.as_deref(), Some("Newsletter"));
    let remove = types::CustomerListUpdateRequest {
        operation_type: variant("REMOVE"),
        ..add
    };
    unmatched(
        client
            .customer_lists_update()
            .ad_account_id(AD_ACCOUNT)
            .customer_list_id("643")
            .body(remove)
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- integrations --------------------------------------------------------------------------

#[tokio::test]
async fn integrations_a_path_parameter_is_matched_as_sent_and_literally() {
    let server = MockServer::start_async().await;
    // The client sends `/` and the space percent-encoded; `.` and `(` are no regex here.
    let id = "shop.example/1 (eu)";
    let reply: types::IntegrationMetadata =
        typed(json!({"external_business_id": id, "id": "8000"}));
    let m = server.integrations_commerce_get(|when, then| {
        when.external_business_id(id);
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .integrations_commerce_get()
        .external_business_id(id)
        .send()
        .await
        .expect("the integration");
    assert_eq!(got.id.as_deref(), Some("8000"));
    unmatched(
        client
            .integrations_commerce_get()
            .external_business_id("shopXexample/1 (eu)")
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- keywords ------------------------------------------------------------------------------

#[tokio::test]
async fn keywords_enum_path_parameters_and_an_array_query_parameter() {
    let server = MockServer::start_async().await;
    // A region whose wire name has `+` in it: a regex would read it as a repetition.
    let region: types::TrendsSupportedRegion = variant("DE+AT+CH");
    let growing: types::TrendType = variant("growing");
    let ages = types::AgeBucketList(vec![variant("18-24"), variant("25-34")]);
    let reply: types::TrendingKeywordsResponse =
        typed(json!({"trends": [{"keyword": "pasta", "pct_growth_mom": 40}]}));
    let m = server.trending_keywords_list(|when, then| {
        when.region(region.clone())
            .trend_type(growing.clone())
            .ages(&ages);
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .trending_keywords_list()
        .region(region)
        .trend_type(growing.clone())
        .ages(ages.clone())
        .send()
        .await
        .expect("the trends");
    assert_eq!(got.trends[0].keyword.as_deref(), Some("pasta"));
    unmatched(
        client
            .trending_keywords_list()
            .region(variant::<types::TrendsSupportedRegion>("DE"))
            .trend_type(growing)
            .ages(ages)
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- labels --------------------------------------------------------------------------------

#[tokio::test]
async fn labels_an_array_of_enums_in_the_query() {
    let server = MockServer::start_async().await;
    let active: Vec<types::LabelsListEntityStatusesItem> = vec![variant("ACTIVE")];
    let reply: types::LabelsListResponse =
        typed(json!({"items": [{"id": "l-1", "name": "Summer"}]}));
    let m = server.labels_list(|when, then| {
        when.ad_account_id(AD_ACCOUNT).entity_statuses(&active);
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .labels_list()
        .ad_account_id(AD_ACCOUNT)
        .entity_statuses(active.clone())
        .send()
        .await
        .expect("the labels");
    assert_eq!(got.items.len(), 1);
    unmatched(
        client
            .labels_list()
            .ad_account_id(AD_ACCOUNT)
            .entity_statuses(vec![variant::<types::LabelsListEntityStatusesItem>(
                "ARCHIVED",
            )])
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- lead_ads ------------------------------------------------------------------------------

#[tokio::test]
async fn lead_ads_a_delete_answered_with_no_content() {
    let server = MockServer::start_async().await;
    let m = server.ad_accounts_subscriptions_del_by_id(|when, then| {
        when.ad_account_id(AD_ACCOUNT).subscription_id("s-1");
        then.no_content();
    });
    let client = client(&server);
    let got = client
        .ad_accounts_subscriptions_del_by_id()
        .ad_account_id(AD_ACCOUNT)
        .subscription_id("s-1")
        .send()
        .await
        .expect("deleted");
    assert_eq!(got.status().as_u16(), 204);
    unmatched(
        client
            .ad_accounts_subscriptions_del_by_id()
            .ad_account_id(AD_ACCOUNT)
            .subscription_id("s-2")
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- lead_forms ----------------------------------------------------------------------------

#[tokio::test]
async fn lead_forms_a_json_body_under_two_path_parameters() {
    let server = MockServer::start_async().await;
    let answers = types::LeadFormTestRequest {
        answers: vec!["Ada".into(), "ada@example.com".into()],
    };
    let reply: types::LeadFormTestResponse = typed(json!({"subscription_id": "s-1"}));
    let m = server.lead_form_test_create(|when, then| {
        when.ad_account_id(AD_ACCOUNT)
            .lead_form_id("lf-1")
            .body(&answers);
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .lead_form_test_create()
        .ad_account_id(AD_ACCOUNT)
        .lead_form_id("lf-1")
        .body(answers)
        .send()
        .await
        .expect("created");
    assert_eq!(got.subscription_id.as_deref(), Some("s-1"));
    unmatched(
        client
            .lead_form_test_create()
            .ad_account_id(AD_ACCOUNT)
            .lead_form_id("lf-1")
            .body(types::LeadFormTestRequest {
                answers: vec!["Grace".into()],
            })
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- leads_export --------------------------------------------------------------------------

#[tokio::test]
async fn leads_export_two_path_parameters() {
    let server = MockServer::start_async().await;
    let reply: types::LeadsExportResponseData =
        typed(json!({"download_url": "https://example.com/leads.csv"}));
    let m = server.leads_export_get(|when, then| {
        when.ad_account_id(AD_ACCOUNT).leads_export_id("le-1");
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .leads_export_get()
        .ad_account_id(AD_ACCOUNT)
        .leads_export_id("le-1")
        .send()
        .await
        .expect("the export");
    assert_eq!(
        got.download_url.as_deref(),
        Some("https://example.com/leads.csv")
    );
    unmatched(
        client
            .leads_export_get()
            .ad_account_id(AD_ACCOUNT)
            .leads_export_id("le-2")
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- media ---------------------------------------------------------------------------------

#[tokio::test]
async fn media_pages_followed_by_bookmark_with_a_page_size() {
    let server = MockServer::start_async().await;
    let size = std::num::NonZeroU64::new(2).expect("not zero");
    let page = |ids: &[&str], bookmark: Option<&str>| -> types::MediaListResponse {
        let items: Vec<_> = ids
            .iter()
            .map(|id| json!({"media_id": id, "media_type": "video", "status": "succeeded"}))
            .collect();
        typed(json!({"items": items, "bookmark": bookmark}))
    };
    let first = server.media_list(|when, then| {
        when.page_size(size).bookmark(None);
        then.ok(&page(&["m1", "m2"], Some("b2")));
    });
    let second = server.media_list(|when, then| {
        when.page_size(size).bookmark("b2");
        then.ok(&page(&["m3"], None));
    });
    let client = client(&server);
    let media: Vec<_> = client
        .media_list()
        .page_size(size)
        .stream()
        .take(10)
        .try_collect()
        .await
        .expect("both pages");
    let ids: Vec<&str> = media.iter().map(|m| m.media_id.as_str()).collect();
    assert_eq!(ids, ["m1", "m2", "m3"]);
    unmatched(client.media_list().send().await);
    first.assert_hits_async(1).await;
    second.assert_hits_async(1).await;
}

// ---- msot_events ---------------------------------------------------------------------------

#[tokio::test]
async fn msot_events_a_json_body_and_an_empty_reply() {
    let server = MockServer::start_async().await;
    let event = |id: &str| types::ConversionMsotEvents {
        ad_group_id: "2680".into(),
        attribution_scope: variant("CLICK"),
        event_id: id.into(),
        event_name: variant("checkout"),
        event_timestamp: 1_767_312_000,
        action_timestamps: vec![],
        attribution_model: None,
        attribution_score: None,
        campaign_id: None,
        currency: None,
        total_event_touchpoints: None,
        total_events: None,
        value: None,
    };
    let m = server.msot_events_create(|when, then| {
        when.ad_account_id(AD_ACCOUNT).body(&event("ev-1"));
        then.ok();
    });
    let client = client(&server);
    let got = client
        .msot_events_create()
        .ad_account_id(AD_ACCOUNT)
        .body(event("ev-1"))
        .send()
        .await
        .expect("accepted");
    assert_eq!(got.status().as_u16(), 200);
    unmatched(
        client
            .msot_events_create()
            .ad_account_id(AD_ACCOUNT)
            .body(event("ev-2"))
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- notification --------------------------------------------------------------------------

#[tokio::test]
async fn notification_a_free_form_json_body() {
    let server = MockServer::start_async().await;
    let body = |event: &str| {
        let fields = json!({"event": event, "id": "n-1"});
        types::NotificationPostBody::Variant1(fields.as_object().cloned().expect("an object"))
    };
    let reply: types::NotificationResponse =
        typed(json!({"success": true, "received_at": 1_767_312_000}));
    let m = server.notification_post(|when, then| {
        when.body(&body("order_shipped"));
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .notification_post()
        .body(body("order_shipped"))
        .send()
        .await
        .expect("received");
    assert_eq!(got.success, Some(true));
    unmatched(
        client
            .notification_post()
            .body(body("order_cancelled"))
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- oauth ---------------------------------------------------------------------------------

#[tokio::test]
async fn oauth_a_form_body_is_matched_field_by_field() {
    let server = MockServer::start_async().await;
    let revoke = |token: &str| types::TokenRevocationRequest {
        token: token.into(),
        token_type_hint: Some(variant("refresh_token")),
    };
    let m = server.token_revoke(|when, then| {
        when.body(&revoke("pinr_OLD"));
        then.ok();
    });
    // The revocation endpoint is authorised by the app (HTTP Basic): a client with the app.
    let app = OAuthApp::new("1234567", "app-secret", "https://example.com/cb")
        .environment(mock::environment(&server));
    let client = Client::builder()
        .environment(mock::environment(&server))
        .token_manager(TokenManager::new(app, Token::new("pina_TEST")))
        .build()
        .expect("client");
    let got = client
        .token_revoke()
        .body(revoke("pinr_OLD"))
        .send()
        .await
        .expect("revoked");
    assert_eq!(got.status().as_u16(), 200);
    unmatched(
        client
            .token_revoke()
            .body(revoke("pinr_OTHER"))
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- order_lines ---------------------------------------------------------------------------

#[tokio::test]
async fn order_lines_two_path_parameters() {
    let server = MockServer::start_async().await;
    let line: types::OrderLine =
        typed(json!({"id": "ol-1", "name": "Q1", "ad_account_id": AD_ACCOUNT, "campaign_ids": []}));
    let m = server.order_lines_get(|when, then| {
        when.ad_account_id(AD_ACCOUNT).order_line_id("ol-1");
        then.ok(&line);
    });
    let client = client(&server);
    let got = client
        .order_lines_get()
        .ad_account_id(AD_ACCOUNT)
        .order_line_id("ol-1")
        .send()
        .await
        .expect("the order line");
    assert_eq!(got.name.as_deref(), Some("Q1"));
    unmatched(
        client
            .order_lines_get()
            .ad_account_id(AD_ACCOUNT)
            .order_line_id("ol-2")
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- pins ----------------------------------------------------------------------------------

#[tokio::test]
async fn pins_a_save_answered_created() {
    let server = MockServer::start_async().await;
    let to = |board: &str| types::PinsSaveBody {
        board_id: Some(board.into()),
        board_section_id: None,
    };
    let pin: types::Pin = typed(json!({"id": "813744226420795886", "board_id": "42"}));
    let m = server.pins_save(|when, then| {
        when.pin_id("813744226420795886")
            .ad_account_id(AD_ACCOUNT)
            .body(&to("42"));
        then.created(&pin);
    });
    let client = client(&server);
    let got = client
        .pins_save()
        .pin_id("813744226420795886")
        .ad_account_id(AD_ACCOUNT)
        .body(to("42"))
        .send()
        .await
        .expect("saved");
    assert_eq!(got.status().as_u16(), 201);
    assert_eq!(got.board_id.as_deref(), Some("42"));
    unmatched(
        client
            .pins_save()
            .pin_id("813744226420795886")
            .ad_account_id(AD_ACCOUNT)
            .body(to("43"))
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- product_categories --------------------------------------------------------------------

#[tokio::test]
async fn product_categories_a_query_value_with_a_plus() {
    let server = MockServer::start_async().await;
    // Sent `region=GB%2BIE`: matched as the value it encodes.
    let region: types::ProductCategoryRegion = variant("GB+IE");
    let reply: Vec<types::FeaturedTrend> =
        typed(json!([{"interest": "ANIMALS", "market": "GB+IE", "trends": []}]));
    let m = server.trends_featured_topics_list(|when, then| {
        when.region(region.clone());
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .trends_featured_topics_list()
        .region(region)
        .send()
        .await
        .expect("the topics");
    assert_eq!(got[0].interest.to_string(), "ANIMALS");
    unmatched(
        client
            .trends_featured_topics_list()
            .region(variant::<types::ProductCategoryRegion>("US"))
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- product_group_promotions --------------------------------------------------------------

#[tokio::test]
async fn product_group_promotions_an_array_of_ids_in_the_query() {
    let server = MockServer::start_async().await;
    let ids = vec!["pgp-1".to_string(), "pgp-2".to_string()];
    let reply: types::ProductGroupPromotionsListResponse =
        typed(json!({"items": [{"id": "pgp-1"}, {"id": "pgp-2"}]}));
    let m = server.product_group_promotions_list(|when, then| {
        when.ad_account_id(AD_ACCOUNT)
            .product_group_promotion_ids(&ids);
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .product_group_promotions_list()
        .ad_account_id(AD_ACCOUNT)
        .product_group_promotion_ids(ids.clone())
        .send()
        .await
        .expect("the promotions");
    assert_eq!(got.items.len(), 2);
    unmatched(
        client
            .product_group_promotions_list()
            .ad_account_id(AD_ACCOUNT)
            .product_group_promotion_ids(vec!["pgp-3".to_string()])
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- promotions ----------------------------------------------------------------------------

#[tokio::test]
async fn promotions_a_delete_answered_with_no_content() {
    let server = MockServer::start_async().await;
    let m = server.promotions_delete(|when, then| {
        when.ad_account_id(AD_ACCOUNT).promotion_id("pr-1");
        then.no_content();
    });
    let client = client(&server);
    let got = client
        .promotions_delete()
        .ad_account_id(AD_ACCOUNT)
        .promotion_id("pr-1")
        .send()
        .await
        .expect("deleted");
    assert_eq!(got.status().as_u16(), 204);
    unmatched(
        client
            .promotions_delete()
            .ad_account_id("1")
            .promotion_id("pr-1")
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- resources -----------------------------------------------------------------------------

#[tokio::test]
async fn resources_a_required_date_query_parameter() {
    let server = MockServer::start_async().await;
    let reply: types::BookClosedResponse =
        typed(json!({"conversion_metrics_ready": true, "non_conversion_metrics_ready": false}));
    let m = server.metrics_ready_state_get(|when, then| {
        when.date("2026-01-02");
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .metrics_ready_state_get()
        .date("2026-01-02")
        .send()
        .await
        .expect("the state");
    assert_eq!(got.conversion_metrics_ready, Some(true));
    unmatched(
        client
            .metrics_ready_state_get()
            .date("2026-01-03")
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- search --------------------------------------------------------------------------------

#[tokio::test]
async fn search_a_required_query_parameter_and_a_429() {
    let server = MockServer::start_async().await;
    let reply: types::SearchUserPinsListResponse =
        typed(json!({"items": [{"id": "813744226420795886"}], "bookmark": null}));
    let found = server.search_user_pins_list(|when, then| {
        when.query("pasta");
        then.ok(&reply);
    });
    let limited = server.search_user_pins_list(|when, then| {
        when.query("soup");
        then.rate_limited(3600);
    });
    let client = client(&server);
    let got = client
        .search_user_pins_list()
        .query("pasta")
        .send()
        .await
        .expect("the pins");
    assert_eq!(got.items[0].id, "813744226420795886");
    let err = client
        .search_user_pins_list()
        .query("soup")
        .send()
        .await
        .expect_err("rate limited");
    assert!(matches!(err, Error::RateLimited(_)), "{err:?}");
    unmatched(client.search_user_pins_list().query("salad").send().await);
    found.assert_hits_async(1).await;
    limited.assert_hits_async(1).await;
}

// ---- targeting_template --------------------------------------------------------------------

#[tokio::test]
async fn targeting_template_several_optional_query_parameters() {
    let server = MockServer::start_async().await;
    let reply: types::TargetingTemplateListResponse =
        typed(json!({"items": [{"id": "tt-1", "name": "Spring"}], "bookmark": null}));
    let m = server.targeting_template_list(|when, then| {
        when.ad_account_id(AD_ACCOUNT)
            .include_sizing(true)
            .search_query("spring")
            .order(variant::<types::TargetingTemplateListOrder>("ASCENDING"));
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .targeting_template_list()
        .ad_account_id(AD_ACCOUNT)
        .include_sizing(true)
        .search_query("spring")
        .order(variant::<types::TargetingTemplateListOrder>("ASCENDING"))
        .send()
        .await
        .expect("the templates");
    assert_eq!(got.items.len(), 1);
    unmatched(
        client
            .targeting_template_list()
            .ad_account_id(AD_ACCOUNT)
            .include_sizing(true)
            .search_query("autumn")
            .order(variant::<types::TargetingTemplateListOrder>("ASCENDING"))
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- terms ---------------------------------------------------------------------------------

#[tokio::test]
async fn terms_a_required_array_query_parameter() {
    let server = MockServer::start_async().await;
    let terms = vec!["pasta".to_string(), "soup".to_string()];
    let reply: types::RelatedTerms = typed(json!({
        "id": "pasta", "related_term_count": 1,
        "related_terms_list": [{"term": "pasta", "related_terms": []}],
    }));
    let m = server.terms_related_list(|when, then| {
        when.terms(&terms);
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .terms_related_list()
        .terms(terms.clone())
        .send()
        .await
        .expect("the terms");
    assert_eq!(got.related_term_count, Some(1));
    unmatched(
        client
            .terms_related_list()
            .terms(terms[..1].to_vec())
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- terms_of_service ----------------------------------------------------------------------

#[tokio::test]
async fn terms_of_service_a_boolean_and_a_string_query_parameter() {
    let server = MockServer::start_async().await;
    let reply: types::TermsOfService =
        typed(json!({"id": "tos-1", "has_accepted": false, "html": "<p>Terms</p>"}));
    let m = server.terms_of_service_get(|when, then| {
        when.ad_account_id(AD_ACCOUNT)
            .include_html(true)
            .tos_type("lead_form");
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .terms_of_service_get()
        .ad_account_id(AD_ACCOUNT)
        .include_html(true)
        .tos_type("lead_form")
        .send()
        .await
        .expect("the terms");
    assert_eq!(got.html.as_deref(), Some("<p>Terms</p>"));
    unmatched(
        client
            .terms_of_service_get()
            .ad_account_id(AD_ACCOUNT)
            .include_html(false)
            .tos_type("lead_form")
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

// ---- user_account --------------------------------------------------------------------------

#[tokio::test]
async fn user_account_a_path_parameter_and_a_json_body() {
    let server = MockServer::start_async().await;
    let follow = |auto: bool| types::FollowUserRequest { auto_follow: auto };
    let reply: types::UserSummary = typed(json!({"username": "pinner", "type": "user"}));
    let m = server.follow_user_update(|when, then| {
        when.username("pinner").body(&follow(true));
        then.ok(&reply);
    });
    let client = client(&server);
    let got = client
        .follow_user_update()
        .username("pinner")
        .body(follow(true))
        .send()
        .await
        .expect("followed");
    assert_eq!(got.username.as_deref(), Some("pinner"));
    unmatched(
        client
            .follow_user_update()
            .username("pinner")
            .body(follow(false))
            .send()
            .await,
    );
    unmatched(
        client
            .follow_user_update()
            .username("someone")
            .body(follow(true))
            .send()
            .await,
    );
    m.assert_hits_async(1).await;
}

/// Every API area has its test above, named `{area}_…` (a new area needs one).
#[test]
fn every_api_area_has_a_test_here() {
    let areas: BTreeSet<&str> = pinterest_v5::operation::operations()
        .iter()
        .map(|op| op.area)
        .collect();
    // Each test's area: the longest area its name begins with (`terms_of_service_…` is not
    // a test of `terms`).
    let tested: BTreeSet<&str> = include_str!("mock_areas.rs")
        .lines()
        .filter_map(|line| line.strip_prefix("async fn "))
        .filter_map(|name| {
            areas
                .iter()
                .copied()
                .filter(|area| name.starts_with(&format!("{area}_")))
                .max_by_key(|area| area.len())
        })
        .collect();
    let missing: Vec<_> = areas.difference(&tested).collect();
    assert!(
        missing.is_empty(),
        "API areas without a mock test: {missing:?}"
    );
    assert!(!areas.is_empty(), "a build with no API area");
}
