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

/// Settings of the percentile bootstrap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bootstrap {
    /// Resamples drawn (with replacement, of the group's size).
    pub resamples: usize,
    /// Coverage of the interval, e.g. 0.95.
    pub level: f64,
    /// Seed of the ChaCha8 generator: the same seed gives the same intervals.
    pub seed: u64,
}

impl Default for Bootstrap {
    fn default() -> Self {
        Bootstrap { resamples: 2000, level: 0.95, seed: 20240601 }
    }
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
    let (ci_low, ci_high) = if values.is_empty() || boot.resamples == 0 {
        (None, None)
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(boot.seed);
        interval((0..boot.resamples).map(|_| resample_mean(values, &mut rng)).collect(), boot.level)
    };
    GroupSummary {
        n: values.len(),
        mean: mean(values),
        sd: sd(values),
        median: quantile_sorted(&s, 0.5),
        ci_low,
        ci_high,
    }
}

/// Group `a` minus group `b`.
pub fn difference(a: &[f64], b: &[f64], boot: &Bootstrap) -> Difference {
    let (mean_a, mean_b) = (mean(a), mean(b));
    let diff = mean_a.zip(mean_b).map(|(x, y)| x - y);
    let (ci_low, ci_high) = if a.is_empty() || b.is_empty() || boot.resamples == 0 {
        (None, None)
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(boot.seed);
        interval(
            (0..boot.resamples).map(|_| resample_mean(a, &mut rng) - resample_mean(b, &mut rng)).collect(),
            boot.level,
        )
    };
    let hedges_g = match (diff, sd(a), sd(b)) {
        (Some(d), Some(sa), Some(sb)) => {
            let (na, nb) = (a.len() as f64, b.len() as f64);
            let pooled = (((na - 1.0) * sa * sa + (nb - 1.0) * sb * sb) / (na + nb - 2.0)).sqrt();
            (pooled > 0.0).then(|| d / pooled * (1.0 - 3.0 / (4.0 * (na + nb) - 9.0)))
        }
        _ => None,
    };
    Difference { n_a: a.len(), n_b: b.len(), mean_a, mean_b, diff, ci_low, ci_high, hedges_g }
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
        assert_eq!((one.mean, one.sd, one.ci_low, one.ci_high), (Some(3.0), None, Some(3.0), Some(3.0)));
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
    fn hedges_g_by_hand() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0];
        let b = [3.0, 4.0, 5.0, 6.0, 7.0];
        let d = difference(&a, &b, &Bootstrap::default());
        assert!(close(d.diff, -2.0));
        // Both SDs sqrt(2.5): d = -2 / sqrt(2.5); J = 1 - 3 / 31.
        assert!(close(d.hedges_g, -2.0 / 2.5f64.sqrt() * (1.0 - 3.0 / 31.0)));
        assert!(d.ci_low.unwrap() < -2.0 && -2.0 < d.ci_high.unwrap());
    }
}
