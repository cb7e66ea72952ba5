//! Normalisation with alignment: the text the stages read, made from a field as scrapers
//! deliver it, with a map from every position of it back to the original field.
//!
//! - HTML character references are decoded: named (the HTML5 table, with the semicolon),
//!   decimal and hex (`&#8220;`, `&#x201C;`; 128-159 read as Windows-1252, as browsers do).
//! - Markup is skipped: a `<` starts markup only where it looks like it (`<a `, `</p>`,
//!   `<br/>`, `<!--`, `<!DOCTYPE`, `<?xml`; a known HTML tag name, or one with `-` or `:`),
//!   so "a < b" stays text. Inline formatting tags (`<a>`, `<b>`, `<span>`, ...) vanish as
//!   they do on screen; block tags (`<p>`, `<br>`, `<div>`, ...) become a line end; anything
//!   else (comments, `<script>`/`<style>` with their content, `<img>`, ...) one space, or
//!   nothing next to whitespace. Nothing inside markup is ever read as text.
//! - Format characters (zero-width space, soft hyphen, word joiner, bidi marks, BOM) are
//!   removed; a zero-width joiner only between letters (it builds emoji sequences).
//! - CR and CRLF become `\n`; NBSP and the other Unicode spaces become ` `.
//!
//! A clean text (no `&` reference, no markup, no CR, no format character, no Unicode space)
//! is borrowed as it is, with the identity map, after one scan. The work is linear in the
//! text's length: a search for the end of a tag stops at the next `<`, and a search for the end
//! of a comment or a script is remembered, so no byte is scanned more than a few times.

use super::entities::NAMED;
use super::Span;
use std::borrow::Cow;
use tables::{windows_1252, BLOCK, INLINE, MAX_NAME, TAGS};

/// What normalisation changed in one field, counted (for warnings and tests).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// Tags, comments, declarations and `<script>`/`<style>` blocks skipped.
    pub markup: usize,
    /// Character references decoded.
    pub references: usize,
    /// Format characters removed.
    pub format_chars: usize,
    /// CR and CRLF line ends read as `\n`.
    pub cr_line_ends: usize,
    /// NBSP and other Unicode spaces read as ` `.
    pub spaces: usize,
}

impl Found {
    fn add(&self, o: &Found) -> Found {
        Found {
            markup: self.markup + o.markup,
            references: self.references + o.references,
            format_chars: self.format_chars + o.format_chars,
            cr_line_ends: self.cr_line_ends + o.cr_line_ends,
            spaces: self.spaces + o.spaces,
        }
    }
}

/// A field normalised: the text the stages read, and the way back to the original.
#[derive(Debug)]
pub struct Normalized<'a> {
    pub text: Cow<'a, str>,
    pub map: Alignment,
    pub found: Found,
}

/// One piece of the normalised text, `[norm, next piece's norm)`, and the original bytes
/// `[orig, orig_end)` it came from. When both have the same length the piece is a copy
/// (positions map one to one); otherwise it is one replacement, mapped as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    norm: usize,
    orig: usize,
    orig_end: usize,
}

/// Normalised byte positions -> original byte positions. Spans map with [`Alignment::span`]:
/// a start to where its character begins in the original, an end to where the character
/// before it ends, so a span covers exactly the original text of what it covers (`Zo&euml;`
/// for `Zoë`), never the markup or removed characters around it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Alignment(Map);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum Map {
    /// The text was not changed.
    #[default]
    Identity,
    Pieces {
        /// In order; the first starts at 0; norm strictly increasing.
        pieces: Vec<Piece>,
        norm_len: usize,
    },
}

impl Alignment {
    pub fn is_identity(&self) -> bool {
        matches!(self.0, Map::Identity)
    }

    /// (piece, its normalised length) of the piece at index `i`.
    fn piece(pieces: &[Piece], norm_len: usize, i: usize) -> (Piece, usize) {
        let p = pieces[i];
        let next = pieces.get(i + 1).map_or(norm_len, |n| n.norm);
        (p, next - p.norm)
    }

    /// Where the character at normalised `pos` begins in the original.
    pub fn start(&self, pos: usize) -> usize {
        let Map::Pieces { pieces, norm_len } = &self.0 else {
            return pos;
        };
        let i = pieces.partition_point(|p| p.norm <= pos);
        if i == 0 {
            return 0;
        }
        let (p, len) = Alignment::piece(pieces, *norm_len, i - 1);
        let off = pos - p.norm;
        if len == p.orig_end - p.orig {
            p.orig + off.min(len)
        } else if off == 0 {
            p.orig
        } else {
            p.orig_end
        }
    }

