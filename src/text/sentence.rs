//! Stage 2: the sentence splitter.
//!
//! Rule-based (no crate does news-grade English splitting with offsets and
//! without a model). A boundary is proposed after `.`, `!`, `?` or an ellipsis
//! (plus any closing quotes/brackets) followed by whitespace, and after a blank
//! line. It is vetoed when the next word starts in lower case, after title
//! abbreviations ("Mr.", "Sen.", "Jan."), after initials ("J."), before a
//! digit after an abbreviation ("No. 5"), and after abbreviations that can end
//! a sentence ("U.S.", "Inc.") unless a typical sentence opener follows.

use super::token::Span;

/// Abbreviations that never end a sentence in news prose: titles, months
/// (except "May"), and reference words that precede a number.
const TITLE_ABBREVS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "sens", "rep", "reps", "gov", "gen", "lt", "col", "capt", "cpt", "sgt",
    "maj", "adm", "cmdr", "cmdt", "rev", "hon", "pres", "supt", "det", "insp", "st", "mt", "ft", "atty", "amb", "sec",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "vol", "fig",
    "art", "vs", "v", "approx", "est", "dept", "univ", "ave", "blvd", "rd", "e.g", "i.e", "cf", "al", "ca", "p", "pp",
    "op", "para", "sec", "ch",
];

/// Abbreviations that often end a sentence too; they end one only when a
/// typical sentence opener follows.
const FINAL_ABBREVS: &[&str] = &["inc", "corp", "co", "ltd", "llc", "jr", "sr", "etc", "bros", "plc"];

/// Words that typically open a sentence (closed-class words: determiners,
/// pronouns, conjunctions, sentence adverbs, and a few news openers); a
/// proper noun after an abbreviation ("Acme Inc. Reuters reported") does
/// not start a sentence, these do. Used after "U.S.", "Inc." etc.
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "But",
    "And",
    "In",
    "On",
    "At",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "If",
    "When",
    "While",
    "As",
    "After",
    "Before",
    "For",
    "So",
    "Yet",
    "Still",
    "However",
    "Meanwhile",
    "Now",
    "Some",
    "Many",
    "Most",
    "No",
    "Not",
    "One",
    "Two",
    "Officials",
    "Critics",
    "According",
    "Neither",
    "Either",
    "Both",
    "Each",
    "Every",
    "All",
    "Any",
    "Few",
    "Several",
    "Such",
    "Nobody",
    "None",
    "What",
    "Who",
    "Why",
    "How",
    "Where",
    "Although",
    "Because",
    "Since",
    "Until",
    "Despite",
    "Instead",
    "Then",
    "Also",
    "Even",
    "Only",
    "Last",
    "Next",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '\u{201d}' | '\u{2019}' | ')' | ']')
}

fn is_opener_mark(c: char) -> bool {
    matches!(c, '"' | '\'' | '\u{201c}' | '\u{2018}' | '(' | '[')
}

/// Split `text` into sentences with byte and char spans. Leading and
/// trailing whitespace is excluded from each span; empty sentences are dropped.
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    let mut cuts: Vec<usize> = Vec::new(); // byte positions where a sentence ends
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Only a line break, a terminal mark or the first byte of an
        // ellipsis can start a boundary; every other byte moved on by one,
        // so skip to the next such byte in one tight scan.
        match super::scan::position_of_any(&bytes[i..], [b'\n', b'.', b'!', b'?', 0xE2]) {
            Some(k) => i += k,
            None => break,
        }
        let b = bytes[i];
        // Blank line = paragraph break.
        if b == b'\n' {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'\n' {
                cuts.push(i);
                i = j;
                continue;
            }
            i += 1;
            continue;
        }
        let is_ellipsis_char = b == 0xE2 && text[i..].starts_with('\u{2026}');
        if !(b == b'.' || b == b'!' || b == b'?' || is_ellipsis_char) {
            i += 1;
            continue;
        }
        // The run of terminal punctuation.
        let punct_start = i;
        let mut j = i;
        let mut dots = 0;
        loop {
            if j < bytes.len() && matches!(bytes[j], b'.' | b'!' | b'?') {
                if bytes[j] == b'.' {
                    dots += 1;
                }
                j += 1;
            } else if text[j..].starts_with('\u{2026}') {
                dots += 3;
                j += '\u{2026}'.len_utf8();
            } else {
                break;
            }
        }
        let run = &text[punct_start..j];
        let ellipsis = dots >= 3;
        // Closing quotes and brackets belong to the sentence they close.
        let mut k = j;
        let mut closed = false;
        while let Some(c) = text[k..].chars().next() {
            if is_closer(c) {
                k += c.len_utf8();
                closed = true;
            } else {
                break;
            }
        }
        let next = text[k..].chars().next();
        if next.is_some_and(|c| !c.is_whitespace()) {
            // "3.5", "U.S.-led", "end.Next": not a boundary here.
            i = j.max(i + 1);
            continue;
        }
        let after_ws = text[k..].trim_start_matches([' ', '\t', '\n', '\u{a0}']);
        let Some(first) = after_ws.chars().next() else {
            i = k.max(i + 1);
            continue; // end of text: the final sentence ends anyway
        };
        let next_word: &str = after_ws.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        let lower_start = first.is_lowercase();
        let cut = if lower_start {
            false
        } else if run == "." && !closed {
            let prev = word_before(text, punct_start);
            let lower_prev = prev.to_lowercase();
            let key = lower_prev.trim_end_matches('.');
            let single_initial = prev.chars().count() == 1 && prev.chars().all(char::is_uppercase);
            if key == "no" {
                // "No. 5" is a reference; "said no." ends a sentence.
                !(prev == "No" && (first.is_ascii_digit() || first == '#'))
            } else if TITLE_ABBREVS.contains(&key) || single_initial {
                false
            } else if FINAL_ABBREVS.contains(&key) || is_dotted_abbreviation(prev) {
                // "Acme Inc. said" continues (lower case, handled above), so
                // does "Acme Inc. Reuters reported"; "Acme Inc. The deal..."
                // is a new sentence.
                OPENERS.contains(&next_word) || is_opener_mark(first)
            } else {
                true
            }
        } else {
            // "!", "?", "...", or any terminal run followed by a closing quote:
            // a boundary unless the next word is lower case (checked above).
            !ellipsis || first.is_uppercase() || is_opener_mark(first) || first.is_ascii_digit()
        };
        if cut {
            cuts.push(k);
        }
        i = k.max(i + 1);
    }
    build_spans(text, &cuts)
}

