//! The entity recognizer's trainer: projects the gold spans of CoNLL documents onto our own
//! tokens and fits the two-stage model with an averaged structured perceptron
//! (deterministic: fixed seed, fixed order), then scores it on a development file through the
//! path the service uses (article body -> tokens -> sentences -> predict).

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use super::conll::{read_conll, read_conll_as, Convention, GoldDoc};
use super::TrainError;
use crate::nlp::analysis::EntityLabel;
use crate::nlp::ner::clusters::Clusters;
use crate::nlp::ner::features::{
    base_features, doc_tag_counts, groups, stage2_features, DocCtx, FeatBuf,
};
use crate::nlp::ner::gazetteer::{Exclusion, Gazetteer};
use crate::nlp::ner::hash::hash_lower;
use crate::nlp::ner::model::{decode_doc, viterbi, Linear, NerModel, Resources, START};
use crate::nlp::ner::tags::{self, NUM_TAGS};
use crate::nlp::text::{sentences, tokenize, Sentence, Span, Token};

/// Training settings. Defaults are the ones used for the shipped model.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// More training files in GUM's conventions (read mapped to CoNLL-2003's, see
    /// [`Convention::Gum`]), after the CoNLL ones.
    pub gum: Vec<PathBuf>,
    pub epochs: usize,
    pub stage2_epochs: usize,
    /// Folds for the jackknifed stage-1 predictions that stage 2 trains on; 0 or 1
    /// disables stage 2.
    pub folds: usize,
    /// Features seen fewer times than this in training are dropped.
    pub min_count: u32,
    pub seed: u64,
    /// `CATEGORY<TAB>phrase` gazetteer file, if any.
    pub gazetteer: Option<PathBuf>,
    /// `word<TAB>id...` cluster file, if any.
    pub clusters: Option<PathBuf>,
    /// Feature groups (see [`groups`]).
    pub groups: u32,
    /// Log progress (at INFO).
    pub verbose: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            gum: Vec::new(),
            epochs: 10,
            stage2_epochs: 10,
            folds: 5,
            min_count: 1,
            seed: 0x5eed,
            gazetteer: None,
            clusters: None,
            // The leave-one-out training-phrase gazetteer (GAZ_TRAIN) did not help on
            // eng.testa and cost ~0.4 F1 out of domain (wikigold), so it is off.
            groups: groups::ALL & !groups::GAZ_TRAIN,
            verbose: false,
        }
    }
}

/// Precision / recall / F1 with counts, conlleval style (exact span and label).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Dev-set figures: overall and per label (index = `EntityLabel as usize`).
#[derive(Clone, Debug, Default)]
pub struct TrainReport {
    pub overall: Prf,
    pub per_label: [Prf; 4],
    pub train_docs: usize,
    pub train_tokens: usize,
    /// Gold entities whose boundaries did not fall on our token boundaries.
    pub misaligned_gold: usize,
    pub features: usize,
}

impl std::fmt::Display for TrainReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let line = |f: &mut std::fmt::Formatter<'_>, name: &str, p: &Prf| {
            writeln!(
                f,
                "{:<8} P {:6.2}  R {:6.2}  F1 {:6.2}  (tp {} fp {} fn {})",
                name,
                100.0 * p.precision(),
                100.0 * p.recall(),
                100.0 * p.f1(),
                p.tp,
                p.fp,
                p.fn_
            )
        };
        for l in EntityLabel::ALL {
            line(f, l.as_str(), &self.per_label[l as usize])?;
        }
        line(f, "overall", &self.overall)
    }
}

/// A training document after tokenization with our tokenizer.
struct Prepared {
    body: String,
    tokens: Vec<Token>,
    sents: Vec<Sentence>,
    tags: Vec<u8>,
    /// This document's own entity phrases (for the leave-one-out gazetteer).
    own: Exclusion,
    /// Token hashes of each own phrase, by phrase key.
    own_hashes: FxHashMap<u64, Vec<u64>>,
}

