#!/usr/bin/env python3
"""Validate slant's `loaded` category against BABE's annotated biased words, and list the most
frequent loaded matches on real news (AllSides) to expose neutral/topical false alarms.

Data (read-only, not shipped; see ../shared/data/README.md):
  babe/dev.csv.gz               BABE (Spinde et al. 2021, Findings of EMNLP): 2,911 news
                                sentences from US outlets, labelled biased / non-biased by
                                expert annotators (majority vote), with `biased_words`, the
                                words the annotators marked as biased (a Python-list string).
  allsides_baly2020/dev.csv.gz  3,548 news articles (Baly et al. 2020): no word annotation;
                                used only to see what the loaded category matches at scale.
  evidence_gold/                30 annotated articles; optional per-entry figures on the TUNE
                                half only (the check half is left for judging changes).

What the BABE figures mean (read before quoting them):
  * BABE's unit of annotation is the sentence.  Annotators who judged a sentence biased marked
    the words that made it so; the words of the dataset are collected over annotators, so a
    sentence the majority called non-biased can still carry marked words (176 in this file),
    and a biased sentence can have none (142).  Words are marked where they carry bias IN THAT
    SENTENCE, which includes topical words used one-sidedly ("aliens", "regime"), loaded
    reporting verbs ("claimed", which slant files under attribution/loaded, not loaded) and
    intensifiers ("dramatically").  Evaluative words in sentences no annotator found biased
    are never marked.
  * Word-level precision therefore is a LOWER bound on how often a loaded match is evaluative
    language: a match on a real evaluative word that nobody marked counts as a false alarm.
    Word-level recall is an UPPER-bound-free measure of coverage of what readers felt was
    biased, including word classes slant puts in other categories (see --with-attribution).
  * Overlap matching: a slant loaded span is correct when it overlaps an occurrence (case-
    insensitive, whole word) of a word annotated for that sentence; an annotated word is
    found when any of its occurrences in the sentence overlaps a loaded span.  Annotated
    words that do not occur in the sentence text (typos in the annotation) are left out of
    recall and counted.
  * Sentence level: a sentence is predicted biased when it has at least one counted loaded
    match; compared with the `label` column (precision/recall/F1 of the biased class).
  * Outlet leaning is the dataset's `outlet_leaning` column; rows where it is empty take the
    leaning the same outlet has elsewhere in the file, else "unlabelled".
  * The label is strongly confounded with outlet (README of the data): read per-leaning rows.

Per-entry figures (`--entries FILE`): for every lexicon line of the loaded category, its match
count and BABE word precision, its AllSides match count, and (with --gold-tune) matches and
correct matches on the evidence_gold TUNE articles.  Keep/drop decisions are taken on these
counts over many occurrences, never on one sentence.

Usage:
  python3 scripts/validate_loaded_babe.py --slant target/release/slant \\
      --lexicon models/lexicons/framing.tsv [--entries out.csv] [--gold-tune] [--top 40]

Standard library only; all figures are deterministic.
"""
from __future__ import annotations

import argparse
import ast
import collections
import csv
import gzip
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import validate_evidence as ve  # noqa: E402  (shared loaders and the tune/check split)

csv.field_size_limit(1 << 30)
STRIP = "\"'“”‘’.,;:!?()[]"


def fail(msg):
    sys.exit(f"validate_loaded_babe: {msg}")


def run_slant(slant, data, workdir, lexicon):
    extra = ["--lexicon", lexicon] if lexicon else []
    rows, _sources, _cmd = ve.run_slant(slant, data, workdir, extra)
    return rows


def counted(matches, cats):
    """Counted (not negated) matches of the given (category, subcategory|None) pairs."""
    out = collections.defaultdict(list)
    for m in matches:
        if m["negated"] == "1":
            continue
        if any(m["category"] == c and s in (None, m["subcategory"]) for c, s in cats):
            out[m["doc_id"]].append(m)
    return out


def fill_leaning(rows):
    known = collections.defaultdict(collections.Counter)
    for r in rows:
        if r["outlet_leaning"]:
            known[r["outlet"]][r["outlet_leaning"]] += 1
    for r in rows:
        lean = r["outlet_leaning"]
        if not lean:
            c = known.get(r["outlet"])
            lean = c.most_common(1)[0][0] if c else "unlabelled"
        r["leaning"] = lean


def word_occurrences(text, word):
    """Character spans of a whole-word, case-insensitive occurrence of an annotated word."""
    w = word.strip(STRIP)
    if not w:
        return []
    pat = re.compile(r"(?<![\w])" + re.escape(w) + r"(?![\w])", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pat.finditer(text)]


