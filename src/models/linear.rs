//! The linear structure shared by [`LogisticModel`](super::LogisticModel) and
//! [`SvmModel`](super::SvmModel): `n_features`, `n_classes`, a row-major `coef`
//! of `r x n_features` (`r = 1` for binary, the class-1 direction; else one row
//! per class) and `r` intercepts. Binary models expose class 0 as the negation
//! of class 1 (weights `[-w, w]`, intercepts `[-b, b]`, scores `[-z, z]`).
//!
//! The models keep these as their own (serialised) fields and lend them as a
//! [`Linear`] view through [`LinearModel::linear`], so the saved JSON layout
//! does not depend on this module.

use ndarray::Array2;

use super::{check_finite, check_len, softmax_inplace, sort_contributions};
use crate::features::sparse::CsrMatrix;

/// A model whose class scores are linear in the features ([`Linear`]).
pub trait LinearModel {
    /// Borrow the weights and intercepts.
    fn linear(&self) -> Linear<'_>;

    /// Class `c`'s weight for feature `f` (binary class 0: `-w`); `None` past `n_features`.
    fn weight(&self, c: usize, f: usize) -> Option<f64> {
        self.linear().weight(c, f)
    }

    /// Class `c`'s intercept (binary class 0: `-b`).
    fn class_intercept(&self, c: usize) -> f64 {
        self.linear().class_intercept(c)
    }

    /// `n_classes x n_features` (binary: row 0 = -w, row 1 = w).
    fn class_weights(&self) -> Array2<f64> {
        self.linear().class_weights()
    }

    /// Scores per class, `coef · x + intercept` (binary: `[-z, z]`).
    fn decision_scores(&self, x: &CsrMatrix) -> Array2<f64> {
        self.linear().decision_scores(x)
    }

    /// `weight(class, f) * x_f` over the non-zeros of row `row` (features ≥
    /// `n_features` skipped, zero products dropped), sorted by |contribution| descending,
    /// ties by feature index.
    fn contributions(&self, x: &CsrMatrix, row: usize, class: usize) -> Vec<(u32, f64)> {
        self.linear().contributions(x, row, class)
    }
}

/// Number of weight rows for `n_classes` classes: 1 for binary, else `n_classes`.
pub(crate) fn n_weight_rows(n_classes: usize) -> usize {
    if n_classes == 2 {
        1
    } else {
        n_classes
    }
}

/// Borrowed view of a linear model's parameters.
#[derive(Debug, Clone, Copy)]
pub struct Linear<'a> {
    pub n_features: usize,
    pub n_classes: usize,
    /// Row-major `r x n_features`, `r = n_weight_rows(n_classes)`.
    pub coef: &'a [f64],
    /// Length `r`.
    pub intercept: &'a [f64],
}

