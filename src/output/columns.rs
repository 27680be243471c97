//! The single definition of every output column. The CSV headers, the rows
//! and the codebook are all generated from these lists, so they cannot drift
//! apart. Columns depend on the lexicon and sides file in use (their
//! categories become columns), so the lists are built at run time.

use crate::engine::{DocTokens, Scored, SENTENCE_FLAG_THRESHOLD};
use crate::keyness::TermScore;
use crate::kwic::KwicDoc;
use crate::models::artifact::{Level, TrainedModel};
use crate::signals::attribution::{Attribution, SourceType};
use crate::signals::lexicon::{Category, Dimension};
use crate::signals::lexicon::{Lexicon, Sides};
use crate::signals::stats::{balance, one_sided, per1k, share, voice_per1k, MIN_VOICE_WORDS};
use crate::signals::{Label, Rule, SignalSet};
use crate::summarize::{Bootstrap, DifferenceRow, SummaryRow, TermRow};
use std::sync::{Arc, OnceLock};

mod classifier;
pub use classifier::{
    cv_metrics_schema, metrics_schema, predictions_schema, top_features_schema, MetricRow, PredictionColumns,
    PredictionRow, TopFeatureRow,
};

/// A cell value before formatting.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Text(&'a str),
    Owned(String),
    /// Text shared by many rows (a match's category or rule): written
    /// without a copy made and freed per row.
    Shared(Arc<str>),
    /// Text in two pieces, written one after the other (`code:` and a rule's name).
    Joined(&'a str, &'a str),
    Int(usize),
    /// Decimal; `None` is undefined and written as an empty cell.
    Num(Option<f64>),
    /// 0/1; `None` is undefined.
    Flag(Option<bool>),
}

/// The type of a column, which fixes how its values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    /// Fixed number of decimals, `.` as the decimal mark.
    Decimal(usize),
    /// Full precision: the shortest decimal that reads back as the same
    /// binary64 value (metrics, probabilities), so figures recomputed from
    /// a file match the ones slant computed.
    Real,
    Flag,
}

impl Kind {
    fn name(self) -> String {
        match self {
            Kind::Text => "text".into(),
            Kind::Integer => "integer".into(),
            Kind::Decimal(d) => format!("decimal ({d} places)"),
            Kind::Real => "decimal (full precision)".into(),
            Kind::Flag => "flag (0/1)".into(),
        }
    }
}

/// Extracts a column's value from a row source `R` and an item index (the
/// sentence or match number; unused for document rows).
type Getter<R> = Box<dyn Fn(&R, usize) -> Value<'_> + Send + Sync>;

pub struct Column<R> {
    pub name: String,
    pub kind: Kind,
    pub unit: String,
    pub range: String,
    pub definition: String,
    pub source: String,
    /// The set of columns this one belongs to, for `score --columns`: a
    /// category, a sides dimension, `sources`, `text`, a model's name;
    /// `id` and `kept` are always written.
    pub group: String,
    get: Getter<R>,
}

/// Write a value the way its column says. Numbers are never locale-formatted.
pub fn format_value(kind: Kind, v: &Value<'_>, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    match (kind, v) {
        (_, Value::Text(s)) => out.push_str(s),
        (_, Value::Owned(s)) => out.push_str(s),
        (_, Value::Shared(s)) => out.push_str(s),
        (_, Value::Joined(a, b)) => {
            out.push_str(a);
            out.push_str(b);
        }
        (_, Value::Int(n)) => {
            let mut buf = [0u8; 20];
            let start = fill_digits(&mut buf, *n as u64, 0);
            push_ascii(&buf[start..], out);
        }
        (Kind::Decimal(d), Value::Num(Some(x))) if x.is_finite() => {
            if !write_fixed(*x, d, out) {
                let _ = write!(out, "{x:.d$}");
            }
        }
        (_, Value::Num(Some(x))) if x.is_finite() => {
            let _ = write!(out, "{x}");
        }
        (_, Value::Num(_)) => {}
        (_, Value::Flag(Some(b))) => out.push(if *b { '1' } else { '0' }),
        (_, Value::Flag(None)) => {}
    }
}

/// Powers of ten up to the most decimals [`write_fixed`] handles.
const POW10: [u64; 10] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/// Append `x` with `d` decimals exactly as `format!("{x:.d$}")` writes it
/// (the exact binary value rounded half to even, a minus sign on every
/// negative number, "-0.000" included), or return false without writing
/// when `x` is outside what is handled here: subnormals, magnitudes
/// of 2^93 and more, more than 9 decimals, or a result of 2^64 units or
/// more. The standard library's fixed-precision path fell back to its
/// arbitrary-precision algorithm for nearly every value of the score tables
/// (about 2,000 instructions each); this is one 128-bit product and shift.
fn write_fixed(x: f64, d: usize, out: &mut String) -> bool {
    if d >= POW10.len() || !x.is_finite() {
        return false;
    }
    if x == 0.0 {
        // A share or rate of nothing: "0.000" ("-0.000" for -0.0, as std).
        if x.is_sign_negative() {
            out.push('-');
        }
        out.push('0');
        if d > 0 {
            out.push('.');
            out.extend(std::iter::repeat_n('0', d));
        }
        return true;
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        return false;
    }
    // x = mantissa * 2^exp exactly; x * 10^d = scaled * 2^exp.
    let mantissa = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    let exp = biased - 1075;
    let scaled = mantissa as u128 * POW10[d] as u128;
    let units = if exp >= 0 {
        if exp > 40 {
            return false;
        }
        scaled << exp
    } else {
        let shift = (-exp) as u32;
        if shift > 126 {
            return false;
        }
        let (quotient, rest, half) = (scaled >> shift, scaled & ((1u128 << shift) - 1), 1u128 << (shift - 1));
        if rest > half || (rest == half && quotient & 1 == 1) {
            quotient + 1
        } else {
            quotient
        }
    };
    let Ok(units) = u64::try_from(units) else { return false };
    let (int, frac) = (units / POW10[d], units % POW10[d]);
    // Sign, up to 20 integer digits, the point and at most 9 decimals.
    let mut buf = [0u8; 32];
    let mut start = buf.len();
    if d > 0 {
        start = fill_digits(&mut buf[..start], frac, d) - 1;
        buf[start] = b'.';
    }
    start = fill_digits(&mut buf[..start], int, 0);
    if x < 0.0 {
        start -= 1;
        buf[start] = b'-';
    }
    push_ascii(&buf[start..], out);
    true
}

/// Write `n` in decimal, padded with leading zeros to at least `width`
/// digits, so that it ends at the end of `buf` (which must hold at least
/// 20 bytes and `width`); returns where it starts. As `{n:0width$}` writes
/// it: the tables' integers and decimals went through `core::fmt` (about
/// 250 instructions a number, a quarter of writing the evidence tables).
fn fill_digits(buf: &mut [u8], mut n: u64, width: usize) -> usize {
    let end = buf.len();
    let mut start = end;
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    while end - start < width {
        start -= 1;
        buf[start] = b'0';
    }
    start
}

/// Append ASCII bytes (digits, signs, the decimal point) without a UTF-8
/// validation pass, which cost more than the digits themselves.
fn push_ascii(bytes: &[u8], out: &mut String) {
    out.extend(bytes.iter().map(|&b| char::from(b)));
}

/// An ordered set of columns for one output file.
pub struct Schema<R> {
    pub file: &'static str,
    pub columns: Vec<Column<R>>,
    /// The group of the columns added next.
    group: String,
}

/// Column groups every selection keeps.
const ALWAYS_KEPT: [&str; 2] = ["id", "kept"];

impl<R> Schema<R> {
    fn new(file: &'static str) -> Self {
        Schema { file, columns: Vec::new(), group: String::new() }
    }

    /// The columns added from now on belong to `group`.
    fn group(&mut self, group: impl Into<String>) {
        self.group = group.into();
    }

    /// The column groups, in column order, without the ones always kept.
    pub fn groups(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.columns {
            if !c.group.is_empty() && !ALWAYS_KEPT.contains(&c.group.as_str()) && !out.contains(&c.group.as_str()) {
                out.push(&c.group);
            }
        }
        out
    }

    /// Keep the id and kept columns and the columns named in `wanted`:
    /// a group (`hedge` keeps every hedge_* column, `sources`, `party`,
    /// `text`) or a column's exact name. The order stays the schema's.
    /// A name that is neither is an error listing the groups.
    pub fn select(mut self, wanted: &[String]) -> Result<Self, crate::error::Error> {
        let wanted: Vec<&str> = wanted.iter().map(|w| w.trim()).filter(|w| !w.is_empty()).collect();
        if wanted.is_empty() {
            return Ok(self);
        }
        let unknown: Vec<&str> =
            wanted.iter().copied().filter(|w| !self.columns.iter().any(|c| c.group == *w || c.name == *w)).collect();
        if !unknown.is_empty() {
            return Err(crate::error::Error::invalid(format!(
                "--columns: {} {} neither a column group nor a column of the {} file. Groups: {}. \
                 Any column name is accepted too (`slant codebook` lists them). Always written: {}",
                unknown.iter().map(|u| format!("'{u}'")).collect::<Vec<_>>().join(", "),
                if unknown.len() == 1 { "is" } else { "are" },
                self.file,
                self.groups().join(", "),
                self.columns
                    .iter()
                    .filter(|c| ALWAYS_KEPT.contains(&c.group.as_str()))
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )));
        }
        self.columns.retain(|c| {
            ALWAYS_KEPT.contains(&c.group.as_str()) || wanted.iter().any(|w| c.group == *w || c.name == *w)
        });
        Ok(self)
    }

