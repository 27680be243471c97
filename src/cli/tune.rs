//! `train --tune`: a small declared grid of settings, each candidate
//! compared in inner folds of the rows a model is fitted on (nested
//! cross-validation). The grid is parsed and checked before any fitting,
//! as linfa checks its parameter sets.

use anyhow::{bail, Result};
use slant::choice::Choice;
use slant::features::{FeatureSpec, Weighting};
use slant::models::{Algorithm, ClassWeight};

/// Most candidates a grid may have: the search is there for honesty (the
/// settings are chosen away from the reported folds), not for breadth.
pub const MAX_CANDIDATES: usize = 32;

/// The settings `--tune` can vary, in the order a candidate is described.
const KEYS: [&str; 6] = ["c", "class-weight", "ngrams", "char-ngrams", "pos-ngrams", "weighting"];

/// The lengths `(min, max)` of an n-gram block, or none.
type Lengths = Option<(usize, usize)>;

/// One point of the grid: every setting a candidate may change.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub c: f64,
    pub class_weight: ClassWeight,
    pub ngrams: u8,
    pub char_ngrams: Option<(usize, usize)>,
    pub pos_ngrams: Option<(usize, usize)>,
    pub weighting: Weighting,
}

impl Setting {
    /// `base` with this setting's feature options.
    pub fn spec(&self, base: &FeatureSpec) -> FeatureSpec {
        FeatureSpec {
            ngram_max: self.ngrams as usize,
            char_ngrams: self.char_ngrams,
            pos_ngrams: self.pos_ngrams,
            weighting: self.weighting,
            ..base.clone()
        }
    }

    /// The feature options only: candidates that share them share a featurizer.
    pub fn feature_key(&self) -> (u8, Lengths, Lengths, Weighting) {
        (self.ngrams, self.char_ngrams, self.pos_ngrams, self.weighting)
    }

    fn value(&self, key: &str) -> String {
        match key {
            "c" => self.c.to_string(),
            "class-weight" => self.class_weight.name().to_string(),
            "ngrams" => self.ngrams.to_string(),
            "char-ngrams" => self.char_ngrams.map_or("none".to_string(), |(lo, hi)| format!("{lo}-{hi}")),
            "pos-ngrams" => self.pos_ngrams.map_or("none".to_string(), |(lo, hi)| format!("{lo}-{hi}")),
            "weighting" => self.weighting.name().to_string(),
            _ => unreachable!("keys are checked when the grid is parsed"),
        }
    }
}

/// A parsed `--tune` grid: the tuned keys (in [`KEYS`] order) and every
/// candidate (the Cartesian product of their values, the others fixed by
/// their own flags).
#[derive(Debug, Clone)]
pub struct TuneGrid {
    /// The grid as given, for the card and the model file.
    pub text: String,
    pub keys: Vec<&'static str>,
    pub candidates: Vec<Setting>,
}

impl TuneGrid {
    /// Parse `key=v,v;key=v,...` around `base` (the flags' values). `c`
    /// needs a logistic or linear-svm model; `char-ngrams` takes `none` or
    /// `MIN-MAX`.
    pub fn parse(text: &str, base: &Setting, algo: Algorithm) -> Result<TuneGrid> {
        let mut values: Vec<(&'static str, Vec<String>)> = Vec::new();
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((key, list)) = part.split_once('=') else {
                bail!("--tune: expected KEY=VALUE,VALUE,... separated by ';', got {part:?}");
            };
            let key = key.trim();
            let Some(&key) = KEYS.iter().find(|k| **k == key) else {
                bail!("--tune: unknown setting {key:?} (settings: {})", KEYS.join(", "));
            };
            if values.iter().any(|(k, _)| *k == key) {
                bail!("--tune: setting {key} is given twice");
            }
            let list: Vec<String> = list.split(',').map(|v| v.trim().to_string()).collect();
            if list.iter().any(String::is_empty) {
                bail!("--tune: {key} has an empty value in {part:?}");
            }
            let mut distinct = list.clone();
            distinct.sort();
            distinct.dedup();
            if distinct.len() != list.len() {
                bail!("--tune: {key} lists a value twice in {part:?}");
            }
            values.push((key, list));
        }
        if values.is_empty() {
            bail!("--tune: no setting given (e.g. --tune 'c=0.1,1,10;char-ngrams=none,2-5')");
        }
        if values.iter().any(|(k, _)| *k == "c") && !matches!(algo, Algorithm::Logistic | Algorithm::LinearSvm) {
            bail!("--tune c=...: C is a setting of --algo logistic and linear-svm only");
        }
        values.sort_by_key(|(k, _)| KEYS.iter().position(|x| x == k));
        let size: usize = values.iter().map(|(_, l)| l.len()).product();
        if size > MAX_CANDIDATES {
            bail!("--tune: the grid has {size} candidates; at most {MAX_CANDIDATES} (keep the search small)");
        }
        let mut candidates = vec![base.clone()];
        for (key, list) in &values {
            let mut next = Vec::with_capacity(candidates.len() * list.len());
            for cand in &candidates {
                for v in list {
                    let mut s = cand.clone();
                    set_value(&mut s, key, v)?;
                    next.push(s);
                }
            }
            candidates = next;
        }
        Ok(TuneGrid { text: text.trim().to_string(), keys: values.iter().map(|(k, _)| *k).collect(), candidates })
    }

    /// `key=value` of the tuned settings of candidate `s`, e.g. `c=1 char-ngrams=2-5`.
    pub fn describe(&self, s: &Setting) -> String {
        self.keys.iter().map(|k| format!("{k}={}", s.value(k))).collect::<Vec<_>>().join(" ")
    }

