//! Keyword in context (`slant kwic`): every match of chosen categories, or
//! of a pattern given on the command line, with the words around it inside
//! its sentence. Matches come from the same [`SignalSet`] as `score`, so a
//! concordance line is exactly a row of the evidence file, made readable.

use crate::engine::Scored;
use crate::error::{Error, Result};
use crate::output::columns::{label_names, rule_text};
use crate::signals::lexicon::{Lexicon, Sides};
use crate::signals::SignalSet;

/// The category (and subcategory) that `--pattern` matches are filed under.
pub const PATTERN_CATEGORY: &str = "pattern";
pub const PATTERN_SUBCATEGORY: &str = "given";

/// A signal set whose lexicon holds only `patterns` (lexicon syntax, see
/// docs/LEXICONS.md), filed under [`PATTERN_CATEGORY`]: the lexicon parser
/// and matcher do the work, so a pattern means here what it means in a
/// lexicon file. No sides, no negators.
pub fn pattern_set(patterns: &[String]) -> Result<SignalSet> {
    let mut text = format!(
        "@category\t{PATTERN_CATEGORY}\tPatterns given with --pattern\n@subcategory\t{PATTERN_CATEGORY}\t{PATTERN_SUBCATEGORY}\tPatterns given with --pattern\n"
    );
    for p in patterns {
        let p = p.trim();
        if p.is_empty() || p.contains(['\t', '\n', '\r']) {
            return Err(Error::invalid(format!(
                "--pattern '{p}': a pattern is one line of words separated by spaces (no tabs)"
            )));
        }
        if p.starts_with(['!', '@', '#']) {
            return Err(Error::invalid(format!(
                "--pattern '{p}': a pattern cannot start with '!', '@' or '#' (exclusions, directives and comments exist only in lexicon files)"
            )));
        }
        text.push_str(&format!("{p}\t{PATTERN_CATEGORY}\t{PATTERN_SUBCATEGORY}\n"));
    }
    // Entries start on line 3 of the lexicon text: name the pattern, not the line.
    let named = |e: crate::error::TableError| {
        let given = e.line.checked_sub(3).and_then(|i| patterns.get(i)).map_or("", |p| p.as_str());
        let message = e.message.strip_prefix(&format!("pattern '{given}': ")).unwrap_or(&e.message);
        Error::invalid(format!("--pattern '{given}': {message}"))
    };
    let lexicon = Lexicon::parse("--pattern", &text).map_err(named)?;
    let sides = Sides::parse("(no sides)", "")?;
    SignalSet::new(lexicon, sides).map_err(named)
}

/// Which matches to list: categories (empty = all) and subcategories
/// (empty = all of the chosen categories), by the names of the evidence file.
#[derive(Debug, Clone, Default)]
pub struct KwicFilter {
    pub categories: Vec<String>,
    pub subcategories: Vec<String>,
}

impl KwicFilter {
    fn keeps(&self, category: &str, subcategory: &str) -> bool {
        (self.categories.is_empty() || self.categories.iter().any(|c| c == category))
            && (self.subcategories.is_empty() || self.subcategories.iter().any(|s| s == subcategory))
    }
}

/// Every category name a signal set can put in the evidence file: the
/// lexicon's and the `side_<dimension>[_statement]` of the sides file.
pub fn category_names(set: &SignalSet) -> Vec<String> {
    let mut names: Vec<String> = set.lexicon.categories.iter().map(|c| c.name.clone()).collect();
    for d in &set.sides.dimensions {
        names.push(format!("side_{}", d.name));
        names.push(format!("side_{}_statement", d.name));
    }
    names
}

/// One concordance line.
#[derive(Debug, Clone, PartialEq)]
pub struct KwicRow {
    pub sentence_idx: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub left: String,
    pub matched: String,
    pub right: String,
    pub category: String,
    pub subcategory: String,
    pub rule: String,
    pub in_quote: bool,
    pub negated: bool,
}

/// A document's concordance lines, with what every row repeats.
#[derive(Debug, Clone, PartialEq)]
pub struct KwicDoc {
    pub doc_id: String,
    pub kept: Vec<String>,
    pub rows: Vec<KwicRow>,
}

/// The concordance lines of one scored document: its matches kept by
/// `filter`, each with up to `width` characters (0 = no limit) of its
/// sentence on either side.
pub fn kwic_rows(set: &SignalSet, scored: &Scored, filter: &KwicFilter, width: usize) -> KwicDoc {
    let text = scored.doc.text.as_str();
    let sentences = &scored.signals.analyzed.sentences;
    let mut rows = Vec::new();
    for m in &scored.signals.matches {
        let (category, subcategory) = label_names(&set.lexicon, &set.sides, m.label);
        if !filter.keeps(&category, &subcategory) {
            continue;
        }
        // A match (a quotation) may run over several sentences: the context
        // is bounded by the sentence it starts in and the one it ends in.
        let first = sentences.get(m.sentence as usize);
        let sentence_start = first.map_or(0, |s| s.span.start).min(m.span.start);
        let last = sentences[m.sentence as usize..].iter().take_while(|s| s.span.start < m.span.end).last();
        let sentence_end = last.map_or(text.len(), |s| s.span.end).max(m.span.end);
        rows.push(KwicRow {
            sentence_idx: m.sentence as usize,
            char_start: m.span.char_start,
            char_end: m.span.char_end,
            left: one_line(last_chars(text[sentence_start..m.span.start].trim_end(), width).trim_start()),
            matched: one_line(&text[m.span.start..m.span.end]),
            right: one_line(first_chars(text[m.span.end..sentence_end].trim_start(), width).trim_end()),
            category,
            subcategory,
            rule: rule_text(&set.lexicon, &set.sides, m.rule),
            in_quote: m.in_quote,
            negated: m.negated,
        });
    }
    KwicDoc { doc_id: scored.doc.id.clone(), kept: scored.doc.kept.clone(), rows }
}

/// The last `n` characters of `s` (all of it when `n` is 0).
fn last_chars(s: &str, n: usize) -> &str {
    if n == 0 {
        return s;
    }
    match s.char_indices().rev().nth(n - 1) {
        Some((i, _)) => &s[i..],
        None => s,
    }
}

/// The first `n` characters of `s` (all of it when `n` is 0).
fn first_chars(s: &str, n: usize) -> &str {
    if n == 0 {
        return s;
    }
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Line breaks and tabs as spaces, so each concordance line is one line.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c == '\n' || c == '\t' { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_limits_count_characters_not_bytes() {
        assert_eq!(last_chars("é bon café", 4), "café");
        assert_eq!(first_chars("café bon", 4), "café");
        assert_eq!(first_chars("ab", 5), "ab");
        assert_eq!(last_chars("ab", 0), "ab");
    }

    #[test]
    fn a_pattern_cannot_smuggle_lexicon_lines() {
        assert!(pattern_set(&["critics argue".into()]).is_ok());
        assert!(pattern_set(&["a\tb".into()]).is_err());
        assert!(pattern_set(&["!may".into()]).is_err());
        assert!(pattern_set(&["".into()]).is_err());
    }
}
