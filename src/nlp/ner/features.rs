//! Feature extraction: turns the tokens of a document into hashed feature keys.
//!
//! A feature is `combine(template id, value hash)`; values are hashes of token strings
//! computed once per token ([`TokInfo`]) without allocating, so the per-token cost is
//! a few dozen integer mixes. Stage-1 features look at the token, its window, the
//! gazetteer, word clusters and simple document statistics; stage-2 features add what
//! the stage-1 tagger predicted elsewhere in the same document (label consistency).

use std::ops::Range;
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::clusters::{Clusters, LEVELS};
use super::gazetteer::{Exclusion, Gazetteer, Marks, NUM_CATS};
use super::hash::{combine, hash_lower, hash_str, hash_title, StrHasher};
use super::tags::NUM_TAGS;
use crate::nlp::text::wordset::WordSet;
use crate::nlp::text::{flags, Sentence, Token};

/// Feature groups that can be switched off (ablation); stored in the model so
/// inference extracts exactly what training did.
pub mod groups {
    pub const GAZ_EXT: u32 = 1;
    pub const GAZ_TRAIN: u32 = 1 << 1;
    pub const CLUSTERS: u32 = 1 << 2;
    pub const DOC: u32 = 1 << 3;
    /// Shouted runs read case-normalised (models before it had no such bit).
    pub const SHOUTED: u32 = 1 << 4;
    pub const ALL: u32 = GAZ_EXT | GAZ_TRAIN | CLUSTERS | DOC | SHOUTED;
}

/// Precomputed per-token hashes.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokInfo {
    pub exact: u64,
    pub lower: u64,
    pub shape: u64,
    pub short_shape: u64,
    pub pre: [u64; 4],
    pub suf: [u64; 4],
    pub npre: u8,
    pub flags: u16,
    pub clus: [u32; LEVELS],
}

#[inline]
fn shape_class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() || c.is_alphabetic() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else {
        c
    }
}

pub fn token_info(s: &str, fl: u16, clusters: &Clusters) -> TokInfo {
    let mut ti = TokInfo {
        exact: hash_str(s),
        lower: hash_lower(s),
        flags: fl,
        ..Default::default()
    };
    // Shapes: long shape caps runs at 4, short shape collapses runs entirely.
    let mut sh = StrHasher::default();
    let mut ssh = StrHasher::default();
    let mut last = '\0';
    let mut run = 0;
    let mut pre = StrHasher::default();
    let mut n = 0usize;
    for c in s.chars() {
        let k = shape_class(c);
        if k == last {
            run += 1;
        } else {
            run = 1;
            ssh.char(k);
        }
        if run <= 4 {
            sh.char(k);
        }
        last = k;
        if n < 4 {
            pre.char(c);
            ti.pre[n] = pre.finish();
        }
        n += 1;
    }
    ti.npre = n.min(4) as u8;
    ti.shape = sh.finish();
    ti.short_shape = ssh.finish();
    let mut suf = StrHasher::default();
    for (i, c) in s.chars().rev().take(4).enumerate() {
        suf.char(c);
        ti.suf[i] = suf.finish();
    }
    if !clusters.is_empty() {
        let all_caps = fl & flags::ALL_CAPS != 0;
        let title = if all_caps { hash_title(s) } else { 0 };
        ti.clus = clusters.lookup(ti.exact, title, ti.lower, all_caps);
    }
    ti
}

/// Feature keys of many tokens, flattened: token i owns `feats[offs[i]..offs[i+1]]`.
#[derive(Clone, Debug, Default)]
pub struct FeatBuf {
    pub feats: Vec<u64>,
    pub offs: Vec<u32>,
}

impl FeatBuf {
    pub fn clear(&mut self) {
        self.feats.clear();
        self.offs.clear();
        self.offs.push(0);
    }
    #[inline]
    pub fn token(&self, i: usize) -> &[u64] {
        &self.feats[self.offs[i] as usize..self.offs[i + 1] as usize]
    }
    #[inline]
    fn push(&mut self, t: u64, v: u64) {
        self.feats.push(combine(t, v));
    }
    #[inline]
    fn end_token(&mut self) {
        self.offs.push(self.feats.len() as u32);
    }
}

