//! Boilerplate and outlet names removed from a text before it is
//! featurised (`slant train --drop-boilerplate`): photo captions and
//! credits, newsletter prompts, copyright notices, bylines, wire datelines
//! and outlet names. A classifier of an outlet's leaning otherwise learns
//! the outlet's page furniture and name, which say nothing about an outlet
//! it has never seen. The list is a TSV file (models/lexicons/boilerplate.tsv
//! documents the format); the model file stores its text, so scoring cleans
//! texts exactly as training did.

use crate::signals::table::TableError;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// The shipped list, built into the binary.
pub const BUILTIN_BOILERPLATE: &str = include_str!("../../models/lexicons/boilerplate.tsv");

/// `line` and `line_start` entries drop a line of at most this many words;
/// longer lines are article text that happens to contain the pattern.
pub const MAX_LINE_WORDS: usize = 40;
/// `byline` entries drop a line of at most this many words ("By Jane Doe").
pub const MAX_BYLINE_WORDS: usize = 8;

/// What an entry matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A short line containing the pattern (case-insensitive) is dropped;
    /// in a longer line only the pattern is removed.
    Line,
    /// A short line beginning with the pattern (case-insensitive) is dropped.
    LineStart,
    /// A line of at most [`MAX_BYLINE_WORDS`] words beginning with the pattern is dropped.
    Byline,
    /// Every occurrence of the pattern (case-sensitive) is removed.
    Name,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Line => "line",
            EntryKind::LineStart => "line_start",
            EntryKind::Byline => "byline",
            EntryKind::Name => "name",
        }
    }
}

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    pub pattern: String,
    pub category: String,
    pub why: String,
}

/// A parsed boilerplate list with its matchers.
#[derive(Debug, Clone)]
pub struct Boilerplate {
    /// File path, or `builtin:boilerplate.tsv`.
    pub source: String,
    pub sha256: String,
    /// The exact text parsed (stored in model files).
    pub text: String,
    pub entries: Vec<Entry>,
    /// The `line` patterns, then the `name` patterns, in one automaton
    /// searched once per text, ASCII case-insensitive: a `name` match is
    /// kept only where the text's bytes are the pattern's (case-sensitive).
    /// A search per line and list cost about twice the bytes and a setting
    /// up per line.
    ac: Option<AhoCorasick>,
    /// How many of `ac`'s patterns are `line` patterns (the first ones).
    n_line: usize,
    /// `ac`'s patterns, for the case-sensitive check of `name` matches.
    patterns: Vec<String>,
    /// Lowercased `line_start` / `byline` patterns with their word limit.
    starts: Vec<(String, usize)>,
    /// The longest of `starts`' patterns, in bytes.
    max_start_len: usize,
    /// The first bytes of `starts`' patterns: a line whose start is an
    /// ASCII character that lowercases to none of them matches none.
    start_bytes: [bool; 256],
}

impl PartialEq for Boilerplate {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source && self.text == other.text
    }
}

/// What a model file holds of a [`Boilerplate`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BoilerplateData {
    pub source: String,
    pub sha256: String,
    #[serde(with = "crate::models::body::text")]
    pub text: String,
}

impl Serialize for Boilerplate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        BoilerplateData { source: self.source.clone(), sha256: self.sha256.clone(), text: self.text.clone() }
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Boilerplate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let data = BoilerplateData::deserialize(d)?;
        let b = Boilerplate::parse(&data.source, &data.text).map_err(serde::de::Error::custom)?;
        if b.sha256 != data.sha256 {
            return Err(serde::de::Error::custom(format!(
                "boilerplate list {}: the stored SHA-256 does not match its text",
                data.source
            )));
        }
        Ok(b)
    }
}

