//! `slant score`: corpus in, one CSV row per document out, with optional
//! per-sentence rows and an evidence file of every match.
//!
//! Documents stream through in batches and three stages: a reader thread,
//! the worker pool, and a writer thread that writes rows in input order.
//! Queues between them hold at most a few batches, so memory is bounded by
//! the batch size, never by the corpus.

use super::common::{InputArgs, LexiconArgs};
use crate::models::file::TrainedModel;
use crate::output::columns::{document_schema, match_schema, sentence_schema, Kind, Schema};
use crate::output::{
    now_rfc3339, resume, write_manifest, AtomicOutput, CellPolicy, LexiconRef, Manifest, OutputFormat, RowWriter,
};
use crate::pipeline::{score_with_models, Scored};
use crate::read::{Corpus, DocResult, Document, ReadError};
use crate::signals::{SignalSet, Worker};
use anyhow::{bail, Context, Result};
use clap::Args;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Mutex};
use std::time::Instant;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  slant score datasets/examples -o scores.csv
  slant score articles.csv --id-col id --text-col body --keep-cols outlet,date -o scores.csv
  slant score articles.jsonl.gz --text-field text -o scores.csv --sentences sentences.csv --matches matches.csv
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

    /// Write skipped documents (location, doc_id, reason) to FILE.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,

    /// Continue an interrupted run: documents already in the output (-o) are
    /// skipped and the rest appended; --sentences / --matches keep only the
    /// rows of those documents. A run started with --resume writes in place
    /// and flushes after every batch, so it can be killed and continued by
    /// running the same command again.
    #[arg(long)]
    pub resume: bool,

    /// Stop at the first bad document or record (exit code 1) instead of
    /// skipping it; repaired input (invalid UTF-8, NUL bytes) is an error too.
    #[arg(long)]
    pub strict: bool,

    /// Apply a trained model (repeatable); adds `p_<model>_<label>` columns
    /// (and sentence aggregates for sentence-level models).
    #[arg(long, value_name = "FILE")]
    pub model: Vec<PathBuf>,

    /// Score only shard K of N (1-based, e.g. `3/8`): a document belongs to
    /// shard `1 + fnv1a64(doc_id) mod N`, so N processes or Slurm array
    /// tasks split a corpus without coordination.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,

    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Write text cells exactly as they are. By default, text cells (ids,
    /// kept columns, matched text) that start with = + - @ tab or CR get a
    /// leading ' so spreadsheets do not run them as formulas (OWASP
    /// CSV-injection guidance); numbers are never altered.
    #[arg(long)]
    pub raw_text: bool,

    /// Format of all tabular outputs (scores, sentences, matches, errors).
    #[arg(long, value_enum, default_value_t = OutputFormat::Csv)]
    pub format: OutputFormat,

    /// For Excel: start each CSV with a UTF-8 BOM and cap text cells at
    /// 32,767 characters (with a warning).
    #[arg(long)]
    pub excel: bool,

    /// Print nothing on standard error except errors.
    #[arg(short, long)]
    pub quiet: bool,

    #[command(flatten)]
    pub lexicons: LexiconArgs,
}

fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (k, n) = s.split_once('/').ok_or_else(|| format!("expected K/N, e.g. 2/8, not '{s}'"))?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| format!("bad shard number '{k}'"))?,
        n.trim().parse().map_err(|_| format!("bad shard count '{n}'"))?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard K/N needs 1 <= K <= N, got {k}/{n}"));
    }
    Ok((k, n))
}

/// 64-bit FNV-1a: a fixed, documented hash, so shard assignment is stable
/// across slant versions, platforms and runs (std's hasher is not).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// Documents per batch: enough to keep all threads busy, small enough that
/// memory stays flat.
const BATCH_DOCS: usize = 256;
/// Bytes of text per batch, so a few huge documents do not pile up.
const BATCH_BYTES: usize = 32 << 20;

