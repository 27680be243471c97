//! End-to-end tests through the real `slant` binary.

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

fn column(header: &[String], rows: &[Vec<String>], name: &str) -> Vec<String> {
    let i = header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    rows.iter().map(|r| r[i].clone()).collect()
}

/// The `doc_id` column of a CSV output (or of an errors file).
fn doc_ids(path: &Path) -> Vec<String> {
    let (h, rows) = read_csv(path);
    column(&h, &rows, "doc_id")
}

/// Golden files: `SLANT_BLESS=1 cargo test --test cli` rewrites them after
/// an intended change (review the diff before committing).
fn assert_golden(produced: &Path, golden: &str) {
    let path = root().join("tests/golden").join(golden);
    let got = fs::read_to_string(produced).unwrap();
    if std::env::var_os("SLANT_BLESS").is_some() {
        fs::write(&path, &got).unwrap();
        return;
    }
    let want = fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing golden file {}; run with SLANT_BLESS=1", path.display()));
    if got != want {
        let line = got.lines().zip(want.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{golden} differs from the golden file at line {}:\n got: {}\nwant: {}\n(if intended, rerun with SLANT_BLESS=1 and review the diff)",
            line + 1,
            got.lines().nth(line).unwrap_or(""),
            want.lines().nth(line).unwrap_or("")
        );
    }
}

#[test]
fn golden_scores_sentences_and_matches_on_the_example_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let (o, s, m) = (dir.path().join("scores.csv"), dir.path().join("sentences.csv"), dir.path().join("matches.csv"));
    let src = dir.path().join("sources.csv");
    slant()
        .args(["score", "datasets/examples", "--threads", "2", "-o"])
        .arg(&o)
        .arg("--sentences")
        .arg(&s)
        .arg("--matches")
        .arg(&m)
        .arg("--sources")
        .arg(&src)
        .current_dir(root())
        .assert()
        .success()
        .stderr(predicate::str::contains("scored 16 document(s), skipped 0"));
    assert_golden(&o, "examples_scores.csv");
    assert_golden(&s, "examples_sentences.csv");
    assert_golden(&m, "examples_matches.csv");
    assert_golden(&src, "examples_sources.csv");
    // A manifest beside each output.
    for out in [&o, &s, &m, &src] {
        let manifest: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(format!("{}.manifest.json", out.display())).unwrap()).unwrap();
        assert_eq!(manifest["slant_version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(manifest["documents_scored"], 16);
        assert_eq!(manifest["lexicons"][0]["source"], "builtin:framing.tsv");
        assert_eq!(manifest["lexicons"][0]["sha256"].as_str().unwrap().len(), 64);
        assert!(manifest["command_line"].as_array().unwrap().iter().any(|a| a == "score"));
    }
}

#[test]
fn matches_point_at_their_text_and_sum_to_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (o, m) = (dir.path().join("scores.csv"), dir.path().join("matches.csv"));
    slant()
        .args(["score", "datasets/examples", "-q", "-o"])
        .arg(&o)
        .arg("--matches")
        .arg(&m)
        .current_dir(root())
        .assert()
        .success();
    let (mh, mrows) = read_csv(&m);
    let (sh, srows) = read_csv(&o);
    let idx = |h: &[String], n: &str| h.iter().position(|x| x == n).unwrap();
    for r in &mrows {
        let doc = fs::read_to_string(root().join("datasets/examples").join(format!("{}.txt", r[idx(&mh, "doc_id")])))
            .unwrap();
        let text = slant::text::normalize::normalize_str(&doc);
        let (a, b): (usize, usize) =
            (r[idx(&mh, "char_start")].parse().unwrap(), r[idx(&mh, "char_end")].parse().unwrap());
        let span: String = text.chars().skip(a).take(b - a).collect();
        assert_eq!(span, r[idx(&mh, "matched_text")]);
    }
    // hedge_n = number of non-negated hedge rows in the evidence file.
    for row in &srows {
        let id = &row[idx(&sh, "doc_id")];
        for cat in ["hedge", "booster", "sourcing", "attribution"] {
            let n = mrows
                .iter()
                .filter(|r| {
                    &r[idx(&mh, "doc_id")] == id && r[idx(&mh, "category")] == cat && r[idx(&mh, "negated")] == "0"
                })
                .count();
            assert_eq!(row[idx(&sh, &format!("{cat}_n"))], n.to_string(), "{cat}_n of {id}");
        }
    }
}

