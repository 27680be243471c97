//! Attribution records: who (source) says (cue) what (content).
//!
//! One record per counted attribution cue of the lexicon (a reporting verb
//! as tagged, "according to"): the source noun phrase found by
//! [`super::sources`], typed the way a reader codes sources (named person
//! or organisation, anonymous, vague, pronoun, none), the content (the
//! adjacent quotation, or the reported clause), whether the content is
//! quoted (direct), paraphrased (indirect) or both (mixed), and the verb's
//! class from the lexicon subcategory (neutral / loaded).
//!
//! Pronoun sources are resolved to the nearest earlier named source of a
//! compatible kind in the same document, the antecedents of "who" records
//! included (he / she / I: a person, skipping persons of the other gender
//! where the text shows it; it: an organisation; they / we: an
//! organisation or two joined names, none after a group). A singular
//! pronoun after two joined names of its kind ("Ruiz and Hale said"), until
//! another named source of that kind, and the writer's own I / we stay
//! unresolved.

use super::sources::{SourceKind, SourceNp};
use crate::text::pos::Upos;
use crate::text::{Analyzed, Analyzer, TokenKind};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

/// How a reader codes a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceType {
    NamedPerson,
    NamedOrg,
    Anonymous,
    Vague,
    Pronoun,
    /// No source phrase found (an agentless or unparsed attribution).
    None,
}

impl SourceType {
    pub const ALL: [SourceType; 6] = [
        SourceType::NamedPerson,
        SourceType::NamedOrg,
        SourceType::Anonymous,
        SourceType::Vague,
        SourceType::Pronoun,
        SourceType::None,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SourceType::NamedPerson => "named_person",
            SourceType::NamedOrg => "named_org",
            SourceType::Anonymous => "anonymous",
            SourceType::Vague => "vague",
            SourceType::Pronoun => "pronoun",
            SourceType::None => "none",
        }
    }

    pub fn is_named(self) -> bool {
        matches!(self, SourceType::NamedPerson | SourceType::NamedOrg)
    }
}

/// Whether the content is the source's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A quotation.
    Direct,
    /// A paraphrase (reported clause) without quotation marks.
    Indirect,
    /// A reported clause with a quoted part.
    Mixed,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Direct => "direct",
            Mode::Indirect => "indirect",
            Mode::Mixed => "mixed",
        }
    }
}

/// The reporting verb's class (from the lexicon's attribution subcategory).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbClass {
    Neutral,
    Loaded,
}

impl VerbClass {
    pub fn name(self) -> &'static str {
        match self {
            VerbClass::Neutral => "neutral",
            VerbClass::Loaded => "loaded",
        }
    }
}

/// One attribution. Token ranges are `[start, end)` into the document's tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    pub sentence: u32,
    pub cue: (usize, usize),
    pub source: Option<(usize, usize)>,
    pub source_type: SourceType,
    /// The name the source stands for: the source itself when named, the
    /// named source a pronoun resolves to, else `None`.
    pub name: Option<(usize, usize)>,
    pub content: Option<(usize, usize)>,
    pub mode: Mode,
    pub verb_class: VerbClass,
    /// The cue is inside a quotation (a speaker reporting someone else).
    pub in_quote: bool,
    /// Per balance dimension, whether the source is of side a and of side b
    /// (index 0 and 1), as far as the text says: neither when it does not
    /// say, both for a joint statement ("Democrats and Republicans said").
    pub sides: Vec<[bool; 2]>,
}

/// Words of a proper-noun phrase that make it an organisation, not a person.
const ORG_WORDS: &[&str] = &[
    "administration",
    "agency",
    "army",
    "association",
    "bank",
    "board",
    "bureau",
    "campaign",
    "center",
    "centre",
    "church",
    "coalition",
    "college",
    "command",
    "commission",
    "committee",
    "company",
    "congress",
    "corp",
    "corporation",
    "council",
    "court",
    "daily",
    "department",
    "division",
    "foundation",
    "fund",
    "gazette",
    "government",
    "group",
    "herald",
    "house",
    "inc",
    "institute",
    "institution",
    "journal",
    "league",
    "magazine",
    "ministry",
    "network",
    "news",
    "observer",
    "office",
    "organisation",
    "organization",
    "party",
    "pentagon",
    "police",
    "post",
    "press",
    "review",
    "senate",
    "service",
    "society",
    "times",
    "tribune",
    "union",
    "university",
];

/// The reader's type of a source phrase found by [`super::sources`].
/// `titles` are the lexicon's role words ("spokesman", "mayor"): a named
/// common-noun source with such a head is a person ("the mayor"), else an
/// organisation ("the company").
pub fn source_type(text: &str, doc: &Analyzed, an: &Analyzer, titles: &FxHashSet<String>, np: &SourceNp) -> SourceType {
    match np.kind {
        SourceKind::Anonymous => SourceType::Anonymous,
        SourceKind::Vague => SourceType::Vague,
        SourceKind::Pronoun => SourceType::Pronoun,
        SourceKind::Named => {
            let form = |i: usize| an.form(doc.tokens[i].form);
            // Words up to the head (a trailing "of ..." names an affiliation).
            let words = np.start..np.head + 1;
            let org_word = words.clone().any(|i| ORG_WORDS.contains(&form(i)));
            let head_text = form(np.head);
            let head = &doc.tokens[np.head];
            // "CNN", "NRA", "WGN9": an acronym names an organisation.
            let surface = text.get(head.span.start..head.span.end).unwrap_or("");
            let acronym = surface.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && surface.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.' || c == '&');
            let person_role = words.clone().any(|i| titles.contains(form(i)));
            if doc.tokens[np.head].upos == Upos::Propn || head.capitalized {
                // The name itself: the capitalised words ending at the head
                // ("Bob Lee" in "party donor Bob Lee").
                let name_start = name_run_start(doc, an, np.start, np.head);
                let in_name_org = (name_start..np.head + 1).any(|i| ORG_WORDS.contains(&form(i)));
                // A common noun right before the name says what the name
                // names (a close appositive): "party donor Bob Lee", "Fox
                // News host Ana Ruiz" are people whatever organisation
                // modifies the noun; "the group Judicial Watch" is a body.
                // (Not an owner: "the magazine's Ana Ruiz" is the case below.)
                let noun_before = name_start.checked_sub(1).filter(|&k| {
                    k >= np.start
                        && doc.tokens[k].upos == Upos::Noun
                        && !doc.tokens[k].capitalized
                        && !is_possessive(form(k))
                        && !form(k).ends_with('\'')
                        && !form(k).ends_with('\u{2019}')
                });
                // "Ana von Hale": a lowercase particle inside a person's name.
                let particle_before = name_start.checked_sub(1).filter(|&k| k > np.start).is_some_and(|k| {
                    doc.tokens[k - 1].capitalized
                        && matches!(
                            form(k),
                            "von" | "van" | "de" | "da" | "del" | "der" | "den" | "bin" | "al" | "le" | "la"
                        )
                });
                // "the ACLU's Ana Ruiz": a person of that organisation.
                let owner_before =
                    name_start.checked_sub(1).filter(|&k| k >= np.start).is_some_and(|k| is_possessive(form(k)));
                // "Russia said", "Beijing warned": a country, or a capital
                // standing for its government, speaks as a body.
                let name_words: Vec<&str> = (name_start..np.head + 1).map(form).filter(|f| *f != "the").collect();
                let place_name = name_words.join(" ");
                let place = PLACES.contains(&place_name.as_str())
                    || (place_name == "washington" && !ends_a_longer_name(doc, an, "washington"));
                // The head decides first ("Police Chief Laura Brennick" is a
                // person, "the Kessler Farm Bureau" an organisation).
                if ORG_WORDS.contains(&head_text) || place {
                    SourceType::NamedOrg
                } else if person_role {
                    SourceType::NamedPerson
                } else if in_name_org || acronym {
                    SourceType::NamedOrg
                } else if particle_before {
                    SourceType::NamedPerson
                } else if let Some(k) = noun_before {
                    // A role noun makes the name a person even after "the"
                    // ("the economist Ana Ruiz"); any other noun ("the
                    // automaker Kelta", "the airline Harbor") leaves "the"
                    // deciding: an organisation.
                    if ORG_WORDS.contains(&form(k)) || BODY_NOUNS.contains(&form(k)) {
                        SourceType::NamedOrg
                    } else if is_role_noun(titles, form(k)) || form(np.start) != "the" || !plain_noun(doc, an, k) {
                        SourceType::NamedPerson
                    } else {
                        SourceType::NamedOrg
                    }
                } else if owner_before {
                    // A unit of the owner ("the mayor's Harbor Task Force"),
                    // not a person.
                    if BODY_NOUNS.contains(&head_text) || UNIT_WORDS.contains(&head_text) {
                        SourceType::NamedOrg
                    } else {
                        SourceType::NamedPerson
                    }
                } else if org_word || form(np.start) == "the" {
                    SourceType::NamedOrg
                } else {
                    SourceType::NamedPerson
                }
            } else if titles.contains(head_text) || head_text.ends_with("man") || head_text.ends_with("woman") {
                SourceType::NamedPerson
            } else if PERSON_NOUNS.contains(&head_text) {
                // "the person", "the official": a person the writer does
                // not name.
                SourceType::Anonymous
            } else {
                SourceType::NamedOrg
            }
        }
    }
}

