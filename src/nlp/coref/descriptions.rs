//! Definite descriptions: `the spokesman`, `the Conservative MP`, `the 45-year-old`, `the
//! company`. A description is `the`, at most [`MAX_MODIFIERS`] modifier words and a role
//! noun that ends the noun phrase; what it describes is resolved by
//! [`super::pronouns::Resolver::described`].

use super::mentions::Mentions;
use super::pronouns::Gender;
use crate::nlp::text::wordset::WordSet;
use crate::nlp::text::Doc;
use std::sync::LazyLock;

/// Words between `the` and the role noun (`the Conservative MP`, `the former White House
/// chief`): more than this is a clause, not a description.
pub const MAX_MODIFIERS: usize = 3;

/// Role nouns that describe one person and say nothing of their gender (those that do are
/// [`MALE_ROLES`] and [`FEMALE_ROLES`]). Plurals are left out on purpose (`the officials`
/// are rarely one named person).
static PERSON_ROLES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "ambassador",
        "analyst",
        "attorney",
        "author",
        "billionaire",
        "boss",
        "candidate",
        "captain",
        "chancellor",
        "chief",
        "coach",
        "commissioner",
        "defender",
        "detective",
        "director",
        "diplomat",
        "economist",
        "executive",
        "founder",
        "goalkeeper",
        "governor",
        "inspector",
        "lawmaker",
        "lawyer",
        "leader",
        "manager",
        "mayor",
        "midfielder",
        "minister",
        "mp",
        "negotiator",
        "officer",
        "official",
        "pastor",
        "player",
        "politician",
        "premier",
        "president",
        "professor",
        "prosecutor",
        "rapper",
        "representative",
        "republican",
        "democrat",
        "researcher",
        "scientist",
        "secretary",
        "senator",
        "singer",
        "spokesperson",
        "star",
        "striker",
        "superintendent",
        "suspect",
        "teenager",
        "victim",
        "writer",
    ])
});

static MALE_ROLES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "businessman",
        "chairman",
        "congressman",
        "spokesman",
        "actor",
        "father",
        "son",
        "king",
        "prince",
        "man",
        "boy",
        "husband",
        "brother",
    ])
});

static FEMALE_ROLES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "businesswoman",
        "chairwoman",
        "congresswoman",
        "spokeswoman",
        "actress",
        "mother",
        "daughter",
        "queen",
        "princess",
        "woman",
        "girl",
        "wife",
        "sister",
    ])
});

/// Nouns that describe one organisation.
static ORG_NOUNS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "agency",
        "airline",
        "automaker",
        "bank",
        "broadcaster",
        "carrier",
        "charity",
        "club",
        "company",
        "conglomerate",
        "corporation",
        "firm",
        "group",
        "insurer",
        "manufacturer",
        "network",
        "newspaper",
        "organisation",
        "organization",
        "party",
        "retailer",
        "startup",
        "team",
        "union",
    ])
});

/// A description found at a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Description {
    /// One past its last token.
    pub end: usize,
    /// Describes a person (else an organisation).
    pub person: bool,
    pub gender: Gender,
}

/// `45-year-old`, `17-year-old`.
fn is_age(w: &str) -> bool {
    w.strip_suffix("-year-old")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn is_modifier(w: &str) -> bool {
    w.chars().all(|c| c.is_alphabetic() || c == '-') && w.chars().next().is_some()
}

/// A noun that describes one person (`the spokesman`, `the minister`).
fn person_role(w: &str) -> bool {
    PERSON_ROLES.contains(w) || MALE_ROLES.contains(w) || FEMALE_ROLES.contains(w)
}

/// The description that starts at token `i` of `doc`, if one does.
pub fn at(doc: &Doc, i: usize, ments: &Mentions) -> Option<Description> {
    if !doc.word(i).eq_ignore_ascii_case("the") {
        return None;
    }
    let toks = &doc.tokens;
    for head in i + 1..(i + 2 + MAX_MODIFIERS).min(toks.len()) {
        let w = doc.word(head);
        let person = person_role(w) || is_age(w);
        let org = !person && ORG_NOUNS.contains(w);
        if person || org {
            // The noun phrase must end at the role noun: `the spokesman John Smith` is an
            // apposition of the name (already in the chain), `the company's` is fine, `the
            // company director` or `the minister of X` is something else.
            let next = toks.get(head + 1).map(|t| t.span.slice(doc.text));
            let open = next.is_some_and(|n| {
                n.starts_with(char::is_alphanumeric)
                    && (n.starts_with(char::is_uppercase)
                        || person_role(n)
                        || ORG_NOUNS.contains(n)
                        || matches!(n, "of" | "who" | "whose" | "which" | "that"))
            });
            if open || ments.starts_at(toks[head].span.end + 1) {
                return None;
            }
            let gender = if MALE_ROLES.contains(w) {
                Gender::Male
            } else if FEMALE_ROLES.contains(w) {
                Gender::Female
            } else {
                Gender::Unknown
            };
            return Some(Description {
                end: head + 1,
                person,
                gender,
            });
        }
        if !is_modifier(w) && !is_age(w) {
            return None;
        }
    }
    None
}
