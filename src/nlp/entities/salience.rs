//! Salience: how much an entity matters to the story, from where and how often it is named.
//! A distribution over the article's entities (they sum to 1).

use crate::nlp::analysis::{Entity, Field, Reference};
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

/// A pronoun or description counts this share of a name at the same place: it says the
/// entity is still the topic, but a name is what a reader notices.
pub const REFERENCE_SHARE: f64 = 0.5;

/// Salience again, now counting the coreference stage's `references` (each at
/// [`REFERENCE_SHARE`] of a name's weight), and the entities ranked again; the references'
/// entity indices follow the new order.
pub fn count_references(
    entities: Vec<Entity>,
    references: &mut [Reference],
    body_len: usize,
    lead_end: usize,
) -> Vec<Entity> {
    if references.is_empty() {
        return entities;
    }
    let weights = Weights::new(body_len, lead_end);
    let mut scores: Vec<f64> = entities
        .iter()
        .map(|e| e.mentions.iter().map(|m| weights.of(m.field, m.span)).sum())
        .collect();
    for r in references.iter() {
        scores[r.entity] += REFERENCE_SHARE * weights.of(r.field, r.span);
    }
    let (ranked, order) = rank_order(scores.into_iter().zip(entities).collect());
    let mut new_index = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    for r in references.iter_mut() {
        r.entity = new_index[r.entity];
    }
    ranked
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
    rank_order(scored).0
}

/// [`rank`], also returning the input index of each ranked entity.
fn rank_order(scored: Vec<(f64, Entity)>) -> (Vec<Entity>, Vec<usize>) {
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
    scored.into_iter().map(|(_, order, e)| (e, order)).unzip()
}
