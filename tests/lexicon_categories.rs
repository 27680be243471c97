//! Every shipped lexicon category, checked on sentences we wrote: a positive
//! case, a negative case, an inflected form, negation, and quoted voice.

use slant::engine::score_document;
use slant::read::Document;
use slant::signals::{Label, SignalSet, Worker};
use std::sync::OnceLock;

fn set() -> &'static SignalSet {
    static SET: OnceLock<SignalSet> = OnceLock::new();
    SET.get_or_init(SignalSet::builtin)
}

/// (counted in the author's voice, counted in quoted voice, negated) for a
/// category, or a category/subcategory when `what` contains a '/'.
fn counts(text: &str, what: &str) -> (usize, usize, usize) {
    let set = set();
    let doc = Document { id: "t".into(), text: text.into(), kept: vec![], location: "test".into(), warnings: vec![] };
    let scored = score_document(set, &mut Worker::default(), doc);
    let (cat, sub) = what.split_once('/').map_or((what, None), |(c, s)| (c, Some(s)));
    let ci = set.lexicon.category_index(cat).unwrap_or_else(|| panic!("no category {cat}"));
    let si = sub.map(|s| set.lexicon.categories[ci].sub_index(s).unwrap_or_else(|| panic!("no subcategory {what}")));
    let mut c = (0, 0, 0);
    for m in &scored.signals.matches {
        if let Label::Framing { category, sub } = m.label {
            if category == ci && si.is_none_or(|s| s == sub) {
                match (m.negated, m.in_quote) {
                    (true, _) => c.2 += 1,
                    (false, false) => c.0 += 1,
                    (false, true) => c.1 += 1,
                }
            }
        }
    }
    c
}

fn author(text: &str, what: &str) -> usize {
    counts(text, what).0
}

fn side_counts(text: &str, dim: &str) -> ([usize; 2], [usize; 2]) {
    let set = set();
    let doc = Document { id: "t".into(), text: text.into(), kept: vec![], location: "test".into(), warnings: vec![] };
    let scored = score_document(set, &mut Worker::default(), doc);
    let di = set.sides.dimensions.iter().position(|d| d.name == dim).unwrap();
    let d = &scored.stats.dimensions[di];
    (d.mentions, d.statements)
}

#[test]
fn hedge() {
    assert_eq!(author("The bridge may close next week.", "hedge/modal"), 1);
    assert_eq!(author("The bridge closed last week.", "hedge"), 0);
    assert_eq!(author("The results suggested a link.", "hedge/epistemic_verb"), 1, "inflected: suggested");
    assert_eq!(author("The results suggest a link.", "hedge/epistemic_verb"), 1);
    assert_eq!(author("Perhaps the council will listen.", "hedge/adverb"), 1);
    assert!(author("It is unclear whether the plan works.", "hedge") >= 1);
    assert_eq!(author("The fair opens on May 5 in the park.", "hedge"), 0, "the month is not a modal");
    assert_eq!(counts("\"We might lose the vote,\" she said.", "hedge"), (0, 1, 0), "quoted voice");
    assert_eq!(author("There is no evidence that the pipes leaked.", "hedge/evidential_absence"), 1);
    assert_eq!(author("About 40 people attended.", "hedge/approximator"), 1);
    assert_eq!(author("More than 40 people attended.", "hedge/approximator"), 1);
    assert_eq!(author("He wanted more than a seat at the table.", "hedge/approximator"), 0);
    assert_eq!(author("Supporters say the levy would fund two schools.", "hedge/modal"), 1, "present frame");
    assert_eq!(author("The governor said the levy would fund two schools.", "hedge/modal"), 0, "future in the past");
    assert_eq!(author("She could not open the door.", "hedge/modal"), 0, "negated ability");
    // Rounders on a fraction or a unit written as words, adaptors, limiters of extent.
    assert_eq!(author("About half of the members voted.", "hedge/approximator"), 1);
    assert_eq!(author("The repairs took nearly two-thirds of the budget.", "hedge/approximator"), 1);
    assert_eq!(author("The hearing lasted about a week.", "hedge/approximator"), 1);
    assert_eq!(author("The poll has a margin of error of plus or minus 3 points.", "hedge/approximator"), 1);
    assert_eq!(author("The deal is essentially a truce.", "hedge/approximator"), 1);
    assert_eq!(author("The road is virtually empty at night.", "hedge/approximator"), 1);
    assert_eq!(author("In some cases, the fees doubled.", "hedge/approximator"), 1);
    assert_eq!(author("They talked in a way that calmed the room.", "hedge"), 0, "manner, not an adaptor");
    assert_eq!(author("The park is kind of empty today.", "hedge/approximator"), 1, "adaptor");
    assert_eq!(author("The club bans this kind of behaviour.", "hedge"), 0, "taxonomic: a type of");
    assert_eq!(author("The shop sells all kinds of tools.", "hedge"), 0, "taxonomic, plural");
    // Sense and stem restrictions of the epistemic verbs.
    assert_eq!(author("The think tank published a report on tolls.", "hedge"), 0, "a noun compound");
    assert_eq!(author("Voters think about the budget every spring.", "hedge"), 0, "deliberation, not belief");
    assert_eq!(author("Her fear of flying grew.", "hedge"), 0, "the emotion noun");
    assert_eq!(author("Residents feared a second flood.", "hedge/epistemic_verb"), 1);
    assert_eq!(author("The mayor will assume office in May.", "hedge"), 0, "take on, not suppose");
    assert_eq!(author("Planners assume the river stays low.", "hedge/epistemic_verb"), 1);
    assert_eq!(author("The parish holds a strong religious belief.", "hedge"), 0, "belief without a clause");
}

