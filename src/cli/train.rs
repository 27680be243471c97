//! `slant train`: fit a classifier on a labelled `text,label` file with
//! cross-validated metrics, and save a model file carrying its pipeline.

use super::common::{choice, InputArgs, LexiconArgs, Outcome, OutputArgs, RunArgs};
pub use super::labelled::{read_labelled, LabelColumn, Labelled};
use super::tune::{Setting, TuneGrid};
use anyhow::{bail, Context, Result};
use clap::Args;
use linfa::ParamGuard;
use ndarray::Array2;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use slant::eval::{self, Metrics};
use slant::features::boilerplate::Boilerplate;
use slant::features::terms::TermCounts;
use slant::features::{
    extra_feature_names, tagged_tokens, FeatureSpec, Featurizer, Selection, Weighting, MAX_POS_NGRAM,
};
use slant::models::artifact::{
    snake, stacked_column, stacked_values_of, CrossValidation, EmbeddedLexicons, Level, ModelFile, StackedModel,
    TextFingerprints, TextPipeline, TrainedModel, TrainingInfo, Tuning,
};
use slant::models::tree::MAX_TREE_FEATURES;
use slant::models::{
    argmax_rows, Algorithm, Calibration, CalibrationMethod, ClassWeight, Estimator, LogisticParams, NaiveBayesParams,
    Params, SvmParams, TreeParams,
};
use slant::output::columns::{
    cv_metrics_schema, predictions_schema, MetricRow, PredictionColumns, PredictionRow, Schema,
};
use slant::output::table::{OutputConfig, RunInfo, Table};
use slant::output::{lexicon_refs, now_rfc3339, AtomicOutput};
use slant::signals::stats::{count, DocStats};
use slant::signals::SignalSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Feature options shared by `train`.
#[derive(Debug, Clone, Args)]
pub struct FeatureArgs {
    /// Largest n-gram of stems: 1 = unigrams, 2 = unigrams and bigrams.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub ngrams: u8,
    /// Minimum number of training documents a term must occur in.
    #[arg(long, default_value_t = 2)]
    pub min_df: usize,
    /// Keep at most this many terms [default: 20000; with --algo tree, the
    /// tree's limit of 2000 feature columns less the lexicon and length
    /// features].
    #[arg(long)]
    pub max_features: Option<usize>,
    /// How terms are chosen when there are more than --max-features
    /// [default: chi2; frequency with --multi-label, where a row has no
    /// single label to test terms against].
    #[arg(long, value_parser = choice::<Selection>())]
    pub select: Option<Selection>,
    /// Term weighting (rows are L2-normalised after weighting).
    #[arg(long, value_parser = choice::<Weighting>(), default_value = "tf-idf")]
    pub weighting: Weighting,
    /// Leave out the lexicon signals (category rates, voice split, balance).
    #[arg(long)]
    pub no_lexicon_features: bool,
    /// Leave out the length features (log words, log sentences).
    #[arg(long)]
    pub no_length_features: bool,
    /// Also character n-grams of each word (lowercase, padded with a space
    /// at both ends, as scikit-learn's char_wb), lengths MIN-MAX (e.g.
    /// `2-5`); word and character terms are L2-normalised separately and
    /// share --max-features.
    #[arg(long, value_name = "MIN-MAX", value_parser = parse_char_ngrams)]
    pub char_ngrams: Option<(usize, usize)>,
    /// Also part-of-speech n-grams of lengths MIN-MAX (e.g. `1-3`) inside
    /// each sentence, with closed-class words (determiners, prepositions,
    /// pronouns, auxiliaries and modals, conjunctions, particles,
    /// punctuation) kept and every other word replaced by its Penn tag
    /// ("the JJ NN of", "we may VB"); every sentence is then tagged (slower
    /// scoring). They are L2-normalised apart from the word terms and share
    /// --max-features.
    #[arg(long, value_name = "MIN-MAX", value_parser = parse_pos_ngrams)]
    pub pos_ngrams: Option<(usize, usize)>,
    /// Remove boilerplate before featurising: photo captions and credits,
    /// newsletter and app prompts, copyright notices, bylines, wire
    /// datelines and outlet names, as listed in the shipped
    /// models/lexicons/boilerplate.tsv (or --boilerplate-list). The list is
    /// stored in the model, and scoring removes the same text.
    #[arg(long)]
    pub drop_boilerplate: bool,
    /// Boilerplate list to use instead of the shipped one (implies
    /// --drop-boilerplate; format in models/lexicons/boilerplate.tsv).
    #[arg(long, value_name = "FILE")]
    pub boilerplate_list: Option<PathBuf>,
}

/// `--char-ngrams`: `N` or `MIN-MAX`, 1 <= MIN <= MAX <= 10.
pub(super) fn parse_char_ngrams(s: &str) -> std::result::Result<(usize, usize), String> {
    let (lo, hi) = s.split_once('-').unwrap_or((s, s));
    let num = |v: &str| v.trim().parse::<usize>().map_err(|_| format!("expected MIN-MAX such as 2-5, got {s:?}"));
    let (lo, hi) = (num(lo)?, num(hi)?);
    if lo == 0 || hi < lo || hi > 10 {
        return Err(format!("expected 1 <= MIN <= MAX <= 10, got {s:?}"));
    }
    Ok((lo, hi))
}

/// `--pos-ngrams`: `N` or `MIN-MAX`, 1 <= MIN <= MAX <= 5 ([`MAX_POS_NGRAM`]).
pub(super) fn parse_pos_ngrams(s: &str) -> std::result::Result<(usize, usize), String> {
    let (lo, hi) = s.split_once('-').unwrap_or((s, s));
    let num = |v: &str| v.trim().parse::<usize>().map_err(|_| format!("expected MIN-MAX such as 1-3, got {s:?}"));
    let (lo, hi) = (num(lo)?, num(hi)?);
    if lo == 0 || hi < lo || hi > MAX_POS_NGRAM {
        return Err(format!("expected 1 <= MIN <= MAX <= {MAX_POS_NGRAM}, got {s:?}"));
    }
    Ok((lo, hi))
}

impl FeatureArgs {
    /// The boilerplate list of --drop-boilerplate / --boilerplate-list.
    fn boilerplate(&self) -> Result<Option<Boilerplate>> {
        Ok(match &self.boilerplate_list {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read boilerplate list {}", p.display()))?;
                Some(Boilerplate::parse(&p.display().to_string(), &text)?)
            }
            None if self.drop_boilerplate => Some(Boilerplate::builtin()),
            None => None,
        })
    }
}

/// Terms kept when --max-features is not given (linear models and naive Bayes).
const DEFAULT_MAX_TERMS: usize = 20_000;

impl FeatureArgs {
    /// The feature settings for `algo`. The tree takes at most
    /// [`MAX_TREE_FEATURES`] columns in all, lexicon and length features
    /// included, so its term cap is what they leave (checked here, where
    /// the message can name the flag, rather than after featurising).
    pub(super) fn spec(&self, algo: Algorithm, set: &SignalSet, multi_label: bool) -> Result<FeatureSpec> {
        let selection = match (self.select, multi_label) {
            (Some(Selection::Chi2), true) => {
                bail!("--select chi2 tests terms against one label per row; with --multi-label use --select frequency")
            }
            (Some(s), _) => s,
            (None, true) => Selection::Frequency,
            (None, false) => Selection::Chi2,
        };
        let mut spec = FeatureSpec {
            ngram_max: self.ngrams as usize,
            min_df: self.min_df,
            max_features: self.max_features.unwrap_or(DEFAULT_MAX_TERMS),
            selection,
            weighting: self.weighting,
            lexicon_features: !self.no_lexicon_features,
            length_features: !self.no_length_features,
            char_ngrams: self.char_ngrams,
            pos_ngrams: self.pos_ngrams,
            boilerplate: self.boilerplate()?,
            stacked: Vec::new(),
        };
        if algo == Algorithm::Tree {
            let extra = extra_feature_names(&spec, set).len();
            let room = MAX_TREE_FEATURES.saturating_sub(extra);
            match self.max_features {
                None if room > 0 => spec.max_features = room,
                Some(n) if n <= room && n > 0 => {}
                _ => bail!(
                    "--algo tree accepts at most {MAX_TREE_FEATURES} feature columns in all; the lexicon and length \
                     features take {extra}, so --max-features can be at most {room} (or leave them out with \
                     --no-lexicon-features / --no-length-features)"
                ),
            }
        }
        Ok(spec)
    }
}

/// A label column whose values all look like numbers and that has more
/// distinct values than this is taken for a numeric outcome, not classes.
const MAX_NUMERIC_CLASSES: usize = 10;

/// Hyper-parameters.
#[derive(Debug, Clone, Args)]
pub struct HyperArgs {
    /// Inverse regularisation strength (logistic, linear SVM), as sklearn's C.
    #[arg(long = "c", default_value_t = 1.0)]
    pub c: f64,
    /// Maximum optimiser iterations (logistic), Newton steps then coordinate-descent passes (SVM).
    #[arg(long, default_value_t = 1000)]
    pub max_iter: usize,
    /// Convergence tolerance.
    #[arg(long, default_value_t = 1e-6)]
    pub tol: f64,
    /// Class weights: `balanced` weighs classes inversely to their frequency.
    #[arg(long, value_parser = choice::<ClassWeight>(), default_value = "none")]
    pub class_weight: ClassWeight,
    /// Additive smoothing for naive Bayes.
    #[arg(long, default_value_t = 1.0)]
    pub nb_alpha: f64,
    /// Maximum depth (tree).
    #[arg(long, default_value_t = 10)]
    pub max_depth: usize,
    /// Minimum training rows in a leaf (tree).
    #[arg(long, default_value_t = 2)]
    pub min_samples_leaf: usize,
}

