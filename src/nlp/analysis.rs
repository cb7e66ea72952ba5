//! The output types every stage shares: what the pipeline found in one article. Spans are
//! byte ranges into the normalised field they were found in; only the wire encoder maps them
//! back to the original field ([`Analysis::original_span`]) and turns them into code-point
//! offsets.

use crate::nlp::text::{Alignment, Span};

/// Where a span lies: spans index into the field they were found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Title,
    Body,
}

/// The four CoNLL-2003 entity classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityLabel {
    Person = 0,
    Org = 1,
    Loc = 2,
    Misc = 3,
}

impl EntityLabel {
    pub const ALL: [EntityLabel; 4] = [
        EntityLabel::Person,
        EntityLabel::Org,
        EntityLabel::Loc,
        EntityLabel::Misc,
    ];

    /// The label as the enrichment contract spells it.
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityLabel::Person => "PERSON",
            EntityLabel::Org => "ORG",
            EntityLabel::Loc => "LOC",
            EntityLabel::Misc => "MISC",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub field: Field,
    pub span: Span,
}

/// How a reference names its entity without naming it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReferenceKind {
    /// `he`, `her`, `its`.
    Pronoun,
    /// `the spokesman`, `the Conservative MP`, `the company`.
    Description,
}

impl ReferenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceKind::Pronoun => "pronoun",
            ReferenceKind::Description => "description",
        }
    }
}

/// A pronoun or description the coreference stage linked to an entity (its chain holds the
/// entity's name mentions and these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    /// Index into [`Analysis::entities`].
    pub entity: usize,
    pub field: Field,
    pub span: Span,
    pub kind: ReferenceKind,
}

#[derive(Debug, Clone)]
pub struct Entity {
    /// The fullest form of the name in the article.
    pub text: String,
    pub label: EntityLabel,
    pub salience: f64,
    pub sentiment: f64,
    pub mentions: Vec<Mention>,
}

/// How a quotation relates to the sentence around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuoteKind {
    /// A whole statement attributed to someone: `“…,” X said`, `X said: “…”`.
    Full,
    /// A quoted fragment inside the writer's own sentence: `X warned that a “military option” …`.
    Partial,
    /// Quotation marks around a phrase nobody is reported as saying: `his “maximum pressure” campaign`.
    Scare,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Full => "full",
            QuoteKind::Partial => "partial",
            QuoteKind::Scare => "scare",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub field: Field,
    /// The quoted text, quotation marks excluded.
    pub span: Span,
    pub kind: QuoteKind,
    /// The speaker's fullest name, or the phrase the article uses ("officials").
    pub speaker: Option<String>,
    /// Index into [`Analysis::entities`].
    pub speaker_entity: Option<usize>,
    /// The reporting verb or phrase ("said", "according to", ":").
    pub cue: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentimentLabel {
    Positive,
    Neutral,
    Negative,
    /// Sentiment was not computed (unsupported language, no text, pass-through mode): the
    /// score 0 means nothing, and the label must not claim `neutral`.
    NotComputed,
}

impl SentimentLabel {
    /// VADER's conventional thresholds.
    pub fn from_score(score: f64) -> SentimentLabel {
        if score >= 0.05 {
            SentimentLabel::Positive
        } else if score <= -0.05 {
            SentimentLabel::Negative
        } else {
            SentimentLabel::Neutral
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SentimentLabel::Positive => "positive",
            SentimentLabel::Neutral => "neutral",
            SentimentLabel::Negative => "negative",
            SentimentLabel::NotComputed => "not_computed",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SentenceScore {
    pub field: Field,
    pub span: Span,
    pub score: f64,
}

#[derive(Debug, Clone)]
pub struct DocSentiment {
    pub label: SentimentLabel,
    pub score: f64,
    pub sentences: Vec<SentenceScore>,
}

/// What kind of place a [`Geo`] is, from the largest to the smallest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlaceFeature {
    Continent,
    /// A region that spans countries ("Middle East", "West Africa").
    Region,
    Country,
    /// A first-order division: a US state, a Canadian province, Scotland.
    Admin1,
    /// A second-order division: a US county, a Kenyan district.
    Admin2,
    City,
    /// A country's capital city.
    Capital,
}

impl PlaceFeature {
    pub const ALL: [PlaceFeature; 7] = [
        PlaceFeature::Continent,
        PlaceFeature::Region,
        PlaceFeature::Country,
        PlaceFeature::Admin1,
        PlaceFeature::Admin2,
        PlaceFeature::City,
        PlaceFeature::Capital,
    ];

    /// The code the place index stores (the order of [`PlaceFeature::ALL`]).
    pub fn from_code(code: u8) -> Option<PlaceFeature> {
        PlaceFeature::ALL.get(usize::from(code)).copied()
    }

    /// The feature as the enrichment contract spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceFeature::Continent => "continent",
            PlaceFeature::Region => "region",
            PlaceFeature::Country => "country",
            PlaceFeature::Admin1 => "admin1",
            PlaceFeature::Admin2 => "admin2",
            PlaceFeature::City => "city",
            PlaceFeature::Capital => "capital",
        }
    }
}

