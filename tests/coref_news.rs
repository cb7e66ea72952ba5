//! Regression suite for issue 12: coreference for speakers, salience and sentiment. Short
//! texts written for this suite, one per case the stage handles, through the whole pipeline.

use news_enricher::config::NlpConfig;
use news_enricher::nlp::analysis::ReferenceKind;
use news_enricher::nlp::{Analysis, Pipeline, QuoteKind};
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::load(&NlpConfig::default()).expect("models load"))
}

fn analyze(body: &str) -> Analysis {
    pipeline().analyze("", body, Some("en"))
}

fn entity_named(a: &Analysis, text: &str) -> usize {
    a.entities
        .iter()
        .position(|e| e.text == text)
        .unwrap_or_else(|| panic!("no entity {text}: {:?}", a.entities))
}

/// The references of entity `e` as (text, kind).
fn references(a: &Analysis, body: &str, e: usize) -> Vec<(String, ReferenceKind)> {
    a.references
        .iter()
        .filter(|r| r.entity == e)
        .map(|r| (r.span.slice(body).to_owned(), r.kind))
        .collect()
}

/// Pattern 2: `the Conservative MP` one sentence after Chris Grayling is named is Chris
/// Grayling, not an invented speaker; the quote keeps the phrase and links the entity.
#[test]
fn a_description_speaker_is_the_person_just_named() {
    let body = "Transport Secretary Chris Grayling defended the rail timetable on Tuesday.\n\
                Speaking in the Commons, the Conservative MP said: “We will not accept any further delays on this line.”";
    let a = analyze(body);
    let grayling = entity_named(&a, "Chris Grayling");
    assert!(references(&a, body, grayling)
        .contains(&("the Conservative MP".to_owned(), ReferenceKind::Description)));
    let q = &a.quotes[0];
    assert_eq!(q.kind, QuoteKind::Full);
    assert_eq!(q.speaker_entity, Some(grayling), "{q:?}");
    assert_eq!(q.speaker.as_deref(), Some("the Conservative MP"));
}

/// Pattern 1: `she` after a woman and a man named later goes to the woman, and a `his`
/// goes to the man.
#[test]
fn pronouns_agree_in_gender() {
    let body = "Sarah Collins met Thomas Baker in Leeds on Monday to discuss his new plan.\n\
                “We are very far apart on the main points of the plan,” she said.";
    let a = analyze(body);
    let collins = entity_named(&a, "Sarah Collins");
    let baker = entity_named(&a, "Thomas Baker");
    assert_eq!(
        references(&a, body, baker),
        [("his".to_owned(), ReferenceKind::Pronoun)]
    );
    assert_eq!(
        references(&a, body, collins),
        [("she".to_owned(), ReferenceKind::Pronoun)]
    );
    assert_eq!(a.quotes[0].speaker_entity, Some(collins));
    assert_eq!(a.quotes[0].speaker.as_deref(), Some("Sarah Collins"));
}

/// A person whose first name the word lists do not know gets the gender the article's own
/// pronouns give her: `Adaeze Okafor … She` is a woman, so a later `she` skips a nearer name.
#[test]
fn the_article_tells_a_gender_the_word_lists_do_not() {
    let body = "Adaeze Okafor runs the clinic. She opened it in 2019.\n\
                Later, Mark Dunn joined the board. She said the clinic would “stay open every single day of the year”.";
    let a = analyze(body);
    let her = entity_named(&a, "Adaeze Okafor");
    let refs = references(&a, body, her);
    assert_eq!(
        refs,
        [
            ("She".to_owned(), ReferenceKind::Pronoun),
            ("She".to_owned(), ReferenceKind::Pronoun)
        ]
    );
    assert_eq!(a.quotes[0].speaker_entity, Some(her));
}

/// `the company` and `its` go to the organisation just named.
#[test]
fn organisations_are_referred_to_by_its_and_the_company() {
    let body = "Volkswagen reported a loss for the third quarter. The company blamed its wind turbine unit.";
    let a = analyze(body);
    let siemens = entity_named(&a, "Volkswagen");
    assert_eq!(
        references(&a, body, siemens),
        [
            ("The company".to_owned(), ReferenceKind::Description),
            ("its".to_owned(), ReferenceKind::Pronoun)
        ]
    );
}

/// References count for salience, at less than a name: of two people named once each, the
/// one the article keeps talking about (by pronoun) is the more salient.
#[test]
fn references_raise_salience() {
    let body = "Officials said on Monday that Peter Hall and Anna Berg would attend the summit in Oslo.\n\
                Later that day, an aide said the talks with Norway were going well.\n\
                Anna Berg is the mayor of Bergen. She has led the city since 2015, and her budget passed last week. She will speak first.";
    let a = analyze(body);
    let hall = entity_named(&a, "Peter Hall");
    let berg = entity_named(&a, "Anna Berg");
    assert_eq!(references(&a, body, berg).len(), 3);
    assert!(a.entities[berg].salience > a.entities[hall].salience);
    // Names only in `mentions` (and so in `count`).
    assert_eq!(a.entities[berg].mentions.len(), 2);
}

/// Pattern 5: a quoted title next to a role noun is a title of a work, a scare quote with no
/// speaker, never speech; the real quotation after it still goes to the director.
#[test]
fn titles_of_works_are_never_speech() {
    let body = "“Parasite” director Bong Joon Ho said the award was a surprise.\n\
                He later appeared in the film “Memories of Murder” again.\n\
                “I never expected this to happen to our small team,” Bong Joon Ho said.";
    let a = analyze(body);
    let kinds: Vec<(&str, QuoteKind, Option<&str>)> = a
        .quotes
        .iter()
        .map(|q| (q.span.slice(body), q.kind, q.speaker.as_deref()))
        .collect();
    assert_eq!(kinds[0], ("Parasite", QuoteKind::Scare, None), "{kinds:?}");
    assert_eq!(kinds[1], ("Memories of Murder", QuoteKind::Scare, None));
    assert_eq!(kinds[2].1, QuoteKind::Full);
    assert_eq!(kinds[2].2, Some("Bong Joon Ho"));
}

/// Pattern 3: a passive cue (`were told`) has no speaker; the clause fragment before it
/// (`a lot of buyers were`) is not one either: the speaker is null.
#[test]
fn clause_fragments_are_not_speakers() {
    let body =
        "In the end, a lot of buyers were told that “the prices will keep going up all year long”.";
    let a = analyze(body);
    assert_eq!(a.quotes.len(), 1);
    assert_eq!(a.quotes[0].speaker, None, "{:?}", a.quotes[0]);
    assert_eq!(a.quotes[0].speaker_entity, None);
}

/// A possessive name in the pronoun's own sentence is its antecedent (`Gloria Baker’s fever
/// … her skin`), though a possessive in an earlier sentence is skipped for a nearer name.
#[test]
fn a_possessive_in_the_pronouns_sentence_is_its_antecedent() {
    let body = "Gloria Baker fell ill in May. The clinic was closed. The roads were flooded. \
                The doctors were away. Photograph: Kerrin Ashby. \
                By June, Gloria Baker’s fever was so high that her skin burned.";
    let a = analyze(body);
    let gloria = entity_named(&a, "Gloria Baker");
    let kerrin = entity_named(&a, "Kerrin Ashby");
    assert_eq!(
        references(&a, body, gloria),
        [("her".to_owned(), ReferenceKind::Pronoun)]
    );
    assert!(references(&a, body, kerrin).is_empty());
}
