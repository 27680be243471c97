//! Scoring one document: text -> signals -> counts -> model probabilities.
//! The per-document unit of work that the [`Engine`](super::Engine) runs in
//! parallel for `score`, `report` and `explain`.

use ndarray::Array2;

use crate::features::sparse::CsrMatrix;
use crate::models::artifact::{Level, TrainedModel};
use crate::read::Document;
use crate::signals::stats::{count, count_sentence, sentence_tokens, DocStats};
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
) -> (Vec<Option<f64>>, Option<Array2<f64>>) {
    match model.file.level {
        Level::Document => {
            // Reuses this run's analysis where that gives the model's own.
            let whole = model.predict_document(set, &doc.text, signals, stats, worker);
            ((0..model.file.labels.len()).map(|c| Some(whole[[0, c]])).collect(), None)
        }
        Level::Sentence => match sentence_rows {
            Some(rows) if rows.n_rows() > 0 => {
                let p = model.file.estimator.predict_proba(&rows);
                (sentence_aggregates(&p), Some(p))
            }
            _ => (vec![None; 3 * model.file.labels.len()], None),
        },
    }
}

/// The feature rows of every sentence for each sentence-level model
/// (`None` for the others), from the document's analysis of that sentence:
/// its tokens with the quotation state and the matches the article's
/// evidence file shows, counted as a document of one sentence
/// ([`sentence_row`]). The models were trained on standalone sentences,
/// for which the document is the sentence, so a one-sentence document gets
/// exactly the row of [`TrainedModel::featurize`]. A model trained with
/// other lexicons than this run's gets the rows of its own analysis of the
/// document; a sentence its boilerplate list changes is featurised on its
/// cleaned text, as `featurize` does.
fn sentence_features(
    set: &SignalSet,
    models: &[TrainedModel],
    worker: &mut Worker,
    text: &str,
    signals: &DocSignals,
) -> Vec<Option<CsrMatrix>> {
    // The generation of the analyzer's word ids `signals` was built with.
    let generation = worker.analyzer.generation();
    models
        .iter()
        .map(|m| {
            (m.file.level == Level::Sentence).then(|| {
                let reuse = m.shares_lexicons_with(set) && worker.analyzer.generation() == generation;
                rows_of_sentences(m, worker, text, if reuse { Some(signals) } else { None })
            })
        })
        .collect()
}

/// The rows of every sentence of `text` for the sentence-level model `m`
/// (as [`sentence_features`] gives them), from the model's own analysis of
/// `text`; for `explain`, which analyses the text with the run's lexicons
/// only.
pub fn sentence_rows_of_text(m: &TrainedModel, worker: &mut Worker, text: &str) -> CsrMatrix {
    rows_of_sentences(m, worker, text, None)
}

/// The rows of every sentence of `text` for the sentence-level model `m`,
/// slicing `analysis` (the model's own analysis of `text`, if the caller
/// has it with the analyzer's current word ids) or else the model's fresh
/// analysis of `text`.
fn rows_of_sentences(m: &TrainedModel, worker: &mut Worker, text: &str, analysis: Option<&DocSignals>) -> CsrMatrix {
    let f = &m.file.features;
    let mut fresh: Option<(u64, DocSignals)> = None;
    let n_sentences = match analysis {
        Some(doc) => doc.analyzed.sentences.len(),
        None => {
            let doc = m.signals.analyze(text, worker);
            let n = doc.analyzed.sentences.len();
            fresh = Some((worker.analyzer.generation(), doc));
            n
        }
    };
    let mut rows = CsrMatrix::new(f.n_features());
    for i in 0..n_sentences {
        let doc = match (&fresh, analysis) {
            (None, Some(doc)) => doc,
            (Some((g, doc)), _) if *g == worker.analyzer.generation() => doc,
            _ => {
                // A cleaned sentence's analysis started the analyzer's word
                // ids over: the document is analysed again (same tokens and
                // matches, new ids).
                let doc = m.signals.analyze(text, worker);
                &fresh.insert((worker.analyzer.generation(), doc)).1
            }
        };
        let span = doc.analyzed.sentences[i].span;
        match f.spec.clean(&text[span.start..span.end]) {
            std::borrow::Cow::Borrowed(_) => rows.push_row(sentence_row(m, worker, doc, i as u32)),
            std::borrow::Cow::Owned(cleaned) => {
                // On its own cleaned text, as `featurize` does.
                let sig = m.signals.analyze(&cleaned, worker);
                let st = count(&m.signals, &sig);
                rows.push_row(f.row_of_doc(&sig.analyzed, &worker.analyzer, &st));
            }
        }
    }
    rows
}

