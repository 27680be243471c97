//! Signals found by rules in code rather than by lexicon patterns: direct
//! quotations and scare quotes, indirect speech, named sources, and
//! statements attributed to a partisan side. Each rule is documented in
//! docs/LEXICONS.md ("Rules implemented in code").
//!
//! Every lookup is indexed (per-token flags, matches sorted by position), so
//! the cost grows linearly with document length.

use super::attribution::{self, Attribution, Mode, SourceType, VerbClass};
use super::{sources, Label, Match, Rule, SignalSet};
use crate::text::{Analyzed, Analyzer, TokenKind};
use rustc_hash::{FxHashMap, FxHashSet};

/// Words that are capitalised at the start of a sentence or are dates, and
/// so are not evidence of a named source.
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "our",
    "but",
    "and",
    "or",
    "so",
    "then",
    "there",
    "here",
    "in",
    "on",
    "at",
    "for",
    "as",
    "after",
    "before",
    "when",
    "while",
    "if",
    "also",
    "however",
    "meanwhile",
    "later",
    "earlier",
    "still",
    "yet",
    "according",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "today",
    "yesterday",
    "tomorrow",
    "some",
    "many",
    "one",
    "both",
    "well",
    "what",
    "who",
    "why",
    "how",
    "most",
    "all",
    "no",
    "not",
];

/// Verbs of naming and labelling: a short quotation right after one of them
/// ("called it "absurd"", "known as "a lawyer's lawyer"", "dismissed the
/// case as a "phony lawsuit"") is the label someone else used, a partial
/// quotation, not the author's scare quote. These are the words besides the
/// [`CALLING_VERBS`], which count too (see [`is_naming_word`]).
const NAMING_WORDS: &[&str] = &[
    "term",
    "nicknamed",
    "known",
    "describe",
    "describes",
    "described",
    "describing",
    "dismiss",
    "dismisses",
    "dismissed",
    "dismissing",
    "deride",
    "derides",
    "derided",
    "refer",
    "refers",
    "referred",
    "referring",
];
/// A verb of naming or labelling (before a quotation: someone else's label).
fn is_naming_word(w: &str) -> bool {
    CALLING_VERBS.contains(&w) || NAMING_WORDS.contains(&w)
}

/// Nouns that announce a mention of words ("the word "security"", "chants
/// of "USA"", "signs reading"): the quotation names an expression, it does
/// not distance the author from one.
const MENTION_WORDS: &[&str] = &[
    "word",
    "words",
    "term",
    "terms",
    "phrase",
    "phrases",
    "label",
    "labels",
    "slogan",
    "slogans",
    "hashtag",
    "hashtags",
    "name",
    "names",
    "title",
    "titled",
    "entitled",
    "headline",
    "chant",
    "chants",
    "chanted",
    "chanting",
    "motto",
    "catchphrase",
    "mantra",
    "song",
    "book",
    "film",
    "movie",
    "show",
    "program",
    "programme",
    "series",
    "album",
    "sign",
    "signs",
    "banner",
    "banners",
    "tagline",
    "nickname",
    "moniker",
];
/// Words searched before a short quotation for a mention noun (and, in
/// `naming_cues`, for a naming verb); the search stops at punctuation.
/// After "as", "a" or a possessive ("dismissed the whole affair as a
/// "..."") `naming_cues` reaches further back; `label_before` always
/// searches a naming verb over the wider window.
const LABEL_WINDOW: usize = 3;
const LABEL_WINDOW_AFTER_AS: usize = 6;

/// Window (in tokens) before and after a speech verb searched for a named
/// source or a side mention.
const WINDOW_BEFORE: usize = 5;
const WINDOW_AFTER: usize = 3;
/// A quotation counts as attributed when a speech verb is this close to it.
const QUOTE_VERB_DISTANCE: usize = 4;
/// Two direct quotations in one sentence separated by at most this many
/// words ("...," she said, "...") are one quotation.
const SPLIT_QUOTE_GAP: usize = 6;

/// Indexes over one document, built once.
struct Ctx<'a> {
    doc: &'a Analyzed,
    an: &'a Analyzer,
    /// Side mentions sorted by start token.
    mentions: &'a [Match],
    /// Token is part of a side mention.
    in_mention: Vec<bool>,
    /// Token is part of an anonymous or vague source phrase (lexicon):
    /// its subcategory.
    in_sourcing: Vec<Option<usize>>,
    hints: sources::TokenHints,
}

impl<'a> Ctx<'a> {
    fn same_sentence(&self, i: usize, sentence: u32) -> bool {
        i < self.doc.tokens.len() && self.doc.tokens[i].sentence == sentence
    }

    fn form(&self, i: usize) -> &str {
        self.an.form(self.doc.tokens[i].form)
    }

    /// Side mentions whose first token is in `sentence`.
    fn sentence_mentions(&self, sentence: u32) -> &'a [Match] {
        let a = self.mentions.partition_point(|m| m.sentence < sentence);
        let b = self.mentions.partition_point(|m| m.sentence <= sentence);
        &self.mentions[a..b]
    }
}

