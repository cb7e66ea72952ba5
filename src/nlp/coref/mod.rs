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
    /// Per entity: the gender the article gives it (first name, else its pronouns).
    pub genders: Vec<pronouns::Gender>,
}

impl Chains {
    /// Could a pronoun of gender `g` refer to entity `e`?
    pub fn compatible(&self, e: usize, g: pronouns::Gender) -> bool {
        use pronouns::Gender::{Female, Male};
        !matches!(
            (g, self.genders.get(e)),
            (Male, Some(Female)) | (Female, Some(Male))
        )
    }

    /// The entity of the reference starting at byte `pos` of the body.
    pub fn entity_at(&self, pos: usize) -> Option<usize> {
        let k = self.references.partition_point(|r| r.span.start < pos);
        self.references
            .get(k)
            .filter(|r| r.span.start == pos)
            .map(|r| r.entity)
    }

    /// The span `m` lies inside a description (`Conservative` in `the Conservative MP`).
    pub fn in_description(&self, m: &Span) -> bool {
        let k = self.references.partition_point(|r| r.span.start <= m.start);
        k > 0 && {
            let r = &self.references[k - 1];
            r.kind == ReferenceKind::Description && m.end <= r.span.end
        }
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
        genders: (0..entities.len())
            .map(|e| resolver.entity_gender(e))
            .collect(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::analysis::Mention;

    fn entity(text: &str, label: EntityLabel, body: &str, form: &str) -> Entity {
        Entity {
            text: text.into(),
            label,
            salience: 0.0,
            sentiment: 0.0,
            mentions: body
                .match_indices(form)
                .map(|(i, _)| Mention {
                    field: Field::Body,
                    span: Span::new(i, i + form.len()),
                })
                .collect(),
        }
    }

    /// About 1 MB of names, pronouns of every kind the stage links, descriptions and
    /// quotations, where no pronoun fits any name (every person is female, every pronoun
    /// male): each lookup scans its whole window and finds nothing. The work counted must
    /// stay within the windows: a fixed number of candidates per token.
    #[test]
    fn the_stage_stays_linear_on_a_hostile_article() {
        let sentence = "Mary Smith met Acme. He left his post. The spokesman said “he will go”. \
                        Its aim and the company stay. ";
        let body = sentence.repeat(1_000_000 / sentence.len());
        let entities = [
            entity("Mary Smith", EntityLabel::Person, &body, "Mary Smith"),
            entity("Acme", EntityLabel::Org, &body, "Acme"),
        ];
        let doc = Doc::new(&body);
        let chains = resolve(&doc, &entities);
        // No male antecedent exists: no pronoun or person description is linked; `its` and
        // `the company` go to Acme, named in the same sentence or the one before.
        assert!(chains
            .references
            .iter()
            .all(|r| r.entity == 1 && r.span.slice(&body) != "his"));
        let tokens = doc.tokens.len();
        // Per pronoun or description: at most a few window scans of ANTECEDENT_WINDOW.
        let bound = tokens * 6 * pronouns::ANTECEDENT_WINDOW;
        assert!(
            chains.examined <= bound,
            "{} candidates for {} tokens",
            chains.examined,
            tokens
        );
        // And far less than the quadratic scan (every pronoun over every earlier name).
        let names = entities[0].mentions.len();
        assert!(chains.examined < names * names / 10);
    }

    #[test]
    fn descriptions_need_a_role_noun_that_ends_the_phrase() {
        let body = "Chris Grayling spoke. The Conservative MP said no. The minister of state \
                    left. The spokesman John Reid agreed. The 45-year-old smiled.";
        let entities = [
            entity(
                "Chris Grayling",
                EntityLabel::Person,
                body,
                "Chris Grayling",
            ),
            entity("John Reid", EntityLabel::Person, body, "John Reid"),
        ];
        let doc = Doc::new(body);
        let chains = resolve(&doc, &entities);
        let found: Vec<(&str, usize)> = chains
            .references
            .iter()
            .map(|r| (r.span.slice(body), r.entity))
            .collect();
        assert_eq!(
            found,
            [("The Conservative MP", 0), ("The 45-year-old", 1)],
            "`the minister of state` and `the spokesman John Reid` are not descriptions"
        );
    }
}
