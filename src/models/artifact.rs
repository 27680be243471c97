//! The model file: a versioned JSON header holding everything needed to
//! score with a trained model (text-pipeline settings, the lexicons it was
//! trained with, vocabulary and feature spec, labels, algorithm,
//! hyper-parameters, weights, training-data hash and cross-validated
//! metrics), with the large arrays (weights, idf, vocabulary) in a binary
//! body after the header's line end ([`super::body`]). Loading checks the
//! format, version, the body's length and checksum, and the shapes, and
//! fails with a clear message; a model file is data and never executes
//! anything.

use super::body::{self, BodyInfo};
use super::{Algorithm, Estimator, FitReport, Params};
use crate::bail;
use crate::error::{Context, Result};
use crate::eval::Metrics;
use crate::features::sparse::CsrMatrix;
use crate::features::{tagged_tokens, Featurizer};
use crate::signals::lexicon::{Lexicon, Sides};
use crate::signals::stats::count;
use crate::signals::{SignalSet, Worker};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::rc::Rc;
use std::sync::{Arc, Mutex, Weak};

pub const FORMAT: &str = "slant-model";
/// Bumped whenever the file layout or the meaning of a field changes.
/// Version 2 stores a tagged per-algorithm `params` object where version 1
/// had `algorithm` and a `hyper` object with every algorithm's fields;
/// version 1 files are still read (see [`upgrade_v1`]). Version 3 may
/// move arrays into a binary body after the header (announced by the
/// header's `body` field); without that field it is version 2's JSON, so
/// version 2 files are read as they are. Version 4 is version 3 with
/// stacked models (`stacked`, and `features.spec().stacked`): only a file
/// that stacks is written as version 4, so a slant that cannot apply the
/// stacked models refuses it ("not supported") instead of scoring without
/// them; every other file is still written as version 3.
pub const SCHEMA_VERSION: u32 = 4;

/// The schema version of a file that stacks nothing (see [`SCHEMA_VERSION`]).
pub const SCHEMA_VERSION_UNSTACKED: u32 = 3;

/// The schema version a model with these stacked models is written in.
pub fn schema_version_for(stacked: &[StackedModel]) -> u32 {
    if stacked.is_empty() {
        SCHEMA_VERSION_UNSTACKED
    } else {
        SCHEMA_VERSION
    }
}

/// The unit a model was trained on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Whole documents (articles).
    Document,
    /// Single sentences; applied to an article, it also scores each sentence.
    Sentence,
}

crate::choices!(Level {
    "document" => Level::Document, "whole documents (articles)";
    "sentence" => Level::Sentence, "single sentences; applied to an article it also scores each sentence";
});

/// Text pipeline identification, so a model is not silently applied with a
/// different tokenizer or stemmer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPipeline {
    pub tokenizer: String,
    pub sentence_splitter: String,
    pub stemmer: String,
    pub normalization: String,
}

impl TextPipeline {
    /// A model whose features came from another tokenizer, splitter,
    /// stemmer or normalisation would be fed different features here.
    pub fn check_matches_this_build(&self) -> Result<()> {
        let now = TextPipeline::current();
        for (setting, model, here) in [
            ("tokenizer", &self.tokenizer, &now.tokenizer),
            ("sentence splitter", &self.sentence_splitter, &now.sentence_splitter),
            ("stemmer", &self.stemmer, &now.stemmer),
            ("normalization", &self.normalization, &now.normalization),
        ] {
            if model != here {
                bail!(
                    "the model was trained with {setting} {model:?} but this slant uses {here:?}; retrain the model with this slant (or use the slant it was trained with)"
                );
            }
        }
        Ok(())
    }

    pub fn current() -> Self {
        TextPipeline {
            tokenizer: "slant-tokenizer-1 (words, numbers, URLs, e-mails, contractions, hyphenated words)".into(),
            sentence_splitter: "slant-sentences-1".into(),
            stemmer: "snowball-english (rust-stemmers 1.2), lowercase, curly apostrophes straightened".into(),
            normalization: "UTF-8, BOM stripped, LF line ends, NUL removed, Unicode NFC".into(),
        }
    }
}

/// The lexicons the model's lexicon features were computed with, embedded
/// so the model scores the same way wherever it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddedLexicons {
    pub framing_source: String,
    pub framing_sha256: String,
    #[serde(with = "super::body::text")]
    pub framing: String,
    pub sides_source: String,
    pub sides_sha256: String,
    #[serde(with = "super::body::text")]
    pub sides: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    pub data_files: Vec<String>,
    /// SHA-256 of the training rows as used (id, label, group, text).
    pub data_sha256: String,
    pub rows: usize,
    pub label_counts: Vec<(String, usize)>,
    pub text_col: String,
    pub label_col: String,
    pub group_col: Option<String>,
    pub command_line: Vec<String>,
    pub fit: FitReport,
    pub fit_seconds: f64,
    /// Fingerprints of the training texts ([`TextFingerprints`]), so `eval`
    /// can tell how much of a test file the model was trained on. Absent
    /// in files written before slant recorded them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_fingerprints: Option<TextFingerprints>,
    /// How the settings of a `train --tune` grid were chosen by nested
    /// cross-validation; absent when every setting was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tuning: Option<Tuning>,
    /// The training data's licence as given (`train --data-licence`), so a
    /// model stacking this one can name it; absent when none was given
    /// (and in files written before slant recorded it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_licence: Option<String>,
}

