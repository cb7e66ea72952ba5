//! Sentiment: a score in [-1, 1] for each sentence, the article (their aggregate) and each
//! entity (the sentences about it and what it is quoted as saying).
//!
//! - [`vader`]: the exact port of VADER 3.3.2, which scores one text;
//! - [`aggregate`](aggregate()): sentence scores to the article's score;
//! - [`entity`]: each entity's tone.

mod aggregate;
pub mod entity;
pub mod vader;

pub use aggregate::{aggregate, ACCUMULATION_CAP, POLAR_THRESHOLD};

use crate::nlp::analysis::{DocSentiment, Entity, Field, Quote, SentenceScore, SentimentLabel};
use crate::nlp::text::Doc;

/// The sentiment stage: built once, shared.
pub struct Sentiment {
    vader: vader::Vader,
}

impl Sentiment {
    pub fn new(vader: vader::Vader) -> Sentiment {
        Sentiment { vader }
    }

    /// The score of one piece of text (a sentence, a quotation).
    pub fn score(&self, text: &str) -> f64 {
        self.vader.polarity_scores(text).compound
    }

    /// Sentence scores over the pipeline's sentences; the article's is their aggregate (see
    /// [`aggregate()`]), with the title as one more sentence.
    pub fn document(&self, title: &Doc, body: &Doc) -> DocSentiment {
        let mut sentences = Vec::with_capacity(title.sentences.len() + body.sentences.len());
        for (field, doc) in [(Field::Title, title), (Field::Body, body)] {
            for s in &doc.sentences {
                sentences.push(SentenceScore {
                    field,
                    span: s.span,
                    score: self.score(s.span.slice(doc.text)),
                });
            }
        }
        let score = aggregate(sentences.iter().map(|s| s.score));
        DocSentiment {
            label: SentimentLabel::from_score(score),
            score,
            sentences,
        }
    }

    /// Sets each entity's `sentiment` (see [`entity::entity_sentiment`]).
    pub fn entities(
        &self,
        body: &Doc,
        entities: &mut [Entity],
        quotes: &[Quote],
        sentences: &[SentenceScore],
    ) {
        entity::entity_sentiment(body, entities, quotes, sentences, |t| self.score(t));
    }
}
