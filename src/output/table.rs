//! Every table slant writes (scores, sentences, matches, errors, metrics,
//! predictions, keyness, codebook, top features) goes through [`Table`]
//! with one [`OutputConfig`]: the same format choice (or each file's
//! format from its name), spreadsheet-safe text
//! cells, Excel option, atomic write, append-in-place for `--resume`, and a
//! manifest beside the file.

use super::columns::Kind;
use super::{write_manifest, CellPolicy, LexiconRef, Manifest, OutputFormat, RowWriter};
use crate::bail;
use crate::error::{Context, Result};
use crate::files::AtomicOutput;
use std::io::Write;
use std::path::Path;

/// How tables are written; one per run, shared by all its outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutputConfig {
    /// The format of every table; `None`: each file's own name says
    /// (`.parquet`, `.tsv`, `.jsonl`, `.csv`), CSV when it does not
    /// (see [`OutputFormat::resolve`]).
    pub format: Option<OutputFormat>,
    /// UTF-8 BOM at the start of each CSV, cells capped at Excel's limit.
    pub excel: bool,
    /// Write text cells exactly as they are (no formula guard).
    pub raw_text: bool,
    /// Append to existing files in place (`score --resume`).
    pub resume: bool,
}

impl OutputConfig {
    /// Options that cannot go together (for a format given explicitly;
    /// [`Table::create`] checks each file's own).
    pub fn check(&self) -> Result<()> {
        self.check_format(self.format.unwrap_or(OutputFormat::Csv), None)
    }

    fn check_format(&self, format: OutputFormat, path: Option<&Path>) -> Result<()> {
        if format != OutputFormat::Csv && (self.excel || self.resume) {
            let file =
                path.map(|p| format!(" ({} is written as {})", p.display(), format.extension())).unwrap_or_default();
            bail!("--excel and --resume work with --format csv only{file}");
        }
        Ok(())
    }

    /// The format `path` is written in.
    pub fn format_for(&self, path: Option<&Path>) -> OutputFormat {
        OutputFormat::resolve(self.format, path.filter(|p| *p != Path::new("-")))
    }

    pub fn policy(&self) -> CellPolicy {
        CellPolicy { neutralize: !self.raw_text, excel: self.excel }
    }

    /// The same configuration for a file that is always written afresh
    /// (e.g. the errors file on resume: skipped records are read again).
    pub fn fresh(self) -> Self {
        OutputConfig { resume: false, ..self }
    }
}

/// What every manifest of one run shares; [`Table::finish`] adds the file's
/// own name, kind and row count.
#[derive(Debug, Clone, Default)]
pub struct RunInfo {
    pub command_line: Vec<String>,
    pub created: String,
    pub inputs: Vec<String>,
    pub lexicons: Vec<LexiconRef>,
    pub documents_scored: usize,
    pub documents_resumed: usize,
    pub documents_skipped: usize,
    pub options: serde_json::Value,
}

impl RunInfo {
    /// This process's command line and the current time.
    pub fn now(inputs: Vec<String>) -> Self {
        RunInfo {
            command_line: std::env::args().collect(),
            created: super::now_rfc3339(),
            inputs,
            options: serde_json::Value::Null,
            ..RunInfo::default()
        }
    }
}

/// How the formula guard treats one text column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guard {
    /// Data (ids, kept columns, matched text): any cell starting with
    /// `= + - @`, tab or CR gets a leading `'`.
    Text,
    /// Lexicon syntax (the `rule` of the matches file): kept as written, so
    /// `=Democrats` can be filtered on, when a spreadsheet could read it as
    /// no more than a name (see [`is_bare_name`]); guarded like text under
    /// `--excel` and whenever it could be more.
    LexiconSyntax,
}

/// Whether a cell that starts like a formula could only ever be a bare
/// name or comparison in a spreadsheet (`=Democrats`, `=May <num>`,
/// `-word*`): no function call `(`, no string `"` or sheet name `'`, no
/// DDE `|`, no sheet or workbook reference `!` `[`, no concatenation `&`.
/// Tab and CR starts are never bare.
pub fn is_bare_name(cell: &str) -> bool {
    let mut chars = cell.chars();
    match chars.next() {
        Some('=' | '+' | '-' | '@') => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || " _.*<>~{},;:-".contains(c))
}

