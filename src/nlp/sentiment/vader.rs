//! VADER (Hutto & Gilbert 2014) on one text, exactly as the PyPI package `vadersentiment`
//! 3.3.2 computes it. (The pipeline scores each sentence with it; [`super::aggregate`] turns
//! sentence scores into the article's.)
//!
//! The port follows the Python *code*, not the paper, including its quirks (the `but` rule's
//! `list.index` lookup, the `never so`/`this` precedence slip, the unreachable `badass` special
//! case, ...), so that [`Vader::polarity_scores`] returns the same numbers as
//! `SentimentIntensityAnalyzer().polarity_scores`. Every text of the three VADER ground-truth sets
//! is checked against the reference in `tests/vader_reference.rs`.
//!
//! Lexicons: `vader_lexicon.txt` and `emoji_utf8_lexicon.txt` from cjhutto/vaderSentiment
//! (MIT, "Copyright (c) 2016 C.J. Hutto"); keep that licence text beside any copy.

use std::borrow::Cow;
use std::fmt;

use rustc_hash::{FxHashMap, FxHashSet};

// Empirically derived constants of the reference (names as in vaderSentiment.py).
const B_INCR: f64 = 0.293;
const B_DECR: f64 = -0.293;
const C_INCR: f64 = 0.733;
const N_SCALAR: f64 = -0.74;
/// Alpha of the compound normalisation `x / sqrt(x^2 + alpha)`.
const ALPHA: f64 = 15.0;

const NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

/// Single-token boosters/dampeners. The reference's three two-word entries are in
/// [`BOOSTER_BIGRAMS`]: a whitespace-split token can never equal a key with a space in it.
const BOOSTERS: &[(&str, f64)] = &[
    ("absolutely", B_INCR),
    ("amazingly", B_INCR),
    ("awfully", B_INCR),
    ("completely", B_INCR),
    ("considerable", B_INCR),
    ("considerably", B_INCR),
    ("decidedly", B_INCR),
    ("deeply", B_INCR),
    ("effing", B_INCR),
    ("enormous", B_INCR),
    ("enormously", B_INCR),
    ("entirely", B_INCR),
    ("especially", B_INCR),
    ("exceptional", B_INCR),
    ("exceptionally", B_INCR),
    ("extreme", B_INCR),
    ("extremely", B_INCR),
    ("fabulously", B_INCR),
    ("flipping", B_INCR),
    ("flippin", B_INCR),
    ("frackin", B_INCR),
    ("fracking", B_INCR),
    ("fricking", B_INCR),
    ("frickin", B_INCR),
    ("frigging", B_INCR),
    ("friggin", B_INCR),
    ("fully", B_INCR),
    ("fuckin", B_INCR),
    ("fucking", B_INCR),
    ("fuggin", B_INCR),
    ("fugging", B_INCR),
    ("greatly", B_INCR),
    ("hella", B_INCR),
    ("highly", B_INCR),
    ("hugely", B_INCR),
    ("incredible", B_INCR),
    ("incredibly", B_INCR),
    ("intensely", B_INCR),
    ("major", B_INCR),
    ("majorly", B_INCR),
    ("more", B_INCR),
    ("most", B_INCR),
    ("particularly", B_INCR),
    ("purely", B_INCR),
    ("quite", B_INCR),
    ("really", B_INCR),
    ("remarkably", B_INCR),
    ("so", B_INCR),
    ("substantially", B_INCR),
    ("thoroughly", B_INCR),
    ("total", B_INCR),
    ("totally", B_INCR),
    ("tremendous", B_INCR),
    ("tremendously", B_INCR),
    ("uber", B_INCR),
    ("unbelievably", B_INCR),
    ("unusually", B_INCR),
    ("utter", B_INCR),
    ("utterly", B_INCR),
    ("very", B_INCR),
    ("almost", B_DECR),
    ("barely", B_DECR),
    ("hardly", B_DECR),
    ("kinda", B_DECR),
    ("kindof", B_DECR),
    ("kind-of", B_DECR),
    ("less", B_DECR),
    ("little", B_DECR),
    ("marginal", B_DECR),
    ("marginally", B_DECR),
    ("occasional", B_DECR),
    ("occasionally", B_DECR),
    ("partly", B_DECR),
    ("scarce", B_DECR),
    ("scarcely", B_DECR),
    ("slight", B_DECR),
    ("slightly", B_DECR),
    ("somewhat", B_DECR),
    ("sorta", B_DECR),
    ("sortof", B_DECR),
    ("sort-of", B_DECR),
];

