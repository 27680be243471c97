//! Multi-label metrics (each row carries any number of labels), with
//! scikit-learn 1.x semantics on the indicator matrices:
//!
//! - a label is predicted for a row when its probability is at least the
//!   label's threshold;
//! - micro precision / recall / F1 pool the true positives, false positives
//!   and false negatives of every label (`f1_score(average="micro")`);
//!   macro averages are unweighted means over all labels; an undefined ratio
//!   (zero denominator) is 0.0 (`zero_division=0`);
//! - Hamming loss: the share of (row, label) decisions that are wrong;
//!   subset accuracy: the share of rows whose predicted label set is exactly
//!   the true one;
//! - per label, as for a binary model ([`super::metrics`]): precision,
//!   recall, F1, support, ROC-AUC, Brier score, log loss and expected
//!   calibration error of P(label) against "label present"; the summary
//!   carries their means over labels, and the ECE pooled over all (row,
//!   label) probabilities.

use super::metrics::{brier_score, expected_calibration_error, log_loss, roc_auc};
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// One label's figures, as a binary problem (present / absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelMetrics {
    pub label: String,
    /// The decision threshold the predictions were made with.
    pub threshold: f64,
    /// Rows carrying the label.
    pub support: usize,
    /// Rows the label was predicted for.
    pub predicted: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub roc_auc: Option<f64>,
    pub brier: Option<f64>,
    pub log_loss: Option<f64>,
    pub ece: Option<f64>,
}

/// All multi-label metrics of one set of predictions (module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MultiLabelMetrics {
    pub n: usize,
    pub labels: Vec<String>,
    pub micro_precision: f64,
    pub micro_recall: f64,
    pub micro_f1: f64,
    pub macro_precision: f64,
    pub macro_recall: f64,
    pub macro_f1: f64,
    pub hamming_loss: f64,
    pub subset_accuracy: f64,
    /// Mean over labels of the per-label Brier score, log loss and ECE.
    pub brier: Option<f64>,
    pub log_loss: Option<f64>,
    pub ece: Option<f64>,
    /// ECE of all (row, label) probabilities pooled as one binary problem.
    pub ece_pooled: Option<f64>,
    pub per_label: Vec<LabelMetrics>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// `[1 - p, p]` rows and 0/1 truths: a binary problem for the single-label metrics.
fn as_binary(truth: impl Iterator<Item = bool>, p: impl Iterator<Item = f64>) -> (Vec<usize>, Array2<f64>) {
    let y: Vec<usize> = truth.map(usize::from).collect();
    let p: Vec<f64> = p.collect();
    let m = Array2::from_shape_fn((p.len(), 2), |(i, c)| if c == 1 { p[i] } else { 1.0 - p[i] });
    (y, m)
}

