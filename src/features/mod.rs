//! Features for the classifiers, computed by the same code at train and
//! score time: stem unigrams and bigrams from the shared text pipeline
//! (vocabulary fitted on training rows only), weighted and L2-normalised,
//! plus the lexicon signals and length features.

pub mod boilerplate;
pub mod sparse;
pub mod terms;

use crate::signals::stats::{balance, per1k, share, DocStats};
use crate::signals::SignalSet;
use crate::text::{Analyzed, Analyzer, Token};
use boilerplate::Boilerplate;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use sparse::CsrMatrix;
use std::borrow::Cow;
use terms::TermCounts;

/// How term counts become feature values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// 1 if the term occurs.
    Binary,
    /// 1 + ln(count).
    LogTf,
    /// count x idf, idf = ln((1 + n) / (1 + df)) + 1 fitted on the training rows.
    TfIdf,
    /// Naive Bayes log-count ratio (NBSVM, Wang & Manning 2012): 1 if the
    /// term occurs, times |r|, r = ln((p / |p|) / (q / |q|)) with p and q
    /// the smoothed (+1) document counts of the term in a class and in the
    /// other classes, fitted on the training rows; with more than two
    /// classes, the largest |r| over the one-vs-rest splits.
    Nb,
}

/// How the vocabulary is capped to `max_features` terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// Keep the terms in most training documents.
    Frequency,
    /// Keep the terms most associated with a label (chi-squared of document presence).
    Chi2,
}

crate::choices!(Weighting {
    "binary" => Weighting::Binary, "1 if the term occurs";
    "log-tf" => Weighting::LogTf, "1 + ln(count)";
    "tf-idf" => Weighting::TfIdf, "count x idf fitted on the training rows";
    "nb" => Weighting::Nb, "1 if the term occurs, times its naive Bayes log-count ratio (NBSVM)";
});

crate::choices!(Selection {
    "frequency" => Selection::Frequency, "keep the terms in most training documents";
    "chi2" => Selection::Chi2, "keep the terms most associated with a label (chi-squared)";
});

/// Feature settings (saved in the model file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureSpec {
    /// 1 = stem unigrams, 2 = unigrams and bigrams.
    pub ngram_max: usize,
    pub min_df: usize,
    pub max_features: usize,
    pub selection: Selection,
    pub weighting: Weighting,
    /// Add the lexicon signals (category rates, voice split, balance).
    pub lexicon_features: bool,
    /// Add log word and sentence counts.
    pub length_features: bool,
    /// Character n-grams (lengths min..=max) of each word's lowercase form,
    /// padded with a space at both ends (word-bounded, as scikit-learn's
    /// `char_wb`), as extra terms; the word terms and the character terms
    /// are L2-normalised separately. Absent in older files: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub char_ngrams: Option<(usize, usize)>,
    /// Boilerplate lines and outlet names removed from every text before
    /// it is analysed, at training and at scoring time (absent in files
    /// written before slant could do this: nothing removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boilerplate: Option<Boilerplate>,
    /// Stacking: probabilities of other models (embedded in the model
    /// file, `ModelFile::stacked`) on the same text, as the last features,
    /// each `<model>:<label>`. Absent in older files: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stacked: Vec<String>,
}

impl FeatureSpec {
    /// Whether a counted term is one this spec's features use: a bigram
    /// only with `ngram_max` 2, a character n-gram only of a length in
    /// `char_ngrams`. Term counts made for a wider spec (as `train --tune`
    /// makes them once for all its candidates) then give each candidate
    /// the vocabulary it would have had from counts of its own.
    pub fn admits(&self, term: &str) -> bool {
        match term.strip_prefix(terms::CHAR_PREFIX) {
            Some(gram) => {
                let n = gram.chars().count();
                self.char_ngrams.is_some_and(|(lo, hi)| (lo..=hi).contains(&n))
            }
            None => self.ngram_max >= 2 || !term.contains(' '),
        }
    }

    /// The text the features are computed from: `text` without the
    /// boilerplate of [`FeatureSpec::boilerplate`], if any.
    pub fn clean<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match &self.boilerplate {
            Some(b) => b.clean(text),
            None => Cow::Borrowed(text),
        }
    }
}

