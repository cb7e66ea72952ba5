//! Fix-ups of the recognizer's mentions before grouping: organisations it splits or
//! mislabels in ways news text makes common. One label per name is in [`super::labels`].

use crate::nlp::analysis::EntityLabel;
use crate::nlp::ner::EntityMention;
use crate::nlp::text::wordset::{WordSet, ABBREVIATIONS};
use crate::nlp::text::{flags, Span, Token};
use std::sync::LazyLock;

/// News organisations, cited in nearly every article ("told Reuters", "in an interview with
/// Bloomberg"), whose names are also surnames; the recognizer, trained on 1996 Reuters text,
/// has not seen most of them.
const NEWS_ORGANISATIONS: [&str; 24] = [
    "Reuters",
    "Bloomberg",
    "AFP",
    "Agence France-Presse",
    "Associated Press",
    "CNN",
    "BBC",
    "Xinhua",
    "Interfax",
    "Itar-Tass",
    "TASS",
    "RIA Novosti",
    "Al Jazeera",
    "Fox News",
    "MSNBC",
    "CNBC",
    "NPR",
    "Politico",
    "Axios",
    "New York Times",
    "Washington Post",
    "Wall Street Journal",
    "Financial Times",
    "Breitbart",
];

/// Name the news organisations the recognizer labelled otherwise as organisations.
pub fn label_news_organisations(text: &str, mentions: &mut [EntityMention]) {
    for m in mentions {
        if m.label != EntityLabel::Org && NEWS_ORGANISATIONS.contains(&m.span.slice(text)) {
            m.label = EntityLabel::Org;
        }
    }
}

/// Last words of organisation names that a nationality adjective belongs to: "Iranian
/// Foreign Ministry" is one organisation, though CoNLL-style labelling splits it into a MISC
/// adjective and an ORG.
static INSTITUTIONS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "ministry",
        "embassy",
        "army",
        "navy",
        "government",
        "parliament",
        "police",
        "military",
        "cabinet",
        "presidency",
        "consulate",
        "guard",
        "guards",
        "forces",
        "judiciary",
        "mission",
    ])
});

/// Join a nationality adjective to the state institution it names ("Iranian" + "Foreign
/// Ministry" -> "Iranian Foreign Ministry", ORG). The two must be separated by one space.
pub fn join_institutions(text: &str, mentions: &mut Vec<EntityMention>) {
    // One pass with a write index: removing from the middle of the vector per join would be
    // quadratic on an article made of such pairs.
    let mut out = 0;
    let mut i = 0;
    while i < mentions.len() {
        let a = mentions[i];
        let joined = mentions.get(i + 1).copied().filter(|b| {
            a.label == EntityLabel::Misc
                && b.label == EntityLabel::Org
                && text.get(a.span.end..b.span.start) == Some(" ")
                && !a.span.slice(text).contains(' ')
                && b.span
                    .slice(text)
                    .rsplit(' ')
                    .next()
                    .is_some_and(|w| INSTITUTIONS.contains(w))
        });
        mentions[out] = match joined {
            Some(b) => {
                i += 2;
                EntityMention {
                    span: Span::new(a.span.start, b.span.end),
                    label: EntityLabel::Org,
                }
            }
            None => {
                i += 1;
                a
            }
        };
        out += 1;
    }
    mentions.truncate(out);
}

/// Opening and closing brackets: one at a span's edge stays when its partner is inside the
/// span ("Proleter (Z)", "(Tom) Seaver").
fn partner(c: &str) -> Option<(&'static str, bool)> {
    match c {
        "(" => Some((")", true)),
        ")" => Some(("(", false)),
        "[" => Some(("]", true)),
        "]" => Some(("[", false)),
        _ => None,
    }
}

