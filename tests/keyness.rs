//! `slant keyness`: the statistics against hand-computed values, and the
//! subcommand end to end (CSV, errors, learned sides file round trip).

use assert_cmd::Command;
use predicates::prelude::*;
use slant::keyness::{rank, score_terms, signed_chi2, Counts, Group, Kind, TermScore};
use slant::signals::lexicon::{Lexicon, Sides};
use slant::signals::stats::count;
use slant::signals::{SignalSet, Worker};
use std::collections::HashMap;
use std::fs;
use std::path::Path;

fn map(pairs: &[(&str, u64)]) -> HashMap<String, u64> {
    pairs.iter().map(|(t, c)| (t.to_string(), *c)).collect()
}

fn close(got: f64, want: f64) {
    assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
}

fn get<'a>(scores: &'a [TermScore], term: &str) -> &'a TermScore {
    scores.iter().find(|s| s.term == term).unwrap_or_else(|| panic!("no term {term}"))
}

/// Target: tax 6, cut 3, care 1 (n^i = 10). Reference: tax 2, care 12,
/// health 6 (n^j = 20). Pooled: tax 8, cut 3, care 13, health 6 (n = 30).
/// alpha0 = 3, so alpha_w = 3 * pooled_w / 30 = pooled_w / 10:
/// tax 0.8, cut 0.3, care 1.3, health 0.6.
#[test]
fn weighted_log_odds_and_chi2_match_hand_computation() {
    let target = map(&[("tax", 6), ("cut", 3), ("care", 1)]);
    let reference = map(&[("tax", 2), ("care", 12), ("health", 6)]);
    let s = score_terms(&target, &reference, 3.0);
    assert_eq!(s.iter().map(|t| t.term.as_str()).collect::<Vec<_>>(), ["care", "cut", "health", "tax"]);

    // tax: delta = ln((6 + 0.8) / (10 + 3 - 6 - 0.8)) - ln((2 + 0.8) / (20 + 3 - 2 - 0.8))
    //            = ln(6.8 / 6.2) - ln(2.8 / 20.2) = 0.092373... + 1.976063... = 2.068436507357...
    //      sigma^2 = 1/6.8 + 1/2.8 = 0.147059 + 0.357143 = 0.504202; sigma = 0.710071...
    //      z = 2.068436507 / 0.710071650 = 2.912997083...
    //      chi2: a = 6, b = 2, c = 10 - 6 = 4, d = 20 - 2 = 18, N = 30; ad - bc = 108 - 8 = 100;
    //            30 * 100^2 / ((6+2)(4+18)(6+4)(2+18)) = 300000 / 35200 = 8.522727..., positive.
    let tax = get(&s, "tax");
    close(tax.log_odds, (6.8f64 / 6.2).ln() - (2.8f64 / 20.2).ln());
    close(tax.log_odds, 2.068436507357016);
    close(tax.z, 2.068436507357016 / (1.0f64 / 6.8 + 1.0 / 2.8).sqrt());
    close(tax.z, 2.9129970837927606);
    close(tax.chi2, 300000.0 / 35200.0);
    assert_eq!((tax.target_count, tax.reference_count, tax.kind), (6, 2, Kind::Unigram));
    close(tax.target_per10k, 6.0 / 10.0 * 10_000.0);
    close(tax.reference_per10k, 2.0 / 20.0 * 10_000.0);

    // cut (absent from the reference): delta = ln(3.3 / (13 - 3.3)) - ln(0.3 / (23 - 0.3))
    //      = ln(3.3 / 9.7) - ln(0.3 / 22.7) = 3.248134311776...
    //      sigma^2 = 1/3.3 + 1/0.3; z = 3.248134 / 1.906946... = 1.703336003118...
    //      chi2: a = 3, b = 0, c = 7, d = 20: 30 * 60^2 / (3 * 27 * 10 * 20) = 108000 / 16200 = 6.6667
    let cut = get(&s, "cut");
    close(cut.log_odds, (3.3f64 / 9.7).ln() - (0.3f64 / 22.7).ln());
    close(cut.z, 1.7033360031180718);
    close(cut.chi2, 108000.0 / 16200.0);

    // health (absent from the target): delta = ln(0.6 / 12.4) - ln(6.6 / 16.4) = -2.118310410579...
    //      z = -2.118310 / sqrt(1/0.6 + 1/6.6) = -1.570981046213...
    //      chi2: a = 0, b = 6, c = 10, d = 14: ad - bc = -60; 30 * 3600 / (6 * 24 * 10 * 20) = 3.75, negative.
    let health = get(&s, "health");
    close(health.log_odds, -2.1183104105792094);
    close(health.z, -1.5709810462136524);
    close(health.chi2, -3.75);

    // Ranking: z descending, min-count on the pooled count (cut has 3).
    let ranked = rank(s, 4);
    assert_eq!(ranked.iter().map(|t| t.term.as_str()).collect::<Vec<_>>(), ["tax", "health", "care"]);
}

