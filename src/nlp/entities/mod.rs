//! Entities: the recognizer's mentions fixed up ([`fixups`], [`people`], [`headlines`],
//! [`compounds`]), grouped into entities ([`group`](group())), and ranked by salience
//! ([`salience`]).

pub mod compounds;
pub mod fixups;
mod group;
pub mod headlines;
pub mod labels;
pub mod people;
pub mod salience;

pub use group::group;

use crate::nlp::ner::{EntityMention, NerModel};
use crate::nlp::text::Doc;

/// The fix-ups of the recognizer's mentions of one article (title and body), in order: span
/// edges trimmed; titles off people's names; nationality + institution joined; news
/// organisations labelled; awards joined; works and bands labelled by the noun beside them;
/// datelines' places added; double-barrelled surnames made people's; one label per name; unsupported headline and shouted mentions
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
        fixups::split_at_verbs(doc.text, mentions);
        people::strip_titles(doc.text, mentions);
        fixups::join_institutions(doc.text, mentions);
        fixups::label_news_organisations(doc.text, mentions);
        fixups::join_awards(doc.text, &doc.tokens, mentions);
        fixups::label_by_kind(doc.text, mentions);
        fixups::datelines(doc.text, mentions);
        people::double_barrelled(doc.text, mentions, model);
    }
    labels::one_label_per_name(&mut [
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::analysis::EntityLabel;
    use crate::nlp::text::Span;

    /// Every fix-up is one pass over the mentions (or a paragraph's tokens, once): on a 1 MB
    /// article that is one shouting paragraph of compounds, titles and roles, each word a
    /// mention, a quadratic step would not finish.
    #[test]
    fn fix_ups_stay_linear_on_a_hostile_article() {
        let model = NerModel::from_bytes(include_bytes!("../../../models/ner.bin")).unwrap();
        let unit = "A HIGH-powered US-backed Mr Smith, Supreme Leader of Iran, Ayatollah Ali \
                    Smith-Jones • “Apollo.’” ";
        let body = format!("THE US {}", unit.repeat(1_000_000 / unit.len()));
        let doc = Doc::new(&body);
        let mut mentions: Vec<EntityMention> = doc
            .tokens
            .iter()
            .map(|t| EntityMention {
                span: t.span,
                label: EntityLabel::ALL[t.span.start % 4],
            })
            .collect();
        let n = mentions.len();
        let title_doc = Doc::new("How Winter Wreaks Havoc On Pipes");
        let mut title_mentions = vec![EntityMention {
            span: Span::new(11, 23), // "Wreaks Havoc"
            label: EntityLabel::Person,
        }];
        fix_mentions(
            &model,
            (&title_doc, &mut title_mentions),
            (&doc, &mut mentions),
        );
        assert!(title_mentions.is_empty());
        assert!(mentions.len() <= 2 * n);
        assert!(mentions
            .windows(2)
            .all(|w| w[0].span.start <= w[1].span.start));
    }
}
