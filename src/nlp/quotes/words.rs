//! Every word list and threshold of the quotation stage, each named with its reason.

use crate::nlp::text::wordset::WordSet;
use std::sync::LazyLock;

/// Reporting verbs. Nouns that look like verbs ("states", "claims"...) are left out on
/// purpose where the noun is common in news ("United States" would otherwise be a cue).
pub static CUES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
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
        "cited",
        "cites",
        "citing",
        "condemned",
        "condemns",
        "likened",
        "likens",
        "rated",
    ])
});

/// Verb + particle cues.
pub const PHRASAL: &[(&str, &str)] = &[
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
pub static SKIP: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
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
    ])
});

/// Words that end a subject when walking back from a cue: the subject of `said` in
/// `… and the senator said` is "the senator", not the clause before "and".
pub static BOUNDS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "after", "although", "and", "as", "because", "before", "but", "how", "if", "or", "since",
        "so", "than", "that", "though", "unless", "until", "what", "when", "where", "whether",
        "which", "while", "who", "whom", "whose", "why",
    ])
});

/// Words that end an inverted subject (`said the spokesman in a statement`).
pub static CUT: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
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
    ])
});

/// First names with a clear gender, so `she` skips a recent "Donald Trump" and `he` skips a
/// recent "Hillary Clinton" (the recognizer gives no gender). An entity named with its
/// honorific ("Mr. Smith") counts by it; an honorific before a mention is read by
/// [`crate::nlp::coref`].
pub static MALE: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "aaron",
        "abdul",
        "ahmed",
        "alexander",
        "ali",
        "andy",
        "angus",
        "antonio",
        "arthur",
        "barry",
        "benjamin",
        "boris",
        "brad",
        "brandon",
        "bruce",
        "bryan",
        "carlos",
        "charlie",
        "christopher",
        "colin",
        "craig",
        "daniel",
        "darren",
        "dean",
        "derek",
        "dominic",
        "douglas",
        "drew",
        "dylan",
        "emmanuel",
        "eugene",
        "francis",
        "francisco",
        "gavin",
        "geoffrey",
        "gerald",
        "gordon",
        "graham",
        "hamid",
        "harold",
        "henry",
        "hugh",
        "ian",
        "ivan",
        "jacob",
        "james",
        "javier",
        "jimmy",
        "johnny",
        "joseph",
        "justin",
        "kenneth",
        "kyle",
        "leonard",
        "luis",
        "manuel",
        "marcus",
        "mario",
        "matthew",
        "mohamed",
        "mohammed",
        "muhammad",
        "nathan",
        "nicholas",
        "nigel",
        "oliver",
        "omar",
        "oscar",
        "patrick",
        "pedro",
        "philip",
        "raymond",
        "ricardo",
        "rob",
        "rodney",
        "russell",
        "ryan",
        "samuel",
        "sergei",
        "simon",
        "stanley",
        "stuart",
        "thomas",
        "timothy",
        "trevor",
        "victor",
        "vincent",
        "warren",
        "xi",
        "yusuf",
        "zach",
        "jean-claude",
        "pierre",
        "hans",
        "jacques",
        "giuseppe",
        "andrei",
        "dmitry",
        "recep",
        "narendra",
        "shinzo",
        "emmanuel",
        "justin",
        "malcolm",
        "kevin",
        "gerry",
        "kieran",
        "liam",
        "connor",
        "owen",
        "rhys",
        "adam",
        "al",
        "alan",
        "andrew",
        "anthony",
        "barack",
        "ben",
        "bernie",
        "brian",
        "carl",
        "charles",
        "chuck",
        "corey",
        "dennis",
        "dick",
        "don",
        "doug",
        "ed",
        "edward",
        "frank",
        "fred",
        "gary",
        "glenn",
        "greg",
        "howard",
        "jack",
        "jason",
        "jeff",
        "jeremy",
        "jerry",
        "joel",
        "jon",
        "jonathan",
        "josh",
        "juan",
        "keith",
        "ken",
        "larry",
        "lou",
        "martin",
        "matt",
        "mitt",
        "mr.",
        "neil",
        "nick",
        "peter",
        "phil",
        "ralph",
        "randy",
        "ray",
        "reid",
        "roger",
        "ronald",
        "roy",
        "sam",
        "sean",
        "stephen",
        "steven",
        "todd",
        "tony",
        "trey",
        "walter",
        "wayne",
        "bill",
        "bob",
        "chris",
        "dan",
        "david",
        "dmitri",
        "donald",
        "eric",
        "george",
        "harry",
        "jeb",
        "jim",
        "joe",
        "john",
        "jose",
        "kevin",
        "lindsey",
        "marco",
        "mark",
        "michael",
        "mike",
        "mitch",
        "newt",
        "paul",
        "rand",
        "reince",
        "richard",
        "rick",
        "robert",
        "ron",
        "rudy",
        "scott",
        "steve",
        "ted",
        "tim",
        "tom",
        "vladimir",
        "william",
    ])
});