// Template ids. Never renumber: they are baked into trained models.
const T_BIAS: u64 = 1;
const T_W: u64 = 2;
const T_L0: u64 = 3;
const T_LM1: u64 = 4;
const T_LP1: u64 = 5;
const T_LM2: u64 = 6;
const T_LP2: u64 = 7;
const T_SH0: u64 = 8;
const T_SHM1: u64 = 9;
const T_SHP1: u64 = 10;
const T_SSH0: u64 = 11;
const T_SHBI: u64 = 12;
const T_SHBI2: u64 = 13;
const T_PRE: u64 = 14; // ..=17
const T_SUF: u64 = 18; // ..=21
const T_BIG_L: u64 = 22;
const T_BIG_R: u64 = 23;
const T_FLAGS: u64 = 24;
const T_FIRST: u64 = 25;
const T_CAPSENT: u64 = 26;
const T_CAPSENT_L: u64 = 27;
const T_SSHM1: u64 = 28;
const T_SSHP1: u64 = 29;
const T_CL: u64 = 30; // 30 + level*3 + (offset+1)
const T_CL_BI: u64 = 45; // + level
const T_GAZ: u64 = 50;
const T_GAZM1: u64 = 51;
const T_GAZP1: u64 = 52;
const T_LOWSEEN: u64 = 53;
const T_TITLESEEN: u64 = 54;
const T_GAZ_L0: u64 = 55;
const T_S1: u64 = 60; // 60..=62
const T_DOC: u64 = 63;
const T_DOCMAJ: u64 = 64;
const T_S1BI: u64 = 65;
const T_DOC_SH: u64 = 66;
/// A word of a shouted run, read case-normalised (see [`shouted_runs`]), so the model knows
/// the casing it sees is not the writer's.
const T_SHOUTED: u64 = 67;

/// The stage-1 "tag" of a neighbour beyond the sentence's edge: any value that is no tag id
/// (< NUM_TAGS) would do; the shipped model's features were hashed with this one.
const NO_TAG: u64 = 99;
const BOS: u64 = 0x1111;
const EOS: u64 = 0x2222;

/// Closed-class words: in a shouted run they are read in lower case.
static CLOSED_CLASS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "into",
        "over", "after", "before", "as", "and", "or", "but", "not", "no", "is", "are", "was",
        "were", "be", "been", "has", "have", "had", "will", "would", "can", "could", "may", "that",
        "this", "it", "its", "he", "his", "she", "her", "they", "their", "we", "our", "who",
        "which", "said", "says", "'s",
    ])
});

/// Runs of shouted words (leads, datelines, headlines in capitals: "LAURIE OAKES IS THE NINE
/// NETWORK'S political editor"): maximal runs of tokens with no lower-case letter, holding
/// three words or more and at least one closed-class word ("IS", "THE", "OF"), so that a
/// string of acronyms ("US FBI CIA") is not one. Their words are read case-normalised:
/// closed-class words in lower case, words of four letters or more in Title Case, shorter
/// ones (acronyms: "US", "BBC") as written. One pass: returns the number of token visits,
/// at most twice the sentence's length (each token is scanned once, a run's tokens once more
/// to mark them).
fn shouted_runs(text: &str, tokens: &[Token], r: Range<usize>, out: &mut [bool]) -> usize {
    let mut visits = 0;
    let mut i = r.start;
    while i < r.end {
        if tokens[i].flags & flags::HAS_LOWER != 0 {
            visits += 1;
            i += 1;
            continue;
        }
        let mut j = i;
        let (mut words, mut closed) = (0, false);
        while j < r.end && tokens[j].flags & flags::HAS_LOWER == 0 {
            visits += 1;
            if tokens[j].flags & flags::HAS_ALPHA != 0 {
                words += 1;
                closed |= CLOSED_CLASS.contains(tokens[j].span.slice(text));
            }
            j += 1;
        }
        if words >= 3 && closed {
            for (k, t) in tokens.iter().enumerate().take(j).skip(i) {
                visits += 1;
                out[k] = t.flags & flags::ALL_CAPS != 0;
            }
        }
        i = j;
    }
    visits
}

