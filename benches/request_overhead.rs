//! Request overhead: `GET /user_account` on a loopback server, through the full client (auth
//! middleware, rate-limit bookkeeping, retry policy, status-keeping decode) vs. raw `reqwest` +
//! `serde_json` into the same generated `types::Account`, on the same server in the same run.
//! Rounds alternate between the paths so that load from other processes hits them alike.
//!
//! Two more paths separate what the client's layers cost from what its transport settings
//! cost: the full client over a `reqwest` client built exactly as the raw path's, given with
//! `ClientBuilder::reqwest_client`, and raw `reqwest` with a 60 s total timeout (what
//! `ClientBuilder::timeout` would cost; the client sets none by default).
//!
//! `cargo bench --bench request_overhead`

mod common;

use bytes::Bytes;
use pinterest_v5::{Client, Environment, types};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq)]
#[repr(usize)]
enum Path {
    Client,
    /// The full client over the raw path's `reqwest` client.
    ClientRawTransport,
    Raw,
    /// Raw, through a `reqwest` client with the crate's default connect timeout and idle
    /// time (10 s, 30 s) and a 60 s total timeout: what a timer armed per request costs.
    RawTimeouts,
}

/// Every path, in the order of the even rounds (odd rounds run them in reverse).
const PATHS: [Path; 4] = [
    Path::Client,
    Path::ClientRawTransport,
    Path::Raw,
    Path::RawTimeouts,
];

impl Path {
    fn label(self) -> &'static str {
        match self {
            Path::Client => "full client",
            Path::ClientRawTransport => "full client over raw's transport",
            Path::Raw => "raw reqwest",
            Path::RawTimeouts => "raw reqwest, 60 s total timeout",
        }
    }
}

#[derive(Clone)]
struct Callers {
    client: Client,
    client_raw_transport: Client,
    raw: reqwest::Client,
    raw_timeouts: reqwest::Client,
    url: String,
}

