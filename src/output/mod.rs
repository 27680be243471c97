//! Writing: CSV files that open cleanly in spreadsheets and data tools
//! (or TSV, JSON Lines, Parquet), written atomically, each with a manifest
//! JSON beside it.

pub mod columns;
mod delimited;
pub mod parquet;
pub mod plot;
pub mod report;
pub mod resume;
pub mod table;

use crate::error::Result;
pub use crate::files::{check_parent, AtomicOutput};
use crate::signals::SignalSet;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// How text cells are written for spreadsheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CellPolicy {
    /// Prefix text cells that a spreadsheet would run as a formula with `'`.
    pub neutralize: bool,
    /// Cap cells at Excel's limit of 32,767 characters.
    pub excel: bool,
}

/// First characters that make a spreadsheet run a cell as a formula
/// (OWASP CSV-injection guidance).
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Excel's maximum number of characters in a cell.
pub const EXCEL_CELL_LIMIT: usize = 32_767;

impl CellPolicy {
    /// Apply the policy to one text cell. Returns true when the cell was
    /// truncated to the Excel limit. OWASP's CSV-injection guidance: a cell
    /// starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed
    /// with `'` so that spreadsheets show it as text instead of running it.
    /// A cell that is a number (`-0.35`, `+1`, `-17`) is no formula and is
    /// left alone, so signed values and ids join back to the input. A cell
    /// that already starts with `'` before such a character (`'=x`) gets one
    /// more, so that guarding never makes two cells alike (`=x` -> `'=x`,
    /// `'=x` -> `''=x`) and [`unguarded`] gives every cell back exactly
    /// (`score --resume` reads the ids written so).
    pub fn apply(self, cell: &mut String) -> bool {
        if self.neutralize && needs_guard(cell) {
            cell.insert(0, '\'');
        }
        if self.excel {
            if let Some((cut, _)) = cell.char_indices().nth(EXCEL_CELL_LIMIT) {
                cell.truncate(cut);
                return true;
            }
        }
        false
    }
}

/// A cell a spreadsheet would run as a formula (and not a plain number),
/// or one that looks like a guarded cell: `'` before such a start.
fn needs_guard(cell: &str) -> bool {
    let rest = cell.trim_start_matches('\'');
    rest.starts_with(FORMULA_STARTS) && (rest.len() < cell.len() || !is_plain_number(cell))
}

/// A cell as it was before [`CellPolicy::apply`] guarded it (`'=x` -> `=x`,
/// `''-1` -> `'-1`); cells it leaves alone come back unchanged.
pub fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

/// A decimal number as spreadsheets read one (`-0.35`, `+1`, `-1.5e-3`):
/// digits, sign, point and exponent only, so `-inf` or `-1+2` are not.
fn is_plain_number(cell: &str) -> bool {
    cell.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && cell.parse::<f64>().is_ok()
}

/// The CSV dialect of every file slant writes: comma, `"` quoting only
/// where needed, `\n` record ends, UTF-8 without BOM.
pub fn csv_writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(w)
}

/// File formats for tabular outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Comma-separated values (RFC 4180), a header row.
    Csv,
    /// Tab-separated values, a header row; a cell containing a tab, newline or quote is quoted as in CSV.
    Tsv,
    /// One JSON object per line; numbers as JSON numbers, empty cells as null.
    Jsonl,
    /// Apache Parquet: typed columns (Int64, Float64, Utf8), empty cells
    /// as nulls, Snappy-compressed, written in row groups.
    Parquet,
}

impl OutputFormat {
    /// The format a file name asks for by its extension (`.csv`, `.tsv`,
    /// `.jsonl`/`.ndjson`, `.parquet`/`.pq`; any case); `None` for other
    /// names, which are written as CSV unless a format is given.
    pub fn from_path(path: &Path) -> Option<OutputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(OutputFormat::Csv),
            "tsv" | "tab" => Some(OutputFormat::Tsv),
            "jsonl" | "ndjson" => Some(OutputFormat::Jsonl),
            "parquet" | "pq" => Some(OutputFormat::Parquet),
            _ => None,
        }
    }

    /// The extension files of this format usually have.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Csv => "csv",
            OutputFormat::Tsv => "tsv",
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Parquet => "parquet",
        }
    }

    /// The format to write `path` in: `given` when there is one, else what
    /// the file's name says, else CSV (also for standard output).
    pub fn resolve(given: Option<OutputFormat>, path: Option<&Path>) -> OutputFormat {
        given.or_else(|| path.and_then(OutputFormat::from_path)).unwrap_or(OutputFormat::Csv)
    }

    /// A file named for another format than the one it is written in
    /// (`--format tsv -o x.csv`), as a sentence for a warning.
    pub fn name_mismatch(self, path: &Path) -> Option<String> {
        let named = OutputFormat::from_path(path)?;
        (named != self).then(|| {
            format!(
                "{} is written as {} (the format asked for) although its name says {}; name it *.{} or drop the format option",
                path.display(),
                self.extension(),
                named.extension(),
                self.extension()
            )
        })
    }
}

