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

/// Most trigger literals a scrubber can have.
pub(super) const MAX_LITERALS: usize = 256;

/// A set of trigger literals (bit i: literal i), or of detectors (bit i: the i-th detector).
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(super) struct Mask([u64; MAX_LITERALS / 64]);

impl Mask {
    pub fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    pub fn has(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }

    /// Adds every member of `other`.
    pub fn union(&mut self, other: &Mask) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a |= b);
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// The literals in the set, ascending.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        (0..self.0.len()).flat_map(move |w| {
            let mut bits = self.0[w];
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    w * 64 + b
                })
            })
        })
    }
}

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
    /// The literals of three bytes or more, at most [`TEDDY_PATTERNS`] to a searcher.
    chunks: Vec<Chunk>,
    /// Literals shorter than [`PACKED_MIN_LEN`].
    short: Vec<usize>,
    /// Their searchers, built once.
    short_finders: Vec<memchr::memmem::Finder<'static>>,
}

/// One vector searcher over some of the long literals.
struct Chunk {
    searcher: packed::Searcher,
    /// Per packed pattern: its literal.
    long: Vec<usize>,
    /// Per packed pattern: the literals that are prefixes of it, itself included.
    prefixes: Vec<Mask>,
}

/// Most patterns one Teddy searcher is given.
const TEDDY_PATTERNS: usize = 64;

thread_local! {
    static LOWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

impl Literals {
    pub(super) fn new(literals: &[String]) -> Result<Literals, String> {
        assert!(literals.len() <= MAX_LITERALS, "trigger literals fit the mask");
        let lits: Vec<Vec<u8>> = literals.iter().map(|l| l.as_bytes().to_ascii_lowercase()).collect();
        let ac = AhoCorasickBuilder::new()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&lits)
            .map_err(|e| format!("scrubber prefilter: {e}"))?;
        let long: Vec<usize> = (0..lits.len()).filter(|&i| lits[i].len() >= PACKED_MIN_LEN).collect();
        // Teddy is at its best with at most 64 patterns (past that its buckets fill and it
        // verifies more false candidates than a second pass costs): one searcher per 64.
        let chunks: Option<Vec<Chunk>> = long
            .chunks(TEDDY_PATTERNS)
            .map(|part| {
                packed::Config::new()
                    .match_kind(packed::MatchKind::LeftmostLongest)
                    .builder()
                    .extend(part.iter().map(|&i| &lits[i]))
                    .build()
                    .map(|searcher| Chunk {
                        searcher,
                        long: part.to_vec(),
                        prefixes: part
                            .iter()
                            .map(|&i| {
                                (0..lits.len()).filter(|&j| lits[i].starts_with(&lits[j])).fold(
                                    Mask::default(),
                                    |mut m, j| {
                                        m.set(j);
                                        m
                                    },
                                )
                            })
                            .collect(),
                    })
            })
            .collect();
        let packed = chunks.map(|chunks| Packed {
            chunks,
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
    /// (`markers`: the text's marker spans, ascending).
    ///
    /// `None` when the positions outside markers that start a literal of three bytes or more
    /// overrun `budget`: the text is a flood, and the search stops there.
    pub(super) fn seen(&self, text: &str, markers: &[(usize, usize)], budget: Budget) -> Option<Mask> {
        let mut seen = Mask::default();
        // Set up at the first literal: most texts have none, and the counts are 512 bytes.
        let mut spend: Option<Spend<MAX_LITERALS>> = None;
        let outside = |lit: usize, start: usize| {
            !super::markers::overlaps(markers, start, start + self.lits[lit].len())
        };
        let Some(packed) = &self.packed else {
            let mut last = usize::MAX;
            for m in self.ac.find_overlapping_iter(text) {
                let lit = m.pattern().as_usize();
                if !outside(lit, m.start()) {
                    continue;
                }
                if self.lits[lit].len() >= PACKED_MIN_LEN && m.start() != last {
                    last = m.start();
                    spend.get_or_insert_with(|| Spend::new(budget)).one(lit)?;
                }
                seen.set(lit);
            }
            return Some(seen);
        };
        LOWER.with(|buf| {
            let mut buf = buf.borrow_mut();
            buf.clear();
            buf.extend(text.bytes().map(|c| c.to_ascii_lowercase()));
            let hay = buf.as_slice();
            for chunk in &packed.chunks {
                let mut from = 0;
                while from < hay.len() {
                    let Some(m) = chunk.searcher.find_in(hay, aho_corasick::Span::from(from..hay.len()))
                    else {
                        break;
                    };
                    let longest = m.pattern().as_usize();
                    if outside(chunk.long[longest], m.start()) {
                        spend.get_or_insert_with(|| Spend::new(budget)).one(chunk.long[longest])?;
                    }
                    for lit in chunk.prefixes[longest].iter() {
                        // Seen already (outside every marker): nothing more to learn here.
                        if !seen.has(lit) && outside(lit, m.start()) {
                            seen.set(lit);
                        }
                    }
                    from = m.start() + 1;
                }
            }
            for (&lit, finder) in packed.short.iter().zip(&packed.short_finders) {
                let mut from = 0;
                while !seen.has(lit)
                    && let Some(at) = finder.find(&hay[from..])
                {
                    if outside(lit, from + at) {
                        seen.set(lit);
                    }
                    from += at + 1;
                }
            }
            Some(seen)
        })
    }
}

/// How many positions of a text may start a trigger literal (or a vendor keyword) before the
/// text counts as a flood: in all, and for any one literal. Each occurrence costs every detector
/// it arms a candidate; past the budget the whole text becomes one `flood` marker instead
/// (ARCHITECTURE.md, invariant 5). The densest ordinary texts are logged Lambda events, whose
/// headers are listed twice: some 50 literal positions in 2.5 KB, a few of them five to ten
/// times each.
#[derive(Clone, Copy, Debug)]
pub(super) struct Budget {
    pub total: usize,
    pub each: usize,
}

impl Budget {
    /// No limit (tests).
    #[cfg(test)]
    pub const UNLIMITED: Budget = Budget { total: usize::MAX, each: usize::MAX };

    /// The budget of a text of `len` bytes: 64 positions and one per 32 bytes in all; 16 and
    /// one per 128 bytes for any one literal. A User-Agent of `authorization:bearer` repeated
    /// to 8 KB stops after 80 occurrences (it cost 14 times a benign User-Agent per byte
    /// when every occurrence was a candidate).
    pub fn for_len(len: usize) -> Budget {
        Budget { total: 64 + len / 32, each: 16 + len / 128 }
    }
}

/// What a text has spent of its [`Budget`], per literal among `N`.
pub(super) struct Spend<const N: usize> {
    left: usize,
    each: usize,
    counts: [u16; N],
}

impl<const N: usize> Spend<N> {
    pub fn new(budget: Budget) -> Self {
        // Counts saturate: a budget past `u16::MAX` for one literal is past any text's length.
        Spend { left: budget.total, each: budget.each.min(usize::from(u16::MAX) - 1), counts: [0; N] }
    }

    /// One more position starting literal `i`; `None` once the budget is overrun.
    pub fn one(&mut self, i: usize) -> Option<()> {
        self.left = self.left.checked_sub(1)?;
        let c = &mut self.counts[i];
        *c = c.saturating_add(1);
        (*c as usize <= self.each).then_some(())
    }
}
