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

/// The longest part-of-speech n-gram a spec may have (`train --pos-ngrams`,
/// checked again when a model file is read).
pub const MAX_POS_NGRAM: usize = 5;

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
    /// Part-of-speech n-grams (lengths min..=max) inside each sentence, as
    /// extra terms ([`terms::for_each_pos_gram`]): closed-class words kept,
    /// every other token replaced by its Penn tag ("the JJ NN of"). They
    /// are L2-normalised apart from the word terms (and from the character
    /// n-grams). Absent in older files: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos_ngrams: Option<(usize, usize)>,
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
        if let Some(gram) = term.strip_prefix(terms::POS_PREFIX) {
            let n = gram.split(' ').count();
            return self.pos_ngrams.is_some_and(|(lo, hi)| (lo..=hi).contains(&n));
        }
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
            pos_ngrams: None,
            boilerplate: None,
            stacked: Vec::new(),
        }
    }
}

/// A fitted featurizer: the vocabulary (sorted), idf weights and the names
/// of the non-text features. Serialised in the model file as its
/// [`FeaturizerData`]; the term index is rebuilt by deserialisation itself,
/// so no load path can skip it. The spec, vocabulary and idf weights are
/// read through getters only: the lookup tables below are built from them
/// once, so changing them afterwards would silently skip terms.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "FeaturizerData", into = "FeaturizerData")]
pub struct Featurizer {
    spec: FeatureSpec,
    vocabulary: Vec<String>,
    idf: Vec<f32>,
    pub extra_names: Vec<String>,
    index: FxHashMap<String, u32>,
    /// Per vocabulary term: it is a character n-gram (two feature blocks
    /// are normalised separately); looked up per feature of a row when the
    /// n-gram terms are not one range (see `char_block`), so computed once
    /// instead of comparing the term's prefix each time.
    is_char: Vec<bool>,
    /// The character n-gram terms' indices as one range `lo..hi`, when they
    /// are contiguous (always in a sorted vocabulary: they share a prefix),
    /// so a row's two blocks are found by position instead of per entry.
    char_block: Option<(u32, u32)>,
    /// Per vocabulary term, with part-of-speech n-grams only (else empty):
    /// its block, 0 words, 1 character n-grams, 2 part-of-speech n-grams,
    /// each L2-normalised apart.
    block: Vec<u8>,
    /// The character n-gram terms by their n-gram (the term without
    /// [`terms::CHAR_PREFIX`]), so a form's n-grams are looked up as slices
    /// of it, with no string built per n-gram: those of at most 7 bytes
    /// (nearly all) by the n-gram packed into an integer ([`packed_gram`]),
    /// which hashes and compares without a string, the others by string.
    char_small: FxHashMap<u64, u32>,
    char_index: FxHashMap<Box<str>, u32>,
    /// Bigram vocabulary terms by the ids of their two halves
    /// ([`WordTerm::first`] `<< 32 |` [`WordTerm::second`]), so scoring
    /// finds a bigram from the two stems' cached roles without building or
    /// hashing its string. Empty for `ngram_max` 1 (no bigram is counted).
    bigrams: FxHashMap<u64, u32>,
    /// For each string that is a half of some bigram term: its id as a first
    /// and as a second half (`NO_TERM` if it is never that half).
    bigram_halves: BigramHalves,
    /// The part-of-speech n-gram terms by the ids of their units, when
    /// their lengths allow it (see [`PosIndex`]); else they are looked up
    /// by string.
    pos_index: Option<PosIndex>,
    /// The roles of `#num`, `#url` and `#email` (the terms of numbers, URLs
    /// and e-mail addresses), resolved once.
    pseudo: [WordTerm; 3],
    /// Identifies this featurizer's vocabulary for the per-thread caches of
    /// word roles and character n-gram hits ([`Featurizer::row_of_doc`]).
    cache_id: CacheId,
}

/// Part-of-speech n-gram terms of at most three units by their units' ids,
/// so scoring finds an n-gram by integer keys instead of building and
/// hashing its string. Unit ids start at 1 (0: a unit no term has) and
/// take 21 bits each, so a key holds at most three units: n-grams are
/// looked up only up to `max_units` long, whatever the spec's MAX (a spec
/// of 1-5 whose vocabulary kept no term longer than three units gets an
/// index too).
#[derive(Debug, Clone, Default)]
struct PosIndex {
    /// Every unit of a term (a closed-class word or a Penn tag) by string.
    units: FxHashMap<Box<str>, u32>,
    /// Per Penn tag id, its unit id (0 if no term has it).
    xpos: Vec<u32>,
    /// Term index by `u1 | u2 << 21 | u3 << 42` of its units' ids.
    grams: FxHashMap<u64, u32>,
    /// The most units of a term (at most 3): no longer n-gram can be one.
    max_units: usize,
}

impl PosIndex {
    /// Bits of a unit id in a key.
    const BITS: u32 = 21;
    /// Units a key holds (`MAX_UNITS * BITS <= 64`).
    const MAX_UNITS: usize = 3;

    /// The index of `vocabulary`'s part-of-speech terms, or `None` if one
    /// has more than three units or there are too many units for the key.
    fn new(vocabulary: &[String]) -> Option<PosIndex> {
        let mut p = PosIndex::default();
        for (i, t) in vocabulary.iter().enumerate() {
            let Some(gram) = t.strip_prefix(terms::POS_PREFIX) else { continue };
            let mut key = 0u64;
            for (n, unit) in gram.split(' ').enumerate() {
                let next = p.units.len() as u32 + 1;
                let id = *p.units.entry(unit.into()).or_insert(next);
                if n >= Self::MAX_UNITS || id >= 1 << Self::BITS {
                    return None;
                }
                key |= (id as u64) << (Self::BITS * n as u32);
                p.max_units = p.max_units.max(n + 1);
            }
            p.grams.insert(key, i as u32);
        }
        p.xpos = crate::text::pos::Xpos::all().map(|x| p.units.get(x.as_str()).copied().unwrap_or(0)).collect();
        Some(p)
    }

    /// Call `hit` with the term index of every part-of-speech `lo..=hi`-gram
    /// of `tokens` that is a term: the terms of [`terms::for_each_pos_gram`]
    /// found in the vocabulary, in another order. `units` is a buffer.
    /// Only n-grams of up to `max_units` units are keyed (no term is
    /// longer, and a fourth unit would not fit in the key).
    fn for_each_hit(
        &self,
        tokens: &[Token],
        an: &Analyzer,
        (lo, hi): (usize, usize),
        units: &mut Vec<u32>,
        mut hit: impl FnMut(u32),
    ) {
        let hi = hi.min(self.max_units);
        let mut start = 0;
        while start < tokens.len() {
            let sentence = tokens[start].sentence;
            let end = start + tokens[start..].iter().take_while(|t| t.sentence == sentence).count();
            units.clear();
            units.extend(tokens[start..end].iter().map(|t| {
                if terms::keeps_word(t.upos) {
                    self.units.get(an.form(t.form)).copied().unwrap_or(0)
                } else {
                    self.xpos[t.xpos.id() as usize]
                }
            }));
            for i in 0..units.len() {
                let mut key = 0u64;
                for n in 0..hi.min(units.len() - i) {
                    let u = units[i + n];
                    if u == 0 {
                        // No term has this unit, so no longer n-gram from here either.
                        break;
                    }
                    key |= (u as u64) << (Self::BITS * n as u32);
                    if n + 1 >= lo {
                        if let Some(&t) = self.grams.get(&key) {
                            hit(t);
                        }
                    }
                }
            }
            start = end;
        }
    }
}