#[test]
fn csv_jsonl_gz_and_folder_inputs_give_the_same_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("folder.csv");
    let csv_out = dir.path().join("csv.csv");
    let jsonl_out = dir.path().join("jsonl.csv");
    slant().args(["score", "datasets/examples", "-q", "-o"]).arg(&folder).current_dir(root()).assert().success();
    slant()
        .args([
            "score",
            "datasets/examples-csv/articles.csv",
            "--id-col",
            "id",
            "--text-col",
            "body",
            "--keep-cols",
            "outlet,date",
            "-q",
            "-o",
        ])
        .arg(&csv_out)
        .current_dir(root())
        .assert()
        .success();
    // gzip the JSONL on the fly
    let gz = dir.path().join("articles.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(fs::File::create(&gz).unwrap(), flate2::Compression::default());
    enc.write_all(&fs::read(root().join("datasets/examples-csv/articles.jsonl")).unwrap()).unwrap();
    enc.finish().unwrap();
    slant().arg("score").arg(&gz).args(["--text-field", "text", "-q", "-o"]).arg(&jsonl_out).assert().success();

    let (fh, frows) = read_csv(&folder);
    let (ch, crows) = read_csv(&csv_out);
    let (jh, jrows) = read_csv(&jsonl_out);
    assert_eq!(&ch[..3], &["doc_id".to_string(), "outlet".into(), "date".into()]);
    assert!(column(&ch, &crows, "outlet").iter().all(|o| !o.is_empty()));
    for name in [
        "doc_id",
        "n_words",
        "n_sentences",
        "n_quoted_words",
        "hedge_n",
        "booster_per1k",
        "sourcing_named_n",
        "party_balance",
    ] {
        assert_eq!(column(&fh, &frows, name), column(&ch, &crows, name), "{name}: folder vs csv");
        assert_eq!(column(&fh, &frows, name), column(&jh, &jrows, name), "{name}: folder vs jsonl.gz");
    }
}

#[test]
fn stdin_tsv_index_columns_bom_and_crlf() {
    let out = slant()
        .args(["score", "-", "-q"])
        .write_stdin("It may rain, officials said.\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("doc_id,n_words,"));
    assert!(lines.next().unwrap().starts_with("stdin,5,1,0,"));

    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("in.tsv");
    fs::write(&tsv, "\u{feff}key\tbody\tsource\r\na1\tThey may win.\tX\r\nshort\r\na2\tClearly, it is over.\tY\r\n")
        .unwrap();
    let assert = slant()
        .arg("score")
        .arg(&tsv)
        .args(["--id-col", "1", "--text-col", "2", "--keep-cols", "source"])
        .assert()
        .code(3); // finished, input lost (records skipped)
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("in.tsv:3 (document 'short'): row has 1 field(s) but the header has 3"), "{stderr}");
    let text = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert!(rows[0].starts_with("doc_id,source,n_words"));
    assert!(rows[1].starts_with("a1,X,3,1,"), "{}", rows[1]);
    assert!(rows[2].starts_with("a2,Y,4,1,"), "{}", rows[2]);
}

#[test]
fn missing_text_column_lists_the_columns_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scores.csv");
    slant()
        .args(["score", "datasets/examples-csv/articles.csv", "--text-col", "bdy", "-o"])
        .arg(&out)
        .current_dir(root())
        .assert()
        .failure()
        .code(4) // nothing usable: the text column is not there
        .stderr(predicate::str::contains(
            "text column 'bdy' not found; columns are: 'id', 'outlet', 'date', 'kind', 'body'",
        ));
    assert!(!out.exists(), "no half-written output");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "no temporary files left behind");
}

