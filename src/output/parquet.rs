//! `--format parquet`: the same table as the CSV, typed and compressed, for
//! corpora whose CSVs run to gigabytes.
//!
//! Rows arrive as the formatted cells every other format writes (so the
//! values are exactly the CSV's: decimals rounded to the column's places,
//! text cells under the same spreadsheet policy) and are typed by the
//! column's [`Kind`]: integers and 0/1 flags as Int64 (pandas reads both
//! as int64, as it does the CSV), decimals as Float64, text as Utf8. An
//! empty cell is a null in every column: what pandas makes of an empty CSV
//! cell (NaN).
//!
//! Memory stays bounded: cells go into Arrow builders, a record batch is
//! handed to the Parquet writer every [`BATCH_ROWS`] rows, and the writer
//! closes a row group every [`ROW_GROUP_ROWS`] rows. Parquet needs no
//! seeking, so standard output works too.

use super::columns::Kind;
use crate::error::{Error, Result};
use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::io::Write;
use std::sync::Arc;

/// Rows buffered in Arrow builders before they go to the Parquet writer.
pub const BATCH_ROWS: usize = 8_192;

/// Rows per Parquet row group: the unit readers skip or read in parallel,
/// and what the writer holds (encoded and compressed) in memory.
pub const ROW_GROUP_ROWS: usize = 65_536;

/// The Arrow type of a column of this kind.
pub fn arrow_type(kind: Kind) -> DataType {
    match kind {
        Kind::Text => DataType::Utf8,
        Kind::Integer | Kind::Flag => DataType::Int64,
        Kind::Decimal(_) | Kind::Real => DataType::Float64,
    }
}

enum Builder {
    Text(StringBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
}

impl Builder {
    fn new(kind: Kind) -> Self {
        match kind {
            Kind::Text => Builder::Text(StringBuilder::new()),
            Kind::Integer | Kind::Flag => Builder::Int(Int64Builder::with_capacity(BATCH_ROWS)),
            Kind::Decimal(_) | Kind::Real => Builder::Float(Float64Builder::with_capacity(BATCH_ROWS)),
        }
    }

    /// Append one formatted cell; an empty cell is a null.
    fn append(&mut self, cell: &str) -> std::result::Result<(), String> {
        match self {
            Builder::Text(b) if cell.is_empty() => b.append_null(),
            Builder::Text(b) => b.append_value(cell),
            Builder::Int(b) if cell.is_empty() => b.append_null(),
            Builder::Int(b) => b.append_value(cell.parse::<i64>().map_err(|_| format!("'{cell}' is not an integer"))?),
            Builder::Float(b) if cell.is_empty() => b.append_null(),
            Builder::Float(b) => b.append_value(cell.parse::<f64>().map_err(|_| format!("'{cell}' is not a number"))?),
        }
        Ok(())
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Float(b) => Arc::new(b.finish()),
        }
    }
}

/// A Parquet file being written, row by row.
pub struct ParquetRows {
    writer: ArrowWriter<Box<dyn Write + Send>>,
    schema: SchemaRef,
    builders: Vec<Builder>,
    buffered: usize,
}