    #[allow(clippy::too_many_arguments)] // one call per column reads best with every field positional
    fn add(
        &mut self,
        name: impl Into<String>,
        kind: Kind,
        unit: &str,
        range: &str,
        definition: impl Into<String>,
        source: &str,
        get: impl Fn(&R, usize) -> Value<'_> + Send + Sync + 'static,
    ) {
        self.columns.push(Column {
            name: name.into(),
            kind,
            unit: unit.into(),
            range: range.into(),
            definition: definition.into(),
            source: source.into(),
            group: self.group.clone(),
            get: Box::new(get),
        });
    }

    pub fn kinds(&self) -> Vec<Kind> {
        self.columns.iter().map(|c| c.kind).collect()
    }

    pub fn header(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// Format row `index` of `r` into `cells` (reused between rows).
    /// Spreadsheet safety is applied when the row is written
    /// ([`super::table::Table::write`]).
    pub fn row(&self, r: &R, index: usize, cells: &mut Vec<String>) {
        cells.resize(self.columns.len(), String::new());
        for (c, cell) in self.columns.iter().zip(cells.iter_mut()) {
            format_value(c.kind, &(c.get)(r, index), cell);
        }
    }

    /// Codebook rows: file, column, type, unit, range, definition, source.
    pub fn codebook_rows(&self) -> Vec<[String; 7]> {
        self.columns
            .iter()
            .map(|c| {
                [
                    self.file.into(),
                    c.name.clone(),
                    c.kind.name(),
                    c.unit.clone(),
                    c.range.clone(),
                    c.definition.clone(),
                    c.source.clone(),
                ]
            })
            .collect()
    }
}

pub const CODEBOOK_HEADER: [&str; 7] = ["file", "column", "type", "unit", "range", "definition", "source"];

const OFFSETS: &str = "Offsets are 0-based Unicode character (code point) offsets into the document's normalised text (UTF-8 BOM removed, CRLF and CR turned into LF, NUL removed, Unicode NFC); char_end is exclusive.";

/// Where a category's columns come from: the lexicon, or a `--dict` file.
fn category_source(set: &SignalSet, cat: &Category) -> String {
    match cat.source {
        Some(j) => format!("dictionary {}", set.lexicon.extra_sources[j].name),
        None => format!("lexicon {}", set.lexicon.source.name),
    }
}

/// Columns of the per-document file (`-o`).
pub fn document_schema(set: &SignalSet, keep_cols: &[String], models: &[TrainedModel]) -> Schema<Scored> {
    let mut s: Schema<Scored> = Schema::new("scores");
    s.group("id");
    s.add("doc_id", Kind::Text, "", "", "Document id: the --id-col value; for a folder, the path relative to it without .txt; for a CSV/JSONL without an id, the 1-based record number.", "input", |r, _| Value::Text(&r.doc.id));
    s.group("kept");
    for (i, k) in keep_cols.iter().enumerate() {
        s.add(
            k.clone(),
            Kind::Text,
            "",
            "",
            format!("Copied unchanged from input column/field '{k}' (--keep-cols)."),
            "input",
            move |r, _| Value::Text(r.doc.kept.get(i).map_or("", String::as_str)),
        );
    }
    s.group("text");
    s.add(
        "n_words",
        Kind::Integer,
        "words",
        ">= 0",
        "Number of word tokens (words, numbers, URLs, e-mail addresses; punctuation excluded).",
        "text pipeline",
        |r, _| Value::Int(r.stats.n_words),
    );
    s.add(
        "n_sentences",
        Kind::Integer,
        "sentences",
        ">= 0",
        "Number of sentences found by the sentence splitter.",
        "text pipeline",
        |r, _| Value::Int(r.stats.n_sentences),
    );
    s.add("n_quoted_words", Kind::Integer, "words", "0..n_words", "Word tokens inside quotation marks (straight or curly double quotes, and the archive marks two apostrophes or two backticks; quotes continued across paragraphs included). Scare quotes (the author's own words in quotation marks, code rule scare_quote in --matches) are not quotations: their words count as the author's.", "text pipeline", |r, _| Value::Int(r.stats.n_quoted_words));
    s.add(
        "quoted_word_share",
        Kind::Decimal(4),
        "proportion",
        "0..1; empty when n_words = 0",
        "n_quoted_words / n_words: share of the text in quoted voice.",
        "text pipeline",
        |r, _| Value::Num(share(r.stats.n_quoted_words, r.stats.n_words)),
    );
    for (ci, cat) in set.lexicon.categories.iter().enumerate() {
        // Measured agreement applies to the shipped lexicon only.
        let validated = (cat.source.is_none() && set.lexicon.source.name.starts_with("builtin:"))
            .then(|| evidence_agreement(&cat.name))
            .flatten();
        s.group(cat.name.clone());
        category_columns(&mut s, ci, cat, &category_source(set, cat), set.lexicon.has_weights(ci), validated);
    }
    let sides_src = format!("sides file {}", set.sides.source.name);
    for (di, d) in set.sides.dimensions.iter().enumerate() {
        s.group(d.name.clone());
        dimension_columns(&mut s, di, d, &sides_src);
    }
    s.group("sources");
    source_doc_columns(&mut s);
    for (mi, m) in models.iter().enumerate() {
        s.group(m.file.name.clone());
        let src = model_source(m);
        for (k, (suffix, def)) in model_outputs(m).into_iter().enumerate() {
            let range = if suffix.ends_with("_sent_share50") {
                "0..1; empty when the document has no sentence"
            } else {
                "0..1; empty when the document has no words"
            };
            s.add(
                format!("p_{}_{suffix}", m.file.name),
                Kind::Decimal(4),
                "probability",
                range,
                def,
                &src,
                move |r, _| Value::Num(r.model_values[mi][k]),
            );
        }
        if let (Some(ml), Level::Document) = (&m.file.multi_label, m.file.level) {
            let (ml, labels) = (ml.clone(), m.file.labels.clone());
            let n = labels.len();
            s.add(
                format!("{}_labels", m.file.name),
                Kind::Text,
                "label set",
                &format!(
                    "labels of model '{}' joined by '{}'; empty: none, or the document has no words",
                    m.file.name, ml.label_sep
                ),
                multi_label_definition(m),
                &src,
                move |r, _| {
                    let p = &r.model_values[mi][..n];
                    Value::Owned(ml.predicted_joined(&labels, p.iter().map(|v| v.unwrap_or(f64::NAN))))
                },
            );
        }
    }
    s
}

/// The definition of a multi-label model's `<model>_labels` column.
fn multi_label_definition(m: &TrainedModel) -> String {
    let ml = m.file.multi_label.as_ref().expect("a multi-label model");
    format!(
        "Labels predicted by multi-label model '{}' (one-vs-rest): every label whose probability (the p_{}_<label> columns) is at least its threshold ({}), joined by '{}' in the model's label order; empty when no label reaches its threshold. Thresholds: {}.",
        m.file.name,
        m.file.name,
        m.file
            .labels
            .iter()
            .zip(&ml.thresholds)
            .map(|(l, t)| format!("{l} {t:.2}"))
            .collect::<Vec<_>>()
            .join(", "),
        ml.label_sep,
        ml.thresholds_chosen
    )
}

/// Span agreement of the shipped lexicon's category `name` with a careful
/// reader on evidence_gold, as measured by `scripts/validate_evidence.py
/// --figures-csv docs/evidence_figures.csv` (compiled in, so the codebook
/// says what the shipped build measured).
pub fn evidence_agreement(name: &str) -> Option<String> {
    const FIGURES: &str = include_str!("../../docs/evidence_figures.csv");
    // slant's category names vs the reference annotation's.
    let gold = match name {
        "sourcing" => "source",
        n => n,
    };
    FIGURES.lines().skip(1).find_map(|line| {
        let f: Vec<&str> = line.split(',').collect();
        (f.len() >= 7 && f[0] == gold).then(|| {
            format!(
                " Agreement with a careful reader (evidence_gold, 30 news articles, span overlap): precision {}, recall {}, F1 {}; Spearman {} between per-article counts (docs/VALIDATION.md).",
                f[1], f[2], f[3], f[4]
            )
        })
    })
}

fn category_columns(
    s: &mut Schema<Scored>,
    ci: usize,
    cat: &Category,
    src: &str,
    weighted: bool,
    validated: Option<String>,
) {
    let name = &cat.name;
    let what = if cat.description.is_empty() { name.clone() } else { cat.description.clone() };
    let what = match validated {
        Some(v) if what.ends_with('.') => format!("{what}{v}"),
        Some(v) => format!("{what}.{v}"),
        None => what,
    };
    s.add(
        format!("{name}_n"),
        Kind::Integer,
        "matches",
        ">= 0",
        format!(
            "Number of '{name}' matches (negated matches excluded{}). {what}",
            if name == "sourcing" {
                "; adjacent matches of one subcategory, one source phrase found by two patterns, count once"
            } else {
                ""
            }
        ),
        src,
        move |r, _| Value::Int(r.stats.categories[ci].n),
    );
    s.add(
        format!("{name}_per1k"),
        Kind::Decimal(3),
        "matches per 1,000 words",
        ">= 0; empty when n_words = 0",
        format!("{name}_n * 1000 / n_words. No minimum length (a headline or caption of a few words has a rate, unlike the voice rates below): one match in a 2-word text is 500, so for group comparisons use `slant summarize --weight n_words` (the pooled rate, {name}_n summed / n_words summed) or leave out short texts."),
        src,
        move |r, _| Value::Num(per1k(r.stats.categories[ci].n, r.stats.n_words)),
    );
    s.add(
        format!("{name}_author_per1k"),
        Kind::Decimal(3),
        "matches per 1,000 words",
        &format!(">= 0; empty when fewer than {MIN_VOICE_WORDS} words are outside quotations"),
        format!("'{name}' matches outside quotations per 1,000 words outside quotations (the author's voice); left empty below {MIN_VOICE_WORDS} such words, where one match would swing the rate."),
        src,
        move |r, _| Value::Num(voice_per1k(r.stats.categories[ci].author_n, r.stats.n_author_words())),
    );
    s.add(
        format!("{name}_quoted_per1k"),
        Kind::Decimal(3),
        "matches per 1,000 words",
        &format!(">= 0; empty when n_quoted_words < {MIN_VOICE_WORDS}"),
        format!("'{name}' matches inside quotations per 1,000 quoted words (quoted voice); left empty below {MIN_VOICE_WORDS} quoted words, where one match would swing the rate (`slant summarize --weight n_quoted_words` pools them over the documents with a rate)."),
        src,
        move |r, _| Value::Num(voice_per1k(r.stats.categories[ci].quoted_n, r.stats.n_quoted_words)),
    );
    if weighted {
        s.add(
            format!("{name}_weighted"),
            Kind::Decimal(3),
            "sum of weights",
            "any real number (weights may be negative)",
            format!(
                "Sum of the dictionary weights of the counted '{name}' matches (an entry without a weight counts 1)."
            ),
            src,
            move |r, _| Value::Num(Some(r.stats.categories[ci].weighted)),
        );
    }
    if cat.negatable {
        s.add(format!("{name}_negated_n"), Kind::Integer, "matches", ">= 0", format!("'{name}' matches preceded by a negator within the lexicon's negation window (e.g. 'not clear'); not counted in {name}_n."), src, move |r, _| {
            Value::Int(r.stats.categories[ci].negated_n)
        });
    }
    for (si, sub) in cat.subcategories.iter().enumerate() {
        let def = if sub.description.is_empty() {
            format!("Matches of '{name}/{}'.", sub.name)
        } else {
            format!("Matches of '{name}/{}': {}", sub.name, sub.description)
        };
        s.add(format!("{name}_{}_n", sub.name), Kind::Integer, "matches", ">= 0", def, src, move |r, _| {
            Value::Int(r.stats.categories[ci].subs[si])
        });
    }
}

fn dimension_columns(s: &mut Schema<Scored>, di: usize, d: &Dimension, src: &str) {
    let n = &d.name;
    for (side, label) in [(0usize, &d.side_a), (1usize, &d.side_b)] {
        s.add(
            format!("{n}_{label}_mentions_n"),
            Kind::Integer,
            "mentions",
            ">= 0",
            format!("Mentions of side '{label}' of dimension '{n}' ({}).", d.description),
            src,
            move |r, _| Value::Int(r.stats.dimensions[di].mentions[side]),
        );
        s.add(format!("{n}_{label}_statements_n"), Kind::Integer, "statements", ">= 0", format!("Statements attributed to side '{label}': rows of the --sources table (author's voice) whose side_{n} is '{label}': the speaker is a side mention next to the verb (within 5 tokens before it, or right after it ending the clause: ', said Republicans.'), inside the source phrase or its appositive ('said Republican Bob Meyer', 'Sen. Wyden, the Oregon Democrat, said'), or a named source given that side earlier in the document ('Name, a Republican', 'Name (R-Ohio)', 'Democrat Bob Casey'), also through a pronoun resolved to it (see docs/LEXICONS.md)."),
            src, move |r, _| Value::Int(r.stats.dimensions[di].statements[side]));
        s.add(
            format!("{n}_{label}_quoted_words"),
            Kind::Integer,
            "words",
            ">= 0",
            format!("Words inside quotation marks in the content of the statements attributed to side '{label}' (direct and mixed attributions of the --sources table, author's voice): how much room that side gets in its own words."),
            src,
            move |r, _| Value::Int(r.stats.sources.quoted_words[di][side]),
        );
    }
    let (a, b) = (d.side_a.clone(), d.side_b.clone());
    s.add(
        format!("{n}_{a}_statement_share"),
        Kind::Decimal(4),
        "proportion",
        "0..1; empty when no statement is attributed to either side",
        format!("{n}_{a}_statements_n / ({n}_{a}_statements_n + {n}_{b}_statements_n)."),
        src,
        move |r, _| {
            let c = &r.stats.dimensions[di];
            Value::Num(share(c.statements[0], c.statements[0] + c.statements[1]))
        },
    );
    s.add(format!("{n}_balance"), Kind::Decimal(4), "index", "0..1 (1 = both sides equally quoted); empty when neither side has a statement", format!("Balance of attributed statements: 1 - |A - B| / (A + B) with A, B = {n}_{a}_statements_n, {n}_{b}_statements_n."), src, move |r, _| {
        let c = &r.stats.dimensions[di];
        Value::Num(balance(c.statements[0], c.statements[1]))
    });
    s.add(
        format!("{n}_mention_balance"),
        Kind::Decimal(4),
        "index",
        "0..1 (1 = both sides equally mentioned); empty when neither side is mentioned",
        format!("Balance of mentions: 1 - |A - B| / (A + B) with A, B = {n}_{a}_mentions_n, {n}_{b}_mentions_n."),
        src,
        move |r, _| {
            let c = &r.stats.dimensions[di];
            Value::Num(balance(c.mentions[0], c.mentions[1]))
        },
    );
    s.add(format!("{n}_one_sided"), Kind::Flag, "flag", "0/1; empty when neither side appears", "1 when only one side is mentioned or quoted at all, or when statements are attributed to one side only; 0 when both sides are present and either both or neither have statements.", src, move |r, _| Value::Flag(one_sided(&r.stats.dimensions[di])));
}

const ATTRIBUTION_SRC: &str = "attribution records (code rule over the attribution and sourcing lexicon categories)";

/// Per-document summaries of the attribution records (the `--sources` table).
fn source_doc_columns(s: &mut Schema<Scored>) {
    s.add(
        "statements_n",
        Kind::Integer,
        "statements",
        ">= 0",
        "Attributions in the author's voice: rows of the --sources table with in_quote = 0 (a reporting verb or 'according to' with its source, if any, and content).",
        ATTRIBUTION_SRC,
        |r, _| Value::Int(r.stats.sources.statements),
    );
    for (ti, t) in SourceType::ALL.iter().enumerate() {
        let name = t.name();
        s.add(
            format!("sources_{name}_n"),
            Kind::Integer,
            "statements",
            "0..statements_n",
            format!("Statements (author's voice) whose source_type is '{name}' ({}).", source_type_definition(*t)),
            ATTRIBUTION_SRC,
            move |r, _| Value::Int(r.stats.sources.by_type[ti]),
        );
        s.add(
            format!("sources_{name}_share"),
            Kind::Decimal(4),
            "proportion",
            "0..1; empty when statements_n = 0",
            format!("sources_{name}_n / statements_n."),
            ATTRIBUTION_SRC,
            move |r, _| Value::Num(share(r.stats.sources.by_type[ti], r.stats.sources.statements)),
        );
    }
    s.add(
        "sources_named_distinct_n",
        Kind::Integer,
        "sources",
        ">= 0",
        "Distinct named sources (named_person or named_org, and pronouns resolved to one) among the statements, told apart by the last word of the name ('Ana Ruiz' and 'Ruiz' are one source).",
        ATTRIBUTION_SRC,
        |r, _| Value::Int(r.stats.sources.distinct_named),
    );
}

/// What each source type means (codebook and --sources table).
fn source_type_definition(t: SourceType) -> &'static str {
    match t {
        SourceType::NamedPerson => "a person identified by name or by a unique office: 'Sen. Ana Ruiz', 'the mayor'",
        SourceType::NamedOrg => "an organisation identified by name: 'the Pentagon', 'CNN', 'the company'; a country or capital speaking for its government: 'Russia', 'Beijing'",
        SourceType::Anonymous => "a specific source whose identity the writer withholds: 'a senior official', 'two people familiar with the matter'",
        SourceType::Vague => "an unspecified group or indefinite source: 'critics', 'some experts', 'officials', 'Republicans' speaking as a group",
        SourceType::Pronoun => "a personal pronoun ('she said'); source_name is the nearest earlier named source of a compatible kind, if any (he/she skip a person the text gives the other gender: an honorific, a first name of the U.S. census list, a female role word such as 'spokeswoman', or a surname so named elsewhere in the document; none for he/she, when a person is among them, and it, when an organisation is, after two joined names, 'Ana Ruiz and Tom Hale said', until another named source of their kind; none for I/we in the author's voice: the writer, except after 'said:' or in single quotation marks next to a speech verb; inside a quotation, I/we are the source the quotation is attributed to); or the relative pronoun 'who' ('Park, who said'); source_name is then the phrase it stands for, when that is named",
        SourceType::None => "no source phrase found: an agentless attribution, or one the rules could not parse",
    }
}

