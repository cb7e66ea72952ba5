//! The enrichment pipeline: pure, synchronous, no I/O. [`Pipeline::load`] builds every stage
//! once; [`Pipeline::analyze`] runs them in a fixed order over one article and returns byte
//! spans in the normalised fields, which only the wire encoder maps back to the original
//! fields and turns into code-point offsets:
//!
//! [`text`] (normalisation) -> language -> [`text`] (tokens, sentences, paragraphs) ->
//! [`ner`] (recognition) ->
//! [`entities`] (fix-ups, grouping, salience) -> [`coref`] (pronouns, descriptions; salience
//! counts them) -> [`quotes`] -> [`places`] (geocoding, the
//! main place) -> [`sentiment`] -> [`tags`].
//!
//! Data flows down: a stage reads what earlier stages produced and never reaches back up. The
//! types they share are in [`analysis`].

pub mod analysis;
pub mod coref;
pub mod entities;
pub mod language;
pub mod ner;
pub mod places;
pub mod quotes;
pub mod sentiment;
pub mod tags;
pub mod text;

pub use analysis::{
    Analysis, ArticlePlaces, CountryShare, DocSentiment, Entity, EntityLabel, Field, Focus, Geo,
    Mention, PlaceFeature, PlaceReference, Quote, QuoteKind, SentenceScore, SentimentLabel,
};

use crate::config::NlpConfig;
use std::time::{Duration, Instant};
use text::Doc;

/// Time spent in each stage of one [`Pipeline::analyze_timed`] call (or a sum of them).
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    pub language: Duration,
    /// Normalisation, tokens and sentences.
    pub text: Duration,
    /// Recognition, grouping and salience.
    pub entities: Duration,
    /// Pronouns and descriptions (and the pairing of quotation marks).
    pub coref: Duration,
    pub quotes: Duration,
    /// Geocoding and the main place.
    pub places: Duration,
    /// Sentence, article and entity scores.
    pub sentiment: Duration,
    pub tags: Duration,
    /// Tokens in title and body.
    pub tokens: usize,
}

impl std::ops::AddAssign for StageTimes {
    fn add_assign(&mut self, o: StageTimes) {
        self.language += o.language;
        self.text += o.text;
        self.entities += o.entities;
        self.coref += o.coref;
        self.quotes += o.quotes;
        self.places += o.places;
        self.sentiment += o.sentiment;
        self.tags += o.tags;
        self.tokens += o.tokens;
    }
}

impl StageTimes {
    pub fn total(&self) -> Duration {
        self.language
            + self.text
            + self.entities
            + self.coref
            + self.quotes
            + self.places
            + self.sentiment
            + self.tags
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
    #[error("the compiled-in place index (models/places.bin) is invalid: {0}")]
    Places(#[from] places::index::IndexError),
}

/// The entity model, compiled in so that the binary is self-contained; `nlp.models_dir`
/// may point at another `ner.bin`.
const NER_MODEL: &[u8] = include_bytes!("../../models/ner.bin");
/// The news sentiment models (see models/README.md), compiled in likewise; `nlp.models_dir`
/// may point at another `sentiment.bin`.
const SENTIMENT_MODEL: &[u8] = include_bytes!("../../models/sentiment.bin");

/// Languages the entity, quote and sentiment models are built for.
pub const SUPPORTED_LANGUAGES: [&str; 1] = ["en"];

/// The stages, loaded once and shared (by `Arc`) across threads.
pub struct Pipeline {
    config: NlpConfig,
    ner: ner::NerModel,
    quotes: quotes::QuoteFinder,
    places: places::Places,
    sentiment: sentiment::Sentiment,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("config", &self.config)
            .finish()
    }
}

/// A model file from `nlp.models_dir` when set, else the compiled-in bytes.
fn load_model<T>(
    config: &NlpConfig,
    name: &str,
    builtin: &[u8],
    parse: impl Fn(&[u8]) -> Result<T, String>,
) -> Result<T, LoadError> {
    match &config.models_dir {
        None => parse(builtin).map_err(|reason| LoadError::Invalid {
            path: format!("models/{name} (built in)").into(),
            reason,
        }),
        Some(dir) => {
            let path = dir.join(name);
            let bytes = std::fs::read(&path).map_err(|source| LoadError::Read {
                path: path.clone(),
                source,
            })?;
            parse(&bytes).map_err(|reason| LoadError::Invalid { path, reason })
        }
    }
}

impl Pipeline {
    pub fn load(config: &NlpConfig) -> Result<Pipeline, LoadError> {
        let vader = sentiment::vader::Vader::builtin().map_err(|e| LoadError::Invalid {
            path: "models/vader/vader_lexicon.txt".into(),
            reason: e.to_string(),
        })?;
        let ner = load_model(config, "ner.bin", NER_MODEL, |b| {
            ner::NerModel::from_bytes(b).map_err(|e| e.to_string())
        })?;
        let news = load_model(config, "sentiment.bin", SENTIMENT_MODEL, |b| {
            sentiment::news::NewsModel::from_bytes(b).map_err(|e| e.to_string())
        })?;
        Ok(Pipeline {
            config: config.clone(),
            ner,
            quotes: quotes::QuoteFinder::new(),
            places: places::Places::load()?,
            sentiment: sentiment::Sentiment::new(vader, news, config.sentiment_model),
        })
    }

