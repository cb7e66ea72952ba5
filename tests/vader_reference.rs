//! Every text of the three VADER ground-truth sets (tweets, movie and Amazon review snippets;
//! 18,513 texts) must score as the reference vadersentiment 3.3.2 does. The fixture is written
//! by `scripts/vader_fixture.py`.

use news_enricher::nlp::sentiment::vader::Vader;

const VADER_LEXICON: &str = include_str!("../models/vader/vader_lexicon.txt");
const EMOJI_LEXICON: &str = include_str!("../models/vader/emoji_utf8_lexicon.txt");
const FIXTURE: &str = include_str!("fixtures/vader_reference.tsv");
const TOLERANCE: f64 = 0.001;
const EXPECTED_ROWS: usize = 18_513;

/// Inverse of the fixture script's escaping (`\\`, `\t`, `\n`, `\r`).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            other => panic!("bad escape \\{other:?} in fixture"),
        }
    }
    out
}

#[test]
fn every_ground_truth_text_matches_the_reference() {
    let vader = Vader::from_lexicons(VADER_LEXICON, EMOJI_LEXICON).expect("lexicons parse");
    let mut rows = 0usize;
    let mut mismatches = Vec::new();
    for (n, line) in FIXTURE.lines().enumerate().skip(1) {
        let cols: Vec<&str> = line.splitn(7, '\t').collect();
        assert_eq!(cols.len(), 7, "fixture line {}: {line:?}", n + 1);
        let num = |k: usize| -> f64 { cols[k].parse().expect("number column") };
        let (compound, neg, neu, pos) = (num(2), num(3), num(4), num(5));
        let text = unescape(cols[6]);
        let got = vader.polarity_scores(&text);
        rows += 1;
        let off = [
            (got.compound - compound).abs(),
            (got.neg - neg).abs(),
            (got.neu - neu).abs(),
            (got.pos - pos).abs(),
        ];
        if off.iter().any(|d| *d > TOLERANCE) {
            mismatches.push(format!(
                "{} {}: want compound {compound} neg {neg} neu {neu} pos {pos}, got {got:?}\n    {text}",
                cols[0], cols[1]
            ));
        }
    }
    assert_eq!(rows, EXPECTED_ROWS, "fixture row count");
    assert!(
        mismatches.is_empty(),
        "{} of {rows} texts differ from the reference by more than {TOLERANCE}; first ones:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
