#!/usr/bin/env python3
"""Feasibility test (issue #11, sixth session): a `loaded` token classifier trained on
evidence_gold ITSELF (the guidelines' construct), measured by nested cross-validation grouped
by outlet, against the framing lexicon alone on the same articles.

Why: the word list is exhausted and a BABE-trained token model did not help (scripts/
tuning_log.md, "Loaded words in context: a model trained on BABE"). evidence_gold has only 30
articles (about 23 outlets, 206 loaded spans), so the model here carries no word identities by
default: it leans on priors computed from OTHER data.

Candidates: content tokens (ADJ, ADV, NOUN, VERB, PROPN) of `slant tokens`; a token is
positive when it overlaps a gold loaded span.  Features (dense, standardised, ~40):
  * lexicon: counted matches of `slant score --matches` over the token (loaded,
    attribution/loaded, attribution, intensifier, booster, hedge, distancing);
  * BABE prior: smoothed marked rate of the stem over BABE's content tokens (logit) and
    log1p of its BABE count (on BABE itself the prior is computed out-of-outlet);
  * distributional prior: PPMI + truncated SVD word vectors from UNLABELLED news text in
    ../shared/data (AllSides, hyperpartisan, PolNeAR, SemEval-2023 frames, GVFC; any document
    whose text shares a 200-character stretch with an evidence_gold article is left out);
    cosine of the word to the lexicon's single-word loaded seeds (max, mean of the top 10,
    centroid; seeds that match the word itself are left out), log corpus frequency, OOV flag.
    The vectors are cached in /tmp, never shipped;
  * shape: UPOS, a few evaluative suffixes, capitalised inside the sentence, in_quote,
    negation in the 3 tokens before, neighbours' POS;
  * context: the sentence's p_bias_biased and p_subjectivity_subj from the shipped sentence
    models (`slant score --model models/bias.json models/subjectivity.json --sentences`).
  `--identity` also adds stem one-hots (learnt from 30 articles): measured as a variant.

Output spans: adjacent tokens at or above the threshold (one sentence) merge into one span.
Modes: `model` (the model's spans only; it sees the lexicon flags, so it can also drop
lexicon matches) and `union` (lexicon loaded matches plus model spans that overlap none).

Protocol (decided before measuring):
  * outer: leave-one-outlet-out over evidence_gold; for each outer fold, C in {0.03, 0.1, 0.3,
    1}, threshold (0.10..0.90) and mode are chosen by span F1 pooled over out-of-fold
    predictions of 5 inner folds grouped by outlet of the TRAINING outlets only;
  * reported: span P/R/F1 by overlap (scripts/validate_evidence.py's rule), pooled over the
    outer folds, and over tune-outlet and check-outlet articles (validate_evidence.outlet_split),
    with the lexicon alone on the same articles; doc-level Spearman of counts; fixed-mode rows
    (inner choice of C and threshold only) for information;
  * external (model trained on all 30 articles, settings by the same grouped CV on all of
    them): BABE word P/R/F1 (scripts/validate_loaded_babe.py's definition), and on 400 random
    AllSides dev articles (seed 1) spans per 1,000 words and 50 random additions to read.

Usage:
  python3 scripts/loaded_gold_cv.py --slant target/release/slant [--data ../shared/data]
      [--identity] [--drop GROUP,...] [--cs 0.03,0.1,0.3,1] [--min-precision 0.6]
      [--allsides-docs 400 (0 skips AllSides)] [--read 50] [--seed 1] [--dim 100]
  --drop leaves feature groups out (lexicon, babe, similarity, frequency, shape, context,
  sentence); --min-precision makes the inner choice prefer settings whose inner out-of-fold
  precision reaches the value.  Figures and the decision: scripts/tuning_log.md, "Loaded words:
  a model trained on evidence_gold by grouped CV".

Deterministic.  Needs numpy, scipy, scikit-learn.  About 2 minutes on one core; the vectors are
cached in /tmp/slant_loaded_vectors_<dim>.npz (delete it to rebuild them).
"""
from __future__ import annotations

