//! What the text around a place name says about which place it is: a qualifier after a comma
//! ("Athens, Ga.", "Perth, Scotland", "Paris, Texas"), the word "state" after it
//! ("Washington state"), and the article's dateline ("ATHENS, Ga. (AP) —"). Each clue reads
//! a bounded window of text, so the work is linear in the number of mentions.

use super::index::{Candidate, PlaceIndex};
use crate::nlp::analysis::{Entity, Field, PlaceFeature};

/// Bytes read after a comma for a qualifier: "Democratic Republic of the Congo" fits.
const QUALIFIER_MAX_BYTES: usize = 40;
/// Words in a qualifier at most ("New South Wales", "Democratic Republic of Congo").
const QUALIFIER_MAX_WORDS: usize = 5;
/// Bytes of the body's opening read for a dateline ("SAN JUAN, Puerto Rico (AP) —").
const DATELINE_MAX_BYTES: usize = 60;
/// Places a qualifier may name at most ("Ga." is one; "Georgia" is a state and a country).
const MAX_QUALIFIER_PLACES: usize = 8;

/// Places named right after a mention, as in "Paris, Texas": the country or first-order
/// divisions a qualifier can name. Empty when the text after `end` is no qualifier.
pub fn qualifier_after(index: &PlaceIndex, text: &str, end: usize, key: &mut String) -> Vec<u32> {
    let rest = &text[end.min(text.len())..];
    let Some(rest) = rest.strip_prefix(", ").or_else(|| rest.strip_prefix(',')) else {
        return Vec::new();
    };
    let rest = rest.trim_start_matches(' ');
    // The capitalised words after the comma, each a candidate end of the qualifier.
    let mut ends = Vec::with_capacity(QUALIFIER_MAX_WORDS);
    let mut at = 0;
    let mut connectors = 0;
    for word in rest.split(' ').take(QUALIFIER_MAX_WORDS + 2) {
        let core = word.trim_end_matches([',', ';', ':', ')', '”', '"']);
        let first = core.chars().next();
        let capital = first.is_some_and(char::is_uppercase);
        let connector = matches!(core, "of" | "the" | "and" | "de" | "du");
        if at + core.len() > QUALIFIER_MAX_BYTES || !(capital || connector) {
            break;
        }
        if capital {
            ends.push(at + core.len());
        } else {
            connectors += 1;
        }
        if ends.len() + connectors >= QUALIFIER_MAX_WORDS || core.len() < word.len() {
            break;
        }
        at += word.len() + 1;
    }
    let mut places = Vec::new();
    // Longest first: "New South Wales" before "New".
    for &end in ends.iter().rev() {
        index.normalise(&rest[..end], key);
        places.extend(
            index
                .lookup(key)
                .filter(|c| is_qualifier(index, c))
                .map(|c| c.place)
                .take(MAX_QUALIFIER_PLACES),
        );
        if !places.is_empty() {
            break;
        }
    }
    places
}

fn is_qualifier(index: &PlaceIndex, c: &Candidate) -> bool {
    c.flags & super::index::flags::ADJECTIVE == 0
        && matches!(
            index.place(c.place).feature,
            PlaceFeature::Country | PlaceFeature::Admin1
        )
}

/// Whether the mention ending at `end` is followed by "state" ("Washington state").
pub fn state_word_after(text: &str, end: usize) -> bool {
    let rest = &text[end.min(text.len())..];
    let rest = rest.strip_prefix(' ').unwrap_or("");
    let word = rest
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    word.eq_ignore_ascii_case("state")
}

/// Bytes read before a mention for the capitalised word that may begin its full name.
const NAME_WORD_MAX_BYTES: usize = 24;