pub(super) fn apply(
    set: &SignalSet,
    text: &str,
    doc: &mut Analyzed,
    an: &Analyzer,
    matches: &mut Vec<Match>,
    mentions: &[Match],
) -> Vec<Attribution> {
    let n = doc.tokens.len();
    let mut in_mention = vec![false; n];
    for m in mentions {
        in_mention[m.tok_start..m.tok_end].iter_mut().for_each(|f| *f = true);
    }
    merge_adjacent_sources(set, matches);
    let mut in_sourcing = vec![None; n];
    for m in matches.iter() {
        if let Label::Framing { category, sub } = m.label {
            if category == set.sourcing {
                in_sourcing[m.tok_start..m.tok_end].iter_mut().for_each(|f| *f = Some(sub));
            }
        }
    }
    // Counted attribution cues, sorted by position; `speech` are those in
    // the author's voice.
    let mut cues: Vec<Match> = matches
        .iter()
        .filter(|m| matches!(m.label, Label::Framing { category, .. } if Some(category) == set.attribution))
        .filter(|m| m.counted())
        .copied()
        .collect();
    cues.sort_by_key(|m| m.tok_start);
    // "Many of those questioned said", "residents questioned said": a passive
    // participle between its noun and the clause's verb is a reduced
    // relative clause: the group was questioned, it did not speak.
    let reduced: Vec<usize> =
        cues.iter().filter(|m| reduced_relative_participle(doc, an, m)).map(|m| m.tok_start).collect();
    cues.retain(|m| !reduced.contains(&m.tok_start));
    // Subcategory indices are per category: the category must match too
    // (a hedge's epistemic_verb can share the index of attribution/thought).
    let is_thought = |m: &Match| {
        matches!(m.label, Label::Framing { category, sub }
            if Some(category) == set.attribution && Some(sub) == set.attribution_thought)
    };
    let is_evidential = |m: &Match| {
        matches!(m.label, Label::Framing { category, sub }
            if Some(category) == set.attribution && Some(sub) == set.attribution_evidential)
    };
    let speech: Vec<Match> =
        cues.iter().filter(|m| !m.in_quote && !is_thought(m) && !is_evidential(m)).copied().collect();

    // Token ranges of the quotations (spans only: the in-quote flags changed
    // below do not move them), shared by the quotation rule and the records.
    let quotes = attribution::quote_ranges(doc);
    let (quote_matches, quoted_sentences, scare_ranges) = quotations(set, text, doc, an, &speech, &quotes);
    // Scare-quoted words are the author's words: author voice everywhere.
    for &(a, b) in &scare_ranges {
        doc.tokens[a..b].iter_mut().for_each(|t| t.in_quote = false);
    }
    if !scare_ranges.is_empty() {
        for m in matches.iter_mut() {
            m.in_quote = doc.tokens[m.tok_start].in_quote;
        }
        for m in cues.iter_mut() {
            m.in_quote = doc.tokens[m.tok_start].in_quote;
        }
    }
    matches.extend(quote_matches);
    // A naming verb right before a quotation reports someone's words.
    let naming = naming_cues(set, doc, an, &quotes, &cues);
    if !naming.is_empty() {
        matches.extend(naming.iter().copied());
        cues.extend(naming);
        cues.sort_by_key(|m| m.tok_start);
    }

    let doc: &Analyzed = doc;
    let hints = sources::TokenHints::new(doc, in_mention.clone());
    let ctx = Ctx { doc, an, mentions, in_mention, in_sourcing, hints };
    let name_sides = names_with_sides(&ctx);
    let mut added = Vec::new();
    let mut records = Vec::with_capacity(cues.len());
    // (The surname pass reads every capitalised word: only where there are
    // attributions to resolve.)
    let mut resolver = if cues.is_empty() {
        attribution::Resolver::default()
    } else {
        attribution::Resolver::for_document(doc, an, &set.titles)
    };
    let mut last_np: Option<(u32, sources::SourceNp)> = None;
    // The last "who" source of a record: (sentence, "who", the name it
    // stands for).
    type RelativeSource = (u32, usize, Option<(usize, usize)>);
    let mut last_relative: Option<RelativeSource> = None;
    // Thought verbs without a third-party subject and a clause: not attribution.
    let mut dropped: FxHashSet<usize> = FxHashSet::default();
    for s in &cues {
        if is_thought(s) && !third_party_thought(&ctx, s) {
            dropped.insert(s.tok_start);
            continue;
        }
        if is_evidential(s) && !evidence_subject(&ctx, s) {
            dropped.insert(s.tok_start);
            continue;
        }
        let author = !s.in_quote;
        if author && !quoted_sentences.contains(&s.sentence) {
            let label = Label::Framing { category: set.quotation, sub: set.quotation_indirect };
            added.push(set.make(doc, label, s.tok_start, s.tok_end, Rule::Code("indirect_speech")));
        }
        let sentence = s.sentence;
        let mut lo = s.tok_start;
        while lo > 0 && s.tok_start - lo < WINDOW_BEFORE && ctx.same_sentence(lo - 1, sentence) {
            lo -= 1;
        }
        let mut hi = s.tok_end;
        while hi - s.tok_end < WINDOW_AFTER && ctx.same_sentence(hi, sentence) {
            hi += 1;
        }
        // The source. In a tagged sentence it is the noun phrase where a
        // source stands (see `sources`), typed by the lexicon when an
        // anonymous/vague source phrase of the lexicon covers it;
        // otherwise (a lexicon without tag restrictions leaves sentences
        // untagged) a capitalised name or title near the verb.
        let tagged = doc.tokens[s.tok_start].upos != crate::text::pos::Upos::X;
        let mut source = None;
        let mut source_type = SourceType::None;
        let mut relative_name = None;
        let mut relative_source: Option<(SourceType, (usize, usize))> = None;
        // Where a lexicon source phrase is looked for when no phrase is found.
        let mut lexicon_from = lo;
        let named = if tagged {
            let mut np = sources::source_of(doc, an, &ctx.hints, s.tok_start, s.tok_end);
            // A participle after a comma ("..., saying", "he said, adding
            // that"): the source of the clause it hangs on.
            // ("according to" is a preposition: its source is the phrase after it or none.)
            let participle = doc.tokens[s.tok_start].xpos == crate::text::pos::Xpos::VBG
                && s.tok_start > 0
                && ctx.form(s.tok_start - 1) == ","
                && ctx.form(s.tok_start) != "according";
            // A coordinated verb ("said X and argued that", "but lamented"):
            // the subject is the first verb's.
            let coordinated = s.tok_start > 0
                && ctx.same_sentence(s.tok_start - 1, sentence)
                && matches!(ctx.form(s.tok_start - 1), "and" | "but" | "then")
                && !doc.tokens[s.tok_start - 1].in_quote;
            let participle = participle || coordinated;
            // Reusing the previous source adds no second sourcing row.
            let mut reused = false;
            // "Ruiz, who said X and argued Y": a coordinated verb shares the
            // relative pronoun subject. (Not a participle after a comma,
            // which hangs on the main clause: "Ruiz defended not paying an
            // architect who said ..., saying".)
            let shared_relative = last_relative.filter(|&(sent, ..)| np.is_none() && coordinated && sent == sentence);
            if np.is_none() && participle && shared_relative.is_none() {
                np = match last_np.filter(|(sent, _)| *sent == sentence) {
                    Some((_, previous)) => {
                        reused = true;
                        Some(previous)
                    }
                    None => sources::clause_subject(doc, an, &ctx.hints, s.tok_start),
                };
            }
            if let Some(np) = np {
                last_np = Some((sentence, np));
                last_relative = None;
            }
            // "a voter who said", "Park, who announced": the relative
            // pronoun is a pronoun source of the record (not a sourcing
            // match, like "she"), resolved to the phrase it stands for.
            // (A lexicon source phrase over it or its antecedent, "there are
            // those who say", "two people familiar with the matter who
            // said", keeps its type: see below.)
            let relative =
                if np.is_none() { sources::relative_antecedent(doc, an, &ctx.hints, s.tok_start) } else { None };
            // (Only there: "Sources said Ruiz, who argued" is Ruiz's.)
            let lexicon_over = |&(who, ref antecedent): &(usize, sources::SourceNp)| {
                (antecedent.start..=who).any(|i| ctx.in_sourcing[i].is_some())
            };
            if let Some((_, antecedent)) = relative.as_ref().filter(|r| lexicon_over(r)) {
                lexicon_from = antecedent.start.min(lo);
            } else if let Some((who, antecedent)) = relative {
                source = Some((who, who + 1));
                source_type = SourceType::Pronoun;
                let antecedent_type = attribution::source_type(text, doc, an, &set.titles, &antecedent);
                relative_name = antecedent_type.is_named().then_some((antecedent.start, antecedent.end));
                // The antecedent is a source a later pronoun can stand for
                // ("Ruiz, who said ... . She added").
                relative_source = Some((antecedent_type, (antecedent.start, antecedent.end)));
                last_relative = Some((sentence, who, relative_name));
            } else if let Some((_, who, name)) = shared_relative {
                source = Some((who, who + 1));
                source_type = SourceType::Pronoun;
                relative_name = name;
            }
            if let Some(np) = np {
                source = Some((np.start, np.end));
                let lexicon_sub = ctx.in_sourcing[np.start..np.end].iter().find_map(|&f| f);
                source_type = match lexicon_sub {
                    Some(sub) if Some(sub) == set.sourcing_anonymous => SourceType::Anonymous,
                    Some(sub) if Some(sub) == set.sourcing_vague => SourceType::Vague,
                    _ => attribution::source_type(text, doc, an, &set.titles, &np),
                };
                let sub = match np.kind {
                    sources::SourceKind::Named => Some(set.sourcing_named),
                    sources::SourceKind::Anonymous => set.sourcing_anonymous,
                    sources::SourceKind::Vague => set.sourcing_vague,
                    sources::SourceKind::Pronoun => None,
                };
                if let Some(sub) = sub.filter(|_| lexicon_sub.is_none() && !reused) {
                    let label = Label::Framing { category: set.sourcing, sub };
                    added.push(set.make(doc, label, np.start, np.end, Rule::Code("source_phrase")));
                }
            }
            np.filter(|np| np.kind == sources::SourceKind::Named).map(|np| np.head)
        } else if author && !ctx.in_sourcing[lo..hi].iter().any(|f| f.is_some()) {
            let named = named_source(set, &ctx, s, lo);
            if let Some(i) = named {
                let label = Label::Framing { category: set.sourcing, sub: set.sourcing_named };
                added.push(set.make(
                    doc,
                    label,
                    i.min(s.tok_start),
                    (i + 1).max(s.tok_end),
                    Rule::Code("named_source"),
                ));
                source = Some((i, i + 1));
                source_type = SourceType::NamedPerson;
            }
            named
        } else {
            None
        };
        // No phrase where a source stands, but a source phrase of the
        // lexicon next to the cue ("it is widely believed", "sources
        // say"): the record takes it.
        if source.is_none() {
            if let Some(i) = (lexicon_from..hi).find(|&i| ctx.in_sourcing[i].is_some()) {
                let sub = ctx.in_sourcing[i];
                let mut b = i;
                while b < hi && ctx.in_sourcing[b] == sub {
                    b += 1;
                }
                source = Some((i, b));
                source_type = if sub == set.sourcing_anonymous { SourceType::Anonymous } else { SourceType::Vague };
            }
        }
        // The name the source stands for: itself, or for a pronoun the
        // nearest earlier named source of a compatible kind.
        let name = match source_type {
            t if t.is_named() => source,
            SourceType::Pronoun => relative_name.or_else(|| {
                source.and_then(|(a, _)| {
                    let quoted = doc.tokens[a].in_quote || unmarked_quote(text, &ctx, &cues, a);
                    resolver.resolve(an.form(doc.tokens[a].form), quoted)
                })
            }),
            _ => None,
        };
        // Its last word is the key of the names given a side in the text.
        let name_key = match (source_type, named, name) {
            (SourceType::Pronoun, _, Some((_, b))) => Some(b - 1),
            (_, Some(head), _) => Some(head),
            _ => None,
        };
        // A subject with a relative clause ("Voters who oppose Democrats
        // said"): the speaker is the antecedent; a mention inside the
        // clause is what the speakers talk about, not who they are.
        let relative_clause =
            source.filter(|&(_, b)| b <= s.tok_start).and_then(|(a, b)| (a + 1..b).find(|&k| ctx.form(k) == "who"));
        let mut sides = vec![[false; 2]; set.sides.dimensions.len()];
        for (dim, side_of_source) in sides.iter_mut().enumerate().filter(|_| author) {
            // A mention inside the source phrase or its appositive ("Sen.
            // Wyden, the Oregon Democrat who ..., said"; "said Sen.
            // Stabenow, Michigan Democrat.").
            let mention_in_source = |(a, b): (usize, usize)| {
                let b = if let Some(who) = relative_clause {
                    who
                } else if b <= s.tok_start {
                    s.tok_start
                } else if ctx.same_sentence(b, sentence) && ctx.form(b) == "," {
                    let mut e = b + 1;
                    while e < b + 8 && ctx.same_sentence(e, sentence) && doc.tokens[e].kind != TokenKind::Punct {
                        e += 1;
                    }
                    e
                } else {
                    b
                };
                ctx.sentence_mentions(sentence).iter().find(|m| {
                    matches!(m.label, Label::SideMention { dim: d, .. } if d == dim)
                        && !m.in_quote
                        && m.tok_start >= a
                        && m.tok_end <= b
                })
            };
            let found = match speaker_side(&ctx, s, lo, relative_clause.unwrap_or(s.tok_start), dim)
                .or_else(|| source.and_then(mention_in_source))
            {
                Some(m) => {
                    let Label::SideMention { side, .. } = m.label else { unreachable!() };
                    // "Democrats and Republicans said": a joint statement
                    // of both sides, when both are the source phrase (not
                    // "the deal between Democrats and Republicans
                    // collapsed, officials said").
                    let in_source = |x: &Match| source.is_some_and(|(a, b)| x.tok_start >= a && x.tok_end <= b);
                    if let Some(other) = coordinated_mention(&ctx, m).filter(|o| in_source(m) && in_source(o)) {
                        let Label::SideMention { side, .. } = other.label else { unreachable!() };
                        side_of_source[side] = true;
                        let (a, b) = (other.tok_start.min(s.tok_start), other.tok_end.max(s.tok_end));
                        added.push(set.make(
                            doc,
                            Label::SideStatement { dim, side },
                            a,
                            b,
                            Rule::Code("side_statement"),
                        ));
                    }
                    Some((side, m.tok_start, m.tok_end))
                }
                // 4. a named source given its side earlier ("Name, a
                // Republican", "Name (R-Ohio)"), also through a pronoun.
                None => name_key.and_then(|k| {
                    let side = *name_sides.get(&(doc.tokens[k].form, dim))?;
                    let (a, b) = source.unwrap_or((k, k + 1));
                    Some((side, a, b))
                }),
            };
            if let Some((side, a, b)) = found {
                side_of_source[side] = true;
                let (a, b) = (a.min(s.tok_start), b.max(s.tok_end));
                added.push(set.make(doc, Label::SideStatement { dim, side }, a, b, Rule::Code("side_statement")));
            }
        }
        let joined = |kind: SourceType, span: (usize, usize)| {
            kind.is_named().then(|| attribution::joins_referents(doc, an, &set.titles, kind, span)).flatten()
        };
        let (kind, span) = relative_source.map_or((source_type, source), |(kind, span)| (kind, Some(span)));
        let joined = span.and_then(|span| joined(kind, span));
        let gender = match (kind, span, joined) {
            (SourceType::NamedPerson, Some(span), None) => resolver.person_gender(doc, an, &set.titles, span),
            _ => None,
        };
        resolver.observe(kind, span, joined, gender);
        let (content, mode) = attribution::content_of(doc, an, &quotes, (s.tok_start, s.tok_end), source);
        let loaded = matches!(s.label, Label::Framing { sub, .. } if Some(sub) == set.attribution_loaded);
        records.push(Attribution {
            sentence,
            cue: (s.tok_start, s.tok_end),
            source,
            source_type,
            name,
            content,
            mode,
            verb_class: if loaded { VerbClass::Loaded } else { VerbClass::Neutral },
            in_quote: s.in_quote,
            sides,
        });
    }
    speakers_of_quoted_first_person(doc, an, &mut records);
    if !dropped.is_empty() {
        matches.retain(|m| !((is_thought(m) || is_evidential(m)) && dropped.contains(&m.tok_start)));
    }
    if !reduced.is_empty() {
        matches.retain(|m| {
            let cue = matches!(m.label, Label::Framing { category, .. } if Some(category) == set.attribution);
            !(cue && reduced.contains(&m.tok_start))
        });
    }
    // Negated evidential verbs are not cues (not counted), but the evidence
    // file lists them only where the subject is evidence ("the audit did
    // not find"), not "I could not find it".
    matches.retain(|m| !(is_evidential(m) && !m.counted() && !evidence_subject(&ctx, m)));
    let boosters = evidential_show_boosters(set, &ctx, &cues, &dropped, matches, &is_evidential);
    matches.extend(boosters);
    matches.extend(added);
    records
}

