//! The article's entity mentions as the attribution rules look them up: sorted by position,
//! with binary-searched range queries, so that no rule scans the whole article.

use crate::nlp::analysis::{Entity, EntityLabel, Field};
use crate::nlp::quotes::marks::Raw;
use crate::nlp::quotes::words::{CUES, MODIFIER_GAP_BYTES};
use crate::nlp::text::chars::is_apostrophe;
use crate::nlp::text::Span;

/// Words before a name that still open its sentence (`Senate Minority Leader Harry Reid`).
const OPENING_WORDS: usize = 4;
/// How far back [`Mentions::opens_sentence`] looks for the sentence's start.
const OPENING_BYTES: usize = 48;

/// Body mentions of the entities, sorted by position, and what the rules ask of them.
pub struct Mentions<'a> {
    /// (mention, index of its entity), by (start, end).
    pub list: Vec<(Span, usize)>,
    pub entities: &'a [Entity],
    pub text: &'a str,
    /// The quotations found, for skipping mentions inside them.
    raws: &'a [Raw],
}

impl<'a> Mentions<'a> {
    pub fn new(text: &'a str, entities: &'a [Entity], raws: &'a [Raw]) -> Mentions<'a> {
        let mut list: Vec<(Span, usize)> = entities
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                e.mentions
                    .iter()
                    .filter(|m| m.field == Field::Body)
                    .map(move |m| (m.span, i))
            })
            .filter(|(m, _)| m.start < m.end && m.end <= text.len())
            .collect();
        list.sort_unstable_by_key(|(m, _)| (m.start, m.end));
        Mentions {
            list,
            entities,
            text,
            raws,
        }
    }

    /// Mentions starting inside `s..e`.
    pub fn range(&self, s: usize, e: usize) -> &[(Span, usize)] {
        let lo = self.list.partition_point(|(m, _)| m.start < s);
        let hi = self.list.partition_point(|(m, _)| m.start < e);
        &self.list[lo..hi.max(lo)]
    }

    pub fn is_person(&self, e: usize) -> bool {
        self.entities[e].label == EntityLabel::Person
    }

    /// A possessive name (`Trump’s aide`): an apostrophe right after the mention.
    pub fn possessive(&self, m: &Span) -> bool {
        self.text[m.end..].starts_with(is_apostrophe)
    }

    /// Last PERSON mention inside `s..e`, preferring one that is not a possessive
    /// (`Trump’s spokeswoman Hope Hicks`).
    pub fn person_in(&self, s: usize, e: usize) -> Option<usize> {
        let mut any = None;
        for &(m, ent) in self.range(s, e).iter().rev() {
            if m.end > e || !self.is_person(ent) {
                continue;
            }
            any.get_or_insert(ent);
            if !self.possessive(&m) {
                return Some(ent);
            }
        }
        any
    }

    /// A PERSON mention that starts the span `s..e`.
    pub fn starting_person(&self, s: usize, e: usize) -> Option<usize> {
        self.range(s, e)
            .iter()
            .find(|(m, ent)| {
                m.start == s
                    && m.end <= e
                    && self.is_person(*ent)
                    && (m.end == e || !self.possessive(m))
            })
            .map(|&(_, ent)| ent)
    }

    /// Last mention inside `s..e` of any label.
    pub fn last_in(&self, s: usize, e: usize) -> Option<usize> {
        self.range(s, e)
            .iter()
            .rev()
            .find(|(m, _)| m.end <= e)
            .map(|&(_, ent)| ent)
    }

    /// `Obama consultant Cornell Belcher`, `Trump’s aide`: mention `i` of the list modifies a
    /// noun (possessive, or lower-case words up to the next name), so it is not a subject.
    pub fn is_modifier(&self, i: usize) -> bool {
        let m = self.list[i].0;
        if self.possessive(&m) {
            return true;
        }
        let Some(&(next, _)) = self.list.get(i + 1) else {
            return false;
        };
        let between = &self.text[m.end..next.start.max(m.end)];
        !between.trim().is_empty()
            && between.len() < MODIFIER_GAP_BYTES
            && between
                .split_whitespace()
                .all(|w| w.chars().all(|c| c.is_lowercase() || c == '-'))
    }

    /// The mention `m` is the subject of a reporting cue next to it (`Tompkins said`,
    /// `said Tompkins`, `Tompkins, said`), or of `according to`.
    pub fn cue_subject(&self, m: &Span) -> bool {
        let after = self.text[m.end..].trim_start_matches([' ', ',']);
        let next = after
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        let before = self.text[..m.start].trim_end_matches([' ', ',']);
        let prev = before
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        CUES.contains(next) || CUES.contains(prev) || before.ends_with("according to")
    }

    /// The mention `m` is among the first [`OPENING_WORDS`] words of its sentence (`Scott
    /// bristles …`, `Sen. David Perdue (R-Ga.) argued …`): it is what the sentence is about.
    /// Reads back at most [`OPENING_BYTES`] bytes.
    pub fn opens_sentence(&self, m: &Span) -> bool {
        let mut from = m.start.saturating_sub(OPENING_BYTES);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        let before = &self.text[from..m.start];
        let Some(cut) = before.rfind(['.', '!', '?', '\n', '”', '"']) else {
            return from == 0;
        };
        // `Sen.`, `Gov.`: an abbreviation's full stop is not a sentence end.
        let tail = &before[cut..];
        let words: Vec<&str> = tail
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .collect();
        words.len() < OPENING_WORDS
    }

    /// A PERSON mention starts at byte `pos`.
    pub fn person_at(&self, pos: usize) -> bool {
        let k = self.list.partition_point(|(m, _)| m.start < pos);
        self.list[k..]
            .iter()
            .take_while(|(m, _)| m.start == pos)
            .any(|&(_, e)| self.is_person(e))
    }

    /// Some mention starts at byte `pos`.
    pub fn starts_at(&self, pos: usize) -> bool {
        let k = self.list.partition_point(|(m, _)| m.start < pos);
        self.list.get(k).is_some_and(|(m, _)| m.start == pos)
    }

    pub fn in_quote(&self, m: &Span) -> bool {
        let k = self.raws.partition_point(|r| r.outer.start <= m.start);
        k > 0 && m.end <= self.raws[k - 1].outer.end
    }

    /// First PERSON mention in `s..e` that is not inside a quote.
    pub fn first_person_in(&self, s: usize, e: usize) -> Option<usize> {
        self.range(s, e)
            .iter()
            .find(|(m, ent)| m.end <= e && self.is_person(*ent) && !self.in_quote(m))
            .map(|&(_, ent)| ent)
    }
}
