//! Nesting of four layers of spans over one text (sentences, quotations, mentions, and the
//! mentions that lie inside another, like "US" in "US-backed") into a
//! sequence of open / text / close events that always make well-formed HTML. Spans of
//! different layers may cross (a quotation runs over two sentences); a span that an outer one
//! cuts is closed and reopened as a continuation piece. The work is linear in the number of
//! spans (after sorting): each cut point opens and closes at most every layer once.

/// A span in byte offsets of the text, with the caller's index of what it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub id: usize,
}

/// Layers, outermost first.
pub const LAYERS: usize = 4;

/// What the writer does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Open `span` of `layer`; `first` is false for the continuation of a span cut before.
    Open {
        layer: usize,
        span: Span,
        first: bool,
    },
    /// Text between two cut points, as a byte range.
    Text { start: usize, end: usize },
    /// Close the innermost open span (of `layer`); `last` is true when the span ends here.
    Close {
        layer: usize,
        span: Span,
        last: bool,
    },
}

/// Sort a layer and drop spans that are empty, out of `0..len`, or overlap a span kept
/// before them (a layer's own spans never nest). Returns how many were dropped.
pub fn normalize(spans: &mut Vec<Span>, len: usize) -> usize {
    let before = spans.len();
    spans.retain(|s| s.start < s.end && s.end <= len);
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut last_end = 0;
    spans.retain(|s| {
        let keep = s.start >= last_end;
        if keep {
            last_end = s.end;
        }
        keep
    });
    before - spans.len()
}

/// Like [`normalize`] for entity mentions, which may nest once: a mention inside a kept one
/// ("US" inside "US-backed") moves to `inner` (itself normalized) instead of being dropped;
/// a mention that crosses a kept one is dropped. Returns how many were dropped.
pub fn normalize_nested(spans: &mut Vec<Span>, inner: &mut Vec<Span>, len: usize) -> usize {
    let before = spans.len();
    spans.retain(|s| s.start < s.end && s.end <= len);
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut outer: Option<Span> = None;
    let mut dropped = before - spans.len();
    spans.retain(|s| match outer {
        Some(o) if s.start < o.end => {
            if s.end <= o.end && (s.start, s.end) != (o.start, o.end) {
                inner.push(*s);
            } else {
                dropped += 1;
            }
            false
        }
        _ => {
            outer = Some(*s);
            true
        }
    });
    dropped + normalize(inner, len)
}

