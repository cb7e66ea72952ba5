//! One test per VADER rule, each on texts whose reference scores (vadersentiment 3.3.2) are
//! pasted below, plus the behaviour each rule is there for. Regenerate the table with the
//! reference if a case is added; never edit a number by hand.

use std::sync::OnceLock;

use news_enricher::nlp::sentiment::vader::{Scores, Vader, VaderError};

const VADER_LEXICON: &str = include_str!("../models/vader/vader_lexicon.txt");
const EMOJI_LEXICON: &str = include_str!("../models/vader/emoji_utf8_lexicon.txt");

fn vader() -> &'static Vader {
    static V: OnceLock<Vader> = OnceLock::new();
    V.get_or_init(|| Vader::from_lexicons(VADER_LEXICON, EMOJI_LEXICON).expect("lexicons parse"))
}

fn compound(text: &str) -> f64 {
    vader().polarity_scores(text).compound
}

/// Every case of `rule` must equal the reference exactly (same rounding as Python).
fn check(rule: &str) {
    let mut n = 0;
    for &(r, text, [c, neg, neu, pos]) in CASES.iter().filter(|c| c.0 == rule) {
        let want = Scores {
            neg,
            neu,
            pos,
            compound: c,
        };
        assert_eq!(vader().polarity_scores(text), want, "{r}: {text:?}");
        n += 1;
    }
    assert!(n > 0, "no cases for {rule}");
}

#[test]
fn negation() {
    check("negation");
    assert!(compound("The book was not good.") < 0.0);
    check("never_so_this");
    check("without_doubt");
}

#[test]
fn booster() {
    check("booster");
    assert!(compound("The book was very good.") > compound("The book was good."));
    assert!(compound("The book was slightly good.") < compound("The book was good."));
}

#[test]
fn but() {
    check("but");
    // Words after "but" dominate.
    assert!(compound("The food was good, but the service was bad.") < 0.0);
}

#[test]
fn caps() {
    check("caps");
    assert!(compound("It is GOOD") > compound("It is good"));
    // All words in caps: no differential, no boost.
    assert_eq!(compound("IT IS GOOD"), compound("It is good"));
}

#[test]
fn punctuation() {
    check("punctuation");
    // "!" counts up to four times.
    assert_eq!(compound("It is good!!!!"), compound("It is good!!!!!!!!"));
}

#[test]
fn least() {
    check("least");
}

#[test]
fn no() {
    check("no");
}

#[test]
fn emoji() {
    check("emoji");
    assert_eq!(compound("😁"), compound("beaming face with smiling eyes"));
}

#[test]
fn idioms() {
    check("idioms");
}

#[test]
fn emoticons() {
    check("emoticons");
}

#[test]
fn empty_and_punctuation_only() {
    check("empty");
}

#[test]
fn unicode_case_and_whitespace() {
    check("unicode");
}

#[test]
fn vader_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Vader>();
}

#[test]
fn crlf_lexicons_parse_to_the_same_scorer() {
    let crlf = VADER_LEXICON.replace('\n', "\r\n");
    let emoji_crlf = EMOJI_LEXICON.replace('\n', "\r\n");
    let v = Vader::from_lexicons(&crlf, &emoji_crlf).expect("CRLF lexicons parse");
    assert_eq!(v.lexicon_len(), vader().lexicon_len());
    for &(_, text, _) in CASES {
        assert_eq!(
            v.polarity_scores(text),
            vader().polarity_scores(text),
            "{text:?}"
        );
    }
}

#[test]
fn malformed_lexicons_are_errors() {
    assert!(matches!(
        Vader::from_lexicons("good\n", EMOJI_LEXICON),
        Err(VaderError::MissingField { line: 1, .. })
    ));
    assert!(matches!(
        Vader::from_lexicons("good\tx\t0.5\n", EMOJI_LEXICON),
        Err(VaderError::BadValence { line: 1, .. })
    ));
    assert!(matches!(
        Vader::from_lexicons("", EMOJI_LEXICON),
        Err(VaderError::Empty { .. })
    ));
    assert!(matches!(
        Vader::from_lexicons(VADER_LEXICON, "\n"),
        Err(VaderError::Empty { .. })
    ));
}