import argparse
import collections
import csv
import gzip
import hashlib
import math
import os
import random
import re
import subprocess
import sys
import tempfile

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import loaded_context_model as lcm  # noqa: E402
import validate_evidence as ve  # noqa: E402

csv.field_size_limit(1 << 30)
CONTENT = {"ADJ", "ADV", "NOUN", "VERB", "PROPN"}
UPOS = ["ADJ", "ADV", "NOUN", "VERB", "PROPN"]
LEX_FLAGS = [f for _c, _s, f in lcm.LEX_FLAGS]
SUFFIXES = ["ous", "ive", "ful", "less", "ic", "ical", "ist", "ism", "ly", "ed", "ing", "able"]
NEGATORS = {"not", "no", "never", "n't", "without", "nor"}
CS = [0.03, 0.1, 0.3, 1.0]
THRESHOLDS = [round(float(x), 3) for x in np.arange(0.10, 0.91, 0.025)]
MODES = ["model", "union"]
WORD = re.compile(r"[a-z]+(?:['-][a-z]+)*")
UNLABELLED = [("allsides_baly2020", "dev.csv.gz"), ("hyperpartisan_semeval2019", "train.csv.gz"),
              ("attribution_polnear", "articles.csv.gz"), ("frames_semeval2023", "train.csv.gz"),
              ("frames_gvfc", "dev.csv.gz")]


# ------------------------------------------------------------------ slant
def slant_run(slant, path, tmp, name):
    """Tokens, counted matches and sentence probabilities of one CSV of documents."""
    tokens = lcm.slant_tokens(slant, path, tmp, name)
    m, s = os.path.join(tmp, f"{name}_m.csv"), os.path.join(tmp, f"{name}_s.csv")
    cmd = [slant, "score", path, "--id-col", "id", "--text-col", "text", "--raw-text", "-q",
           "-o", os.path.join(tmp, f"{name}_scores.csv"), "--matches", m, "--sentences", s,
           "--model", os.path.join(ROOT, "models", "bias.json"), os.path.join(ROOT, "models", "subjectivity.json")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"slant score failed: {proc.stderr[-2000:]}")
    with open(m, encoding="utf-8", newline="") as fh:
        matches = list(csv.DictReader(fh))
    with open(s, encoding="utf-8", newline="") as fh:
        sent = {(r["doc_id"], r["sentence_idx"]): (float(r["p_bias_biased"] or 0.5), float(r["p_subjectivity_subj"] or 0.5))
                for r in csv.DictReader(fh)}
    with open(os.path.join(tmp, f"{name}_scores.csv"), encoding="utf-8", newline="") as fh:
        n_words = sum(int(r["n_words"]) for r in csv.DictReader(fh))
    return tokens, matches, sent, n_words


# ------------------------------------------------------- distributional
def shingles(text, k=200, step=100):
    t = " ".join(text.split())
    return {hashlib.md5(t[i:i + k].encode()).hexdigest() for i in range(0, max(1, len(t) - k + 1), step)}


