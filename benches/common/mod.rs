//! What the benchmarks share: a tiny loopback HTTP/1.1 server, the fixtures (an account, a
//! page of pins built from the description's `Pin` schema), and figures (percentiles, MB/s).
//!
//! Every bench binary runs in two modes. `cargo bench --bench NAME` passes `--bench`: full
//! runs, figures printed. Without it (`cargo test --all-targets` runs bench binaries too) a
//! quick smoke run checks that the bench still works, with its assertions, in well under 2 s.

#![allow(dead_code)]

use bytes::Bytes;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Whether this run is a measurement (`cargo bench`) rather than a smoke run (`cargo test`).
pub fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// `--only NAME COUNT`: run one path of a bench COUNT times and nothing else, for an
/// instruction count that compares paths without timing noise:
///
/// ```text
/// cargo bench --bench NAME --no-run          # prints the binary's path
/// valgrind --tool=callgrind --callgrind-out-file=/dev/null BINARY --only PATH 2000
/// valgrind --tool=callgrind --callgrind-out-file=/dev/null BINARY --only PATH 0
/// ```
///
/// The difference of the two totals, divided by 2000, is the cost of one run of PATH.
pub fn only() -> Option<(String, usize)> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|a| a == "--only")?;
    let name = args.get(at + 1)?.clone();
    let count = args.get(at + 2).and_then(|c| c.parse().ok()).unwrap_or(1);
    Some((name, count))
}

/// The parts of a request the handlers look at.
pub struct Request {
    pub method: String,
    pub target: String,
    pub authorization: Option<String>,
    pub body: Vec<u8>,
}

/// A reply: status line and body, written with `content-length`, optionally after a delay
/// (to stand in for Pinterest's own latency).
pub struct Reply {
    pub status: u16,
    pub body: Vec<Bytes>,
    pub delay: Option<Duration>,
}

impl Reply {
    pub fn ok(body: Bytes) -> Reply {
        Reply {
            status: 200,
            body: vec![body],
            delay: None,
        }
    }

    pub fn status(status: u16, body: &'static str) -> Reply {
        Reply {
            status,
            body: vec![Bytes::from_static(body.as_bytes())],
            delay: None,
        }
    }
}

pub type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

/// Serves `handler` on a fresh loopback port, keep-alive, on the current runtime. The server
/// parses only what it needs: request line, `content-length`, `authorization`.
pub async fn serve(handler: Handler) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            tokio::spawn(connection(stream, handler.clone()));
        }
    });
    Ok(addr)
}

/// Runs `serve` on a runtime of its own, on its own thread, so the server never waits for the
/// client's runtime. Returns the address once it listens.
pub fn serve_on_thread(handler: Handler) -> std::io::Result<SocketAddr> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(r) => r,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        };
        runtime.block_on(async move {
            let addr = serve(handler).await;
            let failed = addr.is_err();
            let _ = tx.send(addr);
            if !failed {
                std::future::pending::<()>().await;
            }
        });
    });
    rx.recv()
        .map_err(|_| std::io::Error::other("the server thread stopped"))?
}

async fn connection(mut stream: TcpStream, handler: Handler) {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        // Read until a full head (and body) is buffered. The head is parsed once, in one pass:
        // the server shares the machine with the client it measures, so each byte a request
        // sends should cost the server as little as a real server's parser would.
        let (mut found, mut searched) = (None, 0);
        let (head_end, parsed) = loop {
            if found.is_none() {
                found = head_end(&buf, searched);
                searched = buf.len().saturating_sub(3);
            }
            if let Some(end) = found {
                let parsed = parse_head(&buf[..end]);
                if buf.len() >= end + 4 + parsed.content_length {
                    break (end, parsed);
                }
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let body_start = head_end + 4;
        let content_length = parsed.content_length;
        let request = Request {
            method: text(parsed.method),
            target: text(parsed.target),
            authorization: parsed.authorization.map(text),
            body: buf[body_start..body_start + content_length].to_vec(),
        };
        buf.drain(..body_start + content_length);
        let reply = handler(&request);
        if let Some(delay) = reply.delay {
            tokio::time::sleep(delay).await;
        }
        let length: usize = reply.body.iter().map(Bytes::len).sum();
        let head = format!(
            "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\r\n",
            reply.status,
            if reply.status == 200 { "OK" } else { "Error" }
        );
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for part in &reply.body {
            if stream.write_all(part).await.is_err() {
                return;
            }
        }
    }
}

/// Where the head's closing `\r\n\r\n` starts, looking at what was not searched before.
fn head_end(buf: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(buf.get(from..)?, b"\r\n\r\n").map(|at| from + at)
}

/// What the servers read of a request head.
struct Head<'a> {
    method: &'a [u8],
    target: &'a [u8],
    content_length: usize,
    authorization: Option<&'a [u8]>,
}

