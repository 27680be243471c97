//! Run-time custom dictionaries (`--dict FILE`): LIWC `.dic`, quanteda-style
//! YAML and `term,category[,weight]` CSV files, turned into extra lexicon
//! categories named `dict_<category>`.
//!
//! Dictionaries match *surface words*, not stems: a plain entry `tax` matches
//! the word "tax" only (any case), `tax*` matches every word starting with
//! "tax". Entries are therefore translated into `~word` (exact lowercase
//! surface form) and `word*` (prefix) patterns; a multi-word entry becomes a
//! multi-token pattern. Every problem in a file is collected with its line
//! number (see `slant dict validate`), rather than stopping at the first.

use super::lexicon::{Category, Lexicon, Origin, PatternSpec, Source, Subcategory};
use super::matcher::check_pattern;
use super::table::TableError;
use crate::text::Analyzer;
use rustc_hash::FxHashMap;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in a dictionary file. `line` is 1-based (0: the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub severity: Severity,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DictFormat {
    /// LIWC `.dic`.
    Liwc,
    /// quanteda-style YAML (`.yml`, `.yaml`).
    Yaml,
    /// `term,category[,weight]` with a header row (`.csv`).
    Csv,
}

impl DictFormat {
    /// The format, from the file extension.
    pub fn from_path(path: &Path) -> crate::error::Result<Self> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("dic") => Ok(DictFormat::Liwc),
            Some("yml") | Some("yaml") => Ok(DictFormat::Yaml),
            Some("csv") => Ok(DictFormat::Csv),
            _ => Err(crate::error::Error::invalid(format!(
                "{}: unknown dictionary format; use a .dic (LIWC), .yml/.yaml (quanteda-style YAML) or .csv (term,category[,weight]) file",
                path.display()
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DictSubcategory {
    /// As written in the file (`term` for formats without subcategories).
    pub name: String,
    /// snake_case, used in column names.
    pub column: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DictCategory {
    /// As written in the file.
    pub name: String,
    /// `dict_<snake_case name>`: the lexicon category and column prefix.
    pub column: String,
    pub subs: Vec<DictSubcategory>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DictEntry {
    /// As written in the file (whitespace runs collapsed).
    pub term: String,
    /// The slant pattern it becomes (`~word`, `word*`, one token per word).
    pub pattern: String,
    pub category: usize,
    pub sub: usize,
    pub weight: f64,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dictionary {
    pub source: Source,
    pub format: DictFormat,
    pub categories: Vec<DictCategory>,
    pub entries: Vec<DictEntry>,
    /// Sorted by line.
    pub problems: Vec<Problem>,
}

impl Dictionary {
    /// Parse `text`, read from `path` (whose extension gives the format).
    /// `Err` only for an unknown extension; problems in the file are in
    /// [`problems`](Self::problems).
    pub fn parse(path: &Path, text: &str) -> crate::error::Result<Self> {
        Ok(Self::parse_as(DictFormat::from_path(path)?, &path.display().to_string(), text))
    }

    pub fn parse_as(format: DictFormat, file: &str, text: &str) -> Self {
        let mut d = Dictionary {
            source: Source::new(file, text),
            format,
            categories: Vec::new(),
            entries: Vec::new(),
            problems: Vec::new(),
        };
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut b = Builder { d: &mut d, seen: FxHashMap::default() };
        match format {
            DictFormat::Liwc => parse_liwc(&mut b, body),
            DictFormat::Yaml => parse_yaml(&mut b, body),
            DictFormat::Csv => parse_csv(&mut b, body),
        }
        d.finish();
        d
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity == Severity::Warning)
    }

    fn problem(&mut self, line: usize, severity: Severity, message: impl Into<String>) {
        self.problems.push(Problem { line, severity, message: message.into() });
    }

    fn error(&mut self, line: usize, message: impl Into<String>) {
        self.problem(line, Severity::Error, message);
    }

    /// Column names, empty categories, wildcards and pattern compilation.
    fn finish(&mut self) {
        let mut columns: FxHashMap<String, usize> = FxHashMap::default();
        for ci in 0..self.categories.len() {
            let (name, line) = (self.categories[ci].name.clone(), self.categories[ci].line);
            let snake = snake_case(&name);
            if snake.is_empty() {
                self.error(line, format!("category name '{name}' has no letter or digit to make a column name from"));
            }
            let column = format!("dict_{snake}");
            if let Some(&other) = columns.get(&column) {
                let o = &self.categories[other];
                let msg = format!(
                    "categories '{}' (line {}) and '{name}' both become column prefix '{column}'",
                    o.name, o.line
                );
                self.error(line, msg);
            } else {
                columns.insert(column.clone(), ci);
            }
            self.categories[ci].column = column;
            let mut sub_columns: FxHashMap<String, usize> = FxHashMap::default();
            for si in 0..self.categories[ci].subs.len() {
                let sub = self.categories[ci].subs[si].clone();
                let s = snake_case(&sub.name);
                if s.is_empty() || !s.as_bytes()[0].is_ascii_lowercase() {
                    let msg =
                        format!("subcategory name '{}' must start with a letter (it becomes a column name)", sub.name);
                    self.error(sub.line, msg);
                } else if let Some(&line) = sub_columns.get(&s) {
                    self.error(
                        sub.line,
                        format!("subcategory '{}' of '{name}' repeats the one on line {line}", sub.name),
                    );
                } else {
                    sub_columns.insert(s.clone(), sub.line);
                }
                self.categories[ci].subs[si].column = s;
            }
        }
        let mut used = vec![Vec::new(); self.categories.len()];
        for (ci, c) in self.categories.iter().enumerate() {
            used[ci] = vec![0usize; c.subs.len()];
        }
        for e in &self.entries {
            used[e.category][e.sub] += 1;
        }
        for (c, used) in self.categories.clone().iter().zip(&used) {
            if c.subs.is_empty() || used.iter().all(|&n| n == 0) {
                self.error(c.line, format!("category '{}' has no entries", c.name));
                continue;
            }
            for (s, &n) in c.subs.iter().zip(used) {
                if n == 0 {
                    self.error(s.line, format!("subcategory '{}' of '{}' has no entries", s.name, c.name));
                }
            }
        }
        let mut an = Analyzer::new();
        let mut bad = Vec::new();
        for (i, e) in self.entries.iter_mut().enumerate() {
            match translate(&e.term) {
                Ok(p) => {
                    if let Err(m) = check_pattern(&p, &mut an) {
                        bad.push((i, e.line, format!("entry '{}': {m}", e.term)));
                    }
                    e.pattern = p;
                }
                Err(m) => bad.push((i, e.line, format!("entry '{}': {m}", e.term))),
            }
        }
        for (_, line, m) in &bad {
            self.error(*line, m.clone());
        }
        let bad: Vec<usize> = bad.into_iter().map(|b| b.0).collect();
        let mut i = 0;
        self.entries.retain(|_| {
            i += 1;
            !bad.contains(&(i - 1))
        });
        self.problems.sort_by_key(|p| p.line);
    }
}

/// Entry -> pattern: `word*` stays a prefix, a plain word becomes `~word`.
fn translate(term: &str) -> Result<String, String> {
    let mut out = Vec::new();
    for w in term.split_whitespace() {
        if w == "*" {
            return Err("a lone '*' would match every word".into());
        }
        if w.contains("**") {
            return Err(format!("bad wildcard '{w}': '**' (write one '*' at the end)"));
        }
        if w.contains(['(', ')', '/']) {
            return Err(format!(
                "'{w}': parentheses and '/' look like a LIWC 2007 conditional entry, which is not supported (it would never match)"
            ));
        }
        let stem = w.strip_suffix('*').unwrap_or(w);
        if stem.contains('*') {
            return Err(format!("bad wildcard '{w}': '*' is only allowed at the end of a word"));
        }
        out.push(if w.ends_with('*') { w.to_string() } else { format!("~{w}") });
    }
    if out.is_empty() {
        return Err("empty entry".into());
    }
    Ok(out.join(" "))
}

/// ASCII snake_case of a category name: lowercase letters and digits, runs
/// of anything else as one `_`, no leading or trailing `_`.
pub fn snake_case(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('_') {
            s.push('_');
        }
    }
    while s.ends_with('_') {
        s.pop();
    }
    s
}

/// Collects categories and entries, merging duplicates with a warning.
struct Builder<'a> {
    d: &'a mut Dictionary,
    /// (lowercase term, category, sub) -> first line.
    seen: FxHashMap<(String, usize, usize), usize>,
}

impl Builder<'_> {
    fn category(&mut self, name: &str, line: usize) -> usize {
        if let Some(i) = self.d.categories.iter().position(|c| c.name == name) {
            return i;
        }
        self.d.categories.push(DictCategory { name: name.into(), column: String::new(), subs: Vec::new(), line });
        self.d.categories.len() - 1
    }

    fn sub(&mut self, ci: usize, name: &str, line: usize) -> usize {
        let subs = &mut self.d.categories[ci].subs;
        if let Some(i) = subs.iter().position(|s| s.name == name) {
            return i;
        }
        subs.push(DictSubcategory { name: name.into(), column: String::new(), line });
        subs.len() - 1
    }

    fn entry(&mut self, term: &str, ci: usize, si: usize, weight: f64, line: usize) {
        let term = term.split_whitespace().collect::<Vec<_>>().join(" ");
        if term.is_empty() {
            self.d.error(line, "empty entry");
            return;
        }
        let key = (term.to_lowercase(), ci, si);
        if let Some(&first) = self.seen.get(&key) {
            let c = &self.d.categories[ci];
            let msg = format!("duplicate entry '{term}' in '{}' (first on line {first}); ignored", c.name);
            self.d.problem(line, Severity::Warning, msg);
            return;
        }
        self.seen.insert(key, line);
        self.d.entries.push(DictEntry { term, pattern: String::new(), category: ci, sub: si, weight, line });
    }
}

fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
}

/// LIWC `.dic`: `%`, `NUMBER NAME` lines, `%`, then `term NUMBER...`.
fn parse_liwc(b: &mut Builder, text: &str) {
    #[derive(PartialEq)]
    enum State {
        Before,
        Header,
        Entries,
    }
    let mut state = State::Before;
    let mut numbers: FxHashMap<u64, (usize, usize)> = FxHashMap::default();
    let mut last = 0;
    for (line, raw) in numbered_lines(text) {
        last = line;
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        match state {
            State::Before if l == "%" => state = State::Header,
            State::Before => {
                let term = l.split('\t').next().unwrap_or(l).trim();
                b.d.error(line, format!("entry '{term}' before the category header (a .dic file starts with a '%' line, then NUMBER NAME lines, then '%')"));
            }
            State::Header if l == "%" => state = State::Entries,
            State::Header => {
                let (num, name) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
                let name = name.trim();
                match num.parse::<u64>() {
                    Ok(n) if !name.is_empty() => {
                        if let Some(&(_, first)) = numbers.get(&n) {
                            b.d.error(line, format!("category number {n} declared twice (first on line {first})"));
                        } else {
                            let ci = b.category(name, line);
                            b.sub(ci, "term", line);
                            numbers.insert(n, (ci, line));
                        }
                    }
                    _ => b.d.error(line, format!("malformed header line '{l}': expected NUMBER<whitespace>NAME")),
                }
            }
            State::Entries if l == "%" => b.d.error(line, "unexpected '%' after the category header"),
            State::Entries => {
                let (term, codes): (String, Vec<&str>) = match l.split_once('\t') {
                    Some((t, c)) => (t.trim().to_string(), c.split_whitespace().collect()),
                    None => {
                        // No tab: the trailing run of numeric tokens are the codes.
                        let toks: Vec<&str> = l.split_whitespace().collect();
                        let mut k = toks.len();
                        while k > 1 && toks[k - 1].bytes().all(|c| c.is_ascii_digit()) {
                            k -= 1;
                        }
                        (toks[..k].join(" "), toks[k..].to_vec())
                    }
                };
                if codes.is_empty() {
                    b.d.error(line, format!("entry '{term}' has no category number"));
                    continue;
                }
                for code in codes {
                    match code.parse::<u64>() {
                        Ok(n) => match numbers.get(&n) {
                            Some(&(ci, _)) => b.entry(&term, ci, 0, 1.0, line),
                            None => b.d.error(line, format!("entry '{term}': unknown category number {n} (not in the header)")),
                        },
                        Err(_) => b.d.error(line, format!("entry '{term}': category code '{code}' is not a number (LIWC 2007 conditional codes such as '(02 134)125/464' are not supported)")),
                    }
                }
            }
        }
    }
    match state {
        State::Before => b.d.error(last.max(1), "no category header: a .dic file starts with a '%' line"),
        State::Header => b.d.error(last.max(1), "the category header is not closed by a '%' line"),
        State::Entries => {}
    }
}

/// A quoted or plain YAML scalar; `None` when it is not a string.
fn yaml_scalar(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if s.is_empty() || s == "~" || s == "null" || s == "Null" || s == "NULL" {
        return Err("entry is not a string (empty or null)");
    }
    if let Some(inner) = s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        return Ok(inner.replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    if let Some(inner) = s.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return Ok(inner.replace("''", "'"));
    }
    if s.starts_with('[') || s.starts_with('{') {
        return Err("entry is not a string (a list or mapping)");
    }
    if s.starts_with('"') || s.starts_with('\'') {
        return Err("unterminated quoted string");
    }
    if s.contains(": ") || s.ends_with(':') {
        return Err("entry is not a string (a mapping)");
    }
    if s.starts_with('*') && s.len() > 1 {
        // `*foo` is a YAML alias, never a dictionary term
        return Err("entry is not a string ('*name' is a YAML alias; quote it)");
    }
    Ok(s.to_string())
}

/// Remove a ` #` comment outside quotes.
fn strip_yaml_comment(l: &str) -> &str {
    let (mut dq, mut sq) = (false, false);
    let bytes = l.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        match c {
            b'"' if !sq => dq = !dq,
            b'\'' if !dq => sq = !sq,
            b'#' if !dq && !sq && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t') => return &l[..i],
            _ => {}
        }
    }
    l
}

/// `key: rest` outside quotes; `None` if the line is not a mapping key.
fn yaml_key(body: &str) -> Option<(String, &str)> {
    let (key, rest) = if body.starts_with('"') || body.starts_with('\'') {
        let q = body.as_bytes()[0] as char;
        let end = body[1..].find(q)? + 1;
        let rest = body[end + 1..].trim_start().strip_prefix(':')?;
        (body[1..end].to_string(), rest)
    } else {
        let i = body.find(": ").or_else(|| body.ends_with(':').then(|| body.len() - 1))?;
        (body[..i].trim().to_string(), &body[i + 1..])
    };
    Some((key, rest.trim()))
}

/// Items of a one-line flow list `[a, "b c", d*]`.
fn yaml_flow(s: &str) -> Option<Vec<&str>> {
    let inner = s.strip_prefix('[')?.strip_suffix(']')?;
    let mut items = Vec::new();
    let (mut start, mut dq, mut sq, mut depth) = (0, false, false, 0i32);
    for (i, c) in inner.char_indices() {
        match c {
            '"' if !sq => dq = !dq,
            '\'' if !dq => sq = !sq,
            '[' | '{' if !dq && !sq => depth += 1,
            ']' | '}' if !dq && !sq => depth -= 1,
            ',' if !dq && !sq && depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner[start..].trim().is_empty() || !items.is_empty() {
        items.push(&inner[start..]);
    }
    Some(items)
}

/// quanteda-style YAML dictionary: `category: [terms]`, or `category:`
/// followed by `- term` lines, or one level of `subcategory:` keys.
///
/// A hand parser of this subset rather than a YAML crate: `serde_yaml` is
/// deprecated, and `slant dict validate` must report every problem with its
/// line number, which a serde deserializer stops short of (it fails at the
/// first type error). Anchors, tags and block scalars are not dictionary
/// syntax and are reported as errors.
fn parse_yaml(b: &mut Builder, text: &str) {
    let mut cat: Option<(usize, usize)> = None; // (category, indent)
    let mut sub: Option<(usize, usize)> = None; // (subcategory, indent)
    let mut direct = false; // the current category has terms without a subcategory
    for (line, raw) in numbered_lines(text) {
        let l = strip_yaml_comment(raw).trim_end();
        let body = l.trim_start();
        if body.is_empty() || body == "---" || body == "..." {
            continue;
        }
        let lead = &l[..l.len() - body.len()];
        if lead.contains('\t') {
            b.d.error(line, "tab in indentation (YAML indents with spaces)");
            continue;
        }
        let indent = lead.len();
        let item = body.strip_prefix("- ").or((body == "-").then_some(""));
        if let Some(item) = item {
            let target = match (cat, sub) {
                (Some((ci, _)), Some((si, sind))) if indent >= sind => Some((ci, si)),
                (Some((ci, cind)), _) if indent >= cind => {
                    if sub.is_some() {
                        b.d.error(line, "a term directly under a category that has subcategories");
                        continue;
                    }
                    direct = true;
                    Some((ci, b.sub(ci, "term", line)))
                }
                _ => None,
            };
            let Some((ci, si)) = target else {
                b.d.error(line, "list item outside a category");
                continue;
            };
            match yaml_scalar(item) {
                Ok(t) => b.entry(&t, ci, si, 1.0, line),
                Err(m) => b.d.error(line, m),
            }
            continue;
        }
        let Some((key, rest)) = yaml_key(body) else {
            b.d.error(line, format!("cannot read '{body}': expected 'category:', 'subcategory:' or '- term'"));
            continue;
        };
        let (ci, si) = if indent == 0 {
            let ci = b.category(&key, line);
            cat = Some((ci, 0));
            sub = None;
            direct = false;
            if rest.is_empty() {
                continue;
            }
            (ci, b.sub(ci, "term", line))
        } else {
            let Some((ci, _)) = cat else {
                b.d.error(line, "indented key before any category");
                continue;
            };
            if let Some((_, sind)) = sub {
                if indent > sind {
                    b.d.error(
                        line,
                        format!("'{key}': nesting deeper than category -> subcategory -> terms is not supported"),
                    );
                    continue;
                }
            }
            if direct {
                b.d.error(line, format!("subcategory '{key}' in a category that also has terms of its own"));
                continue;
            }
            let si = b.sub(ci, &key, line);
            sub = Some((si, indent));
            if rest.is_empty() {
                continue;
            }
            (ci, si)
        };
        match yaml_flow(rest) {
            Some(items) => {
                if indent == 0 {
                    direct = true;
                }
                for it in items {
                    match yaml_scalar(it) {
                        Ok(t) => b.entry(&t, ci, si, 1.0, line),
                        Err(m) => b.d.error(line, m),
                    }
                }
            }
            None => {
                b.d.error(line, format!("'{key}' must map to a list of terms (or to subcategories), not to '{rest}'"))
            }
        }
    }
}

/// `term,category[,weight]` with a header row.
fn parse_csv(b: &mut Builder, text: &str) {
    let mut r =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut header = true;
    for rec in r.records() {
        let rec = match rec {
            Ok(rec) => rec,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                b.d.error(line, format!("unreadable CSV row: {e}"));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(str::is_empty) {
            continue;
        }
        if header {
            header = false;
            let h: Vec<String> = rec.iter().map(str::to_ascii_lowercase).collect();
            if h.len() < 2
                || h.len() > 3
                || h[0] != "term"
                || h[1] != "category"
                || h.get(2).is_some_and(|w| w != "weight")
            {
                let msg = format!(
                    "header row '{}' is not 'term,category[,weight]' (the first row is always read as the header)",
                    rec.iter().collect::<Vec<_>>().join(",")
                );
                b.d.problem(line, Severity::Warning, msg);
            }
            continue;
        }
        if rec.len() < 2 || rec.len() > 3 {
            b.d.error(line, format!("expected 2 or 3 fields (term,category[,weight]), found {}", rec.len()));
            continue;
        }
        let (term, cat) = (&rec[0], &rec[1]);
        if cat.is_empty() {
            b.d.error(line, "empty category");
            continue;
        }
        let weight = match rec.get(2).filter(|w| !w.is_empty()) {
            None => 1.0,
            Some(w) => match w.parse::<f64>() {
                Ok(x) if x.is_finite() => x,
                _ => {
                    b.d.error(line, format!("weight '{w}' is not a number"));
                    continue;
                }
            },
        };
        let ci = b.category(cat, line);
        let si = b.sub(ci, "term", line);
        b.entry(term, ci, si, weight, line);
    }
    if header {
        b.d.error(1, "no header row (term,category[,weight]) and no entries");
    }
}

impl Lexicon {
    /// Add a parsed dictionary's categories and patterns. Fails if the file
    /// has errors or a category collides with one already in the lexicon.
    pub fn add_dictionary(&mut self, d: &Dictionary) -> Result<(), TableError> {
        let file = &d.source.name;
        let n_errors = d.errors().count();
        if let Some(first) = d.errors().next() {
            return Err(TableError {
                file: file.clone(),
                line: first.line,
                message: format!(
                    "{} (and {} more error(s); `slant dict validate {file}` lists them all)",
                    first.message,
                    n_errors - 1
                ),
            });
        }
        let src = self.extra_sources.len();
        let first_cat = self.categories.len();
        for (ci, c) in d.categories.iter().enumerate() {
            if let Some(existing) = self.category_index(&c.column) {
                let other = match self.categories[existing].source {
                    Some(j) => format!("dictionary {}", self.extra_sources[j].name),
                    None => format!("lexicon {}", self.source.name),
                };
                return Err(TableError {
                    file: file.clone(),
                    line: c.line,
                    message: format!(
                        "category '{}' becomes '{}', which {other} already defines (rename one of them)",
                        c.name, c.column
                    ),
                });
            }
            let n = d.entries.iter().filter(|e| e.category == ci).count();
            self.categories.push(Category {
                name: c.column.clone(),
                description: format!("Dictionary category '{}' ({} entries, {file}).", c.name, n),
                subcategories: c
                    .subs
                    .iter()
                    .map(|s| Subcategory {
                        name: s.column.clone(),
                        description: if s.name == "term" && c.subs.len() == 1 {
                            format!("Entries of dictionary category '{}'.", c.name)
                        } else {
                            format!("Entries of dictionary category '{}/{}'.", c.name, s.name)
                        },
                    })
                    .collect(),
                negatable: false,
                source: Some(src),
            });
        }
        self.extra_sources.push(d.source.clone());
        for e in &d.entries {
            self.patterns.push(PatternSpec {
                pattern: e.pattern.clone(),
                weight: e.weight,
                origin: Some(Origin { source: src, entry: e.term.clone() }),
                ..PatternSpec::new(first_cat + e.category, Some(e.sub), e.line)
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(d: &Dictionary) -> Vec<(usize, String)> {
        d.errors().map(|p| (p.line, p.message.clone())).collect()
    }

    #[test]
    fn liwc_parses_header_entries_wildcards_and_phrases() {
        let text = "\u{feff}%\r\n1\tEconomy\r\n2 security\r\n%\r\n\r\ntax\t1\r\nbudget*  1 2\r\nkind of\t2\r\nsafe harbor 2\r\ntax\t1\r\n";
        let d = Dictionary::parse_as(DictFormat::Liwc, "t.dic", text);
        assert_eq!(errors(&d), vec![]);
        let cats: Vec<&str> = d.categories.iter().map(|c| c.column.as_str()).collect();
        assert_eq!(cats, ["dict_economy", "dict_security"]);
        let got: Vec<(&str, &str, usize)> =
            d.entries.iter().map(|e| (e.term.as_str(), e.pattern.as_str(), e.category)).collect();
        assert_eq!(
            got,
            [
                ("tax", "~tax", 0),
                ("budget*", "budget*", 0),
                ("budget*", "budget*", 1),
                ("kind of", "~kind ~of", 1),
                ("safe harbor", "~safe ~harbor", 1)
            ]
        );
        assert_eq!(d.warnings().count(), 1);
        assert_eq!(d.warnings().next().unwrap().line, 10);
    }

    #[test]
    fn liwc_reports_every_problem() {
        let text = "early\t1\n%\n1\teco\nx\n3\tempty\n%\ntax\t1 7\nab*c\t1\n**\t1\n*\t1\nfoo\t(02 134)125/464\n";
        let d = Dictionary::parse_as(DictFormat::Liwc, "t.dic", text);
        let lines: Vec<usize> = errors(&d).iter().map(|e| e.0).collect();
        assert_eq!(lines, [1, 4, 5, 7, 8, 9, 10, 11, 11], "{:?}", errors(&d));
    }

    #[test]
    fn yaml_flat_nested_and_flow() {
        let text = "# comment\neconomy:\n  - tax\n  - \"budget*\"   # trailing comment\n  - kind of\nsecurity:\n  defence:\n    - army\n  police: [police*, 'patrol']\n";
        let d = Dictionary::parse_as(DictFormat::Yaml, "t.yml", text);
        assert_eq!(errors(&d), vec![]);
        assert_eq!(d.categories[1].subs.iter().map(|s| s.column.as_str()).collect::<Vec<_>>(), ["defence", "police"]);
        let got: Vec<(&str, usize, usize)> = d.entries.iter().map(|e| (e.term.as_str(), e.category, e.sub)).collect();
        assert_eq!(
            got,
            [("tax", 0, 0), ("budget*", 0, 0), ("kind of", 0, 0), ("army", 1, 0), ("police*", 1, 1), ("patrol", 1, 1)]
        );
    }

    #[test]
    fn yaml_errors() {
        let text = "economy:\n  - tax\n  - [a, b]\n  - key: value\n  -\nempty:\nsecurity: army\nnested:\n  a:\n    b:\n      - x\n";
        let d = Dictionary::parse_as(DictFormat::Yaml, "t.yml", text);
        let lines: Vec<usize> = errors(&d).iter().map(|e| e.0).collect();
        assert!(lines.contains(&3) && lines.contains(&4) && lines.contains(&5), "{:?}", errors(&d));
        assert!(lines.contains(&6) && lines.contains(&7) && lines.contains(&10), "{:?}", errors(&d));
    }

    #[test]
    fn csv_weights_and_errors() {
        let d = Dictionary::parse_as(
            DictFormat::Csv,
            "t.csv",
            "term,category,weight\ntax,economy,2.5\njobs,economy\n\"kind of\",security,\n",
        );
        assert_eq!(errors(&d), vec![]);
        let w: Vec<f64> = d.entries.iter().map(|e| e.weight).collect();
        assert_eq!(w, [2.5, 1.0, 1.0]);
        let d = Dictionary::parse_as(
            DictFormat::Csv,
            "t.csv",
            "term,category,weight\ntax,economy,x\njobs\na,b,1,2\nok,economy\n",
        );
        assert_eq!(errors(&d).iter().map(|e| e.0).collect::<Vec<_>>(), [2, 3, 4]);
    }

    #[test]
    fn snake_names_and_collisions() {
        assert_eq!(snake_case("Social Processes (2)"), "social_processes_2");
        let d = Dictionary::parse_as(DictFormat::Csv, "t.csv", "term,category\na,Eco nomy\nb,eco-nomy\n");
        assert_eq!(errors(&d).len(), 1);
        let mut lex = Lexicon::builtin();
        let a = Dictionary::parse_as(DictFormat::Csv, "a.csv", "term,category\ntax,economy\n");
        lex.add_dictionary(&a).unwrap();
        let e =
            lex.add_dictionary(&Dictionary::parse_as(DictFormat::Yaml, "b.yml", "Economy:\n  - jobs\n")).unwrap_err();
        assert!(e.to_string().contains("dictionary a.csv already defines"), "{e}");
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(DictFormat::from_path(Path::new("x.YAML")).unwrap(), DictFormat::Yaml);
        assert!(DictFormat::from_path(Path::new("x.txt"))
            .unwrap_err()
            .to_string()
            .contains("unknown dictionary format"));
    }
}