struct CsvOut {
    file: AtomicOutput,
    csv: RowWriter,
    rows: usize,
    kind: &'static str,
}

/// How an output file is opened.
#[derive(Clone, Copy)]
struct OutputOptions {
    format: OutputFormat,
    excel: bool,
    resume: bool,
}

impl CsvOut {
    fn create(
        path: Option<&Path>,
        header: &[&str],
        kinds: &[Kind],
        kind: &'static str,
        o: OutputOptions,
    ) -> Result<Self> {
        let OutputOptions { format, excel, resume } = o;
        let append = resume && path.is_some_and(|p| p != Path::new("-"));
        let existing = append && path.and_then(|p| std::fs::metadata(p).ok()).is_some_and(|m| m.len() > 0);
        let file = match path {
            Some(p) if append => AtomicOutput::append(p)?,
            _ => AtomicOutput::create(path)?,
        };
        let mut w = file.writer()?;
        if excel && !existing {
            w.write_all("\u{feff}".as_bytes())?;
        }
        let csv = RowWriter::new(w, format, header, kinds, !existing)?;
        Ok(CsvOut { file, csv, rows: 0, kind })
    }

    fn flush(&mut self) -> Result<()> {
        self.csv.flush().context("cannot write output")
    }

    fn write(&mut self, cells: &[String]) -> Result<()> {
        self.rows += 1;
        self.csv.write(cells).context("cannot write output")
    }

    fn finish(self, manifest: &impl Fn(&str, &'static str, usize) -> Manifest) -> Result<()> {
        let mut inner = self.csv.into_inner()?;
        inner.flush().context("cannot write output")?;
        drop(inner);
        let target = self.file.path().map(Path::to_path_buf);
        self.file.commit()?;
        if let Some(t) = target {
            write_manifest(&t, &manifest(&t.display().to_string(), self.kind, self.rows))?;
        }
        Ok(())
    }
}

struct Outputs {
    docs: CsvOut,
    sentences: Option<CsvOut>,
    matches: Option<CsvOut>,
    errors: Option<CsvOut>,
    doc_schema: Schema<Scored>,
    sentence_schema: Schema<Scored>,
    match_schema: Schema<Scored>,
    cells: Vec<String>,
    policy: CellPolicy,
    /// Document rows of the current batch, written after its evidence rows.
    pending_docs: Vec<Vec<String>>,
}

impl Outputs {
    /// End of a batch: evidence rows reach the files before the document
    /// rows do, so a document row on disk always means its sentence and
    /// match rows are complete (what --resume relies on). Under --resume
    /// both are flushed to the OS, evidence first.
    fn end_batch(&mut self, flush: bool) -> Result<()> {
        if flush {
            for o in [&mut self.sentences, &mut self.matches, &mut self.errors].into_iter().flatten() {
                o.flush()?;
            }
        }
        for row in std::mem::take(&mut self.pending_docs) {
            self.docs.write(&row)?;
        }
        if flush {
            self.docs.flush()?;
        }
        Ok(())
    }

    /// A skipped record, for the --errors file.
    fn write_error(&mut self, e: &ReadError) -> Result<()> {
        if let Some(errors) = &mut self.errors {
            let mut cells = [e.location.clone(), e.doc_id.clone().unwrap_or_default(), e.message.clone()];
            for c in &mut cells {
                self.policy.apply(c);
            }
            errors.write(&cells)?;
        }
        Ok(())
    }