fn mean(v: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let v: Option<Vec<f64>> = v.collect();
    let v = v?;
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Metrics of probabilities `proba` (`n x labels`) against `truth`
/// (`truth[i][c]`: row i carries label c) under per-label `thresholds`.
pub fn compute_multilabel(
    labels: &[String],
    truth: &[Vec<bool>],
    proba: &Array2<f64>,
    thresholds: &[f64],
) -> MultiLabelMetrics {
    assert_eq!(thresholds.len(), labels.len(), "one threshold per label");
    let rows = Array2::from_shape_fn((truth.len(), labels.len()), |(_, c)| thresholds[c]);
    compute_multilabel_rows(labels, truth, proba, &rows)
}

/// The mean of one label's per-row thresholds; the common value itself when
/// every row has the same one (a single model), since summing n copies of
/// 0.45 and dividing gives 0.44999999999999996, not the model's threshold.
fn mean_threshold(column: ndarray::ArrayView1<f64>) -> f64 {
    match column.first() {
        None => f64::NAN,
        Some(&first) if column.iter().all(|&t| t == first) => first,
        Some(_) => column.sum() / column.len() as f64,
    }
}

/// [`compute_multilabel`] with a threshold per row and label
/// (`thresholds[[i, c]]`), as pooled out-of-fold predictions need: each row
/// is decided by its own fold's thresholds. The per-label `threshold`
/// reported is the mean over rows.
pub fn compute_multilabel_rows(
    labels: &[String],
    truth: &[Vec<bool>],
    proba: &Array2<f64>,
    thresholds: &Array2<f64>,
) -> MultiLabelMetrics {
    let n = truth.len();
    let k = labels.len();
    assert_eq!(proba.dim(), (n, k), "probabilities must be rows x labels");
    assert_eq!(thresholds.dim(), (n, k), "thresholds must be rows x labels");
    let predicted = |i: usize, c: usize| proba[[i, c]] >= thresholds[[i, c]];
    let (mut tp_all, mut fp_all, mut fn_all, mut exact) = (0, 0, 0, 0);
    let mut per_label = Vec::with_capacity(k);
    for c in 0..k {
        let (mut tp, mut fp, mut fneg) = (0, 0, 0);
        for (i, t) in truth.iter().enumerate() {
            match (t[c], predicted(i, c)) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fneg += 1,
                (false, false) => {}
            }
        }
        tp_all += tp;
        fp_all += fp;
        fn_all += fneg;
        let col: Vec<f64> = proba.column(c).to_vec();
        let present: Vec<bool> = truth.iter().map(|t| t[c]).collect();
        let (y, p2) = as_binary(present.iter().copied(), col.iter().copied());
        per_label.push(LabelMetrics {
            label: labels[c].clone(),
            threshold: mean_threshold(thresholds.column(c)),
            support: tp + fneg,
            predicted: tp + fp,
            precision: ratio(tp, tp + fp),
            recall: ratio(tp, tp + fneg),
            f1: ratio(2 * tp, 2 * tp + fp + fneg),
            roc_auc: roc_auc(&present, &col),
            brier: brier_score(&y, &p2),
            log_loss: log_loss(&y, &p2),
            ece: expected_calibration_error(&y, &p2),
        });
    }
    for (i, t) in truth.iter().enumerate() {
        exact += (0..k).all(|c| t[c] == predicted(i, c)) as usize;
    }
    let (y_all, p_all) = as_binary(
        truth.iter().flat_map(|t| t.iter().copied()),
        (0..n).flat_map(|i| (0..k).map(move |c| (i, c))).map(|(i, c)| proba[[i, c]]),
    );
    let avg = |f: fn(&LabelMetrics) -> f64| per_label.iter().map(f).sum::<f64>() / k.max(1) as f64;
    MultiLabelMetrics {
        n,
        labels: labels.to_vec(),
        micro_precision: ratio(tp_all, tp_all + fp_all),
        micro_recall: ratio(tp_all, tp_all + fn_all),
        micro_f1: ratio(2 * tp_all, 2 * tp_all + fp_all + fn_all),
        macro_precision: avg(|m| m.precision),
        macro_recall: avg(|m| m.recall),
        macro_f1: avg(|m| m.f1),
        hamming_loss: ratio(fp_all + fn_all, n * k),
        subset_accuracy: ratio(exact, n),
        brier: mean(per_label.iter().map(|m| m.brier)),
        log_loss: mean(per_label.iter().map(|m| m.log_loss)),
        ece: mean(per_label.iter().map(|m| m.ece)),
        ece_pooled: if n == 0 { None } else { expected_calibration_error(&y_all, &p_all) },
        per_label,
    }
}

/// Candidate thresholds: 0.01, 0.02, ..., 0.99.
const THRESHOLD_GRID: usize = 99;

