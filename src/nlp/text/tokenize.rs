//! The tokenizer: byte-span tokens with shape flags, robust to news text (abbreviations,
//! initials, numbers with separators, typographic quotes and apostrophes, dashes).

use super::chars::{is_apostrophe, is_hyphen, is_quote_char, is_word_char};
use super::wordset::ABBREVIATIONS;
use super::{flags, Span, Token};

fn is_abbreviation(word: &str) -> bool {
    ABBREVIATIONS.contains(word)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::text::sentences;

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
}
