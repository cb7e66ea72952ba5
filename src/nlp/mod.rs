//! The enrichment pipeline: pure, synchronous, no I/O. [`Pipeline::load`] builds every stage
//! once; [`Pipeline::analyze`] runs them in a fixed order (text -> entities -> quotes ->
//! sentiment -> tags) over one article and returns byte spans, which only the wire encoder
//! turns into code-point offsets.

pub mod entities;
pub mod ner;
pub mod quotes;
pub mod text;
pub mod vader;

use crate::config::NlpConfig;
use std::time::{Duration, Instant};
use text::Span;

/// Time spent in each stage of one [`Pipeline::analyze_timed`] call (or a sum of them).
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    pub language: Duration,
    /// Tokens and sentences.
    pub text: Duration,
    /// Recognition, grouping and salience.
    pub entities: Duration,
    pub quotes: Duration,
    /// Sentence, article and entity scores.
    pub sentiment: Duration,
    pub tags: Duration,
    /// Tokens in title and body.
    pub tokens: usize,
}

impl std::ops::AddAssign for StageTimes {
    fn add_assign(&mut self, o: StageTimes) {
        self.language += o.language;
        self.text += o.text;
        self.entities += o.entities;
        self.quotes += o.quotes;
        self.sentiment += o.sentiment;
        self.tags += o.tags;
        self.tokens += o.tokens;
    }
}

impl StageTimes {
    pub fn total(&self) -> Duration {
        self.language + self.text + self.entities + self.quotes + self.sentiment + self.tags
    }
}

/// Where a span lies: spans index into the field they were found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Title,
    Body,
}

pub use ner::EntityLabel;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub field: Field,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Entity {
    /// The fullest form of the name in the article.
    pub text: String,
    pub label: EntityLabel,
    pub salience: f64,
    pub sentiment: f64,
    pub mentions: Vec<Mention>,
}

pub use quotes::QuoteKind;

