#!/usr/bin/env python3
"""Construct-level check of slant's scare quotes against PolNeAR attribution content.

PolNeAR (Newell, Margolin & Ruths 2018; ../shared/data/attribution_polnear) marks the
CONTENT of every attribution, partial quotations included ("called the plan a
'disaster'"). A short quotation inside a content span is therefore somebody's words
(speech), not the author's scare quote. This script runs slant on the PolNeAR
articles and reports, by publisher:

- the number of slant `scare_quote` matches and the share lying inside a PolNeAR
  content span (a false-alarm rate measured at scale: not every one of them is
  wrong, a speaker's own scare quote can sit in a content span, but most are speech);
- short quotations (1-4 words, found here with a plain regex over the text) lying
  outside every content span that slant does not flag: candidate misses, or titles,
  names and mentions;
- a reproducible random sample of each kind (default 40, from the tune publishers
  breitbart, huff-post, nyt, politico) printed with context for reading.

Also, with --eg-tune-errors, the distancing false alarms and misses of slant on the
evidence_gold TUNE half only (the check half is never listed: see tuning_log.md).

Usage:
  python3 scripts/validate_scare_quotes.py --slant target/release/slant \
      [--data ../shared/data] [--lexicon models/lexicons/framing.tsv] [--sample 40] \
      [--seed 7] [--json PATH] [--eg-tune-errors]
"""

import argparse
import collections
import json
import os
import random
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate_evidence as ve  # noqa: E402  (run_slant, load_csv, outlet_split)

TUNE_PUBLISHERS = ("breitbart", "huff-post", "nyt", "politico")
CHECK_PUBLISHERS = ("usa-today", "wash-post", "west-journal")
# A quotation on one line: straight or curly double marks, at most 60 characters inside.
QUOTE_RE = re.compile(r'["\u201c]([^"\u201c\u201d\n]{1,60})["\u201d]')
WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019-]*")


def is_scare(m):
    return m["category"] == "distancing" and m["subcategory"] == "scare_quote" and m["negated"] != "1"


def content_spans(rows):
    out = collections.defaultdict(list)
    for r in rows:
        if r["role"] == "content":
            out[r["id"]].append((int(r["char_start"]), int(r["char_end"])))
    return out


def inside(span, spans):
    a, b = span
    return any(s <= a and b <= e for s, e in spans)


def overlapping(span, spans):
    a, b = span
    return any(s < b and a < e for s, e in spans)


def context(text, a, b, width=110):
    left = text[max(0, a - width):a].replace("\n", " ")
    right = text[b:b + width].replace("\n", " ")
    return f"...{left}[[{text[a:b]}]]{right}..."


def short_quotes(text):
    """(start, end) of the inside of 1-4 word quotations (regex, one line)."""
    for m in QUOTE_RE.finditer(text):
        n = len(WORD_RE.findall(m.group(1)))
        if 1 <= n <= 4:
            yield m.start(1), m.end(1)


def polnear(a, extra, wd):
    pn_dir = os.path.join(a.data, "attribution_polnear")
    articles = ve.load_csv(os.path.join(pn_dir, "articles.csv.gz"))
    texts = {x["id"]: x["text"] for x in articles}
    publisher = {x["id"]: x["publisher"] for x in articles}
    content = content_spans(ve.load_csv(os.path.join(pn_dir, "spans.csv.gz")))
    matches, _, _ = ve.run_slant(a.slant, os.path.join(pn_dir, "articles.csv.gz"), wd, extra)
    scare = collections.defaultdict(list)
    for m in matches:
        if is_scare(m):
            scare[m["doc_id"]].append((int(m["char_start"]), int(m["char_end"])))
    table = collections.defaultdict(lambda: collections.Counter())
    flagged_items, missed_items = [], []
    for doc, text in texts.items():
        pub = publisher[doc]
        for span in scare.get(doc, []):
            table[pub]["scare"] += 1
            if inside(span, content.get(doc, [])):
                table[pub]["scare_in_content"] += 1
            elif overlapping(span, content.get(doc, [])):
                table[pub]["scare_overlap_content"] += 1
            flagged_items.append((pub, doc, span, inside(span, content.get(doc, []))))
        for span in short_quotes(text):
            table[pub]["short_quotes"] += 1
            if overlapping(span, scare.get(doc, [])):
                continue
            if inside(span, content.get(doc, [])):
                table[pub]["short_unflagged_in_content"] += 1
            else:
                table[pub]["short_unflagged_outside"] += 1
                missed_items.append((pub, doc, span))
    rows = {}
    for pub in TUNE_PUBLISHERS + CHECK_PUBLISHERS:
        c = table[pub]
        rows[pub] = dict(c, share_in_content=(c["scare_in_content"] / c["scare"]) if c["scare"] else None)
    for name, pubs in (("tune", TUNE_PUBLISHERS), ("check", CHECK_PUBLISHERS), ("all", TUNE_PUBLISHERS + CHECK_PUBLISHERS)):
        c = sum((table[p] for p in pubs), collections.Counter())
        rows[name] = dict(c, share_in_content=(c["scare_in_content"] / c["scare"]) if c["scare"] else None)
    rng = random.Random(a.seed)
    tune_flagged = [x for x in flagged_items if x[0] in TUNE_PUBLISHERS]
    tune_missed = [x for x in missed_items if x[0] in TUNE_PUBLISHERS]
    sample_flagged = rng.sample(tune_flagged, min(a.sample, len(tune_flagged)))
    sample_missed = rng.sample(tune_missed, min(a.sample, len(tune_missed)))
    return {
        "table": rows,
        "sample_flagged": [{"publisher": p, "doc": d, "in_content": ic, "text": texts[d][s:e],
                            "context": context(texts[d], s, e)} for p, d, (s, e), ic in sample_flagged],
        "sample_unflagged_outside": [{"publisher": p, "doc": d, "text": texts[d][s:e],
                                      "context": context(texts[d], s, e)} for p, d, (s, e) in sample_missed],
    }


