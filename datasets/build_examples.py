#!/usr/bin/env python3
"""Regenerate datasets/examples-csv/ from the articles in datasets/examples/.

Writes two files, both derived byte-for-byte from the .txt articles:

  examples-csv/articles.csv    columns id,outlet,date,kind,body (RFC 4180, CRLF
                               record separators, UTF-8 without BOM)
  examples-csv/articles.jsonl  one JSON object per line with fields
                               id,outlet,date,kind,text (UTF-8, not ASCII-escaped)

`body`/`text` is the complete file content (headline line included), read without
newline translation, so CRLF files and decomposed (non-NFC) characters survive
unchanged. Rows are sorted by file name; output is deterministic.

Usage:
  python3 datasets/build_examples.py          # (re)write the files
  python3 datasets/build_examples.py --check  # exit 1 if they are out of date

Only the Python standard library is used.
"""

import csv
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE / "examples"
OUT_DIR = HERE / "examples-csv"

# slug -> (outlet, date, kind). All outlets are fictional.
META = {
    "abbreviations-stress": ("Harbor Daily", "2026-01-15", "abbreviations-stress"),
    "anonymous-scoop": ("Harbor Daily", "2026-02-06", "anonymous-scoop"),
    "balanced-both-sides": ("Ridgeline Post", "2026-02-11", "balanced-both-sides"),
    "court-ruling": ("Delmont Courier", "2026-01-22", "court-ruling"),
    "crlf-line-endings": ("Alder Springs Ledger", "2026-03-04", "crlf-line-endings"),
    "hedged-outbreak": ("Tessel Valley Gazette", "2026-06-04", "hedged"),
    "long-quote-interview": ("Wellsbury Evening Star", "2026-04-18", "long-quote-interview"),
    "negation-cases": ("Brightwater Tribune", "2026-03-13", "negation"),
    "oped-transit": ("Port Sable Herald", "2026-05-02", "op-ed"),
    "partisan-one-sided": ("Carrow Patriot Ledger", "2026-02-23", "partisan-one-sided"),
    "scare-quotes": ("Marlow County Sentinel", "2026-03-25", "scare-quotes"),
    "science-study": ("Ridgeline Post", "2026-07-13", "science-study"),
    "sports-neutral": ("Ashby Sports Weekly", "2026-05-17", "neutral-baseline"),
    "unicode-names": ("Carrick Bay Observer", "2026-08-07", "unicode-names"),
    "weasel-feature": ("Corvin Bay Chronicle", "2026-04-09", "weasel"),
    "wire-report-bridge": ("Northern Wire Service", "2026-01-27", "wire-report"),
}


def load_articles():
    files = sorted(EXAMPLES.glob("*.txt"), key=lambda p: p.name)
    slugs = [p.stem for p in files]
    missing = sorted(set(slugs) - set(META))
    stale = sorted(set(META) - set(slugs))
    if missing or stale:
        sys.exit(
            "build_examples.py: metadata mismatch; "
            f"no META entry for {missing}, META entry without file for {stale}"
        )
    rows = []
    for path in files:
        # newline="" keeps CRLF untouched; utf-8 (not utf-8-sig) keeps any BOM visible.
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        outlet, date, kind = META[path.stem]
        rows.append({"id": path.stem, "outlet": outlet, "date": date, "kind": kind, "text": text})
    return rows


def render_csv(rows):
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["id", "outlet", "date", "kind", "body"])
    for r in rows:
        w.writerow([r["id"], r["outlet"], r["date"], r["kind"], r["text"]])
    return buf.getvalue().encode("utf-8")


def render_jsonl(rows):
    lines = [
        json.dumps(
            {"id": r["id"], "outlet": r["outlet"], "date": r["date"], "kind": r["kind"], "text": r["text"]},
            ensure_ascii=False,
        )
        for r in rows
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def main(argv):
    check = "--check" in argv[1:]
    rows = load_articles()
    outputs = {
        OUT_DIR / "articles.csv": render_csv(rows),
        OUT_DIR / "articles.jsonl": render_jsonl(rows),
    }
    stale = []
    for path, data in outputs.items():
        current = path.read_bytes() if path.exists() else None
        if current == data:
            continue
        if check:
            stale.append(path.relative_to(HERE.parent).as_posix())
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path.relative_to(HERE.parent).as_posix()} ({len(rows)} articles)")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run python3 datasets/build_examples.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
