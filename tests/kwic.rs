//! `slant kwic` through the real binary, on text written here: one row per
//! match with its sentence around it, offsets that agree with the evidence
//! file of `score`, --pattern read as lexicon syntax, and the mistakes a
//! user makes named.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

fn rows(path: &Path) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().clone();
    (header, r.records().map(|r| r.unwrap()).collect())
}

fn col<'a>(header: &csv::StringRecord, row: &'a csv::StringRecord, name: &str) -> &'a str {
    let i = header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    &row[i]
}

const ARTICLES: &str = "id,outlet,text
one,North,\"The council may delay the vote. Perhaps it will not. Critics argue the budget is too small.\"
two,South,\"Nothing here hedges at all. The mayor opened the bridge on Monday.\"
three,North,\"Opponents argued that the plan could collapse, and critic argues otherwise.\"
";

#[test]
fn every_hedge_is_listed_once_with_its_sentence_and_the_offsets_of_score() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.csv");
    fs::write(&input, ARTICLES).unwrap();
    let kwic = dir.path().join("kwic.csv");
    slant()
        .args(["kwic", input.to_str().unwrap(), "--category", "hedge", "--keep-cols", "outlet", "-q", "-o"])
        .arg(&kwic)
        .assert()
        .success();
    let matches = dir.path().join("m.csv");
    slant()
        .args(["score", input.to_str().unwrap(), "-q", "-o"])
        .arg(dir.path().join("s.csv"))
        .arg("--matches")
        .arg(&matches)
        .assert()
        .success();
    let (h, kw) = rows(&kwic);
    assert_eq!(
        h.iter().collect::<Vec<_>>(),
        [
            "doc_id",
            "outlet",
            "sentence_idx",
            "char_start",
            "char_end",
            "left",
            "match",
            "right",
            "category",
            "subcategory",
            "rule",
            "in_quote",
            "negated"
        ]
    );
    // The same hedges, at the same offsets, as the evidence file.
    let (mh, m) = rows(&matches);
    let hedges: Vec<(String, String, String, String)> = m
        .iter()
        .filter(|r| col(&mh, r, "category") == "hedge")
        .map(|r| {
            (
                col(&mh, r, "doc_id").into(),
                col(&mh, r, "char_start").into(),
                col(&mh, r, "char_end").into(),
                col(&mh, r, "matched_text").into(),
            )
        })
        .collect();
    let listed: Vec<(String, String, String, String)> = kw
        .iter()
        .map(|r| {
            (
                col(&h, r, "doc_id").into(),
                col(&h, r, "char_start").into(),
                col(&h, r, "char_end").into(),
                col(&h, r, "match").into(),
            )
        })
        .collect();
    assert!(!hedges.is_empty());
    assert_eq!(listed, hedges);
    assert!(kw.iter().all(|r| col(&h, r, "category") == "hedge"));
    // "may" in its own sentence, not the next one; kept column copied.
    let may = kw.iter().find(|r| col(&h, r, "match") == "may").expect("may is a modal hedge");
    assert_eq!(col(&h, may, "outlet"), "North");
    assert_eq!(col(&h, may, "left"), "The council");
    assert_eq!(col(&h, may, "right"), "delay the vote.");
    assert_eq!(col(&h, may, "sentence_idx"), "0");
    // Document two has no hedge: no row.
    assert!(kw.iter().all(|r| col(&h, r, "doc_id") != "two"));
    // The offsets point at the match in the document's text.
    let text = "The council may delay the vote. Perhaps it will not. Critics argue the budget is too small.";
    let (s, e): (usize, usize) =
        (col(&h, may, "char_start").parse().unwrap(), col(&h, may, "char_end").parse().unwrap());
    assert_eq!(text.chars().skip(s).take(e - s).collect::<String>(), "may");
}

