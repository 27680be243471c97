#!/usr/bin/env bash
# Browser check of `slant report`: renders the report of the example corpus
# in headless Chromium (no network, fresh profile), checks the rendered DOM
# (highlights present, the pagination script ran), then, on a corpus we write
# with an outlet column, drives the page from a script added to a copy of it:
# group charts present with --by, sorting and filtering the table (and the
# documents following it), and a hedge inside a quotation visible in its own
# colour with the quotation's band (computed styles); saves a screenshot.
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
if "Page 1 of 1 (16 documents)" not in dom or ">16 of 16 documents<" not in dom:
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

# Exploring: --by, sort, filters, nested highlights, in the browser.
python3 -c '
import csv, sys
w = csv.writer(open(sys.argv[1], "w", newline=""))
w.writerow(["id", "text", "outlet"])
texts = {
    "A": "The minister said, \"We may cut the tax next spring.\" Critics argue the plan could fail. Item {i}.",
    "B": "The plan passed on Monday, officials said. Item {i}.",
    "C": "Critics argue the plan may fail, officials said. It is possibly the largest cut of the decade. Item {i}.",
}
for i in range(45):
    o = "ABC"[i % 3]
    w.writerow([f"d{i}", texts[o].format(i=i), o])
' "$OUT/outlets.csv"
"$SLANT" report "$OUT/outlets.csv" --keep-cols outlet --by outlet --max-docs-text 30 -q -o "$OUT/outlets.html"
python3 - "$OUT/outlets.html" "$OUT/outlets-test.html" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
probe = r"""<script>
(function () {
  var R = {};
  function $(id) { return document.getElementById(id); }
  function fire(el, type) { el.dispatchEvent(new Event(type, { bubbles: true })); }
  function visibleSections() {
    return Array.prototype.filter.call(document.querySelectorAll('section.doc'), function (s) { return !s.hidden; });
  }
  function column(name) {
    var ths = $('doc-table').tHead.querySelectorAll('th');
    for (var k = 0; k < ths.length; k++) { if (ths[k].textContent === name) { return k; } }
    return -1;
  }
  function cells(k) {
    return Array.prototype.map.call($('doc-table').tBodies[0].rows, function (tr) { return tr.cells[k].textContent; });
  }
  R.group_charts = document.querySelectorAll('#groups figure.groups').length;
  R.group_rows = document.querySelectorAll('#groups figure.groups[data-column="hedge_per1k"] g.group').length;
  R.rows = $('doc-table').tBodies[0].rows.length;
  // Sort by hedge_per1k, descending (two clicks).
  var h = column('hedge_per1k'), o = column('outlet');
  var th = $('doc-table').tHead.querySelectorAll('th')[h];
  th.click(); th.click();
  var hv = cells(h).map(parseFloat);
  R.sorted_desc = hv.every(function (v, i) { return i === 0 || hv[i - 1] >= v; }) && hv[0] > hv[hv.length - 1];
  R.sort_class = th.className;
  R.first_section_is_first_row = visibleSections()[0].getAttribute('data-doc-id') === cells(0)[0];
  // Filter: outlet B.
  var sel = document.querySelector('select.kept-filter');
  for (var k = 0; k < sel.options.length; k++) { if (sel.options[k].textContent === 'B') { sel.value = sel.options[k].value; } }
  fire(sel, 'change');
  R.b_count = $('n-match').textContent;
  R.b_rows_all_b = cells(o).every(function (v) { return v === 'B'; });
  var vis = visibleSections();
  R.b_sections = vis.length;
  R.b_sections_all_b = vis.every(function (s) { return s.querySelector('span.kept[data-name="outlet"]').textContent === 'outlet: B'; });
  // Score range: hedge_per1k from 50, any outlet.
  sel.value = '-1';
  var fcol = $('fcol');
  for (k = 0; k < fcol.options.length; k++) { if (fcol.options[k].textContent === 'hedge_per1k') { fcol.value = fcol.options[k].value; } }
  $('fmin').value = '50';
  fire($('fmin'), 'input');
  var rv = cells(h).map(parseFloat);
  R.range_rows = rv.length;
  R.range_all_ge = rv.every(function (v) { return v >= 50; });
  R.range_count = $('n-match').textContent;
  // Nested highlight: back to everything, in input order, first page.
  $('reset').click();
  var m = document.querySelector('section.doc:not([hidden]) mark.cat-hedge[data-within~="quotation"]');
  R.nested_found = !!m;
  if (m) {
    var cs = getComputedStyle(m);
    R.nested_bg = cs.backgroundColor;
    R.nested_shadow = cs.boxShadow;
    R.nested_width = m.getBoundingClientRect().width;
    R.hedge_bg = getComputedStyle(document.querySelector('.legend-item.cat-hedge')).backgroundColor;
    R.quotation_bg = getComputedStyle(document.querySelector('.legend-item.cat-quotation')).backgroundColor;
  }
  var pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(R);
  document.body.appendChild(pre);
})();
</script>
"""
at = page.rindex("</body>")
open(sys.argv[2], "w", encoding="utf-8").write(page[:at] + probe + page[at:])
PY
timeout 120 "$CHROMIUM" "${flags[@]}" --dump-dom "file://$(pwd)/$OUT/outlets-test.html" >"$OUT/outlets-dom.html" 2>>"$OUT/chromium.log"
python3 - "$OUT/outlets-dom.html" <<'PY'
import html, json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
if not m:
    print("browser_test_report: FAILED: the probe script did not run")
    sys.exit(1)
