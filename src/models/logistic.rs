//! L2-regularised logistic regression over sparse rows.
//!
//! Objective (minimised with argmin's L-BFGS, m = 10, More-Thuente line search):
//! `f(θ) = (Σ_i s_i ℓ_i(θ) + ‖W‖²/(2C)) / Σ_i s_i`, i.e. sklearn's
//! `½‖W‖² + C Σ_i s_i ℓ_i` divided by `C Σ_i s_i` (same minimiser, but a
//! gradient scale that does not grow with n, so `tol` means the same at
//! 1k and 17k rows). Intercepts are not penalised. Binary: one weight vector,
//! `P(class 1) = sigmoid(w·x + b)`. k > 2: multinomial softmax with k weight
//! vectors.
//!
//! Cost and gradient are computed together over fixed chunks of rows in
//! parallel (rayon) and summed in chunk order, so results do not depend on the
//! number of threads.

use std::sync::Mutex;

use argmin::core::{CostFunction, Error as ArgminError, Executor, Gradient, State, TerminationReason};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use linfa::traits::{Fit, PredictInplace};
use ndarray::{Array1, Array2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::linear::{n_weight_rows, Linear, LinearModel};
use super::{
    argmax_rows, check_c, check_iterations, check_tol, check_training, dataset_weights, n_classes_of, sigmoid,
    ClassWeight, FitReport, ModelError, SparseDataset,
};
use crate::features::sparse::CsrMatrix;

/// Checked logistic-regression settings: what `fit` runs with and what a
/// model file stores. Made by [`LogisticParams::check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogisticValidParams {
    /// Inverse L2 regularisation, sklearn semantics: minimise
    /// `½‖w‖² + C Σ_i s_i loss_i`.
    pub c: f64,
    /// L-BFGS iterations.
    pub max_iter: usize,
    /// Stop when the L2 norm of the gradient of the *mean* objective
    /// `(Σ_i s_i loss_i + ‖w‖²/(2C)) / Σ_i s_i` is below `tol` (scale-free in n).
    pub tol: f64,
    pub class_weight: ClassWeight,
    /// Number of classes; `None` = max label + 1 (a fit-time setting, not stored).
    #[serde(skip)]
    pub n_classes: Option<usize>,
}

/// Unchecked logistic-regression settings with defaults (C 1, 1000
/// iterations, tol 1e-6, no class weights) and builder methods; `check()`
/// (or linfa's `Fit`, through [`ParamGuard`]) validates them.
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticParams(LogisticValidParams);

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams(LogisticValidParams {
            c: 1.0,
            max_iter: 1000,
            tol: 1e-6,
            class_weight: ClassWeight::None,
            n_classes: None,
        })
    }
}

params_builder!(LogisticParams, LogisticValidParams { c: f64, max_iter: usize, tol: f64, class_weight: ClassWeight });

impl LogisticValidParams {
    fn validate(&self) -> Result<(), ModelError> {
        check_c(self.c)?;
        check_tol(self.tol)?;
        check_iterations(self.max_iter)
    }
}

/// A fitted logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticModel {
    pub n_features: usize,
    pub n_classes: usize,
    /// Row-major `r x n_features`, `r = 1` for binary (the class-1 logit), else `r = n_classes`.
    #[serde(with = "super::body::f64s")]
    pub coef: Vec<f64>,
    /// Length `r`.
    pub intercept: Vec<f64>,
    pub report: FitReport,
    /// Calibration fitted on out-of-fold scores (see [`Calibration`](super::calibration::Calibration)).
    #[serde(default, skip_serializing_if = "super::calibration::Calibration::is_none")]
    pub calibration: super::calibration::Calibration,
}

impl LinearModel for LogisticModel {
    fn linear(&self) -> Linear<'_> {
        Linear { n_features: self.n_features, n_classes: self.n_classes, coef: &self.coef, intercept: &self.intercept }
    }
}

impl LogisticModel {
    /// Binary: `[1 - sigmoid(z), sigmoid(z)]`; k > 2: softmax of the logits.
    pub fn predict_proba(&self, x: &CsrMatrix) -> Array2<f64> {
        self.linear().probabilities(x, sigmoid, |_, z| z)
    }

