#!/usr/bin/env python3
"""Score a JSONL corpus with `slant score` on Apache Spark (rdd.pipe).

    spark-submit scripts/spark_score.py --input corpus.jsonl --output out/ \
        --slant /opt/slant/bin/slant --partitions 64 [--merged scores.csv] \
        [slant score options, e.g. --model /opt/slant/models/hyperpartisan.json --keep-cols outlet,date]

Each Spark partition is one `slant score - --input-format jsonl --threads 1`
process fed the partition's lines on stdin; Spark supplies the parallelism.
The result is byte-for-byte what one `slant score corpus.jsonl` process
writes (checked by scripts/test_spark.sh):

* Order is input order. Partitions hold contiguous, balanced ranges of input
  lines, so concatenating their outputs in partition order is the corpus order.
* `out/part-00000`, `out/part-00001`, ... concatenated in name order are the
  CSV: only the first part keeps slant's header. `--merged FILE` does that
  concatenation on the driver (local filesystems only).

Documents need ids (`--id-field`, default `id`): without one slant numbers the
records it reads, and numbering per partition would repeat ids. The recipe
checks this before scoring and stops if a scorable record has no id.

See docs/SCALING.md, section "Apache Spark".
"""

import argparse
import glob
import itertools
import json
import os
import shlex
import shutil
import sys
import time

from pyspark import SparkContext

# Options the recipe sets itself: passing them through would break the
# one-stdin-in, one-stdout-out contract of each partition's slant process.
# Evidence files (--sentences, --matches, --errors) would land on worker
# disks; use `--shard` with separate runs for those.
RESERVED = {
    "-o": "the recipe writes the output (--output / --merged)",
    "--output": "the recipe writes the output (--output / --merged)",
    "--input-format": "the input is always JSONL",
    "--threads": "use the recipe's --threads-per-task",
    "--format": "use the recipe's --format",
    "--sentences": "evidence files cannot be collected through rdd.pipe",
    "--matches": "evidence files cannot be collected through rdd.pipe",
    "--errors": "evidence files cannot be collected through rdd.pipe",
    "--resume": "Spark reruns failed tasks itself",
}


def parse_args(argv):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        # Unknown options go to slant verbatim, so no prefix guessing
        # (`--part` must not silently become --partitions).
        allow_abbrev=False,
        epilog="Any other option (or everything after `--`) is passed to `slant score` unchanged.",
    )
    p.add_argument("--input", required=True, help="JSONL corpus: a path, glob or comma list as sc.textFile takes (.gz works)")
    p.add_argument("--output", required=True, help="output folder for the part files (any Hadoop URI; must not exist)")
    p.add_argument("--slant", required=True, help="slant binary: the same absolute path must work on every worker")
    p.add_argument("--partitions", type=int, help="partitions = slant processes (default: Spark's default parallelism)")
    p.add_argument("--merged", help="also concatenate the parts into this single local file")
    p.add_argument("--id-field", "--id-col", default="id", help="JSON field with the document id (default: id)")
    p.add_argument("--text-field", "--text-col", default="text", help="JSON field with the text (default: text)")
    p.add_argument("--format", choices=["csv", "tsv", "jsonl"], default="csv", help="slant's output format (default: csv)")
    p.add_argument("--threads-per-task", type=int, default=1, help="slant --threads per partition; match spark.task.cpus (default: 1)")
    p.add_argument("--skip-id-check", action="store_true", help="do not check that every record has an id (saves one JSON parse per line)")
    args, slant_args = p.parse_known_args(argv)
    # A `--` reaching slant would turn the options after it into input files.
    slant_args = [a for a in slant_args if a != "--"]
    for a in slant_args:
        name = "-o" if a.startswith("-o") else a.split("=", 1)[0]
        if name in RESERVED:
            p.error(f"{name} cannot be passed to slant here: {RESERVED[name]}")
    if args.partitions is not None and args.partitions < 1:
        p.error("--partitions must be at least 1")
    if args.merged and "://" in args.output and not args.output.startswith("file://"):
        p.error(f"--merged needs a local --output; for {args.output} concatenate its part-* files in name order "
                "(e.g. `hdfs dfs -cat 'out/part-*' > scores.csv`)")
    return args, slant_args


def resolve_binary(path):
    # rdd.pipe starts the process with an empty environment (no PATH), so the
    # command must be a path, not a name to look up.
    found = shutil.which(path) if os.sep not in path else path
    if found and os.path.exists(found):
        return os.path.abspath(found)
    if os.path.isabs(path):
        return path  # may exist on the workers only
    sys.exit(f"spark_score: slant binary '{path}' not found; give an absolute path valid on every worker")