#[test]
fn a_bad_jsonl_line_is_skipped_unless_strict_and_old_output_survives() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, "{\"id\": \"a\", \"text\": \"Critics argue it may fail.\"}\nnot json\n{\"id\": \"c\", \"body\": \"x\"}\n{\"id\": 4, \"text\": \"Fine.\"}\n").unwrap();
    let out = dir.path().join("scores.csv");
    let errors = dir.path().join("errors.csv");
    slant()
        .arg("score")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--errors")
        .arg(&errors)
        .assert()
        .code(3) // finished, input lost (records skipped)
        .stderr(predicate::str::contains("in.jsonl:2: not valid JSON"))
        .stderr(predicate::str::contains("in.jsonl:3 (document 'c'): no field 'text'"))
        .stderr(predicate::str::contains("scored 2 document(s), skipped 2"));
    let (h, rows) = read_csv(&out);
    assert_eq!(column(&h, &rows, "doc_id"), vec!["a", "4"]);
    let (_, err_rows) = read_csv(&errors);
    assert_eq!(err_rows.len(), 2);

    let before = fs::read(&out).unwrap();
    slant()
        .arg("score")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--strict")
        .assert()
        .failure()
        .code(1)
        .stderr(predicate::str::contains("not valid JSON"));
    assert_eq!(fs::read(&out).unwrap(), before, "the previous output is intact after a failed run");
}

#[test]
fn codebook_lists_every_column_in_header_order() {
    let dir = tempfile::tempdir().unwrap();
    let (o, s, m, cb) =
        (dir.path().join("o.csv"), dir.path().join("s.csv"), dir.path().join("m.csv"), dir.path().join("cb.csv"));
    let (src, errors) = (dir.path().join("src.csv"), dir.path().join("errors.csv"));
    slant()
        .args([
            "score",
            "datasets/examples-csv/articles.csv",
            "--text-col",
            "body",
            "--keep-cols",
            "outlet",
            "-q",
            "-o",
        ])
        .arg(&o)
        .arg("--sentences")
        .arg(&s)
        .arg("--matches")
        .arg(&m)
        .arg("--sources")
        .arg(&src)
        .arg("--errors")
        .arg(&errors)
        .current_dir(root())
        .assert()
        .success();
    slant().args(["codebook", "--keep-cols", "outlet", "-o"]).arg(&cb).assert().success();
    let (_, cb_rows) = read_csv(&cb);
    for (file, path) in [("scores", &o), ("sentences", &s), ("matches", &m), ("sources", &src), ("errors", &errors)] {
        let (header, _) = read_csv(path);
        let listed: Vec<String> = cb_rows.iter().filter(|r| r[0] == file).map(|r| r[1].clone()).collect();
        assert_eq!(header, listed, "codebook for {file}");
    }
    assert!(cb_rows.iter().all(|r| !r[5].is_empty()), "every column has a definition");
}

#[test]
fn docs_codebook_is_up_to_date() {
    let out = slant().args(["codebook", "--markdown"]).assert().success().get_output().stdout.clone();
    let doc = fs::read_to_string(root().join("docs/CODEBOOK.md")).unwrap();
    assert!(
        doc == String::from_utf8(out).unwrap(),
        "docs/CODEBOOK.md is stale: run `slant codebook --markdown -o docs/CODEBOOK.md`"
    );
}

#[test]
fn explain_marks_matches_without_colour_when_piped() {
    slant()
        .args(["explain", "datasets/examples/hedged-outbreak.txt"])
        .current_dir(root())
        .assert()
        .success()
        .stdout(predicate::str::contains("=== hedged-outbreak"))
        .stdout(predicate::str::contains("{hedge/"))
        .stdout(predicate::str::contains("--- sentences"))
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn custom_lexicon_errors_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let lex = dir.path().join("lex.tsv");
    fs::write(&lex, "@category\thedge\tx\n@subcategory\thedge\tmodal\tx\nmay\thedge\tmodal\nmight\thedge\tmodl\n")
        .unwrap();
    slant()
        .args(["score", "-", "--lexicon"])
        .arg(&lex)
        .write_stdin("x")
        .assert()
        .failure()
        .stderr(predicate::str::contains("lex.tsv:4: unknown subcategory 'modl' of 'hedge' (declared: modal)"));
}

