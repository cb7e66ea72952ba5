//! What the text around a place name says about which place it is: a qualifier after a comma
//! ("Athens, Ga.", "Perth, Scotland", "Paris, Texas"), the word "state" after it
//! ("Washington state"), and the article's dateline ("ATHENS, Ga. (AP) —"). Each clue reads
//! a bounded window of text, so the work is linear in the number of mentions.

use super::index::{Candidate, PlaceIndex};
use crate::nlp::analysis::PlaceFeature;

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
}
