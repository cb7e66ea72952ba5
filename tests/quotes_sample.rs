//! The iran-talks sample must give exactly the seven attributed quotations and one scare
//! quote the issue lists. Entities are written by hand, as the NER stage would group them.

use news_enricher::nlp::quotes::QuoteFinder;
use news_enricher::nlp::text::{Doc, Span};
use news_enricher::nlp::{Entity, EntityLabel, Field, Mention, QuoteKind};

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
    let table: Vec<(&str, EntityLabel, Vec<Span>)> = vec![
        (
            "Dmitri Peskow",
            EntityLabel::Person,
            mentions(body, &["Dmitri Peskow", "Peskow"]),
        ),
        (
            "Donald Trump",
            EntityLabel::Person,
            mentions(body, &["Donald Trump", "Trump"]),
        ),
        (
            "Vladimir Putin",
            EntityLabel::Person,
            mentions(body, &["Vladimir Putin"]),
        ),
        (
            "Esmail Baghaei",
            EntityLabel::Person,
            mentions(body, &["Esmail Baghaei"]),
        ),
        (
            "Gideon Sa’ar",
            EntityLabel::Person,
            mentions(body, &["Gideon Sa’ar"]),
        ),
        (
            "Ali Khamenei",
            EntityLabel::Person,
            mentions(body, &["Ali Khamenei"]),
        ),
        ("Kremlin", EntityLabel::Org, mentions(body, &["Kremlin"])),
        (
            "Bloomberg",
            EntityLabel::Org,
            mentions(body, &["Bloomberg"]),
        ),
        (
            "Iranian Foreign Ministry",
            EntityLabel::Org,
            mentions(body, &["Iranian Foreign Ministry"]),
        ),
        ("Russia", EntityLabel::Loc, mentions(body, &["Russia"])),
        ("Iran", EntityLabel::Loc, mentions(body, &["Iran"])),
        ("Israel", EntityLabel::Loc, mentions(body, &["Israel"])),
        ("Tehran", EntityLabel::Loc, mentions(body, &["Tehran"])),
        ("Moscow", EntityLabel::Loc, mentions(body, &["Moscow"])),
        (
            "United States",
            EntityLabel::Loc,
            mentions(body, &["United States"]),
        ),
    ];
    let ents: Vec<Entity> = table
        .iter()
        .map(|(name, label, spans)| Entity {
            text: name.to_string(),
            label: *label,
            salience: 0.0,
            sentiment: 0.0,
            mentions: spans
                .iter()
                .map(|&span| Mention {
                    field: Field::Body,
                    span,
                })
                .collect(),
        })
        .collect();
    let found = QuoteFinder::new().find(&Doc::new(body), &ents);
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
