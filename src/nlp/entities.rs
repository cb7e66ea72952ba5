//! Entity grouping: turns the recognizer's mentions (title and body) into entities, so that
//! "Trump" and "Donald Trump", "US" and "United States", "Peskow" and "Dmitri Peskow" are one
//! entity each, and scores each entity's salience.

use crate::nlp::ner::{EntityLabel, EntityMention};
use crate::nlp::text::Span;
use crate::nlp::{Entity, Field, Mention};
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;

/// A mention with what grouping needs to know about it.
struct Item<'a> {
    field: Field,
    span: Span,
    label: EntityLabel,
    /// Surface text as written.
    text: &'a str,
    /// Lower-cased words, apostrophes unified, dots dropped: comparison form.
    words: Vec<String>,
    /// Position in reading order, 0 = title start; body mentions follow title ones.
    order: usize,
}

fn normalize_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .filter(|c| *c != '.')
                .map(|c| if c == '’' || c == '‘' { '\'' } else { c })
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// "US" for "United States", "UN" for "United Nations": the initials of the capitalised words.
fn initials(text: &str) -> String {
    text.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

fn acronym_of(short: &Item, long: &Item) -> bool {
    let compact: String = short.text.chars().filter(|c| *c != '.').collect();
    compact.chars().count() >= 2
        && compact.chars().all(|c| c.is_uppercase())
        && long.words.len() >= 2
        && initials(long.text) == compact
}

/// Do the short mention's words stand at the end (a surname) or the start (a first name used
/// alone is rarer, so only the end counts for people) of the long one's?
fn is_suffix(short: &[String], long: &[String]) -> bool {
    short.len() < long.len() && long.ends_with(short)
}

/// Group mentions into entities. `title_len` and `body_len` are the byte lengths of the two
/// fields and `lead_end` the byte offset where the body's first paragraph ends; they weight
/// salience toward the title and the lead.
pub fn group(
    title: &str,
    title_mentions: &[EntityMention],
    body: &str,
    body_mentions: &[EntityMention],
    lead_end: usize,
) -> Vec<Entity> {
    let mut items: Vec<Item> = Vec::with_capacity(title_mentions.len() + body_mentions.len());
    for (field, text, mentions) in [
        (Field::Title, title, title_mentions),
        (Field::Body, body, body_mentions),
    ] {
        for m in mentions {
            let surface = m.span.slice(text);
            let words = normalize_words(surface);
            if words.is_empty() {
                continue;
            }
            items.push(Item {
                field,
                span: m.span,
                label: m.label,
                text: surface,
                words,
                order: items.len(),
            });
        }
    }

    // Union-find over mentions.
    let mut parent: Vec<usize> = (0..items.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let union = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (find(parent, a), find(parent, b));
        if ra != rb {
            // Keep the earlier mention as the root: it fixes the entity's order of appearance.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent[hi] = lo;
        }
    };

    // 1. The same words with the same label are the same entity. (Merging across labels
    //    cost 0.7 F1 on eng.testa: a town and its football club share a name.) Each distinct
    //    form keeps the reading-order positions of its mentions.
    struct Form {
        first: usize,
        orders: Vec<usize>,
    }
    let mut forms: Vec<Form> = Vec::new();
    let mut form_of: Vec<usize> = Vec::with_capacity(items.len());
    let mut form_index: FxHashMap<(&[String], EntityLabel), usize> = FxHashMap::default();
    for (i, item) in items.iter().enumerate() {
        match form_index.entry((&item.words[..], item.label)) {
            Entry::Occupied(e) => {
                let f = *e.get();
                forms[f].orders.push(item.order);
                form_of.push(f);
                union(&mut parent, i, forms[f].first);
            }
            Entry::Vacant(e) => {
                e.insert(forms.len());
                form_of.push(forms.len());
                forms.push(Form {
                    first: i,
                    orders: vec![item.order],
                });
            }
        }
    }
    // 2. A shorter name joins the longer one it abbreviates: a surname (PERSON), the end of an
    //    organisation's name, or an acronym. When several longer names fit, the nearest one
    //    before it wins (the article introduced that person last). Candidate forms are looked
    //    up by last word and by initials, so a long article full of names stays linear.
    let mut by_last: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut by_initials: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (f, form) in forms.iter().enumerate() {
        let long = &items[form.first];
        if long.words.len() >= 2 {
            by_last
                .entry(long.words[long.words.len() - 1].as_str())
                .or_default()
                .push(f);
            if matches!(long.label, EntityLabel::Org | EntityLabel::Loc) {
                by_initials.entry(initials(long.text)).or_default().push(f);
            }
        }
    }
    let no_candidates = Vec::new();
    for (i, short) in items.iter().enumerate() {
        let last = short.words[short.words.len() - 1].as_str();
        let by_suffix = by_last.get(last).unwrap_or(&no_candidates);
        let by_acronym = match short.label {
            EntityLabel::Org | EntityLabel::Loc => {
                let compact: String = short.text.chars().filter(|c| *c != '.').collect();
                by_initials.get(&compact).unwrap_or(&no_candidates)
            }
            _ => &no_candidates,
        };
        // (form, mention of it nearest before `short`, or its first one after)
        let mut best: Option<(usize, bool, usize)> = None;
        for &f in by_suffix.iter().chain(by_acronym) {
            if f == form_of[i] {
                continue;
            }
            let long = &items[forms[f].first];
            let orders = &forms[f].orders;
            let k = orders.partition_point(|&o| o < short.order);
            let (before, position) = if k > 0 {
                (true, orders[k - 1])
            } else {
                (false, orders[0])
            };
            let suffix_fits = long.words.len() > short.words.len()
                && match (short.label, long.label) {
                    (EntityLabel::Person, EntityLabel::Person) => {
                        is_suffix(&short.words, &long.words)
                    }
                    // A surname the recognizer mislabelled ("Peskow" as ORG after "Dmitri
                    // Peskow") is still that person.
                    (_, EntityLabel::Person) => {
                        short.words.len() == 1 && before && is_suffix(&short.words, &long.words)
                    }
                    (EntityLabel::Org, EntityLabel::Org) if short.words.len() >= 2 => {
                        is_suffix(&short.words, &long.words)
                    }
                    _ => false,
                };
            let fits = suffix_fits || (short.label == long.label && acronym_of(short, long));
            if !fits {
                continue;
            }
            let better = match best {
                None => true,
                Some((_, best_before, best_position)) => match (before, best_before) {
                    (true, false) => true,
                    (false, true) => false,
                    // Both before: the nearest; both after: the first.
                    (true, true) => position > best_position,
                    (false, false) => position < best_position,
                },
            };
            if better {
                best = Some((f, before, position));
            }
        }
        if let Some((f, _, _)) = best {
            union(&mut parent, i, forms[f].first);
        }
    }

    // Collect groups in order of first appearance.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut slot: Vec<Option<usize>> = vec![None; items.len()];
    for i in 0..items.len() {
        let root = find(&mut parent, i);
        let g = match slot[root] {
            Some(g) => g,
            None => {
                groups.push(Vec::new());
                slot[root] = Some(groups.len() - 1);
                groups.len() - 1
            }
        };
        groups[g].push(i);
    }

    let body_len = body.len().max(1);
    let lead_end = lead_end.max(1);
    let weight = |item: &Item| -> f64 {
        match item.field {
            // A name in the headline is what the story is about.
            Field::Title => 3.0,
            Field::Body if item.span.start < lead_end => 2.0,
            // Later mentions count less: news puts what matters first.
            Field::Body => 1.5 - item.span.start as f64 / body_len as f64,
        }
    };
    let mut entities: Vec<(f64, usize, Entity)> = groups
        .iter()
        .enumerate()
        .map(|(order, members)| {
            let score: f64 = members.iter().map(|&i| weight(&items[i])).sum();
            let label = group_label(members.iter().map(|&i| &items[i]));
            let text = fullest_text(members.iter().map(|&i| &items[i]));
            let mut mentions: Vec<Mention> = members
                .iter()
                .map(|&i| Mention {
                    field: items[i].field,
                    span: items[i].span,
                })
                .collect();
            mentions.sort_by_key(|m| (m.field, m.span));
            (
                score,
                order,
                Entity {
                    text,
                    label,
                    salience: 0.0,
                    sentiment: 0.0,
                    mentions,
                },
            )
        })
        .collect();
    let total: f64 = entities.iter().map(|e| e.0).sum();
    for (score, _, entity) in &mut entities {
        entity.salience = if total > 0.0 { *score / total } else { 0.0 };
    }
    // Most salient first; ties keep the order of appearance, so the output is deterministic.
    entities.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    entities.into_iter().map(|(_, _, e)| e).collect()
}

/// The label of a multi-word PERSON name when the group has one (a surname the recognizer
/// labelled otherwise joined it); else the most frequent label, ties to the first seen.
fn group_label<'a>(items: impl Iterator<Item = &'a Item<'a>> + Clone) -> EntityLabel {
    if items
        .clone()
        .any(|it| it.label == EntityLabel::Person && it.words.len() >= 2)
    {
        return EntityLabel::Person;
    }
    let mut counts = [0usize; 4];
    let mut first = None;
    for it in items {
        counts[it.label as usize] += 1;
        first.get_or_insert(it.label);
    }
    let first = first.expect("a group has a mention");
    EntityLabel::ALL
        .into_iter()
        .max_by_key(|l| (counts[*l as usize], *l == first))
        .unwrap_or(first)
}