/// Projects gold byte spans onto token indices; returns tags and misaligned count.
fn project(tokens: &[Token], sents: &[Sentence], gold: &[(Span, EntityLabel)]) -> (Vec<u8>, usize) {
    let mut by_start: FxHashMap<usize, usize> = FxHashMap::default();
    let mut by_end: FxHashMap<usize, usize> = FxHashMap::default();
    for (i, t) in tokens.iter().enumerate() {
        by_start.insert(t.span.start, i);
        by_end.insert(t.span.end, i);
    }
    let mut sent_of = vec![0usize; tokens.len()];
    for (si, s) in sents.iter().enumerate() {
        for i in s.tokens.clone() {
            sent_of[i] = si;
        }
    }
    let mut spans = Vec::new();
    let mut bad = 0;
    for (sp, l) in gold {
        match (by_start.get(&sp.start), by_end.get(&sp.end)) {
            (Some(&a), Some(&b)) if sent_of[a] == sent_of[b] => spans.push((a, b + 1, *l)),
            _ => bad += 1,
        }
    }
    (tags::encode(tokens.len(), &spans), bad)
}

fn prepare(doc: &GoldDoc) -> (Prepared, usize) {
    let tokens = tokenize(&doc.body);
    let sents = sentences(&doc.body, &tokens);
    let (tags_v, bad) = project(&tokens, &sents, &doc.gold);
    let mut own: Exclusion = FxHashMap::default();
    let mut own_hashes: FxHashMap<u64, Vec<u64>> = FxHashMap::default();
    for s in &sents {
        for (a, b, l) in tags::decode(&tags_v[s.tokens.clone()]) {
            let hs: Vec<u64> = (s.tokens.start + a..s.tokens.start + b)
                .map(|i| hash_lower(tokens[i].span.slice(&doc.body)))
                .collect();
            let key = Gazetteer::key(&hs);
            let e = own.entry(key).or_insert([0; 4]);
            e[l as usize] = 1; // document frequency: count once per document
            own_hashes.insert(key, hs);
        }
    }
    (
        Prepared {
            body: doc.body.clone(),
            tokens,
            sents,
            tags: tags_v,
            own,
            own_hashes,
        },
        bad,
    )
}

/// Averaged structured perceptron over pre-resolved feature ids.
struct Perceptron {
    w: Vec<f32>,
    u: Vec<f32>,
    trans: Vec<f32>,
    trans_u: Vec<f32>,
    c: f32,
}

/// A sentence ready for training: feature ids per token and gold tags.
struct Seq {
    /// Feature ids, token j owns `ids[offs[j]..offs[j+1]]`.
    ids: Vec<u32>,
    offs: Vec<u32>,
    gold: Vec<u8>,
}

impl Perceptron {
    fn new(nfeat: usize) -> Self {
        Perceptron {
            w: vec![0.0; nfeat * NUM_TAGS],
            u: vec![0.0; nfeat * NUM_TAGS],
            trans: vec![0.0; (NUM_TAGS + 1) * NUM_TAGS],
            trans_u: vec![0.0; (NUM_TAGS + 1) * NUM_TAGS],
            c: 1.0,
        }
    }

    fn decode(&self, s: &Seq, emis: &mut Vec<f32>, out: &mut Vec<u8>) {
        let n = s.gold.len();
        emis.clear();
        emis.resize(n * NUM_TAGS, 0.0);
        for j in 0..n {
            let e = &mut emis[j * NUM_TAGS..(j + 1) * NUM_TAGS];
            for &f in &s.ids[s.offs[j] as usize..s.offs[j + 1] as usize] {
                let row = &self.w[f as usize * NUM_TAGS..(f as usize + 1) * NUM_TAGS];
                for (a, b) in e.iter_mut().zip(row) {
                    *a += b;
                }
            }
        }
        viterbi(emis, &self.trans, n, out);
    }

