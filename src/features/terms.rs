//! Terms of a document: stem unigrams and bigrams (no bigram across
//! punctuation or sentences), and vocabulary selection.

use super::{FeatureSpec, Selection};
use crate::text::pos::Upos;
use crate::text::{Analyzed, Analyzer, Token, TokenKind};
use rustc_hash::FxHashMap;

/// Term counts of one document, sorted by term.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermCounts {
    terms: Vec<(String, u32)>,
}

/// Call `visit` with every term of a document, in text order: each word's
/// stem (numbers, URLs and e-mails as `#num`, `#url`, `#email`), then, for
/// `ngram_max >= 2`, the bigram it ends (`"prev stem"`; none across
/// punctuation or sentences). Bigrams are built in one reused buffer, so
/// walking a document allocates nothing per token.
pub fn for_each_term(doc: &Analyzed, an: &Analyzer, ngram_max: usize, visit: impl FnMut(&str)) {
    for_each_term_with(doc, an, ngram_max, None, visit)
}

/// Character n-gram terms start with this (no word term contains ':').
pub const CHAR_PREFIX: &str = "c:";

/// [`for_each_term`], plus with `chars = Some((min, max))` the character
/// n-grams of lengths min..=max of each word's lowercase form padded with a
/// space at both ends (`"c: wo"`, `"c:word "`), after the word's stem.
pub fn for_each_term_with(
    doc: &Analyzed,
    an: &Analyzer,
    ngram_max: usize,
    chars: Option<(usize, usize)>,
    visit: impl FnMut(&str),
) {
    for_each_term_of_tokens(&doc.tokens, an, ngram_max, chars, visit)
}

/// [`for_each_term_with`] over a run of a document's tokens (the tokens of
/// some of its sentences): the terms those sentences give as a document of
/// their own, since no term reaches across a sentence.
pub fn for_each_term_of_tokens(
    tokens: &[Token],
    an: &Analyzer,
    ngram_max: usize,
    chars: Option<(usize, usize)>,
    mut visit: impl FnMut(&str),
) {
    let mut bigram = String::new();
    let mut grams = CharGrams::default();
    let mut prev: Option<(&str, u32)> = None; // previous word's stem and sentence
    for t in tokens {
        let stem = match t.kind {
            TokenKind::Punct => {
                prev = None;
                continue;
            }
            TokenKind::Number => "#num",
            TokenKind::Url => "#url",
            TokenKind::Email => "#email",
            TokenKind::Word => an.stem(t.stem),
        };
        visit(stem);
        if let (Some((lo, hi)), TokenKind::Word) = (chars, t.kind) {
            grams.for_each(an.form(t.form), lo, hi, &mut visit);
        }
        if ngram_max >= 2 {
            if let Some((p, s)) = prev {
                if s == t.sentence {
                    bigram.clear();
                    bigram.push_str(p);
                    bigram.push(' ');
                    bigram.push_str(stem);
                    visit(&bigram);
                }
            }
        }
        prev = Some((stem, t.sentence));
    }
}

/// Part-of-speech n-gram terms start with this (no word term contains ':').
pub const POS_PREFIX: &str = "p:";

/// Whether a token of this universal tag keeps its word in a
/// part-of-speech n-gram: the closed classes (determiners, prepositions,
/// pronouns, auxiliaries and modals, conjunctions, particles) and
/// punctuation. These carry style rather than topic ("text distortion",
/// Stamatatos 2017); every other token becomes its Penn tag.
pub fn keeps_word(upos: Upos) -> bool {
    matches!(
        upos,
        Upos::Det | Upos::Adp | Upos::Pron | Upos::Aux | Upos::Cconj | Upos::Sconj | Upos::Part | Upos::Punct
    )
}

/// Call `visit` with the part-of-speech `lo..=hi`-grams of `tokens`, each
/// as [`POS_PREFIX`] + its units joined by spaces (`"p:the JJ NN"`): a
/// closed-class token's unit is its lowercase form ([`keeps_word`]), any
/// other token's its Penn tag. No n-gram reaches across a sentence. The
/// tokens must be tagged (see [`crate::features::tagged_tokens`]). `gram`
/// is a buffer reused between calls.
pub fn for_each_pos_gram(
    tokens: &[Token],
    an: &Analyzer,
    (lo, hi): (usize, usize),
    gram: &mut String,
    mut visit: impl FnMut(&str),
) {
    let unit = |t: &Token| if keeps_word(t.upos) { an.form(t.form) } else { t.xpos.as_str() };
    let mut start = 0;
    while start < tokens.len() {
        let sentence = tokens[start].sentence;
        let end = start + tokens[start..].iter().take_while(|t| t.sentence == sentence).count();
        for i in start..end {
            for n in lo..=hi.min(end - i) {
                gram.clear();
                gram.push_str(POS_PREFIX);
                for (k, t) in tokens[i..i + n].iter().enumerate() {
                    if k > 0 {
                        gram.push(' ');
                    }
                    gram.push_str(unit(t));
                }
                visit(gram);
            }
        }
        start = end;
    }
}

