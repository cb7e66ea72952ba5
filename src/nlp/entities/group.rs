//! Grouping: turns the recognizer's mentions (title and body) into entities, so that
//! "Trump" and "Donald Trump", "US" and "United States", "Peskow" and "Dmitri Peskow" are one
//! entity each. Two phases over a union-find of mentions: the same form, then a shorter form
//! joining the longer one it abbreviates. People get care of their own: a surname that
//! several people in the article share ("Meadows": a congressman, his wife, his brother) is
//! given mention by mention to the one the context points to, never used to merge the
//! family; a title before it ("Rep. Meadows") picks the person introduced with that title;
//! a first name alone ("Zoe") joins the only full name that starts with it; post-nominals
//! ("Neil Ford QC") are not part of the name. Salience is scored in [`super::salience`].

use super::people::{is_title, word_before};
use super::salience;
use crate::nlp::analysis::{Entity, EntityLabel, Field, Mention};
use crate::nlp::ner::EntityMention;
use crate::nlp::text::Span;
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;

/// A mention with what grouping needs to know about it.
pub(super) struct Item<'a> {
    pub field: Field,
    pub span: Span,
    pub label: EntityLabel,
    /// Surface text as written.
    pub text: &'a str,
    /// Lower-cased words, apostrophes unified, dots dropped: comparison form.
    pub words: Vec<String>,
    /// Position in reading order, 0 = title start; body mentions follow title ones.
    pub order: usize,
    /// The title written right before the name ("Rep.", "Mr"), if any.
    pub title: Option<&'a str>,
    /// The whole field (title or body) the mention is in: its context is read only when a
    /// mislabelled surname could join a person.
    pub context: &'a str,
}

impl Item<'_> {
    /// Do the words around it say it is not a person's name ("the Ford plant", "Ford Inc")?
    fn not_person(&self) -> bool {
        self.label != EntityLabel::Person && super::labels::cues(self.context, self.span).not_person
    }
}

/// Letters after a person's name that are not part of it (comparison form: lower case, no
/// dots).
const POST_NOMINALS: [&str; 17] = [
    "qc", "kc", "mp", "msp", "mep", "obe", "mbe", "cbe", "kbe", "dbe", "phd", "md", "jr", "sr",
    "ii", "iii", "esq",
];

