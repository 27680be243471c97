//! Readers: every input format becomes a stream of [`Document`]s in input
//! order, one at a time (a corpus is never loaded whole). Text is
//! normalised here (see [`crate::text::normalize`]), so every later stage
//! sees canonical text.

mod delimited;
mod folder;
pub mod html;
mod json_values;
mod jsonl;

use crate::text::normalize::{normalize_bytes, Repairs};
use flate2::read::MultiGzDecoder;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// One document to score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: String,
    /// Canonical text (BOM stripped, `\n` line ends, NFC).
    pub text: String,
    /// Values of `--keep-cols`, in the order asked for.
    pub kept: Vec<String>,
    /// Where it came from: `file:line` or a file path.
    pub location: String,
    /// Non-fatal problems (e.g. invalid UTF-8 replaced).
    pub warnings: Vec<String>,
}

pub use crate::error::ReadError;

pub type DocResult = Result<Document, ReadError>;

/// Input formats. Detected from the file extension (after `.gz`) unless given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One plain-text document per file.
    Txt,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// One JSON object per line.
    Jsonl,
    /// One HTML page per file: its main text (see [`html`]).
    Html,
}

crate::choices!(Format {
    "txt" => Format::Txt, "one plain-text document per file";
    "csv" => Format::Csv, "comma-separated values with a header row";
    "tsv" => Format::Tsv, "tab-separated values with a header row";
    "jsonl" => Format::Jsonl, "one JSON object per line; also a JSON array of objects or pretty-printed objects";
    "html" => Format::Html, "one HTML page per file: its main text, without markup, navigation and ads";
});

impl Format {
    pub fn detect(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit_once('.').map(|(_, e)| e)?;
        Some(match ext {
            "txt" | "text" => Format::Txt,
            "csv" => Format::Csv,
            "tsv" | "tab" => Format::Tsv,
            "jsonl" | "ndjson" | "json" => Format::Jsonl,
            "html" | "htm" | "xhtml" => Format::Html,
            _ => return None,
        })
    }
}

/// How to find ids, text and kept columns in the input.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Forced format (required for stdin unless it is plain text).
    pub format: Option<Format>,
    /// CSV column / JSON field holding the id (name or 1-based index).
    pub id_col: Option<String>,
    /// CSV column / JSON field holding the text (name or 1-based index).
    pub text_col: Option<String>,
    /// Columns / fields copied through to the output.
    pub keep_cols: Vec<String>,
    /// Larger documents are skipped with an error (`None`: no limit).
    pub max_doc_bytes: Option<u64>,
    /// How the caller names each of `keep_cols` in messages (e.g. the
    /// label column of `train`); a missing entry is a kept column.
    pub keep_col_roles: Vec<ColumnRole>,
    /// Field delimiter of CSV/TSV input (`None`: `,` for CSV, tab for TSV).
    pub delimiter: Option<u8>,
    /// The text column/field holds HTML: its main text is extracted (see [`html`]).
    pub text_is_html: bool,
    /// Character encoding of input that is not UTF-8 (`None`: UTF-8, or
    /// UTF-16 by its byte-order mark). A byte-order mark still wins.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Counts the bytes read from input files (see [`Corpus::bytes_read`]).
    pub bytes_read: ByteCounter,
    /// What the readers notice about the input as a whole (see [`InputNotes`]).
    pub notes: SharedNotes,
}

/// What a column or field asked for is to the caller, for messages: "label
/// column 'leaning' not found ... (choose one with --label-col)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRole {
    /// "label column", "group column", ...
    pub what: String,
    /// The option that names it, e.g. `--label-col`.
    pub option: String,
}

impl ColumnRole {
    pub fn new(what: impl Into<String>, option: impl Into<String>) -> Self {
        ColumnRole { what: what.into(), option: option.into() }
    }
}

impl ReadOptions {
    /// The role of kept column `i` (a plain kept column unless the caller said otherwise).
    pub(crate) fn keep_role(&self, i: usize) -> ColumnRole {
        self.keep_col_roles.get(i).cloned().unwrap_or_else(|| ColumnRole::new("kept column", "--keep-cols"))
    }
}

