//! Arbitrary text with random quotation marks never panics, and every span the finder
//! returns lies on char boundaries of the text.

use news_enricher::nlp::quotes::{QuoteEntity, QuoteFinder};
use news_enricher::nlp::text::Span;
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
        Just("according to ".to_string()),
        Just(", ".to_string()),
        Just(". ".to_string()),
        Just(": ".to_string()),
        Just("Smith".to_string()),
        "[a-zA-Z ]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn never_panics_and_spans_are_on_char_boundaries(parts in prop::collection::vec(piece(), 0..40)) {
        let text: String = parts.concat();
        // Mentions: every "Smith", and some junk spans clamped onto char boundaries.
        let mentions: Vec<Span> = text
            .match_indices("Smith")
            .map(|(i, m)| Span { start: i, end: i + m.len() })
            .collect();
        let ents = [QuoteEntity { name: "John Smith", label: "PERSON", mentions: &mentions }];
        let finder = QuoteFinder::new();
        for q in finder.find(&text, &ents) {
            for s in [Some(q.span), q.cue_span].into_iter().flatten() {
                prop_assert!(s.start <= s.end && s.end <= text.len());
                prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
                let _ = s.slice(&text);
            }
            prop_assert!(q.span.start < q.span.end);
            if let Some(e) = q.speaker_entity {
                prop_assert!(e < ents.len());
            }
        }
    }
}
