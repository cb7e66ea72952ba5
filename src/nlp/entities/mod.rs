//! Entities: the recognizer's mentions fixed up ([`fixups`], [`people`], [`headlines`],
//! [`compounds`]), grouped into entities ([`group`](group())), and ranked by salience
//! ([`salience`]).

pub mod compounds;
pub mod fixups;
mod group;
pub mod headlines;
pub mod people;
pub mod salience;

pub use group::group;

use crate::nlp::ner::{EntityMention, NerModel};
use crate::nlp::text::Doc;

/// The fix-ups of the recognizer's mentions of one article (title and body), in order: span
/// edges trimmed; titles off people's names; nationality + institution joined; news
/// organisations labelled; one label per name; unsupported headline and shouted mentions
/// dropped; roles beside a named person dropped; names inside hyphenated compounds added.
pub fn fix_mentions(
    model: &NerModel,
    title: (&Doc, &mut Vec<EntityMention>),
    body: (&Doc, &mut Vec<EntityMention>),
) {
    let (title_doc, title_mentions) = title;
    let (body_doc, body_mentions) = body;
    for (doc, mentions) in [
        (title_doc, &mut *title_mentions),
        (body_doc, &mut *body_mentions),
    ] {
        fixups::trim_spans(doc.text, &doc.tokens, mentions);
        people::strip_titles(doc.text, mentions);
        fixups::join_institutions(doc.text, mentions);
        fixups::label_news_organisations(doc.text, mentions);
    }
    fixups::one_label_per_name(&mut [
        (title_doc.text, &mut *title_mentions),
        (body_doc.text, &mut *body_mentions),
    ]);
    headlines::drop_unsupported(
        title_doc.text,
        title_mentions,
        body_doc,
        body_mentions,
        model,
    );
    let names = compounds::ArticleNames::new(&[
        (title_doc.text, title_mentions),
        (body_doc.text, body_mentions),
    ]);
    for (doc, mentions) in [(title_doc, title_mentions), (body_doc, body_mentions)] {
        people::drop_roles(doc.text, mentions, &names, model);
        compounds::split_compounds(doc.text, &doc.tokens, mentions, &names);
    }
}
