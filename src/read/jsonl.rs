//! JSON Lines: one object per line; also a JSON array of objects or
//! pretty-printed objects, split into records by [`ValueSplitter`]. A line that is not a JSON object, or
//! lacks the text field, is one skipped document; a field asked for that
//! none of the first [`PROBE_RECORDS`] records has is a mistake in the
//! options, an error that lists the fields there are (as a misspelled CSV
//! column is).

use super::json_values::ValueSplitter;
use super::{cannot_read_further, make_document, ColumnRole, DocResult, ReadError, ReadOptions};
use crate::text::normalize::normalize_bytes;
use serde_json::{Map, Value};
use std::collections::{BTreeSet, VecDeque};
use std::io::BufRead;

/// Records read before deciding whether a field asked for exists at all:
/// enough that a field most records lack (sparse metadata) still shows up,
/// few enough to hold (they are held back, in order, until then).
pub const PROBE_RECORDS: usize = 100;

pub struct JsonlReader {
    reader: Box<dyn BufRead + Send>,
    location: String,
    /// Given with `--id-field` (a record without it is then a warning);
    /// otherwise `id`, used when present.
    id_field: Option<String>,
    text_field: String,
    keep: Vec<String>,
    keep_roles: Vec<ColumnRole>,
    max_doc_bytes: Option<u64>,
    line: usize,
    record: usize,
    buf: Vec<u8>,
    done: bool,
    /// While probing: the results of the first records, held back until
    /// the fields asked for are known to exist.
    probe: Option<Probe>,
    pending: VecDeque<DocResult>,
    /// For a JSON array or pretty-printed objects: where records end.
    values: Option<ValueSplitter>,
}

/// What the first records showed.
#[derive(Default)]
struct Probe {
    results: Vec<DocResult>,
    objects: usize,
    fields: BTreeSet<String>,
    has_text: bool,
    has_id: bool,
    has_keep: Vec<bool>,
}

impl JsonlReader {
    pub fn new(mut reader: Box<dyn BufRead + Send>, location: String, opts: &ReadOptions) -> Self {
        // A failed peek is reported when the same bytes are read.
        let split = reader.fill_buf().is_ok_and(ValueSplitter::wanted);
        // A record is held whole while it is parsed: at most what a text of
        // --max-doc-mb can take written as JSON (escapes at 6 bytes a
        // character) and its metadata.
        let max_record = opts.max_doc_bytes.map(|m| (m as usize).saturating_mul(6).saturating_add(1 << 20));
        JsonlReader {
            values: split.then(|| ValueSplitter::new(max_record)),
            reader,
            location,
            id_field: opts.id_col.clone(),
            text_field: opts.text_col.clone().unwrap_or_else(|| "text".into()),
            keep: opts.keep_cols.clone(),
            keep_roles: (0..opts.keep_cols.len()).map(|i| opts.keep_role(i)).collect(),
            max_doc_bytes: opts.max_doc_bytes,
            line: 0,
            record: 0,
            buf: Vec::new(),
            done: false,
            probe: Some(Probe { has_keep: vec![false; opts.keep_cols.len()], ..Probe::default() }),
            pending: VecDeque::new(),
        }
    }

