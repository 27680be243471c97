//! Stage 1: the tokenizer.
//!
//! Hand-written rather than `unicode-segmentation`'s word bounds because news
//! text needs units UAX #29 splits apart (URLs, e-mail addresses, "U.S.",
//! "1,000"), and because a byte/char scanner measured 2-3x faster than
//! `unicode_words` on news text (see ../shared/notes/rust-stack.md §4.2).
//! Every token carries byte and character offsets into the canonical text.

/// What a token is. Only `Punct` tokens are not counted as words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Word,
    Number,
    Url,
    Email,
    /// Clause punctuation kept so that lexicon phrases do not match across it:
    /// `, ; : ( ) [ ] — – . ! ? …`
    Punct,
}

impl TokenKind {
    pub fn is_word(self) -> bool {
        !matches!(self, TokenKind::Punct)
    }
}

/// A token's span in the canonical text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub char_start: usize,
    pub char_end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawToken {
    pub span: Span,
    pub kind: TokenKind,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric(); // the common case, without Unicode tables
    }
    c.is_alphanumeric() || is_mark(c)
}

/// Combining marks that survive NFC (e.g. in Devanagari) belong to the word.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x0DFF | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF) && !c.is_alphanumeric()
}

/// The ASCII characters of [`is_punct_token`].
fn is_punct_byte(b: u8) -> bool {
    matches!(b, b',' | b';' | b':' | b'(' | b')' | b'[' | b']' | b'.' | b'!' | b'?')
}

fn is_punct_token(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '(' | ')' | '[' | ']' | '.' | '!' | '?' | '\u{2026}' | '\u{2014}' | '\u{2013}')
}

/// A cursor that tracks byte and char positions together, so char offsets
/// cost one increment per character instead of a rescan.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    cpos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }
    fn peek_at(&self, n: usize) -> Option<char> {
        self.text[self.pos..].chars().nth(n)
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        self.cpos += 1;
        Some(c)
    }
}

/// Tokenize `text`, appending to `out` (cleared first).
pub fn tokenize(text: &str, out: &mut Vec<RawToken>) {
    out.clear();
    let mut cur = Cursor { text, pos: 0, cpos: 0 };
    // Most articles have no '@': one scan (memchr) saves an e-mail probe per word.
    let may_have_email = text.as_bytes().contains(&b'@');
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(cur.pos) {
        // An ASCII character that starts no token (a space, a line break, a
        // quotation mark, most symbols) is skipped in one step, without
        // decoding it and testing it against every token start below.
        if b.is_ascii() && !b.is_ascii_alphanumeric() && !is_punct_byte(b) && b != b'-' {
            cur.pos += 1;
            cur.cpos += 1;
            continue;
        }
        let Some(c) = cur.peek() else { break };
        let (start, cstart) = (cur.pos, cur.cpos);
        if is_word_char(c) {
            let kind = if let Some(k) = scan_url(&mut cur) {
                k
            } else if let Some(k) = may_have_email.then(|| scan_email(&mut cur)).flatten() {
                k
            } else {
                scan_word(&mut cur)
            };
            out.push(RawToken { span: Span { start, end: cur.pos, char_start: cstart, char_end: cur.cpos }, kind });
        } else if is_punct_token(c) || (is_hyphen(c) && c == '-' && cur.peek_at(1).is_none_or(|n| n.is_whitespace())) {
            cur.bump();
            // Runs of the same punctuation ("...", "?!", "--") form one token.
            while let Some(n) = cur.peek() {
                if matches!(n, '.' | '!' | '?' | '-') && matches!(c, '.' | '!' | '?' | '-') {
                    cur.bump();
                } else {
                    break;
                }
            }
            out.push(RawToken {
                span: Span { start, end: cur.pos, char_start: cstart, char_end: cur.cpos },
                kind: TokenKind::Punct,
            });
        } else {
            cur.bump();
        }
    }
}

