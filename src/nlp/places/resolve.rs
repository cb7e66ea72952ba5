//! Resolution: which place each place-naming entity means. Every candidate of the entity's
//! names gets a prior (population, feature type, primary or alternate name), then what the
//! text says (a qualifier after a comma, "state" after the name), then, in a second pass, what
//! the rest of the article says: the countries and first-order divisions of the places other
//! entities resolved to without doubt, the dateline, and the nearness of other places. The
//! work per entity is bounded (names, candidates, evidence points), so the stage is linear in
//! the number of entities.

use super::clues;
use super::index::{flags, Candidate, Place, PlaceIndex};
use crate::nlp::analysis::{Entity, EntityLabel, Field, Geo, PlaceFeature, PlaceReference};
use rustc_hash::FxHashMap;

/// Distinct names of one entity looked up at most (its text and its mentions' spellings).
const MAX_FORMS: usize = 4;
/// Qualifier places kept per entity.
const MAX_QUALIFIERS: usize = 8;
/// Places other entities resolved to that a candidate is compared with for nearness.
const MAX_EVIDENCE_POINTS: usize = 32;
/// Weight of a name's population in the prior, per e-fold of people.
const POP_WEIGHT: f64 = 1.0;
/// An alternate name ("Peking", "Bombay") is a weaker claim than the place's own name.
const ALTERNATE_PENALTY: f64 = 4.0;
/// A qualifier naming the candidate's state or country ("Paris, Texas") all but decides it.
const QUALIFIER_BONUS: f64 = 10.0;
/// "Washington state": the word after the name asks for the first-order division.
const STATE_WORD_BONUS: f64 = 6.0;
/// Other places of the article in the candidate's country.
const CONTEXT_COUNTRY_BONUS: f64 = 4.0;
/// Other places of the article in the candidate's first-order division.
const CONTEXT_ADMIN1_BONUS: f64 = 7.0;
/// Another place of the article within [`NEAR_KM`] of a city candidate.
const NEAR_BONUS: f64 = 3.0;
/// A first-order division named among at least [`SIBLINGS`] others of its country ("Utah,
/// Virginia, Washington and Wisconsin"): the article lists divisions, so this is one too.
const SIBLING_BONUS: f64 = 3.0;
const SIBLINGS: f64 = 2.0;
/// A city this close to another place of the article is its neighbour.
const NEAR_KM: f64 = 250.0;
/// The dateline's place counts as this many other places of the article.
const DATELINE_WEIGHT: f64 = 2.0;
/// A first-pass winner this far ahead of the runner-up is evidence for the other entities.
const EVIDENCE_MARGIN: f64 = 2.0;
/// Scores are log-odds-like: the confidence is the winner's softmax share at this temperature.
const TEMPERATURE: f64 = 1.5;
/// The score of a place with no context at which its name alone is an even bet (a town of
/// ~20,000 people).
const SCORE_MIDPOINT: f64 = 10.0;
/// How fast the bet firms up with the score.
const SCORE_SCALE: f64 = 2.0;
/// Below this confidence the entity gets no place.
pub const MIN_CONFIDENCE: f64 = 0.3;
const EARTH_RADIUS_KM: f64 = 6371.0;

/// Prior advantage of each kind of place, on the scale of ln(population): a country or
/// continent is what a bare name usually means; a capital is what "Washington" means; a
/// second-order division rarely goes by its bare name.
fn feature_bonus(feature: PlaceFeature) -> f64 {
    match feature {
        PlaceFeature::Continent => 6.0,
        PlaceFeature::Region => 5.0,
        PlaceFeature::Country => 6.0,
        PlaceFeature::Admin1 => 2.0,
        PlaceFeature::Admin2 => -1.0,
        PlaceFeature::City => 0.0,
        PlaceFeature::Capital => 5.0,
    }
}

/// Which mentions of an entity may name a place, by its label.
fn accepts(label: EntityLabel, place: &Place, cand: &Candidate) -> bool {
    let large = place.feature <= PlaceFeature::Admin1;
    let adjective = cand.flags & flags::ADJECTIVE != 0;
    match label {
        EntityLabel::Loc => !adjective,
        // "Russian", "European": a country or continent reference; a whole name only when it
        // is a country or larger ("DRC" labelled MISC).
        EntityLabel::Misc => adjective || large,
        // A country or state name used for its government ("Russia said"). Cities are not:
        // an ORG named after a city is a club or a council.
        EntityLabel::Org => !adjective && large,
        EntityLabel::Person => false,
    }
}

struct Scored {
    place: Place,
    adjective: bool,
    score: f64,
}

