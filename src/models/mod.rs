//! Classifiers over sparse feature rows ([`CsrMatrix`]).
//!
//! Four algorithms behind one [`Estimator`] enum, each also usable through
//! linfa's `Fit` / `PredictInplace` traits on a `DatasetBase<CsrMatrix, Array1<usize>>`
//! (sample weights via `Dataset::with_weights`):
//!
//! * [`logistic`]: L2-regularised logistic regression (binary: one weight
//!   vector; k > 2: multinomial softmax), argmin L-BFGS + More-Thuente over
//!   the sparse rows.
//! * [`naive_bayes`]: multinomial naive Bayes with additive smoothing,
//!   probabilities by log-sum-exp (linfa-bayes 0.8.1 overflows, see
//!   ../shared/notes/rust-stack.md §5.4).
//! * [`svm`]: linear SVM (squared hinge, primal Newton stopped by the dual gap, one-vs-rest),
//!   probabilities by Platt scaling (on the *training* decision values unless
//!   a [`Calibration`] fitted on out-of-fold scores is set).
//! * [`calibration`]: Platt scaling of any model's scores, fitted on
//!   out-of-fold predictions and stored with the model.
//! * [`linear`]: the parameters, scores, class weights, intercepts,
//!   contributions and validation that logistic and SVM share ([`LinearModel`]).
//! * [`tree`]: linfa-trees CART on a dense copy (≤ [`tree::MAX_TREE_FEATURES`]
//!   columns), stored as our own node list; probabilities are the (weighted)
//!   class distribution of the training rows in the leaf.
//!
//! Conventions shared by all models:
//! * classes are indices `0..n_classes`; probability column `c` is P(class c);
//! * [`Estimator::decision_scores`] gives one score per class such that
//!   `intercept(c) + Σ contributions(row, c) == score(row, c)`;
//! * everything is deterministic: fixed reduction order, seeded ChaCha RNG
//!   (the tree inherits linfa-trees' `HashMap`-order tie-breaking, see [`tree`]).

use crate::bail;
use crate::error::Context;
use linfa::traits::Fit;
use linfa::DatasetBase;
use linfa::ParamGuard;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use crate::features::sparse::CsrMatrix;

pub use crate::error::ModelError;
pub use calibration::{Calibration, CalibrationMethod};
pub use linear::LinearModel;
pub use logistic::{LogisticModel, LogisticParams, LogisticValidParams};
pub use naive_bayes::{NaiveBayesModel, NaiveBayesParams, NaiveBayesValidParams};
pub use one_vs_rest::OneVsRestModel;
pub use svm::{SvmModel, SvmParams, SvmValidParams};
pub use tree::{TreeModel, TreeParams, TreeValidParams};

/// Which classifier to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    Logistic,
    NaiveBayes,
    LinearSvm,
    Tree,
}

/// Per-class sample weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassWeight {
    /// Every row weighs 1.
    None,
    /// Row of class c weighs `n / (k * count_c)` (sklearn's "balanced").
    Balanced,
}

crate::choices!(Algorithm {
    "logistic" => Algorithm::Logistic, "L2-regularised logistic regression (L-BFGS)";
    "naive-bayes" => Algorithm::NaiveBayes, "multinomial naive Bayes";
    "linear-svm" => Algorithm::LinearSvm, "linear SVM (squared hinge), Platt-scaled probabilities";
    "tree" => Algorithm::Tree, "CART decision tree (linfa-trees)";
});

crate::choices!(ClassWeight {
    "none" => ClassWeight::None, "every row weighs 1";
    "balanced" => ClassWeight::Balanced, "rows weighted inversely to their class frequency";
});

/// The parameters of one algorithm, as a model file stores them (tagged by
/// `algorithm`). Each variant holds checked parameters; deserialising
/// checks them again, so a hand-edited file cannot carry invalid ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "algorithm", rename_all = "snake_case", try_from = "UncheckedParams")]
pub enum Params {
    Logistic(LogisticValidParams),
    NaiveBayes(NaiveBayesValidParams),
    LinearSvm(SvmValidParams),
    Tree(TreeValidParams),
}

