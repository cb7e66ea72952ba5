//! People's titles and roles around their names: "Mr Shapps", "Judge Ford", "Supt Peters",
//! "Supreme Leader of Iran, Ayatollah Ali Khamenei". A title joins the person but is not part
//! of the name (as in CoNLL-2003: "Mr." is outside the PER chunk); a role in apposition to a
//! named person is not an organisation of its own.

use super::compounds::ArticleNames;
use crate::nlp::analysis::EntityLabel;
use crate::nlp::ner::{EntityMention, NerModel};
use crate::nlp::text::wordset::WordSet;
use crate::nlp::text::Span;
use std::sync::LazyLock;

/// Honorifics that say the next name is a person's, whatever the recognizer thought ("Ms
/// Truss" ORG, "Supt Peters" ORG). Compared without a final period.
static HONORIFICS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "judge", "justice", "supt", "det",
        "insp", "sgt", "cllr", "sen", "rep", "gov", "rev", "messrs",
    ])
});

/// Titles and ranks that stand before a person's name without being part of it. A person
/// mention that starts with one loses it ("President Trump" -> "Trump").
static TITLES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "judge",
        "justice",
        "supt",
        "superintendent",
        "det",
        "detective",
        "insp",
        "inspector",
        "sgt",
        "sergeant",
        "cllr",
        "councillor",
        "sen",
        "senator",
        "rep",
        "representative",
        "congressman",
        "congresswoman",
        "gov",
        "governor",
        "president",
        "vice-president",
        "chancellor",
        "minister",
        "secretary",
        "ambassador",
        "mayor",
        "rev",
        "reverend",
        "bishop",
        "archbishop",
        "cardinal",
        "pope",
        "rabbi",
        "imam",
        "ayatollah",
        "sheikh",
        "king",
        "queen",
        "prince",
        "princess",
        "gen",
        "col",
        "colonel",
        "lt",
        "capt",
        "captain",
        "maj",
        "adm",
        "admiral",
        "cmdr",
        "commander",
        "constable",
        "coach",
        "messrs",
    ])
});

/// Head words of a role ("Supreme Leader of Iran", "Foreign Minister", "Chief Executive").
static ROLES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "leader",
        "president",
        "minister",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chairman",
        "chairwoman",
        "chair",
        "chief",
        "executive",
        "director",
        "governor",
        "mayor",
        "ambassador",
        "king",
        "queen",
        "prince",
        "princess",
        "commissioner",
        "speaker",
        "head",
        "premier",
        "chancellor",
        "envoy",
        "general",
        "commander",
        "secretary-general",
    ])
});

fn bare(word: &str) -> &str {
    word.strip_suffix('.').unwrap_or(word)
}

/// Is `word` ("Mr", "Mr.", "Supt") an honorific that makes the next name a person's?
pub fn is_honorific(word: &str) -> bool {
    word.starts_with(char::is_uppercase) && HONORIFICS.contains(bare(word))
}

/// Is `word` a title or rank written before a person's name?
pub fn is_title(word: &str) -> bool {
    word.starts_with(char::is_uppercase) && TITLES.contains(bare(word))
}

/// The word right before `start` (after spaces), if any.
pub fn word_before(text: &str, start: usize) -> Option<&str> {
    let head = text[..start].trim_end_matches(' ');
    if head.len() == start && start > 0 {
        return None; // not separated by a space: part of another token
    }
    let from = head
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '“' || c == '"')
        .map_or(0, |i| {
            i + head[i..].chars().next().map_or(1, char::len_utf8)
        });
    let w = &head[from..];
    (!w.is_empty()).then_some(w)
}

/// Titles off the front of people's names, and the label PERSON for a name after an
/// honorific. A mention that starts with an honorific is a person's ("Mr Shapps" ORG ->
/// "Shapps" PERSON); one the recognizer labelled PERSON also loses other titles
/// ("President Trump" -> "Trump"). A name right after an honorific outside the span is a
/// person's too ("Supt" + "Peters" ORG).
pub fn strip_titles(text: &str, mentions: &mut [EntityMention]) {
    for m in mentions.iter_mut() {
        loop {
            let surface = m.span.slice(text);
            let Some((first, rest)) = surface.split_once(' ') else {
                break;
            };
            let honorific = is_honorific(first);
            if !(honorific || (m.label == EntityLabel::Person && is_title(first))) {
                break;
            }
            let rest_start = m.span.end - rest.len();
            let skip = rest.len() - rest.trim_start().len();
            m.span = Span::new(rest_start + skip, m.span.end);
            if honorific {
                m.label = EntityLabel::Person;
            }
        }
        if m.label != EntityLabel::Person
            && word_before(text, m.span.start).is_some_and(is_honorific)
        {
            m.label = EntityLabel::Person;
        }
    }
}

