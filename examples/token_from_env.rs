//! Calls Pinterest with the 24-hour test token of the developer portal.
//!
//! ```text
//! PINTEREST_ACCESS_TOKEN=pina_… cargo run --example token_from_env
//! PINTEREST_ACCESS_TOKEN=pina_… PINTEREST_ENV=sandbox cargo run --example token_from_env
//! ```
//!
//! Get the token on <https://developers.pinterest.com/apps/> (your app → "Generate token"). It
//! cannot be refreshed: after 24 hours, generate a new one. Without `PINTEREST_ACCESS_TOKEN`
//! the example says what to set and exits 0.

use futures::{StreamExt, TryStreamExt};
use pinterest_v5::{Client, Environment, Error};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let Some(token) = std::env::var("PINTEREST_ACCESS_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
    else {
        println!(
            "Set PINTEREST_ACCESS_TOKEN to a token from https://developers.pinterest.com/apps/"
        );
        println!(
            "(your app -> Generate token; it lasts 24 hours), and optionally PINTEREST_ENV=sandbox."
        );
        println!("Nothing was sent.");
        return ExitCode::SUCCESS;
    };
    match run(token.trim()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("failed: {e}");
            if e.status() == Some(reqwest::StatusCode::UNAUTHORIZED) {
                eprintln!("The token was refused: test tokens last 24 hours; generate a new one.");
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(token: &str) -> Result<(), Error> {
    let environment = Environment::from_env()?;
    let client = Client::builder()
        .environment(environment.clone())
        .access_token(token)
        .build()?;
    println!("Calling {environment} with the token from PINTEREST_ACCESS_TOKEN.");

    let account = client.user_account_get().send().await?.into_inner();
    println!(
        "Signed in as {} ({:?} account).",
        account.username.as_deref().unwrap_or("(no username)"),
        account.account_type
    );

    let boards: Vec<_> = client
        .boards_list()
        .page_size(25u64)
        .stream()
        .take(10)
        .try_collect()
        .await?;
    println!("First {} board(s):", boards.len());
    for board in &boards {
        println!(
            "  {} {} ({} pins)",
            board.id,
            board.name,
            board.pin_count.unwrap_or(0)
        );
    }
    for (category, state) in client.rate_limits().all() {
        println!(
            "Rate limit {category}: {:?} of {:?} left",
            state.remaining, state.limit
        );
    }
    Ok(())
}
