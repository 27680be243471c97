//! Group comparison of score columns: per group n, mean, standard
//! deviation, median and a bootstrap interval of the mean, and the
//! difference between two groups with its bootstrap interval and an effect
//! size (Hedges' g). What LIWC's group output and quanteda's `groups=` give,
//! computed here so the numbers come with the rest of slant's outputs.
//!
//! Missing values (empty cells) are left out per column; every figure says
//! how many values it rests on.
//!
//! With weights (`summarize --weight n_words`) the group figures are those of
//! the weighted distribution: the weighted mean of per-document rates with
//! the rates' own denominators as weights is the pooled rate of the group
//! (total count / total words x 1000 for a `_per1k` column), a ratio
//! estimator whose intervals resample documents. Rows of weight 0 are left
//! out; n stays a count of rows, and [`GroupSummary::n_eff`] gives Kish's
//! effective sample size.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::borrow::Cow;

/// Settings of the intervals: a percentile bootstrap for groups up to
/// `max_n` values, the normal-theory interval above (for the mean of
/// thousands of values the two agree to the third digit, and a bootstrap of
/// a million values per resample would take minutes per column).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bootstrap {
    /// Resamples drawn (with replacement, of the group's size).
    pub resamples: usize,
    /// Coverage of the interval, e.g. 0.95.
    pub level: f64,
    /// Seed of the ChaCha8 generator: the same seed gives the same intervals.
    pub seed: u64,
    /// Largest group (values of a column) bootstrapped; larger ones get
    /// mean +- z * sd / sqrt(n) (Welch's standard error for a difference).
    pub max_n: usize,
    /// Smallest group given an interval. A percentile bootstrap of a
    /// handful of values is far too narrow (of one value: width 0; of two:
    /// their range), so smaller groups get none rather than a false
    /// certainty.
    pub min_n: usize,
}

/// [`Bootstrap::min_n`] by default.
pub const MIN_INTERVAL_N: usize = 10;

impl Default for Bootstrap {
    fn default() -> Self {
        Bootstrap { resamples: 2000, level: 0.95, seed: 20240601, max_n: 10_000, min_n: MIN_INTERVAL_N }
    }
}

/// How an interval was computed (the `ci_method` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CiMethod {
    Bootstrap,
    Normal,
    /// No interval (fewer values than [`Bootstrap::min_n`], or --resamples 0
    /// below the normal threshold).
    None,
}

impl CiMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            CiMethod::Bootstrap => "bootstrap",
            CiMethod::Normal => "normal",
            CiMethod::None => "",
        }
    }
}

/// The standard normal quantile (inverse CDF) at `p` in (0, 1), by
/// Acklam's rational approximation (relative error below 1.2e-9): written
/// here because it is the only distribution function slant needs.
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] =
        [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// centre +- z * se at the bootstrap's level.
fn normal_interval(centre: f64, se: f64, level: f64) -> (Option<f64>, Option<f64>) {
    let z = normal_quantile(0.5 + level / 2.0);
    (Some(centre - z * se), Some(centre + z * se))
}

/// One group's figures for one column. Undefined figures are `None` (sd
/// with fewer than two values, everything with none).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSummary {
    pub n: usize,
    /// Sum of the weights (n without weights: every row weighs 1).
    pub sum_weight: f64,
    /// Kish's effective sample size (sum w)^2 / sum w^2 (n without
    /// weights); `None` when n = 0.
    pub n_eff: Option<f64>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub median: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub ci_method: CiMethod,
}

/// Group A minus group B for one column.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub n_a: usize,
    pub n_b: usize,
    /// Sums of the weights and Kish's effective sizes of the two groups, as
    /// in [`GroupSummary`].
    pub sum_weight_a: f64,
    pub sum_weight_b: f64,
    pub n_eff_a: Option<f64>,
    pub n_eff_b: Option<f64>,
    pub mean_a: Option<f64>,
    pub mean_b: Option<f64>,
    /// mean_a - mean_b.
    pub diff: Option<f64>,
    /// Percentile bootstrap interval of the difference (each group
    /// resampled separately).
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub ci_method: CiMethod,
    /// Hedges' g: Cohen's d with the pooled sample SD, times the
    /// small-sample correction 1 - 3 / (4 (n_a + n_b) - 9). With weights:
    /// see [`difference_weighted`].
    pub hedges_g: Option<f64>,
}

/// A row of the summary table: one group's figures for one column.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    pub by: String,
    pub group: String,
    pub column: String,
    pub summary: GroupSummary,
}

/// A row of the difference table: group A minus group B for one column.
#[derive(Debug, Clone, PartialEq)]
pub struct DifferenceRow {
    pub by: String,
    pub group_a: String,
    pub group_b: String,
    pub column: String,
    pub difference: Difference,
}

