#!/usr/bin/env bash
# Train the six shipped slant classifiers with the settings chosen by
# cross-validation (see scripts/tuning_log.md for what was tried and why).
#
# Usage:  [SLANT=path/to/slant] bash scripts/train_models.sh [DATA_DIR]
#   DATA_DIR  folder holding the public datasets (default ../shared/data,
#             relative to the repository root); see its README.md
#   SLANT     slant binary (default target/release/slant)
#
# Writes models/<name>.json, models/<name>.card.md and
# models/cv/<name>_cv_metrics.csv for hedge, bias, subjectivity,
# hyperpartisan, leaning and frames. The hedge model is trained on three
# files together without CV (the CoNLL-2010 file has no doc_id to group
# by); its grouped-CV figures come from two separate evaluation runs
# (models/cv/hedge_wiki_cv_metrics.csv, models/cv/hedge_factbank_cv_metrics.csv).
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
printf 'step\twall_seconds\n' > models/cv/train_times.tsv
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

COMMON=(--cv 5 --seed 42 -q)

# run NAME ARGS...: run one `slant train` and print its wall time
run() {
    local name="$1"; shift
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

# ---------------------------------------------------------------- hedge
# Sentence-level semantic uncertainty. Chosen: linear SVM, binary term
# weights, C=1, unigrams+bigrams, lexicon and length features on.
HEDGE_OPTS=(--label-col label --level sentence --algo linear-svm --c 1
            --class-weight none --ngrams 2 --min-df 2 --max-features 20000
            --select chi2 --weighting binary)
LIC_HEDGE="research use (Szeged Uncertainty Corpus: WikiWeasel and FactBank parts; CoNLL-2010 shared task Wikipedia data)"

# Grouped-CV evaluations (evaluation models go to a temp dir; only their metrics are kept).
run hedge-cv-wiki "$DATA/uncertainty_wiki/dev.csv.gz" "${HEDGE_OPTS[@]}" \
    --group-col doc_id "${COMMON[@]}" --name hedge \
    -o "$TMP/hedge_wiki.json" --metrics models/cv/hedge_wiki_cv_metrics.csv
run hedge-cv-factbank "$DATA/uncertainty_news_factbank/dev.csv.gz" "${HEDGE_OPTS[@]}" \
    --group-col doc_id "${COMMON[@]}" --name hedge \
    -o "$TMP/hedge_factbank.json" --metrics models/cv/hedge_factbank_cv_metrics.csv

# Shipped model: all three files, no CV.
run hedge "$DATA/uncertainty_wiki/dev.csv.gz" \
    "$DATA/uncertainty_news_factbank/dev.csv.gz" \
    "$DATA/weasel_conll2010_wiki/train.csv.gz" \
    "${HEDGE_OPTS[@]}" --cv 0 --seed 42 -q --name hedge \
    -o models/hedge.json --card models/hedge.card.md \
    --data-licence "$LIC_HEDGE" \
    --notes "Trained on three files without cross-validation (the CoNLL-2010 file has no doc_id column to group by). Cross-validated figures for these settings, 5 folds grouped by doc_id, are in models/cv/hedge_wiki_cv_metrics.csv (WikiWeasel) and models/cv/hedge_factbank_cv_metrics.csv (FactBank newswire); see scripts/tuning_log.md. Two label definitions are mixed: the CoNLL-2010 labels also count weasel phrases (e.g. vague attributions) as uncertain, the Szeged re-annotation counts semantic uncertainty. Most training rows are Wikipedia; FactBank (newswire) is the only news text. Much of the signal comes from the framing lexicon's hedge features; without them the term features alone score far lower on FactBank. That lexicon was itself tuned on the WikiWeasel and FactBank data (docs/VALIDATION.md), so these CV figures are somewhat optimistic. Out-of-domain check (trained on WikiWeasel + CoNLL-2010 only, evaluated on FactBank): uncertain-class F1 0.62 (recall 0.49), well below the in-domain CV figures."

# ----------------------------------------------------------------- bias
# Chosen: logistic, balanced class weights, C=1, unigrams, tf-idf.
run bias "$DATA/babe/dev.csv.gz" --label-col label --group-col outlet --level sentence \
    --algo logistic --c 1 --class-weight balanced --ngrams 1 --min-df 2 \
    --max-features 20000 --select chi2 --weighting tf-idf \
    "${COMMON[@]}" --name bias \
    -o models/bias.json --card models/bias.card.md \
    --metrics models/cv/bias_cv_metrics.csv \
    --data-licence "AGPL-3.0 (BABE, Spinde et al. 2021)" \
    --notes "BABE labels are strongly confounded with the outlet (per the dataset README); cross-validation is grouped by outlet so every score is for outlets unseen in training, but the model may still learn outlet style rather than biased wording. Sentence-level labels of biased wording, not of factual accuracy."

# --------------------------------------------------------- subjectivity
# Chosen: logistic, balanced class weights, C=1, unigrams+bigrams, tf-idf.
run subjectivity "$DATA/subjectivity_checkthat2025/dev.csv.gz" --label-col label --level sentence \
    --algo logistic --c 1 --class-weight balanced --ngrams 2 --min-df 2 \
    --max-features 20000 --select chi2 --weighting tf-idf \
    "${COMMON[@]}" --name subjectivity \
    -o models/subjectivity.json --card models/subjectivity.card.md \
    --metrics models/cv/subjectivity_cv_metrics.csv \
    --data-licence "CC BY-NC-SA 4.0 (CLEF CheckThat! 2025 Task 1, English)" \
    --notes "Small training set (1,292 sentences). Cross-validation is not grouped (no article or source column), so sentences from the same article may fall in both training and test folds, which can flatter the scores. The CC BY-NC-SA licence of the data may restrict commercial use of this model."

# -------------------------------------------------------- hyperpartisan
# Chosen: logistic, C=10, unigrams, tf-idf, no class weights.
run hyperpartisan "$DATA/hyperpartisan_semeval2019/train.csv.gz" --label-col label --level document \
    --algo logistic --c 10 --class-weight none --ngrams 1 --min-df 2 \
    --max-features 20000 --select chi2 --weighting tf-idf \
    "${COMMON[@]}" --name hyperpartisan \
    -o models/hyperpartisan.json --card models/hyperpartisan.card.md \
    --metrics models/cv/hyperpartisan_cv_metrics.csv \
    --data-licence "CC BY 4.0 (SemEval-2019 Task 4, by-article)" \
    --notes "Trained on the 645-article by-article training set (238 hyperpartisan / 407 not). Cross-validation is not grouped by publisher, so articles from the same outlet can be in training and test folds; accuracy on articles from unseen outlets may be lower. The official test set is balanced 50/50, unlike this training set."

# -------------------------------------------------------------- leaning
# Chosen: linear SVM, C=0.3, balanced class weights, unigrams, tf-idf.
LEANING_OPTS=(--algo linear-svm --c 0.3 --class-weight balanced --ngrams 1 --min-df 2
              --max-features 20000 --select chi2 --weighting tf-idf)
run leaning "$DATA/allsides_baly2020/dev.csv.gz" --label-col label --group-col source_group --level document \
    "${LEANING_OPTS[@]}" "${COMMON[@]}" --name leaning \
    -o models/leaning.json --card models/leaning.card.md \
    --metrics models/cv/leaning_cv_metrics.csv \
    --data-licence "Apache-2.0 for the dataset repository (Baly et al. 2020); the article texts belong to their publishers" \
    --notes "AllSides labels are the outlet's leaning, not a judgement of each article, so the model learns outlet-level signals. Cross-validation is grouped by source_group so scores are for outlets never seen in training; the data here is a sample of the outlets. Expect low accuracy on new outlets (the published range for unseen outlets is about 0.35-0.51 macro-F1). US politics only."

# --------------------------------------------------------------- frames
# Chosen: linear SVM, C=0.3, unigrams, tf-idf.
run frames "$DATA/frames_gvfc/dev.csv.gz" --label-col label --level sentence \
    --algo linear-svm --c 0.3 --class-weight none --ngrams 1 --min-df 2 \
    --max-features 20000 --select chi2 --weighting tf-idf \
    "${COMMON[@]}" --name frames \
    -o models/frames.json --card models/frames.card.md \
    --metrics models/cv/frames_cv_metrics.csv \
    --data-licence "not stated by the source (Gun Violence Frame Corpus, Liu et al. 2019)" \
    --notes "Trained on headlines only (1,027), about gun-violence coverage, 9 frames; only the primary frame (label) is used, label2 is ignored. Applied to full articles or other topics it is out of domain. Cross-validation is not grouped (no source column). Rare frames (e.g. gun_rights, society_culture) score much lower than the accuracy suggests; see macro-F1 in the metrics."

echo "done: models/*.json, models/*.card.md, models/cv/*_cv_metrics.csv"
