//! Wire types: decoding an input message into an [`Article`] (unknown fields kept, in order)
//! and encoding the enriched article. Spans in the normalised fields map back to the original
//! fields, and byte spans become Unicode code-point offsets, here and only here.

use crate::nlp::{Analysis, Field, Geo};
use serde::Serialize;
use serde_json::{Map, Value};

/// Output schema version; bumped on any incompatible change of `enrichment`.
pub const SCHEMA_VERSION: u32 = 3;

/// Why an input message cannot be enriched. Each kind is a dead-letter reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("message body is {size} bytes, over the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("message body is not valid UTF-8: {0}")]
    InvalidUtf8(String),
    #[error("message body is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("message is JSON but not an object")]
    NotAnObject,
    #[error("required field `{0}` is missing")]
    MissingField(&'static str),
    #[error("field `{0}` must be a non-empty string")]
    EmptyField(&'static str),
    #[error("field `{field}` must be {expected}")]
    WrongType {
        field: &'static str,
        expected: &'static str,
    },
}

impl DecodeError {
    /// Stable machine-readable reason, used in dead-letter headers and metric labels.
    pub fn kind(&self) -> &'static str {
        match self {
            DecodeError::TooLarge { .. } => "body_too_large",
            DecodeError::InvalidUtf8(_) => "invalid_utf8",
            DecodeError::InvalidJson(_) => "invalid_json",
            DecodeError::NotAnObject => "not_an_object",
            DecodeError::MissingField(_) => "missing_field",
            DecodeError::EmptyField(_) => "empty_field",
            DecodeError::WrongType { .. } => "wrong_type",
        }
    }
}

/// A decoded input article. `fields` is the whole input object, kept for pass-through.
#[derive(Debug, Clone)]
pub struct Article {
    fields: Map<String, Value>,
}

const OPTIONAL_STRINGS: [&str; 5] = ["title", "language", "url", "source", "published_at"];

impl Article {
    /// Decode and validate one message body.
    pub fn decode(bytes: &[u8], max_bytes: usize) -> Result<Article, DecodeError> {
        if bytes.len() > max_bytes {
            return Err(DecodeError::TooLarge {
                size: bytes.len(),
                limit: max_bytes,
            });
        }
        let text =
            std::str::from_utf8(bytes).map_err(|e| DecodeError::InvalidUtf8(e.to_string()))?;
        Article::from_json(text)
    }

    /// Decode from text already known to be UTF-8 (batch mode reads lines).
    pub fn from_json(text: &str) -> Result<Article, DecodeError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| DecodeError::InvalidJson(e.to_string()))?;
        Article::from_value(value)
    }

    pub fn from_value(value: Value) -> Result<Article, DecodeError> {
        let Value::Object(fields) = value else {
            return Err(DecodeError::NotAnObject);
        };
        for field in ["id", "body"] {
            match fields.get(field) {
                None | Some(Value::Null) => return Err(DecodeError::MissingField(field)),
                Some(Value::String(s)) if s.trim().is_empty() => {
                    return Err(DecodeError::EmptyField(field))
                }
                Some(Value::String(_)) => {}
                Some(_) => {
                    return Err(DecodeError::WrongType {
                        field,
                        expected: "a string",
                    })
                }
            }
        }
        for field in OPTIONAL_STRINGS {
            match fields.get(field) {
                None | Some(Value::Null) | Some(Value::String(_)) => {}
                Some(_) => {
                    return Err(DecodeError::WrongType {
                        field,
                        expected: "a string or null",
                    })
                }
            }
        }
        Ok(Article { fields })
    }

    fn str_field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }

    pub fn id(&self) -> &str {
        self.str_field("id").expect("validated")
    }

    pub fn body(&self) -> &str {
        self.str_field("body").expect("validated")
    }

    pub fn title(&self) -> &str {
        self.str_field("title").unwrap_or("")
    }

    pub fn language(&self) -> Option<&str> {
        self.str_field("language").filter(|l| !l.trim().is_empty())
    }

    pub fn source(&self) -> Option<&str> {
        self.str_field("source")
    }

    /// The enriched message: the input's fields unchanged (an input `enrichment` or `enricher`
    /// is replaced), then `enrichment` and `enricher`.
    pub fn encode(mut self, analysis: &Analysis, enricher: &EnricherInfo) -> Vec<u8> {
        let enrichment = Enrichment::new(analysis, self.title(), self.body());
        let enrichment = serde_json::to_value(&enrichment).expect("enrichment serializes");
        self.fields.insert("enrichment".into(), enrichment);
        self.fields.insert(
            "enricher".into(),
            serde_json::to_value(enricher).expect("enricher serializes"),
        );
        serde_json::to_vec(&self.fields).expect("a JSON map serializes")
    }
}

