//! The whole crate in one command.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! Offline (the default), against a local stand-in for Pinterest started in this process:
//! authorization URL, simulated consent, code exchange, token saved to a file, user account,
//! a board, image pins on it, the board's pins through the pagination stream, an access token
//! that expires mid-run (refreshed automatically, the rotated token saved to the file), and a
//! 429 with a short reset, waited out. Every step is checked; the exit code is 0 only if all
//! did what they should.
//!
//! Live, with your app from <https://developers.pinterest.com/apps/>:
//!
//! ```text
//! PINTEREST_APP_ID=… PINTEREST_APP_SECRET=… [PINTEREST_ENV=sandbox] cargo run --example quickstart
//! ```
//!
//! The redirect URI `PINTEREST_REDIRECT_URI` (default `http://localhost:8085/`, which must be
//! registered for the app) is served by a loopback listener that receives the callback. The
//! token is saved to `PINTEREST_TOKEN_FILE` (default `pinterest-token.json`, mode 0600). In the
//! sandbox the example also creates a secret board and a pin on it; in production it only reads.

use futures::{StreamExt, TryStreamExt};
use pinterest_v5::auth::TokenManager;
use pinterest_v5::auth::{FileStore, TokenStore};
use pinterest_v5::auth::{OAuthApp, Scope, Token};
use pinterest_v5::types::{
    BoardCreate, BoardPrivacy, PinCreate, PinMediaSource, PinMediaSourceImageUrl,
};
use pinterest_v5::{Client, Environment};
use pinterest_v5_standin::Standin;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const SCOPES: [Scope; 5] = [
    Scope::UserAccountsRead,
    Scope::BoardsRead,
    Scope::BoardsWrite,
    Scope::PinsRead,
    Scope::PinsWrite,
];

/// What went wrong in a step that does more than one thing: an error `?` passes on, or a
/// message.
type Problem = Box<dyn std::error::Error>;

/// What each step did; printed as it goes and summed up at the end.
#[derive(Default)]
struct Report {
    done: Vec<(String, bool)>,
}

impl Report {
    /// Records a step: `Ok((value, what happened))` or `Err(what went wrong)`, any error
    /// (`pinterest_v5::Error` says all there is to say in its `Display`) or a message.
    fn step<T>(
        &mut self,
        title: &str,
        outcome: Result<(T, String), impl std::fmt::Display>,
    ) -> Option<T> {
        let n = self.done.len() + 1;
        match outcome {
            Ok((value, detail)) => {
                println!("{n:>2}. {title}: ok\n    {detail}");
                self.done.push((title.to_string(), true));
                Some(value)
            }
            Err(problem) => {
                println!("{n:>2}. {title}: FAILED\n    {problem}");
                self.done.push((title.to_string(), false));
                None
            }
        }
    }

    /// Prints the summary; true when every step passed.
    fn summary(&self, planned: usize) -> bool {
        let passed = self.done.iter().filter(|(_, ok)| *ok).count();
        println!();
        println!("Summary: {passed} of {planned} steps did what they should.");
        for (title, ok) in &self.done {
            println!("  [{}] {title}", if *ok { "ok" } else { "FAILED" });
        }
        if self.done.len() < planned {
            println!("  ({} later step(s) not run)", planned - self.done.len());
        }
        passed == planned
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let mut report = Report::default();
    let all_ok = match (var("PINTEREST_APP_ID"), var("PINTEREST_APP_SECRET")) {
        (Some(id), Some(secret)) => {
            let planned = live(&mut report, id.trim(), secret.trim()).await;
            report.summary(planned)
        }
        _ => {
            println!("Offline run against a local stand-in for Pinterest.");
            println!(
                "(Set PINTEREST_APP_ID and PINTEREST_APP_SECRET to run against Pinterest itself.)\n"
            );
            offline(&mut report).await;
            report.summary(OFFLINE_STEPS)
        }
    };
    if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

const OFFLINE_STEPS: usize = 12;

/// The redirect URL with the code hidden (it is a credential until exchanged).
fn hide_code(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            let pairs: Vec<(String, String)> = parsed
                .query_pairs()
                .map(|(k, v)| {
                    let v = if k == "code" {
                        "…".to_string()
                    } else {
                        v.into_owned()
                    };
                    (k.into_owned(), v)
                })
                .collect();
            parsed.query_pairs_mut().clear().extend_pairs(pairs);
            parsed.to_string().replace("%E2%80%A6", "…")
        }
        Err(_) => "(not a URL)".to_string(),
    }
}

