//! `gatewatch evaluate`: the detector's precision, recall and time-to-detect on the
//! generator's labelled scenarios (attacks for every rule, plus benign look-alikes), through
//! the real pipeline: generate → file → replay (scrub, parse, aggregate, detect) → SQLite.
//!
//! Scoring:
//! - An attack is detected when an alert of its rule overlaps its window (±5 min) on its
//!   subject. credential_stuffing names the network or route it saw, not the botnet's
//!   addresses, so for it an alert of the rule overlapping the window counts.
//! - An alert is a true positive when its subject is an attacker's (any rule: an enumerating
//!   key that also trips volume_spike is still an attacker), or, for network/route subjects,
//!   when it overlaps a labelled stuffing or scraping attack. Every other alert is a false
//!   positive. Precision is counted per rule family.
//! - A benign look-alike fails when any alert names its subject (or, for the outage, when an
//!   alert on a non-attacker starts inside the outage).

use anyhow::{Context, Result, bail};
use gatewatch_config::Config;
use gatewatch_core::{Alert, AlertKind, Rule, SubjectKind};
use gatewatch_ingest::replay::{Input, replay};
use gatewatch_ingest::{InputFormat, Progress};
use gatewatch_store::AlertFilter;
use gatewatch_store::Store;
use gatewatch_store::prelude::*;
use gatewatch_synth::{self as generate, AttackInfo, GenOptions};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

const SLACK_MS: i64 = 5 * 60_000;

#[derive(Default)]
struct RuleScore {
    attacks: u32,
    detected: u32,
    ttd_ms: Vec<i64>,
    alerts: u32,
}

#[derive(Default)]
struct FamilyScore {
    tp: u32,
    fp: u32,
}

fn overlaps(a: &Alert, l: &AttackInfo) -> bool {
    a.first_seen < l.end_ms + SLACK_MS && a.last_seen >= l.start_ms - SLACK_MS
}

fn group_subject(a: &Alert) -> bool {
    matches!(a.subject.kind, SubjectKind::Asn | SubjectKind::Route)
}

