#!/usr/bin/env python3
"""Write docs/MODELS.md from the shipped model files and their CV metrics.

Usage: python3 scripts/models_doc.py [--models models] [--out docs/MODELS.md]

Every figure comes from the model JSON (`cross_validation`, `training`) or from the
per-fold metrics CSVs that `scripts/train_models.sh` writes to models/cv/; nothing is typed
in by hand except the targets (from the issue) and the published reference numbers (from
../shared/data/README.md).
"""
import argparse
import csv
import json
import math
import os
import sys

DESIGN = """
## How the classifiers are built

- **Features** (`src/features/`): stem unigrams and bigrams from the same text pipeline as
  `score` (no bigram across punctuation or sentences), vocabulary fitted on the training
  folds only (`--min-df`, capped at `--max-features` by chi-squared or frequency), weighted
  by tf-idf, log-tf or binary and L2-normalised; plus the lexicon signals (per-category rates
  in total, author and quoted voice, side presence and balance) and log length. The same
  code computes features at train and score time; the model file embeds the lexicons it was
  trained with, so a model scores the same way wherever it goes.
- **Estimators** (`src/models/`), all behind linfa's `Fit` / `PredictInplace` traits on a
  `DatasetBase<CsrMatrix, Array1<usize>>`:
  - logistic regression (binary and multinomial), L2, unpenalised intercept, minimised with
    argmin's L-BFGS (the solver linfa-logistic uses) over a sparse CSR matrix;
  - multinomial naive Bayes in log space;
  - linear SVM (squared hinge, Newton in the primal, stopped by the dual gap of 1e-3, one-vs-rest);
  - decision tree: linfa-trees on a dense copy of at most 2,000 columns.
- **Calibration** (`src/models/calibration.rs`, `train --calibration`): Platt scaling fitted on
  out-of-fold scores of 5 inner folds of the training rows (grouped like the outer folds), each
  inner model with its own vocabulary, so no score comes from a model that saw its row; the
  sigmoid's parameters are stored in the model file (`calibration` in the estimator). Scores are
  the SVM's decision values, or the log of the model's own probabilities; with more than two
  classes `softmax_c(a s_c + b_c)` (one slope, one offset per class; stored and shown as
  `softmax`, though `--calibration platt` is what fits it). `--calibration platt-per-class`
  fits one Platt sigmoid per class on its own score, normalised to sum to 1 (one-vs-rest
  Platt; stored as `platt` with one slope and offset per class, shown as `platt-per-class`;
  for two classes it is `platt`). Under both the prediction, the argmax of the calibrated
  probabilities, can differ from the model's own decision. Platt slopes are not constrained: a
  class whose score carries no information can get a slightly negative one.
  `--calibration temperature` fits the slope only (`softmax_c(a s_c)`, or `σ(a s)` for two
  classes), so the argmax stays the model's own decision; `--calibration temperature-top` adds a
  non-negative bonus to the logit of the model's decision (`softmax_c(a s_c + bonus [c =
  argmax s])`, shown as `temperature_top`, the spelling stored in model files; files that say
  `temperature-top`, the CLI's spelling, load too), which keeps the decision but lets its
  confidence differ from what the spread of the scores alone gives. Both keep the slope
  `a >= 0` (a negative slope would reverse the decisions; temperature scaling keeps at least
  1e-6 so the classes never tie) and add a ridge of 1e-4 on their parameters (finite on
  separable scores); temperature-top adds at least 1e-9 to the decision's logit, so that at
  `a = 0` the argmax is still the decision. At `a = 0` every document gets the same probability
  for its predicted class: the probabilities then do not rank documents within a class (the
  table's notes below say when a shipped model is in that case). Several methods
  (`--calibration temperature,temperature-top`) are a nested choice: the one with the lowest
  log loss cross-fitted over the inner folds' out-of-fold scores (each map fitted on the other
  inner folds' scores) is used, chosen inside every outer training fold (the card lists the
  choices). Default: Platt for the
  linear SVM, naive Bayes and the tree; none for logistic regression (its own probabilities,
  whose calibration the cards measure). In cross-validation the calibration is refitted inside
  each training fold, so the reported Brier score, log loss and ECE are out-of-sample.
  ECE = sum over 10 equal-width bins of the largest class probability of
  (rows in bin / rows) x |accuracy in bin - mean confidence in bin| (`src/eval/metrics.rs`).
  The table's ECE is that of the pooled out-of-fold predictions; a confidence that is the same
  for every document reaches a low pooled ECE by matching the overall accuracy, even when the
  folds' accuracies differ, so the mean of the folds' own ECE is given next to it, and the
  Brier score and log loss (which also reward separating right from wrong decisions) with them.
- **Why not linfa-logistic / linfa-bayes / linfa-svm directly** (measured, see
  `../shared/notes/rust-stack.md`): no linfa 0.8.1 estimator accepts sparse input, and the dense
  10k x 5k tf-idf fit took 110 s against 1.7 s for the same L-BFGS over CSR; `MultinomialNb`
  returns inf/NaN probabilities on article-length documents and prints a `dbg!` dump on every
  fit; linfa-svm builds an n x n kernel. The traps are handled and tested in `src/models/` and
  `src/eval/`: probabilities are mapped to label names by class index (never by linfa's
  internal "positive" class); non-convergence is reported (model card, `train` output,
  `FitReport`); naive Bayes works in log space; precision/recall are computed from
  `confusion[truth][predicted]` and checked against scikit-learn
  (`scripts/check_eval_against_sklearn.sh`, run by CI); folds are seeded, stratified or grouped,
  and every row is validated exactly once (linfa's `Dataset::fold` is none of these).
- **Nested choice of settings** (`train --tune 'c=...;char-ngrams=...'`, `src/cli/tune.rs`): a
  declared grid (every combination of the listed values of `c`, `class-weight`, `ngrams`,
  `char-ngrams`, `weighting`; at most 32 candidates, parsed and checked before any fitting). In
  each outer training fold, and on all rows for the shipped model, every candidate is fitted on
  3 inner folds of those rows (grouped like the outer folds) and the best pooled out-of-fold
  macro-F1 of the uncalibrated model wins (multi-label: the micro-F1 under thresholds chosen on
  those inner probabilities). Terms are counted once for the widest candidate; each candidate's
  vocabulary keeps only its own kinds of terms, so it is the model its flags alone would train.
- **Stacking** (`train --stack-model FILE`, `src/models/artifact.rs` `StackedModel`): another
  model's class probabilities on the same text are the last features; the model is embedded
  whole (with its file's SHA-256) and checked on loading against the stacked feature columns;
  training refuses a stacked model trained on any of the new model's rows (`--allow-stack-overlap`
  overrides, and the card then says the figures are optimistic). No shipped model is stacked:
  `subjectivity` on `bias` gained +0.013 macro-F1 in 3 of 5 folds (below the rule set in
  advance) and would carry both AGPL-3.0 (BABE) and CC BY-NC-SA 4.0 (CheckThat!), which no
  licence meets together; `hyperpartisan` on both sentence models' aggregates and `bias` on
  `subjectivity` did not pay either (scripts/tuning_log.md, "Sentence evidence as document
  features").
- **Evaluation**: `slant train --cv K [--group-col COL]` (stratified, or grouped so that no
  group is in two folds), pooled out-of-fold accuracy, per-class precision/recall/F1,
  macro-F1, Cohen's kappa, ROC-AUC (binary), Brier score, log loss, expected calibration error,
  confusion matrix, and mean/sd over folds;
  `--predictions` writes the out-of-fold predictions. `slant eval` does the same on a
  held-out file. The columns of these files and the definition of every metric are in the
  codebook ([CODEBOOK.md](CODEBOOK.md), files `predictions`, `cv_metrics` and `metrics`).
- **The model file** (schema version 3, `src/models/artifact.rs`, `src/models/body.rs`): one
  line of JSON (format, schema version, every setting, metric and record of the model), a line
  break, then a binary body with the large arrays: estimator weights as little-endian f64,
  idf weights as f32, the vocabulary as length-prefixed UTF-8 strings, and the embedded
  lexicon and boilerplate texts as UTF-8. In the header each of them is a reference
  `{"body": "f64", "offset": O, "bytes": B, "count": N}`, and `"body": {"bytes": L, "crc32":
  ...}` announces the body, checked before anything is read from it (a truncated or corrupt
  body is a typed error naming the file); the CRC covers the body only, so the references must
  also lay the arrays out one after another as they are written (8-byte aligned, no gap or
  overlap, ending at the body's end), which a damaged offset in the header breaks. The header is read with any JSON parser (its first
  line; this script does so); `slant model convert MODEL --json -o FILE` writes the same model
  as one JSON document with every array inline (schema version 2's layout, which slant still
  reads), and `slant model convert` without `--json` writes it back byte for byte. Parsing the
  numbers of a JSON-only model was a third of `score --model`'s start-up
  (docs/PERFORMANCE.md, "Start-up with the shipped models").
"""

