#!/usr/bin/env bash
# Train the six shipped slant classifiers. Every card reports cross-validation
# of exactly the shipped configuration over all its training data, grouped
# where a group exists, with probabilities calibrated inside each training fold
# (train --calibration: Platt for gun_frames' SVM and hyperpartisan, temperature
# scaling for leaning's SVM). The settings that earlier
# comparisons found to matter are chosen by nested CV from a small declared
# grid per model (train --tune): inside every outer training fold, and on all
# rows for the shipped model; the card lists the grid, every candidate's inner
# score and each fold's choice. The other settings are fixed and declared on
# each card (--settings-chosen); scripts/tuning_log.md keeps what was tried.
#
# Usage:  [SLANT=path/to/slant] [ONLY=name] bash scripts/train_models.sh [DATA_DIR]
#   DATA_DIR  folder holding the public datasets (default ../shared/data,
#             relative to the repository root); see its README.md
#   SLANT     slant binary (default target/release/slant)
#   ONLY      train only this model (e.g. ONLY=leaning); the others' files
#             and their rows of models/cv/train_times.tsv are kept
#
# Writes models/<name>.json, models/<name>.card.md and
# models/cv/<name>_cv_metrics.csv for bias, subjectivity, hyperpartisan,
# leaning, gun_frames and frames (multi-label), then docs/MODELS.md
# (scripts/models_doc.py).
set -euo pipefail

abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Paths given by the caller are relative to the caller's directory;
# the defaults are relative to the repository root.
if [[ $# -ge 1 ]]; then DATA="$(abspath "$1")"; else DATA="$REPO/../shared/data"; fi
if [[ -n "${SLANT:-}" ]]; then SLANT="$(abspath "$SLANT")"; else SLANT="$REPO/target/release/slant"; fi
cd "$REPO"

[[ -x "$SLANT" ]] || { echo "error: slant binary not found or not executable: $SLANT" >&2; exit 1; }
[[ -f "$DATA/README.md" ]] || { echo "error: no datasets README in $DATA" >&2; exit 1; }

mkdir -p models/cv
ONLY="${ONLY:-}"
if [[ -n "$ONLY" && -f models/cv/train_times.tsv ]]; then
    # Keep the other models' timings; this run re-measures ONLY's.
    grep -v -P "^\Q$ONLY\E\t" models/cv/train_times.tsv > models/cv/train_times.tsv.tmp || true
    mv models/cv/train_times.tsv.tmp models/cv/train_times.tsv
else
    printf 'step\twall_seconds\n' > models/cv/train_times.tsv
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

COMMON=(--cv 5 --seed 42 -q)

# Inner folds of every --tune grid (grouped like the outer folds).
TUNE_FOLDS=(--tune-folds 3)

# What every card says about how its settings were chosen: $1 = the section
# of scripts/tuning_log.md, $2 = the settings fixed outside the grid.
chosen() {
    printf '%s' "Chosen by nested cross-validation: the settings of the --tune grid below were chosen inside each outer training fold, on inner folds of that fold's training rows only, so the figures above include the choice; the shipped model's settings were chosen the same way on all rows. Fixed, not tuned: $2. Those were set from earlier comparisons on this same training data (scripts/tuning_log.md, section $1), where the alternatives were within about 0.01 of each other or clearly worse; the alternatives that came close there are in the grid, so that the choice among them is made away from the reported folds."
}

# run NAME ARGS...: run one `slant train` and print its wall time
run() {
    local name="$1"; shift
    [[ -z "$ONLY" || "$name" == "$ONLY" ]] || return 0
    local t0 t1
    t0=$(date +%s.%N)
    "$SLANT" train "$@"
    t1=$(date +%s.%N)
    awk -v n="$name" -v a="$t0" -v b="$t1" 'BEGIN { printf "%-28s %6.1f s\n", n, b - a }'
    awk -v n="$name" -v a="$t0" -v b="$t1" 'BEGIN { printf "%s\t%.1f\n", n, b - a }' >> models/cv/train_times.tsv
}

echo "slant: $SLANT"
echo "data:  $DATA"
echo "model                        wall time"

# No hedge model is shipped: under this protocol (5-fold CV grouped by doc_id
# over uncertainty_wiki + uncertainty_news_factbank, without the CoNLL-2010
# weasel file) it scored below the hedge lexicon alone on FactBank; see
# scripts/tuning_log.md, "Honest protocol and calibration".

# ----------------------------------------------------------------- bias
# Grid: C and character 2-5-grams or none (char n-grams were better in 4 of
# the 5 grouped folds by +0.009 macro-F1 when compared on the reported folds;
# tuning_log.md, "Boilerplate, character n-grams, NB weighting").
# Fixed: logistic, balanced class weights, unigrams, tf-idf.
run bias "$DATA/babe/dev.csv.gz" --label-col label --group-col outlet --level sentence \
    --algo logistic --class-weight balanced --ngrams 1 --min-df 2 \
    --tune 'c=0.1,1,10,100;char-ngrams=none,2-5' "${TUNE_FOLDS[@]}" \
    --max-features 20000 --select chi2 --weighting tf-idf \
    "${COMMON[@]}" --name bias \
    -o models/bias.json --card models/bias.card.md \
    --metrics models/cv/bias_cv_metrics.csv \
    --settings-chosen "$(chosen "2 and 'Boilerplate, character n-grams, NB weighting'" 'logistic regression with balanced class weights, stem unigrams, min_df 2, 20,000 terms by chi-squared, tf-idf weighting, lexicon and length features; no probability calibration (the logistic model'"'"'s own probabilities, fixed in advance by algorithm)')" \
    --data-licence "AGPL-3.0 (BABE, Spinde et al. 2021)" \
    --notes "BABE labels are strongly confounded with the outlet (per the dataset README); cross-validation is grouped by outlet so every score is for outlets unseen in training, but the model may still learn outlet style rather than biased wording. Sentence-level labels of biased wording, not of factual accuracy."

# --------------------------------------------------------- subjectivity
# Grid: C, stem unigrams or 1-2-grams, character 2-5-grams or none (char
# n-grams +0.016 macro-F1 in 4 of 5 folds on the reported folds; tuning_log.md,
# "Boilerplate, character n-grams, NB weighting").
# Fixed: logistic, balanced class weights, tf-idf.
run subjectivity "$DATA/subjectivity_checkthat2025/dev.csv.gz" --label-col label --level sentence \
    --algo logistic --class-weight balanced --ngrams 2 --min-df 2 \
    --tune 'c=0.1,1,10,100;ngrams=1,2;char-ngrams=none,2-5' "${TUNE_FOLDS[@]}" \
    --max-features 20000 --select chi2 --weighting tf-idf \
    "${COMMON[@]}" --name subjectivity \
    -o models/subjectivity.json --card models/subjectivity.card.md \
    --metrics models/cv/subjectivity_cv_metrics.csv \
    --settings-chosen "$(chosen "3 and 'Boilerplate, character n-grams, NB weighting'" 'logistic regression with balanced class weights, min_df 2, 20,000 terms by chi-squared, tf-idf weighting, lexicon and length features; no probability calibration (the logistic model'"'"'s own probabilities, fixed in advance by algorithm)')" \
    --data-licence "CC BY-NC-SA 4.0 (CLEF CheckThat! 2025 Task 1, English)" \
    --notes "Small training set (1,292 sentences). Cross-validation is not grouped (no article or source column), so sentences from the same article may fall in both training and test folds, which can flatter the scores. The CC BY-NC-SA licence of the data may restrict commercial use of this model."