fn describe_token(token: &Token) -> String {
    let days = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map(|t| format!("{} days", (t - chrono::Utc::now()).num_days()))
            .unwrap_or_else(|| "an unknown time".into())
    };
    format!(
        "access token valid for {}, refresh token for {}; scopes {}",
        days(token.expires_at()),
        days(token.refresh_token_expires_at()),
        Scope::join(token.scopes())
    )
}

fn image_pin(board_id: &str, title: &str, image_url: &str) -> PinCreate {
    PinCreate {
        board_id: Some(board_id.to_string()),
        title: Some(title.to_string()),
        alt_text: Some("A sample image".into()),
        media_source: Some(PinMediaSource::ImageUrl(PinMediaSourceImageUrl::new(
            image_url,
        ))),
        ..PinCreate::default()
    }
}

async fn read_token_file(path: &Path) -> Result<Token, String> {
    FileStore::new(path)
        .load()
        .await
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .ok_or_else(|| format!("{} holds no token", path.display()))
}

fn secret_of(token: &Token) -> (String, Option<String>) {
    (
        token.access_token().secret().to_string(),
        token.refresh_token().map(|r| r.secret().to_string()),
    )
}

/// The offline run: every step against the stand-in, each checked.
async fn offline(report: &mut Report) {
    let Some(standin) = report.step(
        "Start a local stand-in for Pinterest",
        Standin::start()
            .await
            .map(|s| {
                let detail = format!("serving {} on loopback", s.base_url());
                (s, detail)
            })
            .map_err(|e| format!("cannot listen on 127.0.0.1: {e}")),
    ) else {
        return;
    };
    let Ok(environment) = Environment::custom(standin.base_url()) else {
        report.step::<()>("Point the client at the stand-in", Err("bad base URL"));
        return;
    };
    let redirect_uri = "http://localhost:8085/callback";
    let app = OAuthApp::new(standin.client_id(), standin.client_secret(), redirect_uri)
        .environment(environment.clone());

    let request = app.authorization_url(&SCOPES);
    let checked = if request
        .url
        .starts_with(pinterest_v5::auth::AUTHORIZATION_URL)
        && request.url.contains(&request.state)
    {
        Ok((request.clone(), format!("send the user to {}", request.url)))
    } else {
        Err(format!("unexpected URL {}", request.url))
    };
    let Some(request) = report.step("Build the authorization URL", checked) else {
        return;
    };

    let Some(redirect) = report.step(
        "Simulate the user's consent on Pinterest",
        standin.consent(&request.url).map(|r| {
            let detail = format!("Pinterest redirects the browser to {}", hide_code(&r));
            (r, detail)
        }),
    ) else {
        return;
    };

    let Some(code) = report.step(
        "Read the redirect (state checked)",
        app.parse_callback(&redirect, &request.state).map(|c| {
            (
                c,
                "the state matches; got the authorization code".to_string(),
            )
        }),
    ) else {
        return;
    };

    let Some(token) = report.step(
        "Exchange the code for tokens",
        match app.exchange_code(&code).await {
            Ok(t) if t.refresh_token().is_some() => {
                let detail = describe_token(&t);
                Ok((t, detail))
            }
            Ok(_) => Err("the reply has no refresh token".into()),
            Err(e) => Err(e.to_string()),
        },
    ) else {
        return;
    };

    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            report.step::<()>("Save the token to a file", Err(format!("no temp dir: {e}")));
            return;
        }
    };
    let token_file = dir.path().join("pinterest-token.json");
    let Some(manager) = report.step(
        "Save the token to a file",
        TokenManager::persisted(app.clone(), token, FileStore::new(&token_file))
            .await
            .map(|m| (m, format!("saved to {}", token_file.display()))),
    ) else {
        return;
    };

    let client = match Client::builder()
        .environment(environment)
        .token_manager(manager)
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            report.step::<()>("Build the client", Err(e));
            return;
        }
    };

    let Some(_) = report.step(
        "Read the user account",
        async {
            let a = client.user_account_get().send().await?;
            if a.username.as_deref() != Some(standin.username()) {
                return Err(format!("unexpected username {:?}", a.username).into());
            }
            let detail = format!(
                "signed in as {} ({} boards, {} pins)",
                standin.username(),
                a.board_count.unwrap_or(0),
                a.pin_count.unwrap_or(0)
            );
            Ok::<_, Problem>(((), detail))
        }
        .await,
    ) else {
        return;
    };

    let board = BoardCreate {
        description: Some("Made by pinterest-v5's quickstart".into()),
        privacy: BoardPrivacy::Secret,
        ..BoardCreate::new("Quickstart")
    };
    let Some(board) = report.step(
        "Create a board",
        client.boards_create().body(board).send().await.map(|b| {
            let b = b.into_inner();
            let detail = format!("board {} \"{}\" ({:?})", b.id, b.name, b.privacy);
            (b, detail)
        }),
    ) else {
        return;
    };

    let image =
        "https://upload.wikimedia.org/wikipedia/commons/4/47/PNG_transparency_demonstration_1.png";
    let Some(_) = report.step(
        "Create image pins on the board",
        async {
            let mut created = Vec::new();
            for title in ["Soup", "Bread", "Salad"] {
                let pin = client
                    .pins_create()
                    .body(image_pin(&board.id, title, image))
                    .send()
                    .await?;
                created.push(pin.into_inner().id);
            }
            Ok::<_, pinterest_v5::Error>((
                (),
                format!("3 pins from {image}: {}", created.join(", ")),
            ))
        }
        .await,
    ) else {
        return;
    };

    let route = "GET /v5/boards/{board_id}/pins";
    let before = standin.counters().route(route);
    let listed: Result<Vec<_>, _> = client
        .boards_list_pins()
        .board_id(board.id.clone())
        .page_size(2u64)
        .stream()
        .try_collect()
        .await;
    let requests = standin.counters().route(route) - before;
    let Some(_) = report.step(
        "List the board's pins through the pagination stream (2 per page)",
        match listed {
            Ok(pins) if pins.len() == 3 && requests == 2 => {
                let titles: Vec<_> = pins.iter().filter_map(|p| p.title.clone()).collect();
                Ok((
                    (),
                    format!(
                        "{} pins in {requests} pages: {}",
                        pins.len(),
                        titles.join(", ")
                    ),
                ))
            }
            Ok(pins) => Err(format!(
                "{} pins in {requests} requests; expected 3 in 2",
                pins.len()
            )),
            Err(e) => Err(e.to_string()),
        },
    ) else {
        return;
    };

    // The access token dies while the program runs: Pinterest answers 401, the client refreshes
    // once, saves the rotated token to the file before using it, and retries.
    let saved_before = read_token_file(&token_file).await.map(|t| secret_of(&t));
    let counters = standin.counters();
    standin.expire_access_tokens();
    let reply = client.user_account_get().send().await;
    let after = standin.counters();
    let saved_after = read_token_file(&token_file).await.map(|t| secret_of(&t));
    let in_use = client.token_manager().map(|m| secret_of(&m.token()));
    let outcome = match (reply, saved_before, saved_after) {
        (Err(e), _, _) => Err(format!("the call failed: {e}")),
        (_, Err(e), _) | (_, _, Err(e)) => Err(e),
        (Ok(_), Ok(old), Ok(new)) => {
            let refreshes = after.grant("refresh_token") - counters.grant("refresh_token");
            let rejected = after.unauthorized - counters.unauthorized;
            if refreshes != 1 || rejected != 1 {
                Err(format!(
                    "{rejected} 401(s) and {refreshes} refresh(es); expected 1 and 1"
                ))
            } else if new.1 == old.1 || new.0 == old.0 {
                Err("the token file still holds the old tokens".into())
            } else if in_use.as_ref() != Some(&new) {
                Err("the token in use is not the one saved".into())
            } else {
                Ok((
                    (),
                    format!(
                        "Pinterest answered 401; the client refreshed once, saved the rotated refresh token to {} and retried the call",
                        token_file.display()
                    ),
                ))
            }
        }
    };
    let Some(_) = report.step("Survive an access token that expires mid-run", outcome) else {
        return;
    };

    let before = standin.counters().rate_limited;
    standin.inject_rate_limit(1);
    let started = Instant::now();
    let reply = client.boards_get().board_id(board.id.clone()).send().await;
    let waited = started.elapsed();
    let limited = standin.counters().rate_limited - before;
    let remaining = client
        .rate_limits()
        .get("org_read")
        .and_then(|s| s.remaining);
    report.step(
        "Wait out a 429 with a 1 s reset",
        match reply {
            Ok(_) if limited == 1 && waited >= Duration::from_millis(900) => Ok(((), format!(
                "Pinterest answered 429 (reset 1 s); the client waited {:.1} s and retried; org_read has {} calls left",
                waited.as_secs_f64(),
                remaining.map_or("?".to_string(), |r| r.to_string())
            ))),
            Ok(_) => Err(format!("{limited} 429(s), waited {:.2} s; expected 1 and about 1 s", waited.as_secs_f64())),
            Err(e) => Err(e.to_string()),
        },
    );
}

