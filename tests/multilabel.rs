//! `train --multi-label`, `eval` and `score` of a multi-label model through
//! the real binary, on a small set of label sets generated here.

use assert_cmd::Command;
use predicates::prelude::*;
use slant::models::artifact::ModelFile;
use std::fs;
use std::path::{Path, PathBuf};

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

/// The model as one JSON document (model files are a JSON header and a
/// binary body; `model convert --json` inlines the body).
fn as_json(model: &Path) -> String {
    let out = model.with_extension("only.json");
    slant().args(["model", "convert", "--json", "-o"]).arg(&out).arg(model).assert().success();
    fs::read_to_string(out).unwrap()
}

/// Sentences that signal each topic; a document carries a topic when it
/// contains that topic's sentences.
const TOPICS: [(&str, [&str; 3]); 3] = [
    (
        "economy",
        [
            "The budget office raised taxes on imported steel.",
            "Factory wages and jobs grew faster than prices.",
            "Investors watched the bank lower interest rates.",
        ],
    ),
    (
        "health",
        [
            "Nurses at the county hospital treated more patients.",
            "The vaccine clinic opened longer hours for children.",
            "Doctors warned about the flu season in winter.",
        ],
    ),
    (
        "crime",
        [
            "Police arrested two suspects after the robbery.",
            "The court sentenced the burglar to prison.",
            "Detectives questioned witnesses about the theft.",
        ],
    ),
];

const FILLER: [&str; 4] = [
    "The meeting took place on a Tuesday afternoon.",
    "Several residents attended and asked questions.",
    "A spokesperson said more details would follow.",
    "The report was published by the town newsletter.",
];

/// `n` documents; document i carries the non-empty topic subset `i % 7 + 1`
/// (bit t = topic t), with labels joined by `sep` in the column `topics`.
fn write_data(dir: &Path, name: &str, n: usize, offset: usize, sep: &str) -> PathBuf {
    let mut csv = String::from("id,text,topics\n");
    for i in 0..n {
        let mask = (i + offset) % 7 + 1;
        let mut text = String::new();
        let mut labels = Vec::new();
        for (t, (label, sentences)) in TOPICS.iter().enumerate() {
            if mask & (1 << t) != 0 {
                labels.push(*label);
                text.push_str(sentences[(i + t) % 3]);
                text.push(' ');
                text.push_str(sentences[(i + t + 1) % 3]);
                text.push(' ');
            }
        }
        text.push_str(FILLER[i % 4]);
        text.push(' ');
        text.push_str(&format!("Item {} of the series.", i + offset));
        csv.push_str(&format!("d{},\"{}\",{}\n", i + offset, text, labels.join(sep)));
    }
    let path = dir.join(name);
    fs::write(&path, csv).unwrap();
    path
}

fn train(dir: &Path, data: &Path) -> PathBuf {
    let model = dir.join("topics.json");
    slant()
        .arg("train")
        .arg(data)
        .args(["--label-col", "topics", "--multi-label", "--label-sep", ";", "--cv", "3", "--min-df", "1", "-q"])
        .arg("--metrics")
        .arg(dir.join("cv.csv"))
        .arg("--predictions")
        .arg(dir.join("oof.csv"))
        .arg("--card")
        .arg(dir.join("card.md"))
        .arg("-o")
        .arg(&model)
        .assert()
        .success();
    model
}

/// (fold, metric, class) -> value of a long metrics CSV (`fold` empty for eval files).
fn metric(csv: &str, fold: &str, metric: &str, class: &str) -> f64 {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    for rec in r.records() {
        let rec = rec.unwrap();
        let f_ok = col("fold").is_none_or(|c| &rec[c] == fold);
        if f_ok && &rec[col("metric").unwrap()] == metric && &rec[col("class").unwrap()] == class {
            return rec[col("value").unwrap()].parse().unwrap();
        }
    }
    panic!("no row {fold}/{metric}/{class} in\n{csv}");
}