/// Files below an input folder that the folder reader does not read, and
/// inputs that look like another format than the one they are read as:
/// things no single record reports, gathered while reading for the caller
/// to report when the run ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputNotes {
    /// Files passed over in input folders (hidden files aside).
    pub ignored_files: usize,
    /// The first few of them, in reading order.
    pub ignored_examples: Vec<PathBuf>,
    /// How many of them per extension (lowercase, with the dot; `""` for none).
    pub ignored_by_extension: BTreeMap<String, usize>,
    /// Inputs whose content looks like another format than the one used.
    pub format_hints: Vec<FormatHint>,
}

/// Ignored files named in [`InputNotes::ignored_examples`].
pub const IGNORED_EXAMPLES: usize = 5;

/// An input read as `read_as` whose first bytes look like `looks_like`
/// (standard input read as plain text that starts like a CSV header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatHint {
    pub input: String,
    pub read_as: Format,
    pub looks_like: Format,
}

impl InputNotes {
    pub(crate) fn ignore(&mut self, path: &Path) {
        self.ignored_files += 1;
        if self.ignored_examples.len() < IGNORED_EXAMPLES {
            self.ignored_examples.push(path.to_path_buf());
        }
        *self.ignored_by_extension.entry(extension_of(path)).or_default() += 1;
    }
}

/// Notes shared between the reader thread and the caller.
pub type SharedNotes = Arc<Mutex<InputNotes>>;

/// `.html`, `.tar.gz`-style double extensions kept for compressed files.
fn extension_of(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let (stem, gz) = match name.strip_suffix(".gz") {
        Some(stem) => (stem.to_string(), ".gz"),
        None => (name.clone(), ""),
    };
    match stem.rsplit_once('.') {
        Some((base, ext)) if !base.is_empty() => format!(".{ext}{gz}"),
        _ => gz.to_string(),
    }
}

/// Bytes read from input files so far (compressed size for .gz), shared
/// between the reader thread and whoever shows progress. A relaxed atomic
/// costs nothing next to the read itself.
pub type ByteCounter = Arc<AtomicU64>;

/// Open a file (or `-` for stdin), decompressing `.gz` transparently,
/// skipping a UTF-8 BOM and transcoding UTF-16 (recognised by its BOM).
/// Bytes read from a file are added to `counter`.
pub fn open(path: &Path, counter: &ByteCounter) -> io::Result<Box<dyn BufRead + Send>> {
    open_as(path, counter, None)
}

/// [`open`] for input in `encoding` (`None`: UTF-8 or UTF-16 by its BOM).
pub fn open_as(
    path: &Path,
    counter: &ByteCounter,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> io::Result<Box<dyn BufRead + Send>> {
    let raw: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(io::stdin())
    } else {
        Box::new(Counted { file: File::open(path)?, counter: counter.clone() })
    };
    decode_as(raw, encoding)
}

