//! Keyness: which stems and stem bigrams mark one group of documents
//! (the target) against another (the reference).
//!
//! Two statistics per term:
//!
//! - **Weighted log-odds with an informative Dirichlet prior** (Monroe,
//!   Colaresi & Quinn 2008, "Fightin' Words: Lexical Feature Selection and
//!   Evaluation for Identifying the Content of Political Conflict", Political
//!   Analysis 16(4), section 3.5). With `y_w^i` the count of term `w` in group
//!   `i`, `n^i` the group's total, and the prior `α_w = α0 · (y_w^i + y_w^j) /
//!   (n^i + n^j)` proportional to the term's frequency in the pooled corpus
//!   (so `α0 = Σ_w α_w`):
//!
//!   ```text
//!   δ_w = log((y_w^i + α_w) / (n^i + α0 − y_w^i − α_w)) − log((y_w^j + α_w) / (n^j + α0 − y_w^j − α_w))
//!   σ²_w ≈ 1 / (y_w^i + α_w) + 1 / (y_w^j + α_w)
//!   z_w = δ_w / σ_w
//!   ```
//!
//!   `α0` is the prior's weight in pseudo-counts. [`score_terms`] takes it as
//!   an absolute number; `slant keyness --prior P` sets `α0 = P · (n^i + n^j)`,
//!   so `α_w = P · (y_w^i + y_w^j)`: `P = 1` uses the pooled corpus itself as
//!   the prior sample (as common implementations of the paper do), the default
//!   `P = 0.01` a prior worth 1% of the data, which shrinks rare terms towards
//!   zero without flattening frequent ones.
//! - **Signed chi-squared** of the 2x2 table (term vs all other terms, target
//!   vs reference), without continuity correction; positive when the term's
//!   share is higher in the target.
//!
//! Unigrams and bigrams are two separate multinomials: each kind is scored
//! with its own totals `n^i` and its own `α0`.
//!
//! Optional [`StopWords`] (function words, shipped in
//! `models/lexicons/stopwords.tsv`) are removed before scoring, so the totals
//! `n^i` are those of the remaining terms, as when stop words are removed
//! from the tokens first.

use crate::error::TableError;
use crate::features::terms::TermCounts;
use crate::signals::{SignalSet, Worker};
use crate::text::{Analyzer, TokenKind};
use std::collections::{HashMap, HashSet};

/// The shipped stop-word list (English function words; see the file's header).
pub const BUILTIN_STOP_WORDS: &str = include_str!("../models/lexicons/stopwords.tsv");

/// A stop-word list: words compared by their Snowball stem, as keyness ranks
/// stems.
#[derive(Debug, Clone, Default)]
pub struct StopWords {
    stems: HashSet<String>,
    /// Where the list came from (a file name, or `builtin:stopwords.tsv`).
    pub source: String,
    /// Words listed (lines read), before stemming.
    pub n_words: usize,
}

impl StopWords {
    /// The shipped list.
    pub fn builtin() -> StopWords {
        Self::parse("builtin:stopwords.tsv", BUILTIN_STOP_WORDS).expect("shipped stop-word list parses (tested)")
    }

    /// Parse a list: one word per line, optionally followed by a tab and a
    /// note; `#` starts a comment; blank lines are skipped. A word must be one
    /// token of the text pipeline (no spaces, no wildcard).
    pub fn parse(file: &str, text: &str) -> Result<StopWords, TableError> {
        let mut an = Analyzer::new();
        let mut list = StopWords { stems: HashSet::new(), source: file.to_string(), n_words: 0 };
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("");
            let word = line.split('\t').next().unwrap_or("").trim();
            if word.is_empty() {
                continue;
            }
            let err = |message: String| TableError { file: file.to_string(), line: i + 1, message };
            if word.contains(char::is_whitespace) || word.contains('*') {
                return Err(err(format!(
                    "stop word {word:?} must be a single word (one per line; a note after a tab)"
                )));
            }
            let stems = an.phrase_stems(word);
            match stems.as_slice() {
                [(_, stem, _)] => {
                    list.stems.insert(stem.clone());
                    list.n_words += 1;
                }
                _ => {
                    return Err(err(format!(
                        "stop word {word:?} is {} tokens for slant's tokenizer; list one word per line",
                        stems.len()
                    )))
                }
            }
        }
        Ok(list)
    }

    /// Whether a term (a stem, or two stems separated by a space) has a
    /// stop word in it.
    pub fn hits(&self, term: &str) -> bool {
        term.split(' ').any(|s| self.stems.contains(s))
    }
}

/// Unigram (one stem) or bigram (two stems separated by a space).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Unigram,
    Bigram,
}

impl Kind {
    pub fn of(term: &str) -> Kind {
        if term.contains(' ') {
            Kind::Bigram
        } else {
            Kind::Unigram
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Unigram => "unigram",
            Kind::Bigram => "bigram",
        }
    }
}