fn same_title(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
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

/// Do the short mention's words stand at the end of the long one's (a surname, the end of an
/// organisation's name)? A first name used alone is rarer, so only the end counts.
fn is_suffix(short: &[String], long: &[String]) -> bool {
    short.len() < long.len() && long.ends_with(short)
}

/// Union-find over mentions; the root of a set is its earliest mention, which fixes the
/// entity's order of appearance.
struct Sets {
    parent: Vec<usize>,
}

impl Sets {
    fn new(n: usize) -> Sets {
        Sets {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }

    /// The sets, each a list of members, in order of first appearance.
    fn groups(mut self) -> Vec<Vec<usize>> {
        let n = self.parent.len();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut slot: Vec<Option<usize>> = vec![None; n];
        for i in 0..n {
            let root = self.find(i);
            let g = *slot[root].get_or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
        groups
    }
}

/// One distinct (words, label) form and the reading-order positions of its mentions.
struct Form<'a> {
    first: usize,
    orders: Vec<usize>,
    /// The titles its mentions were written with.
    titles: Vec<&'a str>,
}

/// Group mentions into entities, most salient first. `lead_end` is the byte offset where the
/// body's first paragraph ends: salience weights the title and the lead.
pub fn group(
    title: &str,
    title_mentions: &[EntityMention],
    body: &str,
    body_mentions: &[EntityMention],
    lead_end: usize,
) -> Vec<Entity> {
    group_counting(title, title_mentions, body, body_mentions, lead_end).0
}

/// [`group`], also returning the candidate forms examined (read by the linearity test).
fn group_counting(
    title: &str,
    title_mentions: &[EntityMention],
    body: &str,
    body_mentions: &[EntityMention],
    lead_end: usize,
) -> (Vec<Entity>, usize) {
    let items = items(title, title_mentions, body, body_mentions);
    let mut sets = Sets::new(items.len());
    let (forms, form_of) = forms(&items);
    let index = FormIndex::new(&items, &forms);
    let shared = shared_surnames(&items, &forms, &index);
    for (i, &f) in form_of.iter().enumerate() {
        if !shared[f] {
            sets.union(i, forms[f].first);
        }
    }
    let work = join_short_forms(&items, &forms, &form_of, &index, &mut sets);
    let groups = sets.groups();
    let weights = salience::Weights::new(body.len(), lead_end);
    let entities = groups
        .iter()
        .map(|members| {
            let members = || members.iter().map(|&i| &items[i]);
            let mut mentions: Vec<Mention> = members()
                .map(|it| Mention {
                    field: it.field,
                    span: it.span,
                })
                .collect();
            mentions.sort_by_key(|m| (m.field, m.span));
            let score = members().map(|it| weights.of(it.field, it.span)).sum();
            let entity = Entity {
                text: fullest_text(members()),
                label: group_label(members()),
                salience: 0.0,
                sentiment: 0.0,
                mentions,
            };
            (score, entity)
        })
        .collect();
    (salience::rank(entities), work)
}

fn items<'a>(
    title: &'a str,
    title_mentions: &[EntityMention],
    body: &'a str,
    body_mentions: &[EntityMention],
) -> Vec<Item<'a>> {
    let mut items: Vec<Item> = Vec::with_capacity(title_mentions.len() + body_mentions.len());
    for (field, text, mentions) in [
        (Field::Title, title, title_mentions),
        (Field::Body, body, body_mentions),
    ] {
        for m in mentions {
            let surface = m.span.slice(text);
            let mut words = normalize_words(surface);
            if m.label == EntityLabel::Person {
                while words.len() > 1
                    && words
                        .last()
                        .is_some_and(|w| POST_NOMINALS.contains(&w.as_str()))
                {
                    words.pop();
                }
            }
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
                title: word_before(text, m.span.start).filter(|w| is_title(w)),
                context: text,
            });
        }
    }
    items
}

/// Phase 1: the same words with the same label are the same entity. (Merging across labels
/// cost 0.7 F1 on eng.testa: a town and its football club share a name.) Returns the forms
/// and each item's form; the caller unites them.
fn forms<'a>(items: &[Item<'a>]) -> (Vec<Form<'a>>, Vec<usize>) {
    let mut forms: Vec<Form> = Vec::new();
    let mut form_of: Vec<usize> = Vec::with_capacity(items.len());
    let mut index: FxHashMap<(&[String], EntityLabel), usize> = FxHashMap::default();
    for item in items {
        let f = match index.entry((&item.words[..], item.label)) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                e.insert(forms.len());
                forms.push(Form {
                    first: item.order,
                    orders: Vec::new(),
                    titles: Vec::new(),
                });
                forms.len() - 1
            }
        };
        forms[f].orders.push(item.order);
        if let Some(t) = item.title {
            if !forms[f].titles.iter().any(|x| same_title(x, t)) {
                forms[f].titles.push(t);
            }
        }
        form_of.push(f);
    }
    (forms, form_of)
}

/// Longer forms by their last word, by their initials (organisations and places) and, for
/// people, by their first word.
struct FormIndex<'a> {
    by_last: FxHashMap<&'a str, Vec<usize>>,
    by_initials: FxHashMap<String, Vec<usize>>,
    by_first: FxHashMap<&'a str, Vec<usize>>,
}