#[test]
fn thread_count_does_not_change_output() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    let (ma, mb) = (dir.path().join("ma.csv"), dir.path().join("mb.csv"));
    slant()
        .args(["score", "datasets/examples", "-q", "--threads", "1", "-o"])
        .arg(&a)
        .arg("--matches")
        .arg(&ma)
        .current_dir(root())
        .assert()
        .success();
    slant()
        .args(["score", "datasets/examples", "-q", "--threads", "3", "-o"])
        .arg(&b)
        .arg("--matches")
        .arg(&mb)
        .current_dir(root())
        .assert()
        .success();
    assert_eq!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
    assert_eq!(fs::read(&ma).unwrap(), fs::read(&mb).unwrap());
}

#[test]
fn empty_document_has_zero_words_and_empty_rates() {
    let out = slant().args(["score", "-", "-q"]).write_stdin("   \n").assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    let get = |n: &str| row.get(h.iter().position(|x| x == n).unwrap()).unwrap().to_string();
    assert_eq!(get("n_words"), "0");
    assert_eq!(get("hedge_per1k"), "");
    assert_eq!(get("party_balance"), "");
    assert!(!text.contains("NaN"));
}

#[test]
fn writing_to_a_device_leaves_the_device_alone() {
    slant().args(["score", "-", "-q", "-o", "/dev/null"]).write_stdin("It may rain.").assert().success();
    let meta = fs::metadata("/dev/null").unwrap();
    assert!(!meta.is_file(), "/dev/null must stay a device");
    assert!(!Path::new("/dev/null.manifest.json").exists());
}

#[cfg(unix)]
#[test]
fn outputs_are_readable_by_others() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.csv");
    slant().args(["score", "-", "-q", "-o"]).arg(&out).write_stdin("x").assert().success();
    assert_eq!(fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o644);
}

#[test]
fn a_truncated_gz_is_skipped_and_other_inputs_are_scored() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("t.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..400 {
        writeln!(enc, "{{\"id\": \"r{i}\", \"text\": \"Officials said the plan may change, number {i}.\"}}").unwrap();
    }
    let bytes = enc.finish().unwrap();
    fs::write(&gz, &bytes[..bytes.len() / 2]).unwrap();
    let out = dir.path().join("o.csv");
    let errors = dir.path().join("e.csv");
    slant()
        .args(["score", "datasets/examples"])
        .arg(&gz)
        .arg("-o")
        .arg(&out)
        .arg("--errors")
        .arg(&errors)
        .current_dir(root())
        .assert()
        .code(3) // finished, input lost (records skipped)
        .stderr(predicate::str::contains("the compressed file is truncated or corrupt"));
    let (h, rows) = read_csv(&out);
    let ids = column(&h, &rows, "doc_id");
    assert!(ids.contains(&"wire-report-bridge".to_string()), "other inputs are scored");
    assert!(ids.contains(&"r0".to_string()), "records before the damage are kept");
    let (_, errs) = read_csv(&errors);
    assert_eq!(errs.len(), 1);
}

#[test]
fn shards_partition_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let all = dir.path().join("all.csv");
    slant().args(["score", "datasets/examples", "-q", "-o"]).arg(&all).current_dir(root()).assert().success();
    let (h, rows) = read_csv(&all);
    let mut union: Vec<Vec<String>> = Vec::new();
    for k in 1..=3 {
        let out = dir.path().join(format!("s{k}.csv"));
        slant()
            .args(["score", "datasets/examples", "-q", "--shard", &format!("{k}/3"), "-o"])
            .arg(&out)
            .current_dir(root())
            .assert()
            .success();
        let (sh, srows) = read_csv(&out);
        assert_eq!(sh, h);
        union.extend(srows);
    }
    union.sort();
    let mut expected = rows.clone();
    expected.sort();
    assert_eq!(union, expected, "the shards together are the whole corpus, each document once");
    slant()
        .args(["score", "-", "--shard", "4/3"])
        .write_stdin("x")
        .assert()
        .failure()
        .stderr(predicate::str::contains("1 <= K <= N"));
}

