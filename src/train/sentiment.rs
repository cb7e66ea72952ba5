//! The trainer of the news sentiment models (`crate::nlp::sentiment::news`): reads the
//! annotated sets, fits the sentence model, then the target model, by averaged stochastic
//! gradient descent on the squared error, and reports development-set figures.
//!
//! Deterministic: rows in file order, shuffles from a fixed seed, one thread, a fixed order of
//! floating-point operations; the same data gives the same model file byte for byte.
//!
//! Training data (all from `DATA`, the folder of `../shared/data/sentiment` layout):
//! - sentence model: EmoBank train (valence, `score` = (V-3)/2, doubled so that V 2..4 spans
//!   -1..1) and the distinct sentences of NewsMTSC train (the mean of their target labels,
//!   times [`NEWSMTSC_SENTENCE_WEIGHT`]);
//! - target model: NewsMTSC train and FinEntity train (label -1/0/1 of each target), with
//!   the sentence score of a model that did not see the row's sentence (5-fold jackknife).

use std::path::Path;

use super::TrainError;
use crate::nlp::sentiment::news::{
    sentence_features, sentence_score, target_dense_keys, target_features, target_local_features,
    Lexicon, NewsModel, Weights, Words, SENTENCE_BITS, TARGET_BITS,
};
use crate::nlp::sentiment::vader::Vader;
use crate::nlp::text::Doc;

/// A NewsMTSC sentence's mean target label counts this much towards its sentence score: the
/// label is about one target, not the sentence as a whole.
pub const NEWSMTSC_SENTENCE_WEIGHT: f64 = 0.6;

/// Training settings; the defaults made the shipped model. The `persent_*` settings train on
/// PerSenT dev (off by default: no way of using it raised the 5-fold cross-validated
/// PerSenT figure, see `models/README.md`); `scripts/persent_cv.sh` scores them.
#[derive(Clone, Debug)]
pub struct SentimentOptions {
    pub epochs: usize,
    /// Learning rate and L2 of the sentence model.
    pub learning_rate: f64,
    pub l2: f64,
    /// Learning rate and L2 of the target model (which overfits NewsMTSC at the sentence
    /// model's rate).
    pub target_learning_rate: f64,
    pub target_l2: f64,
    pub folds: usize,
    pub seed: u64,
    /// FinEntity rows count this many times: a fifth of NewsMTSC's size, from another
    /// domain (finance), they would otherwise barely move the target model.
    pub finentity_repeat: usize,
    /// PerSenT paragraph labels: each mention of the person in a labelled paragraph is a
    /// target-model example this many times (0: none).
    pub persent_paragraph_repeat: usize,
    /// PerSenT document labels: the mean of the features of all the person's mentions in the
    /// article is one example this many times (0: none).
    pub persent_document_repeat: usize,
    /// Count he/him/his/she/her as mentions of the person in PerSenT texts (the pipeline
    /// scores the pronouns the coreference stage links to an entity).
    pub persent_pronouns: bool,
    /// Leave out the PerSenT articles of this fold (of [`PERSENT_FOLDS`]) and their
    /// paragraphs: the model for cross-validating on that fold.
    pub persent_skip_fold: Option<usize>,
    /// PerSenT examples keep only the target model's dense features
    /// ([`target_dense_keys`]), not its words.
    pub persent_dense_only: bool,
    /// PerSenT paragraph sentences that mention the person are sentence-model examples at
    /// the paragraph's label times this (0: none).
    pub persent_sentence_weight: f64,
    /// PerSenT examples leave out the sentence-wide words (keep the mention's window and
    /// the dense features).
    pub persent_local_only: bool,
    /// How much a PerSenT target-model example's error counts against the others' (1).
    pub persent_weight: f64,
}

impl SentimentOptions {
    /// Whether any setting trains on PerSenT.
    pub fn uses_persent(&self) -> bool {
        self.persent_paragraph_repeat > 0
            || self.persent_document_repeat > 0
            || self.persent_sentence_weight > 0.0
    }
}

