//! A line reader with a hard length cap: an over-long line is reported by its length and
//! skipped without ever being held in memory whole (a 10 MB line costs one buffer, not 10 MB).

use std::io::{self, BufRead};

pub enum Line<'a> {
    Ok(&'a [u8]),
    /// A line longer than the cap; its length in bytes.
    TooLong(usize),
}

pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    max: usize,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R, max: usize) -> Self {
        Self { inner, buf: Vec::new(), max }
    }

    /// The next line without its `\n` (and `\r`), or `None` at end of input.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        self.buf.clear();
        let mut too_long: Option<usize> = None;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                // End of input: a last line without a newline still counts.
                return Ok(match too_long {
                    Some(n) => Some(Line::TooLong(n)),
                    None if self.buf.is_empty() => None,
                    None => Some(Line::Ok(trim_cr(&self.buf))),
                });
            }
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            match too_long.as_mut() {
                Some(n) => *n += take,
                None if self.buf.len() + take > self.max => too_long = Some(self.buf.len() + take),
                None => self.buf.extend_from_slice(&chunk[..take]),
            }
            if too_long.is_some() {
                self.buf.clear();
            }
            self.inner.consume(if done { take + 1 } else { take });
            if done {
                return Ok(Some(match too_long {
                    Some(n) => Line::TooLong(n),
                    None => Line::Ok(trim_cr(&self.buf)),
                }));
            }
        }
    }
}

fn trim_cr(b: &[u8]) -> &[u8] {
    b.strip_suffix(b"\r").unwrap_or(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &[u8], max: usize) -> Vec<Result<Vec<u8>, usize>> {
        let mut r = LineReader::new(io::BufReader::with_capacity(8, input), max);
        let mut out = vec![];
        while let Some(l) = r.next_line().unwrap() {
            out.push(match l {
                Line::Ok(b) => Ok(b.to_vec()),
                Line::TooLong(n) => Err(n),
            });
        }
        out
    }

    #[test]
    fn splits_caps_and_recovers() {
        let long = vec![b'x'; 100];
        let mut input = b"a\r\nbb\n".to_vec();
        input.extend_from_slice(&long);
        input.extend_from_slice(b"\nccc");
        let got = collect(&input, 10);
        assert_eq!(got, vec![Ok(b"a".to_vec()), Ok(b"bb".to_vec()), Err(100), Ok(b"ccc".to_vec())]);
        assert_eq!(collect(b"", 10), vec![]);
        assert_eq!(collect(b"\n\n", 10), vec![Ok(vec![]), Ok(vec![])]);
        assert_eq!(collect(&long, 10), vec![Err(100)]);
    }
}
