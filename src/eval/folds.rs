//! Seeded cross-validation folds over row indices.
//!
//! Use these instead of linfa's `Dataset::fold`, which neither shuffles nor stratifies and
//! never validates the remainder rows. Both functions return `k` test-index lists that
//! partition `0..n`, indices sorted within each fold; training rows are the complement.
//! Results are deterministic for a seed (ChaCha8 from rand_chacha 0.3, stable across platforms; another rand_chacha major version may shuffle differently).

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Stratified k-fold, like sklearn `StratifiedKFold(shuffle=True)`.
///
/// Each class's indices are shuffled, then the classes are laid out one after another
/// (in ascending class order) and position p of that sequence goes to fold `p % k`. So each
/// class is spread over the folds with counts differing by at most one, and the fold sizes
/// differ by at most one (sklearn's allocation scheme). Classes with fewer than `k` members
/// are allowed; they simply do not appear in every fold.
///
/// Errors if `k < 2` or `k > y.len()`.
pub fn stratified_kfold(y: &[usize], k: usize, seed: u64) -> Result<Vec<Vec<usize>>, String> {
    let n = y.len();
    check_k(k, n)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut by_class: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &c) in y.iter().enumerate() {
        by_class.entry(c).or_default().push(i);
    }
    let mut folds = vec![Vec::new(); k];
    let mut pos = 0usize;
    for idx in by_class.values_mut() {
        idx.shuffle(&mut rng);
        for &i in idx.iter() {
            folds[pos % k].push(i);
            pos += 1;
        }
    }
    for f in &mut folds {
        f.sort_unstable();
    }
    Ok(folds)
}

/// Grouped k-fold: all rows of a group land in the same fold, in the spirit of sklearn
/// `StratifiedGroupKFold`.
///
/// Groups are taken largest first (ties in size broken by a seeded shuffle) and each is
/// assigned greedily:
/// 1. while some fold is empty, to an empty fold (so every fold gets at least one group);
/// 2. otherwise to a fold whose current size is within a small tolerance
///    (`n / (10 k)`, rounded down) of the smallest fold, choosing among those the one that
///    best balances the label distribution (smallest mean over classes of the standard
///    deviation across folds of the fraction of that class's rows held by each fold),
///    then the smallest fold, then the lowest fold number.
///
/// Fold sizes therefore differ by at most the largest group size plus the tolerance.
///
/// Errors if `k < 2`, the lengths differ, or there are fewer distinct groups than `k`.
pub fn group_kfold(groups: &[String], y: &[usize], k: usize, seed: u64) -> Result<Vec<Vec<usize>>, String> {
    let n = y.len();
    if groups.len() != n {
        return Err(format!("group_kfold: {} groups for {} labels", groups.len(), n));
    }
    if k < 2 {
        return Err(format!("cross-validation needs at least 2 folds, got {k}"));
    }
    let mut by_group: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in groups.iter().enumerate() {
        by_group.entry(g.as_str()).or_default().push(i);
    }
    if by_group.len() < k {
        return Err(format!(
            "cannot make {k} grouped folds: only {} distinct group{} exist",
            by_group.len(),
            if by_group.len() == 1 { "" } else { "s" }
        ));
    }

    // Dense class ids for the label-balance score.
    let mut class_ids: BTreeMap<usize, usize> = BTreeMap::new();
    for &c in y {
        let next = class_ids.len();
        class_ids.entry(c).or_insert(next);
    }
    let n_classes = class_ids.len();
    let mut class_totals = vec![0usize; n_classes];
    for &c in y {
        class_totals[class_ids[&c]] += 1;
    }

    let mut order: Vec<Vec<usize>> = by_group.into_values().collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    order.shuffle(&mut rng);
    order.sort_by_key(|g| std::cmp::Reverse(g.len())); // stable: shuffled order breaks ties

    let tol = n / (10 * k);
    let mut folds: Vec<Vec<usize>> = vec![Vec::new(); k];
    let mut counts = vec![vec![0usize; n_classes]; k]; // counts[fold][class]
    for members in order {
        let mut gcounts = vec![0usize; n_classes];
        for &i in &members {
            gcounts[class_ids[&y[i]]] += 1;
        }
        let target = if let Some(empty) = folds.iter().position(Vec::is_empty) {
            empty
        } else {
            let min_size = folds.iter().map(Vec::len).min().unwrap_or(0);
            (0..k)
                .filter(|&f| folds[f].len() <= min_size + tol)
                .map(|f| (f, label_imbalance(&counts, &gcounts, f, &class_totals)))
                .min_by(|a, b| a.1.total_cmp(&b.1).then(folds[a.0].len().cmp(&folds[b.0].len())).then(a.0.cmp(&b.0)))
                .map(|(f, _)| f)
                .unwrap_or(0)
        };
        for (c, g) in counts[target].iter_mut().zip(&gcounts) {
            *c += g;
        }
        folds[target].extend(members);
    }
    for f in &mut folds {
        f.sort_unstable();
    }
    Ok(folds)
}

