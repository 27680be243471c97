//! `train --stack-model`: another model's probabilities on the same text as
//! features. Through the real binary: the stacked model is embedded in the
//! new file (with the SHA-256 of the file it came from), `model inspect` and
//! the card name it and its licence consequence, `score` gives each sentence
//! exactly the probabilities of the model applied to that sentence alone
//! (the training path), and models of another unit are refused.

use assert_cmd::Command;
use sha2::{Digest, Sha256};
use slant::engine::{score_with_models, sentence_rows, SentenceSlices, StackedReuse};
use slant::models::artifact::{ModelFile, TextFingerprints, TrainedModel, SCHEMA_VERSION, SCHEMA_VERSION_UNSTACKED};
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

/// The sentences of [`write_sentences`] in `dir`, and a model `m` trained
/// on them with the shipped bias model stacked: (data file, model file).
fn train_stacked_on_bias(dir: &Path) -> (PathBuf, PathBuf) {
    let data = write_sentences(dir);
    let model = dir.join("m.json");
    train(&data, &model, &["--name", "m", "--stack-model", "models/bias.json"]).success();
    (data, model)
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
    assert_eq!(file.features.spec().stacked, ["bias:biased", "bias:non-biased"]);
    let n = file.features.extra_names.len();
    assert_eq!(file.features.extra_names[n - 2..], ["stack:bias:biased", "stack:bias:non-biased"]);
    // A file whose stacked columns and embedded models disagree is refused.
    let mut renamed = file.clone();
    renamed.stacked[0].model.name = "other".into();
    assert!(renamed.check().unwrap_err().to_string().contains("stacked feature columns"));
    let mut unstacked = file.clone();
    unstacked.stacked.clear();
    assert!(unstacked.check().is_err());
    // An empty fingerprint list would pass every overlap check while
    // checking nothing: refused, in the file and in an embedded model, and
    // counted as unknown overlap; more fingerprints than rows are refused.
    let none = || TextFingerprints::from_texts(std::iter::empty::<&str>());
    let mut empty = file.clone();
    empty.training.text_fingerprints = Some(none());
    assert!(empty.check().unwrap_err().to_string().contains("text_fingerprints is empty"));
    assert_eq!(empty.stacked[0].training_overlap(&empty.training), None);
    assert_eq!(file.stacked[0].training_overlap(&file.training), Some(0));
    let mut empty_inside = file.clone();
    empty_inside.stacked[0].model.training.text_fingerprints = Some(none());
    assert!(format!("{:?}", empty_inside.check().unwrap_err()).contains("text_fingerprints is empty"));
    assert_eq!(empty_inside.stacked[0].training_overlap(&file.training), None);
    let mut too_many = file.clone();
    let texts: Vec<String> = (0..=file.training.rows).map(|i| format!("text {i}")).collect();
    too_many.training.text_fingerprints = Some(TextFingerprints::from_texts(texts.iter().map(String::as_str)));
    assert!(too_many.check().unwrap_err().to_string().contains("61 fingerprints for 60 training rows"));

    // The card and `model inspect` say what is stacked and what that means for the licence.
    let card = fs::read_to_string(&card).unwrap();
    assert!(card.contains("## Stacked models") && card.contains("`bias` (sentence level"), "{card}");
    assert!(card.contains("licence conditions of the stacked models' training data apply"), "{card}");
    // BABE shares no text with these invented sentences: the check ran and passed.
    assert!(
        card.contains(
            "Exact-text overlap check passed: no exact-text overlap (byte-identical texts after the reader's"
        ),
        "{card}"
    );
    assert!(card.contains("between this model's 60 rows (12 distinct texts)"), "{card}");
    assert!(card.contains("near-duplicates (texts differing in whitespace or case"), "{card}");
    assert!(!card.contains("carry no label"), "{card}");
    let out = slant().args(["model", "inspect"]).arg(&model).assert().success();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("stacked model") && err.contains("`bias`") && err.contains("licence"), "{err}");

    // Scoring one-sentence documents (what the models are trained on):
    // `score` gives each the training path's probability, stacked
    // features included, to the 4 decimals written, and to the bit in the
    // library, whether the stacked model is also given or not.
    let docs: Vec<String> = ONE_SENTENCE.iter().map(|t| t.to_string()).collect();
    let input = dir.path().join("docs.csv");
    let mut csv_text = String::from("id,text\n");
    for (i, t) in docs.iter().enumerate() {
        csv_text.push_str(&format!("d{i},\"{}\"\n", t.replace('"', "\"\"")));
    }
    fs::write(&input, csv_text).unwrap();
    let (scores, sentences) = (dir.path().join("s.csv"), dir.path().join("sent.csv"));
    slant()
        .current_dir(root())
        .args(["score", "-q", "--model"])
        .arg(&model)
        .arg("-o")
        .arg(&scores)
        .arg("--sentences")
        .arg(&sentences)
        .arg(&input)
        .assert()
        .success();
    let runtime = TrainedModel::load(&model).unwrap();
    let bias = TrainedModel::load(&root().join("models/bias.json")).unwrap();
    let mut worker = Worker::default();
    let mut r = csv::Reader::from_path(&sentences).unwrap();
    let h = r.headers().unwrap().clone();
    let at = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (doc, p) = (at("doc_id"), at("p_m_opinion"));
    let opinion = runtime.file.labels.iter().position(|l| l == "opinion").unwrap();
    let mut checked = 0;
    for row in r.records() {
        let row = row.unwrap();
        let i: usize = row[doc][1..].parse().unwrap();
        let want = runtime.predict_texts(&[&docs[i]], &mut worker).unwrap();
        let got: f64 = row[p].parse().unwrap();
        assert!((got - want[[0, opinion]]).abs() < 0.6e-4, "d{i}: score {got}, training path {want}");
        checked += 1;
    }
    assert_eq!(checked, docs.len(), "one sentence per document");
    let set = SignalSet::builtin();
    let both = [bias, runtime];
    for text in &docs {
        let doc =
            || Document { id: "d".into(), text: text.clone(), kept: vec![], location: "t".into(), warnings: vec![] };
        let want = both[1].predict_texts(&[text], &mut worker).unwrap();
        let alone = score_with_models(&set, &both[1..], &mut worker, doc()).sentence_probs[0].clone().unwrap();
        let with_bias = score_with_models(&set, &both, &mut worker, doc()).sentence_probs[1].clone().unwrap();
        let bits = |a: &ndarray::Array2<f64>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&alone), bits(&want), "{text}");
        assert_eq!(bits(&with_bias), bits(&want), "{text}");
    }
}

