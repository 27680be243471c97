//! Who says it: the source noun phrase of a speech verb, from the
//! part-of-speech tags, and its type (named / anonymous / vague) as the
//! evidence guidelines define them.
//!
//! The subject before the verb ("Sen. Park said", "a senior official
//! said", "Critics argue"), past an appositive ("Park, a Democrat from
//! Ohio, said"), or the noun phrase after an inverted verb ("..., said Sen.
//! Park.") or after "according to". Pronouns are not sources in the
//! guidelines' sense ("she said" points back to a named source already
//! counted); relative pronouns ("who said") neither.

use crate::text::pos::{Upos, Xpos};
use crate::text::{Analyzed, Analyzer, TokenKind};

/// The guidelines' source types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A person or organisation identified by name, or a unique
    /// identifiable office ("the White House", "the mayor").
    Named,
    /// A specific source whose identity the writer withholds ("a senior
    /// official", "two people familiar with the matter").
    Anonymous,
    /// An unspecified group the reader cannot identify ("critics",
    /// "some experts", "officials", "Democrats" as a speaking group).
    Vague,
    /// A personal pronoun ("she said"): not a source in the guidelines'
    /// sense (it points back to one already named), kept for the
    /// attribution records, which resolve it.
    Pronoun,
}

/// A source noun phrase, tokens `[start, end)`; `head` is its head noun.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceNp {
    pub start: usize,
    pub end: usize,
    pub head: usize,
    pub kind: SourceKind,
}

/// Longest noun phrase considered (tokens), and appositive.
const MAX_NP: usize = 8;
const MAX_APPOSITIVE: usize = 14;
const MAX_RELATIVE: usize = 30;
/// Longest stretch searched for a clause's subject.
const MAX_CLAUSE: usize = 60;

/// Determiners of an indefinite single source or a counted few ("a senior
/// official", "two people"): anonymous.
const INDEFINITE: &[&str] = &["a", "an", "one", "two", "three", "four", "several", "another"];
/// Quantifiers of an unspecified group ("some critics", "many said",
/// "those who argue", "those surveyed"): vague.
const GROUP: &[&str] =
    &["some", "many", "most", "few", "others", "several", "numerous", "various", "all", "both", "those"];
/// Heads that name a share of a population ("a majority of voters").
const SHARE_HEADS: &[&str] =
    &["majority", "minority", "plurality", "percent", "percentage", "half", "third", "quarter", "share"];
/// Nouns that count an unspecified group before "of" ("a group of
/// residents", "a number of analysts", "dozens of lawmakers"): the group is
/// the source, and it stays unspecified however it is counted: vague.
const QUANTITY_HEADS: &[&str] = &[
    "group",
    "number",
    "handful",
    "host",
    "couple",
    "dozen",
    "dozens",
    "hundreds",
    "thousands",
    "scores",
    "chorus",
    "slew",
];
/// Collective nouns for an unspecified public ("the media said", "the public
/// believes"): with "the" they name no identifiable body, unlike "the
/// company" or "the mayor": vague.
const GENERIC_COLLECTIVES: &[&str] = &["public", "media", "press", "establishment", "elite", "elites"];
/// Indefinite pronouns as sources ("someone said"): vague.
const INDEFINITE_PRONOUNS: &[&str] = &["someone", "somebody", "anyone", "anybody", "everyone", "everybody"];
/// Heads of time expressions that stand where an inverted source would
/// ("..., he said Friday.").
const TIME_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tonight",
    "morning",
    "afternoon",
    "evening",
    "night",
    "week",
    "weekend",
    "month",
    "year",
    "day",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "earlier",
    "later",
    "recently",
    "time",
    "interview",
    "statement",
];
/// Nouns of time and manner (besides [`TIME_WORDS`]) that head an
/// adverbial before a clause's subject ("the first time Ruiz said", "the
/// way Ruiz put it").
const ADVERBIAL_NOUNS: &[&str] = &["way", "times", "days", "weeks", "months", "years", "moment", "hour", "minute"];
/// Personal pronouns that can stand for a source.
pub const PERSONAL: &[&str] = &["he", "she", "they", "it", "i", "we", "you"];

struct View<'a> {
    doc: &'a Analyzed,
    an: &'a Analyzer,
    sentence: u32,
    /// The cue is inside a quotation: its source is too ("the agency
    /// claims", said inside a quotation).
    quote: bool,
    hints: &'a TokenHints,
}

/// Per-token facts about the whole document that source phrases need,
/// computed once per document (linear time).
pub struct TokenHints {
    /// Tokens of a side mention ("Republicans", "South Carolina
    /// Republicans"): plural proper nouns that name a speaking group.
    pub group: Vec<bool>,
    /// The token's word is written capitalised everywhere in the document
    /// and at least once inside a sentence: a name ("Rhodes", "Sanders").
    pub name: Vec<bool>,
}

impl TokenHints {
    pub fn new(doc: &Analyzed, group: Vec<bool>) -> Self {
        // Per word form: (seen in lower case, seen capitalised inside a sentence).
        let toks = &doc.tokens;
        // Sized up front (distinct forms are at most the tokens; capped for
        // huge documents): growing it step by step was a fifth of this
        // function's instructions.
        let mut seen: rustc_hash::FxHashMap<u32, (bool, bool)> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(toks.len().min(1 << 14), Default::default());
        for (k, t) in toks.iter().enumerate().filter(|(_, t)| t.kind == TokenKind::Word) {
            let e = seen.entry(t.form).or_default();
            e.0 |= !t.capitalized;
            e.1 |= t.capitalized && k > 0 && toks[k - 1].sentence == t.sentence && toks[k - 1].kind != TokenKind::Punct;
        }
        // A lower-case word token marks its own form as seen in lower case:
        // no look-up needed for it.
        let name = toks
            .iter()
            .map(|t| {
                (t.capitalized || t.kind != TokenKind::Word)
                    && seen.get(&t.form).is_some_and(|&(lower, inside)| !lower && inside)
            })
            .collect();
        TokenHints { group, name }
    }
}

impl View<'_> {
    fn ok(&self, i: usize) -> bool {
        i < self.doc.tokens.len()
            && self.doc.tokens[i].sentence == self.sentence
            && self.doc.tokens[i].in_quote == self.quote
    }
    /// The tag, except that a capitalised word inside a sentence that the
    /// tagger took for an adverb, adjective or verb is read as a name: the
    /// tagger's suffix features misread unknown names ("Tully" as -ly).
    fn upos(&self, i: usize) -> Upos {
        let t = &self.doc.tokens[i];
        let inside = i > 0 && self.doc.tokens[i - 1].sentence == t.sentence;
        match t.upos {
            Upos::Adv | Upos::Adj | Upos::Verb | Upos::Intj | Upos::X if t.capitalized && inside => Upos::Propn,
            // "Clinton aides said": a present-tense -s form right before a
            // past or plural present verb is a plural noun the tagger
            // misread (two finite verbs do not follow each other; a plural
            // takes no -s verb, so "Russia denies claims" is left alone).
            Upos::Verb if t.xpos == Xpos::VBZ && self.finite_verb_at(i + 1) => Upos::Noun,
            // "Polling suggests", "Polling however shows": an -ing form
            // opening the sentence right before a finite verb (past
            // adverbs) is a gerund subject, a noun.
            Upos::Verb if t.xpos == Xpos::VBG && !inside && self.finite_after_adverbs(i + 1) => Upos::Noun,
            u => u,
        }
    }
    /// A past or non-third-person present verb at `i`, in the same sentence.
    fn finite_verb_at(&self, i: usize) -> bool {
        i < self.doc.tokens.len()
            && self.doc.tokens[i].sentence == self.doc.tokens[i - 1].sentence
            && self.doc.tokens[i].upos == Upos::Verb
            && matches!(self.doc.tokens[i].xpos, Xpos::VBD | Xpos::VBP)
    }
    /// A finite verb (any tense) at `i` or past adverbs after it, in the same sentence.
    fn finite_after_adverbs(&self, mut i: usize) -> bool {
        let toks = &self.doc.tokens;
        let sentence = toks[i - 1].sentence;
        while i < toks.len() && toks[i].sentence == sentence && toks[i].upos == Upos::Adv {
            i += 1;
        }
        i < toks.len()
            && toks[i].sentence == sentence
            && toks[i].upos == Upos::Verb
            && matches!(toks[i].xpos, Xpos::VBD | Xpos::VBP | Xpos::VBZ)
    }
    fn form(&self, i: usize) -> &str {
        self.an.form(self.doc.tokens[i].form)
    }
    /// A token that can be part of a noun phrase.
    fn in_np(&self, i: usize) -> bool {
        let t = &self.doc.tokens[i];
        match self.upos(i) {
            Upos::Noun | Upos::Propn | Upos::Adj | Upos::Num | Upos::Det => true,
            // "'s" in "the agency's spokesman"; "Mr." is "Mr" + ".".
            Upos::Part => self.form(i) == "'s",
            Upos::Punct => {
                self.form(i) == "." && i > 0 && self.doc.tokens[i - 1].upos == Upos::Propn && is_short(self, i - 1)
            }
            Upos::Pron => {
                t.xpos == Xpos::PRP_POSS || GROUP.contains(&self.form(i)) || INDEFINITE_PRONOUNS.contains(&self.form(i))
            }
            _ => t.kind == TokenKind::Number,
        }
    }
    fn is_head(&self, i: usize) -> bool {
        matches!(self.upos(i), Upos::Noun | Upos::Propn | Upos::Pron | Upos::Num) || GROUP.contains(&self.form(i))
    }
}