/// One table being written.
pub struct Table {
    file: AtomicOutput,
    rows: RowWriter,
    kinds: Vec<Kind>,
    guards: Vec<Guard>,
    header: Vec<String>,
    policy: CellPolicy,
    /// Rows in the file, including those kept from a resumed run.
    pub row_count: usize,
    kind: &'static str,
}

impl Table {
    /// Open `path` (`None` or `-`: standard output) for a table with these
    /// columns; `kind` names it in the manifest ("scores", "metrics", ...).
    /// Under `config.resume` an existing file is appended to, without a
    /// second header.
    pub fn create(
        path: Option<&Path>,
        header: &[&str],
        kinds: &[Kind],
        kind: &'static str,
        config: &OutputConfig,
    ) -> Result<Self> {
        let format = config.format_for(path);
        config.check_format(format, path)?;
        // Two columns of one name: readers (pandas, R, Parquet) resolve the
        // name to one of them, so the other's values would be read instead.
        if let Some((i, name)) = header.iter().enumerate().find(|(i, h)| header[..*i].contains(h)) {
            bail!(
                "the {kind} table would have two columns named '{name}' (columns {} and {}): a --keep-cols column \
                 has the name of one of slant's columns; rename it in the input or leave it out of --keep-cols",
                header[..i].iter().position(|h| h == name).map_or(0, |j| j + 1),
                i + 1
            );
        }
        let append = config.resume && path.is_some_and(|p| p != Path::new("-"));
        let existing = append && path.and_then(|p| std::fs::metadata(p).ok()).is_some_and(|m| m.len() > 0);
        let file = match path {
            Some(p) if append => AtomicOutput::append(p)?,
            _ => AtomicOutput::create(path)?,
        };
        let mut w = file.writer()?;
        if config.excel && !existing {
            w.write_all("\u{feff}".as_bytes()).with_context(|| format!("cannot write the {kind} table"))?;
        }
        let rows = RowWriter::new(w, format, header, kinds, !existing)?;
        Ok(Table {
            file,
            rows,
            kinds: kinds.to_vec(),
            guards: vec![Guard::Text; kinds.len()],
            header: header.iter().map(|h| h.to_string()).collect(),
            // Only CSV and TSV are opened by spreadsheets as they are: JSONL
            // and Parquet keep every cell exactly.
            policy: CellPolicy {
                neutralize: config.policy().neutralize && matches!(format, OutputFormat::Csv | OutputFormat::Tsv),
                ..config.policy()
            },
            row_count: 0,
            kind,
        })
    }

    /// Column `name` holds lexicon syntax (a pattern as written in a
    /// lexicon, sides or dictionary file): it keeps that syntax where a
    /// spreadsheet cannot run it (see [`Guard::LexiconSyntax`]).
    pub fn lexicon_syntax_column(mut self, name: &str) -> Self {
        if let Some(i) = self.header.iter().position(|h| h == name) {
            self.guards[i] = Guard::LexiconSyntax;
        }
        self
    }

    /// A table whose columns are all text.
    pub fn of_text(path: Option<&Path>, header: &[&str], kind: &'static str, config: &OutputConfig) -> Result<Self> {
        Table::create(path, header, &vec![Kind::Text; header.len()], kind, config)
    }

    /// Write one row; text cells get the spreadsheet policy (numbers are
    /// never altered). Returns the number of cells cut to Excel's limit.
    pub fn write(&mut self, cells: &mut [String]) -> Result<usize> {
        let mut truncated = 0;
        for ((cell, kind), guard) in cells.iter_mut().zip(&self.kinds).zip(&self.guards) {
            if *kind != Kind::Text {
                continue;
            }
            let policy = match guard {
                Guard::LexiconSyntax if !self.policy.excel && is_bare_name(cell) => {
                    CellPolicy { neutralize: false, ..self.policy }
                }
                _ => self.policy,
            };
            truncated += policy.apply(cell) as usize;
        }
        self.row_count += 1;
        let kind = self.kind;
        self.rows.write(cells).with_context(|| format!("cannot write the {kind} table"))?;
        Ok(truncated)
    }

