#!/usr/bin/env python3
"""Re-check a slant metrics CSV against scikit-learn.

Usage:
    python3 scripts/check_metrics_sklearn.py PREDICTIONS.csv METRICS.csv [LABEL_SEP]

Multi-label models (a METRICS.csv with `micro_f1` rows, from `slant eval` of a model trained
with `--multi-label`): `label` and `predicted` hold label sets joined by LABEL_SEP (default
`;`), `p_<label>` one probability per label. Recomputed with scikit-learn on the indicator
matrices: micro/macro precision, recall, F1 (`zero_division=0`), Hamming loss, subset
accuracy (`accuracy_score`), per label precision/recall/F1/support/predicted, ROC-AUC,
Brier score and log loss; ECE per label and pooled with numpy (binary, as below); the means
over labels; and each row's predicted set is checked to be the labels whose probability is at
least the label's `threshold` row.

PREDICTIONS.csv has a header with columns `y_true,y_pred` (label names; `label,predicted` as
written by `slant eval --predictions` are accepted too) and, optionally,
`p_<label>` probability columns: `p_<second label>` gives binary ROC-AUC; with a column for
every label, the Brier score, log loss and expected calibration error are checked too.

METRICS.csv is what `slant eval ... -o metrics.csv` writes (`Metrics::long_rows`), header
`metric,class,value`:
  - overall rows with an empty class: n, accuracy, macro_precision, macro_recall, macro_f1,
    weighted_f1, kappa (empty or NaN when undefined), roc_auc (only when defined), brier,
    log_loss, ece (only with probabilities);
  - per-class rows precision, recall, f1, support with class = label; the order of these rows
    gives the label order (label index 0 first), which is passed to sklearn as `labels=`;
  - confusion rows with class = "truth=<label>;pred=<label>" and value = count.

Every slant row is recomputed with scikit-learn (zero_division=0, labels= the full label
list) and compared with tolerance 1e-9; a roc_auc that one side has and the other lacks is
also a mismatch. Brier score: binary, sklearn's `brier_score_loss` on P(second label);
k > 2, the mean over rows of the summed squared errors (sklearn >= 1.7's multi-class
definition, recomputed here with numpy). Log loss: sklearn's `log_loss`. ECE has no sklearn
function: it is recomputed here with numpy (10 equal-width bins of the largest class
probability, ties in the argmax to the first label). Exit status: 0 if everything matches (or if scikit-learn is not installed,
with a message), 1 on any mismatch, 2 on unusable input.
"""

import csv
import math
import sys
import warnings

TOL = 1e-9


def binary_ece(np, y, p):
    """ECE of P(present) p against 0/1 y: confidence max(p, 1 - p), argmax ties to 'absent'."""
    conf = np.maximum(p, 1 - p)
    hit = (p > 1 - p) == (y == 1)
    bins = np.minimum(np.floor(conf * 10).astype(int), 9)
    return float(sum((bins == b).sum() / len(y) * abs(hit[bins == b].mean() - conf[bins == b].mean())
                     for b in range(10) if (bins == b).any()))


