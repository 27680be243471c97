//! `slant model inspect`: what a model file holds and which features weigh
//! most for each class. `slant model convert`: rewrite a model file in this
//! slant's format (or as JSON only) without retraining.

use super::common::OutputArgs;
use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use slant::models::artifact::ModelFile;
use slant::output::columns::{top_features_schema, TopFeatureRow};
use slant::output::table::{RunInfo, Table};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Summary on stderr and the top weighted features per class as CSV.
    #[command(after_help = "Examples:\n  slant model inspect models/bias.json --top 30 -o top_features.csv")]
    Inspect(InspectArgs),
    /// Rewrite a model file in this slant's format (a JSON header and a
    /// binary body), keeping every field and number: for files of earlier
    /// versions, or with --json to get one JSON document.
    #[command(
        after_help = "Examples:\n  slant model convert old.json -o models/mine.json\n  slant model convert models/bias.json --json -o bias_readable.json   # every array inline, for jq or Python's json"
    )]
    Convert(ConvertArgs),
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Model file to read (any version this slant reads).
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,
    /// Where to write the converted model (may be MODEL itself; written atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Write JSON only (every array inline, as schema version 2 files
    /// were): larger and slower to load, but one JSON document.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Model file.
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,
    /// Features per class and direction.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Write the boilerplate list the model removes (its TSV text, as
    /// stored in the model) instead of the feature table.
    #[arg(long)]
    pub boilerplate: bool,
    /// CSV of model, class, direction, rank, feature, weight: for each
    /// class the features with the largest positive weights (pushing
    /// towards it) and the most negative ones (pushing away), ranked by
    /// |weight| (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub output_options: OutputArgs,
}

pub fn run(cmd: ModelCommand) -> Result<()> {
    match cmd {
        ModelCommand::Inspect(args) => inspect(args),
        ModelCommand::Convert(args) => convert(args),
    }
}

/// Load (checking everything a load checks) and save again: every field is
/// kept, numbers bit for bit (the body stores them as their IEEE bits, JSON
/// writes them in shortest round-trip form).
fn convert(args: ConvertArgs) -> Result<()> {
    let m = ModelFile::load(&args.model)?;
    if args.json {
        m.save_json(&args.output)?;
    } else {
        m.save(&args.output)?;
    }
    note!(
        "model '{}' written to {} ({})",
        m.name,
        args.output.display(),
        if args.json { "JSON only" } else { "JSON header and binary body" }
    );
    Ok(())
}