/// Folds of the PerSenT cross-validation: an article's fold is its number (the digits of
/// `persent-dev-NNNN`) modulo this.
pub const PERSENT_FOLDS: usize = 5;

/// The cross-validation fold of a PerSenT row id (`persent-dev-3360` or its paragraph
/// `persent-dev-3360-p0`).
pub fn persent_fold(id: &str) -> Option<usize> {
    let rest = id.strip_prefix("persent-dev-")?;
    let number = rest.split('-').next()?;
    number.parse::<usize>().ok().map(|n| n % PERSENT_FOLDS)
}

impl Default for SentimentOptions {
    fn default() -> Self {
        SentimentOptions {
            epochs: 12,
            learning_rate: 0.04,
            l2: 1e-5,
            target_learning_rate: 0.01,
            target_l2: 1e-3,
            folds: 5,
            seed: 0x5e17_1e17,
            finentity_repeat: 2,
            persent_paragraph_repeat: 0,
            persent_document_repeat: 0,
            persent_pronouns: false,
            persent_skip_fold: None,
            persent_dense_only: false,
            persent_sentence_weight: 0.0,
            persent_local_only: false,
            persent_weight: 1.0,
        }
    }
}

/// One row of a JSON Lines set.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Row {
    #[serde(default)]
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub score: Option<f64>,
    #[serde(default)]
    pub target: Option<Target>,
    #[serde(default)]
    pub genre: Option<String>,
}

#[derive(Clone, Debug, serde::Deserialize)]
pub struct Target {
    pub text: String,
    pub start: Option<usize>,
    pub end: Option<usize>,
}

impl Row {
    /// The gold value: `score` when given, else the label as -1/0/1.
    pub fn gold(&self) -> Result<f64, TrainError> {
        if let Some(s) = self.score {
            return Ok(s);
        }
        match self.label.as_deref() {
            Some("negative") => Ok(-1.0),
            Some("neutral") => Ok(0.0),
            Some("positive") => Ok(1.0),
            other => Err(TrainError::Format(format!(
                "row {}: no score and label {other:?}",
                self.id
            ))),
        }
    }

    /// The target's byte span in `text` (offsets are in code points), if it has offsets.
    pub fn target_bytes(&self) -> Option<(usize, usize)> {
        let t = self.target.as_ref()?;
        let (s, e) = (t.start?, t.end?);
        let byte = |cp: usize| {
            self.text
                .char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(self.text.len()))
                .nth(cp)
        };
        let (bs, be) = (byte(s)?, byte(e)?);
        (bs < be).then_some((bs, be))
    }
}

/// Reads a JSON Lines set.
pub fn read_rows(path: &Path) -> Result<Vec<Row>, TrainError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| TrainError::Io(format!("{}: {e}", path.display())))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l)
                .map_err(|e| TrainError::Format(format!("{} line {}: {e}", path.display(), n + 1)))
        })
        .collect()
}

/// A training example: hashed features and the value to fit.
#[derive(Clone, Debug)]
struct Example {
    features: Vec<(u32, f32)>,
    y: f64,
    /// How much the example's error counts (1 for all but PerSenT's).
    weight: f64,
}

fn collect(bits: u32, f: impl FnOnce(&mut dyn FnMut(u64, f64))) -> Vec<(u32, f32)> {
    let mask = (1u64 << bits) - 1;
    let mut out = Vec::with_capacity(64);
    f(&mut |k, v| out.push(((k & mask) as u32, v as f32)));
    out
}

