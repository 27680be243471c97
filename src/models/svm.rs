//! Linear SVM: L2-regularised squared hinge loss (liblinear's L2-loss SVC),
//! solved in the primal by Newton's method with preconditioned conjugate
//! gradients and stopped by the dual's rule (Hsieh et al. 2008's projected-
//! gradient gap, as liblinear's `-s 1`), over sparse rows; dual coordinate
//! descent finishes the job if Newton has not (see [`primal_newton`]).
//! The intercept is liblinear-style: a constant
//! feature of value 1 appended to every row, so it *is* regularised.
//! One-vs-rest for k > 2 (sub-problems trained in parallel; the coordinate
//! descent, when it runs, has a seeded coordinate order per sub-problem). Class weights scale each row's C (`C_i = C s_i`).
//!
//! Without a [`Calibration`] (see `slant train --calibration`), probabilities
//! are **Platt-calibrated on the training decision values**
//! (Lin, Lin & Weng 2007 Newton method, sample-weighted, so balanced weights
//! survive calibration): one sigmoid per class; for k > 2 the OvR sigmoids are
//! normalised to sum to 1. Training-set calibration is optimistic (decision
//! values on training rows are more extreme than on new rows); the argmax of the
//! probabilities can differ from the argmax of the raw decision values.
//!
//! Stopping: the dual's projected-gradient gap (max PG − min PG over all rows)
//! below `max(tol, SVM_MIN_TOL)`; liblinear's default is 0.1. `max_iter` bounds
//! the epochs of the coordinate descent (Newton has its own bound).

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
    /// Newton steps (at most 100), then epochs of dual coordinate descent if
    /// Newton's method has not reached the tolerance.
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
    #[serde(with = "super::body::f64s")]
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
    /// Dual variables, one per row (zero for rows of zero weight): the point
    /// `w` and `b` are made from; the tests check the stopping rule on it.
    #[cfg_attr(not(test), allow(dead_code))]
    alpha: Vec<f64>,
    /// Newton iterations of the primal solver, then epochs of coordinate descent (if it had to continue).
    newton_iterations: usize,
    epochs: usize,
    converged: bool,
    gap: f64,
}

/// `x_i . w + b` for an augmented weight vector (`w[d]` is the intercept).
fn row_score(x: &CsrMatrix, i: usize, w: &[f64]) -> f64 {
    let d = x.n_cols;
    x.dot_row(i, &w[..d]) + w[d]
}

/// `w += t x_i` for the augmented row `(x_i, 1)`.
fn add_row(x: &CsrMatrix, i: usize, t: f64, w: &mut [f64]) {
    let (idx, val) = x.row(i);
    for (&j, &v) in idx.iter().zip(val) {
        w[j as usize] += t * v as f64;
    }
    w[x.n_cols] += t;
}

/// The dual's stopping measure at `alpha`: `w(alpha) = sum_i alpha_i y_i (x_i, 1)`,
/// then the largest minus the smallest projected gradient
/// `G_i = y_i w(alpha) . (x_i, 1) - 1 + alpha_i / (2 C_i)` (at `alpha_i = 0` only its
/// negative part counts) over the rows of positive weight. Returns `(w(alpha), gap)`.
fn dual_gap(x: &CsrMatrix, y: &[f64], diag: &[f64], rows: &[usize], alpha: &[f64]) -> (Vec<f64>, f64) {
    let mut w = vec![0.0; x.n_cols + 1];
    for &i in rows {
        if alpha[i] != 0.0 {
            add_row(x, i, alpha[i] * y[i], &mut w);
        }
    }
    let (mut hi, mut lo) = (f64::NEG_INFINITY, f64::INFINITY);
    for &i in rows {
        let g = y[i] * row_score(x, i, &w) - 1.0 + diag[i] * alpha[i];
        let pg = if alpha[i] == 0.0 { g.min(0.0) } else { g };
        if !g.is_finite() {
            return (w, f64::INFINITY); // f64::min and max would skip a NaN
        }
        hi = hi.max(pg);
        lo = lo.min(pg);
    }
    (w, if rows.is_empty() { 0.0 } else { optimality_gap(hi, lo) })
}