/// The token range of one part of an attribution (cue, source, content).
type RangeOf = fn(&Attribution) -> Option<(usize, usize)>;

/// Columns of the attribution table (`--sources`): one row per attribution.
pub fn source_schema(set: &SignalSet) -> Schema<Scored> {
    fn rec(r: &Scored, i: usize) -> &Attribution {
        &r.signals.attributions[i]
    }
    /// Character offsets and text of a token range.
    fn chars(r: &Scored, range: Option<(usize, usize)>) -> Option<(usize, usize, &str)> {
        let (a, b) = range?;
        let t = &r.signals.analyzed.tokens;
        let (x, y) = (&t[a].span, &t[b - 1].span);
        Some((x.char_start, y.char_end, &r.doc.text[x.start..y.end]))
    }
    fn int(v: Option<usize>) -> Value<'static> {
        v.map_or(Value::Num(None), Value::Int)
    }
    let mut s: Schema<Scored> = Schema::new("sources");
    s.add("doc_id", Kind::Text, "", "", "Document id (as in the scores file).", "input", |r, _| Value::Text(&r.doc.id));
    s.add(
        "attribution_idx",
        Kind::Integer,
        "index",
        ">= 0",
        "0-based position of the attribution in the document (text order of the cues).",
        ATTRIBUTION_SRC,
        |_, i| Value::Int(i),
    );
    s.add(
        "sentence_idx",
        Kind::Integer,
        "index",
        ">= 0",
        "0-based sentence of the cue (as in the sentences file).",
        "text pipeline",
        |r, i| Value::Int(rec(r, i).sentence as usize),
    );
    let roles: [(&str, &str, RangeOf); 3] = [
        ("cue", "The reporting verb or phrase ('said', 'according to'): the same span as its 'attribution' row in the --matches file.", |a| Some(a.cue)),
        ("source", "The noun phrase of the source: the subject before the verb, the name past an appositive ('Ruiz, a spokeswoman, said'), the phrase after an inverted verb ('said Ruiz') or after 'according to'; empty when none was found. Named, anonymous and vague sources are also 'sourcing' rows of the --matches file (pronouns are not, as the evidence guidelines do not count them).", |a| a.source),
        ("content", "What is attributed: the adjacent quotation (two halves of a split quotation together), else the reported clause after the cue (or before it when the cue and source close the sentence), to the end of the sentence.", |a| a.content),
    ];
    for (role, def, get) in roles {
        s.add(
            format!("{role}_start"),
            Kind::Integer,
            "characters",
            ">= 0; empty when absent",
            format!("Start of the {role}. {def} {OFFSETS}"),
            ATTRIBUTION_SRC,
            move |r, i| int(chars(r, get(rec(r, i))).map(|c| c.0)),
        );
        s.add(
            format!("{role}_end"),
            Kind::Integer,
            "characters",
            "> start; empty when absent",
            format!("End of the {role} (exclusive)."),
            ATTRIBUTION_SRC,
            move |r, i| int(chars(r, get(rec(r, i))).map(|c| c.1)),
        );
        s.add(format!("{role}_text"), Kind::Text, "", "", format!("The text of the {role}."), "input", move |r, i| {
            Value::Text(chars(r, get(rec(r, i))).map_or("", |c| c.2))
        });
        if role == "source" {
            let types: Vec<String> =
                SourceType::ALL.iter().map(|t| format!("{}: {}", t.name(), source_type_definition(*t))).collect();
            s.add(
                "source_type",
                Kind::Text,
                "",
                "named_person, named_org, anonymous, vague, pronoun, none",
                format!("Type of the source. {}.", types.join("; ")),
                ATTRIBUTION_SRC,
                |r, i| Value::Text(rec(r, i).source_type.name()),
            );
            s.add("source_name", Kind::Text, "", "", "The name the source stands for: the source text when named, the named source a pronoun resolves to (the nearest earlier named source in the document, antecedents of 'who' included: a person for he/she/I, for he/she not one the text gives the other gender (an honorific, a first name of the U.S. census list, a female role word, a surname so named elsewhere in the document), an organisation for it, an organisation, a group or two joined names ('Ana Ruiz and Tom Hale') for they/we; after two joined names he/she (a person among them) and it (an organisation among them) stay unresolved until another named source of their kind, and so do I/we in the author's voice, the writer (not after 'said:' nor in single quotation marks next to a speech verb); I/we inside a quotation are the source of the record the quotation is attributed to; for a relative 'who', its antecedent: 'Park' in 'Park, who said'); empty for anonymous, vague and unresolved sources.", ATTRIBUTION_SRC, |r, i| Value::Text(chars(r, rec(r, i).name).map_or("", |c| c.2)));
        }
    }
    s.add("mode", Kind::Text, "", "direct, indirect, mixed", "direct: the content is a quotation; indirect: a reported clause without quotation marks; mixed: a reported clause with a quoted part.", ATTRIBUTION_SRC, |r, i| Value::Text(rec(r, i).mode.name()));
    s.add("verb_class", Kind::Text, "", "neutral, loaded", "The cue's attribution subcategory in the lexicon: neutral (said, told, according to) or loaded (claimed, admitted, slammed: the verb also judges the statement or the speaker).", "lexicon", |r, i| Value::Text(rec(r, i).verb_class.name()));
    for (di, d) in set.sides.dimensions.iter().enumerate() {
        let labels = [d.side_a.clone(), d.side_b.clone()];
        s.add(
            format!("side_{}", d.name),
            Kind::Text,
            "",
            &format!("{}, {}, {};{} or empty", labels[0], labels[1], labels[0], labels[1]),
            format!("Side of the source on dimension '{}' when the text gives it (a side mention as the source or next to it, or a name introduced earlier with its side); both labels joined by ';' for a joint statement of both sides (\"Democrats and Republicans said\"), which counts once for each side. These rows are the side_{}_statement rows of --matches and the {}_*_statements_n counts. Empty when unknown or when the cue is inside a quotation.", d.name, d.name, d.name),
            &format!("sides file {}", set.sides.source.name),
            move |r, i| match rec(r, i).sides.get(di) {
                Some([true, true]) => Value::Owned(format!("{};{}", labels[0], labels[1])),
                Some([true, false]) => Value::Owned(labels[0].clone()),
                Some([false, true]) => Value::Owned(labels[1].clone()),
                _ => Value::Text(""),
            },
        );
    }
    s.add("in_quote", Kind::Flag, "flag", "0/1", "1 when the cue is inside a quotation (a quoted speaker reporting someone else); such rows are not counted in the per-document statement columns.", "text pipeline", |r, i| Value::Flag(Some(rec(r, i).in_quote)));
    s
}

