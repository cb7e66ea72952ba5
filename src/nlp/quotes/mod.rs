//! Quotation stage: finds the direct quotations in one article body and attributes each one
//! to a speaker and a reporting cue, using the entities the NER stage found.
//!
//! The work is done in one pass per paragraph of the pipeline's [`Doc`], with no regexes; the
//! word lists ([`words`]) are hashed once and a call allocates only a few small vectors:
//!
//! 1. **Marks** ([`marks`]). Every quotation-mark character (“ ” ‘ ’ " ' « » „ and the doubled `''` /
//!    ``` `` ``` of some archives) is classified as an opening, closing or ambiguous mark from
//!    the characters around it; marks between letters or before digits (Israel’s, Sa’ar,
//!    ’90s, rock ’n’ roll) are apostrophes and never open or close anything.
//! 2. **Pairing.** A small stack pairs the marks inside one paragraph. Marks nested inside
//!    an open quote stay part of the outer quote. A quote still open at the end of its
//!    paragraph is kept only when the next paragraph opens with a quotation mark (the
//!    multi-paragraph convention); otherwise it is dropped, so a stray mark can never swallow
//!    the rest of the article.
//! 3. **Attribution** ([`clause`], [`speaker`], [`subject`], over the mention index of
//!    [`crate::nlp::coref::mentions`] and the chains of [`crate::nlp::coref`]). The paragraph's tokens outside the quotes are cut into
//!    sentences (each quote is one opaque token). For each quote the nearest reporting cue of its sentence is
//!    looked for after the quote (`“…,” X said`, `“…” said X, a spokesperson …`), then before
//!    it (`X said: “…”`, `X warned that a “…”`, `according to X`), and the speaker is the
//!    subject (or inverted subject) of that cue. Names resolve to the NER entity they are a
//!    mention of; `he`/`she` and descriptions (`the spokesman`) resolve through the chains. A quote that opens
//!    its sentence without a cue continues the previous speaker (split quotes, follow-up
//!    paragraphs, `X said:` paragraphs). A cue-less quote of four words or more still goes to
//!    its sentence's subject (in news such quotes are nearly always someone's words); a
//!    shorter one, or one with nobody to give it to, is a scare quote.

mod clause;
pub mod headline;
pub(crate) mod marks;
mod speaker;
mod subject;
mod titles;
pub(crate) mod words;

pub use crate::nlp::analysis::QuoteKind;

use crate::nlp::analysis::{Entity, Field, Quote};
use crate::nlp::coref::{self, mentions::Mentions, pronouns::pronoun, Chains};
use crate::nlp::text::Doc;
use clause::{Clauses, Tk};
use marks::Raw;
use speaker::{Attr, Clause};
use words::{
    CONTINUE_MIN_WORDS, PREVIOUS_SPEAKER_MENTIONS, PREVIOUS_SPEAKER_PARAGRAPHS, WEAK_MIN_WORDS,
};

/// Finds and attributes quotations. Build once, share between threads, call per article.
#[derive(Debug, Default)]
pub struct QuoteFinder;

/// Where the attribution pass is: what the previous paragraphs leave to the next one.
#[derive(Default)]
struct Carry {
    /// Attribution of the last attributed quote and the paragraph it was in.
    last: Option<(Attr, usize)>,
    /// Where that quote ends (byte offset of the body).
    last_end: usize,
    /// Attribution introduced by a paragraph ending in `X said:` (or whose last sentence's
    /// cue introduces a quote opening the next paragraph).
    colon: Option<Attr>,
    /// The previous paragraph ended inside a quotation that runs on into this one.
    runs_on: bool,
}

impl QuoteFinder {
    pub fn new() -> Self {
        QuoteFinder
    }

