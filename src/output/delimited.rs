//! CSV and TSV rows written straight into a byte buffer, byte for byte as
//! the `csv` crate writes them with the dialect of [`super::csv_writer`]
//! (quotes only where needed, `"` doubled inside them, `\n` record ends).
//! The crate's writer runs a resumable state machine for every field (about
//! 180 instructions a field, most of them for the short numbers that fill
//! the tables); a row here is a loop of copies.

use crate::text::scan::position_of_any;
use std::io::Write;

/// Bytes kept before they go to the underlying writer.
const BUFFER: usize = 1 << 16;

pub struct DelimitedWriter {
    /// `None` once [`DelimitedWriter::into_inner`] has handed it back.
    w: Option<Box<dyn Write + Send>>,
    /// A write to `w` was under way: set around it so that a panic inside
    /// it leaves the bytes alone on drop (as the `csv` crate does).
    panicked: bool,
    buf: Vec<u8>,
    delimiter: u8,
    /// The bytes that make a field quoted.
    special: [bool; 256],
    /// Fields of the first record; every record must have as many (as the
    /// `csv` crate requires unless told otherwise).
    fields: Option<usize>,
}

impl DelimitedWriter {
    pub fn new(w: Box<dyn Write + Send>, delimiter: u8) -> Self {
        let mut special = [false; 256];
        for b in [delimiter, b'"', b'\n', b'\r'] {
            special[b as usize] = true;
        }
        DelimitedWriter {
            w: Some(w),
            panicked: false,
            buf: Vec::with_capacity(BUFFER),
            delimiter,
            special,
            fields: None,
        }
    }

    /// Write one record. A field holding the delimiter, a quotation mark,
    /// a carriage return or a line feed is quoted; a record with no bytes
    /// at all (one empty field) is written as `""`, as the `csv` crate does
    /// so that it still reads as a record.
    pub fn write_record<T: AsRef<[u8]>>(&mut self, fields: &[T]) -> crate::error::Result<()> {
        match self.fields {
            None => self.fields = Some(fields.len()),
            Some(n) if n != fields.len() => {
                // The `csv` crate's wording for the same mistake.
                return Err(crate::error::Error::invalid(format!(
                    "CSV error: found record with {} fields, but the previous record has {n} fields",
                    fields.len()
                )));
            }
            Some(_) => {}
        }
        let start = self.buf.len();
        // Room for the record unless a field is quoted (one growth at most).
        self.buf.reserve(fields.iter().map(|f| f.as_ref().len() + 1).sum::<usize>() + 2);
        let special = [self.delimiter, b'"', b'\n', b'\r'];
        let quoted = |field: &[u8]| {
            // Most fields are short numbers: a byte-by-byte test of the
            // table then costs less than setting up the eight-byte scan.
            if field.len() < 16 {
                field.iter().any(|&b| self.special[b as usize])
            } else {
                position_of_any(field, special).is_some()
            }
        };
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                self.buf.push(self.delimiter);
            }
            let field = field.as_ref();
            if quoted(field) {
                self.buf.push(b'"');
                let mut rest = field;
                while let Some(q) = rest.iter().position(|&b| b == b'"') {
                    self.buf.extend_from_slice(&rest[..=q]);
                    self.buf.push(b'"');
                    rest = &rest[q + 1..];
                }
                self.buf.extend_from_slice(rest);
                self.buf.push(b'"');
            } else {
                self.buf.extend_from_slice(field);
            }
        }
        if self.buf.len() == start {
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        if self.buf.len() >= BUFFER {
            self.flush_buf()?;
        }
        Ok(())
    }

    /// Hand the buffered bytes to the underlying writer (without flushing
    /// it). An I/O error is reported as the `csv` crate's writer reported
    /// one from a row ("cannot write CSV: ..."), so the messages and the
    /// closed-pipe test stay as they were.
    fn flush_buf(&mut self) -> Result<(), csv::Error> {
        let w = self.w.as_mut().expect("the writer is only taken by into_inner");
        self.panicked = true;
        let result = w.write_all(&self.buf);
        self.panicked = false;
        result?;
        self.buf.clear();
        Ok(())
    }

    /// Write out the buffer and flush the underlying writer. Its errors
    /// take the same path as a row's, so a full disk reads the same whether
    /// it shows while rows are written or when the file is closed.
    pub fn flush(&mut self) -> crate::error::Result<()> {
        self.flush_buf()?;
        let w = self.w.as_mut().expect("the writer is only taken by into_inner");
        w.flush().map_err(csv::Error::from)?;
        Ok(())
    }

    /// Flush everything and give back the underlying writer.
    pub fn into_inner(mut self) -> crate::error::Result<Box<dyn Write + Send>> {
        self.flush()?;
        Ok(self.w.take().expect("the writer is only taken here"))
    }
}