fn inspect(args: InspectArgs) -> Result<()> {
    // The boilerplate list is checked here, before anything is printed; the
    // table of top features where its format is known.
    let out_path = args.output.as_deref().unwrap_or(std::path::Path::new("-"));
    if args.boilerplate {
        slant::files::check_distinct_outputs(
            &slant::files::Reads::files(vec![args.model.as_path()]),
            &[("-o", out_path)],
        )?;
    }
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
    let s = m.features.spec();
    note!(
        "features: stem 1..{}-grams, min_df {}, at most {} terms by {}, {} weighting, lexicon features {}, \
         length features {}; {} terms + {} other features",
        s.ngram_max,
        s.min_df,
        s.max_features,
        s.selection,
        s.weighting,
        if s.lexicon_features { "yes" } else { "no" },
        if s.length_features { "yes" } else { "no" },
        m.features.vocabulary().len(),
        m.features.extra_names.len()
    );
    if let Some((lo, hi)) = s.char_ngrams {
        note!(
            "character n-grams: {lo}-{hi} characters of each word, padded with spaces, normalised apart from the words"
        );
    }
    if let Some((lo, hi)) = s.pos_ngrams {
        note!(
            "part-of-speech n-grams: {lo}-{hi} tokens inside a sentence, closed-class words kept and other words \
             as their Penn tag (features p:...), normalised apart from the words"
        );
    }
    match &s.boilerplate {
        Some(b) => note!(
            "boilerplate removed before featurising (training and scoring): {} (`--boilerplate` writes the list)",
            b.summary()
        ),
        None => note!("boilerplate removed before featurising: none (trained without --drop-boilerplate)"),
    }
    for st in &m.stacked {
        note!(
            "stacked model (its probabilities on the same text are features {}): `{}`, {} level, embedded from {} \
             (SHA-256 {}), trained on {} ({} rows{}); training texts shared with this model: {}; its training \
             data's licence applies to this model too",
            st.model.labels.iter().map(|l| format!("stack:{}", st.column(l))).collect::<Vec<_>>().join(", "),
            st.model.name,
            st.model.level,
            st.source,
            st.sha256,
            st.model.training.data_files.join(", "),
            st.model.training.rows,
            st.model.training.data_licence.as_ref().map_or(String::new(), |l| format!(", licence {l}")),
            st.training_overlap(&m.training)
                .map_or("unknown (no text fingerprints recorded)".to_string(), |n| format!(
                    "{n} (by text fingerprint)"
                ))
        );
    }
    let t = &m.training;
    note!(
        "training data: {} (SHA-256 {}), {} rows ({}), text column '{}', label column '{}'{}; fit {:.1} s, converged {}",
        t.data_files.join(", "),
        t.data_sha256,
        t.rows,
        t.label_counts.iter().map(|(l, n)| format!("{l}={n}")).collect::<Vec<_>>().join(" "),
        t.text_col,
        t.label_col,
        t.group_col.as_ref().map_or(String::new(), |g| format!(", group column '{g}'")),
        t.fit_seconds,
        t.fit.converged
    );
    if args.boilerplate {
        let Some(b) = &s.boilerplate else {
            bail!("model '{}' removes no boilerplate (it was trained without --drop-boilerplate)", m.name);
        };
        let out = slant::output::AtomicOutput::create(Some(out_path))?;
        {
            let mut w = out.writer()?;
            w.write_all(b.text.as_bytes())?;
            w.flush()?;
        }
        out.commit()?;
        return Ok(());
    }
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
        on => note!(
            "probabilities: {} calibration (`train --calibration {}`) fitted on {on}",
            cal.method(),
            cal.cli_name()
        ),
    }
    let Some(weights) = m.estimator.class_weights() else {
        bail!("a {:?} model has no per-feature weights; use `slant explain --model` to see the decision path for a document", m.algorithm());
    };
    args.output_options.check_outputs(
        &[("-o", args.output.as_deref())],
        &slant::files::Reads::files(vec![args.model.as_path()]),
        false,
    )?;
    let schema = top_features_schema();
    let mut t = Table::create(
        args.output.as_deref(),
        &schema.header(),
        &schema.kinds(),
        schema.file,
        &args.output_options.config(),
    )?;
    let mut cells = Vec::new();
    for (c, label) in m.labels.iter().enumerate() {
        let row = weights.row(c);
        let mut idx: Vec<usize> = (0..row.len()).collect();
        idx.sort_by(|&a, &b| row[b].total_cmp(&row[a]).then(a.cmp(&b)));
        let positive = idx.iter().filter(|&&i| row[i] > 0.0).take(args.top);
        let negative = idx.iter().rev().filter(|&&i| row[i] < 0.0).take(args.top);
        for (direction, features) in [("positive", positive.collect::<Vec<_>>()), ("negative", negative.collect())] {
            for (rank, &&i) in features.iter().enumerate() {
                let feature = TopFeatureRow {
                    model: m.name.clone(),
                    class: label.clone(),
                    direction,
                    rank: rank + 1,
                    feature: m.features.feature_name(i),
                    weight: row[i],
                };
                schema.row(&feature, 0, &mut cells);
                t.write(&mut cells)?;
            }
        }
    }
    Ok(t.finish(&RunInfo::now(vec![args.model.display().to_string()]))?)
}
