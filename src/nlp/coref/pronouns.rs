//! Pronoun resolution: `he`/`she`/`his`/`her` to the person the article last named who can
//! be its referent, `its` to the organisation just named, and descriptions to the person or
//! organisation they describe. Indexed lookups over the mentions outside quotations, bounded
//! by a window, so that a pronoun-dense article stays linear.

use super::mentions::Mentions;
use crate::nlp::quotes::words::{CUES, FEMALE, MALE};
use crate::nlp::text::chars::is_apostrophe;
use crate::nlp::text::{Doc, Sentence};
use std::cell::Cell;

/// Grammatical gender of a person as the article lets us tell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

/// Earlier person mentions a pronoun may look back over. An antecedent further back than
/// this many person mentions is not what a reader resolves `he` to; the bound keeps a
/// 1 MB name- and pronoun-dense article linear.
pub const ANTECEDENT_WINDOW: usize = 64;
/// `He said … He added …`: how many sentences opening with the same pronoun are skipped to
/// reach the name they all refer to.
const MAX_PRONOUN_CHAIN: u8 = 3;

/// The gender of a subject pronoun (`he`, `she`, also contracted: `He's`, `she'd`).
pub fn pronoun(word: &str) -> Option<Gender> {
    let w = word.split(is_apostrophe).next().unwrap_or(word);
    if w.eq_ignore_ascii_case("he") {
        Some(Gender::Male)
    } else if w.eq_ignore_ascii_case("she") {
        Some(Gender::Female)
    } else {
        None
    }
}

/// The gender of a third-person personal pronoun of any case (`he`, `him`, `his`,
/// `himself`, `she`, `her`, `hers`, `herself`, contracted too).
pub fn personal(word: &str) -> Option<Gender> {
    let w = word.split(is_apostrophe).next().unwrap_or(word);
    let is = |list: &[&str]| list.iter().any(|p| w.eq_ignore_ascii_case(p));
    if is(&["he", "him", "his", "himself"]) {
        Some(Gender::Male)
    } else if is(&["she", "her", "hers", "herself"]) {
        Some(Gender::Female)
    } else {
        None
    }
}

/// `its`: the possessive of an organisation or place (`it` itself is too often expletive or
/// a thing).
pub fn is_its(word: &str) -> bool {
    word.eq_ignore_ascii_case("its")
}

/// How many sentences back a description or `its` looks for what it refers to: `the
/// minister` two paragraphs after the last name is somebody else.
pub const NEAR_SENTENCES: usize = 3;

/// Pronoun resolution over one article's mentions.
pub struct Resolver<'a> {
    ments: &'a Mentions<'a>,
    /// The body's sentences, for "the sentence of this mention".
    sentences: &'a [Sentence],
    /// Indices into `ments.list` of the PERSON mentions outside quotations, in order.
    persons: Vec<usize>,
    /// Indices into `ments.list` of the other (ORG, LOC, MISC) mentions outside
    /// quotations, in order.
    orgs: Vec<usize>,
    /// Candidate mentions examined so far (the work the window bounds; read by tests).
    examined: Cell<usize>,
    /// Per entity: the he-family and she-family pronouns seen where it was the only person
    /// in view (see [`Resolver::with_pronoun_votes`]).
    votes: Vec<(u32, u32)>,
}

