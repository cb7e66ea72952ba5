//! Headlines and shouted text are not read like body text. In a Title Case or ALL-CAPS
//! headline every word is capitalised, so capitals say nothing and the recognizer finds
//! "Manhole Fires" and "Burst Pipes"; a lead-in in capitals ("A HIGH-powered car ...",
//! "LAURIE OAKES IS THE NINE NETWORK'S political editor") is the same. A mention found there
//! is kept only with support: the article names it in ordinary text (the same last word, or
//! the acronym of a longer name), the gazetteer knows the phrase, or an honorific stands
//! before it ("Mr").
//!
//! A body paragraph all in capitals (a heading, a dateline) keeps its mentions: with the
//! same rule there, eng.testa lost 0.5 F1 (its ALL-CAPS headline lines name teams and
//! divisions the gazetteer does not hold), so only lead-ins are checked.

use super::people::{is_honorific, word_before};
use crate::nlp::ner::{EntityMention, NerModel};
use crate::nlp::text::{Doc, Paragraph, Span};
use rustc_hash::FxHashSet;

/// How a headline (or a paragraph) is capitalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Casing {
    /// Ordinary text: capitals mark names and sentence starts.
    Sentence,
    /// Most words capitalised ("How Winter Wreaks Havoc").
    Title,
    /// Letters in upper case ("PUTIN MEETS MERKEL").
    Caps,
}

/// The casing of a stretch of text. Title Case needs three words of four letters or more,
/// three quarters of them capitalised; ALL CAPS, eight letters, nine in ten upper case.
pub fn casing(text: &str) -> Casing {
    let (mut upper, mut letters) = (0usize, 0usize);
    let (mut long, mut capitalised) = (0usize, 0usize);
    for word in text.split_whitespace() {
        let mut n = 0;
        for c in word.chars().filter(|c| c.is_alphabetic()) {
            n += 1;
            letters += 1;
            upper += usize::from(c.is_uppercase());
        }
        if n >= 4 {
            long += 1;
            capitalised += usize::from(
                word.chars()
                    .find(|c| c.is_alphabetic())
                    .is_some_and(char::is_uppercase),
            );
        }
    }
    if letters >= 8 && upper * 10 >= letters * 9 {
        Casing::Caps
    } else if long >= 3 && capitalised * 4 >= long * 3 {
        Casing::Title
    } else {
        Casing::Sentence
    }
}

/// Does a word start with two capitals in a row (shouted: "HIGH-powered", "OAKES")?
fn shouted_word(word: &str) -> bool {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    matches!((letters.next(), letters.next()), (Some(a), Some(b)) if a.is_uppercase() && b.is_uppercase())
}

/// Words that vouch for a name: from the mentions in ordinary text, lower-cased, every word
/// without its dots and the initials of multi-word names.
fn support(text: &str, mentions: &[EntityMention], shouted: &[bool], into: &mut FxHashSet<String>) {
    for (m, &s) in mentions.iter().zip(shouted) {
        if s {
            continue;
        }
        let surface = m.span.slice(text);
        let mut initials = String::new();
        for w in surface.split_whitespace() {
            into.insert(w.replace('.', "").to_lowercase());
            initials.extend(w.chars().next().filter(|c| c.is_uppercase()));
        }
        if initials.chars().count() >= 2 {
            into.insert(initials.to_lowercase());
        }
    }
}

fn supported(text: &str, span: Span, words: &FxHashSet<String>, model: &NerModel) -> bool {
    let surface = span.slice(text);
    let last = surface
        .split_whitespace()
        .last()
        .map(|w| w.replace('.', "").to_lowercase())
        .unwrap_or_default();
    words.contains(&last)
        || model.knows(surface)
        || word_before(text, span.start).is_some_and(is_honorific)
}

/// Where the lead-in in capitals of a paragraph ends, if it has one: its first tokens with
/// no lower-case letter, up to the first token with one, which must go on in lower case
/// after two words or more ("LAURIE OAKES IS ... political") or be the shouted word itself
/// ("A HIGH-powered"). A line all in capitals (a dateline, a heading) has no lead-in, nor has
/// one acronym before the sentence goes on ("UN officials said").
fn lead_in_end(body: &Doc, para: &Paragraph) -> Option<usize> {
    let tokens = &body.tokens[para.tokens.clone()];
    let r = tokens
        .iter()
        .position(|t| t.text(body.text).chars().any(char::is_lowercase))?;
    let w = tokens[r].text(body.text);
    let words_before = tokens[..r]
        .iter()
        .filter(|t| t.text(body.text).chars().any(char::is_alphabetic))
        .count();
    let goes_on = (words_before >= 2 && w.starts_with(char::is_lowercase))
        || (r >= 1 && shouted_word(w) && w.contains('-'));
    goes_on.then_some(tokens[r].span.end)
}

/// Which body mentions are in a lead-in in capitals ([`lead_in_end`]) and shouted. Each
/// paragraph is looked at once, so the work is linear in the body.
fn shouted_body(body: &Doc, mentions: &[EntityMention]) -> Vec<bool> {
    let mut out = Vec::with_capacity(mentions.len());
    let mut p = 0;
    // The lead-in end of paragraph `p`, computed once.
    let mut cached: Option<(usize, Option<usize>)> = None;
    for m in mentions {
        while p < body.paragraphs.len() && body.paragraphs[p].span.end <= m.span.start {
            p += 1;
        }
        let Some(para) = body.paragraphs.get(p) else {
            out.push(false);
            continue;
        };
        if !shouted_word(m.span.slice(body.text)) {
            out.push(false);
            continue;
        }
        let end = match cached {
            Some((q, end)) if q == p => end,
            _ => {
                let end = lead_in_end(body, para);
                cached = Some((p, end));
                end
            }
        };
        out.push(end.is_some_and(|e| m.span.start < e));
    }
    out
}

/// Drop the mentions of a Title Case or ALL-CAPS headline, and of shouted body text, that
/// nothing supports.
pub fn drop_unsupported(
    title: &str,
    title_mentions: &mut Vec<EntityMention>,
    body: &Doc,
    body_mentions: &mut Vec<EntityMention>,
    model: &NerModel,
) {
    let title_shouted = casing(title) != Casing::Sentence;
    let body_shouted = shouted_body(body, body_mentions);
    if !title_shouted && !body_shouted.iter().any(|s| *s) {
        return;
    }
    let mut words = FxHashSet::default();
    support(body.text, body_mentions, &body_shouted, &mut words);
    if title_shouted {
        title_mentions.retain(|m| supported(title, m.span, &words, model));
    } else {
        support(
            title,
            title_mentions,
            &vec![false; title_mentions.len()],
            &mut words,
        );
    }
    let mut k = 0;
    body_mentions.retain(|m| {
        let keep = !body_shouted[k] || supported(body.text, m.span, &words, model);
        k += 1;
        keep
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casings() {
        assert_eq!(casing("How Winter Wreaks Havoc On Pipes"), Casing::Title);
        assert_eq!(casing("PUTIN MEETS MERKEL"), Casing::Caps);
        assert_eq!(
            casing("Kremlin says Russia is ready to mediate between the US and Iran"),
            Casing::Sentence
        );
        assert_eq!(casing("Trump Wins"), Casing::Sentence);
    }

    #[test]
    fn shouted_words() {
        assert!(shouted_word("HIGH-powered"));
        assert!(shouted_word("OAKES"));
        assert!(!shouted_word("Oakes"));
        assert!(!shouted_word("A"));
    }
}
