//! Group comparison of score columns: per group n, mean, standard
//! deviation, median and a bootstrap interval of the mean, and the
//! difference between two groups with its bootstrap interval and an effect
//! size (Hedges' g). What LIWC's group output and quanteda's `groups=` give,
//! computed here so the numbers come with the rest of slant's outputs.
//!
//! Missing values (empty cells) are left out per column; every figure says
//! how many values it rests on.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

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
    /// small-sample correction 1 - 3 / (4 (n_a + n_b) - 9).
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
    GroupSummary { n: values.len(), mean, sd, median: quantile_sorted(&s, 0.5), ci_low, ci_high, ci_method }
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
    Difference { n_a: a.len(), n_b: b.len(), mean_a, mean_b, diff, ci_low, ci_high, ci_method, hedges_g }
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
}
