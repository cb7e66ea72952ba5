//! The trained model: linear scorers over hashed features, BILOU Viterbi decoding,
//! the two-stage document pipeline, and the binary model file format.

use rustc_hash::FxHashMap;

use super::bytes::{Reader, Writer};
use super::clusters::Clusters;
use super::features::{base_features, doc_tag_counts, stage2_features, DocCtx, FeatBuf};
use super::gazetteer::Gazetteer;
use super::tags::{self, NUM_TAGS};
use super::{EntityMention, NerError};
use crate::nlp::analysis::EntityLabel;
use crate::nlp::text::{Sentence, Span, Token};

const MAGIC: &[u8; 4] = b"NER1";
const VERSION: u32 = 2;
/// Row index of the "sentence start" pseudo-tag in the transition table.
pub const START: usize = NUM_TAGS;

/// A linear scorer: per-feature weight rows plus tag-transition weights.
#[derive(Clone, Debug, Default)]
pub struct Linear {
    pub index: FxHashMap<u64, u32>,
    pub weights: Vec<f32>,
    /// `(NUM_TAGS + 1) * NUM_TAGS`: from-tag (or START) to to-tag.
    pub trans: Vec<f32>,
}

impl Linear {
    /// Adds the emission scores of the given feature keys to `scores`.
    #[inline]
    pub fn add_emission(&self, feats: &[u64], scores: &mut [f32; NUM_TAGS]) {
        for f in feats {
            if let Some(&row) = self.index.get(f) {
                let w = &self.weights[row as usize * NUM_TAGS..(row as usize + 1) * NUM_TAGS];
                for (s, x) in scores.iter_mut().zip(w) {
                    *s += x;
                }
            }
        }
    }
}

/// Tags that close an entity or are outside one (O, L-*, U-*), in tag order: the valid
/// predecessors of every tag that does not continue an entity (O, B-*, U-*).
const CLOSED: [usize; 9] = [0, 3, 4, 7, 8, 11, 12, 15, 16];

/// Best BILOU-valid tag sequence for `n` tokens given emission scores (n * NUM_TAGS).
///
/// The BILOU structure does the pruning: O, B-X and U-X follow any of the nine [`CLOSED`]
/// tags, I-X and L-X only B-X or I-X. So one column costs 9 x 9 + 8 x 2 additions over
/// fixed-size arrays (no index lookups, no bounds checks). The sums and the tie-breaking
/// (the first best predecessor in tag order) are those of the plain recurrence over the
/// [`ALLOWED`] table, so training and prediction decode exactly as that would (a test
/// compares the two).
pub fn viterbi(emis: &[f32], trans: &[f32], n: usize, out: &mut Vec<u8>) {
    out.clear();
    if n == 0 {
        return;
    }
    let tr = |p: usize, t: usize| trans[p * NUM_TAGS + t];
    // from_closed[t][k]: transition from CLOSED[k] to t.
    let mut from_closed = [[0f32; 9]; NUM_TAGS];
    for (t, row) in from_closed.iter_mut().enumerate() {
        for (w, &p) in row.iter_mut().zip(&CLOSED) {
            *w = tr(p, t);
        }
    }
    let column = |i: usize| -> &[f32; NUM_TAGS] {
        emis[i * NUM_TAGS..(i + 1) * NUM_TAGS]
            .try_into()
            .expect("NUM_TAGS emission scores per token")
    };
    let mut back = vec![[0u8; NUM_TAGS]; n];
    let mut prev = [f32::NEG_INFINITY; NUM_TAGS];
    for (t, (p, e)) in prev.iter_mut().zip(column(0)).enumerate() {
        if tags::allowed(None, t as u8) {
            *p = e + tr(START, t);
        }
    }
    for (i, back) in back.iter_mut().enumerate().skip(1) {
        let e = column(i);
        let closed = CLOSED.map(|p| prev[p]);
        let mut cur = [0f32; NUM_TAGS];
        // O, B-*, U-*: the best of the closed predecessors.
        for t in (0..NUM_TAGS).filter(|t| t % 4 != 2 && t % 4 != 3) {
            let w = &from_closed[t];
            let mut best = closed[0] + w[0];
            let mut arg = 0;
            for k in 1..9 {
                let s = closed[k] + w[k];
                if s > best {
                    best = s;
                    arg = k;
                }
            }
            cur[t] = best + e[t];
            back[t] = CLOSED[arg] as u8;
        }
        // I-X and L-X: B-X or I-X.
        for b in (1..NUM_TAGS).step_by(4) {
            for t in [b + 1, b + 2] {
                let from_b = prev[b] + tr(b, t);
                let from_i = prev[b + 1] + tr(b + 1, t);
                let (best, arg) = if from_i > from_b {
                    (from_i, b + 1)
                } else {
                    (from_b, b)
                };
                cur[t] = best + e[t];
                back[t] = arg as u8;
            }
        }
        prev = cur;
    }
    let mut best = 0usize;
    let mut bs = f32::NEG_INFINITY;
    for (t, &sc) in prev.iter().enumerate() {
        if tags::allowed_end(t as u8) && sc > bs {
            bs = sc;
            best = t;
        }
    }
    out.resize(n, 0);
    out[n - 1] = best as u8;
    for i in (1..n).rev() {
        out[i - 1] = back[i][out[i] as usize];
    }
}