/// The case-normalised form of a shouted word and its flags (see [`shouted_runs`]).
fn normalise_shouted(word: &str, fl: u16, into: &mut String) -> u16 {
    into.clear();
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if CLOSED_CLASS.contains(word) {
        into.extend(word.chars().flat_map(char::to_lowercase));
        return (fl & !(flags::ALL_CAPS | flags::INIT_CAP)) | flags::HAS_LOWER;
    }
    if letters <= 3 {
        into.push_str(word);
        return fl;
    }
    let mut first = true;
    for c in word.chars() {
        if first && c.is_alphabetic() {
            into.push(c);
            first = false;
        } else {
            into.extend(c.to_lowercase());
        }
    }
    (fl & !flags::ALL_CAPS) | flags::HAS_LOWER
}

/// Everything the extractor needs about one document, computed once.
pub struct DocCtx {
    pub infos: Vec<TokInfo>,
    /// Tokens of shouted runs, read case-normalised.
    shouted: Vec<bool>,
    pub marks: Vec<Marks>,
    /// Lowercase hashes of words seen starting with a lowercase letter.
    lower_seen: FxHashSet<u64>,
    /// Lowercase hashes of words seen title-cased (not at sentence start).
    title_seen: FxHashSet<u64>,
    caps_sentence: Vec<bool>,
}

impl DocCtx {
    pub fn new(
        text: &str,
        tokens: &[Token],
        sents: &[Sentence],
        gaz: &Gazetteer,
        clusters: &Clusters,
        exclude: Option<&Exclusion>,
        groups_on: u32,
    ) -> Self {
        let mut shouted = vec![false; tokens.len()];
        if groups_on & groups::SHOUTED != 0 {
            for s in sents {
                let _ = shouted_runs(text, tokens, s.tokens.clone(), &mut shouted);
            }
        }
        let mut norm = String::new();
        let infos: Vec<TokInfo> = tokens
            .iter()
            .zip(&shouted)
            .map(|(t, &sh)| {
                let w = t.span.slice(text);
                if sh {
                    let fl = normalise_shouted(w, t.flags, &mut norm);
                    token_info(&norm, fl, clusters)
                } else {
                    token_info(w, t.flags, clusters)
                }
            })
            .collect();
        let mut marks = vec![[0u8; NUM_CATS]; tokens.len()];
        let mut lower_seen = FxHashSet::default();
        let mut title_seen = FxHashSet::default();
        let mut caps_sentence = Vec::with_capacity(sents.len());
        let mut lowers = Vec::new();
        for s in sents {
            let r = s.tokens.clone();
            if groups_on & (groups::GAZ_EXT | groups::GAZ_TRAIN) != 0 {
                lowers.clear();
                lowers.extend(infos[r.clone()].iter().map(|t| t.lower));
                gaz.annotate(&lowers, exclude, &mut marks[r.clone()]);
                if groups_on & groups::GAZ_EXT == 0 {
                    for m in &mut marks[r.clone()] {
                        m[..super::gazetteer::EXT_CATEGORIES.len()].fill(0);
                    }
                }
                if groups_on & groups::GAZ_TRAIN == 0 {
                    for m in &mut marks[r.clone()] {
                        m[super::gazetteer::EXT_CATEGORIES.len()..].fill(0);
                    }
                }
            }
            let mut alpha = 0;
            let mut caps = 0;
            for (k, i) in r.clone().enumerate() {
                // What the writer capitalised, not the normalised reading.
                let f = tokens[i].flags;
                if f & flags::HAS_ALPHA != 0 {
                    alpha += 1;
                    if f & flags::ALL_CAPS != 0 {
                        caps += 1;
                    }
                }
                if f & flags::HAS_LOWER != 0 && f & flags::INIT_CAP == 0 {
                    lower_seen.insert(infos[i].lower);
                }
                if k > 0 && f & flags::INIT_CAP != 0 && f & flags::HAS_LOWER != 0 {
                    title_seen.insert(infos[i].lower);
                }
            }
            caps_sentence.push(alpha >= 2 && caps * 10 >= alpha * 8);
        }
        DocCtx {
            infos,
            shouted,
            marks,
            lower_seen,
            title_seen,
            caps_sentence,
        }
    }
}

