#!/usr/bin/env python3
"""Screen part-of-speech features for slant's classifiers before building them in Rust.

For each dataset, a scikit-learn baseline close to the shipped settings (logistic
regression, stem unigrams, min_df 2, tf-idf, 20,000 terms by chi-squared, balanced class
weights where the card has them) is compared with the same plus ONE extra block,
L2-normalised apart from the stems:

  xpos     Penn tag 1-3-grams inside a sentence ("DT JJ NN")
  distort  "text distortion" 1-3-grams inside a sentence: closed-class words kept in
           lowercase, every other token replaced by its Penn tag ("the JJ NN of")
  shares   a few tag shares per row (adjectives, adverbs, superlatives, comparatives,
           modals, first / second person pronouns, proper nouns, ...)

Tokens and tags come from `slant tokens` (the tagger slant ships), so the screen sees
the tags the Rust feature would see. Every variant uses the same 5 folds (grouped as the
card: BABE by outlet, hyperpartisan by registrable domain of the url, frames by identical
text; subjectivity stratified). Reports the pooled metric and the per-fold wins.

Usage (from the repository root; the token tables are written by the first command):
  for x in babe:babe/dev.csv.gz subj:subjectivity_checkthat2025/dev.csv.gz \
           hyp:hyperpartisan_semeval2019/train.csv.gz frames:frames_semeval2023/train.csv.gz; do
    target/release/slant tokens ../shared/data/${x#*:} --id-col id -q -o /tmp/pos_tokens_${x%%:*}.csv
  done
  python3 scripts/pos_features_screen.py --data ../shared/data --tokens /tmp [--only bias] \
      [--variants baseline,distort,distort_nopunct]
"""

import argparse
import collections
import os
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold, StratifiedKFold
from sklearn.preprocessing import normalize

# Universal tags of closed word classes: these words are kept in the distorted text.
CLOSED_UPOS = {"DET", "ADP", "PRON", "AUX", "CCONJ", "SCONJ", "PART", "PUNCT"}
FIRST_SECOND = {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves",
                "you", "your", "yours", "yourself", "yourselves"}
SHARE_TAGS = ["JJ", "JJR", "JJS", "RB", "RBR", "RBS", "MD", "NNP", "NNPS", "VBD", "VBG",
              "PRP", "UH", "CD"]


def registrable_domain(url):
    host = (urlparse(str(url)).hostname or "").lower()
    parts = host.split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in {"co", "com", "org", "net", "ac", "gov"}:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def load_tokens(path):
    t = pd.read_csv(path, dtype={"doc_id": str}, keep_default_na=False,
                    usecols=["doc_id", "sentence_idx", "lower", "stem", "upos", "xpos"])
    rows = {}
    for doc, g in t.groupby("doc_id", sort=False):
        sents = []
        for _, s in g.groupby("sentence_idx", sort=True):
            sents.append(list(zip(s["lower"], s["stem"], s["upos"], s["xpos"])))
        rows[doc] = sents
    return rows


def ngrams(seq, lo=1, hi=3):
    out = []
    for n in range(lo, hi + 1):
        out.extend(" ".join(seq[i:i + n]) for i in range(len(seq) - n + 1))
    return out


def stems(sents):
    return [tok[1] for s in sents for tok in s if tok[2] != "PUNCT"]


def xpos_grams(sents):
    return [g for s in sents for g in ngrams([tok[3] for tok in s])]


def distort_grams(sents):
    return [g for s in sents
            for g in ngrams([tok[0] if tok[2] in CLOSED_UPOS else tok[3] for tok in s])]


def distort_grams_nopunct(sents):
    return [g for s in sents
            for g in ngrams([tok[0] if tok[2] in CLOSED_UPOS else tok[3] for tok in s if tok[2] != "PUNCT"])]


def shares(sents):
    toks = [tok for s in sents for tok in s if tok[2] != "PUNCT"]
    n = max(len(toks), 1)
    c = collections.Counter(tok[3] for tok in toks)
    v = [c[t] / n for t in SHARE_TAGS]
    v.append(sum(tok[0] in FIRST_SECOND for tok in toks) / n)
    v.append(sum(tok[0] == "!" for s in sents for tok in s) / n)
    return v


def ident(x):
    return x


def tfidf():
    return TfidfVectorizer(analyzer=ident, min_df=2)


def fold_matrices(docs, train, test, y_train, variant, select_k, multi):
    base = tfidf()
    xtr = base.fit_transform([stems(docs[i]) for i in train])
    xte = base.transform([stems(docs[i]) for i in test])
    if not multi and xtr.shape[1] > select_k:
        sel = SelectKBest(chi2, k=select_k).fit(xtr, y_train)
        xtr, xte = sel.transform(xtr), sel.transform(xte)
    if multi and xtr.shape[1] > select_k:
        keep = np.argsort(-np.asarray((xtr > 0).sum(0)).ravel())[:select_k]
        xtr, xte = xtr[:, keep], xte[:, keep]
    xtr, xte = normalize(xtr), normalize(xte)
    if variant == "baseline":
        return xtr, xte
    if variant == "shares":
        btr = normalize(np.array([shares(docs[i]) for i in train]))
        bte = normalize(np.array([shares(docs[i]) for i in test]))
        return sp.hstack([xtr, sp.csr_matrix(btr)]).tocsr(), sp.hstack([xte, sp.csr_matrix(bte)]).tocsr()
    fn = {"xpos": xpos_grams, "distort": distort_grams, "distort_nopunct": distort_grams_nopunct}[variant]
    v = tfidf()
    btr = v.fit_transform([fn(docs[i]) for i in train])
    bte = v.transform([fn(docs[i]) for i in test])
    if btr.shape[1] > select_k:
        if multi:
            keep = np.argsort(-np.asarray((btr > 0).sum(0)).ravel())[:select_k]
            btr, bte = btr[:, keep], bte[:, keep]
        else:
            sel = SelectKBest(chi2, k=select_k).fit(btr, y_train)
            btr, bte = sel.transform(btr), sel.transform(bte)
    return sp.hstack([xtr, normalize(btr)]).tocsr(), sp.hstack([xte, normalize(bte)]).tocsr()


