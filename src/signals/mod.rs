//! Signals: lexicon matches, code rules (named sources, scare quotes, direct
//! and indirect quotation) and partisan side mentions, each kept as a
//! [`Match`] with its offsets so every count can be traced to evidence.

pub mod attribution;
pub mod dict;
pub mod lexicon;
pub mod matcher;
mod modality;
mod party;
mod rules;
pub mod sources;
pub mod stats;
pub mod table;

use crate::text::{Analyzed, Analyzer, Span};
use lexicon::{Lexicon, PatternSpec, Sides};
use matcher::{Hit, Matcher, Scratch};
use rustc_hash::FxHashSet;
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

#[derive(Debug, Clone, Copy, PartialEq)]
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
    /// The pattern's weight (1 except for weighted dictionary entries).
    pub weight: f64,
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
    /// Who says what: one record per counted attribution cue, in text order.
    pub attributions: Vec<attribution::Attribution>,
}

/// Per-thread mutable state: the analyzer caches and matcher buffers.
#[derive(Default)]
pub struct Worker {
    pub analyzer: Analyzer,
    scratch: Scratch,
    /// Per-sentence flags, reused between documents.
    sentences_to_tag: Vec<bool>,
    /// The lexicon's and the sides' anchors in the document at hand (see
    /// [`Matcher::anchors`]), reused between documents.
    lex_anchors: Vec<(u32, u32)>,
    side_anchors: Vec<(u32, u32)>,
}

/// The compiled lexicon and sides file.
pub struct SignalSet {
    pub lexicon: Lexicon,
    pub sides: Sides,
    lex_matcher: Matcher,
    side_matcher: Matcher,
    /// Some pattern restricts a word to part-of-speech tags.
    needs_tags: bool,
    pub(crate) negators: FxHashSet<String>,
    pub(crate) titles: FxHashSet<String>,
    /// Words counted only in a present-tense frame (`@present_frame`).
    present_frame: FxHashSet<String>,
    /// The shapes of the forms that make a sentence need tagging (the
    /// present-frame words and [`rules::CALLING_VERBS`]): for each first
    /// byte, a bit per length (lengths of 31 and more share bit 31). A
    /// form whose shape is not here is neither, so most tokens skip the
    /// set lookups (see [`SignalSet::may_mark`]).
    mark_shapes: Box<[u32; 256]>,
    pub(crate) attribution: Option<usize>,
    pub(crate) attribution_loaded: Option<usize>,
    pub(crate) attribution_neutral: Option<usize>,
    pub(crate) attribution_thought: Option<usize>,
    pub(crate) attribution_evidential: Option<usize>,
    /// booster/factive, for evidential "show" (see rules::evidential_show_boosters).
    pub(crate) booster_factive: Option<(usize, usize)>,
    pub(crate) sourcing: usize,
    pub(crate) sourcing_named: usize,
    pub(crate) sourcing_anonymous: Option<usize>,
    pub(crate) sourcing_vague: Option<usize>,
    pub(crate) distancing: usize,
    pub(crate) scare_quote: usize,
    pub(crate) quotation: usize,
    pub(crate) quotation_direct: usize,
    pub(crate) quotation_indirect: usize,
}

