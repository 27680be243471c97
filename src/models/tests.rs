//! Tests for the classifiers, on small synthetic data with planted signals.

use linfa::traits::{Fit, Predict};
use linfa::{DatasetBase, ParamGuard};
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

const ALL: [Algorithm; 4] = [Algorithm::Logistic, Algorithm::NaiveBayes, Algorithm::LinearSvm, Algorithm::Tree];

/// L2-normalise and append a row.
fn push_normalised(m: &mut CsrMatrix, mut e: Vec<(u32, f32)>) {
    e.sort_by_key(|x| x.0);
    e.dedup_by_key(|x| x.0);
    let norm = e.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        e.iter_mut().for_each(|x| x.1 /= norm);
    }
    m.push_row(e);
}

/// Binary data: the "signal" class is labelled 1 and is `signal_frac` of the rows.
/// Class 1 rows usually carry features 0..3, class 0 rows features 3..6; 10 noise
/// features in 6..d. `strength` in (0, 1] is the chance of each signal feature.
fn binary(n: usize, d: usize, signal_frac: f64, strength: f64, seed: u64) -> (CsrMatrix, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut m = CsrMatrix::new(d);
    let mut y = Vec::new();
    for _ in 0..n {
        let c = usize::from(rng.gen_bool(signal_frac));
        let mut e: Vec<(u32, f32)> = (0..10).map(|_| (rng.gen_range(6..d as u32), rng.gen_range(1.0..3.0))).collect();
        let base = if c == 1 { 0 } else { 3 };
        for f in base..base + 3 {
            if rng.gen_bool(strength) {
                e.push((f, 2.0));
            }
        }
        let other = if c == 1 { 3 } else { 0 };
        if rng.gen_bool(0.1) {
            e.push((other, 1.0));
        }
        push_normalised(&mut m, e);
        y.push(c);
    }
    (m, y)
}

/// Three classes, class c carries features 3c..3c+3.
fn three(n: usize, d: usize, seed: u64) -> (CsrMatrix, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut m = CsrMatrix::new(d);
    let mut y = Vec::new();
    for i in 0..n {
        let c = i % 3;
        let mut e: Vec<(u32, f32)> = (0..10).map(|_| (rng.gen_range(9..d as u32), rng.gen_range(1.0..3.0))).collect();
        for f in 3 * c..3 * c + 3 {
            if rng.gen_bool(0.7) {
                e.push((f as u32, 2.0));
            }
        }
        push_normalised(&mut m, e);
        y.push(c);
    }
    (m, y)
}

fn accuracy(p: &[usize], y: &[usize]) -> f64 {
    p.iter().zip(y).filter(|(a, b)| a == b).count() as f64 / y.len() as f64
}

fn recall(p: &[usize], y: &[usize], class: usize) -> f64 {
    let pos = y.iter().filter(|&&c| c == class).count() as f64;
    p.iter().zip(y).filter(|(a, b)| **a == class && **b == class).count() as f64 / pos
}

fn assert_proba_ok(p: &Array2<f64>, k: usize, what: &str) {
    assert_eq!(p.ncols(), k, "{what}");
    for row in p.outer_iter() {
        assert!(row.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)), "{what}: {row:?}");
        let s: f64 = row.sum();
        assert!((s - 1.0).abs() <= 1e-9, "{what}: row sums to {s}");
    }
}

/// The settings these tests vary, for any algorithm.
#[derive(Clone)]
struct Hyper {
    c: f64,
    max_iter: usize,
    class_weight: ClassWeight,
    max_depth: usize,
}

impl Default for Hyper {
    fn default() -> Self {
        Hyper { c: 1.0, max_iter: 1000, class_weight: ClassWeight::None, max_depth: 10 }
    }
}

/// Checked parameters of `algo` with the settings of `h`.
fn params(algo: Algorithm, h: &Hyper) -> Params {
    let cw = h.class_weight;
    match algo {
        Algorithm::Logistic => {
            Params::Logistic(LogisticParams::new().c(h.c).max_iter(h.max_iter).class_weight(cw).check().unwrap())
        }
        Algorithm::LinearSvm => {
            Params::LinearSvm(SvmParams::new().c(h.c).max_iter(h.max_iter).class_weight(cw).check().unwrap())
        }
        Algorithm::NaiveBayes => Params::NaiveBayes(NaiveBayesParams::new().class_weight(cw).check().unwrap()),
        Algorithm::Tree => Params::Tree(TreeParams::new().max_depth(h.max_depth).class_weight(cw).check().unwrap()),
    }
}

