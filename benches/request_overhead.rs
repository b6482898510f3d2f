//! Request overhead: `GET /user_account` on a loopback server, through the full client (auth
//! middleware, rate-limit bookkeeping, retry policy, status-keeping decode) vs. raw `reqwest` +
//! `serde_json` into the same generated `types::Account`, on the same server in the same run.
//! Rounds alternate between the paths so that load from other processes hits them alike.
//! Raw is `reqwest` as its defaults build it, retry layer included; the client's own `reqwest`
//! client has that layer off, since the client sends refused requests again itself (`--parts`'
//! `raw-no-retry` prices the difference).
//!
//! Two more paths separate what the client's layers cost from what its transport settings
//! cost: the full client over a `reqwest` client built exactly as the raw path's, given with
//! `ClientBuilder::reqwest_client`, and raw `reqwest` with a 60 s total timeout (what
//! `ClientBuilder::timeout` would cost; the client sets none by default).
//!
//! With `--parts`, more paths price the client's costs one at a time, in the same binary (so
//! with the same code layout): raw `reqwest` plus one thing the client does, and the client
//! with one setting changed. Each is compared, round by round, with the path it adds to.
//!
//! With `--tracing`, a `tracing` subscriber is installed first (`tracing-subscriber`'s `fmt`,
//! every level up to `DEBUG`, written to a sink): what the client's spans and events cost when
//! someone listens. Without it no subscriber is installed, as in an application that does not
//! use `tracing`.
//!
//! `cargo bench --bench request_overhead [-- --parts] [--tracing]`

mod common;

use bytes::Bytes;
use pinterest_v5::{Client, Environment, types};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq)]
enum Path {
    Client,
    /// The full client over the raw path's `reqwest` client.
    ClientRawTransport,
    Raw,
    /// Raw, through a `reqwest` client with the crate's default connect timeout and idle
    /// time (10 s, 30 s) and a 60 s total timeout: what a timer armed per request costs.
    RawTimeouts,
    // `--parts` only.
    /// Raw, also copying the request's URL and header map before sending it (what the client
    /// did for retries before it kept only what a retry is rebuilt from).
    RawCopy,
    /// Raw, also copying the request's URL.
    RawCopyUrl,
    /// Raw, also copying the request's header map.
    RawCopyHeaders,
    /// Raw, through a `reqwest` client that sends the crate's `User-Agent`.
    RawUserAgent,
    /// Raw, also doing the middleware's bookkeeping: `Instant::now`, a hash of the URL, a
    /// clone of the bearer header value.
    RawBookkeeping,
    /// The client without a token: no bearer looked up, and no `Authorization` sent.
    ClientNoToken,
    /// The client with the default `User-Agent` given as a `String` (not a static value).
    ClientUserAgentString,
    /// Raw, through a `reqwest` client from the crate's `client::http_client_builder`, which
    /// turns the retry layer off (as in the client's own): what that layer's copy of every
    /// request costs.
    RawNoRetry,
    /// Raw, through a second `reqwest` client built exactly as raw's: what two identical paths
    /// differ by (their own connection, their place in each round), the floor under every
    /// other ratio.
    RawAgain,
}

/// The paths of a default run, in the order of the even rounds (odd rounds run them in
/// reverse).
const PATHS: [Path; 4] = [
    Path::Client,
    Path::ClientRawTransport,
    Path::Raw,
    Path::RawTimeouts,
];

/// The paths `--parts` adds.
const PARTS: [Path; 9] = [
    Path::RawCopy,
    Path::RawCopyUrl,
    Path::RawCopyHeaders,
    Path::RawUserAgent,
    Path::RawBookkeeping,
    Path::ClientNoToken,
    Path::ClientUserAgentString,
    Path::RawNoRetry,
    Path::RawAgain,
];