/// Countries, and capitals that news uses for their governments ("Moscow
/// denied"), as sources: organisations, not people. (Not names that are as
/// often a person's: Jordan, Georgia, Chad; "Washington", which also ends
/// people's names, is checked apart: see [`ends_a_longer_name`].)
const PLACES: &[&str] = &[
    "afghanistan",
    "algeria",
    "argentina",
    "armenia",
    "australia",
    "austria",
    "azerbaijan",
    "bahrain",
    "bangladesh",
    "belarus",
    "belgium",
    "bolivia",
    "brazil",
    "britain",
    "great britain",
    "bulgaria",
    "cambodia",
    "canada",
    "chile",
    "china",
    "colombia",
    "croatia",
    "cuba",
    "cyprus",
    "denmark",
    "ecuador",
    "egypt",
    "estonia",
    "ethiopia",
    "finland",
    "france",
    "germany",
    "ghana",
    "greece",
    "guatemala",
    "haiti",
    "honduras",
    "hungary",
    "india",
    "indonesia",
    "iran",
    "iraq",
    "ireland",
    "israel",
    "italy",
    "japan",
    "kazakhstan",
    "kenya",
    "kosovo",
    "kuwait",
    "latvia",
    "lebanon",
    "libya",
    "lithuania",
    "malaysia",
    "mexico",
    "myanmar",
    "nepal",
    "netherlands",
    "new zealand",
    "nicaragua",
    "nigeria",
    "north korea",
    "norway",
    "pakistan",
    "panama",
    "peru",
    "philippines",
    "poland",
    "portugal",
    "qatar",
    "romania",
    "russia",
    "rwanda",
    "saudi arabia",
    "serbia",
    "singapore",
    "slovakia",
    "somalia",
    "south africa",
    "south korea",
    "spain",
    "sudan",
    "sweden",
    "switzerland",
    "syria",
    "taiwan",
    "thailand",
    "tunisia",
    "turkey",
    "uganda",
    "ukraine",
    "united kingdom",
    "united states",
    "venezuela",
    "vietnam",
    "yemen",
    "zimbabwe",
    "ankara",
    "baghdad",
    "beijing",
    "berlin",
    "brussels",
    "cairo",
    "damascus",
    "havana",
    "kabul",
    "kiev",
    "kyiv",
    "moscow",
    "ottawa",
    "pyongyang",
    "riyadh",
    "seoul",
    "tehran",
    "tokyo",
];

/// Common nouns for a body that can stand right before its name ("the
/// website Ricochet", "the think tank Heritage"), besides [`ORG_WORDS`].
const BODY_NOUNS: &[&str] = &[
    "firm",
    "outlet",
    "newspaper",
    "magazine",
    "paper",
    "publication",
    "website",
    "site",
    "blog",
    "nonprofit",
    "tank",
    "channel",
    "station",
    "broadcaster",
    "network",
    "platform",
    "startup",
    "charity",
    "watchdog",
    "lobby",
    "outfit",
    "think-tank",
    "automaker",
    "carmaker",
    "retailer",
    "manufacturer",
    "insurer",
    "lender",
    "airline",
    "chain",
    "brand",
    "conglomerate",
];

/// Last words of a body's unit named after its owner ("the mayor's Harbor
/// Task Force"). Not organisation words everywhere: "Air Force Col. Ana
/// Ruiz" is a person.
const UNIT_WORDS: &[&str] = &["force", "team", "unit", "lab", "laboratory", "fleet", "staff", "squad", "panel"];

/// Whether `word` ends a longer capitalised name somewhere in the document
/// ("Tom Washington": then "Washington" alone is that person, not the
/// capital).
fn ends_a_longer_name(doc: &Analyzed, an: &Analyzer, word: &str) -> bool {
    let toks = &doc.tokens;
    (1..toks.len()).any(|i| {
        an.form(toks[i].form) == word
            && toks[i - 1].sentence == toks[i].sentence
            && toks[i - 1].kind.is_word()
            && toks[i - 1].capitalized
            // (A name word, not "When Washington", "Despite Washington";
            // an untagged sentence has no tags to tell.)
            && matches!(toks[i - 1].upos, Upos::Propn | Upos::X)
            && toks.get(i + 1).is_none_or(|n| n.sentence != toks[i].sentence || !n.capitalized)
    })
}

/// A plain singular common noun, not an adjective the tagger read as one
/// ("the outgoing Ruiz", "the 79-year-old Ruiz") nor a plural.
fn plain_noun(doc: &Analyzed, an: &Analyzer, k: usize) -> bool {
    let f = an.form(doc.tokens[k].form);
    doc.tokens[k].xpos == crate::text::pos::Xpos::NN && !f.ends_with("ing") && !f.chars().any(|c| c.is_ascii_digit())
}

/// A noun naming a person by role: a @titles word, one of
/// [`PERSON_NOUNS`], a -man / -woman / -er / -or / -ist noun, or a few
/// others ("host", "anchor"). Company nouns in -er ("retailer") are in
/// [`BODY_NOUNS`], checked first.
fn is_role_noun(titles: &FxHashSet<String>, f: &str) -> bool {
    // "editor-in-chief", "co-founder": any part.
    f.split('-').any(|f| {
        titles.contains(f)
            || PERSON_NOUNS.contains(&f)
            || ["man", "woman", "er", "ist", "or", "ian"].iter().any(|end| f.ends_with(end))
            || KIN_AND_ROLE_NOUNS.contains(&f)
    })
}

/// Person nouns without a role suffix: kin and a few roles ("the
/// candidate's uncle Tom Hale", "the special counsel Ana Ruiz").
const KIN_AND_ROLE_NOUNS: &[&str] = &[
    "host",
    "anchor",
    "candidate",
    "actress",
    "pundit",
    "counsel",
    "star",
    "native",
    "chief",
    "son",
    "daughter",
    "wife",
    "husband",
    "uncle",
    "aunt",
    "cousin",
    "nephew",
    "niece",
    "widow",
    "widower",
    "friend",
    "partner",
    "colleague",
    "nominee",
    "heir",
    "attorney",
    "guru",
    "coach",
    "veteran",
    "critic",
    "ally",
    "rival",
    "deputy",
];

/// A possessive token ("'s", "Kelta's"; a form, whose curly apostrophes
/// the analyzer has already made straight).
fn is_possessive(form: &str) -> bool {
    form.ends_with("'s")
}

/// First token of the run of capitalised words (with the period of an
/// abbreviation, "Rev.", and "&") that ends at `head`, not before `start`.
fn name_run_start(doc: &Analyzed, an: &Analyzer, start: usize, head: usize) -> usize {
    let mut k = head;
    while k > start {
        let t = &doc.tokens[k - 1];
        let period = an.form(t.form) == "." && k >= 2 && k - 1 > start && doc.tokens[k - 2].capitalized;
        // (A possessive ends the name before it: "the Harbor Report's Ana Ruiz".)
        if (t.capitalized && t.kind.is_word() && !is_possessive(an.form(t.form))) || period || an.form(t.form) == "&" {
            k -= 1;
        } else {
            break;
        }
    }
    k
}

/// Nouns for an unnamed person ("the official said" refers to an
/// anonymous source, not to an office).
const PERSON_NOUNS: &[&str] = &[
    "person",
    "official",
    "source",
    "aide",
    "adviser",
    "advisor",
    "staffer",
    "insider",
    "man",
    "woman",
    "resident",
    "witness",
    "employee",
    "worker",
    "member",
    "officer",
    "lawmaker",
    "diplomat",
    "individual",
];

