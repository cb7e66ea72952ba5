//! One paragraph as the attribution rules read it: the pipeline's tokens with each quotation
//! made one opaque token, reporting cues marked once, and the paragraph cut into sentences
//! that never split inside a quotation.

use super::marks::Raw;
use super::words::{CUES, MAX_SENTENCE_TOKENS, PHRASAL, SHORT_ATTRIBUTION_MAX_WORDS};
use crate::nlp::text::chars::{is_apostrophe, is_dash};
use crate::nlp::text::{Doc, Paragraph};
use std::ops::Range;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tk {
    Word,
    /// Punctuation that matters to the rules: `, ; : . ! ? ( )` and dashes (as `-`).
    Punct(u8),
    /// A quotation, by its index in the article's quotations.
    Quote(usize),
}

#[derive(Clone, Copy, Debug)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: Tk,
    /// A reporting cue, decided once per paragraph (every quote asks again).
    pub cue: bool,
}

/// A sentence of a paragraph: a range of its [`Tok`]s.
pub type Sentence = Range<usize>;

/// The rules' view of one paragraph.
#[derive(Default)]
pub struct Clauses {
    pub toks: Vec<Tok>,
    pub sentences: Vec<Sentence>,
}

/// The punctuation class of a token that is not a word, if the rules read it.
fn punct(t: &str) -> Option<u8> {
    match t {
        "," | ";" | ":" | "(" | ")" | "!" | "?" => Some(t.as_bytes()[0]),
        _ if t.starts_with('.') && t.bytes().all(|b| b == b'.') => Some(b'.'),
        _ if t.starts_with(['!', '?']) && t.bytes().all(|b| b == b'!' || b == b'?') => {
            Some(t.as_bytes()[0])
        }
        // U+2015 (horizontal bar) signs quotations in some outlets (`“…” ― Name`).
        _ if !t.is_empty() && t.chars().all(|c| is_dash(c) || c == '\u{2015}') => Some(b'-'),
        _ => None,
    }
}

/// A clitic the tokenizer split off its word (`’s`, `n't`, `'re`): the rules read
/// "Israel’s", "don't" and "He's" as one word, as a reader does.
fn is_clitic(t: &str) -> bool {
    t.starts_with(is_apostrophe) || t.eq_ignore_ascii_case("n't")
}

impl Clauses {
    /// Builds the view of `paragraph` of `doc`, whose quotations are `raws[first..]`
    /// (those inside the paragraph come first, in order).
    pub fn build(&mut self, doc: &Doc, paragraph: &Paragraph, raws: &[Raw], first: usize) {
        self.toks.clear();
        let text = doc.text;
        let mut qi = first;
        let mut i = paragraph.tokens.start;
        while i < paragraph.tokens.end {
            let span = doc.tokens[i].span;
            if let Some(raw) = raws.get(qi).filter(|r| r.outer.start < span.end) {
                self.push(raw.outer.start, raw.outer.end, Tk::Quote(qi));
                // Every token that overlaps the quotation belongs to it.
                while i < paragraph.tokens.end && doc.tokens[i].span.start < raw.outer.end {
                    i += 1;
                }
                qi += 1;
                continue;
            }
            i += 1;
            let t = span.slice(text);
            if t.chars().any(char::is_alphanumeric) {
                match self.toks.last_mut() {
                    Some(prev)
                        if prev.kind == Tk::Word && prev.end == span.start && is_clitic(t) =>
                    {
                        prev.end = span.end
                    }
                    _ => self.push(span.start, span.end, Tk::Word),
                }
            } else if let Some(p) = punct(t) {
                self.push(span.start, span.end, Tk::Punct(p));
            }
        }
        self.mark_cues(text);
    }

    fn push(&mut self, start: usize, end: usize, kind: Tk) {
        self.toks.push(Tok {
            start,
            end,
            kind,
            cue: false,
        });
    }

    /// Sets `cue` on the tokens that are reporting cues.
    fn mark_cues(&mut self, text: &str) {
        for i in 0..self.toks.len() {
            self.toks[i].cue = cue_word(text, &self.toks, i);
        }
    }