/// xorshift64*: the trainer's only source of randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Averaged SGD on the squared error, lazy L2 on the touched weights. Returns the averaged
/// weights, quantised ([`Weights::quantise`]).
fn fit(examples: &[Example], bits: u32, epochs: usize, rate: (f64, f64), seed: u64) -> Weights {
    let (learning_rate, l2) = rate;
    let n = 1usize << bits;
    let mut w = vec![0.0f64; n];
    // Sum of (step count x update), for the average w - u / c.
    let mut u = vec![0.0f64; n];
    let mut c = 1.0f64;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Rng(seed | 1);
    for epoch in 0..epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let lr = learning_rate / (1.0 + epoch as f64 * 0.5);
        for &e in &order {
            let ex = &examples[e];
            let mut pred = 0.0f64;
            for &(k, v) in &ex.features {
                pred += w[k as usize] * f64::from(v);
            }
            let mut g = pred.clamp(-1.5, 1.5) - ex.y;
            if ex.weight != 1.0 {
                g *= ex.weight;
            }
            for &(k, v) in &ex.features {
                let k = k as usize;
                let step = lr * (g * f64::from(v) + l2 * w[k]);
                w[k] -= step;
                u[k] -= c * step;
            }
            c += 1.0;
        }
    }
    let avg: Vec<f32> = w.iter().zip(&u).map(|(w, u)| (w - u / c) as f32).collect();
    Weights::quantise(&avg)
}

/// A sentence-model example from one text.
fn sentence_example(text: &str, y: f64, vader: &Vader, lexicon: &Lexicon) -> Example {
    let words = Words::new(text, lexicon);
    let scores = vader.polarity_scores(text);
    Example {
        features: collect(SENTENCE_BITS, |emit| {
            sentence_features(&words, &scores, emit)
        }),
        y,
        weight: 1.0,
    }
}

/// The sentence of `text` that holds the byte span, as (sentence start, sentence text).
fn sentence_around(text: &str, start: usize, end: usize) -> (usize, &str) {
    let doc = Doc::new(text);
    let s = doc
        .sentences
        .iter()
        .find(|s| s.span.start <= start && end <= s.span.end)
        .or_else(|| {
            doc.sentences
                .iter()
                .find(|s| s.span.start < end && start < s.span.end)
        });
    match s {
        Some(s) => (s.span.start, s.span.slice(text)),
        None => (0, text),
    }
}

/// One target row, ready for features: the sentence, the mention's words, the gold value and
/// which fold of the sentence model's jackknife scores it (None: the full model).
struct TargetRow<'a> {
    sentence: &'a str,
    mention: (usize, usize),
    y: f64,
    fold: Option<usize>,
}

fn target_rows<'a>(
    rows: &'a [Row],
    fold_of: impl Fn(&str) -> Option<usize>,
) -> Result<Vec<TargetRow<'a>>, TrainError> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some((s, e)) = r.target_bytes() else {
            continue;
        };
        let (at, sentence) = sentence_around(&r.text, s, e);
        let (ms, me) = (
            s.saturating_sub(at),
            e.saturating_sub(at).min(sentence.len()),
        );
        out.push(TargetRow {
            sentence,
            mention: (ms, me),
            y: r.gold()?,
            fold: fold_of(&r.text),
        });
    }
    Ok(out)
}

fn score_sentence(weights: &Weights, text: &str, vader: &Vader, lexicon: &Lexicon) -> f64 {
    sentence_score(
        weights,
        &Words::new(text, lexicon),
        &vader.polarity_scores(text),
    )
}

/// The data the trainer reads, in memory.
pub struct SentimentData {
    pub emobank: Vec<Row>,
    pub newsmtsc: Vec<Row>,
    pub finentity: Vec<Row>,
    /// PerSenT dev articles (document label towards `target.text`, a person).
    pub persent: Vec<Row>,
    /// PerSenT dev paragraphs (label towards the same person).
    pub persent_paragraphs: Vec<Row>,
}