/// Transition validity (BILOU constraints), in const form: the reference the decoder is
/// tested against.
#[cfg(test)]
static ALLOWED: [[bool; NUM_TAGS]; NUM_TAGS] = {
    let mut a = [[false; NUM_TAGS]; NUM_TAGS];
    let mut p = 0;
    while p < NUM_TAGS {
        let mut t = 0;
        while t < NUM_TAGS {
            // Same rules as tags::allowed, in const form.
            let p_open = p != 0 && ((p - 1) % 4 == 0 || (p - 1) % 4 == 1);
            let t_cont = t != 0 && ((t - 1) % 4 == 1 || (t - 1) % 4 == 2);
            a[p][t] = if p_open {
                t_cont && (p - 1) / 4 == (t - 1) / 4
            } else {
                !t_cont
            };
            t += 1;
        }
        p += 1;
    }
    a
};

/// Shared resources baked into the model file.
#[derive(Clone, Debug, Default)]
pub struct Resources {
    pub gazetteer: Gazetteer,
    pub clusters: Clusters,
    pub groups: u32,
}

/// Width of one weight row: stage-1 tags then stage-2 tags, so one hash lookup per
/// feature serves both stages.
const ROW: usize = 2 * NUM_TAGS;

/// One feature's weights stored next to its key, so a lookup costs a single cache
/// miss (inference is memory-bound: ~60 random lookups per token).
#[derive(Clone, Copy, Debug)]
struct Slot {
    key: u64,
    w: [i16; ROW],
}

const EMPTY: u64 = 0;

/// Open-addressing (linear probing) table of quantised weight rows, fronted by a
/// small bit filter (fits in L2) so features absent from the model, about a third
/// of all lookups, usually cost no trip to main memory.
#[derive(Clone, Debug, Default)]
struct WeightTable {
    slots: Vec<Slot>,
    mask: usize,
    len: usize,
    filter: Vec<u64>,
}

const FILTER_BITS: usize = 1 << 21;

#[inline]
fn filter_bit(key: u64) -> usize {
    // high bits: independent of the low bits that pick the slot
    (key >> 40) as usize & (FILTER_BITS - 1)
}

#[inline]
fn nonzero_key(k: u64) -> u64 {
    if k == EMPTY {
        1
    } else {
        k
    }
}

impl WeightTable {
    fn with_rows(n: usize) -> Self {
        // load factor <= 2/3: short probe runs, table stays small
        let cap = (n + n / 2).next_power_of_two().max(16);
        WeightTable {
            filter: vec![0; FILTER_BITS / 64],
            slots: vec![
                Slot {
                    key: EMPTY,
                    w: [0; ROW]
                };
                cap
            ],
            mask: cap - 1,
            len: 0,
        }
    }