    /// Sentence ranges over the tokens. Quotes are opaque; a quote ending in . ! ? ends its
    /// sentence unless a short attribution follows (`“Why?” he asked.`); no sentence is
    /// longer than [`MAX_SENTENCE_TOKENS`].
    pub fn split_sentences(&mut self, text: &str, raws: &[Raw]) {
        self.sentences.clear();
        let toks = &self.toks;
        let mut a = 0;
        for i in 0..toks.len() {
            let next_starts = match toks.get(i + 1).map(|t| t.kind) {
                None => false,
                Some(Tk::Quote(_)) => true,
                Some(Tk::Word) => text[toks[i + 1].start..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_numeric()),
                Some(Tk::Punct(p)) => p == b'(',
            };
            let brk = match toks[i].kind {
                Tk::Punct(b'.' | b'!' | b'?') => next_starts,
                Tk::Quote(qi) => {
                    next_starts
                        && raws[qi]
                            .inner
                            .slice(text)
                            .trim_end()
                            .ends_with(['.', '!', '?'])
                        && !short_attribution(text, toks, i + 1)
                }
                _ => false,
            };
            if brk || i + 1 - a >= MAX_SENTENCE_TOKENS {
                self.sentences.push(a..i + 1);
                a = i + 1;
            }
        }
        if a < toks.len() {
            self.sentences.push(a..toks.len());
        }
    }
}

pub fn word<'t>(text: &'t str, t: &Tok) -> &'t str {
    &text[t.start..t.end]
}

fn cue_word(text: &str, toks: &[Tok], i: usize) -> bool {
    if toks[i].kind != Tk::Word {
        return false;
    }
    let w = word(text, &toks[i]);
    let next_is = |p: &str| {
        toks.get(i + 1)
            .is_some_and(|t| t.kind == Tk::Word && word(text, t).eq_ignore_ascii_case(p))
    };
    if w.eq_ignore_ascii_case("according") {
        return next_is("to");
    }
    // Two-word cues: `went on`, `pointed out`, `shot back`, `cut in`.
    CUES.contains(w)
        || PHRASAL
            .iter()
            .any(|(v, p)| w.eq_ignore_ascii_case(v) && next_is(p))
}

/// `he asked.` / `said Smith.` right after a quote: a few words holding a cue.
fn short_attribution(text: &str, toks: &[Tok], from: usize) -> bool {
    let mut words = 0;
    let mut cue = false;
    for (i, t) in toks.iter().enumerate().skip(from) {
        match t.kind {
            Tk::Word => {
                if !cue && t.cue {
                    if i == from && word(text, t).starts_with(char::is_uppercase) {
                        return false;
                    }
                    cue = true;
                    words = 0;
                    continue;
                }
                words += 1;
                if words > SHORT_ATTRIBUTION_MAX_WORDS {
                    return false;
                }
            }
            Tk::Punct(b',') if !cue => {}
            Tk::Punct(b'.' | b',' | b'!' | b'?' | b'(') => return cue,
            _ => return false,
        }
    }
    cue
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::quotes::marks;

    /// A 1 MB paragraph of quotations without a cue or a sentence end: every scan the rules
    /// make for one quotation stays inside its sentence, which is at most
    /// MAX_SENTENCE_TOKENS long, so the work per quotation is bounded.
    #[test]
    fn no_sentence_outgrows_the_window_on_a_hostile_paragraph() {
        let body = "“one two three four” and then ".repeat(1_000_000 / 32);
        let doc = Doc::new(&body);
        let found = marks::find(&body, &doc.paragraphs);
        assert!(found.raws.len() > 30_000);
        let mut clauses = Clauses::default();
        clauses.build(&doc, &doc.paragraphs[0], &found.raws, 0);
        clauses.split_sentences(&body, &found.raws);
        assert!(clauses.sentences.len() > 100);
        assert!(clauses
            .sentences
            .iter()
            .all(|s| s.len() <= MAX_SENTENCE_TOKENS));
        let covered: usize = clauses.sentences.iter().map(|s| s.len()).sum();
        assert_eq!(covered, clauses.toks.len());
    }

    #[test]
    fn clitics_stay_with_their_word_and_quotes_are_one_token() {
        let text = "He's said “we’re fine” and Israel’s minister didn't.";
        let doc = Doc::new(text);
        let found = marks::find(text, &doc.paragraphs);
        let mut clauses = Clauses::default();
        clauses.build(&doc, &doc.paragraphs[0], &found.raws, 0);
        let words: Vec<&str> = clauses.toks.iter().map(|t| word(text, t)).collect();
        assert_eq!(
            words,
            [
                "He's",
                "said",
                "“we’re fine”",
                "and",
                "Israel’s",
                "minister",
                "didn't",
                "."
            ]
        );
        assert!(clauses.toks[1].cue && !clauses.toks[0].cue);
        assert_eq!(clauses.toks[2].kind, Tk::Quote(0));
    }
}
