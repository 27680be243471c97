//! Counting: turns a document's matches into per-document and per-sentence
//! counts. Only counted (non-negated) matches are included.

use super::attribution::{Mode, SourceType};
use super::{DocSignals, Label, SignalSet};
use rustc_hash::FxHashSet;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CategoryCount {
    pub n: usize,
    pub author_n: usize,
    pub quoted_n: usize,
    pub negated_n: usize,
    pub subs: Vec<usize>,
    /// Sum of the weights of the counted matches (= `n` when all weights are 1).
    pub weighted: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DimensionCount {
    pub mentions: [usize; 2],
    pub statements: [usize; 2],
}

/// Counts over the attribution records in the author's voice (statements
/// the article reports, not those reported inside quotations).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceStats {
    /// Records per source type, in [`SourceType::ALL`] order.
    pub by_type: [usize; 6],
    pub statements: usize,
    /// Distinct named sources (by the last word of the name, so "Ana Ruiz"
    /// and "Ruiz" are one), pronouns resolved to a name included.
    pub distinct_named: usize,
    /// Per balance dimension and side, quoted words in the content of
    /// statements attributed to that side.
    pub quoted_words: Vec<[usize; 2]>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SentenceStats {
    pub n_words: usize,
    pub n_quoted_words: usize,
    /// Counted matches per framing category.
    pub categories: Vec<usize>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocStats {
    pub n_words: usize,
    pub n_sentences: usize,
    pub n_quoted_words: usize,
    pub categories: Vec<CategoryCount>,
    pub dimensions: Vec<DimensionCount>,
    pub sentences: Vec<SentenceStats>,
    pub sources: SourceStats,
}

impl DocStats {
    pub fn n_author_words(&self) -> usize {
        self.n_words - self.n_quoted_words
    }
}

pub fn count(set: &SignalSet, doc: &DocSignals) -> DocStats {
    let mut stats = count_part(set, &doc.analyzed.tokens, doc.matches.iter(), 0, doc.analyzed.sentences.len());
    stats.sources = source_stats(set, doc);
    stats
}

/// The counts of each sentence of `doc` as the sentence-level models read
/// it: from the document's own analysis (its words with their quotation
/// state, and the matches that start in the sentence, found with the whole
/// document as context), each counted as a document of one sentence. The
/// source counts stay empty: no feature row reads them, and attribution
/// records belong to the document. For a document of one sentence this is
/// [`count`] without the source counts. One pass over the tokens and one
/// over the matches (grouped by sentence, in their order), so the cost is
/// linear in the document's length however many sentences it has.
pub fn count_sentences(set: &SignalSet, doc: &DocSignals) -> Vec<DocStats> {
    let n = doc.analyzed.sentences.len();
    // Matches grouped by sentence with a counting sort (stable: each
    // sentence's matches keep their order in `doc.matches`); `first[s]..first[s + 1]`
    // indexes `order` for sentence `s`. A match numbered past the last
    // sentence belongs to none, as in a filter by sentence number.
    let mut first = vec![0usize; n + 1];
    for m in doc.matches.iter().filter(|m| (m.sentence as usize) < n) {
        first[m.sentence as usize + 1] += 1;
    }
    for s in 0..n {
        first[s + 1] += first[s];
    }
    let mut next = first.clone();
    let mut order = vec![0usize; first[n]];
    for (i, m) in doc.matches.iter().enumerate().filter(|(_, m)| (m.sentence as usize) < n) {
        order[next[m.sentence as usize]] = i;
        next[m.sentence as usize] += 1;
    }
    (0..n as u32)
        .map(|s| {
            let matches = order[first[s as usize]..first[s as usize + 1]].iter().map(|&i| &doc.matches[i]);
            count_part(set, sentence_tokens(doc, s), matches, s, 1)
        })
        .collect()
}

/// The tokens of sentence `sentence` of `doc` (tokens are in text order,
/// so their sentence numbers never decrease).
pub fn sentence_tokens(doc: &DocSignals, sentence: u32) -> &[crate::text::Token] {
    let tokens = &doc.analyzed.tokens;
    let a = tokens.partition_point(|t| t.sentence < sentence);
    let b = a + tokens[a..].partition_point(|t| t.sentence <= sentence);
    &tokens[a..b]
}

/// Counts of `tokens` and `matches` (a run of a document's sentences,
/// the first numbered `first`, `n_sentences` of them), without the source
/// counts.
fn count_part<'a>(
    set: &SignalSet,
    tokens: &[crate::text::Token],
    matches: impl Iterator<Item = &'a super::Match>,
    first: u32,
    n_sentences: usize,
) -> DocStats {
    let cats = &set.lexicon.categories;
    let mut stats = DocStats {
        n_words: 0,
        n_sentences,
        n_quoted_words: 0,
        categories: cats
            .iter()
            .map(|c| CategoryCount { subs: vec![0; c.subcategories.len()], ..Default::default() })
            .collect(),
        dimensions: vec![DimensionCount::default(); set.sides.dimensions.len()],
        sentences: vec![SentenceStats { categories: vec![0; cats.len()], ..Default::default() }; n_sentences],
        sources: SourceStats::default(),
    };
    // Sentence `first + k` of the document is entry `k`.
    let entry = |sentence: u32| sentence.checked_sub(first).map(|k| k as usize);
    for t in tokens.iter().filter(|t| t.kind.is_word()) {
        stats.n_words += 1;
        stats.n_quoted_words += t.in_quote as usize;
        if let Some(s) = entry(t.sentence).and_then(|k| stats.sentences.get_mut(k)) {
            s.n_words += 1;
            s.n_quoted_words += t.in_quote as usize;
        }
    }
    for m in matches {
        match m.label {
            Label::Framing { category, sub } => {
                let c = &mut stats.categories[category];
                if !m.counted() {
                    c.negated_n += 1;
                    continue;
                }
                c.n += 1;
                c.weighted += m.weight;
                c.subs[sub] += 1;
                if m.in_quote {
                    c.quoted_n += 1;
                } else {
                    c.author_n += 1;
                }
                if let Some(s) = entry(m.sentence).and_then(|k| stats.sentences.get_mut(k)) {
                    s.categories[category] += 1;
                }
            }
            Label::SideMention { dim, side } => stats.dimensions[dim].mentions[side] += 1,
            Label::SideStatement { dim, side } => stats.dimensions[dim].statements[side] += 1,
        }
    }
    stats
}

fn source_stats(set: &SignalSet, doc: &DocSignals) -> SourceStats {
    let tokens = &doc.analyzed.tokens;
    let mut out = SourceStats { quoted_words: vec![[0; 2]; set.sides.dimensions.len()], ..Default::default() };
    let mut names: FxHashSet<u32> = FxHashSet::default();
    for r in doc.attributions.iter().filter(|r| !r.in_quote) {
        out.statements += 1;
        let ti = SourceType::ALL.iter().position(|&t| t == r.source_type).unwrap_or(SourceType::ALL.len() - 1);
        out.by_type[ti] += 1;
        if let Some((_, b)) = r.name {
            // The last word of the name (the surname, the organisation's head).
            if let Some(t) = tokens[..b].iter().rev().find(|t| t.kind.is_word()) {
                names.insert(t.form);
            }
        }
        if r.mode != Mode::Indirect {
            if let Some((a, b)) = r.content {
                let quoted = tokens[a..b].iter().filter(|t| t.kind.is_word() && t.in_quote).count();
                for (d, of_side) in r.sides.iter().enumerate() {
                    for side in (0..2).filter(|&x| of_side[x]) {
                        out.quoted_words[d][side] += quoted;
                    }
                }
            }
        }
    }
    out.distinct_named = names.len();
    out
}

/// Balance of two counts: 1 - |a - b| / (a + b); `None` when both are zero.
pub fn balance(a: usize, b: usize) -> Option<f64> {
    let total = a + b;
    (total > 0).then(|| 1.0 - (a as f64 - b as f64).abs() / total as f64)
}

/// Rate per 1,000 words; `None` when there are no words.
pub fn per1k(n: usize, words: usize) -> Option<f64> {
    (words > 0).then(|| n as f64 * 1000.0 / words as f64)
}

/// Fewest words in a voice (the author's words, or the quoted words) for
/// its per-1,000-word rate to be reported. One cue in a two-word
/// quotation is a rate of 500 per 1,000; group means over such articles
/// would be driven by them (259 of 3,548 AllSides articles have 1-19
/// quoted words). Below this the rate is undefined (an empty cell).
pub const MIN_VOICE_WORDS: usize = 50;

/// A per-1,000-word rate within one voice; `None` below [`MIN_VOICE_WORDS`].
pub fn voice_per1k(n: usize, words: usize) -> Option<f64> {
    (words >= MIN_VOICE_WORDS).then(|| n as f64 * 1000.0 / words as f64)
}

/// Share `part / whole`; `None` when `whole` is zero.
pub fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// One-sided flag for a dimension. Empty (`None`) when neither side is
/// mentioned or quoted; 1 when only one side is mentioned, or when statements
/// are attributed to one side only; 0 otherwise.
pub fn one_sided(d: &DimensionCount) -> Option<bool> {
    let present = |s: usize| d.mentions[s] + d.statements[s] > 0;
    if !present(0) && !present(1) {
        return None;
    }
    if present(0) != present(1) {
        return Some(true);
    }
    let quoted = (d.statements[0] > 0, d.statements[1] > 0);
    Some(quoted.0 != quoted.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voice_rates_need_enough_words() {
        assert_eq!(voice_per1k(1, 2), None);
        assert_eq!(voice_per1k(1, MIN_VOICE_WORDS - 1), None);
        assert_eq!(voice_per1k(1, MIN_VOICE_WORDS), Some(1000.0 / MIN_VOICE_WORDS as f64));
    }

    #[test]
    fn balance_and_rates() {
        assert_eq!(balance(0, 0), None);
        assert_eq!(balance(3, 3), Some(1.0));
        assert_eq!(balance(4, 0), Some(0.0));
        assert_eq!(balance(3, 1), Some(0.5));
        assert_eq!(per1k(2, 0), None);
        assert_eq!(per1k(2, 500), Some(4.0));
        assert_eq!(share(1, 4), Some(0.25));
    }

    #[test]
    fn one_sided_rules() {
        let d = |m: [usize; 2], s: [usize; 2]| DimensionCount { mentions: m, statements: s };
        assert_eq!(one_sided(&d([0, 0], [0, 0])), None);
        assert_eq!(one_sided(&d([2, 0], [1, 0])), Some(true));
        assert_eq!(one_sided(&d([2, 1], [1, 0])), Some(true));
        assert_eq!(one_sided(&d([2, 1], [1, 1])), Some(false));
        assert_eq!(one_sided(&d([2, 1], [0, 0])), Some(false));
    }
}
