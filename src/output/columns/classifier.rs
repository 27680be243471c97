//! The tables of the classifier commands: the predictions of `train
//! --predictions` and `eval --predictions`, the metrics of `train --metrics`
//! and `eval -o`, and the feature weights of `model inspect`. The writers
//! take their header and column types from these schemas and fill the rows
//! through them, so the codebook describes the files as they are written.

use super::{Kind, Schema, Value};
use crate::eval::metrics::ECE_BINS;
use crate::models::artifact::snake;

/// One row of a predictions file, as the writer hands it over.
#[derive(Debug, Clone, Default)]
pub struct PredictionRow {
    pub doc_id: String,
    /// The --keep-cols values, in the order of the names.
    pub kept: Vec<String>,
    /// The --group-col value (written only when the table has a group column).
    pub group: String,
    pub label: String,
    pub predicted: String,
    /// 1-based cross-validation fold (written only when the table has one).
    pub fold: usize,
    /// One probability per label, in the model's label order.
    pub probabilities: Vec<f64>,
}

/// The optional columns of a predictions file.
#[derive(Debug, Clone, Copy)]
pub struct PredictionColumns<'a> {
    /// The --keep-cols names.
    pub kept: &'a [String],
    /// A `group` column (--group-col given).
    pub grouped: bool,
    /// A `fold` column (out-of-fold predictions of `train`).
    pub with_fold: bool,
    /// The model's labels, one `p_<label>` column each; `None` lists the
    /// pattern `p_<label>` (the codebook without a model).
    pub labels: Option<&'a [String]>,
}

const PREDICTIONS_SOURCE: &str = "slant train --predictions (out-of-fold) / slant eval --predictions";

/// Columns of the predictions file: doc_id, the --keep-cols columns,
/// [group], label, predicted, [fold], p_<label>...
pub fn predictions_schema(c: PredictionColumns<'_>) -> Schema<PredictionRow> {
    let mut s: Schema<PredictionRow> = Schema::new("predictions");
    let src = PREDICTIONS_SOURCE;
    s.add("doc_id", Kind::Text, "", "", "Row id, as doc_id of the scores file: the --id-col value, or the 1-based record number when the input has no id.", "input", |r, _| Value::Text(&r.doc_id));
    for (k, name) in c.kept.iter().enumerate() {
        s.add(
            name.clone(),
            Kind::Text,
            "",
            "",
            format!("Copied unchanged from input column/field '{name}' (--keep-cols)."),
            "input",
            move |r, _| Value::Text(r.kept.get(k).map_or("", String::as_str)),
        );
    }
    if c.grouped {
        s.add("group", Kind::Text, "", "", "Only with --group-col: the row's value of that column (its registrable domain with --group-domain). In train, no group is in two folds; in eval, the metrics file reports each group.", "input", |r, _| Value::Text(&r.group));
    }
    s.add("label", Kind::Text, "", "a label of the model (multi-label: a label set)", "The true label (--label-col). Multi-label models: the row's true label set, the model's labels it carries joined by the model's separator (--label-sep) in the model's label order; empty for a row with none.", "input", |r, _| Value::Text(&r.label));
    s.add("predicted", Kind::Text, "", "a label of the model (multi-label: a label set)", "The predicted label: the label with the highest p_<label> (a tie goes to the first in label order). Multi-label models: every label whose p_<label> is at least its decision threshold (in train the threshold of the row's fold, chosen on inner folds of its training part; in eval the model's), joined like label; empty when none reaches its threshold.", src, |r, _| Value::Text(&r.predicted));
    if c.with_fold {
        s.add("fold", Kind::Integer, "fold", "1..--cv", "Only in train --predictions: the cross-validation fold (1-based, as in the fold column of the metrics file) whose held-out part the row was in; its probabilities come from the model fitted on the other folds.", src, |r, _| Value::Int(r.fold));
    }
    let definition = |label: &str| {
        format!("Probability of label '{label}'. Single-label models: P(label) of the model's probabilities, which sum to 1 over the p_ columns; multi-label models: P(label present) from that label's own binary (one-vs-rest) model, independent of the other labels. Calibrated as the model's --calibration says (the default: Platt scaling for linear-svm, naive-bayes and tree, the algorithm's own probabilities for logistic), fitted on inner folds of the rows the model was fitted on. train writes out-of-fold probabilities: those of the model fitted without the row's fold, with its --tune choice and calibration chosen and fitted inside that training part; eval writes the saved model's. Full precision, so metrics recomputed from this file match the metrics file.")
    };
    match c.labels {
        None => s.add("p_<label>", Kind::Real, "probability", "0..1", format!("One column per label of the model, in the model's label order (train: the labels sorted), named p_ and the label in snake_case (non-biased: p_non_biased). {}", definition("<label>")), src, |_, _| Value::Num(None)),
        Some(labels) => {
            for (i, label) in labels.iter().enumerate() {
                s.add(format!("p_{}", snake(label)), Kind::Real, "probability", "0..1", definition(label), src, move |r, _| {
                    Value::Num(r.probabilities.get(i).copied())
                });
            }
        }
    }
    s
}