fn fit(algo: Algorithm, h: &Hyper, x: &CsrMatrix, y: &[usize], k: usize) -> (Estimator, FitReport) {
    Estimator::fit(&params(algo, h), x, y, k).unwrap()
}

#[test]
fn every_algorithm_beats_chance_and_gives_valid_probabilities() {
    let (x, y) = binary(500, 50, 0.5, 0.6, 1);
    let train: Vec<usize> = (0..300).collect();
    let test: Vec<usize> = (300..500).collect();
    let (xtr, xte) = (x.select_rows(&train), x.select_rows(&test));
    let (ytr, yte): (Vec<usize>, Vec<usize>) =
        (train.iter().map(|&i| y[i]).collect(), test.iter().map(|&i| y[i]).collect());
    for algo in ALL {
        let (m, rep) = fit(algo, &Hyper::default(), &xtr, &ytr, 2);
        assert!(rep.converged, "{algo:?}: {rep:?}");
        assert!(m.validate().is_ok(), "{algo:?}");
        assert_eq!((m.n_features(), m.n_classes(), m.algorithm()), (50, 2, algo));
        let acc = accuracy(&m.predict(&xte), &yte);
        assert!(acc > 0.8, "{algo:?} accuracy {acc}");
        assert_proba_ok(&m.predict_proba(&xte), 2, &format!("{algo:?}"));
    }
}

#[test]
fn naive_bayes_survives_a_very_long_document() {
    let (x, y) = binary(200, 50, 0.5, 0.6, 2);
    let (m, _) = fit(Algorithm::NaiveBayes, &Hyper::default(), &x, &y, 2);
    let mut long = CsrMatrix::new(50);
    long.push_row((0..50).map(|f| (f, 1e7 + f as f32 * 1e5)).collect());
    long.push_row(vec![(0, 5e6), (7, 3e7)]);
    long.push_row(vec![(1, -4.0), (2, 1e30)]); // negative value is clamped, 1e30 is huge
    long.push_row(vec![]);
    let p = m.predict_proba(&long);
    assert_proba_ok(&p, 2, "long document");
    // The huge class-1 evidence wins outright.
    assert!(p[[1, 1]] > 0.99 && p[[2, 1]] > 0.99, "{p:?}");
}

#[test]
fn probability_column_one_follows_the_class_one_signal() {
    // Class 1 is the signal class; it is the minority (index 1 minority) and then
    // the majority (index 0 minority). linfa-logistic 0.8.1 gets one of these wrong.
    for frac in [0.2, 0.8] {
        let (x, y) = binary(400, 50, frac, 0.7, 3);
        let mut probe = CsrMatrix::new(50);
        for v in [0.0f32, 0.25, 0.5, 0.75, 1.0] {
            probe.push_row(vec![(0, v), (1, v), (3, 1.0 - v), (4, 1.0 - v), (10, 0.5)]);
        }
        for algo in ALL {
            let (m, _) = fit(algo, &Hyper::default(), &x, &y, 2);
            let p = m.predict_proba(&probe);
            let col: Vec<f64> = p.column(1).to_vec();
            if algo == Algorithm::Tree {
                assert!(col[4] > col[0] && col.windows(2).all(|w| w[1] >= w[0]), "{algo:?} frac {frac}: {col:?}");
            } else {
                assert!(col.windows(2).all(|w| w[1] > w[0]), "{algo:?} frac {frac}: {col:?}");
            }
            assert!(col[4] > 0.5, "{algo:?} frac {frac}: strong signal gives class 1: {col:?}");
        }
    }
}

