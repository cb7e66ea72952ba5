//! Named-entity recognition: finds PERSON, ORG, LOC and MISC mentions in a document.
//!
//! A two-stage averaged-perceptron sequence labeller over our own tokens (BILOU tags,
//! Viterbi decoding). Stage 1 uses word, shape, affix, window, gazetteer and
//! word-cluster features; stage 2 adds stage 1's predictions elsewhere in the same
//! document so that repeated names get consistent labels. All resources (gazetteer,
//! clusters, weights) live in one model file; inference is pure and allocation-light.

mod bytes;
pub mod clusters;
pub mod features;
pub mod gazetteer;
pub mod hash;
pub mod model;
pub mod tags;
pub mod train;

use thiserror::Error;

use crate::nlp::text::Span;

pub use model::NerModel;
pub use train::{read_conll, train, GoldDoc, Prf, TrainOptions, TrainReport};

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

/// One entity mention: a byte span on token boundaries and its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityMention {
    pub span: Span,
    pub label: EntityLabel,
}

#[derive(Debug, Error)]
pub enum NerError {
    #[error("model file is truncated")]
    Truncated,
    #[error("bad format: {0}")]
    Format(String),
    #[error("i/o: {0}")]
    Io(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::text::{sentences, tokenize};
    use std::path::PathBuf;

    const TINY: &str = "-DOCSTART- -X- -X- O

EU NNP I-NP I-ORG
rejects VBZ I-VP O
German JJ I-NP I-MISC
call NN I-NP O
to TO I-VP O
boycott VB I-VP O
British JJ I-NP I-MISC
lamb NN I-NP O
. . O O

Peter NNP I-NP I-PER
Blackburn NNP I-NP I-PER
visited VBD I-VP O
Brussels NNP I-NP I-LOC
. . O O

-DOCSTART- -X- -X- O

Blackburn NNP I-NP I-PER
said VBD I-VP O
the DT I-NP O
European NNP I-NP I-ORG
Commission NNP I-NP I-ORG
met VBD I-VP O
in IN I-PP O
Brussels NNP I-NP I-LOC
. . O O
";

    fn tiny_file(name: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("ner_tiny_{}_{name}.conll", std::process::id()));
        std::fs::write(&p, TINY).unwrap();
        p
    }

    fn tiny_model(name: &str) -> (NerModel, TrainReport) {
        let f = tiny_file(name);
        let opts = TrainOptions {
            epochs: 5,
            stage2_epochs: 5,
            folds: 2,
            ..Default::default()
        };
        let r = train(std::slice::from_ref(&f), Some(&f), &opts).unwrap();
        let _ = std::fs::remove_file(&f);
        r
    }

    #[test]
    fn trains_roundtrips_and_predicts_on_token_boundaries() {
        let (m, report) = tiny_model("a");
        assert!(report.overall.f1() > 0.9, "{report}");
        let bytes = m.to_bytes();
        let m2 = NerModel::from_bytes(&bytes).unwrap();
        assert_eq!(m2.to_bytes(), bytes);
        let text = "Peter Blackburn visited Brussels.\nBLACKBURN SAID NOTHING";
        let toks = tokenize(text);
        let sents = sentences(text, &toks);
        let a = m.predict(text, &toks, &sents);
        assert_eq!(a, m2.predict(text, &toks, &sents));
        assert!(a.iter().any(|e| e.label == EntityLabel::Person));
        for e in &a {
            assert!(toks.iter().any(|t| t.span.start == e.span.start));
            assert!(toks.iter().any(|t| t.span.end == e.span.end));
        }
        // empty input
        assert!(m.predict("", &[], &[]).is_empty());
    }

    #[test]
    fn training_is_deterministic() {
        let (a, _) = tiny_model("b");
        let (b, _) = tiny_model("c");
        assert_eq!(a.to_bytes(), b.to_bytes());
    }

    #[test]
    fn corrupt_model_files_are_errors() {
        let (m, _) = tiny_model("d");
        let bytes = m.to_bytes();
        for cut in [0, 3, 8, 20, bytes.len() / 2, bytes.len() - 1] {
            assert!(NerModel::from_bytes(&bytes[..cut]).is_err());
        }
        let mut bad = bytes.clone();
        bad[12] ^= 0xff; // gazetteer count
        assert!(NerModel::from_bytes(&bad).is_err());
    }

    #[test]
    fn labels_spell_the_contract() {
        let s: Vec<_> = EntityLabel::ALL.iter().map(|l| l.as_str()).collect();
        assert_eq!(s, ["PERSON", "ORG", "LOC", "MISC"]);
    }
}
