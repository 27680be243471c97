//! Scoring one document: text -> signals -> counts -> model probabilities.
//! The per-document unit of work that the [`Engine`](super::Engine) runs in
//! parallel for `score`, `report` and `explain`.

use ndarray::Array2;

use crate::features::sparse::CsrMatrix;
use crate::features::tagged_tokens;
use crate::models::artifact::{Level, TrainedModel};
use crate::read::Document;
use crate::signals::stats::{count, count_sentences, sentence_tokens, DocStats};
use crate::signals::{DocSignals, SignalSet, Worker};

/// A scored document: everything the output files are written from.
#[derive(Debug, Clone)]
pub struct Scored {
    pub doc: Document,
    pub signals: DocSignals,
    /// The analyzer generation `signals`' word ids belong to (see
    /// [`crate::text::Analyzer::generation`]); they are valid while the
    /// worker's analyzer is still at it.
    pub generation: u64,
    pub stats: DocStats,
    /// Per model (in `--model` order), the values of its output columns in
    /// the order of [`crate::output::columns::model_outputs`]; `None` is undefined.
    pub model_values: Vec<Vec<Option<f64>>>,
    /// Per model, for a sentence-level model its probabilities per sentence
    /// (rows: the document's sentences, columns: labels); `None` for a
    /// document-level model.
    pub sentence_probs: Vec<Option<Array2<f64>>>,
    /// Models whose values could not be computed for this document (their
    /// values are left empty), one message each naming the model. This is
    /// lost output, not a read warning: the CLI reports each as an error
    /// naming the document and the run does not end as a plain success.
    pub model_errors: Vec<String>,
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
                recycle_rows(rows);
                (sentence_aggregates(&p), Some(p))
            }
            _ => (vec![None; value_count(model)], None),
        },
    })
}

/// How many values a model gives a document: a probability per label, or
/// for a sentence-level model three aggregates per label.
fn value_count(model: &TrainedModel) -> usize {
    match model.file.level {
        Level::Document => model.file.labels.len(),
        Level::Sentence => 3 * model.file.labels.len(),
    }
}

/// For each model of a run, for each model it stacks: the index in the
/// run's models of a model given as well that is that very model (its
/// whole file equal to the embedded one, not just the SHA-256 it claims),
/// whose rows of the sentences then give the stacked probabilities instead
/// of the embedded copy featurising them again. Decided once per run
/// (comparing whole model files is not free; [`score_with_models`] decides
/// it per call).
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

/// A document's analysis for one lexicon set, the analyzer generation its
/// word ids belong to, and the counts of each of its sentences
/// ([`count_sentences`]), computed once and shared by every sentence model
/// that uses those lexicons.
pub struct SentenceSlices<'a> {
    pub signals: &'a DocSignals,
    pub generation: u64,
    pub counts: Vec<DocStats>,
}

impl<'a> SentenceSlices<'a> {
    /// `signals` analysed with `set` while the analyzer was at `generation`.
    pub fn new(set: &SignalSet, signals: &'a DocSignals, generation: u64) -> Self {
        SentenceSlices { signals, generation, counts: count_sentences(set, signals) }
    }
}

/// The feature rows of every sentence for each sentence-level model
/// (`None` for the others), from the document's analysis of that sentence:
/// its tokens with the quotation state and the matches the article's
/// evidence file shows, counted as a document of one sentence
/// ([`sentence_row`]). The models were trained on standalone sentences,
/// for which the document is the sentence, so a one-sentence document gets
/// exactly the row of [`TrainedModel::featurize`]. `signals` is the run's
/// analysis of `text` with `set`, made while the analyzer was at
/// `generation`; its sentences are counted once for all the models that
/// share the run's lexicons. A model trained with other lexicons than this
/// run's gets the rows of its own analysis of the document; a sentence its
/// boilerplate list changes is featurised on its cleaned text, as
/// `featurize` does.
fn sentence_features(
    set: &SignalSet,
    models: &[TrainedModel],
    reuse: &StackedReuse,
    worker: &mut Worker,
    text: &str,
    signals: &DocSignals,
    generation: u64,
) -> (Vec<Option<CsrMatrix>>, Vec<String>) {
    let is_sentence = |m: &TrainedModel| m.file.level == Level::Sentence;
    let shares =
        |m: &TrainedModel| m.shares_lexicons_with(set) || m.stacked.iter().any(|s| s.shares_lexicons_with(set));
    let slices =
        models.iter().any(|m| is_sentence(m) && shares(m)).then(|| SentenceSlices::new(set, signals, generation));
    let mut rows: Vec<Option<CsrMatrix>> = models.iter().map(|_| None).collect();
    let mut errors = Vec::new();
    // Models that stack nothing first: a model stacking one of them takes
    // its probabilities from its rows (the rows it is scored on).
    for (i, m) in models.iter().enumerate().filter(|(_, m)| is_sentence(m) && m.stacked.is_empty()) {
        rows[i] = Some(sentence_rows(m, worker, text, slices.as_ref().filter(|_| m.shares_lexicons_with(set))));
    }
    for (i, m) in models.iter().enumerate().filter(|(_, m)| is_sentence(m) && !m.stacked.is_empty()) {
        let stacked_rows = {
            let given: Vec<Option<&CsrMatrix>> =
                (0..m.stacked.len()).map(|k| reuse.source(i, k).and_then(|j| rows[j].as_ref())).collect();
            stacked_sentence_rows(set, m, worker, text, slices.as_ref(), &given)
        };
        match stacked_rows {
            Ok(r) => rows[i] = Some(r),
            Err(e) => errors.push(format!("model '{}': {e}; its values are left empty", m.file.name)),
        }
    }
    (rows, errors)
}

