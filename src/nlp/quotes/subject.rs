//! The subject of a reporting cue: the inverted subject after it (`said X, a spokesperson`),
//! the subject before it (`X, a spokesperson for Y, said`), a pronoun's antecedent, or the
//! phrase itself when it names nobody the article names (`officials said`).

use super::clause::{word, Tk};
use super::speaker::{is_relative, Attr, Clause};
use super::words::{
    BOUNDS, CUES, CUT, LY_NOUNS, MAX_PHRASE_SPEAKER_WORDS, MAX_SUBJECT_CHUNKS, MAX_SUBJECT_TOKENS,
    MIN_SUFFIX_WORD_BYTES, SKIP,
};
use crate::nlp::coref::pronouns::pronoun;
use crate::nlp::text::Span;

impl Clause<'_> {
    /// Inverted subject after a cue, cut at the first comma unless an apposition names the
    /// speaker (`said a spokesperson for the ministry, Esmail Baghaei`).
    pub(super) fn forward_speaker(&self, from: usize, at: &mut Attr) {
        let b = self.b;
        let mut chunks: [(usize, usize); 2] = [(from, from); 2];
        let mut n = 0;
        let mut s = from;
        let mut i = from;
        while i < b && n < 2 {
            match self.toks[i].kind {
                // `said a former official who oversaw …`: the subject ends at the clause.
                Tk::Word if i > from && BOUNDS.contains(self.word(i)) => break,
                Tk::Word => {}
                Tk::Punct(b',') => {
                    chunks[n] = (s, i);
                    n += 1;
                    s = i + 1;
                }
                _ => break,
            }
            i += 1;
        }
        if n < 2 {
            chunks[n] = (s, i.min(b));
            n += 1;
        }
        let (c0s, c0e) = chunks[0];
        if c0s >= c0e {
            return;
        }
        let p0 = self
            .ments
            .person_in(self.toks[c0s].start, self.toks[c0e - 1].end);
        if p0.is_none() && n > 1 {
            let (c1s, c1e) = chunks[1];
            if c1s < c1e {
                if let Some(e) = self
                    .ments
                    .starting_person(self.toks[c1s].start, self.toks[c1e - 1].end)
                {
                    at.entity = Some(e);
                    at.speaker = Some(Span {
                        start: self.toks[c1s].start,
                        end: self.toks[c1e - 1].end,
                    });
                    return;
                }
            }
        }
        if let Some(ent) = self.head_entity_at(c0s, c0e, true) {
            at.entity = Some(ent);
            at.speaker = Some(Span {
                start: self.toks[c0s].start,
                end: self.toks[c0e - 1].end,
            });
            return;
        }
        // Cut `the spokesman in a statement` to `the spokesman`.
        let mut end = c0e;
        if p0.is_none() {
            if let Some(j) = (c0s..c0e).find(|&j| CUT.contains(self.word(j))) {
                end = j;
            }
        }
        if end > c0s {
            self.resolve_chunk(c0s, end, at);
        }
    }

    /// Subject before a cue: walks back to a clause boundary, then picks the name part of
    /// `X, a spokesperson for Y,` or `a spokesperson for Y, X`.
    pub(super) fn backward_speaker(&self, c: usize, at: &mut Attr) {
        let a = self.a;
        let mut r1 = c;
        while r1 > a && self.toks[r1 - 1].kind == Tk::Word && {
            let w = self.word(r1 - 1);
            SKIP.contains(w)
                || (w.len() >= MIN_SUFFIX_WORD_BYTES
                    && w.ends_with("ly")
                    && w.starts_with(char::is_lowercase)
                    && !LY_NOUNS.contains(w))
        } {
            r1 -= 1;
        }
        let trailing = r1 > a && self.toks[r1 - 1].kind == Tk::Punct(b',');
        let mut r0 = r1;
        let mut n = 0;
        // Inside the parenthetical of `X, while being interviewed on Fox and Friends, said`
        // clause words do not end the subject.
        let mut in_paren = trailing;
        while r0 > a && n < MAX_SUBJECT_TOKENS {
            let t = &self.toks[r0 - 1];
            match t.kind {
                Tk::Quote(_) => break,
                Tk::Punct(b',') => {
                    if r0 < r1 {
                        in_paren = false;
                    }
                }
                Tk::Punct(_) => break,
                Tk::Word => {
                    let w = word(self.text, t);
                    if BOUNDS.contains(w) {
                        let rel =
                            is_relative(w) && r0 >= 2 && self.toks[r0 - 2].kind == Tk::Punct(b',');
                        if rel && r0 == r1 {
                            // `Mike Lee, who declared …`: the subject is the name before `, who`.
                            let e = r0 - 2;
                            let mut s = e;
                            while s > a
                                && self.toks[s - 1].kind == Tk::Word
                                && !BOUNDS.contains(self.word(s - 1))
                            {
                                s -= 1;
                            }
                            if s < e {
                                self.resolve_chunk(s, e, at);
                            }
                            return;
                        }
                        // `X, who spoke in Ohio, said`: a relative clause inside the subject.
                        if !(in_paren || (is_relative(w) && trailing)) {
                            break;
                        }
                    }
                    // Inside `X, who has told aides …, said` a cue does not end the subject.
                    if !trailing && CUES.contains(w) {
                        break;
                    }
                }
            }
            r0 -= 1;
            n += 1;
        }
        if r0 >= r1 {
            // `Ms. Sherry smiled and said`: the subject of the verb before `and`.
            if r1 >= a + 3
                && self.word(r1 - 1).eq_ignore_ascii_case("and")
                && self.toks[r1 - 2].kind == Tk::Word
                && self.word(r1 - 2).starts_with(char::is_lowercase)
            {
                self.backward_speaker(r1 - 2, at);
            }
            return;
        }
        // Comma-separated chunks of the region.
        let mut bounds: [usize; MAX_SUBJECT_CHUNKS] = [0; MAX_SUBJECT_CHUNKS];
        let mut nb = 0;
        for (i, t) in self.toks.iter().enumerate().take(r1).skip(r0) {
            if t.kind == Tk::Punct(b',') && nb < MAX_SUBJECT_CHUNKS {
                bounds[nb] = i;
                nb += 1;
            }
        }
        let chunk = |k: usize| -> (usize, usize) {
            let s = if k == 0 { r0 } else { bounds[k - 1] + 1 };
            let e = if k == nb { r1 } else { bounds[k] };
            (s, e)
        };
        if !trailing {
            // `In an interview on Sunday, Trump said`, `a spokesperson for Y, X said`.
            let (s, e) = chunk(nb);
            if s < e {
                self.resolve_chunk(s, e, at);
            }
            return;
        }
        // `X, a spokesperson for Y, said`, `Blunt, after a long pause, said`,
        // `A spokesman for Y, X, said`: the first chunk starting with a name, else the
        // first chunk headed by one, else the first chunk.
        for k in 0..nb {
            let (s, e) = chunk(k);
            if s < e {
                if let Some(ent) = self
                    .ments
                    .starting_person(self.toks[s].start, self.toks[e - 1].end)
                {
                    at.entity = Some(ent);
                    at.speaker = Some(Span {
                        start: self.toks[s].start,
                        end: self.toks[e - 1].end,
                    });
                    return;
                }
            }
        }
        {
            let (s, e) = chunk(0);
            if s < e {
                if let Some(ent) = self.head_entity(s, e) {
                    at.entity = Some(ent);
                    at.speaker = Some(Span {
                        start: self.toks[s].start,
                        end: self.toks[e - 1].end,
                    });
                    return;
                }
            }
        }
        let (s, e) = chunk(0);
        if s < e {
            self.resolve_chunk(s, e, at);
        }
    }

    /// Speaker of a chunk of words: the PERSON (else other entity) at its head, a
    /// pronoun's antecedent, or the phrase itself (`officials`, `one campaign source`).
    pub(super) fn resolve_chunk(&self, s: usize, e: usize, at: &mut Attr) {
        let (ss, se) = (self.toks[s].start, self.toks[e - 1].end);
        if let Some(ent) = self.head_entity(s, e) {
            at.entity = Some(ent);
            at.speaker = Some(Span { start: ss, end: se });
            return;
        }
        let words = self.toks[s..e]
            .iter()
            .filter(|t| t.kind == Tk::Word)
            .count();
        if words == 0 {
            return;
        }
        // `on Tuesday night he said`: the subject is the word right before the verb.
        if self.toks[e - 1].kind == Tk::Word {
            // `He's said`, `she'd said`: the contraction belongs to the pronoun.
            if let Some(g) = pronoun(self.word(e - 1)) {
                at.entity = self.coref.entity_at(self.toks[e - 1].start);
                at.pronoun = Some(g);
                return;
            }
        }

        // `a Democratic staffer in the room`: the phrase ends before a place or time;
        // `The Republican candidate appeared to …`: a determiner phrase ends before a verb.
        let det = matches!(
            self.word(s).to_ascii_lowercase().as_str(),
            "the" | "a" | "an" | "one" | "another"
        );
        let cut = (s + 1..e)
            .find(|&j| {
                self.toks[j].kind == Tk::Word && {
                    let w = self.word(j);
                    CUT.contains(w)
                        || (det
                            && j > s + 1
                            && w.len() >= MIN_SUFFIX_WORD_BYTES
                            && w.ends_with("ed")
                            && w.starts_with(char::is_lowercase))
                }
            })
            .unwrap_or(e);
        // `of buyers were`, `to`, `scrambled to apply a clamp around a`: a clause fragment,
        // not a noun phrase; no speaker is better than a wrong one.
        let fragment = {
            let first = self.word(s).to_ascii_lowercase();
            let last = self.word(cut - 1).to_ascii_lowercase();
            matches!(
                first.as_str(),
                "of" | "to"
                    | "for"
                    | "with"
                    | "around"
                    | "at"
                    | "by"
                    | "from"
                    | "and"
                    | "or"
                    | "but"
                    | "than"
                    | "into"
                    | "onto"
            ) || matches!(
                last.as_str(),
                "a" | "an"
                    | "the"
                    | "to"
                    | "of"
                    | "were"
                    | "was"
                    | "is"
                    | "are"
                    | "been"
                    | "be"
                    | "around"
                    | "and"
                    | "or"
                    | "with"
                    | "for"
                    | "that"
                    | "by"
                    | "had"
                    | "have"
            )
        };
        if words <= MAX_PHRASE_SPEAKER_WORDS && !fragment {
            at.speaker = Some(Span {
                start: ss,
                end: self.toks[cut - 1].end,
            });
            // `the Conservative MP`, `the spokesman`: a description the coreference stage
            // resolved says who speaks; the phrase stays the speaker as written.
            if let Some(ent) = self.coref.description_in(ss, self.toks[cut - 1].end) {
                at.entity = Some(ent);
                at.described = true;
            }
        }
    }

    /// The entity heading chunk `s..e`: its last (or first, for an inverted subject)
    /// non-possessive PERSON mention, else any entity mention, that is not a modifier of a
    /// following noun: in `one Trump campaign source` the name is not the speaker.
    pub(super) fn head_entity_at(&self, s: usize, e: usize, first: bool) -> Option<usize> {
        let (ss, se) = (self.toks[s].start, self.toks[e - 1].end);
        let r = self.ments.range(ss, se);
        for person in [true, false] {
            for k in 0..r.len() {
                let (m, ent) = if first { r[k] } else { r[r.len() - 1 - k] };
                if m.end > se || (person && !self.ments.is_person(ent)) || self.ments.in_quote(&m) {
                    continue;
                }
                // `the Conservative MP`: a name inside a description is not the speaker;
                // the description's referent is (see `resolve_chunk`).
                if self.coref.in_description(&m) {
                    continue;
                }
                if self.ments.possessive(&m) {
                    continue;
                }
                // First word after the mention inside the chunk.
                // (A binary search: a chunk can be long and hold many mentions.)
                let next =
                    self.toks[s + self.toks[s..e].partition_point(|t| t.start < m.end)..e].first();
                // `a South Carolina Democrat`, `one Trump campaign source`.
                let modifier = next.is_some_and(|t| {
                    let w = word(self.text, t);
                    t.kind == Tk::Word
                        && !CUT.contains(w)
                        && !BOUNDS.contains(w)
                        && !matches!(w, "of" | "from" | "for" | "to" | "himself" | "herself")
                });
                if !modifier {
                    return Some(ent);
                }
            }
        }
        None
    }
    pub(super) fn head_entity(&self, s: usize, e: usize) -> Option<usize> {
        self.head_entity_at(s, e, false)
    }
}
