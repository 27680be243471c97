//! Signals: lexicon matches, code rules (named sources, scare quotes, direct
//! and indirect quotation) and partisan side mentions, each kept as a
//! [`Match`] with its offsets so every count can be traced to evidence.

pub mod lexicon;
pub mod matcher;
pub mod stats;
pub mod table;

use crate::text::{Analyzed, Analyzer, Span, TokenKind};
use lexicon::{Lexicon, PatternSpec, Sides};
use matcher::{Hit, Matcher, Scratch};
use rustc_hash::{FxHashMap, FxHashSet};
use table::TableError;

/// What a match is evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// A framing category and subcategory (indices into the lexicon).
    Framing { category: usize, sub: usize },
    /// A mention of one side of a balance dimension (side 0 = a, 1 = b).
    SideMention { dim: usize, side: usize },
    /// A statement attributed to one side (a mention next to a speech verb).
    SideStatement { dim: usize, side: usize },
}

/// Which rule produced a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Index into `Lexicon::patterns`.
    Lexicon(usize),
    /// Index into `Sides::patterns`.
    Sides(usize),
    /// A rule in code, by name.
    Code(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub label: Label,
    /// Token range `[tok_start, tok_end)`.
    pub tok_start: usize,
    pub tok_end: usize,
    pub span: Span,
    pub sentence: u32,
    /// The match is in quoted voice (its first token is inside a quotation).
    pub in_quote: bool,
    /// A negator precedes it within the window; not counted.
    pub negated: bool,
    pub rule: Rule,
}

impl Match {
    pub fn counted(&self) -> bool {
        !self.negated
    }
}

/// A document after analysis and matching.
#[derive(Debug, Clone)]
pub struct DocSignals {
    pub analyzed: Analyzed,
    /// Sorted by start offset, then label order.
    pub matches: Vec<Match>,
}

/// Per-thread mutable state: the analyzer caches and matcher buffers.
#[derive(Default)]
pub struct Worker {
    pub analyzer: Analyzer,
    scratch: Scratch,
}

/// Words that are capitalised at the start of a sentence or are dates, and
/// so are not evidence of a named source.
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "our",
    "but",
    "and",
    "or",
    "so",
    "then",
    "there",
    "here",
    "in",
    "on",
    "at",
    "for",
    "as",
    "after",
    "before",
    "when",
    "while",
    "if",
    "also",
    "however",
    "meanwhile",
    "later",
    "earlier",
    "still",
    "yet",
    "according",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "today",
    "yesterday",
    "tomorrow",
    "some",
    "many",
    "one",
    "both",
];

/// Window (in tokens) before and after a speech verb searched for a named
/// source or a side mention.
const WINDOW_BEFORE: usize = 5;
const WINDOW_AFTER: usize = 3;

/// The compiled lexicon and sides file.
pub struct SignalSet {
    pub lexicon: Lexicon,
    pub sides: Sides,
    lex_matcher: Matcher,
    side_matcher: Matcher,
    negators: FxHashSet<String>,
    titles: FxHashSet<String>,
    attribution: Option<usize>,
    sourcing: usize,
    sourcing_named: usize,
    distancing: usize,
    scare_quote: usize,
    quotation: usize,
    quotation_direct: usize,
    quotation_indirect: usize,
}

impl SignalSet {
    pub fn new(lexicon: Lexicon, sides: Sides) -> Result<Self, TableError> {
        let mut an = Analyzer::new();
        let lex_matcher = Matcher::build(&lexicon.source.name, &lexicon.patterns, &mut an)?;
        let side_matcher = Matcher::build(&sides.source.name, &sides.patterns, &mut an)?;
        let cat = |n: &str| lexicon.category_index(n).expect("code-rule categories always exist");
        let sub = |c: usize, n: &str| lexicon.categories[c].sub_index(n).expect("code-rule subcategories always exist");
        let (sourcing, distancing, quotation) = (cat("sourcing"), cat("distancing"), cat("quotation"));
        Ok(SignalSet {
            negators: lexicon.negators.iter().cloned().collect(),
            titles: lexicon.titles.iter().cloned().collect(),
            attribution: lexicon.category_index("attribution"),
            sourcing,
            sourcing_named: sub(sourcing, "named"),
            distancing,
            scare_quote: sub(distancing, "scare_quote"),
            quotation,
            quotation_direct: sub(quotation, "direct"),
            quotation_indirect: sub(quotation, "indirect"),
            lexicon,
            sides,
            lex_matcher,
            side_matcher,
        })
    }

    pub fn builtin() -> Self {
        Self::new(Lexicon::builtin(), Sides::builtin()).expect("shipped lexicons compile (tested)")
    }