    /// Write one document's rows; returns the number of truncated cells.
    fn write(&mut self, s: &Scored) -> Result<usize> {
        let mut truncated = 0;
        if let Some(out) = &mut self.sentences {
            for i in 0..s.signals.analyzed.sentences.len() {
                truncated += self.sentence_schema.row(s, i, &mut self.cells);
                out.write(&self.cells)?;
            }
        }
        if let Some(out) = &mut self.matches {
            for i in 0..s.signals.matches.len() {
                truncated += self.match_schema.row(s, i, &mut self.cells);
                out.write(&self.cells)?;
            }
        }
        // The document row is held until the batch's evidence is written
        // (see `end_batch`).
        truncated += self.doc_schema.row(s, 0, &mut self.cells);
        self.pending_docs.push(self.cells.clone());
        Ok(truncated)
    }
}

#[derive(Default)]
struct Tally {
    resumed: usize,
    scored: usize,
    skipped: usize,
    warnings: usize,
    bytes: usize,
}

pub fn run(args: ScoreArgs) -> Result<()> {
    let started = Instant::now();
    let set = args.lexicons.load()?;
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().context("cannot start worker threads")?;

    let models = args.model.iter().map(|p| TrainedModel::load(p)).collect::<Result<Vec<_>>>()?;
    if args.format != OutputFormat::Csv && (args.excel || args.resume) {
        bail!("--excel and --resume work with --format csv only");
    }
    // --resume: what an earlier run of this command already wrote, as a
    // count per id (duplicate ids resume by occurrence).
    let mut done: FxHashMap<String, usize> = FxHashMap::default();
    let mut resumed_rows = [0usize; 3]; // scores, sentences, matches
    if args.resume {
        let Some(path) = args.output.as_deref().filter(|p| *p != Path::new("-")) else {
            bail!("--resume needs an output file (-o FILE)");
        };
        let header = document_schema(&set, &args.input.keep_cols, &models)
            .header()
            .iter()
            .map(|h| h.to_string())
            .collect::<Vec<_>>();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        resume::check_options(path, &options_fingerprint(&args, &set)?)?;
        let ids = resume::completed_ids(path, &header, !args.raw_text)?;
        resumed_rows[0] = ids.len();
        let id_set: FxHashSet<String> = ids.iter().cloned().collect();
        for id in ids {
            *done.entry(id).or_default() += 1;
        }
        if let Some(p) = &args.sentences {
            resumed_rows[1] = resume::keep_rows_of(p, &sentence_schema(&set).header(), &id_set, !args.raw_text)?;
        }
        if let Some(p) = &args.matches {
            resumed_rows[2] = resume::keep_rows_of(p, &match_schema(&set).header(), &id_set, !args.raw_text)?;
        }
        if !args.quiet && resumed_rows[0] > 0 {
            eprintln!("slant: resuming: {} document(s) already in {}", resumed_rows[0], path.display());
        }
    }
    let oo = OutputOptions { format: args.format, excel: args.excel, resume: args.resume };
    let policy = CellPolicy { neutralize: !args.raw_text, excel: args.excel };
    let mut doc_schema = document_schema(&set, &args.input.keep_cols, &models);
    let mut sentence_schema = sentence_schema(&set);
    let mut match_schema = match_schema(&set);
    doc_schema.policy = policy;
    sentence_schema.policy = policy;
    match_schema.policy = policy;
    let mut out = Outputs {
        docs: CsvOut::create(args.output.as_deref(), &doc_schema.header(), &doc_schema.kinds(), "scores", oo)?,
        sentences: args
            .sentences
            .as_deref()
            .map(|p| CsvOut::create(Some(p), &sentence_schema.header(), &sentence_schema.kinds(), "sentences", oo))
            .transpose()?,
        matches: args
            .matches
            .as_deref()
            .map(|p| CsvOut::create(Some(p), &match_schema.header(), &match_schema.kinds(), "matches", oo))
            .transpose()?,
        errors: args
            .errors
            .as_deref()
            // Rewritten on resume: skipped documents are read and reported again.
            .map(|p| {
                let fresh = OutputOptions { resume: false, ..oo };
                CsvOut::create(Some(p), &["location", "doc_id", "reason"], &[Kind::Text; 3], "errors", fresh)
            })
            .transpose()?,
        doc_schema,
        sentence_schema,
        match_schema,
        cells: Vec::new(),
        policy,
        pending_docs: Vec::new(),
    };
    out.docs.rows = resumed_rows[0];
    if let Some(o) = &mut out.sentences {
        o.rows = resumed_rows[1];
    }
    if let Some(o) = &mut out.matches {
        o.rows = resumed_rows[2];
    }

    // A live progress bar on stderr, only for a person watching a terminal.
    let progress = (!args.quiet && std::io::stderr().is_terminal()).then(|| Progress::new(&args.input.inputs, started));
    let corpus = Corpus::new(args.input.inputs.clone(), args.input.read_options());
    let mut tally = Tally::default();

    // Three stages, connected by queues of at most QUEUE_BATCHES batches so
    // memory stays flat: a reader thread (files, decompression, parsing,
    // normalisation, --resume and --shard filtering), this thread handing
    // each batch to the worker pool, and a writer thread writing rows in
    // input order. The reader is a detached thread: if the run stops early
    // (--strict) it must not be waited for, as it may be blocked on stdin.
    let (doc_tx, doc_rx) = mpsc::sync_channel::<Vec<DocResult>>(QUEUE_BATCHES);
    let shard = args.shard;
    let reader = std::thread::Builder::new()
        .name("slant-reader".into())
        .spawn(move || read_batches(corpus, done, shard, doc_tx))
        .context("cannot start the reader thread")?;
    let (out, written) = std::thread::scope(|scope| -> Result<(Outputs, Written)> {
        let (out_tx, out_rx) = mpsc::sync_channel::<ScoredBatch>(QUEUE_BATCHES);
        let writer = std::thread::Builder::new()
            .name("slant-writer".into())
            .spawn_scoped(scope, move || write_batches(out, out_rx, progress, args.resume, args.quiet))
            .context("cannot start the writer thread")?;
        let workers: Vec<Mutex<Worker>> = (0..threads).map(|_| Mutex::new(Worker::default())).collect();
        let mut seen_ids: FxHashSet<u64> = FxHashSet::default();
        let scoring = (|| -> Result<()> {
            for items in doc_rx {
                let mut batch = Vec::with_capacity(items.len());
                let mut skipped = Vec::new();
                for item in items {
                    match item {
                        Ok(doc) => {
                            if args.strict && !doc.warnings.is_empty() {
                                bail!(
                                    "{} (document '{}'): {} (--strict)",
                                    doc.location,
                                    doc.id,
                                    doc.warnings.join("; ")
                                );
                            }
                            report_document_issues(&args, &doc, &mut seen_ids, &mut tally);
                            batch.push(doc);
                        }
                        Err(e) => {
                            if e.fatal || args.strict {
                                bail!("{e}");
                            }
                            tally.skipped += 1;
                            eprintln!("slant: skipped: {e}");
                            skipped.push(e);
                        }
                    }
                }
                let scored: Vec<Scored> = pool.install(|| {
                    batch
                        .par_drain(..)
                        .map(|doc| {
                            // One long-lived worker per thread keeps the stem cache warm.
                            let slot = rayon::current_thread_index().unwrap_or(0) % workers.len();
                            let mut w = workers[slot].lock().unwrap_or_else(|p| p.into_inner());
                            score_with_models(&set, &models, &mut w, doc)
                        })
                        .collect()
                });
                tally.scored += scored.len();
                if out_tx.send(ScoredBatch { scored, skipped }).is_err() {
                    break; // the writer stopped on an error, reported below
                }
            }
            Ok(())
        })();
        drop(out_tx);
        let written = writer.join().map_err(|_| anyhow::anyhow!("the writer thread panicked"))??;
        scoring?;
        Ok(written)
    })?;
    // The reader has sent its last batch (the queue is drained), so this
    // join does not wait on input.
    tally.resumed = reader.join().map_err(|_| anyhow::anyhow!("the reader thread panicked"))?;
    tally.bytes = written.bytes;
    tally.warnings += written.truncated_warnings;

    let inputs: Vec<String> = args.input.inputs.iter().map(|p| p.display().to_string()).collect();
    let lexicons = lexicon_refs(&set);
    let command_line: Vec<String> = std::env::args().collect();
    let created = now_rfc3339();
    let options = options_fingerprint(&args, &set)?;
    let manifest = |output: &str, kind: &'static str, rows: usize| Manifest {
        slant_version: env!("CARGO_PKG_VERSION"),
        command_line: command_line.clone(),
        created: created.clone(),
        output: output.to_string(),
        output_kind: kind,
        inputs: inputs.clone(),
        lexicons: lexicons
            .iter()
            .map(|l| LexiconRef { role: l.role, source: l.source.clone(), sha256: l.sha256.clone() })
            .collect(),
        documents_scored: tally.scored,
        documents_resumed: tally.resumed,
        documents_skipped: tally.skipped,
        rows,
        options: options.clone(),
    };
    let Outputs { docs, sentences, matches, errors, .. } = out;
    for o in [sentences, matches, errors].into_iter().flatten() {
        o.finish(&manifest)?;
    }
    docs.finish(&manifest)?;

    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "slant: scored {} document(s){}, skipped {}, {} warning(s); {:.1} MB in {:.2} s ({:.1} MB/s, {} thread(s))",
            tally.scored,
            if tally.resumed > 0 { format!(" ({} already done)", tally.resumed) } else { String::new() },
            tally.skipped,
            tally.warnings,
            tally.bytes as f64 / 1e6,
            secs,
            tally.bytes as f64 / 1e6 / secs.max(1e-9),
            threads
        );
    }
    Ok(())
}

