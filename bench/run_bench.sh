#!/usr/bin/env bash
# End-to-end benchmark of `slant score` against the Python baseline and `wc -w`, all on the
# same files in the same run (docs/PERFORMANCE.md).
#
#   bench/run_bench.sh                       # distinct news corpus, REPS=3
#   SIZES="100 1000" bench/run_bench.sh      # also memory flatness on the repeated corpora
#
# Corpora (bench/make_corpus.py, outside the repository):
#   * distinct: every news article in ../shared/data once (about 29 MB of text, 5,546 docs):
#     all speed figures and ratios come from it;
#   * corpus_<MB>mb: the AllSides sample repeated, only for peak RSS at 100 MB .. 1 GB (SIZES),
#     since a repeated corpus finds every word form cached after the first copy.
# Configurations: (a) default lexicons only; (b) + the shipped article models
# (hyperpartisan, leaning); (c) everything on: (b) + the sentence models (bias, subjectivity)
# + --sentences, --matches and --sources files (tags and the attribution layer are always on).
# Environment: SLANT (default target/release/slant), REPS (default 3), SIZES (default ""),
# PY (1 = run the Python baseline, default 1), BENCH_DIR (default /tmp/slant-bench).
# MB = 10^6 bytes. slant and Python rates are per byte of document text (the corpus
# .meta.json); `wc -w` reads the whole JSONL file, so its ratio is taken on wall time of the
# same file: slant_rate_vs_wc = wc_wall / slant_wall.
set -euo pipefail
cd "$(dirname "$0")/.."
SLANT=${SLANT:-target/release/slant}
REPS=${REPS:-3}
SIZES=${SIZES:-}
PY=${PY:-1}
BENCH_DIR=${BENCH_DIR:-/tmp/slant-bench}
PYTHON=${PYTHON:-python3}
mkdir -p "$BENCH_DIR/logs" "$BENCH_DIR/out"
RESULTS="$BENCH_DIR/results.tsv"
[ -x "$SLANT" ] || { echo "no slant binary at $SLANT (cargo build --release)" >&2; exit 1; }
if [ "$PY" = 1 ] && ! $PYTHON -c "import nltk, sklearn" 2>/dev/null; then
  echo "the Python baseline needs nltk and scikit-learn: $PYTHON -m pip install nltk scikit-learn (or PY=0)" >&2; exit 1
fi
ARTICLE_MODELS=(--model models/hyperpartisan.json --model models/leaning.json)
SENTENCE_MODELS=(--model models/bias.json --model models/subjectivity.json)

echo "# $(date -Is) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; slant $($SLANT --version 2>/dev/null || echo '?')" | tee -a "$RESULTS"
printf "config\tcorpus\tthreads\trep\twall_s\tmax_rss_mb\ttext_mb_per_s\tdocs_per_s\n" | tee -a "$RESULTS"

distinct() {
  local p="$BENCH_DIR/distinct.jsonl"
  $PYTHON bench/make_corpus.py --distinct --mb 100000 --out "$p" >&2
  echo "$p"
}
repeated() { # size_mb -> path (built if missing)
  local p="$BENCH_DIR/corpus_${1}mb.jsonl"
  $PYTHON bench/make_corpus.py --mb "$1" --out "$p" >&2
  echo "$p"
}
meta() { $PYTHON -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1.meta.json" "$2"; }

# /usr/bin/time -v "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.33" -> seconds
wall_of() { awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$1"; }
rss_of() { awk -F': ' '/Maximum resident set size/{printf "%.1f", $2/1024}' "$1"; }

timed() { # config corpus_name threads rep log path -- command...
  local cfg=$1 name=$2 th=$3 rep=$4 log=$5 path=$6; shift 6
  /usr/bin/time -v "$@" 2> "$log" >/dev/null || { echo "FAILED: $* (see $log)" >&2; tail -5 "$log" >&2; exit 1; }
  local w r tb nd
  w=$(wall_of "$log"); r=$(rss_of "$log"); tb=$(meta "$path" text_bytes); nd=$(meta "$path" n_docs)
  printf "%s\t%s\t%s\t%s\t%.2f\t%s\t%.2f\t%.1f\n" "$cfg" "$name" "$th" "$rep" "$w" "$r" \
    "$(echo "$tb / 1000000 / $w" | bc -l)" "$(echo "$nd / $w" | bc -l)" | tee -a "$RESULTS"
}

slant_args() { # config path threads out_prefix -> the score command line
  local cfg=$1 path=$2 th=$3 out=$4
  local a=("$SLANT" score "$path" --text-field text -o "$out.csv" -q)
  [ -n "$th" ] && a+=(--threads "$th")
  case "$cfg" in
    b) a+=("${ARTICLE_MODELS[@]}") ;;
    c) a+=("${ARTICLE_MODELS[@]}" "${SENTENCE_MODELS[@]}" --sentences "$out.sentences.csv" \
           --matches "$out.matches.csv" --sources "$out.sources.csv") ;;
  esac
  printf '%s\n' "${a[@]}"
}

