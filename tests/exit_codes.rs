//! Runs that cannot silently lose data (issue #15): exit statuses a script
//! or Slurm can trust, the mistakes new users make and the messages that
//! say what to do, all through the real binary on data written here.
//!
//! Exit statuses: 0 everything read, 1 error (nothing written), 2 usage,
//! 3 finished with input lost (outputs written), 4 nothing usable.

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

fn rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path).unwrap().records().map(|r| r.unwrap()).collect()
}

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// `n` JSONL records with a `text` field (and a label and a group).
fn jsonl(n: usize) -> String {
    (0..n)
        .map(|i| {
            let (label, text) = if i % 2 == 0 {
                ("left", "Critics argue the plan may fail, officials said.")
            } else {
                ("right", "The senator clearly stated the budget will pass.")
            };
            format!("{{\"id\": \"d{i}\", \"text\": \"{text} Number {i}.\", \"label\": \"{label}\"}}\n")
        })
        .collect()
}

/// A `.jsonl.gz` of 400 records cut in half: a truncated download.
fn truncated_gz(dir: &Path) -> PathBuf {
    let path = dir.join("t.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(jsonl(400).as_bytes()).unwrap();
    let bytes = enc.finish().unwrap();
    fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    path
}

// ---------------------------------------------------------------- item 1

#[test]
fn a_truncated_gz_exits_3_with_the_output_written_and_allow_skips_exits_0() {
    // Before: "cannot read further, rest of the file skipped: incomplete deflate stream", exit 0.
    let dir = tempfile::tempdir().unwrap();
    let gz = truncated_gz(dir.path());
    let (out, errors) = (dir.path().join("o.csv"), dir.path().join("e.csv"));
    let a = slant()
        .arg("score")
        .arg(&gz)
        .arg("-o")
        .arg(&out)
        .arg("--errors")
        .arg(&errors)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("the compressed file is truncated or corrupt"))
        .stderr(predicate::str::contains("input lost: 1 record(s) or file(s) skipped"))
        .stderr(predicate::str::contains("--allow-skips"));
    let n = rows(&out).len();
    assert!(n > 0 && n < 400, "the records before the damage are written ({n})");
    assert_eq!(rows(&errors).len(), 1, "the errors file is complete");
    assert!(stderr_of(&a).contains(&format!("scored {n} document(s), skipped 1")));

    slant().arg("score").arg(&gz).arg("-o").arg(&out).arg("--allow-skips").assert().code(0);
    assert_eq!(rows(&out).len(), n);
}

#[test]
fn skipped_records_and_unreadable_files_exit_3_and_a_clean_run_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    // A bad JSONL line.
    let bad = dir.path().join("bad.jsonl");
    fs::write(&bad, format!("{}not json\n", jsonl(3))).unwrap();
    slant().arg("score").arg(&bad).args(["-o", "-", "-q"]).assert().code(3);
    // An unreadable file in a folder.
    let folder = dir.path().join("f");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("a.txt"), "It may rain.").unwrap();
    fs::write(folder.join("b.txt.gz"), b"\x1f\x8b\x08\x00garbage").unwrap();
    slant().arg("score").arg(&folder).args(["-o", "-"]).assert().code(3);
    // Everything read.
    fs::remove_file(folder.join("b.txt.gz")).unwrap();
    slant().arg("score").arg(&folder).args(["-o", "-"]).assert().code(0);
}

