//! CSV and TSV with a header row (RFC 4180 quoting). Each record is decoded
//! on its own, so one bad row is one skipped document, not a failed run.

use super::{cannot_read_further, make_document, resolve_column, ColumnRole, DocResult, ReadError, ReadOptions};
use std::io::BufRead;
use std::sync::{Arc, Mutex};

pub struct DelimitedReader {
    reader: csv::Reader<Box<dyn BufRead + Send>>,
    location: String,
    id_col: Option<usize>,
    text_col: usize,
    keep: Vec<usize>,
    n_columns: usize,
    max_doc_bytes: Option<u64>,
    record: csv::ByteRecord,
    /// A record read ahead to tell whether the current one is the last.
    lookahead: Option<csv::Result<csv::ByteRecord>>,
    /// What [`LineEnds`] saw of the quoting, ahead of the parser.
    quoting: Arc<Mutex<QuoteFindings>>,
    row: usize,
    done: bool,
}

impl DelimitedReader {
    pub fn new(
        input: Box<dyn BufRead + Send>,
        delimiter: u8,
        location: String,
        opts: &ReadOptions,
    ) -> Result<Self, ReadError> {
        let quoting = Arc::new(Mutex::new(QuoteFindings::default()));
        let line_ends = LineEnds {
            inner: input,
            pending_cr: false,
            quotes: QuoteState::FieldStart,
            delimiter,
            line: 1,
            opened_on: 0,
            findings: Arc::clone(&quoting),
        };
        let input: Box<dyn BufRead + Send> = Box::new(std::io::BufReader::new(line_ends));
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(input);
        let header: Vec<String> = reader
            .byte_headers()
            .map_err(|e| ReadError::record(&location, format!("cannot read the header row, file skipped: {e}")))?
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        if header.iter().all(String::is_empty) {
            return Err(ReadError::fatal(&location, "the file is empty or has no header row"));
        }
        let text_role = ColumnRole::new("text column", "--text-col");
        let text_col = resolve_column(&header, opts.text_col.as_deref().unwrap_or("text"), &text_role, &location)?;
        let id_col = match &opts.id_col {
            Some(c) => Some(resolve_column(&header, c, &ColumnRole::new("id column", "--id-col"), &location)?),
            None => header.iter().position(|h| h == "id"),
        };
        let keep = opts
            .keep_cols
            .iter()
            .enumerate()
            .map(|(i, c)| resolve_column(&header, c, &opts.keep_role(i), &location))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DelimitedReader {
            reader,
            location,
            id_col,
            text_col,
            keep,
            n_columns: header.len(),
            max_doc_bytes: opts.max_doc_bytes,
            record: csv::ByteRecord::new(),
            lookahead: None,
            quoting,
            row: 0,
            done: false,
        })
    }
}

/// Turns CRLF and lone CR into LF before parsing. The csv crate's line
/// numbers drift on CRLF files, and text is normalised to LF anyway, so doing
/// it here keeps reported line numbers right at no cost to the content.
///
/// It also follows RFC 4180 quoting, byte by byte, to catch what the csv
/// crate accepts silently: a quoted field still open at the end of the file
/// (one stray `"` turns the rest of the file into one field). The crate has
/// no such error and does not expose its parser state, hence this small
/// mirror of its state machine. Likewise a quoted field followed by more
/// text (`"a "quote" b`), which the crate reads on without complaint.
struct LineEnds {
    inner: Box<dyn BufRead + Send>,
    pending_cr: bool,
    quotes: QuoteState,
    delimiter: u8,
    /// Current line (1-based) of the LF-normalised stream.
    line: usize,
    /// Line where the open quoted field began.
    opened_on: usize,
    findings: Arc<Mutex<QuoteFindings>>,
}

/// Quoting problems found while reading, shared with the reader (a Mutex
/// only because the input must be `Send`; one thread uses it).
#[derive(Default)]
struct QuoteFindings {
    /// Line where a quoted field opened that was still open at the end of
    /// the file (0: none).
    unclosed_at_eof: usize,
    /// (opened, closed) lines of quoted fields followed by stray text.
    stray: Vec<(usize, usize)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: the end of the field, or the first half of `""`.
    QuoteInQuoted,
}

impl LineEnds {
    fn track(&mut self, b: u8) {
        use QuoteState::*;
        let boundary = b == self.delimiter || b == b'\n';
        self.quotes = match (self.quotes, b) {
            (FieldStart, b'"') => {
                self.opened_on = self.line;
                Quoted
            }
            (Quoted, b'"') => QuoteInQuoted,
            (Quoted, _) => Quoted,
            (QuoteInQuoted, b'"') => Quoted,
            (_, _) if boundary => FieldStart,
            (QuoteInQuoted, _) => {
                if let Ok(mut found) = self.findings.lock() {
                    found.stray.push((self.opened_on, self.line));
                }
                Unquoted
            }
            (_, _) => Unquoted,
        };
        if b == b'\n' {
            self.line += 1;
        }
    }
}

