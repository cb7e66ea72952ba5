//! Segmentation: tokens into sentences, sentences into paragraphs.

use super::{flags, Paragraph, Sentence, Span, Token};

fn is_terminal(tok: &str) -> bool {
    !tok.is_empty() && tok.bytes().all(|b| matches!(b, b'.' | b'!' | b'?')) || tok == "\u{2026}"
}

fn is_closing(tok: &str) -> bool {
    matches!(
        tok,
        "\"" | "'" | "\u{201D}" | "\u{2019}" | ")" | "]" | "\u{00BB}" | "''"
    )
}

fn is_opening(tok: &str) -> bool {
    matches!(
        tok,
        "\"" | "'" | "\u{201C}" | "\u{2018}" | "(" | "[" | "\u{00AB}" | "``"
    )
}

/// Groups tokens into sentences. A line break always ends a sentence; otherwise a
/// sentence ends after `.`, `!`, `?` (plus any closing quotes/brackets glued to it)
/// when the next token starts with an uppercase letter, a digit or an opening quote.
/// Abbreviations and initials carry their period inside the token, so they never split.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    if tokens.is_empty() {
        return out;
    }
    let mut start = 0usize;
    let mut i = 0usize;
    while i < tokens.len() {
        let mut end_here = false;
        let mut last = i;
        let t = tokens[i].text(text);
        if is_terminal(t) {
            // absorb closing quotes/brackets that are glued to the terminal mark
            let mut j = i + 1;
            while j < tokens.len()
                && tokens[j].span.start == tokens[j - 1].span.end
                && is_closing(tokens[j].text(text))
            {
                j += 1;
            }
            last = j - 1;
            match tokens.get(j) {
                None => end_here = true,
                Some(n) => {
                    let nt = n.text(text);
                    end_here = n.has(flags::LINE_START)
                        || n.has(flags::INIT_CAP)
                        || n.has(flags::ALL_DIGIT)
                        || is_opening(nt)
                        || nt.starts_with(|c: char| !c.is_lowercase() && c.is_alphabetic());
                }
            }
        }
        if !end_here {
            if let Some(n) = tokens.get(i + 1) {
                if n.has(flags::LINE_START) {
                    end_here = true;
                    last = i;
                }
            }
        }
        if end_here || last + 1 == tokens.len() {
            out.push(Sentence {
                span: Span::new(tokens[start].span.start, tokens[last].span.end),
                tokens: start..last + 1,
            });
            start = last + 1;
            i = last + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Paragraphs: the sentences of one line (a line break always ends a sentence), with their
/// tokens. Blank lines hold no sentence, so they make no paragraph.
pub fn paragraphs(tokens: &[Token], sentences: &[Sentence]) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        let new_line = tokens[s.tokens.start].has(flags::LINE_START);
        match out.last_mut() {
            Some(p) if !new_line => {
                p.span.end = s.span.end;
                p.tokens.end = s.tokens.end;
                p.sentences.end = i + 1;
            }
            _ => out.push(Paragraph {
                span: s.span,
                tokens: s.tokens.clone(),
                sentences: i..i + 1,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::text::{tokenize, Doc};

    fn toks(s: &str) -> Vec<&str> {
        tokenize(s).iter().map(|t| t.text(s)).collect()
    }

    #[test]
    fn headlines_and_newlines() {
        let s =
            "SOCCER - JAPAN GET LUCKY WIN .\nNADIM LADKI\nAL-AIN , United Arab Emirates 1996-12-06";
        let t = toks(s);
        assert_eq!(t[0], "SOCCER");
        assert!(t.contains(&"AL-AIN"));
        let tk = tokenize(s);
        let ss = sentences(s, &tk);
        assert_eq!(ss.len(), 3);
        assert_eq!(ss[1].span.slice(s), "NADIM LADKI");
        assert!(tk[0].has(flags::ALL_CAPS));
        assert!(tk[7].has(flags::LINE_START));
    }

    #[test]
    fn sentence_splitting() {
        let s = "Mr. Smith went to the U.S. on Monday. He said: “No.” Then J. R. Ewing left! “Why?” asked Ann.";
        let tk = tokenize(s);
        let ss: Vec<&str> = sentences(s, &tk).iter().map(|x| x.span.slice(s)).collect();
        assert_eq!(
            ss,
            vec![
                "Mr. Smith went to the U.S. on Monday.",
                "He said: “No.”",
                "Then J. R. Ewing left!",
                "“Why?” asked Ann."
            ]
        );
        // lowercase after a period does not split
        let s2 = "It rose 3.5 pct. to 10 pct. in May";
        let tk2 = tokenize(s2);
        assert_eq!(sentences(s2, &tk2).len(), 1);
    }

    #[test]
    fn paragraphs_are_the_lines_with_their_sentences() {
        let s = "First line. Still first.\n\n  Second line\r\nThird.";
        let doc = Doc::new(s);
        let p: Vec<&str> = doc.paragraphs.iter().map(|p| p.span.slice(s)).collect();
        assert_eq!(p, ["First line. Still first.", "Second line", "Third."]);
        assert_eq!(doc.paragraphs[0].sentences, 0..2);
        assert_eq!(doc.paragraphs[2].tokens.end, doc.tokens.len());
        assert!(Doc::new(" \n ").paragraphs.is_empty());
    }
}
