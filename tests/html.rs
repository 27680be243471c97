//! HTML input (#14 item 5) through the real binary, on pages written here:
//! `.html`/`.htm` files and folders, an HTML column or field
//! (`--text-format html`), stdin with `--input-format html`; the main text
//! only (no navigation, footer or ad labels), offsets into that text, and
//! `--write-text DIR` writing the very text the offsets refer to.

use assert_cmd::Command;
use std::fs;
use std::io::Write;
use std::path::Path;

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

fn page(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>Example News</title><style>p {{ color: red }}</style></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/politics\">Politics</a> <a href=\"/login\">Sign in</a></nav>\
         <div class=\"share\"><a href=\"#\">Share on social media</a></div>\
         <article><h1>Headline here</h1>{body}</article>\
         <aside><h2>Most read</h2><ul><li><a href=\"/a\">Another story entirely</a></li></ul></aside>\
         <footer>Copyright 2026 Example News. All rights reserved.</footer><script>var tracking = 1;</script></body></html>"
    )
}

const BODY: &str = "<p>The council may delay the vote on the new budget, officials said on Monday, and critics \
    argue the plan is far too small for a town that keeps growing.</p><p>Advertisement</p>\
    <p>Perhaps the vote will come next month. The mayor <em>clearly</em> wants the bridge repair to go ahead \
    as soon as possible, several residents said after the meeting.</p>";

/// Every match's offsets, applied to the written text, give its matched_text.
fn check_offsets(matches: &Path, texts: &Path) -> usize {
    let mut r = csv::Reader::from_path(matches).unwrap();
    let mut n = 0;
    for row in r.records() {
        let row = row.unwrap();
        let text = fs::read_to_string(texts.join(format!("{}.txt", &row[0]))).unwrap();
        let (s, e): (usize, usize) = (row[2].parse().unwrap(), row[3].parse().unwrap());
        assert_eq!(text.chars().skip(s).take(e - s).collect::<String>(), row[8].to_string(), "{row:?}");
        n += 1;
    }
    n
}

