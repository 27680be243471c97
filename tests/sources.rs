//! `slant score --sources`: the attribution table, through the real binary,
//! on text written for these tests.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

type Rows = Vec<std::collections::HashMap<String, String>>;

fn read(path: &Path) -> Rows {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records().map(|x| header.iter().cloned().zip(x.unwrap().iter().map(String::from)).collect()).collect()
}

const ARTICLE: &str = "Sen. Ana Ruiz (D-Ohio) said the bridge would reopen in May. \
\"We are on schedule,\" she said. \
The agency's spokesman, Tom Hale, said costs had risen. \
Critics argue the plan is too costly. \
According to a senior official, the talks stalled. \
\"It is a disaster,\" said Republican Bob Meyer, who chairs the finance committee. \
Meyer also claimed that the budget \"was padded from the start.\"\n";

fn score(dir: &Path, text: &str, extra: &[&str]) -> (Rows, Rows) {
    let input = dir.join("a.txt");
    fs::write(&input, text).unwrap();
    let (o, s) = (dir.join("scores.csv"), dir.join("sources.csv"));
    slant()
        .arg("score")
        .arg(&input)
        .arg("-q")
        .arg("-o")
        .arg(&o)
        .arg("--sources")
        .arg(&s)
        .args(extra)
        .assert()
        .success();
    (read(&o), read(&s))
}

#[test]
fn one_row_per_attribution_with_source_content_mode_and_side() {
    let dir = tempfile::tempdir().unwrap();
    let (docs, rows) = score(dir.path(), ARTICLE, &[]);
    let get = |i: usize, c: &str| rows[i][c].clone();
    assert_eq!(rows.len(), 7);
    // Offsets are character offsets into the text, as in --matches.
    for r in &rows {
        let (a, b): (usize, usize) = (r["cue_start"].parse().unwrap(), r["cue_end"].parse().unwrap());
        assert_eq!(ARTICLE.chars().skip(a).take(b - a).collect::<String>(), r["cue_text"]);
    }
    assert_eq!((get(0, "source_text"), get(0, "source_type")), ("Sen. Ana Ruiz".into(), "named_person".into()));
    assert_eq!(get(0, "side_party"), "democratic", "party code after the name");
    assert_eq!(get(0, "mode"), "indirect");
    assert_eq!(get(0, "content_text"), "the bridge would reopen in May");
    // A pronoun resolves to the earlier named source and keeps its side.
    assert_eq!((get(1, "source_type"), get(1, "source_name")), ("pronoun".into(), "Sen. Ana Ruiz".into()));
    assert_eq!((get(1, "mode"), get(1, "content_text")), ("direct".into(), "We are on schedule".into()));
    assert_eq!(get(1, "side_party"), "democratic");
    // The name between the commas, not the role before it.
    assert_eq!(get(2, "source_text"), "Tom Hale");
    assert_eq!((get(3, "source_type"), get(3, "side_stance")), ("vague".into(), "critics".into()));
    assert_eq!((get(4, "cue_text"), get(4, "source_type")), ("According to".into(), "anonymous".into()));
    // Inverted verb after a quotation; the side from the party word before the name.
    assert_eq!((get(5, "source_text"), get(5, "side_party")), ("Republican Bob Meyer".into(), "republican".into()));
    assert_eq!(get(5, "content_text"), "It is a disaster");
    // A later mention by surname keeps the side; a partial quotation is mixed.
    assert_eq!((get(6, "source_text"), get(6, "side_party")), ("Meyer".into(), "republican".into()));
    assert_eq!((get(6, "mode"), get(6, "verb_class")), ("mixed".into(), "loaded".into()));

    let d = &docs[0];
    assert_eq!(d["statements_n"], "7");
    assert_eq!(d["sources_named_person_n"], "4");
    assert_eq!(d["sources_pronoun_n"], "1");
    assert_eq!(d["sources_anonymous_share"], "0.1429");
    // Ruiz, Hale, Meyer.
    assert_eq!(d["sources_named_distinct_n"], "3");
    assert_eq!(d["party_democratic_statements_n"], "2");
    assert_eq!(d["party_republican_statements_n"], "2");
    // "We are on schedule" (4) for Ruiz; "It is a disaster" (4) + "was padded from the start" (5) for Meyer.
    assert_eq!(d["party_democratic_quoted_words"], "4");
    assert_eq!(d["party_republican_quoted_words"], "9");
    assert_eq!(d["party_balance"], "1.0000");
}

#[test]
fn every_named_anonymous_and_vague_source_is_evidence_in_matches() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("matches.csv");
    let (_, rows) = score(dir.path(), ARTICLE, &["--matches", m.to_str().unwrap()]);
    let matches = read(&m);
    for r in rows
        .iter()
        .filter(|r| matches!(r["source_type"].as_str(), "named_person" | "named_org" | "anonymous" | "vague"))
    {
        let (a, b) = (&r["source_start"], &r["source_end"]);
        let found = matches.iter().any(|m| m["category"] == "sourcing" && &m["char_start"] <= a && &m["char_end"] >= b);
        assert!(found, "source {} has a sourcing row", r["source_text"]);
        let cue = matches.iter().any(|m| {
            m["category"] == "attribution" && m["char_start"] == r["cue_start"] && m["char_end"] == r["cue_end"]
        });
        assert!(cue, "cue {} has an attribution row", r["cue_text"]);
    }
    // Pronouns are not sourcing evidence (the guidelines do not count them).
    assert!(!matches.iter().any(|m| m["category"] == "sourcing" && m["matched_text"] == "she"));
}