/// A role in apposition to a named person is not an entity of its own: "the Supreme Leader
/// of Iran, Ayatollah Ali Khamenei" has a person and a country, not an ORG "Supreme Leader of
/// Iran". Such a mention (not PERSON, a role word before its "of", next to a person's
/// mention with only a comma or a space between) is replaced by the name after its "of",
/// labelled as the article or the gazetteer labels it, or dropped.
pub fn drop_roles(
    text: &str,
    mentions: &mut Vec<EntityMention>,
    names: &ArticleNames,
    model: &NerModel,
) {
    let beside_person = |i: usize, mentions: &[EntityMention]| {
        let m = mentions[i];
        // A comma or a space, and titles that are not part of the name ("of Iran,
        // Ayatollah Ali Khamenei").
        let gap_ok = |g: &str| {
            let rest = g.strip_prefix(',').unwrap_or(g);
            rest.starts_with(' ') && rest.split_whitespace().all(is_title)
        };
        let next = mentions.get(i + 1).filter(|n| {
            n.label == EntityLabel::Person && text.get(m.span.end..n.span.start).is_some_and(gap_ok)
        });
        let prev = i.checked_sub(1).map(|p| mentions[p]).filter(|p| {
            p.label == EntityLabel::Person
                && text
                    .get(p.span.end..m.span.start)
                    .is_some_and(|g| g == ", ")
        });
        next.is_some() || prev.is_some()
    };
    let mut out = Vec::with_capacity(mentions.len());
    for i in 0..mentions.len() {
        let m = mentions[i];
        let surface = m.span.slice(text);
        let (head, of) = match surface.split_once(" of ") {
            Some((h, o)) => (h, Some(o)),
            None => (surface, None),
        };
        let is_role = m.label != EntityLabel::Person
            && head.split(' ').any(|w| ROLES.contains(w))
            && beside_person(i, mentions);
        if !is_role {
            out.push(m);
            continue;
        }
        let Some(of) = of else { continue };
        let of = of.strip_prefix("the ").unwrap_or(of);
        let label = names.label(of).or_else(|| model.known_name(of));
        if let Some(label) = label {
            out.push(EntityMention {
                span: Span::new(m.span.end - of.len(), m.span.end),
                label,
            });
        }
    }
    *mentions = out;
}

/// A word written like a name: a capital, then lower-case letters ("Adaeze", "McAfee").
fn name_shaped(w: &str) -> bool {
    w.starts_with(char::is_uppercase)
        && w.chars().all(char::is_alphabetic)
        && w.chars().any(char::is_lowercase)
}

/// A double-barrelled surname makes its name a person's: "Adaeze Okonkwo-Reyes" is not an
/// organisation, though the hyphen looks like "Hewlett-Packard". A mention of two or three
/// words, all name-shaped, the last two name-shaped parts joined by one hyphen, one of them a
/// known surname, the first word no place or organisation the gazetteer or training data
/// knows, and the whole no known phrase, is labelled PERSON.
pub fn double_barrelled(text: &str, mentions: &mut [EntityMention], model: &NerModel) {
    for m in mentions.iter_mut() {
        if m.label == EntityLabel::Person {
            continue;
        }
        let surface = m.span.slice(text);
        if !surface.contains('-') {
            continue;
        }
        let words: Vec<&str> = surface.split(' ').collect();
        if !(2..=3).contains(&words.len()) {
            continue;
        }
        let (last, given) = words.split_last().expect("two or three words");
        let Some((a, b)) = last.split_once('-') else {
            continue;
        };
        let fits = name_shaped(a)
            && name_shaped(b)
            && given.iter().all(|w| name_shaped(w))
            && (model.known_surname(a) || model.known_surname(b))
            && model
                .known_name(given[0])
                .is_none_or(|l| l == EntityLabel::Person)
            && !model.knows(surface);
        if fits {
            m.label = EntityLabel::Person;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str, name: &str, label: EntityLabel) -> EntityMention {
        let s = text.find(name).unwrap();
        EntityMention {
            span: Span::new(s, s + name.len()),
            label,
        }
    }

    #[test]
    fn titles_come_off_and_honorifics_make_people() {
        let text = "Mr Shapps met President Trump and Supt Peters.";
        let mut ms = [
            m(text, "Mr Shapps", EntityLabel::Org),
            m(text, "President Trump", EntityLabel::Person),
            m(text, "Peters", EntityLabel::Org),
        ];
        strip_titles(text, &mut ms);
        let got: Vec<(&str, EntityLabel)> =
            ms.iter().map(|x| (x.span.slice(text), x.label)).collect();
        assert_eq!(
            got,
            [
                ("Shapps", EntityLabel::Person),
                ("Trump", EntityLabel::Person),
                ("Peters", EntityLabel::Person)
            ]
        );
    }

    #[test]
    fn a_company_named_general_keeps_its_name() {
        let text = "General Motors said";
        let mut ms = [m(text, "General Motors", EntityLabel::Org)];
        strip_titles(text, &mut ms);
        assert_eq!(ms[0].span.slice(text), "General Motors");
        assert_eq!(ms[0].label, EntityLabel::Org);
    }

    #[test]
    fn the_word_before_a_span() {
        let text = "said Mr. Powers";
        assert_eq!(word_before(text, 9), Some("Mr."));
        assert_eq!(word_before(text, 0), None);
        assert_eq!(word_before("US-backed", 3), None);
    }
}