    /// Where the character before normalised `pos` ends in the original.
    pub fn end(&self, pos: usize) -> usize {
        let Map::Pieces { pieces, norm_len } = &self.0 else {
            return pos;
        };
        if pos == 0 {
            return self.start(0);
        }
        let i = pieces.partition_point(|p| p.norm < pos);
        if i == 0 {
            return 0;
        }
        let (p, len) = Alignment::piece(pieces, *norm_len, i - 1);
        let off = pos - p.norm;
        if len == p.orig_end - p.orig {
            p.orig + off.min(len)
        } else {
            p.orig_end
        }
    }

    /// The original span of a normalised one (an empty span stays empty).
    pub fn span(&self, span: Span) -> Span {
        if self.is_identity() {
            return span;
        }
        let start = self.start(span.start);
        if span.is_empty() {
            return Span::new(start, start);
        }
        Span::new(start, self.end(span.end).max(start))
    }
}

/// Normalise one field (title or body).
pub fn normalize(text: &str) -> Normalized<'_> {
    Normalizer::new(text).run().0
}

/// The warnings for an article's title and body, each kind at most once, in a fixed order.
pub fn warnings(title: &Found, body: &Found) -> Vec<String> {
    let all = title.add(body);
    let place = |t: usize, b: usize| match (t > 0, b > 0) {
        (true, true) => "in the title and the body",
        (true, false) => "in the title",
        _ => "in the body",
    };
    let mut out = Vec::new();
    if all.markup > 0 {
        out.push(format!(
            "html_in_body: {} pieces of HTML markup (tags, comments, script or style blocks) {} \
             were read as whitespace, never as text",
            all.markup,
            place(title.markup, body.markup)
        ));
    }
    if all.references > 0 {
        out.push(format!(
            "html_entities_decoded: {} HTML character references (such as `&rsquo;` or \
             `&#8220;`) {} were decoded; offsets still index the original text",
            all.references,
            place(title.references, body.references)
        ));
    }
    if all.format_chars > 0 {
        out.push(format!(
            "format_characters_removed: {} invisible format characters (zero-width spaces, \
             soft hyphens, bidirectional marks, byte order marks) {} were ignored",
            all.format_chars,
            place(title.format_chars, body.format_chars)
        ));
    }
    if all.cr_line_ends > 0 {
        out.push(format!(
            "cr_line_ends: {} line ends written as CR or CRLF {} were read as newlines",
            all.cr_line_ends,
            place(title.cr_line_ends, body.cr_line_ends)
        ));
    }
    out
}

/// The bytes that start something normalisation may change: `&`, `<`, CR, and the lead
/// bytes of the format characters and Unicode spaces (shared with many characters left
/// alone, such as ’ and —, which are looked at and kept).
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'\r' as usize] = true;
    t[0xC2] = true; // U+00A0 NBSP, U+00AD soft hyphen
    t[0xD8] = true; // U+061C Arabic letter mark
    t[0xE1] = true; // U+1680 Ogham space, U+180E Mongolian vowel separator
    t[0xE2] = true; // U+2000..U+206F spaces, zero-widths, bidi marks
    t[0xE3] = true; // U+3000 ideographic space
    t[0xEF] = true; // U+FEFF BOM / zero-width no-break space
    t
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Keep,
    Remove,
    Space,
    /// U+200D: removed between letters, kept in emoji sequences.
    Joiner,
}

fn class(c: char) -> Class {
    match c {
        '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            Class::Space
        }
        '\u{AD}'
        | '\u{61C}'
        | '\u{180E}'
        | '\u{200B}'
        | '\u{200C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}' => Class::Remove,
        '\u{200D}' => Class::Joiner,
        _ => Class::Keep,
    }
}

/// What a piece of markup reads as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Markup {
    /// Inline formatting: nothing, as on screen (`Judge <b>Ford</b>`).
    Inline,
    /// A block boundary: a line end.
    Block,
    /// Anything else: a space (nothing next to whitespace).
    Space,
}

/// A remembered search for a needle after some position: valid for any later search that
/// starts at or after `from` and at or before what was found.
#[derive(Clone, Copy, Default)]
struct Search {
    from: usize,
    /// `None`: not searched yet; `Some(None)`: nothing after `from`.
    found: Option<Option<usize>>,
}

impl Search {
    fn reuse(&self, from: usize) -> Option<Option<usize>> {
        match self.found {
            Some(found) if self.from <= from && found.is_none_or(|f| f >= from) => Some(found),
            _ => None,
        }
    }
}

