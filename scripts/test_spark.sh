#!/usr/bin/env bash
# Test of the Apache Spark recipe (scripts/spark_score.py, docs/SCALING.md):
# runs it in local[2] mode with several partitions, so several `slant score`
# processes each score a slice of the corpus through rdd.pipe, and checks
# that the merged CSV is byte-for-byte the output of one `slant score`
# process on the same file with the same options.
#
#   1. datasets/examples-csv/articles.jsonl with the hyperpartisan model and
#      kept columns, 4 partitions;
#   2. the same articles in reverse order, with a kept field holding quoted
#      newlines, plus a blank and an invalid line, 3 partitions: input order
#      is kept (here it differs from doc_id order) and multi-line cells
#      survive the header handling;
#   3. a slant that exits non-zero (missing model file) fails the Spark job.
#
# Needs Java 17+ and python3; installs pyspark from PyPI when missing. Takes
# the slant binary from $SLANT (default target/release/slant); builds nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

SLANT=${SLANT:-target/release/slant}
if [ ! -x "$SLANT" ]; then
  echo "test_spark: FAIL: no slant binary at $SLANT (run cargo build --release, or set SLANT)"
  exit 1
fi
SLANT=$(realpath "$SLANT")
command -v java >/dev/null || { echo "test_spark: FAIL: java not found (Spark needs Java 17+)"; exit 1; }
python3 -c 'import pyspark' 2>/dev/null || python3 -m pip install --quiet pyspark
# The spark-submit inside the pip package, whether or not pip's bin folder is on PATH.
SPARK_SUBMIT=$(python3 -c 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), "bin", "spark-submit"))')
echo "test_spark: pyspark $(python3 -c 'import pyspark; print(pyspark.__version__)'), slant $SLANT"

export PYSPARK_PYTHON=python3 PYSPARK_DRIVER_PYTHON=python3
# Local mode needs no name lookup of this host.
export SPARK_LOCAL_IP=127.0.0.1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Warnings and errors only, from the first line of start-up on
# (spark.log.level applies only once the context is up).
cat >"$tmp/log4j2.properties" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.nativecode.name = org.apache.hadoop.util.NativeCodeLoader
logger.nativecode.level = error
EOF

spark() {
  "$SPARK_SUBMIT" --master 'local[2]' \
    --driver-java-options "-Dlog4j2.configurationFile=file:$tmp/log4j2.properties" \
    --conf spark.ui.enabled=false --conf spark.log.level=WARN \
    scripts/spark_score.py --slant "$SLANT" "$@"
}