    pub fn validate(&self) -> Result<(), String> {
        self.linear().validate("logistic", &[])
    }
}

impl PredictInplace<CsrMatrix, Array1<usize>> for LogisticModel {
    fn predict_inplace(&self, x: &CsrMatrix, y: &mut Array1<usize>) {
        for (t, p) in y.iter_mut().zip(argmax_rows(&self.predict_proba(x))) {
            *t = p;
        }
    }

    fn default_target(&self, x: &CsrMatrix) -> Array1<usize> {
        Array1::zeros(x.n_rows())
    }
}

/// The sparse objective handed to argmin. Caches the last (θ, cost, gradient)
/// because the line search asks for cost and gradient at the same point.
struct Objective<'a> {
    x: &'a CsrMatrix,
    y: &'a [usize],
    w: &'a [f64],
    k: usize,
    /// Weight rows: 1 (binary) or k.
    r: usize,
    inv_c: f64,
    /// Σ_i s_i.
    total_weight: f64,
    cache: Mutex<Option<Evaluated>>,
}

/// (θ, cost, gradient) of the last evaluation.
type Evaluated = (Array1<f64>, f64, Array1<f64>);

const CHUNK_MIN: usize = 1024;
const MAX_CHUNKS: usize = 16;

impl Objective<'_> {
    fn eval(&self, theta: &Array1<f64>) -> (f64, Array1<f64>) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((t, c, g)) = cache.as_ref() {
            if t == theta {
                return (*c, g.clone());
            }
        }
        let (c, g) = self.compute(theta.as_slice().expect("contiguous parameters"));
        let g = Array1::from(g);
        *cache = Some((theta.clone(), c, g.clone()));
        (c, g)
    }

    fn compute(&self, theta: &[f64]) -> (f64, Vec<f64>) {
        let n = self.x.n_rows();
        let d = self.x.n_cols;
        let (r, k) = (self.r, self.k);
        let np = r * d + r;
        // Chunking depends only on n, never on the thread count: deterministic sums.
        let chunk = CHUNK_MIN.max(n.div_ceil(MAX_CHUNKS));
        let starts: Vec<usize> = (0..n).step_by(chunk).collect();
        let parts: Vec<(f64, Vec<f64>)> = starts
            .par_iter()
            .map(|&s| {
                let e = (s + chunk).min(n);
                let mut g = vec![0.0; np];
                let mut loss = 0.0;
                let mut z = vec![0.0; k.max(1)];
                for i in s..e {
                    let (idx, val) = self.x.row(i);
                    let si = self.w[i];
                    let yi = self.y[i];
                    for j in 0..r {
                        let mut acc = theta[r * d + j];
                        let wj = &theta[j * d..(j + 1) * d];
                        for (&f, &v) in idx.iter().zip(val) {
                            acc += wj[f as usize] * v as f64;
                        }
                        z[j] = acc;
                    }
                    if r == 1 {
                        let zi = z[0];
                        let t = if yi == 1 { 1.0 } else { 0.0 };
                        // softplus(z) - t z, stable
                        let sp = if zi > 0.0 { zi + (-zi).exp().ln_1p() } else { zi.exp().ln_1p() };
                        loss += si * (sp - t * zi);
                        z[0] = si * (sigmoid(zi) - t);
                    } else {
                        let max = z[..k].iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        let sum: f64 = z[..k].iter().map(|v| (v - max).exp()).sum();
                        let lse = max + sum.ln();
                        loss += si * (lse - z[yi]);
                        for (c, zc) in z[..k].iter_mut().enumerate() {
                            let p = (*zc - lse).exp();
                            *zc = si * (p - if c == yi { 1.0 } else { 0.0 });
                        }
                    }
                    for j in 0..r {
                        let dz = z[j];
                        if dz != 0.0 {
                            let gj = &mut g[j * d..(j + 1) * d];
                            for (&f, &v) in idx.iter().zip(val) {
                                gj[f as usize] += dz * v as f64;
                            }
                        }
                        g[r * d + j] += dz;
                    }
                }
                (loss, g)
            })
            .collect();
        let mut loss = 0.0;
        let mut g = vec![0.0; np];
        for (l, pg) in parts {
            loss += l;
            for (a, b) in g.iter_mut().zip(&pg) {
                *a += b;
            }
        }
        // Penalty on the weights only (not the intercepts).
        let mut pen = 0.0;
        for (gi, &ti) in g[..r * d].iter_mut().zip(&theta[..r * d]) {
            pen += ti * ti;
            *gi += self.inv_c * ti;
        }
        loss += 0.5 * self.inv_c * pen;
        let scale = 1.0 / self.total_weight;
        g.iter_mut().for_each(|v| *v *= scale);
        (loss * scale, g)
    }
}

