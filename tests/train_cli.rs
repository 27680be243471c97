//! `train`, `eval`, `model inspect`, `score --model` and the model file,
//! through the real binary, on a small labelled set generated here.

use assert_cmd::Command;
use predicates::prelude::*;
use slant::models::artifact::{ModelFile, TrainedModel};
use slant::signals::Worker;
use std::fs;
use std::path::{Path, PathBuf};

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

/// 160 sentences: hedged ones use epistemic modals and adverbs, firm ones
/// use certainty markers; six "outlets" for grouped folds.
fn write_data(dir: &Path) -> PathBuf {
    let subjects = [
        "The council",
        "The new budget",
        "The bridge repair",
        "Turnout",
        "The school plan",
        "The port deal",
        "Rainfall",
        "The trial",
    ];
    let hedged =
        ["may be delayed", "could possibly change", "might fall short", "appears likely to slip", "perhaps will stall"];
    let firm = [
        "was approved on Monday",
        "clearly finished on time",
        "rose by ten percent",
        "was signed last week",
        "ended in March",
    ];
    let mut csv = String::from("id,text,label,outlet\n");
    let mut n = 0;
    for (i, s) in subjects.iter().enumerate() {
        for (j, (h, f)) in hedged.iter().zip(firm.iter()).enumerate() {
            for k in 0..2 {
                let outlet = format!("outlet{}", (i + j + k) % 6);
                csv.push_str(&format!("h{n},\"{s} {h}, officials said in report {k}.\",hedged,{outlet}\n"));
                csv.push_str(&format!("f{n},\"{s} {f}, officials said in report {k}.\",non-hedged,{outlet}\n"));
                n += 1;
            }
        }
    }
    let path = dir.join("labelled.csv");
    fs::write(&path, csv).unwrap();
    path
}

/// The JSON header of a model file (the whole file for a JSON-only one).
fn header(model: &Path) -> serde_json::Value {
    let bytes = fs::read(model).unwrap();
    serde_json::Deserializer::from_slice(&bytes).into_iter().next().unwrap().unwrap()
}

/// `model` rewritten as JSON only (every array inline), by `slant model convert --json`.
fn as_json(model: &Path) -> String {
    let out = model.with_extension("only.json");
    slant().args(["model", "convert", "--json", "-o"]).arg(&out).arg(model).assert().success();
    fs::read_to_string(out).unwrap()
}

fn train(dir: &Path, data: &Path, algo: &str, out: &str) -> PathBuf {
    let model = dir.join(out);
    slant()
        .arg("train")
        .arg(data)
        .args([
            "--label-col",
            "label",
            "--group-col",
            "outlet",
            "--cv",
            "3",
            "--min-df",
            "1",
            "--algo",
            algo,
            "-q",
            "-o",
        ])
        .arg(&model)
        .assert()
        .success();
    model
}

#[test]
fn every_algorithm_trains_and_cross_validates() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    for algo in ["logistic", "naive-bayes", "linear-svm", "tree"] {
        let model = train(dir.path(), &data, algo, &format!("m_{}.json", algo.replace('-', "_")));
        let m = ModelFile::load(&model).unwrap();
        let cv = m.cross_validation.expect("cv metrics saved");
        assert_eq!(cv.grouped_by.as_deref(), Some("outlet"));
        assert!(cv.pooled.accuracy > 0.8, "{algo}: CV accuracy {}", cv.pooled.accuracy);
        assert_eq!(m.labels, vec!["hedged".to_string(), "non-hedged".into()]);
        assert_eq!(m.training.rows, 160);
    }
}