/// Columns of the per-sentence file (`--sentences`).
pub fn sentence_schema(set: &SignalSet, models: &[TrainedModel]) -> Schema<Scored> {
    let mut s: Schema<Scored> = Schema::new("sentences");
    s.add("doc_id", Kind::Text, "", "", "Document id (as in the scores file).", "input", |r, _| Value::Text(&r.doc.id));
    s.add(
        "sentence_idx",
        Kind::Integer,
        "index",
        ">= 0",
        "0-based position of the sentence in the document.",
        "text pipeline",
        |_, i| Value::Int(i),
    );
    s.add(
        "char_start",
        Kind::Integer,
        "characters",
        ">= 0",
        format!("Start of the sentence. {OFFSETS}"),
        "text pipeline",
        |r, i| Value::Int(r.signals.analyzed.sentences[i].span.char_start),
    );
    s.add(
        "char_end",
        Kind::Integer,
        "characters",
        "> char_start",
        format!("End of the sentence (exclusive). {OFFSETS}"),
        "text pipeline",
        |r, i| Value::Int(r.signals.analyzed.sentences[i].span.char_end),
    );
    s.add("n_words", Kind::Integer, "words", ">= 0", "Word tokens in the sentence.", "text pipeline", |r, i| {
        Value::Int(r.stats.sentences[i].n_words)
    });
    s.add(
        "quoted_word_share",
        Kind::Decimal(4),
        "proportion",
        "0..1; empty when n_words = 0",
        "Share of the sentence's words inside quotations.",
        "text pipeline",
        |r, i| Value::Num(share(r.stats.sentences[i].n_quoted_words, r.stats.sentences[i].n_words)),
    );
    for (ci, cat) in set.lexicon.categories.iter().enumerate() {
        let src = category_source(set, cat);
        s.add(
            format!("{}_n", cat.name),
            Kind::Integer,
            "matches",
            ">= 0",
            format!("Counted '{}' matches starting in this sentence.", cat.name),
            &src,
            move |r, i| Value::Int(r.stats.sentences[i].categories[ci]),
        );
    }
    for (mi, m) in models.iter().enumerate() {
        for (k, (suffix, def)) in sentence_model_outputs(m).into_iter().enumerate() {
            s.add(
                format!("p_{}_{suffix}", m.file.name),
                Kind::Decimal(4),
                "probability",
                "0..1",
                def,
                &model_source(m),
                move |r, i| Value::Num(r.sentence_probs[mi].as_ref().map(|p| p[[i, k]])),
            );
        }
        if let (Some(ml), Level::Sentence) = (&m.file.multi_label, m.file.level) {
            let (ml, labels) = (ml.clone(), m.file.labels.clone());
            s.add(
                format!("{}_labels", m.file.name),
                Kind::Text,
                "label set",
                &format!("labels of model '{}' joined by '{}'; empty: none", m.file.name, ml.label_sep),
                multi_label_definition(m)
                    .replace(
                        "multi-label model",
                        "sentence-level multi-label model (applied to this sentence as the document's analysis reads it: its words, quotation state and matches in the article, as in the matches file)",
                    )
                    + " "
                    + SENTENCE_IN_ARTICLE_CAVEAT,
                &model_source(m),
                move |r, i| match &r.sentence_probs[mi] {
                    Some(p) => Value::Owned(ml.predicted_joined(&labels, p.row(i).iter().copied())),
                    None => Value::Text(""),
                },
            );
        }
    }
    s
}

/// Where a model's columns come from, for the codebook.
fn model_source(m: &TrainedModel) -> String {
    format!("model {} ({:?}, trained on {})", m.file.name, m.file.algorithm(), m.file.training.data_files.join(", "))
}

