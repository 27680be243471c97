//! `slant train --multi-label`: one binary model per label (one-vs-rest)
//! over one shared featurizer, per-label decision thresholds chosen on
//! out-of-fold probabilities of inner folds, and nested cross-validation
//! (each outer fold's thresholds and calibration come from its training
//! part only).

use super::train::{
    self as train, candidate_params, data_hash, embedded_lexicons, label_col, read_labelled, tuning_record,
    tuning_scores, TrainArgs,
};
use super::tune::TuneGrid;
use anyhow::{bail, Context, Result};
use ndarray::Array2;
use rayon::prelude::*;
use slant::eval::{self, MultiLabelMetrics, ThresholdMetric};
use slant::features::terms::TermCounts;
use slant::features::{tagged_tokens, FeatureSpec, Featurizer};
use slant::models::artifact::{ModelFile, MultiLabel, MultiLabelCv, TextFingerprints, TextPipeline, TrainingInfo};
use slant::models::{Calibration, CalibrationMethod, Estimator, FitReport, OneVsRestModel, Params};
use slant::output::columns::{cv_metrics_schema, MetricRow, PredictionRow};
use slant::output::table::{OutputConfig, RunInfo};
use slant::output::{lexicon_refs, now_rfc3339, AtomicOutput};
use slant::signals::stats::{count, DocStats};
use slant::signals::SignalSet;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// Split a label cell into its labels: trimmed, duplicates dropped, in
/// first-seen order. An empty label (two separators in a row, or one at
/// either end) is an error, since it usually means a wrong separator or a
/// broken export.
pub fn split_labels(cell: &str, sep: &str) -> std::result::Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for part in cell.split(sep) {
        let l = part.trim();
        if l.is_empty() {
            return Err(format!("label set {cell:?} has an empty label (separator {sep:?})"));
        }
        if !out.iter().any(|o| o == l) {
            out.push(l.to_string());
        }
    }
    Ok(out)
}

/// Check `--label-sep`: a non-empty separator without surrounding spaces
/// only (a bare space would split multi-word labels).
pub fn check_label_sep(sep: &str) -> Result<()> {
    if sep.is_empty() || sep.trim().is_empty() {
        bail!("--label-sep must be a visible separator such as ';' or '|', got {sep:?}");
    }
    Ok(())
}

/// Per-row label sets as indicator rows over `labels` (sorted), from the
/// label cells; errors name the row.
pub fn label_sets(cells: &[String], ids: &[String], sep: &str) -> Result<(Vec<String>, Vec<Vec<bool>>)> {
    check_label_sep(sep)?;
    let mut sets = Vec::with_capacity(cells.len());
    for (i, cell) in cells.iter().enumerate() {
        sets.push(split_labels(cell, sep).map_err(|e| anyhow::anyhow!("row '{}': {e}", ids[i]))?);
    }
    let mut labels: Vec<String> = sets.iter().flatten().cloned().collect();
    labels.sort();
    labels.dedup();
    if !sets.iter().any(|s| s.len() > 1) {
        let other =
            [",", "|", ";", "/", "+"].into_iter().filter(|&s| s != sep).find(|s| labels.iter().any(|l| l.contains(s)));
        match other {
            Some(o) => bail!(
                "no row has more than one label when split by --label-sep {sep:?}, but labels contain {o:?} \
                 (e.g. {:?}): is the separator {o:?}?",
                labels.iter().find(|l| l.contains(o)).cloned().unwrap_or_default()
            ),
            None => bail!(
                "no row has more than one label when split by --label-sep {sep:?}: this is single-label data \
                 (train it without --multi-label) or the separator is another one"
            ),
        }
    }
    let truth = sets.iter().map(|s| labels.iter().map(|l| s.contains(l)).collect()).collect();
    Ok((labels, truth))
}