impl SentimentData {
    /// Reads `DATA/{emobank,newsmtsc,finentity}/train.jsonl` and, when `DATA/persent`
    /// exists, `DATA/persent/{dev,dev_paragraphs}.jsonl` (read only by the `persent_*`
    /// settings).
    pub fn read(dir: &Path) -> Result<SentimentData, TrainError> {
        let persent = dir.join("persent");
        let (persent, persent_paragraphs) = if persent.is_dir() {
            (
                read_rows(&persent.join("dev.jsonl"))?,
                read_rows(&persent.join("dev_paragraphs.jsonl"))?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(SentimentData {
            emobank: read_rows(&dir.join("emobank/train.jsonl"))?,
            newsmtsc: read_rows(&dir.join("newsmtsc/train.jsonl"))?,
            finentity: read_rows(&dir.join("finentity/train.jsonl"))?,
            persent,
            persent_paragraphs,
        })
    }
}

const PRONOUNS: [&str; 5] = ["he", "him", "his", "she", "her"];

/// The mentions of a person in one sentence, as word ranges: maximal runs of capitalised
/// words that are words of the person's name (a possessive "'s" ignored), and with
/// `pronouns` each third-person singular pronoun. One pass over the words.
pub fn person_mentions(
    sentence: &str,
    words: &Words,
    name: &[String],
    pronouns: bool,
) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    // Whether the last mention pushed is a name ending at the previous word.
    let mut in_name = false;
    for (i, w) in words.words.iter().enumerate() {
        let text = &sentence[w.start..w.end];
        let lower = text.to_lowercase().replace('’', "'");
        let bare = lower.strip_suffix("'s").unwrap_or(&lower);
        let capital = text.chars().next().is_some_and(char::is_uppercase);
        if capital && name.iter().any(|n| n == bare) {
            match out.last_mut() {
                Some(last) if in_name && last.end == i => last.end = i + 1,
                _ => out.push(i..i + 1),
            }
            in_name = true;
        } else {
            in_name = false;
            if pronouns && PRONOUNS.contains(&lower.as_str()) {
                out.push(i..i + 1);
            }
        }
    }
    out
}

/// The words of a person's name that find mentions: lower-cased, of three letters or more.
fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect()
}

/// Target-model feature lists of every mention of the row's person in the row's text (each
/// sentence split as the pipeline splits it, scored by `sentence`).
fn person_feature_lists(
    row: &Row,
    sentence: &Weights,
    vader: &Vader,
    lexicon: &Lexicon,
    pronouns: bool,
    local_only: bool,
) -> Vec<Vec<(u32, f32)>> {
    let Some(target) = &row.target else {
        return Vec::new();
    };
    let name = name_words(&target.text);
    let doc = Doc::new(&row.text);
    let mut out = Vec::new();
    for s in &doc.sentences {
        let text = s.span.slice(&row.text);
        let words = Words::new(text, lexicon);
        let mentions = person_mentions(text, &words, &name, pronouns);
        if mentions.is_empty() {
            continue;
        }
        let score = sentence_score(sentence, &words, &vader.polarity_scores(text));
        for m in mentions {
            out.push(collect(TARGET_BITS, |emit| {
                if local_only {
                    target_local_features(&words, m, score, emit)
                } else {
                    target_features(&words, m, score, emit)
                }
            }));
        }
    }
    out
}

/// The mean of feature lists (duplicates summed), in key order.
fn mean_features(lists: &[Vec<(u32, f32)>]) -> Vec<(u32, f32)> {
    let mut sum: std::collections::BTreeMap<u32, f64> = Default::default();
    for list in lists {
        for &(k, v) in list {
            *sum.entry(k).or_default() += f64::from(v);
        }
    }
    let n = lists.len().max(1) as f64;
    sum.into_iter().map(|(k, v)| (k, (v / n) as f32)).collect()
}

