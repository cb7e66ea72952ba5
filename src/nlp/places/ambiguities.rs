//! The classic geoparsing ambiguities, each with the article context that decides it. The
//! entities are given (as recognition would find them), so these tests pin resolution alone.

use super::tests::stage;
use crate::nlp::analysis::{
    ArticlePlaces, Entity, EntityLabel, Field, Mention, PlaceFeature, PlaceReference,
};
use crate::nlp::text::Span;

/// Entities for every whole-word occurrence of each name in `body`, in the given order, with
/// salience by mention count.
fn entities(body: &str, names: &[(&str, EntityLabel)]) -> Vec<Entity> {
    let mut entities: Vec<Entity> = names
        .iter()
        .map(|&(name, label)| {
            let mentions = body
                .match_indices(name)
                .filter(|&(at, _)| {
                    let before = body[..at].chars().next_back();
                    let after = body[at + name.len()..].chars().next();
                    !before.is_some_and(char::is_alphanumeric)
                        && !after.is_some_and(char::is_alphanumeric)
                })
                .map(|(at, _)| Mention {
                    field: Field::Body,
                    span: Span::new(at, at + name.len()),
                })
                .collect::<Vec<_>>();
            assert!(!mentions.is_empty(), "{name} is not in the text");
            Entity {
                text: name.to_owned(),
                label,
                salience: 0.0,
                sentiment: 0.0,
                mentions,
            }
        })
        .collect();
    let total: usize = entities.iter().map(|e| e.mentions.len()).sum();
    for e in &mut entities {
        e.salience = e.mentions.len() as f64 / total as f64;
    }
    entities
}

struct Resolved {
    names: Vec<&'static str>,
    places: ArticlePlaces,
    entities: Vec<Entity>,
}