struct Resolving {
    entity: usize,
    cands: Vec<Scored>,
    /// Index into `cands` of the first-pass winner, when it is evidence for the others.
    evidence: Option<usize>,
}

/// The article's evidence: places resolved without doubt, counted per country, per
/// first-order division, and as points.
#[derive(Default)]
struct Evidence {
    country: FxHashMap<[u8; 2], f64>,
    admin1: FxHashMap<u32, f64>,
    /// First-order divisions resolved without doubt, per country.
    divisions: FxHashMap<[u8; 2], f64>,
    points: Vec<(f64, f64, usize)>,
}

impl Evidence {
    fn add(&mut self, place: &Place, weight: f64, entity: usize) {
        if let Some(c) = place.country {
            *self.country.entry(c).or_default() += weight;
        }
        if let Some(a) = place.admin1 {
            *self.admin1.entry(a).or_default() += weight;
        }
        if let (Some(c), PlaceFeature::Admin1) = (place.country, place.feature) {
            *self.divisions.entry(c).or_default() += weight;
        }
        if place.feature >= PlaceFeature::Admin2 && self.points.len() < MAX_EVIDENCE_POINTS {
            self.points.push((place.lat, place.lon, entity));
        }
    }

    /// The context bonus of `place` for entity `entity`, leaving out what that entity's own
    /// first-pass winner (`own`) contributed.
    fn bonus(&self, place: &Place, entity: usize, own: Option<&Place>) -> f64 {
        let mut bonus = 0.0;
        if let Some(c) = place.country {
            let mine = own.filter(|o| o.country == Some(c)).map_or(0.0, |_| 1.0);
            let w = self.country.get(&c).copied().unwrap_or(0.0) - mine;
            // A country holding the article's other places is to them what a state is to its
            // cities: it earns the division's bonus too.
            let per = if place.feature == PlaceFeature::Country {
                CONTEXT_COUNTRY_BONUS + CONTEXT_ADMIN1_BONUS
            } else {
                CONTEXT_COUNTRY_BONUS
            };
            bonus += per * w.clamp(0.0, 1.0);
        }
        if let Some(a) = place.admin1 {
            let mine = own.filter(|o| o.admin1 == Some(a)).map_or(0.0, |_| 1.0);
            let w = self.admin1.get(&a).copied().unwrap_or(0.0) - mine;
            bonus += CONTEXT_ADMIN1_BONUS * w.clamp(0.0, 1.0);
        }
        if let (Some(c), PlaceFeature::Admin1) = (place.country, place.feature) {
            let mine = own
                .filter(|o| o.country == Some(c) && o.feature == PlaceFeature::Admin1)
                .map_or(0.0, |_| 1.0);
            if self.divisions.get(&c).copied().unwrap_or(0.0) - mine >= SIBLINGS {
                bonus += SIBLING_BONUS;
            }
        }
        let near = place.feature >= PlaceFeature::Admin2
            && self.points.iter().any(|&(lat, lon, e)| {
                e != entity && distance_km(place.lat, place.lon, lat, lon) <= NEAR_KM
            });
        if near {
            bonus += NEAR_BONUS;
        }
        bonus
    }
}

/// Great-circle distance (haversine).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

fn prior(place: &Place, cand: &Candidate) -> f64 {
    let alternate = cand.flags & flags::ALTERNATE != 0;
    POP_WEIGHT * (1.0 + place.population as f64).ln() + feature_bonus(place.feature)
        - if alternate { ALTERNATE_PENALTY } else { 0.0 }
}

/// The place each entity names, if any (`geo[i]` for `entities[i]`), and the work done:
/// mentions read plus candidates scored (each of which compares with at most
/// [`MAX_EVIDENCE_POINTS`] points), which the linearity test bounds.
pub fn resolve(
    index: &PlaceIndex,
    title: &str,
    body: &str,
    entities: &[Entity],
) -> (Vec<Option<Geo>>, usize) {
    let mut key = String::new();
    let mut work = 0;
    let mut evidence = Evidence::default();
    if let Some(place) = dateline_place(index, body, &mut key) {
        evidence.add(&place, DATELINE_WEIGHT, usize::MAX);
    }
    let mut resolving = Vec::new();
    for (i, entity) in entities.iter().enumerate() {
        if entity.label == EntityLabel::Person {
            continue;
        }
        let cands = candidates(index, title, body, i, entity, &mut key);
        // Each mention's clues read a bounded window; each candidate is scored twice.
        work += entity.mentions.len() + cands.cands.len();
        if !cands.cands.is_empty() {
            resolving.push(cands);
        }
    }
    for r in &mut resolving {
        let (best, second) = top_two(&r.cands);
        if let Some(b) = best {
            if second.is_none_or(|s| r.cands[b].score - r.cands[s].score >= EVIDENCE_MARGIN) {
                r.evidence = Some(b);
                evidence.add(&r.cands[b].place, 1.0, r.entity);
            }
        }
    }
    let mut geo = vec![None; entities.len()];
    for r in &mut resolving {
        let own = r.evidence.map(|b| r.cands[b].place);
        for c in &mut r.cands {
            c.score += evidence.bonus(&c.place, r.entity, own.as_ref());
            work += 1;
        }
        geo[r.entity] = choose(index, &r.cands);
    }
    (geo, work)
}

