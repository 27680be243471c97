//! Property tests: every offset the text pipeline reports round-trips to the
//! source text, on random Unicode input.

use proptest::prelude::*;
use slant::text::{normalize::normalize_str, Analyzer, Span};

fn by_chars(text: &str, s: &Span) -> String {
    text.chars().skip(s.char_start).take(s.char_end - s.char_start).collect()
}

fn check(text: &str) {
    let text = normalize_str(text);
    let mut an = Analyzer::new();
    let doc = an.analyze(&text);
    let mut prev_end = 0;
    for t in &doc.tokens {
        assert!(t.span.start >= prev_end && t.span.start < t.span.end, "token order/overlap in {text:?}");
        prev_end = t.span.end;
        assert_eq!(by_chars(&text, &t.span), &text[t.span.start..t.span.end], "token char offsets in {text:?}");
        assert!((t.sentence as usize) < doc.sentences.len().max(1));
    }
    let mut prev_end = 0;
    for s in &doc.sentences {
        assert!(s.span.start >= prev_end && s.span.start < s.span.end, "sentence order in {text:?}");
        prev_end = s.span.end;
        let piece = &text[s.span.start..s.span.end];
        assert_eq!(by_chars(&text, &s.span), piece);
        assert_eq!(piece, piece.trim(), "sentences exclude surrounding whitespace");
    }
    for q in &doc.quotes {
        assert_eq!(by_chars(&text, &q.span), &text[q.span.start..q.span.end]);
    }
    // Every token lies inside exactly one sentence.
    for t in &doc.tokens {
        let s = &doc.sentences[t.sentence as usize];
        assert!(t.span.start >= s.span.start && t.span.end <= s.span.end, "token outside its sentence in {text:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn offsets_round_trip_on_random_unicode(text in "\\PC{0,200}") {
        check(&text);
    }

    #[test]
    fn offsets_round_trip_on_newsy_text(parts in proptest::collection::vec(prop_oneof![
        Just("Mr. "), Just("U.S. "), Just("said "), Just("“"), Just("”"), Just("\""), Just("... "), Just("… "),
        Just("3.5 "), Just("don’t "), Just("Zoë "), Just("e\u{301} "), Just("\n\n"), Just("\r\n"), Just(". "),
        Just("? "), Just("! "), Just("https://example.org/x. "), Just("a@b.org "), Just("so-called "), Just("J. "),
        Just("No. 5 "), Just("(maybe) "), Just("—"), Just("日本語 "), Just("\u{feff}"), Just("\t"),
        // Pieces without a trailing space, so URLs, e-mails and words meet
        // multi-byte closers and marks directly (char-boundary edge cases).
        Just("www.example.com/a"), Just("http://x.org"), Just("b@c.io"), Just("’"), Just("”"), Just("\u{301}"),
        Just("U.S"), Just(".")
    ], 0..60)) {
        check(&parts.concat());
    }
}
