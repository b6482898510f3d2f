//! Asynchronous ads reports in one call (`client.analytics_report(…)` and its kin), against the
//! local stand-in: creation, polling with bounded backoff, the download without a bearer
//! token, rows from JSON and CSV, and each way it can fail.

use crate::retry::TestClock;
use pinterest_v5::error::ReportError;
use pinterest_v5::reports::{Report, ReportFormat};
use pinterest_v5::types::{
    AdsAnalyticsCreateAsyncRequest, ConversionProductReportRequest,
    ConversionProductReportRequestGranularity, ConversionProductReportRequestLevel,
    ConversionProductReportingColumn, CreateMmmReportRequest, CreateMmmReportRequestGranularity,
    CreateMmmReportRequestLevel, DataOutputFormat, Granularity, MetricsReportingLevel,
    MmmReportingColumn, MmmReportingTargetingType, ReportingColumnAsync,
};
use pinterest_v5::{Client, Environment, Error};
use pinterest_v5_standin::{ReportOutcome, Standin};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

const AD_ACCOUNT: &str = "549755885175";

struct Setup {
    standin: Standin,
    client: Client,
    clock: TestClock,
    access_token: String,
}

/// A stand-in and a client whose waits are recorded and end at once.
async fn setup() -> Setup {
    let standin = Standin::start().await.expect("stand-in");
    let access_token = standin.issue_tokens(&["ads:read"]).access_token;
    let clock = TestClock::instant();
    let client = Client::builder()
        .environment(Environment::custom(standin.base_url()).expect("a loopback URL"))
        .access_token(access_token.clone())
        .sleeper(clock.sleeper())
        .build()
        .expect("a client");
    Setup {
        standin,
        client,
        clock,
        access_token,
    }
}

/// Three days of spend and clicks by campaign, in `format`.
fn daily_campaigns(format: DataOutputFormat) -> AdsAnalyticsCreateAsyncRequest {
    AdsAnalyticsCreateAsyncRequest::builder()
        .start_date("2026-01-01")
        .end_date("2026-01-03")
        .granularity(Granularity::Day)
        .level(MetricsReportingLevel::Campaign)
        .columns(vec![
            ReportingColumnAsync::CampaignId,
            ReportingColumnAsync::SpendInDollar,
            ReportingColumnAsync::TotalClickthrough,
        ])
        .report_format(format)
        .try_into()
        .expect("a complete request")
}

/// A row of [`daily_campaigns`], typed.
#[derive(Debug, PartialEq, serde::Deserialize)]
struct DailyRow {
    #[serde(rename = "CAMPAIGN_ID")]
    campaign_id: String,
    #[serde(rename = "DATE")]
    date: String,
    #[serde(rename = "SPEND_IN_DOLLAR")]
    spend: f64,
    #[serde(rename = "TOTAL_CLICKTHROUGH")]
    clicks: u64,
}

/// The six rows the stand-in makes for [`daily_campaigns`]: two campaigns, three days each.
fn expected_daily_rows() -> Vec<DailyRow> {
    let mut rows = Vec::new();
    for (entity, id) in ["626736533506", "626736533507"].into_iter().enumerate() {
        for day in 0..3u64 {
            let n = (entity as u64 + 1) * 100 + day;
            rows.push(DailyRow {
                campaign_id: id.into(),
                date: format!("2026-01-0{}", day + 1),
                spend: n as f64 / 4.0,
                clicks: n,
            });
        }
    }
    rows
}

