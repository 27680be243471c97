//! `slant eval`: a saved model on a held-out labelled file: the same
//! metrics as cross-validation, plus per-row predictions.

use super::common::InputArgs;
use super::train::{argmax_rows, fmt_num, read_labelled, write_predictions};
use anyhow::{bail, Result};
use clap::Args;
use rayon::prelude::*;
use slant::eval;
use slant::models::artifact::TrainedModel;
use slant::output::{csv_writer, AtomicOutput};
use slant::signals::Worker;
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

    /// Print nothing on standard error except errors.
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: EvalArgs) -> Result<()> {
    let model = TrainedModel::load(&args.model)?;
    let data = read_labelled(&args.input, &args.label_col, None, args.quiet)?;
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
    // Featurise in parallel chunks, predict in one go.
    let rows: Vec<Vec<f64>> = data
        .texts
        .par_chunks(256)
        .map_init(Worker::default, |w, chunk| {
            let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
            model.predict_texts(&refs, w).rows().into_iter().map(|r| r.to_vec()).collect::<Vec<_>>()
        })
        .flatten()
        .collect();
    let k = labels.len();
    let proba = ndarray::Array2::from_shape_vec((rows.len(), k), rows.into_iter().flatten().collect())?;
    let pred = argmax_rows(&proba);
    let metrics = eval::compute(labels, &y, &pred, Some(&proba));
    if !args.quiet {
        eprintln!("slant: model '{}' on {} rows:\n{}", model.file.name, y.len(), metrics.report());
    }
    if let Some(path) = &args.output {
        let out = AtomicOutput::create(Some(path))?;
        {
            let mut w = csv_writer(out.writer()?);
            w.write_record(["metric", "class", "value"])?;
            for (metric, class, v) in metrics.long_rows() {
                w.write_record([metric, class, fmt_num(v)])?;
            }
            w.flush()?;
        }
        out.commit()?;
    }
    if let Some(path) = &args.predictions {
        write_predictions(path, &data, labels, &y, &pred, &proba, None)?;
    }
    Ok(())
}