/// Settings chosen inside the training data (`train --tune`): for each
/// candidate of a declared grid, a score on out-of-fold predictions of
/// inner folds of the rows the model is fitted on; the best candidate wins
/// (ties: the first listed). In cross-validation the choice is repeated
/// inside every outer training fold, so the reported figures are those of
/// the whole procedure (nested).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "TuningFile")]
pub struct Tuning {
    /// The grid as given to `--tune` (`key=value,...;key=...`).
    pub grid: String,
    /// Every candidate, as the `key=value` pairs of the tuned settings.
    pub candidates: Vec<String>,
    /// Inner folds (grouped like the outer folds).
    pub inner_folds: usize,
    /// What the candidates are compared by.
    pub criterion: String,
    /// The candidate the shipped model was fitted with, chosen on all rows.
    pub chosen: String,
    /// Each candidate's inner score on all rows, in candidate order.
    pub scores: Vec<f64>,
    /// The candidate chosen inside each outer cross-validation fold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chosen_per_fold: Vec<String>,
}

/// A tuning record as stored: the grid of `train --tune`, or the earlier
/// C-only record of `train --tune-c` (files of 2026-12-07), read as the
/// one-key grid it was.
#[derive(Deserialize)]
#[serde(untagged)]
enum TuningFile {
    Grid {
        grid: String,
        candidates: Vec<String>,
        inner_folds: usize,
        criterion: String,
        chosen: String,
        scores: Vec<f64>,
        #[serde(default)]
        chosen_per_fold: Vec<String>,
    },
    C {
        parameter: String,
        candidates: Vec<f64>,
        inner_folds: usize,
        criterion: String,
        chosen: f64,
        scores: Vec<f64>,
        #[serde(default)]
        chosen_per_fold: Vec<f64>,
    },
}

impl From<TuningFile> for Tuning {
    fn from(f: TuningFile) -> Tuning {
        match f {
            TuningFile::Grid { grid, candidates, inner_folds, criterion, chosen, scores, chosen_per_fold } => {
                Tuning { grid, candidates, inner_folds, criterion, chosen, scores, chosen_per_fold }
            }
            TuningFile::C { parameter, candidates, inner_folds, criterion, chosen, scores, chosen_per_fold } => {
                let one = |v: f64| format!("{parameter}={v}");
                Tuning {
                    grid: format!(
                        "{parameter}={}",
                        candidates.iter().map(f64::to_string).collect::<Vec<_>>().join(",")
                    ),
                    candidates: candidates.iter().map(|&v| one(v)).collect(),
                    inner_folds,
                    criterion,
                    chosen: one(chosen),
                    scores,
                    chosen_per_fold: chosen_per_fold.into_iter().map(one).collect(),
                }
            }
        }
    }
}

/// 64-bit FNV-1a hashes of texts (as read and normalised), sorted and
/// deduplicated, stored as 16 hex digits each: enough to count the rows
/// of another file that are training texts, without storing any text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TextFingerprints(Vec<u64>);

impl TextFingerprints {
    /// FNV-1a (64-bit): fixed and documented, so files written on one
    /// machine or version are read the same everywhere.
    pub fn of(text: &str) -> u64 {
        text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
    }

    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut v: Vec<u64> = texts.into_iter().map(Self::of).collect();
        v.sort_unstable();
        v.dedup();
        TextFingerprints(v)
    }

    pub fn contains(&self, fingerprint: u64) -> bool {
        self.0.binary_search(&fingerprint).is_ok()
    }

    /// The fingerprints, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.0.iter().copied()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<TextFingerprints> for String {
    fn from(f: TextFingerprints) -> String {
        f.0.iter().map(|h| format!("{h:016x}")).collect()
    }
}