#[test]
fn resume_continues_a_killed_run_to_the_same_output() {
    let dir = tempfile::tempdir().unwrap();
    let (full, fullm) = (dir.path().join("full.csv"), dir.path().join("fullm.csv"));
    slant()
        .args(["score", "datasets/examples", "-q", "-o"])
        .arg(&full)
        .arg("--matches")
        .arg(&fullm)
        .current_dir(root())
        .assert()
        .success();
    let full_text = fs::read_to_string(&full).unwrap();
    let fullm_text = fs::read_to_string(&fullm).unwrap();
    // Simulate a kill: 5 complete document rows and half of the 6th; the
    // matches file already holds rows of documents 6-8.
    let lines: Vec<&str> = full_text.lines().collect();
    let (out, m) = (dir.path().join("out.csv"), dir.path().join("m.csv"));
    fs::write(&out, format!("{}\n{}", lines[..6].join("\n"), &lines[6][..10])).unwrap();
    let done: Vec<&str> = lines[1..9].iter().map(|l| l.split(',').next().unwrap()).collect();
    let mut r = csv::Reader::from_reader(fullm_text.as_bytes());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(r.headers().unwrap()).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        if done.contains(&rec.get(0).unwrap()) {
            w.write_record(&rec).unwrap();
        }
    }
    fs::write(&m, w.into_inner().unwrap()).unwrap();
    // The interrupted run had recorded its options (same as the full run's).
    fs::copy(dir.path().join("full.csv.manifest.json"), dir.path().join("out.csv.manifest.json")).unwrap();
    slant()
        .args(["score", "datasets/examples", "--resume", "-o"])
        .arg(&out)
        .arg("--matches")
        .arg(&m)
        .current_dir(root())
        .assert()
        .success()
        .stderr(predicate::str::contains("resuming: 5 document(s)"))
        .stderr(predicate::str::contains("scored 11 document(s) (5 already done)"));
    assert_eq!(fs::read_to_string(&out).unwrap(), full_text);
    assert_eq!(fs::read_to_string(&m).unwrap(), fullm_text);
    // Nothing left to do: a second resume changes nothing.
    slant()
        .args(["score", "datasets/examples", "--resume", "-q", "-o"])
        .arg(&out)
        .arg("--matches")
        .arg(&m)
        .current_dir(root())
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&out).unwrap(), full_text);
    slant()
        .args(["score", "-", "--resume"])
        .write_stdin("x")
        .assert()
        .failure()
        .stderr(predicate::str::contains("--resume needs an output file"));
}