    fn update(&mut self, s: &Seq, pred: &[u8]) {
        let c = self.c;
        for j in 0..s.gold.len() {
            let (g, p) = (s.gold[j] as usize, pred[j] as usize);
            if g != p {
                for &f in &s.ids[s.offs[j] as usize..s.offs[j + 1] as usize] {
                    let base = f as usize * NUM_TAGS;
                    self.w[base + g] += 1.0;
                    self.u[base + g] += c;
                    self.w[base + p] -= 1.0;
                    self.u[base + p] -= c;
                }
            }
            let gp = if j == 0 {
                START
            } else {
                s.gold[j - 1] as usize
            };
            let pp = if j == 0 { START } else { pred[j - 1] as usize };
            if g != p || gp != pp {
                self.trans[gp * NUM_TAGS + g] += 1.0;
                self.trans_u[gp * NUM_TAGS + g] += c;
                self.trans[pp * NUM_TAGS + p] -= 1.0;
                self.trans_u[pp * NUM_TAGS + p] -= c;
            }
        }
    }

    fn train(&mut self, seqs: &[&Seq], epochs: usize, seed: u64) {
        let mut order: Vec<usize> = (0..seqs.len()).collect();
        let mut rng = seed | 1;
        let mut emis = Vec::new();
        let mut pred = Vec::new();
        for _ in 0..epochs {
            // Fisher-Yates with xorshift64: deterministic for a given seed.
            for i in (1..order.len()).rev() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                order.swap(i, (rng % (i as u64 + 1)) as usize);
            }
            for &k in &order {
                let s = seqs[k];
                self.decode(s, &mut emis, &mut pred);
                if pred != s.gold {
                    self.update(s, &pred);
                }
                self.c += 1.0;
            }
        }
    }

    /// Averaged weights as an inference model; all-zero rows are dropped.
    fn finish(&self, keys: &[u64]) -> Linear {
        let mut index = FxHashMap::default();
        let mut weights = Vec::new();
        for (id, &k) in keys.iter().enumerate() {
            let base = id * NUM_TAGS;
            let row: Vec<f32> = (0..NUM_TAGS)
                .map(|t| self.w[base + t] - self.u[base + t] / self.c)
                .map(|x| if x.abs() < 1e-4 { 0.0 } else { x })
                .collect();
            if row.iter().all(|x| *x == 0.0) {
                continue;
            }
            index.insert(k, (weights.len() / NUM_TAGS) as u32);
            weights.extend_from_slice(&row);
        }
        let trans = self
            .trans
            .iter()
            .zip(&self.trans_u)
            .map(|(w, u)| w - u / self.c)
            .collect();
        Linear {
            index,
            weights,
            trans,
        }
    }
}

/// Maps feature keys to dense ids (only keys seen at least `min_count` times).
struct Vocab {
    ids: FxHashMap<u64, u32>,
    keys: Vec<u64>,
}

impl Vocab {
    fn build<'a>(bufs: impl Iterator<Item = &'a FeatBuf>, min_count: u32) -> Self {
        let mut counts: FxHashMap<u64, u32> = FxHashMap::default();
        for b in bufs {
            for f in &b.feats {
                *counts.entry(*f).or_default() += 1;
            }
        }
        let mut keys: Vec<u64> = counts
            .into_iter()
            .filter(|(_, c)| *c >= min_count)
            .map(|(k, _)| k)
            .collect();
        keys.sort_unstable();
        let ids = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (*k, i as u32))
            .collect();
        Vocab { ids, keys }
    }

    /// Sentences of one document as id sequences (base + optional extra features).
    fn seqs(&self, p: &Prepared, base: &FeatBuf, extra: Option<&FeatBuf>) -> Vec<Seq> {
        let mut out = Vec::with_capacity(p.sents.len());
        let mut k = 0;
        for s in &p.sents {
            let n = s.tokens.len();
            let mut ids = Vec::new();
            let mut offs = vec![0u32];
            for j in 0..n {
                for f in base.token(k + j) {
                    if let Some(&id) = self.ids.get(f) {
                        ids.push(id);
                    }
                }
                if let Some(x) = extra {
                    for f in x.token(k + j) {
                        if let Some(&id) = self.ids.get(f) {
                            ids.push(id);
                        }
                    }
                }
                offs.push(ids.len() as u32);
            }
            out.push(Seq {
                ids,
                offs,
                gold: p.tags[s.tokens.clone()].to_vec(),
            });
            k += n;
        }
        out
    }
}

