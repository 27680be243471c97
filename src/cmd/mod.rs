//! One module per subcommand; each parses its own arguments (clap) and calls
//! into the library stages.

pub mod codebook;
pub mod common;
pub mod explain;
pub mod score;