impl HyperArgs {
    /// The checked parameters of `algo` (flags of other algorithms are not used).
    pub(super) fn params(&self, algo: Algorithm, seed: u64) -> Result<Params> {
        let cw = self.class_weight;
        Ok(match algo {
            Algorithm::Logistic => Params::Logistic(
                LogisticParams::new().c(self.c).max_iter(self.max_iter).tol(self.tol).class_weight(cw).check()?,
            ),
            Algorithm::LinearSvm => Params::LinearSvm(
                SvmParams::new().c(self.c).max_iter(self.max_iter).tol(self.tol).class_weight(cw).seed(seed).check()?,
            ),
            Algorithm::NaiveBayes => {
                Params::NaiveBayes(NaiveBayesParams::new().alpha(self.nb_alpha).class_weight(cw).check()?)
            }
            Algorithm::Tree => Params::Tree(
                TreeParams::new()
                    .max_depth(self.max_depth)
                    .min_samples_leaf(self.min_samples_leaf)
                    .class_weight(cw)
                    .check()?,
            ),
        })
    }
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  slant train data.csv --text-col text --label-col label --algo logistic --cv 5 -o models/mine.json
  slant train babe.csv.gz --label-col label --group-col outlet --level sentence --class-weight balanced -o models/bias.json
  slant train data.csv --label-col label --cv 5 --predictions oof.csv --metrics cv_metrics.csv -o mine.json")]
pub struct TrainArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Column / field holding the label.
    #[arg(long, default_value = "label", value_name = "COLUMN")]
    pub label_col: String,

    /// Multi-label: each row carries a set of labels (joined by
    /// --label-sep). One binary model per label (one-vs-rest), each with a
    /// decision threshold chosen on out-of-fold probabilities of inner
    /// folds (--calibration-folds); metrics micro- and macro-F1, Hamming
    /// loss, per-label precision/recall/F1. Rows with identical text share
    /// a cross-validation fold.
    #[arg(long)]
    pub multi_label: bool,

    /// Separator of the labels in a row's label set, with --multi-label.
    #[arg(long, default_value = ";", value_name = "SEP", requires = "multi_label")]
    pub label_sep: String,

    /// With --multi-label: what the per-label thresholds maximise on the
    /// inner folds' out-of-fold probabilities.
    #[arg(long, value_parser = super::common::choice::<slant::eval::ThresholdMetric>(), default_value = "micro-f1", requires = "multi_label")]
    pub threshold_metric: slant::eval::ThresholdMetric,

    /// Group column for cross-validation: no group (e.g. outlet) is in two
    /// folds, so scores are for unseen groups.
    #[arg(long, value_name = "COLUMN")]
    pub group_col: Option<String>,

    /// The --group-col holds URLs: group by their registrable domain, i.e. the
    /// publisher (https://www.bbc.co.uk/news/1 -> bbc.co.uk; Public Suffix List).
    #[arg(long, requires = "group_col")]
    pub group_domain: bool,

    /// Algorithm.
    #[arg(long, value_parser = choice::<Algorithm>(), default_value = "logistic")]
    pub algo: Algorithm,

    /// Cross-validation folds (0 = no cross-validation).
    #[arg(long, default_value_t = 5)]
    pub cv: usize,

    /// Probability calibration, fitted on out-of-fold scores of inner
    /// cross-validation folds of the training rows (grouped like the outer
    /// folds); in cross-validation it is refitted inside each training fold.
    /// [default: platt for linear-svm, naive-bayes and tree, whose own
    /// scores are not calibrated probabilities; none for logistic, a
    /// probabilistic model whose out-of-fold calibration is measured in
    /// the cards]. Several methods, comma-separated (e.g.
    /// `temperature,temperature-top`): the one with the lowest log loss
    /// cross-fitted over those inner folds' out-of-fold scores is used
    /// (chosen inside each outer training fold in --cv; the card lists the
    /// choices); single-label models only. Spaces around the names are
    /// ignored; a name listed twice is an error.
    #[arg(long, value_parser = Trimmed(choice::<CalibrationMethod>()), value_delimiter = ',', num_args = 1)]
    pub calibration: Vec<CalibrationMethod>,

    /// Inner folds whose out-of-fold scores every calibration other than
    /// none is fitted on (platt, temperature, temperature-top,
    /// platt-per-class), and over
    /// which a choice among several --calibration methods is cross-fitted
    /// (and, with --multi-label, for choosing the per-label thresholds).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(2..))]
    pub calibration_folds: u64,

    /// Choose settings from a small declared grid by nested
    /// cross-validation, e.g. `c=0.1,1,10;char-ngrams=none,2-5`: settings
    /// `c` (logistic, linear-svm), `class-weight`, `ngrams` (1 or 2),
    /// `char-ngrams` (`none` or MIN-MAX) and `weighting`, each with its
    /// candidate values; the grid is every combination (at most 32), the
    /// other settings come from their own flags. Inside the rows a model is
    /// fitted on, the candidate with the best score over --tune-folds inner
    /// folds (grouped like the outer folds; ties go to the first) is used:
    /// pooled out-of-fold macro-F1 of the uncalibrated model, or with
    /// --multi-label the --threshold-metric under thresholds chosen on those
    /// inner probabilities. In --cv this is repeated inside every outer
    /// training fold, so the reported figures include the choice. The card
    /// lists the grid, every candidate's score and each fold's choice.
    #[arg(long, value_name = "KEY=V,V;KEY=V,...")]
    pub tune: Option<String>,

    /// Inner folds for --tune.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(2..))]
    pub tune_folds: u64,

    /// How the settings were chosen, for the model card (e.g. "by 5-fold CV on
    /// the same folds as reported"). A card without it says "not stated".
    #[arg(long, value_name = "TEXT")]
    pub settings_chosen: Option<String>,

    /// Random seed for folds and estimators.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// The unit of the training rows.
    #[arg(long, value_parser = choice::<Level>(), default_value = "document")]
    pub level: Level,

    /// Model name used in output columns (default: the output file name).
    #[arg(long)]
    pub name: Option<String>,

    /// Model file to write.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// Write out-of-fold predictions to FILE.
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,

    /// Write per-fold and pooled cross-validated metrics (long format) to FILE.
    #[arg(long, value_name = "FILE")]
    pub metrics: Option<PathBuf>,

    /// Write a model card (Markdown) to FILE.
    #[arg(long, value_name = "FILE")]
    pub card: Option<PathBuf>,

    /// Licence of the training data, for the model card; also stored in the
    /// model file (`training.data_licence`), so a model stacking this one
    /// names it on its own card.
    #[arg(long, value_name = "TEXT")]
    pub data_licence: Option<String>,

    /// Stacking: add the class probabilities of a trained model of the same
    /// --level (e.g. models/bias.json) on each row's text as features
    /// (repeatable). The model is embedded in the new model file, which
    /// then scores with it; its training data's licence conditions apply
    /// to the new model too (the card lists it). Refused when that model
    /// was trained on any of these rows (see --allow-stack-overlap).
    /// Single-label models only; not with --multi-label or --algo tree.
    #[arg(long, value_name = "FILE")]
    pub stack_model: Vec<PathBuf>,

    /// Train with --stack-model even when the stacked model was trained on
    /// some of these rows (or its file does not say what it was trained
    /// on): its probabilities of those rows are in-sample, so the
    /// cross-validated figures are optimistic; the card says so and how
    /// many rows overlap.
    #[arg(long, requires = "stack_model")]
    pub allow_stack_overlap: bool,

    /// Known confounds and other notes, for the model card.
    #[arg(long, value_name = "TEXT")]
    pub notes: Option<String>,

    #[command(flatten)]
    pub output_options: OutputArgs,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub features: FeatureArgs,

    #[command(flatten)]
    pub hyper: HyperArgs,

    #[command(flatten)]
    pub lexicons: LexiconArgs,
}

pub fn run(args: TrainArgs) -> Result<Outcome> {
    // The folds, `--tune` candidates, calibration folds and one-vs-rest
    // fits run on rayon's pool; without this, that is the global pool of
    // every core whatever `--threads` says (a job given 2 cores on a large
    // node would take them all). The results do not depend on the count.
    match args.run.threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("slant-train-{i}"))
            .build()
            .map_err(|e| anyhow::anyhow!("cannot start {threads} worker thread(s): {e}"))?
            .install(|| run_in_pool(args)),
        None => run_in_pool(args),
    }
}