impl Default for FeatureSpec {
    fn default() -> Self {
        FeatureSpec {
            ngram_max: 2,
            min_df: 2,
            max_features: 20_000,
            selection: Selection::Chi2,
            weighting: Weighting::TfIdf,
            lexicon_features: true,
            length_features: true,
            char_ngrams: None,
            boilerplate: None,
            stacked: Vec::new(),
        }
    }
}

/// A fitted featurizer: the vocabulary (sorted), idf weights and the names
/// of the non-text features. Serialised in the model file as its
/// [`FeaturizerData`]; the term index is rebuilt by deserialisation itself,
/// so no load path can skip it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FeaturizerData", into = "FeaturizerData")]
pub struct Featurizer {
    pub spec: FeatureSpec,
    pub vocabulary: Vec<String>,
    pub idf: Vec<f32>,
    pub extra_names: Vec<String>,
    index: FxHashMap<String, u32>,
    /// Per vocabulary term: it is a character n-gram (two feature blocks
    /// are normalised separately); looked up per feature of every row, so
    /// computed once instead of comparing the term's prefix each time.
    is_char: Vec<bool>,
    /// Identifies this featurizer's vocabulary for the per-thread cache of
    /// character n-gram hits ([`Featurizer::row_of_doc`]).
    cache_id: CacheId,
}

/// A process-unique number; equal for every pair, so two featurizers with
/// the same data compare equal whatever their ids.
#[derive(Debug, Clone, Copy)]
struct CacheId(u64);

impl PartialEq for CacheId {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

static NEXT_CACHE_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Words cached per thread before the cache starts over.
const MAX_CACHED_FORMS: usize = 200_000;

/// Per thread: for one featurizer and one analyzer generation (form ids
/// are the analyzer's), each word form's vocabulary hits among its
/// character n-grams, duplicates included.
#[derive(Default)]
struct CharGramCache {
    featurizer: u64,
    generation: u64,
    hits: FxHashMap<u32, Box<[u32]>>,
}

/// Featurizers a thread keeps caches for (several models score the same
/// documents in turn).
const MAX_CACHED_FEATURIZERS: usize = 8;

thread_local! {
    static CHAR_GRAMS: std::cell::RefCell<Vec<CharGramCache>> = const { std::cell::RefCell::new(Vec::new()) };
}

thread_local! {
    static TERM_TALLY: std::cell::RefCell<TermTally> = std::cell::RefCell::new(TermTally::default());
}

/// Per-thread counts of vocabulary indices for one row: a dense counter
/// per index plus a bitmap of the indices met, read back in index order
/// (sorting every hit, duplicates and all, was a tenth of scoring with the
/// sentence models, whose character n-grams repeat; sorting the distinct
/// ones still cost half as much as the bitmap's scan).
#[derive(Default)]
struct TermTally {
    count: Vec<u32>,
    seen: Vec<u64>,
    /// Distinct terms met in this row (the output's exact length).
    n_seen: usize,
}

impl TermTally {
    /// Start a row over a vocabulary of `n` terms (every counter and bit is
    /// zero between rows: [`TermTally::finish`] resets the ones it used).
    fn start(&mut self, n: usize) {
        if self.count.len() < n {
            self.count.resize(n, 0);
            self.seen.resize(n.div_ceil(64), 0);
        }
        self.n_seen = 0;
    }

    fn add(&mut self, i: u32) {
        let c = &mut self.count[i as usize];
        if *c == 0 {
            self.seen[i as usize / 64] |= 1 << (i % 64);
            self.n_seen += 1;
        }
        *c += 1;
    }

    /// (index, count) of every term met, by index; counters and bits reset.
    fn finish(&mut self) -> Vec<(u32, u32)> {
        let mut out = Vec::with_capacity(self.n_seen);
        for (w, bits) in self.seen.iter_mut().enumerate() {
            // Most words of the bitmap are empty (a row meets a few hundred
            // of the vocabulary's terms): test without writing.
            if *bits == 0 {
                continue;
            }
            let mut b = std::mem::take(bits);
            while b != 0 {
                let i = w * 64 + b.trailing_zeros() as usize;
                out.push((i as u32, std::mem::take(&mut self.count[i])));
                b &= b - 1;
            }
        }
        out
    }
}

/// What a model file holds of a [`Featurizer`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeaturizerData {
    pub spec: FeatureSpec,
    #[serde(with = "crate::models::body::strings")]
    pub vocabulary: Vec<String>,
    #[serde(with = "crate::models::body::f32s")]
    pub idf: Vec<f32>,
    pub extra_names: Vec<String>,
}