def unlabelled_texts(data, gold_texts):
    """Unlabelled news documents, minus any that shares a 200-char stretch with a gold article."""
    gold = set()
    for t in gold_texts:
        u = " ".join(t.split())
        gold |= {hashlib.md5(u[i:i + 200].encode()).hexdigest() for i in range(0, max(1, len(u) - 199))}
    out, dropped = [], 0
    for d, f in UNLABELLED:
        with gzip.open(os.path.join(data, d, f), "rt", encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if shingles(r["text"]) & gold:
                    dropped += 1
                else:
                    out.append(r["text"])
    return out, dropped


def build_vectors(data, gold_texts, dim, cache):
    if os.path.exists(cache):
        z = np.load(cache, allow_pickle=False)
        return list(z["vocab"]), z["vecs"], z["counts"], str(z["info"])
    texts, dropped = unlabelled_texts(data, gold_texts)
    toks = [WORD.findall(t.lower()) for t in texts]
    freq = collections.Counter(w for ts in toks for w in ts)
    vocab = [w for w, n in freq.most_common() if n >= 5]
    index = {w: i for i, w in enumerate(vocab)}
    n_ctx = min(10000, len(vocab))
    ids = np.concatenate([np.array([index.get(w, -1) for w in ts] + [-1] * 5, dtype=np.int64) for ts in toks])
    co = None
    for k in range(1, 5):  # symmetric window of 4, harmonic weights
        a, b = ids[:-k], ids[k:]
        for w, c in ((a, b), (b, a)):
            keep = (w >= 0) & (c >= 0) & (c < n_ctx)
            m = sp.coo_matrix((np.full(int(keep.sum()), 1.0 / k), (w[keep], c[keep])), shape=(len(vocab), n_ctx)).tocsr()
            co = m if co is None else co + m
    total = co.sum()
    row = np.asarray(co.sum(axis=1)).ravel()
    col = np.asarray(co.sum(axis=0)).ravel() ** 0.75
    col = col / col.sum()
    co = co.tocoo()
    pmi = np.log(co.data / total) - np.log(row[co.row] / total) - np.log(col[co.col])
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (co.row[keep], co.col[keep])), shape=co.shape)
    u, s, _vt = svds(ppmi, k=dim, random_state=0)
    vecs = u * np.sqrt(s)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
    counts = np.array([freq[w] for w in vocab], dtype=np.float64)
    info = (f"{len(texts)} unlabelled documents ({dropped} sharing text with evidence_gold left out), "
            f"{int(sum(len(t) for t in toks))} words, vocabulary {len(vocab)} (count >= 5), {n_ctx} contexts, dim {dim}")
    np.savez(cache, vocab=np.array(vocab), vecs=vecs.astype(np.float32), counts=counts, info=np.array(info))
    return vocab, vecs.astype(np.float32), counts, info


def loaded_seeds():
    """Single-word patterns of the lexicon's `loaded` lines: (exact words, prefixes)."""
    exact, prefix = set(), set()
    with open(os.path.join(ROOT, "models", "lexicons", "framing.tsv"), encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) < 2 or f[1] != "loaded" or line.startswith(("#", "@")):
                continue
            pat = re.sub(r"\{[^}]*\}", "", f[0]).strip().lower()
            if " " in pat or not re.fullmatch(r"[a-z][a-z'-]*\*?", pat):
                continue
            (prefix.add(pat[:-1]) if pat.endswith("*") else exact.add(pat))
    return exact, prefix


class Similarity:
    """Cosine of a word to the loaded seeds present in the vocabulary, leaving out seeds that
    are the word itself or whose pattern covers it (the lexicon flag already says that)."""

    def __init__(self, vocab, vecs, counts):
        self.index = {w: i for i, w in enumerate(vocab)}
        self.vecs, self.logf = vecs, np.log(counts)
        exact, prefix = loaded_seeds()
        self.prefix = prefix
        seeds = [i for w, i in self.index.items() if w in exact or any(w.startswith(p) for p in prefix)]
        self.seed_words = [vocab[i] for i in seeds]
        self.seed_ids = np.array(seeds)
        self.seed_vecs = vecs[self.seed_ids]
        self.cache = {}

    def features(self, word):
        if word in self.cache:
            return self.cache[word]
        i = self.index.get(word)
        if i is None:
            out = (0.0, 0.0, 0.0, 0.0, 1.0)
        else:
            sims = self.seed_vecs @ self.vecs[i]
            own = np.array([w == word or (len(word) >= 4 and (w.startswith(word[:5]) or word.startswith(w[:5])))
                            for w in self.seed_words])
            sims = sims[~own]
            top = np.sort(sims)[-10:]
            cen = self.seed_vecs[~own].mean(axis=0)
            out = (float(top[-1]), float(top.mean()), float(cen @ self.vecs[i] / (np.linalg.norm(cen) + 1e-9)),
                   float(self.logf[i]), 0.0)
        self.cache[word] = out
        return out


# ---------------------------------------------------------------- priors
def babe_stem_counts(babe_tok, marks, outlet_of):
    """{outlet: Counter seen, Counter marked} over BABE content tokens."""
    seen = collections.defaultdict(collections.Counter)
    marked = collections.defaultdict(collections.Counter)
    for doc, toks in babe_tok.items():
        o = outlet_of[doc]
        for t in toks:
            if t["upos"] in CONTENT:
                seen[o][t["stem"]] += 1
                marked[o][t["stem"]] += int(lcm.overlaps_any(t["char_start"], t["char_end"], marks[doc]))
    return seen, marked