    /// Analyse canonical `text` and find every signal in it.
    pub fn analyze(&self, text: &str, worker: &mut Worker) -> DocSignals {
        let analyzed = worker.analyzer.analyze(text);
        let an = &worker.analyzer;
        let lex_hits = self.lex_matcher.find(text, &analyzed, an, &mut worker.scratch);
        let mut matches = self.resolve_lexicon(&analyzed, an, lex_hits);
        let side_hits = self.side_matcher.find(text, &analyzed, an, &mut worker.scratch);
        let mentions = self.resolve_sides(&analyzed, side_hits);
        self.code_rules(&analyzed, an, &mut matches, &mentions);
        matches.extend(mentions);
        matches.sort_by_key(|m| (m.span.start, m.span.end, label_key(m.label)));
        DocSignals { analyzed, matches }
    }

    fn make(&self, doc: &Analyzed, label: Label, start: usize, end: usize, rule: Rule) -> Match {
        let (a, b) = (&doc.tokens[start], &doc.tokens[end - 1]);
        Match {
            label,
            tok_start: start,
            tok_end: end,
            span: Span {
                start: a.span.start,
                end: b.span.end,
                char_start: a.span.char_start,
                char_end: b.span.char_end,
            },
            sentence: a.sentence,
            in_quote: a.in_quote,
            negated: false,
            rule,
        }
    }

    /// Exclusions, then leftmost-longest per category, then negation.
    fn resolve_lexicon(&self, doc: &Analyzed, an: &Analyzer, hits: Vec<Hit>) -> Vec<Match> {
        let specs = &self.lexicon.patterns;
        resolve_hits(specs, hits)
            .into_iter()
            .map(|h| {
                let s = &specs[h.spec];
                let label =
                    Label::Framing { category: s.group, sub: s.sub.expect("only exclusions lack a subcategory") };
                let mut m = self.make(doc, label, h.start, h.end, Rule::Lexicon(h.spec));
                if self.lexicon.categories[s.group].negatable {
                    m.negated = self.is_negated(doc, an, h.start);
                }
                m
            })
            .collect()
    }

    /// A negator within `negation_window` words before `start`, in the same
    /// clause (the search stops at punctuation and at the sentence start).
    fn is_negated(&self, doc: &Analyzed, an: &Analyzer, start: usize) -> bool {
        let sentence = doc.tokens[start].sentence;
        doc.tokens[..start]
            .iter()
            .rev()
            .take_while(|t| t.sentence == sentence && t.kind.is_word())
            .take(self.lexicon.negation_window)
            .any(|t| {
                let f = an.form(t.form);
                self.negators.contains(f) || f.ends_with("n't")
            })
    }

    /// Side mentions per dimension, resolved like lexicon matches.
    fn resolve_sides(&self, doc: &Analyzed, hits: Vec<Hit>) -> Vec<Match> {
        let specs = &self.sides.patterns;
        resolve_hits(specs, hits)
            .into_iter()
            .map(|h| {
                let label = Label::SideMention { dim: specs[h.spec].group, side: specs[h.spec].sub.unwrap_or(0) };
                self.make(doc, label, h.start, h.end, Rule::Sides(h.spec))
            })
            .collect()
    }

