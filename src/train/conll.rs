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

/// Whose annotation conventions a CoNLL file follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Convention {
    /// CoNLL-2003's own (eng.train, wikigold): read as it is.
    Conll,
    /// The GUM Wikinews layer (`gum-news.*.conll`, see its README): names are annotated only
    /// where GUM has a nominal mention, so the nationality and religion adjectives that
    /// CoNLL-2003 tags MISC ("Afghan officials", "the Canadian team") are O there. Read with
    /// CoNLL's convention: such an adjective (POS `JJ`, capitalised, not sentence-initial)
    /// outside a name becomes a one-word MISC.
    Gum,
}

/// Adjectives of nationality, religion or people by their form: capitalised (not all
/// capitals) and ending like one ("Afghan", "Indonesian", "Japanese", "Turkish", "Israeli",
/// "Islamic"), or one of the few that do not.
fn nationality_like(w: &str) -> bool {
    const OTHERS: [&str; 15] = [
        "Arab", "Basque", "Buddhist", "Dutch", "Greek", "Hebrew", "Hindu", "Irish", "Muslim",
        "Scottish", "Sikh", "Soviet", "Swiss", "Thai", "Welsh",
    ];
    let mut cs = w.chars();
    let Some(first) = cs.next() else { return false };
    first.is_uppercase()
        && w.chars().all(char::is_alphabetic)
        && w.chars().skip(1).any(char::is_lowercase)
        && (OTHERS.contains(&w)
            || ["an", "ese", "ish", "i", "ic"]
                .iter()
                .any(|suf| w.ends_with(suf)))
}

/// Reads a CoNLL file into article bodies exactly like `eval_ner.py make-articles`:
/// tokens joined by one space, sentences by "\n", one article per -DOCSTART- block.
pub fn read_conll(path: &Path) -> Result<Vec<GoldDoc>, TrainError> {
    read_conll_as(path, Convention::Conll)
}

/// [`read_conll`] for a file in the given conventions, mapped to CoNLL-2003's.
pub fn read_conll_as(path: &Path, conv: Convention) -> Result<Vec<GoldDoc>, TrainError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| TrainError::Io(format!("{}: {e}", path.display())))?;
    // (word, POS or "", tag)
    type Sent<'a> = Vec<(&'a str, &'a str, &'a str)>;
    let mut docs: Vec<Vec<Sent>> = Vec::new();
    let mut cur: Option<Vec<Sent>> = None;
    let mut sent: Sent = Vec::new();
    fn flush<'a>(
        sent: &mut Sent<'a>,
        cur: &mut Option<Vec<Sent<'a>>>,
        docs: &mut Vec<Vec<Sent<'a>>>,
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
        let pos = if cols.len() >= 4 { cols[1] } else { "" };
        sent.push((cols[0], pos, cols[cols.len() - 1]));
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
            for (ti, (w, _, _)) in s.iter().enumerate() {
                if ti > 0 {
                    body.push(' ');
                }
                offs.push((body.len(), body.len() + w.len()));
                body.push_str(w);
            }
            let tg: Vec<&str> = s
                .iter()
                .enumerate()
                .map(|(ti, &(w, pos, t))| {
                    let adjective = conv == Convention::Gum
                        && t == "O"
                        && ti > 0
                        && pos == "JJ"
                        && nationality_like(w);
                    if adjective {
                        "B-MISC"
                    } else {
                        t
                    }
                })
                .collect();
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
    fn gum_nationality_adjectives_become_misc() {
        let dir = std::env::temp_dir().join(format!("ne-gum-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("gum.conll");
        std::fs::write(
            &p,
            "-DOCSTART- -X- -X- O\nAfghan JJ _ O\nofficials NNS _ O\nmet VBD _ O\n\
             Canadian JJ _ O\nand CC _ O\nLegislative JJ _ O\nleaders NNS _ O\nin IN _ O\n\
             Kabul NNP _ B-LOC\n. . _ O\n",
        )
        .unwrap();
        let text = |d: &GoldDoc| -> Vec<(String, EntityLabel)> {
            d.gold
                .iter()
                .map(|(s, l)| (s.slice(&d.body).to_string(), *l))
                .collect()
        };
        let gum = read_conll_as(&p, Convention::Gum).unwrap();
        // Sentence-initial "Afghan" stays O (it may be a capitalised word like any other);
        // "Legislative" does not look like a nationality.
        assert_eq!(
            text(&gum[0]),
            vec![
                ("Canadian".to_string(), EntityLabel::Misc),
                ("Kabul".to_string(), EntityLabel::Loc)
            ]
        );
        let plain = read_conll(&p).unwrap();
        assert_eq!(
            text(&plain[0]),
            vec![("Kabul".to_string(), EntityLabel::Loc)]
        );
        for w in ["Israeli", "Japanese", "Turkish", "Islamic", "Soviet"] {
            assert!(nationality_like(w), "{w}");
        }
        for w in ["HUGE", "Legislative", "Free", "iPhonian", "Pro-Beijing"] {
            assert!(!nationality_like(w), "{w}");
        }
    }

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