run_slant() { # config path name threads(""=default)
  local cfg=$1 path=$2 name=$3 th=$4 rep cmd
  for rep in $(seq 1 "$REPS"); do
    mapfile -t cmd < <(slant_args "$cfg" "$path" "$th" "$BENCH_DIR/out/${cfg}_${name}_t${th:-d}")
    timed "$cfg" "$name" "${th:-default}" "$rep" "$BENCH_DIR/logs/slant_${cfg}_${name}_t${th:-d}_r$rep.txt" "$path" "${cmd[@]}"
  done
}

D=$(distinct)
for rep in $(seq 1 "$REPS"); do
  timed wc_w distinct 1 "$rep" "$BENCH_DIR/logs/wc_r$rep.txt" "$D" wc -w "$D"
done
for cfg in a b c; do run_slant "$cfg" "$D" distinct ""; done
run_slant c "$D" distinct 1
# Same bytes at 1 and N threads (every file of configuration c).
for f in csv sentences.csv matches.csv sources.csv; do
  cmp -s "$BENCH_DIR/out/c_distinct_td.$f" "$BENCH_DIR/out/c_distinct_t1.$f" \
    && echo "# identical at 1 and $(nproc) threads: $f" | tee -a "$RESULTS" \
    || { echo "# DIFFERENT at 1 and $(nproc) threads: $f" | tee -a "$RESULTS"; exit 1; }
done

if [ "$PY" = 1 ]; then
  for rep in $(seq 1 "$REPS"); do
    log="$BENCH_DIR/logs/python_distinct_r$rep.txt"
    /usr/bin/time -v $PYTHON bench/python_baseline.py "$D" -o "$BENCH_DIR/out/python_distinct.csv" > "$log.json" 2> "$log"
    echo -e "python\tdistinct\t1\t$rep\t$(wall_of "$log")\t$(rss_of "$log")\t$(cat "$log.json")" | tee -a "$RESULTS"
  done
fi

for mb in $SIZES; do
  P=$(repeated "$mb")
  REPS=1 run_slant c "$P" "rep${mb}mb" ""
done

# Ratios from this run's rows: best of the repetitions.
$PYTHON - "$RESULTS" "$BENCH_DIR/logs" "$REPS" "$PY" <<'PY' | tee -a "$RESULTS"
import sys, json, glob
results, logs, reps, py = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
lines = open(results).read().splitlines()
start = max(i for i, l in enumerate(lines) if l.startswith("config\t"))
best_rate, best_wall, rss = {}, {}, {}
for l in lines[start + 1:]:
    f = l.split("\t")
    if len(f) < 8 or f[0] == "python":
        continue
    key = (f[0], f[1], f[2])
    best_rate[key] = max(best_rate.get(key, 0.0), float(f[6]))
    best_wall[key] = min(best_wall.get(key, 1e18), float(f[4]))
    rss[key] = max(rss.get(key, 0.0), float(f[5]))
wc = best_wall.get(("wc_w", "distinct", "1"))
pys = None
if py:
    runs = [json.loads(open(p).read()) for p in sorted(glob.glob(f"{logs}/python_distinct_r*.txt.json"))[-reps:]]
    pys = max(r["mb_per_s_score"] for r in runs)
    pyt = max(r["mb_per_s_total"] for r in runs)
for cfg in "abc":
    k = (cfg, "distinct", "default")
    if k not in best_rate:
        continue
    parts = [f"ratio {cfg}: slant {best_rate[k]:.2f} MB/s, peak RSS {rss[k]:.0f} MB"]
    if pys:
        parts.append(f"{best_rate[k] / pys:.1f}x Python scoring-only ({pys:.3f} MB/s; {best_rate[k] / pyt:.1f}x incl. its fit)")
    if wc:
        parts.append(f"{wc / best_wall[k]:.2f}x the speed of wc -w on one core (wall {best_wall[k]:.2f} s vs {wc:.2f} s)")
    print("# " + "; ".join(parts))
k1 = ("c", "distinct", "1")
if k1 in best_rate:
    print(f"# c at --threads 1: {best_rate[k1]:.2f} MB/s; default threads / 1 thread = {best_rate[('c', 'distinct', 'default')] / best_rate[k1]:.2f}")
mem = sorted((int(k[1][3:-2]), v) for k, v in rss.items() if k[0] == "c" and k[1].startswith("rep"))
if mem:
    print("# peak RSS (c, repeated corpus): " + ", ".join(f"{mb} MB -> {r:.0f} MB" for mb, r in mem)
          + (f"; largest / smallest = {mem[-1][1] / mem[0][1]:.2f}" if len(mem) > 1 else ""))
PY