impl<'a> FormIndex<'a> {
    fn new(items: &'a [Item<'a>], forms: &[Form]) -> FormIndex<'a> {
        let mut index = FormIndex {
            by_last: FxHashMap::default(),
            by_initials: FxHashMap::default(),
            by_first: FxHashMap::default(),
        };
        for (f, form) in forms.iter().enumerate() {
            let long = &items[form.first];
            if long.words.len() >= 2 {
                index
                    .by_last
                    .entry(long.words[long.words.len() - 1].as_str())
                    .or_default()
                    .push(f);
                if matches!(long.label, EntityLabel::Org | EntityLabel::Loc) {
                    index
                        .by_initials
                        .entry(initials(long.text))
                        .or_default()
                        .push(f);
                }
                if long.label == EntityLabel::Person {
                    index
                        .by_first
                        .entry(long.words[0].as_str())
                        .or_default()
                        .push(f);
                }
            }
        }
        index
    }
}

/// One-word forms that are the surname of two or more people in the article: their mentions
/// are not one entity by form, each goes to its own person.
fn shared_surnames(items: &[Item], forms: &[Form], index: &FormIndex) -> Vec<bool> {
    forms
        .iter()
        .map(|form| {
            let short = &items[form.first];
            short.words.len() == 1
                && index
                    .by_last
                    .get(short.words[0].as_str())
                    .is_some_and(|fs| {
                        fs.iter()
                            .filter(|&&f| items[forms[f].first].label == EntityLabel::Person)
                            .count()
                            >= 2
                    })
        })
        .collect()
}

/// Phase 2: a shorter name joins the longer one it abbreviates: a surname (PERSON), the end
/// of an organisation's name, or an acronym. When several longer names fit, one introduced
/// with the same title wins ("Rep. Meadows" -> "Rep. Mark Meadows"), then the nearest one
/// before it (the article introduced that person last). A one-word person name that
/// abbreviates nothing joins the only full name it is the first name of ("Zoe" -> "Zoe
/// Anderson"). Candidate forms are looked up by last word, initials and first word, and at
/// most [`MAX_CANDIDATES`] of them are examined, so a long article full of names stays
/// linear. Returns the candidates examined (the work the bound keeps linear).
fn join_short_forms(
    items: &[Item],
    forms: &[Form],
    form_of: &[usize],
    index: &FormIndex,
    sets: &mut Sets,
) -> usize {
    let mut work = 0;
    let no_candidates = Vec::new();
    for (i, short) in items.iter().enumerate() {
        let last = short.words[short.words.len() - 1].as_str();
        let by_suffix = index.by_last.get(last).unwrap_or(&no_candidates);
        let by_acronym = match short.label {
            EntityLabel::Org | EntityLabel::Loc => {
                let compact: String = short.text.chars().filter(|c| *c != '.').collect();
                index.by_initials.get(&compact).unwrap_or(&no_candidates)
            }
            _ => &no_candidates,
        };
        // (form, the key that ranks it: same title, a mention before `short`, nearness)
        let mut best: Option<(usize, (bool, bool, usize))> = None;
        for &f in nearest(by_suffix, forms, short.order).iter().chain(nearest(
            by_acronym,
            forms,
            short.order,
        )) {
            work += 1;
            if f == form_of[i] {
                continue;
            }
            let long = &items[forms[f].first];
            let orders = &forms[f].orders;
            let k = orders.partition_point(|&o| o < short.order);
            let before = k > 0;
            if !abbreviates(short, long, before) {
                continue;
            }
            let titled = short
                .title
                .is_some_and(|t| forms[f].titles.iter().any(|x| same_title(x, t)));
            // Both before: the nearest; both after: the first.
            let nearness = if before {
                orders[k - 1]
            } else {
                usize::MAX - orders[0]
            };
            let key = (titled, before, nearness);
            if best.is_none_or(|(_, b)| key > b) {
                best = Some((f, key));
            }
        }
        let joined = best.map(|(f, _)| f).or_else(|| {
            if short.label != EntityLabel::Person || short.words.len() != 1 {
                return None;
            }
            work += 1;
            match index
                .by_first
                .get(short.words[0].as_str())
                .map(Vec::as_slice)
            {
                Some(&[f]) if f != form_of[i] => Some(f),
                _ => None,
            }
        });
        if let Some(f) = joined {
            sets.union(i, forms[f].first);
        }
    }
    work
}