/// "I" / "we" inside a quotation speak for whoever the quotation is
/// attributed to: the source of the record whose content covers it
/// ("\"I told them no,\" Hale said": Hale, even when another speaker was
/// named before). Records without such a record keep the resolver's
/// answer (the previous speaker).
fn speakers_of_quoted_first_person(doc: &Analyzed, an: &Analyzer, records: &mut [Attribution]) {
    type Span = (usize, usize);
    // (The quotation a record attributes, the name its source stands for.)
    let speakers: Vec<(Span, Option<Span>)> = records
        .iter()
        .filter(|r| !r.in_quote && r.source.is_some() && matches!(r.mode, Mode::Direct | Mode::Mixed))
        .filter_map(|r| r.content.map(|c| (c, r.name)))
        .collect();
    for r in records.iter_mut().filter(|r| r.in_quote && r.source_type == SourceType::Pronoun) {
        let Some((a, _)) = r.source else { continue };
        if !matches!(an.form(doc.tokens[a].form), "i" | "we") {
            continue;
        }
        if let Some(&(_, name)) = speakers.iter().find(|((c0, c1), _)| *c0 <= a && a < *c1) {
            r.name = name;
        }
    }
}

/// Whether the author-voice token `i` ("I", "we") stands in a quotation
/// the quotation finder does not see: after a speech verb and a colon
/// ("Hale wrote on Friday: I told them no"), or inside single quotation
/// marks next to a speech verb ("'I told them no,' he said"). Single marks
/// are no tokens: they are looked for in the text between tokens.
fn unmarked_quote(text: &str, ctx: &Ctx, cues: &[Match], i: usize) -> bool {
    let toks = &ctx.doc.tokens;
    let sentence = toks[i].sentence;
    // A cue ending at most `gap` tokens before `k`, in the sentence.
    let cue_before = |k: usize, gap: usize| {
        cues.iter().any(|m| m.tok_end <= k && k - m.tok_end <= gap && ctx.same_sentence(m.tok_start, sentence))
    };
    if i >= 1 && ctx.same_sentence(i - 1, sentence) && ctx.form(i - 1) == ":" && cue_before(i - 1, 4) {
        return true;
    }
    // The text between token `k - 1` and token `k` holds a single mark.
    let mark_before = |k: usize| {
        let from = if k == 0 { 0 } else { toks[k - 1].span.end };
        text.get(from..toks[k].span.start).is_some_and(|gap| gap.contains(['\'', '\u{2018}', '\u{2019}']))
    };
    // The opening mark: right before the pronoun or at most two tokens earlier.
    let Some(open) = (i.saturating_sub(2)..=i).rev().find(|&k| ctx.same_sentence(k, sentence) && mark_before(k)) else {
        return false;
    };
    let opened_by_verb = open >= 1 && cue_before(open, 1);
    // The closing mark, then a speech verb within a few tokens.
    let close = (i + 1..toks.len()).take_while(|&k| ctx.same_sentence(k, sentence)).find(|&k| mark_before(k));
    let closed_by_verb =
        close.is_some_and(|k| cues.iter().any(|m| m.tok_start >= k && m.tok_start <= k + 3 && m.sentence == sentence));
    opened_by_verb || closed_by_verb
}