/// The feature row of sentence `sentence` of `doc` (analysed with `m`'s
/// lexicons) for model `m`: the slice of the document's analysis.
pub fn sentence_row(m: &TrainedModel, worker: &Worker, doc: &DocSignals, sentence: u32) -> Vec<(u32, f32)> {
    let stats = count_sentence(&m.signals, doc, sentence);
    m.file.features.row_of_tokens(sentence_tokens(doc, sentence), &worker.analyzer, &stats)
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

/// Score a document with the lexicons and any trained models.
pub fn score_with_models(set: &SignalSet, models: &[TrainedModel], worker: &mut Worker, doc: Document) -> Scored {
    // Models that analyse the document's text again (cleaned of
    // boilerplate, or with lexicons of their own) find its sentences'
    // tags in the memo.
    worker.analyzer.memoise_tags(
        models.iter().any(|m| m.file.features.spec.boilerplate.is_some() || !m.shares_lexicons_with(set)),
    );
    let signals = set.analyze(&doc.text, worker);
    let stats = count(set, &signals);
    let mut sentence_rows = sentence_features(set, models, worker, &doc.text, &signals);
    let (model_values, sentence_probs) = models
        .iter()
        .zip(sentence_rows.iter_mut())
        .map(|(m, rows)| apply_model(set, m, worker, &doc, &signals, &stats, rows.take()))
        .unzip();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signals::Match;
    use crate::text::{Analyzed, Token};
    use std::path::Path;

    fn shipped(name: &str) -> TrainedModel {
        TrainedModel::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("models").join(name)).unwrap()
    }

    fn bits(row: (&[u32], &[f32])) -> Vec<(u32, u32)> {
        row.0.iter().zip(row.1).map(|(&c, v)| (c, v.to_bits())).collect()
    }

    /// Sentence `i` of `doc` rebuilt as a document of its own, sentence
    /// numbers and token positions renumbered (written independently of
    /// `count_sentence` and `sentence_tokens`).
    fn as_own_document(doc: &DocSignals, i: u32) -> DocSignals {
        let first = doc.analyzed.tokens.iter().position(|t| t.sentence == i).unwrap();
        let tokens: Vec<Token> =
            doc.analyzed.tokens.iter().filter(|t| t.sentence == i).map(|t| Token { sentence: 0, ..*t }).collect();
        let matches = doc
            .matches
            .iter()
            .filter(|m| m.sentence == i)
            .map(|m| Match { sentence: 0, tok_start: m.tok_start - first, tok_end: m.tok_end - first, ..*m })
            .collect();
        let analyzed = Analyzed { tokens, sentences: vec![doc.analyzed.sentences[i as usize]], quotes: Vec::new() };
        DocSignals { analyzed, matches, attributions: Vec::new() }
    }

    /// A document of one sentence is what the sentence models were trained
    /// on: its row from the document's analysis is bit for bit the row
    /// `featurize` gives the text (the training path's features).
    #[test]
    fn a_one_sentence_document_gets_the_standalone_row() {
        let mut w = Worker::default();
        for name in ["subjectivity.json", "bias.json"] {
            let m = shipped(name);
            let set = m.signals.clone();
            for text in [
                "Officials said the plan may fail, and critics called it a reckless, shameful disaster.",
                "\"We will not back down,\" the senator said on Tuesday.",
                "The council did not approve the budget, which Republicans and Democrats both opposed.",
                "Short.",
            ] {
                let signals = set.analyze(text, &mut w);
                assert_eq!(signals.analyzed.sentences.len(), 1, "{text}");
                let rows = sentence_features(&set, std::slice::from_ref(&m), &mut w, text, &signals);
                let rows = rows[0].as_ref().unwrap();
                assert_eq!(rows.n_rows(), 1);
                let alone = m.featurize(&[text], &mut w);
                assert_eq!(bits(rows.row(0)), bits(alone.row(0)), "{name}: {text}");
            }
        }
    }

    /// In a longer document each sentence's row is the slice of the
    /// document's analysis: a quotation that runs over two sentences
    /// quotes the words of the second one, which its text alone does not.
    #[test]
    fn a_sentence_of_a_longer_document_gets_the_row_of_its_slice() {
        let mut w = Worker::default();
        let m = shipped("subjectivity.json");
        let set = m.signals.clone();
        let text = "The mayor spoke on Monday. \"We will rebuild the old bridge. It may take years, but it is \
                    clearly worth it,\" she said. Critics disagreed sharply.";
        let signals = set.analyze(text, &mut w);
        assert_eq!(signals.analyzed.sentences.len(), 4);
        let rows = sentence_features(&set, std::slice::from_ref(&m), &mut w, text, &signals);
        let rows = rows[0].as_ref().unwrap();
        assert_eq!(rows.n_rows(), 4);
        // The model's fresh analysis of the document gives the same rows.
        let fresh = rows_of_sentences(&m, &mut w, text, None);
        let mut differs_from_alone = 0;
        for (i, s) in signals.analyzed.sentences.iter().enumerate() {
            let own = as_own_document(&signals, i as u32);
            let want = m.file.features.row_of_doc(&own.analyzed, &w.analyzer, &count(&set, &own));
            let mut want_csr = CsrMatrix::new(m.file.features.n_features());
            want_csr.push_row(want);
            assert_eq!(bits(rows.row(i)), bits(want_csr.row(0)), "sentence {i}");
            assert_eq!(bits(fresh.row(i)), bits(want_csr.row(0)), "sentence {i}, fresh analysis");
            let alone = m.featurize(&[&text[s.span.start..s.span.end]], &mut w);
            differs_from_alone += (bits(alone.row(0)) != bits(rows.row(i))) as usize;
        }
        // Sentence 2 ("It may take years, ...") starts inside the quotation.
        let first_word = signals.analyzed.tokens.iter().find(|t| t.sentence == 2 && t.kind.is_word()).unwrap();
        assert!(first_word.in_quote);
        assert!(differs_from_alone >= 1, "the quotation state of the document reaches the rows");
    }

    /// A document without sentences gets no sentence rows (and so no
    /// sentence-model values), whichever analysis is sliced.
    #[test]
    fn no_sentence_no_row() {
        let mut w = Worker::default();
        let m = shipped("subjectivity.json");
        let set = m.signals.clone();
        for text in ["", "   \n\n  ", "—"] {
            let signals = set.analyze(text, &mut w);
            let rows = sentence_features(&set, std::slice::from_ref(&m), &mut w, text, &signals);
            assert_eq!(rows[0].as_ref().unwrap().n_rows(), signals.analyzed.sentences.len());
            assert_eq!(rows_of_sentences(&m, &mut w, text, None).n_rows(), signals.analyzed.sentences.len());
        }
    }
}