/// "U.S", "a.m", "Ph.D": short letter groups joined by dots (not a domain
/// name like "www.example.com").
fn is_dotted_abbreviation(word: &str) -> bool {
    word.contains('.') && word.split('.').all(|g| g.chars().count() <= 2 && g.chars().all(char::is_alphabetic))
}

/// The word (letters, digits and internal dots) that ends right before `pos`.
fn word_before(text: &str, pos: usize) -> &str {
    let head = &text[..pos];
    let start =
        head.char_indices().rev().take_while(|&(_, c)| c.is_alphanumeric() || c == '.').last().map_or(pos, |(i, _)| i);
    &text[start..pos]
}

fn build_spans(text: &str, cuts: &[usize]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut cstart = 0usize; // char offset of `start`
    let mut ends: Vec<usize> = cuts.to_vec();
    ends.push(text.len());
    for end in ends {
        if end < start {
            continue;
        }
        let piece = &text[start..end];
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        let char_len_piece = piece.chars().count();
        if !trimmed.is_empty() {
            let s = start + lead;
            let e = s + trimmed.len();
            let cs = cstart + piece[..lead].chars().count();
            let ce = cs + trimmed.chars().count();
            out.push(Sentence { span: Span { start: s, end: e, char_start: cs, char_end: ce } });
        }
        start = end;
        cstart += char_len_piece;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        split_sentences(text).iter().map(|s| &text[s.span.start..s.span.end]).collect()
    }

    #[test]
    fn titles_and_initials_do_not_end_sentences() {
        assert_eq!(
            split("Mr. Smith met Sen. Jones and Dr. J. R. Okafor. They talked."),
            vec!["Mr. Smith met Sen. Jones and Dr. J. R. Okafor.", "They talked."]
        );
    }

    #[test]
    fn months_numbers_and_decimals() {
        assert_eq!(
            split("On Jan. 5 the No. 5 team rose 3.5 percent. It was $4.2 billion."),
            vec!["On Jan. 5 the No. 5 team rose 3.5 percent.", "It was $4.2 billion."]
        );
    }

    #[test]
    fn us_ends_a_sentence_only_before_an_opener() {
        assert_eq!(
            split("He moved to the U.S. The move was quick. The U.S. Senate voted."),
            vec!["He moved to the U.S.", "The move was quick.", "The U.S. Senate voted."]
        );
    }

    #[test]
    fn closing_quotes_and_lowercase_continuations() {
        assert_eq!(
            split("\"It is over,\" she said. \"Really?\" he asked. “Yes.” Then silence."),
            vec!["\"It is over,\" she said.", "\"Really?\" he asked.", "“Yes.”", "Then silence."]
        );
    }

    #[test]
    fn ellipses() {
        assert_eq!(
            split("We waited... and waited. Then... Nothing. The end…"),
            vec!["We waited... and waited.", "Then...", "Nothing.", "The end…"]
        );
    }

    #[test]
    fn paragraphs_split_and_headlines_stand_alone() {
        assert_eq!(split("Headline here\n\nBody one. Body two"), vec!["Headline here", "Body one.", "Body two"]);
    }

    #[test]
    fn company_abbreviation_mid_sentence() {
        assert_eq!(
            split("Acme Inc. said profits rose. Shares fell."),
            vec!["Acme Inc. said profits rose.", "Shares fell."]
        );
    }

    #[test]
    fn company_abbreviation_ends_a_sentence_only_before_an_opener() {
        assert_eq!(
            split("They sued Acme Inc. Reuters reported the deal."),
            vec!["They sued Acme Inc. Reuters reported the deal."]
        );
        assert_eq!(
            split("They sued Acme Inc. The deal collapsed."),
            vec!["They sued Acme Inc.", "The deal collapsed."]
        );
        assert_eq!(
            split("They sued Acme Inc. “We will appeal,” it said."),
            vec!["They sued Acme Inc.", "“We will appeal,” it said."]
        );
    }

    #[test]
    fn char_spans_match_text() {
        let text = "Zoë won. “Great,” said Ana.";
        for s in split_sentences(text) {
            let by_char: String =
                text.chars().skip(s.span.char_start).take(s.span.char_end - s.span.char_start).collect();
            assert_eq!(by_char, &text[s.span.start..s.span.end]);
        }
    }
}