    /// The feature options that cover every candidate, for counting terms
    /// once: the largest n-gram, and the spans of the character and of the
    /// part-of-speech n-gram lengths (a candidate's featurizer keeps only
    /// its own terms).
    pub fn widest(&self) -> (u8, Lengths, Lengths) {
        let ngrams = self.candidates.iter().map(|s| s.ngrams).max().unwrap_or(1);
        let span = |ranges: &mut dyn Iterator<Item = (usize, usize)>| {
            ranges.fold(None, |acc, (lo, hi)| match acc {
                None => Some((lo, hi)),
                Some((a, b)) => Some((lo.min(a), hi.max(b))),
            })
        };
        let chars = span(&mut self.candidates.iter().filter_map(|s| s.char_ngrams));
        let pos = span(&mut self.candidates.iter().filter_map(|s| s.pos_ngrams));
        (ngrams, chars, pos)
    }
}

fn set_value(s: &mut Setting, key: &str, v: &str) -> Result<()> {
    match key {
        "c" => match v.parse::<f64>() {
            Ok(c) if c.is_finite() && c > 0.0 => s.c = c,
            _ => bail!("--tune: every c must be a positive number, not {v:?}"),
        },
        "class-weight" => {
            s.class_weight = ClassWeight::from_name(v)
                .ok_or_else(|| anyhow::anyhow!("--tune: class-weight is none or balanced, not {v:?}"))?
        }
        "ngrams" => match v {
            "1" => s.ngrams = 1,
            "2" => s.ngrams = 2,
            _ => bail!("--tune: ngrams is 1 or 2, not {v:?}"),
        },
        "char-ngrams" => {
            s.char_ngrams = if v == "none" {
                None
            } else {
                Some(super::train::parse_char_ngrams(v).map_err(|e| anyhow::anyhow!("--tune: char-ngrams: {e}"))?)
            }
        }
        "pos-ngrams" => {
            s.pos_ngrams = if v == "none" {
                None
            } else {
                Some(super::train::parse_pos_ngrams(v).map_err(|e| anyhow::anyhow!("--tune: pos-ngrams: {e}"))?)
            }
        }
        "weighting" => {
            s.weighting = Weighting::from_name(v).ok_or_else(|| {
                anyhow::anyhow!(
                    "--tune: weighting is one of {}, not {v:?}",
                    Weighting::CHOICES.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
                )
            })?
        }
        _ => unreachable!("keys are checked before values"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Setting {
        Setting {
            c: 1.0,
            class_weight: ClassWeight::None,
            ngrams: 1,
            char_ngrams: None,
            pos_ngrams: None,
            weighting: Weighting::TfIdf,
        }
    }

    #[test]
    fn grid_is_the_product_of_the_tuned_keys_in_key_order() {
        let g = TuneGrid::parse("char-ngrams=none,2-5; c=0.1,10", &base(), Algorithm::Logistic).unwrap();
        assert_eq!(g.keys, vec!["c", "char-ngrams"]);
        let d: Vec<String> = g.candidates.iter().map(|s| g.describe(s)).collect();
        assert_eq!(
            d,
            ["c=0.1 char-ngrams=none", "c=0.1 char-ngrams=2-5", "c=10 char-ngrams=none", "c=10 char-ngrams=2-5"]
        );
        // Untuned settings keep the flags' values.
        assert!(g.candidates.iter().all(|s| s.ngrams == 1 && s.weighting == Weighting::TfIdf));
        assert_eq!(g.widest(), (1, Some((2, 5)), None));
        let g = TuneGrid::parse("pos-ngrams=none,1-3,2-4; c=1", &base(), Algorithm::Logistic).unwrap();
        assert_eq!(g.keys, vec!["c", "pos-ngrams"]);
        assert_eq!(g.describe(&g.candidates[1]), "c=1 pos-ngrams=1-3");
        assert_eq!(g.candidates.iter().map(|s| s.pos_ngrams).collect::<Vec<_>>(), [None, Some((1, 3)), Some((2, 4))]);
        assert_eq!(g.widest(), (1, None, Some((1, 4))));
    }

    #[test]
    fn bad_grids_are_refused_before_fitting() {
        let bad = [
            ("", "no setting"),
            ("c", "expected KEY=VALUE"),
            ("alpha=1", "unknown setting"),
            ("c=1;c=2", "given twice"),
            ("c=1,1", "value twice"),
            ("c=1,-2", "positive number"),
            ("c=1,", "empty value"),
            ("ngrams=3", "1 or 2"),
            ("char-ngrams=5-2", "char-ngrams"),
            ("pos-ngrams=0-3", "pos-ngrams"),
            ("pos-ngrams=1-6", "pos-ngrams"),
            ("weighting=idf", "weighting is one of"),
            ("class-weight=auto", "none or balanced"),
            ("c=1,2,3,4,5,6,7,8,9;ngrams=1,2;char-ngrams=none,2-5", "at most 32"),
        ];
        for (grid, msg) in bad {
            let e = TuneGrid::parse(grid, &base(), Algorithm::Logistic).unwrap_err().to_string();
            assert!(e.contains(msg), "{grid:?}: {e}");
        }
        let e = TuneGrid::parse("c=1,10", &base(), Algorithm::NaiveBayes).unwrap_err().to_string();
        assert!(e.contains("logistic and linear-svm only"), "{e}");
        assert!(TuneGrid::parse("ngrams=1,2", &base(), Algorithm::NaiveBayes).is_ok());
    }
}