/// Third-person forms of reporting verbs that the tagger, trained on web
/// text, reads as plural nouns after a name ("..., CNN reports.").
const REPORTING_FORMS: &[&str] = &[
    "reports",
    "says",
    "writes",
    "adds",
    "notes",
    "tells",
    "explains",
    "argues",
    "warns",
    "claims",
    "predicts",
    "acknowledges",
    "admits",
    "insists",
    "contends",
    "concludes",
    "finds",
    "estimates",
    "suggests",
    "recalls",
    "believes",
    "points",
];

/// Re-tag a reporting verb form tagged as a noun when a name stands right
/// before it and punctuation or "that" right after it ("CNN reports.",
/// "The Times notes that"): a noun there would need a determiner. Also
/// after any singular noun when "that" opens a clause with its own subject
/// ("the survey finds that most ..."; not the relative clause of "the
/// insurance claims that were filed"), and "points out".
///
/// Must only write tags (`upos`, `xpos`): `SignalSet::analyze` finds the
/// matchers' anchors before this runs and uses them after, so tokens, forms
/// and stems must stay as they are.
pub fn retag_reporting_verbs(doc: &mut Analyzed, an: &Analyzer) {
    use crate::text::pos::Xpos;
    for i in 1..doc.tokens.len() {
        let t = &doc.tokens[i];
        if !matches!(t.upos, Upos::Noun | Upos::Propn) {
            continue;
        }
        // Every reporting form ends in "s" (tested): most nouns are passed
        // over without comparing them with the list.
        let form = an.form(t.form);
        if !form.ends_with('s') || !REPORTING_FORMS.contains(&form) {
            continue;
        }
        let prev = &doc.tokens[i - 1];
        let same = |k: usize| doc.tokens.get(k).is_some_and(|n| n.sentence == t.sentence);
        let form_at = |k: usize| if same(k) { an.form(doc.tokens[k].form) } else { "" };
        // A verb never follows a possessive ("McLaughlin's claims.").
        let prev_form = an.form(prev.form);
        if prev_form.ends_with("'s") || prev_form.ends_with("\u{2019}s") || prev_form.ends_with("s'") {
            continue;
        }
        let noun_before = prev.sentence == t.sentence && matches!(prev.upos, Upos::Propn | Upos::Noun);
        // The name is not the object of a preposition ("according to CBO
        // estimates,", "based on Gallup reports."): there the form is a noun
        // the name modifies. The name may have several words.
        let name_start = (0..i)
            .rev()
            .take_while(|&k| doc.tokens[k].sentence == t.sentence && doc.tokens[k].capitalized)
            .last()
            .unwrap_or(i - 1);
        let after_preposition = name_start > 0
            && doc.tokens[name_start - 1].sentence == t.sentence
            && doc.tokens[name_start - 1].upos == Upos::Adp;
        let name_before = noun_before && prev.capitalized && !after_preposition;
        let after_ok = match doc.tokens.get(i + 1) {
            None => true,
            Some(n) => n.sentence != t.sentence || n.kind == TokenKind::Punct || an.form(n.form) == "that",
        };
        let complement_clause = form_at(i + 1) == "that"
            && same(i + 2)
            && !matches!(doc.tokens[i + 2].upos, Upos::Verb | Upos::Aux)
            && prev.sentence == t.sentence
            // After a singular noun, or after the comma closing an appositive
            // ("Ruiz, the founder of Kelta, predicts that").
            // ("news reports that ...", "the city's claims that ...": these two
            // take a clause as nouns too, so only after a name or a comma.)
            && ((matches!(prev.xpos, Xpos::NN | Xpos::NNP) && !matches!(an.form(t.form), "reports" | "claims"))
                || prev_form == ",");
        let points_out = an.form(t.form) == "points" && form_at(i + 1) == "out";
        // "the latest poll finds voters split", "the audit shows": an
        // evidence noun with "finds" / "shows" after it is a subject and its
        // verb (the evidential rule then checks the subject).
        let evidence_verb = matches!(an.form(t.form), "finds" | "shows")
            && noun_before
            && crate::signals::rules::EVIDENCE_HEADS.contains(&prev_form);
        if (name_before && after_ok) || complement_clause || (noun_before && points_out) || evidence_verb {
            let t = &mut doc.tokens[i];
            t.upos = Upos::Verb;
            t.xpos = Xpos::VBZ;
        }
    }
    for i in 1..doc.tokens.len().saturating_sub(1) {
        let (prev, t, next) = (&doc.tokens[i - 1], &doc.tokens[i], &doc.tokens[i + 1]);
        let form = an.form(t.form);
        if t.upos != Upos::Noun || t.xpos != Xpos::NN || !REPORTING_BASE_FORMS.contains(&form) {
            continue;
        }
        let plural_before = prev.sentence == t.sentence && matches!(prev.xpos, Xpos::NNS | Xpos::NNPS);
        // "Some in the party argue", "many on the left claim": a group
        // quantifier with a prepositional phrase is a plural subject too.
        let group_before = prev.sentence == t.sentence && quantified_group_ends_at(doc, an, i - 1);
        let clause_after = next.sentence == t.sentence
            && (matches!(an.form(next.form), "that" | ",")
                || (form == "warn" && an.form(next.form) == "of")
                || matches!(next.upos, Upos::Det | Upos::Pron));
        if (plural_before || group_before) && clause_after {
            let t = &mut doc.tokens[i];
            t.upos = Upos::Verb;
            t.xpos = Xpos::VBP;
        }
    }
}

/// Whether a phrase "quantifier (some, many, most, few, others, several) +
/// in / on / of / among / within / across + noun phrase" ends at token
/// `end` ("some in the party", "many on the left").
fn quantified_group_ends_at(doc: &Analyzed, an: &Analyzer, end: usize) -> bool {
    const QUANTIFIERS: &[&str] = &["some", "many", "most", "few", "others", "several"];
    let sentence = doc.tokens[end].sentence;
    let mut k = end;
    // Back over the noun phrase of the prepositional phrase (at most five words).
    while k > 0
        && end - k < 5
        && doc.tokens[k].sentence == sentence
        && matches!(doc.tokens[k].upos, Upos::Noun | Upos::Propn | Upos::Adj | Upos::Det)
    {
        k -= 1;
    }
    k < end
        && k > 0
        && doc.tokens[k - 1].sentence == sentence
        && matches!(an.form(doc.tokens[k].form), "in" | "on" | "of" | "among" | "within" | "across")
        && QUANTIFIERS.contains(&an.form(doc.tokens[k - 1].form))
}

/// Base forms of reporting verbs that the tagger reads as singular nouns
/// after a plural subject ("economists warn of", "critics claim that").
/// After a plural noun and before "that", a determiner or a pronoun they
/// are verbs: a singular noun there would need a determiner of its own.
/// (Not "report" or "note": "the committee report that ..." is a noun.)
const REPORTING_BASE_FORMS: &[&str] = &["argue", "warn", "claim", "contend", "insist", "say", "complain", "allege"];

/// Token ranges of the document's quotations (tokens inside each quote).
pub fn quote_ranges(doc: &Analyzed) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(doc.quotes.len());
    let mut ti = 0;
    for q in &doc.quotes {
        while ti < doc.tokens.len() && doc.tokens[ti].span.start < q.span.start {
            ti += 1;
        }
        let start = ti;
        let mut end = start;
        while end < doc.tokens.len() && doc.tokens[end].span.end <= q.span.end {
            end += 1;
        }
        if doc.tokens[start..end].iter().any(|t| t.kind.is_word()) {
            out.push((start, end));
        }
    }
    out
}

/// Most punctuation tokens between a quotation and its cue or source
/// (`,” she said`, `said: “`).
const QUOTE_GAP: usize = 3;
/// Longest reported clause (tokens).
const MAX_CONTENT: usize = 200;