#[test]
fn multinomial_with_three_classes() {
    let (x, y) = three(450, 60, 4);
    let train: Vec<usize> = (0..300).collect();
    let test: Vec<usize> = (300..450).collect();
    let (xtr, xte) = (x.select_rows(&train), x.select_rows(&test));
    let ytr: Vec<usize> = train.iter().map(|&i| y[i]).collect();
    let yte: Vec<usize> = test.iter().map(|&i| y[i]).collect();
    for algo in ALL {
        let (m, rep) = fit(algo, &Hyper::default(), &xtr, &ytr, 3);
        assert!(rep.converged, "{algo:?}: {rep:?}");
        let acc = accuracy(&m.predict(&xte), &yte);
        assert!(acc > 0.75, "{algo:?} accuracy {acc}");
        assert_proba_ok(&m.predict_proba(&xte), 3, &format!("{algo:?}"));
        if algo != Algorithm::Tree {
            assert_eq!(m.class_weights().unwrap().dim(), (3, 60));
        }
    }
}

#[test]
fn balanced_class_weight_raises_minority_recall() {
    let (x, y) = binary(1000, 50, 0.1, 0.35, 5);
    let none = Hyper::default();
    let bal = Hyper { class_weight: ClassWeight::Balanced, ..Hyper::default() };
    for algo in ALL {
        let (m0, _) = fit(algo, &none, &x, &y, 2);
        let (m1, _) = fit(algo, &bal, &x, &y, 2);
        let (r0, r1) = (recall(&m0.predict(&x), &y, 1), recall(&m1.predict(&x), &y, 1));
        if algo == Algorithm::Tree {
            assert!(r1 >= r0, "{algo:?}: recall {r0} -> {r1}");
        } else {
            assert!(r1 > r0 + 0.05, "{algo:?}: recall {r0} -> {r1}");
        }
    }
}

#[test]
fn hitting_max_iter_is_reported() {
    let (x, y) = three(300, 60, 6);
    let h = Hyper { max_iter: 2, ..Hyper::default() };
    let (_, rep) = fit(Algorithm::Logistic, &h, &x, &y, 3);
    assert!(!rep.converged, "{rep:?}");
    assert_eq!(rep.iterations, 2);
    assert!(rep.warnings.iter().any(|w| w.contains("max_iter = 2")), "{rep:?}");
    let h = Hyper { max_iter: 1, ..Hyper::default() };
    let (_, rep) = fit(Algorithm::LinearSvm, &h, &x, &y, 3);
    assert!(!rep.converged && rep.warnings.iter().any(|w| w.contains("max_iter = 1")), "{rep:?}");
}

#[test]
fn json_round_trip_gives_bit_identical_probabilities() {
    let (x, y) = binary(200, 50, 0.4, 0.6, 7);
    let (x3, y3) = three(210, 60, 8);
    for algo in ALL {
        for (x, y, k) in [(&x, &y, 2), (&x3, &y3, 3)] {
            let (m, _) = fit(algo, &Hyper::default(), x, y, k);
            let json = serde_json::to_string(&m).unwrap();
            assert!(
                json.contains(&format!("\"algorithm\":\"{}\"", serde_json::to_value(algo).unwrap().as_str().unwrap()))
            );
            let back: Estimator = serde_json::from_str(&json).unwrap();
            assert_eq!(back, m, "{algo:?}");
            back.validate().unwrap();
            let (p0, p1) = (m.predict_proba(x), back.predict_proba(x));
            assert!(p0.iter().zip(p1.iter()).all(|(a, b)| a.to_bits() == b.to_bits()), "{algo:?}");
        }
    }
}