class BabePrior:
    def __init__(self, seen, marked, leave_out=None, a=5.0):
        self.seen, self.marked = collections.Counter(), collections.Counter()
        for o in seen:
            if o != leave_out:
                self.seen.update(seen[o])
                self.marked.update(marked[o])
        self.p0 = sum(self.marked.values()) / max(sum(self.seen.values()), 1)
        self.a = a

    def features(self, stem):
        n, k = self.seen[stem], self.marked[stem]
        p = (k + self.a * self.p0) / (n + self.a)
        return math.log(p / (1 - p)), math.log1p(n)


# --------------------------------------------------------------- features
FEATURE_NAMES = (LEX_FLAGS + ["babe_logit", "babe_logn", "sim_max", "sim_top10", "sim_centroid", "log_freq", "oov"]
                 + [f"upos={u}" for u in UPOS] + [f"suf={s}" for s in SUFFIXES]
                 + ["capitalised", "in_quote", "negated", "prev=DET", "prev=ADV", "prev=ADJ", "next=NOUN",
                    "next=ADP", "prev=AUX", "p_bias", "p_subj"])


def candidates(docs, matches, sent_p, sim, prior_of):
    """rows (doc, token), dense feature matrix, stems; prior_of(doc) gives the BABE prior."""
    lex_by_doc = lcm.lexicon_spans(matches)
    rows, feats = [], []
    for doc, toks in docs.items():
        lex = lex_by_doc.get(doc, {})
        prior = prior_of(doc)
        for sent in lcm.sentences(toks):
            for i, t in enumerate(sent):
                if t["upos"] not in CONTENT:
                    continue
                low = t["lower"]
                f = [float(lcm.overlaps_any(t["char_start"], t["char_end"], lex.get(fl, []))) for fl in LEX_FLAGS]
                f += prior.features(t["stem"])
                f += sim.features(low)
                f += [float(t["upos"] == u) for u in UPOS]
                f += [float(low.endswith(s)) for s in SUFFIXES]
                prev = sent[i - 1]["upos"] if i > 0 else "<s>"
                nxt = sent[i + 1]["upos"] if i + 1 < len(sent) else "</s>"
                f += [float(i > 0 and t["text"][:1].isupper()), float(t["in_quote"] == "1"),
                      float(any(sent[j]["lower"] in NEGATORS for j in range(max(0, i - 3), i))),
                      float(prev == "DET"), float(prev == "ADV"), float(prev == "ADJ"), float(nxt == "NOUN"),
                      float(nxt == "ADP"), float(prev == "AUX")]
                f += sent_p.get((doc, t["sentence_idx"]), (0.5, 0.5))
                rows.append((doc, t))
                feats.append(f)
    return rows, np.array(feats), [t["stem"] for _d, t in rows]


GROUPS = {"lexicon": LEX_FLAGS, "babe": ["babe_logit", "babe_logn"],
          "similarity": ["sim_max", "sim_top10", "sim_centroid"], "frequency": ["log_freq", "oov"],
          "shape": [f"upos={u}" for u in UPOS] + [f"suf={s}" for s in SUFFIXES] + ["capitalised"],
          "context": ["in_quote", "negated", "prev=DET", "prev=ADV", "prev=ADJ", "next=NOUN", "next=ADP", "prev=AUX"],
          "sentence": ["p_bias", "p_subj"]}
DROP: set[int] = set()
MIN_PRECISION = [0.0]  # --min-precision: inner choice prefers settings at or above it


