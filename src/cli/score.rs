//! `slant score`: corpus in, one CSV row per document out, with optional
//! per-sentence rows and an evidence file of every match.
//!
//! Documents stream through in batches and three stages: a reader thread,
//! the worker pool, and a writer thread that writes rows in input order.
//! Queues between them hold at most a few batches, so memory is bounded by
//! the batch size, never by the corpus.

use super::common::{
    load_lexicons_and_models, Console, CorpusInput, InputArgs, LexiconArgs, Outcome, OutputArgs, RunArgs,
};
use anyhow::{bail, Result};
use clap::Args;
use rustc_hash::{FxHashMap, FxHashSet};
use slant::engine::{score_with_reuse, Engine, EngineConfig, Item, Scored, Shard, StackedReuse};
use slant::models::artifact::TrainedModel;
use slant::output::columns::{
    document_schema, errors_schema, match_schema, sentence_schema, source_schema, ErrorRow, Schema,
};
use slant::output::table::{OutputConfig, RunInfo, Table};
use slant::output::{lexicon_refs, resume, OutputFormat};
use slant::read::ReadError;
use slant::signals::SignalSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  slant score datasets/examples -o scores.csv
  slant score articles.csv --id-col id --text-col body --keep-cols outlet,date -o scores.csv
  slant score articles.jsonl.gz --text-field text -o scores.csv --sentences sentences.csv --matches matches.csv
  slant score corpus/ -o scores.csv --sources sources.csv      # who says what, one row per attribution
  slant score corpus/ -o scores.parquet --matches matches.parquet  # Parquet, by the file names
  slant score corpus/ --columns hedge,sources,n_words -o hedges.csv
  cat article.txt | slant score -

Output columns are defined in the codebook: `slant codebook -o codebook.csv`.")]
pub struct ScoreArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Per-document CSV (default: standard output). Written atomically, with
    /// `<FILE>.manifest.json` beside it.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write one row per sentence to FILE.
    #[arg(long, value_name = "FILE")]
    pub sentences: Option<PathBuf>,

    /// Also write every match (the evidence behind each count) to FILE.
    #[arg(long, value_name = "FILE")]
    pub matches: Option<PathBuf>,

    /// Also write one row per attribution (who says what: cue, source,
    /// source type, content, mode, verb class, side) to FILE.
    #[arg(long, value_name = "FILE")]
    pub sources: Option<PathBuf>,

    /// Keep only these columns of the per-document output (comma-separated):
    /// column groups, i.e. a category (`hedge`, `sourcing`, `loaded`, ...,
    /// `dict_<name>`), a sides dimension (`party`, `stance`, `ideology`),
    /// `sources` (statements_n, sources_*), `text` (n_words, n_sentences,
    /// quoted words) or a model's name, and/or exact column names
    /// (`hedge_per1k`). doc_id and --keep-cols columns are always written.
    /// An unknown name is an error that lists the groups.
    #[arg(long, value_delimiter = ',', value_name = "GROUPS")]
    pub columns: Vec<String>,

    /// Write skipped documents (location, doc_id, reason) to FILE.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,

    /// Continue an interrupted run: documents already in the output (-o) are
    /// skipped and the rest appended; --sentences / --matches keep only the
    /// rows of those documents (as does --sources). A run started with --resume writes in place
    /// and flushes after every batch, so it can be killed and continued by
    /// running the same command again.
    #[arg(long)]
    pub resume: bool,

    /// Stop at the first bad document or record (exit status 1) instead of
    /// skipping it; repaired input (invalid UTF-8, NUL bytes) is an error too.
    #[arg(long)]
    pub strict: bool,

    /// Apply trained models: one or more files (`--model a.json b.json`,
    /// `--model models/*.json`; repeatable); adds `p_<model>_<label>`
    /// columns (and sentence aggregates for sentence-level models, which
    /// read each sentence as the document's analysis shows it: its
    /// quotation state and matches in the article). Put the inputs before
    /// --model, or end its list with another option.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub model: Vec<PathBuf>,

    /// Score only shard K of N (1-based, e.g. `3/8`): a document belongs to
    /// shard `1 + fnv1a64(doc_id) mod N`, so N processes or Slurm array
    /// tasks split a corpus without coordination.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,

    #[command(flatten)]
    pub output_options: OutputArgs,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub lexicons: LexiconArgs,
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    s.parse::<Shard>().map_err(|e| e.to_string())
}