/// An abbreviation before a period ("Mr", "Sen", "Gov").
fn is_short(v: &View, i: usize) -> bool {
    v.form(i).chars().count() <= 4
}

/// The source of the speech cue at tokens `[cue_start, cue_end)`, if its
/// sentence is tagged and a noun phrase stands where a source stands.
///
/// `group` flags the tokens of side mentions (plural party names speak as a
/// group: vague), one per token of `doc`.
pub fn source_of(
    doc: &Analyzed,
    an: &Analyzer,
    hints: &TokenHints,
    cue_start: usize,
    cue_end: usize,
) -> Option<SourceNp> {
    let sentence = doc.tokens[cue_start].sentence;
    let v = View { doc, an, sentence, quote: doc.tokens[cue_start].in_quote, hints };
    let cue_first = v.form(cue_start);
    if cue_first == "according" {
        return np_after_according(&v, cue_end);
    }
    // A lexicon cue that holds its own subject ("he added", "she added"):
    // that pronoun is the source, not a phrase before it.
    if cue_end > cue_start + 1 {
        if let Some(np) = pronoun_at(&v, cue_start) {
            return Some(np);
        }
    }
    // Before the verb, past adverbs and auxiliaries ("has also said").
    let mut j = cue_start;
    let participle = doc.tokens[cue_start].xpos == Xpos::VBG;
    let passive_form = doc.tokens[cue_start].xpos == Xpos::VBN;
    let mut saw_be = false;
    // "Scholars have long argued": a form of "have" before a participle is
    // the perfect auxiliary even where the tagger reads it as a main verb.
    let perfect_have =
        |i: usize| passive_form && matches!(v.form(i), "have" | "has" | "had") && v.upos(i) == Upos::Verb;
    while j > 0
        && v.ok(j - 1)
        && (matches!(v.upos(j - 1), Upos::Adv | Upos::Aux | Upos::Part) || perfect_have(j - 1))
        && v.form(j - 1) != "'s"
    {
        // An infinitive: after a verb ("continues to insist", "refused
        // to say") the source is that verb's subject; after a noun ("a
        // motion to dismiss") there is none.
        if v.form(j - 1) == "to" {
            let governs = j >= 2 && v.ok(j - 2) && matches!(v.upos(j - 2), Upos::Verb | Upos::Aux);
            if !governs {
                return None;
            }
            j -= 2;
            continue;
        }
        saw_be |= matches!(v.form(j - 1), "be" | "is" | "was" | "were" | "been" | "being" | "are" | "am");
        j -= 1;
    }
    // A passive ("was told", "needed to be said"): the subject is not the
    // source.
    if passive_form && saw_be {
        // "was first reported by the Herald", "was asked by the host": the
        // agent of the passive is the source.
        return by_agent(&v, cue_end);
    }
    // A participle with its agent and no auxiliary ("as first reported by
    // the Times", "Asked by the host, ..."); not a perfect ("has reported").
    let perfect = j > 0 && v.ok(j - 1) && matches!(v.form(j - 1), "has" | "have" | "had" | "having");
    if passive_form && !perfect {
        if let Some(np) = by_agent(&v, cue_end) {
            return Some(np);
        }
    }
    // "Pence on Thursday blamed", "Park last week said": past a time
    // adverbial between the subject and the verb.
    // (Not for a participle: "the letter sent the board on Monday
    // alleging ..." is a reduced relative.)
    if !participle {
        j = skip_time_back(&v, j);
    }
    // "Sen. Ruiz (D-Ohio) said": past a parenthesis.
    if j > 1 && v.ok(j - 1) && v.form(j - 1) == ")" {
        if let Some(open) = (j.saturating_sub(24)..j - 1).rev().take_while(|&i| v.ok(i)).find(|&i| v.form(i) == "(") {
            j = open;
        }
    }
    // "Clinton -- whose husband signed it -- has derided": past a
    // parenthetical between dashes.
    let is_dash = |i: usize| matches!(v.form(i), "-" | "--" | "\u{2014}" | "\u{2013}");
    if j > 1 && v.ok(j - 1) && is_dash(j - 1) {
        let mut close = j - 1;
        while close > 0 && v.ok(close - 1) && is_dash(close - 1) {
            close -= 1;
        }
        let open = (close.saturating_sub(MAX_RELATIVE)..close).rev().take_while(|&i| v.ok(i)).find(|&i| is_dash(i));
        if let Some(mut open) = open {
            while open > 0 && v.ok(open - 1) && is_dash(open - 1) {
                open -= 1;
            }
            if let Some(np) = np_before(&v, open) {
                return Some(np);
            }
        }
    }
    if j > 0 && v.ok(j - 1) && v.form(j - 1) == "," {
        // "Park, a Democrat from Ohio, said": the phrase before the
        // appositive. A comma with nothing like that before it ends a
        // clause or a quotation: look after the verb ("..., said Park").
        let open = (j.saturating_sub(MAX_APPOSITIVE)..j - 1).rev().take_while(|&i| v.ok(i)).find(|&i| v.form(i) == ",");
        // What does not read as an appositive ("..., in this instance on
        // the ground, said Ford"; "..., but they agree, said Ford") may end
        // a quoted or reported clause: when a noun phrase after the verb
        // ends the clause, the verb is inverted and that phrase is the
        // source. Otherwise the stretch is a parenthetical about the phrase
        // before it ("Cruz, by contrast, wrote"; "Park, however, said").
        if let Some(c) = open {
            if !opens_appositive(&v, c + 1, j - 1) && inverts(&v, cue_start, cue_end) {
                // (Not a phrase before a quotation: "called the plan "a
                // disgrace"" names its object.)
                let closes =
                    |np: &SourceNp| !v.ok(np.end) || matches!(v.form(np.end), "," | "." | ";" | ":" | "!" | "?");
                if let Some(np) = np_after(&v, cue_end).filter(|np| np.kind != SourceKind::Pronoun && closes(np)) {
                    return Some(np);
                }
            }
        }
        // A relative clause may run longer ("Park, who was preparing
        // to ..., said").
        // A nearer comma that opens no appositive ("Ruiz, who flew to
        // Dayton, Ohio, on Friday ..., said") gives way to such a clause;
        // failing that it stands for a parenthetical ("Cruz, by contrast,
        // wrote").
        let relative = || {
            (j.saturating_sub(MAX_RELATIVE)..j - 1).rev().take_while(|&i| v.ok(i)).find(|&i| {
                v.form(i) == "," && v.ok(i + 1) && matches!(v.form(i + 1), "who" | "whose" | "a" | "an" | "the")
            })
        };
        let open = match open {
            Some(c) if !opens_appositive(&v, c + 1, j - 1) => relative().or(Some(c)),
            Some(c) => Some(c),
            None => relative(),
        };
        // "Sen. Reed (D-R.I.), said": past the parenthesis before the comma.
        if open.is_none() && j >= 3 && v.form(j - 2) == ")" {
            let paren = (j.saturating_sub(10)..j - 2).rev().take_while(|&i| v.ok(i)).find(|&i| v.form(i) == "(");
            if let Some(np) = paren.and_then(|p| np_before(&v, p)) {
                return Some(np);
            }
        }
        if let Some(c) = open {
            // "Russo, a co-founder of a group, the Tea Party Express, says";
            // "Gen. Ana Ruiz, commander, Africa Command, said": a chain of
            // appositives after a name describes that name, the first
            // phrase of the chain.
            if let Some(name) = chain_head_name(&v, c) {
                return Some(name);
            }
            // "his spokesman, Tom Hale, said": the name between the
            // commas is the source, the role before it describes it.
            // (Not a party code: "Schumer, D-N.Y., said".)
            let inner = np_before(&v, j - 1)
                .filter(|np| np.start == c + 1 && np.kind == SourceKind::Named && !v.hints.group[np.head]);
            if let Some(inner) = inner {
                if v.upos(inner.head) == Upos::Propn && v.upos(inner.start) == Upos::Propn {
                    return Some(inner);
                }
            }
            if let Some(np) = np_before(&v, c) {
                return Some(np);
            }
            // "Rep. Cummings (D-Md.), chair of the committee, said": past the
            // parenthesis before the appositive.
            if c > 0 && v.form(c - 1) == ")" {
                let paren = (c.saturating_sub(10)..c - 1).rev().take_while(|&i| v.ok(i)).find(|&i| v.form(i) == "(");
                if let Some(np) = paren.and_then(|p| np_before(&v, p)) {
                    return Some(np);
                }
            }
        }
        // A participle after a comma ("..., referring to the plan") has
        // its source before the comma (see `clause_subject`), never after.
        if participle {
            return None;
        }
        return np_after(&v, cue_end);
    }
    if j == 0 || !v.ok(j - 1) {
        // Sentence-initial verb or right after a quotation: inversion
        // (never for a participle: "...," referring to the plan).
        if participle {
            return None;
        }
        return np_after(&v, cue_end);
    }
    // (A gerund is not the finite verb of a subject with a relative clause:
    // "individuals who perform abortions have admitting privileges".)
    let np = match if participle { None } else { subject_with_relative(&v, j) } {
        Some(Some(subject)) => subject,
        // A relative clause whose antecedent cannot be the subject ("Akron,
        // Ohio who work nights said": a bare name): the noun before the verb
        // is the clause's own ("nights"), unless a conjunction opens a new
        // subject ("... and Democrats said").
        Some(None) => np_before(&v, j)
            .filter(|np| np.start > 0 && v.ok(np.start - 1) && matches!(v.form(np.start - 1), "and" | "but"))?,
        None => surveyed_group(&v, j).or_else(|| np_before(&v, j))?,
    };
    Some(coordinated_subject(&v, np))
}

