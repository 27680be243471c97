//! `score --resume`: find what an interrupted run already wrote.
//!
//! Resumed runs append in place and flush after every batch, so after a kill
//! an output ends with whole rows plus at most one partly written row. The
//! document file is written last for each document, so a document id in it
//! means that document's sentence and match rows are complete too.

use crate::bail;
use crate::error::{Context, Result};
use rustc_hash::FxHashSet;
use std::fs;
use std::io::Write;
use std::path::Path;

/// A cell as it was before spreadsheet neutralisation (`'=x` -> `=x`),
/// when the earlier run neutralised cells.
fn original_cell(cell: &str, neutralized: bool) -> &str {
    if neutralized {
        super::unguarded(cell)
    } else {
        cell
    }
}

/// Refuse to resume an output written with other options (shard, text
/// handling, lexicons, models, inputs), then record this run's options in
/// the manifest at once, so that a run killed before it finishes can be
/// checked too.
pub fn check_options(path: &Path, options: &serde_json::Value) -> Result<()> {
    let manifest = super::manifest_path(path);
    if let Ok(text) = fs::read_to_string(&manifest) {
        if let Ok(old) = serde_json::from_str::<serde_json::Value>(&text) {
            if let Some(prev) = old.get("options") {
                if prev != options {
                    let keys: Vec<String> = options
                        .as_object()
                        .map(|o| {
                            o.iter().filter(|(k, v)| prev.get(k.as_str()) != Some(v)).map(|(k, _)| k.clone()).collect()
                        })
                        .unwrap_or_default();
                    bail!(
                        "cannot resume {}: it was written with other options ({}); start a new output or use the same options",
                        path.display(),
                        keys.join(", ")
                    );
                }
            }
        }
    } else if path.exists() && fs::metadata(path)?.len() > 0 {
        bail!(
            "cannot resume {}: it has no manifest ({}) saying how it was written",
            path.display(),
            manifest.display()
        );
    }
    let out = super::AtomicOutput::create(Some(&manifest))?;
    {
        let mut w = out.writer()?;
        serde_json::to_writer_pretty(
            &mut w,
            &serde_json::json!({ "status": "in progress (score --resume)", "options": options }),
        )?;
        w.flush()?;
    }
    out.commit()
}

/// A complete row of an earlier output: byte range and first cell (the id).
type Row = (u64, u64, String);

/// Read an earlier output: check its header, and return the byte offset
/// after its last complete row and each complete row's first cell.
fn scan(path: &Path, header: &[&str], neutralized: bool) -> Result<(u64, Vec<Row>)> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {} to resume", path.display()))?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let bom = (bytes.len() - body.len()) as u64;
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body);
    let mut rec = csv::ByteRecord::new();
    if !r.read_byte_record(&mut rec).unwrap_or(false) {
        return Ok((0, Vec::new()));
    }
    let found: Vec<String> = rec.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    if found != header {
        bail!(
            "cannot resume {}: its columns differ from this run's (different lexicon, models or --keep-cols?); first differences: {:?} vs {:?}",
            path.display(),
            found.iter().zip(header).find(|(a, b)| a != *b).map(|p| p.0).unwrap_or(&String::new()),
            found.iter().zip(header).find(|(a, b)| a != *b).map(|p| *p.1).unwrap_or("")
        );
    }
    let mut end = bom + r.position().byte();
    let mut rows = Vec::new();
    loop {
        let start = bom + r.position().byte();
        match r.read_byte_record(&mut rec) {
            Ok(true) => {
                let pos = bom + r.position().byte();
                let complete = rec.len() == header.len() && bytes.get(pos as usize - 1) == Some(&b'\n');
                if !complete {
                    break;
                }
                let id =
                    original_cell(&String::from_utf8_lossy(rec.get(0).unwrap_or_default()), neutralized).to_string();
                rows.push((start, pos, id));
                end = pos;
            }
            _ => break,
        }
    }
    Ok((end, rows))
}

/// Ids of the documents already in the document file, in file order (an
/// id appears as often as it was written); a partly written last row is
/// cut off.
pub fn completed_ids(path: &Path, header: &[&str], neutralized: bool) -> Result<Vec<String>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let (end, rows) = scan(path, header, neutralized)?;
    let len = fs::metadata(path)?.len();
    if end < len {
        let f = fs::OpenOptions::new().write(true).open(path)?;
        f.set_len(end).with_context(|| format!("cannot cut the partial last row of {}", path.display()))?;
    }
    Ok(rows.into_iter().map(|r| r.2).collect())
}

/// Keep only the rows of documents in `ids` (drops rows of a document that
/// was being written when the run stopped), rewriting the file atomically.
/// Returns the number of rows kept.
pub fn keep_rows_of(path: &Path, header: &[&str], ids: &FxHashSet<String>, neutralized: bool) -> Result<usize> {
    if !path.exists() {
        return Ok(0);
    }
    let (end, rows) = scan(path, header, neutralized)?;
    let bytes = fs::read(path)?;
    let len = bytes.len() as u64;
    let kept = rows.iter().filter(|r| ids.contains(&r.2)).count();
    if end == len && kept == rows.len() {
        return Ok(kept);
    }
    let out = super::AtomicOutput::create(Some(path))?;
    {
        let mut w = out.writer()?;
        let header_end = rows.first().map_or(end, |r| r.0) as usize;
        w.write_all(&bytes[..header_end])?;
        for (a, b, id) in &rows {
            if ids.contains(id) {
                w.write_all(&bytes[*a as usize..*b as usize])?;
            }
        }
        w.flush()?;
    }
    out.commit()?;
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_rows_are_cut_and_orphans_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let docs = dir.path().join("d.csv");
        fs::write(&docs, "doc_id,n\na,1\n'-b,2\nc,3").unwrap(); // "c,3" has no newline: partial
        let ids: FxHashSet<String> = completed_ids(&docs, &["doc_id", "n"], true).unwrap().into_iter().collect();
        assert_eq!(ids.len(), 2);
        assert!(ids.contains("a") && ids.contains("-b"));
        assert_eq!(fs::read_to_string(&docs).unwrap(), "doc_id,n\na,1\n'-b,2\n");
        let m = dir.path().join("m.csv");
        fs::write(&m, "doc_id,x\na,1\nc,2\na,\"multi\nline\"\nc,3").unwrap();
        assert_eq!(keep_rows_of(&m, &["doc_id", "x"], &ids, true).unwrap(), 2);
        assert_eq!(fs::read_to_string(&m).unwrap(), "doc_id,x\na,1\na,\"multi\nline\"\n");
        assert!(completed_ids(&docs, &["id", "n"], true).unwrap_err().to_string().contains("columns differ"));
    }
}