fn top_two(cands: &[Scored]) -> (Option<usize>, Option<usize>) {
    let mut best: Option<usize> = None;
    let mut second: Option<usize> = None;
    for (i, c) in cands.iter().enumerate() {
        if best.is_none_or(|b| c.score > cands[b].score) {
            second = best;
            best = Some(i);
        } else if second.is_none_or(|s| c.score > cands[s].score) {
            second = Some(i);
        }
    }
    (best, second)
}

/// The winner and its confidence: its softmax share among the candidates, times how good
/// its score is on its own (a lone village homonym is no sure thing).
fn choose(index: &PlaceIndex, cands: &[Scored]) -> Option<Geo> {
    let (best, _) = top_two(cands);
    let best = &cands[best?];
    let total: f64 = cands
        .iter()
        .map(|c| ((c.score - best.score) / TEMPERATURE).exp())
        .sum();
    let share = 1.0 / total;
    let absolute = 1.0 / (1.0 + (-(best.score - SCORE_MIDPOINT) / SCORE_SCALE).exp());
    let confidence = share * absolute;
    if confidence < MIN_CONFIDENCE {
        return None;
    }
    let p = &best.place;
    Some(Geo {
        geonameid: (p.geonameid != 0).then_some(p.geonameid),
        name: p.name,
        lat: p.lat,
        lon: p.lon,
        country: p.country,
        admin1: p.admin1.map(|a| index.place(a).name),
        feature: p.feature,
        population: p.population,
        confidence,
        reference: if best.adjective {
            PlaceReference::Adjective
        } else {
            PlaceReference::Name
        },
    })
}

/// The dateline's place: the best candidate of its name with its qualifier.
fn dateline_place(index: &PlaceIndex, body: &str, key: &mut String) -> Option<Place> {
    let (start, end) = clues::dateline(body)?;
    let qualifiers = clues::qualifier_after(index, body, end, key);
    index.normalise(&body[start..end], key);
    index
        .lookup(key)
        .filter(|c| c.flags & (flags::ADJECTIVE | flags::QUALIFIER) == 0)
        .map(|c| {
            let place = index.place(c.place);
            let q = qualifier_bonus(index, &place, &qualifiers);
            (prior(&place, &c) + q, place)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, p)| p)
}

/// Every candidate place of one entity, with its first-pass score.
fn candidates(
    index: &PlaceIndex,
    title: &str,
    body: &str,
    i: usize,
    entity: &Entity,
    key: &mut String,
) -> Resolving {
    let text_of = |field: Field| if field == Field::Title { title } else { body };
    if clues::disease_named(title, body, entity) {
        return Resolving {
            entity: i,
            cands: Vec::new(),
            evidence: None,
        };
    }
    // "UN" in running text: an abbreviation, not the town whose own name it spells.
    let acronym = clues::acronym(title, body, entity);
    let mut forms: Vec<u64> = Vec::with_capacity(MAX_FORMS);
    let mut qualifiers: Vec<u32> = Vec::new();
    let mut state_word = false;
    // Hashes of the longer names looked up ("Democratic" + "Republic of the Congo").
    let mut longer: Vec<u64> = Vec::with_capacity(MAX_FORMS);
    let mut cands: Vec<Scored> = Vec::new();
    let names = std::iter::once(entity.text.as_str()).chain(
        entity
            .mentions
            .iter()
            .map(|m| &text_of(m.field)[m.span.start..m.span.end]),
    );
    for name in names {
        if forms.len() >= MAX_FORMS {
            break;
        }
        // "Paris, Texas" as one mention: the name is before the comma.
        let name = name.split(',').next().unwrap_or(name);
        // "US$", "HK$": a currency, not a place.
        if name.contains(CURRENCY_SIGNS) {
            continue;
        }
        index.normalise(name, key);
        let hash = super::index::fnv1a(key);
        if forms.contains(&hash) {
            continue;
        }
        forms.push(hash);
        if !lookup_form(index, entity.label, key, acronym, &mut cands) {
            if let Some(stripped) = strip_affixes(key) {
                let stripped = stripped.to_owned();
                lookup_form(index, entity.label, &stripped, acronym, &mut cands);
            }
        }
    }
    if cands.is_empty() {
        return Resolving {
            entity: i,
            cands,
            evidence: None,
        };
    }
    for m in &entity.mentions {
        let text = text_of(m.field);
        if qualifiers.len() < MAX_QUALIFIERS {
            for q in clues::qualifier_after(index, text, m.span.end, key) {
                if !qualifiers.contains(&q) && qualifiers.len() < MAX_QUALIFIERS {
                    qualifiers.push(q);
                }
            }
        }
        state_word |= clues::state_word_after(text, m.span.end);
        if let Some(word) = clues::name_word_before(text, m.span.start) {
            if longer.len() < MAX_FORMS {
                let name = format!("{word} {}", &text[m.span.start..m.span.end]);
                index.normalise(&name, key);
                let hash = super::index::fnv1a(key);
                if !longer.contains(&hash) {
                    longer.push(hash);
                    full_name(index, entity.label, key, &mut cands);
                }
            }
        }
    }
    for c in &mut cands {
        c.score += qualifier_bonus(index, &c.place, &qualifiers);
        if state_word && c.place.feature == PlaceFeature::Admin1 {
            c.score += STATE_WORD_BONUS;
        }
    }
    Resolving {
        entity: i,
        cands,
        evidence: None,
    }
}