/// Stage-1 features for every token of the document, sentence by sentence.
pub fn base_features(ctx: &DocCtx, sents: &[Sentence], groups_on: u32, out: &mut FeatBuf) {
    out.clear();
    for (si, s) in sents.iter().enumerate() {
        sentence_features(ctx, s.tokens.clone(), ctx.caps_sentence[si], groups_on, out);
    }
}

fn sentence_features(
    ctx: &DocCtx,
    r: Range<usize>,
    caps_sent: bool,
    groups_on: u32,
    out: &mut FeatBuf,
) {
    let infos = &ctx.infos;
    let lower_at = |j: isize| -> u64 {
        if j < r.start as isize {
            BOS
        } else if j >= r.end as isize {
            EOS
        } else {
            infos[j as usize].lower
        }
    };
    let shape_at = |j: isize| -> (u64, u64) {
        if j < r.start as isize {
            (BOS, BOS)
        } else if j >= r.end as isize {
            (EOS, EOS)
        } else {
            let t = &infos[j as usize];
            (t.shape, t.short_shape)
        }
    };
    for i in r.clone() {
        let t = &infos[i];
        let ii = i as isize;
        out.push(T_BIAS, 0);
        out.push(T_W, t.exact);
        out.push(T_L0, t.lower);
        let (lm1, lp1) = (lower_at(ii - 1), lower_at(ii + 1));
        out.push(T_LM1, lm1);
        out.push(T_LP1, lp1);
        out.push(T_LM2, lower_at(ii - 2));
        out.push(T_LP2, lower_at(ii + 2));
        out.push(T_BIG_L, combine(lm1, t.lower));
        out.push(T_BIG_R, combine(t.lower, lp1));
        let (shm1, sshm1) = shape_at(ii - 1);
        let (shp1, sshp1) = shape_at(ii + 1);
        out.push(T_SH0, t.shape);
        out.push(T_SSH0, t.short_shape);
        out.push(T_SHM1, shm1);
        out.push(T_SHP1, shp1);
        out.push(T_SSHM1, sshm1);
        out.push(T_SSHP1, sshp1);
        out.push(T_SHBI, combine(sshm1, t.short_shape));
        out.push(T_SHBI2, combine(t.short_shape, sshp1));
        for k in 0..t.npre as usize {
            out.push(T_PRE + k as u64, t.pre[k]);
            out.push(T_SUF + k as u64, t.suf[k]);
        }
        out.push(T_FLAGS, (t.flags & !flags::LINE_START) as u64);
        if i == r.start {
            out.push(T_FIRST, t.short_shape);
        }
        if caps_sent {
            out.push(T_CAPSENT, t.short_shape);
            out.push(T_CAPSENT_L, t.lower);
        }
        if ctx.shouted[i] {
            out.push(T_SHOUTED, 1);
        }
        if groups_on & groups::CLUSTERS != 0 {
            for lvl in 0..LEVELS {
                let c0 = t.clus[lvl];
                if c0 == 0 && lvl > 0 {
                    continue;
                }
                out.push(T_CL + lvl as u64 * 3 + 1, c0 as u64);
                let cm1 = if i > r.start {
                    infos[i - 1].clus[lvl] as u64
                } else {
                    BOS
                };
                let cp1 = if i + 1 < r.end {
                    infos[i + 1].clus[lvl] as u64
                } else {
                    EOS
                };
                out.push(T_CL + lvl as u64 * 3, cm1);
                out.push(T_CL + lvl as u64 * 3 + 2, cp1);
                if lvl == 1 {
                    out.push(T_CL_BI, combine(cm1, c0 as u64));
                }
            }
        }
        if groups_on & (groups::GAZ_EXT | groups::GAZ_TRAIN) != 0 {
            let m = &ctx.marks[i];
            let mut any = false;
            for (cat, &p) in m.iter().enumerate() {
                if p != 0 {
                    any = true;
                    out.push(T_GAZ, (cat * 8 + p as usize) as u64);
                }
            }
            if any && t.flags & flags::INIT_CAP == 0 {
                // Lowercase words that happen to be in a list ("may", "bill")
                out.push(T_GAZ_L0, 1);
            }
            if i > r.start {
                for (cat, &p) in ctx.marks[i - 1].iter().enumerate() {
                    if p != 0 {
                        out.push(T_GAZM1, (cat * 8 + p as usize) as u64);
                    }
                }
            }
            if i + 1 < r.end {
                for (cat, &p) in ctx.marks[i + 1].iter().enumerate() {
                    if p != 0 {
                        out.push(T_GAZP1, (cat * 8 + p as usize) as u64);
                    }
                }
            }
        }
        if groups_on & groups::DOC != 0 {
            if t.flags & flags::INIT_CAP != 0 {
                let seen = ctx.lower_seen.contains(&t.lower);
                out.push(T_LOWSEEN, seen as u64 + 2 * (i == r.start) as u64);
            }
            if t.flags & flags::ALL_CAPS != 0 {
                out.push(T_TITLESEEN, ctx.title_seen.contains(&t.lower) as u64);
            }
        }
        out.end_token();
    }
}

