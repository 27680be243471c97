#!/usr/bin/env python3
"""Validate slant's hedge lexicon against gold uncertainty cues.

Datasets (read-only, not shipped; see ../shared/data/README.md):
  uncertainty_wiki/dev.csv.gz            WikiWeasel part of the Szeged Uncertainty Corpus
  uncertainty_news_factbank/dev.csv.gz   FactBank (newswire) part of the same corpus
(Szarvas et al. 2012, Computational Linguistics 38(2)).  Columns
id,text,label,doc_id,part,cues; `cues` is a JSON list of {start,end,type,text}
character spans.

What is measured (lexicon alone, no model):
  * sentence level: a sentence is predicted "uncertain" when at least one
    counted match (see --count / --skip) is present and not negated; gold is
    label == "uncertain".  Precision / recall / F1 of the uncertain class.
  * cue level: every counted match vs the gold cue spans.  Overlap: a match is
    a true positive when its span overlaps a gold cue span; recall = share of
    gold cues overlapped by some match.  Exact: spans identical.

Usage (real binary):
  python3 scripts/validate_hedges.py --slant target/release/slant --write-doc docs/VALIDATION.md
Runs `slant score FILE --id-col id --text-col text -o OUT/scores.csv
--matches OUT/matches.csv --quiet` per dataset and reads matches.csv.

Without the binary (or with --prototype) the Python prototype matcher in
scripts/lexicon_coverage.py is used instead (needs `pip install
snowballstemmer`); figures are then labelled as prototype figures.

--ablate prints, per rule, how sentence F1 changes when that rule is removed
(approximation: other rules' matches are kept as they are).

Exit status 0 with a message when the data directory is missing.
Standard library only (plus snowballstemmer for the prototype path).
"""
from __future__ import annotations

import argparse
import collections
import csv
import datetime
import gzip
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATASETS = [
    ("uncertainty_wiki", "uncertainty_wiki/dev.csv.gz", "WikiWeasel (Wikipedia)"),
    ("uncertainty_news_factbank", "uncertainty_news_factbank/dev.csv.gz", "FactBank (newswire)"),
]
TARGET_F1 = 0.75
# Default definition of "has a hedge" for this measurement; see docs/VALIDATION.md.
DEFAULT_COUNT = "hedge,distancing"
DEFAULT_SKIP = "hedge/approximator,distancing/scare_quote"

csv.field_size_limit(1 << 30)