impl Path {
    /// Its name for `--only` and in the ratios.
    fn name(self) -> &'static str {
        match self {
            Path::Client => "client",
            Path::ClientRawTransport => "client-raw-transport",
            Path::Raw => "raw",
            Path::RawTimeouts => "raw-timeouts",
            Path::RawCopy => "raw+copy",
            Path::RawCopyUrl => "raw+copy-url",
            Path::RawCopyHeaders => "raw+copy-headers",
            Path::RawUserAgent => "raw+user-agent",
            Path::RawBookkeeping => "raw+bookkeeping",
            Path::ClientNoToken => "client-no-token",
            Path::ClientUserAgentString => "client-user-agent-string",
            Path::RawNoRetry => "raw-no-retry",
            Path::RawAgain => "raw-again",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Path::Client => "full client",
            Path::ClientRawTransport => "full client over raw's transport",
            Path::Raw => "raw reqwest",
            Path::RawTimeouts => "raw reqwest, 60 s total timeout",
            Path::RawCopy => "raw, copying URL and headers",
            Path::RawCopyUrl => "raw, copying the URL",
            Path::RawCopyHeaders => "raw, copying the headers",
            Path::RawUserAgent => "raw, sending a User-Agent",
            Path::RawBookkeeping => "raw, with the bookkeeping",
            Path::ClientNoToken => "client without a token",
            Path::ClientUserAgentString => "client, User-Agent as String",
            Path::RawNoRetry => "raw, no reqwest retry layer",
            Path::RawAgain => "raw again (a second client)",
        }
    }

    /// The path it is compared with, round by round.
    fn baseline(self) -> Path {
        match self {
            Path::ClientNoToken | Path::ClientUserAgentString => Path::Client,
            _ => Path::Raw,
        }
    }

    fn named(name: &str) -> Option<Path> {
        PATHS.into_iter().chain(PARTS).find(|p| p.name() == name)
    }
}

#[derive(Clone)]
struct Callers {
    client: Client,
    client_raw_transport: Client,
    client_no_token: Client,
    client_user_agent_string: Client,
    raw: reqwest::Client,
    raw_timeouts: reqwest::Client,
    raw_user_agent: reqwest::Client,
    raw_no_retry: reqwest::Client,
    raw_again: reqwest::Client,
    bearer: HeaderValue,
    url: String,
}

impl Callers {
    async fn call(&self, path: Path) -> Result<types::Account, String> {
        let client = match path {
            Path::Client => Some(&self.client),
            Path::ClientRawTransport => Some(&self.client_raw_transport),
            Path::ClientNoToken => Some(&self.client_no_token),
            Path::ClientUserAgentString => Some(&self.client_user_agent_string),
            _ => None,
        };
        if let Some(client) = client {
            return Ok(client
                .user_account_get()
                .send()
                .await
                .map_err(|e| e.to_string())?
                .into_inner());
        }
        let http = match path {
            Path::RawTimeouts => &self.raw_timeouts,
            Path::RawUserAgent => &self.raw_user_agent,
            Path::RawNoRetry => &self.raw_no_retry,
            Path::RawAgain => &self.raw_again,
            _ => &self.raw,
        };
        let request = http
            .get(&self.url)
            .header(AUTHORIZATION, "Bearer t")
            .header(ACCEPT, "application/json")
            .build()
            .map_err(|e| e.to_string())?;
        // What the path keeps across the send, as the client would.
        let kept: (Option<reqwest::Url>, Option<HeaderMap>) = match path {
            Path::RawCopy => (Some(request.url().clone()), Some(request.headers().clone())),
            Path::RawCopyUrl => (Some(request.url().clone()), None),
            Path::RawCopyHeaders => (None, Some(request.headers().clone())),
            _ => (None, None),
        };
        if path == Path::RawBookkeeping {
            let print = pinterest_v5::__url_hash(request.url().as_str().as_bytes());
            std::hint::black_box((Instant::now(), print, self.bearer.clone()));
        }
        let reply = http.execute(request).await.map_err(|e| e.to_string())?;
        std::hint::black_box(&kept);
        if !reply.status().is_success() {
            return Err(format!("status {}", reply.status()));
        }
        let body = reply.bytes().await.map_err(|e| e.to_string())?;
        serde_json::from_slice(&body).map_err(|e| e.to_string())
    }
}