#[test]
fn distancing() {
    assert_eq!(author("The reportedly stolen painting was found.", "distancing/adverb"), 1);
    assert_eq!(author("She reported the theft to police.", "distancing"), 0, "report is not reportedly");
    assert_eq!(author("The alleged fraud cost millions.", "distancing"), 1);
    assert_eq!(author("He allegedly moved the money.", "distancing"), 1);
    assert_eq!(author("The so-called reform passed.", "distancing/adjective"), 1);
    assert_eq!(author("The council passed the \"reform\" on Monday.", "distancing/scare_quote"), 1);
    assert_eq!(counts("\"It was allegedly sold,\" the clerk said.", "distancing"), (0, 1, 0));
    assert_eq!(author("The claim that the dam leaked spread online.", "distancing/noun"), 1);
    assert_eq!(author("She claims that the dam never leaked.", "distancing"), 0, "the verb is attribution");
}

#[test]
fn booster() {
    assert_eq!(author("Clearly, the plan failed.", "booster/adverb"), 1);
    assert_eq!(author("The plan failed.", "booster"), 0);
    assert_eq!(author("The audit revealed gaps in the budget.", "booster/factive"), 1, "inflected: revealed");
    assert_eq!(author("The latest polls show a tight race.", "booster/factive"), 1, "evidential show");
    assert_eq!(author("The band will show up late.", "booster"), 0);
    assert_eq!(author("Make sure that the doors are locked.", "booster"), 0, "make sure = ensure");
    assert_eq!(author("The audit reveals gaps in the budget.", "booster/factive"), 1);
    // Assertive speech verbs report how a source spoke: attribution, not certainty.
    assert_eq!(author("The mayor insisted the budget was sound.", "booster"), 0);
    assert_eq!(author("The mayor insisted the budget was sound.", "attribution/loaded"), 1);
    // A commissive that also conveys the speaker's resolve: loaded (evidence guidelines).
    assert_eq!(author("The council vowed to rebuild the bridge.", "attribution/loaded"), 1);
    assert_eq!(counts("It is not clear that the plan works.", "booster"), (0, 0, 1), "negated: not clear");
    assert_eq!(counts("The study never proved a link.", "booster"), (0, 0, 1), "negated: never proved");
    assert_eq!(counts("\"Obviously we will win,\" he said.", "booster"), (0, 1, 0));
    // Veridical verbs count only when asserted: not after "to" or a modal (irrealis).
    assert_eq!(author("The audit proved that the funds were moved.", "booster/factive"), 1);
    assert_eq!(author("The team has to prove the doubters wrong.", "booster"), 0, "an aim");
    assert_eq!(author("The delay could prove costly.", "booster"), 0, "a possibility");
    assert_eq!(author("The mayor hopes to show that the plan works.", "booster"), 0, "an aim");
    assert_eq!(author("The senator realized that the vote was lost.", "booster/factive"), 1, "a true factive");
    assert_eq!(author("The revelations about the contract ended his career.", "booster/factive"), 1);
    assert_eq!(author("In reality, the plan never had the votes.", "booster/adverb"), 1);
}

