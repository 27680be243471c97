//! Scoring one document: text -> signals -> counts. The per-document unit
//! of work that `score` runs in parallel and writes in input order.

use crate::models::file::{Level, TrainedModel};
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
    /// the order of [`model_outputs`]; `None` is undefined.
    pub model_values: Vec<Vec<Option<f64>>>,
}

/// Output columns of a model, as (suffix, definition) after `p_<model>_`.
/// Document-level models: one probability per label. Sentence-level
/// models: the same on the whole text, plus the mean, max and share of
/// sentences above 0.5 of each label's per-sentence probability.
pub fn model_outputs(model: &TrainedModel) -> Vec<(String, String)> {
    let f = &model.file;
    let mut out = Vec::new();
    for l in &f.labels {
        let s = crate::models::file::snake(l);
        let unit = match f.level {
            Level::Document => "the document",
            Level::Sentence => {
                "the whole text taken as one unit (the model was trained on sentences; see the _sent_ columns)"
            }
        };
        out.push((s.clone(), format!("Probability of label '{l}' from model '{}' applied to {unit}.", f.name)));
        if f.level == Level::Sentence {
            out.push((
                format!("{s}_sent_mean"),
                format!("Mean over the document's sentences of P('{l}') from sentence-level model '{}'.", f.name),
            ));
            out.push((format!("{s}_sent_max"), format!("Maximum over sentences of P('{l}') from model '{}'.", f.name)));
            out.push((
                format!("{s}_sent_share50"),
                format!("Share of sentences with P('{l}') > 0.5 from model '{}'.", f.name),
            ));
        }
    }
    out
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