# name, training data, metric key, target (issue #13; gun_frames: the earlier models issue), published reference
MODELS = [
    ("bias", "babe (grouped by outlet)", "macro_f1", 0.76,
     "BABE 5-fold CV: BERT with distant supervision 0.804 macro-F1; feature-based XGBoost about 0.57 weighted F1"),
    ("subjectivity", "subjectivity_checkthat2025", "macro_f1", 0.72, "CheckThat! 2025 Task 1 (English), official metric macro-F1"),
    ("hyperpartisan", "hyperpartisan_semeval2019 (grouped by publisher domain)", "accuracy", 0.80,
     "SemEval-2019 official test: best 0.822 accuracy; best feature-based 0.820; TakeLab SVM 0.791"),
    ("leaning", "allsides_baly2020 (grouped by source_group)", "macro_f1", 0.45,
     "Baly et al. 2020, outlets unseen in training: roughly 0.35-0.51 macro-F1"),
    ("frames", "frames_semeval2023 (multi-label, 14 generic frames; folds grouped by identical text)", "micro_f1", 0.72,
     "SemEval-2023 Task 3 subtask 2, English, official metric micro-F1 (test set); scikit-learn tf-idf logistic one-vs-rest, 5-fold CV here: 0.68"),
    ("gun_frames", "frames_gvfc (gun-violence headlines only)", "accuracy", 0.75, "GVFC (Liu et al. 2019): none listed in the data README"),
]


