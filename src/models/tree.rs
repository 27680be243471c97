//! Decision tree: linfa-trees' CART (Gini) fitted on a dense copy of the rows,
//! then copied into our own flat node list, which is what we serialise,
//! validate, predict with and explain with.
//!
//! * Only for narrow inputs: at most [`MAX_TREE_FEATURES`] columns (linfa-trees
//!   scans every feature over every row at each node).
//! * A row goes left when `x[feature] <= threshold` (the partition linfa-trees
//!   uses while training; its own `predict` uses `<`, which differs only for
//!   values exactly on a threshold).
//! * Every node stores the class distribution of the training rows that reach
//!   it, weighted by the sample weights (so `Balanced` shifts leaf
//!   probabilities too); probabilities are the leaf's distribution.
//! * `min_samples_leaf` is passed as linfa's `min_weight_leaf` (a weight, equal
//!   to a row count when rows are unweighted).
//! * Determinism caveat: linfa-trees 0.8.1 keeps class frequencies in a std
//!   `HashMap` (random iteration order per process). Its modal-class tie-breaking
//!   feeds its post-fit pruning, and with more than 2 classes impurity sums are
//!   added in that order, so on rare ties two runs can build different trees.

use linfa::traits::{Fit, PredictInplace};
use linfa::DatasetBase;
use linfa_trees::{DecisionTree, TreeNode as LinfaNode};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use super::{
    argmax_rows, check_finite, check_training, dataset_weights, n_classes_of, sort_contributions, ClassWeight,
    FitReport, ModelError, SparseDataset,
};
use crate::features::sparse::CsrMatrix;

/// Widest input the tree accepts.
pub const MAX_TREE_FEATURES: usize = 2000;

/// Checked decision-tree settings: what `fit` runs with and what a model
/// file stores. Made by [`TreeParams::check`](linfa::ParamGuard::check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeValidParams {
    /// Depth limit.
    pub max_depth: usize,
    /// Minimum (weighted) training rows in a leaf.
    pub min_samples_leaf: usize,
    pub class_weight: ClassWeight,
    /// Number of classes; `None` = max label + 1 (a fit-time setting, not stored).
    #[serde(skip)]
    pub n_classes: Option<usize>,
}

/// Unchecked decision-tree settings with defaults (depth 10, 2 rows per
/// leaf, no class weights) and builder methods.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeParams(TreeValidParams);

impl Default for TreeParams {
    fn default() -> Self {
        TreeParams(TreeValidParams {
            max_depth: 10,
            min_samples_leaf: 2,
            class_weight: ClassWeight::None,
            n_classes: None,
        })
    }
}

params_builder!(TreeParams, TreeValidParams { max_depth: usize, min_samples_leaf: usize, class_weight: ClassWeight });

impl TreeValidParams {
    fn validate(&self) -> Result<(), ModelError> {
        if self.max_depth == 0 {
            return Err(ModelError::Param("max_depth must be at least 1".into()));
        }
        Ok(())
    }
}

/// One node; node 0 is the root, children always have larger indices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Tested feature (internal nodes; 0 in leaves).
    pub feature: u32,
    /// Go left when `x[feature] <= threshold`.
    pub threshold: f64,
    /// `[left, right]` for internal nodes, `None` for leaves.
    pub children: Option<[u32; 2]>,
    /// P(class) among the (weighted) training rows reaching this node.
    pub distribution: Vec<f64>,
}

/// A fitted decision tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeModel {
    pub n_features: usize,
    pub n_classes: usize,
    pub nodes: Vec<Node>,
    pub report: FitReport,
    /// Calibration fitted on out-of-fold scores (see [`Calibration`](super::calibration::Calibration)).
    #[serde(default, skip_serializing_if = "super::calibration::Calibration::is_none")]
    pub calibration: super::calibration::Calibration,
}

fn value(idx: &[u32], val: &[f32], f: u32) -> f64 {
    idx.binary_search(&f).map_or(0.0, |p| val[p] as f64)
}

impl TreeModel {
    /// Node indices from the root to the leaf for row `i` of `x`.
    pub fn path(&self, x: &CsrMatrix, i: usize) -> Vec<usize> {
        let (idx, val) = x.row(i);
        let mut at = 0;
        let mut path = vec![0];
        while let Some([l, r]) = self.nodes[at].children {
            let n = &self.nodes[at];
            at = if value(idx, val, n.feature) <= n.threshold { l as usize } else { r as usize };
            path.push(at);
        }
        path
    }

    pub fn predict_proba(&self, x: &CsrMatrix) -> Array2<f64> {
        let mut out = Array2::zeros((x.n_rows(), self.n_classes));
        for i in 0..x.n_rows() {
            let leaf = *self.path(x, i).last().expect("non-empty path");
            for (c, &p) in self.nodes[leaf].distribution.iter().enumerate() {
                out[[i, c]] = p;
            }
        }
        out
    }

