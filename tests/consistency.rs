//! The options every corpus-reading subcommand shares behave the same
//! (#14 item 8): `-q` leaves standard error empty on a clean run,
//! `--keep-cols` is honoured where there are per-document rows (report,
//! explain, train/eval --predictions) and refused with a message where
//! there are none (keyness, tokens), and `--limit 0` means no limit.
//! Through the real binary, on text written here.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

/// 40 labelled rows (two labels, four outlets).
fn corpus(dir: &Path) -> PathBuf {
    corpus_named(dir, "c.csv", 0)
}

/// The same rows with other note numbers (`first`..): text no model trained on `c.csv` has seen.
fn corpus_named(dir: &Path, name: &str, first: usize) -> PathBuf {
    let mut csv = String::from("id,text,label,outlet\n");
    let subjects = ["The council", "The budget", "The bridge", "The port", "The school"];
    for (i, s) in subjects.iter().enumerate() {
        for k in 0..4 {
            let outlet = format!("paper{}", (i + k) % 4);
            csv.push_str(&format!(
                "h{i}{k},\"{s} may perhaps be delayed, officials said in note {}.\",hedged,{outlet}\n",
                first + k
            ));
            csv.push_str(&format!(
                "f{i}{k},\"{s} was clearly approved on Monday in note {}.\",firm,{outlet}\n",
                first + k
            ));
        }
    }
    let path = dir.join(name);
    fs::write(&path, csv).unwrap();
    path
}

fn run(args: &[&str], input: &Path) -> (Option<i32>, String, String) {
    let mut cmd = slant();
    cmd.arg(args[0]).arg(input).args(&args[1..]);
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn quiet_means_an_empty_standard_error_in_every_subcommand_that_reads_a_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path());
    // eval on text the model was not trained on (else it warns, rightly, even under -q).
    let heldout = corpus_named(dir.path(), "heldout.csv", 10);
    let model = dir.path().join("m.json");
    let o = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let runs: Vec<Vec<String>> = vec![
        vec!["score".into(), "-o".into(), o("s.csv")],
        vec!["tokens".into(), "-o".into(), o("t.csv")],
        vec!["kwic".into(), "--category".into(), "hedge".into(), "-o".into(), o("k.csv")],
        vec!["report".into(), "-o".into(), o("r.html")],
        vec!["explain".into(), "--color".into(), "never".into()],
        vec![
            "keyness".into(),
            "--group-col".into(),
            "label".into(),
            "--target".into(),
            "hedged".into(),
            "--reference".into(),
            "firm".into(),
            "-o".into(),
            o("y.csv"),
        ],
        vec![
            "train".into(),
            "--label-col".into(),
            "label".into(),
            "--min-df".into(),
            "1".into(),
            "-o".into(),
            model.to_str().unwrap().into(),
        ],
        vec!["eval".into(), "--label-col".into(), "label".into(), "-o".into(), o("e.csv")],
    ];
    for args in runs {
        let mut cmd = slant();
        cmd.arg(&args[0]);
        if args[0] == "eval" {
            cmd.arg(&model);
        }
        let out = cmd
            .arg(if args[0] == "eval" { &heldout } else { &input })
            .args(&args[1..])
            .args(["-q", "--threads", "2"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}: {}", args[0], String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{} -q", args[0]);
    }
}

#[test]
fn keep_cols_is_shown_where_there_are_documents_and_refused_where_there_are_none() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path());
    // explain: the kept values beside the id.
    let (code, out, _) = run(&["explain", "--keep-cols", "outlet", "--color", "never", "--limit", "1", "-q"], &input);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("=== h00 (outlet: paper0; "), "{out}");
    // report: each document with its kept values.
    let html = dir.path().join("r.html");
    let (code, _, err) = run(&["report", "--keep-cols", "outlet,label", "-q", "-o", html.to_str().unwrap()], &input);
    assert_eq!(code, Some(0), "{err}");
    let html = fs::read_to_string(&html).unwrap();
    assert_eq!(html.matches("data-name=\"outlet\">outlet: paper").count(), 40);
    assert!(html.contains("data-name=\"label\">label: firm"));
    // train and eval: into the predictions, after doc_id; refused without them.
    let model = dir.path().join("m.json");
    let preds = dir.path().join("p.csv");
    let (code, _, err) = run(
        &[
            "train",
            "--label-col",
            "label",
            "--min-df",
            "1",
            "--cv",
            "2",
            "--keep-cols",
            "outlet",
            "-q",
            "-o",
            model.to_str().unwrap(),
            "--predictions",
            preds.to_str().unwrap(),
        ],
        &input,
    );
    assert_eq!(code, Some(0), "{err}");
    let first_two = |p: &Path| fs::read_to_string(p).unwrap().lines().take(2).map(String::from).collect::<Vec<_>>();
    let train_preds = first_two(&preds);
    assert!(train_preds[0].starts_with("doc_id,outlet,label,predicted"), "{train_preds:?}");
    assert!(train_preds[1].starts_with("h00,paper0,hedged,"), "{train_preds:?}");
    let mut eval = slant();
    let out = eval
        .arg("eval")
        .arg(&model)
        .arg(&input)
        .args(["--label-col", "label", "--keep-cols", "outlet", "-q", "-o"])
        .arg(dir.path().join("metrics.csv"))
        .arg("--predictions")
        .arg(&preds)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(first_two(&preds)[1].starts_with("h00,paper0,hedged,"));
    let (code, _, err) =
        run(&["train", "--label-col", "label", "--keep-cols", "outlet", "-o", model.to_str().unwrap()], &input);
    assert_eq!(code, Some(1));
    assert!(err.contains("--keep-cols") && err.contains("--predictions FILE"), "{err}");
    // keyness and tokens have no per-document rows: refused, nothing written.
    let y = dir.path().join("y.csv");
    let (code, _, err) = run(
        &[
            "keyness",
            "--group-col",
            "label",
            "--target",
            "hedged",
            "--reference",
            "firm",
            "--keep-cols",
            "outlet",
            "-o",
            y.to_str().unwrap(),
        ],
        &input,
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("--keep-cols: `slant keyness`"), "{err}");
    assert!(!y.exists());
    let (code, _, err) = run(&["tokens", "--keep-cols", "outlet", "-o", y.to_str().unwrap()], &input);
    assert_eq!(code, Some(1));
    assert!(err.contains("join it to"), "{err}");
}

#[test]
fn limit_zero_means_no_limit_as_max_doc_mb_zero_does() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path());
    let (_, one, _) = run(&["explain", "--color", "never", "--limit", "1", "-q"], &input);
    assert_eq!(one.matches("\n=== ").count() + usize::from(one.starts_with("=== ")), 1);
    let (code, all, _) = run(&["explain", "--color", "never", "--limit", "0", "-q"], &input);
    assert_eq!(code, Some(0));
    assert_eq!(all.lines().filter(|l| l.starts_with("=== ")).count(), 40, "all 40, more than the default 20");
    let html = dir.path().join("r.html");
    let (code, _, err) = run(&["report", "--limit", "0", "-q", "-o", html.to_str().unwrap()], &input);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(fs::read_to_string(&html).unwrap().matches("<section class=\"doc\"").count(), 40);
}