impl TryFrom<String> for TextFingerprints {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        if s.len() % 16 != 0 || !s.is_ascii() {
            return Err("training.text_fingerprints: not a string of 16-hex-digit fingerprints".into());
        }
        let v = (0..s.len() / 16)
            .map(|i| u64::from_str_radix(&s[16 * i..16 * i + 16], 16))
            .collect::<std::result::Result<Vec<u64>, _>>()
            .map_err(|e| format!("training.text_fingerprints: {e}"))?;
        if v.windows(2).any(|w| w[0] >= w[1]) {
            return Err("training.text_fingerprints: not sorted and distinct".into());
        }
        Ok(TextFingerprints(v))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossValidation {
    pub folds: usize,
    /// The column folds were grouped by (no group in two folds), if any.
    pub grouped_by: Option<String>,
    pub seed: u64,
    /// Metrics of the pooled out-of-fold predictions.
    pub pooled: Metrics,
    /// (metric, mean, sample sd) over folds.
    pub per_fold: Vec<(String, f64, f64)>,
    /// Folds whose fit did not converge.
    pub unconverged_folds: usize,
    pub seconds: f64,
    /// With several training files: the pooled out-of-fold metrics of each
    /// file's rows, `(file, metrics)` in the order the files were given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub per_file: Vec<(String, Metrics)>,
    /// With a choice among calibration methods (`train --calibration
    /// temperature,temperature-top`): the method chosen in each fold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calibration_per_fold: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    pub format: String,
    pub schema_version: u32,
    pub slant_version: String,
    pub created: String,
    /// Short name used in output columns (`p_<name>_<label>`).
    pub name: String,
    pub level: Level,
    /// Class names; probability column c is P(labels[c]).
    pub labels: Vec<String>,
    pub text_pipeline: TextPipeline,
    pub lexicons: EmbeddedLexicons,
    pub features: Featurizer,
    /// The algorithm and its checked parameters.
    pub params: Params,
    pub estimator: Estimator,
    pub training: TrainingInfo,
    pub cross_validation: Option<CrossValidation>,
    /// Multi-label models only (the estimator is one-vs-rest): the label
    /// separator, per-label thresholds and cross-validated metrics. Absent
    /// in single-label model files (and in every file written before
    /// slant trained multi-label models).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_label: Option<MultiLabel>,
    /// Stacking (`train --stack-model`): the models whose probabilities on
    /// the same text are this model's last features
    /// ([`crate::features::FeatureSpec::stacked`]), embedded whole so the
    /// file carries its whole pipeline. Absent in files of models that
    /// stack nothing (and in every file written before slant could).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stacked: Vec<StackedModel>,
}

/// A model embedded in another as a source of features (stacking).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StackedModel {
    /// The file it was read from at training time, as given.
    pub source: String,
    /// SHA-256 (hex) of that file's bytes.
    pub sha256: String,
    pub model: ModelFile,
}

/// The feature column of a stacked model's `label`: `<model>:<label>`
/// (written by training, checked on load).
pub fn stacked_column(model: &str, label: &str) -> String {
    format!("{model}:{label}")
}

/// The class probabilities of `text` under each of `models`, in order:
/// the stacked feature values of a model that stacks them.
pub fn stacked_values_of(models: &[TrainedModel], text: &str, worker: &mut Worker) -> Result<Vec<f32>> {
    let mut out = Vec::new();
    for m in models {
        out.extend(m.stacked_features(text, worker)?);
    }
    Ok(out)
}

impl StackedModel {
    /// The feature column of `label` of this model (`<model>:<label>`).
    pub fn column(&self, label: &str) -> String {
        stacked_column(&self.model.name, label)
    }

    /// How many of the distinct texts of `training` (the stacking model's
    /// training record) this stacked model was trained on too, by the text
    /// fingerprints both records keep; `None` when either keeps none (a
    /// file written before slant recorded them) or an empty list (which
    /// [`ModelFile::check`] refuses): the overlap is unknown.
    pub fn training_overlap(&self, training: &TrainingInfo) -> Option<usize> {
        let theirs = self.model.training.text_fingerprints.as_ref().filter(|f| !f.is_empty())?;
        let ours = training.text_fingerprints.as_ref().filter(|f| !f.is_empty())?;
        Some(ours.iter().filter(|&fp| theirs.contains(fp)).count())
    }
}

/// What a multi-label (one-vs-rest) model adds: a row carries every label
/// whose probability is at least that label's threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MultiLabel {
    /// The separator of the label column's label sets (e.g. `;`).
    pub label_sep: String,
    /// One decision threshold per label (in `labels` order).
    pub thresholds: Vec<f64>,
    /// How the thresholds were chosen (e.g. "F1-maximising on out-of-fold
    /// probabilities of 5 inner folds").
    pub thresholds_chosen: String,
    /// Cross-validated multi-label metrics (nested: each outer fold's
    /// thresholds were chosen on its training part only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_validation: Option<MultiLabelCv>,
}

/// Cross-validation of a multi-label model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MultiLabelCv {
    pub folds: usize,
    pub grouped_by: Option<String>,
    pub seed: u64,
    /// Metrics of the pooled out-of-fold predictions (each row under its
    /// own outer fold's thresholds).
    pub pooled: crate::eval::MultiLabelMetrics,
    /// (metric, mean, sample sd) over folds.
    pub per_fold: Vec<(String, f64, f64)>,
    /// Outer-fold label fits that did not converge.
    pub unconverged_fits: usize,
    pub seconds: f64,
}

impl MultiLabel {
    /// The labels predicted for probabilities `p` (one per label).
    pub fn predicted<'a>(&self, labels: &'a [String], p: impl IntoIterator<Item = f64>) -> Vec<&'a str> {
        p.into_iter().zip(&self.thresholds).zip(labels).filter(|((p, t), _)| p >= *t).map(|(_, l)| l.as_str()).collect()
    }

    /// [`predicted`](Self::predicted), joined by the separator.
    pub fn predicted_joined(&self, labels: &[String], p: impl IntoIterator<Item = f64>) -> String {
        self.predicted(labels, p).join(&self.label_sep)
    }
}

