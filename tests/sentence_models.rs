//! A sentence-level model is applied to sentences, never to a whole
//! article: through the real binary, the scores file has only its sentence
//! aggregates, the sentences file its per-sentence probabilities, and the
//! report and `explain` say which sentences it flags.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|rec| rec.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

#[test]
fn sentence_model_columns_are_sentence_aggregates_and_per_sentence_probabilities() {
    let dir = tempfile::tempdir().unwrap();
    let (scores, sentences) = (dir.path().join("s.csv"), dir.path().join("sent.csv"));
    slant()
        .current_dir(root())
        .args([
            "score",
            "datasets/examples",
            "-q",
            "--model",
            "models/subjectivity.json",
            "--model",
            "models/leaning.json",
        ])
        .arg("-o")
        .arg(&scores)
        .arg("--sentences")
        .arg(&sentences)
        .assert()
        .success();
    let (dh, docs) = read_csv(&scores);
    // No whole-text probability for the sentence-level model; the
    // document-level model keeps its one probability per label.
    assert!(!dh.iter().any(|h| h == "p_subjectivity_subj" || h == "p_subjectivity_obj"), "{dh:?}");
    for h in ["p_subjectivity_subj_sent_mean", "p_subjectivity_subj_sent_max", "p_subjectivity_subj_sent_share50"] {
        col(&dh, h);
    }
    col(&dh, "p_leaning_left");
    let (sh, sents) = read_csv(&sentences);
    let p = col(&sh, "p_subjectivity_subj");
    assert!(!sh.iter().any(|h| h.starts_with("p_leaning")), "document-level models have no sentence column");
    // The document aggregates are those of the sentence probabilities.
    let mut per_doc: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for r in &sents {
        per_doc.entry(r[0].clone()).or_default().push(r[p].parse().unwrap());
    }
    let (mean, max, share) = (
        col(&dh, "p_subjectivity_subj_sent_mean"),
        col(&dh, "p_subjectivity_subj_sent_max"),
        col(&dh, "p_subjectivity_subj_sent_share50"),
    );
    let mut flagged_somewhere = false;
    for d in &docs {
        let v = &per_doc[&d[0]];
        let want_mean = v.iter().sum::<f64>() / v.len() as f64;
        let want_max = v.iter().cloned().fold(f64::MIN, f64::max);
        let want_share = v.iter().filter(|&&x| x > 0.5).count() as f64 / v.len() as f64;
        // The sentences file rounds to 4 decimals.
        assert!((d[mean].parse::<f64>().unwrap() - want_mean).abs() < 1e-3, "{}", d[0]);
        assert!((d[max].parse::<f64>().unwrap() - want_max).abs() < 1e-3, "{}", d[0]);
        assert!((d[share].parse::<f64>().unwrap() - want_share).abs() < 1e-3, "{}", d[0]);
        flagged_somewhere |= want_share > 0.0;
    }
    assert!(flagged_somewhere, "the example corpus has subjective sentences the model flags");
}

#[test]
fn report_and_explain_show_the_sentences_a_sentence_model_flags() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    slant()
        .current_dir(root())
        .args(["report", "datasets/examples", "-q", "--model", "models/subjectivity.json", "-o"])
        .arg(&out)
        .assert()
        .success();
    let html = fs::read_to_string(&out).unwrap();
    assert!(html.contains("<figcaption>subjectivity: share of sentences with P(subj) &gt; 0.5</figcaption>"));
    assert!(html.contains("\"name\":\"p_subjectivity_subj_sent_share50\""));
    assert!(html.contains("model <b>subjectivity</b> (sentence level, over the document's "));
    assert!(html.contains("class=\"model flagged\" data-model=\"subjectivity\" data-label=\"subj\""));
    assert!(html.contains("gives P(subj) &gt; 0.5: "));

    let text = "The city council approved the budget on Tuesday by a vote of seven to two. \
                The new budget takes effect in July. \
                Frankly, this is a shameful, reckless and utterly disgraceful betrayal of every taxpayer I know.";
    let explained = slant()
        .args(["explain", "-", "--color", "never", "--model"])
        .arg(root().join("models/subjectivity.json"))
        .write_stdin(text)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let explained = String::from_utf8(explained).unwrap();
    assert!(explained.contains("sentence-level model 'subjectivity'"), "{explained}");
    // One line per sentence with its probabilities, and the opinionated one flagged.
    let line = explained.lines().find(|l| l.contains("subj=") && l.contains("| Frankly, this")).expect("sentence line");
    assert!(line.contains("[subj]"), "{line}");
    let plain =
        explained.lines().find(|l| l.contains("subj=") && l.contains("| The city council")).expect("sentence line");
    assert!(!plain.contains("[subj]"), "{plain}");
    // The label flagged in fewer sentences is the one explained, at its surest sentence.
    assert!(explained.contains("explained: sentence 2"), "{explained}");
}