#[test]
fn every_corpus_subcommand_exits_3_on_lost_input_0_with_allow_skips_and_4_on_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.jsonl");
    fs::write(&good, jsonl(40)).unwrap();
    let model = dir.path().join("m.json");
    slant().arg("train").arg(&good).args(["--cv", "0", "--min-df", "1", "-q", "-o"]).arg(&model).assert().code(0);
    // The broken record comes early: `explain` stops after --limit 20 documents.
    let bad = dir.path().join("bad.jsonl");
    let mut lines: Vec<String> = jsonl(40).lines().map(String::from).collect();
    lines.insert(2, "{broken".into());
    fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let m = model.to_str().unwrap();
    let out = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let commands: Vec<Vec<String>> = vec![
        vec!["score".into(), "-o".into(), out("s.csv")],
        vec!["tokens".into(), "-o".into(), out("t.csv")],
        vec!["report".into(), "-o".into(), out("r.html")],
        vec!["explain".into(), "--color".into(), "never".into()],
        vec!["train".into(), "--cv".into(), "0".into(), "--min-df".into(), "1".into(), "-o".into(), out("m2.json")],
        vec!["eval".into(), m.into(), "-o".into(), out("metrics.csv")],
        vec![
            "keyness".into(),
            "--group-col".into(),
            "label".into(),
            "--target".into(),
            "left".into(),
            "--reference".into(),
            "right".into(),
            "-o".into(),
            out("k.csv"),
        ],
    ];
    for args in &commands {
        // eval takes the model before the inputs.
        let with_input = |input: &Path| {
            let mut v = args.clone();
            let at = if v[0] == "eval" { 2 } else { 1 };
            v.insert(at, input.to_string_lossy().into_owned());
            v
        };
        slant().args(with_input(&good)).arg("-q").assert().code(0);
        slant()
            .args(with_input(&bad))
            .assert()
            .code(3)
            .stderr(predicate::str::contains("bad.jsonl:3: not valid JSON"))
            .stderr(predicate::str::contains("Exit status 3"));
        slant().args(with_input(&bad)).args(["--allow-skips", "-q"]).assert().code(0);
        slant()
            .args(with_input(&empty))
            .assert()
            .code(4)
            .stderr(predicate::str::contains("no documents").and(predicate::str::contains("holds no files")));
    }
}

#[test]
fn a_shard_or_a_resumed_run_with_nothing_left_to_score_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, jsonl(2)).unwrap();
    // With 2 documents and 8 shards, most shards are empty: still exit 0.
    let mut empty_shards = 0;
    for k in 1..=8 {
        let a = slant().arg("score").arg(&input).args(["--shard", &format!("{k}/8"), "-o", "-"]).assert().code(0);
        empty_shards += stderr_of(&a).contains("scored 0 document(s)") as usize;
    }
    assert!(empty_shards >= 6, "{empty_shards}");
    let out = dir.path().join("o.csv");
    slant().arg("score").arg(&input).arg("-o").arg(&out).assert().code(0);
    slant().arg("score").arg(&input).arg("-o").arg(&out).arg("--resume").assert().code(0);
    assert_eq!(rows(&out).len(), 2);
}

#[test]
fn usage_errors_exit_2_and_strict_stops_exit_1_at_the_first_bad_record_only() {
    slant().args(["score", "--no-such-option", "x"]).assert().code(2);
    // Before: --strict printed every "skipped" line before failing.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    fs::write(&bad, format!("{}not json 1\nnot json 2\nnot json 3\n", jsonl(2))).unwrap();
    let a = slant().arg("score").arg(&bad).args(["--strict", "-o"]).arg(dir.path().join("o.csv")).assert().code(1);
    let err = stderr_of(&a);
    assert_eq!(err.lines().count(), 1, "one line, the first bad record: {err}");
    assert!(err.contains("bad.jsonl:3: not valid JSON") && !err.contains("skipped"), "{err}");
    assert!(!dir.path().join("o.csv").exists(), "nothing written");
}

#[test]
fn help_documents_every_exit_status() {
    let a = slant().arg("--help").assert().code(0);
    let help = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    for line in ["Exit status", "  0  ", "  1  ", "  2  ", "  3  ", "  4  ", "--allow-skips"] {
        assert!(help.contains(line), "--help lacks {line:?}");
    }
}

// ---------------------------------------------------------------- item 2