/// "Those surveyed said", "voters polled said", "many of those questioned
/// said": a group or indefinite source with a passive participle after it
/// (a reduced relative clause) is one subject.
fn surveyed_group(v: &View, end: usize) -> Option<SourceNp> {
    let p = end - 1;
    if !(v.doc.tokens[p].upos == Upos::Verb && v.doc.tokens[p].xpos == Xpos::VBN && p > 0 && v.ok(p - 1)) {
        return None;
    }
    let np =
        np_before(v, p).filter(|np| np.end == p && matches!(np.kind, SourceKind::Vague | SourceKind::Anonymous))?;
    Some(SourceNp { end, ..np })
}

/// Whether the phrase starting at `start` opens its clause: at the start
/// of the sentence or a quotation, after punctuation, a subordinator or
/// "that" (after a verb or a preposition it is an object).
fn opens_clause(v: &View, start: usize) -> bool {
    start == 0
        || !v.ok(start - 1)
        || matches!(v.upos(start - 1), Upos::Punct | Upos::Sconj)
        || v.form(start - 1) == "that"
}

/// "Farmers and ranchers said", "Sen. Ruiz and Rep. Hale said": a
/// coordinated subject is one source; the span takes both conjuncts. Only
/// where the first conjunct opens its clause ("met the mayor and aides
/// said" is an object and a new clause). Typed as one phrase when both
/// conjuncts are names ("The Campaign Finance and Disclosure Board" is a
/// body, "Democrats and Republicans" groups) or the last has no
/// determiner of its own; two referents are typed by the last one, the
/// head ("Mayor Ana Ruiz and two aides": anonymous, as "two aides" alone).
fn coordinated_subject(v: &View, np: SourceNp) -> SourceNp {
    let and = np.start.wrapping_sub(1);
    if np.kind == SourceKind::Pronoun || np.start == 0 || !v.ok(and) || !matches!(v.form(and), "and" | "or") {
        return np;
    }
    // The first conjunct ends in its head ("Many good and democratic
    // Cubans" joins adjectives; "turnout in primaries and polls" a
    // prepositional object) and opens the clause (after a verb it is an
    // object; after another "and", a list: "for teachers and staff and 45
    // percent saying").
    let first = np_before(v, and).filter(|f| f.end == and && f.head + 1 == and && f.kind != SourceKind::Pronoun);
    let Some(first) = first else {
        return np;
    };
    if !opens_clause(v, first.start) {
        return np;
    }
    // "Both Sen. Ruiz and Rep. Hale": the correlative "both" / "either" /
    // "neither" marks the coordination, not a group or a share of one.
    let correlative = matches!(v.form(first.start), "both" | "either" | "neither") && first.start < first.head;
    let first_start = if correlative { first.start + 1 } else { first.start };
    let names = v.upos(first.head) == Upos::Propn && v.upos(np.head) == Upos::Propn;
    // A last conjunct without a determiner of its own shares the first's
    // ("the Florida senator and presidential candidate": one person;
    // "White House and Pentagon spokesmen": one group).
    let own_determiner = matches!(v.upos(np.start), Upos::Det | Upos::Num)
        || v.doc.tokens[np.start].xpos == Xpos::PRP_POSS
        || GROUP.contains(&v.form(np.start))
        || INDEFINITE.contains(&v.form(np.start));
    let kind = if names || !own_determiner { classify(v, first_start, np.head).unwrap_or(np.kind) } else { np.kind };
    SourceNp { start: first.start, kind, ..np }
}

/// A subject with a restrictive relative clause ending right before the
/// verb ("Residents who live near the plant said", "People who know him
/// well say"): the antecedent names the speaker, not the last noun of the
/// clause ("the plant"). The span runs from the antecedent to the verb,
/// the whole subject; head and type are the antecedent's.
///
/// `None` where no relative clause with a phrase before "who" ends at the
/// verb; `Some(None)` where one does but that phrase cannot be the subject
/// (a bare name, a phrase ending in a preposition).
fn subject_with_relative(v: &View, end: usize) -> Option<Option<SourceNp>> {
    // A relative clause does not end in a preposition, particle or
    // auxiliary ("cultists who have been hypnotized into believing",
    // "those who want to get elected have to express": the verb is no
    // finite verb of that subject).
    // Nor in a subject pronoun ("critics who say he refuses to condemn":
    // "he" is the subject of "condemn").
    if matches!(v.upos(end - 1), Upos::Adp | Upos::Part | Upos::Aux)
        || matches!(v.form(end - 1), "he" | "she" | "they" | "we" | "i")
    {
        return None;
    }
    // The clause runs back to "who" without punctuation, a conjunction or
    // a complementiser ("... and said", "..., who said" are other rules').
    let mut k = end;
    while k > 0 && end - k < MAX_RELATIVE && v.ok(k - 1) {
        let i = k - 1;
        if v.form(i) == "who" {
            break;
        }
        // (A conjunction inside the clause joins its objects, "who saw
        // both Bush and Clinton"; before a verb it joins verbs, and what
        // follows may be a new clause: "who visited and claimed women
        // said".)
        let conjunction = v.upos(i) == Upos::Cconj && (i + 1 == end || v.upos(i + 1) == Upos::Verb);
        // Another clause opens at a wh-word ("a sport where the critics
        // say", "reasons why he believes", "what they say").
        let wh = matches!(v.form(i), "that" | "where" | "when" | "which" | "whom" | "whose" | "why" | "how" | "what");
        if conjunction || wh || matches!(v.upos(i), Upos::Punct | Upos::Sconj) {
            return None;
        }
        k = i;
    }
    let who = k.checked_sub(1).filter(|&i| v.ok(i) && v.form(i) == "who")?;
    // The relative clause has a verb of its own ("who live ...").
    if who + 1 >= end || !(who + 1..end).any(|i| matches!(v.upos(i), Upos::Verb | Upos::Aux)) {
        return None;
    }
    // (No phrase right before "who", "Beck, who has in the past
    // described": a clause whose closing comma is missing; left to the
    // other rules.)
    let phrase = np_before(v, who).filter(|np| np.end == who)?;
    // An object's clause ("The mayor met residents who attended the
    // hearing and Democrats said"): the subject is the phrase after "and",
    // which the other rules take. (Without "and" a verb before the
    // antecedent takes a clause: "hope people who knew you will say".)
    let object =
        phrase.start > 0 && v.ok(phrase.start - 1) && matches!(v.upos(phrase.start - 1), Upos::Verb | Upos::Aux);
    let new_subject =
        np_before(v, end).filter(|np| np.start > who + 1 && matches!(v.form(np.start - 1), "and" | "but"));
    if object && new_subject.is_some() {
        return None;
    }
    // The antecedent ends in a noun phrase word ("the question of who":
    // no antecedent).
    let antecedent = Some(phrase).filter(|np| restrictive_antecedent(v, np) && v.in_np(who - 1));
    Some(antecedent.map(|np| SourceNp { end, ..np }))
}

/// Whether a noun phrase can take a restrictive relative clause (no comma
/// before "who"): a common noun or a group ("voters who", "the lifelong
/// Republican who", "Republicans who"), not a bare name, which takes a
/// non-restrictive one ("Park, who"): "Jupiter, Florida who were voting"
/// belongs to a larger phrase.
fn restrictive_antecedent(v: &View, np: &SourceNp) -> bool {
    let bare_name = np.kind == SourceKind::Named && v.upos(np.start) == Upos::Propn && v.upos(np.head) == Upos::Propn;
    np.kind != SourceKind::Pronoun && !bare_name
}

/// A relative pronoun "who" that is the subject of the cue ("a voter who
/// said", "Park, who announced", "someone who cited"), with the phrase it
/// stands for: token index of "who" and the antecedent. Not for a passive
/// ("who was told": the hearer) or an interrogative ("asked who said": no
/// noun phrase before it).
///
/// The attribution record takes "who" as a pronoun source resolved to the
/// antecedent. (As a sourcing match the antecedent was measured and lost
/// on the held-out halves of both evidence_gold and PolNeAR, which marks
/// "who" itself; see scripts/tuning_log.md.)
pub fn relative_antecedent(
    doc: &Analyzed,
    an: &Analyzer,
    hints: &TokenHints,
    cue_start: usize,
) -> Option<(usize, SourceNp)> {
    let sentence = doc.tokens[cue_start].sentence;
    let v = View { doc, an, sentence, quote: doc.tokens[cue_start].in_quote, hints };
    let mut j = cue_start;
    let mut saw_be = false;
    // ("who has also long said": a few adverbs and auxiliaries at most.)
    while j > 0 && cue_start - j < 4 && v.ok(j - 1) && matches!(v.upos(j - 1), Upos::Adv | Upos::Aux) {
        saw_be |= matches!(v.form(j - 1), "be" | "is" | "was" | "were" | "been" | "being" | "are" | "am");
        j -= 1;
    }
    if saw_be && doc.tokens[cue_start].xpos == Xpos::VBN {
        return None;
    }
    let who = j.checked_sub(1).filter(|&i| v.ok(i) && v.form(i) == "who")?;
    // "Park, who said": a non-restrictive clause after a comma.
    let comma = who > 0 && v.ok(who - 1) && v.form(who - 1) == ",";
    let end = if comma { who - 1 } else { who };
    // (Not a phrase ending in a preposition: "the question of who said".)
    let np = np_before(&v, end).filter(|np| np.end == end && np.kind != SourceKind::Pronoun && v.in_np(end - 1))?;
    if !comma && !restrictive_antecedent(&v, &np) {
        return None;
    }
    let np = if comma { origin_owner(&v, np) } else { np };
    Some((who, nearest_person_phrase(&v, adjective_complement_owner(&v, np))))
}

