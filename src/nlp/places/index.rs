//! The compiled-in place index (`models/places.bin`, written by `scripts/build_places.py`):
//! its format, the loader, and name lookup. Nothing is copied at load: the index is read in
//! place from the bytes compiled into the binary, so start-up costs a header check, the fold
//! table (a few hundred letters) and the country table (the first places), and only the pages
//! lookups touch become resident. The full consistency check ([`PlaceIndex::check`]) runs in
//! the tests: the index ships inside the binary, like its code.

use crate::nlp::analysis::PlaceFeature;

const MAGIC: &[u8; 8] = b"NEPLACES";
const VERSION: u32 = 1;
const HEADER: usize = 8 + 7 * 4;
const PLACE_BYTES: usize = 24;
const NO_ADMIN1: u16 = 0xFFFF;
const PLACE_MASK: u32 = (1 << 28) - 1;
const NAME_MASK: u32 = (1 << 29) - 1;
/// Candidates read for one name at most (they are stored most populous first): "San José"
/// names hundreds of villages, and the ones past this many never win.
pub const MAX_CANDIDATES_PER_NAME: usize = 48;

/// How a name refers to its place.
pub mod flags {
    /// An alternate name, not the place's own.
    pub const ALTERNATE: u8 = 1;
    /// Only after a comma, as in "Athens, Ga." ("Ga.", "GA").
    pub const QUALIFIER: u8 = 2;
    /// A demonym or adjective ("Russian", "European").
    pub const ADJECTIVE: u8 = 4;
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IndexError {
    #[error("not a place index (bad magic)")]
    Magic,
    #[error("place index version {0}, expected {VERSION}")]
    Version(u32),
    #[error("place index is truncated or has trailing bytes ({0} bytes)")]
    Size(usize),
    #[error("place index names are not UTF-8")]
    Utf8,
    #[error("place index entry {0} is out of range")]
    Range(usize),
}

/// One place of the index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    pub index: u32,
    pub geonameid: u32,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    pub name: &'static str,
    pub feature: PlaceFeature,
    /// ISO 3166-1 alpha-2, or `None` for a continent or region.
    pub country: Option<[u8; 2]>,
    /// The first-order division the place lies in (itself for a first-order division).
    pub admin1: Option<u32>,
}

impl Place {
    pub fn country_str(&self) -> Option<&str> {
        self.country
            .as_ref()
            .and_then(|c| std::str::from_utf8(c).ok())
    }
}

/// One candidate of a name: the place and how the name refers to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub place: u32,
    pub flags: u8,
}

pub struct PlaceIndex {
    places: &'static [u8],
    keys: &'static [u8],
    starts: &'static [u8],
    cands: &'static [u8],
    admin1s: &'static [u8],
    strings: &'static [u8],
    /// Letter with a diacritic -> its ASCII folding, sorted by letter.
    folds: Vec<(char, &'static str)>,
    /// Country code -> place, sorted by code.
    countries: Vec<([u8; 2], u32)>,
}

impl std::fmt::Debug for PlaceIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlaceIndex")
            .field("places", &self.len())
            .field("names", &(self.keys.len() / 8))
            .finish()
    }
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes"))
}

fn i32_at(b: &[u8], i: usize) -> i32 {
    i32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes"))
}

fn u64_at(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"))
}

/// FNV-1a, 64 bits: the hash the builder keys names by.
pub fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Characters dropped from a name without leaving a word break: "U.S." is "us".
fn dropped(c: char) -> bool {
    matches!(c, '.' | '\'' | '’' | 'ʼ' | '`' | '‘') || ('\u{300}'..'\u{370}').contains(&c)
}