/// [`Params`] as read from a file, before checking.
#[derive(Deserialize)]
#[serde(tag = "algorithm", rename_all = "snake_case")]
enum UncheckedParams {
    Logistic(LogisticValidParams),
    NaiveBayes(NaiveBayesValidParams),
    LinearSvm(SvmValidParams),
    Tree(TreeValidParams),
}

impl TryFrom<UncheckedParams> for Params {
    type Error = ModelError;

    fn try_from(p: UncheckedParams) -> Result<Self, ModelError> {
        Ok(match p {
            UncheckedParams::Logistic(p) => Params::Logistic(LogisticParams::from(p).check()?),
            UncheckedParams::NaiveBayes(p) => Params::NaiveBayes(NaiveBayesParams::from(p).check()?),
            UncheckedParams::LinearSvm(p) => Params::LinearSvm(SvmParams::from(p).check()?),
            UncheckedParams::Tree(p) => Params::Tree(TreeParams::from(p).check()?),
        })
    }
}

impl Params {
    /// The defaults of `algo`, checked.
    pub fn default_for(algo: Algorithm) -> Self {
        match algo {
            Algorithm::Logistic => Params::Logistic(LogisticParams::default().check().expect("defaults are valid")),
            Algorithm::NaiveBayes => {
                Params::NaiveBayes(NaiveBayesParams::default().check().expect("defaults are valid"))
            }
            Algorithm::LinearSvm => Params::LinearSvm(SvmParams::default().check().expect("defaults are valid")),
            Algorithm::Tree => Params::Tree(TreeParams::default().check().expect("defaults are valid")),
        }
    }

    pub fn algorithm(&self) -> Algorithm {
        match self {
            Params::Logistic(_) => Algorithm::Logistic,
            Params::NaiveBayes(_) => Algorithm::NaiveBayes,
            Params::LinearSvm(_) => Algorithm::LinearSvm,
            Params::Tree(_) => Algorithm::Tree,
        }
    }

    pub fn class_weight(&self) -> ClassWeight {
        match self {
            Params::Logistic(p) => p.class_weight,
            Params::NaiveBayes(p) => p.class_weight,
            Params::LinearSvm(p) => p.class_weight,
            Params::Tree(p) => p.class_weight,
        }
    }

    /// The settings as `name=value` pairs, for model cards and messages.
    pub fn describe(&self) -> String {
        match self {
            Params::Logistic(p) => {
                format!("C={} max_iter={} tol={} class_weight={}", p.c, p.max_iter, p.tol, p.class_weight)
            }
            Params::NaiveBayes(p) => format!("alpha={} class_weight={}", p.alpha, p.class_weight),
            Params::LinearSvm(p) => format!(
                "C={} max_iter={} tol={} class_weight={} seed={}",
                p.c, p.max_iter, p.tol, p.class_weight, p.seed
            ),
            Params::Tree(p) => format!(
                "max_depth={} min_samples_leaf={} class_weight={}",
                p.max_depth, p.min_samples_leaf, p.class_weight
            ),
        }
    }
}

/// Implements the linfa parameter pattern for `$params(pub(crate) $valid)`:
/// `new()` (the defaults), one builder method per listed field plus
/// `n_classes`, `From<$valid>`, and [`linfa::ParamGuard`] through
/// `$valid::validate`, so `$params` fits through linfa's `Fit` after checking.
macro_rules! params_builder {
    ($params:ident, $valid:ident { $($field:ident : $ty:ty),* }) => {
        impl $params {
            pub fn new() -> Self {
                Self::default()
            }
            $(
                pub fn $field(mut self, value: $ty) -> Self {
                    self.0.$field = value;
                    self
                }
            )*
            /// Number of classes (default: max label + 1).
            pub fn n_classes(mut self, k: usize) -> Self {
                self.0.n_classes = Some(k);
                self
            }
        }

        impl From<$valid> for $params {
            fn from(p: $valid) -> Self {
                $params(p)
            }
        }

        impl linfa::ParamGuard for $params {
            type Checked = $valid;
            type Error = ModelError;

            fn check_ref(&self) -> Result<&$valid, ModelError> {
                self.0.validate()?;
                Ok(&self.0)
            }

            fn check(self) -> Result<$valid, ModelError> {
                self.0.validate()?;
                Ok(self.0)
            }
        }
    };
}

