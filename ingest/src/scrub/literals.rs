//! Which trigger literals occur in a text, ASCII case-insensitively: the gate of every detector
//! with a literal to look for, run on each text that is not obviously clean.
//!
//! The text is lowercased into a per-thread buffer and searched with a vector (Teddy) searcher
//! for the literals of three bytes or more, leftmost-longest, restarting one byte after each
//! match: every position where some literal starts is visited, and the literals starting there
//! are the longest one and its prefixes, known in advance. Shorter literals (`@`) are looked up
//! directly. Where no vector searcher can be built, an Aho-Corasick automaton does the same in one
//! overlapping pass.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind, packed};
use std::cell::RefCell;

/// The shortest literal the vector searcher takes (shorter ones would make it check nearly
/// every byte).
const PACKED_MIN_LEN: usize = 3;

pub(super) struct Literals {
    /// Lowercase.
    lits: Vec<Vec<u8>>,
    packed: Option<Packed>,
    /// Every literal, overlapping, ASCII case-insensitive: where `packed` is not available.
    ac: AhoCorasick,
}

struct Packed {
    searcher: packed::Searcher,
    /// Per packed pattern: the literals that are prefixes of it, itself included.
    prefixes: Vec<u64>,
    /// Literals shorter than [`PACKED_MIN_LEN`].
    short: Vec<usize>,
    /// Their searchers, built once.
    short_finders: Vec<memchr::memmem::Finder<'static>>,
}

thread_local! {
    static LOWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

impl Literals {
    pub(super) fn new(literals: &[String]) -> Result<Literals, String> {
        assert!(literals.len() <= 64, "trigger literals fit the u64 mask");
        let lits: Vec<Vec<u8>> = literals.iter().map(|l| l.as_bytes().to_ascii_lowercase()).collect();
        let ac = AhoCorasickBuilder::new()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&lits)
            .map_err(|e| format!("scrubber prefilter: {e}"))?;
        let long: Vec<usize> = (0..lits.len()).filter(|&i| lits[i].len() >= PACKED_MIN_LEN).collect();
        let searcher = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostLongest)
            .builder()
            .extend(long.iter().map(|&i| &lits[i]))
            .build();
        let packed = searcher.map(|searcher| Packed {
            searcher,
            prefixes: long
                .iter()
                .map(|&i| {
                    (0..lits.len()).filter(|&j| lits[i].starts_with(&lits[j])).fold(0u64, |m, j| m | 1 << j)
                })
                .collect(),
            short: (0..lits.len()).filter(|&i| lits[i].len() < PACKED_MIN_LEN).collect(),
            short_finders: (0..lits.len())
                .filter(|&i| lits[i].len() < PACKED_MIN_LEN)
                .map(|i| memchr::memmem::Finder::new(&lits[i]).into_owned())
                .collect(),
        });
        Ok(Literals { lits, packed, ac })
    }

    /// The same literals without the vector searcher (the fallback, for tests).
    #[cfg(test)]
    pub(super) fn without_packed(literals: &[String]) -> Result<Literals, String> {
        Ok(Literals { packed: None, ..Literals::new(literals)? })
    }

    /// Bit i set: literal i occurs in `text` somewhere that does not overlap a marker span
    /// (`markers` is asked at most once, and only if a literal occurs).
    pub(super) fn seen(&self, text: &str, markers: impl FnOnce() -> Vec<(usize, usize)>) -> u64 {
        let mut markers = Some(markers);
        let mut spans: Option<Vec<(usize, usize)>> = None;
        let mut seen = 0u64;
        let mut occurs = |lit: usize, start: usize, seen: &mut u64| {
            let end = start + self.lits[lit].len();
            let spans = spans.get_or_insert_with(|| markers.take().map_or_else(Vec::new, |m| m()));
            if !super::markers::overlaps(spans, start, end) {
                *seen |= 1 << lit;
            }
        };
        let Some(packed) = &self.packed else {
            for m in self.ac.find_overlapping_iter(text) {
                occurs(m.pattern().as_usize(), m.start(), &mut seen);
            }
            return seen;
        };
        LOWER.with(|buf| {
            let mut buf = buf.borrow_mut();
            buf.clear();
            buf.extend(text.bytes().map(|c| c.to_ascii_lowercase()));
            let hay = buf.as_slice();
            let mut from = 0;
            while from < hay.len() {
                let Some(m) = packed.searcher.find_in(hay, aho_corasick::Span::from(from..hay.len())) else {
                    break;
                };
                let mut prefixes = packed.prefixes[m.pattern().as_usize()];
                while prefixes != 0 {
                    let lit = prefixes.trailing_zeros() as usize;
                    prefixes &= prefixes - 1;
                    // Seen already (outside every marker): nothing more to learn here.
                    if seen & (1 << lit) == 0 {
                        occurs(lit, m.start(), &mut seen);
                    }
                }
                from = m.start() + 1;
            }
            for (&lit, finder) in packed.short.iter().zip(&packed.short_finders) {
                let mut from = 0;
                while seen & (1 << lit) == 0
                    && let Some(at) = finder.find(&hay[from..])
                {
                    occurs(lit, from + at, &mut seen);
                    from += at + 1;
                }
            }
        });
        seen
    }
}
