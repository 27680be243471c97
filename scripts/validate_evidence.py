#!/usr/bin/env python3
"""Validate slant's evidence spans (the --matches file) against gold span annotations.

Datasets (read-only, not shipped; see ../shared/data/README.md):
  evidence_gold/          30 news articles, framing cues marked by careful reading
                          (guidelines.md there): hedge, distancing, booster,
                          intensifier, attribution, source, loaded, side.
  attribution_polnear/    PolNeAR (Newell, Margolin & Ruths 2018): attribution
                          relations (source / cue / content) in 924 articles of
                          7 US outlets, plus a second annotator on a few of them.

Protocol (all figures are deterministic):
  * Overlap matching: a slant span is correct when it overlaps (>= 1 char) a
    gold span of the same category; a gold span is found when a slant span of
    that category overlaps it.  P = correct / slant spans, R = found / gold.
  * Only counted matches are compared: negated matches are dropped, as slant
    drops them from its counts.  Mapping: sourcing -> source; side_<dim>
    mentions -> side and side:<dim>; side_*_statement rows (statements, not
    mention spans) and quotation (not a gold category) are not scored.
  * Macro F1 over hedge, distancing, booster, attribution, source, loaded.
  * Doc-level Spearman (average ranks for ties) between slant's per-article
    span count and the gold count.
  * 95% bootstrap interval over articles (1000 resamples, fixed seed,
    percentiles with linear interpolation) for every F1 and the macro F1.
  * Tune/check split of the gold articles grouped by outlet: outlets sorted by
    name, alternately assigned to "tune" and "check".  Tune rules on one half,
    judge the change on the other.

Usage:
  python3 scripts/validate_evidence.py --slant target/release/slant \\
      --write-doc docs/VALIDATION.md --figures-csv docs/evidence_figures.csv

Exits non-zero when the data or the binary is missing or slant fails.
Standard library only.
"""
from __future__ import annotations

import argparse
import collections
import csv
import dataclasses
import datetime
import gzip
import io
import json
import math
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

CORE = ["hedge", "distancing", "booster", "attribution", "source", "loaded"]
SIDE_DIMS = ["party", "ideology", "stance"]
CATEGORIES = CORE[:3] + ["intensifier"] + CORE[3:] + ["side"] + [f"side:{d}" for d in SIDE_DIMS]
ERROR_CATEGORIES = CATEGORIES[:8]
SUBTYPES = {
    "source": ["named", "anonymous", "vague"],
    "attribution": ["neutral", "loaded"],
    "side:party": ["party_democratic", "party_republican"],
    "side:ideology": ["ideology_liberal", "ideology_conservative"],
    "side:stance": ["stance_supporters", "stance_critics"],
}
SLANT_TO_GOLD = {"sourcing": "source"}
POLNEAR_ROLES = {"cue": "attribution", "source": "source"}
# Pronoun-only PolNeAR sources: slant (like the evidence_gold guidelines) does not mark them.
PRONOUNS = {"i", "me", "we", "us", "you", "he", "him", "she", "her", "it", "they", "them",
            "who", "which", "that", "this", "these", "those", "one", "himself", "herself",
            "themselves", "itself", "myself", "ourselves"}
SEED = 20240601
REPS = 1000
TOP = 10
BEGIN, END = "<!-- evidence:begin -->", "<!-- evidence:end -->"

csv.field_size_limit(1 << 30)


@dataclasses.dataclass(frozen=True)
class Span:
    doc: str
    start: int
    end: int
    cat: str
    sub: str


@dataclasses.dataclass
class Counts:
    """Overlap-matching tallies; additive, so any set of articles is a sum of per-article Counts."""
    n_pred: int = 0
    correct: int = 0
    n_gold: int = 0
    found: int = 0

    def __add__(self, other):
        return Counts(self.n_pred + other.n_pred, self.correct + other.correct,
                      self.n_gold + other.n_gold, self.found + other.found)

    def prf(self):
        p = self.correct / self.n_pred if self.n_pred else 0.0
        r = self.found / self.n_gold if self.n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclasses.dataclass(frozen=True)
class Comparison:
    """Which slant spans are compared with which gold spans; sub None = any subtype."""
    name: str
    pred_cat: str
    gold_cat: str
    pred_sub: str | None = None
    gold_sub: str | None = None

    def preds(self, spans):
        return [s for s in spans if s.cat == self.pred_cat and self.pred_sub in (None, s.sub)]

    def golds(self, spans):
        return [s for s in spans if s.cat == self.gold_cat and self.gold_sub in (None, s.sub)]


# ------------------------------------------------------------------ input
def fail(msg):
    sys.exit(f"validate_evidence: {msg}")


def require(path, what):
    if not os.path.exists(path):
        fail(f"{what} not found: {path}")
    return path