fn run_in_pool(args: TrainArgs) -> Result<Outcome> {
    let started = Instant::now();
    super::labelled::keep_cols_need_predictions(&args.input, args.predictions.as_deref())?;
    {
        let extra: Vec<&Path> = args
            .stack_model
            .iter()
            .map(|p| p.as_path())
            .chain(args.features.boilerplate_list.as_deref())
            .chain(args.lexicons.files())
            .collect();
        args.output_options.check_outputs(
            &[("--predictions", args.predictions.as_deref()), ("--metrics", args.metrics.as_deref())]
                .into_iter()
                .filter(|(_, p)| p.is_some())
                .collect::<Vec<_>>(),
            &args.input.files_read(&extra),
            args.run.quiet,
        )?;
        // The model file and its card are no tables, but must not destroy
        // an input or another output either.
        slant::files::check_distinct_outputs(
            &args.input.files_read(&extra),
            &[("-o", args.output.as_path())]
                .into_iter()
                .chain(args.card.as_deref().map(|p| ("--card", p)))
                .chain(args.predictions.as_deref().map(|p| ("--predictions", p)))
                .chain(args.metrics.as_deref().map(|p| ("--metrics", p)))
                .collect::<Vec<_>>(),
        )?;
    }
    // The grid is checked before any data is read or model fitted.
    let grid = match &args.tune {
        Some(text) => Some(TuneGrid::parse(text, &base_setting(&args), args.algo)?),
        None => None,
    };
    if !args.lexicons.dicts.is_empty() {
        // A model file embeds its lexicons so it scores the same anywhere;
        // dictionaries are not embedded (yet), so they cannot feed a model.
        bail!("--dict is not supported by `train`: a model file embeds only the lexicon and sides file");
    }
    let set = args.lexicons.load()?;
    let name = match &args.name {
        Some(n) => n.clone(),
        None => snake(&args.output.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()),
    };
    if !slant::signals::table::is_snake_case(&name) {
        bail!("model name {name:?} must be ASCII snake_case (use --name)");
    }
    let spec = args.features.spec(args.algo, &set, args.multi_label)?;
    // Terms are counted once, for the widest candidate of the grid; each
    // candidate's featurizer keeps only its own (FeatureSpec::admits).
    let count_spec = match &grid {
        Some(g) => {
            let (ngrams, chars, pos) = g.widest();
            FeatureSpec { ngram_max: ngrams as usize, char_ngrams: chars, pos_ngrams: pos, ..spec.clone() }
        }
        None => spec.clone(),
    };
    if !args.stack_model.is_empty() && (args.multi_label || args.algo == Algorithm::Tree) {
        // The tree's feature cap is set before the stacked columns are known.
        bail!("--stack-model is not supported with --multi-label or --algo tree");
    }
    let stacked_models = load_stacked(&args.stack_model, args.level)?;
    let spec = FeatureSpec { stacked: stacked_models.columns(), ..spec };
    let count_spec = FeatureSpec { stacked: spec.stacked.clone(), ..count_spec };
    if args.multi_label {
        return super::train_multilabel::run(&args, &set, &spec, &count_spec, grid.as_ref(), &name, started);
    }
    let mut data = read_labelled(
        &args.input,
        label_col(&args.label_col),
        args.group_col.as_deref(),
        &args.run,
        true,
        |w, text, _| {
            // The stacked models first: they run the analyser, and the
            // terms are counted right after this model's own analysis.
            let stacked = stacked_values_of(&stacked_models.models, text, w);
            let cleaned = count_spec.clean(text);
            let signals = set.analyze(&cleaned, w);
            let stats = count(&set, &signals);
            let tokens = tagged_tokens(&count_spec, &cleaned, &signals.analyzed.tokens, &mut w.analyzer);
            let terms = TermCounts::from_tokens(&tokens, &w.analyzer, &count_spec);
            ((terms, stats), stacked)
        },
    )?;
    if args.group_domain {
        super::labelled::group_by_domain(&mut data, args.group_col.as_deref().unwrap_or_default());
    }
    check_stack_overlap(&stacked_models, &data.texts, &data_hash(&data), args.allow_stack_overlap)?;
    // How the folds are grouped, as the card and model file say it.
    let grouped_by =
        args.group_col.as_ref().map(
            |g| {
                if args.group_domain {
                    format!("registrable domain of {g}")
                } else {
                    g.clone()
                }
            },
        );
    // Without a group column, rows of identical text (a wire story filed
    // twice, a repeated sentence) are the cross-validation groups, as in
    // multi-label training: no text is then both trained on and predicted.
    // Data without repeated texts keeps its stratified folds. (The rows'
    // own group column, the data hash and the predictions are unchanged.)
    let mut cv_groups = data.groups.clone();
    let grouped_by = match grouped_by {
        None if cv_groups.is_none() => {
            let keys: Vec<String> = data.texts.iter().map(|t| format!("{:016x}", TextFingerprints::of(t))).collect();
            let distinct: std::collections::HashSet<&String> = keys.iter().collect();
            if distinct.len() < keys.len() {
                if !args.run.quiet {
                    note!(
                        "slant: {} row(s) repeat the text of another row: cross-validation is grouped by identical \
                         text, so no text is both trained on and predicted",
                        keys.len() - distinct.len()
                    );
                }
                cv_groups = Some(keys);
                Some("identical text".to_string())
            } else {
                None
            }
        }
        g => g,
    };
    let mut labels: Vec<String> = data.labels.clone();
    labels.sort();
    labels.dedup();
    if labels.len() < 2 {
        bail!("column '{}' has {} distinct label(s); a classifier needs at least 2", args.label_col, labels.len());
    }
    if labels.len() > MAX_NUMERIC_CLASSES && labels.iter().all(|l| l.trim().parse::<f64>().is_ok()) {
        bail!(
            "--label-col '{}' looks numeric ({} distinct values such as {}, {}, {}): slant trains classifiers only \
             (classification, not regression); bin the values into a few named classes first",
            args.label_col,
            labels.len(),
            labels[0],
            labels[1],
            labels[2]
        );
    }
    let y: Vec<usize> = data.labels.iter().map(|l| labels.binary_search(l).expect("label from the set")).collect();
    let label_counts: Vec<(String, usize)> =
        labels.iter().enumerate().map(|(i, l)| (l.clone(), y.iter().filter(|&&c| c == i).count())).collect();
    let say = |msg: String| {
        if !args.run.quiet {
            note!("slant: {msg}");
        }
    };
    say(format!(
        "{} rows, labels {}",
        y.len(),
        label_counts.iter().map(|(l, n)| format!("{l}={n}")).collect::<Vec<_>>().join(" ")
    ));
    let out_config = args.output_options.config();
    let mut run_info = RunInfo::now(args.input.inputs.iter().map(|p| p.display().to_string()).collect());
    run_info.lexicons = lexicon_refs(&set);
    run_info.documents_scored = data.ids.len();
    let params = args.hyper.params(args.algo, args.seed)?;
    let (analysed, stacked): (Vec<(TermCounts, DocStats)>, Vec<_>) =
        std::mem::take(&mut data.results).into_iter().unzip();
    let stacked: Vec<Vec<f32>> = stacked
        .into_iter()
        .zip(&data.ids)
        .enumerate()
        .map(|(i, (values, id))| {
            values.with_context(|| {
                format!(
                    "--stack-model: a stacked model's probabilities of training record {} as read (id '{id}')",
                    i + 1
                )
            })
        })
        .collect::<Result<_>>()?;
    let (docs, stats): (Vec<TermCounts>, Vec<DocStats>) = analysed.into_iter().unzip();
    let k = labels.len();
    let calibration = calibration_methods(&args)?;

    let job = Job {
        spec: &spec,
        set: &set,
        docs: &docs,
        stats: &stats,
        stacked: &stacked,
        y: &y,
        k,
        params: &params,
        groups: cv_groups.as_deref(),
        group_col: grouped_by.as_deref(),
        calibration: &calibration,
        calibration_folds: args.calibration_folds as usize,
        seed: args.seed,
    };

    // Cross-validation.
    let mut cv = None;
    let mut chosen_per_fold = Vec::new();
    let mut calibration_per_fold = Vec::new();
    let mut oof: Option<(Vec<usize>, Array2<f64>, Vec<usize>)> = None; // (pred, proba, fold)
    if args.cv >= 2 {
        let cv_started = Instant::now();
        let folds = match &cv_groups {
            Some(g) => eval::group_kfold(g, &y, args.cv, args.seed),
            None => eval::stratified_kfold(&y, args.cv, args.seed),
        }
        .map_err(|e| anyhow::anyhow!("cannot make folds: {e}"))?;
        // The folds are fitted in parallel (each fit is the same whatever
        // thread runs it, so the figures do not depend on the thread count);
        // they are read back, reported and any error raised in fold order.
        let fold_fits: Vec<Result<FoldFit>> = folds
            .par_iter()
            .enumerate()
            .map(|(fi, test)| -> Result<FoldFit> {
                let train = complement(y.len(), test);
                let y_train: Vec<usize> = train.iter().map(|&i| y[i]).collect();
                if let Some(missing) = (0..k).find(|c| !y_train.contains(c)) {
                    bail!(
                        "fold {} has no training row labelled '{}': use fewer folds or another grouping",
                        fi + 1,
                        labels[missing]
                    );
                }
                let (feat, est, report, chosen) = match &grid {
                    None => {
                        let (feat, est, report) = fit_pipeline(&job, &train)?;
                        (feat, est, report, None)
                    }
                    Some(g) => {
                        let (best, _) =
                            choose_setting(&job, &train, g, &args.hyper, args.algo, args.tune_folds as usize)?;
                        let s = &g.candidates[best];
                        let (p, fs) = (candidate_params(&args.hyper, s, args.algo, args.seed)?, s.spec(&spec));
                        let (feat, est, report) = fit_pipeline(&Job { params: &p, spec: &fs, ..job }, &train)?;
                        (feat, est, report, Some(g.describe(s)))
                    }
                };
                let proba = est.predict_proba(&feat.matrix(&docs, &stats, &stacked, test)?);
                let calibration_chosen = calibration_choice(&est);
                Ok(FoldFit { proba, converged: report.converged, chosen, calibration_chosen })
            })
            .collect();
        let mut proba = Array2::<f64>::zeros((y.len(), k));
        let mut fold_of = vec![0usize; y.len()];
        let mut fold_metrics = Vec::new();
        let mut unconverged = 0;
        for (fi, (test, fit)) in folds.iter().zip(fold_fits).enumerate() {
            let FoldFit { proba: p, converged, chosen, calibration_chosen } = fit?;
            chosen_per_fold.extend(chosen);
            calibration_per_fold.extend(calibration_chosen);
            if !converged {
                unconverged += 1;
            }
            for (r, &i) in test.iter().enumerate() {
                proba.row_mut(i).assign(&p.row(r));
                fold_of[i] = fi + 1;
            }
            let y_test: Vec<usize> = test.iter().map(|&i| y[i]).collect();
            let pred = argmax_rows(&p);
            let m = eval::compute(&labels, &y_test, &pred, Some(&p));
            say(format!("fold {}/{}: accuracy {:.3}, macro-F1 {:.3}", fi + 1, folds.len(), m.accuracy, m.macro_f1));
            fold_metrics.push(m);
        }
        let pred = argmax_rows(&proba);
        let pooled = eval::compute(&labels, &y, &pred, Some(&proba));
        let per_file = per_file_metrics(&args.input.inputs, &data.locations, &labels, &y, &pred, &proba);
        cv = Some(CrossValidation {
            folds: folds.len(),
            grouped_by: grouped_by.clone(),
            seed: args.seed,
            per_fold: Metrics::summarize_folds(&fold_metrics),
            pooled,
            unconverged_folds: unconverged,
            seconds: cv_started.elapsed().as_secs_f64(),
            per_file,
            calibration_per_fold,
        });
        if let Some(path) = &args.metrics {
            write_cv_metrics(path, &fold_metrics, cv.as_ref().expect("set above"), &out_config, &run_info)?;
        }
        oof = Some((pred, proba, fold_of));
    }

    // Final model on all rows.
    let fit_started = Instant::now();
    let all: Vec<usize> = (0..y.len()).collect();
    let (final_params, final_spec, tuning) = match &grid {
        None => (params.clone(), spec.clone(), None),
        Some(g) => {
            let (best, scores) = choose_setting(&job, &all, g, &args.hyper, args.algo, args.tune_folds as usize)?;
            let tuning = tuning_record(g, best, scores, args.tune_folds as usize, TUNE_CRITERION, chosen_per_fold);
            say(format!("--tune: {} (inner {})", tuning.chosen, tuning_scores(&tuning)));
            let s = &g.candidates[best];
            (candidate_params(&args.hyper, s, args.algo, args.seed)?, s.spec(&spec), Some(tuning))
        }
    };
    let (features, estimator, fit) = fit_pipeline(&Job { params: &final_params, spec: &final_spec, ..job }, &all)?;
    let fit_seconds = fit_started.elapsed().as_secs_f64();
    for w in &fit.warnings {
        note!("slant: warning: {w}");
    }
    let stacked_files = stacked_models.into_files();
    let model = ModelFile {
        format: slant::models::artifact::FORMAT.into(),
        schema_version: slant::models::artifact::schema_version_for(&stacked_files),
        slant_version: env!("CARGO_PKG_VERSION").into(),
        created: now_rfc3339(),
        name,
        level: args.level,
        labels: labels.clone(),
        text_pipeline: TextPipeline::current(),
        lexicons: embedded_lexicons(&set),
        features,
        params: final_params,
        estimator,
        training: TrainingInfo {
            data_files: args.input.inputs.iter().map(|p| p.display().to_string()).collect(),
            data_sha256: data_hash(&data),
            rows: y.len(),
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
        cross_validation: cv,
        multi_label: None,
        stacked: stacked_files,
    };
    model.check().context("internal error: the trained model failed its own checks")?;
    if let (Some(path), Some((pred, proba, fold))) = (&args.predictions, &oof) {
        write_predictions(path, &data, &labels, &y, pred, proba, Some(fold), &out_config, &run_info)?;
    }
    if let Some(path) = &args.card {
        write_card(path, &model, &args)?;
    }
    model.save(&args.output)?;
    if let Some(cv) = &model.cross_validation {
        say(format!(
            "cross-validated ({} folds{}):",
            cv.folds,
            cv.grouped_by.as_ref().map_or(String::new(), |g| format!(", grouped by {g}"))
        ));
        if !args.run.quiet {
            note!("{}", cv.pooled.report());
        }
    }
    say(written_line(&args.output, &model, &format!("{k} classes"), started, fit_seconds));
    Ok(data.outcome(&args.run))
}

/// The last line of a training run: the model file, its size, the time taken
/// and whether the final fit converged.
pub(crate) fn written_line(
    output: &Path,
    model: &ModelFile,
    outputs: &str,
    started: Instant,
    fit_seconds: f64,
) -> String {
    format!(
        "wrote {} ({} features, {outputs}) in {:.1} s; final fit {:.1} s{}",
        output.display(),
        model.features.n_features(),
        started.elapsed().as_secs_f64(),
        fit_seconds,
        if model.training.fit.converged { "" } else { " (did NOT converge: raise --max-iter)" }
    )
}

/// With more than one input file, the metrics of each file's rows (a row
/// belongs to the input its location, `file:line`, starts with); empty
/// otherwise, or when a row cannot be placed (e.g. a folder input).
fn per_file_metrics(
    inputs: &[PathBuf],
    locations: &[String],
    labels: &[String],
    y: &[usize],
    pred: &[usize],
    proba: &Array2<f64>,
) -> Vec<(String, Metrics)> {
    if inputs.len() < 2 {
        return Vec::new();
    }
    let names: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    let file_of = |loc: &str| {
        names.iter().position(|n| loc == n || loc.strip_prefix(n.as_str()).is_some_and(|r| r.starts_with(':')))
    };
    let placed: Option<Vec<usize>> = locations.iter().map(|l| file_of(l)).collect();
    let Some(placed) = placed else { return Vec::new() };
    names
        .iter()
        .enumerate()
        .filter_map(|(f, name)| {
            let rows: Vec<usize> = (0..y.len()).filter(|&i| placed[i] == f).collect();
            if rows.is_empty() {
                return None;
            }
            let yt: Vec<usize> = rows.iter().map(|&i| y[i]).collect();
            let yp: Vec<usize> = rows.iter().map(|&i| pred[i]).collect();
            let p = Array2::from_shape_fn((rows.len(), proba.ncols()), |(r, c)| proba[[rows[r], c]]);
            Some((name.clone(), eval::compute(labels, &yt, &yp, Some(&p))))
        })
        .collect()
}

/// Positions `0..n` not in `test`: a fold's training side, in order.
fn complement(n: usize, test: &[usize]) -> Vec<usize> {
    let mut is_test = vec![false; n];
    test.iter().for_each(|&j| is_test[j] = true);
    (0..n).filter(|&j| !is_test[j]).collect()
}

/// What an outer cross-validation fold gives back: its test rows'
/// probabilities, whether its fit converged, and the `--tune` choice made in it.
struct FoldFit {
    proba: Array2<f64>,
    converged: bool,
    chosen: Option<String>,
    /// The calibration method chosen in the fold, when there was a choice.
    calibration_chosen: Option<String>,
}

/// The method a choice among calibration methods picked, as its fit
/// recorded it (`None` when there was no choice). It is read back from the
/// `fitted_on` note that `fit_pipeline` writes (the one place that names it)
/// rather than from a structured field: `fit_pipeline`'s callers would all
/// have to carry one.
fn calibration_choice(est: &Estimator) -> Option<String> {
    let note = est.calibration().fitted_on();
    let (_, after) = note.split_once(CHOSEN_PREFIX)?;
    after.split('`').next().map(str::to_string)
}

/// Where `fit_pipeline` names the chosen calibration method in `fitted_on`.
const CHOSEN_PREFIX: &str = "; chosen calibration `";

/// Everything a fit of the whole pipeline (features, estimator, calibration) needs.
#[derive(Clone, Copy)]
struct Job<'a> {
    spec: &'a FeatureSpec,
    set: &'a SignalSet,
    docs: &'a [TermCounts],
    stats: &'a [DocStats],
    /// Per row, the stacked models' probabilities (`--stack-model`).
    stacked: &'a [Vec<f32>],
    y: &'a [usize],
    k: usize,
    params: &'a Params,
    groups: Option<&'a [String]>,
    group_col: Option<&'a str>,
    /// One method, or the candidates `Calibration::choose` picks from.
    calibration: &'a [CalibrationMethod],
    calibration_folds: usize,
    seed: u64,
}

