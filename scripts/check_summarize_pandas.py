#!/usr/bin/env python3
"""Cross-check `slant summarize` against pandas on a table generated here.

n, mean, sample SD and median per group must equal pandas' groupby figures
(count, mean, std with ddof=1, median); the bootstrap interval must contain
the mean and be close to the normal interval mean +- 1.96 sd / sqrt(n)
(pandas has no bootstrap, and the resampling generators differ); the
difference table's diff must equal the difference of pandas' means and its
Hedges' g the textbook formula on pandas' figures.

Usage: python3 scripts/check_summarize_pandas.py [--slant target/release/slant]
"""
import argparse
import math
import os
import random
import subprocess
import sys
import tempfile

import pandas as pd


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--slant", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "slant"))
    a = ap.parse_args()
    rng = random.Random(7)
    rows = []
    for i in range(3000):
        g = rng.choice(["alpha", "beta", "gamma"])
        shift = {"alpha": 0.0, "beta": 1.5, "gamma": 3.0}[g]
        rate = "" if rng.random() < 0.05 else f"{max(0.0, rng.gauss(10 + shift, 4)):.3f}"
        share = f"{rng.betavariate(2, 5):.4f}"
        rows.append((f"d{i}", g, rate, share))
    failures = 0
    with tempfile.TemporaryDirectory() as wd:
        table = os.path.join(wd, "scores.csv")
        with open(table, "w", encoding="utf-8") as fh:
            fh.write("doc_id,outlet,hedge_per1k,quoted_word_share\n")
            for r in rows:
                fh.write(",".join(r) + "\n")
        out, diff = os.path.join(wd, "summary.csv"), os.path.join(wd, "diff.csv")
        subprocess.run([a.slant, "summarize", table, "--by", "outlet", "-o", out,
                        "--compare", "gamma", "alpha", "--diff", diff], check=True)
        ours = pd.read_csv(out)
        df = pd.read_csv(table)
        for col in ["hedge_per1k", "quoted_word_share"]:
            ref = df.groupby("outlet")[col].agg(["count", "mean", "std", "median"])
            for g, r in ref.iterrows():
                o = ours[(ours.group == g) & (ours.column == col)].iloc[0]
                checks = {"n": (o.n, r["count"]), "mean": (o["mean"], r["mean"]),
                          "sd": (o.sd, r["std"]), "median": (o["median"], r["median"])}
                for name, (x, y) in checks.items():
                    if not math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-6):
                        print(f"FAIL {g} {col} {name}: slant {x} pandas {y}")
                        failures += 1
                half = 1.96 * r["std"] / math.sqrt(r["count"])
                if not (o.ci_low < o["mean"] < o.ci_high) or abs((o.ci_high - o.ci_low) / (2 * half) - 1) > 0.15:
                    print(f"FAIL {g} {col} interval {o.ci_low}..{o.ci_high} vs normal half-width {half}")
                    failures += 1
            d = pd.read_csv(diff)
            o = d[d.column == col].iloc[0]
            x, y = df[df.outlet == "gamma"][col].dropna(), df[df.outlet == "alpha"][col].dropna()
            pooled = math.sqrt(((len(x) - 1) * x.var() + (len(y) - 1) * y.var()) / (len(x) + len(y) - 2))
            g_ref = (x.mean() - y.mean()) / pooled * (1 - 3 / (4 * (len(x) + len(y)) - 9))
            for name, (u, v, tol) in {"diff": (o["diff"], x.mean() - y.mean(), 1e-6),
                                      "hedges_g": (o.hedges_g, g_ref, 1e-4)}.items():
                if not math.isclose(u, v, rel_tol=tol, abs_tol=tol):
                    print(f"FAIL diff {col} {name}: slant {u} pandas {v}")
                    failures += 1
    checked = 3 * 2 * 5 + 2 * 2
    print(f"summarize vs pandas: {checked - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