#[test]
fn validate_rejects_damaged_models() {
    let (x, y) = binary(200, 50, 0.5, 0.6, 9);
    let fitted: Vec<Estimator> = ALL.iter().map(|&a| fit(a, &Hyper::default(), &x, &y, 2).0).collect();
    for m in &fitted {
        m.validate().unwrap();
    }
    let mut bad = Vec::new();
    for m in &fitted {
        match m.clone() {
            Estimator::Logistic(l) => {
                let mut t = l.clone();
                t.coef.pop();
                bad.push(Estimator::Logistic(t));
                let mut t = l.clone();
                t.intercept[0] = f64::NAN;
                bad.push(Estimator::Logistic(t));
                let mut t = l;
                t.n_classes = 1;
                bad.push(Estimator::Logistic(t));
            }
            Estimator::NaiveBayes(nb) => {
                let mut t = nb.clone();
                t.feature_log_prob.truncate(10);
                bad.push(Estimator::NaiveBayes(t));
                let mut t = nb;
                t.class_log_prior[1] = f64::INFINITY;
                bad.push(Estimator::NaiveBayes(t));
            }
            Estimator::LinearSvm(s) => {
                let mut t = s.clone();
                t.coef.truncate(49);
                bad.push(Estimator::LinearSvm(t));
                let mut t = s.clone();
                t.coef[3] = f64::NAN;
                bad.push(Estimator::LinearSvm(t));
                let mut t = s;
                t.platt_a.clear();
                bad.push(Estimator::LinearSvm(t));
            }
            Estimator::OneVsRest(_) => unreachable!("fitted above as single models"),
            Estimator::Tree(tr) => {
                assert!(tr.nodes.len() > 1, "tree should split");
                let mut t = tr.clone();
                t.nodes[0].children = Some([0, 1]); // cycle
                bad.push(Estimator::Tree(t));
                let mut t = tr.clone();
                t.nodes[0].children = Some([1, 9999]);
                bad.push(Estimator::Tree(t));
                let mut t = tr.clone();
                t.nodes[0].feature = 50;
                bad.push(Estimator::Tree(t));
                let mut t = tr.clone();
                t.nodes[1].distribution[0] = f64::NAN;
                bad.push(Estimator::Tree(t));
                let mut t = tr;
                t.nodes.clear();
                bad.push(Estimator::Tree(t));
            }
        }
    }
    for m in bad {
        assert!(m.validate().is_err(), "accepted damaged {:?}", m.algorithm());
    }
    // A truncated file fails at parse time already.
    let json = serde_json::to_string(&fitted[0]).unwrap();
    assert!(serde_json::from_str::<Estimator>(&json[..json.len() / 2]).is_err());
}

#[test]
fn same_data_and_seed_give_identical_json() {
    let (x, y) = binary(300, 50, 0.3, 0.6, 10);
    let (x3, y3) = three(300, 60, 11);
    let h = Hyper { class_weight: ClassWeight::Balanced, ..Hyper::default() };
    // The tree is left out: linfa-trees breaks ties in HashMap order (see tree.rs).
    for algo in [Algorithm::Logistic, Algorithm::NaiveBayes, Algorithm::LinearSvm] {
        for (x, y, k) in [(&x, &y, 2), (&x3, &y3, 3)] {
            let a = serde_json::to_string(&fit(algo, &h, x, y, k).0).unwrap();
            let b = serde_json::to_string(&fit(algo, &h, x, y, k).0).unwrap();
            assert_eq!(a, b, "{algo:?} k={k}");
        }
    }
}

#[test]
fn contributions_plus_intercept_equal_the_class_score() {
    let (x, y) = binary(200, 50, 0.5, 0.6, 12);
    let (x3, y3) = three(210, 60, 13);
    for algo in ALL {
        for (x, y, k) in [(&x, &y, 2), (&x3, &y3, 3)] {
            let (m, _) = fit(algo, &Hyper::default(), x, y, k);
            let scores = m.decision_scores(x);
            for row in [0, 5, 17, 100] {
                for c in 0..k {
                    let contrib = m.contributions(x, row, c);
                    assert!(contrib.windows(2).all(|w| w[0].1.abs() >= w[1].1.abs()), "{algo:?} sorted");
                    let total = m.intercept(c) + contrib.iter().map(|e| e.1).sum::<f64>();
                    assert!(
                        (total - scores[[row, c]]).abs() < 1e-9,
                        "{algo:?} row {row} class {c}: {total} vs {}",
                        scores[[row, c]]
                    );
                }
            }
            if let Some(w) = m.class_weights() {
                // row c . x + intercept(c) = score
                let dense = x.to_dense();
                for c in 0..k {
                    let s = dense.row(3).dot(&w.row(c)) + m.intercept(c);
                    assert!((s - scores[[3, c]]).abs() < 1e-9, "{algo:?}");
                }
            }
        }
    }
    // Binary logistic: P(c) = sigmoid(score_c).
    let (m, _) = fit(Algorithm::Logistic, &Hyper::default(), &x, &y, 2);
    let (p, s) = (m.predict_proba(&x), m.decision_scores(&x));
    for c in 0..2 {
        assert!((p[[0, c]] - sigmoid(s[[0, c]])).abs() < 1e-12);
    }
}