def load_csv(path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def run_slant(slant, articles, workdir, extra=()):
    """Score one articles file; --raw-text keeps ids free of the spreadsheet guard.

    `extra` holds --lexicon/--sides when an edited lexicon is measured
    without rebuilding the binary."""
    matches = os.path.join(workdir, "matches.csv")
    sources = os.path.join(workdir, "sources.csv")
    cmd = [slant, "score", articles, "--id-col", "id", "--text-col", "text", "--raw-text",
           "-o", os.path.join(workdir, "scores.csv"), "--matches", matches, "--sources", sources, "-q", *extra]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as exc:
        fail(f"cannot run {slant}: {exc}")
    if proc.returncode != 0:
        fail(f"slant failed ({proc.returncode}): {shlex.join(cmd)}\n{proc.stderr[-4000:]}")
    with open(matches, encoding="utf-8", newline="") as fh:
        match_rows = list(csv.DictReader(fh))
    with open(sources, encoding="utf-8", newline="") as fh:
        source_rows = list(csv.DictReader(fh))
    return match_rows, source_rows, cmd


def slant_spans(rows):
    """Map counted slant matches onto gold categories (see the module docstring)."""
    out = []
    for m in rows:
        if m["negated"] == "1":
            continue
        cat, sub = m["category"], m["subcategory"]
        doc, start, end = m["doc_id"], int(m["char_start"]), int(m["char_end"])
        if cat.startswith("side_"):
            dim = cat[len("side_"):]
            if dim in SIDE_DIMS:
                out += [Span(doc, start, end, c, f"{dim}_{sub}") for c in ("side", f"side:{dim}")]
        elif cat != "quotation":
            out.append(Span(doc, start, end, SLANT_TO_GOLD.get(cat, cat), sub))
    return out


def evidence_gold_spans(rows):
    """Gold spans; each side span is also filed under its dimension (side:party, ...)."""
    out = []
    for r in rows:
        span = Span(r["id"], int(r["char_start"]), int(r["char_end"]), r["cat"], r["sub"])
        out.append(span)
        if span.cat == "side":
            out.append(dataclasses.replace(span, cat="side:" + span.sub.split("_")[0]))
    return out


def polnear_spans(rows, texts):
    """Cue and source spans, deduplicated (one source span may serve several attributions).

    Sources are subtyped 'pronoun' or 'noun' so recall can also be read without pronouns.
    """
    seen = set()
    for r in rows:
        cat = POLNEAR_ROLES.get(r["role"])
        if cat is None:
            continue
        doc, start, end = r["id"], int(r["char_start"]), int(r["char_end"])
        sub = ""
        if cat == "source":
            sub = "pronoun" if texts[doc][start:end].strip().lower() in PRONOUNS else "noun"
        seen.add(Span(doc, start, end, cat, sub))
    return sorted(seen, key=lambda s: (s.doc, s.start, s.end, s.cat))


def by_doc(spans):
    out = collections.defaultdict(list)
    for s in spans:
        out[s.doc].append(s)
    return out


# ---------------------------------------------------------------- scoring
def overlaps(a, b):
    return a.start < b.end and b.start < a.end


def compare(preds, golds):
    """Counts plus the unmatched spans on both sides, for one article."""
    false_alarms = [p for p in preds if not any(overlaps(p, g) for g in golds)]
    misses = [g for g in golds if not any(overlaps(g, p) for p in preds)]
    counts = Counts(len(preds), len(preds) - len(false_alarms), len(golds), len(golds) - len(misses))
    return counts, false_alarms, misses


def per_doc_counts(comparisons, docs, pred_by_doc, gold_by_doc):
    """{comparison name: {doc: Counts}}, the basis of every figure below."""
    return {c.name: {d: compare(c.preds(pred_by_doc.get(d, [])), c.golds(gold_by_doc.get(d, [])))[0]
                     for d in docs} for c in comparisons}


def total(doc_counts, docs):
    return sum((doc_counts[d] for d in docs), Counts())


def f1_or_none(counts):
    """F1 is undefined for a resample without any gold span of the category."""
    return counts.prf()[2] if counts.n_gold else None


def macro(table, docs):
    f1s = [f1_or_none(total(table[c], docs)) for c in CORE]
    return None if None in f1s else sum(f1s) / len(f1s)


def ranks(values):
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(xs, ys):
    """Pearson correlation of the ranks; None when either side is constant."""
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else None


def doc_spearman(doc_counts, docs):
    return spearman([doc_counts[d].n_pred for d in docs], [doc_counts[d].n_gold for d in docs])


def percentile(sorted_vals, q):
    pos = q * (len(sorted_vals) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_vals) - 1)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (pos - lo)


def bootstrap(table, docs, names):
    """95% intervals of each named F1 and of the macro F1, resampling whole articles."""
    rng = random.Random(SEED)
    draws = {n: [] for n in list(names) + ["macro"]}
    for _ in range(REPS):
        sample = rng.choices(docs, k=len(docs))
        for n in names:
            f = f1_or_none(total(table[n], sample))
            if f is not None:
                draws[n].append(f)
        m = macro(table, sample)
        if m is not None:
            draws["macro"].append(m)
    return {n: {"lo": percentile(sorted(v), 0.025), "hi": percentile(sorted(v), 0.975), "reps": len(v)}
            for n, v in draws.items()}


def cue_text(texts, span):
    """Lowercased span text, whitespace collapsed, cut to five words (a cue, never a sentence)."""
    words = texts[span.doc][span.start:span.end].lower().split()
    return " ".join(words[:5]) + (" …" if len(words) > 5 else "")


def top_errors(comparisons, docs, pred_by_doc, gold_by_doc, texts):
    out = {}
    for c in comparisons:
        fa, miss = collections.Counter(), collections.Counter()
        for d in docs:
            _, f, m = compare(c.preds(pred_by_doc.get(d, [])), c.golds(gold_by_doc.get(d, [])))
            fa.update(cue_text(texts, s) for s in f)
            miss.update(cue_text(texts, s) for s in m)
        out[c.name] = {"false_alarms": sorted(fa.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP],
                       "misses": sorted(miss.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]}
    return out


def figures(counts):
    p, r, f = counts.prf()
    return {"precision": p, "recall": r, "f1": f, **dataclasses.asdict(counts)}


# ------------------------------------------------------- evidence_gold
def evidence_comparisons():
    comps = [Comparison(c, c, c) for c in CATEGORIES]
    for parent, subs in SUBTYPES.items():
        for sub in subs:
            comps.append(Comparison(f"{parent}/{sub}", parent, parent, sub, sub))
            comps.append(Comparison(f"{parent}/{sub} (any)", parent, parent, None, sub))
    return comps


def outlet_split(articles):
    """Outlets sorted by name, alternately tune/check: deterministic and grouped by outlet."""
    outlets = sorted({a["source"] for a in articles})
    half = {o: ("tune", "check")[i % 2] for i, o in enumerate(outlets)}
    return {h: {"outlets": [o for o in outlets if half[o] == h],
                "docs": [a["id"] for a in articles if half[a["source"]] == h]} for h in ("tune", "check")}


