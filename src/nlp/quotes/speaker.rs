//! Attribution of one quotation: the reporting cue of its sentence (after the quotation,
//! then before it, then later in the sentence) and the cue's subject as the speaker; a
//! cue-less quotation goes to the sentence's subject. The subject rules are in
//! [`super::subject`].

use super::clause::{word, Tk, Tok};
use super::marks::Raw;
use super::words::{
    BOUNDS, CUES, MAX_BYLINE_WORDS, MAX_COLON_LEAD_TOKENS, MAX_LABEL_BYTES, MAX_LABEL_WORDS,
    MAX_WORDS_QUOTE_TO_CUE, MIN_SUFFIX_WORD_BYTES,
};
use crate::nlp::analysis::EntityLabel;
use crate::nlp::coref::mentions::Mentions;
use crate::nlp::coref::pronouns::{pronoun, Gender};
use crate::nlp::coref::Chains;
use crate::nlp::text::Span;

/// The result of attributing one quote.
#[derive(Clone, Debug, Default)]
pub struct Attr {
    pub speaker: Option<Span>,
    pub entity: Option<usize>,
    pub cue: Option<Span>,
    /// `according to`, `:`: the cue text is not a single word span.
    pub cue_text: Option<&'static str>,
    /// The speaker is a description (`the spokesman`) resolved to `entity`: the phrase as
    /// written is the speaker's text.
    pub described: bool,
    /// The speaker is the subject pronoun `he`/`she` (of this gender) resolved through the
    /// chains: the caller may prefer the speaker of the previous quotations.
    pub pronoun: Option<Gender>,
}

impl Attr {
    pub fn has_speaker(&self) -> bool {
        self.speaker.is_some() || self.entity.is_some()
    }
}

/// One sentence of a paragraph (`toks[a..b]`) with what the rules read around it.
pub struct Clause<'a> {
    pub text: &'a str,
    pub toks: &'a [Tok],
    pub ments: &'a Mentions<'a>,
    pub coref: &'a Chains,
    pub a: usize,
    pub b: usize,
}

pub fn is_relative(w: &str) -> bool {
    w.eq_ignore_ascii_case("who")
        || w.eq_ignore_ascii_case("which")
        || w.eq_ignore_ascii_case("whose")
}

/// `-ing` participles have no subject of their own (`…, adding that “…”`).
pub fn is_participle(w: &str) -> bool {
    w.len() >= MIN_SUFFIX_WORD_BYTES && w.ends_with("ing")
}

