//! The whole per-record path (envelope decoding, gzip, base64, CWL JSON, scrub, parse,
//! aggregate) on arbitrary bytes in every input layout: never panics, every batch's events
//! add up to the summary, and a dead letter never carries more than its excerpt.
#![no_main]

use gatewatch_ingest::pipeline::{Layout, LineKind, Reader};
use gatewatch_ingest::{Progress, Settings};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn settings() -> &'static Settings {
    static S: OnceLock<Settings> = OnceLock::new();
    S.get_or_init(|| {
        let mut s = Settings::default();
        // Small caps, so the fuzzer reaches the limits with small inputs.
        s.max_line_bytes = 4096;
        s.max_envelope_bytes = 64 * 1024;
        s.batch_events = 7;
        s
    })
}

const LAYOUTS: [Layout; 6] = [
    Layout::AccessLines { gzip: false, kind: LineKind::Sniff },
    Layout::AccessLines { gzip: true, kind: LineKind::Json },
    Layout::AccessLines { gzip: false, kind: LineKind::Clf },
    Layout::CwlBase64Lines,
    Layout::CwlJsonLines,
    Layout::CwlGzipMembers,
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, input)) = data.split_first() else { return };
    let layout = LAYOUTS[pick as usize % LAYOUTS.len()];
    let progress = Progress::default();
    let mut events = 0u64;
    let mut dead = 0u64;
    let summary = Reader::new(settings(), "fuzz", &progress)
        .run(input, layout, None, &mut |batch| {
            events += batch.events;
            dead += batch.dead_letters.len() as u64;
            for d in &batch.dead_letters {
                if let Some(e) = &d.excerpt {
                    assert!(e.len() <= 1024, "excerpt of {} bytes", e.len());
                }
            }
            Ok(())
        })
        .expect("reading from memory cannot fail");
    assert_eq!(summary.events, events, "batches add up to the summary");
    assert_eq!(summary.dead_letters, dead, "dead letters add up to the summary");
});
