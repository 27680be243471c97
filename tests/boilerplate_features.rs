//! `train --drop-boilerplate`, `--char-ngrams`, `--pos-ngrams`, `--weighting nb` and
//! `model inspect`, through the binary, on small documents written here:
//! three invented "outlets" whose articles carry their page furniture and
//! the name of a real outlet of the shipped list, with a weaker content cue
//! of the label.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

/// 90 articles, 30 per label; each label's outlets sign with an outlet
/// name and a caption line, and the label also shows in a topic word.
fn write_data(dir: &Path) -> PathBuf {
    let outlets = [
        ("left", "NPR", "Enlarge this image toggle caption Staff/Getty Images", "wetlands"),
        ("center", "Reuters", "Reporting by Staff; Editing by Desk", "tariffs"),
        ("right", "Fox News", "Click here to get the app", "pipelines"),
    ];
    let fillers = [
        "The county board met on Tuesday and discussed the budget for next year",
        "Residents asked questions about road repairs and the library hours",
        "A spokesperson said the schedule would be published later this month",
        "Several members noted that the vote had been postponed twice already",
        "The meeting ended after two hours with a plan to meet again soon",
    ];
    let mut csv = String::from("id,text,label,outlet\n");
    for (o, (label, name, caption, topic)) in outlets.iter().enumerate() {
        for i in 0..30 {
            // The topic word appears in two articles of three: a real but weaker cue.
            let topic_sentence = if i % 3 == 0 {
                "Nothing else was on the agenda.".to_string()
            } else {
                format!("The {topic} plan came up again.")
            };
            let text = format!(
                "{caption}\n{name} reports: {} {topic_sentence} {} told {name} more.\n{}.\n",
                fillers[i % 5],
                ["One member", "A resident", "The clerk"][i % 3],
                fillers[(i + 2) % 5]
            );
            csv.push_str(&format!("{label}{i},\"{text}\",{label},outlet{}\n", o * 10 + i % 4));
        }
    }
    let path = dir.join("outlets.csv");
    fs::write(&path, csv).unwrap();
    path
}

fn train(data: &Path, model: &Path, extra: &[&str]) {
    slant()
        .arg("train")
        .arg(data)
        .args(["--label-col", "label", "--group-col", "outlet", "--algo", "logistic", "--ngrams", "1"])
        .args(["--min-df", "2", "--cv", "3", "--no-lexicon-features", "--no-length-features", "-q", "-o"])
        .arg(model)
        .args(extra)
        .assert()
        .success();
}

/// The `feature` column of `model inspect --top N`.
fn top_features(model: &Path, n: &str) -> Vec<String> {
    let out = slant().args(["model", "inspect"]).arg(model).args(["--top", n]).assert().success();
    let csv = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["model", "class", "direction", "rank", "feature", "weight"]
    );
    r.records().map(|row| row.unwrap()[4].to_string()).collect()
}

/// Probabilities of the model for each text (one column per label).
fn score(model: &Path, texts: &[&str]) -> Vec<Vec<f64>> {
    let mut input = String::from("id,text\n");
    for (i, t) in texts.iter().enumerate() {
        input.push_str(&format!("d{i},\"{t}\"\n"));
    }
    let out = slant()
        .args(["score", "-", "--input-format", "csv", "-q", "--model"])
        .arg(model)
        .write_stdin(input)
        .assert()
        .success();
    let csv = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let h = r.headers().unwrap().clone();
    let cols: Vec<usize> = h.iter().enumerate().filter(|(_, n)| n.starts_with("p_m_")).map(|(i, _)| i).collect();
    assert_eq!(cols.len(), 3, "{h:?}");
    r.records().map(|row| cols.iter().map(|&c| row.as_ref().unwrap()[c].parse().unwrap()).collect()).collect()
}

const OUTLET_TOKENS: [&str; 8] =
    ["w:npr", "w:reuter", "w:fox", "w:enlarg", "w:caption", "w:getti", "w:edit", "w:click"];

