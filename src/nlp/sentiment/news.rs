//! The trained news models: a sentence model (a sentence's tone in [-1, 1]) and a target
//! model (the tone of one sentence towards one mention in it), both linear over hashed
//! sparse features, trained by `news-enricher train-sentiment` (`crate::train::sentiment`).
//!
//! Features of a sentence: lower-cased words, the stems of inflected words the VADER lexicon
//! lacks ([`stem`]: an inflection the training data lacks, such as "beheaded", shares the
//! weight learned for another, such as "beheading") and word pairs, words in the scope of a negation ("not", "never", "n't", ...
//! up to the next punctuation) kept apart, VADER's own
//! scores of the sentence (compound, positive and negative shares, the compound in bins),
//! negation count, `but`, `!` and `?`. Features of a mention: the words within a few words
//! left and right of it (by side and distance, the mention itself masked), the rest of the
//! sentence's words, the VADER valence of the words near it (an inflection missing from the
//! lexicon takes its stem's), whether it stands inside a
//! quotation (spoken about) or beside a speech verb outside one (the speaker), and the
//! sentence model's score.
//!
//! Both the trainer and the pipeline enumerate features through the functions here, so the
//! two cannot drift apart.

use std::fmt;

use super::vader::{Scores, Vader};
use crate::nlp::ner::hash::{hash_str, mix, StrHasher};

/// Hash buckets of the sentence model (2^bits weights).
pub const SENTENCE_BITS: u32 = 18;
/// Hash buckets of the target model: fewer than the sentence model's, as it has fewer
/// distinct features (2^16 scored as well as 2^18 on the development sets).
pub const TARGET_BITS: u32 = 16;
/// Words left and right of a mention that count as its window.
pub const WINDOW: usize = 5;
/// Words either side of a mention whose VADER valence is summed.
const VALENCE_WINDOW: usize = 4;

const MAGIC: &[u8; 8] = b"NESENT\x00\x02";

#[cfg(test)]
thread_local! {
    /// Steps of work done on this thread (words made, words and window slots scored), for
    /// the linearity tests.
    pub(crate) static WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[inline]
fn work(_steps: usize) {
    #[cfg(test)]
    WORK.with(|w| w.set(w.get() + _steps));
}

/// Why a model file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// Not a sentiment model of this format version.
    BadMagic,
    /// A hash width out of the accepted range.
    BadBits(u32),
    /// The file is not exactly as long as its header says (truncated or with trailing bytes).
    Length { expected: usize, actual: usize },
    /// The checksum at the end does not match the contents.
    Checksum,
    /// A scale is NaN, infinite, or not positive.
    BadScale,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::BadMagic => write!(f, "not a sentiment model (bad magic or version)"),
            ModelError::BadBits(b) => write!(f, "hash width {b} bits is out of range 8..=24"),
            ModelError::Length { expected, actual } => write!(
                f,
                "the file is {actual} bytes, the header says {expected} (truncated or oversized)"
            ),
            ModelError::Checksum => write!(f, "checksum mismatch (corrupted file)"),
            ModelError::BadScale => write!(f, "a weight scale is not a positive finite number"),
        }
    }
}

impl std::error::Error for ModelError {}

/// FNV-1a 64 over the bytes: the file's integrity check.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h = StrHasher::default();
    h.bytes(bytes);
    h.finish()
}

/// One linear model's weights, quantised to a byte each: weight k is `q[k] * scale`. A
/// quarter of f32's size, so the tables mostly stay in the cache (they are read at random);
/// the rounding left the development figures unchanged (within ±0.003).
#[derive(Clone, PartialEq)]
pub struct Weights {
    pub q: Vec<i8>,
    pub scale: f32,
}

impl Weights {
    /// All zero, 2^bits of them.
    pub fn zeros(bits: u32) -> Weights {
        Weights {
            q: vec![0; 1 << bits],
            scale: 1.0,
        }
    }

