//! Modal context: whether a modal verb stands in a present-tense frame.
//!
//! `would` is the past form of `will`. In a past-tense frame ("she said
//! she would resign", "he announced it would close") it is mostly a
//! backshifted `will` (future in the past) or habitual past, which the
//! evidence guidelines do not count as hedges. In a present-tense frame
//! ("critics say the plan would fail", "the bill, which analysts expect
//! would pass") it cannot be a backshifted `will`, and is the
//! hypothetical/tentative `would` (Coates 1983, ch. 8; Palmer 2001, ch. 8;
//! Biber et al. 1999, §6.6). Lexicon words listed under `@present_frame`
//! are counted only in such a frame, or in a sentence holding a counted
//! conditional match ("if", "unless": the consequence of a condition, Quirk
//! et al. 1985 §15.35; Palmer 2001 ch. 8); measured in scripts/tuning_log.md.

use super::Match;
use crate::text::pos::{Upos, Xpos};
use crate::text::{Analyzed, Analyzer, Token};

/// How many tokens before the modal are searched for the verb that sets
/// the frame. 12 and 20 measured the same; 6 and 8 lost real cues.
const FRAME_WINDOW: usize = 12;
/// How far before a participle its auxiliary is looked for ("has also
/// said", "is widely expected").
const AUX_LOOKBACK: usize = 3;

fn is_present(t: &Token) -> bool {
    t.xpos == Xpos::VBZ || t.xpos == Xpos::VBP
}

/// Whether token `i` stands in a present-tense frame: the nearest verb
/// before it in its sentence (within [`FRAME_WINDOW`] tokens), skipping
/// bare infinitives, is a present-tense finite verb ("says", "think"), or a
/// participle whose auxiliary is present tense ("has said", "are
/// convinced"). A past or modal verb, or no verb at all, is not a present
/// frame. Needs a tagged sentence; an untagged one has no verbs and so no
/// present frame.
pub(super) fn in_present_frame(doc: &Analyzed, i: usize) -> bool {
    let sentence = doc.tokens[i].sentence;
    for j in (i.saturating_sub(FRAME_WINDOW)..i).rev() {
        let t = &doc.tokens[j];
        if t.sentence != sentence {
            return false;
        }
        if !matches!(t.upos, Upos::Verb | Upos::Aux) || t.xpos == Xpos::VB {
            continue;
        }
        if is_present(t) {
            return true;
        }
        if t.xpos == Xpos::VBN || t.xpos == Xpos::VBG {
            let aux = &doc.tokens[j.saturating_sub(AUX_LOOKBACK)..j];
            return aux.iter().any(|a| a.sentence == sentence && a.upos == Upos::Aux && is_present(a));
        }
        return false;
    }
    false
}

/// Words that open a conditional clause. A sentence holding one frames
/// `would` as the consequence (or the protasis) of a condition: "if the bill
/// passed, prices would rise" is hypothetical whatever the tense of the
/// verbs before it.
const CONDITIONAL_WORDS: &[&str] = &["if", "unless"];

/// Verbs and adjectives after which "if" opens an embedded question
/// ("she asked if he would resign", "it is unclear if"), not a condition.
const QUESTION_HEADS: &[&str] = &[
    "ask",
    "asks",
    "asked",
    "asking",
    "wonder",
    "wonders",
    "wondered",
    "wondering",
    "see",
    "sees",
    "saw",
    "seeing",
    "know",
    "knows",
    "knew",
    "knowing",
    "unclear",
];