/// Batches of documents read ahead of scoring.
const QUEUE_BATCHES: usize = 2;

/// One batch on its way to the writer: scored documents in input order and
/// the records skipped while reading it.
struct ScoredBatch {
    scored: Vec<Scored>,
    skipped: Vec<ReadError>,
}

/// What the writer thread counted.
struct Written {
    bytes: usize,
    truncated_warnings: usize,
}

/// The reader stage: batches of documents (and read errors, in order), with
/// documents already in the output (--resume) or of other shards dropped.
/// Returns the number of documents skipped as already done.
fn read_batches(
    corpus: Corpus,
    mut done: FxHashMap<String, usize>,
    shard: Option<(u64, u64)>,
    tx: mpsc::SyncSender<Vec<DocResult>>,
) -> usize {
    let mut resumed = 0;
    let mut batch = Vec::with_capacity(BATCH_DOCS);
    let mut batch_bytes = 0;
    for item in corpus {
        if let Ok(doc) = &item {
            if let Some(n) = done.get_mut(&doc.id).filter(|n| **n > 0) {
                *n -= 1;
                resumed += 1;
                continue;
            }
            if let Some((k, n)) = shard {
                if fnv1a64(doc.id.as_bytes()) % n != k - 1 {
                    continue;
                }
            }
            batch_bytes += doc.text.len();
        }
        batch.push(item);
        if batch.len() >= BATCH_DOCS || batch_bytes >= BATCH_BYTES {
            if tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH_DOCS))).is_err() {
                return resumed; // scoring stopped early
            }
            batch_bytes = 0;
        }
    }
    if !batch.is_empty() {
        let _ = tx.send(batch);
    }
    resumed
}

