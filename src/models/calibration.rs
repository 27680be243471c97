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
//! With k > 2 classes ([`Calibration::Softmax`], what `--calibration platt`
//! fits then) Platt's sigmoid generalises to `P(c) = softmax_c(a s_c + b_c)`:
//! one slope shared by the classes (a temperature, 1/a) and one offset per
//! class, fitted by Newton's method on the log loss (Guo et al. 2017's
//! temperature scaling with class biases). Separate one-vs-rest sigmoids,
//! normalised afterwards (`--calibration platt-per-class`, stored as
//! [`Calibration::Platt`] with one slope and offset per class), were
//! measured earlier and left an outer ECE of about 0.1 (0.105 against the
//! softmax's 0.035) on the 9-class GVFC data (gun_frames; scripts/tuning_log.md,
//! "Calibration: what was tried"); they are offered as a candidate of the
//! nested choice, where the inner log loss decides.
//!
//! Platt and softmax maps with a slope a > 0 are strictly increasing in
//! each score, so a binary model's ranking (ROC-AUC) does not change; its
//! argmax threshold can. Class offsets (softmax with `b`, or one sigmoid per
//! class) can also move the argmax of k > 2 classes away from the model's
//! own decision: the prediction is the argmax of the calibrated
//! probabilities. Platt slopes are not constrained: a class whose score
//! carries no information about it (e.g. a score that is the same for
//! every row) can get a slightly negative slope, which reverses that
//! class's ranking by its score; the fit is what the data give, so
//! [`Calibration::validate`] accepts it. Temperature scaling and temperature-top keep the
//! slope a >= 0 (a negative slope would reverse the decisions): at a = 0
//! temperature-top gives every row the same probability for its decided
//! class, so the probabilities no longer rank rows within a class (ROC-AUC
//! of them drops to that of the decisions).
//!
//! Both temperature fits add a small ridge ([`RIDGE`]) on their parameters:
//! on separable scores the log loss keeps falling as the slope grows, and
//! without it the fitted slope is set by the stopping rule, not the data.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::{check_finite, check_len, sigmoid, softmax_inplace};

/// Probabilities below this are clamped before taking logs for calibration scores.
pub const MIN_PROBABILITY: f64 = 1e-12;

/// Ridge `RIDGE / 2 * (a² + bonus²)` added to the mean log loss of the
/// temperature fits: negligible for scores that overlap, it keeps the slope
/// and bonus finite on separable scores.
pub const RIDGE: f64 = 1e-4;

/// Smallest slope temperature scaling keeps: at a = 0 every class would get
/// 1/k and the tie would go to the first class, not the model's decision.
pub const MIN_SLOPE: f64 = 1e-6;

/// Smallest bonus temperature-top applies to the decided class, so that at
/// a = 0 the decision is still the argmax of the probabilities (a fitted
/// bonus of 0 with a = 0 would give every class 1/k).
pub const MIN_BONUS: f64 = 1e-9;

/// How a model's probabilities are calibrated. Stored in the model file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Calibration {
    /// The algorithm's own probabilities (for the linear SVM: Platt scaling
    /// fitted on its *training* decision values, as in model files made before
    /// calibration existed).
    #[default]
    None,
    /// One sigmoid `σ(a[r] s_r + b[r])` per score row `r` (binary: one; k > 2: one per class, normalised).
    Platt {
        a: Vec<f64>,
        b: Vec<f64>,
        /// Where the scores came from, e.g. "out-of-fold scores of 5 inner folds grouped by doc_id".
        fitted_on: String,
    },
    /// k > 2 classes: `P(c) = softmax_c(a s_c + b[c])`.
    Softmax { a: f64, b: Vec<f64>, fitted_on: String },
    /// Temperature scaling with a bonus for the model's own decision:
    /// `P(c) = softmax_c(a s_c + bonus [c = argmax_c' s_c'])` (binary: the
    /// logits `[0, s]`), `bonus >= 0`; see [`Calibration::fit_temperature_top`].
    /// Stored as `"method": "temperature_top"` (canonical); the CLI's
    /// spelling `temperature-top` loads too.
    #[serde(alias = "temperature-top")]
    TemperatureTop { a: f64, bonus: f64, fitted_on: String },
}

/// Which calibration `train` fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationMethod {
    None,
    Platt,
    /// One slope over the scores and no offsets ([`Calibration::fit_temperature`]).
    Temperature,
    /// One slope and a bonus for the model's decision ([`Calibration::fit_temperature_top`]).
    #[serde(alias = "temperature-top")]
    TemperatureTop,
    /// One Platt sigmoid per class on that class's score, normalised to sum
    /// to 1 ([`Calibration::fit_platt`]); binary: the same as `platt`.
    #[serde(alias = "platt-per-class")]
    PlattPerClass,
}

crate::choices!(CalibrationMethod {
    "none" => CalibrationMethod::None, "the algorithm's own probabilities (SVM: Platt on training decision values)";
    "platt" => CalibrationMethod::Platt, "Platt scaling fitted on out-of-fold scores of inner folds (k > 2 classes: softmax(a s + b), one slope, class offsets; the offsets can make the argmax differ from the model's decision)";
    "temperature" => CalibrationMethod::Temperature, "one slope over the scores, no offsets: keeps the model's decisions; fitted on out-of-fold scores of inner folds";
    "temperature-top" => CalibrationMethod::TemperatureTop, "one slope and a non-negative bonus for the model's own decision: keeps the decisions, sets the confidence in them; fitted on out-of-fold scores of inner folds";
    "platt-per-class" => CalibrationMethod::PlattPerClass, "k > 2 classes: one Platt sigmoid per class (its own slope and offset on its own score), normalised to sum to 1 (one-vs-rest Platt, Zadrozny & Elkan 2002; the argmax can differ from the model's decision); binary: the same as platt; fitted on out-of-fold scores of inner folds";
});