impl Linear<'_> {
    fn binary(&self) -> bool {
        self.n_classes == 2
    }

    /// Class `c`'s weight for feature `f` (binary class 0: `-w`); `None` past `n_features`.
    pub fn weight(&self, c: usize, f: usize) -> Option<f64> {
        if f >= self.n_features {
            return None;
        }
        Some(if self.binary() {
            let w = self.coef[f];
            if c == 1 {
                w
            } else {
                -w
            }
        } else {
            self.coef[c * self.n_features + f]
        })
    }

    /// Class `c`'s intercept (binary class 0: `-b`).
    pub fn class_intercept(&self, c: usize) -> f64 {
        if self.binary() {
            if c == 1 {
                self.intercept[0]
            } else {
                -self.intercept[0]
            }
        } else {
            self.intercept[c]
        }
    }

    /// `n_classes x n_features` (binary: row 0 = -w, row 1 = w).
    pub fn class_weights(&self) -> Array2<f64> {
        Array2::from_shape_fn((self.n_classes, self.n_features), |(c, f)| self.weight(c, f).unwrap_or(0.0))
    }

    /// The `r` raw scores `coef · x_i + intercept` of row `i` (columns ≥ `n_features` ignored).
    fn raw_scores(&self, x: &CsrMatrix, i: usize, out: &mut [f64]) {
        let d = self.n_features;
        let (idx, val) = x.row(i);
        out.copy_from_slice(self.intercept);
        if let [o] = out {
            // Binary: one weight row, read without the row loop (the same
            // products summed in the same order).
            let w = &self.coef[..d];
            for (&f, &v) in idx.iter().zip(val) {
                if let Some(c) = w.get(f as usize) {
                    *o += c * v as f64;
                }
            }
            return;
        }
        for (&f, &v) in idx.iter().zip(val) {
            let f = f as usize;
            if f < d {
                for (r, o) in out.iter_mut().enumerate() {
                    *o += self.coef[r * d + f] * v as f64;
                }
            }
        }
    }

    /// `n_rows x n_classes`: for each row of `x`, `fill(raw, out_row)` with the
    /// row's `r` raw scores (scratch, may be overwritten) and its output row.
    fn map_rows(&self, x: &CsrMatrix, mut fill: impl FnMut(&mut [f64], &mut [f64])) -> Array2<f64> {
        let mut out = Array2::zeros((x.n_rows(), self.n_classes));
        let mut buf = vec![0.0; n_weight_rows(self.n_classes)];
        for (i, mut row) in out.outer_iter_mut().enumerate() {
            self.raw_scores(x, i, &mut buf);
            fill(&mut buf, row.as_slice_mut().expect("row-major output"));
        }
        out
    }

    /// See [`LinearModel::contributions`].
    pub fn contributions(&self, x: &CsrMatrix, row: usize, class: usize) -> Vec<(u32, f64)> {
        let (idx, val) = x.row(row);
        let v = idx
            .iter()
            .zip(val)
            .filter_map(|(&f, &v)| self.weight(class, f as usize).map(|wf| (f, wf * v as f64)))
            .filter(|&(_, c)| c != 0.0)
            .collect();
        sort_contributions(v)
    }

    /// Scores per class (binary: `[-z, z]`).
    pub fn decision_scores(&self, x: &CsrMatrix) -> Array2<f64> {
        let binary = self.binary();
        self.map_rows(x, |z, out| {
            if binary {
                out[0] = -z[0];
                out[1] = z[0];
            } else {
                out.copy_from_slice(z);
            }
        })
    }

    /// Class probabilities from the raw scores: binary `[1 - p, p]` with
    /// `p = p1(z)`; k > 2: softmax over classes of `log_score(c, z_c)`.
    pub fn probabilities(
        &self,
        x: &CsrMatrix,
        p1: impl Fn(f64) -> f64,
        log_score: impl Fn(usize, f64) -> f64,
    ) -> Array2<f64> {
        let binary = self.binary();
        self.map_rows(x, |z, out| {
            if binary {
                let p = p1(z[0]);
                out[1] = p;
                out[0] = 1.0 - p;
            } else {
                for (c, v) in z.iter_mut().enumerate() {
                    *v = log_score(c, *v);
                }
                softmax_inplace(z);
                out.copy_from_slice(z);
            }
        })
    }

    /// Shapes, then finiteness, of `coef`, `intercept` and the per-row `extra`
    /// vectors (each of length `r`); messages are prefixed with `what`.
    pub fn validate(&self, what: &str, extra: &[(&str, &[f64])]) -> Result<(), String> {
        let r = n_weight_rows(self.n_classes);
        let rows = [("intercept", self.intercept)].into_iter().chain(extra.iter().copied());
        check_len(&format!("{what} coef"), self.coef.len(), r * self.n_features)?;
        for (name, v) in rows.clone() {
            check_len(&format!("{what} {name}"), v.len(), r)?;
        }
        check_finite(&format!("{what} coef"), self.coef)?;
        for (name, v) in rows {
            check_finite(&format!("{what} {name}"), v)?;
        }
        Ok(())
    }
}
