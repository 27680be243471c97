#!/usr/bin/env python3
"""Per-entry figures for the attribution lexicon: what each reporting-verb entry
matches and how often a reader's annotation agrees, on data of several kinds.

    python3 scripts/attribution_entries.py --slant target/release/slant \
        --lexicon CANDIDATE.tsv [--base-lexicon models/lexicons/framing.tsv] \
        [--out entries.csv] [--sample 40 --rules RULE ...] [--no-allsides]

For every lexicon line (the `rule` of slant's evidence file) of the attribution
category, and for the code rule `naming_quote`:
  * PolNeAR (attribution_polnear, 924 articles): counted matches and the share
    overlapping a gold cue, on the TUNE publishers (breitbart, huff-post, nyt,
    politico) and on the CHECK publishers (usa-today, wash-post, west-journal)
    separately. PolNeAR annotates almost no attribution inside quotations, so
    the author's-voice matches are counted apart (`*_author`).
  * BABE (dev, 2,911 sentences): matches and the share that overlap a word the
    annotators marked as biased (BABE marks loaded reporting verbs such as
    "claimed"); used for the neutral / loaded split of an entry. BABE lists the
    marked words of a sentence, not their offsets, so every occurrence of a
    marked word in its sentence counts as marked (a word marked once and
    repeated in the same sentence is over-counted; rare in one sentence).
  * evidence_gold, TUNE articles only: matches, matches overlapping a gold
    attribution span, and of those how many the gold types `loaded`.
  * AllSides dev (3,548 articles, no annotation): match counts.

With --base-lexicon the candidate run is compared with a run of the base
lexicon: a match is NEW when no attribution match of the base run in the same
document overlaps it, and every figure is also given for the new matches only
(`new_*` columns): how a class of added entries does on its own. A match that
overlaps a base match with other offsets (a longer frame around an old cue,
e.g. "quoted X as saying" around "saying") is no new detection: it is counted
apart (`respan_*` columns and the `respanned` count printed per rule), so it
cannot inflate the precision of the new matches.
--data defaults to ../shared/data next to the repository (resolved from this
file's location, not from the working directory).
--sample N --rules R... prints N random new AllSides matches (seeded) of the
given rules in context, to be read by hand (precision at scale).

Standard library only; deterministic. Keep/drop decisions are taken on these
counts over many occurrences, never on one sentence.
"""
import argparse
import ast
import collections
import csv
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate_evidence as ve  # noqa: E402

TUNE_PUBLISHERS = {"breitbart", "huff-post", "nyt", "politico"}
CHECK_PUBLISHERS = {"usa-today", "wash-post", "west-journal"}


def score(slant, articles, lexicon, tmp, name):
    """Counted attribution matches of one run: list of (doc, start, end, rule, sub, in_quote)."""
    work = os.path.join(tmp, name)
    os.makedirs(work, exist_ok=True)
    matches = os.path.join(work, "matches.csv")
    cmd = [slant, "score", articles, "--id-col", "id", "--text-col", "text", "--raw-text",
           "-o", os.path.join(work, "scores.csv"), "--matches", matches, "-q", "--lexicon", lexicon]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"slant failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    out = []
    with open(matches, encoding="utf-8", newline="") as fh:
        for m in csv.DictReader(fh):
            if m["category"] != "attribution" or m["negated"] == "1":
                continue
            out.append((m["doc_id"], int(m["char_start"]), int(m["char_end"]), m["rule"], m["subcategory"],
                        m["in_quote"] == "1"))
    return out


def babe_marked_spans(rows):
    """Per sentence id, character spans of the words the annotators marked."""
    out = {}
    for r in rows:
        try:
            words = ast.literal_eval(r["biased_words"]) if r["biased_words"] else []
        except (ValueError, SyntaxError):
            words = []
        spans = []
        for w in words:
            w = str(w).strip()
            if not w:
                continue
            for m in re.finditer(r"(?<!\w)" + re.escape(w) + r"(?!\w)", r["text"], re.IGNORECASE):
                spans.append((m.start(), m.end()))
        out[r["id"]] = spans
    return out