/// Columns of the evidence file (`--matches`).
pub fn match_schema(set: &SignalSet) -> Schema<Scored> {
    let names = Arc::new(MatchNames::new(set));
    let mut s: Schema<Scored> = Schema::new("matches");
    s.add("doc_id", Kind::Text, "", "", "Document id (as in the scores file).", "input", |r, _| Value::Text(&r.doc.id));
    s.add(
        "sentence_idx",
        Kind::Integer,
        "index",
        ">= 0",
        "0-based sentence of the match's first token (as in the sentences file).",
        "text pipeline",
        |r, i| Value::Int(r.signals.matches[i].sentence as usize),
    );
    s.add(
        "char_start",
        Kind::Integer,
        "characters",
        ">= 0",
        format!("Start of the matched span. {OFFSETS}"),
        "text pipeline",
        |r, i| Value::Int(r.signals.matches[i].span.char_start),
    );
    s.add(
        "char_end",
        Kind::Integer,
        "characters",
        "> char_start",
        format!("End of the matched span (exclusive). {OFFSETS}"),
        "text pipeline",
        |r, i| Value::Int(r.signals.matches[i].span.char_end),
    );
    s.add("category", Kind::Text, "", "", "Framing category; for partisan sides 'side_<dimension>' (a mention) or 'side_<dimension>_statement' (a statement attributed to that side).", "lexicon / sides file / code rule", { let n = names.clone(); move |r, i| Value::Shared(n.label(r.signals.matches[i].label).0.clone()) });
    s.add(
        "subcategory",
        Kind::Text,
        "",
        "",
        "Subcategory; for partisan sides, the side's label.",
        "lexicon / sides file / code rule",
        {
            let n = names.clone();
            move |r, i| Value::Shared(n.label(r.signals.matches[i].label).1.clone())
        },
    );
    s.add("rule", Kind::Text, "", "", "The lexicon pattern or dictionary entry as written, or 'code:<rule>' for rules implemented in code (named_source, scare_quote, direct_quote, indirect_speech, side_statement).", "lexicon / sides file / code rule", { let n = names.clone(); move |r, i| n.rule(r.signals.matches[i].rule, false) });
    s.add(
        "rule_line",
        Kind::Text,
        "",
        "",
        "file:line of the pattern in the lexicon, dictionary or sides file; empty for code rules.",
        "lexicon / sides file",
        {
            let n = names.clone();
            move |r, i| n.rule(r.signals.matches[i].rule, true)
        },
    );
    s.add("matched_text", Kind::Text, "", "", "The text between char_start and char_end.", "input", |r, i| {
        let m = &r.signals.matches[i];
        Value::Text(&r.doc.text[m.span.start..m.span.end])
    });
    s.add("in_quote", Kind::Flag, "flag", "0/1", "1 when the match is in quoted voice (its first token is inside a quotation). Scare quotes are the author's voice (0).", "text pipeline", |r, i| Value::Flag(Some(r.signals.matches[i].in_quote)));
    s.add("negated", Kind::Flag, "flag", "0/1", "1 when a negator precedes the match within the negation window; such matches are listed as evidence but not counted.", "lexicon", |r, i| Value::Flag(Some(r.signals.matches[i].negated)));
    s
}

/// The names the matches file writes for labels and rules, each made on
/// first use and then shared by every row that has it (most matches come
/// from a few hundred patterns; a copy per row was a third of writing
/// that file).
struct MatchNames {
    lexicon: Lexicon,
    sides: Sides,
    /// Where each framing category's labels start in `labels`; side labels
    /// follow, four per dimension (mention a, b; statement a, b).
    category_start: Vec<usize>,
    labels: Vec<OnceLock<(Arc<str>, Arc<str>)>>,
    /// Text and file:line of each lexicon pattern, then of each sides pattern.
    rules: Vec<OnceLock<(Arc<str>, Arc<str>)>>,
}

impl MatchNames {
    fn new(set: &SignalSet) -> Self {
        let (lexicon, sides) = (set.lexicon.clone(), set.sides.clone());
        let mut category_start = Vec::with_capacity(lexicon.categories.len());
        let mut n = 0;
        for c in &lexicon.categories {
            category_start.push(n);
            n += c.subcategories.len();
        }
        n += 4 * sides.dimensions.len();
        let n_rules = lexicon.patterns.len() + sides.patterns.len();
        MatchNames {
            category_start,
            labels: (0..n).map(|_| OnceLock::new()).collect(),
            rules: (0..n_rules).map(|_| OnceLock::new()).collect(),
            lexicon,
            sides,
        }
    }

    /// Category and subcategory of a label (as [`label_names`]).
    fn label(&self, label: Label) -> &(Arc<str>, Arc<str>) {
        let sides_start = self.labels.len() - 4 * self.sides.dimensions.len();
        let at = match label {
            Label::Framing { category, sub } => {
                // An index past the category's subcategories would name
                // the next category's label instead of failing.
                assert!(
                    sub < self.lexicon.categories[category].subcategories.len(),
                    "subcategory {sub} of category {category} out of range"
                );
                self.category_start[category] + sub
            }
            Label::SideMention { dim, side } | Label::SideStatement { dim, side } => {
                // Two sides (a, b) per dimension: a third would land on the
                // next label's slot.
                debug_assert!(side < 2, "side {side}");
                let statement = if matches!(label, Label::SideStatement { .. }) { 2 } else { 0 };
                sides_start + 4 * dim + statement + side
            }
        };
        self.labels[at].get_or_init(|| {
            let (c, s) = label_names(&self.lexicon, &self.sides, label);
            (c.into(), s.into())
        })
    }

    /// A rule as written (as [`rule_text`]) or its file:line (as `rule_line`).
    fn rule(&self, rule: Rule, line: bool) -> Value<'static> {
        let at = match rule {
            Rule::Lexicon(i) => i,
            Rule::Sides(i) => self.lexicon.patterns.len() + i,
            Rule::Code(name) => return if line { Value::Text("") } else { Value::Joined("code:", name) },
        };
        let (text, place) = self.rules[at].get_or_init(|| {
            (rule_text(&self.lexicon, &self.sides, rule).into(), rule_line(&self.lexicon, &self.sides, rule).into())
        });
        Value::Shared(if line { place.clone() } else { text.clone() })
    }
}

/// Category and subcategory names of a label.
pub fn label_names(lexicon: &Lexicon, sides: &Sides, label: Label) -> (String, String) {
    match label {
        Label::Framing { category, sub } => {
            let c = &lexicon.categories[category];
            (c.name.clone(), c.subcategories[sub].name.clone())
        }
        Label::SideMention { dim, side } | Label::SideStatement { dim, side } => {
            let d = &sides.dimensions[dim];
            let cat = if matches!(label, Label::SideMention { .. }) {
                format!("side_{}", d.name)
            } else {
                format!("side_{}_statement", d.name)
            };
            (cat, if side == 0 { d.side_a.clone() } else { d.side_b.clone() })
        }
    }
}

/// The rule behind a match as written in its file, or `code:<name>`.
pub fn rule_text(lexicon: &Lexicon, sides: &Sides, rule: Rule) -> String {
    match rule {
        Rule::Lexicon(i) => lexicon.pattern_text(i).to_string(),
        Rule::Sides(i) => sides.patterns[i].pattern.clone(),
        Rule::Code(name) => format!("code:{name}"),
    }
}

fn rule_line(lexicon: &Lexicon, sides: &Sides, rule: Rule) -> String {
    match rule {
        Rule::Lexicon(i) => lexicon.pattern_location(i),
        Rule::Sides(i) => format!("{}:{}", sides.source.name, sides.patterns[i].line),
        Rule::Code(_) => String::new(),
    }
}

/// Columns of the token table (`slant tokens`): one row per token, the
/// table everything downstream reads (as spaCy's `Doc` gives it).
pub fn token_schema() -> Schema<DocTokens> {
    let mut s: Schema<DocTokens> = Schema::new("tokens");
    s.add("doc_id", Kind::Text, "", "", "Document id (as in the scores file).", "input", |r, _| Value::Text(&r.doc_id));
    s.add(
        "sentence_idx",
        Kind::Integer,
        "index",
        ">= 0",
        "0-based sentence of the token (as in the sentences file).",
        "text pipeline",
        |r, i| Value::Int(r.tokens[i].sentence),
    );
    s.add(
        "token_idx",
        Kind::Integer,
        "index",
        ">= 0",
        "0-based position of the token in the document (punctuation included).",
        "text pipeline",
        |_, i| Value::Int(i),
    );
    s.add(
        "char_start",
        Kind::Integer,
        "characters",
        ">= 0",
        format!("Start of the token. {OFFSETS}"),
        "text pipeline",
        |r, i| Value::Int(r.tokens[i].char_start),
    );
    s.add(
        "char_end",
        Kind::Integer,
        "characters",
        "> char_start",
        format!("End of the token (exclusive). {OFFSETS}"),
        "text pipeline",
        |r, i| Value::Int(r.tokens[i].char_end),
    );
    s.add("text", Kind::Text, "", "", "The token as written.", "text pipeline", |r, i| Value::Text(&r.tokens[i].text));
    s.add(
        "lower",
        Kind::Text,
        "",
        "",
        "Lowercase form, curly apostrophes made straight (what lexicon patterns with ~ and dictionaries match).",
        "text pipeline",
        |r, i| Value::Text(&r.tokens[i].lower),
    );
    s.add("stem", Kind::Text, "", "", "Snowball English stem of the lowercase form (what plain lexicon words match); numbers, URLs and punctuation keep their form.", "text pipeline", |r, i| Value::Text(&r.tokens[i].stem));
    s.add("upos", Kind::Text, "", "17 UD tags", "Universal Dependencies part-of-speech tag from slant's tagger (models/pos, trained on UD English EWT; accuracy in docs/VALIDATION.md).", "part-of-speech tagger", |r, i| Value::Text(r.tokens[i].upos));
    s.add(
        "xpos",
        Kind::Text,
        "",
        "Penn Treebank tags",
        "Penn Treebank tag from the same tagger.",
        "part-of-speech tagger",
        |r, i| Value::Text(r.tokens[i].xpos),
    );
    s.add(
        "in_quote",
        Kind::Flag,
        "",
        "0/1",
        "1 when the token is inside a quotation (direct speech; scare-quoted words count as the author's).",
        "text pipeline",
        |r, i| Value::Flag(Some(r.tokens[i].in_quote)),
    );
    s
}

