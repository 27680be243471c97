//! Options shared by several subcommands, the parsers for the library's
//! named choices, and the console: messages, warnings and the progress bar
//! on standard error.

use anyhow::{Context, Result};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::Args;
use slant::choice::Choice;
use slant::engine::{Engine, EngineConfig, Item, Observer, Progress, Summary};
use slant::files::Reads;
use slant::models::artifact::{ModelFile, TrainedModel};
use slant::output::columns::Schema;
use slant::output::table::{OutputConfig, Table};
use slant::output::OutputFormat;
use slant::read::{Corpus, Document, Format, InputNotes, ReadError, ReadOptions, SharedNotes};
use slant::signals::dict::Dictionary;
use slant::signals::lexicon::{Lexicon, Sides};
use slant::signals::{SignalSet, Worker};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Where documents come from.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Input files or folders: a folder of .txt and .html/.htm files
    /// (recursive), .csv, .tsv, .jsonl, .json (a JSON array of records, or
    /// JSON Lines), .html/.htm (the page's main text), or .txt; any of them
    /// may be gzip-compressed (.gz). `-` reads standard input (plain text
    /// unless --input-format says otherwise).
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

    /// Comma-separated columns/fields copied into the output (e.g.
    /// `outlet,date`): unchanged, except that in CSV and TSV a text cell
    /// starting with = + - @ gets a leading ' (see --raw-text).
    #[arg(long, value_delimiter = ',', value_name = "COLUMNS")]
    pub keep_cols: Vec<String>,

    /// What the text column/field holds: `html` extracts the main text of
    /// each record's HTML (markup, navigation and ad labels dropped; offsets
    /// then refer to the extracted text: see --write-text).
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "html"], default_value = "text")]
    pub text_format: String,

    /// Also write the text of every document, as analysed (after HTML
    /// extraction and normalisation), to DIR/<doc_id>.txt: the text the
    /// character offsets of the outputs refer to. An id with characters
    /// other than letters, digits, `._-` and `/` (folders) gets `~` and 8
    /// hex digits of its SHA-256 before `.txt`, so no two ids share a file.
    #[arg(long, value_name = "DIR")]
    pub write_text: Option<PathBuf>,

    /// Field delimiter of CSV/TSV input: one character, e.g. `;` for the
    /// CSVs of spreadsheets set to a European locale, `|`, or `tab`.
    #[arg(long, value_parser = parse_delimiter, value_name = "CHAR")]
    pub delimiter: Option<u8>,

    /// Character encoding of input that is not UTF-8, e.g. `windows-1252`,
    /// `latin1`, `iso-8859-15`, `shift_jis`, `gbk` (WHATWG names, as
    /// browsers read them: latin1 is read as windows-1252). A byte-order
    /// mark in a file overrides it. Default: UTF-8 (UTF-16 by its BOM).
    #[arg(long, value_parser = parse_encoding, value_name = "NAME")]
    pub encoding: Option<&'static encoding_rs::Encoding>,

    /// Skip (and report) documents larger than this many megabytes (10^6
    /// bytes of text); 0 = no limit. A single document is held whole while
    /// it is scored, at about 17 times its size in memory, and one that
    /// large is usually a broken export (e.g. a stray quote in a CSV).
    #[arg(long, value_name = "MB", default_value_t = 100)]
    pub max_doc_mb: u64,
}

impl InputArgs {
    /// What this run reads: the inputs and `extra` (model files ...), how
    /// folders are read, and the `--write-text` folder, for
    /// [`OutputArgs::check_outputs`].
    pub fn files_read<'a>(&'a self, extra: &[&'a Path]) -> Reads<'a> {
        Reads {
            paths: self.inputs.iter().map(PathBuf::as_path).chain(extra.iter().copied()).collect(),
            every_file_of_folders: self.input_format == Some(Format::Txt),
            text_folder: self.write_text.as_deref(),
        }
    }

    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            format: self.input_format,
            id_col: self.id_col.clone(),
            text_col: self.text_col.clone(),
            keep_cols: self.keep_cols.clone(),
            max_doc_bytes: (self.max_doc_mb > 0).then(|| self.max_doc_mb.saturating_mul(1_000_000)),
            keep_col_roles: Vec::new(),
            delimiter: self.delimiter,
            encoding: self.encoding,
            text_is_html: self.text_format == "html",
            bytes_read: Default::default(),
            notes: Default::default(),
        }
    }
}