/// The threshold on `p` that maximises the F1 of predicting "present"
/// (`p >= threshold`) against `truth`, from the grid 0.01 .. 0.99; ties go
/// to the threshold nearest 0.5, and a label with no true row gets 0.5.
pub fn choose_threshold(truth: &[bool], p: &[f64]) -> f64 {
    if !truth.iter().any(|&t| t) {
        return 0.5;
    }
    let mut best: (f64, f64) = (f64::NEG_INFINITY, 0.5);
    for g in 1..=THRESHOLD_GRID {
        let t = g as f64 / 100.0;
        let (mut tp, mut fp, mut fneg) = (0, 0, 0);
        for (&y, &v) in truth.iter().zip(p) {
            match (y, v >= t) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fneg += 1,
                _ => {}
            }
        }
        let f1 = ratio(2 * tp, 2 * tp + fp + fneg);
        let closer = (t - 0.5).abs() < (best.1 - 0.5).abs();
        if f1 > best.0 + 1e-12 || ((f1 - best.0).abs() <= 1e-12 && closer) {
            best = (f1, t);
        }
    }
    best.1
}

/// What the per-label thresholds are chosen to maximise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdMetric {
    /// The micro-F1 over all labels: thresholds chosen together
    /// ([`choose_thresholds_micro`]).
    MicroF1,
    /// Each label's own F1 ([`choose_threshold`]), i.e. the macro-F1.
    LabelF1,
}

crate::choices!(ThresholdMetric {
    "micro-f1" => ThresholdMetric::MicroF1, "per-label thresholds that together maximise the micro-F1";
    "label-f1" => ThresholdMetric::LabelF1, "each label's threshold maximises its own F1 (the macro-F1)";
});

/// Per-label thresholds from the grid 0.01 .. 0.99 that together maximise
/// the micro-F1 of `p` (`n x labels`) against `truth`: start from the best
/// threshold shared by all labels, then, label by label (three passes),
/// move each label's threshold to the value that most raises the micro-F1
/// with the others fixed (ties: keep the current value, else nearest 0.5).
/// Rare labels thereby get a threshold that pays for its false alarms,
/// which a label's own F1 does not ask.
pub fn choose_thresholds_micro(truth: &[Vec<bool>], p: &Array2<f64>) -> Vec<f64> {
    let (n, k) = p.dim();
    let grid: Vec<f64> = (1..=THRESHOLD_GRID).map(|g| g as f64 / 100.0).collect();
    // tp[c][g], fp[c][g] with label c at grid value g.
    let mut tp = vec![vec![0usize; grid.len()]; k];
    let mut fp = vec![vec![0usize; grid.len()]; k];
    let mut positives = 0usize;
    for i in 0..n {
        for c in 0..k {
            positives += truth[i][c] as usize;
            for (g, &t) in grid.iter().enumerate() {
                if p[[i, c]] >= t {
                    if truth[i][c] {
                        tp[c][g] += 1;
                    } else {
                        fp[c][g] += 1;
                    }
                }
            }
        }
    }
    let f1 = |tps: usize, fps: usize| ratio(2 * tps, tps + fps + positives);
    let shared = (0..grid.len())
        .max_by(|&a, &b| {
            let fa = f1((0..k).map(|c| tp[c][a]).sum(), (0..k).map(|c| fp[c][a]).sum());
            let fb = f1((0..k).map(|c| tp[c][b]).sum(), (0..k).map(|c| fp[c][b]).sum());
            fa.total_cmp(&fb).then(((grid[b] - 0.5).abs()).total_cmp(&(grid[a] - 0.5).abs()))
        })
        .unwrap_or(49);
    let mut at = vec![shared; k];
    for _pass in 0..3 {
        for c in 0..k {
            let tp_others: usize = (0..k).filter(|&o| o != c).map(|o| tp[o][at[o]]).sum();
            let fp_others: usize = (0..k).filter(|&o| o != c).map(|o| fp[o][at[o]]).sum();
            let mut best = (f1(tp_others + tp[c][at[c]], fp_others + fp[c][at[c]]), at[c]);
            for g in 0..grid.len() {
                let v = f1(tp_others + tp[c][g], fp_others + fp[c][g]);
                if v > best.0 + 1e-12 {
                    best = (v, g);
                }
            }
            at[c] = best.1;
        }
    }
    at.into_iter().map(|g| grid[g]).collect()
}

