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
    pub json: Vec<u8>,
    pub took_us: u64,
}

#[derive(Debug, Clone)]
pub struct Enricher {
    pipeline: Arc<Pipeline>,
    max_message_bytes: usize,
    /// false: pass-through, the pipeline is skipped (transport benchmarks).
    enrich: bool,
    default_language: String,
}

impl Enricher {
    pub fn new(
        pipeline: Arc<Pipeline>,
        max_message_bytes: usize,
        enrich: bool,
        default_language: String,
    ) -> Enricher {
        Enricher {
            pipeline,
            max_message_bytes,
            enrich,
            default_language,
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
        let analysis = if self.enrich {
            self.pipeline
                .analyze(article.title(), article.body(), article.language())
        } else {
            let language = article.language().unwrap_or(&self.default_language);
            Analysis::empty(language.to_ascii_lowercase())
        };
        let took_us = started.elapsed().as_micros() as u64;
        let id = article.id().to_owned();
        let source = article.source().map(str::to_owned);
        let sentiment = analysis.sentiment.label.as_str();
        let language = analysis.language.clone();
        let json = article.encode(&analysis, &EnricherInfo::now(took_us));
        Enriched {
            id,
            language,
            sentiment,
            source,
            json,
            took_us,
        }
    }
}

/// Fill a routing-key template (`{language}`, `{sentiment}`, `{source}`). Values are reduced
/// to characters safe inside one routing-key word, so a source like `nytimes.com` cannot add
/// words a binding would then miss.
pub fn routing_key(template: &str, e: &Enriched) -> String {
    let word = |s: &str| -> String {
        let w: String = s
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        if w.is_empty() {
            "unknown".to_owned()
        } else {
            w
        }
    };
    template
        .replace("{language}", &word(&e.language))
        .replace("{sentiment}", e.sentiment)
        .replace("{source}", &word(e.source.as_deref().unwrap_or("")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_keys_stay_one_word_per_placeholder() {
        let e = Enriched {
            id: "1".into(),
            language: "en".into(),
            sentiment: "negative",
            source: Some("nytimes.com".into()),
            json: Vec::new(),
            took_us: 0,
        };
        assert_eq!(
            routing_key("article.enriched.{language}.{sentiment}", &e),
            "article.enriched.en.negative"
        );
        assert_eq!(routing_key("{source}.{language}", &e), "nytimes_com.en");
    }
}