/// `--calibration`'s methods, or the algorithm's default: Platt for the
/// linear SVM, naive Bayes and the tree (their scores are not calibrated
/// probabilities), none for logistic regression. `none` is no candidate of
/// a choice (it maps no scores).
pub(super) fn calibration_methods(args: &TrainArgs) -> Result<Vec<CalibrationMethod>> {
    if args.calibration.is_empty() {
        return Ok(vec![match args.algo {
            Algorithm::Logistic => CalibrationMethod::None,
            Algorithm::LinearSvm | Algorithm::NaiveBayes | Algorithm::Tree => CalibrationMethod::Platt,
        }]);
    }
    let methods = args.calibration.clone();
    if let Some(m) = methods.iter().enumerate().find_map(|(i, m)| methods[..i].contains(m).then_some(m)) {
        bail!("--calibration: `{}` is listed more than once", m.name());
    }
    if methods.len() > 1 && methods.contains(&CalibrationMethod::None) {
        bail!("--calibration: `none` cannot be one of several methods to choose from");
    }
    Ok(methods)
}

/// The `--stack-model` files: each embedded as read (with its SHA-256),
/// and runnable to compute the features. A stacked model must score the
/// unit the new model is trained on (`--level`) and stack nothing itself
/// (checked again when the new model file is checked and loaded).
fn load_stacked(paths: &[PathBuf], level: Level) -> Result<Stacked> {
    let mut sources = Vec::new();
    let mut models = Vec::new();
    for path in paths {
        let (file, sha256) = ModelFile::load_with_sha256(path)?;
        if !file.stacked.is_empty() {
            bail!("--stack-model {}: it stacks models itself; one level of stacking only", path.display());
        }
        if file.level != level || file.multi_label.is_some() {
            bail!(
                "--stack-model {}: a single-label model of level {} is needed (the rows' unit); it is {}{}",
                path.display(),
                level,
                file.level,
                if file.multi_label.is_some() { ", multi-label" } else { "" }
            );
        }
        if models.iter().any(|m: &TrainedModel| m.file.name == file.name) {
            bail!("--stack-model: two models named {:?}", file.name);
        }
        sources.push((path.display().to_string(), sha256.clone()));
        models.push(TrainedModel::from_loaded(file, sha256, path)?);
    }
    Ok(Stacked { sources, models })
}

