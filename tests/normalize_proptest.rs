//! Text as scrapers deliver it: random markup, character references, format characters, CR
//! line ends and non-breaking spaces wrapped around a real article (`tests/data/iran-talks.json`)
//! give the same entities, quotations, sentiment and tags as the clean article, and every
//! offset of the output still slices the original (marked-up) body to the text it claims.

use news_enricher::config::NlpConfig;
use news_enricher::enricher::{Enricher, Mode};
use news_enricher::nlp::text::normalize;
use news_enricher::nlp::Pipeline;
use proptest::prelude::*;
use serde_json::Value;
use std::sync::{Arc, OnceLock};

const SAMPLE: &str = include_str!("data/iran-talks.json");

fn enricher() -> &'static Enricher {
    static ENRICHER: OnceLock<Enricher> = OnceLock::new();
    ENRICHER.get_or_init(|| {
        let pipeline = Arc::new(Pipeline::load(&NlpConfig::default()).expect("models load"));
        Enricher::new(pipeline, 16 << 20, Mode::Enrich, "en")
    })
}

fn sample() -> Value {
    serde_json::from_str(SAMPLE).unwrap()
}

fn enrich(article: &Value) -> Value {
    let out = enricher()
        .process(article.to_string().as_bytes())
        .expect("the article enriches");
    serde_json::from_slice(&out.json).unwrap()
}

fn clean() -> &'static Value {
    static CLEAN: OnceLock<Value> = OnceLock::new();
    CLEAN.get_or_init(|| enrich(&sample()))
}

/// `s[start..end]` in code points (Python indexing).
fn slice(s: &str, start: u64, end: u64) -> String {
    s.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

/// One way of dirtying the text at a character.
#[derive(Clone, Copy, Debug)]
enum Edit {
    /// The character as a decimal reference (`&#8217;`).
    Decimal,
    /// As a hex reference (`&#x2019;`).
    Hex,
    /// As a named reference where it has a common one, else decimal.
    Named(usize),
    /// A format character before it.
    Format(usize),
    /// After a space: a comment or a script, with quotation marks and names inside.
    Hidden(usize),
    /// At the start of a word: the word wrapped in an inline tag with attributes.
    Wrap(usize),
    /// A line end as CRLF, CR, or between paragraph tags.
    LineEnd(usize),
    /// A space as NBSP or `&nbsp;`.
    Space(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        Just(Edit::Decimal),
        Just(Edit::Hex),
        (0..4usize).prop_map(Edit::Named),
        (0..5usize).prop_map(Edit::Format),
        (0..4usize).prop_map(Edit::Hidden),
        (0..3usize).prop_map(Edit::Wrap),
        (0..3usize).prop_map(Edit::LineEnd),
        (0..2usize).prop_map(Edit::Space),
    ]
}

const FORMAT: [char; 5] = ['\u{200B}', '\u{AD}', '\u{2060}', '\u{200E}', '\u{FEFF}'];
const HIDDEN: [&str; 4] = [
    "<!-- “Trump said,” he said -->",
    "<script type=\"text/javascript\">var q = \"“Putin said”\"; if (a<b) {}</script>",
    "<style>p::before { content: \"“Iran”\" }</style>",
    "<img src=\"x.png\" alt=\"Judge “Ford” said\">",
];
const WRAP: [(&str, &str); 3] = [
    (
        "<a href=\"https://example.org/?a=1&amp;b='2'\" title=\"“Judge Ford” said\">",
        "</a>",
    ),
    ("<b>", "</b>"),
    ("<span class='name' data-x=\"a > b\">", "</span>"),
];

fn named(c: char) -> Option<&'static str> {
    Some(match c {
        '’' => "&rsquo;",
        '‘' => "&lsquo;",
        '“' => "&ldquo;",
        '”' => "&rdquo;",
        '–' => "&ndash;",
        '—' => "&mdash;",
        '&' => "&amp;",
        '"' => "&quot;",
        '\'' => "&apos;",
        'é' => "&eacute;",
        _ => return None,
    })
}

