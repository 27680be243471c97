#!/usr/bin/env python3
"""Prototype of multi-label ideas for the generic `frames` model (issue #13).

Measures, with scikit-learn, ideas that `slant train --multi-label` does not have, against a
baseline built like the shipped card (one-vs-rest logistic regression on stem-unigram tf-idf,
min_df 2, C chosen from 1,3,10,30 on 3 inner folds, per-label thresholds chosen jointly for the
micro-F1 on out-of-fold probabilities of 5 inner folds). Every idea is nested: whatever it
chooses (thresholds; topk's s; perlabelc's per-label C; the shared C) is chosen on inner folds of
each outer training fold only. Fixed, not chosen: every idea except perlabelc uses the C the
baseline's procedure chooses in that outer fold (the stack's second stage and every chain link
reuse it; stackmeta's second stage uses C = 1); the chains' label orders are fixed random
permutations (seeded by --seed), not chosen. Outer folds: 5, grouped by identical text (the card's protocol); the fold
assignment is this script's own (groups shuffled with --seed, dealt round-robin), not slant's,
so the baseline is reproduced on these folds first; --folds-from takes slant's own outer folds
instead (from `slant train ... --cv 5 --seed 42 --predictions FILE`).

Ideas (--ideas, comma-separated):
  base       the card's configuration
  atleast1   base + "at least one label": an article with no label above its threshold gets
             its most probable one
  topk       rank rule: each article gets its k most probable labels, k = round(s * sum of its
             probabilities), s chosen on the inner out-of-fold probabilities (at least 1)
  stack      stacked binary relevance (Godbold & Tsoumakas 2004): a second logistic model per
             label (C = the first stage's) sees the tf-idf features and every label's
             out-of-fold first-stage probability; second-stage thresholds from its own inner
             out-of-fold probabilities
  stackmeta  the same, the second stage (C = 1, fixed) seeing only the 14 first-stage
             probabilities
  chain      ensemble of 5 classifier chains (Read et al. 2011) in fixed random orders (seeded,
             not chosen), each link seeing the earlier labels' out-of-fold probabilities;
             probabilities averaged
  perlabelc  C chosen per label (1,3,10,30) by inner log loss
  char       character 2-5-grams (within word boundaries) instead of stem unigrams
  nb         NB-weighted features (Wang & Manning 2012): each label's tf-idf scaled by the
             log-count ratio of that label

Findings (2026-12-07, slant's folds): scripts/tuning_log.md, "Frames: label co-occurrence and
decision rules; gun_frames calibration". `char` takes about ten minutes per outer fold, so it
is not in the default --ideas.

Usage: python3 scripts/frames_prototype.py [--data ../shared/data] [--ideas base,stack]
       [--seed 42] [--folds-from OOF.csv] [--json /tmp/frames-proto.json]
Prints per-fold and pooled micro-F1 (P, R) per idea (4 decimals) and, for each idea, its gain
over the baseline, the number of outer folds where it beats the baseline and the per-fold
gains. Prints no text of the data.
"""
import argparse
import hashlib
import json
import re
import sys
import time

import numpy as np
import pandas as pd
from nltk.stem.snowball import SnowballStemmer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

C_GRID = [1.0, 3.0, 10.0, 30.0]
STEM = SnowballStemmer("english")
TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+")


def stem_tokens(text):
    """Lower-cased word tokens, numbers as #num, stemmed (Porter2, as rust-stemmers)."""
    return ["#num" if t[0].isdigit() else STEM.stem(t) for t in TOKEN.findall(text.lower())]


def grouped_folds(texts, k, seed):
    """Fold index per row: rows with identical text share a fold."""
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    uniq = sorted(set(keys))
    rng = np.random.RandomState(seed)
    order = rng.permutation(len(uniq))
    fold_of = {uniq[g]: i % k for i, g in enumerate(order)}
    return np.array([fold_of[key] for key in keys])


def micro_f1(Y, P):
    # `~` must be a logical not: on an int 0/1 array it would give -1/-2
    Y, P = np.asarray(Y, dtype=bool), np.asarray(P, dtype=bool)
    tp = float((Y & P).sum())
    fp = float((~Y & P).sum())
    fn = float((Y & ~P).sum())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return f, prec, rec, tp, fp, fn


