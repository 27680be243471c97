//! Options shared by several subcommands.

use crate::read::{Format, ReadOptions};
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
}

impl InputArgs {
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            format: self.input_format,
            id_col: self.id_col.clone(),
            text_col: self.text_col.clone(),
            keep_cols: self.keep_cols.clone(),
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
