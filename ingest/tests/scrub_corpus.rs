//! Recall and precision of the scrubber on the project's labelled corpus
//! (`tests/data/scrub_corpus.jsonl`, written by `tests/data/gen_scrub_corpus.py`).
//! Each line lists secrets that must vanish and non-sensitive tokens that must survive byte for
//! byte. Prints a per-kind table (`cargo test -p gatewatch-ingest --test scrub_corpus -- --nocapture`).

use gatewatch_ingest::config::ScrubConfig;
use gatewatch_ingest::scrub::Scrubber;
use std::collections::BTreeMap;

#[test]
fn corpus_recall_and_precision() {
    let scrubber = Scrubber::with_key(&ScrubConfig::default(), vec![42u8; 32]).unwrap();
    let corpus = include_str!("data/scrub_corpus.jsonl");
    let mut per_kind: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let (mut kept, mut keeps) = (0u32, 0u32);
    let mut misses = Vec::new();
    let mut damaged = Vec::new();
    let mut flooded = Vec::new();
    for (n, line) in corpus.lines().enumerate() {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let input = case["line"].as_str().unwrap();
        let out = scrubber.scrub_line(input);
        assert_eq!(out.lines().count(), 1, "line {}: output must stay one line", n + 1);
        // The flood budgets (ARCHITECTURE.md, invariant 5) are for crafted text only.
        if out.contains("[REDACTED:flood:") {
            flooded.push(format!("line {}: {out}", n + 1));
        }
        for s in case["secrets"].as_array().unwrap() {
            let kind = s["kind"].as_str().unwrap().to_string();
            let value = s["value"].as_str().unwrap();
            let e = per_kind.entry(kind.clone()).or_default();
            e.1 += 1;
            if out.contains(value) {
                misses.push(format!("{kind} line {}: `{value}` in {out}", n + 1));
            } else {
                e.0 += 1;
            }
        }
        for k in case["keep"].as_array().unwrap() {
            let k = k.as_str().unwrap();
            keeps += 1;
            if out.contains(k) {
                kept += 1;
            } else {
                damaged.push(format!("line {}: `{k}` lost in {out}", n + 1));
            }
        }
    }
    let (mut caught, mut total) = (0, 0);
    println!("{:<16} {:>7} {:>7} {:>8}", "kind", "caught", "total", "recall");
    for (kind, (c, t)) in &per_kind {
        println!("{kind:<16} {c:>7} {t:>7} {:>7.2}%", 100.0 * *c as f64 / *t as f64);
        caught += c;
        total += t;
    }
    let recall = 100.0 * caught as f64 / total as f64;
    let precision = 100.0 * kept as f64 / keeps as f64;
    println!("{:<16} {caught:>7} {total:>7} {recall:>7.2}%", "all secrets");
    println!("{:<16} {kept:>7} {keeps:>7} {precision:>7.2}%", "kept unchanged");
    for m in misses.iter().take(15) {
        println!("MISS {m}");
    }
    for d in damaged.iter().take(15) {
        println!("DAMAGED {d}");
    }
    for f in flooded.iter().take(5) {
        println!("FLOODED {f}");
    }
    // The flood budgets (ARCHITECTURE.md, invariant 5) are for crafted text only.
    assert!(flooded.is_empty(), "{} ordinary lines flooded", flooded.len());
    assert!(recall >= 99.5, "recall {recall:.2}% < 99.5% ({} misses)", misses.len());
    assert!(precision >= 99.5, "unchanged {precision:.2}% < 99.5% ({} damaged)", damaged.len());
}
