//! `slant eval`: a saved model on a held-out labelled file: the same
//! metrics as cross-validation, plus per-row predictions.

use super::common::{InputArgs, Outcome, OutputArgs, RunArgs};
use super::train::{fmt_num, label_col, read_labelled, write_predictions};
use anyhow::{bail, Result};
use clap::Args;
use slant::eval;
use slant::models::argmax_rows;
use slant::models::artifact::TrainedModel;
use slant::output::columns::Kind;
use slant::output::table::{RunInfo, Table};
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  slant eval models/mine.json heldout.csv --label-col label -o metrics.csv --predictions preds.csv
  slant eval models/bias.json my_sentences.jsonl --text-field sentence --label-col gold")]
pub struct EvalArgs {
    /// Model file (from `slant train`).
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,

    #[command(flatten)]
    pub input: InputArgs,

    /// Column / field holding the gold label.
    #[arg(long, default_value = "label", value_name = "COLUMN")]
    pub label_col: String,

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
    let model = TrainedModel::load(&args.model)?;
    // Featurise and predict on all threads, one row per document.
    let data = read_labelled(&args.input, label_col(&args.label_col), None, &args.run, false, |w, text, _| {
        model.predict_texts(&[text], w).row(0).to_vec()
    })?;
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
    let rows = &data.results;
    let k = labels.len();
    let proba = ndarray::Array2::from_shape_vec((rows.len(), k), rows.iter().flatten().copied().collect())?;
    let pred = argmax_rows(&proba);
    let metrics = eval::compute(labels, &y, &pred, Some(&proba));
    if !args.run.quiet {
        note!("slant: model '{}' on {} rows:\n{}", model.file.name, y.len(), metrics.report());
    }
    let config = args.output_options.config();
    let mut run = RunInfo::now(args.input.inputs.iter().map(|p| p.display().to_string()).collect());
    run.documents_scored = y.len();
    if let Some(path) = &args.output {
        let kinds = [Kind::Text, Kind::Text, Kind::Decimal(17)];
        let mut t = Table::create(Some(path), &["metric", "class", "value"], &kinds, "metrics", &config)?;
        for (metric, class, v) in metrics.long_rows() {
            t.write(&mut [metric, class, fmt_num(v)])?;
        }
        t.finish(&run)?;
    }
    if let Some(path) = &args.predictions {
        write_predictions(path, &data, labels, &y, &pred, &proba, None, &config, &run)?;
    }
    Ok(data.outcome(&args.run))
}
