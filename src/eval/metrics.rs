//! Classification metrics with scikit-learn (1.x) semantics.
//!
//! Everything is computed from the confusion matrix `confusion[truth][predicted]`
//! over the *given* label set, like sklearn's functions called with `labels=`:
//!
//! - precision = tp / (tp + fp), recall = tp / (tp + fn), F1 = 2 tp / (2 tp + fp + fn);
//!   an undefined ratio (zero denominator) is 0.0, sklearn's `zero_division="warn"` value.
//!   (Do not use linfa's `ConfusionMatrix`: it swaps precision and recall.)
//! - macro averages are unweighted means over *all* labels, including labels absent
//!   from both `y_true` and `y_pred`; `weighted_f1` weights by support (true count).
//! - kappa is `cohen_kappa_score`: 1 - sum(W * C) / sum(W * E) with W = 1 off the
//!   diagonal, E = outer(col sums, row sums) / n. When it is undefined (every sample in
//!   one and the same class in truth and prediction, or n = 0) it is NaN, as in sklearn;
//!   NaN is serialised to JSON as `null`.
//! - ROC-AUC is `roc_auc_score` computed as the Mann-Whitney U statistic with average
//!   ranks for tied scores (identical to the trapezoidal ROC area).
//!
//! Probability quality (all `None` without probabilities):
//! - Brier score: binary, sklearn's `brier_score_loss(y == class 1, p_1)` = mean (p_1 - y)^2;
//!   k > 2 classes, the multi-class Brier score mean over rows of sum_c (p_c - [y = c])^2
//!   (sklearn >= 1.7's multi-class `brier_score_loss`; its binary value is half of this sum,
//!   which is why the binary case is reported on the classic scale).
//! - log loss: sklearn's `log_loss` (1.5+, `eps="auto"`), mean of -ln p_{y_i}, each
//!   probability clipped to `[ε, 1 - ε]` with ε = `f64::EPSILON` (rows sum to 1 here, so
//!   no renormalisation is needed).
//! - expected calibration error (ECE): the confidence of a row is its largest class
//!   probability; rows go into 10 equal-width bins of confidence, `[0, 0.1), [0.1, 0.2), ...,
//!   [0.9, 1.0]` (1.0 in the last bin); ECE = sum over bins of (n_bin / n) * |accuracy_bin -
//!   mean confidence_bin|, accuracy being the share of rows whose argmax class (ties to the
//!   lowest index, as the predictions) is the true class. [`reliability_bins`] gives the bins.

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Per-class precision, recall, F1 and support (number of true instances).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    pub label: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// All metrics for one set of predictions. See the module docs for definitions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub n: usize,
    pub labels: Vec<String>,
    pub accuracy: f64,
    pub per_class: Vec<ClassMetrics>,
    pub macro_precision: f64,
    pub macro_recall: f64,
    pub macro_f1: f64,
    pub weighted_f1: f64,
    /// Cohen's kappa; NaN when undefined (serialised as `null`).
    #[serde(with = "nan_as_null")]
    pub kappa: f64,
    /// Binary only: AUC of proba column 1 for class index 1. None if not binary, no proba,
    /// only one class present in `y_true`, or a non-finite score.
    pub roc_auc: Option<f64>,
    /// `confusion[truth][predicted]`, indexed like `labels`.
    pub confusion: Vec<Vec<usize>>,
    /// Brier score (module docs); None without probabilities.
    #[serde(default)]
    pub brier: Option<f64>,
    /// Log loss (module docs); None without probabilities.
    #[serde(default)]
    pub log_loss: Option<f64>,
    /// Expected calibration error, 10 equal-width confidence bins (module docs).
    #[serde(default)]
    pub ece: Option<f64>,
}

/// Number of equal-width confidence bins of the expected calibration error.
pub const ECE_BINS: usize = 10;

/// Smallest probability used in the log loss (sklearn's `eps="auto"` for float64).
const LOG_LOSS_EPS: f64 = f64::EPSILON;

/// One confidence bin of a reliability diagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// Lower and upper edge of the bin.
    pub lower: f64,
    pub upper: f64,
    /// Rows whose confidence falls in the bin.
    pub n: usize,
    /// Mean confidence (largest class probability) of those rows; NaN when empty.
    pub confidence: f64,
    /// Share of those rows whose argmax class is the true class; NaN when empty.
    pub accuracy: f64,
}

/// The [`ECE_BINS`] confidence bins of `proba` against `y_true` (module docs).
pub fn reliability_bins(y_true: &[usize], proba: &Array2<f64>) -> Vec<ReliabilityBin> {
    let mut n = [0usize; ECE_BINS];
    let mut conf = [0.0; ECE_BINS];
    let mut hits = [0usize; ECE_BINS];
    for (row, &t) in proba.outer_iter().zip(y_true) {
        let mut best = 0;
        for (j, &v) in row.iter().enumerate() {
            if v > row[best] {
                best = j;
            }
        }
        let c = row[best];
        let b = ((c * ECE_BINS as f64).floor().max(0.0) as usize).min(ECE_BINS - 1);
        n[b] += 1;
        conf[b] += c;
        hits[b] += usize::from(best == t);
    }
    (0..ECE_BINS)
        .map(|b| ReliabilityBin {
            lower: b as f64 / ECE_BINS as f64,
            upper: (b + 1) as f64 / ECE_BINS as f64,
            n: n[b],
            confidence: if n[b] == 0 { f64::NAN } else { conf[b] / n[b] as f64 },
            accuracy: if n[b] == 0 { f64::NAN } else { hits[b] as f64 / n[b] as f64 },
        })
        .collect()
}