impl TryFrom<FeaturizerData> for Featurizer {
    type Error = String;

    fn try_from(d: FeaturizerData) -> Result<Self, String> {
        if d.idf.len() != d.vocabulary.len() {
            return Err(format!("vocabulary has {} terms but {} idf weights", d.vocabulary.len(), d.idf.len()));
        }
        if !d.idf.iter().all(|v| v.is_finite()) {
            return Err("non-finite idf weight".into());
        }
        let index: FxHashMap<String, u32> =
            d.vocabulary.iter().enumerate().map(|(i, t)| (t.clone(), i as u32)).collect();
        if index.len() != d.vocabulary.len() {
            return Err("the vocabulary lists a term twice".into());
        }
        let is_char = d.vocabulary.iter().map(|t| t.starts_with(terms::CHAR_PREFIX)).collect();
        Ok(Featurizer {
            spec: d.spec,
            vocabulary: d.vocabulary,
            idf: d.idf,
            extra_names: d.extra_names,
            index,
            is_char,
            cache_id: CacheId(NEXT_CACHE_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)),
        })
    }
}

impl From<Featurizer> for FeaturizerData {
    fn from(f: Featurizer) -> Self {
        FeaturizerData { spec: f.spec, vocabulary: f.vocabulary, idf: f.idf, extra_names: f.extra_names }
    }
}

/// The lexicon and length feature names for a signal set.
pub fn extra_feature_names(spec: &FeatureSpec, set: &SignalSet) -> Vec<String> {
    let mut names = Vec::new();
    if spec.lexicon_features {
        names.push("lex:quoted_word_share".to_string());
        for c in &set.lexicon.categories {
            for part in ["per1k", "author_per1k", "quoted_per1k"] {
                names.push(format!("lex:{}_{part}", c.name));
            }
            // Subcategory counts let a classifier weigh cue types differently
            // (an epistemic modal is not a conditional).
            for s in &c.subcategories {
                names.push(format!("lex:{}_{}_n", c.name, s.name));
            }
        }
        for d in &set.sides.dimensions {
            names.push(format!("lex:{}_present", d.name));
            names.push(format!("lex:{}_balance", d.name));
            names.push(format!("lex:{}_mention_balance", d.name));
        }
    }
    if spec.length_features {
        names.push("len:log_words".into());
        names.push("len:log_sentences".into());
    }
    // Last, after every feature computed from the text's own signals.
    names.extend(spec.stacked.iter().map(|c| format!("stack:{c}")));
    names
}

/// Lexicon rates are squashed with ln(1 + x) / 5 so that typical values
/// (0-150 per 1,000 words) land in 0-1, the scale of L2-normalised text.
fn squash(x: Option<f64>) -> f32 {
    (x.unwrap_or(0.0).ln_1p() / 5.0) as f32
}

fn extra_values(spec: &FeatureSpec, stats: &DocStats) -> Vec<f32> {
    let mut v = Vec::new();
    if spec.lexicon_features {
        v.push(share(stats.n_quoted_words, stats.n_words).unwrap_or(0.0) as f32);
        for c in &stats.categories {
            v.push(squash(per1k(c.n, stats.n_words)));
            v.push(squash(per1k(c.author_n, stats.n_author_words())));
            v.push(squash(per1k(c.quoted_n, stats.n_quoted_words)));
            // ln(1 + count): 0, 0.69, 1.1, ... keeps single cues in sentences visible.
            v.extend(c.subs.iter().map(|&n| (n as f32).ln_1p()));
        }
        for d in &stats.dimensions {
            v.push((d.mentions[0] + d.mentions[1] > 0) as u8 as f32);
            v.push(balance(d.statements[0], d.statements[1]).unwrap_or(0.0) as f32);
            v.push(balance(d.mentions[0], d.mentions[1]).unwrap_or(0.0) as f32);
        }
    }
    if spec.length_features {
        v.push(((stats.n_words as f64).ln_1p() / 10.0) as f32);
        v.push(((stats.n_sentences as f64).ln_1p() / 5.0) as f32);
    }
    v
}

