//! Places on the map: every entity that names a place gets its GeoNames place (coordinates,
//! country, first-order division, feature, population, confidence), and the article gets its
//! main place and its countries.
//!
//! - [`index`]: the compiled-in place index (format, loader, name lookup);
//! - [`clues`]: what the text around a name says (qualifiers, "state", the dateline);
//! - [`resolve`]: candidates, priors and the article's context -> one place per entity;
//! - [`focus`]: the country roll-up and the main place.
//!
//! Which entities name places: every LOC; an ORG or MISC whose whole name is a country, a
//! first-order division, a region or a continent (a country named for its government, "Russia
//! said", is still where the story is); a MISC that is a demonym or adjective of a country or
//! continent ("Russian", "European"), marked as such. A PERSON never does; an ORG named after
//! a city (a club, a council) does not.
//! After resolution, [`place_labels`] corrects the label of three kinds of entity, where the
//! place index knows better than recognition:
//! - an ORG or MISC entity that is wholly the name of a large place it resolved to ("the NSW
//!   government", "US officials", "Fujian" tagged MISC) becomes LOC: for a reader of the
//!   output, and for a consumer filtering on LOC, the name is a place; metonymy ("Russia
//!   said") is still where the story is. Cities keep ORG (a club, a council), adjectives keep
//!   MISC ("Russian"), and political unions stay ORG ("European Union");
//! - a LOC entity named only in a disease's name ("West Nile virus", "Reston ebolavirus")
//!   gets no place and becomes MISC;
//! - a LOC acronym that names no place ("UN", "WHO": the index lists the abbreviations places
//!   go by, "US", "NSW", "DRC") becomes ORG.

#[cfg(test)]
mod ambiguities;
pub mod clues;
pub mod focus;
pub mod index;
pub mod resolve;

use crate::nlp::analysis::{ArticlePlaces, Entity};
use index::{IndexError, PlaceIndex};

/// The place index, compiled in (built by `scripts/build_places.py`; GeoNames, CC BY 4.0).
pub const PLACES_INDEX: &[u8] = include_bytes!("../../../models/places.bin");

/// The geocoding stage, built once and shared.
#[derive(Debug)]
pub struct Places {
    index: PlaceIndex,
}

impl Places {
    pub fn load() -> Result<Places, IndexError> {
        Ok(Places {
            index: PlaceIndex::from_bytes(PLACES_INDEX)?,
        })
    }

    pub fn index(&self) -> &PlaceIndex {
        &self.index
    }

    /// The places of an article whose entities are `entities` (grouped, with salience).
    pub fn resolve(&self, title: &str, body: &str, entities: &[Entity]) -> ArticlePlaces {
        self.resolve_counted(title, body, entities).0
    }

    /// [`Places::resolve`], also returning the number of candidates scored (the stage's work).
    pub fn resolve_counted(
        &self,
        title: &str,
        body: &str,
        entities: &[Entity],
    ) -> (ArticlePlaces, usize) {
        let (geo, work) = resolve::resolve(&self.index, title, body, entities);
        let (focus, countries) = focus::focus(&self.index, entities, &geo);
        (
            ArticlePlaces {
                geo,
                focus,
                countries,
            },
            work,
        )
    }
}

/// Regions that are organisations first: placed (they have a territory) but never relabelled.
const ORGANISATION_REGIONS: [&str; 1] = ["European Union"];

