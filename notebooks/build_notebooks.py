#!/usr/bin/env python3
"""Build and execute the notebooks in this folder (outputs are saved in the .ipynb files).

Usage (from the repository root, after `cargo build --release`):
    python3 notebooks/build_notebooks.py
Needs: pip install nbformat nbclient ipykernel pandas matplotlib pyarrow
"""
import os
import sys

import nbformat
from nbclient import NotebookClient

HERE = os.path.dirname(os.path.abspath(__file__))

SCORE_EXAMPLES = [
    ("markdown", """# Scoring the example corpus with slant

This notebook runs `slant score` on the articles in `datasets/examples/` (written for slant),
loads the three output files with pandas, compares the signals across article types, and shows
the evidence behind one article's numbers; then it scores a larger corpus to Parquet, compares
groups with `slant summarize` and lists the words behind the counts with `slant terms`. Run it from the repository root after
`cargo build --release`."""),
    ("code", """import os, subprocess
import pandas as pd
os.chdir(os.path.dirname(os.getcwd()) if os.path.basename(os.getcwd()) == "notebooks" else os.getcwd())
SLANT = "target/release/slant"
os.makedirs("out", exist_ok=True)
subprocess.run([SLANT, "score", "datasets/examples", "-o", "out/scores.csv",
                "--sentences", "out/sentences.csv", "--matches", "out/matches.csv", "-q"], check=True)
scores = pd.read_csv("out/scores.csv")
matches = pd.read_csv("out/matches.csv")
sentences = pd.read_csv("out/sentences.csv")
print(len(scores), "articles,", len(sentences), "sentences,", len(matches), "matches")"""),
    ("markdown", "Article types come from the example corpus manifest (`datasets/examples-csv/articles.csv`)."),
    ("code", """kinds = pd.read_csv("datasets/examples-csv/articles.csv")[["id", "kind"]].rename(columns={"id": "doc_id"})
scores = scores.merge(kinds, on="doc_id")
cols = ["hedge_per1k", "booster_per1k", "attribution_per1k", "sourcing_anonymous_n", "sourcing_vague_n",
        "loaded_per1k", "quoted_word_share", "party_balance", "party_one_sided"]
scores.set_index("kind")[cols].round(2)"""),
    ("code", """import matplotlib.pyplot as plt
fig, axes = plt.subplots(1, 3, figsize=(14, 4))
for ax, col in zip(axes, ["hedge_per1k", "booster_per1k", "loaded_per1k"]):
    scores.sort_values(col).plot.barh(x="kind", y=col, ax=ax, legend=False, title=col)
    ax.set_ylabel("")
plt.tight_layout()
plt.show()"""),
    ("markdown", """## The evidence behind one article's numbers

Every count in `scores.csv` is the number of non-negated rows of that category in `matches.csv`;
`char_start`/`char_end` are character offsets into the (normalised) text."""),
    ("code", """doc = "anonymous-scoop"
ev = matches[(matches.doc_id == doc) & (matches.negated == 0)]
print(scores.loc[scores.doc_id == doc, ["sourcing_anonymous_n", "sourcing_named_n", "distancing_n"]].to_string(index=False))
ev[ev.category.isin(["sourcing", "distancing"])][["sentence_idx", "char_start", "char_end", "category", "subcategory", "matched_text"]]"""),
    ("code", """text = open(f"datasets/examples/{doc}.txt", encoding="utf-8").read()
row = ev.iloc[0]
print(repr(text[row.char_start:row.char_end]), "==", repr(row.matched_text))"""),
    ("markdown", """## A larger corpus: Parquet out, groups compared, where categories fire

For a corpus whose CSVs would run to gigabytes, `slant score` writes Parquet when the output's
name ends in `.parquet` (or with `--format parquet`): the same columns as the CSV, typed (counts
Int64, rates Float64, text Utf8, undefined values as nulls), compressed, with the same manifest
beside it. `--columns` keeps only the categories asked for (doc_id and `--keep-cols` always stay).
This uses the AllSides sample (`../shared/data/allsides_baly2020`, 3,548 articles labelled
left, center or right by their outlet) when it is there, the example corpus as a CSV otherwise."""),
    ("code", """allsides = "../shared/data/allsides_baly2020/dev.csv.gz"
if os.path.exists(allsides):
    corpus, keep, by, pair = [allsides], "source,label", "label", ["left", "right"]
else:
    corpus, keep, by, pair = ["datasets/examples-csv/articles.csv", "--text-col", "body"], "outlet,kind", "outlet", None
subprocess.run([SLANT, "score", *corpus, "--keep-cols", keep, "-q",
                "--columns", "text,hedge,booster,loaded,sourcing,party",
                "-o", "out/corpus_scores.parquet", "--matches", "out/corpus_matches.parquet"], check=True)
corpus_scores = pd.read_parquet("out/corpus_scores.parquet")
corpus_matches = pd.read_parquet("out/corpus_matches.parquet")
print(corpus_scores.shape, "scores;", corpus_matches.shape, "matches")
print("column types:", corpus_scores.dtypes.astype(str).value_counts().to_dict())
print({f: f"{os.path.getsize(f) / 1e6:.1f} MB" for f in ["out/corpus_scores.parquet", "out/corpus_matches.parquet"]})"""),
    ("markdown", """`slant summarize` compares groups: per group and rate column n, mean, SD, median and a 95%
interval of the mean (long form, one row per group and column), and with `--compare A B` the
difference with an effect size (Hedges' g). It reads the Parquet table directly."""),
    ("code", """cols = "hedge_per1k,booster_per1k,loaded_per1k,sourcing_per1k,party_balance"
cmd = [SLANT, "summarize", "out/corpus_scores.parquet", "--by", by, "--columns", cols, "-o", "out/summary.csv"]
if pair:
    cmd += ["--compare", *pair, "--diff", "out/summary_diff.csv"]
subprocess.run(cmd, check=True)
summary = pd.read_csv("out/summary.csv")
summary.pivot(index="column", columns="group", values="mean").round(2)"""),
    ("code", """if pair:
    diff = pd.read_csv("out/summary_diff.csv")
    display(diff[["column", "group_a", "group_b", "diff", "ci_low", "ci_high", "hedges_g"]].round(3))
fig, ax = plt.subplots(figsize=(7, 3))
sub = summary[summary.column == "loaded_per1k"].sort_values("mean")
ax.errorbar(sub["mean"], sub["group"], xerr=[sub["mean"] - sub.ci_low, sub.ci_high - sub["mean"]], fmt="o")
ax.set_xlabel("loaded words per 1,000 words (mean, 95% interval)"); ax.set_title(f"loaded_per1k by {by}")
plt.tight_layout(); plt.show()"""),
    ("markdown", """`slant terms` says which words make a category fire: the most frequent matched forms per
category and subcategory, with counts, per-1k rates and the share of documents, here per group."""),
    ("code", """subprocess.run([SLANT, "terms", "out/corpus_matches.parquet", "--scores", "out/corpus_scores.parquet",
                "--by", by, "--category", "loaded,hedge", "--top", "5", "-o", "out/terms.parquet"], check=True)
terms = pd.read_parquet("out/terms.parquet")
terms[terms.category == "loaded"].groupby(["group", "subcategory"]).head(2)[["group", "subcategory", "term", "n", "per1k", "doc_share"]]"""),
    ("markdown", """`slant keyness` finds the vocabulary that marks one group against another (weighted log-odds
with an informative Dirichlet prior, Monroe, Colaresi & Quinn 2008), with the surface forms
beside each stem; `--stop-words` drops function words first (the shipped list keeps modals,
negation and speech verbs, which slant measures) and `--plot` draws the top terms of each side.
Without `--reference` the target is compared with every other document."""),
    ("code", """from IPython.display import SVG
if pair:
    groups = ["--group-col", by, "--target", pair[0], "--reference", pair[1], "--min-count", "10"]
else:
    groups = ["--group-col", "outlet", "--target", pd.read_csv("datasets/examples-csv/articles.csv")["outlet"].iloc[0], "--min-count", "1"]
subprocess.run([SLANT, "keyness", *corpus, *groups, "--stop-words", "--ngrams", "1", "-q",
                "--plot", "out/keyness.svg", "--plot-top", "15", "-o", "out/keyness.csv"], check=True)
keyness = pd.read_csv("out/keyness.csv")
display(pd.concat([keyness.head(5), keyness.tail(5)])[["term", "surface", "forms", "target_count", "reference_count", "z"]].round(2))
SVG(filename="out/keyness.svg")"""),
]