/// The content of an attribution and its mode. `quotes` are the document's
/// quotation token ranges, sorted.
pub fn content_of(
    doc: &Analyzed,
    an: &Analyzer,
    quotes: &[(usize, usize)],
    cue: (usize, usize),
    source: Option<(usize, usize)>,
) -> (Option<(usize, usize)>, Mode) {
    let sentence = doc.tokens[cue.0].sentence;
    let same = |i: usize| i < doc.tokens.len() && doc.tokens[i].sentence == sentence;
    // The attribution frame: cue and source together.
    let (lo, hi) = match source {
        Some((a, b)) => (cue.0.min(a), cue.1.max(b)),
        None => cue,
    };
    let in_quote = doc.tokens[cue.0].in_quote;
    let punct_only = |a: usize, b: usize| doc.tokens[a..b].iter().all(|t| t.kind == TokenKind::Punct);
    if !in_quote {
        // A quotation ending right before the frame, or starting right after it.
        // Quotations are sorted and disjoint: the nearest ones by binary search.
        let ends_before = quotes.partition_point(|q| q.1 <= lo);
        let before = ends_before
            .checked_sub(1)
            .map(|k| &quotes[k])
            .filter(|q| lo - q.1 <= QUOTE_GAP && punct_only(q.1, lo) && (same(q.1 - 1) || same(q.0)));
        let starts_after = quotes.partition_point(|q| q.0 < hi);
        let after = quotes.get(starts_after).filter(|q| q.0 - hi <= QUOTE_GAP && punct_only(hi, q.0) && same(q.0));
        let found = match (before, after) {
            (Some(b), Some(a)) => Some((b.0, a.1)),
            (Some(q), None) | (None, Some(q)) => Some(*q),
            _ => None,
        };
        if let Some(q) = found.and_then(|q| trim_punct(doc, q)) {
            return (Some(q), Mode::Direct);
        }
    }
    // The reported clause: after the frame to the end of the sentence, or,
    // when the frame closes the sentence ("..., officials said."), the
    // sentence before it.
    let form = |i: usize| an.form(doc.tokens[i].form);
    let mut a = hi;
    while same(a) && (doc.tokens[a].kind == TokenKind::Punct || form(a) == "that") {
        a += 1;
    }
    let mut b = a;
    // Inside a quotation the clause ends with the quotation. (Bounded, so
    // that a run-on "sentence" keeps this linear.)
    while same(b) && (!in_quote || doc.tokens[b].in_quote) && b - a < MAX_CONTENT {
        b += 1;
    }
    while b > a && doc.tokens[b - 1].kind == TokenKind::Punct {
        b -= 1;
    }
    let (a, b) = if b > a {
        (a, b)
    } else {
        let mut s = lo;
        while s > 0 && same(s - 1) && doc.tokens[s - 1].in_quote == in_quote && lo - s < MAX_CONTENT {
            s -= 1;
        }
        while s < lo && doc.tokens[s].kind == TokenKind::Punct {
            s += 1;
        }
        let mut e = lo;
        while e > s && doc.tokens[e - 1].kind == TokenKind::Punct {
            e -= 1;
        }
        (s, e)
    };
    if b <= a {
        return (None, Mode::Indirect);
    }
    let quoted = doc.tokens[a..b].iter().filter(|t| t.kind.is_word() && t.in_quote != in_quote).count();
    let words = doc.tokens[a..b].iter().filter(|t| t.kind.is_word()).count();
    let mode = if quoted == 0 {
        Mode::Indirect
    } else if quoted == words {
        Mode::Direct
    } else {
        Mode::Mixed
    };
    (Some((a, b)), mode)
}

/// `[a, b)` without punctuation (quotation marks, commas) at either end.
fn trim_punct(doc: &Analyzed, (mut a, mut b): (usize, usize)) -> Option<(usize, usize)> {
    while a < b && doc.tokens[a].kind == TokenKind::Punct {
        a += 1;
    }
    while b > a && doc.tokens[b - 1].kind == TokenKind::Punct {
        b -= 1;
    }
    (b > a).then_some((a, b))
}

/// What two joined referents are: whether a person and whether an
/// organisation is among them ("Ruiz and Hale": persons; "Ruiz and her
/// campaign": both; "the Kelta Group and its lawyers": an organisation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Joined {
    pub person: bool,
    pub org: bool,
}

/// Whether a named source phrase coordinates two referents ("Ruiz and
/// Hale", "Sen. Ruiz and Rep. Hale", "Ruiz and Gov. Hale", "Clinton and
/// her campaign") rather than naming one person or body whose title or
/// name holds "and" ("Harbor Roads and Bridges Chairman Tom Hale",
/// "Publisher and CEO Ana Ruiz", "Deputy Prime Minister and Defense
/// Minister Ana Ruiz"), and if so, what the two are. Joined when the part
/// after the conjunction starts with a determiner or a possessive, or when
/// the part before it is a name and the part after it is a name on its
/// own, a titled name whose title opens it ("Gov. Tom Hale", "Vice
/// President Tom Hale"; not "Bridges Chairman Tom Hale", the rest of an
/// office) or, after a titled name, any titled name.
///
/// A limit: a company named by two bare names ("Harbor and Hale") reads
/// as two people.
pub fn joins_referents(
    doc: &Analyzed,
    an: &Analyzer,
    titles: &FxHashSet<String>,
    kind: SourceType,
    (a, b): (usize, usize),
) -> Option<Joined> {
    let form = |i: usize| an.form(doc.tokens[i].form);
    let and = (a + 1..b.saturating_sub(1)).find(|&i| matches!(form(i), "and" | "or"))?;
    let org_words = (a..b).any(|i| ORG_WORDS.contains(&form(i)) || BODY_NOUNS.contains(&form(i)));
    let after = &doc.tokens[and + 1];
    // "Both Sen. Ruiz and Rep. Hale": the correlative marks the coordination.
    let first = if matches!(form(a), "both" | "either" | "neither") { a + 1 } else { a };
    let before_shape = name_shape(doc, an, titles, first, and);
    // (Not a number: "Retired surgeon and 2016 candidate Ben Carson".)
    if after.upos == Upos::Det || after.xpos == crate::text::pos::Xpos::PRP_POSS {
        return Some(Joined {
            person: before_shape.is_some() || kind == SourceType::NamedPerson,
            org: org_words || kind == SourceType::NamedOrg,
        });
    }
    let joined = match (before_shape, name_shape(doc, an, titles, and + 1, b)) {
        (Some(_), Some((NameShape::Bare, _))) | (Some((NameShape::Titled, _)), Some((NameShape::Titled, _))) => true,
        (Some((NameShape::Bare, _)), Some((NameShape::Titled, name))) => {
            title_opens(doc, an, titles, and + 1, name) && !role_words(doc, an, titles, first, and)
        }
        _ => false,
    };
    joined.then_some(Joined { person: true, org: org_words || kind == SourceType::NamedOrg })
}

/// Whether `[a, b)` are role nouns written capitalised as a title, not a
/// name ("Publisher and CEO Ana Ruiz"): every word a role noun, tagged a
/// common noun or opening the sentence (where capitals say nothing).
fn role_words(doc: &Analyzed, an: &Analyzer, titles: &FxHashSet<String>, a: usize, b: usize) -> bool {
    let opens_sentence = a == 0 || doc.tokens[a - 1].sentence != doc.tokens[a].sentence;
    (a..b).all(|i| is_role_noun(titles, an.form(doc.tokens[i].form)))
        && (opens_sentence || (a..b).any(|i| doc.tokens[i].upos == Upos::Noun))
}

/// Words that open a title before the title word ("Vice President",
/// "former Gov.", "Deputy Secretary").
const TITLE_OPENERS: &[&str] =
    &["vice", "deputy", "acting", "former", "interim", "assistant", "associate", "senior", "first", "then"];

/// Whether the words from `a` to the name at `name` are a title only: title
/// words, their openers, abbreviation periods and lowercase role words
/// ("Gov.", "Vice President", "first lady"), no other capitalised word
/// ("Bridges Chairman" is the end of an office's name).
fn title_opens(doc: &Analyzed, an: &Analyzer, titles: &FxHashSet<String>, a: usize, name: usize) -> bool {
    (a..name).all(|i| {
        let t = &doc.tokens[i];
        let f = an.form(t.form);
        titles.contains(f) || TITLE_OPENERS.contains(&f) || f == "." || !t.capitalized
    })
}

/// How a stretch of tokens names someone: a bare name ("Hale", "Tom
/// Hale") or a name after a title or role ("Sen. Ruiz", "Vice President
/// Ana Ruiz", "first lady Ana Ruiz", "Kelta's Ana Ruiz").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameShape {
    Bare,
    Titled,
}

/// The shape of the name closing `[a, b)`, and where the name starts.
fn name_shape(
    doc: &Analyzed,
    an: &Analyzer,
    titles: &FxHashSet<String>,
    a: usize,
    b: usize,
) -> Option<(NameShape, usize)> {
    let form = |i: usize| an.form(doc.tokens[i].form);
    let office = |f: &str| titles.contains(f) || ORG_WORDS.contains(&f) || ORG_WORDS.contains(&f.trim_end_matches('s'));
    let period = |i: usize| form(i) == "." && i > a && doc.tokens[i - 1].capitalized;
    let name_word = |i: usize| doc.tokens[i].kind.is_word() && doc.tokens[i].capitalized && !office(form(i));
    // The name: the name words (and abbreviation periods) closing the stretch.
    let mut k = b;
    while k > a && (name_word(k - 1) || period(k - 1)) {
        k -= 1;
    }
    if (k..b).all(|i| !name_word(i)) {
        return None;
    }
    if k == a {
        return Some((NameShape::Bare, k));
    }
    // Before it, a title, a lowercase role noun or an owner's possessive.
    let role = (a..k).any(|i| {
        let t = &doc.tokens[i];
        let f = form(i);
        titles.contains(f) || (t.upos == Upos::Noun && !t.capitalized) || is_possessive(f)
    });
    role.then_some((NameShape::Titled, k))
}