#[test]
fn chi2_is_zero_without_a_margin_and_ties_rank_by_term() {
    assert_eq!(signed_chi2(0, 0, 10, 10), 0.0);
    assert_eq!(signed_chi2(5, 5, 10, 10), 0.0);
    // Same counts in the same group sizes: same z, ordered by term.
    let s = score_terms(&map(&[("b", 2), ("a", 2), ("c", 1)]), &map(&[("b", 1), ("a", 1), ("c", 4)]), 1.0);
    let ranked = rank(s, 0);
    assert_eq!(ranked.iter().map(|t| t.term.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
}

#[test]
fn counts_use_the_text_pipeline_and_keep_surface_forms() {
    let set = SignalSet::builtin();
    let mut w = Worker::default();
    let mut c = Counts::default();
    c.add_text(&set, &mut w, "Critics argued, critics argue. It was supposed to pass 5 votes.", Group::Target, 2);
    c.add_text(&set, &mut w, "Supposedly critics argue.", Group::Reference, 1);
    assert_eq!(c.target.docs, 1);
    assert_eq!(c.target.unigrams["critic"], 2);
    assert_eq!(c.target.unigrams["argu"], 2);
    assert_eq!(c.target.unigrams["#num"], 1);
    assert_eq!(c.target.bigrams["critic argu"], 2);
    assert!(!c.target.bigrams.contains_key("argu critic"), "no bigram across a comma");
    assert!(c.reference.bigrams.is_empty(), "--ngrams 1");
    // "suppos" stems again to "suppo": patterns must use the surface form.
    assert_eq!(c.surface("suppos"), Some("supposed"));
    assert_eq!(c.surface("critic"), Some("critics"));
    // Each kind is its own multinomial with alpha0 = prior x its pooled count.
    let scores = c.score(0.5, None);
    let uni_t: HashMap<String, u64> = c.target.unigrams.clone();
    let uni_r: HashMap<String, u64> = c.reference.unigrams.clone();
    let pooled = (uni_t.values().sum::<u64>() + uni_r.values().sum::<u64>()) as f64;
    let mut want = score_terms(&uni_t, &uni_r, 0.5 * pooled);
    c.add_surfaces(&mut want);
    assert_eq!(get(&scores, "critic"), get(&want, "critic"));
    // Surface forms beside the stems: the most frequent, and up to three with counts.
    assert_eq!(
        (get(&scores, "critic").surface.as_str(), get(&scores, "critic").forms.as_str()),
        ("critics", "critics 3")
    );
    let argu = get(&scores, "argu");
    assert_eq!((argu.surface.as_str(), argu.forms.as_str()), ("argue", "argue 2; argued 1"));
    assert_eq!(
        (get(&scores, "critic argu").surface.as_str(), get(&scores, "critic argu").forms.as_str()),
        ("critics argue", "")
    );
    assert_eq!(get(&scores, "critic argu").kind, Kind::Bigram);
}

// ---------------------------------------------------------------- CLI

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

fn write_corpus(dir: &Path) -> std::path::PathBuf {
    let left = [
        "Healthcare workers were supposed to get raises, advocates said. The healthcare plan protects workers.",
        "Nurses and healthcare workers rallied. Workers were supposed to be paid overtime.",
        "The union said healthcare workers deserve better. Workers supposed the plan would pass.",
        "Advocates for workers praised the healthcare bill. It was supposed to cover everyone.",
        "Healthcare costs fall when workers organize, the union said. Workers supposed so.",
        "Workers and nurses marched for healthcare. The bill was supposed to pass in 2024.",
    ];
    let right = [
        "Lower taxes help small business owners, officials said. Border security matters.",
        "Taxes and border security dominate the debate. Business owners want lower taxes.",
        "Officials said border security and taxes are priorities for business owners.",
        "Cutting taxes helps business owners. The border needs security, officials said.",
        "Business owners oppose new taxes. Border security funding passed.",
        "Taxes rose again, business owners said. The border bill stalled.",
    ];
    let center = ["The weather was mild today.", "Traffic was light on the bridge."];
    let mut csv = String::from("id,leaning,text\n");
    for (i, t) in left.iter().enumerate() {
        csv.push_str(&format!("l{i},left,\"{t}\"\n"));
    }
    for (i, t) in right.iter().enumerate() {
        csv.push_str(&format!("r{i},right,\"{t}\"\n"));
    }
    for (i, t) in center.iter().enumerate() {
        csv.push_str(&format!("c{i},center,\"{t}\"\n"));
    }
    let path = dir.join("corpus.csv");
    fs::write(&path, csv).unwrap();
    path
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

#[test]
fn cli_writes_sorted_keyness_csv() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let out = dir.path().join("keyness.csv");
    slant()
        .arg("keyness")
        .arg(&corpus)
        .args(["--group-col", "leaning", "--target", "left", "--reference", "right", "--min-count", "3", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("6 documents"));
    let (header, rows) = read_csv(&out);
    assert_eq!(
        header,
        [
            "term",
            "surface",
            "forms",
            "kind",
            "target_count",
            "reference_count",
            "target_per10k",
            "reference_per10k",
            "log_odds",
            "z",
            "chi2",
            "rank_z"
        ]
    );
    let z: Vec<f64> = rows.iter().map(|r| r[9].parse().unwrap()).collect();
    assert!(z.windows(2).all(|w| w[0] >= w[1]), "sorted by z descending");
    assert!(rows.iter().enumerate().all(|(i, r)| r[11] == (i + 1).to_string()));
    assert!(rows.iter().all(|r| r[4].parse::<u64>().unwrap() + r[5].parse::<u64>().unwrap() >= 3), "--min-count");
    let row = |term: &str| rows.iter().find(|r| r[0] == term).unwrap_or_else(|| panic!("no row {term}")).clone();
    // "workers" only on the left, "taxes" only on the right; "weather" (center) is ignored.
    let worker = row("worker");
    assert_eq!((worker[3].as_str(), worker[5].as_str()), ("unigram", "0"));
    assert_eq!((worker[1].as_str(), worker[2].as_str()), ("workers", "workers 10"));
    assert!(worker[9].parse::<f64>().unwrap() > 1.0 && worker[10].parse::<f64>().unwrap() > 0.0);
    let tax = row("tax");
    assert!(tax[9].parse::<f64>().unwrap() < -1.0 && tax[10].parse::<f64>().unwrap() < 0.0);
    assert_eq!(row("busi owner")[3], "bigram");
    assert_eq!(row("busi owner")[1], "business owners");
    assert!(!rows.iter().any(|r| r[0] == "weather"));
    // Terms marking the target come first, the reference's last.
    assert!(z[0] > 0.0 && *z.last().unwrap() < 0.0);

    // --top keeps the first N rows; --ngrams 1 drops bigrams.
    let top = dir.path().join("top.csv");
    slant()
        .arg("keyness")
        .arg(&corpus)
        .args(["--group-col", "leaning", "--target", "left", "--reference", "right", "--min-count", "3"])
        .args(["--top", "3", "--ngrams", "1", "-q", "-o"])
        .arg(&top)
        .assert()
        .success()
        .stderr("");
    let (_, top_rows) = read_csv(&top);
    assert_eq!(top_rows.len(), 3);
    assert!(top_rows.iter().all(|r| r[3] == "unigram"));
}

#[test]
fn cli_errors_on_a_missing_group_value() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    slant()
        .arg("keyness")
        .arg(&corpus)
        .args(["--group-col", "leaning", "--target", "lefty", "--reference", "right"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("--target value \"lefty\" does not occur in column 'leaning'")
                .and(predicate::str::contains("\"center\" (2), \"left\" (6), \"right\" (6)")),
        );
    slant()
        .arg("keyness")
        .arg(&corpus)
        .args(["--group-col", "leaning", "--target", "left", "--reference", "left"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("the same value"));
    slant()
        .arg("keyness")
        .arg(&corpus)
        .args(["--group-col", "side", "--target", "left", "--reference", "right"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("side"));
}

#[test]
fn cli_saved_sides_file_loads_and_scores() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let sides_path = dir.path().join("learned.tsv");
    slant()
        .arg("keyness")
        .arg(&corpus)
        .args(["--group-col", "leaning", "--target", "left", "--reference", "right", "--min-count", "3"])
        .args(["-o", "-", "--save-sides"])
        .arg(&sides_path)
        .args(["--dimension", "leaning", "--save-top", "5"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("term,surface,forms,kind,"));
    let text = fs::read_to_string(&sides_path).unwrap();
    // Added to the shipped sides file: its dimensions keep working.
    assert!(text.starts_with(slant::signals::lexicon::BUILTIN_SIDES.trim_end()), "{text}");
    assert!(text.contains("# slant sides dimension learned by `slant keyness`"), "{text}");
    assert!(text.contains("# command: ") && text.contains("# created: ") && text.contains("corpus.csv"));
    assert!(text.contains("@dimension\tleaning\ta=left\tb=right\t"));
    let entries: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| !l.starts_with(['#', '@']) && !l.is_empty())
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|e| e[1] == "leaning")
        .collect();
    let side_a: Vec<&str> = entries.iter().filter(|e| e[2] == "a").map(|e| e[0]).collect();
    let side_b: Vec<&str> = entries.iter().filter(|e| e[2] == "b").map(|e| e[0]).collect();
    assert_eq!((side_a.len(), side_b.len()), (5, 5), "{text}");
    assert!(entries.iter().all(|e| e[1] == "leaning" && e[3].starts_with("z=") && e[3].contains("target_count=")));
    assert!(!text.contains("#num"), "terms with numbers are left out");
    // Surface forms, not stems: "suppos" would stem to "suppo" when loaded.
    assert!(side_a.contains(&"workers") || side_a.contains(&"supposed"), "{side_a:?}");
    assert!(!side_a.iter().any(|p| p.split(' ').any(|w| w == "suppos" || w == "worker")), "{side_a:?}");
    assert!(side_b.iter().any(|p| p.contains("taxes") || p.contains("border")), "{side_b:?}");

    let sides = Sides::parse("learned.tsv", &text).unwrap();
    let names: Vec<&str> = sides.dimensions.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["party", "stance", "ideology", "leaning"]);
    let learned = sides.dimensions.len() - 1;
    assert_eq!(
        (sides.dimensions[learned].side_a.as_str(), sides.dimensions[learned].side_b.as_str()),
        ("left", "right")
    );
    let set = SignalSet::new(Lexicon::builtin(), sides).unwrap();
    let mut w = Worker::default();
    let top_a = side_a[0];
    let doc = set.analyze(&format!("Yesterday {top_a} appeared in the news."), &mut w);
    let stats = count(&set, &doc);
    assert!(stats.dimensions[learned].mentions[0] >= 1, "side a mention of {top_a:?}");
    let doc = set.analyze(&format!("Yesterday {} appeared in the news.", side_b[0]), &mut w);
    assert!(count(&set, &doc).dimensions[learned].mentions[1] >= 1, "side b mention");
    let doc = set.analyze("Republicans said so.", &mut w);
    assert_eq!(count(&set, &doc).dimensions[1].mentions, [0, 0], "stance");
    assert!(count(&set, &doc).dimensions[0].mentions[1] >= 1, "the shipped party dimension still counts");

    // And the binary reads it.
    let article = dir.path().join("a.txt");
    fs::write(&article, "Healthcare workers were supposed to strike.").unwrap();
    slant()
        .arg("score")
        .arg(&article)
        .arg("--sides")
        .arg(&sides_path)
        .args(["-o", "-"])
        .assert()
        .success()
        .stdout(predicate::str::contains("leaning"));
}

#[test]
fn cli_rejects_bad_side_labels_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    slant()
        .arg("keyness")
        .arg(&corpus)
        .args(["--group-col", "leaning", "--target", "left", "--reference", "right", "--save-sides"])
        .arg(dir.path().join("s.tsv"))
        .args(["--dimension", "Bad Name"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--dimension \"Bad Name\" must be ASCII snake_case"));
    assert!(!dir.path().join("s.tsv").exists());
}

#[test]
fn cli_replace_sides_writes_only_the_learned_dimension_and_names_clash() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let path = dir.path().join("only.tsv");
    let base = ["--group-col", "leaning", "--target", "left", "--reference", "right", "--min-count", "3", "-q"];
    slant()
        .arg("keyness")
        .arg(&corpus)
        .args(base)
        .args(["-o", "-", "--replace-sides", "--dimension", "leaning", "--save-top", "3", "--save-sides"])
        .arg(&path)
        .assert()
        .success();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# slant sides dimension learned by `slant keyness`"), "{text}");
    let sides = Sides::parse("only.tsv", &text).unwrap();
    assert_eq!(sides.dimensions.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["leaning"]);

    // A shipped dimension's name cannot be added twice: refused before reading the corpus.
    let clash = dir.path().join("clash.tsv");
    slant()
        .arg("keyness")
        .arg(&corpus)
        .args(base)
        .args(["--dimension", "party", "--save-sides"])
        .arg(&clash)
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("already has a dimension 'party'").and(predicate::str::contains("--dimension")),
        );
    assert!(!clash.exists());
    // --replace-sides needs --save-sides.
    slant().arg("keyness").arg(&corpus).args(base).arg("--replace-sides").assert().failure().code(2);
}