# -------------------------------------------------------- hyperpartisan
# Grid: C, class weights none or balanced (238 / 407 articles).
# Fixed: logistic, unigrams, tf-idf (character n-grams gave no gain here at
# ten times the time); Platt calibration (its own probabilities had ECE 0.076
# under this protocol).
# Grouped by publisher domain: the file has no publisher column, so
# --group-domain groups by the registrable domain of its url column
# (Public Suffix List: www.bbc.co.uk -> bbc.co.uk).
run hyperpartisan "$DATA/hyperpartisan_semeval2019/train.csv.gz" --label-col label --group-col url --group-domain --level document \
    --calibration platt --algo logistic --class-weight none --ngrams 1 --min-df 2 \
    --tune 'c=0.1,1,10,100;class-weight=none,balanced' "${TUNE_FOLDS[@]}" \
    --max-features 20000 --select chi2 --weighting tf-idf \
    "${COMMON[@]}" --name hyperpartisan \
    -o models/hyperpartisan.json --card models/hyperpartisan.card.md \
    --metrics models/cv/hyperpartisan_cv_metrics.csv \
    --settings-chosen "$(chosen "4 and 'Boilerplate, character n-grams, NB weighting'" 'logistic regression, stem unigrams (character n-grams were compared and gave no gain at ten times the time), min_df 2, 20,000 terms by chi-squared, tf-idf weighting, lexicon and length features') Platt calibration (instead of the logistic model's own probabilities) was chosen after measuring, on the reported folds grouped by publisher domain, an expected calibration error of 0.076 without it and 0.037 with it on the build of that day (scripts/tuning_log.md, 'Honest protocol and calibration'): that choice was not nested; the table above gives this build's figure." \
    --data-licence "CC BY 4.0 (SemEval-2019 Task 4, by-article)" \
    --notes "Trained on the 645-article by-article training set (238 hyperpartisan / 407 not; file hyperpartisan_semeval2019/train.csv.gz). Cross-validation is grouped by publisher domain (272 domains), derived from the url column by train --group-domain (the registrable domain under the Public Suffix List), so every score is for publishers unseen in training; the SemEval labels are per article but strongly tied to the publisher. The official test set is balanced 50/50, unlike this training set."

# -------------------------------------------------------------- leaning
# Grid: C of the linear SVM, 0.1 or 0.3 (C = 1 did not converge within 1000
# epochs on all rows and took 233 s for the final fit alone; tuning_log.md,
# "Nested choice of settings").
# Fixed: linear SVM, balanced class weights, unigrams, tf-idf.
# Calibration: a nested choice between temperature scaling (one slope, no
# class offsets) and temperature scaling with a bonus for the SVM's decision
# (temperature-top), by the log loss cross-fitted over the 5 inner
# calibration folds, inside every outer training fold; both keep the
# class-balanced SVM's decisions (tuning_log.md, "Leaning calibration and
# LSA features");
# boilerplate and outlet names removed (models/lexicons/boilerplate.tsv), so
# the model cannot lean on page furniture or the outlet's own name (issue #13
# item 6: a decision of principle, not taken on CV figures; it lowered them).
LEANING_OPTS=(--algo linear-svm --class-weight balanced --ngrams 1 --min-df 2
              --tune 'c=0.1,0.3' "${TUNE_FOLDS[@]}" --calibration temperature,temperature-top
              --max-features 20000 --select chi2 --weighting tf-idf --drop-boilerplate)