#[test]
fn formula_like_cells_are_neutralised_unless_raw_and_excel_gets_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    fs::write(&input, "id,text,outlet\n=HYPERLINK(\"x\"),It may rain.,+Daily\n-5,Fine.,@home\n").unwrap();
    let out = slant()
        .arg("score")
        .arg(&input)
        .args(["--keep-cols", "outlet", "-q"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(&rows[0][0], "'=HYPERLINK(\"x\")");
    assert_eq!(&rows[0][1], "'+Daily");
    assert_eq!(&rows[1][0], "-5", "a number is no formula: ids join back");
    assert_eq!(&rows[1][1], "'@home");
    assert_eq!(&rows[1][2], "1", "numbers are never altered");
    let raw = slant()
        .arg("score")
        .arg(&input)
        .args(["--keep-cols", "outlet", "-q", "--raw-text"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(raw).unwrap().contains("\n-5,@home,1,"));
    let xl = dir.path().join("xl.csv");
    slant().arg("score").arg(&input).args(["-q", "--excel", "-o"]).arg(&xl).assert().success();
    assert!(fs::read(&xl).unwrap().starts_with(b"\xEF\xBB\xBFdoc_id,"));
}

#[test]
fn utf16_input_is_transcoded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("u16.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for u in "It may rain, officials said.".encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    fs::write(&path, bytes).unwrap();
    slant().arg("score").arg(&path).arg("-q").assert().success().stdout(predicate::str::contains("\nu16,5,1,0,"));
}

#[test]
fn invalid_utf8_is_a_warning_or_an_error_under_strict() {
    slant()
        .args(["score", "-", "-o", "/dev/null"])
        .write_stdin(b"caf\xe9 may open\0 soon".to_vec())
        .assert()
        .success()
        .stderr(predicate::str::contains("invalid UTF-8 replaced by U+FFFD"))
        .stderr(predicate::str::contains("1 NUL byte(s) removed"));
    slant()
        .args(["score", "-", "--strict", "-o", "/dev/null"])
        .write_stdin(b"caf\xe9".to_vec())
        .assert()
        .failure()
        .stderr(predicate::str::contains("invalid UTF-8 replaced by U+FFFD (--strict)"));
}

#[test]
fn duplicate_ids_are_reported() {
    slant()
        .args(["score", "-", "--input-format", "csv", "-o", "/dev/null"])
        .write_stdin("id,text\na,one\na,two\n")
        .assert()
        .success()
        .stderr(predicate::str::contains("<stdin>:3: duplicate doc_id 'a'"));
}

#[test]
fn a_large_single_line_document_is_scored() {
    // 6 MB on one line, with quotes, hedges and attributions throughout.
    let unit = "Officials said the \"plan\" may fail, critics argue; Democrats and Republicans disagreed. ";
    let text = unit.repeat(6_000_000 / unit.len());
    let out = slant().args(["score", "-", "-q"]).write_stdin(text).assert().success().get_output().stdout.clone();
    let csv = String::from_utf8(out).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with("stdin,"), "{row}");
}

#[test]
fn an_unreadable_file_in_a_folder_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "It may rain.").unwrap();
    fs::write(dir.path().join("b.txt.gz"), b"\x1f\x8b\x08\x00garbage").unwrap();
    fs::write(dir.path().join("c.txt"), "Clearly fine.").unwrap();
    let out = dir.path().join("o.csv");
    slant()
        .arg("score")
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .code(3) // finished, input lost (records skipped)
        .stderr(predicate::str::contains("b.txt.gz (document 'b'): cannot open"))
        .stderr(predicate::str::contains("scored 2 document(s), skipped 1"));
}