GRID = np.round(np.arange(0.01, 1.0, 0.01), 2)


def choose_thresholds(Y, prob):
    """Per-label thresholds that jointly maximise micro-F1: best shared threshold, then
    coordinate ascent over labels (as slant's --threshold-metric micro-f1)."""
    L = Y.shape[1]
    best_t, best_f = 0.5, -1
    for t in GRID:
        f = micro_f1(Y, prob >= t)[0]
        if f > best_f:
            best_t, best_f = t, f
    th = np.full(L, best_t)
    for _ in range(3):
        changed = False
        for j in range(L):
            cur = th[j]
            for t in GRID:
                th[j] = t
                f = micro_f1(Y, prob >= th)[0]
                if f > best_f + 1e-12:
                    best_f, cur, changed = f, t, True
            th[j] = cur
        if not changed:
            break
    return th


def fit_lr(X, y, C):
    if y.min() == y.max():
        return ("const", float(y[0]))
    m = LogisticRegression(C=C, max_iter=1000, tol=1e-6, solver="liblinear")
    m.fit(X, y)
    return m


def predict_lr(m, X):
    if isinstance(m, tuple):
        return np.full(X.shape[0], m[1])
    return m.predict_proba(X)[:, 1]


def ovr_probs(Xtr, Ytr, Xte, Cs):
    return np.column_stack([predict_lr(fit_lr(Xtr, Ytr[:, j], Cs[j]), Xte) for j in range(Ytr.shape[1])])


def inner_oof(fn, idx, folds_inner, *args):
    """Out-of-fold outputs of fn(train_idx, test_idx) over inner folds of idx."""
    out = None
    for f in np.unique(folds_inner):
        te = idx[folds_inner == f]
        tr = idx[folds_inner != f]
        p = fn(tr, te, *args)
        if out is None:
            out = np.zeros((len(idx), p.shape[1]))
        out[folds_inner == f] = p
    return out


class Pipeline:
    """Features built on the training rows only (vocabulary, idf, NB ratios)."""

    def __init__(self, texts, Y, kind):
        self.texts, self.Y, self.kind = texts, Y, kind
        # stemming once per article, not once per fit
        self.tokens = None if kind == "char" else [stem_tokens(t) for t in texts]

    def vectorizer(self):
        if self.kind == "char":
            return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                   max_features=20000, sublinear_tf=False)
        return TfidfVectorizer(analyzer=lambda tokens: tokens, min_df=2, max_features=20000)

    def features(self, tr, te):
        docs = self.texts if self.tokens is None else self.tokens
        v = self.vectorizer()
        Xtr = v.fit_transform([docs[i] for i in tr])
        Xte = v.transform([docs[i] for i in te])
        return Xtr, Xte


def choose_c(pipe, idx, seed):
    """C for all labels: best micro-F1 of inner out-of-fold probabilities under thresholds
    chosen on them, 3 inner folds (as the card's --tune)."""
    fin = grouped_folds([pipe.texts[i] for i in idx], 3, seed)
    Y = pipe.Y[idx]
    best = (-1, None)
    for C in C_GRID:
        def fn(tr, te):
            Xtr, Xte = pipe.features(tr, te)
            return ovr_probs(Xtr, pipe.Y[tr], Xte, [C] * Y.shape[1])
        p = inner_oof(fn, idx, fin)
        th = choose_thresholds(Y, p)
        f = micro_f1(Y, p >= th)[0]
        if f > best[0]:
            best = (f, C)
    return best[1]