struct Counted {
    file: File,
    counter: ByteCounter,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Whether a folder input reads the file at `rel` (its path inside the
/// folder) as a document: a `.txt`, `.html` or `.htm` file (each also
/// `.gz`), or, when `every_file` (`--input-format txt`), any file that is not
/// hidden. As [`documents`] reads folders, for the checks that no output
/// replaces or becomes an input.
pub fn folder_reads(rel: &Path, every_file: bool) -> bool {
    folder::is_text_file(rel) || every_file && !folder::is_hidden(rel)
}

/// Total size of the input files (what [`Corpus::bytes_read`] counts up to),
/// or `None` when it cannot be known (standard input).
pub fn input_size(inputs: &[PathBuf]) -> Option<u64> {
    let mut total = 0;
    for path in inputs {
        if path == Path::new("-") {
            return None;
        }
        if path.is_dir() {
            for entry in walkdir::WalkDir::new(path).into_iter().flatten() {
                if entry.file_type().is_file() && folder::is_text_file(entry.path()) {
                    total += entry.metadata().map_or(0, |m| m.len());
                }
            }
        } else {
            total += std::fs::metadata(path).map_or(0, |m| m.len());
        }
    }
    Some(total)
}

/// The byte-level layer of [`open`] for any stream: gzip (by its magic
/// bytes), UTF-16 (by its BOM), UTF-8 BOM skipped.
pub fn decode(raw: Box<dyn Read + Send>) -> io::Result<Box<dyn BufRead + Send>> {
    decode_as(raw, None)
}

/// [`decode`] for input in `encoding`: transcoded to UTF-8 as it is read
/// (`encoding_rs`, the WHATWG decoders: `latin1` and `iso-8859-1` are read
/// as windows-1252, as browsers do). A byte-order mark overrides it.
pub fn decode_as(
    raw: Box<dyn Read + Send>,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> io::Result<Box<dyn BufRead + Send>> {
    let mut reader = BufReader::with_capacity(1 << 16, raw);
    let gz = reader.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let mut reader: Box<dyn BufRead + Send> =
        if gz { Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(reader))) } else { Box::new(reader) };
    if let Some(enc) = encoding.filter(|e| *e != encoding_rs::UTF_8) {
        let decoded =
            encoding_rs_io::DecodeReaderBytesBuilder::new().encoding(Some(enc)).bom_sniffing(true).build(reader);
        return Ok(Box::new(BufReader::with_capacity(1 << 16, decoded)));
    }
    let head = reader.fill_buf()?;
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        // UTF-16 (LE or BE, by its BOM): transcode to UTF-8 as we read.
        let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new().bom_sniffing(true).build(reader);
        return Ok(Box::new(BufReader::with_capacity(1 << 16, decoded)));
    }
    if head.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    Ok(reader)
}

/// Make a document from raw bytes, recording any repairs as warnings; a
/// document over `max_bytes` is an error for that record.
pub(crate) fn make_document(
    id: String,
    bytes: &[u8],
    kept: Vec<String>,
    location: String,
    max_bytes: Option<u64>,
) -> DocResult {
    if let Some(max) = max_bytes.filter(|&m| bytes.len() as u64 > m) {
        return Err(too_large(location, id, bytes.len() as u64, max));
    }
    if let Some(kind) = binary_signature(bytes) {
        return Err(ReadError {
            location,
            doc_id: Some(id),
            message: format!("not text: the bytes begin like {kind}; convert it to text first"),
            fatal: false,
        });
    }
    let (text, repairs) = normalize_bytes(bytes);
    if looks_binary(repairs.nul_bytes, bytes.len()) {
        return Err(ReadError {
            location,
            doc_id: Some(id),
            message: format!(
                "not text: {} of its {} bytes are NUL, as in a binary file (an image, a PDF, a program) or \
                 UTF-16 without a byte-order mark (give --encoding utf-16le or utf-16be for that)",
                repairs.nul_bytes,
                bytes.len()
            ),
            fatal: false,
        });
    }
    Ok(Document { id, text, kept, location, warnings: repair_warnings(repairs) })
}

/// The kind of binary file `bytes` starts like, by its signature ("magic
/// number"): files that can hold few NUL bytes (a PDF's compressed
/// streams, an archive) and would otherwise be read as a huge document.
fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: [(&[u8], &str); 9] = [
        (b"%PDF-", "a PDF (pdftotext makes text of it)"),
        (b"PK\x03\x04", "a ZIP archive or an Office file"),
        (b"\xFD7zXZ\x00", "an xz archive"),
        (b"\x28\xB5\x2F\xFD", "a zstd archive"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x7FELF", "a program (ELF)"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    ];
    SIGNATURES.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|(_, kind)| *kind)
}

/// Text has no NUL bytes (a stray one is repaired with a warning); more
/// than 1% of them (and at least 16, so that a short text with a stray NUL
/// or two stays text) means the bytes are no text at all, and scoring them
/// would add a "document" of binary junk to every corpus figure.
fn looks_binary(nul_bytes: usize, len: usize) -> bool {
    nul_bytes >= 16 && nul_bytes * 100 > len
}