/// Reads the request line, then each header line once, comparing names only.
fn parse_head(head: &[u8]) -> Head<'_> {
    let mut rest = head;
    let mut lines = std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, after) = match memchr::memchr(b'\n', rest) {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = after;
        Some(line)
    });
    let mut request_line = lines.next().unwrap_or_default().split(|&b| b == b' ');
    let mut parsed = Head {
        method: request_line.next().unwrap_or_default(),
        target: request_line.next().unwrap_or_default(),
        content_length: 0,
        authorization: None,
    };
    for line in lines {
        let Some(colon) = memchr::memchr(b':', line) else {
            continue;
        };
        let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        if name.eq_ignore_ascii_case(b"content-length") {
            parsed.content_length = std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
        } else if name.eq_ignore_ascii_case(b"authorization") {
            parsed.authorization = Some(value);
        }
    }
    parsed
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A boxed future, for handlers of the in-process servers.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// `GET /user_account`'s reply: every field of the `Account` schema.
pub const ACCOUNT: &str = r#"{"account_type":"BUSINESS","id":"549755885175","profile_image":"https://i.pinimg.com/280x280_RS/5a/2c/6b/5a2c6b0f2f0e6d4b7c8e9a1b2c3d4e5f.jpg","website_url":"https://www.example.com","username":"example_user","about":"Recipes, home, garden and travel ideas from our team.","business_name":"Example Kitchen","board_count":42,"pin_count":1337,"follower_count":20580,"following_count":312,"monthly_views":1250000}"#;

/// One pin as `GET /pins` sends it, with every field of the description's `Pin` schema (media
/// with the four image sizes, pin metrics as in the description's example), varied by `i`.
pub fn pin_json(i: usize) -> String {
    let id = 813_744_226_420_000_000u64 + i as u64;
    let board = 549_755_885_175u64 + (i % 7) as u64;
    let colors = ["#6E7874", "#E3D5C1", "#1F2A3C", "#B04A3A"];
    let kinds = ["REGULAR", "REGULAR", "IDEA", "SHOPPING"];
    let image = |w: u32, h: u32, name: &str| {
        format!(
            r#"{{"width":{w},"height":{h},"url":"https://i.pinimg.com/{name}/d5/3b/01/d53b014d86a6b6761bf649a0ed813c2b.jpg"}}"#
        )
    };
    format!(
        concat!(
            r#"{{"id":"{id}","created_at":"2024-0{m}-1{d}T0{h}:2{d}:3{d}","link":"https://www.example.com/recipes/{i}/lemon-ricotta-pancakes","#,
            r#""title":"Lemon ricotta pancakes #{i}","description":"Fluffy lemon ricotta pancakes with blueberries, ready in 20 minutes. Save for your next brunch.","#,
            r#""dominant_color":"{color}","alt_text":"A stack of pancakes with blueberries on a white plate","creative_type":"{kind}","#,
            r#""board_id":"{board}","board_section_id":null,"board_owner":{{"username":"example_user"}},"is_owner":true,"#,
            r#""media":{{"media_type":"image","images":{{"150x150":{i150},"400x300":{i400},"600x":{i600},"1200x":{i1200}}}}},"#,
            r#""parent_pin_id":null,"is_standard":true,"has_been_promoted":false,"note":"","#,
            r#""pin_metrics":{{"90d":{{"pin_click":{a},"impression":{b},"clickthrough":{c}}},"lifetime_metrics":{{"pin_click":{a},"impression":{b},"clickthrough":{c},"reaction":10,"comment":2}}}}}}"#
        ),
        id = id,
        i = i,
        m = 1 + i % 9,
        d = i % 10,
        h = i % 10,
        color = colors[i % colors.len()],
        kind = kinds[i % kinds.len()],
        board = board,
        i150 = image(150, 150, "150x150_RS"),
        i400 = image(400, 300, "400x300"),
        i600 = image(600, 900, "600x"),
        i1200 = image(1200, 1800, "1200x"),
        a = 7 + i % 13,
        b = 200 + i,
        c = 3 + i % 5,
    )
}

/// The items of a page of `n` pins, comma-joined (`[` and `]` not included).
pub fn pins_items(n: usize) -> String {
    (0..n).map(pin_json).collect::<Vec<_>>().join(",")
}

/// A whole `GET /pins` reply of `n` pins.
pub fn pins_page(n: usize, bookmark: Option<&str>) -> String {
    let bookmark = match bookmark {
        Some(b) => format!("\"{b}\""),
        None => "null".into(),
    };
    format!(r#"{{"items":[{}],"bookmark":{bookmark}}}"#, pins_items(n))
}

/// The `p`-th percentile (0..=100) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// The median of some figures.
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The median and a 95 % confidence interval for it, from order statistics (no assumption
/// about the distribution): the values at ranks ⌊n/2 − 0.98·√n⌋ and ⌈1 + n/2 + 0.98·√n⌉
/// (counted from 1) of the sorted values; for 21 values, the 6th and the 16th (97 %).
pub fn median_with_interval(values: &mut [f64]) -> (f64, f64, f64) {
    let median = median(values);
    let n = values.len();
    if n == 0 {
        return (0.0, 0.0, 0.0);
    }
    let half_width = 0.98 * (n as f64).sqrt();
    let low = ((n as f64 / 2.0 - half_width).floor().max(1.0)) as usize - 1;
    let high = ((n as f64 / 2.0 + half_width).ceil() as usize).min(n - 1);
    (median, values[low], values[high])
}

/// Microseconds, for printing.
pub fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
