//! The iran-talks sample must give exactly the seven attributed quotations and one scare
//! quote the issue lists. Entities are written by hand, as the NER stage would group them.

use news_enricher::nlp::quotes::{QuoteEntity, QuoteFinder, QuoteKind};
use news_enricher::nlp::text::Span;

fn spans(body: &str, needle: &str) -> Vec<Span> {
    body.match_indices(needle)
        .map(|(i, m)| Span {
            start: i,
            end: i + m.len(),
        })
        .collect()
}

/// All mentions of `forms`, longest form first, without overlaps.
fn mentions(body: &str, forms: &[&str]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for f in forms {
        for s in spans(body, f) {
            if !out.iter().any(|o| o.start < s.end && s.start < o.end) {
                out.push(s);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn iran_talks_sample() {
    let v: serde_json::Value = serde_json::from_str(include_str!("data/iran-talks.json")).unwrap();
    let body = v["body"].as_str().unwrap();
    let table: Vec<(&str, &str, Vec<Span>)> = vec![
        (
            "Dmitri Peskow",
            "PERSON",
            mentions(body, &["Dmitri Peskow", "Peskow"]),
        ),
        (
            "Donald Trump",
            "PERSON",
            mentions(body, &["Donald Trump", "Trump"]),
        ),
        (
            "Vladimir Putin",
            "PERSON",
            mentions(body, &["Vladimir Putin"]),
        ),
        (
            "Esmail Baghaei",
            "PERSON",
            mentions(body, &["Esmail Baghaei"]),
        ),
        ("Gideon Sa’ar", "PERSON", mentions(body, &["Gideon Sa’ar"])),
        ("Ali Khamenei", "PERSON", mentions(body, &["Ali Khamenei"])),
        ("Kremlin", "ORG", mentions(body, &["Kremlin"])),
        ("Bloomberg", "ORG", mentions(body, &["Bloomberg"])),
        (
            "Iranian Foreign Ministry",
            "ORG",
            mentions(body, &["Iranian Foreign Ministry"]),
        ),
        ("Russia", "LOC", mentions(body, &["Russia"])),
        ("Iran", "LOC", mentions(body, &["Iran"])),
        ("Israel", "LOC", mentions(body, &["Israel"])),
        ("Tehran", "LOC", mentions(body, &["Tehran"])),
        ("Moscow", "LOC", mentions(body, &["Moscow"])),
        ("United States", "LOC", mentions(body, &["United States"])),
    ];
    let ents: Vec<QuoteEntity> = table
        .iter()
        .map(|(n, l, m)| QuoteEntity {
            name: n,
            label: l,
            mentions: m,
        })
        .collect();
    let found = QuoteFinder::new().find(body, &ents);
    for q in &found {
        println!(
            "{:?} {:?} {:?} {:?}",
            q.span.slice(body),
            q.kind,
            q.speaker,
            q.cue
        );
    }
    let got: Vec<(&str, QuoteKind, Option<&str>)> = found
        .iter()
        .map(|q| (q.span.slice(body), q.kind, q.speaker.as_deref()))
        .collect();
    let pesk = Some("Dmitri Peskow");
    let bag = Some("Esmail Baghaei");
    let expected: Vec<(&str, QuoteKind, Option<&str>)> = vec![
        ("Russia believes that the United States and Iran should resolve all their problems through negotiations", QuoteKind::Full, pesk),
        ("is ready to do everything in its power to achieve this", QuoteKind::Partial, pesk),
        ("maximum pressure", QuoteKind::Scare, None),
        ("The Foreign Minister of the Israeli regime and other government officials continue to threaten Iran with military actions, while the West continues to accuse Iran of lacking defense capabilities. This is deplorable and irrational", QuoteKind::Full, bag),
        ("addiction to aggression and lawless behavior", QuoteKind::Partial, bag),
        ("responsible and essential to maximize our defense capabilities", QuoteKind::Partial, bag),
        ("military option", QuoteKind::Partial, Some("Gideon Sa’ar")),
        ("verified nuclear peace agreement", QuoteKind::Partial, Some("Donald Trump")),
    ];
    assert_eq!(got, expected);
    // speaker_entity points at the entity; cues are the reporting verbs.
    let idx = |n: &str| table.iter().position(|t| t.0 == n);
    assert_eq!(found[1].speaker_entity, idx("Dmitri Peskow"));
    assert_eq!(found[1].cue.as_deref(), Some("added"));
    assert_eq!(found[3].cue.as_deref(), Some("said"));
    assert_eq!(found[5].cue.as_deref(), Some("emphasized"));
    assert_eq!(found[6].cue.as_deref(), Some("warned"));
    assert_eq!(found[7].cue.as_deref(), Some("signaled"));
    assert_eq!(found[7].speaker_entity, idx("Donald Trump"));
}