pub mod artifact;
pub mod body;
pub mod calibration;
pub mod linear;
pub mod logistic;
pub mod naive_bayes;
pub mod one_vs_rest;
pub mod svm;
pub mod tree;

pub(crate) fn check_c(c: f64) -> Result<(), ModelError> {
    if c > 0.0 && c.is_finite() {
        Ok(())
    } else {
        Err(ModelError::Param(format!("C must be positive and finite, got {c}")))
    }
}

pub(crate) fn check_tol(tol: f64) -> Result<(), ModelError> {
    if tol >= 0.0 && tol.is_finite() {
        Ok(())
    } else {
        Err(ModelError::Param(format!("tol must be >= 0, got {tol}")))
    }
}

pub(crate) fn check_iterations(n: usize) -> Result<(), ModelError> {
    if n > 0 {
        Ok(())
    } else {
        Err(ModelError::Param("max_iter must be at least 1".into()))
    }
}

/// What happened during a fit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FitReport {
    pub converged: bool,
    pub iterations: usize,
    pub warnings: Vec<String>,
}

/// A fitted classifier of any algorithm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "algorithm", rename_all = "snake_case")]
pub enum Estimator {
    Logistic(LogisticModel),
    NaiveBayes(NaiveBayesModel),
    LinearSvm(SvmModel),
    Tree(TreeModel),
    /// Multi-label: one binary model of one algorithm per label.
    OneVsRest(OneVsRestModel),
}

/// A training set for the linfa traits: sparse rows, class indices, optional weights.
pub type SparseDataset = DatasetBase<CsrMatrix, Array1<usize>>;

/// Sample weights for `y` under `cw` (`None` when every row weighs 1).
pub fn sample_weights(cw: ClassWeight, y: &[usize], n_classes: usize) -> Option<Vec<f64>> {
    match cw {
        ClassWeight::None => None,
        ClassWeight::Balanced => {
            let mut counts = vec![0usize; n_classes];
            for &c in y {
                counts[c] += 1;
            }
            let n = y.len() as f64;
            let per_class: Vec<f64> =
                counts.iter().map(|&m| if m == 0 { 0.0 } else { n / (n_classes as f64 * m as f64) }).collect();
            Some(y.iter().map(|&c| per_class[c]).collect())
        }
    }
}

/// Validate the shared inputs of every fit.
pub(crate) fn check_training(x: &CsrMatrix, y: &[usize], n_classes: usize) -> Result<(), ModelError> {
    if x.n_rows() != y.len() {
        return Err(ModelError::Data(format!("{} rows but {} labels", x.n_rows(), y.len())));
    }
    if x.n_rows() == 0 {
        return Err(ModelError::Data("no training rows".into()));
    }
    if n_classes < 2 {
        return Err(ModelError::Data(format!("need at least 2 classes, got {n_classes}")));
    }
    if let Some(&bad) = y.iter().find(|&&c| c >= n_classes) {
        return Err(ModelError::Data(format!("label {bad} out of range for {n_classes} classes")));
    }
    if x.values.iter().any(|v| !v.is_finite()) {
        return Err(ModelError::Data("feature matrix contains a non-finite value".into()));
    }
    if x.indices.iter().any(|&c| c as usize >= x.n_cols) {
        return Err(ModelError::Data("feature matrix has a column index out of range".into()));
    }
    Ok(())
}

/// Sample weights of a linfa dataset as f64 (1.0 when none were set).
pub(crate) fn dataset_weights(ds: &SparseDataset) -> Vec<f64> {
    (0..ds.targets().len()).map(|i| ds.weight_for(i) as f64).collect()
}

/// Number of classes implied by the labels (max + 1).
pub(crate) fn n_classes_of(y: &Array1<usize>) -> usize {
    y.iter().copied().max().map_or(0, |m| m + 1)
}

/// Softmax of `scores` in place (stable: subtract the max).
pub(crate) fn softmax_inplace(scores: &mut [f64]) {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        let k = scores.len() as f64;
        scores.iter_mut().for_each(|s| *s = 1.0 / k);
        return;
    }
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    scores.iter_mut().for_each(|s| *s /= sum);
}