def check_ids(id_field, text_field):
    """Fail a partition that holds a record slant would score without an id.

    Mirrors slant's JSONL reader: only a JSON object with a string text field
    is scored; anything else is skipped by slant, here as in one process, so
    it is not an error here either.
    """

    def check(lines):
        for line in lines:
            try:
                obj = json.loads(line.lstrip("\ufeff"))
            except ValueError:
                pass
            else:
                if isinstance(obj, dict) and isinstance(obj.get(text_field), str) and obj.get(id_field) is None:
                    raise ValueError(
                        f"spark_score: a record has no '{id_field}' field; slant would number it per partition, "
                        f"so ids would repeat across partitions. Give every record an id (or use --id-field). "
                        f"Record starts: {line[:120]!r}"
                    )
            yield line

    return check


def drop_header(has_header):
    """Keep the header of partition 0 only.

    rdd.pipe splits slant's stdout at newlines, and CSV/TSV cells (ids, kept
    columns) may hold quoted newlines, so a "line" is not always a record.
    A record is complete once its count of `"` is even (RFC 4180 doubles
    quotes inside quoted cells), which finds the end of the header exactly.
    The remaining lines pass through unchanged; saveAsTextFile writes each
    one followed by a newline, which rebuilds slant's bytes.
    """

    def drop(index, lines):
        if not has_header or index == 0:
            yield from lines
            return
        quotes = 0
        for line in lines:
            quotes += line.count('"')
            if quotes % 2 == 0:
                break
        else:
            raise RuntimeError("spark_score: slant wrote no header (see the task's stderr)")
        yield from lines

    return drop


def main(argv):
    args, slant_args = parse_args(argv)
    slant = resolve_binary(args.slant)
    command = shlex.join(
        [slant, "score", "-", "--input-format", "jsonl", "--threads", str(args.threads_per_task),
         "--format", args.format, "--id-field", args.id_field, "--text-field", args.text_field, "--quiet"]
        + slant_args
    )

    sc = SparkContext.getOrCreate()
    sc.setLogLevel("WARN")
    started = time.time()
    n = args.partitions or sc.defaultParallelism

    lines = sc.textFile(args.input)
    if not args.skip_id_check:
        lines = lines.mapPartitions(check_ids(args.id_field, args.text_field))

    # Number the lines in input order without a driver-side collect: count
    # each input split (one pass, which also runs the id check), then give
    # every line its global position on a second read (of the plain input,
    # so the check does not run twice).
    counts = lines.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
    total = sum(counts)
    # No empty partition: a slant process given no document exits with
    # status 4 ("nothing usable"), which would fail the job.
    n = max(1, min(n, total))
    starts = [0, *itertools.accumulate(counts)]
    numbered = sc.textFile(args.input).mapPartitionsWithIndex(
        lambda i, it: ((starts[i] + k, line) for k, line in enumerate(it))
    )

    # Contiguous, equal ranges of positions per partition, sorted inside each:
    # every slant process sees its lines in input order, and partition order
    # is input order. A plain repartition() would lose the order and, in
    # PySpark, moves whole pickled batches of lines, so a small corpus can
    # land in one partition (16 lines into 4 partitions gave 0, 16, 0, 0).
    ranged = numbered.repartitionAndSortWithinPartitions(
        n, partitionFunc=lambda pos: pos * n // max(total, 1)
    ).values()

    # One slant per partition. checkCode: a non-zero exit (bad option,
    # unreadable model, --strict on a bad record, a record skipped: exit 3,
    # unless --allow-skips is passed on) fails the task, hence the job. slant's stderr is not piped: it goes to the executor's log and
    # cannot block or mix into the rows.
    scored = ranged.pipe(command, env={}, checkCode=True).mapPartitionsWithIndex(
        drop_header(args.format != "jsonl")
    )
    scored.saveAsTextFile(args.output)
    elapsed = time.time() - started

    summary = f"spark_score: {total} input line(s), {n} partition(s) = slant processes, {elapsed:.1f} s -> {args.output}"
    if args.merged:
        merge_parts(args.output, args.merged)
        summary += f", merged into {args.merged}"
    print(summary, file=sys.stderr)
    sc.stop()


def merge_parts(folder, target):
    """Concatenate the part files in name order (= partition order)."""
    folder = folder.removeprefix("file://")
    parts = sorted(glob.glob(os.path.join(folder, "part-*")))
    tmp = target + ".tmp"
    with open(tmp, "wb") as out:
        for part in parts:
            with open(part, "rb") as f:
                shutil.copyfileobj(f, out)
    os.replace(tmp, target)


if __name__ == "__main__":
    main(sys.argv[1:])