/// Runs the evaluation over `seeds` and prints the table. `check`: fail below the targets.
pub async fn run(base: &Config, seeds: &[u64], minutes: u32, clients: usize, check: bool) -> Result<()> {
    let geo = tokio::task::block_in_place(|| gatewatch_detect::geo::Geo::open(&base.geoip))
        .context("the evaluation needs the GeoIP databases")?;
    let geo = Arc::new(geo);
    let dir = tempfile::Builder::new().prefix("gatewatch-eval-").tempdir()?;
    let mut rules: BTreeMap<&'static str, RuleScore> = BTreeMap::new();
    let mut families: BTreeMap<AlertKind, FamilyScore> = BTreeMap::new();
    let mut benign_failures: Vec<String> = Vec::new();
    let mut false_positives: Vec<String> = Vec::new();
    let mut missed: Vec<String> = Vec::new();
    let mut all_ttd: Vec<i64> = Vec::new();
    for &seed in seeds {
        let opts = GenOptions { seed, minutes, clients, ..Default::default() };
        let path = dir.path().join(format!("seed-{seed}.ndjson"));
        {
            let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
            generate::write(&opts, generate::OutFormat::Ndjson, &mut w)?;
            w.flush()?;
        }
        let mut cfg = base.clone();
        cfg.db = format!("sqlite://{}", dir.path().join(format!("seed-{seed}.db")).display());
        cfg.scrub.key = "6576616c756174696f6e2d6b65792d6e6f742d612d7365637265742d3031323334".into();
        cfg.detect.denied_geo.deny = vec![generate::DENIED_COUNTRY.to_string()];
        let store = Store::open(&cfg.db).await?;
        let detector =
            gatewatch_detect::Detector::new(&cfg.detect, Some(geo.clone()), Vec::new(), Vec::new())?;
        replay(
            &store,
            Arc::new(
                cfg.settings()?.with_country_lookup(Some(gatewatch_detect::geo::Geo::country_lookup(&geo))),
            ),
            Input::File(path.clone()),
            InputFormat::Auto,
            None,
            Arc::new(Progress::default()),
            Some(Box::new(detector)),
        )
        .await?;
        let alerts = store.alerts(&AlertFilter { limit: 1_000_000, ..Default::default() }).await?;
        store.close().await;
        std::fs::remove_file(&path).ok();

        let plan = generate::attack_plan(&opts);
        let attacks: Vec<&AttackInfo> = plan.iter().filter(|l| !l.benign).collect();
        for l in &attacks {
            let Ok(rule) = l.name.parse::<Rule>() else { bail!("unknown rule in the plan: {}", l.name) };
            let score = rules.entry(rule.as_str()).or_default();
            score.attacks += 1;
            let hit = alerts
                .iter()
                .filter(|a| a.rule == rule && overlaps(a, l))
                .filter(|a| {
                    a.subject.to_string() == l.subject
                        || (rule == Rule::CredentialStuffing && group_subject(a))
                })
                .map(|a| a.detected_at)
                .min();
            if let Some(t) = hit {
                score.detected += 1;
                score.ttd_ms.push(t - l.start_ms);
                all_ttd.push(t - l.start_ms);
            } else {
                missed.push(format!("seed {seed}: {} {}", l.name, l.subject));
            }
        }
        for a in &alerts {
            rules.entry(a.rule.as_str()).or_default().alerts += 1;
            let on_attacker = attacks.iter().any(|l| {
                a.subject.to_string() == l.subject
                    || (group_subject(a)
                        && matches!(l.name, "credential_stuffing" | "distributed_scraping")
                        && overlaps(a, l))
            });
            let fam = families.entry(a.kind).or_default();
            if on_attacker {
                fam.tp += 1;
            } else {
                fam.fp += 1;
                false_positives.push(format!(
                    "seed {seed}: {} {} ({})",
                    a.rule,
                    a.subject,
                    a.evidence["summary"].as_str().unwrap_or("")
                ));
            }
            for b in plan.iter().filter(|l| l.benign) {
                let hit = if b.subject == "*" {
                    !on_attacker
                        && a.first_seen >= b.start_ms - 60_000
                        && a.first_seen < b.end_ms + 2 * 60_000
                } else {
                    a.subject.to_string() == b.subject
                };
                if hit {
                    benign_failures
                        .push(format!("seed {seed}: {} raised {} on {}", b.name, a.rule, a.subject));
                }
            }
        }
        eprintln!("seed {seed}: {} alerts", alerts.len());
    }

    println!(
        "{:<22} {:>7} {:>8} {:>7} {:>7} {:>14}",
        "rule", "attacks", "detected", "recall", "alerts", "median TTD"
    );
    let mut passed = true;
    for (rule, s) in &rules {
        let recall = if s.attacks == 0 { f64::NAN } else { f64::from(s.detected) / f64::from(s.attacks) };
        let mut t = s.ttd_ms.clone();
        t.sort_unstable();
        let median =
            t.get(t.len() / 2).map(|ms| format!("{:.1} min", *ms as f64 / 60_000.0)).unwrap_or("-".into());
        println!(
            "{rule:<22} {:>7} {:>8} {:>7.2} {:>7} {:>14}",
            s.attacks, s.detected, recall, s.alerts, median
        );
        if s.attacks > 0 && recall < 0.95 {
            passed = false;
        }
    }
    all_ttd.sort_unstable();
    let median = all_ttd.get(all_ttd.len() / 2).copied();
    println!(
        "median time-to-detect over all attacks: {}",
        median.map(|ms| format!("{:.1} min", ms as f64 / 60_000.0)).unwrap_or("-".into())
    );
    if median.is_none_or(|ms| ms > 2 * 60_000) {
        passed = false;
    }
    for m in &missed {
        println!("missed: {m}");
    }
    println!();
    println!("{:<18} {:>5} {:>5} {:>10}", "family", "TP", "FP", "precision");
    for (fam, s) in &families {
        let p = f64::from(s.tp) / f64::from((s.tp + s.fp).max(1));
        println!("{:<18} {:>5} {:>5} {:>10.2}", fam.as_str(), s.tp, s.fp, p);
        if p < 0.95 {
            passed = false;
        }
    }
    println!();
    if benign_failures.is_empty() {
        println!("benign look-alikes: no alerts");
    } else {
        passed = false;
        println!("benign look-alikes raised alerts:");
        for f in &benign_failures {
            println!("  {f}");
        }
    }
    if !false_positives.is_empty() {
        println!("false positives:");
        for f in false_positives.iter().take(30) {
            println!("  {f}");
        }
    }
    println!(
        "targets (recall ≥ 0.95 per rule, precision ≥ 0.95 per family, median TTD ≤ 2 min, no benign alerts): {}",
        if passed { "met" } else { "MISSED" }
    );
    if check && !passed {
        bail!("evaluation targets missed");
    }
    Ok(())
}