/// The stopping measure from the largest and smallest projected gradient.
/// At the optimum every projected gradient is 0, so the range is taken with 0
/// in it: projected gradients that are all equal but not 0 (a symmetric
/// problem, or every margin met so every `alpha` is 0) are not convergence.
/// A NaN or infinite gradient (non-finite input or weights) never is either.
fn optimality_gap(hi: f64, lo: f64) -> f64 {
    if hi.is_finite() && lo.is_finite() {
        hi.max(0.0) - lo.min(0.0)
    } else {
        f64::INFINITY
    }
}

/// Newton iterations allowed to the primal solver before coordinate descent takes over.
const NEWTON_MAX_ITER: usize = 100;
/// Conjugate-gradient iterations allowed per Newton step.
const CG_MAX_ITER: usize = 500;

/// One binary squared-hinge problem (`pos[i]` = row i is positive), solved
/// in the primal by Newton's method (liblinear's `-s 2` problem; Lin, Weng &
/// Keerthi 2008, Keerthi & DeCoste 2005) and stopped by the DUAL's rule, so the
/// result is the optimum [`dual_cd`] would reach, within the same tolerance.
///
/// Why: the lexicon and length features are dense and large next to the
/// L2-normalised text (`|x_i|^2` about 50 against 1 on AllSides articles), which
/// makes the dual's coordinate descent crawl (800 epochs at C = 0.3). Newton's
/// steps see the whole curvature at once; the conjugate gradients' block
/// preconditioner (see [`newton_direction`]) absorbs the dense columns.
///
/// The primal `1/2 |w~|^2 + sum_i C_i max(0, 1 - y_i w~ . x~_i)^2` (`w~ = (w, b)`,
/// `x~_i = (x_i, 1)`: the intercept is regularised as in the dual) has the dual
/// variables `alpha_i = 2 C_i max(0, 1 - y_i w~ . x~_i)` at its optimum. After every
/// Newton step those `alpha` are formed and the dual's projected-gradient gap is
/// measured on them; the solver stops when it is `<= eps` and returns
/// `w(alpha)`, a dual point that meets the same stopping rule as coordinate
/// descent. If Newton has not got there in `min(NEWTON_MAX_ITER, max_iter)`
/// steps, coordinate descent continues from those `alpha` for up to `max_iter` epochs.
fn primal_newton(x: &CsrMatrix, pos: &[bool], s: &[f64], c: f64, max_iter: usize, eps: f64, seed: u64) -> Binary {
    let n = x.n_rows();
    let d1 = x.n_cols + 1;
    let y: Vec<f64> = pos.iter().map(|&p| if p { 1.0 } else { -1.0 }).collect();
    let rows: Vec<usize> = (0..n).filter(|&i| s[i] > 0.0).collect();
    let ci: Vec<f64> = s.iter().map(|&si| c * si).collect();
    let diag: Vec<f64> = (0..n).map(|i| if s[i] > 0.0 { 0.5 / ci[i] } else { 0.0 }).collect();
    let dense = dense_columns(x, &rows);
    let mut w = vec![0.0; d1];
    let mut alpha = vec![0.0; n];
    let mut iterations = 0;
    loop {
        // Margins, the dual point they imply, and the dual's stopping measure there.
        let z: Vec<f64> = (0..n).map(|i| y[i] * row_score(x, i, &w)).collect();
        for &i in &rows {
            alpha[i] = 2.0 * ci[i] * (1.0 - z[i]).max(0.0);
        }
        let (w_dual, gap) = dual_gap(x, &y, &diag, &rows, &alpha);
        if gap <= eps {
            let b = w_dual[d1 - 1];
            let mut w_out = w_dual;
            w_out.truncate(d1 - 1);
            return Binary { w: w_out, b, alpha, newton_iterations: iterations, epochs: 0, converged: true, gap };
        }
        if iterations == NEWTON_MAX_ITER.min(max_iter) {
            break;
        }
        iterations += 1;
        // Gradient w~ - w(alpha); the generalised Hessian I + 2 sum_{margin < 1} C_i x~_i x~_i'.
        let grad: Vec<f64> = w.iter().zip(&w_dual).map(|(a, b)| a - b).collect();
        let active: Vec<usize> = rows.iter().copied().filter(|&i| z[i] < 1.0).collect();
        let step = newton_direction(x, &ci, &active, &grad, &dense);
        // Backtracking (Armijo) on f(w~ + t p), with u_i = y_i x~_i . p precomputed.
        let u: Vec<f64> = (0..n).map(|i| if s[i] > 0.0 { y[i] * row_score(x, i, &step) } else { 0.0 }).collect();
        let (wp, pp) = (dot(&w, &step), dot(&step, &step));
        let ww = dot(&w, &w);
        let f_at = |t: f64| -> f64 {
            let loss: f64 = rows.iter().map(|&i| ci[i] * (1.0 - z[i] - t * u[i]).max(0.0).powi(2)).sum();
            0.5 * (ww + 2.0 * t * wp + t * t * pp) + loss
        };
        let (f0, slope) = (f_at(0.0), dot(&grad, &step));
        if slope >= 0.0 {
            break; // no descent direction left at this precision
        }
        let mut t = 1.0;
        let accepted = loop {
            if f_at(t) <= f0 + 1e-4 * t * slope {
                break true;
            }
            if t <= 1e-10 {
                break false;
            }
            t *= 0.5;
        };
        if !accepted {
            break; // the line search failed: leave it to coordinate descent
        }
        for (wj, pj) in w.iter_mut().zip(&step) {
            *wj += t * pj;
        }
    }
    // Newton did not reach the tolerance: coordinate descent from its dual point.
    let mut bin = dual_cd(x, pos, s, c, max_iter, eps, seed, Some(alpha));
    bin.newton_iterations = iterations;
    bin
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Columns kept in the dense block of the preconditioner (see [`dense_columns`]).
const DENSE_BLOCK_MAX: usize = 256;

/// The columns present in more than half of the rows (the lexicon and length
/// features; rarely a very common term), most frequent first, at most
/// [`DENSE_BLOCK_MAX`] - 1, plus the intercept (column `n_cols`).
fn dense_columns(x: &CsrMatrix, rows: &[usize]) -> Vec<usize> {
    let mut count = vec![0usize; x.n_cols];
    for &i in rows {
        for &j in x.row(i).0 {
            count[j as usize] += 1;
        }
    }
    let mut dense: Vec<usize> = (0..x.n_cols).filter(|&j| 2 * count[j] > rows.len()).collect();
    dense.sort_by_key(|&j| std::cmp::Reverse(count[j]));
    dense.truncate(DENSE_BLOCK_MAX - 1);
    dense.push(x.n_cols);
    dense
}

/// In-place Cholesky factor (lower triangle) of a symmetric `m x m` matrix; false if not positive definite.
fn cholesky(a: &mut [f64], m: usize) -> bool {
    for j in 0..m {
        let mut d = a[j * m + j];
        for k in 0..j {
            d -= a[j * m + k] * a[j * m + k];
        }
        if d <= 0.0 || !d.is_finite() {
            return false;
        }
        let d = d.sqrt();
        a[j * m + j] = d;
        for i in j + 1..m {
            let mut v = a[i * m + j];
            for k in 0..j {
                v -= a[i * m + k] * a[j * m + k];
            }
            a[i * m + j] = v / d;
        }
    }
    true
}

/// Solves `L L' z = b` in place for a Cholesky factor `l` from [`cholesky`].
fn cholesky_solve(l: &[f64], m: usize, b: &mut [f64]) {
    for i in 0..m {
        let mut v = b[i];
        for k in 0..i {
            v -= l[i * m + k] * b[k];
        }
        b[i] = v / l[i * m + i];
    }
    for i in (0..m).rev() {
        let mut v = b[i];
        for k in i + 1..m {
            v -= l[k * m + i] * b[k];
        }
        b[i] = v / l[i * m + i];
    }
}

/// The preconditioner's parts: the Hessian's diagonal over all `d1` columns,
/// and its `m x m` block over the `dense` columns (symmetric, row-major).
fn preconditioner(x: &CsrMatrix, ci: &[f64], active: &[usize], dense: &[usize], d1: usize) -> (Vec<f64>, Vec<f64>) {
    let mut precond = vec![1.0; d1];
    let m = dense.len();
    let mut slot = vec![usize::MAX; d1];
    for (k, &j) in dense.iter().enumerate() {
        slot[j] = k;
    }
    let mut block = vec![0.0; m * m];
    for k in 0..m {
        block[k * m + k] = 1.0;
    }
    // The row's dense entries as a dense vector (zeros where the row lacks a
    // dense column), so the rank-one update of the block's lower triangle runs
    // over contiguous slices. Each cell still gets `(w_i v_a) v_b` once per row,
    // in row order, as it would entry by entry: the block is the same to the bit
    // (adding a zero product leaves a cell as it was).
    let mut row_dense = vec![0.0f64; m];
    let mut present: Vec<usize> = Vec::with_capacity(m);
    for &i in active {
        let (idx, val) = x.row(i);
        let wi = 2.0 * ci[i];
        for (&j, &v) in idx.iter().zip(val) {
            let v = v as f64;
            precond[j as usize] += wi * v * v;
            let k = slot[j as usize];
            if k != usize::MAX {
                row_dense[k] = v;
                present.push(k);
            }
        }
        precond[d1 - 1] += wi;
        row_dense[m - 1] = 1.0;
        present.push(m - 1);
        for a in 0..m {
            let va = row_dense[a];
            if va == 0.0 {
                continue;
            }
            let s = wi * va;
            for (cell, &vb) in block[a * m..=a * m + a].iter_mut().zip(&row_dense[..=a]) {
                *cell += s * vb;
            }
        }
        for k in present.drain(..) {
            row_dense[k] = 0.0;
        }
    }
    for a in 0..m {
        for b in 0..a {
            block[b * m + a] = block[a * m + b];
        }
    }
    (precond, block)
}

/// Solves `(I + 2 sum_{i in active} C_i x~_i x~_i') p = -grad` by conjugate
/// gradients to a residual of 0.1 |grad| (liblinear's inexact Newton rule).
/// Preconditioner: block diagonal, the exact Hessian block of the `dense`
/// columns (Cholesky-factored) and the diagonal (Jacobi) elsewhere. The dense
/// lexicon/length columns are large and strongly correlated with each other,
/// which a diagonal alone cannot undo; the sparse term columns are nearly
/// orthogonal, which it can.
fn newton_direction(x: &CsrMatrix, ci: &[f64], active: &[usize], grad: &[f64], dense: &[usize]) -> Vec<f64> {
    let d1 = grad.len();
    let hess_times = |v: &[f64]| -> Vec<f64> {
        let mut out = v.to_vec();
        for &i in active {
            let t = 2.0 * ci[i] * row_score(x, i, v);
            add_row(x, i, t, &mut out);
        }
        out
    };
    let (precond, mut block) = preconditioner(x, ci, active, dense, d1);
    let m = dense.len();
    let use_block = cholesky(&mut block, m);
    let apply = |r: &[f64]| -> Vec<f64> {
        let mut z: Vec<f64> = r.iter().zip(&precond).map(|(a, q)| a / q).collect();
        if use_block {
            let mut rd: Vec<f64> = dense.iter().map(|&j| r[j]).collect();
            cholesky_solve(&block, m, &mut rd);
            for (&j, v) in dense.iter().zip(rd) {
                z[j] = v;
            }
        }
        z
    };
    let mut p = vec![0.0; d1];
    let mut r: Vec<f64> = grad.iter().map(|g| -g).collect();
    let tol = 0.1 * dot(grad, grad).sqrt();
    let mut zr = apply(&r);
    let mut dir = zr.clone();
    let mut rz = dot(&r, &zr);
    for _ in 0..CG_MAX_ITER {
        if dot(&r, &r).sqrt() <= tol {
            break;
        }
        let hd = hess_times(&dir);
        let dhd = dot(&dir, &hd);
        if dhd <= 0.0 {
            break;
        }
        let a = rz / dhd;
        for j in 0..d1 {
            p[j] += a * dir[j];
            r[j] -= a * hd[j];
        }
        zr = apply(&r);
        let rz_new = dot(&r, &zr);
        let beta = rz_new / rz;
        rz = rz_new;
        for j in 0..d1 {
            dir[j] = zr[j] + beta * dir[j];
        }
    }
    p
}

/// Dual coordinate descent for one binary squared-hinge problem (`pos[i]` = row i is positive),
/// from `alpha0` (all zeros when `None`).
#[allow(clippy::too_many_arguments)] // the problem, its C and the solver's four settings
fn dual_cd(
    x: &CsrMatrix,
    pos: &[bool],
    s: &[f64],
    c: f64,
    max_iter: usize,
    eps: f64,
    seed: u64,
    alpha0: Option<Vec<f64>>,
) -> Binary {
    let n = x.n_rows();
    let d = x.n_cols;
    let mut alpha = alpha0.unwrap_or_else(|| vec![0.0; n]);
    let mut w = vec![0.0; d];
    let mut b = 0.0;
    for i in (0..n).filter(|&i| alpha[i] != 0.0) {
        let t = if pos[i] { alpha[i] } else { -alpha[i] };
        let (idx, val) = x.row(i);
        for (&j, &v) in idx.iter().zip(val) {
            w[j as usize] += t * v as f64;
        }
        b += t;
    }
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
            // f64::min and max skip a NaN: a non-finite gradient makes the gap infinite.
            pg_max = if g.is_finite() { pg_max.max(pg) } else { f64::INFINITY };
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
        gap = if order.is_empty() { 0.0 } else { optimality_gap(pg_max, pg_min) };
        if gap <= eps {
            converged = true;
            break;
        }
    }
    Binary { w, b, alpha, newton_iterations: 0, epochs, converged, gap }
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
                let bin = primal_newton(x, &pos, &s, h.c, h.max_iter, eps, seed);
                let f: Vec<f64> = (0..x.n_rows()).map(|i| x.dot_row(i, &bin.w) + bin.b).collect();
                let (a, b) = platt(&f, &pos, &s);
                (bin, a, b)
            })
            .collect();
        let mut report = FitReport { converged: true, iterations: 0, warnings: Vec::new() };
        let mut coef = Vec::with_capacity(positives.len() * d);
        let (mut intercept, mut platt_a, mut platt_b) = (Vec::new(), Vec::new(), Vec::new());
        for (&pc, (bin, a, b)) in positives.iter().zip(fits) {
            report.iterations = report.iterations.max(bin.newton_iterations + bin.epochs);
            if !bin.converged {
                report.converged = false;
                report.warnings.push(format!(
                    "linear SVM (class {pc} vs rest): did not converge within {} Newton steps and max_iter = {} epochs of coordinate descent (dual gap {:.3e} > tol {eps:.1e})",
                    bin.newton_iterations, h.max_iter, bin.gap
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A seeded sparse problem shaped like a text model's: `n` rows of a few
    /// L2-normalised "term" columns out of `d`, plus dense columns of a larger
    /// scale (like the lexicon counts, which make the dual ill-conditioned),
    /// labels from a noisy linear rule, and uneven row weights with some zeros.
    pub(super) fn problem(seed: u64, n: usize, d: usize, n_dense: usize) -> (CsrMatrix, Vec<bool>, Vec<f64>) {
        use rand::Rng;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let truth: Vec<f64> = (0..d + n_dense).map(|_| rng.gen_range(-1.0..1.0)).collect();
        let mut x = CsrMatrix::new(d + n_dense);
        let (mut pos, mut s) = (Vec::new(), Vec::new());
        for _ in 0..n {
            let mut cols: Vec<u32> = (0..rng.gen_range(3..15)).map(|_| rng.gen_range(0..d as u32)).collect();
            cols.sort_unstable();
            cols.dedup();
            let vals: Vec<f32> = cols.iter().map(|_| rng.gen_range(0.1f32..1.0)).collect();
            let norm = vals.iter().map(|v| v * v).sum::<f32>().sqrt();
            let mut row: Vec<(u32, f32)> = cols.iter().zip(&vals).map(|(&c, &v)| (c, v / norm)).collect();
            row.extend((0..n_dense).map(|k| ((d + k) as u32, rng.gen_range(0.0f32..3.0))));
            let score: f64 = row.iter().map(|&(c, v)| truth[c as usize] * v as f64).sum::<f64>();
            x.push_row(row);
            pos.push(score + rng.gen_range(-0.5..0.5) > 0.0);
            // One row in 20 has zero weight (it must not take part).
            s.push(if rng.gen_range(0..20) == 0 { 0.0 } else { rng.gen_range(0.5..2.0) });
        }
        (x, pos, s)
    }

    /// The dual objective both solvers minimise:
    /// `1/2 |w~|^2 + sum_i alpha_i^2 / (4 C s_i) - sum_i alpha_i`.
    fn dual_objective(bin: &Binary, s: &[f64], c: f64) -> f64 {
        let ww: f64 = dot(&bin.w, &bin.w) + bin.b * bin.b;
        let reg: f64 =
            bin.alpha.iter().zip(s).filter(|(_, &si)| si > 0.0).map(|(&a, &si)| a * a * 0.5 / (c * si)).sum();
        0.5 * ww + 0.5 * reg - bin.alpha.iter().sum::<f64>()
    }

    /// Two mirrored rows with disjoint columns: every margin and every
    /// projected gradient is equal at the start, though the start is not the
    /// optimum. The optimum, by symmetry: b = 0 and w = 2C/(1 + 2C) on both
    /// columns (each row's margin is w: loss C(1 - w)^2, regulariser w^2/2 each).
    #[test]
    fn equal_projected_gradients_away_from_zero_are_not_convergence() {
        let mut x = CsrMatrix::new(2);
        x.push_row(vec![(0, 1.0)]);
        x.push_row(vec![(1, -1.0)]);
        let (pos, s) = (vec![true, false], vec![1.0, 1.0]);
        for c in [0.3, 1.0, 5.0] {
            let want = 2.0 * c / (1.0 + 2.0 * c);
            let newton = primal_newton(&x, &pos, &s, c, 1000, SVM_MIN_TOL, 7);
            let cd = dual_cd(&x, &pos, &s, c, 100_000, SVM_MIN_TOL, 7, None);
            for (name, bin) in [("Newton", &newton), ("coordinate descent", &cd)] {
                assert!(bin.converged, "{name}, C = {c}");
                assert!((bin.w[0] - want).abs() < 1e-2, "{name}, C = {c}: w0 {} vs {want}", bin.w[0]);
                assert!((bin.w[1] - want).abs() < 1e-2, "{name}, C = {c}: w1 {} vs {want}", bin.w[1]);
                assert!(bin.b.abs() < 1e-2, "{name}, C = {c}: b {}", bin.b);
            }
        }
    }

    #[test]
    fn a_non_finite_gradient_is_never_convergence() {
        assert_eq!(optimality_gap(f64::INFINITY, -1.0), f64::INFINITY);
        assert_eq!(optimality_gap(0.5, f64::NEG_INFINITY), f64::INFINITY);
        assert_eq!(optimality_gap(-0.25, -0.25), 0.25);
        assert_eq!(optimality_gap(0.5, -0.25), 0.75);
        let mut x = CsrMatrix::new(1);
        x.push_row(vec![(0, f32::NAN)]);
        x.push_row(vec![(0, -1.0)]);
        let bin = primal_newton(&x, &[true, false], &[1.0, 1.0], 1.0, 50, SVM_MIN_TOL, 7);
        assert!(!bin.converged);
    }

    #[test]
    fn newton_reaches_the_optimum_of_coordinate_descent_within_the_tolerance() {
        let eps = SVM_MIN_TOL;
        for (seed, n, d, n_dense, c) in
            [(1, 400, 300, 2, 0.3), (2, 800, 1000, 20, 1.0), (3, 300, 50, 0, 10.0), (4, 600, 2000, 30, 0.1)]
        {
            let (x, pos, s) = problem(seed, n, d, n_dense);
            let newton = primal_newton(&x, &pos, &s, c, 100_000, eps, seed);
            let cd = dual_cd(&x, &pos, &s, c, 100_000, eps, seed, None);
            // Reference optimum: coordinate descent to a gap a thousand times smaller.
            let exact = dual_cd(&x, &pos, &s, c, 1_000_000, eps * 1e-3, seed, None);
            assert!(newton.converged && cd.converged && exact.converged, "seed {seed}");
            assert_eq!(newton.epochs, 0, "seed {seed}: Newton needed coordinate descent to finish");
            // The Newton result meets the dual's own stopping rule on every row.
            let y: Vec<f64> = pos.iter().map(|&p| if p { 1.0 } else { -1.0 }).collect();
            let rows: Vec<usize> = (0..n).filter(|&i| s[i] > 0.0).collect();
            let diag: Vec<f64> = s.iter().map(|&si| if si > 0.0 { 0.5 / (c * si) } else { 0.0 }).collect();
            let (w_alpha, gap) = dual_gap(&x, &y, &diag, &rows, &newton.alpha);
            assert!(gap <= eps, "seed {seed}: gap {gap}");
            assert!(w_alpha[..d + n_dense] == newton.w[..] && w_alpha[d + n_dense] == newton.b);
            assert!(s.iter().zip(&newton.alpha).all(|(&si, &a)| a >= 0.0 && (si > 0.0 || a == 0.0)));
            let (o_newton, o_cd, o_exact) =
                (dual_objective(&newton, &s, c), dual_objective(&cd, &s, c), dual_objective(&exact, &s, c));
            let scale = o_exact.abs().max(1.0);
            assert!((o_newton - o_exact).abs() / scale < 1e-4, "seed {seed}: {o_newton} vs {o_exact}");
            assert!((o_cd - o_exact).abs() / scale < 1e-4, "seed {seed}: {o_cd} vs {o_exact}");
            let w_norm = (dot(&exact.w, &exact.w) + exact.b * exact.b).sqrt();
            let dist = |b: &Binary| {
                (b.w.iter().zip(&exact.w).map(|(u, v)| (u - v) * (u - v)).sum::<f64>() + (b.b - exact.b).powi(2)).sqrt()
            };
            // Newton lands at least as close to the optimum as coordinate descent stopped by the same rule.
            assert!(dist(&newton) / w_norm < 1e-2, "seed {seed}: Newton {} / {w_norm}", dist(&newton));
            assert!(dist(&cd) / w_norm < 1e-2, "seed {seed}: coordinate descent {} / {w_norm}", dist(&cd));
        }
    }

    #[test]
    fn coordinate_descent_continues_from_a_given_dual_point() {
        let (x, pos, s) = problem(5, 300, 200, 5);
        let c = 1.0;
        let cold = dual_cd(&x, &pos, &s, c, 100_000, SVM_MIN_TOL, 5, None);
        // From the (approximate) optimum itself, a few passes confirm it.
        let warm = dual_cd(&x, &pos, &s, c, 100_000, SVM_MIN_TOL, 5, Some(cold.alpha.clone()));
        assert!(warm.converged && warm.epochs * 10 < cold.epochs, "{} epochs warm, {} cold", warm.epochs, cold.epochs);
        let diff = warm.w.iter().zip(&cold.w).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        assert!(diff < 1e-2, "{diff}");
    }
}

#[cfg(test)]
mod preconditioner_tests {
    use super::*;

    #[test]
    fn cholesky_solves_a_symmetric_positive_definite_system() {
        // A = I + B B' for a fixed B, so A is positive definite.
        let m = 5;
        let bm: Vec<f64> = (0..m * 3).map(|k| ((k * 7 % 11) as f64 - 5.0) / 3.0).collect();
        let mut a = vec![0.0; m * m];
        for i in 0..m {
            for j in 0..m {
                a[i * m + j] =
                    (0..3).map(|k| bm[i * 3 + k] * bm[j * 3 + k]).sum::<f64>() + if i == j { 1.0 } else { 0.0 };
            }
        }
        let b: Vec<f64> = (0..m).map(|i| i as f64 - 2.0).collect();
        let mut l = a.clone();
        assert!(cholesky(&mut l, m));
        let mut z = b.clone();
        cholesky_solve(&l, m, &mut z);
        for i in 0..m {
            let az: f64 = (0..m).map(|j| a[i * m + j] * z[j]).sum();
            assert!((az - b[i]).abs() < 1e-10, "row {i}: {az} vs {}", b[i]);
        }
        // Not positive definite: refused (the preconditioner then falls back to the diagonal).
        let mut bad = vec![1.0, 2.0, 2.0, 1.0];
        assert!(!cholesky(&mut bad, 2));
    }

    /// The block made over contiguous slices is the entry-by-entry sum to the bit.
    #[test]
    fn dense_block_is_the_entrywise_sum_to_the_bit() {
        let (x, _, s) = super::tests::problem(9, 300, 80, 12);
        let ci: Vec<f64> = s.iter().map(|&si| 0.3 * si).collect();
        let active: Vec<usize> = (0..x.n_rows()).filter(|&i| s[i] > 0.0 && i % 3 != 0).collect();
        let rows: Vec<usize> = (0..x.n_rows()).collect();
        let dense = dense_columns(&x, &rows);
        let (d1, m) = (x.n_cols + 1, dense.len());
        assert!(m > 10, "the problem has dense columns");
        let (precond, block) = preconditioner(&x, &ci, &active, &dense, d1);
        let mut want = vec![0.0; m * m];
        let mut diag = vec![1.0; d1];
        for k in 0..m {
            want[k * m + k] = 1.0;
        }
        for &i in &active {
            let wi = 2.0 * ci[i];
            let (idx, val) = x.row(i);
            let mut entries: Vec<(usize, f64)> = Vec::new();
            for (&j, &v) in idx.iter().zip(val) {
                diag[j as usize] += wi * v as f64 * v as f64;
                if let Some(k) = dense.iter().position(|&c| c == j as usize) {
                    entries.push((k, v as f64));
                }
            }
            diag[d1 - 1] += wi;
            entries.push((m - 1, 1.0));
            for &(a, va) in &entries {
                for &(b, vb) in &entries {
                    if b <= a {
                        want[a * m + b] += wi * va * vb;
                    }
                }
            }
        }
        for a in 0..m {
            for b in 0..a {
                want[b * m + a] = want[a * m + b];
            }
        }
        assert!(precond == diag);
        assert!(block.iter().zip(&want).all(|(u, v)| u.to_bits() == v.to_bits()));
    }

    #[test]
    fn dense_columns_are_those_in_most_rows_plus_the_intercept() {
        let mut x = CsrMatrix::new(4);
        x.push_row(vec![(0, 1.0), (2, 1.0)]);
        x.push_row(vec![(1, 1.0), (2, 1.0)]);
        x.push_row(vec![(2, 1.0), (3, 1.0)]);
        x.push_row(vec![(0, 1.0), (2, 1.0), (3, 1.0)]);
        // Column 2 is in 4 of 4 rows; 0 and 3 in exactly half (not more); 1 in one.
        assert_eq!(dense_columns(&x, &[0, 1, 2, 3]), vec![2, 4]);
        // Over rows 0 and 3 only, column 0 is in both.
        assert_eq!(dense_columns(&x, &[0, 3]), vec![0, 2, 4]);
    }
}