/// Leakage guard: a stacked model trained on some of these rows gives them
/// in-sample probabilities (close to their labels when the rows share a
/// labelling), which the new model learns to trust and cross-validation
/// cannot see. Each stacked model's training text fingerprints (and its
/// data SHA-256) are compared with the rows; any overlap, or a stacked
/// file that records no fingerprints, is refused unless `allow`
/// (`--allow-stack-overlap`), when it is only reported (and the card says so).
fn check_stack_overlap(stacked: &Stacked, texts: &[String], data_sha256: &str, allow: bool) -> Result<()> {
    let distinct = TextFingerprints::from_texts(texts.iter().map(String::as_str)).len();
    let ours = format!("{} rows ({distinct} distinct texts)", texts.len());
    for ((source, _), m) in stacked.sources.iter().zip(&stacked.models) {
        let training = &m.file.training;
        let same_data =
            if training.data_sha256 == data_sha256 { " (the very same training data: equal data SHA-256)" } else { "" };
        // An empty list (refused by `ModelFile::check`) is as unknown as none.
        let problem = match training.text_fingerprints.as_ref().filter(|f| !f.is_empty()) {
            None => format!(
                "--stack-model {source}: its file records no training text fingerprints (written before slant kept \
                 them), so whether it was trained on any of these {ours} cannot be checked{same_data}"
            ),
            Some(known) => {
                let seen = texts.iter().filter(|t| known.contains(TextFingerprints::of(t))).count();
                if seen == 0 && same_data.is_empty() {
                    continue;
                }
                format!(
                    "--stack-model {source}: model '{}' was trained on {seen} of these {ours}{same_data} (by exact \
                     text fingerprint; it was trained on {} rows ({} distinct texts) of {}): its probabilities of \
                     those rows are in-sample, so the new model would learn from them and its cross-validated \
                     figures would be optimistic",
                    m.file.name,
                    training.rows,
                    known.len(),
                    training.data_files.join(", ")
                )
            }
        };
        if !allow {
            bail!("{problem}; stack a model trained on other data, or pass --allow-stack-overlap to train anyway");
        }
        note!("slant: warning: {problem} (--allow-stack-overlap: training anyway; the card says so)");
    }
    Ok(())
}

/// The `--stack-model` models, runnable, and the files they were read
/// from with their SHA-256.
struct Stacked {
    sources: Vec<(String, String)>,
    models: Vec<TrainedModel>,
}

impl Stacked {
    /// The feature columns, `<model>:<label>` (as [`StackedModel::column`]).
    fn columns(&self) -> Vec<String> {
        self.models.iter().flat_map(|m| m.file.labels.iter().map(move |l| stacked_column(&m.file.name, l))).collect()
    }

    /// The models as the new file embeds them (moved, not copied).
    fn into_files(self) -> Vec<StackedModel> {
        self.sources
            .into_iter()
            .zip(self.models)
            .map(|((source, sha256), m)| StackedModel { source, sha256, model: m.file })
            .collect()
    }
}

/// Fit features and estimator on `rows`; with any calibration but `none`
/// (Platt, temperature, temperature-top, or the choice among several), the
/// map is fitted on out-of-fold scores of inner folds of `rows` (grouped when
/// there are groups), each inner model with its own featurizer, so no score
/// comes from a model that saw its row.
fn fit_pipeline(job: &Job, rows: &[usize]) -> Result<(Featurizer, Estimator, slant::models::FitReport)> {
    let fit_on = |train: &[usize]| -> Result<(Featurizer, Estimator, slant::models::FitReport)> {
        let feat = Featurizer::fit(job.spec, job.set, job.docs, job.y, job.k, train);
        let y_train: Vec<usize> = train.iter().map(|&i| job.y[i]).collect();
        let (est, report) =
            Estimator::fit(job.params, &feat.matrix(job.docs, job.stats, job.stacked, train)?, &y_train, job.k)?;
        Ok((feat, est, report))
    };
    if job.calibration == [CalibrationMethod::None] {
        return fit_on(rows);
    }
    let y_rows: Vec<usize> = rows.iter().map(|&i| job.y[i]).collect();
    let inner = match inner_folds(job, rows, job.calibration_folds) {
        Ok(folds) => folds,
        Err(e) => {
            fit_on(rows)?; // its error, if any, comes first, as in a serial run
            bail!("cannot make the inner folds for --calibration: {e}");
        }
    };
    // The model on all `rows` and the inner folds' models are independent
    // fits: run in parallel, each the same whatever thread runs it; errors
    // are raised in the order the serial loop met them.
    let inner_scores = |test: &Vec<usize>| -> Result<Array2<f64>> {
        let train: Vec<usize> = complement(rows.len(), test).into_iter().map(|j| rows[j]).collect();
        if (0..job.k).any(|c| !train.iter().any(|&i| job.y[i] == c)) {
            bail!(
                "an inner calibration fold has no training row of some class: use fewer --calibration-folds \
                 or --calibration none"
            );
        }
        let (inner_feat, inner_est, _) = fit_on(&train)?;
        let test_rows: Vec<usize> = test.iter().map(|&j| rows[j]).collect();
        Ok(inner_est.calibration_scores(&inner_feat.matrix(job.docs, job.stats, job.stacked, &test_rows)?))
    };
    let (whole, per_fold) =
        rayon::join(|| fit_on(rows), || inner.par_iter().map(inner_scores).collect::<Vec<Result<Array2<f64>>>>());
    let (feat, mut est, report) = whole?;
    let r = if job.k == 2 { 1 } else { job.k };
    let mut scores = Array2::<f64>::zeros((rows.len(), r));
    for (test, s) in inner.iter().zip(per_fold) {
        let s = s?;
        for (t, &j) in test.iter().enumerate() {
            scores.row_mut(j).assign(&s.row(t));
        }
    }
    let fitted_on = format!(
        "out-of-fold scores of {} inner folds{} of the {} training rows",
        inner.len(),
        job.group_col.map_or(" (stratified)".to_string(), |g| format!(" grouped by {g}")),
        rows.len()
    );
    let calibration = match job.calibration {
        [one] => Calibration::fit_method(*one, &scores, &y_rows, fitted_on),
        several => {
            let mut fold_of = vec![0usize; rows.len()];
            for (f, test) in inner.iter().enumerate() {
                test.iter().for_each(|&j| fold_of[j] = f);
            }
            let (best, losses) = Calibration::choose(several, &scores, &y_rows, &fold_of, job.k);
            let compared = several
                .iter()
                .zip(&losses)
                .map(|(m, l)| format!("{}: {l:.4}", m.name()))
                .collect::<Vec<_>>()
                .join(", ");
            let note = format!(
                "{fitted_on}{CHOSEN_PREFIX}{}` (the lowest mean log loss cross-fitted over those folds: {compared})",
                several[best].name()
            );
            Calibration::fit_method(several[best], &scores, &y_rows, note)
        }
    };
    est.set_calibration(calibration);
    Ok((feat, est, report))
}