/// The live run against Pinterest; answers how many steps it planned.
async fn live(report: &mut Report, app_id: &str, app_secret: &str) -> usize {
    const PLANNED_READ: usize = 6;
    let environment = match Environment::from_env() {
        Ok(e) => e,
        Err(e) => {
            report.step::<()>("Read PINTEREST_ENV", Err(e));
            return PLANNED_READ;
        }
    };
    let writes = environment.is_sandbox();
    let planned = if writes {
        PLANNED_READ + 3
    } else {
        PLANNED_READ
    };
    println!("Live run against {environment} with app {app_id}.");
    if !writes {
        println!(
            "(Not the sandbox: only reading. Set PINTEREST_ENV=sandbox to also create a board and a pin.)"
        );
    }
    println!();
    let redirect_uri = std::env::var("PINTEREST_REDIRECT_URI")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "http://localhost:8085/".to_string());
    let app =
        OAuthApp::new(app_id, app_secret, redirect_uri.clone()).environment(environment.clone());

    let Some(listener) = report.step(
        "Listen for the redirect on loopback",
        listen(&redirect_uri).await,
    ) else {
        return planned;
    };
    let request = app.authorization_url(&SCOPES);
    println!(
        "\nOpen this URL in your browser and click \"Give access\":\n\n  {}\n",
        request.url
    );
    let Some(target) = report.step(
        "Receive the redirect after consent (waiting up to 5 minutes)",
        match tokio::time::timeout(Duration::from_secs(300), callback(listener)).await {
            Ok(r) => r.map(|t| {
                let detail = format!("got {}", hide_code(&format!("http://localhost{t}")));
                (t, detail)
            }),
            Err(_) => Err("no redirect within 5 minutes".into()),
        },
    ) else {
        return planned;
    };
    let Some(code) = report.step(
        "Read the redirect (state checked)",
        app.parse_callback(&target, &request.state)
            .map(|c| (c, "the state matches".to_string())),
    ) else {
        return planned;
    };
    let Some(token) = report.step(
        "Exchange the code for tokens",
        app.exchange_code(&code).await.map(|t| {
            let detail = describe_token(&t);
            (t, detail)
        }),
    ) else {
        return planned;
    };
    let token_file =
        std::env::var("PINTEREST_TOKEN_FILE").unwrap_or_else(|_| "pinterest-token.json".into());
    let Some(manager) = report.step(
        "Save the token to a file",
        TokenManager::persisted(app, token, FileStore::new(&token_file))
            .await
            .map(|m| {
                (
                    m,
                    format!("saved to {token_file} (refreshed tokens are saved there too)"),
                )
            }),
    ) else {
        return planned;
    };
    let client = match Client::builder()
        .environment(environment)
        .token_manager(manager)
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            report.step::<()>("Build the client", Err(e));
            return planned;
        }
    };
    let Some(_) = report.step(
        "Read the user account",
        client.user_account_get().send().await.map(|a| {
            (
                (),
                format!(
                    "signed in as {}",
                    a.username.as_deref().unwrap_or("(no username)")
                ),
            )
        }),
    ) else {
        return planned;
    };
    if !writes {
        return planned;
    }
    let name = format!(
        "pinterest-v5 quickstart {}",
        chrono::Utc::now().format("%Y-%m-%d %H%M%S")
    );
    let board = BoardCreate {
        description: Some("Made by pinterest-v5's quickstart".into()),
        privacy: BoardPrivacy::Secret,
        ..BoardCreate::new(name)
    };
    let Some(board) = report.step(
        "Create a secret board",
        client.boards_create().body(board).send().await.map(|b| {
            let b = b.into_inner();
            let detail = format!("board {} \"{}\"", b.id, b.name);
            (b, detail)
        }),
    ) else {
        return planned;
    };
    let image = std::env::var("PINTEREST_IMAGE_URL").unwrap_or_else(|_| {
        "https://upload.wikimedia.org/wikipedia/commons/4/47/PNG_transparency_demonstration_1.png".into()
    });
    let Some(_) = report.step(
        "Create an image pin on it",
        client
            .pins_create()
            .body(image_pin(&board.id, "Quickstart", &image))
            .send()
            .await
            .map(|p| ((), format!("pin {}", p.id))),
    ) else {
        return planned;
    };
    let listed: Result<Vec<_>, _> = client
        .boards_list_pins()
        .board_id(board.id.clone())
        .page_size(25u64)
        .stream()
        .take(100)
        .try_collect()
        .await;
    report.step(
        "List the board's pins through the pagination stream",
        match listed {
            Ok(pins) if !pins.is_empty() => Ok(((), format!("{} pin(s)", pins.len()))),
            Ok(_) => Err("the board lists no pins yet (Pinterest may take a moment)".into()),
            Err(e) => Err(e.to_string()),
        },
    );
    planned
}

