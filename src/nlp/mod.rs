//! The enrichment pipeline: pure, synchronous, no I/O. [`Pipeline::load`] builds every stage
//! once; [`Pipeline::analyze`] runs them in a fixed order (text -> entities -> quotes ->
//! sentiment -> tags) over one article and returns byte spans, which only the wire encoder
//! turns into code-point offsets.

pub mod text;
pub mod vader;

use crate::config::NlpConfig;
use text::Span;

/// Where a span lies: spans index into the field they were found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Title,
    Body,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityLabel {
    Person,
    Org,
    Loc,
    Misc,
}

impl EntityLabel {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityLabel::Person => "PERSON",
            EntityLabel::Org => "ORG",
            EntityLabel::Loc => "LOC",
            EntityLabel::Misc => "MISC",
        }
    }
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteKind {
    Full,
    Partial,
    Scare,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Full => "full",
            QuoteKind::Partial => "partial",
            QuoteKind::Scare => "scare",
        }
    }
}

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

/// The stages, loaded once and shared (by `Arc`) across threads.
pub struct Pipeline {
    config: NlpConfig,
    vader: vader::Vader,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("config", &self.config)
            .finish()
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
        Ok(Pipeline {
            config: config.clone(),
            vader,
        })
    }

    /// Analyze one article. `language` is the input's own field, which wins when present.
    pub fn analyze(&self, title: &str, body: &str, language: Option<&str>) -> Analysis {
        let language = language
            .filter(|l| !l.is_empty())
            .unwrap_or(&self.config.default_language)
            .to_ascii_lowercase();
        let mut analysis = Analysis::empty(language);
        analysis.sentiment = self.sentiment(title, body);
        analysis.tags = tags(&analysis, self.config.max_entity_tags);
        analysis
    }

    /// Sentence scores are VADER's compound; the article's is their aggregate (see
    /// [`vader::aggregate`]), with the title as one more sentence.
    fn sentiment(&self, title: &str, body: &str) -> DocSentiment {
        let mut sentences = Vec::new();
        for (field, text) in [(Field::Title, title), (Field::Body, body)] {
            for s in vader::split_sentences(text) {
                // Sentences borrow from `text`, so their offset is the pointer difference.
                let start = s.as_ptr() as usize - text.as_ptr() as usize;
                sentences.push(SentenceScore {
                    field,
                    span: Span::new(start, start + s.len()),
                    score: self.vader.polarity_scores(s).compound,
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
