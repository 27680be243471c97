//! A folder of `.txt` (or `.txt.gz`) files, recursive, in sorted path order.
//! `doc_id` = path relative to the folder, `/`-separated, without extension.

use super::{make_document, open_as, DocResult, Format, ReadError, ReadOptions};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

pub struct FolderReader {
    root: PathBuf,
    options: ReadOptions,
    walker: walkdir::IntoIter,
}

impl FolderReader {
    pub fn new(root: &Path, options: &ReadOptions) -> Self {
        FolderReader {
            root: root.to_path_buf(),
            options: options.clone(),
            walker: walkdir::WalkDir::new(root).sort_by_file_name().into_iter(),
        }
    }
}

pub(crate) fn is_text_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    name.ends_with(".txt") || name.ends_with(".txt.gz") || is_html_file(path)
}

/// `.html`, `.htm` (optionally `.gz`): read for their main text.
pub(crate) fn is_html_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.ends_with(".html") || name.ends_with(".htm")
}

/// Dot files and files in dot folders (`.DS_Store`, `.git/`) are not
/// reported as ignored, nor read by `--input-format txt`.
pub(crate) fn is_hidden(rel: &Path) -> bool {
    rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

/// Relative path without `.txt` / `.txt.gz`, with `/` separators.
pub(crate) fn doc_id_for(rel: &Path) -> String {
    let s = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    for ext in [".txt.gz", ".TXT.GZ", ".txt", ".TXT", ".html.gz", ".htm.gz", ".html", ".HTML", ".htm", ".HTM", ".gz"] {
        if let Some(stripped) = s.strip_suffix(ext) {
            return stripped.to_string();
        }
    }
    s
}

/// Read a whole stream as one document. Kept columns are empty for text
/// files. Stops reading past the size limit, so a huge file is not loaded.
pub(crate) fn read_whole(
    reader: Box<dyn BufRead + Send>,
    id: String,
    location: String,
    options: &ReadOptions,
) -> DocResult {
    let mut bytes = Vec::new();
    let limit = options.max_doc_bytes.map_or(u64::MAX, |m| m.saturating_add(1));
    reader.take(limit).read_to_end(&mut bytes).map_err(|e| ReadError {
        location: location.clone(),
        doc_id: Some(id.clone()),
        message: format!("cannot read, document skipped: {}", super::cannot_read_further(&e)),
        fatal: false,
    })?;
    make_document(id, &bytes, vec![String::new(); options.keep_cols.len()], location, options.max_doc_bytes)
}

impl Iterator for FolderReader {
    type Item = DocResult;

    fn next(&mut self) -> Option<DocResult> {
        loop {
            let entry = match self.walker.next()? {
                Ok(e) => e,
                Err(e) => {
                    let loc = e.path().map_or_else(|| self.root.display().to_string(), |p| p.display().to_string());
                    return Some(Err(ReadError::record(loc, format!("cannot read: {e}"))));
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let rel = path.strip_prefix(&self.root).unwrap_or(path);
            // `--input-format txt` reads every file of a folder as text;
            // other files are counted for the run's summary.
            let hidden = is_hidden(rel);
            if !(is_text_file(path) || self.options.format == Some(Format::Txt) && !hidden) {
                if !hidden {
                    if let Ok(mut notes) = self.options.notes.lock() {
                        notes.ignore(path);
                    }
                }
                continue;
            }
            let id = doc_id_for(rel);
            let location = path.display().to_string();
            return Some(match open_as(path, &self.options.bytes_read, self.options.encoding) {
                // HTML files give their main text, unless every file is read as text.
                Ok(r) if is_html_file(path) && self.options.format != Some(Format::Txt) => {
                    read_whole(r, id, location, &self.options).and_then(super::from_html)
                }
                Ok(r) => read_whole(r, id, location, &self.options),
                Err(e) => {
                    Err(ReadError { location, doc_id: Some(id), message: format!("cannot open: {e}"), fatal: false })
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_relative_without_extension() {
        assert_eq!(doc_id_for(Path::new("a/b/story.txt")), "a/b/story");
        assert_eq!(doc_id_for(Path::new("story.txt.gz")), "story");
    }
}
