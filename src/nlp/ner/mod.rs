//! Named-entity recognition: finds PERSON, ORG, LOC and MISC mentions in a document.
//!
//! A two-stage averaged-perceptron sequence labeller over our own tokens (BILOU tags,
//! Viterbi decoding). Stage 1 uses word, shape, affix, window, gazetteer and
//! word-cluster features; stage 2 adds stage 1's predictions elsewhere in the same
//! document so that repeated names get consistent labels. All resources (gazetteer,
//! clusters, weights) live in one model file; inference is pure and allocation-light.

mod bytes;
pub mod clusters;
pub mod features;
pub mod gazetteer;
pub mod hash;
pub mod model;
pub mod tags;

use thiserror::Error;

use crate::nlp::analysis::EntityLabel;
use crate::nlp::text::Span;

pub use model::NerModel;

/// One entity mention: a byte span on token boundaries and its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityMention {
    pub span: Span,
    pub label: EntityLabel,
}

#[derive(Debug, Error)]
pub enum NerError {
    #[error("model file is truncated")]
    Truncated,
    #[error("bad format: {0}")]
    Format(String),
}