/// The files one run writes, and the per-batch bookkeeping that keeps them
/// consistent for `--resume`.
struct Outputs {
    docs: Table,
    sentences: Option<Table>,
    matches: Option<Table>,
    sources: Option<Table>,
    errors: Option<Table>,
    error_schema: Schema<ErrorRow>,
    doc_schema: Schema<Scored>,
    sentence_schema: Schema<Scored>,
    match_schema: Schema<Scored>,
    source_schema: Schema<Scored>,
    /// One buffer of cells per evidence table, reused row after row: each
    /// cell keeps its capacity (one buffer for tables of different widths
    /// dropped and re-made cells at every switch).
    evidence_cells: [Vec<String>; 3],
    /// Document rows of the current batch, written after its evidence rows.
    pending_docs: Vec<PendingRow>,
    /// Rows of written documents, reused for the next ones instead of a
    /// clone of every cell per document.
    spare_rows: Vec<Vec<String>>,
    /// Flush every batch (under --resume).
    flush_each_batch: bool,
    truncated_warnings: usize,
    /// Under --strict a document with a model's values left empty ends the run.
    strict: bool,
    /// Documents written with some model's values left empty (lost output).
    lost_values: usize,
}

impl Outputs {
    /// One batch from the engine, in input order. Evidence rows reach the
    /// files before the document rows do, so a document row on disk always
    /// means its sentence and match rows are complete (what --resume relies
    /// on); under --resume both are flushed to the OS, evidence first.
    fn write_batch(&mut self, batch: Vec<Item<Scored>>, console: &Console) -> slant::error::Result<()> {
        for item in batch {
            match item {
                Item::Skipped(e) => self.write_error(&e)?,
                Item::Done(s) => {
                    self.report_model_errors(&s, console)?;
                    self.write(&s)?
                }
            }
        }
        if self.flush_each_batch {
            for o in [&mut self.sentences, &mut self.matches, &mut self.sources, &mut self.errors].into_iter().flatten()
            {
                o.flush()?;
            }
        }
        for mut pending in std::mem::take(&mut self.pending_docs) {
            let truncated = pending.evidence_truncated + self.docs.write(&mut pending.row)?;
            if truncated > 0 {
                self.truncated_warnings += truncated;
                console.warn(&format!(
                    "document '{}': {truncated} cell(s) cut to Excel's 32,767 characters",
                    pending.doc_id
                ));
            }
            self.spare_rows.push(pending.row);
        }
        if self.flush_each_batch {
            self.docs.flush()?;
        }
        Ok(())
    }

    /// The models whose values could not be computed for `s`: each an error
    /// naming the document (console and --errors file), the document
    /// counted as lost output; under --strict the run stops.
    fn report_model_errors(&mut self, s: &Scored, console: &Console) -> slant::error::Result<()> {
        if s.model_errors.is_empty() {
            return Ok(());
        }
        if self.strict {
            slant::bail!("{} (document '{}'): {} (--strict)", s.doc.location, s.doc.id, s.model_errors.join("; "));
        }
        self.lost_values += 1;
        for message in &s.model_errors {
            console.lost_values_line(&s.doc.location, &s.doc.id, message);
            let row = ErrorRow { location: s.doc.location.clone(), doc_id: s.doc.id.clone(), reason: message.clone() };
            self.write_error_row(&row)?;
        }
        Ok(())
    }

    /// A skipped record, for the --errors file.
    fn write_error(&mut self, e: &ReadError) -> slant::error::Result<()> {
        let row = ErrorRow {
            location: e.location.clone(),
            doc_id: e.doc_id.clone().unwrap_or_default(),
            reason: e.message.clone(),
        };
        self.write_error_row(&row)
    }

    /// One row of the --errors file, when there is one.
    fn write_error_row(&mut self, row: &ErrorRow) -> slant::error::Result<()> {
        if let Some(errors) = &mut self.errors {
            let mut cells = Vec::new();
            self.error_schema.row(row, 0, &mut cells);
            errors.write(&mut cells)?;
        }
        Ok(())
    }

    /// Write one document's evidence rows and hold its document row until
    /// the batch's evidence is written.
    fn write(&mut self, s: &Scored) -> slant::error::Result<()> {
        let mut evidence_truncated = 0;
        let [sentence_cells, match_cells, source_cells] = &mut self.evidence_cells;
        if let Some(out) = &mut self.sentences {
            for i in 0..s.signals.analyzed.sentences.len() {
                self.sentence_schema.row(s, i, sentence_cells);
                evidence_truncated += out.write(sentence_cells)?;
            }
        }
        if let Some(out) = &mut self.matches {
            for i in 0..s.signals.matches.len() {
                self.match_schema.row(s, i, match_cells);
                evidence_truncated += out.write(match_cells)?;
            }
        }
        if let Some(out) = &mut self.sources {
            for i in 0..s.signals.attributions.len() {
                self.source_schema.row(s, i, source_cells);
                evidence_truncated += out.write(source_cells)?;
            }
        }
        let mut row = self.spare_rows.pop().unwrap_or_default();
        self.doc_schema.row(s, 0, &mut row);
        self.pending_docs.push(PendingRow { doc_id: s.doc.id.clone(), evidence_truncated, row });
        Ok(())
    }
}