#[test]
fn no_attribution_gives_a_header_only_table_and_empty_shares() {
    let dir = tempfile::tempdir().unwrap();
    let (docs, rows) = score(dir.path(), "The bridge opened in May. Traffic was light.\n", &["--format", "csv"]);
    assert!(rows.is_empty());
    assert_eq!(docs[0]["statements_n"], "0");
    assert_eq!(docs[0]["sources_vague_share"], "");
    let header = fs::read_to_string(dir.path().join("sources.csv")).unwrap();
    assert!(header.starts_with("doc_id,attribution_idx,sentence_idx,cue_start,cue_end,cue_text,source_start"));
    assert!(dir.path().join("sources.csv.manifest.json").exists());
}

#[test]
fn explain_lists_who_says_what() {
    let out = slant().args(["explain", "-", "-q", "--color", "never"]).write_stdin(ARTICLE).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let section = text.split("--- who says what").nth(1).expect("a sources section");
    assert!(section.contains(
        "she [pronoun] = Sen. Ana Ruiz -- said (neutral) -- direct: \"We are on schedule\"; party=democratic"
    ));
    assert!(
        section.contains("a senior official [anonymous] -- According to (neutral) -- indirect: \"the talks stalled\"")
    );
}

#[test]
fn report_has_a_sources_table_per_document() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.txt");
    fs::write(&input, ARTICLE).unwrap();
    let html = dir.path().join("r.html");
    slant().arg("report").arg(&input).arg("-q").arg("-o").arg(&html).assert().success();
    let page = fs::read_to_string(&html).unwrap();
    let table =
        page.split("<table class=\"sources\">").nth(1).expect("a sources table").split("</table>").next().unwrap();
    assert_eq!(table.matches("<tr>").count(), 8, "a header and one row per attribution");
    assert!(table.contains("<td class=\"speaker\">she (= Sen. Ana Ruiz)</td>"));
}

#[test]
fn resume_keeps_the_sources_of_finished_documents_only() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    fs::write(corpus.join("a.txt"), ARTICLE).unwrap();
    fs::write(corpus.join("b.txt"), "Critics said the vote was rushed. The mayor said it was not.\n").unwrap();
    let run = |o: &Path, s: &Path, resume: bool| {
        let mut cmd = slant();
        cmd.arg("score").arg(&corpus).arg("-q").arg("-o").arg(o).arg("--sources").arg(s);
        if resume {
            cmd.arg("--resume");
        }
        cmd.assert().success();
    };
    let (full, full_src) = (dir.path().join("full.csv"), dir.path().join("full_src.csv"));
    run(&full, &full_src, false);
    let full_text = fs::read_to_string(&full).unwrap();
    let src_text = fs::read_to_string(&full_src).unwrap();
    // An interrupted run: document a finished, b not; the sources file
    // already holds a row of b that must not be kept twice.
    let (out, src) = (dir.path().join("out.csv"), dir.path().join("src.csv"));
    let lines: Vec<&str> = full_text.lines().collect();
    fs::write(&out, format!("{}\n{}\n", lines[0], lines[1])).unwrap();
    let src_lines: Vec<&str> = src_text.lines().collect();
    let first_b = src_lines.iter().position(|l| l.starts_with("b,")).unwrap();
    fs::write(&src, format!("{}\n", src_lines[..=first_b].join("\n"))).unwrap();
    fs::copy(dir.path().join("full.csv.manifest.json"), dir.path().join("out.csv.manifest.json")).unwrap();
    run(&out, &src, true);
    assert_eq!(fs::read_to_string(&out).unwrap(), full_text);
    assert_eq!(fs::read_to_string(&src).unwrap(), src_text);
}

#[test]
fn a_relative_pronoun_source_resolves_to_its_antecedent() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The panel heard from Republican Bob Meyer, who said the budget was padded. \
Riders who live near the depot complained that the buses were late. \
The board also met a driver who argued that fares should fall. \
It heard from two people familiar with the plan who warned that it would fail.\n";
    let m = dir.path().join("matches.csv");
    let (_, rows) = score(dir.path(), text, &["--matches", m.to_str().unwrap()]);
    let row = |cue: &str| rows.iter().find(|r| r["cue_text"] == cue).unwrap_or_else(|| panic!("a row for {cue}"));
    // "who" is the pronoun source; the name it stands for, with its side.
    let said = row("said");
    assert_eq!((said["source_text"].as_str(), said["source_type"].as_str()), ("who", "pronoun"));
    assert_eq!(said["source_name"], "Republican Bob Meyer");
    assert_eq!(said["side_party"], "republican");
    // A restrictive relative clause inside the subject: the antecedent is
    // the speaker, not "the depot".
    let complained = row("complained");
    assert_eq!(
        (complained["source_text"].as_str(), complained["source_type"].as_str()),
        ("Riders who live near the depot", "vague")
    );
    // An unnamed antecedent leaves the name empty.
    let argued = row("argued");
    assert_eq!((argued["source_type"].as_str(), argued["source_name"].as_str()), ("pronoun", ""));
    // A lexicon source phrase on the antecedent types the record, as it
    // types the evidence file's match.
    let warned = row("warned");
    assert_eq!((warned["source_text"].as_str(), warned["source_type"].as_str()), ("people familiar with", "anonymous"));
    // Relative pronouns are not sourcing evidence, as personal pronouns are
    // not: the evidence file has the subject with its relative clause and
    // the lexicon phrase, nothing for "who".
    let matches = read(&m);
    let sourcing: Vec<(&str, &str)> = matches
        .iter()
        .filter(|m| m["category"] == "sourcing")
        .map(|m| (m["matched_text"].as_str(), m["subcategory"].as_str()))
        .collect();
    assert_eq!(sourcing, [("Riders who live near the depot", "vague"), ("people familiar with", "anonymous")]);
}