/// The rows of every sentence of `text` for the sentence-level model `m`
/// that stacks other models, as [`sentence_rows`] gives them, with the
/// stacked models' probabilities in the last columns: each stacked model's
/// probabilities of the same sentence row it is scored on when given with
/// `--model` (`given[k]`: its rows in this run, if it was given; otherwise
/// computed here the same way, from the run's `slices` when it shares the
/// run's lexicons). A one-sentence document thus gets exactly the training
/// path's row. For a model that stacks nothing: its [`sentence_rows`].
pub fn stacked_sentence_rows(
    set: &SignalSet,
    m: &TrainedModel,
    worker: &mut Worker,
    text: &str,
    slices: Option<&SentenceSlices>,
    given: &[Option<&CsrMatrix>],
) -> crate::error::Result<CsrMatrix> {
    let slices_for = |x: &TrainedModel| slices.filter(|_| x.shares_lexicons_with(set));
    let rows = sentence_rows(m, worker, text, slices_for(m));
    if m.stacked.is_empty() {
        return Ok(rows);
    }
    let mut probs = Vec::with_capacity(m.stacked.len());
    for (k, s) in m.stacked.iter().enumerate() {
        let p = match given.get(k).copied().flatten() {
            Some(theirs) => s.file.estimator.predict_proba(theirs),
            None => s.file.estimator.predict_proba(&sentence_rows(s, worker, text, slices_for(s))),
        };
        if p.nrows() != rows.n_rows() {
            crate::bail!(
                "stacked model '{}' has {} sentence rows where '{}' has {}",
                s.file.name,
                p.nrows(),
                m.file.name,
                rows.n_rows()
            );
        }
        probs.push(p);
    }
    let mut out = CsrMatrix::new(rows.n_cols);
    let mut values = Vec::new();
    for i in 0..rows.n_rows() {
        let (idx, val) = rows.row(i);
        let mut row: Vec<(u32, f32)> = idx.iter().copied().zip(val.iter().copied()).collect();
        values.clear();
        values.extend(probs.iter().flat_map(|p| p.row(i).into_iter().map(|&v| v as f32)));
        m.file.features.set_stacked(&mut row, &values)?;
        out.push_row(row);
    }
    Ok(out)
}