fn matcher(patterns: &[&str]) -> Option<AhoCorasick> {
    if patterns.is_empty() {
        return None;
    }
    // Standard (overlapping) matches: the whole-word check may reject the
    // longest match at a position while accepting a shorter one.
    Some(
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(patterns)
            .expect("a few hundred short patterns fit a DFA"),
    )
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Whether `text[start..end]` (a match of `pattern`) stands as whole words:
/// a pattern edge that is a letter or digit must not touch another one.
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let m = &text[start..end];
    let left_ok = !is_word_char(m.chars().next()) || !is_word_char(text[..start].chars().next_back());
    let right_ok = !is_word_char(m.chars().next_back()) || !is_word_char(text[end..].chars().next());
    left_ok && right_ok
}

/// The start of `text.to_lowercase()`: more than `n` bytes of it (so
/// whole characters past byte `n`), or all of it. Lowercasing is per
/// character except for a capital sigma, whose form depends on what
/// follows: with one in that start, the whole text is lowercased.
fn lowercase_start(text: &str, n: usize) -> Cow<'_, str> {
    let mut out = String::with_capacity(n + 8);
    for c in text.chars() {
        if out.len() > n {
            return Cow::Owned(out);
        }
        if c == 'Σ' {
            return Cow::Owned(text.to_lowercase());
        }
        out.extend(c.to_lowercase());
    }
    Cow::Owned(out)
}