# compare SPARK_CSV SINGLE_CSV PARTS_DIR ROWS PARTITIONS [COLUMN_PREFIX]:
# byte-for-byte equality, the row count, the columns, and that every one of
# the PARTITIONS partitions (one slant process each) scored rows: the recipe
# gives each a balanced range of lines, and a plain PySpark repartition(),
# which moves pickled batches of lines, leaves some empty on a corpus this
# small.
compare() {
  python3 - "$@" <<'PY'
import csv, glob, io, os, sys

spark_csv, single_csv, parts_dir, rows_wanted, partitions = sys.argv[1:6]
prefix = sys.argv[6] if len(sys.argv) > 6 else None
fail = []
spark, single = open(spark_csv, "rb").read(), open(single_csv, "rb").read()
records = lambda b: list(csv.reader(io.StringIO(b.decode("utf-8"), newline="")))
s_rows, o_rows = records(spark), records(single)
if spark != single:
    fail.append(f"the Spark CSV ({len(s_rows) - 1} rows, {len(spark)} bytes) differs from "
                f"one process ({len(o_rows) - 1} rows, {len(single)} bytes)")
    for i, (a, b) in enumerate(zip(s_rows, o_rows)):
        if a != b:
            j = next((j for j, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            column = o_rows[0][j] if j < len(o_rows[0]) else f"#{j + 1}"
            fail.append(f"first difference: record {i} (0 = header, doc_id {b[0]!r}), column {column}: "
                        f"Spark {a[j] if j < len(a) else None!r}, one process {b[j] if j < len(b) else None!r}")
            break
if len(o_rows) - 1 != int(rows_wanted):
    fail.append(f"one process wrote {len(o_rows) - 1} rows, expected {rows_wanted}")
if prefix and not any(h.startswith(prefix) for h in o_rows[0]):
    fail.append(f"no {prefix}* column in the header")
# Data rows per part file (part 0 also holds the header).
parts = sorted(glob.glob(os.path.join(parts_dir, "part-*")))
per_part = [len(records(open(p, "rb").read())) - (i == 0) for i, p in enumerate(parts)]
if len(per_part) != int(partitions) or min(per_part, default=0) == 0:
    fail.append(f"rows per partition {per_part}: expected {partitions} partitions, each with rows")
if not os.path.exists(os.path.join(parts_dir, "_SUCCESS")):
    fail.append("no _SUCCESS marker in the output folder")
print(f"  {len(o_rows) - 1} rows, {len(o_rows[0])} columns, rows per partition {per_part}")
for f in fail:
    print("  " + f)
sys.exit(1 if fail else 0)
PY
}

status=0
result() { if [ "$2" = 0 ]; then echo "test_spark: PASS: $1"; else echo "test_spark: FAIL: $1"; status=1; fi; }

# 1. The example corpus with a model and kept columns.
opts=(--model models/hyperpartisan.json --keep-cols outlet,date)
echo "test_spark: 1. example corpus, 4 partitions, ${opts[*]}"
spark --input datasets/examples-csv/articles.jsonl --output "$tmp/out1" --merged "$tmp/spark1.csv" \
  --partitions 4 "${opts[@]}"
"$SLANT" score datasets/examples-csv/articles.jsonl --threads 1 --quiet "${opts[@]}" -o "$tmp/single1.csv"
rc=0; compare "$tmp/spark1.csv" "$tmp/single1.csv" "$tmp/out1" 16 4 p_hyperpartisan_ || rc=$?
result "example corpus: Spark rows == single-process rows" "$rc"

# 2. Reversed order, a multi-line quoted kept field, a blank and an invalid line.
python3 - datasets/examples-csv/articles.jsonl "$tmp/reordered.jsonl" <<'PY'
import json, sys
docs = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for i, d in enumerate(reversed(docs)):
        d["note"] = f'first line, "quoted"\nsecond line of {d["id"]}' if i % 2 == 0 else "one line"
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
        if i == 7:
            f.write("\nnot json: slant skips this line in both runs\n")
PY
echo "test_spark: 2. reversed corpus with multi-line cells, 3 partitions"
# The invalid line is a skipped record: slant exits 3 for it (which fails
# the task) unless --allow-skips, passed on to every slant here.
spark --input "$tmp/reordered.jsonl" --output "$tmp/out2" --merged "$tmp/spark2.csv" \
  --partitions 3 --keep-cols note --allow-skips 2>"$tmp/spark2.err" || { cat "$tmp/spark2.err"; false; }
"$SLANT" score "$tmp/reordered.jsonl" --threads 1 --quiet --keep-cols note --allow-skips -o "$tmp/single2.csv" 2>/dev/null
rc=0; compare "$tmp/spark2.csv" "$tmp/single2.csv" "$tmp/out2" 16 3 || rc=$?
# Input order must really differ from doc_id order for this case to test order.
python3 - "$tmp/spark2.csv" <<'PY' || rc=1
import csv, sys
ids = [r[0] for r in list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))[1:]]
ok = ids != sorted(ids) and ids[0] == "wire-report-bridge"
print(f"  row order: {ids[0]}, {ids[1]}, ... ({'input order' if ok else 'NOT input order'})")
sys.exit(0 if ok else 1)
PY
result "reversed corpus: input order and multi-line cells kept" "$rc"

# 3. slant exits non-zero in every task: the job must fail, with no _SUCCESS.
echo "test_spark: 3. slant fails (missing model): the Spark job must fail"
if spark --input datasets/examples-csv/articles.jsonl --output "$tmp/out3" --partitions 2 \
  --model "$tmp/no-such-model.json" >"$tmp/spark3.log" 2>&1; then
  result "a failing slant fails the job (the job succeeded)" 1
elif ! grep -q "PIPE_FUNCTION_EXITED" "$tmp/spark3.log" || [ -e "$tmp/out3/_SUCCESS" ]; then
  tail -n 20 "$tmp/spark3.log"
  result "a failing slant fails the job (failed, but not through the pipe's exit check)" 1
else
  result "a failing slant fails the job" 0
fi

echo "test_spark: $([ "$status" = 0 ] && echo PASS || echo FAIL) (${SECONDS}s)"
exit "$status"
