//! `slant dict`: work with custom dictionaries loaded at run time with
//! `--dict` (LIWC `.dic`, quanteda-style YAML, CSV).

use anyhow::{bail, Result};
use clap::Subcommand;
use slant::signals::dict::{Dictionary, Severity};
use slant::signals::lexicon::Lexicon;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum DictCommand {
    /// Parse dictionary files and report every problem with its line number.
    /// Exit status 1 when a file has errors; warnings (e.g. duplicate entries)
    /// do not fail.
    #[command(
        after_help = "Examples:\n  slant dict validate my_dictionary.dic\n  slant dict validate datasets/dictionaries/economy.dic datasets/dictionaries/economy.yml datasets/dictionaries/economy.csv\n  slant score articles/ --dict my_dictionary.dic -o scores.csv"
    )]
    Validate {
        /// Dictionary files: .dic (LIWC), .yml/.yaml (quanteda-style), .csv (term,category[,weight]).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

pub fn run(cmd: DictCommand) -> Result<()> {
    match cmd {
        DictCommand::Validate { files } => validate(&files),
    }
}

fn validate(files: &[PathBuf]) -> Result<()> {
    let (mut total_errors, mut bad_files) = (0usize, 0usize);
    // Loaded together (several --dict), the files must not share a category.
    let mut combined = Lexicon::builtin();
    for path in files {
        let name = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                println!("{name}: error: cannot read: {e}");
                total_errors += 1;
                bad_files += 1;
                continue;
            }
        };
        let d = match Dictionary::parse(path, &text) {
            Ok(d) => d,
            Err(m) => {
                println!("{m}");
                total_errors += 1;
                bad_files += 1;
                continue;
            }
        };
        for p in &d.problems {
            let sev = match p.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            println!("{name}:{}: {sev}: {}", p.line, p.message);
        }
        let errors = d.errors().count();
        let mut warnings = d.warnings().count();
        if errors == 0 {
            if let Err(e) = combined.add_dictionary(&d) {
                println!(
                    "{}:{}: warning: {} (only when loaded together with the files before it)",
                    e.file, e.line, e.message
                );
                warnings += 1;
            }
        }
        let cats: Vec<&str> = d.categories.iter().map(|c| c.column.as_str()).collect();
        println!(
            "{name}: {} categories ({}), {} entries, {warnings} warning(s), {errors} error(s)",
            d.categories.len(),
            cats.join(", "),
            d.entries.len()
        );
        total_errors += errors;
        bad_files += (errors > 0) as usize;
    }
    if total_errors > 0 {
        bail!("{total_errors} error(s) in {bad_files} of {} dictionary file(s)", files.len());
    }
    Ok(())
}