/// A row of `slant terms`: how often one surface form matched a category.
#[derive(Debug, Clone, PartialEq)]
pub struct TermRow {
    /// The grouping column and value (empty without --by).
    pub by: String,
    pub group: String,
    pub category: String,
    pub subcategory: String,
    /// The matched text, lowercased, inner whitespace collapsed.
    pub term: String,
    /// Counted matches (negated ones left out, as in the scores).
    pub n: usize,
    /// Documents with at least one such match.
    pub n_docs: usize,
    /// Matches per 1,000 words of the group (needs the scores file).
    pub per1k: Option<f64>,
    /// Share of the group's documents with such a match (needs the scores file).
    pub doc_share: Option<f64>,
    /// n / all counted matches of this category and subcategory in the group.
    pub share_of_subcategory: f64,
}

/// The form a matched text is counted under: lowercased, whitespace runs
/// (line breaks inside a match) turned into one space.
pub fn term_form(matched: &str) -> String {
    matched.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

pub fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Sample standard deviation (n - 1 in the denominator, as pandas and R).
pub fn sd(v: &[f64]) -> Option<f64> {
    let m = mean(v)?;
    (v.len() >= 2).then(|| (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt())
}

/// Percentile `q` (0..=1) of sorted values with linear interpolation
/// between order statistics (numpy's and pandas' default, R's type 7).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64))
}

fn sorted(v: &[f64]) -> Vec<f64> {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s
}

fn resample_mean(v: &[f64], rng: &mut ChaCha8Rng) -> f64 {
    (0..v.len()).map(|_| v[rng.gen_range(0..v.len())]).sum::<f64>() / v.len() as f64
}

/// The interval of the bootstrap statistics `stats`.
fn interval(stats: Vec<f64>, level: f64) -> (Option<f64>, Option<f64>) {
    let s = sorted(&stats);
    let tail = (1.0 - level) / 2.0;
    (quantile_sorted(&s, tail), quantile_sorted(&s, 1.0 - tail))
}

/// Figures of one group's values (missing values already left out).
pub fn summarize(values: &[f64], boot: &Bootstrap) -> GroupSummary {
    let s = sorted(values);
    let (mean, sd) = (mean(values), sd(values));
    let ((ci_low, ci_high), ci_method) = if values.is_empty() || values.len() < boot.min_n {
        ((None, None), CiMethod::None)
    } else if values.len() > boot.max_n {
        let se = sd.unwrap_or(0.0) / (values.len() as f64).sqrt();
        (normal_interval(mean.unwrap_or(0.0), se, boot.level), CiMethod::Normal)
    } else if boot.resamples == 0 {
        ((None, None), CiMethod::None)
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(boot.seed);
        let stats = (0..boot.resamples).map(|_| resample_mean(values, &mut rng)).collect();
        (interval(stats, boot.level), CiMethod::Bootstrap)
    };
    let n = values.len();
    GroupSummary {
        n,
        sum_weight: n as f64,
        n_eff: (n > 0).then_some(n as f64),
        mean,
        sd,
        median: quantile_sorted(&s, 0.5),
        ci_low,
        ci_high,
        ci_method,
    }
}

/// Group `a` minus group `b`.
pub fn difference(a: &[f64], b: &[f64], boot: &Bootstrap) -> Difference {
    let (mean_a, mean_b) = (mean(a), mean(b));
    let diff = mean_a.zip(mean_b).map(|(x, y)| x - y);
    let ((ci_low, ci_high), ci_method) = if a.is_empty() || b.is_empty() || a.len().min(b.len()) < boot.min_n {
        ((None, None), CiMethod::None)
    } else if a.len().max(b.len()) > boot.max_n {
        let var = |v: &[f64]| sd(v).map_or(0.0, |s| s * s) / v.len() as f64;
        (normal_interval(diff.unwrap_or(0.0), (var(a) + var(b)).sqrt(), boot.level), CiMethod::Normal)
    } else if boot.resamples == 0 {
        ((None, None), CiMethod::None)
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(boot.seed);
        let stats = (0..boot.resamples).map(|_| resample_mean(a, &mut rng) - resample_mean(b, &mut rng)).collect();
        (interval(stats, boot.level), CiMethod::Bootstrap)
    };
    let hedges_g = match (diff, sd(a), sd(b)) {
        (Some(d), Some(sa), Some(sb)) => {
            let (na, nb) = (a.len() as f64, b.len() as f64);
            let pooled = (((na - 1.0) * sa * sa + (nb - 1.0) * sb * sb) / (na + nb - 2.0)).sqrt();
            (pooled > 0.0).then(|| d / pooled * (1.0 - 3.0 / (4.0 * (na + nb) - 9.0)))
        }
        _ => None,
    };
    let unit = |v: &[f64]| (v.len() as f64, (!v.is_empty()).then_some(v.len() as f64));
    let ((sum_weight_a, n_eff_a), (sum_weight_b, n_eff_b)) = (unit(a), unit(b));
    Difference {
        n_a: a.len(),
        n_b: b.len(),
        sum_weight_a,
        sum_weight_b,
        n_eff_a,
        n_eff_b,
        mean_a,
        mean_b,
        diff,
        ci_low,
        ci_high,
        ci_method,
        hedges_g,
    }
}

/// One group's values of a column with their weights (same length, every
/// weight finite and > 0: the reader leaves rows of weight 0 out and
/// refuses negative ones).
#[derive(Debug, Clone, Copy)]
pub struct Weighted<'a> {
    pub values: &'a [f64],
    pub weights: &'a [f64],
}