def constant_probabilities_note(name, calibration, k):
    """A sentence for a shipped temperature-top map with slope 0: its two
    probabilities (the same for every document), from the model file."""
    if calibration.get("method") not in ("temperature_top", "temperature-top") or calibration.get("a") != 0 or k < 2:
        return None
    e = math.exp(max(calibration.get("bonus", 0.0), 1e-9))
    top, other = e / (e + k - 1), 1.0 / (e + k - 1)
    return (f"`{name}`: the shipped calibration is temperature-top with slope a = 0 (bonus {calibration['bonus']:.4f}): "
            f"every document gets the probability {top:.3f} for its predicted class and {other:.3f} for each of the "
            f"{k - 1} others, so its probabilities do not rank documents within a predicted class.")


def model_header(path):
    """The JSON header of a model file: its first line (the large arrays
    follow in a binary body; a JSON-only file is one line of JSON)."""
    with open(path, "rb") as f:
        return json.loads(f.readline())


def metric_from_csv(path, key):
    """Pooled value of `key` ('accuracy', 'macro_f1' or 'f1:<class>') from a CV metrics CSV."""
    metric, _, cls = key.partition(":")
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["fold"] == "pooled" and r["metric"] == metric and r["class"] == cls:
                return float(r["value"])
    return None


def multi_label_metric(m, key):
    """A multi-label model's pooled CV figure (Brier, log loss, ECE: means over labels)."""
    cv = (m.get("multi_label") or {}).get("cross_validation")
    if not cv:
        return None
    return cv["pooled"].get(key)