#[test]
fn eval_predictions_inspect_and_score_with_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let model = train(dir.path(), &data, "logistic", "hedgy.json");
    let (metrics, preds) = (dir.path().join("metrics.csv"), dir.path().join("preds.csv"));
    slant()
        .arg("eval")
        .arg(&model)
        .arg(&data)
        .args(["--label-col", "label", "-q", "-o"])
        .arg(&metrics)
        .arg("--predictions")
        .arg(&preds)
        .assert()
        .success();
    let text = fs::read_to_string(&metrics).unwrap();
    assert!(text.starts_with("metric,class,value\n"));
    let acc: f64 =
        text.lines().find(|l| l.starts_with("accuracy,")).unwrap().rsplit(',').next().unwrap().parse().unwrap();
    assert!(acc > 0.95, "training-set accuracy {acc}");
    let preds = fs::read_to_string(&preds).unwrap();
    assert!(preds.starts_with("doc_id,label,predicted,p_hedged,p_non_hedged\n"), "{}", preds.lines().next().unwrap());
    assert_eq!(preds.lines().count(), 161);

    slant()
        .args(["model", "inspect"])
        .arg(&model)
        .args(["--top", "3"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("model,class,direction,rank,feature,weight\nhedgy,hedged,positive,1,"));

    let out = slant()
        .args(["score", "-", "-q", "--model"])
        .arg(&model)
        .write_stdin("The plan may possibly be delayed.")
        .assert()
        .success();
    let csv = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let h = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    let get = |n: &str| {
        row.get(h.iter().position(|x| x == n).unwrap_or_else(|| panic!("no column {n}")))
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    assert!(get("p_hedgy_hedged") > 0.5);
    assert!((get("p_hedgy_hedged") + get("p_hedgy_non_hedged") - 1.0).abs() < 1e-3);

    slant()
        .args(["explain", "-", "--color", "never", "--model"])
        .arg(&model)
        .write_stdin("The plan may possibly be delayed.")
        .assert()
        .success()
        .stdout(predicate::str::contains("--- model 'hedgy'"))
        .stdout(predicate::str::contains("features pushing 'hedged'"));
}

/// The header of a CSV file.
fn csv_header(path: &Path) -> Vec<String> {
    csv::Reader::from_path(path).unwrap().headers().unwrap().iter().map(String::from).collect()
}

/// The columns the codebook CSV at `codebook` lists for `file`, in order.
fn codebook_columns(codebook: &Path, file: &str) -> Vec<String> {
    let mut r = csv::Reader::from_path(codebook).unwrap();
    r.records().map(|x| x.unwrap()).filter(|x| &x[0] == file).map(|x| x[1].to_string()).collect()
}

#[test]
fn train_eval_and_inspect_tables_have_the_columns_the_codebook_lists() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let data = write_data(d);
    let (model, oof, cv) = (d.join("hedgy.json"), d.join("oof.csv"), d.join("cv.csv"));
    slant()
        .arg("train")
        .arg(&data)
        .args(["--label-col", "label", "--group-col", "outlet", "--keep-cols", "outlet", "--cv", "3"])
        .args(["--min-df", "1", "-q", "--predictions"])
        .arg(&oof)
        .arg("--metrics")
        .arg(&cv)
        .arg("-o")
        .arg(&model)
        .assert()
        .success();
    let (grouped_metrics, grouped_preds, metrics, preds, top) =
        (d.join("gm.csv"), d.join("gp.csv"), d.join("m.csv"), d.join("p.csv"), d.join("top.csv"));
    slant()
        .arg("eval")
        .arg(&model)
        .arg(&data)
        .args(["--label-col", "label", "--group-col", "outlet", "--keep-cols", "outlet", "-q", "-o"])
        .arg(&grouped_metrics)
        .arg("--predictions")
        .arg(&grouped_preds)
        .assert()
        .success();
    slant()
        .arg("eval")
        .arg(&model)
        .arg(&data)
        .args(["-q", "-o"])
        .arg(&metrics)
        .arg("--predictions")
        .arg(&preds)
        .assert()
        .success();
    slant().args(["model", "inspect"]).arg(&model).args(["--top", "3", "-o"]).arg(&top).assert().success();

    let codebook = d.join("codebook.csv");
    slant()
        .args(["codebook", "--keep-cols", "outlet", "--model"])
        .arg(&model)
        .arg("-o")
        .arg(&codebook)
        .assert()
        .success();
    let predictions = codebook_columns(&codebook, "predictions");
    assert_eq!(predictions, ["doc_id", "outlet", "group", "label", "predicted", "fold", "p_hedged", "p_non_hedged"]);
    assert_eq!(csv_header(&oof), predictions);
    assert_eq!(csv_header(&cv), codebook_columns(&codebook, "cv_metrics"));
    assert_eq!(csv_header(&grouped_preds), predictions.iter().filter(|c| *c != "fold").cloned().collect::<Vec<_>>());
    assert_eq!(csv_header(&grouped_metrics), codebook_columns(&codebook, "metrics"));
    let without = |columns: Vec<String>, leave_out: &[&str]| -> Vec<String> {
        columns.into_iter().filter(|c| !leave_out.contains(&c.as_str())).collect()
    };
    assert_eq!(csv_header(&preds), without(predictions.clone(), &["outlet", "group", "fold"]));
    assert_eq!(csv_header(&metrics), without(codebook_columns(&codebook, "metrics"), &["group"]));
    assert_eq!(csv_header(&top), codebook_columns(&codebook, "top_features"));

    // Without a model the codebook lists the probability columns as a pattern.
    let generic = d.join("generic.csv");
    slant().args(["codebook", "-o"]).arg(&generic).assert().success();
    assert_eq!(
        codebook_columns(&generic, "predictions"),
        ["doc_id", "group", "label", "predicted", "fold", "p_<label>"]
    );
    // As the codebook says, the pooled figures are those of all the
    // out-of-fold predictions: the accuracy recomputed from the file is the
    // metrics file's, exactly.
    let (h, rows) = {
        let mut r = csv::Reader::from_path(&oof).unwrap();
        let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        (h, r.records().map(|x| x.unwrap()).collect::<Vec<_>>())
    };
    let at = |name: &str| h.iter().position(|c| c == name).unwrap();
    let correct = rows.iter().filter(|r| r[at("label")] == r[at("predicted")]).count();
    let accuracy = fs::read_to_string(&cv)
        .unwrap()
        .lines()
        .find(|l| l.starts_with("pooled,accuracy,"))
        .and_then(|l| l.rsplit(',').next())
        .unwrap()
        .parse::<f64>()
        .unwrap();
    assert_eq!(accuracy, correct as f64 / rows.len() as f64);
}