#[test]
fn linfa_traits_agree_with_the_estimator() {
    let (x, y) = three(150, 60, 14);
    let ds = DatasetBase::new(x.clone(), Array1::from(y.clone()));
    let model = LogisticParams::new().fit(&ds).unwrap();
    let pred: Array1<usize> = model.predict(&ds);
    let (est, _) = fit(Algorithm::Logistic, &Hyper::default(), &x, &y, 3);
    assert_eq!(pred.to_vec(), est.predict(&x));
    let nb = NaiveBayesParams::new().fit(&ds).unwrap();
    assert_eq!(nb.predict(&ds).len(), 150);
    let svm = SvmParams::new().fit(&ds).unwrap();
    assert!(accuracy(&svm.predict(&ds).to_vec(), &y) > 0.8);
    let tree = TreeParams::new().fit(&ds).unwrap();
    assert!(accuracy(&tree.predict(&ds).to_vec(), &y) > 0.8);
}

#[test]
fn bad_inputs_are_errors() {
    let (x, y) = binary(50, 50, 0.5, 0.6, 15);
    assert!(Estimator::fit(&params(Algorithm::Logistic, &Hyper::default()), &x, &y[..49], 2).is_err());
    let mut y3 = y.clone();
    y3[0] = 5;
    assert!(Estimator::fit(&params(Algorithm::NaiveBayes, &Hyper::default()), &x, &y3, 2).is_err());
    assert!(SvmParams::new().c(0.0).check().is_err());
    assert!(LogisticParams::new().tol(f64::NAN).check().is_err());
    assert!(NaiveBayesParams::new().alpha(0.0).check().is_err());
    let wide = CsrMatrix { n_cols: tree::MAX_TREE_FEATURES + 1, ..x.clone() };
    let err = Estimator::fit(&params(Algorithm::Tree, &Hyper::default()), &wide, &y, 2).unwrap_err();
    assert!(err.full_message().contains("at most 2000"), "{}", err.full_message());
    // Narrow models ignore columns past n_features at prediction time.
    let (m, _) = fit(Algorithm::Logistic, &Hyper::default(), &x, &y, 2);
    let mut extra = CsrMatrix::new(60);
    extra.push_row(vec![(1, 0.5), (55, 0.5)]);
    assert_proba_ok(&m.predict_proba(&extra), 2, "extra columns");
}

#[test]
fn predict_breaks_ties_to_the_lowest_class() {
    let p = ndarray::array![[0.5, 0.5], [0.2, 0.8], [1.0 / 3.0, 1.0 / 3.0]];
    assert_eq!(argmax_rows(&p), vec![0, 1, 0]);
}

/// Release-mode timing: `cargo test --release --lib models::tests::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_large_sparse() {
    let (n, d, nnz) = (15_000, 20_000, 50);
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let mut x = CsrMatrix::new(d);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let c = usize::from(rng.gen_bool(0.3));
        let mut e: Vec<(u32, f32)> =
            (0..nnz).map(|_| (rng.gen_range(0..d as u32), rng.gen_range(1.0..4.0f32))).collect();
        // Planted signal: 100 features lean to class 1, 100 to class 0.
        for _ in 0..5 {
            let f = if c == 1 { rng.gen_range(0..100) } else { rng.gen_range(100..200) };
            e.push((f, 2.0));
        }
        push_normalised(&mut x, e);
        y.push(c);
    }
    // 4 classes: the signal class, and the rest split three ways.
    let y4: Vec<usize> = y.iter().enumerate().map(|(i, &c)| if c == 1 { 0 } else { 1 + i % 3 }).collect();
    for (name, algo, labels) in [
        ("logistic binary", Algorithm::Logistic, &y),
        ("logistic 4-class", Algorithm::Logistic, &y4),
        ("naive bayes", Algorithm::NaiveBayes, &y),
        ("linear svm binary", Algorithm::LinearSvm, &y),
        ("linear svm 4-class", Algorithm::LinearSvm, &y4),
    ] {
        let k = labels.iter().copied().max().unwrap() + 1;
        let t = std::time::Instant::now();
        let (m, rep) = Estimator::fit(&params(algo, &Hyper::default()), &x, labels, k).unwrap();
        let fit_s = t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let acc = accuracy(&m.predict(&x), labels);
        println!(
            "{name}: {n}x{d}, {nnz} nnz/row, k={k}: fit {fit_s:.2} s, predict {:.3} s, iterations {}, converged {}, train acc {acc:.3}, warnings {:?}",
            t.elapsed().as_secs_f64(),
            rep.iterations,
            rep.converged,
            rep.warnings
        );
    }
}

