//! Options shared by several subcommands.

use crate::read::{Format, ReadOptions};
use crate::signals::dict::Dictionary;
use crate::signals::lexicon::{Lexicon, Sides};
use crate::signals::SignalSet;
use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;

/// Where documents come from.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Input files or folders: a folder of .txt files (recursive), .csv, .tsv,
    /// .jsonl, or .txt; any of them may be gzip-compressed (.gz). `-` reads
    /// standard input (plain text unless --input-format says otherwise).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Input format, when it cannot be told from the file name (e.g. stdin).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<Format>,

    /// CSV/TSV column or JSONL field holding the document id, by name or
    /// 1-based index. Default: `id` if present, else the record number.
    #[arg(long, visible_alias = "id-field", value_name = "COLUMN")]
    pub id_col: Option<String>,

    /// CSV/TSV column or JSONL field holding the text, by name or 1-based
    /// index. Default: `text`.
    #[arg(long, visible_alias = "text-field", value_name = "COLUMN")]
    pub text_col: Option<String>,

    /// Comma-separated columns/fields copied unchanged into the output
    /// (e.g. `outlet,date`).
    #[arg(long, value_delimiter = ',', value_name = "COLUMNS")]
    pub keep_cols: Vec<String>,

    /// Skip (and report) documents larger than this many megabytes (10^6
    /// bytes of text); 0 = no limit. A single document is held whole while
    /// it is scored, at about 17 times its size in memory, and one that
    /// large is usually a broken export (e.g. a stray quote in a CSV).
    #[arg(long, value_name = "MB", default_value_t = 100)]
    pub max_doc_mb: u64,
}

impl InputArgs {
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            format: self.input_format,
            id_col: self.id_col.clone(),
            text_col: self.text_col.clone(),
            keep_cols: self.keep_cols.clone(),
            max_doc_bytes: (self.max_doc_mb > 0).then(|| self.max_doc_mb.saturating_mul(1_000_000)),
        }
    }
}

/// Which lexicons to use.
#[derive(Debug, Clone, Args)]
pub struct LexiconArgs {
    /// Framing lexicon file (TSV; see docs/LEXICONS.md). Default: the shipped
    /// models/lexicons/framing.tsv, built into the binary.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,

    /// Partisan sides file (TSV). Default: the shipped
    /// models/lexicons/sides.tsv (US politics), built into the binary.
    #[arg(long, value_name = "FILE")]
    pub sides: Option<PathBuf>,

    /// Custom dictionary adding categories `dict_<name>` (repeatable): LIWC
    /// .dic, quanteda-style .yml/.yaml, or .csv (term,category[,weight]).
    /// Plain entries match the exact word (any case), `word*` any word
    /// starting with `word`. Check a file with `slant dict validate FILE`.
    #[arg(long = "dict", value_name = "FILE")]
    pub dicts: Vec<PathBuf>,
}

impl LexiconArgs {
    pub fn load(&self) -> Result<SignalSet> {
        let lexicon = match &self.lexicon {
            Some(p) => {
                let text =
                    std::fs::read_to_string(p).with_context(|| format!("cannot read lexicon {}", p.display()))?;
                Lexicon::parse(&p.display().to_string(), &text)?
            }
            None => Lexicon::builtin(),
        };
        let mut lexicon = lexicon;
        for p in &self.dicts {
            let text = std::fs::read_to_string(p).with_context(|| format!("cannot read dictionary {}", p.display()))?;
            let dict = Dictionary::parse(p, &text).map_err(anyhow::Error::msg)?;
            let warnings = dict.warnings().count();
            if warnings > 0 {
                eprintln!(
                    "slant: warning: {}: {warnings} warning(s) (e.g. line {}: {}); `slant dict validate {}` lists them",
                    p.display(),
                    dict.warnings().next().map_or(0, |w| w.line),
                    dict.warnings().next().map_or("", |w| w.message.as_str()),
                    p.display()
                );
            }
            lexicon.add_dictionary(&dict)?;
        }
        let sides = match &self.sides {
            Some(p) => {
                let text =
                    std::fs::read_to_string(p).with_context(|| format!("cannot read sides file {}", p.display()))?;
                Sides::parse(&p.display().to_string(), &text)?
            }
            None => Sides::builtin(),
        };
        Ok(SignalSet::new(lexicon, sides)?)
    }
}
