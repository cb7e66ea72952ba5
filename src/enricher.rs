//! One message in, one enriched message out: decode, analyze, encode. Shared by the worker
//! and batch mode, so both produce byte-identical output (apart from `enricher`).

use crate::message::{Article, DecodeError, EnricherInfo};
use crate::nlp::{Analysis, Pipeline};
use std::sync::Arc;
use std::time::Instant;

/// An enriched article, ready to publish.
#[derive(Debug, Clone)]
pub struct Enriched {
    pub id: String,
    pub language: String,
    pub sentiment: &'static str,
    pub source: Option<String>,
    /// The main place's country (ISO 3166-1 alpha-2, lower-case), for routing keys.
    pub country: Option<String>,
    pub json: Vec<u8>,
    pub took_us: u64,
}

/// Whether the pipeline runs (`worker.enrich`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Decode, analyze, encode.
    Enrich,
    /// Decode and encode with an empty enrichment: measures the transport alone.
    PassThrough,
}

#[derive(Debug, Clone)]
pub struct Enricher {
    pipeline: Arc<Pipeline>,
    max_message_bytes: usize,
    mode: Mode,
    default_language: String,
}

impl Enricher {
    pub fn new(
        pipeline: Arc<Pipeline>,
        max_message_bytes: usize,
        mode: Mode,
        default_language: &str,
    ) -> Enricher {
        Enricher {
            pipeline,
            max_message_bytes,
            mode,
            default_language: default_language.to_owned(),
        }
    }

    pub fn process(&self, bytes: &[u8]) -> Result<Enriched, DecodeError> {
        let article = Article::decode(bytes, self.max_message_bytes)?;
        Ok(self.enrich_article(article))
    }

    /// Batch mode has already checked UTF-8 (it reads text lines).
    pub fn process_str(&self, text: &str) -> Result<Enriched, DecodeError> {
        if text.len() > self.max_message_bytes {
            return Err(DecodeError::TooLarge {
                size: text.len(),
                limit: self.max_message_bytes,
            });
        }
        Ok(self.enrich_article(Article::from_json(text)?))
    }

    fn enrich_article(&self, article: Article) -> Enriched {
        let started = Instant::now();
        let analysis = match self.mode {
            Mode::Enrich => {
                self.pipeline
                    .analyze(article.title(), article.body(), article.language())
            }
            Mode::PassThrough => {
                let language = article.language().unwrap_or(&self.default_language);
                Analysis::empty(language.to_ascii_lowercase())
            }
        };
        let took_us = started.elapsed().as_micros() as u64;
        let id = article.id().to_owned();
        let source = article.source().map(str::to_owned);
        let country = analysis.places.focus_country();
        let sentiment = analysis.sentiment.label.as_str();
        let language = analysis.language.clone();
        let json = article.encode(&analysis, &EnricherInfo::now(took_us));
        Enriched {
            id,
            language,
            sentiment,
            source,
            country,
            json,
            took_us,
        }
    }
}