/// Everything a fit of the multi-label pipeline needs.
#[derive(Clone, Copy)]
struct Job<'a> {
    spec: &'a FeatureSpec,
    set: &'a SignalSet,
    docs: &'a [TermCounts],
    stats: &'a [DocStats],
    labels: &'a [String],
    truth: &'a [Vec<bool>],
    /// Stratification key: the rarest label of the row (labels.len() for none).
    strat: &'a [usize],
    /// Rows of one group always share a fold.
    groups: &'a [String],
    grouped_by: &'a str,
    params: &'a Params,
    calibration: CalibrationMethod,
    inner_folds: usize,
    threshold_metric: ThresholdMetric,
    seed: u64,
}

/// A fitted multi-label pipeline.
struct Fitted {
    features: Featurizer,
    models: Vec<Estimator>,
    thresholds: Vec<f64>,
}

impl Job<'_> {
    fn binary(&self, rows: &[usize], c: usize) -> Vec<usize> {
        rows.iter().map(|&i| self.truth[i][c] as usize).collect()
    }

    /// Every label needs a row with it and a row without it in `rows`.
    fn check_both_classes(&self, rows: &[usize], what: &str) -> Result<()> {
        for (c, l) in self.labels.iter().enumerate() {
            let pos = rows.iter().filter(|&&i| self.truth[i][c]).count();
            if pos == 0 || pos == rows.len() {
                bail!(
                    "{what} has {} row labelled '{l}': every label needs training rows with and without it \
                     (use fewer folds, or drop the label)",
                    if pos == 0 { "no" } else { "only" }
                );
            }
        }
        Ok(())
    }

    fn folds(&self, rows: &[usize], k: usize, seed: u64) -> Result<Vec<Vec<usize>>> {
        let g: Vec<String> = rows.iter().map(|&i| self.groups[i].clone()).collect();
        let y: Vec<usize> = rows.iter().map(|&i| self.strat[i]).collect();
        let mut distinct: Vec<&String> = g.iter().collect();
        distinct.sort();
        distinct.dedup();
        eval::group_kfold(&g, &y, k.min(distinct.len()), seed)
            .map_err(|e| anyhow::anyhow!("cannot make folds: {e}"))
            .map(|folds| folds.into_iter().map(|f| f.into_iter().map(|j| rows[j]).collect()).collect())
    }

    /// Featurizer and one binary model per label on `train`.
    fn fit_models(&self, train: &[usize]) -> Result<(Featurizer, Vec<Estimator>)> {
        // Frequency selection (the multi-label default) does not look at y.
        let feat = Featurizer::fit(self.spec, self.set, self.docs, self.strat, self.labels.len() + 1, train);
        let x = feat.matrix(self.docs, self.stats, &[], train)?;
        // One independent binary fit per label, in parallel (each the same
        // whatever thread runs it); the first failing label's error is raised.
        let models: Vec<Result<Estimator>> = self
            .labels
            .par_iter()
            .enumerate()
            .map(|(c, l)| {
                let (est, _) = Estimator::fit(self.params, &x, &self.binary(train, c), 2)
                    .with_context(|| format!("label '{l}'"))?;
                Ok(est)
            })
            .collect();
        Ok((feat, models.into_iter().collect::<Result<Vec<_>>>()?))
    }

    /// Out-of-fold calibration scores and probabilities of `rows` (in
    /// their order) from models fitted on the other `inner` folds.
    fn out_of_fold(&self, rows: &[usize], inner: &[Vec<usize>]) -> Result<(Array2<f64>, Array2<f64>)> {
        let pos_of: std::collections::HashMap<usize, usize> = rows.iter().enumerate().map(|(j, &i)| (i, j)).collect();
        let k = self.labels.len();
        let mut scores = Array2::<f64>::zeros((rows.len(), k));
        let mut proba = Array2::<f64>::zeros((rows.len(), k));
        // The inner folds' models are independent: fitted in parallel, read back in fold order.
        let fitted: Vec<Result<(Featurizer, Vec<Estimator>)>> = inner
            .par_iter()
            .map(|test| {
                let is_test: std::collections::HashSet<usize> = test.iter().copied().collect();
                let train: Vec<usize> = rows.iter().copied().filter(|i| !is_test.contains(i)).collect();
                self.check_both_classes(&train, "an inner fold's training part")?;
                self.fit_models(&train)
            })
            .collect();
        for (test, fit) in inner.iter().zip(fitted) {
            let (feat, inner_models) = fit?;
            let x = feat.matrix(self.docs, self.stats, &[], test)?;
            for (c, m) in inner_models.iter().enumerate() {
                let s = m.calibration_scores(&x);
                let p = m.predict_proba(&x);
                for (t, &i) in test.iter().enumerate() {
                    scores[[pos_of[&i], c]] = s[[t, 0]];
                    proba[[pos_of[&i], c]] = p[[t, 1]];
                }
            }
        }
        Ok((scores, proba))
    }

    /// With --calibration platt, each label's sigmoid fitted on its
    /// out-of-fold `scores`, applied to `proba` in place; none otherwise.
    fn calibrate(
        &self,
        rows: &[usize],
        scores: &Array2<f64>,
        proba: &mut Array2<f64>,
        fitted_on: &str,
    ) -> Vec<Calibration> {
        if self.calibration == CalibrationMethod::None {
            return Vec::new();
        }
        (0..self.labels.len())
            .map(|c| {
                let y = self.binary(rows, c);
                let s = scores.column(c).to_owned().insert_axis(ndarray::Axis(1));
                let cal = Calibration::fit_method(self.calibration, &s, &y, fitted_on.to_string());
                proba.column_mut(c).assign(&cal.apply(&s, 2).expect("Platt maps scores").column(1));
                cal
            })
            .collect()
    }

    /// Decision thresholds of `rows` from their out-of-fold probabilities.
    fn thresholds(&self, rows: &[usize], proba: &Array2<f64>) -> Vec<f64> {
        let truth: Vec<Vec<bool>> = rows.iter().map(|&i| self.truth[i].clone()).collect();
        match self.threshold_metric {
            ThresholdMetric::MicroF1 => eval::choose_thresholds_micro(&truth, proba),
            ThresholdMetric::LabelF1 => (0..self.labels.len())
                .map(|c| {
                    let t: Vec<bool> = truth.iter().map(|r| r[c]).collect();
                    eval::choose_threshold(&t, &proba.column(c).to_vec())
                })
                .collect(),
        }
    }

    /// The whole pipeline on `rows`: models on all of them; calibration
    /// (with --calibration platt) and thresholds from out-of-fold
    /// predictions of inner folds of `rows`, so no probability a threshold
    /// is chosen on comes from a model that saw its row.
    fn fit(&self, rows: &[usize]) -> Result<Fitted> {
        self.check_both_classes(rows, "the training part")?;
        // The models on all `rows` and the inner folds' models are fitted in
        // parallel; errors come in the order a serial run would meet them.
        let inner = self.folds(rows, self.inner_folds, self.seed);
        let (whole, oof) =
            rayon::join(|| self.fit_models(rows), || inner.as_ref().ok().map(|folds| self.out_of_fold(rows, folds)));
        let (features, mut models) = whole?;
        let inner = inner?;
        let (scores, mut proba) = oof.expect("the folds were made")?;
        let fitted_on = format!(
            "out-of-fold scores of {} inner folds (grouped by {}) of the {} training rows",
            inner.len(),
            self.grouped_by,
            rows.len()
        );
        for (model, cal) in models.iter_mut().zip(self.calibrate(rows, &scores, &mut proba, &fitted_on)) {
            model.set_calibration(cal);
        }
        let thresholds = self.thresholds(rows, &proba);
        Ok(Fitted { features, models, thresholds })
    }

    /// A `--tune` candidate's score on `rows`: the --threshold-metric
    /// (micro- or macro-F1) of out-of-fold probabilities of `folds` inner
    /// folds (Platt-calibrated on those folds' scores with --calibration
    /// platt), under thresholds chosen on the same probabilities. The
    /// thresholds flatter every candidate alike; the outer folds, which
    /// this never sees, give the figures that are reported.
    fn tune_score(&self, rows: &[usize], folds: usize) -> Result<f64> {
        let inner = self.folds(rows, folds, self.seed)?;
        let (scores, mut proba) = self.out_of_fold(rows, &inner)?;
        self.calibrate(rows, &scores, &mut proba, "inner folds of --tune");
        let thresholds = self.thresholds(rows, &proba);
        let truth: Vec<Vec<bool>> = rows.iter().map(|&i| self.truth[i].clone()).collect();
        let m = eval::compute_multilabel(self.labels, &truth, &proba, &thresholds);
        Ok(match self.threshold_metric {
            ThresholdMetric::MicroF1 => m.micro_f1,
            ThresholdMetric::LabelF1 => m.macro_f1,
        })
    }

    /// `--tune`: the best candidate of `grid` on `rows` (ties: the first)
    /// and every candidate's score.
    fn choose(&self, rows: &[usize], grid: &TuneGrid, args: &TrainArgs) -> Result<(usize, Vec<f64>)> {
        // Candidates are scored independently, in parallel; errors in grid order.
        let scored: Vec<Result<f64>> = grid
            .candidates
            .par_iter()
            .map(|s| {
                let (p, fs) = (candidate_params(&args.hyper, s, args.algo, args.seed)?, s.spec(self.spec));
                let job = Job { params: &p, spec: &fs, ..*self };
                job.tune_score(rows, args.tune_folds as usize).with_context(|| grid.describe(s))
            })
            .collect();
        let scores: Vec<f64> = scored.into_iter().collect::<Result<_>>()?;
        let best = (0..scores.len()).fold(0, |b, g| if scores[g] > scores[b] { g } else { b });
        Ok((best, scores))
    }
}

