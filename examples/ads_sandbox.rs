//! Lists the campaigns of an ad account in Pinterest's sandbox.
//!
//! ```text
//! PINTEREST_ACCESS_TOKEN=pina_… PINTEREST_AD_ACCOUNT_ID=549755… cargo run --example ads_sandbox
//! ```
//!
//! The sandbox (`https://api-sandbox.pinterest.com/v5`) takes a sandbox access token from the
//! developer portal and holds test ad accounts; nothing there spends money. Set
//! `PINTEREST_ENV=production` (or a URL) to list a real account's campaigns instead. Without
//! the two variables the example says what to set and exits 0.

use futures::TryStreamExt;
use pinterest_v5::{Client, Environment, Error};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let (Some(token), Some(ad_account_id)) = (
        var("PINTEREST_ACCESS_TOKEN"),
        var("PINTEREST_AD_ACCOUNT_ID"),
    ) else {
        println!(
            "Set PINTEREST_ACCESS_TOKEN (a sandbox token from https://developers.pinterest.com/apps/)"
        );
        println!(
            "and PINTEREST_AD_ACCOUNT_ID (the id of an ad account of that token's user) to list its campaigns."
        );
        println!("Nothing was sent.");
        return ExitCode::SUCCESS;
    };
    match run(token.trim(), ad_account_id.trim()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(token: &str, ad_account_id: &str) -> Result<(), Error> {
    let environment = match std::env::var("PINTEREST_ENV") {
        Ok(_) => Environment::from_env()?,
        Err(_) => Environment::Sandbox,
    };
    let client = Client::builder()
        .environment(environment.clone())
        .access_token(token)
        .build()?;
    println!("Campaigns of ad account {ad_account_id} on {environment}:");
    let mut campaigns = client
        .campaigns_list()
        .ad_account_id(ad_account_id)
        .page_size(100u64)
        .stream();
    let mut count = 0;
    while let Some(campaign) = campaigns.try_next().await? {
        count += 1;
        println!(
            "  {} {:<40} status {:?}, objective {:?}",
            campaign.id.as_deref().unwrap_or("?"),
            campaign.name.as_deref().unwrap_or("(unnamed)"),
            campaign.status,
            campaign.objective_type,
        );
    }
    println!("{count} campaign(s).");
    if let Some(state) = client.rate_limits().get("ads_read") {
        println!(
            "ads_read rate limit: {:?} of {:?} left",
            state.remaining, state.limit
        );
    }
    Ok(())
}
