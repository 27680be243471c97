//! Multinomial naive Bayes over sparse, non-negative feature values.
//!
//! `log P(f|c) = ln((N_cf + α) / (N_c + α d))` with `N_cf` the sum of feature f
//! over class-c rows (weighted by the dataset's sample weights, except under
//! `ClassWeight::Balanced`, where the counts are unweighted and the priors are
//! uniform instead of the class frequencies). Probabilities
//! by log-sum-exp, so arbitrarily long documents stay finite (linfa-bayes 0.8.1
//! returns `inf` there). Negative feature values are clamped to 0, at fit time
//! (with a warning in the report) and at prediction time.

use linfa::traits::{Fit, PredictInplace};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use super::{
    argmax_rows, check_finite, check_len, check_training, dataset_weights, n_classes_of, softmax_inplace,
    sort_contributions, ClassWeight, FitReport, ModelError, SparseDataset,
};
use crate::features::sparse::CsrMatrix;

/// Checked naive-Bayes settings: what `fit` runs with and what a model
/// file stores. Made by [`NaiveBayesParams::check`](linfa::ParamGuard::check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NaiveBayesValidParams {
    /// Additive (Laplace/Lidstone) smoothing.
    pub alpha: f64,
    pub class_weight: ClassWeight,
    /// Number of classes; `None` = max label + 1 (a fit-time setting, not stored).
    #[serde(skip)]
    pub n_classes: Option<usize>,
}

/// Unchecked naive-Bayes settings with defaults (alpha 1, no class
/// weights) and builder methods.
#[derive(Debug, Clone, PartialEq)]
pub struct NaiveBayesParams(NaiveBayesValidParams);

impl Default for NaiveBayesParams {
    fn default() -> Self {
        NaiveBayesParams(NaiveBayesValidParams { alpha: 1.0, class_weight: ClassWeight::None, n_classes: None })
    }
}

params_builder!(NaiveBayesParams, NaiveBayesValidParams { alpha: f64, class_weight: ClassWeight });

impl NaiveBayesValidParams {
    fn validate(&self) -> Result<(), ModelError> {
        if !(self.alpha > 0.0 && self.alpha.is_finite()) {
            return Err(ModelError::Param(format!("nb_alpha must be positive and finite, got {}", self.alpha)));
        }
        Ok(())
    }
}

/// A fitted multinomial naive Bayes model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NaiveBayesModel {
    pub n_features: usize,
    pub n_classes: usize,
    pub alpha: f64,
    /// `ln P(c)`, length `n_classes`.
    pub class_log_prior: Vec<f64>,
    /// `ln P(f|c)`, row-major `n_classes x n_features`.
    #[serde(with = "super::body::f64s")]
    pub feature_log_prob: Vec<f64>,
    pub report: FitReport,
    /// Calibration fitted on out-of-fold scores (see [`Calibration`](super::calibration::Calibration)).
    #[serde(default, skip_serializing_if = "super::calibration::Calibration::is_none")]
    pub calibration: super::calibration::Calibration,
}

impl NaiveBayesModel {
    /// `ln P(c) + Σ_f max(x_f, 0) ln P(f|c)`, `n_rows x n_classes`.
    pub fn joint_log_likelihood(&self, x: &CsrMatrix) -> Array2<f64> {
        let (k, d) = (self.n_classes, self.n_features);
        let mut out = Array2::zeros((x.n_rows(), k));
        for i in 0..x.n_rows() {
            let (idx, val) = x.row(i);
            for c in 0..k {
                let lp = &self.feature_log_prob[c * d..(c + 1) * d];
                let mut s = self.class_log_prior[c];
                for (&f, &v) in idx.iter().zip(val) {
                    if (f as usize) < d && v > 0.0 {
                        s += v as f64 * lp[f as usize];
                    }
                }
                out[[i, c]] = s;
            }
        }
        out
    }

    pub fn predict_proba(&self, x: &CsrMatrix) -> Array2<f64> {
        let mut jll = self.joint_log_likelihood(x);
        for mut row in jll.outer_iter_mut() {
            let mut v = row.to_vec();
            // A row with an infinite value (inf input) gets the prior.
            if v.iter().any(|s| !s.is_finite()) {
                v.copy_from_slice(&self.class_log_prior);
            }
            softmax_inplace(&mut v);
            row.iter_mut().zip(v).for_each(|(o, p)| *o = p);
        }
        jll
    }

