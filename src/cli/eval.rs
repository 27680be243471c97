//! `slant eval`: a saved model on a held-out labelled file: the same
//! metrics as cross-validation, plus per-row predictions.

use super::common::{InputArgs, Outcome, OutputArgs, RunArgs};
use super::labelled::Labelled;
use super::train::{label_col, read_labelled, write_predictions, write_schema_table};
use super::train_multilabel::{split_labels, write_predictions as write_multilabel_predictions};
use anyhow::{bail, Result};
use clap::Args;
use slant::eval;
use slant::models::argmax_rows;
use slant::models::artifact::{TextFingerprints, TrainedModel};
use slant::output::columns::{metrics_schema, MetricRow};
use slant::output::table::RunInfo;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  slant eval models/mine.json heldout.csv --label-col label -o metrics.csv --predictions preds.csv
  slant eval models/bias.json my_sentences.jsonl --text-field sentence --label-col gold
  slant eval models/mine.json heldout.csv --group-col outlet -o metrics_by_outlet.csv

A model file records fingerprints of its training texts (files from slant 0.1 with this feature):
eval warns when rows of the file are texts the model was trained on, or when the file is the
training data itself, because such figures are not held-out metrics.")]
pub struct EvalArgs {
    /// Model file (from `slant train`).
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,

    #[command(flatten)]
    pub input: InputArgs,

    /// Column / field holding the gold label.
    #[arg(long, default_value = "label", value_name = "COLUMN")]
    pub label_col: String,

    /// Also report the metrics per value of this column (e.g. outlet), in
    /// the metrics file's `group` column (`(all)` for the whole file).
    #[arg(long, value_name = "COLUMN")]
    pub group_col: Option<String>,

    /// The --group-col holds URLs: group by their registrable domain, i.e. the
    /// publisher (https://www.bbc.co.uk/news/1 -> bbc.co.uk; Public Suffix List).
    #[arg(long, requires = "group_col")]
    pub group_domain: bool,

    /// Metrics (long format: metric, class, value) to FILE; the report goes to stderr.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Per-row predictions to FILE.
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,