    pub fn flush(&mut self) -> Result<()> {
        let kind = self.kind;
        self.rows.flush().with_context(|| format!("cannot write the {kind} table"))
    }

    /// Complete the file: flush, move it into place, and write its
    /// manifest (regular files only).
    pub fn finish(self, run: &RunInfo) -> Result<()> {
        let kind = self.kind;
        let mut inner = self.rows.into_inner().with_context(|| format!("cannot write the {kind} table"))?;
        inner.flush().with_context(|| format!("cannot write the {kind} table"))?;
        drop(inner);
        let target = self.file.path().map(Path::to_path_buf);
        self.file.commit()?;
        if let Some(t) = target {
            let manifest = Manifest {
                slant_version: env!("CARGO_PKG_VERSION"),
                command_line: run.command_line.clone(),
                created: run.created.clone(),
                output: t.display().to_string(),
                output_kind: self.kind,
                inputs: run.inputs.clone(),
                lexicons: run.lexicons.clone(),
                documents_scored: run.documents_scored,
                documents_resumed: run.documents_resumed,
                documents_skipped: run.documents_skipped,
                rows: self.row_count,
                options: run.options.clone(),
            };
            write_manifest(&t, &manifest)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_guards_text_cells_but_not_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let config = OutputConfig::default();
        let mut t = Table::create(Some(&path), &["id", "n"], &[Kind::Text, Kind::Integer], "test", &config).unwrap();
        t.write(&mut ["=cmd".to_string(), "-3".to_string()]).unwrap();
        t.finish(&RunInfo::now(vec![])).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "id,n\n'=cmd,-3\n");
        assert!(super::super::manifest_path(&path).exists());
    }

    /// OWASP CSV-injection cases (cells starting with = + - @ tab CR, and
    /// the classic payloads) through a lexicon-syntax column and a data
    /// column, by default and under --excel.
    #[test]
    fn lexicon_syntax_keeps_bare_names_but_no_formula_gets_through() {
        let cases = [
            // (cell, rule column by default, rule column under --excel)
            ("=Democrats", "=Democrats", "'=Democrats"),
            ("=May <num>", "=May <num>", "'=May <num>"),
            ("-word*", "-word*", "'-word*"),
            ("+1", "+1", "+1"),
            ("@cat", "@cat", "'@cat"),
            ("critics argue", "critics argue", "critics argue"),
            ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
            ("=1&\"x\"", "'=1&\"x\"", "'=1&\"x\""),
            ("=[book.xlsx]Sheet1!A1", "'=[book.xlsx]Sheet1!A1", "'=[book.xlsx]Sheet1!A1"),
            ("\tx", "'\tx", "'\tx"),
            ("\rx", "'\rx", "'\rx"),
        ];
        for excel in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.csv");
            let config = OutputConfig { excel, ..OutputConfig::default() };
            let mut t = Table::of_text(Some(&path), &["rule", "matched_text"], "test", &config)
                .unwrap()
                .lexicon_syntax_column("rule");
            for (cell, _, _) in cases {
                t.write(&mut [cell.to_string(), cell.to_string()]).unwrap();
            }
            t.finish(&RunInfo::now(vec![])).unwrap();
            let mut r = csv::Reader::from_path(&path).unwrap();
            for ((cell, plain, guarded), row) in cases.iter().zip(r.records()) {
                let row = row.unwrap();
                let want = if excel { guarded } else { plain };
                assert_eq!(&row[0].trim_start_matches('\u{feff}'), want, "rule {cell:?}, excel {excel}");
                // A number ("+1", "-2") is no formula and stays as it is.
                let formula_like = cell.starts_with(crate::output::FORMULA_STARTS) && cell.parse::<f64>().is_err();
                assert_eq!(row[1].starts_with('\''), formula_like, "data cell {cell:?} is guarded as before");
            }
        }
    }

    #[test]
    fn excel_and_resume_need_csv() {
        let c = OutputConfig { format: Some(OutputFormat::Jsonl), excel: true, ..OutputConfig::default() };
        assert!(c.check().is_err());
    }
}
