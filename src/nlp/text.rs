//! Text foundation: splits raw news text into byte-span tokens and sentences.
//!
//! Everything here works on byte offsets into the caller's `&str` and never copies
//! text: a token is a [`Span`] plus a few precomputed shape flags, so later stages
//! (NER features, quote detection) can classify tokens without re-scanning them.

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

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201A}'
            | '\u{201B}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{201F}'
            | '\u{00AB}'
            | '\u{00BB}'
            | '\u{2039}'
            | '\u{203A}'
            | '`'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
    )
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Word chars: letters, digits and marks. Non-ASCII chars count as word chars unless
/// they sit in a punctuation/symbol/emoji block, so combining marks and scripts without
/// case still glue to their word while dashes, quotes and pictographs stand alone.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if c.is_alphanumeric() {
        return true;
    }
    if c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    let symbolic = (0xA1..=0xBF).contains(&u)
        || u == 0xD7
        || u == 0xF7
        || (0x2000..=0x2BFF).contains(&u)
        || (0x2E00..=0x2E7F).contains(&u)
        || (0x3000..=0x303F).contains(&u)
        || (0xFE10..=0xFE1F).contains(&u)
        || (0xFE30..=0xFE6F).contains(&u)
        || (0xFF00..=0xFF0F).contains(&u)
        || (0xFF1A..=0xFF20).contains(&u)
        || (0xFF3B..=0xFF40).contains(&u)
        || (0xFF5B..=0xFF65).contains(&u)
        || (0x1F000..=0x1FAFF).contains(&u)
        || (0xE000..=0xF8FF).contains(&u)
        || u == 0xFEFF
        || u == 0xFFFD;
    !symbolic
}

/// Abbreviations that keep their trailing period (compared case-insensitively).
/// Single letters (initials) and dotted forms (U.S., a.m.) are handled by rule.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cpt", "maj", "adm",
    "cmdr", "gov", "sen", "rep", "rev", "fr", "sr", "jr", "st", "mt", "ft", "pres", "hon",
    "messrs", "mme", "mlle", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "inc", "corp", "co", "ltd", "plc", "bros", "vs", "v", "no", "nos", "vol", "pp",
    "approx", "dept", "est", "etc", "calif", "ariz", "ark", "colo", "conn", "del", "fla", "ga",
    "ill", "ind", "kan", "kans", "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont",
    "neb", "nebr", "nev", "okla", "ore", "pa", "penn", "tenn", "tex", "va", "vt", "wash", "wis",
    "wyo", "ave", "blvd", "rd", "univ", "assn", "dist", "govt", "op", "cf", "al", "ph", "excl",
    "incl",
];