    /// Finds the quotations of the body `doc`, in text order. `entities` are the article's
    /// entities; their body mentions resolve speakers, and `speaker_entity` indexes into them.
    /// Resolves the article's references first ([`QuoteFinder::find_with`] takes them).
    pub fn find(&self, doc: &Doc, entities: &[Entity]) -> Vec<Quote> {
        self.find_with(doc, entities, &coref::resolve(doc, entities))
    }

    /// [`QuoteFinder::find`] with the chains of the coreference stage: a pronoun or
    /// description that is a cue's subject makes its entity the speaker.
    pub fn find_with(&self, doc: &Doc, entities: &[Entity], chains: &Chains) -> Vec<Quote> {
        let text = doc.text;
        let found = &chains.quotes;
        let raws = &found.raws;
        if raws.is_empty() {
            return Vec::new();
        }
        let ments = Mentions::new(text, entities, raws);
        let mut out: Vec<Quote> = Vec::with_capacity(raws.len());
        let mut clauses = Clauses::default();
        let mut carry = Carry::default();
        for (pi, paragraph) in doc.paragraphs.iter().enumerate() {
            let first = found.first_of_paragraph[pi];
            let end_raw = found
                .first_of_paragraph
                .get(pi + 1)
                .copied()
                .unwrap_or(raws.len());
            let clause = |clauses: &Clauses, s: &std::ops::Range<usize>| -> Option<Attr> {
                sentence(text, clauses, &ments, chains, s).cue_in()
            };
            if first == end_raw {
                // A paragraph without quotes still introduces the next one (`X said:`,
                // `Kerry said that 100,000 would be accepted.` before a paragraph that opens
                // with a quote) and breaks a continuation chain.
                carry.colon = None;
                let next_opens = doc.paragraphs.get(pi + 1).is_some_and(|n| {
                    end_raw < raws.len()
                        && text[n.span.start..raws[end_raw].outer.start]
                            .trim()
                            .is_empty()
                });
                if next_opens {
                    clauses.build(doc, paragraph, raws, first);
                    clauses.split_sentences(text, raws);
                    // `He defended his decision.` before `“…”`: without a cue, the
                    // subject of the last sentence (a name or `he`/`she` opening it).
                    carry.colon = clauses.sentences.last().and_then(|s| {
                        clause(&clauses, s).or_else(|| {
                            sentence(text, &clauses, &ments, chains, s).opening_subject()
                        })
                    });
                }
                carry.runs_on = false;
                continue;
            }
            clauses.build(doc, paragraph, raws, first);
            clauses.split_sentences(text, raws);
            let para_colon = carry.colon.take();
            for s in &clauses.sentences {
                for t in s.clone() {
                    let Tk::Quote(qi) = clauses.toks[t].kind else {
                        continue;
                    };
                    let c = sentence(text, &clauses, &ments, chains, s);
                    let intro = para_colon.as_ref().filter(|_| t == 0);
                    let (mut quote, mut attr, weak) =
                        attribute_quote(&c, t, &raws[qi], intro, &carry, pi);
                    if let Some(at) = attr.as_mut() {
                        if let Some(e) = previous_speaker(&c, t, at, &carry, pi) {
                            at.entity = Some(e);
                            quote.speaker_entity = Some(e);
                            quote.speaker = Some(entities[e].text.clone());
                        }
                    }
                    if let Some(at) =
                        attr.filter(|at| !weak && (at.has_speaker() || at.cue.is_some()))
                    {
                        carry.last = Some((at, pi));
                        carry.last_end = raws[qi].outer.end;
                    }
                    out.push(quote);
                }
            }
            carry.runs_on = raws[end_raw - 1].runs_on;
            carry.colon = None;
            if clauses
                .toks
                .last()
                .is_some_and(|t| t.kind == Tk::Punct(b':'))
            {
                carry.colon = clauses.sentences.last().and_then(|s| clause(&clauses, s));
            }
        }
        // A multi-paragraph quote whose first paragraph had no cue yet gets the chain's speaker.
        backfill_chains(text, raws, &mut out);
        out
    }
}

