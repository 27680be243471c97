#!/usr/bin/env python3
"""Build a benchmark corpus for slant.

Two kinds:
  * --distinct: every news article in ../shared/data, each text once (AllSides, SemEval-2019
    hyperpartisan, PolNeAR, SemEval-2023 frames, evidence_gold; de-duplicated by the SHA-1 of
    the whitespace-normalised text), in that order, up to --mb. A corpus that behaves like a
    real one: no word form is cached by an earlier copy of the same article. About 31 MB exist.
  * default: the AllSides (Baly et al. 2020) dev articles repeated until the file reaches the
    requested size; for the memory-flatness check on 100 MB .. 1 GB only (caches make a
    repeated corpus look faster than a real one).

    python3 bench/make_corpus.py --distinct --mb 20   # -> /tmp/slant-bench/distinct_20mb.jsonl
    python3 bench/make_corpus.py            # 1000 MB -> /tmp/slant-bench/corpus_1000mb.jsonl
    python3 bench/make_corpus.py --mb 100   # 100 MB  -> /tmp/slant-bench/corpus_100mb.jsonl

One JSON object per line: {"id": "<id>-r<k>", "text", "label", "source"}; repetition k
gets ids suffixed -r<k>, so every id is distinct. MB = 10^6 bytes of the JSONL file.
A sidecar <out>.meta.json records n_docs, file_bytes and text_bytes (UTF-8 bytes of the
text fields: the figure MB/s is computed from). The output must lie outside the repository:
no dataset text is ever written into it.
"""
import argparse
import csv
import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA = os.path.join(REPO, "..", "shared", "data")
DEFAULT_SRC = os.path.join(DATA, "allsides_baly2020", "dev.csv.gz")
# News articles (id,text columns) for --distinct, in this order.
DISTINCT_SRCS = [
    "allsides_baly2020/dev.csv.gz",
    "hyperpartisan_semeval2019/train.csv.gz",
    "attribution_polnear/articles.csv.gz",
    "frames_semeval2023/train.csv.gz",
    "evidence_gold/articles.csv.gz",
]


def read_rows(path):
    csv.field_size_limit(1 << 30)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        return [(r["id"], r["text"], r.get("label", ""), r.get("source", "") or r.get("publisher", "")) for r in csv.DictReader(f)]


def distinct_rows(data_dir):
    import hashlib
    seen, rows = set(), []
    for rel in DISTINCT_SRCS:
        name = rel.split("/")[0]
        for rid, text, label, source in read_rows(os.path.join(data_dir, rel)):
            key = hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()
            if not text.strip() or key in seen:
                continue
            seen.add(key)
            rows.append((f"{name}/{rid}", text, label, source))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=1000, help="target file size in MB (10^6 bytes), default 1000")
    ap.add_argument("--src", default=os.environ.get("SLANT_BENCH_SRC", DEFAULT_SRC), help="source CSV(.gz) with id,text,label,source")
    ap.add_argument("--out", default=None, help="output path (default /tmp/slant-bench/corpus_<MB>mb.jsonl)")
    ap.add_argument("--force", action="store_true", help="rebuild even if the output exists")
    ap.add_argument("--distinct", action="store_true", help="distinct news articles of the data folder, no repetition")
    ap.add_argument("--data", default=DATA, help="the datasets folder for --distinct (default ../shared/data)")
    args = ap.parse_args()

    kind = "distinct" if args.distinct else "corpus"
    out = args.out or f"/tmp/slant-bench/{kind}_{args.mb:g}mb.jsonl"
    out_abs = os.path.realpath(out)
    if out_abs == os.path.realpath(REPO) or out_abs.startswith(os.path.realpath(REPO) + os.sep):
        sys.exit(f"refusing to write dataset text inside the repository: {out}")
    meta_path = out + ".meta.json"
    if os.path.exists(out) and os.path.exists(meta_path) and not args.force:
        print(f"exists: {out} ({open(meta_path).read().strip()})")
        return
    os.makedirs(os.path.dirname(out_abs), exist_ok=True)

    rows = distinct_rows(args.data) if args.distinct else read_rows(args.src)
    if not rows:
        sys.exit(f"no rows in {args.src}")

    target = int(args.mb * 1_000_000)
    n_docs = file_bytes = text_bytes = 0
    k = 0
    with open(out_abs, "w", encoding="utf-8") as w:
        while file_bytes < target:
            for rid, text, label, source in rows:
                doc_id = rid if args.distinct else f"{rid}-r{k}"
                line = json.dumps({"id": doc_id, "text": text, "label": label, "source": source}, ensure_ascii=False) + "\n"
                w.write(line)
                file_bytes += len(line.encode("utf-8"))
                text_bytes += len(text.encode("utf-8"))
                n_docs += 1
                if file_bytes >= target:
                    break
            k += 1
            if args.distinct:
                break  # each text once: the corpus ends where the distinct texts end
    meta = {"path": out_abs, "n_docs": n_docs, "file_bytes": file_bytes, "text_bytes": text_bytes,
            "repetitions": k, "source_rows": len(rows),
            "src": [os.path.realpath(os.path.join(args.data, r)) for r in DISTINCT_SRCS] if args.distinct else os.path.realpath(args.src),
            "distinct": args.distinct}
    with open(meta_path, "w") as m:
        json.dump(meta, m)
        m.write("\n")
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
