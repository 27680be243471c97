//! slant: measure how news is framed.
//!
//! The pipeline, one module per stage, each depending only on earlier ones:
//! [`read`] (corpus -> documents) -> [`text`] (tokens, sentences, quotes,
//! stems, part-of-speech tags) -> [`signals`] (lexicon matches, code rules,
//! sources, side mentions, counts) -> [`features`] (model features) ->
//! [`models`] (estimators and the trained-model file) -> [`engine`] (the
//! streaming worker pool that scores documents in input order) ->
//! [`output`] (columns, tables, codebook, report, manifests).
//!
//! Beside it: [`eval`] (folds and metrics), [`keyness`] (group marker
//! terms), [`kwic`] (matches in their sentence) and [`summarize`] (group comparison of score columns); low-level
//! [`error`], [`files`] (atomic writes) and [`choice`] (named options). The
//! command line lives in the binary (`src/cli`), not here.

pub mod choice;
pub mod engine;
pub mod error;
pub mod eval;
pub mod features;
pub mod files;
pub mod keyness;
pub mod kwic;
pub mod models;
pub mod output;
pub mod read;
pub mod signals;
pub mod summarize;
pub mod text;