impl Weighted<'_> {
    fn len(&self) -> usize {
        self.values.len()
    }

    fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Folded from +0.0: `Iterator::sum` of no floats is -0.0, which an
    /// empty group would print as "-0.0000".
    fn sum_weight(&self) -> f64 {
        self.weights.iter().fold(0.0, |sum, w| sum + w)
    }

    /// The same rows with other weights (their [`relative`] ones).
    fn with_weights<'b>(&self, weights: &'b [f64]) -> Weighted<'b>
    where
        Self: 'b,
    {
        Weighted { values: self.values, weights }
    }
}

/// The weights divided by the largest one. Every weighted figure except the
/// sum of the weights is unchanged when all weights are multiplied by one
/// factor, and on this scale (largest 1) neither w^2 nor the sums overflow
/// or underflow, as they would for weights like 1e200 or 1e-200.
fn relative(weights: &[f64]) -> Cow<'_, [f64]> {
    let largest = weights.iter().copied().fold(0.0, f64::max);
    if largest == 1.0 || largest == 0.0 {
        Cow::Borrowed(weights)
    } else {
        Cow::Owned(weights.iter().map(|w| w / largest).collect())
    }
}

/// Weighted mean sum(w x) / sum(w); `None` without values.
pub fn weighted_mean(v: Weighted) -> Option<f64> {
    let weights = relative(v.weights);
    let v = v.with_weights(&weights);
    let sw = v.sum_weight();
    (!v.is_empty() && sw > 0.0).then(|| v.values.iter().zip(v.weights).map(|(x, w)| w * x).sum::<f64>() / sw)
}

/// Kish's effective sample size (sum w)^2 / sum w^2: the number of equally
/// weighted rows that would give the weighted mean the same variance.
pub fn effective_n(weights: &[f64]) -> Option<f64> {
    let weights = relative(weights);
    let sw2: f64 = weights.iter().map(|w| w * w).sum();
    (sw2 > 0.0).then(|| weights.iter().sum::<f64>().powi(2) / sw2)
}

/// Weighted standard deviation, the unbiased form for reliability weights:
/// sqrt(sum w (x - mean)^2 / (V1 - V2 / V1)) with V1 = sum w, V2 = sum w^2
/// (equal weights give the sample SD with n - 1). `None` below two rows.
pub fn weighted_sd(v: Weighted) -> Option<f64> {
    let weights = relative(v.weights);
    let v = v.with_weights(&weights);
    let m = weighted_mean(v)?;
    let (v1, v2) = (v.sum_weight(), v.weights.iter().map(|w| w * w).sum::<f64>());
    let denominator = v1 - v2 / v1;
    (v.len() >= 2 && denominator > 0.0)
        .then(|| (v.values.iter().zip(v.weights).map(|(x, w)| w * (x - m).powi(2)).sum::<f64>() / denominator).sqrt())
}

/// Weighted median: with the values sorted ascending, the first value at
/// which the cumulative weight reaches half the total; when it equals half
/// (within rounding), the mean of that value and the next one. So equal
/// weights give the ordinary median and integer weights the median of the
/// rows repeated that many times.
pub fn weighted_median(v: Weighted) -> Option<f64> {
    let weights = relative(v.weights);
    let v = v.with_weights(&weights);
    let mut pairs: Vec<(f64, f64)> = v.values.iter().copied().zip(v.weights.iter().copied()).collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Summed in the same order as the cumulative weight, so the last
    // cumulative sum is the total exactly.
    let total = pairs.iter().fold(0.0, |sum, &(_, w)| sum + w);
    // A running sum of fractional weights misses the exact half by a few
    // rounding steps (six weights of 0.1 reach 0.30000000000000004 of 0.6),
    // so "equals half" allows the rounding error such a sum can carry: at
    // least 1e-12 of the total, more for groups of thousands of rows.
    let tolerance = total * 1e-12_f64.max(pairs.len() as f64 * f64::EPSILON);
    let mut cumulative = 0.0;
    for (i, &(x, w)) in pairs.iter().enumerate() {
        cumulative += w;
        // Compared as 2 cum against the total, so integer weights hit the
        // half exactly instead of through a rounded division.
        let excess = 2.0 * cumulative - total;
        if excess >= -tolerance {
            return Some(match pairs.get(i + 1) {
                Some(&(next, _)) if excess.abs() <= tolerance => (x + next) / 2.0,
                _ => x,
            });
        }
    }
    None
}