#[test]
fn cli_target_vs_rest_compares_with_every_other_group() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let out = dir.path().join("rest.csv");
    slant()
        .arg("keyness")
        .arg(&corpus)
        .args(["--group-col", "leaning", "--target", "left", "--min-count", "1", "--ngrams", "1", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("\"not left\": 8 documents"));
    let (_, rows) = read_csv(&out);
    let row = |term: &str| rows.iter().find(|r| r[0] == term).unwrap_or_else(|| panic!("no row {term}")).clone();
    // The center documents are now part of the reference.
    assert_eq!(row("weather")[5], "1");
    assert_eq!(row("tax")[4], "0");
    // With only one group there is nothing to compare with.
    let one = dir.path().join("one.csv");
    fs::write(&one, "id,leaning,text\na,left,One text.\nb,left,Another text.\n").unwrap();
    slant()
        .arg("keyness")
        .arg(&one)
        .args(["--group-col", "leaning", "--target", "left"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no document outside --target \"left\""));
}

#[test]
fn cli_stop_words_shipped_or_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let args = ["--group-col", "leaning", "--target", "left", "--reference", "right", "--min-count", "1", "-q"];
    let terms = |extra: &[&str]| -> Vec<String> {
        let out = slant().arg("keyness").arg(&corpus).args(args).args(extra).args(["-o", "-"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut r = csv::Reader::from_reader(out.stdout.as_slice());
        r.records().map(|x| x.unwrap()[0].to_string()).collect()
    };
    let all = terms(&[]);
    assert!(all.iter().any(|t| t == "the") && all.iter().any(|t| t == "the border"));
    let shipped = terms(&["--stop-words"]);
    assert!(!shipped.iter().any(|t| t == "the" || t.split(' ').any(|w| w == "the")), "{shipped:?}");
    // Modals and speech verbs are not stop words: slant measures them.
    assert!(shipped.iter().any(|t| t == "would") && shipped.iter().any(|t| t == "said"));
    assert!(shipped.iter().any(|t| t == "worker"));

    // An edited list: words match by stem ("workers" removes "worker").
    let list = dir.path().join("stop.tsv");
    fs::write(&list, "# my list\nworkers\tnoise\nthe\n\n").unwrap();
    let mine = terms(&["--stop-words", list.to_str().unwrap()]);
    assert!(!mine.iter().any(|t| t.split(' ').any(|w| w == "worker" || w == "the")));
    assert!(mine.iter().any(|t| t == "said"));

    // A bad line names the file and line.
    fs::write(&list, "the\ncritics argue\n").unwrap();
    slant()
        .arg("keyness")
        .arg(&corpus)
        .args(args)
        .args(["--stop-words", list.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("stop.tsv:2").and(predicate::str::contains("single word")));
}

#[test]
fn cli_plot_draws_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let svg = dir.path().join("k.svg");
    slant()
        .arg("keyness")
        .arg(&corpus)
        .args(["--group-col", "leaning", "--target", "left", "--reference", "right", "--min-count", "3", "-q"])
        .args(["-o", "-", "--plot-top", "4", "--plot"])
        .arg(&svg)
        .assert()
        .success();
    let text = fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<?xml") && text.contains("<svg"));
    assert_eq!(text.matches("class=\"bar target\"").count(), 4);
    assert_eq!(text.matches("class=\"bar reference\"").count(), 4);
    assert!(text.contains(">workers<"), "labelled with surface forms");
    assert!(text.contains("Keyness: left vs right"));
}

#[test]
fn shipped_stop_words_parse_and_export() {
    let list = slant::keyness::StopWords::builtin();
    assert!(list.n_words > 100);
    for w in ["the", "of", "them", "was"] {
        assert!(list.hits(&slant::text::Analyzer::new().phrase_stems(w)[0].1), "{w}");
    }
    for w in ["may", "would", "not", "said", "critics"] {
        assert!(!list.hits(&slant::text::Analyzer::new().phrase_stems(w)[0].1), "{w}");
    }
    slant()
        .args(["lexicon", "export", "stopwords"])
        .assert()
        .success()
        .stdout(predicate::str::diff(slant::keyness::BUILTIN_STOP_WORDS));
}

#[test]
fn cli_format_and_output_name_agree_or_warn() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = write_corpus(dir.path());
    let x = dir.path().join("x.csv");
    slant()
        .arg("keyness")
        .arg(&corpus)
        .args(["--group-col", "leaning", "--target", "left", "--format", "tsv", "-o"])
        .arg(&x)
        .assert()
        .success()
        .stderr(predicate::str::contains("x.csv is written as tsv"));
    assert!(fs::read_to_string(&x).unwrap().starts_with("term\tsurface\t"));
}