/// `“…,” he added` after quotations of one speaker: the pronoun keeps that speaker (a
/// speaker stays the speaker across consecutive quote paragraphs) rather than going to a
/// person merely named since (the victim, a place mistaken for a name). The previous
/// speaker must be gender-compatible, have spoken in this paragraph or the
/// [`PREVIOUS_SPEAKER_PARAGRAPHS`] before it, and the pronoun's antecedent must not have
/// been introduced as a speaker in between (`Tompkins said … “…,” he said`): the
/// mentions between the two quotes are read from the last, at most
/// [`PREVIOUS_SPEAKER_MENTIONS`] of them. Returns the entity to use instead.
fn previous_speaker(c: &Clause, t: usize, at: &Attr, carry: &Carry, pi: usize) -> Option<usize> {
    let g = at.pronoun?;
    // Only `“…,” he said` itself: the quote opens its sentence and the pronoun follows it
    // (`… what he called a “breach”` is another matter).
    let next_word = (t + 1..c.b).find(|&i| c.toks[i].kind != Tk::Punct(b','))?;
    if t != c.a || at.speaker.is_some() || pronoun(c.word(next_word)) != Some(g) {
        return None;
    }
    let (last, lp) = carry.last.as_ref()?;
    let prev = last.entity?;
    // The gender must be known to agree: an unknown one is as likely the other person.
    if *lp + PREVIOUS_SPEAKER_PARAGRAPHS < pi
        || Some(prev) == at.entity
        || !c.ments.is_person(prev)
        || c.coref.genders.get(prev) != Some(&g)
    {
        return None;
    }
    let Some(now) = at.entity else {
        return Some(prev);
    };
    let pos = c.toks[t].start;
    let between = c.ments.range(carry.last_end, pos);
    let introduced = between
        .iter()
        .rev()
        .take(PREVIOUS_SPEAKER_MENTIONS)
        .any(|&(m, e)| e == now && (c.ments.cue_subject(&m) || c.ments.opens_sentence(&m)));
    (!introduced).then_some(prev)
}

/// The attribution rules' view of sentence `s` of the paragraph read into `clauses`.
fn sentence<'a>(
    text: &'a str,
    clauses: &'a Clauses,
    ments: &'a Mentions<'a>,
    coref: &'a Chains,
    s: &std::ops::Range<usize>,
) -> Clause<'a> {
    Clause {
        text,
        toks: &clauses.toks,
        ments,
        coref,
        a: s.start,
        b: s.end,
    }
}

/// Attributes the quote token `t` of `clause`: its kind, its attribution (if any) and
/// whether that attribution is a weak one (a cue-less quote given to the sentence's subject,
/// which does not become the current speaker).
fn attribute_quote(
    clause: &Clause,
    t: usize,
    raw: &Raw,
    intro: Option<&Attr>,
    carry: &Carry,
    pi: usize,
) -> (Quote, Option<Attr>, bool) {
    // `“Parasite” director Bong Joon Ho said`, `the album “Lemonade”`: a title of a work,
    // never anyone's words.
    if titles::is_work_title(clause.text, raw) || titles::is_subhead_or_direction(clause.text, raw)
    {
        return (scare(raw), None, false);
    }
    // `"WALLACE: Let’s start…`: a transcript's speaker label opens the quotation.
    if let Some(at) = clause.transcript_label(raw) {
        return (emit(clause, raw, QuoteKind::Full, &at), Some(at), false);
    }
    let mut attr = clause.attribute(t);
    let mut kind = QuoteKind::Partial;
    let mut weak = false;
    if let Some(at) = &attr {
        if clause.is_full(t, at) {
            kind = QuoteKind::Full;
        }
    } else {
        // No cue in the sentence: a quote opening its sentence continues the current speaker
        // (split quote, next paragraph, `X said:` before it).
        let words = raw.inner.slice(clause.text).split_whitespace().count();
        let sentence_initial = t == clause.a;
        let first_of_para = t == 0;
        if sentence_initial {
            if let Some(intro) = intro.filter(|i| i.cue.is_some() || words >= CONTINUE_MIN_WORDS) {
                attr = Some(intro.clone());
            } else if let Some((la, lp)) = &carry.last {
                let near = *lp == pi
                    || (*lp + 1 == pi && first_of_para)
                    || (carry.runs_on && first_of_para);
                if near && (words >= CONTINUE_MIN_WORDS || carry.runs_on) {
                    attr = Some(la.clone());
                }
            }
            if attr.is_some() {
                kind = QuoteKind::Full;
            }
        }
        // A longer quotation without any cue is still nearly always someone's words (`Pew
        // found that “…”`, `she vented that it would be “…”`): give it to the sentence's
        // subject. Short ones are scare quotes.
        if attr.is_none() && words >= WEAK_MIN_WORDS {
            let last = carry.last.as_ref().filter(|l| l.1 == pi).map(|l| &l.0);
            let at = clause.weak(last);
            // Nobody to give it to: leave it a scare quote.
            if at.has_speaker() {
                attr = Some(at);
                weak = true;
            }
        }
    }
    let quote = match &attr {
        Some(at) => emit(clause, raw, kind, at),
        None => scare(raw),
    };
    (quote, attr, weak)
}