    fn insert(&mut self, key: u64, w: [i16; ROW]) {
        let key = nonzero_key(key);
        let b = filter_bit(key);
        self.filter[b / 64] |= 1 << (b % 64);
        let mut i = (key as usize) & self.mask;
        loop {
            let s = &mut self.slots[i];
            if s.key == EMPTY || s.key == key {
                if s.key == EMPTY {
                    self.len += 1;
                }
                s.key = key;
                s.w = w;
                return;
            }
            i = (i + 1) & self.mask;
        }
    }

    #[inline]
    fn get(&self, key: u64) -> Option<&[i16; ROW]> {
        let key = nonzero_key(key);
        let b = filter_bit(key);
        if self.filter[b / 64] & (1 << (b % 64)) == 0 {
            return None;
        }
        let mut i = (key as usize) & self.mask;
        loop {
            let s = &self.slots[i];
            if s.key == key {
                return Some(&s.w);
            }
            if s.key == EMPTY {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    fn iter(&self) -> impl Iterator<Item = &Slot> {
        self.slots.iter().filter(|s| s.key != EMPTY)
    }
}

/// A trained two-stage NER model. Immutable after loading, so it is Send + Sync and
/// can be shared across worker threads behind an `Arc`.
#[derive(Clone, Debug, Default)]
pub struct NerModel {
    pub(crate) res: Resources,
    table: WeightTable,
    /// Weights are stored as `i16`; real value = q * scale.
    scale: f32,
    trans1: Vec<f32>,
    trans2: Option<Vec<f32>>,
}

/// Decodes every sentence with a stand-alone scorer (used for jackknifing in training).
pub(crate) fn decode_doc(
    model: &Linear,
    base: &FeatBuf,
    extra: Option<&FeatBuf>,
    sents: &[Sentence],
    n_tokens: usize,
) -> Vec<u8> {
    let mut tags_out = vec![0u8; n_tokens];
    let mut emis: Vec<f32> = Vec::new();
    let mut seq = Vec::new();
    let mut k = 0usize; // position in feature buffers (sentence order == token order)
    for s in sents {
        let n = s.tokens.len();
        emis.clear();
        emis.resize(n * NUM_TAGS, 0.0);
        for j in 0..n {
            let mut sc = [0f32; NUM_TAGS];
            model.add_emission(base.token(k + j), &mut sc);
            if let Some(x) = extra {
                model.add_emission(x.token(k + j), &mut sc);
            }
            emis[j * NUM_TAGS..(j + 1) * NUM_TAGS].copy_from_slice(&sc);
        }
        viterbi(&emis, &model.trans, n, &mut seq);
        tags_out[s.tokens.clone()].copy_from_slice(&seq);
        k += n;
    }
    tags_out
}

/// Runs Viterbi sentence by sentence over per-token emission scores.
fn decode_emissions(emis: &[f32], trans: &[f32], sents: &[Sentence], n_tokens: usize) -> Vec<u8> {
    let mut tags_out = vec![0u8; n_tokens];
    let mut seq = Vec::new();
    let mut k = 0usize;
    for s in sents {
        let n = s.tokens.len();
        viterbi(&emis[k * NUM_TAGS..(k + n) * NUM_TAGS], trans, n, &mut seq);
        tags_out[s.tokens.clone()].copy_from_slice(&seq);
        k += n;
    }
    tags_out
}

impl NerModel {
    /// Merges separately trained stage scorers into one quantised shared-row table.
    pub(crate) fn from_parts(res: Resources, s1: Linear, s2: Option<Linear>) -> Self {
        let mut keys: Vec<u64> = s1.index.keys().copied().collect();
        if let Some(m) = &s2 {
            keys.extend(m.index.keys().copied());
        }
        keys.sort_unstable();
        keys.dedup();
        let max = s1
            .weights
            .iter()
            .chain(s2.iter().flat_map(|m| m.weights.iter()))
            .fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 32000.0 } else { 1.0 };
        let mut table = WeightTable::with_rows(keys.len());
        for k in &keys {
            let mut row = [0i16; ROW];
            let mut put = |m: &Linear, off: usize| {
                if let Some(&r) = m.index.get(k) {
                    let r = r as usize;
                    for t in 0..NUM_TAGS {
                        row[off + t] = (m.weights[r * NUM_TAGS + t] / scale).round() as i16;
                    }
                }
            };
            put(&s1, 0);
            if let Some(m) = &s2 {
                put(m, NUM_TAGS);
            }
            if row.iter().any(|x| *x != 0) {
                table.insert(*k, row);
            }
        }
        NerModel {
            res,
            table,
            scale,
            trans1: s1.trans,
            trans2: s2.map(|m| m.trans),
        }
    }

    /// The label the model's gazetteer gives a single word used as a name, when it is clear:
    /// a country, city, region or continent is LOC; otherwise the label the word carried in
    /// most of the training documents where it was a name (at least two, and more than half
    /// of them). Person-name lists alone give nothing: too many words are also surnames.
    pub fn known_name(&self, word: &str) -> Option<EntityLabel> {
        let e = self
            .res
            .gazetteer
            .phrase(&[super::hash::hash_lower(word)])?;
        let place_bits = (2..=5).fold(0u16, |m, b| m | 1 << b);
        if e.ext & place_bits != 0 {
            return Some(EntityLabel::Loc);
        }
        let total: u32 = e.train.iter().map(|c| u32::from(*c)).sum();
        let (best, count) = e
            .train
            .iter()
            .enumerate()
            .max_by_key(|(_, c)| **c)
            .map(|(l, c)| (EntityLabel::ALL[l], u32::from(*c)))?;
        if count >= 2 && 2 * count > total {
            return Some(best);
        }
        if e.ext & (1 << 6) != 0 {
            return Some(EntityLabel::Misc);
        }
        None
    }

    /// Is `word` in the gazetteer's list of surnames (PER_LAST)?
    pub fn known_surname(&self, word: &str) -> bool {
        self.res
            .gazetteer
            .phrase(&[super::hash::hash_lower(word)])
            .is_some_and(|e| e.ext & 1 << 1 != 0)
    }

    /// Does the model's gazetteer know `phrase` as a name (any category, or an entity of the
    /// training data)?
    pub fn knows(&self, phrase: &str) -> bool {
        let hashes: Vec<u64> = crate::nlp::text::tokenize(phrase)
            .iter()
            .map(|t| super::hash::hash_lower(t.text(phrase)))
            .collect();
        self.res.gazetteer.phrase(&hashes).is_some()
    }

    /// Number of feature rows.
    pub fn num_features(&self) -> usize {
        self.table.len
    }

    /// Loads a model written by [`NerModel::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Result<Self, NerError> {
        if b.len() < 8 || &b[..4] != MAGIC {
            return Err(NerError::Format("not a NER model file".into()));
        }
        let mut r = Reader::new(&b[4..]);
        let v = r.u32()?;
        if v != VERSION {
            return Err(NerError::Format(format!("unsupported model version {v}")));
        }
        let groups = r.u32()?;
        let gazetteer = Gazetteer::read(&mut r)?;
        let clusters = Clusters::read(&mut r)?;
        let has2 = r.u8()? == 1;
        let scale = r.f32()?;
        let n = r.count(9)?;
        let mut table = WeightTable::with_rows(n);
        for _ in 0..n {
            let k = r.u64()?;
            let nnz = r.u8()? as usize;
            let mut row = [0i16; ROW];
            for _ in 0..nnz {
                let t = r.u8()? as usize;
                if t >= ROW {
                    return Err(NerError::Format("tag out of range".into()));
                }
                row[t] = r.u16()? as i16;
            }
            table.insert(k, row);
        }
        let read_trans = |r: &mut Reader| -> Result<Vec<f32>, NerError> {
            let mut t = vec![0f32; (NUM_TAGS + 1) * NUM_TAGS];
            for x in t.iter_mut() {
                *x = r.f32()?;
            }
            Ok(t)
        };
        let trans1 = read_trans(&mut r)?;
        let trans2 = if has2 {
            Some(read_trans(&mut r)?)
        } else {
            None
        };
        if !r.is_empty() {
            return Err(NerError::Format("trailing bytes".into()));
        }
        Ok(NerModel {
            res: Resources {
                gazetteer,
                clusters,
                groups,
            },
            table,
            scale,
            trans1,
            trans2,
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.buf.extend_from_slice(MAGIC);
        w.u32(VERSION);
        w.u32(self.res.groups);
        self.res.gazetteer.write(&mut w);
        self.res.clusters.write(&mut w);
        w.u8(self.trans2.is_some() as u8);
        w.f32(self.scale);
        // Sparse rows: most features only ever touched a few tags.
        let mut rows: Vec<&Slot> = self.table.iter().collect();
        rows.sort_unstable_by_key(|s| s.key);
        w.u32(rows.len() as u32);
        for s in rows {
            w.u64(s.key);
            w.u8(s.w.iter().filter(|x| **x != 0).count() as u8);
            for (t, x) in s.w.iter().enumerate() {
                if *x != 0 {
                    w.u8(t as u8);
                    w.u16(*x as u16);
                }
            }
        }
        for x in &self.trans1 {
            w.f32(*x);
        }
        if let Some(t2) = &self.trans2 {
            for x in t2 {
                w.f32(*x);
            }
        }
        w.buf
    }

    /// Finds entity mentions in a whole document. `tokens` and `sentences` must come
    /// from [`crate::nlp::text::tokenize`] / [`crate::nlp::text::sentences`] on `text`.
    pub fn predict(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
    ) -> Vec<EntityMention> {
        let tags_out = self.predict_tags(text, tokens, sentences);
        let mut out = Vec::new();
        for s in sentences {
            for (a, b, label) in tags::decode(&tags_out[s.tokens.clone()]) {
                let a = s.tokens.start + a;
                let b = s.tokens.start + b;
                out.push(EntityMention {
                    span: Span::new(tokens[a].span.start, tokens[b - 1].span.end),
                    label,
                });
            }
        }
        out
    }

    /// Per-token BILOU tags (see [`tags`]).
    pub(crate) fn predict_tags(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
    ) -> Vec<u8> {
        let ctx = DocCtx::new(
            text,
            tokens,
            sentences,
            &self.res.gazetteer,
            &self.res.clusters,
            None,
            self.res.groups,
        );
        let mut base = FeatBuf::default();
        base_features(&ctx, sentences, self.res.groups, &mut base);
        // Tokens covered by `sentences`, in order (feature buffers follow this order).
        let n_feat_tokens = base.offs.len().saturating_sub(1);
        let mut e1 = vec![0f32; n_feat_tokens * NUM_TAGS];
        // Stage-2 partial scores (integer units) from the shared base features.
        let mut acc2 = vec![0i32; n_feat_tokens * NUM_TAGS];
        for j in 0..n_feat_tokens {
            let mut acc = [0i32; ROW];
            for f in base.token(j) {
                if let Some(w) = self.table.get(*f) {
                    for (a, x) in acc.iter_mut().zip(w.iter()) {
                        *a += *x as i32;
                    }
                }
            }
            for t in 0..NUM_TAGS {
                e1[j * NUM_TAGS + t] = acc[t] as f32 * self.scale;
            }
            acc2[j * NUM_TAGS..(j + 1) * NUM_TAGS].copy_from_slice(&acc[NUM_TAGS..]);
        }
        let s1 = decode_emissions(&e1, &self.trans1, sentences, tokens.len());
        let Some(trans2) = &self.trans2 else {
            return s1;
        };
        let counts = doc_tag_counts(&ctx, &s1);
        let mut extra = FeatBuf::default();
        stage2_features(&ctx, sentences, &s1, &counts, &mut extra);
        for j in 0..n_feat_tokens {
            let b = &mut acc2[j * NUM_TAGS..(j + 1) * NUM_TAGS];
            for f in extra.token(j) {
                if let Some(w) = self.table.get(*f) {
                    for (x, y) in b.iter_mut().zip(&w[NUM_TAGS..]) {
                        *x += *y as i32;
                    }
                }
            }
        }
        let e2: Vec<f32> = acc2.iter().map(|x| *x as f32 * self.scale).collect();
        decode_emissions(&e2, trans2, sentences, tokens.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_table_matches_rules() {
        for (p, row) in ALLOWED.iter().enumerate() {
            for (t, &ok) in row.iter().enumerate() {
                assert_eq!(ok, tags::allowed(Some(p as u8), t as u8));
            }
        }
    }

    /// The plain recurrence over all 17 x 17 transitions with the BILOU table.
    fn viterbi_reference(emis: &[f32], trans: &[f32], n: usize) -> Vec<u8> {
        let mut score = vec![f32::NEG_INFINITY; n * NUM_TAGS];
        let mut back = vec![0u8; n * NUM_TAGS];
        for t in 0..NUM_TAGS {
            if tags::allowed(None, t as u8) {
                score[t] = emis[t] + trans[START * NUM_TAGS + t];
            }
        }
        for i in 1..n {
            for t in 0..NUM_TAGS {
                let mut best = f32::NEG_INFINITY;
                let mut arg = None;
                for p in 0..NUM_TAGS {
                    if !ALLOWED[p][t] {
                        continue;
                    }
                    let s = score[(i - 1) * NUM_TAGS + p] + trans[p * NUM_TAGS + t];
                    if arg.is_none() || s > best {
                        best = s;
                        arg = Some(p as u8);
                    }
                }
                score[i * NUM_TAGS + t] = best + emis[i * NUM_TAGS + t];
                back[i * NUM_TAGS + t] = arg.unwrap();
            }
        }
        let mut best = 0;
        let mut bs = f32::NEG_INFINITY;
        for t in 0..NUM_TAGS {
            let sc = score[(n - 1) * NUM_TAGS + t];
            if tags::allowed_end(t as u8) && sc > bs {
                bs = sc;
                best = t;
            }
        }
        let mut out = vec![0u8; n];
        out[n - 1] = best as u8;
        for i in (1..n).rev() {
            out[i - 1] = back[i * NUM_TAGS + out[i] as usize];
        }
        out
    }

    #[test]
    fn closed_tags_are_the_predecessors_of_every_non_continuing_tag() {
        for t in 0..NUM_TAGS {
            let preds: Vec<usize> = (0..NUM_TAGS)
                .filter(|&p| tags::allowed(Some(p as u8), t as u8))
                .collect();
            let continuing = t % 4 == 2 || t % 4 == 3;
            if continuing {
                let b = t - (t - 1) % 4;
                assert_eq!(preds, vec![b, b + 1], "tag {t}");
            } else {
                assert_eq!(preds, CLOSED.to_vec(), "tag {t}");
            }
        }
    }

    #[test]
    fn viterbi_decodes_as_the_plain_recurrence() {
        // A small deterministic generator; coarse values make ties common.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state % 9) as f32 - 4.0) * 0.5
        };
        let mut out = Vec::new();
        for n in [1usize, 2, 3, 7, 40] {
            for _ in 0..50 {
                let emis: Vec<f32> = (0..n * NUM_TAGS).map(|_| next()).collect();
                let trans: Vec<f32> = (0..(NUM_TAGS + 1) * NUM_TAGS).map(|_| next()).collect();
                viterbi(&emis, &trans, n, &mut out);
                assert_eq!(out, viterbi_reference(&emis, &trans, n));
            }
        }
    }

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn model_is_send_sync() {
        assert_send_sync::<NerModel>();
    }
}
