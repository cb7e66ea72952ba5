//! Text foundation: one field's text split into byte-span tokens, sentences and paragraphs
//! (a [`Doc`]), which every later stage reads.
//!
//! A field is first normalised ([`normalize`](normalize())): the stages read the text a browser
//! would show, and the [`Alignment`] maps their spans back to the original field at output. A
//! clean field is used as it is, never copied. Everything else here works on byte offsets into
//! that text: a token is a [`Span`] plus a few precomputed shape flags, so later stages (NER
//! features, quote detection) can classify tokens without re-scanning them.
//!
//! - [`normalize`](normalize()): character references decoded, markup and format characters
//!   skipped, line ends and spaces made plain, with the alignment back to the original;
//! - [`tokenize`](tokenize()): tokens; [`sentences`] and [`paragraphs`]: segmentation;
//! - [`chars`]: the one set of character classes (quotes, apostrophes, dashes);
//! - [`wordset`]: the one case-insensitive word-set type and the one abbreviation list.

pub mod chars;
mod entities;
pub mod normalize;
mod segment;
mod tokenize;
pub mod wordset;

pub use normalize::{normalize, Alignment, Found, Normalized};
pub use segment::{paragraphs, sentences};
pub use tokenize::tokenize;

use std::ops::Range;

/// A byte range into the original text, end exclusive. Always on char boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The text this span covers. Panics only if the span was not made for `s`.
    pub fn slice<'a>(&self, s: &'a str) -> &'a str {
        &s[self.start..self.end]
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// Bit flags describing a token's surface form, computed once during tokenization
/// because every feature extractor downstream asks the same questions.
pub mod flags {
    /// First char is an uppercase letter.
    pub const INIT_CAP: u16 = 1;
    /// Has at least one letter and no lowercase letter.
    pub const ALL_CAPS: u16 = 1 << 1;
    pub const HAS_LOWER: u16 = 1 << 2;
    pub const HAS_DIGIT: u16 = 1 << 3;
    /// Only ASCII digits.
    pub const ALL_DIGIT: u16 = 1 << 4;
    pub const HAS_ALPHA: u16 = 1 << 5;
    /// No letter and no digit: punctuation, quote, symbol.
    pub const PUNCT: u16 = 1 << 6;
    pub const HAS_HYPHEN: u16 = 1 << 7;
    pub const HAS_PERIOD: u16 = 1 << 8;
    /// First token of a line (start of text or after a newline).
    pub const LINE_START: u16 = 1 << 9;
    /// Contains an apostrophe (O'Brien, Sa'ar, 's).
    pub const HAS_APOS: u16 = 1 << 10;
    /// Is a quotation mark or bracket.
    pub const QUOTE: u16 = 1 << 11;
    /// Contains a non-ASCII char.
    pub const NON_ASCII: u16 = 1 << 12;
}

/// One token: where it is and what it looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Token {
    pub span: Span,
    /// See [`flags`].
    pub flags: u16,
}

impl Token {
    pub fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    pub fn text<'a>(&self, s: &'a str) -> &'a str {
        self.span.slice(s)
    }
}

/// A sentence: its byte span (first token start to last token end) and its tokens.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sentence {
    pub span: Span,
    pub tokens: Range<usize>,
}

/// A paragraph: a non-blank line of the text, with its tokens and sentences (a newline always
/// ends a sentence, so sentences never cross paragraphs).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Paragraph {
    pub span: Span,
    pub tokens: Range<usize>,
    pub sentences: Range<usize>,
}

/// One field's text split for the stages: tokens, sentences and paragraphs, byte spans.
#[derive(Clone, Debug)]
pub struct Doc<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub paragraphs: Vec<Paragraph>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        let tokens = tokenize(text);
        let sentences = sentences(text, &tokens);
        let paragraphs = paragraphs(&tokens, &sentences);
        Doc {
            text,
            tokens,
            sentences,
            paragraphs,
        }
    }

    /// The text of token `i`.
    pub fn word(&self, i: usize) -> &'a str {
        self.tokens[i].span.slice(self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_spans_valid(s in "\\PC*", extra in prop::sample::select(vec![
            "", "😀👍🏽", "e\u{301}te\u{301}", "שלום עולם", "مرحبا.", " \n ", "U.S.…", "‘’“”", "n't'", "'"
        ])) {
            let text = format!("{s}{extra}{s}");
            let tk = tokenize(&text);
            let mut prev = 0;
            for t in &tk {
                prop_assert!(t.span.start >= prev);
                prop_assert!(t.span.end > t.span.start);
                prop_assert!(text.is_char_boundary(t.span.start));
                prop_assert!(text.is_char_boundary(t.span.end));
                prop_assert!(!t.text(&text).chars().any(char::is_whitespace));
                prev = t.span.end;
            }
            let ss = sentences(&text, &tk);
            let mut next_tok = 0;
            for se in &ss {
                prop_assert_eq!(se.tokens.start, next_tok);
                prop_assert!(se.tokens.end > se.tokens.start);
                next_tok = se.tokens.end;
                prop_assert!(text.is_char_boundary(se.span.start) && text.is_char_boundary(se.span.end));
            }
            prop_assert_eq!(next_tok, tk.len());
            let paras = paragraphs(&tk, &ss);
            prop_assert_eq!(paras.iter().map(|p| p.sentences.len()).sum::<usize>(), ss.len());
        }
    }
}