/// The rows of every sentence of `text` for the sentence-level model `m`
/// (as [`sentence_features`] gives them), slicing `slices` (an analysis of
/// `text` with `m`'s lexicons) or else the model's fresh analysis of
/// `text`. Slices whose word ids are no longer the analyzer's (its caches
/// were cleared since, e.g. by a cleaned sentence's analysis) are replaced
/// by a fresh analysis of `text` (same tokens and matches, current ids), so
/// no row is built from stale ids.
///
/// For a model that stacks others, the stacked columns are left empty
/// here: such a model must not be applied to these rows; use
/// [`stacked_sentence_rows`], which fills them. (Public for tests that
/// rebuild a stacking model's rows from these and the stacked values.)
pub fn sentence_rows(m: &TrainedModel, worker: &mut Worker, text: &str, slices: Option<&SentenceSlices>) -> CsrMatrix {
    let f = &m.file.features;
    let mut own: Option<(u64, DocSignals, Vec<DocStats>)> = None;
    let mut rows = row_buffer(f.n_features());
    let mut i = 0;
    loop {
        let now = worker.analyzer.generation();
        let stale = match (&own, slices) {
            (Some((g, _, _)), _) => *g != now,
            (None, Some(s)) => s.generation != now,
            (None, None) => true,
        };
        if stale {
            let doc = m.signals.analyze(text, worker);
            let counts = count_sentences(&m.signals, &doc);
            own = Some((worker.analyzer.generation(), doc, counts));
        }
        let (doc, counts) = match (&own, slices) {
            (Some((_, doc, counts)), _) => (doc, counts.as_slice()),
            (None, Some(s)) => (s.signals, s.counts.as_slice()),
            (None, None) => unreachable!("a missing analysis is stale"),
        };
        let Some(span) = doc.analyzed.sentences.get(i).map(|s| s.span) else { break };
        match f.spec().clean(&text[span.start..span.end]) {
            // The slice of the document's analysis.
            std::borrow::Cow::Borrowed(_) => {
                let tokens = tagged_tokens(f.spec(), text, sentence_tokens(doc, i as u32), &mut worker.analyzer);
                f.push_row_of_tokens(&tokens, &worker.analyzer, &counts[i], &mut rows)
            }
            std::borrow::Cow::Owned(cleaned) => {
                // On its own cleaned text, as `featurize` does.
                let sig = m.signals.analyze(&cleaned, worker);
                let st = count(&m.signals, &sig);
                let tokens = tagged_tokens(f.spec(), &cleaned, &sig.analyzed.tokens, &mut worker.analyzer);
                rows.push_row(f.row_of_tokens(&tokens, &worker.analyzer, &st));
            }
        }
        i += 1;
    }
    rows
}