/// Trim what is not part of a name from the edges of each mention: bullets, dashes,
/// quotation marks and trailing punctuation ("• Covington", "Apollo.’”", "British Bill —").
/// A bracket stays when its partner is inside the span; a period stays after an
/// abbreviation ("Salomon Bros."). A mention with nothing left is dropped. Mentions are on
/// token boundaries and sorted, so one walk over the tokens serves them all.
pub fn trim_spans(text: &str, tokens: &[Token], mentions: &mut Vec<EntityMention>) {
    let mut t = 0;
    mentions.retain_mut(|m| {
        while t < tokens.len() && tokens[t].span.start < m.span.start {
            t += 1;
        }
        let mut a = t;
        let mut b = a;
        while b < tokens.len() && tokens[b].span.end <= m.span.end {
            b += 1;
        }
        if a == b {
            return true; // not on token boundaries: leave it as it is
        }
        let junk = |i: usize, a: usize, b: usize| {
            let tok = &tokens[i];
            if !tok.has(flags::PUNCT) {
                return false;
            }
            let word = tok.text(text);
            if let Some((other, opens)) = partner(word) {
                let inside = if opens { i + 1..b } else { a..i };
                if tokens[inside].iter().any(|x| x.text(text) == other) {
                    return false;
                }
            }
            let after_abbreviation = word == "."
                && i == b - 1
                && i > a
                && ABBREVIATIONS.contains(tokens[i - 1].text(text));
            !after_abbreviation
        };
        while a < b && junk(a, a, b) {
            a += 1;
        }
        while b > a && junk(b - 1, a, b) {
            b -= 1;
        }
        if a == b {
            return false;
        }
        m.span = Span::new(tokens[a].span.start, tokens[b - 1].span.end);
        true
    });
}

/// Lower-case words that may stand inside a name ("Bank of England", "Ludwig van
/// Beethoven", "Tour de France"); any other lower-case word inside a span ends a name.
static CONNECTORS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "of", "and", "the", "for", "in", "on", "at", "to", "by", "upon", "de", "van", "von", "der",
        "den", "del", "della", "dello", "di", "da", "dal", "du", "des", "la", "le", "les", "y",
        "e", "et", "al", "el", "bin", "ibn", "bint", "und", "zu", "ten", "ter", "wa", "a", "an",
        "do", "dos", "das", "&",
    ])
});

/// Split a span at a lower-case word that cannot stand inside a name: "Verizon allows Yahoo"
/// is two names, each keeping the label. Both sides must start with a capital; words with a
/// hyphen or an apostrophe ("al-Abidine", "d'Estaing") and connectors stay inside. A run of
/// spaces splits as well: no name is written with one, but text whose commas were stripped
/// is ("Tiger Woods  Phil Mickelson  and Ernie Els"); not after a connector ("Bank of  America").
pub fn split_at_verbs(text: &str, mentions: &mut Vec<EntityMention>) {
    let mut out = Vec::with_capacity(mentions.len());
    for m in mentions.iter() {
        let surface = m.span.slice(text);
        if !surface.starts_with(char::is_uppercase) {
            out.push(*m);
            continue;
        }
        let mut start = 0; // of the current piece, in `surface`
        let mut split = false;
        let mut pieces = Vec::new();
        let mut offset = 0;
        let mut last = ""; // the last word before `w`
        for w in surface.split(' ') {
            let at = offset;
            offset += w.len() + 1;
            let gap = w.is_empty() && !last.is_empty() && !CONNECTORS.contains(last);
            let breaks = at > 0
                && (gap
                    || w.starts_with(char::is_lowercase)
                        && !CONNECTORS.contains(w)
                        && !w.contains(['-', '\'', '’', '.']));
            if !w.is_empty() {
                last = w;
            }
            if breaks {
                pieces.push((start, at.saturating_sub(1)));
                start = offset;
                split = true;
            }
        }
        if !split {
            out.push(*m);
            continue;
        }
        pieces.push((start, surface.len()));
        for (a, b) in pieces {
            // A connector left at the end of a piece is not part of it ("Parents &").
            let mut piece = surface.get(a..b).unwrap_or("").trim_end();
            while let Some((head, last)) = piece.rsplit_once(' ') {
                if !CONNECTORS.contains(last) {
                    break;
                }
                piece = head.trim_end();
            }
            let b = a + piece.len();
            if a < b && piece.starts_with(char::is_uppercase) {
                out.push(EntityMention {
                    span: Span::new(m.span.start + a, m.span.start + b),
                    label: m.label,
                });
            }
        }
    }
    *mentions = out;
}

