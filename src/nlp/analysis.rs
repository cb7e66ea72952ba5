//! The output types every stage shares: what the pipeline found in one article. Spans are
//! byte ranges into the field they were found in; only the wire encoder turns them into
//! code-point offsets.

use crate::nlp::text::Span;

/// Where a span lies: spans index into the field they were found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Title,
    Body,
}

/// The four CoNLL-2003 entity classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityLabel {
    Person = 0,
    Org = 1,
    Loc = 2,
    Misc = 3,
}

impl EntityLabel {
    pub const ALL: [EntityLabel; 4] = [
        EntityLabel::Person,
        EntityLabel::Org,
        EntityLabel::Loc,
        EntityLabel::Misc,
    ];

    /// The label as the enrichment contract spells it.
    pub fn as_str(&self) -> &'static str {
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

/// How a quotation relates to the sentence around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuoteKind {
    /// A whole statement attributed to someone: `“…,” X said`, `X said: “…”`.
    Full,
    /// A quoted fragment inside the writer's own sentence: `X warned that a “military option” …`.
    Partial,
    /// Quotation marks around a phrase nobody is reported as saying: `his “maximum pressure” campaign`.
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

#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub field: Field,
    /// The quoted text, quotation marks excluded.
    pub span: Span,
    pub kind: QuoteKind,
    /// The speaker's fullest name, or the phrase the article uses ("officials").
    pub speaker: Option<String>,
    /// Index into [`Analysis::entities`].
    pub speaker_entity: Option<usize>,
    /// The reporting verb or phrase ("said", "according to", ":").
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_spell_the_contract() {
        let s: Vec<_> = EntityLabel::ALL.iter().map(|l| l.as_str()).collect();
        assert_eq!(s, ["PERSON", "ORG", "LOC", "MISC"]);
    }
}