/// Per vocabulary term, the largest |naive Bayes log-count ratio| over the
/// one-vs-rest splits of the classes, from document presence in `rows`
/// with add-one smoothing (Wang & Manning 2012, NBSVM; for two classes the
/// two splits give the same |r|).
fn nb_ratios(vocabulary: &[String], docs: &[TermCounts], y: &[usize], n_classes: usize, rows: &[usize]) -> Vec<f32> {
    let index: FxHashMap<&str, usize> = vocabulary.iter().enumerate().map(|(i, t)| (t.as_str(), i)).collect();
    let mut df = vec![vec![0f64; n_classes]; vocabulary.len()];
    for &r in rows {
        for t in docs[r].terms() {
            if let Some(&i) = index.get(t) {
                df[i][y[r]] += 1.0;
            }
        }
    }
    let total: Vec<f64> = df.iter().map(|c| c.iter().sum()).collect();
    let mut best = vec![0f64; vocabulary.len()];
    for c in 0..n_classes {
        // p: smoothed counts in class c; q: in the other classes; each normalised by its L1 norm.
        let p_sum: f64 = df.iter().map(|d| d[c] + 1.0).sum();
        let q_sum: f64 = df.iter().zip(&total).map(|(d, t)| t - d[c] + 1.0).sum();
        for (i, d) in df.iter().enumerate() {
            let r = ((d[c] + 1.0) / p_sum).ln() - ((total[i] - d[c] + 1.0) / q_sum).ln();
            best[i] = best[i].max(r.abs());
        }
    }
    best.into_iter().map(|v| v as f32).collect()
}

impl Featurizer {
    /// Fit the vocabulary on `rows` (training rows only) of `docs`.
    pub fn fit(
        spec: &FeatureSpec,
        set: &SignalSet,
        docs: &[TermCounts],
        y: &[usize],
        n_classes: usize,
        rows: &[usize],
    ) -> Self {
        let vocabulary = terms::select_vocabulary(spec, docs, y, n_classes, rows);
        let n = rows.len() as f64;
        // Looked up by term only, so the (fast, non-cryptographic) hasher cannot change the result.
        let mut df: FxHashMap<&str, usize> = FxHashMap::default();
        for &r in rows {
            for t in docs[r].terms() {
                *df.entry(t).or_default() += 1;
            }
        }
        let idf = match spec.weighting {
            Weighting::Nb => nb_ratios(&vocabulary, docs, y, n_classes, rows),
            _ => vocabulary
                .iter()
                .map(|t| ((1.0 + n) / (1.0 + *df.get(t.as_str()).unwrap_or(&0) as f64)).ln() as f32 + 1.0)
                .collect(),
        };
        let data = FeaturizerData { spec: spec.clone(), vocabulary, idf, extra_names: extra_feature_names(spec, set) };
        Featurizer::try_from(data).expect("a fitted vocabulary is consistent")
    }

    pub fn n_features(&self) -> usize {
        self.vocabulary.len() + self.extra_names.len()
    }

    pub fn feature_name(&self, i: usize) -> String {
        match self.vocabulary.get(i) {
            Some(t) if t.starts_with(terms::CHAR_PREFIX) => t.clone(),
            Some(t) if t.contains(' ') => format!("b:{t}"),
            Some(t) => format!("w:{t}"),
            None => self.extra_names.get(i - self.vocabulary.len()).cloned().unwrap_or_default(),
        }
    }

    /// Feature row for one document's term counts (training), without
    /// the stacked columns (see [`set_stacked`](Self::set_stacked)).
    pub fn row(&self, terms: &TermCounts, stats: &DocStats) -> Vec<(u32, f32)> {
        let mut counts: Vec<(u32, u32)> =
            terms.iter().filter_map(|(t, count)| self.index.get(t).map(|&i| (i, count))).collect();
        counts.sort_unstable();
        self.row_from_counts(&counts, stats)
    }

    /// Feature row straight from an analysed document (scoring): only the
    /// vocabulary's terms are counted, with no string built per term.
    /// Gives exactly [`Featurizer::row`] of [`TermCounts::from_doc`] (the
    /// stacked columns, if any, are added by [`set_stacked`](Self::set_stacked)).
    pub fn row_of_doc(&self, doc: &Analyzed, an: &Analyzer, stats: &DocStats) -> Vec<(u32, f32)> {
        self.row_of_tokens(&doc.tokens, an, stats)
    }

