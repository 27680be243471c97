//! The framing lexicon and the partisan sides file: plain data files a
//! researcher can read and edit (format documented in docs/LEXICONS.md and in
//! the header of `models/lexicons/framing.tsv`).

use super::table::{is_snake_case, parse_lines, Line, TableError};
use sha2::{Digest, Sha256};

/// The shipped lexicons, compiled into the binary so `slant` works from any
/// directory; `--lexicon` / `--sides` load edited copies instead.
pub const BUILTIN_FRAMING: &str = include_str!("../../models/lexicons/framing.tsv");
pub const BUILTIN_SIDES: &str = include_str!("../../models/lexicons/sides.tsv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subcategory {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub name: String,
    pub description: String,
    pub subcategories: Vec<Subcategory>,
    /// Matches preceded by a negator are flagged and not counted.
    pub negatable: bool,
    /// Index into [`Lexicon::extra_sources`] for a category added from a
    /// `--dict` dictionary; `None` for the lexicon's own categories.
    pub source: Option<usize>,
}

impl Category {
    pub fn sub_index(&self, name: &str) -> Option<usize> {
        self.subcategories.iter().position(|s| s.name == name)
    }
}

/// One pattern line, before compilation.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternSpec {
    pub pattern: String,
    pub group: usize,
    /// Subcategory index; `None` only for exclusions that apply to all.
    pub sub: Option<usize>,
    pub exclusion: bool,
    pub note: String,
    pub line: usize,
    /// What one counted match adds to `<category>_weighted` (1 unless a
    /// dictionary gives a weight).
    pub weight: f64,
    /// Set for patterns translated from a `--dict` dictionary entry.
    pub origin: Option<Origin>,
}

impl PatternSpec {
    /// An empty pattern for `group`/`sub` at `line`, weight 1.
    pub fn new(group: usize, sub: Option<usize>, line: usize) -> Self {
        PatternSpec {
            pattern: String::new(),
            group,
            sub,
            exclusion: false,
            note: String::new(),
            line,
            weight: 1.0,
            origin: None,
        }
    }
}

/// Where a dictionary pattern came from: the entry as written in the file,
/// and the file (an index into [`Lexicon::extra_sources`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source: usize,
    pub entry: String,
}

/// Where a table came from, for the manifest and for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// File path, or `builtin:<name>` for the shipped copy.
    pub name: String,
    pub sha256: String,
    /// The exact text that was hashed and parsed, so a model file embeds
    /// the same bytes its recorded SHA-256 describes.
    pub text: std::sync::Arc<str>,
}

impl Source {
    pub fn new(name: &str, text: &str) -> Self {
        Source { name: name.to_string(), sha256: format!("{:x}", Sha256::digest(text.as_bytes())), text: text.into() }
    }
}

/// Categories produced by code rules rather than patterns. They exist even if
/// a lexicon does not declare them, so the output columns are stable.
pub const CODE_RULE_SUBCATEGORIES: &[(&str, &str, &str)] = &[
    ("distancing", "scare_quote", "A quotation of one to three words in a sentence without a speech verb outside it, not after a naming verb (called, dubbed, known as) or a mention noun (the word, the slogan), and not a title: the author holds the words at arm's length (code rule)."),
    ("sourcing", "named", "A speech verb with a capitalised name or a title word (see @titles) within four words before or three after it, in the author's voice (code rule)."),
    ("quotation", "direct", "A quotation of four or more words, or any quotation in a sentence that has a speech verb outside it or right after a naming verb (called, dubbed, known as) (code rule)."),
    ("quotation", "indirect", "A speech verb in the author's voice in a sentence with no quotation: reported speech (code rule)."),
];

const CODE_RULE_CATEGORIES: &[(&str, &str)] = &[
    ("distancing", "Distancing: the author signals the words or claims are someone else's."),
    ("sourcing", "Who the information is attributed to: named, anonymous or vague sources."),
    ("quotation", "Direct quotations and indirect (reported) speech (code rules)."),
];

#[derive(Debug, Clone)]
pub struct Lexicon {
    pub source: Source,
    pub categories: Vec<Category>,
    pub patterns: Vec<PatternSpec>,
    pub negators: Vec<String>,
    pub negation_window: usize,
    /// Lowercase title/role words for the named-source rule.
    pub titles: Vec<String>,
    /// Lowercase words whose matches count only in a present-tense frame
    /// (`@present_frame`, e.g. hypothetical "would"; see signals::modality).
    pub present_frame: Vec<String>,
    /// Dictionaries added with `--dict`, in order (file name and SHA-256),
    /// for the manifest; their categories and patterns follow the lexicon's.
    pub extra_sources: Vec<Source>,
}

