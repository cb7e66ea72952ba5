//! The wire contract, pinned: the output of `news-enricher enrich` is decoded with this
//! file's own serde types (unknown fields rejected), checked against the published JSON
//! Schemas, and every span satisfies `body[start:end] == text` in code points.

use serde::Deserialize;
use std::io::Write;
use std::process::{Command, Stdio};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Enrichment {
    schema_version: u32,
    language: String,
    entities: Vec<Entity>,
    quotes: Vec<Quote>,
    places: Places,
    sentiment: Sentiment,
    tags: Vec<String>,
    warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entity {
    id: String,
    text: String,
    label: String,
    count: usize,
    salience: f64,
    sentiment: f64,
    mentions: Vec<Span>,
    #[serde(default)]
    references: Vec<Reference>,
    geo: Option<Geo>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Reference {
    start: usize,
    end: usize,
    text: String,
    field: Option<String>,
    kind: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Geo {
    geonameid: Option<u32>,
    name: String,
    lat: f64,
    lon: f64,
    country: Option<String>,
    admin1: Option<String>,
    feature: String,
    population: u64,
    confidence: f64,
    reference: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Places {
    focus: Option<Focus>,
    countries: Vec<CountryShare>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Focus {
    entity: String,
    #[serde(flatten)]
    geo: Geo,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryShare {
    country: String,
    name: String,
    geonameid: Option<u32>,
    share: f64,
}

fn check_geo(g: &Geo) {
    assert!((-90.0..=90.0).contains(&g.lat) && (-180.0..=180.0).contains(&g.lon));
    assert!((0.0..=1.0).contains(&g.confidence) && g.confidence > 0.0);
    assert!(!g.name.is_empty() && g.geonameid != Some(0));
    let large = ["continent", "region"].contains(&g.feature.as_str());
    assert_eq!(g.country.is_none(), large, "{g:?}");
    assert!(g.country.iter().all(|c| c.len() == 2));
    assert!(["name", "adjective"].contains(&g.reference.as_str()));
    let _ = (&g.admin1, g.population);
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Span {
    start: usize,
    end: usize,
    text: String,
    field: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Quote {
    text: String,
    start: usize,
    end: usize,
    field: Option<String>,
    kind: String,
    speaker: Option<String>,
    speaker_entity: Option<String>,
    cue: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sentiment {
    label: String,
    score: f64,
    sentences: Vec<SentenceScore>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SentenceScore {
    start: usize,
    end: usize,
    field: Option<String>,
    score: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Enricher {
    version: String,
    processed_at: String,
    took_us: u64,
}

fn enrich(input: &str) -> (Vec<serde_json::Value>, String, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_news-enricher"))
        .arg("enrich")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run news-enricher enrich");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every stdout line is JSON"))
        .collect();
    (
        lines,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = format!("{}/schemas/{name}", env!("CARGO_MANIFEST_DIR"));
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("schema compiles")
}

/// Decode with the local types and check every span against its field's text.
fn check_contract(v: &serde_json::Value) -> Enrichment {
    let errors: Vec<String> = schema("enriched.schema.json")
        .iter_errors(v)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema violations: {errors:?}");
    let e: Enrichment = serde_json::from_value(v["enrichment"].clone()).expect("contract types");
    let enricher: Enricher = serde_json::from_value(v["enricher"].clone()).expect("enricher block");
    assert_eq!(enricher.version, env!("CARGO_PKG_VERSION"));
    assert!(enricher.processed_at.ends_with('Z') && enricher.processed_at.contains('T'));
    assert!(enricher.took_us < 60_000_000);
    assert_eq!(e.schema_version, 3);
    let body = v["body"].as_str().unwrap();
    let title = v["title"].as_str().unwrap_or("");
    let field_text = |field: &Option<String>| match field.as_deref() {
        None => body,
        Some("title") => title,
        Some(other) => panic!("unknown field {other}"),
    };
    for (i, entity) in e.entities.iter().enumerate() {
        assert_eq!(entity.id, format!("e{}", i + 1));
        assert_eq!(entity.count, entity.mentions.len());
        assert!((0.0..=1.0).contains(&entity.salience));
        assert!((-1.0..=1.0).contains(&entity.sentiment));
        assert!(["PERSON", "ORG", "LOC", "MISC"].contains(&entity.label.as_str()));
        assert!(!entity.text.is_empty());
        for m in &entity.mentions {
            assert_eq!(slice(field_text(&m.field), m.start, m.end), m.text);
        }
        for r in &entity.references {
            assert_eq!(slice(field_text(&r.field), r.start, r.end), r.text);
            assert!(["pronoun", "description"].contains(&r.kind.as_str()));
        }
        if let Some(g) = &entity.geo {
            check_geo(g);
            assert!(entity.label != "PERSON", "a person is no place");
        }
    }
    if let Some(focus) = &e.places.focus {
        check_geo(&focus.geo);
        let entity = e.entities.iter().find(|en| en.id == focus.entity);
        let geo = entity
            .and_then(|en| en.geo.as_ref())
            .expect("the focus is a placed entity");
        assert_eq!((geo.lat, geo.lon), (focus.geo.lat, focus.geo.lon));
        assert_eq!(
            focus.geo.country.as_ref(),
            e.places.countries.first().map(|c| &c.country)
        );
    }
    let shares: f64 = e.places.countries.iter().map(|c| c.share).sum();
    assert!(e.places.countries.is_empty() || shares <= 1.0 + 1e-3);
    for c in &e.places.countries {
        assert!(c.country.len() == 2 && !c.name.is_empty() && c.geonameid.is_some());
        assert!((0.0..=1.0).contains(&c.share));
    }
    for q in &e.quotes {
        assert_eq!(slice(field_text(&q.field), q.start, q.end), q.text);
        assert!(["full", "partial", "scare"].contains(&q.kind.as_str()));
        if q.kind == "scare" {
            assert!(q.speaker.is_none() && q.speaker_entity.is_none());
        }
        if let Some(id) = &q.speaker_entity {
            assert!(e.entities.iter().any(|en| &en.id == id), "{id} exists");
        }
        // The cue is the reporting verb or phrase: never empty, never on a scare quote, and
        // words of the text (`said`, `according to`) or a colon.
        if let Some(cue) = q.cue.as_deref() {
            assert!(q.kind != "scare", "a scare quote has no cue: {cue}");
            assert!(
                cue == ":"
                    || (!cue.is_empty() && cue.chars().all(|c| c.is_alphabetic() || c == ' ')),
                "cue {cue:?}"
            );
            if cue != ":" {
                let text = field_text(&q.field).to_lowercase();
                assert!(
                    text.contains(&cue.to_lowercase()),
                    "cue {cue:?} is in the text"
                );
            }
        }
    }
    for s in &e.sentiment.sentences {
        let text = field_text(&s.field);
        assert!(s.start <= s.end && s.end <= text.chars().count());
        assert!((-1.0..=1.0).contains(&s.score));
    }
    assert!(
        ["positive", "neutral", "negative", "not_computed"].contains(&e.sentiment.label.as_str())
    );
    // `not_computed` exactly when nothing was scored: never a `neutral` that was not measured.
    assert_eq!(
        e.sentiment.label == "not_computed",
        e.sentiment.sentences.is_empty()
    );
    assert!((-1.0..=1.0).contains(&e.sentiment.score));
    assert_eq!(e.tags[0], format!("sentiment:{}", e.sentiment.label));
    assert!(!e.language.is_empty());
    // Warnings are sentences for people: an unsupported language is always named in one.
    for w in &e.warnings {
        assert!(!w.trim().is_empty());
    }
    if e.language != "en" {
        assert!(
            e.warnings
                .iter()
                .any(|w| w.contains(&format!("`{}`", e.language))),
            "{:?}",
            e.warnings
        );
        assert!(e.entities.is_empty() && e.quotes.is_empty());
    }
    e
}

#[test]
fn the_sample_article_satisfies_the_contract_and_keeps_its_fields() {
    let sample = include_str!("data/iran-talks.json");
    let input: serde_json::Value = serde_json::from_str(sample).unwrap();
    assert!(schema("article.schema.json").is_valid(&input));
    let (out, stderr, code) = enrich(sample);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(out.len(), 1);
    let v = &out[0];
    for (key, value) in input.as_object().unwrap() {
        assert_eq!(&v[key], value, "input field {key} unchanged");
    }
    let e = check_contract(v);
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    assert!(e.quotes.iter().any(|q| q.cue.as_deref() == Some("said")));
    // The sample's `he` after a named man is linked to him as a pronoun reference.
    assert!(
        e.entities
            .iter()
            .any(|x| x.label == "PERSON" && x.references.iter().any(|r| r.kind == "pronoun")),
        "{:?}",
        e.entities
    );
}

#[test]
fn offsets_are_code_points_in_hostile_unicode() {
    let bodies = [
        "Emoji 🎉🎉 then Angela Merkel said “good” in Berlin.",
        "e\u{301}te\u{301} à Paris, Jean-Claude Juncker a dit « non ».",
        "في القاهرة قال محمد مرسي إن Cairo is big.",
        "ALL CAPS HEADLINE ABOUT NATO\n\nIsrael’s Sa’ar met Mr. J. R. Smith of the U.S. on Jan. 3.",
        " \t ",
    ];
    let input: String = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| {
            serde_json::json!({"id": format!("u{i}"), "title": "Titre 🎉 of Merkel", "body": b})
                .to_string()
                + "\n"
        })
        .collect();
    let (out, stderr, code) = enrich(&input);
    // The whitespace-only body is invalid input: reported, not enriched.
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("<stdin>:5: field `body` must be a non-empty string"),
        "{stderr}"
    );
    assert_eq!(out.len(), 4);
    for (i, v) in out.iter().enumerate() {
        assert_eq!(v["id"], format!("u{i}"), "input order kept");
        check_contract(v);
    }
}

#[test]
fn an_unsupported_language_is_named_in_a_warning() {
    let input = serde_json::json!({"id": "fr", "language": "fr",
        "body": "Le président Emmanuel Macron a déclaré : « Nous gagnerons. »"})
    .to_string();
    let (out, stderr, code) = enrich(&input);
    assert_eq!(code, Some(0), "{stderr}");
    let e = check_contract(&out[0]);
    assert_eq!(e.language, "fr");
    assert_eq!(e.warnings.len(), 1, "{:?}", e.warnings);
    assert_eq!(e.sentiment.label, "not_computed");
    assert_eq!(e.tags[0], "sentiment:not_computed");
}

#[test]
fn batch_mode_reports_file_line_and_reason_and_goes_on() {
    let dir = std::env::temp_dir().join(format!("ne-contract-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("articles.jsonl");
    std::fs::write(
        &file,
        "{\"id\":\"a\",\"body\":\"Fine text.\"}\n{oops\n\n{\"id\":\"c\"}\n{\"id\":\"d\",\"body\":\"Also fine.\"}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_news-enricher"))
        .arg("enrich")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let name = file.display().to_string();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains(&format!("{name}:2: message body is not valid JSON")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{name}:4: required field `body` is missing")),
        "{stderr}"
    );
    let ids: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(ids, ["a", "d"]);

    let missing = Command::new(env!("CARGO_BIN_EXE_news-enricher"))
        .args(["enrich", "/nonexistent/file.jsonl"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/file.jsonl: cannot open")
    );
}

#[test]
fn the_input_schema_rejects_what_the_worker_dead_letters() {
    let schema = schema("article.schema.json");
    for bad in [
        r#"{"body":"x"}"#,
        r#"{"id":"","body":"x"}"#,
        r#"{"id":"1","body":"   "}"#,
        r#"{"id":1,"body":"x"}"#,
        r#"{"id":"1","body":"x","title":3}"#,
        r#"[1]"#,
    ] {
        let v: serde_json::Value = serde_json::from_str(bad).unwrap();
        assert!(!schema.is_valid(&v), "{bad} should be invalid");
    }
    let ok: serde_json::Value =
        serde_json::from_str(r#"{"id":"1","body":"x","title":null,"extra":{"a":[1]}}"#).unwrap();
    assert!(schema.is_valid(&ok));
}

#[test]
fn offsets_index_the_original_body_of_a_marked_up_article() {
    let body = "<p>&#8220;We will not back down,&#8221; said <a href=\"/people/zoe\" \
                title=\"“Mayor” of Springfield\">Zo&euml; Hart\u{200B}ley</a>, the mayor of \
                Springfield.</p>\r\n<p>Gideon Sa&rsquo;ar met Hart\u{AD}ley&nbsp;in Jerusalem \
                on Monday.</p>\r\n<!-- “Not a quote,” said Nobody Special. -->\
                <script>var q = \"“Nor this,” said Nobody Else\";</script>";
    // A byte order mark opens the file, as Windows editors write it.
    let input = format!(
        "\u{FEFF}{}\n",
        serde_json::json!({"id": "m1", "title": "Zo&euml; Hartley <b>speaks</b>", "body": body})
    );
    let dir = std::env::temp_dir().join(format!("ne-contract-markup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bom.jsonl");
    std::fs::write(&file, input).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_news-enricher"))
        .arg("enrich")
        .arg(&file)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert_eq!(v["body"], body, "the body passes through unchanged");
    // check_contract: every mention and quote slices the original (marked-up) field.
    let e = check_contract(&v);
    let zoe = e
        .entities
        .iter()
        .find(|en| en.text == "Zoë Hartley")
        .unwrap_or_else(|| panic!("Zoë Hartley, decoded: {:?}", e.entities));
    assert_eq!(zoe.label, "PERSON");
    let forms: Vec<&str> = zoe.mentions.iter().map(|m| m.text.as_str()).collect();
    assert!(forms.contains(&"Zo&euml; Hart\u{200B}ley"), "{forms:?}");
    assert!(
        forms.contains(&"Zo&euml; Hartley"),
        "the title's: {forms:?}"
    );
    assert!(e.entities.iter().any(|en| en.text == "Gideon Sa’ar"));
    let quote = e.quotes.iter().find(|q| q.text.contains("back down"));
    let quote = quote.unwrap_or_else(|| panic!("the quote is found: {:?}", e.quotes));
    assert_eq!(quote.text, "We will not back down,");
    assert_eq!(quote.speaker.as_deref(), Some("Zoë Hartley"));
    // Nothing inside markup is read: no quote or name from comments, scripts or attributes.
    assert_eq!(e.quotes.len(), 1, "{:?}", e.quotes);
    for en in &e.entities {
        assert!(
            !en.text.contains(['<', '>', '&', '"', '\u{200B}']) && !en.text.contains("Nobody"),
            "{en:?}"
        );
    }
    let codes: Vec<&str> = e
        .warnings
        .iter()
        .map(|w| w.split(':').next().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "html_in_body",
            "html_entities_decoded",
            "format_characters_removed",
            "cr_line_ends"
        ]
    );
}
