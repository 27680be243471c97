//! `slant score`: corpus in, one CSV row per document out, with optional
//! per-sentence rows and an evidence file of every match.
//!
//! Documents stream through in batches: read a batch, score it on all
//! threads, write it in input order, repeat. Memory is bounded by the batch,
//! never by the corpus.

use super::common::{InputArgs, LexiconArgs};
use crate::models::file::TrainedModel;
use crate::output::columns::{document_schema, match_schema, sentence_schema, Schema};
use crate::output::{csv_writer, now_rfc3339, write_manifest, AtomicOutput, LexiconRef, Manifest};
use crate::pipeline::{score_with_models, Scored};
use crate::read::{Corpus, Document, ReadError};
use crate::signals::{SignalSet, Worker};
use anyhow::{bail, Context, Result};
use clap::Args;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::hash::{Hash, Hasher};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
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

    /// Stop at the first bad document or record (exit code 1) instead of
    /// skipping it.
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
    csv: csv::Writer<Box<dyn Write + Send>>,
    rows: usize,
    kind: &'static str,
}

impl CsvOut {
    fn create(path: Option<&Path>, header: &[&str], kind: &'static str) -> Result<Self> {
        let file = AtomicOutput::create(path)?;
        let mut csv = csv_writer(file.writer()?);
        csv.write_record(header)?;
        Ok(CsvOut { file, csv, rows: 0, kind })
    }

    fn write(&mut self, cells: &[String]) -> Result<()> {
        self.rows += 1;
        self.csv.write_record(cells).context("cannot write output")
    }

    fn finish(self, manifest: &impl Fn(&str, &'static str, usize) -> Manifest) -> Result<()> {
        let mut inner = self.csv.into_inner().map_err(|e| anyhow::anyhow!("cannot write output: {}", e.error()))?;
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
}

impl Outputs {
    fn write(&mut self, s: &Scored) -> Result<()> {
        self.doc_schema.row(s, 0, &mut self.cells);
        self.docs.write(&self.cells)?;
        if let Some(out) = &mut self.sentences {
            for i in 0..s.signals.analyzed.sentences.len() {
                self.sentence_schema.row(s, i, &mut self.cells);
                out.write(&self.cells)?;
            }
        }
        if let Some(out) = &mut self.matches {
            for i in 0..s.signals.matches.len() {
                self.match_schema.row(s, i, &mut self.cells);
                out.write(&self.cells)?;
            }
        }
        Ok(())
    }
}

#[derive(Default)]
struct Tally {
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
    let doc_schema = document_schema(&set, &args.input.keep_cols, &models);
    let sentence_schema = sentence_schema(&set);
    let match_schema = match_schema(&set);
    let mut out = Outputs {
        docs: CsvOut::create(args.output.as_deref(), &doc_schema.header(), "scores")?,
        sentences: args
            .sentences
            .as_deref()
            .map(|p| CsvOut::create(Some(p), &sentence_schema.header(), "sentences"))
            .transpose()?,
        matches: args
            .matches
            .as_deref()
            .map(|p| CsvOut::create(Some(p), &match_schema.header(), "matches"))
            .transpose()?,
        errors: args
            .errors
            .as_deref()
            .map(|p| CsvOut::create(Some(p), &["location", "doc_id", "reason"], "errors"))
            .transpose()?,
        doc_schema,
        sentence_schema,
        match_schema,
        cells: Vec::new(),
    };

    // A live progress line on stderr, only for a person watching a terminal.
    let progress = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let p = indicatif::ProgressBar::new_spinner();
        p.enable_steady_tick(std::time::Duration::from_millis(200));
        p
    });
    let workers: Vec<Mutex<Worker>> = (0..threads).map(|_| Mutex::new(Worker::default())).collect();
    let mut corpus = Corpus::new(args.input.inputs.clone(), args.input.read_options());
    let mut tally = Tally::default();
    let mut seen_ids: FxHashSet<u64> = FxHashSet::default();
    let mut batch: Vec<Document> = Vec::with_capacity(BATCH_DOCS);
    loop {
        // Fill a batch.
        let mut batch_bytes = 0;
        let mut exhausted = true;
        for item in corpus.by_ref() {
            match item {
                Ok(doc) => {
                    if let Some((k, n)) = args.shard {
                        if fnv1a64(doc.id.as_bytes()) % n != k - 1 {
                            continue;
                        }
                    }
                    report_document_issues(&args, &doc, &mut seen_ids, &mut tally);
                    batch_bytes += doc.text.len();
                    batch.push(doc);
                    if batch.len() >= BATCH_DOCS || batch_bytes >= BATCH_BYTES {
                        exhausted = false;
                        break;
                    }
                }
                Err(e) => skip(&args, &mut out, &mut tally, e)?,
            }
        }
        // Score in parallel, write in input order.
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
        for s in &scored {
            tally.bytes += s.doc.text.len();
            out.write(s)?;
        }
        tally.scored += scored.len();
        if let Some(p) = &progress {
            let secs = started.elapsed().as_secs_f64().max(1e-9);
            p.set_message(format!(
                "{} documents, {:.1} MB, {:.1} MB/s, {:.0} docs/s",
                tally.scored,
                tally.bytes as f64 / 1e6,
                tally.bytes as f64 / 1e6 / secs,
                tally.scored as f64 / secs
            ));
        }
        if exhausted {
            break;
        }
    }

    if let Some(p) = &progress {
        p.finish_and_clear();
    }
    let inputs: Vec<String> = args.input.inputs.iter().map(|p| p.display().to_string()).collect();
    let lexicons = lexicon_refs(&set);
    let command_line: Vec<String> = std::env::args().collect();
    let created = now_rfc3339();
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
        documents_skipped: tally.skipped,
        rows,
    };
    let Outputs { docs, sentences, matches, errors, .. } = out;
    for o in [sentences, matches, errors].into_iter().flatten() {
        o.finish(&manifest)?;
    }
    docs.finish(&manifest)?;

    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "slant: scored {} document(s), skipped {}, {} warning(s); {:.1} MB in {:.2} s ({:.1} MB/s, {} thread(s))",
            tally.scored,
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

fn lexicon_refs(set: &SignalSet) -> Vec<LexiconRef> {
    vec![
        LexiconRef {
            role: "framing",
            source: set.lexicon.source.name.clone(),
            sha256: set.lexicon.source.sha256.clone(),
        },
        LexiconRef { role: "sides", source: set.sides.source.name.clone(), sha256: set.sides.source.sha256.clone() },
    ]
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

/// A document could not be read: stop (fatal error or --strict) or skip it.
fn skip(args: &ScoreArgs, out: &mut Outputs, tally: &mut Tally, e: ReadError) -> Result<()> {
    if e.fatal || args.strict {
        bail!("{e}");
    }
    tally.skipped += 1;
    eprintln!("slant: skipped: {e}");
    if let Some(errors) = &mut out.errors {
        errors.write(&[e.location.clone(), e.doc_id.clone().unwrap_or_default(), e.message.clone()])?;
    }
    Ok(())
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
