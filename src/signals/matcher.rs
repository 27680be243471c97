//! One-pass phrase matching over the token stream.
//!
//! Every pattern has an *anchor*: its longest run of plain words (as stems),
//! or else its first `word*` prefix. Parts of a pattern that an anchor cannot
//! express (`*`, `<num>`, `word*`, `=Exact`) are verified at the hit only.
//!
//! Anchors are found in one pass over the tokens. Stem anchors are indexed
//! by their first stem; prefix anchors live in an Aho-Corasick automaton
//! that is run once per *distinct* form, not per token. Both lookups are
//! memoised per worker by the analyzer's stem and form ids, so a token costs
//! two array reads, whatever the number of patterns. (An earlier version
//! ran Aho-Corasick over a space-joined stem string of each document; the
//! profile in docs/PERFORMANCE.md showed that pass and building its
//! haystack as the largest cost after tokenizing.)

use super::lexicon::PatternSpec;
use super::table::TableError;
use crate::text::{Analyzed, Analyzer, TokenKind};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Elem {
    /// Snowball stem of a plain word.
    Stem(Box<str>),
    /// `word*`: prefix of the lowercase surface form.
    Prefix(Box<str>),
    /// `*`: any one word.
    Any,
    /// `<num>`: a number token.
    Num,
    /// `=Word`: exact, case-sensitive surface form (and its stem, which
    /// lets it serve as an anchor).
    Exact(Box<str>, Box<str>),
    /// `~word`: exactly this lowercase surface form, no stemming (how
    /// LIWC/quanteda dictionaries match a plain word). Anchors on the form's
    /// stem, which every token with that form has.
    Lower(Box<str>, Box<str>),
}

impl Elem {
    /// The stem an element requires, if it requires one.
    fn stem(&self) -> Option<&str> {
        match self {
            Elem::Stem(s) | Elem::Exact(_, s) | Elem::Lower(_, s) => Some(s),
            _ => None,
        }
    }
}

/// A part-of-speech restriction on one pattern element: a set of UPOS
/// tags as a bit mask (`word{VERB}`, `{ADJ|ADV}`, `word{!NOUN}`); 0 = any.
type TagMask = u32;

fn tag_ok(mask: TagMask, upos: crate::text::pos::Upos) -> bool {
    mask == 0 || mask & (1 << upos as u32) != 0
}

#[derive(Debug, Clone)]
struct Compiled {
    elems: Vec<Elem>,
    /// One tag restriction per element.
    tags: Vec<TagMask>,
    anchor_start: usize,
    anchor_len: usize,
    spec: usize,
}

/// A verified pattern hit, in token indices `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index into the pattern specs the matcher was built from.
    pub spec: usize,
    pub start: usize,
    pub end: usize,
}

/// Prefix anchors (`word*`) and the patterns behind each.
struct PrefixAnchors {
    /// Finds the prefixes at the start of a form.
    ac: AhoCorasick,
    /// Aho-Corasick pattern id -> compiled patterns sharing that anchor.
    by_anchor: Vec<Vec<usize>>,
}

pub struct Matcher {
    /// First stem of a stem anchor -> ids of the anchors starting with it.
    by_first_stem: FxHashMap<Box<str>, u32>,
    /// Each with the `rest_stems` index of the anchor's second stem, or
    /// [`NO_REST`] for a one-stem anchor: an anchor whose second stem is not
    /// the next token's is skipped before its full check.
    first_lists: Vec<Vec<(u32, u32)>>,
    /// Stem anchors: their stems after the first, as indices into `rest_stems`
    /// (the distinct ones), so a worker's memo can compare stem ids instead
    /// of strings.
    anchor_rest: Vec<Box<[u32]>>,
    rest_stems: Vec<Box<str>>,
    /// `rest_stems` by stem.
    rest_index: FxHashMap<Box<str>, u32>,
    by_anchor: Vec<Vec<usize>>,
    /// Anchors of `word*` prefixes, over lowercase forms: a stem can be
    /// shorter than a prefix ("anticipat*" vs stem "anticip"), so prefixes
    /// are matched against the forms they are defined on.
    prefixes: Option<PrefixAnchors>,
    compiled: Vec<Compiled>,
    /// Identifies this matcher's memo in a worker's [`Scratch`].
    uid: u64,
}