#[test]
fn a_folder_of_pages_is_scored_on_their_main_text_and_the_offsets_point_into_the_written_text() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("pages");
    fs::create_dir_all(corpus.join("2026")).unwrap();
    fs::write(corpus.join("2026/vote.html"), page(BODY)).unwrap();
    fs::write(corpus.join("old.htm"), page("<p>It was approved, officials confirmed.</p>")).unwrap();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(page(BODY).as_bytes()).unwrap();
    fs::write(corpus.join("zipped.html.gz"), enc.finish().unwrap()).unwrap();
    fs::write(corpus.join("notes.txt"), "It may rain.").unwrap();
    let (scores, matches, texts) = (dir.path().join("s.csv"), dir.path().join("m.csv"), dir.path().join("texts"));
    slant()
        .arg("score")
        .arg(&corpus)
        .args(["-q", "-o"])
        .arg(&scores)
        .arg("--matches")
        .arg(&matches)
        .arg("--write-text")
        .arg(&texts)
        .assert()
        .success();
    let ids: Vec<String> =
        csv::Reader::from_path(&scores).unwrap().records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(ids, ["2026/vote", "notes", "old", "zipped"]);
    let vote = fs::read_to_string(texts.join("2026/vote.txt")).unwrap();
    assert!(vote.contains("The council may delay the vote") && vote.contains("The mayor clearly wants"), "{vote}");
    for gone in
        ["Sign in", "Share on", "Most read", "Another story", "Copyright", "Advertisement", "tracking", "color", "<"]
    {
        assert!(!vote.contains(gone), "{gone} in {vote}");
    }
    assert_eq!(fs::read_to_string(texts.join("zipped.txt")).unwrap(), vote);
    assert!(check_offsets(&matches, &texts) >= 5);
    // --input-format txt reads the files as they are: markup and all.
    let out = slant()
        .arg("score")
        .arg(&corpus)
        .args(["--input-format", "txt", "-q", "--write-text"])
        .arg(dir.path().join("raw"))
        .args(["-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(fs::read_to_string(dir.path().join("raw/2026/vote.txt")).unwrap().contains("<nav>"));
}

#[test]
fn an_html_column_or_field_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("a.csv");
    let mut w = csv::Writer::from_path(&csv_path).unwrap();
    w.write_record(["id", "html"]).unwrap();
    w.write_record(["c1", &page(BODY)]).unwrap();
    w.write_record(["c2", "<p>The plan <b>may</b> fail.</p>"]).unwrap();
    w.flush().unwrap();
    let (matches, texts) = (dir.path().join("m.csv"), dir.path().join("t"));
    slant()
        .arg("kwic")
        .arg(&csv_path)
        .args(["--text-col", "html", "--text-format", "html", "--category", "hedge", "-q", "-o"])
        .arg(&matches)
        .arg("--write-text")
        .arg(&texts)
        .assert()
        .success();
    assert_eq!(fs::read_to_string(texts.join("c2.txt")).unwrap(), "The plan may fail.");
    let kwic = fs::read_to_string(&matches).unwrap();
    assert!(kwic.contains("c2,0,9,12,The plan,may,fail.,hedge,modal"), "{kwic}");
    // Without --text-format html the markup is scored as text.
    let out = slant()
        .arg("score")
        .arg(&csv_path)
        .args(["--text-col", "html", "-q", "--write-text"])
        .arg(dir.path().join("raw"))
        .args(["-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(fs::read_to_string(dir.path().join("raw/c2.txt")).unwrap().contains("<b>"));
    // A JSON field.
    let json = dir.path().join("a.jsonl");
    fs::write(&json, format!("{}\n", serde_json::json!({"id": "j1", "body": page(BODY)}))).unwrap();
    let out = slant()
        .arg("score")
        .arg(&json)
        .args(["--text-field", "body", "--text-format", "html", "-q", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let words_of = |s: &str| -> usize {
        let mut r = csv::Reader::from_reader(s.as_bytes());
        r.records().next().unwrap().unwrap()[1].parse().unwrap()
    };
    let html_words = words_of(&stdout);
    // Standard input with --input-format html gives the same text.
    let out = slant()
        .args(["score", "-", "--input-format", "html", "-q", "-o", "-"])
        .write_stdin(page(BODY))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(words_of(&String::from_utf8_lossy(&out.stdout)), html_words);
    assert!(html_words > 30 && html_words < 60, "{html_words} words: the article, not the page");
    // Without it, a page on standard input is read as text, with a hint.
    let out = slant().args(["score", "-", "-o", "-"]).write_stdin(page(BODY)).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("looks like HTML")
            && String::from_utf8_lossy(&out.stderr).contains("--input-format html")
    );
}

#[test]
fn ids_cannot_write_outside_the_text_folder() {
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("a.csv");
    fs::write(&csv_path, "id,text\n../../escape,It may rain.\n/abs/olute,Fine.\n").unwrap();
    let texts = dir.path().join("t");
    slant().arg("score").arg(&csv_path).args(["-q", "-o", "-", "--write-text"]).arg(&texts).assert().success();
    // Ids changed by the escaping get 8 hex digits of their SHA-256, so
    // that `../x` and `x` cannot share a file.
    let named = |folder: &std::path::Path, stem: &str| {
        fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                name.strip_prefix(&format!("{stem}~"))
                    .and_then(|r| r.strip_suffix(".txt"))
                    .is_some_and(|h| h.len() == 8 && h.chars().all(|c| c.is_ascii_hexdigit()))
            })
            .unwrap_or_else(|| panic!("no {stem}~<hash>.txt in {}", folder.display()))
    };
    assert_eq!(fs::read_to_string(named(&texts, "escape")).unwrap(), "It may rain.");
    assert_eq!(fs::read_to_string(named(&texts.join("abs"), "olute")).unwrap(), "Fine.");
    assert!(!dir.path().join("escape.txt").exists());
}