/// `--delimiter`: one ASCII character, or `tab`.
fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" && s != "\r" => Ok(s.as_bytes()[0]),
        _ => Err(format!(
            "'{s}' is not one character: give the delimiter itself (`;`, `|`, `,`) or `tab`, quoted for the shell (--delimiter ';')"
        )),
    }
}

/// `--encoding`: a WHATWG encoding label.
fn parse_encoding(s: &str) -> Result<&'static encoding_rs::Encoding, String> {
    encoding_rs::Encoding::for_label(s.trim().as_bytes()).ok_or_else(|| {
        format!(
            "unknown encoding '{s}' (e.g. utf-8, windows-1252, latin1, iso-8859-15, utf-16le, shift_jis, gbk, koi8-r)"
        )
    })
}

/// `--limit N`: 0 means no limit, as `--max-doc-mb 0` does.
pub fn no_limit_if_zero(limit: Option<usize>) -> Option<usize> {
    limit.filter(|&n| n > 0)
}

/// Subcommands where `--keep-cols` has nowhere to go refuse it, rather
/// than accept it and write nothing of it.
pub fn refuse_keep_cols(input: &InputArgs, command: &str, instead: &str) -> Result<()> {
    if !input.keep_cols.is_empty() {
        anyhow::bail!("--keep-cols: `slant {command}` writes no per-document rows to copy columns into; {instead}");
    }
    Ok(())
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
    /// The lexicon, sides and dictionary files given (read by the run, so
    /// no output may replace them).
    pub fn files(&self) -> Vec<&Path> {
        self.lexicon.iter().chain(&self.sides).chain(&self.dicts).map(PathBuf::as_path).collect()
    }

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
                note!(
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
    /// Format of all tabular outputs. Default: each output file's own
    /// extension (.csv, .tsv, .jsonl, .parquet), CSV for other names and
    /// for standard output. A file named for another format than the one
    /// given gets a warning (`--format tsv -o x.csv`).
    #[arg(long, value_parser = choice::<OutputFormat>())]
    pub format: Option<OutputFormat>,

    /// For Excel: start each CSV with a UTF-8 BOM and cap text cells at
    /// 32,767 characters (with a warning).
    #[arg(long)]
    pub excel: bool,

    /// Write text cells exactly as they are. By default, text cells (ids,
    /// kept columns, matched text, labels) that start with = + - @ tab or CR
    /// get a leading ' so spreadsheets do not run them as formulas (OWASP
    /// CSV-injection guidance), in CSV and TSV, and one that starts with ' before
    /// one of them gets one more (so one leading ' can always be stripped); a
    /// cell that is a number (-0.35, +1) is left alone, and JSONL and Parquet
    /// keep every cell exactly.
    #[arg(long)]
    pub raw_text: bool,
}

impl OutputArgs {
    pub fn config(&self) -> OutputConfig {
        OutputConfig { format: self.format, excel: self.excel, raw_text: self.raw_text, resume: false }
    }

    /// Check the outputs before anything is read or written:
    /// - an error for an output that is an input file or another output
    ///   (`score corpus.csv -o corpus.csv`, `-o x.csv --matches x.csv`), or
    ///   a folder;
    /// - an error for a name of another table format (`-o scores.xlsx`,
    ///   `-o scores.json`): slant writes CSV, TSV, JSONL and Parquet only;
    /// - a warning (unless `quiet`) for each file named for another format
    ///   than `--format` (`--format tsv -o x.csv`);
    /// - an error for Parquet on a terminal.
    ///
    /// `outputs` pairs each output with the option naming it (`None` or `-`
    /// is standard output: leave out outputs not asked for); `reads` is
    /// what the run reads ([`InputArgs::files_read`]).
    pub fn check_outputs(&self, outputs: &[(&str, Option<&Path>)], reads: &Reads, quiet: bool) -> Result<()> {
        use std::io::IsTerminal;
        let config = self.config();
        for &(flag, path) in outputs {
            let to_stdout = path.is_none_or(|p| p == Path::new("-"));
            if to_stdout && config.format_for(None) == OutputFormat::Parquet && std::io::stdout().is_terminal() {
                anyhow::bail!(
                    "--format parquet writes a binary file: give one with -o FILE.parquet, or redirect standard output"
                );
            }
            if let Some(p) = path {
                if let Some(ext) = other_table_format(p) {
                    anyhow::bail!(
                        "{flag} {}: slant writes tables as CSV, TSV, JSONL or Parquet, not .{ext}; name the file \
                         *.csv (add --excel for Excel), *.tsv, *.jsonl or *.parquet",
                        p.display()
                    );
                }
            }
            if let (Some(format), Some(p), false) = (self.format, path, quiet) {
                if let Some(message) = format.name_mismatch(p) {
                    note!("slant: warning: {message}");
                }
            }
        }
        let named: Vec<(&str, &Path)> =
            outputs.iter().map(|&(flag, p)| (flag, p.unwrap_or_else(|| Path::new("-")))).collect();
        slant::files::check_distinct_outputs(reads, &named)?;
        Ok(())
    }
}

/// The extension of an output name that says it is another kind of file
/// than the tables slant writes (a spreadsheet workbook, JSON, HTML, a
/// statistics package's file), so that a CSV is not written under it.
fn other_table_format(p: &Path) -> Option<String> {
    // Compressed names too: slant writes no compressed tables.
    const OTHER: [&str; 20] = [
        "xlsx", "xls", "xlsm", "ods", "numbers", "json", "html", "htm", "xml", "sav", "dta", "rds", "rdata", "feather",
        "gz", "bz2", "xz", "zst", "zip", "7z",
    ];
    let ext = p.extension()?.to_str()?.to_ascii_lowercase();
    OTHER.contains(&ext.as_str()).then_some(ext)
}

/// How a subcommand runs over a corpus.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Print nothing on standard error except errors and lost input.
    #[arg(short, long)]
    pub quiet: bool,

    /// Exit with status 0 even when records or files were skipped (by
    /// default such a run exits with 3 after writing its outputs).
    #[arg(long)]
    pub allow_skips: bool,
}

