//! Coreference stage: links the body's pronouns (`he`, `his`, `her`, `its`) and definite
//! descriptions (`the spokesman`, `the Conservative MP`, `the company`) to the entities the
//! entity stage found. Rule-based and linear: every lookup is a binary search over the
//! sorted name mentions plus a scan of a bounded window ([`pronouns::ANTECEDENT_WINDOW`],
//! [`descriptions::DESCRIPTION_WINDOW`]).
//!
//! The quotation marks are paired here (by [`crate::nlp::quotes`]' mark scanner, which is
//! text-level) because quotation structure matters for reference: a name inside a quotation
//! is rarely what a pronoun outside it refers to. The pairs are handed on to the quotation
//! stage inside [`Chains`] so that it does not pair them again.
//!
//! Title pronouns are left alone (a headline has no antecedents).

pub mod descriptions;
pub(crate) mod mentions;
pub mod pronouns;

use crate::nlp::analysis::{Entity, EntityLabel, Field, Reference, ReferenceKind};
use crate::nlp::quotes::marks::{self, RawQuotes};
use crate::nlp::text::{Doc, Span};
use mentions::Mentions;
use pronouns::Resolver;

/// The chains of one article: its references, plus the paired quotation marks the quotation
/// stage reads next.
pub struct Chains {
    /// Body references, in text order (ascending start; they never overlap).
    pub references: Vec<Reference>,
    pub(crate) quotes: RawQuotes,
    /// Candidate mentions examined by all the lookups (the work the windows bound).
    pub examined: usize,
}

impl Chains {
    /// The entity of the reference starting at byte `pos` of the body.
    pub fn entity_at(&self, pos: usize) -> Option<usize> {
        let k = self.references.partition_point(|r| r.span.start < pos);
        self.references
            .get(k)
            .filter(|r| r.span.start == pos)
            .map(|r| r.entity)
    }

    /// The last description reference inside bytes `s..e` of the body.
    pub fn description_in(&self, s: usize, e: usize) -> Option<usize> {
        let lo = self.references.partition_point(|r| r.span.start < s);
        let hi = self.references.partition_point(|r| r.span.start < e);
        self.references[lo..hi.max(lo)]
            .iter()
            .rev()
            .find(|r| r.kind == ReferenceKind::Description && r.span.end <= e)
            .map(|r| r.entity)
    }
}

/// Resolves the references of the body `doc` to `entities`.
pub fn resolve(doc: &Doc, entities: &[Entity]) -> Chains {
    let text = doc.text;
    let quotes = marks::find(text, &doc.paragraphs);
    let ments = Mentions::new(text, entities, &quotes.raws);
    let resolver = Resolver::new(&ments, &doc.sentences).with_pronoun_votes(doc);
    let mut references = Vec::new();
    let mut i = 0;
    let toks = &doc.tokens;
    while i < toks.len() {
        let span = toks[i].span;
        let word = span.slice(text);
        // Third-person pronouns inside a quotation still point at people the writer named
        // (`“I told him,” Smith said of Jones`); descriptions and `its` there are the
        // speaker's words and are left alone.
        if let Some(g) = pronouns::personal(word) {
            if let Some(entity) = resolver.antecedent(span.start, g) {
                references.push(reference(entity, span, ReferenceKind::Pronoun));
            }
        } else if ments.in_quote(&span) {
        } else if pronouns::is_its(word) {
            if let Some(entity) = resolver.organisation(span.start) {
                references.push(reference(entity, span, ReferenceKind::Pronoun));
            }
        } else if let Some(d) = descriptions::at(doc, i, &ments) {
            if let Some(entity) = resolver.described(span.start, d.person, d.gender) {
                let span = Span::new(span.start, toks[d.end - 1].span.end);
                references.push(reference(entity, span, ReferenceKind::Description));
            }
            i = d.end;
            continue;
        }
        i += 1;
    }
    Chains {
        references,
        examined: resolver.examined(),
        quotes,
    }
}

fn reference(entity: usize, span: Span, kind: ReferenceKind) -> Reference {
    Reference {
        entity,
        field: Field::Body,
        span,
        kind,
    }
}

/// Is the entity a person (pronoun and role-noun antecedents) or an organisation?
pub(crate) fn is_org(label: EntityLabel) -> bool {
    label == EntityLabel::Org
}
