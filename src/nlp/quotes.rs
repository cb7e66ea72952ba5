//! Quotation stage: finds the direct quotations in one article body and attributes each one
//! to a speaker and a reporting cue, using the entities the NER stage found.
//!
//! The work is done in one pass per paragraph, with no regexes; the word lists are hashed
//! once in [`QuoteFinder::new`] and a call allocates only a few small vectors:
//!
//! 1. **Marks.** Every quotation-mark character (“ ” ‘ ’ " ' « » „ and the doubled `''` /
//!    ``` `` ``` of some archives) is classified as an opening, closing or ambiguous mark from
//!    the characters around it; marks between letters or before digits (Israel’s, Sa’ar,
//!    ’90s, rock ’n’ roll) are apostrophes and never open or close anything.
//! 2. **Pairing.** A small stack pairs the marks inside one paragraph. Marks nested inside
//!    an open quote stay part of the outer quote. A quote still open at the end of its
//!    paragraph is kept only when the next paragraph opens with a quotation mark (the
//!    multi-paragraph convention); otherwise it is dropped, so a stray mark can never swallow
//!    the rest of the article.
//! 3. **Attribution.** The paragraph outside the quotes is cut into words and sentences (each
//!    quote is one opaque token). For each quote the nearest reporting cue of its sentence is
//!    looked for after the quote (`“…,” X said`, `“…” said X, a spokesperson …`), then before
//!    it (`X said: “…”`, `X warned that a “…”`, `according to X`), and the speaker is the
//!    subject (or inverted subject) of that cue. Names resolve to the NER entity they are a
//!    mention of; `he`/`she` resolve to the most recent compatible PERSON. A quote that opens
//!    its sentence without a cue continues the previous speaker (split quotes, follow-up
//!    paragraphs, `X said:` paragraphs). A cue-less quote of four words or more still goes to
//!    its sentence's subject (in news such quotes are nearly always someone's words); a
//!    shorter one, or one with nobody to give it to, is a scare quote.

pub use crate::nlp::analysis::QuoteKind;
use crate::nlp::text::Span;

/// One entity of the NER stage, its mentions already grouped ("Peskow" and "Dmitri Peskow").
#[derive(Clone, Copy, Debug)]
pub struct QuoteEntity<'a> {
    /// The fullest name of the entity, reported as the speaker.
    pub name: &'a str,
    /// `PERSON`, `ORG`, `LOC` or `MISC`.
    pub label: &'a str,
    /// Byte spans of the mentions in the text.
    pub mentions: &'a [Span],
}

/// One quotation found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundQuote {
    /// Byte span of the quoted text, quotation marks excluded.
    pub span: Span,
    pub kind: QuoteKind,
    /// The speaker's fullest name, or the phrase the article uses ("officials").
    pub speaker: Option<String>,
    /// Index of the speaker in the `entities` slice given to [`QuoteFinder::find`].
    pub speaker_entity: Option<usize>,
    /// The reporting verb or phrase ("said", "according to", ":").
    pub cue: Option<String>,
    pub cue_span: Option<Span>,
}

/// Finds and attributes quotations. Build once, share between threads, call per article.
pub struct QuoteFinder {
    cues: WordSet,
    skip: WordSet,
    bounds: WordSet,
    cut: WordSet,
    abbrev: WordSet,
    male: WordSet,
    female: WordSet,
}

/// Reporting verbs. Nouns that look like verbs ("states", "claims"...) are left out on
/// purpose where the noun is common in news ("United States" would otherwise be a cue).
const CUES: &[&str] = &[
    "according",
    "acknowledged",
    "acknowledges",
    "added",
    "adding",
    "adds",
    "admits",
    "admitted",
    "affirmed",
    "alleged",
    "alleges",
    "announced",
    "answered",
    "argued",
    "argues",
    "arguing",
    "asked",
    "asking",
    "asks",
    "asserted",
    "asserts",
    "assured",
    "bemoaned",
    "blasted",
    "boasted",
    "bragged",
    "called",
    "calling",
    "calls",
    "cautioned",
    "charged",
    "chimed",
    "claimed",
    "claiming",
    "commented",
    "complained",
    "conceded",
    "concedes",
    "concluded",
    "confirmed",
    "contended",
    "continued",
    "continues",
    "countered",
    "cracked",
    "cried",
    "declared",
    "declares",
    "declaring",
    "demanded",
    "described",
    "describes",
    "describing",
    "dubbed",
    "echoed",
    "emphasised",
    "emphasized",
    "emphasizes",
    "elaborated",
    "argue",
    "branded",
    "chanted",
    "chanting",
    "criticized",
    "decried",
    "denounced",
    "derided",
    "dismissed",
    "echoing",
    "hailed",
    "lambasted",
    "portrayed",
    "praised",
    "predicting",
    "slammed",
    "vows",
    "accused",
    "accuses",
    "found",
    "finds",
    "welcomed",
    "vented",
    "sang",
    "exclaimed",
    "explained",
    "explaining",
    "explains",
    "grumbled",
    "insisted",
    "insisting",
    "insists",
    "joked",
    "jokes",
    "labeled",
    "labelled",
    "lamented",
    "maintained",
    "mocked",
    "mused",
    "noted",
    "notes",
    "noting",
    "opined",
    "pleaded",
    "pledged",
    "posted",
    "predicted",
    "proclaimed",
    "promised",
    "promises",
    "promising",
    "quipped",
    "read",
    "reads",
    "recalled",
    "recalling",
    "recalls",
    "recounted",
    "remarked",
    "replied",
    "replies",
    "reported",
    "responded",
    "responds",
    "retorted",
    "said",
    "say",
    "saying",
    "says",
    "scoffed",
    "screamed",
    "shouted",
    "signaled",
    "signalled",
    "snapped",
    "speculated",
    "stated",
    "stating",
    "stressed",
    "suggested",
    "suggesting",
    "tell",
    "telling",
    "tells",
    "termed",
    "testified",
    "thundered",
    "told",
    "touted",
    "tweeted",
    "tweeting",
    "tweets",
    "urged",
    "urging",
    "vowed",
    "vowing",
    "warned",
    "warning",
    "warns",
    "wondered",
    "write",
    "writes",
    "writing",
    "wrote",
    "yelled",
];

/// Verb + particle cues.
const PHRASAL: &[(&str, &str)] = &[
    ("chimed", "in"),
    ("cut", "in"),
    ("fired", "back"),
    ("goes", "on"),
    ("went", "on"),
    ("pointed", "out"),
    ("points", "out"),
    ("shot", "back"),
    ("weighed", "in"),
    ("wrote", "back"),
];

/// Adverbs and auxiliaries that sit between a subject and its cue (`he also said`,
/// `Trump has repeatedly said`); skipped when looking for the subject.
const SKIP: &[&str] = &[
    "again",
    "already",
    "also",
    "always",
    "actually",
    "angrily",
    "still",
    "now",
    "herself",
    "himself",
    "themselves",
    "been",
    "bluntly",
    "could",
    "did",
    "does",
    "earlier",
    "even",
    "famously",
    "finally",
    "flatly",
    "frequently",
    "further",
    "had",
    "has",
    "have",
    "immediately",
    "is",
    "just",
    "later",
    "never",
    "not",
    "often",
    "once",
    "only",
    "previously",
    "privately",
    "publicly",
    "quickly",
    "recently",
    "repeatedly",
    "reportedly",
    "simply",
    "then",
    "ultimately",
    "was",
    "will",
    "would",
];

/// Words that end a subject when walking back from a cue: the subject of `said` in
/// `… and the senator said` is "the senator", not the clause before "and".
const BOUNDS: &[&str] = &[
    "after", "although", "and", "as", "because", "before", "but", "how", "if", "or", "since", "so",
    "than", "that", "though", "unless", "until", "what", "when", "where", "whether", "which",
    "while", "who", "whom", "whose", "why",
];

/// Words that end an inverted subject (`said the spokesman in a statement`).
const CUT: &[&str] = &[
    "about",
    "after",
    "at",
    "before",
    "during",
    "earlier",
    "friday",
    "in",
    "last",
    "monday",
    "on",
    "saturday",
    "sunday",
    "this",
    "thursday",
    "today",
    "tonight",
    "tuesday",
    "via",
    "wednesday",
    "when",
    "while",
    "yesterday",
];

/// Abbreviations whose period does not end a sentence.
const ABBREV: &[&str] = &[
    "adm", "apr", "aug", "capt", "cmdr", "co", "col", "corp", "dec", "dr", "feb", "gen", "gov",
    "inc", "jan", "jr", "jul", "jun", "lt", "ltd", "maj", "mar", "mr", "mrs", "ms", "mt", "no",
    "nov", "oct", "prof", "rep", "reps", "rev", "sen", "sens", "sep", "sept", "sgt", "sr", "st",
    "supt", "u.s", "vs",
];