#[test]
fn attribution() {
    assert_eq!(author("The mayor said the road would reopen.", "attribution/neutral"), 1);
    assert_eq!(author("The mayor arrived late.", "attribution"), 0);
    assert_eq!(author("The mayor says the road will reopen.", "attribution/neutral"), 1, "inflected: says");
    assert_eq!(author("According to the report, costs rose.", "attribution/neutral"), 1);
    assert_eq!(author("The company claimed the spill was small.", "attribution/loaded"), 1);
    assert_eq!(author("The senator conceded the bill had flaws.", "attribution/loaded"), 1);
    assert_eq!(
        author("Critics slammed the decision.", "attribution/loaded")
            + author("Critics slammed the decision.", "loaded"),
        2
    );
    assert_eq!(counts("The mayor did not say when the road would reopen.", "attribution"), (0, 0, 1), "negated");
}

#[test]
fn sourcing() {
    assert_eq!(author("The plan was approved, officials familiar with the matter said.", "sourcing/anonymous"), 1);
    assert_eq!(author("A person close to the mayor said the plan was dead.", "sourcing/anonymous"), 1);
    assert_eq!(author("The aide spoke on condition of anonymity.", "sourcing/anonymous"), 1);
    assert_eq!(author("Critics argue the plan is too costly.", "sourcing/vague"), 1);
    assert_eq!(author("Critics argued the plan was too costly.", "sourcing/vague"), 1, "inflected");
    assert_eq!(author("Some say the plan is too costly.", "sourcing/vague"), 1);
    assert_eq!(author("It is widely believed that the plan will fail.", "sourcing/vague"), 1);
    assert_eq!(author("The plan is too costly, Maria Delgado said.", "sourcing/named"), 1);
    assert_eq!(author("The plan is too costly, said Sen. Delgado.", "sourcing/named"), 1);
    // An unnamed spokeswoman is a specific source whose identity is withheld.
    assert_eq!(author("A spokeswoman said the plan was costly.", "sourcing/anonymous"), 1);
    assert_eq!(author("The mayor said the plan was costly.", "sourcing/named"), 1, "an identifiable office");
    assert_eq!(author("The plan is too costly, he said.", "sourcing/named"), 0, "a pronoun is not a name");
    assert_eq!(
        author("Officials said Delgado had resigned.", "sourcing/named"),
        0,
        "a name after the verb that does not end the clause is the subject"
    );
    assert_eq!(author("The plan was approved, officials familiar with the matter said.", "sourcing/named"), 0);
}

#[test]
fn loaded_and_intensifier() {
    assert!(author("The radical plan was a disaster.", "loaded") >= 1);
    assert_eq!(author("The plan was approved on Tuesday.", "loaded"), 0);
    assert_eq!(author("The senator blasted the agency.", "loaded"), 1, "inflected: blasted");
    assert_eq!(counts("\"It is a disgrace,\" she said.", "loaded").1, 1, "quoted voice");
    assert_eq!(author("The vote was extremely close.", "intensifier"), 1);
    assert_eq!(author("The vote was close.", "intensifier"), 0);
    assert_eq!(counts("The vote was not very close.", "intensifier"), (0, 0, 1), "negated");
}

#[test]
fn loaded_word_senses() {
    // Part-of-speech restrictions keep the evaluative sense of an ambiguous stem.
    assert_eq!(author("The governor blasted the new budget.", "loaded/loaded_verb"), 1, "verb: criticised");
    assert_eq!(author("A blast shook the factory at dawn.", "loaded"), 0, "noun: an explosion");
    assert_eq!(author("Aides said the rollout was botched.", "loaded"), 1);
    // Exclusions and exact forms keep topical uses out.
    assert_eq!(author("The county asked for natural disaster relief.", "loaded"), 0, "topical disaster");
    assert_eq!(author("The flood was a disaster for the town budget.", "loaded/emotive"), 1);
    assert_eq!(author("Elaine Chao spoke at the port.", "loaded"), 0, "a name is not chaos");
    assert_eq!(author("Researchers studied online radicalization.", "loaded"), 0, "radicalization names a process");
    assert_eq!(author("The dangers of heat were discussed.", "loaded"), 0, "topical nouns; heated is an exact form");
    assert_eq!(author("Dozens were sickened by the outbreak.", "loaded"), 0, "literal illness");
    // Classes of the rewritten section: judgement, appreciation, affect, idioms, one-sided terms.
    assert_eq!(author("The mayor called the audit a witch hunt.", "loaded/pejorative"), 1);
    assert_eq!(author("Critics said the incompetent board ignored warnings.", "loaded/pejorative"), 1);
    assert_eq!(author("The lawmakers caved to pressure.", "loaded/loaded_verb"), 1);
    assert_eq!(author("Neighbours were furious about the closure.", "loaded/emotive"), 1);
    assert_eq!(author("He described it as a power grab.", "loaded/pejorative"), 1);
}

