//! One label per name in an article: what the words around a mention say about the name
//! (a person's pronoun after it, a title or "the" before it, "Inc" after it), and the vote
//! that gives every mention of a name the label the article uses it with.

use super::fixups::kind_before;
use crate::nlp::analysis::EntityLabel;
use crate::nlp::ner::EntityMention;
use crate::nlp::text::wordset::WordSet;
use crate::nlp::text::Span;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// Pronouns that only a person takes ("Odinga said he", "Beyonce also lent her support").
static PERSONAL_PRONOUNS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "he", "him", "his", "himself", "she", "her", "hers", "herself",
    ])
});

/// Words right after a name that make it a company's or a party's ("Ford Inc", "Ennahda
/// party"), compared without a final period.
static ORG_AFTER: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "inc", "corp", "ltd", "llc", "plc", "co", "party", "shares", "stock",
    ])
});

/// Words after a name read for a pronoun, at most: a bounded window, so the cue costs the
/// same for every mention whatever the article's length.
const CUE_WINDOW: usize = 6;

/// What the words around a mention say about the name, whatever its label.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Cues {
    /// A title before it ("Mr", "President") or a personal pronoun after it, with only
    /// lower-case words between, in the same sentence ("Schmidt because of his").
    pub person: bool,
    /// "the" right before it, a company or party word right after it ("Ford Inc", "the
    /// Ennahda party"), "its" after it as above, or "X said in a statement".
    pub not_person: bool,
}

/// The [`Cues`] of the mention at `span` in `text`; reads at most [`CUE_WINDOW`] words after
/// it.
pub fn cues(text: &str, span: Span) -> Cues {
    let mut cues = Cues::default();
    if let Some(w) = super::people::word_before(text, span.start) {
        cues.person = super::people::is_title(w);
        cues.not_person = w == "the" || kind_before(text, span).is_some();
    }
    let after = text.get(span.end..).unwrap_or("");
    if after.starts_with(" said in a statement") {
        cues.not_person = true;
    }
    for (k, raw) in after.split_whitespace().take(CUE_WINDOW).enumerate() {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if k == 0 && raw.starts_with(char::is_alphabetic) && ORG_AFTER.contains(w) {
            cues.not_person = true;
            break;
        }
        if PERSONAL_PRONOUNS.contains(w) && w.starts_with(char::is_lowercase) {
            cues.person = true;
            break;
        }
        if w == "its" {
            cues.not_person = true;
            break;
        }
        let ends_sentence = raw.ends_with(['.', '!', '?', ';', ':']);
        if w.is_empty() || !w.starts_with(char::is_lowercase) || ends_sentence {
            break;
        }
    }
    cues
}

