//! `gatewatch scrub`: stdin to stdout through the scrubber.

use crate::*;

/// Streams stdin to stdout through the scrubber. Invalid UTF-8 is replaced (U+FFFD) first;
/// line endings are normalised to `\n`. Every input line yields exactly one output line.
pub(crate) fn scrub_stdio(scrubber: &gatewatch_ingest::scrub::Scrubber) -> Result<()> {
    use std::io::BufRead;
    let stdin = std::io::stdin();
    let mut input = std::io::BufReader::with_capacity(1 << 16, stdin.lock());
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let scrubbed = scrubber.scrub_bytes(line);
        // A scrubbed value never contains a newline (markers are single-line, JSON escapes them).
        out.write_all(scrubbed.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
