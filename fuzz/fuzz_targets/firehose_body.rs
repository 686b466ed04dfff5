//! A Firehose HTTP endpoint request body (optionally gzip) on arbitrary bytes: never panics,
//! never expands past the body cap, and a rejected body says why.
#![no_main]

use gatewatch_ingest::firehose::fold_body;
use gatewatch_ingest::pipeline::Reader;
use gatewatch_ingest::{Progress, Settings};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn settings() -> &'static Settings {
    static S: OnceLock<Settings> = OnceLock::new();
    S.get_or_init(Settings::default)
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else { return };
    let progress = Progress::default();
    let mut reader = Reader::new(settings(), "firehose:fuzz", &progress);
    match fold_body(&mut reader, "req-1", body, flags & 1 == 1, 64 * 1024) {
        Ok(()) => {
            let batch = reader.take_batch("done".into());
            assert!(batch.events as usize <= body.len(), "more events than bytes");
        }
        Err(why) => assert!(!why.is_empty()),
    }
});