#[test]
fn trains_evaluates_and_scores_label_sets() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "train.csv", 84, 0, ";");
    let model_path = train(dir.path(), &data);

    // The model file: one-vs-rest, one threshold per label, nested CV metrics.
    let model = ModelFile::load(&model_path).unwrap();
    assert_eq!(model.labels, ["crime", "economy", "health"]);
    let ml = model.multi_label.as_ref().expect("multi-label settings");
    assert_eq!(ml.label_sep, ";");
    assert_eq!(ml.thresholds.len(), 3);
    assert!(ml.thresholds.iter().all(|t| (0.01..=0.99).contains(t)));
    let cv = ml.cross_validation.as_ref().expect("cross-validation");
    assert_eq!(cv.folds, 3);
    assert!(cv.pooled.micro_f1 > 0.9, "micro-F1 {}", cv.pooled.micro_f1);
    assert_eq!(model.training.label_counts.iter().map(|(_, n)| n).sum::<usize>(), 84 / 7 * 12);

    // Metrics file: summary and per-label rows, per fold and pooled.
    let cv_csv = fs::read_to_string(dir.path().join("cv.csv")).unwrap();
    let micro = metric(&cv_csv, "pooled", "micro_f1", "");
    assert!((micro - cv.pooled.micro_f1).abs() < 1e-12);
    assert!(metric(&cv_csv, "pooled", "hamming_loss", "") < 0.1);
    assert!(metric(&cv_csv, "1", "macro_f1", "") > 0.8);
    for label in ["crime", "economy", "health"] {
        assert!(metric(&cv_csv, "pooled", "f1", label) > 0.8);
        assert_eq!(metric(&cv_csv, "pooled", "support", label), 48.0);
        let ece = metric(&cv_csv, "pooled", "ece", label);
        assert!((0.0..=1.0).contains(&ece));
    }
    let card = fs::read_to_string(dir.path().join("card.md")).unwrap();
    assert!(card.contains("one-vs-rest") && card.contains("micro-F1") && card.contains("Hamming loss"), "{card}");
    assert!(card.contains("| economy |"), "thresholds table: {card}");
    let oof = fs::read_to_string(dir.path().join("oof.csv")).unwrap();
    assert!(oof.starts_with("doc_id,label,predicted,fold,p_crime,p_economy,p_health"), "{oof}");
    assert!(oof.contains("economy;health") || oof.contains("crime;economy"), "label sets joined by ';': {oof}");

    // eval on documents not trained on (other item numbers and mixtures).
    let heldout = write_data(dir.path(), "heldout.csv", 21, 3, ";");
    let metrics = dir.path().join("eval.csv");
    let preds = dir.path().join("preds.csv");
    slant()
        .arg("eval")
        .arg(&model_path)
        .arg(&heldout)
        .args(["--label-col", "topics", "-q", "-o"])
        .arg(&metrics)
        .arg("--predictions")
        .arg(&preds)
        .assert()
        .success();
    let eval_csv = fs::read_to_string(&metrics).unwrap();
    assert!(metric(&eval_csv, "", "micro_f1", "") > 0.9, "{eval_csv}");
    assert!(metric(&eval_csv, "", "hamming_loss", "") < 0.1);
    assert_eq!(metric(&eval_csv, "", "threshold", "crime"), ml.thresholds[0]);
    assert!(fs::read_to_string(&preds).unwrap().starts_with("doc_id,label,predicted,p_crime"));

    // score: one probability per label and the predicted set under the thresholds.
    let scores = dir.path().join("scores.csv");
    slant()
        .arg("score")
        .arg(&heldout)
        .args(["--text-col", "text", "--keep-cols", "topics", "-q", "--model"])
        .arg(&model_path)
        .arg("-o")
        .arg(&scores)
        .assert()
        .success();
    let mut r = csv::Reader::from_path(&scores).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap_or_else(|| panic!("no column {name}"));
    let (pc, pe, ph, set, gold) =
        (col("p_topics_crime"), col("p_topics_economy"), col("p_topics_health"), col("topics_labels"), col("topics"));
    let mut exact = 0;
    let mut rows = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        let p: Vec<f64> = [pc, pe, ph].iter().map(|&c| rec[c].parse().unwrap()).collect();
        // The set is the labels at or above their thresholds (probabilities are
        // written with 4 decimals, so skip rows within rounding of a threshold).
        if p.iter().zip(&ml.thresholds).any(|(p, t)| (p - t).abs() < 1e-4) {
            continue;
        }
        let expected: Vec<&str> = ["crime", "economy", "health"]
            .iter()
            .zip(&p)
            .zip(&ml.thresholds)
            .filter(|((_, p), t)| *p >= *t)
            .map(|((l, _), _)| *l)
            .collect();
        assert_eq!(&rec[set], expected.join(";"));
        rows += 1;
        let mut g: Vec<&str> = rec[gold].split(';').collect();
        g.sort();
        exact += (rec[set] == g.join(";")) as usize;
    }
    assert!(rows >= 15 && exact * 10 >= rows * 8, "{exact} of {rows} label sets exact");

    // The codebook defines the new column.
    slant()
        .arg("codebook")
        .arg("--model")
        .arg(&model_path)
        .assert()
        .success()
        .stdout(predicate::str::contains("topics_labels").and(predicate::str::contains("at least its threshold")));

    // The tables of train and eval have the columns the codebook lists for
    // this model (eval's without the optional group and fold columns).
    let codebook = dir.path().join("codebook.csv");
    slant().arg("codebook").arg("--model").arg(&model_path).arg("-o").arg(&codebook).assert().success();
    let listed = |file: &str, leave_out: &[&str]| -> Vec<String> {
        let mut r = csv::Reader::from_path(&codebook).unwrap();
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        rows.iter().filter(|x| &x[0] == file && !leave_out.contains(&&x[1])).map(|x| x[1].to_string()).collect()
    };
    let header = |path: &Path| -> Vec<String> {
        csv::Reader::from_path(path).unwrap().headers().unwrap().iter().map(String::from).collect()
    };
    assert_eq!(header(&dir.path().join("oof.csv")), listed("predictions", &["group"]));
    assert_eq!(header(&preds), listed("predictions", &["group", "fold"]));
    assert_eq!(header(&dir.path().join("cv.csv")), listed("cv_metrics", &[]));
    assert_eq!(header(&metrics), listed("metrics", &["group"]));
    assert_eq!(listed("predictions", &[])[5..], ["p_crime", "p_economy", "p_health"]);
}

