"""Do the shipped sentence models' document aggregates lift the hyperpartisan
model? A scikit-learn measurement made before any Rust (issue #13;
scripts/tuning_log.md, "Sentence evidence as document features").

What it does:
1. `slant train` the card's hyperpartisan configuration with --predictions, to
   get slant's own out-of-fold predictions and its fold assignment (5 folds
   grouped by publisher domain, seed 42): the reference figure of the card.
2. `slant score --model bias.json --model subjectivity.json --sentences` on
   the same training texts: the lexicon signals of every article, the
   document aggregates of the two sentence models (mean, max, share >= 0.5 of
   P(biased) and P(subj)) and the per-sentence rows (for spreads).
3. On slant's outer folds, nested: a logistic regression on stem-unigram
   tf-idf (min_df 2, 20,000 by chi-squared) plus the lexicon signals (scaled
   as slant scales them), with C and the class weights chosen on 3 inner
   folds grouped by domain (macro-F1, as `slant train --tune`), then Platt
   scaling fitted on the out-of-fold scores of 5 inner grouped folds (as the
   card). Baseline: those features; variant: the same plus the chosen
   aggregate block (the block is part of the inner choice when several are
   given).

The sentence models are trained on BABE and CheckThat! sentences, other
corpora than hyperpartisan, so their outputs are fixed functions of the text
and using them as features leaks nothing across folds.

With --target bias or subjectivity the same question at sentence level: does
the other sentence model's probability lift a sentence model? (bias: BABE,
folds grouped by outlet; subjectivity: CheckThat!, ungrouped; slant's own
folds of the shipped command of scripts/train_models.sh.) Features: stem
1-2-grams (subjectivity) or unigrams (bias) tf-idf plus character 2-5-grams
within words (20,000) and the lexicon signals, balanced class weights, C
chosen on 3 inner folds by macro-F1, no calibration (as the cards); the
variant adds P(subj) of the subjectivity model (for bias) or P(biased) of the
bias model (for subjectivity), times --weight. The metric is macro-F1. The
subjectivity model is trained on CheckThat! and the bias model on BABE, so
each is an outside model for the other's data.

Usage:
  python3 scripts/measure_sentence_stacking.py [--target hyperpartisan|bias|subjectivity]
      [--slant target/release/slant] [--data ../shared/data]
      [--blocks agg,agg_sd,agg_spread] [--work DIR] [--models models] [--weight 1.0]
Temporary files go to --work (default: a fresh temporary folder, removed at
the end). Prints the fold-by-fold accuracies and the decision-rule check.
"""
import argparse
import csv
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import scipy.sparse as sp
from nltk.stem.snowball import SnowballStemmer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold

csv.field_size_limit(10**9)
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The aggregate blocks that can be compared (names of `slant score` columns,
# or spreads computed here from the --sentences rows).
AGG = ['p_bias_biased_sent_mean', 'p_bias_biased_sent_max', 'p_bias_biased_sent_share50',
       'p_subjectivity_subj_sent_mean', 'p_subjectivity_subj_sent_max', 'p_subjectivity_subj_sent_share50']
SD = ['sd_bias', 'sd_subj']
SPREAD = ['share_loaded', 'share_booster_intensifier', 'share_hedge_distancing', 'share_quotation']
BLOCKS = {'agg': AGG, 'agg_sd': AGG + SD, 'agg_spread': AGG + SD + SPREAD}


def args():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--slant', default=os.path.join(REPO, 'target/release/slant'))
    p.add_argument('--data', default=os.path.join(REPO, '..', 'shared', 'data'))
    p.add_argument('--models', default=os.path.join(REPO, 'models'))
    p.add_argument('--blocks', default='agg,agg_spread',
                   help='comma-separated candidate blocks for the variant, chosen on inner folds: ' + ', '.join(BLOCKS))
    p.add_argument('--weight', type=float, default=1.0, help='multiplier of the aggregate block')
    p.add_argument('--target', default='hyperpartisan', choices=['hyperpartisan', 'bias', 'subjectivity'])
    p.add_argument('--work', help='folder for slant outputs (kept); default: a temporary folder, removed')
    return p.parse_args()


def run_slant(a, work, data):
    subprocess.run([a.slant, 'train', data, '--label-col', 'label', '--group-col', 'url', '--group-domain',
                    '--level', 'document', '--calibration', 'platt', '--algo', 'logistic', '--class-weight', 'none',
                    '--ngrams', '1', '--min-df', '2', '--tune', 'c=0.1,1,10,100;class-weight=none,balanced',
                    '--tune-folds', '3', '--max-features', '20000', '--select', 'chi2', '--weighting', 'tf-idf',
                    '--cv', '5', '--seed', '42', '-q', '-o', os.path.join(work, 'hp.json'),
                    '--predictions', os.path.join(work, 'oof.csv')], check=True)
    subprocess.run([a.slant, 'score', data, '--keep-cols', 'label', '--model',
                    os.path.join(a.models, 'bias.json'), os.path.join(a.models, 'subjectivity.json'),
                    '-o', os.path.join(work, 'scores.csv'), '--sentences', os.path.join(work, 'sent.csv'), '-q'],
                   check=True)


def read_csv(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt', encoding='utf-8') as f:
        return list(csv.DictReader(f))


def num(v):
    return float(v) if v not in ('', None) else 0.0


def lexicon_block(scores):
    """The lexicon and length signals of `slant score`, scaled as slant's
    features are (rates ln(1 + x) / 5, counts ln(1 + n), shares as they are)."""
    skip = {'doc_id', 'label'}
    cols = [c for c in scores[0] if c not in skip and not c.startswith('p_')]
    out = []
    for r in scores:
        row = []
        for c in cols:
            x = num(r[c])
            if c == 'n_words':
                row.append(np.log1p(x) / 10)
            elif c == 'n_sentences':
                row.append(np.log1p(x) / 5)
            elif c.endswith('per1k'):
                row.append(np.log1p(max(x, 0)) / 5)
            elif c.endswith('_n') or c.endswith('_words'):
                row.append(np.log1p(max(x, 0)))
            else:
                row.append(x)
        out.append(row)
    return np.array(out)


def aggregate_block(scores, sents, names):
    per_doc = {}
    for s in sents:
        per_doc.setdefault(s['doc_id'], []).append(s)
    rows = []
    for r in scores:
        ss = per_doc.get(r['doc_id'], [])
        pb = np.array([num(s['p_bias_biased']) for s in ss]) if ss else np.zeros(1)
        ps = np.array([num(s['p_subjectivity_subj']) for s in ss]) if ss else np.zeros(1)
        n = max(len(ss), 1)

        def share(*cols):
            return sum(1 for s in ss if any(num(s[c]) > 0 for c in cols)) / n
        extra = {'sd_bias': pb.std(), 'sd_subj': ps.std(),
                 'share_loaded': share('loaded_n'), 'share_booster_intensifier': share('booster_n', 'intensifier_n'),
                 'share_hedge_distancing': share('hedge_n', 'distancing_n'), 'share_quotation': share('quotation_n')}
        rows.append([num(r[c]) if c in r else extra[c] for c in names])
    return np.array(rows)


STEM = SnowballStemmer('english')
_cache = {}


def stems(text):
    out = []
    for w in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower()):
        s = _cache.get(w)
        if s is None:
            s = _cache[w] = STEM.stem(w)
        out.append(s)
    return out


def features(texts, y, tr, te, dense):
    vec = TfidfVectorizer(analyzer=stems, min_df=2)
    a, b = vec.fit_transform([texts[i] for i in tr]), vec.transform([texts[i] for i in te])
    if a.shape[1] > 20000:
        sel = SelectKBest(chi2, k=20000).fit(a, y[tr])
        a, b = sel.transform(a), sel.transform(b)
    return sp.hstack([a, dense[tr]]).tocsr(), sp.hstack([b, dense[te]]).tocsr()


def fit(X, y, c, cw):
    return LogisticRegression(C=c, class_weight=cw, max_iter=2000, solver='liblinear').fit(X, y)


def inner_splits(groups, rows, k, seed):
    # Grouped inner folds of the training rows (domains shuffled by seed).
    g = groups[rows]
    uniq = np.unique(g)
    rng = np.random.RandomState(seed)
    perm = {u: i for i, u in enumerate(rng.permutation(uniq))}
    codes = np.array([perm[x] for x in g])
    return [(rows[a], rows[b]) for a, b in GroupKFold(k).split(rows, groups=codes)]


def nested_predict(texts, y, groups, tr, te, dense_options):
    """Choose (block, C, class weight) on 3 inner folds by macro-F1, Platt on 5 inner folds; P(true) on te."""
    best = None
    for bname, dense in dense_options.items():
        for c in (0.1, 1, 10, 100):
            for cw in (None, 'balanced'):
                pred = np.zeros(len(y), dtype=int)
                for itr, ite in inner_splits(groups, tr, 3, 1):
                    Xa, Xb = features(texts, y, itr, ite, dense)
                    pred[ite] = fit(Xa, y[itr], c, cw).predict(Xb)
                score = f1_score(y[tr], pred[tr], average='macro')
                if best is None or score > best[0] + 1e-12:
                    best = (score, bname, c, cw)
    _, bname, c, cw = best
    dense = dense_options[bname]
    dec = np.zeros(len(y))
    for itr, ite in inner_splits(groups, tr, 5, 2):
        Xa, Xb = features(texts, y, itr, ite, dense)
        dec[ite] = fit(Xa, y[itr], c, cw).decision_function(Xb)
    platt = LogisticRegression(C=1e6).fit(dec[tr].reshape(-1, 1), y[tr])
    Xa, Xb = features(texts, y, tr, te, dense)
    d = fit(Xa, y[tr], c, cw).decision_function(Xb)
    return platt.predict_proba(d.reshape(-1, 1))[:, 1], (bname, c, cw)


def ece(y, p, bins=10):
    conf = np.maximum(p, 1 - p)
    hit = ((p >= 0.5).astype(int) == y)
    e = 0.0
    for k in range(bins):
        m = (conf > k / bins) & (conf <= (k + 1) / bins) if k else (conf <= 1 / bins)
        if m.any():
            e += m.mean() * abs(conf[m].mean() - hit[m].mean())
    return e


# Sentence targets: data file, slant's training command (as in
# scripts/train_models.sh, for its folds and out-of-fold figure), word n-gram
# range, and the outside model whose probability is the extra feature.
SENTENCE = {
    'bias': ('babe/dev.csv.gz', ['--group-col', 'outlet', '--ngrams', '1',
                                 '--tune', 'c=0.1,1,10,100;char-ngrams=none,2-5'], (1, 1),
             'subjectivity', 'p_subjectivity_subj_sent_mean', 'biased'),
    'subjectivity': ('subjectivity_checkthat2025/dev.csv.gz', ['--ngrams', '2',
                     '--tune', 'c=0.1,1,10,100;ngrams=1,2;char-ngrams=none,2-5'], (1, 2),
                     'bias', 'p_bias_biased_sent_mean', 'subj'),
}


def sentence_features(texts, y, tr, te, dense, ngrams):
    w = TfidfVectorizer(analyzer=lambda t: ngram_stems(t, ngrams), min_df=2)
    c = TfidfVectorizer(analyzer='char_wb', ngram_range=(2, 5), min_df=2)
    a = sp.hstack([w.fit_transform([texts[i] for i in tr]), c.fit_transform([texts[i] for i in tr])]).tocsr()
    b = sp.hstack([w.transform([texts[i] for i in te]), c.transform([texts[i] for i in te])]).tocsr()
    if a.shape[1] > 20000:
        sel = SelectKBest(chi2, k=20000).fit(a, y[tr])
        a, b = sel.transform(a), sel.transform(b)
    return sp.hstack([a, dense[tr]]).tocsr(), sp.hstack([b, dense[te]]).tocsr()


def ngram_stems(text, n):
    s = stems(text)
    return s + [' '.join(s[i:i + 2]) for i in range(len(s) - 1)] if n[1] >= 2 else s


def nested_sentence(texts, y, tr, te, dense, ngrams, groups):
    """Choose C on 3 inner folds (grouped by `groups`) by macro-F1; predictions on te."""
    best = None
    for c in (0.1, 1, 10):
        pred = np.zeros(len(y), dtype=int)
        for itr, ite in inner_splits(groups, tr, 3, 1):
            Xa, Xb = sentence_features(texts, y, itr, ite, dense, ngrams)
            pred[ite] = fit(Xa, y[itr], c, 'balanced').predict(Xb)
        score = f1_score(y[tr], pred[tr], average='macro')
        if best is None or score > best[0] + 1e-12:
            best = (score, c)
    Xa, Xb = sentence_features(texts, y, tr, te, dense, ngrams)
    return fit(Xa, y[tr], best[1], 'balanced').predict(Xb), best[1]


def main_sentence(a):
    rel, train_args, ngrams, other, col, positive = SENTENCE[a.target]
    data = os.path.join(a.data, rel)
    work = a.work or tempfile.mkdtemp(prefix='stack-')
    os.makedirs(work, exist_ok=True)
    try:
        subprocess.run([a.slant, 'train', data, '--label-col', 'label', '--level', 'sentence', '--algo', 'logistic',
                        '--class-weight', 'balanced', '--min-df', '2', '--tune-folds', '3', '--max-features', '20000',
                        '--select', 'chi2', '--weighting', 'tf-idf', '--cv', '5', '--seed', '42', '-q',
                        '-o', os.path.join(work, 's.json'), '--predictions', os.path.join(work, 'oof.csv')]
                       + train_args, check=True)
        subprocess.run([a.slant, 'score', data, '--keep-cols', 'label', '--model',
                        os.path.join(a.models, other + '.json'), '-o', os.path.join(work, 'scores.csv'), '-q'],
                       check=True)
        rows = read_csv(data)
        oof = {r['doc_id']: r for r in read_csv(os.path.join(work, 'oof.csv'))}
        by_id = {r['doc_id']: r for r in read_csv(os.path.join(work, 'scores.csv'))}
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
    ids = [r['id'] for r in rows]
    scores = [by_id[i] for i in ids]
    texts = [r['text'] for r in rows]
    y = np.array([1 if r['label'] == positive else 0 for r in rows])
    fold = np.array([int(oof[i]['fold']) for i in ids])
    # Ungrouped data: each sentence its own group.
    groups = np.array([oof[i]['group'] for i in ids]) if a.target == 'bias' else np.arange(len(y))
    slant_pred = np.array([1 if oof[i]['predicted'] == positive else 0 for i in ids])
    lex = lexicon_block(scores)
    extra = np.array([[num(r[col]), num(r[col.replace('_mean', '_max')])] for r in scores])
    base, var = np.zeros(len(y), dtype=int), np.zeros(len(y), dtype=int)
    print(f'{a.target}: + {col} (and _max) of the {other} model; macro-F1')
    print('fold  n     slant  base   variant  diff    C base / variant')
    diffs = []
    for k in sorted(set(fold)):
        tr, te = np.where(fold != k)[0], np.where(fold == k)[0]
        base[te], cb = nested_sentence(texts, y, tr, te, lex, ngrams, groups)
        var[te], cv = nested_sentence(texts, y, tr, te, np.hstack([lex, a.weight * extra]), ngrams, groups)
        f = [f1_score(y[te], p[te], average='macro') for p in (slant_pred, base, var)]
        diffs.append(f[2] - f[1])
        print(f'{k:<5} {len(te):<5} {f[0]:.3f}  {f[1]:.3f}  {f[2]:.3f}    {f[2] - f[1]:+.3f}  {cb} / {cv}', flush=True)
    for name, p in (('slant OOF (card)', slant_pred), ('sklearn baseline', base), ('sklearn + other model', var)):
        print(f'{name:22} macro-F1 {f1_score(y, p, average="macro"):.4f}  accuracy {accuracy_score(y, p):.4f}')
    gain = f1_score(y, var, average='macro') - f1_score(y, base, average='macro')
    wins = sum(d > 0 for d in diffs)
    print(f'gain {gain:+.4f}, better in {wins} of {len(diffs)} folds: '
          f'{"BUILD" if gain >= 0.01 and wins >= 4 else "do not build"} (rule: >= +0.01 and >= 4 of 5)')


def main():
    a = args()
    if a.target != 'hyperpartisan':
        return main_sentence(a)
    data = os.path.join(a.data, 'hyperpartisan_semeval2019', 'train.csv.gz')
    work = a.work or tempfile.mkdtemp(prefix='stack-')
    os.makedirs(work, exist_ok=True)
    try:
        run_slant(a, work, data)
        rows = read_csv(data)
        oof = {r['doc_id']: r for r in read_csv(os.path.join(work, 'oof.csv'))}
        scores = read_csv(os.path.join(work, 'scores.csv'))
        sents = read_csv(os.path.join(work, 'sent.csv'))
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
    by_id = {r['doc_id']: r for r in scores}
    ids = [r['id'] for r in rows]
    scores = [by_id[i] for i in ids]
    texts = [r['text'] for r in rows]
    y = np.array([1 if r['label'] == 'true' else 0 for r in rows])
    groups = np.array([oof[i]['group'] for i in ids])
    fold = np.array([int(oof[i]['fold']) for i in ids])
    slant_p = np.array([float(oof[i]['p_true']) for i in ids])
    lex = lexicon_block(scores)
    variant = {b: np.hstack([lex, a.weight * aggregate_block(scores, sents, BLOCKS[b])]) for b in a.blocks.split(',')}
    p_base, p_var = np.zeros(len(y)), np.zeros(len(y))
    print('fold  n    slant  base   variant  diff    base choice / variant choice')
    diffs = []
    for k in sorted(set(fold)):
        tr, te = np.where(fold != k)[0], np.where(fold == k)[0]
        p_base[te], cb = nested_predict(texts, y, groups, tr, te, {'none': lex})
        p_var[te], cv = nested_predict(texts, y, groups, tr, te, variant)
        acc = [accuracy_score(y[te], (p[te] >= 0.5).astype(int)) for p in (slant_p, p_base, p_var)]
        diffs.append(acc[2] - acc[1])
        print(f'{k:<5} {len(te):<4} {acc[0]:.3f}  {acc[1]:.3f}  {acc[2]:.3f}    {acc[2] - acc[1]:+.3f}  {cb} / {cv}',
              flush=True)
    for name, p in (('slant OOF (card)', slant_p), ('sklearn baseline', p_base), ('sklearn + aggregates', p_var)):
        pred = (p >= 0.5).astype(int)
        print(f'{name:22} accuracy {accuracy_score(y, pred):.4f}  macro-F1 {f1_score(y, pred, average="macro"):.4f}'
              f'  ECE {ece(y, p):.4f}')
    gain = accuracy_score(y, (p_var >= 0.5).astype(int)) - accuracy_score(y, (p_base >= 0.5).astype(int))
    wins = sum(d > 0 for d in diffs)
    print(f'gain {gain:+.4f}, better in {wins} of {len(diffs)} folds: '
          f'{"BUILD" if gain >= 0.01 and wins >= 4 else "do not build"} (rule: >= +0.01 and >= 4 of 5)')


if __name__ == '__main__':
    sys.exit(main())