#[test]
fn model_file_round_trip_is_bit_identical_and_training_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let a = train(dir.path(), &data, "logistic", "a.json");
    let b = train(dir.path(), &data, "logistic", "b.json");
    // The header holds the body's checksum, so equal headers mean equal bodies.
    let strip = |p: &Path| {
        let mut v = header(p);
        v["created"] = serde_json::Value::Null;
        v["name"] = serde_json::Value::Null;
        v["training"]["command_line"] = serde_json::Value::Null;
        v["training"]["fit_seconds"] = serde_json::Value::Null;
        v["cross_validation"]["seconds"] = serde_json::Value::Null;
        v
    };
    assert!(strip(&a) == strip(&b), "same data and seed must give the same model");

    let texts = ["The vote may slip.", "The vote was held on Monday, officials said.", ""];
    let m1 = TrainedModel::load(&a).unwrap();
    let resaved = dir.path().join("resaved.json");
    m1.file.save(&resaved).unwrap();
    assert_eq!(fs::read(&a).unwrap(), fs::read(&resaved).unwrap(), "save(load(file)) == file");
    let m2 = TrainedModel::load(&resaved).unwrap();
    let (p1, p2) = (
        m1.predict_texts(&texts, &mut Worker::default()).unwrap(),
        m2.predict_texts(&texts, &mut Worker::default()).unwrap(),
    );
    for (x, y) in p1.iter().zip(p2.iter()) {
        assert_eq!(x.to_bits(), y.to_bits());
    }
}

#[test]
fn bad_model_files_fail_with_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let model = train(dir.path(), &data, "logistic", "good.json");
    let json = as_json(&model);
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();

    let check = |name: &str, content: &str, expect: &str| {
        let p = dir.path().join(name);
        fs::write(&p, content).unwrap();
        slant()
            .args(["score", "-", "--model"])
            .arg(&p)
            .write_stdin("x")
            .assert()
            .failure()
            .code(1)
            .stderr(predicate::str::contains(expect));
    };
    check("truncated.json", &json[..json.len() / 2], "truncated");
    check("notjson.json", "hello", "not a valid JSON model file");
    v["schema_version"] = 99.into();
    check("version.json", &v.to_string(), "model schema version 99");
    v["schema_version"] = 2.into();
    v["format"] = "something-else".into();
    check("format.json", &v.to_string(), "not a slant model");
    v["format"] = "slant-model".into();
    let good = v.clone();
    // The term index is rebuilt while deserialising, so a vocabulary that
    // does not match its idf weights is refused there.
    v["features"]["vocabulary"].as_array_mut().unwrap().pop();
    check("idf.json", &v.to_string(), "idf weights");
    v["features"]["idf"].as_array_mut().unwrap().pop();
    check("shape.json", &v.to_string(), "features but the feature spec produces");
    // Parameters are checked on load, like any fitted model's.
    let mut bad = good.clone();
    bad["params"]["c"] = (-1.0).into();
    check("params.json", &bad.to_string(), "C must be positive");
    // A model trained with another text pipeline is refused, naming the setting.
    let mut other = good.clone();
    other["text_pipeline"]["stemmer"] = "porter".into();
    check("pipeline.json", &other.to_string(), "trained with stemmer \"porter\"");
}