/// The output text and its pieces, built only once something changes.
struct Builder {
    out: String,
    pieces: Vec<Piece>,
}

impl Builder {
    fn copy(&mut self, src: &str, start: usize, end: usize) {
        if start == end {
            return;
        }
        let norm = self.out.len();
        match self.pieces.last_mut() {
            Some(p) if p.orig_end == start && norm - p.norm == p.orig_end - p.orig => {
                p.orig_end = end
            }
            _ => self.pieces.push(Piece {
                norm,
                orig: start,
                orig_end: end,
            }),
        }
        self.out.push_str(&src[start..end]);
    }

    /// Replace the original `[start, end)` by `with`; an empty `with` removes it (the next
    /// piece then starts afresh, so nothing maps into what was removed).
    fn replace(&mut self, start: usize, end: usize, with: &str) {
        if with.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            norm: self.out.len(),
            orig: start,
            orig_end: end,
        });
        self.out.push_str(with);
    }
}

struct Normalizer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    /// `None` while nothing has changed: the text so far is borrowed.
    built: Option<Builder>,
    /// Original bytes from here up to the current position are still to be copied.
    pending: usize,
    found: Found,
    /// Bytes looked at, for the tests that prove the work linear.
    work: usize,
    comment_end: Search,
    script_end: Search,
    style_end: Search,
}

impl<'a> Normalizer<'a> {
    fn new(src: &'a str) -> Normalizer<'a> {
        Normalizer {
            src,
            bytes: src.as_bytes(),
            built: None,
            pending: 0,
            found: Found::default(),
            work: 0,
            comment_end: Search::default(),
            script_end: Search::default(),
            style_end: Search::default(),
        }
    }

    /// The normalised text, and the bytes looked at on the way.
    fn run(mut self) -> (Normalized<'a>, usize) {
        let len = self.bytes.len();
        let mut i = 0;
        loop {
            let from = i;
            while i < len && !SPECIAL[self.bytes[i] as usize] {
                i += 1;
            }
            self.work += i - from + 1;
            if i >= len {
                break;
            }
            i = match self.bytes[i] {
                b'&' => match self.reference(i) {
                    Some((end, decoded)) => {
                        self.found.references += 1;
                        self.decoded(i, end, decoded);
                        end
                    }
                    None => i + 1,
                },
                b'<' => match self.markup(i) {
                    Some((end, kind)) => {
                        self.found.markup += 1;
                        let with = self.markup_text(i, end, kind);
                        self.change(i, end, with);
                        end
                    }
                    None => i + 1,
                },
                b'\r' => {
                    let end = if self.bytes.get(i + 1) == Some(&b'\n') {
                        i + 2
                    } else {
                        i + 1
                    };
                    self.found.cr_line_ends += 1;
                    self.change(i, end, "\n");
                    end
                }
                _ => {
                    let c = self.src[i..].chars().next().expect("on a char boundary");
                    let end = i + c.len_utf8();
                    match class(c) {
                        Class::Keep => {}
                        Class::Space => {
                            self.found.spaces += 1;
                            self.change(i, end, " ");
                        }
                        Class::Remove => {
                            self.found.format_chars += 1;
                            self.change(i, end, "");
                        }
                        Class::Joiner => {
                            if self.joins_letters(i) {
                                self.found.format_chars += 1;
                                self.change(i, end, "");
                            }
                        }
                    }
                    end
                }
            };
        }
        let found = self.found;
        let normalized = match self.built {
            None => Normalized {
                text: Cow::Borrowed(self.src),
                map: Alignment(Map::Identity),
                found,
            },
            Some(mut b) => {
                b.copy(self.src, self.pending, len);
                let norm_len = b.out.len();
                Normalized {
                    text: Cow::Owned(b.out),
                    map: Alignment(Map::Pieces {
                        pieces: b.pieces,
                        norm_len,
                    }),
                    found,
                }
            }
        };
        (normalized, self.work)
    }

    /// Replace the original `[start, end)` by `with` (after copying what comes before it).
    fn change(&mut self, start: usize, end: usize, with: &str) {
        let b = self.built.get_or_insert_with(|| Builder {
            out: String::with_capacity(self.src.len()),
            pieces: Vec::new(),
        });
        b.copy(self.src, self.pending, start);
        b.replace(start, end, with);
        self.pending = end;
    }

    /// The last character of the output so far (the original's, before the first change).
    fn last_out(&self, start: usize) -> Option<char> {
        if start > self.pending {
            return self.src[..start].chars().next_back();
        }
        match &self.built {
            Some(b) => b.out.chars().next_back(),
            None => self.src[..start].chars().next_back(),
        }
    }

    /// A zero-width joiner at `i` inside a word (removed), not in an emoji sequence (kept).
    fn joins_letters(&self, i: usize) -> bool {
        self.last_out(i)
            .is_some_and(|c| c.is_ascii() || c.is_alphanumeric())
    }

    /// What markup `[start, end)` becomes: nothing beside whitespace (or at the start of the
    /// text), else a line end for a block, a space for the rest, nothing for inline tags.
    fn markup_text(&self, start: usize, end: usize, kind: Markup) -> &'static str {
        let before = self.last_out(start);
        let after = self.bytes.get(end).copied();
        match kind {
            Markup::Inline => "",
            Markup::Block
                if before.is_none_or(|c| c == '\n')
                    || matches!(after, None | Some(b'\n' | b'\r')) =>
            {
                ""
            }
            Markup::Block => "\n",
            Markup::Space
                if before.is_none_or(char::is_whitespace)
                    || after.is_none_or(|b| b.is_ascii_whitespace()) =>
            {
                ""
            }
            Markup::Space => " ",
        }
    }