impl PlaceIndex {
    pub fn from_bytes(bytes: &'static [u8]) -> Result<PlaceIndex, IndexError> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(IndexError::Magic);
        }
        let count = |i: usize| u32_at(bytes, 8 + 4 * i) as usize;
        if count(0) != VERSION as usize {
            return Err(IndexError::Version(count(0) as u32));
        }
        let (n_places, n_keys, n_cands, n_admin1, n_strings, n_folds) =
            (count(1), count(2), count(3), count(4), count(5), count(6));
        let sizes = [
            n_places * PLACE_BYTES,
            n_keys * 8,
            (n_keys + 1) * 4,
            n_cands * 4,
            n_admin1 * 4,
            n_strings,
            n_folds * 6,
        ];
        if HEADER + sizes.iter().sum::<usize>() != bytes.len() {
            return Err(IndexError::Size(bytes.len()));
        }
        let mut at = HEADER;
        let mut sections = sizes.iter().map(|&n| {
            let s = &bytes[at..at + n];
            at += n;
            s
        });
        let mut next = || sections.next().expect("seven sections");
        let (places, keys, starts, cands, admin1s, strings, fold_bytes) =
            (next(), next(), next(), next(), next(), next(), next());
        let folds = fold_bytes
            .chunks_exact(6)
            .map(|f| {
                let c = char::from_u32(u32_at(f, 0)).ok_or(IndexError::Range(0))?;
                let len = f[4..6].iter().take_while(|&&b| b != 0).count();
                let s = std::str::from_utf8(&f[4..4 + len]).map_err(|_| IndexError::Utf8)?;
                Ok((c, s))
            })
            .collect::<Result<Vec<_>, IndexError>>()?;
        let mut index = PlaceIndex {
            places,
            keys,
            starts,
            cands,
            admin1s,
            strings,
            folds,
            countries: Vec::new(),
        };
        // The builder writes the countries first.
        index.countries = (0..n_places as u32)
            .map(|i| index.place(i))
            .take_while(|p| p.feature == PlaceFeature::Country)
            .filter_map(|p| p.country.map(|c| (c, p.index)))
            .collect();
        index.countries.sort_unstable();
        Ok(index)
    }

    /// Every reference inside the index points inside it and every name is UTF-8, so that
    /// lookups never panic.
    pub fn check(&self) -> Result<(), IndexError> {
        if std::str::from_utf8(self.strings).is_err() {
            return Err(IndexError::Utf8);
        }
        let n = self.len() as u32;
        for i in 0..self.len() {
            let r = &self.places[i * PLACE_BYTES..];
            let name = (u32_at(r, 16) & NAME_MASK) as usize;
            let admin1 = u16::from_le_bytes([r[22], r[23]]);
            let feature = (u32_at(r, 16) >> 29) as u8;
            if name > self.strings.len()
                || PlaceFeature::from_code(feature).is_none()
                || (admin1 != NO_ADMIN1 && usize::from(admin1) * 4 >= self.admin1s.len())
            {
                return Err(IndexError::Range(i));
            }
        }
        let n_cands = (self.cands.len() / 4) as u32;
        let mut last = 0;
        for k in 0..=self.keys.len() / 8 {
            let start = u32_at(self.starts, 4 * k);
            if start < last || start > n_cands {
                return Err(IndexError::Range(k));
            }
            last = start;
        }
        let admin1_ok = (0..self.admin1s.len() / 4).all(|i| u32_at(self.admin1s, 4 * i) < n);
        let cands_ok = (0..n_cands as usize).all(|i| u32_at(self.cands, 4 * i) & PLACE_MASK < n);
        if admin1_ok && cands_ok {
            Ok(())
        } else {
            Err(IndexError::Range(0))
        }
    }

    pub fn len(&self) -> usize {
        self.places.len() / PLACE_BYTES
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    pub fn place(&self, index: u32) -> Place {
        let i = index as usize;
        let r = &self.places[i * PLACE_BYTES..(i + 1) * PLACE_BYTES];
        let name_word = u32_at(r, 16);
        let start = (name_word & NAME_MASK) as usize;
        let end = if i + 1 < self.len() {
            (u32_at(self.places, (i + 1) * PLACE_BYTES + 16) & NAME_MASK) as usize
        } else {
            self.strings.len()
        };
        let name = self
            .strings
            .get(start..end.max(start))
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("");
        let country = [r[20], r[21]];
        let admin1 = u16::from_le_bytes([r[22], r[23]]);
        Place {
            index,
            geonameid: u32_at(r, 0),
            lat: f64::from(i32_at(r, 4)) / 1e5,
            lon: f64::from(i32_at(r, 8)) / 1e5,
            population: u64::from(u32_at(r, 12)),
            name,
            feature: PlaceFeature::from_code((name_word >> 29) as u8).unwrap_or(PlaceFeature::City),
            country: (country != [0, 0]).then_some(country),
            admin1: (admin1 != NO_ADMIN1).then(|| u32_at(self.admin1s, usize::from(admin1) * 4)),
        }
    }

    /// The country's own place.
    pub fn country(&self, code: [u8; 2]) -> Option<u32> {
        self.countries
            .binary_search_by_key(&code, |&(c, _)| c)
            .ok()
            .map(|i| self.countries[i].1)
    }

    /// A name as the index keys it: lower-case, diacritics folded, dots and apostrophes
    /// dropped, any other run of non-alphanumerics one space. Written into `out`.
    pub fn normalise(&self, name: &str, out: &mut String) {
        out.clear();
        let mut space = false;
        for c in name.chars().flat_map(char::to_lowercase) {
            if dropped(c) {
                continue;
            }
            if !c.is_alphanumeric() {
                space = true;
                continue;
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            match self.folds.binary_search_by_key(&c, |&(f, _)| f) {
                Ok(i) => out.push_str(self.folds[i].1),
                Err(_) => out.push(c),
            }
        }
    }

    /// The candidates of a normalised name, most populous first, at most
    /// [`MAX_CANDIDATES_PER_NAME`].
    pub fn lookup(&self, normalised: &str) -> impl Iterator<Item = Candidate> + '_ {
        let hash = fnv1a(normalised);
        let n_keys = self.keys.len() / 8;
        let (mut lo, mut hi) = (0, n_keys);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if u64_at(self.keys, mid * 8) < hash {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let range = if lo < n_keys && u64_at(self.keys, lo * 8) == hash {
            u32_at(self.starts, lo * 4) as usize..u32_at(self.starts, lo * 4 + 4) as usize
        } else {
            0..0
        };
        range.take(MAX_CANDIDATES_PER_NAME).map(|i| {
            let word = u32_at(self.cands, i * 4);
            Candidate {
                place: word & PLACE_MASK,
                flags: (word >> 28) as u8,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> &'static PlaceIndex {
        crate::nlp::places::tests::index()
    }

    fn names(name: &str) -> Vec<(String, PlaceFeature, Option<String>)> {
        let mut key = String::new();
        index().normalise(name, &mut key);
        index()
            .lookup(&key)
            .map(|c| {
                let p = index().place(c.place);
                (
                    p.name.to_owned(),
                    p.feature,
                    p.country_str().map(str::to_owned),
                )
            })
            .collect()
    }

    #[test]
    fn names_normalise_as_the_builder_does() {
        let mut out = String::new();
        for (name, key) in [
            ("U.S.", "us"),
            ("Côte d'Ivoire", "cote divoire"),
            ("  São  Paulo ", "sao paulo"),
            ("Aust-Agder", "aust agder"),
            ("İstanbul", "istanbul"),
            ("Østfold", "ostfold"),
            ("Ga.", "ga"),
        ] {
            index().normalise(name, &mut out);
            assert_eq!(out, key, "{name}");
        }
    }

    #[test]
    fn the_index_answers_for_countries_states_cities_and_adjectives() {
        let georgia = names("Georgia");
        assert!(georgia.contains(&("Georgia".into(), PlaceFeature::Country, Some("GE".into()))));
        assert!(georgia.contains(&("Georgia".into(), PlaceFeature::Admin1, Some("US".into()))));
        let paris = names("Paris");
        assert_eq!(paris[0].2.as_deref(), Some("FR"), "most populous first");
        assert!(paris.iter().any(|p| p.2.as_deref() == Some("US")));
        assert_eq!(names("U.S.")[0].1, PlaceFeature::Country);
        assert_eq!(names("Russian")[0].2.as_deref(), Some("RU"));
        assert_eq!(names("Nowhere-on-no-map").len(), 0);
        let us = index().country(*b"US").map(|i| index().place(i));
        assert_eq!(us.map(|p| p.geonameid), Some(6_252_001));
    }

    /// The place called `name` with `feature` in country `cc`.
    fn place(name: &str, feature: PlaceFeature, cc: &str) -> Place {
        let mut key = String::new();
        index().normalise(name, &mut key);
        index()
            .lookup(&key)
            .map(|c| index().place(c.place))
            .find(|p| p.feature == feature && p.country_str() == Some(cc))
            .unwrap_or_else(|| panic!("{name} ({cc}) is in the index"))
    }

    fn km(a: &Place, b: &Place) -> f64 {
        let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
        let c = p1.sin() * p2.sin() + p1.cos() * p2.cos() * (b.lon - a.lon).to_radians().cos();
        6371.0 * c.clamp(-1.0, 1.0).acos()
    }

    #[test]
    fn a_first_order_division_sits_at_its_own_point_not_at_its_biggest_city() {
        // Ontario's towns are nearly all in its south; its own point is in the middle of the
        // province, north of 49 degrees (the box around its towns is centred at 47.5).
        let ontario = place("Ontario", PlaceFeature::Admin1, "CA");
        assert!(ontario.lat > 49.0 && ontario.lon < -80.0, "{ontario:?}");
        // A database point that is the namesake city's is not the state's.
        let state = place("New York", PlaceFeature::Admin1, "US");
        let city = place("New York City", PlaceFeature::City, "US");
        assert!(km(&state, &city) > 150.0, "{state:?} {city:?}");
    }

    #[test]
    fn the_compiled_in_index_is_consistent() {
        assert_eq!(index().check(), Ok(()));
        assert!(
            index().countries.len() > 200,
            "every country is found at load"
        );
    }

    #[test]
    fn a_damaged_index_is_refused() {
        assert_eq!(
            PlaceIndex::from_bytes(b"NOTANINDEX").unwrap_err(),
            IndexError::Magic
        );
        let bytes = crate::nlp::places::PLACES_INDEX;
        let cut: &'static [u8] = &bytes[..bytes.len() - 1];
        assert!(matches!(
            PlaceIndex::from_bytes(cut),
            Err(IndexError::Size(_))
        ));
    }
}
