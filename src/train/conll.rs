//! Reading CoNLL-2003-format files (IOB1, IOB2 or IOBES tags in the last column) into
//! article bodies with gold entity spans, exactly as the evaluation kit builds its articles.

use super::TrainError;
use crate::nlp::analysis::EntityLabel;
use crate::nlp::text::Span;
use std::path::Path;

/// One CoNLL document turned into an article body with gold spans (byte offsets).
#[derive(Clone, Debug)]
pub struct GoldDoc {
    pub body: String,
    pub gold: Vec<(Span, EntityLabel)>,
}

fn parse_label(t: &str) -> Result<EntityLabel, TrainError> {
    match t {
        "PER" | "PERSON" => Ok(EntityLabel::Person),
        "ORG" => Ok(EntityLabel::Org),
        "LOC" => Ok(EntityLabel::Loc),
        "MISC" => Ok(EntityLabel::Misc),
        _ => Err(TrainError::Format(format!("unknown entity type {t}"))),
    }
}

/// conlleval chunking of one sentence's tags (IOB1, IOB2 or IOBES).
fn chunks(tags_in: &[&str]) -> Result<Vec<(usize, usize, EntityLabel)>, TrainError> {
    fn split(t: &str) -> (char, &str) {
        if t == "O" || t.is_empty() {
            ('O', "")
        } else if t.len() > 2 && t.as_bytes()[1] == b'-' && "BIES".contains(&t[..1]) {
            (t.as_bytes()[0] as char, &t[2..])
        } else {
            ('I', t)
        }
    }
    let mut out = Vec::new();
    let (mut prev_tag, mut prev_type) = ('O', "");
    let mut start: Option<usize> = None;
    for i in 0..=tags_in.len() {
        let (tag, typ) = if i < tags_in.len() {
            split(tags_in[i])
        } else {
            ('O', "")
        };
        let end = matches!(prev_tag, 'E' | 'S')
            || (matches!(prev_tag, 'B' | 'I') && matches!(tag, 'B' | 'S' | 'O'))
            || (prev_tag != 'O' && prev_type != typ);
        if let Some(s) = start {
            if end {
                out.push((s, i, parse_label(prev_type)?));
                start = None;
            }
        }
        let begin = matches!(tag, 'B' | 'S')
            || (matches!(prev_tag, 'E' | 'S' | 'O') && matches!(tag, 'E' | 'I'))
            || (tag != 'O' && prev_type != typ);
        if begin {
            start = Some(i);
        }
        prev_tag = tag;
        prev_type = typ;
    }
    Ok(out)
}

/// Reads a CoNLL file into article bodies exactly like `eval_ner.py make-articles`:
/// tokens joined by one space, sentences by "\n", one article per -DOCSTART- block.
pub fn read_conll(path: &Path) -> Result<Vec<GoldDoc>, TrainError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| TrainError::Io(format!("{}: {e}", path.display())))?;
    let mut docs: Vec<Vec<Vec<(&str, &str)>>> = Vec::new();
    let mut cur: Option<Vec<Vec<(&str, &str)>>> = None;
    let mut sent: Vec<(&str, &str)> = Vec::new();
    fn flush<'a>(
        sent: &mut Vec<(&'a str, &'a str)>,
        cur: &mut Option<Vec<Vec<(&'a str, &'a str)>>>,
        docs: &mut Vec<Vec<Vec<(&'a str, &'a str)>>>,
    ) {
        if !sent.is_empty() {
            cur.get_or_insert_with(Vec::new).push(std::mem::take(sent));
        }
        let _ = docs;
    }
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut sent, &mut cur, &mut docs);
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols[0] == "-DOCSTART-" {
            flush(&mut sent, &mut cur, &mut docs);
            if let Some(d) = cur.take() {
                docs.push(d);
            }
            cur = Some(Vec::new());
            continue;
        }
        if cols.len() < 2 {
            return Err(TrainError::Format(format!(
                "{}: bad line {line:?}",
                path.display()
            )));
        }
        sent.push((cols[0], cols[cols.len() - 1]));
    }
    flush(&mut sent, &mut cur, &mut docs);
    if let Some(d) = cur.take() {
        docs.push(d);
    }
    let mut out = Vec::new();
    for doc in docs.into_iter().filter(|d| !d.is_empty()) {
        let mut body = String::new();
        let mut gold = Vec::new();
        for (si, s) in doc.iter().enumerate() {
            if si > 0 {
                body.push('\n');
            }
            let mut offs = Vec::with_capacity(s.len());
            for (ti, (w, _)) in s.iter().enumerate() {
                if ti > 0 {
                    body.push(' ');
                }
                offs.push((body.len(), body.len() + w.len()));
                body.push_str(w);
            }
            let tg: Vec<&str> = s.iter().map(|(_, t)| *t).collect();
            for (a, b, l) in chunks(&tg)? {
                gold.push((Span::new(offs[a].0, offs[b - 1].1), l));
            }
        }
        out.push(GoldDoc { body, gold });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob1_chunks() {
        let t = ["I-PER", "I-PER", "B-PER", "O", "I-ORG", "I-LOC"];
        let c = chunks(&t).unwrap();
        assert_eq!(
            c,
            vec![
                (0, 2, EntityLabel::Person),
                (2, 3, EntityLabel::Person),
                (4, 5, EntityLabel::Org),
                (5, 6, EntityLabel::Loc)
            ]
        );
    }
}
