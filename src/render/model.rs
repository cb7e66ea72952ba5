//! The enriched JSON read loosely into what the view needs: every field optional, wrong
//! types ignored, spans turned from code-point offsets into byte offsets of their field
//! (title or body) and sorted into the three layers the writer nests.

use super::spans::{normalize, normalize_nested, Span};
use super::RenderError;
use serde_json::Value;
use std::fmt::Write;

pub struct Entity<'a> {
    pub id: String,
    pub text: &'a str,
    pub label: &'a str,
    pub count: usize,
    pub salience: Option<f64>,
    pub sentiment: Option<f64>,
    /// The resolved place (`geo`), described in one line.
    pub place: Option<String>,
    /// The hover text of the entity and its mentions.
    pub tip: String,
}

pub struct MentionRef<'a> {
    pub entity: usize,
    pub kind: Option<&'a str>,
}

pub struct Quote<'a> {
    pub text: &'a str,
    pub kind: Option<&'a str>,
    pub speaker: Option<&'a str>,
    pub speaker_entity: Option<&'a str>,
    pub cue: Option<&'a str>,
}

/// The spans of one field, in byte offsets, each layer sorted and without overlaps.
#[derive(Default)]
pub struct FieldSpans {
    pub sentences: Vec<Span>,
    pub quotes: Vec<Span>,
    pub mentions: Vec<Span>,
    /// Mentions inside another mention ("US" in "US-backed").
    pub inner_mentions: Vec<Span>,
}

pub struct Article<'a> {
    pub id: &'a str,
    pub title: Option<&'a str>,
    pub body: &'a str,
    pub language: Option<&'a str>,
    pub source: Option<&'a str>,
    pub published_at: Option<&'a str>,
    /// Whether the record has an `enrichment` object at all.
    pub enriched: bool,
    pub sentiment_label: Option<&'a str>,
    pub sentiment_score: Option<f64>,
    /// The article's main place (`places.focus`), described in one line.
    pub focus: Option<String>,
    pub enricher: Option<String>,
    pub warnings: Vec<String>,
    pub tags: Vec<String>,
    pub entities: Vec<Entity<'a>>,
    pub mentions: Vec<MentionRef<'a>>,
    pub quotes: Vec<Quote<'a>>,
    pub sentence_scores: Vec<Option<f64>>,
    pub title_spans: FieldSpans,
    pub body_spans: FieldSpans,
    /// Spans left out: offsets outside their text, an unknown field, or overlapping a span
    /// of the same kind.
    pub skipped: usize,
}

/// A CSS class token made of the value's safe characters; anything else is `other`.
pub fn css_token(value: &str) -> &str {
    let ok = !value.is_empty()
        && value.len() <= 32
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        value
    } else {
        "other"
    }
}