/// Words before a verb that make it irrealis: an aim or a possibility, not
/// an established finding ("expected to show", "can show"). A contracted
/// modal ("'ll", "'d" before the base form) counts as well.
const IRREALIS_BEFORE: &[&str] = &["to", "could", "would", "may", "might", "can", "will", "shall", "must", "should"];

/// Words that open a clause whose content is not asserted: a condition or
/// an open question ("if the audit shows", "whether the figures show").
const NON_ASSERTED_OPENERS: &[&str] = &["if", "whether", "unless"];

/// How far before its subject a clause opener is looked for ("whether or
/// not the audit shows").
const OPENER_LOOKBACK: usize = 3;

/// "show" with an evidence noun as its subject is a factive booster ("the
/// audit of the agency's accounts, released on Friday, shows a loss"):
/// the data present the content as established (Hooper 1975; evidence
/// guidelines). The lexicon's "poll show" patterns see a subject right
/// before the verb only; this takes the subject the evidential attribution
/// rule found, however long. Not after "to" or a modal (one adverb may
/// stand between), not in a condition, an embedded question or a question
/// ("if the audit shows", "whether the audit shows", "does the audit
/// show ...?": nothing is asserted), and not where a booster match already
/// covers the verb. Only counted evidential cues reach this rule (a negated
/// "the audit did not show" is no cue), so a negated "show" is never a
/// booster here. AllSides: of 40 such verbs without a booster match read,
/// 37 present their content as established; the other 3 are after "to" or
/// a modal.
fn evidential_show_boosters(
    set: &SignalSet,
    ctx: &Ctx,
    cues: &[Match],
    dropped: &FxHashSet<usize>,
    matches: &[Match],
    is_evidential: &dyn Fn(&Match) -> bool,
) -> Vec<Match> {
    let Some((category, sub)) = set.booster_factive else { return Vec::new() };
    let is_booster = |m: &Match| matches!(m.label, Label::Framing { category: c, .. } if c == category);
    let mut out = Vec::new();
    for s in cues {
        if !is_evidential(s) || dropped.contains(&s.tok_start) || !ctx.form(s.tok_start).starts_with("show") {
            continue;
        }
        if irrealis_before(ctx, s) || not_asserted(ctx, s) {
            continue;
        }
        if matches.iter().any(|m| is_booster(m) && m.tok_start < s.tok_end && s.tok_start < m.tok_end) {
            continue;
        }
        out.push(set.make(
            ctx.doc,
            Label::Framing { category, sub },
            s.tok_start,
            s.tok_end,
            Rule::Code("evidence_show"),
        ));
    }
    out
}

/// Whether "to", a modal or a contracted modal stands right before the
/// verb of `s`, or before one adverb before it ("could also show").
fn irrealis_before(ctx: &Ctx, s: &Match) -> bool {
    let mut before = s.tok_start;
    if before > 0
        && ctx.same_sentence(before - 1, s.sentence)
        && ctx.doc.tokens[before - 1].upos == crate::text::pos::Upos::Adv
    {
        before -= 1;
    }
    if before == 0 || !ctx.same_sentence(before - 1, s.sentence) {
        return false;
    }
    let word = ctx.form(before - 1);
    IRREALIS_BEFORE.contains(&word)
        || word.ends_with("'ll")
        || (word.ends_with("'d") && ctx.form(s.tok_start) == "show")
}

/// Whether the clause of `s` is not asserted: a conditional or whether
/// clause opens within [`OPENER_LOOKBACK`] words before its subject, or
/// the sentence is a question (a "?" after the verb).
fn not_asserted(ctx: &Ctx, s: &Match) -> bool {
    let is_question =
        (s.tok_end..ctx.doc.tokens.len()).take_while(|&i| ctx.same_sentence(i, s.sentence)).any(|i| ctx.form(i) == "?");
    if is_question {
        return true;
    }
    let Some(np) = sources::source_of(ctx.doc, ctx.an, &ctx.hints, s.tok_start, s.tok_end) else { return false };
    let subject_start = np.start.min(s.tok_start);
    (subject_start.saturating_sub(OPENER_LOOKBACK)..subject_start)
        .rev()
        .take_while(|&i| ctx.same_sentence(i, s.sentence) && ctx.doc.tokens[i].kind != TokenKind::Punct)
        .any(|i| NON_ASSERTED_OPENERS.contains(&ctx.form(i)))
}

/// A thought verb attributes a thought to a third party: outside
/// quotations, a subject phrase that is not the writer or the reader (a
/// noun phrase, or he / she / they / it), and a clause after the verb
/// ("that", or a phrase followed by a verb).
/// Head nouns of an evidence source: a document or a count that "shows"
/// or "found" something reports it ("the new poll shows", "an audit
/// found"). A person who "found" a wallet or "shows" a film does not.
pub(crate) const EVIDENCE_HEADS: &[&str] = &[
    "poll",
    "polls",
    "polling",
    "survey",
    "surveys",
    "study",
    "studies",
    "report",
    "reports",
    "data",
    "analysis",
    "analyses",
    "research",
    "audit",
    "audits",
    "review",
    "reviews",
    "investigation",
    "investigations",
    "inquiry",
    "probe",
    "records",
    "documents",
    "figures",
    "numbers",
    "statistics",
    "results",
    "evidence",
    "tally",
    "count",
    "census",
    "estimates",
    "assessment",
    "test",
    "tests",
    "emails",
    "memo",
    "filing",
    "filings",
];