/// Numerically stable logistic sigmoid.
pub(crate) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Sort (feature, contribution) pairs by |contribution| descending, ties by feature index.
pub(crate) fn sort_contributions(mut v: Vec<(u32, f64)>) -> Vec<(u32, f64)> {
    v.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    v
}

/// Argmax of each row, ties to the lowest index.
pub fn argmax_rows(p: &Array2<f64>) -> Vec<usize> {
    p.outer_iter()
        .map(|row| {
            let mut best = 0;
            for (j, &v) in row.iter().enumerate() {
                if v > row[best] {
                    best = j;
                }
            }
            best
        })
        .collect()
}

/// `Err` unless every value is finite.
pub(crate) fn check_finite(what: &str, v: &[f64]) -> Result<(), String> {
    match v.iter().position(|x| !x.is_finite()) {
        Some(i) => Err(format!("{what}[{i}] is not finite")),
        None => Ok(()),
    }
}

/// `Err` unless `v.len() == expected`.
pub(crate) fn check_len(what: &str, v: usize, expected: usize) -> Result<(), String> {
    if v == expected {
        Ok(())
    } else {
        Err(format!("{what} has length {v}, expected {expected}"))
    }
}

impl Estimator {
    /// Train `algo` on rows `x` with class indices `y` (`0..n_classes`, each
    /// class present, `n_classes >= 2`). Goes through linfa's `Fit` on a
    /// `DatasetBase<CsrMatrix, Array1<usize>>` carrying the class weights.
    pub fn fit(
        params: &Params,
        x: &CsrMatrix,
        y: &[usize],
        n_classes: usize,
    ) -> crate::error::Result<(Estimator, FitReport)> {
        check_training(x, y, n_classes)?;
        let mut present = vec![false; n_classes];
        y.iter().for_each(|&c| present[c] = true);
        if let Some(missing) = present.iter().position(|&p| !p) {
            bail!("class {missing} has no training row (every class in 0..{n_classes} needs one)");
        }
        let mut ds = DatasetBase::new(x.clone(), Array1::from(y.to_vec()));
        if let Some(w) = sample_weights(params.class_weight(), y, n_classes) {
            ds = ds.with_weights(w.iter().map(|&v| v as f32).collect());
        }
        let ctx = || format!("fitting {}", params.algorithm());
        Ok(match params {
            Params::Logistic(p) => {
                let m = LogisticValidParams { n_classes: Some(n_classes), ..p.clone() }.fit(&ds).with_context(ctx)?;
                let r = m.report.clone();
                (Estimator::Logistic(m), r)
            }
            Params::NaiveBayes(p) => {
                let m = NaiveBayesValidParams { n_classes: Some(n_classes), ..p.clone() }.fit(&ds).with_context(ctx)?;
                let r = m.report.clone();
                (Estimator::NaiveBayes(m), r)
            }
            Params::LinearSvm(p) => {
                let m = SvmValidParams { n_classes: Some(n_classes), ..p.clone() }.fit(&ds).with_context(ctx)?;
                let r = m.report.clone();
                (Estimator::LinearSvm(m), r)
            }
            Params::Tree(p) => {
                let m = TreeValidParams { n_classes: Some(n_classes), ..p.clone() }.fit(&ds).with_context(ctx)?;
                let r = m.report.clone();
                (Estimator::Tree(m), r)
            }
        })
    }

