//! Names inside hyphenated compounds: "US-backed", "Russian-US", "pro-Kremlin",
//! "Moscow-based". The tokenizer keeps such a compound one token and the recognizer, trained
//! on CoNLL-2003 (which calls "Boston-based" MISC), labels it whole or not at all, so the
//! United States in "US-backed Israel" was never a mention of the United States. Each part
//! that is a name becomes a mention of its own, with offsets inside the token, and groups
//! with the other mentions of that name.
//!
//! A part is a name when the article vouches for it: it names it on its own elsewhere as a
//! person, organisation or place (the same word, a surname, the acronym of a longer name),
//! or, for a demonym ("Russian" when the article names Russia), beside such a name in the
//! same compound. The gazetteer alone is not enough: CoNLL-2003 annotates no name inside a
//! token, so every part found only through it ("London-based" in a story that names London
//! nowhere else) scores as a false positive there, and those cost eng.testa 0.2 F1. The
//! compound's own mention is kept when the recognizer gave it one (CoNLL's MISC for
//! "Boston-based"); a compound labelled PERSON, ORG or LOC ("Rolls-Royce", "Guinea-Bissau",
//! "Jean-Pierre") is a name in its own right and is not split.

use crate::nlp::analysis::EntityLabel;
use crate::nlp::ner::EntityMention;
use crate::nlp::text::chars::is_hyphen;
use crate::nlp::text::wordset::ABBREVIATIONS;
use crate::nlp::text::{flags, Span, Token};
use rustc_hash::FxHashMap;

/// Names the article itself uses, by lower-cased single word: a one-word mention, the
/// surname of a multi-word person, the acronym of a multi-word organisation or place.
pub struct ArticleNames {
    labels: FxHashMap<String, EntityLabel>,
}

impl ArticleNames {
    pub fn new(fields: &[(&str, &[EntityMention])]) -> ArticleNames {
        let mut labels: FxHashMap<String, EntityLabel> = FxHashMap::default();
        let mut demonyms_of_places: Vec<String> = Vec::new();
        for (text, mentions) in fields {
            // MISC mentions vouch for nothing: "Israeli" alone is as often an adjective of
            // a compound ("Arab-Israeli talks") that CoNLL-style labelling leaves whole.
            for m in mentions.iter().filter(|m| m.label != EntityLabel::Misc) {
                let surface = m.span.slice(text);
                let words: Vec<&str> = surface.split_whitespace().collect();
                let key = match (words.len(), m.label) {
                    (1, _) => words[0].replace('.', ""),
                    (n, EntityLabel::Person) if n >= 2 => words[n - 1].to_owned(),
                    (n, EntityLabel::Org | EntityLabel::Loc) if n >= 2 => {
                        let initials: String = words
                            .iter()
                            .filter_map(|w| w.chars().next())
                            .filter(|c| c.is_uppercase())
                            .collect();
                        if initials.chars().count() < 2 {
                            continue;
                        }
                        initials
                    }
                    _ => continue,
                };
                // A single word the recognizer read as a hyphenated compound itself says
                // nothing about its parts.
                if key.chars().any(is_hyphen) {
                    continue;
                }
                let key = key.to_lowercase();
                if m.label == EntityLabel::Loc && words.len() == 1 {
                    for demonym in demonyms(&key) {
                        demonyms_of_places.push(demonym);
                    }
                }
                labels.entry(key).or_insert(m.label);
            }
        }
        for d in demonyms_of_places {
            labels.entry(d).or_insert(EntityLabel::Misc);
        }
        ArticleNames { labels }
    }

    /// The label the article gives `word` as a name of its own, if it does.
    pub fn label(&self, word: &str) -> Option<EntityLabel> {
        self.labels
            .get(&word.replace('.', "").to_lowercase())
            .copied()
    }
}

/// The regular demonyms of a place name (lower case): "russia" -> "russian", "israel" ->
/// "israeli", "iran" -> "iranian", "china" -> "chinese", "germany" -> "german".
fn demonyms(place: &str) -> Vec<String> {
    let mut out: Vec<String> = ["n", "an", "ian", "i", "ese"]
        .iter()
        .map(|s| format!("{place}{s}"))
        .collect();
    if let Some(stem) = place.strip_suffix(['a', 'e', 'y', 'o']) {
        out.extend(
            ["", "n", "an", "ian", "ese"]
                .iter()
                .map(|s| format!("{stem}{s}")),
        );
    }
    out
}