/// The writer stage: rows in input order, evidence before document rows,
/// flushed per batch under --resume; returns the outputs to be committed.
fn write_batches(
    mut out: Outputs,
    rx: mpsc::Receiver<ScoredBatch>,
    progress: Option<Progress>,
    flush_each_batch: bool,
    quiet: bool,
) -> Result<(Outputs, Written)> {
    let mut written = Written { bytes: 0, truncated_warnings: 0 };
    let mut n_docs = 0;
    for batch in rx {
        for e in &batch.skipped {
            out.write_error(e)?;
        }
        for s in &batch.scored {
            written.bytes += s.doc.text.len();
            let truncated = out.write(s)?;
            if truncated > 0 {
                written.truncated_warnings += truncated;
                if !quiet {
                    eprintln!(
                        "slant: warning: document '{}': {truncated} cell(s) cut to Excel's 32,767 characters",
                        s.doc.id
                    );
                }
            }
        }
        n_docs += batch.scored.len();
        out.end_batch(flush_each_batch)?;
        if let Some(p) = &progress {
            p.update(n_docs, written.bytes);
        }
    }
    if let Some(p) = &progress {
        p.finish();
    }
    Ok((out, written))
}

/// The progress bar: position = input bytes read (files' sizes known up
/// front give a percentage and an ETA), message = documents, text MB and
/// MB/s, documents/s written so far. A spinner when the size is unknown (stdin).
struct Progress {
    bar: indicatif::ProgressBar,
    started: Instant,
}

