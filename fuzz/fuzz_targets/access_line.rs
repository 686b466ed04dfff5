//! The access-log parser (JSON and CLF, sniffed per line) on arbitrary bytes: never panics,
//! and a record it accepts has a plausible status and a time.
#![no_main]

use gatewatch_config::Config;
use gatewatch_ingest::parse::Parser;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn parser() -> &'static Parser {
    static P: OnceLock<Parser> = OnceLock::new();
    P.get_or_init(|| Parser::new(&Config::default().fields).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let fallback = data.first().map(|&b| 1_700_000_000_000 + b as i64 * 60_000);
    if let Ok(rec) = parser().parse_line(data, fallback) {
        assert!(rec.status < 1000, "status {} accepted", rec.status);
        let _ = rec.path_for_metrics();
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = gatewatch_ingest::parse::parse_clf(text, fallback);
    }
});