/// Columns of `slant summarize` (one row per group and column). `weight`
/// is the `--weight` column (`None` without it): it fills the `weight`
/// column and names the weight in the definitions. The layout is the same
/// with and without weights.
pub fn summary_schema(boot: &Bootstrap, weight: Option<&str>) -> Schema<SummaryRow> {
    let mut s: Schema<SummaryRow> = Schema::new("summary");
    let src = "slant summarize";
    let w = weight_label(weight);
    s.add("by", Kind::Text, "", "", "The grouping column (--by).", src, |r, _| Value::Text(&r.by));
    s.add("group", Kind::Text, "", "", "The group: a value of the --by column.", src, |r, _| Value::Text(&r.group));
    s.add("column", Kind::Text, "", "", "The summarised column of the input table.", src, |r, _| {
        Value::Text(&r.column)
    });
    s.add(
        "n",
        Kind::Integer,
        "documents",
        ">= 0",
        format!("Rows of the group with a value in this column (empty cells are left out; with --weight, so are rows whose {w} is 0)."),
        src,
        |r, _| Value::Int(r.summary.n),
    );
    s.add(
        "mean",
        Kind::Decimal(6),
        "as the column",
        "",
        format!("Mean of the column over the group's rows; empty when n = 0. With --weight: the weighted mean sum({w} x) / sum({w}); for a rate whose denominator is {w} (a _per1k column with --weight n_words) that is the pooled rate of the group, total count / total words x 1000."),
        src,
        |r, _| Value::Num(r.summary.mean),
    );
    s.add(
        "sd",
        Kind::Decimal(6),
        "as the column",
        ">= 0",
        format!("Sample standard deviation (n - 1 denominator, as pandas and R); empty when n < 2. With --weight: the unbiased SD for reliability weights, sqrt(sum {w} (x - mean)^2 / (V1 - V2 / V1)) with V1 = sum {w}, V2 = sum {w}^2 (equal weights give the unweighted SD)."),
        src,
        |r, _| Value::Num(r.summary.sd),
    );
    s.add(
        "median",
        Kind::Decimal(6),
        "as the column",
        "",
        format!("Median (linear interpolation between order statistics, as pandas and R's default). With --weight: the weighted median, the first value (in ascending order) at which the cumulative {w} reaches half of sum({w}), or the mean of that value and the next when it equals half exactly (so integer weights give the median of the rows repeated that many times)."),
        src,
        |r, _| Value::Num(r.summary.median),
    );
    let level = 100.0 * boot.level;
    s.add("ci_low", Kind::Decimal(6), "as the column", "", format!("Lower end of the {level}% interval of the mean: percentile bootstrap ({} resamples of the group's rows, ChaCha8 seed {}; with --weight each resample's weighted mean, rows drawn with their weights) for groups of {} to {} values, normal-theory above (see ci_method); empty for groups of fewer than {} values, where a bootstrap interval would be far too narrow, and with --weight also when n_eff < {}, where a few heavy rows carry the mean as a few rows would.", boot.resamples, boot.seed, boot.min_n, boot.max_n, boot.min_n, boot.min_n), src, |r, _| Value::Num(r.summary.ci_low));
    s.add(
        "ci_high",
        Kind::Decimal(6),
        "as the column",
        "",
        format!("Upper end of the {level}% interval of the mean."),
        src,
        |r, _| Value::Num(r.summary.ci_high),
    );
    s.add("ci_method", Kind::Text, "", "bootstrap, normal or empty", format!("How the interval was computed: bootstrap ({} <= n <= {}), normal (larger groups: mean +- z sd / sqrt(n); with --weight, mean +- z se with the delta-method standard error of the weighted mean, se^2 = n / (n - 1) sum ({w} (x - mean))^2 / sum({w})^2), empty when there is none (n < {}, or with --weight n_eff < {}).", boot.min_n, boot.max_n, boot.min_n, boot.min_n), src, |r, _| Value::Text(r.summary.ci_method.as_str()));
    add_weight_column(&mut s, weight, src);
    s.add(
        "sum_weight",
        Kind::Decimal(4),
        "as the weight",
        ">= 0",
        format!("Sum of {w} over the n rows; n without --weight (every row weighs 1). Empty if the sum exceeds the largest floating-point number (about 1.8e308); the other figures divide the weights by the largest one first, so weights that large or tiny do not affect them."),
        src,
        |r, _| Value::Num(Some(r.summary.sum_weight)),
    );
    s.add(
        "n_eff",
        Kind::Decimal(2),
        "documents",
        "1..n; empty when n = 0",
        format!("Kish's effective sample size sum({w})^2 / sum({w}^2): how many equally weighted rows carry as much information as these weighted ones (n without --weight). A few long texts dominating a group show as n_eff far below n."),
        src,
        |r, _| Value::Num(r.summary.n_eff),
    );
    s
}

/// How the definitions name the weight: the --weight column, or a stand-in
/// when the schema is listed without one (the codebook).
fn weight_label(weight: Option<&str>) -> String {
    weight.map_or_else(|| "w".to_string(), str::to_string)
}

/// The `weight` column: the --weight column's name on every row, empty
/// without it.
fn add_weight_column<R: 'static>(s: &mut Schema<R>, weight: Option<&str>, src: &str) {
    let name: Arc<str> = Arc::from(weight.unwrap_or(""));
    s.add(
        "weight",
        Kind::Text,
        "",
        "a column name or empty",
        "The --weight column (w in these definitions; empty without --weight, when every row weighs 1). A row of weight 0 is left out; an empty, negative or non-numeric weight is an error. For a _per1k column, --weight n_words makes the mean the pooled rate; other rates have other denominators (_author_per1k: n_words - n_quoted_words, _quoted_per1k: n_quoted_words, sources_<type>_share: statements_n), so n_words is the right weight only for _per1k and quoted_word_share.",
        src,
        move |_, _| Value::Shared(name.clone()),
    );
}

/// Columns of `slant summarize --compare A B --diff FILE`; `weight` as in
/// [`summary_schema`].
pub fn difference_schema(boot: &Bootstrap, weight: Option<&str>) -> Schema<DifferenceRow> {
    let mut s: Schema<DifferenceRow> = Schema::new("summary_diff");
    let src = "slant summarize --compare";
    let w = weight_label(weight);
    s.add("by", Kind::Text, "", "", "The grouping column (--by).", src, |r, _| Value::Text(&r.by));
    s.add("group_a", Kind::Text, "", "", "First group of --compare.", src, |r, _| Value::Text(&r.group_a));
    s.add("group_b", Kind::Text, "", "", "Second group of --compare.", src, |r, _| Value::Text(&r.group_b));
    s.add("column", Kind::Text, "", "", "The compared column of the input table.", src, |r, _| Value::Text(&r.column));
    s.add("n_a", Kind::Integer, "documents", ">= 0", format!("Rows of group A with a value in this column (empty cells are left out; with --weight, so are rows whose {w} is 0)."), src, |r, _| {
        Value::Int(r.difference.n_a)
    });
    s.add(
        "n_b",
        Kind::Integer,
        "documents",
        ">= 0",
        "Rows of group B with a value in this column (as n_a).",
        src,
        |r, _| Value::Int(r.difference.n_b),
    );
    s.add(
        "mean_a",
        Kind::Decimal(6),
        "as the column",
        "",
        "Mean of group A (with --weight the weighted mean, as in summary).",
        src,
        |r, _| Value::Num(r.difference.mean_a),
    );
    s.add("mean_b", Kind::Decimal(6), "as the column", "", "Mean of group B.", src, |r, _| {
        Value::Num(r.difference.mean_b)
    });
    s.add("diff", Kind::Decimal(6), "as the column", "", "mean_a - mean_b.", src, |r, _| Value::Num(r.difference.diff));
    let level = 100.0 * boot.level;
    s.add("ci_low", Kind::Decimal(6), "as the column", "", format!("Lower end of the {level}% interval of diff: percentile bootstrap (each group's rows resampled separately, {} resamples, ChaCha8 seed {}) when both groups have at most {} values, else normal-theory (see ci_method); empty when a group has fewer than {} values (with --weight, also when its n_eff is below {}).", boot.resamples, boot.seed, boot.max_n, boot.min_n, boot.min_n), src, |r, _| Value::Num(r.difference.ci_low));
    s.add(
        "ci_high",
        Kind::Decimal(6),
        "as the column",
        "",
        format!("Upper end of the {level}% interval of diff."),
        src,
        |r, _| Value::Num(r.difference.ci_high),
    );
    s.add("ci_method", Kind::Text, "", "bootstrap, normal or empty", format!("How the interval was computed: bootstrap when both groups have at most {} values, else normal (diff +- z times Welch's standard error; with --weight, the two groups' delta-method standard errors of the weighted mean, as in summary); empty when a group has fewer than {} values (with --weight, also when its n_eff is below {}).", boot.max_n, boot.min_n, boot.min_n), src, |r, _| Value::Text(r.difference.ci_method.as_str()));
    s.add("hedges_g", Kind::Decimal(4), "standard deviations", "", "Hedges' g: diff / pooled sample SD, times 1 - 3 / (4 (n_a + n_b) - 9); empty when a group has fewer than 2 values or both have no spread. |g| about 0.2 small, 0.5 medium, 0.8 large (Cohen 1988). With --weight: the weighted SDs of summary (the weighted variance Austin & Stuart 2015, Stat Med 34:3661, use for standardised differences) pooled by the effective sizes, ((n_eff_a - 1) sd_a^2 + (n_eff_b - 1) sd_b^2) / (n_eff_a + n_eff_b - 2), and n_eff_a + n_eff_b in place of n_a + n_b in the correction (Hedges' formula with Kish's effective sizes; equal weights give the unweighted g); empty when n_eff_a + n_eff_b < 4.", src, |r, _| Value::Num(r.difference.hedges_g));
    add_weight_column(&mut s, weight, src);
    s.add(
        "sum_weight_a",
        Kind::Decimal(4),
        "as the weight",
        ">= 0",
        format!("Sum of {w} over group A's n_a rows (n_a without --weight)."),
        src,
        |r, _| Value::Num(Some(r.difference.sum_weight_a)),
    );
    s.add(
        "sum_weight_b",
        Kind::Decimal(4),
        "as the weight",
        ">= 0",
        format!("Sum of {w} over group B's n_b rows."),
        src,
        |r, _| Value::Num(Some(r.difference.sum_weight_b)),
    );
    s.add(
        "n_eff_a",
        Kind::Decimal(2),
        "documents",
        "1..n_a; empty when n_a = 0",
        "Kish's effective sample size of group A (as n_eff in summary).",
        src,
        |r, _| Value::Num(r.difference.n_eff_a),
    );
    s.add(
        "n_eff_b",
        Kind::Decimal(2),
        "documents",
        "1..n_b; empty when n_b = 0",
        "Kish's effective sample size of group B.",
        src,
        |r, _| Value::Num(r.difference.n_eff_b),
    );
    s
}