/// Mean over classes of the (population) standard deviation across folds of the share of
/// the class's rows in each fold, if the group with class counts `add` joined fold `target`.
fn label_imbalance(counts: &[Vec<usize>], add: &[usize], target: usize, totals: &[usize]) -> f64 {
    let k = counts.len() as f64;
    let mut sum = 0.0;
    for (c, &total) in totals.iter().enumerate() {
        if total == 0 {
            continue;
        }
        let share = |f: usize| (counts[f][c] + if f == target { add[c] } else { 0 }) as f64 / total as f64;
        let mean = (0..counts.len()).map(share).sum::<f64>() / k;
        let var = (0..counts.len()).map(|f| (share(f) - mean).powi(2)).sum::<f64>() / k;
        sum += var.sqrt();
    }
    sum / totals.len().max(1) as f64
}

fn check_k(k: usize, n: usize) -> Result<(), String> {
    if k < 2 {
        return Err(format!("cross-validation needs at least 2 folds, got {k}"));
    }
    if k > n {
        return Err(format!("cannot make {k} folds from {n} samples"));
    }
    Ok(())
}

/// The publisher a URL belongs to, for grouping folds by publisher when a
/// corpus has URLs but no outlet column: the registrable domain of its host
/// under the Public Suffix List (the `psl` crate, which compiles the list in
/// and is updated with it), e.g. `https://www.bbc.co.uk/news/x` -> `bbc.co.uk`,
/// `http://edition.cnn.com/2016/a.html` -> `cnn.com`. Host extraction is a
/// few lines by hand (scheme, user, port, path cut off) rather than a URL
/// crate: only the host is needed, and messy corpus URLs (no scheme,
/// spaces) should still give one. `None` when the value has no host with a
/// dot (empty, a plain name).
pub fn registrable_domain(url: &str) -> Option<String> {
    let s = url.trim();
    let rest = match s.find("://") {
        Some(i) => &s[i + 3..],
        None => s.strip_prefix("//").unwrap_or(s),
    };
    let authority = rest.split(['/', '?', '#', ' ']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if host_port.starts_with('[') {
        return None; // an IPv6 literal: no publisher name
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if !host.contains('.') || host.starts_with('.') {
        return None;
    }
    let domain = psl::domain_str(&host).map(str::to_string).unwrap_or(host);
    Some(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrable_domains_of_news_urls() {
        let d = |u: &str| registrable_domain(u);
        assert_eq!(d("https://www.bbc.co.uk/news/world-1").as_deref(), Some("bbc.co.uk"));
        assert_eq!(d("http://edition.cnn.com/2016/a.html?x=1").as_deref(), Some("cnn.com"));
        assert_eq!(d("HTTPS://User@News.Example.COM.:8080/a").as_deref(), Some("example.com"));
        assert_eq!(d("www.abc.net.au/news").as_deref(), Some("abc.net.au"));
        assert_eq!(d("//foxnews.com").as_deref(), Some("foxnews.com"));
        assert_eq!(d("https://someone.blogspot.com/p").as_deref(), Some("someone.blogspot.com"));
        assert_eq!(d(""), None);
        assert_eq!(d("Fox News"), None);
        assert_eq!(d("http://[::1]:80/"), None);
    }

    /// Every index in 0..n appears in exactly one fold, and folds are sorted.
    #[track_caller]
    fn assert_partition(folds: &[Vec<usize>], n: usize) {
        let mut seen = vec![0usize; n];
        for f in folds {
            assert!(f.windows(2).all(|w| w[0] < w[1]), "fold not sorted: {f:?}");
            for &i in f {
                seen[i] += 1;
            }
        }
        assert!(seen.iter().all(|&c| c == 1), "not a partition: {seen:?}");
    }

    fn labels_103() -> Vec<usize> {
        // 103 rows (not divisible by 5), classes 0/1/2 with 61/30/12 members, interleaved.
        (0..103).map(|i| if i % 9 == 0 || i % 17 == 0 { 2 } else { i % 3 % 2 }).collect()
    }

    #[test]
    fn stratified_partition_and_proportions() {
        let y = labels_103();
        for k in [2, 3, 5, 10] {
            let folds = stratified_kfold(&y, k, 7).unwrap();
            assert_eq!(folds.len(), k);
            assert_partition(&folds, y.len());
            // fold sizes within 1 of each other; every class within ±1 of its fair share n_c / k
            let sizes: Vec<usize> = folds.iter().map(Vec::len).collect();
            assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1, "{sizes:?}");
            for c in 0..3 {
                let total = y.iter().filter(|&&v| v == c).count() as f64;
                for f in &folds {
                    let in_fold = f.iter().filter(|&&i| y[i] == c).count() as f64;
                    assert!((in_fold - total / k as f64).abs() < 1.0, "class {c} k {k}: {in_fold} vs {total}/{k}");
                }
            }
        }
    }

    #[test]
    fn stratified_deterministic_and_seed_dependent() {
        let y = labels_103();
        assert_eq!(stratified_kfold(&y, 5, 42).unwrap(), stratified_kfold(&y, 5, 42).unwrap());
        assert_ne!(stratified_kfold(&y, 5, 42).unwrap(), stratified_kfold(&y, 5, 43).unwrap());
    }

    #[test]
    fn stratified_errors() {
        assert!(stratified_kfold(&[0, 1, 0], 4, 1).unwrap_err().contains("3 samples"));
        assert!(stratified_kfold(&[0, 1, 0], 1, 1).is_err());
        assert!(stratified_kfold(&[], 2, 1).is_err());
        // k == n is fine: leave-one-out
        let folds = stratified_kfold(&[0, 1, 0], 3, 1).unwrap();
        assert!(folds.iter().all(|f| f.len() == 1));
    }

    fn grouped_data() -> (Vec<String>, Vec<usize>) {
        // 23 outlets of sizes 1..=12 (cycled), labels depend on the outlet and the row.
        let mut groups = Vec::new();
        let mut y = Vec::new();
        for g in 0..23 {
            for j in 0..(g % 12 + 1) {
                groups.push(format!("outlet{g}"));
                y.push(usize::from((g + j) % 3 == 0));
            }
        }
        (groups, y)
    }

    #[test]
    fn group_folds_never_split_a_group() {
        let (groups, y) = grouped_data();
        for k in [2, 3, 5] {
            let folds = group_kfold(&groups, &y, k, 3).unwrap();
            assert_eq!(folds.len(), k);
            assert_partition(&folds, y.len());
            assert!(folds.iter().all(|f| !f.is_empty()));
            let mut fold_of: BTreeMap<&str, usize> = BTreeMap::new();
            for (fi, f) in folds.iter().enumerate() {
                for &i in f {
                    let prev = fold_of.insert(groups[i].as_str(), fi);
                    assert!(prev.is_none() || prev == Some(fi), "group {} split", groups[i]);
                }
            }
            // sizes: within largest group (12) + tolerance n/(10k) of each other
            let sizes: Vec<usize> = folds.iter().map(Vec::len).collect();
            let spread = sizes.iter().max().unwrap() - sizes.iter().min().unwrap();
            assert!(spread <= 12 + y.len() / (10 * k), "k {k}: {sizes:?}");
        }
    }

    #[test]
    fn group_folds_deterministic_and_seed_dependent() {
        let (groups, y) = grouped_data();
        assert_eq!(group_kfold(&groups, &y, 4, 9).unwrap(), group_kfold(&groups, &y, 4, 9).unwrap());
        // With many equal-size groups the seed decides which fold each goes to.
        let groups: Vec<String> = (0..60).map(|i| format!("g{}", i / 2)).collect();
        let y: Vec<usize> = (0..60).map(|i| i % 2).collect();
        let a = group_kfold(&groups, &y, 3, 1).unwrap();
        let b = group_kfold(&groups, &y, 3, 2).unwrap();
        assert_partition(&a, 60);
        assert_ne!(a, b);
        // equal groups, so the folds are exactly balanced
        assert!(a.iter().all(|f| f.len() == 20), "{a:?}");
    }

    #[test]
    fn group_folds_balance_labels_among_equal_sizes() {
        // 8 groups of 2 rows: 4 all-positive, 4 all-negative; 2 folds -> each fold gets 2 + 2.
        let groups: Vec<String> = (0..16).map(|i| format!("g{}", i / 2)).collect();
        let y: Vec<usize> = (0..16).map(|i| usize::from(i < 8)).collect();
        for seed in 0..10 {
            let folds = group_kfold(&groups, &y, 2, seed).unwrap();
            for f in &folds {
                assert_eq!(f.len(), 8);
                assert_eq!(f.iter().filter(|&&i| y[i] == 1).count(), 4, "seed {seed}: {folds:?}");
            }
        }
    }

    #[test]
    fn group_errors() {
        let groups: Vec<String> = ["a", "a", "b", "b", "c"].iter().map(|s| s.to_string()).collect();
        let y = [0, 1, 0, 1, 0];
        let err = group_kfold(&groups, &y, 4, 1).unwrap_err();
        assert!(err.contains("only 3 distinct groups"), "{err}");
        assert!(group_kfold(&groups, &y, 1, 1).is_err());
        assert!(group_kfold(&groups, &y[..4], 2, 1).is_err());
        assert!(group_kfold(&groups, &y, 3, 1).is_ok());
    }
}