def check_multilabel(preds, rows, sep):
    """Expected values of a multi-label metrics file (module docs), or an error string."""
    import numpy as np
    import re
    from sklearn.metrics import (accuracy_score, brier_score_loss, hamming_loss, log_loss,
                                 precision_recall_fscore_support, roc_auc_score)

    def snake(label):
        return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]", "_", label.lower())).strip("_")

    labels = [c for m, c, _ in rows if m == "threshold"]
    thresholds = {c: v for m, c, v in rows if m == "threshold"}
    pcols = [next((c for c in (f"p_{lab}", f"p_{snake(lab)}") if c in preds[0]), None) for lab in labels]
    if not labels or not all(pcols):
        return None, "need threshold rows in the metrics and a p_<label> column per label"
    sets = lambda v: set(x for x in v.split(sep) if x) if v else set()
    Y = np.array([[lab in sets(r["label"]) for lab in labels] for r in preds], dtype=int)
    Yp = np.array([[lab in sets(r["predicted"]) for lab in labels] for r in preds], dtype=int)
    P = np.array([[float(r[c]) for c in pcols] for r in preds])
    T = np.array([thresholds[lab] for lab in labels])
    if not (Yp == (P >= T)).all():
        return None, "a predicted label set is not the labels at or above their thresholds"
    e = {("n", ""): float(len(Y)), ("hamming_loss", ""): hamming_loss(Y, Yp), ("subset_accuracy", ""): accuracy_score(Y, Yp)}
    for avg in ("micro", "macro"):
        p, r, f1, _ = precision_recall_fscore_support(Y, Yp, average=avg, zero_division=0)
        e.update({(f"{avg}_precision", ""): p, (f"{avg}_recall", ""): r, (f"{avg}_f1", ""): f1})
    p, r, f1, sup = precision_recall_fscore_support(Y, Yp, average=None, zero_division=0)
    briers, losses, eces = [], [], []
    for i, lab in enumerate(labels):
        e.update({("precision", lab): p[i], ("recall", lab): r[i], ("f1", lab): f1[i], ("support", lab): float(sup[i]),
                  ("predicted", lab): float(Yp[:, i].sum()), ("threshold", lab): thresholds[lab]})
        e[("roc_auc", lab)] = roc_auc_score(Y[:, i], P[:, i]) if 0 < Y[:, i].sum() < len(Y) else float("nan")
        briers.append(brier_score_loss(Y[:, i], P[:, i]))
        losses.append(log_loss(Y[:, i], P[:, i], labels=[0, 1]))
        eces.append(binary_ece(np, Y[:, i], P[:, i]))
        e[("brier", lab)], e[("log_loss", lab)], e[("ece", lab)] = briers[-1], losses[-1], eces[-1]
    e[("brier_mean", "")] = float(np.mean(briers))
    e[("log_loss_mean", "")] = float(np.mean(losses))
    e[("ece_mean", "")] = float(np.mean(eces))
    e[("ece_pooled", "")] = binary_ece(np, Y.ravel(), P.ravel())
    return e, None