/// The `enricher` block: who produced the output, when, and how long enrichment took.
#[derive(Debug, Clone, Serialize)]
pub struct EnricherInfo {
    pub version: &'static str,
    pub processed_at: String,
    pub took_us: u64,
}

impl EnricherInfo {
    pub fn now(took_us: u64) -> EnricherInfo {
        let processed_at = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        EnricherInfo {
            version: env!("CARGO_PKG_VERSION"),
            processed_at,
            took_us,
        }
    }
}

#[derive(Serialize)]
struct Enrichment<'a> {
    schema_version: u32,
    language: &'a str,
    entities: Vec<EntityOut<'a>>,
    quotes: Vec<QuoteOut<'a>>,
    places: PlacesOut<'a>,
    sentiment: SentimentOut,
    tags: &'a [String],
    warnings: &'a [String],
}

#[derive(Serialize)]
struct EntityOut<'a> {
    id: String,
    text: &'a str,
    label: &'static str,
    count: usize,
    salience: f64,
    sentiment: f64,
    mentions: Vec<SpanOut<'a>>,
    references: Vec<ReferenceOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo: Option<GeoOut<'a>>,
}

#[derive(Serialize)]
struct ReferenceOut<'a> {
    #[serde(flatten)]
    span: SpanOut<'a>,
    kind: &'static str,
}

#[derive(Serialize)]
struct GeoOut<'a> {
    geonameid: Option<u32>,
    name: &'a str,
    lat: f64,
    lon: f64,
    country: Option<&'a str>,
    admin1: Option<&'a str>,
    feature: &'static str,
    population: u64,
    confidence: f64,
    reference: &'static str,
}

impl<'a> GeoOut<'a> {
    fn new(g: &'a Geo) -> GeoOut<'a> {
        GeoOut {
            geonameid: g.geonameid,
            name: g.name,
            lat: round4(g.lat),
            lon: round4(g.lon),
            country: g.country_str(),
            admin1: g.admin1,
            feature: g.feature.as_str(),
            population: g.population,
            confidence: round4(g.confidence),
            reference: g.reference.as_str(),
        }
    }
}

#[derive(Serialize)]
struct PlacesOut<'a> {
    focus: Option<FocusOut<'a>>,
    countries: Vec<CountryOut<'a>>,
}

#[derive(Serialize)]
struct FocusOut<'a> {
    entity: String,
    #[serde(flatten)]
    geo: GeoOut<'a>,
}

#[derive(Serialize)]
struct CountryOut<'a> {
    country: &'a str,
    name: &'a str,
    geonameid: Option<u32>,
    share: f64,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
}

#[derive(Serialize)]
struct QuoteOut<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
    kind: &'static str,
    speaker: Option<&'a str>,
    speaker_entity: Option<String>,
    cue: Option<&'a str>,
}

#[derive(Serialize)]
struct SentimentOut {
    label: &'static str,
    score: f64,
    sentences: Vec<SentenceOut>,
}

#[derive(Serialize)]
struct SentenceOut {
    start: usize,
    end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
    score: f64,
}

fn entity_id(index: usize) -> String {
    format!("e{}", index + 1)
}

/// Scores are rounded so that the output is stable and compact.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl<'a> Enrichment<'a> {
    fn new(a: &'a Analysis, title: &'a str, body: &'a str) -> Enrichment<'a> {
        let title_map = CharOffsets::new(title);
        let body_map = CharOffsets::new(body);
        let pick = |field: Field| match field {
            Field::Title => (title, &title_map, Some("title")),
            Field::Body => (body, &body_map, None),
        };
        // Normalised span -> original byte span -> code points, here and only here.
        let span_out = |field: Field, span: crate::nlp::text::Span| {
            let span = a.original_span(field, span);
            let (text, map, field) = pick(field);
            SpanOut {
                start: map.char_offset(span.start),
                end: map.char_offset(span.end),
                text: &text[span.start..span.end],
                field,
            }
        };
        // Each entity's references, grouped in one pass (text order kept).
        let mut references: Vec<Vec<ReferenceOut>> = Vec::new();
        references.resize_with(a.entities.len(), Vec::new);
        for r in &a.references {
            if let Some(list) = references.get_mut(r.entity) {
                list.push(ReferenceOut {
                    span: span_out(r.field, r.span),
                    kind: r.kind.as_str(),
                });
            }
        }
        Enrichment {
            schema_version: SCHEMA_VERSION,
            language: &a.language,
            entities: a
                .entities
                .iter()
                .enumerate()
                .map(|(i, e)| EntityOut {
                    id: entity_id(i),
                    text: &e.text,
                    label: e.label.as_str(),
                    count: e.mentions.len(),
                    salience: round4(e.salience),
                    sentiment: round4(e.sentiment),
                    mentions: e
                        .mentions
                        .iter()
                        .map(|m| span_out(m.field, m.span))
                        .collect(),
                    references: std::mem::take(&mut references[i]),
                    geo: a
                        .places
                        .geo
                        .get(i)
                        .and_then(Option::as_ref)
                        .map(GeoOut::new),
                })
                .collect(),
            quotes: a
                .quotes
                .iter()
                .map(|q| {
                    let s = span_out(q.field, q.span);
                    QuoteOut {
                        text: s.text,
                        start: s.start,
                        end: s.end,
                        field: s.field,
                        kind: q.kind.as_str(),
                        speaker: q.speaker.as_deref(),
                        speaker_entity: q.speaker_entity.map(entity_id),
                        cue: q.cue.as_deref(),
                    }
                })
                .collect(),
            places: PlacesOut {
                focus: a.places.focus.as_ref().map(|f| FocusOut {
                    entity: entity_id(f.entity),
                    geo: GeoOut::new(&f.geo),
                }),
                countries: a
                    .places
                    .countries
                    .iter()
                    .map(|c| CountryOut {
                        country: std::str::from_utf8(&c.country).unwrap_or(""),
                        name: c.name,
                        geonameid: c.geonameid,
                        share: round4(c.share),
                    })
                    .collect(),
            },
            sentiment: SentimentOut {
                label: a.sentiment.label.as_str(),
                score: round4(a.sentiment.score),
                sentences: a
                    .sentiment
                    .sentences
                    .iter()
                    .map(|s| {
                        let o = span_out(s.field, s.span);
                        SentenceOut {
                            start: o.start,
                            end: o.end,
                            field: o.field,
                            score: round4(s.score),
                        }
                    })
                    .collect(),
            },
            tags: &a.tags,
            warnings: &a.warnings,
        }
    }
}

