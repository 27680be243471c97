//! Outputs that must never destroy data, and cells that must reach the
//! researcher unchanged: driven through the real binary.

use assert_cmd::Command;
use predicates::prelude::*;
use std::ffi::OsStr;
use std::fs;
use std::path::PathBuf;

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

fn model(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models").join(name)
}

const CORPUS: &str = "id,text\n1,Officials said it might fail.\n";

/// `slant ARGS` stops with status 1, naming `why` on standard error.
fn refused(args: &[&OsStr], why: &str) {
    slant().args(args).assert().code(1).stderr(predicate::str::contains(why));
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

#[test]
fn an_output_that_is_an_input_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.csv");
    fs::write(&corpus, CORPUS).unwrap();
    refused(&[os("score"), corpus.as_os_str(), os("-q"), os("-o"), corpus.as_os_str()], "is the input file");
    assert_eq!(fs::read_to_string(&corpus).unwrap(), CORPUS);
    // Through another name of the same file (a hard link) as well, and for
    // the evidence file.
    let other = dir.path().join("other.csv");
    fs::hard_link(&corpus, &other).unwrap();
    slant().arg("score").arg(&corpus).args(["-q", "-o", "-", "--matches"]).arg(&other).assert().code(1);
    assert_eq!(fs::read_to_string(&corpus).unwrap(), CORPUS);
    // train: the labelled data is not replaced by the model file.
    let labelled = dir.path().join("lab.csv");
    let mut rows = String::from("id,text,label\n");
    for i in 0..20 {
        rows.push_str(&format!("a{i},The plan is reckless.,x\nb{i},The council met.,y\n"));
    }
    fs::write(&labelled, &rows).unwrap();
    refused(
        &[os("train"), labelled.as_os_str(), os("-q"), os("--cv"), os("0"), os("-o"), labelled.as_os_str()],
        "is the input file",
    );
    assert_eq!(fs::read_to_string(&labelled).unwrap(), rows);
}

#[test]
fn two_outputs_of_one_file_a_folder_or_another_format_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c.csv");
    fs::write(&corpus, CORPUS).unwrap();
    let out = dir.path().join("out.csv");
    refused(
        &[os("score"), corpus.as_os_str(), os("-q"), os("-o"), out.as_os_str(), os("--matches"), out.as_os_str()],
        "name the same file",
    );
    assert!(!out.exists());
    // A folder as an output: refused before the corpus is read, and no
    // other output replaced.
    let sentences = dir.path().join("sent.csv");
    fs::write(&sentences, "OLD").unwrap();
    refused(
        &[
            os("score"),
            corpus.as_os_str(),
            os("-q"),
            os("--sentences"),
            sentences.as_os_str(),
            os("--matches"),
            dir.path().as_os_str(),
        ],
        "it is a folder",
    );
    assert_eq!(fs::read_to_string(&sentences).unwrap(), "OLD");
    for name in ["s.xlsx", "s.json"] {
        slant()
            .arg("score")
            .arg(&corpus)
            .args(["-q", "-o"])
            .arg(dir.path().join(name))
            .assert()
            .code(1)
            .stderr(predicate::str::contains("CSV, TSV, JSONL or Parquet"));
    }
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!leftovers.iter().any(|n| n.to_string_lossy().ends_with(".tmp")), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_replaces_its_target_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c.csv");
    fs::write(&corpus, CORPUS).unwrap();
    let real = dir.path().join("real.csv");
    fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    slant().arg("score").arg(&corpus).args(["-q", "-o"]).arg(&link).assert().success();
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(fs::read_to_string(&real).unwrap().starts_with("doc_id,"));
    // A name under /dev is written in place: /dev/stdout reaches the pipe.
    let out = slant().arg("score").arg(&corpus).args(["-q", "-o", "/dev/stdout"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("doc_id,"));
}