/// The reference's two-word BOOSTER_DICT keys; only `_special_idioms_check` can reach them.
const BOOSTER_BIGRAMS: &[([&str; 2], f64)] = &[
    (["just", "enough"], B_DECR),
    (["kind", "of"], B_DECR),
    (["sort", "of"], B_DECR),
];

/// SPECIAL_CASES of the reference. Its one-word key `badass` is left out on purpose: the
/// reference only ever looks up two- and three-word sequences, so that key never fires.
const SPECIAL_CASES: &[(&[&str], f64)] = &[
    (&["the", "shit"], 3.0),
    (&["the", "bomb"], 3.0),
    (&["bad", "ass"], 1.5),
    (&["bus", "stop"], 0.0),
    (&["yeah", "right"], -2.0),
    (&["kiss", "of", "death"], -1.5),
    (&["to", "die", "for"], 3.0),
    (&["beating", "heart"], 3.5),
];

/// Why a lexicon could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaderError {
    /// A non-blank line without the `TOKEN<TAB>VALUE` shape.
    MissingField { lexicon: &'static str, line: usize },
    /// The valence column of `vader_lexicon.txt` is not a number.
    BadValence { line: usize, value: String },
    /// A lexicon with no entries (most likely the wrong file or an empty `include_str!`).
    Empty { lexicon: &'static str },
}

impl fmt::Display for VaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VaderError::MissingField { lexicon, line } => {
                write!(
                    f,
                    "{lexicon} line {line}: expected at least two tab-separated fields"
                )
            }
            VaderError::BadValence { line, value } => {
                write!(
                    f,
                    "vader lexicon line {line}: valence {value:?} is not a number"
                )
            }
            VaderError::Empty { lexicon } => write!(f, "{lexicon} has no entries"),
        }
    }
}

impl std::error::Error for VaderError {}

/// VADER sentiment of one text, as `polarity_scores` returns it: `neg`, `neu`, `pos` rounded to
/// 3 decimals, `compound` in [-1, 1] rounded to 4.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scores {
    pub neg: f64,
    pub neu: f64,
    pub pos: f64,
    pub compound: f64,
}

/// The VADER scorer. Build it once (it parses ~11k lexicon lines) and share it: it is
/// immutable, `Send + Sync`, and scoring takes `&self`.
#[derive(Clone)]
pub struct Vader {
    lexicon: FxHashMap<Box<str>, f64>,
    /// Only single-code-point emoji can ever match (the reference tests one `str` character at
    /// a time against the dict), so multi-code-point sequences are not kept.
    emojis: FxHashMap<char, Box<str>>,
    /// Smallest emoji key: texts whose characters are all below it (all ASCII text, as the
    /// lexicon has no ASCII keys) skip the emoji pass without a single lookup.
    min_emoji: char,
    boosters: FxHashMap<&'static str, f64>,
    negate: FxHashSet<&'static str>,
}

/// One whitespace-separated token after punctuation stripping, with what the rules ask of it.
struct Token<'a> {
    lower: Cow<'a, str>,
    /// Valence if `lower` is a lexicon entry; `is_some()` is the reference's `in self.lexicon`.
    valence: Option<f64>,
    upper: bool,
}

// Manual so that logging a struct holding a `Vader` does not dump 11k lexicon entries.
impl fmt::Debug for Vader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vader")
            .field("lexicon_entries", &self.lexicon.len())
            .field("emoji_entries", &self.emojis.len())
            .finish_non_exhaustive()
    }
}

impl Vader {
    /// The scorer with the lexicons compiled into the binary (`models/vader/`).
    pub fn builtin() -> Result<Vader, VaderError> {
        Vader::from_lexicons(
            include_str!("../../../models/vader/vader_lexicon.txt"),
            include_str!("../../../models/vader/emoji_utf8_lexicon.txt"),
        )
    }

