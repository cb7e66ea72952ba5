//! Byte spans over the original text, and the sentence split every later stage shares.
//! (A placeholder splitter until the tokenizer lands; spans are byte ranges throughout.)

/// A byte range into the text it was taken from, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }
}