#[test]
fn outlet_names_and_furniture_leave_the_top_features() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let plain = dir.path().join("m.json");
    let clean_dir = dir.path().join("clean");
    fs::create_dir(&clean_dir).unwrap();
    let clean = clean_dir.join("m.json");
    train(&data, &plain, &[]);
    train(&data, &clean, &["--drop-boilerplate"]);

    // Without the option the outlet names and captions are what the model learns.
    let before = top_features(&plain, "5");
    assert!(before.iter().any(|f| OUTLET_TOKENS.contains(&f.as_str())), "{before:?}");
    // With it they are not features at all; the topic words carry the labels.
    let after = top_features(&clean, "5");
    for f in &after {
        assert!(!OUTLET_TOKENS.contains(&f.as_str()), "{f} among {after:?}");
    }
    for topic in ["w:wetland", "w:tariff", "w:pipelin"] {
        assert!(after.iter().any(|f| f == topic), "{topic} not among {after:?}");
    }

    // Scoring removes the same text: an article with and without the
    // furniture and outlet names gets the same probabilities.
    let body = "The board discussed the wetlands plan. A resident asked about it.";
    let furnished = "Enlarge this image toggle caption Staff/Getty Images\nThe board discussed the wetlands plan. A resident asked NPR about it.";
    let p = score(&clean, &[body, furnished]);
    for (a, b) in p[0].iter().zip(&p[1]) {
        assert!((a - b).abs() < 1e-12, "{:?} vs {:?}", p[0], p[1]);
    }
    let p = score(&plain, &[body, furnished]);
    assert!(p[0].iter().zip(&p[1]).any(|(a, b)| (a - b).abs() > 1e-3), "the plain model sees the furniture");

    // The model carries its list; inspect writes it back out.
    let out = slant().args(["model", "inspect"]).arg(&clean).arg("--boilerplate").assert().success();
    let list = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(list.contains("name\tReuters\toutlet"));
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("boilerplate removed before featurising (training and scoring): builtin:boilerplate.tsv"),
        "{err}"
    );
    assert!(err.contains("training data:") && err.contains("features: stem 1..1-grams"), "{err}");
    slant().args(["model", "inspect"]).arg(&plain).arg("--boilerplate").assert().failure();
}

#[test]
fn an_edited_boilerplate_list_is_used_and_a_bad_one_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let list = dir.path().join("mine.tsv");
    fs::write(
        &list,
        "# only the topic words\nname\twetlands\ttest\tx\nname\ttariffs\ttest\tx\nname\tpipelines\ttest\tx\n",
    )
    .unwrap();
    let model = dir.path().join("m.json");
    train(&data, &model, &["--boilerplate-list", list.to_str().unwrap()]);
    let top = top_features(&model, "20");
    assert!(!top.iter().any(|f| ["w:wetland", "w:tariff", "w:pipelin"].contains(&f.as_str())), "{top:?}");
    assert!(top.iter().any(|f| f == "w:npr"), "names not in this list stay: {top:?}");

    fs::write(&list, "outlet\tNPR\n").unwrap();
    slant()
        .arg("train")
        .arg(&data)
        .args(["--label-col", "label", "--cv", "0", "-q", "-o"])
        .arg(dir.path().join("bad.json"))
        .args(["--boilerplate-list", list.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicates::str::contains("unknown kind \"outlet\""));
}

#[test]
fn character_ngrams_and_nb_weighting_train_score_and_show() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let model = dir.path().join("m.json");
    train(&data, &model, &["--char-ngrams", "3-4", "--weighting", "nb", "--drop-boilerplate"]);
    let top = top_features(&model, "30");
    assert!(top.iter().any(|f| f.starts_with("c:")), "character n-grams among the features: {top:?}");
    // The model file's JSON header (the arrays are in its binary body).
    let bytes = fs::read(&model).unwrap();
    let m: serde_json::Value = serde_json::Deserializer::from_slice(&bytes).into_iter().next().unwrap().unwrap();
    assert_eq!(m["features"]["spec"]["char_ngrams"], serde_json::json!([3, 4]));
    assert_eq!(m["features"]["spec"]["weighting"], "nb");
    // A held-out wording of one label's topic is scored towards that label.
    let p = score(&model, &["They talked about tariffs for an hour."]);
    let labels_sorted = ["center", "left", "right"];
    let best = (0..3).max_by(|&a, &b| p[0][a].total_cmp(&p[0][b])).unwrap();
    assert_eq!(labels_sorted[best], "center", "{:?}", p[0]);
    for bad in ["0-3", "4-2", "x", "2-11"] {
        slant()
            .arg("train")
            .arg(&data)
            .args(["--label-col", "label", "--cv", "0", "-q", "-o"])
            .arg(dir.path().join("bad.json"))
            .args(["--char-ngrams", bad])
            .assert()
            .failure();
    }
}

