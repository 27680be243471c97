//! `slant model inspect`: what a model file holds and which features weigh
//! most for each class.

use super::common::OutputArgs;
use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use slant::models::artifact::ModelFile;
use slant::output::columns::Kind;
use slant::output::table::{RunInfo, Table};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Summary on stderr and the top weighted features per class as CSV.
    #[command(after_help = "Examples:\n  slant model inspect models/bias.json --top 30 -o top_features.csv")]
    Inspect(InspectArgs),
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Model file.
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,
    /// Features per class.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// CSV of model, class, rank, feature, weight (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub output_options: OutputArgs,
}

pub fn run(cmd: ModelCommand) -> Result<()> {
    let ModelCommand::Inspect(args) = cmd;
    let m = ModelFile::load(&args.model)?;
    note!(
        "model '{}' ({:?}, {:?} level): labels {}; {} features; trained on {} rows of {}",
        m.name,
        m.algorithm(),
        m.level,
        m.labels.join(", "),
        m.features.n_features(),
        m.training.rows,
        m.training.data_files.join(", ")
    );
    if let Some(cv) = &m.cross_validation {
        note!(
            "cross-validated ({} folds{}): accuracy {:.3}, macro-F1 {:.3}",
            cv.folds,
            cv.grouped_by.as_ref().map_or(String::new(), |g| format!(", grouped by {g}")),
            cv.pooled.accuracy,
            cv.pooled.macro_f1
        );
        if let Some(ece) = cv.pooled.ece {
            note!("cross-validated expected calibration error (10 bins): {ece:.3}");
        }
    }
    if let Some(ml) = &m.multi_label {
        note!(
            "multi-label (one-vs-rest, one binary model per label; labels joined by {:?}); thresholds: {}",
            ml.label_sep,
            m.labels.iter().zip(&ml.thresholds).map(|(l, t)| format!("{l} {t:.2}")).collect::<Vec<_>>().join(", ")
        );
        if let Some(cv) = &ml.cross_validation {
            note!(
                "cross-validated ({} folds, grouped by {}, thresholds chosen in inner folds): micro-F1 {:.3}, macro-F1 {:.3}, Hamming loss {:.3}, ECE {} (mean over labels)",
                cv.folds,
                cv.grouped_by.as_deref().unwrap_or("-"),
                cv.pooled.micro_f1,
                cv.pooled.macro_f1,
                cv.pooled.hamming_loss,
                cv.pooled.ece.map_or_else(|| "n/a".to_string(), |e| format!("{e:.3}"))
            );
        }
    }
    // A one-vs-rest model's calibration is its label models' (all alike).
    let cal = match &m.estimator {
        slant::models::Estimator::OneVsRest(o) => o.models[0].calibration(),
        e => e.calibration(),
    };
    match cal.fitted_on() {
        "" => note!(
            "probabilities: the algorithm's own, no out-of-fold calibration{}",
            if m.algorithm() == slant::models::Algorithm::LinearSvm {
                " (Platt-fitted on the training decision values, so over-confident)"
            } else {
                ""
            }
        ),
        on => note!("probabilities: {} calibration fitted on {on}", cal.method()),
    }
    let Some(weights) = m.estimator.class_weights() else {
        bail!("a {:?} model has no per-feature weights; use `slant explain --model` to see the decision path for a document", m.algorithm());
    };
    let header = ["model", "class", "rank", "feature", "weight"];
    let kinds = [Kind::Text, Kind::Text, Kind::Integer, Kind::Text, Kind::Decimal(6)];
    let mut t = Table::create(args.output.as_deref(), &header, &kinds, "top_features", &args.output_options.config())?;
    for (c, label) in m.labels.iter().enumerate() {
        let row = weights.row(c);
        let mut idx: Vec<usize> = (0..row.len()).collect();
        idx.sort_by(|&a, &b| row[b].total_cmp(&row[a]).then(a.cmp(&b)));
        for (rank, &i) in idx.iter().take(args.top).enumerate() {
            t.write(&mut [
                m.name.clone(),
                label.clone(),
                (rank + 1).to_string(),
                m.features.feature_name(i),
                format!("{:.6}", row[i]),
            ])?;
        }
    }
    Ok(t.finish(&RunInfo::now(vec![args.model.display().to_string()]))?)
}