/// "Ana Ruiz, 52, of Dayton, who said": a place after "of" / "from" that
/// follows a comma is where the person before it comes from (the news
/// convention name, age, home town); that person is the antecedent.
fn origin_owner(v: &View, np: SourceNp) -> SourceNp {
    let from = np.start.wrapping_sub(1);
    if np.start < 3 || !v.ok(from - 1) || !matches!(v.form(from), "of" | "from") || v.form(from - 1) != "," {
        return np;
    }
    let mut comma = from - 1;
    // Past the age between commas.
    if comma >= 2 && v.ok(comma - 2) && v.upos(comma - 1) == Upos::Num && v.form(comma - 2) == "," {
        comma -= 2;
    }
    match np_before(v, comma).filter(|owner| owner.end == comma) {
        Some(owner) if owner.kind == SourceKind::Named && v.upos(owner.head) == Upos::Propn => owner,
        _ => np,
    }
}

/// "aides close to Sen. Meyer, who", "people familiar with the talks
/// who": a phrase after an adjective's preposition completes the
/// adjective, which describes the noun before it: that noun's phrase is
/// the antecedent, not the senator. (With no noun before the adjective,
/// "was close to Ruiz, who", the phrase is the antecedent.)
fn adjective_complement_owner(v: &View, np: SourceNp) -> SourceNp {
    let prep = np.start.wrapping_sub(1);
    // (By the word, not the tag: the tagger reads "people close to" as a
    // verb, and "such as" is no complement.)
    let adjective = |i: usize| matches!(v.form(i), "close" | "closest" | "closer" | "familiar" | "loyal" | "allied");
    if np.start < 2 || !v.ok(prep - 1) || !matches!(v.form(prep), "to" | "with") || !adjective(prep - 1) {
        return np;
    }
    match np_before(v, prep - 1).filter(|owner| owner.end == prep - 1) {
        Some(owner) if owner.kind != SourceKind::Pronoun => SourceNp { end: np.end, ..owner },
        _ => np,
    }
}

/// "who" stands for a person or group: in "the support of a retired
/// general who", "a memo from the campaign manager, who" the phrase after
/// the preposition is the antecedent; not where the head before it is a
/// role, a part of a group or a share ("a spokesman for the agency, who",
/// "some of the women who", "a majority of voters who").
fn nearest_person_phrase(v: &View, np: SourceNp) -> SourceNp {
    let Some(prep) = (np.head + 1..np.end).find(|&i| matches!(v.form(i), "of" | "for" | "from" | "with" | "at" | "in"))
    else {
        return np;
    };
    let head = v.form(np.head);
    let keeps = v.doc.tokens[np.head].capitalized
        || v.upos(np.head) == Upos::Num
        || GROUP.contains(&head)
        || SHARE_HEADS.contains(&head)
        || QUANTITY_HEADS.contains(&head)
        || ROLE_HEADS.contains(&head);
    if keeps {
        return np;
    }
    match finish(v, prep + 1, np.end) {
        Some(inner) if inner.kind != SourceKind::Pronoun => inner,
        _ => np,
    }
}

/// Heads that name a person by a role; the phrase after their preposition
/// says whose ("a spokesman for the agency", "a graduate of the school").
const ROLE_HEADS: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "president",
    "director",
    "chairman",
    "chairwoman",
    "chair",
    "member",
    "members",
    "leader",
    "leaders",
    "head",
    "chief",
    "official",
    "officials",
    "executive",
    "aide",
    "aides",
    "adviser",
    "advisers",
    "advisor",
    "graduate",
    "professor",
    "friend",
    "friends",
    "supporter",
    "supporters",
    "critic",
    "critics",
    "mother",
    "father",
    "wife",
    "husband",
    "son",
    "daughter",
    "sister",
    "brother",
    "widow",
    "founder",
    "co-founder",
    "owner",
    "editor",
    "secretary",
    "manager",
    "fellow",
    "analyst",
    "researcher",
    "lawyer",
    "attorney",
    "representative",
    "minister",
    "ambassador",
    "governor",
    "mayor",
    "senator",
    "people",
    "residents",
    "voters",
    "employees",
    "workers",
    "veterans",
    "parents",
    "man",
    "woman",
    "men",
    "women",
    "person",
    "guy",
    "boy",
    "girl",
    "child",
    "children",
];

/// The subject of the clause a participle hangs on ("Ruiz criticised
/// the plan, saying ..."): the noun phrase opening the sentence (past a
/// fronted adverbial ending in a comma), when a verb follows it.
pub fn clause_subject(doc: &Analyzed, an: &Analyzer, hints: &TokenHints, cue_start: usize) -> Option<SourceNp> {
    let sentence = doc.tokens[cue_start].sentence;
    let v = View { doc, an, sentence, quote: doc.tokens[cue_start].in_quote, hints };
    // (Bounded: a run-on "sentence" must not make this quadratic.)
    let mut first = cue_start;
    while first > 0 && v.ok(first - 1) && cue_start - first < MAX_CLAUSE {
        first -= 1;
    }
    if matches!(v.upos(first), Upos::Adp | Upos::Sconj | Upos::Adv) {
        first = (first..cue_start).find(|&i| v.form(i) == ",")? + 1;
    }
    let mut end = first;
    while end < cue_start && end - first < MAX_NP && v.in_np(end) && !(end > first && is_time_word(&v, end)) {
        end += 1;
    }
    // "Pence on Thursday blamed the media, saying ...": a time adverbial
    // may stand between the subject and its verb.
    let mut k = skip_time_forward(&v, end, cue_start);
    while k < cue_start && matches!(v.upos(k), Upos::Adv | Upos::Aux) {
        k += 1;
    }
    // "Bush, Florida's former governor, also attacked Trump, calling him
    // ...": past an appositive between commas.
    // Also past a parenthetical ("Trump, in an interview on Friday,
    // dwelled ..., saying") or a relative clause ("Sanders, who endorsed
    // him in May, ..."): a verb must follow the closing comma.
    if k < cue_start && v.form(k) == "," {
        let relative = v.ok(k + 1) && matches!(v.form(k + 1), "who" | "whose" | "which");
        let limit = if relative { MAX_RELATIVE } else { MAX_APPOSITIVE };
        let close = (k + 1..cue_start.min(k + 1 + limit)).find(|&i| v.form(i) == ",");
        if let Some(close) = close {
            let mut after = close + 1;
            while after < cue_start && matches!(v.upos(after), Upos::Adv | Upos::Aux) {
                after += 1;
            }
            if after < cue_start && v.upos(after) == Upos::Verb {
                k = after;
            }
        }
    }
    // A verb right after the phrase, or after adverbs and auxiliaries.
    let verb_follows = k < cue_start && (matches!(v.upos(k), Upos::Verb | Upos::Aux) || k > end);
    if end == first || !verb_follows {
        return pronoun_at(&v, first).filter(|_| first + 1 < cue_start && v.upos(first + 1) == Upos::Verb);
    }
    finish(&v, first, end)
}

/// Reporting verbs that news writing puts before their subject ("...,"
/// said Park; "...," writes Lee): a one-word cue without an object of its
/// own. "Obama, in an interview, called for changes, ..." is no inversion.
const INVERTING: &[&str] = &[
    "say",
    "said",
    "says",
    "add",
    "added",
    "adds",
    "write",
    "wrote",
    "writes",
    "ask",
    "asked",
    "asks",
    "note",
    "noted",
    "notes",
    "explain",
    "explained",
    "explains",
    "argue",
    "argued",
    "argues",
    "recall",
    "recalled",
    "recalls",
    "continue",
    "continued",
    "continues",
    "insist",
    "insisted",
    "insists",
    "declare",
    "declared",
    "state",
    "stated",
    "warn",
    "warned",
    "warns",
    "reply",
    "replied",
    "replies",
    "respond",
    "responded",
    "counter",
    "countered",
    "acknowledge",
    "acknowledged",
    "concede",
    "conceded",
    "claim",
    "claimed",
    "claims",
    "predict",
    "predicted",
    "predicts",
    "observe",
    "observed",
    "quip",
    "quipped",
    "joke",
    "joked",
    "tweet",
    "tweeted",
    "tweets",
    "report",
    "reported",
    "reports",
    "admit",
    "admitted",
    "admits",
];

fn inverts(v: &View, cue_start: usize, cue_end: usize) -> bool {
    cue_end == cue_start + 1 && INVERTING.contains(&v.form(cue_start))
}

/// The agent of a passive speech verb: the noun phrase after "by" right
/// after the verb (past one adverb: "reported first by").
fn by_agent(v: &View, cue_end: usize) -> Option<SourceNp> {
    let mut k = cue_end;
    if v.ok(k) && v.upos(k) == Upos::Adv {
        k += 1;
    }
    if !(v.ok(k) && v.form(k) == "by") {
        return None;
    }
    let mut end = k + 1;
    while v.ok(end) && end - k <= MAX_NP && v.in_np(end) {
        end += 1;
    }
    finish(v, k + 1, end).filter(|np| np.kind != SourceKind::Pronoun)
}

/// Words that open a time adverbial before a time word ("on Friday",
/// "last week", "earlier this month").
const TIME_OPENERS: &[&str] = &["on", "last", "this", "earlier", "late", "early", "next", "later"];

