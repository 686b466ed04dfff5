use super::*;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn envelope(msgs: &[&str]) -> Vec<u8> {
    let events: Vec<_> = msgs
        .iter()
        .enumerate()
        .map(|(i, m)| serde_json::json!({"id": i.to_string(), "timestamp": 1_795_531_253_000i64, "message": m}))
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": "g", "logStream": "s",
        "subscriptionFilters": ["f"], "logEvents": events
    }))
    .unwrap()
}

fn run(input: &[u8], format: InputFormat, settings: &Settings) -> (ReadSummary, Vec<PendingBatch>) {
    let progress = Progress::default();
    let mut batches = vec![];
    let layout = detect(input, format);
    let s = Reader::new(settings, "test", &progress)
        .run(input, layout, None, &mut |b| {
            batches.push(b);
            Ok(())
        })
        .unwrap();
    (s, batches)
}

const LINE: &str = r#"{"ip":"203.0.113.9","requestTimeEpoch":"1795531253000","status":"200","path":"/a"}"#;

#[test]
fn envelopes_are_recognised_by_their_keys_in_any_order_and_values_do_not_count() {
    // Keys sorted (as `jq -S` or a Python producer writes them): `logEvents` comes first and
    // `messageType` after every event, far past the first 4 KiB; event ids as numbers.
    let events: Vec<_> = (0..60)
        .map(|i| serde_json::json!({"id": i, "timestamp": 1_795_531_253_000i64, "message": LINE}))
        .collect();
    let sorted = serde_json::to_vec(&serde_json::json!({
        "logEvents": events, "logGroup": "g", "logStream": "s", "messageType": "DATA_MESSAGE",
        "owner": "123456789012", "subscriptionFilters": ["f"]
    }))
    .unwrap();
    assert!(sorted.len() > 8192 && is_envelope_json(&sorted));
    let settings = Settings::default();
    let (summary, _) = run(&gz(&sorted), InputFormat::Auto, &settings);
    assert_eq!((summary.events, summary.dead_letters), (60, 0));
    let (summary, _) =
        run(&(String::from_utf8(sorted).unwrap() + "\n").into_bytes(), InputFormat::Auto, &settings);
    assert_eq!((summary.events, summary.dead_letters), (60, 0));
    // A caller who sends the text `messageType` or `logEvents` (as a User-Agent, a path or a
    // nested key) is still an access-log line, counted like any other.
    for planted in [
        r#""userAgent":"messageType""#,
        r#""path":"logEvents""#,
        r#""body":{"messageType":"DATA_MESSAGE","logEvents":[]}"#,
        r#""userAgent":"x\",\"messageType\":\"y""#,
    ] {
        let line = LINE.replace(r#""status""#, &format!(r#"{planted},"status""#));
        assert!(!is_envelope_json(line.as_bytes()), "{line}");
        let (summary, _) = run(format!("{line}\n{line}\n").as_bytes(), InputFormat::Auto, &settings);
        assert_eq!((summary.events, summary.dead_letters), (2, 0), "{line}");
    }
}

#[test]
fn only_the_authorization_field_names_a_caller_without_a_principal() {
    let settings = Settings::default();
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNlY3JldA";
    let with_auth = |auth: &str| LINE.replace(r#""path""#, &format!(r#""authorization":"{auth}","path""#));
    let planted = with_auth("Bearer [REDACTED:jwt:0badc0de]");
    let in_path = LINE.replace("/a", &format!("/a?access_token={jwt}"));
    let in_agent = LINE.replace(r#""path""#, &format!(r#""userAgent":"scan Bearer {jwt}","path""#));
    let real = with_auth(&format!("Bearer {jwt}"));
    let input = format!("{planted}\n{in_path}\n{in_agent}\n{real}\n");
    let (_, batches) = run(input.as_bytes(), InputFormat::Auto, &settings);
    let rows: Vec<(String, u64)> =
        batches.iter().flat_map(|b| &b.rows).map(|r| (r.client.to_string(), r.agg.counts.total)).collect();
    assert!(
        rows.contains(&("ip:203.0.113.9".to_string(), 3)),
        "a planted marker, a token in the path and one in the User-Agent name nobody: {rows:?}"
    );
    assert!(
        rows.iter()
            .any(|(c, n)| c.starts_with("principal:[REDACTED:jwt:") && !c.contains("0badc0de") && *n == 1),
        "the Authorization header's token names its caller: {rows:?}"
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
}

#[test]
fn one_address_names_at_most_the_cap_of_clients_a_minute() {
    let settings = Settings { max_clients_per_ip_minute: 5, ..Settings::default() };
    let input: String = (0..40)
        .map(|i| {
            LINE.replace(
                r#""path""#,
                &format!(r#""authorization":"Bearer tok{i:04}abcdefghijklmnop","path""#),
            ) + "\n"
        })
        .collect();
    let (_, batches) = run(input.as_bytes(), InputFormat::Auto, &settings);
    let rows: Vec<(String, u64)> =
        batches.iter().flat_map(|b| &b.rows).map(|r| (r.client.to_string(), r.agg.counts.total)).collect();
    let named = rows.iter().filter(|(c, _)| c.starts_with("principal:[REDACTED:bearer:")).count();
    assert_eq!(named, 5, "{rows:?}");
    assert!(rows.contains(&("ip:203.0.113.9".to_string(), 35)), "the rest count under the address: {rows:?}");
    // Principals from an authorizer are not the caller's to choose: a NAT address in front of
    // many users keeps them all.
    let input: String = (0..40)
        .map(|i| LINE.replace(r#""path""#, &format!(r#""principalId":"user-{i}","path""#)) + "\n")
        .collect();
    let (_, batches) = run(input.as_bytes(), InputFormat::Auto, &settings);
    let principals = batches
        .iter()
        .flat_map(|b| &b.rows)
        .filter(|r| r.client.to_string().starts_with("principal:"))
        .count();
    assert_eq!(principals, 40);
}

#[test]
fn detects_layouts() {
    assert_eq!(
        detect(LINE.as_bytes(), InputFormat::Auto),
        Layout::AccessLines { gzip: false, kind: LineKind::Sniff }
    );
    assert_eq!(detect(&gz(&envelope(&[LINE])), InputFormat::Auto), Layout::CwlGzipMembers);
    assert_eq!(
        detect(&gz(LINE.as_bytes()), InputFormat::Auto),
        Layout::AccessLines { gzip: true, kind: LineKind::Sniff }
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(gz(&envelope(&[LINE])));
    assert_eq!(detect(b64.as_bytes(), InputFormat::Auto), Layout::CwlBase64Lines);
    assert_eq!(detect(&envelope(&[LINE]), InputFormat::Auto), Layout::CwlJsonLines);
}

#[test]
fn cwl_members_control_messages_and_truncation() {
    let control = br#"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1795531253000,"message":"CWL CONTROL MESSAGE: Checking health of destination Kinesis stream."}]}"#;
    let mut input = gz(control);
    input.extend(gz(&envelope(&[LINE, LINE, "garbage"])));
    let full = input.clone();
    let (s, batches) = run(&input, InputFormat::Auto, &Settings::default());
    assert_eq!((s.events, s.dead_letters, s.units), (2, 1, 2));
    assert_eq!(batches.last().unwrap().position, "members=2");
    assert_eq!(batches[0].dead_letters[0].position, "member 2 envelope 1 event 3");

    // Truncated final member: the complete members before it still count.
    let mut truncated = full.clone();
    truncated.extend(gz(&envelope(&[LINE])));
    truncated.truncate(truncated.len() - 10);
    let (s, batches) = run(&truncated, InputFormat::Auto, &Settings::default());
    assert_eq!(s.events, 2);
    let reasons: Vec<_> = batches.iter().flat_map(|b| &b.dead_letters).map(|d| d.reason.clone()).collect();
    assert!(reasons.iter().any(|r| r.contains("gzip")), "{reasons:?}");
}

#[test]
fn envelope_events_are_bounded_and_envelope_errors_quote_nothing() {
    let settings = Settings { max_line_bytes: 1024, ..Settings::default() };
    // An event inside a gzip envelope is held to max_line_bytes like a file line.
    let long = LINE.replace("/a", &format!("/{}", "a".repeat(4096)));
    let (s, batches) = run(&gz(&envelope(&[LINE, &long])), InputFormat::Auto, &settings);
    assert_eq!((s.events, s.dead_letters), (1, 1));
    let dead = &batches[0].dead_letters[0];
    assert!(dead.reason.contains("exceeds ingest.max_line_bytes") && dead.excerpt.is_none(), "{dead:?}");
    // A wrong-typed envelope field holding a card number: the reason says what, not which.
    let bad = br#"{"messageType":"DATA_MESSAGE","owner":"1","logGroup":"g","logStream":"s","subscriptionFilters":[],"logEvents":[{"id":"1","timestamp":1795531253000,"message":4539148803436467}]}"#;
    let (_, batches) = run(&gz(bad), InputFormat::Auto, &Settings::default());
    let reasons: Vec<&str> =
        batches.iter().flat_map(|b| &b.dead_letters).map(|d| d.reason.as_str()).collect();
    assert!(!reasons.is_empty(), "the envelope is a dead letter");
    for r in reasons {
        assert!(r.contains("invalid CWL envelope") && !r.contains("4539") && !r.contains("6467"), "{r}");
    }
}

#[test]
fn gzip_bomb_is_bounded() {
    let settings = Settings { max_envelope_bytes: 4096, ..Settings::default() };
    // 25x the limit: drained, reported, and the next member is still read.
    let mut input = gz(&vec![b' '; 100 << 10]);
    input.extend(gz(&envelope(&[LINE])));
    let (s, batches) = run(&input, InputFormat::Cwl, &settings);
    assert_eq!(s.events, 1, "the member after the bomb is still read");
    assert!(batches[0].dead_letters[0].reason.contains("max_envelope_bytes"));
    // 1000x the limit: not decompressed to the end; the input is abandoned with a reason.
    let mut input = gz(&vec![b' '; 4 << 20]);
    input.extend(gz(&envelope(&[LINE])));
    let (s, batches) = run(&input, InputFormat::Cwl, &settings);
    assert_eq!((s.events, s.dead_letters), (0, 1));
    assert!(batches[0].dead_letters[0].reason.contains("rest of the input is skipped"));
}

#[test]
fn base64_lines_and_bad_lines() {
    let b64 = base64::engine::general_purpose::STANDARD.encode(gz(&envelope(&[LINE])));
    let input = format!("{b64}\nnot base64!!\n{b64}\n");
    let (s, _) = run(input.as_bytes(), InputFormat::Cwl, &Settings::default());
    assert_eq!((s.events, s.dead_letters), (2, 1));
}

#[test]
fn resume_skips_committed_units_and_batches_split() {
    let input = format!("{LINE}\n{LINE}\n{LINE}\n");
    let settings = Settings { batch_events: 2, ..Settings::default() };
    let progress = Progress::default();
    let layout = detect(input.as_bytes(), InputFormat::Auto);
    let mut positions = vec![];
    let s = Reader::new(&settings, "t", &progress)
        .run(input.as_bytes(), layout, Some("lines=2"), &mut |b| {
            positions.push(b.position);
            Ok(())
        })
        .unwrap();
    assert_eq!((s.events, s.skipped_units), (1, 2));
    assert_eq!(positions, vec!["lines=3"]);
    let err =
        Reader::new(&settings, "t", &progress)
            .run(input.as_bytes(), layout, Some("members=1"), &mut |_| Ok(()));
    assert!(matches!(err, Err(IngestError::Checkpoint(_))));
}

#[test]
fn hostile_lines_become_dead_letters() {
    let settings = Settings { max_line_bytes: 1024, ..Settings::default() };
    let mut input = Vec::new();
    input.extend_from_slice(LINE.as_bytes());
    input.extend_from_slice(b"\n\xff\xfe\x00 not utf8\n");
    input.extend(vec![b'{'; 5000]);
    input.extend_from_slice(b"\n{\"status\":\"200\",\"ip\":\"1.2.3.4\"}\n");
    input.extend_from_slice(b"{\"status\":[1],\"ip\":\"1.2.3.4\",\"requestTimeEpoch\":\"1795531253000\"}\n");
    input.extend_from_slice(
        b"{\"status\":\"200\",\"ip\":\"1.2.3.4\",\"requestTimeEpoch\":\"99999999999999\"}\n",
    );
    input.extend_from_slice(LINE.as_bytes());
    let (s, batches) = run(&input, InputFormat::Auto, &settings);
    assert_eq!((s.events, s.dead_letters), (2, 5));
    let reasons: Vec<_> = batches.iter().flat_map(|b| &b.dead_letters).map(|d| d.reason.as_str()).collect();
    assert!(reasons[1].contains("exceeds ingest.max_line_bytes"), "{reasons:?}");
    assert!(reasons[2].contains("timestamp"), "{reasons:?}");
    assert!(reasons[3].contains("status"), "{reasons:?}");
    assert!(reasons[4].contains("ahead of the clock"), "{reasons:?}");
}
