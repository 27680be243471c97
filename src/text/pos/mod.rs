//! Part-of-speech tagging of slant's tokens.
//!
//! An averaged perceptron (Collins 2002) over hashed features of the
//! classic greedy tagger (word, affixes, shape, the words around, the two
//! previous predicted tags; Honnibal's "200 lines of Python" set), plus
//! ambiguity classes (the set of tags a word had in training) of the word
//! and its neighbours and, for ambiguous words, the word joined with what
//! follows it, predicts `UPOS|XPOS` pairs, so both tag sets come from one
//! decision. It is
//! trained on slant's own tokenization of UD English EWT (see
//! [`train::align`]), because slant's tokens ("don't", "so-called") are
//! what it tags.
//!
//! ```no_run
//! use slant::text::pos::{Scratch, Tagger, Upos};
//! let tagger = Tagger::builtin();
//! let mut scratch = Scratch::new();
//! let mut tags = Vec::new();
//! tagger.tag(&["The", "officials", "said", "it", "may", "rain", "."], &mut scratch, &mut tags);
//! assert_eq!(tags[2].upos, Upos::Verb);
//! ```
//!
//! This module knows nothing of the command line: errors are [`PosError`]
//! values and nothing is printed.

mod features;
mod model;
mod tagger;
mod tags;
pub mod train;

#[cfg(test)]
mod tests;

pub use features::Template;
pub use model::{
    AccuracyReport, DataFile, FeatureInfo, ModelHeader, TrainingInfo, WeightsInfo, BUILTIN_MODEL, FORMAT, VERSION,
};
pub use tagger::{Scratch, Tagger};
pub use tags::{PosTag, Upos, Xpos};

use std::path::PathBuf;

/// Errors of loading, saving and training models.
#[derive(Debug, thiserror::Error)]
pub enum PosError {
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the POS model file is truncated (its JSON ends early, at line {line}, column {column})")]
    Truncated { line: usize, column: usize },
    #[error("the POS model file is not a valid model: {0}")]
    Json(#[from] serde_json::Error),
    #[error("not a slant POS tagger model: format is {found:?}, expected {expected:?}")]
    WrongFormat { found: String, expected: &'static str },
    #[error("POS model format version {found} is not supported (this build reads version {supported})")]
    Version { found: u32, supported: u32 },
    #[error("the POS model's weights are corrupt: {0}")]
    Corrupt(String),
    #[error("the POS model's shape is inconsistent: {0}")]
    Shape(String),
    #[error("unknown tag {0:?} in the POS model")]
    UnknownTag(String),
    #[error("{path}:{line}: {message}")]
    Conllu { path: String, line: usize, message: String },
    #[error("no training data: {0}")]
    NoData(String),
    #[error("invalid training setting: {0}")]
    Setting(String),
}