/// The body with the edits applied at their characters (positions taken modulo its length).
fn dirty(body: &str, edits: &[(usize, Edit)]) -> String {
    let chars: Vec<char> = body.chars().collect();
    let mut at: Vec<Vec<Edit>> = vec![Vec::new(); chars.len()];
    for &(pos, e) in edits {
        at[pos % chars.len()].push(e);
    }
    let mut out = String::new();
    let mut close: Option<&str> = None;
    for (i, &c) in chars.iter().enumerate() {
        let word_start = c.is_alphanumeric() && (i == 0 || !chars[i - 1].is_alphanumeric());
        let mut written = false;
        for &e in &at[i] {
            match e {
                Edit::Format(k) => out.push(FORMAT[k]),
                Edit::Wrap(k) if word_start && close.is_none() => {
                    out.push_str(WRAP[k].0);
                    close = Some(WRAP[k].1);
                }
                _ => {}
            }
        }
        for &e in &at[i] {
            if written {
                break;
            }
            written = true;
            match e {
                Edit::Decimal => out.push_str(&format!("&#{};", c as u32)),
                Edit::Hex => out.push_str(&format!("&#x{:X};", c as u32)),
                Edit::Named(k) => match named(c) {
                    Some(n) if k > 0 => out.push_str(n),
                    _ => out.push_str(&format!("&#{};", c as u32)),
                },
                Edit::Hidden(k) if c == ' ' => {
                    out.push(' ');
                    out.push_str(HIDDEN[k]);
                }
                Edit::LineEnd(k) if c == '\n' => {
                    out.push_str(["\r\n", "\r", "</p>\r\n<p>"][k]);
                }
                Edit::Space(k) if c == ' ' => out.push_str(["\u{A0}", "&nbsp;"][k]),
                _ => written = false,
            }
        }
        if !written {
            out.push(c);
        }
        if close.is_some() && !chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()) {
            out.push_str(close.take().unwrap());
        }
    }
    out
}

/// Every span of the output slices the original body (or title) to its `text`, and that
/// text, normalised, is what the clean article has there.
fn check_spans(v: &Value) {
    let e = &v["enrichment"];
    let field = |s: &Value| match s["field"].as_str() {
        Some("title") => v["title"].as_str().unwrap().to_owned(),
        _ => v["body"].as_str().unwrap().to_owned(),
    };
    let spans = e["entities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["mentions"].as_array().unwrap().iter())
        .chain(e["quotes"].as_array().unwrap().iter());
    for s in spans {
        let (start, end) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
        assert!(start <= end);
        assert_eq!(slice(&field(s), start, end), s["text"].as_str().unwrap());
    }
}

/// What must not change: per entity its text, label and mentions (decoded); per quotation
/// its text (decoded), kind, speaker and cue; the sentiment and the tags.
fn meaning(v: &Value) -> Value {
    let e = &v["enrichment"];
    let decoded = |s: &Value| normalize(s["text"].as_str().unwrap()).text.into_owned();
    let entities: Vec<Value> = e["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let mentions: Vec<String> = x["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .map(decoded)
                .collect();
            serde_json::json!([x["text"], x["label"], x["salience"], mentions])
        })
        .collect();
    let quotes: Vec<Value> = e["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| serde_json::json!([decoded(q), q["kind"], q["speaker"], q["cue"]]))
        .collect();
    let sentences = e["sentiment"]["sentences"].as_array().unwrap().len();
    serde_json::json!({
        "entities": entities, "quotes": quotes, "tags": e["tags"], "places": e["places"],
        "sentiment": [e["sentiment"]["label"], e["sentiment"]["score"], sentences],
    })
}

#[test]
fn the_clean_sample_has_no_text_warnings() {
    let e = &clean()["enrichment"];
    assert_eq!(e["warnings"], serde_json::json!([]));
    assert!(e["quotes"].as_array().unwrap().len() >= 8);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn marked_up_articles_read_as_the_clean_one(
        edits in prop::collection::vec((0..100_000usize, edit()), 1..400),
    ) {
        let mut article = sample();
        let body = article["body"].as_str().unwrap().to_owned();
        let marked = dirty(&body, &edits);
        // The dirt is all of a kind that normalisation removes exactly.
        prop_assert_eq!(normalize(&marked).text, body.as_str());
        // An edit lands only where its character is (a line end on a newline, ...): a case
        // whose edits all missed is the clean article itself, with nothing to warn about;
        // NBSP for a space is read silently (no warning by design).
        let changed = marked.replace('\u{A0}', " ") != body;
        article["body"] = Value::String(marked);
        let v = enrich(&article);
        check_spans(&v);
        prop_assert_eq!(meaning(&v), meaning(clean()));
        let warnings = v["enrichment"]["warnings"].as_array().unwrap();
        prop_assert_eq!(!warnings.is_empty(), changed);
    }
}