/// A time word as the head of an adverbial ("Friday", "week"), not the
/// nouns of TIME_WORDS that head other phrases ("interview", "statement").
fn is_time_word(v: &View, i: usize) -> bool {
    let form = v.form(i);
    TIME_WORDS.contains(&form) && !matches!(form, "interview" | "statement" | "time" | "later" | "earlier" | "recently")
}

/// Token index before a time adverbial ending at `end` ("on Thursday",
/// "last week", "Friday"), or `end` when there is none.
fn skip_time_back(v: &View, end: usize) -> usize {
    if end == 0 || !v.ok(end - 1) || !is_time_word(v, end - 1) {
        return end;
    }
    let mut start = end - 1;
    while start > 0 && end - start < 4 && v.ok(start - 1) && TIME_OPENERS.contains(&v.form(start - 1)) {
        start -= 1;
    }
    // A bare time word right after the subject ("Park Friday said") or an
    // adverbial opened by one of the openers; something must remain before it.
    if start > 0 && v.ok(start - 1) && v.in_np(start - 1) {
        start
    } else {
        end
    }
}

/// Token index after a time adverbial starting at `start` and ending before
/// `limit` ("on Thursday", "last week"), or `start` when there is none.
fn skip_time_forward(v: &View, start: usize, limit: usize) -> usize {
    let mut k = start;
    while k < limit && k - start < 3 && TIME_OPENERS.contains(&v.form(k)) {
        k += 1;
    }
    if k < limit && is_time_word(v, k) {
        k + 1
    } else {
        start
    }
}

/// The name opening a chain of appositives that ends at the comma `c`
/// ("Russo, a co-founder of a group, the Tea Party Express,"): walking
/// back over comma-separated noun phrases, the first one, when it is a
/// proper name and the chain has at least two links.
fn chain_head_name(v: &View, c: usize) -> Option<SourceNp> {
    let mut comma = c;
    let mut found = None;
    for _ in 0..3 {
        let link = np_before(v, comma)?;
        if link.start == 0 || !v.ok(link.start - 1) || v.form(link.start - 1) != "," {
            break;
        }
        let before = np_before(v, link.start - 1)?;
        // The name must open its clause: "to Columbus, Ohio, on Friday" is a
        // place, "including Ann Lee, Bo Tran," a list.
        let opens_clause = before.start == 0
            || !v.ok(before.start - 1)
            || matches!(
                v.form(before.start - 1),
                "\"" | "\u{201c}" | "\u{201d}" | "'" | "''" | ":" | "(" | "-" | "--" | "\u{2014}"
            );
        if opens_clause
            && before.kind == SourceKind::Named
            && v.upos(before.head) == Upos::Propn
            && !v.hints.group[before.head]
        {
            found = Some(before);
        }
        comma = link.start - 1;
    }
    found
}

/// Whether token `i`, after a comma, opens an appositive or a relative
/// clause about the phrase before the comma ("a Democrat from Ohio", "the
/// Oregon Democrat", "Tom Hale", "who chairs ..."), rather than the rest of
/// a clause ("in this instance", "but they agree", "that could change").
fn opens_appositive(v: &View, i: usize, close: usize) -> bool {
    if !v.ok(i) {
        return false;
    }
    if matches!(v.form(i), "who" | "whose" | "which") {
        return true;
    }
    // A finite verb before any relative pronoun makes it a clause ("the
    // plan would fail, said Ford"), not an appositive.
    let finite = |k: usize| {
        matches!(v.upos(k), Upos::Verb | Upos::Aux)
            && matches!(v.doc.tokens[k].xpos, Xpos::VBD | Xpos::VBZ | Xpos::VBP | Xpos::MD)
    };
    let clause_end = (i..close).find(|&k| matches!(v.form(k), "who" | "whose" | "which" | "that")).unwrap_or(close);
    if (i..clause_end).any(finite) {
        return false;
    }
    // "also a Democrat", "himself a former aide".
    if matches!(v.upos(i), Upos::Adv) || matches!(v.form(i), "himself" | "herself" | "itself" | "themselves") {
        return v.ok(i + 1) && v.in_np(i + 1);
    }
    v.in_np(i)
}

/// The noun phrase ending right before token `end`.
fn np_before(v: &View, end: usize) -> Option<SourceNp> {
    if let Some(np) = end.checked_sub(1).and_then(|i| pronoun_at(v, i)) {
        return Some(np);
    }
    let mut start = end;
    while start > 0 && end - start < MAX_NP && v.ok(start - 1) {
        let i = start - 1;
        if v.in_np(i) {
            start = i;
        } else if i > 0
            && v.ok(i - 1)
            && ((matches!(v.form(i), "of" | "for" | "at" | "from" | "with" | "in") && v.in_np(i - 1))
                // "many on the left", "some among the donors" (not "Perry on
                // Fox News": a name with "on" is a time, a place or a medium).
                || (matches!(v.form(i), "on" | "among") && GROUP.contains(&v.form(i - 1))))
        {
            // "a spokesman for the agency", "two people familiar with the matter"
            start = i;
        } else {
            break;
        }
    }
    finish(v, start, end)
}

/// The noun phrase starting at token `start` and ending the clause.
fn np_after(v: &View, start: usize) -> Option<SourceNp> {
    // "said in a statement", "said on Friday": not a source.
    if v.ok(start) && v.upos(start) == Upos::Adp && v.form(start) != "by" {
        return None;
    }
    if let Some(np) = pronoun_at(v, start) {
        let ends_clause = !v.ok(start + 1) || v.doc.tokens[start + 1].kind == TokenKind::Punct;
        return ends_clause.then_some(np);
    }
    let mut end = start;
    while v.ok(end) && end - start < MAX_NP {
        if v.in_np(end) {
            end += 1;
        } else if end > start
            && matches!(v.form(end), "of" | "for" | "to" | "at" | "with")
            && v.ok(end + 1)
            && v.in_np(end + 1)
        {
            // "said a longtime adviser to the senator"
            end += 1;
        } else {
            break;
        }
    }
    // "said Park had resigned": Park is the subject of the reported clause.
    // "said Sen. Park in a statement", "said Park on Friday": a
    // prepositional phrase of place, time or medium may follow the source.
    let ends_clause = !v.ok(end)
        || v.doc.tokens[end].kind == TokenKind::Punct
        || matches!(v.form(end), "who" | "in" | "on" | "at" | "during");
    if !ends_clause {
        return None;
    }
    finish(v, start, end)
}

/// The agent of "according to": the noun phrase after it, wherever it
/// ends (a prepositional phrase, not a clause, so nothing has to close
/// it). Lenient with the tagger inside the phrase: a lowercase word read
/// as a verb or adverb before a noun ("according to exit polls", "show
/// insiders") or closing the phrase ("the foundation's tally") is a noun
/// there, and "from" / "by" / "on" may join a modifier ("the latest data
/// available from the bureau").
fn np_after_according(v: &View, start: usize) -> Option<SourceNp> {
    if let Some(np) = pronoun_at(v, start) {
        return Some(np);
    }
    let word_read_as_noun = |i: usize| {
        let misread_at = |k: usize| {
            let t = &v.doc.tokens[k];
            t.kind == TokenKind::Word && !t.capitalized && matches!(v.upos(k), Upos::Verb | Upos::Adv)
        };
        let closes = !v.ok(i + 1) || v.doc.tokens[i + 1].kind == TokenKind::Punct;
        // Two misread words in a row ("according to exit polling data").
        let np_follows = v.ok(i + 1) && (v.in_np(i + 1) || (misread_at(i + 1) && v.ok(i + 2) && v.in_np(i + 2)));
        misread_at(i) && (np_follows || (i > start && closes))
    };
    let joins_modifier = |i: usize| {
        i > start
            && matches!(v.form(i), "of" | "for" | "to" | "at" | "with" | "in" | "from" | "by" | "on")
            && v.ok(i + 1)
            && v.in_np(i + 1)
    };
    let mut end = start;
    while v.ok(end) && end - start < MAX_NP + 4 && (v.in_np(end) || word_read_as_noun(end) || joins_modifier(end)) {
        end += 1;
    }
    finish(v, start, end)
}

/// A personal pronoun as the whole source phrase ("she said", "said he").
fn pronoun_at(v: &View, i: usize) -> Option<SourceNp> {
    let is_pronoun = v.ok(i) && v.doc.tokens[i].upos == Upos::Pron && PERSONAL.contains(&v.form(i));
    is_pronoun.then_some(SourceNp { start: i, end: i + 1, head: i, kind: SourceKind::Pronoun })
}