#[tokio::test]
async fn a_json_report_is_created_polled_with_backoff_downloaded_and_read_as_rows() {
    let Setup {
        standin,
        client,
        clock,
        ..
    } = setup().await;
    standin.set_report_polls(2);

    let report = client
        .analytics_report(AD_ACCOUNT, daily_campaigns(DataOutputFormat::Json))
        .poll_interval(Duration::from_secs(1))
        .max_poll_interval(Duration::from_secs(60))
        .send()
        .await
        .expect("a report");

    assert_eq!(report.format(), ReportFormat::Json);
    assert!(!report.token().is_empty());
    assert_eq!(
        report.rows::<DailyRow>().expect("typed rows"),
        expected_daily_rows()
    );
    let values: Vec<Value> = report.rows().expect("rows as values");
    assert_eq!(values.len(), 6);
    assert_eq!(values[0]["CAMPAIGN_ID"], "626736533506");
    assert_eq!(values[5]["DATE"], "2026-01-03");

    let counters = standin.counters();
    assert_eq!(
        counters.route("POST /v5/ad_accounts/{ad_account_id}/reports"),
        1
    );
    assert_eq!(
        counters.route("GET /v5/ad_accounts/{ad_account_id}/reports"),
        3,
        "in progress, in progress, finished"
    );
    assert_eq!(
        clock.waits(),
        [1, 2, 4].map(Duration::from_secs),
        "a wait before each status call, each twice the one before"
    );
    let downloads = standin.report_downloads();
    assert_eq!(downloads.len(), 1);
    assert_eq!(downloads[0].status, 200);
}

#[tokio::test]
async fn a_csv_report_reads_as_typed_rows_maps_and_values() {
    let Setup {
        standin, client, ..
    } = setup().await;

    let report = client
        .analytics_report(AD_ACCOUNT, daily_campaigns(DataOutputFormat::Csv))
        .send()
        .await
        .expect("a report");

    assert_eq!(report.format(), ReportFormat::Csv);
    assert!(
        report
            .bytes()
            .starts_with(b"DATE,CAMPAIGN_ID,SPEND_IN_DOLLAR,TOTAL_CLICKTHROUGH\n")
    );
    assert_eq!(
        report.rows::<DailyRow>().expect("typed rows"),
        expected_daily_rows()
    );
    let maps: Vec<BTreeMap<String, String>> = report.rows().expect("rows as maps");
    assert_eq!(maps.len(), 6);
    assert_eq!(maps[1]["DATE"], "2026-01-02");
    assert_eq!(maps[1]["SPEND_IN_DOLLAR"], "25.25");
    let values: Vec<Value> = report.rows().expect("rows as values");
    assert_eq!(values[1]["TOTAL_CLICKTHROUGH"], 101);
    assert_eq!(values[1]["DATE"], "2026-01-02");
    assert_eq!(standin.report_downloads().len(), 1);
}

#[tokio::test]
async fn the_file_is_handed_back_as_downloaded() {
    let Setup {
        standin: _standin,
        client,
        ..
    } = setup().await;

    let report = client
        .analytics_report(AD_ACCOUNT, daily_campaigns(DataOutputFormat::Json))
        .send()
        .await
        .expect("a report");

    let file: Value = serde_json::from_slice(report.bytes()).expect("a JSON file");
    let groups = file.as_object().expect("rows keyed by campaign id");
    assert_eq!(
        groups.keys().collect::<Vec<_>>(),
        ["626736533506", "626736533507"]
    );
    assert_eq!(groups["626736533507"].as_array().map(Vec::len), Some(3));
    let len = report.bytes().len();
    assert_eq!(report.into_bytes().len(), len);
}