    /// The next record straight from the file (`None` at the end).
    fn read_record(&mut self) -> Option<DocResult> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            let location = match &mut self.values {
                None => match self.next_line() {
                    Some(Ok(location)) => location,
                    Some(Err(e)) => return Some(Err(e)),
                    None => continue,
                },
                Some(split) => match split.next_value(&mut self.reader, &mut self.buf) {
                    Ok(None) => {
                        self.done = true;
                        return None;
                    }
                    Ok(Some(v)) => {
                        self.line = v.line;
                        let location = format!("{}:{} (record {})", self.location, v.line, self.record + 1);
                        if let Some(why) = v.broken {
                            self.record += 1;
                            return Some(Err(ReadError::record(location, why)));
                        }
                        location
                    }
                    Err(e) => {
                        self.done = true;
                        return Some(Err(ReadError::record(
                            format!("{}:{}", self.location, self.line),
                            cannot_read_further(&e),
                        )));
                    }
                },
            };
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
                let place = if self.values.is_some() { "as this record" } else { "on this line" };
                return Some(Err(ReadError::record(location, format!("expected a JSON object {place}"))));
            };
            if let Some(probe) = &mut self.probe {
                probe.see(&obj, &self.text_field, self.id_field.as_deref(), &self.keep);
            }
            return Some(self.document(obj, location, repairs.invalid_utf8));
        }
    }

    /// The next line of a JSON Lines file into `buf`: its location, an
    /// error that ends the file, or `None` at the end (`done` set).
    fn next_line(&mut self) -> Option<Result<String, ReadError>> {
        if self.done {
            return None;
        }
        match self.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => {
                self.done = true;
                None
            }
            Ok(_) => {
                self.line += 1;
                Some(Ok(format!("{}:{}", self.location, self.line)))
            }
            Err(e) => {
                self.done = true;
                Some(Err(ReadError::record(format!("{}:{}", self.location, self.line + 1), cannot_read_further(&e))))
            }
        }
    }

    fn document(&self, obj: Map<String, Value>, location: String, invalid_utf8: bool) -> DocResult {
        let id_value = obj.get(self.id_field.as_deref().unwrap_or("id")).filter(|v| !v.is_null());
        // A missing or null id falls back to the record number.
        let id = id_value.map(cell).unwrap_or_else(|| self.record.to_string());
        let text = match obj.get(&self.text_field) {
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                return Err(ReadError {
                    location,
                    doc_id: Some(id),
                    message: format!("field '{}' is not a string (null, number, array or object)", self.text_field),
                    fatal: false,
                })
            }
            None => {
                return Err(ReadError {
                    location,
                    doc_id: Some(id),
                    message: format!(
                        "no field '{}' (choose one with --text-field); fields are: {}",
                        self.text_field,
                        quoted(obj.keys())
                    ),
                    fatal: false,
                })
            }
        };
        let kept = self.keep.iter().map(|k| obj.get(k).map(cell).unwrap_or_default()).collect();
        let mut doc = make_document(id, text.as_bytes(), kept, location, self.max_doc_bytes)?;
        if invalid_utf8 {
            doc.warnings.push("invalid UTF-8 replaced by U+FFFD".into());
        }
        if let (Some(field), None) = (&self.id_field, id_value) {
            // Asked for by name, so a record number would break joins back to the metadata.
            doc.warnings.push(format!("no field '{field}' (--id-field); the record number is used as its id"));
        }
        Ok(doc)
    }

    /// After the first records: a field asked for that none of them has is
    /// an error naming the option and the fields there are.
    fn check_probe(&self, probe: &Probe) -> Result<(), ReadError> {
        if probe.objects == 0 {
            return Ok(()); // nothing to judge by: the records say what is wrong
        }
        let seen = format!("the first {} record(s)", probe.objects);
        let fields = quoted(probe.fields.iter());
        let location = format!("{}:{}", self.location, self.line);
        if !probe.has_text {
            return Err(ReadError::fatal(
                location,
                format!(
                    "no text field '{}' in {seen}; fields are: {fields} (choose one with --text-field)",
                    self.text_field
                ),
            ));
        }
        if let (Some(field), false) = (&self.id_field, probe.has_id) {
            return Err(ReadError::fatal(
                location,
                format!("no id field '{field}' in {seen}; fields are: {fields} (choose one with --id-field)"),
            ));
        }
        if let Some(i) = probe.has_keep.iter().position(|has| !has) {
            let role = &self.keep_roles[i];
            return Err(ReadError::fatal(
                location,
                format!(
                    "no {} '{}' in {seen}; fields are: {fields} (choose one with {})",
                    role.what.replace("column", "field"),
                    self.keep[i],
                    role.option
                ),
            ));
        }
        Ok(())
    }
}