/// The binary body: a model converted to JSON only and back is the same
/// file; the JSON-only file loads as the same model; a body cut short or
/// with a flipped bit is refused with a typed error naming the file.
#[test]
fn the_binary_body_round_trips_and_a_damaged_body_is_refused() {
    use slant::error::Error;
    use slant::models::body::BodyError;
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let model = train(dir.path(), &data, "linear-svm", "m.json");
    let bytes = fs::read(&model).unwrap();
    let json = as_json(&model);
    assert!(json.len() > bytes.len(), "the body is smaller than the same arrays as JSON text");
    let json_path = dir.path().join("m.only.json");
    let back = dir.path().join("back.json");
    slant().args(["model", "convert", "-o"]).arg(&back).arg(&json_path).assert().success();
    assert_eq!(fs::read(&back).unwrap(), bytes, "binary -> JSON -> binary is the same file");
    assert_eq!(ModelFile::load(&json_path).unwrap(), ModelFile::load(&model).unwrap());
    assert!(header(&model)["body"]["crc32"].is_string(), "{}", header(&model)["body"]);

    let header_len = bytes.iter().position(|&b| b == b'\n').unwrap();
    let body_error = |name: &str, content: &[u8]| -> BodyError {
        let p = dir.path().join(name);
        fs::write(&p, content).unwrap();
        let err = ModelFile::load(&p).unwrap_err();
        let Error::Context { context, source } = err else { panic!("no context: {err:?}") };
        assert!(context.contains(name), "the error names the file: {context}");
        let Error::ModelBody(e) = *source else { panic!("not a body error: {source:?}") };
        // The command line says the same, with the file's name.
        slant()
            .args(["score", "-", "-q", "--model"])
            .arg(&p)
            .write_stdin("x")
            .assert()
            .failure()
            .code(1)
            .stderr(predicate::str::contains(name).and(predicate::str::contains(e.to_string())));
        e
    };
    let cut = bytes.len() - 5;
    assert_eq!(
        body_error("cut.json", &bytes[..cut]),
        BodyError::Truncated { expected: (bytes.len() - header_len - 1) as u64, found: (cut - header_len - 1) as u64 }
    );
    let mut flipped = bytes.clone();
    flipped[header_len + 40] ^= 0x10;
    assert!(matches!(body_error("flipped.json", &flipped), BodyError::Corrupt { .. }));
    let mut longer = bytes.clone();
    longer.extend_from_slice(b"\n");
    assert!(matches!(body_error("longer.json", &longer), BodyError::TrailingBytes { .. }));
    // Cut right after the header: the whole body is missing.
    assert_eq!(
        body_error("cut_at_header.json", &bytes[..header_len]),
        BodyError::Truncated { expected: (bytes.len() - header_len - 1) as u64, found: 0 }
    );
    // The CRC covers the body, not the header: an offset damaged in the
    // header (here moved by one 8-byte slot) must not read another array's
    // bytes silently.
    let head = std::str::from_utf8(&bytes[..header_len]).unwrap();
    let at = head.find(r#""offset":"#).unwrap() + r#""offset":"#.len();
    let digits = head[at..].find(|c: char| !c.is_ascii_digit()).unwrap();
    let offset: u64 = head[at..at + digits].parse().unwrap();
    let moved = format!("{}{}{}", &head[..at], offset + 8, &head[at + digits..]);
    let mut shifted = moved.into_bytes();
    shifted.extend_from_slice(&bytes[header_len..]);
    assert!(matches!(body_error("shifted.json", &shifted), BodyError::Layout(_)));
    // Cut inside the header: a JSON error, as for any truncated JSON.
    let p = dir.path().join("cut_header.json");
    fs::write(&p, &bytes[..header_len / 2]).unwrap();
    let err = ModelFile::load(&p).unwrap_err();
    assert!(err.full_message().contains("truncated"), "{}", err.full_message());
}

/// Model files of schema version 1 (`algorithm` + `hyper`) still load, as
/// the same model: identical probabilities.
#[test]
fn version_1_model_files_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let model = train(dir.path(), &data, "linear-svm", "v2.json");
    let mut v: serde_json::Value = serde_json::from_str(&as_json(&model)).unwrap();
    let params = v.as_object_mut().unwrap().remove("params").unwrap();
    v["schema_version"] = 1.into();
    v["algorithm"] = params["algorithm"].clone();
    v["hyper"] = serde_json::json!({
        "c": params["c"], "max_iter": params["max_iter"], "tol": params["tol"],
        "class_weight": params["class_weight"], "nb_alpha": 1.0, "max_depth": 10,
        "min_samples_leaf": 2, "seed": params["seed"]
    });
    let v1 = dir.path().join("v1.json");
    fs::write(&v1, v.to_string()).unwrap();
    let old = ModelFile::load(&v1).unwrap();
    let new = ModelFile::load(&model).unwrap();
    assert_eq!(old.params, new.params);
    assert_eq!(old.estimator, new.estimator);
    let score = |m: &std::path::Path| {
        let out = slant()
            .args(["score", "-", "-q", "--model"])
            .arg(m)
            .write_stdin("Critics argue the plan may fail.")
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(score(&v1), score(&model));
}

/// A corpus with far more terms (in two or more documents) than the tree's
/// 2000 columns: word `wN` for N from a fixed pseudo-random sequence.
fn write_wide_data(dir: &Path) -> PathBuf {
    let mut csv = String::from("id,text,label\n");
    let mut x: u64 = 12345;
    for d in 0..300 {
        let words: Vec<String> = (0..40)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                format!("w{}", (x >> 33) % 3000)
            })
            .collect();
        let label = if d % 2 == 0 { "a" } else { "b" };
        let cue = if d % 2 == 0 { "may perhaps" } else { "clearly indeed" };
        csv.push_str(&format!("d{d},{} {cue}.,{label}\n", words.join(" ")));
    }
    let p = dir.join("wide.csv");
    fs::write(&p, csv).unwrap();
    p
}

#[test]
fn tree_trains_with_default_flags_and_names_the_real_column_limit() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_wide_data(dir.path());
    let out = dir.path().join("tree.json");
    slant().args(["train", "-q", "--algo", "tree", "--ngrams", "1", "-o"]).arg(&out).arg(&data).assert().success();
    let m = ModelFile::load(&out).unwrap();
    let n = m.features.n_features();
    assert!(n <= slant::models::tree::MAX_TREE_FEATURES && n > 1900, "{n} features");
    // Asking for more terms than the tree leaves room for names the flag and the real limit.
    slant()
        .args(["train", "-q", "--algo", "tree", "--max-features", "2000", "-o"])
        .arg(dir.path().join("t2.json"))
        .arg(&data)
        .assert()
        .failure()
        .stderr(predicate::str::contains("--max-features can be at most"))
        .stderr(predicate::str::contains("lexicon and length features take"));
}