/// One row of a long-format metrics file.
#[derive(Debug, Clone, Default)]
pub struct MetricRow {
    /// The fold (`cv_metrics`) or the group (`metrics` with --group-col).
    pub scope: String,
    pub metric: String,
    pub class: String,
    /// NaN: undefined, written as an empty cell.
    pub value: f64,
}

impl MetricRow {
    pub fn new(scope: impl Into<String>, (metric, class, value): (String, String, f64)) -> Self {
        MetricRow { scope: scope.into(), metric, class, value }
    }
}

/// The metric names of the metrics files and what each is; one text for
/// both files, as both are written from the same metric rows.
fn metric_definition() -> String {
    format!(
        "Name of the figure in value. Single-label models (class empty unless said): \
         n (rows evaluated); \
         accuracy (share of rows whose predicted label is the true one); \
         macro_precision, macro_recall, macro_f1 (unweighted means over all the model's labels, \
         a label absent from both truth and prediction of these rows included with 0); \
         weighted_f1 (per-label F1 weighted by support); \
         kappa (Cohen's kappa, unweighted; empty when undefined); \
         roc_auc (two-label models only: area under the ROC curve of p_<second label> for the second label \
         in label order, ties given average ranks; no row when these rows hold only one label); \
         brier (two labels: mean of (p_<second label> - [true label is the second])^2, 0..1; more labels: \
         mean over rows of the sum over labels of (p_<label> - [true label])^2, 0..2); \
         log_loss (mean of -ln p of the true label, p clipped to [2.2e-16, 1 - 2.2e-16]); \
         ece (expected calibration error: rows binned by their largest probability into {ECE_BINS} equal-width \
         bins, the sum over bins of (rows in bin / n) * |accuracy in bin - mean largest probability in bin|); \
         brier, log_loss and ece have no row when a probability is not finite; \
         per label (class = the label): precision (true positives / rows predicted as the label), recall \
         (true positives / support), f1, and support (rows whose true label it is), a ratio with a zero \
         denominator being 0; confusion (class = truth=<label>;pred=<label>: rows with that true and predicted \
         label, true label outer in label order). \
         Multi-label models: n; micro_f1, micro_precision, micro_recall (true and false positives and negatives \
         pooled over labels); macro_f1, macro_precision, macro_recall (unweighted means over labels); \
         hamming_loss (share of wrong row-label decisions); subset_accuracy (share of rows whose predicted \
         label set is exactly the true one); brier_mean, log_loss_mean, ece_mean (means over labels of the \
         per-label figures); ece_pooled (ECE of all row-label probabilities as one two-class problem); per \
         label (class = the label): threshold (its decision threshold; over pooled folds the mean of the rows' \
         fold thresholds), support (rows carrying it), predicted (rows it was predicted for), precision, \
         recall, f1, and roc_auc, brier, log_loss, ece of p_<label> against the label's presence as a \
         two-class problem (empty when undefined). \
         In cv_metrics only, the rows of fold mean and sd: accuracy, macro_f1, kappa, roc_auc, brier, \
         log_loss, ece (single-label; folds where a figure is undefined left out) or micro_f1, macro_f1, \
         hamming_loss, subset_accuracy, brier_mean, ece_mean (multi-label)."
    )
}