fn err(file: &str, line: usize, message: impl Into<String>) -> TableError {
    TableError { file: file.to_string(), line, message: message.into() }
}

impl Lexicon {
    pub fn builtin() -> Self {
        Self::parse("builtin:framing.tsv", BUILTIN_FRAMING).expect("shipped lexicon parses (tested)")
    }

    /// Parse a lexicon file. Every problem is reported with its line number.
    pub fn parse(file: &str, text: &str) -> Result<Self, TableError> {
        let mut lex = Lexicon {
            source: Source::new(file, text),
            categories: Vec::new(),
            patterns: Vec::new(),
            negators: Vec::new(),
            negation_window: 3,
            titles: Vec::new(),
            present_frame: Vec::new(),
            extra_sources: Vec::new(),
        };
        let lines = parse_lines(text);
        let mut negatable: Vec<(String, usize)> = Vec::new();
        for l in &lines {
            let Line::Directive { name, fields, line } = l else { continue };
            let line = *line;
            let field = |i: usize, what: &str| {
                fields
                    .get(i)
                    .filter(|f| !f.is_empty())
                    .cloned()
                    .ok_or_else(|| err(file, line, format!("@{name} needs {what}")))
            };
            match name.as_str() {
                "category" => {
                    let cat = field(0, "a category name")?;
                    if !is_snake_case(&cat) {
                        return Err(err(file, line, format!("category name '{cat}' must be ASCII snake_case")));
                    }
                    if lex.category_index(&cat).is_some() {
                        return Err(err(file, line, format!("category '{cat}' declared twice")));
                    }
                    lex.categories.push(Category {
                        name: cat,
                        description: fields.get(1).cloned().unwrap_or_default(),
                        subcategories: Vec::new(),
                        negatable: false,
                        source: None,
                    });
                }
                "subcategory" => {
                    let cat = field(0, "a category name")?;
                    let sub = field(1, "a subcategory name")?;
                    if !is_snake_case(&sub) {
                        return Err(err(file, line, format!("subcategory name '{sub}' must be ASCII snake_case")));
                    }
                    let ci = lex
                        .category_index(&cat)
                        .ok_or_else(|| err(file, line, format!("subcategory of undeclared category '{cat}' (declare it with @category first)")))?;
                    if lex.categories[ci].sub_index(&sub).is_some() {
                        return Err(err(file, line, format!("subcategory '{cat}/{sub}' declared twice")));
                    }
                    lex.categories[ci].subcategories.push(Subcategory { name: sub, description: fields.get(2).cloned().unwrap_or_default() });
                }
                "negatable" => negatable.push((field(0, "a category name")?, line)),
                "negators" => {
                    lex.negators = fields.iter().flat_map(|f| f.split_whitespace()).map(|w| w.to_lowercase().replace('\u{2019}', "'")).collect()
                }
                "negation_window" => {
                    let v = field(0, "a number of words")?;
                    lex.negation_window = v
                        .parse()
                        .ok()
                        .filter(|&n| n <= 10)
                        .ok_or_else(|| err(file, line, format!("@negation_window must be a whole number from 0 to 10, not '{v}'")))?;
                }
                "titles" => lex.titles = fields.iter().flat_map(|f| f.split_whitespace()).map(str::to_lowercase).collect(),
                "present_frame" => {
                    lex.present_frame =
                        fields.iter().flat_map(|f| f.split_whitespace()).map(|w| w.to_lowercase().replace('\u{2019}', "'")).collect()
                }
                other => return Err(err(file, line, format!("unknown directive '@{other}' (known: @category @subcategory @negatable @negators @negation_window @titles @present_frame)"))),
            }
        }
        for (cat, line) in negatable {
            let ci = lex
                .category_index(&cat)
                .ok_or_else(|| err(file, line, format!("@negatable names undeclared category '{cat}'")))?;
            lex.categories[ci].negatable = true;
        }
        lex.add_code_rule_categories();
        for l in &lines {
            let Line::Row { fields, line } = l else { continue };
            let line = *line;
            if fields.len() < 3 {
                return Err(err(
                    file,
                    line,
                    format!(
                        "expected PATTERN<TAB>CATEGORY<TAB>SUBCATEGORY[<TAB>NOTE], found {} field(s)",
                        fields.len()
                    ),
                ));
            }
            let (pattern, exclusion) = match fields[0].strip_prefix('!') {
                Some(p) => (p.trim().to_string(), true),
                None => (fields[0].clone(), false),
            };
            if pattern.is_empty() {
                return Err(err(file, line, "empty pattern"));
            }
            let ci = lex.category_index(&fields[1]).ok_or_else(|| {
                err(
                    file,
                    line,
                    format!("unknown category '{}' (declared: {})", fields[1], lex.category_names().join(", ")),
                )
            })?;
            let sub = if exclusion && fields[2] == "*" {
                None
            } else {
                let cat = &lex.categories[ci];
                Some(cat.sub_index(&fields[2]).ok_or_else(|| {
                    let known: Vec<&str> = cat.subcategories.iter().map(|s| s.name.as_str()).collect();
                    err(
                        file,
                        line,
                        format!(
                            "unknown subcategory '{}' of '{}' (declared: {})",
                            fields[2],
                            cat.name,
                            known.join(", ")
                        ),
                    )
                })?)
            };
            lex.patterns.push(PatternSpec {
                pattern,
                exclusion,
                note: fields.get(3).cloned().unwrap_or_default(),
                ..PatternSpec::new(ci, sub, line)
            });
        }
        Ok(lex)
    }