/// The capitalised word right before the mention starting at `start`, one space between
/// ("Democratic" before "Republic of the Congo", "People's" before "Republic of China"):
/// recognition sometimes leaves the first word of a long name out. Reads at most
/// [`NAME_WORD_MAX_BYTES`] bytes.
pub fn name_word_before(text: &str, start: usize) -> Option<&str> {
    let start = start.min(text.len());
    let head = window(text, start.saturating_sub(NAME_WORD_MAX_BYTES + 1), start);
    let head = head.strip_suffix(' ')?;
    let from = head
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphabetic() || c == '\'' || c == '’')
        .last()
        .map(|(i, _)| i)?;
    let word = &head[from..];
    // The window may have cut a longer word: then it is no whole word.
    let whole = from > 0 || head.len() < NAME_WORD_MAX_BYTES;
    (whole && word.chars().next().is_some_and(char::is_uppercase)).then_some(word)
}

/// Words that, right after a place name, make it part of a disease's or pathogen's name:
/// "West Nile virus", "Reston ebolavirus", "Rift Valley fever", "Hong Kong flu".
const DISEASE_WORDS: [&str; 8] = [
    "virus",
    "viruses",
    "ebolavirus",
    "fever",
    "flu",
    "influenza",
    "disease",
    "encephalitis",
];
/// Bytes read after a mention for a disease word (the longest word above, and a separator).
const DISEASE_MAX_BYTES: usize = 14;

/// Whether the mention ending at `end` is followed by a disease word ("Marburg virus",
/// "West Nile-virus"): the name is then the disease's, not the place.
pub fn disease_word_after(text: &str, end: usize) -> bool {
    let rest = window(text, end, end + 1 + DISEASE_MAX_BYTES);
    let Some(rest) = rest.strip_prefix([' ', '-']) else {
        return false;
    };
    let word = rest
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    word.len() < DISEASE_MAX_BYTES && DISEASE_WORDS.iter().any(|d| word.eq_ignore_ascii_case(d))
}

/// Whether every mention of `entity` is followed by a disease word: the entity names a
/// disease ("West Nile" of "West Nile virus"), whatever place it is named after.
pub fn disease_named(title: &str, body: &str, entity: &Entity) -> bool {
    !entity.mentions.is_empty()
        && entity.mentions.iter().all(|m| {
            let text = if m.field == Field::Title { title } else { body };
            disease_word_after(text, m.span.end)
        })
}

/// Longest acronym, in letters ("UN", "WHO", "FDA").
const MAX_ACRONYM: usize = 3;
/// Bytes read on each side of a mention, within its line, for a lower-case letter.
const CASE_WINDOW_BYTES: usize = 24;
/// Words before a mention that use the name as a place ("in NSW", "regional NSW").
const PLACE_WORDS_BEFORE: [&str; 11] = [
    "in",
    "from",
    "across",
    "throughout",
    "near",
    "regional",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
];
/// Words after a mention that use the name as a place or its government ("NSW government",
/// "Texas officials").
const PLACE_WORDS_AFTER: [&str; 9] = [
    "government",
    "officials",
    "authorities",
    "state",
    "province",
    "residents",
    "police",
    "health",
    "department",
];

/// Bytes read on each side of a mention for the word next to it.
const WORD_WINDOW_BYTES: usize = 16;

/// `text[from..to]`, clamped to the text and widened to character boundaries.
fn window(text: &str, from: usize, to: usize) -> &str {
    let (mut from, mut to) = (from.min(text.len()), to.min(text.len()));
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    while !text.is_char_boundary(to) {
        to += 1;
    }
    &text[from..to]
}

/// Whether `name` has the shape of an acronym: two to [`MAX_ACRONYM`] capital letters, dots
/// allowed ("UN", "FDA", "U.S.").
pub fn is_acronym(name: &str) -> bool {
    let letters = name.chars().filter(|c| *c != '.').count();
    (2..=MAX_ACRONYM).contains(&letters) && name.chars().all(|c| c == '.' || c.is_ascii_uppercase())
}