VARIANTS = ("baseline", "xpos", "distort", "shares")


def run(name, docs, y, folds, c, class_weight, metric, multi=False, threshold=0.35, select_k=20000):
    variants = VARIANTS
    res = {}
    for variant in variants:
        pred = np.zeros_like(y) if not multi else np.zeros(y.shape, dtype=int)
        per_fold = []
        for train, test in folds:
            xtr, xte = fold_matrices(docs, train, test, y[train] if not multi else None,
                                     variant, select_k, multi)
            if multi:
                p = np.zeros((len(test), y.shape[1]))
                for j in range(y.shape[1]):
                    m = LogisticRegression(C=c, max_iter=2000).fit(xtr, y[train, j])
                    p[:, j] = m.predict_proba(xte)[:, 1]
                pr = (p >= threshold).astype(int)
            else:
                m = LogisticRegression(C=c, class_weight=class_weight, max_iter=2000).fit(xtr, y[train])
                pr = m.predict(xte)
            pred[test] = pr
            per_fold.append(metric(y[test], pr))
        res[variant] = (metric(y, pred), per_fold)
    base, base_folds = res["baseline"]
    print(f"\n## {name}  (n={len(y)}, C={c}, class_weight={class_weight})")
    print("| variant | pooled | gain | fold wins | per-fold gains |")
    print("|---|---|---|---|---|")
    for variant, (score, folds_) in res.items():
        gains = [a - b for a, b in zip(folds_, base_folds)]
        wins = sum(g > 0 for g in gains)
        print(f"| {variant} | {score:.3f} | {score - base:+.3f} | {wins}/5 | "
              + ", ".join(f"{g:+.3f}" for g in gains) + " |")


def macro(a, b):
    return f1_score(a, b, average="macro")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--tokens", default="/tmp")
    ap.add_argument("--only", help="bias, subjectivity, hyperpartisan or frames")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--variants", default="baseline,xpos,distort,shares",
                    help="comma-separated; baseline first (also: distort_nopunct, punctuation left out)")
    a = ap.parse_args()
    global VARIANTS
    VARIANTS = tuple(a.variants.split(","))

    def want(n):
        return a.only in (None, n)

    def prep(short, path):
        d = pd.read_csv(os.path.join(a.data, path), dtype={"id": str})
        toks = load_tokens(os.path.join(a.tokens, f"pos_tokens_{short}.csv"))
        d = d[d["id"].isin(toks)].reset_index(drop=True)
        return d, [toks[i] for i in d["id"]]

    if want("bias"):
        d, docs = prep("babe", "babe/dev.csv.gz")
        y = d["label"].to_numpy()
        folds = list(StratifiedGroupKFold(5, shuffle=True, random_state=a.seed).split(d, y, d["outlet"]))
        run("bias (BABE, grouped by outlet), macro-F1", docs, y, folds, 1.0, "balanced", macro)
    if want("subjectivity"):
        d, docs = prep("subj", "subjectivity_checkthat2025/dev.csv.gz")
        y = d["label"].to_numpy()
        folds = list(StratifiedKFold(5, shuffle=True, random_state=a.seed).split(d, y))
        run("subjectivity (stratified), macro-F1", docs, y, folds, 1.0, "balanced", macro)
    if want("hyperpartisan"):
        d, docs = prep("hyp", "hyperpartisan_semeval2019/train.csv.gz")
        y = d["label"].astype(str).to_numpy()
        groups = d["url"].map(registrable_domain)
        folds = list(StratifiedGroupKFold(5, shuffle=True, random_state=a.seed).split(d, y, groups))
        for c in (1.0, 10.0):
            run(f"hyperpartisan (grouped by domain), accuracy, C={c}", docs, y, folds, c, None,
                accuracy_score)
            run(f"hyperpartisan (grouped by domain), macro-F1, C={c}", docs, y, folds, c, None, macro)
    if want("frames"):
        d, docs = prep("frames", "frames_semeval2023/train.csv.gz")
        labels = sorted({x for s in d["label"] for x in str(s).split(";") if x})
        y = np.array([[int(lab in str(s).split(";")) for lab in labels] for s in d["label"]])
        groups = pd.factorize(d["text"])[0]
        folds = list(GroupKFold(5).split(d, groups=groups))
        run("frames (grouped by identical text), micro-F1, threshold 0.35", docs, y, folds, 10.0,
            None, lambda t, p: f1_score(t, p, average="micro"), multi=True)


if __name__ == "__main__":
    main()