fn is_abbreviation(word: &str) -> bool {
    if word.len() > 7 {
        return false;
    }
    ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Clitics split off the preceding word ("Israel’s" -> "Israel" + "’s").
fn clitic_len(rest: &str) -> Option<usize> {
    // `rest` starts right after the apostrophe; return the byte length of the clitic
    // letters when they form a whole clitic (followed by a non-letter or end).
    for cl in ["s", "re", "ve", "ll", "d", "m", "t"] {
        if rest.len() >= cl.len()
            && rest.is_char_boundary(cl.len())
            && rest[..cl.len()].eq_ignore_ascii_case(cl)
        {
            let after = rest[cl.len()..].chars().next();
            if after.is_none_or(|c| !is_word_char(c)) {
                return Some(cl.len());
            }
        }
    }
    None
}

/// Splits `text` into tokens. Never panics, spans are in order, non-overlapping and on
/// char boundaries; whitespace is never part of a token.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut line_start = true;
    while i < text.len() {
        let c = next_char(text, i);
        if c.is_whitespace() {
            if c == '\n' || c == '\r' || c == '\u{2028}' || c == '\u{2029}' {
                line_start = true;
            }
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let end = if is_word_char(c) {
            scan_word(text, start, line_start)
        } else if c == '.' && bytes.get(i + 1).is_some_and(|b| b.is_ascii_digit()) {
            // ".500" batting averages, ".5" decimals
            scan_word(text, start + 1, line_start)
        } else if is_apostrophe(c) {
            let rest = &text[i + c.len_utf8()..];
            // A stand-alone "'s" / "'re" (already split text) or a clitic; otherwise a
            // single quote mark.
            match clitic_len(rest) {
                Some(n) => i + c.len_utf8() + n,
                None => i + c.len_utf8(),
            }
        } else if matches!(c, '.' | '-' | '!' | '?' | '*' | '=' | '_' | '~' | '#') {
            // Runs of the same mark stay together: "...", "--", "?!" is two tokens.
            let mut j = i + 1;
            while j < text.len() && bytes[j] == c as u8 {
                j += 1;
            }
            j
        } else {
            i + c.len_utf8()
        };
        // Sanity: always make progress, stay on char boundaries.
        let end = if end <= start {
            start + c.len_utf8()
        } else {
            end
        };
        let mut tok = Token {
            span: Span::new(start, end),
            flags: compute_flags(&text[start..end]),
        };
        if line_start {
            tok.flags |= flags::LINE_START;
        }
        out.push(tok);
        line_start = false;
        i = end;
    }
    out
}

#[inline]
fn next_char(text: &str, i: usize) -> char {
    // `i` is always a char boundary here.
    text[i..].chars().next().unwrap_or(' ')
}

/// Scans a word starting at `start` (a word char) and returns its end.
fn scan_word(text: &str, start: usize, line_start: bool) -> usize {
    let mut i = start;
    let mut has_inner_period = false;
    while i < text.len() {
        let c = next_char(text, i);
        let clen = c.len_utf8();
        if is_word_char(c) {
            i += clen;
            continue;
        }
        let prev = text[start..i].chars().next_back();
        let next = text.get(i + clen..).and_then(|r| r.chars().next());
        let prev_word = prev.is_some_and(is_word_char);
        let next_word = next.is_some_and(is_word_char);
        let prev_digit = prev.is_some_and(|p| p.is_ascii_digit());
        let next_digit = next.is_some_and(|p| p.is_ascii_digit());
        match c {
            '.' if prev_word && next_word => {
                // U.S, a.m, 1.5, www.example.com
                has_inner_period = true;
                i += clen;
            }
            ',' | ':' | '/' if prev_digit && next_digit => {
                // 1,000 / 10:30 / 1/2
                i += clen;
            }
            '&' if prev_word
                && next_word
                && prev.is_some_and(|p| p.is_uppercase())
                && next.is_some_and(|n| n.is_uppercase()) =>
            {
                // S&P, AT&T
                i += clen;
            }
            c if is_hyphen(c) && prev_word && next_word => {
                // Jean-Claude, Anglo-Dutch, 1996-08-30
                i += clen;
            }
            c if is_apostrophe(c) && prev_word && next_word => {
                let rest = &text[i + clen..];
                let is_t = rest
                    .as_bytes()
                    .first()
                    .is_some_and(|b| b.eq_ignore_ascii_case(&b't'));
                let is_nt = is_t && prev.is_some_and(|p| p == 'n' || p == 'N');
                if clitic_len(rest).is_some() && (!is_t || is_nt) {
                    // "don't": split before the "n" so we get "do" + "n't".
                    if is_nt {
                        let n_start = i - 1;
                        if n_start > start {
                            return n_start;
                        }
                        // The word is just "n": keep "n't" whole.
                        return i + clen + 1;
                    }
                    return i;
                }
                // Sa'ar, O'Brien, hold'em: apostrophe inside a name.
                i += clen;
            }
            '$' if prev.is_some_and(|p| p.is_ascii_uppercase())
                && text[start..i].bytes().all(|b| b.is_ascii_uppercase())
                && i - start <= 3 =>
            {
                // C$, US$, HK$ currency prefixes
                return i + clen;
            }
            '.' => {
                // Trailing period: keep it for abbreviations, initials, dotted forms
                // and list numbers at line start ("1. Jan Ullrich").
                let word = &text[start..i];
                let single_letter = {
                    let mut ch = word.chars();
                    matches!((ch.next(), ch.next()), (Some(a), None) if a.is_alphabetic())
                };
                let followed_ok = next.is_none_or(|n| n.is_whitespace() || n == ',' || n == ')');
                let list_number = line_start
                    && word.len() <= 3
                    && word.bytes().all(|b| b.is_ascii_digit())
                    && next.is_some_and(|n| n == ' ');
                let dotted = has_inner_period;
                if followed_ok
                    && (single_letter
                        || is_abbreviation(word)
                        || (dotted && word.len() <= 12 && !word.contains(".."))
                        || list_number)
                {
                    // A run "U.S.." keeps only one period.
                    return i + 1;
                }
                return i;
            }
            _ => return i,
        }
    }
    i
}

fn compute_flags(tok: &str) -> u16 {
    let mut f = 0u16;
    let mut first = true;
    let mut has_alnum = false;
    let mut all_digit = true;
    let mut has_upper_letter = false;
    for c in tok.chars() {
        if c.is_alphabetic() {
            f |= flags::HAS_ALPHA;
            has_alnum = true;
            if c.is_uppercase() {
                has_upper_letter = true;
                if first {
                    f |= flags::INIT_CAP;
                }
            } else if c.is_lowercase() {
                f |= flags::HAS_LOWER;
            }
            all_digit = false;
        } else if c.is_ascii_digit() || c.is_numeric() {
            f |= flags::HAS_DIGIT;
            has_alnum = true;
            if !c.is_ascii_digit() {
                all_digit = false;
            }
        } else {
            all_digit = false;
            if is_hyphen(c) {
                f |= flags::HAS_HYPHEN;
            } else if c == '.' {
                f |= flags::HAS_PERIOD;
            } else if is_apostrophe(c) {
                f |= flags::HAS_APOS;
            }
        }
        if !c.is_ascii() {
            f |= flags::NON_ASCII;
        }
        first = false;
    }
    if f & flags::HAS_ALPHA != 0 && f & flags::HAS_LOWER == 0 && has_upper_letter {
        f |= flags::ALL_CAPS;
    }
    if all_digit && !tok.is_empty() {
        f |= flags::ALL_DIGIT;
    }
    if !has_alnum {
        f |= flags::PUNCT;
        let mut ch = tok.chars();
        if let (Some(c), None) = (ch.next(), ch.next()) {
            if is_quote_char(c) {
                f |= flags::QUOTE;
            }
        } else if tok == "``" || tok == "''" {
            f |= flags::QUOTE;
        }
    }
    f
}

fn is_terminal(tok: &str) -> bool {
    !tok.is_empty() && tok.bytes().all(|b| matches!(b, b'.' | b'!' | b'?')) || tok == "\u{2026}"
}

fn is_closing(tok: &str) -> bool {
    matches!(
        tok,
        "\"" | "'" | "\u{201D}" | "\u{2019}" | ")" | "]" | "\u{00BB}" | "''"
    )
}

fn is_opening(tok: &str) -> bool {
    matches!(
        tok,
        "\"" | "'" | "\u{201C}" | "\u{2018}" | "(" | "[" | "\u{00AB}" | "``"
    )
}

/// Groups tokens into sentences. A line break always ends a sentence; otherwise a
/// sentence ends after `.`, `!`, `?` (plus any closing quotes/brackets glued to it)
/// when the next token starts with an uppercase letter, a digit or an opening quote.
/// Abbreviations and initials carry their period inside the token, so they never split.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    if tokens.is_empty() {
        return out;
    }
    let mut start = 0usize;
    let mut i = 0usize;
    while i < tokens.len() {
        let mut end_here = false;
        let mut last = i;
        let t = tokens[i].text(text);
        if is_terminal(t) {
            // absorb closing quotes/brackets that are glued to the terminal mark
            let mut j = i + 1;
            while j < tokens.len()
                && tokens[j].span.start == tokens[j - 1].span.end
                && is_closing(tokens[j].text(text))
            {
                j += 1;
            }
            last = j - 1;
            match tokens.get(j) {
                None => end_here = true,
                Some(n) => {
                    let nt = n.text(text);
                    end_here = n.has(flags::LINE_START)
                        || n.has(flags::INIT_CAP)
                        || n.has(flags::ALL_DIGIT)
                        || is_opening(nt)
                        || nt.starts_with(|c: char| !c.is_lowercase() && c.is_alphabetic());
                }
            }
        }
        if !end_here {
            if let Some(n) = tokens.get(i + 1) {
                if n.has(flags::LINE_START) {
                    end_here = true;
                    last = i;
                }
            }
        }
        if end_here || last + 1 == tokens.len() {
            out.push(Sentence {
                span: Span::new(tokens[start].span.start, tokens[last].span.end),
                tokens: start..last + 1,
            });
            start = last + 1;
            i = last + 1;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn toks(s: &str) -> Vec<&str> {
        tokenize(s).iter().map(|t| t.text(s)).collect()
    }

    #[test]
    fn abbreviations_and_initials() {
        assert_eq!(
            toks("Mr. Smith of the U.S. met Gen. Lee on Jan. 5."),
            vec!["Mr.", "Smith", "of", "the", "U.S.", "met", "Gen.", "Lee", "on", "Jan.", "5", "."]
        );
        assert_eq!(toks("J. R. R. Tolkien"), vec!["J.", "R.", "R.", "Tolkien"]);
        assert_eq!(toks("at 10 a.m. today"), vec!["at", "10", "a.m.", "today"]);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("paid 1,000.50 dollars, up 3.5%."),
            vec!["paid", "1,000.50", "dollars", ",", "up", "3.5", "%", "."]
        );
        assert_eq!(
            toks("won 6-4 on 1996-08-30"),
            vec!["won", "6-4", "on", "1996-08-30"]
        );
        assert_eq!(
            toks("hit .500 in 1996/97"),
            vec!["hit", ".500", "in", "1996/97"]
        );
        assert_eq!(
            toks("cost C$ 5 or US$5"),
            vec!["cost", "C$", "5", "or", "US$", "5"]
        );
    }

    #[test]
    fn quotes_and_apostrophes() {
        assert_eq!(
            toks("“Israel’s army,” said Sa’ar."),
            vec!["“", "Israel", "’s", "army", ",", "”", "said", "Sa’ar", "."]
        );
        assert_eq!(toks("I don't know"), vec!["I", "do", "n't", "know"]);
        assert_eq!(toks("does n't"), vec!["does", "n't"]);
        assert_eq!(toks("O'Brien 's 'S"), vec!["O'Brien", "'s", "'S"]);
        assert_eq!(toks("they're here"), vec!["they", "'re", "here"]);
        assert_eq!(toks("'Hello'"), vec!["'", "Hello", "'"]);
        assert_eq!(toks("\"Yes\""), vec!["\"", "Yes", "\""]);
    }

    #[test]
    fn dashes_and_hyphens() {
        assert_eq!(
            toks("Jean-Claude – the Anglo-Dutch firm — left -- again"),
            vec![
                "Jean-Claude",
                "–",
                "the",
                "Anglo-Dutch",
                "firm",
                "—",
                "left",
                "--",
                "again"
            ]
        );
        assert_eq!(
            toks("CRICKET - LEICESTERSHIRE"),
            vec!["CRICKET", "-", "LEICESTERSHIRE"]
        );
    }

    #[test]
    fn headlines_and_newlines() {
        let s =
            "SOCCER - JAPAN GET LUCKY WIN .\nNADIM LADKI\nAL-AIN , United Arab Emirates 1996-12-06";
        let t = toks(s);
        assert_eq!(t[0], "SOCCER");
        assert!(t.contains(&"AL-AIN"));
        let tk = tokenize(s);
        let ss = sentences(s, &tk);
        assert_eq!(ss.len(), 3);
        assert_eq!(ss[1].span.slice(s), "NADIM LADKI");
        assert!(tk[0].has(flags::ALL_CAPS));
        assert!(tk[7].has(flags::LINE_START));
    }

    #[test]
    fn sentence_splitting() {
        let s = "Mr. Smith went to the U.S. on Monday. He said: “No.” Then J. R. Ewing left! “Why?” asked Ann.";
        let tk = tokenize(s);
        let ss: Vec<&str> = sentences(s, &tk).iter().map(|x| x.span.slice(s)).collect();
        assert_eq!(
            ss,
            vec![
                "Mr. Smith went to the U.S. on Monday.",
                "He said: “No.”",
                "Then J. R. Ewing left!",
                "“Why?” asked Ann."
            ]
        );
        // lowercase after a period does not split
        let s2 = "It rose 3.5 pct. to 10 pct. in May";
        let tk2 = tokenize(s2);
        assert_eq!(sentences(s2, &tk2).len(), 1);
    }

    #[test]
    fn conll_bodies_keep_token_boundaries() {
        let s = "U.S. Treasury 's S&P 500 rose 1,000 pts vs. 3.5 % at 10:30 ; O'Neill and Itar-Tass ...";
        let words: Vec<&str> = s.split(' ').collect();
        assert_eq!(toks(s), words);
    }

    #[test]
    fn empty_and_whitespace() {
        assert!(tokenize("").is_empty());
        assert!(tokenize(" \n\t ").is_empty());
        assert!(sentences("", &[]).is_empty());
    }

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
        }
    }
}
