//! One-pass phrase matching over the stem stream.
//!
//! Each document is rendered once as `" s1 s2 ... sn "` (its stems separated
//! by spaces) and scanned by a single Aho-Corasick DFA holding every pattern's
//! *anchor* (its longest run of plain words, space-padded so only whole
//! stems match). Parts of a pattern that an automaton over stems cannot
//! express (`*`, `<num>`, `word*`, `=Exact`) are verified at the hit only.
//! The cost is one pass over the text plus work proportional to the hits,
//! whatever the number of patterns.

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

#[derive(Debug, Clone)]
struct Compiled {
    elems: Vec<Elem>,
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

/// One automaton and the patterns behind each of its anchors.
struct Automaton {
    ac: AhoCorasick,
    /// Aho-Corasick pattern id -> compiled patterns sharing that anchor.
    by_anchor: Vec<Vec<usize>>,
}

pub struct Matcher {
    /// Anchors of plain words, over the stem stream.
    stems: Option<Automaton>,
    /// Anchors of `word*` prefixes, over the lowercase form stream: a stem
    /// can be shorter than a prefix ("anticipat*" vs stem "anticip"), so
    /// prefixes are matched against the forms they are defined on.
    forms: Option<Automaton>,
    compiled: Vec<Compiled>,
}

/// Reusable per-thread buffers for [`Matcher::find`].
#[derive(Default)]
pub struct Scratch {
    haystack: String,
    starts: Vec<usize>,
}

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

#[derive(Default)]
struct AnchorSet {
    ids: FxHashMap<String, usize>,
    list: Vec<String>,
    by_anchor: Vec<Vec<usize>>,
}

impl AnchorSet {
    fn add(&mut self, anchor: String, compiled: usize) {
        let id = *self.ids.entry(anchor.clone()).or_insert_with(|| {
            self.list.push(anchor);
            self.by_anchor.push(Vec::new());
            self.list.len() - 1
        });
        self.by_anchor[id].push(compiled);
    }

    fn build(self, file: &str) -> Result<Option<Automaton>, TableError> {
        if self.list.is_empty() {
            return Ok(None);
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&self.list)
            .map_err(|e| TableError {
                file: file.to_string(),
                line: 0,
                message: format!("cannot build matcher: {e}"),
            })?;
        Ok(Some(Automaton { ac, by_anchor: self.by_anchor }))
    }
}

impl Matcher {
    /// Compile pattern specs. `file` names the source in error messages.
    pub fn build(file: &str, specs: &[PatternSpec], analyzer: &mut Analyzer) -> Result<Self, TableError> {
        let mut stem_anchors = AnchorSet::default();
        let mut form_anchors = AnchorSet::default();
        let mut compiled = Vec::with_capacity(specs.len());
        for (si, spec) in specs.iter().enumerate() {
            let err = |m: String| TableError { file: file.to_string(), line: spec.line, message: m };
            let elems = compile_pattern(&spec.pattern, analyzer).map_err(err)?;
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
                let mut a = String::from(" ");
                for e in &elems[best_start..best_start + best_len] {
                    a.push_str(e.stem().unwrap_or_default());
                    a.push(' ');
                }
                stem_anchors.add(a, compiled.len());
            } else if let Some(pi) = elems.iter().position(|e| matches!(e, Elem::Prefix(_))) {
                let Elem::Prefix(p) = &elems[pi] else { unreachable!() };
                (best_start, best_len) = (pi, 1);
                form_anchors.add(format!(" {p}"), compiled.len());
            } else {
                return Err(err(format!(
                    "pattern '{}' needs at least one plain word or word* (wildcards alone would match everything)",
                    spec.pattern
                )));
            }
            compiled.push(Compiled { elems, anchor_start: best_start, anchor_len: best_len, spec: si });
        }
        Ok(Matcher { stems: stem_anchors.build(file)?, forms: form_anchors.build(file)?, compiled })
    }

    /// All verified hits in `doc` (analysed from `text`), unordered,
    /// possibly overlapping.
    pub fn find(&self, text: &str, doc: &Analyzed, analyzer: &Analyzer, scratch: &mut Scratch) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (automaton, use_stems) in [(&self.stems, true), (&self.forms, false)] {
            let Some(automaton) = automaton else { continue };
            let Scratch { haystack, starts } = &mut *scratch;
            haystack.clear();
            starts.clear();
            for t in &doc.tokens {
                starts.push(haystack.len());
                haystack.push(' ');
                haystack.push_str(if use_stems { analyzer.stem(t.stem) } else { analyzer.form(t.form) });
            }
            haystack.push(' ');
            for m in automaton.ac.find_overlapping_iter(haystack.as_str()) {
                let Ok(tok) = starts.binary_search(&m.start()) else { continue };
                for &ci in &automaton.by_anchor[m.pattern().as_usize()] {
                    if let Some(hit) = self.verify(&self.compiled[ci], tok, text, doc, analyzer) {
                        hits.push(hit);
                    }
                }
            }
        }
        // As in the analyzer: free buffers that one huge document grew.
        if scratch.starts.capacity() > crate::text::KEEP_BUFFER_TOKENS {
            *scratch = Scratch::default();
        }
        hits
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
    let elems = compile_pattern(pattern, analyzer)?;
    if elems.iter().any(|e| e.stem().is_some() || matches!(e, Elem::Prefix(_))) {
        Ok(())
    } else {
        Err(format!("pattern '{pattern}' needs at least one plain word or word*"))
    }
}

fn compile_pattern(pattern: &str, analyzer: &mut Analyzer) -> Result<Vec<Elem>, String> {
    let mut elems = Vec::new();
    for piece in pattern.split_whitespace() {
        if piece == "*" {
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
    }
    if elems.is_empty() {
        return Err("empty pattern".into());
    }
    Ok(elems)
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
        let doc = an.analyze(text);
        let mut hits = m.find(text, &doc, &an, &mut Scratch::default());
        hits.sort_by_key(|h| (h.start, h.spec));
        hits.iter()
            .map(|h| (h.spec, text[doc.tokens[h.start].span.start..doc.tokens[h.end - 1].span.end].to_string()))
            .collect()
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
}