/// Reusable buffers for a word's character n-grams.
#[derive(Default)]
pub struct CharGrams {
    padded: String,
    bounds: Vec<usize>,
    gram: String,
}

impl CharGrams {
    /// Visit the character `lo..=hi`-grams of `form` padded with a space on
    /// each side (word-bounded, as scikit-learn's `char_wb`), each as
    /// `CHAR_PREFIX` + the n-gram, in a fixed order.
    pub fn for_each(&mut self, form: &str, lo: usize, hi: usize, mut visit: impl FnMut(&str)) {
        let mut gram = std::mem::take(&mut self.gram);
        self.for_each_bare(form, lo, hi, |g| {
            gram.clear();
            gram.push_str(CHAR_PREFIX);
            gram.push_str(g);
            visit(&gram);
        });
        self.gram = gram;
    }

    /// [`for_each`](Self::for_each) without the prefix: each n-gram as a
    /// slice of the padded form, copied nowhere.
    pub fn for_each_bare(&mut self, form: &str, lo: usize, hi: usize, mut visit: impl FnMut(&str)) {
        self.padded.clear();
        self.padded.push(' ');
        self.padded.push_str(form);
        self.padded.push(' ');
        self.bounds.clear();
        self.bounds.extend(self.padded.char_indices().map(|(i, _)| i));
        self.bounds.push(self.padded.len());
        let n_chars = self.bounds.len() - 1;
        for n in lo..=hi.min(n_chars) {
            for s in 0..=n_chars - n {
                visit(&self.padded[self.bounds[s]..self.bounds[s + n]]);
            }
        }
    }
}

impl TermCounts {
    /// The word terms of `doc` (stems, and bigrams with `ngram_max` 2):
    /// never the part-of-speech or character n-grams of a spec; a
    /// featurizer's counts are [`from_tokens`](Self::from_tokens).
    pub fn from_doc(doc: &Analyzed, an: &Analyzer, ngram_max: usize) -> Self {
        Self::from_doc_with(doc, an, ngram_max, None)
    }

    /// [`from_doc`](Self::from_doc) with character n-grams (see
    /// [`for_each_term_with`]). Crate-private (the crate's tests compare
    /// rows with it): it counts no part-of-speech n-grams, so for a spec
    /// with them its counts are wrong; that spec's counts are
    /// [`from_tokens`](Self::from_tokens) of [`crate::features::tagged_tokens`].
    pub(crate) fn from_doc_with(
        doc: &Analyzed,
        an: &Analyzer,
        ngram_max: usize,
        chars: Option<(usize, usize)>,
    ) -> Self {
        let mut counts: FxHashMap<String, u32> = FxHashMap::default();
        for_each_term_with(doc, an, ngram_max, chars, |term| match counts.get_mut(term) {
            Some(n) => *n += 1,
            None => {
                counts.insert(term.to_string(), 1);
            }
        });
        let mut terms: Vec<(String, u32)> = counts.into_iter().collect();
        terms.sort_unstable();
        TermCounts { terms }
    }

    /// The terms of `tokens` (some sentences of an analysed document) for
    /// `spec`: those of [`for_each_term_of_tokens`] with its n-gram and
    /// character n-gram settings, plus its part-of-speech n-grams
    /// ([`for_each_pos_gram`]; the tokens must then be tagged).
    pub fn from_tokens(tokens: &[Token], an: &Analyzer, spec: &FeatureSpec) -> Self {
        let mut counts: FxHashMap<String, u32> = FxHashMap::default();
        let mut add = |term: &str| match counts.get_mut(term) {
            Some(n) => *n += 1,
            None => {
                counts.insert(term.to_string(), 1);
            }
        };
        for_each_term_of_tokens(tokens, an, spec.ngram_max, spec.char_ngrams, &mut add);
        if let Some(range) = spec.pos_ngrams {
            for_each_pos_gram(tokens, an, range, &mut String::new(), &mut add);
        }
        let mut terms: Vec<(String, u32)> = counts.into_iter().collect();
        terms.sort_unstable();
        TermCounts { terms }
    }

    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|(t, _)| t.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.terms.iter().map(|(t, c)| (t.as_str(), *c))
    }
}