/// How an entity refers to its place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceReference {
    /// By a name of the place ("Russia", "U.S.", "Moscow").
    Name,
    /// By a demonym or adjective ("Russian", "European").
    Adjective,
}

impl PlaceReference {
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceReference::Name => "name",
            PlaceReference::Adjective => "adjective",
        }
    }
}

/// A place an entity was resolved to (GeoNames-derived; see `models/README.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct Geo {
    /// GeoNames id; `None` for a region GeoNames has no feature for.
    pub geonameid: Option<u32>,
    pub name: &'static str,
    pub lat: f64,
    pub lon: f64,
    /// ISO 3166-1 alpha-2 code; `None` for a continent or region.
    pub country: Option<[u8; 2]>,
    /// The first-order division the place lies in (for a first-order division, itself).
    pub admin1: Option<&'static str>,
    pub feature: PlaceFeature,
    pub population: u64,
    /// In [0, 1]: how sure resolution is that this is the place meant.
    pub confidence: f64,
    pub reference: PlaceReference,
}

impl Geo {
    pub fn country_str(&self) -> Option<&str> {
        self.country
            .as_ref()
            .and_then(|c| std::str::from_utf8(c).ok())
    }
}

/// A country's share of the article's place weight.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryShare {
    pub country: [u8; 2],
    pub name: &'static str,
    pub geonameid: Option<u32>,
    pub share: f64,
}

/// The place the story is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Focus {
    /// Index into [`Analysis::entities`].
    pub entity: usize,
    pub geo: Geo,
}

/// The places of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticlePlaces {
    /// `geo[i]` is the place of `Analysis::entities[i]`, if it names one.
    pub geo: Vec<Option<Geo>>,
    /// The main place: the most weighty place in the leading country.
    pub focus: Option<Focus>,
    /// Countries by share of the place weight (salience x confidence), largest first.
    pub countries: Vec<CountryShare>,
}

impl ArticlePlaces {
    /// The leading country's code, lower-case (for tags and routing keys).
    pub fn focus_country(&self) -> Option<String> {
        self.countries
            .first()
            .and_then(|c| std::str::from_utf8(&c.country).ok())
            .map(str::to_ascii_lowercase)
    }
}

/// Everything the pipeline found in one article.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub language: String,
    pub entities: Vec<Entity>,
    /// Pronouns and descriptions linked to the entities, in text order (title, then body).
    pub references: Vec<Reference>,
    pub quotes: Vec<Quote>,
    pub places: ArticlePlaces,
    pub sentiment: DocSentiment,
    pub tags: Vec<String>,
    pub warnings: Vec<String>,
    /// Normalised title -> original title (see [`crate::nlp::text::normalize`]).
    pub title_map: Alignment,
    /// Normalised body -> original body.
    pub body_map: Alignment,
}

impl Analysis {
    /// The byte span in the original field of a span the stages found in the normalised one.
    pub fn original_span(&self, field: Field, span: Span) -> Span {
        match field {
            Field::Title => self.title_map.span(span),
            Field::Body => self.body_map.span(span),
        }
    }

    /// An analysis with nothing found: what pass-through mode publishes.
    pub fn empty(language: String) -> Analysis {
        Analysis {
            language,
            entities: Vec::new(),
            references: Vec::new(),
            quotes: Vec::new(),
            places: ArticlePlaces::default(),
            sentiment: DocSentiment {
                label: SentimentLabel::NotComputed,
                score: 0.0,
                sentences: Vec::new(),
            },
            tags: Vec::new(),
            warnings: Vec::new(),
            title_map: Alignment::default(),
            body_map: Alignment::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_spell_the_contract() {
        let s: Vec<_> = EntityLabel::ALL.iter().map(|l| l.as_str()).collect();
        assert_eq!(s, ["PERSON", "ORG", "LOC", "MISC"]);
    }
}