def eg_tune_errors(a, extra, wd):
    """Distancing false alarms and misses on the evidence_gold tune half only."""
    eg = os.path.join(a.data, "evidence_gold")
    articles = ve.load_csv(os.path.join(eg, "articles.csv.gz"))
    tune = set(ve.outlet_split(articles)["tune"]["docs"])
    texts = {x["id"]: x["text"] for x in articles}
    matches, _, _ = ve.run_slant(a.slant, os.path.join(eg, "articles.csv.gz"), wd, extra)
    pred = collections.defaultdict(list)
    for m in matches:
        if m["category"] == "distancing" and m["negated"] != "1" and m["doc_id"] in tune:
            pred[m["doc_id"]].append((int(m["char_start"]), int(m["char_end"]), m["subcategory"]))
    gold = collections.defaultdict(list)
    for r in ve.load_csv(os.path.join(eg, "spans.csv.gz")):
        if r["cat"] == "distancing" and r["id"] in tune:
            gold[r["id"]].append((int(r["char_start"]), int(r["char_end"]), r["sub"]))
    out = {"false_alarms": [], "misses": [], "hits": 0}
    for doc in sorted(tune):
        ps, gs = pred.get(doc, []), gold.get(doc, [])
        for s, e, sub in ps:
            if any(gs_ < e and s < ge for gs_, ge, _ in gs):
                out["hits"] += 1
            else:
                out["false_alarms"].append({"doc": doc, "sub": sub, "context": context(texts[doc], s, e, 80)})
        for s, e, sub in gs:
            if not any(ps_ < e and s < pe for ps_, pe, _ in ps):
                out["misses"].append({"doc": doc, "sub": sub, "context": context(texts[doc], s, e, 80)})
    return out


def print_report(res):
    print("== slant scare quotes against PolNeAR content spans")
    print("| publisher | slant scare quotes | inside a content span | share | overlapping only |"
          " short quotations (1-4 words) | unflagged, inside content | unflagged, outside content |")
    print("|---|---|---|---|---|---|---|---|")
    for pub, c in res["polnear"]["table"].items():
        share = "–" if c["share_in_content"] is None else f"{c['share_in_content']:.2f}"
        print(f"| {pub} | {c.get('scare', 0)} | {c.get('scare_in_content', 0)} | {share} | "
              f"{c.get('scare_overlap_content', 0)} | {c.get('short_quotes', 0)} | "
              f"{c.get('short_unflagged_in_content', 0)} | {c.get('short_unflagged_outside', 0)} |")
    print("\n== sample of slant scare quotes (tune publishers)")
    for i, x in enumerate(res["polnear"]["sample_flagged"], 1):
        print(f"{i:2d}. [{x['publisher']}{', IN CONTENT' if x['in_content'] else ''}] {x['context']}")
    print("\n== sample of unflagged short quotations outside content spans (tune publishers)")
    for i, x in enumerate(res["polnear"]["sample_unflagged_outside"], 1):
        print(f"{i:2d}. [{x['publisher']}] {x['context']}")
    if "eg_tune" in res:
        t = res["eg_tune"]
        print(f"\n== evidence_gold TUNE half distancing: {t['hits']} matched predictions, "
              f"{len(t['false_alarms'])} false alarms, {len(t['misses'])} misses")
        for x in t["false_alarms"]:
            print(f"FA  [{x['sub']}] {x['context']}")
        for x in t["misses"]:
            print(f"MISS [{x['sub']}] {x['context']}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--slant", default="target/release/slant")
    p.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    p.add_argument("--lexicon", help="framing lexicon passed to slant (measure without rebuilding)")
    p.add_argument("--sides", help="sides lexicon passed to slant")
    p.add_argument("--sample", type=int, default=40)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", help="write everything to this path")
    p.add_argument("--eg-tune-errors", action="store_true",
                   help="also list distancing errors on the evidence_gold tune half")
    a = p.parse_args()
    extra = []
    if a.lexicon:
        extra += ["--lexicon", a.lexicon]
    if a.sides:
        extra += ["--sides", a.sides]
    with tempfile.TemporaryDirectory() as wd:
        os.makedirs(os.path.join(wd, "pn"))
        res = {"polnear": polnear(a, extra, os.path.join(wd, "pn"))}
        if a.eg_tune_errors:
            os.makedirs(os.path.join(wd, "eg"))
            res["eg_tune"] = eg_tune_errors(a, extra, os.path.join(wd, "eg"))
    print_report(res)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump(res, fh, indent=1, ensure_ascii=False)
        print(f"wrote {a.json}")


if __name__ == "__main__":
    main()
