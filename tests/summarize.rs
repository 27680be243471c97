//! `slant summarize` through the real binary on tables written here.

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

const TABLE: &str = "doc_id,outlet,n_words,hedge_per1k,quoted_word_share,p_leaning_left\n\
d1,east,100,2.0,0.10,0.2\n\
d2,east,120,4.0,0.20,0.4\n\
d3,east,90,6.0,,0.6\n\
d4,west,80,1.0,0.30,0.5\n\
d5,west,70,3.0,0.50,0.5\n";

#[test]
fn long_form_per_group_and_column_with_hand_computed_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out, diff) = (dir.path().join("s.csv"), dir.path().join("sum.csv"), dir.path().join("diff.csv"));
    fs::write(&input, TABLE).unwrap();
    slant()
        .arg("summarize")
        .arg(&input)
        .args(["--by", "outlet", "--compare", "east", "west", "--diff"])
        .arg(&diff)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let text = fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "by,group,column,n,mean,sd,median,ci_low,ci_high,ci_method,weight,sum_weight,n_eff");
    // Default columns: rates, shares and probabilities, not counts.
    assert_eq!(lines.len(), 1 + 2 * 3, "{text}");
    assert!(!text.contains("n_words"));
    // east hedge_per1k: 2, 4, 6 -> mean 4, sd 2, median 4.
    let east = lines.iter().find(|l| l.starts_with("outlet,east,hedge_per1k,")).unwrap();
    assert!(east.starts_with("outlet,east,hedge_per1k,3,4.000000,2.000000,4.000000,"), "{east}");
    // An empty cell is left out: east quoted_word_share has 2 values.
    assert!(text.contains("outlet,east,quoted_word_share,2,0.150000,"), "{text}");
    // A group of fewer than 10 values gets no interval (a bootstrap of two
    // values would be their range, of one a single point).
    // Without --weight the weight column is empty and every row weighs 1.
    assert!(text.contains("outlet,west,p_leaning_left,2,0.500000,0.000000,0.500000,,,,,2.0000,2.00\n"), "{text}");
    // Above --bootstrap-max-n the interval is the normal one: east's hedge
    // values 2, 4, 6 four times: mean 4, sd sqrt(32 / 11), 4 +- 1.96 sd / sqrt(12).
    let big = dir.path().join("big.csv");
    let rows: String = (0..12).map(|i| format!("e{i},east,100,{}.0,0.1,0.5\n", 2 + 2 * (i % 3))).collect();
    fs::write(&big, format!("{}\n{rows}", TABLE.lines().next().unwrap())).unwrap();
    let normal = slant()
        .arg("summarize")
        .arg(&big)
        .args(["--by", "outlet", "--columns", "hedge_per1k", "--bootstrap-max-n", "2"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let normal = String::from_utf8(normal).unwrap();
    let sd = (32.0f64 / 11.0).sqrt();
    let half = 1.959963985 * sd / 12f64.sqrt();
    let want = format!(
        "outlet,east,hedge_per1k,12,4.000000,{sd:.6},4.000000,{:.6},{:.6},normal,,12.0000,12.00",
        4.0 - half,
        4.0 + half
    );
    assert!(normal.contains(&want), "{normal}\nwant {want}");
    let d = fs::read_to_string(&diff).unwrap();
    assert!(d.starts_with(
        "by,group_a,group_b,column,n_a,n_b,mean_a,mean_b,diff,ci_low,ci_high,ci_method,hedges_g,\
         weight,sum_weight_a,sum_weight_b,n_eff_a,n_eff_b\n"
    ));
    // east - west hedge: 4 - 2 = 2; pooled sd sqrt((2*4 + 1*2) / 3); g = 2 / that * (1 - 3/11).
    let g = 2.0 / (10.0f64 / 3.0).sqrt() * (1.0 - 3.0 / 11.0);
    let row = d.lines().find(|l| l.contains(",hedge_per1k,")).unwrap();
    assert!(row.starts_with("outlet,east,west,hedge_per1k,3,2,4.000000,2.000000,2.000000,"), "{row}");
    assert!(row.ends_with(&format!(",{g:.4},,3.0000,2.0000,3.00,2.00")), "{row} vs {g}");
    // Same seed, same bytes.
    let again = dir.path().join("again.csv");
    slant().arg("summarize").arg(&input).args(["--by", "outlet", "-o"]).arg(&again).assert().success();
    assert_eq!(fs::read(&again).unwrap(), fs::read(&out).unwrap());
}

#[test]
fn mistakes_name_the_option_and_what_exists() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("s.csv");
    fs::write(&input, TABLE).unwrap();
    slant()
        .arg("summarize")
        .arg(&input)
        .args(["--by", "outlt"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--by 'outlt' is not a column").and(predicate::str::contains("outlet")));
    let out = dir.path().join("never.csv");
    slant()
        .arg("summarize")
        .arg(&input)
        .args(["--by", "outlet", "--compare", "east", "north", "--diff"])
        .arg(dir.path().join("d.csv"))
        .arg("-o")
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicate::str::contains("no group 'north'").and(predicate::str::contains("east, west")));
    assert!(!out.exists(), "nothing is written when --compare names a missing group");
    fs::write(&input, TABLE.replace("d2,east,120,4.0", "d2,east,120,four")).unwrap();
    slant()
        .arg("summarize")
        .arg(&input)
        .assert()
        .failure()
        .stderr(predicate::str::contains("line 3: column 'hedge_per1k' holds \"four\", not a number"));
}

/// Documents with their hedge matches and words: east has a 40-word brief
/// with a high rate and a 1,000-word feature with a low one.
const WEIGHTED: &str = "doc_id,outlet,hedge_n,n_words,hedge_per1k,p_x\n\
a1,east,1,40,25.0,0.5\n\
a2,east,6,400,15.0,0.5\n\
a3,east,3,1000,3.0,0.5\n\
a4,east,0,10,0.0,0.5\n\
b1,west,2,200,10.0,0.2\n\
b2,west,1,50,20.0,0.4\n\
b3,west,5,800,6.25,0.6\n\
b4,west,0,0,,0.9\n";

fn row<'a>(text: &'a str, prefix: &str) -> &'a str {
    text.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no {prefix} in\n{text}"))
}