/// The scores of one term.
#[derive(Debug, Clone, PartialEq)]
pub struct TermScore {
    pub term: String,
    pub kind: Kind,
    /// The most frequent lowercase surface form of each stem of the term
    /// (filled by [`Counts::add_surfaces`]; empty before).
    pub surface: String,
    /// Unigrams: up to three surface forms with their counts, most frequent
    /// first (`argued 12; argue 7; arguing 2`); bigrams: empty.
    pub forms: String,
    pub target_count: u64,
    pub reference_count: u64,
    /// Occurrences per 10,000 terms of the same multinomial in the target
    /// (for unigrams: per 10,000 tokens; for bigrams: per 10,000 bigrams).
    pub target_per10k: f64,
    pub reference_per10k: f64,
    /// δ_w, the prior-smoothed log-odds ratio (target over reference).
    pub log_odds: f64,
    /// δ_w / σ_w.
    pub z: f64,
    /// Signed chi-squared (2x2, no continuity correction).
    pub chi2: f64,
}

impl TermScore {
    pub fn total_count(&self) -> u64 {
        self.target_count + self.reference_count
    }
}

/// Score every term of `target` ∪ `reference`, treating the two maps as
/// counts from one multinomial (`n^i` = the sum of a map). `alpha0` is the
/// absolute prior weight (see the module documentation); it must be > 0, or
/// terms absent from one group get infinite log-odds. Returned in term order.
pub fn score_terms(target: &HashMap<String, u64>, reference: &HashMap<String, u64>, alpha0: f64) -> Vec<TermScore> {
    let n_t: u64 = target.values().sum();
    let n_r: u64 = reference.values().sum();
    let pooled_n = (n_t + n_r) as f64;
    let mut terms: Vec<&String> = target.keys().chain(reference.keys().filter(|k| !target.contains_key(*k))).collect();
    terms.sort_unstable();
    terms
        .into_iter()
        .map(|term| {
            let yt = target.get(term).copied().unwrap_or(0);
            let yr = reference.get(term).copied().unwrap_or(0);
            let alpha_w = alpha0 * (yt + yr) as f64 / pooled_n;
            let (yt_f, yr_f, nt_f, nr_f) = (yt as f64, yr as f64, n_t as f64, n_r as f64);
            let log_odds = ((yt_f + alpha_w) / (nt_f + alpha0 - yt_f - alpha_w)).ln()
                - ((yr_f + alpha_w) / (nr_f + alpha0 - yr_f - alpha_w)).ln();
            let variance = 1.0 / (yt_f + alpha_w) + 1.0 / (yr_f + alpha_w);
            TermScore {
                term: term.clone(),
                kind: Kind::of(term),
                surface: String::new(),
                forms: String::new(),
                target_count: yt,
                reference_count: yr,
                target_per10k: per10k(yt, n_t),
                reference_per10k: per10k(yr, n_r),
                log_odds,
                z: log_odds / variance.sqrt(),
                chi2: signed_chi2(yt, yr, n_t, n_r),
            }
        })
        .collect()
}

fn per10k(count: u64, total: u64) -> f64 {
    if total == 0 {
        f64::NAN
    } else {
        count as f64 * 10_000.0 / total as f64
    }
}

/// Chi-squared of the 2x2 table `[[yt, yr], [nt − yt, nr − yr]]` without
/// continuity correction, positive when `yt/nt > yr/nr`; 0 when a margin is 0.
pub fn signed_chi2(yt: u64, yr: u64, nt: u64, nr: u64) -> f64 {
    let (a, b) = (yt as f64, yr as f64);
    let (c, d) = (nt as f64 - a, nr as f64 - b);
    let n = a + b + c + d;
    let den = (a + b) * (c + d) * (a + c) * (b + d);
    if den <= 0.0 {
        return 0.0;
    }
    let diff = a * d - b * c;
    diff.signum() * n * diff * diff / den
}

/// Which of the two compared groups a document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Target,
    Reference,
}

/// Term counts of one group.
#[derive(Debug, Clone, Default)]
pub struct GroupCounts {
    pub docs: usize,
    pub unigrams: HashMap<String, u64>,
    pub bigrams: HashMap<String, u64>,
}

impl GroupCounts {
    /// Total unigram occurrences (word, number, URL and e-mail tokens).
    pub fn n_tokens(&self) -> u64 {
        self.unigrams.values().sum()
    }

    fn merge(&mut self, other: GroupCounts) {
        self.docs += other.docs;
        for (t, c) in other.unigrams {
            *self.unigrams.entry(t).or_default() += c;
        }
        for (t, c) in other.bigrams {
            *self.bigrams.entry(t).or_default() += c;
        }
    }
}