/// Expected calibration error over [`reliability_bins`]; None for no rows or a non-finite probability.
pub fn expected_calibration_error(y_true: &[usize], proba: &Array2<f64>) -> Option<f64> {
    if y_true.is_empty() || proba.iter().any(|p| !p.is_finite()) {
        return None;
    }
    let n = y_true.len() as f64;
    let bins = reliability_bins(y_true, proba);
    Some(bins.iter().filter(|b| b.n > 0).map(|b| b.n as f64 / n * (b.accuracy - b.confidence).abs()).sum())
}

/// Brier score (module docs); None for no rows or a non-finite probability.
pub fn brier_score(y_true: &[usize], proba: &Array2<f64>) -> Option<f64> {
    if y_true.is_empty() || proba.iter().any(|p| !p.is_finite()) {
        return None;
    }
    let k = proba.ncols();
    let total: f64 = if k == 2 {
        proba.column(1).iter().zip(y_true).map(|(&p, &t)| (p - if t == 1 { 1.0 } else { 0.0 }).powi(2)).sum()
    } else {
        proba
            .outer_iter()
            .zip(y_true)
            .map(|(row, &t)| {
                row.iter().enumerate().map(|(c, &p)| (p - if c == t { 1.0 } else { 0.0 }).powi(2)).sum::<f64>()
            })
            .sum()
    };
    Some(total / y_true.len() as f64)
}

/// Log loss (module docs); None for no rows or a non-finite probability.
pub fn log_loss(y_true: &[usize], proba: &Array2<f64>) -> Option<f64> {
    if y_true.is_empty() || proba.iter().any(|p| !p.is_finite()) {
        return None;
    }
    let total: f64 =
        y_true.iter().enumerate().map(|(i, &t)| -proba[[i, t]].clamp(LOG_LOSS_EPS, 1.0 - LOG_LOSS_EPS).ln()).sum();
    Some(total / y_true.len() as f64)
}

mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f64(*v)
        } else {
            s.serialize_none()
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

fn ratio(num: f64, den: f64) -> f64 {
    if den == 0.0 {
        0.0
    } else {
        num / den
    }
}

/// Compute all metrics. `labels[i]` names class index i; `proba` is n x k with column c =
/// P(class c) and is used only for ROC-AUC in the binary case.
///
/// # Panics
/// If `y_true` and `y_pred` differ in length, a class index is `>= labels.len()`, or
/// `proba` does not have `y_true.len()` rows (programming errors, not data errors).
pub fn compute(labels: &[String], y_true: &[usize], y_pred: &[usize], proba: Option<&Array2<f64>>) -> Metrics {
    assert_eq!(y_true.len(), y_pred.len(), "y_true and y_pred differ in length");
    let k = labels.len();
    let n = y_true.len();
    let mut confusion = vec![vec![0usize; k]; k];
    for (&t, &p) in y_true.iter().zip(y_pred) {
        assert!(t < k && p < k, "class index out of range: truth {t}, predicted {p}, {k} labels");
        confusion[t][p] += 1;
    }
    let correct: usize = (0..k).map(|i| confusion[i][i]).sum();
    let accuracy = ratio(correct as f64, n as f64);

    let per_class: Vec<ClassMetrics> = (0..k)
        .map(|c| {
            let tp = confusion[c][c] as f64;
            let true_sum: usize = confusion[c].iter().sum();
            let pred_sum: usize = confusion.iter().map(|row| row[c]).sum();
            ClassMetrics {
                label: labels[c].clone(),
                precision: ratio(tp, pred_sum as f64),
                recall: ratio(tp, true_sum as f64),
                f1: ratio(2.0 * tp, (true_sum + pred_sum) as f64),
                support: true_sum,
            }
        })
        .collect();
    let mean = |f: fn(&ClassMetrics) -> f64| ratio(per_class.iter().map(f).sum(), k as f64);
    let macro_precision = mean(|c| c.precision);
    let macro_recall = mean(|c| c.recall);
    let macro_f1 = mean(|c| c.f1);
    let weighted_f1 = ratio(per_class.iter().map(|c| c.f1 * c.support as f64).sum(), n as f64);

    let kappa = cohen_kappa(&confusion);

    let (brier, log_loss, ece) = match proba {
        Some(p) if p.ncols() == k && p.nrows() == n => {
            (brier_score(y_true, p), self::log_loss(y_true, p), expected_calibration_error(y_true, p))
        }
        _ => (None, None, None),
    };
    let roc_auc = match proba {
        Some(p) => {
            assert_eq!(p.nrows(), n, "proba has {} rows for {n} samples", p.nrows());
            if k == 2 && p.ncols() == 2 {
                let truth: Vec<bool> = y_true.iter().map(|&t| t == 1).collect();
                let scores: Vec<f64> = p.column(1).to_vec();
                roc_auc(&truth, &scores)
            } else {
                None
            }
        }
        None => None,
    };

    Metrics {
        n,
        labels: labels.to_vec(),
        accuracy,
        per_class,
        macro_precision,
        macro_recall,
        macro_f1,
        weighted_f1,
        kappa,
        roc_auc,
        confusion,
        brier,
        log_loss,
        ece,
    }
}

/// sklearn's `cohen_kappa_score` (unweighted) from a confusion matrix; NaN when undefined.
fn cohen_kappa(confusion: &[Vec<usize>]) -> f64 {
    let k = confusion.len();
    let sum0: Vec<f64> = (0..k).map(|j| confusion.iter().map(|r| r[j]).sum::<usize>() as f64).collect();
    let sum1: Vec<f64> = confusion.iter().map(|r| r.iter().sum::<usize>() as f64).collect();
    let total: f64 = sum0.iter().sum();
    if total == 0.0 {
        return f64::NAN;
    }
    // Same operation order as sklearn: expected[i][j] = sum0[i] * sum1[j] / total,
    // numerator = sum over i != j of confusion[i][j], denominator = sum over i != j of expected[i][j].
    let mut num = 0.0;
    let mut den = 0.0;
    for i in 0..k {
        for j in 0..k {
            if i != j {
                num += confusion[i][j] as f64;
                den += sum0[i] * sum1[j] / total;
            }
        }
    }
    if den == 0.0 {
        return f64::NAN;
    }
    1.0 - num / den
}

/// Area under the ROC curve for `scores` predicting `y_true == true`, with average ranks
/// for ties (Mann-Whitney U / (n_pos * n_neg)); equals sklearn's `roc_auc_score`.
/// None when the lengths differ, either class is absent, or a score is not finite
/// (sklearn raises on NaN/inf).
pub fn roc_auc(y_true: &[bool], scores: &[f64]) -> Option<f64> {
    if y_true.len() != scores.len() || scores.iter().any(|s| !s.is_finite()) {
        return None;
    }
    let n_pos = y_true.iter().filter(|&&t| t).count();
    let n_neg = y_true.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // Sum of (1-based, tie-averaged) ranks of the positives.
    let mut rank_sum_pos = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let avg_rank = (i + 1 + j + 1) as f64 / 2.0;
        let pos_in_tie = order[i..=j].iter().filter(|&&idx| y_true[idx]).count();
        rank_sum_pos += avg_rank * pos_in_tie as f64;
        i = j + 1;
    }
    let (np, nn) = (n_pos as f64, n_neg as f64);
    Some((rank_sum_pos - np * (np + 1.0) / 2.0) / (np * nn))
}