/// Common nouns that say the name right after them is a work's ("her novel Wolf Hall", "the
/// film Joker"): CoNLL-2003 labels works MISC. Compared in lower case only.
static WORK_NOUNS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "novel",
        "novels",
        "book",
        "books",
        "film",
        "films",
        "movie",
        "movies",
        "album",
        "albums",
        "song",
        "songs",
        "opera",
        "musical",
        "memoir",
        "documentary",
        "poem",
        "sitcom",
        "series",
        "painting",
        "novella",
    ])
});

/// Common nouns that say the name right after them is an organisation's ("the band Linkin
/// Park", "the firm Acme").
static ORG_NOUNS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "band",
        "company",
        "firm",
        "club",
        "newspaper",
        "broadcaster",
    ])
});

/// The kind noun right before a mention (lower case, as written), if any. Not when the
/// title goes on past the mention ("the documentary Eric Clapton: Life in 12 Bars", "the
/// series Tom vs. Time"): the recognizer cut the work's name, and the part is a person's.
pub(super) fn kind_before(text: &str, span: Span) -> Option<EntityLabel> {
    let w = super::people::word_before(text, span.start)?;
    if !w.starts_with(char::is_lowercase) {
        return None;
    }
    let after = text.get(span.end..).unwrap_or("").trim_start_matches(' ');
    if after.starts_with(':') || after.starts_with("vs") || after.starts_with("v. ") {
        return None;
    }
    if WORK_NOUNS.contains(w) {
        Some(EntityLabel::Misc)
    } else if ORG_NOUNS.contains(w) {
        Some(EntityLabel::Org)
    } else {
        None
    }
}

/// The kind a mention is given by an apposition after it (", her novel about ...", ", a
/// 2019 film"): a determiner, at most two more words, and a work noun.
fn kind_after(text: &str, end: usize) -> Option<EntityLabel> {
    let rest = text.get(end..)?.strip_prefix(", ")?;
    let mut words = rest.split(' ');
    let det = words.next()?;
    if !matches!(det, "a" | "an" | "the" | "her" | "his" | "their" | "its") {
        return None;
    }
    for w in words.take(3) {
        let w = w.trim_end_matches([',', '.', ';', ':']);
        if WORK_NOUNS.contains(w) && w.starts_with(char::is_lowercase) {
            return Some(EntityLabel::Misc);
        }
        if !w.starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit()) {
            return None;
        }
    }
    None
}

/// Is the name an event's: "Battle of Gettysburg", "Second Battle of Bull Run", "Siege of
/// Petersburg", "War of 1812", "Operation Market Garden"? CoNLL-2003 labels events MISC.
fn is_event(name: &str) -> bool {
    let rest = ["First ", "Second ", "Third ", "1st ", "2nd ", "3rd "]
        .iter()
        .find_map(|o| name.strip_prefix(o))
        .unwrap_or(name);
    ["Battle of ", "Siege of ", "War of ", "Operation "]
        .iter()
        .any(|p| rest.len() > p.len() && rest.starts_with(p))
}

/// Label a name by the common noun that names its kind beside it: "her novel Wolf Hall",
/// "Wolf Hall, her novel about Cromwell" (MISC, a work); "the band Linkin Park" (ORG); and an
/// event by its first words ("Battle of Gettysburg": MISC).
pub fn label_by_kind(text: &str, mentions: &mut [EntityMention]) {
    for m in mentions.iter_mut() {
        if is_event(m.span.slice(text)) {
            m.label = EntityLabel::Misc;
            continue;
        }
        let words = m.span.slice(text).split(' ').count();
        if let Some(label) = kind_before(text, m.span)
            .or_else(|| (words <= 4).then(|| kind_after(text, m.span.end)).flatten())
        {
            m.label = label;
        }
    }
}

/// Last words of an award's name: "Booker Prize", "Academy Awards", "Presidential Medal".
const AWARD_WORDS: [&str; 6] = ["Prize", "Prizes", "Award", "Awards", "Trophy", "Medal"];

/// Capitalised words before an award word that form its name, at most.
const AWARD_RUN: usize = 4;