/// See [`MALE`].
pub static FEMALE: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "abigail",
        "alice",
        "alicia",
        "amelia",
        "ana",
        "angelina",
        "anna",
        "annie",
        "beatrice",
        "bella",
        "beth",
        "brenda",
        "bridget",
        "caroline",
        "cathy",
        "charlotte",
        "cheryl",
        "christina",
        "cindy",
        "clara",
        "claudia",
        "daisy",
        "danielle",
        "denise",
        "doris",
        "dorothy",
        "eleanor",
        "elena",
        "eliza",
        "ella",
        "emma",
        "eva",
        "eve",
        "fatima",
        "fiona",
        "florence",
        "frances",
        "gemma",
        "georgina",
        "gillian",
        "gloria",
        "grace",
        "hannah",
        "harriet",
        "helena",
        "irene",
        "isabel",
        "isabella",
        "jacqueline",
        "jade",
        "janet",
        "jasmine",
        "jeanne",
        "jenny",
        "joanna",
        "josephine",
        "joy",
        "katherine",
        "kathryn",
        "katrina",
        "kristen",
        "leah",
        "lily",
        "lindsay",
        "louise",
        "lucy",
        "lydia",
        "maggie",
        "marie",
        "marina",
        "marion",
        "maya",
        "meg",
        "megan",
        "mia",
        "natalie",
        "natasha",
        "nina",
        "olivia",
        "penny",
        "priya",
        "rosa",
        "rose",
        "ruby",
        "samantha",
        "sophia",
        "sophie",
        "stella",
        "sue",
        "sylvia",
        "tanya",
        "teresa",
        "tina",
        "tracy",
        "vanessa",
        "victoria",
        "virginia",
        "yvonne",
        "zoe",
        "angela",
        "theresa",
        "ursula",
        "nicola",
        "kamala",
        "jacinda",
        "aung",
        "benazir",
        "indira",
        "golda",
        "manju",
        "mrs.",
        "ms.",
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
    ])
});

/// Adverbs in -ly that are nouns and so may end a subject ("the family said").
pub static LY_NOUNS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "family", "rally", "assembly", "supply", "anomaly", "monopoly",
    ])
});

// Thresholds. Each bounds a scan so that the stage stays linear, and was tuned on the
// PolNeAR train split.

/// A quotation of at least this many words gets its sentence's subject as speaker even
/// without a cue (`Pew found that “…”`): in news such quotes are nearly always someone's
/// words. Shorter ones without a cue are scare quotes.
pub const WEAK_MIN_WORDS: usize = 4;
/// A cue-less quotation opening its sentence continues the current speaker only from this
/// many words on (shorter ones are more often titles or slogans).
pub const CONTINUE_MIN_WORDS: usize = 3;
/// Words between a quotation and a cue after it (`“…,” the former senator from Ohio said`):
/// further than this, the cue belongs to another clause.
pub const MAX_WORDS_QUOTE_TO_CUE: usize = 14;
/// Words of a name after a dash that signs a quotation (`“…” ― Julie A. Diaz Martinez`).
pub const MAX_BYLINE_WORDS: usize = 5;
/// Words before the colon of a headline-style `Name on Topic: … “…”` line: the name and a
/// short topic (`Obama on Climate Change:`); longer leads are sentences, not bylines.
pub const MAX_COLON_LEAD_TOKENS: usize = 6;
/// Words of a transcript's speaker label (`SEN. TIM KAINE:`).
pub const MAX_LABEL_WORDS: usize = 3;
/// Bytes of a quotation read for a speaker label: a colon further in is the speaker's own.
pub const MAX_LABEL_BYTES: usize = 32;
/// Headline quotations read at most (a headline holds one or two).
pub const MAX_HEADLINE_QUOTES: usize = 8;
/// `“…,” he added` keeps the speaker of a quotation this many paragraphs back at most.
pub const PREVIOUS_SPEAKER_PARAGRAPHS: usize = 2;
/// Mentions read (backwards) between that quotation and the pronoun, looking for the
/// pronoun's antecedent introduced as a speaker.
pub const PREVIOUS_SPEAKER_MENTIONS: usize = 24;
/// `he asked.` / `said Smith, the mayor.` after a quotation ending in `?`/`!`/`.`: at most this
/// many words besides the cue for the attribution to stay in the quotation's sentence.
pub const SHORT_ATTRIBUTION_MAX_WORDS: usize = 6;
/// A paragraph's sentence is cut after this many tokens (quotations count one). Real news
/// sentences are far shorter; text without sentence ends (tables, lists, hostile input) is
/// cut into windows, which bounds every scan the rules make per quotation, so the stage stays
/// linear in the article's length.
pub const MAX_SENTENCE_TOKENS: usize = 250;
/// Tokens walked back from a cue to find its subject.
pub const MAX_SUBJECT_TOKENS: usize = 30;
/// Comma-separated chunks considered in a subject (`X, a spokesperson for Y, said`).
pub const MAX_SUBJECT_CHUNKS: usize = 8;
/// A speaker that is not a named entity is kept as a phrase only up to this many words;
/// longer ones are clauses, not noun phrases.
pub const MAX_PHRASE_SPEAKER_WORDS: usize = 10;
/// Bytes of lower-case words between a name and the next name for the first to read as a
/// modifier (`Obama consultant Cornell Belcher`).
pub const MODIFIER_GAP_BYTES: usize = 40;
/// Words shorter than this are not read by their suffix (-ing participles, -ly adverbs, -ed
/// verbs): "sing", "only", "bed".
pub const MIN_SUFFIX_WORD_BYTES: usize = 5;

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
pub fn is_work_title(text: &str, raw: &super::marks::Raw) -> bool {
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
pub fn is_subhead_or_direction(text: &str, raw: &super::marks::Raw) -> bool {
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