const CLASS_DEFINITION: &str = "Empty for a figure of all labels; the label for a per-label figure; truth=<label>;pred=<label> for a confusion cell.";

const VALUE_DEFINITION: &str = "The figure, at full precision (shortest decimal that reads back as the same number); proportions 0..1, counts as whole numbers, kappa -1..1; empty when undefined (e.g. kappa when every row has one and the same label in truth and prediction).";

fn metric_columns(s: &mut Schema<MetricRow>, src: &str) {
    s.add("metric", Kind::Text, "", "", metric_definition(), src, |r, _| Value::Text(&r.metric));
    s.add("class", Kind::Text, "", "", CLASS_DEFINITION, src, |r, _| Value::Text(&r.class));
    s.add("value", Kind::Real, "as the metric", "", VALUE_DEFINITION, src, |r, _| Value::Num(Some(r.value)));
}

/// Columns of `train --metrics` (cross-validated metrics, long format).
pub fn cv_metrics_schema() -> Schema<MetricRow> {
    let mut s: Schema<MetricRow> = Schema::new("cv_metrics");
    let src = "slant train --metrics";
    s.add("fold", Kind::Text, "", "1..--cv, pooled, file=<input>, mean, sd", "Which predictions the figure is of: a fold number (1-based: the metrics of that fold's held-out rows, predicted by the model fitted on the other folds); pooled (all out-of-fold predictions together, as in the model card); file=<input> (single-label, with more than one input file: the pooled predictions of that file's rows); mean and sd (mean and sample standard deviation, n - 1, over the folds of a summary figure; single-label sd is 0 for one fold, multi-label sd empty). Folds are stratified by label, or grouped (--group-col; --multi-label always, by identical text without one; single-label by identical text when texts repeat), with --seed.", src, |r, _| Value::Text(&r.scope));
    metric_columns(&mut s, src);
    s
}

/// Columns of `eval -o` (metrics of a saved model on labelled rows, long
/// format); `grouped`: with --group-col, a leading group column.
pub fn metrics_schema(grouped: bool) -> Schema<MetricRow> {
    let mut s: Schema<MetricRow> = Schema::new("metrics");
    let src = "slant eval -o";
    if grouped {
        s.add("group", Kind::Text, "", "(all) or a value of --group-col", "Only with --group-col: which rows the figure is of: (all) for the whole file, else the rows with this value of --group-col (groups in order of first appearance).", src, |r, _| Value::Text(&r.scope));
    }
    metric_columns(&mut s, src);
    s
}

/// One row of `model inspect`'s feature table.
#[derive(Debug, Clone, Default)]
pub struct TopFeatureRow {
    pub model: String,
    pub class: String,
    pub direction: &'static str,
    pub rank: usize,
    pub feature: String,
    pub weight: f64,
}