/// Does `part` look like a name: a capital first letter and, unless it is a short acronym
/// ("US", "EU", "NATO"), lower-case letters after it (an ALL-CAPS "HIGH" is not a name)?
fn name_shaped(part: &str) -> bool {
    let mut chars = part.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() || !part.chars().all(|c| c.is_alphanumeric() || c == '.') {
        return false;
    }
    let letters = part.chars().filter(|c| c.is_alphabetic()).count();
    let all_caps = part.chars().all(|c| !c.is_lowercase());
    !all_caps || (2..=5).contains(&letters)
}

/// Adds the mentions of names inside the hyphenated tokens of one field. `mentions` are the
/// recognizer's (sorted, not overlapping); the result is sorted by start, a compound's own
/// mention before the parts inside it. Linear: each token is looked at once.
pub fn split_compounds(
    text: &str,
    tokens: &[Token],
    mentions: &mut Vec<EntityMention>,
    names: &ArticleNames,
) {
    let mut out: Vec<EntityMention> = Vec::with_capacity(mentions.len());
    let mut next = 0; // the first mention not yet copied to `out`
    for tok in tokens {
        if !tok.has(flags::HAS_HYPHEN) {
            continue;
        }
        while next < mentions.len() && mentions[next].span.end <= tok.span.start {
            out.push(mentions[next]);
            next += 1;
        }
        // The recognizer's mention covering this token, if any.
        let covering = mentions
            .get(next)
            .filter(|m| m.span.start <= tok.span.start && m.span.end >= tok.span.end);
        if let Some(m) = covering {
            let whole_token = m.span == tok.span;
            if !whole_token || m.label != EntityLabel::Misc {
                continue;
            }
        }
        let parts = parts_of(text, tok.span);
        if parts.len() < 2 {
            continue;
        }
        let mut found: Vec<EntityMention> = Vec::new();
        for span in &parts {
            let part = span.slice(text);
            // "St" in "asset-St" is no name; an abbreviation stands for one elsewhere.
            if !name_shaped(part) || ABBREVIATIONS.contains(part) {
                continue;
            }
            // A capital at the start of a sentence says nothing; the article or a place list
            // must vouch for it there ("Long-term" is no name, "London-based" is).
            let label = names.label(part);
            if let Some(label) = label {
                found.push(EntityMention { span: *span, label });
            }
        }
        // A demonym counts only beside a name in the same compound ("Russian-US"); alone
        // ("Brazilian-born", "Arab-Israeli") it is the adjective CoNLL labels whole.
        if found.iter().all(|m| m.label == EntityLabel::Misc) {
            continue;
        }
        if let Some(m) = covering {
            out.push(*m);
            next += 1;
        }
        out.extend(found);
    }
    out.extend_from_slice(&mentions[next..]);
    *mentions = out;
}

/// The parts of a hyphenated token between its hyphens (empty parts dropped).
fn parts_of(text: &str, span: Span) -> Vec<Span> {
    let word = span.slice(text);
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in word.char_indices() {
        if is_hyphen(c) {
            if i > start {
                parts.push(Span::new(span.start + start, span.start + i));
            }
            start = i + c.len_utf8();
        }
    }
    if word.len() > start {
        parts.push(Span::new(span.start + start, span.end));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_split_at_hyphens() {
        let text = "the Russian-US meeting";
        let parts = parts_of(text, Span::new(4, 14));
        let got: Vec<&str> = parts.iter().map(|p| p.slice(text)).collect();
        assert_eq!(got, ["Russian", "US"]);
    }

    #[test]
    fn name_shapes() {
        assert!(name_shaped("US"));
        assert!(name_shaped("London"));
        assert!(name_shaped("NATO"));
        assert!(name_shaped("U.S."));
        assert!(!name_shaped("POWERED"));
        assert!(!name_shaped("backed"));
        assert!(!name_shaped("pro"));
    }
}
