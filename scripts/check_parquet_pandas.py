#!/usr/bin/env python3
"""Check that pandas reads slant's Parquet outputs as it reads the CSVs.

Scores the example corpus twice, once to CSV and once to Parquet (scores,
sentences, matches, sources), and for each table checks with pandas
(pyarrow engine) that the columns are the same, in the same order, that
every numeric column has the CSV's dtype (int64, or float64 where the CSV
has empty cells) and every text column reads as strings, and that the
values are equal (empty CSV cells and Parquet nulls both read as missing).

One difference is expected and allowed: a text column that is empty in
every row reads as float64 from the CSV (pandas cannot tell its type) but
as strings from Parquet, which keeps the column's type.

Usage: python3 scripts/check_parquet_pandas.py [--slant target/release/slant]
Needs pandas and pyarrow (`pip install pandas pyarrow`).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import pandas as pd
from pandas.api import types as pdt

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--slant", default=os.path.join(HERE, "..", "target", "release", "slant"))
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "datasets", "examples"))
    a = ap.parse_args()
    tables = ["scores", "sentences", "matches", "sources"]
    failures = 0
    with tempfile.TemporaryDirectory() as wd:
        for ext in ["csv", "parquet"]:
            out = {t: os.path.join(wd, f"{t}.{ext}") for t in tables}
            subprocess.run(
                [a.slant, "score", a.corpus, "-q", "-o", out["scores"], "--sentences", out["sentences"],
                 "--matches", out["matches"], "--sources", out["sources"]],
                check=True,
            )
        for t in tables:
            c = pd.read_csv(os.path.join(wd, f"{t}.csv"), keep_default_na=False, na_values=[""])
            p = pd.read_parquet(os.path.join(wd, f"{t}.parquet"), engine="pyarrow")
            problems = []
            if list(c.columns) != list(p.columns):
                problems.append(f"columns differ: {list(c.columns)} vs {list(p.columns)}")
            else:
                for col in c.columns:
                    cd, pd_ = c[col].dtype, p[col].dtype
                    all_empty_text = c[col].isna().all() and pdt.is_string_dtype(pd_)
                    text_both = pdt.is_string_dtype(pd_) and (pdt.is_string_dtype(cd) or pdt.is_object_dtype(cd))
                    if cd != pd_ and not (all_empty_text or text_both):
                        problems.append(f"{col}: dtype {cd} from CSV, {pd_} from Parquet")
                        continue
                    if not all_empty_text and not c[col].equals(p[col]) and not (
                        text_both and c[col].astype(object).equals(p[col].astype(object))
                    ):
                        problems.append(f"{col}: values differ")
            status = "FAIL" if problems else "ok"
            print(f"{status} {t}: {len(p)} rows, {len(p.columns)} columns "
                  f"({sum(pdt.is_integer_dtype(p[x]) for x in p)} int64, "
                  f"{sum(pdt.is_float_dtype(p[x]) for x in p)} float64, "
                  f"{sum(pdt.is_string_dtype(p[x]) for x in p)} text)")
            for pr in problems:
                print("   ", pr)
            failures += bool(problems)
    if failures:
        sys.exit(f"{failures} table(s) differ between CSV and Parquet")


if __name__ == "__main__":
    main()