/// The stratification key of each row: its rarest label (ties to the
/// first), or `labels` when it has none.
fn rarest_label(truth: &[Vec<bool>], n_labels: usize) -> Vec<usize> {
    let counts: Vec<usize> = (0..n_labels).map(|c| truth.iter().filter(|t| t[c]).count()).collect();
    truth.iter().map(|t| (0..n_labels).filter(|&c| t[c]).min_by_key(|&c| (counts[c], c)).unwrap_or(n_labels)).collect()
}

fn combined_report(models: &[Estimator]) -> FitReport {
    OneVsRestModel::new(models.to_vec()).map(|m| m.report).unwrap_or_default()
}

pub fn run(
    args: &TrainArgs,
    set: &SignalSet,
    spec: &FeatureSpec,
    count_spec: &FeatureSpec,
    grid: Option<&TuneGrid>,
    name: &str,
    started: Instant,
) -> Result<super::common::Outcome> {
    check_label_sep(&args.label_sep)?;
    let mut data = read_labelled(
        &args.input,
        label_col(&args.label_col),
        args.group_col.as_deref(),
        &args.run,
        true,
        |w, text, _| {
            let cleaned = count_spec.clean(text);
            let signals = set.analyze(&cleaned, w);
            let stats = count(set, &signals);
            let tokens = tagged_tokens(count_spec, &cleaned, &signals.analyzed.tokens, &mut w.analyzer);
            let terms = TermCounts::from_tokens(&tokens, &w.analyzer, count_spec);
            (terms, stats)
        },
    )?;
    let (labels, truth) = label_sets(&data.labels, &data.ids, &args.label_sep)?;
    let say = |msg: String| {
        if !args.run.quiet {
            note!("slant: {msg}");
        }
    };
    let label_counts: Vec<(String, usize)> =
        labels.iter().enumerate().map(|(c, l)| (l.clone(), truth.iter().filter(|t| t[c]).count())).collect();
    say(format!(
        "{} rows, {} labels ({:.2} per row): {}",
        truth.len(),
        labels.len(),
        truth.iter().flatten().filter(|&&b| b).count() as f64 / truth.len().max(1) as f64,
        label_counts.iter().map(|(l, n)| format!("{l}={n}")).collect::<Vec<_>>().join(" ")
    ));
    let (docs, stats): (Vec<TermCounts>, Vec<DocStats>) = std::mem::take(&mut data.results).into_iter().unzip();
    let strat = rarest_label(&truth, labels.len());
    // Identical texts (e.g. one article filed twice with different labels)
    // must not sit on both sides of a fold boundary.
    let (groups, grouped_by) = match &data.groups {
        Some(g) => (g.clone(), args.group_col.clone().unwrap_or_default()),
        None => (
            data.texts.iter().map(|t| format!("{:016x}", TextFingerprints::of(t))).collect(),
            "identical text".to_string(),
        ),
    };
    let params = args.hyper.params(args.algo, args.seed)?;
    let job = Job {
        spec,
        set,
        docs: &docs,
        stats: &stats,
        labels: &labels,
        truth: &truth,
        strat: &strat,
        groups: &groups,
        grouped_by: &grouped_by,
        params: &params,
        calibration: match super::train::calibration_methods(args)?.as_slice() {
            [one] => *one,
            _ => bail!("--calibration with several methods (a choice) is for single-label models, not --multi-label"),
        },
        inner_folds: args.calibration_folds as usize,
        threshold_metric: args.threshold_metric,
        seed: args.seed,
    };
    let out_config = args.output_options.config();
    let mut run_info = RunInfo::now(args.input.inputs.iter().map(|p| p.display().to_string()).collect());
    run_info.lexicons = lexicon_refs(set);
    run_info.documents_scored = data.ids.len();

    let n = truth.len();
    let k = labels.len();
    let mut cv = None;
    let mut oof: Option<(Array2<f64>, Array2<f64>, Vec<usize>)> = None; // (proba, thresholds, fold)
    let mut chosen_per_fold = Vec::new();
    if args.cv >= 2 {
        let cv_started = Instant::now();
        let all: Vec<usize> = (0..n).collect();
        let folds = job.folds(&all, args.cv, args.seed)?;
        let mut proba = Array2::<f64>::zeros((n, k));
        let mut row_thresholds = Array2::<f64>::zeros((n, k));
        let mut fold_of = vec![0usize; n];
        let mut fold_metrics: Vec<MultiLabelMetrics> = Vec::new();
        let mut unconverged = 0;
        // The outer folds are fitted in parallel; read back, reported and any
        // error raised in fold order.
        let fold_fits: Vec<Result<(Fitted, Option<String>)>> = folds
            .par_iter()
            .enumerate()
            .map(|(fi, test)| -> Result<(Fitted, Option<String>)> {
                let is_test: std::collections::HashSet<usize> = test.iter().copied().collect();
                let train: Vec<usize> = all.iter().copied().filter(|i| !is_test.contains(i)).collect();
                match grid {
                    None => job.fit(&train).map(|f| (f, None)),
                    Some(g) => {
                        let (best, _) =
                            job.choose(&train, g, args).with_context(|| format!("--tune in outer fold {}", fi + 1))?;
                        let s = &g.candidates[best];
                        let (p, fs) = (candidate_params(&args.hyper, s, args.algo, args.seed)?, s.spec(spec));
                        Job { params: &p, spec: &fs, ..job }.fit(&train).map(|f| (f, Some(g.describe(s))))
                    }
                }
                .with_context(|| format!("outer fold {}", fi + 1))
            })
            .collect();
        for (fi, (test, fit)) in folds.iter().zip(fold_fits).enumerate() {
            let (fitted, chosen) = fit?;
            chosen_per_fold.extend(chosen);
            unconverged += fitted.models.iter().filter(|m| !m.report().converged).count();
            let x = fitted.features.matrix(&docs, &stats, &[], test)?;
            let mut p = Array2::<f64>::zeros((test.len(), k));
            for (c, m) in fitted.models.iter().enumerate() {
                p.column_mut(c).assign(&m.predict_proba(&x).column(1));
            }
            for (r, &i) in test.iter().enumerate() {
                proba.row_mut(i).assign(&p.row(r));
                row_thresholds.row_mut(i).assign(&ndarray::ArrayView1::from(&fitted.thresholds));
                fold_of[i] = fi + 1;
            }
            let t: Vec<Vec<bool>> = test.iter().map(|&i| truth[i].clone()).collect();
            let m = eval::compute_multilabel(&labels, &t, &p, &fitted.thresholds);
            say(format!(
                "fold {}/{}: micro-F1 {:.3}, macro-F1 {:.3}, Hamming loss {:.3}",
                fi + 1,
                folds.len(),
                m.micro_f1,
                m.macro_f1,
                m.hamming_loss
            ));
            fold_metrics.push(m);
        }
        let pooled = eval::compute_multilabel_rows(&labels, &truth, &proba, &row_thresholds);
        let c = MultiLabelCv {
            folds: folds.len(),
            grouped_by: Some(grouped_by.clone()),
            seed: args.seed,
            per_fold: MultiLabelMetrics::summarize_folds(&fold_metrics),
            pooled,
            unconverged_fits: unconverged,
            seconds: cv_started.elapsed().as_secs_f64(),
        };
        if let Some(path) = &args.metrics {
            write_cv_metrics(path, &fold_metrics, &c, &out_config, &run_info)?;
        }
        cv = Some(c);
        oof = Some((proba, row_thresholds, fold_of));
    }

    let fit_started = Instant::now();
    let all: Vec<usize> = (0..n).collect();
    let (final_params, final_spec, tuning) = match grid {
        None => (params.clone(), spec.clone(), None),
        Some(g) => {
            let (best, scores) = job.choose(&all, g, args).context("--tune on all rows")?;
            let criterion = format!(
                "{} of out-of-fold probabilities under thresholds chosen on them",
                match args.threshold_metric {
                    ThresholdMetric::MicroF1 => "micro-F1",
                    ThresholdMetric::LabelF1 => "macro-F1",
                }
            );
            let tuning = tuning_record(g, best, scores, args.tune_folds as usize, &criterion, chosen_per_fold);
            say(format!("--tune: {} (inner {})", tuning.chosen, tuning_scores(&tuning)));
            let s = &g.candidates[best];
            (candidate_params(&args.hyper, s, args.algo, args.seed)?, s.spec(spec), Some(tuning))
        }
    };
    let fitted = Job { params: &final_params, spec: &final_spec, ..job }.fit(&all)?;
    let fit_seconds = fit_started.elapsed().as_secs_f64();
    let fit = combined_report(&fitted.models);
    for w in &fit.warnings {
        note!("slant: warning: {w}");
    }
    let estimator = Estimator::OneVsRest(
        OneVsRestModel::new(fitted.models).map_err(|e| anyhow::anyhow!("internal error: one-vs-rest model: {e}"))?,
    );
    let model = ModelFile {
        format: slant::models::artifact::FORMAT.into(),
        schema_version: slant::models::artifact::SCHEMA_VERSION_UNSTACKED,
        slant_version: env!("CARGO_PKG_VERSION").into(),
        created: now_rfc3339(),
        name: name.to_string(),
        level: args.level,
        labels: labels.clone(),
        text_pipeline: TextPipeline::current(),
        lexicons: embedded_lexicons(set),
        features: fitted.features,
        params: final_params,
        estimator,
        training: TrainingInfo {
            data_files: args.input.inputs.iter().map(|p| p.display().to_string()).collect(),
            data_sha256: data_hash(&data),
            rows: n,
            label_counts,
            text_col: args.input.text_col.clone().unwrap_or_else(|| "text".into()),
            label_col: args.label_col.clone(),
            group_col: args.group_col.clone(),
            command_line: std::env::args().collect(),
            fit,
            fit_seconds,
            text_fingerprints: Some(TextFingerprints::from_texts(data.texts.iter().map(String::as_str))),
            tuning,
            data_licence: args.data_licence.clone(),
        },
        cross_validation: None,
        multi_label: Some(MultiLabel {
            label_sep: args.label_sep.clone(),
            thresholds: fitted.thresholds,
            thresholds_chosen: format!(
                "per label, a threshold from 0.01 to 0.99, chosen {} on out-of-fold {} \
                 probabilities of {} inner folds (grouped by {}) of the training rows",
                match args.threshold_metric {
                    ThresholdMetric::MicroF1 => "with the other labels' to maximise the micro-F1",
                    ThresholdMetric::LabelF1 => "to maximise the label's own F1",
                },
                match job.calibration {
                    CalibrationMethod::None => "",
                    // Each label's model is binary: per-class Platt is Platt.
                    CalibrationMethod::Platt | CalibrationMethod::PlattPerClass => "Platt-calibrated",
                    CalibrationMethod::Temperature => "temperature-scaled",
                    CalibrationMethod::TemperatureTop => "temperature-scaled (with a decision bonus)",
                },
                args.calibration_folds,
                grouped_by
            )
            .replace("  ", " "),
            cross_validation: cv,
        }),
        stacked: Vec::new(),
    };
    model.check().context("internal error: the trained model failed its own checks")?;
    if let (Some(path), Some((proba, thr, fold))) = (&args.predictions, &oof) {
        write_predictions(path, &data, &model, &truth, proba, thr, Some(fold), &out_config, &run_info)?;
    }
    if let Some(path) = &args.card {
        write_card(path, &model, args)?;
    }
    model.save(&args.output)?;
    let ml = model.multi_label.as_ref().expect("set above");
    if let Some(cv) = &ml.cross_validation {
        say(format!(
            "cross-validated ({} folds, grouped by {}; thresholds chosen in inner folds):",
            cv.folds,
            cv.grouped_by.as_deref().unwrap_or("-")
        ));
        if !args.run.quiet {
            note!("{}", cv.pooled.report());
        }
    }
    say(train::written_line(&args.output, &model, &format!("{k} labels"), started, fit_seconds));
    Ok(data.outcome(&args.run))
}

