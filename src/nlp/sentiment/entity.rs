//! Entity sentiment: each entity's tone, from the writer's sentences about it and from what
//! it is quoted as saying.

use super::news::{NewsModel, TargetContext, Words};
use crate::nlp::analysis::{Entity, Field, Mention, Quote, QuoteKind, Reference, SentenceScore};
use crate::nlp::text::{Doc, Span};

/// Each entity's tone, from the writer's sentences that mention it (by name, surname, or
/// a pronoun or description the coreference stage linked to it) and from what it is quoted
/// as saying. A quotation
/// is the speaker's tone, not the writer's opinion of the entities named inside it, so
/// sentences that hold a quotation count only for the speaker (by the quotation's own
/// score).
pub fn entity_sentiment(
    body_doc: &Doc,
    entities: &mut [Entity],
    references: &[Reference],
    quotes: &[Quote],
    sentences: &[SentenceScore],
    score: impl Fn(&str) -> f64,
) {
    let body = body_doc.text;
    // Everything below is near-linear: a hostile article with 100,000 names or quotation
    // marks must not turn this stage quadratic.
    let spoken: Vec<Span> = quotes
        .iter()
        .filter(|q| q.kind != QuoteKind::Scare)
        .map(|q| q.span)
        .collect();
    // Quotations do not overlap one another, so their ends rise with their starts.
    let writer_sentence: Vec<bool> = sentences
        .iter()
        .map(|s| {
            if s.field == Field::Title {
                return true;
            }
            let k = spoken.partition_point(|q| q.end <= s.span.start);
            spoken.get(k).is_none_or(|q| q.start >= s.span.end)
        })
        .collect();
    let sentence_of = |m: &Mention| -> Option<usize> {
        let k = sentences.partition_point(|s| (s.field, s.span.start) <= (m.field, m.span.start));
        let s = sentences.get(k.checked_sub(1)?)?;
        (s.field == m.field && m.span.end <= s.span.end).then_some(k - 1)
    };
    let mut seen: Vec<Vec<usize>> = entities
        .iter()
        .map(|e| e.mentions.iter().filter_map(sentence_of).collect())
        .collect();
    for r in references {
        let m = Mention {
            field: r.field,
            span: r.span,
        };
        if let (Some(k), Some(list)) = (sentence_of(&m), seen.get_mut(r.entity)) {
            list.push(k);
        }
    }
    let mut sums = vec![(0.0f64, 0usize); entities.len()];
    for (i, mut seen) in seen.into_iter().enumerate() {
        seen.sort_unstable();
        seen.dedup();
        for k in seen {
            if writer_sentence[k] {
                sums[i].0 += sentences[k].score;
                sums[i].1 += 1;
            }
        }
    }
    for q in quotes {
        if let (Some(i), QuoteKind::Full | QuoteKind::Partial) = (q.speaker_entity, q.kind) {
            sums[i].0 += score(q.span.slice(body));
            sums[i].1 += 1;
        }
    }
    for (entity, (sum, n)) in entities.iter_mut().zip(sums) {
        entity.sentiment = if n == 0 {
            0.0
        } else {
            (sum / n as f64).clamp(-1.0, 1.0)
        };
    }
}