/// Label text as a column-name part: ASCII snake_case ("non-biased" -> "non_biased").
pub fn snake(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    if out.is_empty() || out.as_bytes()[0].is_ascii_digit() {
        format!("c_{out}")
    } else {
        out
    }
}

impl ModelFile {
    /// Write the model (atomically): one line of JSON, then the binary
    /// body with the large arrays ([`super::body`]).
    pub fn save(&self, path: &Path) -> Result<()> {
        self.write_atomically(path, &self.to_bytes()?)
    }

    /// Write the model as JSON only (every array inline), for reading with
    /// JSON tools; slant loads it as it loads [`save`](Self::save)'s files.
    pub fn save_json(&self, path: &Path) -> Result<()> {
        self.write_atomically(path, &serde_json::to_vec(&self.current_schema())?)
    }

    fn write_atomically(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        let out = crate::files::AtomicOutput::create(Some(path))?;
        {
            let mut w = out.writer()?;
            std::io::Write::write_all(&mut w, bytes)?;
            std::io::Write::flush(&mut w)?;
        }
        out.commit()
    }

    /// The file's bytes: the header (a line of JSON announcing the body's
    /// length and checksum), a line break, the body.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let model = self.current_schema();
        // The header announces the body, so the body is gathered first;
        // serialising is deterministic, so the second pass writes the same
        // body with the same references.
        let (written, body) = body::collect(|| serde_json::to_writer(std::io::sink(), &model));
        written?;
        let info = BodyInfo::of(&body);
        let (header, again) = body::collect(|| serde_json::to_vec(&Header { model: &model, body: &info }));
        let mut bytes = header?;
        debug_assert!(again == body, "two serialisations of one model gave different bodies");
        bytes.push(b'\n');
        bytes.extend_from_slice(&body);
        Ok(bytes)
    }

    /// The model as this slant writes it: read from an earlier schema
    /// version it is already upgraded in memory.
    fn current_schema(&self) -> std::borrow::Cow<'_, ModelFile> {
        let version = schema_version_for(&self.stacked);
        if self.schema_version == version {
            std::borrow::Cow::Borrowed(self)
        } else {
            std::borrow::Cow::Owned(ModelFile { schema_version: version, ..self.clone() })
        }
    }

    /// Read and check a model file.
    pub fn load(path: &Path) -> Result<Self> {
        Self::load_with_sha256(path).map(|(m, _)| m)
    }

    /// [`load`](Self::load), with the SHA-256 of the file's bytes (hex), so
    /// a run's manifest can name the model without reading it again.
    pub fn load_with_sha256(path: &Path) -> Result<(Self, String)> {
        let shown = path.display();
        let bytes = std::fs::read(path).with_context(|| format!("cannot read model file {shown}"))?;
        let sha256 = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(&bytes));
        let model = Self::from_bytes(bytes).with_context(|| format!("model file {shown}"))?;
        Ok((model, sha256))
    }

    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        Self::from_bytes(bytes.to_vec())
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self> {
        let json_error = |e: serde_json::Error| {
            if e.is_eof() {
                crate::error::Error::invalid(format!(
                    "the file is truncated (JSON ends early at line {} column {})",
                    e.line(),
                    e.column()
                ))
            } else {
                crate::error::Error::invalid(format!("not a valid JSON model file: {e}"))
            }
        };
        // Read the identifying fields of the header first (skipping the
        // rest is much cheaper than building a JSON tree of it), then the
        // current schema straight into the model; only an old schema goes
        // through a JSON tree to be upgraded.
        let (head, header_end) = {
            let mut stream = serde_json::Deserializer::from_slice(&bytes).into_iter::<Head>();
            let head = match stream.next() {
                Some(Ok(h)) => h,
                // Valid JSON of another shape (an array, ...): no slant model.
                Some(Err(e)) if e.classify() == serde_json::error::Category::Data => Head::default(),
                Some(Err(e)) => return Err(json_error(e)),
                None => bail!("the file is empty"),
            };
            (head, stream.byte_offset())
        };
        let format = head.format.as_deref().unwrap_or("");
        if format != FORMAT {
            bail!("not a slant model (field \"format\" is {:?}, expected {FORMAT:?})", format);
        }
        let version = head.schema_version.unwrap_or(0);
        // A syntax error (after the header was read) says where; a data
        // error is a field of the wrong shape.
        let parse_error = |e: serde_json::Error| match e.classify() {
            serde_json::error::Category::Data => crate::error::Error::Context {
                context: "the model file has missing or malformed fields".into(),
                source: Box::new(crate::error::Error::Json(e)),
            },
            _ => json_error(e),
        };
        let mut model: ModelFile = match (version, head.body) {
            (1, None) => {
                let mut value: serde_json::Value = serde_json::from_slice(&bytes).map_err(json_error)?;
                upgrade_v1(&mut value)?;
                serde_json::from_value(value).map_err(parse_error)?
            }
            (2..=4, None) => serde_json::from_slice(&bytes).map_err(parse_error)?,
            (3 | 4, Some(info)) => {
                let info: BodyInfo = serde_json::from_value(info)
                    .map_err(|e| crate::error::Error::invalid(format!("the header's \"body\" is malformed: {e}")))?;
                // Cut right after the header: the whole body is missing.
                if header_end == bytes.len() {
                    return Err(body::BodyError::Truncated { expected: info.bytes, found: 0 }.into());
                }
                if bytes.get(header_end) != Some(&b'\n') {
                    return Err(body::BodyError::NoSeparator.into());
                }
                let body = header_end + 1..bytes.len();
                info.check(&bytes[body.clone()])?;
                let file = Rc::new(bytes);
                let (parsed, layout) =
                    body::reading(Rc::clone(&file), body, || serde_json::from_slice(&file[..header_end]));
                let model = parsed.map_err(parse_error)?;
                layout?;
                model
            }
            (1 | 2, Some(_)) => bail!("a schema version {version} model file cannot have a binary body"),
            _ => {
                let by = head.slant_version.as_deref().unwrap_or("an unknown version");
                bail!(
                    "model schema version {version} (written by slant {by}) is not supported by slant {} (schema versions 1 to {SCHEMA_VERSION}); retrain the model or use a matching slant",
                    env!("CARGO_PKG_VERSION")
                );
            }
        };
        if version < 4 && !model.stacked.is_empty() {
            bail!("a schema version {version} model file cannot stack models (stacking is version 4)");
        }
        model.check()?;
        // Upgraded in memory: saved again, it is written in the current schema.
        model.schema_version = schema_version_for(&model.stacked);
        Ok(model)
    }

    pub fn algorithm(&self) -> Algorithm {
        self.params.algorithm()
    }

    /// Shape and consistency checks of a deserialised model.
    pub fn check(&self) -> Result<()> {
        self.text_pipeline.check_matches_this_build()?;
        if self.estimator.algorithm() != self.params.algorithm() {
            bail!(
                "the parameters are for {} but the estimator is {}",
                self.params.algorithm(),
                self.estimator.algorithm()
            );
        }
        self.estimator
            .validate()
            .map_err(|e| crate::error::Error::invalid(format!("inconsistent model parameters: {e}")))?;
        if self.labels.len() < 2 {
            bail!("a model needs at least 2 labels, found {}", self.labels.len());
        }
        let one_vs_rest = matches!(self.estimator, super::Estimator::OneVsRest(_));
        match &self.multi_label {
            Some(ml) => {
                if !one_vs_rest {
                    bail!("the file has multi-label settings but its estimator is not one-vs-rest");
                }
                if ml.label_sep.is_empty() {
                    bail!("multi_label.label_sep is empty");
                }
                if ml.thresholds.len() != self.labels.len() {
                    bail!("{} thresholds for {} labels", ml.thresholds.len(), self.labels.len());
                }
                if ml.thresholds.iter().any(|t| !(0.0..=1.0).contains(t)) {
                    bail!("a multi-label threshold is outside 0..1");
                }
            }
            None if one_vs_rest => bail!("a one-vs-rest estimator needs the multi_label settings"),
            None => {}
        }
        if self.estimator.n_classes() != self.labels.len() {
            bail!(
                "the estimator has {} classes but the file lists {} labels",
                self.estimator.n_classes(),
                self.labels.len()
            );
        }
        if self.estimator.n_features() != self.features.n_features() {
            bail!(
                "the estimator expects {} features but the feature spec produces {}",
                self.estimator.n_features(),
                self.features.n_features()
            );
        }
        self.check_fingerprints()?;
        self.check_stacked()?;
        if crate::signals::table::is_snake_case(&self.name) {
            Ok(())
        } else {
            bail!("model name {:?} must be ASCII snake_case", self.name)
        }
    }

    /// The training text fingerprints, when recorded: at least one (an empty
    /// list would pass every overlap check while checking nothing) and no
    /// more than the training rows (each row gives one, duplicates merged).
    fn check_fingerprints(&self) -> Result<()> {
        let Some(fp) = &self.training.text_fingerprints else { return Ok(()) };
        if fp.is_empty() {
            bail!("training.text_fingerprints is empty: a file records its training texts' fingerprints or none");
        }
        let rows = self.training.rows;
        if rows > 0 && fp.len() > rows {
            bail!("training.text_fingerprints: {} fingerprints for {rows} training rows", fp.len());
        }
        Ok(())
    }

    /// The stacked models: each checked, one level deep (a stacked model
    /// stacks nothing), scoring the same unit of text as this model, and
    /// together giving exactly the stacked feature columns.
    fn check_stacked(&self) -> Result<()> {
        let mut columns = Vec::new();
        for s in &self.stacked {
            // Nesting first: a nested model's own checks would otherwise
            // report something else.
            if !s.model.stacked.is_empty() {
                bail!("stacked model {:?} stacks models itself; one level only", s.model.name);
            }
            s.model.check().with_context(|| format!("stacked model {:?}", s.model.name))?;
            if s.model.level != self.level || s.model.multi_label.is_some() {
                bail!("stacked model {:?} must be a single-label model of the same level", s.model.name);
            }
            columns.extend(s.model.labels.iter().map(|l| s.column(l)));
        }
        if columns != self.features.spec().stacked {
            bail!(
                "the stacked feature columns ({}) are not the embedded models' labels ({})",
                self.features.spec().stacked.join(", "),
                columns.join(", ")
            );
        }
        Ok(())
    }

    /// Compile the embedded lexicons into a runnable model. The stacked
    /// models move into [`TrainedModel::stacked`] (runnable, with the
    /// SHA-256 of the file each was read from); the runnable model's
    /// `file.stacked` is left empty.
    pub fn into_runtime(mut self) -> Result<TrainedModel> {
        let signals = compiled_lexicons(&self.lexicons)?;
        let expected = self.features.extra_names.clone();
        let got = crate::features::extra_feature_names(self.features.spec(), &signals);
        if expected != got {
            bail!(
                "the embedded lexicons do not produce the model's lexicon features ({} vs {})",
                got.len(),
                expected.len()
            );
        }
        let stacked = std::mem::take(&mut self.stacked)
            .into_iter()
            .map(|s| {
                let sha256 = s.sha256;
                s.model.into_runtime().map(|m| TrainedModel { file_sha256: Some(sha256), ..m })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TrainedModel { file: self, signals, file_sha256: None, stacked })
    }
}