#[test]
fn part_of_speech_ngrams_train_score_and_show() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path());
    let model = dir.path().join("m.json");
    train(&data, &model, &["--pos-ngrams", "1-3"]);
    let top = top_features(&model, "30");
    assert!(top.iter().any(|f| f.starts_with("p:")), "part-of-speech n-grams among the features: {top:?}");
    let bytes = fs::read(&model).unwrap();
    let m: serde_json::Value = serde_json::Deserializer::from_slice(&bytes).into_iter().next().unwrap().unwrap();
    assert_eq!(m["features"]["spec"]["pos_ngrams"], serde_json::json!([1, 3]));
    assert!(m["features"]["spec"].get("char_ngrams").is_none(), "an unused block is not written");
    // A model without the block does not write the key (older files read the same).
    let plain = dir.path().join("plain.json");
    train(&data, &plain, &[]);
    let bytes = fs::read(&plain).unwrap();
    let p: serde_json::Value = serde_json::Deserializer::from_slice(&bytes).into_iter().next().unwrap().unwrap();
    assert!(p["features"]["spec"].get("pos_ngrams").is_none(), "{}", p["features"]["spec"]);
    let out = slant().args(["model", "inspect"]).arg(&model).assert().success();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("part-of-speech n-grams: 1-3 tokens inside a sentence"), "{err}");
    // Scoring gives probabilities, and the caption style of the center
    // outlet still points to its label.
    let p = score(&model, &["Reporting by Staff; Editing by Desk\nThe board met on Tuesday."]);
    assert!((p[0].iter().sum::<f64>() - 1.0).abs() < 1e-9, "{:?}", p[0]);
    let labels_sorted = ["center", "left", "right"];
    let best = (0..3).max_by(|&a, &b| p[0][a].total_cmp(&p[0][b])).unwrap();
    assert_eq!(labels_sorted[best], "center", "{:?}", p[0]);
    for bad in ["0-3", "3-2", "x", "1-6"] {
        slant()
            .arg("train")
            .arg(&data)
            .args(["--label-col", "label", "--cv", "0", "-q", "-o"])
            .arg(dir.path().join("bad.json"))
            .args(["--pos-ngrams", bad])
            .assert()
            .failure()
            .stderr(predicates::str::contains("--pos-ngrams"));
    }
}

/// The shipped leaning model is trained with --drop-boilerplate: its
/// strongest features are not outlet names, nor the caption and credit
/// words the issue found among them (imag, caption, toggl, enlarg, getti),
/// nor the furniture words the list removes wherever they are (newsletter).
/// Furniture words the list removes only in short lines (subscribe, please)
/// can remain from long lines.
#[test]
fn shipped_leaning_model_has_no_outlet_fingerprints_among_its_top_features() {
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/leaning.json");
    let out = slant().args(["model", "inspect"]).arg(&model).arg("--boilerplate").assert().success();
    let list = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(list.contains("\nname\tNPR\toutlet"), "the model carries the shipped list");
    let top = top_features(&model, "30");
    let fingerprints = [
        "w:npr",
        "w:reuter",
        "w:ap",
        "w:fox",
        "w:getti",
        "w:caption",
        "w:enlarg",
        "w:toggl",
        "w:imag",
        "w:politico",
        "w:cnn",
        "w:bbc",
        "w:vox",
        "w:breitbart",
        "w:newsmax",
        "w:townhal",
        "w:guardian",
        "w:playback",
        "w:newslett",
        "w:usa",
        "w:abc",
        "w:cbs",
        "w:nbc",
        "w:msnbc",
        "w:axio",
        "w:huffpost",
    ];
    for f in &top {
        assert!(!fingerprints.contains(&f.as_str()), "{f} among the leaning model's top features");
    }
}
