//! Language detection: the input's own `language` field wins; otherwise a guess from the
//! title and the start of the body, trusted only on prose.

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
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    Some(iso639_1(info.lang()).to_owned())
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