/// Trains a model on CoNLL files and scores it on `dev_file` (if given) through the
/// same path the service uses: article body -> tokenize -> sentences -> predict.
pub fn train(
    train_files: &[PathBuf],
    dev_file: Option<&Path>,
    opts: &TrainOptions,
) -> Result<(NerModel, TrainReport), TrainError> {
    let log = |m: &str| {
        if opts.verbose {
            tracing::info!("{m}");
        }
    };
    let mut gold_docs = Vec::new();
    for f in train_files {
        gold_docs.extend(read_conll(f)?);
    }
    for f in &opts.gum {
        gold_docs.extend(read_conll_as(f, Convention::Gum)?);
    }
    let mut report = TrainReport::default();
    let mut prepared = Vec::with_capacity(gold_docs.len());
    for d in &gold_docs {
        let (p, bad) = prepare(d);
        report.misaligned_gold += bad;
        report.train_tokens += p.tokens.len();
        prepared.push(p);
    }
    report.train_docs = prepared.len();
    log(&format!(
        "{} docs, {} tokens, {} gold spans off our token boundaries",
        report.train_docs, report.train_tokens, report.misaligned_gold
    ));

    // Resources: external gazetteer + training-data phrases (document frequencies).
    let mut gaz = Gazetteer::default();
    if let Some(p) = &opts.gazetteer {
        let t = std::fs::read_to_string(p)
            .map_err(|e| TrainError::Io(format!("{}: {e}", p.display())))?;
        let n = gaz.add_tsv(&t)?;
        log(&format!("gazetteer: {n} phrases"));
    }
    if opts.groups & groups::GAZ_TRAIN != 0 {
        let mut df: FxHashMap<u64, ([u16; 4], &[u64])> = FxHashMap::default();
        for p in &prepared {
            for (key, labs) in &p.own {
                let hs = p.own_hashes.get(key).map_or(&[][..], |v| v.as_slice());
                let e = df.entry(*key).or_insert(([0; 4], hs));
                for (acc, n) in e.0.iter_mut().zip(labs) {
                    *acc = acc.saturating_add(*n);
                }
            }
        }
        for (cnt, hs) in df.values() {
            let cnt = *cnt;
            gaz.add_hashes(hs, |e| {
                for (acc, n) in e.train.iter_mut().zip(cnt) {
                    *acc = acc.saturating_add(n);
                }
            });
        }
        log(&format!(
            "gazetteer with training phrases: {} keys",
            gaz.len()
        ));
    }
    let clusters = match &opts.clusters {
        Some(p) => {
            let t = std::fs::read_to_string(p)
                .map_err(|e| TrainError::Io(format!("{}: {e}", p.display())))?;
            Clusters::from_tsv(&t)?
        }
        None => Clusters::default(),
    };
    log(&format!("clusters: {} words", clusters.len()));
    let res = Resources {
        gazetteer: gaz,
        clusters,
        groups: opts.groups,
    };

    // Stage-1 features (leave-one-out gazetteer per document).
    let mut ctxs = Vec::with_capacity(prepared.len());
    let mut bases = Vec::with_capacity(prepared.len());
    for p in &prepared {
        let ctx = DocCtx::new(
            &p.body,
            &p.tokens,
            &p.sents,
            &res.gazetteer,
            &res.clusters,
            Some(&p.own),
            res.groups,
        );
        let mut b = FeatBuf::default();
        base_features(&ctx, &p.sents, res.groups, &mut b);
        ctxs.push(ctx);
        bases.push(b);
    }
    let vocab1 = Vocab::build(bases.iter(), opts.min_count);
    log(&format!("stage-1 features: {}", vocab1.keys.len()));
    let seqs1: Vec<Vec<Seq>> = prepared
        .iter()
        .zip(&bases)
        .map(|(p, b)| vocab1.seqs(p, b, None))
        .collect();

    let train_stage1 = |docs: &[usize]| -> Linear {
        let refs: Vec<&Seq> = docs.iter().flat_map(|&d| seqs1[d].iter()).collect();
        let mut pc = Perceptron::new(vocab1.keys.len());
        pc.train(&refs, opts.epochs, opts.seed);
        pc.finish(&vocab1.keys)
    };
    let all: Vec<usize> = (0..prepared.len()).collect();
    let stage1 = train_stage1(&all);
    log("stage 1 trained");

    let stage2 = if opts.folds >= 2 {
        // Jackknife: stage-1 tags for each training doc from a model that never saw it,
        // so stage 2 learns how far to trust realistic (imperfect) stage-1 output.
        let mut s1_tags: Vec<Vec<u8>> = vec![Vec::new(); prepared.len()];
        for fold in 0..opts.folds {
            let train_docs: Vec<usize> = all
                .iter()
                .copied()
                .filter(|d| d % opts.folds != fold)
                .collect();
            let m = train_stage1(&train_docs);
            for d in all.iter().copied().filter(|d| d % opts.folds == fold) {
                s1_tags[d] = decode_doc(
                    &m,
                    &bases[d],
                    None,
                    &prepared[d].sents,
                    prepared[d].tokens.len(),
                );
            }
            log(&format!("jackknife fold {fold} done"));
        }
        let extras: Vec<FeatBuf> = (0..prepared.len())
            .map(|d| {
                let counts = doc_tag_counts(&ctxs[d], &s1_tags[d]);
                let mut x = FeatBuf::default();
                stage2_features(&ctxs[d], &prepared[d].sents, &s1_tags[d], &counts, &mut x);
                x
            })
            .collect();
        let vocab2 = Vocab::build(bases.iter().chain(extras.iter()), opts.min_count);
        log(&format!("stage-2 features: {}", vocab2.keys.len()));
        let seqs2: Vec<Seq> = (0..prepared.len())
            .flat_map(|d| vocab2.seqs(&prepared[d], &bases[d], Some(&extras[d])))
            .collect();
        let refs: Vec<&Seq> = seqs2.iter().collect();
        let mut pc = Perceptron::new(vocab2.keys.len());
        pc.train(&refs, opts.stage2_epochs, opts.seed ^ 0x2222);
        log("stage 2 trained");
        Some(pc.finish(&vocab2.keys))
    } else {
        None
    };
    let model = NerModel::from_parts(res, stage1, stage2);
    report.features = model.num_features();
    if let Some(dev) = dev_file {
        let docs = read_conll(dev)?;
        let (overall, per) = evaluate(&model, &docs);
        report.overall = overall;
        report.per_label = per;
    }
    Ok((model, report))
}