fn write_cv_metrics(
    path: &Path,
    folds: &[MultiLabelMetrics],
    cv: &MultiLabelCv,
    config: &OutputConfig,
    run: &RunInfo,
) -> Result<()> {
    let mut rows = Vec::new();
    for (i, m) in folds.iter().enumerate() {
        rows.extend(m.long_rows().into_iter().map(|r| MetricRow::new((i + 1).to_string(), r)));
    }
    rows.extend(cv.pooled.long_rows().into_iter().map(|r| MetricRow::new("pooled", r)));
    train::push_fold_summary(&mut rows, &cv.per_fold);
    train::write_schema_table(path, &cv_metrics_schema(), rows, config, run)
}

/// Multi-label predictions: doc_id, [kept], [group], labels (true set),
/// predicted (set under the thresholds), [fold], p_<label>... The sets are
/// joined by the model's separator.
#[allow(clippy::too_many_arguments)] // the pieces of one prediction table
pub fn write_predictions<T>(
    path: &Path,
    data: &super::train::Labelled<T>,
    model: &ModelFile,
    truth: &[Vec<bool>],
    proba: &Array2<f64>,
    thresholds: &Array2<f64>,
    fold: Option<&Vec<usize>>,
    config: &OutputConfig,
    run: &RunInfo,
) -> Result<()> {
    let ml = model.multi_label.as_ref().expect("a multi-label model");
    let labels = &model.labels;
    let (schema, row_start) = train::predictions_table(data, labels, fold.is_some());
    let join = |chosen: &dyn Fn(usize) -> bool| {
        labels
            .iter()
            .enumerate()
            .filter(|&(c, _)| chosen(c))
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join(&ml.label_sep)
    };
    let rows = (0..truth.len()).map(|i| PredictionRow {
        label: join(&|c| truth[i][c]),
        predicted: join(&|c| proba[[i, c]] >= thresholds[[i, c]]),
        fold: fold.map_or(0, |f| f[i]),
        probabilities: proba.row(i).to_vec(),
        ..row_start(i)
    });
    train::write_schema_table(path, &schema, rows, config, run)
}

