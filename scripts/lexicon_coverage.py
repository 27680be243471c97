#!/usr/bin/env python3
"""Prototype lexicon matcher for slant + lexicon coverage report against BABE.

This is a *reference prototype* of the lexicon format that the Rust binary
implements (models/lexicons/*.tsv).  It exists so that the lexicons can be
developed and measured before/independently of the Rust build, and so that
the Rust matcher can be cross-checked against it.  The Rust code is the
authority; where the two disagree, the Rust behaviour and the format
description in the lexicon headers win.

Dependencies: Python 3.11 standard library, plus the `snowballstemmer`
package from PyPI (English Snowball / Porter2, the same algorithm as the
Rust `rust-stemmers` crate).  Without it the script exits with a message.

Usage:
  python3 scripts/lexicon_coverage.py                       # BABE coverage report
  python3 scripts/lexicon_coverage.py --match "Some text."  # show matches
  python3 scripts/lexicon_coverage.py --check               # lint the lexicons

Exit status: 0 also when the data directory is missing (a message is printed).
"""
from __future__ import annotations

import argparse
import ast
import collections
import csv
import gzip
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FRAMING = os.path.join(ROOT, "models", "lexicons", "framing.tsv")
DEFAULT_SIDES = os.path.join(ROOT, "models", "lexicons", "sides.tsv")
DEFAULT_DATA = os.path.join(ROOT, "..", "shared", "data")

try:
    import snowballstemmer  # type: ignore

    _STEMMER = snowballstemmer.stemmer("english")
except ImportError:  # pragma: no cover - reported at run time
    _STEMMER = None


_STEM_CACHE: dict[str, str] = {}


def stem(word: str) -> str:
    r = _STEM_CACHE.get(word)
    if r is not None:
        return r
    if _STEMMER is None:
        sys.exit("lexicon_coverage.py needs the 'snowballstemmer' package: "
                 "pip install snowballstemmer")
    r = _STEM_CACHE[word] = _STEMMER.stemWord(word)
    return r


# ---------------------------------------------------------------- tokeniser
# Numbers (optionally with currency sign, thousands separators, decimals, %),
# words with internal apostrophes/hyphens kept whole (also URLs / e-mails are
# kept whole by the Rust tokeniser; not needed here), and every other
# non-space character as a one-character punctuation token.
_TOKEN_RE = re.compile(
    r"(?P<url>https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+)"
    r"|(?P<num>[$£€]?\d+(?:[.,]\d+)*%?)"
    r"|(?P<word>[^\W_]+(?:['\-][^\W_]+)*(?:n't)?)"
    r"|(?P<punct>[^\s\w]|_)"
)

# Number words that `<num>` also matches (prototype choice; "one" is left
# out on purpose: "about one of..." is rarely an approximation).
NUMBER_WORDS = set(
    "two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty "
    "fifty sixty seventy eighty ninety hundred hundreds thousand thousands "
    "million millions billion billions trillion dozen dozens half".split()
)


class Tok:
    __slots__ = ("surface", "lower", "stem", "start", "end", "kind")

    def __init__(self, surface, start, end, kind):
        self.surface = surface
        self.lower = surface.lower()
        self.start = start
        self.end = end
        self.kind = kind
        self.stem = stem(self.lower) if kind == "word" else self.lower

    def is_num(self):
        return self.kind == "num" or self.lower in NUMBER_WORDS

    def __repr__(self):
        return f"Tok({self.surface!r})"


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    return text.replace("\u2019", "'").replace("\u2018", "'")


def tokenize(text: str, offset: int = 0) -> list[Tok]:
    toks = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind == "url":
            kind = "word"
        toks.append(Tok(m.group(), m.start() + offset, m.end() + offset, kind))
    return toks


_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n{2,}")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Very rough sentence splitter (the Rust one is better).  Returns spans."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        # do not split after common abbreviations / initials
        before = text[max(0, m.start() - 6):m.start()]
        if re.search(r"(\b[A-Z]|\bMr|\bMrs|\bMs|\bDr|\bSt|\bSen|\bRep|\bGov|\bU\.S|\bNo|\bvs|\be\.g|\bi\.e|\bInc|\bJr|\bSr)\.$", before):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [s for s in spans if text[s[0]:s[1]].strip()]