/// Term counts of the target and reference groups, plus the lowercase
/// surface forms seen for each word stem (to write patterns that re-stem to
/// the same stem).
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub target: GroupCounts,
    pub reference: GroupCounts,
    surfaces: HashMap<String, HashMap<String, u64>>,
}

impl Counts {
    /// Analyse `text` with the project's text pipeline and count its terms
    /// (stems and, with `ngram_max >= 2`, stem bigrams within a clause, as
    /// [`TermCounts::from_doc`] does for the classifiers).
    pub fn add_text(&mut self, set: &SignalSet, worker: &mut Worker, text: &str, group: Group, ngram_max: usize) {
        let signals = set.analyze(text, worker);
        let an = &worker.analyzer;
        let terms = TermCounts::from_doc(&signals.analyzed, an, ngram_max);
        let g = match group {
            Group::Target => &mut self.target,
            Group::Reference => &mut self.reference,
        };
        g.docs += 1;
        for (t, c) in terms.iter() {
            let map = if Kind::of(t) == Kind::Bigram { &mut g.bigrams } else { &mut g.unigrams };
            match map.get_mut(t) {
                Some(n) => *n += c as u64,
                None => {
                    map.insert(t.to_string(), c as u64);
                }
            }
        }
        for tok in signals.analyzed.tokens.iter().filter(|t| t.kind == TokenKind::Word) {
            let (stem, form) = (an.stem(tok.stem), an.form(tok.form));
            if !self.surfaces.contains_key(stem) {
                self.surfaces.insert(stem.to_string(), HashMap::new());
            }
            let forms = self.surfaces.get_mut(stem).expect("inserted above");
            match forms.get_mut(form) {
                Some(n) => *n += 1,
                None => {
                    forms.insert(form.to_string(), 1);
                }
            }
        }
    }

    /// Combine the counts of two parts of a corpus.
    pub fn merge(mut self, other: Counts) -> Counts {
        self.target.merge(other.target);
        self.reference.merge(other.reference);
        for (stem, forms) in other.surfaces {
            let mine = self.surfaces.entry(stem).or_default();
            for (f, c) in forms {
                *mine.entry(f).or_default() += c;
            }
        }
        self
    }

    /// The most frequent lowercase surface form of a word stem (ties: the
    /// alphabetically first).
    pub fn surface(&self, stem: &str) -> Option<&str> {
        self.surfaces.get(stem)?.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(f, _)| f.as_str())
    }

    /// Surface forms of a word stem, most frequent first (ties: alphabetical).
    pub fn forms(&self, stem: &str) -> Vec<(&str, u64)> {
        let mut v: Vec<(&str, u64)> =
            self.surfaces.get(stem).map(|m| m.iter().map(|(f, c)| (f.as_str(), *c)).collect()).unwrap_or_default();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        v
    }

    /// Fill `surface` and `forms` of scored terms (see [`TermScore`]); a
    /// stem with no recorded form (a number placeholder) keeps the stem.
    pub fn add_surfaces(&self, scores: &mut [TermScore]) {
        for s in scores {
            s.surface = s.term.split(' ').map(|st| self.surface(st).unwrap_or(st)).collect::<Vec<_>>().join(" ");
            if s.kind == Kind::Unigram {
                s.forms =
                    self.forms(&s.term).iter().take(3).map(|(f, c)| format!("{f} {c}")).collect::<Vec<_>>().join("; ");
            }
        }
    }

    /// Score unigrams and bigrams (each with `α0 = prior · (n^i + n^j)` of its
    /// kind, after removing terms with a stop word), unsorted, with their
    /// surface forms.
    pub fn score(&self, prior: f64, stop: Option<&StopWords>) -> Vec<TermScore> {
        let mut out = Vec::new();
        for (t, r) in
            [(&self.target.unigrams, &self.reference.unigrams), (&self.target.bigrams, &self.reference.bigrams)]
        {
            let scored = match stop {
                None => score_terms(t, r, prior * (sum(t) + sum(r)) as f64),
                Some(stop) => {
                    let keep = |m: &HashMap<String, u64>| -> HashMap<String, u64> {
                        m.iter().filter(|(k, _)| !stop.hits(k)).map(|(k, v)| (k.clone(), *v)).collect()
                    };
                    let (t, r) = (keep(t), keep(r));
                    score_terms(&t, &r, prior * (sum(&t) + sum(&r)) as f64)
                }
            };
            out.extend(scored);
        }
        self.add_surfaces(&mut out);
        out
    }
}

fn sum(m: &HashMap<String, u64>) -> u64 {
    m.values().sum()
}

