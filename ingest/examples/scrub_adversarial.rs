//! The scrubber's adversarial benchmark without the rest of gatewatch (no AWS SDK, no polars):
//! `cargo run --release -p gatewatch-ingest --no-default-features --example scrub_adversarial
//! [SIZES]`, sizes in bytes, comma-separated (default 8192,65536,1048576). Exits 1 when the
//! worst literal costs more than 5x the benign line per byte.

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "8192,65536,1048576".into())
        .split(',')
        .map(|s| s.trim().parse().expect("sizes in bytes, comma-separated"))
        .collect();
    match gatewatch_ingest::scrub::adversarial::run(&sizes) {
        Ok(worst) if worst <= 5.0 => {}
        Ok(_) => std::process::exit(1),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