    /// The nearest of 255 evenly spaced levels for each weight (the largest magnitude maps
    /// to ±127). Deterministic.
    pub fn quantise(w: &[f32]) -> Weights {
        assert!(w.len().is_power_of_two(), "a power of two weights");
        let max = w.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 && max.is_finite() {
            max / 127.0
        } else {
            1.0
        };
        let q = w
            .iter()
            .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8)
            .collect();
        Weights { q, scale }
    }

    fn mask(&self) -> usize {
        self.q.len() - 1
    }

    /// The weight of hashed feature `k`, in units of `scale`.
    #[inline]
    fn at(&self, k: u64) -> f64 {
        f64::from(self.q[k as usize & self.mask()])
    }
}

/// The two linear models. Built once, shared; scoring takes `&self`.
#[derive(Clone, PartialEq)]
pub struct NewsModel {
    pub sentence: Weights,
    pub target: Weights,
}

impl fmt::Debug for NewsModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewsModel")
            .field("sentence_weights", &self.sentence.q.len())
            .field("target_weights", &self.target.q.len())
            .finish()
    }
}

impl NewsModel {
    /// An all-zero model of the shipped sizes.
    pub fn zeros() -> NewsModel {
        NewsModel {
            sentence: Weights::zeros(SENTENCE_BITS),
            target: Weights::zeros(TARGET_BITS),
        }
    }