/// Delta-method (linearised) variance of the weighted mean as a ratio
/// estimator: n / (n - 1) * sum (w (x - mean))^2 / (sum w)^2. Expects
/// [`relative`] weights (w^2 of large weights overflows).
fn weighted_mean_variance(v: Weighted) -> f64 {
    let (Some(m), n) = (weighted_mean(v), v.len() as f64) else { return 0.0 };
    if n < 2.0 {
        return 0.0;
    }
    let sw = v.sum_weight();
    n / (n - 1.0) * v.values.iter().zip(v.weights).map(|(x, w)| (w * (x - m)).powi(2)).sum::<f64>() / (sw * sw)
}

/// The weighted mean of one bootstrap resample of rows (value and weight
/// drawn together): the ratio estimator recomputed, as a resample of
/// documents. Expects [`relative`] weights (sums of large ones overflow).
fn resample_weighted_mean(v: Weighted, rng: &mut ChaCha8Rng) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for _ in 0..v.len() {
        let i = rng.gen_range(0..v.len());
        num += v.weights[i] * v.values[i];
        den += v.weights[i];
    }
    num / den
}

/// [`summarize`] with weights: weighted mean, SD ([`weighted_sd`]) and
/// median ([`weighted_median`]); the interval is a bootstrap of rows or,
/// above `max_n` rows, mean +- z times the delta-method standard error.
/// `max_n` counts rows; `min_n` counts both rows and Kish's effective size:
/// twelve rows of which one weighs a million are about one effective row,
/// and their interval would be as falsely narrow as one of a single value.
pub fn summarize_weighted(v: Weighted, boot: &Bootstrap) -> GroupSummary {
    let sum_weight = v.sum_weight();
    let weights = relative(v.weights);
    let v = v.with_weights(&weights);
    let (mean, sd, n_eff) = (weighted_mean(v), weighted_sd(v), effective_n(v.weights));
    let n = v.len();
    let too_few = n < boot.min_n || n_eff.is_none_or(|e| e < boot.min_n as f64);
    let ((ci_low, ci_high), ci_method) = if v.is_empty() || too_few {
        ((None, None), CiMethod::None)
    } else if n > boot.max_n {
        (normal_interval(mean.unwrap_or(0.0), weighted_mean_variance(v).sqrt(), boot.level), CiMethod::Normal)
    } else if boot.resamples == 0 {
        ((None, None), CiMethod::None)
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(boot.seed);
        let stats = (0..boot.resamples).map(|_| resample_weighted_mean(v, &mut rng)).collect();
        (interval(stats, boot.level), CiMethod::Bootstrap)
    };
    GroupSummary { n, sum_weight, n_eff, mean, sd, median: weighted_median(v), ci_low, ci_high, ci_method }
}

