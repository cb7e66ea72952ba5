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
use crate::nlp::analysis::EntityLabel;
use crate::nlp::ner::{EntityMention, NerModel};
use crate::nlp::text::{Doc, Paragraph, Span};
use rustc_hash::FxHashMap;

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

/// Comparison form of a name: lower case, dots dropped, words joined by one space.
fn key(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| w.replace('.', "").to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Longest run of words looked for inside an unsupported mention.
const MAX_RUN: usize = 4;

/// The names that vouch for a shouted mention, with their labels: every mention in ordinary
/// text as a whole, each word of a person's name (a headline says "TRUMP"), and the initials
/// of a longer name ("US").
fn support(
    text: &str,
    mentions: &[EntityMention],
    shouted: &[bool],
    into: &mut FxHashMap<String, EntityLabel>,
) {
    for (m, &s) in mentions.iter().zip(shouted) {
        if s {
            continue;
        }
        let words: Vec<&str> = m.span.slice(text).split_whitespace().collect();
        into.entry(key(&words)).or_insert(m.label);
        if words.len() >= 2 {
            if m.label == EntityLabel::Person {
                for w in &words {
                    into.entry(key(&[w])).or_insert(m.label);
                }
            }
            let initials: String = words
                .iter()
                .filter_map(|w| w.chars().next())
                .filter(|c| c.is_uppercase())
                .collect();
            if initials.chars().count() >= 2 {
                into.entry(initials.to_lowercase()).or_insert(m.label);
            }
        }
    }
}

/// What is left of a shouted mention with support: the whole of it when the article names it
/// in ordinary text (with that label), the gazetteer knows it, or an honorific stands before
/// it; else the longest run of its words (up to [`MAX_RUN`]) that the article names
/// ("Verizon" in "Verizon Leaves Shareholders", "Texas" in "Rolling Blackouts Hit Texas");
/// else nothing.
fn supported(
    text: &str,
    m: &EntityMention,
    names: &FxHashMap<String, EntityLabel>,
    model: &NerModel,
) -> Option<EntityMention> {
    let surface = m.span.slice(text);
    let words: Vec<(usize, &str)> = surface
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - surface.as_ptr() as usize, w))
        .collect();
    let all: Vec<&str> = words.iter().map(|(_, w)| *w).collect();
    if let Some(label) = names.get(&key(&all)) {
        return Some(EntityMention {
            span: m.span,
            label: *label,
        });
    }
    if model.knows(surface) || word_before(text, m.span.start).is_some_and(is_honorific) {
        return Some(*m);
    }
    // A shouted person whose surname the article uses ("LAURIE OAKES ..." then "Oakes
    // said") is that person, first name and all.
    if m.label == EntityLabel::Person
        && all.len() >= 2
        && names.get(&key(&all[all.len() - 1..])) == Some(&EntityLabel::Person)
    {
        return Some(*m);
    }
    for len in (1..words.len().min(MAX_RUN + 1)).rev() {
        for i in 0..=words.len() - len {
            if let Some(label) = names.get(&key(&all[i..i + len])) {
                let (from, _) = words[i];
                let (last_at, last) = words[i + len - 1];
                let start = m.span.start + from;
                return Some(EntityMention {
                    span: Span::new(start, m.span.start + last_at + last.len()),
                    label: *label,
                });
            }
        }
    }
    None
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
    let mut names = FxHashMap::default();
    support(body.text, body_mentions, &body_shouted, &mut names);
    if title_shouted {
        *title_mentions = title_mentions
            .iter()
            .filter_map(|m| supported(title, m, &names, model))
            .collect();
    } else {
        support(
            title,
            title_mentions,
            &vec![false; title_mentions.len()],
            &mut names,
        );
    }
    *body_mentions = body_mentions
        .iter()
        .zip(&body_shouted)
        .filter_map(|(m, &shouted)| {
            if shouted {
                supported(body.text, m, &names, model)
            } else {
                Some(*m)
            }
        })
        .collect();
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