    /// The file: magic, the two hash widths (u32 LE), the two scales (f32 LE), the weights
    /// (i8), then the FNV-1a checksum (u64 LE) of everything before it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let (s, t) = (&self.sentence, &self.target);
        let mut out = Vec::with_capacity(32 + s.q.len() + t.q.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&s.q.len().trailing_zeros().to_le_bytes());
        out.extend_from_slice(&t.q.len().trailing_zeros().to_le_bytes());
        out.extend_from_slice(&s.scale.to_le_bytes());
        out.extend_from_slice(&t.scale.to_le_bytes());
        out.extend(s.q.iter().chain(&t.q).map(|&w| w as u8));
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads [`NewsModel::to_bytes`]'s format; refuses anything truncated, oversized,
    /// corrupted or with a scale that is not a positive finite number.
    pub fn from_bytes(bytes: &[u8]) -> Result<NewsModel, ModelError> {
        if bytes.len() < 24 || &bytes[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let (sb, tb) = (word(8), word(12));
        for b in [sb, tb] {
            if !(8..=24).contains(&b) {
                return Err(ModelError::BadBits(b));
            }
        }
        let (ns, nt) = (1usize << sb, 1usize << tb);
        let expected = 24 + ns + nt + 8;
        if bytes.len() != expected {
            return Err(ModelError::Length {
                expected,
                actual: bytes.len(),
            });
        }
        let (body, tail) = bytes.split_at(expected - 8);
        if checksum(body) != u64::from_le_bytes(tail.try_into().expect("8 bytes")) {
            return Err(ModelError::Checksum);
        }
        let (ss, ts) = (f32::from_bits(word(16)), f32::from_bits(word(20)));
        if [ss, ts].iter().any(|s| !s.is_finite() || *s <= 0.0) {
            return Err(ModelError::BadScale);
        }
        let q = |r: std::ops::Range<usize>| body[r].iter().map(|&b| b as i8).collect();
        Ok(NewsModel {
            sentence: Weights {
                q: q(24..24 + ns),
                scale: ss,
            },
            target: Weights {
                q: q(24 + ns..24 + ns + nt),
                scale: ts,
            },
        })
    }

    /// The sentence model's score of one sentence, in [-1, 1].
    pub fn sentence_score(&self, words: &Words, vader: &Scores) -> f64 {
        sentence_score(&self.sentence, words, vader)
    }

    /// The target model's score of the sentence towards the mention made of words
    /// `mention` (a range into `words`; may be empty for a mention that is not a word).
    /// `context` comes from [`NewsModel::target_context`] for the same sentence.
    pub fn target_score(
        &self,
        words: &Words,
        context: &TargetContext,
        mention: std::ops::Range<usize>,
    ) -> f64 {
        let t = &self.target;
        // The sentence-wide words minus the masked mention's: linear in the mention's length.
        let mut dot = context.sentence_words;
        work(mention.len() + 2 * WINDOW);
        for i in mention.clone() {
            dot -= t.at(key(P_SENT_WORD, words.words[i].hash)) * words.scale;
        }
        target_local_features(words, mention, context.sentence_score, |k, v| {
            dot += t.at(k) * v
        });
        (dot * f64::from(t.scale)).clamp(-1.0, 1.0)
    }

    /// What every mention of one sentence shares: computed once per sentence.
    pub fn target_context(&self, words: &Words, sentence_score: f64) -> TargetContext {
        let mut sum = 0.0f64;
        work(words.words.len());
        for word in &words.words {
            sum += self.target.at(key(P_SENT_WORD, word.hash)) * words.scale;
        }
        TargetContext {
            sentence_words: sum,
            sentence_score,
        }
    }
}

/// The sentence model's score with the weights `weights`.
pub fn sentence_score(weights: &Weights, words: &Words, vader: &Scores) -> f64 {
    let mut dot = 0.0f64;
    sentence_features(words, vader, |k, v| dot += weights.at(k) * v);
    (dot * f64::from(weights.scale)).clamp(-1.0, 1.0)
}

/// Per-sentence part of the target model's score (see [`NewsModel::target_context`]), in
/// units of the target model's scale.
#[derive(Clone, Copy, Debug)]
pub struct TargetContext {
    sentence_words: f64,
    sentence_score: f64,
}

/// One word of a sentence, as the features see it.
#[derive(Clone, Copy, Debug)]
pub struct Word {
    /// Byte span in the sentence text.
    pub start: usize,
    pub end: usize,
    /// Hash of the lower-cased word.
    pub hash: u64,
    /// For an inflected word the VADER lexicon lacks, the hash of its stem (see [`stem`]),
    /// else 0: "beheaded" and "beheading" share it, so what the model learned of one
    /// inflection carries to the other.
    pub stem: u64,
    /// Inside the scope of a negation.
    pub negated: bool,
    /// A negation word itself.
    pub negator: bool,
    /// Inside quotation marks.
    pub quoted: bool,
    /// A speech verb ("said", "told", ...).
    pub speech: bool,
    /// VADER lexicon valence on [-4, 4], 0 when not an entry.
    pub valence: f32,
}

/// A sentence as words, built once and read by both models.
#[derive(Clone, Debug, Default)]
pub struct Words {
    pub words: Vec<Word>,
    /// 1/sqrt(number of words): keeps long sentences from scoring louder.
    pub scale: f64,
    pub exclamations: usize,
    pub questions: usize,
    pub has_but: bool,
}

const NEGATORS: &[&str] = &[
    "not", "no", "never", "nor", "neither", "none", "nothing", "nobody", "nowhere", "without",
    "cannot", "cant", "dont", "didnt", "doesnt", "isnt", "wasnt", "werent", "wont", "hardly",
    "barely", "lack", "lacks", "lacked", "fail", "fails", "failed",
];
const SPEECH: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "according",
    "stated",
    "wrote",
    "writes",
    "argued",
    "argues",
    "claimed",
    "claims",
    "insisted",
    "warned",
    "asked",
];

/// What [`Words::new`] needs to know of a lower-cased word, found by the word's hash in
/// one lookup (the hash the features use anyway): its VADER valence and whether it is a
/// negator, a speech verb or "but".
#[derive(Clone, Copy, Debug, Default)]
struct WordInfo {
    /// A VADER lexicon entry (`valence` is its valence).
    entry: bool,
    valence: f32,
    negator: bool,
    speech: bool,
    but: bool,
}

