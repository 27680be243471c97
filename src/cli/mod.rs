//! One module per subcommand; each parses its own arguments (clap) and calls
//! into the library stages.

pub mod codebook;
pub mod common;
pub mod dict;
pub mod eval;
pub mod explain;
pub mod keyness;
pub mod model;
pub mod report;
pub mod score;
pub mod train;
