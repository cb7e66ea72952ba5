//! Word clusters learned from unlabelled text: each word maps to a few cluster ids at
//! different granularities, so rare or unseen names share evidence with frequent
//! words that occur in the same contexts.

use rustc_hash::FxHashMap;

use super::bytes::{Reader, Writer};
use super::hash::{hash_lower, hash_str};
use super::NerError;

/// Cluster granularities stored per word (unused levels are 0).
pub const LEVELS: usize = 4;
pub type Ids = [u32; LEVELS];

#[derive(Clone, Debug, Default)]
pub struct Clusters {
    exact: FxHashMap<u64, Ids>,
    /// Fallback by lowercase form: the ids of the most frequent casing (first seen in
    /// the file, which is sorted by descending frequency).
    lower: FxHashMap<u64, Ids>,
}

impl Clusters {
    pub fn len(&self) -> usize {
        self.exact.len()
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }

    /// Reads `word<TAB>id1<TAB>id2...` lines, most frequent words first. Ids are
    /// shifted by one so that 0 can mean "no cluster".
    pub fn from_tsv(tsv: &str) -> Result<Self, NerError> {
        let mut c = Clusters::default();
        for (ln, line) in tsv.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let mut parts = line.split('\t');
            let word = parts.next().unwrap_or_default();
            let mut ids = [0u32; LEVELS];
            for (i, p) in parts.take(LEVELS).enumerate() {
                ids[i] = p
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| NerError::Format(format!("clusters line {}", ln + 1)))?
                    + 1;
            }
            c.exact.insert(hash_str(word), ids);
            c.lower.entry(hash_lower(word)).or_insert(ids);
        }
        Ok(c)
    }

    /// Exact form first; ALL-CAPS words try their title-case form (headlines), then
    /// any word falls back to its lowercase form.
    #[inline]
    pub fn lookup(&self, exact: u64, title: u64, lower: u64, all_caps: bool) -> Ids {
        if let Some(v) = self.exact.get(&exact) {
            if !all_caps {
                return *v;
            }
        }
        if all_caps {
            if let Some(v) = self.exact.get(&title) {
                return *v;
            }
        }
        self.exact
            .get(&exact)
            .or_else(|| self.lower.get(&lower))
            .copied()
            .unwrap_or([0; LEVELS])
    }

    pub fn write(&self, w: &mut Writer) {
        for m in [&self.exact, &self.lower] {
            let mut keys: Vec<_> = m.iter().collect();
            keys.sort_by_key(|(k, _)| **k);
            w.u32(keys.len() as u32);
            for (k, ids) in keys {
                w.u64(*k);
                for &i in ids {
                    w.u32(i);
                }
            }
        }
    }

    pub fn read(r: &mut Reader) -> Result<Self, NerError> {
        let mut maps = Vec::with_capacity(2);
        for _ in 0..2 {
            let n = r.count(8 + 4 * LEVELS)?;
            let mut m = FxHashMap::default();
            m.reserve(n);
            for _ in 0..n {
                let k = r.u64()?;
                let mut ids = [0u32; LEVELS];
                for i in ids.iter_mut() {
                    *i = r.u32()?;
                }
                m.insert(k, ids);
            }
            maps.push(m);
        }
        let lower = maps.pop().unwrap_or_default();
        let exact = maps.pop().unwrap_or_default();
        Ok(Clusters { exact, lower })
    }
}