/// URLs start with a scheme or `www.` and run to whitespace; trailing
/// sentence punctuation and closing quotes/brackets are given back.
fn scan_url(cur: &mut Cursor) -> Option<TokenKind> {
    let rest = &cur.text[cur.pos..];
    // Every prefix below starts with an h or a w (either case).
    if !rest.as_bytes().first().is_some_and(|&b| matches!(b | 0x20, b'h' | b'w')) {
        return None;
    }
    // Called at every word start: compare in place, no lowercased copy.
    let starts = |p: &str| rest.as_bytes().get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()));
    if !(starts("http://") || starts("https://") || starts("www.")) {
        return None;
    }
    let mut end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\u{201c}' | '\u{201d}' | '<' | '>'))
        .unwrap_or(rest.len());
    while let Some(last) = rest[..end].chars().next_back() {
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '\'' | '\u{2019}') {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    if end <= 4 {
        return None;
    }
    let target = cur.pos + end;
    while cur.pos < target {
        cur.bump();
    }
    Some(TokenKind::Url)
}

/// `local@domain.tld` with ASCII local part characters `[A-Za-z0-9._%+-]`.
fn scan_email(cur: &mut Cursor) -> Option<TokenKind> {
    let rest = &cur.text[cur.pos..];
    let bytes = rest.as_bytes();
    let local_ok = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let mut i = 0;
    while i < bytes.len() && i < 64 && local_ok(bytes[i]) {
        i += 1;
    }
    if i == 0 || i >= bytes.len() || bytes[i] != b'@' {
        return None;
    }
    let dom_start = i + 1;
    let mut j = dom_start;
    while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'.' | b'-')) {
        j += 1;
    }
    // Trailing dots/hyphens belong to the sentence, not the address.
    while j > dom_start && matches!(bytes[j - 1], b'.' | b'-') {
        j -= 1;
    }
    let domain = &rest[dom_start..j];
    let tld = domain.rsplit('.').next().unwrap_or("");
    if !domain.contains('.') || tld.len() < 2 || !tld.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let target = cur.pos + j;
    while cur.pos < target {
        cur.bump();
    }
    Some(TokenKind::Email)
}

/// Words with internal apostrophes (don't, O'Brien), hyphens (so-called),
/// dotted abbreviations (U.S.), decimals (3.5) and thousands (1,000).
fn scan_word(cur: &mut Cursor) -> TokenKind {
    let start = cur.pos;
    let first = cur.peek().unwrap_or(' ');
    let mut all_digits = first.is_ascii_digit();
    // Letters separated by dots, one at a time: "U.S", "a.m".
    let mut dotted_abbrev = true;
    let mut run_len = 0usize;
    let mut saw_dot = false;
    let bytes = cur.text.as_bytes();
    loop {
        // Fast path: a run of ASCII letters and digits, in one step.
        let run = bytes[cur.pos..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if run > 0 {
            if all_digits && bytes[cur.pos..cur.pos + run].iter().any(|b| !b.is_ascii_digit()) {
                all_digits = false;
            }
            run_len += run;
            if run_len > 1 {
                dotted_abbrev = false;
            }
            cur.pos += run;
            cur.cpos += run;
        }
        // The usual end of a word: an ASCII character that is neither a
        // letter or digit nor one of the joiners tested below (apostrophe,
        // hyphen, dot, comma) ends it, whatever follows.
        if bytes
            .get(cur.pos)
            .is_some_and(|&b| b.is_ascii() && !b.is_ascii_alphanumeric() && !matches!(b, b'\'' | b'-' | b'.' | b','))
        {
            break;
        }
        let Some(c) = cur.peek() else { break };
        if is_word_char(c) {
            cur.bump();
            run_len += 1;
            if run_len > 1 {
                dotted_abbrev = false;
            }
            if !c.is_ascii_digit() {
                all_digits = false;
            }
            continue;
        }
        let next = cur.peek_at(1);
        let next_is_word = next.is_some_and(is_word_char);
        if is_apostrophe(c) && next.is_some_and(|n| n.is_alphabetic()) && !all_digits {
            dotted_abbrev = false;
        } else if is_hyphen(c) && next_is_word {
            dotted_abbrev = false;
            all_digits = false;
        } else if c == '.' && all_digits && next.is_some_and(|n| n.is_ascii_digit()) {
            // decimal point
        } else if c == ',' && all_digits && thousands_group_follows(&cur.text[cur.pos + 1..]) {
            // thousands separator
        } else if c == '.' && dotted_abbrev && run_len == 1 && next.is_some_and(|n| n.is_alphabetic()) {
            // "U.S": the letter after the dot must itself be a single letter
            // followed by a dot or the end of the word.
            let after = cur.peek_at(2);
            if after.is_some_and(is_word_char) {
                break;
            }
            saw_dot = true;
            cur.bump();
            run_len = 0;
            continue;
        } else {
            break;
        }
        cur.bump();
        run_len = 0;
    }
    // Keep the final dot of a dotted abbreviation: "U.S." is one token.
    if saw_dot && dotted_abbrev && cur.peek() == Some('.') {
        cur.bump();
    }
    let text = &cur.text[start..cur.pos];
    if first.is_ascii_digit() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        TokenKind::Number
    } else {
        TokenKind::Word
    }
}