/// Columns of `slant model inspect -o` (the top weighted features per class).
pub fn top_features_schema() -> Schema<TopFeatureRow> {
    let mut s: Schema<TopFeatureRow> = Schema::new("top_features");
    let src = "slant model inspect";
    s.add(
        "model",
        Kind::Text,
        "",
        "",
        "The model's name (its p_<model>_* columns in the scores file).",
        src,
        |r, _| Value::Text(&r.model),
    );
    s.add("class", Kind::Text, "", "a label of the model", "The label whose weights are listed.", src, |r, _| {
        Value::Text(&r.class)
    });
    s.add("direction", Kind::Text, "", "positive, negative", "positive: the features with the largest weights (pushing towards the label); negative: the most negative ones (pushing away). Features with weight 0 are not listed.", src, |r, _| Value::Text(r.direction));
    s.add("rank", Kind::Integer, "rank", "1..--top", "1-based rank within class and direction: by weight descending (positive) or ascending (negative), i.e. by |weight|.", src, |r, _| Value::Int(r.rank));
    s.add("feature", Kind::Text, "", "", "The feature: w:<stem> a word stem, b:<stem stem> a stem n-gram, c:<chars> a character n-gram, p:<tags> a part-of-speech n-gram, or the name of a lexicon, length or stacked-model feature.", src, |r, _| Value::Text(&r.feature));
    s.add("weight", Kind::Decimal(6), "model weight", "any real number", "The feature's weight for the class: logistic and linear-svm, the coefficient of the feature (two-label models: the second label's coefficients, and the same negated for the first label; multi-label models: each label's own binary model); naive-bayes, log P(feature | class) (all negative, so only the negative direction has rows). Tree models have no weights (model inspect stops with an error).", src, |r, _| Value::Num(Some(r.weight)));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{compute, compute_multilabel, Metrics, MultiLabelMetrics};
    use ndarray::array;

    /// Every metric name the metric rows can hold is defined in the
    /// codebook's `metric` column (so a new metric cannot go undocumented).
    #[test]
    fn every_metric_name_is_defined() {
        let labels = vec!["a".to_string(), "b".to_string()];
        let proba = array![[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]];
        let single = compute(&labels, &[0, 1, 1], &[0, 1, 0], Some(&proba));
        let truth = vec![vec![true, false], vec![true, true], vec![false, true]];
        let multi = compute_multilabel(&labels, &truth, &proba, &[0.5, 0.5]);
        let mut names: Vec<String> = single.long_rows().into_iter().map(|r| r.0).collect();
        names.extend(multi.long_rows().into_iter().map(|r| r.0));
        names.extend(Metrics::summarize_folds(&[single.clone(), single]).into_iter().map(|r| r.0));
        names.extend(MultiLabelMetrics::summarize_folds(&[multi.clone(), multi]).into_iter().map(|r| r.0));
        let definition = metric_definition();
        for name in names {
            let defined = definition.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|word| word == name);
            assert!(defined, "metric '{name}' is not in the definition of the metric column");
        }
    }

    #[test]
    fn predictions_columns_follow_the_options() {
        let labels = vec!["non-biased".to_string(), "biased".to_string()];
        let kept = vec!["outlet".to_string()];
        let all = predictions_schema(PredictionColumns {
            kept: &kept,
            grouped: true,
            with_fold: true,
            labels: Some(&labels),
        });
        assert_eq!(
            all.header(),
            ["doc_id", "outlet", "group", "label", "predicted", "fold", "p_non_biased", "p_biased"]
        );
        let plain = predictions_schema(PredictionColumns {
            kept: &[],
            grouped: false,
            with_fold: false,
            labels: Some(&labels),
        });
        assert_eq!(plain.header(), ["doc_id", "label", "predicted", "p_non_biased", "p_biased"]);
        let row = PredictionRow {
            doc_id: "d1".into(),
            label: "biased".into(),
            predicted: "biased".into(),
            probabilities: vec![0.1, 0.9],
            ..PredictionRow::default()
        };
        let mut cells = Vec::new();
        plain.row(&row, 0, &mut cells);
        assert_eq!(cells, ["d1", "biased", "biased", "0.1", "0.9"]);
    }

    #[test]
    fn metric_values_are_full_precision_and_undefined_is_empty() {
        let s = metrics_schema(true);
        assert_eq!(s.header(), ["group", "metric", "class", "value"]);
        let mut cells = Vec::new();
        s.row(&MetricRow::new("(all)", ("accuracy".into(), String::new(), 2.0 / 3.0)), 0, &mut cells);
        assert_eq!(cells, ["(all)", "accuracy", "", &(2.0f64 / 3.0).to_string()]);
        s.row(&MetricRow::new("(all)", ("kappa".into(), String::new(), f64::NAN)), 0, &mut cells);
        assert_eq!(cells[3], "");
        s.row(&MetricRow::new("(all)", ("n".into(), String::new(), 12.0)), 0, &mut cells);
        assert_eq!(cells[3], "12");
    }
}