/// Folds of `rows` (positions in `rows`), grouped like the outer folds;
/// on small data no more folds than there are groups (or rows).
fn inner_folds(job: &Job, rows: &[usize], k: usize) -> std::result::Result<Vec<Vec<usize>>, String> {
    let y_rows: Vec<usize> = rows.iter().map(|&i| job.y[i]).collect();
    match job.groups {
        Some(g) => {
            let g_rows: Vec<String> = rows.iter().map(|&i| g[i].clone()).collect();
            let mut distinct: Vec<&String> = g_rows.iter().collect();
            distinct.sort();
            distinct.dedup();
            eval::group_kfold(&g_rows, &y_rows, k.min(distinct.len()), job.seed)
        }
        None => eval::stratified_kfold(&y_rows, k.min(y_rows.len()), job.seed),
    }
}

/// Macro-F1 over `k` classes (classes absent from both truth and
/// prediction count as 0, as in the reported metrics' per-class table).
fn macro_f1(y: &[usize], pred: &[usize], k: usize) -> f64 {
    let mut f1 = 0.0;
    for c in 0..k {
        let tp = y.iter().zip(pred).filter(|(t, p)| **t == c && **p == c).count() as f64;
        let fp = y.iter().zip(pred).filter(|(t, p)| **t != c && **p == c).count() as f64;
        let fn_ = y.iter().zip(pred).filter(|(t, p)| **t == c && **p != c).count() as f64;
        if tp > 0.0 {
            f1 += 2.0 * tp / (2.0 * tp + fp + fn_);
        }
    }
    f1 / k as f64
}

/// What `--tune` compares single-label candidates by.
const TUNE_CRITERION: &str = "pooled out-of-fold macro-F1 of the uncalibrated model";

/// The flags' values of the settings `--tune` can vary.
fn base_setting(args: &TrainArgs) -> Setting {
    Setting {
        c: args.hyper.c,
        class_weight: args.hyper.class_weight,
        ngrams: args.features.ngrams,
        char_ngrams: args.features.char_ngrams,
        pos_ngrams: args.features.pos_ngrams,
        weighting: args.features.weighting,
    }
}

/// The checked estimator parameters of candidate `s`.
pub(super) fn candidate_params(hyper: &HyperArgs, s: &Setting, algo: Algorithm, seed: u64) -> Result<Params> {
    HyperArgs { c: s.c, class_weight: s.class_weight, ..hyper.clone() }.params(algo, seed)
}

/// The record of a `--tune` choice for the model file and card.
pub(super) fn tuning_record(
    grid: &TuneGrid,
    best: usize,
    scores: Vec<f64>,
    inner_folds: usize,
    criterion: &str,
    chosen_per_fold: Vec<String>,
) -> Tuning {
    Tuning {
        grid: grid.text.clone(),
        candidates: grid.candidates.iter().map(|s| grid.describe(s)).collect(),
        inner_folds,
        criterion: criterion.into(),
        chosen: grid.describe(&grid.candidates[best]),
        scores,
        chosen_per_fold,
    }
}

/// `candidate: score, ...` of a tuning record.
pub(super) fn tuning_scores(t: &Tuning) -> String {
    t.candidates.iter().zip(&t.scores).map(|(c, f)| format!("{c}: {f:.3}")).collect::<Vec<_>>().join(", ")
}

/// `--tune`: the candidate with the best pooled out-of-fold macro-F1 over
/// inner folds of `rows` (uncalibrated decisions; ties: the first listed),
/// and every candidate's score. In each inner fold, candidates with the
/// same feature options share one featurizer.
fn choose_setting(
    job: &Job,
    rows: &[usize],
    grid: &TuneGrid,
    hyper: &HyperArgs,
    algo: Algorithm,
    folds: usize,
) -> Result<(usize, Vec<f64>)> {
    let inner =
        inner_folds(job, rows, folds).map_err(|e| anyhow::anyhow!("cannot make the inner folds for --tune: {e}"))?;
    let n = grid.candidates.len();
    let params: Vec<Params> =
        grid.candidates.iter().map(|s| candidate_params(hyper, s, algo, job.seed)).collect::<Result<_>>()?;
    // Each inner fold's candidates are fitted apart from the other folds', in
    // parallel (the same fits whatever thread runs them); their predictions
    // are gathered, and any error raised, in fold order.
    let fold_preds = |test: &Vec<usize>| -> Result<Vec<Vec<usize>>> {
        let train: Vec<usize> = complement(rows.len(), test).into_iter().map(|j| rows[j]).collect();
        if (0..job.k).any(|c| !train.iter().any(|&i| job.y[i] == c)) {
            bail!("an inner --tune fold has no training row of some class: use fewer --tune-folds");
        }
        let y_train: Vec<usize> = train.iter().map(|&i| job.y[i]).collect();
        let test_rows: Vec<usize> = test.iter().map(|&j| rows[j]).collect();
        let mut preds = vec![Vec::new(); n];
        let mut done = vec![false; n];
        for g in 0..n {
            if done[g] {
                continue;
            }
            let key = grid.candidates[g].feature_key();
            let feat = Featurizer::fit(&grid.candidates[g].spec(job.spec), job.set, job.docs, job.y, job.k, &train);
            let x_train = feat.matrix(job.docs, job.stats, job.stacked, &train)?;
            let x_test = feat.matrix(job.docs, job.stats, job.stacked, &test_rows)?;
            for h in (g..n).filter(|&h| grid.candidates[h].feature_key() == key) {
                let (est, _) = Estimator::fit(&params[h], &x_train, &y_train, job.k)?;
                preds[h] = argmax_rows(&est.predict_proba(&x_test));
                done[h] = true;
            }
        }
        Ok(preds)
    };
    let per_fold: Vec<Result<Vec<Vec<usize>>>> = inner.par_iter().map(fold_preds).collect();
    let mut preds = vec![vec![0usize; rows.len()]; n];
    for (test, fold) in inner.iter().zip(per_fold) {
        for (h, pred) in fold?.into_iter().enumerate() {
            for (t, &j) in test.iter().enumerate() {
                preds[h][j] = pred[t];
            }
        }
    }
    let y_rows: Vec<usize> = rows.iter().map(|&i| job.y[i]).collect();
    let scores: Vec<f64> = preds.iter().map(|p| macro_f1(&y_rows, p, job.k)).collect();
    let best = (0..n).fold(0, |b, g| if scores[g] > scores[b] { g } else { b });
    Ok((best, scores))
}

/// The label column of `train` and `eval`, named by `--label-col`.
pub fn label_col(name: &str) -> LabelColumn<'_> {
    LabelColumn { name, option: "--label-col" }
}

/// The lexicons as parsed: the recorded hash and the embedded text are of
/// the same bytes.
pub(super) fn embedded_lexicons(set: &SignalSet) -> EmbeddedLexicons {
    EmbeddedLexicons {
        framing_source: set.lexicon.source.name.clone(),
        framing_sha256: set.lexicon.source.sha256.clone(),
        framing: set.lexicon.source.text.to_string(),
        sides_source: set.sides.source.name.clone(),
        sides_sha256: set.sides.source.sha256.clone(),
        sides: set.sides.source.text.to_string(),
    }
}

pub(super) fn data_hash<T>(d: &Labelled<T>) -> String {
    let mut h = Sha256::new();
    for i in 0..d.ids.len() {
        for part in [&d.ids[i], &d.labels[i], d.groups.as_ref().map_or(&String::new(), |g| &g[i]), &d.texts[i]] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    format!("{:x}", h.finalize())
}

fn write_cv_metrics(
    path: &Path,
    folds: &[Metrics],
    cv: &CrossValidation,
    config: &OutputConfig,
    run: &RunInfo,
) -> Result<()> {
    let mut rows = Vec::new();
    for (i, m) in folds.iter().enumerate() {
        rows.extend(m.long_rows().into_iter().map(|r| MetricRow::new((i + 1).to_string(), r)));
    }
    rows.extend(cv.pooled.long_rows().into_iter().map(|r| MetricRow::new("pooled", r)));
    for (file, m) in &cv.per_file {
        rows.extend(m.long_rows().into_iter().map(|r| MetricRow::new(format!("file={file}"), r)));
    }
    push_fold_summary(&mut rows, &cv.per_fold);
    write_schema_table(path, &cv_metrics_schema(), rows, config, run)
}

/// The `mean` and `sd` rows of a cross-validated metrics file, two per
/// summarised metric.
pub(super) fn push_fold_summary(rows: &mut Vec<MetricRow>, per_fold: &[(String, f64, f64)]) {
    for (metric, mean, sd) in per_fold {
        rows.push(MetricRow::new("mean", (metric.clone(), String::new(), *mean)));
        rows.push(MetricRow::new("sd", (metric.clone(), String::new(), *sd)));
    }
}

/// Write `rows` as the table `schema` defines: its header, column types
/// and cells, as the codebook lists them.
pub(super) fn write_schema_table<R>(
    path: &Path,
    schema: &Schema<R>,
    rows: impl IntoIterator<Item = R>,
    config: &OutputConfig,
    run: &RunInfo,
) -> Result<()> {
    let mut t = Table::create(Some(path), &schema.header(), &schema.kinds(), schema.file, config)?;
    let mut cells = Vec::new();
    for r in rows {
        schema.row(&r, 0, &mut cells);
        t.write(&mut cells)?;
    }
    Ok(t.finish(run)?)
}

/// The predictions table of `train` and `train --multi-label` (doc_id, the
/// --keep-cols columns as in the scores file, [group], label, predicted,
/// [fold], p_<label>...) and its row of record `i`, without label,
/// predicted, fold and probabilities.
pub(super) fn predictions_table<'a, T>(
    data: &'a Labelled<T>,
    labels: &[String],
    with_fold: bool,
) -> (Schema<PredictionRow>, impl Fn(usize) -> PredictionRow + 'a) {
    let schema = predictions_schema(PredictionColumns {
        kept: &data.kept_names,
        grouped: data.groups.is_some(),
        with_fold,
        labels: Some(labels),
    });
    let row_start = move |i: usize| PredictionRow {
        doc_id: data.ids[i].clone(),
        kept: data.kept[i].clone(),
        group: data.groups.as_ref().map_or_else(String::new, |g| g[i].clone()),
        ..PredictionRow::default()
    };
    (schema, row_start)
}

