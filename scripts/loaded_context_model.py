#!/usr/bin/env python3
"""Feasibility test (issue #11): can a word-in-context model trained on BABE's marked words find
`loaded` language that the framing lexicon's word list does not?

What it does (all figures are measured here, deterministic given the seed):
  1. Tokens come from slant itself (`slant tokens`), so offsets, stems and tags are the ones
     slant would use; the framing lexicon's counted matches (`slant score --matches`) become
     token features (loaded / intensifier / booster / loaded reporting verb).
  2. BABE (babe/dev.csv.gz, AGPL-3.0, 2,911 sentences): a token is positive when it overlaps
     a whole-word occurrence of a word the annotators marked for that sentence (the same
     rule as scripts/validate_loaded_babe.py).  Only content tokens (ADJ, ADV, NOUN, VERB,
     PROPN, INTJ, X) are candidates; marked function words count as misses.
     How non-biased sentences are used (--train-rows): `all` trains on every sentence with
     its marks (176 non-biased sentences carry marked words, the rest are all-negative);
     `biased` trains only on sentences labelled biased (evaluative words in non-biased
     sentences are never marked, so their tokens are noisy negatives).  Both are reported.
  3. Logistic regression on one-hot features (stem, lower form, UPOS, XPOS, suffixes,
     neighbouring stems and tags, in_quote, capitalisation inside the sentence, lexicon
     flags).  Cross-validation grouped by outlet (GroupKFold, 5 folds); the threshold of each
     outer fold is chosen on out-of-fold probabilities of inner folds (3, grouped by outlet)
     of its training part.  Reported: token P/R/F1 and BABE word P/R/F1 as
     validate_loaded_babe.py defines it, for the model alone, the lexicon alone and the union.
     By default (--other-cats filter) model tokens inside a counted match of another framing
     category (hedge, distancing, booster, intensifier, attribution) are not proposed as
     loaded: BABE marks "claimed", "dramatically", "allegedly", which the evidence guidelines
     file elsewhere.  `relabel` also makes such tokens negatives in training; `none` keeps them.
  4. evidence_gold: a model trained on all of BABE scores the 30 articles; loaded span F1 by
     overlap (scripts/validate_evidence.py's rule) for the model alone and for the union with
     slant's current loaded matches, all / tune / check.  Thresholds: (a) chosen on BABE
     out-of-fold probabilities (no evidence_gold involved), (b) chosen on the TUNE half only.
     The check half is reported, never used to choose.  A diagnostic on the TUNE half only:
     how many gold loaded spans the lexicon misses have a stem BABE has seen (marked).
     Also the model as a sense filter of the word list: lexicon loaded matches kept only when
     the model scores their best token at or above a threshold (chosen on the TUNE half).
  5. AllSides (a seeded sample of articles): model spans that add to slant's loaded matches
     per 1,000 words, and a random sample of them printed for reading.

The model's weights encode BABE's marked words; nothing here writes a lexicon.

Usage:
  python3 scripts/loaded_context_model.py --slant target/release/slant \\
      [--data ../shared/data] [--c 0.3] [--other-cats filter|relabel|none]
      [--allsides-docs 400 (0 skips AllSides)] [--read 50] [--seed 1]

Takes about 2.5 minutes (one core) and prints markdown tables.

Needs numpy and scikit-learn (pip install scikit-learn).
"""
from __future__ import annotations

import argparse
import ast
import collections
import csv
import gzip
import os
import random
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import validate_evidence as ve  # noqa: E402
import validate_loaded_babe as vlb  # noqa: E402

csv.field_size_limit(1 << 30)
CONTENT = {"ADJ", "ADV", "NOUN", "VERB", "PROPN", "INTJ", "X"}
LEX_FLAGS = [("loaded", None, "lex_loaded"), ("intensifier", None, "lex_intensifier"),
             ("booster", None, "lex_booster"), ("attribution", "loaded", "lex_attr_loaded"),
             ("attribution", None, "lex_attribution"), ("hedge", None, "lex_hedge"),
             ("distancing", None, "lex_distancing")]