def evaluate_evidence(articles, gold_rows, matches):
    docs = [a["id"] for a in articles]
    texts = {a["id"]: a["text"] for a in articles}
    gold, pred = by_doc(evidence_gold_spans(gold_rows)), by_doc(slant_spans(matches))
    comps = evidence_comparisons()
    table = per_doc_counts(comps, docs, pred, gold)
    ci = bootstrap(table, docs, CATEGORIES)
    cats = {c: {**figures(total(table[c], docs)), "f1_ci": [ci[c]["lo"], ci[c]["hi"]],
                "spearman": doc_spearman(table[c], docs)} for c in CATEGORIES}
    subtypes = {}
    for parent, subs in SUBTYPES.items():
        for sub in subs:
            typed = figures(total(table[f"{parent}/{sub}"], docs))
            subtypes[f"{parent}/{sub}"] = {**typed, "recall_any": total(table[f"{parent}/{sub} (any)"], docs).prf()[1]}
    split = {h: {"outlets": part["outlets"], "n_articles": len(part["docs"]),
                 "f1": {c: total(table[c], part["docs"]).prf()[2] for c in CATEGORIES},
                 "n_gold": {c: total(table[c], part["docs"]).n_gold for c in CATEGORIES},
                 "macro_f1": macro(table, part["docs"])}
             for h, part in outlet_split(articles).items()}
    return {"n_articles": len(docs), "n_gold_spans": len(gold_rows), "categories": cats,
            "source_confusion": source_confusion(docs, pred, gold),
            "statements": {"all": side_statements(gold_rows, matches, docs),
                           **{h: side_statements(gold_rows, matches, part["docs"])
                              for h, part in outlet_split(articles).items()}},
            "macro_f1": macro(table, docs), "macro_f1_ci": [ci["macro"]["lo"], ci["macro"]["hi"]],
            "bootstrap": {"reps": REPS, "seed": SEED, "valid_reps": {n: v["reps"] for n, v in ci.items()}},
            "subtypes": subtypes, "split": split,
            "errors": top_errors([c for c in comps if c.name in ERROR_CATEGORIES], docs, pred, gold, texts)}


SOURCE_TYPES = ["named", "anonymous", "vague"]


def source_confusion(docs, pred, gold):
    """Gold source type (rows) against the type of the slant source span overlapping it (first by
    position), 'missed' when none does; 'false alarm' counts slant spans overlapping no gold source."""
    table = {g: collections.Counter() for g in SOURCE_TYPES}
    false_alarms = collections.Counter()
    for d in docs:
        ps = sorted((s for s in pred.get(d, []) if s.cat == "source"), key=lambda s: (s.start, s.end))
        gs = [s for s in gold.get(d, []) if s.cat == "source"]
        for g in gs:
            hit = next((p for p in ps if overlaps(p, g)), None)
            table.setdefault(g.sub, collections.Counter())[hit.sub if hit else "missed"] += 1
        for p in ps:
            if not any(overlaps(p, g) for g in gs):
                false_alarms[p.sub] += 1
    return {"rows": {g: dict(c) for g, c in table.items()}, "false_alarms": dict(false_alarms)}


def side_statements(gold_rows, matches, docs):
    """Statements attributed to a side: gold side spans marked `statement` against slant's
    side_<dim>_statement rows (overlap; 'typed' also needs the same dimension and side)."""
    gold = by_doc(Span(r["id"], int(r["char_start"]), int(r["char_end"]), "statement", r["sub"])
                  for r in gold_rows if r["cat"] == "side" and r["statement"] in ("1", "true", "True"))
    pred = by_doc(Span(m["doc_id"], int(m["char_start"]), int(m["char_end"]), "statement",
                       m["category"][len("side_"):-len("_statement")] + "_" + m["subcategory"])
                  for m in matches if m["category"].startswith("side_") and m["category"].endswith("_statement")
                  and m["negated"] != "1")
    any_side, typed = Counts(), Counts()
    for d in docs:
        ps, gs = pred.get(d, []), gold.get(d, [])
        any_side += compare(ps, gs)[0]
        same = Counts(len(ps), sum(any(overlaps(p, g) and p.sub == g.sub for g in gs) for p in ps),
                      len(gs), sum(any(overlaps(p, g) and p.sub == g.sub for p in ps) for g in gs))
        typed += same
    return {"any_side": figures(any_side), "same_side": figures(typed)}


SIDE_DIMENSIONS = {"party": ("democratic", "republican"), "ideology": ("liberal", "conservative"),
                   "stance": ("supporters", "critics")}


def kappa(tp, fp, fn, tn):
    """Cohen's kappa of two binary codings (None when chance agreement is 1)."""
    n = tp + fp + fn + tn
    if n == 0:
        return None
    observed = (tp + tn) / n
    expected = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def one_sided(present, quoted):
    """slant's `<dim>_one_sided` definition (codebook) from two sides' present / quoted flags:
    None when neither side appears."""
    if not any(present):
        return None
    if not all(present):
        return 1
    return 1 if quoted[0] != quoted[1] else 0


def article_sides(gold_rows, scores):
    """Per article and side: is the side present (any gold side span of it / slant
    `<dim>_<side>_mentions_n` > 0), is it given a statement (a gold side span of it marked
    `statement` / `<dim>_<side>_statements_n` > 0), and the one-sided flag derived from both the same
    way (slant's own `<dim>_one_sided` column against the flag computed from the gold)."""
    gold = collections.defaultdict(set)
    for r in gold_rows:
        if r["cat"] == "side":
            gold[r["id"]].add(("present", r["sub"]))
            if r["statement"] in ("1", "true", "True"):
                gold[r["id"]].add(("quoted", r["sub"]))
    out = {}
    for dim, sides in SIDE_DIMENSIONS.items():
        res = {}
        for what, col in (("present", "mentions_n"), ("quoted", "statements_n")):
            tp = fp = fn = tn = 0
            for row in scores:
                for side in sides:
                    g = (what, f"{dim}_{side}") in gold[row["doc_id"]]
                    p = float(row.get(f"{dim}_{side}_{col}") or 0) > 0
                    tp, fp, fn, tn = tp + (g and p), fp + (p and not g), fn + (g and not p), tn + (not g and not p)
            res[what] = {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "kappa": kappa(tp, fp, fn, tn),
                         "precision": tp / (tp + fp) if tp + fp else None, "recall": tp / (tp + fn) if tp + fn else None}
        agree = both = gold_one = slant_one = 0
        for row in scores:
            # (present or quoted, as slant counts a side present with a mention or a statement)
            g = one_sided([("present", f"{dim}_{s}") in gold[row["doc_id"]]
                           or ("quoted", f"{dim}_{s}") in gold[row["doc_id"]] for s in sides],
                          [("quoted", f"{dim}_{s}") in gold[row["doc_id"]] for s in sides])
            cell = row.get(f"{dim}_one_sided", "")
            p = None if cell == "" else int(float(cell))
            if g is not None and p is not None:
                both += 1
                agree += g == p
                gold_one += g
                slant_one += p
        res["one_sided"] = {"articles": both, "agree": agree, "gold_1": gold_one, "slant_1": slant_one}
        out[dim] = res
    return out