impl CalibrationMethod {
    /// The name `--calibration` takes.
    pub fn name(self) -> &'static str {
        match self {
            CalibrationMethod::None => "none",
            CalibrationMethod::Platt => "platt",
            CalibrationMethod::Temperature => "temperature",
            CalibrationMethod::TemperatureTop => "temperature-top",
            CalibrationMethod::PlattPerClass => "platt-per-class",
        }
    }
}

impl Calibration {
    pub fn is_none(&self) -> bool {
        matches!(self, Calibration::None)
    }

    /// Short name of the method (`none`, `platt`).
    pub fn method(&self) -> &'static str {
        match self {
            Calibration::None => "none",
            Calibration::Platt { .. } => "platt",
            Calibration::Softmax { .. } => "softmax",
            Calibration::TemperatureTop { .. } => "temperature_top",
        }
    }

    /// The `train --calibration` name that fits a map of this shape, for
    /// display next to [`method`](Self::method) (the stored tag): `--calibration
    /// platt` stores a `softmax` map for k > 2 classes, and
    /// `platt-per-class` stores a `platt` map with one sigmoid per class.
    pub fn cli_name(&self) -> &'static str {
        match self {
            Calibration::None => "none",
            Calibration::Platt { a, b, .. } if a.len() == 1 && b.iter().all(|v| *v == 0.0) => "temperature",
            Calibration::Platt { a, .. } if a.len() > 1 => "platt-per-class",
            Calibration::Platt { .. } => "platt",
            Calibration::Softmax { b, .. } if b.iter().all(|v| *v == 0.0) => "temperature",
            Calibration::Softmax { .. } => "platt",
            Calibration::TemperatureTop { .. } => "temperature-top",
        }
    }

    /// Where the calibration's scores came from (empty for `None`).
    pub fn fitted_on(&self) -> &str {
        match self {
            Calibration::None => "",
            Calibration::Platt { fitted_on, .. }
            | Calibration::Softmax { fitted_on, .. }
            | Calibration::TemperatureTop { fitted_on, .. } => fitted_on,
        }
    }

    /// What `--calibration platt` fits: [`fit_platt`](Self::fit_platt) for one
    /// score column (binary), [`fit_softmax`](Self::fit_softmax) for k > 2.
    /// Fit `method` (not [`CalibrationMethod::None`]) on out-of-fold `scores`.
    pub fn fit_method(method: CalibrationMethod, scores: &Array2<f64>, y: &[usize], fitted_on: String) -> Calibration {
        match method {
            CalibrationMethod::None => Calibration::None,
            CalibrationMethod::Platt => Calibration::fit(scores, y, fitted_on),
            CalibrationMethod::Temperature => Calibration::fit_temperature(scores, y, fitted_on),
            CalibrationMethod::TemperatureTop => Calibration::fit_temperature_top(scores, y, fitted_on),
            // For one score column (binary) fit_platt is exactly what `platt` fits.
            CalibrationMethod::PlattPerClass => Calibration::fit_platt(scores, y, fitted_on),
        }
    }

    /// Choose among `methods` (at least one) by cross-fitting on the
    /// out-of-fold `scores` themselves: for each inner fold (`fold_of[i]` is
    /// row i's, `0..n_folds`), each method is fitted on the other folds'
    /// rows and scored by the log loss of the fold's rows; the method with
    /// the lowest pooled mean log loss (ties: the first listed) is the one
    /// to fit on all rows. No model is refitted: only the maps. Returns the
    /// index of that method and each method's cross-fitted log loss.
    pub fn choose(
        methods: &[CalibrationMethod],
        scores: &Array2<f64>,
        y: &[usize],
        fold_of: &[usize],
        n_classes: usize,
    ) -> (usize, Vec<f64>) {
        let n_folds = fold_of.iter().copied().max().map_or(0, |m| m + 1);
        let losses: Vec<f64> = methods
            .iter()
            .map(|&method| {
                let mut total = 0.0;
                for f in 0..n_folds {
                    let (train, test): (Vec<usize>, Vec<usize>) = (0..y.len()).partition(|&i| fold_of[i] != f);
                    if train.is_empty() || test.is_empty() {
                        continue;
                    }
                    let y_train: Vec<usize> = train.iter().map(|&i| y[i]).collect();
                    let cal = Calibration::fit_method(
                        method,
                        &scores.select(ndarray::Axis(0), &train),
                        &y_train,
                        String::new(),
                    );
                    let p = match cal.apply(&scores.select(ndarray::Axis(0), &test), n_classes) {
                        Some(p) => p,
                        None => return f64::INFINITY, // `none` maps nothing: not a candidate
                    };
                    total +=
                        test.iter().enumerate().map(|(r, &i)| -p[[r, y[i]]].max(MIN_PROBABILITY).ln()).sum::<f64>();
                }
                total / y.len().max(1) as f64
            })
            .collect();
        let best = (0..methods.len()).fold(0, |b, m| if losses[m] < losses[b] { m } else { b });
        (best, losses)
    }

    /// Temperature scaling (Guo et al. 2017): `P(c) = softmax_c(a s_c)`, one
    /// slope and no offsets, fitted by Newton's method on the mean log loss
    /// (convex in `a`). Binary (one score column): `σ(a s)`, stored as Platt
    /// with offset 0; k > 2: stored as softmax with offsets 0. Without
    /// offsets the argmax of the probabilities is the model's own decision
    /// (e.g. a class-weighted SVM's), which class offsets fitted to the
    /// class frequencies can move towards the frequent classes. The slope
    /// is kept at least [`MIN_SLOPE`]: a negative one would reverse the
    /// decisions (the loss is convex in `a`, so the constrained optimum is
    /// the bound when the free one lies below it), and 0 would tie them.
    /// A ridge ([`RIDGE`]) keeps it finite on separable scores.
    pub fn fit_temperature(scores: &Array2<f64>, y: &[usize], fitted_on: String) -> Calibration {
        let binary = scores.ncols() == 1;
        // Scores of row i as k logits at slope 1: binary [0, s], else s_c.
        let raw = |row: ndarray::ArrayView1<f64>| -> Vec<f64> {
            if binary {
                vec![0.0, row[0]]
            } else {
                row.to_vec()
            }
        };
        // Logits at slope a.
        let logits = |row: ndarray::ArrayView1<f64>, a: f64| -> Vec<f64> { raw(row).iter().map(|v| a * v).collect() };
        let n = scores.nrows().max(1) as f64;
        let loss = |a: f64| -> f64 {
            let mut total = 0.0;
            for (i, row) in scores.outer_iter().enumerate() {
                let z = logits(row, a);
                let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                total += max + z.iter().map(|v| (v - max).exp()).sum::<f64>().ln() - z[y[i]];
            }
            total / n + 0.5 * RIDGE * a * a
        };
        let mut a = 1.0;
        let mut f = loss(a);
        for _ in 0..100 {
            let (mut g, mut h) = (0.0, 0.0);
            for (i, row) in scores.outer_iter().enumerate() {
                let mut p = logits(row, a);
                softmax_inplace(&mut p);
                let s = raw(row);
                let mean: f64 = p.iter().zip(&s).map(|(p, s)| p * s).sum();
                let second: f64 = p.iter().zip(&s).map(|(p, s)| p * s * s).sum();
                g += mean - s[y[i]];
                h += second - mean * mean;
            }
            let (g, h) = (g / n + RIDGE * a, h / n + RIDGE);
            if g.abs() < 1e-10 {
                break;
            }
            let d = -g / h;
            let Some((step, fc)) = armijo_step(f, g * d, |step| loss(a + step * d)) else { break };
            a += step * d;
            f = fc;
        }
        let a = a.max(MIN_SLOPE);
        if binary {
            Calibration::Platt { a: vec![a], b: vec![0.0], fitted_on }
        } else {
            Calibration::Softmax { a, b: vec![0.0; scores.ncols()], fitted_on }
        }
    }

    /// Temperature scaling with a bonus for the model's decision:
    /// `P(c) = softmax_c(a s_c + bonus [c = top])`, `top` the class with the
    /// largest score (binary: logits `[0, s]`). The logits are linear in
    /// `(a, bonus)` given `top`, which does not depend on them, so the mean
    /// log loss is convex; it is minimised by Newton's method under
    /// `a >= 0` and `bonus >= 0` (an optimum outside is replaced by the best
    /// point of the edges: `bonus = 0` is plain
    /// [`fit_temperature`](Self::fit_temperature); `a = 0` gives every row
    /// the same confidence, the share of decisions that were right).
    /// With `a >= 0` and `bonus >= 0` the argmax stays the model's decision,
    /// as with temperature scaling alone, while the confidence in it is no
    /// longer tied to the spread of the scores: when scores carry little
    /// probability information but their argmax is right more often than
    /// 1/k, one slope cannot give both (Guo et al. 2017's temperature
    /// scaling; calibrating the top label's confidence is the aim of
    /// top-label calibration, Gupta & Ramdas 2022).
    pub fn fit_temperature_top(scores: &Array2<f64>, y: &[usize], fitted_on: String) -> Calibration {
        let binary = scores.ncols() == 1;
        let raw = |row: ndarray::ArrayView1<f64>| -> Vec<f64> {
            if binary {
                vec![0.0, row[0]]
            } else {
                row.to_vec()
            }
        };
        let rows: Vec<(Vec<f64>, usize)> = scores
            .outer_iter()
            .map(|row| {
                let r = raw(row);
                let top = (0..r.len()).fold(0, |b, c| if r[c] > r[b] { c } else { b });
                (r, top)
            })
            .collect();
        let n = rows.len().max(1) as f64;
        let logits = |r: &[f64], top: usize, t: &[f64]| -> Vec<f64> {
            r.iter().enumerate().map(|(c, v)| t[0] * v + if c == top { t[1] } else { 0.0 }).collect()
        };
        let loss = |t: &[f64]| -> f64 {
            let mut total = 0.0;
            for (i, (r, top)) in rows.iter().enumerate() {
                let z = logits(r, *top, t);
                let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                total += max + z.iter().map(|v| (v - max).exp()).sum::<f64>().ln() - z[y[i]];
            }
            total / n + 0.5 * RIDGE * (t[0] * t[0] + t[1] * t[1])
        };
        // Temperature scaling alone: the start of Newton's method and the
        // bonus = 0 edge below.
        let temperature_slope = match Calibration::fit_temperature(scores, y, String::new()) {
            Calibration::Platt { a, .. } => a[0],
            Calibration::Softmax { a, .. } => a,
            _ => 1.0,
        };
        let mut t = vec![temperature_slope, 0.0];
        let mut f = loss(&t);
        for _ in 0..100 {
            let (mut g, mut h) = ([0.0; 2], [[0.0; 2]; 2]);
            for (i, (r, top)) in rows.iter().enumerate() {
                let mut p = logits(r, *top, &t);
                softmax_inplace(&mut p);
                // Features of the logits: (s_c, [c = top]); their means and
                // (co)variances under p give the gradient and Hessian.
                let mean_s: f64 = p.iter().zip(r).map(|(p, s)| p * s).sum();
                let mean_ss: f64 = p.iter().zip(r).map(|(p, s)| p * s * s).sum();
                let pt = p[*top];
                g[0] += mean_s - r[y[i]];
                g[1] += pt - if y[i] == *top { 1.0 } else { 0.0 };
                h[0][0] += mean_ss - mean_s * mean_s;
                h[1][1] += pt * (1.0 - pt);
                h[0][1] += pt * r[*top] - mean_s * pt;
            }
            let g = [g[0] / n + RIDGE * t[0], g[1] / n + RIDGE * t[1]];
            let h = vec![vec![h[0][0] / n + RIDGE, h[0][1] / n], vec![h[0][1] / n, h[1][1] / n + RIDGE]];
            if g[0].hypot(g[1]) < 1e-10 {
                break;
            }
            let Some(d) = solve(h, vec![-g[0], -g[1]]) else { break };
            let slope = g[0] * d[0] + g[1] * d[1];
            let at = |step: f64| vec![t[0] + step * d[0], t[1] + step * d[1]];
            let Some((step, fc)) = armijo_step(f, slope, |step| loss(&at(step))) else { break };
            t = at(step);
            f = fc;
        }
        // The optimum under a >= 0 and bonus >= 0 (the decision kept, and a
        // larger score never a smaller probability) of a convex loss is the
        // unconstrained one if it is feasible, else the best point of the
        // two edges: a = 0, where the loss depends on the bonus alone and is
        // minimal near where P(top) is the share of rows whose top class is
        // right; or bonus = 0, temperature scaling (its slope kept >= 0).
        // That share is smoothed ((right + 1) / (n + 2), as Platt's targets
        // in Lin, Lin & Weng 2007): when every decision is right the bonus
        // stays finite instead of growing without bound. When the decisions
        // are right no more often than 1/k the edge is (0, 0); `apply`'s
        // [`MIN_BONUS`] keeps the decisions then.
        let k = rows.first().map_or(2, |(r, _)| r.len()) as f64;
        let n_right = rows.iter().enumerate().filter(|(i, (_, top))| y[*i] == *top).count() as f64;
        let right = (n_right + 1.0) / (rows.len() as f64 + 2.0);
        let edge_a = if right > 1.0 / k { (right * (k - 1.0) / (1.0 - right)).ln() } else { 0.0 };
        let mut candidates = vec![vec![0.0, edge_a], vec![temperature_slope.max(0.0), 0.0]];
        if t[0] >= 0.0 && t[1] >= 0.0 && t.iter().all(|v| v.is_finite()) {
            candidates.insert(0, t);
        }
        let mut best = candidates.remove(0);
        let mut best_loss = loss(&best);
        for c in candidates {
            let l = loss(&c);
            if l < best_loss {
                (best, best_loss) = (c, l);
            }
        }
        Calibration::TemperatureTop { a: best[0], bonus: best[1], fitted_on }
    }

    pub fn fit(scores: &Array2<f64>, y: &[usize], fitted_on: String) -> Calibration {
        if scores.ncols() == 1 {
            Calibration::fit_platt(scores, y, fitted_on)
        } else {
            Calibration::fit_softmax(scores, y, fitted_on)
        }
    }

    /// Fit `softmax_c(a s_c + b_c)` on `scores` (`n x k`) against `y` by
    /// Newton's method with backtracking on the mean log loss (convex in
    /// `(a, b)`); `b_0` is kept at 0 (softmax ignores a shared offset) and a
    /// ridge of 1e-6 keeps the Newton system well posed.
    #[allow(clippy::needless_range_loop)] // θ-index loops over a small dense Newton system read clearest
    pub fn fit_softmax(scores: &Array2<f64>, y: &[usize], fitted_on: String) -> Calibration {
        let (n, k) = scores.dim();
        // θ = [a, b_1 .. b_{k-1}]
        let m = k;
        let ridge = 1e-6;
        let loss = |t: &[f64]| -> f64 {
            let mut total = 0.0;
            let mut z = vec![0.0; k];
            for (i, row) in scores.outer_iter().enumerate() {
                for c in 0..k {
                    z[c] = t[0] * row[c] + if c == 0 { 0.0 } else { t[c] };
                }
                let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let lse = max + z.iter().map(|v| (v - max).exp()).sum::<f64>().ln();
                total += lse - z[y[i]];
            }
            total / n as f64 + 0.5 * ridge * t.iter().map(|v| v * v).sum::<f64>()
        };
        let mut t = vec![0.0; m];
        t[0] = 1.0;
        let mut f = loss(&t);
        for _ in 0..100 {
            let mut g = vec![0.0; m];
            let mut h = vec![vec![0.0; m]; m];
            let mut z = vec![0.0; k];
            for (i, row) in scores.outer_iter().enumerate() {
                for c in 0..k {
                    z[c] = t[0] * row[c] + if c == 0 { 0.0 } else { t[c] };
                }
                softmax_inplace(&mut z);
                // d z_c / d θ: column 0 is s_c, column c (c >= 1) is 1 for z_c.
                let jac = |c: usize, j: usize| -> f64 {
                    if j == 0 {
                        row[c]
                    } else if j == c {
                        1.0
                    } else {
                        0.0
                    }
                };
                let mean_j: Vec<f64> = (0..m).map(|j| (0..k).map(|c| z[c] * jac(c, j)).sum()).collect();
                for j in 0..m {
                    g[j] += mean_j[j] - jac(y[i], j);
                    for l in 0..=j {
                        let e: f64 = (0..k).map(|c| z[c] * jac(c, j) * jac(c, l)).sum();
                        h[j][l] += e - mean_j[j] * mean_j[l];
                    }
                }
            }
            for j in 0..m {
                g[j] = g[j] / n as f64 + ridge * t[j];
                for l in 0..=j {
                    h[j][l] = h[j][l] / n as f64 + if j == l { ridge } else { 0.0 };
                    h[l][j] = h[j][l];
                }
            }
            if g.iter().map(|v| v * v).sum::<f64>().sqrt() < 1e-9 {
                break;
            }
            let Some(d) = solve(h, g.iter().map(|v| -v).collect()) else { break };
            let slope: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum();
            let at = |step: f64| t.iter().zip(&d).map(|(a, b)| a + step * b).collect::<Vec<f64>>();
            let Some((step, fc)) = armijo_step(f, slope, |step| loss(&at(step))) else { break };
            t = at(step);
            f = fc;
        }
        let mut b = vec![0.0; k];
        b[1..].copy_from_slice(&t[1..]);
        Calibration::Softmax { a: t[0], b, fitted_on }
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
        if let Calibration::TemperatureTop { a, bonus, .. } = self {
            let mut out = Array2::zeros((scores.nrows(), n_classes));
            for (s, mut o) in scores.outer_iter().zip(out.outer_iter_mut()) {
                let mut z: Vec<f64> = if scores.ncols() == 1 { vec![0.0, s[0]] } else { s.to_vec() };
                let top = (0..z.len()).fold(0, |b, c| if z[c] > z[b] { c } else { b });
                z.iter_mut().for_each(|v| *v *= a);
                z[top] += bonus.max(MIN_BONUS);
                softmax_inplace(&mut z);
                o.iter_mut().zip(z).for_each(|(v, p)| *v = p);
            }
            return Some(out);
        }
        if let Calibration::Softmax { a, b, .. } = self {
            let mut out = scores.clone();
            for mut row in out.outer_iter_mut() {
                let v = row.as_slice_mut().expect("row-major scores");
                v.iter_mut().zip(b).for_each(|(s, bc)| *s = a * *s + bc);
                softmax_inplace(v);
            }
            return Some(out);
        }
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
        if let Calibration::Softmax { a, b, .. } = self {
            if n_classes == 2 {
                return Err("a softmax calibration is for more than 2 classes".into());
            }
            check_len("calibration b", b.len(), n_classes)?;
            check_finite("calibration a", &[*a])?;
            check_finite("calibration b", b)?;
        }
        if let Calibration::TemperatureTop { a, bonus, .. } = self {
            check_finite("calibration a", &[*a])?;
            check_finite("calibration bonus", &[*bonus])?;
            if *a < 0.0 {
                return Err(format!("calibration slope a = {a} is negative (it would reverse the decisions)"));
            }
            if *bonus < 0.0 {
                return Err(format!("calibration bonus = {bonus} is negative (it could move the decisions)"));
            }
        }
        Ok(())
    }
}

