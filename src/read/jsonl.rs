//! JSON Lines: one object per line. A line that is not a JSON object, or
//! lacks the text field, is one skipped document.

use super::{make_document, DocResult, ReadError, ReadOptions};
use crate::text::normalize::normalize_bytes;
use serde_json::Value;
use std::io::BufRead;

pub struct JsonlReader {
    reader: Box<dyn BufRead + Send>,
    location: String,
    id_field: Option<String>,
    text_field: String,
    keep: Vec<String>,
    max_doc_bytes: Option<u64>,
    line: usize,
    record: usize,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlReader {
    pub fn new(reader: Box<dyn BufRead + Send>, location: String, opts: &ReadOptions) -> Self {
        JsonlReader {
            reader,
            location,
            id_field: opts.id_col.clone(),
            text_field: opts.text_col.clone().unwrap_or_else(|| "text".into()),
            keep: opts.keep_cols.clone(),
            max_doc_bytes: opts.max_doc_bytes,
            line: 0,
            record: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

/// A JSON value as a cell: strings as-is, null as empty, others as JSON.
fn cell(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl Iterator for JsonlReader {
    type Item = DocResult;

    fn next(&mut self) -> Option<DocResult> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(ReadError::record(
                        format!("{}:{}", self.location, self.line + 1),
                        format!("cannot read further, rest of the file skipped: {e}"),
                    )));
                }
            }
            self.line += 1;
            let location = format!("{}:{}", self.location, self.line);
            let (line, repairs) = normalize_bytes(&self.buf);
            if line.trim().is_empty() {
                continue;
            }
            self.record += 1;
            let value: Value = match serde_json::from_str(line.trim()) {
                Ok(v) => v,
                Err(e) => return Some(Err(ReadError::record(location, format!("not valid JSON: {e}")))),
            };
            let Value::Object(obj) = value else {
                return Some(Err(ReadError::record(location, "expected a JSON object on this line")));
            };
            // A missing or null id falls back to the record number.
            let id = obj
                .get(self.id_field.as_deref().unwrap_or("id"))
                .filter(|v| !v.is_null())
                .map(cell)
                .unwrap_or_else(|| self.record.to_string());
            let text = match obj.get(&self.text_field) {
                Some(Value::String(s)) => s.clone(),
                Some(_) => {
                    return Some(Err(ReadError {
                        location,
                        doc_id: Some(id),
                        message: format!("field '{}' is not a string (null, number, array or object)", self.text_field),
                        fatal: false,
                    }))
                }
                None => {
                    let mut fields: Vec<&String> = obj.keys().collect();
                    fields.sort();
                    return Some(Err(ReadError {
                        location,
                        doc_id: Some(id),
                        message: format!(
                            "no field '{}' (choose one with --text-field); fields are: {}",
                            self.text_field,
                            fields.iter().map(|f| format!("'{f}'")).collect::<Vec<_>>().join(", ")
                        ),
                        fatal: false,
                    }));
                }
            };
            let kept = self.keep.iter().map(|k| obj.get(k).map(cell).unwrap_or_default()).collect();
            let mut doc = match make_document(id, text.as_bytes(), kept, location, self.max_doc_bytes) {
                Ok(doc) => doc,
                Err(e) => return Some(Err(e)),
            };
            if repairs.invalid_utf8 {
                doc.warnings.push("invalid UTF-8 replaced by U+FFFD".into());
            }
            return Some(Ok(doc));
        }
    }
}