/// Words of a line: whitespace-separated chunks with a letter or digit.
fn word_count(line: &str) -> usize {
    line.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

/// Leftmost-longest non-overlapping matches among `found` (whole-word
/// matches, in any order).
fn leftmost_longest(found: &mut Vec<(usize, usize)>) {
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut end = 0;
    found.retain(|&(s, e)| {
        let keep = s >= end;
        if keep {
            end = e;
        }
        keep
    });
}

impl Boilerplate {
    /// The shipped list (models/lexicons/boilerplate.tsv).
    pub fn builtin() -> Self {
        Boilerplate::parse("builtin:boilerplate.tsv", BUILTIN_BOILERPLATE).expect("the shipped list parses")
    }

    /// Parse a list (format in models/lexicons/boilerplate.tsv).
    pub fn parse(source: &str, text: &str) -> Result<Self, TableError> {
        let err = |line: usize, message: String| TableError { file: source.to_string(), line, message };
        let mut entries = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 2 {
                return Err(err(i + 1, "expected KIND<TAB>PATTERN<TAB>CATEGORY<TAB>WHY".into()));
            }
            let kind = match cols[0].trim() {
                "line" => EntryKind::Line,
                "line_start" => EntryKind::LineStart,
                "byline" => EntryKind::Byline,
                "name" => EntryKind::Name,
                other => {
                    return Err(err(
                        i + 1,
                        format!("unknown kind {other:?} (expected line, line_start, byline or name)"),
                    ))
                }
            };
            let pattern = cols[1].trim();
            if pattern.is_empty() {
                return Err(err(i + 1, "empty pattern".into()));
            }
            if pattern.contains('\n') {
                return Err(err(i + 1, "a pattern is one line".into()));
            }
            entries.push(Entry {
                kind,
                pattern: pattern.to_string(),
                category: cols.get(2).map_or("", |s| s.trim()).to_string(),
                why: cols.get(3).map_or("", |s| s.trim()).to_string(),
            });
        }
        if entries.is_empty() {
            return Err(err(0, "the boilerplate list has no entries".into()));
        }
        let of = |k: EntryKind| entries.iter().filter(|e| e.kind == k).map(|e| e.pattern.as_str()).collect::<Vec<_>>();
        let starts = entries
            .iter()
            .filter_map(|e| match e.kind {
                EntryKind::LineStart => Some((e.pattern.to_lowercase(), MAX_LINE_WORDS)),
                EntryKind::Byline => Some((e.pattern.to_lowercase(), MAX_BYLINE_WORDS)),
                _ => None,
            })
            .collect::<Vec<(String, usize)>>();
        let max_start_len = starts.iter().map(|(p, _)| p.len()).max().unwrap_or(0);
        let mut start_bytes = [false; 256];
        for (p, _) in &starts {
            start_bytes[p.as_bytes()[0] as usize] = true;
        }
        let mut patterns = of(EntryKind::Line);
        let n_line = patterns.len();
        patterns.extend(of(EntryKind::Name));
        Ok(Boilerplate {
            source: source.to_string(),
            sha256: format!("{:x}", Sha256::digest(text.as_bytes())),
            text: text.to_string(),
            ac: matcher(&patterns),
            n_line,
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
            starts,
            max_start_len,
            start_bytes,
            entries,
        })
    }

    /// One line for cards and messages: where the list came from, its
    /// hash and how many entries of each category it has.
    pub fn summary(&self) -> String {
        let mut cats: Vec<(&str, usize)> = Vec::new();
        for e in &self.entries {
            match cats.iter_mut().find(|(c, _)| *c == e.category) {
                Some((_, n)) => *n += 1,
                None => cats.push((&e.category, 1)),
            }
        }
        format!(
            "{} (SHA-256 {}; {} entries: {})",
            self.source,
            &self.sha256[..12],
            self.entries.len(),
            cats.iter().map(|(c, n)| format!("{c} {n}")).collect::<Vec<_>>().join(", ")
        )
    }

    /// Whether a line (without its line break) is boilerplate as a whole,
    /// given whether a `line` pattern stands in it. Its words are counted
    /// only when a pattern could drop it (counting every line's words was
    /// most of this walk's own time).
    fn drops_line(&self, line: &str, has_line_match: bool) -> bool {
        let mut words = None;
        let mut words = || *words.get_or_insert_with(|| word_count(line));
        if has_line_match && words() <= MAX_LINE_WORDS {
            return true;
        }
        let line = line.trim_start();
        // A non-ASCII character can lowercase to an ASCII one (the Kelvin
        // sign to k), so only an ASCII first byte rules a line out here.
        match line.as_bytes().first() {
            None => return false,
            Some(&b) if b.is_ascii() && !self.start_bytes[b.to_ascii_lowercase() as usize] => return false,
            _ => {}
        }
        // Only the start of the line is compared: lowercased up to the
        // longest pattern and one character more (a paragraph's whole
        // lowercase copy was most of this function's time).
        let lower = lowercase_start(line, self.max_start_len);
        self.starts
            .iter()
            .any(|(p, max)| lower.starts_with(p.as_str()) && whole_word(&lower, 0, p.len()) && words() <= *max)
    }

    /// The text without its boilerplate lines and with outlet names (and
    /// `line` patterns in long lines) replaced by a space. Dropped lines
    /// keep their line break, so paragraphs around them do not merge.
    /// Borrowed when nothing matched.
    pub fn clean<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let removals = self.removals(text);
        if removals.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for r in removals {
            out.push_str(&text[at..r.start]);
            if !r.whole_line {
                out.push(' ');
            }
            at = r.end;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }

    /// The byte ranges of `text` that [`clean`](Self::clean) removes, in
    /// text order: the body of each dropped line (its line break stays) and
    /// each cut of a kept line (overlapping cuts as their union; `clean`
    /// puts a space in their place). Used to measure how the document's own
    /// analysis with these ranges masked compares with the analysis of the
    /// cleaned text (examples/sentence_slices.rs).
    pub fn removed_spans(&self, text: &str) -> Vec<(usize, usize)> {
        self.removals(text).into_iter().filter(|r| r.end > r.start).map(|r| (r.start, r.end)).collect()
    }

    /// The one walk over `text`'s lines that both [`clean`](Self::clean)
    /// and [`removed_spans`](Self::removed_spans) read: each dropped line's
    /// body (possibly empty) and each cut of a kept line, overlapping cuts
    /// merged into their union, in text order.
    fn removals(&self, text: &str) -> Vec<Removal> {
        let (line_found, name_found) = self.matches(text);
        let (mut li, mut ni) = (0, 0);
        let mut out: Vec<Removal> = Vec::new();
        let mut base = 0;
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            // This line's matches: no pattern holds a line break, and none
            // starts or ends with a carriage return (patterns are trimmed).
            let end = base + body.len();
            let lines_of = |found: &[(usize, usize)], from: &mut usize| {
                let to = *from + found[*from..].iter().take_while(|m| m.0 < end).count();
                std::mem::replace(from, to)..to
            };
            let (lr, nr) = (lines_of(&line_found, &mut li), lines_of(&name_found, &mut ni));
            if self.drops_line(body, !lr.is_empty()) {
                out.push(Removal { start: base, end, whole_line: true });
            } else {
                cuts.clear();
                cuts.extend_from_slice(&line_found[lr]);
                cuts.extend_from_slice(&name_found[nr]);
                cuts.sort_unstable();
                let mut at = base;
                for &(s, e) in &cuts {
                    if s >= at {
                        out.push(Removal { start: s, end: e, whole_line: false });
                        at = e;
                    } else if e > at {
                        // Overlapping matches of the two lists: cut their union.
                        if let Some(last) = out.last_mut() {
                            last.end = e;
                        }
                        at = e;
                    }
                }
            }
            base += line.len();
        }
        out
    }

    /// The whole-word matches in `text` of the `line` patterns and of the
    /// `name` patterns, each list leftmost-longest without overlaps and in
    /// text order. A match never spans lines, so each line's share is what
    /// a search of that line alone finds (the characters around a line's
    /// body, line breaks and carriage returns, are not letters or digits,
    /// as the start and end of a text are not).
    fn matches(&self, text: &str) -> (Spans, Spans) {
        let (mut line_found, mut name_found) = (Vec::new(), Vec::new());
        let Some(ac) = &self.ac else { return (line_found, name_found) };
        for m in ac.find_overlapping_iter(text) {
            let (s, e, p) = (m.start(), m.end(), m.pattern().as_usize());
            if p >= self.n_line && text.as_bytes()[s..e] != *self.patterns[p].as_bytes() {
                continue;
            }
            if whole_word(text, s, e) {
                if p < self.n_line { &mut line_found } else { &mut name_found }.push((s, e));
            }
        }
        leftmost_longest(&mut line_found);
        leftmost_longest(&mut name_found);
        (line_found, name_found)
    }
}