/// Emit the events for `text_len` bytes covered by `layers` (each normalized).
pub fn nest(text_len: usize, layers: [&[Span]; LAYERS], mut emit: impl FnMut(Event)) {
    let mut cuts: Vec<usize> =
        Vec::with_capacity(2 + layers.iter().map(|l| 2 * l.len()).sum::<usize>());
    cuts.push(0);
    cuts.push(text_len);
    for layer in layers {
        for s in layer {
            cuts.push(s.start);
            cuts.push(s.end);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();

    let mut next = [0usize; LAYERS];
    let mut open: [Option<usize>; LAYERS] = [None; LAYERS];
    let mut last_opened: [Option<usize>; LAYERS] = [None; LAYERS];
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let mut want: [Option<usize>; LAYERS] = [None; LAYERS];
        for (l, layer) in layers.iter().enumerate() {
            while next[l] < layer.len() && layer[next[l]].end <= a {
                next[l] += 1;
            }
            if next[l] < layer.len() && layer[next[l]].start <= a {
                want[l] = Some(next[l]);
            }
        }
        let keep = (0..LAYERS)
            .position(|l| open[l] != want[l])
            .unwrap_or(LAYERS);
        for l in (keep..LAYERS).rev() {
            if let Some(i) = open[l].take() {
                let span = layers[l][i];
                emit(Event::Close {
                    layer: l,
                    span,
                    last: span.end <= a,
                });
            }
        }
        for l in keep..LAYERS {
            if let Some(i) = want[l] {
                emit(Event::Open {
                    layer: l,
                    span: layers[l][i],
                    first: last_opened[l] != Some(i),
                });
                open[l] = Some(i);
                last_opened[l] = Some(i);
            }
        }
        emit(Event::Text { start: a, end: b });
    }
    for l in (0..LAYERS).rev() {
        if let Some(i) = open[l].take() {
            let span = layers[l][i];
            emit(Event::Close {
                layer: l,
                span,
                last: true,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, id: usize) -> Span {
        Span { start, end, id }
    }

    /// Render events as bracketed text: `[0` opens layer 0, `]` closes.
    fn show(text: &str, layers: [&[Span]; LAYERS]) -> String {
        let mut out = String::new();
        nest(text.len(), layers, |e| match e {
            Event::Open { layer, first, .. } => {
                out.push_str(&format!("[{layer}{}", if first { "" } else { "+" }))
            }
            Event::Text { start, end } => out.push_str(&text[start..end]),
            Event::Close { last, .. } => out.push_str(if last { "]" } else { ")" }),
        });
        out
    }

    #[test]
    fn a_mention_inside_another_nests_and_a_crossing_one_is_dropped() {
        let text = "the US-backed side";
        // "US-backed" (4..13), "US" (4..6) inside it, a span crossing its end (10..15).
        let mut mentions = vec![span(4, 6, 1), span(4, 13, 0), span(10, 15, 2)];
        let mut inner = Vec::new();
        assert_eq!(normalize_nested(&mut mentions, &mut inner, text.len()), 1);
        assert_eq!(mentions, [span(4, 13, 0)]);
        assert_eq!(inner, [span(4, 6, 1)]);
        assert_eq!(
            show(text, [&[], &[], &mentions, &inner]),
            "the [2[3US]-backed] side"
        );
    }

    #[test]
    fn nested_spans_stay_as_they_are() {
        let text = "Ann said hi. Bob left.";
        let sentences = [span(0, 12, 0), span(13, 22, 1)];
        let mentions = [span(0, 3, 0), span(13, 16, 1)];
        assert_eq!(
            show(text, [&sentences, &[], &mentions, &[]]),
            "[0[2Ann] said hi.] [0[2Bob] left.]"
        );
    }

    #[test]
    fn a_quote_over_two_sentences_is_cut_and_continued() {
        let text = "One. Two. Three";
        let sentences = [span(0, 4, 0), span(5, 9, 1)];
        let quotes = [span(2, 7, 0)];
        assert_eq!(
            show(text, [&sentences, &quotes, &[], &[]]),
            "[0On[1e.)][1+ )[0[1+Tw]o.] Three"
        );
    }

    #[test]
    fn every_open_is_closed_in_order() {
        // Crossing spans in every layer: the events must balance like brackets.
        let layers: Vec<Vec<Span>> = (0..LAYERS)
            .map(|l| {
                (0..50)
                    .map(|i| span(i * 7 + l, i * 7 + l + 5 + l, i))
                    .collect()
            })
            .collect();
        let mut stack = Vec::new();
        nest(
            400,
            [&layers[0], &layers[1], &layers[2], &[]],
            |e| match e {
                Event::Open { layer, .. } => {
                    assert!(stack.last().is_none_or(|&top| top < layer));
                    stack.push(layer);
                }
                Event::Close { layer, .. } => assert_eq!(stack.pop(), Some(layer)),
                Event::Text { .. } => {}
            },
        );
        assert!(stack.is_empty());
    }

    #[test]
    fn normalize_drops_bad_and_overlapping_spans() {
        let mut spans = vec![span(5, 3, 0), span(0, 4, 1), span(2, 6, 2), span(6, 99, 3)];
        assert_eq!(normalize(&mut spans, 10), 3);
        assert_eq!(spans, [span(0, 4, 1)]);
    }

    #[test]
    fn the_work_is_linear_in_the_spans_on_a_hostile_layout() {
        // 100,000 spans per layer, each crossing its neighbours in the other layers: the
        // events stay within a constant factor of the cut points.
        let n = 100_000;
        let layers: Vec<Vec<Span>> = (0..LAYERS)
            .map(|l| (0..n).map(|i| span(i * 4 + l, i * 4 + l + 3, i)).collect())
            .collect();
        let mut events = 0usize;
        nest(n * 4 + 8, [&layers[0], &layers[1], &layers[2], &[]], |_| {
            events += 1
        });
        let cuts = 2 * LAYERS * n + 2;
        assert!(
            events <= (2 * LAYERS + 1) * cuts,
            "{events} events for {cuts} cuts"
        );
    }
}