/// Columns of `slant terms` (one row per group, category, subcategory and term).
pub fn terms_schema() -> Schema<TermRow> {
    let mut s: Schema<TermRow> = Schema::new("terms");
    let src = "slant terms (from a --matches file)";
    s.add("by", Kind::Text, "", "", "The grouping column (--by; empty without it).", src, |r, _| Value::Text(&r.by));
    s.add(
        "group",
        Kind::Text,
        "",
        "",
        "The group: a value of the --by column of the scores file; (all) without --by.",
        src,
        |r, _| Value::Text(&r.group),
    );
    s.add("category", Kind::Text, "", "", "Category of the matches (as in the matches file).", src, |r, _| {
        Value::Text(&r.category)
    });
    s.add("subcategory", Kind::Text, "", "", "Subcategory of the matches.", src, |r, _| Value::Text(&r.subcategory));
    s.add(
        "term",
        Kind::Text,
        "",
        "",
        "The matched text, lowercased, with whitespace runs as one space.",
        src,
        |r, _| Value::Text(&r.term),
    );
    s.add(
        "n",
        Kind::Integer,
        "matches",
        ">= 1",
        "Counted matches of this term (negated matches are left out, as in the scores).",
        src,
        |r, _| Value::Int(r.n),
    );
    s.add("n_docs", Kind::Integer, "documents", ">= 1", "Documents with at least one such match.", src, |r, _| {
        Value::Int(r.n_docs)
    });
    s.add(
        "per1k",
        Kind::Decimal(4),
        "per 1,000 words",
        ">= 0; empty without --scores",
        "n per 1,000 words of the group's documents (n_words from the scores file).",
        src,
        |r, _| Value::Num(r.per1k),
    );
    s.add(
        "doc_share",
        Kind::Decimal(4),
        "proportion",
        "0..1; empty without --scores",
        "n_docs / documents of the group in the scores file.",
        src,
        |r, _| Value::Num(r.doc_share),
    );
    s.add("share_of_subcategory", Kind::Decimal(4), "proportion", "0..1", "n / all counted matches of this category and subcategory in the group: how much of the subcategory this term makes.", src, |r, _| Value::Num(Some(r.share_of_subcategory)));
    s
}

/// Columns of `slant keyness` (one row per term, sorted by z descending;
/// the row index gives `rank_z`).
pub fn keyness_schema() -> Schema<TermScore> {
    let mut s: Schema<TermScore> = Schema::new("keyness");
    let src = "slant keyness";
    s.add("term", Kind::Text, "", "", "The Snowball stem, or two stems separated by a space (a bigram within a clause), as the classifiers count them.", src, |r, _| Value::Text(&r.term));
    s.add("surface", Kind::Text, "", "", "The most frequent lowercase surface form of each stem of the term in the two groups (what to read; the term is what was counted).", src, |r, _| Value::Text(&r.surface));
    s.add("forms", Kind::Text, "", "empty for bigrams", "Unigrams: up to three surface forms with their counts in the two groups, most frequent first (e.g. `argued 12; argue 7; arguing 2`).", src, |r, _| Value::Text(&r.forms));
    s.add("kind", Kind::Text, "", "unigram, bigram", "Unigram (one stem) or bigram (two stems).", src, |r, _| {
        Value::Text(r.kind.as_str())
    });
    s.add(
        "target_count",
        Kind::Integer,
        "occurrences",
        ">= 0",
        "Occurrences in the target group's documents.",
        src,
        |r, _| Value::Int(r.target_count as usize),
    );
    s.add(
        "reference_count",
        Kind::Integer,
        "occurrences",
        ">= 0",
        "Occurrences in the reference group's documents (every other document with --reference left out).",
        src,
        |r, _| Value::Int(r.reference_count as usize),
    );
    s.add("target_per10k", Kind::Decimal(6), "per 10,000 terms", ">= 0", "target_count per 10,000 terms of the same kind in the target (tokens for unigrams, bigrams for bigrams; stop words removed first when --stop-words is given).", src, |r, _| Value::Num(Some(r.target_per10k)));
    s.add(
        "reference_per10k",
        Kind::Decimal(6),
        "per 10,000 terms",
        ">= 0",
        "reference_count per 10,000 terms of the same kind in the reference.",
        src,
        |r, _| Value::Num(Some(r.reference_per10k)),
    );
    s.add("log_odds", Kind::Decimal(6), "log-odds ratio", "", "Weighted log-odds ratio, target over reference, with an informative Dirichlet prior of weight --prior times the data (Monroe, Colaresi & Quinn 2008, Political Analysis 16(4)).", src, |r, _| Value::Num(Some(r.log_odds)));
    s.add("z", Kind::Decimal(6), "standard errors", "", "log_odds divided by its approximate standard deviation: > 0 marks the target, < 0 the reference; |z| > 1.96 is the usual 5% threshold for one term (no correction for the many terms tested).", src, |r, _| Value::Num(Some(r.z)));
    s.add("chi2", Kind::Decimal(6), "chi-squared", "", "Chi-squared of the 2x2 table (term vs other terms, target vs reference), no continuity correction, signed + when the term's share is higher in the target.", src, |r, _| Value::Num(Some(r.chi2)));
    s.add(
        "rank_z",
        Kind::Integer,
        "rank",
        ">= 1",
        "1-based position by z descending (terms marking the target first, the reference last).",
        src,
        |_, i| Value::Int(i + 1),
    );
    s
}

/// What the per-sentence columns of a sentence-level model cannot be read
/// as: the models are trained on standalone sentences, and inside an
/// article a sentence can have a row no training sentence has.
pub const SENTENCE_IN_ARTICLE_CAVEAT: &str = "The model was trained on standalone sentences: inside a quotation that runs over several sentences, a sentence after the first has quoted words but no quotation match (the quotation is counted in the sentence where it opens), a row no training sentence has, so its probability there is outside what the model's figures measure; errors in pairing quotation marks reach it the same way.";

/// Output columns of a model in the scores file, as (suffix, definition)
/// after `p_<model>_`. Document-level models: one probability per label.
/// Sentence-level models are applied to sentences only (an article is not
/// the unit they were trained on), so the document gets the mean, the
/// maximum and the share of sentences above the flag threshold of each
/// label's per-sentence probability; the probabilities themselves are in
/// the sentences file ([`sentence_model_outputs`]). A sentence is read as
/// the document's analysis shows it (its quotation state and matches in the
/// article's context), not analysed again alone.
pub fn model_outputs(model: &TrainedModel) -> Vec<(String, String)> {
    let f = &model.file;
    let mut out = Vec::new();
    for l in &f.labels {
        let s = crate::models::artifact::snake(l);
        match f.level {
            Level::Document => out.push((
                s.clone(),
                format!("Probability of label '{l}' from document-level model '{}' applied to the document.", f.name),
            )),
            Level::Sentence => {
                out.push((
                    format!("{s}_sent_mean"),
                    format!(
                        "Mean over the document's sentences of P('{l}') from sentence-level model '{}' (applied to each sentence as the document's analysis reads it; empty when the document has no sentence). {SENTENCE_IN_ARTICLE_CAVEAT}",
                        f.name
                    ),
                ));
                out.push((
                    format!("{s}_sent_max"),
                    format!(
                        "Maximum over the document's sentences of P('{l}') from sentence-level model '{}'.",
                        f.name
                    ),
                ));
                out.push((
                    format!("{s}_sent_share50"),
                    format!(
                        "Share of the document's sentences with P('{l}') > {SENTENCE_FLAG_THRESHOLD} from sentence-level model '{}'.",
                        f.name
                    ),
                ));
            }
        }
    }
    out
}

