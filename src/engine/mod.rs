//! The engine: a corpus in, per-document results out, in input order, on N
//! threads. Every subcommand that reads a corpus (`score`, `report`,
//! `explain`, `eval`, `train`, `keyness`) runs through [`Engine::run`], so
//! batching, threading, `--resume` / `--shard` filtering and `--strict`
//! behave the same everywhere.
//!
//! Three stages joined by bounded queues of [`QUEUE_BATCHES`] batches, so
//! memory is bounded by the batch size, never by the corpus: a reader
//! thread (files, decompression, parsing, normalisation, filters), the
//! calling thread handing each batch to the worker pool, and a sink thread
//! that receives results in input order (writes rows, renders a report).

mod document;

pub use document::{
    score_document, score_with_models, score_with_reuse, sentence_rows, stacked_sentence_rows, tokens_of, DocTokens,
    Scored, SentenceSlices, StackedReuse, TokenRow, SENTENCE_FLAG_THRESHOLD,
};

use crate::bail;
use crate::error::{Error, Result};
use crate::read::{Corpus, DocResult, Document, ReadError};
use crate::signals::Worker;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};
use std::sync::{mpsc, Mutex};

/// Documents per batch: enough to keep all threads busy, small enough that
/// memory stays flat.
pub const BATCH_DOCS: usize = 256;
/// Bytes of text per batch, so a few huge documents do not pile up.
pub const BATCH_BYTES: usize = 32 << 20;
/// Batches read ahead of scoring, and scored ahead of the sink.
pub const QUEUE_BATCHES: usize = 2;

/// One of N disjoint parts of a corpus: a document belongs to shard
/// `1 + fnv1a64(doc_id) mod N`, so N processes (or Slurm array tasks) split
/// a corpus without coordination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub k: u64,
    pub n: u64,
}

impl Shard {
    pub fn new(k: u64, n: u64) -> Result<Self> {
        if n == 0 || k == 0 || k > n {
            bail!("shard K/N needs 1 <= K <= N, got {k}/{n}");
        }
        Ok(Shard { k, n })
    }

    pub fn contains(self, doc_id: &str) -> bool {
        fnv1a64(doc_id.as_bytes()) % self.n == self.k - 1
    }
}

impl std::str::FromStr for Shard {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let Some((k, n)) = s.split_once('/') else {
            bail!("expected K/N, e.g. 2/8, not '{s}'");
        };
        let k = k.trim().parse().map_err(|_| Error::invalid(format!("bad shard number '{k}'")))?;
        let n = n.trim().parse().map_err(|_| Error::invalid(format!("bad shard count '{n}'")))?;
        Shard::new(k, n)
    }
}

/// 64-bit FNV-1a: a fixed, documented hash, so shard assignment is stable
/// across slant versions, platforms and runs (std's hasher is not).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// How a run treats the corpus.
#[derive(Debug, Clone, Default)]
pub struct EngineConfig {
    /// Worker threads; 0 = all cores.
    pub threads: usize,
    /// Stop at the first bad record or repaired document instead of
    /// skipping it.
    pub strict: bool,
    /// Process only this shard.
    pub shard: Option<Shard>,
    /// Documents already done (`--resume`): this many occurrences of each
    /// id are dropped before scoring (duplicate ids resume by occurrence).
    pub already_done: FxHashMap<String, usize>,
    /// Stop after this many documents (after the filters above).
    pub limit: Option<usize>,
}

/// What happened, as it happens; called from the engine's threads, so the
/// methods take `&self` (use interior mutability). Every method has a
/// no-op default: the library itself never prints.
pub trait Observer: Sync {
    /// A document was read with a non-fatal problem (repaired text).
    fn warning(&self, _doc: &Document, _message: &str) {}
    /// A document id seen before in this run.
    fn duplicate_id(&self, _doc: &Document) {}
    /// A record or file could not be read and was skipped.
    fn skipped(&self, _error: &ReadError) {}
    /// A batch reached the sink.
    fn progress(&self, _progress: &Progress) {}
}

/// An observer that ignores everything.
pub struct Silent;
impl Observer for Silent {}

/// Progress after each batch.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Documents delivered to the sink so far.
    pub documents: usize,
    /// Bytes of (normalised) text in them.
    pub text_bytes: usize,
    /// Bytes read from the input files so far (compressed size for .gz).
    pub input_bytes_read: u64,
}