/// One round: `total` requests by `concurrency` tasks. Returns (elapsed, every latency).
async fn round(
    callers: &Callers,
    path: Path,
    total: usize,
    concurrency: usize,
) -> Result<(Duration, Vec<Duration>), String> {
    let per_task = total / concurrency;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let callers = callers.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_task);
            for _ in 0..per_task {
                let t = Instant::now();
                let account = callers.call(path).await?;
                latencies.push(t.elapsed());
                if account.username.as_deref() != Some("example_user") {
                    return Err("the account did not decode".to_string());
                }
            }
            Ok::<_, String>(latencies)
        }));
    }
    let mut all = Vec::with_capacity(total);
    for task in tasks {
        all.extend(task.await.map_err(|e| e.to_string())??);
    }
    Ok((start.elapsed(), all))
}

struct Figures {
    rps: Vec<f64>,
    latencies: Vec<Duration>,
}

impl Figures {
    fn new() -> Self {
        Figures {
            rps: Vec::new(),
            latencies: Vec::new(),
        }
    }
}

/// `reqwest`'s builder as its defaults have it (retry layer included), with the TLS provider
/// the crate installs: the raw paths' transport. (The crate's `client::http_client_builder`
/// also turns the retry layer off: the `raw-no-retry` path.)
fn reqwest_defaults() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let measuring = common::measuring();
    let traced = std::env::args().any(|a| a == "--tracing");
    if traced {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(std::io::sink)
            .finish();
        tracing::subscriber::set_global_default(subscriber)?;
    }
    let paths: Vec<Path> = match std::env::args().any(|a| a == "--parts") {
        true => PATHS.into_iter().chain(PARTS).collect(),
        false => PATHS.to_vec(),
    };
    // The server runs on its own thread and runtime; the callers on a 2-worker runtime.
    let body = Bytes::from_static(common::ACCOUNT.as_bytes());
    let addr = common::serve_on_thread(Arc::new(move |_| common::Reply::ok(body.clone())))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let base = format!("http://{addr}/v5");
        let raw = reqwest_defaults().build()?;
        let client = || -> Result<_, pinterest_v5::Error> {
            Ok(Client::builder().environment(Environment::custom(&base)?))
        };
        let callers = Callers {
            client: client()?.access_token("t").build()?,
            client_raw_transport: client()?
                .access_token("t")
                .reqwest_client(raw.clone())
                .build()?,
            client_no_token: client()?.build()?,
            client_user_agent_string: client()?
                .access_token("t")
                .user_agent(format!("pinterest-v5-rust/{}", env!("CARGO_PKG_VERSION")))
                .build()?,
            raw,
            raw_timeouts: reqwest_defaults()
                .connect_timeout(Duration::from_secs(10))
                .timeout(Duration::from_secs(60))
                .pool_idle_timeout(Duration::from_secs(30))
                .build()?,
            raw_user_agent: reqwest_defaults()
                // Static, as the client's: a value parsed from text is shared, and every copy
                // of it (two per request) is an atomic count.
                .user_agent(HeaderValue::from_static(concat!(
                    "pinterest-v5-rust/",
                    env!("CARGO_PKG_VERSION")
                )))
                .build()?,
            raw_no_retry: pinterest_v5::client::http_client_builder().build()?,
            raw_again: reqwest_defaults().build()?,
            bearer: HeaderValue::from_static("Bearer t"),
            url: format!("{base}/user_account"),
        };
        if let Some((name, count)) = common::only() {
            let Some(path) = Path::named(&name) else {
                let names: Vec<_> = PATHS.into_iter().chain(PARTS).map(Path::name).collect();
                return Err(format!("--only {name}: one of {}", names.join(", ")).into());
            };
            for _ in 0..count {
                callers.call(path).await?;
            }
            println!("{count} requests through {name}, one at a time");
            return Ok(());
        }
        // Short rounds, many of them: a shared machine's speed swings within a fraction of a second
        // (rounds of 4 000 requests ranged from 0.71 to 1.38 in their client/raw ratio), and a
        // round of each path run back to back sees the same machine only if the rounds are
        // short. Per concurrency: (requests per round, rounds).
        let (plan, warmup): (&[(usize, usize, usize)], usize) = if measuring {
            (&[(1, 50, 800), (8, 400, 200), (64, 640, 200)], 2000)
        } else {
            (&[(1, 40, 1), (8, 40, 1), (64, 64, 1)], 10)
        };
        println!(
            "request overhead: GET /user_account ({} byte reply) on a loopback server; short rounds, the paths back to back in each, their order reversed every other round; {}",
            common::ACCOUNT.len(),
            match traced {
                true => "a tracing subscriber installed (fmt, DEBUG, to a sink)",
                false => "no tracing subscriber",
            }
        );
        let at = |path: Path| paths.iter().position(|p| *p == path).unwrap_or(0);
        for &(concurrency, total, rounds) in plan {
            for &path in &paths {
                round(&callers, path, warmup.max(concurrency), concurrency).await?;
            }
            let mut figures: Vec<Figures> = paths.iter().map(|_| Figures::new()).collect();
            // Per path, per round: its throughput over its baseline's in the same round.
            let mut ratios: Vec<Vec<f64>> = paths.iter().map(|_| Vec::new()).collect();
            for r in 0..rounds {
                // Alternate which path goes first.
                let mut order = paths.clone();
                if r % 2 == 1 {
                    order.reverse();
                }
                let mut rps_of = vec![0.0f64; paths.len()];
                for path in order {
                    let (elapsed, latencies) = round(&callers, path, total, concurrency).await?;
                    let rps = total as f64 / elapsed.as_secs_f64();
                    rps_of[at(path)] = rps;
                    figures[at(path)].rps.push(rps);
                    figures[at(path)].latencies.extend(latencies);
                }
                for (i, &path) in paths.iter().enumerate() {
                    ratios[i].push(rps_of[i] / rps_of[at(path.baseline())]);
                }
            }
            println!("  concurrency {concurrency}: {rounds} rounds of {total} requests per path");
            let mut medians = vec![0.0f64; paths.len()];
            for (i, &path) in paths.iter().enumerate() {
                let f = &mut figures[i];
                f.latencies.sort();
                medians[i] = common::median(&mut f.rps);
                println!(
                    "    {:<32} {:8.0} req/s (median of rounds)  p50 {:7.1} us  p99 {:7.1} us",
                    path.label(),
                    medians[i],
                    common::us(common::percentile(&f.latencies, 50.0)),
                    common::us(common::percentile(&f.latencies, 99.0)),
                );
            }
            for (i, &path) in paths.iter().enumerate() {
                let baseline = path.baseline();
                if path == baseline {
                    continue;
                }
                let (median, low, high) = common::median_with_interval(&mut ratios[i]);
                println!(
                    "    ratio {}/{} throughput: {median:.3} (median of per-round ratios, 95% interval {low:.3}-{high:.3}; min {:.3}, max {:.3}), {:.3} (ratio of medians){}",
                    path.name(),
                    baseline.name(),
                    ratios[i].first().copied().unwrap_or(0.0),
                    ratios[i].last().copied().unwrap_or(0.0),
                    medians[i] / medians[at(baseline)],
                    if path == Path::Client && !traced { "; target >= 0.97" } else { "" },
                );
            }
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    })
}
