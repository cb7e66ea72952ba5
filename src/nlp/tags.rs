//! Tags: `sentiment:<label>`, `country:<code>` for the article's main country, then
//! `<label>:<slug>` for the most salient entities.

use crate::nlp::analysis::Analysis;

/// `sentiment:<label>`, `country:<code>` (ISO 3166-1, lower-case) when the article has a main
/// country, then `<label>:<slug>` for the most salient entities.
pub fn tags(analysis: &Analysis, max_entity_tags: usize) -> Vec<String> {
    let mut tags = vec![format!("sentiment:{}", analysis.sentiment.label.as_str())];
    if let Some(country) = analysis.places.focus_country() {
        tags.push(format!("country:{country}"));
    }
    tags.extend(analysis.entities.iter().take(max_entity_tags).map(|e| {
        format!(
            "{}:{}",
            e.label.as_str().to_ascii_lowercase(),
            slug(&e.text)
        )
    }));
    tags
}

/// Lower-case ASCII letters and digits joined by single hyphens; other letters kept lower-cased.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') && c != '’' && c != '\'' {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_country_is_a_tag() {
        use crate::nlp::analysis::CountryShare;
        let mut a = Analysis::empty("en".into());
        assert_eq!(tags(&a, 5), ["sentiment:not_computed"]);
        a.places.countries.push(CountryShare {
            country: *b"RU",
            name: "Russia",
            geonameid: Some(2_017_370),
            share: 1.0,
        });
        assert_eq!(tags(&a, 5), ["sentiment:not_computed", "country:ru"]);
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slug("Donald Trump"), "donald-trump");
        assert_eq!(slug("Gideon Sa’ar"), "gideon-saar");
        assert_eq!(slug("U.S."), "u-s");
        assert_eq!(slug("  Iran  "), "iran");
    }
}