/// A document row waiting for the end of its batch.
struct PendingRow {
    doc_id: String,
    evidence_truncated: usize,
    row: Vec<String>,
}

pub fn run(args: ScoreArgs) -> Result<Outcome> {
    let started = Instant::now();
    // The part-of-speech tagger is parsed on first use (a third of a short
    // run's start-up); parse it on a second core while the lexicons and
    // model files load, instead of after them in the first worker.
    std::thread::spawn(|| {
        slant::text::pos::Tagger::builtin();
    });
    let (set, models) = load_lexicons_and_models(&args.lexicons, &args.model)?;
    let config = OutputConfig { resume: args.resume, ..args.output_options.config() };
    config.check()?;
    let quiet = args.run.quiet;
    let model_files: Vec<&Path> = args.model.iter().map(|p| p.as_path()).chain(args.lexicons.files()).collect();
    args.output_options.check_outputs(
        &[
            ("-o", args.output.as_deref()),
            ("--sentences", args.sentences.as_deref()),
            ("--matches", args.matches.as_deref()),
            ("--sources", args.sources.as_deref()),
            ("--errors", args.errors.as_deref()),
        ]
        .into_iter()
        .filter(|(flag, p)| *flag == "-o" || p.is_some())
        .collect::<Vec<_>>(),
        &args.input.files_read(&model_files),
        quiet,
    )?;
    let select = |schema: Schema<Scored>| schema.select(&args.columns);
    let console = Console::with_progress(quiet, &args.input.inputs).with_errors_file(args.errors.as_deref());

    // --resume: what an earlier run of this command already wrote, as a
    // count per id (duplicate ids resume by occurrence).
    let mut already_done: FxHashMap<String, usize> = FxHashMap::default();
    let mut resumed_rows = [0usize; 4]; // scores, sentences, matches, sources
    let raw_text = args.output_options.raw_text;
    if args.resume {
        let Some(path) = args.output.as_deref().filter(|p| *p != Path::new("-")) else {
            bail!("--resume needs an output file (-o FILE)");
        };
        let schema = select(document_schema(&set, &args.input.keep_cols, &models))?;
        resume::check_options(path, &options_fingerprint(&args, &set, &models)?)?;
        let ids = resume::completed_ids(path, &schema.header(), !raw_text)?;
        resumed_rows[0] = ids.len();
        let id_set: FxHashSet<String> = ids.iter().cloned().collect();
        for id in ids {
            *already_done.entry(id).or_default() += 1;
        }
        if let Some(p) = &args.sentences {
            resumed_rows[1] = resume::keep_rows_of(p, &sentence_schema(&set, &models).header(), &id_set, !raw_text)?;
        }
        if let Some(p) = &args.matches {
            resumed_rows[2] = resume::keep_rows_of(p, &match_schema(&set).header(), &id_set, !raw_text)?;
        }
        if let Some(p) = &args.sources {
            resumed_rows[3] = resume::keep_rows_of(p, &source_schema(&set).header(), &id_set, !raw_text)?;
        }
        if resumed_rows[0] > 0 {
            console.info(&format!("resuming: {} document(s) already in {}", resumed_rows[0], path.display()));
        }
    }
    let doc_schema = select(document_schema(&set, &args.input.keep_cols, &models))?;
    let sentence_schema = sentence_schema(&set, &models);
    let match_schema = match_schema(&set);
    let source_schema = source_schema(&set);
    let error_schema = errors_schema();
    let table = |path: &Path, schema: &Schema<Scored>, kind| {
        Table::create(Some(path), &schema.header(), &schema.kinds(), kind, &config)
    };
    let mut out = Outputs {
        docs: Table::create(args.output.as_deref(), &doc_schema.header(), &doc_schema.kinds(), "scores", &config)?,
        sentences: args.sentences.as_deref().map(|p| table(p, &sentence_schema, "sentences")).transpose()?,
        // The rule column keeps lexicon syntax (`=Democrats`) where no spreadsheet can run it.
        matches: args
            .matches
            .as_deref()
            .map(|p| table(p, &match_schema, "matches").map(|t| t.lexicon_syntax_column("rule")))
            .transpose()?,
        sources: args.sources.as_deref().map(|p| table(p, &source_schema, "sources")).transpose()?,
        // Rewritten on resume: skipped documents are read and reported again.
        errors: args
            .errors
            .as_deref()
            .map(|p| Table::create(Some(p), &error_schema.header(), &error_schema.kinds(), "errors", &config.fresh()))
            .transpose()?,
        error_schema,
        doc_schema,
        sentence_schema,
        match_schema,
        source_schema,
        evidence_cells: Default::default(),
        pending_docs: Vec::new(),
        spare_rows: Vec::new(),
        flush_each_batch: args.resume,
        truncated_warnings: 0,
        strict: args.strict,
        lost_values: 0,
    };
    out.docs.row_count = resumed_rows[0];
    if let Some(o) = &mut out.sentences {
        o.row_count = resumed_rows[1];
    }
    if let Some(o) = &mut out.matches {
        o.row_count = resumed_rows[2];
    }
    if let Some(o) = &mut out.sources {
        o.row_count = resumed_rows[3];
    }

    let engine =
        Engine::new(EngineConfig { strict: args.strict, shard: args.shard, already_done, ..args.run.engine_config() })?;
    // Which stacked models are given as well (their rows reused), decided once.
    let reuse = StackedReuse::of(&models);
    let summary = CorpusInput::new(&args.input).run(
        &engine,
        |worker, doc| score_with_reuse(&set, &models, &reuse, worker, doc),
        |batch| out.write_batch(batch, &console),
        &console,
    )?;

    let mut run = RunInfo::now(args.input.inputs.iter().map(|p| p.display().to_string()).collect());
    run.lexicons = lexicon_refs(&set);
    run.documents_scored = summary.processed;
    run.documents_resumed = summary.resumed;
    run.documents_skipped = summary.skipped;
    run.options = options_fingerprint(&args, &set, &models)?;
    let Outputs { docs, sentences, matches, sources, errors, truncated_warnings, lost_values, .. } = out;
    for o in [sentences, matches, sources, errors].into_iter().flatten() {
        o.finish(&run)?;
    }
    docs.finish(&run)?;

    let secs = started.elapsed().as_secs_f64();
    console.info(&format!(
        "scored {} document(s){}, skipped {}, {} warning(s); {:.1} MB in {:.2} s ({:.1} MB/s, {} thread(s))",
        summary.processed,
        if summary.resumed > 0 { format!(" ({} already done)", summary.resumed) } else { String::new() },
        summary.skipped,
        summary.warnings + truncated_warnings,
        summary.text_bytes as f64 / 1e6,
        secs,
        summary.text_bytes as f64 / 1e6 / secs.max(1e-9),
        summary.threads
    ));
    // The process ends after this: the models' tens of thousands of small
    // allocations (vocabulary terms and their index) are left to the OS
    // instead of being freed one by one (a tenth of a short run's CPU time
    // with the sentence models).
    std::mem::forget(models);
    Ok(console.outcome_with_lost_values(summary.skipped, lost_values, &args.run))
}