/// Solve `h x = g` (small, symmetric positive definite) by Gaussian
/// elimination with partial pivoting; `None` when singular.
#[allow(clippy::needless_range_loop)] // textbook elimination over row/column indices
fn solve(mut h: Vec<Vec<f64>>, mut g: Vec<f64>) -> Option<Vec<f64>> {
    let m = g.len();
    for col in 0..m {
        let piv = (col..m).max_by(|&a, &b| h[a][col].abs().total_cmp(&h[b][col].abs()))?;
        if h[piv][col].abs() < 1e-300 {
            return None;
        }
        h.swap(col, piv);
        g.swap(col, piv);
        for r in col + 1..m {
            let f = h[r][col] / h[col][col];
            for c in col..m {
                h[r][c] -= f * h[col][c];
            }
            g[r] -= f * g[col];
        }
    }
    let mut x = vec![0.0; m];
    for r in (0..m).rev() {
        let s: f64 = (r + 1..m).map(|c| h[r][c] * x[c]).sum();
        x[r] = (g[r] - s) / h[r][r];
    }
    Some(x)
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

/// Backtracking line search along a descent direction: the first of the
/// steps 1, 1/2, 1/4, ... (down to 1e-10) whose loss `loss_at(step)` meets
/// the Armijo condition for the current loss `f` and directional slope
/// `slope`, with that loss; `None` when no step decreases it enough.
fn armijo_step(f: f64, slope: f64, mut loss_at: impl FnMut(f64) -> f64) -> Option<(f64, f64)> {
    let mut step = 1.0;
    while step >= 1e-10 {
        let fc = loss_at(step);
        if fc <= f + 1e-4 * step * slope {
            return Some((step, fc));
        }
        step /= 2.0;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::argmax_rows;

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

    /// Three classes whose true probabilities are softmax(0.5 s + [0, 1, -1]):
    /// the fit recovers the temperature and the offsets.
    #[test]
    fn softmax_recovers_a_known_temperature_and_offsets() {
        let n = 6000;
        let mut scores = Array2::zeros((n, 3));
        let mut y = Vec::with_capacity(n);
        for i in 0..n {
            let s = [
                ((i * 7) % 61) as f64 / 10.0 - 3.0,
                ((i * 13) % 53) as f64 / 9.0 - 3.0,
                ((i * 3) % 47) as f64 / 8.0 - 3.0,
            ];
            let mut p: Vec<f64> = vec![0.5 * s[0], 0.5 * s[1] + 1.0, 0.5 * s[2] - 1.0];
            softmax_inplace(&mut p);
            let u = (i as f64 * 0.618_033_988_7).fract();
            y.push(if u < p[0] {
                0
            } else if u < p[0] + p[1] {
                1
            } else {
                2
            });
            scores.row_mut(i).assign(&ndarray::arr1(&s));
        }
        let cal = Calibration::fit(&scores, &y, "test".into());
        let Calibration::Softmax { a, b, .. } = &cal else { panic!("softmax") };
        assert!((a - 0.5).abs() < 0.08, "a = {a}");
        assert!((b[1] - 1.0).abs() < 0.15 && (b[2] + 1.0).abs() < 0.15, "b = {b:?}");
        let p = cal.apply(&scores, 3).unwrap();
        assert!(p.outer_iter().all(|r| (r.sum() - 1.0).abs() < 1e-12));
        assert!(cal.validate(3).is_ok() && cal.validate(2).is_err());
    }

    #[test]
    fn solve_small_system() {
        let x = solve(vec![vec![4.0, 1.0], vec![1.0, 3.0]], vec![1.0, 2.0]).unwrap();
        // 4x + y = 1, x + 3y = 2 -> x = 1/11, y = 7/11
        assert!((x[0] - 1.0 / 11.0).abs() < 1e-12 && (x[1] - 7.0 / 11.0).abs() < 1e-12);
        assert!(solve(vec![vec![0.0, 0.0], vec![0.0, 0.0]], vec![1.0, 1.0]).is_none());
    }

    #[test]
    fn serialises_as_tagged_data() {
        let cal = Calibration::Platt { a: vec![1.5], b: vec![-0.25], fitted_on: "inner folds".into() };
        let json = serde_json::to_string(&cal).unwrap();
        assert!(json.contains("\"method\":\"platt\""), "{json}");
        assert_eq!(serde_json::from_str::<Calibration>(&json).unwrap(), cal);
    }

    #[test]
    fn temperature_keeps_the_decisions_and_fits_the_slope() {
        // Scores whose argmax is right 70% of the time, all too confident.
        let n = 300;
        let mut scores = Array2::<f64>::zeros((n, 3));
        let mut y = Vec::new();
        for i in 0..n {
            let truth = i % 3;
            let top = if i % 10 < 7 { truth } else { (truth + 1) % 3 };
            scores[[i, top]] = 8.0 + (i % 4) as f64;
            y.push(truth);
        }
        let cal = Calibration::fit_temperature(&scores, &y, "test".into());
        let Calibration::Softmax { a, b, .. } = &cal else { panic!("softmax") };
        assert!(b.iter().all(|v| *v == 0.0));
        assert!(*a > 0.0 && *a < 1.0, "over-confident scores are cooled: a = {a}");
        let p = cal.apply(&scores, 3).unwrap();
        let mut conf = 0.0;
        for i in 0..n {
            let (arg_s, arg_p) = (argmax(scores.row(i)), argmax(p.row(i)));
            assert_eq!(arg_s, arg_p, "row {i}: the decision does not move");
            conf += p[[i, arg_p]];
        }
        // The fitted confidence matches the 70% accuracy (log-loss optimum).
        assert!((conf / n as f64 - 0.7).abs() < 0.05, "{}", conf / n as f64);
        // Binary: one score column, sigma(a s), offset 0.
        let s1 = scores.column(0).to_owned().insert_axis(ndarray::Axis(1));
        let y1: Vec<usize> = y.iter().map(|&c| (c == 0) as usize).collect();
        let Calibration::Platt { a, b, .. } = Calibration::fit_temperature(&s1, &y1, "t".into()) else { panic!() };
        assert_eq!(b, vec![0.0]);
        assert!(a[0].is_finite() && a[0] > 0.0);
    }

    /// Scores that say little beyond their argmax: the top class is right 60%
    /// of the time whatever the spread of the scores. One slope cannot give
    /// that confidence to the close calls and the wide ones at once; the
    /// decision bonus can.
    fn decision_only_scores(n: usize) -> (Array2<f64>, Vec<usize>) {
        let mut scores = Array2::<f64>::zeros((n, 3));
        let mut y = Vec::new();
        for i in 0..n {
            let top = i % 3;
            let spread = [0.05, 0.2, 1.0, 3.0][(i / 3) % 4];
            scores[[i, top]] = spread;
            scores[[i, (top + 1) % 3]] = -spread / 2.0;
            // Right in 6 of every 10 rows of each spread.
            y.push(if (i / 12) % 10 < 6 { top } else { (top + 1 + (i / 12) % 2) % 3 });
        }
        (scores, y)
    }

    #[test]
    fn temperature_top_keeps_the_decisions_and_sets_their_confidence() {
        let (scores, y) = decision_only_scores(1200);
        let cal = Calibration::fit_temperature_top(&scores, &y, "test".into());
        let Calibration::TemperatureTop { a, bonus, .. } = cal else { panic!("temperature_top") };
        assert!(bonus > 0.5, "bonus = {bonus}");
        assert!(a.abs() < 0.5, "the spread says nothing: a = {a}");
        assert!(cal.validate(3).is_ok());
        let p = cal.apply(&scores, 3).unwrap();
        let mut conf = 0.0;
        for i in 0..scores.nrows() {
            assert_eq!(argmax(scores.row(i)), argmax(p.row(i)), "row {i}: the decision does not move");
            assert!((p.row(i).sum() - 1.0).abs() < 1e-12);
            conf += p.row(i).iter().copied().fold(0.0, f64::max);
        }
        assert!((conf / scores.nrows() as f64 - 0.6).abs() < 0.03, "{}", conf / scores.nrows() as f64);
        // Temperature alone gets the mean confidence wrong for some spreads;
        // its log loss is higher.
        let t = Calibration::fit_temperature(&scores, &y, "t".into());
        let loss = |c: &Calibration| {
            let p = c.apply(&scores, 3).unwrap();
            y.iter().enumerate().map(|(i, &c)| -p[[i, c]].ln()).sum::<f64>() / y.len() as f64
        };
        assert!(loss(&cal) < loss(&t) - 0.01, "{} vs {}", loss(&cal), loss(&t));
        // Binary: one score column, logits [0, s].
        let s1 = scores.column(0).to_owned().insert_axis(ndarray::Axis(1));
        let y1: Vec<usize> = y.iter().map(|&c| (c == 0) as usize).collect();
        let c1 = Calibration::fit_temperature_top(&s1, &y1, "t".into());
        assert!(c1.validate(2).is_ok());
        let p1 = c1.apply(&s1, 2).unwrap();
        assert!(p1.outer_iter().all(|r| (r.sum() - 1.0).abs() < 1e-12));
    }

    /// Three classes, each row's decided class varying, score spreads
    /// varied; the decided class is right in `right_in_10` of every 10 rows
    /// of each spread.
    fn varied_decisions(n: usize, right_in_10: usize) -> (Array2<f64>, Vec<usize>) {
        let mut scores = Array2::<f64>::zeros((n, 3));
        let mut y = Vec::new();
        for i in 0..n {
            let top = (i * 7 + i / 5) % 3;
            let spread = [0.1, 0.5, 1.5, 4.0][(i / 3) % 4];
            scores[[i, top]] = spread;
            scores[[i, (top + 1) % 3]] = -spread / 3.0;
            scores[[i, (top + 2) % 3]] = -spread;
            // Wrong rows alternate between the other two classes, so only the
            // decided class carries information.
            let block = (i / 12) % 10;
            y.push(if block < right_in_10 { top } else { (top + 1 + block % 2) % 3 });
        }
        (scores, y)
    }

    #[test]
    fn temperature_top_keeps_the_decisions_when_they_are_over_trusted() {
        // Right in 3 of 10 rows (< 1/3), whatever the spread: the free
        // optimum wants a negative slope and a negative bonus, so the fit
        // lands on a = 0 and bonus = 0. The probabilities are then (nearly)
        // 1/3 each, and the argmax must still be each row's own decision,
        // not the first class.
        let (scores, y) = varied_decisions(1200, 3);
        let cal = Calibration::fit_temperature_top(&scores, &y, "t".into());
        let Calibration::TemperatureTop { a, bonus, .. } = cal else { panic!() };
        assert_eq!((a, bonus), (0.0, 0.0));
        let p = cal.apply(&scores, 3).unwrap();
        let decisions: Vec<usize> = (0..scores.nrows()).map(|i| argmax(scores.row(i))).collect();
        assert!(decisions.iter().any(|&d| d != decisions[0]), "the data's decisions vary");
        assert_eq!(argmax_rows(&p), decisions, "the calibrated argmax is the model's decision");
        assert!(p.iter().all(|v| (v - 1.0 / 3.0).abs() < 1e-6));
        // Temperature alone: the free slope is negative here; it is kept at
        // MIN_SLOPE, so the decisions are kept too.
        let t = Calibration::fit_temperature(&scores, &y, "t".into());
        let Calibration::Softmax { a, .. } = &t else { panic!() };
        assert_eq!(*a, MIN_SLOPE);
        assert_eq!(argmax_rows(&t.apply(&scores, 3).unwrap()), decisions);
        let bad = Calibration::TemperatureTop { a: 1.0, bonus: -0.5, fitted_on: String::new() };
        assert!(bad.validate(3).unwrap_err().contains("bonus"));
        let bad = Calibration::TemperatureTop { a: -1.0, bonus: 0.5, fitted_on: String::new() };
        assert!(bad.validate(3).unwrap_err().contains("slope"));
    }

    #[test]
    fn temperature_top_falls_back_to_temperature_when_the_spread_carries_the_information() {
        // Each row's decided class is right with probability
        // softmax(0.8 s)_top: the spread says how sure to be, and temperature
        // scaling alone is the right model. The fit finds a slope near 0.8
        // and a bonus near 0 (it is kept >= 0).
        let n = 6000;
        let mut scores = Array2::<f64>::zeros((n, 3));
        let mut y = Vec::new();
        for i in 0..n {
            let top = (i * 7 + i / 5) % 3;
            let spread = [0.2, 1.0, 2.0, 4.0][(i / 3) % 4];
            scores[[i, top]] = spread;
            let mut p: Vec<f64> = scores.row(i).iter().map(|v| 0.8 * v).collect();
            softmax_inplace(&mut p);
            let u = (i as f64 * 0.618_033_988_7).fract();
            y.push(if u < p[top] { top } else { (top + 1 + usize::from(u > (1.0 + p[top]) / 2.0)) % 3 });
        }
        let cal = Calibration::fit_temperature_top(&scores, &y, "t".into());
        let Calibration::TemperatureTop { a, bonus, .. } = cal else { panic!() };
        assert!((a - 0.8).abs() < 0.1, "a = {a}");
        assert!(bonus < 0.15, "bonus = {bonus}");
    }

    #[test]
    fn temperature_fits_stay_finite_on_separable_and_all_right_scores() {
        // Every decision right, scores well apart: without the ridge and the
        // smoothed share the slope and bonus grow until the stopping rule.
        let (scores, _) = varied_decisions(600, 10);
        let y: Vec<usize> = (0..scores.nrows()).map(|i| argmax(scores.row(i))).collect();
        let t = Calibration::fit_temperature(&scores, &y, "t".into());
        let Calibration::Softmax { a, .. } = t else { panic!() };
        assert!(a.is_finite() && a > 1.0 && a < 100.0, "a = {a}");
        let cal = Calibration::fit_temperature_top(&scores, &y, "t".into());
        let Calibration::TemperatureTop { a, bonus, .. } = cal else { panic!() };
        assert!(a.is_finite() && bonus.is_finite() && a < 100.0 && bonus < 100.0, "a = {a}, bonus = {bonus}");
        assert!(cal.validate(3).is_ok());
        // The same scores and labels give the same map (no dependence on
        // where an unbounded search stopped).
        assert_eq!(cal, Calibration::fit_temperature_top(&scores, &y, "t".into()));
    }

    #[test]
    fn both_spellings_of_temperature_top_load() {
        let file = r#"{"method":"temperature-top","a":0.5,"bonus":1.0,"fitted_on":"x"}"#;
        let cal: Calibration = serde_json::from_str(file).unwrap();
        assert_eq!(cal.method(), "temperature_top");
        let json = serde_json::to_string(&cal).unwrap();
        assert!(json.contains("\"method\":\"temperature_top\""), "{json}");
        let m: CalibrationMethod = serde_json::from_str("\"temperature-top\"").unwrap();
        assert_eq!(m, CalibrationMethod::TemperatureTop);
    }

    #[test]
    fn temperature_top_never_lets_a_larger_score_lower_the_probability() {
        // The top class is right 50% of the time, less often the wider the
        // spread: the unconstrained slope would be negative. Under a >= 0
        // every row gets the confidence of the decisions overall.
        let n = 1200;
        let mut scores = Array2::<f64>::zeros((n, 3));
        let mut y = Vec::new();
        for i in 0..n {
            let top = i % 3;
            let wide = (i / 3) % 2 == 0;
            scores[[i, top]] = if wide { 3.0 } else { 0.1 };
            let right = if wide { (i / 6) % 10 < 3 } else { (i / 6) % 10 < 7 };
            y.push(if right { top } else { (top + 1) % 3 });
        }
        let cal = Calibration::fit_temperature_top(&scores, &y, "t".into());
        let Calibration::TemperatureTop { a, bonus, .. } = cal else { panic!() };
        assert_eq!(a, 0.0);
        let p = cal.apply(&scores, 3).unwrap();
        // P(top) = the share of right decisions, smoothed ((600 + 1) / (1200 + 2)).
        assert!((p[[0, 0]] - 0.5).abs() < 1e-3, "P(top) = share right: {}", p[[0, 0]]);
        assert!(bonus > 0.0 && cal.validate(3).is_ok());
    }

    #[test]
    fn choose_prefers_the_method_with_the_lower_cross_fitted_log_loss() {
        let (scores, y) = decision_only_scores(1200);
        let fold_of: Vec<usize> = (0..y.len()).map(|i| (i * 7) % 5).collect();
        let methods = [CalibrationMethod::Temperature, CalibrationMethod::TemperatureTop];
        let (best, losses) = Calibration::choose(&methods, &scores, &y, &fold_of, 3);
        assert_eq!(best, 1, "{losses:?}");
        assert!(losses.iter().all(|l| l.is_finite()) && losses[1] < losses[0]);
        // Ties go to the first listed.
        let (best, _) = Calibration::choose(&[CalibrationMethod::Temperature; 2], &scores, &y, &fold_of, 3);
        assert_eq!(best, 0);
    }

    /// 3 classes whose scores are on different scales (class 0's five
    /// times wider than class 1's): one shared slope cannot fit them all.
    fn scores_on_unequal_scales(n: usize) -> (Array2<f64>, Vec<usize>) {
        let scale = [5.0, 1.0, 0.2];
        let mut state: u64 = 12345;
        let mut noise = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 2.0
        };
        let mut scores = Array2::<f64>::zeros((n, 3));
        let mut y = Vec::with_capacity(n);
        for i in 0..n {
            let truth = i % 3;
            for c in 0..3 {
                let signal = if c == truth { 0.5 } else { -0.5 };
                scores[[i, c]] = scale[c] * (signal + 0.8 * noise());
            }
            y.push(truth);
        }
        (scores, y)
    }

    #[test]
    fn platt_per_class_fits_each_class_its_own_slope_and_wins_on_unequal_scales() {
        let (scores, y) = scores_on_unequal_scales(1500);
        let fold_of: Vec<usize> = (0..y.len()).map(|i| (i * 7) % 5).collect();
        let methods = [CalibrationMethod::Platt, CalibrationMethod::PlattPerClass];
        let (best, losses) = Calibration::choose(&methods, &scores, &y, &fold_of, 3);
        assert_eq!(best, 1, "{losses:?}");
        let cal = Calibration::fit_method(CalibrationMethod::PlattPerClass, &scores, &y, "t".into());
        let Calibration::Platt { a, .. } = &cal else { panic!("per-class Platt is stored as Platt: {cal:?}") };
        // Slopes inversely proportional to the scales (class 2's the steepest).
        assert!(a.len() == 3 && a[2] > a[1] && a[1] > a[0] && a[0] > 0.0, "{a:?}");
        assert!(cal.validate(3).is_ok());
        let p = cal.apply(&scores, 3).unwrap();
        assert!(p.outer_iter().all(|r| (r.sum() - 1.0).abs() < 1e-9));
    }

    /// A per-class Platt map's probabilities, computed by hand: each class's
    /// sigmoid σ(a_c s_c + b_c), divided by their sum. A softmax of
    /// a_c s_c + b_c (what `platt` fits, with a shared slope) also sums to 1
    /// but gives other numbers here, so this pins the normalisation itself.
    #[test]
    fn platt_per_class_apply_is_each_sigmoid_over_their_sum() {
        let cal = Calibration::Platt { a: vec![2.0, 0.5, -1.0], b: vec![-1.0, 0.3, 0.0], fitted_on: "t".into() };
        let scores = ndarray::arr2(&[[0.4, -1.2, 2.5], [3.0, 0.0, -0.7]]);
        let p = cal.apply(&scores, 3).unwrap();
        let sig = |z: f64| 1.0 / (1.0 + (-z).exp());
        // Row 0: z = (-0.2, -0.3, -2.5); row 1: z = (5.0, 0.3, 0.7).
        for (row, z) in [[-0.2, -0.3, -2.5], [5.0, 0.3, 0.7]].iter().enumerate() {
            let s: Vec<f64> = z.iter().map(|&v| sig(v)).collect();
            let total: f64 = s.iter().sum();
            for c in 0..3 {
                assert!(
                    (p[[row, c]] - s[c] / total).abs() < 1e-12,
                    "row {row} class {c}: {} vs {}",
                    p[[row, c]],
                    s[c] / total
                );
            }
            // Not a softmax of the same logits (the two differ by more than rounding here).
            let e: Vec<f64> = z.iter().map(|&v| v.exp()).collect();
            let softmax0 = e[0] / e.iter().sum::<f64>();
            assert!((p[[row, 0]] - softmax0).abs() > 1e-3);
        }
    }

    /// A k = 3 per-class Platt map goes through the model file's JSON and
    /// back unchanged, under the tag every Platt map has, and validates for
    /// 3 classes (and not for 4).
    #[test]
    fn platt_per_class_map_round_trips_through_json_and_validates() {
        let (scores, y) = scores_on_unequal_scales(300);
        let cal = Calibration::fit_method(CalibrationMethod::PlattPerClass, &scores, &y, "inner folds".into());
        let json = serde_json::to_string(&cal).unwrap();
        assert!(json.contains("\"method\":\"platt\""), "{json}");
        let back: Calibration = serde_json::from_str(&json).unwrap();
        assert_eq!(back, cal);
        assert!(back.validate(3).is_ok());
        assert!(back.validate(4).is_err(), "3 sigmoids cannot calibrate 4 classes");
        assert_eq!(back.apply(&scores, 3), cal.apply(&scores, 3));
        assert_eq!((back.method(), back.cli_name()), ("platt", "platt-per-class"));
        let shared = Calibration::fit_method(CalibrationMethod::Platt, &scores, &y, String::new());
        assert_eq!((shared.method(), shared.cli_name()), ("softmax", "platt"));
        // As written by hand in a model file.
        let text = r#"{"method": "platt", "a": [1.5, 0.25, 2.0], "b": [0.0, -0.5, 0.1], "fitted_on": "x"}"#;
        let read: Calibration = serde_json::from_str(text).unwrap();
        assert!(read.validate(3).is_ok());
        let Calibration::Platt { a, .. } = &read else { panic!("{read:?}") };
        assert_eq!(a, &vec![1.5, 0.25, 2.0]);
    }

    fn argmax(r: ndarray::ArrayView1<f64>) -> usize {
        (0..r.len()).fold(0, |b, c| if r[c] > r[b] { c } else { b })
    }
}