/// PerSenT's target-model examples (see [`SentimentOptions`]): paragraph mentions, then
/// whole-article means, in file order, without the skipped fold.
fn persent_examples(
    data: &SentimentData,
    sentence: &Weights,
    vader: &Vader,
    lexicon: &Lexicon,
    opts: &SentimentOptions,
) -> Result<Vec<Example>, TrainError> {
    let keep =
        |r: &Row| opts.persent_skip_fold.is_none() || persent_fold(&r.id) != opts.persent_skip_fold;
    let mut out = Vec::new();
    if opts.persent_paragraph_repeat > 0 {
        let mut once = Vec::new();
        for r in data.persent_paragraphs.iter().filter(|r| keep(r)) {
            let y = r.gold()?;
            for features in person_feature_lists(
                r,
                sentence,
                vader,
                lexicon,
                opts.persent_pronouns,
                opts.persent_local_only,
            ) {
                once.push(Example {
                    features,
                    y,
                    weight: opts.persent_weight,
                });
            }
        }
        for _ in 0..opts.persent_paragraph_repeat {
            out.extend(once.iter().cloned());
        }
    }
    if opts.persent_document_repeat > 0 {
        let mut once = Vec::new();
        for r in data.persent.iter().filter(|r| keep(r)) {
            let lists = person_feature_lists(
                r,
                sentence,
                vader,
                lexicon,
                opts.persent_pronouns,
                opts.persent_local_only,
            );
            if !lists.is_empty() {
                once.push(Example {
                    features: mean_features(&lists),
                    y: r.gold()?,
                    weight: opts.persent_weight,
                });
            }
        }
        for _ in 0..opts.persent_document_repeat {
            out.extend(once.iter().cloned());
        }
    }
    if opts.persent_dense_only {
        let dense = target_dense_keys(TARGET_BITS);
        for e in &mut out {
            e.features.retain(|(k, _)| dense.contains(k));
        }
    }
    Ok(out)
}

