//! The sentiment stage through the whole pipeline: the trained news models score clear news
//! cases right, `vader` mode is the exact VADER port sentence by sentence, the compiled-in
//! model file is intact (and a damaged copy is refused), and text that is not scored is
//! labelled `not_computed`, never `neutral`.

use news_enricher::config::{NlpConfig, SentimentModel};
use news_enricher::nlp::sentiment::news::{ModelError, NewsModel};
use news_enricher::nlp::sentiment::vader::Vader;
use news_enricher::nlp::{Pipeline, SentimentLabel};
use std::sync::OnceLock;

fn pipeline(model: SentimentModel) -> &'static Pipeline {
    static NEWS: OnceLock<Pipeline> = OnceLock::new();
    static VADER: OnceLock<Pipeline> = OnceLock::new();
    let cell = match model {
        SentimentModel::News => &NEWS,
        SentimentModel::Vader => &VADER,
    };
    cell.get_or_init(|| {
        let config = NlpConfig {
            sentiment_model: model,
            ..NlpConfig::default()
        };
        Pipeline::load(&config).expect("models load")
    })
}

fn score(body: &str) -> f64 {
    let a = pipeline(SentimentModel::News).analyze("", body, Some("en"));
    assert_eq!(a.sentiment.sentences.len(), 1, "{body}");
    a.sentiment.score
}

#[test]
fn news_mode_scores_clear_news_cases_right() {
    for body in [
        "The senator was accused of taking bribes from a contractor.",
        "The carmaker slashed jobs at its plant in Ohio.",
        "Prosecutors accused the former minister of fraud.",
        // Neither "beheaded" nor "behead" is a VADER entry, nor in the training data; it
        // backs off to the stem the model learned from "beheading".
        "Militants beheaded 21 Christians.",
    ] {
        assert!(score(body) <= -0.05, "{body}: {}", score(body));
    }
    for body in [
        "Firefighters rescued a family of five from the flooded house.",
        "The bank reported a record profit for the third quarter.",
    ] {
        assert!(score(body) >= 0.05, "{body}: {}", score(body));
    }
    // A neutral announcement stays in the neutral band.
    assert!(score("The committee meets on Tuesday in the town hall.").abs() < 0.05);
}

#[test]
fn news_mode_entity_scores_follow_what_is_said_about_them() {
    let body = "Prosecutors accused Peter Miller of fraud and bribery. \
                Firefighters praised Anna Weber for her heroic rescue of the children.";
    let a = pipeline(SentimentModel::News).analyze("", body, Some("en"));
    let of = |name: &str| {
        a.entities
            .iter()
            .find(|e| e.text == name)
            .unwrap_or_else(|| panic!("{name} in {:?}", a.entities))
            .sentiment
    };
    assert!(of("Peter Miller") < 0.0, "{}", of("Peter Miller"));
    assert!(of("Anna Weber") > 0.0, "{}", of("Anna Weber"));
    assert!(of("Anna Weber") - of("Peter Miller") > 0.2);
}

#[test]
fn vader_mode_is_the_exact_vader_port_sentence_by_sentence() {
    let vader = Vader::builtin().unwrap();
    let title = "Talks collapse";
    let body = "The talks were a great success. But critics said the deal was terrible! \
                Officials met on Monday.";
    let a = pipeline(SentimentModel::Vader).analyze(title, body, Some("en"));
    assert_eq!(a.sentiment.sentences.len(), 4);
    for s in &a.sentiment.sentences {
        let text = match s.field {
            news_enricher::nlp::Field::Title => &title[s.span.start..s.span.end],
            news_enricher::nlp::Field::Body => &body[s.span.start..s.span.end],
        };
        assert_eq!(s.score, vader.polarity_scores(text).compound, "{text}");
    }
    let news = pipeline(SentimentModel::News).analyze(title, body, Some("en"));
    assert_ne!(
        news.sentiment.sentences[1].score,
        a.sentiment.sentences[1].score
    );
}

#[test]
fn the_built_in_model_is_intact_and_a_damaged_copy_is_refused() {
    let bytes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/models/sentiment.bin")).unwrap();
    let model = NewsModel::from_bytes(&bytes).expect("models/sentiment.bin loads");
    assert!(model.sentence.q.iter().any(|&w| w != 0));
    assert!(model.target.q.iter().any(|&w| w != 0));
    assert!(matches!(
        NewsModel::from_bytes(&bytes[..bytes.len() / 2]),
        Err(ModelError::Length { .. })
    ));
    let mut longer = bytes.clone();
    longer.extend_from_slice(&[0; 4]);
    assert!(matches!(
        NewsModel::from_bytes(&longer),
        Err(ModelError::Length { .. })
    ));
    // Through the pipeline's loader: a damaged sentiment.bin in models_dir stops start-up.
    let dir = std::env::temp_dir().join(format!("ne-sent-model-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/models/ner.bin"),
        dir.join("ner.bin"),
    )
    .unwrap();
    std::fs::write(dir.join("sentiment.bin"), &bytes[..bytes.len() - 8]).unwrap();
    let config = NlpConfig {
        models_dir: Some(dir.clone()),
        ..NlpConfig::default()
    };
    let err = Pipeline::load(&config).unwrap_err().to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        err.contains("sentiment.bin") && err.contains("truncated or oversized"),
        "{err}"
    );
}

#[test]
fn text_that_is_not_scored_is_not_computed_not_neutral() {
    for model in [SentimentModel::News, SentimentModel::Vader] {
        let p = pipeline(model);
        let empty = p.analyze("", " \n ", Some("en"));
        assert_eq!(empty.sentiment.label, SentimentLabel::NotComputed);
        assert_eq!(empty.tags[0], "sentiment:not_computed");
        let french = p.analyze(
            "",
            "Le président a déclaré que tout allait bien.",
            Some("fr"),
        );
        assert_eq!(french.sentiment.label, SentimentLabel::NotComputed);
        let plain = p.analyze("", "The committee meets on Tuesday.", Some("en"));
        assert_ne!(plain.sentiment.label, SentimentLabel::NotComputed);
    }
}
