//! Quotations that are nobody's words though they look like speech: titles of works
//! (`the film “Parasite”`, `CNN’s “State of the Union”`), subheads in quote marks and a
//! transcript's stage directions. Each list here is named with its reason.

use super::marks::Raw;
use crate::nlp::text::wordset::WordSet;
use std::sync::LazyLock;

/// Role nouns that follow a quoted title of a work (`“Parasite” director`) or come before
/// it (`the album “Lemonade”`, `star of “Succession”`).
static WORK_ROLES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "actor",
        "actress",
        "album",
        "anthem",
        "author",
        "book",
        "cast",
        "column",
        "commentary",
        "creator",
        "director",
        "documentary",
        "episode",
        "essay",
        "film",
        "hymn",
        "movie",
        "musical",
        "novel",
        "play",
        "podcast",
        "poem",
        "producer",
        "program",
        "programme",
        "series",
        "show",
        "singer",
        "sitcom",
        "song",
        "star",
        "writer",
    ])
});

/// Capitalised words whose `’s` is `is`, not a possessive (`It’s ‘in Their Heads’`).
static CONTRACTED: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "he", "here", "how", "it", "let", "she", "that", "there", "this", "what", "when", "where",
        "who", "why",
    ])
});

/// Longest quoted title of a work, in words; longer quotations are statements.
const MAX_TITLE_WORDS: usize = 8;

/// Is the quotation `raw` the title of a work: a short quotation right after a role noun
/// (`the film “Parasite”`, `star of “Succession”`) or right before one (`“Parasite”
/// director`)?
pub fn is_work_title(text: &str, raw: &Raw) -> bool {
    let inner = raw.inner.slice(text);
    if inner.split_whitespace().count() > MAX_TITLE_WORDS {
        return false;
    }
    let after = text[raw.outer.end..].trim_start_matches([' ', '\u{a0}']);
    let next = after
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    if next.starts_with(char::is_lowercase) && WORK_ROLES.contains(next) {
        return true;
    }
    // `his 2002 book, “…”`: the title in apposition after a comma.
    let before = text[..raw.outer.start].trim_end_matches([' ', '\u{a0}', ',']);
    // `CNN’s “State of the Union”`, `MSNBC's “Morning Joe”`: a Title Case quotation owned
    // by a capitalised name is the name of its show, paper or campaign.
    if let Some(owner) = before
        .strip_suffix("’s")
        .or_else(|| before.strip_suffix("'s"))
    {
        let owner = owner
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if owner.starts_with(char::is_uppercase)
            && !CONTRACTED.contains(owner)
            && is_title_case(inner)
        {
            return true;
        }
    }
    let mut prev = before.rsplit(|c: char| !c.is_alphabetic());
    let last = prev.next().unwrap_or("");
    let last = if last == "of" {
        prev.next().unwrap_or("")
    } else {
        last
    };
    last.starts_with(char::is_lowercase) && WORK_ROLES.contains(last)
}

/// Every word of four letters or more starts with a capital (`Fox and Friends`, `State of
/// the Union`), and there is such a word.
fn is_title_case(inner: &str) -> bool {
    let mut long = inner
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| w.chars().count() >= 4)
        .peekable();
    long.peek().is_some() && long.all(|w| w.starts_with(|c: char| c.is_uppercase()))
}

/// Is the quotation `raw` nobody's words though it looks like a full quotation: a Title
/// Case subhead of at most [`MAX_TITLE_WORDS`] words alone on its line (`‘Legend in the
/// Coal Fields.’`), or a stage direction of a transcript (`"(CROSSTALK.)`).
pub fn is_subhead_or_direction(text: &str, raw: &Raw) -> bool {
    let inner = raw.inner.slice(text).trim();
    if inner.starts_with('(') && inner.trim_end_matches(['.', ' ']).ends_with(')') {
        return true;
    }
    if inner.split_whitespace().count() > MAX_TITLE_WORDS || !is_title_case(inner) {
        return false;
    }
    let line_start = text[..raw.outer.start]
        .rsplit('\n')
        .next()
        .is_some_and(|s| s.trim().is_empty());
    let line_end = text[raw.outer.end..].split('\n').next().is_some_and(|s| {
        s.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
            .is_empty()
    });
    line_start && line_end
}
