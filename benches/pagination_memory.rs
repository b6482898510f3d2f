//! Pagination memory: 100 000 pins streamed through `client.pins_list().page_size(250).stream()`
//! from a loopback server serving 250-pin pages. A counting global allocator records the peak
//! heap above the level before the stream started; it is compared with one page's size (its
//! JSON, and the heap the decoded page holds).
//!
//! To show where the peak goes, the allocator also keeps the sizes of the large allocations
//! (32 KiB or more) live at the peak and before the stream: the body, the items' buffer and
//! hyper's connection read buffer are among them.
//!
//! The server runs in a child process (this same binary, started with
//! `PINTEREST_BENCH_SERVE=1`) so that only the client's memory is counted.
//!
//! `cargo bench --bench pagination_memory`

mod common;

use bytes::Bytes;
use futures::TryStreamExt;
use pinterest_v5::{Client, Environment, types};
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting the bytes live now and the most live at once.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Allocations at least this large are tracked one by one.
const LARGE: usize = 32 << 10;
/// How many large allocations can be tracked at once (more are counted, not tracked).
const SLOTS: usize = 32;

/// The large allocations live now (address, size; 0 = free slot) and their sizes at the peak.
static LARGE_NOW: [(AtomicUsize, AtomicUsize); SLOTS] =
    [const { (AtomicUsize::new(0), AtomicUsize::new(0)) }; SLOTS];
static LARGE_AT_PEAK: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];