/// A document over `--max-doc-mb`; `size` is what was read (a text file is
/// read only up to one byte past the limit, so its true size is unknown).
fn too_large(location: String, id: String, size: u64, max: u64) -> ReadError {
    let size = if size > max + 1 { format!("{:.1} MB, ", size as f64 / 1e6) } else { String::new() };
    ReadError {
        location,
        doc_id: Some(id),
        message: format!(
            "document is {size}over the --max-doc-mb limit of {} MB (raise it, or 0 for no limit, to score it)",
            max / 1_000_000
        ),
        fatal: false,
    }
}

fn repair_warnings(r: Repairs) -> Vec<String> {
    let mut w = Vec::new();
    if r.invalid_utf8 {
        w.push("invalid UTF-8 replaced by U+FFFD".to_string());
    }
    if r.nul_bytes > 0 {
        w.push(format!("{} NUL byte(s) removed", r.nul_bytes));
    }
    w
}

/// A stream of documents from several inputs, in order.
pub struct Corpus {
    inputs: std::vec::IntoIter<PathBuf>,
    options: ReadOptions,
    current: Option<Box<dyn Iterator<Item = DocResult> + Send>>,
}

impl Corpus {
    pub fn new(inputs: Vec<PathBuf>, options: ReadOptions) -> Self {
        Corpus { inputs: inputs.into_iter(), options, current: None }
    }

    /// Bytes read from the input files so far; readable from another
    /// thread while the corpus is being read (for progress and ETA).
    pub fn bytes_read(&self) -> ByteCounter {
        self.options.bytes_read.clone()
    }

    fn open_next(&mut self, path: PathBuf) -> Result<Box<dyn Iterator<Item = DocResult> + Send>, ReadError> {
        let shown = path.display().to_string();
        let stdin = path == Path::new("-");
        if !stdin && path.is_dir() {
            return Ok(Box::new(folder::FolderReader::new(&path, &self.options)));
        }
        if !stdin && !path.exists() {
            return Err(ReadError::fatal(shown, "no such file or folder"));
        }
        if let Some(why) = unreadable_by_name(&path) {
            return Err(ReadError::fatal(shown, why));
        }
        let format = match (self.options.format, Format::detect(&path)) {
            (Some(f), _) | (None, Some(f)) => f,
            (None, None) if stdin => Format::Txt,
            (None, None) => {
                return Err(ReadError::fatal(
                    shown,
                    "cannot tell the format from the file name (expected .txt, .csv, .tsv, .jsonl, .json, optionally .gz); use --input-format",
                ))
            }
        };
        let label = if stdin { "<stdin>".to_string() } else { shown.clone() };
        let mut reader = open_as(&path, &self.options.bytes_read, self.options.encoding)
            .map_err(|e| ReadError::record(&label, format!("cannot open, file skipped: {e}")))?;
        // A failed peek is reported by the reader when it reads the same bytes.
        if let Ok(head) = reader.fill_buf() {
            if let Some(why) = unreadable_by_content(head) {
                return Err(ReadError::fatal(label, why));
            }
            if stdin && self.options.format.is_none() {
                if let Some(looks_like) = looks_like_a_table(head) {
                    let hint = FormatHint { input: label.clone(), read_as: Format::Txt, looks_like };
                    if let Ok(mut notes) = self.options.notes.lock() {
                        notes.format_hints.push(hint);
                    }
                }
            }
        }
        let txt_id = if stdin {
            "stdin".to_string()
        } else {
            folder::doc_id_for(path.file_name().map(Path::new).unwrap_or(&path))
        };
        documents(reader, format, label, txt_id, &self.options)
    }
}

/// Files slant cannot read whatever format is asked for, known by their
/// name: spreadsheet workbooks. Says what to do instead.
fn unreadable_by_name(path: &Path) -> Option<String> {
    let ext = extension_of(path);
    let ext = ext.strip_suffix(".gz").unwrap_or(&ext);
    matches!(ext, ".xlsx" | ".xlsm" | ".xls" | ".ods" | ".numbers").then(|| SPREADSHEET.to_string())
}

const SPREADSHEET: &str = "a spreadsheet workbook, which slant does not read: save it as CSV (Excel: File > Save As > \
                           \"CSV UTF-8\"; LibreOffice: File > Save As > Text CSV) and pass the .csv file";