/// Trim `[start, end)` to a phrase with a head and classify it.
fn finish(v: &View, mut start: usize, mut end: usize) -> Option<SourceNp> {
    while start < end && (v.upos(start) == Upos::Punct || v.upos(start) == Upos::Adp) {
        start += 1;
    }
    // The period closing the sentence after an abbreviation-like name
    // ("... according to the FBI.") is not part of the phrase.
    while end > start && v.upos(end - 1) == Upos::Punct && !v.ok(end) {
        end -= 1;
    }
    if start >= end {
        return None;
    }
    // The head: the last noun before a preposition ("a spokesman for the
    // agency" -> spokesman), else the last noun.
    let first_adp = (start..end).find(|&i| v.upos(i) == Upos::Adp || matches!(v.form(i), "of" | "for" | "with" | "in"));
    // "A representative for Mr. Pinchuk": an adjective-tagged word after a
    // determiner, right before the preposition, is the head noun.
    // (Only with a noun phrase after the preposition: "a conservative for
    // saying" has none.)
    let adjective_head = |i: usize| {
        Some(i + 1) == first_adp && i + 2 < end && i > start && v.upos(i) == Upos::Adj && v.upos(i - 1) == Upos::Det
    };
    let finite_verb_after = |k: usize| {
        v.ok(k)
            && v.doc.tokens[k].upos == Upos::Verb
            && matches!(v.doc.tokens[k].xpos, Xpos::VBD | Xpos::VBZ | Xpos::VBP)
    };
    // "..., said the official.": after a finite verb, closing the clause.
    let inverted_before = |a: usize, b: usize| {
        a > 0 && finite_verb_after(a - 1) && (!v.ok(b) || v.doc.tokens[b].kind == TokenKind::Punct)
    };
    // "the official said": an adjective-tagged last word after a determiner
    // or a modifier, right before a finite verb, is the head noun (a subject
    // does not end in a plain adjective). Not a superlative or comparative
    // ("the worst", "the single biggest reported").
    let adjective_last = |i: usize| {
        first_adp.is_none()
            && i + 1 == end
            && i > start
            && v.upos(i) == Upos::Adj
            && v.doc.tokens[i].xpos == Xpos::JJ
            && matches!(v.upos(i - 1), Upos::Det | Upos::Adj | Upos::Noun | Upos::Propn)
            // ("the executives present said": the plural is the head.)
            && !matches!(v.doc.tokens[i - 1].xpos, Xpos::NNS | Xpos::NNPS)
            && (finite_verb_after(end) || inverted_before(start, end))
    };
    let head =
        (start..first_adp.unwrap_or(end)).rev().find(|&i| v.is_head(i) || adjective_head(i) || adjective_last(i))?;
    // "said Friday", "said last week": a time, not a source.
    if TIME_WORDS.contains(&v.form(head)) {
        return None;
    }
    // "Last week Hale said", "the day Ortiz announced", "the way Ruiz
    // described it": a time or manner noun right before a name heads an
    // adverbial (or a relative clause without "that"); the name alone is
    // the subject.
    if v.doc.tokens[head].capitalized && head > start {
        let adverbial = (start..head).rev().find(|&k| {
            let t = &v.doc.tokens[k];
            !t.capitalized && (TIME_WORDS.contains(&v.form(k)) || ADVERBIAL_NOUNS.contains(&v.form(k)))
        });
        if let Some(k) = adverbial {
            if (k + 1..=head).all(|i| v.doc.tokens[i].capitalized || v.form(i) == ".") {
                start = k + 1;
            }
        }
    }
    let kind = classify(v, start, head)?;
    Some(SourceNp { start, end, head, kind })
}

/// Whether token `i` is the first word of its sentence (past opening quotes
/// or brackets).
fn opens_sentence(v: &View, i: usize) -> bool {
    let toks = &v.doc.tokens;
    let sentence = toks[i].sentence;
    toks[..i].iter().rev().take_while(|t| t.sentence == sentence).all(|t| t.kind != TokenKind::Word)
}

/// Nouns for a document or a finding, never a person ("a Harbor Wire
/// tally", "an Ohio college study").
const DOCUMENT_NOUNS: &[&str] = &[
    "study",
    "studies",
    "report",
    "reports",
    "poll",
    "polls",
    "survey",
    "surveys",
    "tally",
    "analysis",
    "document",
    "documents",
    "memo",
    "review",
    "estimate",
    "estimates",
    "count",
    "audit",
    "data",
    "statement",
    "release",
    "filing",
    "letter",
    "paper",
    "investigation",
    "assessment",
    "projection",
    "forecast",
    "index",
    "model",
];

/// After "a"/"an" and capitalised words ending at `head`: whether the
/// phrase names a person. The capitalised run (with "of", "&" and a hyphen
/// inside it: "a Department of Labor ...") either is the head itself ("a
/// Republican said") or modifies the noun after it, which must then be a
/// person or role noun ("a State Department official", "a Harbor Wire
/// spokesman"), never a document ("a Labor Department report").
fn names_a_person(v: &View, head: usize) -> bool {
    let toks = &v.doc.tokens;
    let same = |k: usize| k < toks.len() && toks[k].sentence == v.sentence;
    let mut k = head + 1;
    loop {
        if same(k) && (toks[k].capitalized || (v.form(k) == "." && toks[k - 1].capitalized)) {
            k += 1;
        } else if same(k + 1) && matches!(v.form(k), "of" | "&" | "-") && toks[k + 1].capitalized {
            k += 2;
        } else {
            break;
        }
    }
    // The last of the common nouns after it decides ("a Harbor Transit
    // system spokesman": "spokesman").
    let is_noun = |k: usize| {
        same(k)
            && toks[k].kind == TokenKind::Word
            && !toks[k].capitalized
            && (v.upos(k) == Upos::Noun || DOCUMENT_NOUNS.contains(&v.form(k)))
    };
    if !is_noun(k) {
        return true;
    }
    while is_noun(k + 1) {
        k += 1;
    }
    let noun = v.form(k);
    if DOCUMENT_NOUNS.contains(&noun) {
        return false;
    }
    ROLE_HEADS.contains(&noun)
        || ["man", "woman", "person", "er", "or", "ist", "ian"].iter().any(|end| noun.ends_with(end))
        || matches!(
            noun,
            "official"
                | "aide"
                | "diplomat"
                | "source"
                | "insider"
                | "staffer"
                | "resident"
                | "agent"
                | "judge"
                | "candidate"
                | "delegate"
                | "voter"
                | "veteran"
                | "student"
                | "activist"
        )
}

/// Whether every word from `from` to `head` is capitalised (a run of name
/// words, abbreviation periods allowed).
fn capitalised_from(v: &View, from: usize, head: usize) -> bool {
    from <= head && (from..=head).all(|i| v.doc.tokens[i].capitalized || v.form(i) == ".")
}