run leaning "$DATA/allsides_baly2020/dev.csv.gz" --label-col label --group-col source_group --level document \
    "${LEANING_OPTS[@]}" "${COMMON[@]}" --name leaning \
    -o models/leaning.json --card models/leaning.card.md \
    --metrics models/cv/leaning_cv_metrics.csv \
    --settings-chosen "$(chosen "5 and 'Boilerplate, character n-grams, NB weighting'" 'linear SVM with balanced class weights, stem unigrams, min_df 2, 20,000 terms by chi-squared, tf-idf weighting, lexicon and length features') Calibration: chosen by nested cross-validation between temperature scaling (softmax(a s), one slope, no class offsets) and temperature scaling with a non-negative bonus for the SVM's decision (softmax(a s + bonus [class = argmax s]), a >= 0), both fitted on out-of-fold decision values of 5 inner folds grouped by source_group, by the lowest log loss cross-fitted over those inner folds (each map fitted on four folds' scores, scored on the fifth), inside every outer training fold; the choices are listed above. The candidate set is declared, not tuned: both keep the decisions of the class-balanced SVM. The softmax with class offsets (Platt for k classes) is not a candidate: on these same folds it was seen to move the argmax to the most frequent class (macro-F1 0.23, kappa about 0; scripts/tuning_log.md, 'Nested choice of settings'), i.e. to undo the balanced class weights. The decision bonus was added after reading, on the reported folds, that the temperature-scaled confidence was below the accuracy for most articles and above it for the few with the widest scores (scripts/tuning_log.md, 'Leaning calibration and LSA features'): the idea, not its choice, came from the reported folds. The constraint a >= 0 on the slope (temperature scaling's and the bonus map's; a negative slope reverses decisions) was added after the outer figures of the version with a free slope had been seen, so it is a change made knowing the reported folds. In that measurement the decision bonus did not improve the Brier score or the log loss over temperature scaling alone (within 0.0002) nor the mean per-fold ECE; only the pooled ECE fell (scripts/tuning_log.md, 'Leaning calibration and LSA features'; the card's calibration figures are this build's). Boilerplate removal (--drop-boilerplate) is a decision of principle, declared and not tuned: it is there so that the model cannot learn outlet names and page furniture, and it lowered the figures when it was measured (scripts/tuning_log.md, 'Boilerplate, character n-grams, NB weighting'). NB weighting was measured and not kept; character n-grams were not tried on this model (too slow for its 60 s budget)." \
    --data-licence "Apache-2.0 for the dataset repository (Baly et al. 2020); the article texts belong to their publishers" \
    --notes "AllSides labels are the outlet's leaning, not a judgement of each article, so the model learns outlet-level signals. Boilerplate (captions, credits, newsletter prompts, bylines, wire datelines) and outlet names of the shipped list models/lexicons/boilerplate.tsv are removed before featurising, at training and at scoring time; outlet style (e.g. honorifics such as Mr., spelling, section words) remains. Cross-validation is grouped by source_group so scores are for outlets never seen in training; the data here is a sample of the outlets. Expect low accuracy on new outlets (the published range for unseen outlets is about 0.35-0.51 macro-F1). US politics only. The probabilities are calibrated decision values (the calibration row says which map was fitted; when it is the decision bonus with slope a = 0, it gives the two probabilities every article then gets, and the probabilities do not rank articles within a predicted class), fitted on out-of-fold scores of inner folds grouped by source_group: they stay close to uniform (log loss near ln 3 = 1.099), which shows how little the text says about an unseen outlet's leaning, and their argmax is the class-balanced SVM's decision. Read p_leaning_* as weak evidence; do not threshold it per article."

# --------------------------------------------------------------- gun_frames
# The GVFC headline model (formerly shipped as `frames`): gun-violence headlines only.
# Grid: C of the linear SVM, stem unigrams or 1-2-grams, class weights none
# or balanced (the close alternatives of tuning_log.md, section 6).
# Fixed: linear SVM, tf-idf.
# Calibration: chosen inside every training fold among Platt (softmax with
# class offsets), temperature scaling, temperature scaling with a decision
# bonus and one Platt sigmoid per class (normalised), by the lowest log loss
# cross-fitted over the 5 inner calibration folds (tuning_log.md, "Frames:
# label co-occurrence and decision rules; gun_frames calibration": the first
# three were declared before measuring, platt-per-class after that run,
# knowing its outer figures and platt-per-class's earlier outer ECE of 0.105
# on this data, section "Calibration: what was tried").
run gun_frames "$DATA/frames_gvfc/dev.csv.gz" --label-col label --level sentence \
    --algo linear-svm --class-weight none --ngrams 1 --min-df 2 \
    --tune 'c=0.3,1,3;ngrams=1,2;class-weight=none,balanced' "${TUNE_FOLDS[@]}" \
    --calibration platt,temperature,temperature-top,platt-per-class \
    --max-features 20000 --select chi2 --weighting tf-idf \
    "${COMMON[@]}" --name gun_frames \
    -o models/gun_frames.json --card models/gun_frames.card.md \
    --metrics models/cv/gun_frames_cv_metrics.csv \
    --settings-chosen "$(chosen 6 'linear SVM, min_df 2, 20,000 terms by chi-squared, tf-idf weighting, lexicon and length features') Calibration: chosen by nested cross-validation among Platt for k classes (softmax(a s + b), one slope, class offsets), temperature scaling (softmax(a s), a >= 0), temperature scaling with a non-negative bonus for the SVM's decision, and one Platt sigmoid per class on its own score, normalised (one-vs-rest Platt, Zadrozny & Elkan 2002), each fitted on out-of-fold decision values of 5 inner folds (stratified) of the rows a model is fitted on, by the lowest log loss cross-fitted over those inner folds (each map fitted on four folds' scores, scored on the fifth), inside every outer training fold; the choices are listed above. The first three candidates were declared before any outer figure was seen; that choice took Platt for k classes in all 5 folds and on all rows (pooled ECE 0.051, the figure the card had with Platt fixed in advance). The per-class Platt candidate was added after that run, knowing the first run's outer figures and its earlier outer ECE of 0.105 on this data (scripts/tuning_log.md, section 'Calibration: what was tried', where it was measured with fixed settings and dropped for the softmax's 0.035), so adding it is a change made knowing the reported folds; the choice among the four is still made by the inner log loss only (scripts/tuning_log.md, 'Frames: label co-occurrence and decision rules; gun_frames calibration'). Platt for k classes and per-class Platt can make the argmax of the probabilities, the prediction, differ from the SVM's decision." \
    --data-licence "not stated by the source (Gun Violence Frame Corpus, Liu et al. 2019)" \
    --notes "For headlines of gun-violence coverage only. Trained on headlines only (1,027), about gun-violence coverage, 9 frames of the Gun Violence Frame Corpus; only the primary frame (label) is used, label2 is ignored. Applied to full articles or to other topics it is out of domain (on AllSides articles about colleges or health care it still gives gun_control and mental_health probabilities near 0.2): for generic frames of any policy issue use the frames model. Cross-validation is not grouped (no source column). Rare frames (e.g. gun_rights, society_culture) score much lower than the accuracy suggests; see macro-F1 in the metrics."