def article_sides_lines(ev):
    sides = ev["article_sides"]
    rows = ["| dimension | side present: P / R / kappa (gold positives) | given a statement: P / R / kappa "
            "(TP FP FN) | one-sided flag: agreement (articles where both define it; gold 1 / slant 1) |",
            "|---|---|---|---|"]
    for dim, r in sides.items():
        pr, qu, one = r["present"], r["quoted"], r["one_sided"]
        rows.append(f"| {dim} | {f2(pr['precision'])} / {f2(pr['recall'])} / {f2(pr['kappa'])} "
                    f"({pr['tp'] + pr['fn']}) | {f2(qu['precision'])} / {f2(qu['recall'])} / {f2(qu['kappa'])} "
                    f"({qu['tp']} {qu['fp']} {qu['fn']}) | {one['agree']} of {one['articles']} "
                    f"({one['gold_1']} / {one['slant_1']}) |")
    return rows


# -------------------------------------------------------------- PolNeAR
POLNEAR_COMPARISONS = [
    Comparison("cue", "attribution", "attribution"),
    Comparison("source", "source", "source"),
    Comparison("source (non-pronoun gold)", "source", "source", None, "noun"),
]


# Cognition, intention and perception verbs: PolNeAR counts them as cues ("believes", "wants"); the
# evidence_gold guidelines count only speech and writing (and believe/think attributed to a third
# party). "cue (speech construct)" leaves gold cues whose first word is one of these out of scoring,
# together with the slant spans overlapping them.
THOUGHT_CUES = {w for stem in ["believe", "think", "thought", "want", "hope", "know", "knew", "feel", "felt",
                               "fear", "expect", "see", "saw", "seen", "seem", "appear", "consider", "view",
                               "worry", "worried", "intend", "wish", "prefer", "like", "love", "hate",
                               "understand", "understood", "realize", "recognize", "remember", "imagine", "doubt",
                               "assume", "suspect", "plan", "decide", "decided", "agree", "disagree", "care",
                               "trust", "guess", "suppose", "regard", "concern", "concerned"]
                for w in (stem, stem + "s", stem + "d", stem + "ed", stem + "ing", stem.rstrip("e") + "ing")}


def polnear_excluding(pred_by_doc, gold_by_doc, docs, cat, excluded):
    """Scores `cat` with the gold spans for which excluded(span) holds left out, together with the
    slant spans overlapping only them: a construct difference is neither a miss nor a false alarm."""
    total_counts = Counts()
    for d in docs:
        gs = [g for g in gold_by_doc.get(d, []) if g.cat == cat]
        out, keep = [g for g in gs if excluded(g)], [g for g in gs if not excluded(g)]
        ps = [p for p in pred_by_doc.get(d, []) if p.cat == cat
              and not (any(overlaps(p, g) for g in out) and not any(overlaps(p, g) for g in keep))]
        total_counts += compare(ps, keep)[0]
    return figures(total_counts)


def polnear_block(pred_by_doc, gold_by_doc, docs, texts=None, records_by_doc=None, author_by_doc=None):
    table = per_doc_counts(POLNEAR_COMPARISONS, docs, pred_by_doc, gold_by_doc)
    out = {c.name: figures(total(table[c.name], docs)) for c in POLNEAR_COMPARISONS[:2]}
    for name in ("cue", "source"):
        out[name]["spearman"] = doc_spearman(table[name], docs)
    out["source_non_pronoun_recall"] = total(table["source (non-pronoun gold)"], docs).prf()[1]
    out["source_pronouns_excluded"] = polnear_excluding(pred_by_doc, gold_by_doc, docs, "source",
                                                        lambda g: g.sub == "pronoun")
    if texts is not None:
        first_word = lambda g: (texts[g.doc][g.start:g.end].lower().split() or [""])[0].replace("’", "'")
        out["cue_speech_construct"] = polnear_excluding(pred_by_doc, gold_by_doc, docs, "attribution",
                                                        lambda g: first_word(g) in THOUGHT_CUES)
    if author_by_doc is not None:
        # PolNeAR marks attributions of the article, hardly any nested inside a quotation (see
        # `gold_cues_in_quotations`); evidence_gold marks both. The author's voice view scores only
        # slant's matches outside quotations, against every gold span.
        out["cue_author_voice"] = figures(total(per_doc_counts(POLNEAR_COMPARISONS[:1], docs, author_by_doc,
                                                               gold_by_doc)["cue"], docs))
        out["source_author_voice_pronouns_excluded"] = polnear_excluding(author_by_doc, gold_by_doc, docs, "source",
                                                                         lambda g: g.sub == "pronoun")
    if records_by_doc is not None:
        # The --sources table's source spans, pronouns included, against every gold source.
        rec = {c: figures(total(per_doc_counts([Comparison(c, "source", "source", None, sub)], docs,
                                               records_by_doc, gold_by_doc)[c], docs))
               for c, sub in (("records_source_all_gold", None),)}
        out.update(rec)
    out["n_articles"] = len(docs)
    return out


def record_spans(rows):
    """Source spans of the --sources table (every type, pronouns included)."""
    return [Span(r["doc_id"], int(r["source_start"]), int(r["source_end"]), "source", r["source_type"])
            for r in rows if r["source_start"] != ""]


