//! A sentence-level model is applied to sentences, never to a whole
//! article: through the real binary, the scores file has only its sentence
//! aggregates, the sentences file its per-sentence probabilities, and the
//! report and `explain` say which sentences it flags.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|rec| rec.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// `slant score INPUT -q --model MODEL... -o scores --sentences sentences`
/// (from the repository root, so relative paths resolve), which must succeed.
fn score_with_sentences(input: &Path, models: &[&Path], scores: &Path, sentences: &Path) {
    let mut cmd = slant();
    cmd.current_dir(root()).arg("score").arg(input).arg("-q");
    for m in models {
        cmd.arg("--model").arg(m);
    }
    cmd.arg("-o").arg(scores).arg("--sentences").arg(sentences).assert().success();
}

#[test]
fn sentence_model_columns_are_sentence_aggregates_and_per_sentence_probabilities() {
    let dir = tempfile::tempdir().unwrap();
    let (scores, sentences) = (dir.path().join("s.csv"), dir.path().join("sent.csv"));
    let models = [Path::new("models/subjectivity.json"), Path::new("models/leaning.json")];
    score_with_sentences(Path::new("datasets/examples"), &models, &scores, &sentences);
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

/// `explain` gives each sentence the probabilities `score --sentences`
/// gives it (both read the sentence as the document's analysis shows it),
/// for two sentence models that share the run's lexicons, on a document
/// whose quotation runs over two sentences; and that reading is not the
/// sentence's own: explained alone, the sentence inside the quotation gets
/// other probabilities.
#[test]
fn explain_gives_each_sentence_the_probabilities_of_score() {
    let text = "The mayor spoke on Monday. \"We will rebuild the old bridge. It may take years, but it is \
                clearly worth it,\" she said. Critics called the plan a reckless, shameful waste. \
                The council meets again in May.";
    let models = ["models/subjectivity.json", "models/bias.json"];
    let dir = tempfile::tempdir().unwrap();
    let (input, scores, sentences) = (dir.path().join("doc.txt"), dir.path().join("s.csv"), dir.path().join("se.csv"));
    fs::write(&input, text).unwrap();
    let mut score = slant();
    score.current_dir(root()).arg("score").arg(&input).args(["-q", "--threads", "1", "--model"]).args(models);
    score.arg("-o").arg(&scores).arg("--sentences").arg(&sentences).assert().success();
    let (sh, rows) = read_csv(&sentences);
    assert_eq!(rows.len(), 5, "{rows:?}");
    let explain = |text: &str| -> String {
        let out = slant()
            .current_dir(root())
            .args(["explain", "-", "--color", "never", "--threads", "1", "--model"])
            .args(models)
            .write_stdin(text.to_string())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let explained = explain(text);
    // The probability of `label` for sentence `i` in the block of `model`.
    let shown = |explained: &str, model: &str, i: usize, label: &str| -> String {
        let block =
            explained.split("--- ").find(|b| b.starts_with(&format!("sentence-level model '{model}'"))).unwrap();
        let line = block
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{i} ")))
            .unwrap_or_else(|| panic!("no sentence {i} in {block}"));
        let field = line.split_whitespace().find(|f| f.starts_with(&format!("{label}="))).unwrap();
        field[label.len() + 1..].to_string()
    };
    let mut compared = 0;
    for (model, label) in [("subjectivity", "subj"), ("bias", "biased")] {
        let c = col(&sh, &format!("p_{model}_{label}"));
        for (i, row) in rows.iter().enumerate() {
            // The sentences file has 4 decimals, explain 3: equal within
            // the two roundings.
            let p: f64 = row[c].parse().unwrap();
            let e: f64 = shown(&explained, model, i, label).parse().unwrap();
            assert!((e - p).abs() <= 0.0005 + 0.00005 + 1e-9, "{model}, sentence {i}: explain {e}, score {p}");
            compared += 1;
        }
    }
    assert_eq!(compared, 10);
    // Sentence 2 is inside the quotation; alone it has no quoted word.
    let alone = explain("It may take years, but it is clearly worth it,\" she said.");
    let c = col(&sh, "p_subjectivity_subj");
    let in_article: f64 = rows[2][c].parse().unwrap();
    let alone: f64 = shown(&alone, "subjectivity", 0, "subj").parse().unwrap();
    assert!((alone - in_article).abs() > 0.01, "alone {alone}, in the article {in_article}");
}

/// A sentence model with part-of-speech n-grams reads each sentence fully
/// tagged, in a longer document as alone: trained on sentences whose label
/// is only in their tag pattern (adjective before the noun, or adverb at the
/// end), it labels sentences of words it never saw by their pattern, and a
/// sentence of a three-sentence document gets the probabilities it gets
/// alone.
#[test]
fn part_of_speech_sentence_model_reads_tags_of_every_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let (nouns, verbs) = (["dog", "man", "child", "farmer", "teacher"], ["saw", "helped", "called", "met", "found"]);
    let (adjs, advs) = (["big", "small", "old", "young", "red"], ["quickly", "slowly", "loudly", "quietly", "badly"]);
    let mut csv = String::from("id,text,label\n");
    for i in 0..40 {
        let (n1, v, n2) = (nouns[i % 5], verbs[(i / 5) % 5], nouns[(i + 2) % 5]);
        csv.push_str(&format!("a{i},The {} {n1} {v} the {n2}.,adj\n", adjs[(i + i / 5) % 5]));
        csv.push_str(&format!("b{i},The {n1} {v} the {n2} {}.,adv\n", advs[(i + i / 5) % 5]));
    }
    let data = dir.path().join("train.csv");
    fs::write(&data, csv).unwrap();
    let model = dir.path().join("pos.json");
    slant()
        .arg("train")
        .arg(&data)
        .args(["--label-col", "label", "--level", "sentence", "--algo", "logistic", "--ngrams", "1", "--min-df", "1"])
        .args(["--pos-ngrams", "1-3", "--no-lexicon-features", "--no-length-features", "--cv", "0", "-q", "-o"])
        .arg(&model)
        .assert()
        .success();
    // Words the model never saw; the first sentence has the adjective
    // pattern, the others the adverb one.
    let parts =
        ["The tall nurse greeted the pilot.", "The pilot thanked the nurse warmly.", "A nurse left the room calmly."];
    let input = dir.path().join("in.csv");
    let mut rows = format!("id,text\ndoc,\"{}\"\n", parts.join(" "));
    for (i, p) in parts.iter().enumerate() {
        rows.push_str(&format!("s{i},\"{p}\"\n"));
    }
    fs::write(&input, rows).unwrap();
    let (scores, sentences) = (dir.path().join("s.csv"), dir.path().join("sent.csv"));
    score_with_sentences(&input, &[&model], &scores, &sentences);
    let (h, sents) = read_csv(&sentences);
    let p = col(&h, "p_pos_adj");
    let of = |doc: &str| -> Vec<f64> { sents.iter().filter(|r| r[0] == doc).map(|r| r[p].parse().unwrap()).collect() };
    let in_doc = of("doc");
    assert_eq!(in_doc.len(), 3);
    for (i, &q) in in_doc.iter().enumerate() {
        assert_eq!(of(&format!("s{i}")), [q], "sentence {i}: in the document as alone");
    }
    assert!(in_doc[0] > 0.5 && in_doc[1] < 0.5 && in_doc[2] < 0.5, "{in_doc:?}");
}