/// Whether `entity` is an acronym written in running text: its name has an acronym's shape
/// and some mention has a lower-case letter near it on its line (a line in capitals, a
/// dateline or a results table, writes every name so).
pub fn acronym(title: &str, body: &str, entity: &Entity) -> bool {
    is_acronym(&entity.text)
        && entity.mentions.iter().any(|m| {
            let text = if m.field == Field::Title { title } else { body };
            let before = window(
                text,
                m.span.start.saturating_sub(CASE_WINDOW_BYTES),
                m.span.start,
            );
            let after = window(text, m.span.end, m.span.end + CASE_WINDOW_BYTES);
            let before = before.rsplit('\n').next().unwrap_or("");
            let after = after.split('\n').next().unwrap_or("");
            before.chars().chain(after.chars()).any(char::is_lowercase)
        })
}

/// Whether some mention of `entity` is used as a place by the words around it: "in NSW",
/// "regional NSW", "the NSW government", "Texas officials". Each reads one word each side.
pub fn used_as_place(title: &str, body: &str, entity: &Entity) -> bool {
    entity.mentions.iter().any(|m| {
        let text = if m.field == Field::Title { title } else { body };
        let start = m.span.start;
        let before = window(text, start.saturating_sub(WORD_WINDOW_BYTES), start)
            .trim_end_matches(' ')
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        let end = m.span.end;
        let after = window(text, end, end + WORD_WINDOW_BYTES)
            .trim_start_matches(' ')
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        PLACE_WORDS_BEFORE
            .iter()
            .any(|w| before.eq_ignore_ascii_case(w))
            || PLACE_WORDS_AFTER
                .iter()
                .any(|w| after.eq_ignore_ascii_case(w))
    })
}