#[tokio::test]
async fn the_download_carries_no_bearer_token_and_the_file_server_refuses_one() {
    let Setup {
        standin,
        client,
        access_token,
        ..
    } = setup().await;

    let report = client
        .analytics_report(AD_ACCOUNT, daily_campaigns(DataOutputFormat::Json))
        .send()
        .await
        .expect("a report: the file server refuses a request with an Authorization header");
    let downloads = standin.report_downloads();
    assert_eq!(downloads.len(), 1);
    assert!(!downloads[0].had_authorization_header);

    // The stand-in's file server does refuse a bearer token, as a pre-signed S3 URL does.
    let status = client
        .analytics_get_report()
        .ad_account_id(AD_ACCOUNT)
        .token(report.token())
        .send()
        .await
        .expect("the finished report's status")
        .into_inner();
    let url = status.url.expect("a finished report has a url");
    let refused = reqwest::Client::new()
        .get(&url)
        .bearer_auth(&access_token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(refused.status(), 400);
    let downloads = standin.report_downloads();
    assert!(downloads[1].had_authorization_header);
    assert_eq!(downloads[1].status, 400);
}

#[tokio::test]
async fn a_failed_report_is_a_typed_error_and_nothing_is_downloaded() {
    let Setup {
        standin, client, ..
    } = setup().await;
    standin.set_report_outcome(ReportOutcome::Fail);

    let error = client
        .analytics_report(AD_ACCOUNT, daily_campaigns(DataOutputFormat::Json))
        .send()
        .await
        .expect_err("the report failed");

    let Error::Report(ReportError::Failed { token, status }) = &error else {
        panic!("expected ReportError::Failed, got {error:?}");
    };
    assert_eq!(status, "FAILED");
    assert!(!token.is_empty());
    let source = std::error::Error::source(&error).expect("the report error as source");
    assert!(source.is::<ReportError>());
    assert!(
        error.to_string().contains("could not make report"),
        "{error}"
    );
    assert!(standin.report_downloads().is_empty());
}

#[tokio::test]
async fn an_expired_report_is_a_typed_error() {
    let Setup {
        standin, client, ..
    } = setup().await;
    standin.set_report_outcome(ReportOutcome::Expire);

    let error = client
        .analytics_report(AD_ACCOUNT, daily_campaigns(DataOutputFormat::Json))
        .send()
        .await
        .expect_err("the report expired");

    let Error::Report(ReportError::Expired { status, .. }) = &error else {
        panic!("expected ReportError::Expired, got {error:?}");
    };
    assert_eq!(status, "EXPIRED");
    assert!(
        error.to_string().contains("create the report again"),
        "{error}"
    );
    assert!(standin.report_downloads().is_empty());
}

#[tokio::test]
async fn polling_is_bounded_by_the_timeout_with_capped_backoff() {
    let Setup {
        standin,
        client,
        clock,
        ..
    } = setup().await;
    standin.set_report_outcome(ReportOutcome::NeverFinish);

    let error = client
        .analytics_report(AD_ACCOUNT, daily_campaigns(DataOutputFormat::Json))
        .poll_interval(Duration::from_secs(1))
        .max_poll_interval(Duration::from_secs(4))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect_err("the report never finishes");

    // 1 + 2 + 4 s, then the cap's 4 s cut to the 3 s left: a last status call at the deadline.
    assert_eq!(clock.waits(), [1, 2, 4, 3].map(Duration::from_secs));
    let Error::Report(ReportError::Timeout {
        polls,
        waited,
        last_status,
        token,
    }) = &error
    else {
        panic!("expected ReportError::Timeout, got {error:?}");
    };
    assert_eq!(*polls, 4);
    assert_eq!(*waited, Duration::from_secs(10));
    assert_eq!(last_status, "IN_PROGRESS");
    assert!(error.to_string().contains(token.as_str()), "{error}");
    assert_eq!(
        standin
            .counters()
            .route("GET /v5/ad_accounts/{ad_account_id}/reports"),
        4
    );
    assert!(standin.report_downloads().is_empty());
}

#[tokio::test]
async fn the_timeout_holds_in_real_time() {
    let standin = Standin::start().await.expect("stand-in");
    let client = Client::builder()
        .environment(Environment::custom(standin.base_url()).expect("a loopback URL"))
        .access_token(standin.issue_tokens(&["ads:read"]).access_token)
        .build()
        .expect("a client");
    standin.set_report_outcome(ReportOutcome::NeverFinish);

    let started = std::time::Instant::now();
    let error = client
        .analytics_report(AD_ACCOUNT, daily_campaigns(DataOutputFormat::Json))
        .poll_interval(Duration::from_millis(10))
        .max_poll_interval(Duration::from_millis(40))
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .expect_err("the report never finishes");

    let Error::Report(ReportError::Timeout { waited, polls, .. }) = error else {
        panic!("expected ReportError::Timeout, got {error:?}");
    };
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
    let calls = standin
        .counters()
        .route("GET /v5/ad_accounts/{ad_account_id}/reports");
    assert_eq!(calls, u64::from(polls));
    // 10 + 20 + 40 ms, then 40 ms at most per call: no more than 3 + 300 / 40 + 1.
    assert!((4..=12).contains(&polls), "{polls} status calls");
}

#[tokio::test]
async fn an_expired_link_is_a_download_error_that_keeps_the_link_to_itself() {
    let Setup {
        standin, client, ..
    } = setup().await;
    standin.expire_report_links(true);

    let error = client
        .analytics_report(AD_ACCOUNT, daily_campaigns(DataOutputFormat::Json))
        .send()
        .await
        .expect_err("the link has expired");

    let Error::Report(ReportError::DownloadRejected {
        status,
        code,
        message,
        ..
    }) = &error
    else {
        panic!("expected ReportError::DownloadRejected, got {error:?}");
    };
    assert_eq!(status.as_u16(), 403);
    assert_eq!(code.as_deref(), Some("AccessDenied"));
    assert_eq!(message, "Request has expired");
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains("X-Amz-Signature"), "{shown}");
        assert!(!shown.contains("/reports/async_report"), "{shown}");
    }
}

