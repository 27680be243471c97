//! Stage 0 of the text pipeline: turn raw bytes into the canonical text that
//! every offset in slant's output refers to.
//!
//! Canonical text = valid UTF-8, no byte-order mark, `\n` line endings (CRLF and
//! lone CR become `\n`), NUL bytes removed, Unicode NFC. Offsets in the outputs
//! are Unicode scalar (character) offsets into this string.

use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// What normalisation had to repair, so readers can warn about it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Repairs {
    /// Bytes that were not valid UTF-8 and were replaced by U+FFFD.
    pub invalid_utf8: bool,
    /// NUL bytes that were removed.
    pub nul_bytes: usize,
}

/// Decode bytes as UTF-8 (lossy), then normalise. See [`normalize_str`].
pub fn normalize_bytes(bytes: &[u8]) -> (String, Repairs) {
    let mut repairs = Repairs::default();
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            repairs.invalid_utf8 = true;
            String::from_utf8_lossy(bytes)
        }
    };
    let (out, nul) = normalize_counting(&text);
    repairs.nul_bytes = nul;
    (out, repairs)
}

/// Strip a leading BOM, unify line endings, drop NULs and apply NFC.
pub fn normalize_str(text: &str) -> String {
    normalize_counting(text).0
}

fn normalize_counting(text: &str) -> (String, usize) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let nul = text.bytes().filter(|&b| b == 0).count();
    let needs_line_fix = text.contains('\r') || nul > 0;
    let lines: Cow<str> = if needs_line_fix {
        let mut s = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    s.push('\n');
                }
                '\0' => {}
                c => s.push(c),
            }
        }
        Cow::Owned(s)
    } else {
        Cow::Borrowed(text)
    };
    let out = match is_nfc_quick(lines.chars()) {
        IsNormalized::Yes => lines.into_owned(),
        _ => lines.nfc().collect(),
    };
    (out, nul)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_and_fixes_line_endings() {
        assert_eq!(normalize_str("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn composes_to_nfc() {
        assert_eq!(normalize_str("Jose\u{301}"), "Jos\u{e9}");
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported() {
        let (s, r) = normalize_bytes(b"ok \xff end");
        assert!(r.invalid_utf8);
        assert_eq!(s, "ok \u{fffd} end");
    }

    #[test]
    fn nul_bytes_are_removed_and_counted() {
        let (s, r) = normalize_bytes(b"a\0b");
        assert_eq!(s, "ab");
        assert_eq!(r.nul_bytes, 1);
    }
}
