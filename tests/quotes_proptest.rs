//! Arbitrary text with random quotation marks and hostile entity mentions (overlapping,
//! empty, out of range, inside quotes, of every label) never panics, and every span the
//! finder returns lies on char boundaries of the text with a valid speaker entity.

use news_enricher::nlp::quotes::QuoteFinder;
use news_enricher::nlp::text::{Doc, Span};
use news_enricher::nlp::{Entity, EntityLabel, Field, Mention};
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("“".to_string()),
        Just("”".to_string()),
        Just("‘".to_string()),
        Just("’".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("''".to_string()),
        Just("``".to_string()),
        Just("«".to_string()),
        Just("»".to_string()),
        Just("„".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just(" said ".to_string()),
        Just(" he added".to_string()),
        Just(" She's said".to_string()),
        Just("according to ".to_string()),
        Just(", ".to_string()),
        Just(". ".to_string()),
        Just(": ".to_string()),
        Just("Smith".to_string()),
        Just("Mr. Jones".to_string()),
        "[a-zA-Z ]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ]
}

/// A mention given as two fractions of the text's length (start, length), and an entity.
type RawMention = (f64, f64, usize);

fn label(i: usize) -> EntityLabel {
    EntityLabel::ALL[i % 4]
}

/// Turns raw mentions into spans on char boundaries, possibly empty, overlapping, nested,
/// inside quotations, and (for some) reaching past the end of the text.
fn entities(text: &str, raw: &[RawMention], n: usize) -> Vec<Entity> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let mut entities: Vec<Entity> = (0..n)
        .map(|i| Entity {
            text: format!("Entity {i}"),
            label: label(i),
            salience: 0.0,
            sentiment: 0.0,
            mentions: Vec::new(),
        })
        .collect();
    for &(s, l, e) in raw {
        let start = floor((s * text.len() as f64) as usize);
        let end = floor(start + (l * 40.0) as usize).max(start);
        entities[e % n].mentions.push(Mention {
            field: if e % 7 == 6 {
                Field::Title
            } else {
                Field::Body
            },
            span: Span::new(start, end),
        });
    }
    // Every "Smith" is a PERSON mention too, so that speakers are found.
    for (i, m) in text.match_indices("Smith") {
        entities[0].mentions.push(Mention {
            field: Field::Body,
            span: Span::new(i, i + m.len()),
        });
    }
    entities
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn never_panics_and_spans_are_on_char_boundaries(
        parts in prop::collection::vec(piece(), 0..40),
        raw in prop::collection::vec((0.0..1.0f64, 0.0..1.0f64, 0usize..8), 0..30),
        n in 1usize..6,
    ) {
        let text: String = parts.concat();
        let ents = entities(&text, &raw, n);
        let doc = Doc::new(&text);
        for q in QuoteFinder::new().find(&doc, &ents) {
            let s = q.span;
            prop_assert!(s.start < s.end && s.end <= text.len());
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            if let Some(e) = q.speaker_entity {
                prop_assert!(e < ents.len());
                prop_assert_eq!(q.speaker.as_deref(), Some(ents[e].text.as_str()));
            }
        }
    }
}