/// First names with a clear gender, so `she` skips a recent "Donald Trump" and `he` skips a
/// recent "Hillary Clinton" (the NER stage gives no gender).
const MALE: &[&str] = &[
    "adam", "al", "alan", "andrew", "anthony", "barack", "ben", "bernie", "brian", "carl",
    "charles", "chuck", "corey", "dennis", "dick", "don", "doug", "ed", "edward", "frank", "fred",
    "gary", "glenn", "greg", "howard", "jack", "jason", "jeff", "jeremy", "jerry", "joel", "jon",
    "jonathan", "josh", "juan", "keith", "ken", "larry", "lou", "martin", "matt", "mitt", "mr.",
    "neil", "nick", "peter", "phil", "ralph", "randy", "ray", "reid", "roger", "ronald", "roy",
    "sam", "sean", "stephen", "steven", "todd", "tony", "trey", "walter", "wayne", "bill", "bob",
    "chris", "dan", "david", "dmitri", "donald", "eric", "george", "harry", "jeb", "jim", "joe",
    "john", "jose", "kevin", "lindsey", "marco", "mark", "michael", "mike", "mitch", "newt",
    "paul", "rand", "reince", "richard", "rick", "robert", "ron", "rudy", "scott", "steve", "ted",
    "tim", "tom", "vladimir", "william",
];
const FEMALE: &[&str] = &[
    "alison",
    "amanda",
    "andrea",
    "betsy",
    "carol",
    "catherine",
    "chelsea",
    "christine",
    "cynthia",
    "dana",
    "deborah",
    "diane",
    "elaine",
    "ellen",
    "erin",
    "heather",
    "helen",
    "jessica",
    "joan",
    "judith",
    "judy",
    "julia",
    "julie",
    "kathleen",
    "kathy",
    "katie",
    "kelly",
    "liz",
    "lynn",
    "martha",
    "melissa",
    "mrs.",
    "ms.",
    "molly",
    "monica",
    "nicole",
    "pamela",
    "paula",
    "rebecca",
    "roberta",
    "ruth",
    "sally",
    "sandra",
    "sara",
    "sharon",
    "stephanie",
    "tara",
    "valerie",
    "wendy",
    "amy",
    "angela",
    "ann",
    "anne",
    "barbara",
    "carly",
    "claire",
    "condoleezza",
    "debbie",
    "dianne",
    "donna",
    "elizabeth",
    "emily",
    "hillary",
    "hope",
    "huma",
    "ivanka",
    "jane",
    "jennifer",
    "jill",
    "karen",
    "kate",
    "kellyanne",
    "kirsten",
    "laura",
    "linda",
    "lisa",
    "loretta",
    "madeleine",
    "margaret",
    "maria",
    "mary",
    "megyn",
    "melania",
    "michelle",
    "nancy",
    "nikki",
    "patricia",
    "rachel",
    "sarah",
    "susan",
    "theresa",
];

/// Quotes of at least this many words get a speaker even without a cue.
const WEAK_MIN_WORDS: usize = 4;

const PRONOUN_HE: u8 = 1;
const PRONOUN_SHE: u8 = 2;

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
struct Raw {
    inner: Span,
    /// Whole extent including the marks (for tokenizing the text around it).
    outer: Span,
    /// Still open at the end of its paragraph; the next paragraph continues it.
    runs_on: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tk {
    Word,
    Punct(u8),
    Quote(usize),
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    start: usize,
    end: usize,
    kind: Tk,
    /// A reporting cue, decided once per paragraph (every quote asks again).
    cue: bool,
}

/// The result of attributing one quote.
#[derive(Clone, Debug, Default)]
struct Attr {
    speaker: Option<Span>,
    entity: Option<usize>,
    cue: Option<Span>,
    /// `according to`, `:`: the cue text is not a single word span.
    cue_text: Option<&'static str>,
}

impl Attr {
    fn has_speaker(&self) -> bool {
        self.speaker.is_some() || self.entity.is_some()
    }
}

/// Per-call view of the entities: mentions sorted by position.
struct Mentions<'e, 'r> {
    list: Vec<(Span, usize)>,
    entities: &'e [QuoteEntity<'e>],
    text: &'e str,
    /// The quotes found, for skipping mentions inside them.
    raws: &'r [Raw],
}

/// A case-insensitive set of ASCII words: open addressing over an FNV hash of the
/// lowercased bytes, so a lookup is one hash and usually one comparison (the cue test runs
/// on every word of every paragraph holding a quote).
struct WordSet {
    table: Vec<u16>,
    words: Vec<&'static str>,
}