/// The header as written: the model, and what its binary body is.
#[derive(Serialize)]
struct Header<'a> {
    #[serde(flatten)]
    model: &'a ModelFile,
    body: &'a BodyInfo,
}

/// The fields that say what a model file is, read before the rest.
#[derive(Default, Deserialize)]
struct Head {
    /// The binary body's description (schema version 3), checked as a
    /// [`BodyInfo`] once the version is known.
    #[serde(default)]
    body: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "lenient_string")]
    format: Option<String>,
    /// A field of another type (in a file that is no slant model) is
    /// treated as absent: the format check then names the problem.
    #[serde(default, deserialize_with = "lenient_u64")]
    schema_version: Option<u64>,
    #[serde(default, deserialize_with = "lenient_string")]
    slant_version: Option<String>,
}

fn lenient_u64<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<u64>, D::Error> {
    Ok(serde_json::Value::deserialize(d)?.as_u64())
}

fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    Ok(serde_json::Value::deserialize(d)?.as_str().map(str::to_string))
}

/// Which lexicon and sides files a compiled set was made of: names and SHA-256.
type LexiconKey = (String, String, String, String);

/// Compiled sets by the files they were made of (see [`compiled_lexicons`]).
static COMPILED: Mutex<Vec<(LexiconKey, Weak<SignalSet>)>> = Mutex::new(Vec::new());