impl RunArgs {
    pub fn engine_config(&self) -> EngineConfig {
        EngineConfig { threads: self.threads.unwrap_or(0), ..EngineConfig::default() }
    }
}

/// The exit statuses of `slant` (README "Exit status", `slant --help`).
pub mod status {
    /// Everything was read and processed.
    pub const OK: i32 = 0;
    /// The run stopped on an error (bad option value, unreadable lexicon or
    /// model, output not writable, `--strict` at a bad record); nothing written.
    pub const ERROR: i32 = 1;
    /// The command line itself is wrong (clap's usage error).
    pub const USAGE: i32 = 2;
    /// The run finished and wrote its outputs, but some input was lost
    /// (records or files skipped); `--allow-skips` makes this 0.
    pub const INPUT_LOST: i32 = 3;
    /// Nothing usable in the input: no documents at all, or a column or
    /// field the options name is not there; nothing written.
    pub const NO_INPUT: i32 = 4;
    /// Interrupted (Ctrl-C, SIGTERM, SIGHUP): the unfinished outputs were
    /// removed, the previous outputs are as they were (128 + SIGINT, as
    /// shells report an interrupted command).
    pub const INTERRUPTED: i32 = 130;
}

/// How a subcommand ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything read was processed.
    Complete,
    /// Outputs written, but input records or files were skipped.
    InputLost,
}

impl Outcome {
    pub fn status(self) -> i32 {
        match self {
            Outcome::Complete => status::OK,
            Outcome::InputLost => status::INPUT_LOST,
        }
    }
}

/// The run read no document it could use (exit status 4); the message
/// says what was found instead and how to read it.
#[derive(Debug)]
pub struct NoUsableInput(pub String);

impl std::fmt::Display for NoUsableInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NoUsableInput {}

/// The exit status for an error: 4 when the input was unusable (a fatal
/// read error or no documents), else 1.
pub fn error_status(e: &anyhow::Error) -> i32 {
    let unusable = e.chain().any(|c| {
        c.downcast_ref::<NoUsableInput>().is_some()
            || c.downcast_ref::<ReadError>().is_some_and(|r| r.fatal)
            || c.downcast_ref::<slant::error::Error>()
                .or_else(|| c.downcast_ref::<Box<slant::error::Error>>().map(|b| &**b))
                .is_some_and(|e| matches!(e, slant::error::Error::Read(r) if r.fatal))
    });
    if unusable {
        status::NO_INPUT
    } else {
        status::ERROR
    }
}

