//! Linear SVM: L2-regularised squared hinge loss, solved in the dual by
//! coordinate descent (Hsieh et al. 2008, liblinear's `-s 1` without
//! shrinking) over sparse rows. The intercept is liblinear-style: a constant
//! feature of value 1 appended to every row, so it *is* regularised.
//! One-vs-rest for k > 2 (sub-problems trained in parallel, each with its own
//! seeded coordinate order). Class weights scale each row's C (`C_i = C s_i`).
//!
//! Without a [`Calibration`] (see `slant train --calibration`), probabilities
//! are **Platt-calibrated on the training decision values**
//! (Lin, Lin & Weng 2007 Newton method, sample-weighted, so balanced weights
//! survive calibration): one sigmoid per class; for k > 2 the OvR sigmoids are
//! normalised to sum to 1. Training-set calibration is optimistic (decision
//! values on training rows are more extreme than on new rows); the argmax of the
//! probabilities can differ from the argmax of the raw decision values.
//!
//! Stopping: an epoch's projected-gradient gap (max PG − min PG) below
//! `max(tol, SVM_MIN_TOL)`; liblinear's default is 0.1.

use linfa::traits::{Fit, PredictInplace};
use ndarray::{Array1, Array2};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::calibration::{platt, softplus, Calibration};
use super::linear::{Linear, LinearModel};
use super::{
    argmax_rows, check_c, check_iterations, check_tol, check_training, dataset_weights, n_classes_of, sigmoid,
    ClassWeight, FitReport, ModelError, SparseDataset,
};
use crate::features::sparse::CsrMatrix;

/// Lower bound on the dual stopping tolerance (a gap of 1e-6 costs many epochs for no visible gain).
pub const SVM_MIN_TOL: f64 = 1e-3;

/// Checked linear-SVM settings: what `fit` runs with and what a model file
/// stores. Made by [`SvmParams::check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SvmValidParams {
    /// Inverse regularisation (sklearn/liblinear semantics).
    pub c: f64,
    /// Epochs of dual coordinate descent.
    pub max_iter: usize,
    /// Stop when the projected-gradient gap of the dual (liblinear's
    /// criterion) is below `max(tol, SVM_MIN_TOL)`.
    pub tol: f64,
    pub class_weight: ClassWeight,
    /// Seed for the coordinate order.
    pub seed: u64,
    /// Number of classes; `None` = max label + 1 (a fit-time setting, not stored).
    #[serde(skip)]
    pub n_classes: Option<usize>,
}

/// Unchecked linear-SVM settings with defaults (C 1, 1000 epochs, tol 1e-6,
/// no class weights, seed 42) and builder methods.
#[derive(Debug, Clone, PartialEq)]
pub struct SvmParams(SvmValidParams);

impl Default for SvmParams {
    fn default() -> Self {
        SvmParams(SvmValidParams {
            c: 1.0,
            max_iter: 1000,
            tol: 1e-6,
            class_weight: ClassWeight::None,
            seed: 42,
            n_classes: None,
        })
    }
}

params_builder!(SvmParams, SvmValidParams { c: f64, max_iter: usize, tol: f64, class_weight: ClassWeight, seed: u64 });

impl SvmValidParams {
    fn validate(&self) -> Result<(), ModelError> {
        check_c(self.c)?;
        check_tol(self.tol)?;
        check_iterations(self.max_iter)
    }
}

/// A fitted linear SVM with Platt scaling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SvmModel {
    pub n_features: usize,
    pub n_classes: usize,
    /// Row-major `r x n_features`; `r = 1` for binary (class 1 vs class 0), else one row per class (OvR).
    pub coef: Vec<f64>,
    /// Length `r`.
    pub intercept: Vec<f64>,
    /// Platt sigmoid `P = 1 / (1 + exp(a f + b))` per row of `coef`, fitted on training decision values.
    pub platt_a: Vec<f64>,
    pub platt_b: Vec<f64>,
    pub report: FitReport,
    /// Calibration fitted on out-of-fold decision values; when set, it replaces `platt_a`/`platt_b`.
    #[serde(default, skip_serializing_if = "Calibration::is_none")]
    pub calibration: Calibration,
}

impl LinearModel for SvmModel {
    fn linear(&self) -> Linear<'_> {
        Linear { n_features: self.n_features, n_classes: self.n_classes, coef: &self.coef, intercept: &self.intercept }
    }
}

impl SvmModel {
    /// Platt probabilities (binary: `[1 - p, p]`; k > 2: normalised OvR sigmoids).
    pub fn predict_proba(&self, x: &CsrMatrix) -> Array2<f64> {
        let (a, b) = (&self.platt_a, &self.platt_b);
        // ln σ_c = -softplus(a f + b); normalising σ_c is a softmax of ln σ_c.
        self.linear().probabilities(x, |f| sigmoid(-(a[0] * f + b[0])), |c, f| -softplus(a[c] * f + b[c]))
    }

    pub fn validate(&self) -> Result<(), String> {
        self.linear().validate("svm", &[("platt_a", &self.platt_a), ("platt_b", &self.platt_b)])
    }
}