/// The gender a text gives a named person, as far as it shows it: what
/// "he" or "she" may stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Female,
    Male,
}

/// First names borne almost only by one gender (U.S. Census 1990 name
/// files, public domain; built by `scripts/build_first_names.py`). Only a
/// filter against the wrong antecedent, never a guess where it is absent.
pub const BUILTIN_FIRST_NAMES: &str = include_str!("../../models/lexicons/first_names.tsv");

/// The first-name table, parsed once: `name<TAB>f|m` lines, `#` comments.
/// A line of another shape is a build error of the shipped file, caught by
/// the test `the_first_name_table_parses_whole`, so it is skipped here.
fn first_names() -> &'static FxHashMap<&'static str, Gender> {
    static TABLE: OnceLock<FxHashMap<&'static str, Gender>> = OnceLock::new();
    TABLE.get_or_init(|| first_name_lines().filter_map(|line| parse_first_name(line)).collect())
}

fn first_name_lines() -> impl Iterator<Item = &'static str> {
    BUILTIN_FIRST_NAMES.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty())
}

fn parse_first_name(line: &str) -> Option<(&str, Gender)> {
    let (name, gender) = line.split_once('\t')?;
    let gender = match gender.trim() {
        "f" => Gender::Female,
        "m" => Gender::Male,
        _ => return None,
    };
    Some((name, gender))
}

/// Honorifics that say a person's gender.
const FEMALE_WORDS: &[&str] = &["mrs", "ms", "miss", "madam", "lady"];
const MALE_WORDS: &[&str] = &["mr", "sir"];

fn honorific_gender(form: &str) -> Option<Gender> {
    if FEMALE_WORDS.contains(&form) {
        Some(Gender::Female)
    } else if MALE_WORDS.contains(&form) {
        Some(Gender::Male)
    } else {
        None
    }
}

/// The last word of the capitalised run of names from token `start` (past
/// abbreviation periods and, with `titles_first`, capitalised titles
/// before the first name word: "and Mrs. Hale"), within `limit` tokens of
/// the same sentence as token `of`; `None` when a possessive ends it ("Ana Ruiz's Claim That
/// Tom ...": a headline, not a name). Also the token where the run ended.
fn surname_after(
    doc: &Analyzed,
    an: &Analyzer,
    titles: &FxHashSet<String>,
    of: usize,
    start: usize,
    limit: usize,
    titles_first: bool,
) -> (Option<usize>, usize) {
    let toks = &doc.tokens;
    let form = |i: usize| an.form(toks[i].form);
    let mut last = None;
    let mut k = start;
    while k < toks.len() && k - start < limit && toks[k].sentence == toks[of].sentence {
        let t = &toks[k];
        if is_possessive(form(k)) {
            return (None, k);
        }
        let title = titles.contains(form(k));
        if t.kind.is_word() && t.capitalized && !title {
            last = Some(k);
        } else if form(k) != "." && !(titles_first && t.capitalized && title && last.is_none()) {
            break;
        }
        k += 1;
    }
    (last, k)
}

/// Role nouns written with the person's gender ("spokeswoman",
/// "congresswoman"). Only the female forms: "spokesman" and "chairman" are
/// written of women too ("spokesman Hope Hale").
fn role_gender(form: &str) -> Option<Gender> {
    let female = form.len() > "woman".len() && (form.ends_with("woman") || form.ends_with("women"));
    female.then_some(Gender::Female)
}

/// Resolves pronoun sources to the nearest earlier named source of a
/// compatible kind: fed the sources in text order. A phrase joining two
/// referents ("Ruiz and Hale") is what a later "they" stands for; it
/// stands for no single "he" / "she" (when a person is among the two) or
/// "it" (when an organisation is), until the next named source. "he" and
/// "she" skip a person the text gives the other gender (see
/// [`Resolver::person_gender`]).
#[derive(Debug, Default)]
pub struct Resolver {
    /// The latest named person source of each gender the text gives:
    /// [female, male, not shown].
    persons: [Option<(usize, usize)>; 3],
    last_org: Option<(usize, usize)>,
    last_group: Option<(usize, usize)>,
    last_joined: Option<((usize, usize), Joined)>,
    /// Surname (the name's last word, as an interned form) -> gender, from
    /// every person the document names with a first name or an honorific
    /// (see [`Resolver::for_document`]); `None` when persons of that surname
    /// and different genders are named (a family: "Tom Hale" and "Ana Hale"
    /// leave "Hale" open), or one with a first name the list does not know.
    surnames: FxHashMap<u32, Option<Gender>>,
}

/// The slot of [`Resolver::persons`] for a gender.
fn gender_slot(gender: Option<Gender>) -> usize {
    match gender {
        Some(Gender::Female) => 0,
        Some(Gender::Male) => 1,
        None => 2,
    }
}

/// Whether token `i` may be a person's name: tagged a proper noun, or in a
/// sentence left untagged (tags are computed only where a rule reads them;
/// the first-name list holds no function word or month, so a listed word
/// there is read as a name).
fn may_be_name(doc: &Analyzed, i: usize) -> bool {
    matches!(doc.tokens[i].upos, Upos::Propn | Upos::X)
}

impl Resolver {
    /// A resolver for `doc`, knowing the gender of the surnames its full
    /// names and honorifics show ("Ana Ruiz", "Ms. Ruiz"; anywhere in the
    /// document, sources or not: "Betsy Hale shook her head" makes a later
    /// "Hale" a woman, or opens it if a Tom Hale is named too).
    pub fn for_document(doc: &Analyzed, an: &Analyzer, titles: &FxHashSet<String>) -> Resolver {
        let toks = &doc.tokens;
        let form = |i: usize| an.form(toks[i].form);
        let mut surnames: FxHashMap<u32, Option<Gender>> = FxHashMap::default();
        for i in 0..toks.len() {
            if !toks[i].capitalized || !toks[i].kind.is_word() {
                continue;
            }
            let f = form(i);
            // A proper noun the list does not know, before a name ("Chris
            // Hale", "Sen. Chris Hale"): its surname's gender is left open.
            // ("Lady" opens names of other kinds: "Lady Gaga".)
            let honorific = honorific_gender(f).filter(|_| f != "lady");
            let mut gender = if honorific.is_some() {
                honorific
            } else if let Some(&g) = first_names().get(f).filter(|_| may_be_name(doc, i)) {
                Some(g)
            } else if may_be_name(doc, i) && toks[i].upos != Upos::X && !titles.contains(f) {
                None
            } else {
                continue;
            };
            // The run of names after it, up to five tokens: its last word is
            // the surname.
            let (mut last, k) = surname_after(doc, an, titles, i, i + 1, 5, false);
            // "Tom and Ana Hale", "Mr. and Mrs. Hale": a couple shares the
            // surname, which stays open.
            if last.is_none() && k < toks.len() && matches!(form(k), "and" | "&") {
                last = surname_after(doc, an, titles, i, k + 1, 6, true).0;
                gender = None;
            }
            if let Some(s) = last.filter(|&s| form(s).chars().count() > 1) {
                let known = surnames.entry(toks[s].form).or_insert(gender);
                if *known != gender {
                    *known = None;
                }
            }
        }
        Resolver { surnames, ..Resolver::default() }
    }

    /// `joined`: the source names two referents (see [`joins_referents`]);
    /// `gender`: what the text says of a named person's gender (see
    /// [`Resolver::person_gender`]).
    pub fn observe(
        &mut self,
        kind: SourceType,
        source: Option<(usize, usize)>,
        joined: Option<Joined>,
        gender: Option<Gender>,
    ) {
        match (kind, joined) {
            (_, Some(pair)) if kind.is_named() => self.last_joined = source.map(|s| (s, pair)),
            (SourceType::NamedPerson, _) => {
                if let Some(span) = source {
                    self.persons[gender_slot(gender)] = Some(span);
                }
            }
            (SourceType::NamedOrg, _) => self.last_org = source,
            (SourceType::Vague, _) => self.last_group = source,
            _ => {}
        }
    }