/// Per-worker memo of one matcher's anchor lookups, keyed by the
/// analyzer's stem and form ids (valid for one analyzer generation).
#[derive(Default)]
struct Memo {
    generation: u64,
    /// Stem id -> index into `Matcher::first_lists`, or NONE / UNKNOWN.
    stem: Vec<u32>,
    /// Stem id -> index into `Matcher::rest_stems`, or NONE / UNKNOWN.
    rest_of: Vec<u32>,
    /// Form id -> index into `form_lists`, or NONE / UNKNOWN.
    form: Vec<u32>,
    /// Prefix-anchor ids matching a form.
    form_lists: Vec<Vec<u32>>,
    /// `Matcher::rest_stems` index -> the analyzer's id of that stem, or
    /// UNKNOWN while no token has had it.
    rest_id: Vec<u32>,
    /// For a stem still UNKNOWN: the analyzer's stem count when it was last
    /// looked up; tokens with a lower stem id cannot have it.
    rest_absent_below: Vec<u32>,
}

const UNKNOWN: u32 = u32::MAX;
const NONE: u32 = u32::MAX - 1;
/// `Matcher::first_lists`' second stem of a one-stem anchor (never equal
/// to a `Memo::rest_of` value).
const NO_REST: u32 = u32::MAX - 2;

impl Memo {
    fn slot(table: &mut Vec<u32>, id: u32) -> &mut u32 {
        let i = id as usize;
        if i >= table.len() {
            table.resize(i + 1, UNKNOWN);
        }
        &mut table[i]
    }
}

/// Reusable per-thread state for a matcher's anchor search: one memo per
/// matcher.
#[derive(Default)]
pub struct Scratch {
    memos: Vec<(u64, Memo)>,
}

static NEXT_MATCHER_UID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Number words that `<num>` accepts besides digits ("about two dozen").
const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
    "dozen",
    "dozens",
    "half",
    "third",
    "quarter",
    "score",
];

/// Distinct anchors (stem sequences or prefixes), each with the compiled
/// patterns that share it.
struct AnchorSet<K> {
    ids: FxHashMap<K, usize>,
    list: Vec<K>,
    by_anchor: Vec<Vec<usize>>,
}

impl<K> Default for AnchorSet<K> {
    fn default() -> Self {
        AnchorSet { ids: FxHashMap::default(), list: Vec::new(), by_anchor: Vec::new() }
    }
}

impl<K: std::hash::Hash + Eq + Clone> AnchorSet<K> {
    fn add(&mut self, anchor: K, compiled: usize) {
        let id = *self.ids.entry(anchor.clone()).or_insert_with(|| {
            self.list.push(anchor);
            self.by_anchor.push(Vec::new());
            self.list.len() - 1
        });
        self.by_anchor[id].push(compiled);
    }
}

impl AnchorSet<String> {
    fn build_prefixes(self, file: &str) -> Result<Option<PrefixAnchors>, TableError> {
        if self.list.is_empty() {
            return Ok(None);
        }
        // A contiguous NFA, not a DFA: it is searched once per distinct word
        // form of a worker (memoised), while the DFA's construction was 12%
        // of the instructions of scoring one short text.
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&self.list)
            .map_err(|e| TableError {
                file: file.to_string(),
                line: 0,
                message: format!("cannot build matcher: {e}"),
            })?;
        Ok(Some(PrefixAnchors { ac, by_anchor: self.by_anchor }))
    }
}