/// One entry of a batch, in input order.
#[derive(Debug)]
pub enum Item<T> {
    /// A processed document.
    Done(T),
    /// A record that could not be read (already passed to the observer).
    Skipped(ReadError),
}

/// The counts of a finished run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub processed: usize,
    pub skipped: usize,
    /// Dropped as already done (`already_done`).
    pub resumed: usize,
    /// Read but left to other shards (`shard`).
    pub other_shards: usize,
    pub warnings: usize,
    /// Bytes of text processed.
    pub text_bytes: usize,
    pub threads: usize,
}

/// Runs a per-document function over a corpus on a worker pool.
pub struct Engine {
    pool: rayon::ThreadPool,
    threads: usize,
    config: EngineConfig,
}

impl Engine {
    pub fn new(config: EngineConfig) -> Result<Self> {
        let threads = match config.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("slant-worker-{i}"))
            .build()
            .map_err(|e| Error::invalid(format!("cannot start {threads} worker thread(s): {e}")))?;
        Ok(Engine { pool, threads, config })
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Process every document of `corpus` with `work` (on the pool, one
    /// long-lived [`Worker`] per thread so caches stay warm) and hand the
    /// results to `sink` batch by batch in input order, with skipped
    /// records in their place. Returns when the corpus is exhausted, or
    /// with the first error of the reader (a fatal read error, or any bad
    /// record under `strict`) or of the sink.
    pub fn run<T, W, S>(&self, corpus: Corpus, work: W, mut sink: S, observer: &dyn Observer) -> Result<Summary>
    where
        T: Send,
        W: Fn(&mut Worker, Document) -> T + Sync,
        S: FnMut(Vec<Item<T>>) -> Result<()> + Send,
    {
        let bytes_read = corpus.bytes_read();
        let (doc_tx, doc_rx) = mpsc::sync_channel::<Vec<DocResult>>(QUEUE_BATCHES);
        let filter = Filter {
            already_done: self.config.already_done.clone(),
            shard: self.config.shard,
            limit: self.config.limit.unwrap_or(usize::MAX),
        };
        // Detached: if the run stops early (--strict, a sink error) the
        // reader must not be waited for, as it may be blocked on stdin.
        let reader = std::thread::Builder::new()
            .name("slant-reader".into())
            .spawn(move || read_batches(corpus, filter, doc_tx))
            .map_err(|e| Error::io("cannot start the reader thread", e))?;
        let mut summary = Summary { threads: self.threads, ..Summary::default() };
        let workers: Vec<Mutex<Worker>> = (0..self.threads).map(|_| Mutex::new(Worker::default())).collect();
        let text_bytes = std::thread::scope(|scope| -> Result<usize> {
            let (out_tx, out_rx) = mpsc::sync_channel::<(Vec<Item<T>>, usize)>(QUEUE_BATCHES);
            let sink_thread = std::thread::Builder::new()
                .name("slant-sink".into())
                .spawn_scoped(scope, move || -> Result<usize> {
                    let mut progress = Progress::default();
                    for (batch, bytes) in out_rx {
                        progress.documents += batch.iter().filter(|i| matches!(i, Item::Done(_))).count();
                        progress.text_bytes += bytes;
                        sink(batch)?;
                        progress.input_bytes_read = bytes_read.load(std::sync::atomic::Ordering::Relaxed);
                        observer.progress(&progress);
                    }
                    Ok(progress.text_bytes)
                })
                .map_err(|e| Error::io("cannot start the output thread", e))?;
            let mut seen_ids: FxHashSet<u64> = FxHashSet::default();
            let scoring = (|| -> Result<()> {
                for items in doc_rx {
                    let mut docs = Vec::with_capacity(items.len());
                    // Positions of skipped records within the batch, so
                    // they reach the sink in input order.
                    let mut skipped = Vec::new();
                    for (pos, item) in items.into_iter().enumerate() {
                        match item {
                            Ok(doc) => {
                                self.check_document(&doc, &mut seen_ids, &mut summary, observer)?;
                                docs.push(doc);
                            }
                            Err(e) => {
                                if e.fatal || self.config.strict {
                                    return Err(e.into());
                                }
                                summary.skipped += 1;
                                observer.skipped(&e);
                                skipped.push((pos, e));
                            }
                        }
                    }
                    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
                    let done: Vec<T> = self.pool.install(|| {
                        docs.into_par_iter()
                            .map(|doc| {
                                let slot = rayon::current_thread_index().unwrap_or(0) % workers.len();
                                let mut w = workers[slot].lock().unwrap_or_else(|p| p.into_inner());
                                work(&mut w, doc)
                            })
                            .collect()
                    });
                    summary.processed += done.len();
                    if out_tx.send((interleave(done, skipped), bytes)).is_err() {
                        break; // the sink stopped on an error, returned below
                    }
                }
                Ok(())
            })();
            drop(out_tx);
            let sunk = sink_thread.join().map_err(|_| Error::invalid("the output thread panicked"))?;
            scoring?;
            sunk
        })?;
        // The reader has sent its last batch (the queue is drained), so
        // this join does not wait on input.
        let dropped = reader.join().map_err(|_| Error::invalid("the reader thread panicked"))?;
        summary.resumed = dropped.resumed;
        summary.other_shards = dropped.other_shards;
        summary.text_bytes = text_bytes;
        Ok(summary)
    }

    /// Warnings for one document read (repairs, duplicate ids); under
    /// `strict` a repaired document is an error.
    fn check_document(
        &self,
        doc: &Document,
        seen_ids: &mut FxHashSet<u64>,
        summary: &mut Summary,
        observer: &dyn Observer,
    ) -> Result<()> {
        if self.config.strict && !doc.warnings.is_empty() {
            bail!("{} (document '{}'): {} (--strict)", doc.location, doc.id, doc.warnings.join("; "));
        }
        let mut h = rustc_hash::FxHasher::default();
        doc.id.hash(&mut h);
        if !seen_ids.insert(h.finish()) {
            summary.warnings += 1;
            observer.duplicate_id(doc);
        }
        for w in &doc.warnings {
            summary.warnings += 1;
            observer.warning(doc, w);
        }
        Ok(())
    }
}

/// Results in input order with the skipped records back at their
/// positions (`skipped` is sorted by position).
fn interleave<T>(done: Vec<T>, skipped: Vec<(usize, ReadError)>) -> Vec<Item<T>> {
    let mut out = Vec::with_capacity(done.len() + skipped.len());
    let mut skipped = skipped.into_iter().peekable();
    for t in done {
        while let Some((_, e)) = skipped.next_if(|(pos, _)| *pos == out.len()) {
            out.push(Item::Skipped(e));
        }
        out.push(Item::Done(t));
    }
    out.extend(skipped.map(|(_, e)| Item::Skipped(e)));
    out
}

/// Which documents the reader passes on.
struct Filter {
    already_done: FxHashMap<String, usize>,
    shard: Option<Shard>,
    limit: usize,
}

/// Documents the reader dropped before work.
#[derive(Default)]
struct Dropped {
    resumed: usize,
    other_shards: usize,
}

/// The reader stage: batches of documents (and read errors, in order), with
/// documents already done or of other shards dropped, up to the limit.
/// Returns how many documents were dropped, and why.
fn read_batches(corpus: Corpus, mut filter: Filter, tx: mpsc::SyncSender<Vec<DocResult>>) -> Dropped {
    let mut dropped = Dropped::default();
    let mut passed = 0;
    let mut batch = Vec::with_capacity(BATCH_DOCS);
    let mut batch_bytes = 0;
    for item in corpus {
        if passed >= filter.limit {
            break;
        }
        if let Ok(doc) = &item {
            if let Some(n) = filter.already_done.get_mut(&doc.id).filter(|n| **n > 0) {
                *n -= 1;
                dropped.resumed += 1;
                continue;
            }
            if filter.shard.is_some_and(|s| !s.contains(&doc.id)) {
                dropped.other_shards += 1;
                continue;
            }
            passed += 1;
            batch_bytes += doc.text.len();
        }
        batch.push(item);
        if batch.len() >= BATCH_DOCS || batch_bytes >= BATCH_BYTES {
            if tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH_DOCS))).is_err() {
                return dropped; // processing stopped early
            }
            batch_bytes = 0;
        }
    }
    if !batch.is_empty() {
        let _ = tx.send(batch);
    }
    dropped
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
        assert_eq!("2/8".parse::<Shard>().unwrap(), Shard { k: 2, n: 8 });
        assert!("0/8".parse::<Shard>().is_err());
        assert!("9/8".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }

    #[test]
    fn skipped_records_keep_their_place() {
        let e = |m: &str| ReadError::record("f", m);
        let items = interleave(vec![1, 2, 3], vec![(0, e("a")), (2, e("b")), (5, e("c"))]);
        let shape: Vec<String> = items
            .iter()
            .map(|i| match i {
                Item::Done(n) => n.to_string(),
                Item::Skipped(e) => e.message.clone(),
            })
            .collect();
        assert_eq!(shape, ["a", "1", "b", "2", "3", "c"]);
    }

    fn corpus_of(texts: &[&str]) -> (tempfile::TempDir, Corpus) {
        let dir = tempfile::tempdir().unwrap();
        let mut csv = String::from("id,text\n");
        for (i, t) in texts.iter().enumerate() {
            csv.push_str(&format!("d{i},{t}\n"));
        }
        let path = dir.path().join("c.csv");
        std::fs::write(&path, csv).unwrap();
        let corpus = Corpus::new(vec![path], crate::read::ReadOptions::default());
        (dir, corpus)
    }

    #[test]
    fn results_arrive_in_input_order_on_every_thread_count() {
        let texts: Vec<String> = (0..700).map(|i| format!("word{i} and more words")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        for threads in [1, 2, 3] {
            let (_dir, corpus) = corpus_of(&refs);
            let engine = Engine::new(EngineConfig { threads, ..Default::default() }).unwrap();
            let mut ids = Vec::new();
            let summary = engine
                .run(
                    corpus,
                    |_, doc| doc.id,
                    |batch| {
                        ids.extend(batch.into_iter().filter_map(|i| match i {
                            Item::Done(id) => Some(id),
                            Item::Skipped(_) => None,
                        }));
                        Ok(())
                    },
                    &Silent,
                )
                .unwrap();
            assert_eq!(summary.processed, 700);
            let want: Vec<String> = (0..700).map(|i| format!("d{i}")).collect();
            assert_eq!(ids, want, "threads = {threads}");
        }
    }

    #[test]
    fn work_runs_on_all_threads() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        let texts: Vec<String> = (0..600).map(|i| format!("text {i}")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (_dir, corpus) = corpus_of(&refs);
        let engine = Engine::new(EngineConfig { threads: 2, ..Default::default() }).unwrap();
        let (active, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let work = |_: &mut Worker, _: Document| {
            let now = active.fetch_add(1, SeqCst) + 1;
            most.fetch_max(now, SeqCst);
            // Hold the first document until a second one runs beside it
            // (bounded, so a single-threaded engine fails instead of hanging).
            let start = std::time::Instant::now();
            while most.load(SeqCst) < 2 && start.elapsed() < std::time::Duration::from_secs(5) {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            active.fetch_sub(1, SeqCst);
        };
        engine.run(corpus, work, |_| Ok(()), &Silent).unwrap();
        assert_eq!(most.load(SeqCst), 2);
    }

    #[test]
    fn already_done_and_shards_are_dropped_before_work() {
        let (_dir, corpus) = corpus_of(&["a", "b", "c", "d"]);
        let mut already_done = FxHashMap::default();
        already_done.insert("d1".to_string(), 1);
        let engine = Engine::new(EngineConfig { threads: 1, already_done, ..Default::default() }).unwrap();
        let mut ids = Vec::new();
        let s = engine
            .run(
                corpus,
                |_, d| d.id,
                |b| {
                    ids.extend(b.into_iter().filter_map(|i| if let Item::Done(d) = i { Some(d) } else { None }));
                    Ok(())
                },
                &Silent,
            )
            .unwrap();
        assert_eq!(ids, ["d0", "d2", "d3"]);
        assert_eq!((s.processed, s.resumed), (3, 1));
    }

    #[test]
    fn a_sink_error_ends_the_run() {
        let (_dir, corpus) = corpus_of(&["a", "b"]);
        let engine = Engine::new(EngineConfig { threads: 1, ..Default::default() }).unwrap();
        let e = engine.run(corpus, |_, _| (), |_| Err(Error::invalid("disk full")), &Silent).unwrap_err();
        assert_eq!(e.to_string(), "disk full");
    }
}