/// Offer a set compiled for a run (`score`'s lexicons) to the models loaded
/// while it lives: a model that embeds the same lexicon and sides files
/// (same names and texts; the shipped models embed the shipped files, which
/// a run uses by default) uses it instead of compiling them again, about a
/// tenth of a short run's start-up. A set with added dictionaries is not
/// what any model embeds and is not offered.
pub fn share_compiled_lexicons(set: &Arc<SignalSet>) {
    if !set.lexicon.extra_sources.is_empty() {
        return;
    }
    let (lexicon, sides) = (&set.lexicon.source, &set.sides.source);
    let key: LexiconKey = (lexicon.name.clone(), lexicon.sha256.clone(), sides.name.clone(), sides.sha256.clone());
    let mut cache = COMPILED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    cache.retain(|(_, w)| w.strong_count() > 0);
    cache.push((key, Arc::downgrade(set)));
}

/// The compiled lexicons of a model, shared by every loaded model that
/// embeds the same files (the shipped models all do): compiling them is
/// most of a model's loading time. Weak references, so a set is freed with
/// the last model using it.
fn compiled_lexicons(l: &EmbeddedLexicons) -> Result<Arc<SignalSet>> {
    let key: LexiconKey =
        (l.framing_source.clone(), l.framing_sha256.clone(), l.sides_source.clone(), l.sides_sha256.clone());
    // The hashes are the model file's claims: a set is shared only when the
    // texts really are the same.
    let same_text = |set: &SignalSet| *set.lexicon.source.text == *l.framing && *set.sides.source.text == *l.sides;
    let mut cache = COMPILED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    cache.retain(|(_, w)| w.strong_count() > 0);
    if let Some(set) = cache.iter().filter(|(k, _)| *k == key).find_map(|(_, w)| w.upgrade()) {
        if same_text(&set) {
            return Ok(set);
        }
    }
    let lexicon = Lexicon::parse(&l.framing_source, &l.framing)?;
    let sides = Sides::parse(&l.sides_source, &l.sides)?;
    let set = Arc::new(SignalSet::new(lexicon, sides)?);
    cache.push((key, Arc::downgrade(&set)));
    Ok(set)
}