impl Metrics {
    /// Long-format rows `(metric, class, value)` for a `metric,class,value` CSV.
    ///
    /// Scheme (in this order):
    /// - overall, `class` empty: `n`, `accuracy`, `macro_precision`, `macro_recall`, `macro_f1`,
    ///   `weighted_f1`, `kappa` (NaN when undefined), `roc_auc`, `brier`, `log_loss`, `ece`
    ///   (each of the last four omitted when None);
    /// - per class, `class` = label: `precision`, `recall`, `f1`, `support`, one group per label
    ///   in label order;
    /// - `confusion`, `class` = `truth=<label>;pred=<label>`, value = count, truth-major order.
    pub fn long_rows(&self) -> Vec<(String, String, f64)> {
        let mut rows = Vec::new();
        let mut overall = |m: &str, v: f64| rows.push((m.to_string(), String::new(), v));
        overall("n", self.n as f64);
        overall("accuracy", self.accuracy);
        overall("macro_precision", self.macro_precision);
        overall("macro_recall", self.macro_recall);
        overall("macro_f1", self.macro_f1);
        overall("weighted_f1", self.weighted_f1);
        overall("kappa", self.kappa);
        if let Some(auc) = self.roc_auc {
            overall("roc_auc", auc);
        }
        for (name, v) in [("brier", self.brier), ("log_loss", self.log_loss), ("ece", self.ece)] {
            if let Some(v) = v {
                overall(name, v);
            }
        }
        for c in &self.per_class {
            rows.push(("precision".into(), c.label.clone(), c.precision));
            rows.push(("recall".into(), c.label.clone(), c.recall));
            rows.push(("f1".into(), c.label.clone(), c.f1));
            rows.push(("support".into(), c.label.clone(), c.support as f64));
        }
        for (t, row) in self.confusion.iter().enumerate() {
            for (p, &count) in row.iter().enumerate() {
                rows.push((
                    "confusion".into(),
                    format!("truth={};pred={}", self.labels[t], self.labels[p]),
                    count as f64,
                ));
            }
        }
        rows
    }

    /// Mean and sample standard deviation (n - 1; 0 for a single value) over folds of
    /// `accuracy`, `macro_f1`, `kappa`, `roc_auc`, `brier`, `log_loss` and `ece`, in that
    /// order. Non-finite values (None AUC, NaN kappa) are skipped; a metric with no values
    /// left is omitted.
    pub fn summarize_folds(folds: &[Metrics]) -> Vec<(String, f64, f64)> {
        type Extract = fn(&Metrics) -> Option<f64>;
        let extract: [(&str, Extract); 7] = [
            ("accuracy", |m| Some(m.accuracy)),
            ("macro_f1", |m| Some(m.macro_f1)),
            ("kappa", |m| Some(m.kappa)),
            ("roc_auc", |m| m.roc_auc),
            ("brier", |m| m.brier),
            ("log_loss", |m| m.log_loss),
            ("ece", |m| m.ece),
        ];
        extract
            .iter()
            .filter_map(|(name, f)| {
                let vals: Vec<f64> = folds.iter().filter_map(f).filter(|v| v.is_finite()).collect();
                if vals.is_empty() {
                    return None;
                }
                let len = vals.len() as f64;
                let mean = vals.iter().sum::<f64>() / len;
                let sd = if vals.len() > 1 {
                    (vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (len - 1.0)).sqrt()
                } else {
                    0.0
                };
                Some((name.to_string(), mean, sd))
            })
            .collect()
    }

    /// A short human-readable report: headline metrics, per-class table, confusion matrix.
    pub fn report(&self) -> String {
        let mut s = String::new();
        let auc = self.roc_auc.map_or_else(|| "n/a".to_string(), |a| format!("{a:.4}"));
        let kappa = if self.kappa.is_finite() { format!("{:.4}", self.kappa) } else { "undefined".to_string() };
        let _ = writeln!(s, "n = {}", self.n);
        let _ = writeln!(s, "accuracy      {:.4}", self.accuracy);
        let _ = writeln!(s, "macro-F1      {:.4}", self.macro_f1);
        let _ = writeln!(s, "weighted-F1   {:.4}", self.weighted_f1);
        let _ = writeln!(s, "Cohen's kappa {kappa}");
        let _ = writeln!(s, "ROC-AUC       {auc}");
        let opt = |v: Option<f64>| v.map_or_else(|| "n/a".to_string(), |v| format!("{v:.4}"));
        let _ = writeln!(s, "Brier score   {}", opt(self.brier));
        let _ = writeln!(s, "log loss      {}", opt(self.log_loss));
        let _ = writeln!(s, "ECE (10 bins) {}", opt(self.ece));
        let _ = writeln!(s);

        let w = self.labels.iter().map(|l| l.chars().count()).max().unwrap_or(0).max(5);
        let _ = writeln!(s, "{:<w$}  {:>9}  {:>9}  {:>9}  {:>7}", "class", "precision", "recall", "f1", "support");
        for c in &self.per_class {
            let _ = writeln!(
                s,
                "{:<w$}  {:>9.4}  {:>9.4}  {:>9.4}  {:>7}",
                c.label, c.precision, c.recall, c.f1, c.support
            );
        }
        let _ = writeln!(
            s,
            "{:<w$}  {:>9.4}  {:>9.4}  {:>9.4}  {:>7}",
            "macro", self.macro_precision, self.macro_recall, self.macro_f1, self.n
        );
        let _ = writeln!(s);

        let _ = writeln!(s, "confusion matrix (rows = truth, columns = predicted)");
        let cw = self
            .confusion
            .iter()
            .flatten()
            .map(|c| c.to_string().len())
            .chain(self.labels.iter().map(|l| l.chars().count()))
            .max()
            .unwrap_or(1);
        let mut header = format!("{:<w$}", "");
        for l in &self.labels {
            let _ = write!(header, "  {l:>cw$}");
        }
        let _ = writeln!(s, "{}", header.trim_end());
        for (l, row) in self.labels.iter().zip(&self.confusion) {
            let _ = write!(s, "{l:<w$}");
            for c in row {
                let _ = write!(s, "  {c:>cw$}");
            }
            let _ = writeln!(s);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    const EPS: f64 = 1e-12;

    fn labels(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < EPS
    }

    #[track_caller]
    fn assert_close(got: f64, want: f64, what: &str) {
        assert!(close(got, want), "{what}: got {got}, want {want}");
    }

    fn proba_from_p1(p1: &[f64]) -> Array2<f64> {
        Array2::from_shape_fn((p1.len(), 2), |(i, c)| if c == 1 { p1[i] } else { 1.0 - p1[i] })
    }

    /// The probe from rust-stack.md §5 item 2, where linfa swaps precision and recall.
    /// Classes: 0 = F, 1 = T. truth = [T,F,F,F], pred = [T,T,T,F].
    /// Class T: tp = 1 (row 0), fp = 2 (rows 1, 2), fn = 0
    ///   precision = 1/3, recall = 1/1, F1 = 2*1/(2*1+2+0) = 0.5.
    /// Class F: tp = 1 (row 3), fp = 0, fn = 2 -> precision 1, recall 1/3, F1 = 2/(2+0+2) = 0.5.
    /// accuracy = 2/4. kappa: confusion [[1,2],[0,1]] (truth F row first), po = 0.5,
    /// truth sums [3,1], pred sums [1,3], pe = (3*1 + 1*3)/16 = 0.375,
    /// kappa = (0.5 - 0.375)/(1 - 0.375) = 0.2.
    #[test]
    fn probe_precision_recall_not_swapped() {
        let m = compute(&labels(&["F", "T"]), &[1, 0, 0, 0], &[1, 1, 1, 0], None);
        let t = &m.per_class[1];
        assert_eq!(t.label, "T");
        assert_close(t.precision, 1.0 / 3.0, "precision T");
        assert_close(t.recall, 1.0, "recall T");
        assert_close(t.f1, 0.5, "f1 T");
        assert_eq!(t.support, 1);
        let f = &m.per_class[0];
        assert_close(f.precision, 1.0, "precision F");
        assert_close(f.recall, 1.0 / 3.0, "recall F");
        assert_eq!(m.confusion, vec![vec![1, 2], vec![0, 1]]);
        assert_close(m.accuracy, 0.5, "accuracy");
        assert_close(m.kappa, 0.2, "kappa");
        assert_eq!(m.roc_auc, None);
    }

    /// Hand-computed 3-class case. labels a, b, c.
    /// truth = [a,a,a,b,b,c,c,c], pred = [a,a,b,b,c,c,c,a]
    /// confusion (truth rows): a: [2,1,0], b: [0,1,1], c: [1,0,2]
    /// a: tp 2, pred sum 3, true sum 3 -> P = 2/3, R = 2/3, F1 = 4/6 = 2/3
    /// b: tp 1, pred sum 2, true sum 2 -> P = 1/2, R = 1/2, F1 = 2/4 = 1/2
    /// c: tp 2, pred sum 3, true sum 3 -> P = 2/3, R = 2/3, F1 = 2/3
    /// macro F1 = (2/3 + 1/2 + 2/3)/3 = 11/18; weighted F1 = (3*2/3 + 2*1/2 + 3*2/3)/8 = 5/8
    /// accuracy = 5/8; pe = (3*3 + 2*2 + 3*3)/64 = 22/64; kappa = (5/8 - 22/64)/(1 - 22/64) = 18/42 = 3/7.
    #[test]
    fn three_class_hand_computed() {
        let m = compute(&labels(&["a", "b", "c"]), &[0, 0, 0, 1, 1, 2, 2, 2], &[0, 0, 1, 1, 2, 2, 2, 0], None);
        assert_eq!(m.confusion, vec![vec![2, 1, 0], vec![0, 1, 1], vec![1, 0, 2]]);
        assert_close(m.per_class[0].precision, 2.0 / 3.0, "P a");
        assert_close(m.per_class[1].recall, 0.5, "R b");
        assert_close(m.per_class[2].f1, 2.0 / 3.0, "F1 c");
        assert_close(m.macro_f1, 11.0 / 18.0, "macro F1");
        assert_close(m.weighted_f1, 5.0 / 8.0, "weighted F1");
        assert_close(m.accuracy, 5.0 / 8.0, "accuracy");
        assert_close(m.kappa, 3.0 / 7.0, "kappa");
    }

    /// Class b is never predicted: precision = 0/0 -> 0 (zero_division), recall = 0/2 = 0, F1 = 0.
    /// Class c is in `labels` but absent everywhere: all 0, support 0, yet counted in the macro mean.
    /// truth = [a,a,b,b], pred = [a,a,a,a]: a: P = 2/4, R = 1, F1 = 4/(4+2) = 2/3.
    /// macro P = (1/2 + 0 + 0)/3 = 1/6, macro R = 1/3, macro F1 = (2/3)/3 = 2/9.
    /// kappa: po = 1/2, pe = (2*4 + 2*0)/16 = 1/2 -> kappa = 0.
    #[test]
    fn never_predicted_and_absent_classes() {
        let m = compute(&labels(&["a", "b", "c"]), &[0, 0, 1, 1], &[0, 0, 0, 0], None);
        assert_eq!(m.per_class[1].precision, 0.0);
        assert_eq!(m.per_class[1].recall, 0.0);
        assert_eq!(m.per_class[1].f1, 0.0);
        assert_eq!(m.per_class[2].support, 0);
        assert_eq!(m.per_class[2].f1, 0.0);
        assert_close(m.per_class[0].f1, 2.0 / 3.0, "F1 a");
        assert_close(m.macro_precision, 1.0 / 6.0, "macro P");
        assert_close(m.macro_recall, 1.0 / 3.0, "macro R");
        assert_close(m.macro_f1, 2.0 / 9.0, "macro F1");
        assert_close(m.kappa, 0.0, "kappa");
    }

    /// truth [0,0,0,0,1,1,1,1,1,1], pred [0,0,0,1,1,1,1,1,0,0]:
    /// confusion [[3,1],[2,4]], po = 7/10, truth sums [4,6], pred sums [5,5],
    /// pe = (4*5 + 6*5)/100 = 0.5, kappa = (0.7 - 0.5)/0.5 = 0.4 (sklearn: 0.4).
    #[test]
    fn kappa_small_table() {
        let m = compute(&labels(&["n", "y"]), &[0, 0, 0, 0, 1, 1, 1, 1, 1, 1], &[0, 0, 0, 1, 1, 1, 1, 1, 0, 0], None);
        assert_eq!(m.confusion, vec![vec![3, 1], vec![2, 4]]);
        assert_close(m.kappa, 0.4, "kappa");
    }

    /// Everything one class in both truth and prediction: sklearn's kappa is NaN (0/0);
    /// it serialises to JSON null and reads back as NaN.
    #[test]
    fn kappa_undefined_is_nan_and_roundtrips() {
        let m = compute(&labels(&["a", "b"]), &[0, 0, 0], &[0, 0, 0], None);
        assert!(m.kappa.is_nan());
        assert_eq!(m.accuracy, 1.0);
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.contains("\"kappa\":null"), "{json}");
        let back: Metrics = serde_json::from_str(&json).unwrap();
        assert!(back.kappa.is_nan());
        assert_eq!(back.confusion, m.confusion);

        let m2 = compute(&labels(&["a", "b"]), &[0, 1, 1], &[0, 1, 0], None);
        let back2: Metrics = serde_json::from_str(&serde_json::to_string(&m2).unwrap()).unwrap();
        assert_eq!(back2, m2);
    }

    /// y = [0,0,1,1], s = [0.1,0.4,0.35,0.8]: ranks 0.1->1, 0.35->2, 0.4->3, 0.8->4;
    /// positive rank sum 2 + 4 = 6, U = 6 - 2*3/2 = 3, AUC = 3/(2*2) = 0.75.
    /// With ties: y = [0,1,0,1], s = [0.5,0.5,0.2,0.9]: ranks 0.2->1, 0.5,0.5->2.5, 0.9->4;
    /// positives 2.5 + 4 = 6.5, U = 3.5, AUC = 0.875 (sklearn 1.9.1: 0.875). All tied -> 0.5.
    #[test]
    fn auc_hand_computed_with_ties() {
        assert_close(roc_auc(&[false, false, true, true], &[0.1, 0.4, 0.35, 0.8]).unwrap(), 0.75, "auc");
        assert_close(roc_auc(&[false, true, false, true], &[0.5, 0.5, 0.2, 0.9]).unwrap(), 0.875, "auc ties");
        assert_close(roc_auc(&[false, true, false, true], &[0.3; 4]).unwrap(), 0.5, "auc all tied");
        assert_eq!(roc_auc(&[true, true], &[0.1, 0.2]), None);
        assert_eq!(roc_auc(&[false, false], &[0.1, 0.2]), None);
        assert_eq!(roc_auc(&[false, true], &[0.1, f64::NAN]), None);
        assert_eq!(roc_auc(&[false, true], &[0.1]), None);
    }

    #[test]
    fn auc_none_cases_in_compute() {
        let l2 = labels(&["a", "b"]);
        // only one class present in y_true
        let p = proba_from_p1(&[0.2, 0.7, 0.4]);
        assert_eq!(compute(&l2, &[0, 0, 0], &[0, 1, 0], Some(&p)).roc_auc, None);
        // not binary
        let p3 = Array2::from_elem((3, 3), 1.0 / 3.0);
        assert_eq!(compute(&labels(&["a", "b", "c"]), &[0, 1, 2], &[0, 1, 2], Some(&p3)).roc_auc, None);
        // binary with proba: present
        assert!(compute(&l2, &[0, 1, 0], &[0, 1, 0], Some(&p)).roc_auc.is_some());
    }

    // ---- scikit-learn equality -------------------------------------------------------------
    // Expected values were produced with scikit-learn 1.9.1 (numpy 2.4.6, Python 3.11.7) by
    //   p, r, f, s = precision_recall_fscore_support(yt, yp, labels=L, zero_division=0)
    //   precision_recall_fscore_support(yt, yp, labels=L, average="macro"|"weighted", zero_division=0)
    //   accuracy_score(yt, yp); cohen_kappa_score(yt, yp); confusion_matrix(yt, yp, labels=L)
    //   roc_auc_score(yt, p1)            (binary case only)
    // and pasted as printed by repr().

    /// Set A (binary with proba), L = [0, 1]:
    /// yt = [0,0,0,0,0,0,0,1,1,1,1,1], yp = [0,0,0,0,1,1,0,1,1,0,1,1],
    /// p1 = [0.1,0.2,0.3,0.45,0.6,0.7,0.3,0.9,0.8,0.3,0.55,0.7]
    #[test]
    fn sklearn_binary_with_proba() {
        let yt = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
        let yp = [0, 0, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1];
        let p1 = [0.1, 0.2, 0.3, 0.45, 0.6, 0.7, 0.3, 0.9, 0.8, 0.3, 0.55, 0.7];
        let proba = proba_from_p1(&p1);
        let m = compute(&labels(&["neutral", "biased"]), &yt, &yp, Some(&proba));
        let want_p = [0.8333333333333334, 0.6666666666666666];
        let want_r = [0.7142857142857143, 0.8];
        let want_f = [0.7692307692307693, 0.7272727272727273];
        for c in 0..2 {
            assert_close(m.per_class[c].precision, want_p[c], "precision");
            assert_close(m.per_class[c].recall, want_r[c], "recall");
            assert_close(m.per_class[c].f1, want_f[c], "f1");
        }
        assert_eq!(m.per_class.iter().map(|c| c.support).collect::<Vec<_>>(), vec![7, 5]);
        assert_close(m.macro_precision, 0.75, "macro P");
        assert_close(m.macro_recall, 0.7571428571428571, "macro R");
        assert_close(m.macro_f1, 0.7482517482517483, "macro F1");
        assert_close(m.weighted_f1, 0.7517482517482518, "weighted F1");
        assert_close(m.accuracy, 0.75, "accuracy");
        assert_close(m.kappa, 0.5, "kappa");
        assert_eq!(m.confusion, vec![vec![5, 2], vec![1, 4]]);
        assert_close(m.roc_auc.unwrap(), 0.8142857142857144, "roc_auc");
    }

    /// Set B (3 observed classes + 1 absent label; class 2 never predicted), L = [0, 1, 2, 3]:
    /// yt = [0,0,0,1,1,1,1,2,2,0,1,0], yp = [0,1,0,1,1,0,1,0,1,0,1,1]
    #[test]
    fn sklearn_multiclass_with_absent_class() {
        let yt = [0, 0, 0, 1, 1, 1, 1, 2, 2, 0, 1, 0];
        let yp = [0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1];
        let m = compute(&labels(&["left", "center", "right", "other"]), &yt, &yp, None);
        let want_p = [0.6, 0.5714285714285714, 0.0, 0.0];
        let want_r = [0.6, 0.8, 0.0, 0.0];
        let want_f = [0.6, 0.6666666666666666, 0.0, 0.0];
        for c in 0..4 {
            assert_close(m.per_class[c].precision, want_p[c], "precision");
            assert_close(m.per_class[c].recall, want_r[c], "recall");
            assert_close(m.per_class[c].f1, want_f[c], "f1");
        }
        assert_eq!(m.per_class.iter().map(|c| c.support).collect::<Vec<_>>(), vec![5, 5, 2, 0]);
        assert_close(m.macro_precision, 0.2928571428571428, "macro P");
        assert_close(m.macro_recall, 0.35, "macro R");
        assert_close(m.macro_f1, 0.31666666666666665, "macro F1");
        assert_close(m.weighted_f1, 0.5277777777777778, "weighted F1");
        assert_close(m.accuracy, 0.5833333333333334, "accuracy");
        assert_close(m.kappa, 0.2857142857142858, "kappa");
        assert_eq!(m.confusion, vec![vec![3, 2, 0, 0], vec![1, 4, 0, 0], vec![1, 1, 0, 0], vec![0, 0, 0, 0]]);
        assert_eq!(m.roc_auc, None);
    }

    /// Set C (3-class), L = [0, 1, 2]:
    /// yt = [0,1,2,2,1,0,2,1,0,2,2,1,0,0], yp = [0,2,2,1,1,0,2,1,1,2,0,1,0,2]
    #[test]
    fn sklearn_three_class() {
        let yt = [0, 1, 2, 2, 1, 0, 2, 1, 0, 2, 2, 1, 0, 0];
        let yp = [0, 2, 2, 1, 1, 0, 2, 1, 1, 2, 0, 1, 0, 2];
        let m = compute(&labels(&["a", "b", "c"]), &yt, &yp, None);
        let want_p = [0.75, 0.6, 0.6];
        let want_r = [0.6, 0.75, 0.6];
        let want_f = [0.6666666666666666, 0.6666666666666666, 0.6];
        for c in 0..3 {
            assert_close(m.per_class[c].precision, want_p[c], "precision");
            assert_close(m.per_class[c].recall, want_r[c], "recall");
            assert_close(m.per_class[c].f1, want_f[c], "f1");
        }
        assert_close(m.macro_precision, 0.65, "macro P");
        assert_close(m.macro_recall, 0.65, "macro R");
        assert_close(m.macro_f1, 0.6444444444444444, "macro F1");
        assert_close(m.weighted_f1, 0.6428571428571429, "weighted F1");
        assert_close(m.accuracy, 0.6428571428571429, "accuracy");
        assert_close(m.kappa, 0.46564885496183206, "kappa");
        assert_eq!(m.confusion, vec![vec![3, 1, 1], vec![0, 3, 1], vec![1, 1, 3]]);
    }

    #[test]
    fn probability_scores_binary_by_hand() {
        // p1 = [0.2, 0.7, 0.4, 0.9], truth [0, 1, 0, 1]: every argmax is right.
        // Brier = (0.2^2 + 0.3^2 + 0.4^2 + 0.1^2) / 4 = 0.30 / 4 = 0.075.
        // log loss = -(ln 0.8 + ln 0.7 + ln 0.6 + ln 0.9) / 4.
        // Confidences 0.8, 0.7, 0.6, 0.9 each alone in its bin, accuracy 1 in each:
        // ECE = (0.2 + 0.3 + 0.4 + 0.1) / 4 = 0.25.
        let p = proba_from_p1(&[0.2, 0.7, 0.4, 0.9]);
        let m = compute(&labels(&["neutral", "biased"]), &[0, 1, 0, 1], &[0, 1, 0, 1], Some(&p));
        assert_close(m.brier.unwrap(), 0.075, "brier");
        let ll = -(0.8f64.ln() + 0.7f64.ln() + 0.6f64.ln() + 0.9f64.ln()) / 4.0;
        assert_close(m.log_loss.unwrap(), ll, "log loss");
        assert_close(m.ece.unwrap(), 0.25, "ece");
        let none = compute(&labels(&["a", "b"]), &[0, 1], &[0, 1], None);
        assert_eq!((none.brier, none.log_loss, none.ece), (None, None, None));
    }

    #[test]
    fn probability_scores_three_class_by_hand() {
        // rows (truth): [.6,.3,.1] (0) hit, conf .6, bin 6; [.65,.25,.1] (1) miss, conf .65, bin 6;
        // [.1,.05,.85] (2) hit, conf .85, bin 8; [.3,.35,.35] (2): the tie goes to class 1, a miss,
        // conf .35, bin 3.
        // ECE = 2/4 |0.5 - 0.625| + 1/4 |1 - 0.85| + 1/4 |0 - 0.35| = 0.0625 + 0.0375 + 0.0875 = 0.1875.
        // Brier (sum over classes) = (0.26 + 0.995 + 0.035 + 0.635) / 4 = 0.48125.
        // log loss = -(ln .6 + ln .25 + ln .85 + ln .35) / 4.
        let p = Array2::from_shape_vec((4, 3), vec![0.6, 0.3, 0.1, 0.65, 0.25, 0.1, 0.1, 0.05, 0.85, 0.3, 0.35, 0.35])
            .unwrap();
        let y = [0, 1, 2, 2];
        assert_close(expected_calibration_error(&y, &p).unwrap(), 0.1875, "ece");
        assert_close(brier_score(&y, &p).unwrap(), 0.48125, "brier");
        let ll = -(0.6f64.ln() + 0.25f64.ln() + 0.85f64.ln() + 0.35f64.ln()) / 4.0;
        assert_close(log_loss(&y, &p).unwrap(), ll, "log loss");
        let bins = reliability_bins(&y, &p);
        assert_eq!(bins.iter().map(|b| b.n).collect::<Vec<_>>(), vec![0, 0, 0, 1, 0, 0, 2, 0, 1, 0]);
        assert_close(bins[6].confidence, 0.625, "bin 6 confidence");
        assert_close(bins[6].accuracy, 0.5, "bin 6 accuracy");
        assert!(bins[0].confidence.is_nan());
    }

    #[test]
    fn certain_predictions_fall_in_the_last_bin_and_log_loss_is_clipped() {
        // Confidence 1.0 goes to [0.9, 1.0]; a wrong certain prediction costs -ln(ε).
        let p = proba_from_p1(&[1.0, 1.0]);
        let y = [1, 0];
        let bins = reliability_bins(&y, &p);
        assert_eq!(bins[9].n, 2);
        assert_close(expected_calibration_error(&y, &p).unwrap(), 0.5, "ece");
        assert_close(log_loss(&y, &p).unwrap(), -f64::EPSILON.ln() / 2.0 - (1.0 - f64::EPSILON).ln() / 2.0, "log loss");
        assert_close(brier_score(&y, &p).unwrap(), 0.5, "brier");
    }

    #[test]
    fn long_rows_scheme() {
        let p = proba_from_p1(&[0.2, 0.7, 0.4, 0.9]);
        let m = compute(&labels(&["neutral", "biased"]), &[0, 1, 0, 1], &[0, 1, 1, 1], Some(&p));
        let rows = m.long_rows();
        let get = |metric: &str, class: &str| {
            rows.iter()
                .find(|r| r.0 == metric && r.1 == class)
                .map(|r| r.2)
                .unwrap_or_else(|| panic!("{metric} {class}"))
        };
        assert_eq!(rows[0], ("n".to_string(), String::new(), 4.0));
        assert_eq!(get("accuracy", ""), 0.75);
        assert_eq!(get("roc_auc", ""), 1.0);
        assert_eq!(get("recall", "biased"), 1.0);
        assert_close(get("precision", "biased"), 2.0 / 3.0, "precision biased");
        assert_eq!(get("support", "neutral"), 2.0);
        assert_eq!(get("confusion", "truth=neutral;pred=biased"), 1.0);
        assert_eq!(get("confusion", "truth=biased;pred=neutral"), 0.0);
        assert_close(get("brier", ""), 0.075, "brier");
        // 7 overall + roc_auc, brier, log_loss, ece + 4 per class * 2 + 4 confusion cells
        assert_eq!(rows.len(), 11 + 8 + 4);
        let no_auc = compute(&labels(&["a", "b"]), &[0, 1], &[0, 1], None).long_rows();
        assert!(!no_auc.iter().any(|r| r.0 == "roc_auc"));
    }

    #[test]
    fn summarize_folds_mean_and_sample_sd() {
        let l = labels(&["a", "b"]);
        let p = proba_from_p1(&[0.2, 0.8]);
        // fold 1: perfect (acc 1, macro F1 1, kappa 1, auc 1)
        let f1 = compute(&l, &[0, 1], &[0, 1], Some(&p));
        // fold 2: acc 0.5, no proba -> AUC None (skipped)
        let f2 = compute(&l, &[0, 1], &[0, 0], None);
        let s = Metrics::summarize_folds(&[f1.clone(), f2.clone()]);
        let names: Vec<&str> = s.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(names, ["accuracy", "macro_f1", "kappa", "roc_auc", "brier", "log_loss", "ece"]);
        // ECE from fold 1 only: both rows right with confidence 0.8 -> 0.2, sd 0.
        assert_close(s[6].1, 0.2, "mean ece");
        assert_eq!(s[6].2, 0.0);
        // accuracy: values 1, 0.5 -> mean 0.75, sd = sqrt(((0.25)^2 * 2)/1) = sqrt(0.125)
        assert_close(s[0].1, 0.75, "mean acc");
        assert_close(s[0].2, 0.125f64.sqrt(), "sd acc");
        // roc_auc from fold 1 only: mean 1, sd 0
        assert_eq!((s[3].1, s[3].2), (1.0, 0.0));
        let one = Metrics::summarize_folds(&[f2]);
        assert_eq!(one[0].2, 0.0);
        assert_eq!(one.len(), 3);
        assert!(Metrics::summarize_folds(&[]).is_empty());
    }

    #[test]
    fn report_mentions_everything() {
        let p = proba_from_p1(&[0.2, 0.7, 0.4, 0.9]);
        let m = compute(&labels(&["neutral", "biased"]), &[0, 1, 0, 1], &[0, 1, 1, 1], Some(&p));
        let r = m.report();
        for needle in ["accuracy", "macro-F1", "kappa", "ROC-AUC", "neutral", "biased", "confusion", "0.7500"] {
            assert!(r.contains(needle), "missing {needle} in\n{r}");
        }
    }
}
