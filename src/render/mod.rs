//! The HTML view of enriched articles, shared by the `render` command and the `serve` page:
//! the article with entity mentions highlighted by label (hover: entity, salience,
//! sentiment), quotations marked with their speaker, each sentence shaded by its sentiment,
//! and a side panel of entities, quotes and tags.
//!
//! It reads the output JSON loosely, so that it keeps working while the contract grows: what
//! is there is shown, unknown fields are ignored, and newer ones (entity `references` with
//! their `kind`, entity
//! `geo`, `places.focus`, other sentiment labels) are shown when present. Spans whose offsets
//! do not fit the text are left out and counted. Every piece of text goes through [`escape`].
//! Pure: no I/O.

mod model;
mod spans;

use model::{Article, FieldSpans, Quote};
use serde_json::Value;
use spans::Event;
use std::fmt::Write;

/// The stylesheet of the rendered articles and of the page.
pub const STYLE_CSS: &str = include_str!("assets/style.css");
/// Click an entity or a quote to find it in the text (used by the page and `render` output).
pub const INTERACT_JS: &str = include_str!("assets/interact.js");

/// Why an enriched article cannot be rendered. Kinds match the API's decode errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("not valid JSON: {0}")]
    InvalidJson(String),
    #[error("the enriched article is JSON but not an object")]
    NotAnObject,
    #[error("field `body` is missing or not a string")]
    MissingBody,
}

impl RenderError {
    /// Stable machine-readable reason, as in [`crate::message::DecodeError::kind`].
    pub fn kind(&self) -> &'static str {
        match self {
            RenderError::InvalidJson(_) => "invalid_json",
            RenderError::NotAnObject => "not_an_object",
            RenderError::MissingBody => "missing_field",
        }
    }
}

/// |score| below this is shaded neutral: VADER's own neutral band for compound scores.
const NEUTRAL_BAND: f64 = 0.05;
/// |score| at or above each bound takes the next, darker shade (three shades a side).
const SHADE_STEPS: [f64; 2] = [0.35, 0.65];

/// Escape text for HTML element content and quoted attribute values.
pub fn escape(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// The start of a standalone HTML document (styles inline) for `render`.
pub fn document_start(out: &mut String) {
    out.push_str(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>news-enricher</title>\n<style>\n",
    );
    out.push_str(STYLE_CSS);
    out.push_str("</style>\n</head>\n<body>\n<main class=\"articles\">\n");
    out.push_str(LEGEND);
}

/// The end of the document started by [`document_start`].
pub fn document_end(out: &mut String) {
    out.push_str("</main>\n<script>\n");
    out.push_str(INTERACT_JS);
    out.push_str("</script>\n</body>\n</html>\n");
}

/// What the colours mean; shown above the articles.
pub const LEGEND: &str = "<p class=\"legend\">\
<mark class=\"ent l-PERSON\">person</mark> <mark class=\"ent l-ORG\">organisation</mark> \
<mark class=\"ent l-LOC\">place</mark> <mark class=\"ent l-MISC\">other name</mark> \
<mark class=\"ent l-PERSON k-pronoun\">pronoun</mark> \
<mark class=\"ent l-PERSON k-description\">description</mark> \
<span class=\"quote\" data-speaker=\"speaker\">quotation</span> \
sentence sentiment: <span class=\"sent s-neg3\">negative</span> \
<span class=\"sent s-neu\">neutral</span> <span class=\"sent s-pos3\">positive</span> \
<span class=\"hint\">(hover a name for details; click one to find all its mentions)</span></p>\n";

/// Render one enriched article given as JSON text.
pub fn render_json(json: &str, out: &mut String) -> Result<(), RenderError> {
    let doc: Value =
        serde_json::from_str(json).map_err(|e| RenderError::InvalidJson(e.to_string()))?;
    render_article(&doc, out)
}

/// Render one enriched article as a `<section>`.
pub fn render_article(doc: &Value, out: &mut String) -> Result<(), RenderError> {
    let article = Article::read(doc)?;
    out.reserve(article.body.len() * 2 + 4096);
    out.push_str("<section class=\"article\" data-id=\"");
    escape(out, article.id);
    out.push_str("\">\n<header>\n<h2 class=\"title\">");
    match article.title {
        Some(title) => write_text(out, &article, title, &article.title_spans),
        None => {
            out.push_str("<span class=\"untitled\">");
            escape(out, article.id);
            out.push_str("</span>");
        }
    }
    out.push_str("</h2>\n");
    write_facts(out, &article);
    out.push_str("</header>\n<div class=\"cols\">\n<div class=\"text\"");
    if let Some(lang) = article.language {
        out.push_str(" lang=\"");
        escape(out, lang);
        out.push('"');
    }
    out.push('>');
    write_text(out, &article, article.body, &article.body_spans);
    out.push_str("</div>\n<aside class=\"side\">\n");
    write_entities(out, &article);
    write_quotes(out, &article);
    write_tags(out, &article);
    out.push_str("</aside>\n</div>\n</section>\n");
    Ok(())
}

fn shade(score: Option<f64>) -> &'static str {
    let Some(s) = score else { return "s-none" };
    let step = 1 + SHADE_STEPS.iter().filter(|&&b| s.abs() >= b).count();
    match (s.abs() < NEUTRAL_BAND, s > 0.0, step) {
        (true, _, _) => "s-neu",
        (false, true, 1) => "s-pos1",
        (false, true, 2) => "s-pos2",
        (false, true, _) => "s-pos3",
        (false, false, 1) => "s-neg1",
        (false, false, 2) => "s-neg2",
        (false, false, _) => "s-neg3",
    }
}

