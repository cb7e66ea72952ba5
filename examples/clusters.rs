//! Learns word clusters from unlabelled text with the exchange algorithm (a class
//! bigram model, Martin/Liermann/Ney 1998 — the flat cousin of Brown clustering) and
//! writes `word<TAB>id_level1<TAB>id_level2...` lines, most frequent words first.
//!
//! Input: CoNLL files (first column = word) and JSON-lines files with a "body" field
//! (tokenized with our own tokenizer). Only the derived clusters are written, never
//! the text. Deterministic: fixed initialisation, fixed visiting order.
//!
//! usage: clusters --out models/clusters.tsv --classes 50,200,1000 --min-count 2
//!                 [--iters 8] FILE...

use std::collections::HashMap;
use std::path::Path;

use news_enricher::nlp::text::{sentences, tokenize};

fn read_corpus(path: &Path, out: &mut Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).expect("read input");
    if path.extension().is_some_and(|e| e == "jsonl") {
        for line in text.lines() {
            let Some(body) = json_body(line) else {
                continue;
            };
            let toks = tokenize(&body);
            for s in sentences(&body, &toks) {
                out.push(
                    toks[s.tokens.clone()]
                        .iter()
                        .map(|t| t.span.slice(&body).to_string())
                        .collect(),
                );
            }
        }
    } else {
        let mut cur = Vec::new();
        for line in text.lines() {
            let w = line.split_whitespace().next();
            match w {
                None | Some("-DOCSTART-") => {
                    if !cur.is_empty() {
                        out.push(std::mem::take(&mut cur));
                    }
                }
                Some(w) => cur.push(w.to_string()),
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
}

/// Extracts and unescapes the "body" string of one JSON line (enough JSON for our
/// inputs; avoids a serde_json dependency for a one-off tool).
fn json_body(line: &str) -> Option<String> {
    let i = line.find("\"body\":")? + 7;
    let rest = line[i..].trim_start().strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    let mut cp = u32::from_str_radix(&hex, 16).ok()?;
                    if (0xD800..0xDC00).contains(&cp) {
                        // surrogate pair
                        let _ = chars.next();
                        let _ = chars.next();
                        let lo: String = chars.by_ref().take(4).collect();
                        let lo = u32::from_str_radix(&lo, 16).ok()?;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

struct Corpus {
    words: Vec<String>,
    counts: Vec<u64>,
    /// right[w] = (v, n(w,v)); left[w] = (u, n(u,w))
    right: Vec<Vec<(u32, u32)>>,
    left: Vec<Vec<(u32, u32)>>,
    self_bigram: Vec<u32>,
}

fn build(sents: &[Vec<String>], min_count: u64) -> Corpus {
    let mut freq: HashMap<&str, u64> = HashMap::new();
    for s in sents {
        for w in s {
            *freq.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut vocab: Vec<(&str, u64)> = freq.into_iter().filter(|(_, c)| *c >= min_count).collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    // id 0 = sentence boundary, 1 = rare word
    let mut words = vec!["<s>".to_string(), "<unk>".to_string()];
    words.extend(vocab.iter().map(|(w, _)| w.to_string()));
    let id: HashMap<&str, u32> = vocab
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (*w, i as u32 + 2))
        .collect();
    let n = words.len();
    let mut counts = vec![0u64; n];
    let mut big: HashMap<(u32, u32), u32> = HashMap::new();
    for s in sents {
        let mut prev = 0u32;
        for w in s
            .iter()
            .map(|w| id.get(w.as_str()).copied().unwrap_or(1))
            .chain([0])
        {
            *big.entry((prev, w)).or_default() += 1;
            counts[w as usize] += 1;
            prev = w;
        }
    }
    let mut right = vec![Vec::new(); n];
    let mut left = vec![Vec::new(); n];
    let mut self_bigram = vec![0u32; n];
    let mut bl: Vec<_> = big.into_iter().collect();
    bl.sort_unstable();
    for ((a, b), c) in bl {
        if a == b {
            self_bigram[a as usize] += c;
        } else {
            right[a as usize].push((b, c));
            left[b as usize].push((a, c));
        }
    }
    Corpus {
        words,
        counts,
        right,
        left,
        self_bigram,
    }
}

fn xlogx(x: i64) -> f64 {
    if x <= 0 {
        0.0
    } else {
        let x = x as f64;
        x * x.ln()
    }
}

fn exchange(c: &Corpus, k: usize, iters: usize) -> Vec<u32> {
    let n = c.words.len();
    // Frequent words start in their own classes, the tail is spread round-robin.
    let mut class: Vec<u32> = (0..n).map(|w| (w % k) as u32).collect();
    let mut big = vec![0i64; k * k];
    let mut nl = vec![0i64; k];
    let mut nr = vec![0i64; k];
    for w in 0..n {
        let cw = class[w] as usize;
        for &(v, cnt) in &c.right[w] {
            big[cw * k + class[v as usize] as usize] += cnt as i64;
        }
        big[cw * k + cw] += c.self_bigram[w] as i64;
    }
    for a in 0..k {
        for b in 0..k {
            nl[a] += big[a * k + b];
            nr[b] += big[a * k + b];
        }
    }
    let mut rc = vec![0i64; k];
    let mut lc = vec![0i64; k];
    let mut rlist: Vec<usize> = Vec::new();
    let mut llist: Vec<usize> = Vec::new();
    for it in 0..iters {
        let mut moved = 0;
        for w in 0..n {
            let a = class[w] as usize;
            rlist.clear();
            llist.clear();
            for &(v, cnt) in &c.right[w] {
                let cv = class[v as usize] as usize;
                if rc[cv] == 0 {
                    rlist.push(cv);
                }
                rc[cv] += cnt as i64;
            }
            for &(u, cnt) in &c.left[w] {
                let cu = class[u as usize] as usize;
                if lc[cu] == 0 {
                    llist.push(cu);
                }
                lc[cu] += cnt as i64;
            }
            let s = c.self_bigram[w] as i64;
            let rw: i64 = rlist.iter().map(|&x| rc[x]).sum::<i64>() + s;
            let lw: i64 = llist.iter().map(|&x| lc[x]).sum::<i64>() + s;
            // remove w from a
            for &x in &rlist {
                big[a * k + x] -= rc[x];
            }
            for &x in &llist {
                big[x * k + a] -= lc[x];
            }
            big[a * k + a] -= s;
            nl[a] -= rw;
            nr[a] -= lw;
            // best target class
            let mut best = a;
            let mut best_gain = f64::NEG_INFINITY;
            for b in 0..k {
                let mut g = 0.0;
                for &x in &rlist {
                    if x != b {
                        let o = big[b * k + x];
                        g += xlogx(o + rc[x]) - xlogx(o);
                    }
                }
                for &x in &llist {
                    if x != b {
                        let o = big[x * k + b];
                        g += xlogx(o + lc[x]) - xlogx(o);
                    }
                }
                let o = big[b * k + b];
                g += xlogx(o + rc[b] + lc[b] + s) - xlogx(o);
                g -= xlogx(nl[b] + rw) - xlogx(nl[b]);
                g -= xlogx(nr[b] + lw) - xlogx(nr[b]);
                if g > best_gain + 1e-9 {
                    best_gain = g;
                    best = b;
                }
            }
            // add w to best
            for &x in &rlist {
                if x != best {
                    big[best * k + x] += rc[x];
                }
            }
            for &x in &llist {
                if x != best {
                    big[x * k + best] += lc[x];
                }
            }
            big[best * k + best] += rc[best] + lc[best] + s;
            nl[best] += rw;
            nr[best] += lw;
            if best != a {
                moved += 1;
                class[w] = best as u32;
            }
            for &x in &rlist {
                rc[x] = 0;
            }
            for &x in &llist {
                lc[x] = 0;
            }
        }
        eprintln!("[clusters] k={k} iteration {it}: {moved} words moved");
        if moved == 0 {
            break;
        }
    }
    class
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out = String::from("models/clusters.tsv");
    let mut classes = vec![50usize, 200, 1000];
    let mut min_count = 2u64;
    let mut iters = 8usize;
    let mut files = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next().expect("value"),
            "--classes" => {
                classes = args
                    .next()
                    .expect("value")
                    .split(',')
                    .map(|x| x.parse().expect("number"))
                    .collect()
            }
            "--min-count" => min_count = args.next().expect("value").parse().expect("n"),
            "--iters" => iters = args.next().expect("value").parse().expect("n"),
            _ => files.push(a),
        }
    }
    let mut sents = Vec::new();
    for f in &files {
        read_corpus(Path::new(f), &mut sents);
    }
    let corpus = build(&sents, min_count);
    let ntok: u64 = corpus.counts.iter().sum();
    eprintln!(
        "[clusters] {} sentences, {} tokens, {} word types",
        sents.len(),
        ntok,
        corpus.words.len()
    );
    let levels: Vec<Vec<u32>> = classes
        .iter()
        .map(|&k| exchange(&corpus, k, iters))
        .collect();
    let mut s = format!(
        "# generated by src/bin/clusters.rs (exchange algorithm, classes {:?}, min count {min_count}, {iters} iterations)\n",
        classes
    );
    for w in 2..corpus.words.len() {
        s.push_str(&corpus.words[w]);
        for l in &levels {
            s.push('\t');
            s.push_str(&l[w].to_string());
        }
        s.push('\n');
    }
    std::fs::write(&out, s).expect("write output");
    eprintln!("[clusters] wrote {out}");
}
