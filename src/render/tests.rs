use super::*;
use serde_json::json;

fn render(doc: &Value) -> String {
    let mut out = String::new();
    render_article(doc, &mut out).expect("renders");
    out
}

/// The text a browser shows for a fragment: tags dropped, entities decoded (the renderer's
/// output never has `>` inside an attribute, so this is exact for it).
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The inner text of the first element with `class="text"`.
fn body_text(html: &str) -> String {
    let start = html.find("<div class=\"text\"").expect("text div");
    let open_end = start + html[start..].find('>').unwrap() + 1;
    let end = html[open_end..].find("</div>").unwrap() + open_end;
    text_of(&html[open_end..end])
}

fn sample() -> Value {
    let body = "Ann Lee said: “We are ready.” Acme Corp. agreed.\nShe left.";
    json!({
        "id": "a1",
        "title": "Ann Lee and Acme",
        "body": body,
        "enrichment": {
            "schema_version": 1,
            "language": "en",
            "entities": [
                {"id": "e1", "text": "Ann Lee", "label": "PERSON", "count": 2,
                 "salience": 0.61, "sentiment": 0.4,
                 "mentions": [{"start": 0, "end": 7, "text": "Ann Lee", "field": "title"},
                              {"start": 0, "end": 7, "text": "Ann Lee"}],
                 "references": [{"start": 49, "end": 52, "text": "She", "kind": "pronoun"}]},
                {"id": "e2", "text": "Acme Corp.", "label": "ORG", "count": 1,
                 "salience": 0.2, "sentiment": 0.0,
                 "mentions": [{"start": 30, "end": 40, "text": "Acme Corp."}]}
            ],
            "quotes": [{"text": "We are ready.", "start": 15, "end": 28, "kind": "full",
                        "speaker": "Ann Lee", "speaker_entity": "e1", "cue": "said"}],
            "sentiment": {"label": "positive", "score": 0.41,
                          "sentences": [{"start": 0, "end": 29, "score": 0.7},
                                        {"start": 30, "end": 48, "score": 0.1},
                                        {"start": 49, "end": 58, "score": -0.5}]},
            "tags": ["sentiment:positive", "person:ann-lee"],
            "warnings": []
        },
        "enricher": {"version": "0.1.0", "processed_at": "2026-01-01T00:00:00Z", "took_us": 900}
    })
}

#[test]
fn the_text_is_shown_whole_with_every_span_marked() {
    let doc = sample();
    let html = render(&doc);
    assert_eq!(body_text(&html), doc["body"].as_str().unwrap());
    // Three body mentions and one title mention, each one element.
    assert_eq!(html.matches("<mark ").count(), 4);
    assert!(html.contains(
        "<mark class=\"ent l-PERSON\" data-entity=\"e1\" title=\"Ann Lee (PERSON)\nsalience \
         0.61\nsentiment +0.40\">Ann Lee</mark>"
    ));
    assert!(html.contains("class=\"ent l-PERSON k-pronoun\" data-entity=\"e1\""));
    assert!(html.contains("(pronoun mention)\">She</mark>"));
    assert!(html.contains("data-quote=\"q1\" data-speaker=\"Ann Lee\" data-speaker-entity=\"e1\""));
    assert!(html.contains("<span class=\"sent s-pos3\" title=\"sentence sentiment +0.70\">"));
    assert!(html.contains("<span class=\"sent s-neg2\""));
    // The side panel: one row per entity, the quote with its speaker, the tags.
    assert_eq!(html.matches("<tr data-entity=").count(), 2);
    assert!(html.contains("<span class=\"who\">Ann Lee</span> <span class=\"cue\">said</span>"));
    assert!(html.contains("<li>person:ann-lee</li>"));
}

#[test]
fn markup_in_any_field_is_shown_as_text() {
    let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
    let body = format!("{evil} said {evil}.");
    let doc = json!({
        "id": evil, "title": evil, "body": body, "source": evil,
        "enrichment": {
            "language": evil,
            "entities": [{"id": evil, "text": evil, "label": evil, "salience": 0.5,
                          "geo": {"name": evil, "country": evil},
                          "mentions": [{"start": 0, "end": 25, "kind": evil}]}],
            "quotes": [{"text": evil, "start": 30, "end": 40, "kind": evil,
                        "speaker": evil, "speaker_entity": evil, "cue": evil}],
            "sentiment": {"label": evil, "score": 0.1, "sentences": []},
            "places": {"focus": {"name": evil}},
            "tags": [evil], "warnings": [evil]
        },
        "enricher": {"version": evil}
    });
    let html = render(&doc);
    for bad in ["<script", "<img", "onerror=alert(2)>", "'&"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("class=\"ent l-other k-other\""));
    assert_eq!(body_text(&html), body);
}

