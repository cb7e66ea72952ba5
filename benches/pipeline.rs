//! Pipeline benchmarks on one core, in tokens per second (criterion's "elements").
//!
//! Articles: `tests/data/iran-talks.json` by default; set `BENCH_ARTICLES` to a JSON Lines
//! file of articles (`{"id","title","body"}`, for example the output of
//! `eval_ner.py make-articles eng.testa` or `eval_quotes.py make-articles polnear-dev.jsonl`)
//! to measure on a corpus. Before the criterion groups run, the share of each stage in the
//! pipeline's time is printed (from `Pipeline::analyze_timed`).
//!
//! `cargo bench --bench pipeline` (add `-- --quick` for a short run).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use news_enricher::config::NlpConfig;
use news_enricher::nlp::{text, Pipeline, StageTimes};
use std::hint::black_box;
use std::time::Instant;

struct Article {
    title: String,
    body: String,
}

fn articles() -> (String, Vec<Article>) {
    let (name, data) = match std::env::var("BENCH_ARTICLES") {
        Ok(path) => {
            let data = std::fs::read_to_string(&path).expect("BENCH_ARTICLES is readable");
            (path, data)
        }
        Err(_) => (
            "tests/data/iran-talks.json".to_owned(),
            serde_json::from_str::<serde_json::Value>(include_str!(
                "../tests/data/iran-talks.json"
            ))
            .unwrap()
            .to_string(),
        ),
    };
    let list = data
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON article per line");
            Article {
                title: v["title"].as_str().unwrap_or("").to_owned(),
                body: v["body"].as_str().expect("body").to_owned(),
            }
        })
        .collect();
    (name, list)
}

fn print_stage_shares(pipeline: &Pipeline, articles: &[Article]) {
    let mut sum = StageTimes::default();
    let started = Instant::now();
    let mut rounds = 0;
    while rounds < 3 || started.elapsed().as_secs_f64() < 2.0 {
        for a in articles {
            let (analysis, times) = pipeline.analyze_timed(&a.title, &a.body, Some("en"));
            black_box(analysis);
            sum += times;
        }
        rounds += 1;
    }
    let total = sum.total().as_secs_f64();
    let pct = |d: std::time::Duration| 100.0 * d.as_secs_f64() / total;
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    eprintln!(
        "pipeline on {} articles ({} tokens, {} bytes per round), {rounds} rounds:",
        articles.len(),
        sum.tokens / rounds,
        bytes
    );
    eprintln!(
        "  {:.0} tokens/s, {:.0} articles/s on one core",
        sum.tokens as f64 / total,
        (articles.len() * rounds) as f64 / total
    );
    eprintln!(
        "  stage shares: language {:.1}%, text {:.1}%, entities {:.1}%, coref {:.1}%, quotes {:.1}%, places {:.1}%, sentiment {:.1}%, tags {:.1}%",
        pct(sum.language),
        pct(sum.text),
        pct(sum.entities),
        pct(sum.coref),
        pct(sum.quotes),
        pct(sum.places),
        pct(sum.sentiment),
        pct(sum.tags)
    );
    let without_quotes = total - sum.quotes.as_secs_f64();
    eprintln!(
        "  the quote stage adds {:.1}% to the rest of the pipeline",
        100.0 * sum.quotes.as_secs_f64() / without_quotes
    );
}

fn bench(c: &mut Criterion) {
    let pipeline = Pipeline::load(&NlpConfig::default()).expect("models load");
    let (name, articles) = articles();
    let tokens: usize = articles
        .iter()
        .map(|a| text::tokenize(&a.title).len() + text::tokenize(&a.body).len())
        .sum();
    eprintln!("articles: {name}");
    print_stage_shares(&pipeline, &articles);

    let mut group = c.benchmark_group("one core");
    group.throughput(Throughput::Elements(tokens as u64));
    group.bench_function("text (tokens + sentences)", |b| {
        b.iter(|| {
            for a in &articles {
                for t in [&a.title, &a.body] {
                    let tokens = text::tokenize(t);
                    black_box(text::sentences(t, &tokens));
                }
            }
        })
    });
    group.bench_function("entity recognition (text + NER)", |b| {
        b.iter(|| {
            for a in &articles {
                for t in [&a.title, &a.body] {
                    let tokens = text::tokenize(t);
                    let sentences = text::sentences(t, &tokens);
                    black_box(pipeline.ner().predict(t, &tokens, &sentences));
                }
            }
        })
    });
    group.bench_function("whole pipeline", |b| {
        b.iter(|| {
            for a in &articles {
                black_box(pipeline.analyze(&a.title, &a.body, Some("en")));
            }
        })
    });
    group.finish();

    // Normalisation alone: the corpus as it is (clean text: one scan, nothing copied) and as
    // a scraper might deliver it (references, paragraph tags, links; every byte rewritten).
    let marked: Vec<String> = articles.iter().map(|a| marked_up(&a.body)).collect();
    let mut group = c.benchmark_group("normalise");
    group.throughput(Throughput::Bytes(
        articles.iter().map(|a| a.body.len() as u64).sum(),
    ));
    group.bench_function("clean bodies", |b| {
        b.iter(|| {
            for a in &articles {
                black_box(text::normalize(&a.body));
            }
        })
    });
    group.bench_function("marked-up bodies", |b| {
        b.iter(|| {
            for body in &marked {
                black_box(text::normalize(body));
            }
        })
    });
    group.finish();

    // Start-up cost of the place index (read in place, nothing copied).
    let mut group = c.benchmark_group("start-up");
    group.bench_function("place index load", |b| {
        b.iter(|| black_box(news_enricher::nlp::places::Places::load().expect("index loads")))
    });
    group.finish();
}

/// A body as scrapers deliver it: paragraphs in `<p>`, quotation marks and apostrophes as
/// character references, capitalised words in links.
fn marked_up(body: &str) -> String {
    let mut out = String::with_capacity(body.len() * 2);
    for para in body.split('\n') {
        out.push_str("<p>");
        for (i, word) in para.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let word = word
                .replace('&', "&amp;")
                .replace('“', "&#8220;")
                .replace('”', "&#8221;")
                .replace('’', "&rsquo;");
            if word.starts_with(char::is_uppercase) {
                out.push_str("<a href=\"https://example.org/topic\">");
                out.push_str(&word);
                out.push_str("</a>");
            } else {
                out.push_str(&word);
            }
        }
        out.push_str("</p>\r\n");
    }
    out
}

/// About 1 MB of names, reporting verbs, abbreviations and quotation marks in one paragraph:
/// the input that once made the quote stage quadratic (2 s for this article; now tens of ms).
fn hostile_article() -> String {
    const PIECES: [&str; 7] = ["John", "Smith", "Mr.", "said", "“", "”", "U.S."];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut out = String::with_capacity(1 << 20);
    while out.len() < 900_000 {
        // xorshift: deterministic, no dependency.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        out.push(' ');
    }
    out
}

fn hostile(c: &mut Criterion) {
    let pipeline = Pipeline::load(&NlpConfig::default()).expect("models load");
    let body = hostile_article();
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    group.throughput(Throughput::Elements(text::tokenize(&body).len() as u64));
    group.bench_function("1 MB of names and quotation marks", |b| {
        b.iter(|| black_box(pipeline.analyze("", &body, Some("en"))))
    });
    group.finish();
}

criterion_group!(benches, bench, hostile);
criterion_main!(benches);