    /// [`row_of_doc`](Self::row_of_doc) of a run of a document's tokens
    /// (some of its sentences) with `stats` counted over the same run
    /// ([`crate::signals::stats::count_sentences`]): the sentence models'
    /// rows, built from the document's own analysis.
    pub fn row_of_tokens(&self, tokens: &[Token], an: &Analyzer, stats: &DocStats) -> Vec<(u32, f32)> {
        TERM_TALLY.with(|tally| {
            let mut tally = tally.borrow_mut();
            tally.start(self.vocabulary.len());
            self.tally_terms(tokens, an, &mut tally);
            let counts = tally.finish();
            self.row_from_counts(&counts, stats)
        })
    }

    /// Count every vocabulary hit of `tokens` (word terms, then character
    /// n-grams) into `tally`.
    fn tally_terms(&self, tokens: &[Token], an: &Analyzer, tally: &mut TermTally) {
        terms::for_each_term_of_tokens(tokens, an, self.spec.ngram_max, None, |t| {
            if let Some(&i) = self.index.get(t) {
                tally.add(i);
            }
        });
        if let Some((lo, hi)) = self.spec.char_ngrams {
            // A word's character n-grams are the same wherever it occurs:
            // look them up once per form and thread, not per occurrence
            // (building and hashing every n-gram string was most of the
            // time of scoring with such a model).
            CHAR_GRAMS.with(|cell| {
                let mut caches = cell.borrow_mut();
                let at = match caches.iter().position(|c| c.featurizer == self.cache_id.0) {
                    Some(at) => at,
                    None => {
                        if caches.len() >= MAX_CACHED_FEATURIZERS {
                            caches.remove(0);
                        }
                        caches.push(CharGramCache { featurizer: self.cache_id.0, ..Default::default() });
                        caches.len() - 1
                    }
                };
                let cache = &mut caches[at];
                if cache.generation != an.generation() || cache.hits.len() >= MAX_CACHED_FORMS {
                    cache.generation = an.generation();
                    cache.hits.clear();
                }
                let mut scratch = terms::CharGrams::default();
                for t in tokens.iter().filter(|t| t.kind == crate::text::TokenKind::Word) {
                    let found = cache.hits.entry(t.form).or_insert_with(|| {
                        let mut v = Vec::new();
                        scratch.for_each(an.form(t.form), lo, hi, |g| {
                            if let Some(&i) = self.index.get(g) {
                                v.push(i);
                            }
                        });
                        v.into_boxed_slice()
                    });
                    for &i in found.iter() {
                        tally.add(i);
                    }
                }
            });
        }
    }

    /// Weighted, L2-normalised term values (in feature order, which fixes
    /// the summation order of the norm), then the lexicon/length features.
    /// The stacked columns come last and are left out (zero) here.
    fn row_from_counts(&self, counts: &[(u32, u32)], stats: &DocStats) -> Vec<(u32, f32)> {
        let mut entries: Vec<(u32, f32)> = Vec::with_capacity(counts.len() + self.extra_names.len());
        let weighting = self.spec.weighting;
        let weight = |i: u32, count: u32| match weighting {
            Weighting::Binary => 1.0,
            Weighting::LogTf => 1.0 + (count as f32).ln(),
            Weighting::TfIdf => count as f32 * self.idf[i as usize],
            Weighting::Nb => self.idf[i as usize],
        };
        // `extend` over a slice's map writes the entries without a capacity
        // check per push.
        if self.spec.char_ngrams.is_some() {
            // Two blocks, each of norm 1: character n-grams outnumber words
            // several times and would otherwise drown them.
            // The squares are summed while weighting, each block in feature
            // order as before.
            let mut sq = [0f64; 2];
            entries.extend(counts.iter().map(|&(i, count)| {
                let v = weight(i, count);
                sq[self.is_char[i as usize] as usize] += (v as f64).powi(2);
                (i, v)
            }));
            let norm = sq.map(f64::sqrt);
            for e in &mut entries {
                let n = norm[self.is_char[e.0 as usize] as usize];
                if n > 0.0 {
                    e.1 = (e.1 as f64 / n) as f32;
                }
            }
        } else {
            entries.extend(counts.iter().map(|&(i, count)| (i, weight(i, count))));
            let norm = entries.iter().map(|e| (e.1 as f64).powi(2)).sum::<f64>().sqrt();
            if norm > 0.0 {
                for e in &mut entries {
                    e.1 = (e.1 as f64 / norm) as f32;
                }
            }
        }
        let base = self.vocabulary.len() as u32;
        for (k, v) in extra_values(&self.spec, stats).into_iter().enumerate() {
            if v != 0.0 {
                entries.push((base + k as u32, v));
            }
        }
        entries
    }

