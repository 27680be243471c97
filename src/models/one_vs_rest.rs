//! One-vs-rest multi-label classifier: one binary model per label, each
//! answering "does this row carry label c?". Probability column c is
//! P(label c present) from label c's own (calibrated) binary model, so a
//! row's probabilities do not sum to 1. Which labels are predicted is
//! decided by per-label thresholds kept in the model file
//! ([`crate::models::artifact::MultiLabel`]), not by an argmax.

use super::{Calibration, Estimator, FitReport};
use crate::features::sparse::CsrMatrix;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// One binary [`Estimator`] per label (class 1 = the label is present).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OneVsRestModel {
    pub models: Vec<Estimator>,
    /// The binary fits together: converged when all did, the largest
    /// iteration count, every warning prefixed with its label index.
    pub report: FitReport,
}

/// A one-vs-rest model has no calibration of its own: each binary model
/// carries its own.
pub(crate) static NO_CALIBRATION: Calibration = Calibration::None;

impl OneVsRestModel {
    /// Combine per-label binary models (each with 2 classes, same features).
    pub fn new(models: Vec<Estimator>) -> Result<Self, String> {
        let report = FitReport {
            converged: models.iter().all(|m| m.report().converged),
            iterations: models.iter().map(|m| m.report().iterations).max().unwrap_or(0),
            warnings: models
                .iter()
                .enumerate()
                .flat_map(|(c, m)| m.report().warnings.iter().map(move |w| format!("label {c}: {w}")))
                .collect(),
        };
        let m = OneVsRestModel { models, report };
        m.validate()?;
        Ok(m)
    }

    /// Column c of an `n_rows x n_labels` matrix from label c's binary model.
    fn per_label(&self, x: &CsrMatrix, f: impl Fn(&Estimator, &CsrMatrix) -> Array2<f64>) -> Array2<f64> {
        let mut out = Array2::zeros((x.n_rows(), self.models.len()));
        for (c, m) in self.models.iter().enumerate() {
            out.column_mut(c).assign(&f(m, x).column(1));
        }
        out
    }

    /// `n_rows x n_labels`: P(label c present), each label's calibrated probability.
    pub fn predict_proba(&self, x: &CsrMatrix) -> Array2<f64> {
        self.per_label(x, Estimator::predict_proba)
    }

    pub fn raw_proba(&self, x: &CsrMatrix) -> Array2<f64> {
        self.per_label(x, Estimator::raw_proba)
    }

    /// Label c's binary score for "present" (logistic: its logit).
    pub fn decision_scores(&self, x: &CsrMatrix) -> Array2<f64> {
        self.per_label(x, Estimator::decision_scores)
    }

    /// Label c's calibration score (one column per label).
    pub fn calibration_scores(&self, x: &CsrMatrix) -> Array2<f64> {
        let mut out = Array2::zeros((x.n_rows(), self.models.len()));
        for (c, m) in self.models.iter().enumerate() {
            out.column_mut(c).assign(&m.calibration_scores(x).column(0));
        }
        out
    }

    pub fn n_features(&self) -> usize {
        self.models.first().map_or(0, Estimator::n_features)
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.models.len() < 2 {
            return Err(format!("a one-vs-rest model needs at least 2 labels, got {}", self.models.len()));
        }
        let nf = self.n_features();
        let algo = self.models[0].algorithm();
        for (c, m) in self.models.iter().enumerate() {
            if matches!(m, Estimator::OneVsRest(_)) {
                return Err(format!("label {c}: a one-vs-rest model cannot nest another"));
            }
            if m.n_classes() != 2 {
                return Err(format!("label {c}: binary model has {} classes", m.n_classes()));
            }
            if m.n_features() != nf {
                return Err(format!("label {c}: {} features, label 0 has {nf}", m.n_features()));
            }
            if m.algorithm() != algo {
                return Err(format!("label {c}: algorithm {} differs from label 0's {algo}", m.algorithm()));
            }
            m.validate().map_err(|e| format!("label {c}: {e}"))?;
        }
        Ok(())
    }

    /// Row c: label c's weights for "present" (`None` for trees).
    pub fn class_weights(&self) -> Option<Array2<f64>> {
        let rows: Option<Vec<_>> = self.models.iter().map(|m| m.class_weights().map(|w| w.row(1).to_owned())).collect();
        let rows = rows?;
        let mut out = Array2::zeros((rows.len(), self.n_features()));
        for (c, r) in rows.iter().enumerate() {
            out.row_mut(c).assign(r);
        }
        Some(out)
    }
}