/// Predictions: doc_id, [kept], [group], label, predicted, [fold], p_<label>...
#[allow(clippy::too_many_arguments)] // the pieces of one prediction table
pub fn write_predictions<T>(
    path: &Path,
    data: &Labelled<T>,
    labels: &[String],
    y: &[usize],
    pred: &[usize],
    proba: &Array2<f64>,
    fold: Option<&Vec<usize>>,
    config: &OutputConfig,
    run: &RunInfo,
) -> Result<()> {
    let (schema, row_start) = predictions_table(data, labels, fold.is_some());
    let rows = (0..y.len()).map(|i| PredictionRow {
        label: labels[y[i]].clone(),
        predicted: labels[pred[i]].clone(),
        fold: fold.map_or(0, |f| f[i]),
        // Full precision (the schema's Real kind), so metrics such as
        // ROC-AUC recomputed from this file match exactly.
        probabilities: proba.row(i).to_vec(),
        ..row_start(i)
    });
    write_schema_table(path, &schema, rows, config, run)
}

/// The card rows about the training data and the final fit, then the
/// command line (shared by single- and multi-label cards; `counts_note`
/// introduces the label counts, `fit_note` says what the fit included).
pub(super) fn write_card_training(
    w: &mut impl Write,
    m: &ModelFile,
    args: &TrainArgs,
    counts_note: &str,
    fit_note: &str,
) -> std::io::Result<()> {
    writeln!(w, "| training data | {} |", m.training.data_files.join(", "))?;
    writeln!(w, "| data licence | {} |", args.data_licence.as_deref().unwrap_or("not stated"))?;
    writeln!(
        w,
        "| rows | {} ({counts_note}{}) |",
        m.training.rows,
        m.training.label_counts.iter().map(|(l, n)| format!("{l}: {n}")).collect::<Vec<_>>().join(", ")
    )?;
    writeln!(w, "| data SHA-256 | `{}` |", m.training.data_sha256)?;
    writeln!(
        w,
        "| final fit | {:.2} s{fit_note}, converged: {}, iterations: {} |",
        m.training.fit_seconds, m.training.fit.converged, m.training.fit.iterations
    )?;
    // Quoted as a shell would need it (spaces, the label separator).
    let command: Vec<String> = m
        .training
        .command_line
        .iter()
        .skip(1)
        .map(|a| if a.contains(' ') || a.contains(';') { format!("'{a}'") } else { a.clone() })
        .collect();
    writeln!(w, "\nCommand:\n\n```\n{}\n```\n", command.join(" "))
}

fn write_card(path: &Path, m: &ModelFile, args: &TrainArgs) -> Result<()> {
    let out = AtomicOutput::create(Some(path))?;
    {
        let mut w = out.writer()?;
        writeln!(w, "# Model card: `{}`\n", m.name)?;
        writeln!(w, "Generated by `slant train` (slant {}) on {}.\n", m.slant_version, m.created)?;
        writeln!(w, "| | |\n|---|---|")?;
        writeln!(w, "| level | {:?} |", m.level)?;
        writeln!(w, "| algorithm | {:?} |", m.algorithm())?;
        writeln!(w, "| hyper-parameters | {} |", m.params.describe())?;
        let cal = m.estimator.calibration();
        writeln!(w, "| probability calibration | {} |", describe_calibration(cal, m.labels.len()))?;
        let s = m.features.spec();
        if let Some((lo, hi)) = s.char_ngrams {
            writeln!(w, "| character n-grams | {lo}-{hi} characters of each word (padded), normalised apart from the word terms |")?;
        }
        if let Some((lo, hi)) = s.pos_ngrams {
            writeln!(w, "| part-of-speech n-grams | {lo}-{hi} tokens inside a sentence, closed-class words kept and other words as their Penn tag, normalised apart from the word terms |")?;
        }
        writeln!(w, "| features | stem 1..{}-grams, min_df {}, max {} by {:?}, {:?} weighting, lexicon features {}, length features {}; {} features in total |", s.ngram_max, s.min_df, s.max_features, s.selection, s.weighting, s.lexicon_features, s.length_features, m.features.n_features())?;
        if let Some(b) = &s.boilerplate {
            writeln!(w, "| boilerplate removed before featurising | {} |", b.summary())?;
        }
        if !m.stacked.is_empty() {
            writeln!(w, "| stacked features | {} (the last {} features) |", s.stacked.join(", "), s.stacked.len())?;
        }
        write_card_training(&mut w, m, args, "", "")?;
        write_card_stacked(&mut w, m)?;
        if let Some(cv) = &m.cross_validation {
            writeln!(w, "## Cross-validated metrics\n")?;
            writeln!(
                w,
                "{} folds{}, seed {}; pooled out-of-fold predictions ({} folds did not converge):\n",
                cv.folds,
                cv.grouped_by
                    .as_ref()
                    .map_or(" (stratified)".to_string(), |g| format!(", grouped by `{g}` (no {g} in two folds)")),
                cv.seed,
                cv.unconverged_folds
            )?;
            writeln!(w, "```\n{}\n```\n", cv.pooled.report().trim_end())?;
            if !cv.per_file.is_empty() {
                writeln!(w, "Per training file (the same pooled out-of-fold predictions, split by the file each row came from):\n")?;
                let cls: Vec<&str> = m.labels.iter().map(String::as_str).collect();
                writeln!(
                    w,
                    "| file | rows | accuracy | macro-F1 | {} | Brier | ECE |",
                    cls.iter().map(|c| format!("F1 {c}")).collect::<Vec<_>>().join(" | ")
                )?;
                writeln!(w, "|---|---|---|---|{}---|---|", "---|".repeat(cls.len()))?;
                for (file, fm) in &cv.per_file {
                    let opt = |v: Option<f64>| v.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"));
                    writeln!(
                        w,
                        "| {file} | {} | {:.3} | {:.3} | {} | {} | {} |",
                        fm.n,
                        fm.accuracy,
                        fm.macro_f1,
                        fm.per_class.iter().map(|c| format!("{:.3}", c.f1)).collect::<Vec<_>>().join(" | "),
                        opt(fm.brier),
                        opt(fm.ece)
                    )?;
                }
                writeln!(w)?;
            }
            writeln!(w, "Mean ± sd over folds:\n")?;
            for (metric, mean, sd) in &cv.per_fold {
                writeln!(w, "- {metric}: {mean:.3} ± {sd:.3}")?;
            }
            writeln!(w)?;
            if !cal.is_none() {
                if let Some(text) = ece_caveat(cv) {
                    writeln!(w, "{text}\n")?;
                }
            }
            if !cv.calibration_per_fold.is_empty() {
                writeln!(
                    w,
                    "Calibration method chosen inside each outer training fold (lowest log loss cross-fitted over \
                     its inner folds' out-of-fold scores): {}.\n",
                    numbered_by_fold(&cv.calibration_per_fold)
                )?;
            }
        }
        writeln!(
            w,
            "## How the settings were chosen\n\n{}\n",
            args.settings_chosen.as_deref().unwrap_or("not stated")
        )?;
        if let Some(t) = &m.training.tuning {
            let grouped = m.cross_validation.as_ref().and_then(|cv| cv.grouped_by.as_deref());
            write_card_tuning(&mut w, t, grouped)?;
        }
        if let Some(n) = &args.notes {
            writeln!(w, "## Known confounds and notes\n\n{n}\n")?;
        }
        w.flush()?;
    }
    Ok(out.commit()?)
}