/// For every sentence of `doc`, whether it holds a condition: a counted
/// lexicon match (after the lexicon's exclusions, such as "as if", "only
/// if", ", if any ,") that opens with a conditional word
/// ([`CONDITIONAL_WORDS`]) not right after a question head
/// ([`QUESTION_HEADS`]). Built once per document, so the `would` check is a
/// look-up, not a scan of its sentence. Measured on the Szeged uncertainty
/// corpus (cue spans of the wiki and FactBank parts): `would` in a sentence
/// with "if" or "unless" is a gold uncertainty cue in 44 of 55 cases,
/// against 95 of 433 elsewhere.
pub(super) fn conditional_sentences(doc: &Analyzed, an: &Analyzer, matches: &[Match]) -> Vec<bool> {
    let mut conditional = vec![false; doc.sentences.len()];
    for m in matches.iter().filter(|m| m.counted()) {
        let opens_condition = CONDITIONAL_WORDS.contains(&an.form(doc.tokens[m.tok_start].form));
        let after_question_head = m.tok_start > 0
            && doc.tokens[m.tok_start - 1].sentence == m.sentence
            && QUESTION_HEADS.contains(&an.form(doc.tokens[m.tok_start - 1].form));
        if opens_condition && !after_question_head {
            if let Some(flag) = conditional.get_mut(m.sentence as usize) {
                *flag = true;
            }
        }
    }
    conditional
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::pos::Tagger;

    /// Whether the first "would" of `text` is in a present frame.
    fn frame_of_would(text: &str) -> bool {
        let mut an = Analyzer::new();
        let mut doc = an.analyze(text);
        an.tag(text, &mut doc, Tagger::builtin());
        let i = doc.tokens.iter().position(|t| an.form(t.form) == "would").expect("a would");
        in_present_frame(&doc, i)
    }

    #[test]
    fn reported_future_in_the_past_is_not_a_present_frame() {
        assert!(!frame_of_would("The senator said she would vote against the bill."));
        assert!(!frame_of_would("On Tuesday the company announced that it would close two plants."));
    }

    #[test]
    fn present_reporting_and_belief_frames_are_present() {
        assert!(frame_of_would("Economists say the tariff would raise prices for families."));
        assert!(frame_of_would("Critics are not convinced that the new version would work any better."));
        assert!(frame_of_would("The agency has said the change would cost millions."));
    }

    #[test]
    fn no_verb_before_is_not_a_present_frame() {
        assert!(!frame_of_would("The measure would require a vote of both chambers."));
    }

    #[test]
    fn the_frame_stays_inside_the_sentence() {
        assert!(!frame_of_would("She thinks so. It would be a mistake to wait."));
    }

    #[test]
    fn untagged_text_has_no_present_frame() {
        let mut an = Analyzer::new();
        let text = "Analysts say it would pass.";
        let doc = an.analyze(text);
        let i = doc.tokens.iter().position(|t| an.form(t.form) == "would").unwrap();
        assert!(!in_present_frame(&doc, i));
    }

    /// Hedge matches of the shipped lexicon in `text`, as matched text.
    fn hedges(text: &str) -> Vec<String> {
        let set = crate::signals::SignalSet::builtin();
        let hedge = set.lexicon.category_index("hedge").unwrap();
        let doc = set.analyze(text, &mut crate::signals::Worker::default());
        doc.matches
            .iter()
            .filter(|m| matches!(m.label, crate::signals::Label::Framing { category, .. } if category == hedge))
            .map(|m| text[m.span.start..m.span.end].to_string())
            .collect()
    }

    #[test]
    fn shipped_lexicon_counts_would_only_in_a_present_frame() {
        assert_eq!(hedges("Opponents say the rule would hurt small farms."), vec!["would"]);
        assert!(hedges("The mayor said he would sign the order.").is_empty());
        // Volition is not possibility.
        assert!(hedges("Voters say they would like a new stadium.").is_empty());
    }

    #[test]
    fn shipped_lexicon_counts_would_in_a_conditional_sentence() {
        // A past frame, but the consequence of a condition.
        assert_eq!(hedges("Officials warned that prices would rise if the plant closed."), vec!["would", "if"]);
        assert_eq!(hedges("Unless the council acts, the fund would run dry."), vec!["Unless", "would"]);
        // The same past frame without a condition is a backshifted will.
        assert!(hedges("Officials warned that prices would rise.").is_empty());
    }

    /// The per-sentence conditional flags of `text` under the shipped lexicon.
    fn conditional_flags(text: &str) -> Vec<bool> {
        let set = crate::signals::SignalSet::builtin();
        let mut worker = crate::signals::Worker::default();
        let doc = set.analyze(text, &mut worker);
        conditional_sentences(&doc.analyzed, &worker.analyzer, &doc.matches)
    }

    #[test]
    fn conditional_flags_are_one_per_sentence() {
        assert_eq!(conditional_flags("If it rains, we stay. The mayor said it would pass."), vec![true, false]);
        assert_eq!(hedges("If it rains, we stay. The mayor said it would pass."), vec!["If"]);
        // A long unpunctuated text is one sentence: one flag, whatever its length.
        let long = "the man said it would rain and ".repeat(200);
        assert_eq!(conditional_flags(&long), vec![false]);
        assert!(hedges(&long).is_empty());
    }

    #[test]
    fn if_that_is_no_condition_does_not_license_would() {
        // Excluded by the lexicon: "if any" between commas, "as if".
        assert!(hedges("Officials said few, if any, voters would notice the change.").is_empty());
        assert!(hedges("He said he would act as if nothing had happened.").is_empty());
        // An embedded question ("asked if", "unclear if") is no condition.
        assert!(!hedges("She asked if he would resign.").contains(&"would".to_string()));
        assert!(!hedges("It was unclear if the board would meet.").contains(&"would".to_string()));
        assert_eq!(conditional_flags("She asked if he would resign."), vec![false]);
    }

    #[test]
    fn shipped_lexicon_drops_necessary_and_comparative_if() {
        assert!(hedges("The grant is paid only if the school applies.").is_empty());
        assert!(hedges("He acted as if nothing had happened.").is_empty());
        assert!(hedges("Few, if any, voters noticed.").is_empty());
        assert_eq!(hedges("If the grant is paid, the school opens."), vec!["If"]);
    }

    #[test]
    fn shipped_lexicon_drops_negated_ability_could() {
        assert!(hedges("He could not swim.").is_empty());
        assert_eq!(hedges("The storm could reach the coast."), vec!["could"]);
        // The explicit non-verification phrase stays a hedge.
        assert_eq!(hedges("The report could not be confirmed."), vec!["could not be confirmed"]);
    }
}