    fn code_rules(&self, doc: &Analyzed, an: &Analyzer, matches: &mut Vec<Match>, mentions: &[Match]) {
        let attribution = self.attribution;
        let speech: Vec<Match> = matches
            .iter()
            .filter(|m| matches!(m.label, Label::Framing { category, .. } if Some(category) == attribution))
            .filter(|m| m.counted() && !m.in_quote)
            .copied()
            .collect();
        let other_sourcing: Vec<(usize, usize)> = matches
            .iter()
            .filter(|m| matches!(m.label, Label::Framing { category, .. } if category == self.sourcing))
            .map(|m| (m.tok_start, m.tok_end))
            .collect();
        let mut added = Vec::new();

        // Quotations: direct quotes and scare quotes.
        let mut quoted_sentences: FxHashSet<u32> = FxHashSet::default();
        let mut ti = 0;
        for q in &doc.quotes {
            while ti < doc.tokens.len() && doc.tokens[ti].span.start < q.span.start {
                ti += 1;
            }
            let start = ti;
            let mut end = start;
            while end < doc.tokens.len() && doc.tokens[end].span.end <= q.span.end {
                end += 1;
            }
            let words = doc.tokens[start..end].iter().filter(|t| t.kind.is_word()).count();
            if words == 0 {
                continue;
            }
            for t in &doc.tokens[start..end] {
                quoted_sentences.insert(t.sentence);
            }
            let sentence = doc.tokens[start].sentence;
            let attributed =
                speech.iter().any(|s| s.sentence == sentence || s.sentence == doc.tokens[end - 1].sentence);
            let label = if words >= 4 || attributed {
                Label::Framing { category: self.quotation, sub: self.quotation_direct }
            } else {
                Label::Framing { category: self.distancing, sub: self.scare_quote }
            };
            let rule = if matches!(label, Label::Framing { sub, category } if category == self.quotation && sub == self.quotation_direct)
            {
                "direct_quote"
            } else {
                "scare_quote"
            };
            let mut m = self.make(doc, label, start, end, Rule::Code(rule));
            // Scare quotes are the author's choice of words, not quoted voice.
            m.in_quote = rule == "direct_quote";
            added.push(m);
        }

        // Names introduced with a side as an appositive ("Tully, a Republican
        // from ..."), so that later "Tully said" is a statement of that side.
        let mut name_sides: FxHashMap<(u32, usize), usize> = FxHashMap::default();
        for m in mentions.iter().filter(|m| !m.in_quote && m.tok_start >= 3) {
            let Label::SideMention { dim, side } = m.label else { continue };
            let (name, comma, article) =
                (&doc.tokens[m.tok_start - 3], &doc.tokens[m.tok_start - 2], &doc.tokens[m.tok_start - 1]);
            if name.capitalized
                && name.kind == TokenKind::Word
                && an.form(comma.form) == ","
                && matches!(an.form(article.form), "a" | "an")
                && name.sentence == m.sentence
            {
                name_sides.entry((name.form, dim)).or_insert(side);
            }
        }
        for s in &speech {
            // Indirect (reported) speech: a speech verb in a sentence without quotation.
            if !quoted_sentences.contains(&s.sentence) {
                added.push(self.make(
                    doc,
                    Label::Framing { category: self.quotation, sub: self.quotation_indirect },
                    s.tok_start,
                    s.tok_end,
                    Rule::Code("indirect_speech"),
                ));
            }
            let (lo, hi) = window(doc, s.tok_start, s.tok_end);
            // Named sources: a capitalised name or a title next to the verb,
            // unless an anonymous/vague source phrase is right there.
            let vague_here = other_sourcing.iter().any(|&(a, b)| a < hi && lo < b);
            let named = if vague_here { None } else { self.named_source(doc, an, s, lo, mentions) };
            {
                if let Some(i) = named {
                    let (a, b) = (i.min(s.tok_start), (i + 1).max(s.tok_end));
                    added.push(self.make(
                        doc,
                        Label::Framing { category: self.sourcing, sub: self.sourcing_named },
                        a,
                        b,
                        Rule::Code("named_source"),
                    ));
                }
            }
            // Statements attributed to a side, per dimension.
            for dim in 0..self.sides.dimensions.len() {
                let found = match self.speaker_side(doc, an, s, lo, dim, mentions) {
                    Some(m) => {
                        let Label::SideMention { side, .. } = m.label else { unreachable!() };
                        Some((side, m.tok_start, m.tok_end))
                    }
                    // 4. a named source introduced earlier as "Name, a Republican".
                    None => {
                        named.and_then(|i| name_sides.get(&(doc.tokens[i].form, dim)).map(|&side| (side, i, i + 1)))
                    }
                };
                if let Some((side, ms, me)) = found {
                    let (a, b) = (ms.min(s.tok_start), me.max(s.tok_end));
                    added.push(self.make(doc, Label::SideStatement { dim, side }, a, b, Rule::Code("side_statement")));
                }
            }
        }
        matches.extend(added);
    }
}