thread_local! {
    /// Sentence row matrices given back after use ([`recycle_rows`]), whose
    /// buffers the next documents' rows reuse: growing a new matrix row by
    /// row for every document reallocated and copied it many times.
    static ROW_BUFFERS: std::cell::RefCell<Vec<CsrMatrix>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Buffers kept per thread (one per sentence model of a run, typically).
const MAX_ROW_BUFFERS: usize = 4;

/// Row entries (and rows) a kept buffer may hold (0.5 MB of entries): a long document's rows are
/// freed, not kept for all the short ones after it.
const MAX_POOLED_ENTRIES: usize = 1 << 16;

/// An empty matrix of `n_cols` columns, in a recycled buffer if there is one.
fn row_buffer(n_cols: usize) -> CsrMatrix {
    let mut m = ROW_BUFFERS.with(|b| b.borrow_mut().pop()).unwrap_or_default();
    m.n_cols = n_cols;
    m.indptr.clear();
    m.indptr.push(0);
    m.indices.clear();
    m.values.clear();
    m
}

/// Give a matrix that is no longer needed to [`row_buffer`].
fn recycle_rows(m: CsrMatrix) {
    ROW_BUFFERS.with(|b| {
        let mut b = b.borrow_mut();
        if b.len() < MAX_ROW_BUFFERS
            && m.indices.capacity() <= MAX_POOLED_ENTRIES
            && m.indptr.capacity() <= MAX_POOLED_ENTRIES
        {
            b.push(m);
        }
    });
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
/// does not fit its columns) gets empty values and an entry in
/// [`Scored::model_errors`].
pub fn score_with_reuse(
    set: &SignalSet,
    models: &[TrainedModel],
    reuse: &StackedReuse,
    worker: &mut Worker,
    doc: Document,
) -> Scored {
    // Models that analyse the document's text again (cleaned of
    // boilerplate, or with lexicons of their own) find its sentences'
    // tags in the memo.
    worker.analyzer.memoise_tags(
        models.iter().any(|m| m.file.features.spec().boilerplate.is_some() || !m.shares_lexicons_with(set)),
    );
    let mut signals = set.analyze(&doc.text, worker);
    let mut generation = worker.analyzer.generation();
    let stats = count(set, &signals);
    let (mut sentence_rows, mut model_errors) =
        sentence_features(set, models, reuse, worker, &doc.text, &signals, generation);
    let mut model_values = Vec::with_capacity(models.len());
    let mut sentence_probs = Vec::with_capacity(models.len());
    for (m, rows) in models.iter().zip(sentence_rows.iter_mut()) {
        if stats.n_words == 0 {
            // No words (an empty text, a failed scrape): a model would only
            // return its prior, which a mean over articles would count as a
            // prediction. Empty, like the rates.
            model_values.push(vec![None; value_count(m)]);
            sentence_probs.push(None);
            continue;
        }
        if m.file.level == Level::Document && worker.analyzer.generation() != generation {
            // An analysis since (a cleaned text's, a sentence's) cleared
            // the analyzer's caches: `signals`' word ids are no longer
            // valid. Analysed again: the same tokens and matches, current ids.
            signals = set.analyze(&doc.text, worker);
            generation = worker.analyzer.generation();
        }
        match apply_model(set, m, worker, &doc, &signals, &stats, rows.take()) {
            Ok((values, probs)) => {
                model_values.push(values);
                sentence_probs.push(probs);
            }
            Err(e) => {
                model_errors.push(format!("model '{}': {e}; its values are left empty", m.file.name));
                model_values.push(vec![None; value_count(m)]);
                sentence_probs.push(None);
            }
        }
    }
    Scored { doc, signals, generation, stats, model_values, sentence_probs, model_errors }
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
    /// `count_sentences` and `sentence_tokens`).
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
                let g = w.analyzer.generation();
                let rows = sentence_features(
                    &set,
                    std::slice::from_ref(&m),
                    &StackedReuse::default(),
                    &mut w,
                    text,
                    &signals,
                    g,
                )
                .0;
                let rows = rows[0].as_ref().unwrap();
                assert_eq!(rows.n_rows(), 1);
                let alone = m.featurize(&[text], &mut w).unwrap();
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
        let g = w.analyzer.generation();
        let rows =
            sentence_features(&set, std::slice::from_ref(&m), &StackedReuse::default(), &mut w, text, &signals, g).0;
        let rows = rows[0].as_ref().unwrap();
        assert_eq!(rows.n_rows(), 4);
        // The model's fresh analysis of the document gives the same rows.
        let fresh = sentence_rows(&m, &mut w, text, None);
        let mut differs_from_alone = 0;
        for (i, s) in signals.analyzed.sentences.iter().enumerate() {
            let own = as_own_document(&signals, i as u32);
            let want = m.file.features.row_of_doc(&own.analyzed, &w.analyzer, &count(&set, &own));
            let mut want_csr = CsrMatrix::new(m.file.features.n_features());
            want_csr.push_row(want);
            assert_eq!(bits(rows.row(i)), bits(want_csr.row(0)), "sentence {i}");
            assert_eq!(bits(fresh.row(i)), bits(want_csr.row(0)), "sentence {i}, fresh analysis");
            let alone = m.featurize(&[&text[s.span.start..s.span.end]], &mut w).unwrap();
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
            let g = w.analyzer.generation();
            let rows =
                sentence_features(&set, std::slice::from_ref(&m), &StackedReuse::default(), &mut w, text, &signals, g)
                    .0;
            assert_eq!(signals.analyzed.sentences.len(), 0, "{text:?}");
            assert_eq!(rows[0].as_ref().unwrap().n_rows(), 0);
            assert_eq!(sentence_rows(&m, &mut w, text, None).n_rows(), 0);
        }
    }

    /// The grouped pass of `count_sentences` gives each sentence the counts
    /// of a filter of the document's matches by that sentence (the obvious
    /// quadratic way, rebuilt here in `as_own_document`), on a document of
    /// many sentences with quotations, hedges, sources and side mentions.
    #[test]
    fn grouped_sentence_counts_equal_the_filter_per_sentence() {
        let mut w = Worker::default();
        let m = shipped("bias.json");
        let set = m.signals.clone();
        let parts = [
            "Officials said the plan may fail.",
            "\"We will not back down,\" the senator said.",
            "Critics called it a reckless, shameful disaster, and Republicans agreed.",
            "\"It is clearly wrong. It might, perhaps, be fixed,\" Democrats argued.",
            "The council voted on Tuesday.",
            "According to experts, the so-called reform is arguably a huge mistake.",
        ];
        let text: String = (0..60).map(|i| parts[i % parts.len()]).collect::<Vec<_>>().join(" ");
        let signals = set.analyze(&text, &mut w);
        let n = signals.analyzed.sentences.len();
        assert!(n >= 60, "{n} sentences");
        let counts = count_sentences(&set, &signals);
        assert_eq!(counts.len(), n);
        let mut with_matches = 0;
        for (i, got) in counts.iter().enumerate() {
            let own = as_own_document(&signals, i as u32);
            with_matches += !own.matches.is_empty() as usize;
            let want = DocStats { sources: Default::default(), ..count(&set, &own) };
            assert_eq!(got, &want, "sentence {i}");
        }
        assert!(with_matches >= n / 2, "{with_matches} of {n} sentences have matches");
        // Matches numbered past the last sentence belong to none.
        let mut odd = signals.clone();
        odd.matches.push(Match { sentence: n as u32 + 3, ..signals.matches[0] });
        assert_eq!(count_sentences(&set, &odd), counts);
    }

    /// A sentence inside a quotation that runs over two sentences has the
    /// row of a standalone sentence with the same quotation state (its own
    /// opening quotation mark), computed by the training path
    /// (`featurize`), not by the slicing code, except the quotation
    /// category's features: the quotation's match belongs to the sentence
    /// where it starts, so this sentence has quoted words and no quotation
    /// (a row no training sentence has; see docs/MODELS.md).
    #[test]
    fn a_sentence_inside_a_quotation_reads_as_a_quoted_sentence() {
        let mut w = Worker::default();
        for name in ["subjectivity.json", "bias.json"] {
            let m = shipped(name);
            let set = m.signals.clone();
            let text = "The mayor spoke on Monday. \"We will rebuild the old bridge. It may take years, but it is \
                        clearly worth it,\" she said.";
            let signals = set.analyze(text, &mut w);
            assert_eq!(signals.analyzed.sentences.len(), 3);
            let g = w.analyzer.generation();
            let rows =
                sentence_features(&set, std::slice::from_ref(&m), &StackedReuse::default(), &mut w, text, &signals, g)
                    .0;
            let rows = rows[0].as_ref().unwrap();
            let quoted =
                m.featurize(&["\"It may take years, but it is clearly worth it,\" she said."], &mut w).unwrap();
            // Every feature agrees but those of the quotation's own match,
            // which is counted in the sentence where the quotation starts.
            let (slice, alone) = (bits(rows.row(2)), bits(quoted.row(0)));
            let mut differ: Vec<u32> = slice.iter().filter(|e| !alone.contains(e)).map(|e| e.0).collect();
            differ.extend(alone.iter().filter(|e| !slice.contains(e)).map(|e| e.0));
            let names: Vec<String> = differ.iter().map(|&c| m.file.features.feature_name(c as usize)).collect();
            assert!(!names.is_empty() && names.iter().all(|n| n.starts_with("lex:quotation_")), "{name}: {names:?}");
            let unquoted =
                m.featurize(&["It may take years, but it is clearly worth it,\" she said."], &mut w).unwrap();
            assert_ne!(bits(rows.row(2)), bits(unquoted.row(0)), "{name}");
        }
    }

    /// Rows are never built from word ids of an earlier generation: when
    /// the analyzer's caches are cleared after the document's analysis
    /// (as a cleaned sentence's analysis past the cache bound does), the
    /// document is analysed again and the rows are those of an undisturbed
    /// run; `explain`'s path (`sentence_rows` with the run's slices) too.
    #[test]
    fn rows_survive_the_caches_being_cleared() {
        let mut w = Worker::default();
        let m = shipped("subjectivity.json");
        let set = m.signals.clone();
        let text = "Officials said the plan may fail. \"It is a reckless, shameful disaster. We oppose it,\" \
                    critics said. The council did not approve the budget.";
        let signals = set.analyze(text, &mut w);
        let g = w.analyzer.generation();
        let want =
            sentence_features(&set, std::slice::from_ref(&m), &StackedReuse::default(), &mut w, text, &signals, g).0;
        let want = want[0].as_ref().unwrap();
        assert_eq!(want.n_rows(), 4);
        let signals = set.analyze(text, &mut w);
        let g = w.analyzer.generation();
        w.analyzer.clear_caches();
        // Fill the new generation with other words, so stale ids would
        // name other forms (or none).
        let _ = set.analyze("Zebras quietly eat yellow plums near the harbour.", &mut w);
        let got =
            sentence_features(&set, std::slice::from_ref(&m), &StackedReuse::default(), &mut w, text, &signals, g).0;
        let got = got[0].as_ref().unwrap();
        let slices = SentenceSlices::new(&set, &signals, g);
        let via_slices = sentence_rows(&m, &mut w, text, Some(&slices));
        for i in 0..4 {
            assert_eq!(bits(got.row(i)), bits(want.row(i)), "sentence {i}");
            assert_eq!(bits(via_slices.row(i)), bits(want.row(i)), "sentence {i}, slices");
        }
    }
}