#[test]
fn intensifier_degree_not_quantity() {
    assert_eq!(author("The district is too moderate for her.", "intensifier"), 1, "degree 'too' + adjective");
    assert_eq!(author("The fund holds too much money.", "intensifier"), 0, "quantity, not degree");
    assert_eq!(author("No escapees have been found so far.", "intensifier"), 0, "time, not degree");
    assert_eq!(author("They may do so differently next year.", "intensifier"), 0, "pro-form 'do so'");
    assert_eq!(author("The result was so bad that they resigned.", "intensifier"), 1);
    assert_eq!(author("The new plan is much more careful.", "intensifier"), 1, "much + comparative");
    assert_eq!(author("It was a huge crowd.", "intensifier"), 0, "a size adjective does not scale another word");
    assert_eq!(author("The board was bitterly divided.", "intensifier/amplifier"), 1);
    assert_eq!(author("The roof was badly damaged.", "intensifier"), 1, "booster before a participle");
    assert_eq!(author("The team played badly.", "intensifier"), 0, "manner after the verb");
}

#[test]
fn quotation() {
    assert_eq!(author("She said that the council would vote.", "quotation/indirect"), 1);
    assert_eq!(counts("\"The council will vote soon,\" she said.", "quotation/direct"), (0, 1, 0));
    assert_eq!(author("She said that the council would vote.", "quotation/direct"), 0);
}

#[test]
fn partisan_sides() {
    let (m, s) = side_counts("Democrats said the bill was fair. Republicans called it a giveaway.", "party");
    assert_eq!(m, [1, 1]);
    assert_eq!(s[0], 1);
    let (_, s) = side_counts("Supporters argue the plan saves money, while detractors point to its cost.", "stance");
    assert_eq!(s, [1, 1], "both sides attributed");
    let (m, s) = side_counts("The GOP leadership said the bill would pass.", "party");
    assert_eq!((m, s), ([0, 1], [0, 1]));
    let (_, s) =
        side_counts("Sen. Ann Tully, a Republican from Grange, voted no. \"It is wrong,\" Tully said.", "party");
    assert_eq!(s, [0, 1], "a named source introduced with a party speaks for it");
    let (_, s) = side_counts("Republican lawmakers on Monday slammed a Democratic plan.", "party");
    assert_eq!(s, [0, 1], "the object of the verb is not the speaker");
    let (m, _) = side_counts("The weather was mild.", "party");
    assert_eq!(m, [0, 0]);
}

#[test]
fn ideology_camps_as_nouns_and_adjectives() {
    let (m, s) = side_counts("Conservative activists said the levy was a mistake.", "ideology");
    assert_eq!((m, s), ([0, 1], [0, 1]), "the adjective of the camp, speaking");
    let (m, _) = side_counts("A liberal group and two right-wing pundits met; progressives stayed home.", "ideology");
    assert_eq!(m, [2, 1]);
    let (m, _) = side_counts("She is a conservative who grew up on a farm.", "ideology");
    assert_eq!(m, [0, 1], "singular noun");
    // Non-political senses of the same words are not sides.
    for text in [
        "A conservative estimate puts the cost at two million.",
        "She teaches at a liberal arts college.",
        "The plan keeps a progressive tax on income.",
        "He made liberal use of the archive.",
    ] {
        assert_eq!(side_counts(text, "ideology").0, [0, 0], "{text}");
    }
}