impl ParquetRows {
    pub fn new(w: Box<dyn Write + Send>, header: &[&str], kinds: &[Kind]) -> Result<Self> {
        if header.len() != kinds.len() {
            return Err(Error::invalid(format!(
                "Parquet table: {} column names but {} column types",
                header.len(),
                kinds.len()
            )));
        }
        let fields: Vec<Field> =
            header.iter().zip(kinds).map(|(name, kind)| Field::new(*name, arrow_type(*kind), true)).collect();
        let schema = Arc::new(Schema::new(fields));
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_created_by(format!("slant {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = ArrowWriter::try_new(w, schema.clone(), Some(props))?;
        Ok(ParquetRows { writer, schema, builders: kinds.iter().map(|k| Builder::new(*k)).collect(), buffered: 0 })
    }

    /// One row of formatted cells, in header order.
    pub fn write(&mut self, cells: &[String]) -> Result<()> {
        if cells.len() != self.builders.len() {
            return Err(Error::invalid(format!(
                "Parquet table: a row of {} cells for {} columns",
                cells.len(),
                self.builders.len()
            )));
        }
        for ((builder, cell), field) in self.builders.iter_mut().zip(cells).zip(self.schema.fields()) {
            builder.append(cell).map_err(|e| Error::invalid(format!("Parquet column {}: {e}", field.name())))?;
        }
        self.buffered += 1;
        if self.buffered >= BATCH_ROWS {
            self.write_batch()?;
        }
        Ok(())
    }

    /// Hand the buffered rows to the Parquet writer (which closes a row
    /// group when it has [`ROW_GROUP_ROWS`]).
    fn write_batch(&mut self) -> Result<()> {
        if self.buffered == 0 {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), columns)
            .map_err(|e| Error::invalid(format!("Parquet record batch: {e}")))?;
        self.buffered = 0;
        self.writer.write(&batch)?;
        Ok(())
    }

    /// Write the last rows and the file footer; returns the sink.
    pub fn finish(mut self) -> Result<Box<dyn Write + Send>> {
        self.write_batch()?;
        Ok(self.writer.into_inner()?)
    }
}

/// A Parquet table read back as CSV text (header row, then one record per
/// row; nulls as empty cells, numbers in Rust's shortest round-trip form),
/// a record batch at a time: how `summarize` and `terms` read the tables
/// `--format parquet` wrote with the same code that reads CSV.
pub struct CsvFromParquet {
    batches: parquet::arrow::arrow_reader::ParquetRecordBatchReader,
    header: Option<Vec<String>>,
    buf: Vec<u8>,
    pos: usize,
}

impl CsvFromParquet {
    pub fn open(file: std::fs::File) -> Result<Self> {
        let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)?;
        let header = builder.schema().fields().iter().map(|f| f.name().clone()).collect();
        let batches = builder.with_batch_size(BATCH_ROWS).build()?;
        Ok(CsvFromParquet { batches, header: Some(header), buf: Vec::new(), pos: 0 })
    }

    /// The CSV text of one record batch into `buf`.
    fn encode(&mut self, batch: &RecordBatch) -> std::result::Result<(), String> {
        use arrow_array::{Array, Float64Array, Int64Array, StringArray};
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(&mut self.buf);
        if let Some(header) = self.header.take() {
            w.write_record(&header).map_err(|e| e.to_string())?;
        }
        let columns = batch.columns();
        let names = batch.schema();
        let mut record: Vec<String> = vec![String::new(); columns.len()];
        for row in 0..batch.num_rows() {
            for ((cell, a), field) in record.iter_mut().zip(columns).zip(names.fields()) {
                cell.clear();
                if a.is_null(row) {
                    continue;
                }
                let any = a.as_any();
                if let Some(s) = any.downcast_ref::<StringArray>() {
                    cell.push_str(s.value(row));
                } else if let Some(i) = any.downcast_ref::<Int64Array>() {
                    cell.push_str(&i.value(row).to_string());
                } else if let Some(x) = any.downcast_ref::<Float64Array>() {
                    cell.push_str(&x.value(row).to_string());
                } else {
                    return Err(format!(
                        "column {} is of type {}; slant reads the Int64, Float64 and Utf8 columns it writes",
                        field.name(),
                        a.data_type()
                    ));
                }
            }
            w.write_record(&record).map_err(|e| e.to_string())?;
        }
        w.flush().map_err(|e| e.to_string())?;
        Ok(())
    }
}

impl std::io::Read for CsvFromParquet {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.buf.len() {
            self.buf.clear();
            self.pos = 0;
            match self.batches.next() {
                None if self.header.is_some() => {
                    // A table with no rows still has its header.
                    let header = self.header.take().unwrap_or_default();
                    let mut w = csv::WriterBuilder::new().from_writer(&mut self.buf);
                    w.write_record(&header).map_err(std::io::Error::other)?;
                    w.flush()?;
                }
                None => return Ok(0),
                Some(Err(e)) => return Err(std::io::Error::other(e)),
                Some(Ok(batch)) => self.encode(&batch).map_err(std::io::Error::other)?,
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