/// One label per name in an article. A name the recognizer labelled MISC in some places and
/// PERSON, ORG or LOC in others ("the West" LOC and MISC, "Ennahda" MISC and LOC) takes the
/// label of most of its mentions (ties: the first one's). A name labelled PERSON in some
/// places and otherwise in others ("Odinga" ORG x5 and PERSON, "Beyonce" ORG and PERSON)
/// takes the label of a vote where a mention's [`cues`] weigh more than its label: a person
/// cue ("Odinga said he") is three votes for PERSON, a non-person cue ("the Bitcoin network")
/// three for its own label and none for PERSON. When the article gives both kinds of cue it
/// really uses the name both ways and the labels stay. ORG beside LOC is left as it is: a
/// town and its football club, a country and its team, really are used both ways.
pub fn one_label_per_name(fields: &mut [(&str, &mut Vec<EntityMention>)]) {
    #[derive(Default)]
    struct Tally {
        counts: [u32; 4],
        votes: [u32; 4],
        person_cues: u32,
        other_cues: u32,
        first: Option<EntityLabel>,
    }
    impl Tally {
        fn labels(&self) -> usize {
            self.counts.iter().filter(|c| **c > 0).count()
        }
        fn person_mixed(&self) -> bool {
            self.counts[EntityLabel::Person as usize] > 0 && self.labels() >= 2
        }
    }
    // Each name once (lower case), each mention's name by index.
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    let mut tallies: Vec<Tally> = Vec::new();
    let mut name_of: Vec<Vec<usize>> = Vec::with_capacity(fields.len());
    for (text, mentions) in fields.iter() {
        let mut names = Vec::with_capacity(mentions.len());
        for m in mentions.iter() {
            let next = tallies.len();
            let k = *index
                .entry(m.span.slice(text).to_lowercase())
                .or_insert(next);
            if k == next {
                tallies.push(Tally::default());
            }
            let t = &mut tallies[k];
            t.first.get_or_insert(m.label);
            t.counts[m.label as usize] += 1;
            names.push(k);
        }
        name_of.push(names);
    }
    // The context is read only for names labelled PERSON and otherwise.
    for ((text, mentions), names) in fields.iter().zip(&name_of) {
        for (m, &k) in mentions.iter().zip(names) {
            let t = &mut tallies[k];
            if !t.person_mixed() {
                continue;
            }
            let c = cues(text, m.span);
            let l = m.label as usize;
            if c.person && !c.not_person {
                t.person_cues += 1;
                t.votes[EntityLabel::Person as usize] += 3;
            } else if c.not_person && !c.person {
                t.other_cues += 1;
                if m.label != EntityLabel::Person {
                    t.votes[l] += 3;
                }
            } else {
                t.votes[l] += 1;
            }
        }
    }
    for ((_, mentions), names) in fields.iter_mut().zip(&name_of) {
        for (m, &k) in mentions.iter_mut().zip(names) {
            let t = &tallies[k];
            let first = t.first.unwrap_or(m.label);
            let best_by = |weights: &[u32; 4]| {
                EntityLabel::ALL
                    .into_iter()
                    .max_by_key(|l| (weights[*l as usize], *l == first))
                    .unwrap_or(first)
            };
            if t.person_mixed() {
                if t.person_cues > 0 && t.other_cues > 0 {
                    continue; // used both ways
                }
                m.label = best_by(&t.votes);
            } else if t.counts[EntityLabel::Misc as usize] > 0 && t.labels() == 2 {
                m.label = best_by(&t.counts);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::entities::fixups::tests::{find, labels};

    #[test]
    fn a_person_cue_outvotes_the_labels() {
        use EntityLabel::*;
        // Mislabelled ORG twice, but "said he" and "his" make it a person's name.
        let text = "Supporters of Odinga marched. Aides to Odinga were named. Odinga said he \
                    would stay, and Odinga kept his post.";
        let mut mentions = find(
            text,
            &[
                ("Odinga", Org),
                ("Odinga", Org),
                ("Odinga", Person),
                ("Odinga", Org),
            ],
        );
        one_label_per_name(&mut [(text, &mut mentions)]);
        assert_eq!(labels(&mentions), [Person; 4]);
    }

    #[test]
    fn a_non_person_cue_outvotes_a_stray_person_label() {
        use EntityLabel::*;
        let text = "Bitcoin fell. Bitcoin rose. The price of the Bitcoin network held.";
        let mut mentions = find(
            text,
            &[("Bitcoin", Person), ("Bitcoin", Loc), ("Bitcoin", Loc)],
        );
        one_label_per_name(&mut [("", &mut Vec::new()), (text, &mut mentions)]);
        assert_eq!(labels(&mentions), [Loc; 3]);
    }

    #[test]
    fn a_name_used_both_ways_keeps_its_labels() {
        use EntityLabel::*;
        // The article names a man and the river: cues for both.
        let text = "Jordan said he was tired. Troops crossed the Jordan at dawn.";
        let mut mentions = find(text, &[("Jordan", Person), ("Jordan", Loc)]);
        one_label_per_name(&mut [(text, &mut mentions)]);
        assert_eq!(labels(&mentions), [Person, Loc]);
        // A town and its club (ORG beside LOC, no person) are left as they are too.
        let text = "Leeds beat Hull. Rain fell on Leeds.";
        let mut mentions = find(text, &[("Leeds", Org), ("Hull", Org), ("Leeds", Loc)]);
        one_label_per_name(&mut [(text, &mut mentions)]);
        assert_eq!(labels(&mentions), [Org, Org, Loc]);
    }

    #[test]
    fn cues_read_a_bounded_window_in_the_sentence() {
        let text = "Kerr because of his skill. Apple chief Tim Cook said he would. Ford Inc \
                    rose and the Ford plant closed. Smith left. He sat.";
        let at = |s: &str| {
            let a = text.find(s).unwrap();
            cues(text, Span::new(a, a + s.len()))
        };
        assert!(at("Kerr").person);
        // Another name between: the pronoun is not this mention's.
        assert!(!at("Apple").person);
        // "Ford Inc" (the first "Ford") and "the Ford plant".
        assert!(at("Ford").not_person && !at("Ford").person);
        let a = text.find("Ford plant").unwrap();
        assert!(cues(text, Span::new(a, a + 4)).not_person);
        // The sentence ends before the pronoun.
        assert!(!at("Smith").person);
    }
}