#[test]
fn scare_quotes_are_short_unattributed_quotations() {
    assert_eq!(author("The council passed its budget \"reform\" again.", "distancing/scare_quote"), 1);
    // After a naming verb the quotation is the label someone used: a
    // partial quotation (quoted voice), not the author's scare quote.
    assert_eq!(author("The council called its budget a \"reform\" again.", "distancing/scare_quote"), 0);
    assert_eq!(counts("Critics dismissed the whole plan as a \"gimmick\" last week.", "quotation/direct").1, 1);
    // A noun of saying with its "that" clause introduces the speaker's words.
    assert_eq!(author("She repeated her claim that the fee was \"unfair\" to renters.", "distancing/scare_quote"), 0);
    assert_eq!(
        author("The old claim about the fee \"reform\" spread online.", "distancing/scare_quote"),
        1,
        "no that-clause"
    );
    // The verb's object can stand between it and the label.
    assert_eq!(author("The mayor called the new county law \"a mess\" on Monday.", "distancing/scare_quote"), 0);
    // A mention of an expression is not a scare quote either.
    assert_eq!(author("Staff avoided the word \"layoffs\" in the memo.", "distancing/scare_quote"), 0);
    // One capitalised word inside a sentence is a title or name.
    assert_eq!(author("The choir sang \"Hallelujah\" at noon.", "distancing/scare_quote"), 0);
    // A partial quotation of a speaker is speech, wherever the verb stands.
    assert_eq!(
        author("Mayor Hale said the budget was \"a mess\" after the vote on Tuesday.", "distancing/scare_quote"),
        0
    );
    // A quoted title or name is neither.
    assert_eq!(author("The station aired \"Morning Rounds\" at six.", "distancing/scare_quote"), 0);
    // A fragment ending in a comma belongs to a longer quotation.
    assert_eq!(author("\"Too late,\" was all the clerk would offer.", "distancing/scare_quote"), 0);
    // A quoted figure or code names a value.
    assert_eq!(author("To renew, residents dial \"3\" on the hotline.", "distancing/scare_quote"), 0);
    // Markup left in a text: attribute values are not quotations.
    let markup = "<post author=\"parkdesk\" stamp=\"20240101\">The pier reopened.</post>";
    assert_eq!(author(markup, "distancing/scare_quote"), 0);
    assert_eq!(author("The board's \"savings\" plan <b>grew</b> costs.", "distancing/scare_quote"), 1);
}

#[test]
fn a_naming_verb_before_a_quotation_is_attribution() {
    // The verb reports its subject's words (a partial quotation).
    assert_eq!(author("The mayor called the budget \"a disgrace\" on Monday.", "attribution/neutral"), 1);
    assert_eq!(author("Voters rejected what the council called a \"modest fee\" last spring.", "attribution"), 1);
    // A passive or a reduced relative names a thing; no one is quoted.
    assert_eq!(author("The plan has been dubbed \"the bridge to nowhere\" by locals.", "attribution"), 0);
    assert_eq!(author("She started a petition called \"Save the Pier\" in May.", "attribution"), 0);
    // The verb is counted once, not once per quotation.
    assert_eq!(author("The clerk called the fee \"silly\" and \"unfair\" at the hearing.", "attribution"), 1);
}

#[test]
fn an_evidential_verb_is_attribution_only_with_an_evidence_subject() {
    assert_eq!(author("The new county survey shows that most riders want later buses.", "attribution/evidential"), 1);
    assert_eq!(author("An internal audit found a shortfall in the fund.", "attribution/evidential"), 1);
    // A person who finds or shows something reports nothing.
    assert_eq!(author("The mayor found her keys under the desk.", "attribution"), 0);
    assert_eq!(author("The team showed real courage in the final.", "attribution"), 0);
    assert_eq!(author("Volunteers hope to find a new home for the shelter.", "attribution"), 0);
}

#[test]
fn a_continued_after_a_quotation_closes_a_reporting_clause() {
    assert_eq!(author("\"We will rebuild the pier,\" Hale continued.", "attribution/neutral"), 1);
    assert_eq!(author("Prices continued to rise in May.", "attribution"), 0);
}

#[test]
fn a_thought_verb_that_is_not_attribution_stays_a_hedge() {
    // First person: no third-party thought, so no attribution, but the
    // belief verb still hedges the claim.
    let text = "I believe the bridge is safe.";
    assert_eq!(author(text, "attribution"), 0);
    assert_eq!(author(text, "hedge/epistemic_verb"), 1);
    // A third party's belief is both.
    let text = "Engineers believe the bridge is safe.";
    assert_eq!(author(text, "attribution/thought"), 1);
    assert_eq!(author(text, "hedge/epistemic_verb"), 1);
}
