#!/usr/bin/env bash
# File size and headless render time of `slant report` on AllSides articles
# (docs/PERFORMANCE.md, "The HTML report"). Builds, outside the repository,
#   /tmp/slant-report-bench/allsides_3548.csv   the 3,548 distinct articles of
#                                               ../shared/data/allsides_baly2020/dev.csv.gz
#   /tmp/slant-report-bench/allsides_10000.csv  10,000 documents: those articles
#                                               cycled (ids <id>-r<k>); only 3,548 are distinct
# then, for each, times `slant report` and `chromium --headless --dump-dom` of the page
# (the DOM after the page's script ran) and prints size and seconds.
#
#   SLANT=target/release/slant bench/report_bench.sh [extra report options...]
set -euo pipefail
cd "$(dirname "$0")/.."
SLANT=${SLANT:-target/release/slant}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
DIR=${DIR:-/tmp/slant-report-bench}
SRC=${SRC:-../shared/data/allsides_baly2020/dev.csv.gz}
mkdir -p "$DIR"
python3 - "$SRC" "$DIR" <<'PY'
import csv, gzip, os, sys
csv.field_size_limit(10**9)
src, out = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(gzip.open(src, "rt", encoding="utf-8")))
for n in (len(rows), 10000):
    path = os.path.join(out, f"allsides_{n}.csv")
    if os.path.exists(path):
        continue
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "source", "source_group"])
        for i in range(n):
            r = rows[i % len(rows)]
            w.writerow([f"{r['id']}-r{i // len(rows)}", r["text"], r["source"], r["source_group"]])
PY
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --user-data-dir="$profile")
for n in 3548 10000; do
  out="$DIR/report_$n.html"
  t0=$(date +%s.%N)
  "$SLANT" report "$DIR/allsides_$n.csv" -q -o "$out" "$@"
  t1=$(date +%s.%N)
  status=0
  timeout "${TIMEOUT:-900}" "$CHROMIUM" "${flags[@]}" --dump-dom "file://$out" >"$DIR/dom_$n.html" 2>"$DIR/chromium_$n.log" || status=$?
  t2=$(date +%s.%N)
  python3 -c "import sys; n,s,a,b,c,st=sys.argv[1:]; a,b,c=float(a),float(b),float(c)
render = f'{c-b:.1f} s' if st == '0' else f'not finished (exit {st}) after {c-b:.0f} s'
print(f'{n} docs: {int(s)/1e6:.1f} MB, report {b-a:.1f} s, headless render (dump-dom) {render}')" \
    "$n" "$(stat -c %s "$out")" "$t0" "$t1" "$t2" "$status"
done
