//! Salience: how much an entity matters to the story, from where and how often it is named.
//! A distribution over the article's entities (they sum to 1).

use crate::nlp::analysis::{Entity, Field};
use crate::nlp::text::Span;

/// Weight of a mention in the headline: a name there is what the story is about.
const TITLE_WEIGHT: f64 = 3.0;
/// Weight of a mention in the lead (the first paragraph), where news puts what matters.
const LEAD_WEIGHT: f64 = 2.0;
/// Weight of a body mention at the start of the body; it falls linearly to half of that at the
/// end, since later mentions count less.
const BODY_WEIGHT: f64 = 1.5;

/// The weight of one mention, given the body's length and where its lead ends.
pub struct Weights {
    body_len: f64,
    lead_end: usize,
}

impl Weights {
    pub fn new(body_len: usize, lead_end: usize) -> Weights {
        Weights {
            body_len: body_len.max(1) as f64,
            lead_end: lead_end.max(1),
        }
    }

    pub fn of(&self, field: Field, span: Span) -> f64 {
        match field {
            Field::Title => TITLE_WEIGHT,
            Field::Body if span.start < self.lead_end => LEAD_WEIGHT,
            Field::Body => BODY_WEIGHT - span.start as f64 / self.body_len,
        }
    }
}

/// The end of the first paragraph (the lead) of `body`.
pub fn lead_end(body: &str) -> usize {
    let trimmed = body.trim_start();
    let offset = body.len() - trimmed.len();
    offset + trimmed.find('\n').unwrap_or(trimmed.len())
}

/// Normalise the entities' summed mention weights into their salience and order them, most
/// salient first; ties keep the order of appearance, so the output is deterministic.
pub fn rank(scored: Vec<(f64, Entity)>) -> Vec<Entity> {
    let total: f64 = scored.iter().map(|e| e.0).sum();
    let mut scored: Vec<(f64, usize, Entity)> = scored
        .into_iter()
        .enumerate()
        .map(|(order, (score, mut entity))| {
            entity.salience = if total > 0.0 { score / total } else { 0.0 };
            (score, order, entity)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, e)| e).collect()
}
