//! Sentiment: a score in [-1, 1] for each sentence, the article (their aggregate) and each
//! entity (the sentences about it and what it is quoted as saying).
//!
//! - [`news`]: the trained news models (sentence and target), the default;
//! - [`vader`]: the exact port of VADER 3.3.2, which scores one text (`nlp.sentiment_model =
//!   "vader"`, and a feature of the news models);
//! - [`aggregate`](aggregate()): sentence scores to the article's score;
//! - [`entity`]: each entity's tone.

mod aggregate;
pub mod entity;
pub mod news;
pub mod vader;

pub use aggregate::{aggregate, ACCUMULATION_CAP, POLAR_THRESHOLD};

use crate::config::SentimentModel;
use crate::nlp::analysis::{
    DocSentiment, Entity, Field, Quote, Reference, SentenceScore, SentimentLabel,
};
use crate::nlp::text::Doc;

/// In `news` mode an entity's score is this much the article's and the rest its mentions':
/// the writer's tone towards an article's subjects follows the article's tone. Chosen on
/// PerSenT dev and NewsMTSC dev among 0, 0.25, 0.3 and 0.5 (entity rho 0.374 / 0.523 at 0,
/// 0.386 / 0.533 at 0.3, FinEntity dev 0.466 -> 0.465). Checked again with the retrained model
/// (stem features): 0.2 / 0.3 / 0.4 / 0.5 give PerSenT 0.381 / 0.382 / 0.382 / 0.380, NewsMTSC
/// 0.535 / 0.539 / 0.541 / 0.543, FinEntity 0.476 / 0.478 / 0.474 / 0.470; kept at 0.3.
pub const ENTITY_ARTICLE_BLEND: f64 = 0.3;

/// The sentiment stage: built once, shared.
pub struct Sentiment {
    vader: vader::Vader,
    lexicon: news::Lexicon,
    news: news::NewsModel,
    model: SentimentModel,
}

impl Sentiment {
    pub fn new(vader: vader::Vader, news: news::NewsModel, model: SentimentModel) -> Sentiment {
        let lexicon = news::Lexicon::new(&vader);
        Sentiment {
            vader,
            lexicon,
            news,
            model,
        }
    }

    /// The score of one piece of text taken as one sentence (a sentence, a quotation).
    pub fn score(&self, text: &str) -> f64 {
        let scores = self.vader.polarity_scores(text);
        match self.model {
            SentimentModel::Vader => scores.compound,
            SentimentModel::News => self
                .news
                .sentence_score(&news::Words::new(text, &self.lexicon), &scores),
        }
    }

    /// Sentence, article and entity sentiment of one article (sets each entity's
    /// `sentiment`). The article's score is the aggregate of its sentences' (see
    /// [`aggregate()`]), with the title's sentences counted as more sentences. With no sentence
    /// at all (empty text) the label is `not_computed`.
    pub fn analyze(
        &self,
        title: &Doc,
        body: &Doc,
        entities: &mut [Entity],
        references: &[Reference],
        quotes: &[Quote],
    ) -> DocSentiment {
        let n = title.sentences.len() + body.sentences.len();
        let mut sentences = Vec::with_capacity(n);
        let mut words = Vec::with_capacity(if self.model == SentimentModel::News {
            n
        } else {
            0
        });
        for (field, doc) in [(Field::Title, title), (Field::Body, body)] {
            for s in &doc.sentences {
                let text = s.span.slice(doc.text);
                let scores = self.vader.polarity_scores(text);
                let score = match self.model {
                    SentimentModel::Vader => scores.compound,
                    SentimentModel::News => {
                        let w = news::Words::new(text, &self.lexicon);
                        let score = self.news.sentence_score(&w, &scores);
                        words.push(w);
                        score
                    }
                };
                sentences.push(SentenceScore {
                    field,
                    span: s.span,
                    score,
                });
            }
        }
        match self.model {
            SentimentModel::Vader => {
                entity::entity_sentiment(body, entities, references, quotes, &sentences, |t| {
                    self.score(t)
                })
            }
            SentimentModel::News => entity::entity_sentiment_news(
                body,
                entities,
                references,
                quotes,
                &sentences,
                &words,
                &self.news,
                |t| self.score(t),
            ),
        }
        if sentences.is_empty() {
            return DocSentiment {
                label: SentimentLabel::NotComputed,
                score: 0.0,
                sentences,
            };
        }
        let score = aggregate(sentences.iter().map(|s| s.score));
        if self.model == SentimentModel::News {
            for e in entities.iter_mut() {
                e.sentiment =
                    (1.0 - ENTITY_ARTICLE_BLEND) * e.sentiment + ENTITY_ARTICLE_BLEND * score;
            }
        }
        DocSentiment {
            label: SentimentLabel::from_score(score),
            score,
            sentences,
        }
    }
}