#[test]
fn bad_separators_and_empty_labels_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "train.csv", 28, 0, ";");
    let run = |data: &Path, extra: &[&str]| {
        slant()
            .arg("train")
            .arg(data)
            .args(["--label-col", "topics", "--multi-label", "--cv", "0", "--min-df", "1", "-q", "-o"])
            .arg(dir.path().join("m.json"))
            .args(extra)
            .assert()
            .failure()
    };
    run(&data, &["--label-sep", ""]).stderr(predicate::str::contains("--label-sep must be a visible separator"));
    run(&data, &["--label-sep", " "]).stderr(predicate::str::contains("--label-sep must be a visible separator"));
    // Labels joined by '|' read with the default ';'.
    let piped = write_data(dir.path(), "piped.csv", 28, 0, "|");
    run(&piped, &[]).stderr(predicate::str::contains("is the separator \"|\"?"));
    // An empty label between separators names the row.
    let text = fs::read_to_string(&data).unwrap().replacen("economy;health", "economy;;health", 1);
    let broken = dir.path().join("broken.csv");
    fs::write(&broken, text).unwrap();
    run(&broken, &[]).stderr(predicate::str::contains("has an empty label"));
    // chi2 selection needs one label per row.
    run(&data, &["--select", "chi2"]).stderr(predicate::str::contains("--select frequency"));
    // --label-sep without --multi-label.
    slant()
        .arg("train")
        .arg(&data)
        .args(["--label-col", "topics", "--label-sep", "|", "-o"])
        .arg(dir.path().join("m.json"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("--multi-label"));

    // eval: a label the model does not know.
    let model = dir.path().join("ok.json");
    slant()
        .arg("train")
        .arg(&data)
        .args(["--label-col", "topics", "--multi-label", "--cv", "0", "--min-df", "1", "-q", "-o"])
        .arg(&model)
        .assert()
        .success();
    let text = fs::read_to_string(&data).unwrap().replacen("economy;health", "economy;sports", 1);
    let unknown = dir.path().join("unknown.csv");
    fs::write(&unknown, text).unwrap();
    slant()
        .arg("eval")
        .arg(&model)
        .arg(&unknown)
        .args(["--label-col", "topics", "-q"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("\"sports\"").and(predicate::str::contains("does not know")));
}

#[test]
fn model_files_without_multi_label_settings_still_load() {
    for name in ["leaning", "hyperpartisan"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models").join(format!("{name}.json"));
        let m = ModelFile::load(&path).unwrap();
        assert!(m.multi_label.is_none());
    }
}

#[test]
fn a_sentence_level_multi_label_model_labels_each_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "train.csv", 56, 0, ";");
    let model = dir.path().join("sent.json");
    slant()
        .arg("train")
        .arg(&data)
        .args(["--label-col", "topics", "--multi-label", "--level", "sentence", "--cv", "0", "--min-df", "1", "-q"])
        .arg("-o")
        .arg(&model)
        .assert()
        .success();
    let (scores, sentences) = (dir.path().join("s.csv"), dir.path().join("sent.csv"));
    slant()
        .arg("score")
        .arg(&data)
        .args(["--text-col", "text", "-q", "--model"])
        .arg(&model)
        .arg("-o")
        .arg(&scores)
        .arg("--sentences")
        .arg(&sentences)
        .assert()
        .success();
    // Documents get the sentence aggregates only; sentences get the label set.
    let head = |p: &Path| fs::read_to_string(p).unwrap().lines().next().unwrap().to_string();
    assert!(!head(&scores).contains("sent_labels") && head(&scores).contains("p_sent_economy_sent_max"));
    let mut r = csv::Reader::from_path(&sentences).unwrap();
    let col = r.headers().unwrap().iter().position(|h| h == "sent_labels").expect("sent_labels column");
    let mut non_empty = 0;
    for rec in r.records() {
        let v = rec.unwrap()[col].to_string();
        for l in v.split(';').filter(|l| !l.is_empty()) {
            assert!(["crime", "economy", "health"].contains(&l), "{v}");
        }
        non_empty += !v.is_empty() as usize;
    }
    assert!(non_empty > 0);
}