/// The options that shape the output files, recorded in manifests and
/// compared by `--resume`.
fn options_fingerprint(args: &ScoreArgs, set: &SignalSet, models: &[TrainedModel]) -> Result<serde_json::Value> {
    // Hashed when loaded (the bytes were in memory then).
    let model_hashes = args
        .model
        .iter()
        .zip(models)
        .map(|(p, m)| match &m.file_sha256 {
            Some(h) => Ok(h.clone()),
            None => Ok(format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(std::fs::read(p)?))),
        })
        .collect::<Result<Vec<String>>>()?;
    let o = &args.output_options;
    let mut options = serde_json::json!({
        "inputs": args.input.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "input_format": args.input.input_format.map(|f| format!("{f:?}")),
        "id_col": args.input.id_col,
        "text_col": args.input.text_col,
        "keep_cols": args.input.keep_cols,
        "shard": args.shard.map(|s| format!("{}/{}", s.k, s.n)),
        "raw_text": o.raw_text,
        "excel": o.excel,
        "format": format!("{:?}", OutputFormat::resolve(o.format, args.output.as_deref())),
        "lexicons": lexicon_refs(set).iter().map(|l| format!("{}:{}", l.role, l.sha256)).collect::<Vec<_>>(),
        "models": model_hashes,
        "sentences": args.sentences.is_some(),
        "matches": args.matches.is_some(),
        "sources": args.sources.is_some(),
    });
    // Only when given, so that a run of an earlier build (no --columns) can be resumed.
    if !args.columns.is_empty() {
        options["columns"] = serde_json::json!(args.columns);
    }
    Ok(options)
}