impl WordSet {
    fn new(list: &[&'static str]) -> Self {
        let mut words = list.to_vec();
        words.sort_unstable();
        words.dedup();
        let size = (words.len() * 4).next_power_of_two().max(16);
        let mut table = vec![0u16; size];
        for (i, w) in words.iter().enumerate() {
            let mut h = Self::hash(w) as usize & (size - 1);
            while table[h] != 0 {
                h = (h + 1) & (size - 1);
            }
            table[h] = i as u16 + 1;
        }
        WordSet { table, words }
    }

    fn hash(w: &str) -> u32 {
        let mut h: u32 = 0x811c_9dc5;
        for b in w.bytes() {
            h = (h ^ u32::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0193);
        }
        h
    }

    fn contains(&self, w: &str) -> bool {
        if w.len() > 24 || w.is_empty() {
            return false;
        }
        let mask = self.table.len() - 1;
        let mut h = Self::hash(w) as usize & mask;
        loop {
            match self.table[h] {
                0 => return false,
                i => {
                    if self.words[usize::from(i) - 1].eq_ignore_ascii_case(w) {
                        return true;
                    }
                }
            }
            h = (h + 1) & mask;
        }
    }
}

fn prev_char(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

fn next_char(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

fn is_open_char(c: char) -> bool {
    matches!(
        c,
        '“' | '‘' | '„' | '«' | '"' | '\'' | '`' | '(' | '[' | '{'
    )
}

/// Characters after which a mark reads as an opening mark.
fn opens_after(p: Option<char>) -> bool {
    match p {
        None => true,
        Some(c) => c.is_whitespace() || matches!(c, '—' | '–' | '-' | '/') || is_open_char(c),
    }
}

/// Characters before which a mark reads as a closing mark.
fn closes_before(n: Option<char>) -> bool {
    match n {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '}'
                        | '—'
                        | '–'
                        | '-'
                        | '/'
                        | '…'
                        | '”'
                        | '’'
                        | '"'
                        | '\''
                        | '»'
                )
        }
    }
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

/// Classifies the quotation marks of one paragraph into `out` (apostrophes are left out).
fn scan_marks(text: &str, ps: usize, pe: usize, out: &mut Vec<Mark>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut i = ps;
    while i < pe {
        // Every mark is ASCII or starts with byte 0xE2 (U+201x) or 0xC2 (« »); skipping
        // other bytes never lands inside a mark's encoding.
        if !matches!(bytes[i], b'"' | b'\'' | b'`' | 0xE2 | 0xC2) {
            i += 1;
            continue;
        }
        let c = match next_char(text, i) {
            Some(c) => c,
            None => break,
        };
        let len = c.len_utf8();
        let p = if i > ps { prev_char(text, i) } else { None };
        let after = i + len;
        let n = if after < pe {
            next_char(text, after)
        } else {
            None
        };
        let mut push = |start: usize, end: usize, fam: Fam, role: Role| {
            out.push(Mark {
                start,
                end,
                fam,
                role,
            })
        };
        match c {
            // Opening-shaped marks open unless the context clearly closes (and vice versa).
            '“' | '«' => {
                let r = role_from_context(p, n);
                push(
                    i,
                    after,
                    Fam::Double,
                    if r == Role::Close { r } else { Role::Open },
                );
            }
            '”' | '»' => {
                let r = role_from_context(p, n);
                push(
                    i,
                    after,
                    Fam::Double,
                    if r == Role::Open { r } else { Role::Close },
                );
            }
            '„' => push(i, after, Fam::Double, Role::Open),
            '"' => push(i, after, Fam::Double, role_from_context(p, n)),
            '‘' | '’' | '\'' | '`' => {
                // Runs of ASCII marks: '' and `` are double quotes in some archives.
                let mut k = 1;
                if c == '\'' || c == '`' {
                    while i + k < pe && bytes[i + k] == bytes[i] {
                        k += 1;
                    }
                }
                let end = i + if k > 1 { k } else { len };
                let n = if end < pe { next_char(text, end) } else { None };
                if k == 2 {
                    let role = if c == '`' {
                        Role::Open
                    } else {
                        role_from_context(p, n)
                    };
                    push(i, end, Fam::Double, role);
                } else if k == 3 && c == '\'' {
                    // ''' is a single and a double mark; which comes first depends on the side.
                    match role_from_context(p, n) {
                        Role::Open => {
                            push(i, i + 2, Fam::Double, Role::Open);
                            push(i + 2, end, Fam::Single, Role::Open);
                        }
                        _ => {
                            push(i, i + 1, Fam::Single, Role::Close);
                            push(i + 1, end, Fam::Double, Role::Close);
                        }
                    }
                } else if k == 1 {
                    if let Some(role) = single_role(text, c, i, end, pe, p, n) {
                        push(i, end, Fam::Single, role);
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i = after;
    }
}

/// Role of a single-quote character, or `None` when it is an apostrophe.
fn single_role(
    text: &str,
    c: char,
    i: usize,
    end: usize,
    pe: usize,
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
    if n == Some('n') && end + 1 < pe && matches!(next_char(text, end + 1), Some('’' | '\'')) {
        return None;
    }
    if p == Some('n') && i >= 2 && matches!(prev_char(text, i - 1), Some('’' | '\'')) {
        return None;
    }
    match c {
        // ’ never opens: at a word start it is an elision (’em, ’til).
        '’' => {
            if p.is_some_and(|c| !c.is_whitespace()) && closes_before(n) {
                Some(Role::Close)
            } else {
                None
            }
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

/// True when the paragraph starting at `ps` opens with a quotation mark of family `fam`.
fn starts_with_open(text: &str, ps: usize, pe: usize, fam: Fam) -> bool {
    let s = text[ps..pe].trim_start();
    match fam {
        Fam::Double => {
            s.starts_with(['“', '„', '«', '"', '”']) || s.starts_with("''") || s.starts_with("``")
        }
        Fam::Single => s.starts_with(['‘', '\'']),
    }
}

/// Pairs the marks of one paragraph into quotes (outermost only).
fn pair_marks(
    text: &str,
    marks: &[Mark],
    ps: usize,
    pe: usize,
    next_para: Option<(usize, usize)>,
    stack: &mut Vec<Mark>,
    out: &mut Vec<Raw>,
) {
    stack.clear();
    let emit = |open: &Mark, close: &Mark, out: &mut Vec<Raw>| {
        let inner = Span {
            start: open.end,
            end: close.start,
        };
        if text[inner.start..inner.end]
            .chars()
            .any(char::is_alphanumeric)
        {
            out.push(Raw {
                inner,
                outer: Span {
                    start: open.start,
                    end: close.end,
                },
                runs_on: false,
            });
        }
    };
    for m in marks {
        let top = stack.last().map(|t| t.fam);
        let role = match m.role {
            Role::Either => {
                if top == Some(m.fam) {
                    Role::Close
                } else {
                    Role::Open
                }
            }
            r => r,
        };
        match role {
            Role::Open => stack.push(*m),
            _ => {
                if m.fam == Fam::Single {
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
        }
    }
    // Still open at paragraph end: only the multi-paragraph convention keeps it.
    if let Some(first) = stack.first() {
        if let Some((ns, ne)) = next_para {
            if starts_with_open(text, ns, ne, first.fam) {
                let end = ps + text[ps..pe].trim_end().len();
                if end > first.end && text[first.end..end].chars().any(char::is_alphanumeric) {
                    out.push(Raw {
                        inner: Span {
                            start: first.end,
                            end,
                        },
                        outer: Span {
                            start: first.start,
                            end,
                        },
                        runs_on: true,
                    });
                }
            }
        }
    }
}

/// Splits a paragraph into word and punctuation tokens, each quote being one token.
fn tokenize(
    text: &str,
    ps: usize,
    pe: usize,
    quotes: &[Raw],
    q0: usize,
    abbrev: &WordSet,
    out: &mut Vec<Tok>,
) {
    out.clear();
    let mut i = ps;
    let mut qi = q0;
    while i < pe {
        if qi < quotes.len() && quotes[qi].outer.start <= i {
            out.push(Tok {
                start: quotes[qi].outer.start,
                end: quotes[qi].outer.end,
                kind: Tk::Quote(qi),
                cue: false,
            });
            i = quotes[qi].outer.end.max(i + 1);
            qi += 1;
            while i < pe && !text.is_char_boundary(i) {
                i += 1;
            }
            continue;
        }
        let limit = if qi < quotes.len() {
            quotes[qi].outer.start.min(pe)
        } else {
            pe
        };
        let c = match next_char(text, i) {
            Some(c) => c,
            None => break,
        };
        if c.is_alphanumeric() {
            let start = i;
            let mut j = i + c.len_utf8();
            while j < limit {
                let d = match next_char(text, j) {
                    Some(d) => d,
                    None => break,
                };
                // Letters, digits, and joiners between them (Sa’ar, U.S, al-Assad, AT&T).
                let joiner = matches!(d, '\'' | '’' | '-' | '.' | '&')
                    && j + d.len_utf8() < limit
                    && alnum(next_char(text, j + d.len_utf8()));
                if d.is_alphanumeric() || joiner {
                    j += d.len_utf8();
                } else {
                    break;
                }
            }
            // `Sen.`, `Robert P. Casey`: the period of an abbreviation or an initial belongs
            // to the word, so it neither ends the sentence nor cuts a name in two.
            if j < limit && text.as_bytes()[j] == b'.' {
                let w = &text[start..j];
                let initial = w.len() == 1 && w.chars().all(|c| c.is_ascii_uppercase());
                if initial || abbrev.contains(w) {
                    j += 1;
                }
            }
            out.push(Tok {
                start,
                end: j,
                kind: Tk::Word,
                cue: false,
            });
            i = j;
            continue;
        }
        let p = match c {
            ',' | ';' | ':' | '.' | '!' | '?' | '(' | ')' => Some(c as u8),
            '—' | '–' => Some(b'-'),
            '-' if next_char(text, i + 1).is_some_and(char::is_whitespace) => Some(b'-'),
            _ => None,
        };
        if let Some(p) = p {
            out.push(Tok {
                start: i,
                end: i + c.len_utf8(),
                kind: Tk::Punct(p),
                cue: false,
            });
        }
        i += c.len_utf8();
    }
}

impl Default for QuoteFinder {
    fn default() -> Self {
        Self::new()
    }
}

impl QuoteFinder {
    pub fn new() -> Self {
        QuoteFinder {
            cues: WordSet::new(CUES),
            skip: WordSet::new(SKIP),
            bounds: WordSet::new(BOUNDS),
            cut: WordSet::new(CUT),
            abbrev: WordSet::new(ABBREV),
            male: WordSet::new(MALE),
            female: WordSet::new(FEMALE),
        }
    }

    /// Finds the quotations of `text`, in text order. `entities` are the NER entities of the
    /// same text; `speaker_entity` indexes into it.
    pub fn find(&self, text: &str, entities: &[QuoteEntity]) -> Vec<FoundQuote> {
        let mut list: Vec<(Span, usize)> = entities
            .iter()
            .enumerate()
            .flat_map(|(i, e)| e.mentions.iter().map(move |m| (*m, i)))
            .filter(|(m, _)| m.start < m.end && m.end <= text.len())
            .collect();
        list.sort_unstable_by_key(|(m, _)| (m.start, m.end));

        // Pass 1: quotes of every paragraph.
        let mut raws: Vec<Raw> = Vec::new();
        let mut paras: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, first raw)
        let mut marks = Vec::new();
        let mut stack = Vec::new();
        let mut spans = paragraphs(text);
        let mut cur = spans.next();
        while let Some((ps, pe)) = cur {
            let next = spans.next();
            let first = raws.len();
            scan_marks(text, ps, pe, &mut marks);
            pair_marks(text, &marks, ps, pe, next, &mut stack, &mut raws);
            paras.push((ps, pe, first));
            cur = next;
        }
        if raws.is_empty() {
            return Vec::new();
        }
        let ments = Mentions {
            list,
            entities,
            text,
            raws: &raws,
        };

        // Pass 2: attribution, paragraph by paragraph.
        let mut out: Vec<FoundQuote> = Vec::with_capacity(raws.len());
        let mut toks = Vec::new();
        let mut sents: Vec<(usize, usize)> = Vec::new();
        // Attribution of the last attributed quote and the paragraph it was in.
        let mut last: Option<(Attr, usize)> = None;
        // Attribution introduced by a paragraph ending in `X said:`.
        let mut colon: Option<Attr> = None;
        let mut prev_runs_on = false;
        for (pi, &(ps, pe, first)) in paras.iter().enumerate() {
            let end_raw = paras.get(pi + 1).map_or(raws.len(), |p| p.2);
            if first == end_raw {
                // A paragraph without quotes still introduces the next one (`X said:`) and
                // breaks a continuation chain.
                // `Kerry said that 100,000 would be accepted.` before a paragraph that
                // opens with a quote: the cue of its last sentence introduces that quote.
                colon = None;
                let next_opens = paras.get(pi + 1).is_some_and(|&(ns, _, nf)| {
                    nf < raws.len() && text[ns..raws[nf].outer.start].trim().is_empty()
                });
                if next_opens {
                    tokenize(text, ps, pe, &raws, end_raw, &self.abbrev, &mut toks);
                    self.mark_cues(text, &mut toks);
                    self.sentences(text, &toks, &raws, &mut sents);
                    if let Some(&(a, b)) = sents.last() {
                        colon = self.cue_in(text, &toks, a, b, &ments);
                    }
                }
                prev_runs_on = false;
                continue;
            }
            tokenize(text, ps, pe, &raws, first, &self.abbrev, &mut toks);
            self.mark_cues(text, &mut toks);
            self.sentences(text, &toks, &raws, &mut sents);
            let para_colon = colon.take();
            for (si, &(a, b)) in sents.iter().enumerate() {
                for t in a..b {
                    let qi = match toks[t].kind {
                        Tk::Quote(qi) => qi,
                        _ => continue,
                    };
                    let raw = raws[qi];
                    let sentence_initial = t == a;
                    let mut attr = self.attribute(text, &toks, a, b, t, &ments);
                    let mut kind = QuoteKind::Partial;
                    let mut weak = false;
                    if let Some(at) = &attr {
                        if self.is_full(text, &toks, a, b, t, at) {
                            kind = QuoteKind::Full;
                        }
                    } else {
                        // No cue in the sentence: a quote opening its sentence continues the
                        // current speaker (split quote, next paragraph, `X said:` before it).
                        let words = text[raw.inner.start..raw.inner.end]
                            .split_whitespace()
                            .count();
                        let first_of_para = t == 0 && si == 0;
                        if sentence_initial {
                            if first_of_para && para_colon.is_some() {
                                attr = para_colon.clone();
                            } else if let Some((la, lp)) = &last {
                                let near = *lp == pi
                                    || (*lp + 1 == pi && first_of_para)
                                    || (prev_runs_on && first_of_para);
                                if near && (words >= 3 || prev_runs_on) {
                                    attr = Some(la.clone());
                                }
                            }
                            if attr.is_some() {
                                kind = QuoteKind::Full;
                            }
                        }
                        // A longer quotation without any cue is still nearly always someone's
                        // words (`Pew found that “…”`, `she vented that it would be “…”`):
                        // give it to the sentence's subject. Short ones are scare quotes.
                        if attr.is_none() && words >= WEAK_MIN_WORDS {
                            let lp = last.as_ref().filter(|l| l.1 == pi).map(|l| &l.0);
                            let at = self.weak(text, &toks, a, b, &ments, lp);
                            // Nobody to give it to: leave it a scare quote.
                            if at.has_speaker() {
                                attr = Some(at);
                                weak = true;
                            }
                        }
                    }
                    match attr {
                        Some(at) => {
                            let found = self.emit(text, raw.inner, kind, &at, &ments);
                            if !weak && (at.has_speaker() || at.cue.is_some()) {
                                last = Some((at, pi));
                            }
                            out.push(found);
                        }
                        None => out.push(FoundQuote {
                            span: raw.inner,
                            kind: QuoteKind::Scare,
                            speaker: None,
                            speaker_entity: None,
                            cue: None,
                            cue_span: None,
                        }),
                    }
                }
            }
            prev_runs_on = raws[end_raw - 1].runs_on;
            colon = None;
            if toks.last().is_some_and(|t| t.kind == Tk::Punct(b':')) {
                if let Some(&(a, b)) = sents.last() {
                    colon = self.cue_in(text, &toks, a, b, &ments);
                }
            }
        }
        // A multi-paragraph quote whose first paragraph had no cue yet gets the chain's speaker.
        backfill_chains(&raws, &mut out);
        out
    }

    fn emit(
        &self,
        text: &str,
        span: Span,
        kind: QuoteKind,
        at: &Attr,
        ments: &Mentions,
    ) -> FoundQuote {
        let speaker = match at.entity {
            Some(e) => Some(ments.entities[e].name.to_string()),
            None => at.speaker.map(|s| s.slice(text).to_string()),
        };
        let cue = match (at.cue_text, at.cue) {
            (Some(c), _) => Some(c.to_string()),
            (None, Some(s)) => Some(s.slice(text).to_string()),
            _ => None,
        };
        FoundQuote {
            span,
            kind,
            speaker,
            speaker_entity: at.entity,
            cue,
            cue_span: at.cue,
        }
    }

    fn word<'t>(&self, text: &'t str, t: &Tok) -> &'t str {
        &text[t.start..t.end]
    }

    fn is_cue(&self, _text: &str, toks: &[Tok], i: usize) -> bool {
        toks[i].cue
    }

    /// Sets `cue` on the tokens that are reporting cues.
    fn mark_cues(&self, text: &str, toks: &mut [Tok]) {
        for i in 0..toks.len() {
            toks[i].cue = self.cue_word(text, toks, i);
        }
    }

    fn cue_word(&self, text: &str, toks: &[Tok], i: usize) -> bool {
        if toks[i].kind != Tk::Word {
            return false;
        }
        let w = self.word(text, &toks[i]);
        if w.eq_ignore_ascii_case("according") {
            return toks.get(i + 1).is_some_and(|t| {
                t.kind == Tk::Word && self.word(text, t).eq_ignore_ascii_case("to")
            });
        }
        if self.cues.contains(w) {
            return true;
        }
        // Two-word cues: `went on`, `pointed out`, `shot back`, `cut in`.
        PHRASAL.iter().any(|(v, p)| {
            w.eq_ignore_ascii_case(v)
                && toks.get(i + 1).is_some_and(|t| {
                    t.kind == Tk::Word && self.word(text, t).eq_ignore_ascii_case(p)
                })
        })
    }

    /// Sentence ranges over `toks`. Quotes are opaque; a quote ending in . ! ? ends its
    /// sentence unless a short attribution follows (`“Why?” he asked.`).
    fn sentences(&self, text: &str, toks: &[Tok], raws: &[Raw], out: &mut Vec<(usize, usize)>) {
        out.clear();
        let mut a = 0;
        for i in 0..toks.len() {
            let next = toks.get(i + 1);
            let next_starts = match next {
                None => false,
                Some(t) => match t.kind {
                    Tk::Quote(_) => true,
                    Tk::Word => text[t.start..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || c.is_numeric()),
                    Tk::Punct(p) => p == b'(',
                },
            };
            let brk = match toks[i].kind {
                Tk::Punct(b'.' | b'!' | b'?') => next_starts,
                Tk::Quote(qi) => {
                    let inner = text[raws[qi].inner.start..raws[qi].inner.end].trim_end();
                    next_starts
                        && inner.ends_with(['.', '!', '?'])
                        && !self.short_attribution(text, toks, i + 1)
                }
                _ => false,
            };
            if brk {
                out.push((a, i + 1));
                a = i + 1;
            }
        }
        if a < toks.len() {
            out.push((a, toks.len()));
        }
    }

    /// The subject of sentence `a..c` as far as cheap cues tell: its first PERSON outside
    /// quotes or its first `he`/`she`, whichever comes first.
    fn sentence_subject(
        &self,
        text: &str,
        toks: &[Tok],
        a: usize,
        c: usize,
        ments: &Mentions,
    ) -> Option<usize> {
        let person = ments.first_person_in(toks[a].start, toks[c].start);
        let pron = toks[a..c].iter().find(|t| {
            t.kind == Tk::Word && {
                let w = self.word(text, t);
                w.eq_ignore_ascii_case("he") || w.eq_ignore_ascii_case("she")
            }
        });
        let pstart = person.and_then(|e| {
            ments
                .range(toks[a].start, toks[c].start)
                .iter()
                .find(|(_, x)| *x == e)
                .map(|(m, _)| m.start)
        });
        match (pron, pstart) {
            (Some(t), ps) if ps.is_none_or(|p| t.start < p) => {
                let g = if t.end - t.start == 2 {
                    PRONOUN_HE
                } else {
                    PRONOUN_SHE
                };
                self.antecedent(ments, t.start, g).or(person)
            }
            _ => person,
        }
    }

    /// Speaker of a sentence without a cue: its first PERSON outside quotes, a pronoun
    /// subject, another entity, or the paragraph's last speaker.
    #[allow(clippy::too_many_arguments)]
    fn weak(
        &self,
        text: &str,
        toks: &[Tok],
        a: usize,
        b: usize,
        ments: &Mentions,

        last: Option<&Attr>,
    ) -> Attr {
        let mut at = Attr::default();
        let (ss, se) = (toks[a].start, toks[b - 1].end);
        if let Some(e) = ments.first_person_in(ss, se) {
            at.entity = Some(e);
            return at;
        }
        if let Some(t) = toks[a..b].iter().find(|t| t.kind == Tk::Word) {
            let w = self.word(text, t);
            if w.eq_ignore_ascii_case("he") || w.eq_ignore_ascii_case("she") {
                let g = if w.len() == 2 {
                    PRONOUN_HE
                } else {
                    PRONOUN_SHE
                };
                at.entity = self.antecedent(ments, t.start, g);
                return at;
            }
        }
        if let Some(&(_, e)) = ments.range(ss, se).iter().find(|(m, _)| !ments.in_quote(m)) {
            at.entity = Some(e);
            return at;
        }
        if let Some(l) = last {
            return l.clone();
        }
        at
    }

    /// `he asked.` / `said Smith.` right after a quote: a few words holding a cue.
    fn short_attribution(&self, text: &str, toks: &[Tok], from: usize) -> bool {
        let mut words = 0;
        let mut cue = false;
        for i in from..toks.len() {
            match toks[i].kind {
                Tk::Word => {
                    if !cue && self.is_cue(text, toks, i) {
                        if i == from && self.word(text, &toks[i]).starts_with(char::is_uppercase) {
                            return false;
                        }
                        cue = true;
                        words = 0;
                        continue;
                    }
                    words += 1;
                    if words > 6 {
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

    /// The cue of sentence `a..b` (last one) with its speaker: used for `X said:` lines.
    fn cue_in(
        &self,
        text: &str,
        toks: &[Tok],
        a: usize,
        b: usize,
        ments: &Mentions,
    ) -> Option<Attr> {
        if let Some(c) = (a..b).rev().find(|&i| self.is_cue(text, toks, i)) {
            return self.extract(text, toks, a, b, c, ments);
        }
        // `President Clinton released the following statement:`
        let colon = toks[b - 1];
        if colon.kind != Tk::Punct(b':') {
            return None;
        }
        ments
            .first_person_in(toks[a].start, colon.start)
            .map(|e| Attr {
                speaker: None,
                entity: Some(e),
                cue: Some(Span {
                    start: colon.start,
                    end: colon.end,
                }),
                cue_text: Some(":"),
            })
    }

    /// Attribution of the quote token `q` in sentence `a..b`.
    #[allow(clippy::too_many_arguments)]
    fn attribute(
        &self,
        text: &str,
        toks: &[Tok],
        a: usize,
        b: usize,
        q: usize,
        ments: &Mentions,
    ) -> Option<Attr> {
        // 1. Right after the quote, before the next quote: `“…,” X said`, `“…” said X`.
        let mut words = 0;
        for i in q + 1..b {
            match toks[i].kind {
                Tk::Quote(_) => break,
                Tk::Word => {
                    if self.is_cue(text, toks, i) {
                        // `After X said … “less advanced schools,” Trump said: “…”`: a cue
                        // followed by the next quote introduces that one, not a quote
                        // embedded in the clause before it.
                        let embedded = q > a && toks[q - 1].kind == Tk::Word;
                        let mut j = i + 1;
                        while j < b && matches!(toks[j].kind, Tk::Punct(b',' | b':')) {
                            j += 1;
                        }
                        let intro = j < b && matches!(toks[j].kind, Tk::Quote(_));
                        if embedded && intro {
                            break;
                        }
                        if let Some(at) = self.extract(text, toks, a, b, i, ments) {
                            return Some(at);
                        }
                        break;
                    }
                    let w = self.word(text, &toks[i]);
                    if self.bounds.contains(w)
                        && !(is_relative(w) && toks[i - 1].kind == Tk::Punct(b','))
                    {
                        break;
                    }
                    words += 1;
                    if words > 14 {
                        break;
                    }
                }
                Tk::Punct(b';' | b'(') => break,
                _ => {}
            }
        }
        // 2. The nearest cue before it: `X said: “…”`, `X warned that a “…”`.
        for i in (a..q).rev() {
            if self.is_cue(text, toks, i) {
                if let Some(at) = self.extract(text, toks, a, b, i, ments) {
                    return Some(at);
                }
            }
        }
        // 3. A cue later in the sentence: `In the face of “…” it is “…” he emphasized`.
        for i in q + 1..b {
            if self.is_cue(text, toks, i) {
                if let Some(at) = self.extract(text, toks, a, b, i, ments) {
                    return Some(at);
                }
            }
        }
        // 4. A colon right before the quote after a name: `Trump’s answer: “…”`.
        if q > a && toks[q - 1].kind == Tk::Punct(b':') {
            let (s, e) = (toks[a].start, toks[q - 1].start);
            if let Some(ent) = ments
                .first_person_in(s, e)
                .or_else(|| ments.last_in(s, e, false))
            {
                return Some(Attr {
                    speaker: None,
                    entity: Some(ent),
                    cue: Some(Span {
                        start: toks[q - 1].start,
                        end: toks[q - 1].end,
                    }),
                    cue_text: Some(":"),
                });
            }
        }
        None
    }

    /// Speaker of the cue at token `c`.
    #[allow(clippy::too_many_arguments)]
    fn extract(
        &self,
        text: &str,
        toks: &[Tok],
        a: usize,
        b: usize,
        c: usize,
        ments: &Mentions,
    ) -> Option<Attr> {
        let cue_span = Span {
            start: toks[c].start,
            end: toks[c].end,
        };
        let mut at = Attr {
            cue: Some(cue_span),
            ..Attr::default()
        };
        let w = self.word(text, &toks[c]);
        if w.eq_ignore_ascii_case("according") {
            at.cue = Some(Span {
                start: toks[c].start,
                end: toks[c + 1].end,
            });
            at.cue_text = Some("according to");
            self.forward_speaker(text, toks, c + 2, b, ments, &mut at);
            return Some(at);
        }
        // Inverted order right after a quote: `“…,” said X, a spokesperson for Y`.
        let mut k = c;
        while k > a && toks[k - 1].kind == Tk::Punct(b',') {
            k -= 1;
        }
        let after_quote = k > a && matches!(toks[k - 1].kind, Tk::Quote(_));
        let participle = w.len() > 4 && w.ends_with("ing");
        // `Any “cleareyed” reading, said Michael Kofman, …`: a name right after `, said`.
        let comma_name = k < c && toks.get(c + 1).is_some_and(|t| ments.person_at(t.start));
        if !participle && (after_quote || k == a || comma_name) {
            self.forward_speaker(text, toks, c + 1, b, ments, &mut at);
            if at.has_speaker() {
                return Some(at);
            }
        }
        // `X said …, adding that “…”`, `Trump took to Twitter, writing “…”`: a participle
        // has no subject of its own; it shares the main clause's.
        if w.len() > 4 && w.ends_with("ing") {
            if let Some(prev) = (a..c).rev().find(|&i| {
                self.is_cue(text, toks, i) && !self.word(text, &toks[i]).ends_with("ing")
            }) {
                if let Some(mut main) = self.extract(text, toks, a, b, prev, ments) {
                    if main.has_speaker() {
                        main.cue = at.cue;
                        return Some(main);
                    }
                }
            }
            if let Some(e) = self.sentence_subject(text, toks, a, c, ments) {
                at.entity = Some(e);
                return Some(at);
            }
        }
        self.backward_speaker(text, toks, a, c, ments, &mut at);
        if !at.has_speaker() {
            // `Trump took to Twitter, writing “…”`, `… and then predicted: “…”`: the subject
            // of the sentence.
            if let Some(prev) = (a..c).rev().find(|&i| self.is_cue(text, toks, i)) {
                if let Some(main) = self.extract(text, toks, a, b, prev, ments) {
                    if main.has_speaker() {
                        return Some(Attr {
                            cue: at.cue,
                            ..main
                        });
                    }
                }
            }
            at.entity = self.sentence_subject(text, toks, a, c, ments);
            if at.entity.is_none() {
                // `the Wisconsin Republican criticized … and said`: the sentence's first
                // noun phrase.
                let e = (a..c)
                    .find(|&i| match toks[i].kind {
                        Tk::Word => {
                            let w = self.word(text, &toks[i]);
                            self.bounds.contains(w) || self.cues.contains(w)
                        }
                        Tk::Punct(p) => p != b',',
                        Tk::Quote(_) => true,
                    })
                    .unwrap_or(c);
                let s = (a..e)
                    .rev()
                    .find(|&i| toks[i].kind == Tk::Punct(b','))
                    .map_or(a, |i| i + 1);
                if s < e {
                    self.resolve_chunk(text, toks, s, e, ments, &mut at);
                }
            }
        }
        Some(at)
    }

    /// Inverted subject after a cue, cut at the first comma unless an apposition names the
    /// speaker (`said a spokesperson for the ministry, Esmail Baghaei`).
    fn forward_speaker(
        &self,
        text: &str,
        toks: &[Tok],
        from: usize,
        b: usize,
        ments: &Mentions,
        at: &mut Attr,
    ) {
        let mut chunks: [(usize, usize); 2] = [(from, from); 2];
        let mut n = 0;
        let mut s = from;
        let mut i = from;
        while i < b && n < 2 {
            match toks[i].kind {
                // `said a former official who oversaw …`: the subject ends at the clause.
                Tk::Word if i > from && self.bounds.contains(self.word(text, &toks[i])) => break,
                Tk::Word => {}
                Tk::Punct(b',') => {
                    chunks[n] = (s, i);
                    n += 1;
                    s = i + 1;
                }
                _ => break,
            }
            i += 1;
        }
        if n < 2 {
            chunks[n] = (s, i.min(b));
            n += 1;
        }
        let (c0s, c0e) = chunks[0];
        if c0s >= c0e {
            return;
        }
        let p0 = ments.person_in(toks[c0s].start, toks[c0e - 1].end);
        if p0.is_none() && n > 1 {
            let (c1s, c1e) = chunks[1];
            if c1s < c1e {
                if let Some(e) = ments.starting_person(toks[c1s].start, toks[c1e - 1].end) {
                    at.entity = Some(e);
                    at.speaker = Some(Span {
                        start: toks[c1s].start,
                        end: toks[c1e - 1].end,
                    });
                    return;
                }
            }
        }
        if let Some(ent) = self.head_entity_at(text, toks, c0s, c0e, ments, true) {
            at.entity = Some(ent);
            at.speaker = Some(Span {
                start: toks[c0s].start,
                end: toks[c0e - 1].end,
            });
            return;
        }
        // Cut `the spokesman in a statement` to `the spokesman`.
        let mut end = c0e;
        if p0.is_none() {
            if let Some(j) = (c0s..c0e).find(|&j| self.cut.contains(self.word(text, &toks[j]))) {
                end = j;
            }
        }
        if end > c0s {
            self.resolve_chunk(text, toks, c0s, end, ments, at);
        }
    }

    /// Subject before a cue: walks back to a clause boundary, then picks the name part of
    /// `X, a spokesperson for Y,` or `a spokesperson for Y, X`.
    #[allow(clippy::too_many_arguments)]
    fn backward_speaker(
        &self,
        text: &str,
        toks: &[Tok],
        a: usize,
        c: usize,
        ments: &Mentions,

        at: &mut Attr,
    ) {
        let mut r1 = c;
        while r1 > a && toks[r1 - 1].kind == Tk::Word && {
            let w = self.word(text, &toks[r1 - 1]);
            self.skip.contains(w)
                || (w.len() > 4
                    && w.ends_with("ly")
                    && w.starts_with(char::is_lowercase)
                    && !matches!(
                        w,
                        "family" | "rally" | "assembly" | "supply" | "anomaly" | "monopoly"
                    ))
        } {
            r1 -= 1;
        }
        let trailing = r1 > a && toks[r1 - 1].kind == Tk::Punct(b',');
        let mut r0 = r1;
        let mut n = 0;
        // Inside the parenthetical of `X, while being interviewed on Fox and Friends, said`
        // clause words do not end the subject.
        let mut in_paren = trailing;
        while r0 > a && n < 30 {
            let t = &toks[r0 - 1];
            match t.kind {
                Tk::Quote(_) => break,
                Tk::Punct(b',') => {
                    if r0 < r1 {
                        in_paren = false;
                    }
                }
                Tk::Punct(_) => break,
                Tk::Word => {
                    let w = self.word(text, t);
                    if self.bounds.contains(w) {
                        let rel = is_relative(w) && r0 >= 2 && toks[r0 - 2].kind == Tk::Punct(b',');
                        if rel && r0 == r1 {
                            // `Mike Lee, who declared …`: the subject is the name before `, who`.
                            let e = r0 - 2;
                            let mut s = e;
                            while s > a
                                && toks[s - 1].kind == Tk::Word
                                && !self.bounds.contains(self.word(text, &toks[s - 1]))
                            {
                                s -= 1;
                            }
                            if s < e {
                                self.resolve_chunk(text, toks, s, e, ments, at);
                            }
                            return;
                        }
                        // `X, who spoke in Ohio, said`: a relative clause inside the subject.
                        if !(in_paren || (is_relative(w) && trailing)) {
                            break;
                        }
                    }
                    // Inside `X, who has told aides …, said` a cue does not end the subject.
                    if !trailing && self.cues.contains(w) {
                        break;
                    }
                }
            }
            r0 -= 1;
            n += 1;
        }
        if r0 >= r1 {
            // `Ms. Sherry smiled and said`: the subject of the verb before `and`.
            if r1 >= a + 3
                && self.word(text, &toks[r1 - 1]).eq_ignore_ascii_case("and")
                && toks[r1 - 2].kind == Tk::Word
                && self
                    .word(text, &toks[r1 - 2])
                    .starts_with(char::is_lowercase)
            {
                self.backward_speaker(text, toks, a, r1 - 2, ments, at);
            }
            return;
        }
        // Comma-separated chunks of the region.
        let mut bounds: [usize; 8] = [0; 8];
        let mut nb = 0;
        for (i, t) in toks.iter().enumerate().take(r1).skip(r0) {
            if t.kind == Tk::Punct(b',') && nb < 8 {
                bounds[nb] = i;
                nb += 1;
            }
        }
        let chunk = |k: usize| -> (usize, usize) {
            let s = if k == 0 { r0 } else { bounds[k - 1] + 1 };
            let e = if k == nb { r1 } else { bounds[k] };
            (s, e)
        };
        if !trailing {
            // `In an interview on Sunday, Trump said`, `a spokesperson for Y, X said`.
            let (s, e) = chunk(nb);
            if s < e {
                self.resolve_chunk(text, toks, s, e, ments, at);
            }
            return;
        }
        // `X, a spokesperson for Y, said`, `Blunt, after a long pause, said`,
        // `A spokesman for Y, X, said`: the first chunk starting with a name, else the
        // first chunk headed by one, else the first chunk.
        for k in 0..nb {
            let (s, e) = chunk(k);
            if s < e {
                if let Some(ent) = ments.starting_person(toks[s].start, toks[e - 1].end) {
                    at.entity = Some(ent);
                    at.speaker = Some(Span {
                        start: toks[s].start,
                        end: toks[e - 1].end,
                    });
                    return;
                }
            }
        }
        {
            let (s, e) = chunk(0);
            if s < e {
                if let Some(ent) = self.head_entity(text, toks, s, e, ments) {
                    at.entity = Some(ent);
                    at.speaker = Some(Span {
                        start: toks[s].start,
                        end: toks[e - 1].end,
                    });
                    return;
                }
            }
        }
        let (s, e) = chunk(0);
        if s < e {
            self.resolve_chunk(text, toks, s, e, ments, at);
        }
    }

    /// Speaker of a chunk of words: the PERSON (else other entity) at its head, a
    /// pronoun's antecedent, or the phrase itself (`officials`, `one campaign source`).
    fn resolve_chunk(
        &self,
        text: &str,
        toks: &[Tok],
        s: usize,
        e: usize,
        ments: &Mentions,
        at: &mut Attr,
    ) {
        let (ss, se) = (toks[s].start, toks[e - 1].end);
        if let Some(ent) = self.head_entity(text, toks, s, e, ments) {
            at.entity = Some(ent);
            at.speaker = Some(Span { start: ss, end: se });
            return;
        }
        let words = toks[s..e].iter().filter(|t| t.kind == Tk::Word).count();
        if words == 0 {
            return;
        }
        // `on Tuesday night he said`: the subject is the word right before the verb.
        if toks[e - 1].kind == Tk::Word {
            let w = self.word(text, &toks[e - 1]);
            // `He's said`, `she'd said`: the contraction belongs to the pronoun.
            let w = w.split(['\'', '\u{2019}']).next().unwrap_or(w);
            let g = if w.eq_ignore_ascii_case("he") {
                PRONOUN_HE
            } else if w.eq_ignore_ascii_case("she") {
                PRONOUN_SHE
            } else {
                0
            };
            if g != 0 {
                at.entity = self.antecedent(ments, toks[e - 1].start, g);
                return;
            }
        }
        // `a Democratic staffer in the room`: the phrase ends before a place or time;
        // `The Republican candidate appeared to …`: a determiner phrase ends before a verb.
        let det = matches!(
            self.word(text, &toks[s]).to_ascii_lowercase().as_str(),
            "the" | "a" | "an" | "one" | "another"
        );
        let cut = (s + 1..e)
            .find(|&j| {
                toks[j].kind == Tk::Word && {
                    let w = self.word(text, &toks[j]);
                    self.cut.contains(w)
                        || (det
                            && j > s + 1
                            && w.len() > 4
                            && w.ends_with("ed")
                            && w.starts_with(char::is_lowercase))
                }
            })
            .unwrap_or(e);
        if words <= 10 {
            at.speaker = Some(Span {
                start: ss,
                end: toks[cut - 1].end,
            });
        }
    }

    /// The entity heading chunk `s..e`: its last (or first, for an inverted subject)
    /// non-possessive PERSON mention, else any entity mention, that is not a modifier of a
    /// following noun: in `one Trump campaign source` the name is not the speaker.
    #[allow(clippy::too_many_arguments)]
    fn head_entity_at(
        &self,
        text: &str,
        toks: &[Tok],
        s: usize,
        e: usize,
        ments: &Mentions,
        first: bool,
    ) -> Option<usize> {
        let (ss, se) = (toks[s].start, toks[e - 1].end);
        let r = ments.range(ss, se);
        for person in [true, false] {
            for k in 0..r.len() {
                let (m, ent) = if first { r[k] } else { r[r.len() - 1 - k] };
                if m.end > se || (person && !ments.is_person(ent)) || ments.in_quote(&m) {
                    continue;
                }
                if text[m.end..].starts_with(['\u{2019}', '\'']) {
                    continue;
                }
                // First word after the mention inside the chunk.
                // (A binary search: a chunk can be long and hold many mentions.)
                let next = toks[s + toks[s..e].partition_point(|t| t.start < m.end)..e].first();
                // `a South Carolina Democrat`, `one Trump campaign source`.
                let modifier = next.is_some_and(|t| {
                    let w = self.word(text, t);
                    t.kind == Tk::Word
                        && !self.cut.contains(w)
                        && !self.bounds.contains(w)
                        && !matches!(w, "of" | "from" | "for" | "to" | "himself" | "herself")
                });
                if !modifier {
                    return Some(ent);
                }
            }
        }
        None
    }

    fn head_entity(
        &self,
        text: &str,
        toks: &[Tok],
        s: usize,
        e: usize,
        ments: &Mentions,
    ) -> Option<usize> {
        self.head_entity_at(text, toks, s, e, ments, false)
    }

    /// Antecedent of `he`/`she` at `pos`: the most recent gender-compatible PERSON mention
    /// outside quotes, moved to the first compatible PERSON of that sentence, since the
    /// subject of the last sentence naming someone is the usual referent.
    fn antecedent(&self, ments: &Mentions, pos: usize, gender: u8) -> Option<usize> {
        self.antecedent_d(ments, pos, gender, 0)
    }

    fn antecedent_d(&self, ments: &Mentions, pos: usize, gender: u8, depth: u8) -> Option<usize> {
        let ok = |m: &Span, e: usize| -> bool {
            let ent = &ments.entities[e];
            if ent.label != "PERSON" || ments.in_quote(m) {
                return false;
            }
            if gender != 0 {
                let first = ent.name.split_whitespace().next().unwrap_or("");
                let before = &ments.text[..m.start];
                let female = self.female.contains(first)
                    || before.ends_with("Mrs. ")
                    || before.ends_with("Ms. ");
                let male = self.male.contains(first) || before.ends_with("Mr. ");
                if (gender == PRONOUN_HE && female) || (gender == PRONOUN_SHE && male) {
                    return false;
                }
            }
            true
        };
        let end = ments.list.partition_point(|(m, _)| m.start < pos);
        // A possessive (`Trump’s influence`) is rarely what a later `he` refers to.
        let idx = (0..end)
            .rev()
            .find(|&i| ok(&ments.list[i].0, ments.list[i].1) && !ments.is_possessive(i))
            .or_else(|| {
                (0..end)
                    .rev()
                    .find(|&i| ok(&ments.list[i].0, ments.list[i].1))
            })?;
        // `Trump, Sexton said, has …`: a name that is itself the subject of a cue wins.
        let after = ments.text[ments.list[idx].0.end..].trim_start_matches([' ', ',']);
        let next = after
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        if self.cues.contains(next) {
            return Some(ments.list[idx].1);
        }
        // `… said Jeffery Hemsley, an assistant professor`: the inverted subject of a cue.
        let before = ments.text[..ments.list[idx].0.start].trim_end_matches([' ', ',']);
        let prev = before
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        if self.cues.contains(prev) {
            return Some(ments.list[idx].1);
        }
        let ss = sentence_start(ments.text, ments.list[idx].0.start);
        // `He lambasted the deal negotiated by Obama`: a sentence whose subject is the same
        // pronoun is about the pronoun's referent, not the name in it; look further back.
        if depth < 3 && gender != 0 {
            let head = &ments.text[ss..];
            let pron = if gender == PRONOUN_HE { "He " } else { "She " };
            if head.starts_with(pron) {
                return self.antecedent_d(ments, ss, gender, depth + 1);
            }
        }
        let lo = ments.list.partition_point(|(m, _)| m.start < ss);
        (lo..=idx)
            .find(|&i| {
                let m = ments.list[i].0;
                ok(&m, ments.list[i].1) && (i == idx || !ments.is_modifier(i))
            })
            .map(|i| ments.list[i].1)
    }

    /// Full when the quote is the whole statement: it opens its sentence, or only the
    /// attribution (`X said:`, `X said that`, `according to X,`) stands before it.
    fn is_full(&self, text: &str, toks: &[Tok], a: usize, _b: usize, q: usize, at: &Attr) -> bool {
        if q == a {
            return true;
        }
        let mut p = q - 1;
        if matches!(toks[p].kind, Tk::Punct(b',' | b':')) {
            if toks[p].kind == Tk::Punct(b':') {
                return true;
            }
            if p == a {
                return true;
            }
            p -= 1;
        }
        if let Some(cs) = at.cue {
            if toks[p].end == cs.end || toks[p].start >= cs.end {
                // Right after the cue, after `that`, or after the speaker of `according to X,`.
                let w = self.word(text, &toks[p]);
                return toks[p].end == cs.end
                    || w.eq_ignore_ascii_case("that")
                    || at.cue_text == Some("according to")
                    || (toks[p].kind == Tk::Word
                        && at.speaker.is_some_and(|s| s.end == toks[p].end));
            }
        }
        false
    }
}

impl Mentions<'_, '_> {
    fn range(&self, s: usize, e: usize) -> &[(Span, usize)] {
        let lo = self.list.partition_point(|(m, _)| m.start < s);
        let hi = self.list.partition_point(|(m, _)| m.start < e);
        &self.list[lo..hi.max(lo)]
    }

    fn is_person(&self, e: usize) -> bool {
        self.entities[e].label == "PERSON"
    }

    /// Last PERSON mention inside `s..e`, preferring one that is not a possessive
    /// (`Trump’s spokeswoman Hope Hicks`).
    fn person_in(&self, s: usize, e: usize) -> Option<usize> {
        let r = self.range(s, e);
        let mut any = None;
        for &(m, ent) in r.iter().rev() {
            if m.end > e || !self.is_person(ent) {
                continue;
            }
            any.get_or_insert(ent);
            if !self.text[m.end..].starts_with(['\u{2019}', '\'']) {
                return Some(ent);
            }
        }
        any
    }

    /// A PERSON mention that starts the span `s..e`.
    fn starting_person(&self, s: usize, e: usize) -> Option<usize> {
        self.range(s, e)
            .iter()
            .find(|(m, ent)| {
                m.start == s
                    && m.end <= e
                    && self.is_person(*ent)
                    && (m.end == e || !self.text[m.end..].starts_with(['\u{2019}', '\'']))
            })
            .map(|&(_, ent)| ent)
    }

    /// Last mention inside `s..e` (PERSON only, or any label).
    fn last_in(&self, s: usize, e: usize, person: bool) -> Option<usize> {
        self.range(s, e)
            .iter()
            .rev()
            .find(|(m, ent)| m.end <= e && (!person || self.is_person(*ent)))
            .map(|&(_, ent)| ent)
    }

    fn is_possessive(&self, i: usize) -> bool {
        self.text[self.list[i].0.end..].starts_with(['\u{2019}', '\''])
    }

    /// `Obama consultant Cornell Belcher`, `Trump’s aide`: a mention that modifies a noun
    /// (possessive, or lowercase words up to the next name) is not a subject.
    fn is_modifier(&self, i: usize) -> bool {
        let m = self.list[i].0;
        let rest = &self.text[m.end..];
        if rest.starts_with(['\u{2019}', '\'']) {
            return true;
        }
        let Some(&(next, _)) = self.list.get(i + 1) else {
            return false;
        };
        let between = &self.text[m.end..next.start.max(m.end)];
        !between.trim().is_empty()
            && between.len() < 40
            && between
                .split_whitespace()
                .all(|w| w.chars().all(|c| c.is_lowercase() || c == '-'))
    }

    /// A PERSON mention starts at byte `pos`.
    fn person_at(&self, pos: usize) -> bool {
        let k = self.list.partition_point(|(m, _)| m.start < pos);
        self.list[k..]
            .iter()
            .take_while(|(m, _)| m.start == pos)
            .any(|&(_, e)| self.is_person(e))
    }

    fn in_quote(&self, m: &Span) -> bool {
        let k = self.raws.partition_point(|r| r.outer.start <= m.start);
        k > 0 && m.end <= self.raws[k - 1].outer.end
    }

    /// First PERSON mention in `s..e` that is not inside a quote.
    fn first_person_in(&self, s: usize, e: usize) -> Option<usize> {
        self.range(s, e)
            .iter()
            .find(|(m, ent)| m.end <= e && self.is_person(*ent) && !self.in_quote(m))
            .map(|&(_, ent)| ent)
    }
}

fn is_relative(w: &str) -> bool {
    w.eq_ignore_ascii_case("who")
        || w.eq_ignore_ascii_case("which")
        || w.eq_ignore_ascii_case("whose")
}

/// Start of the sentence holding byte `pos`: after the last `. ` / `! ` / `? ` or newline.
fn sentence_start(text: &str, pos: usize) -> usize {
    let b = text.as_bytes();
    let mut i = pos;
    while i > 0 {
        let c = b[i - 1];
        if c == b'\n' {
            return i;
        }
        if i < pos && c.is_ascii_whitespace() && i >= 2 && matches!(b[i - 2], b'.' | b'!' | b'?') {
            return i;
        }
        i -= 1;
    }
    0
}

/// Paragraphs: maximal runs of text between newlines, whitespace-only runs skipped.
fn paragraphs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < text.len() {
            let start = pos;
            let end = text[pos..].find('\n').map_or(text.len(), |k| pos + k);
            pos = end + 1;
            if !text[start..end].trim().is_empty() {
                return Some((start, end));
            }
        }
        None
    })
}

/// A multi-paragraph quote is one quote per paragraph with one speaker: when only a later
/// (or earlier) paragraph of the chain found the attribution, copy it to the others.
fn backfill_chains(raws: &[Raw], out: &mut [FoundQuote]) {
    // out[i] corresponds to raws[i]: quotes are emitted in text order, one per raw.
    let mut i = 0;
    while i < raws.len() {
        if !raws[i].runs_on {
            i += 1;
            continue;
        }
        // Chain: raws[i] runs on into raws[i+1], which may run on further.
        let mut j = i;
        while j + 1 < raws.len() && raws[j].runs_on {
            j += 1;
        }
        if let Some(src) =
            (i..=j).find(|&k| out[k].speaker.is_some() || out[k].speaker_entity.is_some())
        {
            let (sp, se, cue, cs) = (
                out[src].speaker.clone(),
                out[src].speaker_entity,
                out[src].cue.clone(),
                out[src].cue_span,
            );
            for q in out[i..=j].iter_mut() {
                if q.speaker.is_none() && q.speaker_entity.is_none() {
                    q.speaker = sp.clone();
                    q.speaker_entity = se;
                    if q.cue.is_none() {
                        q.cue = cue.clone();
                        q.cue_span = cs;
                    }
                    q.kind = QuoteKind::Full;
                }
            }
        }
        i = j + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entities for a test text: (name, label, surface forms); every occurrence of a form
    /// (longest first, no overlaps) is a mention.
    struct Ents {
        names: Vec<(&'static str, &'static str)>,
        mentions: Vec<Vec<Span>>,
    }

    fn ents(text: &str, spec: &[(&'static str, &'static str, &[&str])]) -> Ents {
        let mut taken: Vec<Span> = Vec::new();
        let mut mentions = Vec::new();
        for (_, _, forms) in spec {
            let mut ms = Vec::new();
            for f in forms.iter() {
                for (i, m) in text.match_indices(f) {
                    let sp = Span {
                        start: i,
                        end: i + m.len(),
                    };
                    if !taken.iter().any(|t| t.start < sp.end && sp.start < t.end) {
                        taken.push(sp);
                        ms.push(sp);
                    }
                }
            }
            ms.sort();
            mentions.push(ms);
        }
        Ents {
            names: spec.iter().map(|(n, l, _)| (*n, *l)).collect(),
            mentions,
        }
    }

    fn run(text: &str, spec: &[(&'static str, &'static str, &[&str])]) -> Vec<FoundQuote> {
        let e = ents(text, spec);
        let qe: Vec<QuoteEntity> = e
            .names
            .iter()
            .zip(&e.mentions)
            .map(|((n, l), m)| QuoteEntity {
                name: n,
                label: l,
                mentions: m,
            })
            .collect();
        QuoteFinder::new().find(text, &qe)
    }

    fn spans(text: &str, found: &[FoundQuote]) -> Vec<String> {
        found
            .iter()
            .map(|q| q.span.slice(text).to_string())
            .collect()
    }

    const SMITH: (&str, &str, &[&str]) = ("John Smith", "PERSON", &["John Smith", "Smith"]);

    #[test]
    fn every_mark_style() {
        for (text, inner) in [
            ("“We will win,” Smith said.", "We will win,"),
            ("‘We will win,’ Smith said.", "We will win,"),
            ("\"We will win,\" Smith said.", "We will win,"),
            ("'We will win,' Smith said.", "We will win,"),
            ("«We will win», Smith said.", "We will win"),
            ("„We will win“, Smith said.", "We will win"),
            ("''We will win,'' Smith said.", "We will win,"),
            ("``We will win,'' Smith said.", "We will win,"),
        ] {
            let f = run(text, &[SMITH]);
            assert_eq!(spans(text, &f), vec![inner], "{text}");
            assert_eq!(f[0].speaker.as_deref(), Some("John Smith"), "{text}");
            assert_eq!(f[0].cue.as_deref(), Some("said"), "{text}");
            assert_eq!(f[0].kind, QuoteKind::Full, "{text}");
        }
    }

    #[test]
    fn multi_paragraph_quote_is_one_quote_per_paragraph() {
        let text = "Smith said: “The first part.\n\n“The second part goes on.\n\n“The end of it.”\n\nLater news.";
        let f = run(text, &[SMITH]);
        assert_eq!(
            spans(text, &f),
            vec![
                "The first part.",
                "The second part goes on.",
                "The end of it."
            ]
        );
        assert!(f.iter().all(|q| q.speaker.as_deref() == Some("John Smith")));
        // The attribution may also come only in the last paragraph.
        let text = "“The first part of it.\n\n“The end of it,” Smith said.";
        let f = run(text, &[SMITH]);
        assert_eq!(f.len(), 2);
        assert!(f.iter().all(|q| q.speaker.as_deref() == Some("John Smith")));
    }

    #[test]
    fn nested_quote_is_part_of_the_outer_one() {
        let text = "“He told me ‘no way’ and “never” yesterday,” Smith said.";
        let f = run(text, &[SMITH]);
        assert_eq!(
            spans(text, &f),
            vec!["He told me ‘no way’ and “never” yesterday,"]
        );
    }

    #[test]
    fn apostrophes_never_open_or_close() {
        let text = "Israel’s minister Gideon Sa’ar said the ’90s and rock ’n’ roll didn't matter, voters’ views aside. It's 'em.";
        assert!(run(text, &[]).is_empty());
        let text = "“Israel’s right about the ’90s,” Sa’ar said.";
        let f = run(text, &[("Gideon Sa’ar", "PERSON", &["Sa’ar"])]);
        assert_eq!(spans(text, &f), vec!["Israel’s right about the ’90s,"]);
        assert_eq!(f[0].speaker.as_deref(), Some("Gideon Sa’ar"));
    }

    #[test]
    fn unbalanced_mark_stays_in_its_paragraph() {
        let text = "He called it “a disaster and more.\n\nThe next paragraph has “a real quote here,” Smith said.";
        let f = run(text, &[SMITH]);
        assert_eq!(spans(text, &f), vec!["a real quote here,"]);
        let text = "A stray ” closing mark and a stray “ opening one.\n\nNothing else.";
        assert!(run(text, &[]).is_empty());
    }

    #[test]
    fn cue_orders() {
        let cases: &[(&str, &str)] = &[
            ("“We will win,” Smith said.", "said"),
            ("“We will win” Smith said when asked.", "said"),
            (
                "“We will win,” said Smith, a spokesperson for the party.",
                "said",
            ),
            ("Smith said: “We will win.”", "said"),
            ("Smith told reporters that “we will win.”", "told"),
            ("According to Smith, “we will win.”", "according to"),
            (
                "Smith, a spokesperson for the party, stated, “We will win.”",
                "stated",
            ),
        ];
        for (text, cue) in cases {
            let f = run(text, &[SMITH]);
            assert_eq!(f.len(), 1, "{text}");
            assert_eq!(f[0].speaker.as_deref(), Some("John Smith"), "{text}");
            assert_eq!(f[0].speaker_entity, Some(0), "{text}");
            assert_eq!(f[0].cue.as_deref(), Some(*cue), "{text}");
            let cs = f[0].cue_span.unwrap();
            assert!(text[cs.start..cs.end].eq_ignore_ascii_case(cue));
        }
    }

    #[test]
    fn split_quote_shares_its_cue() {
        let text = "“We will win,” Smith said, “and nobody can stop us.” “Believe me, it is true.”";
        let f = run(text, &[SMITH]);
        assert_eq!(f.len(), 3);
        assert!(f.iter().all(|q| q.speaker.as_deref() == Some("John Smith")));
        assert!(f.iter().all(|q| q.kind == QuoteKind::Full));
    }

    #[test]
    fn pronoun_resolves_to_the_recent_person() {
        let text = "Dmitri Peskow spoke on Thursday. Moscow “is ready to do everything” he added.";
        let f = run(
            text,
            &[
                ("Dmitri Peskow", "PERSON", &["Dmitri Peskow", "Peskow"]),
                ("Moscow", "LOC", &["Moscow"]),
            ],
        );
        assert_eq!(f[0].speaker.as_deref(), Some("Dmitri Peskow"));
        assert_eq!(f[0].speaker_entity, Some(0));
        assert_eq!(f[0].cue.as_deref(), Some("added"));
        // `she` skips a recent male name.
        let text = "Hillary Clinton met Donald Trump. “It went well,” she said.";
        let f = run(
            text,
            &[
                ("Hillary Clinton", "PERSON", &["Hillary Clinton"]),
                ("Donald Trump", "PERSON", &["Donald Trump"]),
            ],
        );
        assert_eq!(f[0].speaker.as_deref(), Some("Hillary Clinton"));
    }

    #[test]
    fn surname_resolves_to_the_full_name() {
        let text = "Dmitri Peskow spoke. Later, “we are ready,” Peskow said.";
        let f = run(
            text,
            &[("Dmitri Peskow", "PERSON", &["Dmitri Peskow", "Peskow"])],
        );
        assert_eq!(f[0].speaker.as_deref(), Some("Dmitri Peskow"));
    }

    #[test]
    fn apposition_names_the_speaker() {
        let spec: &[(&'static str, &'static str, &[&str])] = &[
            ("Esmail Baghaei", "PERSON", &["Esmail Baghaei"]),
            (
                "Iranian Foreign Ministry",
                "ORG",
                &["Iranian Foreign Ministry"],
            ),
        ];
        for text in [
            "“This is irrational,” said a spokesperson for the Iranian Foreign Ministry, Esmail Baghaei.",
            "“This is irrational,” said Esmail Baghaei, a spokesperson for the Iranian Foreign Ministry, last week.",
            "A spokesperson for the Iranian Foreign Ministry, Esmail Baghaei, said: “This is irrational.”",
            "Esmail Baghaei, a spokesperson for the Iranian Foreign Ministry, said: “This is irrational.”",
        ] {
            let f = run(text, spec);
            assert_eq!(f[0].speaker.as_deref(), Some("Esmail Baghaei"), "{text}");
            assert_eq!(f[0].speaker_entity, Some(0), "{text}");
        }
    }

    #[test]
    fn next_paragraph_without_cue_keeps_the_speaker() {
        let text = "“We will win,” Smith said.\n\n“And we will keep winning for a long time.”";
        let f = run(text, &[SMITH]);
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].speaker.as_deref(), Some("John Smith"));
        // `X said:` at the end of a paragraph introduces the next one.
        let text = "Smith said in a statement:\n\n“We will win this race.”";
        let f = run(text, &[SMITH]);
        assert_eq!(f[0].speaker.as_deref(), Some("John Smith"));
    }

    #[test]
    fn non_entity_speaker_keeps_the_phrase() {
        let text = "“We are worried about it,” officials said.";
        let f = run(text, &[]);
        assert_eq!(f[0].speaker.as_deref(), Some("officials"));
        assert_eq!(f[0].speaker_entity, None);
        let text = "“We are worried,” said the spokesman in a statement.";
        let f = run(text, &[]);
        assert_eq!(f[0].speaker.as_deref(), Some("the spokesman"));
    }

    #[test]
    fn scare_versus_partial() {
        let text = "US President Trump returned to his “maximum pressure” campaign last month.";
        let f = run(text, &[("Donald Trump", "PERSON", &["Trump"])]);
        assert_eq!(f[0].kind, QuoteKind::Scare);
        assert_eq!(f[0].speaker, None);
        assert_eq!(f[0].cue, None);
        let text = "Smith warned that a “military option” might be on the table.";
        let f = run(text, &[SMITH]);
        assert_eq!(f[0].kind, QuoteKind::Partial);
        assert_eq!(f[0].speaker.as_deref(), Some("John Smith"));
        assert_eq!(f[0].cue.as_deref(), Some("warned"));
    }

    #[test]
    fn finder_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<QuoteFinder>();
    }
}
