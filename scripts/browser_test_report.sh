#!/usr/bin/env bash
# Browser check of `slant report`: renders the report of the example corpus
# in headless Chromium (no network, fresh profile), checks the rendered DOM
# (highlights present, the pagination script ran) and saves a screenshot.
# Expects /usr/bin/chromium (CI: `apt-get install -y chromium`); without it
# the check is skipped (exit 0).
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "browser_test_report: $CHROMIUM not found; skipping the browser check"
  exit 0
fi

OUT=target/report-test
mkdir -p "$OUT"
cargo build --quiet
SLANT=${SLANT:-target/debug/slant}
"$SLANT" report datasets/examples -o "$OUT/report.html"
URL="file://$(pwd)/$OUT/report.html"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --user-data-dir="$profile")

timeout 120 "$CHROMIUM" "${flags[@]}" --dump-dom "$URL" >"$OUT/dom.html" 2>"$OUT/chromium.log" || {
  echo "browser_test_report: chromium --dump-dom failed (see $OUT/chromium.log)"
  exit 1
}

python3 - "$OUT/dom.html" <<'PY'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
fail = []
marks = len(re.findall(r"<mark ", dom))
sections = len(re.findall(r'<section class="doc"', dom))
# The script replaced the static indicator with the live one.
if "Page 1 of 1 (16 documents)" not in dom:
    fail.append("page indicator not updated by the script")
if sections != 16:
    fail.append(f"{sections} document sections, expected 16")
if marks < 300:
    fail.append(f"only {marks} <mark> elements")
if 'data-category="hedge"' not in dom:
    fail.append("no hedge mark")
if "<svg" not in dom:
    fail.append("no chart")
# Page 1 holds all 16 documents: none is hidden.
if re.search(r'<section class="doc"[^>]*\shidden', dom):
    fail.append("a document of page 1 is hidden")
if "&lt;" in dom and "<script>alert" in dom:
    fail.append("unescaped script")
if fail:
    print("browser_test_report: FAILED: " + "; ".join(fail))
    sys.exit(1)
print(f"browser_test_report: DOM ok ({sections} documents, {marks} marks)")
PY

# Pagination: 45 documents make 3 pages; only the first 20 are visible.
python3 -c '
import csv, sys
w = csv.writer(open(sys.argv[1], "w", newline=""))
w.writerow(["id", "text"])
for i in range(45):
    w.writerow([f"d{i}", f"Critics argue the plan may fail, officials said. Document {i}."])
' "$OUT/many.csv"
"$SLANT" report "$OUT/many.csv" -o "$OUT/many.html" 2>/dev/null
timeout 120 "$CHROMIUM" "${flags[@]}" --dump-dom "file://$(pwd)/$OUT/many.html" >"$OUT/many-dom.html" 2>>"$OUT/chromium.log"
python3 - "$OUT/many-dom.html" <<'PY'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
hidden = len(re.findall(r'<section class="doc"[^>]*\shidden', dom))
if "Page 1 of 3 (45 documents)" not in dom or hidden != 25:
    print(f"browser_test_report: FAILED: pagination ({hidden} hidden sections, expected 25)")
    sys.exit(1)
print("browser_test_report: pagination ok (page 1 of 3, 25 of 45 documents hidden)")
PY

rm -f "$OUT/report.png"
timeout 120 "$CHROMIUM" "${flags[@]}" --screenshot="$OUT/report.png" --window-size=1280,2000 "$URL" \
  >>"$OUT/chromium.log" 2>&1 || true
if [ ! -s "$OUT/report.png" ]; then
  echo "browser_test_report: no screenshot written (see $OUT/chromium.log)"
  exit 1
fi
echo "browser_test_report: screenshot $OUT/report.png"
