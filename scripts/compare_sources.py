#!/usr/bin/env python3
"""Reads what a change to the attribution rules did to `--sources` tables:
two tables written by two slant binaries from the same input, record by
record (the records must line up: the change may alter source names and
sides, not which cues are records). The excerpts are cut from the raw
article text with slant's offsets, which count characters of the
normalised text (NFC, CRLF as LF, no BOM): in articles that differ there,
an excerpt can be shifted. Prints how many records changed a
column, and a random sample of the changed records with the text before the
source, for a reader to judge old vs new against the article.

    slant-old score ARTICLES --id-col id --text-col text --raw-text -o /dev/null --sources old.csv -q
    slant-new score ARTICLES --id-col id --text-col text --raw-text -o /dev/null --sources new.csv -q
    python3 scripts/compare_sources.py old.csv new.csv --articles ARTICLES --column source_name --seed 4 -n 30
"""
import argparse
import collections
import csv
import gzip
import random
import sys


def read_texts(path, id_col, text_col):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        return {r[id_col]: r[text_col] for r in csv.DictReader(f)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--articles", required=True, help="the CSV (or .csv.gz) both tables were scored from")
    ap.add_argument("--id-col", default="id")
    ap.add_argument("--text-col", default="text")
    ap.add_argument("--column", default="source_name", help="the column whose changes are sampled")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-n", type=int, default=30, help="records to print")
    ap.add_argument("--context", type=int, default=300, help="characters shown before the source")
    args = ap.parse_args()
    old = list(csv.DictReader(open(args.old, encoding="utf-8", newline="")))
    new = list(csv.DictReader(open(args.new, encoding="utf-8", newline="")))
    key = ("doc_id", "cue_start", "cue_end")
    if [tuple(r[k] for k in key) for r in old] != [tuple(r[k] for k in key) for r in new]:
        sys.exit("the two tables do not hold the same attribution records (cues differ): compare them another way")
    columns = [c for c in new[0] if c in old[0]] if new else []
    changed = collections.Counter(c for a, b in zip(old, new) for c in columns if a[c] != b[c])
    print(f"{len(new)} records; changed per column: {dict(changed)}")
    pairs = [(a, b) for a, b in zip(old, new) if a[args.column] != b[args.column]]
    kinds = collections.Counter((bool(a[args.column]), bool(b[args.column])) for a, b in pairs)
    print(f"{args.column} changed in {len(pairs)} records; (old set, new set): {dict(kinds)}")
    texts = read_texts(args.articles, args.id_col, args.text_col)
    random.seed(args.seed)
    random.shuffle(pairs)
    for i, (a, b) in enumerate(pairs[: args.n]):
        text = texts[b["doc_id"]]
        start = int(b["source_start"] or b["cue_start"])
        before = text[max(0, start - args.context): start + 20].replace("\n", " ")
        print(f"#{i} [{b['source_text']}] OLD={a[args.column]!r} NEW={b[args.column]!r}\n    {before}")


if __name__ == "__main__":
    main()
