//! `gatewatch bench --adversarial` (also `cargo run --release -p gatewatch-ingest
//! --no-default-features --example scrub_adversarial`, which builds without the AWS SDK): the
//! scrubber's cost per byte on lines an outside caller
//! controls, against a benign line of the same length. Every trigger literal (the detectors',
//! the vendor catalogue's keywords, and the structural bytes such as `=` or `%3D`) is repeated
//! to fill a User-Agent of 8 KB, 64 KB and 1 MB inside an otherwise ordinary access-log line.
//! The target is that the worst literal costs at most 5x the benign line per byte, at every size.

use super::{Scrubber, trigger_literals};
use std::time::{Duration, Instant};

/// An access-log line whose User-Agent is `agent`.
fn line(agent: &str) -> String {
    let agent = serde_json::to_string(agent).expect("string");
    format!(
        r#"{{"requestId":"c0a8f1e2-7b3d-4e5f-9a1b-2c3d4e5f6a7b","ip":"203.0.113.9","requestTime":"24/Nov/2026:14:40:53 +0000","httpMethod":"GET","resourcePath":"/orders/{{id}}","status":"200","protocol":"HTTP/1.1","responseLength":"512","userAgent":{agent}}}"#
    )
}

/// `unit` repeated to `len` bytes (cut on a character boundary).
fn fill(unit: &str, len: usize) -> String {
    let mut s = unit.repeat(len / unit.len().max(1) + 1);
    let mut end = len.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s
}

/// Seconds per byte of scrubbing `text`, the best of a few timed rounds of at least `budget`.
fn per_byte(s: &Scrubber, text: &str, budget: Duration) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let t = Instant::now();
        let mut n = 0u64;
        while n == 0 || t.elapsed() < budget {
            std::hint::black_box(s.scrub_line(std::hint::black_box(text)));
            n += 1;
        }
        best = best.min(t.elapsed().as_secs_f64() / (n as f64 * text.len() as f64));
    }
    best
}

/// Prints one line per size and a verdict; returns the worst literal's cost relative to the
/// benign line (the target is at most 5).
pub fn run(sizes: &[usize]) -> Result<f64, String> {
    let scrubber = Scrubber::with_key(&Default::default(), vec![9u8; 32])?;
    let literals = trigger_literals();
    let benign_ua =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 ";
    println!(
        "scrubber cost per byte on crafted User-Agents ({} trigger literals), one thread",
        literals.len()
    );
    let mut worst_overall = 0.0f64;
    for &size in sizes {
        let budget = Duration::from_millis(if size >= 1 << 20 { 1 } else { 20 });
        let benign = per_byte(&scrubber, &line(&fill(benign_ua, size)), Duration::from_millis(200));
        let mut costs: Vec<(f64, &str)> = literals
            .iter()
            .map(|lit| (per_byte(&scrubber, &line(&fill(lit, size)), budget) / benign, lit.as_str()))
            .collect();
        costs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let worst = costs.first().map_or(0.0, |c| c.0);
        worst_overall = worst_overall.max(worst);
        let median = costs.get(costs.len() / 2).map_or(0.0, |c| c.0);
        let over = costs.iter().filter(|c| c.0 > 5.0).count();
        println!(
            "{:>8} B  benign {:>7.1} MB/s  worst {:>5.2}x  median {:>5.2}x  over 5x: {over}  worst five: {}",
            size,
            1e-6 / benign,
            worst,
            median,
            costs.iter().take(5).map(|(r, l)| format!("{l:?} {r:.2}x")).collect::<Vec<_>>().join(", ")
        );
    }
    println!(
        "worst literal: {worst_overall:.2}x the benign line per byte (target: at most 5x) — {}",
        if worst_overall <= 5.0 { "met" } else { "MISSED" }
    );
    Ok(worst_overall)
}
