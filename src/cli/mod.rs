//! The command line: one module per subcommand, each parsing its own
//! arguments (clap) into the library's configuration and calling the
//! library. Everything printed to the terminal is printed from here.

pub mod codebook;
pub mod common;
pub mod dict;
pub mod eval;
pub mod explain;
pub mod keyness;
pub mod kwic;
pub mod labelled;
pub mod lexicon;
pub mod model;
pub mod report;
pub mod score;
pub mod summarize;
pub mod terms;
pub mod tokens;
pub mod train;
pub mod train_multilabel;
pub mod tune;