/// Keep terms with `target_count + reference_count >= min_count` and sort
/// them by z descending (ties: by term), so that the most negative z (terms
/// marking the reference group) come last. The CSV's `rank_z` is the
/// 1-based position in this order.
pub fn rank(mut scores: Vec<TermScore>, min_count: u64) -> Vec<TermScore> {
    scores.retain(|s| s.total_count() >= min_count);
    scores.sort_by(|a, b| b.z.total_cmp(&a.z).then_with(|| a.term.cmp(&b.term)));
    scores
}

/// A sides-file pattern for a term: the most frequent surface form of each
/// stem (stems themselves can change when stemmed again, e.g. "suppos" ->
/// "suppo"). `None` for terms with a number, URL or e-mail placeholder, or
/// whose pattern would not stem back to the term.
pub fn pattern_for(term: &str, counts: &Counts, analyzer: &mut Analyzer) -> Option<String> {
    if term.contains('#') {
        return None;
    }
    let stems: Vec<&str> = term.split(' ').collect();
    let forms: Vec<&str> = stems.iter().map(|s| counts.surface(s)).collect::<Option<_>>()?;
    if forms.iter().any(|f| f.starts_with(['!', '=', '@', '#']) || f.ends_with('*') || f.contains(char::is_whitespace))
    {
        return None;
    }
    let pattern = forms.join(" ");
    let restemmed = analyzer.phrase_stems(&pattern);
    let same = restemmed.len() == stems.len()
        && restemmed.iter().zip(&stems).all(|((_, s, kind), want)| *kind == TokenKind::Word && s == want);
    same.then_some(pattern)
}

/// What goes into a learned sides file.
#[derive(Debug, Clone)]
pub struct SidesSpec {
    /// Dimension name (ASCII snake_case).
    pub dimension: String,
    /// Side labels (ASCII snake_case): a = target, b = reference.
    pub label_a: String,
    pub label_b: String,
    /// The dimension's description (one line, no tabs).
    pub description: String,
    /// Comment lines for the header (without the leading `# `).
    pub header: Vec<String>,
    /// How many terms per side.
    pub top: usize,
}

/// A sides file (docs/LEXICONS.md format) from `ranked` (sorted as by
/// [`rank`]): side a = the first `spec.top` usable terms with z > 0, side b =
/// the last `spec.top` usable terms with z < 0 (most negative first). Returns
/// the text and the number of entries per side.
pub fn sides_file(ranked: &[TermScore], counts: &Counts, spec: &SidesSpec) -> (String, [usize; 2]) {
    let clean = |s: &str| s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>();
    let mut out = String::new();
    for line in &spec.header {
        out.push_str(&format!("# {}\n", clean(line)));
    }
    out.push('\n');
    out.push_str(&format!(
        "@dimension\t{}\ta={}\tb={}\t{}\n",
        spec.dimension,
        spec.label_a,
        spec.label_b,
        clean(&spec.description)
    ));
    let mut an = Analyzer::new();
    let mut n = [0usize; 2];
    let a = ranked.iter().filter(|s| s.z > 0.0);
    let b = ranked.iter().rev().filter(|s| s.z < 0.0);
    for (side, (letter, terms)) in [("a", a.collect::<Vec<_>>()), ("b", b.collect())].into_iter().enumerate() {
        out.push_str(&format!("\n# side {letter}: {}\n", if side == 0 { &spec.label_a } else { &spec.label_b }));
        for s in terms {
            if n[side] >= spec.top {
                break;
            }
            let Some(pattern) = pattern_for(&s.term, counts, &mut an) else { continue };
            out.push_str(&format!(
                "{pattern}\t{}\t{letter}\tz={:.3} log_odds={:.4} target_count={} reference_count={} stem={}\n",
                spec.dimension, s.z, s.log_odds, s.target_count, s.reference_count, s.term
            ));
            n[side] += 1;
        }
    }
    (out, n)
}

/// A learned sides file added to another one (`base`, e.g. the shipped sides
/// file, whose dimensions then keep working): the base text unchanged, then
/// the learned text. An error when the learned dimension's name is already a
/// dimension of the base (the file would not load).
pub fn add_to_sides(base_name: &str, base_text: &str, learned: &str, dimension: &str) -> Result<String, TableError> {
    let base = crate::signals::lexicon::Sides::parse(base_name, base_text)?;
    if base.dimensions.iter().any(|d| d.name == dimension) {
        let names: Vec<&str> = base.dimensions.iter().map(|d| d.name.as_str()).collect();
        return Err(TableError {
            file: base_name.to_string(),
            line: 0,
            message: format!(
                "already has a dimension '{dimension}' (its dimensions: {}); choose another --dimension",
                names.join(", ")
            ),
        });
    }
    let mut out = base_text.trim_end().to_string();
    out.push_str("\n\n# ===================================================================\n");
    out.push_str(&format!("# Added by `slant keyness --save-sides` to {base_name}:\n"));
    out.push_str(learned);
    Ok(out)
}
