//! Scoring one document: text -> signals -> counts -> model probabilities.
//! The per-document unit of work that the [`Engine`](super::Engine) runs in
//! parallel for `score`, `report` and `explain`.

use ndarray::Array2;

use crate::features::sparse::CsrMatrix;
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
    /// Per model, for a sentence-level model its probabilities per sentence
    /// (rows: the document's sentences, columns: labels); `None` for a
    /// document-level model.
    pub sentence_probs: Vec<Option<Array2<f64>>>,
}

/// A sentence counts as flagged for a label (the `_sent_share50` columns)
/// when the sentence-level model gives that label more than this.
pub const SENTENCE_FLAG_THRESHOLD: f64 = 0.5;

/// A model's output columns' values, and for a sentence-level model its
/// per-sentence probabilities.
type ModelOutput = (Vec<Option<f64>>, Option<Array2<f64>>);

/// A document-level model gives one probability per label for the whole
/// text. A sentence-level model is applied only to sentences, the unit it
/// was trained on: applied to a whole article its probabilities mean
/// nothing (they grow with length), so the document gets only aggregates
/// of the per-sentence probabilities.
fn apply_model(
    set: &SignalSet,
    model: &TrainedModel,
    worker: &mut Worker,
    doc: &Document,
    signals: &DocSignals,
    stats: &DocStats,
    sentence_rows: Option<CsrMatrix>,
) -> crate::error::Result<ModelOutput> {
    Ok(match model.file.level {
        Level::Document => {
            // Reuses this run's analysis where that gives the model's own.
            let whole = model.predict_document(set, &doc.text, signals, stats, worker)?;
            ((0..model.file.labels.len()).map(|c| Some(whole[[0, c]])).collect(), None)
        }
        Level::Sentence => match sentence_rows {
            Some(rows) if rows.n_rows() > 0 => {
                let p = model.file.estimator.predict_proba(&rows);
                (sentence_aggregates(&p), Some(p))
            }
            _ => (vec![None; 3 * model.file.labels.len()], None),
        },
    })
}

/// For each model of a run, for each model it stacks: the index in the
/// run's models of a model given as well that is that very model (its
/// whole file equal to the embedded one, not just the SHA-256 it claims),
/// whose row of each sentence then gives the stacked probabilities instead
/// of the embedded copy running again. Decided once per run (comparing
/// whole model files is not free; [`score_with_models`] decides it per
/// call).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StackedReuse(Vec<Vec<Option<usize>>>);

impl StackedReuse {
    pub fn of(models: &[TrainedModel]) -> Self {
        StackedReuse(
            models
                .iter()
                .map(|m| {
                    m.stacked
                        .iter()
                        .map(|s| {
                            models.iter().position(|other| {
                                other.file.level == Level::Sentence && other.stacked.is_empty() && other.file == s.file
                            })
                        })
                        .collect()
                })
                .collect(),
        )
    }

    /// Which of the run's models gives the probabilities of stacked model
    /// `k` of model `i`, if any.
    pub fn source(&self, i: usize, k: usize) -> Option<usize> {
        self.0.get(i).and_then(|m| m.get(k).copied().flatten())
    }
}

/// The feature rows of every sentence (as its own text, the unit the
/// models were trained on) for each sentence-level model (`None` for the
/// others). A sentence is analysed once per compiled lexicon set and the
/// analysis shared by the models that use that set (the shipped sentence
/// models share one); each row is built right after its sentence's
/// analysis, while the analyser's word ids are valid. Gives the rows of
/// [`TrainedModel::featurize`] of each sentence. A model that stacks others
/// gets their probabilities of the sentence once all of the sentence's
/// other rows are built (the stacked models analyse it again); an error
/// there leaves that model without rows and is returned with it.
fn sentence_features(
    models: &[TrainedModel],
    reuse: &StackedReuse,
    worker: &mut Worker,
    doc: &Document,
    signals: &DocSignals,
) -> (Vec<Option<CsrMatrix>>, Vec<String>) {
    let mut rows: Vec<Option<CsrMatrix>> = models
        .iter()
        .map(|m| (m.file.level == Level::Sentence).then(|| CsrMatrix::new(m.file.features.n_features())))
        .collect();
    let mut errors = Vec::new();
    if rows.iter().all(Option::is_none) {
        return (rows, errors);
    }
    let mut shared: Vec<(*const SignalSet, DocSignals, DocStats)> = Vec::new();
    for s in &signals.analyzed.sentences {
        let text = &doc.text[s.span.start..s.span.end];
        shared.clear();
        // Rows of models that stack others, their stacked columns still
        // empty until every other row of the sentence is built.
        let mut pending: Vec<(usize, Vec<(u32, f32)>)> = Vec::new();
        for (i, (m, out)) in models.iter().zip(rows.iter_mut()).enumerate() {
            let Some(out) = out else { continue };
            let f = &m.file.features;
            let row = if f.spec.boilerplate.is_some() {
                // Analysed on its own cleaned text, as `featurize` does.
                let sig = m.signals.analyze(&f.spec.clean(text), worker);
                let st = count(&m.signals, &sig);
                f.row_of_doc(&sig.analyzed, &worker.analyzer, &st)
            } else {
                let key = std::sync::Arc::as_ptr(&m.signals);
                let at = match shared.iter().position(|(k, _, _)| *k == key) {
                    Some(at) => at,
                    None => {
                        let sig = m.signals.analyze(text, worker);
                        let st = count(&m.signals, &sig);
                        shared.push((key, sig, st));
                        shared.len() - 1
                    }
                };
                let (_, sig, st) = &shared[at];
                f.row_of_doc(&sig.analyzed, &worker.analyzer, st)
            };
            if m.stacked.is_empty() {
                out.push_row(row);
            } else {
                pending.push((i, row));
            }
        }
        for (i, mut row) in pending {
            let m = &models[i];
            let mut values = Vec::with_capacity(m.file.features.spec.stacked.len());
            let mut failed = None;
            for (k, stacked) in m.stacked.iter().enumerate() {
                match reuse.source(i, k).and_then(|j| rows[j].as_ref().map(|r| (j, r))) {
                    Some((j, done)) => values.extend(last_row_probabilities(&models[j], done)),
                    None => match stacked.stacked_features(text, worker) {
                        Ok(v) => values.extend(v),
                        Err(e) => failed = Some(e),
                    },
                }
            }
            let set = failed.map_or_else(|| m.file.features.set_stacked(&mut row, &values), Err);
            match (set, rows[i].as_mut()) {
                (Ok(()), Some(out)) => out.push_row(row),
                (Err(e), _) => {
                    errors.push(format!("model '{}': {e}; its values are left empty", m.file.name));
                    rows[i] = None;
                }
                (Ok(()), None) => {}
            }
        }
    }
    (rows, errors)
}