#[test]
fn new_and_missing_fields_are_tolerated() {
    let mut doc = sample();
    let e = &mut doc["enrichment"];
    e["entities"][0]["geo"] = json!({"geonameid": 1, "name": "Perth", "admin1": "Scotland",
        "country": "GB", "feature": "city", "lat": 56.39, "lon": -3.43, "confidence": 0.9});
    e["places"] = json!({"focus": {"name": "Perth", "country": "GB"}, "other": [1, 2]});
    e["sentiment"]["label"] = json!("not_computed");
    e["sentiment"]["score"] = Value::Null;
    e["sentiment"]["sentences"][0]["score"] = Value::Null;
    e["quotes"][0]["speaker"] = Value::Null;
    e["future_field"] = json!({"x": 1});
    let html = render(&doc);
    assert!(html.contains("place: Perth, Scotland, GB (city) 56.39, -3.43"));
    assert!(html.contains("<th>place</th>"));
    assert!(html.contains("<dt>main place</dt><dd>Perth, GB</dd>"));
    assert!(html.contains("<dt>sentiment</dt><dd class=\"s-none\">not_computed</dd>"));
    assert!(html.contains("<span class=\"sent s-none\" title=\"sentence sentiment –\">"));
    assert!(html.contains("<span class=\"quote q-full anon\" data-quote=\"q1\""));

    // No enrichment at all: the text alone.
    let bare = json!({"id": "b", "body": "Just text."});
    let html = render(&bare);
    assert!(html.contains("<dd>none in this record</dd>"));
    assert_eq!(body_text(&html), "Just text.");
}

#[test]
fn spans_that_do_not_fit_are_counted_not_shown() {
    let mut doc = sample();
    let e = &mut doc["enrichment"];
    e["entities"][1]["mentions"] = json!([
        {"start": 30, "end": 999},
        {"start": "x", "end": 3},
        {"start": 5, "end": 2},
        {"start": 0, "end": 3, "field": "summary"},
        {"start": 2, "end": 9}
    ]);
    let html = render(&doc);
    // The last one crosses the end of "Ann Lee" (0..7), kept first (one inside it would nest);
    // all five are left out.
    assert!(html.contains("<p class=\"note\">5 spans"));
    assert_eq!(html.matches("<mark ").count(), 3);
    assert_eq!(body_text(&html), doc["body"].as_str().unwrap());
}

#[test]
fn code_point_offsets_land_on_the_right_characters() {
    let body = "Sa’ar 🎉 met Dmitri Peskow.";
    let start = body.chars().position(|c| c == 'D').unwrap();
    let doc = json!({"id": "u", "body": body, "enrichment": {"entities": [
        {"id": "e1", "text": "Dmitri Peskow", "label": "PERSON",
         "mentions": [{"start": start, "end": start + 13}]}]}});
    let html = render(&doc);
    assert!(html.contains("\">Dmitri Peskow</mark>."));
}

#[test]
fn unreadable_records_get_a_reason() {
    let mut out = String::new();
    for (json, kind) in [
        ("{nope", "invalid_json"),
        ("[1]", "not_an_object"),
        ("{\"id\":\"x\"}", "missing_field"),
        ("{\"id\":\"x\",\"body\":5}", "missing_field"),
    ] {
        assert_eq!(render_json(json, &mut out).unwrap_err().kind(), kind);
    }
    assert!(out.is_empty());
}

#[test]
fn sentiment_shades_follow_the_bands() {
    let cases = [
        (None, "s-none"),
        (Some(0.0), "s-neu"),
        (Some(-0.049), "s-neu"),
        (Some(0.05), "s-pos1"),
        (Some(0.35), "s-pos2"),
        (Some(0.9), "s-pos3"),
        (Some(-0.2), "s-neg1"),
        (Some(-0.5), "s-neg2"),
        (Some(-0.65), "s-neg3"),
    ];
    for (score, class) in cases {
        assert_eq!(shade(score), class, "{score:?}");
    }
}

#[test]
fn a_document_wraps_the_sections_with_styles_and_script() {
    let mut out = String::new();
    document_start(&mut out);
    render_article(&sample(), &mut out).unwrap();
    document_end(&mut out);
    assert!(out.starts_with("<!doctype html>"));
    assert!(out.contains("<style>") && out.contains("mark.ent"));
    assert!(out.trim_end().ends_with("</html>"));
    assert_eq!(out.matches("<section class=\"article\"").count(), 1);
}

#[test]
fn a_marked_up_article_is_shown_as_written_with_its_spans_on_the_original_text() {
    use crate::enricher::{Enricher, Mode};
    use crate::nlp::Pipeline;
    let pipeline = std::sync::Arc::new(Pipeline::load(&Default::default()).unwrap());
    let enricher = Enricher::new(pipeline, 1 << 20, Mode::Enrich, "en");
    let body = "<p>&#8220;We will not back down,&#8221; said <a href=\"/zoe\">Zo&euml; \
                Hart\u{200B}ley</a>, the mayor.</p>\r\n<script>alert(\"“x”\")</script>";
    let input = json!({"id": "m1", "body": body}).to_string();
    let doc: Value = serde_json::from_slice(&enricher.process_str(&input).unwrap().json).unwrap();
    let html = render(&doc);
    // The original body, markup and references included, shown whole and as text.
    assert_eq!(body_text(&html), body);
    for raw in ["<a href", "<script>", "<p>", "&#8220;", "&euml;"] {
        assert!(!html.contains(raw), "{raw} unescaped");
    }
    // The mention is marked on exactly the original text of the name ...
    assert!(
        html.contains("Zoë Hartley (PERSON)")
            && html.contains(">Zo&amp;euml; Hart\u{200B}ley</mark>"),
        "{html}"
    );
    // ... and the quotation on its original text, with the decoded speaker.
    assert!(html.contains("data-speaker=\"Zoë Hartley\""), "{html}");
    assert!(html.contains(">We will not back down,</span>"), "{html}");
}