/// A loaded model ready to score text.
pub struct TrainedModel {
    pub file: ModelFile,
    /// The model's own lexicons, compiled (shared between models that embed the same files).
    pub signals: Arc<SignalSet>,
    /// SHA-256 (hex) of the file it was loaded from, for a run's manifest
    /// (of a stacked model: of the file it was embedded from).
    pub file_sha256: Option<String>,
    /// The embedded stacked models, runnable, in the order of their
    /// columns (moved here from [`ModelFile::stacked`], which a runnable
    /// model's `file` has empty).
    pub stacked: Vec<TrainedModel>,
}

impl TrainedModel {
    pub fn load(path: &Path) -> Result<Self> {
        let (file, sha256) = ModelFile::load_with_sha256(path)?;
        Self::from_loaded(file, sha256, path)
    }

    /// The runnable model of a file read by [`ModelFile::load_with_sha256`]
    /// from `path`.
    pub fn from_loaded(file: ModelFile, sha256: String, path: &Path) -> Result<Self> {
        let model = file.into_runtime().with_context(|| format!("model file {}", path.display()))?;
        Ok(TrainedModel { file_sha256: Some(sha256), ..model })
    }

    /// Feature rows for texts (canonical text), analysed with the model's
    /// own lexicons exactly as at training time.
    pub fn featurize(&self, texts: &[&str], worker: &mut Worker) -> Result<CsrMatrix> {
        let f = &self.file.features;
        let mut m = CsrMatrix::new(f.n_features());
        for text in texts {
            let stacked = self.stacked_values(text, worker)?;
            let mut row = self.row_of_cleaned(&f.spec().clean(text), worker);
            f.set_stacked(&mut row, &stacked)?;
            m.push_row(row);
        }
        Ok(m)
    }

    /// Feature row of a text already cleaned of the model's boilerplate,
    /// analysed with the model's own lexicons (the stacked columns empty).
    fn row_of_cleaned(&self, cleaned: &str, worker: &mut Worker) -> Vec<(u32, f32)> {
        let signals = self.signals.analyze(cleaned, worker);
        let stats = count(&self.signals, &signals);
        let f = &self.file.features;
        let tokens = tagged_tokens(f.spec(), cleaned, &signals.analyzed.tokens, &mut worker.analyzer);
        f.row_of_tokens(&tokens, &worker.analyzer, &stats)
    }

    /// This model's class probabilities of `text` as feature values (what a
    /// model stacking this one gets).
    pub fn stacked_features(&self, text: &str, worker: &mut Worker) -> Result<Vec<f32>> {
        Ok(self.predict_texts(&[text], worker)?.row(0).iter().map(|&p| p as f32).collect())
    }

    /// The stacked models' probabilities of `text` (each model featurises
    /// it its own way, as at training time), in the order of the stacked
    /// feature columns; empty when the model stacks nothing. They run the
    /// analyser: an analysis made before may hold stale word ids after
    /// this (compare [`crate::text::Analyzer::generation`]).
    pub fn stacked_values(&self, text: &str, worker: &mut Worker) -> Result<Vec<f32>> {
        stacked_values_of(&self.stacked, text, worker)
    }

    /// Whether the model was trained with the lexicon and sides files
    /// `set` was compiled from (by hash), so `set`'s analysis of a text is
    /// the model's own.
    pub fn shares_lexicons_with(&self, set: &SignalSet) -> bool {
        self.file.lexicons.framing_sha256 == set.lexicon.source.sha256
            && set.lexicon.extra_sources.is_empty()
            && self.file.lexicons.sides_sha256 == set.sides.source.sha256
    }

    /// Class probabilities of one document (`text`, analysed with `set`
    /// into `signals` and `stats`). The analysis is reused when the model
    /// was trained with the same lexicons (see
    /// [`shares_lexicons_with`](Self::shares_lexicons_with)) and its
    /// boilerplate list (if any) removes nothing from `text`: the cleaned
    /// text is then the text itself. Otherwise the cleaned text is
    /// analysed with the model's own lexicons, as [`featurize`](Self::featurize) does.
    pub fn predict_document(
        &self,
        set: &SignalSet,
        text: &str,
        signals: &crate::signals::DocSignals,
        stats: &crate::signals::stats::DocStats,
        worker: &mut Worker,
    ) -> Result<ndarray::Array2<f64>> {
        let f = &self.file.features;
        let row = match f.spec().clean(text) {
            std::borrow::Cow::Borrowed(_) if self.shares_lexicons_with(set) => {
                // The row first, while `signals`' word ids are the
                // analyser's; the stacked models (which analyse the text
                // again) after.
                let tokens = tagged_tokens(f.spec(), text, &signals.analyzed.tokens, &mut worker.analyzer);
                let mut row = f.row_of_tokens(&tokens, &worker.analyzer, stats);
                f.set_stacked(&mut row, &self.stacked_values(text, worker)?)?;
                row
            }
            cleaned => {
                // The stacked models first: this model's own analysis comes
                // right before its row is built.
                let stacked = self.stacked_values(text, worker)?;
                let mut row = self.row_of_cleaned(&cleaned, worker);
                f.set_stacked(&mut row, &stacked)?;
                row
            }
        };
        let mut m = CsrMatrix::new(f.n_features());
        m.push_row(row);
        Ok(self.file.estimator.predict_proba(&m))
    }