/// Candidate forms examined per mention, at most: the ones introduced nearest before it (and
/// the first after). Forty people who share a surname are already a crowd; without a bound, an
/// article of thousands of them would cost the square of its length.
const MAX_CANDIDATES: usize = 32;

/// The candidates (in order of first appearance) worth examining for a mention at `order`.
fn nearest<'c>(candidates: &'c [usize], forms: &[Form], order: usize) -> &'c [usize] {
    if candidates.len() <= MAX_CANDIDATES {
        return candidates;
    }
    let k = candidates.partition_point(|&f| forms[f].first < order);
    let end = (k + 1).min(candidates.len());
    &candidates[end.saturating_sub(MAX_CANDIDATES)..end]
}

/// Particles that start a surname ("La Canfora", "van Gogh", "de Klerk"): a two-word surname.
fn is_particle(word: &str) -> bool {
    matches!(
        word,
        "la" | "le"
            | "de"
            | "da"
            | "di"
            | "del"
            | "della"
            | "van"
            | "von"
            | "der"
            | "du"
            | "al"
            | "el"
            | "bin"
            | "ibn"
            | "abu"
            | "mc"
            | "mac"
            | "st"
            | "san"
            | "dos"
            | "das"
            | "ter"
    )
}

/// Does `short` abbreviate `long` (a form with a mention `before` it or not)?
fn abbreviates(short: &Item, long: &Item, before: bool) -> bool {
    let suffix_fits = long.words.len() > short.words.len()
        && match (short.label, long.label) {
            (EntityLabel::Person, EntityLabel::Person) => is_suffix(&short.words, &long.words),
            // A surname the recognizer mislabelled ("Peskow" as ORG after "Dmitri Peskow",
            // "La Canfora" ORG after "Jason La Canfora") is still that person, unless the
            // words around it say otherwise ("the Ford plant"). In the body the person must
            // have been named before it; the title sums up the whole article ("Nigeria's
            // Buhari to visit ..." over "President Muhammadu Buhari").
            (_, EntityLabel::Person) => {
                (short.words.len() == 1 || is_particle(&short.words[0]))
                    && (before || short.field == Field::Title)
                    && is_suffix(&short.words, &long.words)
                    && !short.not_person()
            }
            (EntityLabel::Org, EntityLabel::Org) if short.words.len() >= 2 => {
                is_suffix(&short.words, &long.words)
            }
            _ => false,
        };
    suffix_fits || (short.label == long.label && acronym_of(short, long))
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

    fn people(entities: &[Entity], body: &str) -> Vec<(String, Vec<String>)> {
        entities
            .iter()
            .map(|e| {
                (
                    e.text.clone(),
                    e.mentions
                        .iter()
                        .map(|m| m.span.slice(body).to_owned())
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn a_shared_surname_never_merges_a_family() {
        let body = "Rep. Mark Meadows spoke. His wife Debbie Meadows agreed. Meadows left. \
                    His brother Scott Meadows stayed. Rep. Meadows returned. Meadows smiled.";
        let m = mentions(
            body,
            &[
                ("Mark Meadows", Person),
                ("Debbie Meadows", Person),
                ("Meadows", Person),
                ("Scott Meadows", Person),
                ("Meadows", Person),
                ("Meadows", Person),
            ],
        );
        let entities = group("", &[], body, &m, 10);
        let got = people(&entities, body);
        assert_eq!(entities.len(), 3, "{got:?}");
        let count = |name: &str| {
            entities
                .iter()
                .find(|e| e.text == name)
                .map(|e| e.mentions.len())
                .unwrap_or(0)
        };
        // "Meadows" after Debbie goes to her (the last named); "Rep. Meadows" to the
        // congressman introduced with that title; the last one to the last named, Scott.
        assert_eq!(count("Mark Meadows"), 2, "{got:?}");
        assert_eq!(count("Debbie Meadows"), 2, "{got:?}");
        assert_eq!(count("Scott Meadows"), 2, "{got:?}");
    }

    #[test]
    fn a_first_name_alone_joins_the_only_full_name_it_starts() {
        let body = "Zoe Anderson, 12, and Tom Price went out. Zoe said hello. Tom Hill and \
                    Tom Price left. Tom stayed.";
        let m = mentions(
            body,
            &[
                ("Zoe Anderson", Person),
                ("Tom Price", Person),
                ("Zoe", Person),
                ("Tom Hill", Person),
                ("Tom Price", Person),
                ("Tom", Person),
            ],
        );
        let entities = group("", &[], body, &m, 10);
        let got = people(&entities, body);
        let zoe = entities.iter().find(|e| e.text == "Zoe Anderson").unwrap();
        assert_eq!(zoe.mentions.len(), 2, "{got:?}");
        // Two Toms: "Tom" alone is ambiguous and stays apart.
        assert!(entities.iter().any(|e| e.text == "Tom"), "{got:?}");
    }

    #[test]
    fn a_mislabelled_surname_joins_its_person_unless_a_cue_says_otherwise() {
        // The title sums up the article: its "Buhari" (ORG) is the president named in the
        // body. "La Canfora" is a two-word surname. "the Ford plant" is not Henry Ford.
        let title = "Nigeria's Buhari to visit the east";
        let body = "President Muhammadu Buhari will travel. Jason La Canfora reported it, and \
                    La Canfora said more. Henry Ford built cars; the Ford plant closed.";
        let tm = mentions(title, &[("Nigeria", Loc), ("Buhari", Org)]);
        let bm = mentions(
            body,
            &[
                ("Muhammadu Buhari", Person),
                ("Jason La Canfora", Person),
                ("La Canfora", Org),
                ("Henry Ford", Person),
                ("Ford", Org),
            ],
        );
        let entities = group(title, &tm, body, &bm, 40);
        let got: Vec<(&str, &str, usize)> = entities
            .iter()
            .map(|e| (e.text.as_str(), e.label.as_str(), e.mentions.len()))
            .collect();
        for expected in [
            ("Muhammadu Buhari", "PERSON", 2),
            ("Jason La Canfora", "PERSON", 2),
            ("Henry Ford", "PERSON", 1),
            ("Ford", "ORG", 1),
        ] {
            assert!(got.contains(&expected), "{expected:?} in {got:?}");
        }
    }

    #[test]
    fn post_nominals_are_not_part_of_the_name() {
        let body = "Neil Ford QC presided. Judge Ford said the case was grave.";
        let m = mentions(body, &[("Neil Ford QC", Person), ("Ford", Person)]);
        let entities = group("", &[], body, &m, 10);
        assert_eq!(entities.len(), 1, "{:?}", people(&entities, body));
        assert_eq!(entities[0].text, "Neil Ford QC");
    }

    #[test]
    fn grouping_stays_linear_when_thousands_share_a_surname() {
        // 50,000 different Smiths and 50,000 bare "Smith" (1 MB): every bare one could go to any
        // of them; the work must grow with the article, not with its square.
        let mut body = String::new();
        let mut names = Vec::new();
        for k in 0..50_000 {
            let full = format!("P{k} Smith");
            let s = body.len();
            body.push_str(&full);
            names.push((Span::new(s, s + full.len()), Person));
            body.push_str(" met ");
            let s = body.len();
            body.push_str("Smith");
            names.push((Span::new(s, s + 5), Person));
            body.push_str(". ");
        }
        assert!(body.len() > 1_000_000);
        let m: Vec<EntityMention> = names
            .iter()
            .map(|(span, label)| EntityMention {
                span: *span,
                label: *label,
            })
            .collect();
        let (entities, work) = group_counting("", &[], &body, &m, 10);
        assert_eq!(entities.len(), 50_000);
        assert!(
            work <= m.len() * (MAX_CANDIDATES + 2),
            "work {work} for {} mentions",
            m.len()
        );
        // Each bare Smith went to the Smith just named.
        assert!(entities.iter().all(|e| e.mentions.len() == 2));
    }
}