fn items(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

fn string_list(v: &Value) -> Vec<String> {
    items(v)
        .iter()
        .map(|w| match w {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// Code-point offset -> byte offset of one text.
struct CharMap {
    /// Byte offset of every char and of the end; `None` for ASCII, where they are equal.
    starts: Option<Vec<usize>>,
    len: usize,
}

impl CharMap {
    fn new(text: &str) -> CharMap {
        let starts = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect()
        });
        CharMap {
            starts,
            len: text.len(),
        }
    }

    fn byte(&self, cp: &Value) -> Option<usize> {
        let cp = usize::try_from(cp.as_u64()?).ok()?;
        match &self.starts {
            None => (cp <= self.len).then_some(cp),
            Some(starts) => starts.get(cp).copied(),
        }
    }
}

/// Where a span of the output lies: its field and byte range.
struct Locator {
    title: Option<CharMap>,
    body: CharMap,
}

impl Locator {
    fn span(&self, item: &Value, id: usize) -> Option<(bool, Span)> {
        let in_title = match item.get("field") {
            None | Some(Value::Null) => false,
            Some(f) if f == "title" => true,
            Some(_) => return None,
        };
        let map = if in_title {
            self.title.as_ref()?
        } else {
            &self.body
        };
        let start = map.byte(item.get("start")?)?;
        let end = map.byte(item.get("end")?)?;
        (start < end).then_some((in_title, Span { start, end, id }))
    }
}

/// One line for a `geo` or `places.focus` object: name, region, country, kind, coordinates.
pub fn describe_place(v: &Value) -> Option<String> {
    if let Some(s) = v.as_str() {
        return Some(s.to_owned());
    }
    let obj = v.as_object()?;
    let text = |k: &str| obj.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let mut out = String::new();
    for part in [text("name"), text("admin1"), text("country")]
        .into_iter()
        .flatten()
    {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(part);
    }
    if let Some(feature) = text("feature") {
        let _ = write!(out, " ({feature})");
    }
    if let (Some(lat), Some(lon)) = (
        obj.get("lat").and_then(Value::as_f64),
        obj.get("lon").and_then(Value::as_f64),
    ) {
        let _ = write!(out, " {lat:.2}, {lon:.2}");
    }
    let out = out.trim().to_owned();
    (!out.is_empty()).then_some(out)
}

impl<'a> Article<'a> {
    pub fn read(doc: &'a Value) -> Result<Article<'a>, RenderError> {
        let obj = doc.as_object().ok_or(RenderError::NotAnObject)?;
        let body = obj
            .get("body")
            .and_then(Value::as_str)
            .ok_or(RenderError::MissingBody)?;
        let title = obj.get("title").and_then(Value::as_str);
        let str_of = |v: &'a Value, k: &str| v.get(k).and_then(Value::as_str);
        let enrichment = obj.get("enrichment").filter(|e| e.is_object());
        let e = enrichment.unwrap_or(&Value::Null);
        let sentiment = &e["sentiment"];
        let mut a = Article {
            id: str_of(doc, "id").unwrap_or("(no id)"),
            title: title.filter(|t| !t.is_empty()),
            body,
            language: str_of(e, "language").or_else(|| str_of(doc, "language")),
            source: str_of(doc, "source"),
            published_at: str_of(doc, "published_at"),
            enriched: enrichment.is_some(),
            sentiment_label: str_of(sentiment, "label"),
            sentiment_score: sentiment["score"].as_f64(),
            focus: describe_place(&e["places"]["focus"]),
            enricher: enricher_line(&doc["enricher"]),
            warnings: string_list(&e["warnings"]),
            tags: string_list(&e["tags"]),
            entities: Vec::new(),
            mentions: Vec::new(),
            quotes: Vec::new(),
            sentence_scores: Vec::new(),
            title_spans: FieldSpans::default(),
            body_spans: FieldSpans::default(),
            skipped: 0,
        };
        let at = Locator {
            title: title.map(CharMap::new),
            body: CharMap::new(body),
        };
        a.read_entities(e, &at);
        for (i, q) in items(&e["quotes"]).iter().enumerate() {
            a.quotes.push(Quote {
                text: str_of(q, "text").unwrap_or(""),
                kind: str_of(q, "kind"),
                speaker: str_of(q, "speaker").filter(|s| !s.is_empty()),
                speaker_entity: str_of(q, "speaker_entity"),
                cue: str_of(q, "cue"),
            });
            a.place(at.span(q, i), |f| &mut f.quotes);
        }
        for (i, s) in items(&sentiment["sentences"]).iter().enumerate() {
            a.sentence_scores.push(s["score"].as_f64());
            a.place(at.span(s, i), |f| &mut f.sentences);
        }
        let title_len = title.map_or(0, str::len);
        for (f, len) in [
            (&mut a.title_spans, title_len),
            (&mut a.body_spans, body.len()),
        ] {
            for layer in [&mut f.sentences, &mut f.quotes] {
                a.skipped += normalize(layer, len);
            }
            a.skipped += normalize_nested(&mut f.mentions, &mut f.inner_mentions, len);
        }
        Ok(a)
    }

    fn read_entities(&mut self, e: &'a Value, at: &Locator) {
        for (i, ent) in items(&e["entities"]).iter().enumerate() {
            let text = ent["text"].as_str().unwrap_or("");
            let label = ent["label"].as_str().unwrap_or("?");
            let salience = ent["salience"].as_f64();
            let sentiment = ent["sentiment"].as_f64();
            let place = ent.get("geo").and_then(describe_place);
            let mut tip = format!("{text} ({label})");
            if let Some(s) = salience {
                let _ = write!(tip, "\nsalience {s:.2}");
            }
            if let Some(s) = sentiment {
                let _ = write!(tip, "\nsentiment {s:+.2}");
            }
            if let Some(p) = &place {
                let _ = write!(tip, "\nplace: {p}");
            }
            let mentions = items(&ent["mentions"]);
            let index = self.entities.len();
            self.entities.push(Entity {
                id: ent["id"]
                    .as_str()
                    .map_or_else(|| format!("e{}", i + 1), str::to_owned),
                text,
                label,
                count: ent["count"].as_u64().map_or(mentions.len(), |c| c as usize),
                salience,
                sentiment,
                place,
                tip,
            });
            // Names, then the pronouns and descriptions linked to the entity (`kind` marks
            // them, drawn lighter).
            for m in mentions.iter().chain(items(&ent["references"])) {
                let id = self.mentions.len();
                self.mentions.push(MentionRef {
                    entity: index,
                    kind: m["kind"].as_str(),
                });
                self.place(at.span(m, id), |f| &mut f.mentions);
            }
        }
    }

    /// File a located span into its field's layer, or count it as skipped.
    fn place(&mut self, span: Option<(bool, Span)>, layer: fn(&mut FieldSpans) -> &mut Vec<Span>) {
        match span {
            Some((true, s)) => layer(&mut self.title_spans).push(s),
            Some((false, s)) => layer(&mut self.body_spans).push(s),
            None => self.skipped += 1,
        }
    }
}

fn enricher_line(v: &Value) -> Option<String> {
    let version = v["version"].as_str()?;
    Some(match v["took_us"].as_u64() {
        Some(us) => format!("{version}, {:.1} ms", us as f64 / 1000.0),
        None => version.to_owned(),
    })
}