/// Inputs slant cannot read as `format`, known by their first bytes (after
/// decompression): archives and workbooks, PDFs, slant's own model files.
/// Says what to do instead. (A JSON array or pretty-printed JSON is read:
/// see `json_values`.)
fn unreadable_by_content(head: &[u8]) -> Option<String> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Some(format!(
            "a ZIP archive or Office file (an .xlsx workbook, a .docx document?), not text: if it is {SPREADSHEET}"
        ));
    }
    if head.starts_with(b"%PDF-") {
        return Some("a PDF, not text: extract its text first (e.g. `pdftotext FILE.pdf`) and pass the .txt".into());
    }
    if is_model_file(head) {
        return Some(
            "a slant model file, not a corpus: apply it with --model (which takes several files: \
             `--model a.json b.json`, or `--model models/*.json` after the inputs)"
                .into(),
        );
    }
    None
}

/// `{ ... "format": "slant-model"` near the start.
fn is_model_file(head: &[u8]) -> bool {
    let head = &head[..head.len().min(4096)];
    if !head.trim_ascii_start().starts_with(b"{") {
        return false;
    }
    let key = b"\"format\"";
    let Some(at) = head.windows(key.len()).position(|w| w == key) else { return false };
    let rest = head[at + key.len()..].trim_ascii_start();
    let Some(rest) = rest.strip_prefix(b":") else { return false };
    rest.trim_ascii_start().starts_with(format!("\"{}\"", crate::models::artifact::FORMAT).as_bytes())
}

/// Whether text read as one plain document starts like a table or a page:
/// an HTML page (`<!DOCTYPE html`, `<html`), a JSON object on the first
/// line (JSON Lines), or a header row of short names
/// separated by commas or tabs with a second line split the same way.
fn looks_like_a_table(head: &[u8]) -> Option<Format> {
    let text = String::from_utf8_lossy(&head[..head.len().min(1 << 16)]);
    let start: String = text.trim_start_matches('\u{feff}').trim_start().chars().take(15).collect();
    let start = start.to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        return Some(Format::Html);
    }
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let first = lines.next()?.trim_end_matches('\r');
    if first.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Value>(first.trim()).is_ok_and(|v| v.is_object())
    {
        return Some(Format::Jsonl);
    }
    let second = lines.next()?;
    for (delimiter, format) in [('\t', Format::Tsv), (',', Format::Csv)] {
        let names: Vec<&str> = first.split(delimiter).map(str::trim).collect();
        let is_header = names.len() >= 2
            && names.iter().all(|n| !n.is_empty() && n.chars().count() <= 40 && n.split_whitespace().count() <= 3);
        if is_header && second.matches(delimiter).count() + 1 >= names.len() {
            return Some(format);
        }
    }
    None
}

/// The message for a stream that stopped with an error partway: a
/// compressed file cut short or damaged is named as such.
pub(crate) fn cannot_read_further(e: &dyn std::fmt::Display) -> String {
    let e = e.to_string();
    let what = if e.contains("deflate") || e.contains("gzip") || e.contains("corrupt") {
        "the compressed file is truncated or corrupt"
    } else {
        "the file cannot be read past this point"
    };
    format!("{what} ({e}); the records before this point were read, the rest of the file is lost")
}

/// Documents of one already-opened stream in a known format (a text stream
/// is one document with id `txt_id`). `label` names the input in messages.
/// This is what every file and stdin go through; the fuzz targets call it
/// on in-memory bytes.
pub fn documents(
    reader: Box<dyn BufRead + Send>,
    format: Format,
    label: String,
    txt_id: String,
    options: &ReadOptions,
) -> Result<Box<dyn Iterator<Item = DocResult> + Send>, ReadError> {
    let docs: Box<dyn Iterator<Item = DocResult> + Send> = match format {
        Format::Txt => Box::new(std::iter::once(folder::read_whole(reader, txt_id, label, options))),
        Format::Html => {
            Box::new(std::iter::once(folder::read_whole(reader, txt_id, label, options).and_then(from_html)))
        }
        Format::Csv => {
            Box::new(delimited::DelimitedReader::new(reader, options.delimiter.unwrap_or(b','), label, options)?)
        }
        Format::Tsv => {
            Box::new(delimited::DelimitedReader::new(reader, options.delimiter.unwrap_or(b'\t'), label, options)?)
        }
        Format::Jsonl => Box::new(jsonl::JsonlReader::new(reader, label, options)),
    };
    // An HTML column or field (--text-format html): its main text.
    Ok(if options.text_is_html && !matches!(format, Format::Txt | Format::Html) {
        Box::new(docs.map(|d| d.and_then(from_html)))
    } else {
        docs
    })
}