# Categories the guidelines file apart from `loaded` (BABE marks some of them: "claimed",
# "dramatically", "allegedly"); --other-cats can keep the model off their matches.
OTHER_FLAGS = ["lex_intensifier", "lex_booster", "lex_attribution", "lex_hedge", "lex_distancing"]
THRESHOLDS = [round(x, 2) for x in np.arange(0.10, 0.91, 0.025)]


# ------------------------------------------------------------------ input
def slant_tokens(slant, data, workdir, name):
    out = os.path.join(workdir, f"{name}_tokens.csv")
    cmd = [slant, "tokens", data, "--id-col", "id", "--text-col", "text", "--raw-text", "-q", "-o", out]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"slant tokens failed: {proc.stderr[-2000:]}")
    docs = collections.defaultdict(list)
    with open(out, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            r["char_start"], r["char_end"] = int(r["char_start"]), int(r["char_end"])
            docs[r["doc_id"]].append(r)
    return docs


def lexicon_spans(matches):
    """{doc: {flag name: [(start, end)]}} of counted matches of the lexicon categories used as features."""
    out = collections.defaultdict(lambda: collections.defaultdict(list))
    for m in matches:
        if m["negated"] == "1":
            continue
        for cat, sub, flag in LEX_FLAGS:
            if m["category"] == cat and sub in (None, m["subcategory"]):
                out[m["doc_id"]][flag].append((int(m["char_start"]), int(m["char_end"])))
    return out


def overlaps_any(a, b, spans):
    return any(a < e and s < b for s, e in spans)


def sentences(tokens):
    by = collections.defaultdict(list)
    for t in tokens:
        by[t["sentence_idx"]].append(t)
    return list(by.values())


# --------------------------------------------------------------- features
def token_features(sent, i, lex):
    t = sent[i]
    low, stem, upos = t["lower"], t["stem"], t["upos"]
    f = {"stem=" + stem: 1, "low=" + low: 1, "upos=" + upos: 1, "xpos=" + t["xpos"]: 1,
         "suf3=" + low[-3:]: 1, "suf2=" + low[-2:]: 1, "bias": 1}
    for off in (-2, -1, 1, 2):
        j = i + off
        if 0 <= j < len(sent):
            n = sent[j]
            f[f"upos{off:+d}=" + n["upos"]] = 1
            if abs(off) == 1:
                f[f"stem{off:+d}=" + n["stem"]] = 1
        else:
            f[f"upos{off:+d}=<edge>"] = 1
    if t["in_quote"] == "1":
        f["in_quote"] = 1
    if i > 0 and t["text"][:1].isupper():
        f["capitalised"] = 1
    for _cat, _sub, flag in LEX_FLAGS:
        if overlaps_any(t["char_start"], t["char_end"], lex.get(flag, [])):
            f[flag] = 1
            f[flag + "&upos=" + upos] = 1
    return f


def candidates(docs, lex_by_doc):
    """Rows (doc, token, features) of content tokens, in document order."""
    rows = []
    for doc, toks in docs.items():
        lex = lex_by_doc.get(doc, {})
        for sent in sentences(toks):
            for i, t in enumerate(sent):
                if t["upos"] in CONTENT:
                    rows.append((doc, t, token_features(sent, i, lex)))
    return rows


# ------------------------------------------------------------------ BABE
def babe_marks(row):
    """Located occurrences of the words marked for one sentence (validate_loaded_babe's rule)."""
    try:
        words = ast.literal_eval(row["biased_words"] or "[]")
    except (ValueError, SyntaxError):
        words = []
    spots = []
    for w in words:
        spots += vlb.word_occurrences(row["text"], w.strip(vlb.STRIP).lower())
    return spots


OTHER = {"mode": "none"}


def in_other_category(f):
    return any(f.get(flag) for flag in OTHER_FLAGS)


def model_spans(rows, probs, thr):
    """{doc: [match-like dicts]}: tokens at or above thr, adjacent ones in a sentence merged.

    With --other-cats filter/relabel, tokens inside a match of another framing category are
    left to that category."""
    out = collections.defaultdict(list)
    prev = None
    for (doc, t, f), p in zip(rows, probs):
        if p < thr or (OTHER["mode"] != "none" and in_other_category(f)):
            prev = None
            continue
        key = (doc, t["sentence_idx"], int(t["token_idx"]))
        if prev and prev[0] == doc and prev[1] == t["sentence_idx"] and prev[2] + 1 == key[2]:
            out[doc][-1]["char_end"] = str(t["char_end"])
            out[doc][-1]["p"] = max(out[doc][-1]["p"], p)
        else:
            out[doc].append({"doc_id": doc, "char_start": str(t["char_start"]), "char_end": str(t["char_end"]),
                             "rule_line": "model", "rule": "model", "matched_text": t["text"], "p": p})
        prev = key
    return out


def union(lexicon, model):
    """Lexicon spans plus model spans that overlap none of them."""
    out = collections.defaultdict(list)
    for doc in sorted(set(lexicon) | set(model)):
        lex = lexicon.get(doc, [])
        out[doc] = list(lex) + [m for m in model.get(doc, [])
                                if not any(int(m["char_start"]) < int(l["char_end"])
                                           and int(l["char_start"]) < int(m["char_end"]) for l in lex)]
    return out


def filter_by_model(lexicon, rows, probs, thr):
    """Lexicon spans whose best overlapping content token the model scores at or above thr
    (spans over no content token are kept): the model as a sense filter of the word list."""
    tok = collections.defaultdict(list)
    for (doc, t, _f), p in zip(rows, probs):
        tok[doc].append((t["char_start"], t["char_end"], p))
    out = collections.defaultdict(list)
    for doc, spans in lexicon.items():
        for m in spans:
            a, b = int(m["char_start"]), int(m["char_end"])
            ps = [p for s, e, p in tok.get(doc, []) if s < b and a < e]
            if not ps or max(ps) >= thr:
                out[doc].append(m)
    return out


FILTER_THRESHOLDS = [0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4]


def babe_word(rows_babe, spans_by_id):
    t = vlb.Tally()
    stats = collections.defaultdict(vlb.new_rule_stat)
    for r in rows_babe:
        t.add(vlb.score_sentence(r, spans_by_id.get(r["id"], []), stats))
    return t.word()


def token_prf(y, pred):
    tp = int(np.sum(y & pred))
    p = tp / max(int(pred.sum()), 1)
    r = tp / max(int(y.sum()), 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_threshold(y, probs):
    return max(THRESHOLDS, key=lambda th: (token_prf(y, probs >= th)[2], -th))


def fit(X, y, c):
    return LogisticRegression(C=c, max_iter=2000, solver="liblinear", class_weight=None).fit(X, y)


def oof_probs(X, y, groups, train_mask, c, folds):
    """Out-of-fold probabilities over the rows of train_mask (grouped folds); others NaN."""
    probs = np.full(len(y), np.nan)
    idx = np.where(train_mask)[0]
    for tr, te in GroupKFold(n_splits=folds).split(idx, y[idx], groups[idx]):
        m = fit(X[idx[tr]], y[idx[tr]], c)
        probs[idx[te]] = m.predict_proba(X[idx[te]])[:, 1]
    return probs


def babe_cv(rows_babe, cand, X, y, groups, biased_row, lex_loaded_spans, c, train_rows, folds=5):
    """Outer grouped CV; per fold a threshold from inner grouped OOF probabilities."""
    train_ok = biased_row if train_rows == "biased" else np.ones(len(y), bool)
    probs = np.zeros(len(y))
    thr = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=folds).split(X, y, groups):
        mask = np.zeros(len(y), bool)
        mask[tr] = True
        mask &= train_ok
        inner = oof_probs(X, y, groups, mask, c, 3)
        th = best_threshold(y[mask], inner[mask])
        m = fit(X[mask], y[mask], c)
        probs[te] = m.predict_proba(X[te])[:, 1]
        thr[te] = th
    pred = probs >= thr
    if OTHER["mode"] != "none":
        pred &= ~np.array([in_other_category(f) for _d, _t, f in cand])
    model = model_spans(cand, np.where(pred, 1.0, 0.0), 0.5)
    return {"token": token_prf(y, pred), "token_lex": token_prf(y, np.array([f.get("lex_loaded", 0) == 1 for _d, _t, f in cand])),
            "word_model": babe_word(rows_babe, model), "word_lexicon": babe_word(rows_babe, lex_loaded_spans),
            "word_union": babe_word(rows_babe, union(lex_loaded_spans, model)),
            "thresholds": sorted(set(thr.tolist())), "probs": probs}


# --------------------------------------------------------- evidence_gold
def gold_f1(spans_by_doc, gold_by, docs):
    c = ve.Counts()
    for d in docs:
        preds = [ve.Span(d, int(m["char_start"]), int(m["char_end"]), "loaded", "") for m in spans_by_doc.get(d, [])]
        c = c + ve.compare(preds, gold_by.get(d, []))[0]
    return c.prf()


def loaded_matches(matches):
    out = collections.defaultdict(list)
    for m in matches:
        if m["category"] == "loaded" and m["negated"] != "1":
            out[m["doc_id"]].append(m)
    return out


def vocabulary_coverage(cand, y, eg_tok, gold_by, eg_lex, tune):
    """Why a BABE-trained model can or cannot add recall: of the gold loaded spans of the TUNE
    half that the lexicon misses, how many have a content token whose stem BABE has seen, has
    seen marked, and has seen marked in 30% or more of 3 or more occurrences."""
    seen, marked = collections.Counter(), collections.Counter()
    for (_d, t, _f), lab in zip(cand, y):
        seen[t["stem"]] += 1
        marked[t["stem"]] += int(lab)
    n = [0, 0, 0, 0]
    for d in tune:
        lex = [(int(m["char_start"]), int(m["char_end"])) for m in eg_lex.get(d, [])]
        for g in gold_by.get(d, []):
            if overlaps_any(g.start, g.end, lex):
                continue
            stems = [t["stem"] for t in eg_tok.get(d, [])
                     if t["upos"] in CONTENT and t["char_start"] < g.end and g.start < t["char_end"]]
            n[0] += 1
            n[1] += any(seen[s] for s in stems)
            n[2] += any(marked[s] for s in stems)
            n[3] += any(seen[s] >= 3 and marked[s] / seen[s] >= 0.3 for s in stems)
    return (f"== evidence_gold TUNE half: {n[0]} gold loaded spans the lexicon misses; a content stem of "
            f"the span occurs in BABE for {n[1]}, is marked there at least once for {n[2]}, is marked in "
            f">= 30% of >= 3 occurrences for {n[3]}")


def f2(x):
    return f"{x:.2f}"


def prf_cell(t):
    return " / ".join(f2(v) for v in t)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--slant", default=os.path.join(ROOT, "target", "release", "slant"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--c", type=float, default=0.3, help="inverse regularisation strength")
    ap.add_argument("--allsides-docs", type=int, default=400)
    ap.add_argument("--read", type=int, default=50, help="new AllSides spans to print for reading")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--other-cats", choices=["none", "filter", "relabel"], default="filter",
                    help="filter: model spans inside a hedge/distancing/booster/intensifier/attribution match "
                         "are dropped; relabel: also such BABE tokens are negatives in training")
    args = ap.parse_args(argv)
    OTHER["mode"] = args.other_cats

    babe_path = os.path.join(args.data, "babe", "dev.csv.gz")
    gold_dir = os.path.join(args.data, "evidence_gold")
    rows_babe = ve.load_csv(babe_path)
    by_id = {r["id"]: r for r in rows_babe}
    with tempfile.TemporaryDirectory() as tmp:
        babe_tok = slant_tokens(args.slant, babe_path, tmp, "babe")
        babe_matches, _s, _c = ve.run_slant(args.slant, babe_path, tmp)
        babe_lex = lexicon_spans(babe_matches)
        cand = candidates(babe_tok, babe_lex)
        marks = {r["id"]: babe_marks(r) for r in rows_babe}
        y = np.array([overlaps_any(t["char_start"], t["char_end"], marks[d]) for d, t, _f in cand])
        if args.other_cats == "relabel":
            y = y & ~np.array([in_other_category(f) for _d, _t, f in cand])
        groups = np.array([by_id[d]["outlet"] for d, _t, _f in cand])
        biased_row = np.array([by_id[d]["label"] == "biased" for d, _t, _f in cand])
        vec = DictVectorizer()
        X = vec.fit_transform([f for _d, _t, f in cand]).tocsr()
        n_marked_tokens = sum(overlaps_any(t["char_start"], t["char_end"], marks[d])
                              for d, toks in babe_tok.items() for t in toks)
        print(f"settings: C {args.c}, other categories {args.other_cats}")
        print(f"BABE: {len(rows_babe)} sentences, {len(cand)} content tokens, {int(y.sum())} positive "
              f"({n_marked_tokens} marked tokens of any class), {len(set(groups))} outlets, {X.shape[1]} features")
        lex_loaded = loaded_matches(babe_matches)

        print("\n== BABE, CV grouped by outlet (5 folds; threshold from inner grouped folds)")
        print("| train rows | thresholds | token P / R / F1 model | token lexicon | word model | word lexicon | word union |")
        print("|---|---|---|---|---|---|---|")
        cv = {}
        for train_rows in ("all", "biased"):
            cv[train_rows] = r = babe_cv(rows_babe, cand, X, y, groups, biased_row, lex_loaded, args.c, train_rows)
            print(f"| {train_rows} | {', '.join(map(str, r['thresholds']))} | {prf_cell(r['token'])} | "
                  f"{prf_cell(r['token_lex'])} | {prf_cell(r['word_model'])} | {prf_cell(r['word_lexicon'])} "
                  f"| {prf_cell(r['word_union'])} |")

        # ---- evidence_gold: model trained on all of BABE
        articles = ve.load_csv(os.path.join(gold_dir, "articles.csv.gz"))
        split = ve.outlet_split(articles)
        tune, check = split["tune"]["docs"], split["check"]["docs"]
        docs_all = [a["id"] for a in articles]
        gold_rows = [g for g in ve.load_csv(os.path.join(gold_dir, "spans.csv.gz")) if g["cat"] == "loaded"]
        gold_by = collections.defaultdict(list)
        for g in gold_rows:
            gold_by[g["id"]].append(ve.Span(g["id"], int(g["char_start"]), int(g["char_end"]), "loaded", ""))
        eg_path = os.path.join(gold_dir, "articles.csv.gz")
        eg_tok = slant_tokens(args.slant, eg_path, tmp, "eg")
        eg_matches, _s, _c = ve.run_slant(args.slant, eg_path, tmp)
        eg_cand = candidates(eg_tok, lexicon_spans(eg_matches))
        eg_lex = loaded_matches(eg_matches)

        print("\n" + vocabulary_coverage(cand, y, eg_tok, gold_by, eg_lex, tune))
        print("\n== evidence_gold loaded span P / R / F1 (overlap): all | tune | check")
        print("| run | train rows | threshold (chosen on) | all | tune | check |")
        print("|---|---|---|---|---|---|")
        row = lambda name, tr, th, s: print(  # noqa: E731
            f"| {name} | {tr} | {th} | {prf_cell(gold_f1(s, gold_by, docs_all))} | "
            f"{prf_cell(gold_f1(s, gold_by, tune))} | {prf_cell(gold_f1(s, gold_by, check))} |")
        row("lexicon (slant now)", "-", "-", eg_lex)
        final = {}
        for train_rows in ("all", "biased"):
            mask = biased_row if train_rows == "biased" else np.ones(len(y), bool)
            model = fit(X[mask], y[mask], args.c)
            eg_probs = model.predict_proba(vec.transform([f for _d, _t, f in eg_cand]))[:, 1]
            th_babe = best_threshold(y[mask], cv[train_rows]["probs"][mask])
            th_tune_model = max(THRESHOLDS, key=lambda th: gold_f1(model_spans(eg_cand, eg_probs, th), gold_by, tune)[2])
            th_tune_union = max(THRESHOLDS, key=lambda th: gold_f1(
                union(eg_lex, model_spans(eg_cand, eg_probs, th)), gold_by, tune)[2])
            for name, th, src in (("model", th_babe, "BABE OOF"), ("union", th_babe, "BABE OOF"),
                                  ("model", th_tune_model, "EG tune"), ("union", th_tune_union, "EG tune")):
                ms = model_spans(eg_cand, eg_probs, th)
                row(name, train_rows, f"{th} ({src})", ms if name == "model" else union(eg_lex, ms))
            final[train_rows] = (model, th_babe, th_tune_union)
            th_filter = max(FILTER_THRESHOLDS, key=lambda th: (gold_f1(filter_by_model(eg_lex, eg_cand, eg_probs, th),
                                                                       gold_by, tune)[2], -th))
            row("lexicon filtered by model", train_rows, f"{th_filter} (EG tune)",
                filter_by_model(eg_lex, eg_cand, eg_probs, th_filter))
            babe_filtered = [(th, babe_word(rows_babe, filter_by_model(lex_loaded, cand, cv[train_rows]["probs"], th)))
                             for th in FILTER_THRESHOLDS]
            print(f"  lexicon filtered by the model's CV probabilities, BABE word P / R / F1 by threshold (train "
                  f"{train_rows}): " + ", ".join(f"{th}: {prf_cell(v)}" for th, v in babe_filtered))
            curve = [(th, gold_f1(union(eg_lex, model_spans(eg_cand, eg_probs, th)), gold_by, tune))
                     for th in THRESHOLDS[::4]]
            print(f"  union on the TUNE half by threshold (train {train_rows}): "
                  + ", ".join(f"{th}: {prf_cell(v)}" for th, v in curve))

        # ---- AllSides sample: what the union adds
        if args.allsides_docs <= 0:
            return
        rng = random.Random(args.seed)
        with gzip.open(os.path.join(args.data, "allsides_baly2020", "dev.csv.gz"), "rt", encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = reader.fieldnames
            all_rows = list(reader)
        sample = rng.sample(all_rows, min(args.allsides_docs, len(all_rows)))
        as_path = os.path.join(tmp, "allsides_sample.csv")
        with open(as_path, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=fields)
            w.writeheader()
            w.writerows(sample)
        as_tok = slant_tokens(args.slant, as_path, tmp, "as")
        as_matches, _s, _c = ve.run_slant(args.slant, as_path, tmp)
        with open(os.path.join(tmp, "scores.csv"), encoding="utf-8", newline="") as fh:
            n_words = sum(int(s["n_words"]) for s in csv.DictReader(fh))
        as_cand = candidates(as_tok, lexicon_spans(as_matches))
        as_lex = loaded_matches(as_matches)
        texts = {r["id"]: r["text"] for r in sample}
        n_lex = sum(len(v) for v in as_lex.values())
        print(f"\n== AllSides sample ({len(sample)} articles, seed {args.seed}, {n_words} words): "
              f"lexicon {n_lex} loaded matches, {1000 * n_lex / n_words:.2f} per 1,000 words")
        for train_rows in ("all", "biased"):
            model, th_babe, th_tune = final[train_rows]
            probs = model.predict_proba(vec.transform([f for _d, _t, f in as_cand]))[:, 1]
            for th, src in ((th_babe, "BABE OOF"), (th_tune, "EG tune")):
                ms = model_spans(as_cand, probs, th)
                u = union(as_lex, ms)
                added = [m for d in u for m in u[d][len(as_lex.get(d, [])):]]
                print(f"train {train_rows}, threshold {th} ({src}): the model adds {len(added)} spans, "
                      f"{1000 * len(added) / n_words:.2f} per 1,000 words")
                if train_rows == "all" and src == "BABE OOF" and args.read:
                    texts_added = collections.Counter(texts[m['doc_id']][int(m['char_start']):int(m['char_end'])].lower()
                                                      for m in added)
                    print("  most frequent added: " + ", ".join(f"{t} {n}" for t, n in texts_added.most_common(30)))
                    print(f"  {args.read} random added spans (seed {args.seed}), with context:")
                    for m in sorted(rng.sample(added, min(args.read, len(added))), key=lambda m: (m["doc_id"], int(m["char_start"]))):
                        a, b, text = int(m["char_start"]), int(m["char_end"]), texts[m["doc_id"]]
                        ctx = text[max(0, a - 60):a] + "[[" + text[a:b] + "]]" + text[b:b + 60]
                        print(f"    p={m['p']:.2f} " + " ".join(ctx.split()))


if __name__ == "__main__":
    main()
