//! A CoNLL-U reader for what tagger training needs: each sentence's raw
//! text (`# text = ...`), its words (FORM, UPOS, XPOS, HEAD) and its
//! multiword tokens (`1-2  don't`, whose words are `do` `n't`). Empty nodes
//! (`8.1`, enhanced dependencies only) are skipped.

use crate::text::pos::tags::{Upos, Xpos};
use crate::text::pos::PosError;
use std::io::Read;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TbWord {
    pub form: String,
    pub upos: Upos,
    pub xpos: Xpos,
    /// 1-based id of the syntactic head, 0 for the root.
    pub head: u32,
}

/// A multiword token covering words `first..=last` (1-based ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multiword {
    pub first: u32,
    pub last: u32,
    pub form: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TbSentence {
    pub id: String,
    pub text: String,
    /// Word `i` has id `i + 1`.
    pub words: Vec<TbWord>,
    pub multiwords: Vec<Multiword>,
}

/// Read a `.conllu` or `.conllu.gz` file (gzip is detected by its magic
/// bytes, not the name). Returns the sentences and the file's bytes.
pub fn read_conllu(path: &Path) -> Result<(Vec<TbSentence>, Vec<u8>), PosError> {
    let io = |source| PosError::Io { path: path.to_path_buf(), source };
    let raw = std::fs::read(path).map_err(io)?;
    let mut text = String::new();
    if raw.starts_with(&[0x1f, 0x8b]) {
        flate2::read::MultiGzDecoder::new(raw.as_slice()).read_to_string(&mut text).map_err(io)?;
    } else {
        text = String::from_utf8(raw.clone()).map_err(|_| PosError::Conllu {
            path: path.display().to_string(),
            line: 0,
            message: "not UTF-8".into(),
        })?;
    }
    Ok((parse_conllu(&text, &path.display().to_string())?, raw))
}

/// Parse CoNLL-U text; `source` names it in errors.
pub fn parse_conllu(text: &str, source: &str) -> Result<Vec<TbSentence>, PosError> {
    let err = |line: usize, message: String| PosError::Conllu { path: source.to_string(), line, message };
    let mut out = Vec::new();
    let mut cur: Option<TbSentence> = None;
    let mut start_line = 0;
    let finish = |s: TbSentence, line: usize, out: &mut Vec<TbSentence>| -> Result<(), PosError> {
        if s.words.is_empty() {
            return Err(err(line, format!("sentence {:?} has no words", s.id)));
        }
        if s.text.is_empty() {
            return Err(err(line, format!("sentence {:?} has no `# text =` line", s.id)));
        }
        for w in &s.words {
            if w.head as usize > s.words.len() {
                return Err(err(line, format!("sentence {:?}: head {} out of range", s.id, w.head)));
            }
        }
        out.push(s);
        Ok(())
    };
    for (i, line) in text.lines().enumerate() {
        let ln = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if let Some(s) = cur.take() {
                finish(s, start_line, &mut out)?;
            }
            continue;
        }
        let s = cur.get_or_insert_with(|| {
            start_line = ln;
            TbSentence { id: String::new(), text: String::new(), words: Vec::new(), multiwords: Vec::new() }
        });
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim_start();
            if let Some(v) = c.strip_prefix("sent_id =") {
                s.id = v.trim().to_string();
            } else if let Some(v) = c.strip_prefix("text =") {
                s.text = v.trim().to_string();
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(err(ln, format!("expected 10 tab-separated columns, found {}", cols.len())));
        }
        let id = cols[0];
        if id.contains('.') {
            continue;
        }
        if let Some((a, b)) = id.split_once('-') {
            let (first, last) = match (a.parse::<u32>(), b.parse::<u32>()) {
                (Ok(a), Ok(b)) if a >= 1 && b > a => (a, b),
                _ => return Err(err(ln, format!("bad multiword token range {id:?}"))),
            };
            s.multiwords.push(Multiword { first, last, form: cols[1].to_string() });
            continue;
        }
        let n: usize = id.parse().map_err(|_| err(ln, format!("bad word id {id:?}")))?;
        if n != s.words.len() + 1 {
            return Err(err(ln, format!("word id {n} out of sequence")));
        }
        let upos = Upos::from_name(cols[3]).ok_or_else(|| err(ln, format!("unknown UPOS {:?}", cols[3])))?;
        let xpos = Xpos::from_name(cols[4]).ok_or_else(|| err(ln, format!("unknown XPOS {:?}", cols[4])))?;
        let head = cols[6].parse().map_err(|_| err(ln, format!("bad head {:?}", cols[6])))?;
        s.words.push(TbWord { form: cols[1].to_string(), upos, xpos, head });
    }
    if let Some(s) = cur.take() {
        finish(s, start_line, &mut out)?;
    }
    for s in &out {
        if s.multiwords.iter().any(|m| m.last as usize > s.words.len()) {
            return Err(err(0, format!("sentence {:?}: multiword token past the last word", s.id)));
        }
    }
    Ok(out)
}
