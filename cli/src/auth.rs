//! `pinterest auth`: signing in with OAuth (`login`), the token's state (`status`), a refresh
//! (`refresh`) and signing out (`logout`). The token is kept by the crate's `FileStore` in the
//! token file; its secrets are never printed.
//!
//! `login` listens on the app's loopback redirect URI for the one redirect that answers its
//! authorization URL, checks its `state`, exchanges the code and saves the token.

use crate::exit::Failure;
use crate::output;
use crate::settings::{Settings, unusable_token_file};
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use pinterest_v5::auth::{FileStore, Scope, Token, TokenManager, TokenStore};
use serde_json::{Value, json};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The scopes `login` asks for unless told otherwise: reading the account, its boards and pins.
const DEFAULT_SCOPES: &str = "user_accounts:read,boards:read,pins:read";

/// `pinterest auth …`.
pub(crate) fn command() -> Command {
    Command::new("auth")
        .about("Sign in with OAuth, see the token's state, refresh it, sign out")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("login")
                .about("Signs in: opens Pinterest's consent page and saves the token it grants")
                .long_about(
                    "Signs in: opens Pinterest's consent page in a browser (or prints its URL), \
                     listens on the app's redirect URI (http on loopback, registered for the app \
                     in the developer portal) for the redirect back, checks its state, exchanges \
                     the code and saves the token in the token file (mode 0600, replaced \
                     atomically). A redirect URI with port 0 listens on a free port.",
                )
                .arg(
                    Arg::new("scopes")
                        .long("scopes")
                        .value_name("SCOPE,…")
                        .value_delimiter(',')
                        .action(ArgAction::Append)
                        .default_value(DEFAULT_SCOPES)
                        .help("The scopes to ask for (boards:write, pins:write, ads:read, …)"),
                )
                .arg(
                    Arg::new("no-browser")
                        .long("no-browser")
                        .action(ArgAction::SetTrue)
                        .help("Only print the consent page's URL, to open in a browser yourself"),
                )
                .arg(
                    Arg::new("timeout")
                        .long("timeout")
                        .value_name("SECONDS")
                        .value_parser(value_parser!(u64).range(1..))
                        .default_value("300")
                        .help("How long to wait for the redirect back"),
                ),
        )
        .subcommand(
            Command::new("status").about(
                "Shows the token's scopes and expiry (never the token); exit 3 when signed out",
            ),
        )
        .subcommand(Command::new("refresh").about("Refreshes the token now and saves the new one"))
        .subcommand(
            Command::new("logout").about(
                "Signs out: asks Pinterest to revoke the token, then removes the token file",
            ),
        )
}

/// Runs `pinterest auth …`.
pub(crate) async fn run(settings: &Settings, m: &ArgMatches) -> Result<(), Failure> {
    match m.subcommand() {
        Some(("login", m)) => login(settings, m).await,
        Some(("status", _)) => status(settings).await,
        Some(("refresh", _)) => refresh(settings).await,
        Some(("logout", _)) => logout(settings).await,
        _ => Err(Failure::usage("name one of login, status, refresh, logout")),
    }
}

async fn login(settings: &Settings, m: &ArgMatches) -> Result<(), Failure> {
    let scopes = m
        .get_many::<String>("scopes")
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.parse::<Scope>().map_err(Failure::from))
        .collect::<Result<Vec<_>, _>>()?;
    let timeout = Duration::from_secs(m.get_one::<u64>("timeout").copied().unwrap_or(300));
    // Checked before anything is bound: the app's id and secret.
    settings.require_app("`auth login`")?;
    let mut redirect = url::Url::parse(settings.redirect_uri()).map_err(|e| {
        Failure::usage(format!(
            "the redirect URI `{}` is not a URL ({e}); give the one registered for your app, like {}",
            settings.redirect_uri(),
            crate::settings::DEFAULT_REDIRECT_URI
        ))
    })?;
    let any_port = redirect.port() == Some(0);
    let listeners = bind(&mut redirect).await?;
    // A port of 0 is replaced by the one bound; otherwise the URI is used exactly as given
    // (Pinterest compares it with the registered one).
    let redirect_uri = match any_port {
        true => redirect.to_string(),
        false => settings.redirect_uri().to_string(),
    };
    let app = settings.require_app_redirecting_to("`auth login`", &redirect_uri)?;
    let request = app.authorization_url(&scopes);
    eprintln!(
        "To let app {} use your Pinterest account, open this page:\n\n{}\n",
        app.client_id(),
        request.url
    );
    if !m.get_flag("no-browser") && webbrowser::open(&request.url).is_err() {
        eprintln!("(no browser could be opened here: open the page yourself)");
    }
    eprintln!("Waiting for Pinterest's redirect to {redirect_uri} …");
    let (mut browser, target) =
        tokio::time::timeout(timeout, callback(&listeners, redirect.path()))
            .await
            .map_err(|_| {
                Failure::authorization(format!(
                    "no redirect came to {redirect_uri} within {} s",
                    timeout.as_secs()
                ))
                .hint("run `pinterest auth login` again, and give access on the page it opens")
            })??;
    drop(listeners);
    let outcome = async {
        let code = app.parse_callback(&target, &request.state)?;
        app.exchange_code(&code).await
    }
    .await;
    let token = match outcome {
        Ok(token) => token,
        Err(e) => {
            answer(&mut browser, "Signing in failed", &e.to_string()).await;
            return Err(Failure::from(e).hint("run `pinterest auth login` again"));
        }
    };
    let path = settings.token_file()?;
    if let Err(e) = save(&path, &token).await {
        answer(
            &mut browser,
            "Signing in failed",
            "the token could not be saved",
        )
        .await;
        return Err(e);
    }
    answer(
        &mut browser,
        "Signed in to Pinterest",
        "The command line has its token; you can close this page.",
    )
    .await;
    eprintln!(
        "Signed in: token saved to {} (scopes {})",
        path.display(),
        Scope::join(token.scopes())
    );
    Ok(())
}