    fn add_code_rule_categories(&mut self) {
        for (cat, desc) in CODE_RULE_CATEGORIES {
            if self.category_index(cat).is_none() {
                self.categories.push(Category {
                    name: cat.to_string(),
                    description: desc.to_string(),
                    subcategories: Vec::new(),
                    negatable: false,
                    source: None,
                });
            }
        }
        for (cat, sub, desc) in CODE_RULE_SUBCATEGORIES {
            let ci = self.category_index(cat).expect("added above");
            if self.categories[ci].sub_index(sub).is_none() {
                self.categories[ci]
                    .subcategories
                    .push(Subcategory { name: sub.to_string(), description: desc.to_string() });
            }
        }
    }

    pub fn category_index(&self, name: &str) -> Option<usize> {
        self.categories.iter().position(|c| c.name == name)
    }

    pub fn category_names(&self) -> Vec<&str> {
        self.categories.iter().map(|c| c.name.as_str()).collect()
    }

    /// Whether any pattern of category `ci` has a weight other than 1 (then
    /// the category gets a `<name>_weighted` column).
    pub fn has_weights(&self, ci: usize) -> bool {
        self.patterns.iter().any(|p| p.group == ci && !p.exclusion && p.weight != 1.0)
    }

    /// `file:line` of pattern `i` (the dictionary file for `--dict` patterns).
    pub fn pattern_location(&self, i: usize) -> String {
        let p = &self.patterns[i];
        let file = match &p.origin {
            Some(o) => &self.extra_sources[o.source].name,
            None => &self.source.name,
        };
        format!("{file}:{}", p.line)
    }

    /// The pattern as written: the dictionary entry for `--dict` patterns.
    pub fn pattern_text(&self, i: usize) -> &str {
        let p = &self.patterns[i];
        p.origin.as_ref().map_or(&p.pattern, |o| &o.entry)
    }
}

/// One dimension of partisan balance, e.g. party: democratic vs republican.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    pub name: String,
    pub side_a: String,
    pub side_b: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct Sides {
    pub source: Source,
    pub dimensions: Vec<Dimension>,
    /// `group` = dimension index, `sub` = 0 for side A, 1 for side B (`None`
    /// for an exclusion that applies to both).
    pub patterns: Vec<PatternSpec>,
}

impl Sides {
    pub fn builtin() -> Self {
        Self::parse("builtin:sides.tsv", BUILTIN_SIDES).expect("shipped sides file parses (tested)")
    }