    /// Saabas-style: per tested feature, the summed change in P(class) along the path.
    pub fn contributions(&self, x: &CsrMatrix, row: usize, class: usize) -> Vec<(u32, f64)> {
        let path = self.path(x, row);
        let mut acc: Vec<(u32, f64)> = Vec::new();
        for w in path.windows(2) {
            let (parent, child) = (&self.nodes[w[0]], &self.nodes[w[1]]);
            let delta = child.distribution[class] - parent.distribution[class];
            match acc.iter_mut().find(|(f, _)| *f == parent.feature) {
                Some(e) => e.1 += delta,
                None => acc.push((parent.feature, delta)),
            }
        }
        sort_contributions(acc)
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.nodes.is_empty() {
            return Err("tree has no nodes".into());
        }
        let n = self.nodes.len();
        for (i, node) in self.nodes.iter().enumerate() {
            if node.distribution.len() != self.n_classes {
                return Err(format!(
                    "tree node {i} has {} class probabilities, expected {}",
                    node.distribution.len(),
                    self.n_classes
                ));
            }
            check_finite(&format!("tree node {i} distribution"), &node.distribution)?;
            if node.distribution.iter().any(|&p| !(0.0..=1.0).contains(&p)) {
                return Err(format!("tree node {i} has a probability outside [0, 1]"));
            }
            let sum: f64 = node.distribution.iter().sum();
            if (sum - 1.0).abs() > 1e-6 {
                return Err(format!("tree node {i} probabilities sum to {sum}, not 1"));
            }
            if let Some([l, r]) = node.children {
                for c in [l, r] {
                    if c as usize <= i || c as usize >= n {
                        return Err(format!("tree node {i} has child index {c} out of range ({}..{n})", i + 1));
                    }
                }
                if node.feature as usize >= self.n_features {
                    return Err(format!(
                        "tree node {i} tests feature {} but the model has {} features",
                        node.feature, self.n_features
                    ));
                }
                if !node.threshold.is_finite() {
                    return Err(format!("tree node {i} threshold is not finite"));
                }
            }
        }
        Ok(())
    }
}

impl PredictInplace<CsrMatrix, Array1<usize>> for TreeModel {
    fn predict_inplace(&self, x: &CsrMatrix, y: &mut Array1<usize>) {
        for (t, p) in y.iter_mut().zip(argmax_rows(&self.predict_proba(x))) {
            *t = p;
        }
    }

    fn default_target(&self, x: &CsrMatrix) -> Array1<usize> {
        Array1::zeros(x.n_rows())
    }
}

/// Copy linfa's boxed tree into a pre-order node list (distributions filled later).
fn flatten(node: &LinfaNode<f64, usize>, k: usize, out: &mut Vec<Node>) -> usize {
    let me = out.len();
    out.push(Node { feature: 0, threshold: 0.0, children: None, distribution: vec![0.0; k] });
    if !node.is_leaf() {
        let kids = node.children();
        if let (Some(l), Some(r)) = (kids[0].as_ref(), kids[1].as_ref()) {
            let (feature, threshold, _) = node.split();
            let li = flatten(l, k, out);
            let ri = flatten(r, k, out);
            out[me].feature = feature as u32;
            out[me].threshold = threshold;
            out[me].children = Some([li as u32, ri as u32]);
        }
    }
    me
}

impl Fit<CsrMatrix, Array1<usize>, ModelError> for TreeValidParams {
    type Object = TreeModel;

    fn fit(&self, ds: &SparseDataset) -> Result<TreeModel, ModelError> {
        let h = self;
        let x = ds.records();
        let y = ds.targets().as_slice().expect("contiguous labels");
        let k = self.n_classes.unwrap_or_else(|| n_classes_of(ds.targets()));
        check_training(x, y, k)?;
        if x.n_cols > MAX_TREE_FEATURES {
            return Err(ModelError::Data(format!(
                "the tree accepts at most {MAX_TREE_FEATURES} feature columns, got {} (select fewer features)",
                x.n_cols
            )));
        }
        let w = dataset_weights(ds);
        let mut dense = DatasetBase::new(x.to_dense(), ds.targets().clone());
        if let Some(wt) = ds.weights() {
            dense = dense.with_weights(Array1::from(wt.to_vec()));
        }
        let fitted: DecisionTree<f64, usize> = DecisionTree::params()
            .max_depth(Some(h.max_depth))
            .min_weight_leaf(h.min_samples_leaf.max(1) as f32)
            .fit(&dense)?;
        let mut nodes = Vec::new();
        flatten(fitted.root_node(), k, &mut nodes);
        let mut model = TreeModel {
            n_features: x.n_cols,
            n_classes: k,
            nodes,
            report: FitReport::default(),
            calibration: Default::default(),
        };
        // Weighted class counts of the training rows reaching each node.
        let mut counts = vec![vec![0.0f64; k]; model.nodes.len()];
        for (i, &c) in y.iter().enumerate() {
            for n in model.path(x, i) {
                counts[n][c] += w[i];
            }
        }
        let mut empty = 0;
        for (node, cnt) in model.nodes.iter_mut().zip(&counts) {
            let total: f64 = cnt.iter().sum();
            if total > 0.0 {
                node.distribution = cnt.iter().map(|v| v / total).collect();
            } else {
                empty += 1;
                node.distribution = vec![1.0 / k as f64; k];
            }
        }
        // Parents come before children, so fix empty nodes top-down from their parent.
        if empty > 0 {
            for n in 0..model.nodes.len() {
                if let Some([l, r]) = model.nodes[n].children {
                    for c in [l as usize, r as usize] {
                        if counts[c].iter().sum::<f64>() <= 0.0 {
                            model.nodes[c].distribution = model.nodes[n].distribution.clone();
                        }
                    }
                }
            }
        }
        model.report = FitReport { converged: true, iterations: 1, warnings: Vec::new() };
        model.validate().map_err(ModelError::Solver)?;
        Ok(model)
    }
}