impl SignalSet {
    /// The side mention (of dimension `dim`) that speaks through verb `s`:
    /// 1. the nearest mention before the verb within the window, in the same
    ///    clause run ("Republican lawmakers on Tuesday slammed ...");
    /// 2. else a mention right after the verb that ends the clause ("...,
    ///    said Republicans.");
    /// 3. else an appositive of the source within 8 tokens of the verb
    ///    ("..., said Tom Hale, a Republican from Ohio").
    ///
    /// A mention after the verb that does not end the clause is its object
    /// ("slammed a Democratic plan"), not the speaker.
    fn speaker_side<'m>(
        &self,
        doc: &Analyzed,
        an: &Analyzer,
        s: &Match,
        lo: usize,
        dim: usize,
        mentions: &'m [Match],
    ) -> Option<&'m Match> {
        let sentence = doc.tokens[s.tok_start].sentence;
        let of_dim = || {
            mentions.iter().filter(move |m| {
                matches!(m.label, Label::SideMention { dim: d, .. } if d == dim)
                    && !m.in_quote
                    && m.sentence == sentence
            })
        };
        if let Some(m) = of_dim().filter(|m| m.tok_start >= lo && m.tok_end <= s.tok_start).max_by_key(|m| m.tok_end) {
            return Some(m);
        }
        let in_sentence = |i: usize| i < doc.tokens.len() && doc.tokens[i].sentence == sentence;
        let form = |i: usize| an.form(doc.tokens[i].form);
        let mut j = s.tok_end;
        if in_sentence(j) && matches!(form(j), "the" | "a" | "an") {
            j += 1;
        }
        if let Some(m) = of_dim().find(|m| m.tok_start == j) {
            if !in_sentence(m.tok_end) || doc.tokens[m.tok_end].kind == TokenKind::Punct {
                return Some(m);
            }
        }
        of_dim().find(|m| {
            let near = m.tok_start.abs_diff(s.tok_end).min(s.tok_start.abs_diff(m.tok_end)) <= 8;
            near && m.tok_start >= 2
                && matches!(form(m.tok_start - 1), "a" | "an")
                && an.form(doc.tokens[m.tok_start - 2].form) == ","
        })
    }

    /// A token that can name a source: a title word, or a capitalised word
    /// that is not a function word or date, outside quotations and not part
    /// of a side mention ("Republicans said" is a side, not a named source).
    fn is_name_token(&self, doc: &Analyzed, an: &Analyzer, i: usize, mentions: &[Match]) -> bool {
        let t = &doc.tokens[i];
        if t.kind != TokenKind::Word || t.in_quote || mentions.iter().any(|m| m.tok_start <= i && i < m.tok_end) {
            return false;
        }
        let form = an.form(t.form);
        self.titles.contains(form) || (t.capitalized && !NOT_NAMES.contains(&form))
    }

    /// The named source of speech verb `s`, if any: a name or title before the
    /// verb ("Smith said", "Smith, a spokesman, said"), or a name run right
    /// after it that ends the clause ("said Sen. Smith." / "said Smith, who").
    /// A name after the verb followed by more words is the subject of the
    /// reported clause ("said Smith had resigned"), not the source.
    fn named_source(&self, doc: &Analyzed, an: &Analyzer, s: &Match, lo: usize, mentions: &[Match]) -> Option<usize> {
        for i in (lo..s.tok_start).rev() {
            let t = &doc.tokens[i];
            if t.in_quote {
                break;
            }
            if self.is_name_token(doc, an, i, mentions) {
                return Some(i);
            }
        }
        let sentence = doc.tokens[s.tok_start].sentence;
        let in_sentence = |i: usize| i < doc.tokens.len() && doc.tokens[i].sentence == sentence;
        let mut j = s.tok_end;
        if in_sentence(j) && matches!(an.form(doc.tokens[j].form), "the" | "a" | "an") {
            j += 1;
        }
        let mut k = j;
        while in_sentence(k) && k - j < 5 && self.is_name_token(doc, an, k, mentions) {
            k += 1;
        }
        let clause_ends = !in_sentence(k) || doc.tokens[k].kind == TokenKind::Punct;
        (k > j && clause_ends).then_some(j)
    }
}

/// Drop hits overlapping an exclusion of the same group (and subcategory,
/// unless the exclusion is for all), then keep the leftmost-longest hit per
/// group; on a tie the pattern listed first wins.
fn resolve_hits(specs: &[PatternSpec], hits: Vec<Hit>) -> Vec<Hit> {
    let (excl, mut keep): (Vec<Hit>, Vec<Hit>) = hits.into_iter().partition(|h| specs[h.spec].exclusion);
    keep.retain(|h| {
        let s = &specs[h.spec];
        !excl.iter().any(|x| {
            let xs = &specs[x.spec];
            xs.group == s.group && (xs.sub.is_none() || xs.sub == s.sub) && x.start < h.end && h.start < x.end
        })
    });
    keep.sort_by_key(|h| (specs[h.spec].group, h.start, std::cmp::Reverse(h.end), h.spec));
    let mut out: Vec<Hit> = Vec::with_capacity(keep.len());
    for h in keep {
        let overlaps = out.last().is_some_and(|l| specs[l.spec].group == specs[h.spec].group && h.start < l.end);
        if !overlaps {
            out.push(h);
        }
    }
    out
}

/// Token window `[lo, hi)` around a speech verb, inside its sentence.
fn window(doc: &Analyzed, start: usize, end: usize) -> (usize, usize) {
    let sentence = doc.tokens[start].sentence;
    let mut lo = start;
    while lo > 0 && start - lo < WINDOW_BEFORE && doc.tokens[lo - 1].sentence == sentence {
        lo -= 1;
    }
    let mut hi = end;
    while hi < doc.tokens.len() && hi - end < WINDOW_AFTER && doc.tokens[hi].sentence == sentence {
        hi += 1;
    }
    (lo, hi)
}

fn label_key(l: Label) -> (u8, usize, usize) {
    match l {
        Label::Framing { category, sub } => (0, category, sub),
        Label::SideMention { dim, side } => (1, dim, side),
        Label::SideStatement { dim, side } => (2, dim, side),
    }
}
