//! Refresh: 1 000 concurrent `GET /user_account` on an expired token (the client's
//! `auth::TokenManager` with a refresh token, its app's token endpoint on the same loopback
//! server) must make exactly one token request; the time to drain all 1 000 is reported, next
//! to the same 1 000 requests on a valid token.
//!
//! The token endpoint answers after 50 ms, standing in for Pinterest's latency, so that all
//! 1 000 requests find the refresh under way.
//!
//! `cargo bench --bench refresh`

mod common;

use bytes::Bytes;
use pinterest_v5::auth::TokenManager;
use pinterest_v5::auth::{OAuthApp, Token};
use pinterest_v5::{Client, Environment};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const TOKEN_LATENCY: Duration = Duration::from_millis(50);

#[derive(Default)]
struct Counts {
    token_requests: AtomicUsize,
    stale_bearers: AtomicUsize,
    served: AtomicUsize,
}

/// One scenario: a fresh server and client; `n` concurrent requests. Returns the drain time.
async fn scenario(
    n: usize,
    expired: bool,
    runtime: &tokio::runtime::Handle,
) -> Result<(Duration, Arc<Counts>), Box<dyn std::error::Error>> {
    let counts = Arc::new(Counts::default());
    let seen = counts.clone();
    let account = Bytes::from_static(common::ACCOUNT.as_bytes());
    let handler = move |request: &common::Request| {
        if request.method == "POST" && request.target.ends_with("/oauth/token") {
            seen.token_requests.fetch_add(1, Ordering::SeqCst);
            let form = String::from_utf8_lossy(&request.body);
            if !form.contains("grant_type=refresh_token") || !form.contains("refresh_token=r1") {
                return common::Reply::status(400, r#"{"code":1,"message":"bad grant"}"#);
            }
            let mut reply = common::Reply::ok(Bytes::from_static(
                br#"{"access_token":"fresh","refresh_token":"r2","response_type":"refresh_token","token_type":"bearer","expires_in":2592000,"refresh_token_expires_in":5184000,"scope":"user_accounts:read"}"#,
            ));
            reply.delay = Some(TOKEN_LATENCY);
            return reply;
        }
        match request.authorization.as_deref() {
            Some("Bearer fresh") => {
                seen.served.fetch_add(1, Ordering::SeqCst);
                common::Reply::ok(account.clone())
            }
            _ => {
                seen.stale_bearers.fetch_add(1, Ordering::SeqCst);
                common::Reply::status(401, r#"{"code":2,"message":"Authentication failed."}"#)
            }
        }
    };
    let addr = common::serve_on_thread(Arc::new(handler))?;
    let token = if expired {
        Token::new("stale")
            .with_refresh_token("r1")
            .with_expires_at(chrono::Utc::now() - chrono::Duration::hours(1))
    } else {
        Token::new("fresh")
            .with_refresh_token("r1")
            .with_expires_in(Duration::from_secs(3600))
    };
    let manager = TokenManager::new(
        OAuthApp::new("id", "secret", "https://example.com/cb"),
        token,
    );
    let client = Client::builder()
        .environment(Environment::custom(format!("http://{addr}/v5"))?)
        .token_manager(manager)
        .build()?;
    let start = Instant::now();
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let client = client.clone();
            runtime.spawn(async move {
                client
                    .user_account_get()
                    .send()
                    .await
                    .map(|account| account.into_inner().username)
            })
        })
        .collect();
    for task in tasks {
        let username = task.await??;
        if username.as_deref() != Some("example_user") {
            return Err("a reply did not decode".into());
        }
    }
    Ok((start.elapsed(), counts))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let measuring = common::measuring();
    let (n, rounds) = if measuring { (1000, 7) } else { (100, 1) };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let handle = runtime.handle().clone();
    runtime.block_on(async move {
        println!(
            "refresh: {n} concurrent GET /user_account, fresh client and connections each round, token endpoint answering after {} ms; {rounds} rounds",
            TOKEN_LATENCY.as_millis()
        );
        let mut expired_times = Vec::new();
        let mut valid_times = Vec::new();
        for _ in 0..rounds {
            let (t, counts) = scenario(n, true, &handle).await?;
            let token_requests = counts.token_requests.load(Ordering::SeqCst);
            let stale = counts.stale_bearers.load(Ordering::SeqCst);
            let served = counts.served.load(Ordering::SeqCst);
            assert_eq!(token_requests, 1, "exactly one token request for {n} requests");
            assert_eq!(stale, 0, "no request went out with the expired token");
            assert_eq!(served, n, "every request answered once");
            expired_times.push(t.as_secs_f64());
            let (t, counts) = scenario(n, false, &handle).await?;
            assert_eq!(counts.token_requests.load(Ordering::SeqCst), 0);
            valid_times.push(t.as_secs_f64());
        }
        let expired = common::median(&mut expired_times);
        let valid = common::median(&mut valid_times);
        println!(
            "  expired token: 1 token request (every round), 0 requests with the stale bearer, {n}/{n} answered"
        );
        println!(
            "  time to drain {n}: {:.1} ms median (min {:.1}, max {:.1}) with the refresh; {:.1} ms median (min {:.1}, max {:.1}) on a valid token; difference {:.1} ms (token endpoint latency {} ms)",
            expired * 1e3,
            expired_times[0] * 1e3,
            expired_times[expired_times.len() - 1] * 1e3,
            valid * 1e3,
            valid_times[0] * 1e3,
            valid_times[valid_times.len() - 1] * 1e3,
            (expired - valid) * 1e3,
            TOKEN_LATENCY.as_millis()
        );
        Ok::<_, Box<dyn std::error::Error>>(())
    })
}