/// Scores `model` on gold documents, conlleval rules (exact span + label, micro-avg).
pub fn evaluate(model: &NerModel, docs: &[GoldDoc]) -> (Prf, [Prf; 4]) {
    let mut per = [Prf::default(); 4];
    for d in docs {
        let tokens = tokenize(&d.body);
        let sents = sentences(&d.body, &tokens);
        let pred = model.predict(&d.body, &tokens, &sents);
        score_doc(
            &pred.iter().map(|m| (m.span, m.label)).collect::<Vec<_>>(),
            &d.gold,
            &mut per,
        );
    }
    let mut overall = Prf::default();
    for p in &per {
        overall.tp += p.tp;
        overall.fp += p.fp;
        overall.fn_ += p.fn_;
    }
    (overall, per)
}

/// Adds one document's counts: a prediction is correct only with exact span and label.
pub fn score_doc(pred: &[(Span, EntityLabel)], gold: &[(Span, EntityLabel)], per: &mut [Prf; 4]) {
    let mut p: Vec<_> = pred.to_vec();
    p.sort();
    p.dedup();
    let g: rustc_hash::FxHashSet<_> = gold.iter().copied().collect();
    let ps: rustc_hash::FxHashSet<_> = p.iter().copied().collect();
    for x in &p {
        if g.contains(x) {
            per[x.1 as usize].tp += 1;
        } else {
            per[x.1 as usize].fp += 1;
        }
    }
    for x in gold {
        if !ps.contains(x) {
            per[x.1 as usize].fn_ += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::ner::NerModel;
    use crate::nlp::text::{sentences, tokenize};
    use std::path::PathBuf;

    const TINY: &str = "-DOCSTART- -X- -X- O

EU NNP I-NP I-ORG
rejects VBZ I-VP O
German JJ I-NP I-MISC
call NN I-NP O
to TO I-VP O
boycott VB I-VP O
British JJ I-NP I-MISC
lamb NN I-NP O
. . O O

Peter NNP I-NP I-PER
Blackburn NNP I-NP I-PER
visited VBD I-VP O
Brussels NNP I-NP I-LOC
. . O O

-DOCSTART- -X- -X- O

Blackburn NNP I-NP I-PER
said VBD I-VP O
the DT I-NP O
European NNP I-NP I-ORG
Commission NNP I-NP I-ORG
met VBD I-VP O
in IN I-PP O
Brussels NNP I-NP I-LOC
. . O O
";

    fn tiny_file(name: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("ner_tiny_{}_{name}.conll", std::process::id()));
        std::fs::write(&p, TINY).unwrap();
        p
    }

    fn tiny_model(name: &str) -> (NerModel, TrainReport) {
        let f = tiny_file(name);
        let opts = TrainOptions {
            epochs: 5,
            stage2_epochs: 5,
            folds: 2,
            ..Default::default()
        };
        let r = train(std::slice::from_ref(&f), Some(&f), &opts).unwrap();
        let _ = std::fs::remove_file(&f);
        r
    }

    #[test]
    fn trains_roundtrips_and_predicts_on_token_boundaries() {
        let (m, report) = tiny_model("a");
        assert!(report.overall.f1() > 0.9, "{report}");
        let bytes = m.to_bytes();
        let m2 = NerModel::from_bytes(&bytes).unwrap();
        assert_eq!(m2.to_bytes(), bytes);
        let text = "Peter Blackburn visited Brussels.\nBLACKBURN SAID NOTHING";
        let toks = tokenize(text);
        let sents = sentences(text, &toks);
        let a = m.predict(text, &toks, &sents);
        assert_eq!(a, m2.predict(text, &toks, &sents));
        assert!(a.iter().any(|e| e.label == EntityLabel::Person));
        for e in &a {
            assert!(toks.iter().any(|t| t.span.start == e.span.start));
            assert!(toks.iter().any(|t| t.span.end == e.span.end));
        }
        // empty input
        assert!(m.predict("", &[], &[]).is_empty());
    }

    #[test]
    fn training_is_deterministic() {
        let (a, _) = tiny_model("b");
        let (b, _) = tiny_model("c");
        assert_eq!(a.to_bytes(), b.to_bytes());
    }

    #[test]
    fn corrupt_model_files_are_errors() {
        let (m, _) = tiny_model("d");
        let bytes = m.to_bytes();
        for cut in [0, 3, 8, 20, bytes.len() / 2, bytes.len() - 1] {
            assert!(NerModel::from_bytes(&bytes[..cut]).is_err());
        }
        let mut bad = bytes.clone();
        bad[12] ^= 0xff; // gazetteer count
        assert!(NerModel::from_bytes(&bad).is_err());
    }
}
