//! Recall and precision of the scrubber on a labelled corpus written from the formats' public
//! documentation by someone who had not read the scrubber (`tests/data/heldout/`, with its
//! generator and its sources). Secrets are exact substrings that must vanish; `keep` values
//! must survive byte for byte; JSON lines must stay JSON. Prints a table per layout and kind:
//! `cargo test -p gatewatch-ingest --test scrub_heldout -- --nocapture`.

use gatewatch_ingest::config::ScrubConfig;
use gatewatch_ingest::scrub::Scrubber;
use std::collections::BTreeMap;

const RECALL_FLOOR: f64 = 99.5;
const KEPT_FLOOR: f64 = 99.9;
const SECOND_RECALL_FLOOR: f64 = 98.5;
const SECOND_KEPT_FLOOR: f64 = 99.7;
const THIRD_RECALL_FLOOR: f64 = 97.0;
const THIRD_KEPT_FLOOR: f64 = 99.8;
const FOURTH_RECALL_FLOOR: f64 = 92.0;
const FOURTH_KEPT_FLOOR: f64 = 98.8;
const FIFTH_RECALL_FLOOR: f64 = 95.0;
const FIFTH_KEPT_FLOOR: f64 = 97.8;
const SIXTH_RECALL_FLOOR: f64 = 98.5;
const SIXTH_KEPT_FLOOR: f64 = 99.7;
const SEVENTH_RECALL_FLOOR: f64 = 94.5;
const SEVENTH_KEPT_FLOOR: f64 = 99.6;
const EIGHTH_RECALL_FLOOR: f64 = 97.0;
const EIGHTH_KEPT_FLOOR: f64 = 99.3;
const NINTH_RECALL_FLOOR: f64 = 99.3;
const NINTH_KEPT_FLOOR: f64 = 99.2;
const TENTH_RECALL_FLOOR: f64 = 85.5;
const TENTH_KEPT_FLOOR: f64 = 98.5;

#[derive(Default)]
struct Tally {
    caught: u32,
    total: u32,
}

#[test]
fn heldout_recall_precision_and_json() {
    score(include_str!("data/heldout/heldout.jsonl"), RECALL_FLOOR, KEPT_FLOOR);
}

/// A second corpus by another author, in other layouts (Lambda function logs, WAF records, ALB
/// and CSV access logs) and with kinds the scrubber had no detector for (dates of birth, street
/// addresses). Scored as it came: 82.83 % recall, 99.84 % unchanged (README, "Scrubber quality").
#[test]
fn second_heldout_recall_precision_and_json() {
    score(include_str!("data/heldout2/heldout2.jsonl"), SECOND_RECALL_FLOOR, SECOND_KEPT_FLOOR);
}

/// A third corpus by a third author (CSV, XML, ALB and CloudFront layouts; OAuth, SAML, Digest
/// and 114 vendors). Scored as it came: 89.18 % recall, 99.21 % unchanged (README, "Scrubber
/// quality").
#[test]
fn third_heldout_recall_precision_and_json() {
    score(include_str!("data/heldout3/heldout3.jsonl"), THIRD_RECALL_FLOOR, THIRD_KEPT_FLOOR);
}

/// A fourth corpus by a fourth author, in the formats around an API rather than API Gateway's own
/// (HTTP API v2, WebSocket, authorizers, Envoy, Kong, ingress-nginx, Spring, ASP.NET Core, web
/// frameworks, OpenTelemetry, RFC 5424, GraphQL, gRPC, flattened traces, config dumps). Scored
/// as it came: 87.87 % recall, 95.28 % unchanged, every JSON line still JSON (README, "Scrubber
/// quality").
#[test]
fn fourth_heldout_recall_precision_and_json() {
    score(include_str!("data/heldout4/heldout4.jsonl"), FOURTH_RECALL_FLOOR, FOURTH_KEPT_FLOOR);
}

