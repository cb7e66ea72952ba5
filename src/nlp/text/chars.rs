//! One set of character classes for the whole pipeline: apostrophes, quotation marks,
//! hyphens and dashes, and what counts as a word character.

/// Characters that may stand for an apostrophe (Israel’s, O'Brien, ʼ).
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// Quotation marks and brackets: a token made of one of these is flagged `QUOTE`.
pub fn is_quote_char(c: char) -> bool {
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

/// Hyphens that join the parts of a word (Jean-Claude, Anglo-Dutch).
pub fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Dashes that separate clauses (and a hyphen-minus used as one).
pub fn is_dash(c: char) -> bool {
    matches!(c, '—' | '–' | '-')
}

/// Characters that open a quotation or a bracket; after one of these, a quotation mark opens
/// too (nested quotes, `("…")`).
pub fn is_opening_mark(c: char) -> bool {
    matches!(
        c,
        '“' | '‘' | '„' | '«' | '"' | '\'' | '`' | '(' | '[' | '{'
    )
}

/// Characters that close a quotation or a bracket.
pub fn is_closing_mark(c: char) -> bool {
    matches!(c, '”' | '’' | '"' | '\'' | '»' | ')' | ']' | '}')
}

/// Punctuation that may follow a closing quotation mark (`…,”`, `”.`).
pub fn is_trailing_punct(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '…' | '/')
}

/// Word chars: letters, digits and marks. Non-ASCII chars count as word chars unless
/// they sit in a punctuation/symbol/emoji block, so combining marks and scripts without
/// case still glue to their word while dashes, quotes and pictographs stand alone.
pub fn is_word_char(c: char) -> bool {
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