/// Stage-1 tag counts of each lowercase word over the whole document.
pub type TagCounts = FxHashMap<u64, [u16; NUM_TAGS]>;

pub fn doc_tag_counts(ctx: &DocCtx, s1: &[u8]) -> TagCounts {
    let mut m: TagCounts = FxHashMap::default();
    for (t, &tag) in ctx.infos.iter().zip(s1) {
        // Only capitalised words carry useful consistency evidence.
        if t.flags & (flags::INIT_CAP | flags::ALL_CAPS) == 0 {
            continue;
        }
        let n = &mut m.entry(t.lower).or_insert([0; NUM_TAGS])[tag as usize];
        // A word repeated more than 65,535 times (hostile input) stops counting.
        *n = n.saturating_add(1);
    }
    m
}

/// Stage-2 extra features: the stage-1 tags around the token and what stage 1 said
/// about the same word elsewhere in the document.
pub fn stage2_features(
    ctx: &DocCtx,
    sents: &[Sentence],
    s1: &[u8],
    counts: &TagCounts,
    out: &mut FeatBuf,
) {
    out.clear();
    for s in sents {
        let r = s.tokens.clone();
        for i in r.clone() {
            let t = &ctx.infos[i];
            let prev = if i > r.start {
                s1[i - 1] as u64
            } else {
                NO_TAG
            };
            let next = if i + 1 < r.end {
                s1[i + 1] as u64
            } else {
                NO_TAG
            };
            out.push(T_S1, prev);
            out.push(T_S1 + 1, s1[i] as u64);
            out.push(T_S1 + 2, next);
            out.push(T_S1BI, combine(prev, s1[i] as u64));
            if let Some(c) = counts.get(&t.lower) {
                // "The other occurrences": the token's own stage-1 tag is taken off its form's
                // count. The committed model was trained with this definition as it stands,
                // in 16-bit arithmetic that wraps: a lower-case "w" (never counted itself)
                // takes one off the counts of a capitalised "W", and where that count is 0 it
                // wraps. Changing it changes every feature vector, so it changes only
                // together with a retrained model (`train-ner` reproduces models/ner.bin
                // byte for byte only with this definition); the wrapping is spelled out so
                // that debug builds compute what release builds do instead of panicking.
                let mut by_label = [0u16; 5];
                for (tag, &n) in c.iter().enumerate() {
                    let n = n.wrapping_sub((tag == s1[i] as usize) as u16);
                    if n > 0 {
                        out.push(T_DOC, tag as u64);
                        let l = if tag == 0 { 0 } else { 1 + (tag - 1) / 4 };
                        by_label[l] = by_label[l].wrapping_add(n);
                    }
                }
                let ent = by_label[1..].iter().fold(0u16, |a, &b| a.wrapping_add(b));
                if ent > 0 {
                    let (best, _) = by_label[1..]
                        .iter()
                        .enumerate()
                        .max_by_key(|&(k, &n)| (n, std::cmp::Reverse(k)))
                        .unwrap_or((0, &0));
                    let frac = if ent.wrapping_mul(2) > ent.wrapping_add(by_label[0]) {
                        1
                    } else {
                        0
                    };
                    out.push(T_DOCMAJ, (best * 2 + frac) as u64);
                    out.push(T_DOC_SH, combine(best as u64, t.short_shape));
                }
            }
            out.end_token();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::text::{sentences, tokenize};

    /// The words of `text` that [`shouted_runs`] marks.
    fn shouted(text: &str) -> Vec<&str> {
        let tokens = tokenize(text);
        let mut out = vec![false; tokens.len()];
        for s in sentences(text, &tokens) {
            let _ = shouted_runs(text, &tokens, s.tokens.clone(), &mut out);
        }
        tokens
            .iter()
            .zip(&out)
            .filter(|(_, &s)| s)
            .map(|(t, _)| t.span.slice(text))
            .collect()
    }

    #[test]
    fn a_shouted_lead_in_is_a_run_and_acronyms_are_not() {
        let lead = shouted("LAURIE OAKES IS THE NINE NETWORK'S political editor.");
        assert_eq!(
            lead[..6],
            ["LAURIE", "OAKES", "IS", "THE", "NINE", "NETWORK"]
        );
        assert!(shouted("US FBI CIA agents met in Paris.").is_empty());
        assert!(shouted("A HIGH-powered car crashed.").is_empty());
        assert!(shouted("UN officials said the BBC had it.").is_empty());
    }

    #[test]
    fn shouted_words_are_read_in_their_usual_case() {
        let mut s = String::new();
        let fl = |w: &str| tokenize(w)[0].flags;
        let f = normalise_shouted("THE", fl("THE"), &mut s);
        assert_eq!(
            (s.as_str(), f & flags::INIT_CAP, f & flags::ALL_CAPS),
            ("the", 0, 0)
        );
        let f = normalise_shouted("OAKES", fl("OAKES"), &mut s);
        assert_eq!(s, "Oakes");
        assert_ne!(f & flags::INIT_CAP, 0);
        assert_eq!(f & flags::ALL_CAPS, 0);
        normalise_shouted("BBC", fl("BBC"), &mut s);
        assert_eq!(s, "BBC");
        normalise_shouted("HIGH-POWERED", fl("HIGH-POWERED"), &mut s);
        assert_eq!(s, "High-powered");
    }

    #[test]
    fn shouted_runs_look_at_each_token_once() {
        // Hostile sentences: one long run of capitals, and runs too short to count
        // alternating with lower-case words. The visits stay within twice the tokens.
        for text in ["THE CAT ".repeat(10_000), "THE CAT sat ".repeat(10_000)] {
            let tokens = tokenize(&text);
            let mut out = vec![false; tokens.len()];
            let visits = shouted_runs(&text, &tokens, 0..tokens.len(), &mut out);
            assert!(
                visits <= 2 * tokens.len(),
                "{visits} visits, {}",
                tokens.len()
            );
        }
        let text = "THE CAT ".repeat(10_000);
        let tokens = tokenize(&text);
        let mut out = vec![false; tokens.len()];
        let _ = shouted_runs(&text, &tokens, 0..tokens.len(), &mut out);
        assert_eq!(out.iter().filter(|s| **s).count(), 20_000);
    }
}