impl std::io::Read for LineEnds {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                if self.quotes == QuoteState::Quoted {
                    if let Ok(mut found) = self.findings.lock() {
                        found.unclosed_at_eof = self.opened_on;
                    }
                }
                return Ok(0);
            }
            let mut n_in = 0;
            let mut n_out = 0;
            while n_in < buf.len() && n_out < out.len() {
                let b = buf[n_in];
                n_in += 1;
                if self.pending_cr && b == b'\n' {
                    self.pending_cr = false;
                    continue; // the LF of a CRLF already written as LF
                }
                self.pending_cr = b == b'\r';
                out[n_out] = if b == b'\r' { b'\n' } else { b };
                n_out += 1;
            }
            for &b in &out[..n_out] {
                self.track(b);
            }
            self.inner.consume(n_in);
            if n_out > 0 || out.is_empty() {
                return Ok(n_out);
            }
        }
    }
}

impl DelimitedReader {
    /// The next record into `self.record`, taking a read-ahead one first.
    fn read_record(&mut self) -> csv::Result<bool> {
        match self.lookahead.take() {
            Some(Ok(record)) => {
                self.record = record;
                Ok(true)
            }
            Some(Err(e)) => Err(e),
            None => self.reader.read_byte_record(&mut self.record),
        }
    }

    /// Stray-quote reports for lines `[start, end)`, forgetting earlier ones.
    fn stray_quotes_in(&self, start: usize, end: usize) -> Vec<(usize, usize)> {
        let Ok(mut found) = self.quoting.lock() else { return Vec::new() };
        let end = end.max(start + 1);
        let here = found.stray.iter().copied().filter(|&(o, _)| o >= start && o < end).collect();
        found.stray.retain(|&(o, _)| o >= end);
        here
    }

    /// After a quoted field was left open at the end of the file, the last
    /// record is the one that swallowed the rest: read ahead to tell.
    fn is_unclosed_last_record(&mut self) -> Option<usize> {
        let opened_on = self.quoting.lock().map_or(0, |found| found.unclosed_at_eof);
        if opened_on == 0 {
            return None;
        }
        let mut next = csv::ByteRecord::new();
        match self.reader.read_byte_record(&mut next) {
            Ok(false) => Some(opened_on),
            Ok(true) => {
                self.lookahead = Some(Ok(next));
                None
            }
            Err(e) => {
                self.lookahead = Some(Err(e));
                None
            }
        }
    }
}

impl Iterator for DelimitedReader {
    type Item = DocResult;

    fn next(&mut self) -> Option<DocResult> {
        if self.done {
            return None;
        }
        match self.read_record() {
            Ok(false) => {
                self.done = true;
                None
            }
            Err(e) => {
                // An I/O error (e.g. a truncated .gz) or invalid CSV: the
                // parser cannot resync, so the rest of this file is skipped;
                // records read so far are kept and other inputs go on.
                self.done = true;
                let line = e.position().map_or(String::new(), |p| format!(":{}", p.line()));
                let message = match e.kind() {
                    csv::ErrorKind::Io(io) => cannot_read_further(io),
                    _ => format!("cannot read further, rest of the file skipped: {e}"),
                };
                Some(Err(ReadError::record(format!("{}{line}", self.location), message)))
            }
            Ok(true) => {
                self.row += 1;
                let line = self.record.position().map_or(self.row + 1, |p| p.line() as usize);
                let location = format!("{}:{line}", self.location);
                let unclosed = self.is_unclosed_last_record();
                let field = |i: usize| self.record.get(i).map(|b| String::from_utf8_lossy(b).into_owned());
                let id = match self.id_col {
                    Some(c) => field(c).unwrap_or_default(),
                    None => self.row.to_string(),
                };
                if let Some(opened_on) = unclosed {
                    self.done = true;
                    return Some(Err(ReadError {
                        location,
                        doc_id: Some(id),
                        message: format!(
                            "a quoted field opened on line {opened_on} is never closed, so it runs to the end of the \
                             file; this record is skipped (look for a stray '\"' on line {opened_on})"
                        ),
                        fatal: false,
                    }));
                }
                if self.record.len() != self.n_columns {
                    let needed = self
                        .keep
                        .iter()
                        .chain([&self.text_col])
                        .chain(self.id_col.as_ref())
                        .copied()
                        .max()
                        .unwrap_or(0);
                    if self.record.len() <= needed {
                        return Some(Err(ReadError {
                            location,
                            doc_id: Some(id),
                            message: format!(
                                "row has {} field(s) but the header has {}",
                                self.record.len(),
                                self.n_columns
                            ),
                            fatal: false,
                        }));
                    }
                }
                let end_line = self.reader.position().line() as usize;
                let stray = self.stray_quotes_in(line, end_line);
                let kept = self.keep.iter().map(|&c| field(c).unwrap_or_default()).collect();
                let text = self.record.get(self.text_col).unwrap_or_default();
                let mut doc = match make_document(id, text, kept, location, self.max_doc_bytes) {
                    Ok(doc) => doc,
                    Err(e) => return Some(Err(e)),
                };
                if self.record.len() != self.n_columns {
                    doc.warnings.push(format!(
                        "row has {} field(s) but the header has {}",
                        self.record.len(),
                        self.n_columns
                    ));
                }
                for (opened, closed) in stray {
                    doc.warnings.push(format!(
                        "malformed quoting: the quoted field opened on line {opened} closes on line {closed} and \
                         is followed by more text; if that quote was stray, this record swallowed the rows after it"
                    ));
                }
                Some(Ok(doc))
            }
        }
    }
}