def log_loss(y, p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def choose_c_per_label(pipe, idx, seed):
    fin = grouped_folds([pipe.texts[i] for i in idx], 3, seed)
    Y = pipe.Y[idx]
    losses = []
    for C in C_GRID:
        def fn(tr, te):
            Xtr, Xte = pipe.features(tr, te)
            return ovr_probs(Xtr, pipe.Y[tr], Xte, [C] * Y.shape[1])
        p = inner_oof(fn, idx, fin)
        losses.append([log_loss(Y[:, j], p[:, j]) for j in range(Y.shape[1])])
    losses = np.array(losses)
    return [C_GRID[i] for i in losses.argmin(axis=0)]


def nb_scale(X, y, alpha=1.0):
    pos = np.asarray(X[y == 1].sum(axis=0)).ravel() + alpha
    neg = np.asarray(X[y == 0].sum(axis=0)).ravel() + alpha
    return np.log((pos / pos.sum()) / (neg / neg.sum()))


def nb_probs(Xtr, Ytr, Xte, Cs):
    out = []
    for j in range(Ytr.shape[1]):
        r = nb_scale(Xtr, Ytr[:, j])
        m = fit_lr(Xtr.multiply(r).tocsr(), Ytr[:, j], Cs[j])
        out.append(predict_lr(m, Xte.multiply(r).tocsr()))
    return np.column_stack(out)


def stack_probs(pipe, tr, te, C, seed, meta_only):
    """Stacked binary relevance: first-stage out-of-fold probabilities on tr (5 inner folds),
    first stage refitted on all of tr for te; second stage per label on [features, probs]."""
    Xtr, Xte = pipe.features(tr, te)
    L = pipe.Y.shape[1]
    fin = grouped_folds([pipe.texts[i] for i in tr], 5, seed + 1)
    Z = np.zeros((len(tr), L))
    for f in range(5):
        a, b = np.where(fin != f)[0], np.where(fin == f)[0]
        Z[b] = ovr_probs(Xtr[a], pipe.Y[tr][a], Xtr[b], [C] * L)
    Zte = ovr_probs(Xtr, pipe.Y[tr], Xte, [C] * L)
    from scipy.sparse import csr_matrix, hstack
    if meta_only:
        A, B = Z, Zte
        C2 = 1.0
    else:
        A, B = hstack([Xtr, csr_matrix(Z)]).tocsr(), hstack([Xte, csr_matrix(Zte)]).tocsr()
        C2 = C
    return np.column_stack([predict_lr(fit_lr(A, pipe.Y[tr][:, j], C2), B) for j in range(L)])


def chain_probs(pipe, tr, te, C, seed, n_chains=5):
    Xtr, Xte = pipe.features(tr, te)
    from scipy.sparse import csr_matrix, hstack
    L = pipe.Y.shape[1]
    Ytr = pipe.Y[tr]
    fin = grouped_folds([pipe.texts[i] for i in tr], 5, seed + 1)
    rng = np.random.RandomState(seed)
    total = np.zeros((len(te), L))
    for _ in range(n_chains):
        order = rng.permutation(L)
        Ztr = np.zeros((len(tr), 0))
        Zte = np.zeros((len(te), 0))
        for j in order:
            A = hstack([Xtr, csr_matrix(Ztr)]).tocsr()
            B = hstack([Xte, csr_matrix(Zte)]).tocsr()
            m = fit_lr(A, Ytr[:, j], C)
            pte = predict_lr(m, B)
            # out-of-fold training-row probability of this link, as the next links' input
            ptr = np.zeros(len(tr))
            for f in range(5):
                a, b = np.where(fin != f)[0], np.where(fin == f)[0]
                ptr[b] = predict_lr(fit_lr(A[a], Ytr[a, j], C), A[b])
            total[:, j] += pte
            Ztr = np.column_stack([Ztr, ptr])
            Zte = np.column_stack([Zte, pte])
    return total / n_chains


def at_least_one(prob, th):
    P = prob >= th
    empty = ~P.any(axis=1)
    P[empty, prob[empty].argmax(axis=1)] = True
    return P


def topk(prob, s):
    k = np.maximum(1, np.round(s * prob.sum(axis=1))).astype(int)
    rank = (-prob).argsort(axis=1).argsort(axis=1)
    return rank < k[:, None]


def choose_s(Y, prob):
    best = (-1, 1.0)
    for s in np.round(np.arange(0.5, 2.01, 0.05), 2):
        f = micro_f1(Y, topk(prob, s))[0]
        if f > best[0]:
            best = (f, s)
    return best[1]


def run_idea(idea, texts, Y, folds, seed, log):
    kind = "char" if idea == "char" else "stem"
    pipe = Pipeline(texts, Y, kind)
    L = Y.shape[1]
    pred = np.zeros_like(Y, dtype=bool)
    per_fold, chosen = [], []
    for f in range(5):
        tr, te = np.where(folds != f)[0], np.where(folds == f)[0]
        C = choose_c(pipe, tr, seed + f)
        Cs = choose_c_per_label(pipe, tr, seed + f) if idea == "perlabelc" else [C] * L
        fin = grouped_folds([texts[i] for i in tr], 5, seed + 100 + f)

        def probs(a, b):
            if idea in ("stack", "stackmeta"):
                return stack_probs(pipe, a, b, C, seed, idea == "stackmeta")
            if idea == "chain":
                return chain_probs(pipe, a, b, C, seed)
            Xa, Xb = pipe.features(a, b)
            if idea == "nb":
                return nb_probs(Xa, Y[a], Xb, Cs)
            return ovr_probs(Xa, Y[a], Xb, Cs)

        oof = inner_oof(probs, tr, fin)
        pte = probs(tr, te)
        if idea == "topk":
            s = choose_s(Y[tr], oof)
            P = topk(pte, s)
            chosen.append({"C": C, "s": s})
        else:
            th = choose_thresholds(Y[tr], oof)
            P = at_least_one(pte, th) if idea == "atleast1" else pte >= th
            chosen.append({"C": C, "Cs": Cs if idea == "perlabelc" else None})
        pred[te] = P
        fs = micro_f1(Y[te], P)
        per_fold.append(fs[0])
        log(f"  {idea} fold {f + 1}: micro-F1 {fs[0]:.4f} (P {fs[1]:.3f} R {fs[2]:.3f}) {chosen[-1]}")
    pooled = micro_f1(Y, pred)
    return {"pooled": pooled[:3], "per_fold": per_fold, "chosen": chosen}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/data")
    # `char` is left out of the default: about ten minutes per outer fold
    ap.add_argument("--ideas", default="base,atleast1,topk,stack,stackmeta,chain,perlabelc,nb")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json", default=None)
    ap.add_argument("--folds-from", default=None,
                    help="out-of-fold predictions CSV of `slant train --cv 5 --predictions` "
                         "(columns doc_id, fold): use slant's own outer folds")
    a = ap.parse_args()
    known = {"base", "atleast1", "topk", "stack", "stackmeta", "chain", "perlabelc", "nb", "char"}
    unknown = [i for i in a.ideas.split(",") if i not in known]
    if unknown:
        sys.exit(f"error: unknown idea(s) {unknown}; known: {sorted(known)}")
    d = pd.read_csv(f"{a.data}/frames_semeval2023/train.csv.gz")
    texts = d["text"].fillna("").tolist()
    labels = sorted({l for s in d["label"] for l in str(s).split(";") if l})
    Y = np.array([[l in str(s).split(";") for l in labels] for s in d["label"]], dtype=bool)
    Yi = Y.astype(int)
    folds = grouped_folds(texts, 5, a.seed)
    if a.folds_from:
        o = pd.read_csv(a.folds_from)
        if not (o["doc_id"].astype(str).values == d["id"].astype(str).values).all():
            sys.exit("error: --folds-from rows do not match the data's ids in order")
        folds = o["fold"].to_numpy() - 1
    log = lambda m: print(m, flush=True)
    results = {}
    for idea in a.ideas.split(","):
        t0 = time.time()
        r = run_idea(idea, texts, Yi, folds, a.seed, log)
        r["seconds"] = round(time.time() - t0, 1)
        results[idea] = r
        p = r["pooled"]
        log(f"{idea}: pooled micro-F1 {p[0]:.4f} (P {p[1]:.3f} R {p[2]:.3f}); per fold "
            + " ".join(f"{x:.4f}" for x in r["per_fold"]) + f"; {r['seconds']} s")
    if "base" in results:
        b = results["base"]
        # 4 decimals: the decision rule's bar (0.01) is met or missed in the fourth
        log("\nidea        pooled   gain     folds won  per-fold gains")
        for idea, r in results.items():
            gains = [x - y for x, y in zip(r["per_fold"], b["per_fold"])]
            wins = sum(g > 0 for g in gains)
            log(f"{idea:10s}  {r['pooled'][0]:.4f}  {r['pooled'][0] - b['pooled'][0]:+.4f}  {wins}/5"
                "        " + " ".join(f"{g:+.4f}" for g in gains))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(results, fh, indent=1, default=float)


if __name__ == "__main__":
    sys.exit(main())
