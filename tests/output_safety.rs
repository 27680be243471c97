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

/// `slant ARGS` run in `dir` stops with status 1, naming `why` and `file`
/// on standard error.
fn refused_in(dir: &std::path::Path, args: &[&str], why: &str, file: &str) {
    slant()
        .current_dir(dir)
        .args(args)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(why).and(predicate::str::contains(file)));
}

#[test]
fn commands_that_write_no_table_check_their_outputs_too() {
    let dir = tempfile::tempdir().unwrap();
    // model inspect --boilerplate -o MODEL: the list would replace the model.
    let copy = dir.path().join("m.json");
    fs::copy(model("leaning.json"), &copy).unwrap();
    let before = fs::read(&copy).unwrap();
    refused_in(
        dir.path(),
        &["model", "inspect", "m.json", "--boilerplate", "-o", "m.json"],
        "is the input file",
        "m.json",
    );
    // codebook --markdown --model M -o M, and a lexicon read by the codebook.
    refused_in(
        dir.path(),
        &["codebook", "--markdown", "--model", "m.json", "-o", "m.json"],
        "is the input file",
        "m.json",
    );
    assert_eq!(fs::read(&copy).unwrap(), before);
    slant().current_dir(dir.path()).args(["lexicon", "export", "-o", "lex.tsv"]).assert().success();
    let lexicon = fs::read(dir.path().join("lex.tsv")).unwrap();
    for markdown in [false, true] {
        let mut args = vec!["codebook", "--lexicon", "lex.tsv", "-o", "lex.tsv"];
        if markdown {
            args.push("--markdown");
        }
        refused_in(dir.path(), &args, "is the input file", "lex.tsv");
        assert_eq!(fs::read(dir.path().join("lex.tsv")).unwrap(), lexicon);
    }
}

#[test]
fn an_output_spelled_through_a_folder_that_does_not_exist_is_still_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = "{\"id\":\"a\",\"text\":\"Officials said it might fail.\"}\n";
    fs::write(dir.path().join("in.jsonl"), corpus).unwrap();
    let base = ["score", "in.jsonl", "--id-col", "id", "--text-col", "text", "-q"];
    let args = |more: &[&'static str]| base.iter().chain(more).copied().collect::<Vec<&str>>();
    refused_in(dir.path(), &args(&["-o", "sub/../in.jsonl"]), "is the input file", "sub/../in.jsonl");
    assert_eq!(fs::read_to_string(dir.path().join("in.jsonl")).unwrap(), corpus);
    assert!(!dir.path().join("sub").exists(), "no folder created for a refused output");
    // Two outputs of one file that does not exist yet, and of one that does.
    refused_in(dir.path(), &args(&["-o", "x.csv", "--matches", "nod/../x.csv"]), "name the same file", "nod/../x.csv");
    assert!(!dir.path().join("x.csv").exists());
    fs::write(dir.path().join("x.csv"), "OLD").unwrap();
    refused_in(dir.path(), &args(&["-o", "x.csv", "--matches", "nod/../x.csv"]), "name the same file", "nod/../x.csv");
    assert_eq!(fs::read_to_string(dir.path().join("x.csv")).unwrap(), "OLD");
}

#[test]
fn write_text_never_writes_over_an_input_file_or_an_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("texts")).unwrap();
    let text = "  Officials   said it might fail.\r\n";
    fs::write(dir.path().join("texts/a.txt"), text).unwrap();
    // The document's id is `a`: its text would go to texts/a.txt.
    refused_in(
        dir.path(),
        &["score", "texts/a.txt", "--write-text", "texts", "-o", "s1.csv", "-q"],
        "holds the input file",
        "texts/a.txt",
    );
    // An input folder inside the text folder.
    refused_in(
        dir.path(),
        &["score", "texts", "--write-text", ".", "-o", "s1.csv", "-q"],
        "holds the input folder",
        "texts",
    );
    assert_eq!(fs::read_to_string(dir.path().join("texts/a.txt")).unwrap(), text);
    assert!(!dir.path().join("s1.csv").exists());
    // An output named like a text of the folder.
    fs::write(dir.path().join("in.csv"), CORPUS).unwrap();
    refused_in(
        dir.path(),
        &["score", "in.csv", "--write-text", "out", "-o", "out/1.txt", "-q"],
        "inside the --write-text folder",
        "out/1.txt",
    );
    // A CSV input beside the texts is fine: no text is named *.csv.
    slant()
        .current_dir(dir.path())
        .args(["score", "in.csv", "--write-text", ".", "-q", "-o", "s.csv"])
        .assert()
        .success();
    assert_eq!(fs::read_to_string(dir.path().join("in.csv")).unwrap(), CORPUS);
    assert!(dir.path().join("1.txt").exists());
}