#[test]
fn a_numeric_label_column_is_refused_as_classification_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,text,score\n");
    for i in 0..60 {
        csv.push_str(&format!("d{i},Some words about item {i} here.,{}\n", i as f64 * 0.5));
    }
    let data = dir.path().join("num.csv");
    fs::write(&data, csv).unwrap();
    slant()
        .args(["train", "-q", "--label-col", "score", "-o"])
        .arg(dir.path().join("m.json"))
        .arg(&data)
        .assert()
        .failure()
        .stderr(predicate::str::contains("classification"))
        .stderr(predicate::str::contains("looks numeric (60 distinct values"));
}

#[test]
fn eval_warns_on_training_texts_and_reports_metrics_per_group() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let model = train(dir.path(), &data, "logistic", "m.json");
    // The training file itself.
    let metrics = dir.path().join("metrics.csv");
    slant()
        .arg("eval")
        .arg(&model)
        .arg(&data)
        .args(["--group-col", "outlet", "-q", "-o"])
        .arg(&metrics)
        .assert()
        .success()
        .stderr(predicate::str::contains("every row of this file (160) is a text that model 'm' was trained on"));
    let table = fs::read_to_string(&metrics).unwrap();
    assert!(table.starts_with("group,metric,class,value\n(all),n,,160\n"), "{table}");
    let outlets: std::collections::BTreeSet<&str> =
        table.lines().skip(1).map(|l| l.split(',').next().unwrap()).filter(|g| *g != "(all)").collect();
    assert_eq!(outlets.len(), 6, "{outlets:?}");
    let per_group_n: usize = table
        .lines()
        .filter(|l| !l.starts_with("(all)") && l.split(',').nth(1) == Some("n"))
        .map(|l| l.rsplit(',').next().unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(per_group_n, 160);
    // Part training rows, part new texts.
    let mut mixed: Vec<String> = fs::read_to_string(&data).unwrap().lines().take(11).map(String::from).collect();
    for i in 0..30 {
        mixed.push(format!("new{i},The ferry timetable for route {i} was printed in blue ink.,non-hedged,o1"));
    }
    let mixed_path = dir.path().join("mixed.csv");
    fs::write(&mixed_path, mixed.join("\n") + "\n").unwrap();
    slant()
        .arg("eval")
        .arg(&model)
        .arg(&mixed_path)
        .arg("-q")
        .assert()
        .success()
        .stderr(predicate::str::contains("10 of these 40 rows (25.0%) are texts that model 'm' was trained on"));
    // Held-out texts only: no warning.
    let fresh: Vec<String> =
        std::iter::once("id,text,label,outlet".to_string()).chain(mixed.into_iter().skip(11)).collect();
    let fresh_path = dir.path().join("fresh.csv");
    fs::write(&fresh_path, fresh.join("\n") + "\n").unwrap();
    slant()
        .arg("eval")
        .arg(&model)
        .arg(&fresh_path)
        .arg("-q")
        .assert()
        .success()
        .stderr(predicate::str::contains("trained on").not());
}

/// Several training files: the card and the metrics file break the pooled
/// out-of-fold metrics down by file, and the breakdown adds up to the pool.
#[test]
fn several_training_files_get_a_per_file_breakdown() {
    let dir = tempfile::tempdir().unwrap();
    let all = fs::read_to_string(write_data(dir.path())).unwrap();
    let mut lines = all.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    fs::write(&a, format!("{header}\n{}\n", rows[..50].join("\n"))).unwrap();
    fs::write(&b, format!("{header}\n{}\n", rows[50..].join("\n"))).unwrap();
    let (model, card, metrics) = (dir.path().join("m.json"), dir.path().join("m.card.md"), dir.path().join("m.csv"));
    slant()
        .arg("train")
        .arg(&a)
        .arg(&b)
        .args(["--label-col", "label", "--group-col", "outlet", "--cv", "3", "--min-df", "1", "-q", "-o"])
        .arg(&model)
        .arg("--card")
        .arg(&card)
        .arg("--metrics")
        .arg(&metrics)
        .assert()
        .success();
    let m = ModelFile::load(&model).unwrap();
    let cv = m.cross_validation.unwrap();
    let names: Vec<String> = cv.per_file.iter().map(|(f, _)| f.clone()).collect();
    assert_eq!(names, [a.display().to_string(), b.display().to_string()]);
    assert_eq!(cv.per_file[0].1.n, 50);
    assert_eq!(cv.per_file[1].1.n, rows.len() - 50);
    // Correct predictions per file add up to the pooled ones.
    let correct = |m: &slant::eval::Metrics| m.accuracy * m.n as f64;
    let sum: f64 = cv.per_file.iter().map(|(_, m)| correct(m)).sum();
    assert!((sum - correct(&cv.pooled)).abs() < 1e-6, "{sum} vs {}", correct(&cv.pooled));
    let card = fs::read_to_string(&card).unwrap();
    assert!(card.contains("Per training file"), "{card}");
    assert!(card.contains(&format!("| {} | 50 |", a.display())), "{card}");
    let csv = fs::read_to_string(&metrics).unwrap();
    assert!(csv.lines().any(|l| l.starts_with(&format!("file={},accuracy,,", b.display()))), "{csv}");

    // One file: no breakdown.
    slant()
        .arg("train")
        .arg(&a)
        .args(["--label-col", "label", "--group-col", "outlet", "--cv", "3", "--min-df", "1", "-q", "-o"])
        .arg(&model)
        .assert()
        .success();
    assert!(ModelFile::load(&model).unwrap().cross_validation.unwrap().per_file.is_empty());
}

