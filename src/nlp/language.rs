//! Language detection: the input's own `language` field wins; otherwise a guess from the
//! title and the start of the body, trusted only on prose.

use super::text::wordset::WordSet;
use std::sync::LazyLock;

/// Detect the language from the title and the start of the body; `None` when the detector
/// is unsure (short text, tables, headlines), so that the configured default applies.
pub fn detect_language(title: &str, body: &str) -> Option<String> {
    const SAMPLE: usize = 2000;
    let mut end = body.len().min(SAMPLE);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let mut sample = String::with_capacity(title.len() + end + 1);
    sample.push_str(title);
    sample.push('\n');
    sample.push_str(&body[..end]);
    // Tables, results and headlines are mostly names and numbers: the detector guesses
    // wildly on them (a football table reads as Spanish). Prose in any language has mostly
    // lower-case words, so only prose is trusted.
    let (mut words, mut lower) = (0usize, 0usize);
    for w in sample.split_whitespace() {
        if let Some(c) = w.chars().next().filter(|c| c.is_alphabetic()) {
            words += 1;
            lower += usize::from(c.is_lowercase() || !c.is_uppercase() && !c.is_lowercase());
        }
    }
    if words < 8 || lower * 2 < words {
        return None;
    }
    // Most articles are English, and English prose says so in its function words: at least
    // one word in ten of a list no other language writes often is enough to skip the n-gram
    // detector, which costs more than any other stage but the recognizer (about 17 % of the
    // pipeline on eng.testa). Below that share, or in any other language, the detector decides.
    if english_words(&sample) * ENGLISH_SHARE_DIVISOR >= words {
        return Some("en".to_owned());
    }
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    Some(iso639_1(info.lang()).to_owned())
}

/// English prose has at least one word in this many from [`ENGLISH_FUNCTION_WORDS`] (on the
/// development articles the lowest share among English news is one in eight, the usual one in
/// five); text in other languages has almost none.
const ENGLISH_SHARE_DIVISOR: usize = 10;

/// Frequent English words that are not also frequent words of another language written in
/// Latin script ("to", "is", "was", "at", "for", "he", "her", "on", "an", "in", "a", "will"
/// are left out for that reason: Czech, Dutch, Danish, Finnish, French, German...).
static ENGLISH_FUNCTION_WORDS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new(&[
        "the", "of", "and", "that", "with", "from", "said", "which", "this", "they", "she", "not",
        "but", "been", "would", "its", "are", "were", "have", "had", "his", "it", "by", "be",
        "who", "has",
    ])
});

fn english_words(text: &str) -> usize {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty() && ENGLISH_FUNCTION_WORDS.contains(w))
        .count()
}

/// whatlang names languages by ISO 639-3; the contract uses ISO 639-1 where one exists.
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Ces => "cs",
        Slk => "sk",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Hun => "hu",
        Ron => "ro",
        Bul => "bg",
        Hrv => "hr",
        Srp => "sr",
        Slv => "sl",
        Ell => "el",
        Tur => "tr",
        Ara => "ar",
        Heb => "he",
        Pes => "fa",
        Hin => "hi",
        Ben => "bn",
        Urd => "ur",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Vie => "vi",
        Tha => "th",
        Ind => "id",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Cat => "ca",
        Epo => "eo",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_prose_is_english_without_the_detector_and_other_languages_go_to_it() {
        let en = "Guest post from hedge fund Atyant Capital: gold is good, but gold mining is \
                  better than the metal itself, which has been flat for years.";
        assert!(english_words(en) * ENGLISH_SHARE_DIVISOR >= en.split_whitespace().count());
        assert_eq!(detect_language("", en).as_deref(), Some("en"));
        let de = "Die Regierung hat am Dienstag angekündigt, dass die Steuern im kommenden Jahr \
                  nicht erhöht werden sollen, wie der Finanzminister in Berlin sagte.";
        assert_eq!(english_words(de), 0);
        assert_eq!(detect_language("", de).as_deref(), Some("de"));
        let fr = "Le gouvernement a annoncé mardi que les impôts ne seraient pas augmentés l'an \
                  prochain, a déclaré le ministre des finances à Paris devant les députés.";
        assert_eq!(detect_language("", fr).as_deref(), Some("fr"));
    }

    #[test]
    fn tables_and_headlines_are_left_to_the_default() {
        assert_eq!(
            detect_language("", "Arsenal 3 Chelsea 1 Everton 2 Leeds 0"),
            None
        );
        assert_eq!(
            detect_language(
                "",
                "Kremlin Says Russia Is Ready To Mediate Between US And Iran"
            ),
            None
        );
    }
}