fn scare(raw: &Raw) -> Quote {
    Quote {
        field: Field::Body,
        span: raw.inner,
        kind: QuoteKind::Scare,
        speaker: None,
        speaker_entity: None,
        cue: None,
    }
}

fn emit(clause: &Clause, raw: &Raw, kind: QuoteKind, at: &Attr) -> Quote {
    let text = clause.text;
    let speaker = match (at.entity, at.speaker) {
        (Some(_), Some(s)) if at.described => Some(s.slice(text).to_string()),
        (Some(e), _) => Some(clause.ments.entities[e].text.clone()),
        (None, s) => s.map(|s| s.slice(text).to_string()),
    };
    let cue = match (at.cue_text, at.cue) {
        (Some(c), _) => Some(c.to_string()),
        (None, Some(s)) => Some(s.slice(text).to_string()),
        _ => None,
    };
    Quote {
        field: Field::Body,
        span: raw.inner,
        kind,
        speaker,
        speaker_entity: at.entity,
        cue,
    }
}

/// A multi-paragraph quote is one quote per paragraph with one speaker: when only a later
/// (or earlier) paragraph of the chain found the attribution, copy it to the others.
fn backfill_chains(text: &str, raws: &[Raw], out: &mut [Quote]) {
    // out[i] corresponds to raws[i]: quotes are emitted in text order, one per raw.
    let mut i = 0;
    while i < raws.len() {
        if !raws[i].runs_on {
            i += 1;
            continue;
        }
        // Chain: raws[i] runs on into raws[i+1], which may run on further.
        let mut j = i;
        while j + 1 < raws.len() && raws[j].runs_on {
            j += 1;
        }
        let attributed = |q: &Quote| q.speaker.is_some() || q.speaker_entity.is_some();
        if let Some(src) = (i..=j).find(|&k| attributed(&out[k])) {
            let (speaker, entity, cue) = (
                out[src].speaker.clone(),
                out[src].speaker_entity,
                out[src].cue.clone(),
            );
            // A stage direction inside the chain (`"(CROSSTALK.)`) stays nobody's words.
            for (q, _) in out[i..=j]
                .iter_mut()
                .zip(&raws[i..=j])
                .filter(|(q, r)| !attributed(q) && !titles::is_subhead_or_direction(text, r))
            {
                q.speaker = speaker.clone();
                q.speaker_entity = entity;
                if q.cue.is_none() {
                    q.cue = cue.clone();
                }
                q.kind = QuoteKind::Full;
            }
        }
        i = j + 1;
    }
}

#[cfg(test)]
mod tests;