/// `model`'s class probabilities of the last row of `rows` (the sentence
/// just featurised), as stacked feature values.
fn last_row_probabilities(model: &TrainedModel, rows: &CsrMatrix) -> Vec<f32> {
    let (idx, val) = rows.row(rows.n_rows() - 1);
    let mut one = CsrMatrix::new(rows.n_cols);
    one.push_row(idx.iter().copied().zip(val.iter().copied()).collect());
    model.file.estimator.predict_proba(&one).row(0).iter().map(|&p| p as f32).collect()
}

/// Per label: mean, maximum and share of sentences above
/// [`SENTENCE_FLAG_THRESHOLD`] of the per-sentence probabilities `p`
/// (at least one row).
fn sentence_aggregates(p: &Array2<f64>) -> Vec<Option<f64>> {
    let n = p.nrows() as f64;
    let mut out = Vec::with_capacity(3 * p.ncols());
    for col in p.columns() {
        out.push(Some(col.sum() / n));
        out.push(Some(col.fold(f64::NEG_INFINITY, |a, &b| a.max(b))));
        out.push(Some(col.iter().filter(|&&v| v > SENTENCE_FLAG_THRESHOLD).count() as f64 / n));
    }
    out
}

pub fn score_document(set: &SignalSet, worker: &mut Worker, doc: Document) -> Scored {
    score_with_models(set, &[], worker, doc)
}

/// Score a document with the lexicons and any trained models (which
/// stacked models are reused decided for this call: a run scoring many
/// documents decides it once, with [`score_with_reuse`]).
pub fn score_with_models(set: &SignalSet, models: &[TrainedModel], worker: &mut Worker, doc: Document) -> Scored {
    score_with_reuse(set, models, &StackedReuse::of(models), worker, doc)
}

/// [`score_with_models`] with the run's [`StackedReuse`] of `models`. A
/// model whose values cannot be computed (a stacked model's output that
/// does not fit its columns) gets empty values and the document a warning.
pub fn score_with_reuse(
    set: &SignalSet,
    models: &[TrainedModel],
    reuse: &StackedReuse,
    worker: &mut Worker,
    mut doc: Document,
) -> Scored {
    // Models that analyse sentences of the document again (each sentence,
    // or the text cleaned of boilerplate) find their tags in the memo.
    worker.analyzer.memoise_tags(
        models.iter().any(|m| m.file.level == Level::Sentence || m.file.features.spec.boilerplate.is_some()),
    );
    let mut signals = set.analyze(&doc.text, worker);
    let mut generation = worker.analyzer.generation();
    let stats = count(set, &signals);
    let (mut sentence_rows, errors) = sentence_features(models, reuse, worker, &doc, &signals);
    doc.warnings.extend(errors);
    let mut model_values = Vec::with_capacity(models.len());
    let mut sentence_probs = Vec::with_capacity(models.len());
    for (m, rows) in models.iter().zip(sentence_rows.iter_mut()) {
        if m.file.level == Level::Document && worker.analyzer.generation() != generation {
            // An analysis since (a sentence's, a cleaned text's, a stacked
            // model's) cleared the analyzer's caches: `signals`' word ids
            // are stale. Analysed again: same tokens and matches, current ids.
            signals = set.analyze(&doc.text, worker);
            generation = worker.analyzer.generation();
        }
        match apply_model(set, m, worker, &doc, &signals, &stats, rows.take()) {
            Ok((values, probs)) => {
                model_values.push(values);
                sentence_probs.push(probs);
            }
            Err(e) => {
                doc.warnings.push(format!("model '{}': {e}; its values are left empty", m.file.name));
                model_values.push(vec![None; m.file.labels.len()]);
                sentence_probs.push(None);
            }
        }
    }
    Scored { doc, signals, stats, model_values, sentence_probs }
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
