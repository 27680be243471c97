//! `train --stack-model`: another model's probabilities on the same text as
//! features. Through the real binary: the stacked model is embedded in the
//! new file (with the SHA-256 of the file it came from), `model inspect` and
//! the card name it and its licence consequence, `score` gives each sentence
//! exactly the probabilities of the model applied to that sentence alone
//! (the training path), and models of another unit are refused.

use assert_cmd::Command;
use sha2::{Digest, Sha256};
use slant::engine::score_with_models;
use slant::models::artifact::{ModelFile, TrainedModel};
use slant::read::Document;
use slant::signals::{SignalSet, Worker};
use std::fs;
use std::path::{Path, PathBuf};

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// 60 sentences written for this test: opinionated ones (judging words)
/// and plain reports, 30 each.
fn write_sentences(dir: &Path) -> PathBuf {
    let opinion = [
        "This reckless plan is a disgrace to the city",
        "The mayor's absurd excuse insults every voter",
        "Such a shameful decision deserves nothing but scorn",
        "It is a brilliant and long overdue reform",
        "The council's cowardly silence is outrageous",
        "What a wonderful day for the people of this town",
    ];
    let report = [
        "The council met on Tuesday to discuss the budget",
        "The library will open at nine on weekdays",
        "Officials said the road repairs would start in May",
        "The committee published its report on Friday",
        "Two members voted against the proposal",
        "The school board approved the schedule for next year",
    ];
    let mut csv = String::from("id,text,label\n");
    for i in 0..30 {
        csv.push_str(&format!("o{i},\"{}, again.\",opinion\n", opinion[i % 6]));
        csv.push_str(&format!("r{i},\"{}, again.\",report\n", report[i % 6]));
    }
    let path = dir.join("sentences.csv");
    fs::write(&path, csv).unwrap();
    path
}

fn train(data: &Path, model: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    slant()
        .current_dir(root())
        .arg("train")
        .arg(data)
        .args(["--label-col", "label", "--level", "sentence", "--ngrams", "1", "--min-df", "1", "--cv", "2", "-q"])
        .arg("-o")
        .arg(model)
        .args(extra)
        .assert()
}

#[test]
fn a_stacked_model_is_embedded_named_and_scores_each_sentence_as_at_training() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_sentences(dir.path());
    let (model, card) = (dir.path().join("m.json"), dir.path().join("m.card.md"));
    train(&data, &model, &["--name", "m", "--stack-model", "models/bias.json", "--card", card.to_str().unwrap()])
        .success();

    // The file embeds the bias model, named by the SHA-256 of its file.
    let file = ModelFile::load(&model).unwrap();
    let bias_bytes = fs::read(root().join("models/bias.json")).unwrap();
    assert_eq!(file.stacked.len(), 1);
    assert_eq!(file.stacked[0].sha256, format!("{:x}", Sha256::digest(&bias_bytes)));
    assert_eq!(file.stacked[0].model, ModelFile::load(&root().join("models/bias.json")).unwrap());
    assert_eq!(file.features.spec.stacked, ["bias:biased", "bias:non-biased"]);
    let n = file.features.extra_names.len();
    assert_eq!(file.features.extra_names[n - 2..], ["stack:bias:biased", "stack:bias:non-biased"]);
    // A file whose stacked columns and embedded models disagree is refused.
    let mut renamed = file.clone();
    renamed.stacked[0].model.name = "other".into();
    assert!(renamed.check().unwrap_err().to_string().contains("stacked feature columns"));
    let mut unstacked = file.clone();
    unstacked.stacked.clear();
    assert!(unstacked.check().is_err());

    // The card and `model inspect` say what is stacked and what that means for the licence.
    let card = fs::read_to_string(&card).unwrap();
    assert!(card.contains("## Stacked models") && card.contains("`bias` (sentence level"), "{card}");
    assert!(card.contains("licence conditions of the stacked models' training data apply"), "{card}");
    let out = slant().args(["model", "inspect"]).arg(&model).assert().success();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("stacked model") && err.contains("`bias`") && err.contains("licence"), "{err}");

    // Scoring articles: each sentence's probability is the model's on that
    // sentence alone, stacked features included (the training path).
    let (scores, sentences, texts) = (dir.path().join("s.csv"), dir.path().join("sent.csv"), dir.path().join("texts"));
    slant()
        .current_dir(root())
        .args(["score", "datasets/examples", "-q", "--model"])
        .arg(&model)
        .arg("-o")
        .arg(&scores)
        .arg("--sentences")
        .arg(&sentences)
        .arg("--write-text")
        .arg(&texts)
        .assert()
        .success();
    let runtime = TrainedModel::load(&model).unwrap();
    let mut worker = Worker::default();
    let mut r = csv::Reader::from_path(&sentences).unwrap();
    let h = r.headers().unwrap().clone();
    let at = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (doc, start, end, p) = (at("doc_id"), at("char_start"), at("char_end"), at("p_m_opinion"));
    let opinion = runtime.file.labels.iter().position(|l| l == "opinion").unwrap();
    let mut checked = 0;
    for row in r.records() {
        let row = row.unwrap();
        let text = fs::read_to_string(texts.join(format!("{}.txt", &row[doc]))).unwrap();
        let chars: Vec<char> = text.chars().collect();
        let (a, b): (usize, usize) = (row[start].parse().unwrap(), row[end].parse().unwrap());
        let sentence: String = chars[a..b].iter().collect();
        let want = runtime.predict_texts(&[&sentence], &mut worker)[[0, opinion]];
        let got: f64 = row[p].parse().unwrap();
        assert!((got - want).abs() < 1e-4, "{} [{a}, {b}): score {got}, model alone {want}", &row[doc]);
        checked += 1;
    }
    assert!(checked > 50, "{checked} sentences");
}

/// With the stacked model's own file also among the models, `score` takes
/// its per-sentence probabilities from that model's rows instead of
/// computing them again: the stacking model's probabilities are the same
/// to the bit, in either order of the models.
#[test]
fn the_stacked_model_given_as_well_is_reused_with_identical_results() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_sentences(dir.path());
    let model = dir.path().join("m.json");
    train(&data, &model, &["--name", "m", "--stack-model", "models/bias.json"]).success();
    let stacking = || TrainedModel::load(&model).unwrap();
    let bias = || TrainedModel::load(&root().join("models/bias.json")).unwrap();
    let set = SignalSet::builtin();
    let text = fs::read_to_string(root().join("datasets/examples/oped-transit.txt")).unwrap();
    let doc = || Document { id: "d".into(), text: text.clone(), kept: vec![], location: "t".into(), warnings: vec![] };
    let probs = |models: &[TrainedModel], at: usize| {
        score_with_models(&set, models, &mut Worker::default(), doc()).sentence_probs[at].clone().unwrap()
    };
    let alone = probs(&[stacking()], 0);
    assert!(alone.nrows() > 3);
    assert_eq!(probs(&[bias(), stacking()], 1), alone);
    assert_eq!(probs(&[stacking(), bias()], 0), alone);
}

#[test]
fn a_stacked_model_of_another_unit_or_with_its_own_stack_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_sentences(dir.path());
    let model = dir.path().join("m.json");
    let out = train(&data, &model, &["--stack-model", "models/leaning.json"]).failure();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("a single-label model of level sentence is needed"), "{err}");
    assert!(!model.exists());

    train(&data, &model, &["--name", "m", "--stack-model", "models/bias.json"]).success();
    let second = dir.path().join("m2.json");
    let out = train(&data, &second, &["--stack-model", model.to_str().unwrap()]).failure();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("one level of stacking only"), "{err}");
}