#[test]
fn group_domain_groups_folds_by_the_publisher_of_a_url_column() {
    let dir = tempfile::tempdir().unwrap();
    let plain = fs::read_to_string(write_data(dir.path())).unwrap();
    // The same six outlets, now as URLs on two different hosts each.
    let mut csv = String::new();
    for (i, line) in plain.lines().enumerate() {
        if i == 0 {
            csv.push_str("id,text,label,url\n");
            continue;
        }
        let (rest, outlet) = line.rsplit_once(',').unwrap();
        let host = if i % 2 == 0 { "www" } else { "news" };
        csv.push_str(&format!("{rest},https://{host}.{outlet}.co.uk/story/{i}?ref=x\n"));
    }
    let data = dir.path().join("urls.csv");
    fs::write(&data, csv).unwrap();
    let (model, card, oof) = (dir.path().join("m.json"), dir.path().join("m.card.md"), dir.path().join("oof.csv"));
    slant()
        .arg("train")
        .arg(&data)
        .args(["--group-col", "url", "--group-domain", "--cv", "3", "--min-df", "1", "-o"])
        .arg(&model)
        .arg("--card")
        .arg(&card)
        .arg("--predictions")
        .arg(&oof)
        .assert()
        .success()
        .stderr(predicate::str::contains("--group-domain: 6 publisher domain(s) from column 'url'"));
    let card = fs::read_to_string(&card).unwrap();
    assert!(card.contains("grouped by `registrable domain of url`"), "{card}");
    // No publisher in two folds, though each has two hosts.
    let mut r = csv::Reader::from_path(&oof).unwrap();
    let h = r.headers().unwrap().clone();
    let (gi, fi) = (h.iter().position(|c| c == "group").unwrap(), h.iter().position(|c| c == "fold").unwrap());
    let mut fold_of: std::collections::HashMap<String, String> = Default::default();
    for rec in r.records() {
        let rec = rec.unwrap();
        assert!(rec[gi].starts_with("outlet") && rec[gi].ends_with(".co.uk"), "{:?}", &rec[gi]);
        let f = fold_of.entry(rec[gi].to_string()).or_insert_with(|| rec[fi].to_string());
        assert_eq!(*f, rec[fi], "publisher {} in two folds", &rec[gi]);
    }
    assert_eq!(fold_of.len(), 6);
    // --group-domain needs --group-col.
    slant().arg("train").arg(&data).args(["--group-domain", "-o"]).arg(&model).assert().failure().code(2);
}

#[test]
fn train_checks_the_format_against_the_table_names() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let metrics = dir.path().join("cv.csv");
    slant()
        .arg("train")
        .arg(&data)
        .args(["--cv", "3", "--min-df", "1", "--format", "tsv", "--metrics"])
        .arg(&metrics)
        .arg("-o")
        .arg(dir.path().join("m.json"))
        .assert()
        .success()
        .stderr(predicate::str::contains("cv.csv is written as tsv"));
    assert!(fs::read_to_string(&metrics).unwrap().starts_with("fold\tmetric\t"));
}