    /// Parse the contents of `vader_lexicon.txt` (`TOKEN<TAB>MEAN<TAB>...`) and
    /// `emoji_utf8_lexicon.txt` (`EMOJI<TAB>description`). LF or CRLF line ends both work,
    /// as in the reference (which strips each line); blank lines are skipped; a later
    /// duplicate entry overrides an earlier one, as a Python dict does.
    pub fn from_lexicons(vader_lexicon: &str, emoji_lexicon: &str) -> Result<Vader, VaderError> {
        let mut lexicon = FxHashMap::default();
        lexicon.reserve(8_000);
        for (n, line) in vader_lexicon.split('\n').enumerate() {
            let line = py_strip(line);
            if line.is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let (Some(token), Some(value)) = (fields.next(), fields.next()) else {
                return Err(VaderError::MissingField {
                    lexicon: "vader lexicon",
                    line: n + 1,
                });
            };
            let valence: f64 = value.trim().parse().map_err(|_| VaderError::BadValence {
                line: n + 1,
                value: value.to_owned(),
            })?;
            lexicon.insert(Box::from(token), valence);
        }
        if lexicon.is_empty() {
            return Err(VaderError::Empty {
                lexicon: "vader lexicon",
            });
        }

        let mut emojis = FxHashMap::default();
        let mut entries = 0usize;
        for (n, line) in emoji_lexicon.split('\n').enumerate() {
            let line = py_strip(line);
            if line.is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let (Some(emoji), Some(description)) = (fields.next(), fields.next()) else {
                return Err(VaderError::MissingField {
                    lexicon: "emoji lexicon",
                    line: n + 1,
                });
            };
            entries += 1;
            let mut chars = emoji.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                emojis.insert(c, Box::from(description));
            }
        }
        if entries == 0 {
            return Err(VaderError::Empty {
                lexicon: "emoji lexicon",
            });
        }
        let min_emoji = emojis.keys().copied().min().unwrap_or(char::MAX);