#[cfg(unix)]
#[test]
fn a_folder_read_for_every_file_protects_every_file_and_links_are_judged_by_their_target() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("corp")).unwrap();
    fs::write(dir.path().join("corp/a.txt"), "Officials said it might fail.\n").unwrap();
    let notes = "The council may vote on Tuesday.\n";
    fs::write(dir.path().join("corp/notes.csv"), notes).unwrap();
    // --input-format txt reads corp/notes.csv as a document.
    refused_in(
        dir.path(),
        &["score", "corp", "--input-format", "txt", "-q", "-o", "corp/notes.csv"],
        "read for every file",
        "corp/notes.csv",
    );
    refused_in(
        dir.path(),
        &["score", "corp", "--input-format", "txt", "-q", "-o", "corp/new.csv"],
        "inside the input folder",
        "corp/new.csv",
    );
    assert_eq!(fs::read_to_string(dir.path().join("corp/notes.csv")).unwrap(), notes);
    assert!(!dir.path().join("corp/new.csv").exists());
    // A hidden name is not read even then.
    slant()
        .current_dir(dir.path())
        .args(["score", "corp", "--input-format", "txt", "-q", "-o", "corp/.s.csv"])
        .assert()
        .success();
    // A link named .csv to a text of the folder writes over that text.
    std::os::unix::fs::symlink("corp/a.txt", dir.path().join("lk.csv")).unwrap();
    refused_in(dir.path(), &["score", "corp", "-q", "-o", "lk.csv"], "inside the input folder", "lk.csv");
    assert_eq!(fs::read_to_string(dir.path().join("corp/a.txt")).unwrap(), "Officials said it might fail.\n");
    // So does a hard link to it.
    fs::hard_link(dir.path().join("corp/a.txt"), dir.path().join("hl.csv")).unwrap();
    refused_in(dir.path(), &["score", "corp", "-q", "-o", "hl.csv"], "a hard link", "corp/a.txt");
    assert_eq!(fs::read_to_string(dir.path().join("corp/a.txt")).unwrap(), "Officials said it might fail.\n");
}

#[cfg(target_os = "linux")]
#[test]
fn standard_input_is_never_an_output() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("in.csv");
    fs::write(&corpus, CORPUS).unwrap();
    // Run with standard input redirected from the corpus, as `< in.csv`.
    let run = |args: &[&OsStr]| {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("slant"))
            .args(args)
            .stdin(fs::File::open(&corpus).unwrap())
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    for name in ["/dev/stdin", "/proc/self/fd/0", "/dev/fd/0"] {
        let (code, stderr) = run(&[os("score"), corpus.as_os_str(), os("-q"), os("-o"), os(name)]);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains(&format!("-o {name} is standard input")), "{stderr}");
        assert_eq!(fs::read_to_string(&corpus).unwrap(), CORPUS);
    }
    // Standard input redirected from the file an output names.
    let (code, stderr) =
        run(&[os("score"), os("-"), os("--input-format"), os("csv"), os("-q"), os("-o"), corpus.as_os_str()]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("is the input file standard input"), "{stderr}");
    assert_eq!(fs::read_to_string(&corpus).unwrap(), CORPUS);
}