/// Choose the vocabulary from the training rows: terms in at least
/// `min_df` documents, capped at `max_features` by document frequency or by
/// chi-squared association with the labels; returned sorted.
pub fn select_vocabulary(
    spec: &FeatureSpec,
    docs: &[TermCounts],
    y: &[usize],
    n_classes: usize,
    rows: &[usize],
) -> Vec<String> {
    // Per term: document frequency per class. FxHash (not SipHash): the
    // table is only counted into and read, and the vocabulary is ordered
    // afterwards by (score, term), so the hasher cannot change the result.
    let mut df: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    let mut class_n = vec![0u32; n_classes];
    for &r in rows {
        class_n[y[r]] += 1;
        for t in docs[r].terms() {
            df.entry(t).or_insert_with(|| vec![0; n_classes])[y[r]] += 1;
        }
    }
    let n = rows.len() as f64;
    let mut scored: Vec<(f64, &str)> = df
        .iter()
        .filter(|(t, c)| c.iter().sum::<u32>() as usize >= spec.min_df && spec.admits(t))
        .map(|(t, c)| {
            let total: u32 = c.iter().sum();
            let score = match spec.selection {
                Selection::Frequency => total as f64,
                Selection::Chi2 => {
                    // Max over classes of the 2x2 chi-squared (term present/absent x class/other).
                    (0..n_classes)
                        .map(|k| {
                            let a = c[k] as f64; // present, class k
                            let b = total as f64 - a; // present, other
                            let cc = class_n[k] as f64 - a; // absent, class k
                            let d = n - a - b - cc; // absent, other
                            let num = n * (a * d - b * cc).powi(2);
                            let den = (a + b) * (cc + d) * (a + cc) * (b + d);
                            if den > 0.0 {
                                num / den
                            } else {
                                0.0
                            }
                        })
                        .fold(0.0, f64::max)
                }
            };
            (score, *t)
        })
        .collect();
    // Highest score first; ties broken by term so the result is deterministic.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.truncate(spec.max_features);
    let mut vocab: Vec<String> = scored.into_iter().map(|(_, t)| t.to_string()).collect();
    vocab.sort();
    vocab
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unigrams_and_bigrams_within_clauses() {
        let mut an = Analyzer::new();
        let doc = an.analyze("Critics argued, critics argue. Argue 5!");
        let tc = TermCounts::from_doc(&doc, &an, 2);
        let got: Vec<(String, u32)> = tc.iter().map(|(t, c)| (t.to_string(), c)).collect();
        assert!(got.contains(&("critic".into(), 2)));
        assert!(got.contains(&("argu".into(), 3)));
        assert!(got.contains(&("critic argu".into(), 2)));
        assert!(got.contains(&("argu #num".into(), 1)));
        assert!(!got.iter().any(|(t, _)| t == "argu critic"), "no bigram across a comma");
        assert!(!got.iter().any(|(t, _)| t == "argu argu"), "no bigram across sentences");
    }

    #[test]
    fn vocabulary_respects_min_df_cap_and_training_rows() {
        let mut an = Analyzer::new();
        let texts = ["good news today", "good news again", "bad news today", "bad day", "unseen words only"];
        let docs: Vec<TermCounts> = texts.iter().map(|t| TermCounts::from_doc(&an.analyze(t), &an, 1)).collect();
        let y = [0, 0, 1, 1, 0];
        let spec =
            FeatureSpec { min_df: 2, max_features: 2, selection: Selection::Chi2, ngram_max: 1, ..Default::default() };
        let v = select_vocabulary(&spec, &docs, &y, 2, &[0, 1, 2, 3]);
        assert_eq!(v, vec!["bad".to_string(), "good".into()], "good/bad separate the classes perfectly");
        let spec = FeatureSpec { selection: Selection::Frequency, max_features: 1, ..spec };
        assert_eq!(select_vocabulary(&spec, &docs, &y, 2, &[0, 1, 2, 3]), vec!["news".to_string()]);
        assert!(!select_vocabulary(&spec, &docs, &y, 2, &[0, 1, 2, 3]).contains(&"unseen".to_string()));
    }
}
