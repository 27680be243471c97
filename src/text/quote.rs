//! Stage 3: quotation detection, so every token knows whose voice it is in.
//!
//! Handles straight (`"`) and curly (`“ ”`) double quotes, the two-character
//! marks of typewriter and archive text (two apostrophes `''` for either mark,
//! as in the New York Times archive and corpora derived from it; two
//! backticks for an opening mark, as in Penn Treebank text), and the news
//! convention for quotes running over several paragraphs: a paragraph that
//! continues a quotation has no closing mark and the next paragraph opens
//! with a fresh opening mark. An opening mark that never closes is closed at
//! the end of its paragraph (blank line), so one stray quote cannot swallow
//! the rest of an article.

use super::token::Span;

/// The inside of one quotation (quote marks excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    pub span: Span,
    /// Whether the closing mark was found (false: closed at a paragraph end
    /// or at the end of the text).
    pub closed: bool,
}

/// What a quotation mark can do: a straight mark opens or closes, a curly
/// one only opens or only closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Straight,
    Opening,
    Closing,
}

/// The quotation mark starting at byte `pos` of `text` and its length in
/// characters (1, or 2 for `''` and two backticks), if there is one.
fn mark_at(text: &str, pos: usize) -> Option<(Mark, usize)> {
    let rest = &text[pos..];
    let mut chars = rest.chars();
    let mark = match chars.next()? {
        '"' => (Mark::Straight, 1),
        '\u{201c}' | '\u{201e}' => (Mark::Opening, 1),
        '\u{201d}' => (Mark::Closing, 1),
        '\'' if rest.starts_with("''") => (Mark::Straight, 2),
        '`' if rest.starts_with("``") => (Mark::Opening, 2),
        _ => return None,
    };
    Some(mark)
}

fn opens(text: &str, pos: usize) -> bool {
    mark_at(text, pos).is_some_and(|(m, _)| m != Mark::Closing)
}

/// Find quotations in `text`.
pub fn find_quotes(text: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    // (byte, char) of the first character inside the open quotation.
    let mut open: Option<(usize, usize)> = None;
    let mut skip_open_at: Option<usize> = None; // continuation mark to ignore
    let mut skip_to = 0usize; // the second character of a two-character mark
    let mut cpos = 0usize;
    let bytes = text.as_bytes();
    let mut pos = 0usize;
    loop {
        // Most characters are neither a line break nor the start of a
        // quotation mark: count them and move on (the branches below would
        // do nothing else for them). Every such mark is ASCII or starts with
        // the byte 0xE2 (U+201C..U+201E), so skip to the next byte that can
        // start one, counting the characters passed (the bytes that do not
        // continue a UTF-8 sequence).
        let k =
            super::scan::position_of_any(&bytes[pos..], [b'\n', b'"', b'\'', b'`', 0xE2]).unwrap_or(bytes.len() - pos);
        cpos += bytes[pos..pos + k].iter().filter(|&&b| (b as i8) >= -0x40).count();
        pos += k;
        let Some(c) = text[pos..].chars().next() else { break };
        let next_pos = pos + c.len_utf8();
        if !matches!(c, '\n' | '"' | '\'' | '`' | '\u{201c}' | '\u{201d}' | '\u{201e}') || pos < skip_to {
            cpos += 1;
            pos = next_pos;
            continue;
        }
        if c == '\n' {
            if let Some((ob, oc)) = open {
                // Look ahead to the next non-blank line.
                let rest = &text[next_pos..];
                let trimmed = rest.trim_start_matches([' ', '\t', '\n']);
                let blank_line = rest[..rest.len() - trimmed.len()].contains('\n');
                let next_line_at = text.len() - trimmed.len();
                if !trimmed.is_empty() && opens(text, next_line_at) {
                    // Quote continues into the next paragraph.
                    skip_open_at = Some(next_line_at);
                } else if blank_line || trimmed.is_empty() || line_ends_sentence(&text[..pos]) {
                    let (end, cend) = trim_end_span(text, pos, cpos);
                    push(&mut out, ob, oc, end, cend, false);
                    open = None;
                }
                // else: a hard-wrapped line inside a paragraph
            }
        } else if let Some((mark, len)) = mark_at(text, pos) {
            let after = pos + text[pos..].chars().take(len).map(char::len_utf8).sum::<usize>();
            skip_to = after;
            // An inch or seconds mark after a digit (6" pipe) opens nothing.
            let inch = mark == Mark::Straight
                && open.is_none()
                && text[..pos].chars().next_back().is_some_and(|p| p.is_ascii_digit());
            if skip_open_at == Some(pos) {
                skip_open_at = None;
            } else if let Some((ob, oc)) = open {
                if mark != Mark::Opening {
                    push(&mut out, ob, oc, pos, cpos, true);
                    open = None;
                }
            } else if mark != Mark::Closing && !inch {
                open = Some((after, cpos + len));
            }
        }
        cpos += 1;
        pos = next_pos;
    }
    if let Some((ob, oc)) = open {
        let (end, cend) = trim_end_span(text, text.len(), cpos);
        push(&mut out, ob, oc, end, cend, false);
    }
    out
}