/// Marks "no such term" in a [`WordTerm`] and "not resolved yet" in the
/// per-thread caches.
const NO_TERM: u32 = u32::MAX;

/// What a word term (a stem, or `#num`, `#url`, `#email`) is in a
/// featurizer's vocabulary: its unigram's index and its ids as the first
/// and second half of bigram terms, each `NO_TERM` if it is none.
#[derive(Debug, Clone, Copy, PartialEq)]
struct WordTerm {
    uni: u32,
    first: u32,
    second: u32,
}

impl WordTerm {
    /// A term that is in no vocabulary term (most stems).
    const NONE: WordTerm = WordTerm { uni: NO_TERM, first: NO_TERM, second: NO_TERM };
}

/// A process-unique number (not part of a featurizer's equality).
#[derive(Debug, Clone, Copy)]
struct CacheId(u64);

/// Equal when the data are: the spec, vocabulary, idf weights and extra
/// feature names (everything else is derived from them, and the cache id
/// differs between any two featurizers).
impl PartialEq for Featurizer {
    fn eq(&self, other: &Self) -> bool {
        self.spec == other.spec
            && self.vocabulary == other.vocabulary
            && self.idf == other.idf
            && self.extra_names == other.extra_names
    }
}

static NEXT_CACHE_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Word forms whose character n-gram hits a thread caches per featurizer
/// before the cache starts over.
const MAX_CACHED_FORMS: usize = 200_000;

/// Stem and form ids a thread caches per featurizer: the tables are indexed
/// by id, and the analyzer's ids run far beyond the forms cached (2^21), so
/// without this bound a corpus of many distinct words grew each table to
/// the whole id range (about 24 MB per featurizer and thread). Ids are
/// given in order of first sight, so the frequent words have low ids; a
/// word of a higher id is looked up without the cache.
const MAX_CACHED_IDS: usize = MAX_CACHED_FORMS;

/// Per thread: for one featurizer and one analyzer generation (form and
/// stem ids are the analyzer's), each stem's [`WordTerm`] and each word
/// form's vocabulary hits among its character n-grams (duplicates
/// included). Indexed by id (ids are dense, from 0), so a token costs no
/// string hash: resolving a stem and its bigrams by string for every token
/// was most of the word terms' cost.
#[derive(Default)]
struct TermCache {
    featurizer: u64,
    generation: u64,
    /// Per stem id: its role's index in `roles`, `NO_TERM` until its first
    /// token (4 bytes per stem met, not a whole role: most stems share the
    /// role `WordTerm::NONE`, kept at index 0).
    stems: Vec<u32>,
    roles: Vec<WordTerm>,
    /// Per form id: `(start, len)` of its hits in `hits`; start `NO_TERM`
    /// until its first token.
    forms: Vec<(u32, u32)>,
    hits: Vec<u32>,
    /// Forms resolved (the bound of the cache).
    n_forms: usize,
}

impl TermCache {
    fn reset(&mut self, generation: u64) {
        self.generation = generation;
        self.stems.clear();
        self.roles.clear();
        self.roles.push(WordTerm::NONE);
        self.forms.clear();
        self.hits.clear();
        self.n_forms = 0;
    }
}

/// Featurizers a thread keeps caches for (several models score the same
/// documents in turn).
const MAX_CACHED_FEATURIZERS: usize = 8;

/// A thread's buffers for building rows, borrowed once per row.
#[derive(Default)]
struct RowScratch {
    tally: TermTally,
    counts: Vec<(u32, u32)>,
    grams: terms::CharGrams,
    pos_gram: String,
    pos_units: Vec<u32>,
    caches: Vec<TermCache>,
}

thread_local! {
    static ROW_SCRATCH: std::cell::RefCell<RowScratch> = std::cell::RefCell::new(RowScratch::default());
}

/// Per-thread counts of vocabulary indices for one row: a dense counter
/// per index plus a bitmap of the indices met, read back in index order
/// (sorting every hit, duplicates and all, was a tenth of scoring with the
/// sentence models, whose character n-grams repeat; sorting the distinct
/// ones still cost half as much as the bitmap's scan). A second bitmap
/// marks the bitmap's non-empty words, so reading a sentence's row back
/// visits the words it touched, not all of a 20,000-term vocabulary's.
#[derive(Default)]
struct TermTally {
    count: Vec<u32>,
    seen: Vec<u64>,
    /// Bit `w` set: `seen[w]` is not zero.
    top: Vec<u64>,
}

impl TermTally {
    /// Start a row over a vocabulary of `n` terms (every counter and bit is
    /// zero between rows: [`TermTally::finish`] resets the ones it used).
    fn start(&mut self, n: usize) {
        if self.count.len() < n {
            self.count.resize(n, 0);
            self.seen.resize(n.div_ceil(64), 0);
            self.top.resize(self.seen.len().div_ceil(64), 0);
        }
    }

    #[inline]
    fn add(&mut self, i: u32) {
        let c = &mut self.count[i as usize];
        if *c == 0 {
            let w = i as usize / 64;
            self.seen[w] |= 1 << (i % 64);
            self.top[w / 64] |= 1 << (w % 64);
        }
        *c += 1;
    }

    /// (index, count) of every term met, by index, into `out` (cleared
    /// first, a buffer kept from row to row); counters and bits reset.
    fn finish(&mut self, out: &mut Vec<(u32, u32)>) {
        out.clear();
        for (tw, top) in self.top.iter_mut().enumerate() {
            let mut t = std::mem::take(top);
            while t != 0 {
                let w = tw * 64 + t.trailing_zeros() as usize;
                let mut b = std::mem::take(&mut self.seen[w]);
                while b != 0 {
                    let i = w * 64 + b.trailing_zeros() as usize;
                    out.push((i as u32, std::mem::take(&mut self.count[i])));
                    b &= b - 1;
                }
                t &= t - 1;
            }
        }
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
        if let Some((lo, hi)) = d.spec.pos_ngrams {
            // What `train --pos-ngrams` accepts: a length 0 would be an
            // empty "p:" term, and longer n-grams were never counted.
            if lo == 0 || hi < lo || hi > MAX_POS_NGRAM {
                return Err(format!(
                    "pos_ngrams [{lo}, {hi}]: part-of-speech n-gram lengths must be 1 <= MIN <= MAX <= {MAX_POS_NGRAM}"
                ));
            }
        }
        let index: FxHashMap<String, u32> =
            d.vocabulary.iter().enumerate().map(|(i, t)| (t.clone(), i as u32)).collect();
        if index.len() != d.vocabulary.len() {
            return Err("the vocabulary lists a term twice".into());
        }
        let is_char: Vec<bool> = d.vocabulary.iter().map(|t| t.starts_with(terms::CHAR_PREFIX)).collect();
        let char_block = {
            let lo = is_char.iter().position(|&c| c).unwrap_or(0);
            let hi = lo + is_char.iter().filter(|&&c| c).count();
            is_char[lo..hi].iter().all(|&c| c).then_some((lo as u32, hi as u32))
        };
        let (mut char_small, mut char_index) = (FxHashMap::default(), FxHashMap::default());
        if d.spec.char_ngrams.is_some() {
            for (i, t) in d.vocabulary.iter().enumerate() {
                if let Some(gram) = t.strip_prefix(terms::CHAR_PREFIX) {
                    match packed_gram(gram) {
                        Some(key) => char_small.insert(key, i as u32),
                        None => char_index.insert(gram.into(), i as u32),
                    };
                }
            }
        }
        let (bigrams, bigram_halves) =
            if d.spec.ngram_max >= 2 { bigram_index(&d.vocabulary) } else { Default::default() };
        let pos_index = d.spec.pos_ngrams.and_then(|_| PosIndex::new(&d.vocabulary));
        let block = match d.spec.pos_ngrams {
            Some(_) => d
                .vocabulary
                .iter()
                .zip(&is_char)
                .map(|(t, &c)| if t.starts_with(terms::POS_PREFIX) { 2 } else { c as u8 })
                .collect(),
            None => Vec::new(),
        };
        let mut f = Featurizer {
            spec: d.spec,
            vocabulary: d.vocabulary,
            idf: d.idf,
            extra_names: d.extra_names,
            index,
            is_char,
            char_block,
            block,
            char_small,
            char_index,
            bigrams,
            bigram_halves,
            pos_index,
            pseudo: [WordTerm::NONE; 3],
            cache_id: CacheId(NEXT_CACHE_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)),
        };
        f.pseudo = ["#num", "#url", "#email"].map(|t| f.word_term(t));
        Ok(f)
    }
}