/// Byte offset -> code-point offset for one text. ASCII text maps to itself; otherwise the
/// positions of multi-byte characters are kept, so a lookup is a binary search.
pub struct CharOffsets {
    /// (byte offset just past a multi-byte char, extra bytes up to and including it)
    multibyte: Vec<(usize, usize)>,
}

impl CharOffsets {
    pub fn new(text: &str) -> CharOffsets {
        let mut multibyte = Vec::new();
        if !text.is_ascii() {
            let mut extra = 0;
            for (i, c) in text.char_indices() {
                let len = c.len_utf8();
                if len > 1 {
                    extra += len - 1;
                    multibyte.push((i + len, extra));
                }
            }
        }
        CharOffsets { multibyte }
    }

    /// The code-point index of a byte offset that lies on a char boundary.
    pub fn char_offset(&self, byte: usize) -> usize {
        let n = self.multibyte.partition_point(|&(end, _)| end <= byte);
        let extra = if n == 0 { 0 } else { self.multibyte[n - 1].1 };
        byte - extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_match_python_indexing() {
        let text = "Sa’ar 🎉 said é";
        let map = CharOffsets::new(text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(map.char_offset(bi), ci);
        }
        assert_eq!(map.char_offset(text.len()), text.chars().count());
    }

    #[test]
    fn decode_errors_have_kinds() {
        let cases: [(&[u8], &str); 9] = [
            (b"{\"id\":\"1\",\"body\":\"x\xff\"}", "invalid_utf8"),
            (b"{nope", "invalid_json"),
            (b"[1,2]", "not_an_object"),
            (b"{\"body\":\"x\"}", "missing_field"),
            (b"{\"id\":\"1\"}", "missing_field"),
            (b"{\"id\":\"\",\"body\":\"x\"}", "empty_field"),
            (b"{\"id\":1,\"body\":\"x\"}", "wrong_type"),
            (b"{\"id\":\"1\",\"body\":\"x\",\"title\":5}", "wrong_type"),
            (b"{\"id\":\"1\",\"body\":\"  \"}", "empty_field"),
        ];
        for (input, kind) in cases {
            let err = Article::decode(input, 1 << 20).unwrap_err();
            assert_eq!(err.kind(), kind, "{}", String::from_utf8_lossy(input));
        }
        let err = Article::decode(b"{\"id\":\"1\",\"body\":\"xxxx\"}", 10).unwrap_err();
        assert_eq!(err.kind(), "body_too_large");
    }

    #[test]
    fn unknown_fields_pass_through_in_order() {
        let input = br#"{"zeta":{"deep":[1,2]},"id":"a","body":"Hello.","extra":null}"#;
        let article = Article::decode(input, 1 << 20).unwrap();
        let out = article.encode(&Analysis::empty("en".into()), &EnricherInfo::now(1));
        let v: Value = serde_json::from_slice(&out).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            ["zeta", "id", "body", "extra", "enrichment", "enricher"]
        );
        assert_eq!(v["zeta"]["deep"][1], 2);
        assert_eq!(v["enrichment"]["schema_version"], 3);
    }
}
