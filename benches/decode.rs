//! Decode: a 250-pin page (every field of the description's `Pin` schema) decoded into the
//! generated `types::PinsListResponse` vs. serde_json into a minimal hand-written struct with
//! the same fields; then the parts of a pin decoded one by one, to show where the generated
//! types spend.
//!
//! `cargo bench --bench decode`

mod common;

use pinterest_v5::types;
use serde::Deserialize;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The hand-written baseline: the same fields, plain types (strings for the date-time and the
/// enum, a struct for the image media).
#[derive(Deserialize)]
#[allow(dead_code)]
struct MinimalPage {
    items: Vec<MinimalPin>,
    bookmark: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct MinimalPin {
    id: String,
    created_at: Option<String>,
    link: Option<String>,
    title: Option<String>,
    description: Option<String>,
    dominant_color: Option<String>,
    alt_text: Option<String>,
    creative_type: Option<String>,
    board_id: Option<String>,
    board_section_id: Option<String>,
    board_owner: Option<MinimalOwner>,
    is_owner: Option<bool>,
    media: Option<MinimalMedia>,
    parent_pin_id: Option<String>,
    is_standard: Option<bool>,
    has_been_promoted: Option<bool>,
    pin_metrics: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct MinimalOwner {
    username: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct MinimalMedia {
    media_type: String,
    images: Option<MinimalImages>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct MinimalImages {
    #[serde(rename = "150x150")]
    x150: Option<MinimalImage>,
    #[serde(rename = "400x300")]
    x400: Option<MinimalImage>,
    #[serde(rename = "600x")]
    x600: Option<MinimalImage>,
    #[serde(rename = "1200x")]
    x1200: Option<MinimalImage>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct MinimalImage {
    width: Option<i64>,
    height: Option<i64>,
    url: String,
}

/// The generated pin with one change: `media` decoded straight into the image variant
/// (`types::PinMediaWithImage`) instead of through `types::PinMedia`'s `serde_json::Value`
/// detour. What a one-pass union decoder would reach.
#[derive(Deserialize)]
#[allow(dead_code)]
struct PinDirectMedia {
    alt_text: Option<String>,
    board_id: Option<String>,
    board_owner: Option<types::BoardOwner>,
    board_section_id: Option<String>,
    created_at: Option<pinterest_v5::DateTime>,
    creative_type: Option<types::CreativeType>,
    description: Option<String>,
    dominant_color: Option<String>,
    has_been_promoted: Option<bool>,
    id: String,
    is_owner: Option<bool>,
    is_standard: Option<bool>,
    link: Option<String>,
    media: Option<types::PinMediaWithImage>,
    parent_pin_id: Option<String>,
    pin_metrics: Option<serde_json::Map<String, serde_json::Value>>,
    title: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PageDirectMedia {
    items: Vec<PinDirectMedia>,
    bookmark: Option<String>,
}

/// Decodes `input` into `T` `iterations` times; returns the best and the median time of
/// `rounds` rounds, per decode.
fn time<T: for<'de> Deserialize<'de>>(
    input: &[u8],
    iterations: u32,
    rounds: u32,
) -> Result<(Duration, Duration), serde_json::Error> {
    let mut per_round = Vec::new();
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..iterations {
            let value: T = serde_json::from_slice(black_box(input))?;
            black_box(&value);
        }
        per_round.push(start.elapsed() / iterations);
    }
    per_round.sort();
    Ok((per_round[0], per_round[per_round.len() / 2]))
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / d.as_secs_f64() / 1e6
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let measuring = common::measuring();
    // Short rounds, many of them, the two back to back: a shared machine's speed swings within a
    // fraction of a second, and two rounds see the same machine only when both are short.
    let (iterations, rounds) = if measuring { (2, 400) } else { (1, 1) };
    let page = common::pins_page(250, Some("b2"));
    let bytes = page.as_bytes();

    // Both decode the same thing.
    let generated: types::PinsListResponse = serde_json::from_slice(bytes)?;
    let minimal: MinimalPage = serde_json::from_slice(bytes)?;
    assert_eq!(generated.items.len(), 250);
    assert_eq!(minimal.items.len(), 250);
    assert_eq!(generated.bookmark, minimal.bookmark);
    assert!(matches!(
        generated.items[0].media,
        Some(types::PinMedia::Image(_))
    ));
    assert!(minimal.items[0].media.as_ref().is_some_and(|m| {
        m.media_type == "image" && m.images.as_ref().is_some_and(|i| i.x1200.is_some())
    }));

    if let Some((name, count)) = common::only() {
        for _ in 0..count {
            match name.as_str() {
                "generated" => drop(black_box(
                    serde_json::from_slice::<types::PinsListResponse>(black_box(bytes))?,
                )),
                "minimal" => drop(black_box(serde_json::from_slice::<MinimalPage>(
                    black_box(bytes),
                )?)),
                other => return Err(format!("--only {other}: generated or minimal").into()),
            }
        }
        println!("{count} decodes of the page into {name}");
        return Ok(());
    }
    println!(
        "decode: one page of 250 pins, {} bytes ({:.1} KiB); {iterations} decodes x {rounds} rounds, alternating; best (median) per decode",
        bytes.len(),
        bytes.len() as f64 / 1024.0
    );
    let mut gen_best = Duration::MAX;
    let mut min_best = Duration::MAX;
    let mut ratios = Vec::new();
    let mut gen_medians = Vec::new();
    let mut min_medians = Vec::new();
    // Alternate the two, and which goes first, so that load from other processes hits both
    // alike.
    for round in 0..rounds {
        let (g, m) = if round % 2 == 0 {
            let g = time::<types::PinsListResponse>(bytes, iterations, 1)?.0;
            (g, time::<MinimalPage>(bytes, iterations, 1)?.0)
        } else {
            let m = time::<MinimalPage>(bytes, iterations, 1)?.0;
            (time::<types::PinsListResponse>(bytes, iterations, 1)?.0, m)
        };
        gen_best = gen_best.min(g);
        min_best = min_best.min(m);
        ratios.push(m.as_secs_f64() / g.as_secs_f64());
        gen_medians.push(g.as_secs_f64());
        min_medians.push(m.as_secs_f64());
    }
    let gen_median = Duration::from_secs_f64(common::median(&mut gen_medians));
    let min_median = Duration::from_secs_f64(common::median(&mut min_medians));
    println!(
        "  generated types::PinsListResponse  {:8.1} us  {:7.1} MB/s   (median {:8.1} us, {:7.1} MB/s)",
        common::us(gen_best),
        mb_per_s(bytes.len(), gen_best),
        common::us(gen_median),
        mb_per_s(bytes.len(), gen_median)
    );
    println!(
        "  hand-written minimal struct        {:8.1} us  {:7.1} MB/s   (median {:8.1} us, {:7.1} MB/s)",
        common::us(min_best),
        mb_per_s(bytes.len(), min_best),
        common::us(min_median),
        mb_per_s(bytes.len(), min_median)
    );
    let ratio_best = min_best.as_secs_f64() / gen_best.as_secs_f64();
    let (ratio_median, low, high) = common::median_with_interval(&mut ratios);
    println!(
        "  ratio generated/minimal throughput: {ratio_best:.3} (best of each), {ratio_median:.3} (median of per-round ratios, 95% interval {low:.3}-{high:.3}); target >= 0.95"
    );

    let (direct, _) = time::<PageDirectMedia>(bytes, iterations, rounds.min(7))?;
    println!(
        "  generated, but media decoded straight into PinMediaWithImage: {:8.1} us  {:7.1} MB/s  (ratio to minimal {:.3})",
        common::us(direct),
        mb_per_s(bytes.len(), direct),
        min_best.as_secs_f64() / direct.as_secs_f64()
    );

    // The parts: each field kind decoded alone, 250 values, generated type vs plain type.
    let pins: Vec<serde_json::Value> = (0..250)
        .map(|i| serde_json::from_str(&common::pin_json(i)))
        .collect::<Result<_, _>>()?;
    let field = |name: &str| -> Result<String, serde_json::Error> {
        let values: Vec<&serde_json::Value> = pins.iter().map(|p| &p[name]).collect();
        serde_json::to_string(&values)
    };
    let media = field("media")?;
    let created = field("created_at")?;
    let kinds = field("creative_type")?;
    let metrics = field("pin_metrics")?;
    let parts_iterations = iterations * 4;
    let parts_rounds = rounds.min(7);
    println!("decode, per part (250 values each; best per 250):");
    let part = |label: &str, d: Duration, input: &str, base: Option<Duration>| {
        let extra = base
            .map(|b| format!("  = {:.2}x plain", d.as_secs_f64() / b.as_secs_f64()))
            .unwrap_or_default();
        println!(
            "  {label:58} {:8.1} us  ({:5.0} ns/value, {:6.1} MB/s){extra}",
            common::us(d),
            d.as_secs_f64() * 1e9 / 250.0,
            mb_per_s(input.len(), d)
        );
    };
    let (m_plain, _) = time::<Vec<MinimalMedia>>(media.as_bytes(), parts_iterations, parts_rounds)?;
    let (m_variant, _) =
        time::<Vec<types::PinMediaWithImage>>(media.as_bytes(), parts_iterations, parts_rounds)?;
    let (m_union, _) =
        time::<Vec<types::PinMedia>>(media.as_bytes(), parts_iterations, parts_rounds)?;
    let (m_value, _) =
        time::<Vec<serde_json::Value>>(media.as_bytes(), parts_iterations, parts_rounds)?;
    part("media: minimal struct", m_plain, &media, None);
    part(
        "media: types::PinMediaWithImage (the variant, direct)",
        m_variant,
        &media,
        Some(m_plain),
    );
    part(
        "media: types::PinMedia (tag first: read straight into the variant)",
        m_union,
        &media,
        Some(m_plain),
    );
    part(
        "media: serde_json::Value alone",
        m_value,
        &media,
        Some(m_plain),
    );
    let (c_plain, _) = time::<Vec<String>>(created.as_bytes(), parts_iterations, parts_rounds)?;
    let (c_gen, _) =
        time::<Vec<pinterest_v5::DateTime>>(created.as_bytes(), parts_iterations, parts_rounds)?;
    part("created_at: String", c_plain, &created, None);
    part(
        "created_at: pinterest_v5::DateTime (no offset -> fallback)",
        c_gen,
        &created,
        Some(c_plain),
    );
    let with_offset = created.replace("\",", "Z\",").replace("\"]", "Z\"]");
    let (c_gen_z, _) = time::<Vec<pinterest_v5::DateTime>>(
        with_offset.as_bytes(),
        parts_iterations,
        parts_rounds,
    )?;
    let (c_chrono_z, _) = time::<Vec<chrono::DateTime<chrono::Utc>>>(
        with_offset.as_bytes(),
        parts_iterations,
        parts_rounds,
    )?;
    part(
        "created_at with offset: pinterest_v5::DateTime",
        c_gen_z,
        &with_offset,
        Some(c_plain),
    );
    part(
        "created_at with offset: chrono::DateTime<Utc>",
        c_chrono_z,
        &with_offset,
        Some(c_plain),
    );
    let (k_plain, _) = time::<Vec<String>>(kinds.as_bytes(), parts_iterations, parts_rounds)?;
    let (k_gen, _) =
        time::<Vec<types::CreativeType>>(kinds.as_bytes(), parts_iterations, parts_rounds)?;
    part("creative_type: String", k_plain, &kinds, None);
    part(
        "creative_type: types::CreativeType (tolerant enum)",
        k_gen,
        &kinds,
        Some(k_plain),
    );
    let (p_gen, _) = time::<Vec<serde_json::Map<String, serde_json::Value>>>(
        metrics.as_bytes(),
        parts_iterations,
        parts_rounds,
    )?;
    part(
        "pin_metrics: Map<String, Value> (same in both)",
        p_gen,
        &metrics,
        None,
    );
    Ok(())
}