#[test]
fn tune_chooses_settings_inside_each_training_fold() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let (model, card) = (dir.path().join("m.json"), dir.path().join("m.card.md"));
    let grid = "c=0.001,100;char-ngrams=none,2-4";
    slant()
        .arg("train")
        .arg(&data)
        .args(["--group-col", "outlet", "--cv", "3", "--min-df", "1", "--ngrams", "1", "--tune", grid, "-o"])
        .arg(&model)
        .arg("--card")
        .arg(&card)
        .assert()
        .success()
        .stderr(predicate::str::contains("--tune: c="));
    let m: serde_json::Value = serde_json::from_str(&as_json(&model)).unwrap();
    let t = &m["training"]["tuning"];
    let candidates =
        ["c=0.001 char-ngrams=none", "c=0.001 char-ngrams=2-4", "c=100 char-ngrams=none", "c=100 char-ngrams=2-4"];
    let listed: Vec<&str> = t["candidates"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(listed, candidates, "{t}");
    assert_eq!(t["grid"].as_str(), Some(grid));
    let chosen = t["chosen"].as_str().unwrap();
    assert!(candidates.contains(&chosen), "{t}");
    let per_fold = t["chosen_per_fold"].as_array().unwrap();
    assert_eq!(per_fold.len(), 3, "one choice per outer fold");
    assert!(per_fold.iter().all(|c| candidates.contains(&c.as_str().unwrap())));
    // The best inner score wins (ties: the first listed).
    let scores: Vec<f64> = t["scores"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert_eq!(scores.len(), 4);
    let best = scores.iter().cloned().fold(f64::MIN, f64::max);
    let at = candidates.iter().position(|c| *c == chosen).unwrap();
    assert_eq!(scores[at], best);
    assert!(scores[..at].iter().all(|s| *s < best), "ties go to the first listed: {scores:?}");
    // The shipped model has the chosen settings, C and features alike.
    let c: f64 = chosen.split(' ').next().unwrap().trim_start_matches("c=").parse().unwrap();
    assert_eq!(m["params"]["c"].as_f64(), Some(c), "{}", m["params"]);
    let spec = &m["features"]["spec"];
    assert_eq!(chosen.ends_with("2-4"), !spec["char_ngrams"].is_null(), "{spec}");
    let vocab = m["features"]["vocabulary"].as_array().unwrap();
    let has_char = vocab.iter().any(|v| v.as_str().unwrap().starts_with("c:"));
    assert_eq!(has_char, chosen.ends_with("2-4"), "the vocabulary holds only the chosen candidate's terms");
    let card = fs::read_to_string(&card).unwrap();
    assert!(card.contains(&format!("Nested choice of settings (`--tune '{grid}'`): 4 candidates")), "{card}");
    assert!(card.contains(&format!("| `{chosen}` (shipped) |")), "{card}");
    assert!(card.contains("grouped by outlet") && card.contains("repeated inside each outer training fold"));
    // C only for logistic / linear SVM; bad grids fail before any fitting.
    let cases = [
        ("naive-bayes", "c=1,10", "logistic and linear-svm only"),
        ("logistic", "c=1,-2", "positive number"),
        ("logistic", "alpha=1", "unknown setting"),
    ];
    for (algo, grid, msg) in cases {
        slant()
            .arg("train")
            .arg(&data)
            .args(["--algo", algo, "--tune", grid, "-o"])
            .arg(&model)
            .assert()
            .failure()
            .stderr(predicate::str::contains(msg));
    }
}

#[test]
fn a_tuned_candidate_is_the_model_its_own_flags_would_train() {
    // Terms are counted once for the widest candidate; the chosen one must
    // still get exactly the vocabulary and weights of a plain run.
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let tuned = dir.path().join("tuned.json");
    slant()
        .arg("train")
        .arg(&data)
        .args(["--cv", "0", "--min-df", "1", "--c", "10", "--tune", "ngrams=1,2;char-ngrams=none,2-4", "-q", "-o"])
        .arg(&tuned)
        .assert()
        .success();
    let m: serde_json::Value = serde_json::from_str(&as_json(&tuned)).unwrap();
    let chosen = m["training"]["tuning"]["chosen"].as_str().unwrap().to_string();
    let mut flags: Vec<String> = vec!["--ngrams".into(), chosen.split(' ').next().unwrap()[7..].to_string()];
    if let Some(ch) = chosen.strip_suffix("2-4").map(|_| "2-4") {
        flags.extend(["--char-ngrams".into(), ch.into()]);
    }
    let plain = dir.path().join("plain.json");
    slant()
        .arg("train")
        .arg(&data)
        .args(["--cv", "0", "--min-df", "1", "--c", "10", "-q"])
        .args(&flags)
        .arg("-o")
        .arg(&plain)
        .assert()
        .success();
    let p: serde_json::Value = serde_json::from_str(&as_json(&plain)).unwrap();
    assert_eq!(m["features"], p["features"], "{chosen}");
    assert_eq!(m["estimator"], p["estimator"], "{chosen}");
}

#[test]
fn a_tuned_part_of_speech_candidate_is_the_model_its_own_flags_would_train() {
    // The part-of-speech n-grams are counted once for the widest candidate
    // (1-3); each candidate keeps only its own lengths (FeatureSpec::admits).
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    for grid in ["pos-ngrams=none,1-2", "pos-ngrams=2-3,1-1"] {
        let tuned = dir.path().join("tuned.json");
        slant()
            .arg("train")
            .arg(&data)
            .args(["--cv", "0", "--min-df", "1", "--c", "10", "--tune", grid, "-q", "-o"])
            .arg(&tuned)
            .assert()
            .success();
        let m: serde_json::Value = serde_json::from_str(&as_json(&tuned)).unwrap();
        let chosen = m["training"]["tuning"]["chosen"].as_str().unwrap().to_string();
        let value = chosen.strip_prefix("pos-ngrams=").unwrap();
        let plain = dir.path().join("plain.json");
        let mut cmd = slant();
        cmd.arg("train").arg(&data).args(["--cv", "0", "--min-df", "1", "--c", "10", "-q"]);
        if value != "none" {
            cmd.args(["--pos-ngrams", value]);
        }
        cmd.arg("-o").arg(&plain).assert().success();
        let p: serde_json::Value = serde_json::from_str(&as_json(&plain)).unwrap();
        assert_eq!(m["features"], p["features"], "{grid}: {chosen}");
        assert_eq!(m["estimator"], p["estimator"], "{grid}: {chosen}");
    }
}

#[test]
fn training_gives_the_same_model_and_figures_on_any_number_of_threads() {
    // The outer folds, the --tune inner folds, the calibration folds and the
    // one-vs-rest classes are fitted in parallel; every fit must be the same
    // whatever thread runs it, and the results are gathered in fold order.
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let run = |threads: &str| {
        let (model, metrics) =
            (dir.path().join(format!("t{threads}.json")), dir.path().join(format!("t{threads}.csv")));
        slant()
            .arg("train")
            .args(["--threads", threads])
            .arg(&data)
            .args(["--group-col", "outlet", "--cv", "3", "--min-df", "1", "--algo", "linear-svm"])
            .args(["--tune", "c=0.1,1;class-weight=none,balanced", "--calibration", "temperature", "-q", "-o"])
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
        v["cross_validation"]["seconds"] = serde_json::Value::Null;
        let metrics: Vec<String> =
            fs::read_to_string(&metrics).unwrap().lines().filter(|l| !l.starts_with('#')).map(String::from).collect();
        (v, metrics)
    };
    let (one, two, three) = (run("1"), run("2"), run("3"));
    assert!(one.0["training"]["tuning"]["chosen_per_fold"].as_array().unwrap().len() == 3);
    assert!(one.0 == two.0, "model files differ between 1 and 2 threads");
    assert!(one.0 == three.0, "model files differ between 1 and 3 threads");
    assert_eq!(one.1, two.1, "cross-validated metrics differ between 1 and 2 threads");
    assert_eq!(one.1, three.1, "cross-validated metrics differ between 1 and 3 threads");
}

#[test]
fn a_choice_of_calibration_methods_is_made_inside_each_training_fold() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let (model, card) = (dir.path().join("m.json"), dir.path().join("m.card.md"));
    slant()
        .arg("train")
        .arg(&data)
        .args(["--group-col", "outlet", "--cv", "3", "--min-df", "1", "--algo", "linear-svm"])
        .args(["--calibration", "temperature,temperature-top", "--calibration-folds", "3", "-q", "-o"])
        .arg(&model)
        .arg("--card")
        .arg(&card)
        .assert()
        .success();
    let m = header(&model);
    let per_fold = m["cross_validation"]["calibration_per_fold"].as_array().unwrap();
    assert_eq!(per_fold.len(), 3, "{per_fold:?}");
    assert!(per_fold.iter().all(|v| ["temperature", "temperature-top"].contains(&v.as_str().unwrap())));
    let text = fs::read_to_string(&card).unwrap();
    assert!(text.contains("Calibration method chosen inside each outer training fold"), "{text}");
    assert!(text.contains("chosen calibration `"), "{text}");
    // The shipped model's calibration names its method and the compared log losses.
    let cal = &m["estimator"]["calibration"];
    let fitted_on = cal["fitted_on"].as_str().unwrap();
    assert!(fitted_on.contains("temperature: ") && fitted_on.contains("temperature-top: "), "{fitted_on}");
    // `none` maps no scores: it cannot be a candidate.
    slant()
        .arg("train")
        .arg(&data)
        .args(["--cv", "0", "--min-df", "1", "--algo", "linear-svm", "--calibration", "none,platt", "-q", "-o"])
        .arg(dir.path().join("x.json"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("`none` cannot be one of several methods"));
}

/// The choice among calibration methods ends in the map a direct fit of
/// the chosen method gives (the same parameters), and no calibration moves
/// a decision: the out-of-fold predictions are those of the uncalibrated
/// model, fold by fold. Logistic regression, whose `none` is its own
/// argmax (the SVM's `none` is a Platt map with offsets, which can move
/// decisions).
#[test]
fn the_chosen_calibration_is_a_direct_fit_and_keeps_the_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let train = |calibration: &str, name: &str| -> (serde_json::Value, Vec<String>) {
        let (model, predictions) = (dir.path().join(format!("{name}.json")), dir.path().join(format!("{name}.csv")));
        slant()
            .arg("train")
            .arg(&data)
            .args(["--group-col", "outlet", "--cv", "3", "--min-df", "1", "--algo", "logistic"])
            .args(["--calibration", calibration, "--calibration-folds", "3", "-q", "--predictions"])
            .arg(&predictions)
            .arg("-o")
            .arg(&model)
            .assert()
            .success();
        let mut reader = csv::Reader::from_path(&predictions).unwrap();
        let col = reader.headers().unwrap().iter().position(|h| h == "predicted").unwrap();
        let predicted = reader.records().map(|r| r.unwrap()[col].to_string()).collect();
        (header(&model), predicted)
    };
    // Spaces around the names are allowed.
    let (chosen, chosen_pred) = train("temperature, temperature-top", "choice");
    let (_, none_pred) = train("none", "none");
    assert_eq!(chosen_pred, none_pred, "a calibration moved a decision");
    let cal = &chosen["estimator"]["calibration"];
    let fitted_on = cal["fitted_on"].as_str().unwrap();
    let method = fitted_on.split("chosen calibration `").nth(1).unwrap().split('`').next().unwrap().to_string();
    let (direct, direct_pred) = train(&method, "direct");
    assert_eq!(direct_pred, none_pred);
    let strip = |v: &serde_json::Value| {
        let mut v = v.clone();
        v.as_object_mut().unwrap().remove("fitted_on");
        v
    };
    assert_eq!(strip(cal), strip(&direct["estimator"]["calibration"]), "the choice is not the direct fit of {method}");
    // A name listed twice is an error, not silently dropped.
    slant()
        .arg("train")
        .arg(&data)
        .args(["--cv", "0", "--min-df", "1", "--calibration", "temperature,temperature-top,temperature", "-q", "-o"])
        .arg(dir.path().join("x.json"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("`temperature` is listed more than once"));
}
