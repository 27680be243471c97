#!/usr/bin/env python3
"""Build a benchmark corpus for slant by repeating the AllSides (Baly et al. 2020)
dev articles until the file reaches the requested size.

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
DEFAULT_SRC = os.path.join(REPO, "..", "shared", "data", "allsides_baly2020", "dev.csv.gz")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=1000, help="target file size in MB (10^6 bytes), default 1000")
    ap.add_argument("--src", default=os.environ.get("SLANT_BENCH_SRC", DEFAULT_SRC), help="source CSV(.gz) with id,text,label,source")
    ap.add_argument("--out", default=None, help="output path (default /tmp/slant-bench/corpus_<MB>mb.jsonl)")
    ap.add_argument("--force", action="store_true", help="rebuild even if the output exists")
    args = ap.parse_args()

    out = args.out or f"/tmp/slant-bench/corpus_{args.mb:g}mb.jsonl"
    out_abs = os.path.realpath(out)
    if out_abs == os.path.realpath(REPO) or out_abs.startswith(os.path.realpath(REPO) + os.sep):
        sys.exit(f"refusing to write dataset text inside the repository: {out}")
    meta_path = out + ".meta.json"
    if os.path.exists(out) and os.path.exists(meta_path) and not args.force:
        print(f"exists: {out} ({open(meta_path).read().strip()})")
        return
    os.makedirs(os.path.dirname(out_abs), exist_ok=True)

    csv.field_size_limit(1 << 30)
    opener = gzip.open if args.src.endswith(".gz") else open
    with opener(args.src, "rt", encoding="utf-8", newline="") as f:
        rows = [(r["id"], r["text"], r.get("label", ""), r.get("source", "")) for r in csv.DictReader(f)]
    if not rows:
        sys.exit(f"no rows in {args.src}")

    target = int(args.mb * 1_000_000)
    n_docs = file_bytes = text_bytes = 0
    k = 0
    with open(out_abs, "w", encoding="utf-8") as w:
        while file_bytes < target:
            for rid, text, label, source in rows:
                line = json.dumps({"id": f"{rid}-r{k}", "text": text, "label": label, "source": source}, ensure_ascii=False) + "\n"
                w.write(line)
                file_bytes += len(line.encode("utf-8"))
                text_bytes += len(text.encode("utf-8"))
                n_docs += 1
                if file_bytes >= target:
                    break
            k += 1
    meta = {"path": out_abs, "n_docs": n_docs, "file_bytes": file_bytes, "text_bytes": text_bytes,
            "repetitions": k, "source_rows": len(rows), "src": os.path.realpath(args.src)}
    with open(meta_path, "w") as m:
        json.dump(meta, m)
        m.write("\n")
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