/// Fits both models.
pub fn train(
    data: &SentimentData,
    vader: &Vader,
    opts: &SentimentOptions,
) -> Result<NewsModel, TrainError> {
    let lexicon = Lexicon::new(vader);
    // Sentence model: EmoBank rows, then NewsMTSC's distinct sentences in first-seen order.
    let mut news_sentences: Vec<(&str, f64, usize)> = Vec::new();
    let mut index: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for r in &data.newsmtsc {
        let g = r.gold()?;
        let k = *index.entry(r.text.as_str()).or_insert_with(|| {
            news_sentences.push((r.text.as_str(), 0.0, 0));
            news_sentences.len() - 1
        });
        news_sentences[k].1 += g;
        news_sentences[k].2 += 1;
    }
    let folds = opts.folds.max(1);
    let fold_of_news = |text: &str| index.get(text).map(|&k| k % folds);
    let mut emobank = Vec::with_capacity(data.emobank.len());
    for r in &data.emobank {
        emobank.push(sentence_example(
            &r.text,
            (2.0 * r.gold()?).clamp(-1.0, 1.0),
            vader,
            &lexicon,
        ));
    }
    let news: Vec<Example> = news_sentences
        .iter()
        .map(|&(t, sum, n)| {
            sentence_example(
                t,
                sum / n as f64 * NEWSMTSC_SENTENCE_WEIGHT,
                vader,
                &lexicon,
            )
        })
        .collect();
    let mut persent_sentences = Vec::new();
    if opts.persent_sentence_weight > 0.0 {
        for r in data.persent_paragraphs.iter().filter(|r| {
            opts.persent_skip_fold.is_none() || persent_fold(&r.id) != opts.persent_skip_fold
        }) {
            let y = r.gold()? * opts.persent_sentence_weight;
            let name = r
                .target
                .as_ref()
                .map(|t| name_words(&t.text))
                .unwrap_or_default();
            let doc = Doc::new(&r.text);
            for sent in &doc.sentences {
                let text = sent.span.slice(&r.text);
                let words = Words::new(text, &lexicon);
                if !person_mentions(text, &words, &name, opts.persent_pronouns).is_empty() {
                    persent_sentences.push(sentence_example(text, y, vader, &lexicon));
                }
            }
        }
    }
    // PerSenT's sentences (if any) go with EmoBank's: in every fold of the jackknife.
    let emobank: Vec<Example> = emobank.into_iter().chain(persent_sentences).collect();
    let all: Vec<Example> = emobank.iter().chain(&news).cloned().collect();
    let rate = (opts.learning_rate, opts.l2);
    let sentence = fit(&all, SENTENCE_BITS, opts.epochs, rate, opts.seed);
    // Jackknife: fold f's sentence model never saw the NewsMTSC sentences of fold f.
    let fold_models: Vec<Weights> = if folds > 1 {
        (0..folds)
            .map(|f| {
                let part: Vec<Example> = emobank
                    .iter()
                    .chain(
                        news.iter()
                            .enumerate()
                            .filter(|(k, _)| k % folds != f)
                            .map(|(_, e)| e),
                    )
                    .cloned()
                    .collect();
                fit(
                    &part,
                    SENTENCE_BITS,
                    opts.epochs,
                    rate,
                    opts.seed ^ (f as u64 + 1),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut rows = target_rows(&data.newsmtsc, |t| fold_of_news(t).filter(|_| folds > 1))?;
    for _ in 0..opts.finentity_repeat {
        rows.extend(target_rows(&data.finentity, |_| None)?);
    }
    let mut examples: Vec<Example> = rows
        .iter()
        .map(|r| {
            let weights = match r.fold {
                Some(f) => &fold_models[f],
                None => &sentence,
            };
            let s = score_sentence(weights, r.sentence, vader, &lexicon);
            target_example(r.sentence, r.mention, s, r.y, &lexicon)
        })
        .collect();
    examples.extend(persent_examples(data, &sentence, vader, &lexicon, opts)?);
    let target_rate = (opts.target_learning_rate, opts.target_l2);
    let seed = opts.seed.rotate_left(32);
    let target = fit(&examples, TARGET_BITS, opts.epochs, target_rate, seed);
    Ok(NewsModel { sentence, target })
}

fn target_example(
    sentence: &str,
    mention: (usize, usize),
    sentence_score: f64,
    y: f64,
    lexicon: &Lexicon,
) -> Example {
    let words = Words::new(sentence, lexicon);
    let range = words.covering(mention.0, mention.1);
    Example {
        features: collect(TARGET_BITS, |emit| {
            target_features(&words, range, sentence_score, emit)
        }),
        y,
        weight: 1.0,
    }
}

/// Pearson r and Spearman rho of two equally long series.
pub fn correlations(pred: &[f64], gold: &[f64]) -> (f64, f64) {
    fn pearson(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len() as f64;
        if a.is_empty() {
            return 0.0;
        }
        let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
        let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
        for (x, y) in a.iter().zip(b) {
            sab += (x - ma) * (y - mb);
            saa += (x - ma) * (x - ma);
            sbb += (y - mb) * (y - mb);
        }
        if saa == 0.0 || sbb == 0.0 {
            0.0
        } else {
            sab / (saa * sbb).sqrt()
        }
    }
    fn ranks(xs: &[f64]) -> Vec<f64> {
        let mut order: Vec<usize> = (0..xs.len()).collect();
        order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
        let mut r = vec![0.0; xs.len()];
        let mut i = 0;
        while i < order.len() {
            let mut j = i;
            while j + 1 < order.len() && xs[order[j + 1]] == xs[order[i]] {
                j += 1;
            }
            for &k in &order[i..=j] {
                r[k] = (i + j) as f64 / 2.0 + 1.0;
            }
            i = j + 1;
        }
        r
    }
    (pearson(pred, gold), pearson(&ranks(pred), &ranks(gold)))
}

/// Development figures of the models alone (each row one sentence; the pipeline's figures,
/// through sentence splitting, entity recognition and aggregation, come from the
/// evaluation kit). Returns (name, Pearson r, Spearman rho, rows) lines.
pub fn evaluate(
    model: &NewsModel,
    dir: &Path,
    vader: &Vader,
) -> Result<Vec<(String, f64, f64, usize)>, TrainError> {
    let lexicon = Lexicon::new(vader);
    let mut out = Vec::new();
    let emobank = dir.join("emobank/dev.jsonl");
    if emobank.exists() {
        let rows = read_rows(&emobank)?;
        for genre in [None, Some("newspaper"), Some("SemEval")] {
            let (mut p, mut g) = (Vec::new(), Vec::new());
            for r in rows
                .iter()
                .filter(|r| genre.is_none() || r.genre.as_deref() == genre)
            {
                let w = Words::new(&r.text, &lexicon);
                p.push(model.sentence_score(&w, &vader.polarity_scores(&r.text)));
                g.push(r.gold()?);
            }
            let (pr, sr) = correlations(&p, &g);
            out.push((
                format!("emobank dev sentence {}", genre.unwrap_or("all")),
                pr,
                sr,
                p.len(),
            ));
        }
    }
    for set in ["newsmtsc", "finentity"] {
        let path = dir.join(set).join("dev.jsonl");
        if !path.exists() {
            continue;
        }
        let rows = read_rows(&path)?;
        let (mut p, mut ps, mut g) = (Vec::new(), Vec::new(), Vec::new());
        for r in target_rows(&rows, |_| None)? {
            let words = Words::new(r.sentence, &lexicon);
            let s = model.sentence_score(&words, &vader.polarity_scores(r.sentence));
            let ctx = model.target_context(&words, s);
            p.push(model.target_score(&words, &ctx, words.covering(r.mention.0, r.mention.1)));
            ps.push(s);
            g.push(r.y);
        }
        let (pr, sr) = correlations(&p, &g);
        out.push((format!("{set} dev target"), pr, sr, p.len()));
        let (pr, sr) = correlations(&ps, &g);
        out.push((format!("{set} dev sentence score only"), pr, sr, p.len()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(text: &str, score: f64, target: Option<(usize, usize)>) -> Row {
        Row {
            id: String::new(),
            text: text.to_owned(),
            label: None,
            score: Some(score),
            target: target.map(|(s, e)| Target {
                text: text.chars().skip(s).take(e - s).collect(),
                start: Some(s),
                end: Some(e),
            }),
            genre: None,
        }
    }

    fn tiny() -> SentimentData {
        let mut emobank = Vec::new();
        let mut newsmtsc = Vec::new();
        for i in 0..30 {
            emobank.push(row(
                &format!("The rescue of {i} miners was a triumph."),
                0.4,
                None,
            ));
            emobank.push(row(
                &format!("Militants beheaded {i} hostages."),
                -0.45,
                None,
            ));
            emobank.push(row(&format!("The meeting is on day {i}."), 0.0, None));
            newsmtsc.push(row(
                &format!("Critics accused Smith of fraud on day {i}."),
                -1.0,
                Some((23, 28)),
            ));
            newsmtsc.push(row(
                &format!("Jones praised the firm for record profit in year {i}."),
                1.0,
                Some((0, 5)),
            ));
        }
        SentimentData {
            emobank,
            newsmtsc,
            finentity: Vec::new(),
            persent: Vec::new(),
            persent_paragraphs: Vec::new(),
        }
    }

    #[test]
    fn code_point_offsets_become_byte_spans() {
        let r = row("“Éric” met Smith", 0.0, Some((11, 16)));
        let (s, e) = r.target_bytes().unwrap();
        assert_eq!(&r.text[s..e], "Smith");
        assert!(row("x", 0.0, Some((3, 5))).target_bytes().is_none());
    }

    #[test]
    fn trainer_learns_a_tiny_corpus_deterministically() {
        let vader = crate::nlp::sentiment::vader::Vader::builtin().unwrap();
        let opts = SentimentOptions::default();
        let data = tiny();
        let lexicon = Lexicon::new(&vader);
        let a = train(&data, &vader, &opts).unwrap();
        let b = train(&data, &vader, &opts).unwrap();
        assert_eq!(a.to_bytes(), b.to_bytes(), "same data, same bytes");
        let s = |t: &str| a.sentence_score(&Words::new(t, &lexicon), &vader.polarity_scores(t));
        assert!(s("The rescue of 99 miners was a triumph.") > 0.15);
        assert!(s("Militants beheaded 99 hostages.") < -0.15);
        assert!(s("The meeting is on day 99.").abs() < 0.15);
        let t = |text: &str, name: &str| {
            let w = Words::new(text, &lexicon);
            let ctx = a.target_context(&w, s(text));
            let at = text.find(name).unwrap();
            a.target_score(&w, &ctx, w.covering(at, at + name.len()))
        };
        assert!(t("Critics accused Brown of fraud on day 99.", "Brown") < -0.3);
        assert!(t("Lee praised the firm for record profit in year 99.", "Lee") > 0.3);
    }

    fn persent_row(id: &str, text: &str, person: &str, label: &str) -> Row {
        Row {
            id: id.to_owned(),
            text: text.to_owned(),
            label: Some(label.to_owned()),
            score: None,
            target: Some(Target {
                text: person.to_owned(),
                start: None,
                end: None,
            }),
            genre: None,
        }
    }

    #[test]
    fn persent_folds_come_from_the_article_number() {
        assert_eq!(persent_fold("persent-dev-3360"), Some(0));
        assert_eq!(persent_fold("persent-dev-3361-p4"), Some(1));
        assert_eq!(persent_fold("persent-dev-7"), Some(2));
        assert_eq!(persent_fold("newsmtsc-12"), None);
    }

    #[test]
    fn person_mentions_are_name_runs_and_optionally_pronouns() {
        let vader = Vader::builtin().unwrap();
        let lexicon = Lexicon::new(&vader);
        let name = name_words("Will Okafor");
        let text = "Will Okafor said his rivals will lose, and Okafor’s aide agreed with him.";
        let words = Words::new(text, &lexicon);
        let spans = |pronouns| -> Vec<&str> {
            person_mentions(text, &words, &name, pronouns)
                .into_iter()
                .map(|r| &text[words.words[r.start].start..words.words[r.end - 1].end])
                .collect()
        };
        // "will" in lower case is not the name; the possessive is.
        assert_eq!(spans(false), ["Will Okafor", "Okafor’s"]);
        assert_eq!(spans(true), ["Will Okafor", "his", "Okafor’s", "him"]);
    }

    #[test]
    fn mean_features_average_each_key() {
        let m = mean_features(&[vec![(3, 1.0), (1, 2.0)], vec![(3, 3.0), (3, 1.0)]]);
        assert_eq!(m, [(1, 1.0), (3, 2.5)]);
    }

    #[test]
    fn persent_examples_train_the_target_model_and_a_skipped_fold_is_unseen() {
        let vader = Vader::builtin().unwrap();
        let mut data = tiny();
        // Fold 1: the person is praised; fold 3: a different article, about another person.
        for i in 0..10 {
            let n = 5 * i + 1;
            let text = format!("Adeyemi won the award. Crowds cheered Adeyemi on day {i}.");
            data.persent.push(persent_row(
                &format!("persent-dev-{n}"),
                &text,
                "Tunde Adeyemi",
                "positive",
            ));
            data.persent_paragraphs.push(persent_row(
                &format!("persent-dev-{n}-p0"),
                &text,
                "Tunde Adeyemi",
                "positive",
            ));
        }
        let plain = train(&tiny(), &vader, &SentimentOptions::default()).unwrap();
        // Off by default: the PerSenT rows change nothing.
        let default = train(&data, &vader, &SentimentOptions::default()).unwrap();
        assert_eq!(default.to_bytes(), plain.to_bytes());
        let on = SentimentOptions {
            persent_paragraph_repeat: 1,
            persent_document_repeat: 1,
            ..SentimentOptions::default()
        };
        let trained = train(&data, &vader, &on).unwrap();
        assert_ne!(trained.target.q, plain.target.q);
        assert_eq!(
            trained.sentence.q, plain.sentence.q,
            "only the target model"
        );
        // Leaving out fold 1 leaves out every PerSenT row here: the plain model again.
        let skip = SentimentOptions {
            persent_skip_fold: Some(1),
            ..on.clone()
        };
        assert_eq!(
            train(&data, &vader, &skip).unwrap().to_bytes(),
            plain.to_bytes()
        );
        let keep = SentimentOptions {
            persent_skip_fold: Some(3),
            ..on
        };
        assert_eq!(
            train(&data, &vader, &keep).unwrap().to_bytes(),
            trained.to_bytes()
        );
    }

    #[test]
    fn correlations_match_hand_computed_values() {
        let (r, rho) = correlations(&[1.0, 2.0, 3.0], &[2.0, 4.0, 7.0]);
        assert!((rho - 1.0).abs() < 1e-12);
        assert!((r - 0.9933992677987828).abs() < 1e-12);
    }
}
