//! CSV and TSV with a header row (RFC 4180 quoting). Each record is decoded
//! on its own, so one bad row is one skipped document, not a failed run.

use super::{make_document, resolve_column, DocResult, ReadError, ReadOptions};
use std::io::BufRead;

pub struct DelimitedReader {
    reader: csv::Reader<Box<dyn BufRead + Send>>,
    location: String,
    id_col: Option<usize>,
    text_col: usize,
    keep: Vec<usize>,
    n_columns: usize,
    record: csv::ByteRecord,
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
        let input: Box<dyn BufRead + Send> =
            Box::new(std::io::BufReader::new(LineEnds { inner: input, pending_cr: false }));
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
        let text_col = match &opts.text_col {
            Some(c) => resolve_column(&header, c, "text column", &location)?,
            None => resolve_column(&header, "text", "text column", &location)
                .map_err(|e| ReadError { message: format!("{} (choose one with --text-col)", e.message), ..e })?,
        };
        let id_col = match &opts.id_col {
            Some(c) => Some(resolve_column(&header, c, "id column", &location)?),
            None => header.iter().position(|h| h == "id"),
        };
        let keep = opts
            .keep_cols
            .iter()
            .map(|c| resolve_column(&header, c, "kept column", &location))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DelimitedReader {
            reader,
            location,
            id_col,
            text_col,
            keep,
            n_columns: header.len(),
            record: csv::ByteRecord::new(),
            row: 0,
            done: false,
        })
    }
}

/// Turns CRLF and lone CR into LF before parsing. The csv crate's line
/// numbers drift on CRLF files, and text is normalised to LF anyway, so doing
/// it here keeps reported line numbers right at no cost to the content.
struct LineEnds {
    inner: Box<dyn BufRead + Send>,
    pending_cr: bool,
}

impl std::io::Read for LineEnds {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
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
            self.inner.consume(n_in);
            if n_out > 0 || out.is_empty() {
                return Ok(n_out);
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
        match self.reader.read_byte_record(&mut self.record) {
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
                Some(Err(ReadError::record(
                    format!("{}{line}", self.location),
                    format!("cannot read further, rest of the file skipped: {e}"),
                )))
            }
            Ok(true) => {
                self.row += 1;
                let line = self.record.position().map_or(self.row + 1, |p| p.line() as usize);
                let location = format!("{}:{line}", self.location);
                let field = |i: usize| self.record.get(i).map(|b| String::from_utf8_lossy(b).into_owned());
                let id = match self.id_col {
                    Some(c) => field(c).unwrap_or_default(),
                    None => self.row.to_string(),
                };
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
                let kept = self.keep.iter().map(|&c| field(c).unwrap_or_default()).collect();
                let mut doc = make_document(id, self.record.get(self.text_col).unwrap_or_default(), kept, location);
                if self.record.len() != self.n_columns {
                    doc.warnings.push(format!(
                        "row has {} field(s) but the header has {}",
                        self.record.len(),
                        self.n_columns
                    ));
                }
                Some(Ok(doc))
            }
        }
    }
}
