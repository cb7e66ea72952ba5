//! The whole pipeline on real text: a golden file pins the sample article's enrichment (a
//! change shows as a line diff; `UPDATE_GOLDEN=1` rewrites the file and fails, so that the
//! rewrite is reviewed and the test rerun without it), the sample's entities and quotations
//! are checked one by one, and arbitrary Unicode never breaks an offset.

use news_enricher::config::NlpConfig;
use news_enricher::enricher::{Enricher, Mode};
use news_enricher::nlp::text::Span;
use news_enricher::nlp::{Analysis, Field, Pipeline, QuoteKind};
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};

fn pipeline() -> &'static Arc<Pipeline> {
    static PIPELINE: OnceLock<Arc<Pipeline>> = OnceLock::new();
    PIPELINE.get_or_init(|| Arc::new(Pipeline::load(&NlpConfig::default()).expect("models load")))
}

const SAMPLE: &str = include_str!("data/iran-talks.json");

fn sample() -> (String, String) {
    let v: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
    (
        v["title"].as_str().unwrap().to_owned(),
        v["body"].as_str().unwrap().to_owned(),
    )
}

fn analyze_sample() -> (String, String, Analysis) {
    let (title, body) = sample();
    let a = pipeline().analyze(&title, &body, Some("en"));
    (title, body, a)
}

#[test]
fn golden_sample_enrichment() {
    let enricher = Enricher::new(pipeline().clone(), 1 << 20, Mode::Enrich, "en");
    let out = enricher
        .process(SAMPLE.as_bytes())
        .expect("sample enriches");
    let mut v: serde_json::Value = serde_json::from_slice(&out.json).unwrap();
    // `enricher` holds the time and the duration: everything else is deterministic.
    v.as_object_mut().unwrap().remove("enricher");
    let actual = serde_json::to_string_pretty(&v["enrichment"]).unwrap() + "\n";
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/iran-talks.enrichment.json"
    );
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &actual).unwrap();
        // Rewriting never passes: the new file must be reviewed, then the test run again
        // without UPDATE_GOLDEN (so that CI, which never sets it, checks the reviewed file).
        panic!(
            "UPDATE_GOLDEN is set: rewrote {path}; review `git diff` and rerun without it\n{}",
            diff(&expected, &actual)
        );
    }
    assert!(
        actual == expected,
        "the sample's enrichment changed (- golden, + now); if intended, run with UPDATE_GOLDEN=1 \
         and review the diff\n{}",
        diff(&expected, &actual)
    );
}