impl Progress {
    fn new(inputs: &[PathBuf], started: Instant) -> Self {
        let bar = match crate::read::input_size(inputs) {
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
        Progress { bar, started }
    }

    fn update(&self, docs: usize, text_bytes: usize) {
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        self.bar.set_position(crate::read::file_bytes_read());
        // Short enough for an 80-column terminal with the bar.
        self.bar.set_message(format!(
            "{docs} docs, {:.0} MB, {:.1} MB/s, {:.0} docs/s",
            text_bytes as f64 / 1e6,
            text_bytes as f64 / 1e6 / secs,
            docs as f64 / secs
        ));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The options that shape the output files, recorded in manifests and
/// compared by `--resume`.
fn options_fingerprint(args: &ScoreArgs, set: &SignalSet) -> Result<serde_json::Value> {
    let model_hashes = args
        .model
        .iter()
        .map(|p| Ok(format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(std::fs::read(p)?))))
        .collect::<Result<Vec<String>>>()?;
    Ok(serde_json::json!({
        "inputs": args.input.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "input_format": args.input.input_format.map(|f| format!("{f:?}")),
        "id_col": args.input.id_col,
        "text_col": args.input.text_col,
        "keep_cols": args.input.keep_cols,
        "shard": args.shard.map(|(k, n)| format!("{k}/{n}")),
        "raw_text": args.raw_text,
        "excel": args.excel,
        "format": format!("{:?}", args.format),
        "lexicons": lexicon_refs(set).iter().map(|l| format!("{}:{}", l.role, l.sha256)).collect::<Vec<_>>(),
        "models": model_hashes,
        "sentences": args.sentences.is_some(),
        "matches": args.matches.is_some(),
    }))
}

fn lexicon_refs(set: &SignalSet) -> Vec<LexiconRef> {
    let mut refs = vec![
        LexiconRef {
            role: "framing",
            source: set.lexicon.source.name.clone(),
            sha256: set.lexicon.source.sha256.clone(),
        },
        LexiconRef { role: "sides", source: set.sides.source.name.clone(), sha256: set.sides.source.sha256.clone() },
    ];
    refs.extend(set.lexicon.extra_sources.iter().map(|s| LexiconRef {
        role: "dictionary",
        source: s.name.clone(),
        sha256: s.sha256.clone(),
    }));
    refs
}

fn report_document_issues(args: &ScoreArgs, doc: &Document, seen: &mut FxHashSet<u64>, tally: &mut Tally) {
    let mut h = rustc_hash::FxHasher::default();
    doc.id.hash(&mut h);
    if !seen.insert(h.finish()) {
        tally.warnings += 1;
        if !args.quiet {
            eprintln!("slant: warning: {}: duplicate doc_id '{}'", doc.location, doc.id);
        }
    }
    for w in &doc.warnings {
        tally.warnings += 1;
        if !args.quiet {
            eprintln!("slant: warning: {} (document '{}'): {w}", doc.location, doc.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_reference_values() {
        // Published FNV-1a 64-bit test vectors.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn shard_specs() {
        assert_eq!(parse_shard("2/8"), Ok((2, 8)));
        assert!(parse_shard("0/8").is_err());
        assert!(parse_shard("9/8").is_err());
        assert!(parse_shard("x").is_err());
    }
}
