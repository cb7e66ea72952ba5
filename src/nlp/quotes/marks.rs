//! Quotation marks: every mark character of a paragraph is classified as opening, closing or
//! ambiguous from the characters around it (apostrophes never open or close anything), and
//! a small stack pairs them into quotations, outermost only.

use crate::nlp::text::chars::{is_closing_mark, is_dash, is_opening_mark, is_trailing_punct};
use crate::nlp::text::{Paragraph, Span};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fam {
    Double,
    Single,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Open,
    Close,
    Either,
}

#[derive(Clone, Copy, Debug)]
struct Mark {
    start: usize,
    end: usize,
    fam: Fam,
    role: Role,
}

/// A paired quotation before attribution.
#[derive(Clone, Copy, Debug)]
pub struct Raw {
    /// The quoted text, marks excluded.
    pub inner: Span,
    /// Whole extent including the marks.
    pub outer: Span,
    /// Still open at the end of its paragraph; the next paragraph continues it.
    pub runs_on: bool,
}

fn prev_char(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

fn next_char(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

/// Characters after which a mark reads as an opening mark.
fn opens_after(p: Option<char>) -> bool {
    p.is_none_or(|c| c.is_whitespace() || is_dash(c) || c == '/' || is_opening_mark(c))
}

/// Characters before which a mark reads as a closing mark.
fn closes_before(n: Option<char>) -> bool {
    n.is_none_or(|c| c.is_whitespace() || is_trailing_punct(c) || is_dash(c) || is_closing_mark(c))
}

fn role_from_context(p: Option<char>, n: Option<char>) -> Role {
    let open = opens_after(p) && n.is_some_and(|c| !c.is_whitespace());
    let close = p.is_some_and(|c| !c.is_whitespace()) && closes_before(n);
    match (open, close) {
        (true, false) => Role::Open,
        (false, true) => Role::Close,
        _ => Role::Either,
    }
}

fn alnum(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric())
}

/// The quotations of a body, paragraph by paragraph: `raws` in text order, and for each
/// paragraph the index of its first quotation in `raws`.
pub struct RawQuotes {
    pub raws: Vec<Raw>,
    pub first_of_paragraph: Vec<usize>,
}

/// Finds and pairs the quotation marks of every paragraph.
pub fn find(text: &str, paragraphs: &[Paragraph]) -> RawQuotes {
    let mut raws = Vec::new();
    let mut first_of_paragraph = Vec::with_capacity(paragraphs.len());
    let mut marks = Vec::new();
    let mut stack = Vec::new();
    for (k, p) in paragraphs.iter().enumerate() {
        first_of_paragraph.push(raws.len());
        let scan = Scan {
            text,
            start: p.span.start,
            end: p.span.end,
        };
        scan.marks(&mut marks);
        let next = paragraphs.get(k + 1).map(|n| n.span);
        scan.pair(&marks, next, &mut stack, &mut raws);
    }
    RawQuotes {
        raws,
        first_of_paragraph,
    }
}

/// One paragraph's byte range of the text.
struct Scan<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

impl Scan<'_> {
    /// The character before byte `i`, inside the paragraph.
    fn before(&self, i: usize) -> Option<char> {
        (i > self.start).then(|| prev_char(self.text, i)).flatten()
    }

    /// The character at byte `i`, inside the paragraph.
    fn at(&self, i: usize) -> Option<char> {
        (i < self.end).then(|| next_char(self.text, i)).flatten()
    }

    /// Classifies the quotation marks of the paragraph into `out` (apostrophes are left out).
    fn marks(&self, out: &mut Vec<Mark>) {
        out.clear();
        let bytes = self.text.as_bytes();
        let mut i = self.start;
        while i < self.end {
            // Every mark is ASCII or starts with byte 0xE2 (U+201x) or 0xC2 (« »); skipping
            // other bytes never lands inside a mark's encoding.
            if !matches!(bytes[i], b'"' | b'\'' | b'`' | 0xE2 | 0xC2) {
                i += 1;
                continue;
            }
            let Some(c) = next_char(self.text, i) else {
                break;
            };
            let after = i + c.len_utf8();
            let (p, n) = (self.before(i), self.at(after));
            let mut push = |end: usize, role: Role| {
                out.push(Mark {
                    start: i,
                    end,
                    fam: Fam::Double,
                    role,
                })
            };
            match c {
                // Opening-shaped marks open unless the context clearly closes (and vice versa).
                '“' | '«' => match role_from_context(p, n) {
                    Role::Close => push(after, Role::Close),
                    _ => push(after, Role::Open),
                },
                '”' | '»' => match role_from_context(p, n) {
                    Role::Open => push(after, Role::Open),
                    _ => push(after, Role::Close),
                },
                '„' => push(after, Role::Open),
                '"' => push(after, role_from_context(p, n)),
                '‘' | '’' | '\'' | '`' => {
                    i = self.single_family(c, i, out);
                    continue;
                }
                _ => {}
            }
            i = after;
        }
    }

    /// Marks of the single-quote shapes at `i` (runs of ASCII marks: '' and `` are double
    /// quotes in some archives); returns where scanning goes on.
    fn single_family(&self, c: char, i: usize, out: &mut Vec<Mark>) -> usize {
        let bytes = self.text.as_bytes();
        let mut k = 1;
        if c == '\'' || c == '`' {
            while i + k < self.end && bytes[i + k] == bytes[i] {
                k += 1;
            }
        }
        let end = i + if k > 1 { k } else { c.len_utf8() };
        let (p, n) = (self.before(i), self.at(end));
        let mut push = |start: usize, end: usize, fam: Fam, role: Role| {
            out.push(Mark {
                start,
                end,
                fam,
                role,
            })
        };
        match k {
            1 => {
                if let Some(role) = self.single_role(c, i, end, p, n) {
                    push(i, end, Fam::Single, role);
                }
            }
            2 => {
                let role = if c == '`' {
                    Role::Open
                } else {
                    role_from_context(p, n)
                };
                push(i, end, Fam::Double, role);
            }
            // ''' is a single and a double mark; which comes first depends on the side.
            3 if c == '\'' => match role_from_context(p, n) {
                Role::Open => {
                    push(i, i + 2, Fam::Double, Role::Open);
                    push(i + 2, end, Fam::Single, Role::Open);
                }
                _ => {
                    push(i, i + 1, Fam::Single, Role::Close);
                    push(i + 1, end, Fam::Double, Role::Close);
                }
            },
            _ => {}
        }
        end
    }

    /// Role of a single-quote character at `i..end`, or `None` when it is an apostrophe.
    fn single_role(
        &self,
        c: char,
        i: usize,
        end: usize,
        p: Option<char>,
        n: Option<char>,
    ) -> Option<Role> {
        if c == '`' {
            return Some(Role::Open);
        }
        // Inside a word: Israel’s, Sa’ar, don't.
        if alnum(p) && alnum(n) {
            return None;
        }
        // Elided digits: ’90s, '08.
        if !alnum(p) && n.is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        // rock ’n’ roll: the n between two marks, on either side.
        let is_mark = |c: Option<char>| matches!(c, Some('’' | '\''));
        if n == Some('n') && end + 1 < self.end && is_mark(next_char(self.text, end + 1)) {
            return None;
        }
        if p == Some('n') && i >= 2 && is_mark(prev_char(self.text, i - 1)) {
            return None;
        }
        match c {
            // ’ never opens: at a word start it is an elision (’em, ’til).
            '’' => {
                (p.is_some_and(|c| !c.is_whitespace()) && closes_before(n)).then_some(Role::Close)
            }
            '‘' => match role_from_context(p, n) {
                Role::Close => Some(Role::Close),
                _ => Some(Role::Open),
            },
            _ => match role_from_context(p, n) {
                Role::Either => None,
                r => Some(r),
            },
        }
    }

    /// Pairs the paragraph's marks into quotes (outermost only). A quote still open at the
    /// end of the paragraph is kept only when the `next` paragraph opens with a mark of its
    /// family (the multi-paragraph convention); otherwise it is dropped, so that a stray mark
    /// never swallows the rest of the article.
    fn pair(&self, marks: &[Mark], next: Option<Span>, stack: &mut Vec<Mark>, out: &mut Vec<Raw>) {
        let text = self.text;
        stack.clear();
        let emit = |open: &Mark, close: &Mark, out: &mut Vec<Raw>| {
            let inner = Span::new(open.end, close.start);
            if inner.slice(text).chars().any(char::is_alphanumeric) {
                out.push(Raw {
                    inner,
                    outer: Span::new(open.start, close.end),
                    runs_on: false,
                });
            }
        };
        for m in marks {
            let top = stack.last().map(|t| t.fam);
            let role = match m.role {
                Role::Either if top == Some(m.fam) => Role::Close,
                Role::Either => Role::Open,
                r => r,
            };
            if role == Role::Open {
                stack.push(*m);
            } else if m.fam == Fam::Single {
                // A lone ’ inside a double quote is an apostrophe (voters’), not a close.
                if top == Some(Fam::Single) {
                    let open = stack.pop().unwrap_or(*m);
                    if stack.is_empty() {
                        emit(&open, m, out);
                    }
                }
            } else if let Some(pos) = stack.iter().rposition(|t| t.fam == Fam::Double) {
                let open = stack[pos];
                stack.truncate(pos);
                if stack.is_empty() {
                    emit(&open, m, out);
                }
            }
        }
        let Some(first) = stack.first() else {
            return;
        };
        if !next.is_some_and(|n| starts_with_open(n.slice(text), first.fam)) {
            return;
        }
        let end = self.start + text[self.start..self.end].trim_end().len();
        if end > first.end && text[first.end..end].chars().any(char::is_alphanumeric) {
            out.push(Raw {
                inner: Span::new(first.end, end),
                outer: Span::new(first.start, end),
                runs_on: true,
            });
        }
    }
}

/// True when the paragraph text opens with a quotation mark of family `fam`.
fn starts_with_open(paragraph: &str, fam: Fam) -> bool {
    let s = paragraph.trim_start();
    match fam {
        Fam::Double => {
            s.starts_with(['“', '„', '«', '"', '”']) || s.starts_with("''") || s.starts_with("``")
        }
        Fam::Single => s.starts_with(['‘', '\'']),
    }
}