crate::choices!(OutputFormat {
    "csv" => OutputFormat::Csv, "comma-separated values (RFC 4180), a header row";
    "tsv" => OutputFormat::Tsv, "tab-separated values, a header row";
    "jsonl" => OutputFormat::Jsonl, "one JSON object per line; numbers as numbers, empty cells as null";
    "parquet" => OutputFormat::Parquet, "Apache Parquet: typed columns (integers Int64, decimals Float64, text Utf8), empty cells as nulls";
});

/// Writes rows of formatted cells in the chosen format.
pub struct RowWriter {
    sink: RowSink,
}

enum RowSink {
    Delimited(Box<delimited::DelimitedWriter>),
    Jsonl { w: Box<dyn Write + Send>, keys: Vec<String>, kinds: Vec<columns::Kind>, line: String },
    Parquet(Box<parquet::ParquetRows>),
}

impl RowWriter {
    /// `kinds` gives each column's type (JSONL writes numbers unquoted).
    pub fn new(
        w: Box<dyn Write + Send>,
        format: OutputFormat,
        header: &[&str],
        kinds: &[columns::Kind],
        write_header: bool,
    ) -> Result<Self> {
        let sink = match format {
            OutputFormat::Csv | OutputFormat::Tsv => {
                let mut rows =
                    delimited::DelimitedWriter::new(w, if format == OutputFormat::Tsv { b'\t' } else { b',' });
                if write_header {
                    rows.write_record(header)?;
                }
                RowSink::Delimited(Box::new(rows))
            }
            OutputFormat::Jsonl => RowSink::Jsonl {
                w,
                keys: header.iter().map(|h| serde_json::to_string(h).expect("strings serialise")).collect(),
                kinds: kinds.to_vec(),
                line: String::new(),
            },
            OutputFormat::Parquet => RowSink::Parquet(Box::new(parquet::ParquetRows::new(w, header, kinds)?)),
        };
        Ok(RowWriter { sink })
    }

    pub fn write(&mut self, cells: &[String]) -> Result<()> {
        match &mut self.sink {
            RowSink::Delimited(rows) => rows.write_record(cells)?,
            RowSink::Jsonl { w, keys, kinds, line } => {
                line.clear();
                line.push('{');
                for (i, cell) in cells.iter().enumerate() {
                    if i > 0 {
                        line.push(',');
                    }
                    line.push_str(&keys[i]);
                    line.push(':');
                    match kinds.get(i) {
                        _ if cell.is_empty() && kinds.get(i) != Some(&columns::Kind::Text) => line.push_str("null"),
                        Some(columns::Kind::Text) | None => line.push_str(&serde_json::to_string(cell)?),
                        // Formatted numbers ("12", "0.250") are valid JSON numbers.
                        Some(_) => line.push_str(cell),
                    }
                }
                line.push_str("}\n");
                w.write_all(line.as_bytes())?;
            }
            RowSink::Parquet(p) => p.write(cells)?,
        }
        Ok(())
    }

    pub fn flush(&mut self) -> Result<()> {
        match &mut self.sink {
            RowSink::Delimited(rows) => rows.flush()?,
            RowSink::Jsonl { w, .. } => w.flush()?,
            // Rows reach the file a row group at a time; flushing after
            // each engine batch would make row groups of a few rows.
            RowSink::Parquet(_) => {}
        }
        Ok(())
    }