#[cfg(unix)]
#[test]
fn at_most_one_output_goes_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c.csv");
    fs::write(&corpus, CORPUS).unwrap();
    for extra in [&["--matches", "-"][..], &["-o", "/dev/stdout", "--matches", "/dev/fd/1"]] {
        slant()
            .arg("score")
            .arg(&corpus)
            .arg("-q")
            .args(extra)
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains("both write to standard output"));
    }
    // One table on standard output and one on standard error is fine.
    slant().arg("score").arg(&corpus).args(["-q", "--matches", "/dev/stderr"]).assert().success();
}

#[cfg(target_os = "linux")]
#[test]
fn a_write_error_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c.csv");
    fs::write(&corpus, CORPUS).unwrap();
    let out = dir.path().join("x.csv");
    slant()
        .arg("score")
        .arg(&corpus)
        .args(["-q", "-o"])
        .arg(&out)
        .args(["--matches", "/dev/full"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write /dev/full: No space left on device"));
    assert!(!out.exists());
    for args in [&["codebook", "--markdown", "-o", "/dev/full"][..], &["lexicon", "export", "-o", "/dev/full"]] {
        slant().args(args).assert().code(1).stderr(predicate::str::contains("/dev/full"));
    }
}

#[test]
fn a_closed_standard_output_with_files_still_to_write_is_no_success() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("big.csv");
    let mut rows = String::from("id,text\n");
    for i in 0..20_000 {
        rows.push_str(&format!("d{i},Officials said the plan might fail and the mayor disagreed.\n"));
    }
    fs::write(&corpus, rows).unwrap();
    let matches = dir.path().join("mm.csv");
    fs::write(&matches, "OLD").unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("slant"))
        .arg("score")
        .arg(&corpus)
        .args(["-q", "--threads", "1", "-o", "-", "--matches"])
        .arg(&matches)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read the header line, then close the pipe, as `| head -1` does.
    {
        use std::io::Read;
        let mut first = [0u8; 64];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("standard output was closed") && stderr.contains("mm.csv"), "{stderr}");
    assert_eq!(fs::read_to_string(&matches).unwrap(), "OLD");
    // With nothing else to write, a closed pipe is still a plain success.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("slant"))
        .arg("score")
        .arg(&corpus)
        .args(["-q", "--threads", "1", "-o", "-"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Read;
        let mut first = [0u8; 64];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    }
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn resume_finds_ids_that_start_with_an_apostrophe() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c.csv");
    fs::write(
        &corpus,
        "id,text\n'-1,It may rain.\n'=x,Officials said it might fail.\n=y,The vote was close.\n-2,Fine.\n",
    )
    .unwrap();
    let out = dir.path().join("s.csv");
    slant().arg("score").arg(&corpus).args(["-q", "-o"]).arg(&out).assert().success();
    let first = fs::read_to_string(&out).unwrap();
    let ids: Vec<&str> = first.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    // Each id written once, and no two alike.
    assert_eq!(ids, ["''-1", "''=x", "'=y", "-2"], "{first}");
    slant()
        .arg("score")
        .arg(&corpus)
        .args(["--resume", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("resuming: 4 document(s)"));
    assert_eq!(fs::read_to_string(&out).unwrap(), first);
}

#[cfg(unix)]
#[test]
fn an_interrupt_after_an_output_was_moved_into_place_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("big.csv");
    let mut rows = String::from("id,text\n");
    for i in 0..200_000 {
        rows.push_str(&format!("d{i},Officials said the plan might fail and the mayor disagreed on Monday.\n"));
    }
    fs::write(&corpus, rows).unwrap();
    // --resume records its options in the manifest at once (moved into
    // place), appends the scores in place, and writes --errors at the end.
    let (scores, errors) = (dir.path().join("s.csv"), dir.path().join("e.csv"));
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("slant"))
        .arg("score")
        .arg(&corpus)
        .args(["-q", "--threads", "1", "--resume", "-o"])
        .arg(&scores)
        .arg("--errors")
        .arg(&errors)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while fs::metadata(&scores).map_or(true, |m| m.len() == 0) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("already written: ") && stderr.contains("s.csv.manifest.json"), "{stderr}");
    assert!(
        stderr.contains("not written (previous versions left as they were): ") && stderr.contains("e.csv"),
        "{stderr}"
    );
    assert!(!errors.exists());
}