/// The longest form, preferring the body's spelling over an ALL CAPS headline's.
fn fullest_text<'a>(items: impl Iterator<Item = &'a Item<'a>>) -> String {
    items
        .max_by_key(|it| {
            let mixed_case = it.text.chars().any(char::is_lowercase);
            (
                it.words.len(),
                mixed_case,
                it.field == Field::Body,
                it.text.len(),
            )
        })
        .map(|it| it.text.to_owned())
        .unwrap_or_default()
}

/// News organisations, cited in nearly every article ("told Reuters", "in an interview with
/// Bloomberg"), whose names are also surnames; the recognizer, trained on 1996 Reuters text,
/// has not seen most of them.
const NEWS_ORGANISATIONS: [&str; 24] = [
    "Reuters",
    "Bloomberg",
    "AFP",
    "Agence France-Presse",
    "Associated Press",
    "CNN",
    "BBC",
    "Xinhua",
    "Interfax",
    "Itar-Tass",
    "TASS",
    "RIA Novosti",
    "Al Jazeera",
    "Fox News",
    "MSNBC",
    "CNBC",
    "NPR",
    "Politico",
    "Axios",
    "New York Times",
    "Washington Post",
    "Wall Street Journal",
    "Financial Times",
    "Breitbart",
];

/// Name the news organisations the recognizer labelled otherwise as organisations.
pub fn label_news_organisations(text: &str, mentions: &mut [EntityMention]) {
    for m in mentions {
        if m.label != EntityLabel::Org && NEWS_ORGANISATIONS.contains(&m.span.slice(text)) {
            m.label = EntityLabel::Org;
        }
    }
}