/// The dateline of a body: its opening place in capitals, optionally with a qualifier, before
/// a dash or an agency in parentheses: "ATHENS, Ga. (AP) —", "LONDON (Reuters) -",
/// "WASHINGTON —". Returns the byte span of the place name.
pub fn dateline(body: &str) -> Option<(usize, usize)> {
    let head = body.trim_start();
    let offset = body.len() - head.len();
    let mut cut = head.len().min(DATELINE_MAX_BYTES);
    while !head.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &head[..cut];
    let stop = ["—", "–", " - ", "--", "("]
        .iter()
        .filter_map(|s| head.find(s))
        .min()?;
    let name_end = head[..stop].find(',').unwrap_or(stop);
    let name = head[..name_end].trim_end();
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = name.chars().all(|c| !c.is_lowercase());
    (letters >= 3 && capitals && name.split(' ').count() <= 4)
        .then_some((offset, offset + name.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> &'static PlaceIndex {
        crate::nlp::places::tests::index()
    }

    fn qualifier_names(text: &str, end: usize) -> Vec<(&'static str, PlaceFeature)> {
        let mut key = String::new();
        qualifier_after(index(), text, end, &mut key)
            .into_iter()
            .map(|p| (index().place(p).name, index().place(p).feature))
            .collect()
    }

    #[test]
    fn qualifiers_after_a_comma_name_states_and_countries() {
        let t = "He grew up in Athens, Ga., and left.";
        assert_eq!(
            qualifier_names(t, t.find(',').unwrap()),
            [("Georgia", PlaceFeature::Admin1)]
        );
        let t = "in Perth, Scotland on Monday";
        assert_eq!(
            qualifier_names(t, t.find(',').unwrap()),
            [("Scotland", PlaceFeature::Admin1)]
        );
        let t = "Paris, Texas.";
        assert_eq!(qualifier_names(t, 5), [("Texas", PlaceFeature::Admin1)]);
        let t = "Kinshasa, Democratic Republic of the Congo, said";
        assert_eq!(qualifier_names(t, 8)[0].1, PlaceFeature::Country);
        // A comma before a clause is no qualifier.
        let t = "in Paris, where he lives";
        assert!(qualifier_names(t, 8).is_empty());
        let t = "Paris, Smith said";
        assert!(qualifier_names(t, 5).is_empty());
    }

    #[test]
    fn the_state_word_and_datelines_are_found() {
        assert!(state_word_after("Washington state officials", 10));
        assert!(!state_word_after("Washington statement", 10));
        let body = "ATHENS, Ga. (AP) — A man was arrested.";
        assert_eq!(dateline(body), Some((0, 6)));
        assert_eq!(dateline("LONDON (Reuters) - Shares fell."), Some((0, 6)));
        assert_eq!(dateline("WASHINGTON — The Senate voted."), Some((0, 10)));
        assert_eq!(dateline("The Senate voted (again) on Monday."), None);
    }

    fn entity(text: &str, name: &str) -> Entity {
        use crate::nlp::analysis::{EntityLabel, Mention};
        use crate::nlp::text::Span;
        Entity {
            text: name.into(),
            label: EntityLabel::Org,
            salience: 0.0,
            sentiment: 0.0,
            mentions: text
                .match_indices(name)
                .map(|(at, _)| Mention {
                    field: Field::Body,
                    span: Span::new(at, at + name.len()),
                })
                .collect(),
        }
    }

    #[test]
    fn acronyms_in_running_text_are_told_from_lines_in_capitals() {
        let t = "Aid came, the UN said.";
        assert!(acronym("", t, &entity(t, "UN")));
        assert!(acronym(
            "",
            "WHO officials met.",
            &entity("WHO officials met.", "WHO")
        ));
        // A dateline or a results line writes every name in capitals.
        let t = "ULM 1996-08-22\nThe club said";
        assert!(!acronym("", t, &entity(t, "ULM")));
        let t = "Police in Bonn said.";
        assert!(!acronym("", t, &entity(t, "Bonn")));
        assert!(is_acronym("U.S.") && !is_acronym("BONN") && !is_acronym("A"));
    }

    #[test]
    fn words_around_a_name_tell_a_place_from_a_team() {
        for t in [
            "Horses in NSW were ill.",
            "The NSW government acted.",
            "Florida officials said.",
        ] {
            let name = if t.contains("NSW") { "NSW" } else { "Florida" };
            assert!(used_as_place("", t, &entity(t, name)), "{t}");
        }
        for t in ["Florida beat Colorado 5-3.", "at Florida on Sunday"] {
            assert!(!used_as_place("", t, &entity(t, "Florida")), "{t}");
        }
    }

    #[test]
    fn the_words_around_a_mention_are_read_in_bounded_windows() {
        // Were the whole line read, "in" a megabyte before and the lower case a megabyte after
        // would count; each clue reads a fixed number of bytes, so a mention costs O(1).
        let far = " ".repeat(1 << 20);
        let t = format!("in{far}NSW{}x", "Y".repeat(1 << 20));
        assert!(!used_as_place("", &t, &entity(&t, "NSW")));
        assert!(!acronym("", &t, &entity(&t, "NSW")));
        let t = format!("Marburg {}virus", "v".repeat(1 << 20));
        assert!(!disease_word_after(&t, 7));
    }

    #[test]
    fn the_capitalised_word_before_a_name_is_found_in_a_bounded_window() {
        let text = "in the Democratic Republic of the Congo";
        let at = text.find("Republic").unwrap();
        assert_eq!(name_word_before(text, at), Some("Democratic"));
        let text = "The People's Republic of China";
        assert_eq!(
            name_word_before(text, text.find("Republic").unwrap()),
            Some("People's")
        );
        assert_eq!(name_word_before("in the Congo", 7), None, "lower case");
        assert_eq!(name_word_before("Congo", 0), None, "nothing before");
        assert_eq!(
            name_word_before("Democratic  Congo", 12),
            None,
            "two spaces"
        );
        // A word longer than the window is not cut into a false word.
        let long = format!("{}ville Congo", "A".repeat(40));
        assert_eq!(name_word_before(&long, long.len() - 5), None);
    }

    #[test]
    fn a_disease_word_after_a_name_is_found() {
        assert!(disease_word_after("the West Nile virus spread", 13));
        assert!(disease_word_after("Reston ebolavirus (ERV)", 6));
        assert!(disease_word_after("Rift Valley Fever cases", 11));
        assert!(disease_word_after("Marburg-virus", 7));
        assert!(!disease_word_after("Marburg, Germany", 7));
        assert!(!disease_word_after("Reston officials", 6));
        assert!(!disease_word_after("Marburg", 7));
    }
}
