//! Phrase gazetteer: marks token runs that match known names (external lists of
//! people, places, languages, plus entity strings seen in the training data).
//!
//! Phrases are keyed by a hash chain of their lowercased tokens so lookups need no
//! string building; every proper prefix of a phrase is stored too (with no
//! categories) so a scan can stop as soon as no longer phrase can match.

use rustc_hash::FxHashMap;

use super::bytes::{Reader, Writer};
use super::hash::{combine, hash_lower};
use super::NerError;
use crate::nlp::text::tokenize;

/// External categories, in bit order; the file names them in its first column. Append
/// only: a category's position is baked into trained models.
pub const EXT_CATEGORIES: [&str; 13] = [
    "PER_FIRST",
    "PER_LAST",
    "LOC_COUNTRY",
    "LOC_CITY",
    "LOC_ADMIN",
    "LOC_CONTINENT",
    "MISC_LANG",
    // Today's names (scripts/build_gazetteer.py): companies and brands, news media, sports
    // teams and leagues, universities, political parties, works, awards and events.
    "ORG_COMPANY",
    "ORG_MEDIA",
    "ORG_SPORTS",
    "ORG_EDU",
    "ORG_POLITICS",
    "MISC_WORK",
];
/// External categories plus one per entity label for training-data phrases.
pub const NUM_CATS: usize = EXT_CATEGORIES.len() + 4;
/// Longest phrase, in tokens, that is stored or matched.
pub const MAX_LEN: usize = 8;
const PHRASE_SEED: u64 = 0x5a5a_1234_9876_abcd;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    /// Bit i set: phrase is in external category i.
    pub ext: u16,
    /// Number of training documents in which the phrase was an entity of label i.
    pub train: [u16; 4],
}

/// Per-label counts of one document's own entity phrases, subtracted during training
/// so a document never sees itself in the training-data gazetteer (leave-one-out).
pub type Exclusion = FxHashMap<u64, [u16; 4]>;

#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    map: FxHashMap<u64, Entry>,
}

/// Per-token match: for each category, 0 = none, else 1 + BILOU position (B,I,L,U).
pub type Marks = [u8; NUM_CATS];

#[inline]
pub fn phrase_step(h: u64, lower_tok: u64) -> u64 {
    combine(h, lower_tok)
}

impl Gazetteer {
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Adds a phrase given as lowercase token hashes.
    pub fn add_hashes(&mut self, toks: &[u64], f: impl FnOnce(&mut Entry)) {
        if toks.is_empty() || toks.len() > MAX_LEN {
            return;
        }
        let mut h = PHRASE_SEED;
        for (i, &t) in toks.iter().enumerate() {
            h = phrase_step(h, t);
            let e = self.map.entry(h).or_default();
            if i + 1 == toks.len() {
                f(e);
                return;
            }
        }
    }

    /// Key of a phrase given as lowercase token hashes.
    pub fn key(toks: &[u64]) -> u64 {
        toks.iter().fold(PHRASE_SEED, |h, &t| phrase_step(h, t))
    }

    /// The entry of a phrase (lower-case token hashes), if the gazetteer has it with a
    /// category (not only as the prefix of a longer phrase).
    pub fn phrase(&self, toks: &[u64]) -> Option<Entry> {
        if toks.is_empty() || toks.len() > MAX_LEN {
            return None;
        }
        self.map
            .get(&Gazetteer::key(toks))
            .copied()
            .filter(|e| e.ext != 0 || e.train.iter().any(|c| *c > 0))
    }

    /// Loads `CATEGORY<TAB>phrase` lines (comments start with '#').
    pub fn add_tsv(&mut self, tsv: &str) -> Result<usize, NerError> {
        let mut n = 0;
        let mut hashes = Vec::new();
        for (ln, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (cat, phrase) = line
                .split_once('\t')
                .ok_or_else(|| NerError::Format(format!("gazetteer line {}: no tab", ln + 1)))?;
            let Some(bit) = EXT_CATEGORIES.iter().position(|c| *c == cat) else {
                return Err(NerError::Format(format!(
                    "gazetteer line {}: unknown category {cat}",
                    ln + 1
                )));
            };
            hashes.clear();
            hashes.extend(
                tokenize(phrase)
                    .iter()
                    .map(|t| hash_lower(t.span.slice(phrase))),
            );
            self.add_hashes(&hashes, |e| e.ext |= 1 << bit);
            n += 1;
        }
        Ok(n)
    }

    /// Marks matches in one sentence. `lower` holds the lowercase hashes of the
    /// sentence's tokens; the longest match of each category wins at each token.
    pub fn annotate(&self, lower: &[u64], exclude: Option<&Exclusion>, out: &mut [Marks]) {
        let n = lower.len();
        for m in out.iter_mut() {
            *m = [0; NUM_CATS];
        }
        for start in 0..n {
            let mut h = PHRASE_SEED;
            for end in start + 1..=(start + MAX_LEN).min(n) {
                h = phrase_step(h, lower[end - 1]);
                let Some(e) = self.map.get(&h) else { break };
                // 13 external bits and 4 training-label bits: wider than `ext`.
                let mut cats: u32 = u32::from(e.ext);
                for (l, &c) in e.train.iter().enumerate() {
                    let own = exclude.and_then(|x| x.get(&h)).map_or(0, |o| o[l]);
                    if c > own {
                        cats |= 1 << (EXT_CATEGORIES.len() + l);
                    }
                }
                if cats == 0 {
                    continue;
                }
                let len = end - start;
                for cat in 0..NUM_CATS {
                    if cats & (1 << cat) == 0 {
                        continue;
                    }
                    for (k, m) in out[start..end].iter_mut().enumerate() {
                        // A later/longer match overrides a shorter one at the same token.
                        let pos = if len == 1 {
                            4
                        } else if k == 0 {
                            1
                        } else if k + 1 == len {
                            3
                        } else {
                            2
                        };
                        if m[cat] == 0 || len > 1 {
                            m[cat] = pos;
                        }
                    }
                }
            }
        }
    }

    pub fn write(&self, w: &mut Writer) {
        let mut keys: Vec<_> = self.map.iter().collect();
        keys.sort_by_key(|(k, _)| **k);
        w.u32(keys.len() as u32);
        for (k, e) in keys {
            w.u64(*k);
            w.u16(e.ext);
            for c in e.train {
                w.u16(c);
            }
        }
    }

    pub fn read(r: &mut Reader) -> Result<Self, NerError> {
        let n = r.count(18)?;
        let mut map = FxHashMap::default();
        map.reserve(n);
        for _ in 0..n {
            let k = r.u64()?;
            let ext = r.u16()?;
            let mut train = [0u16; 4];
            for t in train.iter_mut() {
                *t = r.u16()?;
            }
            map.insert(k, Entry { ext, train });
        }
        Ok(Gazetteer { map })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_match_marks() {
        let mut g = Gazetteer::default();
        g.add_tsv("LOC_CITY\tNew York\nLOC_ADMIN\tYork\n").unwrap();
        let words = ["in", "NEW", "York", "city"];
        let lower: Vec<u64> = words.iter().map(|w| hash_lower(w)).collect();
        let mut marks = vec![[0u8; NUM_CATS]; 4];
        g.annotate(&lower, None, &mut marks);
        assert_eq!(marks[1][3], 1);
        assert_eq!(marks[2][3], 3);
        assert_eq!(marks[2][4], 4);
        assert_eq!(marks[0], [0; NUM_CATS]);
    }
}