/// Per-sentence columns of a sentence-level model (`--sentences`), as
/// (suffix, definition) after `p_<model>_`; none for a document-level model.
pub fn sentence_model_outputs(model: &TrainedModel) -> Vec<(String, String)> {
    let f = &model.file;
    if f.level != Level::Sentence {
        return Vec::new();
    }
    f.labels
        .iter()
        .map(|l| {
            (
                crate::models::artifact::snake(l),
                format!(
                    "Probability of label '{l}' from sentence-level model '{}' applied to this sentence as the document's analysis reads it (its words, quotation state and matches in the article, as in the matches file). {SENTENCE_IN_ARTICLE_CAVEAT}",
                    f.name
                ),
            )
        })
        .collect()
}

/// One row of the `score --errors` file.
#[derive(Debug, Clone, Default)]
pub struct ErrorRow {
    pub location: String,
    pub doc_id: String,
    pub reason: String,
}

/// Columns of `slant score --errors`: one row per skipped record, and per
/// model whose values could not be computed for a document.
pub fn errors_schema() -> Schema<ErrorRow> {
    let mut s: Schema<ErrorRow> = Schema::new("errors");
    let src = "slant score --errors";
    s.add("location", Kind::Text, "", "", "Where in the input: file:line of a CSV or JSONL record (the line it starts on), or the path of a file (a text file of a folder, a file that cannot be read).", "input", |r, _| Value::Text(&r.location));
    s.add(
        "doc_id",
        Kind::Text,
        "",
        "",
        "The document's id, as in the scores file; empty when the record was not read far enough to know it.",
        "input",
        |r, _| Value::Text(&r.doc_id),
    );
    s.add("reason", Kind::Text, "", "", "What is wrong: why the record was skipped (e.g. not valid JSON, a quote left open, larger than --max-doc-mb), or, for a document that was scored, why a --model's values for it could not be computed.", src, |r, _| Value::Text(&r.reason));
    s
}

/// Columns of `slant kwic`: one row per match, with its sentence around it.
/// Row `i` of a [`KwicDoc`] is its `i`-th concordance line.
pub fn kwic_schema(keep_cols: &[String]) -> Schema<KwicDoc> {
    let mut s: Schema<KwicDoc> = Schema::new("kwic");
    let src = "slant kwic";
    s.add("doc_id", Kind::Text, "", "", "Document id (as in the scores file).", "input", |r, _| Value::Text(&r.doc_id));
    for (k, name) in keep_cols.iter().enumerate() {
        s.add(
            name.clone(),
            Kind::Text,
            "",
            "",
            format!("Copied unchanged from input column/field '{name}' (--keep-cols)."),
            "input",
            move |r, _| Value::Text(r.kept.get(k).map_or("", String::as_str)),
        );
    }
    s.add(
        "sentence_idx",
        Kind::Integer,
        "index",
        ">= 0",
        "0-based sentence of the match's first token (as in the sentences and matches files).",
        "text pipeline",
        |r, i| Value::Int(r.rows[i].sentence_idx),
    );
    s.add(
        "char_start",
        Kind::Integer,
        "characters",
        ">= 0",
        format!("Start of the match. {OFFSETS}"),
        "text pipeline",
        |r, i| Value::Int(r.rows[i].char_start),
    );
    s.add(
        "char_end",
        Kind::Integer,
        "characters",
        "> char_start",
        format!("End of the match (exclusive). {OFFSETS}"),
        "text pipeline",
        |r, i| Value::Int(r.rows[i].char_end),
    );
    s.add("left", Kind::Text, "", "", "The match's sentence before it, without the spaces next to the match: its last --width characters (0 = all); line breaks and tabs shown as spaces.", src, |r, i| Value::Text(&r.rows[i].left));
    s.add(
        "match",
        Kind::Text,
        "",
        "",
        "The matched text (char_start..char_end); line breaks and tabs shown as spaces.",
        "input",
        |r, i| Value::Text(&r.rows[i].matched),
    );
    s.add("right", Kind::Text, "", "", "The match's sentence after it (for a match over several sentences, the one it ends in), without the spaces next to the match: its first --width characters (0 = all); line breaks and tabs shown as spaces.", src, |r, i| Value::Text(&r.rows[i].right));
    s.add(
        "category",
        Kind::Text,
        "",
        "",
        "Category of the match, as in the matches file; 'pattern' for --pattern.",
        "lexicon / sides file / code rule / --pattern",
        |r, i| Value::Text(&r.rows[i].category),
    );
    s.add(
        "subcategory",
        Kind::Text,
        "",
        "",
        "Subcategory of the match, as in the matches file; 'given' for --pattern.",
        "lexicon / sides file / code rule / --pattern",
        |r, i| Value::Text(&r.rows[i].subcategory),
    );
    s.add(
        "rule",
        Kind::Text,
        "",
        "",
        "The pattern as written (lexicon, dictionary, sides file or --pattern), or 'code:<rule>'.",
        "lexicon / sides file / code rule / --pattern",
        |r, i| Value::Text(&r.rows[i].rule),
    );
    s.add(
        "in_quote",
        Kind::Flag,
        "flag",
        "0/1",
        "1 when the match is in quoted voice (as in the matches file).",
        "text pipeline",
        |r, i| Value::Flag(Some(r.rows[i].in_quote)),
    );
    s.add(
        "negated",
        Kind::Flag,
        "flag",
        "0/1",
        "1 when a negator precedes the match (listed, not counted in the scores).",
        "lexicon",
        |r, i| Value::Flag(Some(r.rows[i].negated)),
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_fixed_precision_and_undefined_is_empty() {
        let mut out = String::new();
        format_value(Kind::Decimal(3), &Value::Num(Some(2.0 / 3.0)), &mut out);
        assert_eq!(out, "0.667");
        format_value(Kind::Decimal(3), &Value::Num(None), &mut out);
        assert_eq!(out, "");
        format_value(Kind::Decimal(3), &Value::Num(Some(f64::NAN)), &mut out);
        assert_eq!(out, "");
        format_value(Kind::Flag, &Value::Flag(Some(true)), &mut out);
        assert_eq!(out, "1");
    }

    #[test]
    fn fixed_decimals_match_the_standard_library() {
        // Values of every kind the tables hold (probabilities, rates, shares,
        // negative and large values, exact ties k / 2^j), 0 to 9 decimals.
        let mut state: u64 = 88172645463325252;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for d in 0..10 {
            for zero in [0.0f64, -0.0] {
                let mut out = String::new();
                assert!(write_fixed(zero, d, &mut out));
                assert_eq!(out, format!("{zero:.d$}"));
            }
        }
        let mut values = Vec::new();
        for _ in 0..100_000 {
            let r = next();
            let unit = (r >> 11) as f64 / (1u64 << 53) as f64;
            values.push(unit);
            values.push(unit * 2000.0 - 1000.0);
            values.push(f64::from_bits(next()));
            values.push((r % 1000) as f64 / ((r >> 20) % 1000 + 1) as f64);
        }
        for j in 0..30 {
            for k in 0..300u64 {
                values.push(k as f64 / (1u64 << j) as f64);
                values.push(-(k as f64) / (1u64 << j) as f64);
            }
        }
        let (mut out, mut handled) = (String::new(), 0);
        for (i, &x) in values.iter().filter(|x| x.is_finite()).enumerate() {
            let d = i % 10;
            out.clear();
            if write_fixed(x, d, &mut out) {
                handled += 1;
                assert_eq!(out, format!("{x:.d$}"), "{x:e} with {d} decimals");
            }
        }
        assert!(handled > values.len() / 2, "{handled} of {}", values.len());
    }

    #[test]
    fn digits_match_the_standard_library() {
        let mut values: Vec<u64> = vec![0, 1, 9, 10, 99, 100, u64::MAX, u64::MAX - 1, u32::MAX as u64];
        for p in 0..20 {
            let t = 10u64.pow(p);
            values.extend([t - 1, t, t + 1]);
        }
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..10_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            values.push(state >> (state % 64));
        }
        let mut out = String::new();
        for &n in &values {
            for width in [0, 1, 3, 4, 9, 20] {
                let mut buf = [b'x'; 24];
                let start = fill_digits(&mut buf, n, width);
                assert_eq!(
                    std::str::from_utf8(&buf[start..]),
                    Ok(format!("{n:0width$}").as_str()),
                    "{n} width {width}"
                );
                assert!(buf[..start].iter().all(|&b| b == b'x'));
            }
            format_value(Kind::Integer, &Value::Int(n as usize), &mut out);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn column_names_are_unique_ascii_snake_case() {
        let set = SignalSet::builtin();
        let s = document_schema(&set, &[], &[]);
        let mut seen = std::collections::HashSet::new();
        for c in &s.columns {
            assert!(crate::signals::table::is_snake_case(&c.name), "{}", c.name);
            assert!(seen.insert(c.name.clone()), "duplicate column {}", c.name);
            assert!(!c.definition.is_empty());
        }
        assert!(s.header().contains(&"hedge_author_per1k"));
        let k = kwic_schema(&[]);
        let mut seen = std::collections::HashSet::new();
        for c in &k.columns {
            assert!(crate::signals::table::is_snake_case(&c.name), "{}", c.name);
            assert!(seen.insert(c.name.clone()), "duplicate column {}", c.name);
        }
    }
}