impl<'a> Resolver<'a> {
    pub fn new(ments: &'a Mentions<'a>, sentences: &'a [Sentence]) -> Resolver<'a> {
        let persons = (0..ments.list.len())
            .filter(|&i| {
                let (m, e) = ments.list[i];
                ments.is_person(e) && !ments.in_quote(&m)
            })
            .collect();
        let orgs = (0..ments.list.len())
            .filter(|&i| {
                let (m, e) = ments.list[i];
                !ments.is_person(e) && !ments.in_quote(&m)
            })
            .collect();
        Resolver {
            ments,
            sentences,
            persons,
            orgs,
            examined: Cell::new(0),
            votes: vec![(0, 0); ments.entities.len()],
        }
    }

    /// Learns the gender of people whose first name does not tell it from the article:
    /// in a sentence that names one person only (outside quotations), and in the next one
    /// when it names nobody, the pronouns after the name vote for that person's gender
    /// (`Gloria's eczema … her skin`). One pass over the tokens.
    pub fn with_pronoun_votes(mut self, doc: &Doc) -> Self {
        let ments = self.ments;
        let mut p = 0; // next person (index into `persons`)
        let mut current: Option<usize> = None; // the one person in view, if any
        for s in &doc.sentences {
            let lo = p;
            while p < self.persons.len() && ments.list[self.persons[p]].0.start < s.span.end {
                p += 1;
            }
            let named = &self.persons[lo..p];
            let first = named.first().map(|&i| ments.list[i].1);
            let one = first.filter(|&e| named.iter().all(|&i| ments.list[i].1 == e));
            let (from, who) = match (named.is_empty(), one) {
                (true, _) => (s.span.start, current.take()),
                (false, Some(e)) => (ments.list[named[0]].0.end, Some(e)),
                (false, None) => (s.span.end, None),
            };
            if let Some(e) = who {
                for t in &doc.tokens[s.tokens.clone()] {
                    if t.span.start < from || ments.in_quote(&t.span) {
                        continue;
                    }
                    // Subject pronouns only: `him`, `his gun` are often somebody else.
                    match pronoun(t.span.slice(doc.text)) {
                        Some(Gender::Male) => self.votes[e].0 += 1,
                        Some(Gender::Female) => self.votes[e].1 += 1,
                        _ => {}
                    }
                }
            }
            current = if named.is_empty() { None } else { one };
        }
        self
    }

    /// Candidate mentions examined by all the lookups so far.
    pub fn examined(&self) -> usize {
        self.examined.get()
    }

    /// The gender the article gives entity `e` as a whole: its first name (or the honorific
    /// it is named with), else the pronoun votes.
    pub fn entity_gender(&self, e: usize) -> Gender {
        let first = self.ments.entities[e]
            .text
            .split_whitespace()
            .next()
            .unwrap_or("");
        if FEMALE.contains(first) {
            Gender::Female
        } else if MALE.contains(first) {
            Gender::Male
        } else {
            match self.votes[e] {
                (m, f) if m > f => Gender::Male,
                (m, f) if f > m => Gender::Female,
                _ => Gender::Unknown,
            }
        }
    }

    /// The gender the article gives mention `i` of the list: an honorific right before the
    /// mention, else its entity's ([`Resolver::entity_gender`]).
    fn gender(&self, i: usize) -> Gender {
        let (m, e) = self.ments.list[i];
        let before = &self.ments.text[..m.start];
        if before.ends_with("Mrs. ") || before.ends_with("Ms. ") {
            Gender::Female
        } else if before.ends_with("Mr. ") {
            Gender::Male
        } else {
            self.entity_gender(e)
        }
    }

    fn compatible(&self, i: usize, pronoun: Gender) -> bool {
        self.examined.set(self.examined.get() + 1);
        !matches!(
            (pronoun, self.gender(i)),
            (Gender::Male, Gender::Female) | (Gender::Female, Gender::Male)
        )
    }

    /// Start of the sentence holding byte `pos`.
    fn sentence_start(&self, pos: usize) -> usize {
        let k = self.sentences.partition_point(|s| s.span.start <= pos);
        k.checked_sub(1).map_or(0, |k| self.sentences[k].span.start)
    }

    /// Start of the sentence [`NEAR_SENTENCES`] before the one holding byte `pos`.
    fn near_start(&self, pos: usize) -> usize {
        let k = self.sentences.partition_point(|s| s.span.start <= pos);
        k.checked_sub(1 + NEAR_SENTENCES)
            .map_or(0, |k| self.sentences[k].span.start)
    }

    /// `its` at byte `pos`: the last organisation named outside quotes in this sentence or
    /// the [`NEAR_SENTENCES`] before it.
    pub fn organisation(&self, pos: usize) -> Option<usize> {
        self.last_org(pos, self.near_start(pos), false)
    }

    /// The last ORG (`org_only`), else ORG, LOC or MISC mention from byte `from` to `pos`.
    fn last_org(&self, pos: usize, from: usize, org_only: bool) -> Option<usize> {
        let ments = self.ments;
        let end = self.orgs.partition_point(|&i| ments.list[i].0.start < pos);
        self.orgs[end.saturating_sub(ANTECEDENT_WINDOW)..end]
            .iter()
            .rev()
            .find(|&&i| {
                self.examined.set(self.examined.get() + 1);
                ments.list[i].0.start >= from
                    && (!org_only || super::is_org(ments.entities[ments.list[i].1].label))
            })
            .map(|&i| ments.list[i].1)
    }

    /// A description at byte `pos` (`the spokesman`: `person`; `the company`: not): the
    /// entity a pronoun there would refer to, if it was named in this sentence or the
    /// [`NEAR_SENTENCES`] before it.
    pub fn described(&self, pos: usize, person: bool, g: Gender) -> Option<usize> {
        let from = self.near_start(pos);
        if !person {
            return self.last_org(pos, from, true);
        }
        let entity = self.antecedent(pos, g)?;
        // The antecedent must be a name in reach, not one from far back.
        let ments = self.ments;
        let end = self
            .persons
            .partition_point(|&i| ments.list[i].0.start < pos);
        self.persons[end.saturating_sub(ANTECEDENT_WINDOW)..end]
            .iter()
            .rev()
            .take_while(|&&i| ments.list[i].0.start >= from)
            .any(|&i| {
                self.examined.set(self.examined.get() + 1);
                ments.list[i].1 == entity
            })
            .then_some(entity)
    }

    /// Antecedent of a pronoun of gender `g` at byte `pos`: the most recent compatible
    /// PERSON mention outside quotes, moved to the first compatible PERSON of that sentence,
    /// since the subject of the last sentence naming someone is the usual referent.
    pub fn antecedent(&self, pos: usize, g: Gender) -> Option<usize> {
        self.antecedent_from(pos, g, 0)
    }

    fn antecedent_from(&self, pos: usize, g: Gender, depth: u8) -> Option<usize> {
        let ments = self.ments;
        let end = self
            .persons
            .partition_point(|&i| ments.list[i].0.start < pos);
        let window = &self.persons[end.saturating_sub(ANTECEDENT_WINDOW)..end];
        // A possessive (`Trump’s influence`) is rarely what a `he` in a later sentence
        // refers to.
        // A woman the article names in the last few sentences beats a nearer person whose
        // gender it cannot tell (`Drew Cass … She had several ideas` after `Isabel`): news
        // names fewer women, so an unknown name is more often a man. (For `he` the same
        // rule skips the right unknown name too often: `Ban Ki-moon … he called`.)
        let from = self.near_start(pos);
        // Within the pronoun's own sentence a possessive is as good an antecedent as any
        // name (`Gloria's eczema was so severe that her skin broke`).
        let here = self.sentence_start(pos);
        let skipped = |i: usize| {
            let m = &ments.list[i].0;
            m.start < here && ments.possessive(m)
        };
        let woman = || {
            window
                .iter()
                .rev()
                .copied()
                .take_while(|&i| ments.list[i].0.start >= from)
                .find(|&i| {
                    self.examined.set(self.examined.get() + 1);
                    self.gender(i) == Gender::Female && !skipped(i)
                })
        };
        let idx = (g == Gender::Female)
            .then(woman)
            .flatten()
            .or_else(|| {
                window
                    .iter()
                    .rev()
                    .copied()
                    .find(|&i| self.compatible(i, g) && !skipped(i))
            })
            .or_else(|| {
                window
                    .iter()
                    .rev()
                    .copied()
                    .find(|&i| self.compatible(i, g))
            })?;
        let (m, entity) = ments.list[idx];
        // `Trump, Sexton said, has …`: a name that is itself the subject of a cue wins.
        let after = ments.text[m.end..].trim_start_matches([' ', ',']);
        let next = after
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        // `… said Jeffery Hemsley, an assistant professor`: the inverted subject of a cue.
        let before = ments.text[..m.start].trim_end_matches([' ', ',']);
        let prev = before
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        if CUES.contains(next) || CUES.contains(prev) {
            return Some(entity);
        }
        let ss = self.sentence_start(m.start);
        // `He lambasted the deal negotiated by Obama`: a sentence whose subject is the same
        // pronoun is about the pronoun's referent, not the name in it; look further back.
        if depth < MAX_PRONOUN_CHAIN && g != Gender::Unknown {
            let head = &ments.text[ss..];
            let opening = if g == Gender::Male { "He " } else { "She " };
            if head.starts_with(opening) {
                return self.antecedent_from(ss, g, depth + 1);
            }
        }
        // The first compatible person of that sentence (within the window).
        let lo = self
            .persons
            .partition_point(|&i| ments.list[i].0.start < ss);
        let hi = self.persons.partition_point(|&i| i < idx);
        let lo = lo.max(hi.saturating_sub(ANTECEDENT_WINDOW));
        self.persons[lo..hi]
            .iter()
            .copied()
            .find(|&i| self.compatible(i, g) && !ments.is_modifier(i))
            .map_or(Some(entity), |i| Some(ments.list[i].1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::analysis::{Entity, EntityLabel, Field, Mention};
    use crate::nlp::text::{Doc, Span};

    /// About 1 MB of names and pronouns in sentences, where no name fits the pronoun (every
    /// person is female, every pronoun `he`): the lookup that scanned back over every earlier
    /// mention did ~10^10 steps here.
    #[test]
    fn pronoun_lookups_stay_within_the_window_on_a_hostile_article() {
        let sentence = "Mary Smith met Acme. He left. ";
        let body = sentence.repeat(1_000_000 / sentence.len());
        let mut mary = Vec::new();
        let mut acme = Vec::new();
        for (i, _) in body.match_indices("Mary Smith") {
            mary.push(Span::new(i, i + 10));
        }
        for (i, _) in body.match_indices("Acme") {
            acme.push(Span::new(i, i + 4));
        }
        let entity = |text: &str, label, spans: Vec<Span>| Entity {
            text: text.into(),
            label,
            salience: 0.0,
            sentiment: 0.0,
            mentions: spans
                .into_iter()
                .map(|span| Mention {
                    field: Field::Body,
                    span,
                })
                .collect(),
        };
        let entities = [
            entity("Mary Smith", EntityLabel::Person, mary),
            entity("Acme", EntityLabel::Org, acme),
        ];
        let doc = Doc::new(&body);
        let ments = Mentions::new(&body, &entities, &[]);
        let resolver = Resolver::new(&ments, &doc.sentences);
        let pronouns: Vec<usize> = body.match_indices("He ").map(|(i, _)| i).collect();
        for &p in &pronouns {
            assert_eq!(resolver.antecedent(p, Gender::Male), None);
        }
        // Two window scans per pronoun at most (non-possessive, then any).
        assert!(
            resolver.examined() <= pronouns.len() * 2 * ANTECEDENT_WINDOW,
            "{} candidates for {} pronouns",
            resolver.examined(),
            pronouns.len()
        );
    }

    #[test]
    fn subject_pronouns_and_their_contractions() {
        assert_eq!(pronoun("He"), Some(Gender::Male));
        assert_eq!(pronoun("she’d"), Some(Gender::Female));
        assert_eq!(pronoun("He's"), Some(Gender::Male));
        assert_eq!(pronoun("they"), None);
        assert_eq!(pronoun("hello"), None);
        assert_eq!(pronoun("Shell"), None);
    }
}