/// The VADER lexicon and the word lists of the features, keyed by the hash of the
/// lower-cased word: built once from [`Vader`], shared by the pipeline and the trainer.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    words: rustc_hash::FxHashMap<u64, WordInfo>,
}

impl Lexicon {
    pub fn new(vader: &Vader) -> Lexicon {
        let mut words: rustc_hash::FxHashMap<u64, WordInfo> = Default::default();
        words.reserve(vader.lexicon_len() + NEGATORS.len() + SPEECH.len() + 1);
        for (word, valence) in vader.entries() {
            let info = words.entry(hash_str(word)).or_default();
            info.entry = true;
            info.valence = valence as f32;
        }
        for &w in NEGATORS {
            words.entry(hash_str(w)).or_default().negator = true;
        }
        for &w in SPEECH {
            words.entry(hash_str(w)).or_default().speech = true;
        }
        words.entry(hash_str("but")).or_default().but = true;
        Lexicon { words }
    }

    /// A stem's hash and VADER valence, as it is or with its silent "e" back ("accus" ->
    /// "accuse"); 0 when neither is an entry.
    fn stem(&self, stem: &str) -> (u64, f32) {
        let mut h = StrHasher::default();
        h.bytes(stem.as_bytes());
        let hash = h.finish();
        let valence = |k: u64| self.words.get(&k).filter(|i| i.entry).map(|i| i.valence);
        let v = valence(hash).or_else(|| {
            h.byte(b'e');
            valence(h.finish())
        });
        (hash, v.unwrap_or(0.0))
    }
}

fn is_quote_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '„')
}