impl SignalSet {
    pub fn new(lexicon: Lexicon, sides: Sides) -> Result<Self, TableError> {
        let mut an = Analyzer::new();
        let lex_matcher = Matcher::build(&lexicon.source.name, &lexicon.patterns, &mut an)?;
        let side_matcher = Matcher::build(&sides.source.name, &sides.patterns, &mut an)?;
        let cat = |n: &str| lexicon.category_index(n).expect("code-rule categories always exist");
        let sub = |c: usize, n: &str| lexicon.categories[c].sub_index(n).expect("code-rule subcategories always exist");
        let (sourcing, distancing, quotation) = (cat("sourcing"), cat("distancing"), cat("quotation"));
        let needs_tags = lex_matcher.needs_tags() || side_matcher.needs_tags() || !lexicon.present_frame.is_empty();
        let mut mark_shapes = Box::new([0u32; 256]);
        for w in lexicon.present_frame.iter().map(String::as_str).chain(rules::CALLING_VERBS.iter().copied()) {
            if let Some(&b) = w.as_bytes().first() {
                mark_shapes[b as usize] |= 1 << w.len().min(31);
            }
        }
        Ok(SignalSet {
            mark_shapes,
            negators: lexicon.negators.iter().cloned().collect(),
            titles: lexicon.titles.iter().cloned().collect(),
            present_frame: lexicon.present_frame.iter().cloned().collect(),
            attribution: lexicon.category_index("attribution"),
            attribution_loaded: lexicon
                .category_index("attribution")
                .and_then(|c| lexicon.categories[c].sub_index("loaded")),
            attribution_neutral: lexicon
                .category_index("attribution")
                .and_then(|c| lexicon.categories[c].sub_index("neutral")),
            attribution_thought: lexicon
                .category_index("attribution")
                .and_then(|c| lexicon.categories[c].sub_index("thought")),
            attribution_evidential: lexicon
                .category_index("attribution")
                .and_then(|c| lexicon.categories[c].sub_index("evidential")),
            booster_factive: lexicon
                .category_index("booster")
                .and_then(|c| lexicon.categories[c].sub_index("factive").map(|f| (c, f))),
            sourcing,
            sourcing_named: sub(sourcing, "named"),
            sourcing_anonymous: lexicon.categories[sourcing].sub_index("anonymous"),
            sourcing_vague: lexicon.categories[sourcing].sub_index("vague"),
            distancing,
            scare_quote: sub(distancing, "scare_quote"),
            quotation,
            quotation_direct: sub(quotation, "direct"),
            quotation_indirect: sub(quotation, "indirect"),
            lexicon,
            sides,
            needs_tags,
            lex_matcher,
            side_matcher,
        })
    }

    pub fn builtin() -> Self {
        Self::new(Lexicon::builtin(), Sides::builtin()).expect("shipped lexicons compile (tested)")
    }

    /// Analyse canonical `text` and find every signal in it.
    pub fn analyze(&self, text: &str, worker: &mut Worker) -> DocSignals {
        let mut analyzed = worker.analyzer.analyze(text);
        if self.needs_tags {
            // Tag only the sentences where a tag-restricted pattern could match.
            let mut marked = std::mem::take(&mut worker.sentences_to_tag);
            marked.clear();
            marked.resize(analyzed.sentences.len(), false);
            // These anchors are used after tagging (by `find_at` below):
            // tagging and re-tagging must leave the tokens and their stems
            // as they are (checked in debug builds).
            #[cfg(debug_assertions)]
            let stems_before: Vec<u32> = analyzed.tokens.iter().map(|t| t.stem).collect();
            for (m, anchors) in
                [(&self.lex_matcher, &mut worker.lex_anchors), (&self.side_matcher, &mut worker.side_anchors)]
            {
                m.anchors(&analyzed, &worker.analyzer, &mut worker.scratch, anchors);
                m.mark_sentences_to_tag(&analyzed, anchors, &mut marked);
            }
            for t in &analyzed.tokens {
                let form = worker.analyzer.form(t.form);
                // The present-frame check reads the tags of the sentence;
                // the naming-quotation rule reads the tag of a naming verb
                // before a quotation (a verb, not a passive participle).
                if self.may_mark(form) && (self.present_frame.contains(form) || rules::CALLING_VERBS.contains(&form)) {
                    marked[t.sentence as usize] = true;
                }
            }
            worker.analyzer.tag_sentences(text, &mut analyzed, crate::text::pos::Tagger::builtin(), |s| marked[s]);
            worker.sentences_to_tag = marked;
            attribution::retag_reporting_verbs(&mut analyzed, &worker.analyzer);
            #[cfg(debug_assertions)]
            {
                debug_assert_eq!(analyzed.tokens.len(), stems_before.len(), "tagging changed the token count");
                debug_assert!(
                    analyzed.tokens.iter().map(|t| t.stem).eq(stems_before.iter().copied()),
                    "tagging changed a token's stem"
                );
            }
        }
        let an = &worker.analyzer;
        // With tags, the anchors were found before tagging (they do not
        // depend on tags); without, they are found now.
        if !self.needs_tags {
            self.lex_matcher.anchors(&analyzed, an, &mut worker.scratch, &mut worker.lex_anchors);
            self.side_matcher.anchors(&analyzed, an, &mut worker.scratch, &mut worker.side_anchors);
        }
        let lex_hits = self.lex_matcher.find_at(text, &analyzed, an, &worker.lex_anchors);
        let mut matches = self.resolve_lexicon(&analyzed, an, lex_hits);
        if !self.present_frame.is_empty() {
            let conditional = modality::conditional_sentences(&analyzed, an, &matches);
            matches.retain(|m| {
                !self.present_frame.contains(an.form(analyzed.tokens[m.tok_start].form))
                    || modality::in_present_frame(&analyzed, m.tok_start)
                    || conditional.get(m.sentence as usize).copied().unwrap_or(false)
            });
        }
        let side_hits = self.side_matcher.find_at(text, &analyzed, an, &worker.side_anchors);
        // Like the analyzer's token buffer: one huge document must not
        // leave its anchor buffers' memory with the worker for the rest of
        // the run.
        for anchors in [&mut worker.lex_anchors, &mut worker.side_anchors] {
            if anchors.capacity() > crate::text::KEEP_BUFFER_TOKENS {
                *anchors = Vec::new();
            }
        }
        let mut mentions = self.resolve_sides(&analyzed, side_hits);
        mentions.extend(party::party_codes(self, text, &analyzed));
        mentions.sort_by_key(|m| (m.tok_start, m.tok_end));
        let attributions = rules::apply(self, text, &mut analyzed, an, &mut matches, &mentions);
        matches.extend(mentions);
        matches.sort_by_key(|m| (m.span.start, m.span.end, label_key(m.label)));
        DocSignals { analyzed, matches, attributions }
    }