#[test]
fn weight_n_words_gives_the_pooled_rate_of_each_group() {
    let dir = tempfile::tempdir().unwrap();
    let (input, diff) = (dir.path().join("s.csv"), dir.path().join("diff.csv"));
    fs::write(&input, WEIGHTED).unwrap();
    let out = slant()
        .arg("summarize")
        .arg(&input)
        .args(["--by", "outlet", "--weight", "n_words", "--compare", "east", "west", "--diff"])
        .arg(&diff)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    // Pooled rates from the counts: east 10 hedges in 1,450 words, west 8
    // in 1,050 (the 0-word row has no rate).
    let (east, west) = (10.0 / 1450.0 * 1000.0, 8.0 / 1050.0 * 1000.0);
    let e = row(&text, "outlet,east,hedge_per1k,");
    assert!(e.starts_with(&format!("outlet,east,hedge_per1k,4,{east:.6},")), "{e}");
    // Weighted median: cumulative words 10 (rate 0), 1010 (rate 3) of 1450
    // passes half at 3 (the unweighted median is 9). Kish's n_eff =
    // 1450^2 / (40^2 + 400^2 + 1000^2 + 10^2).
    let n_eff = 1450.0f64.powi(2) / (1600.0 + 160000.0 + 1000000.0 + 100.0);
    assert!(e.ends_with(&format!(",3.000000,,,,n_words,1450.0000,{n_eff:.2}")), "{e}");
    let w = row(&text, "outlet,west,hedge_per1k,");
    assert!(w.starts_with(&format!("outlet,west,hedge_per1k,3,{west:.6},")), "{w}");
    // The row of weight 0 is left out of p_x: (0.2*200 + 0.4*50 + 0.6*800) / 1050.
    let p = row(&text, "outlet,west,p_x,");
    assert!(p.starts_with(&format!("outlet,west,p_x,3,{:.6},", 540.0 / 1050.0)), "{p}");
    // The weight column is not summarised.
    assert!(!text.contains(",n_words,4,") && !text.lines().any(|l| l.contains(",hedge_n,")), "{text}");
    let d = fs::read_to_string(&diff).unwrap();
    let dr = row(&d, "outlet,east,west,hedge_per1k,");
    assert!(
        dr.starts_with(&format!("outlet,east,west,hedge_per1k,4,3,{east:.6},{west:.6},{:.6},", east - west)),
        "{dr}"
    );
    assert!(dr.contains(",n_words,1450.0000,1050.0000,"), "{dr}");

    // The same table unweighted: the plain means, weight empty.
    let plain =
        slant().arg("summarize").arg(&input).args(["--by", "outlet"]).assert().success().get_output().stdout.clone();
    let plain = String::from_utf8(plain).unwrap();
    let e = row(&plain, "outlet,east,hedge_per1k,");
    assert!(e.starts_with("outlet,east,hedge_per1k,4,10.750000,") && e.ends_with(",,4.0000,4.00"), "{e}");
    // A rate column named as the weight is not summarised by default either.
    let by_p = slant()
        .arg("summarize")
        .arg(&input)
        .args(["--by", "outlet", "--weight", "p_x"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let by_p = String::from_utf8(by_p).unwrap();
    assert!(by_p.contains(",hedge_per1k,") && !by_p.contains(",p_x,4,"), "{by_p}");
}

#[test]
fn a_group_without_weight_has_a_sum_weight_of_plain_zero() {
    // Every row of north weighs 0: no values, and a sum of weights of 0,
    // not -0 (the sum of no floats), in every format.
    let dir = tempfile::tempdir().unwrap();
    let (input, diff) = (dir.path().join("s.csv"), dir.path().join("diff.csv"));
    fs::write(&input, format!("{WEIGHTED}c1,north,0,0,,0.3\nc2,north,1,0,,0.7\n")).unwrap();
    let out = slant()
        .arg("summarize")
        .arg(&input)
        .args(["--by", "outlet", "--weight", "n_words", "--compare", "north", "west", "--diff"])
        .arg(&diff)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for column in ["hedge_per1k", "p_x"] {
        assert!(text.contains(&format!("outlet,north,{column},0,,,,,,,n_words,0.0000,\n")), "{text}");
    }
    let d = fs::read_to_string(&diff).unwrap();
    assert!(row(&d, "outlet,north,west,p_x,0,3,").contains(",n_words,0.0000,1050.0000,,"), "{d}");
    let jsonl = dir.path().join("sum.jsonl");
    slant()
        .arg("summarize")
        .arg(&input)
        .args(["--by", "outlet", "--weight", "n_words", "-o"])
        .arg(&jsonl)
        .assert()
        .success();
    let jsonl = fs::read_to_string(&jsonl).unwrap();
    assert!(jsonl.contains("north") && !jsonl.contains("-0.0"), "{jsonl}");
}

#[test]
fn weight_n_words_over_the_default_columns_names_those_it_does_not_pool() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("s.csv");
    fs::write(
        &input,
        "n_words,hedge_per1k,hedge_quoted_per1k,hedge_author_per1k,quoted_word_share,sides_balance,p_x\n\
         100,2.0,1.0,3.0,0.2,0.5,0.1\n\
         300,4.0,2.0,5.0,0.4,1.0,0.3\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = slant().arg("summarize").arg(&input).args(extra).assert().success().get_output().clone();
        String::from_utf8(out.stderr).unwrap()
    };
    let note = run(&["--weight", "n_words"]);
    assert_eq!(note.lines().count(), 1, "{note}");
    for other in ["hedge_quoted_per1k", "hedge_author_per1k", "sides_balance", "p_x"] {
        assert!(note.contains(other), "{note}");
    }
    assert!(!note.contains("hedge_per1k,") && !note.contains("quoted_word_share"), "{note}");
    // Not with -q, not for columns named on purpose, not for another weight.
    assert_eq!(run(&["--weight", "n_words", "-q"]), "");
    assert_eq!(run(&["--weight", "n_words", "--columns", "p_x"]), "");
    assert_eq!(run(&["--weight", "p_x"]), "");
    assert_eq!(run(&[]), "");
}

#[test]
fn bad_weights_are_refused_with_the_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("s.csv");
    let out = dir.path().join("never.csv");
    for (table, message) in [
        (
            WEIGHTED.replace("a2,east,6,400,", "a2,east,6,-400,"),
            "line 3: weight column 'n_words' holds \"-400\", a negative weight",
        ),
        (
            WEIGHTED.replace("b2,west,1,50,", "b2,west,1,fifty,"),
            "line 7: weight column 'n_words' holds \"fifty\", not a number",
        ),
        (WEIGHTED.replace("b1,west,2,200,", "b1,west,2,,"), "line 6: weight column 'n_words' holds \"\", not a number"),
        (
            WEIGHTED.replace("a1,east,1,40,", "a1,east,1,inf,"),
            "line 2: weight column 'n_words' holds \"inf\", not a finite number",
        ),
        (
            WEIGHTED.replace("a3,east,3,1000,", "a3,east,3,1e400,"),
            "line 4: weight column 'n_words' holds \"1e400\", not a finite number",
        ),
        (
            WEIGHTED.replace("a2,east,6,400,15.0,", "a2,east,6,400,-inf,"),
            "line 3: column 'hedge_per1k' holds \"-inf\", not a finite number",
        ),
    ] {
        fs::write(&input, table).unwrap();
        slant()
            .arg("summarize")
            .arg(&input)
            .args(["--by", "outlet", "--weight", "n_words", "-o"])
            .arg(&out)
            .assert()
            .failure()
            .stderr(predicate::str::contains(message).and(predicate::str::contains("panicked").not()));
        assert!(!out.exists());
    }
    fs::write(&input, WEIGHTED).unwrap();
    slant()
        .arg("summarize")
        .arg(&input)
        .args(["--weight", "n_word"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--weight 'n_word' is not a column").and(predicate::str::contains("n_words")));
}

#[test]
fn terms_counts_surface_forms_per_group_with_rates_from_the_scores_file() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c.csv");
    fs::write(
        &corpus,
        "id,outlet,text\n\
         a,east,\"The plan may fail. It may also succeed, perhaps.\"\n\
         b,east,\"Officials may reconsider.\"\n\
         c,west,\"The vote was held on Monday.\"\n",
    )
    .unwrap();
    let (scores, matches, terms) = (dir.path().join("s.csv"), dir.path().join("m.csv"), dir.path().join("t.csv"));
    slant()
        .arg("score")
        .arg(&corpus)
        .args(["--keep-cols", "outlet", "-q", "-o"])
        .arg(&scores)
        .arg("--matches")
        .arg(&matches)
        .assert()
        .success();
    slant()
        .arg("terms")
        .arg(&matches)
        .arg("--scores")
        .arg(&scores)
        .args(["--by", "outlet", "--category", "hedge", "-o"])
        .arg(&terms)
        .assert()
        .success();
    let t = fs::read_to_string(&terms).unwrap();
    // "may" 3 times in the 2 east documents, 12 words: 3 / 12 * 1000.
    let may = t.lines().find(|l| l.contains(",may,")).unwrap_or_else(|| panic!("{t}"));
    assert!(may.starts_with("outlet,east,hedge,modal,may,3,2,250.0000,1.0000,"), "{may}");
    assert!(t.lines().skip(1).all(|l| l.contains(",hedge,")), "{t}");
    assert!(!t.contains(",west,"), "no hedge matched in west");
    // Without --scores: counts only.
    let plain = slant().arg("terms").arg(&matches).assert().success().get_output().stdout.clone();
    let plain = String::from_utf8(plain).unwrap();
    assert!(plain.contains(",(all),hedge,modal,may,3,2,,,"), "{plain}");
    // The scores of another run: refused.
    fs::write(&scores, "doc_id,n_words\nzzz,5\n").unwrap();
    slant()
        .arg("terms")
        .arg(&matches)
        .arg("--scores")
        .arg(&scores)
        .assert()
        .failure()
        .stderr(predicate::str::contains("not in the --scores file"));
}
