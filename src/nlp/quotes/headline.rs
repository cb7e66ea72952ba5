//! Quotations in the headline: a headline has no cue of its own, so a headline quote is
//! attributed only when the body attributes the same words (normalised: lower case, words
//! only; the headline's words may be a run inside the body's quote), and is otherwise a
//! quotation without a speaker (`scare`).

use super::marks;
use super::words::MAX_HEADLINE_QUOTES;
use crate::nlp::analysis::{Field, Quote, QuoteKind};
use crate::nlp::text::Doc;

/// Lower-cased words (letters and digits) of `s`.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The quotations of the headline `title`, attributed from `body_quotes` (the quotations
/// of `body`). At most [`MAX_HEADLINE_QUOTES`] are read, each compared once with every
/// body quotation: linear in the body.
pub fn find(title: &Doc, body: &str, body_quotes: &[Quote]) -> Vec<Quote> {
    let found = marks::find(title.text, &title.paragraphs);
    if found.raws.is_empty() {
        return Vec::new();
    }
    let spoken: Vec<(&Quote, Vec<String>)> = body_quotes
        .iter()
        .filter(|q| q.kind != QuoteKind::Scare && q.speaker.is_some())
        .map(|q| (q, words(q.span.slice(body))))
        .collect();
    found
        .raws
        .iter()
        .take(MAX_HEADLINE_QUOTES)
        .map(|raw| {
            let said = words(raw.inner.slice(title.text));
            let source = (!said.is_empty())
                .then(|| {
                    spoken
                        .iter()
                        .find(|(_, w)| w.windows(said.len()).any(|run| run == said.as_slice()))
                })
                .flatten();
            match source {
                Some((q, w)) => Quote {
                    field: Field::Title,
                    span: raw.inner,
                    kind: if w.len() == said.len() {
                        q.kind
                    } else {
                        QuoteKind::Partial
                    },
                    speaker: q.speaker.clone(),
                    speaker_entity: q.speaker_entity,
                    cue: q.cue.clone(),
                },
                None => Quote {
                    field: Field::Title,
                    span: raw.inner,
                    kind: QuoteKind::Scare,
                    speaker: None,
                    speaker_entity: None,
                    cue: None,
                },
            }
        })
        .collect()
}