def match_status(base, k, d, s, e):
    """'' without a base run; 'same' when the base run has this span; 'respan' when a base
    match overlaps it with other offsets (an old cue with a longer or shorter span); 'new' when
    no base match of the category overlaps it."""
    if not base:
        return ""
    spans = base[k].get(d, ())
    if (s, e) in spans:
        return "same"
    return "respan" if hit(spans, s, e) else "new"


def hit(spans, a, b):
    return any(s < b and a < e for s, e in spans)


class Tally:
    def __init__(self):
        self.c = collections.Counter()

    def add(self, key, ok):
        self.c[key + "_n"] += 1
        self.c[key + "_ok"] += bool(ok)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--slant", default="target/release/slant")
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--data", default=os.path.join(os.path.dirname(repo), "shared", "data"),
                    help="data folder (default: ../shared/data next to the repository)")
    ap.add_argument("--lexicon", required=True)
    ap.add_argument("--base-lexicon")
    ap.add_argument("--out")
    ap.add_argument("--no-allsides", action="store_true")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--rules", nargs="*", default=[])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--min", type=int, default=1, help="print only rules with at least this many PolNeAR matches")
    a = ap.parse_args()

    sets = {
        "polnear": os.path.join(a.data, "attribution_polnear", "articles.csv.gz"),
        "babe": os.path.join(a.data, "babe", "dev.csv.gz"),
        "gold": os.path.join(a.data, "evidence_gold", "articles.csv.gz"),
    }
    if not a.no_allsides:
        sets["allsides"] = os.path.join(a.data, "allsides_baly2020", "dev.csv.gz")
    texts = {k: {r["id"]: r for r in ve.load_csv(p)} for k, p in sets.items()}
    # PolNeAR gold cues per document.
    gold_cues = collections.defaultdict(list)
    for r in ve.load_csv(os.path.join(a.data, "attribution_polnear", "spans.csv.gz")):
        if r["role"] == "cue":
            gold_cues[r["id"]].append((int(r["char_start"]), int(r["char_end"])))
    babe = babe_marked_spans(texts["babe"].values())
    # evidence_gold tune half only.
    split = ve.outlet_split(list(texts["gold"].values()))
    tune_docs = set(split["tune"]["docs"])
    eg_attr = collections.defaultdict(list)
    for r in ve.load_csv(os.path.join(a.data, "evidence_gold", "spans.csv.gz")):
        if r["cat"] == "attribution" and r["id"] in tune_docs:
            eg_attr[r["id"]].append((int(r["char_start"]), int(r["char_end"]), r["sub"]))

    with tempfile.TemporaryDirectory() as tmp:
        runs = {k: score(a.slant, p, a.lexicon, tmp, k) for k, p in sets.items()}
        base = {}
        if a.base_lexicon:
            for k, p in sets.items():
                by_doc = collections.defaultdict(set)
                for d, s, e, *_ in score(a.slant, p, a.base_lexicon, tmp, "base_" + k):
                    by_doc[d].add((s, e))
                base[k] = by_doc

    tallies = collections.defaultdict(Tally)
    subs = {}
    new_allsides = collections.defaultdict(list)
    for k, matches in runs.items():
        for d, s, e, rule, sub, in_quote in matches:
            subs[rule] = sub
            status = match_status(base, k, d, s, e)
            keys = ["all"] + ([status] if status in ("new", "respan") else [])
            t = tallies[rule]
            for pre in keys:
                if k == "polnear":
                    pub = texts[k][d]["publisher"]
                    half = "tune" if pub in TUNE_PUBLISHERS else "check"
                    ok = hit(gold_cues.get(d, []), s, e)
                    t.add(f"{pre}_pn_{half}", ok)
                    if not in_quote:
                        t.add(f"{pre}_pn_{half}_author", ok)
                elif k == "babe":
                    t.add(f"{pre}_babe", hit(babe.get(d, []), s, e))
                elif k == "gold":
                    if d in tune_docs:
                        golds = [g for g in eg_attr.get(d, []) if g[0] < e and s < g[1]]
                        t.add(f"{pre}_eg_tune", bool(golds))
                        if golds:
                            t.c[f"{pre}_eg_tune_goldloaded"] += any(g[2] == "loaded" for g in golds)
                elif k == "allsides":
                    t.c[f"{pre}_allsides_n"] += 1
            if status == "new" and k == "allsides":
                new_allsides[rule].append((d, s, e))

    def share(t, key):
        n = t.c[key + "_n"]
        return f"{t.c[key + '_ok'] / n:.2f}" if n else ""

    cols = ["pn_tune", "pn_tune_author", "pn_check", "pn_check_author", "babe", "eg_tune"]
    header = ["rule", "sub"]
    for pre in (["all", "new", "respan"] if base else ["all"]):
        for c in cols:
            header += [f"{pre}_{c}_n", f"{pre}_{c}_p"]
        header += [f"{pre}_eg_tune_goldloaded", f"{pre}_allsides_n"]
    rows = []
    for rule, t in sorted(tallies.items(), key=lambda kv: -kv[1].c["all_pn_tune_n"]):
        row = [rule, subs[rule]]
        for pre in (["all", "new", "respan"] if base else ["all"]):
            for c in cols:
                row += [t.c[f"{pre}_{c}_n"], share(t, f"{pre}_{c}")]
            row += [t.c[f"{pre}_eg_tune_goldloaded"], t.c[f"{pre}_allsides_n"]]
        rows.append(row)
    if a.out:
        with open(a.out, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)
    pre = "new" if base else "all"
    print(f"| rule | sub | PolNeAR tune n / P | check n / P | author tune / check P | BABE n / marked | "
          f"eg tune n / ok / gold loaded | AllSides n |" + (" respanned |" if base else "") + f"  ({pre} matches)")
    for rule, t in sorted(tallies.items(), key=lambda kv: -kv[1].c[f"{pre}_pn_tune_n"]):
        c = t.c
        respanned = sum(c[f"respan_{x}_n"] for x in ("pn_tune", "pn_check", "babe", "eg_tune")) + c["respan_allsides_n"]
        if c[f"{pre}_pn_tune_n"] + c[f"{pre}_pn_check_n"] < a.min and not (base and (c[f"{pre}_allsides_n"] or respanned)):
            continue
        if base and not any(c[f"new_{x}_n"] for x in ("pn_tune", "pn_check", "babe", "eg_tune")) \
                and not c["new_allsides_n"] and not respanned:
            continue
        print(f"| {rule} | {subs[rule]} | {c[pre + '_pn_tune_n']} / {share(t, pre + '_pn_tune')} | "
              f"{c[pre + '_pn_check_n']} / {share(t, pre + '_pn_check')} | "
              f"{share(t, pre + '_pn_tune_author')} / {share(t, pre + '_pn_check_author')} | "
              f"{c[pre + '_babe_n']} / {share(t, pre + '_babe')} | "
              f"{c[pre + '_eg_tune_n']} / {c[pre + '_eg_tune_ok']} / {c[pre + '_eg_tune_goldloaded']} | "
              f"{c[pre + '_allsides_n']} |" + (f" {respanned} |" if base else ""))
    if a.sample and "allsides" in texts:
        pool = [(rule, m) for rule in (a.rules or sorted(new_allsides)) for m in new_allsides.get(rule, [])]
        random.Random(a.seed).shuffle(pool)
        for rule, (d, s, e) in pool[:a.sample]:
            text = texts["allsides"][d]["text"]
            ctx = (text[max(0, s - 110):s] + "[[" + text[s:e] + "]]" + text[e:e + 90]).replace("\n", " ")
            print(f"- `{rule}` {d}: {ctx}")


if __name__ == "__main__":
    main()