fn signed(out: &mut String, x: Option<f64>) {
    match x {
        Some(x) => {
            let _ = write!(out, "{x:+.2}");
        }
        None => out.push('–'),
    }
}

/// One field's text with its sentences, quotes and mentions as nested elements.
fn write_text(out: &mut String, a: &Article, text: &str, spans: &FieldSpans) {
    spans::nest(
        text.len(),
        [
            &spans.sentences,
            &spans.quotes,
            &spans.mentions,
            &spans.inner_mentions,
        ],
        |event| match event {
            Event::Open { layer: 0, span, .. } => {
                let score = a.sentence_scores[span.id];
                out.push_str("<span class=\"sent ");
                out.push_str(shade(score));
                out.push_str("\" title=\"sentence sentiment ");
                signed(out, score);
                out.push_str("\">");
            }
            Event::Open {
                layer: 1,
                span,
                first,
            } => open_quote(out, span.id, &a.quotes[span.id], first),
            Event::Open { span, .. } => {
                let m = &a.mentions[span.id];
                let e = &a.entities[m.entity];
                out.push_str("<mark class=\"ent l-");
                out.push_str(model::css_token(e.label));
                if let Some(kind) = m.kind {
                    out.push_str(" k-");
                    out.push_str(model::css_token(kind));
                }
                out.push_str("\" data-entity=\"");
                escape(out, &e.id);
                out.push_str("\" title=\"");
                escape(out, &e.tip);
                if let Some(kind) = m.kind.filter(|k| *k != "name") {
                    out.push_str("\n(");
                    escape(out, kind);
                    out.push_str(" mention)");
                }
                out.push_str("\">");
            }
            Event::Text { start, end } => escape(out, &text[start..end]),
            Event::Close { layer: 2 | 3, .. } => out.push_str("</mark>"),
            Event::Close { .. } => out.push_str("</span>"),
        },
    );
}

fn open_quote(out: &mut String, index: usize, q: &Quote, first: bool) {
    out.push_str("<span class=\"quote");
    if let Some(kind) = q.kind {
        out.push_str(" q-");
        out.push_str(model::css_token(kind));
    }
    if !first {
        out.push_str(" cont");
    } else if q.speaker.is_none() {
        out.push_str(" anon");
    }
    let _ = write!(out, "\" data-quote=\"q{}\"", index + 1);
    if let (true, Some(speaker)) = (first, q.speaker) {
        out.push_str(" data-speaker=\"");
        escape(out, speaker);
        out.push('"');
    }
    if let Some(id) = q.speaker_entity {
        out.push_str(" data-speaker-entity=\"");
        escape(out, id);
        out.push('"');
    }
    out.push_str(" title=\"quotation");
    if let Some(kind) = q.kind {
        out.push_str(" (");
        escape(out, kind);
        out.push(')');
    }
    match q.speaker {
        Some(s) => {
            out.push_str("\nspeaker: ");
            escape(out, s);
        }
        None => out.push_str("\nno speaker found"),
    }
    if let Some(cue) = q.cue {
        out.push_str("\ncue: ");
        escape(out, cue);
    }
    out.push_str("\">");
}