    /// The entity recognizer (for benchmarks of that stage alone).
    pub fn ner(&self) -> &ner::NerModel {
        &self.ner
    }

    /// Analyze one article. `language` is the input's own field, which wins when present.
    pub fn analyze(&self, title: &str, body: &str, language: Option<&str>) -> Analysis {
        self.analyze_timed(title, body, language).0
    }

    /// [`Pipeline::analyze`], also returning the time each stage took (for benchmarks).
    pub fn analyze_timed(
        &self,
        title: &str,
        body: &str,
        language: Option<&str>,
    ) -> (Analysis, StageTimes) {
        let mut times = StageTimes::default();
        let mut clock = Instant::now();
        let mut lap = |slot: &mut Duration| {
            let now = Instant::now();
            *slot += now - clock;
            clock = now;
        };
        // Every stage reads the normalised fields; their spans map back to the originals
        // only at output (`Analysis::original_span`).
        let title_norm = text::normalize(title);
        let body_norm = text::normalize(body);
        let (title, body) = (&*title_norm.text, &*body_norm.text);
        let text_warnings = text::normalize::warnings(&title_norm.found, &body_norm.found);
        lap(&mut times.text);
        let language = match language.map(str::trim).filter(|l| !l.is_empty()) {
            Some(l) => l.to_ascii_lowercase(),
            None => language::detect_language(title, body)
                .unwrap_or_else(|| self.config.default_language.clone()),
        };
        let mut analysis = Analysis::empty(language);
        analysis.title_map = title_norm.map;
        analysis.body_map = body_norm.map;
        analysis.warnings = text_warnings;
        lap(&mut times.language);
        if !SUPPORTED_LANGUAGES.contains(&analysis.language.as_str()) {
            analysis.warnings.push(format!(
                "language `{}` is not supported (supported: {}): entities, quotes and sentiment were not computed",
                analysis.language,
                SUPPORTED_LANGUAGES.join(", ")
            ));
            analysis.tags = tags::tags(&analysis, self.config.max_entity_tags);
            return (analysis, times);
        }
        let title_doc = Doc::new(title);
        let body_doc = Doc::new(body);
        times.tokens = title_doc.tokens.len() + body_doc.tokens.len();
        lap(&mut times.text);
        let mut title_mentions = self
            .ner
            .predict(title, &title_doc.tokens, &title_doc.sentences);
        let mut body_mentions = self
            .ner
            .predict(body, &body_doc.tokens, &body_doc.sentences);
        entities::fix_mentions(
            &self.ner,
            (&title_doc, &mut title_mentions),
            (&body_doc, &mut body_mentions),
        );
        analysis.entities = entities::group(
            title,
            &title_mentions,
            body,
            &body_mentions,
            entities::salience::lead_end(body),
        );
        lap(&mut times.entities);
        let mut chains = coref::resolve(&body_doc, &analysis.entities);
        analysis.entities = entities::salience::count_references(
            std::mem::take(&mut analysis.entities),
            &mut chains.references,
            body.len(),
            entities::salience::lead_end(body),
        );
        lap(&mut times.coref);
        analysis.quotes = self
            .quotes
            .find_with(&body_doc, &analysis.entities, &chains);
        analysis.references = chains.references;
        // Headline quotations take their speaker from the body; they join the list after
        // sentiment, which reads body quotations only.
        let title_quotes = quotes::headline::find(&title_doc, body, &analysis.quotes);
        lap(&mut times.quotes);
        analysis.places = self.places.resolve(title, body, &analysis.entities);
        places::place_labels(
            self.places.index(),
            title,
            body,
            &mut analysis.entities,
            &analysis.places,
        );
        lap(&mut times.places);
        analysis.sentiment = self.sentiment.analyze(
            &title_doc,
            &body_doc,
            &mut analysis.entities,
            &analysis.references,
            &analysis.quotes,
        );
        lap(&mut times.sentiment);
        if !title_quotes.is_empty() {
            analysis.quotes.splice(0..0, title_quotes);
        }
        analysis.tags = tags::tags(&analysis, self.config.max_entity_tags);
        lap(&mut times.tags);
        (analysis, times)
    }
}