impl Callers {
    async fn call(&self, path: Path) -> Result<types::Account, String> {
        match path {
            Path::Client | Path::ClientRawTransport => Ok(match path {
                Path::Client => &self.client,
                _ => &self.client_raw_transport,
            }
            .user_account_get()
            .send()
            .await
            .map_err(|e| pinterest_v5::Error::from(e).to_string())?
            .into_inner()),
            Path::Raw | Path::RawTimeouts => {
                let http = match path {
                    Path::Raw => &self.raw,
                    _ => &self.raw_timeouts,
                };
                let reply = http
                    .get(&self.url)
                    .header(reqwest::header::AUTHORIZATION, "Bearer t")
                    .header(reqwest::header::ACCEPT, "application/json")
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if !reply.status().is_success() {
                    return Err(format!("status {}", reply.status()));
                }
                let body = reply.bytes().await.map_err(|e| e.to_string())?;
                serde_json::from_slice(&body).map_err(|e| e.to_string())
            }
        }
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let measuring = common::measuring();
    // The server runs on its own thread and runtime; the callers on a 2-worker runtime.
    let body = Bytes::from_static(common::ACCOUNT.as_bytes());
    let addr = common::serve_on_thread(Arc::new(move |_| common::Reply::ok(body.clone())))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let base = format!("http://{addr}/v5");
        let raw = pinterest_v5::client::http_client_builder().build()?;
        let callers = Callers {
            client: Client::builder()
                .environment(Environment::custom(&base)?)
                .access_token("t")
                .build()?,
            client_raw_transport: Client::builder()
                .environment(Environment::custom(&base)?)
                .access_token("t")
                .reqwest_client(raw.clone())
                .build()?,
            raw,
            raw_timeouts: pinterest_v5::client::http_client_builder()
                .connect_timeout(Duration::from_secs(10))
                .timeout(Duration::from_secs(60))
                .pool_idle_timeout(Duration::from_secs(30))
                .build()?,
            url: format!("{base}/user_account"),
        };
        if let Some((name, count)) = common::only() {
            let path = match name.as_str() {
                "client" => Path::Client,
                "client-raw-transport" => Path::ClientRawTransport,
                "raw" => Path::Raw,
                "raw-timeouts" => Path::RawTimeouts,
                other => {
                    return Err(format!(
                        "--only {other}: client, client-raw-transport, raw or raw-timeouts"
                    )
                    .into());
                }
            };
            for _ in 0..count {
                callers.call(path).await?;
            }
            println!("{count} requests through {name}, one at a time");
            return Ok(());
        }
        // Short rounds, many of them: this machine's speed swings within a fraction of a second
        // (rounds of 4 000 requests ranged from 0.71 to 1.38 in their client/raw ratio), and a
        // round of each path run back to back sees the same machine only if the rounds are
        // short. Per concurrency: (requests per round, rounds).
        let (plan, warmup): (&[(usize, usize, usize)], usize) = if measuring {
            (&[(1, 50, 800), (8, 400, 200), (64, 640, 200)], 2000)
        } else {
            (&[(1, 40, 1), (8, 40, 1), (64, 64, 1)], 10)
        };
        println!(
            "request overhead: GET /user_account ({} byte reply) on a loopback server; short rounds, the paths back to back in each, their order reversed every other round",
            common::ACCOUNT.len()
        );
        for &(concurrency, total, rounds) in plan {
            for path in PATHS {
                round(&callers, path, warmup.max(concurrency), concurrency).await?;
            }
            let mut figures: Vec<Figures> = PATHS.iter().map(|_| Figures::new()).collect();
            // Per round: the client's throughput over raw's, by default and over raw's transport.
            let mut ratios = Vec::new();
            let mut ratios_raw_transport = Vec::new();
            for r in 0..rounds {
                // Alternate which path goes first.
                let mut order = PATHS;
                if r % 2 == 1 {
                    order.reverse();
                }
                let mut rps_of = [0.0f64; PATHS.len()];
                for path in order {
                    let (elapsed, latencies) = round(&callers, path, total, concurrency).await?;
                    let rps = total as f64 / elapsed.as_secs_f64();
                    let at = path as usize;
                    rps_of[at] = rps;
                    figures[at].rps.push(rps);
                    figures[at].latencies.extend(latencies);
                }
                let raw = rps_of[Path::Raw as usize];
                ratios.push(rps_of[Path::Client as usize] / raw);
                ratios_raw_transport.push(rps_of[Path::ClientRawTransport as usize] / raw);
            }
            println!("  concurrency {concurrency}: {rounds} rounds of {total} requests per path");
            let mut medians = [0.0f64; PATHS.len()];
            for path in PATHS {
                let f = &mut figures[path as usize];
                f.latencies.sort();
                medians[path as usize] = common::median(&mut f.rps);
                println!(
                    "    {:<32} {:8.0} req/s (median of rounds)  p50 {:7.1} us  p99 {:7.1} us",
                    path.label(),
                    medians[path as usize],
                    common::us(common::percentile(&f.latencies, 50.0)),
                    common::us(common::percentile(&f.latencies, 99.0)),
                );
            }
            let raw_rps = medians[Path::Raw as usize];
            for (label, ratios, path) in [
                ("client/raw", &mut ratios, Path::Client),
                (
                    "client over raw's transport/raw",
                    &mut ratios_raw_transport,
                    Path::ClientRawTransport,
                ),
            ] {
                let (median, low, high) = common::median_with_interval(ratios);
                println!(
                    "    ratio {label} throughput: {median:.3} (median of per-round ratios, 95% interval {low:.3}-{high:.3}; min {:.3}, max {:.3}), {:.3} (ratio of medians); target >= 0.97",
                    ratios.first().copied().unwrap_or(0.0),
                    ratios.last().copied().unwrap_or(0.0),
                    medians[path as usize] / raw_rps
                );
            }
            println!(
                "    ratio client/(raw reqwest with a 60 s total timeout): {:.3} (ratio of medians)",
                medians[Path::Client as usize] / medians[Path::RawTimeouts as usize]
            );
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    })
}