/// Binds the redirect URI's loopback port (on 127.0.0.1 and, for `localhost`, on `[::1]`).
async fn listen(redirect_uri: &str) -> Result<(Vec<tokio::net::TcpListener>, String), String> {
    let url = url::Url::parse(redirect_uri)
        .map_err(|e| format!("PINTEREST_REDIRECT_URI `{redirect_uri}`: {e}"))?;
    let host = url.host_str().unwrap_or_default().to_string();
    let port = url.port_or_known_default().unwrap_or(80);
    if url.scheme() != "http" || !["localhost", "127.0.0.1", "[::1]"].contains(&host.as_str()) {
        return Err(format!(
            "the redirect URI `{redirect_uri}` is not on loopback; register http://localhost:8085/ for your app and set PINTEREST_REDIRECT_URI to it"
        ));
    }
    let mut listeners = Vec::new();
    let addrs: &[&str] = match host.as_str() {
        "localhost" => &["127.0.0.1", "::1"],
        "[::1]" => &["::1"],
        _ => &["127.0.0.1"],
    };
    for addr in addrs {
        if let Ok(l) = tokio::net::TcpListener::bind((*addr, port)).await {
            listeners.push(l);
        }
    }
    if listeners.is_empty() {
        return Err(format!("cannot listen on port {port} (is it in use?)"));
    }
    Ok((listeners, format!("waiting for {redirect_uri}")))
}

/// Accepts the browser's request to the redirect URI; answers the request target
/// (`/path?code=…&state=…`).
async fn callback(listeners: Vec<tokio::net::TcpListener>) -> Result<String, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let accepts = listeners.iter().map(|l| Box::pin(l.accept()));
    let (accepted, _, _) = futures::future::select_all(accepts).await;
    let (mut stream, _) = accepted.map_err(|e| format!("accept failed: {e}"))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        let n = stream
            .read(&mut buf)
            .await
            .map_err(|e| format!("read failed: {e}"))?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    let target = text
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .ok_or("the browser sent no request line")?
        .to_string();
    let page = "<html><body><h1>Done</h1><p>You can close this window and go back to the terminal.</p></body></html>";
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
        page.len()
    );
    let _ = stream.write_all(reply.as_bytes()).await;
    Ok(target)
}