impl Matcher {
    /// Compile pattern specs. `file` names the source in error messages.
    pub fn build(file: &str, specs: &[PatternSpec], analyzer: &mut Analyzer) -> Result<Self, TableError> {
        let mut stem_anchors: AnchorSet<Box<[Box<str>]>> = AnchorSet::default();
        let mut form_anchors: AnchorSet<String> = AnchorSet::default();
        let mut compiled = Vec::with_capacity(specs.len());
        for (si, spec) in specs.iter().enumerate() {
            let err = |m: String| TableError { file: file.to_string(), line: spec.line, message: m };
            let (elems, tags) = compile_pattern(&spec.pattern, analyzer).map_err(err)?;
            // Anchor: the longest run of plain words; else the first prefix.
            let (mut best_start, mut best_len) = (0, 0);
            let mut i = 0;
            while i < elems.len() {
                if elems[i].stem().is_some() {
                    let j = (i..elems.len()).find(|&j| elems[j].stem().is_none()).unwrap_or(elems.len());
                    if j - i > best_len {
                        (best_start, best_len) = (i, j - i);
                    }
                    i = j;
                } else {
                    i += 1;
                }
            }
            if best_len > 0 {
                let stems =
                    elems[best_start..best_start + best_len].iter().map(|e| e.stem().unwrap_or_default().into());
                stem_anchors.add(stems.collect(), compiled.len());
            } else if let Some(pi) = elems.iter().position(|e| matches!(e, Elem::Prefix(_))) {
                let Elem::Prefix(p) = &elems[pi] else { unreachable!() };
                (best_start, best_len) = (pi, 1);
                form_anchors.add(p.to_string(), compiled.len());
            } else {
                return Err(err(format!(
                    "pattern '{}' needs at least one plain word or word* (wildcards alone would match everything)",
                    spec.pattern
                )));
            }
            compiled.push(Compiled { elems, tags, anchor_start: best_start, anchor_len: best_len, spec: si });
        }
        let mut rest_index: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut rest_stems: Vec<Box<str>> = Vec::new();
        let anchor_rest = stem_anchors
            .list
            .iter()
            .map(|stems| {
                let rest = stems.iter().skip(1).map(|s| {
                    *rest_index.entry(s.clone()).or_insert_with(|| {
                        rest_stems.push(s.clone());
                        (rest_stems.len() - 1) as u32
                    })
                });
                rest.collect()
            })
            .collect();
        let mut by_first_stem: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut first_lists: Vec<Vec<(u32, u32)>> = Vec::new();
        for (id, stems) in stem_anchors.list.iter().enumerate() {
            let first = stems.first().cloned().unwrap_or_default();
            let entry = *by_first_stem.entry(first).or_insert_with(|| {
                first_lists.push(Vec::new());
                (first_lists.len() - 1) as u32
            });
            let second = stems.get(1).map_or(NO_REST, |s| rest_index[s]);
            first_lists[entry as usize].push((id as u32, second));
        }
        Ok(Matcher {
            by_first_stem,
            first_lists,
            rest_index,
            anchor_rest,
            rest_stems,
            by_anchor: stem_anchors.by_anchor,
            prefixes: form_anchors.build_prefixes(file)?,
            compiled,
            uid: NEXT_MATCHER_UID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// Whether any pattern restricts a word to part-of-speech tags.
    pub fn needs_tags(&self) -> bool {
        self.compiled.iter().any(|c| c.tags.iter().any(|&m| m != 0))
    }

    /// Every (compiled pattern, token) whose anchor matches in `doc`, into
    /// `out` (cleared first), token by token. Anchors depend on stems and
    /// forms only, never on tags, so one pass serves both [`mark_sentences_to_tag`](Self::mark_sentences_to_tag)
    /// before tagging and [`find_at`](Self::find_at) after it (the anchor
    /// loop was run twice per matcher before).
    pub(crate) fn anchors(
        &self,
        doc: &Analyzed,
        analyzer: &Analyzer,
        scratch: &mut Scratch,
        out: &mut Vec<(u32, u32)>,
    ) {
        out.clear();
        self.for_each_anchor(doc, analyzer, scratch, |ci, tok| out.push((ci as u32, tok as u32)));
    }

    /// Mark (in `out`, one flag per sentence) the sentences where a pattern
    /// with a tag restriction has its anchor (`anchors` from
    /// [`anchors`](Self::anchors)): only those need tagging before
    /// [`find_at`](Self::find_at). Tagging costs more than the rest of the
    /// analysis, and most sentences hold no such anchor.
    pub(crate) fn mark_sentences_to_tag(&self, doc: &Analyzed, anchors: &[(u32, u32)], out: &mut [bool]) {
        for &(ci, tok) in anchors {
            if self.compiled[ci as usize].tags.iter().any(|&m| m != 0) {
                out[doc.tokens[tok as usize].sentence as usize] = true;
            }
        }
    }

    /// [`find_at`](Self::find_at) with the anchors found now, in one call
    /// (the same code path; the pipeline keeps its anchors between the two
    /// calls, the tests use this).
    #[cfg(test)]
    pub(crate) fn find(&self, text: &str, doc: &Analyzed, analyzer: &Analyzer, scratch: &mut Scratch) -> Vec<Hit> {
        let mut anchors = Vec::new();
        self.anchors(doc, analyzer, scratch, &mut anchors);
        self.find_at(text, doc, analyzer, &anchors)
    }

    /// All verified hits in `doc` (analysed from `text`) from the
    /// `anchors` that [`anchors`](Self::anchors) found in it, in their
    /// order, possibly overlapping. Sentences marked by
    /// [`mark_sentences_to_tag`](Self::mark_sentences_to_tag) must be tagged.
    pub(crate) fn find_at(&self, text: &str, doc: &Analyzed, analyzer: &Analyzer, anchors: &[(u32, u32)]) -> Vec<Hit> {
        let mut hits = Vec::new();
        for &(ci, tok) in anchors {
            hits.extend(self.verify(&self.compiled[ci as usize], tok as usize, text, doc, analyzer));
        }
        hits
    }

    /// Call `f(compiled pattern, token)` for every pattern whose anchor
    /// matches at a token.
    fn for_each_anchor(
        &self,
        doc: &Analyzed,
        analyzer: &Analyzer,
        scratch: &mut Scratch,
        mut f: impl FnMut(usize, usize),
    ) {
        let memo = match scratch.memos.iter().position(|(uid, _)| *uid == self.uid) {
            Some(i) => &mut scratch.memos[i].1,
            None => {
                scratch.memos.push((self.uid, Memo::default()));
                &mut scratch.memos.last_mut().expect("just pushed").1
            }
        };
        // A new memo (generation 0 is also an analyzer's) or ids of another generation.
        if memo.generation != analyzer.generation() || memo.rest_id.len() != self.rest_stems.len() {
            *memo = Memo {
                generation: analyzer.generation(),
                rest_id: vec![UNKNOWN; self.rest_stems.len()],
                rest_absent_below: vec![0; self.rest_stems.len()],
                ..Memo::default()
            };
        }
        let tokens = &doc.tokens;
        for (i, t) in tokens.iter().enumerate() {
            let entry = Memo::slot(&mut memo.stem, t.stem);
            if *entry == UNKNOWN {
                *entry = self.by_first_stem.get(analyzer.stem(t.stem)).copied().unwrap_or(NONE);
            }
            let entry = *entry;
            if entry != NONE {
                // The `rest_stems` index of the next token's stem, if any.
                let next = match tokens.get(i + 1) {
                    Some(u) => {
                        let slot = Memo::slot(&mut memo.rest_of, u.stem);
                        if *slot == UNKNOWN {
                            *slot = self.rest_index.get(analyzer.stem(u.stem)).copied().unwrap_or(NONE);
                        }
                        *slot
                    }
                    None => NONE,
                };
                for &(a, second) in &self.first_lists[entry as usize] {
                    if second != NO_REST && second != next {
                        continue;
                    }
                    let rest = &self.anchor_rest[a as usize];
                    let fits = i + 1 + rest.len() <= tokens.len()
                        && rest
                            .iter()
                            .zip(&tokens[i + 1..])
                            .all(|(&k, u)| self.rest_stem_is(memo, k, u.stem, analyzer));
                    if fits {
                        for &ci in &self.by_anchor[a as usize] {
                            f(ci, i);
                        }
                    }
                }
            }
            if let Some(prefixes) = &self.prefixes {
                let entry = Memo::slot(&mut memo.form, t.form);
                if *entry == UNKNOWN {
                    let form = analyzer.form(t.form);
                    // Prefixes of the form: matches starting at 0 (the crate
                    // has no anchored overlapping search; forms are short).
                    let found: Vec<u32> = prefixes
                        .ac
                        .find_overlapping_iter(form)
                        .filter(|m| m.start() == 0)
                        .map(|m| m.pattern().as_u32())
                        .collect();
                    *entry = if found.is_empty() {
                        NONE
                    } else {
                        memo.form_lists.push(found);
                        (memo.form_lists.len() - 1) as u32
                    };
                }
                if *entry != NONE {
                    for &a in &memo.form_lists[*entry as usize] {
                        for &ci in &prefixes.by_anchor[a as usize] {
                            f(ci, i);
                        }
                    }
                }
            }
        }
    }

    /// Whether stem id `stem` is the anchor stem `rest_stems[k]`: the same
    /// answer as comparing the strings (an analyzer gives each distinct stem
    /// one id), from the memo's id of that stem once a token has had it.
    #[inline]
    fn rest_stem_is(&self, memo: &mut Memo, k: u32, stem: u32, analyzer: &Analyzer) -> bool {
        let k = k as usize;
        let id = memo.rest_id[k];
        if id != UNKNOWN {
            return id == stem;
        }
        if stem < memo.rest_absent_below[k] {
            return false;
        }
        match analyzer.stem_id(&self.rest_stems[k]) {
            Some(id) => {
                memo.rest_id[k] = id;
                id == stem
            }
            None => {
                memo.rest_absent_below[k] = analyzer.stem_count() as u32;
                false
            }
        }
    }

    /// Check a pattern whose anchor matched at token `tok`.
    fn verify(&self, c: &Compiled, tok: usize, text: &str, doc: &Analyzed, analyzer: &Analyzer) -> Option<Hit> {
        let start = tok.checked_sub(c.anchor_start)?;
        let end = start + c.elems.len();
        if end > doc.tokens.len() {
            return None;
        }
        let sentence = doc.tokens[start].sentence;
        let ok = c.elems.iter().enumerate().all(|(k, e)| {
            let t = &doc.tokens[start + k];
            if t.sentence != sentence {
                return false;
            }
            if !tag_ok(c.tags[k], t.upos) {
                return false;
            }
            let in_anchor = k >= c.anchor_start && k < c.anchor_start + c.anchor_len;
            match e {
                Elem::Stem(s) => in_anchor || analyzer.stem(t.stem) == &**s,
                Elem::Prefix(p) => analyzer.form(t.form).starts_with(&**p),
                Elem::Any => t.kind != TokenKind::Punct,
                Elem::Num => t.kind == TokenKind::Number || NUMBER_WORDS.contains(&analyzer.form(t.form)),
                Elem::Exact(x, _) => text[t.span.start..t.span.end] == **x,
                Elem::Lower(f, _) => analyzer.form(t.form) == &**f,
            }
        });
        ok.then_some(Hit { spec: c.spec, start, end })
    }
}

/// Check that `pattern` compiles (used to validate dictionary entries
/// before they reach a lexicon).
pub fn check_pattern(pattern: &str, analyzer: &mut Analyzer) -> Result<(), String> {
    let (elems, _) = compile_pattern(pattern, analyzer)?;
    if elems.iter().any(|e| e.stem().is_some() || matches!(e, Elem::Prefix(_))) {
        Ok(())
    } else {
        Err(format!("pattern '{pattern}' needs at least one plain word or word*"))
    }
}

/// Split a trailing `{TAG|TAG}` / `{!TAG}` restriction off a pattern piece.
fn split_tags<'p>(pattern: &str, piece: &'p str) -> Result<(&'p str, TagMask), String> {
    let Some(open) = piece.find('{').filter(|_| piece.ends_with('}')) else {
        return Ok((piece, 0));
    };
    let inner = &piece[open + 1..piece.len() - 1];
    let (negated, names) = match inner.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let mut mask: TagMask = 0;
    for name in names.split('|') {
        let tag = crate::text::pos::Upos::from_name(name).ok_or_else(|| {
            format!("pattern '{pattern}': unknown part-of-speech tag '{name}' (use UPOS names: NOUN, VERB, AUX, ADJ, ADV, PROPN, PRON, ...)")
        })?;
        mask |= 1 << tag as u32;
    }
    if negated {
        mask = !mask & ((1 << crate::text::pos::Upos::ALL.len()) - 1);
    }
    Ok((&piece[..open], mask))
}

fn compile_pattern(pattern: &str, analyzer: &mut Analyzer) -> Result<(Vec<Elem>, Vec<TagMask>), String> {
    let mut elems = Vec::new();
    let mut tags = Vec::new();
    for piece in pattern.split_whitespace() {
        let (piece, mask) = split_tags(pattern, piece)?;
        let before = elems.len();
        if piece.is_empty() {
            if mask == 0 {
                return Err(format!("pattern '{pattern}': empty tag restriction"));
            }
            // `{ADJ}` alone: any one word with that tag.
            elems.push(Elem::Any);
        } else if piece == "*" {
            elems.push(Elem::Any);
        } else if piece == "<num>" {
            elems.push(Elem::Num);
        } else if let Some(x) = piece.strip_prefix('=') {
            if x.is_empty() {
                return Err(format!("pattern '{pattern}': '=' must be followed by a word"));
            }
            let toks = analyzer.phrase_stems(x);
            if toks.len() != 1 {
                return Err(format!("pattern '{pattern}': '={x}' must be a single token"));
            }
            elems.push(Elem::Exact(x.into(), toks[0].1.as_str().into()));
        } else if let Some(x) = piece.strip_prefix('~') {
            let toks = analyzer.phrase_stems(x);
            if toks.is_empty() || x.contains('*') {
                return Err(format!("pattern '{pattern}': '~' must be followed by a word (no wildcard)"));
            }
            for (form, stem, _) in toks {
                elems.push(Elem::Lower(form.into(), stem.into()));
            }
        } else if let Some(p) = piece.strip_suffix('*') {
            let p = p.to_lowercase().replace('\u{2019}', "'");
            if p.is_empty() || p.contains('*') {
                return Err(format!("pattern '{pattern}': bad wildcard '{piece}'"));
            }
            elems.push(Elem::Prefix(p.into()));
        } else {
            let toks = analyzer.phrase_stems(piece);
            if toks.is_empty() {
                return Err(format!("pattern '{pattern}': '{piece}' contains no word or punctuation token"));
            }
            for (_, stem, _) in toks {
                elems.push(Elem::Stem(stem.into()));
            }
        }
        if mask != 0 && elems.len() != before + 1 {
            return Err(format!("pattern '{pattern}': a tag restriction needs a single-token word"));
        }
        tags.resize(elems.len(), mask);
    }
    if elems.is_empty() {
        return Err("empty pattern".into());
    }
    Ok((elems, tags))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(p: &str) -> PatternSpec {
        PatternSpec { pattern: p.into(), ..PatternSpec::new(0, Some(0), 1) }
    }

    fn matched(patterns: &[&str], text: &str) -> Vec<(usize, String)> {
        let mut an = Analyzer::new();
        let specs: Vec<_> = patterns.iter().map(|p| spec(p)).collect();
        let m = Matcher::build("t", &specs, &mut an).unwrap();
        let mut doc = an.analyze(text);
        an.tag(text, &mut doc, crate::text::pos::Tagger::builtin());
        let mut hits = m.find(text, &doc, &an, &mut Scratch::default());
        hits.sort_by_key(|h| (h.start, h.spec));
        hits.iter()
            .map(|h| (h.spec, text[doc.tokens[h.start].span.start..doc.tokens[h.end - 1].span.end].to_string()))
            .collect()
    }

    #[test]
    fn part_of_speech_restrictions() {
        // The verb, not the noun.
        assert_eq!(matched(&["comment{VERB}"], "He did not comment on the plan."), vec![(0, "comment".into())]);
        assert!(matched(&["comment{VERB}"], "His comments drew criticism.").is_empty());
        // A tag alone stands for any word with that tag.
        assert_eq!(matched(&["so{ADV} {ADJ}"], "It was so bad that we left."), vec![(0, "so bad".into())]);
        assert!(matched(&["so{ADV} {ADJ}"], "We left, so the hall was empty.").is_empty());
        // Negated sets.
        assert!(matched(&["claims{!NOUN}"], "The claims were false.").is_empty());
        let mut an = Analyzer::new();
        for bad in ["say{VERBS}", "{}", "so{ADJ}{ADV}"] {
            assert!(check_pattern(bad, &mut an).is_err(), "{bad}");
        }
    }

    #[test]
    fn inflections_match_through_stems() {
        let got = matched(&["critics argue"], "Critics argued, and a critic argues; critics are arguing.");
        assert_eq!(got, vec![(0, "Critics argued".into()), (0, "critic argues".into())]);
    }

    #[test]
    fn whole_words_only() {
        assert!(matched(&["may"], "Mayor Maybury").is_empty());
    }

    #[test]
    fn wildcards_numbers_prefixes_exact() {
        assert_eq!(matched(&["about <num>"], "about 40 people, about them"), vec![(0, "about 40".into())]);
        assert_eq!(
            matched(&["official * with"], "officials familiar with it"),
            vec![(0, "officials familiar with".into())]
        );
        assert_eq!(matched(&["purport*"], "the purportedly secret plan"), vec![(0, "purportedly".into())]);
        assert_eq!(matched(&["happy*"], "happiness and happy"), vec![(0, "happy".into())]);
        // stems shorter than the prefix ("anticipate" stems to "anticip")
        assert_eq!(matched(&["anticipat*"], "they anticipate it"), vec![(0, "anticipate".into())]);
        assert_eq!(matched(&["tentativ*"], "a tentative deal"), vec![(0, "tentative".into())]);
        assert_eq!(matched(&["about <num>"], "about two dozen"), vec![(0, "about two".into())]);
        assert_eq!(matched(&["=May <num>"], "on May 5 it may 5"), vec![(0, "May 5".into())]);
    }

    #[test]
    fn tilde_is_an_exact_lowercase_surface_form() {
        // `tax` stems: it matches "taxes"; `~tax` does not, `tax*` does.
        assert_eq!(matched(&["tax"], "Tax taxes taxing").len(), 3);
        assert_eq!(matched(&["~tax"], "Tax taxes taxing"), vec![(0, "Tax".into())]);
        assert_eq!(matched(&["~kind ~of"], "a kind of deal, kinds of deals"), vec![(0, "kind of".into())]);
        assert_eq!(matched(&["~don’t"], "I don't know"), vec![(0, "don't".into())]);
        let mut an = Analyzer::new();
        assert!(check_pattern("~", &mut an).is_err());
        assert!(check_pattern("~ab*", &mut an).is_err());
    }

    #[test]
    fn no_match_across_sentences_or_commas() {
        assert!(matched(&["critics argue"], "Ask the critics. Argue later.").is_empty());
        assert!(matched(&["critics argue"], "the critics, argue").is_empty());
    }

    #[test]
    fn overlapping_patterns_are_all_reported() {
        let got = matched(&["sources said", "said"], "sources said");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn bad_patterns_are_errors() {
        let mut an = Analyzer::new();
        assert!(Matcher::build("t", &[spec("* <num>")], &mut an).is_err());
        assert!(Matcher::build("t", &[spec("a**")], &mut an).is_err());
    }

    /// The anchors found once, before tagging, give the sentences to tag and,
    /// after tagging, exactly the hits of `find` in the same order.
    #[test]
    fn anchors_found_once_give_the_hits_of_find() {
        let mut an = Analyzer::new();
        let specs = [spec("may"), spec("critic argue"), spec("disgrac*"), spec("comment{VERB}"), spec("the * plan")];
        let m = Matcher::build("t", &specs, &mut an).unwrap();
        let text = "Critics argue it may be a disgrace. He did not comment on the new plan; the comment may stand.";
        let mut doc = an.analyze(text);
        let mut scratch = Scratch::default();
        let mut anchors = Vec::new();
        m.anchors(&doc, &an, &mut scratch, &mut anchors);
        let mut marked = vec![false; doc.sentences.len()];
        m.mark_sentences_to_tag(&doc, &anchors, &mut marked);
        assert_eq!(marked, vec![false, true], "only the second sentence has a tag-restricted anchor");
        an.tag(text, &mut doc, crate::text::pos::Tagger::builtin());
        let hits = m.find_at(text, &doc, &an, &anchors);
        assert_eq!(hits, m.find(text, &doc, &an, &mut scratch));
        // may x2, critics argue, disgrace, comment (the verb), the new plan.
        assert_eq!(hits.len(), 6, "{hits:?}");
    }

    /// Every (pattern, token) whose anchor matches, found the slow way:
    /// the anchor's stem strings compared with the tokens' stem strings one
    /// by one (a prefix anchor: the form's prefix), with none of the
    /// matcher's indexes, memos or early skips. Sorted.
    fn reference_anchors(m: &Matcher, doc: &Analyzed, an: &Analyzer) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for (ci, c) in m.compiled.iter().enumerate() {
            let anchor = &c.elems[c.anchor_start..c.anchor_start + c.anchor_len];
            for i in 0..doc.tokens.len() {
                let ok = match anchor {
                    [Elem::Prefix(p)] => an.form(doc.tokens[i].form).starts_with(&**p),
                    _ => {
                        i + anchor.len() <= doc.tokens.len()
                            && anchor.iter().zip(&doc.tokens[i..]).all(|(e, t)| e.stem() == Some(an.stem(t.stem)))
                    }
                };
                if ok {
                    out.push((ci as u32, i as u32));
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// The anchors (with the skip on the second stem and the memoised stem
    /// ids) are those of the string-by-string reference: for patterns that
    /// share their first stem, where the second or third stem differs, where
    /// the anchor is cut by the end of a sentence or of the document, over
    /// several documents through one scratch (the memo carries over), and
    /// for anchor stems the analyzer only meets after they were looked up
    /// and found absent.
    #[test]
    fn anchors_are_those_of_a_string_comparison() {
        // Documents are analysed by an analyzer that has not seen the
        // patterns, so their later stems are new to it.
        let mut build_an = Analyzer::new();
        let pats = [
            "critic",
            "critic argue",
            "critic argue that",
            "critic say",
            "~critics said",
            "the * critic argue",
            "argue that",
            "disgrac*",
            "may",
        ];
        let specs: Vec<_> = pats.iter().map(|p| spec(p)).collect();
        let m = Matcher::build("t", &specs, &mut build_an).unwrap();
        let mut an = Analyzer::new();
        let mut scratch = Scratch::default();
        let texts = [
            // "critic argue" without "that": the third stem is looked up and
            // absent; "that" is the next document's first new stem.
            "Critics argue.",
            "That, critics argue that",
            // Second stem differs, third stem differs, first stem at a
            // sentence end (next token in the next sentence), and the whole
            // anchor at the end of the document.
            "Critics said it may fail. The critics argue loudly. A critic argue that. \
             Ask the critics. Argue later, critics. The critics argue",
            // The first stem as the document's last token: no next token.
            "Critics argued that the disgraceful plan may pass, critics say, and so do critic",
            // Words the matcher has never seen between the anchors.
            "Zorblax critics quuxly argue; critics zorblax say that critics argue that",
            "critic",
        ];
        let mut at_doc_end = 0;
        for text in texts {
            let doc = an.analyze(text);
            let mut got = Vec::new();
            m.anchors(&doc, &an, &mut scratch, &mut got);
            got.sort_unstable();
            let want = reference_anchors(&m, &doc, &an);
            assert_eq!(got, want, "{text}");
            assert!(!want.is_empty(), "{text}");
            let last = doc.tokens.len() - 1;
            at_doc_end += want
                .iter()
                .filter(|&&(ci, tok)| {
                    let c = &m.compiled[ci as usize];
                    tok as usize + c.anchor_len - 1 == last
                })
                .count();
            let sort = |mut h: Vec<Hit>| {
                h.sort_by_key(|h| (h.start, h.spec));
                h
            };
            assert_eq!(sort(m.find(text, &doc, &an, &mut scratch)), sort(m.find_at(text, &doc, &an, &want)), "{text}");
        }
        assert!(at_doc_end >= 4, "anchors ending with the document ({at_doc_end})");
    }

    /// The per-worker memo is keyed by stem and form ids; when the analyzer
    /// clears its caches the ids are reused for other words, and the memo
    /// must start over rather than answer for the old words.
    #[test]
    fn memo_survives_analyzer_cache_resets_and_serves_two_matchers() {
        let mut an = Analyzer::new();
        let lex = [spec("may"), spec("critic argue"), spec("disgrac*")];
        let sides = [spec("democrat")];
        let m1 = Matcher::build("a", &lex, &mut an).unwrap();
        let m2 = Matcher::build("b", &sides, &mut an).unwrap();
        let mut scratch = Scratch::default();
        let mut count = |an: &mut Analyzer, text: &str| {
            let doc = an.analyze(text);
            (m1.find(text, &doc, an, &mut scratch).len(), m2.find(text, &doc, an, &mut scratch).len())
        };
        let first = "It may be a disgrace, critics argue; Democrats agree.";
        assert_eq!(count(&mut an, first), (3, 1));
        an.clear_caches();
        // Same ids, other words: nothing may match from the stale memo.
        let other = "Xx yy zz, ww vv uu; qq rr.";
        assert_eq!(count(&mut an, other), (0, 0));
        assert_eq!(count(&mut an, first), (3, 1));
    }

    /// A scratch used with two analyzers (ids mean other words in each) must
    /// not answer for one from the other's memo.
    #[test]
    fn memo_is_keyed_by_the_analyzer() {
        let mut build_an = Analyzer::new();
        let specs = [spec("may")];
        let m = Matcher::build("a", &specs, &mut build_an).unwrap();
        let mut scratch = Scratch::default();
        let mut a = Analyzer::new();
        let mut b = Analyzer::new();
        let doc_a = a.analyze("It may rain.");
        assert_eq!(m.find("It may rain.", &doc_a, &a, &mut scratch).len(), 1);
        // In `b`, the same ids belong to other words.
        let doc_b = b.analyze("Xx yy zz.");
        assert_eq!(m.find("Xx yy zz.", &doc_b, &b, &mut scratch).len(), 0);
        let doc_b2 = b.analyze("Rain may come.");
        assert_eq!(m.find("Rain may come.", &doc_b2, &b, &mut scratch).len(), 1);
    }
}