fn thousands_group_follows(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.len() >= 3 && b[..3].iter().all(u8::is_ascii_digit) && b.get(3).is_none_or(|c| !c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<(&str, TokenKind)> {
        let mut out = Vec::new();
        tokenize(text, &mut out);
        out.iter().map(|t| (&text[t.span.start..t.span.end], t.kind)).collect()
    }

    fn words(text: &str) -> Vec<&str> {
        toks(text).into_iter().filter(|(_, k)| k.is_word()).map(|(s, _)| s).collect()
    }

    #[test]
    fn contractions_and_hyphens_stay_whole() {
        assert_eq!(
            words("They don't know; it’s a so-called deal with O'Brien's team."),
            vec!["They", "don't", "know", "it’s", "a", "so-called", "deal", "with", "O'Brien's", "team"]
        );
    }

    #[test]
    fn numbers_decimals_and_thousands() {
        let t = toks("up 3.5 percent to 1,000 or $4.2 billion, 12,5");
        let nums: Vec<_> = t.iter().filter(|(_, k)| *k == TokenKind::Number).map(|(s, _)| *s).collect();
        assert_eq!(nums, vec!["3.5", "1,000", "4.2", "12", "5"]);
    }

    #[test]
    fn urls_and_emails_stay_whole() {
        let t = toks("See https://example.org/a?b=1. Write to press@example.org, or www.example.com!");
        assert!(t.contains(&("https://example.org/a?b=1", TokenKind::Url)));
        assert!(t.contains(&("press@example.org", TokenKind::Email)));
        assert!(t.contains(&("www.example.com", TokenKind::Url)));
    }

    #[test]
    fn dotted_abbreviations() {
        assert_eq!(
            words("the U.S. and U.K. economy at 5 p.m. today"),
            vec!["the", "U.S.", "and", "U.K.", "economy", "at", "5", "p.m.", "today"]
        );
        assert_eq!(words("end.Next"), vec!["end", "Next"]);
    }

    #[test]
    fn char_offsets_count_characters_not_bytes() {
        let text = "Zoë said “no”.";
        let mut out = Vec::new();
        tokenize(text, &mut out);
        let said = out[1];
        assert_eq!((said.span.char_start, said.span.char_end), (4, 8));
        let no = out[2];
        assert_eq!(text.chars().skip(no.span.char_start).take(2).collect::<String>(), "no");
    }

    #[test]
    fn punctuation_tokens() {
        let t = toks("Wait... what?! Yes, (maybe) — no.");
        let p: Vec<_> = t.iter().filter(|(_, k)| *k == TokenKind::Punct).map(|(s, _)| *s).collect();
        assert_eq!(p, vec!["...", "?!", ",", "(", ")", "—", "."]);
    }
}