fn write_card(path: &Path, m: &ModelFile, args: &TrainArgs) -> Result<()> {
    let ml = m.multi_label.as_ref().expect("a multi-label model");
    let out = AtomicOutput::create(Some(path))?;
    {
        let mut w = out.writer()?;
        writeln!(w, "# Model card: `{}`\n", m.name)?;
        writeln!(w, "Generated by `slant train --multi-label` (slant {}) on {}.\n", m.slant_version, m.created)?;
        writeln!(w, "| | |\n|---|---|")?;
        writeln!(w, "| level | {:?} |", m.level)?;
        writeln!(
            w,
            "| task | multi-label: {} labels, a row carries any number of them (label sets joined by `{}`) |",
            m.labels.len(),
            ml.label_sep
        )?;
        writeln!(w, "| algorithm | one-vs-rest: one binary {:?} model per label |", m.algorithm())?;
        writeln!(w, "| hyper-parameters | {} |", m.params.describe())?;
        let cal = match &m.estimator {
            Estimator::OneVsRest(o) => o.models[0].calibration().clone(),
            e => e.calibration().clone(),
        };
        match &cal {
            Calibration::None => {
                writeln!(w, "| probability calibration | none (each binary model's own probabilities) |")?
            }
            c => writeln!(w, "| probability calibration | per label, {} |", super::train::describe_calibration(c, 2))?,
        }
        writeln!(w, "| decision thresholds | {} |", ml.thresholds_chosen)?;
        let s = m.features.spec();
        if let Some((lo, hi)) = s.char_ngrams {
            writeln!(w, "| character n-grams | {lo}-{hi} characters of each word (padded), normalised apart from the word terms |")?;
        }
        if let Some((lo, hi)) = s.pos_ngrams {
            writeln!(w, "| part-of-speech n-grams | {lo}-{hi} tokens inside a sentence, closed-class words kept and other words as their Penn tag, normalised apart from the word terms |")?;
        }
        writeln!(w, "| features | stem 1..{}-grams, min_df {}, max {} by {:?}, {:?} weighting, lexicon features {}, length features {}; {} features in total, shared by the labels |", s.ngram_max, s.min_df, s.max_features, s.selection, s.weighting, s.lexicon_features, s.length_features, m.features.n_features())?;
        super::train::write_card_training(
            &mut w,
            m,
            args,
            "rows carrying each label: ",
            " (all labels, inner folds for thresholds included)",
        )?;
        writeln!(w, "## Thresholds of the shipped model\n")?;
        writeln!(w, "| label | threshold |\n|---|---|")?;
        for (l, t) in m.labels.iter().zip(&ml.thresholds) {
            writeln!(w, "| {l} | {t:.2} |")?;
        }
        writeln!(w)?;
        if let Some(cv) = &ml.cross_validation {
            writeln!(w, "## Cross-validated metrics\n")?;
            writeln!(
                w,
                "{} folds grouped by {} (no group in two folds), seed {}; nested: each outer fold's thresholds{} \
                 were chosen on inner folds of its training part only; pooled out-of-fold predictions \
                 ({} label fits did not converge; {:.1} s):\n",
                cv.folds,
                cv.grouped_by.as_deref().unwrap_or("-"),
                cv.seed,
                if cal.is_none() { "" } else { " and calibration" },
                cv.unconverged_fits,
                cv.seconds
            )?;
            writeln!(w, "```\n{}\n```\n", cv.pooled.report().trim_end())?;
            writeln!(w, "Mean ± sd over folds:\n")?;
            for (metric, mean, sd) in &cv.per_fold {
                writeln!(w, "- {metric}: {mean:.3} ± {sd:.3}")?;
            }
            writeln!(w)?;
        }
        writeln!(
            w,
            "## How the settings were chosen\n\n{}\n",
            args.settings_chosen.as_deref().unwrap_or("not stated")
        )?;
        if let Some(t) = &m.training.tuning {
            let grouped = ml.cross_validation.as_ref().and_then(|cv| cv.grouped_by.as_deref());
            super::train::write_card_tuning(&mut w, t, grouped)?;
        }
        if let Some(n) = &args.notes {
            writeln!(w, "## Known confounds and notes\n\n{n}\n")?;
        }
        w.flush()?;
    }
    Ok(out.commit()?)
}