    #[command(flatten)]
    pub output_options: OutputArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

pub fn run(args: EvalArgs) -> Result<Outcome> {
    super::labelled::keep_cols_need_predictions(&args.input, args.predictions.as_deref())?;
    let model = TrainedModel::load(&args.model)?;
    // Featurise and predict on all threads, one row per document; the
    // text's fingerprint tells whether the model was trained on it.
    // The first row the model cannot be applied to (a stacked model that
    // does not fit its columns) ends the run after reading.
    let failed = std::sync::Mutex::new(None::<String>);
    let mut data = read_labelled(
        &args.input,
        label_col(&args.label_col),
        args.group_col.as_deref(),
        &args.run,
        false,
        |w, text, _| {
            let p = model.predict_texts(&[text], w).map(|p| p.row(0).to_vec()).unwrap_or_else(|e| {
                failed.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get_or_insert(e.to_string());
                Vec::new()
            });
            (p, TextFingerprints::of(text))
        },
    )?;
    if let Some(e) = failed.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()) {
        anyhow::bail!("cannot apply model {}: {e}", args.model.display());
    }
    if args.group_domain {
        super::labelled::group_by_domain(&mut data, args.group_col.as_deref().unwrap_or_default());
    }
    if model.file.multi_label.is_some() {
        return eval_multilabel(&args, &model, data);
    }
    let labels = &model.file.labels;
    let mut y = Vec::with_capacity(data.labels.len());
    for (i, l) in data.labels.iter().enumerate() {
        match labels.iter().position(|m| m == l) {
            Some(c) => y.push(c),
            None => bail!(
                "row '{}' has label {l:?}, which model '{}' does not know (labels: {})",
                data.ids[i],
                model.file.name,
                labels.join(", ")
            ),
        }
    }
    let proba = probabilities(&model, &data, labels.len())?;
    let pred = argmax_rows(&proba);
    let metrics = eval::compute(labels, &y, &pred, Some(&proba));
    if !args.run.quiet {
        note!("slant: model '{}' on {} rows:\n{}", model.file.name, y.len(), metrics.report());
    }
    // Per group: the rows of each group value, in order of first appearance.
    let mut per_group: Vec<(String, eval::Metrics)> = Vec::new();
    if let Some(groups) = &data.groups {
        for (g, rows) in rows_by_group(groups) {
            let yg: Vec<usize> = rows.iter().map(|&i| y[i]).collect();
            let pg: Vec<usize> = rows.iter().map(|&i| pred[i]).collect();
            let probs = proba.select(ndarray::Axis(0), &rows);
            let m = eval::compute(labels, &yg, &pg, Some(&probs));
            if !args.run.quiet {
                eprintln!(
                    "slant: group '{g}' ({} rows): accuracy {:.3}, macro-F1 {:.3}",
                    rows.len(),
                    m.accuracy,
                    m.macro_f1
                );
            }
            per_group.push((g.clone(), m));
        }
    }
    args.output_options.check_outputs(
        &[("-o", args.output.as_deref()), ("--predictions", args.predictions.as_deref())]
            .into_iter()
            .filter(|(_, p)| p.is_some())
            .collect::<Vec<_>>(),
        &args.input.files_read(&[args.model.as_path()]),
        args.run.quiet,
    )?;
    let config = args.output_options.config();
    let mut run = RunInfo::now(args.input.inputs.iter().map(|p| p.display().to_string()).collect());
    run.documents_scored = y.len();
    if let Some(path) = &args.output {
        let all = std::iter::once((ALL_ROWS, metrics.long_rows()));
        let groups = per_group.iter().map(|(g, m)| (g.as_str(), m.long_rows()));
        write_metrics(path, args.group_col.is_some(), all.chain(groups), &config, &run)?;
    }
    if let Some(path) = &args.predictions {
        write_predictions(path, &data, labels, &y, &pred, &proba, None, &config, &run)?;
    }
    Ok(data.outcome(&args.run))
}

/// `eval` of a multi-label model: label sets split by the model's
/// separator, predictions under the model's thresholds, multi-label metrics.
fn eval_multilabel(args: &EvalArgs, model: &TrainedModel, data: Labelled<(Vec<f64>, u64)>) -> Result<Outcome> {
    let ml = model.file.multi_label.as_ref().expect("a multi-label model");
    let labels = &model.file.labels;
    let mut truth = Vec::with_capacity(data.labels.len());
    for (i, cell) in data.labels.iter().enumerate() {
        let set = split_labels(cell, &ml.label_sep).map_err(|e| anyhow::anyhow!("row '{}': {e}", data.ids[i]))?;
        if let Some(unknown) = set.iter().find(|l| !labels.contains(l)) {
            bail!(
                "row '{}' has label {unknown:?}, which model '{}' does not know (labels, separated by {:?}: {})",
                data.ids[i],
                model.file.name,
                ml.label_sep,
                labels.join(", ")
            );
        }
        truth.push(labels.iter().map(|l| set.contains(l)).collect::<Vec<bool>>());
    }
    let proba = probabilities(model, &data, labels.len())?;
    let metrics = eval::compute_multilabel(labels, &truth, &proba, &ml.thresholds);
    if !args.run.quiet {
        note!("slant: model '{}' on {} rows:\n{}", model.file.name, truth.len(), metrics.report());
    }
    let mut per_group: Vec<(String, eval::MultiLabelMetrics)> = Vec::new();
    if let Some(groups) = &data.groups {
        for (g, rows) in rows_by_group(groups) {
            let t: Vec<Vec<bool>> = rows.iter().map(|&i| truth[i].clone()).collect();
            let m = eval::compute_multilabel(labels, &t, &proba.select(ndarray::Axis(0), &rows), &ml.thresholds);
            if !args.run.quiet {
                eprintln!(
                    "slant: group '{g}' ({} rows): micro-F1 {:.3}, macro-F1 {:.3}, Hamming loss {:.3}",
                    rows.len(),
                    m.micro_f1,
                    m.macro_f1,
                    m.hamming_loss
                );
            }
            per_group.push((g.clone(), m));
        }
    }
    let config = args.output_options.config();
    let mut run = RunInfo::now(args.input.inputs.iter().map(|p| p.display().to_string()).collect());
    run.documents_scored = truth.len();
    if let Some(path) = &args.output {
        let all = std::iter::once((ALL_ROWS, metrics.long_rows()));
        let groups = per_group.iter().map(|(g, m)| (g.as_str(), m.long_rows()));
        write_metrics(path, args.group_col.is_some(), all.chain(groups), &config, &run)?;
    }
    if let Some(path) = &args.predictions {
        let thresholds = ndarray::Array2::from_shape_fn((truth.len(), labels.len()), |(_, c)| ml.thresholds[c]);
        write_multilabel_predictions(path, &data, &model.file, &truth, &proba, &thresholds, None, &config, &run)?;
    }
    Ok(data.outcome(&args.run))
}