/// Whether the line ending at `end` closes a sentence, so an unclosed quote
/// stops there; a hard-wrapped line (ending mid-sentence) continues it.
fn line_ends_sentence(before: &str) -> bool {
    let line = before.rsplit('\n').next().unwrap_or(before).trim_end();
    line.chars().next_back().is_some_and(|c| matches!(c, '.' | '!' | '?' | '\u{2026}' | ':' | ';'))
}

fn trim_end_span(text: &str, end: usize, cend: usize) -> (usize, usize) {
    let trimmed = text[..end].trim_end();
    let dropped = text[trimmed.len()..end].chars().count();
    (trimmed.len(), cend - dropped)
}

fn push(out: &mut Vec<Quote>, start: usize, cstart: usize, end: usize, cend: usize, closed: bool) {
    if end > start {
        out.push(Quote { span: Span { start, end, char_start: cstart, char_end: cend }, closed });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<&str> {
        find_quotes(text).iter().map(|q| &text[q.span.start..q.span.end]).collect()
    }

    #[test]
    fn straight_and_curly() {
        assert_eq!(quotes(r#"He said "yes" and “no” today."#), vec!["yes", "no"]);
    }

    #[test]
    fn multi_paragraph_quote_continues() {
        let text = "“First part of it.\n\n“Second part,” she said.\n\nAfter.";
        assert_eq!(quotes(text), vec!["First part of it.\n\n“Second part,"]);
    }

    #[test]
    fn unclosed_quote_stops_at_paragraph_end() {
        let text = "He said \"this never closes.\n\nNext paragraph is narration.";
        let q = find_quotes(text);
        assert_eq!(q.len(), 1);
        assert!(!q[0].closed);
        assert_eq!(&text[q[0].span.start..q[0].span.end], "this never closes.");
    }

    #[test]
    fn inch_marks_and_unclosed_quotes_do_not_swallow_the_text() {
        let text = "The 6\" pipe burst.\nOfficials said repairs would take weeks.";
        assert!(find_quotes(text).is_empty());
        let text = "He said \"we will win.\nOfficials disagreed.";
        assert_eq!(quotes(text), vec!["we will win."]);
    }

    #[test]
    fn hard_wrapped_quote_continues_over_single_newline() {
        assert_eq!(quotes("\"one two\nthree\" he said"), vec!["one two\nthree"]);
    }

    #[test]
    fn two_character_marks_of_archive_text() {
        // Two apostrophes open and close; two backticks only open.
        assert_eq!(quotes("''We may win,'' she said. ``Maybe,'' he said."), vec!["We may win,", "Maybe,"]);
        let q = find_quotes("A ''b'' c")[0];
        assert_eq!((q.span.char_start, q.span.char_end), (4, 5));
        // A quotation over two paragraphs, each opened with the mark.
        assert_eq!(quotes("''One.\n\n''Two,'' she said."), vec!["One.\n\n''Two,"]);
        // A single apostrophe is not a mark.
        assert!(find_quotes("The students' union met. It's late.").is_empty());
    }

    /// Characters that share the curly marks' first byte (0xE2: dashes,
    /// the ellipsis) and other multi-byte ones are counted as one character
    /// each, before, inside and after a quotation.
    #[test]
    fn char_offsets_after_other_multibyte_characters() {
        let text = "Zoë — “ça… va” – «x» ‘y’ “é”.";
        let q = find_quotes(text);
        assert_eq!(quotes(text), vec!["ça… va", "é"]);
        for q in q {
            assert_eq!(q.span.char_start, text[..q.span.start].chars().count());
            assert_eq!(q.span.char_end, text[..q.span.end].chars().count());
        }
    }

    #[test]
    fn char_offsets() {
        let text = "Zoë: “ça va”";
        let q = find_quotes(text)[0];
        assert_eq!((q.span.char_start, q.span.char_end), (6, 11));
    }
}