/// A one-word cue tagged as a passive participle right after "those", or
/// after a noun and right before a finite verb, for a survey verb or
/// before an auxiliary ("those questioned said", "residents questioned
/// said", "the views expressed are"): a reduced relative clause, not
/// speech.
fn reduced_relative_participle(doc: &Analyzed, an: &Analyzer, m: &Match) -> bool {
    use crate::text::pos::{Upos, Xpos};
    let (i, toks) = (m.tok_start, &doc.tokens);
    let same = |k: usize| k < toks.len() && toks[k].sentence == toks[i].sentence;
    // A verb of a survey, whose object is the group that answers ("voters
    // questioned say"), or another verb before an auxiliary ("the views
    // expressed are", "the figure cited was"); not another verb before a
    // lexical one, which the tagger often misreads ("Trump expressed hope
    // that", "officials complained included"). Nor after a noun that
    // itself follows a noun: an object relative without "that" ("the deal
    // officials announced is worth millions": officials announced it).
    let survey = matches!(
        an.form(toks[i].form),
        "polled" | "surveyed" | "questioned" | "interviewed" | "asked" | "contacted" | "sampled"
    );
    let auxiliary_after = same(i + 1) && toks[i + 1].upos == Upos::Aux;
    let object_relative = i > 1 && same(i - 2) && toks[i - 2].upos == Upos::Noun;
    m.tok_end == i + 1
        && toks[i].upos == Upos::Verb
        && toks[i].xpos == Xpos::VBN
        && i > 0
        && same(i - 1)
        && (
            // "those accused of fraud": "those" takes no past-tense verb.
            an.form(toks[i - 1].form) == "those"
                || ((survey || auxiliary_after)
                    && !object_relative
                    && matches!(toks[i - 1].upos, Upos::Noun | Upos::Propn)
                    && same(i + 1)
                    && matches!(toks[i + 1].upos, Upos::Verb | Upos::Aux)
                    && matches!(toks[i + 1].xpos, Xpos::VBD | Xpos::VBZ | Xpos::VBP | Xpos::MD))
        )
}

/// An evidential verb (subcategory `evidential`: show, find) is
/// attribution only with an evidence noun as its subject ("the latest
/// poll finds", "records showed"), outside quotations.
fn evidence_subject(ctx: &Ctx, s: &Match) -> bool {
    if s.in_quote || ctx.doc.tokens[s.tok_start].upos == crate::text::pos::Upos::X {
        return false;
    }
    let Some(np) = sources::source_of(ctx.doc, ctx.an, &ctx.hints, s.tok_start, s.tok_end) else { return false };
    np.end <= s.tok_start && EVIDENCE_HEADS.contains(&ctx.form(np.head))
}

fn third_party_thought(ctx: &Ctx, s: &Match) -> bool {
    use crate::text::pos::Upos;
    let doc = ctx.doc;
    if s.in_quote || doc.tokens[s.tok_start].upos == Upos::X {
        return false;
    }
    // A weasel phrase of the lexicon around it ("it is widely believed").
    let lo = s.tok_start.saturating_sub(WINDOW_BEFORE);
    if (lo..s.tok_end).any(|i| ctx.in_sourcing[i].is_some() && ctx.same_sentence(i, s.sentence)) {
        return true;
    }
    let Some(np) = sources::source_of(doc, ctx.an, &ctx.hints, s.tok_start, s.tok_end) else { return false };
    if np.end > s.tok_start + 1 || np.end <= np.start {
        // Only a subject before the verb ("said X" inversion is speech).
        if np.start >= s.tok_end {
            return false;
        }
    }
    if np.kind == sources::SourceKind::Pronoun && matches!(ctx.form(np.start), "i" | "we" | "you") {
        return false;
    }
    let sentence = s.sentence;
    let next = s.tok_end;
    if !ctx.same_sentence(next, sentence) {
        return false;
    }
    if ctx.form(next) == "that" {
        return true;
    }
    let starts_phrase =
        matches!(doc.tokens[next].upos, Upos::Pron | Upos::Det | Upos::Propn | Upos::Noun | Upos::Adj | Upos::Num);
    starts_phrase
        && (next + 1..next + 7)
            .take_while(|&i| ctx.same_sentence(i, sentence))
            .any(|i| matches!(doc.tokens[i].upos, Upos::Verb | Upos::Aux | Upos::Part))
}

/// Classify each quotation as a direct quote or a scare quote. Returns the
/// matches, the sentences containing quoted words, and the token ranges of
/// scare quotes.
fn quotations(
    set: &SignalSet,
    text: &str,
    doc: &Analyzed,
    an: &Analyzer,
    speech: &[Match],
    quotes: &[(usize, usize)],
) -> (Vec<Match>, FxHashSet<u32>, Vec<(usize, usize)>) {
    let mut out = Vec::new();
    let mut quoted_sentences = FxHashSet::default();
    let mut scare = Vec::new();
    let speech_near = |a: usize, b: usize| {
        // speech is sorted: find verbs overlapping [a - d, b + d).
        let lo = a.saturating_sub(QUOTE_VERB_DISTANCE);
        let i = speech.partition_point(|s| s.tok_end <= lo);
        speech[i..].iter().take_while(|s| s.tok_start < b + QUOTE_VERB_DISTANCE).any(|s| {
            let sent_ok = s.sentence == doc.tokens[a].sentence || s.sentence == doc.tokens[b - 1].sentence;
            sent_ok && (s.tok_end <= a || s.tok_start >= b)
        })
    };
    let speech_in_sentence = |a: usize, b: usize| {
        // speech is sorted by token, so also by sentence.
        let sentence = doc.tokens[a].sentence;
        let i = speech.partition_point(|s| s.sentence < sentence);
        speech[i..].iter().take_while(|s| s.sentence == sentence).any(|s| s.tok_end <= a || s.tok_start >= b)
    };
    let mut last_direct: Option<(u32, usize)> = None; // (sentence, end token)
    for &(start, end) in quotes {
        // At least one word: quote_ranges leaves out quotations without one.
        let words = doc.tokens[start..end].iter().filter(|t| t.kind.is_word()).count();
        let tokens = &doc.tokens[start..end];
        // "No." as a quoted sentence of its own is speech, not a scare quote.
        let sentence_like = tokens
            .last()
            .is_some_and(|t| t.kind == TokenKind::Punct && an.form(t.form).ends_with(['.', '!', '?', '\u{2026}']));
        // A short quotation is quoted speech, not a scare quote, when a
        // speech verb stands next to it or anywhere else in its sentence
        // (a partial quotation: `called the plan "a disaster"`), or when
        // it ends in a comma (a piece of a longer quoted sentence).
        let attributed = speech_near(start, end) || speech_in_sentence(start, end);
        let ends_in_comma = tokens.last().is_some_and(|t| an.form(t.form) == ",");
        // A quoted title or name ("Duck Soup", "Operation Clean Sweep")
        // is neither speech nor irony: every word capitalised.
        let title = tokens.iter().filter(|t| t.kind.is_word()).all(|t| t.capitalized) && words >= 2;
        // One capitalised word inside a sentence ("Hallelujah", "Democracy")
        // is a title or name as well.
        let sentence_start = start == 0 || doc.tokens[start - 1].sentence != tokens[0].sentence;
        let one_name = words == 1 && tokens[0].capitalized && !sentence_start;
        let (labelled, mention) = label_before(doc, an, start);
        let labelled = labelled || saying_noun_before(doc, an, start);
        // A quoted figure or code ("dial "1"", a quoted ID number) names a
        // value; no word in it can be the author's ironic word.
        let figure = tokens.iter().filter(|t| t.kind.is_word()).all(|t| t.kind == TokenKind::Number);
        if (title || one_name || mention || figure) && !attributed && !sentence_like {
            continue;
        }
        // Markup that reached the text (`<tweet author="...">`): the marks
        // delimit an attribute value, not a quotation of anyone's words.
        if attribute_value(text, tokens[0].span.start) {
            continue;
        }
        if words >= 4 || attributed || sentence_like || ends_in_comma || labelled {
            for t in tokens {
                quoted_sentences.insert(t.sentence);
            }
            let first_sentence = tokens[0].sentence;
            // "...," she said, "..." is one quotation.
            let continues = last_direct.is_some_and(|(s, e)| {
                s == first_sentence
                    && doc.tokens[e..start].iter().filter(|t| t.kind.is_word()).count() <= SPLIT_QUOTE_GAP
            });
            last_direct = Some((tokens[tokens.len() - 1].sentence, end));
            if continues {
                continue;
            }
            let label = Label::Framing { category: set.quotation, sub: set.quotation_direct };
            out.push(set.make(doc, label, start, end, Rule::Code("direct_quote")));
        } else {
            let label = Label::Framing { category: set.distancing, sub: set.scare_quote };
            let mut m = set.make(doc, label, start, end, Rule::Code("scare_quote"));
            m.in_quote = false;
            out.push(m);
            scare.push((start, end));
        }
    }
    (out, quoted_sentences, scare)
}