    /// Put the stacked probabilities `values` (one per column of
    /// [`FeatureSpec::stacked`], in that order) into a row built by
    /// [`row`](Self::row) or [`row_of_doc`](Self::row_of_doc), whose
    /// stacked columns are the last ones and still empty. A count that
    /// does not match is an error, never a row with values missing or in
    /// another column.
    pub fn set_stacked(&self, row: &mut Vec<(u32, f32)>, values: &[f32]) -> crate::error::Result<()> {
        if values.len() != self.spec.stacked.len() {
            crate::bail!(
                "{} stacked value(s) for the {} stacked feature column(s) ({})",
                values.len(),
                self.spec.stacked.len(),
                self.spec.stacked.join(", ")
            );
        }
        let at = (self.n_features() - values.len()) as u32;
        row.extend(values.iter().enumerate().filter(|e| *e.1 != 0.0).map(|(j, &v)| (at + j as u32, v)));
        Ok(())
    }

    /// Feature matrix for `rows` of `docs`; `stacked[r]` holds row `r`'s
    /// stacked probabilities. A featurizer that stacks nothing takes an
    /// empty `stacked`; otherwise every row needs its values (an error if
    /// any is missing or of the wrong length).
    pub fn matrix(
        &self,
        docs: &[TermCounts],
        stats: &[DocStats],
        stacked: &[Vec<f32>],
        rows: &[usize],
    ) -> crate::error::Result<CsrMatrix> {
        let mut m = CsrMatrix::new(self.n_features());
        for &r in rows {
            let mut row = self.row(&docs[r], &stats[r]);
            match stacked.get(r) {
                Some(values) => self
                    .set_stacked(&mut row, values)
                    .map_err(|e| crate::error::Error::invalid(format!("row {r}: {e}")))?,
                None if self.spec.stacked.is_empty() => {}
                None => crate::bail!(
                    "row {r} has no stacked values ({} rows of them for {} rows)",
                    stacked.len(),
                    docs.len()
                ),
            }
            m.push_row(row);
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signals::stats::count;
    use crate::signals::Worker;

    /// Stacked values go into the last columns, zeros left out; a count
    /// that does not match the stacked columns, or a row without values,
    /// is an error (never a row with values missing or shifted).
    #[test]
    fn stacked_values_must_fit_their_columns() {
        let set = SignalSet::builtin();
        let mut w = Worker::default();
        let texts = ["The plan may fail, critics said.", "The council voted on Tuesday."];
        let analysed: Vec<_> = texts.iter().map(|t| set.analyze(t, &mut w)).collect();
        let stats: Vec<_> = analysed.iter().map(|a| count(&set, a)).collect();
        let docs: Vec<TermCounts> =
            analysed.iter().map(|a| TermCounts::from_doc_with(&a.analyzed, &w.analyzer, 1, None)).collect();
        let spec = FeatureSpec { min_df: 1, stacked: vec!["m:a".into(), "m:b".into()], ..FeatureSpec::default() };
        let f = Featurizer::fit(&spec, &set, &docs, &[0, 1], 2, &[0, 1]);
        let n = f.n_features() as u32;
        let x = f.matrix(&docs, &stats, &[vec![0.25, 0.75], vec![1.0, 0.0]], &[0, 1]).unwrap();
        assert_eq!(x.row(0).0[x.row(0).0.len() - 2..], [n - 2, n - 1]);
        assert_eq!(x.row(0).1[x.row(0).1.len() - 2..], [0.25, 0.75]);
        assert_eq!((x.row(1).0.last(), x.row(1).1.last()), (Some(&(n - 2)), Some(&1.0)));
        let err = f.matrix(&docs, &stats, &[vec![0.25, 0.75], vec![1.0]], &[0, 1]).unwrap_err().to_string();
        assert!(err.contains("row 1: 1 stacked value(s) for the 2 stacked feature column(s)"), "{err}");
        let err = f.matrix(&docs, &stats, &[vec![0.25, 0.75]], &[0, 1]).unwrap_err().to_string();
        assert!(err.contains("row 1 has no stacked values"), "{err}");
        let mut row = f.row(&docs[0], &stats[0]);
        assert!(f.set_stacked(&mut row, &[0.5, 0.5, 0.5]).is_err());
        // A featurizer that stacks nothing takes no values.
        let plain =
            Featurizer::fit(&FeatureSpec { min_df: 1, ..FeatureSpec::default() }, &set, &docs, &[0, 1], 2, &[0, 1]);
        assert_eq!(plain.matrix(&docs, &stats, &[], &[0, 1]).unwrap().n_rows(), 2);
    }

    /// The scoring path (vocabulary lookups while walking the tokens) must
    /// give bit-identical rows to the training path (all terms, then lookups).
    #[test]
    fn row_of_doc_equals_row_of_term_counts() {
        let set = SignalSet::builtin();
        let mut w = Worker::default();
        let texts = [
            "Critics argue the plan may fail, officials said. The plan, critics say, may fail again in 2027.",
            "Supporters praised the deal. \"It is historic,\" the mayor said; opponents called it a disaster.",
            "The council voted 5-4. See https://example.org or mail desk@example.org. Argue, argue, argue!",
            "",
        ];
        for (ngram_max, char_ngrams) in [(1, None), (2, None), (1, Some((2, 4)))] {
            for weighting in [Weighting::TfIdf, Weighting::LogTf, Weighting::Binary, Weighting::Nb] {
                let spec = FeatureSpec {
                    ngram_max,
                    min_df: 1,
                    max_features: 25,
                    weighting,
                    char_ngrams,
                    ..FeatureSpec::default()
                };
                let analysed: Vec<_> = texts.iter().map(|t| set.analyze(t, &mut w)).collect();
                let stats: Vec<_> = analysed.iter().map(|a| count(&set, a)).collect();
                let docs: Vec<TermCounts> = analysed
                    .iter()
                    .map(|a| TermCounts::from_doc_with(&a.analyzed, &w.analyzer, ngram_max, char_ngrams))
                    .collect();
                let rows: Vec<usize> = (0..texts.len()).collect();
                let f = Featurizer::fit(&spec, &set, &docs, &[0, 1, 0, 1], 2, &rows);
                assert!(f.vocabulary.len() > 5);
                assert_eq!(char_ngrams.is_some(), f.vocabulary.iter().any(|t| t.starts_with(terms::CHAR_PREFIX)));
                for i in rows {
                    let a = f.row(&docs[i], &stats[i]);
                    let b = f.row_of_doc(&analysed[i].analyzed, &w.analyzer, &stats[i]);
                    assert_eq!(a.len(), b.len());
                    for (x, y) in a.iter().zip(&b) {
                        assert_eq!((x.0, x.1.to_bits()), (y.0, y.1.to_bits()), "text {i}, ngram_max {ngram_max}");
                    }
                }
            }
        }
    }

    /// NBSVM's ratio by hand: a term in 2 of 2 class-0 documents and 0 of
    /// 2 class-1 documents, another in one document of each.
    #[test]
    fn nb_ratios_match_the_formula() {
        let mut an = crate::text::Analyzer::new();
        let texts = ["alpha gamma", "alpha", "beta gamma", "beta"];
        let docs: Vec<TermCounts> = texts.iter().map(|t| TermCounts::from_doc(&an.analyze(t), &an, 1)).collect();
        let vocab: Vec<String> = ["alpha", "beta", "gamma"].iter().map(|s| s.to_string()).collect();
        let r = nb_ratios(&vocab, &docs, &[0, 0, 1, 1], 2, &[0, 1, 2, 3]);
        // Class 0: p = (3, 1, 2) / 6; rest: q = (1, 3, 2) / 6.
        let expect = [(3f64 / 1.0).ln(), (3f64 / 1.0).ln(), 0.0];
        for (got, want) in r.iter().zip(expect) {
            assert!((*got as f64 - want).abs() < 1e-6, "{r:?}");
        }
    }
}