    /// The gender the words of a named person's phrase `[a, b)` give, in
    /// this order: an honorific ("Ms. Ruiz"), a first name of the census
    /// list before the surname ("Ana Ruiz", "Ana M. Ruiz", "Ana Todd
    /// Ruiz"), a female role word before the name ("spokeswoman Lee
    /// Ruiz"), or a surname alone whose bearer the document names so
    /// ("Ana Ruiz ... Ruiz"; see [`Resolver::for_document`]).
    pub fn person_gender(
        &self,
        doc: &Analyzed,
        an: &Analyzer,
        titles: &FxHashSet<String>,
        (a, b): (usize, usize),
    ) -> Option<Gender> {
        let form = |i: usize| an.form(doc.tokens[i].form);
        // "Sen. Ana Ruiz of Ohio": the person's name is the run before "of"
        // when only capitalised words follow it.
        // ("Secretary of State Tom Hale of Ohio": the last "of" that has a
        // name before it.)
        let mut place = (a + 1..b).rev().take_while(|&i| doc.tokens[i].capitalized || matches!(form(i), "." | "of"));
        let name = place
            .find_map(|of| {
                (form(of) == "of").then(|| name_shape(doc, an, titles, a, of).map(|(_, k)| (k, of))).flatten()
            })
            .or_else(|| name_shape(doc, an, titles, a, b).map(|(_, k)| (k, b)));
        let name_words: Vec<usize> =
            name.map_or(Vec::new(), |(k, end)| (k..end).filter(|&i| doc.tokens[i].kind.is_word()).collect());
        // (Before the name only: "Rep. Tom Hale of Miss." is no woman.)
        let honorific = (a..name.map_or(b, |(k, _)| k)).find_map(|i| honorific_gender(form(i)));
        let role = (a..name.map_or(a, |(k, _)| k))
            .filter(|&i| !doc.tokens[i].capitalized || titles.contains(form(i)))
            .find_map(|i| role_gender(form(i)));
        let surname = name_words.last().map(|&i| doc.tokens[i].form);
        // The first name: the listed words right before the surname (a
        // listed middle name included: "Ana Todd Ruiz" is Ana's), past
        // initials and at most one unlisted word (a maiden name: "Hillary
        // Rodham Clinton"); nothing further back ("Madison Republican Tom
        // Hale" is Tom's). A first name the list lacks lets a listed middle
        // name decide ("Rainer Maria Hale"): a known limit of a census list.
        let first_name = || {
            let before: Vec<usize> = name_words[..name_words.len().saturating_sub(1)]
                .iter()
                .copied()
                .filter(|&i| form(i).chars().count() > 1)
                .collect();
            let listed = |i: usize| first_names().get(form(i)).copied().filter(|_| may_be_name(doc, i));
            let mut k = before.len();
            if k > 0 && listed(before[k - 1]).is_none() {
                k -= 1;
            }
            let mut first = None;
            while let Some(g) = k.checked_sub(1).and_then(|j| listed(before[j])) {
                first = Some(g);
                k -= 1;
            }
            first
        };
        honorific
            .or_else(first_name)
            .or(role)
            .or_else(|| surname.and_then(|s| self.surnames.get(&s).copied().flatten()))
    }