fn classify(v: &View, start: usize, head: usize) -> Option<SourceKind> {
    let first = v.form(start);
    let t = &v.doc.tokens[head];
    // A plural the tagger read as a verb (see `View::upos`) is typed as one.
    let xpos = if t.upos == Upos::Verb && v.upos(head) == Upos::Noun { Xpos::NNS } else { t.xpos };
    if GROUP.contains(&v.form(head)) || GROUP.contains(&first) || INDEFINITE_PRONOUNS.contains(&v.form(head)) {
        return Some(SourceKind::Vague);
    }
    // A share of a group ("six in 10 say", "a majority of voters said",
    // "52 percent said"): an unspecified part of a population, vague.
    // A counted part of a group ("8% said", "six in 10", "34 of the
    // clerks wrote"), not a year, a sum or an age between commas
    // ("October 10, 2019", "$41 million", "Walker, 62, doubted").
    let form_at = |i: usize| if i < v.doc.tokens.len() { v.form(i) } else { "" };
    let year = v.form(head).len() == 4 && v.form(head).starts_with(['1', '2']);
    let money = head > 0 && form_at(head - 1) == "$";
    let age = head > 0 && form_at(head - 1) == "," && form_at(head + 1) == ",";
    let share_number = v.upos(head) == Upos::Num && !year && !money && !age;
    // "one who said": a single person, withheld ("one in five" is a
    // share; "one of the groups" may be anything).
    let single = |k: usize| v.doc.tokens.get(k).is_none_or(|t| t.kind != TokenKind::Word || v.form(k) == "who");
    if v.form(head) == "one" && start == head && single(head + 1) {
        return Some(SourceKind::Anonymous);
    }
    if share_number || SHARE_HEADS.contains(&v.form(head)) {
        return Some(SourceKind::Vague);
    }
    // Capitalised, the head is a name ("the Group of Seven said").
    if !t.capitalized && QUANTITY_HEADS.contains(&v.form(head)) && form_at(head + 1) == "of" {
        return Some(SourceKind::Vague);
    }
    if first == "the" && !t.capitalized && GENERIC_COLLECTIVES.contains(&v.form(head)) {
        return Some(SourceKind::Vague);
    }
    // A gerund subject ("Polling suggests"): an activity, no one in
    // particular.
    if t.upos == Upos::Verb && t.xpos == Xpos::VBG && v.upos(head) == Upos::Noun {
        return Some(SourceKind::Vague);
    }
    match v.upos(head) {
        // Pronouns refer back to a source already named; relative
        // pronouns ("who said") are not sources at all.
        Upos::Pron if PERSONAL.contains(&v.form(head)) && head == start => Some(SourceKind::Pronoun),
        Upos::Pron => None,
        // "Democrats", "Republicans" as a speaking group; other plural
        // proper nouns are names ("Winters", "Rhodes").
        Upos::Propn if xpos == Xpos::NNPS && v.hints.group[head] => Some(SourceKind::Vague),
        // A plural that is capitalised only because it opens the sentence
        // ("Critics argue"): the tagger reads capitals as a name there, but
        // a name would also be written capitalised inside a sentence.
        Upos::Propn if xpos == Xpos::NNPS && head == start && opens_sentence(v, head) && !v.hints.name[head] => {
            Some(SourceKind::Vague)
        }
        // "a Republican", "a Harbor County Democrat", "a top Republican", "a State
        // Department official": a name takes no indefinite article, so the
        // capitalised words are a common noun (a party member, a demonym) or
        // name the body one unnamed person belongs to. (A name after a
        // describing word keeps its article: "an angry Ruiz", "a grinning
        // Sen. Ruiz"; nor "A. J. Ruiz", an initial.)
        // Only when the capitalised words are the head or modify a person
        // noun: "a Labor Department report", "a Harbor Wire tally" are
        // documents of a named body, not an unnamed person.
        Upos::Propn
            if matches!(first, "a" | "an")
                && v.form(start + 1) != "."
                && (capitalised_from(v, start + 1, head) || v.hints.group[head])
                && names_a_person(v, head) =>
        {
            Some(SourceKind::Anonymous)
        }
        Upos::Propn => Some(SourceKind::Named),
        _ if INDEFINITE.contains(&first) => Some(SourceKind::Anonymous),
        // "Kenya's military", "the agency's spokesman": owned by a name.
        _ if (start..head).any(|i| {
            let owner = (v.form(i) == "'s" && i > start && v.upos(i - 1) == Upos::Propn)
                || (v.form(i).ends_with("'s") && v.doc.tokens[i].capitalized);
            owner
        }) && xpos != Xpos::NNS =>
        {
            Some(SourceKind::Named)
        }
        _ if first == "the" || v.doc.tokens[start].xpos == Xpos::PRP_POSS => {
            // "the mayor", "the company": an identifiable office or body;
            // "the officials", "the critics": still a group.
            Some(if xpos == Xpos::NNS { SourceKind::Vague } else { SourceKind::Named })
        }
        // A named organisation as a modifier: "CNN reporters", "White House officials".
        _ if (start..head).any(|i| v.upos(i) == Upos::Propn) && xpos == Xpos::NNS => Some(SourceKind::Vague),
        // A capitalised bare singular noun is a name the tagger did not
        // know ("Schumer said"): a bare singular count noun rarely stands
        // as a subject.
        _ if xpos == Xpos::NN && t.capitalized && head == start => Some(SourceKind::Named),
        // A capitalised plural that the document writes capitalised inside
        // sentences and never in lower case is a name ("Rhodes", "Sanders").
        _ if t.capitalized && xpos == Xpos::NNS && v.hints.name[head] => Some(SourceKind::Named),
        // Bare plurals and mass nouns: "critics", "experts", "officials".
        _ if xpos == Xpos::NNS || xpos == Xpos::NN => Some(SourceKind::Vague),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::pos::Tagger;

    fn source(text: &str, verb: &str) -> Option<(String, SourceKind)> {
        let mut an = Analyzer::new();
        let mut doc = an.analyze(text);
        an.tag(text, &mut doc, Tagger::builtin());
        let i = doc.tokens.iter().position(|t| an.form(t.form) == verb).expect("verb in text");
        let end = if verb == "according" { i + 2 } else { i + 1 };
        let hints = TokenHints::new(&doc, vec![false; doc.tokens.len()]);
        source_of(&doc, &an, &hints, i, end).map(|np| {
            let (a, b) = (doc.tokens[np.start].span.start, doc.tokens[np.end - 1].span.end);
            (text[a..b].to_string(), np.kind)
        })
    }

    #[test]
    fn subjects_appositives_and_inversion() {
        use SourceKind::*;
        assert_eq!(
            source("Mayor Ana Ruiz said the road would reopen.", "said"),
            Some(("Mayor Ana Ruiz".into(), Named))
        );
        assert_eq!(
            source("Ruiz, who chairs the transit board, said the road would reopen.", "said"),
            Some(("Ruiz".into(), Named))
        );
        assert_eq!(source("\"It will reopen,\" said the mayor.", "said"), Some(("the mayor".into(), Named)));
        assert_eq!(
            source("A senior official said the talks had stalled.", "said"),
            Some(("A senior official".into(), Anonymous))
        );
        assert_eq!(source("Critics argue the plan is too costly.", "argue"), Some(("Critics".into(), Vague)));
        assert_eq!(source("She said the road would reopen.", "said"), Some(("She".into(), Pronoun)));
        assert_eq!(
            source("The mayor's spokesman, Tom Hale, said the road would reopen.", "said"),
            Some(("Tom Hale".into(), Named))
        );
        assert_eq!(
            source("Ruiz, a Democrat from Ohio, said the road would reopen.", "said"),
            Some(("Ruiz".into(), Named))
        );
        assert_eq!(
            source("Ruiz \u{2014} a former aide to the mayor \u{2014} said the road would reopen.", "said"),
            Some(("Ruiz".into(), Named))
        );
        assert_eq!(
            source("Sen. Ana Ruiz (D-Ohio) said the road would reopen.", "said"),
            Some(("Sen. Ana Ruiz".into(), Named))
        );
        // Passive: the subject is the hearer, the agent after "by" the source;
        // infinitive after a verb: that verb's subject.
        assert_eq!(source("Ruiz was told the road would reopen.", "told"), None);
        assert_eq!(
            source("The closure was first reported by the Dayton Ledger.", "reported"),
            Some(("the Dayton Ledger".into(), Named))
        );
        // A participle with its agent and no auxiliary.
        assert_eq!(
            source("The closure, as first reported by the Dayton Ledger, surprised riders.", "reported").map(|s| s.0),
            Some("the Dayton Ledger".into())
        );
        assert_eq!(
            source("Sen. Ana Ruiz (D-Ohio), chair of the transit panel, said the road would reopen.", "said")
                .map(|s| s.0),
            Some("Sen. Ana Ruiz".into())
        );
        // Tagger slips: a plural read as a verb before the speech verb, an
        // adjective-tagged head before "for", two misread words after
        // "according to".
        assert_eq!(source("Park aides said the road would reopen.", "said").map(|s| s.0), Some("Park aides".into()));
        assert_eq!(
            source("A representative for Mr. Park said the road would reopen.", "said").map(|s| s.0),
            Some("A representative for Mr. Park".into())
        );
        assert_eq!(
            source("Turnout rose, according to exit polling data.", "according").map(|s| s.0),
            Some("exit polling data".into())
        );
        // A prepositional phrase may follow an inverted source.
        assert_eq!(
            source("\"It will reopen,\" said Mayor Ana Ruiz in a statement.", "said"),
            Some(("Mayor Ana Ruiz".into(), Named))
        );
        assert_eq!(
            source("The mayor continued to insist the road would reopen.", "insist"),
            Some(("The mayor".into(), Named))
        );
        assert_eq!(source("The court heard a motion to dismiss the case.", "dismiss"), None);
        assert_eq!(
            source("According to the transit board, costs rose.", "according"),
            Some(("the transit board".into(), Named))
        );
    }

    #[test]
    fn inverted_source_after_a_clause_with_commas() {
        use SourceKind::*;
        // The comma before the verb closes a quoted clause, not an appositive.
        assert_eq!(
            source("\"The buses run late, in the mornings at least, and nobody checks,\" said Ana Ruiz, a rider from Dayton.", "said"),
            Some(("Ana Ruiz".into(), Named))
        );
        assert_eq!(
            source("The depot was full, but the drivers kept working, said Tom Hale, the union steward.", "said"),
            Some(("Tom Hale".into(), Named))
        );
        // Only a reporting verb inverts: "criticized the fares" has an object.
        assert_eq!(
            source("The mayor, in an interview on Friday, criticized the fares, as she has before.", "criticized")
                .map(|s| s.0),
            Some("The mayor".into())
        );
        // A chain of appositives describes the name that opens it.
        assert_eq!(
            source(
                "Ana Ruiz, a founder of a riders' group, the Transit Alliance, says the fares are too high.",
                "says"
            ),
            Some(("Ana Ruiz".into(), Named))
        );
        // Not a place ("Columbus, Ohio,") or a list inside a longer subject.
        assert_eq!(
            source("Ruiz, who flew to Dayton, Ohio, on Friday to open the line, said the fares would fall.", "said")
                .map(|s| s.0),
            Some("Ruiz".into())
        );
        // A real appositive still points back to the phrase before it.
        assert_eq!(source("Hale, also a driver, said the depot was full.", "said"), Some(("Hale".into(), Named)));
    }

    #[test]
    fn a_time_adverbial_between_subject_and_verb() {
        use SourceKind::*;
        assert_eq!(
            source("Mayor Ana Ruiz on Thursday said the road would reopen.", "said"),
            Some(("Mayor Ana Ruiz".into(), Named))
        );
        assert_eq!(
            source("The transit board last week announced new fares.", "announced"),
            Some(("The transit board".into(), Named))
        );
        // The clause subject of a participle, as text.
        let participle_subject = |text: &str, participle: &str| -> Option<String> {
            let mut an = Analyzer::new();
            let mut doc = an.analyze(text);
            an.tag(text, &mut doc, Tagger::builtin());
            let i = doc.tokens.iter().position(|t| an.form(t.form) == participle).expect("participle");
            let hints = TokenHints::new(&doc, vec![false; doc.tokens.len()]);
            let np = clause_subject(&doc, &an, &hints, i)?;
            Some(text[doc.tokens[np.start].span.start..doc.tokens[np.end - 1].span.end].to_string())
        };
        // Past the same adverbial.
        assert_eq!(
            participle_subject(
                "Mayor Ana Ruiz on Thursday blamed the weather, saying the road would reopen.",
                "saying"
            )
            .as_deref(),
            Some("Mayor Ana Ruiz")
        );
        // Past an appositive between commas.
        assert_eq!(
            participle_subject(
                "Ruiz, the city's former mayor, also criticized the plan, calling it a waste.",
                "calling"
            )
            .as_deref(),
            Some("Ruiz")
        );
        // Past a parenthetical.
        assert_eq!(
            participle_subject("Ruiz, in an interview on Friday, dismissed the plan, calling it a waste.", "calling")
                .as_deref(),
            Some("Ruiz")
        );
    }

    #[test]
    fn a_share_of_a_group_is_a_vague_source() {
        use SourceKind::*;
        assert_eq!(source("Six in 10 say the fare is too high.", "say").map(|s| s.1), Some(Vague));
        assert_eq!(source("A majority of riders said the fare is too high.", "said").map(|s| s.1), Some(Vague));
        assert_eq!(source("A senior official said the fare is too high.", "said").map(|s| s.1), Some(Anonymous));
        // An age between commas is not a share of anything.
        assert_ne!(source("Bob Hale, 62, from Dayton, said the fare is too high.", "said").map(|s| s.1), Some(Vague));
    }

    #[test]
    fn counted_groups_and_generic_collectives_are_vague() {
        use SourceKind::*;
        assert_eq!(source("A group of tenants said the rent was too high.", "said").map(|s| s.1), Some(Vague));
        assert_eq!(source("A number of bankers said rates would rise.", "said").map(|s| s.1), Some(Vague));
        assert_eq!(source("The media reported that the mill had closed.", "reported").map(|s| s.1), Some(Vague));
        // A single counted person stays anonymous; a named body stays named.
        assert_eq!(source("A member of the board said rates would rise.", "said").map(|s| s.1), Some(Anonymous));
        assert_eq!(
            source("The Associated Press reported that the mill had closed.", "reported").map(|s| s.1),
            Some(Named)
        );
        assert_eq!(source("The company said the mill had closed.", "said").map(|s| s.1), Some(Named));
        // A quantifier with a prepositional phrase ("many on the left").
        assert_eq!(
            source("Many on the board said the mill had closed.", "said"),
            Some(("Many on the board".into(), Vague))
        );
    }

    #[test]
    fn an_adjective_tagged_head_before_the_verb() {
        // The tagger reads "official" here as an adjective.
        assert_eq!(
            source("\"We welcome the steps,\" the official said.", "said"),
            Some(("the official".into(), SourceKind::Named))
        );
        assert_eq!(
            source("\"We welcome the steps,\" said the official.", "said").map(|s| s.0),
            Some("the official".into())
        );
        // Not a superlative ("the worst", "the single biggest").
        assert_eq!(source("\"It is over,\" said the oldest.", "said"), None);
    }

    #[test]
    fn a_perfect_have_read_as_a_verb_is_skipped() {
        assert_eq!(
            source("Historians have long argued that the canal was a mistake.", "argued"),
            Some(("Historians".into(), SourceKind::Vague))
        );
    }

    #[test]
    fn according_to_takes_the_phrase_after_it() {
        // Not only a phrase that ends the clause.
        assert_eq!(
            source(
                "Fares rose by a tenth according to the latest figures available from the city, but few noticed.",
                "according"
            )
            .map(|s| s.0),
            Some("the latest figures available from the city".into())
        );
        assert_eq!(
            source("Turnout fell, according to exit polls.", "according").map(|s| s.0),
            Some("exit polls".into())
        );
    }

    #[test]
    fn a_relative_clause_in_the_subject_belongs_to_its_antecedent() {
        use SourceKind::*;
        // The antecedent names the speaker, not the last noun of the clause.
        assert_eq!(
            source("Tenants who live near the depot said the buses were loud.", "said"),
            Some(("Tenants who live near the depot".into(), Vague))
        );
        assert_eq!(
            source("A driver who asked not to be named said the depot would close.", "said"),
            Some(("A driver who asked not to be named".into(), Anonymous))
        );
        assert_eq!(
            source("Those who ride the night bus say it is always late.", "say"),
            Some(("Those who ride the night bus".into(), Vague))
        );
        // A gerund is no finite verb of such a subject, and a relative
        // clause ends in no preposition: "claims" is a noun the tagger
        // read as a verb.
        assert_eq!(source("Riders who were talked into believing the rumor left early.", "believing"), None);
        assert_eq!(source("Voters who worry about claims of fraud stayed home.", "claims"), None);
        // Not past another clause's wh-word.
        assert_eq!(
            source("Riders describe a depot where the drivers say the heat is off.", "say").map(|s| s.0),
            Some("the drivers".into())
        );
        // A conjunction inside the clause joins its objects.
        assert_eq!(
            source("Riders who saw both the mayor and the governor said the talk went well.", "said").map(|s| s.0),
            Some("Riders who saw both the mayor and the governor".into())
        );
        // A bare name takes no restrictive clause: no antecedent there, and
        // the clause's own noun is no subject.
        assert_eq!(source("Drivers in Akron, Ohio who work nights said the depot was cold.", "said"), None);
        // An object's relative clause: the subject is the phrase after
        // "and"; without one, a verb's clause has the relative subject.
        assert_eq!(
            source("Drivers hope riders who know the route will say the depot is fine.", "say").map(|s| s.0),
            Some("riders who know the route".into())
        );
        assert_eq!(
            source("The mayor met residents who attended the hearing and Democrats said the vote was fair.", "said")
                .map(|s| s.0),
            Some("Democrats".into())
        );
    }

    fn relative(text: &str, verb: &str) -> Option<(String, SourceKind)> {
        let mut an = Analyzer::new();
        let mut doc = an.analyze(text);
        an.tag(text, &mut doc, Tagger::builtin());
        let i = doc.tokens.iter().position(|t| an.form(t.form) == verb).expect("verb in text");
        let hints = TokenHints::new(&doc, vec![false; doc.tokens.len()]);
        relative_antecedent(&doc, &an, &hints, i).map(|(who, np)| {
            assert_eq!(an.form(doc.tokens[who].form), "who");
            let (a, b) = (doc.tokens[np.start].span.start, doc.tokens[np.end - 1].span.end);
            (text[a..b].to_string(), np.kind)
        })
    }

    #[test]
    fn the_antecedent_of_a_relative_pronoun_subject() {
        use SourceKind::*;
        assert_eq!(
            relative("The board heard from Ana Ruiz, who said the fares were too high.", "said"),
            Some(("Ana Ruiz".into(), Named))
        );
        assert_eq!(
            relative("The board heard from a rider who complained that the buses were late.", "complained"),
            Some(("a rider".into(), Anonymous))
        );
        assert_eq!(relative("They met someone who cited the new rule.", "cited"), Some(("someone".into(), Vague)));
        // "who" stands for a person: the phrase after a preposition when the
        // head before it is not a person or role.
        assert_eq!(
            relative("The board read a letter from the union chief, who argued that fares must fall.", "argued")
                .map(|s| s.0),
            Some("the union chief".into())
        );
        assert_eq!(
            relative("The board heard a spokesman for the union, who said fares must fall.", "said").map(|s| s.0),
            Some("a spokesman for the union".into())
        );
        // Not a phrase ending in a preposition; the phrase after an
        // adjective's preposition completes the adjective ("close to").
        assert_eq!(relative("The panel is still probing the question of who said what to the mayor.", "said"), None);
        assert_eq!(
            relative(
                "The board heard from aides close to Republican Sen. Bob Meyer, who said the deal was off.",
                "said"
            ),
            Some(("aides close to Republican Sen. Bob Meyer".into(), Vague))
        );
        assert_eq!(
            relative("The board was close to Ana Ruiz, who said the deal was off.", "said"),
            Some(("Ana Ruiz".into(), Named))
        );
        assert_eq!(
            relative("The board heard from riders such as Ana Ruiz, who said the deal was off.", "said"),
            Some(("Ana Ruiz".into(), Named))
        );
        // Not a passive (the hearer), not an interrogative.
        assert_eq!(relative("The board heard from a rider who was told the bus was gone.", "told"), None);
        assert_eq!(relative("Nobody knows who said it first.", "said"), None);
    }

    #[test]
    fn surveyed_groups_gerunds_and_coordinated_subjects() {
        use SourceKind::*;
        assert_eq!(source("Those surveyed said the buses were late.", "said"), Some(("Those surveyed".into(), Vague)));
        assert_eq!(
            source("A majority of those polled said the buses were late.", "said"),
            Some(("A majority of those polled".into(), Vague))
        );
        // A gerund subject: polling in general, no one in particular.
        assert_eq!(source("Polling suggests the fare rise is unpopular.", "suggests"), Some(("Polling".into(), Vague)));
        // A coordinated subject is one source, typed as one phrase.
        assert_eq!(
            source("Drivers and mechanics said the depot was cold.", "said"),
            Some(("Drivers and mechanics".into(), Vague))
        );
        assert_eq!(
            source("Mayor Ana Ruiz and Gov. Tom Hale said the depot would close.", "said"),
            Some(("Mayor Ana Ruiz and Gov. Tom Hale".into(), Named))
        );
        // "Both" marks the coordination, not a group; a last conjunct with
        // a determiner of its own is a second referent, typed as the head
        // (not by the "CNN reporters" rule across "and").
        assert_eq!(
            source("Both Sen. Ana Ruiz and Rep. Tom Hale said the depot would close.", "said"),
            Some(("Both Sen. Ana Ruiz and Rep. Tom Hale".into(), Named))
        );
        assert_eq!(
            source("Mayor Ana Ruiz and two aides said the depot would close.", "said"),
            Some(("Mayor Ana Ruiz and two aides".into(), Anonymous))
        );
        // Without a determiner of its own the last conjunct shares the first's.
        assert_eq!(
            source("The depot manager and union steward said the depot would close.", "said"),
            Some(("The depot manager and union steward".into(), Named))
        );
        // Not an object before a new clause, not joined adjectives.
        assert_eq!(
            source("The mayor thanked the drivers and mechanics said the depot was cold.", "said").map(|s| s.0),
            Some("mechanics".into())
        );
    }
}
