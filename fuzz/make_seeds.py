#!/usr/bin/env python3
"""Build the fuzz targets' seed inputs (fuzz/seeds/<target>/) from slant's own
files: example articles, lexicons, dictionaries, and small model files
trained by the release binary. Seeds are starting points; libFuzzer mutates
them. Run from the repo root: python3 fuzz/make_seeds.py [path/to/slant]"""
import gzip, json, os, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
slant = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "target/release/slant")
seeds = os.path.join(root, "fuzz/seeds")


def put(target, name, data):
    d = os.path.join(seeds, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(path):
    with open(os.path.join(root, path), "rb") as f:
        return f.read()


# Short documents keep executions fast; 3 KB of each example is plenty.
examples = sorted(os.listdir(os.path.join(root, "datasets/examples")))
for name in examples[:8]:
    text = read("datasets/examples/" + name)[:3000]
    put("text", name, text)
    put("read_stream", name + ".0", b"\x00" + text)
    put("read_stream", name + ".gz", b"\x00" + gzip.compress(text, mtime=0))
put("read_stream", "utf16", b"\x00" + "\ufeffThe mayor said it may rain.\r\n".encode("utf-16-le"))
put("read_stream", "truncated.gz", b"\x00" + gzip.compress(b"Some words here." * 20, mtime=0)[:30])

csv_lines = read("datasets/examples-csv/articles.csv").decode().split("\n")
head = "\n".join(csv_lines[:25]).encode()[:4000]
put("read_delimited", "csv", b"\x00" + head)
put("read_delimited", "csv-cols", b"\x02" + head)
put("read_delimited", "tsv", b"\x01id\ttext\touter\n1\tA plan may fail.\tx\n2\t\"quoted\ttab\"\ty\n")
put("read_delimited", "unclosed", b"\x00id,text\n1,\"never closed\n2,next\n")
put("read_stream", "csv.gz", b"\x01" + gzip.compress(head, mtime=0))

jl = read("datasets/examples-csv/articles.jsonl").split(b"\n")
put("read_jsonl", "jsonl", b"\x00" + b"\n".join(line[:600] for line in jl[:4]))
put("read_jsonl", "fields", b"\x01" + b'{"id": 1, "body": "It may \\u00e9 rain.", "outlet": null}\n{"body": 5}\nnot json\n')

# A small but complete lexicon: every directive line, a few patterns per category.
framing = read("models/lexicons/framing.tsv").decode().split("\n")
kept, per_cat = [], {}
for line in framing:
    if line.startswith("#") or not line.strip():
        continue
    if line.startswith("@"):
        kept.append(line)
        continue
    cat = line.split("\t")[1] if "\t" in line else ""
    if per_cat.get(cat, 0) < 4:
        per_cat[cat] = per_cat.get(cat, 0) + 1
        kept.append(line)
small_framing = "\n".join(kept) + "\n"
put("lexicon", "framing-small", b"\x00" + small_framing.encode())
sides = read("models/lexicons/sides.tsv")
put("lexicon", "sides", b"\x01" + sides)
for name, mode in [("economy.dic", 0), ("economy.yml", 1), ("economy.csv", 2)]:
    put("dictionary", name, bytes([mode]) + read("datasets/dictionaries/" + name))

# Small models of every algorithm, with the small lexicon embedded so the
# loader's lexicon checks and compile step run at fuzzing speed.
with tempfile.TemporaryDirectory() as tmp:
    rows = ["id,text,label"]
    for i, s in enumerate(["The council", "The budget", "Turnout", "The port deal", "The trial", "Rainfall"]):
        rows.append(f'h{i},"{s} may be delayed, officials said.",hedged')
        rows.append(f'f{i},"{s} was approved on Monday, officials said.",firm')
        rows.append(f'g{i},"{s} could possibly change.",hedged')
        rows.append(f'k{i},"{s} clearly ended in March.",firm')
    data = os.path.join(tmp, "tiny.csv")
    with open(data, "w") as f:
        f.write("\n".join(rows) + "\n")
    for algo in ["logistic", "naive-bayes", "linear-svm", "tree"]:
        out = os.path.join(tmp, algo + ".json")
        subprocess.run([slant, "train", data, "--cv", "0", "--min-df", "1", "--max-features", "12",
                        "--algo", algo, "-q", "-o", out], check=True)
        # JSON only (every array inline), to edit the embedded lexicon.
        subprocess.run([slant, "model", "convert", out, "--json", "-o", out], check=True)
        model = json.load(open(out))
        lex = model["lexicons"]
        lex["framing"] = small_framing
        lex["framing_sha256"] = __import__("hashlib").sha256(small_framing.encode()).hexdigest()
        put("model", algo, json.dumps(model, indent=1).encode())
        # The same model as slant writes it: a JSON header and a binary body.
        with open(out, "w") as f:
            json.dump(model, f)
        subprocess.run([slant, "model", "convert", out, "-o", out], check=True)
        put("model", algo + "-body", read(out))
print("seeds written to", seeds)