# ---------------------------------------------------------------- model
class Model:
    def __init__(self, c, identity):
        self.c, self.identity = c, identity

    def design(self, X, stems, fit=False):
        if fit:
            self.mu, self.sd = X.mean(axis=0), X.std(axis=0) + 1e-9
        Z = (X - self.mu) / self.sd
        if DROP:  # ablation: a left-out group contributes nothing
            Z = Z.copy()
            Z[:, sorted(DROP)] = 0.0
        if not self.identity:
            return Z
        if fit:
            self.vocab = {s: i for i, s in enumerate(sorted(set(stems)))}
        r = [k for k, s in enumerate(stems) if s in self.vocab]
        ident = sp.csr_matrix((np.ones(len(r)), (r, [self.vocab[stems[k]] for k in r])), shape=(len(stems), len(self.vocab)))
        return sp.hstack([sp.csr_matrix(Z), ident]).tocsr()

    def fit(self, X, y, stems):
        self.lr = LogisticRegression(C=self.c, solver="liblinear", max_iter=2000).fit(self.design(X, stems, True), y)
        return self

    def proba(self, X, stems):
        return self.lr.predict_proba(self.design(X, stems))[:, 1]


def spans_from(rows, probs, thr, lex, mode):
    """{doc: [(start, end)]}: merged model spans, alone or added to the lexicon's."""
    out = collections.defaultdict(list)
    prev = None
    for (doc, t), p in zip(rows, probs):
        if p < thr:
            prev = None
            continue
        key = (doc, t["sentence_idx"], int(t["token_idx"]))
        if prev and prev[:2] == key[:2] and prev[2] + 1 == key[2]:
            out[doc][-1] = (out[doc][-1][0], t["char_end"])
        else:
            out[doc].append((t["char_start"], t["char_end"]))
        prev = key
    if mode == "union":
        for doc, ls in lex.items():
            out[doc] = ls + [m for m in out.get(doc, []) if not any(m[0] < b and a < m[1] for a, b in ls)]
    return out


def counts(spans, gold_by, docs):
    c = ve.Counts()
    for d in docs:
        preds = [ve.Span(d, a, b, "loaded", "") for a, b in spans.get(d, [])]
        c = c + ve.compare(preds, gold_by.get(d, []))[0]
    return c


def choose(X, y, stems, rows, groups, idx, lex, gold_by, identity):
    """(C, threshold, mode) by span F1 of out-of-fold predictions, grouped folds over idx; also
    the best per mode."""
    docs = sorted({rows[i][0] for i in idx})
    n = min(5, len(set(groups[idx])))
    oof = {c: np.zeros(len(y)) for c in CS}
    for tr, te in GroupKFold(n_splits=n).split(idx, y[idx], groups[idx]):
        for c in CS:
            m = Model(c, identity).fit(X[idx[tr]], y[idx[tr]], [stems[i] for i in idx[tr]])
            oof[c][idx[te]] = m.proba(X[idx[te]], [stems[i] for i in idx[te]])
    sub_rows = [rows[i] for i in idx]
    best = {}
    for mode in MODES:
        for c in CS:
            for th in THRESHOLDS:
                pr, _r, f1 = counts(spans_from(sub_rows, oof[c][idx], th, lex, mode), gold_by, docs).prf()
                key = (pr >= MIN_PRECISION[0], f1, -c, th)
                if mode not in best or key > best[mode][0]:
                    best[mode] = (key, c, th)
    overall = max(MODES, key=lambda md: best[md][0])
    return {md: (best[md][1], best[md][2]) for md in MODES}, overall


def diff_counts(lex, out, gold_by, docs):
    """(added correct, added wrong), (dropped correct, dropped wrong), (gold found only by the
    output, gold found only by the lexicon) over docs: what the model changes."""
    hit = lambda a, b, spans: any(a < e and s < b for s, e in spans)  # noqa: E731
    add, drop, gold = [0, 0], [0, 0], [0, 0]
    for d in docs:
        g = [(x.start, x.end) for x in gold_by.get(d, [])]
        lx, ot = lex.get(d, []), out.get(d, [])
        for a, b in ot:
            if not hit(a, b, lx):
                add[0 if hit(a, b, g) else 1] += 1
        for a, b in lx:
            if not hit(a, b, ot):
                drop[0 if hit(a, b, g) else 1] += 1
        for a, b in g:
            gold[0] += hit(a, b, ot) and not hit(a, b, lx)
            gold[1] += hit(a, b, lx) and not hit(a, b, ot)
    return add, drop, gold