/// The card's account of the stacked models: what each is, where it came
/// from, what data it was trained on, and that its data's licence
/// conditions carry over.
fn write_card_stacked(w: &mut impl Write, m: &ModelFile) -> std::io::Result<()> {
    if m.stacked.is_empty() {
        return Ok(());
    }
    writeln!(w, "## Stacked models\n")?;
    writeln!(
        w,
        "This model's last features are the class probabilities of the model(s) below on the same text \
         (`train --stack-model`). They are embedded whole in this model file, which applies them when it scores.\n"
    )?;
    for s in &m.stacked {
        let t = &s.model.training;
        let cv = s.model.cross_validation.as_ref().map_or(String::new(), |cv| {
            format!(
                "; cross-validated macro-F1 {:.3}{}",
                cv.pooled.macro_f1,
                cv.grouped_by.as_ref().map_or(String::new(), |g| format!(" (grouped by {g})"))
            )
        });
        writeln!(
            w,
            "- `{}` ({} level, labels {}): read from `{}` (SHA-256 `{}`), created {}; trained on {} ({} rows, \
             data SHA-256 `{}`){cv}.",
            s.model.name,
            s.model.level,
            s.model.labels.join(", "),
            s.source,
            s.sha256,
            s.model.created,
            t.data_files.join(", "),
            t.rows,
            t.data_sha256
        )?;
        if let Some(licence) = &t.data_licence {
            writeln!(w, "  Its training data's licence: {licence}.")?;
        }
        writeln!(w, "  {}", stacked_overlap_sentence(s, m))?;
    }
    writeln!(
        w,
        "\nLicence: this model is derived from the stacked models as well as from its own training data, so the \
         licence conditions of the stacked models' training data apply to it too (see their model cards), in \
         addition to those of its own data.\n"
    )
}

/// What the card says about leakage through a stacked model: training
/// refuses any overlap unless `--allow-stack-overlap`. What is checked is
/// exact text only (fingerprints of the texts as read and normalised), so
/// the card says that and no more: near-duplicates are not detected.
fn stacked_overlap_sentence(s: &StackedModel, m: &ModelFile) -> String {
    let distinct = |t: &TrainingInfo| t.text_fingerprints.as_ref().map_or(0, |f| f.len());
    let ours = format!("{} rows ({} distinct texts)", m.training.rows, distinct(&m.training));
    let theirs = format!("{} rows ({} distinct texts)", s.model.training.rows, distinct(&s.model.training));
    match s.training_overlap(&m.training) {
        Some(0) => format!(
            "Exact-text overlap check passed: no exact-text overlap (byte-identical texts after the reader's \
             normalisation, compared by the 64-bit text fingerprints both files record) between this model's {ours} \
             and the {theirs} `{}` was trained on; near-duplicates (texts differing in whitespace or case, or \
             otherwise slightly) are not detected.",
            s.model.name
        ),
        Some(n) => format!(
            "**Overlap: {n} of the distinct texts of this model's {ours} were training texts of `{}` too** (by exact \
             text fingerprint; trained with `--allow-stack-overlap`). Its probabilities of those rows are in-sample, \
             so the cross-validated figures on this card are optimistic.",
            s.model.name
        ),
        None => format!(
            "**Overlap not checked**: `{}`'s file records no training text fingerprints (trained with \
             `--allow-stack-overlap`). If it was trained on any of this model's rows, the cross-validated figures on \
             this card are optimistic.",
            s.model.name
        ),
    }
}

/// What was chosen in each outer fold, numbered from 1: "1 `a`, 2 `b`".
fn numbered_by_fold(chosen: &[impl std::fmt::Display]) -> String {
    chosen.iter().enumerate().map(|(i, c)| format!("{} `{c}`", i + 1)).collect::<Vec<_>>().join(", ")
}

/// The card section of a `--tune` choice (single- and multi-label).
pub(super) fn write_card_tuning(w: &mut impl Write, t: &Tuning, grouped_by: Option<&str>) -> std::io::Result<()> {
    writeln!(
        w,
        "Nested choice of settings (`--tune '{}'`): {} candidates, each compared by the {} over {} inner folds{} \
         of the rows a model is fitted on (ties: the first listed). On all training rows:\n",
        t.grid,
        t.candidates.len(),
        t.criterion,
        t.inner_folds,
        grouped_by.map_or(String::new(), |g| format!(" grouped by {g}")),
    )?;
    writeln!(w, "| candidate | inner score |\n|---|---|")?;
    for (c, f) in t.candidates.iter().zip(&t.scores) {
        let mark = if *c == t.chosen { " (shipped)" } else { "" };
        writeln!(w, "| `{c}`{mark} | {f:.3} |")?;
    }
    writeln!(w, "\nThe shipped model uses `{}`.", t.chosen)?;
    if !t.chosen_per_fold.is_empty() {
        writeln!(
            w,
            "In cross-validation the choice was repeated inside each outer training fold, so the figures above \
             include it; chosen per fold: {}.",
            numbered_by_fold(&t.chosen_per_fold)
        )?;
    }
    writeln!(w)
}

/// The card's description of a calibration map of a model with `k`
/// classes, ending with where its scores came from. With temperature-top at
/// slope 0 the probabilities are two constants, stated with their values.
pub(super) fn describe_calibration(cal: &Calibration, k: usize) -> String {
    let on = cal.fitted_on();
    match cal {
        Calibration::None => "none (the algorithm's own probabilities)".to_string(),
        // Temperature scaling stores one slope (binary); a per-class map
        // with every offset at 0 is still per-class Platt.
        Calibration::Platt { a, b, .. } if a.len() == 1 && b.iter().all(|v| *v == 0.0) => {
            format!("temperature scaling σ(a s) (no offset, slope a >= 0, so the decisions are the model's own) fitted on {on}")
        }
        Calibration::Platt { a, .. } if a.len() > 1 => format!(
            "one Platt sigmoid per class on its own score, σ(a_c s_c + b_c), normalised to sum to 1 (one-vs-rest \
             Platt; the argmax can differ from the model's decision) fitted on {on}"
        ),
        Calibration::Platt { .. } => format!("Platt scaling fitted on {on}"),
        Calibration::Softmax { b, .. } if b.iter().all(|v| *v == 0.0) => format!(
            "temperature scaling softmax(a s) over the classes' scores (no class offsets, slope a >= 0, so the \
             decisions are the model's own) fitted on {on}"
        ),
        Calibration::Softmax { .. } => {
            format!(
                "softmax(a s + b) over the classes' scores (Platt for k classes; the class offsets can make the \
                 argmax differ from the model's decision) fitted on {on}"
            )
        }
        Calibration::TemperatureTop { a, bonus, .. } => {
            let mut text = format!(
                "temperature scaling with a bonus for the model's decision, softmax(a s + bonus [class = argmax s]) \
                 with a = {a:.4}, bonus = {bonus:.4} (a >= 0 and bonus >= 0, so the decisions are the model's own) \
                 fitted on {on}"
            );
            if *a == 0.0 && k > 1 {
                let e = bonus.max(slant::models::calibration::MIN_BONUS).exp();
                let (top, other) = (e / (e + (k - 1) as f64), 1.0 / (e + (k - 1) as f64));
                text.push_str(&format!(
                    ". With a = 0 every document gets the same probability, {top:.3}, for its predicted class and \
                     (1 - {top:.3}) / {} = {other:.3} for each other class: the probabilities do not rank documents \
                     within a predicted class",
                    k - 1
                ));
            }
            text
        }
    }
}

/// The card's note on the calibration figures of cross-validation: pooled
/// ECE against its mean over the folds, and why a low pooled ECE alone is
/// weak evidence. `None` without an ECE.
fn ece_caveat(cv: &CrossValidation) -> Option<String> {
    let pooled = cv.pooled.ece?;
    let per_fold = cv.per_fold.iter().find(|(m, _, _)| m == "ece");
    let folds = per_fold.map_or(String::new(), |(_, mean, sd)| {
        format!(", the mean of the {} folds' own ECE {mean:.3} ± {sd:.3}", cv.folds)
    });
    Some(format!(
        "Calibration figures: ECE of the pooled out-of-fold predictions {pooled:.3}{folds}. The pooled ECE compares \
         confidence with accuracy over all folds together: a confidence that is the same for every document reaches \
         a low pooled ECE by matching the overall accuracy, even when the folds' accuracies differ. Read it with the \
         per-fold ECE and with the Brier score and log loss, which also reward probabilities that separate right \
         from wrong decisions."
    ))
}

/// A value parser that trims spaces around each value before `P` parses it
/// (`--calibration 'temperature, temperature-top'`).
#[derive(Clone)]
struct Trimmed<P>(P);

impl<P: clap::builder::TypedValueParser> clap::builder::TypedValueParser for Trimmed<P> {
    type Value = P::Value;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<Self::Value, clap::Error> {
        let trimmed = value.to_str().map_or(value, |v| std::ffi::OsStr::new(v.trim()));
        self.0.parse_ref(cmd, arg, trimmed)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        self.0.possible_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a single sigmoid with offset 0 is temperature scaling; a
    /// per-class map whose offsets all came out 0 is still one sigmoid per
    /// class (the arm order once described it as σ(a s)).
    #[test]
    fn describe_calibration_tells_per_class_platt_from_temperature_scaling() {
        let on = "inner folds".to_string();
        let per_class = Calibration::Platt { a: vec![1.0, 2.0, 0.5], b: vec![0.0; 3], fitted_on: on.clone() };
        let text = describe_calibration(&per_class, 3);
        assert!(text.starts_with("one Platt sigmoid per class"), "{text}");
        assert!(text.contains("the argmax can differ from the model's decision"), "{text}");
        let temperature = Calibration::Platt { a: vec![1.0], b: vec![0.0], fitted_on: on.clone() };
        assert!(describe_calibration(&temperature, 2).starts_with("temperature scaling σ(a s)"));
        let softmax = Calibration::Softmax { a: 1.0, b: vec![0.0, 0.4, -0.2], fitted_on: on };
        assert!(describe_calibration(&softmax, 3).contains("the argmax differ from the model's decision"));
    }
}