    /// Class probabilities for each text (rows) in label order (columns).
    pub fn predict_texts(&self, texts: &[&str], worker: &mut Worker) -> Result<ndarray::Array2<f64>> {
        Ok(self.file.estimator.predict_proba(&self.featurize(texts, worker)?))
    }
}

/// Rewrite a version-1 model (`algorithm` + `hyper` with every
/// algorithm's fields) as version 2 (`params` with the algorithm's own
/// fields). Nothing else changed between the versions.
fn upgrade_v1(v: &mut serde_json::Value) -> Result<()> {
    let obj = v.as_object_mut().ok_or_else(|| crate::error::Error::invalid("a model file must be a JSON object"))?;
    let algorithm = obj.remove("algorithm").and_then(|a| a.as_str().map(str::to_string)).unwrap_or_default();
    let hyper = obj.remove("hyper").unwrap_or_default();
    let field = |name: &str| hyper.get(name).cloned().unwrap_or(serde_json::Value::Null);
    let mut params = serde_json::Map::new();
    params.insert("algorithm".into(), algorithm.clone().into());
    let fields: &[&str] = match algorithm.as_str() {
        "logistic" => &["c", "max_iter", "tol", "class_weight"],
        "linear_svm" => &["c", "max_iter", "tol", "class_weight", "seed"],
        "naive_bayes" => &["class_weight"],
        "tree" => &["max_depth", "min_samples_leaf", "class_weight"],
        other => bail!("unknown algorithm {other:?} in a version-1 model file"),
    };
    for f in fields {
        params.insert((*f).into(), field(f));
    }
    if algorithm == "naive_bayes" {
        params.insert("alpha".into(), field("nb_alpha"));
    }
    obj.insert("params".into(), params.into());
    obj.insert("schema_version".into(), SCHEMA_VERSION_UNSTACKED.into());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuning_records_of_tune_and_of_the_earlier_tune_c_both_load() {
        let t = Tuning {
            grid: "c=1,10;ngrams=1,2".into(),
            candidates: vec!["c=1 ngrams=1".into(), "c=10 ngrams=2".into()],
            inner_folds: 3,
            criterion: "macro-F1".into(),
            chosen: "c=10 ngrams=2".into(),
            scores: vec![0.5, 0.6],
            chosen_per_fold: vec!["c=1 ngrams=1".into()],
        };
        let back: Tuning = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
        let old = r#"{"parameter":"c","candidates":[0.1,10],"inner_folds":3,"criterion":"m","chosen":10,"scores":[0.1,0.2],"chosen_per_fold":[0.1]}"#;
        let t: Tuning = serde_json::from_str(old).unwrap();
        assert_eq!(t.grid, "c=0.1,10");
        assert_eq!(t.candidates, ["c=0.1", "c=10"]);
        assert_eq!((t.chosen.as_str(), t.chosen_per_fold.as_slice()), ("c=10", &["c=0.1".to_string()][..]));
        assert!(serde_json::from_str::<Tuning>(r#"{"grid":"c=1"}"#).is_err());
    }

    #[test]
    fn text_fingerprints_round_trip_and_reject_malformed_strings() {
        let f = TextFingerprints::from_texts(["b text", "a text", "b text"]);
        assert_eq!(f.len(), 2);
        assert!(f.contains(TextFingerprints::of("a text")) && !f.contains(TextFingerprints::of("c text")));
        // FNV-1a 64 reference value.
        assert_eq!(TextFingerprints::of("a"), 0xaf63_dc4c_8601_ec8c);
        let s: String = f.clone().into();
        assert_eq!(s.len(), 32);
        assert_eq!(TextFingerprints::try_from(s.clone()).unwrap(), f);
        assert!(TextFingerprints::try_from(s[..31].to_string()).is_err());
        let swapped = format!("{}{}", &s[16..], &s[..16]);
        assert!(TextFingerprints::try_from(swapped).is_err());
        assert!(TextFingerprints::try_from("zz".repeat(8)).is_err());
    }

    #[test]
    fn labels_become_snake_case() {
        assert_eq!(snake("non-biased"), "non_biased");
        assert_eq!(snake("Left"), "left");
        assert_eq!(snake("public_opinion"), "public_opinion");
        assert_eq!(snake("2nd amendment"), "c_2nd_amendment");
        assert_eq!(snake("--"), "c_");
    }
}