impl Resolved {
    fn of(body: &str, names: &[(&'static str, EntityLabel)]) -> Resolved {
        let entities = entities(body, names);
        let places = stage().resolve("", body, &entities);
        Resolved {
            names: names.iter().map(|n| n.0).collect(),
            places,
            entities,
        }
    }

    /// (country, feature, admin1) of the entity named `name`.
    fn place(&self, name: &str) -> (String, PlaceFeature, Option<&'static str>) {
        let i = self.names.iter().position(|n| *n == name).expect("named");
        let geo = self.places.geo[i]
            .as_ref()
            .unwrap_or_else(|| panic!("{name} has no place"));
        assert!(geo.confidence > 0.0 && geo.confidence <= 1.0);
        (
            geo.country_str().unwrap_or("").to_owned(),
            geo.feature,
            geo.admin1,
        )
    }

    fn country(&self, name: &str) -> String {
        self.place(name).0
    }
}

use EntityLabel::{Loc, Misc, Org, Person};

#[test]
fn georgia_is_the_us_state_among_american_places() {
    let r = Resolved::of(
        "Health officials in Georgia said the outbreak began in Atlanta, where three children \
         fell ill after a fair.",
        &[("Georgia", Loc), ("Atlanta", Loc)],
    );
    assert_eq!(
        r.place("Georgia"),
        ("US".into(), PlaceFeature::Admin1, Some("Georgia"))
    );
    assert_eq!(r.country("Atlanta"), "US");
}

#[test]
fn georgia_is_the_country_beside_tbilisi_and_russia() {
    let r = Resolved::of(
        "The government of Georgia said in Tbilisi that Russian troops remain near the border.",
        &[("Georgia", Loc), ("Tbilisi", Loc), ("Russian", Misc)],
    );
    assert_eq!(
        r.place("Georgia"),
        ("GE".into(), PlaceFeature::Country, None)
    );
    let russian = r.places.geo[2].as_ref().unwrap();
    assert_eq!(russian.country_str(), Some("RU"));
    assert_eq!(russian.reference, PlaceReference::Adjective);
    assert_eq!(russian.feature, PlaceFeature::Country);
}

#[test]
fn paris_is_in_france_unless_texas_says_otherwise() {
    let alone = Resolved::of("Thousands marched in Paris on Saturday.", &[("Paris", Loc)]);
    assert_eq!(alone.place("Paris").0, "FR");
    let qualified = Resolved::of(
        "A tornado hit Paris, Texas, on Saturday.",
        &[("Paris", Loc)],
    );
    assert_eq!(
        qualified.place("Paris"),
        ("US".into(), PlaceFeature::City, Some("Texas"))
    );
    let nearby = Resolved::of(
        "A tornado hit Paris on Saturday. The governor of Texas sent the National Guard.",
        &[("Paris", Loc), ("Texas", Loc)],
    );
    assert_eq!(nearby.place("Paris").2, Some("Texas"));
}

#[test]
fn perth_is_australian_unless_scotland_qualifies_it() {
    let r = Resolved::of("The festival in Perth drew crowds.", &[("Perth", Loc)]);
    assert_eq!(r.country("Perth"), "AU");
    let r = Resolved::of(
        "The festival in Perth, Scotland drew crowds.",
        &[("Perth", Loc)],
    );
    assert_eq!(
        r.place("Perth"),
        ("GB".into(), PlaceFeature::City, Some("Scotland"))
    );
}

#[test]
fn washington_is_the_capital_unless_the_state_is_meant() {
    let r = Resolved::of(
        "Officials in Washington said the talks would resume.",
        &[("Washington", Loc)],
    );
    assert_eq!(r.place("Washington").1, PlaceFeature::Capital);
    let r = Resolved::of(
        "Washington state health officials confirmed the case.",
        &[("Washington", Loc)],
    );
    assert_eq!(r.place("Washington").1, PlaceFeature::Admin1);
    let r = Resolved::of(
        "The case in Washington was confirmed by doctors in Seattle and Spokane.",
        &[("Washington", Loc), ("Seattle", Loc), ("Spokane", Loc)],
    );
    assert_eq!(r.place("Washington").1, PlaceFeature::Admin1);
}

#[test]
fn a_name_in_a_list_of_states_is_the_state() {
    let r = Resolved::of(
        "Cases were reported in Utah, Virginia, Washington and Wisconsin.",
        &[
            ("Utah", Loc),
            ("Virginia", Loc),
            ("Washington", Loc),
            ("Wisconsin", Loc),
        ],
    );
    assert_eq!(
        r.place("Washington"),
        ("US".into(), PlaceFeature::Admin1, Some("Washington"))
    );
    // One state beside it is no list: the capital stays what "Washington" means.
    let r = Resolved::of(
        "Officials in Washington and Utah met.",
        &[("Washington", Loc), ("Utah", Loc)],
    );
    assert_eq!(r.place("Washington").1, PlaceFeature::Capital);
}

#[test]
fn birmingham_is_english_unless_alabama_is_in_the_story() {
    let r = Resolved::of(
        "Fans in Birmingham celebrated the win.",
        &[("Birmingham", Loc)],
    );
    assert_eq!(r.country("Birmingham"), "GB");
    let r = Resolved::of(
        "Storms hit Birmingham overnight. Alabama's governor declared an emergency.",
        &[("Birmingham", Loc), ("Alabama", Loc)],
    );
    assert_eq!(r.place("Birmingham").2, Some("Alabama"));
}

#[test]
fn congo_is_the_drc_unless_brazzaville_points_across_the_river() {
    let r = Resolved::of(
        "Fighting in eastern Congo displaced thousands.",
        &[("Congo", Loc)],
    );
    assert_eq!(r.country("Congo"), "CD");
    let r = Resolved::of(
        "Congo held elections; in Brazzaville turnout was low.",
        &[("Congo", Loc), ("Brazzaville", Loc)],
    );
    assert_eq!(r.country("Congo"), "CG");
}

#[test]
fn a_country_name_without_its_article_is_the_same_country() {
    let r = Resolved::of(
        "Ebola spread in the Democratic Republic of Congo.",
        &[("Democratic Republic of Congo", Loc)],
    );
    assert_eq!(
        r.place("Democratic Republic of Congo"),
        ("CD".into(), PlaceFeature::Country, None)
    );
    let r = Resolved::of(
        "The Republic of Congo shut its border.",
        &[("Republic of Congo", Loc)],
    );
    assert_eq!(
        r.place("Republic of Congo"),
        ("CG".into(), PlaceFeature::Country, None)
    );
}

#[test]
fn a_long_country_name_is_read_whole_when_recognition_drops_its_first_word() {
    // Recognition found only "Republic of the Congo" / "Republic of China".
    let r = Resolved::of(
        "Cases rose in the Democratic Republic of the Congo, officials said.",
        &[("Republic of the Congo", Loc)],
    );
    assert_eq!(r.country("Republic of the Congo"), "CD");
    let r = Resolved::of(
        "Cases rose in the Republic of the Congo, officials in Brazzaville said.",
        &[("Republic of the Congo", Loc)],
    );
    assert_eq!(r.country("Republic of the Congo"), "CG");
    let r = Resolved::of(
        "The People's Republic of China reported new cases.",
        &[("Republic of China", Loc)],
    );
    assert_eq!(r.country("Republic of China"), "CN");
    // A word that makes no longer name changes nothing.
    let r = Resolved::of(
        "Officials said Republic of China officials met.",
        &[("Republic of China", Loc)],
    );
    assert_eq!(r.country("Republic of China"), "TW");
}

#[test]
fn a_country_named_for_its_government_and_an_adjective_are_places() {
    let r = Resolved::of(
        "Russia said on Monday that European ministers had been told.",
        &[("Russia", Org), ("European", Misc)],
    );
    assert_eq!(
        r.place("Russia"),
        ("RU".into(), PlaceFeature::Country, None)
    );
    let european = r.places.geo[1].as_ref().unwrap();
    assert_eq!(european.feature, PlaceFeature::Continent);
    assert_eq!(european.name, "Europe");
}

#[test]
fn people_and_city_named_organisations_get_no_place() {
    let r = Resolved::of(
        "Paris Hilton watched Liverpool beat Chelsea.",
        &[
            ("Paris Hilton", Person),
            ("Liverpool", Org),
            ("Chelsea", Org),
        ],
    );
    assert!(r.places.geo.iter().all(Option::is_none));
    assert!(r.places.focus.is_none() && r.places.countries.is_empty());
}

#[test]
fn the_dateline_decides_an_ambiguous_city() {
    let r = Resolved::of(
        "ATHENS, Ga. (AP) — Police in Athens arrested two men on Friday.",
        &[("Athens", Loc)],
    );
    assert_eq!(
        r.place("Athens"),
        ("US".into(), PlaceFeature::City, Some("Georgia"))
    );
}

#[test]
fn the_focus_is_the_weightiest_place_of_the_leading_country() {
    let r = Resolved::of(
        "Ebola cases rose in Kinshasa, the capital of Congo. Belgium sent doctors to Kinshasa \
         and to Goma.",
        &[
            ("Kinshasa", Loc),
            ("Congo", Loc),
            ("Belgium", Loc),
            ("Goma", Loc),
        ],
    );
    let focus = r.places.focus.as_ref().expect("a focus");
    assert_eq!(r.entities[focus.entity].text, "Kinshasa");
    assert_eq!(focus.geo.country_str(), Some("CD"));
    assert_eq!(r.places.countries[0].country, *b"CD");
    assert_eq!(r.places.countries[1].country, *b"BE");
    let total: f64 = r.places.countries.iter().map(|c| c.share).sum();
    assert!((total - 1.0).abs() < 1e-9);
}

#[test]
fn an_acronym_is_not_a_town_that_spells_it() {
    // "UN" is also the own name of a town in Gujarat ("Un"); "US$" is a currency.
    let r = Resolved::of(
        "The UN said aid worth 2 million US$ would reach the camps. US officials agreed.",
        &[("UN", Loc), ("US$", Misc), ("US", Loc)],
    );
    assert!(r.places.geo[0].is_none(), "{:?}", r.places.geo[0]);
    assert!(r.places.geo[1].is_none(), "{:?}", r.places.geo[1]);
    assert_eq!(r.place("US"), ("US".into(), PlaceFeature::Country, None));
    // An abbreviation the index lists still resolves, a whole state included.
    let r = Resolved::of(
        "Horses in NSW were quarantined near Sydney.",
        &[("NSW", Loc), ("Sydney", Loc)],
    );
    assert_eq!(
        r.place("NSW"),
        ("AU".into(), PlaceFeature::Admin1, Some("New South Wales"))
    );
}

#[test]
fn the_netherlands_is_a_place_with_or_without_the_article() {
    for name in ["Netherlands", "The Netherlands"] {
        let body = format!("Farmers in {name} culled poultry.");
        let r = Resolved::of(&body, &[(name, Loc)]);
        assert_eq!(r.place(name), ("NL".into(), PlaceFeature::Country, None));
    }
}

#[test]
fn organisations_and_misc_named_wholly_for_a_large_place_become_loc() {
    use super::place_labels;
    let body = "The NSW government and US officials met in Liverpool. The European Union and \
                Saudi officials spoke of Fujian. Russian diplomats listened.";
    let mut r = Resolved::of(
        body,
        &[
            ("NSW", Org),
            ("US", Org),
            ("Liverpool", Org),
            ("European Union", Org),
            ("Saudi", Misc),
            ("Fujian", Misc),
            ("Russian", Misc),
        ],
    );
    let n = place_labels(stage().index(), "", body, &mut r.entities, &r.places);
    let labels: Vec<_> = r
        .entities
        .iter()
        .map(|e| (e.text.as_str(), e.label))
        .collect();
    assert_eq!(
        labels,
        [
            ("NSW", Loc),
            ("US", Loc),
            ("Liverpool", Org),
            ("European Union", Org),
            ("Saudi", Misc),
            ("Fujian", Loc),
            ("Russian", Misc),
        ]
    );
    assert_eq!(n, 3);
}

#[test]
fn disease_names_and_organisation_acronyms_are_no_places() {
    use super::place_labels;
    let body = "Workers caught Reston ebolavirus; West Nile virus and Marburg virus spread too, \
                the UN said. Marburg, Germany, gave its name to the virus.";
    let mut r = Resolved::of(
        body,
        &[
            ("Reston", Loc),
            ("West Nile", Loc),
            ("UN", Loc),
            ("Germany", Loc),
        ],
    );
    assert!(r.places.geo[..3].iter().all(Option::is_none));
    assert_eq!(r.country("Germany"), "DE");
    let n = place_labels(stage().index(), "", body, &mut r.entities, &r.places);
    let labels: Vec<_> = r.entities.iter().map(|e| e.label).collect();
    assert_eq!(labels, [Misc, Misc, Org, Loc]);
    assert_eq!(n, 3);
    // A place named once on its own is a place, even if a disease also carries its name.
    let r = Resolved::of(
        "The Hong Kong flu of 1968 began in Hong Kong.",
        &[("Hong Kong", Loc)],
    );
    assert_eq!(r.country("Hong Kong"), "HK");
}