/// The run's lexicons and its model files, loaded side by side: each model
/// file is read, checked and parsed on a thread of its own while this one
/// compiles the lexicons; then each model takes the run's compiled set if
/// it embeds the same files (the shipped models do), instead of compiling
/// them again. Errors come in a fixed order whatever the threads do: a
/// `--model` value that names a corpus file or folder first (checked before
/// anything loads), then the lexicons, then the models as listed.
pub fn load_lexicons_and_models(
    lexicons: &LexiconArgs,
    paths: &[PathBuf],
) -> Result<(std::sync::Arc<SignalSet>, Vec<TrainedModel>)> {
    for p in paths {
        check_model_path(p)?;
    }
    std::thread::scope(|scope| {
        let parsing: Vec<_> = paths.iter().map(|p| scope.spawn(move || ModelFile::load_with_sha256(p))).collect();
        let set = std::sync::Arc::new(lexicons.load()?);
        slant::models::artifact::share_compiled_lexicons(&set);
        let models = paths
            .iter()
            .zip(parsing)
            .map(|(p, thread)| {
                let (file, sha256) = thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
                Ok(TrainedModel::from_loaded(file, sha256, p)?)
            })
            .collect::<Result<Vec<_>>>()?;
        // Every model's columns are named after the model (p_<name>_<label>):
        // two models of one name would give two columns of one name, which
        // pandas, R and Parquet readers resolve to one of them.
        for (i, m) in models.iter().enumerate() {
            if let Some(j) = models[..i].iter().position(|o| o.file.name == m.file.name) {
                anyhow::bail!(
                    "--model {} and --model {} are both named '{}', so their columns (p_{}_*) would have the same \
                     names; score them in separate runs, or retrain one with `slant train --name OTHER`",
                    paths[j].display(),
                    paths[i].display(),
                    m.file.name,
                    m.file.name
                );
            }
        }
        Ok((set, models))
    })
}

/// Model files for `--model` (several values): a folder or a corpus file
/// (.txt, .csv, .tsv, .jsonl) is refused with a hint, since `--model a.json
/// corpus/` reads `corpus/` as a model.
fn check_model_path(p: &Path) -> Result<()> {
    let name = p.to_string_lossy().to_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let corpus_file = matches!(Format::detect(p), Some(Format::Txt | Format::Csv | Format::Tsv))
        || name.ends_with(".jsonl")
        || name.ends_with(".ndjson");
    if p.is_dir() || corpus_file {
        anyhow::bail!(
            "--model {}: not a model file (a .json written by `slant train`). --model takes several files, \
             so an input placed right after them is read as a model: put the inputs first \
             (`slant score corpus/ --model a.json b.json`) or end the list with another option",
            p.display()
        );
    }
    Ok(())
}

/// A corpus as every subcommand reads it: the inputs with the read options,
/// and the notes the readers leave about the input as a whole.
pub struct CorpusInput {
    inputs: Vec<PathBuf>,
    options: ReadOptions,
    /// `--write-text DIR`.
    write_text: Option<PathBuf>,
}

impl CorpusInput {
    pub fn new(input: &InputArgs) -> Self {
        CorpusInput {
            inputs: input.inputs.clone(),
            options: input.read_options(),
            write_text: input.write_text.clone(),
        }
    }

    /// With other read options (e.g. the label column as a kept column).
    pub fn with_options(input: &InputArgs, options: ReadOptions) -> Self {
        CorpusInput { inputs: input.inputs.clone(), options, write_text: input.write_text.clone() }
    }