/// One summary figure of a fold's metrics.
type FoldFigure = fn(&MultiLabelMetrics) -> f64;

fn opt(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::NAN)
}

impl MultiLabelMetrics {
    /// Long format `(metric, label, value)`: the summary rows have an empty label.
    pub fn long_rows(&self) -> Vec<(String, String, f64)> {
        let mut out: Vec<(String, String, f64)> = [
            ("n", self.n as f64),
            ("micro_f1", self.micro_f1),
            ("micro_precision", self.micro_precision),
            ("micro_recall", self.micro_recall),
            ("macro_f1", self.macro_f1),
            ("macro_precision", self.macro_precision),
            ("macro_recall", self.macro_recall),
            ("hamming_loss", self.hamming_loss),
            ("subset_accuracy", self.subset_accuracy),
            ("brier_mean", opt(self.brier)),
            ("log_loss_mean", opt(self.log_loss)),
            ("ece_mean", opt(self.ece)),
            ("ece_pooled", opt(self.ece_pooled)),
        ]
        .into_iter()
        .map(|(m, v)| (m.to_string(), String::new(), v))
        .collect();
        for l in &self.per_label {
            for (m, v) in [
                ("threshold", l.threshold),
                ("support", l.support as f64),
                ("predicted", l.predicted as f64),
                ("precision", l.precision),
                ("recall", l.recall),
                ("f1", l.f1),
                ("roc_auc", opt(l.roc_auc)),
                ("brier", opt(l.brier)),
                ("log_loss", opt(l.log_loss)),
                ("ece", opt(l.ece)),
            ] {
                out.push((m.to_string(), l.label.clone(), v));
            }
        }
        out
    }