impl Clause<'_> {
    pub fn word(&self, i: usize) -> &str {
        word(self.text, &self.toks[i])
    }

    pub(super) fn span(&self, i: usize) -> Span {
        Span::new(self.toks[i].start, self.toks[i].end)
    }

    /// Attribution of the quote token `q` in sentence `a..b`.
    pub fn attribute(&self, q: usize) -> Option<Attr> {
        let (a, b) = (self.a, self.b);
        // 0. A byline after a dash: `“…” ― Pamela Padilla` (reader comments, vox pops).
        if let Some(at) = self.dash_byline(q) {
            return Some(at);
        }
        // 1. Right after the quote, before the next quote: `“…,” X said`, `“…” said X`.
        let mut words = 0;
        for i in q + 1..b {
            match self.toks[i].kind {
                Tk::Quote(_) => break,
                Tk::Word => {
                    if self.toks[i].cue {
                        // `After X said … “less advanced schools,” Trump said: “…”`: a cue
                        // followed by the next quote introduces that one, not a quote
                        // embedded in the clause before it.
                        let embedded = q > a && self.toks[q - 1].kind == Tk::Word;
                        let mut j = i + 1;
                        while j < b && matches!(self.toks[j].kind, Tk::Punct(b',' | b':')) {
                            j += 1;
                        }
                        let intro = j < b && matches!(self.toks[j].kind, Tk::Quote(_));
                        if embedded && intro {
                            break;
                        }
                        if let Some(at) = self.extract(i) {
                            return Some(at);
                        }
                        break;
                    }
                    let w = self.word(i);
                    if BOUNDS.contains(w)
                        && !(is_relative(w) && self.toks[i - 1].kind == Tk::Punct(b','))
                    {
                        break;
                    }
                    words += 1;
                    if words > MAX_WORDS_QUOTE_TO_CUE {
                        break;
                    }
                }
                Tk::Punct(b';' | b'(') => break,
                _ => {}
            }
        }
        // 2. The nearest cue before it: `X said: “…”`, `X warned that a “…”`.
        for i in (a..q).rev() {
            if self.toks[i].cue {
                if let Some(at) = self.extract(i) {
                    return Some(at);
                }
            }
        }
        // 3. A cue later in the sentence: `In the face of “…” it is “…” he emphasized`.
        for i in q + 1..b {
            if self.toks[i].cue {
                if let Some(at) = self.extract(i) {
                    return Some(at);
                }
            }
        }
        // 4. A colon right before the quote after a name: `Trump’s answer: “…”`.
        if q > a && self.toks[q - 1].kind == Tk::Punct(b':') {
            let (s, e) = (self.toks[a].start, self.toks[q - 1].start);
            if let Some(ent) = self
                .ments
                .first_person_in(s, e)
                .or_else(|| self.ments.last_in(s, e))
            {
                return Some(Attr {
                    speaker: None,
                    entity: Some(ent),
                    cue: Some(self.span(q - 1)),
                    cue_text: Some(":"),
                    described: false,
                    pronoun: None,
                });
            }
        }
        // 5. A headline-style line led by a name and a colon: `Pence: … Trump Was ‘Mocking’
        // Clinton Camp`, `Obama on Climate Change: The Trends Are ‘Terrifying’`.
        self.colon_lead(q)
    }

    /// The speaker named before a colon that comes within [`MAX_COLON_LEAD_TOKENS`] of the
    /// sentence's start, when a PERSON or ORG mention opens the sentence (a place before a
    /// colon is a dateline, not a speaker) and nothing but words lies between them.
    fn colon_lead(&self, q: usize) -> Option<Attr> {
        let a = self.a;
        let lead = self.toks[a..q.min(a + MAX_COLON_LEAD_TOKENS + 1)]
            .iter()
            .position(|t| t.kind != Tk::Word)?;
        let colon = a + lead;
        if lead == 0 || self.toks[colon].kind != Tk::Punct(b':') {
            return None;
        }
        let start = self.toks[a].start;
        let &(m, ent) = self.ments.range(start, start + 1).first()?;
        let label = self.ments.entities[ent].label;
        if m.end > self.toks[colon].start
            || !matches!(label, EntityLabel::Person | EntityLabel::Org)
            || self.ments.possessive(&m)
        {
            return None;
        }
        Some(Attr {
            entity: Some(ent),
            cue: Some(self.span(colon)),
            cue_text: Some(":"),
            ..Attr::default()
        })
    }

    /// A transcript's speaker label at the start of the quotation (`"WALLACE: Let’s start…`,
    /// `"SEN. KAINE: …`): one to [`MAX_LABEL_WORDS`] ALL-CAPS words (two letters at least, so
    /// that `Q:` and `A:` name nobody) and a colon. The label's entity when a mention starts
    /// there, else the label as written.
    pub fn transcript_label(&self, raw: &Raw) -> Option<Attr> {
        let inner = raw.inner.slice(self.text);
        let (colon, _) = inner
            .char_indices()
            .take_while(|&(i, _)| i < MAX_LABEL_BYTES)
            .find(|&(_, c)| c == ':')?;
        let label = &inner[..colon];
        let words: Vec<&str> = label.split(' ').collect();
        let caps = |w: &str| {
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            letters >= 2
                && w.chars()
                    .all(|c| c.is_uppercase() || matches!(c, '.' | '-' | '\'' | '’'))
        };
        if words.len() > MAX_LABEL_WORDS || !words.iter().all(|w| caps(w)) {
            return None;
        }
        let span = Span::new(raw.inner.start, raw.inner.start + colon);
        let entity = self
            .ments
            .range(span.start, span.end)
            .iter()
            .find(|(m, _)| m.end <= span.end)
            .map(|&(_, e)| e);
        Some(Attr {
            speaker: entity.is_none().then_some(span),
            entity,
            cue: Some(Span::new(span.end, span.end + 1)),
            cue_text: Some(":"),
            ..Attr::default()
        })
    }

    /// `“…” ― Pamela Padilla` or `“…” — Jorge Falcon.`: a dash right after the quote, then
    /// a capitalised name of at most [`MAX_BYLINE_WORDS`] words that ends the sentence (or
    /// is cut by a comma). The name's entity when it has one, else the name as written (two
    /// words at least, so that `“…” — Yes.` names nobody).
    fn dash_byline(&self, q: usize) -> Option<Attr> {
        let b = self.b;
        if q + 2 >= b || self.toks[q + 1].kind != Tk::Punct(b'-') {
            return None;
        }
        let s = q + 2;
        let mut e = s;
        while e < b
            && e - s < MAX_BYLINE_WORDS
            && self.toks[e].kind == Tk::Word
            && self.word(e).starts_with(char::is_uppercase)
        {
            e += 1;
        }
        let ends = e == b || matches!(self.toks[e].kind, Tk::Punct(b'.' | b','));
        if e == s || !ends {
            return None;
        }
        let span = Span::new(self.toks[s].start, self.toks[e - 1].end);
        let entity = self
            .ments
            .starting_person(span.start, span.end)
            .or_else(|| self.head_entity(s, e));
        if entity.is_none() && e - s < 2 {
            return None;
        }
        Some(Attr {
            speaker: Some(span),
            entity,
            ..Attr::default()
        })
    }

    /// Speaker of the cue at token `c`.
    pub fn extract(&self, c: usize) -> Option<Attr> {
        let a = self.a;
        let cue_span = self.span(c);
        let mut at = Attr {
            cue: Some(cue_span),
            ..Attr::default()
        };
        let w = self.word(c);
        if w.eq_ignore_ascii_case("according") {
            at.cue = Some(Span {
                start: self.toks[c].start,
                end: self.toks[c + 1].end,
            });
            at.cue_text = Some("according to");
            self.forward_speaker(c + 2, &mut at);
            return Some(at);
        }
        // Inverted order right after a quote: `“…,” said X, a spokesperson for Y`.
        let mut k = c;
        while k > a && self.toks[k - 1].kind == Tk::Punct(b',') {
            k -= 1;
        }
        let after_quote = k > a && matches!(self.toks[k - 1].kind, Tk::Quote(_));
        let participle = is_participle(w);
        // `Any “cleareyed” reading, said Michael Kofman, …`: a name right after `, said`.
        let comma_name = k < c
            && self
                .toks
                .get(c + 1)
                .is_some_and(|t| self.ments.person_at(t.start));
        if !participle && (after_quote || k == a || comma_name) {
            self.forward_speaker(c + 1, &mut at);
            if at.has_speaker() {
                return Some(at);
            }
        }
        // `X said …, adding that “…”`, `Trump took to Twitter, writing “…”`: a participle
        // has no subject of its own; it shares the main clause's.
        if participle {
            if let Some(prev) = (a..c)
                .rev()
                .find(|&i| self.toks[i].cue && !self.word(i).ends_with("ing"))
            {
                if let Some(mut main) = self.extract(prev) {
                    if main.has_speaker() {
                        main.cue = at.cue;
                        return Some(main);
                    }
                }
            }
            if let Some(e) = self.sentence_subject(c) {
                at.entity = Some(e);
                return Some(at);
            }
        }
        self.backward_speaker(c, &mut at);
        if !at.has_speaker() {
            // `Trump took to Twitter, writing “…”`, `… and then predicted: “…”`: the subject
            // of the sentence.
            if let Some(prev) = (a..c).rev().find(|&i| self.toks[i].cue) {
                if let Some(main) = self.extract(prev) {
                    if main.has_speaker() {
                        return Some(Attr {
                            cue: at.cue,
                            ..main
                        });
                    }
                }
            }
            at.entity = self.sentence_subject(c);
            if at.entity.is_none() {
                // `the Wisconsin Republican criticized … and said`: the sentence's first
                // noun phrase.
                let e = (a..c)
                    .find(|&i| match self.toks[i].kind {
                        Tk::Word => {
                            let w = self.word(i);
                            BOUNDS.contains(w) || CUES.contains(w)
                        }
                        Tk::Punct(p) => p != b',',
                        Tk::Quote(_) => true,
                    })
                    .unwrap_or(c);
                let s = (a..e)
                    .rev()
                    .find(|&i| self.toks[i].kind == Tk::Punct(b','))
                    .map_or(a, |i| i + 1);
                if s < e {
                    self.resolve_chunk(s, e, &mut at);
                }
            }
        }
        Some(at)
    }

    /// Full when the quote is the whole statement: it opens its sentence, or only the
    /// attribution (`X said:`, `X said that`, `according to X,`) stands before it.
    pub fn is_full(&self, q: usize, at: &Attr) -> bool {
        let a = self.a;
        if q == a {
            return true;
        }
        let mut p = q - 1;
        if matches!(self.toks[p].kind, Tk::Punct(b',' | b':')) {
            if self.toks[p].kind == Tk::Punct(b':') {
                return true;
            }
            if p == a {
                return true;
            }
            p -= 1;
        }
        if let Some(cs) = at.cue {
            if self.toks[p].end == cs.end || self.toks[p].start >= cs.end {
                // Right after the cue, after `that`, or after the speaker of `according to X,`.
                let w = self.word(p);
                return self.toks[p].end == cs.end
                    || w.eq_ignore_ascii_case("that")
                    || at.cue_text == Some("according to")
                    || (self.toks[p].kind == Tk::Word
                        && at.speaker.is_some_and(|s| s.end == self.toks[p].end));
            }
        }
        false
    }

    /// The cue of sentence `a..b` (last one) with its speaker: used for `X said:` lines.
    pub fn cue_in(&self) -> Option<Attr> {
        let (a, b) = (self.a, self.b);
        if let Some(c) = (a..b).rev().find(|&i| self.toks[i].cue) {
            return self.extract(c);
        }
        // `President Clinton released the following statement:`
        let colon = self.toks[b - 1];
        if colon.kind != Tk::Punct(b':') {
            return None;
        }
        self.ments
            .first_person_in(self.toks[a].start, colon.start)
            .map(|e| Attr {
                speaker: None,
                entity: Some(e),
                cue: Some(Span {
                    start: colon.start,
                    end: colon.end,
                }),
                cue_text: Some(":"),
                described: false,
                pronoun: None,
            })
    }

    /// The subject of a sentence without a cue when it opens the sentence: a `he`/`she`
    /// resolved through the chains, or a PERSON name (`He defended his decision.`).
    pub fn opening_subject(&self) -> Option<Attr> {
        let t = self.toks[self.a..self.b].first()?;
        if t.kind != Tk::Word {
            return None;
        }
        if let Some(g) = pronoun(word(self.text, t)) {
            return Some(Attr {
                entity: Some(self.coref.entity_at(t.start)?),
                pronoun: Some(g),
                ..Attr::default()
            });
        }
        let e = self
            .ments
            .starting_person(t.start, self.toks[self.b - 1].end)?;
        Some(Attr {
            entity: Some(e),
            ..Attr::default()
        })
    }

    /// Speaker of a sentence without a cue: its first PERSON outside quotes, a pronoun
    /// subject, another entity, or the paragraph's last speaker.
    pub fn weak(&self, last: Option<&Attr>) -> Attr {
        let (a, b) = (self.a, self.b);
        let mut at = Attr::default();
        let (ss, se) = (self.toks[a].start, self.toks[b - 1].end);
        if let Some(e) = self.ments.first_person_in(ss, se) {
            at.entity = Some(e);
            return at;
        }
        if let Some(t) = self.toks[a..b].iter().find(|t| t.kind == Tk::Word) {
            if pronoun(word(self.text, t)).is_some() {
                at.entity = self.coref.entity_at(t.start);
                return at;
            }
        }
        if let Some(&(_, e)) = self
            .ments
            .range(ss, se)
            .iter()
            .find(|(m, _)| !self.ments.in_quote(m))
        {
            at.entity = Some(e);
            return at;
        }
        if let Some(l) = last {
            return l.clone();
        }
        at
    }

    /// The subject of sentence `a..c` as far as cheap cues tell: its first PERSON outside
    /// quotes or its first `he`/`she`, whichever comes first.
    pub fn sentence_subject(&self, c: usize) -> Option<usize> {
        let a = self.a;
        let person = self
            .ments
            .first_person_in(self.toks[a].start, self.toks[c].start);
        let pron = self.toks[a..c]
            .iter()
            .filter(|t| t.kind == Tk::Word)
            .find(|t| pronoun(word(self.text, t)).is_some())
            .map(|t| t.start);
        let pstart = person.and_then(|e| {
            self.ments
                .range(self.toks[a].start, self.toks[c].start)
                .iter()
                .find(|(_, x)| *x == e)
                .map(|(m, _)| m.start)
        });
        match (pron, pstart) {
            (Some(at), ps) if ps.is_none_or(|p| at < p) => self.coref.entity_at(at).or(person),
            _ => person,
        }
    }
}
