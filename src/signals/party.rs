//! Party affiliation written into the text as a code after a name: "Sen.
//! Ruiz (D-Ohio)", "Schumer, D-N.Y., said", "Rep. Lin (R)", the
//! congressional style of US news. Each code is a side mention of the
//! sides file's party dimension (the one whose sides are labelled
//! `democratic` and `republican`); "I-Vt." (independent) is no side.

use super::{Label, Match, Rule, SignalSet};
use crate::text::{Analyzed, TokenKind};

/// The party dimension and the side index of (democratic, republican).
pub(crate) fn party_dimension(set: &SignalSet) -> Option<(usize, [usize; 2])> {
    set.sides.dimensions.iter().enumerate().find_map(|(i, d)| match (d.side_a.as_str(), d.side_b.as_str()) {
        ("democratic", "republican") => Some((i, [0, 1])),
        ("republican", "democratic") => Some((i, [1, 0])),
        _ => None,
    })
}

/// Side mentions for every party code in `doc`.
pub(crate) fn party_codes(set: &SignalSet, text: &str, doc: &Analyzed) -> Vec<Match> {
    let Some((dim, sides)) = party_dimension(set) else { return Vec::new() };
    let toks = &doc.tokens;
    let surface = |i: usize| text.get(toks[i].span.start..toks[i].span.end).unwrap_or("");
    let mut out = Vec::new();
    for i in 1..toks.len() {
        // A code starts with D, R or I (see `code_letter`): other tokens are
        // passed over without slicing the text.
        if !matches!(text.as_bytes().get(toks[i].span.start), Some(b'D' | b'R' | b'I')) {
            continue;
        }
        let s = surface(i);
        let Some(letter) = code_letter(s) else { continue };
        // After "(" or "," that follows a capitalised word (the name).
        let opener = surface(i - 1);
        let named_before = i >= 2 && toks[i - 2].capitalized && toks[i - 2].kind == TokenKind::Word;
        if !(matches!(opener, "(" | ",") && named_before && toks[i - 1].sentence == toks[i].sentence) {
            continue;
        }
        let bare = s.len() == 1;
        // The state part may be split into pieces glued together ("D-N" "." "Y" ".").
        let mut end = i + 1;
        while !bare
            && end < toks.len()
            && toks[end].span.start == toks[end - 1].span.end
            && (surface(end) == "."
                || (surface(end).len() <= 2 && surface(end).chars().all(|c| c.is_ascii_uppercase())))
        {
            end += 1;
        }
        // "(R)" must be closed right away; "D-Ohio" must end the aside.
        let closer = if end < toks.len() { surface(end) } else { "" };
        if (bare && closer != ")") || !matches!(closer, ")" | "," | ";" | "" | "." | "'s") {
            continue;
        }
        let side = match letter {
            'D' => sides[0],
            'R' => sides[1],
            _ => continue,
        };
        out.push(set.make(doc, Label::SideMention { dim, side }, i, end, Rule::Code("party_code")));
    }
    out
}

/// "D", "R", "I" alone, or followed by "-" and a capitalised state ("D-Ohio", "R-AL", "D-N").
fn code_letter(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let letter = chars.next().filter(|c| matches!(c, 'D' | 'R' | 'I'))?;
    match chars.next() {
        None => Some(letter),
        Some('-') => {
            let rest: Vec<char> = chars.collect();
            let state = !rest.is_empty()
                && rest.len() <= 5
                && rest[0].is_ascii_uppercase()
                && rest.iter().all(|c| c.is_ascii_alphabetic() || *c == '.');
            state.then_some(letter)
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signals::Worker;

    fn codes(text: &str) -> Vec<(String, usize)> {
        let set = SignalSet::builtin();
        let doc = set.analyze(text, &mut Worker::default());
        doc.matches
            .iter()
            .filter(|m| m.rule == Rule::Code("party_code"))
            .map(|m| {
                let Label::SideMention { side, .. } = m.label else { unreachable!() };
                (text[m.span.start..m.span.end].to_string(), side)
            })
            .collect()
    }

    #[test]
    fn codes_after_names() {
        assert_eq!(codes("Sen. Ana Ruiz (D-Ohio) said it."), vec![("D-Ohio".to_string(), 0)]);
        assert_eq!(codes("Voss, R-N.D., said no."), vec![("R-N.D.".to_string(), 1)]);
        assert_eq!(codes("Rep. Jo Lin (R) said it."), vec![("R".to_string(), 1)]);
        // Independent: no side. Not after a name: not a code.
        assert!(codes("Sen. Tate (I-Vt.) spoke.").is_empty());
        assert!(codes("The grade (D) was low, and plan B (R-rated) failed.").is_empty());
    }
}