    /// Run `work` over the corpus on `engine` (see [`Engine::run`]), then
    /// report what the readers noticed, and fail with [`NoUsableInput`]
    /// (exit status 4) when no document was read, before any output is
    /// committed.
    pub fn run<T, W, S>(&self, engine: &Engine, work: W, sink: S, console: &Console) -> Result<Summary>
    where
        T: Send,
        W: Fn(&mut Worker, Document) -> T + Sync,
        S: FnMut(Vec<Item<T>>) -> slant::error::Result<()> + Send,
    {
        let notes: SharedNotes = self.options.notes.clone();
        let corpus = Corpus::new(self.inputs.clone(), self.options.clone());
        // --write-text: each document's text as analysed, written by the
        // worker that has it; the first failure ends the run after it.
        let write_failed: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
        if let Some(dir) = &self.write_text {
            let reads = Reads {
                paths: self.inputs.iter().map(PathBuf::as_path).collect(),
                every_file_of_folders: self.options.format == Some(Format::Txt),
                text_folder: Some(dir),
            };
            slant::files::check_text_folder(&reads, dir)?;
            std::fs::create_dir_all(dir).with_context(|| format!("--write-text: cannot create {}", dir.display()))?;
        }
        let work = |worker: &mut Worker, doc: Document| {
            if let Some(dir) = &self.write_text {
                if let Err(e) = write_text(dir, &doc) {
                    if let Ok(mut first) = write_failed.lock() {
                        first.get_or_insert(e);
                    }
                }
            }
            work(worker, doc)
        };
        let summary = engine.run(corpus, work, sink, console);
        if let Some(e) = write_failed.into_inner().ok().flatten() {
            anyhow::bail!("--write-text: {e}");
        }
        console.finish();
        let notes = notes.lock().map(|n| n.clone()).unwrap_or_default();
        for hint in &notes.format_hints {
            console.warn(&format!(
                "{} looks like {} but was read as one plain-text document: pass --input-format {}",
                hint.input,
                format_name(hint.looks_like),
                hint.looks_like.name()
            ));
        }
        let summary = summary?;
        let read = summary.processed + summary.resumed + summary.other_shards;
        if read == 0 {
            return Err(NoUsableInput(nothing_read(&self.inputs, &summary, &notes)).into());
        }
        if notes.ignored_files > 0 {
            console.warn(&format!("{}; {}", ignored_files(&notes), how_to_read(&notes)));
        }
        Ok(summary)
    }
}