    /// The named source a pronoun (lowercase form) stands for; a vague
    /// group ("critics ... they said") is not a name, so it resolves to none.
    /// "I" and "we" in the author's voice (`in_quote` false) are the writer
    /// ("I asked him why"), never a source named before.
    pub fn resolve(&self, pronoun: &str, in_quote: bool) -> Option<(usize, usize)> {
        if matches!(pronoun, "i" | "we") && !in_quote {
            return None;
        }
        // A singular pronoun after two joined names of its kind stands for
        // neither.
        let single = |last: Option<(usize, usize)>, blocks: fn(Joined) -> bool| match (last, self.last_joined) {
            // (Also a person named inside the pair's own phrase, the source
            // of another cue: "Ana Ruiz and Rep. Tom Hale (R-Ohio) asked".)
            (Some(l), Some((j, pair))) if j.1 > l.0 && blocks(pair) => None,
            (None, Some(_)) => None,
            (l, _) => l,
        };
        // The latest person the pronoun can stand for: not one the text
        // gives the other gender.
        let person = |excluded: Option<Gender>| {
            let excluded = excluded.map(|g| gender_slot(Some(g)));
            (0..3).filter(|&slot| Some(slot) != excluded).filter_map(|slot| self.persons[slot]).max_by_key(|s| s.0)
        };
        match pronoun {
            "he" => single(person(Some(Gender::Female)), |p| p.person),
            "she" => single(person(Some(Gender::Male)), |p| p.person),
            "i" => single(person(None), |p| p.person),
            "it" => single(self.last_org, |p| p.org),
            "they" | "we" => {
                // The latest of a body, two joined names and a group; a
                // group is no name.
                let joined = self.last_joined.map(|(s, _)| s);
                let latest = [(self.last_org, false), (joined, false), (self.last_group, true)]
                    .into_iter()
                    .filter_map(|(span, group)| span.map(|s| (s, group)))
                    .max_by_key(|&(s, _)| s.0);
                latest.filter(|&(_, group)| !group).map(|(s, _)| s)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signals::{SignalSet, Worker};
    use crate::text::pos::Tagger;

    /// `retag_reporting_verbs` looks only at nouns ending in "s".
    #[test]
    fn every_reporting_form_ends_in_s() {
        assert!(REPORTING_FORMS.iter().all(|f| f.ends_with('s')));
    }

    /// Per attribution record of `text`, in order: cue, source, source type
    /// and the name it stands for.
    fn records(text: &str) -> Vec<(String, String, &'static str, String)> {
        let set = SignalSet::builtin();
        let doc = set.analyze(text, &mut Worker::default());
        let toks = &doc.analyzed.tokens;
        let span = |(a, b): (usize, usize)| text[toks[a].span.start..toks[b - 1].span.end].to_string();
        doc.attributions
            .iter()
            .map(|r| {
                (
                    span(r.cue),
                    r.source.map(span).unwrap_or_default(),
                    r.source_type.name(),
                    r.name.map(span).unwrap_or_default(),
                )
            })
            .collect()
    }

    /// The name the record of the `nth` cue `cue` stands for, and its source type.
    fn name_of(text: &str, cue: &str, nth: usize) -> (String, &'static str) {
        let all = records(text);
        let r = all.iter().filter(|r| r.0 == cue).nth(nth).unwrap_or_else(|| panic!("no {nth}th {cue:?} in {all:?}"));
        (r.3.clone(), r.2)
    }

    fn named(name: &str, kind: &'static str) -> (String, &'static str) {
        (name.to_string(), kind)
    }

    #[test]
    fn a_singular_pronoun_after_two_joined_names_stands_for_neither() {
        let text = "Lena Ortiz and Tom Hale said the depot would close. He said it again on Friday.";
        assert_eq!(name_of(text, "said", 1), named("", "pronoun"));
        // "they" stands for both.
        let text = "Lena Ortiz and Tom Hale said the depot would close. They said it again on Friday.";
        assert_eq!(name_of(text, "said", 1), named("Lena Ortiz and Tom Hale", "pronoun"));
        // Two titled names, and a name joined to a phrase with a determiner.
        let text = "Sen. Lena Ortiz and Rep. Tom Hale said the depot would close. She said it again.";
        assert_eq!(name_of(text, "said", 1), named("", "pronoun"));
        let text = "The Kelta Group and its lawyers said the depot would close. It said so again.";
        assert_eq!(name_of(text, "said", 1), named("", "pronoun"));
    }

    #[test]
    fn a_bare_name_joined_to_a_titled_name_is_two_referents() {
        let text = "Hale and Vice President Lena Ortiz said the depot would close. He said it again.";
        assert_eq!(name_of(text, "said", 1), named("", "pronoun"));
        let text = "Ortiz and Gov. Tom Hale said the depot would close. She said it again.";
        assert_eq!(name_of(text, "said", 1), named("", "pronoun"));
        let text = "Ortiz and Gov. Tom Hale said the depot would close. They said it again.";
        assert_eq!(name_of(text, "said", 1), named("Ortiz and Gov. Tom Hale", "pronoun"));
    }

    #[test]
    fn two_joined_persons_leave_it_to_an_earlier_body() {
        let text = "The Kelta Group said rents would rise. Lena Ortiz and Tom Hale said the depot would close. \
                    It said so again.";
        assert_eq!(name_of(text, "said", 2), named("The Kelta Group", "pronoun"));
        // A person joined to a body stands for no single "it" or "he".
        let text = "The Kelta Group said rents would rise. Tom Hale and his company said the depot would close. \
                    It said so again.";
        assert_eq!(name_of(text, "said", 2), named("", "pronoun"));
    }

    #[test]
    fn quoted_first_person_is_the_speaker_the_quote_is_attributed_to() {
        let text = "Lena Ortiz said the depot would close. \"I told them we would fight it,\" Tom Hale said.";
        assert_eq!(name_of(text, "told", 0), named("Tom Hale", "pronoun"));
    }

    #[test]
    fn first_person_after_a_speech_verb_and_a_colon_is_the_speaker() {
        let text = "Tom Hale wrote on Friday: I told them the depot would stay.";
        assert_eq!(name_of(text, "told", 0), named("Tom Hale", "pronoun"));
        let text = "Tom Hale said the depot would close. 'I told them no,' he said.";
        assert_eq!(name_of(text, "told", 0), named("Tom Hale", "pronoun"));
        let text = "Tom Hale said the depot would close. \u{2018}I told them no,\u{2019} he said.";
        assert_eq!(name_of(text, "told", 0), named("Tom Hale", "pronoun"));
    }

    #[test]
    fn an_office_with_and_in_its_title_is_one_person() {
        let text = "Harbor Roads and Bridges Chairman Tom Hale said the depot would close. He said it again.";
        assert_eq!(name_of(text, "said", 1), named("Harbor Roads and Bridges Chairman Tom Hale", "pronoun"));
        let text = "Publisher and CEO Lena Ortiz said sales rose. She said it again.";
        assert_eq!(name_of(text, "said", 1), named("Publisher and CEO Lena Ortiz", "pronoun"));
        let text = "Deputy Mayor and Transit Commissioner Lena Ortiz said fares rose. She said it again.";
        assert_eq!(name_of(text, "said", 1), named("Deputy Mayor and Transit Commissioner Lena Ortiz", "pronoun"));
        let text = "Retired pilot and 2020 candidate Tom Hale said fares rose. He said it again.";
        assert_eq!(name_of(text, "said", 1), named("Retired pilot and 2020 candidate Tom Hale", "pronoun"));
    }

    #[test]
    fn a_relative_clause_antecedent_is_a_source_for_later_pronouns() {
        let text = "The board heard from Lena Ortiz, who said the fares were high. She added that the plan was late.";
        assert_eq!(name_of(text, "She added", 0), named("Lena Ortiz", "pronoun"));
        // Name, age, home town: the person is the antecedent, not the town.
        let text = "Voters like Lena Ortiz, 52, of Dayton, who said she would vote, were pleased.";
        assert_eq!(name_of(text, "said", 0), named("Lena Ortiz", "pronoun"));
    }

    #[test]
    fn first_person_in_the_authors_voice_is_the_writer() {
        let text = "Tom Hale said the depot would close. I asked him why.";
        assert_eq!(name_of(text, "asked", 0), named("", "pronoun"));
        // Inside a quotation "I" is a speaker named before.
        let text = "Tom Hale said the depot would close. \"I asked them why,\" he said.";
        assert_eq!(name_of(text, "asked", 0), named("Tom Hale", "pronoun"));
    }

    #[test]
    fn a_cue_holding_its_pronoun_takes_it_as_source() {
        let text = "Tom Hale said the depot would close. He added that the buses would stay.";
        assert_eq!(name_of(text, "He added", 0), named("Tom Hale", "pronoun"));
    }

    #[test]
    fn a_name_after_a_role_noun_is_typed_by_that_noun() {
        let kind = |text: &str| records(text)[0].2;
        assert_eq!(kind("Party donor Tom Hale said the plan was fair."), "named_person");
        assert_eq!(kind("Harbor News host Lena Ortiz said the plan was fair."), "named_person");
        assert_eq!(kind("The advocacy group Harbor Watch said the plan was unfair."), "named_org");
        assert_eq!(kind("The website Harborline said the plan was unfair."), "named_org");
        assert_eq!(kind("The Harbor Times said the plan was unfair."), "named_org");
        assert_eq!(kind("The Harbor Report's Lena Ortiz said the plan was unfair."), "named_person");
        // A noun that is no role leaves "the" deciding: a body.
        assert_eq!(kind("The automaker Kelta said the plan was unfair."), "named_org");
        assert_eq!(kind("The airline Harborjet said the plan was unfair."), "named_org");
        assert_eq!(kind("The economist Lena Ortiz said the plan was unfair."), "named_person");
        assert_eq!(kind("The Kelta Institute's Lena von Hale said the plan was unfair."), "named_person");
        // An owner's unit is a body.
        assert_eq!(kind("The Mayor's Harbor Task Force said the plan was unfair."), "named_org");
        // A surname that is a place is a person when it ends a name.
        let text = "Tom Washington spoke first. Washington said the plan was unfair.";
        assert_eq!(name_of(text, "said", 0), named("Washington", "named_person"));
        // A country speaks as its government.
        assert_eq!(kind("Canada said the plan was unfair."), "named_org");
        // A capitalised head after "a" is no name.
        assert_eq!(kind("A Republican said the plan was unfair."), "anonymous");
        assert_eq!(kind("A Harbor Transit official said the plan was unfair."), "anonymous");
        // A document of a named body is no unnamed person.
        let text = "Rents rose, according to a Harbor Wire tally.";
        assert_ne!(records(text)[0].2, "anonymous");
        let text = "Rents rose, according to a Department of Housing report.";
        assert_ne!(records(text)[0].2, "anonymous");
    }

    #[test]
    fn a_time_noun_before_a_name_is_no_part_of_the_subject() {
        let text = "Last week Tom Hale said the depot would close.";
        assert_eq!(name_of(text, "said", 0), named("Tom Hale", "named_person"));
        let text = "The day Lena Ortiz announced the plan, riders cheered.";
        assert_eq!(name_of(text, "announced", 0), named("Lena Ortiz", "named_person"));
    }

    #[test]
    fn the_resolver_takes_the_latest_compatible_source() {
        let mut r = Resolver::default();
        r.observe(SourceType::NamedPerson, Some((0, 2)), None, None);
        r.observe(SourceType::NamedOrg, Some((5, 7)), None, None);
        assert_eq!(r.resolve("she", true), Some((0, 2)));
        assert_eq!(r.resolve("it", false), Some((5, 7)));
        assert_eq!(r.resolve("they", false), Some((5, 7)));
        assert_eq!(r.resolve("we", false), None);
        assert_eq!(r.resolve("we", true), Some((5, 7)));
        // Two joined persons block "she", not "it".
        r.observe(SourceType::NamedPerson, Some((10, 13)), Some(Joined { person: true, org: false }), None);
        assert_eq!(r.resolve("she", true), None);
        assert_eq!(r.resolve("it", true), Some((5, 7)));
        assert_eq!(r.resolve("they", true), Some((10, 13)));
        // A person joined to a body blocks both.
        r.observe(SourceType::NamedOrg, Some((14, 17)), Some(Joined { person: true, org: true }), None);
        assert_eq!(r.resolve("it", true), None);
        assert_eq!(r.resolve("he", true), None);
        r.observe(SourceType::Vague, Some((20, 21)), None, None);
        assert_eq!(r.resolve("they", true), None);
    }

    #[test]
    fn he_and_she_skip_a_person_of_the_other_gender() {
        let mut r = Resolver::default();
        r.observe(SourceType::NamedPerson, Some((0, 2)), None, Some(Gender::Male));
        r.observe(SourceType::NamedPerson, Some((5, 7)), None, None);
        r.observe(SourceType::NamedPerson, Some((9, 11)), None, Some(Gender::Female));
        assert_eq!(r.resolve("she", true), Some((9, 11)));
        // The latest person of unknown gender comes before an earlier man.
        assert_eq!(r.resolve("he", true), Some((5, 7)));
        assert_eq!(r.resolve("i", true), Some((9, 11)));
        let mut r = Resolver::default();
        r.observe(SourceType::NamedPerson, Some((0, 2)), None, Some(Gender::Male));
        r.observe(SourceType::NamedPerson, Some((5, 7)), None, Some(Gender::Female));
        assert_eq!(r.resolve("he", true), Some((0, 2)));
        // Two joined persons after both still block a singular pronoun.
        r.observe(SourceType::NamedPerson, Some((10, 13)), None, None);
        r.observe(SourceType::NamedPerson, Some((14, 17)), Some(Joined { person: true, org: false }), None);
        assert_eq!(r.resolve("she", true), None);
        let mut r = Resolver::default();
        r.observe(SourceType::NamedPerson, Some((0, 2)), None, Some(Gender::Female));
        assert_eq!(r.resolve("he", true), None);
    }

    #[test]
    fn the_first_name_table_parses_whole() {
        let lines: Vec<&str> = first_name_lines().collect();
        assert!(lines.len() > 4000, "{} names", lines.len());
        for line in &lines {
            assert!(parse_first_name(line).is_some(), "bad line {line:?}");
        }
        assert_eq!(first_names().len(), lines.len(), "a name listed twice");
        assert_eq!(first_names().get("ana"), Some(&Gender::Female));
        assert_eq!(first_names().get("tom"), Some(&Gender::Male));
        // Names borne by both genders are not listed.
        assert_eq!(first_names().get("jordan"), None);
    }

    #[test]
    fn pronouns_resolve_to_a_source_of_their_gender() {
        let text = "Tom Tully said the plan was late. Ana Ruiz said it was fine. He added that costs rose. \
                    She said nothing more.";
        assert_eq!(name_of(text, "He added", 0), named("Tom Tully", "pronoun"));
        assert_eq!(name_of(text, "said", 2), named("Ana Ruiz", "pronoun"));
        // An honorific and a surname carried from the full name.
        let text = "Ms. Hale said the depot would close. Tom Tully said it would not. \
                    Ana Ruiz, a rider, said she doubted it. Ruiz said it again. Later he said no.";
        assert_eq!(name_of(text, "said", 4), named("Tom Tully", "pronoun"));
        // A gendered role word before the name.
        let text = "Congresswoman Lee Park said the line would reopen. He said it would not.";
        assert_eq!(name_of(text, "said", 1), named("", "pronoun"));
        let text = "The line will reopen, spokeswoman Lee Park said. Tom Tully said so too. She said May.";
        assert_eq!(name_of(text, "said", 2), named("spokeswoman Lee Park", "pronoun"));
        // A middle initial, an office before the name, a home state after it.
        let text = "Ana Ruiz said the line would reopen. Secretary of State John F. Hale said it would not. \
                    She said May. Sen. Tom Tully of Ohio said June. Ana Ruiz said July. He said no. \
                    Tom Tully of Ohio said June again. Ana Ruiz said July. He said yes. \
                    Secretary of State Tom Tully of Ohio said June. Ana Ruiz said July. He said so.";
        assert_eq!(name_of(text, "said", 2), named("Ana Ruiz", "pronoun"));
        assert_eq!(name_of(text, "said", 5), named("Sen. Tom Tully of Ohio", "pronoun"));
        assert_eq!(name_of(text, "said", 8), named("Tom Tully of Ohio", "pronoun"));
        assert_eq!(name_of(text, "said", 11), named("Secretary of State Tom Tully of Ohio", "pronoun"));
        let text = "Secretary of State Tom Tully of Ohio said June. She said July.";
        assert_eq!(name_of(text, "said", 1), named("", "pronoun"));
        let text = "Sen. Tom Tully of Ohio said June. She said July.";
        assert_eq!(name_of(text, "said", 1), named("", "pronoun"));
        // A middle name is not the first name; "spokesman" says nothing of
        // the person's gender.
        let text = "Republican Ana Todd Ruiz said June. Tom Tully said May. She said July.";
        assert_eq!(name_of(text, "said", 2), named("Republican Ana Todd Ruiz", "pronoun"));
        let text = "Transit spokesman Ana Ruiz said June. She said July.";
        assert_eq!(name_of(text, "said", 1), named("Transit spokesman Ana Ruiz", "pronoun"));
        // Two persons of one surname and different genders leave it open,
        // whether or not both are sources.
        let text = "Tom Hale said June. Ana Hale said May. Hale said July. He said so.";
        assert_eq!(name_of(text, "said", 3), named("Hale", "pronoun"));
        let text = "Tom Hale said June. Ana Hale nodded. Hale said July. She said so.";
        assert_eq!(name_of(text, "said", 2), named("Hale", "pronoun"));
        let text = "Ana Hale nodded. Tom Tully said June. Hale said July. He said so.";
        assert_eq!(name_of(text, "said", 2), named("Tom Tully", "pronoun"));
        // A first name the list does not know leaves the surname open too.
        let text = "Ana Hale nodded. Sen. Kerrigan Hale said June. Hale said July. He said so.";
        assert_eq!(name_of(text, "said", 2), named("Hale", "pronoun"));
        // A place or party word before the first name is not it; a maiden
        // name is passed.
        let text = "Ana Ruiz said June. Madison Republican Tom Hale said May. She said July.";
        assert_eq!(name_of(text, "said", 2), named("Ana Ruiz", "pronoun"));
        let text = "Tom Hale said June. Ana Rodham Ruiz said May. He said July.";
        assert_eq!(name_of(text, "said", 2), named("Tom Hale", "pronoun"));
        // A couple shares a surname; an honorific after the name says nothing.
        let text = "Tom and Ana Hale said the line would close. Hale said so again. He said June.";
        assert_eq!(name_of(text, "said", 2), named("Hale", "pronoun"));
        let text = "Mr. and Mrs. Hale said the line would close. Hale said so again. He said June.";
        assert_eq!(name_of(text, "said", 2), named("Hale", "pronoun"));
        let text = "Ana Ruiz said June. Rep. Tom Hale of Miss. said May. He said July.";
        assert_eq!(name_of(text, "said", 2), named("Rep. Tom Hale of Miss.", "pronoun"));
        // With no person of her gender named, "she" stays unresolved.
        let text = "Tom Tully said the line would reopen. She said it would not.";
        assert_eq!(name_of(text, "said", 1), named("", "pronoun"));
    }

    /// The UPOS of `word` after tagging and re-tagging `text`.
    fn upos_after_retag(text: &str, word: &str) -> Upos {
        let mut an = Analyzer::new();
        let mut doc = an.analyze(text);
        an.tag(text, &mut doc, Tagger::builtin());
        retag_reporting_verbs(&mut doc, &an);
        let t = doc.tokens.iter().find(|t| an.form(t.form) == word).expect("word in text");
        t.upos
    }

    #[test]
    fn reporting_base_forms_after_a_plural_subject_are_verbs() {
        assert_eq!(upos_after_retag("Some bankers warn of a slump in the spring.", "warn"), Upos::Verb);
        assert_eq!(upos_after_retag("Tenants claim that the heating never worked.", "claim"), Upos::Verb);
        assert_eq!(upos_after_retag("Some in the union argue that the deal is weak.", "argue"), Upos::Verb);
        // Nouns stay nouns: after a determiner, or a compound before a verb.
        assert_eq!(upos_after_retag("The claim that the heating never worked was false.", "claim"), Upos::Noun);
        assert_eq!(upos_after_retag("Our say in the matter is small.", "say"), Upos::Noun);
    }

    #[test]
    fn a_name_after_a_preposition_modifies_the_noun_after_it() {
        assert_eq!(
            upos_after_retag("The plan costs less, according to Harbor Office estimates.", "estimates"),
            Upos::Noun
        );
        assert_eq!(upos_after_retag("Rents rose, based on Kelta reports.", "reports"), Upos::Noun);
        // Without the preposition the name is the subject.
        assert_eq!(upos_after_retag("Rents will rise, Harbor Office estimates.", "estimates"), Upos::Verb);
    }

    #[test]
    fn third_person_reporting_forms_after_a_subject_are_verbs() {
        assert_eq!(upos_after_retag("Lena Ortiz predicts that rents will rise.", "predicts"), Upos::Verb);
        assert_eq!(upos_after_retag("The harbor survey finds that most tenants stayed.", "finds"), Upos::Verb);
        assert_eq!(upos_after_retag("The landlord points out that rents rose.", "points"), Upos::Verb);
        assert_eq!(upos_after_retag("The latest harbor poll finds tenants split.", "finds"), Upos::Verb);
        assert_eq!(
            upos_after_retag("Lena Ortiz, the founder of the firm Kelta, predicts that rents will rise.", "predicts"),
            Upos::Verb
        );
        // A relative clause after a compound noun: "claims" stays a noun.
        assert_eq!(upos_after_retag("He paid the insurance claims that were filed in May.", "claims"), Upos::Noun);
        // Nouns with a clause of their own.
        assert_eq!(upos_after_retag("He denied media reports that the mill had closed.", "reports"), Upos::Noun);
        assert_eq!(upos_after_retag("She rejected Ortiz's claims that rents rose.", "claims"), Upos::Noun);
    }
}