def fmt(c):
    return " / ".join(f"{v:.2f}" for v in c.prf())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--slant", default=os.path.join(ROOT, "target", "release", "slant"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--identity", action="store_true", help="also add stem one-hots (word identities)")
    ap.add_argument("--allsides-docs", type=int, default=400)
    ap.add_argument("--read", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--drop", default="", help="comma-separated feature groups to leave out (ablation): "
                    + ", ".join(GROUPS))
    ap.add_argument("--cs", default=",".join(map(str, CS)), help="grid of C for the inner choice")
    ap.add_argument("--min-precision", type=float, default=0.0,
                    help="inner choice: best F1 among settings whose inner out-of-fold precision reaches this")
    args = ap.parse_args(argv)
    MIN_PRECISION[0] = args.min_precision
    CS[:] = [float(c) for c in args.cs.split(",")]
    for g in filter(None, args.drop.split(",")):
        DROP.update(FEATURE_NAMES.index(f) for f in GROUPS[g])

    gold_dir = os.path.join(args.data, "evidence_gold")
    eg_path = os.path.join(gold_dir, "articles.csv.gz")
    articles = ve.load_csv(eg_path)
    outlet = {a["id"]: a["source"] for a in articles}
    split = ve.outlet_split(articles)
    tune, check = split["tune"]["docs"], split["check"]["docs"]
    docs_all = [a["id"] for a in articles]
    gold_by = collections.defaultdict(list)
    for g in ve.load_csv(os.path.join(gold_dir, "spans.csv.gz")):
        if g["cat"] == "loaded":
            gold_by[g["id"]].append(ve.Span(g["id"], int(g["char_start"]), int(g["char_end"]), "loaded", ""))

    cache = f"/tmp/slant_loaded_vectors_{args.dim}.npz"
    vocab, vecs, vcounts, info = build_vectors(args.data, [a["text"] for a in articles], args.dim, cache)
    sim = Similarity(vocab, vecs, vcounts)
    print(f"settings: C grid {CS}, identity {args.identity}, dropped groups {args.drop or 'none'}, "
          f"min inner precision {args.min_precision}")
    print(f"vectors: {info}; {len(sim.seed_words)} loaded seed words in the vocabulary")

    babe_path = os.path.join(args.data, "babe", "dev.csv.gz")
    babe_rows = ve.load_csv(babe_path)
    babe_outlet = {r["id"]: r["outlet"] for r in babe_rows}
    with tempfile.TemporaryDirectory() as tmp:
        babe_tok, babe_m, babe_sent, _n = slant_run(args.slant, babe_path, tmp, "babe")
        marks = {r["id"]: lcm.babe_marks(r) for r in babe_rows}
        seen, marked = babe_stem_counts(babe_tok, marks, babe_outlet)
        prior_all = BabePrior(seen, marked)
        eg_tok, eg_m, eg_sent, _n = slant_run(args.slant, eg_path, tmp, "eg")
        rows, X, stems = candidates(eg_tok, eg_m, eg_sent, sim, lambda d: prior_all)
        y = np.array([lcm.overlaps_any(t["char_start"], t["char_end"],
                                       [(g.start, g.end) for g in gold_by.get(d, [])]) for d, t in rows])
        groups = np.array([outlet[d] for d, _t in rows])
        lex = {d: [(int(m["char_start"]), int(m["char_end"])) for m in ms]
               for d, ms in lcm.loaded_matches(eg_m).items()}
        n_gold = sum(len(v) for v in gold_by.values())
        n_gold_hit = sum(any(lcm.overlaps_any(t["char_start"], t["char_end"], [(g.start, g.end)])
                             for t in eg_tok[g.doc] if t["upos"] in CONTENT) for v in gold_by.values() for g in v)
        print(f"evidence_gold: {len(articles)} articles, {len(set(outlet.values()))} outlets, {n_gold} gold loaded spans "
              f"({n_gold_hit} overlap a content token), {len(rows)} candidate tokens, {int(y.sum())} positive, "
              f"{X.shape[1]} dense features, identity one-hots {'on' if args.identity else 'off'}")

        # ---- nested leave-one-outlet-out
        pred = {"chosen": {}, "model": {}, "union": {}}
        chosen_log = []
        for o in sorted(set(groups)):
            tr, te = np.where(groups != o)[0], np.where(groups == o)[0]
            settings, overall = choose(X, y, stems, rows, groups, tr, lex, gold_by, args.identity)
            chosen_log.append((o, overall, settings[overall]))
            te_rows = [rows[i] for i in te]
            te_docs = sorted({d for d, _t in te_rows})
            te_lex = {d: lex.get(d, []) for d in te_docs}
            for mode in MODES:
                c, th = settings[mode]
                m = Model(c, args.identity).fit(X[tr], y[tr], [stems[i] for i in tr])
                sp_ = spans_from(te_rows, m.proba(X[te], [stems[i] for i in te]), th, te_lex, mode)
                for d in te_docs:
                    pred[mode][d] = sp_.get(d, [])
                    if mode == overall:
                        pred["chosen"][d] = sp_.get(d, [])
            print(f"  outer fold {o}: chosen {overall} (C {settings[overall][0]}, threshold {settings[overall][1]}); "
                  f"model C/th {settings['model']}, union C/th {settings['union']}", flush=True)

        print("\n== evidence_gold loaded span P / R / F1 (overlap), out-of-fold, leave-one-outlet-out, nested")
        print("| run | all | tune outlets | check outlets | Spearman (doc counts) | spans |")
        print("|---|---|---|---|---|---|")
        gold_counts = [len(gold_by.get(d, [])) for d in docs_all]
        for name, s in (("lexicon alone", lex), ("nested choice of mode, C, threshold", pred["chosen"]),
                        ("model mode (C, threshold nested)", pred["model"]), ("union mode (C, threshold nested)", pred["union"])):
            rho = ve.spearman([len(s.get(d, [])) for d in docs_all], gold_counts)
            print(f"| {name} | {fmt(counts(s, gold_by, docs_all))} | {fmt(counts(s, gold_by, tune))} | "
                  f"{fmt(counts(s, gold_by, check))} | {rho:.2f} | {sum(len(s.get(d, [])) for d in docs_all)} |")
        print("\nwhere the nested output differs from the lexicon (spans overlapping / not overlapping a gold span; "
              "gold spans the lexicon misses that the output finds, and the reverse):")
        print("| articles | added spans correct / wrong | lexicon spans dropped correct / wrong | gold newly found / lost |")
        print("|---|---|---|---|")
        for name, docs in (("all", docs_all), ("tune outlets", tune), ("check outlets", check)):
            print(f"| {name} | " + " | ".join(" / ".join(map(str, x)) for x in diff_counts(lex, pred["chosen"], gold_by, docs)) + " |")
        print("modes chosen per outer fold: " + ", ".join(f"{md} {n}" for md, n in
                                                          collections.Counter(c[1] for c in chosen_log).items()))

        # ---- final model on all 30 articles
        idx = np.arange(len(y))
        settings, overall = choose(X, y, stems, rows, groups, idx, lex, gold_by, args.identity)
        c, th = settings[overall]
        final = Model(c, args.identity).fit(X, y, stems)
        print(f"\n== final model (all 30 articles): mode {overall}, C {c}, threshold {th}")
        w = final.lr.coef_.ravel()[:len(FEATURE_NAMES)]
        order = np.argsort(-np.abs(w))
        print("standardised weights (largest 15): " + ", ".join(f"{FEATURE_NAMES[i]} {w[i]:+.2f}" for i in order[:15]))

        # ---- BABE word level (priors out-of-outlet on BABE itself)
        babe_lex_all = lcm.loaded_matches(babe_m)
        babe_lex = {d: [(int(m["char_start"]), int(m["char_end"])) for m in ms] for d, ms in babe_lex_all.items()}
        babe_attr = collections.defaultdict(list)
        for m in babe_m:
            if m["negated"] != "1" and (m["category"] == "loaded" or (m["category"] == "attribution" and m["subcategory"] == "loaded")):
                babe_attr[m["doc_id"]].append((int(m["char_start"]), int(m["char_end"])))
        priors = {o: BabePrior(seen, marked, leave_out=o) for o in seen}
        b_rows, b_X, b_stems = candidates(babe_tok, babe_m, babe_sent, sim, lambda d: priors[babe_outlet[d]])
        b_spans = spans_from(b_rows, final.proba(b_X, b_stems), th, babe_lex, overall)
        b_spans_attr = spans_from(b_rows, final.proba(b_X, b_stems), th, babe_attr, "union")
        as_match = lambda s: {d: [{"char_start": str(a), "char_end": str(b), "rule_line": "model", "rule": "model", "matched_text": ""} for a, b in v] for d, v in s.items()}  # noqa: E731
        print("\n== BABE word P / R / F1 (validate_loaded_babe.py's definition; BABE prior out-of-outlet; "
              "p_bias is in-sample on BABE: bias.json was trained on it)")
        print(f"| lexicon loaded alone | {lcm.prf_cell(lcm.babe_word(babe_rows, as_match(babe_lex)))} |")
        print(f"| model output ({overall}) | {lcm.prf_cell(lcm.babe_word(babe_rows, as_match(b_spans)))} |")
        print(f"| lexicon loaded + attribution/loaded | {lcm.prf_cell(lcm.babe_word(babe_rows, as_match(babe_attr)))} |")
        print(f"| model added to loaded + attribution/loaded | {lcm.prf_cell(lcm.babe_word(babe_rows, as_match(b_spans_attr)))} |")

        # ---- AllSides sample
        if args.allsides_docs <= 0:
            return
        rng = random.Random(args.seed)
        with gzip.open(os.path.join(args.data, "allsides_baly2020", "dev.csv.gz"), "rt", encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            fields, all_rows = reader.fieldnames, list(reader)
        sample = rng.sample(all_rows, min(args.allsides_docs, len(all_rows)))
        as_path = os.path.join(tmp, "allsides_sample.csv")
        with open(as_path, "w", encoding="utf-8", newline="") as fh:
            wr = csv.DictWriter(fh, fieldnames=fields)
            wr.writeheader()
            wr.writerows(sample)
        a_tok, a_m, a_sent, n_words = slant_run(args.slant, as_path, tmp, "as")
        a_lex = {d: [(int(m["char_start"]), int(m["char_end"])) for m in ms] for d, ms in lcm.loaded_matches(a_m).items()}
        a_rows, a_X, a_stems = candidates(a_tok, a_m, a_sent, sim, lambda d: prior_all)
        a_spans = spans_from(a_rows, final.proba(a_X, a_stems), th, a_lex, overall)
        texts = {r["id"]: r["text"] for r in sample}
        n_lex = sum(len(v) for v in a_lex.values())
        n_out = sum(len(v) for v in a_spans.values())
        added = [(d, a, b) for d, v in a_spans.items() for a, b in v
                 if not any(a < e and s < b for s, e in a_lex.get(d, []))]
        dropped = [(d, a, b) for d, v in a_lex.items() for a, b in v
                   if not any(a < e and s < b for s, e in a_spans.get(d, []))]
        print(f"\n== AllSides sample ({len(sample)} articles, seed {args.seed}, {n_words} words): lexicon {n_lex} loaded "
              f"({1000 * n_lex / n_words:.2f} per 1,000 words); model output {n_out} ({1000 * n_out / n_words:.2f}); "
              f"added {len(added)} ({1000 * len(added) / n_words:.2f}), lexicon matches dropped {len(dropped)}")
        freq = collections.Counter(texts[d][a:b].lower() for d, a, b in added)
        print("most frequent added: " + ", ".join(f"{t} {n}" for t, n in freq.most_common(30)))
        print(f"{args.read} random added spans (seed {args.seed}), with context:")
        for d, a, b in sorted(rng.sample(added, min(args.read, len(added)))):
            t = texts[d]
            print(f"  {d}: " + " ".join((t[max(0, a - 70):a] + "[[" + t[a:b] + "]]" + t[b:b + 70]).split()))


if __name__ == "__main__":
    main()
