#!/usr/bin/env python3
"""Per-half figures and error listings for the stance categories (hedge,
booster, distancing) on evidence_gold, for tuning on the TUNE half only.

    python3 scripts/stance_errors.py --slant target/release/slant \
        --lexicon models/lexicons/framing.tsv [--show tune] [--cat hedge]

Prints P/R/F1 and doc Spearman for all / tune / check (the split of
scripts/validate_evidence.py), then, for the half given by --show (default
tune: never look at check errors when tuning), every false alarm and miss
with its sentence context.  Standard library only; reuses the scoring code
of validate_evidence.py so the figures are the same.
"""
import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate_evidence as ve  # noqa: E402

CATS = ["hedge", "booster", "distancing"]


def context(text, s, width=90):
    a, b = max(0, s.start - width), min(len(text), s.end + width)
    return (text[a:s.start] + "[[" + text[s.start:s.end] + "]]" + text[s.end:b]).replace("\n", " ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slant", default="target/release/slant")
    ap.add_argument("--lexicon", default="models/lexicons/framing.tsv")
    ap.add_argument("--data", default=os.path.join("..", "shared", "data"))
    ap.add_argument("--show", default="tune", choices=["tune", "check", "none"])
    ap.add_argument("--cat", default=None)
    ap.add_argument("--sub", default=None, help="only errors of this slant/gold subtype")
    a = ap.parse_args()
    eg = os.path.join(a.data, "evidence_gold")
    articles = ve.load_csv(os.path.join(eg, "articles.csv.gz"))
    gold_rows = ve.load_csv(os.path.join(eg, "spans.csv.gz"))
    with tempfile.TemporaryDirectory() as tmp:
        matches, _, _ = ve.run_slant(a.slant, os.path.join(eg, "articles.csv.gz"), tmp, ["--lexicon", a.lexicon])
    texts = {x["id"]: x["text"] for x in articles}
    gold, pred = ve.by_doc(ve.evidence_gold_spans(gold_rows)), ve.by_doc(ve.slant_spans(matches))
    split = ve.outlet_split(articles)
    halves = {"all": [x["id"] for x in articles], "tune": split["tune"]["docs"], "check": split["check"]["docs"]}
    cats = [a.cat] if a.cat else CATS
    comps = [ve.Comparison(c, c, c) for c in cats]
    table = ve.per_doc_counts(comps, halves["all"], pred, gold)
    print("| category | half | P | R | F1 | Spearman | gold | slant |")
    for c in cats:
        for h, docs in halves.items():
            t = ve.total(table[c], docs)
            p, r, f = t.prf()
            rho = ve.doc_spearman(table[c], docs)
            print(f"| {c} | {h} | {p:.3f} | {r:.3f} | {f:.3f} | {rho:.3f} | {t.n_gold} | {t.n_pred} |")
    if a.show == "none":
        return
    for c in comps:
        print(f"\n== {c.name}: errors on the {a.show} half")
        for d in halves[a.show]:
            _, fas, misses = ve.compare(c.preds(pred.get(d, [])), c.golds(gold.get(d, [])))
            for s in fas:
                if a.sub in (None, s.sub):
                    print(f"  FA   {s.sub:18} {d[:8]} {context(texts[d], s)}")
            for s in misses:
                if a.sub in (None, s.sub):
                    print(f"  MISS {s.sub:18} {d[:8]} {context(texts[d], s)}")


if __name__ == "__main__":
    main()