/// Binds the redirect URI's loopback address (both of `localhost`'s), or says what a redirect
/// URI the tool can listen on looks like. A port of 0 becomes the port bound.
async fn bind(redirect: &mut url::Url) -> Result<Vec<TcpListener>, Failure> {
    let given = redirect.to_string();
    let refuse = |why: &str| {
        Failure::usage(format!(
            "cannot listen on the redirect URI `{given}`: {why}"
        ))
        .hint(format!(
            "register a loopback redirect URI for your app (like {}) and give it with --redirect-uri or PINTEREST_REDIRECT_URI",
            crate::settings::DEFAULT_REDIRECT_URI
        ))
    };
    if redirect.scheme() != "http" {
        return Err(refuse(
            "it is not http:// (the tool listens on this machine, without TLS)",
        ));
    }
    let ips: Vec<IpAddr> = match redirect.host() {
        Some(url::Host::Domain("localhost")) => {
            vec![Ipv4Addr::LOCALHOST.into(), Ipv6Addr::LOCALHOST.into()]
        }
        Some(url::Host::Ipv4(ip)) if ip.is_loopback() => vec![ip.into()],
        Some(url::Host::Ipv6(ip)) if ip.is_loopback() => vec![ip.into()],
        _ => {
            return Err(refuse(
                "its host is not this machine's loopback (localhost, 127.0.0.1, [::1])",
            ));
        }
    };
    let mut port = redirect.port_or_known_default().unwrap_or(80);
    let mut listeners = Vec::new();
    let mut first_error = None;
    for ip in ips {
        match TcpListener::bind(SocketAddr::new(ip, port)).await {
            Ok(listener) => {
                if port == 0 {
                    port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
                    let _ = redirect.set_port(Some(port));
                }
                listeners.push(listener);
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match (listeners.is_empty(), first_error) {
        (true, Some(e)) => Err(refuse(&e.to_string())),
        (true, None) => Err(refuse("no address to listen on")),
        (false, _) => Ok(listeners),
    }
}

/// Waits for the browser's request for `path`; answers any other request with 404.
///
/// Connections are read side by side: a browser opens spare connections it may never send
/// on, and one of those must not hold up the redirect behind it for the read's time limit.
async fn callback(listeners: &[TcpListener], path: &str) -> Result<(TcpStream, String), Failure> {
    use futures::StreamExt;
    let mut reading = futures::stream::FuturesUnordered::new();
    loop {
        let accept = futures::future::select_all(listeners.iter().map(|l| Box::pin(l.accept())));
        tokio::select! {
            (accepted, _, _) = accept => match accepted {
                Ok((mut stream, _)) => reading.push(async move {
                    let target = request_target(&mut stream).await;
                    (stream, target)
                }),
                // Out of file descriptors, say: wait for some to close rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            },
            Some((mut stream, target)) = reading.next(), if !reading.is_empty() => {
                let Some(target) = target else { continue };
                let target_path = target.split('?').next().unwrap_or_default();
                if target_path == path {
                    return Ok((stream, target));
                }
                respond(
                    &mut stream,
                    "404 Not Found",
                    "Not found",
                    "This is not the page Pinterest redirects to.",
                )
                .await;
            }
        }
    }
}

/// The target of a GET request (`/cb?code=…&state=…`), read with a limit on time and size.
async fn request_target(stream: &mut TcpStream) -> Option<String> {
    const MAX: usize = 16 * 1024;
    let mut head = Vec::new();
    let read = async {
        let mut buf = [0u8; 2048];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX {
            let n = stream.read(&mut buf).await.ok()?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        Some(())
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .ok()??;
    let head = String::from_utf8_lossy(&head);
    let mut line = head.lines().next()?.split_whitespace();
    match (line.next(), line.next()) {
        (Some("GET"), Some(target)) => Some(target.to_string()),
        _ => None,
    }
}

/// Answers the browser with a short page.
async fn answer(stream: &mut TcpStream, title: &str, text: &str) {
    respond(stream, "200 OK", title, text).await;
}

async fn respond(stream: &mut TcpStream, status: &str, title: &str, text: &str) {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>{t}</title><h1>{t}</h1><p>{x}</p>\n",
        t = escape(title),
        x = escape(text)
    );
    let reply = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    // The browser may have gone; the sign-in's outcome does not depend on this page.
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Saves `token` to the token file, creating its directory (owner only) when needed.
async fn save(path: &Path, token: &Token) -> Result<(), Failure> {
    let cannot = |e: &dyn std::fmt::Display| {
        Failure::other(format!("cannot save the token to {}: {e}", path.display()))
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(|e| cannot(&e))?;
    }
    FileStore::new(path)
        .save(token)
        .await
        .map_err(|e| cannot(&e))
}

/// What `status` and `refresh` print of a token: never a secret.
fn describe(settings: &Settings, path: &Path, token: &Token) -> Value {
    let now = chrono::Utc::now();
    let refreshable = token.refresh_token().is_some();
    json!({
        "token_file": path.display().to_string(),
        "app_id": settings.app_id(),
        "scopes": token.scopes().iter().map(Scope::as_str).collect::<Vec<_>>(),
        "expires_at": token.expires_at().map(|t| t.to_rfc3339()),
        "expired": token.expires_within(Duration::ZERO, now),
        "refresh_token": refreshable,
        "refresh_token_expires_at": token.refresh_token_expires_at().map(|t| t.to_rfc3339()),
        "refreshes_itself": refreshable && matches!(settings.app(), Ok(Some(_))),
    })
}

async fn status(settings: &Settings) -> Result<(), Failure> {
    if settings.bare_token().is_some() {
        return output::print(
            settings.format,
            &json!({
                "token": "given with --token or PINTEREST_ACCESS_TOKEN (sent as is, never refreshed)",
            }),
        );
    }
    let path = settings.token_file()?;
    let Some(token) = settings.stored_token().await? else {
        return Err(signed_out(&path));
    };
    output::print(settings.format, &describe(settings, &path, &token))
}

fn signed_out(path: &Path) -> Failure {
    Failure::authorization(format!("not signed in: no token in {}", path.display()))
        .hint("sign in with `pinterest auth login`")
}

async fn refresh(settings: &Settings) -> Result<(), Failure> {
    let app = settings.require_app("`auth refresh`")?;
    let path = settings.token_file()?;
    let manager = TokenManager::load(app, FileStore::new(&path))
        .await
        .map_err(|e| match e {
            pinterest_v5::Error::TokenStore(io) => unusable_token_file(&path, &io),
            pinterest_v5::Error::Config(_) => signed_out(&path),
            other => Failure::from(other),
        })?;
    if !manager.can_refresh() {
        return Err(Failure::authorization(format!(
            "the token in {} has no refresh token",
            path.display()
        ))
        .hint("sign in again with `pinterest auth login`"));
    }
    let token = manager.refresh().await?;
    output::print(settings.format, &describe(settings, &path, &token))
}

async fn logout(settings: &Settings) -> Result<(), Failure> {
    let path = settings.token_file()?;
    let Some(token) = settings.stored_token().await? else {
        eprintln!("Not signed in: no token in {}", path.display());
        return Ok(());
    };
    match settings.app()? {
        Some(app) => {
            let revoked = async {
                if let Some(refresh) = token.refresh_token() {
                    app.revoke(refresh).await?;
                }
                app.revoke(token.access_token()).await
            }
            .await;
            if let Err(e) = revoked {
                eprintln!(
                    "warning: Pinterest did not revoke the token ({e}); it stays valid until it expires"
                );
            }
        }
        None => eprintln!(
            "warning: the token was not revoked (that needs your app's id and secret); it stays valid until it expires"
        ),
    }
    std::fs::remove_file(&path)
        .map_err(|e| Failure::other(format!("cannot remove {}: {e}", path.display())))?;
    eprintln!("Signed out: removed {}", path.display());
    Ok(())
}
