//! BILOU tag scheme: conversion between entity spans over tokens and per-token tags,
//! and the transition constraints that keep decoded tag sequences well formed.

use super::EntityLabel;

/// Number of tags: O plus B/I/L/U for each of the four labels.
pub const NUM_TAGS: usize = 17;
pub const O: u8 = 0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pos {
    B = 0,
    I = 1,
    L = 2,
    U = 3,
}

#[inline]
pub fn tag(label: EntityLabel, pos: Pos) -> u8 {
    1 + (label as u8) * 4 + pos as u8
}

#[inline]
pub fn label_of(t: u8) -> Option<EntityLabel> {
    if t == O {
        None
    } else {
        Some(EntityLabel::ALL[((t - 1) / 4) as usize])
    }
}

#[inline]
pub fn pos_of(t: u8) -> Option<Pos> {
    if t == O {
        None
    } else {
        Some(match (t - 1) % 4 {
            0 => Pos::B,
            1 => Pos::I,
            2 => Pos::L,
            _ => Pos::U,
        })
    }
}

/// Whether `next` may follow `prev` (prev = None at sentence start).
pub fn allowed(prev: Option<u8>, next: u8) -> bool {
    let open = |t: u8| matches!(pos_of(t), Some(Pos::B) | Some(Pos::I));
    let cont = |t: u8| matches!(pos_of(t), Some(Pos::I) | Some(Pos::L));
    match prev {
        None => !cont(next),
        Some(p) if open(p) => cont(next) && label_of(p) == label_of(next),
        Some(_) => !cont(next),
    }
}

/// Whether a tag may end a sentence.
pub fn allowed_end(t: u8) -> bool {
    !matches!(pos_of(t), Some(Pos::B) | Some(Pos::I))
}

/// Token spans `(first, last_exclusive, label)` to per-token BILOU tags.
pub fn encode(n: usize, spans: &[(usize, usize, EntityLabel)]) -> Vec<u8> {
    let mut tags = vec![O; n];
    for &(a, b, l) in spans {
        if b == a + 1 {
            tags[a] = tag(l, Pos::U);
        } else {
            tags[a] = tag(l, Pos::B);
            for t in tags.iter_mut().take(b - 1).skip(a + 1) {
                *t = tag(l, Pos::I);
            }
            tags[b - 1] = tag(l, Pos::L);
        }
    }
    tags
}

/// Per-token tags to token spans; tolerant of ill-formed sequences.
pub fn decode(tags: &[u8]) -> Vec<(usize, usize, EntityLabel)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, EntityLabel)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let (lab, pos) = match (label_of(t), pos_of(t)) {
            (Some(l), Some(p)) => (l, p),
            _ => {
                if let Some((s, l)) = start.take() {
                    out.push((s, i, l));
                }
                continue;
            }
        };
        match pos {
            Pos::B | Pos::U => {
                if let Some((s, l)) = start.take() {
                    out.push((s, i, l));
                }
                if pos == Pos::U {
                    out.push((i, i + 1, lab));
                } else {
                    start = Some((i, lab));
                }
            }
            Pos::I | Pos::L => {
                match start {
                    Some((_, l)) if l == lab => {}
                    _ => {
                        if let Some((s, l)) = start.take() {
                            out.push((s, i, l));
                        }
                        start = Some((i, lab));
                    }
                }
                if pos == Pos::L {
                    if let Some((s, l)) = start.take() {
                        out.push((s, i + 1, l));
                    }
                }
            }
        }
    }
    if let Some((s, l)) = start {
        out.push((s, tags.len(), l));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip() {
        let spans = vec![
            (0, 2, EntityLabel::Person),
            (2, 3, EntityLabel::Person),
            (4, 7, EntityLabel::Org),
        ];
        let t = encode(8, &spans);
        assert_eq!(decode(&t), spans);
        let mut prev = None;
        for &x in &t {
            assert!(allowed(prev, x));
            prev = Some(x);
        }
    }
}
