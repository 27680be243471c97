//! Options shared by several subcommands, the parsers for the library's
//! named choices, and the console: messages, warnings and the progress bar
//! on standard error.

use anyhow::{Context, Result};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::Args;
use slant::choice::Choice;
use slant::engine::{EngineConfig, Observer, Progress};
use slant::output::table::OutputConfig;
use slant::output::OutputFormat;
use slant::read::{Document, Format, ReadError, ReadOptions};
use slant::signals::dict::Dictionary;
use slant::signals::lexicon::{Lexicon, Sides};
use slant::signals::SignalSet;
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
    #[arg(long, value_parser = choice::<Format>(), value_name = "FORMAT")]
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
            bytes_read: Default::default(),
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
            let dict = Dictionary::parse(p, &text)?;
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

/// A clap parser for a library enum with named choices; `--help` lists
/// each name with its help line.
pub fn choice<T: Choice>() -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(T::CHOICES.iter().map(|(name, _, help)| PossibleValue::new(*name).help(*help)))
        .map(|name| T::from_name(&name).expect("clap accepts only listed names"))
}

/// How every table of a subcommand is written.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Format of all tabular outputs.
    #[arg(long, value_parser = choice::<OutputFormat>(), default_value = "csv")]
    pub format: OutputFormat,

    /// For Excel: start each CSV with a UTF-8 BOM and cap text cells at
    /// 32,767 characters (with a warning).
    #[arg(long)]
    pub excel: bool,

    /// Write text cells exactly as they are. By default, text cells (ids,
    /// kept columns, matched text, labels) that start with = + - @ tab or CR
    /// get a leading ' so spreadsheets do not run them as formulas (OWASP
    /// CSV-injection guidance); numbers are never altered.
    #[arg(long)]
    pub raw_text: bool,
}

impl OutputArgs {
    pub fn config(&self) -> OutputConfig {
        OutputConfig { format: self.format, excel: self.excel, raw_text: self.raw_text, resume: false }
    }
}

/// How a subcommand runs over a corpus.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Print nothing on standard error except errors.
    #[arg(short, long)]
    pub quiet: bool,
}

impl RunArgs {
    pub fn engine_config(&self) -> EngineConfig {
        EngineConfig { threads: self.threads.unwrap_or(0), ..EngineConfig::default() }
    }
}

/// Messages on standard error while a corpus is processed: skipped records
/// always, warnings unless quiet, and a progress bar when a person watches
/// a terminal.
pub struct Console {
    quiet: bool,
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
}

impl Console {
    pub fn new(quiet: bool) -> Self {
        Console { quiet, bar: None, started: std::time::Instant::now() }
    }

    /// With a progress bar over `inputs` when standard error is a terminal:
    /// position = input bytes read (file sizes known up front give a
    /// percentage and an ETA), a spinner when the size is unknown (stdin).
    pub fn with_progress(quiet: bool, inputs: &[PathBuf]) -> Self {
        use std::io::IsTerminal;
        let mut console = Console::new(quiet);
        if quiet || !std::io::stderr().is_terminal() {
            return console;
        }
        let bar = match slant::read::input_size(inputs) {
            Some(total) if total > 0 => {
                let bar = indicatif::ProgressBar::new(total);
                let style = indicatif::ProgressStyle::with_template("{bar:20} {percent:>3}% {msg}, ETA {eta}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
                bar.set_style(style);
                bar
            }
            _ => indicatif::ProgressBar::new_spinner(),
        };
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        console.bar = Some(bar);
        console
    }

    /// A warning line (suppressed by -q), printed above the progress bar.
    pub fn warn(&self, message: &str) {
        if !self.quiet {
            self.print(&format!("slant: warning: {message}"));
        }
    }

    /// An information line (suppressed by -q).
    pub fn info(&self, message: &str) {
        if !self.quiet {
            self.print(&format!("slant: {message}"));
        }
    }

    fn print(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Remove the bar before the closing summary.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Observer for Console {
    fn warning(&self, doc: &Document, message: &str) {
        self.warn(&format!("{} (document '{}'): {message}", doc.location, doc.id));
    }

    fn duplicate_id(&self, doc: &Document) {
        self.warn(&format!("{}: duplicate doc_id '{}'", doc.location, doc.id));
    }

    fn skipped(&self, error: &ReadError) {
        self.print(&format!("slant: skipped: {error}"));
    }

    fn progress(&self, p: &Progress) {
        let Some(bar) = &self.bar else { return };
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        bar.set_position(p.input_bytes_read);
        // Short enough for an 80-column terminal with the bar.
        bar.set_message(format!(
            "{} docs, {:.0} MB, {:.1} MB/s, {:.0} docs/s",
            p.documents,
            p.text_bytes as f64 / 1e6,
            p.text_bytes as f64 / 1e6 / secs,
            p.documents as f64 / secs
        ));
    }
}
