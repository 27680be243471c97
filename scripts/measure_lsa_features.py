"""Does a low-rank document space learned from unlabelled news text lift the
text models? A scikit-learn measurement made before any Rust (issue #13;
scripts/tuning_log.md, "Leaning calibration and LSA features").

Nested CV: 5 outer folds, grouped as the cards (BABE by outlet, hyperpartisan
by the publisher domain of the url, subjectivity stratified; scikit-learn's
folds, not slant's), C chosen from 0.1, 1, 10, 100 on 3 inner folds of each
outer training fold. Baseline: word 1-2-gram tf-idf (min_df 2), plus with
`char` character 2-5-grams within words (20,000), and logistic regression
(balanced class weights for bias and subjectivity). Variant: the same plus
the L2-normalised LSA vector of each text times W (TruncatedSVD of a tf-idf
fitted on the paragraphs of unlabelled news texts: AllSides, PolNeAR,
hyperpartisan and SemEval frames articles, leaving out the texts of the
dataset being scored).

Usage: python3 scripts/measure_lsa_features.py subj|bias|hyper [DIMS [W,W] [char]]
(data from ../shared/data relative to the repository, or $SLANT_DATA)."""
import csv, gzip, re, sys, time, json
import numpy as np, scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.decomposition import TruncatedSVD
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, StratifiedGroupKFold
from sklearn.metrics import f1_score, accuracy_score
from sklearn.preprocessing import normalize
csv.field_size_limit(10**9)
import os
D = os.environ.get('SLANT_DATA', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'data')) + '/'
def read(p):
    with gzip.open(D + p, 'rt', encoding='utf-8') as f:
        return list(csv.DictReader(f))
def domain(url):
    h = re.sub(r'^https?://', '', url).split('/')[0].lower()
    h = re.sub(r'^www\.', '', h); parts = h.split('.')
    if len(parts) >= 3 and parts[-2] in ('co', 'com', 'org', 'net', 'gov', 'ac') and len(parts[-1]) == 2:
        return '.'.join(parts[-3:])
    return '.'.join(parts[-2:])
UNLAB = {'allsides': [r['text'] for r in read('allsides_baly2020/dev.csv.gz')],
         'polnear': [r['text'] for r in read('attribution_polnear/articles.csv.gz')],
         'hyperpartisan': [r['text'] for r in read('hyperpartisan_semeval2019/train.csv.gz')],
         'frames': [r['text'] for r in read('frames_semeval2023/train.csv.gz')]}
def paragraphs(texts):
    out = []
    for t in texts:
        out += [p for p in re.split(r'\n+', t) if len(p.split()) >= 8]
    return out
def lsa(exclude, dims):
    paras = paragraphs([t for k, v in UNLAB.items() if k != exclude for t in v])
    vec = TfidfVectorizer(min_df=5, max_features=50000, sublinear_tf=True, stop_words='english')
    X = vec.fit_transform(paras)
    svd = TruncatedSVD(dims, random_state=0, algorithm='randomized', n_iter=5).fit(X)
    print(f'  LSA: {len(paras)} paragraphs, {X.shape[1]} terms, {dims} dims, expl var {svd.explained_variance_ratio_.sum():.3f}', flush=True)
    return lambda texts: normalize(svd.transform(vec.transform(texts)))
CHAR = len(sys.argv) > 4 and sys.argv[4] == 'char'
def feats(train_txt, test_txt, proj, w):
    v = TfidfVectorizer(min_df=2, ngram_range=(1, 2), sublinear_tf=False)
    a, b = v.fit_transform(train_txt), v.transform(test_txt)
    if CHAR:
        c = TfidfVectorizer(min_df=2, analyzer='char_wb', ngram_range=(2, 5), max_features=20000)
        a = sp.hstack([a, c.fit_transform(train_txt)]).tocsr(); b = sp.hstack([b, c.transform(test_txt)]).tocsr()
    if proj is not None:
        a = sp.hstack([a, w * sp.csr_matrix(proj(train_txt))]).tocsr()
        b = sp.hstack([b, w * sp.csr_matrix(proj(test_txt))]).tocsr()
    return a, b
def splitter(groups, k, seed):
    return (StratifiedGroupKFold(k, shuffle=True, random_state=seed) if groups is not None
            else StratifiedKFold(k, shuffle=True, random_state=seed))
def fit_pred(tr_txt, y_tr, te_txt, C, cw, proj, w):
    a, b = feats(tr_txt, te_txt, proj, w)
    m = LogisticRegression(C=C, class_weight=cw, max_iter=2000, solver='liblinear').fit(a, y_tr)
    return m.predict(b)
def score(metric, y, p):
    return f1_score(y, p, average='macro') if metric == 'macro' else accuracy_score(y, p)
def nested(texts, y, groups, metric, cw, proj, w, seed, Cs=(0.1, 1, 10, 100)):
    texts = np.array(texts, dtype=object); y = np.array(y)
    pred = np.empty_like(y); per_fold = []
    sp_ = splitter(groups, 5, seed)
    for tr, te in sp_.split(texts, y, groups):
        inner = splitter(None if groups is None else groups[tr], 3, seed)
        best, bestC = -1, None
        for C in Cs:
            ip = np.empty_like(y[tr])
            for itr, ite in inner.split(texts[tr], y[tr], None if groups is None else groups[tr]):
                ip[ite] = fit_pred(texts[tr][itr], y[tr][itr], texts[tr][ite], C, cw, proj, w)
            s = score(metric, y[tr], ip)
            if s > best: best, bestC = s, C
        pred[te] = fit_pred(texts[tr], y[tr], texts[te], bestC, cw, proj, w)
        per_fold.append((score(metric, y[te], pred[te]), bestC))
    return score(metric, y, pred), per_fold
which = sys.argv[1]; dims = int(sys.argv[2]) if len(sys.argv) > 2 else 200
ws = [float(x) for x in sys.argv[3].split(',')] if len(sys.argv) > 3 else [1.0]
if which == 'subj':
    r = read('subjectivity_checkthat2025/dev.csv.gz'); g = None; metric = 'macro'; cw = 'balanced'; ex = None
elif which == 'bias':
    r = read('babe/dev.csv.gz'); g = np.array([x['outlet'] for x in r]); metric = 'macro'; cw = 'balanced'; ex = None
else:
    r = read('hyperpartisan_semeval2019/train.csv.gz'); g = np.array([domain(x['url']) for x in r]); metric = 'acc'; cw = None; ex = 'hyperpartisan'
texts = [x['text'] for x in r]; y = [x['label'] for x in r]
proj = lsa(ex, dims)
for seed in (42, 7):
    t = time.time(); base, bf = nested(texts, y, g, metric, cw, None, 0, seed)
    print(f'{which} seed {seed} baseline {metric} {base:.4f} folds {[round(a,3) for a,_ in bf]} C {[c for _,c in bf]} ({time.time()-t:.0f}s)', flush=True)
    for w in ws:
        s, f = nested(texts, y, g, metric, cw, proj, w, seed)
        wins = sum(a > b for (a, _), (b, _) in zip(f, bf))
        print(f'{which} seed {seed} +LSA{dims} w={w} {metric} {s:.4f} (delta {s-base:+.4f}, wins {wins}/5) folds {[round(a,3) for a,_ in f]} C {[c for _,c in f]}', flush=True)