impl CostFunction for Objective<'_> {
    type Param = Array1<f64>;
    type Output = f64;
    fn cost(&self, p: &Self::Param) -> Result<f64, ArgminError> {
        Ok(self.eval(p).0)
    }
}

impl Gradient for Objective<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;
    fn gradient(&self, p: &Self::Param) -> Result<Array1<f64>, ArgminError> {
        Ok(self.eval(p).1)
    }
}

impl Fit<CsrMatrix, Array1<usize>, ModelError> for LogisticValidParams {
    type Object = LogisticModel;

    fn fit(&self, ds: &SparseDataset) -> Result<LogisticModel, ModelError> {
        let h = self;
        let x = ds.records();
        let y = ds.targets().as_slice().expect("contiguous labels");
        let k = self.n_classes.unwrap_or_else(|| n_classes_of(ds.targets()));
        check_training(x, y, k)?;
        let w = dataset_weights(ds);
        let total_weight: f64 = w.iter().sum();
        if !(total_weight > 0.0 && total_weight.is_finite()) {
            return Err(ModelError::Data("sample weights must sum to a positive number".into()));
        }
        let d = x.n_cols;
        let r = n_weight_rows(k);
        let obj = Objective { x, y, w: &w, k, r, inv_c: 1.0 / h.c, total_weight, cache: Mutex::new(None) };
        let theta0 = Array1::<f64>::zeros(r * d + r);
        let ls = MoreThuenteLineSearch::new();
        let solver = LBFGS::new(ls, 10).with_tolerance_grad(h.tol).map_err(|e| ModelError::Param(e.to_string()))?;
        let res = Executor::new(obj, solver)
            .configure(|s| s.param(theta0).max_iters(h.max_iter as u64))
            .run()
            .map_err(|e| ModelError::Solver(e.to_string()))?;
        let state = res.state();
        let iterations = state.get_iter() as usize;
        let grad_norm = state.get_gradient().map_or(f64::NAN, |g| g.dot(g).sqrt());
        let mut report = FitReport { converged: false, iterations, warnings: Vec::new() };
        match state.get_termination_reason() {
            Some(TerminationReason::SolverConverged) => {
                report.converged = true;
                if grad_norm > h.tol {
                    report.warnings.push(format!(
                        "logistic: stopped because the objective stopped decreasing; gradient norm {grad_norm:.3e} > tol {:.1e}",
                        h.tol
                    ));
                }
            }
            Some(TerminationReason::MaxItersReached) => report.warnings.push(format!(
                "logistic: did not converge within max_iter = {} iterations (gradient norm {grad_norm:.3e}, tol {:.1e})",
                h.max_iter, h.tol
            )),
            other => {
                let why = other.map_or_else(|| "unknown".to_string(), |r| r.text().to_string());
                let why = match other {
                    Some(TerminationReason::SolverExit(s)) => s.clone(),
                    _ => why,
                };
                report.converged = grad_norm <= h.tol;
                if !report.converged {
                    report.warnings.push(format!(
                        "logistic: optimiser stopped early ({why}) after {iterations} iterations; gradient norm {grad_norm:.3e} > tol {:.1e}",
                        h.tol
                    ));
                }
            }
        }
        let theta = state
            .get_best_param()
            .or(state.get_param())
            .cloned()
            .ok_or_else(|| ModelError::Solver("L-BFGS returned no parameters".into()))?;
        let theta = theta.to_vec();
        if theta.iter().any(|v| !v.is_finite()) {
            return Err(ModelError::Solver("L-BFGS produced non-finite weights".into()));
        }
        Ok(LogisticModel {
            n_features: d,
            n_classes: k,
            coef: theta[..r * d].to_vec(),
            intercept: theta[r * d..].to_vec(),
            report,
            calibration: Default::default(),
        })
    }
}