/// One-sentence documents written for these tests (one with a quotation).
const ONE_SENTENCE: [&str; 8] = [
    "This reckless plan is a disgrace to the whole city.",
    "The council met on Tuesday to discuss the budget.",
    "\"We will not give up,\" the mayor said after the vote.",
    "Critics called the shameful decision an insult to every voter.",
    "Officials said the road repairs may start in May.",
    "What a wonderful, long overdue reform this is!",
    "The library will open at nine on weekdays.",
    "Experts warn the absurd scheme could clearly fail.",
];

/// With the stacked model's own file also among the models, `score` takes
/// its per-sentence probabilities from that model's rows instead of
/// computing them again: the stacking model's probabilities are the same
/// to the bit, in either order of the models.
#[test]
fn the_stacked_model_given_as_well_is_reused_with_identical_results() {
    let dir = tempfile::tempdir().unwrap();
    let (_, model) = train_stacked_on_bias(dir.path());
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

/// The first line of a model file: its JSON header.
fn header(path: &Path) -> serde_json::Value {
    let bytes = fs::read(path).unwrap();
    let end = bytes.iter().position(|&b| b == b'\n').unwrap_or(bytes.len());
    serde_json::from_slice(&bytes[..end]).unwrap()
}

/// The file with its header's fields changed by `edit` (the body as it was).
fn with_header(path: &Path, out: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let bytes = fs::read(path).unwrap();
    let end = bytes.iter().position(|&b| b == b'\n').unwrap();
    let mut h: serde_json::Value = serde_json::from_slice(&bytes[..end]).unwrap();
    edit(&mut h);
    let mut new = serde_json::to_vec(&h).unwrap();
    new.extend_from_slice(&bytes[end..]);
    fs::write(out, new).unwrap();
}

/// The leakage guard (the reviewer's case): a model stacked on a model
/// trained on the very same rows is refused, naming the counts; with
/// --allow-stack-overlap it trains, and the card states the overlap and
/// that its figures are optimistic instead of claiming no leakage.
#[test]
fn a_stacked_model_trained_on_the_same_rows_is_refused_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_sentences(dir.path());
    let first = dir.path().join("first.json");
    train(&data, &first, &["--name", "first", "--data-licence", "CC0 (written for this test)"]).success();
    let (model, card) = (dir.path().join("m.json"), dir.path().join("m.card.md"));
    let out = train(&data, &model, &["--name", "m", "--stack-model", first.to_str().unwrap()]).failure();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("model 'first' was trained on 60 of these 60 rows (12 distinct texts)"), "{err}");
    assert!(err.contains("it was trained on 60 rows (12 distinct texts)") && !err.contains("  "), "{err}");
    assert!(err.contains("equal data SHA-256") && err.contains("--allow-stack-overlap"), "{err}");
    assert!(!model.exists());

    let args = ["--name", "m", "--stack-model", first.to_str().unwrap(), "--allow-stack-overlap", "--card"];
    let out = train(&data, &model, &[&args[..], &[card.to_str().unwrap()]].concat()).success();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("warning") && err.contains("60 of these 60 rows"), "{err}");
    let card = fs::read_to_string(&card).unwrap();
    assert!(
        card.contains(
            "Overlap: 12 of the distinct texts of this model's 60 rows (12 distinct texts) were training texts of \
             `first` too"
        ),
        "{card}"
    );
    assert!(card.contains("figures on this card are optimistic"), "{card}");
    assert!(!card.contains("overlap check passed"), "{card}");
    assert!(card.contains("Its training data's licence: CC0 (written for this test)."), "{card}");

    // Half of the rows shared: the count is of those rows.
    let half = dir.path().join("half.csv");
    let text = fs::read_to_string(&data).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    fs::write(&half, lines[..31].join("\n") + "\n").unwrap();
    let small = dir.path().join("small.json");
    train(&half, &small, &["--name", "small"]).success();
    let out = train(&data, &model, &["--name", "m", "--stack-model", small.to_str().unwrap()]).failure();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("model 'small' was trained on 60 of these 60 rows"), "{err}");
    assert!(!err.contains("equal data SHA-256"), "{err}");
}