#[test]
fn tsv_and_jsonl_formats_carry_the_same_values() {
    let input = "It may rain, officials said. \"We hope not,\" Mayor Ana Ruiz said.";
    let run = |format: &str| {
        let out = slant().args(["score", "-", "-q", "--format", format]).write_stdin(input).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let (csv_out, tsv_out, jsonl_out) = (run("csv"), run("tsv"), run("jsonl"));
    let mut r = csv::Reader::from_reader(csv_out.as_bytes());
    let header = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    assert_eq!(tsv_out.lines().next().unwrap(), header.iter().collect::<Vec<_>>().join("\t"));
    assert_eq!(tsv_out.lines().nth(1).unwrap(), row.iter().collect::<Vec<_>>().join("\t"));
    let obj: serde_json::Value = serde_json::from_str(jsonl_out.trim()).unwrap();
    for (name, value) in header.iter().zip(row.iter()) {
        let j = &obj[name];
        match j {
            serde_json::Value::Null => assert_eq!(value, "", "{name}"),
            serde_json::Value::String(s) => assert_eq!(s, value, "{name}"),
            serde_json::Value::Number(n) => assert_eq!(n.as_f64().unwrap(), value.parse::<f64>().unwrap(), "{name}"),
            other => panic!("{name}: unexpected {other}"),
        }
    }
    assert_eq!(obj["doc_id"], "stdin");
    assert!(obj["n_words"].is_number());
    slant()
        .args(["score", "-", "--format", "jsonl", "--excel"])
        .write_stdin("x")
        .assert()
        .failure()
        .stderr(predicate::str::contains("--format csv only"));
}

#[test]
fn a_csv_quote_left_open_to_the_end_of_the_file_is_reported_not_scored() {
    let dir = tempfile::tempdir().unwrap();
    // CRLF line ends: the reported line numbers must still be right.
    let csv = dir.path().join("open.csv");
    fs::write(&csv, "id,text\r\na,\"A closed field.\"\r\nb,\"A stray quote\r\nc,swallowed\r\nd,also swallowed\r\n")
        .unwrap();
    let errors = dir.path().join("errors.csv");
    let out = dir.path().join("o.csv");
    slant()
        .args(["score", "-q"])
        .arg(&csv)
        .arg("-o")
        .arg(&out)
        .arg("--errors")
        .arg(&errors)
        .assert()
        .code(3) // finished, input lost (records skipped)
        .stderr(predicate::str::contains("open.csv:3 (document 'b'): a quoted field opened on line 3 is never closed"));
    assert_eq!(doc_ids(&out), vec!["a"]);
    assert_eq!(doc_ids(&errors), vec!["b"]);
    slant().args(["score", "-q", "--strict"]).arg(&csv).arg("-o").arg(dir.path().join("s.csv")).assert().failure();

    // A quote that closes mid-field later on: read on (as RFC 4180 parsers
    // do) but the swallowing record gets a warning naming both lines.
    let stray = dir.path().join("stray.csv");
    fs::write(&stray, "id,text\na,fine\nb,\"A stray quote\nc,swallowed\nd,\"closed\" here\ne,fine\n").unwrap();
    slant()
        .args(["score"])
        .arg(&stray)
        .arg("-o")
        .arg(dir.path().join("o2.csv"))
        .assert()
        .success()
        .stderr(predicate::str::contains("quoted field opened on line 3 closes on line 5"));
    assert_eq!(doc_ids(&dir.path().join("o2.csv")), vec!["a", "b", "e"]);
}

#[test]
fn documents_over_max_doc_mb_are_skipped_and_listed_unless_the_limit_is_lifted() {
    let dir = tempfile::tempdir().unwrap();
    let big = "It may rain, officials said. ".repeat(2_000_000 / 29); // ~2 MB
    let folder = dir.path().join("docs");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("big.txt"), &big).unwrap();
    fs::write(folder.join("small.txt"), "Clearly fine.").unwrap();
    let jsonl = dir.path().join("c.jsonl");
    fs::write(
        &jsonl,
        format!("{{\"id\": \"j-big\", \"text\": \"{big}\"}}\n{{\"id\": \"j-small\", \"text\": \"Fine.\"}}\n"),
    )
    .unwrap();
    let errors = dir.path().join("errors.csv");
    let out = dir.path().join("o.csv");
    slant()
        .args(["score", "--max-doc-mb", "1", "-o"])
        .arg(&out)
        .arg("--errors")
        .arg(&errors)
        .arg(&folder)
        .arg(&jsonl)
        .assert()
        .code(3) // finished, input lost (records skipped)
        .stderr(predicate::str::contains("(document 'big'): document is over the --max-doc-mb limit of 1 MB"))
        .stderr(predicate::str::contains("(document 'j-big'): document is 2.0 MB, over the --max-doc-mb limit"))
        .stderr(predicate::str::contains("scored 2 document(s), skipped 2"));
    assert_eq!(doc_ids(&out), vec!["small", "j-small"]);
    assert_eq!(doc_ids(&errors), vec!["big", "j-big"]);
    // --strict stops at the first one; 0 lifts the limit.
    slant().args(["score", "-q", "--strict", "--max-doc-mb", "1", "-o"]).arg(&out).arg(&folder).assert().failure();
    slant().args(["score", "-q", "--max-doc-mb", "0", "-o"]).arg(&out).arg(&folder).arg(&jsonl).assert().success();
    assert_eq!(doc_ids(&out), vec!["big", "small", "j-big", "j-small"]);
}