/// A string of at most 7 bytes as one integer: its bytes, and its length
/// in the top byte (so no two such strings share a key); `None` if longer.
fn packed_gram(gram: &str) -> Option<u64> {
    let b = gram.as_bytes();
    if b.len() > 7 {
        return None;
    }
    let mut buf = [0u8; 8];
    buf[..b.len()].copy_from_slice(b);
    buf[7] = b.len() as u8;
    Some(u64::from_le_bytes(buf))
}

/// Per half of a bigram term: its id as a first and as a second half.
type BigramHalves = FxHashMap<Box<str>, (u32, u32)>;

/// The bigram terms of `vocabulary` by the ids of their halves, and those
/// ids. A term is registered at each of its spaces, so a pair of word terms
/// finds exactly the vocabulary term equal to `"first second"`, whatever
/// the terms contain (two different pairs never make the same string).
fn bigram_index(vocabulary: &[String]) -> (FxHashMap<u64, u32>, BigramHalves) {
    let mut bigrams = FxHashMap::default();
    let mut halves = BigramHalves::default();
    let (mut n_first, mut n_second) = (0u32, 0u32);
    let mut id = |half: &str, second: bool| {
        let e = halves.entry(half.into()).or_insert((NO_TERM, NO_TERM));
        let (slot, n) = if second { (&mut e.1, &mut n_second) } else { (&mut e.0, &mut n_first) };
        if *slot == NO_TERM {
            *slot = *n;
            *n += 1;
        }
        *slot
    };
    for (i, t) in vocabulary.iter().enumerate() {
        if t.starts_with(terms::POS_PREFIX) {
            // Not a pair of word terms (their spaces join tags and words).
            continue;
        }
        for (at, _) in t.match_indices(' ') {
            let key = (id(&t[..at], false) as u64) << 32 | id(&t[at + 1..], true) as u64;
            bigrams.insert(key, i as u32);
        }
    }
    (bigrams, halves)
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

/// Push the lexicon and length feature values, in the order of
/// [`extra_feature_names`] (without the stacked ones), into `v`.
fn extra_values(spec: &FeatureSpec, stats: &DocStats, v: &mut Vec<f32>) {
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

/// The tokens a featurizer of `spec` reads, of `tokens` (some sentences of
/// a document analysed from `text`). A spec with part-of-speech n-grams
/// needs every sentence tagged, but the analysis tags only the sentences
/// its patterns need (and retags some reporting verbs): such a spec gets a
/// copy tagged by the shipped tagger, one sentence at a time, i.e. the tags
/// `slant tokens` shows, the same whether the sentences are a document of
/// their own (training) or part of a longer one (scoring). Any other spec
/// gets `tokens` themselves.
pub fn tagged_tokens<'a>(spec: &FeatureSpec, text: &str, tokens: &'a [Token], an: &mut Analyzer) -> Cow<'a, [Token]> {
    if spec.pos_ngrams.is_none() {
        return Cow::Borrowed(tokens);
    }
    let mut doc = Analyzed { tokens: tokens.to_vec(), sentences: Vec::new(), quotes: Vec::new() };
    an.tag(text, &mut doc, crate::text::pos::Tagger::builtin());
    Cow::Owned(doc.tokens)
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

    /// How the features are made.
    pub fn spec(&self) -> &FeatureSpec {
        &self.spec
    }

    /// The text terms, sorted: feature `i` is term `i`.
    pub fn vocabulary(&self) -> &[String] {
        &self.vocabulary
    }

    /// Per vocabulary term: its idf weight (or its Naive Bayes ratio).
    pub fn idf(&self) -> &[f32] {
        &self.idf
    }

    pub fn n_features(&self) -> usize {
        self.vocabulary.len() + self.extra_names.len()
    }

    pub fn feature_name(&self, i: usize) -> String {
        match self.vocabulary.get(i) {
            Some(t) if t.starts_with(terms::CHAR_PREFIX) || t.starts_with(terms::POS_PREFIX) => t.clone(),
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
    /// Gives exactly [`Featurizer::row`] of [`TermCounts::from_tokens`] of
    /// the document's tokens (the stacked columns, if any, are added by
    /// [`set_stacked`](Self::set_stacked)).
    ///
    /// # Panics
    ///
    /// With part-of-speech n-grams in the spec: they need every sentence
    /// tagged, which the analysis does not do, so the row would be wrong.
    /// Such a featurizer takes [`row_of_tokens`](Self::row_of_tokens) of
    /// [`tagged_tokens`].
    pub fn row_of_doc(&self, doc: &Analyzed, an: &Analyzer, stats: &DocStats) -> Vec<(u32, f32)> {
        assert!(
            self.spec.pos_ngrams.is_none(),
            "row_of_doc of a featurizer with part-of-speech n-grams: use row_of_tokens of tagged_tokens"
        );
        self.row_of_tokens(&doc.tokens, an, stats)
    }

    /// [`row_of_doc`](Self::row_of_doc) of a run of a document's tokens
    /// (some of its sentences) with `stats` counted over the same run
    /// ([`crate::signals::stats::count_sentences`]): the sentence models'
    /// rows, built from the document's own analysis.
    pub fn row_of_tokens(&self, tokens: &[Token], an: &Analyzer, stats: &DocStats) -> Vec<(u32, f32)> {
        self.with_counts(tokens, an, |counts| self.row_from_counts(counts, stats))
    }

    /// Append [`row_of_tokens`](Self::row_of_tokens) to `m` as its next row,
    /// written in place (no row vector, no sort: the row is in index order).
    pub fn push_row_of_tokens(&self, tokens: &[Token], an: &Analyzer, stats: &DocStats, m: &mut CsrMatrix) {
        self.with_counts(tokens, an, |counts| self.write_row(counts, stats, &mut m.indices, &mut m.values));
        m.indptr.push(m.indices.len());
    }

    /// Call `f` with the (index, count) of every vocabulary term of
    /// `tokens`, by index, in this thread's buffers.
    fn with_counts<R>(&self, tokens: &[Token], an: &Analyzer, f: impl FnOnce(&[(u32, u32)]) -> R) -> R {
        ROW_SCRATCH.with(|cell| {
            let scratch = &mut *cell.borrow_mut();
            scratch.tally.start(self.vocabulary.len());
            // Least recently used first: a used cache moves to the end, and
            // the first one makes room for a new featurizer's.
            match scratch.caches.iter().position(|c| c.featurizer == self.cache_id.0) {
                Some(at) => {
                    if at + 1 != scratch.caches.len() {
                        let used = scratch.caches.remove(at);
                        scratch.caches.push(used);
                    }
                }
                None => {
                    if scratch.caches.len() >= MAX_CACHED_FEATURIZERS {
                        scratch.caches.remove(0);
                    }
                    let mut cache = TermCache { featurizer: self.cache_id.0, ..Default::default() };
                    cache.reset(an.generation());
                    scratch.caches.push(cache);
                }
            }
            let cache = scratch.caches.last_mut().expect("this featurizer's cache was just placed last");
            if cache.generation != an.generation() || cache.n_forms >= MAX_CACHED_FORMS {
                cache.reset(an.generation());
            }
            self.tally_terms(tokens, an, cache, &mut scratch.grams, &mut scratch.tally);
            if let Some(range) = self.spec.pos_ngrams {
                let tally = &mut scratch.tally;
                match &self.pos_index {
                    Some(p) => p.for_each_hit(tokens, an, range, &mut scratch.pos_units, |i| tally.add(i)),
                    // Terms of more than three units: each n-gram by its string.
                    None => terms::for_each_pos_gram(tokens, an, range, &mut scratch.pos_gram, |g| {
                        if let Some(&i) = self.index.get(g) {
                            tally.add(i);
                        }
                    }),
                }
            }
            scratch.tally.finish(&mut scratch.counts);
            f(&scratch.counts)
        })
    }

    /// The vocabulary index of the character n-gram `gram` (without
    /// [`terms::CHAR_PREFIX`]), if it is a term.
    // Inlined: called per n-gram of every new form; as a call it cost (c)
    // 25 M more instructions on the slice (5,058 M -> 5,083 M).
    #[inline(always)]
    fn char_gram(&self, gram: &str) -> Option<u32> {
        match packed_gram(gram) {
            Some(key) => self.char_small.get(&key),
            None => self.char_index.get(gram),
        }
        .copied()
    }

    /// What the word term `term` is in the vocabulary (see [`WordTerm`]).
    fn word_term(&self, term: &str) -> WordTerm {
        let (first, second) = self.bigram_halves.get(term).copied().unwrap_or((NO_TERM, NO_TERM));
        WordTerm { uni: self.index.get(term).copied().unwrap_or(NO_TERM), first, second }
    }

    /// Count every vocabulary hit of `tokens` into `tally`: the terms of
    /// [`terms::for_each_term_of_tokens`] (each word's stem, its character
    /// n-grams, the bigram it ends), found through `cache` by stem and form
    /// id. The tally's counts do not depend on the order of the hits.
    fn tally_terms(
        &self,
        tokens: &[Token],
        an: &Analyzer,
        cache: &mut TermCache,
        grams: &mut terms::CharGrams,
        tally: &mut TermTally,
    ) {
        use crate::text::TokenKind;
        let chars = self.spec.char_ngrams;
        let with_bigrams = self.spec.ngram_max >= 2;
        let mut prev: Option<(WordTerm, u32)> = None; // previous word term and its sentence
        for t in tokens {
            let term = match t.kind {
                TokenKind::Punct => {
                    prev = None;
                    continue;
                }
                TokenKind::Number => self.pseudo[0],
                TokenKind::Url => self.pseudo[1],
                TokenKind::Email => self.pseudo[2],
                TokenKind::Word if t.stem as usize >= MAX_CACHED_IDS => self.word_term(an.stem(t.stem)),
                TokenKind::Word => {
                    let s = t.stem as usize;
                    if s >= cache.stems.len() {
                        cache.stems.resize(s + 1, NO_TERM);
                    }
                    if cache.stems[s] == NO_TERM {
                        let role = self.word_term(an.stem(t.stem));
                        cache.stems[s] = if role == WordTerm::NONE {
                            0
                        } else {
                            cache.roles.push(role);
                            (cache.roles.len() - 1) as u32
                        };
                    }
                    cache.roles[cache.stems[s] as usize]
                }
            };
            if term.uni != NO_TERM {
                tally.add(term.uni);
            }
            if let (Some((lo, hi)), TokenKind::Word) = (chars, t.kind) {
                // A word's character n-grams are the same wherever it
                // occurs: looked up once per form (building and hashing
                // every n-gram string was most of the time of scoring with
                // such a model).
                let f = t.form as usize;
                if f >= MAX_CACHED_IDS {
                    grams.for_each_bare(an.form(t.form), lo, hi, |g| {
                        if let Some(i) = self.char_gram(g) {
                            tally.add(i);
                        }
                    });
                } else {
                    if f >= cache.forms.len() {
                        cache.forms.resize(f + 1, (NO_TERM, 0));
                    }
                    if cache.forms[f].0 == NO_TERM {
                        let start = cache.hits.len();
                        grams.for_each_bare(an.form(t.form), lo, hi, |g| {
                            if let Some(i) = self.char_gram(g) {
                                cache.hits.push(i);
                            }
                        });
                        // Both fit: the hits are bounded by the forms cached
                        // times their n-grams, far below 2^32.
                        let start32 = u32::try_from(start).expect("cached character n-gram hits fit in u32");
                        let len32 = u32::try_from(cache.hits.len() - start).expect("a form's n-gram hits fit in u32");
                        cache.forms[f] = (start32, len32);
                        cache.n_forms += 1;
                    }
                    let (start, len) = cache.forms[f];
                    for &i in &cache.hits[start as usize..(start + len) as usize] {
                        tally.add(i);
                    }
                }
            }
            if with_bigrams {
                if let Some((p, sentence)) = prev {
                    if sentence == t.sentence && p.first != NO_TERM && term.second != NO_TERM {
                        if let Some(&i) = self.bigrams.get(&((p.first as u64) << 32 | term.second as u64)) {
                            tally.add(i);
                        }
                    }
                }
            }
            prev = Some((term, t.sentence));
        }
    }

    /// Weighted, L2-normalised term values (in feature order, which fixes
    /// the summation order of the norm), then the lexicon/length features.
    /// The stacked columns come last and are left out (zero) here.
    fn row_from_counts(&self, counts: &[(u32, u32)], stats: &DocStats) -> Vec<(u32, f32)> {
        let n = counts.len() + self.extra_names.len();
        let (mut idx, mut val) = (Vec::with_capacity(n), Vec::with_capacity(n));
        self.write_row(counts, stats, &mut idx, &mut val);
        idx.into_iter().zip(val).collect()
    }

    /// [`row_from_counts`](Self::row_from_counts) appended to `idx` and `val`.
    fn write_row(&self, counts: &[(u32, u32)], stats: &DocStats, idx: &mut Vec<u32>, val: &mut Vec<f32>) {
        let start = val.len();
        let weighting = self.spec.weighting;
        let weight = |i: u32, count: u32| match weighting {
            Weighting::Binary => 1.0,
            Weighting::LogTf => 1.0 + (count as f32).ln(),
            Weighting::TfIdf => count as f32 * self.idf[i as usize],
            Weighting::Nb => self.idf[i as usize],
        };
        // `extend` over a slice's map writes the entries without a capacity
        // check per push.
        idx.extend(counts.iter().map(|&(i, _)| i));
        if self.spec.pos_ngrams.is_some() {
            // Up to three blocks (words, character n-grams, part-of-speech
            // n-grams), each of norm 1, each block's squares summed in
            // feature order.
            let mut sq = [0f64; 3];
            val.extend(counts.iter().map(|&(i, count)| {
                let v = weight(i, count);
                sq[self.block[i as usize] as usize] += (v as f64).powi(2);
                v
            }));
            let norm = sq.map(f64::sqrt);
            for (v, &(i, _)) in val[start..].iter_mut().zip(counts) {
                let n = norm[self.block[i as usize] as usize];
                if n > 0.0 {
                    *v = (*v as f64 / n) as f32;
                }
            }
        } else if let (Some(_), Some((lo, hi))) = (self.spec.char_ngrams, self.char_block) {
            // The same two blocks as below, found by position: the row is
            // in index order, so it is words, character n-grams, words.
            // Each block's squares are summed in feature order as below.
            // The weighting is chosen once per row, not per entry.
            match weighting {
                Weighting::TfIdf => val.extend(counts.iter().map(|&(i, count)| count as f32 * self.idf[i as usize])),
                _ => val.extend(counts.iter().map(|&(i, count)| weight(i, count))),
            }
            let row = &mut val[start..];
            let a = counts.partition_point(|e| e.0 < lo);
            let b = counts.partition_point(|e| e.0 < hi);
            let add_sq = |s: f64, v: &f32| s + (*v as f64).powi(2);
            let words = row[b..].iter().fold(row[..a].iter().fold(0f64, add_sq), add_sq).sqrt();
            let chars = row[a..b].iter().fold(0f64, add_sq).sqrt();
            let (head, rest) = row.split_at_mut(a);
            let (mid, tail) = rest.split_at_mut(b - a);
            for (block, n) in [(head, words), (mid, chars), (tail, words)] {
                if n > 0.0 {
                    for v in block {
                        *v = (*v as f64 / n) as f32;
                    }
                }
            }
        } else if self.spec.char_ngrams.is_some() {
            // Two blocks, each of norm 1: character n-grams outnumber words
            // several times and would otherwise drown them.
            // The squares are summed while weighting, each block in feature
            // order as before.
            let mut sq = [0f64; 2];
            val.extend(counts.iter().map(|&(i, count)| {
                let v = weight(i, count);
                sq[self.is_char[i as usize] as usize] += (v as f64).powi(2);
                v
            }));
            let norm = sq.map(f64::sqrt);
            for (v, &(i, _)) in val[start..].iter_mut().zip(counts) {
                let n = norm[self.is_char[i as usize] as usize];
                if n > 0.0 {
                    *v = (*v as f64 / n) as f32;
                }
            }
        } else {
            val.extend(counts.iter().map(|&(i, count)| weight(i, count)));
            let row = &mut val[start..];
            let norm = row.iter().map(|&v| (v as f64).powi(2)).sum::<f64>().sqrt();
            if norm > 0.0 {
                for v in row {
                    *v = (*v as f64 / norm) as f32;
                }
            }
        }
        // The extra values, then the non-zero ones moved down over the
        // zeros (they are written after the terms' values in any case).
        let base = self.vocabulary.len() as u32;
        let at = val.len();
        extra_values(&self.spec, stats, val);
        let mut kept = at;
        for k in at..val.len() {
            let v = val[k];
            if v != 0.0 {
                val[kept] = v;
                idx.push(base + (k - at) as u32);
                kept += 1;
            }
        }
        val.truncate(kept);
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
    use crate::signals::{DocSignals, Worker};

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

    /// Two texts whose stems, bigrams and character n-grams overlap, for the
    /// tests of the per-thread caches.
    const CACHE_TEXTS: [&str; 2] = [
        "Critics argue the plan may fail, officials said. Critics argue again in 2027.",
        "Opponents praised the mayor; the mayor argued that critics fail. See https://example.org now.",
    ];

    /// [`CACHE_TEXTS`] analysed and counted with the built-in signals, and
    /// the worker that analysed them.
    fn analysed_cache_texts() -> (SignalSet, Worker, Vec<DocSignals>, Vec<DocStats>) {
        let set = SignalSet::builtin();
        let mut w = Worker::default();
        let analysed: Vec<_> = CACHE_TEXTS.iter().map(|t| set.analyze(t, &mut w)).collect();
        let stats: Vec<_> = analysed.iter().map(|a| count(&set, a)).collect();
        (set, w, analysed, stats)
    }

    /// A featurizer fitted with `spec` on two analysed documents, and the
    /// training path's rows of each (computed from strings): what the
    /// cached rows of scoring must equal.
    fn fit_with_rows(
        set: &SignalSet,
        w: &Worker,
        analysed: &[DocSignals],
        stats: &[DocStats],
        spec: FeatureSpec,
    ) -> (Featurizer, Vec<Vec<(u32, f32)>>) {
        let docs: Vec<TermCounts> = analysed
            .iter()
            .map(|a| TermCounts::from_doc_with(&a.analyzed, &w.analyzer, spec.ngram_max, spec.char_ngrams))
            .collect();
        let f = Featurizer::fit(&spec, set, &docs, &[0, 1], 2, &[0, 1]);
        let want = (0..docs.len()).map(|i| f.row(&docs[i], &stats[i])).collect();
        (f, want)
    }

    /// Rows stay right when the analyzer reassigns its ids (the per-thread
    /// caches by stem and form id must start over), and when one thread
    /// builds rows for several featurizers in turn.
    #[test]
    fn rows_survive_reassigned_ids_and_other_featurizers() {
        let (set, mut w, analysed, stats) = analysed_cache_texts();
        let fits: Vec<Featurizer> = [(2, Some((2, 4))), (1, Some((3, 5))), (2, None)]
            .into_iter()
            .map(|(ngram_max, char_ngrams)| {
                let spec = FeatureSpec { ngram_max, min_df: 1, char_ngrams, ..FeatureSpec::default() };
                fit_with_rows(&set, &w, &analysed, &stats, spec)
            })
            .map(|(f, want)| {
                for (i, a) in analysed.iter().enumerate() {
                    assert_eq!(bits(&f.row_of_doc(&a.analyzed, &w.analyzer, &stats[i])), bits(&want[i]));
                }
                f
            })
            .collect();
        // New ids: the second text first, so its stems take the ids the
        // first text's stems had.
        w.analyzer.clear_caches();
        let again: Vec<_> = CACHE_TEXTS.iter().rev().map(|t| set.analyze(t, &mut w)).collect();
        for f in &fits {
            let docs: Vec<TermCounts> = again
                .iter()
                .map(|a| TermCounts::from_doc_with(&a.analyzed, &w.analyzer, f.spec.ngram_max, f.spec.char_ngrams))
                .collect();
            for (i, a) in again.iter().enumerate() {
                let st = count(&set, a);
                let want = f.row(&docs[i], &st);
                assert_eq!(bits(&f.row_of_doc(&a.analyzed, &w.analyzer, &st)), bits(&want));
                let mut m = CsrMatrix::new(f.n_features());
                f.push_row_of_tokens(&a.analyzed.tokens, &w.analyzer, &st, &mut m);
                let (idx, val) = m.row(0);
                let got: Vec<(u32, f32)> = idx.iter().copied().zip(val.iter().copied()).collect();
                assert_eq!(bits(&got), bits(&want));
            }
        }
    }

    /// With more featurizers than a thread keeps caches for, rows stay
    /// right, and the cache evicted is the least recently used one.
    #[test]
    fn caches_of_many_featurizers_are_evicted_least_recently_used() {
        let (set, w, analysed, stats) = analysed_cache_texts();
        let n = MAX_CACHED_FEATURIZERS + 3;
        let fits: Vec<(Featurizer, Vec<_>)> = (0..n)
            .map(|k| {
                let (ngram_max, char_ngrams) = [(1, None), (2, None), (2, Some((2, 4))), (1, Some((3, 5)))][k % 4];
                let spec =
                    FeatureSpec { ngram_max, min_df: 1, max_features: 6 + k, char_ngrams, ..FeatureSpec::default() };
                fit_with_rows(&set, &w, &analysed, &stats, spec)
            })
            .collect();
        let cached =
            |f: &Featurizer| ROW_SCRATCH.with(|c| c.borrow().caches.iter().any(|c| c.featurizer == f.cache_id.0));
        let check = |k: usize| {
            let (f, want) = &fits[k];
            for (i, a) in analysed.iter().enumerate() {
                assert_eq!(bits(&f.row_of_doc(&a.analyzed, &w.analyzer, &stats[i])), bits(&want[i]), "featurizer {k}");
            }
        };
        for k in 0..MAX_CACHED_FEATURIZERS {
            check(k);
        }
        // Featurizer 0 is used again, so 1 is now the least recently used.
        check(0);
        check(MAX_CACHED_FEATURIZERS);
        assert!(cached(&fits[0].0), "a recently used cache was evicted");
        assert!(!cached(&fits[1].0), "the least recently used cache was kept");
        // Every featurizer in turn, twice: more than the caches kept.
        for _ in 0..2 {
            for k in (0..n).rev() {
                check(k);
            }
        }
    }

    /// The two blocks found by position give the rows of the per-entry
    /// test (used when a vocabulary's character n-grams are not contiguous).
    #[test]
    fn char_block_by_position_equals_per_entry() {
        let set = SignalSet::builtin();
        let mut w = Worker::default();
        let texts = [
            "Critics argue the plan may fail, officials said in 2027.",
            "Before the vote, opponents praised the mayor's deal.",
        ];
        let analysed: Vec<_> = texts.iter().map(|t| set.analyze(t, &mut w)).collect();
        let stats: Vec<_> = analysed.iter().map(|a| count(&set, a)).collect();
        let chars = Some((2, 4));
        let docs: Vec<TermCounts> =
            analysed.iter().map(|a| TermCounts::from_doc_with(&a.analyzed, &w.analyzer, 2, chars)).collect();
        let spec = FeatureSpec { min_df: 1, char_ngrams: chars, ..FeatureSpec::default() };
        let f = Featurizer::fit(&spec, &set, &docs, &[0, 1], 2, &[0, 1]);
        let (lo, hi) = f.char_block.expect("a fitted vocabulary is sorted");
        assert!(0 < lo && lo < hi && (hi as usize) < f.vocabulary.len(), "words on both sides of the n-grams");
        let mut per_entry = f.clone();
        per_entry.char_block = None;
        for i in 0..2 {
            let row = f.row(&docs[i], &stats[i]);
            assert!(
                row.iter().any(|e| e.0 < lo) && row.iter().any(|e| e.0 >= hi && (e.0 as usize) < f.vocabulary.len())
            );
            assert_eq!(bits(&row), bits(&per_entry.row(&docs[i], &stats[i])));
        }
    }

    /// Texts for the part-of-speech tests: several sentences, quotation,
    /// modals and words the analysis itself leaves untagged.
    const POS_TEXTS: [&str; 3] = [
        "We may win the vote. The tiny council met on Tuesday; critics said it was the worst plan ever.",
        "\"It is historic,\" the mayor said. Supporters praised the deal in 2027!",
        "Officials could delay the bridge repair again.",
    ];

    /// The tagged tokens of each text for `spec`, and their term counts.
    fn pos_docs(spec: &FeatureSpec, set: &SignalSet, w: &mut Worker) -> (Vec<DocSignals>, Vec<Vec<Token>>) {
        let analysed: Vec<DocSignals> = POS_TEXTS.iter().map(|t| set.analyze(t, w)).collect();
        let tagged = analysed
            .iter()
            .zip(POS_TEXTS)
            .map(|(a, t)| tagged_tokens(spec, t, &a.analyzed.tokens, &mut w.analyzer).into_owned())
            .collect();
        (analysed, tagged)
    }

    /// Closed-class words stay, other words become their Penn tag, and no
    /// n-gram crosses a sentence; `admits` keeps a spec's own lengths.
    #[test]
    fn pos_ngrams_keep_closed_class_words_within_sentences() {
        let set = SignalSet::builtin();
        let mut w = Worker::default();
        let spec = FeatureSpec { pos_ngrams: Some((1, 3)), ..FeatureSpec::default() };
        let (analysed, tagged) = pos_docs(&spec, &set, &mut w);
        // The analysis tags only the sentences its patterns need; the
        // featurizer's copy has every sentence tagged.
        assert!(tagged.iter().flatten().all(|t| t.upos != crate::text::pos::Upos::X));
        let tc = TermCounts::from_tokens(&tagged[0], &w.analyzer, &spec);
        let pos: Vec<&str> = tc.terms().filter(|t| t.starts_with(terms::POS_PREFIX)).collect();
        for want in ["p:we may VB", "p:the NN", "p:the JJS NN", "p:JJ NN"] {
            assert!(pos.contains(&want), "{want} not in {pos:?}");
        }
        assert!(!pos.iter().any(|t| t.contains(". the")), "an n-gram across sentences: {pos:?}");
        assert!(pos.iter().all(|t| t.split(' ').count() <= 3));
        // The word terms are those of the plain counts.
        let words = TermCounts::from_doc_with(&analysed[0].analyzed, &w.analyzer, 2, None);
        let plain: Vec<_> = tc.iter().filter(|(t, _)| !t.starts_with(terms::POS_PREFIX)).collect();
        assert_eq!(plain, words.iter().collect::<Vec<_>>());
        // Without the block: the tokens as they are, no such term.
        let none = FeatureSpec::default();
        assert!(matches!(
            tagged_tokens(&none, POS_TEXTS[0], &analysed[0].analyzed.tokens, &mut w.analyzer),
            Cow::Borrowed(_)
        ));
        assert!(!TermCounts::from_tokens(&tagged[0], &w.analyzer, &none).terms().any(|t| t.starts_with("p:")));
        // admits: only the spec's own lengths, only with the block.
        let two = FeatureSpec { pos_ngrams: Some((2, 3)), ngram_max: 1, ..FeatureSpec::default() };
        assert!(two.admits("p:the JJ") && two.admits("p:the JJ NN") && !two.admits("p:NN"));
        assert!(!two.admits("p:the JJ NN of") && !none.admits("p:the JJ") && two.admits("vote"));
        assert!(!two.admits("the vote"), "word bigrams still follow ngram_max");
    }

    /// A sentence sliced out of a longer document gets the part-of-speech
    /// n-grams it has as a document of its own (sentence models are trained
    /// on standalone sentences and score slices).
    #[test]
    fn pos_ngrams_of_a_slice_are_those_of_the_sentence_alone() {
        let set = SignalSet::builtin();
        let mut w = Worker::default();
        let spec = FeatureSpec { pos_ngrams: Some((1, 3)), ngram_max: 1, ..FeatureSpec::default() };
        let text = POS_TEXTS[0];
        let doc = set.analyze(text, &mut w);
        assert_eq!(doc.analyzed.sentences.len(), 2);
        let mut all: Vec<(String, u32)> = Vec::new();
        for (i, s) in doc.analyzed.sentences.iter().enumerate() {
            let slice = crate::signals::stats::sentence_tokens(&doc, i as u32);
            let tokens = tagged_tokens(&spec, text, slice, &mut w.analyzer);
            let got: Vec<(String, u32)> =
                TermCounts::from_tokens(&tokens, &w.analyzer, &spec).iter().map(|(t, c)| (t.to_string(), c)).collect();
            let own_text = &text[s.span.start..s.span.end];
            let own = set.analyze(own_text, &mut w);
            let own_tokens = tagged_tokens(&spec, own_text, &own.analyzed.tokens, &mut w.analyzer);
            let want: Vec<(String, u32)> = TermCounts::from_tokens(&own_tokens, &w.analyzer, &spec)
                .iter()
                .map(|(t, c)| (t.to_string(), c))
                .collect();
            assert_eq!(got, want, "sentence {i}");
            all.extend(got.into_iter().filter(|(t, _)| t.starts_with("p:")));
        }
        // The document's n-grams are its sentences' together.
        let whole = tagged_tokens(&spec, text, &doc.analyzed.tokens, &mut w.analyzer);
        let mut doc_terms: Vec<(String, u32)> = TermCounts::from_tokens(&whole, &w.analyzer, &spec)
            .iter()
            .filter(|(t, _)| t.starts_with("p:"))
            .map(|(t, c)| (t.to_string(), c))
            .collect();
        let mut summed: FxHashMap<String, u32> = FxHashMap::default();
        for (t, c) in all {
            *summed.entry(t).or_default() += c;
        }
        let mut summed: Vec<(String, u32)> = summed.into_iter().collect();
        summed.sort();
        doc_terms.sort();
        assert_eq!(doc_terms, summed);
    }

    /// Scoring (lookups while walking the tagged tokens) gives the training
    /// row bit for bit, with the words, character n-grams and
    /// part-of-speech n-grams each of norm 1.
    #[test]
    fn pos_rows_of_tokens_equal_rows_of_term_counts() {
        let set = SignalSet::builtin();
        let mut w = Worker::default();
        for (chars, range) in [(None, (1, 3)), (Some((2, 4)), (1, 3)), (None, (2, 4))] {
            let spec = FeatureSpec { min_df: 1, pos_ngrams: Some(range), char_ngrams: chars, ..FeatureSpec::default() };
            let (analysed, tagged) = pos_docs(&spec, &set, &mut w);
            let stats: Vec<_> = analysed.iter().map(|a| count(&set, a)).collect();
            let docs: Vec<TermCounts> = tagged.iter().map(|t| TermCounts::from_tokens(t, &w.analyzer, &spec)).collect();
            let f = Featurizer::fit(&spec, &set, &docs, &[0, 1, 0], 2, &[0, 1, 2]);
            assert!(f.vocabulary.iter().any(|t| t.starts_with(terms::POS_PREFIX)));
            // Terms of up to three units are found by their units' ids;
            // longer ones (and any, without the index) by string.
            assert_eq!(f.pos_index.is_some(), range.1 <= 3);
            let mut by_string = f.clone();
            by_string.pos_index = None;
            for i in 0..3 {
                let a = f.row(&docs[i], &stats[i]);
                assert_eq!(bits(&a), bits(&f.row_of_tokens(&tagged[i], &w.analyzer, &stats[i])));
                assert_eq!(bits(&a), bits(&by_string.row_of_tokens(&tagged[i], &w.analyzer, &stats[i])));
                let mut sq = [0f64; 3];
                for &(j, v) in a.iter().filter(|e| (e.0 as usize) < f.vocabulary.len()) {
                    let t = &f.vocabulary[j as usize];
                    let b =
                        if t.starts_with(terms::POS_PREFIX) { 2 } else { t.starts_with(terms::CHAR_PREFIX) as usize };
                    sq[b] += (v as f64).powi(2);
                }
                assert!((sq[0] - 1.0).abs() < 1e-5 && (sq[2] - 1.0).abs() < 1e-5, "{sq:?}");
                assert_eq!(chars.is_some(), (sq[1] - 1.0).abs() < 1e-5, "{sq:?}");
            }
        }
    }

    /// A spec longer than its vocabulary's terms (1-4 and 1-5, with min_df
    /// or max_features leaving no term of four units) still gets the index,
    /// which keys n-grams only as long as its longest term: the rows are
    /// bit-identical to the string path training uses. (Keying the spec's
    /// MAX counted a 3-gram twice when a fourth unit's id was even, since
    /// it shifted out of the key, and overflowed at a fifth.)
    #[test]
    fn pos_index_keys_no_n_gram_longer_than_its_terms() {
        let set = SignalSet::builtin();
        let mut w = Worker::default();
        let texts = [
            "The new plan failed on Monday, and the old council said it was a mistake.",
            "The big bridge opened in May. Critics said the cost was too high.",
            "A small town voted on the new law; the mayor said it would help.",
            "The local paper reported that the vote was close.",
            "Officials said the new school would open in the autumn.",
            "The old factory closed in March, and workers said they were angry.",
        ];
        let analysed: Vec<DocSignals> = texts.iter().map(|t| set.analyze(t, &mut w)).collect();
        let stats: Vec<_> = analysed.iter().map(|a| count(&set, a)).collect();
        let y = [0, 1, 0, 1, 0, 1];
        let rows: Vec<usize> = (0..texts.len()).collect();
        let units = |t: &str| t.strip_prefix(terms::POS_PREFIX).map(|g| g.split(' ').count());
        for range in [(1, 4), (1, 5)] {
            let wide = FeatureSpec { pos_ngrams: Some(range), ngram_max: 1, ..FeatureSpec::default() };
            let tagged: Vec<Vec<Token>> = analysed
                .iter()
                .zip(texts)
                .map(|(a, t)| tagged_tokens(&wide, t, &a.analyzed.tokens, &mut w.analyzer).into_owned())
                .collect();
            let docs: Vec<TermCounts> = tagged.iter().map(|t| TermCounts::from_tokens(t, &w.analyzer, &wide)).collect();
            assert!(
                docs.iter().flat_map(|d| d.terms()).any(|t| units(t) == Some(range.1)),
                "the texts have {range:?}-grams"
            );
            // Here no 4-gram is in more than three texts: a min_df of 4, or
            // a cap on the terms by document frequency that keeps only
            // those in 4 or more texts, leaves terms of up to three units.
            let mut df: FxHashMap<&str, usize> = FxHashMap::default();
            for t in docs.iter().flat_map(|d| d.terms()) {
                *df.entry(t).or_default() += 1;
            }
            let frequent = df.values().filter(|&&n| n >= 4).count();
            let by_min_df = FeatureSpec { min_df: 4, ..wide.clone() };
            let by_cap =
                FeatureSpec { min_df: 1, max_features: frequent, selection: Selection::Frequency, ..wide.clone() };
            for spec in [by_min_df, by_cap] {
                let f = Featurizer::fit(&spec, &set, &docs, &y, 2, &rows);
                let longest = f.vocabulary.iter().filter_map(|t| units(t)).max();
                assert_eq!(longest, Some(3), "{spec:?}: terms of three units, none longer");
                assert!(f.pos_index.is_some());
                let mut by_string = f.clone();
                by_string.pos_index = None;
                for i in 0..texts.len() {
                    let want = bits(&f.row(&docs[i], &stats[i]));
                    assert_eq!(want, bits(&f.row_of_tokens(&tagged[i], &w.analyzer, &stats[i])), "{spec:?} {i}");
                    assert_eq!(want, bits(&by_string.row_of_tokens(&tagged[i], &w.analyzer, &stats[i])));
                }
            }
        }
    }

    /// A model file whose part-of-speech lengths `train` would refuse is
    /// refused when read, with the rule in the message; the lengths it
    /// accepts load.
    #[test]
    fn pos_ngram_lengths_are_checked_on_load() {
        let data = |range: (usize, usize)| FeaturizerData {
            spec: FeatureSpec { pos_ngrams: Some(range), ..FeatureSpec::default() },
            vocabulary: vec!["p:the NN".into(), "vote".into()],
            idf: vec![1.0, 1.0],
            extra_names: Vec::new(),
        };
        for bad in [(0, 3), (0, 0), (3, 2), (1, 6), (1, 9)] {
            let err = Featurizer::try_from(data(bad)).unwrap_err();
            assert!(err.contains("1 <= MIN <= MAX <= 5") && err.contains(&format!("[{}, {}]", bad.0, bad.1)), "{err}");
            // Through serde, as a model file is read.
            let json = serde_json::to_value(data(bad)).unwrap();
            let err = serde_json::from_value::<Featurizer>(json).unwrap_err().to_string();
            assert!(err.contains("part-of-speech n-gram lengths"), "{err}");
        }
        for good in [(1, 1), (1, 3), (2, 4), (1, 5), (5, 5)] {
            assert!(Featurizer::try_from(data(good)).is_ok(), "{good:?}");
        }
    }

    /// `row_of_doc` reads the analysis' tokens, which are not all tagged:
    /// with part-of-speech n-grams it refuses instead of giving a wrong row.
    #[test]
    #[should_panic(expected = "use row_of_tokens of tagged_tokens")]
    fn row_of_doc_refuses_a_spec_with_part_of_speech_ngrams() {
        let set = SignalSet::builtin();
        let mut w = Worker::default();
        let spec = FeatureSpec { min_df: 1, pos_ngrams: Some((1, 3)), ..FeatureSpec::default() };
        let (analysed, tagged) = pos_docs(&spec, &set, &mut w);
        let docs: Vec<TermCounts> = tagged.iter().map(|t| TermCounts::from_tokens(t, &w.analyzer, &spec)).collect();
        let f = Featurizer::fit(&spec, &set, &docs, &[0, 1, 0], 2, &[0, 1, 2]);
        let stats = count(&set, &analysed[0]);
        f.row_of_doc(&analysed[0].analyzed, &w.analyzer, &stats);
    }

    /// Files written before the block existed read as "none", and a spec
    /// without it writes no key, so their bytes and scores stay the same.
    #[test]
    fn pos_ngrams_default_to_none_and_are_not_written_when_none() {
        let none = FeatureSpec::default();
        let json = serde_json::to_value(&none).unwrap();
        assert!(json.get("pos_ngrams").is_none(), "{json}");
        let back: FeatureSpec = serde_json::from_value(json).unwrap();
        assert_eq!(back.pos_ngrams, None);
        let with = FeatureSpec { pos_ngrams: Some((1, 3)), ..FeatureSpec::default() };
        let json = serde_json::to_value(&with).unwrap();
        assert_eq!(json["pos_ngrams"], serde_json::json!([1, 3]));
        assert_eq!(serde_json::from_value::<FeatureSpec>(json).unwrap(), with);
    }

    fn bits(row: &[(u32, f32)]) -> Vec<(u32, u32)> {
        row.iter().map(|e| (e.0, e.1.to_bits())).collect()
    }

    /// A pair of word terms finds the bigram term equal to "first second",
    /// also when a half contains a space itself.
    #[test]
    fn bigram_index_finds_every_split() {
        let vocab: Vec<String> = ["a b c", "a", "b", "x y"].iter().map(|s| s.to_string()).collect();
        let (bigrams, halves) = bigram_index(&vocab);
        let find = |p: &str, s: &str| {
            let (first, _) = halves.get(p).copied()?;
            let (_, second) = halves.get(s).copied()?;
            bigrams.get(&((first as u64) << 32 | second as u64)).copied()
        };
        assert_eq!(find("a", "b c"), Some(0));
        assert_eq!(find("a b", "c"), Some(0));
        assert_eq!(find("x", "y"), Some(3));
        assert_eq!(find("a", "b"), None);
        assert_eq!(find("y", "x"), None);
    }

    /// Packed n-grams: distinct for distinct strings (also with trailing
    /// zero bytes), none past 7 bytes.
    #[test]
    fn packed_grams_are_distinct() {
        let grams = ["", "a", "a\0", "\0a", "ab", "ba", " wo", "word ", "é", "\0\0\0\0\0\0\0", "abcdefg"];
        let keys: Vec<u64> = grams.iter().map(|g| packed_gram(g).unwrap()).collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(k), "{:?}", grams[i]);
        }
        assert_eq!(packed_gram("abcdefgh"), None);
        assert_eq!(packed_gram("éééé"), None, "8 bytes");
    }

    /// The tally gives every index met, by index, with its count, across
    /// words of both bitmaps, and starts the next row empty.
    #[test]
    fn tally_reads_back_by_index_and_resets() {
        let mut t = TermTally::default();
        t.start(20_000);
        for i in [19_999, 5, 4_096, 5, 64, 4_095, 0, 19_999, 5] {
            t.add(i);
        }
        let mut out = Vec::new();
        t.finish(&mut out);
        assert_eq!(out, vec![(0, 1), (5, 3), (64, 1), (4_095, 1), (4_096, 1), (19_999, 2)]);
        t.start(20_000);
        t.add(7);
        t.finish(&mut out);
        assert_eq!(out, vec![(7, 1)]);
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