/// A file that stacks is schema version 4, so a slant that cannot apply
/// stacked models refuses it ("not supported") rather than scoring
/// without them; a file that stacks nothing stays version 3, and version
/// 3 with stacked models is refused.
#[test]
fn a_stacking_file_is_schema_version_4_and_others_stay_3() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_sentences(dir.path());
    let (plain, stacking) = (dir.path().join("plain.json"), dir.path().join("m.json"));
    train(&data, &plain, &["--name", "plain"]).success();
    train(&data, &stacking, &["--name", "m", "--stack-model", "models/bias.json"]).success();
    assert_eq!((SCHEMA_VERSION, SCHEMA_VERSION_UNSTACKED), (4, 3));
    assert_eq!(header(&plain)["schema_version"], 3);
    assert_eq!(header(&stacking)["schema_version"], 4);
    // Loaded and saved again, each keeps its version.
    let resaved = dir.path().join("resaved.json");
    ModelFile::load(&stacking).unwrap().save(&resaved).unwrap();
    assert_eq!(fs::read(&stacking).unwrap(), fs::read(&resaved).unwrap());
    ModelFile::load(&plain).unwrap().save(&resaved).unwrap();
    assert_eq!(fs::read(&plain).unwrap(), fs::read(&resaved).unwrap());

    let refused = |edit: fn(&mut serde_json::Value), expect: &str| {
        let bad = dir.path().join("bad.json");
        with_header(&stacking, &bad, edit);
        let err = ModelFile::load(&bad).unwrap_err();
        let mut msg = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(e) = source {
            msg = format!("{msg}: {e}");
            source = e.source();
        }
        assert!(msg.contains(expect), "{msg}");
    };
    // What a slant of the next schema would write, read by this one.
    refused(|h| h["schema_version"] = 5.into(), "model schema version 5");
    refused(|h| h["schema_version"] = 5.into(), "is not supported");
    refused(|h| h["schema_version"] = 3.into(), "a schema version 3 model file cannot stack models");
}