#[test]
fn a_folder_without_txt_files_is_an_error_naming_what_it_holds_and_how_to_read_it() {
    // Before: "scored 0 document(s), skipped 0", exit 0, a header-only CSV.
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("site");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("a.xml"), "<p>Officials said it may fail.</p>").unwrap();
    fs::write(folder.join("b.md"), "# Notes\n\nCritics argue it may fail.").unwrap();
    fs::write(folder.join(".DS_Store"), "x").unwrap();
    let out = dir.path().join("o.csv");
    slant()
        .arg("score")
        .arg(&folder)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("has no .txt or .html files"))
        .stderr(predicate::str::contains("2 file(s)"))
        .stderr(predicate::str::contains("1 .md, 1 .xml"))
        .stderr(predicate::str::contains("--input-format txt"))
        .stderr(predicate::str::contains("convert other XML to text"))
        .stderr(predicate::str::contains(".DS_Store").not());
    assert!(!out.exists(), "no header-only output");
    // What the message says to do works.
    slant().arg("score").arg(&folder).args(["--input-format", "txt", "-o"]).arg(&out).assert().code(0);
    assert_eq!(rows(&out).len(), 2);
}

#[test]
fn files_a_folder_reader_ignores_are_counted_and_named() {
    // Before: the .md file of a mixed folder was dropped without a word.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "Officials said it may fail.").unwrap();
    fs::write(dir.path().join("b.md"), "Critics argue it may fail.").unwrap();
    fs::write(dir.path().join("c.csv"), "id,text\n1,x\n").unwrap();
    slant()
        .arg("score")
        .arg(dir.path())
        .args(["-o", "-"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("ignored 2 file(s)"))
        .stderr(predicate::str::contains("b.md").and(predicate::str::contains("c.csv")))
        .stderr(predicate::str::contains("1 .csv, 1 .md"))
        .stderr(predicate::str::contains("scored 1 document(s)"));
}

// ---------------------------------------------------------------- item 3

#[test]
fn a_jsonl_text_field_no_record_has_is_one_error_listing_the_fields_as_csv_does() {
    // Before: one "skipped" line per record, then exit 0 with 0 documents.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let body: String = (0..500).map(|i| format!("{{\"id\": {i}, \"body\": \"It may rain.\"}}\n")).collect();
    fs::write(&input, body).unwrap();
    let a = slant()
        .arg("score")
        .arg(&input)
        .args(["-o", "-"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no text field 'text' in the first 100 record(s); fields are: 'body', 'id'"))
        .stderr(predicate::str::contains("--text-field"));
    assert_eq!(stderr_of(&a).lines().count(), 1, "one message, not one per record");
    // The same mistake in a CSV: the same exit status, the columns listed.
    let csv = dir.path().join("in.csv");
    fs::write(&csv, "id,body\n1,It may rain.\n").unwrap();
    slant()
        .arg("score")
        .arg(&csv)
        .args(["-o", "-"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("text column 'text' not found; columns are: 'id', 'body'"));
}

#[test]
fn a_misspelled_jsonl_id_field_is_an_error_not_record_numbers() {
    // Before: silently fell back to record numbers (exit 0), breaking joins.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, jsonl(5)).unwrap();
    slant().arg("score").arg(&input).args(["--id-field", "ident", "-o", "-"]).assert().code(4).stderr(
        predicate::str::contains("no id field 'ident' in the first 5 record(s); fields are: 'id', 'label', 'text'"),
    );
    let csv = dir.path().join("in.csv");
    fs::write(&csv, "id,text\n1,It may rain.\n").unwrap();
    slant()
        .arg("score")
        .arg(&csv)
        .args(["--id-col", "ident", "-o", "-"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("id column 'ident' not found"));
}

#[test]
fn repeated_per_record_messages_are_summarised_and_the_errors_file_keeps_all() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let bad: String = (0..50).map(|i| format!("{{\"id\": \"x{i}\", \"body\": \"no text\"}}\n")).collect();
    fs::write(&input, format!("{}{bad}", jsonl(3))).unwrap();
    let errors = dir.path().join("e.csv");
    let a = slant()
        .arg("score")
        .arg(&input)
        .args(["-o", "-", "--errors"])
        .arg(&errors)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("further skipped records not shown"))
        .stderr(predicate::str::contains("50 record(s) or file(s) skipped, 40 of them not shown above"))
        .stderr(predicate::str::contains(errors.to_str().unwrap()));
    let err = stderr_of(&a);
    assert_eq!(err.matches("slant: skipped:").count(), 10, "{err}");
    assert_eq!(rows(&errors).len(), 50, "the errors file keeps every record");
}

// ---------------------------------------------------------------- item 4

#[test]
fn model_takes_several_files_as_a_shell_glob_gives_them() {
    // Before: `--model models/*.json` applied the first model and read the others as input documents.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, jsonl(2)).unwrap();
    let out = dir.path().join("o.csv");
    // What `--model models/*.json` (a glob) passes.
    slant()
        .arg("score")
        .arg(&input)
        .args(["--model", "models/bias.json", "models/subjectivity.json", "-o"])
        .arg(&out)
        .current_dir(root())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("scored 2 document(s), skipped 0"));
    let header = csv::Reader::from_path(&out).unwrap().headers().unwrap().clone();
    assert!(header.iter().any(|h| h.starts_with("p_bias_")) && header.iter().any(|h| h.starts_with("p_subjectivity_")));
    // An input placed right after the models is read as one: the usage
    // error says so; a folder given to --model is refused with the same hint.
    slant()
        .args(["score", "--model", "models/bias.json"])
        .arg(&input)
        .current_dir(root())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("put the inputs first"));
    slant()
        .arg("score")
        .arg(&input)
        .args(["--model", "models/bias.json", "datasets/examples"])
        .current_dir(root())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--model datasets/examples: not a model file"));
}

#[test]
fn an_input_that_is_a_model_file_is_refused() {
    let a = slant().args(["score", "datasets/examples", "models/bias.json", "-o", "-"]).current_dir(root()).assert();
    a.code(4)
        .stderr(predicate::str::contains("models/bias.json: a slant model file, not a corpus: apply it with --model"));
}

// ---------------------------------------------------------------- item 5

#[test]
fn standard_input_that_looks_like_a_table_gets_a_warning_naming_input_format() {
    // Before: one document of the whole CSV, no hint.
    for (input, format) in [
        ("id,text,outlet\n1,It may rain.,a\n2,Officials said so.,b\n", "csv"),
        ("id\ttext\n1\tIt may rain.\n", "tsv"),
        ("{\"id\": 1, \"text\": \"It may rain.\"}\n", "jsonl"),
    ] {
        slant()
            .args(["score", "-", "-o", "-"])
            .write_stdin(input)
            .assert()
            .code(0)
            .stderr(predicate::str::contains(format!("pass --input-format {format}")));
        // Read as that format, no warning.
        slant()
            .args(["score", "-", "--input-format", format, "-o", "-"])
            .write_stdin(input)
            .assert()
            .code(0)
            .stderr(predicate::str::contains("--input-format").not());
    }
    let prose = "Officials said, on Monday, that the plan may fail.\nCritics argue it will.\n";
    slant()
        .args(["score", "-", "-o", "-"])
        .write_stdin(prose)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("--input-format").not());
}