/// Nouns naming an utterance; followed by "that" they introduce its
/// content ("his claim that "profit-making" drives them", "comments that
/// he would be a "neutral guy""): a short quotation after them is the
/// speaker's words.
const SAYING_NOUNS: &[&str] = &[
    "claim",
    "claims",
    "comment",
    "comments",
    "remark",
    "remarks",
    "statement",
    "statements",
    "assertion",
    "assertions",
    "criticism",
    "charge",
    "charges",
    "accusation",
    "accusations",
    "argument",
    "arguments",
    "suggestion",
    "promise",
    "pledge",
    "warning",
    "insistence",
];

/// Whether a saying noun followed by "that" stands earlier in the sentence
/// of the quotation starting at token `start`.
fn saying_noun_before(doc: &Analyzed, an: &Analyzer, start: usize) -> bool {
    let Some(first) = doc.tokens.get(start) else { return false };
    let mut i = start;
    while i >= 2 && doc.tokens[i - 1].sentence == first.sentence {
        i -= 1;
        if an.form(doc.tokens[i].form) == "that"
            && doc.tokens[i - 1].sentence == first.sentence
            && SAYING_NOUNS.contains(&an.form(doc.tokens[i - 1].form))
        {
            return true;
        }
    }
    false
}

/// Whether the quotation whose first token starts at byte `first` opens
/// right after `=` (`author="..."`): an attribute value of markup left in
/// the text.
fn attribute_value(text: &str, first: usize) -> bool {
    let Some(before) = text.get(..first) else { return false };
    let mut chars = before.chars().rev();
    chars.next().is_some_and(|c| matches!(c, '"' | '\u{201c}')) && chars.next() == Some('=')
}

/// Forms of the verbs that give a quoted label ("called it "a disgrace"",
/// "what he called "the worst deal"", "dubbed the plan "a giveaway"").
pub(super) const CALLING_VERBS: &[&str] = &[
    "call",
    "calls",
    "called",
    "calling",
    "dub",
    "dubs",
    "dubbed",
    "dubbing",
    "label",
    "labels",
    "labeled",
    "labelled",
    "labeling",
    "labelling",
    "brand",
    "brands",
    "branded",
    "branding",
    "termed",
];

/// Attribution cues for naming verbs that introduce a quotation: the
/// verb reports the words of its subject (a partial quotation), as
/// PolNeAR and the evidence guidelines mark it. Searched in `LABEL_WINDOW`
/// words before the quotation (`LABEL_WINDOW_AFTER_AS` after "as", "a",
/// "his" ...), a narrower window than `label_before`'s, which keeps a
/// quotation from being a scare quote when a naming verb stands up to
/// `LABEL_WINDOW_AFTER_AS` words back: a cue is emitted only for the nearer
/// verbs. Only verbs (by tag) that no counted cue covers yet.
fn naming_cues(
    set: &SignalSet,
    doc: &Analyzed,
    an: &Analyzer,
    quotes: &[(usize, usize)],
    cues: &[Match],
) -> Vec<Match> {
    let (Some(category), Some(sub)) = (set.attribution, set.attribution_neutral) else { return Vec::new() };
    let mut out: Vec<Match> = Vec::new();
    for &(start, _) in quotes {
        let Some(first) = doc.tokens.get(start) else { continue };
        let before: Vec<usize> = (0..start)
            .rev()
            .take_while(|&i| doc.tokens[i].sentence == first.sentence && doc.tokens[i].kind.is_word())
            .take(LABEL_WINDOW_AFTER_AS)
            .collect();
        let widened = before.first().is_some_and(|&i| {
            matches!(an.form(doc.tokens[i].form), "as" | "a" | "an" | "his" | "her" | "their" | "its")
        });
        let window = &before[..before.len().min(if widened { LABEL_WINDOW_AFTER_AS } else { LABEL_WINDOW })];
        // Not a passive or a reduced relative ("has been dubbed "Uncle
        // Joe"", "a petition called "..."": the quotation is a name, no
        // one is quoted): a participle counts only after "have".
        let active = |i: usize| {
            doc.tokens[i].xpos != crate::text::pos::Xpos::VBN
                || (i > 0 && matches!(an.form(doc.tokens[i - 1].form), "has" | "have" | "had"))
        };
        let verb = window.iter().copied().find(|&i| {
            doc.tokens[i].upos == crate::text::pos::Upos::Verb
                && CALLING_VERBS.contains(&an.form(doc.tokens[i].form))
                && active(i)
        });
        let Some(v) = verb else { continue };
        let covered = cues.iter().chain(out.iter()).any(|m| m.tok_start <= v && v < m.tok_end);
        if !covered {
            out.push(set.make(doc, Label::Framing { category, sub }, v, v + 1, Rule::Code("naming_quote")));
        }
    }
    out
}

/// Whether the words right before the quotation starting at token `start`
/// (same sentence, back to the nearest punctuation) contain a naming verb
/// (the quotation is someone's label: a partial quotation) or a mention
/// noun (the quotation names an expression).
fn label_before(doc: &Analyzed, an: &Analyzer, start: usize) -> (bool, bool) {
    let Some(first) = doc.tokens.get(start) else { return (false, false) };
    let before: Vec<&str> = doc.tokens[..start]
        .iter()
        .rev()
        .take_while(|t| t.sentence == first.sentence && t.kind.is_word())
        .take(LABEL_WINDOW_AFTER_AS)
        .map(|t| an.form(t.form))
        .collect();
    // A naming verb takes its object before the quoted label ("called the
    // new county law "a mess"", "calling the Chinese government "strong""):
    // it is searched over the wider window; a mention noun must be near.
    let near = &before[..before.len().min(LABEL_WINDOW)];
    (before.iter().any(|w| is_naming_word(w)), near.iter().any(|w| MENTION_WORDS.contains(w)))
}

/// Names given a side in the text, so that a later "Tully said" (or a
/// pronoun resolved to Tully) is a statement of that side: an appositive
/// ("Tully, a Republican from ..."), a party code ("Tully (R-Ohio)",
/// "Tully, R-Ohio,") or a party word before the name ("Republican Tom
/// Tully", "Democratic Sen. Ann Hale"). Keyed by the name's last word.
fn names_with_sides(ctx: &Ctx) -> FxHashMap<(u32, usize), usize> {
    let mut out = FxHashMap::default();
    let toks = &ctx.doc.tokens;
    let is_name = |i: usize| toks[i].capitalized && toks[i].kind == TokenKind::Word && !ctx.in_mention[i];
    for m in ctx.mentions.iter().filter(|m| !m.in_quote) {
        let Label::SideMention { dim, side } = m.label else { continue };
        let same = |i: usize| toks[i].sentence == m.sentence;
        // "Name, a Republican", "Name, the Oregon Democrat": past up to two
        // modifiers and the article, a comma, then the name.
        let mut k = m.tok_start;
        while k > 0
            && m.tok_start - k < 2
            && same(k - 1)
            && toks[k - 1].kind == TokenKind::Word
            && !matches!(ctx.form(k - 1), "a" | "an" | "the")
        {
            k -= 1;
        }
        let article =
            |k: usize| k >= 3 && same(k - 3) && matches!(ctx.form(k - 1), "a" | "an" | "the") && ctx.form(k - 2) == ",";
        let name;
        if article(m.tok_start) {
            name = Some(m.tok_start - 3);
        } else if article(k) {
            name = Some(k - 3);
        } else if m.rule == Rule::Code("party_code") && m.tok_start >= 2 && same(m.tok_start - 2) {
            name = Some(m.tok_start - 2);
        } else {
            // "Republican Tom Tully": the last word of the capitalised run after the mention.
            let mut k = m.tok_end;
            let mut last = None;
            while k < toks.len()
                && same(k)
                && k - m.tok_end < 6
                && (is_name(k) || (ctx.form(k) == "." && last.is_some()))
            {
                if is_name(k) {
                    last = Some(k);
                }
                k += 1;
            }
            name = last.filter(|&l| l > m.tok_end || toks[m.tok_end].upos == crate::text::pos::Upos::Propn);
        }
        if let Some(i) = name.filter(|&i| is_name(i)) {
            out.entry((toks[i].form, dim)).or_insert(side);
        }
    }
    out
}