    /// Which algorithm this is.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            Estimator::Logistic(_) => Algorithm::Logistic,
            Estimator::NaiveBayes(_) => Algorithm::NaiveBayes,
            Estimator::LinearSvm(_) => Algorithm::LinearSvm,
            Estimator::Tree(_) => Algorithm::Tree,
            Estimator::OneVsRest(m) => m.models[0].algorithm(),
        }
    }

    /// The report of the fit that produced this model.
    pub fn report(&self) -> &FitReport {
        match self {
            Estimator::Logistic(m) => &m.report,
            Estimator::NaiveBayes(m) => &m.report,
            Estimator::LinearSvm(m) => &m.report,
            Estimator::Tree(m) => &m.report,
            Estimator::OneVsRest(m) => &m.report,
        }
    }

    /// `n_rows x n_classes`; column c = P(class c); rows finite, in [0,1], summing to 1.
    /// Columns of `x` beyond `n_features()` are ignored (treated as absent).
    /// Calibrated when the model carries a [`Calibration`], else [`raw_proba`](Self::raw_proba).
    pub fn predict_proba(&self, x: &CsrMatrix) -> Array2<f64> {
        if let Estimator::OneVsRest(m) = self {
            return m.predict_proba(x);
        }
        match self.calibration() {
            Calibration::None => self.raw_proba(x),
            cal => cal
                .apply(&self.calibration_scores(x), self.n_classes())
                .expect("a calibration other than None maps scores"),
        }
    }

    /// The calibration applied by [`predict_proba`](Self::predict_proba).
    pub fn calibration(&self) -> &Calibration {
        match self {
            Estimator::Logistic(m) => &m.calibration,
            Estimator::NaiveBayes(m) => &m.calibration,
            Estimator::LinearSvm(m) => &m.calibration,
            Estimator::Tree(m) => &m.calibration,
            Estimator::OneVsRest(_) => &one_vs_rest::NO_CALIBRATION,
        }
    }

    /// Replace the calibration (fitted on out-of-fold [`calibration_scores`](Self::calibration_scores)).
    /// A one-vs-rest model has none of its own (each label's model carries
    /// one), so this leaves it unchanged.
    pub fn set_calibration(&mut self, cal: Calibration) {
        match self {
            Estimator::Logistic(m) => m.calibration = cal,
            Estimator::NaiveBayes(m) => m.calibration = cal,
            Estimator::LinearSvm(m) => m.calibration = cal,
            Estimator::Tree(m) => m.calibration = cal,
            Estimator::OneVsRest(_) => {}
        }
    }

    /// The scores a [`Calibration`] maps to probabilities, `n_rows x r`
    /// (binary: r = 1, the class-1 score minus the class-0 score; else one
    /// column per class): the linear SVM's decision values; for the other
    /// algorithms the log of their own (uncalibrated) probabilities, clamped
    /// to at least [`calibration::MIN_PROBABILITY`].
    pub fn calibration_scores(&self, x: &CsrMatrix) -> Array2<f64> {
        let s = match self {
            Estimator::OneVsRest(m) => return m.calibration_scores(x),
            Estimator::LinearSvm(m) => m.decision_scores(x),
            _ => self.raw_proba(x).mapv(|p| p.max(calibration::MIN_PROBABILITY).ln()),
        };
        if self.n_classes() == 2 {
            Array2::from_shape_fn((s.nrows(), 1), |(i, _)| s[[i, 1]] - s[[i, 0]])
        } else {
            s
        }
    }

    /// The algorithm's own probabilities, without the calibration.
    pub fn raw_proba(&self, x: &CsrMatrix) -> Array2<f64> {
        match self {
            Estimator::Logistic(m) => m.predict_proba(x),
            Estimator::NaiveBayes(m) => m.predict_proba(x),
            Estimator::LinearSvm(m) => m.predict_proba(x),
            Estimator::Tree(m) => m.predict_proba(x),
            Estimator::OneVsRest(m) => m.raw_proba(x),
        }
    }

    /// Argmax of [`predict_proba`](Self::predict_proba), ties to the lowest class index.
    pub fn predict(&self, x: &CsrMatrix) -> Vec<usize> {
        argmax_rows(&self.predict_proba(x))
    }

    /// Per-class scores, `n_rows x n_classes`, with
    /// `score[r][c] == intercept(c) + Σ contributions(x, r, c)` (up to rounding):
    /// logistic: logits (binary: `[-z, z]`, so `P(c) = sigmoid(score_c)`);
    /// naive Bayes: joint log-likelihood `log P(c) + Σ_f x_f log P(f|c)`;
    /// SVM: decision values before Platt scaling (binary: `[-f, f]`);
    /// tree: the leaf probabilities.
    pub fn decision_scores(&self, x: &CsrMatrix) -> Array2<f64> {
        match self {
            Estimator::Logistic(m) => m.decision_scores(x),
            Estimator::NaiveBayes(m) => m.joint_log_likelihood(x),
            Estimator::LinearSvm(m) => m.decision_scores(x),
            Estimator::Tree(m) => m.predict_proba(x),
            Estimator::OneVsRest(m) => m.decision_scores(x),
        }
    }

    /// The part of class `class`'s score that does not depend on the row:
    /// logistic/SVM intercept (binary class 0: its negation), naive Bayes log
    /// prior, tree: the root's P(class).
    pub fn intercept(&self, class: usize) -> f64 {
        match self {
            Estimator::Logistic(m) => m.class_intercept(class),
            Estimator::NaiveBayes(m) => m.class_log_prior[class],
            Estimator::LinearSvm(m) => m.class_intercept(class),
            Estimator::Tree(m) => m.nodes[0].distribution[class],
            Estimator::OneVsRest(m) => m.models[class].intercept(1),
        }
    }

    pub fn n_features(&self) -> usize {
        match self {
            Estimator::Logistic(m) => m.n_features,
            Estimator::NaiveBayes(m) => m.n_features,
            Estimator::LinearSvm(m) => m.n_features,
            Estimator::Tree(m) => m.n_features,
            Estimator::OneVsRest(m) => m.n_features(),
        }
    }

    pub fn n_classes(&self) -> usize {
        match self {
            Estimator::Logistic(m) => m.n_classes,
            Estimator::NaiveBayes(m) => m.n_classes,
            Estimator::LinearSvm(m) => m.n_classes,
            Estimator::Tree(m) => m.n_classes,
            Estimator::OneVsRest(m) => m.models.len(),
        }
    }

    /// Check a deserialised model: shapes agree with `n_features` / `n_classes`,
    /// all parameters finite, tree node indices in range (and acyclic).
    pub fn validate(&self) -> Result<(), String> {
        if self.n_classes() < 2 {
            return Err(format!("n_classes is {}, need at least 2", self.n_classes()));
        }
        self.calibration().validate(self.n_classes())?;
        match self {
            Estimator::Logistic(m) => m.validate(),
            Estimator::NaiveBayes(m) => m.validate(),
            Estimator::LinearSvm(m) => m.validate(),
            Estimator::Tree(m) => m.validate(),
            Estimator::OneVsRest(m) => m.validate(),
        }
    }

    /// `n_classes x n_features` weights: row c dotted with x plus [`intercept`](Self::intercept)(c)
    /// is class c's [`decision_scores`](Self::decision_scores) entry.
    /// Logistic/SVM binary: row 1 = w, row 0 = -w. Naive Bayes: log P(feature | c).
    /// `None` for the tree.
    pub fn class_weights(&self) -> Option<Array2<f64>> {
        match self {
            Estimator::Logistic(m) => Some(m.class_weights()),
            Estimator::NaiveBayes(m) => Some(m.class_weights()),
            Estimator::LinearSvm(m) => Some(m.class_weights()),
            Estimator::Tree(_) => None,
            Estimator::OneVsRest(m) => m.class_weights(),
        }
    }

    /// Per-feature contributions of row `row` of `x` to class `class`'s score,
    /// sorted by |contribution| descending (ties: lower feature index first).
    /// Linear models and naive Bayes: `weight[class][f] * x[row][f]` for each
    /// non-zero feature (naive Bayes: `x_f log P(f|c)`, all ≤ 0). Tree: for each
    /// feature tested on the decision path, the summed change in P(class) from the
    /// node testing it to the child the row went to (Saabas-style), so that
    /// root P(class) + Σ contributions = leaf P(class).
    pub fn contributions(&self, x: &CsrMatrix, row: usize, class: usize) -> Vec<(u32, f64)> {
        match self {
            Estimator::Logistic(m) => m.contributions(x, row, class),
            Estimator::NaiveBayes(m) => m.contributions(x, row, class),
            Estimator::LinearSvm(m) => m.contributions(x, row, class),
            Estimator::Tree(m) => m.contributions(x, row, class),
            Estimator::OneVsRest(m) => m.models[class].contributions(x, row, 1),
        }
    }
}

#[cfg(test)]
mod tests;
