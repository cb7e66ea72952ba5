//! Property-based fuzzing of what the worker does with a message body: decode, analyze,
//! encode. Arbitrary bytes and arbitrary JSON articles never panic, and every span in the
//! output satisfies `body[start:end] == text` in code points.
//!
//! The default case count keeps `cargo test` quick; a long run is
//! `PROPTEST_CASES=200000 cargo test --release --test fuzz` (proptest reads the variable).

use news_enricher::config::NlpConfig;
use news_enricher::enricher::{Enricher, Mode};
use news_enricher::nlp::Pipeline;
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};

fn enricher() -> &'static Enricher {
    static ENRICHER: OnceLock<Enricher> = OnceLock::new();
    ENRICHER.get_or_init(|| {
        let pipeline = Pipeline::load(&NlpConfig::default()).expect("models load");
        Enricher::new(Arc::new(pipeline), 1 << 20, Mode::Enrich, "en")
    })
}

fn slice(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

/// Every span of an output names the text it claims, in the field it claims.
fn check_output(json: &[u8]) {
    let v: serde_json::Value = serde_json::from_slice(json).expect("output is JSON");
    let body = v["body"].as_str().expect("body kept");
    let title = v["title"].as_str().unwrap_or("");
    let e = &v["enrichment"];
    let field = |span: &serde_json::Value| match span["field"].as_str() {
        Some("title") => title,
        None => body,
        Some(other) => panic!("unknown field {other}"),
    };
    let check = |span: &serde_json::Value| {
        let (start, end) = (
            span["start"].as_u64().unwrap(),
            span["end"].as_u64().unwrap(),
        );
        let text = field(span);
        assert!(start <= end && end as usize <= text.chars().count());
        if let Some(expected) = span["text"].as_str() {
            assert_eq!(slice(text, start, end), expected);
        }
    };
    for entity in e["entities"].as_array().unwrap() {
        entity["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .for_each(check);
    }
    e["quotes"].as_array().unwrap().iter().for_each(check);
    e["sentiment"]["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .for_each(check);
}

fn article_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Dmitri Peskow".to_owned()),
        Just(" said ".to_owned()),
        Just(", he added".to_owned()),
        Just("“".to_owned()),
        Just("”".to_owned()),
        Just("‘".to_owned()),
        Just("’".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("«".to_owned()),
        Just("»".to_owned()),
        Just("``".to_owned()),
        Just("''".to_owned()),
        Just("\n".to_owned()),
        Just("U.S.".to_owned()),
        Just("according to ".to_owned()),
        Just(":".to_owned()),
        "\\PC{0,10}",
        "[A-Z][a-z]{0,8}",
        "[A-Z]{2,6}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_are_rejected_or_enriched_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(out) = enricher().process(&bytes) {
            check_output(&out.json);
        }
    }

    #[test]
    fn arbitrary_articles_keep_every_span_true(
        id in "\\PC{1,20}",
        title in article_text(),
        body in article_text(),
        extra in any::<u32>(),
    ) {
        let article = serde_json::json!({"id": id, "title": title, "body": body, "extra": extra});
        let bytes = serde_json::to_vec(&article).unwrap();
        match enricher().process(&bytes) {
            Ok(out) => check_output(&out.json),
            // Only an empty-looking id or body may be refused.
            Err(e) => prop_assert_eq!(e.kind(), "empty_field"),
        }
    }
}

#[test]
fn hostile_but_valid_input_is_handled() {
    let e = enricher();
    // 10 MB, over the size limit: refused before any parsing.
    let big = format!(r#"{{"id":"big","body":"{}"}}"#, "a".repeat(10 << 20));
    assert_eq!(
        e.process(big.as_bytes()).unwrap_err().kind(),
        "body_too_large"
    );
    // 100,000 quotation marks, and a long run without a space or a sentence end.
    for body in [
        "\"".repeat(100_000),
        "“”‘’".repeat(25_000),
        "a".repeat(900_000),
    ] {
        let article = serde_json::json!({"id": "h", "body": body});
        let out = e
            .process(&serde_json::to_vec(&article).unwrap())
            .expect("enriched");
        check_output(&out.json);
    }
    // Deeply nested JSON in a pass-through field: beyond the parser's depth limit it is
    // invalid input (dead-lettered by the worker), below it it passes through untouched.
    let deep = format!(
        r#"{{"id":"d","body":"x","p":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_eq!(
        e.process(deep.as_bytes()).unwrap_err().kind(),
        "invalid_json"
    );
    let shallow = format!(
        r#"{{"id":"d","body":"Fine.","p":{}{}}}"#,
        "[".repeat(100),
        "]".repeat(100)
    );
    let out = e.process(shallow.as_bytes()).expect("enriched");
    let v: serde_json::Value = serde_json::from_slice(&out.json).unwrap();
    assert!(v["p"].is_array());
}