/// A token that can name a source: a title word, or a capitalised word that
/// is not a function word or date, outside quotations and not part of a
/// side mention ("Republicans said" is a side, not a named source). A
/// sentence's first word counts only when another capitalised word or the
/// verb itself follows ("Smith said"; not "Well, ..." or "High-end colleges").
fn is_name_token(set: &SignalSet, ctx: &Ctx, i: usize, verb_start: usize) -> bool {
    let t = &ctx.doc.tokens[i];
    if t.kind != TokenKind::Word || t.in_quote || ctx.in_mention[i] {
        return false;
    }
    let form = ctx.form(i);
    if set.titles.contains(form) {
        return true;
    }
    if !t.capitalized || NOT_NAMES.contains(&form) {
        return false;
    }
    let sentence_initial = i == 0 || ctx.doc.tokens[i - 1].sentence != t.sentence;
    if sentence_initial {
        let next = i + 1;
        return next == verb_start || (ctx.same_sentence(next, t.sentence) && ctx.doc.tokens[next].capitalized);
    }
    true
}

/// The named source of speech verb `s`: a name or title before the verb
/// ("Smith said", "Smith, a spokesman, said"), or a name run right after it
/// that ends the clause ("said Sen. Smith." / "said Smith, who"). A name
/// after the verb followed by more words is the subject of the reported
/// clause ("said Smith had resigned"), not the source.
fn named_source(set: &SignalSet, ctx: &Ctx, s: &Match, lo: usize) -> Option<usize> {
    for i in (lo..s.tok_start).rev() {
        if ctx.doc.tokens[i].in_quote {
            break;
        }
        if is_name_token(set, ctx, i, s.tok_start) {
            return Some(i);
        }
    }
    // A long appositive between name and verb: "Tom Reyes, who owns a
    // store on Main Street, said" -- jump back over the comma-bounded
    // segment and look right before it.
    if s.tok_start >= 2 && ctx.form(s.tok_start - 1) == "," {
        let first = s.tok_start.saturating_sub(30);
        let open = (first..s.tok_start - 1)
            .rev()
            .take_while(|&i| ctx.doc.tokens[i].sentence == s.sentence)
            .find(|&i| ctx.form(i) == "," || ctx.doc.tokens[i].in_quote);
        if let Some(c) = open.filter(|&c| ctx.form(c) == ",") {
            let before = c.saturating_sub(3)..c;
            if let Some(i) = before.rev().find(|&i| ctx.same_sentence(i, s.sentence) && is_name_token(set, ctx, i, c)) {
                return Some(i);
            }
        }
    }
    let sentence = s.sentence;
    let mut j = s.tok_end;
    if ctx.same_sentence(j, sentence) && matches!(ctx.form(j), "the" | "a" | "an") {
        j += 1;
    }
    let mut k = j;
    while ctx.same_sentence(k, sentence) && k - j < 5 && is_name_token(set, ctx, k, usize::MAX) {
        k += 1;
    }
    let clause_ends = !ctx.same_sentence(k, sentence) || ctx.doc.tokens[k].kind == TokenKind::Punct;
    (k > j && clause_ends).then_some(j)
}

/// One source expression matched by two adjacent patterns of the same
/// subcategory ("According to people" + "familiar with the matter") is one
/// source: the second match is merged into the first (whose pattern the
/// evidence file names), so that `sourcing_*_n` counts sources, not the
/// patterns that found them.
fn merge_adjacent_sources(set: &SignalSet, matches: &mut Vec<Match>) {
    let is_source =
        |m: &Match| m.counted() && matches!(m.label, Label::Framing { category, .. } if category == set.sourcing);
    let mut last: Option<usize> = None;
    let mut merged = Vec::new();
    for i in 0..matches.len() {
        let m = matches[i];
        if !is_source(&m) {
            continue;
        }
        if let Some(j) = last {
            let p = &mut matches[j];
            if p.label == m.label && p.sentence == m.sentence && p.tok_end == m.tok_start {
                p.tok_end = m.tok_end;
                p.span.end = m.span.end;
                p.span.char_end = m.span.char_end;
                merged.push(i);
                continue;
            }
        }
        last = Some(i);
    }
    if !merged.is_empty() {
        let mut k = 0;
        matches.retain(|_| {
            let keep = merged.binary_search(&k).is_err();
            k += 1;
            keep
        });
    }
}

/// A side mention of the other side coordinated with `m` in one subject
/// ("Democrats and Republicans", "Republicans, as well as Democrats,"):
/// the two meet with nothing but `and`, `as well as` and commas between
/// them, in either order.
fn coordinated_mention<'m>(ctx: &Ctx<'m>, m: &Match) -> Option<&'m Match> {
    let Label::SideMention { dim, side } = m.label else { return None };
    let joins = |a: usize, b: usize| {
        let words: Vec<&str> = (a..b).map(|k| ctx.form(k)).collect();
        !words.is_empty()
            && words.len() <= 4
            && words.iter().all(|w| matches!(*w, "and" | "," | "as" | "well"))
            && words.iter().any(|w| matches!(*w, "and" | "as"))
    };
    ctx.sentence_mentions(m.sentence).iter().find(|o| {
        matches!(o.label, Label::SideMention { dim: d, side: s } if d == dim && s != side)
            && !o.in_quote
            && ((o.tok_end <= m.tok_start && joins(o.tok_end, m.tok_start))
                || (m.tok_end <= o.tok_start && joins(m.tok_end, o.tok_start)))
    })
}

/// The side mention (of dimension `dim`) that speaks through verb `s`:
/// 1. the nearest mention before the verb within the window (ending by
///    `before`: the verb, or the "who" of a relative clause in the subject);
/// 2. else a mention right after the verb that ends the clause (", said
///    Republicans.");
/// 3. else an appositive of the source within 8 tokens ("..., said Tom Hale,
///    a Republican from Ohio").
///
/// A mention after the verb that does not end the clause is its object
/// ("slammed a Democratic plan"), not the speaker.
fn speaker_side<'m>(ctx: &Ctx<'m>, s: &Match, lo: usize, before: usize, dim: usize) -> Option<&'m Match> {
    let in_sentence: Vec<&'m Match> = ctx
        .sentence_mentions(s.sentence)
        .iter()
        .filter(|m| matches!(m.label, Label::SideMention { dim: d, .. } if d == dim) && !m.in_quote)
        .collect();
    if let Some(m) = in_sentence.iter().filter(|m| m.tok_start >= lo && m.tok_end <= before).max_by_key(|m| m.tok_end) {
        return Some(m);
    }
    let mut j = s.tok_end;
    if ctx.same_sentence(j, s.sentence) && matches!(ctx.form(j), "the" | "a" | "an") {
        j += 1;
    }
    if let Some(m) = in_sentence.iter().find(|m| m.tok_start == j) {
        if !ctx.same_sentence(m.tok_end, s.sentence) || ctx.doc.tokens[m.tok_end].kind == TokenKind::Punct {
            return Some(m);
        }
    }
    in_sentence.into_iter().find(|m| {
        let near = m.tok_start.abs_diff(s.tok_end).min(s.tok_start.abs_diff(m.tok_end)) <= 8;
        near && m.tok_start >= 2 && matches!(ctx.form(m.tok_start - 1), "a" | "an") && ctx.form(m.tok_start - 2) == ","
    })
}