        Ok(Vader {
            lexicon,
            emojis,
            min_emoji,
            boosters: BOOSTERS.iter().copied().collect(),
            negate: NEGATE.iter().copied().collect(),
        })
    }

    /// The lexicon valence of a lower-case word on [-4, 4], if it is an entry (feature for the
    /// trained news models).
    pub fn word_valence(&self, lower: &str) -> Option<f64> {
        self.lexicon.get(lower).copied()
    }

    /// The word/emoticon lexicon's entries and valences (in no particular order).
    pub fn entries(&self) -> impl Iterator<Item = (&str, f64)> + '_ {
        self.lexicon.iter().map(|(k, &v)| (&**k, v))
    }

    /// Number of entries of the word/emoticon lexicon (after duplicate keys collapse).
    pub fn lexicon_len(&self) -> usize {
        self.lexicon.len()
    }

    /// VADER scores of `text`, equal to `SentimentIntensityAnalyzer().polarity_scores(text)`
    /// of vadersentiment 3.3.2. Meant for one sentence: on long texts the compound saturates
    /// towards ±1 (see [`aggregate`] for articles).
    pub fn polarity_scores(&self, text: &str) -> Scores {
        let text = self.replace_emojis(text);
        let text = py_strip(&text);

        let mut tokens: Vec<Token<'_>> = Vec::with_capacity(text.len() / 4 + 1);
        let mut upper_count = 0usize;
        for word in text.split(is_py_space).filter(|w| !w.is_empty()) {
            let raw = strip_punc_if_word(word);
            let lower = py_lower(raw);
            let valence = self.lexicon.get(lower.as_ref()).copied();
            let upper = py_isupper(raw);
            upper_count += usize::from(upper);
            tokens.push(Token {
                lower,
                valence,
                upper,
            });
        }
        // allcap_differential: some, but not all, tokens are ALL CAPS.
        let is_cap_diff = upper_count > 0 && upper_count < tokens.len();

        let mut sentiments: Vec<f64> = Vec::with_capacity(tokens.len());
        for (i, tok) in tokens.iter().enumerate() {
            let lower = tok.lower.as_ref();
            // Boosters and the first word of "kind of" modify others and carry no valence.
            let is_modifier = self.boosters.contains_key(lower)
                || (lower == "kind" && tokens.get(i + 1).is_some_and(|t| t.lower == "of"));
            sentiments.push(if is_modifier {
                0.0
            } else {
                self.sentiment_valence(&tokens, i, is_cap_diff)
            });
        }

        but_check(&tokens, &mut sentiments);
        score_valence(&sentiments, text)
    }

    /// The reference replaces every emoji code point by its description, with a space before
    /// it unless the previous character was a space (and none after). Borrows when the text
    /// has none, which is the common case.
    fn replace_emojis<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let first = text
            .char_indices()
            .find(|&(_, c)| c >= self.min_emoji && self.emojis.contains_key(&c));
        let Some((start, _)) = first else {
            return Cow::Borrowed(text);
        };
        let mut out = String::with_capacity(text.len() + 32);
        out.push_str(&text[..start]);
        let mut prev_space = text[..start].ends_with(' ') || start == 0;
        for c in text[start..].chars() {
            match self.emojis.get(&c) {
                Some(description) => {
                    if !prev_space {
                        out.push(' ');
                    }
                    out.push_str(description);
                    prev_space = false;
                }
                None => {
                    out.push(c);
                    prev_space = c == ' ';
                }
            }
        }
        Cow::Owned(out)
    }

    /// `SentimentIntensityAnalyzer.sentiment_valence`: valence of token `i` after the
    /// `no`, ALL-CAPS, booster, negation, idiom and `least` rules.
    fn sentiment_valence(&self, toks: &[Token<'_>], i: usize, is_cap_diff: bool) -> f64 {
        let Some(lex_valence) = toks[i].valence else {
            return 0.0;
        };
        let lower = |k: usize| toks[k].lower.as_ref();
        let mut valence = lex_valence;

        // "no" before another lexicon word negates that word instead of scoring itself.
        if lower(i) == "no" && i + 1 < toks.len() && toks[i + 1].valence.is_some() {
            valence = 0.0;
        }
        // Overrides the line above too ("no no good"), as in the reference.
        if (i > 0 && lower(i - 1) == "no")
            || (i > 1 && lower(i - 2) == "no")
            || (i > 2 && lower(i - 3) == "no" && matches!(lower(i - 1), "or" | "nor"))
        {
            valence = lex_valence * N_SCALAR;
        }

        if toks[i].upper && is_cap_diff {
            // `else` includes valence == 0 (a neutralised "NO"), as in the reference.
            if valence > 0.0 {
                valence += C_INCR;
            } else {
                valence -= C_INCR;
            }
        }

        for start_i in 0..3 {
            let j = match i.checked_sub(start_i + 1) {
                Some(j) if toks[j].valence.is_none() => j,
                _ => continue,
            };
            let mut s = self.scalar_inc_dec(&toks[j], valence, is_cap_diff);
            // Modifiers further away count less.
            if start_i == 1 && s != 0.0 {
                s *= 0.95;
            }
            if start_i == 2 && s != 0.0 {
                s *= 0.9;
            }
            valence += s;
            valence = self.negation_check(valence, toks, start_i, i);
            if start_i == 2 {
                valence = special_idioms_check(valence, toks, i);
            }
        }

        least_check(valence, toks, i)
    }

    /// `scalar_inc_dec`: the booster/dampener contribution of a preceding token.
    fn scalar_inc_dec(&self, tok: &Token<'_>, valence: f64, is_cap_diff: bool) -> f64 {
        let Some(&b) = self.boosters.get(tok.lower.as_ref()) else {
            return 0.0;
        };
        let mut scalar = if valence < 0.0 { -b } else { b };
        if tok.upper && is_cap_diff {
            if valence > 0.0 {
                scalar += C_INCR;
            } else {
                scalar -= C_INCR;
            }
        }
        scalar
    }

    /// The reference's `negated([word])`: a NEGATE word, or any word containing "n't".
    fn negated(&self, lower: &str) -> bool {
        self.negate.contains(lower) || lower.contains("n't")
    }

    /// `_negation_check`, including its `A and B or C` precedence at distance 3: any "so" or
    /// "this" right before the word boosts it by 1.25 whatever comes before.
    fn negation_check(&self, valence: f64, toks: &[Token<'_>], start_i: usize, i: usize) -> f64 {
        let lower = |k: usize| toks[k].lower.as_ref();
        let so_this = |w: &str| w == "so" || w == "this";
        match start_i {
            0 => {
                if self.negated(lower(i - 1)) {
                    return valence * N_SCALAR;
                }
            }
            1 => {
                if lower(i - 2) == "never" && so_this(lower(i - 1)) {
                    return valence * 1.25;
                } else if lower(i - 2) == "without" && lower(i - 1) == "doubt" {
                    return valence;
                } else if self.negated(lower(i - 2)) {
                    return valence * N_SCALAR;
                }
            }
            _ => {
                if (lower(i - 3) == "never" && so_this(lower(i - 2))) || so_this(lower(i - 1)) {
                    return valence * 1.25;
                } else if lower(i - 3) == "without"
                    && (lower(i - 2) == "doubt" || lower(i - 1) == "doubt")
                {
                    return valence;
                } else if self.negated(lower(i - 3)) {
                    return valence * N_SCALAR;
                }
            }
        }
        valence
    }
}

/// `_special_idioms_check` (only reached with i >= 3): idioms replace the valence, then the
/// two-word dampeners "kind of"/"sort of"/"just enough" before the word add their raw value.
fn special_idioms_check(mut valence: f64, toks: &[Token<'_>], i: usize) -> f64 {
    let w = |k: usize| toks[k].lower.as_ref();
    // Same order as the reference: onezero, twoonezero, twoone, threetwoone, threetwo.
    let before: [&[usize]; 5] = [
        &[i - 1, i],
        &[i - 2, i - 1, i],
        &[i - 2, i - 1],
        &[i - 3, i - 2, i - 1],
        &[i - 3, i - 2],
    ];
    if let Some(v) = before.iter().find_map(|seq| special_case(toks, seq)) {
        valence = v;
    }
    // zeroone and zeroonetwo (written without let-chains so the module builds on edition 2021).
    let after = |seq: &[usize]| match seq.last() {
        Some(&last) if last < toks.len() => special_case(toks, seq),
        _ => None,
    };
    if let Some(v) = after(&[i, i + 1]) {
        valence = v;
    }
    if let Some(v) = after(&[i, i + 1, i + 2]) {
        valence = v;
    }
    // Reference n-grams: threetwoone (3 words, never a booster key), threetwo, twoone.
    for (a, b) in [(i - 3, i - 2), (i - 2, i - 1)] {
        if let Some((_, v)) = BOOSTER_BIGRAMS
            .iter()
            .find(|(key, _)| key[0] == w(a) && key[1] == w(b))
        {
            valence += v;
        }
    }
    valence
}

fn special_case(toks: &[Token<'_>], seq: &[usize]) -> Option<f64> {
    SPECIAL_CASES.iter().find_map(|&(key, v)| {
        (key.len() == seq.len() && key.iter().zip(seq).all(|(k, &j)| *k == toks[j].lower))
            .then_some(v)
    })
}

/// `_least_check`: "least X" negates X, except "at least" / "very least".
/// ("least" is not a lexicon word, so the reference's "not in lexicon" test always holds.)
fn least_check(valence: f64, toks: &[Token<'_>], i: usize) -> f64 {
    let lower = |k: usize| toks[k].lower.as_ref();
    if i > 0
        && toks[i - 1].valence.is_none()
        && lower(i - 1) == "least"
        && (i == 1 || !matches!(lower(i - 2), "at" | "very"))
    {
        valence * N_SCALAR
    } else {
        valence
    }
}

/// `_but_check`, bug for bug: words before the first "but" are halved, words after it
/// multiplied by 1.5, but the slot rescaled is `sentiments.index(value)`, i.e. the *first*
/// slot holding an equal value in the list as modified so far, not the current one.
fn but_check(toks: &[Token<'_>], sentiments: &mut [f64]) {
    let Some(bi) = toks.iter().position(|t| t.lower == "but") else {
        return;
    };
    for k in 0..sentiments.len() {
        let value = sentiments[k];
        // Always found: at worst at `k` itself.
        let si = sentiments[..=k]
            .iter()
            .position(|&s| s == value)
            .unwrap_or(k);
        if si < bi {
            sentiments[si] = value * 0.5;
        } else if si > bi {
            sentiments[si] = value * 1.5;
        }
    }
}

/// `score_valence`: punctuation emphasis, compound normalisation and the pos/neg/neu shares.
fn score_valence(sentiments: &[f64], text: &str) -> Scores {
    if sentiments.is_empty() {
        return Scores::default();
    }
    let mut sum_s: f64 = sentiments.iter().sum();
    let punct = punctuation_emphasis(text);
    if sum_s > 0.0 {
        sum_s += punct;
    } else if sum_s < 0.0 {
        sum_s -= punct;
    }
    let compound = normalize(sum_s);

    // Lexicon words count one more than their valence so neutral words (counted 1) compare.
    let (mut pos_sum, mut neg_sum, mut neu_count) = (0.0f64, 0.0f64, 0usize);
    for &s in sentiments {
        if s > 0.0 {
            pos_sum += s + 1.0;
        }
        if s < 0.0 {
            neg_sum += s - 1.0;
        }
        if s == 0.0 {
            neu_count += 1;
        }
    }
    if pos_sum > neg_sum.abs() {
        pos_sum += punct;
    } else if pos_sum < neg_sum.abs() {
        neg_sum -= punct;
    }
    let neu_count = neu_count as f64;
    let total = pos_sum + neg_sum.abs() + neu_count;
    Scores {
        neg: py_round((neg_sum / total).abs(), 3),
        neu: py_round((neu_count / total).abs(), 3),
        pos: py_round((pos_sum / total).abs(), 3),
        compound: py_round(compound, 4),
    }
}

/// Up to four '!' add 0.292 each; 2–3 '?' add 0.18 each, more add 0.96. Counted over the
/// whole (emoji-replaced) text.
fn punctuation_emphasis(text: &str) -> f64 {
    let (mut ep, mut qm) = (0usize, 0usize);
    for b in text.bytes() {
        ep += usize::from(b == b'!');
        qm += usize::from(b == b'?');
    }
    let ep_amplifier = ep.min(4) as f64 * 0.292;
    let qm_amplifier = match qm {
        0 | 1 => 0.0,
        2 | 3 => qm as f64 * 0.18,
        _ => 0.96,
    };
    ep_amplifier + qm_amplifier
}

/// `normalize(score, alpha=15)`.
fn normalize(score: f64) -> f64 {
    (score / (score * score + ALPHA).sqrt()).clamp(-1.0, 1.0)
}

/// Python's `round(x, digits)`: correctly rounded, ties to even on the exact binary value.
/// Away from a tie, `round(x·10^d) / 10^d` is that same double (IEEE division is correctly
/// rounded and 10^d is exact); near one, Rust's `{:.N}` formatting, which rounds the exact
/// value like Python, decides. The fast path keeps formatting out of the hot loop.
fn py_round(x: f64, digits: usize) -> f64 {
    let scale = [1.0, 10.0, 100.0, 1_000.0, 10_000.0][digits.min(4)];
    let t = x * scale;
    if !t.is_finite() {
        return x;
    }
    if digits <= 4 && (t.fract().abs() - 0.5).abs() > 1e-6 {
        return t.round() / scale;
    }
    let mut buf = String::with_capacity(24);
    use std::fmt::Write;
    let _ = write!(buf, "{x:.digits$}");
    buf.parse().unwrap_or(x)
}

/// `_strip_punc_if_word`: strip leading/trailing ASCII punctuation (Python's
/// `string.punctuation`), unless that leaves two characters or fewer (likely an emoticon).
fn strip_punc_if_word(token: &str) -> &str {
    let stripped = token.trim_matches(|c: char| c.is_ascii_punctuation());
    if stripped.chars().nth(2).is_none() {
        token
    } else {
        stripped
    }
}

/// Python's `str.isspace` per character: Unicode White_Space plus U+001C..U+001F, which
/// Python also splits on (bidi class B/S).
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()` without arguments.
fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Python's `str.lower()`; borrows when there is nothing to change (the usual case).
fn py_lower(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        }
    } else {
        // Full Unicode mapping incl. final sigma, as Python does.
        let lower = s.to_lowercase();
        if lower == s {
            Cow::Borrowed(s)
        } else {
            Cow::Owned(lower)
        }
    }
}

/// Python's `str.isupper()`: at least one uppercase character and no lowercase or
/// titlecase one.
fn py_isupper(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// Unicode general category Lt (titlecase letters), which Python's `isupper` rejects.
fn is_titlecase(c: char) -> bool {
    matches!(
        c,
        '\u{01C5}'
            | '\u{01C8}'
            | '\u{01CB}'
            | '\u{01F2}'
            | '\u{1F88}'..='\u{1F8F}'
            | '\u{1F98}'..='\u{1F9F}'
            | '\u{1FA8}'..='\u{1FAF}'
            | '\u{1FBC}'
            | '\u{1FCC}'
            | '\u{1FFC}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_string_semantics() {
        assert!(py_isupper("GOOD") && py_isupper(":D") && py_isupper("ÉTÉ!"));
        assert!(!py_isupper(":)") && !py_isupper("Good") && !py_isupper("ǅUNGLA"));
        assert_eq!(strip_punc_if_word("'good!'"), "good");
        assert_eq!(strip_punc_if_word(":)"), ":)");
        assert_eq!(strip_punc_if_word("(ok)"), "(ok)");
        assert_eq!(py_strip("\u{1c} x\u{a0}"), "x");
        assert_eq!(py_lower("ΣΑΣ"), "σας");
        assert_eq!(py_round(0.03125, 4), 0.0312);
        assert_eq!(py_round(0.0625, 3), 0.062);
        assert_eq!(py_round(2.675, 2), 2.67);
    }
}