def evaluate_polnear(articles, gold_rows, second_rows, matches, source_rows):
    texts = {a["id"]: a["text"] for a in articles}
    docs = [a["id"] for a in articles]
    gold, pred = by_doc(polnear_spans(gold_rows, texts)), by_doc(slant_spans(matches))
    author = by_doc(slant_spans([m for m in matches if m["in_quote"] == "0"]))
    quotes = by_doc([Span(m["doc_id"], int(m["char_start"]), int(m["char_end"]), "quotation", m["subcategory"])
                     for m in matches if m["category"] == "quotation" and m["subcategory"] == "direct"])
    gold_cues = [g for v in gold.values() for g in v if g.cat == "attribution"]
    in_quotes = sum(any(overlaps(g, q) and q.start <= g.start and g.end <= q.end for q in quotes.get(g.doc, []))
                    for g in gold_cues)
    slant_cues = [p for v in pred.values() for p in v if p.cat == "attribution"]
    slant_in_quotes = sum(1 for v in pred.values() for p in v if p.cat == "attribution") - \
        sum(1 for v in author.values() for p in v if p.cat == "attribution")
    records = by_doc(record_spans(source_rows))
    second = by_doc(polnear_spans(second_rows, texts))
    both = [d for d in docs if d in second]
    publishers = sorted({a["publisher"] for a in articles})
    return {
        "overall": polnear_block(pred, gold, docs, texts, records, author),
        "publishers": {p: polnear_block(pred, gold, [a["id"] for a in articles if a["publisher"] == p], texts, records,
                                        author)
                       for p in publishers},
        "gold_cues_in_quotations": {"gold_cues": len(gold_cues), "inside_slant_direct_quotations": in_quotes,
                                    "slant_cues": len(slant_cues), "slant_cues_inside_quotations": slant_in_quotes},
        "second_annotator": {"annotator2_vs_1": polnear_block(second, gold, both),
                             "slant_same_articles": polnear_block(pred, gold, both)},
        "pronoun_share_of_sources": sum(s.sub == "pronoun" for v in gold.values() for s in v if s.cat == "source")
        / max(1, sum(s.cat == "source" for v in gold.values() for s in v)),
    }


# --------------------------------------------------------------- output
def f2(x):
    return "n/a" if x is None else f"{x:.2f}"


def f3(x):
    return "" if x is None else f"{x:.3f}"


def category_table(ev):
    rows = ["| category | P | R | F1 | F1 95% CI | doc Spearman | gold spans | slant spans |",
            "|---|---|---|---|---|---|---|---|"]
    for c in CATEGORIES:
        v = ev["categories"][c]
        rows.append(f"| {c} | {f2(v['precision'])} | {f2(v['recall'])} | {f2(v['f1'])} | "
                    f"{f2(v['f1_ci'][0])}–{f2(v['f1_ci'][1])} | {f2(v['spearman'])} | {v['n_gold']} | {v['n_pred']} |")
    lo, hi = ev["macro_f1_ci"]
    rows.append(f"| **macro (6 core)** | | | **{f2(ev['macro_f1'])}** | {f2(lo)}–{f2(hi)} | | | |")
    return rows


def subtype_table(ev):
    rows = ["| subtype | gold spans | recall by any span of the category | typed P | typed R | typed F1 | slant spans of the subtype |",
            "|---|---|---|---|---|---|---|"]
    for name, v in ev["subtypes"].items():
        rows.append(f"| {name} | {v['n_gold']} | {f2(v['recall_any'])} | {f2(v['precision'])} | "
                    f"{f2(v['recall'])} | {f2(v['f1'])} | {v['n_pred']} |")
    return rows


def split_table(ev):
    t, c = ev["split"]["tune"], ev["split"]["check"]
    rows = [f"| category | tune F1 ({t['n_articles']} articles) | check F1 ({c['n_articles']} articles) | gold spans tune / check |",
            "|---|---|---|---|"]
    for cat in CATEGORIES:
        rows.append(f"| {cat} | {f2(t['f1'][cat])} | {f2(c['f1'][cat])} | {t['n_gold'][cat]} / {c['n_gold'][cat]} |")
    rows.append(f"| **macro (6 core)** | **{f2(t['macro_f1'])}** | **{f2(c['macro_f1'])}** | |")
    return rows


def polnear_row(label, b):
    cue, src = b["cue"], b["source"]
    return (f"| {label} | {b['n_articles']} | {f2(cue['precision'])} | {f2(cue['recall'])} | {f2(cue['f1'])} | "
            f"{f2(src['precision'])} | {f2(src['recall'])} | {f2(src['f1'])} | {f2(b['source_non_pronoun_recall'])} |")


def polnear_construct_table(pn):
    """The same articles scored under the definitions of the issue: pronoun gold sources left out
    (slant does not mark them as sourcing), thought cues left out (not speech in the evidence_gold
    sense), and the --sources table's source spans with pronouns against every gold source."""
    rows = ["| articles | cue P / R / F1, speech construct | source P / R / F1, pronoun gold excluded | "
            "source P / R / F1, --sources spans incl. pronouns vs all gold | cue P / R / F1, author's voice | "
            "source P / R / F1, author's voice, pronoun gold excluded |", "|---|---|---|---|---|---|"]
    def prf(v):
        return f"{f2(v['precision'])} / {f2(v['recall'])} / {f2(v['f1'])}"
    for label, b in [("**all**", pn["overall"]), *pn["publishers"].items()]:
        rows.append(f"| {label} | {prf(b['cue_speech_construct'])} | {prf(b['source_pronouns_excluded'])} | "
                    f"{prf(b['records_source_all_gold'])} | {prf(b['cue_author_voice'])} | "
                    f"{prf(b['source_author_voice_pronouns_excluded'])} |")
    q = pn["gold_cues_in_quotations"]
    rows += ["", f"Author's voice: of {q['gold_cues']} PolNeAR gold cues, {q['inside_slant_direct_quotations']} lie "
             f"inside a direct quotation as slant finds them, while {q['slant_cues_inside_quotations']} of slant's "
             f"{q['slant_cues']} cues do (cues inside quotations, which the evidence guidelines mark and PolNeAR "
             "does not annotate); the last two columns leave slant's matches inside quotations out."]
    return rows