/// Which stacked model is reused is decided by the whole model, not the
/// SHA-256 the file claims: the shipped bias model given with --model is
/// reused (also from a copy with other bytes), a different model named
/// `bias` is not, even when the stacking model's claimed SHA-256 is its.
#[test]
fn reuse_is_decided_by_the_whole_model() {
    let dir = tempfile::tempdir().unwrap();
    let (data, model) = train_stacked_on_bias(dir.path());
    let other_bias = dir.path().join("bias.json");
    train(&data, &other_bias, &["--name", "bias"]).success();
    let json_copy = dir.path().join("bias_json.json");
    ModelFile::load(&root().join("models/bias.json")).unwrap().save_json(&json_copy).unwrap();
    let load = |p: &Path| TrainedModel::load(p).unwrap();
    let bias = || load(&root().join("models/bias.json"));

    assert_eq!(StackedReuse::of(&[bias(), load(&model)]).source(1, 0), Some(0));
    assert_eq!(StackedReuse::of(&[load(&model), bias()]).source(0, 0), Some(1));
    assert_eq!(StackedReuse::of(&[load(&json_copy), load(&model)]).source(1, 0), Some(0));
    assert_eq!(StackedReuse::of(&[load(&other_bias), load(&model)]).source(1, 0), None);
    assert_eq!(StackedReuse::of(&[load(&model)]).source(0, 0), None);
    // The other model's SHA-256 claimed for the embedded one: still not reused.
    let mut claiming = load(&model);
    claiming.stacked[0].file_sha256 = load(&other_bias).file_sha256.clone();
    assert_eq!(StackedReuse::of(&[load(&other_bias), claiming]).source(1, 0), None);
    // Nothing stacked, nothing reused.
    assert_eq!(StackedReuse::of(&[bias()]).source(0, 0), None);
}

/// Every shipped model: a file that stacks is schema version 4 and each
/// model it embeds from a shipped file is that file (same SHA-256, same
/// model); a file that stacks nothing is version 3 (so stacking changed
/// no shipped file). At least the five sentence and document models are
/// looked at.
#[test]
fn shipped_models_and_what_they_stack() {
    let mut seen = 0;
    for entry in fs::read_dir(root().join("models")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".json") || name.ends_with(".manifest.json") {
            continue;
        }
        let file = ModelFile::load(&path).unwrap_or_else(|e| panic!("{name}: {e:#}"));
        let version = header(&path)["schema_version"].as_u64().unwrap();
        assert_eq!(version, if file.stacked.is_empty() { 3 } else { 4 }, "{name}");
        for s in &file.stacked {
            let shipped = root().join(&s.source);
            if shipped.parent() == Some(root().join("models").as_path()) && shipped.exists() {
                let (again, sha) = ModelFile::load_with_sha256(&shipped).unwrap();
                assert_eq!(s.sha256, sha, "{name} embeds {} as it no longer is", s.source);
                assert_eq!(s.model, again, "{name}: {}", s.source);
            }
        }
        seen += 1;
    }
    assert!(seen >= 5, "{seen} shipped models");
}