#[test]
fn tune_chooses_multi_label_settings_inside_each_training_fold() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "train.csv", 84, 0, ";");
    let model_path = dir.path().join("tuned.json");
    let card = dir.path().join("card.md");
    slant()
        .arg("train")
        .arg(&data)
        .args(["--label-col", "topics", "--multi-label", "--cv", "3", "--min-df", "1"])
        .args(["--tune", "c=0.001,10;ngrams=1,2", "--tune-folds", "2", "--card"])
        .arg(&card)
        .arg("-o")
        .arg(&model_path)
        .assert()
        .success()
        .stderr(predicate::str::contains("--tune: c="));
    let model = ModelFile::load(&model_path).unwrap();
    let t = model.training.tuning.as_ref().expect("a tuning record");
    assert_eq!(t.candidates, ["c=0.001 ngrams=1", "c=0.001 ngrams=2", "c=10 ngrams=1", "c=10 ngrams=2"]);
    assert_eq!(t.scores.len(), 4);
    assert_eq!(t.chosen_per_fold.len(), 3, "one choice per outer fold");
    assert!(t.criterion.starts_with("micro-F1"), "{}", t.criterion);
    let at = t.candidates.iter().position(|c| *c == t.chosen).unwrap();
    let best = t.scores.iter().cloned().fold(f64::MIN, f64::max);
    assert_eq!(t.scores[at], best);
    // The topics are separable: a nearly unregularised model beats C = 0.001.
    assert!(t.chosen.starts_with("c=10"), "{t:?}");
    // The shipped features follow the choice.
    let bigrams = model.features.spec().ngram_max == 2;
    assert_eq!(bigrams, t.chosen.ends_with("ngrams=2"));
    assert_eq!((0..model.features.n_features()).any(|i| model.features.feature_name(i).starts_with("b:")), bigrams);
    let card = fs::read_to_string(&card).unwrap();
    assert!(card.contains("Nested choice of settings (`--tune 'c=0.001,10;ngrams=1,2'`)"), "{card}");
}

#[test]
fn multi_label_training_gives_the_same_model_and_figures_on_any_number_of_threads() {
    // Outer folds, --tune candidates, inner folds and per-label fits run in
    // parallel; the model file and metrics must not depend on the threads.
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "train.csv", 84, 0, ";");
    let run = |threads: &str| {
        let (model, metrics) =
            (dir.path().join(format!("t{threads}.json")), dir.path().join(format!("t{threads}.csv")));
        slant()
            .arg("train")
            .args(["--threads", threads])
            .arg(&data)
            .args(["--label-col", "topics", "--multi-label", "--cv", "3", "--min-df", "1", "-q"])
            .args(["--tune", "c=0.1,10", "--tune-folds", "2", "--calibration", "platt", "-o"])
            .arg(&model)
            .arg("--metrics")
            .arg(&metrics)
            .assert()
            .success();
        let mut v: serde_json::Value = serde_json::from_str(&as_json(&model)).unwrap();
        for key in ["created", "name"] {
            v[key] = serde_json::Value::Null;
        }
        for key in ["command_line", "fit_seconds"] {
            v["training"][key] = serde_json::Value::Null;
        }
        v["multi_label"]["cross_validation"]["seconds"] = serde_json::Value::Null;
        let metrics: Vec<String> =
            fs::read_to_string(&metrics).unwrap().lines().filter(|l| !l.starts_with('#')).map(String::from).collect();
        (v, metrics)
    };
    let (one, two, three) = (run("1"), run("2"), run("3"));
    assert!(!one.0["multi_label"]["cross_validation"].is_null(), "the model file keeps its cross-validation");
    assert!(one.0 == two.0, "model files differ between 1 and 2 threads");
    assert!(one.0 == three.0, "model files differ between 1 and 3 threads");
    assert_eq!(one.1, two.1, "cross-validated metrics differ between 1 and 2 threads");
    assert_eq!(one.1, three.1, "cross-validated metrics differ between 1 and 3 threads");
}
