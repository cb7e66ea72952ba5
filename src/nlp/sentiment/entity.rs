//! Entity sentiment: each entity's tone, from the writer's sentences about it and from what
//! it is quoted as saying.

use super::news::{NewsModel, TargetContext, Words};
use crate::nlp::analysis::{Entity, EntityLabel, Field, Mention, Quote, QuoteKind, SentenceScore};
use crate::nlp::text::{Doc, Span};

/// Each entity's tone, from the writer's sentences that mention it (by name, surname, or
/// a sentence-initial he/she after it) and from what it is quoted as saying. A quotation
/// is the speaker's tone, not the writer's opinion of the entities named inside it, so
/// sentences that hold a quotation count only for the speaker (by the quotation's own
/// score).
pub fn entity_sentiment(
    body_doc: &Doc,
    entities: &mut [Entity],
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
    let mut sums = vec![(0.0f64, 0usize); entities.len()];
    // The person named last in each sentence (by position), for he/she sentences.
    let mut last_person: Vec<Option<(usize, usize)>> = vec![None; sentences.len()];
    for (i, entity) in entities.iter().enumerate() {
        let mut seen: Vec<usize> = entity.mentions.iter().filter_map(sentence_of).collect();
        if entity.label == EntityLabel::Person {
            for m in entity.mentions.iter().filter(|m| m.field == Field::Body) {
                if let Some(k) = sentence_of(m) {
                    if last_person[k].is_none_or(|(pos, _)| pos < m.span.start) {
                        last_person[k] = Some((m.span.start, i));
                    }
                }
            }
        }
        seen.sort_unstable();
        seen.dedup();
        for k in seen {
            if writer_sentence[k] {
                sums[i].0 += sentences[k].score;
                sums[i].1 += 1;
            }
        }
    }
    // A body sentence that opens with "He"/"She" and names no person speaks of the person
    // named last before it.
    let title_sentences = sentences.iter().filter(|s| s.field == Field::Title).count();
    let mut previous: Option<usize> = None;
    for (k, s) in sentences.iter().enumerate().skip(title_sentences) {
        if let Some((_, i)) = last_person[k] {
            previous = Some(i);
            continue;
        }
        let first_word = body_doc
            .sentences
            .get(k - title_sentences)
            .and_then(|sentence| body_doc.tokens.get(sentence.tokens.start))
            .map(|t| t.span.slice(body));
        if let (Some("He" | "She"), Some(i), true) = (first_word, previous, writer_sentence[k]) {
            sums[i].0 += s.score;
            sums[i].1 += 1;
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
/// mention (by name or surname, and in a body sentence that names no person, its first
/// he/she/his/him/her, taken to be the person named last before it) is scored by the target
/// model in its sentence, the mention masked; what the entity is quoted as saying counts by
/// the sentence model's score of the quotation. The entity's score is the mean (the caller
/// blends in the article's, see [`super::ENTITY_ARTICLE_BLEND`]).
/// `words[k]` are the words of `sentences[k]`. Linear in the article: each mention costs its
/// own length plus a fixed window; each sentence's shared part is computed once.
#[allow(clippy::too_many_arguments)]
pub fn entity_sentiment_news(
    body_doc: &Doc,
    entities: &mut [Entity],
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
    let mut last_person: Vec<Option<(usize, usize)>> = vec![None; sentences.len()];
    for (i, entity) in entities.iter().enumerate() {
        for m in &entity.mentions {
            let Some(k) = sentence_of(m) else { continue };
            sums[i].0 += target(k, m.span.start, m.span.end);
            sums[i].1 += 1;
            if entity.label == EntityLabel::Person
                && m.field == Field::Body
                && last_person[k].is_none_or(|(pos, _)| pos < m.span.start)
            {
                last_person[k] = Some((m.span.start, i));
            }
        }
    }
    let title_sentences = sentences.iter().filter(|s| s.field == Field::Title).count();
    let mut previous: Option<usize> = None;
    for (k, last) in last_person.iter().enumerate().skip(title_sentences) {
        if let Some((_, i)) = *last {
            previous = Some(i);
            continue;
        }
        let Some(i) = previous else { continue };
        let Some(sentence) = body_doc.sentences.get(k - title_sentences) else {
            continue;
        };
        let pronoun = body_doc.tokens[sentence.tokens.clone()]
            .iter()
            .find(|t| {
                matches!(
                    t.span.slice(body_doc.text),
                    "He" | "She" | "he" | "she" | "His" | "his" | "him" | "Her" | "her"
                )
            })
            .map(|t| t.span);
        if let Some(span) = pronoun {
            sums[i].0 += target(k, span.start, span.end);
            sums[i].1 += 1;
        }
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
        entity_sentiment_news(&doc, &mut entities, &[], &sentences, &words, &model, |_| {
            0.0
        });
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