class Tally:
    def __init__(self):
        self.pred = self.correct = self.gold = self.found = 0
        self.unlocated = 0
        self.sent = collections.Counter()  # tp fp fn tn

    def add(self, other):
        for k in ("pred", "correct", "gold", "found", "unlocated"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.sent.update(other.sent)

    @staticmethod
    def prf(correct, pred, found, gold):
        p = correct / pred if pred else 0.0
        r = found / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def word(self):
        return self.prf(self.correct, self.pred, self.found, self.gold)

    def sentence(self):
        s = self.sent
        return self.prf(s["tp"], s["tp"] + s["fp"], s["tp"], s["tp"] + s["fn"])


def score_sentence(row, spans, rule_stats):
    """One BABE sentence: word-level overlap counts, sentence decision, per-rule credit."""
    t = Tally()
    text = row["text"]
    try:
        words = ast.literal_eval(row["biased_words"] or "[]")
    except (ValueError, SyntaxError):
        words = []
    occ = {}
    for w in words:
        key = w.strip(STRIP).lower()
        if not key or key in occ:
            continue
        spots = word_occurrences(text, key)
        if spots:
            occ[key] = spots
        else:
            t.unlocated += 1
    all_spots = [s for spots in occ.values() for s in spots]
    for m in spans:
        a, b = int(m["char_start"]), int(m["char_end"])
        hit = any(a < e and s < b for s, e in all_spots)
        t.pred += 1
        t.correct += hit
        st = rule_stats[m["rule_line"]]
        st["rule"] = m["rule"]
        st["babe_n"] += 1
        st["babe_ok"] += hit
        st["texts"][m["matched_text"].lower()] += 1
    t.gold = len(occ)
    t.found = sum(any(int(m["char_start"]) < e and s < int(m["char_end"]) for m in spans for s, e in spots)
                  for spots in occ.values())
    predicted, biased = bool(spans), row["label"] == "biased"
    t.sent[("tp" if biased else "fp") if predicted else ("fn" if biased else "tn")] += 1
    return t


def new_rule_stat():
    return {"rule": "", "babe_n": 0, "babe_ok": 0, "allsides_n": 0, "gold_n": 0, "gold_ok": 0,
            "texts": collections.Counter(), "allsides_texts": collections.Counter()}


def babe_block(rows, by_id, rule_stats):
    overall, lean, outlet = Tally(), collections.defaultdict(Tally), collections.defaultdict(Tally)
    for r in rows:
        t = score_sentence(r, by_id.get(r["id"], []), rule_stats)
        overall.add(t)
        lean[r["leaning"]].add(t)
        outlet[r["outlet"]].add(t)
    return overall, lean, outlet


def f2(x):
    return f"{x:.2f}"


def babe_table(title, overall, lean, outlet):
    out = [f"== BABE word level and sentence level: {title}",
           "| rows | sentences | loaded spans | word P | word R | word F1 | annotated words (found) "
           "| sentence P | sentence R | sentence F1 |",
           "|---|---|---|---|---|---|---|---|---|---|"]

    def row(label, t):
        p, r, f = t.word()
        sp, sr, sf = t.sentence()
        n = sum(t.sent.values())
        out.append(f"| {label} | {n} | {t.pred} | {f2(p)} | {f2(r)} | {f2(f)} | {t.gold} ({t.found}) "
                   f"| {f2(sp)} | {f2(sr)} | {f2(sf)} |")

    row("**all**", overall)
    for k in sorted(lean):
        row(f"leaning {k}", lean[k])
    for k in sorted(outlet, key=lambda o: -sum(outlet[o].sent.values())):
        row(k, outlet[k])
    out.append(f"(annotated words not found in their sentence text, left out of recall: {overall.unlocated})")
    return out


def allsides_block(matches, rule_stats, top, scores):
    texts = collections.Counter()
    for ms in matches.values():
        for m in ms:
            texts[m["matched_text"].lower()] += 1
            st = rule_stats[m["rule_line"]]
            st["rule"] = m["rule"]
            st["allsides_n"] += 1
            st["allsides_texts"][m["matched_text"].lower()] += 1
    n_words = sum(int(s["n_words"]) for s in scores)
    total = sum(texts.values())
    out = [f"== AllSides ({len(scores)} articles, {n_words} words): {total} loaded matches, "
           f"{1000 * total / max(n_words, 1):.2f} per 1,000 words; the {top} most frequent:"]
    out += [f"  {n:6d}  {t}" for t, n in texts.most_common(top)]
    return out


def gold_tune_block(slant, data, lexicon, rule_stats, workdir):
    """Per-entry counts on the evidence_gold TUNE half only (the check half is not looked at)."""
    gold_dir = os.path.join(data, "evidence_gold")
    articles = ve.load_csv(ve.require(os.path.join(gold_dir, "articles.csv.gz"), "evidence_gold articles"))
    tune = set(ve.outlet_split(articles)["tune"]["docs"])
    gold = [g for g in ve.load_csv(os.path.join(gold_dir, "spans.csv.gz")) if g["cat"] == "loaded"]
    gold_by = collections.defaultdict(list)
    for g in gold:
        gold_by[g["id"]].append((int(g["char_start"]), int(g["char_end"])))
    matches = run_slant(slant, os.path.join(gold_dir, "articles.csv.gz"), workdir, lexicon)
    n = ok = 0
    for m in matches:
        if m["category"] != "loaded" or m["negated"] == "1" or m["doc_id"] not in tune:
            continue
        a, b = int(m["char_start"]), int(m["char_end"])
        hit = any(a < e and s < b for s, e in gold_by[m["doc_id"]])
        st = rule_stats[m["rule_line"]]
        st["rule"] = m["rule"]
        st["gold_n"] += 1
        st["gold_ok"] += hit
        n += 1
        ok += hit
    return [f"== evidence_gold TUNE half ({len(tune)} articles): {n} loaded matches, {ok} on a gold loaded span"]


def write_entries(path, rule_stats):
    def line_no(k):
        try:
            return int(k.rsplit(":", 1)[1])
        except (IndexError, ValueError):
            return 0

    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["rule_line", "rule", "babe_n", "babe_ok", "babe_precision", "allsides_n",
                    "gold_tune_n", "gold_tune_ok", "babe_top_texts", "allsides_top_texts"])
        for k in sorted(rule_stats, key=line_no):
            s = rule_stats[k]
            prec = f"{s['babe_ok'] / s['babe_n']:.3f}" if s["babe_n"] else ""
            tops = ["; ".join(f"{t} {c}" for t, c in s[key].most_common(5))
                    for key in ("texts", "allsides_texts")]
            w.writerow([k, s["rule"], s["babe_n"], s["babe_ok"], prec, s["allsides_n"],
                        s["gold_n"], s["gold_ok"], *tops])


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--slant", default=os.path.join(ROOT, "target", "release", "slant"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--lexicon", help="framing lexicon to measure (default: the one built in)")
    ap.add_argument("--with-attribution", action="store_true",
                    help="also report loaded + attribution/loaded (BABE marks loaded reporting verbs)")
    ap.add_argument("--no-allsides", action="store_true", help="skip the AllSides frequency list")
    ap.add_argument("--gold-tune", action="store_true",
                    help="per-entry counts on the evidence_gold tune half (needs --entries to be useful)")
    ap.add_argument("--entries", help="write per-entry (lexicon line) figures to this CSV")
    ap.add_argument("--top", type=int, default=40, help="how many frequent AllSides matches to list")
    return ap.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    babe_path = ve.require(os.path.join(args.data, "babe", "dev.csv.gz"), "BABE data")
    if not os.path.exists(args.slant):
        fail(f"slant binary not found: {args.slant} (cargo build --release)")
    rows = ve.load_csv(babe_path)
    fill_leaning(rows)
    rule_stats = collections.defaultdict(new_rule_stat)
    with tempfile.TemporaryDirectory() as tmp:
        matches = run_slant(args.slant, babe_path, tmp, args.lexicon)
        report = []
        loaded = counted(matches, [("loaded", None)])
        report += babe_table("loaded", *babe_block(rows, loaded, rule_stats))
        if args.with_attribution:
            both = counted(matches, [("loaded", None), ("attribution", "loaded")])
            report += babe_table("loaded + attribution/loaded", *babe_block(rows, both,
                                                                           collections.defaultdict(new_rule_stat)))
        if not args.no_allsides:
            allsides = ve.require(os.path.join(args.data, "allsides_baly2020", "dev.csv.gz"), "AllSides data")
            am = run_slant(args.slant, allsides, tmp, args.lexicon)
            with open(os.path.join(tmp, "scores.csv"), encoding="utf-8", newline="") as fh:
                scores = list(csv.DictReader(fh))
            report += allsides_block(counted(am, [("loaded", None)]), rule_stats, args.top, scores)
        if args.gold_tune:
            report += gold_tune_block(args.slant, args.data, args.lexicon, rule_stats, tmp)
    print("\n".join(report))
    if args.entries:
        write_entries(args.entries, rule_stats)
        print(f"wrote {args.entries}")


if __name__ == "__main__":
    main()