/// In a document of several sentences, a sentence's row is the slice of
/// the document's analysis (its quotation state in the article), and the
/// stacked columns hold the stacked model's probabilities of that same
/// slice row, the ones it is scored with when given with --model, not of
/// the sentence analysed alone. Rebuilt here from the slices and the bias
/// model's own per-sentence probabilities of the run.
#[test]
fn in_a_longer_document_the_stacked_values_are_those_of_the_same_slice_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (_, model) = train_stacked_on_bias(dir.path());
    let stacking = TrainedModel::load(&model).unwrap();
    let bias = TrainedModel::load(&root().join("models/bias.json")).unwrap();
    let set = SignalSet::builtin();
    assert!(stacking.shares_lexicons_with(&set) && bias.shares_lexicons_with(&set));
    let text = "The mayor spoke on Monday. \"We will rebuild the old bridge. It may take years, but it is a \
                shameful waste,\" she said. Critics called the plan reckless.";
    let doc = Document { id: "d".into(), text: text.into(), kept: vec![], location: "t".into(), warnings: vec![] };
    let mut w = Worker::default();
    let both = [bias, stacking];
    let scored = score_with_models(&set, &both, &mut w, doc);
    let (p_bias, p_m) = (scored.sentence_probs[0].clone().unwrap(), scored.sentence_probs[1].clone().unwrap());
    assert_eq!((p_bias.nrows(), p_m.nrows()), (4, 4));

    let signals = set.analyze(text, &mut w);
    let slices = SentenceSlices::new(&set, &signals, w.analyzer.generation());
    let rows = sentence_rows(&both[1], &mut w, text, Some(&slices));
    let f = &both[1].file.features;
    let mut differs_from_alone = 0;
    for (i, s) in signals.analyzed.sentences.iter().enumerate() {
        let (idx, val) = rows.row(i);
        let mut row: Vec<(u32, f32)> = idx.iter().copied().zip(val.iter().copied()).collect();
        let values: Vec<f32> = p_bias.row(i).iter().map(|&p| p as f32).collect();
        f.set_stacked(&mut row, &values).unwrap();
        let mut one = slant::features::sparse::CsrMatrix::new(f.n_features());
        one.push_row(row);
        let want = both[1].file.estimator.predict_proba(&one);
        let got: Vec<u64> = p_m.row(i).iter().map(|v| v.to_bits()).collect();
        assert_eq!(got, want.row(0).iter().map(|v| v.to_bits()).collect::<Vec<_>>(), "sentence {i}");
        let alone = both[0].predict_texts(&[&text[s.span.start..s.span.end]], &mut w).unwrap();
        differs_from_alone += (alone.row(0) != p_bias.row(i)) as usize;
    }
    // The sentence inside the quotation reads differently in the article.
    assert!(differs_from_alone >= 1, "no sentence's bias probability depends on its context");
}

/// A stacked model whose output does not fit the stacking model's columns
/// (here a model of another class count put in its place in memory; a file
/// like that is refused by `check`): scoring leaves that model's values
/// empty and says so in `model_errors`, naming the model, not as a read
/// warning (which nothing after reading would report).
#[test]
fn a_stacked_model_whose_output_does_not_fit_is_a_model_error_of_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let (_, model) = train_stacked_on_bias(dir.path());
    let mut stacking = TrainedModel::load(&model).unwrap();
    let other = TrainedModel::load(&root().join("models/gun_frames.json")).unwrap();
    assert_ne!(other.file.labels.len(), stacking.stacked[0].file.labels.len());
    stacking.stacked[0] = other;
    let set = SignalSet::builtin();
    let doc = Document {
        id: "d7".into(),
        text: "The council met on Tuesday. This reckless plan is a disgrace.".into(),
        kept: vec![],
        location: "t".into(),
        warnings: vec![],
    };
    let scored = score_with_models(&set, &[stacking], &mut Worker::default(), doc);
    assert!(scored.doc.warnings.is_empty(), "{:?}", scored.doc.warnings);
    assert_eq!(scored.model_errors.len(), 1, "{:?}", scored.model_errors);
    assert!(scored.model_errors[0].starts_with("model 'm': "), "{}", scored.model_errors[0]);
    assert!(scored.model_values[0].iter().all(Option::is_none));
}