/// A country, region or first-order division whose whole name is the mention with the
/// capitalised word before it ("Democratic Republic of the Congo" where recognition found
/// "Republic of the Congo"): the text names it in full, which all but decides it.
fn full_name(index: &PlaceIndex, label: EntityLabel, key: &str, out: &mut Vec<Scored>) {
    for cand in index.lookup(key) {
        if cand.flags & (flags::QUALIFIER | flags::ADJECTIVE) != 0 {
            continue;
        }
        let place = index.place(cand.place);
        if place.feature > PlaceFeature::Admin1 || !accepts(label, &place, &cand) {
            continue;
        }
        let score = prior(&place, &cand) + QUALIFIER_BONUS;
        if let Some(seen) = out.iter_mut().find(|s| s.place.index == place.index) {
            seen.score = seen.score.max(score);
            continue;
        }
        out.push(Scored {
            score,
            adjective: false,
            place,
        });
    }
}

/// The qualifier bonus: a qualifier that is the candidate's first-order division or country.
fn qualifier_bonus(index: &PlaceIndex, place: &Place, qualifiers: &[u32]) -> f64 {
    let hit = qualifiers.iter().any(|&q| {
        q != place.index
            && (place.admin1 == Some(q) || place.country.and_then(|c| index.country(c)) == Some(q))
    });
    if hit {
        QUALIFIER_BONUS
    } else {
        0.0
    }
}

/// Signs that make a name a currency ("US$", "HK$"), never a place.
const CURRENCY_SIGNS: [char; 4] = ['$', '€', '£', '¥'];
/// Adds the candidates of one normalised name; false when it names nothing this label takes.
/// For an acronym, a city or second-order division only counts through an alternate name
/// (an abbreviation the index lists, "NYC"), not through its own name.
fn lookup_form(
    index: &PlaceIndex,
    label: EntityLabel,
    key: &str,
    acronym: bool,
    out: &mut Vec<Scored>,
) -> bool {
    let before = out.len();
    for cand in index.lookup(key) {
        if cand.flags & flags::QUALIFIER != 0 {
            continue;
        }
        let place = index.place(cand.place);
        if !accepts(label, &place, &cand) {
            continue;
        }
        if acronym && place.feature >= PlaceFeature::Admin2 && cand.flags & flags::ALTERNATE == 0 {
            continue;
        }
        if let Some(seen) = out.iter_mut().find(|s| s.place.index == place.index) {
            seen.score = seen.score.max(prior(&place, &cand));
            continue;
        }
        out.push(Scored {
            score: prior(&place, &cand),
            adjective: cand.flags & flags::ADJECTIVE != 0,
            place,
        });
    }
    out.len() > before
}

/// "the Netherlands" -> "netherlands"; "Nyanza Province" -> "nyanza".
fn strip_affixes(key: &str) -> Option<&str> {
    let k = key.strip_prefix("the ").unwrap_or(key);
    let k = [" province", " state", " region", " district", " county"]
        .iter()
        .find_map(|s| k.strip_suffix(s))
        .unwrap_or(k);
    (k.len() < key.len() && !k.is_empty()).then_some(k)
}
