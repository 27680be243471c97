//! Scoring one document: text -> signals -> counts. The per-document unit
//! of work that `score` runs in parallel and writes in input order.

use crate::read::Document;
use crate::signals::stats::{count, DocStats};
use crate::signals::{DocSignals, SignalSet, Worker};

/// A scored document: everything the output files are written from.
#[derive(Debug, Clone)]
pub struct Scored {
    pub doc: Document,
    pub signals: DocSignals,
    pub stats: DocStats,
}

pub fn score_document(set: &SignalSet, worker: &mut Worker, doc: Document) -> Scored {
    let signals = set.analyze(&doc.text, worker);
    let stats = count(set, &signals);
    Scored { doc, signals, stats }
}