/// A document read as HTML: its text replaced by the page's main text,
/// normalised as any text is. Offsets in the outputs refer to this text.
pub(crate) fn from_html(mut doc: Document) -> DocResult {
    match html::extract_text(&doc.text) {
        Ok(text) => {
            let (text, _) = normalize_bytes(text.as_bytes());
            doc.text = text;
            Ok(doc)
        }
        Err(message) => Err(ReadError { location: doc.location, doc_id: Some(doc.id), message, fatal: false }),
    }
}

impl Corpus {
    /// Documents only: a record that cannot be read is passed to `on_skip`
    /// and skipped; a fatal error (bad options, missing
    /// input) ends the iteration as an `Err` for the caller to return.
    pub fn skipping_bad(
        self,
        mut on_skip: impl FnMut(&ReadError),
    ) -> impl Iterator<Item = Result<Document, ReadError>> {
        self.filter_map(move |item| match item {
            Ok(doc) => Some(Ok(doc)),
            Err(e) if e.fatal => Some(Err(e)),
            Err(e) => {
                on_skip(&e);
                None
            }
        })
    }
}

impl Iterator for Corpus {
    type Item = DocResult;

    fn next(&mut self) -> Option<DocResult> {
        loop {
            if let Some(cur) = &mut self.current {
                match cur.next() {
                    Some(item) => return Some(item),
                    None => self.current = None,
                }
            }
            let path = self.inputs.next()?;
            match self.open_next(path) {
                Ok(it) => self.current = Some(it),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// Resolve a column given by name or 1-based index against a header.
pub(crate) fn resolve_column(
    header: &[String],
    wanted: &str,
    role: &ColumnRole,
    location: &str,
) -> Result<usize, ReadError> {
    let what = &role.what;
    if let Some(i) = header.iter().position(|h| h == wanted) {
        return Ok(i);
    }
    if let Ok(n) = wanted.parse::<usize>() {
        if n >= 1 && n <= header.len() {
            return Ok(n - 1);
        }
        return Err(ReadError::fatal(
            location,
            format!("{what} {n} is out of range: the file has {} column(s) (see {})", header.len(), role.option),
        ));
    }
    if let Some(i) = header.iter().position(|h| h.eq_ignore_ascii_case(wanted)) {
        return Ok(i);
    }
    Err(ReadError::fatal(
        location,
        format!(
            "{what} '{wanted}' not found; columns are: {} (choose one with {})",
            header.iter().map(|h| format!("'{h}'")).collect::<Vec<_>>().join(", "),
            role.option
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(Format::detect(Path::new("a.csv.gz")), Some(Format::Csv));
        assert_eq!(Format::detect(Path::new("a.TSV")), Some(Format::Tsv));
        assert_eq!(Format::detect(Path::new("dir/a.jsonl")), Some(Format::Jsonl));
        assert_eq!(Format::detect(Path::new("a.txt.gz")), Some(Format::Txt));
        assert_eq!(Format::detect(Path::new("a.docx")), None);
    }

    #[test]
    fn tells_tables_from_prose_on_standard_input() {
        assert_eq!(looks_like_a_table(b"id,text,outlet\n1,It may rain.,a\n"), Some(Format::Csv));
        assert_eq!(looks_like_a_table(b"id\ttext\n1\tIt may rain.\n"), Some(Format::Tsv));
        assert_eq!(looks_like_a_table(b"{\"id\": 1, \"text\": \"x\"}\n"), Some(Format::Jsonl));
        // Prose with commas, a one-line text, a brace that is not JSON.
        assert_eq!(looks_like_a_table(b"Officials said, on Monday, that it may fail.\nCritics argue.\n"), None);
        assert_eq!(looks_like_a_table(b"id,text\n"), None);
        assert_eq!(looks_like_a_table(b"{not json}\nmore\n"), None);
        assert_eq!(looks_like_a_table(b"\n  <!DOCTYPE HTML>\n<html>"), Some(Format::Html));
        assert_eq!(looks_like_a_table(b"<p>a fragment</p>\n"), None);
    }

    #[test]
    fn refuses_what_it_cannot_read_by_content_and_name() {
        let model = br#"{
  "format": "slant-model",
  "schema_version": 2"#;
        assert!(unreadable_by_content(model).unwrap().contains("slant model file"));
        assert!(unreadable_by_content(b"{\"format\": \"other\"}").is_none());
        assert!(unreadable_by_content(b"PK\x03\x04...").unwrap().contains("save it as CSV"));
        assert!(unreadable_by_content(b"%PDF-1.7").unwrap().contains("pdftotext"));
        assert!(unreadable_by_content(b"  [{\"a\": 1}]").is_none(), "a JSON array is read");
        assert!(unreadable_by_content(b"{\n  \"text\": \"x\"\n}").is_none(), "pretty JSON is read");
        assert!(unreadable_by_content(b"{\"text\": \"x\"}\n").is_none());
        assert!(unreadable_by_name(Path::new("a/Book.XLSX")).is_some());
        assert!(unreadable_by_name(Path::new("a.ods.gz")).is_some());
        assert!(unreadable_by_name(Path::new("a.csv")).is_none());
        assert_eq!(extension_of(Path::new("a/b.tar.gz")), ".tar.gz");
        assert_eq!(extension_of(Path::new("README")), "");
        assert_eq!(extension_of(Path::new(".hidden")), "");
    }

    #[test]
    fn a_folder_counts_and_names_the_files_it_does_not_read() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.txt", "b.xml", "c.md", "d.XML", ".DS_Store"] {
            std::fs::write(dir.path().join(name), "It may rain.").unwrap();
        }
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join(".git/config"), "x").unwrap();
        let options = ReadOptions::default();
        let docs: Vec<_> = Corpus::new(vec![dir.path().to_path_buf()], options.clone()).collect();
        assert_eq!(docs.len(), 1);
        let notes = options.notes.lock().unwrap().clone();
        assert_eq!(notes.ignored_files, 3, "{notes:?}");
        assert_eq!(notes.ignored_by_extension.get(".xml"), Some(&2));
        assert_eq!(notes.ignored_by_extension.get(".md"), Some(&1));
        // --input-format txt reads every file (hidden ones aside) as text.
        let options = ReadOptions { format: Some(Format::Txt), ..ReadOptions::default() };
        let ids: Vec<String> =
            Corpus::new(vec![dir.path().to_path_buf()], options.clone()).map(|d| d.unwrap().id).collect();
        assert_eq!(ids, ["a", "b.xml", "c.md", "d.XML"]);
        assert_eq!(options.notes.lock().unwrap().ignored_files, 0);
    }

    #[test]
    fn resolves_columns_by_name_index_and_case() {
        let h: Vec<String> = ["id", "Body", "outlet"].iter().map(|s| s.to_string()).collect();
        let text = ColumnRole::new("text column", "--text-col");
        assert_eq!(resolve_column(&h, "Body", &text, "f").unwrap(), 1);
        assert_eq!(resolve_column(&h, "body", &text, "f").unwrap(), 1);
        assert_eq!(resolve_column(&h, "3", &text, "f").unwrap(), 2);
        let label = ColumnRole::new("label column", "--label-col");
        let e = resolve_column(&h, "leaning", &label, "f").unwrap_err();
        assert_eq!(
            e.message,
            "label column 'leaning' not found; columns are: 'id', 'Body', 'outlet' (choose one with --label-col)"
        );
        assert!(resolve_column(&h, "9", &text, "f").is_err());
    }
}
