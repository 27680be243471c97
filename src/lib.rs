//! slant: measure how news is framed.
//!
//! The pipeline, one module per stage, each depending only on earlier ones:
//! [`read`] (corpus -> documents) -> [`text`] (tokens, sentences, quotes,
//! stems) -> [`signals`] (lexicon matches, code rules, side mentions,
//! counts) -> [`pipeline`] (one scored document) -> [`output`] (columns,
//! CSV, codebook, manifests). [`cmd`] holds the subcommands.

pub mod choice;
pub mod engine;
pub mod error;
pub mod eval;
pub mod features;
pub mod files;
pub mod keyness;
pub mod models;
pub mod output;
pub mod read;
pub mod signals;
pub mod text;