/// Corrects the labels of the entities the place index knows better (see the module
/// documentation); returns how many it relabelled. An ORG becomes LOC through any of its
/// place's names ("US", "NSW"); a MISC through any name of a division or region ("Fujian",
/// "West Java") but only through a country's own name ("Saudi" stays MISC), since MISC is
/// where adjectives and short forms live.
pub fn place_labels(
    index: &PlaceIndex,
    title: &str,
    body: &str,
    entities: &mut [Entity],
    places: &ArticlePlaces,
) -> usize {
    use crate::nlp::analysis::{EntityLabel, PlaceFeature, PlaceReference};
    let mut relabelled = 0;
    let (mut a, mut b) = (String::new(), String::new());
    for (entity, geo) in entities.iter_mut().zip(&places.geo) {
        let Some(geo) = geo else {
            if entity.label == EntityLabel::Loc {
                if clues::disease_named(title, body, entity) {
                    entity.label = EntityLabel::Misc;
                    relabelled += 1;
                } else if clues::acronym(title, body, entity) {
                    entity.label = EntityLabel::Org;
                    relabelled += 1;
                }
            }
            continue;
        };
        let large = geo.feature <= PlaceFeature::Admin1;
        if !large
            || geo.reference != PlaceReference::Name
            || ORGANISATION_REGIONS.contains(&geo.name)
        {
            continue;
        }
        let take = match entity.label {
            // A club or team is named after a state or province ("Florida beat Colorado"),
            // rarely after a country: the division needs words that use it as a place.
            EntityLabel::Org => {
                geo.feature != PlaceFeature::Admin1 || clues::used_as_place(title, body, entity)
            }
            EntityLabel::Misc if geo.feature != PlaceFeature::Country => true,
            EntityLabel::Misc => {
                index.normalise(&entity.text, &mut a);
                index.normalise(geo.name, &mut b);
                a == b || a.strip_prefix("the ") == Some(b.as_str())
            }
            _ => false,
        };
        if take {
            entity.label = EntityLabel::Loc;
            relabelled += 1;
        }
    }
    relabelled
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::OnceLock;

    pub fn index() -> &'static PlaceIndex {
        stage().index()
    }

    pub fn stage() -> &'static Places {
        static STAGE: OnceLock<Places> = OnceLock::new();
        STAGE.get_or_init(|| Places::load().expect("the compiled-in index loads"))
    }

    /// Work per byte of body the stage may do at most: a mention takes at least 4 bytes
    /// ("Rome" plus a separator) and costs one unit, each of its entity's candidates two.
    const WORK_PER_BYTE: usize = 2;

    #[test]
    fn a_name_dense_megabyte_costs_linear_work() {
        use crate::nlp::analysis::{Entity, EntityLabel, Field, Mention};
        use crate::nlp::text::Span;
        // Names with the most homonyms, each followed by a qualifier-looking comma, and a
        // run of distinct made-up names, so both entity count and mention count are large.
        let ambiguous = ["San Jose", "Victoria", "Paris", "Washington", "Santa Ana"];
        let mut body = String::new();
        let mut entities: Vec<Entity> = Vec::new();
        let mut made_up = 0;
        while body.len() < 1 << 20 {
            for name in ambiguous {
                let at = body.len();
                body.push_str(name);
                body.push_str(", Texas, ");
                let e = match entities.iter_mut().position(|e| e.text == name) {
                    Some(i) => &mut entities[i],
                    None => {
                        entities.push(Entity {
                            text: name.into(),
                            label: EntityLabel::Loc,
                            salience: 0.0,
                            sentiment: 0.0,
                            mentions: Vec::new(),
                        });
                        entities.last_mut().expect("pushed")
                    }
                };
                e.mentions.push(Mention {
                    field: Field::Body,
                    span: Span::new(at, at + name.len()),
                });
            }
            let name = format!("Zq{made_up}");
            made_up += 1;
            let at = body.len();
            body.push_str(&name);
            body.push_str(". ");
            entities.push(Entity {
                text: name.clone(),
                label: EntityLabel::Loc,
                salience: 0.0,
                sentiment: 0.0,
                mentions: vec![Mention {
                    field: Field::Body,
                    span: Span::new(at, at + name.len()),
                }],
            });
        }
        let (places, work) = stage().resolve_counted("", &body, &entities);
        assert!(
            work > 0 && work <= WORK_PER_BYTE * body.len(),
            "{work} for {} bytes",
            body.len()
        );
        assert_eq!(places.geo.len(), entities.len());
        assert!(places.geo[0].is_some(), "San Jose still resolves");
    }
}