def metric_from_model(m, key):
    if m.get("multi_label"):
        return multi_label_metric(m, key)
    cv = m.get("cross_validation")
    if not cv:
        return None
    pooled = cv["pooled"]
    metric, _, cls = key.partition(":")
    if cls:
        return next((c[metric] for c in pooled["per_class"] if c["label"] == cls), None)
    return pooled.get(metric)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="models")
    ap.add_argument("--out", default="docs/MODELS.md")
    a = ap.parse_args()
    lines = ["# Shipped models", "",
             "Generated by `python3 scripts/models_doc.py` from the model files in `models/` and the",
             "cross-validation metrics in `models/cv/` (written by `scripts/train_models.sh`, which",
             "trains every shipped model from `../shared/data`; see each model's card `models/<name>.card.md`).",
             "Metrics are pooled out-of-fold predictions of k-fold cross-validation on the data we have",
             "(the datasets' official test splits are not available here), grouped where the data has a",
             "group column that the label is confounded with. The published numbers are on the official",
             "test sets and are given for orientation only: they are not directly comparable.", "",
             "Every figure is for the shipped configuration trained on the same files. Every model's",
             "tuned settings (C, and where earlier comparisons found close alternatives, n-grams,",
             "character n-grams or class weights) are chosen from a small declared grid by nested",
             "cross-validation (`train --tune`, inside every outer training fold, on inner folds grouped",
             "like the outer ones), so the figures include that choice; the grid, every candidate's inner",
             "score and each fold's choice are in the card. The settings outside the grid are fixed and",
             "declared on each card, with where they came from (`scripts/tuning_log.md`). ECE target: <= 0.05.",
             "For the multi-label `frames` model, Brier, log loss and ECE are means over its 14 labels of",
             "each label's binary figure, and its decision thresholds were chosen in inner folds (nested).", "",
             "| model | level | algorithm | calibration | training rows | CV | metric | ours | target | met | Brier | log loss | ECE (pooled) | ECE (mean ± sd of folds) | training time (CV + final fit) | published reference |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    notes = []
    missing = []
    for name, data, key, target, ref in MODELS:
        path = os.path.join(a.models, f"{name}.json")
        if not os.path.exists(path):
            missing.append(name)
            continue
        m = model_header(path)
        rows = m["training"]["rows"]
        cv = m.get("cross_validation") or (m.get("multi_label") or {}).get("cross_validation")
        t = m["training"]["fit_seconds"] + (cv or {}).get("seconds", 0.0)
        scheme = f"{cv['folds']}-fold" + (f", grouped by {cv['grouped_by']}" if cv and cv.get("grouped_by") else ", stratified") if cv else "none"
        v = metric_from_model(m, key)
        met = "n/a" if v is None else ("yes" if v >= target else f"no ({v - target:+.3f})")
        val = "n/a" if v is None else f"{v:.3f}"
        est = m["estimator"]["models"][0] if m.get("multi_label") else m["estimator"]
        calibration = est.get("calibration") or {}
        cal = calibration.get("method", "none")
        b = calibration.get("b")
        slopes = calibration.get("a")
        if cal == "platt" and isinstance(slopes, list) and len(slopes) > 1:
            cal = "platt-per-class"  # one sigmoid per class (train --calibration platt-per-class)
        elif cal in ("softmax", "platt") and b is not None and all(v == 0 for v in b):
            cal = "temperature"  # one slope, no offsets (train --calibration temperature)
        if cv and cv.get("calibration_per_fold"):
            cal += " (nested choice)"
        algo = m["params"]["algorithm"] + (" one-vs-rest (multi-label)" if m.get("multi_label") else "")
        prob = [metric_from_model(m, k) for k in ("brier", "log_loss", "ece")]
        prob = ["n/a" if p is None else f"{p:.3f}" for p in prob]
        ece_folds = next((f"{mean:.3f} ± {sd:.3f}" for metric, mean, sd in (cv or {}).get("per_fold", []) if metric == "ece"), "n/a")
        prob.append(ece_folds)
        lines.append(f"| `{name}` | {m['level']} | {algo} | {cal} | {rows} | {scheme} | {key.replace('f1:', 'F1 of ')} | {val} | {target} | {met} | {' | '.join(prob)} | {t:.1f} s | {ref} |")
        note = constant_probabilities_note(name, calibration, len(m.get("labels") or []))
        if note:
            notes.append(note)
    if notes:
        lines += [""] + notes
    lines += ["", "How `leaning`'s calibration was chosen (a record of the measurement in `scripts/tuning_log.md`,",
              "'Leaning calibration and LSA features', not of this table's run): the decision bonus",
              "(temperature-top) was added after reading the reported folds; against temperature scaling alone",
              "it did not improve the Brier score or the log loss, nor the mean per-fold ECE, only the pooled",
              "ECE; and the constraint a >= 0 on the slope was added after the outer figures of the version",
              "with a free slope had been seen. Its card says the same under 'How the settings were chosen'."]
    lines += ["", "How the sentence-level models (`bias`, `subjectivity`, `gun_frames`) are applied inside an article:",
              "they are trained on standalone sentences (each training row is a text of one sentence), and",
              "`score` and `explain` read each sentence of an article as the article's analysis shows it: its",
              "words, each word's quotation state and the matches that start in it, found with the whole article",
              "as context (as in the `--matches` file). For a one-sentence text the two are the same. Inside an",
              "article a sentence can have a row that no training sentence has: a sentence after the first of a",
              "quotation that runs over several sentences has quoted words but no quotation match (the",
              "quotation's `direct_quote` match is counted in the sentence where it opens, while a standalone",
              "sentence with quoted words carries its own quotation), and errors in pairing quotation marks reach",
              "the rows the same way; rules that read the rest of the article (a source named earlier is",
              "`named`, side mentions) also differ from the sentence read alone. The figures in the table above",
              "are for standalone sentences, so they do not measure the probabilities of such sentences; how",
              "many sentences of news articles are read differently, and how much the probabilities move, is in",
              "docs/PERFORMANCE.md, 'Sentence models from the document's analysis'."]
    lines += ["", "Training data licences, confounds, how the settings were chosen and the exact commands are in",
              "each model card. What was tried for each missed target, with the numbers: `scripts/tuning_log.md`.", "",
              "No hedge model is shipped: trained on the Szeged data (WikiWeasel + FactBank, without the",
              "CoNLL-2010 weasel labels, which are another construct) and cross-validated grouped by `doc_id`,",
              "it scored below the hedge lexicon alone on FactBank (`scripts/tuning_log.md`); the lexicon's",
              "`hedge_*` columns are the measure to use.", ""]
    times = os.path.join(a.models, "cv", "train_times.tsv")
    if os.path.exists(times):
        lines += ["## Training time", "",
                  "Wall time of each step of `bash scripts/train_models.sh ../shared/data` (reading, the card's",
                  "5-fold cross-validation with the nested `--tune` choice and calibration repeated inside every",
                  "outer fold, and the shipped model's fit; release build, this 2-core machine), as measured by",
                  "the script in its last run (`models/cv/train_times.tsv`), and the part of it that produces the",
                  "shipped model: `fit_seconds` of the model file (the nested choice, calibration and final fit on",
                  "all rows, after reading and featurising; `--cv 0` gives the same estimator without the card's",
                  "figures, checked for leaning). The outer folds, the inner folds of `--tune` and of the calibration,",
                  "the labels of a multi-label model (and its `--tune` candidates) and the one-vs-rest classes are fitted in",
                  "parallel (`--threads N` bounds the threads; default all cores); every fit is",
                  "the same whatever thread runs it, so the models and figures do not depend on the number of threads",
                  "(tests/train_cli.rs, tests/multilabel.rs). The machine is shared, so wall times are upper bounds that",
                  "vary with its load (other jobs take cores the parallel folds would use).",
                  "Target: under 60 s per model.", "",
                  "| step | whole step (CV + shipped model) | shipped model's fit |", "|---|---|---|"]
        with open(times) as f:
            for r in csv.DictReader(f, delimiter="\t"):
                path = os.path.join(a.models, f"{r['step']}.json")
                fit = ""
                if os.path.exists(path):
                    fit = f"{model_header(path)['training']['fit_seconds']:.1f} s"
                lines.append(f"| {r['step']} | {float(r['wall_seconds']):.1f} s | {fit} |")
        lines.append("")
    lines += [DESIGN.strip(), ""]
    if missing:
        lines.append("Not trained yet: " + ", ".join(missing) + ".")
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {a.out}")


if __name__ == "__main__":
    sys.exit(main())