/// DIR/<doc_id>.txt, the id made a safe relative path: `/` keeps folders,
/// characters outside letters, digits, `._-` become `_`, and `.`/`..`
/// parts are dropped, so no id writes outside DIR. An id changed by that
/// gets `~` and 8 hex digits of its SHA-256 appended, so that two ids
/// never share a file (`x` and `../x`, `a b` and `a_b`) whatever order the
/// documents are written in.
fn write_text(dir: &Path, doc: &Document) -> Result<(), String> {
    let path = text_path(dir, &doc.id);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(&path, &doc.text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The file `--write-text` writes the text of document `id` to.
fn text_path(dir: &Path, id: &str) -> PathBuf {
    use sha2::{Digest, Sha256};
    let parts: Vec<String> = id
        .split('/')
        .map(|p| p.chars().map(|c| if c.is_alphanumeric() || "._-".contains(c) { c } else { '_' }).collect::<String>())
        .filter(|p| !p.is_empty() && p != "." && p != "..")
        .collect();
    let mut path = dir.to_path_buf();
    if parts.is_empty() {
        path.push("_");
    }
    for p in &parts {
        path.push(p);
    }
    if parts.join("/") != id {
        let digest = Sha256::digest(id.as_bytes());
        let tag: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        path.set_file_name(format!("{name}~{tag}"));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.set_file_name(format!("{name}.txt"));
    path
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Txt => "plain text",
        Format::Csv => "CSV (a header row)",
        Format::Tsv => "TSV (a header row)",
        Format::Jsonl => "JSON Lines (an object on the first line)",
        Format::Html => "HTML",
    }
}

/// "ignored 3 file(s) in input folders that are not .txt or .html/.htm (or .gz): 2 .xml, 1 .md (a.xml, b.xml, c.md)".
fn ignored_files(notes: &InputNotes) -> String {
    let by_ext: Vec<String> = notes
        .ignored_by_extension
        .iter()
        .map(|(ext, n)| format!("{n} {}", if ext.is_empty() { "without extension" } else { ext }))
        .collect();
    let examples: Vec<String> = notes.ignored_examples.iter().map(|p| p.display().to_string()).collect();
    let more = if notes.ignored_files > examples.len() { ", ..." } else { "" };
    format!(
        "ignored {} file(s) in input folders that are not .txt or .html/.htm (or .gz): {} ({}{more})",
        notes.ignored_files,
        by_ext.join(", "),
        examples.join(", ")
    )
}

/// What to do about the ignored files, by their extensions.
fn how_to_read(notes: &InputNotes) -> String {
    let has = |exts: &[&str]| notes.ignored_by_extension.keys().any(|e| exts.contains(&e.trim_end_matches(".gz")));
    let mut advice = Vec::new();
    if has(&[".md", ".markdown", ".rst", ".text", ".org", ""]) {
        advice.push("plain-text files are read with --input-format txt (every file of the folder as text)");
    }
    if has(&[".xml", ".xhtml"]) {
        advice.push("XHTML pages are read with --input-format html; convert other XML to text first");
    }
    if has(&[".csv", ".tsv", ".jsonl", ".ndjson", ".json"]) {
        advice.push("pass CSV/TSV/JSONL files themselves as inputs (`slant score folder/articles.csv`)");
    }
    if has(&[".pdf", ".docx", ".doc", ".odt", ".rtf"]) {
        advice.push("extract the text of PDF and Word files first (e.g. `pdftotext`, `pandoc -t plain`)");
    }
    if advice.is_empty() {
        advice.push(
            "a folder is read for .txt and .html/.htm files (and .gz); --input-format txt reads every file as text",
        );
    }
    advice.join("; ")
}

/// Why no document was read, and what to do.
fn nothing_read(inputs: &[PathBuf], summary: &Summary, notes: &InputNotes) -> String {
    let shown: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    if summary.skipped > 0 {
        return format!(
            "no document could be read from {}: all {} record(s) or file(s) were skipped (see the messages above)",
            shown.join(", "),
            summary.skipped
        );
    }
    if notes.ignored_files > 0 {
        return format!(
            "no documents: {} has no .txt or .html files; {}. To read them: {}",
            shown.join(", "),
            ignored_files(notes),
            how_to_read(notes)
        );
    }
    let folders = inputs.iter().any(|p| p.is_dir());
    format!("no documents: {} {}", shown.join(", "), if folders { "holds no files" } else { "is empty" })
}

/// Messages on standard error while a corpus is processed: skipped records
/// always, warnings unless quiet, and a progress bar when a person watches
/// a terminal.
pub struct Console {
    quiet: bool,
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
    /// Skipped-record and warning lines printed so far; after
    /// [`SHOWN_PER_KIND`] of each, the rest are counted, not printed.
    skipped_lines: AtomicUsize,
    warning_lines: AtomicUsize,
    /// The `--errors` file, named when lines are left out.
    errors_file: Option<PathBuf>,
}

/// Skipped records (and warnings) printed one by one before the rest are
/// only counted: a file where every record has the same problem gives a
/// screenful, not a line per record (`score --errors FILE` keeps them all).
pub const SHOWN_PER_KIND: usize = 10;

impl Console {
    pub fn new(quiet: bool) -> Self {
        Console {
            quiet,
            bar: None,
            started: std::time::Instant::now(),
            skipped_lines: AtomicUsize::new(0),
            warning_lines: AtomicUsize::new(0),
            errors_file: None,
        }
    }

    /// Name the `--errors` file in messages about left-out lines.
    pub fn with_errors_file(mut self, path: Option<&Path>) -> Self {
        self.errors_file = path.map(Path::to_path_buf);
        self
    }

    fn where_listed(&self) -> String {
        match &self.errors_file {
            Some(p) => format!("all are listed in {}", p.display()),
            None => "`slant score ... --errors FILE` lists them all".to_string(),
        }
    }

    /// A per-record line (`skipped: ...` or a warning), printed for the
    /// first [`SHOWN_PER_KIND`] of its kind, then counted.
    fn capped(&self, counter: &AtomicUsize, line: &str, kind: &str, always: bool) {
        if !always && self.quiet {
            return;
        }
        let n = counter.fetch_add(1, Ordering::Relaxed) + 1;
        if n <= SHOWN_PER_KIND {
            self.print(line);
        } else if n == SHOWN_PER_KIND + 1 {
            self.print(&format!(
                "slant: further {kind} not shown; the count follows at the end ({})",
                self.where_listed()
            ));
        }
    }

    /// A skipped record or file (printed even under -q: input was lost).
    pub fn skipped_line(&self, message: &str) {
        self.capped(&self.skipped_lines, &format!("slant: skipped: {message}"), "skipped records", true);
    }

    /// How the run ended for its input: every skipped record and file counted
    /// (also the ones not printed), and [`Outcome::InputLost`] unless
    /// `--allow-skips`.
    pub fn outcome(&self, skipped: usize, run: &RunArgs) -> Outcome {
        self.outcome_with_lost_values(skipped, 0, run)
    }

    /// A document whose values of a model could not be computed (written
    /// with those values empty): printed as an error naming the document,
    /// even under -q, and counted with the skipped records (input lost).
    pub fn lost_values_line(&self, location: &str, doc_id: &str, message: &str) {
        self.capped(
            &self.skipped_lines,
            &format!("slant: error: {location} (document '{doc_id}'): {message}"),
            "skipped records",
            true,
        );
    }

    /// [`Console::outcome`] with `lost_values` documents whose values of
    /// some model were left empty ([`Console::lost_values_line`]): they
    /// count as lost input like skipped records.
    pub fn outcome_with_lost_values(&self, skipped: usize, lost_values: usize, run: &RunArgs) -> Outcome {
        let hidden_warnings = self.warning_lines.load(Ordering::Relaxed).saturating_sub(SHOWN_PER_KIND);
        if hidden_warnings > 0 {
            self.warn(&format!("{hidden_warnings} more warning(s) not shown above"));
        }
        if skipped + lost_values == 0 {
            return Outcome::Complete;
        }
        let lost = if lost_values > 0 {
            format!(", {lost_values} document(s) with a model's values left empty")
        } else {
            String::new()
        };
        let hidden = self.skipped_lines.load(Ordering::Relaxed).saturating_sub(SHOWN_PER_KIND);
        let hidden = if hidden > 0 {
            format!(", {hidden} of them not shown above ({})", self.where_listed())
        } else {
            String::new()
        };
        if run.allow_skips {
            self.print(&format!(
                "slant: {skipped} record(s) or file(s) skipped{lost}{hidden}; exit status 0 (--allow-skips)"
            ));
            Outcome::Complete
        } else {
            self.print(&format!(
                "slant: input lost: {skipped} record(s) or file(s) skipped{lost}{hidden}; the outputs hold the rest. \
                 Exit status 3 (--allow-skips for 0)"
            ));
            Outcome::InputLost
        }
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

    /// A line on standard error. A closed standard error (`2>&-`, a reader
    /// of `2>&1 | head` gone) loses the message but does not stop the run,
    /// as `eprintln!` would with a panic: the exit status still tells.
    fn print(&self, line: &str) {
        use std::io::Write;
        let say = || {
            let _ = writeln!(std::io::stderr(), "{line}");
        };
        match &self.bar {
            Some(bar) => bar.suspend(say),
            None => say(),
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
        let line = format!("slant: warning: {} (document '{}'): {message}", doc.location, doc.id);
        self.capped(&self.warning_lines, &line, "warnings", false);
    }

    fn duplicate_id(&self, doc: &Document) {
        let line = format!("slant: warning: {}: duplicate doc_id '{}'", doc.location, doc.id);
        self.capped(&self.warning_lines, &line, "warnings", false);
    }

    fn skipped(&self, error: &ReadError) {
        self.skipped_line(&error.to_string());
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

/// Write every processed document of `batch` as `rows(doc)` rows through
/// `schema` (the row-per-item tables: tokens, kwic); skipped records were
/// already reported by the engine.
pub fn write_rows<R>(
    table: &mut Table,
    schema: &Schema<R>,
    batch: Vec<Item<R>>,
    rows: impl Fn(&R) -> usize,
    cells: &mut Vec<String>,
) -> slant::error::Result<()> {
    for item in batch {
        if let Item::Done(doc) = item {
            for i in 0..rows(&doc) {
                schema.row(&doc, i, cells);
                table.write(cells)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod text_path_tests {
    use super::text_path;
    use std::path::Path;

    #[test]
    fn ids_map_to_distinct_files_inside_the_folder() {
        let dir = Path::new("out");
        assert_eq!(text_path(dir, "x"), Path::new("out/x.txt"));
        assert_eq!(text_path(dir, "a/b.html"), Path::new("out/a/b.html.txt"));
        let ids = ["x", "../x", "/x", "x/", "a b", "a_b", "a?b", "..", ""];
        let paths: Vec<_> = ids.iter().map(|id| text_path(dir, id)).collect();
        for (i, p) in paths.iter().enumerate() {
            assert!(p.starts_with(dir) && !p.components().any(|c| c.as_os_str() == ".."), "{p:?}");
            assert!(
                !paths[..i].contains(p),
                "ids {:?} and {:?} share {p:?}",
                ids[paths.iter().position(|q| q == p).unwrap()],
                ids[i]
            );
        }
    }
}