def norm(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n"))


def load_rows(path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


# ------------------------------------------------------------ match sources
def matches_from_binary(slant, path, workdir, lexicon=None):
    out_scores = os.path.join(workdir, "scores.csv")
    out_matches = os.path.join(workdir, "matches.csv")
    cmd = [slant, "score", path, "--id-col", "id", "--text-col", "text",
           "-o", out_scores, "--matches", out_matches, "--quiet"]
    if lexicon:
        cmd += ["--lexicon", lexicon]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"slant failed ({proc.returncode}): {' '.join(map(shlex.quote, cmd))}\n{proc.stderr[-4000:]}")
    res = collections.defaultdict(list)
    with open(out_matches, encoding="utf-8", newline="") as fh:
        for m in csv.DictReader(fh):
            res[m["doc_id"]].append({
                "char_start": int(m["char_start"]), "char_end": int(m["char_end"]),
                "category": m["category"], "subcategory": m["subcategory"],
                "rule": m.get("rule", ""), "matched_text": m.get("matched_text", ""),
                "negated": str(m.get("negated", "0")).strip().lower() in ("1", "true"),
            })
    return res, " ".join(map(shlex.quote, cmd))


def matches_from_prototype(rows, lexicon_path, categories=None):
    sys.path.insert(0, HERE)
    import lexicon_coverage as lc  # noqa: E402
    lex = lc.Lexicon(lexicon_path, categories=categories)
    if lex.errors:
        print("lexicon problems:", *lex.errors[:20], sep="\n  ")
    res = {}
    for r in rows:
        # each row is one sentence in these datasets
        res[r["id"]] = lex.match_single_sentence(r["text"])
    return res


# ------------------------------------------------------------------ scoring
def counted(m, count, skip):
    if m["negated"]:
        return False
    if m["category"] not in count:
        return False
    return f"{m['category']}/{m['subcategory']}" not in skip


def evaluate(rows, matches, count, skip, ablate=False):
    tp = fp = fn = tn = 0
    c_pred = c_pred_ok = c_gold = c_gold_hit = 0
    e_pred_ok = e_gold_hit = 0
    rule_stats = collections.defaultdict(lambda: [0, 0, 0])  # matches, overlapping gold, sentences-in-uncertain
    per_sent = []  # (gold, set(rules))
    missed = collections.Counter()
    fp_rules = collections.Counter()
    for r in rows:
        gold = r["label"] == "uncertain"
        cues = json.loads(r["cues"] or "[]")
        gspans = [(c["start"], c["end"]) for c in cues]
        ms = [m for m in matches.get(r["id"], []) if counted(m, count, skip)]
        pred = bool(ms)
        tp += gold and pred
        fp += (not gold) and pred
        fn += gold and not pred
        tn += (not gold) and not pred
        c_gold += len(gspans)
        c_pred += len(ms)
        rules = set()
        for m in ms:
            s, e = m["char_start"], m["char_end"]
            ov = any(s < ge and gs < e for gs, ge in gspans)
            c_pred_ok += ov
            e_pred_ok += any(s == gs and e == ge for gs, ge in gspans)
            key = f"{m['category']}/{m['subcategory']}\t{m['rule']}"
            st = rule_stats[key]
            st[0] += 1
            st[1] += ov
            rules.add(key)
        if pred and not gold:
            for k in rules:
                fp_rules[k] += 1
        for c in cues:
            gs, ge = c["start"], c["end"]
            hit = any(m["char_start"] < ge and gs < m["char_end"] for m in ms)
            if not hit:
                missed[c["text"].lower()] += 1
            c_gold_hit += hit
            e_gold_hit += any(m["char_start"] == gs and m["char_end"] == ge for m in ms)
        per_sent.append((gold, rules))
    sp, sr, sf = prf(tp, fp, fn)
    cp = c_pred_ok / c_pred if c_pred else 0.0
    cr = c_gold_hit / c_gold if c_gold else 0.0
    cf = 2 * cp * cr / (cp + cr) if cp + cr else 0.0
    ep = e_pred_ok / c_pred if c_pred else 0.0
    er = e_gold_hit / c_gold if c_gold else 0.0
    ef = 2 * ep * er / (ep + er) if ep + er else 0.0
    res = {
        "n": len(rows), "n_uncertain": tp + fn,
        "sent": (sp, sr, sf), "sent_counts": (tp, fp, fn, tn),
        "cue_overlap": (cp, cr, cf), "cue_exact": (ep, er, ef),
        "n_pred": c_pred, "n_gold": c_gold, "rule_stats": dict(rule_stats),
        "missed": missed, "fp_rules": fp_rules,
    }
    if ablate:
        abl = {}
        for key in rule_stats:
            t = f_ = n_ = 0
            for gold, rules in per_sent:
                pred = bool(rules - {key})
                t += gold and pred
                f_ += (not gold) and pred
                n_ += gold and not pred
            abl[key] = prf(t, f_, n_)[2] - sf
        res["ablation"] = abl
    return res


def fmt3(x):
    return f"{x:.3f}"


def report(name, desc, res, top=25, ablate=False):
    sp, sr, sf = res["sent"]
    tp, fp, fn, tn = res["sent_counts"]
    lines = [
        f"== {name} ({desc}): {res['n']} sentences, {res['n_uncertain']} uncertain, {res['n_gold']} gold cues",
        f"  sentence  P {fmt3(sp)}  R {fmt3(sr)}  F1 {fmt3(sf)}   (TP {tp} FP {fp} FN {fn} TN {tn})"
        f"   target F1 >= {TARGET_F1}: {'PASS' if sf >= TARGET_F1 else 'FAIL'}",
        "  cue overlap  P {}  R {}  F1 {}   ({} predicted matches)".format(*map(fmt3, res["cue_overlap"]), res["n_pred"]),
        "  cue exact    P {}  R {}  F1 {}".format(*map(fmt3, res["cue_exact"])),
    ]
    if ablate and "ablation" in res:
        lines.append("  ablation (F1 change when the rule is removed; + means the rule hurts):")
        items = sorted(res["ablation"].items(), key=lambda kv: -abs(kv[1]))[:top]
        for key, d in items:
            n, ok, _ = res["rule_stats"][key]
            lines.append(f"    {d:+.4f}  {key.replace(chr(9), '  ')}  (n={n}, cue-precision {ok / n:.2f})")
    if ablate:
        lines.append("  most frequent missed gold cues: " + ", ".join(
            f"{w} {n}" for w, n in res["missed"].most_common(top)))
        lines.append("  rules in false-positive sentences: " + ", ".join(
            f"{k.split(chr(9))[1]} {n}" for k, n in res["fp_rules"].most_common(top)))
    print("\n".join(lines))


NOTES = """\
## Tuning record (decisions taken by measurement)

Sentence F1 (WikiWeasel / FactBank), prototype matcher, when a cue is added to or
removed from the lexicon as it was at that point (see `--ablate` for the current table):

| change | wiki F1 | news F1 | decision |
|---|---|---|---|
| baseline with `would` as a modal hedge | 0.781 | 0.787 | |
| remove `would` | 0.798 | 0.808 | removed (mostly future-in-past / habitual) |
| add `will` | 0.759 | 0.715 | not added (future, not uncertainty in news) |
| add `can` | 0.743 | 0.778 | not added (ability / permission) |
| add `should` | 0.775 | 0.789 | not added (deontic; no gain) |
| add `until` | 0.764 | 0.785 | not added (temporal) |
| remove `if` | 0.762 | 0.759 | kept |
| remove `consider(ed)` | 0.749 | 0.788 | kept |
| remove `could` | 0.784 | 0.769 | kept (helps on news) |
| exclude feasibility uses of `possible` (as soon as possible, made possible, if possible) | +0.004 | 0 | excluded |
| `estimate(d)` as expectation -> approximator | +0.002 | +0.010 | moved to approximator |
| bare `indicate` -> `indicate(s) that` | +0.002 | +0.009 | restricted |
| `potential` -> `potentially` only | +0.003 | +0.004 | restricted |
| adjective `apparent` | -0.002 | 0 | removed (mostly "obvious") |
| count approximators as hedges | 0.773 | 0.752 | not counted in this measurement (not annotated in the corpus) |
| hedge only, without distancing | 0.816 | 0.829 | distancing is counted (allegedly, alleged, accused are gold cues) |

Modal context from part-of-speech tags (2026-12-06, slant binary; full record with the
evidence_gold figures in scripts/tuning_log.md).  Starting point 0.820 / 0.833:

| change | wiki F1 | news F1 | decision |
|---|---|---|---|
| `would` in every frame (volition "would like" excluded) | 0.802 | 0.810 | not added |
| `would` except after a past-tense speech/cognition verb | 0.804 | 0.830 | not added |
| `would` except after any past-tense verb | 0.810 | 0.833 | not added |
| `would` in a sentence with if/unless only | 0.820 | 0.833 | not added (no gain on evidence_gold check) |
| counterfactual `would have` + participle only | 0.819 | 0.826 | not added |
| `would` in a present-tense frame (`@present_frame`) | 0.819 | 0.838 | added (evidence_gold hedge check F1 +0.034) |
| ... also with no verb before it (main-clause "would") | 0.810 | 0.829 | not added |
| negated ability `could not` / `couldn't` excluded | 0.822 | 0.837 | excluded |
| `could` + perception verb (see, hear) excluded | 0.820 | 0.832 | kept |
| `than expected` / `than anticipated` excluded | 0.822 | 0.838 | excluded (with the rows above) |
| adjective `potential` before a noun | 0.818 | 0.829 | not added (listed by the evidence guidelines, but lowers both) |
| all adopted changes together | 0.822 | 0.842 | |

Stem and sense restrictions and a distancing noun (2026-12-07, slant binary; full record with
the evidence_gold figures in scripts/tuning_log.md).  Starting point 0.822 / 0.844:

| change | wiki F1 | news F1 | decision |
|---|---|---|---|
| `belief` only as `belief that` | 0.823 | 0.844 | restricted |
| `feared` as the exact form (the stem matched the noun "fear") | 0.825 | 0.843 | restricted |
| `assume` + office / power / role ... (take on) excluded | 0.826 | 0.844 | excluded |
| `think tank`, `think about` excluded | 0.826 | 0.844 | excluded |
| `claim{NOUN} that` as distancing | 0.824 | 0.844 | added: not a cue in this corpus (25 matches, none on a gold cue, like `is said to`), but a distancing noun in the framing literature; evidence_gold distancing check F1 +0.08 |
| assertive nouns (assertion / contention / insistence / notion that) as distancing | 0.821 | 0.844 | not added |
| drop `unknown` (measured before the `assume`/`think` rows) | +0.002 | -0.002 | kept (no gain on evidence_gold) |

Principled entries that the corpus does not annotate were kept although they cost a
little precision here (e.g. `is said to`, `so-called`, `arguably`, `tend to` as an
approximator): they are hedges or distancing devices in the framing literature and
slant reports them in their own subcategories.  No entry was added because it is a
frequent gold cue alone; rare corpus-specific cues (e.g. idea/view without "that",
"eventually") were not chased.
"""


def write_doc(path, results, cmd_line, mode, count, skip, lexicon):
    today = datetime.date.today().isoformat()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    out = [
        "# Hedge lexicon validation",
        "",
        f"Generated by `scripts/validate_hedges.py` on {today}.",
        "",
        "Command:",
        "",
        "```",
        cmd_line,
        "```",
        "",
        f"Matcher: {mode}.  Lexicon: `{os.path.relpath(lexicon, ROOT)}`.",
        "",
        "Data: development splits of the Szeged Uncertainty Corpus (Szarvas et al. 2012),",
        "WikiWeasel (Wikipedia) and FactBank (newswire) parts, from `../shared/data`",
        "(not shipped; research use).  Each row is one sentence with gold uncertainty cue spans.",
        "",
        f"\"Has a hedge\" = at least one non-negated match of categories `{','.join(sorted(count))}`",
        f"excluding subcategories `{','.join(sorted(skip)) or '-'}`.  Distancing is counted because",
        "evidential distancing (allegedly, reportedly, so-called, allegations) is annotated as",
        "uncertainty in the corpus; approximators (about 20, roughly) are hedges in slant's",
        "framing profile but are not uncertainty cues in the corpus, so they are left out of",
        "this measurement.  Scare quotes are not annotated in the corpus either.",
        "",
        f"Acceptance target: sentence-level F1 >= {TARGET_F1} on both datasets.",
        "",
        "| dataset | sentences | uncertain | sent. P | sent. R | sent. F1 | target | cue P (overlap) | cue R (overlap) | cue F1 (overlap) | cue P (exact) | cue R (exact) | cue F1 (exact) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, desc, res in results:
        sp, sr, sf = res["sent"]
        out.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            desc, res["n"], res["n_uncertain"], fmt3(sp), fmt3(sr), fmt3(sf),
            "pass" if sf >= TARGET_F1 else "FAIL",
            *map(fmt3, res["cue_overlap"]), *map(fmt3, res["cue_exact"])))
    out += [
        "",
        "Cue level: a predicted match is correct (overlap) when its character span overlaps a",
        "gold cue span; recall is the share of gold cues overlapped by some match.  Exact",
        "requires identical spans (multi-word gold cues such as \"whether or not\" and our",
        "multi-word patterns make exact figures lower by construction).",
        "",
        "Most frequent matched rules (matches / share overlapping a gold cue), all datasets:",
        "",
    ]
    agg = collections.defaultdict(lambda: [0, 0])
    for _, _, res in results:
        for k, (n, ok, _) in res["rule_stats"].items():
            agg[k][0] += n
            agg[k][1] += ok
    out.append("| rule | category | matches | overlap share |")
    out.append("|---|---|---|---|")
    for k, (n, ok) in sorted(agg.items(), key=lambda kv: -kv[1][0])[:30]:
        cat, rule = k.split("\t")
        out.append(f"| `{rule}` | {cat} | {n} | {ok / n:.2f} |")
    out.append("")
    out.append(NOTES)
    # Blocks between <!-- NAME:begin --> and <!-- NAME:end --> belong to other
    # writers (scripts/validate_evidence.py, the tagger evaluation): kept.
    kept = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            old = fh.read()
        for m in re.finditer(r"<!-- ([a-z_]+):begin -->.*?<!-- \1:end -->", old, re.S):
            kept += "\n" + m.group(0) + "\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + kept)
    print(f"wrote {path}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--slant", default=os.path.join("target", "release", "slant"), help="path to the slant binary")
    ap.add_argument("--data", default=os.path.join("..", "shared", "data"), help="data directory")
    ap.add_argument("--lexicon", default=os.path.join(ROOT, "models", "lexicons", "framing.tsv"),
                    help="lexicon file to validate; passed to the binary as --lexicon (default: the repo's models/lexicons/framing.tsv)")
    ap.add_argument("--builtin-lexicon", action="store_true",
                    help="let the binary use the lexicon built into it instead of passing --lexicon")
    ap.add_argument("--prototype", action="store_true", help="use the Python prototype matcher even if the binary exists")
    ap.add_argument("--count", default=DEFAULT_COUNT, help="categories that count as a hedge (comma-separated)")
    ap.add_argument("--skip", default=DEFAULT_SKIP, help="category/subcategory pairs not counted (comma-separated)")
    ap.add_argument("--ablate", action="store_true", help="per-rule ablation table")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--write-doc", metavar="PATH", help="write a markdown report (e.g. docs/VALIDATION.md)")
    ap.add_argument("--keep", metavar="DIR", help="keep the binary's output files in DIR")
    a = ap.parse_args(argv)

    count = {c for c in a.count.split(",") if c}
    skip = {c for c in a.skip.split(",") if c}
    if not os.path.isdir(a.data):
        print(f"data directory {a.data!r} not found: nothing to validate (this is not an error).")
        return 0
    use_binary = not a.prototype and os.path.isfile(a.slant) and os.access(a.slant, os.X_OK)
    if not a.prototype and not use_binary:
        print(f"slant binary {a.slant!r} not found; falling back to the Python prototype matcher.")
    mode = (f"slant binary `{a.slant}`" + (" (built-in lexicon)" if a.builtin_lexicon else "")) if use_binary else "Python prototype matcher (scripts/lexicon_coverage.py) -- PROTOTYPE FIGURES"
    results = []
    cmds = []
    lex_arg = os.path.relpath(a.lexicon) if not os.path.isabs(a.lexicon) or a.lexicon.startswith(os.getcwd()) else a.lexicon
    for name, rel, desc in DATASETS:
        path = os.path.join(a.data, rel)
        if not os.path.exists(path):
            print(f"{path} not found; skipping {name}.")
            continue
        rows = load_rows(path)
        if use_binary:
            if a.keep:
                wd = os.path.join(a.keep, name)
                os.makedirs(wd, exist_ok=True)
                matches, cmd = matches_from_binary(a.slant, path, wd, None if a.builtin_lexicon else lex_arg)
            else:
                with tempfile.TemporaryDirectory() as wd:
                    matches, cmd = matches_from_binary(a.slant, path, wd, None if a.builtin_lexicon else lex_arg)
            cmds.append(cmd)
        else:
            matches = matches_from_prototype(rows, a.lexicon, categories=count)
        res = evaluate(rows, matches, count, skip, ablate=a.ablate)
        report(name, desc, res, top=a.top, ablate=a.ablate)
        results.append((name, desc, res))
    if not results:
        print("no dataset found; nothing to validate.")
        return 0
    if a.write_doc:
        argv_line = "python3 scripts/validate_hedges.py " + " ".join(
            map(shlex.quote, argv if argv is not None else sys.argv[1:]))
        if cmds:
            import re as _re
            shown = [_re.sub(r"\S*/(scores|matches)\.csv", r"OUT/\1.csv", c) for c in cmds]
            argv_line += "\n# which ran, per dataset (OUT = a temporary folder):\n# " + "\n# ".join(shown)
        write_doc(a.write_doc, results, argv_line, mode, count, skip, a.lexicon)
    ok = all(r[2]["sent"][2] >= TARGET_F1 for r in results)
    print(f"target sentence F1 >= {TARGET_F1} on all datasets: {'yes' if ok else 'NO'} ({mode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