#[cfg(test)]
mod tests {
    use super::super::{SignalSet, Worker};

    /// The record of the cue `cue` in `text`: source text, source type, the
    /// name it stands for and its side on the party dimension.
    fn record(text: &str, cue: &str) -> Option<(String, &'static str, String, String)> {
        let set = SignalSet::builtin();
        let doc = set.analyze(text, &mut Worker::default());
        let toks = &doc.analyzed.tokens;
        let span = |(a, b): (usize, usize)| text[toks[a].span.start..toks[b - 1].span.end].to_string();
        let party = set.sides.dimensions.iter().position(|d| d.name == "party").expect("a party dimension");
        let r = doc.attributions.iter().find(|r| span(r.cue) == cue)?;
        let dim = &set.sides.dimensions[party];
        let side = match r.sides[party] {
            [true, true] => format!("{};{}", dim.side_a, dim.side_b),
            [true, false] => dim.side_a.clone(),
            [false, true] => dim.side_b.clone(),
            [false, false] => String::new(),
        };
        Some((r.source.map(span).unwrap_or_default(), r.source_type.name(), r.name.map(span).unwrap_or_default(), side))
    }

    fn owned(
        source: &str,
        kind: &'static str,
        name: &str,
        side: &str,
    ) -> Option<(String, &'static str, String, String)> {
        Some((source.into(), kind, name.into(), side.into()))
    }

    /// Booster matches of the shipped lexicon and rules in `text`, as text.
    fn boosters(text: &str) -> Vec<String> {
        let set = SignalSet::builtin();
        let booster = set.lexicon.category_index("booster").unwrap();
        let doc = set.analyze(text, &mut Worker::default());
        doc.matches
            .iter()
            .filter(|m| m.counted())
            .filter(|m| matches!(m.label, super::Label::Framing { category, .. } if category == booster))
            .map(|m| text[m.span.start..m.span.end].to_string())
            .collect()
    }

    #[test]
    fn show_with_a_distant_evidence_subject_is_a_factive_booster() {
        // The subject "audit" stands before a prepositional phrase and a
        // participle clause: the lexicon's "audit show" pattern cannot see
        // it, the subject rule does.
        assert_eq!(
            boosters("The audit of the agency's accounts, released on Friday, shows a loss of two million dollars."),
            vec!["shows"]
        );
        // An aim or a possibility is not an established finding.
        assert!(boosters("The audit of the agency's accounts is expected to show a loss.").is_empty());
        assert!(boosters("The audit of the agency's accounts, released on Friday, could show a loss.").is_empty());
        assert!(boosters("The audit of the agency's accounts, released on Friday, shall show the loss.").is_empty());
        // A person showing something is not evidence.
        assert!(boosters("The director of the museum, a former teacher, showed visitors the hall.").is_empty());
    }

    #[test]
    fn confirm_and_turn_out_are_boosters_only_with_a_proposition() {
        assert_eq!(boosters("The agency confirmed that the bridge had failed."), vec!["confirmed"]);
        assert_eq!(boosters("The memo confirms that the fund is empty."), vec!["confirms that"]);
        // Approval of a nominee and a count of cases are no proposition.
        assert!(boosters("The nominee was confirmed by the Senate in March.").is_empty());
        assert!(boosters("The Senate confirmed the new envoy on Tuesday.").is_empty());
        assert!(boosters("Leaders hope to get the judge confirmed soon.").is_empty());
        assert!(boosters("The county reported 40 confirmed cases on Monday.").is_empty());
        // A demonstrative "that" after "turned out" opens no content clause.
        assert!(boosters("Few people turned out that evening for the vote.").is_empty());
        assert_eq!(boosters("It turned out that the ledger was wrong."), vec!["It turned out"]);
        // A title-case headline is turnout, not a factive frame.
        assert!(boosters("Young Voters Turned Out In Record Numbers").is_empty());
    }

    #[test]
    fn show_in_a_condition_or_a_question_is_not_asserted() {
        assert!(boosters("If the audit of the agency's accounts shows a loss, the director resigns.").is_empty());
        assert!(boosters("Whether the audit of the agency's accounts shows a loss is unclear.").is_empty());
        assert!(boosters("Does the audit of the agency's accounts show a loss?").is_empty());
        // The main clause after a condition is asserted.
        assert_eq!(boosters("If the board agrees, the audit of the agency's accounts shows a loss."), vec!["shows"]);
    }

    #[test]
    fn a_lexicon_source_on_the_antecedent_types_the_who_record() {
        // The lexicon's anonymous phrase covers the antecedent of "who": the
        // record takes it, as the evidence file does.
        assert_eq!(
            record("The board heard from two people familiar with the matter who said the deal was off.", "said"),
            owned("people familiar with", "anonymous", "", "")
        );
        assert_eq!(
            record("The board heard from people close to the mayor, who said the deal was off.", "said"),
            owned("people close to", "anonymous", "", "")
        );
        // The senator completes "close to": the aides spoke, not the senator,
        // and the senator's party is not theirs.
        assert_eq!(
            record("The board heard from aides close to Republican Sen. Bob Meyer, who said the deal was off.", "said"),
            owned("who", "pronoun", "", "")
        );
        // A named antecedent still names the record.
        assert_eq!(
            record("The board heard from Republican Bob Meyer, who said the deal was off.", "said"),
            owned("who", "pronoun", "Republican Bob Meyer", "republican")
        );
    }

    #[test]
    fn a_verb_coordinated_after_who_shares_it() {
        assert_eq!(
            record(
                "The board heard from Ana Ruiz, who said the fares were high and argued that the plan was flawed.",
                "argued"
            ),
            owned("who", "pronoun", "Ana Ruiz", "")
        );
        // A participle after a comma hangs on the main clause.
        assert_eq!(
            record(
                "Ana Ruiz defended the fares to a rider who said they were high, saying the plan was fair.",
                "saying"
            ),
            owned("Ana Ruiz", "named_person", "Ana Ruiz", "")
        );
    }

    #[test]
    fn a_side_inside_the_relative_clause_is_not_the_speakers() {
        assert_eq!(
            record("Voters who oppose Democrats said the vote was fair.", "said"),
            owned("Voters who oppose Democrats", "vague", "", "")
        );
        assert_eq!(
            record("Republican voters who oppose the plan said the vote was fair.", "said"),
            owned("Republican voters who oppose the plan", "vague", "", "republican")
        );
    }

    #[test]
    fn a_reduced_relative_participle_is_no_cue() {
        // An object relative without "that": the officials announced it.
        assert_eq!(
            record("The deal officials announced is worth millions.", "announced"),
            owned("The deal officials", "vague", "", "")
        );
        // The residents were questioned: no cue of theirs.
        assert_eq!(record("Residents questioned said the hall was full.", "questioned"), None);
        assert_eq!(
            record("Residents questioned said the hall was full.", "said"),
            owned("Residents questioned", "vague", "", "")
        );
        // Another verb before an auxiliary: a reduced relative clause too.
        assert_eq!(record("The views expressed are the board's own.", "expressed"), None);
        // Not before a lexical verb, which is often a noun the tagger misread.
        assert_eq!(
            record("Ana Ruiz expressed hope that the depot would reopen.", "expressed"),
            owned("Ana Ruiz", "named_person", "Ana Ruiz", "")
        );
    }
}