    /// (metric, mean, sample sd) over folds of the summary figures.
    pub fn summarize_folds(folds: &[MultiLabelMetrics]) -> Vec<(String, f64, f64)> {
        let pick: [(&str, FoldFigure); 6] = [
            ("micro_f1", |m| m.micro_f1),
            ("macro_f1", |m| m.macro_f1),
            ("hamming_loss", |m| m.hamming_loss),
            ("subset_accuracy", |m| m.subset_accuracy),
            ("brier_mean", |m| opt(m.brier)),
            ("ece_mean", |m| opt(m.ece)),
        ];
        pick.iter()
            .map(|(name, f)| {
                let v: Vec<f64> = folds.iter().map(f).collect();
                let n = v.len() as f64;
                let mean = v.iter().sum::<f64>() / n;
                let sd = if v.len() > 1 {
                    (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
                } else {
                    f64::NAN
                };
                (name.to_string(), mean, sd)
            })
            .collect()
    }

    /// A plain-text report: summary, then one line per label.
    pub fn report(&self) -> String {
        let mut s = String::new();
        let o = |v: Option<f64>| v.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"));
        let _ = writeln!(
            s,
            "n = {}, {} labels; micro-F1 {:.3} (P {:.3}, R {:.3}), macro-F1 {:.3}, Hamming loss {:.3}, subset accuracy {:.3}",
            self.n,
            self.labels.len(),
            self.micro_f1,
            self.micro_precision,
            self.micro_recall,
            self.macro_f1,
            self.hamming_loss,
            self.subset_accuracy
        );
        let _ = writeln!(
            s,
            "calibration: Brier {} (mean over labels), log loss {}, ECE {} (mean over labels), {} (pooled)",
            o(self.brier),
            o(self.log_loss),
            o(self.ece),
            o(self.ece_pooled)
        );
        let w = self.labels.iter().map(|l| l.chars().count()).max().unwrap_or(5).max(5);
        let _ =
            writeln!(s, "{:w$}  threshold  support  predicted  precision  recall     f1    AUC  Brier    ECE", "label");
        for l in &self.per_label {
            let _ = writeln!(
                s,
                "{:w$}  {:>9.2}  {:>7}  {:>9}  {:>9.3}  {:>6.3}  {:>5.3}  {:>5}  {:>5}  {:>5}",
                l.label,
                l.threshold,
                l.support,
                l.predicted,
                l.precision,
                l.recall,
                l.f1,
                o(l.roc_auc),
                o(l.brier),
                o(l.ece)
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micro_macro_hamming_by_hand() {
        let labels = vec!["a".to_string(), "b".to_string()];
        // rows: {a}, {a,b}, {b}, {}
        let truth = vec![vec![true, false], vec![true, true], vec![false, true], vec![false, false]];
        let p = Array2::from_shape_vec((4, 2), vec![0.9, 0.1, 0.8, 0.2, 0.6, 0.7, 0.1, 0.9]).unwrap();
        let m = compute_multilabel(&labels, &truth, &p, &[0.5, 0.5]);
        // a: predicted rows 0,1,2 -> tp 2 fp 1 fn 0; b: predicted rows 2,3 -> tp 1 fp 1 fn 1
        assert_eq!(m.per_label[0].predicted, 3);
        assert!((m.per_label[0].precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.per_label[1].f1 - 0.5).abs() < 1e-12);
        // micro: tp 3, fp 2, fn 1 -> 6 / 9
        assert!((m.micro_f1 - 6.0 / 9.0).abs() < 1e-12);
        assert!((m.macro_f1 - (0.8 + 0.5) / 2.0).abs() < 1e-12);
        assert!((m.hamming_loss - 3.0 / 8.0).abs() < 1e-12);
        assert!((m.subset_accuracy - 0.25).abs() < 1e-12);
        // A lower threshold for b recovers row 1.
        let m2 = compute_multilabel(&labels, &truth, &p, &[0.5, 0.15]);
        assert_eq!(m2.per_label[1].predicted, 3);
        assert!((m2.per_label[1].recall - 1.0).abs() < 1e-12);
    }

    #[test]
    fn reported_threshold_is_the_model_threshold_when_rows_share_it() {
        let labels = vec!["a".to_string()];
        let truth = vec![vec![true]; 84];
        let p = Array2::from_elem((84, 1), 0.9);
        let m = compute_multilabel(&labels, &truth, &p, &[0.45]);
        assert_eq!(m.per_label[0].threshold, 0.45);
        // Rows decided by different thresholds (out-of-fold) report their mean.
        let rows = Array2::from_shape_vec((2, 1), vec![0.4, 0.6]).unwrap();
        let m2 = compute_multilabel_rows(&labels, &truth[..2], &p.slice(ndarray::s![..2, ..]).to_owned(), &rows);
        assert!((m2.per_label[0].threshold - 0.5).abs() < 1e-12);
    }

    #[test]
    fn threshold_maximises_f1_and_prefers_the_middle() {
        let truth = [true, true, false, false];
        let p = [0.3, 0.4, 0.2, 0.1];
        let t = choose_threshold(&truth, &p);
        assert!(t > 0.2 && t <= 0.3, "{t}");
        assert_eq!(choose_threshold(&[false, false], &[0.2, 0.9]), 0.5);
    }

    #[test]
    fn micro_thresholds_raise_micro_f1_over_a_shared_one() {
        // Label a is separable at 0.6; label b's probabilities are all
        // low but still rank its rows: a shared threshold cannot serve both.
        let truth = vec![vec![true, true], vec![true, false], vec![false, true], vec![false, false]];
        let p = Array2::from_shape_vec((4, 2), vec![0.9, 0.3, 0.7, 0.1, 0.2, 0.25, 0.3, 0.05]).unwrap();
        let t = choose_thresholds_micro(&truth, &p);
        let labels = vec!["a".to_string(), "b".to_string()];
        let m = compute_multilabel(&labels, &truth, &p, &t);
        assert!((m.micro_f1 - 1.0).abs() < 1e-12, "{t:?}");
        assert!(t[0] > 0.3 && t[0] <= 0.7 && t[1] > 0.1 && t[1] <= 0.25, "{t:?}");
    }
}