#[derive(Debug, Clone)]
pub struct Quote {
    pub field: Field,
    /// The quoted text, quotation marks excluded.
    pub span: Span,
    pub kind: QuoteKind,
    pub speaker: Option<String>,
    /// Index into [`Analysis::entities`].
    pub speaker_entity: Option<usize>,
    pub cue: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentimentLabel {
    Positive,
    Neutral,
    Negative,
}

impl SentimentLabel {
    /// VADER's conventional thresholds.
    pub fn from_score(score: f64) -> SentimentLabel {
        if score >= 0.05 {
            SentimentLabel::Positive
        } else if score <= -0.05 {
            SentimentLabel::Negative
        } else {
            SentimentLabel::Neutral
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SentimentLabel::Positive => "positive",
            SentimentLabel::Neutral => "neutral",
            SentimentLabel::Negative => "negative",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SentenceScore {
    pub field: Field,
    pub span: Span,
    pub score: f64,
}

#[derive(Debug, Clone)]
pub struct DocSentiment {
    pub label: SentimentLabel,
    pub score: f64,
    pub sentences: Vec<SentenceScore>,
}

/// Everything the pipeline found in one article.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub language: String,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
    pub sentiment: DocSentiment,
    pub tags: Vec<String>,
    pub warnings: Vec<String>,
}

impl Analysis {
    /// An analysis with nothing found: what pass-through mode publishes.
    pub fn empty(language: String) -> Analysis {
        Analysis {
            language,
            entities: Vec::new(),
            quotes: Vec::new(),
            sentiment: DocSentiment {
                label: SentimentLabel::Neutral,
                score: 0.0,
                sentences: Vec::new(),
            },
            tags: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read model file {path}: {source}")]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("model file {path} is invalid: {reason}")]
    Invalid {
        path: std::path::PathBuf,
        reason: String,
    },
}

const VADER_LEXICON: &str = include_str!("../../models/vader/vader_lexicon.txt");
const EMOJI_LEXICON: &str = include_str!("../../models/vader/emoji_utf8_lexicon.txt");
/// The entity model, compiled in so that the binary is self-contained; `nlp.models_dir`
/// may point at another `ner.bin`.
const NER_MODEL: &[u8] = include_bytes!("../../models/ner.bin");

/// Languages the entity, quote and sentiment models are built for.
pub const SUPPORTED_LANGUAGES: [&str; 1] = ["en"];

/// The stages, loaded once and shared (by `Arc`) across threads.
pub struct Pipeline {
    config: NlpConfig,
    ner: ner::NerModel,
    quotes: quotes::QuoteFinder,
    vader: vader::Vader,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("config", &self.config)
            .finish()
    }
}

/// One field's text split for the stages: tokens and sentences, byte spans.
struct Doc<'a> {
    text: &'a str,
    tokens: Vec<text::Token>,
    sentences: Vec<text::Sentence>,
}

impl<'a> Doc<'a> {
    fn new(text: &'a str) -> Doc<'a> {
        let tokens = text::tokenize(text);
        let sentences = text::sentences(text, &tokens);
        Doc {
            text,
            tokens,
            sentences,
        }
    }
}

impl Pipeline {
    pub fn load(config: &NlpConfig) -> Result<Pipeline, LoadError> {
        let vader = vader::Vader::from_lexicons(VADER_LEXICON, EMOJI_LEXICON).map_err(|e| {
            LoadError::Invalid {
                path: "models/vader/vader_lexicon.txt".into(),
                reason: e.to_string(),
            }
        })?;
        let ner = match &config.models_dir {
            None => ner::NerModel::from_bytes(NER_MODEL).map_err(|e| LoadError::Invalid {
                path: "models/ner.bin (built in)".into(),
                reason: e.to_string(),
            })?,
            Some(dir) => {
                let path = dir.join("ner.bin");
                let bytes = std::fs::read(&path).map_err(|source| LoadError::Read {
                    path: path.clone(),
                    source,
                })?;
                ner::NerModel::from_bytes(&bytes).map_err(|e| LoadError::Invalid {
                    path,
                    reason: e.to_string(),
                })?
            }
        };
        Ok(Pipeline {
            config: config.clone(),
            ner,
            quotes: quotes::QuoteFinder::new(),
            vader,
        })
    }

    /// The entity recognizer (for benchmarks of that stage alone).
    pub fn ner(&self) -> &ner::NerModel {
        &self.ner
    }

    /// Analyze one article. `language` is the input's own field, which wins when present.
    pub fn analyze(&self, title: &str, body: &str, language: Option<&str>) -> Analysis {
        self.analyze_timed(title, body, language).0
    }

    /// [`Pipeline::analyze`], also returning the time each stage took (for benchmarks).
    pub fn analyze_timed(
        &self,
        title: &str,
        body: &str,
        language: Option<&str>,
    ) -> (Analysis, StageTimes) {
        let mut times = StageTimes::default();
        let mut clock = Instant::now();
        let mut lap = |slot: &mut Duration| {
            let now = Instant::now();
            *slot += now - clock;
            clock = now;
        };
        let language = match language.map(str::trim).filter(|l| !l.is_empty()) {
            Some(l) => l.to_ascii_lowercase(),
            None => {
                detect_language(title, body).unwrap_or_else(|| self.config.default_language.clone())
            }
        };
        let mut analysis = Analysis::empty(language);
        lap(&mut times.language);
        if !SUPPORTED_LANGUAGES.contains(&analysis.language.as_str()) {
            analysis.warnings.push(format!(
                "language `{}` is not supported (supported: {}): entities, quotes and sentiment were not computed",
                analysis.language,
                SUPPORTED_LANGUAGES.join(", ")
            ));
            analysis.tags = tags(&analysis, self.config.max_entity_tags);
            return (analysis, times);
        }
        let title_doc = Doc::new(title);
        let body_doc = Doc::new(body);
        times.tokens = title_doc.tokens.len() + body_doc.tokens.len();
        lap(&mut times.text);
        let mut title_mentions = self
            .ner
            .predict(title, &title_doc.tokens, &title_doc.sentences);
        let mut body_mentions = self
            .ner
            .predict(body, &body_doc.tokens, &body_doc.sentences);
        for (text, mentions) in [(title, &mut title_mentions), (body, &mut body_mentions)] {
            entities::join_institutions(text, mentions);
            entities::label_news_organisations(text, mentions);
        }
        analysis.entities =
            entities::group(title, &title_mentions, body, &body_mentions, lead_end(body));
        lap(&mut times.entities);
        analysis.quotes = self.find_quotes(body, &analysis.entities);
        lap(&mut times.quotes);
        analysis.sentiment = self.sentiment(&title_doc, &body_doc);
        self.entity_sentiment(
            body,
            &body_doc,
            &mut analysis.entities,
            &analysis.quotes,
            &analysis.sentiment.sentences,
        );
        lap(&mut times.sentiment);
        analysis.tags = tags(&analysis, self.config.max_entity_tags);
        lap(&mut times.tags);
        (analysis, times)
    }

    /// Quotations in the body, with speakers resolved against the entities.
    fn find_quotes(&self, body: &str, entities: &[Entity]) -> Vec<Quote> {
        let spans: Vec<Vec<Span>> = entities
            .iter()
            .map(|e| {
                e.mentions
                    .iter()
                    .filter(|m| m.field == Field::Body)
                    .map(|m| m.span)
                    .collect()
            })
            .collect();
        let inputs: Vec<quotes::QuoteEntity> = entities
            .iter()
            .zip(&spans)
            .map(|(e, mentions)| quotes::QuoteEntity {
                name: &e.text,
                label: e.label.as_str(),
                mentions,
            })
            .collect();
        self.quotes
            .find(body, &inputs)
            .into_iter()
            .map(|q| Quote {
                field: Field::Body,
                span: q.span,
                kind: q.kind,
                speaker: q.speaker,
                speaker_entity: q.speaker_entity,
                cue: q.cue,
            })
            .collect()
    }

    /// Each entity's tone, from the writer's sentences that mention it (by name, surname, or
    /// a sentence-initial he/she after it) and from what it is quoted as saying. A quotation
    /// is the speaker's tone, not the writer's opinion of the entities named inside it, so
    /// sentences that hold a quotation count only for the speaker (by the quotation's own
    /// score).
    fn entity_sentiment(
        &self,
        body: &str,
        body_doc: &Doc,
        entities: &mut [Entity],
        quotes: &[Quote],
        sentences: &[SentenceScore],
    ) {
        // Everything below is near-linear: a hostile article with 100,000 names or quotation
        // marks must not turn this stage quadratic.
        let spoken: Vec<Span> = quotes
            .iter()
            .filter(|q| q.kind != QuoteKind::Scare)
            .map(|q| q.span)
            .collect();
        // Quotations do not overlap one another, so their ends rise with their starts.
        let writer_sentence: Vec<bool> = sentences
            .iter()
            .map(|s| {
                if s.field == Field::Title {
                    return true;
                }
                let k = spoken.partition_point(|q| q.end <= s.span.start);
                spoken.get(k).is_none_or(|q| q.start >= s.span.end)
            })
            .collect();
        let sentence_of = |m: &Mention| -> Option<usize> {
            let k =
                sentences.partition_point(|s| (s.field, s.span.start) <= (m.field, m.span.start));
            let s = sentences.get(k.checked_sub(1)?)?;
            (s.field == m.field && m.span.end <= s.span.end).then_some(k - 1)
        };
        let mut sums = vec![(0.0f64, 0usize); entities.len()];
        // The person named last in each sentence (by position), for he/she sentences.
        let mut last_person: Vec<Option<(usize, usize)>> = vec![None; sentences.len()];
        for (i, entity) in entities.iter().enumerate() {
            let mut seen: Vec<usize> = entity.mentions.iter().filter_map(sentence_of).collect();
            if entity.label == EntityLabel::Person {
                for m in entity.mentions.iter().filter(|m| m.field == Field::Body) {
                    if let Some(k) = sentence_of(m) {
                        if last_person[k].is_none_or(|(pos, _)| pos < m.span.start) {
                            last_person[k] = Some((m.span.start, i));
                        }
                    }
                }
            }
            seen.sort_unstable();
            seen.dedup();
            for k in seen {
                if writer_sentence[k] {
                    sums[i].0 += sentences[k].score;
                    sums[i].1 += 1;
                }
            }
        }
        // A body sentence that opens with "He"/"She" and names no person speaks of the person
        // named last before it.
        let title_sentences = sentences.iter().filter(|s| s.field == Field::Title).count();
        let mut previous: Option<usize> = None;
        for (k, s) in sentences.iter().enumerate().skip(title_sentences) {
            if let Some((_, i)) = last_person[k] {
                previous = Some(i);
                continue;
            }
            let first_word = body_doc
                .sentences
                .get(k - title_sentences)
                .and_then(|sentence| body_doc.tokens.get(sentence.tokens.start))
                .map(|t| t.span.slice(body));
            if let (Some("He" | "She"), Some(i), true) = (first_word, previous, writer_sentence[k])
            {
                sums[i].0 += s.score;
                sums[i].1 += 1;
            }
        }
        for q in quotes {
            if let (Some(i), QuoteKind::Full | QuoteKind::Partial) = (q.speaker_entity, q.kind) {
                sums[i].0 += self.vader.polarity_scores(q.span.slice(body)).compound;
                sums[i].1 += 1;
            }
        }
        for (entity, (sum, n)) in entities.iter_mut().zip(sums) {
            entity.sentiment = if n == 0 {
                0.0
            } else {
                (sum / n as f64).clamp(-1.0, 1.0)
            };
        }
    }

    /// Sentence scores are VADER's compound over the pipeline's sentences; the article's is
    /// their aggregate (see [`vader::aggregate`]), with the title as one more sentence.
    fn sentiment(&self, title: &Doc, body: &Doc) -> DocSentiment {
        let mut sentences = Vec::with_capacity(title.sentences.len() + body.sentences.len());
        for (field, doc) in [(Field::Title, title), (Field::Body, body)] {
            for s in &doc.sentences {
                sentences.push(SentenceScore {
                    field,
                    span: s.span,
                    score: self.vader.polarity_scores(s.span.slice(doc.text)).compound,
                });
            }
        }
        let score = vader::aggregate(sentences.iter().map(|s| s.score));
        DocSentiment {
            label: SentimentLabel::from_score(score),
            score,
            sentences,
        }
    }
}

/// The end of the first paragraph (the lead), where salience weighting changes.
fn lead_end(body: &str) -> usize {
    let trimmed = body.trim_start();
    let offset = body.len() - trimmed.len();
    offset + trimmed.find('\n').unwrap_or(trimmed.len())
}

/// Detect the language from the title and the start of the body; `None` when the detector
/// is unsure (short text, tables, headlines), so that the configured default applies.
fn detect_language(title: &str, body: &str) -> Option<String> {
    const SAMPLE: usize = 2000;
    let mut end = body.len().min(SAMPLE);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let mut sample = String::with_capacity(title.len() + end + 1);
    sample.push_str(title);
    sample.push('\n');
    sample.push_str(&body[..end]);
    // Tables, results and headlines are mostly names and numbers: the detector guesses
    // wildly on them (a football table reads as Spanish). Prose in any language has mostly
    // lower-case words, so only prose is trusted.
    let (mut words, mut lower) = (0usize, 0usize);
    for w in sample.split_whitespace() {
        if let Some(c) = w.chars().next().filter(|c| c.is_alphabetic()) {
            words += 1;
            lower += usize::from(c.is_lowercase() || !c.is_uppercase() && !c.is_lowercase());
        }
    }
    if words < 8 || lower * 2 < words {
        return None;
    }
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    Some(iso639_1(info.lang()).to_owned())
}

/// whatlang names languages by ISO 639-3; the contract uses ISO 639-1 where one exists.
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Ces => "cs",
        Slk => "sk",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Hun => "hu",
        Ron => "ro",
        Bul => "bg",
        Hrv => "hr",
        Srp => "sr",
        Slv => "sl",
        Ell => "el",
        Tur => "tr",
        Ara => "ar",
        Heb => "he",
        Pes => "fa",
        Hin => "hi",
        Ben => "bn",
        Urd => "ur",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Vie => "vi",
        Tha => "th",
        Ind => "id",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Cat => "ca",
        Epo => "eo",
        other => other.code(),
    }
}

/// `sentiment:<label>` then `<label>:<slug>` for the most salient entities.
fn tags(analysis: &Analysis, max_entity_tags: usize) -> Vec<String> {
    let mut tags = vec![format!("sentiment:{}", analysis.sentiment.label.as_str())];
    tags.extend(analysis.entities.iter().take(max_entity_tags).map(|e| {
        format!(
            "{}:{}",
            e.label.as_str().to_ascii_lowercase(),
            slug(&e.text)
        )
    }));
    tags
}

/// Lower-case ASCII letters and digits joined by single hyphens; other letters kept lower-cased.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') && c != '’' && c != '\'' {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slug("Donald Trump"), "donald-trump");
        assert_eq!(slug("Gideon Sa’ar"), "gideon-saar");
        assert_eq!(slug("U.S."), "u-s");
        assert_eq!(slug("  Iran  "), "iran");
    }
}