fn track(ptr: *mut u8, size: usize) {
    if size < LARGE {
        return;
    }
    for (addr, len) in &LARGE_NOW {
        if addr
            .compare_exchange(0, ptr as usize, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
        {
            len.store(size, Ordering::Relaxed);
            return;
        }
    }
}

fn untrack(ptr: *mut u8) {
    for (addr, len) in &LARGE_NOW {
        if addr.load(Ordering::Relaxed) == ptr as usize {
            len.store(0, Ordering::Relaxed);
            addr.store(0, Ordering::Relaxed);
            return;
        }
    }
}

/// Adds `grow` bytes to the live count; a new peak records the large allocations live.
fn grew(grow: usize) {
    let now = LIVE.fetch_add(grow, Ordering::Relaxed) + grow;
    if PEAK.fetch_max(now, Ordering::Relaxed) < now {
        for ((_, len), at_peak) in LARGE_NOW.iter().zip(&LARGE_AT_PEAK) {
            at_peak.store(len.load(Ordering::Relaxed), Ordering::Relaxed);
        }
    }
}

/// The sizes of the large allocations live now (`at_peak: false`) or at the peak.
fn large(at_peak: bool) -> Vec<usize> {
    let mut sizes: Vec<usize> = if at_peak {
        LARGE_AT_PEAK
            .iter()
            .map(|s| s.load(Ordering::Relaxed))
            .collect()
    } else {
        LARGE_NOW
            .iter()
            .map(|(_, s)| s.load(Ordering::Relaxed))
            .collect()
    };
    sizes.retain(|&s| s > 0);
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            track(p, layout.size());
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is to the system allocator.
        untrack(ptr);
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is to the system allocator.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            track(p, layout.size());
            grew(layout.size());
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is to the system allocator.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            untrack(ptr);
            track(p, new_size);
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Resets the peak to the live level and returns that level.
fn reset_peak() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

const PAGE: usize = 250;
const ENV_SERVE: &str = "PINTEREST_BENCH_SERVE";

/// The child: serves `GET /pins` pages of 250 pins; `bookmark=pN` asks for page N; page
/// `pages - 1` is the last (`bookmark: null`). Prints its port, then serves until killed.
fn serve(pages: usize) -> Result<(), Box<dyn std::error::Error>> {
    let prefix = Bytes::from(format!(
        r#"{{"items":[{}],"bookmark":"#,
        common::pins_items(PAGE)
    ));
    let handler = move |request: &common::Request| {
        let n = request
            .target
            .split_once("bookmark=p")
            .and_then(|(_, rest)| rest.split('&').next()?.parse::<usize>().ok())
            .unwrap_or(0);
        let suffix = if n + 1 >= pages {
            "null}".to_string()
        } else {
            format!("\"p{}\"}}", n + 1)
        };
        common::Reply {
            status: 200,
            body: vec![prefix.clone(), Bytes::from(suffix)],
            delay: None,
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let addr = common::serve(Arc::new(handler)).await?;
        println!("{}", addr.port());
        std::future::pending::<()>().await;
        Ok::<_, Box<dyn std::error::Error>>(())
    })
}

/// Kills the server child when the bench ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let measuring = common::measuring();
    let total_pins: usize = if measuring { 100_000 } else { 2_000 };
    let pages = total_pins / PAGE;
    if std::env::var_os(ENV_SERVE).is_some() {
        return serve(pages);
    }
    let mut child = Server(
        Command::new(std::env::current_exe()?)
            .env(ENV_SERVE, "1")
            .args(std::env::args().skip(1))
            .stdout(Stdio::piped())
            .spawn()?,
    );
    let mut line = String::new();
    BufReader::new(
        child
            .0
            .stdout
            .take()
            .ok_or("the server child has no stdout")?,
    )
    .read_line(&mut line)?;
    let port: u16 = line
        .trim()
        .parse()
        .map_err(|_| format!("the server child printed {line:?}, not a port"))?;

    // One page's size: its JSON, and what the decoded page holds on the heap.
    let page_json = common::pins_page(PAGE, Some("p1"));
    let before = reset_peak();
    let decoded: types::PinsListResponse = serde_json::from_str(&page_json)?;
    let decoded_heap = LIVE.load(Ordering::Relaxed) - before;
    let decode_peak = PEAK.load(Ordering::Relaxed) - before;
    assert_eq!(decoded.items.len(), PAGE);
    drop(decoded);
    let json_len = page_json.len();
    drop(page_json);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (count, elapsed, requests, peak, one_page_peak, large_before) =
        runtime.block_on(async move {
            let client = Client::builder()
                .environment(Environment::custom(format!("http://127.0.0.1:{port}/v5"))?)
                .access_token("t")
                .build()?;
            // Warm the connection pool, so the peak is the stream's own.
            let first = client.pins_list().page_size(PAGE as u64).send().await?;
            assert_eq!(first.items.len(), PAGE);
            drop(first);
            // One page fetched alone, measured as the stream is below: what `send()` of one page
            // costs at its peak, the connection's read buffer included.
            let before_one = reset_peak();
            let one = client.pins_list().page_size(PAGE as u64).send().await?;
            let one_page_peak = PEAK.load(Ordering::Relaxed) - before_one;
            drop(one);
            let large_before = large(false);
            let baseline = reset_peak();
            let start = Instant::now();
            let mut stream = client.pins_list().page_size(PAGE as u64).stream();
            let mut count = 0usize;
            let mut id_bytes = 0usize;
            while let Some(pin) = stream.try_next().await? {
                count += 1;
                id_bytes += pin.id.len();
            }
            let elapsed = start.elapsed();
            let peak = PEAK.load(Ordering::Relaxed) - baseline;
            assert!(id_bytes > 0);
            Ok::<_, pinterest_v5::Error>((
                count,
                elapsed,
                stream.requests_sent(),
                peak,
                one_page_peak,
                large_before,
            ))
        })?;
    assert_eq!(count, total_pins, "every pin streamed once");
    assert_eq!(requests, pages, "one request per page");

    let kib = |b: usize| b as f64 / 1024.0;
    println!(
        "pagination memory: {count} pins in {requests} pages of {PAGE}, streamed in {:.2} s ({:.0} pins/s)",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64()
    );
    println!(
        "  one page: JSON {:.1} KiB; decoded types::PinsListResponse holds {:.1} KiB (peak while decoding from a buffer: {:.1} KiB)",
        kib(json_len),
        kib(decoded_heap),
        kib(decode_peak)
    );
    println!(
        "  (of which the items' Vec buffer: {PAGE} x {} bytes = {:.1} KiB)",
        std::mem::size_of::<types::Pin>(),
        kib(PAGE * std::mem::size_of::<types::Pin>())
    );
    let page = json_len.max(decoded_heap);
    println!(
        "  peak heap above the level before the stream: {:.1} KiB = {:.2}x the JSON, {:.2}x the decoded page; target < 2x one page ({})",
        kib(peak),
        peak as f64 / json_len as f64,
        peak as f64 / decoded_heap as f64,
        if peak < 2 * page { "met" } else { "MISSED" }
    );
    println!(
        "  allocations of 32 KiB or more, in bytes: live before the stream {:?}; at its peak {:?}",
        large_before,
        large(true)
    );
    println!(
        "  one page fetched alone (send()): peak heap above the level before it {:.1} KiB; the stream's peak is {:.2}x that",
        kib(one_page_peak),
        peak as f64 / one_page_peak as f64
    );
    Ok(())
}