    pub fn parse(file: &str, text: &str) -> Result<Self, TableError> {
        let mut sides = Sides { source: Source::new(file, text), dimensions: Vec::new(), patterns: Vec::new() };
        let lines = parse_lines(text);
        for l in &lines {
            let Line::Directive { name, fields, line } = l else { continue };
            if name != "dimension" {
                return Err(err(file, *line, format!("unknown directive '@{name}' (known: @dimension)")));
            }
            let usage = "expected @dimension<TAB>NAME<TAB>a=LABEL<TAB>b=LABEL[<TAB>DESCRIPTION]";
            if fields.len() < 3 {
                return Err(err(file, *line, usage));
            }
            let label = |f: &str, p: &str| f.strip_prefix(p).filter(|s| is_snake_case(s)).map(str::to_string);
            let (Some(a), Some(b)) = (label(&fields[1], "a="), label(&fields[2], "b=")) else {
                return Err(err(file, *line, format!("{usage} (labels in snake_case)")));
            };
            if !is_snake_case(&fields[0]) {
                return Err(err(file, *line, format!("dimension name '{}' must be ASCII snake_case", fields[0])));
            }
            if sides.dimensions.iter().any(|d| d.name == fields[0]) {
                return Err(err(file, *line, format!("dimension '{}' declared twice", fields[0])));
            }
            sides.dimensions.push(Dimension {
                name: fields[0].clone(),
                side_a: a,
                side_b: b,
                description: fields.get(3).cloned().unwrap_or_default(),
            });
        }
        for l in &lines {
            let Line::Row { fields, line } = l else { continue };
            if fields.len() < 3 {
                return Err(err(
                    file,
                    *line,
                    format!("expected PATTERN<TAB>DIMENSION<TAB>SIDE(a|b)[<TAB>NOTE], found {} field(s)", fields.len()),
                ));
            }
            let di = sides.dimensions.iter().position(|d| d.name == fields[1]).ok_or_else(|| {
                let known: Vec<&str> = sides.dimensions.iter().map(|d| d.name.as_str()).collect();
                err(file, *line, format!("unknown dimension '{}' (declared: {})", fields[1], known.join(", ")))
            })?;
            let (pattern, exclusion) = match fields[0].strip_prefix('!') {
                Some(p) => (p.trim().to_string(), true),
                None => (fields[0].clone(), false),
            };
            let side = match fields[2].as_str() {
                "a" => Some(0),
                "b" => Some(1),
                "*" if exclusion => None,
                other => {
                    return Err(err(
                        file,
                        *line,
                        format!("side must be 'a' or 'b' (or '*' for an exclusion), not '{other}'"),
                    ))
                }
            };
            sides.patterns.push(PatternSpec {
                pattern,
                exclusion,
                note: fields.get(3).cloned().unwrap_or_default(),
                ..PatternSpec::new(di, side, *line)
            });
        }
        Ok(sides)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = "# test\n@category\thedge\tHedges\n@subcategory\thedge\tmodal\tmodal verbs\n@negatable\thedge\n@negators\tnot never\n@negation_window\t2\n@titles\tsenator\nmay\thedge\tmodal\tnote\n!=May <num>\thedge\t*\tmonth\n";

    #[test]
    fn parses_a_small_lexicon() {
        let lex = Lexicon::parse("mini.tsv", MINI).unwrap();
        assert_eq!(lex.categories[0].name, "hedge");
        assert!(lex.categories[0].negatable);
        assert_eq!(lex.negators, vec!["not", "never"]);
        assert_eq!(lex.negation_window, 2);
        assert_eq!(lex.patterns.len(), 2);
        assert!(lex.patterns[1].exclusion && lex.patterns[1].sub.is_none());
        // code-rule categories are always present
        assert!(lex.category_index("quotation").is_some());
        assert!(lex.categories[lex.category_index("sourcing").unwrap()].sub_index("named").is_some());
    }

    #[test]
    fn present_frame_words_are_lowercased() {
        let lex = Lexicon::parse("f.tsv", "@present_frame\tWould wouldn\u{2019}t\n").unwrap();
        assert_eq!(lex.present_frame, vec!["would", "wouldn't"]);
        assert!(Lexicon::parse("f.tsv", MINI).unwrap().present_frame.is_empty());
    }

    #[test]
    fn errors_name_the_line() {
        let bad = "@category\thedge\tx\nmay\thedge\tmodel\n";
        let e = Lexicon::parse("bad.tsv", bad).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().starts_with("bad.tsv:2: unknown subcategory 'model'"), "{e}");
        let e = Lexicon::parse("bad.tsv", "@category\tHedge\n").unwrap_err();
        assert!(e.message.contains("snake_case"));
        let e = Lexicon::parse("bad.tsv", "@category\thedge\nmay\n").unwrap_err();
        assert!(e.message.contains("found 1 field"));
        let e = Lexicon::parse("bad.tsv", "@frobnicate\tx\n").unwrap_err();
        assert!(e.message.contains("unknown directive"));
    }

    #[test]
    fn sides_parse_and_errors() {
        let s = Sides::parse("s.tsv", "@dimension\tparty\ta=dem\tb=rep\tUS\nDemocrats\tparty\ta\t\nGOP\tparty\tb\t\n")
            .unwrap();
        assert_eq!(s.patterns.len(), 2);
        assert_eq!(s.patterns[1].sub, Some(1));
        let e = Sides::parse("s.tsv", "@dimension\tparty\ta=dem\tb=rep\nX\tparty\tc\n").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn shipped_files_parse() {
        let lex = Lexicon::builtin();
        assert!(lex.patterns.len() > 100);
        for cat in ["hedge", "distancing", "booster", "attribution", "sourcing", "loaded", "intensifier"] {
            assert!(lex.category_index(cat).is_some(), "missing category {cat}");
        }
        assert!(!Sides::builtin().dimensions.is_empty());
    }
}