/// [`entity_sentiment`] with the trained target model (`nlp.sentiment_model = "news"`): each
/// mention (by name or surname, and each pronoun or description the coreference stage linked
/// to the entity) is scored by the target model in its sentence, the mention masked; what the entity is quoted as saying counts by
/// the sentence model's score of the quotation. The entity's score is the mean (the caller
/// blends in the article's, see [`super::ENTITY_ARTICLE_BLEND`]).
/// `words[k]` are the words of `sentences[k]`. Linear in the article: each mention costs its
/// own length plus a fixed window; each sentence's shared part is computed once.
#[allow(clippy::too_many_arguments)]
pub fn entity_sentiment_news(
    body_doc: &Doc,
    entities: &mut [Entity],
    references: &[Reference],
    quotes: &[Quote],
    sentences: &[SentenceScore],
    words: &[Words],
    model: &NewsModel,
    score: impl Fn(&str) -> f64,
) {
    let sentence_of = |m: &Mention| -> Option<usize> {
        let k = sentences.partition_point(|s| (s.field, s.span.start) <= (m.field, m.span.start));
        let s = sentences.get(k.checked_sub(1)?)?;
        (s.field == m.field && m.span.end <= s.span.end).then_some(k - 1)
    };
    let mut contexts: Vec<Option<TargetContext>> = vec![None; sentences.len()];
    let mut target = |k: usize, start: usize, end: usize| -> f64 {
        let w = &words[k];
        let ctx = *contexts[k].get_or_insert_with(|| model.target_context(w, sentences[k].score));
        let at = sentences[k].span.start;
        model.target_score(w, &ctx, w.covering(start - at, end - at))
    };
    let mut sums = vec![(0.0f64, 0usize); entities.len()];
    for (i, entity) in entities.iter().enumerate() {
        for m in &entity.mentions {
            let Some(k) = sentence_of(m) else { continue };
            sums[i].0 += target(k, m.span.start, m.span.end);
            sums[i].1 += 1;
        }
    }
    let n = sums.len();
    for r in references.iter().filter(|r| r.entity < n) {
        let m = Mention {
            field: r.field,
            span: r.span,
        };
        let Some(k) = sentence_of(&m) else { continue };
        sums[r.entity].0 += target(k, r.span.start, r.span.end);
        sums[r.entity].1 += 1;
    }
    for q in quotes {
        if let (Some(i), QuoteKind::Full | QuoteKind::Partial) = (q.speaker_entity, q.kind) {
            sums[i].0 += score(q.span.slice(body_doc.text));
            sums[i].1 += 1;
        }
    }
    for (entity, (sum, n)) in entities.iter_mut().zip(sums) {
        entity.sentiment = if n == 0 {
            0.0
        } else {
            (sum / n as f64).clamp(-1.0, 1.0)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::analysis::EntityLabel;
    use crate::nlp::sentiment::news::{Lexicon, WORK};
    use crate::nlp::sentiment::vader::Vader;

    /// About 1 MB: one sentence with 60,000 mentions of one person (no sentence end), then
    /// 40,000 short sentences that name nobody and open with a pronoun. Scoring every mention
    /// in its sentence the naive way (the whole sentence per mention) is ~10^10 steps; the
    /// work counted must stay a small multiple of the length.
    #[test]
    fn entity_scores_stay_linear_on_a_hostile_article() {
        let vader = Vader::builtin().unwrap();
        let lexicon = Lexicon::new(&vader);
        let mut model = NewsModel::zeros();
        model.target.q[1] = 10;
        let mut body = "Smith met Jones and ".repeat(60_000);
        body.push_str("ended. ");
        body.push_str(&"He left. ".repeat(40_000));
        let doc = Doc::new(&body);
        let spans: Vec<Span> = body
            .match_indices("Smith")
            .map(|(i, _)| Span::new(i, i + 5))
            .collect();
        let mut entities = vec![Entity {
            text: "Smith".into(),
            label: EntityLabel::Person,
            salience: 0.0,
            sentiment: 0.0,
            mentions: spans
                .into_iter()
                .map(|span| Mention {
                    field: Field::Body,
                    span,
                })
                .collect(),
        }];
        WORK.with(|w| w.set(0));
        let words: Vec<Words> = doc
            .sentences
            .iter()
            .map(|s| Words::new(s.span.slice(&body), &lexicon))
            .collect();
        let sentences: Vec<SentenceScore> = doc
            .sentences
            .iter()
            .zip(&words)
            .map(|(s, w)| SentenceScore {
                field: Field::Body,
                span: s.span,
                score: model.sentence_score(w, &vader.polarity_scores(s.span.slice(&body))),
            })
            .collect();
        assert!(sentences.len() > 40_000);
        entity_sentiment_news(
            &doc,
            &mut entities,
            &[],
            &[],
            &sentences,
            &words,
            &model,
            |_| 0.0,
        );
        let work = WORK.with(|w| w.get());
        assert!(work > 300_000, "the counter counts ({work})");
        assert!(
            work < 2 * body.len(),
            "{work} steps for {} bytes",
            body.len()
        );
        assert!(entities[0].sentiment.is_finite());
    }
}