    pub fn into_inner(self) -> Result<Box<dyn Write + Send>> {
        Ok(match self.sink {
            RowSink::Delimited(rows) => rows.into_inner()?,
            RowSink::Jsonl { w, .. } => w,
            RowSink::Parquet(p) => p.finish()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_excel_cells_capped() {
        let p = CellPolicy { neutralize: true, excel: false };
        for (input, want) in [
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+1", "+1"),
            ("-0.35", "-0.35"),
            ("-17", "-17"),
            ("-1.5e-3", "-1.5e-3"),
            ("-1+2", "'-1+2"),
            ("-inf", "'-inf"),
            ("-", "'-"),
            ("-x", "'-x"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("ok", "ok"),
            ("", ""),
        ] {
            let mut c = input.to_string();
            assert!(!p.apply(&mut c));
            assert_eq!(c, want);
        }
        let raw = CellPolicy::default();
        let mut c = "=1+1".to_string();
        raw.apply(&mut c);
        assert_eq!(c, "=1+1");
        let excel = CellPolicy { neutralize: false, excel: true };
        let mut long = "é".repeat(EXCEL_CELL_LIMIT + 5);
        assert!(excel.apply(&mut long));
        assert_eq!(long.chars().count(), EXCEL_CELL_LIMIT);
    }
}

/// Written beside each output as `<output>.manifest.json`.
#[derive(Debug, Serialize)]
pub struct Manifest {
    pub slant_version: &'static str,
    pub command_line: Vec<String>,
    pub created: String,
    pub output: String,
    pub output_kind: &'static str,
    pub inputs: Vec<String>,
    pub lexicons: Vec<LexiconRef>,
    pub documents_scored: usize,
    /// Documents found already done in the output by `--resume`.
    pub documents_resumed: usize,
    pub documents_skipped: usize,
    /// Rows in the file, including those kept from a resumed run.
    pub rows: usize,
    /// The options that shape the output (checked by `--resume`).
    pub options: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct LexiconRef {
    pub role: &'static str,
    pub source: String,
    pub sha256: String,
}

/// `<output>.manifest.json`, beside the file a symlinked output points
/// to (where the output itself is written), whether the run is new or
/// resumed.
pub fn manifest_path(output: &Path) -> PathBuf {
    let mut s = crate::files::resolve_symlinks(output).into_os_string();
    s.push(".manifest.json");
    PathBuf::from(s)
}

/// Write a manifest atomically.
pub fn write_manifest(output: &Path, manifest: &Manifest) -> Result<()> {
    let path = manifest_path(output);
    let out = AtomicOutput::create(Some(&path))?;
    {
        let mut w = out.writer()?;
        serde_json::to_writer_pretty(&mut w, manifest)?;
        w.write_all(b"\n")?;
        w.flush()?;
    }
    out.commit()
}

/// Current time as RFC 3339 (UTC, seconds).
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// The lexicon, sides and dictionary files of a signal set, for manifests.
pub fn lexicon_refs(set: &SignalSet) -> Vec<LexiconRef> {
    let mut refs = vec![
        LexiconRef {
            role: "framing",
            source: set.lexicon.source.name.clone(),
            sha256: set.lexicon.source.sha256.clone(),
        },
        LexiconRef { role: "sides", source: set.sides.source.name.clone(), sha256: set.sides.source.sha256.clone() },
    ];
    refs.extend(set.lexicon.extra_sources.iter().map(|s| LexiconRef {
        role: "dictionary",
        source: s.name.clone(),
        sha256: s.sha256.clone(),
    }));
    refs
}

#[cfg(test)]
mod format_tests {
    use super::*;

    #[test]
    fn the_format_comes_from_the_name_unless_given() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(OutputFormat::from_path(&p("a/scores.PARQUET")), Some(OutputFormat::Parquet));
        assert_eq!(OutputFormat::from_path(&p("x.tsv")), Some(OutputFormat::Tsv));
        assert_eq!(OutputFormat::from_path(&p("x.ndjson")), Some(OutputFormat::Jsonl));
        assert_eq!(OutputFormat::from_path(&p("x.txt")), None);
        assert_eq!(OutputFormat::resolve(None, Some(&p("x.txt"))), OutputFormat::Csv);
        assert_eq!(OutputFormat::resolve(None, None), OutputFormat::Csv);
        assert_eq!(OutputFormat::resolve(Some(OutputFormat::Tsv), Some(&p("x.parquet"))), OutputFormat::Tsv);
        assert!(OutputFormat::Tsv.name_mismatch(&p("x.csv")).is_some_and(|m| m.contains("x.csv is written as tsv")));
        assert_eq!(OutputFormat::Csv.name_mismatch(&p("x.csv")), None);
        assert_eq!(OutputFormat::Csv.name_mismatch(&p("x.out")), None);
    }
}