# ------------------------------------------------------------------ lexicon
class Elem:
    __slots__ = ("kind", "value")

    def __init__(self, raw: str):
        if raw == "*":
            self.kind, self.value = "any", None
        elif raw == "<num>":
            self.kind, self.value = "num", None
        elif raw.startswith("=") and len(raw) > 1:
            self.kind, self.value = "exact", raw[1:]
        elif raw.endswith("*") and len(raw) > 1:
            self.kind, self.value = "prefix", raw[:-1].lower()
        elif re.fullmatch(r"[^\w\s]", raw):
            self.kind, self.value = "punct", raw
        else:
            self.kind, self.value = "word", stem(raw.lower())

    def is_plain(self):
        return self.kind in ("word", "exact", "prefix")

    def matches(self, t: Tok) -> bool:
        k = self.kind
        if k == "word":
            return t.kind == "word" and t.stem == self.value
        if k == "prefix":
            return t.kind == "word" and t.lower.startswith(self.value)
        if k == "exact":
            return t.surface == self.value
        if k == "any":
            return t.kind in ("word", "num")
        if k == "num":
            return t.is_num()
        if k == "punct":
            return t.surface == self.value
        return False


class Entry:
    __slots__ = ("pattern", "elems", "category", "subcategory", "note", "exclusion", "line")

    def __init__(self, pattern, category, subcategory, note, line):
        self.exclusion = pattern.startswith("!")
        self.pattern = pattern[1:] if self.exclusion else pattern
        self.elems = [Elem(p) for p in self.pattern.split(" ")]
        self.category = category
        self.subcategory = subcategory
        self.note = note
        self.line = line

    def match_at(self, toks, i):
        n = len(self.elems)
        if i + n > len(toks):
            return False
        return all(e.matches(toks[i + j]) for j, e in enumerate(self.elems))