/// A line diff of `old` and `new` (longest common subsequence), printed as the changed lines
/// with two lines of context: `-` lines with their number in `old`, `+` and context lines
/// with their number in `new`.
fn diff(old: &str, new: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // (marker, line number in `new`, text) for every line of the edit script.
    let mut script: Vec<(char, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            script.push((' ', j + 1, a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            script.push(('-', i + 1, a[i]));
            i += 1;
        } else {
            script.push(('+', j + 1, b[j]));
            j += 1;
        }
    }
    const CONTEXT: usize = 2;
    let changed: Vec<usize> = (0..script.len()).filter(|&k| script[k].0 != ' ').collect();
    let mut out = String::new();
    let mut shown_to = 0;
    for &k in &changed {
        let from = k.saturating_sub(CONTEXT).max(shown_to);
        if from > shown_to && !out.is_empty() {
            out.push_str("...\n");
        }
        for (m, line, text) in &script[from..(k + CONTEXT + 1).min(script.len())] {
            out.push_str(&format!("{m} {line:4} {text}\n"));
        }
        shown_to = (k + CONTEXT + 1).min(script.len());
    }
    out
}

#[test]
fn the_golden_diff_shows_what_changed() {
    let d = diff("a\nb\nc\nd\n", "a\nB\nc\nd\ne\n");
    assert!(d.contains("-    2 b"), "{d}");
    assert!(d.contains("+    2 B") && d.contains("+    5 e"), "{d}");
    assert_eq!(diff("same\n", "same\n"), "");
}

#[test]
fn sample_entities_are_found_labelled_and_grouped() {
    let (title, body, a) = analyze_sample();
    let find = |name: &str| {
        a.entities
            .iter()
            .find(|e| e.text == name)
            .unwrap_or_else(|| panic!("{name} not found among {:?}", names(&a)))
    };
    // (fullest form, label, other forms that must be grouped into it)
    let expected: [(&str, &str, &[&str]); 18] = [
        ("Russia", "LOC", &[]),
        ("United States", "LOC", &["US"]),
        ("Iran", "LOC", &[]),
        ("Tehran", "LOC", &[]),
        ("Kremlin", "LOC", &[]),
        ("Dmitri Peskow", "PERSON", &["Peskow"]),
        ("Bloomberg", "ORG", &[]),
        ("Donald Trump", "PERSON", &["Trump"]),
        ("Vladimir Putin", "PERSON", &[]),
        ("Riyadh", "LOC", &[]),
        ("Moscow", "LOC", &[]),
        ("Washington", "LOC", &[]),
        ("Iranian Foreign Ministry", "ORG", &[]),
        ("Israel", "LOC", &[]),
        ("Esmail Baghaei", "PERSON", &[]),
        ("Gideon Sa’ar", "PERSON", &[]),
        ("Israeli", "MISC", &[]),
        ("Ali Khamenei", "PERSON", &[]),
    ];
    for (name, label, forms) in expected {
        let e = find(name);
        assert_eq!(e.label.as_str(), label, "{name}");
        for form in forms {
            assert!(
                e.mentions.iter().any(|m| {
                    let text = if m.field == Field::Title {
                        &title
                    } else {
                        &body
                    };
                    m.span.slice(text) == *form
                }),
                "{form} grouped into {name}"
            );
        }
    }
    assert!(
        a.entities.iter().any(|e| e.text == "West"),
        "the West is found"
    );
    // The title's mentions are found and marked as such.
    let kremlin = find("Kremlin");
    assert!(kremlin.mentions.iter().any(|m| m.field == Field::Title));
    // Salience: a distribution, highest first.
    let sum: f64 = a.entities.iter().map(|e| e.salience).sum();
    assert!((sum - 1.0).abs() < 1e-6);
    assert!(a
        .entities
        .windows(2)
        .all(|w| w[0].salience >= w[1].salience));
    assert_eq!(a.entities[0].text, "Iran");
}

fn names(a: &Analysis) -> Vec<&str> {
    a.entities.iter().map(|e| e.text.as_str()).collect()
}

#[test]
fn sample_quotes_have_their_speakers_and_the_scare_quote_has_none() {
    let (_, body, a) = analyze_sample();
    let got: Vec<(&str, QuoteKind, Option<&str>)> = a
        .quotes
        .iter()
        .map(|q| (q.span.slice(&body), q.kind, q.speaker.as_deref()))
        .collect();
    let expected: [(&str, QuoteKind, Option<&str>); 8] = [
        ("Russia believes", QuoteKind::Full, Some("Dmitri Peskow")),
        (
            "is ready to do everything",
            QuoteKind::Partial,
            Some("Dmitri Peskow"),
        ),
        ("maximum pressure", QuoteKind::Scare, None),
        (
            "The Foreign Minister of the Israeli regime",
            QuoteKind::Full,
            Some("Esmail Baghaei"),
        ),
        (
            "addiction to aggression",
            QuoteKind::Partial,
            Some("Esmail Baghaei"),
        ),
        (
            "responsible and essential",
            QuoteKind::Partial,
            Some("Esmail Baghaei"),
        ),
        ("military option", QuoteKind::Partial, Some("Gideon Sa’ar")),
        (
            "verified nuclear peace agreement",
            QuoteKind::Partial,
            Some("Donald Trump"),
        ),
    ];
    assert_eq!(got.len(), expected.len(), "{got:?}");
    for ((text, kind, speaker), (start, ekind, espeaker)) in got.iter().zip(expected) {
        assert!(text.starts_with(start), "{text} vs {start}");
        assert_eq!(*kind, ekind, "{text}");
        assert_eq!(*speaker, espeaker, "{text}");
    }
    for q in &a.quotes {
        if let Some(i) = q.speaker_entity {
            assert_eq!(Some(a.entities[i].text.as_str()), q.speaker.as_deref());
        }
    }
}

/// Every span, mapped back to its original field, is a non-empty (for mentions) range on
/// char boundaries there.
fn check_spans(title: &str, body: &str, a: &Analysis) {
    let text = |f: Field| if f == Field::Title { title } else { body };
    let check = |f: Field, span: Span, nonempty: bool| {
        let t = text(f);
        let o = a.original_span(f, span);
        assert!(o.start <= o.end && o.end <= t.len(), "{o:?} in {t:?}");
        assert!(!nonempty || o.start < o.end, "{o:?} in {t:?}");
        assert!(t.is_char_boundary(o.start) && t.is_char_boundary(o.end));
    };
    for e in &a.entities {
        assert!(!e.mentions.is_empty());
        for m in &e.mentions {
            assert!(m.span.start < m.span.end);
            check(m.field, m.span, true);
        }
        assert!((0.0..=1.0).contains(&e.salience) && (-1.0..=1.0).contains(&e.sentiment));
    }
    for q in &a.quotes {
        check(q.field, q.span, false);
    }
    for s in &a.sentiment.sentences {
        check(s.field, s.span, false);
    }
    assert!((-1.0..=1.0).contains(&a.sentiment.score));
}

fn news_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Angela Merkel".to_owned()),
        Just(" said ".to_owned()),
        Just("“".to_owned()),
        Just("”".to_owned()),
        Just("\"".to_owned()),
        Just("’".to_owned()),
        Just("U.S.".to_owned()),
        Just("\n\n".to_owned()),
        Just(". ".to_owned()),
        Just("🎉".to_owned()),
        Just("e\u{301}".to_owned()),
        Just("مرحبا".to_owned()),
        Just("BERLIN".to_owned()),
        // As scrapers deliver text: references, markup, CR line ends, format characters.
        Just("&#8220;".to_owned()),
        Just("&rsquo;".to_owned()),
        Just("Zo&euml;".to_owned()),
        Just("<a href=\"x\">".to_owned()),
        Just("</a>".to_owned()),
        Just("<p>".to_owned()),
        Just("<!-- “c” -->".to_owned()),
        Just("<script>“s”</script>".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("\u{200B}".to_owned()),
        Just("\u{A0}".to_owned()),
        "\\PC{0,12}",
        "[A-Z][a-z]{1,8}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_text_never_panics_and_every_span_is_on_char_boundaries(
        title in "\\PC{0,30}",
        body in news_like(),
    ) {
        let a = pipeline().analyze(&title, &body, Some("en"));
        check_spans(&title, &body, &a);
    }

    #[test]
    fn any_unicode_at_all(body in "\\PC*") {
        let a = pipeline().analyze("", &body, None);
        check_spans("", &body, &a);
    }
}