/// Byte ranges of a text.
type Spans = Vec<(usize, usize)>;

/// A range of a text that a boilerplate list removes: a dropped line's
/// body (nothing takes its place) or a cut in a kept line (a space does).
struct Removal {
    start: usize,
    end: usize,
    whole_line: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> Boilerplate {
        Boilerplate::parse(
            "test.tsv",
            "# comment\nline\tphoto credit\tcaption\tx\nline_start\tread more\tfurniture\tx\n\
             byline\tby\tbyline\tx\nname\tDaily Planet\toutlet\tx\nname\tPlanet\toutlet\tx\nname\t(DPA)\twire\tx\n",
        )
        .unwrap()
    }

    /// The lowercased start is the start of the whole lowercase text, with
    /// a whole character past `n` bytes, whatever the characters' lengths.
    #[test]
    fn lowercase_start_is_a_prefix_of_the_lowercase() {
        for text in ["", "BY JOHN SMITH", "İSTANBUL REPORT", "ΟΔΟΣ ΣΑΣ", "ÀB\u{0130}CD", "Read More: x", "short"]
        {
            let full = text.to_lowercase();
            for n in 0..12 {
                let start = lowercase_start(text, n);
                assert!(full.starts_with(start.as_ref()), "{text:?} {n}");
                assert!(start.len() > n || start == full, "{text:?} {n}");
            }
        }
    }