impl Probe {
    fn see(&mut self, obj: &Map<String, Value>, text: &str, id: Option<&str>, keep: &[String]) {
        self.objects += 1;
        self.fields.extend(obj.keys().cloned());
        self.has_text |= obj.contains_key(text);
        self.has_id |= id.is_some_and(|f| obj.contains_key(f));
        for (has, k) in self.has_keep.iter_mut().zip(keep) {
            *has |= obj.contains_key(k);
        }
    }
}

/// `'a', 'b'`.
fn quoted<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let mut names: Vec<&String> = names.collect();
    names.sort();
    names.iter().map(|f| format!("'{f}'")).collect::<Vec<_>>().join(", ")
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
        while self.probe.as_ref().is_some_and(|p| p.objects < PROBE_RECORDS) {
            match self.read_record() {
                Some(result) => self.probe.as_mut()?.results.push(result),
                None => break,
            }
        }
        if let Some(probe) = self.probe.take() {
            if let Err(e) = self.check_probe(&probe) {
                self.done = true;
                self.pending.clear();
                return Some(Err(e));
            }
            self.pending.extend(probe.results);
        }
        self.pending.pop_front().or_else(|| self.read_record())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, opts: &ReadOptions) -> Vec<DocResult> {
        JsonlReader::new(Box::new(std::io::Cursor::new(text.as_bytes().to_vec())), "f".into(), opts).collect()
    }

    #[test]
    fn a_text_field_no_first_record_has_is_one_error_listing_the_fields() {
        let text = "{\"id\": 1, \"body\": \"a\"}\n".repeat(300);
        let out = read(&text, &ReadOptions::default());
        assert_eq!(out.len(), 1, "one error, not one per record");
        let e = out[0].as_ref().unwrap_err();
        assert!(e.fatal);
        assert!(e.message.contains("no text field 'text' in the first 100 record(s); fields are: 'body', 'id'"), "{e}");
    }

    #[test]
    fn a_field_some_records_lack_is_a_record_error() {
        let text = "{\"text\": \"a\"}\n{\"body\": \"b\"}\n{\"text\": \"c\"}\n";
        let out = read(text, &ReadOptions::default());
        assert_eq!(out.len(), 3);
        assert!(out[0].is_ok() && out[2].is_ok());
        assert!(!out[1].as_ref().unwrap_err().fatal);
    }

    #[test]
    fn misspelled_id_and_kept_fields_are_errors_naming_the_option() {
        let text = "{\"id\": \"a\", \"text\": \"x\", \"outlet\": \"o\"}\n";
        let opts = ReadOptions { id_col: Some("ident".into()), ..ReadOptions::default() };
        let e = read(text, &opts).remove(0).unwrap_err();
        assert!(e.message.contains("no id field 'ident'") && e.message.contains("--id-field"), "{e}");
        let opts = ReadOptions {
            keep_cols: vec!["outlet".into(), "leaning".into()],
            keep_col_roles: vec![
                ColumnRole::new("kept column", "--keep-cols"),
                ColumnRole::new("label column", "--label-col"),
            ],
            ..ReadOptions::default()
        };
        let e = read(text, &opts).remove(0).unwrap_err();
        assert!(e.message.starts_with("no label field 'leaning' in the first 1 record(s)"), "{e}");
        assert!(e.message.ends_with("(choose one with --label-col)"), "{e}");
    }

    #[test]
    fn a_record_without_the_named_id_field_is_warned_about() {
        let text = "{\"ident\": \"a\", \"text\": \"x\"}\n{\"text\": \"y\"}\n";
        let opts = ReadOptions { id_col: Some("ident".into()), ..ReadOptions::default() };
        let out = read(text, &opts);
        assert!(out[0].as_ref().unwrap().warnings.is_empty());
        let second = out[1].as_ref().unwrap();
        assert_eq!(second.id, "2");
        assert!(second.warnings[0].contains("no field 'ident'"));
    }
}
