//! `slant lexicon`: the lexicons compiled into the binary, written out so a
//! researcher who installed slant with `cargo install` can read, cite and
//! edit them (and load the edited file with `--lexicon` / `--sides`).

use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use slant::files::AtomicOutput;
use slant::keyness::BUILTIN_STOP_WORDS;
use slant::signals::lexicon::{BUILTIN_FRAMING, BUILTIN_SIDES};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Which {
    /// The framing lexicon (hedge, distancing, booster, attribution, sourcing, loaded, ...).
    Framing,
    /// The partisan sides file (party, ideology, stance).
    Sides,
    /// The stop-word list of `slant keyness --stop-words` (English function words).
    Stopwords,
}

#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// Write a built-in lexicon exactly as compiled in (TSV with its comments,
    /// literature and format notes; see docs/LEXICONS.md).
    #[command(
        after_help = "Examples:\n  slant lexicon export -o framing.tsv\n  slant lexicon export sides -o sides.tsv\n  slant lexicon export stopwords -o stopwords.tsv   # for slant keyness --stop-words FILE\n  slant score corpus/ --lexicon framing.tsv --sides sides.tsv -o scores.csv   # after editing"
    )]
    Export {
        /// Which lexicon.
        #[arg(value_enum, default_value = "framing")]
        which: Which,
        /// Output file (default: standard output); written atomically.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

pub fn run(cmd: LexiconCommand) -> Result<()> {
    match cmd {
        LexiconCommand::Export { which, output } => {
            let text = match which {
                Which::Framing => BUILTIN_FRAMING,
                Which::Sides => BUILTIN_SIDES,
                Which::Stopwords => BUILTIN_STOP_WORDS,
            };
            let out = AtomicOutput::create(output.as_deref())?;
            let mut w = out.writer()?;
            w.write_all(text.as_bytes())?;
            w.flush()?;
            drop(w);
            out.commit()?;
            Ok(())
        }
    }
}
