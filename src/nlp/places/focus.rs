//! The article's main place: each resolved entity weighs its salience times its confidence
//! (an adjective half that); the weights roll up to countries, and the focus is the weightiest
//! place in the leading country.

use super::index::PlaceIndex;
use crate::nlp::analysis::{CountryShare, Entity, Focus, Geo, PlaceReference};

/// "Russian officials" says less about where a story is than "in Russia".
const ADJECTIVE_WEIGHT: f64 = 0.5;
/// Countries listed at most.
const MAX_COUNTRIES: usize = 5;

fn weight(entity: &Entity, geo: &Geo) -> f64 {
    let w = entity.salience * geo.confidence;
    match geo.reference {
        PlaceReference::Name => w,
        PlaceReference::Adjective => w * ADJECTIVE_WEIGHT,
    }
}

/// The country shares and the focus of an article whose entities resolved to `geo`.
pub fn focus(
    index: &PlaceIndex,
    entities: &[Entity],
    geo: &[Option<Geo>],
) -> (Option<Focus>, Vec<CountryShare>) {
    let mut shares: Vec<([u8; 2], f64)> = Vec::new();
    for (entity, g) in entities.iter().zip(geo) {
        let Some(g) = g else { continue };
        let Some(code) = g.country else { continue };
        match shares.iter_mut().find(|(c, _)| *c == code) {
            Some((_, w)) => *w += weight(entity, g),
            None => shares.push((code, weight(entity, g))),
        }
    }
    // Ties keep the first country met, and entities come by salience.
    shares.sort_by(|a, b| b.1.total_cmp(&a.1));
    let total: f64 = shares.iter().map(|s| s.1).sum();
    let countries: Vec<CountryShare> = shares
        .iter()
        .take(MAX_COUNTRIES)
        .filter_map(|&(code, w)| {
            let place = index.place(index.country(code)?);
            Some(CountryShare {
                country: code,
                name: place.name,
                geonameid: Some(place.geonameid),
                share: if total > 0.0 { w / total } else { 0.0 },
            })
        })
        .collect();
    let lead = countries.first().map(|c| c.country);
    let focus = entities
        .iter()
        .zip(geo)
        .enumerate()
        .filter_map(|(i, (e, g))| g.as_ref().map(|g| (i, weight(e, g), g)))
        .filter(|(_, _, g)| lead.is_none() || g.country == lead)
        .fold(None::<(usize, f64, &Geo)>, |best, cur| match best {
            Some(b) if b.1 >= cur.1 => Some(b),
            _ => Some(cur),
        })
        .map(|(entity, _, g)| Focus {
            entity,
            geo: g.clone(),
        });
    (focus, countries)
}