    /// A decoded reference, itself normalised (`&nbsp;` is a space, `&shy;` nothing).
    fn decoded(&mut self, start: usize, end: usize, decoded: Decoded) {
        let mut buf = [0u8; 4];
        let text: &str = match decoded {
            Decoded::Named(s) => s,
            Decoded::Char(c) => c.encode_utf8(&mut buf),
        };
        let mut chars = text.chars();
        let with = match (chars.next(), chars.next()) {
            (Some(c), None) => match class(c) {
                Class::Space => " ",
                Class::Remove => "",
                Class::Joiner if self.joins_letters(start) => "",
                _ if c == '\r' => "\n",
                _ => text,
            },
            _ => text,
        };
        self.change(start, end, with);
    }

    /// The character reference at `i` (`&name;`, `&#123;`, `&#x7B;`; the semicolon is
    /// optional after digits) and where it ends, or `None` when `&` is just text.
    fn reference(&mut self, i: usize) -> Option<(usize, Decoded)> {
        let b = self.bytes;
        let mut j = i + 1;
        if b.get(j) == Some(&b'#') {
            j += 1;
            let hex = matches!(b.get(j), Some(b'x' | b'X'));
            if hex {
                j += 1;
            }
            let digits = j;
            let mut n: u32 = 0;
            while let Some(&d) = b.get(j) {
                let v = match (hex, d) {
                    (_, b'0'..=b'9') => u32::from(d - b'0'),
                    (true, b'a'..=b'f') => u32::from(d - b'a') + 10,
                    (true, b'A'..=b'F') => u32::from(d - b'A') + 10,
                    _ => break,
                };
                n = n
                    .saturating_mul(if hex { 16 } else { 10 })
                    .saturating_add(v);
                j += 1;
            }
            self.work += j - i;
            if j == digits {
                return None;
            }
            if b.get(j) == Some(&b';') {
                j += 1;
            }
            let c = match n {
                0 => '\u{FFFD}',
                0x80..=0x9F => windows_1252(n).unwrap_or('\u{FFFD}'),
                _ => char::from_u32(n).unwrap_or('\u{FFFD}'),
            };
            return Some((j, Decoded::Char(c)));
        }
        let name_start = j;
        while j < b.len() && j - name_start <= 32 && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        self.work += j - i;
        if j == name_start || b.get(j) != Some(&b';') {
            return None;
        }
        let name = &self.src[name_start..j];
        let k = NAMED.binary_search_by(|(n, _)| n.cmp(&name)).ok()?;
        Some((j + 1, Decoded::Named(NAMED[k].1)))
    }

    /// The markup starting at `i` (a `<`) and where it ends, or `None` when the `<` is text.
    fn markup(&mut self, i: usize) -> Option<(usize, Markup)> {
        let b = self.bytes;
        let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
        match at(1) {
            b'!' if at(2) == b'-' && at(3) == b'-' => {
                let search = self.comment_end;
                let (end, search) = self.find(search, i + 4, |s, k| s[k..].starts_with(b"-->"));
                self.comment_end = search;
                // An unterminated comment: only its opening is markup.
                Some((end.map_or(i + 4, |e| e + 3), Markup::Space))
            }
            b'!' | b'?' if at(1) == b'?' || at(2).is_ascii_alphabetic() => {
                Some((self.tag_end(i + 2)?, Markup::Space))
            }
            b'/' if at(2).is_ascii_alphabetic() => {
                let (name_end, kind) = self.tag_name(i + 2)?;
                Some((self.tag_end(name_end)?, kind))
            }
            c if c.is_ascii_alphabetic() => {
                let (name_end, kind) = self.tag_name(i + 1)?;
                let end = self.tag_end(name_end)?;
                let name = &b[i + 1..name_end];
                let raw = if name.eq_ignore_ascii_case(b"script") {
                    Some(b"</script".as_slice())
                } else if name.eq_ignore_ascii_case(b"style") {
                    Some(b"</style".as_slice())
                } else {
                    None
                };
                match raw {
                    Some(close) if b[end - 2] != b'/' => {
                        Some((self.raw_text_end(end, close), kind))
                    }
                    _ => Some((end, kind)),
                }
            }
            _ => None,
        }
    }