/// [`difference`] with weights: the difference of the weighted means, its
/// interval from resampling each group's rows separately or, for large
/// groups, from the two delta-method standard errors; no interval when
/// either group has fewer than `min_n` rows or effective rows (as in
/// [`summarize_weighted`]).
///
/// Hedges' g is the difference over the weighted SDs ([`weighted_sd`], the
/// weighted variance of Austin & Stuart 2015, Stat Med 34:3661, for
/// standardised differences under weights) pooled by Kish's effective
/// sizes, `((n_eff_a - 1) sd_a^2 + (n_eff_b - 1) sd_b^2) / (n_eff_a +
/// n_eff_b - 2)`, times Hedges' correction 1 - 3 / (4 (n_eff_a + n_eff_b) - 9):
/// Hedges' formula with the effective sizes in place of the row counts, so
/// equal weights give the unweighted g. It is left empty when
/// n_eff_a + n_eff_b < 4, the smallest total for which the unweighted g is
/// defined (below it the correction factor is meaningless).
pub fn difference_weighted(a: Weighted, b: Weighted, boot: &Bootstrap) -> Difference {
    let (sum_weight_a, sum_weight_b) = (a.sum_weight(), b.sum_weight());
    let (weights_a, weights_b) = (relative(a.weights), relative(b.weights));
    let (a, b) = (a.with_weights(&weights_a), b.with_weights(&weights_b));
    let (mean_a, mean_b) = (weighted_mean(a), weighted_mean(b));
    let diff = mean_a.zip(mean_b).map(|(x, y)| x - y);
    let (n_eff_a, n_eff_b) = (effective_n(a.weights), effective_n(b.weights));
    let fewest_effective = n_eff_a.zip(n_eff_b).map(|(x, y)| x.min(y));
    let too_few = a.len().min(b.len()) < boot.min_n || fewest_effective.is_none_or(|e| e < boot.min_n as f64);
    let ((ci_low, ci_high), ci_method) = if a.is_empty() || b.is_empty() || too_few {
        ((None, None), CiMethod::None)
    } else if a.len().max(b.len()) > boot.max_n {
        let se = (weighted_mean_variance(a) + weighted_mean_variance(b)).sqrt();
        (normal_interval(diff.unwrap_or(0.0), se, boot.level), CiMethod::Normal)
    } else if boot.resamples == 0 {
        ((None, None), CiMethod::None)
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(boot.seed);
        let stats = (0..boot.resamples)
            .map(|_| resample_weighted_mean(a, &mut rng) - resample_weighted_mean(b, &mut rng))
            .collect();
        (interval(stats, boot.level), CiMethod::Bootstrap)
    };
    let hedges_g = match (diff, weighted_sd(a), weighted_sd(b), n_eff_a, n_eff_b) {
        (Some(d), Some(sa), Some(sb), Some(na), Some(nb)) if na + nb >= 4.0 => {
            let pooled = (((na - 1.0) * sa * sa + (nb - 1.0) * sb * sb) / (na + nb - 2.0)).sqrt();
            (pooled > 0.0).then(|| d / pooled * (1.0 - 3.0 / (4.0 * (na + nb) - 9.0)))
        }
        _ => None,
    };
    Difference {
        n_a: a.len(),
        n_b: b.len(),
        sum_weight_a,
        sum_weight_b,
        n_eff_a,
        n_eff_b,
        mean_a,
        mean_b,
        diff,
        ci_low,
        ci_high,
        ci_method,
        hedges_g,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn moments_and_median_by_hand() {
        let v = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let s = summarize(&v, &Bootstrap { resamples: 0, ..Default::default() });
        assert_eq!(s.ci_method, CiMethod::None);
        assert_eq!(s.n, 8);
        assert!(close(s.mean, 5.0));
        // Sum of squares 32, n - 1 = 7.
        assert!(close(s.sd, (32.0f64 / 7.0).sqrt()));
        assert!(close(s.median, 4.5));
        assert_eq!((s.ci_low, s.ci_high), (None, None));
        assert!(close(quantile_sorted(&[1.0, 2.0, 3.0, 4.0], 0.25), 1.75));
    }

    #[test]
    fn empty_and_single_values_are_undefined_not_zero() {
        let b = Bootstrap::default();
        let e = summarize(&[], &b);
        assert_eq!((e.n, e.mean, e.sd, e.median, e.ci_low), (0, None, None, None, None));
        let one = summarize(&[3.0], &b);
        assert_eq!((one.mean, one.sd, one.ci_low, one.ci_high), (Some(3.0), None, None, None));
        // Below the minimum group size: no interval (a bootstrap of two
        // values would give their range); at it, one.
        let few: Vec<f64> = (0..MIN_INTERVAL_N - 1).map(|i| i as f64).collect();
        assert_eq!(summarize(&few, &b).ci_method, CiMethod::None);
        assert_eq!(difference(&few, &[1.0; MIN_INTERVAL_N], &b).ci_low, None);
        let enough: Vec<f64> = (0..MIN_INTERVAL_N).map(|i| i as f64).collect();
        assert_eq!(summarize(&enough, &b).ci_method, CiMethod::Bootstrap);
        assert_eq!(difference(&[1.0], &[], &b).diff, None);
    }

    #[test]
    fn bootstrap_interval_covers_the_mean_and_is_reproducible() {
        let v: Vec<f64> = (0..200).map(|i| ((i * 37) % 101) as f64).collect();
        let b = Bootstrap::default();
        let s = summarize(&v, &b);
        let (lo, hi, m) = (s.ci_low.unwrap(), s.ci_high.unwrap(), s.mean.unwrap());
        assert!(lo < m && m < hi, "{lo} {m} {hi}");
        // Near the normal interval mean +- 1.96 sd / sqrt(n).
        let half = 1.96 * s.sd.unwrap() / (v.len() as f64).sqrt();
        assert!(((hi - lo) / (2.0 * half) - 1.0).abs() < 0.15, "{lo} {hi} {half}");
        assert_eq!(summarize(&v, &b), s);
        assert_ne!(summarize(&v, &Bootstrap { seed: 7, ..b }).ci_low, s.ci_low);
    }

    #[test]
    fn normal_quantiles_and_the_large_group_interval() {
        assert!((normal_quantile(0.975) - 1.959963985).abs() < 1e-8);
        assert!((normal_quantile(0.5)).abs() < 1e-12);
        assert!((normal_quantile(0.001) + 3.090232306).abs() < 1e-7);
        let v: Vec<f64> = (0..50).map(|i| i as f64).collect();
        let small = Bootstrap { max_n: 40, ..Bootstrap::default() };
        let s = summarize(&v, &small);
        assert_eq!(s.ci_method, CiMethod::Normal);
        let half = 1.959963985 * s.sd.unwrap() / 50f64.sqrt();
        assert!((s.ci_high.unwrap() - (24.5 + half)).abs() < 1e-6);
        assert_eq!(summarize(&v, &Bootstrap::default()).ci_method, CiMethod::Bootstrap);
        let d = difference(&v, &v[..10], &small);
        assert_eq!(d.ci_method, CiMethod::Normal);
        let se = (s.sd.unwrap().powi(2) / 50.0 + sd(&v[..10]).unwrap().powi(2) / 10.0).sqrt();
        assert!((d.ci_low.unwrap() - (20.0 - 1.959963985 * se)).abs() < 1e-6);
    }

    #[test]
    fn hedges_g_by_hand() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0];
        let b = [3.0, 4.0, 5.0, 6.0, 7.0];
        let d = difference(&a, &b, &Bootstrap { min_n: 2, ..Bootstrap::default() });
        assert!(close(d.diff, -2.0));
        // Both SDs sqrt(2.5): d = -2 / sqrt(2.5); J = 1 - 3 / 31.
        assert!(close(d.hedges_g, -2.0 / 2.5f64.sqrt() * (1.0 - 3.0 / 31.0)));
        assert!(d.ci_low.unwrap() < -2.0 && -2.0 < d.ci_high.unwrap());
    }

    fn w<'a>(values: &'a [f64], weights: &'a [f64]) -> Weighted<'a> {
        Weighted { values, weights }
    }

    #[test]
    fn weighted_figures_by_hand() {
        // x 1, 2, 4 with weights 1, 2, 1: sum w = 4, sum w x = 9.
        let v = w(&[4.0, 1.0, 2.0], &[1.0, 1.0, 2.0]);
        assert!(close(weighted_mean(v), 2.25));
        // sum w (x - 2.25)^2 = 1.5625 + 0.125 + 3.0625 = 4.75; V1 = 4,
        // V2 = 6, V1 - V2 / V1 = 2.5.
        assert!(close(weighted_sd(v), 1.9f64.sqrt()));
        // Cumulative weights 1, 3 of 4 in sorted order: 3 passes half at x = 2.
        assert!(close(weighted_median(v), 2.0));
        assert!(close(effective_n(v.weights), 16.0 / 6.0));
        // Cumulative weight exactly half at 3: the mean of 3 and the next value.
        assert!(close(weighted_median(w(&[10.0, 1.0, 3.0], &[2.0, 1.0, 1.0])), 6.5));
        let s = summarize_weighted(v, &Bootstrap { resamples: 0, ..Default::default() });
        assert_eq!((s.n, s.sum_weight, s.ci_method), (3, 4.0, CiMethod::None));
        // One row: a mean, no spread.
        let one = summarize_weighted(w(&[5.0], &[3.0]), &Bootstrap::default());
        assert_eq!((one.mean, one.sd, one.median, one.n_eff), (Some(5.0), None, Some(5.0), Some(1.0)));
        let none = summarize_weighted(w(&[], &[]), &Bootstrap::default());
        assert_eq!((none.n, none.mean, none.sd, none.median, none.n_eff), (0, None, None, None, None));
    }

    #[test]
    fn delta_method_interval_by_hand() {
        // Same rows: sum (w (x - 2.25))^2 = 1.5625 + 0.25 + 3.0625 = 4.875;
        // variance 3 / 2 * 4.875 / 16 = 0.45703125.
        let v = w(&[1.0, 2.0, 4.0], &[1.0, 2.0, 1.0]);
        let normal = Bootstrap { min_n: 2, max_n: 2, ..Bootstrap::default() };
        let s = summarize_weighted(v, &normal);
        assert_eq!(s.ci_method, CiMethod::Normal);
        let half = 1.959963985 * 0.45703125f64.sqrt();
        assert!((s.ci_low.unwrap() - (2.25 - half)).abs() < 1e-6, "{s:?}");
        assert!((s.ci_high.unwrap() - (2.25 + half)).abs() < 1e-6, "{s:?}");
        // Difference against itself: diff 0, se sqrt(2) times as large.
        let d = difference_weighted(v, v, &normal);
        assert!(close(d.diff, 0.0));
        assert!((d.ci_high.unwrap() - half * 2f64.sqrt()).abs() < 1e-6, "{d:?}");
    }

    #[test]
    fn weighted_hedges_g_by_hand() {
        // a: mean 2.25, sd^2 1.9, n_eff 8/3; b: 0, 0, 3 equally weighted:
        // mean 1, sd^2 3, n_eff 3. Pooled: (5/3 * 1.9 + 2 * 3) / (11/3) = 2.5;
        // J = 1 - 3 / (4 * 17/3 - 9) = 32/41.
        let a = w(&[1.0, 2.0, 4.0], &[1.0, 2.0, 1.0]);
        let b = w(&[0.0, 0.0, 3.0], &[7.0, 7.0, 7.0]);
        let d = difference_weighted(a, b, &Bootstrap { resamples: 0, min_n: 2, ..Bootstrap::default() });
        assert!(close(d.diff, 1.25));
        assert!(close(d.hedges_g, 1.25 / 2.5f64.sqrt() * 32.0 / 41.0), "{d:?}");
        assert_eq!((d.sum_weight_a, d.sum_weight_b), (4.0, 21.0));
        // Weights so uneven that n_eff_a + n_eff_b < 4: no g.
        let skewed = w(&[1.0, 2.0], &[1000.0, 1.0]);
        assert_eq!(difference_weighted(skewed, skewed, &Bootstrap::default()).hedges_g, None);
    }

    #[test]
    fn equal_weights_give_the_unweighted_figures() {
        let v: Vec<f64> = (0..40).map(|i| ((i * 37) % 23) as f64 / 3.0).collect();
        let b: Vec<f64> = (0..30).map(|i| ((i * 11) % 17) as f64).collect();
        let (ones, twos) = (vec![1.0; v.len()], vec![2.5; b.len()]);
        let boot = Bootstrap::default();
        let (plain, weighted) = (summarize(&v, &boot), summarize_weighted(w(&v, &ones), &boot));
        for (x, y) in [
            (plain.mean, weighted.mean),
            (plain.sd, weighted.sd),
            (plain.median, weighted.median),
            (plain.ci_low, weighted.ci_low),
            (plain.ci_high, weighted.ci_high),
        ] {
            assert!(close(x, y.unwrap()), "{plain:?}\n{weighted:?}");
        }
        assert_eq!((weighted.n, weighted.sum_weight, weighted.n_eff), (40, 40.0, Some(40.0)));
        // Constant weights other than 1 too (the SD's V1 - V2 / V1 = w (n - 1)).
        let scaled = summarize_weighted(w(&b, &twos), &Bootstrap { resamples: 0, ..boot });
        assert!(close(scaled.sd, sd(&b).unwrap()) && close(scaled.mean, mean(&b).unwrap()));
        assert!(close(scaled.n_eff, 30.0));
        let (d, dw) = (difference(&v, &b, &boot), difference_weighted(w(&v, &ones), w(&b, &twos), &boot));
        assert!(close(dw.diff, d.diff.unwrap()) && close(dw.hedges_g, d.hedges_g.unwrap()), "{d:?}\n{dw:?}");
        assert!(close(dw.ci_low, d.ci_low.unwrap()) && close(dw.ci_high, d.ci_high.unwrap()), "{d:?}\n{dw:?}");
        let large = Bootstrap { max_n: 5, ..boot };
        let (d, dw) = (difference(&v, &b, &large), difference_weighted(w(&v, &ones), w(&b, &twos), &large));
        assert_eq!(dw.ci_method, CiMethod::Normal);
        assert!(close(dw.ci_low, d.ci_low.unwrap()) && close(dw.ci_high, d.ci_high.unwrap()), "{d:?}\n{dw:?}");
    }

    #[test]
    fn integer_weights_equal_repeated_rows_for_mean_and_median() {
        let cases: [(&[f64], &[f64]); 4] = [
            (&[3.0, 1.0, 8.0, 5.0], &[2.0, 3.0, 1.0, 4.0]),
            (&[1.0, 2.0], &[1.0, 1.0]),
            (&[7.0, 7.0, 2.0, 9.0, 4.0], &[1.0, 5.0, 3.0, 2.0, 1.0]),
            (&[0.5, 9.5, 3.0], &[3.0, 2.0, 1.0]),
        ];
        for (values, weights) in cases {
            let repeated: Vec<f64> =
                values.iter().zip(weights).flat_map(|(&x, &k)| std::iter::repeat_n(x, k as usize)).collect();
            let v = w(values, weights);
            assert!(close(weighted_mean(v), mean(&repeated).unwrap()), "{values:?} {weights:?}");
            let median = quantile_sorted(&sorted(&repeated), 0.5).unwrap();
            assert!(close(weighted_median(v), median), "{values:?} {weights:?}: {:?} vs {median}", weighted_median(v));
        }
    }

    #[test]
    fn equal_fractional_weights_give_the_ordinary_median() {
        // Cumulative sums of 0.1 or 0.3 miss half the total by a rounding
        // step, where an exact comparison would take the lower value.
        for (n, weight) in [(6, 0.1), (10, 0.3), (10, 0.1), (7, 0.3)] {
            let values: Vec<f64> = (1..=n).map(f64::from).collect();
            let weights = vec![weight; values.len()];
            let median = quantile_sorted(&values, 0.5).unwrap();
            assert!(close(weighted_median(w(&values, &weights)), median), "{n} x {weight}: {median}");
        }
        // Unequal fractional weights whose first two sum to half.
        for weights in [[0.2, 0.7, 0.6, 0.3], [0.3, 0.3, 0.2, 0.4]] {
            let v = w(&[1.0, 2.0, 3.0, 4.0], &weights);
            assert!(close(weighted_median(v), 2.5), "{weights:?}: {:?}", weighted_median(v));
        }
    }

    #[test]
    fn extreme_weights_give_the_figures_of_moderate_ones() {
        // Every figure but sum_weight is unchanged when all weights are
        // multiplied by the same factor, also where w^2 would overflow
        // (1e200, 5e307: the largest weight here is 1.5e308) or underflow
        // (1e-200).
        let a: Vec<f64> = (0..14).map(|i| ((i * 7) % 5) as f64).collect();
        let b: Vec<f64> = (0..12).map(|i| ((i * 3) % 4) as f64 + 0.5).collect();
        let pattern = |n: usize| (0..n).map(|i| (1 + i % 3) as f64).collect::<Vec<f64>>();
        let (pa, pb) = (pattern(a.len()), pattern(b.len()));
        let boot = Bootstrap { resamples: 300, ..Bootstrap::default() };
        let normal = Bootstrap { max_n: 5, ..boot };
        for boot in [boot, normal] {
            let base = summarize_weighted(w(&a, &pa), &boot);
            let base_diff = difference_weighted(w(&a, &pa), w(&b, &pb), &boot);
            assert!(base.sd.is_some() && base.ci_low.is_some() && base_diff.hedges_g.is_some(), "{base_diff:?}");
            for scale in [1e200, 5e307, 1e-200] {
                let (sa, sb): (Vec<f64>, Vec<f64>) =
                    (pa.iter().map(|x| x * scale).collect(), pb.iter().map(|x| x * scale).collect());
                let s = summarize_weighted(w(&a, &sa), &boot);
                for (x, y) in [
                    (base.mean, s.mean),
                    (base.sd, s.sd),
                    (base.median, s.median),
                    (base.n_eff, s.n_eff),
                    (base.ci_low, s.ci_low),
                    (base.ci_high, s.ci_high),
                ] {
                    assert!(close(y, x.unwrap()), "weights x {scale:e}:\n{base:?}\n{s:?}");
                }
                assert_eq!(s.ci_method, base.ci_method);
                let d = difference_weighted(w(&a, &sa), w(&b, &sb), &boot);
                for (x, y) in [
                    (base_diff.diff, d.diff),
                    (base_diff.hedges_g, d.hedges_g),
                    (base_diff.n_eff_a, d.n_eff_a),
                    (base_diff.n_eff_b, d.n_eff_b),
                    (base_diff.ci_low, d.ci_low),
                    (base_diff.ci_high, d.ci_high),
                ] {
                    assert!(close(y, x.unwrap()), "weights x {scale:e}:\n{base_diff:?}\n{d:?}");
                }
            }
        }
        // sum_weight is the plain sum, not rescaled.
        let s = summarize_weighted(w(&[1.0, 2.0], &[1e-200, 3e-200]), &Bootstrap::default());
        assert!((s.sum_weight / 4e-200 - 1.0).abs() < 1e-12, "{s:?}");
    }

    #[test]
    fn no_interval_when_the_weights_leave_few_effective_rows() {
        // Twelve rows, one of them weighing a million: n_eff is about 1,
        // and a normal or bootstrap interval would be about as narrow as
        // for one value.
        let values: Vec<f64> = (0..12).map(f64::from).collect();
        let mut weights = vec![1.0; 12];
        weights[3] = 1e6;
        let skewed = w(&values, &weights);
        let even = w(&values, &[1.0; 12]);
        for boot in [Bootstrap::default(), Bootstrap { max_n: 5, ..Bootstrap::default() }] {
            let s = summarize_weighted(skewed, &boot);
            assert!(s.n_eff.unwrap() < 1.001 && s.n == 12, "{s:?}");
            assert_eq!((s.ci_low, s.ci_high, s.ci_method), (None, None, CiMethod::None), "{s:?}");
            assert_ne!(summarize_weighted(even, &boot).ci_method, CiMethod::None);
            for (a, b) in [(skewed, even), (even, skewed)] {
                let d = difference_weighted(a, b, &boot);
                assert_eq!((d.ci_low, d.ci_high, d.ci_method), (None, None, CiMethod::None), "{d:?}");
            }
            assert_ne!(difference_weighted(even, even, &boot).ci_method, CiMethod::None);
        }
    }

    #[test]
    fn weighted_bootstrap_covers_the_pooled_mean_and_is_reproducible() {
        let values: Vec<f64> = (0..200).map(|i| ((i * 37) % 101) as f64).collect();
        let weights: Vec<f64> = (0..200).map(|i| (1 + (i * 13) % 9) as f64).collect();
        let boot = Bootstrap::default();
        let s = summarize_weighted(w(&values, &weights), &boot);
        let (lo, hi, m) = (s.ci_low.unwrap(), s.ci_high.unwrap(), s.mean.unwrap());
        assert_eq!(s.ci_method, CiMethod::Bootstrap);
        assert!(lo < m && m < hi, "{lo} {m} {hi}");
        // Near the delta-method interval.
        let half = 1.959963985 * weighted_mean_variance(w(&values, &weights)).sqrt();
        assert!(((hi - lo) / (2.0 * half) - 1.0).abs() < 0.15, "{lo} {hi} {half}");
        assert_eq!(summarize_weighted(w(&values, &weights), &boot), s);
        assert_ne!(summarize_weighted(w(&values, &weights), &Bootstrap { seed: 7, ..boot }).ci_low, s.ci_low);
    }
}
