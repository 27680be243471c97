//! Scoring one document: text -> signals -> counts -> model probabilities.
//! The per-document unit of work that the [`Engine`](super::Engine) runs in
//! parallel for `score`, `report` and `explain`.

use crate::models::artifact::{Level, TrainedModel};
use crate::read::Document;
use crate::signals::stats::{count, DocStats};
use crate::signals::{DocSignals, SignalSet, Worker};

/// A scored document: everything the output files are written from.
#[derive(Debug, Clone)]
pub struct Scored {
    pub doc: Document,
    pub signals: DocSignals,
    pub stats: DocStats,
    /// Per model (in `--model` order), the values of its output columns in
    /// the order of [`crate::output::columns::model_outputs`]; `None` is undefined.
    pub model_values: Vec<Vec<Option<f64>>>,
}

fn apply_model(
    set: &SignalSet,
    model: &TrainedModel,
    worker: &mut Worker,
    doc: &Document,
    signals: &DocSignals,
    stats: &DocStats,
) -> Vec<Option<f64>> {
    // Reuse this run's analysis when the model was trained with the same
    // lexicons (the shipped models are); otherwise analyse with the model's own.
    let whole = if model.shares_lexicons_with(set) {
        model.file.estimator.predict_proba(&model.featurize_analysed(signals, stats, &worker.analyzer))
    } else {
        model.predict_texts(&[doc.text.as_str()], worker)
    };
    let sentences: Vec<&str> = if model.file.level == Level::Sentence {
        signals.analyzed.sentences.iter().map(|s| &doc.text[s.span.start..s.span.end]).collect()
    } else {
        Vec::new()
    };
    let per_sentence = (!sentences.is_empty()).then(|| model.predict_texts(&sentences, worker));
    let mut out = Vec::new();
    for c in 0..model.file.labels.len() {
        out.push(Some(whole[[0, c]]));
        if model.file.level == Level::Sentence {
            match &per_sentence {
                Some(p) => {
                    let col = p.column(c);
                    let n = col.len() as f64;
                    out.push(Some(col.sum() / n));
                    out.push(Some(col.fold(f64::NEG_INFINITY, |a, &b| a.max(b))));
                    out.push(Some(col.iter().filter(|&&v| v > 0.5).count() as f64 / n));
                }
                None => out.extend([None, None, None]),
            }
        }
    }
    out
}

pub fn score_document(set: &SignalSet, worker: &mut Worker, doc: Document) -> Scored {
    score_with_models(set, &[], worker, doc)
}

/// Score a document with the lexicons and any trained models.
pub fn score_with_models(set: &SignalSet, models: &[TrainedModel], worker: &mut Worker, doc: Document) -> Scored {
    let signals = set.analyze(&doc.text, worker);
    let stats = count(set, &signals);
    let model_values = models.iter().map(|m| apply_model(set, m, worker, &doc, &signals, &stats)).collect();
    Scored { doc, signals, stats, model_values }
}

/// One token of the token table (`slant tokens`), with its strings, so
/// the table can be written after the worker's caches have moved on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub sentence: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub text: String,
    pub lower: String,
    pub stem: String,
    pub upos: &'static str,
    pub xpos: &'static str,
    pub in_quote: bool,
}

/// A document's token table.
#[derive(Debug, Clone)]
pub struct DocTokens {
    pub doc_id: String,
    pub tokens: Vec<TokenRow>,
}

/// Analyse `doc` (tokens, sentences, quotations, stems, part-of-speech
/// tags) exactly as scoring does and return its token table. Quotation
/// flags are the scoring ones: scare-quoted words count as the author's.
pub fn tokens_of(set: &SignalSet, worker: &mut Worker, doc: Document) -> DocTokens {
    let mut signals = set.analyze(&doc.text, worker);
    // Scoring tags only the sentences its patterns need; the table has all.
    worker.analyzer.tag(&doc.text, &mut signals.analyzed, crate::text::pos::Tagger::builtin());
    let an = &worker.analyzer;
    let tokens = signals
        .analyzed
        .tokens
        .iter()
        .map(|t| TokenRow {
            sentence: t.sentence as usize,
            char_start: t.span.char_start,
            char_end: t.span.char_end,
            text: doc.text[t.span.start..t.span.end].to_string(),
            lower: an.form(t.form).to_string(),
            stem: an.stem(t.stem).to_string(),
            upos: t.upos.as_str(),
            xpos: t.xpos.as_str(),
            in_quote: t.in_quote,
        })
        .collect();
    DocTokens { doc_id: doc.id, tokens }
}