impl Words {
    /// Splits `text` (one sentence) into words: runs of letters and digits, with inner
    /// apostrophes and hyphens kept ("don't", "well-known"). One pass, linear in the text.
    pub fn new(text: &str, lexicon: &Lexicon) -> Words {
        let mut words = Vec::with_capacity(text.len() / 5 + 1);
        let mut lower = String::with_capacity(32);
        let (mut negation, mut quoted) = (false, false);
        let (mut exclamations, mut questions, mut has_but) = (0, 0, false);
        let mut chars = text.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            if !c.is_alphanumeric() {
                match c {
                    '!' => exclamations += 1,
                    '?' => questions += 1,
                    _ => {}
                }
                if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')') {
                    negation = false;
                }
                if is_quote_mark(c) {
                    quoted = !quoted;
                    negation = false;
                }
                continue;
            }
            lower.clear();
            let mut end = start + c.len_utf8();
            push_lower(&mut lower, c);
            while let Some(&(i, d)) = chars.peek() {
                if d.is_alphanumeric() {
                    push_lower(&mut lower, d);
                    end = i + d.len_utf8();
                    chars.next();
                } else if matches!(d, '\'' | '’' | '-') {
                    // Kept only between two word characters.
                    let next = text[i + d.len_utf8()..].chars().next();
                    if next.is_some_and(char::is_alphanumeric) {
                        if d != '-' {
                            lower.push('\'');
                        } else {
                            lower.push('-');
                        }
                        chars.next();
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            let mut h = StrHasher::default();
            h.bytes(lower.as_bytes());
            let hash = h.finish();
            let info = lexicon.words.get(&hash).copied().unwrap_or_default();
            let mut valence = info.valence;
            let mut stem_hash = 0;
            if !info.entry {
                // An inflected word the lexicon lacks backs off to its stem: a feature of its
                // own, and the stem's valence ("bombed" -> "bomb").
                let (stem_text, stripped) = stem(&lower);
                if stripped {
                    let (hash, valence_of_stem) = lexicon.stem(stem_text);
                    stem_hash = hash;
                    valence = valence_of_stem;
                }
            }
            let negator = info.negator || lower.ends_with("n't");
            has_but |= info.but;
            words.push(Word {
                start,
                end,
                hash,
                stem: stem_hash,
                negated: negation && !negator,
                negator,
                quoted,
                speech: info.speech,
                valence,
            });
            if negator {
                negation = true;
            }
        }
        work(words.len());
        let scale = 1.0 / (words.len().max(1) as f64).sqrt();
        Words {
            words,
            scale,
            exclamations,
            questions,
            has_but,
        }
    }

    /// The words a byte span of the sentence covers (any overlap), as an index range.
    pub fn covering(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let a = self.words.partition_point(|w| w.end <= start);
        let b = self.words.partition_point(|w| w.start < end);
        a..b.max(a)
    }
}

/// A word's stem by suffix stripping: "-ings", "-ing", "-ed", "-es", "-s" come off when a
/// stem of at least three letters stays, and a doubled final consonant is undone
/// ("stopped" -> "stop"). Returns the stem and whether a suffix came off.
pub fn stem(lower: &str) -> (&str, bool) {
    const SUFFIXES: [&str; 5] = ["ings", "ing", "ed", "es", "s"];
    // Every suffix ends in "s", "g" or "d": most words leave at the first byte looked at.
    if !matches!(lower.as_bytes().last(), Some(b's' | b'g' | b'd')) || lower.len() < 4 {
        return (lower, false);
    }
    for suffix in SUFFIXES {
        if let Some(stem) = lower.strip_suffix(suffix) {
            if stem.len() < 3 || !stem.is_ascii() || (suffix == "s" && stem.ends_with('s')) {
                continue;
            }
            let b = stem.as_bytes();
            let n = b.len();
            let doubled = b[n - 1] == b[n - 2]
                && !matches!(
                    b[n - 1],
                    b'a' | b'e' | b'i' | b'o' | b'u' | b'l' | b's' | b'z'
                );
            return (if doubled { &stem[..n - 1] } else { stem }, true);
        }
    }
    (lower, false)
}

fn push_lower(s: &mut String, c: char) {
    if c.is_ascii() {
        s.push(c.to_ascii_lowercase());
    } else {
        s.extend(c.to_lowercase());
    }
}

// Feature kinds: the first argument of `key`.
const P_BIAS: u64 = 1;
const P_WORD: u64 = 2;
const P_NEG_WORD: u64 = 3;
const P_PAIR: u64 = 4;
const P_VADER: u64 = 5;
const P_SHAPE: u64 = 6;
const P_LEFT: u64 = 7;
const P_RIGHT: u64 = 8;
const P_NEAR: u64 = 9;
const P_SENT_WORD: u64 = 10;
const P_TARGET: u64 = 11;
const P_STEM: u64 = 12;
const P_NEG_STEM: u64 = 13;

#[inline]
fn key(kind: u64, value: u64) -> u64 {
    mix(value ^ kind.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// Every feature of the sentence model, as (hash, value) in a fixed order.
pub fn sentence_features(words: &Words, vader: &Scores, mut emit: impl FnMut(u64, f64)) {
    emit(key(P_BIAS, 0), 1.0);
    let c = vader.compound;
    emit(key(P_VADER, 0), c);
    emit(key(P_VADER, 1), vader.pos);
    emit(key(P_VADER, 2), vader.neg);
    // The compound in nine bins: lets the model bend VADER's scale.
    let bin = ((c + 1.0) * 4.0).round().clamp(0.0, 8.0) as u64;
    emit(key(P_VADER, 10 + bin), 1.0);
    let negations = words.words.iter().filter(|w| w.negator).count();
    emit(key(P_SHAPE, 0), negations.min(3) as f64);
    emit(key(P_SHAPE, 1), f64::from(u8::from(words.has_but)));
    emit(key(P_SHAPE, 2), words.exclamations.min(3) as f64);
    emit(key(P_SHAPE, 3), words.questions.min(3) as f64);
    let s = words.scale;
    let mut prev = 0u64;
    for w in &words.words {
        let kind = if w.negated { P_NEG_WORD } else { P_WORD };
        emit(key(kind, w.hash), s);
        if w.stem != 0 {
            let stem_kind = if w.negated { P_NEG_STEM } else { P_STEM };
            emit(key(stem_kind, w.stem), s);
        }
        emit(key(P_PAIR, mix(prev ^ w.hash.rotate_left(17))), s);
        prev = w.hash;
    }
}

/// The target model's features that depend on the mention (all but the sentence-wide words,
/// which [`target_features`] adds), in a fixed order.
pub fn target_local_features(
    words: &Words,
    mention: std::ops::Range<usize>,
    sentence_score: f64,
    mut emit: impl FnMut(u64, f64),
) {
    let n = words.words.len();
    emit(key(P_TARGET, 0), 1.0);
    emit(key(P_TARGET, 1), sentence_score);
    let (a, b) = (mention.start.min(n), mention.end.min(n));
    let (mut left_valence, mut right_valence) = (0.0f64, 0.0f64);
    let mut speaker = false;
    for d in 1..=WINDOW {
        if let Some(i) = a.checked_sub(d) {
            let w = &words.words[i];
            emit(key(P_LEFT, mix(w.hash ^ d as u64)), 1.0);
            emit(key(P_NEAR, mix(w.hash ^ u64::from(w.negated))), 1.0);
            if d <= VALENCE_WINDOW {
                left_valence += f64::from(w.valence) * if w.negated { -0.74 } else { 1.0 };
            }
            speaker |= w.speech && !w.quoted;
        }
        if let Some(w) = words.words.get(b + d - 1) {
            emit(key(P_RIGHT, mix(w.hash ^ d as u64)), 1.0);
            emit(key(P_NEAR, mix(w.hash ^ u64::from(w.negated))), 1.0);
            if d <= VALENCE_WINDOW {
                right_valence += f64::from(w.valence) * if w.negated { -0.74 } else { 1.0 };
            }
            speaker |= w.speech && !w.quoted && d <= 3;
        }
    }
    emit(key(P_TARGET, 2), left_valence / 4.0);
    emit(key(P_TARGET, 3), right_valence / 4.0);
    let quoted = words.words.get(a).is_some_and(|w| w.quoted);
    let has_quote = words.words.iter().any(|w| w.quoted);
    emit(key(P_TARGET, 4), f64::from(u8::from(quoted)));
    emit(key(P_TARGET, 5), f64::from(u8::from(speaker && !quoted)));
    // The sentence's tone, split by whether the mention speaks, is spoken about, or neither.
    let role = if quoted {
        6
    } else if speaker && has_quote {
        7
    } else if speaker {
        8
    } else {
        9
    };
    emit(key(P_TARGET, role), sentence_score);
    emit(key(P_TARGET, 10), f64::from(u8::from(a == 0)));
}

/// The hashed keys (masked to `bits`) of the target model's dense features: the bias, the
/// sentence score, the valence sums, the quotation and speaker flags and the sentence score
/// by role (everything but the words).
pub fn target_dense_keys(bits: u32) -> Vec<u32> {
    let mask = (1u64 << bits) - 1;
    (0..=10).map(|i| (key(P_TARGET, i) & mask) as u32).collect()
}

/// Every feature of the target model for the mention `mention` of the sentence `words`:
/// what [`target_local_features`] gives plus the sentence's words outside the mention.
/// (The pipeline adds the sentence-wide part once per sentence instead; see
/// [`NewsModel::target_score`].)
pub fn target_features(
    words: &Words,
    mention: std::ops::Range<usize>,
    sentence_score: f64,
    mut emit: impl FnMut(u64, f64),
) {
    for (i, w) in words.words.iter().enumerate() {
        if !mention.contains(&i) {
            emit(key(P_SENT_WORD, w.hash), words.scale);
        }
    }
    target_local_features(words, mention, sentence_score, emit);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vader() -> Vader {
        Vader::from_lexicons(
            include_str!("../../../models/vader/vader_lexicon.txt"),
            include_str!("../../../models/vader/emoji_utf8_lexicon.txt"),
        )
        .unwrap()
    }

    #[test]
    fn words_lower_case_scope_negation_and_mark_quotes() {
        let v = vader();
        let lex = Lexicon::new(&v);
        let text = "Police did not rescue the “Good” man, he said. Don't-Stop!";
        let w = Words::new(text, &lex);
        let slices: Vec<&str> = w.words.iter().map(|x| &text[x.start..x.end]).collect();
        assert_eq!(
            slices,
            [
                "Police",
                "did",
                "not",
                "rescue",
                "the",
                "Good",
                "man",
                "he",
                "said",
                "Don't-Stop"
            ]
        );
        assert!(w.words[2].negator && !w.words[2].negated);
        assert!(w.words[3].negated && w.words[4].negated);
        // The quotation mark ends the negation's scope.
        assert!(!w.words[5].negated && w.words[5].quoted && !w.words[6].quoted);
        assert!(w.words[5].valence > 0.0, "good is a lexicon word");
        assert!(w.words[8].speech);
        assert_eq!(w.exclamations, 1);
        assert_eq!(w.words[5].hash, Words::new("GOOD", &lex).words[0].hash);
        assert_eq!(w.covering(0, 3), 0..1);
        assert_eq!(
            w.covering(text.find("Good").unwrap(), text.find("man").unwrap() + 3),
            5..7
        );
        assert_eq!(w.covering(text.len(), text.len()), 10..10);
    }

    #[test]
    fn hashed_lexicon_agrees_with_vader_on_every_word_entry() {
        let v = vader();
        let lex = Lexicon::new(&v);
        let mut checked = 0;
        for (entry, valence) in v.entries() {
            let w = Words::new(entry, &lex);
            // Entries that are one word as the features split them (not ":)" or "kind of").
            if w.words.len() != 1 || w.words[0].start != 0 || w.words[0].end != entry.len() {
                continue;
            }
            if entry.chars().any(char::is_uppercase) {
                continue;
            }
            assert_eq!(w.words[0].valence, valence as f32, "{entry}");
            assert_eq!(w.words[0].stem, 0, "{entry}: an entry is its own feature");
            checked += 1;
        }
        assert!(checked > 6_000, "{checked}");
        let w = Words::new("Nobody said it, but he claims he didn't.", &lex);
        let flags: Vec<(bool, bool)> = w.words.iter().map(|x| (x.negator, x.speech)).collect();
        assert_eq!(
            flags,
            [
                (true, false),
                (false, true),
                (false, false),
                (false, false),
                (false, false),
                (false, true),
                (false, false),
                (true, false)
            ]
        );
        assert!(w.has_but);
    }

    #[test]
    fn stems_join_inflections_and_back_off_to_the_lexicon() {
        assert_eq!(stem("beheaded"), ("behead", true));
        assert_eq!(stem("beheading"), ("behead", true));
        assert_eq!(stem("beheadings"), ("behead", true));
        assert_eq!(stem("stopped"), ("stop", true));
        assert_eq!(stem("accuses"), ("accus", true));
        assert_eq!(stem("passes"), ("pass", true));
        assert_eq!(stem("class"), ("class", false));
        assert_eq!(stem("is"), ("is", false));
        assert_eq!(stem("café"), ("café", false));
        let v = vader();
        let lex = Lexicon::new(&v);
        let w = Words::new("Beheaded, beheading and behead; good, goods.", &lex);
        assert!(w.words[0].stem != 0 && w.words[0].stem == w.words[1].stem);
        assert_ne!(w.words[0].hash, w.words[1].hash);
        // Uninflected words and lexicon words are their own features only.
        assert_eq!((w.words[3].stem, w.words[4].stem), (0, 0));
        assert!(v.word_valence("goods").is_none() && w.words[5].stem != 0);
        // An inflection missing from the lexicon takes its entry's valence, silent "e" and
        // doubled consonant undone.
        for missing in ["bombed", "bombing", "robbed"] {
            assert!(v.word_valence(missing).is_none(), "{missing}");
        }
        let w = Words::new("They bombed the bank, robbed it, the bombing.", &lex);
        let f = |x: &str| v.word_valence(x).unwrap() as f32;
        assert_eq!(w.words[1].valence, f("bomb"));
        assert_eq!(w.words[4].valence, f("rob"));
        assert_eq!(w.words[7].valence, f("bomb"));
        assert_eq!(Words::new("beheaded", &lex).words[0].valence, 0.0);
    }

    #[test]
    fn fast_target_score_equals_the_sum_over_all_features() {
        let v = vader();
        let lex = Lexicon::new(&v);
        let mut m = NewsModel::zeros();
        for (i, w) in m.target.q.iter_mut().enumerate() {
            *w = (((i * 7919) % 255) as i16 - 127) as i8;
        }
        m.target.scale = 4e-4;
        let text = "The minister, who was accused of fraud, rescued 21 workers, officials said.";
        let words = Words::new(text, &lex);
        let ctx = m.target_context(&words, 0.3);
        for mention in [0..2, 1..2, 5..7, 11..12, 12..12] {
            let mut dot = 0.0f64;
            target_features(&words, mention.clone(), 0.3, |k, x| {
                let q = m.target.q[k as usize & (m.target.q.len() - 1)];
                dot += f64::from(q) * f64::from(m.target.scale) * x
            });
            let fast = m.target_score(&words, &ctx, mention.clone());
            assert!((fast - dot.clamp(-1.0, 1.0)).abs() < 1e-9, "{mention:?}");
        }
    }

    #[test]
    fn model_file_round_trips_and_refuses_damage() {
        let mut m = NewsModel::zeros();
        m.sentence.q[3] = 50;
        m.target.q[7] = -25;
        m.target.scale = 0.01;
        let bytes = m.to_bytes();
        assert_eq!(NewsModel::from_bytes(&bytes).unwrap(), m);
        let truncated = &bytes[..bytes.len() - 1];
        assert!(matches!(
            NewsModel::from_bytes(truncated),
            Err(ModelError::Length { .. })
        ));
        let mut oversized = bytes.clone();
        oversized.push(0);
        assert!(matches!(
            NewsModel::from_bytes(&oversized),
            Err(ModelError::Length { .. })
        ));
        let mut flipped = bytes.clone();
        flipped[100] ^= 1;
        assert_eq!(NewsModel::from_bytes(&flipped), Err(ModelError::Checksum));
        assert_eq!(NewsModel::from_bytes(b"NESENT"), Err(ModelError::BadMagic));
        let mut bits = bytes.clone();
        bits[8] = 40;
        assert_eq!(NewsModel::from_bytes(&bits), Err(ModelError::BadBits(40)));
        for bad in [0.0, -1.0, f32::NAN, f32::INFINITY] {
            m.sentence.scale = bad;
            assert_eq!(
                NewsModel::from_bytes(&m.to_bytes()),
                Err(ModelError::BadScale),
                "{bad}"
            );
        }
    }

    #[test]
    fn quantised_weights_stay_within_half_a_step() {
        let w: Vec<f32> = (0..1024)
            .map(|i| ((i * 37) % 201) as f32 / 100.0 - 1.0)
            .collect();
        let q = Weights::quantise(&w);
        assert!((q.scale - 1.0 / 127.0).abs() < 1e-7);
        assert_eq!(q.q.iter().map(|&x| x.unsigned_abs()).max(), Some(127));
        for (x, &k) in w.iter().zip(&q.q) {
            assert!(
                (x - f32::from(k) * q.scale).abs() <= q.scale / 2.0 + 1e-6,
                "{x}"
            );
        }
        assert_eq!(Weights::quantise(&[0.0; 4]).q, [0; 4]);
    }
}