def confusion_table(ev):
    conf = ev["source_confusion"]
    cols = SOURCE_TYPES + ["missed"]
    rows = ["| gold type \\ slant type | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for g in SOURCE_TYPES:
        rows.append(f"| {g} | " + " | ".join(str(conf["rows"].get(g, {}).get(c, 0)) for c in cols) + " |")
    rows.append("| (no gold source: false alarm) | " + " | ".join(str(conf["false_alarms"].get(c, 0)) for c in SOURCE_TYPES)
                + " | |")
    return rows


def statements_lines(ev):
    out = []
    for part in ("all", "tune", "check"):
        st = ev["statements"][part]
        a, t = st["any_side"], st["same_side"]
        out.append(f"Statements attributed to a side, {part} articles (gold side spans marked `statement`, "
                   f"{a['n_gold']} spans; slant `side_*_statement` rows, {a['n_pred']}): P {f2(a['precision'])} "
                   f"R {f2(a['recall'])} F1 {f2(a['f1'])}; same dimension and side: P {f2(t['precision'])} "
                   f"R {f2(t['recall'])} F1 {f2(t['f1'])}.")
    return out


def polnear_table(pn):
    rows = ["| articles | n | cue P | cue R | cue F1 | source P | source R | source F1 | source R (non-pronoun gold) |",
            "|---|---|---|---|---|---|---|---|---|",
            polnear_row("**all**", pn["overall"])]
    rows += [polnear_row(p, b) for p, b in pn["publishers"].items()]
    sa = pn["second_annotator"]
    rows.append(polnear_row("doubly annotated: slant vs annotator 1", sa["slant_same_articles"]))
    rows.append(polnear_row("doubly annotated: annotator 2 vs annotator 1 (ceiling)", sa["annotator2_vs_1"]))
    return rows


def md_cue(text):
    return text.replace("|", "\\|").replace("`", "'")


def error_table(ev):
    rows = ["| category | most frequent false alarms (slant span, count) | most frequent misses (gold span, count) |",
            "|---|---|---|"]
    for cat, e in ev["errors"].items():
        fa = ", ".join(f"`{md_cue(t)}` {n}" for t, n in e["false_alarms"]) or "–"
        miss = ", ".join(f"`{md_cue(t)}` {n}" for t, n in e["misses"]) or "–"
        rows.append(f"| {cat} | {fa} | {miss} |")
    return rows


def level(x):
    return "high" if x >= 0.8 else "moderate" if x >= 0.6 else "low" if x >= 0.4 else "very low"


def trust_paragraph(cat, v):
    """Plain-language reading of one category's figures; every clause follows a threshold."""
    p, r, rho, lo, hi = v["precision"], v["recall"], v["spearman"], *v["f1_ci"]
    ratio = v["n_pred"] / v["n_gold"] if v["n_gold"] else float("inf")
    parts = [f"**{cat}** (P {f2(p)}, R {f2(r)}, F1 {f2(v['f1'])} [{f2(lo)}–{f2(hi)}], "
             f"Spearman {f2(rho)}, {v['n_pred']} slant / {v['n_gold']} gold spans)."]
    if p >= 0.8:
        parts.append("Precision is high: a flagged span is usually a real cue and can be shown as evidence.")
    elif p >= 0.6:
        parts.append(f"Precision is moderate: about {p:.0%} of flagged spans are cues, so check examples before quoting them.")
    else:
        parts.append(f"Precision is {level(p)}: only {p:.0%} of flagged spans are cues; single matches are not evidence on their own.")
    if r >= 0.8:
        parts.append("Recall is high: most cues are found.")
    else:
        parts.append(f"Recall is {level(r)}: it finds {r:.0%} of the gold spans, so a zero count does not mean "
                     "the article has none.")
    if p >= 0.8 and r >= 0.8:
        parts.append("Counts and per-1k rates are close to a careful reader's.")
    elif 0.9 <= ratio <= 1.1:
        parts.append(f"The total count is near the gold count ({ratio:.2f}×) only because misses and false alarms "
                     "roughly cancel: read counts and rates as approximate.")
    else:
        parts.append(f"Counts run at {ratio:.2f}× the gold count ({'over' if ratio > 1 else 'under'}-count): "
                     "absolute counts and rates are not the true frequency.")
    if rho is None:
        parts.append("No ranking figure (the counts do not vary across articles).")
    elif rho >= 0.8:
        parts.append("Ranking articles by this count is reliable.")
    elif rho >= 0.6:
        parts.append("Good enough for a coarse ranking of articles (more vs fewer), not a fine ordering.")
    else:
        parts.append("Weak for ranking single articles; compare averages over many articles at most.")
    if hi - lo > 0.25:
        parts.append(f"The F1 interval is wide ({f2(lo)}–{f2(hi)}, {v['n_gold']} gold spans): treat these figures as rough.")
    elif v["n_gold"] < 30:
        parts.append(f"Only {v['n_gold']} gold spans: treat these figures as rough.")
    return " ".join(parts)


def shown(cmd):
    """A slant command line with its temporary output paths replaced by OUT/, so reruns do not differ."""
    return re.sub(r"\S*/(scores|matches|sources)\.csv", r"OUT/\1.csv", shlex.join(cmd))


def doc_block(ev, pn, command, slant_cmds):
    today = datetime.date.today().isoformat()
    t, c = ev["split"]["tune"], ev["split"]["check"]
    pn_all = pn["overall"]
    second, same = pn["second_annotator"]["annotator2_vs_1"], pn["second_annotator"]["slant_same_articles"]
    lines = [
        BEGIN,
        "## Evidence spans against gold annotations",
        "",
        f"Generated by `scripts/validate_evidence.py` on {today} (this block only; the rest of the file "
        "is written by `scripts/validate_hedges.py`).",
        "",
        "Command:",
        "",
        "```",
        command,
        "# which ran (OUT = a temporary folder):",
        *("# " + shown(cmd) for cmd in slant_cmds),
        "```",
        "",
        "### Protocol",
        "",
        f"- Gold: `evidence_gold` ({ev['n_articles']} articles, {ev['n_gold_spans']} spans, one careful reader per "
        "article following its `guidelines.md`); PolNeAR attribution relations (Newell, Margolin & Ruths 2018, "
        "train + dev compartments). Data in `../shared/data`, not shipped.",
        "- Overlap matching: a slant span is correct when it overlaps (by at least one character) a gold span of "
        "the same category; a gold span is found when a slant span of that category overlaps it. "
        "P = correct slant spans / slant spans, R = found gold spans / gold spans.",
        "- Slant side: counted matches of the `--matches` file (negated matches are dropped, as in slant's counts). "
        "`sourcing` → source; `side_party` / `side_ideology` / `side_stance` mentions → side and side:party / "
        "side:ideology / side:stance (subtype = dimension_side, e.g. `party_democratic`); `side_*_statement` rows "
        "are statements, not mention spans, and `quotation` is not a gold category: neither is scored.",
        "- Macro F1 = mean F1 of the six core categories hedge, distancing, booster, attribution, source, loaded.",
        "- Doc Spearman: rank correlation (ties share their average rank) between slant's span count and the gold "
        "span count per article.",
        f"- F1 95% CI: bootstrap over articles ({REPS} resamples of the {ev['n_articles']} articles, seed {SEED}, "
        "2.5th/97.5th percentiles with linear interpolation; a resample without gold spans of a category is skipped "
        "for that category).",
        "- For scale: the dataset README reports a second, independent annotation of 6 held-back articles at macro "
        "span F1 0.87 with the first (hedge 0.92, distancing 0.62, booster 0.84, attribution 0.97, source 0.98, "
        "loaded 0.88): roughly the ceiling a tool can be held to.",
        "",
        "### evidence_gold: spans per category",
        "",
        *category_table(ev),
        "",
        "Subtypes: recall by any span of the category (e.g. a gold vague source found by any slant `sourcing` span) "
        "and typed figures, where the slant subtype must equal the gold one.",
        "",
        *subtype_table(ev),
        "",
        "### Sides per article: present, given a statement, one-sided",
        "",
        "What the balance columns rest on, per article and side (30 articles × 2 sides per dimension): a side is "
        "present when the gold marks a side span of it (slant: `<dim>_<side>_mentions_n` > 0) and given a "
        "statement when one of its gold side spans is marked `statement` (slant: `<dim>_<side>_statements_n` > 0); "
        "the one-sided flag is computed from the gold by the codebook's definition of `<dim>_one_sided` and "
        "compared with slant's column. The gold marks a statement on a side mention only (\"Republicans said\", "
        "\"Sen. Park, D-Ohio, said\"), so a later \"Park said\" of a politician whose party the article gave "
        "earlier is not a gold side statement: slant's statements of such speakers count as false alarms here.",
        "",
        *article_sides_lines(ev),
        "",
        *statements_lines(ev),
        "",
        "### Tune / check split (for whoever tunes rules on these articles)",
        "",
        "The articles are split by outlet (outlets sorted by name, alternately assigned), so no outlet is in both "
        "halves. Tune rules looking only at the tune articles, then judge the change on the check column: a gain "
        "that shows on tune but not on check is fitted to those outlets.",
        "",
        f"- tune outlets: {', '.join(t['outlets'])}",
        f"- check outlets: {', '.join(c['outlets'])}",
        "",
        *split_table(ev),
        "",
        "### PolNeAR: attribution cues and sources",
        "",
        "Slant `attribution` spans against PolNeAR `cue` spans, slant `sourcing` spans against PolNeAR `source` "
        "spans, overlap matching as above (gold spans shared by several attribution relations counted once). "
        "PolNeAR's definitions are wider than slant's and than the evidence_gold guidelines: its sources include "
        f"pronouns ({pn['pronoun_share_of_sources']:.0%} of its source spans are a bare pronoun, which slant does not "
        "mark; the last column leaves them out of recall) and its cues include thought and intention verbs "
        "(believes, wants, hopes), not only speech. Recall here is limited partly by that difference in "
        "definition, not only by slant's misses.",
        "",
        *polnear_table(pn),
        "",
        f"Doc Spearman over all {pn_all['n_articles']} articles: cue {f2(pn_all['cue']['spearman'])}, "
        f"source {f2(pn_all['source']['spearman'])}. The second annotator covers "
        f"{second['n_articles']} articles in this copy (the dataset README says 89; repeated rows of "
        "`spans_second.csv.gz` are counted once). Against annotator 1, annotator 2 has "
        f"cue P {f2(second['cue']['precision'])} / R {f2(second['cue']['recall'])} and source "
        f"P {f2(second['source']['precision'])} / R {f2(second['source']['recall'])}: the ceiling on these "
        f"articles is cue F1 {f2(second['cue']['f1'])} and source F1 {f2(second['source']['f1'])}, where slant "
        f"reaches {f2(same['cue']['f1'])} and {f2(same['source']['f1'])}.",
        "",
        "### Most frequent errors (evidence_gold)",
        "",
        f"Top {TOP} per category, lowercased span text (at most five words) and count. False alarms: slant spans "
        "overlapping no gold span of the category. Misses: gold spans no slant span of the category overlaps.",
        "",
        *error_table(ev),
        "",
        "### What each category can be trusted for",
        "",
        "Generated from the figures above: precision and recall ≥ 0.8 high, ≥ 0.6 moderate, ≥ 0.4 low, else very "
        "low; counts are called close when P and R are both high, near the gold count when slant's span count is "
        "within 0.9–1.1× the gold count; Spearman ≥ 0.8 reliable ranking, ≥ 0.6 coarse ranking; the figures are "
        "called rough when the F1 interval is wider than 0.25 or there are fewer than 30 gold spans.",
        "",
    ]
    for cat in CATEGORIES:
        lines += [trust_paragraph(cat, ev["categories"][cat]), ""]
    lines.append(END)
    return "\n".join(lines)


def write_doc(path, block):
    """Replace the evidence block in place, or append it; the rest of the file is left alone."""
    old = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            old = fh.read()
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        new = head + block + rest.split(END, 1)[1]
    else:
        new = old + ("\n" if old and not old.endswith("\n") else "") + ("\n" if old else "") + block + "\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(new)
    print(f"wrote {path}")


def figures_csv_text(ev):
    """The per-category figures the codebook compiles in, as CSV text."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["category", "precision", "recall", "f1", "spearman", "n_gold", "n_pred"])
    for c in CATEGORIES:
        v = ev["categories"][c]
        w.writerow([c, f3(v["precision"]), f3(v["recall"]), f3(v["f1"]), f3(v["spearman"]), v["n_gold"], v["n_pred"]])
    return out.getvalue()


def write_figures_csv(path, ev):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(figures_csv_text(ev))
    print(f"wrote {path}")


def check_figures_csv(path, ev):
    """CI: the figures compiled into the codebook must be this build's."""
    with open(path, encoding="utf-8") as fh:
        shipped = fh.read()
    if shipped != figures_csv_text(ev):
        fail(f"{path} does not hold this build's figures: rerun with --figures-csv {path} "
             "--write-doc, then `slant codebook --markdown -o docs/CODEBOOK.md`")
    print(f"{path} matches this build")


def rounded(obj):
    """Four decimals in the JSON: stable diffs, far finer than the data supports."""
    if isinstance(obj, float):
        return round(obj, 4)
    if isinstance(obj, dict):
        return {k: rounded(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [rounded(v) for v in obj]
    return obj


def print_summary(ev, pn):
    print(f"== evidence_gold: {ev['n_articles']} articles, {ev['n_gold_spans']} gold spans (overlap matching)")
    print("\n".join(category_table(ev)))
    print("\n".join(["", *subtype_table(ev), "", "source types (evidence_gold):", *confusion_table(ev), "",
                     *statements_lines(ev), "", "sides per article:", *article_sides_lines(ev), "",
                     "tune/check split by outlet:", *split_table(ev),
                     "", "== PolNeAR (cue = slant attribution, source = slant sourcing)", *polnear_table(pn), "",
                     *polnear_construct_table(pn), ""]))
    for cat, e in ev["errors"].items():
        print(f"{cat}: false alarms " + ", ".join(f"{t} {n}" for t, n in e["false_alarms"][:5])
              + " | misses " + ", ".join(f"{t} {n}" for t, n in e["misses"][:5]))


# ----------------------------------------------------------------- main
def repo_path(*parts):
    """A default resolved against the repository, shown relative to the working directory."""
    return os.path.relpath(os.path.normpath(os.path.join(ROOT, *parts)))


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--slant", default=repo_path("target", "release", "slant"), help="slant binary")
    ap.add_argument("--data", default=repo_path("..", "shared", "data"), help="data directory")
    ap.add_argument("--write-doc", nargs="?", const=repo_path("docs", "VALIDATION.md"), metavar="PATH",
                    help="replace (or append) the evidence block of this markdown file (default docs/VALIDATION.md)")
    ap.add_argument("--json", metavar="PATH", help="write all figures as JSON")
    ap.add_argument("--figures-csv", nargs="?", const=repo_path("docs", "evidence_figures.csv"),
                    metavar="PATH", help="per-category figures for the codebook (default docs/evidence_figures.csv)")
    ap.add_argument("--check-figures", metavar="PATH",
                    help="fail unless PATH (e.g. docs/evidence_figures.csv) holds exactly the figures measured now")
    ap.add_argument("--lexicon", metavar="FILE", help="framing lexicon to pass to slant (default: the built-in one)")
    ap.add_argument("--sides", metavar="FILE", help="sides file to pass to slant (default: the built-in one)")
    return ap.parse_args(argv)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    a = parse_args(argv)
    if not (os.path.isfile(a.slant) and os.access(a.slant, os.X_OK)):
        fail(f"slant binary not found or not executable: {a.slant} (build it or pass --slant)")
    eg = os.path.join(a.data, "evidence_gold")
    pn_dir = os.path.join(a.data, "attribution_polnear")
    paths = {name: require(os.path.join(folder, f"{name.split(':')[1]}.csv.gz"), "data file")
             for name, folder in [("eg:articles", eg), ("eg:spans", eg), ("pn:articles", pn_dir),
                                  ("pn:spans", pn_dir), ("pn:spans_second", pn_dir)]}
    with tempfile.TemporaryDirectory() as wd:
        os.makedirs(os.path.join(wd, "eg"))
        os.makedirs(os.path.join(wd, "pn"))
        extra = [*(["--lexicon", a.lexicon] if a.lexicon else []), *(["--sides", a.sides] if a.sides else [])]
        eg_matches, _, eg_cmd = run_slant(a.slant, paths["eg:articles"], os.path.join(wd, "eg"), extra)
        with open(os.path.join(wd, "eg", "scores.csv"), encoding="utf-8", newline="") as fh:
            eg_scores = list(csv.DictReader(fh))
        pn_matches, pn_sources, pn_cmd = run_slant(a.slant, paths["pn:articles"], os.path.join(wd, "pn"), extra)
    ev = evaluate_evidence(load_csv(paths["eg:articles"]), load_csv(paths["eg:spans"]), eg_matches)
    ev["article_sides"] = article_sides(load_csv(paths["eg:spans"]), eg_scores)
    pn = evaluate_polnear(load_csv(paths["pn:articles"]), load_csv(paths["pn:spans"]),
                          load_csv(paths["pn:spans_second"]), pn_matches, pn_sources)
    print_summary(ev, pn)
    command = "python3 scripts/validate_evidence.py " + shlex.join(argv)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump(rounded({"command": command, "slant_commands": [shown(eg_cmd), shown(pn_cmd)],
                               "evidence_gold": ev, "polnear": pn}), fh, indent=1, ensure_ascii=False)
            fh.write("\n")
        print(f"wrote {a.json}")
    if a.figures_csv:
        write_figures_csv(a.figures_csv, ev)
    if a.check_figures:
        check_figures_csv(a.check_figures, ev)
    if a.write_doc:
        write_doc(a.write_doc, doc_block(ev, pn, command, [eg_cmd, pn_cmd]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