r = json.loads(html.unescape(m.group(1)))
fail = []
def want(ok, what):
    if not ok:
        fail.append(what)
want(r["group_charts"] >= 10, f"{r['group_charts']} group charts")
want(r["group_rows"] == 3, f"{r['group_rows']} groups in the hedge box plot, expected 3")
want(r["rows"] == 45, f"{r['rows']} table rows, expected 45 (one page)")
want(r["sorted_desc"] and r["sort_class"] == "sorted-desc", "table not sorted by hedge_per1k descending")
want(r["first_section_is_first_row"], "the documents do not follow the table's order")
want(r["b_count"] == "15 of 45 documents", f"outlet filter: {r['b_count']!r}")
want(r["b_rows_all_b"], "outlet filter: a row of another outlet")
# Documents d0..d29 carry text (--max-docs-text 30): 10 of them are outlet B.
want(r["b_sections"] == 10 and r["b_sections_all_b"], f"outlet filter: {r['b_sections']} sections shown")
want(0 < r["range_rows"] < 45 and r["range_all_ge"], f"range filter: {r['range_rows']} rows")
want(r["nested_found"], "no hedge mark inside a quotation")
if r["nested_found"]:
    want(r["nested_bg"] == r["hedge_bg"], f"nested hedge background {r['nested_bg']} != hedge {r['hedge_bg']}")
    want(r["nested_bg"] != r["quotation_bg"], "nested hedge has the quotation's background")
    want(r["quotation_bg"] in r["nested_shadow"], f"no quotation band: {r['nested_shadow']}")
    want(r["nested_width"] > 0, "nested hedge not rendered")
if fail:
    print("browser_test_report: FAILED: " + "; ".join(fail) + f"\n{r}")
    sys.exit(1)
print(f"browser_test_report: exploring ok (groups, sort, filters, nested hedge {r['nested_bg']} with band {r['nested_shadow']})")
PY

rm -f "$OUT/report.png"
timeout 120 "$CHROMIUM" "${flags[@]}" --screenshot="$OUT/report.png" --window-size=1280,2000 "$URL" \
  >>"$OUT/chromium.log" 2>&1 || true
if [ ! -s "$OUT/report.png" ]; then
  echo "browser_test_report: no screenshot written (see $OUT/chromium.log)"
  exit 1
fi
echo "browser_test_report: screenshot $OUT/report.png"