# --------------------------------------------------------------- frames
# The 14 generic frames of the Policy Frames Codebook (Boydstun et al. 2014),
# multi-label, on the SemEval-2023 Task 3 subtask 2 English training articles.
# Grid: C (1-30 were within 0.006 micro-F1 of each other on the reported folds).
# Fixed: one-vs-rest logistic regression, stem unigrams only (no lexicon or
# length features), tf-idf, per-label thresholds that together maximise the
# micro-F1, chosen in inner folds (nested).
FRAMES_OPTS=(--multi-label --label-sep ';' --algo logistic --ngrams 1 --min-df 2
             --tune 'c=1,3,10,30' "${TUNE_FOLDS[@]}"
             --max-features 20000 --select frequency --weighting tf-idf
             --no-lexicon-features --no-length-features --threshold-metric micro-f1)
run frames "$DATA/frames_semeval2023/train.csv.gz" --label-col label --level document \
    "${FRAMES_OPTS[@]}" "${COMMON[@]}" --name frames \
    -o models/frames.json --card models/frames.card.md \
    --metrics models/cv/frames_cv_metrics.csv \
    --settings-chosen "Decision thresholds: chosen inside each training fold (nested), on out-of-fold probabilities of 5 inner folds of that fold's training rows, per label and jointly to maximise the micro-F1 (the task's official metric); the shipped thresholds the same way on all rows. $(chosen "'Generic frames, multi-label'" 'one-vs-rest logistic regression, stem unigrams without lexicon or length features (unigrams and 1-2-grams were within 0.001 of each other, the lexicon and length features 0.035 worse), min_df 2, 20,000 terms by frequency, tf-idf weighting, the micro-F1 threshold objective (the task'"'"'s metric); no probability calibration (each label'"'"'s logistic probabilities, fixed in advance as for the other logistic models)')" \
    --data-licence "SemEval-2023 Task 3 data: for research use, no licence file; the article texts are not redistributed (the model file holds a vocabulary, weights and 64-bit text fingerprints, no text)" \
    --notes "News articles in English (SemEval-2023 Task 3: mainstream and alternative outlets, 2020-2022 topics such as COVID-19, migration, the war in Ukraine); 433 articles, 3.7 frames per article. Two training articles (698092698, 999000878) have identical text and different labels: rows with identical text are kept in one fold (grouped by identical text), so neither is scored by a model trained on the other. Frames are labelled per article; the model scores a whole article (document level), not sentences. Rare frames (Public_opinion, Economic, Capacity_and_resources, Cultural_identity: 23-31 articles each) are hard: see their per-label F1; the micro-F1 is carried by the frequent ones (Political, Crime_and_punishment, Morality, Legality). p_frames_* are per-frame probabilities (they do not sum to 1); frames_labels is the predicted set under the thresholds in the card."

python3 scripts/models_doc.py --models models --out docs/MODELS.md
echo "done: models/*.json, models/*.card.md, models/cv/*_cv_metrics.csv, docs/MODELS.md"
