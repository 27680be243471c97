#!/usr/bin/env python3
"""The slant scoring job done the way a researcher would in plain Python, as a
speed baseline (bench/run_bench.sh runs it on the same corpus as slant).

Per document:
  * regex tokenizer + NLTK Snowball (English) stems;
  * counts of slant's lexicon phrases per category: the pattern column of
    models/lexicons/framing.tsv, each pattern word stemmed with NLTK, matched as
    stem sequences with a dict tuple(stems) -> categories and a sliding window;
  * P(label) from scikit-learn TfidfVectorizer() + LogisticRegression(max_iter=1000)
    (defaults otherwise), fitted once on the first --fit-docs documents of the corpus
    (AllSides left/center/right), then applied to every document in batches.
Reports wall time in total and for the scoring pass alone (total minus the fit);
run_bench.sh compares slant with the scoring-only rate (the kinder one for Python).
Writes a CSV: id, n_words, one count column per category, p_<label> columns.

Simplifications (the baseline does LESS work than slant): patterns with wildcards
(`*`, `word*`), `<num>`, case-sensitive `=Word` or punctuation tokens are skipped, as
are exclusions (`!...`), negation, code-rule categories (named sourcing, quotation,
scare quotes), sentence boundaries, the partisan sides file, evidence offsets and
per-sentence output. Stems are memoised in a dict (a common idiom; `--no-memo` stems
every token), which makes the baseline faster, not slower.

    python3 bench/python_baseline.py /tmp/slant-bench/corpus_100mb.jsonl -o /tmp/slant-bench/py.csv
"""
import argparse
import csv
import json
import os
import re
import sys
import time

from nltk.stem.snowball import SnowballStemmer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
LEXICON = os.path.join(HERE, "..", "models", "lexicons", "framing.tsv")
TOKEN_RE = re.compile(r"[a-z0-9]+(?:['\u2019.\-][a-z0-9]+)*")


def load_patterns(path, stem):
    table, cats, skipped = {}, [], 0
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#") or line.startswith("@"):
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        pattern, cat = fields[0], fields[1]
        if cat not in cats:
            cats.append(cat)
        words = pattern.lower().split()
        if pattern.startswith("!") or any(not re.fullmatch(r"[a-z0-9'\-.]+", w) for w in words):
            skipped += 1
            continue
        key = tuple(stem(w) for w in words)
        table.setdefault(key, [])
        if cat not in table[key]:
            table[key].append(cat)
    return table, cats, skipped


def read_jsonl(path, text_field):
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            yield d


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="JSONL corpus (bench/make_corpus.py)")
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--text-field", default="text")
    ap.add_argument("--label-field", default="label")
    ap.add_argument("--fit-docs", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--no-memo", action="store_true", help="stem every token (no dict of stems)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    stemmer = SnowballStemmer("english")
    if args.no_memo:
        stem = stemmer.stem
    else:
        memo = {}

        def stem(w):
            s = memo.get(w)
            if s is None:
                s = memo[w] = stemmer.stem(w)
            return s

    table, cats, skipped = load_patterns(LEXICON, stem)
    max_len = max(len(k) for k in table)
    cat_idx = {c: i for i, c in enumerate(cats)}

    # Fit the classifier once on the first --fit-docs documents.
    fit_texts, fit_labels = [], []
    for d in read_jsonl(args.corpus, args.text_field):
        fit_texts.append(d[args.text_field])
        fit_labels.append(d[args.label_field])
        if len(fit_texts) >= args.fit_docs:
            break
    vec = TfidfVectorizer()
    clf = LogisticRegression(max_iter=1000)
    clf.fit(vec.fit_transform(fit_texts), fit_labels)
    labels = list(clf.classes_)
    t_fit = time.perf_counter() - t0

    n_docs = text_bytes = 0
    with open(args.out, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(["id", "n_words"] + [f"n_{c}" for c in cats] + [f"p_{l}" for l in labels])
        batch = []

        def flush():
            texts = [d[args.text_field] for d in batch]
            probs = clf.predict_proba(vec.transform(texts))
            for d, text, p in zip(batch, texts, probs):
                stems = [stem(t) for t in TOKEN_RE.findall(text.lower())]
                counts = [0] * len(cats)
                n = len(stems)
                for i in range(n):
                    for L in range(1, max_len + 1):
                        if i + L > n:
                            break
                        hit = table.get(tuple(stems[i:i + L]))
                        if hit:
                            for c in hit:
                                counts[cat_idx[c]] += 1
                w.writerow([d.get("id", ""), n] + counts + [f"{x:.6f}" for x in p])
            batch.clear()

        for d in read_jsonl(args.corpus, args.text_field):
            batch.append(d)
            n_docs += 1
            text_bytes += len(d[args.text_field].encode("utf-8"))
            if len(batch) >= args.batch:
                flush()
        if batch:
            flush()
    wall = time.perf_counter() - t0
    score_s = wall - t_fit
    print(json.dumps({"n_docs": n_docs, "text_bytes": text_bytes, "wall_s": round(wall, 3), "fit_s": round(t_fit, 3),
                      "score_s": round(score_s, 3), "mb_per_s_total": round(text_bytes / 1e6 / wall, 4),
                      "mb_per_s_score": round(text_bytes / 1e6 / score_s, 4), "docs_per_s_score": round(n_docs / score_s, 2),
                      "patterns_used": len(table), "patterns_skipped": skipped, "memo": not args.no_memo}))


if __name__ == "__main__":
    main()