impl PredictInplace<CsrMatrix, Array1<usize>> for SvmModel {
    fn predict_inplace(&self, x: &CsrMatrix, y: &mut Array1<usize>) {
        for (t, p) in y.iter_mut().zip(argmax_rows(&self.predict_proba(x))) {
            *t = p;
        }
    }

    fn default_target(&self, x: &CsrMatrix) -> Array1<usize> {
        Array1::zeros(x.n_rows())
    }
}

struct Binary {
    w: Vec<f64>,
    b: f64,
    epochs: usize,
    converged: bool,
    gap: f64,
}

/// Dual coordinate descent for one binary squared-hinge problem (`pos[i]` = row i is positive).
fn dual_cd(x: &CsrMatrix, pos: &[bool], s: &[f64], c: f64, max_iter: usize, eps: f64, seed: u64) -> Binary {
    let n = x.n_rows();
    let d = x.n_cols;
    let mut w = vec![0.0; d];
    let mut b = 0.0;
    let mut alpha = vec![0.0; n];
    // Rows with zero weight do not take part.
    let mut order: Vec<usize> = (0..n).filter(|&i| s[i] > 0.0).collect();
    let diag: Vec<f64> = (0..n).map(|i| if s[i] > 0.0 { 0.5 / (c * s[i]) } else { 0.0 }).collect();
    let qii: Vec<f64> = (0..n)
        .map(|i| {
            let (_, val) = x.row(i);
            val.iter().map(|&v| (v as f64) * (v as f64)).sum::<f64>() + 1.0 + diag[i]
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut epochs = 0;
    let mut converged = false;
    let mut gap = f64::INFINITY;
    while epochs < max_iter {
        epochs += 1;
        order.shuffle(&mut rng);
        let (mut pg_max, mut pg_min) = (f64::NEG_INFINITY, f64::INFINITY);
        for &i in &order {
            let yi = if pos[i] { 1.0 } else { -1.0 };
            let (idx, val) = x.row(i);
            let mut f = b;
            for (&j, &v) in idx.iter().zip(val) {
                f += w[j as usize] * v as f64;
            }
            let g = yi * f - 1.0 + diag[i] * alpha[i];
            let pg = if alpha[i] == 0.0 { g.min(0.0) } else { g };
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg != 0.0 {
                let new = (alpha[i] - g / qii[i]).max(0.0);
                let delta = (new - alpha[i]) * yi;
                alpha[i] = new;
                if delta != 0.0 {
                    for (&j, &v) in idx.iter().zip(val) {
                        w[j as usize] += delta * v as f64;
                    }
                    b += delta;
                }
            }
        }
        gap = if order.is_empty() { 0.0 } else { pg_max - pg_min };
        if gap <= eps {
            converged = true;
            break;
        }
    }
    Binary { w, b, epochs, converged, gap }
}

impl Fit<CsrMatrix, Array1<usize>, ModelError> for SvmValidParams {
    type Object = SvmModel;

    fn fit(&self, ds: &SparseDataset) -> Result<SvmModel, ModelError> {
        let h = self;
        let x = ds.records();
        let y = ds.targets().as_slice().expect("contiguous labels");
        let k = self.n_classes.unwrap_or_else(|| n_classes_of(ds.targets()));
        check_training(x, y, k)?;
        let s = dataset_weights(ds);
        let d = x.n_cols;
        let eps = h.tol.max(SVM_MIN_TOL);
        let positives: Vec<usize> = if k == 2 { vec![1] } else { (0..k).collect() };
        let fits: Vec<(Binary, f64, f64)> = positives
            .par_iter()
            .map(|&pc| {
                let pos: Vec<bool> = y.iter().map(|&c| c == pc).collect();
                let seed = h.seed.wrapping_add((pc as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                let bin = dual_cd(x, &pos, &s, h.c, h.max_iter, eps, seed);
                let f: Vec<f64> = (0..x.n_rows()).map(|i| x.dot_row(i, &bin.w) + bin.b).collect();
                let (a, b) = platt(&f, &pos, &s);
                (bin, a, b)
            })
            .collect();
        let mut report = FitReport { converged: true, iterations: 0, warnings: Vec::new() };
        let mut coef = Vec::with_capacity(positives.len() * d);
        let (mut intercept, mut platt_a, mut platt_b) = (Vec::new(), Vec::new(), Vec::new());
        for (&pc, (bin, a, b)) in positives.iter().zip(fits) {
            report.iterations = report.iterations.max(bin.epochs);
            if !bin.converged {
                report.converged = false;
                report.warnings.push(format!(
                    "linear SVM (class {pc} vs rest): did not converge within max_iter = {} epochs (dual gap {:.3e} > tol {eps:.1e})",
                    h.max_iter, bin.gap
                ));
            }
            coef.extend_from_slice(&bin.w);
            intercept.push(bin.b);
            platt_a.push(a);
            platt_b.push(b);
        }
        let model = SvmModel {
            n_features: d,
            n_classes: k,
            coef,
            intercept,
            platt_a,
            platt_b,
            report,
            calibration: Calibration::None,
        };
        model.validate().map_err(ModelError::Solver)?;
        Ok(model)
    }
}