/// An award is one MISC name with its last word: "the Booker Prize" is not a PERSON
/// "Booker" and a stray word. The capitalised words before an award word (up to
/// [`AWARD_RUN`], not a connector such as "The") and the award word become one MISC mention,
/// replacing the mentions inside it; left alone when a mention runs across its edge ("Nobel
/// Prize Committee"). One walk over the tokens and the mentions.
pub fn join_awards(text: &str, tokens: &[Token], mentions: &mut Vec<EntityMention>) {
    let capitalised = |t: &Token| {
        let w = t.text(text);
        w.starts_with(char::is_uppercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
            && !CONNECTORS.contains(w)
    };
    let mut awards = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !AWARD_WORDS.contains(&t.text(text)) {
            continue;
        }
        let mut a = i;
        while a > 0
            && i - a < AWARD_RUN
            && capitalised(&tokens[a - 1])
            && text.get(tokens[a - 1].span.end..tokens[a].span.start) == Some(" ")
        {
            a -= 1;
        }
        if a < i {
            awards.push(Span::new(tokens[a].span.start, t.span.end));
        }
    }
    if awards.is_empty() {
        return;
    }
    let mut out = Vec::with_capacity(mentions.len() + awards.len());
    let mut k = 0; // next mention to place
    for s in awards {
        while k < mentions.len() && mentions[k].span.end <= s.start {
            out.push(mentions[k]);
            k += 1;
        }
        let mut j = k;
        while j < mentions.len() && mentions[j].span.start < s.end {
            j += 1;
        }
        let crosses = mentions[k..j]
            .iter()
            .any(|m| m.span.start < s.start || m.span.end > s.end);
        if crosses {
            continue; // the mentions k..j stay and are placed later
        }
        out.push(EntityMention {
            span: s,
            label: EntityLabel::Misc,
        });
        k = j;
    }
    out.extend_from_slice(&mentions[k..]);
    *mentions = out;
}