class Lexicon:
    def __init__(self, path: str, kind: str = "framing", categories=None):
        self.path = path
        self.kind = kind
        self.categories: dict[str, str] = {}
        self.subcategories: dict[tuple[str, str], str] = {}
        self.dimensions: dict[str, tuple[str, str, str]] = {}
        self.negatable: set[str] = set()
        self.negators: set[str] = set()
        self.window = 3
        self.titles: set[str] = set()
        self.entries: list[Entry] = []
        self.errors: list[str] = []
        self._load()
        if categories is not None:
            self.entries = [e for e in self.entries if e.category in categories]
        self.by_cat: dict[str, list[Entry]] = collections.defaultdict(list)
        self.excl_by_cat: dict[str, list[Entry]] = collections.defaultdict(list)
        for e in self.entries:
            (self.excl_by_cat if e.exclusion else self.by_cat)[e.category].append(e)
        # first-element index per category: ("w", stem) / ("x", surface) /
        # prefix list / wildcard list
        self.index = {}
        for cat, entries in self.by_cat.items():
            idx = {"w": collections.defaultdict(list), "x": collections.defaultdict(list),
                   "p": [], "any": []}
            for e in entries:
                f0 = e.elems[0]
                if f0.kind == "word":
                    idx["w"][f0.value].append(e)
                elif f0.kind in ("exact", "punct"):
                    idx["x"][f0.value].append(e)
                elif f0.kind == "prefix":
                    idx["p"].append(e)
                else:
                    idx["any"].append(e)
            self.index[cat] = idx

    def _candidates(self, cat, t):
        idx = self.index[cat]
        c = []
        if t.kind == "word":
            c += idx["w"].get(t.stem, [])
            c += [e for e in idx["p"] if t.lower.startswith(e.elems[0].value)]
        c += idx["x"].get(t.surface, [])
        c += idx["any"]
        # keep file order so that ties go to the entry listed first
        if len(c) > 1:
            c.sort(key=lambda e: e.line)
        return c

    def _load(self):
        with open(self.path, encoding="utf-8") as fh:
            for ln, raw in enumerate(fh, 1):
                line = raw.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                f = line.split("\t")
                if line.startswith("@"):
                    d = f[0]
                    if d == "@category" and len(f) >= 3:
                        self.categories[f[1]] = f[2]
                    elif d == "@subcategory" and len(f) >= 4:
                        self.subcategories[(f[1], f[2])] = f[3]
                    elif d == "@negatable" and len(f) >= 2:
                        self.negatable.add(f[1])
                    elif d == "@negators" and len(f) >= 2:
                        self.negators.update(f[1].lower().split())
                    elif d == "@negation_window" and len(f) >= 2:
                        self.window = int(f[1])
                    elif d == "@titles" and len(f) >= 2:
                        self.titles.update(f[1].lower().split())
                    elif d == "@dimension" and len(f) >= 5:
                        a, b = f[2], f[3]
                        if not (a.startswith("a=") and b.startswith("b=")):
                            self.errors.append(f"{ln}: bad @dimension sides")
                        self.dimensions[f[1]] = (a[2:], b[2:], f[4])
                    else:
                        self.errors.append(f"{ln}: bad directive {line!r}")
                    continue
                if len(f) != 4:
                    self.errors.append(f"{ln}: expected 4 tab-separated fields, got {len(f)}: {line!r}")
                    continue
                pat, cat, sub, note = f
                if "  " in pat or pat != pat.strip():
                    self.errors.append(f"{ln}: pattern spacing {pat!r}")
                e = Entry(pat, cat, sub, note, ln)
                if not any(x.is_plain() for x in e.elems):
                    self.errors.append(f"{ln}: pattern without a plain word {pat!r}")
                self.entries.append(e)
        # validation of declarations
        for e in self.entries:
            if self.kind == "framing":
                if e.category not in self.categories:
                    self.errors.append(f"{e.line}: undeclared category {e.category}")
                elif e.subcategory != "*" and (e.category, e.subcategory) not in self.subcategories:
                    self.errors.append(f"{e.line}: undeclared subcategory {e.category}/{e.subcategory}")
                if e.subcategory == "*" and not e.exclusion:
                    self.errors.append(f"{e.line}: '*' subcategory only allowed on exclusions")
            else:
                if e.category not in self.dimensions:
                    self.errors.append(f"{e.line}: undeclared dimension {e.category}")
                if e.subcategory not in ("a", "b", "*"):
                    self.errors.append(f"{e.line}: side must be a or b")
        for c in self.negatable:
            if c not in self.categories:
                self.errors.append(f"@negatable of undeclared category {c}")

    # ------------------------------------------------------------- matching
    def _is_negator(self, t: Tok) -> bool:
        return t.lower in self.negators or t.lower.endswith("n't")

    def _negated(self, toks, i) -> bool:
        """Negator among the `window` word tokens before index i; the search
        stops at a clause punctuation token (, ; : etc.)."""
        seen, j = 0, i - 1
        while j >= 0 and seen < self.window:
            t = toks[j]
            if t.kind == "punct":
                if t.surface in ",;:()[]—–-!?.\"":
                    break
                j -= 1
                continue
            if self._is_negator(t):
                return True
            seen += 1
            j -= 1
        return False

    def match_sentence(self, toks: list[Tok]):
        out = []
        for cat, entries in self.by_cat.items():
            found = []
            i = 0
            while i < len(toks):
                best = None
                for e in self._candidates(cat, toks[i]):
                    if e.match_at(toks, i) and (best is None or len(e.elems) > len(best.elems)):
                        best = e
                if best is None:
                    i += 1
                    continue
                found.append((i, i + len(best.elems), best))
                i += len(best.elems)
            if found and self.excl_by_cat.get(cat):
                ex_spans = []
                for x in self.excl_by_cat[cat]:
                    for k in range(len(toks)):
                        if x.match_at(toks, k):
                            ex_spans.append((k, k + len(x.elems), x.subcategory))
                keep = []
                for (s, t, e) in found:
                    drop = any(s < xe and xs < t and (xsub == "*" or xsub == e.subcategory)
                               for xs, xe, xsub in ex_spans)
                    if not drop:
                        keep.append((s, t, e))
                found = keep
            for s, t, e in found:
                neg = False
                if cat in self.negatable:
                    neg = self._negated(toks, s)
                out.append({
                    "tok_start": s, "tok_end": t,
                    "char_start": toks[s].start, "char_end": toks[t - 1].end,
                    "category": cat, "subcategory": e.subcategory,
                    "rule": e.pattern, "line": e.line, "negated": neg,
                })
        return out

    def match_text(self, text: str):
        """Match a whole text.  Returns list of match dicts with sentence_idx,
        char offsets into the normalised text and matched_text."""
        text = normalise(text)
        res = []
        for si, (a, b) in enumerate(split_sentences(text)):
            toks = tokenize(text[a:b], a)
            for m in self.match_sentence(toks):
                m["sentence_idx"] = si
                m["matched_text"] = text[m["char_start"]:m["char_end"]]
                res.append(m)
        return res

    def match_single_sentence(self, text: str):
        """Match text treated as ONE sentence (used for sentence-level data)."""
        text = normalise(text)
        toks = tokenize(text)
        res = self.match_sentence(toks)
        for m in res:
            m["sentence_idx"] = 0
            m["matched_text"] = text[m["char_start"]:m["char_end"]]
        return res


