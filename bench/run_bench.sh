#!/usr/bin/env bash
# End-to-end benchmark of `slant score` and of the Python baseline (docs/PERFORMANCE.md).
#
#   bench/run_bench.sh                     # 100 MB corpus, REPS=2 repetitions of every timing
#   SIZES="100 1000" bench/run_bench.sh    # also the 1 GB corpus (several minutes per run)
#
# Environment: SLANT (binary, default target/release/slant), REPS (default 2), SIZES (corpus
# sizes in MB for configurations a/b at default threads, default "100"), THREADS_MB (corpus
# for the --threads 1 vs default comparison, default 100), PY_MB (corpus the Python baseline
# runs on, default 10; slant is timed on the same corpus for the ratio; "" skips Python),
# BENCH_DIR (default /tmp/slant-bench: corpora, logs, results.tsv).
# Configurations: (a) default lexicons only; (b) lexicons + models/hyperpartisan.json +
# models/leaning.json. MB = 10^6 bytes of document text (the JSON text fields), from the
# corpus .meta.json written by bench/make_corpus.py.
set -euo pipefail
cd "$(dirname "$0")/.."
SLANT=${SLANT:-target/release/slant}
REPS=${REPS:-2}
SIZES=${SIZES:-100}
THREADS_MB=${THREADS_MB:-100}
PY_MB=${PY_MB-10}
BENCH_DIR=${BENCH_DIR:-/tmp/slant-bench}
PYTHON=${PYTHON:-python3}
mkdir -p "$BENCH_DIR/logs"
RESULTS="$BENCH_DIR/results.tsv"
[ -x "$SLANT" ] || { echo "no slant binary at $SLANT (cargo build --release)" >&2; exit 1; }
MODELS=(--model models/hyperpartisan.json --model models/leaning.json)

echo "# $(date -Is) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; slant $($SLANT --version 2>/dev/null || echo '?')" | tee -a "$RESULTS"
printf "config\tcorpus_mb\tthreads\trep\twall_s\tmax_rss_mb\ttext_mb_per_s\tdocs_per_s\n" | tee -a "$RESULTS"

corpus() { # size_mb -> path (built if missing)
  local p="$BENCH_DIR/corpus_${1}mb.jsonl"
  $PYTHON bench/make_corpus.py --mb "$1" --out "$p" >&2
  echo "$p"
}
meta() { $PYTHON -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1.meta.json" "$2"; }

# /usr/bin/time -v "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.33" -> seconds
wall_of() { awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$1"; }
rss_of() { awk -F': ' '/Maximum resident set size/{printf "%.1f", $2/1024}' "$1"; }

timed() { # config size_mb threads rep log -- command...
  local cfg=$1 mb=$2 th=$3 rep=$4 log=$5 path=$6; shift 6
  /usr/bin/time -v "$@" 2> "$log" >/dev/null || { echo "FAILED: $* (see $log)" >&2; tail -5 "$log" >&2; exit 1; }
  local w r tb nd
  w=$(wall_of "$log"); r=$(rss_of "$log"); tb=$(meta "$path" text_bytes); nd=$(meta "$path" n_docs)
  printf "%s\t%s\t%s\t%s\t%.2f\t%s\t%.2f\t%.1f\n" "$cfg" "$mb" "$th" "$rep" "$w" "$r" \
    "$(echo "$tb / 1000000 / $w" | bc -l)" "$(echo "$nd / $w" | bc -l)" | tee -a "$RESULTS"
}

run_slant() { # config size_mb threads(""=default)
  local cfg=$1 mb=$2 th=$3 path extra=() targs=()
  path=$(corpus "$mb")
  [ "$cfg" = b ] && extra=("${MODELS[@]}")
  [ -n "$th" ] && targs=(--threads "$th")
  for rep in $(seq 1 "$REPS"); do
    timed "$cfg" "$mb" "${th:-default}" "$rep" "$BENCH_DIR/logs/slant_${cfg}_${mb}mb_t${th:-d}_r$rep.txt" "$path" \
      "$SLANT" score "$path" --text-field text -o /dev/null "${targs[@]}" "${extra[@]}"
  done
}

for mb in $SIZES; do
  for cfg in a b; do run_slant "$cfg" "$mb" ""; done
done
for cfg in a b; do run_slant "$cfg" "$THREADS_MB" 1; done

if [ -n "$PY_MB" ]; then
  path=$(corpus "$PY_MB")
  case " $SIZES " in *" $PY_MB "*) ;; *) for cfg in a b; do run_slant "$cfg" "$PY_MB" ""; done ;; esac
  for rep in $(seq 1 "$REPS"); do
    log="$BENCH_DIR/logs/python_${PY_MB}mb_r$rep.txt"
    /usr/bin/time -v $PYTHON bench/python_baseline.py "$path" -o "$BENCH_DIR/python_${PY_MB}mb.csv" > "$log.json" 2> "$log"
    echo -e "python\t$PY_MB\t1\t$rep\t$(wall_of "$log")\t$(rss_of "$log")\t$(cat "$log.json")" | tee -a "$RESULTS"
  done
  # Ratio: best slant rate / best Python scoring-only rate, same corpus.
  $PYTHON - "$RESULTS" "$PY_MB" "$BENCH_DIR/logs" "$REPS" <<'PY' | tee -a "$RESULTS"
import sys, json, glob, re
results, mb, logs, reps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
lines = open(results).read().splitlines()
start = max(i for i, l in enumerate(lines) if l.startswith("config\t"))
best = {}
for l in lines[start + 1:]:
    f = l.split("\t")
    if f[0] in ("a", "b") and f[1] == mb and f[2] == "default":
        best[f[0]] = max(best.get(f[0], 0), float(f[6]))
py = [json.loads(open(p).read()) for p in sorted(glob.glob(f"{logs}/python_{mb}mb_r*.txt.json"))[-reps:]]
pys = max(p["mb_per_s_score"] for p in py); pyt = max(p["mb_per_s_total"] for p in py)
for cfg, v in sorted(best.items()):
    print(f"ratio {cfg}: slant {v:.2f} MB/s / python scoring-only {pys:.4f} MB/s = {v / pys:.1f}x "
          f"(vs python incl. fit {pyt:.4f} MB/s: {v / pyt:.1f}x)")
PY
fi