/// The first `n` bytes of `s` at most, cut at a character boundary.
fn head(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// News agencies a dateline names in brackets: "CANBERRA (Reuters) -".
const DATELINE_AGENCIES: [&str; 6] = ["Reuters", "AP", "AFP", "Bloomberg", "UPI", "dpa"];

/// A dateline's place: a line that starts with a run of capitals, then optionally ", " and a
/// date, then an agency in brackets and a dash ("CANBERRA (Reuters) -", "NEW YORK, Jan 5
/// (Reuters) —"). The run is a place (LOC): added when no mention covers it, relabelled when
/// one is exactly it. Each line start reads at most a few dozen bytes.
pub fn datelines(text: &str, mentions: &mut Vec<EntityMention>) {
    let mut places = Vec::new();
    let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1));
    for start in starts {
        let line = &text[start..];
        let skip = line.len() - line.trim_start_matches([' ', '\t']).len();
        let line = &line[skip..];
        let run_len = head(line, 48)
            .char_indices()
            .take_while(|(_, c)| c.is_uppercase() || matches!(c, ' ' | '.' | '-' | '\''))
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
        let run = line[..run_len].trim_end_matches([' ', '-']);
        if run.chars().filter(|c| c.is_uppercase()).count() < 2 || run.len() > 40 {
            continue;
        }
        let mut rest = &line[run.len()..];
        if let Some(r) = rest.strip_prefix(", ") {
            // A date: short, no brackets, before the agency; only its first bytes are read.
            match head(r, 26).find(" (") {
                Some(i) if !r[..i].contains(['(', ')', '\n']) => rest = &r[i..],
                _ => continue,
            }
        }
        let Some(r) = rest.strip_prefix(" (") else {
            continue;
        };
        let Some(close) = head(r, 12).find(')') else {
            continue;
        };
        if !DATELINE_AGENCIES.contains(&&r[..close]) {
            continue;
        }
        let after = r[close + 1..].trim_start();
        if !after.starts_with(['-', '–', '—']) {
            continue;
        }
        let a = start + skip;
        places.push(Span::new(a, a + run.len()));
    }
    if places.is_empty() {
        return;
    }
    // Merge in one walk: both lists are sorted.
    let mut out = Vec::with_capacity(mentions.len() + places.len());
    let mut k = 0;
    for p in places {
        while k < mentions.len() && mentions[k].span.end <= p.start {
            out.push(mentions[k]);
            k += 1;
        }
        match mentions.get(k) {
            Some(m) if m.span == p => {
                out.push(EntityMention {
                    span: p,
                    label: EntityLabel::Loc,
                });
                k += 1;
            }
            Some(m) if m.span.start < p.end => {}
            _ => out.push(EntityMention {
                span: p,
                label: EntityLabel::Loc,
            }),
        }
    }
    out.extend_from_slice(&mentions[k..]);
    *mentions = out;
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn a_nationality_joins_the_institution_after_it() {
        let text = "the Iranian Foreign Ministry and the Russian Embassy said";
        let m = |a: usize, b: usize, label| EntityMention {
            span: Span::new(a, b),
            label,
        };
        let mut mentions = vec![
            m(4, 11, EntityLabel::Misc),
            m(12, 28, EntityLabel::Org),
            m(37, 44, EntityLabel::Misc),
            m(45, 52, EntityLabel::Org),
        ];
        join_institutions(text, &mut mentions);
        let got: Vec<&str> = mentions.iter().map(|m| m.span.slice(text)).collect();
        assert_eq!(got, ["Iranian Foreign Ministry", "Russian Embassy"]);
        assert!(mentions.iter().all(|m| m.label == EntityLabel::Org));
    }

    /// Mentions of each `(name, label)` in turn, found left to right in `text`.
    pub(in crate::nlp::entities) fn find(
        text: &str,
        names: &[(&str, EntityLabel)],
    ) -> Vec<EntityMention> {
        let mut from = 0;
        names
            .iter()
            .map(|(name, label)| {
                let a = from + text[from..].find(name).expect("name in text");
                from = a + name.len();
                EntityMention {
                    span: Span::new(a, from),
                    label: *label,
                }
            })
            .collect()
    }

    pub(in crate::nlp::entities) fn labels(mentions: &[EntityMention]) -> Vec<EntityLabel> {
        mentions.iter().map(|m| m.label).collect()
    }

    #[test]
    fn an_award_is_one_name_with_its_last_word() {
        use EntityLabel::*;
        let text = "The Booker Prize went to her. The Nobel Prize Committee met. Prize money rose.";
        let tokens = crate::nlp::text::tokenize(text);
        let mut mentions = find(text, &[("Booker", Person), ("Nobel Prize Committee", Org)]);
        join_awards(text, &tokens, &mut mentions);
        let got: Vec<(&str, EntityLabel)> = mentions
            .iter()
            .map(|m| (m.span.slice(text), m.label))
            .collect();
        // "The" is not part of it; a mention across its edge is left alone; no name before
        // "Prize" at a sentence start: nothing.
        assert_eq!(
            got,
            [("Booker Prize", Misc), ("Nobel Prize Committee", Org)]
        );
    }

    #[test]
    fn datelines_name_a_place_in_one_pass() {
        use EntityLabel::*;
        let text = "CANBERRA (Reuters) - Rain.\nNEW YORK, Jan 5 (Reuters) — Sun.\n\
                    TOKYO said (Reuters) - no.\nLONDON (Reuters) - Fog.";
        let mut mentions = find(text, &[("NEW YORK", Org), ("Reuters", Org)]);
        datelines(text, &mut mentions);
        let got: Vec<(&str, EntityLabel)> = mentions
            .iter()
            .map(|m| (m.span.slice(text), m.label))
            .collect();
        assert_eq!(
            got,
            [
                ("CANBERRA", Loc),
                ("NEW YORK", Loc),
                ("Reuters", Org),
                ("LONDON", Loc)
            ]
        );
        // 100,000 dateline lines: one merge, not an insert per line.
        let line = "PARIS (AFP) - x\n";
        let big = line.repeat(100_000);
        let mut none = Vec::new();
        datelines(&big, &mut none);
        assert_eq!(none.len(), 100_000);
        // 100,000 lines that look like a dateline's start: each reads a few bytes, not the
        // rest of the article.
        let big = "PARIS, x\n".repeat(100_000);
        let mut none = Vec::new();
        let t = std::time::Instant::now();
        datelines(&big, &mut none);
        assert!(none.is_empty());
        assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
    }

    #[test]
    fn the_noun_beside_a_name_gives_its_kind() {
        use EntityLabel::*;
        let text = "the band Gigi played her novel Wolf Hall; Sukiyaki, a 1961 song, and the \
                    series Tom vs. Time";
        let mut mentions = find(
            text,
            &[
                ("Gigi", Person),
                ("Wolf Hall", Loc),
                ("Sukiyaki", Person),
                ("Tom", Person),
            ],
        );
        label_by_kind(text, &mut mentions);
        assert_eq!(labels(&mentions), [Org, Misc, Misc, Person]);
        let text = "the Second Battle of Bull Run, the Siege of Petersburg and Operation Market \
                    Garden, not Battle Creek";
        let mut mentions = find(
            text,
            &[
                ("Second Battle of Bull Run", Org),
                ("Siege of Petersburg", Org),
                ("Operation Market Garden", Loc),
                ("Battle Creek", Loc),
            ],
        );
        label_by_kind(text, &mut mentions);
        assert_eq!(labels(&mentions), [Misc, Misc, Misc, Loc]);
    }

    #[test]
    fn a_verb_inside_a_span_splits_it() {
        let text = "Verizon allows Yahoo to stay, the Bank of England said";
        let mut mentions = vec![
            EntityMention {
                span: Span::new(0, 20),
                label: EntityLabel::Org,
            },
            EntityMention {
                span: Span::new(34, 49),
                label: EntityLabel::Org,
            },
        ];
        split_at_verbs(text, &mut mentions);
        let got: Vec<&str> = mentions.iter().map(|m| m.span.slice(text)).collect();
        assert_eq!(got, ["Verizon", "Yahoo", "Bank of England"]);
    }

    #[test]
    fn a_run_of_spaces_inside_a_span_splits_it() {
        let text = "with Tiger Woods  Phil Mickelson   Ernie Els and Bank of  America";
        let mut mentions = vec![
            EntityMention {
                span: Span::new(5, 44),
                label: EntityLabel::Person,
            },
            EntityMention {
                span: Span::new(49, 65),
                label: EntityLabel::Org,
            },
        ];
        split_at_verbs(text, &mut mentions);
        let got: Vec<&str> = mentions.iter().map(|m| m.span.slice(text)).collect();
        assert_eq!(
            got,
            [
                "Tiger Woods",
                "Phil Mickelson",
                "Ernie Els",
                "Bank of  America"
            ]
        );
    }

    #[test]
    fn edges_lose_bullets_dashes_and_quote_marks() {
        let text = "• Covington met British Bill — on Apollo.’” and Salomon Bros . (Tom) Seaver";
        let tokens = crate::nlp::text::tokenize(text);
        let span_of = |s: &str| {
            let a = text.find(s).unwrap();
            Span::new(a, a + s.len())
        };
        let mut mentions: Vec<EntityMention> = [
            "• Covington",
            "British Bill —",
            "Apollo.’”",
            "Salomon Bros .",
            "(Tom) Seaver",
        ]
        .iter()
        .map(|s| EntityMention {
            span: span_of(s),
            label: EntityLabel::Person,
        })
        .collect();
        trim_spans(text, &tokens, &mut mentions);
        let got: Vec<&str> = mentions.iter().map(|m| m.span.slice(text)).collect();
        assert_eq!(
            got,
            [
                "Covington",
                "British Bill",
                "Apollo",
                "Salomon Bros .",
                "(Tom) Seaver"
            ]
        );
    }

    #[test]
    fn joining_is_linear_on_an_article_made_of_pairs() {
        // 200,000 pairs: the old remove-in-a-loop did ~10^10 moves here.
        let pair = "Iranian Army ";
        let text = pair.repeat(200_000);
        let mut mentions = Vec::new();
        for k in 0..200_000 {
            let s = k * pair.len();
            mentions.push(EntityMention {
                span: Span::new(s, s + 7),
                label: EntityLabel::Misc,
            });
            mentions.push(EntityMention {
                span: Span::new(s + 8, s + 12),
                label: EntityLabel::Org,
            });
        }
        join_institutions(&text, &mut mentions);
        assert_eq!(mentions.len(), 200_000);
        assert_eq!(mentions[1].span.slice(&text), "Iranian Army");
    }
}