    /// The end of `<script>`/`<style>` content from `from` through its end tag; an element
    /// never closed ends with its start tag (its content then reads as text).
    fn raw_text_end(&mut self, from: usize, close: &[u8]) -> usize {
        let script = close.len() == 8;
        let search = if script {
            self.script_end
        } else {
            self.style_end
        };
        let (found, search) = self.find(search, from, |s, k| {
            s.len() - k >= close.len() && s[k..k + close.len()].eq_ignore_ascii_case(close)
        });
        if script {
            self.script_end = search;
        } else {
            self.style_end = search;
        }
        match found {
            None => from,
            Some(at) => {
                let after = at + close.len();
                self.tag_end(after).unwrap_or(after)
            }
        }
    }

    /// The first position at or after `from` where `hit` holds, reusing `search` when it
    /// answers the question (so repeated searches never rescan).
    fn find(
        &mut self,
        search: Search,
        from: usize,
        hit: impl Fn(&[u8], usize) -> bool,
    ) -> (Option<usize>, Search) {
        if let Some(found) = search.reuse(from) {
            return (found, search);
        }
        let b = self.bytes;
        let mut k = from;
        while k < b.len() && !hit(b, k) {
            k += 1;
        }
        self.work += k - from + 1;
        let found = (k < b.len()).then_some(k);
        (
            found,
            Search {
                from,
                found: Some(found),
            },
        )
    }

    /// The tag name starting at `from` and what it reads as, when it names a tag and is
    /// followed by whitespace, `/` or `>`.
    fn tag_name(&mut self, from: usize) -> Option<(usize, Markup)> {
        let b = self.bytes;
        let mut j = from;
        while j < b.len()
            && j - from <= MAX_NAME
            && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':')
        {
            j += 1;
        }
        self.work += j - from + 1;
        let next = b.get(j).copied().unwrap_or(0);
        if !(next.is_ascii_whitespace() || next == b'/' || next == b'>') {
            return None;
        }
        let name = &b[from..j];
        let mut lower = [0u8; MAX_NAME + 1];
        let lower = &mut lower[..name.len()];
        lower.copy_from_slice(name);
        lower.make_ascii_lowercase();
        let lower = std::str::from_utf8(lower).ok()?;
        let known = TAGS.binary_search(&lower).is_ok();
        if !known && !name.iter().any(|&c| c == b'-' || c == b':') {
            return None;
        }
        let kind = if INLINE.contains(&lower) {
            Markup::Inline
        } else if BLOCK.contains(&lower) {
            Markup::Block
        } else {
            Markup::Space
        };
        Some((j, kind))
    }

    /// Just past the `>` that closes the tag whose attributes start at `from`. A quoted
    /// attribute value may hold `>`; a `<` anywhere means this was no tag, which also bounds
    /// the scan by the next `<`.
    fn tag_end(&mut self, from: usize) -> Option<usize> {
        let b = self.bytes;
        let mut j = from;
        let mut quote: Option<u8> = None;
        let mut after_eq = false;
        let end = loop {
            let Some(&c) = b.get(j) else { break None };
            if c == b'<' {
                break None;
            }
            match quote {
                Some(q) => {
                    if c == q {
                        quote = None;
                        after_eq = false;
                    }
                }
                None => match c {
                    b'>' => break Some(j + 1),
                    b'"' | b'\'' if after_eq => quote = Some(c),
                    b'=' => after_eq = true,
                    c if c.is_ascii_whitespace() => {}
                    _ => after_eq = false,
                },
            }
            j += 1;
        };
        self.work += j - from + 1;
        end
    }
}

/// A decoded character reference.
#[derive(Clone, Copy, Debug)]
enum Decoded {
    Named(&'static str),
    Char(char),
}

mod tables;
#[cfg(test)]
mod tests;
