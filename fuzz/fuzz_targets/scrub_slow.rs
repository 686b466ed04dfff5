//! The scrubber in linear time: the input is repeated to 64 KB (the way an attacker would pad a
//! User-Agent or a query string) and scrubbed; a unit that takes far longer than a benign line of
//! the same length fails. The bound is generous (50x a calibrated benign line, and never less
//! than 250 ms), so a busy machine does not trip it while a quadratic path, which costs seconds
//! at this size, does.
#![no_main]

use gatewatch_ingest::config::ScrubConfig;
use gatewatch_ingest::scrub::Scrubber;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const SIZE: usize = 64 * 1024;

fn scrubber() -> &'static Scrubber {
    static S: OnceLock<Scrubber> = OnceLock::new();
    S.get_or_init(|| Scrubber::with_key(&ScrubConfig::default(), vec![5u8; 32]).unwrap())
}

/// What a benign 64 KB line costs here, the best of a few runs.
fn benign() -> Duration {
    static B: OnceLock<Duration> = OnceLock::new();
    *B.get_or_init(|| {
        let ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 ".repeat(800);
        let line = format!(r#"{{"ip":"203.0.113.9","status":"200","userAgent":"{}"}}"#, &ua[..SIZE]);
        (0..5)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(scrubber().scrub_line(&line));
                t.elapsed()
            })
            .min()
            .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let unit: Vec<u8> = data.iter().copied().filter(|&b| b != b'\n').take(256).collect();
    if unit.is_empty() {
        return;
    }
    let text: Vec<u8> = unit.iter().copied().cycle().take(SIZE).collect();
    let bound = (benign() * 50).max(Duration::from_millis(250));
    let t = Instant::now();
    let out = scrubber().scrub_bytes(&text);
    let took = t.elapsed();
    assert!(!out.contains('\n'));
    assert!(took <= bound, "{} bytes took {took:?} (bound {bound:?}); unit {:?}", text.len(), String::from_utf8_lossy(&unit));
});
