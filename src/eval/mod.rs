//! Evaluation: cross-validation folds and metrics.
//!
//! - [`folds`]: seeded stratified and grouped k-fold over row indices (use these, not
//!   linfa's `Dataset::fold`, which neither shuffles nor stratifies and drops remainders).
//! - [`metrics`]: accuracy, per-class and macro/weighted precision/recall/F1, Cohen's kappa,
//!   ROC-AUC and the confusion matrix, with scikit-learn 1.x semantics (do not use linfa's
//!   `ConfusionMatrix`, which swaps precision and recall). `scripts/check_metrics_sklearn.py`
//!   re-checks a metrics CSV against scikit-learn.

pub mod folds;
pub mod metrics;
pub mod multilabel;

pub use folds::{group_kfold, stratified_kfold};
pub use metrics::{compute, roc_auc, ClassMetrics, Metrics};
pub use multilabel::{
    choose_threshold, choose_thresholds_micro, compute_multilabel, compute_multilabel_rows, LabelMetrics,
    MultiLabelMetrics, ThresholdMetric,
};