#[test]
fn empty_and_whitespace_bodies_give_an_empty_analysis() {
    for body in ["", " ", "\n\n\t", "\u{3000}"] {
        let a = pipeline().analyze("", body, Some("en"));
        assert!(a.entities.is_empty() && a.quotes.is_empty(), "{body:?}");
    }
}

#[test]
fn an_unsupported_language_gets_a_warning_not_a_wrong_answer() {
    let body = "Die Bundeskanzlerin Angela Merkel hat am Montag in Berlin gesagt, dass die \
                Regierung die neuen Regeln für die Wirtschaft prüfen wird und dass sie sehr \
                zufrieden mit den Ergebnissen der Gespräche ist.";
    let a = pipeline().analyze("", body, None);
    assert_eq!(a.language, "de");
    assert!(a.entities.is_empty() && a.quotes.is_empty());
    assert!(a
        .warnings
        .iter()
        .any(|w| w.contains("`de` is not supported")));
    let given = pipeline().analyze("", body, Some("fr"));
    assert_eq!(given.language, "fr", "the input's language field wins");
}

#[test]
fn unsure_detection_falls_back_to_the_default_language() {
    // A results table: names and numbers, which a detector misreads.
    let body = "Hajduk 2 Proleter 0\nZemun 1 Rad 0\nBorac 1 Mladost 2\nPartizan 6 Becej 0";
    let a = pipeline().analyze("SOCCER - YUGOSLAV LEAGUE RESULTS", body, None);
    assert_eq!(a.language, "en");
    assert!(a.warnings.is_empty());
}
