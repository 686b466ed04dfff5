//! The scrubber on arbitrary bytes: never panics, output is one line, scrubbing is idempotent,
//! and a JSON object stays a JSON object.
#![no_main]

use gatewatch_ingest::config::ScrubConfig;
use gatewatch_ingest::scrub::Scrubber;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn scrubber() -> &'static Scrubber {
    static S: OnceLock<Scrubber> = OnceLock::new();
    S.get_or_init(|| Scrubber::with_key(&ScrubConfig::default(), vec![5u8; 32]).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let line: Vec<u8> = data.iter().copied().filter(|&b| b != b'\n').collect();
    let once = scrubber().scrub_bytes(&line).into_owned();
    assert!(!once.contains('\n'));
    let twice = scrubber().scrub_line(&once).into_owned();
    assert_eq!(once, twice, "scrubbing is idempotent");
    if serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&String::from_utf8_lossy(&line)).is_ok() {
        assert!(serde_json::from_str::<serde_json::Value>(&once).is_ok(), "JSON stays JSON");
    }
});
