//! Offline training: corpus readers and the trainers of the models the pipeline loads. Reads
//! files and logs progress, so it lives outside the pure pipeline (`crate::nlp`), which only
//! loads the models these write.
//!
//! - [`conll`]: CoNLL-2003-format files into article bodies with gold entity spans;
//! - [`ner`]: the entity recognizer's trainer and its evaluation;
//! - [`sentiment`]: the news sentiment models' trainer and their development figures.

pub mod conll;
pub mod ner;
pub mod sentiment;

pub use conll::{read_conll, GoldDoc};

/// Why training could not run.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("{0}")]
    Io(String),
    #[error("bad training data: {0}")]
    Format(String),
    #[error(transparent)]
    Model(#[from] crate::nlp::ner::NerError),
}
