#!/usr/bin/env bash
# Train a small model on a real dataset, evaluate it with `slant eval`, and
# recompute every metric with scikit-learn from the predictions file.
# Usage: scripts/check_eval_against_sklearn.sh [DATA_DIR] (default ../shared/data)
set -euo pipefail
DATA=${1:-../shared/data}
SLANT=${SLANT:-target/release/slant}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# binary with probabilities (ROC-AUC) and a 9-class set
"$SLANT" train "$DATA/babe/dev.csv.gz" --label-col label --cv 0 -q -o "$TMP/bias.json"
"$SLANT" eval "$TMP/bias.json" "$DATA/babe/dev.csv.gz" -q -o "$TMP/bias_metrics.csv" --predictions "$TMP/bias_preds.csv"
python3 scripts/check_metrics_sklearn.py "$TMP/bias_preds.csv" "$TMP/bias_metrics.csv"
"$SLANT" train "$DATA/frames_gvfc/dev.csv.gz" --label-col label --cv 0 --c 0.05 -q -o "$TMP/frames.json"
"$SLANT" eval "$TMP/frames.json" "$DATA/frames_gvfc/dev.csv.gz" -q -o "$TMP/frames_metrics.csv" --predictions "$TMP/frames_preds.csv"
python3 scripts/check_metrics_sklearn.py "$TMP/frames_preds.csv" "$TMP/frames_metrics.csv"
# multi-label (one-vs-rest, per-label thresholds): micro/macro-F1, Hamming loss, per-label figures
"$SLANT" train "$DATA/frames_semeval2023/train.csv.gz" --label-col label --multi-label --label-sep ';' --cv 0 \
    --ngrams 1 --no-lexicon-features --no-length-features --calibration-folds 3 -q -o "$TMP/ml.json"
"$SLANT" eval "$TMP/ml.json" "$DATA/frames_semeval2023/train.csv.gz" -q -o "$TMP/ml_metrics.csv" --predictions "$TMP/ml_preds.csv"
python3 scripts/check_metrics_sklearn.py "$TMP/ml_preds.csv" "$TMP/ml_metrics.csv" ';'