// ---------------------------------------------------------------- item 6

#[test]
fn messages_name_the_label_and_group_options_in_train_eval_and_keyness() {
    // Before: "kept column 'leaning' not found".
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("in.csv");
    fs::write(&csv, "id,text,label\n1,It may rain.,a\n2,Officials said so.,b\n").unwrap();
    let jsonl_path = dir.path().join("in.jsonl");
    fs::write(&jsonl_path, jsonl(4)).unwrap();
    for input in [&csv, &jsonl_path] {
        let m = dir.path().join("m.json");
        slant()
            .arg("train")
            .arg(input)
            .args(["--label-col", "leaning", "-o"])
            .arg(&m)
            .assert()
            .code(4)
            .stderr(predicate::str::contains("label").and(predicate::str::contains("'leaning'")))
            .stderr(predicate::str::contains("(choose one with --label-col)"))
            .stderr(predicate::str::contains("kept column").not());
        slant()
            .arg("train")
            .arg(input)
            .args(["--group-col", "outlet", "-o"])
            .arg(&m)
            .assert()
            .code(4)
            .stderr(predicate::str::contains("group").and(predicate::str::contains("'outlet'")))
            .stderr(predicate::str::contains("(choose one with --group-col)"));
        slant()
            .args(["eval", "models/bias.json"])
            .arg(input)
            .args(["--label-col", "leaning"])
            .current_dir(root())
            .assert()
            .code(4)
            .stderr(predicate::str::contains("(choose one with --label-col)"));
        slant()
            .arg("keyness")
            .arg(input)
            .args(["--group-col", "leaning", "--target", "a", "--reference", "b"])
            .assert()
            .code(4)
            .stderr(predicate::str::contains("(choose one with --group-col)"));
    }
}

