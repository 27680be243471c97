//! JSON that is not JSON Lines: a JSON array of records (`[ {...}, {...} ]`,
//! one line or pretty-printed) or a stream of pretty-printed objects (what
//! `jq .` writes). The splitter finds where each top-level record starts and
//! ends by tracking brackets and strings, byte by byte, and hands the bytes
//! of one record at a time to the JSON Lines reader: the file is streamed,
//! never held whole, and every record goes through the same field handling
//! (--text-field, --id-field, --keep-cols) as a line of a JSONL file.

use std::io::{self, BufRead};

/// Where the records of one file are, as they are read.
#[derive(Debug)]
pub struct ValueSplitter {
    /// Inside the top-level array (`[` consumed).
    in_array: bool,
    started: bool,
    finished: bool,
    /// The current line (1-based), for locations.
    line: usize,
    /// A record larger than this is scanned to its end but not kept
    /// (`None`: no limit): a quote left open must not load the whole file.
    max_record_bytes: Option<usize>,
}

/// One record found by [`ValueSplitter::next_value`].
#[derive(Debug, PartialEq, Eq)]
pub struct RawValue {
    /// Line of the record's first byte.
    pub line: usize,
    /// Why the record cannot be read as a whole, if it cannot.
    pub broken: Option<String>,
}

impl ValueSplitter {
    pub fn new(max_record_bytes: Option<usize>) -> Self {
        ValueSplitter { in_array: false, started: false, finished: false, line: 1, max_record_bytes }
    }

    /// Whether a file starting with `head` is read by the splitter: an
    /// array, or an object whose first line holds only its opening brace.
    pub fn wanted(head: &[u8]) -> bool {
        let text = head.trim_ascii_start();
        let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
        text.starts_with(b"[") || first_line.trim_ascii() == b"{"
    }

    /// The bytes of the next record into `buf` (cleared first); `None` at
    /// the end of the file (or of the array).
    pub fn next_value(&mut self, reader: &mut dyn BufRead, buf: &mut Vec<u8>) -> io::Result<Option<RawValue>> {
        buf.clear();
        if self.finished {
            return Ok(None);
        }
        // Between records: whitespace, and commas inside the array.
        loop {
            let Some(b) = peek(reader)? else {
                self.finished = true;
                return Ok(self.in_array.then(|| RawValue {
                    line: self.line,
                    broken: Some("the JSON array is not closed with ']': the file is truncated".into()),
                }));
            };
            if !self.started {
                self.started = true;
                if b == b'[' {
                    self.in_array = true;
                    reader.consume(1);
                    continue;
                }
            }
            match b {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                b',' if self.in_array => {}
                b']' if self.in_array => {
                    self.finished = true;
                    reader.consume(1);
                    return Ok(None);
                }
                _ => break,
            }
            reader.consume(1);
        }
        let start_line = self.line;
        let (mut depth, mut in_string, mut escaped, mut kept) = (0usize, false, false, 0usize);
        let mut too_large = false;
        loop {
            let Some(b) = peek(reader)? else {
                self.finished = true;
                let why = if in_string { "a string is not closed" } else { "a bracket is not closed" };
                let end = if self.in_array { "the array" } else { "the file" };
                return Ok(Some(RawValue {
                    line: start_line,
                    broken: Some(format!(
                        "{end} ends inside this record ({why}): a truncated file or a quote left open"
                    )),
                }));
            };
            let mut end_after = false;
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth == 0 => break, // the end of the array, after a bare value
                    b'}' | b']' => {
                        depth -= 1;
                        end_after = depth == 0;
                    }
                    b',' | b' ' | b'\t' | b'\r' | b'\n' if depth == 0 => break, // after a bare value
                    _ => {}
                }
            }
            if b == b'\n' {
                self.line += 1;
            }
            kept += 1;
            if self.max_record_bytes.is_some_and(|m| kept > m) {
                too_large = true;
            } else {
                buf.push(b);
            }
            reader.consume(1);
            if end_after {
                break;
            }
        }
        if too_large {
            buf.clear();
            return Ok(Some(RawValue {
                line: start_line,
                broken: Some(format!(
                    "record of {:.1} MB, too large for the --max-doc-mb limit (raise it, or 0 for no limit, to read it)",
                    kept as f64 / 1e6
                )),
            }));
        }
        Ok(Some(RawValue { line: start_line, broken: None }))
    }
}

fn peek(reader: &mut dyn BufRead) -> io::Result<Option<u8>> {
    Ok(reader.fill_buf()?.first().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str, max: Option<usize>) -> Vec<(String, usize, Option<String>)> {
        let mut r = io::Cursor::new(text.as_bytes().to_vec());
        let mut s = ValueSplitter::new(max);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(v) = s.next_value(&mut r, &mut buf).unwrap() {
            out.push((String::from_utf8(buf.clone()).unwrap(), v.line, v.broken));
        }
        out
    }

    #[test]
    fn records_of_an_array_with_brackets_and_quotes_inside_strings() {
        let got = split("[\n {\"text\": \"a ] } [ \\\" ,\"},\n {\"text\": \"b\", \"n\": [1, {\"x\": 2}]}\n]\n", None);
        assert_eq!(
            got,
            vec![
                ("{\"text\": \"a ] } [ \\\" ,\"}".to_string(), 2, None),
                ("{\"text\": \"b\", \"n\": [1, {\"x\": 2}]}".to_string(), 3, None)
            ]
        );
    }

    #[test]
    fn pretty_printed_objects_one_after_another_and_bare_values() {
        let got = split("{\n \"a\": 1\n}\n{\n \"a\": 2\n}\n", None);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].1, 4);
        let got = split("[1, \"x\", null]", None);
        assert_eq!(got.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(), ["1", "\"x\"", "null"]);
        assert!(split("[]", None).is_empty());
        assert!(split("", None).is_empty());
    }

    #[test]
    fn a_truncated_array_or_an_open_quote_is_named_and_bounded() {
        let got = split("[{\"text\": \"a\"}, {\"text\": \"b", None);
        assert_eq!(got.len(), 2);
        assert!(got[1].2.as_deref().unwrap().contains("a string is not closed"));
        let got = split("[{\"text\": \"a\"}", None);
        assert!(got[1].2.as_deref().unwrap().contains("not closed with ']'"));
        let got = split(&format!("[{{\"text\": \"{}\"}}, {{\"text\": \"b\"}}]", "x".repeat(100)), Some(50));
        assert!(got[0].0.is_empty() && got[0].2.as_deref().unwrap().contains("--max-doc-mb"));
        assert_eq!(got[1].0, "{\"text\": \"b\"}");
    }
}