    /// Whether `form` has the shape (first byte, length) of a present-frame
    /// word or a calling verb; false means it is neither.
    #[inline]
    fn may_mark(&self, form: &str) -> bool {
        form.as_bytes().first().is_some_and(|&b| self.mark_shapes[b as usize] >> form.len().min(31) & 1 != 0)
    }

    pub(crate) fn make(&self, doc: &Analyzed, label: Label, start: usize, end: usize, rule: Rule) -> Match {
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
            weight: 1.0,
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
                m.weight = s.weight;
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
}

/// A stretch of text in which the set of active counted matches does not
/// change (used to display overlapping matches of different categories).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    /// Indices of the counted matches covering it, in match order.
    pub active: Vec<usize>,
}

/// Cut `[0, text_len)` at every boundary of a counted match. One sweep over
/// matches sorted by start (as `DocSignals::matches` is).
pub fn segments(matches: &[Match], text_len: usize) -> Vec<Segment> {
    let counted: Vec<usize> = (0..matches.len()).filter(|&i| matches[i].counted()).collect();
    let mut bounds: Vec<usize> = counted.iter().flat_map(|&i| [matches[i].span.start, matches[i].span.end]).collect();
    bounds.extend([0, text_len]);
    bounds.sort_unstable();
    bounds.dedup();
    let mut out = Vec::with_capacity(bounds.len());
    let mut active: Vec<usize> = Vec::new();
    let mut next = 0;
    for pair in bounds.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        // Every match boundary is a segment boundary, so a match covers
        // [a, b) exactly when it starts at or before a and ends after a.
        let before = active.len();
        while next < counted.len() && matches[counted[next]].span.start <= a {
            active.push(counted[next]);
            next += 1;
        }
        active.retain(|&i| matches[i].span.end > a);
        if active.len() != before {
            active.sort_unstable();
        }
        out.push(Segment { start: a, end: b, active: active.clone() });
    }
    out
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

fn label_key(l: Label) -> (u8, usize, usize) {
    match l {
        Label::Framing { category, sub } => (0, category, sub),
        Label::SideMention { dim, side } => (1, dim, side),
        Label::SideStatement { dim, side } => (2, dim, side),
    }
}

#[cfg(test)]
mod segment_tests {
    use super::*;

    #[test]
    fn segments_cover_the_text_and_track_overlaps() {
        let set = SignalSet::builtin();
        let text = "Critics claimed the plan may fail.";
        let doc = set.analyze(text, &mut Worker::default());
        let segs = segments(&doc.matches, text.len());
        assert_eq!(segs.first().unwrap().start, 0);
        assert_eq!(segs.last().unwrap().end, text.len());
        assert!(segs.windows(2).all(|w| w[0].end == w[1].start));
        for seg in &segs {
            // Brute force: the active set is every counted match covering the segment.
            let want: Vec<usize> = (0..doc.matches.len())
                .filter(|&i| {
                    let m = &doc.matches[i];
                    m.counted() && m.span.start <= seg.start && seg.end <= m.span.end
                })
                .collect();
            assert_eq!(seg.active, want);
        }
        assert!(segs.iter().any(|s| s.active.len() >= 2), "'claimed' is attribution and booster");
    }
}
