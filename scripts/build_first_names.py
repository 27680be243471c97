#!/usr/bin/env python3
"""Builds models/lexicons/first_names.tsv: first names whose bearers are
almost all of one gender, used only to keep "he" / "she" from being resolved
to a named source of the other gender (src/signals/attribution.rs).

Source: the U.S. Census Bureau's 1990 first-name frequency files
(dist.female.first, dist.male.first; public domain, a work of the U.S.
government), as packaged in the `names` package on PyPI (0.3.0, whose README
states the files are public domain). Fetch them with

    pip download names==0.3.0 --no-deps -d /tmp/names && tar xzf /tmp/names/names-0.3.0.tar.gz -C /tmp/names
    python3 scripts/build_first_names.py /tmp/names/names-0.3.0/names > models/lexicons/first_names.tsv

A name is listed with a gender when at least SHARE of its bearers in the
1990 census sample had that gender (the two files give each name's share of
the female and of the male population; the two populations are nearly equal
in size, 51% / 49%, and are weighted by those shares). Names under
MIN_PERCENT of their population are left out (rare spellings, typos), and
so are the words of U.S. state names (Virginia, Georgia, Carolina, ...): in
news they open "Georgia Republican Tom Hale" far more often than they are
the person's first name; months and weekdays ("In June, Ana Ruiz ...");
and English function words and modals (slant's models/lexicons/stopwords.tsv,
"will", "may": the 1990 files list "In" and "Will" as names); name particles
and ranks that open names ("Le Pen", "Von", "Major", "Dean", "King"); and
names whose gender differs between countries, frequent in international
news (Andrea, Nikita, Simone, Nicola, Jean ...: female in the U.S. lists,
male in Italy, Russia or France). slant also
skips a listed word the tagger tagged as anything but a proper noun
(untagged sentences are not read for that).
"""
import sys
from pathlib import Path

SHARE = 0.95
MIN_PERCENT = 0.001
STATE_WORDS = set("""alabama alaska arizona arkansas california colorado connecticut delaware florida
georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
michigan minnesota mississippi missouri montana nebraska nevada hampshire jersey mexico york carolina
dakota ohio oklahoma oregon pennsylvania rhode island tennessee texas utah vermont virginia washington
wisconsin wyoming""".split()) | set("""january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday""".split())
PARTICLES_AND_RANKS = set("""le la de del della di da du van von der den al el bin
major dean king prince princess queen duke earl baron lord lady sir general judge justice bishop pastor
father chief mayor""".split())
ACROSS_COUNTRIES = set("""andrea nikita simone nicola michele joan jean hilary sasha kim gabriele daniele
emanuele luca toni yuri dominique claude camille""".split())
FEMALE_POP, MALE_POP = 0.512, 0.488  # 1990 census, share of the population


def function_words():
    """The words of slant's stop-word list (closed classes) and the modals."""
    stop = Path(__file__).resolve().parent.parent / "models" / "lexicons" / "stopwords.tsv"
    words = {line.split("\t")[0].strip() for line in stop.read_text().splitlines()
             if line.strip() and not line.startswith("#")}
    return words | {"will", "may", "might", "can", "could", "shall", "should", "must", "would"}


def read(path):
    out = {}
    for line in path.read_text().splitlines():
        name, percent = line.split()[:2]
        out[name.lower()] = float(percent)
    return out


def main():
    folder = Path(sys.argv[1])
    female = read(folder / "dist.female.first")
    male = read(folder / "dist.male.first")
    print("# First names and the gender of nearly all their bearers -- models/lexicons/first_names.tsv")
    print("#")
    print("# Built by scripts/build_first_names.py from the U.S. Census Bureau's 1990 first-name")
    print("# frequency files (public domain). A name is listed when at least "
          f"{SHARE:.0%} of its bearers had one gender")
    print(f"# (population shares weighted {FEMALE_POP} / {MALE_POP}) and it is at least {MIN_PERCENT}% of that population.")
    print("# Used only to keep a pronoun source (he / she) from being resolved to a named source")
    print("# of the other gender; a name not listed (or a surname alone) says nothing.")
    print("# Words of U.S. state names, months, weekdays, function words and modals are left out")
    print("# (\"Georgia Republican Tom Hale\", \"In June\", \"Will\"), and so are name particles and ranks")
    print("# (\"Le Pen\", \"Major\") and names of another gender in other countries (Andrea, Nikita, Jean).")
    print("#")
    print("# FORMAT: NAME<TAB>f|m, lowercase, one per line.")
    rows = []
    excluded = STATE_WORDS | function_words() | PARTICLES_AND_RANKS | ACROSS_COUNTRIES
    for name in sorted((set(female) | set(male)) - excluded):
        f = female.get(name, 0.0) * FEMALE_POP
        m = male.get(name, 0.0) * MALE_POP
        if f >= SHARE * (f + m) and female.get(name, 0.0) >= MIN_PERCENT:
            rows.append((name, "f"))
        elif m >= SHARE * (f + m) and male.get(name, 0.0) >= MIN_PERCENT:
            rows.append((name, "m"))
    for name, g in rows:
        print(f"{name}\t{g}")


if __name__ == "__main__":
    main()
