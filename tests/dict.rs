//! Custom dictionaries (`--dict`, `slant dict validate`) through the real binary.

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

fn dict(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/dictionaries").join(name)
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

fn cell(header: &[String], row: &[String], name: &str) -> String {
    let i = header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"));
    row[i].clone()
}

/// 27 words. economy (exact `tax`, `jobs`; `budget*` twice; `interest
/// rate*` once): 5 matches; "Taxes" and "taxing" share the stem of `tax`
/// but are not the word "tax". security: army, border: 2.
const TEXT: &str = "The new tax will hit jobs. Taxes rose and taxing families hurt. Budget talks stalled over budgetary limits. Interest rates climbed while the army guarded the border.\n";

fn score(dicts: &[&str]) -> (Vec<String>, Vec<String>, Vec<String>, Vec<Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("doc.txt");
    fs::write(&input, TEXT).unwrap();
    let (o, m) = (dir.path().join("scores.csv"), dir.path().join("matches.csv"));
    let mut cmd = slant();
    cmd.arg("score").arg(&input).arg("-o").arg(&o).arg("--matches").arg(&m).arg("--quiet");
    for d in dicts {
        cmd.arg("--dict").arg(dict(d));
    }
    cmd.assert().success();
    let (h, rows) = read_csv(&o);
    assert_eq!(rows.len(), 1);
    let (mh, mrows) = read_csv(&m);
    (h, rows[0].clone(), mh, mrows)
}

#[test]
fn every_format_counts_the_same_words() {
    for file in ["economy.dic", "economy.yml", "economy.csv"] {
        let (h, row, mh, mrows) = score(&[file]);
        assert_eq!(cell(&h, &row, "n_words"), "27", "{file}");
        assert_eq!(cell(&h, &row, "dict_economy_n"), "5", "{file}");
        assert_eq!(cell(&h, &row, "dict_economy_per1k"), "185.185", "{file}");
        assert_eq!(cell(&h, &row, "dict_security_n"), "2", "{file}");
        assert!(h.iter().any(|c| c == "dict_economy_author_per1k"));
        let matched: Vec<String> = mrows
            .iter()
            .filter(|r| cell(&mh, r, "category") == "dict_economy")
            .map(|r| cell(&mh, r, "matched_text"))
            .collect();
        assert_eq!(matched, ["tax", "jobs", "Budget", "budgetary", "Interest rates"], "{file}");
        // evidence names the entry as written and its file:line
        let budget = mrows.iter().find(|r| cell(&mh, r, "matched_text") == "budgetary").unwrap();
        assert_eq!(cell(&mh, budget, "rule"), "budget*");
        let line = match file {
            "economy.dic" => 6,
            "economy.yml" => 6,
            _ => 3,
        };
        assert!(cell(&mh, budget, "rule_line").ends_with(&format!("{file}:{line}")), "{file}");
        // shipped categories are still there
        assert!(h.iter().any(|c| c == "hedge_n"));
    }
}

#[test]
fn yaml_subcategories_become_columns() {
    let (h, row, _, _) = score(&["economy.yml"]);
    assert_eq!(cell(&h, &row, "dict_security_military_n"), "1");
    assert_eq!(cell(&h, &row, "dict_security_policing_n"), "1");
    assert_eq!(cell(&h, &row, "dict_economy_term_n"), "5");
}

#[test]
fn csv_weights_are_summed() {
    let (h, row, _, _) = score(&["economy.csv"]);
    // tax 2 + jobs 1 + Budget 1.5 + budgetary 1.5 + Interest rates 1
    assert_eq!(cell(&h, &row, "dict_economy_weighted"), "7.000");
    // all security weights are 1: no weighted column
    assert!(!h.iter().any(|c| c == "dict_security_weighted"));
    let (h, _, _, _) = score(&["economy.dic"]);
    assert!(!h.iter().any(|c| c.ends_with("_weighted")));
}

#[test]
fn codebook_lists_dictionary_columns() {
    slant()
        .args(["codebook", "--dict"])
        .arg(dict("economy.csv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("dict_economy_weighted").and(predicate::str::contains("dictionary ")));
    slant().args(["explain", "--dict"]).arg(dict("economy.dic")).arg("-").write_stdin(TEXT).assert().success();
}

#[test]
fn colliding_dictionaries_are_an_error() {
    slant()
        .args(["codebook", "--dict"])
        .arg(dict("economy.dic"))
        .arg("--dict")
        .arg(dict("economy.yml"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("dict_economy").and(predicate::str::contains("already defines")));
}

#[test]
fn unknown_extension_is_an_error() {
    slant()
        .args(["codebook", "--dict", "datasets/dictionaries/README.md"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("unknown dictionary format"));
}

#[test]
fn validate_accepts_the_shipped_examples() {
    slant()
        .args(["dict", "validate"])
        .arg(dict("economy.dic"))
        .arg(dict("economy.csv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("2 categories").and(predicate::str::contains("0 error(s)")));
}

#[test]
fn validate_reports_every_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let dic = dir.path().join("bad.dic");
    fs::write(&dic, "early\t1\n%\n1\teconomy\noops\n3\tempty\n%\ntax\t1 9\nta*x\t1\n*\t1\njobs\t1\njobs\t1\n").unwrap();
    let csv = dir.path().join("bad.csv");
    fs::write(&csv, "term,category,weight\ntax,economy,heavy\njobs\nbudget**,economy,1\n").unwrap();
    let yml = dir.path().join("bad.yml");
    fs::write(&yml, "economy:\n  - tax\n  - [a, b]\n  - key: value\n").unwrap();
    let out = slant().args(["dict", "validate"]).arg(&dic).arg(&csv).arg(&yml).assert().code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for want in [
        "bad.dic:1: error: entry 'early' before the category header",
        "bad.dic:4: error: malformed header line 'oops'",
        "bad.dic:5: error: category 'empty' has no entries",
        "bad.dic:7: error: entry 'tax': unknown category number 9",
        "bad.dic:8: error: entry 'ta*x': bad wildcard",
        "bad.dic:9: error: entry '*': a lone '*'",
        "bad.dic:11: warning: duplicate entry 'jobs'",
        "bad.csv:2: error: weight 'heavy' is not a number",
        "bad.csv:3: error: expected 2 or 3 fields",
        "bad.csv:4: error: entry 'budget**': bad wildcard",
        "bad.yml:3: error: entry is not a string",
        "bad.yml:4: error: entry is not a string",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in:\n{stdout}");
    }
    assert!(
        stdout.contains("bad.dic: 1 categories (dict_economy, dict_empty)") || stdout.contains("bad.dic: 2 categories")
    );
}
