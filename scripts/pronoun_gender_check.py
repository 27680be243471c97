#!/usr/bin/env python3
"""Counts how often a `--sources` table resolves "he" / "she" to a named
person of the other gender, as far as a first name shows it: the measure
behind the pronoun-gender change (docs/VALIDATION.md, "Pronoun sources and
gender"). Independent of slant's own first-name list: it reads the U.S.
Census 1990 files directly (a name counts as one gender when 90% of its
bearers have it), takes the first capitalised word of a resolved name of two
or more words (skipping common titles) as its first name, and carries a
gender found so to later mentions of the same surname in the article.

    pip download names==0.3.0 --no-deps -d /tmp/names && tar xzf /tmp/names/names-0.3.0.tar.gz -C /tmp/names
    slant score ARTICLES --id-col id --text-col text --raw-text -o /dev/null --sources sources.csv -q
    python3 scripts/pronoun_gender_check.py sources.csv --census /tmp/names/names-0.3.0/names

Prints, for he and she, the resolved records whose name's gender is known
and agrees ("ok") or not ("CONFLICT"), unknown, and unresolved.
"""
import argparse
import collections
import csv
from pathlib import Path

SKIP = set("""sen rep gov dr president gen lt col sgt prof judge secretary senator representative governor
mayor former vice u.s. house speaker chairman chief attorney justice candidate democratic republican gop
the presidential nominee state""".split())


def load(path):
    return {line.split()[0].lower(): float(line.split()[1]) for line in path.read_text().splitlines() if line.strip()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sources")
    ap.add_argument("--census", required=True, type=Path, help="folder with dist.female.first, dist.male.first")
    args = ap.parse_args()
    female, male = load(args.census / "dist.female.first"), load(args.census / "dist.male.first")

    def gender(name, surnames):
        words = name.replace(",", " ").split()
        for w in words:
            t = w.lower().strip(".")
            if t == "mr":
                return "m"
            if t in ("mrs", "ms", "miss"):
                return "f"
        caps = [w for w in words if w[:1].isupper() and w.lower().strip(".") not in SKIP]
        if len(caps) >= 2:
            t = caps[0].lower().strip(".")
            f, m = female.get(t, 0.0), male.get(t, 0.0)
            g = "f" if f + m > 0 and f / (f + m) >= 0.9 else "m" if f + m > 0 and m / (f + m) >= 0.9 else None
            if g:
                surnames[caps[-1].lower()] = g
            return g
        return surnames.get(caps[0].lower()) if len(caps) == 1 else None

    counts = collections.Counter()
    surnames = collections.defaultdict(dict)
    with open(args.sources, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            known = surnames[r["doc_id"]]
            if r["source_type"] == "named_person":
                gender(r["source_text"], known)
            pronoun = r["source_text"].lower()
            if r["source_type"] != "pronoun" or pronoun not in ("he", "she"):
                continue
            if not r["source_name"]:
                counts[pronoun, "unresolved"] += 1
                continue
            g = gender(r["source_name"], known)
            counts[pronoun, "unknown" if g is None else "ok" if (g == "m") == (pronoun == "he") else "CONFLICT"] += 1
    for key in sorted(counts):
        print(*key, counts[key], sep="\t")


if __name__ == "__main__":
    main()
