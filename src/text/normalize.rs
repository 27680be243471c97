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
    // `contains` on bytes is a vectorised memchr; most texts have no NUL.
    let nul = if text.as_bytes().contains(&0) { text.bytes().filter(|&b| b == 0).count() } else { 0 };
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
    let out = if is_nfc_quick_fast(&lines) { lines.into_owned() } else { lines.nfc().collect() };
    (out, nul)
}

/// `is_nfc_quick(text) == Yes`, checking only the runs of non-ASCII
/// characters: an ASCII character is a starter (combining class 0) that is
/// always NFC, so the quick check restarts at each one and the runs can be
/// checked apart. Most news text is ASCII but for quotes and dashes, and
/// the per-character check over all of it was 5% of a scoring run.
fn is_nfc_quick_fast(text: &str) -> bool {
    if text.is_ascii() {
        return true;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii() {
            // Skip ASCII eight bytes at a time.
            while let Some(chunk) = bytes.get(i..i + 8) {
                let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
                if word & 0x8080_8080_8080_8080 != 0 {
                    break;
                }
                i += 8;
            }
            while i < bytes.len() && bytes[i].is_ascii() {
                i += 1;
            }
            continue;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii() {
            i += 1;
        }
        // Runs of non-ASCII bytes end at an ASCII byte, a char boundary.
        if is_nfc_quick(text[start..i].chars()) != IsNormalized::Yes {
            return false;
        }
    }
    true
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
    fn fast_nfc_check_agrees_with_the_full_quick_check() {
        let cases = [
            "plain ascii",
            "“curly” quotes — and dashes",
            "Jose\u{301}", // combining mark after an ASCII letter
            "\u{301}leading mark",
            "e\u{301}\u{323} two marks", // out of canonical order
            "e\u{323}\u{301} in order",
            "Ångström ﬁ \u{212b} \u{1e9b}\u{323}", // singleton decomposition, compatibility chars
            "한국어 \u{1100}\u{1161}",             // precomposed and conjoining jamo
            "",
        ];
        for c in cases {
            assert_eq!(is_nfc_quick_fast(c), is_nfc_quick(c.chars()) == IsNormalized::Yes, "{c:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_nfc_check_agrees_on_random_mixed_text(
            text in "[a-eA-E \u{300}-\u{36f}\u{1100}-\u{1175}\u{ac00}-\u{ac10}\u{c0}-\u{ff}\u{201c}\u{201d}\u{212b}\u{1e9b}]{0,24}"
        ) {
            proptest::prop_assert_eq!(is_nfc_quick_fast(&text), is_nfc_quick(text.chars()) == IsNormalized::Yes);
        }
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