    /// `n_classes x n_features` of `ln P(f|c)`.
    pub fn class_weights(&self) -> Array2<f64> {
        Array2::from_shape_vec((self.n_classes, self.n_features), self.feature_log_prob.clone())
            .expect("validated shape")
    }

    /// `max(x_f, 0) ln P(f|c)` per non-zero feature, sorted by magnitude.
    pub fn contributions(&self, x: &CsrMatrix, row: usize, class: usize) -> Vec<(u32, f64)> {
        let d = self.n_features;
        let (idx, val) = x.row(row);
        let v = idx
            .iter()
            .zip(val)
            .filter(|(&f, &v)| (f as usize) < d && v > 0.0)
            .map(|(&f, &v)| (f, v as f64 * self.feature_log_prob[class * d + f as usize]))
            .collect();
        sort_contributions(v)
    }

    pub fn validate(&self) -> Result<(), String> {
        check_len("naive Bayes class_log_prior", self.class_log_prior.len(), self.n_classes)?;
        check_len("naive Bayes feature_log_prob", self.feature_log_prob.len(), self.n_classes * self.n_features)?;
        check_finite("naive Bayes class_log_prior", &self.class_log_prior)?;
        check_finite("naive Bayes feature_log_prob", &self.feature_log_prob)?;
        if let Some(p) = self.class_log_prior.iter().chain(&self.feature_log_prob).find(|&&v| v > 1e-9) {
            return Err(format!("naive Bayes log-probability {p} is above 0"));
        }
        if !(self.alpha > 0.0 && self.alpha.is_finite()) {
            return Err(format!("naive Bayes alpha {} must be positive and finite", self.alpha));
        }
        Ok(())
    }
}

impl PredictInplace<CsrMatrix, Array1<usize>> for NaiveBayesModel {
    fn predict_inplace(&self, x: &CsrMatrix, y: &mut Array1<usize>) {
        for (t, p) in y.iter_mut().zip(argmax_rows(&self.predict_proba(x))) {
            *t = p;
        }
    }

    fn default_target(&self, x: &CsrMatrix) -> Array1<usize> {
        Array1::zeros(x.n_rows())
    }
}

impl Fit<CsrMatrix, Array1<usize>, ModelError> for NaiveBayesValidParams {
    type Object = NaiveBayesModel;

    fn fit(&self, ds: &SparseDataset) -> Result<NaiveBayesModel, ModelError> {
        let alpha = self.alpha;
        let x = ds.records();
        let y = ds.targets().as_slice().expect("contiguous labels");
        let k = self.n_classes.unwrap_or_else(|| n_classes_of(ds.targets()));
        check_training(x, y, k)?;
        let d = x.n_cols;
        let w = match self.class_weight {
            ClassWeight::Balanced => vec![1.0; y.len()],
            ClassWeight::None => dataset_weights(ds),
        };
        let mut counts = vec![0.0f64; k * d];
        let mut class_rows = vec![0usize; k];
        let mut clamped = 0usize;
        for (i, &c) in y.iter().enumerate() {
            class_rows[c] += 1;
            let (idx, val) = x.row(i);
            let row = &mut counts[c * d..(c + 1) * d];
            for (&f, &v) in idx.iter().zip(val) {
                if v < 0.0 {
                    clamped += 1;
                } else {
                    row[f as usize] += w[i] * v as f64;
                }
            }
        }
        let mut feature_log_prob = vec![0.0; k * d];
        for c in 0..k {
            let row = &counts[c * d..(c + 1) * d];
            let total: f64 = row.iter().sum::<f64>() + alpha * d as f64;
            let log_total = total.ln();
            for (o, &n) in feature_log_prob[c * d..(c + 1) * d].iter_mut().zip(row) {
                *o = (n + alpha).ln() - log_total;
            }
        }
        let n = y.len() as f64;
        let class_log_prior = match self.class_weight {
            ClassWeight::Balanced => vec![-(k as f64).ln(); k],
            ClassWeight::None => class_rows.iter().map(|&m| (m as f64 / n).ln()).collect(),
        };
        let mut report = FitReport { converged: true, iterations: 1, warnings: Vec::new() };
        if class_rows.contains(&0) {
            return Err(ModelError::Data("naive Bayes: every class needs at least one training row".into()));
        }
        if clamped > 0 {
            report.warnings.push(format!("naive Bayes: {clamped} negative feature values were treated as 0"));
        }
        Ok(NaiveBayesModel {
            n_features: d,
            n_classes: k,
            alpha,
            class_log_prior,
            feature_log_prob,
            report,
            calibration: Default::default(),
        })
    }
}
