#!/usr/bin/env bash
# Run slant's fuzz targets (libFuzzer through cargo-fuzz, on stable Rust with
# `-s none`: no sanitizer is needed for a crate without unsafe code; the
# coverage instrumentation is the stable `-C passes=sancov-module`).
#
#   bash fuzz/run.sh [SECONDS_PER_TARGET] [JOBS] [TARGET...]
#
# Defaults: 600 s per target, 2 targets at a time, all targets. Each target's
# corpus grows in fuzz/corpus/<target> (seeded from fuzz/seeds/<target>),
# crashes land in fuzz/artifacts/<target>/, logs in fuzz/logs/<target>.log.
# fuzz/dict/<target>.dict (libFuzzer dictionaries: tokens each parser branches
# on) is used when present: without a sanitizer, libFuzzer cannot see string
# comparisons, so keywords like "www." or "@category" come from there.
# A crash found here becomes a regression test in tests/fuzz_regressions.rs.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
jobs=${2:-2}
shift $(( $# > 2 ? 2 : $# ))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(text read_delimited read_jsonl read_stream lexicon dictionary model)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
[ -d seeds ] || python3 make_seeds.py
cargo fuzz build -s none
mkdir -p logs
run_one() {
  local t=$1
  mkdir -p "corpus/$t" "artifacts/$t"
  local dict=()
  [ -f "dict/$t.dict" ] && dict=(-dict="dict/$t.dict")
  cargo fuzz run -s none "$t" "corpus/$t" "seeds/$t" -- "${dict[@]}" \
    -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="artifacts/$t/" >"logs/$t.log" 2>&1 && status=ok || status="FAILED (see logs/$t.log)"
  echo "$t: $status; $(grep -E '^stat::number_of_executed_units' "logs/$t.log" | awk '{print $2}') executions"
}
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait
