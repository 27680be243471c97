//! Probability calibration fitted on out-of-fold scores.
//!
//! A model's own probabilities can be badly calibrated: the linear SVM has
//! none (its decision values are distances), regularised logistic regression
//! and naive Bayes are often over- or under-confident. [`Calibration::Platt`]
//! maps a per-class score `s` to `σ(a s + b)` (Platt 1999; the Newton method
//! and smoothed targets of Lin, Lin & Weng 2007). The scores it is fitted on
//! must come from models that did not see the rows (out-of-fold predictions
//! of inner cross-validation folds, see `slant train --calibration`): scores
//! of training rows are more extreme than those of new rows, so a sigmoid
//! fitted on them is over-confident.
//!
//! Scores ([`Estimator::calibration_scores`](super::Estimator::calibration_scores)):
//! linear SVM, its decision values; the other algorithms, the natural log of
//! their own probabilities (clamped to at least [`MIN_PROBABILITY`]). Binary
//! models use one score per row, `s = s_1 - s_0` (the SVM: its decision value
//! `f`; probabilistic models: their log-odds), and `P(class 1) = σ(a s + b)`.
//! With k > 2 classes each class gets its own sigmoid of its own score
//! (one-vs-rest) and the k values are normalised to sum to 1.
//!
//! The map is monotone in each score, so a binary model's ranking (ROC-AUC)
//! does not change; its argmax threshold can.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::{check_finite, check_len, sigmoid, softmax_inplace};

/// Probabilities below this are clamped before taking logs for calibration scores.
pub const MIN_PROBABILITY: f64 = 1e-12;

/// How a model's probabilities are calibrated. Stored in the model file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Calibration {
    /// The algorithm's own probabilities (for the linear SVM: Platt scaling
    /// fitted on its *training* decision values, as in model files made before
    /// calibration existed).
    #[default]
    None,
    /// One sigmoid `σ(a[r] s_r + b[r])` per score row `r` (binary: one; k > 2: one per class).
    Platt {
        a: Vec<f64>,
        b: Vec<f64>,
        /// Where the scores came from, e.g. "out-of-fold scores of 5 inner folds grouped by doc_id".
        fitted_on: String,
    },
}

/// Which calibration `train` fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationMethod {
    None,
    Platt,
}

crate::choices!(CalibrationMethod {
    "none" => CalibrationMethod::None, "the algorithm's own probabilities (SVM: Platt on training decision values)";
    "platt" => CalibrationMethod::Platt, "Platt scaling fitted on out-of-fold scores of inner folds";
});

impl Calibration {
    pub fn is_none(&self) -> bool {
        matches!(self, Calibration::None)
    }

    /// Short name of the method (`none`, `platt`).
    pub fn method(&self) -> &'static str {
        match self {
            Calibration::None => "none",
            Calibration::Platt { .. } => "platt",
        }
    }

    /// Fit Platt sigmoids on out-of-fold `scores` (`n x r`, as
    /// [`Estimator::calibration_scores`](super::Estimator::calibration_scores))
    /// against the class indices `y` (`r = 1`: binary, positive = class 1;
    /// else column c is class c's score). Rows weigh 1: the probabilities are
    /// calibrated to the class frequencies of the data, whatever class weights
    /// the model was trained with.
    pub fn fit_platt(scores: &Array2<f64>, y: &[usize], fitted_on: String) -> Calibration {
        let ones = vec![1.0; y.len()];
        let r = scores.ncols();
        let (mut a, mut b) = (Vec::with_capacity(r), Vec::with_capacity(r));
        for col in 0..r {
            let positive = if r == 1 { 1 } else { col };
            let pos: Vec<bool> = y.iter().map(|&c| c == positive).collect();
            let f: Vec<f64> = scores.column(col).to_vec();
            // platt() fits P = 1 / (1 + exp(A f + B)) = σ(-A f - B).
            let (pa, pb) = platt(&f, &pos, &ones);
            a.push(-pa);
            b.push(-pb);
        }
        Calibration::Platt { a, b, fitted_on }
    }

    /// Calibrated probabilities (`n x n_classes`) from `scores` (`n x r`).
    /// `Calibration::None` is not a map: callers use the model's own probabilities.
    pub fn apply(&self, scores: &Array2<f64>, n_classes: usize) -> Option<Array2<f64>> {
        let Calibration::Platt { a, b, .. } = self else { return None };
        let mut out = Array2::zeros((scores.nrows(), n_classes));
        for (s, mut o) in scores.outer_iter().zip(out.outer_iter_mut()) {
            if n_classes == 2 {
                let p = sigmoid(a[0] * s[0] + b[0]);
                o[0] = 1.0 - p;
                o[1] = p;
            } else {
                // ln σ(z) = -softplus(-z); normalising the σ is a softmax of their logs.
                let mut logs: Vec<f64> = (0..n_classes).map(|c| -softplus(-(a[c] * s[c] + b[c]))).collect();
                softmax_inplace(&mut logs);
                o.iter_mut().zip(logs).for_each(|(v, l)| *v = l);
            }
        }
        Some(out)
    }

    /// Shapes and finiteness for a model of `n_classes` classes.
    pub fn validate(&self, n_classes: usize) -> Result<(), String> {
        if let Calibration::Platt { a, b, .. } = self {
            let r = if n_classes == 2 { 1 } else { n_classes };
            check_len("calibration a", a.len(), r)?;
            check_len("calibration b", b.len(), r)?;
            check_finite("calibration a", a)?;
            check_finite("calibration b", b)?;
        }
        Ok(())
    }
}

pub(crate) fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

/// Weighted Platt scaling: `(a, b)` of `P(pos | f) = 1 / (1 + exp(a f + b))`
/// (Lin, Lin & Weng 2007: smoothed targets, Newton with backtracking).
pub(crate) fn platt(f: &[f64], pos: &[bool], s: &[f64]) -> (f64, f64) {
    let prior1: f64 = pos.iter().zip(s).filter(|(p, _)| **p).map(|(_, w)| w).sum();
    let prior0: f64 = pos.iter().zip(s).filter(|(p, _)| !**p).map(|(_, w)| w).sum();
    let hi = (prior1 + 1.0) / (prior1 + 2.0);
    let lo = 1.0 / (prior0 + 2.0);
    let t: Vec<f64> = pos.iter().map(|&p| if p { hi } else { lo }).collect();
    let obj = |a: f64, b: f64| -> f64 {
        let mut v = 0.0;
        for i in 0..f.len() {
            let z = f[i] * a + b;
            v += s[i] * if z >= 0.0 { t[i] * z + (-z).exp().ln_1p() } else { (t[i] - 1.0) * z + z.exp().ln_1p() };
        }
        v
    };
    let (mut a, mut b) = (0.0, ((prior0 + 1.0) / (prior1 + 1.0)).ln());
    let mut fval = obj(a, b);
    let sigma = 1e-12;
    for _ in 0..100 {
        let (mut h11, mut h22, mut h21, mut g1, mut g2) = (sigma, sigma, 0.0, 0.0, 0.0);
        for i in 0..f.len() {
            let z = f[i] * a + b;
            let (p, q) = if z >= 0.0 {
                let e = (-z).exp();
                (e / (1.0 + e), 1.0 / (1.0 + e))
            } else {
                let e = z.exp();
                (1.0 / (1.0 + e), e / (1.0 + e))
            };
            let d2 = p * q * s[i];
            h11 += f[i] * f[i] * d2;
            h22 += d2;
            h21 += f[i] * d2;
            let d1 = (t[i] - p) * s[i];
            g1 += f[i] * d1;
            g2 += d1;
        }
        if g1.abs() < 1e-5 && g2.abs() < 1e-5 {
            break;
        }
        let det = h11 * h22 - h21 * h21;
        let da = -(h22 * g1 - h21 * g2) / det;
        let db = -(-h21 * g1 + h11 * g2) / det;
        let gd = g1 * da + g2 * db;
        let mut step = 1.0;
        while step >= 1e-10 {
            let (na, nb) = (a + step * da, b + step * db);
            let nf = obj(na, nb);
            if nf < fval + 1e-4 * step * gd {
                a = na;
                b = nb;
                fval = nf;
                break;
            }
            step /= 2.0;
        }
        if step < 1e-10 {
            break;
        }
    }
    (a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores whose true P(positive) is σ(2 s - 1): the fitted sigmoid recovers
    /// slope and offset closely, and the calibrated probabilities sum to 1.
    #[test]
    fn platt_recovers_a_known_sigmoid() {
        let n = 4000;
        let s: Vec<f64> = (0..n).map(|i| -3.0 + 6.0 * i as f64 / n as f64).collect();
        // Deterministic labels with the right frequency: a low-discrepancy sequence against σ.
        let y: Vec<usize> = s
            .iter()
            .enumerate()
            .map(|(i, &v)| usize::from((i as f64 * 0.618_033_988_7).fract() < sigmoid(2.0 * v - 1.0)))
            .collect();
        let scores = Array2::from_shape_vec((n, 1), s.clone()).unwrap();
        let cal = Calibration::fit_platt(&scores, &y, "test".into());
        let Calibration::Platt { a, b, .. } = &cal else { panic!("platt") };
        assert!((a[0] - 2.0).abs() < 0.15, "a = {}", a[0]);
        assert!((b[0] + 1.0).abs() < 0.15, "b = {}", b[0]);
        let p = cal.apply(&scores, 2).unwrap();
        assert!(p.outer_iter().all(|r| (r.sum() - 1.0).abs() < 1e-12));
        assert!(cal.validate(2).is_ok());
        assert!(cal.validate(3).is_err());
    }

    #[test]
    fn multiclass_rows_sum_to_one_and_follow_their_score() {
        let scores = Array2::from_shape_vec((2, 3), vec![2.0, -1.0, -1.0, -1.0, -1.0, 2.0]).unwrap();
        let cal = Calibration::Platt { a: vec![1.0; 3], b: vec![0.0; 3], fitted_on: "test".into() };
        let p = cal.apply(&scores, 3).unwrap();
        for r in p.outer_iter() {
            assert!((r.sum() - 1.0).abs() < 1e-12);
        }
        assert!(p[[0, 0]] > p[[0, 1]] && p[[1, 2]] > p[[1, 0]]);
        assert!(Calibration::None.apply(&scores, 3).is_none());
    }

    #[test]
    fn serialises_as_tagged_data() {
        let cal = Calibration::Platt { a: vec![1.5], b: vec![-0.25], fitted_on: "inner folds".into() };
        let json = serde_json::to_string(&cal).unwrap();
        assert!(json.contains("\"method\":\"platt\""), "{json}");
        assert_eq!(serde_json::from_str::<Calibration>(&json).unwrap(), cal);
    }
}