#[tokio::test]
async fn a_template_report_is_read_through_the_analytics_status() {
    let Setup {
        standin, client, ..
    } = setup().await;

    let report = client
        .analytics_template_report(AD_ACCOUNT, "8234234")
        .start_date("2026-02-01")
        .end_date("2026-02-02")
        .granularity(Granularity::Day)
        .send()
        .await
        .expect("a report");

    let rows: Vec<Value> = report.rows().expect("rows");
    assert_eq!(rows.len(), 4, "two campaigns, two days");
    assert_eq!(rows[0]["DATE"], "2026-02-01");
    assert_eq!(rows[0]["TOTAL_IMPRESSION"], 100);
    let counters = standin.counters();
    assert_eq!(
        counters.route("POST /v5/ad_accounts/{ad_account_id}/templates/{template_id}/reports"),
        1
    );
    assert_eq!(
        counters.route("GET /v5/ad_accounts/{ad_account_id}/reports"),
        2
    );
}

#[tokio::test]
async fn an_mmm_report_is_read_from_its_data_envelope() {
    let Setup {
        standin, client, ..
    } = setup().await;

    let report = client
        .analytics_mmm_report(
            AD_ACCOUNT,
            CreateMmmReportRequest::builder()
                .report_name("January by gender")
                .start_date("2026-01-01")
                .end_date("2026-01-01")
                .granularity(CreateMmmReportRequestGranularity::Day)
                .level(CreateMmmReportRequestLevel::CampaignTargeting)
                .targeting_types(vec![MmmReportingTargetingType::Gender])
                .columns(vec![
                    MmmReportingColumn::CampaignId,
                    MmmReportingColumn::SpendInDollar,
                ]),
        )
        .send()
        .await
        .expect("a report");

    let rows: Vec<Value> = report.rows().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["CAMPAIGN_ID"], "626736533507");
    let counters = standin.counters();
    assert_eq!(
        counters.route("POST /v5/ad_accounts/{ad_account_id}/mmm_reports"),
        1
    );
    assert_eq!(
        counters.route("GET /v5/ad_accounts/{ad_account_id}/mmm_reports"),
        2
    );
}