/// (rule, text, [compound, neg, neu, pos]) from vadersentiment 3.3.2 `polarity_scores`.
const CASES: &[(&str, &str, [f64; 4])] = &[
    (
        "negation",
        "The book was good.",
        [0.4404, 0.0, 0.508, 0.492],
    ),
    (
        "negation",
        "The book was not good.",
        [-0.3412, 0.376, 0.624, 0.0],
    ),
    (
        "negation",
        "The book isn't good.",
        [-0.3412, 0.445, 0.555, 0.0],
    ),
    (
        "negation",
        "The book was not very good.",
        [-0.3865, 0.344, 0.656, 0.0],
    ),
    (
        "negation",
        "It wasn't really that good.",
        [-0.3843, 0.395, 0.605, 0.0],
    ),
    ("negation", "Never good.", [-0.3412, 0.706, 0.294, 0.0]),
    (
        "negation",
        "Nothing is good here and nobody cares.",
        [0.1516, 0.231, 0.48, 0.288],
    ),
    (
        "never_so_this",
        "Sentiment analysis has never been good.",
        [-0.3412, 0.325, 0.675, 0.0],
    ),
    (
        "never_so_this",
        "Sentiment analysis has never been this good!",
        [0.5672, 0.0, 0.621, 0.379],
    ),
    (
        "never_so_this",
        "never so good",
        [0.5777, 0.0, 0.348, 0.652],
    ),
    (
        "never_so_this",
        "it was so good",
        [0.5777, 0.0, 0.445, 0.555],
    ),
    (
        "without_doubt",
        "Without a doubt, excellent idea.",
        [0.7013, 0.0, 0.341, 0.659],
    ),
    (
        "without_doubt",
        "Without doubt excellent idea",
        [0.7013, 0.0, 0.256, 0.744],
    ),
    (
        "without_doubt",
        "without excellent",
        [-0.4585, 0.75, 0.25, 0.0],
    ),
    ("booster", "The book was good.", [0.4404, 0.0, 0.508, 0.492]),
    (
        "booster",
        "The book was very good.",
        [0.4927, 0.0, 0.556, 0.444],
    ),
    (
        "booster",
        "The book was extremely good.",
        [0.4927, 0.0, 0.556, 0.444],
    ),
    (
        "booster",
        "The book was slightly good.",
        [0.3832, 0.0, 0.605, 0.395],
    ),
    (
        "booster",
        "The book was very bad.",
        [-0.5849, 0.487, 0.513, 0.0],
    ),
    (
        "booster",
        "The book was sort of good.",
        [0.3832, 0.0, 0.657, 0.343],
    ),
    (
        "booster",
        "The book was only kind of good.",
        [0.3832, 0.0, 0.697, 0.303],
    ),
    (
        "booster",
        "The movie was kind of a good one",
        [0.4404, 0.0, 0.707, 0.293],
    ),
    (
        "booster",
        "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
        [0.9469, 0.0, 0.294, 0.706],
    ),
    (
        "but",
        "The food was good, but the service was bad.",
        [-0.5859, 0.347, 0.511, 0.142],
    ),
    (
        "but",
        "good good but bad bad",
        [-0.8225, 0.66, 0.069, 0.271],
    ),
    (
        "but",
        "The plot was good, but the characters are uncompelling and the dialog is not great.",
        [-0.7042, 0.327, 0.579, 0.094],
    ),
    (
        "but",
        "Today only kinda sux! But I'll get by, lol",
        [0.5249, 0.127, 0.556, 0.317],
    ),
    (
        "caps",
        "VADER is VERY SMART, handsome, and FUNNY.",
        [0.9227, 0.0, 0.246, 0.754],
    ),
    ("caps", "VADER IS SMART", [0.4019, 0.0, 0.426, 0.574]),
    ("caps", "It is GOOD", [0.5622, 0.0, 0.355, 0.645]),
    ("caps", "It is good", [0.4404, 0.0, 0.408, 0.592]),
    ("caps", "NO it is great", [0.2885, 0.325, 0.221, 0.454]),
    ("caps", "Today SUX!", [-0.5461, 0.779, 0.221, 0.0]),
    ("punctuation", "It is good", [0.4404, 0.0, 0.408, 0.592]),
    ("punctuation", "It is good!", [0.4926, 0.0, 0.385, 0.615]),
    ("punctuation", "It is good!!!", [0.5826, 0.0, 0.346, 0.654]),
    ("punctuation", "It is good!!!!!!", [0.6209, 0.0, 0.33, 0.67]),
    ("punctuation", "It is good??", [0.504, 0.0, 0.38, 0.62]),
    ("punctuation", "It is good????", [0.594, 0.0, 0.341, 0.659]),
    ("punctuation", "It is bad!!", [-0.6229, 0.671, 0.329, 0.0]),
    ("punctuation", "It is good?", [0.4404, 0.0, 0.408, 0.592]),
    ("punctuation", "It is !!!", [0.0, 0.0, 1.0, 0.0]),
    (
        "least",
        "Roger Dodger is one of the least compelling variations on this theme.",
        [-0.1695, 0.132, 0.868, 0.0],
    ),
    (
        "least",
        "Roger Dodger is at least compelling as a variation on the theme.",
        [0.2263, 0.0, 0.853, 0.147],
    ),
    ("least", "the very least good", [0.4902, 0.0, 0.486, 0.514]),
    ("least", "least good", [-0.3412, 0.706, 0.294, 0.0]),
    (
        "least",
        "At least it isn't a horrible book.",
        [0.431, 0.0, 0.678, 0.322],
    ),
    ("no", "no", [-0.296, 1.0, 0.0, 0.0]),
    ("no", "There is no problem.", [0.3089, 0.0, 0.571, 0.429]),
    ("no", "no good", [-0.3412, 0.706, 0.294, 0.0]),
    ("no", "no, not good", [-0.3412, 0.546, 0.454, 0.0]),
    ("no", "no one is happy", [0.3612, 0.278, 0.253, 0.468]),
    ("no", "no love or hate", [-0.0951, 0.403, 0.239, 0.358]),
    ("no", "No no NO", [0.5437, 0.0, 0.182, 0.818]),
    (
        "emoji",
        "Catch utf-8 emoji such as 💘 and 💋 and 😁",
        [0.875, 0.0, 0.583, 0.417],
    ),
    ("emoji", "😁", [0.4588, 0.0, 0.571, 0.429]),
    ("emoji", "I am😁happy", [0.4588, 0.0, 0.667, 0.333]),
    ("emoji", "good 💔", [0.6124, 0.304, 0.0, 0.696]),
    ("emoji", "©", [0.0, 0.0, 1.0, 0.0]),
    (
        "idioms",
        "With VADER, sentiment analysis is the shit!",
        [0.6476, 0.0, 0.583, 0.417],
    ),
    (
        "idioms",
        "Most automated sentiment analysis tools are shit.",
        [-0.5574, 0.375, 0.625, 0.0],
    ),
    (
        "idioms",
        "On the other hand, VADER is quite bad ass",
        [0.802, 0.0, 0.423, 0.577],
    ),
    (
        "idioms",
        "VADER is such a badass!",
        [0.4003, 0.0, 0.598, 0.402],
    ),
    ("idioms", "it is the bomb", [0.6124, 0.0, 0.429, 0.571]),
    (
        "idioms",
        "I will wait at the bus stop",
        [0.0, 0.0, 1.0, 0.0],
    ),
    (
        "idioms",
        "yeah right, great idea",
        [0.743, 0.0, 0.241, 0.759],
    ),
    (
        "idioms",
        "that cake is to die for",
        [-0.5994, 0.438, 0.562, 0.0],
    ),
    (
        "idioms",
        "the kiss of death it was",
        [0.0772, 0.269, 0.43, 0.301],
    ),
    (
        "emoticons",
        "Make sure you :) or :D today!",
        [0.8633, 0.0, 0.294, 0.706],
    ),
    ("emoticons", ":-( sad", [-0.6808, 1.0, 0.0, 0.0]),
    ("emoticons", "lol", [0.4215, 0.0, 0.0, 1.0]),
    ("empty", "", [0.0, 0.0, 0.0, 0.0]),
    ("empty", "   ", [0.0, 0.0, 0.0, 0.0]),
    ("empty", "!!!", [0.0, 0.0, 1.0, 0.0]),
    ("unicode", "ÉTÉ GOOD day", [0.5622, 0.0, 0.355, 0.645]),
    ("unicode", "ǅungla GOOD", [0.5622, 0.0, 0.216, 0.784]),
    ("unicode", "good\u{a0}great", [0.7906, 0.0, 0.0, 1.0]),
    ("unicode", "good\u{1c}great", [0.7906, 0.0, 0.0, 1.0]),
    ("unicode", "GREAT straße", [0.7034, 0.0, 0.171, 0.829]),
];