/// A fifth corpus by a fifth author, in formats none of the others used (Apache and ModSecurity,
/// HAProxy, Traefik, Caddy, CDN edges, Azure, Google Cloud, Kubernetes audit, CI jobs, webhooks,
/// database logs, stack traces, mobile backends, logfmt, RFC 3164, Windows events, prose in nine
/// languages). Scored as it came: 84.29 % recall, 95.30 % unchanged, every JSON line still JSON
/// (README, "Scrubber quality").
#[test]
fn fifth_heldout_recall_precision_and_json() {
    score(include_str!("data/heldout5/heldout5.jsonl"), FIFTH_RECALL_FLOOR, FIFTH_KEPT_FLOOR);
}

/// The sixth, again by an author who had read neither the code nor the other corpora: API
/// Gateway's own output in the shapes users configure (REST and HTTP API access logs in JSON,
/// CLF, CSV, XML and key=value; execution logs; CloudWatch Logs subscription and Firehose
/// envelopes; Lambda proxy events; WebSocket and authorizer logs; backend text). Scored as it
/// came: 94.14 % recall, 99.68 % unchanged, every JSON line still JSON (README, "Scrubber
/// quality").
#[test]
fn sixth_heldout_recall_precision_and_json() {
    score(include_str!("data/heldout6/heldout6.jsonl"), SIXTH_RECALL_FLOOR, SIXTH_KEPT_FLOOR);
}

/// The seventh, by yet another author who had read neither the code nor the other corpora: API
/// Gateway access and execution logs again, with the services around them (Lambda functions in
/// five languages, ALB, CloudFront, WAF, Cognito triggers, AppSync, S3 exports, Firehose HTTP
/// delivery). Scored as it came: 91.55 % recall, 98.97 % unchanged, every JSON line still JSON.
#[test]
fn seventh_heldout_recall_precision_and_json() {
    score(include_str!("data/heldout7/heldout7.jsonl"), SEVENTH_RECALL_FLOOR, SEVENTH_KEPT_FLOOR);
}

/// The eighth, by an eighth author who had read neither the code nor the other corpora: API
/// Gateway access logs in five custom formats, execution logs, subscription, Kinesis and
/// Firehose envelopes, Lambda proxy events (v1 and v2, base64 bodies), backend and authorizer
/// logs, outbound vendor calls and configuration dumps, across healthcare, finance, travel,
/// retail and HR data, with 97 vendors. Scored as it came: 88.93 % recall, 96.81 % unchanged,
/// every JSON line still JSON.
#[test]
fn eighth_heldout_recall_precision_and_json() {
    score(include_str!("data/heldout8/heldout8.jsonl"), EIGHTH_RECALL_FLOOR, EIGHTH_KEPT_FLOOR);
}

/// The ninth, by a ninth author who had read neither the code nor the other corpora: AWS edge
/// logs other than API Gateway access logs (WAF full logs with header name/value lists, ALB,
/// CloudFront standard and real-time logs, WebSocket API access and execution logs, REST
/// execution logs with full request and response data, AppSync, Cognito triggers, Lambda
/// authorizers, EventBridge and Step Functions events, CloudTrail), with 90 vendors. Scored as
/// it came: 97.28 % recall, 97.50 % unchanged, every JSON line still JSON.
#[test]
fn ninth_heldout_recall_precision_and_json() {
    score(include_str!("data/heldout9/heldout9.jsonl"), NINTH_RECALL_FLOOR, NINTH_KEPT_FLOOR);
}

/// The tenth, by a tenth author who had read neither the code nor the other corpora: HTTP
/// traffic as debugging and client tools capture it (HAR entries, curl -v and --trace-ascii,
/// HTTPie, wget, Postman and Insomnia, mitmproxy, Charles and Fiddler, the debug loggers of
/// Python, OkHttp, Apache HttpClient, Go, .NET, axios and the AWS SDKs, Envoy and Nginx, API
/// Gateway's test invoke), with 98 vendors. Scored as it came: 82.89 % recall (93.8 % without
/// the `curl --trace-ascii` layout, whose secrets are cut across hex-dump rows), 98.58 %
/// unchanged, every JSON line still JSON.
#[test]
fn tenth_heldout_recall_precision_and_json() {
    score(include_str!("data/heldout10/heldout10.jsonl"), TENTH_RECALL_FLOOR, TENTH_KEPT_FLOOR);
}