#[test]
fn workbooks_get_a_message_saying_what_to_do() {
    // Before: .xlsx "cannot tell the format ... use --input-format" (then binary junk
    // as CSV).
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("book.xlsx");
    fs::write(&xlsx, b"PK\x03\x04\x14\x00\x06\x00binary workbook").unwrap();
    for extra in [&[][..], &["--input-format", "csv"][..]] {
        slant()
            .arg("score")
            .arg(&xlsx)
            .args(extra)
            .args(["-o", "-"])
            .assert()
            .code(4)
            .stderr(predicate::str::contains("save it as CSV"));
    }
    // A workbook under another name, read as CSV: known by its bytes.
    let renamed = dir.path().join("book.csv");
    fs::copy(&xlsx, &renamed).unwrap();
    slant()
        .arg("score")
        .arg(&renamed)
        .args(["-o", "-"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("save it as CSV"));
    // JSON arrays and pretty-printed JSON are read since #14 (tests/inputs.rs).
}

// ---------------------------------------------------------------- item 7

#[test]
fn the_rule_column_keeps_lexicon_syntax_but_no_formula_gets_through() {
    // Before: the rule column showed `'=Democrats`, so filtering on the rule found nothing.
    let dir = tempfile::tempdir().unwrap();
    let lexicon = dir.path().join("lex.tsv");
    fs::write(
        &lexicon,
        "@category\tloaded\tLoaded words.\n@subcategory\tloaded\tword\tA word.\n\
         =HYPERLINK (\tloaded\tword\ta pattern a spreadsheet would run\n=Democrats\tloaded\tword\tx\n",
    )
    .unwrap();
    let input = dir.path().join("t.txt");
    fs::write(&input, "Democrats said HYPERLINK ( it.\n").unwrap();
    let matches = dir.path().join("m.csv");
    let rules = |extra: &[&str]| -> Vec<(String, String)> {
        slant()
            .arg("score")
            .arg(&input)
            .arg("--lexicon")
            .arg(&lexicon)
            .args(["-q", "-o", "-", "--matches"])
            .arg(&matches)
            .args(extra)
            .assert()
            .code(0);
        let text = fs::read_to_string(&matches).unwrap();
        let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        r.records().map(|x| x.unwrap()).map(|r| (r[6].to_string(), r[8].to_string())).collect()
    };
    let plain = rules(&[]);
    assert!(plain.contains(&("=Democrats".into(), "Democrats".into())), "{plain:?}");
    assert!(plain.contains(&("'=HYPERLINK (".into(), "HYPERLINK (".into())), "a formula is guarded: {plain:?}");
    let excel = rules(&["--excel"]);
    assert!(excel.contains(&("'=Democrats".into(), "Democrats".into())), "{excel:?}");
    assert!(excel.contains(&("'=HYPERLINK (".into(), "HYPERLINK (".into())), "{excel:?}");
    let raw = rules(&["--raw-text"]);
    assert!(raw.contains(&("=HYPERLINK (".into(), "HYPERLINK (".into())), "{raw:?}");
}

#[test]
fn a_standard_error_closed_by_its_reader_does_not_turn_lost_input_into_a_panic() {
    // Before: `slant ... 2>&1 | head` panicked (exit 101) at the first
    // "skipped" line written after the reader had gone.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, format!("{}not json\n", jsonl(2))).unwrap();
    let status_file = dir.path().join("status");
    let bin = assert_cmd::cargo::cargo_bin("slant");
    // `true` exits at once, long before slant has loaded its lexicons.
    std::process::Command::new("sh")
        .arg("-c")
        .arg("{ \"$0\" score \"$1\" -o /dev/null 2>&1 >/dev/null; echo $? > \"$2\"; } | true")
        .arg(&bin)
        .arg(&input)
        .arg(&status_file)
        .status()
        .unwrap();
    assert_eq!(fs::read_to_string(&status_file).unwrap().trim(), "3");
}