fn write_facts(out: &mut String, a: &Article) {
    out.push_str("<dl class=\"facts\">");
    let fact = |out: &mut String, name: &str, value: &str, class: &str| {
        out.push_str("<div><dt>");
        out.push_str(name);
        out.push_str("</dt><dd");
        if !class.is_empty() {
            let _ = write!(out, " class=\"{class}\"");
        }
        out.push('>');
        escape(out, value);
        out.push_str("</dd></div>");
    };
    fact(out, "id", a.id, "");
    for (name, value) in [("source", a.source), ("published", a.published_at)] {
        if let Some(v) = value {
            fact(out, name, v, "");
        }
    }
    if let Some(lang) = a.language {
        fact(out, "language", lang, "");
    }
    if a.enriched {
        let mut sentiment = a.sentiment_label.unwrap_or("").to_owned();
        if let Some(score) = a.sentiment_score {
            let _ = write!(sentiment, " {score:+.2}");
        }
        fact(out, "sentiment", sentiment.trim(), shade(a.sentiment_score));
        let counts = format!(
            "{} entities, {} quotes, {} sentences",
            a.entities.len(),
            a.quotes.len(),
            a.sentence_scores.len()
        );
        fact(out, "found", &counts, "");
    } else {
        fact(out, "enrichment", "none in this record", "");
    }
    if let Some(place) = &a.focus {
        fact(out, "main place", place, "");
    }
    if let Some(enricher) = &a.enricher {
        fact(out, "enricher", enricher, "");
    }
    out.push_str("</dl>\n");
    if !a.warnings.is_empty() {
        out.push_str("<ul class=\"warnings\">");
        for w in &a.warnings {
            out.push_str("<li>");
            escape(out, w);
            out.push_str("</li>");
        }
        out.push_str("</ul>\n");
    }
    if a.skipped > 0 {
        let _ = writeln!(
            out,
            "<p class=\"note\">{} spans with offsets outside the text (or crossing others \
             of their kind) are not shown.</p>",
            a.skipped
        );
    }
}

/// A side-panel heading with its count; false (and a note) when there is nothing to list.
fn heading(out: &mut String, title: &str, count: usize) -> bool {
    let _ = writeln!(out, "<h3>{title} <span class=\"n\">{count}</span></h3>");
    if count == 0 {
        out.push_str("<p class=\"none\">none found</p>\n");
    }
    count > 0
}

fn write_entities(out: &mut String, a: &Article) {
    if !heading(out, "Entities", a.entities.len()) {
        return;
    }
    let places = a.entities.iter().any(|e| e.place.is_some());
    out.push_str(
        "<table class=\"entities\"><thead><tr><th>entity</th><th>label</th>\
         <th title=\"mentions\">n</th><th>salience</th><th>sentiment</th>",
    );
    if places {
        out.push_str("<th>place</th>");
    }
    out.push_str("</tr></thead><tbody>\n");
    for e in &a.entities {
        out.push_str("<tr data-entity=\"");
        escape(out, &e.id);
        out.push_str("\" tabindex=\"0\" title=\"");
        escape(out, &e.tip);
        out.push_str("\"><td><span class=\"swatch l-");
        out.push_str(model::css_token(e.label));
        out.push_str("\"></span>");
        escape(out, e.text);
        out.push_str("</td><td>");
        escape(out, e.label);
        let _ = write!(
            out,
            "</td><td class=\"num\">{}</td><td class=\"num\">",
            e.count
        );
        if let Some(s) = e.salience {
            let _ = write!(
                out,
                "<meter min=\"0\" max=\"1\" value=\"{s:.4}\"></meter> {s:.2}"
            );
        }
        out.push_str("</td><td class=\"num ");
        out.push_str(shade(e.sentiment));
        out.push_str("\">");
        signed(out, e.sentiment);
        out.push_str("</td>");
        if places {
            out.push_str("<td>");
            if let Some(p) = &e.place {
                escape(out, p);
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

fn write_quotes(out: &mut String, a: &Article) {
    if !heading(out, "Quotes", a.quotes.len()) {
        return;
    }
    out.push_str("<ol class=\"quotes\">\n");
    for (i, q) in a.quotes.iter().enumerate() {
        let _ = write!(out, "<li data-quote=\"q{}\" tabindex=\"0\">", i + 1);
        match q.speaker {
            Some(s) => {
                out.push_str("<span class=\"who\">");
                escape(out, s);
            }
            None => out.push_str("<span class=\"who anon\">no speaker"),
        }
        out.push_str("</span>");
        if let Some(cue) = q.cue {
            out.push_str(" <span class=\"cue\">");
            escape(out, cue);
            out.push_str("</span>");
        }
        out.push_str(" <q>");
        escape(out, q.text);
        out.push_str("</q></li>\n");
    }
    out.push_str("</ol>\n");
}

fn write_tags(out: &mut String, a: &Article) {
    let _ = write!(
        out,
        "<h3>Tags <span class=\"n\">{}</span></h3>\n<ul class=\"tags\">",
        a.tags.len()
    );
    for t in &a.tags {
        out.push_str("<li>");
        escape(out, t);
        out.push_str("</li>");
    }
    out.push_str("</ul>\n");
}

#[cfg(test)]
mod tests;
