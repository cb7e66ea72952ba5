//! Tags: `sentiment:<label>`, then `<label>:<slug>` for the most salient entities.

use crate::nlp::analysis::Analysis;

/// `sentiment:<label>` then `<label>:<slug>` for the most salient entities.
pub fn tags(analysis: &Analysis, max_entity_tags: usize) -> Vec<String> {
    let mut tags = vec![format!("sentiment:{}", analysis.sentiment.label.as_str())];
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
    fn slugs_are_url_safe() {
        assert_eq!(slug("Donald Trump"), "donald-trump");
        assert_eq!(slug("Gideon Sa’ar"), "gideon-saar");
        assert_eq!(slug("U.S."), "u-s");
        assert_eq!(slug("  Iran  "), "iran");
    }
}
