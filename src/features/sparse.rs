//! A compressed sparse row (CSR) matrix of `f32` features.
//!
//! Hand-written because linfa 0.8.1 estimators accept no sparse input
//! (`sprs::CsMat` does not implement linfa's `Records`), and a dense
//! document-term matrix made linfa-logistic ~40x slower than a sparse
//! objective with the same L-BFGS solver (../shared/notes/rust-stack.md §0).
//! It implements linfa's `Records` so our estimators use linfa's `Fit` /
//! `Predict` traits and `DatasetBase`.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CsrMatrix {
    pub n_cols: usize,
    /// Row `i` is `indices[indptr[i]..indptr[i+1]]` / `values[...]`.
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

impl CsrMatrix {
    pub fn new(n_cols: usize) -> Self {
        CsrMatrix { n_cols, indptr: vec![0], indices: Vec::new(), values: Vec::new() }
    }

    /// Append a row given as (column, value) pairs; columns are sorted here.
    pub fn push_row(&mut self, mut entries: Vec<(u32, f32)>) {
        entries.sort_unstable_by_key(|e| e.0);
        debug_assert!(entries.iter().all(|e| (e.0 as usize) < self.n_cols));
        self.indices.extend(entries.iter().map(|e| e.0));
        self.values.extend(entries.iter().map(|e| e.1));
        self.indptr.push(self.indices.len());
    }

    pub fn n_rows(&self) -> usize {
        self.indptr.len() - 1
    }

    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.indices[a..b], &self.values[a..b])
    }

    /// Dot product of row `i` with a dense weight vector.
    pub fn dot_row(&self, i: usize, w: &[f64]) -> f64 {
        let (idx, val) = self.row(i);
        idx.iter().zip(val).map(|(&c, &v)| w[c as usize] * v as f64).sum()
    }

    /// A new matrix with the given rows, in the given order.
    pub fn select_rows(&self, rows: &[usize]) -> CsrMatrix {
        let mut m = CsrMatrix::new(self.n_cols);
        for &r in rows {
            let (idx, val) = self.row(r);
            m.indices.extend_from_slice(idx);
            m.values.extend_from_slice(val);
            m.indptr.push(m.indices.len());
        }
        m
    }

    /// Dense copy (for estimators that need one, on few columns only).
    pub fn to_dense(&self) -> Array2<f64> {
        let mut d = Array2::zeros((self.n_rows(), self.n_cols));
        for i in 0..self.n_rows() {
            let (idx, val) = self.row(i);
            for (&c, &v) in idx.iter().zip(val) {
                d[[i, c as usize]] = v as f64;
            }
        }
        d
    }
}

impl linfa::dataset::Records for CsrMatrix {
    type Elem = f32;

    fn nsamples(&self) -> usize {
        self.n_rows()
    }

    fn nfeatures(&self) -> usize {
        self.n_cols
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_select_and_dense() {
        let mut m = CsrMatrix::new(3);
        m.push_row(vec![(2, 1.0), (0, 2.0)]);
        m.push_row(vec![]);
        m.push_row(vec![(1, 3.0)]);
        assert_eq!(m.n_rows(), 3);
        assert_eq!(m.row(0), (&[0u32, 2][..], &[2.0f32, 1.0][..]));
        assert_eq!(m.dot_row(0, &[1.0, 10.0, 100.0]), 102.0);
        let s = m.select_rows(&[2, 0]);
        assert_eq!(s.row(0).0, &[1]);
        assert_eq!(m.to_dense()[[0, 2]], 1.0);
    }
}