def main(argv):
    if len(argv) not in (3, 4):
        print("usage: check_metrics_sklearn.py PREDICTIONS.csv METRICS.csv [LABEL_SEP]", file=sys.stderr)
        return 2
    try:
        import numpy as np
        from sklearn import __version__ as skv
        from sklearn.metrics import (
            accuracy_score,
            cohen_kappa_score,
            confusion_matrix,
            precision_recall_fscore_support,
            brier_score_loss,
            log_loss,
            roc_auc_score,
        )
    except ImportError:
        print("scikit-learn is not installed; skipping the check (pip install scikit-learn).")
        return 0
    warnings.simplefilter("ignore")  # sklearn's UndefinedMetricWarning for zero_division / kappa

    with open(argv[1], newline="", encoding="utf-8") as f:
        preds = list(csv.DictReader(f))
    with open(argv[2], newline="", encoding="utf-8") as f:
        rows = [(r["metric"], r["class"], float(r["value"]) if r["value"] != "" else float("nan")) for r in csv.DictReader(f)]
    for r in preds:
        if "y_true" not in r and "label" in r:
            r["y_true"] = r["label"]
        if "y_pred" not in r and "predicted" in r:
            r["y_pred"] = r["predicted"]
    if not preds or "y_true" not in preds[0] or "y_pred" not in preds[0]:
        print(f"{argv[1]}: need columns y_true,y_pred", file=sys.stderr)
        return 2

    if any(m == "micro_f1" for m, _, _ in rows):
        expected, err = check_multilabel(preds, rows, argv[3] if len(argv) == 4 else ";")
        if err:
            print(f"{argv[1]}: {err}", file=sys.stderr)
            return 2
        return compare(rows, expected, skv)

    labels = [c for m, c, _ in rows if m == "precision"]
    if not labels:
        print(f"{argv[2]}: no per-class precision rows, cannot tell the labels", file=sys.stderr)
        return 2
    y_true = [r["y_true"] for r in preds]
    y_pred = [r["y_pred"] for r in preds]
    unknown = sorted(set(y_true + y_pred) - set(labels))
    if unknown:
        print(f"labels in predictions but not in metrics: {unknown}", file=sys.stderr)
        return 2

    expected = {("n", ""): float(len(y_true)), ("accuracy", ""): accuracy_score(y_true, y_pred)}
    for avg in ("macro", "weighted"):
        p, r, f1, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=avg, zero_division=0)
        if avg == "macro":
            expected.update({("macro_precision", ""): p, ("macro_recall", ""): r, ("macro_f1", ""): f1})
        else:
            expected[("weighted_f1", "")] = f1
    p, r, f1, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    for i, lab in enumerate(labels):
        expected.update(
            {("precision", lab): p[i], ("recall", lab): r[i], ("f1", lab): f1[i], ("support", lab): float(s[i])}
        )
    try:
        expected[("kappa", "")] = cohen_kappa_score(y_true, y_pred)
    except ValueError:
        expected[("kappa", "")] = float("nan")
    cm = confusion_matrix(y_true, y_pred, labels=labels)
    for i, t in enumerate(labels):
        for j, q in enumerate(labels):
            expected[("confusion", f"truth={t};pred={q}")] = float(cm[i, j])
    pcol = None
    if len(labels) == 2:
        import re
        snake = re.sub(r"_+", "_", re.sub(r"[^a-z0-9]", "_", labels[1].lower())).strip("_")
        pcol = next((c for c in (f"p_{labels[1]}", f"p_{snake}") if c in preds[0]), None)
    if pcol and len(set(y_true)) == 2:
        scores = np.array([float(r[pcol]) for r in preds])
        expected[("roc_auc", "")] = roc_auc_score([t == labels[1] for t in y_true], scores)

    import re

    def snake(label):
        return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]", "_", label.lower())).strip("_")

    pcols = [next((c for c in (f"p_{lab}", f"p_{snake(lab)}") if c in preds[0]), None) for lab in labels]
    if all(pcols):
        P = np.array([[float(r[c]) for c in pcols] for r in preds])
        yi = np.array([labels.index(t) for t in y_true])
        onehot = np.eye(len(labels))[yi]
        if len(labels) == 2:
            expected[("brier", "")] = brier_score_loss(yi == 1, P[:, 1])
        else:
            expected[("brier", "")] = float(np.mean(np.sum((P - onehot) ** 2, axis=1)))
        expected[("log_loss", "")] = log_loss(yi, P, labels=list(range(len(labels))))
        conf = P.max(axis=1)
        hit = P.argmax(axis=1) == yi
        bins = np.minimum(np.floor(conf * 10).astype(int), 9)
        expected[("ece", "")] = float(
            sum((bins == b).sum() / len(yi) * abs(hit[bins == b].mean() - conf[bins == b].mean())
                for b in range(10) if (bins == b).any())
        )

    return compare(rows, expected, skv)


def compare(rows, expected, skv):
    got = {(m, c): v for m, c, v in rows}
    bad = 0
    for key in sorted(set(got) | set(expected)):
        g, e = got.get(key), expected.get(key)
        if g is None or e is None:
            print(f"MISMATCH {key}: slant {g}, sklearn {e} (row missing on one side)")
            bad += 1
        elif not ((math.isnan(g) and math.isnan(e)) or abs(g - float(e)) <= TOL):
            print(f"MISMATCH {key}: slant {g!r}, sklearn {float(e)!r}")
            bad += 1
    if bad:
        print(f"{bad} mismatch(es) against scikit-learn {skv}")
        return 1
    print(f"all {len(got)} metrics match scikit-learn {skv} (tolerance {TOL})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