    /// The removed ranges are what `clean` takes out: the text with them
    /// cut gives the cleaned text's words; nothing is removed from a text
    /// `clean` leaves as it is.
    #[test]
    fn removed_spans_are_what_clean_removes() {
        let b = list();
        let text = "Photo credit: Jane Roe\nBy Ann Lee\nBy the end of the year the Daily Planet's council had voted.\nRead more: other stories\nBERLIN (DPA) - Planetary science was fine.\nNothing here.";
        let spans = b.removed_spans(text);
        assert!(spans.len() >= 4, "{spans:?}");
        let mut kept = String::new();
        let mut at = 0;
        for &(s, e) in &spans {
            assert!(s >= at && e > s, "{spans:?}");
            kept.push_str(&text[at..s]);
            kept.push(' ');
            at = e;
        }
        kept.push_str(&text[at..]);
        let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&kept), words(&b.clean(text)));
        assert!(b.removed_spans("Nothing to remove here.\nOr here.").is_empty());
    }

    #[test]
    fn drops_short_boilerplate_lines_and_removes_names() {
        let b = list();
        let text = "Photo credit: Jane Roe\nBy Ann Lee\nBy the end of the year the Daily Planet's council had voted.\nRead more: other stories\nBERLIN (DPA) - Planetary science was fine.\n";
        let got = b.clean(text);
        assert_eq!(
            got,
            "\n\nBy the end of the year the  's council had voted.\n\nBERLIN   - Planetary science was fine.\n"
        );
    }

    #[test]
    fn long_lines_keep_their_text_and_untouched_text_is_borrowed() {
        let b = list();
        let long = format!("{} photo credit {}", "word ".repeat(30), "word ".repeat(15));
        let got = b.clean(&long);
        assert!(
            !got.contains("photo") && got.matches("word").count() == 45,
            "only the phrase is cut from a long line: {got}"
        );
        assert!(matches!(b.clean("Nothing here, photographs aside."), Cow::Borrowed(_)));
        // Case-sensitive names, whole words only.
        assert!(matches!(b.clean("a planet and Planets"), Cow::Borrowed(_)));
    }

    /// The removals as the list was first applied: each line searched on
    /// its own by a case-insensitive automaton of the `line` patterns and a
    /// case-sensitive one of the `name` patterns, every line's words
    /// counted. The single search per text must remove the same ranges.
    fn removals_line_by_line(b: &Boilerplate, text: &str) -> Vec<(usize, usize, bool)> {
        let build = |k: EntryKind, ci: bool| {
            let p: Vec<&str> = b.entries.iter().filter(|e| e.kind == k).map(|e| e.pattern.as_str()).collect();
            AhoCorasick::builder().ascii_case_insensitive(ci).match_kind(MatchKind::Standard).build(p).unwrap()
        };
        let (line_ac, name_ac) = (build(EntryKind::Line, true), build(EntryKind::Name, false));
        // The whole-word test and the leftmost-longest pass as first
        // written, kept here so that the reference shares no code with
        // the search it checks.
        let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let whole = |t: &str, s: usize, e: usize| {
            let m = &t[s..e];
            (!is_word(m.chars().next()) || !is_word(t[..s].chars().next_back()))
                && (!is_word(m.chars().next_back()) || !is_word(t[e..].chars().next()))
        };
        let search = |ac: &AhoCorasick, t: &str| {
            let mut found: Vec<(usize, usize)> =
                ac.find_overlapping_iter(t).map(|m| (m.start(), m.end())).filter(|&(s, e)| whole(t, s, e)).collect();
            found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            let mut kept: Vec<(usize, usize)> = Vec::new();
            for (s, e) in found {
                if kept.last().is_none_or(|&(_, le)| s >= le) {
                    kept.push((s, e));
                }
            }
            kept
        };
        let mut out = Vec::new();
        let mut base = 0;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            let words = word_count(body);
            let lower = body.trim_start().to_lowercase();
            let dropped = (words <= MAX_LINE_WORDS && !search(&line_ac, body).is_empty())
                || b.starts
                    .iter()
                    .any(|(p, max)| words <= *max && lower.starts_with(p.as_str()) && whole(&lower, 0, p.len()));
            if dropped {
                out.push((base, base + body.len(), true));
            } else {
                let mut cuts = search(&line_ac, body);
                cuts.extend(search(&name_ac, body));
                cuts.sort_unstable();
                let mut at = 0;
                for (s, e) in cuts {
                    if s >= at {
                        out.push((base + s, base + e, false));
                        at = e;
                    } else if e > at {
                        out.last_mut().unwrap().1 = base + e;
                        at = e;
                    }
                }
            }
            base += line.len();
        }
        out
    }

    #[test]
    fn one_search_per_text_removes_what_a_search_per_line_removed() {
        let removed = compare_with_line_by_line(&Boilerplate::builtin(), &[], 400);
        assert!(removed > 400, "the texts exercise the list: {removed} removals");
    }

    /// A list the shipped one lacks: a pattern that is both a `line` and a
    /// `name` pattern, an upper-case `line_start` pattern, and patterns
    /// that start with non-ASCII letters (of one and of several bytes
    /// lower-cased).
    #[test]
    fn a_custom_list_removes_what_a_search_per_line_removed() {
        let b = Boilerplate::parse(
            "custom.tsv",
            "line\tWire Desk\tcredit\tx\nname\tWire Desk\toutlet\tx\nline_start\tREAD MORE\tfurniture\tx\n\
             line\tÉdition spéciale\tfurniture\tx\nname\tÖsterreich Heute\toutlet\tx\n\
             line_start\tΣχόλια\tfurniture\tx\nbyline\tÜber\tbyline\tx\nname\tİstanbul Post\toutlet\tx\n",
        )
        .unwrap();
        let extra = [
            "wire desk",
            "WIRE DESK",
            "read more",
            "Read More:",
            "édition spéciale",
            "ÉDITION SPÉCIALE",
            "σχόλια",
            "ΣΧΌΛΙΑ",
            "über",
            "ÜBER",
            "i̇stanbul post",
        ];
        let removed = compare_with_line_by_line(&b, &extra, 600);
        assert!(removed > 300, "the texts exercise the list: {removed} removals");
    }

    /// Random texts of pieces of `b`'s patterns (and `extra`) and common
    /// words: the single search must remove what the search per line
    /// removed. Returns the number of removals.
    fn compare_with_line_by_line(b: &Boilerplate, extra: &[&str], texts: usize) -> usize {
        // Pieces: every pattern as written, upper-cased and cut short,
        // words, digits, line breaks with and without carriage returns,
        // letters glued to patterns, and non-ASCII letters.
        let mut pieces: Vec<String> = Vec::new();
        for e in &b.entries {
            pieces.push(e.pattern.clone());
            pieces.push(e.pattern.to_uppercase());
            pieces.push(e.pattern.chars().take(3).collect());
        }
        for p in [
            "the", "said", "By", "by", "x", "9", "\n", "\r\n", "\r", "\n\n", " ", "  ", ": ", "- ", "é", "Σ",
            "\u{212A}", "İ",
        ]
        .iter()
        .chain(extra)
        {
            pieces.push(p.to_string());
        }
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0x853C_49E6_748F_EA9B);
        let mut next = move |n: usize| rand::Rng::gen_range(&mut rng, 0..n);
        let mut removed = 0;
        for _ in 0..texts {
            let n = 1 + next(120);
            let mut text = String::new();
            for _ in 0..n {
                text.push_str(&pieces[next(pieces.len())]);
                if next(3) > 0 {
                    text.push(' ');
                }
            }
            let want = removals_line_by_line(b, &text);
            let got: Vec<(usize, usize, bool)> =
                b.removals(&text).into_iter().map(|r| (r.start, r.end, r.whole_line)).collect();
            assert_eq!(got, want, "{text:?}");
            removed += got.len();
        }
        removed
    }

    #[test]
    fn bad_lists_are_refused() {
        assert!(Boilerplate::parse("x", "word\tpattern\n").is_err());
        assert!(Boilerplate::parse("x", "# only comments\n").is_err());
        assert!(Boilerplate::parse("x", "name\t \tc\tw\n").is_err());
        assert!(Boilerplate::builtin().entries.len() > 100);
    }

    #[test]
    fn serde_round_trip_checks_the_hash() {
        let b = list();
        let json = serde_json::to_string(&b).unwrap();
        let back: Boilerplate = serde_json::from_str(&json).unwrap();
        assert_eq!(back, b);
        let tampered = json.replace("Daily Planet", "Daily Plane");
        assert!(serde_json::from_str::<Boilerplate>(&tampered).is_err());
    }
}