TRAIN_EVAL = [
    ("markdown", """# Training and evaluating a classifier with slant

This notebook trains a sentence-level bias classifier with `slant train`, reads the
cross-validated metrics from the model file, plots the confusion matrix and a reliability diagram
of the out-of-fold probabilities, and lists the features that weigh most. It uses the BABE data in `../shared/data/babe` when present (grouped by outlet,
since its labels are confounded with the outlet); otherwise it writes a small labelled file of
template sentences so the notebook still runs end to end."""),
    ("code", """import os, json, subprocess, csv, gzip
import pandas as pd
os.chdir(os.path.dirname(os.getcwd()) if os.path.basename(os.getcwd()) == "notebooks" else os.getcwd())
SLANT = "target/release/slant"
os.makedirs("out", exist_ok=True)
babe = "../shared/data/babe/dev.csv.gz"
if os.path.exists(babe):
    data, group = babe, ["--group-col", "outlet"]
else:
    data, group = "out/template_sentences.csv", ["--group-col", "source"]
    subjects = ["The council", "The budget", "The mayor", "The plan", "The report", "The agency"]
    loaded = ["slammed the reckless scheme", "blasted the disastrous failure", "lashed out at the radical plan"]
    neutral = ["approved the budget on Monday", "published the report on Friday", "met the committee in March"]
    with open(data, "w", newline="") as f:
        w = csv.writer(f); w.writerow(["id", "text", "label", "source"])
        for i, s in enumerate(subjects):
            for j, (a, b) in enumerate(zip(loaded, neutral)):
                w.writerow([f"b{i}{j}", f"{s} {a}.", "biased", f"s{(i + j) % 4}"])
                w.writerow([f"n{i}{j}", f"{s} {b}.", "non-biased", f"s{(i + j) % 4}"])
subprocess.run([SLANT, "train", data, "--label-col", "label", *group, "--level", "sentence",
                "--class-weight", "balanced", "--ngrams", "1", "--cv", "5", "-q",
                "-o", "out/nb_bias.json", "--predictions", "out/nb_oof.csv"], check=True)
model = json.loads(open("out/nb_bias.json", "rb").readline())  # the JSON header; the arrays follow in a binary body
cv = model["cross_validation"]
print(f"{model['training']['rows']} rows; {cv['folds']} folds grouped by {cv['grouped_by']}")
print({k: round(cv["pooled"][k], 3) for k in ["accuracy", "macro_f1", "kappa", "roc_auc", "brier", "log_loss", "ece"]})"""),
    ("code", """import matplotlib.pyplot as plt
labels = cv["pooled"]["labels"]
cm = cv["pooled"]["confusion"]
fig, ax = plt.subplots(figsize=(4, 4))
ax.imshow(cm, cmap="Blues")
ax.set_xticks(range(len(labels)), labels); ax.set_yticks(range(len(labels)), labels)
ax.set_xlabel("predicted"); ax.set_ylabel("truth")
for i in range(len(labels)):
    for j in range(len(labels)):
        ax.text(j, i, cm[i][j], ha="center", va="center")
ax.set_title("out-of-fold confusion matrix")
plt.show()"""),
    ("markdown", """## Are the probabilities calibrated?

A reliability diagram of the out-of-fold predictions: rows are put into 10 equal-width bins of
their confidence (the largest class probability), and each bin's accuracy is drawn against its
mean confidence; a calibrated model lies on the diagonal. The expected calibration error (ECE)
is the bin-size-weighted mean gap, as `src/eval/metrics.rs` defines it. For comparison, a linear
SVM is trained on the same folds twice: with its probabilities Platt-scaled on its own training
decision values (`--calibration none`), and Platt-scaled on out-of-fold scores of inner folds
(`--calibration platt`, the default for the SVM)."""),
    ("code", """import numpy as np
def reliability(path):
    p = pd.read_csv(path)
    pcols = [c for c in p.columns if c.startswith("p_")]
    P = p[pcols].to_numpy()
    names = [c[2:] for c in pcols]
    truth = p.label.map(lambda l: names.index("_".join(l.lower().replace("-", "_").split())))
    conf, hit = P.max(axis=1), P.argmax(axis=1) == truth.to_numpy()
    bins = np.minimum(np.floor(conf * 10).astype(int), 9)
    rows = [(b, (bins == b).sum(), conf[bins == b].mean(), hit[bins == b].mean()) for b in range(10) if (bins == b).any()]
    ece = sum(n / len(p) * abs(acc - c) for _, n, c, acc in rows)
    return pd.DataFrame(rows, columns=["bin", "n", "confidence", "accuracy"]), ece

runs = {"logistic (this model)": "out/nb_oof.csv"}
for cal in ["none", "platt"]:
    subprocess.run([SLANT, "train", data, "--label-col", "label", *group, "--level", "sentence",
                    "--algo", "linear-svm", "--class-weight", "balanced", "--ngrams", "1", "--cv", "5", "-q",
                    "--calibration", cal, "-o", f"out/nb_svm_{cal}.json", "--predictions", f"out/nb_svm_{cal}.csv"], check=True)
    runs[f"linear SVM, --calibration {cal}"] = f"out/nb_svm_{cal}.csv"
fig, ax = plt.subplots(figsize=(5, 5))
ax.plot([0, 1], [0, 1], color="grey", lw=1, ls="--", label="calibrated")
for name, path in runs.items():
    tab, ece = reliability(path)
    ax.plot(tab.confidence, tab.accuracy, marker="o", label=f"{name}: ECE {ece:.3f}")
ax.set_xlabel("mean confidence in bin"); ax.set_ylabel("accuracy in bin"); ax.set_xlim(0.45, 1); ax.set_ylim(0, 1)
ax.set_title("reliability of out-of-fold probabilities"); ax.legend(fontsize=8)
plt.show()
print("ECE in the model file (slant):", round(cv["pooled"]["ece"], 4), "- recomputed here:", round(reliability("out/nb_oof.csv")[1], 4))"""),
    ("code", """top = subprocess.run([SLANT, "model", "inspect", "out/nb_bias.json", "--top", "10"],
                     check=True, capture_output=True, text=True).stdout
from io import StringIO
top = pd.read_csv(StringIO(top))
top[top.direction == "positive"].pivot(index="rank", columns="class", values="feature")"""),
    ("code", """oof = pd.read_csv("out/nb_oof.csv")
print(len(oof), "out-of-fold predictions;", (oof.label == oof.predicted).mean().round(3), "accuracy")
oof.groupby("group").apply(lambda g: (g.label == g.predicted).mean(), include_groups=False).round(3).sort_values().head(10)"""),
]


def build(name, cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(src) if kind == "markdown" else nbformat.v4.new_code_cell(src) for kind, src in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": os.path.dirname(HERE)}}).execute()
    path = os.path.join(HERE, name)
    nbformat.write(nb, path)
    print("wrote", path)


if __name__ == "__main__":
    build("01_score_examples.ipynb", SCORE_EXAMPLES)
    build("02_train_evaluate.ipynb", TRAIN_EVAL)
    sys.exit(0)