/// Last words of organisation names that a nationality adjective belongs to: "Iranian
/// Foreign Ministry" is one organisation, though CoNLL-style labelling splits it into a MISC
/// adjective and an ORG.
const INSTITUTIONS: [&str; 16] = [
    "ministry",
    "embassy",
    "army",
    "navy",
    "government",
    "parliament",
    "police",
    "military",
    "cabinet",
    "presidency",
    "consulate",
    "guard",
    "guards",
    "forces",
    "judiciary",
    "mission",
];

/// Join a nationality adjective to the state institution it names ("Iranian" + "Foreign
/// Ministry" -> "Iranian Foreign Ministry", ORG). The two must be separated by one space.
pub fn join_institutions(text: &str, mentions: &mut Vec<EntityMention>) {
    let mut i = 0;
    while i + 1 < mentions.len() {
        let (a, b) = (mentions[i], mentions[i + 1]);
        let joined = a.label == EntityLabel::Misc
            && b.label == EntityLabel::Org
            && text.get(a.span.end..b.span.start) == Some(" ")
            && !a.span.slice(text).contains(' ')
            && b.span
                .slice(text)
                .rsplit(' ')
                .next()
                .is_some_and(|w| INSTITUTIONS.contains(&w.to_lowercase().as_str()));
        if joined {
            mentions[i] = EntityMention {
                span: Span::new(a.span.start, b.span.end),
                label: EntityLabel::Org,
            };
            mentions.remove(i + 1);
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentions(text: &str, names: &[(&str, EntityLabel)]) -> Vec<EntityMention> {
        let mut out = Vec::new();
        let mut from = 0;
        for (name, label) in names {
            let start = from + text[from..].find(name).expect("name in text");
            out.push(EntityMention {
                span: Span::new(start, start + name.len()),
                label: *label,
            });
            from = start + name.len();
        }
        out
    }

    use EntityLabel::*;

    #[test]
    fn surnames_acronyms_and_repeats_group() {
        let body = "Kremlin spokesman Dmitri Peskow met Donald Trump of the United States. \
                    Peskow said the US and Trump agreed. Trump left the Kremlin.";
        let m = mentions(
            body,
            &[
                ("Kremlin", Loc),
                ("Dmitri Peskow", Person),
                ("Donald Trump", Person),
                ("United States", Loc),
                ("Peskow", Person),
                ("US", Loc),
                ("Trump", Person),
                ("Trump", Person),
                ("Kremlin", Loc),
            ],
        );
        let entities = group("", &[], body, &m, 70);
        let summary: Vec<(&str, &str, usize)> = entities
            .iter()
            .map(|e| (e.text.as_str(), e.label.as_str(), e.mentions.len()))
            .collect();
        assert_eq!(entities.len(), 4, "{summary:?}");
        for expected in [
            ("Donald Trump", "PERSON", 3),
            ("Dmitri Peskow", "PERSON", 2),
            ("United States", "LOC", 2),
            ("Kremlin", "LOC", 2),
        ] {
            assert!(summary.contains(&expected), "{expected:?} in {summary:?}");
        }
        let sum: f64 = entities.iter().map(|e| e.salience).sum();
        assert!((sum - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_surname_joins_the_nearest_earlier_namesake() {
        let body = "Bill Clinton spoke. Hillary Clinton answered. Clinton smiled.";
        let m = mentions(
            body,
            &[
                ("Bill Clinton", Person),
                ("Hillary Clinton", Person),
                ("Clinton", Person),
            ],
        );
        let entities = group("", &[], body, &m, 10);
        let hillary = entities
            .iter()
            .find(|e| e.text == "Hillary Clinton")
            .unwrap();
        assert_eq!(hillary.mentions.len(), 2);
    }

    #[test]
    fn title_mentions_are_grouped_and_weigh_more() {
        let title = "PUTIN MEETS MERKEL";
        let body = "Angela Merkel met Vladimir Putin. Later Merkel flew home. Putin stayed. \
                    Merkel called.";
        let tm = mentions(title, &[("PUTIN", Person), ("MERKEL", Person)]);
        let bm = mentions(
            body,
            &[
                ("Angela Merkel", Person),
                ("Vladimir Putin", Person),
                ("Merkel", Person),
                ("Putin", Person),
                ("Merkel", Person),
            ],
        );
        let entities = group(title, &tm, body, &bm, 33);
        assert_eq!(entities.len(), 2);
        assert_eq!(entities[0].text, "Angela Merkel");
        assert_eq!(entities[0].mentions.len(), 4);
        assert_eq!(entities[0].mentions[0].field, Field::Title);
        assert_eq!(entities[1].text, "Vladimir Putin");
    }
}