/// Rows written before an error (or without `into_inner`) still reach the
/// underlying writer, as the `csv` crate's writer does on drop: a run that
/// stops at a bad record leaves the rows before it. Errors are ignored
/// here; nothing is written after a panic inside a write.
impl Drop for DelimitedWriter {
    fn drop(&mut self) {
        if self.w.is_some() && !self.panicked {
            let _ = self.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::sync::{Arc, Mutex};

    /// A writer whose bytes can be read after it is boxed away.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn ours(records: &[Vec<String>], delimiter: u8) -> Vec<u8> {
        let sink = Shared::default();
        let mut w = DelimitedWriter::new(Box::new(sink.clone()), delimiter);
        for r in records {
            w.write_record(r).unwrap();
        }
        w.into_inner().unwrap();
        let bytes = sink.0.lock().unwrap().clone();
        bytes
    }

    fn crates(records: &[Vec<String>], delimiter: u8) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .delimiter(delimiter)
            .from_writer(Vec::new());
        for r in records {
            w.write_record(r).unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn writes_what_the_csv_crate_writes() {
        let pieces = ["", "a", "0.250", ",", "\t", "\"", "\"\"", "\n", "\r", "\r\n", " ", "é", "'=x", "\\", "x\"y"];
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0x2545_F491_4F6C_DD1D);
        let mut next = move |n: usize| rand::Rng::gen_range(&mut rng, 0..n);
        for width in [1, 2, 5] {
            let mut records = Vec::new();
            for _ in 0..3_000 {
                let record = (0..width)
                    .map(|_| (0..next(4)).map(|_| pieces[next(pieces.len())]).collect::<String>())
                    .collect::<Vec<_>>();
                records.push(record);
            }
            // Long fields cross the buffer's end.
            records.push((0..width).map(|i| "x,\"".repeat(30_000 + i)).collect());
            records.push(vec![String::new(); width]);
            for delimiter in [b',', b'\t'] {
                assert_eq!(ours(&records, delimiter), crates(&records, delimiter), "width {width}");
            }
        }
    }

    /// A writer dropped without `into_inner` (an error ended the run)
    /// hands over what it holds, as the `csv` crate's writer does, and
    /// flushes.
    #[test]
    fn dropping_the_writer_writes_out_the_rows() {
        let records: Vec<Vec<String>> =
            (0..5_000).map(|i| vec![i.to_string(), "x,y".to_string(), "\"q\"".repeat(i % 3)]).collect();
        for cut in [1, 41, 3_000, 5_000] {
            let sink = Shared::default();
            let mut w = DelimitedWriter::new(Box::new(sink.clone()), b',');
            for r in &records[..cut] {
                w.write_record(r).unwrap();
            }
            drop(w);
            let ours = sink.0.lock().unwrap().clone();
            let mut theirs = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
            for r in &records[..cut] {
                theirs.write_record(r).unwrap();
            }
            assert_eq!(ours, theirs.into_inner().unwrap(), "{cut} records");
        }
        // The flush reaches the underlying writer too.
        #[derive(Clone, Default)]
        struct Flushes(Arc<Mutex<usize>>);
        impl Write for Flushes {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                *self.0.lock().unwrap() += 1;
                Ok(())
            }
        }
        let f = Flushes::default();
        let mut w = DelimitedWriter::new(Box::new(f.clone()), b',');
        w.write_record(&["a"]).unwrap();
        drop(w);
        assert_eq!(*f.0.lock().unwrap(), 1);
    }

    #[test]
    fn a_record_of_another_length_is_an_error() {
        let mut w = DelimitedWriter::new(Box::new(io::sink()), b',');
        w.write_record(&["a", "b"]).unwrap();
        let e = w.write_record(&["a"]).unwrap_err();
        assert!(e.to_string().contains("found record with 1 fields, but the previous record has 2 fields"), "{e}");
    }
}