fn score(corpus: &str, recall_floor: f64, kept_floor: f64) {
    let scrubber = Scrubber::with_key(&ScrubConfig::default(), vec![42u8; 32]).unwrap();
    let mut per_kind: BTreeMap<String, Tally> = BTreeMap::new();
    let mut per_layout: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut kept, mut keeps, mut json_lines, mut json_kept) = (0u32, 0u32, 0u32, 0u32);
    let (mut misses, mut damaged, mut broken) = (Vec::new(), Vec::new(), Vec::new());
    let mut flooded = Vec::new();
    for (n, line) in corpus.lines().enumerate() {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let input = case["line"].as_str().unwrap();
        let layout = case["layout"].as_str().unwrap().to_string();
        let out = scrubber.scrub_line(input);
        assert_eq!(out.lines().count(), 1, "line {}: output must stay one line", n + 1);
        // The flood budgets (ARCHITECTURE.md, invariant 5) are for crafted text only.
        if out.contains("[REDACTED:flood:") {
            flooded.push(format!("line {}: {out}", n + 1));
        }
        if serde_json::from_str::<serde_json::Value>(input).is_ok() {
            json_lines += 1;
            if serde_json::from_str::<serde_json::Value>(&out).is_ok() {
                json_kept += 1;
            } else {
                broken.push(format!("line {}: {out}", n + 1));
            }
        }
        let secrets = case["secrets"].as_array().unwrap();
        let kinds = case["kinds"].as_array().unwrap();
        for (s, k) in secrets.iter().zip(kinds) {
            let (value, kind) = (s.as_str().unwrap(), k.as_str().unwrap().to_string());
            let hit = !out.contains(value);
            for t in
                [per_kind.entry(kind.clone()).or_default(), per_layout.entry(layout.clone()).or_default()]
            {
                t.total += 1;
                t.caught += u32::from(hit);
            }
            if !hit {
                misses.push(format!("{kind} line {}: `{value}` in {out}", n + 1));
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
    let pct = |a: u32, b: u32| 100.0 * f64::from(a) / f64::from(b.max(1));
    println!("{:<32} {:>7} {:>7} {:>8}", "kind", "caught", "total", "recall");
    for (kind, t) in &per_kind {
        println!("{kind:<32} {:>7} {:>7} {:>7.2}%", t.caught, t.total, pct(t.caught, t.total));
    }
    for (layout, t) in &per_layout {
        println!("layout {layout:<25} {:>7} {:>7} {:>7.2}%", t.caught, t.total, pct(t.caught, t.total));
    }
    let (caught, total) = per_kind.values().fold((0, 0), |(c, t), k| (c + k.caught, t + k.total));
    let recall = pct(caught, total);
    let precision = pct(kept, keeps);
    println!("{:<32} {caught:>7} {total:>7} {recall:>7.2}%", "all secrets");
    println!("{:<32} {kept:>7} {keeps:>7} {precision:>7.2}%", "kept unchanged");
    println!(
        "{:<32} {json_kept:>7} {json_lines:>7} {:>7.2}%",
        "JSON lines still JSON",
        pct(json_kept, json_lines)
    );
    for m in &misses {
        println!("MISS {m}");
    }
    for d in &damaged {
        println!("DAMAGED {d}");
    }
    for b in broken.iter().take(10) {
        println!("BROKEN {b}");
    }
    for f in flooded.iter().take(5) {
        println!("FLOODED {f}");
    }
    // The flood budgets (ARCHITECTURE.md, invariant 5) are for crafted text only.
    assert!(flooded.is_empty(), "{} ordinary lines flooded", flooded.len());
    assert!(broken.is_empty(), "{} JSON lines stopped being JSON", broken.len());
    // Floors at the level reached (README, "Scrubber quality"): they catch a regression. The
    // product's targets are 99% recall and 99.5% unchanged on corpora we do not see.
    assert!(recall >= recall_floor, "recall {recall:.2}% < {recall_floor}% ({} misses)", misses.len());
    assert!(precision >= kept_floor, "unchanged {precision:.2}% < {kept_floor}% ({} damaged)", damaged.len());
}