# ------------------------------------------------------------- BABE report
def babe_coverage(lex: Lexicon, data_dir: str, cats=("loaded", "intensifier"),
                  attribution_subs=("loaded",), top=60):
    path = os.path.join(data_dir, "babe", "dev.csv.gz")
    if not os.path.exists(path):
        print(f"BABE data not found at {path}; skipping coverage report.")
        return None
    rows = list(csv.DictReader(gzip.open(path, "rt", encoding="utf-8")))
    total = covered = 0
    uncovered = collections.Counter()
    covered_words = collections.Counter()
    sent_hit = collections.Counter()
    rule_lab = collections.defaultdict(collections.Counter)
    label_n = collections.Counter()
    for r in rows:
        ms = lex.match_single_sentence(r["text"])
        ms = [m for m in ms if not m["negated"] and (
            m["category"] in cats
            or (m["category"] == "attribution" and m["subcategory"] in attribution_subs))]
        label_n[r["label"]] += 1
        if ms:
            sent_hit[r["label"]] += 1
        for m in ms:
            rule_lab[f"{m['category']}/{m['subcategory']}:{m['rule']}"][r["label"]] += 1
        text = normalise(r["text"])
        toks = tokenize(text)
        matched_idx = set()
        for m in ms:
            matched_idx.update(range(m["tok_start"], m["tok_end"]))
        try:
            words = ast.literal_eval(r["biased_words"] or "[]")
        except (ValueError, SyntaxError):
            words = []
        for w in words:
            for wt in tokenize(normalise(str(w))):
                if wt.kind != "word":
                    continue
                total += 1
                # covered if some matched token in the sentence has the same
                # lowercase surface form as the annotated word
                hit = any(toks[k].lower == wt.lower for k in matched_idx)
                if hit:
                    covered += 1
                    covered_words[wt.lower] += 1
                else:
                    uncovered[wt.lower] += 1
    print(f"BABE dev: {len(rows)} sentences; annotated biased word tokens: {total}")
    print(f"  covered by {'/'.join(cats)} + attribution/{'/'.join(attribution_subs)}: "
          f"{covered} ({covered / max(total, 1):.1%})")
    for lab in sorted(label_n):
        print(f"  sentences with >=1 match, label={lab}: {sent_hit[lab]}/{label_n[lab]} "
              f"({sent_hit[lab] / label_n[lab]:.1%})")
    print(f"  top covered: {', '.join(f'{w} {n}' for w, n in covered_words.most_common(25))}")
    print("  most frequent rules (biased / non-biased sentences):")
    for k, c in sorted(rule_lab.items(), key=lambda kv: -sum(kv[1].values()))[:top]:
        print(f"    {k}  {c['biased']}/{c['non-biased']}")
    print(f"  top uncovered ({top}): {', '.join(f'{w} {n}' for w, n in uncovered.most_common(top))}")
    return {"total": total, "covered": covered, "uncovered": uncovered, "sent_hit": sent_hit,
            "label_n": label_n}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lexicon", default=DEFAULT_FRAMING)
    ap.add_argument("--sides", default=DEFAULT_SIDES)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--match", metavar="TEXT", help="print matches for TEXT and exit")
    ap.add_argument("--check", action="store_true", help="lint the lexicon files and exit")
    ap.add_argument("--top", type=int, default=60)
    a = ap.parse_args(argv)
    lex = Lexicon(a.lexicon)
    if a.check:
        ok = True
        for path, kind in ((a.lexicon, "framing"), (a.sides, "sides")):
            if not os.path.exists(path):
                continue
            L = lex if kind == "framing" else Lexicon(path, "sides")
            cnt = collections.Counter((e.category, e.subcategory) for e in L.entries if not e.exclusion)
            print(f"{path}: {len(L.entries)} entries, {len(L.errors)} problems")
            for (c, s), n in sorted(cnt.items()):
                print(f"  {c}/{s}: {n}")
            for err in L.errors:
                print("  ERROR", err)
                ok = False
            seen = collections.Counter((e.pattern, e.category, e.exclusion) for e in L.entries)
            for k, n in seen.items():
                if n > 1:
                    print("  DUPLICATE", k)
                    ok = False
        return 0 if ok else 1
    if a.match:
        for m in lex.match_text(a.match):
            neg = " NEGATED" if m["negated"] else ""
            print(f"{m['sentence_idx']}\t{m['char_start']}-{m['char_end']}\t{m['category']}/{m['subcategory']}"
                  f"\t{m['rule']!r}\t{m['matched_text']!r}{neg}")
        if os.path.exists(a.sides):
            sides = Lexicon(a.sides, "sides")
            for m in sides.match_text(a.match):
                print(f"{m['sentence_idx']}\t{m['char_start']}-{m['char_end']}\tside:{m['category']}={m['subcategory']}"
                      f"\t{m['rule']!r}\t{m['matched_text']!r}")
        return 0
    if not os.path.isdir(a.data):
        print(f"data directory {a.data} not found; nothing to measure.")
        return 0
    babe_coverage(lex, a.data, top=a.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