/// Release-mode timing of the tree at its width limit:
/// `cargo test --release --lib models::tests::timing_tree -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_tree_at_width_limit() {
    let (n, d) = (15_000, tree::MAX_TREE_FEATURES);
    let mut rng = ChaCha8Rng::seed_from_u64(98);
    let mut x = CsrMatrix::new(d);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let c = usize::from(rng.gen_bool(0.3));
        let mut e: Vec<(u32, f32)> =
            (0..50).map(|_| (rng.gen_range(0..d as u32), rng.gen_range(1.0..4.0f32))).collect();
        for _ in 0..5 {
            let f = if c == 1 { rng.gen_range(0..100) } else { rng.gen_range(100..200) };
            e.push((f, 2.0));
        }
        push_normalised(&mut x, e);
        y.push(c);
    }
    for depth in [5, 10] {
        let h = Hyper { max_depth: depth, ..Hyper::default() };
        let t = std::time::Instant::now();
        let (m, _) = Estimator::fit(&params(Algorithm::Tree, &h), &x, &y, 2).unwrap();
        let Estimator::Tree(tm) = &m else { unreachable!() };
        println!(
            "tree {n}x{d}, max_depth {depth}: fit {:.2} s, {} nodes, train acc {:.3}",
            t.elapsed().as_secs_f64(),
            tm.nodes.len(),
            accuracy(&m.predict(&x), &y)
        );
    }
}

#[test]
fn one_vs_rest_columns_are_each_labels_binary_model() {
    let (x, y) = binary(120, 30, 0.5, 0.6, 3);
    let a = fit(Algorithm::Logistic, &Hyper::default(), &x, &y, 2).0;
    let flipped: Vec<usize> = y.iter().map(|&c| 1 - c).collect();
    let b = fit(Algorithm::Logistic, &Hyper::default(), &x, &flipped, 2).0;
    let ovr = Estimator::OneVsRest(crate::models::OneVsRestModel::new(vec![a.clone(), b.clone()]).unwrap());
    ovr.validate().unwrap();
    assert_eq!(ovr.n_classes(), 2);
    let p = ovr.predict_proba(&x);
    let (pa, pb) = (a.predict_proba(&x), b.predict_proba(&x));
    for r in 0..x.n_rows() {
        assert_eq!(p[[r, 0]], pa[[r, 1]]);
        assert_eq!(p[[r, 1]], pb[[r, 1]]);
    }
    // Contributions and intercept add up to each label's score.
    let s = ovr.decision_scores(&x);
    let total: f64 = ovr.intercept(1) + ovr.contributions(&x, 0, 1).iter().map(|(_, v)| v).sum::<f64>();
    assert!((total - s[[0, 1]]).abs() < 1e-9);
    // Serialised and read back, it predicts the same.
    let back: Estimator = serde_json::from_str(&serde_json::to_string(&ovr).unwrap()).unwrap();
    assert_eq!(back.predict_proba(&x), p);
    // A label model with another number of features is refused.
    let (x2, y2) = binary(120, 31, 0.5, 0.6, 3);
    let c = fit(Algorithm::Logistic, &Hyper::default(), &x2, &y2, 2).0;
    if c.n_features() != a.n_features() {
        assert!(crate::models::OneVsRestModel::new(vec![a, c]).is_err());
    }
}