#[tokio::test]
async fn a_brand_category_sku_report_is_read_through_its_own_status() {
    let Setup {
        standin, client, ..
    } = setup().await;

    let report = client
        .analytics_conversion_product_report(
            AD_ACCOUNT,
            ConversionProductReportRequest::builder()
                .report_name("Brands in January")
                .start_date("2026-01-01")
                .end_date("2026-01-31")
                .granularity(ConversionProductReportRequestGranularity::Total)
                .level(ConversionProductReportRequestLevel::Campaign)
                .columns(vec![
                    ConversionProductReportingColumn::CampaignId,
                    ConversionProductReportingColumn::TotalConversionProductQuantity,
                ]),
        )
        .send()
        .await
        .expect("a report");

    let rows: Vec<Value> = report.rows().expect("rows");
    assert_eq!(rows.len(), 2, "one TOTAL row per campaign");
    assert_eq!(rows[0]["TOTAL_CONVERSION_PRODUCT_QUANTITY"], 100);
    let counters = standin.counters();
    assert_eq!(
        counters.route("GET /v5/ad_accounts/{ad_account_id}/reports/brand_category_sku"),
        2
    );
}

#[tokio::test]
async fn an_api_error_of_the_create_call_comes_through_as_is() {
    let Setup {
        standin, client, ..
    } = setup().await;

    let error = client
        .analytics_report("not-an-id", daily_campaigns(DataOutputFormat::Json))
        .send()
        .await
        .expect_err("a bad ad account id");

    assert!(
        matches!(&error, Error::Api(api) if api.status == 400),
        "{error:?}"
    );
    assert_eq!(
        standin
            .counters()
            .route("GET /v5/ad_accounts/{ad_account_id}/reports"),
        0
    );
}

#[tokio::test]
async fn an_incomplete_request_is_refused_before_anything_is_sent() {
    let Setup {
        standin, client, ..
    } = setup().await;

    let error = client
        .analytics_report(
            AD_ACCOUNT,
            AdsAnalyticsCreateAsyncRequest::builder().start_date("2026-01-01"),
        )
        .send()
        .await
        .expect_err("no end date, granularity, level or columns");

    assert!(matches!(&error, Error::InvalidRequest(_)), "{error:?}");
    assert!(
        standin.counters().by_route.is_empty(),
        "{:?}",
        standin.counters()
    );
}

#[test]
fn rows_that_do_not_decode_name_the_row() {
    let json = r#"{"1": [{"TOTAL_CLICKTHROUGH": 1}], "2": [{"TOTAL_CLICKTHROUGH": "many"}]}"#;
    #[derive(Debug, serde::Deserialize)]
    struct Clicks {
        #[serde(rename = "TOTAL_CLICKTHROUGH")]
        _clicks: u64,
    }
    let error = Report::from_bytes(ReportFormat::Json, json)
        .rows::<Clicks>()
        .expect_err("row 2 is text");
    let Error::Report(ReportError::Rows { format, row, .. }) = &error else {
        panic!("expected ReportError::Rows, got {error:?}");
    };
    assert_eq!((*format, *row), ("JSON", Some(2)));

    let csv = "TOTAL_CLICKTHROUGH\n1\n2\nmany\n";
    let error = Report::from_bytes(ReportFormat::Csv, csv)
        .rows::<Clicks>()
        .expect_err("row 3 is text");
    let Error::Report(ReportError::Rows { format, row, .. }) = &error else {
        panic!("expected ReportError::Rows, got {error:?}");
    };
    assert_eq!((*format, *row), ("CSV", Some(3)));
    assert!(error.to_string().contains("row 3"), "{error}");

    let error = Report::from_bytes(ReportFormat::Json, r#"{"1": {"A": 1}}"#)
        .rows::<Value>()
        .expect_err("a group that is not a list");
    assert!(error.to_string().contains("a list of rows"), "{error}");
    let error = Report::from_bytes(ReportFormat::Json, "[{\"A\": 1}")
        .rows::<Value>()
        .expect_err("cut short");
    assert!(
        matches!(&error, Error::Report(ReportError::Rows { row: None, .. })),
        "{error:?}"
    );
}