#[test]
fn jsonl_keeps_cells_exactly_and_csv_leaves_numbers_alone() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c.csv");
    fs::write(&corpus, "id,text,score\n@nytimes,It may rain.,-0.35\n=cmd,Fine.,+x\n").unwrap();
    let out = slant()
        .arg("score")
        .arg(&corpus)
        .args(["-q", "--keep-cols", "score", "--columns", "text", "--format", "jsonl"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(r#""doc_id":"@nytimes","score":"-0.35""#), "{text}");
    assert!(text.contains(r#""doc_id":"=cmd","score":"+x""#), "{text}");
    let out =
        slant().arg("score").arg(&corpus).args(["-q", "--keep-cols", "score", "--columns", "text"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // CSV: formula-like text is guarded for spreadsheets, numbers are not.
    assert!(text.contains("\n'@nytimes,-0.35,"), "{text}");
    assert!(text.contains("\n'=cmd,'+x,"), "{text}");
}

#[test]
fn duplicate_column_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c.csv");
    fs::write(&corpus, "id,text,hedge_per1k\n1,It may rain.,99\n").unwrap();
    refused(
        &[os("score"), corpus.as_os_str(), os("-q"), os("--keep-cols"), os("hedge_per1k"), os("-o"), os("-")],
        "two columns named 'hedge_per1k'",
    );
    // Two model files of one model name.
    let copy = dir.path().join("copy.json");
    fs::copy(model("hyperpartisan.json"), &copy).unwrap();
    refused(
        &[
            os("score"),
            corpus.as_os_str(),
            os("-q"),
            os("-o"),
            os("-"),
            os("--model"),
            model("hyperpartisan.json").as_os_str(),
            copy.as_os_str(),
        ],
        "are both named 'hyperpartisan'",
    );
}

#[test]
fn a_document_without_words_gets_no_model_probabilities() {
    let out = slant()
        .args(["score", "-", "-q", "--input-format", "csv", "--columns", "text,hyperpartisan,bias", "--model"])
        .arg(model("hyperpartisan.json"))
        .arg(model("bias.json"))
        .write_stdin("id,text\nempty,\nfull,Officials said it might fail.\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let probs: Vec<usize> = (0..header.len()).filter(|&i| header[i].starts_with("p_")).collect();
    assert!(probs.len() > 2, "{header:?}");
    assert!(probs.iter().all(|&i| rows[0][i].is_empty()), "empty document: {:?}", rows[0]);
    let hp = header.iter().position(|h| h == "p_hyperpartisan_true").unwrap();
    assert!(!rows[1][hp].is_empty());
}

#[test]
fn a_binary_file_in_a_folder_is_skipped_as_not_text() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "Officials said it might fail.\n").unwrap();
    let mut junk = b"\x7fELF".to_vec();
    junk.extend((0..4000u32).flat_map(|i| [0u8, (i % 251) as u8, 0, 0]));
    fs::write(dir.path().join("b.txt"), junk).unwrap();
    slant()
        .arg("score")
        .arg(dir.path())
        .args(["-o", "-", "--columns", "text"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("\na,5,").and(predicate::str::contains("\nb,").not()))
        .stderr(predicate::str::contains("not text"));
}

#[test]
fn a_joint_statement_counts_for_both_sides_and_one_source_counts_once() {
    let out = slant()
        .args(["score", "-", "-q", "--columns", "party,sourcing,sources", "-o", "-"])
        .write_stdin(
            "Democrats and Republicans both said the reform was necessary. \
             According to people familiar with the matter, the vote was close.\n",
        )
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let row = r.records().next().unwrap().unwrap();
    let get = |name: &str| row[header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}"))].to_string();
    assert_eq!(get("party_democratic_statements_n"), "1");
    assert_eq!(get("party_republican_statements_n"), "1");
    assert_eq!(get("party_one_sided"), "0");
    assert_eq!(get("sourcing_anonymous_n"), "1", "one source found by two adjacent patterns");
}

#[cfg(unix)]
#[test]
fn dev_stdout_is_the_process_stdout_and_files_under_dev_are_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c.csv");
    fs::write(&corpus, CORPUS).unwrap();
    // `>> log`: what the shell wrote before stays.
    let log = dir.path().join("log.csv");
    fs::write(&log, "PREV\n").unwrap();
    let append = fs::OpenOptions::new().append(true).open(&log).unwrap();
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("slant"))
        .arg("score")
        .arg(&corpus)
        .args(["-q", "-o", "/dev/stdout"])
        .stdout(append)
        .status()
        .unwrap();
    assert!(status.success());
    let text = fs::read_to_string(&log).unwrap();
    assert!(text.starts_with("PREV\ndoc_id,"), "{text}");
    assert!(!dir.path().join("log.csv.manifest.json").exists());
    // A regular file on a memory file system under /dev is an ordinary
    // output: replaced, not appended to.
    if let Ok(shm) = tempfile::tempdir_in("/dev/shm") {
        let out = shm.path().join("s.csv");
        for _ in 0..2 {
            slant().arg("score").arg(&corpus).args(["-q", "-o"]).arg(&out).assert().success();
        }
        assert_eq!(fs::read_to_string(&out).unwrap().matches("doc_id,").count(), 1);
    }
}

#[test]
fn lexicons_reports_and_folder_inputs_are_protected_too() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c.csv");
    fs::write(&corpus, CORPUS).unwrap();
    let lexicon = dir.path().join("lex.tsv");
    slant().args(["lexicon", "export", "framing", "-o"]).arg(&lexicon).assert().success();
    let before = fs::read(&lexicon).unwrap();
    refused(
        &[
            os("score"),
            corpus.as_os_str(),
            os("-q"),
            os("--lexicon"),
            lexicon.as_os_str(),
            os("-o"),
            lexicon.as_os_str(),
        ],
        "is the input file",
    );
    assert_eq!(fs::read(&lexicon).unwrap(), before);
    refused(&[os("report"), corpus.as_os_str(), os("-q"), os("-o"), corpus.as_os_str()], "is the input file");
    assert_eq!(fs::read_to_string(&corpus).unwrap(), CORPUS);
    // A folder input: a .txt output inside it would replace or become an
    // input; a CSV beside the texts is fine.
    let folder = dir.path().join("texts");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("a.txt"), "Officials said it might fail.\n").unwrap();
    refused(
        &[os("score"), folder.as_os_str(), os("-q"), os("-o"), folder.join("a.txt").as_os_str()],
        "inside the input folder",
    );
    slant().arg("score").arg(&folder).args(["-q", "-o"]).arg(folder.join("scores.csv")).assert().success();
    refused(
        &[os("score"), folder.as_os_str(), os("-q"), os("-o"), os("-"), os("--write-text"), folder.as_os_str()],
        "inside the input folder",
    );
    assert_eq!(fs::read_to_string(folder.join("a.txt")).unwrap(), "Officials said it might fail.\n");
    refused(&[os("score"), corpus.as_os_str(), os("-q"), os("-o"), dir.path().join("s.csv.gz").as_os_str()], "not .gz");
}

#[test]
fn identical_texts_share_a_cross_validation_fold() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("t.csv");
    let mut rows = String::from("id,text,label\n");
    for i in 0..30 {
        let topic = ["budget", "vote", "court"][i % 3];
        rows.push_str(&format!("u{i},Story number {i} about the {topic} today.,{}\n", ["a", "b"][i % 2]));
    }
    for i in 0..10 {
        rows.push_str(&format!("d{i},The mayor called the plan a disaster.,a\n"));
    }
    fs::write(&data, rows).unwrap();
    let predictions = dir.path().join("p.csv");
    slant()
        .arg("train")
        .arg(&data)
        .args(["--cv", "5", "-o"])
        .arg(dir.path().join("m.json"))
        .arg("--predictions")
        .arg(&predictions)
        .assert()
        .success()
        .stderr(predicate::str::contains("grouped by identical text"));
    let mut r = csv::Reader::from_path(&predictions).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let (id, fold) =
        (header.iter().position(|h| h == "doc_id").unwrap(), header.iter().position(|h| h == "fold").unwrap());
    let rows: Vec<(String, String)> =
        r.records().map(|x| x.unwrap()).map(|x| (x[id].to_string(), x[fold].to_string())).collect();
    let twin_folds: std::collections::BTreeSet<&String> =
        rows.iter().filter(|(d, _)| d.starts_with('d')).map(|(_, f)| f).collect();
    assert_eq!(twin_folds.len(), 1, "the ten identical texts in one fold: {twin_folds:?}");
    let folds: std::collections::BTreeSet<&String> = rows.iter().map(|(_, f)| f).collect();
    assert_eq!(folds.len(), 5, "no fold left empty: {folds:?}");
}