#[test]
fn width_cuts_the_context_in_characters_and_zero_keeps_the_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.csv");
    fs::write(&input, ARTICLES).unwrap();
    let out = |width: &str| {
        let o = slant()
            .args(["kwic", input.to_str().unwrap(), "--pattern", "budget", "--width", width, "-q"])
            .assert()
            .success();
        let mut r = csv::Reader::from_reader(&o.get_output().stdout[..]);
        let h = r.headers().unwrap().clone();
        let row = r.records().next().unwrap().unwrap();
        (col(&h, &row, "left").to_string(), col(&h, &row, "right").to_string())
    };
    assert_eq!(out("0"), ("Critics argue the".into(), "is too small.".into()));
    assert_eq!(out("5"), ("e the".into(), "is to".into()));
}

#[test]
fn a_pattern_is_lexicon_syntax_with_stems_and_tags() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.csv");
    fs::write(&input, ARTICLES).unwrap();
    let o = slant()
        .args(["kwic", input.to_str().unwrap(), "--pattern", "critics argue", "--pattern", "=Perhaps", "-q"])
        .assert()
        .success();
    let mut r = csv::Reader::from_reader(&o.get_output().stdout[..]);
    let h = r.headers().unwrap().clone();
    let got: Vec<(String, String, String, String)> = r
        .records()
        .map(|row| {
            let row = row.unwrap();
            let c = |n| col(&h, &row, n).to_string();
            (c("doc_id"), c("match"), c("category"), c("rule"))
        })
        .collect();
    let want = [
        ("one", "Perhaps", "pattern", "=Perhaps"),
        ("one", "Critics argue", "pattern", "critics argue"),
        ("three", "critic argues", "pattern", "critics argue"),
    ];
    assert_eq!(got, want.map(|(a, b, c, d)| (a.into(), b.into(), c.into(), d.into())));
}

#[test]
fn mistakes_are_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.csv");
    fs::write(&input, ARTICLES).unwrap();
    let out = dir.path().join("k.csv");
    let run = |args: &[&str]| {
        let a = slant().arg("kwic").arg(&input).args(args).arg("-o").arg(&out).assert();
        let code = a.get_output().status.code();
        (code, String::from_utf8_lossy(&a.get_output().stderr).into_owned())
    };
    let (code, err) = run(&["--category", "hegde"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("--category hegde: no such category") && err.contains("hedge"), "{err}");
    let (code, err) = run(&["--category", "hedge", "--subcategory", "modals"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("--subcategory modals") && err.contains("modal"), "{err}");
    let (code, err) = run(&["--pattern", "say{VRB}"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("--pattern 'say{VRB}'") && err.contains("VRB"), "{err}");
    let (code, err) = run(&["--pattern", "!may"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("cannot start with '!'"), "{err}");
    // Neither --category nor --pattern: a usage error.
    let (code, _) = run(&[]);
    assert_eq!(code, Some(2));
    assert!(!out.exists());
    // A column that is not there: nothing usable (4).
    let (code, err) = run(&["--category", "hedge", "--keep-cols", "paper"]);
    assert_eq!(code, Some(4), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_quotation_over_two_sentences_shows_both_ends_and_the_listing_is_in_the_codebook() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("q.txt");
    fs::write(&input, "He spoke first. \"We will win. They will lose,\" the mayor said today.\n").unwrap();
    let o = slant().args(["kwic", input.to_str().unwrap(), "--category", "quotation", "-q"]).assert().success();
    let mut r = csv::Reader::from_reader(&o.get_output().stdout[..]);
    let h = r.headers().unwrap().clone();
    let row = r.records().find_map(|x| x.ok().filter(|x| col(&h, x, "rule") == "code:direct_quote"));
    let row = row.expect("a direct quote");
    // The opening mark is the quotation's sentence, not part of its span.
    assert_eq!(col(&h, &row, "left"), "\"");
    assert!(col(&h, &row, "match").contains("We will win. They will lose"));
    assert!(col(&h, &row, "right").contains("the mayor said today."), "{:?}", row);
    let o = slant().args(["codebook"]).assert().success();
    let codebook = String::from_utf8_lossy(&o.get_output().stdout).into_owned();
    for c in ["kwic,left,", "kwic,match,", "kwic,right,", "kwic,char_start,"] {
        assert!(codebook.contains(c), "{c} in the codebook");
    }
}