/// The row indices of each group value, groups in order of first
/// appearance (one pass, so a file with many groups stays linear).
fn rows_by_group(groups: &[String]) -> Vec<(&String, Vec<usize>)> {
    let mut at: std::collections::HashMap<&String, usize> = std::collections::HashMap::new();
    let mut out: Vec<(&String, Vec<usize>)> = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let k = *at.entry(g).or_insert_with(|| {
            out.push((g, Vec::new()));
            out.len() - 1
        });
        out[k].1.push(i);
    }
    out
}

/// The metrics file: metric, class, value (long format), with a leading
/// group column when metrics are reported per group.
fn write_metrics<'a>(
    path: &std::path::Path,
    grouped: bool,
    groups: impl Iterator<Item = (&'a str, Vec<(String, String, f64)>)>,
    config: &slant::output::table::OutputConfig,
    run: &RunInfo,
) -> Result<()> {
    let rows = groups.flat_map(|(group, rows)| rows.into_iter().map(move |r| MetricRow::new(group, r)));
    write_schema_table(path, &metrics_schema(grouped), rows, config, run)
}

/// The `group` value of the metrics over the whole file.
const ALL_ROWS: &str = "(all)";

/// A warning when the evaluated rows overlap the model's training texts:
/// such metrics are (partly) training-set figures, not held-out ones.
/// The model's probabilities of every row as a matrix (rows x `k` labels),
/// after warning when the rows overlap the model's training texts.
fn probabilities(model: &TrainedModel, data: &Labelled<(Vec<f64>, u64)>, k: usize) -> Result<ndarray::Array2<f64>> {
    if let Some(warning) = training_overlap(model, data.results.iter().map(|(_, fp)| *fp)) {
        eprintln!("slant: warning: {warning}");
    }
    Ok(ndarray::Array2::from_shape_vec(
        (data.results.len(), k),
        data.results.iter().flat_map(|(p, _)| p.iter().copied()).collect(),
    )?)
}

fn training_overlap(model: &TrainedModel, fingerprints: impl Iterator<Item = u64>) -> Option<String> {
    let training = &model.file.training;
    let known = training.text_fingerprints.as_ref()?;
    let (mut n, mut seen) = (0usize, 0usize);
    for fp in fingerprints {
        n += 1;
        seen += known.contains(fp) as usize;
    }
    (seen > 0).then(|| {
        let which = if seen == n {
            format!("every row of this file ({n}) is a text")
        } else {
            format!("{seen} of these {n} rows ({:.1}%) are texts", 100.0 * seen as f64 / n as f64)
        };
        format!(
            "{which} that model '{}' was trained on (training data: {}): these metrics are not held-out figures; \
             evaluate on data the model has not seen (its card reports cross-validated metrics)",
            model.file.name,
            training.data_files.join(", ")
        )
    })
}
