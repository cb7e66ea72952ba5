//! Case-insensitive sets of ASCII words, built once and shared: every word list of the
//! pipeline (abbreviations, reporting verbs, first names...) is one of these.

use std::sync::LazyLock;

/// A case-insensitive set of ASCII words: open addressing over an FNV hash of the
/// lower-cased bytes, so a lookup is one hash and usually one comparison (the cue test runs
/// on every word of every paragraph holding a quote). Non-ASCII letters compare exactly.
pub struct WordSet {
    table: Vec<u16>,
    words: Vec<&'static str>,
    longest: usize,
}

impl WordSet {
    pub fn new(list: &[&'static str]) -> Self {
        let mut words = list.to_vec();
        words.sort_unstable();
        words.dedup();
        assert!(
            words.len() < usize::from(u16::MAX),
            "a word set holds < 65535 words"
        );
        let size = (words.len() * 4).next_power_of_two().max(16);
        let mut table = vec![0u16; size];
        for (i, w) in words.iter().enumerate() {
            let mut h = Self::hash(w) as usize & (size - 1);
            while table[h] != 0 {
                h = (h + 1) & (size - 1);
            }
            table[h] = i as u16 + 1;
        }
        let longest = words.iter().map(|w| w.len()).max().unwrap_or(0);
        WordSet {
            table,
            words,
            longest,
        }
    }

    fn hash(w: &str) -> u32 {
        let mut h: u32 = 0x811c_9dc5;
        for b in w.bytes() {
            h = (h ^ u32::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0193);
        }
        h
    }

    pub fn contains(&self, w: &str) -> bool {
        if w.len() > self.longest || w.is_empty() {
            return false;
        }
        let mask = self.table.len() - 1;
        let mut h = Self::hash(w) as usize & mask;
        loop {
            match self.table[h] {
                0 => return false,
                i => {
                    if self.words[usize::from(i) - 1].eq_ignore_ascii_case(w) {
                        return true;
                    }
                }
            }
            h = (h + 1) & mask;
        }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Abbreviations whose period belongs to the word and does not end a sentence (compared
/// case-insensitively, without the period). Single letters (initials) and dotted forms (U.S.,
/// a.m.) are handled by rule in the tokenizer. One list for the whole pipeline.
const ABBREVIATION_LIST: &[&str] = &[
    // titles and ranks
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cpt", "maj", "adm", "cmdr",
    "gov", "sen", "sens", "rep", "reps", "rev", "fr", "sr", "jr", "st", "mt", "ft", "pres", "hon",
    "messrs", "mme", "mlle", "supt", "insp", "det", "cllr", // months
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    // companies and references
    "inc", "corp", "co", "ltd", "plc", "bros", "vs", "v", "no", "nos", "vol", "pp", "approx",
    "dept", "est", "etc", "op", "cf", "al", "ph", "excl", "incl", "univ", "assn", "dist", "govt",
    // US states as newspapers abbreviate them, and street words
    "calif", "ariz", "ark", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "kans", "ky",
    "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nebr", "nev", "okla", "ore",
    "pa", "penn", "tenn", "tex", "va", "vt", "wash", "wis", "wyo", "ave", "blvd", "rd",
];

/// See [`ABBREVIATION_LIST`].
pub static ABBREVIATIONS: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(ABBREVIATION_LIST));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_ignore_ascii_case_and_reject_the_rest() {
        let set = WordSet::new(&["said", "Mr", "according"]);
        assert!(set.contains("SAID") && set.contains("mr") && set.contains("According"));
        assert!(!set.contains("sai") && !set.contains("") && !set.contains("saidx"));
        assert_eq!(set.len(), 3);
        assert!(ABBREVIATIONS.contains("Supt") && ABBREVIATIONS.contains("Jan"));
        assert!(!ABBREVIATIONS.contains("said"));
    }
}
