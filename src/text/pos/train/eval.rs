//! Accuracy of a tagger on aligned sentences, measured with the same
//! [`Tagger::tag`] that slant runs.

use super::align::{AlignedSentence, Link};
use crate::text::pos::tagger::{Scratch, Tagger};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkAccuracy {
    pub link: Link,
    pub tokens: usize,
    pub upos: f64,
    pub xpos: f64,
}

/// Accuracies are shares in `0..=1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub sentences: usize,
    /// Tokens with a gold tag (the denominator of `upos`, `xpos`, `both`).
    pub tokens: usize,
    /// Tokens without one (they overlap no treebank word).
    pub unaligned: usize,
    /// Share of `tokens` aligned one-to-one with a treebank word.
    pub one_to_one: f64,
    pub upos: f64,
    pub xpos: f64,
    /// Both tags right.
    pub both: f64,
    /// UPOS accuracy over non-punctuation tokens.
    pub upos_words: f64,
    pub by_link: Vec<LinkAccuracy>,
    /// Share of tokens whose surface has no precomputed entry (roughly:
    /// rare or unseen in training), and UPOS accuracy on them.
    pub uncached: f64,
    pub upos_uncached: f64,
    /// Projected onto the treebank's own words: each word takes the
    /// prediction of the token carrying its tag; words no token carries
    /// (`n't` of "don't", quotes, `$`) count as errors.
    pub treebank_words: usize,
    pub treebank_carried: f64,
    pub treebank_upos: f64,
}

fn share(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

pub fn evaluate(tagger: &Tagger, data: &[AlignedSentence]) -> Evaluation {
    let mut sc = Scratch::new();
    let mut out = Vec::new();
    let mut words = Vec::new();
    let (mut tokens, mut unaligned, mut one, mut upos, mut xpos, mut both) = (0, 0, 0, 0, 0, 0);
    let (mut wtok, mut wright) = (0, 0);
    let (mut unc, mut unc_right) = (0, 0);
    let links = [Link::OneToOne, Link::Merged, Link::Part];
    let mut by = [(0usize, 0usize, 0usize); 3];
    let (mut tbw, mut carried, mut tb_right) = (0, 0, 0);
    for s in data {
        words.clear();
        words.extend((0..s.tokens.len()).map(|i| s.surface(i)));
        tagger.tag(&words, &mut sc, &mut out);
        for (i, (t, p)) in s.tokens.iter().zip(&out).enumerate() {
            let Some(g) = t.gold else {
                unaligned += 1;
                continue;
            };
            tokens += 1;
            one += (t.link == Link::OneToOne) as usize;
            let (u, x) = (p.upos == g.upos, p.xpos == g.xpos);
            upos += u as usize;
            xpos += x as usize;
            both += (u && x) as usize;
            if !t.punct {
                wtok += 1;
                wright += u as usize;
            }
            if !tagger.is_cached(words[i]) {
                unc += 1;
                unc_right += u as usize;
            }
            if let Some(k) = links.iter().position(|&l| l == t.link) {
                by[k].0 += 1;
                by[k].1 += u as usize;
                by[k].2 += x as usize;
            }
        }
        for &(g, tok) in &s.words {
            tbw += 1;
            if let Some(tok) = tok {
                carried += 1;
                tb_right += (out[tok as usize].upos == g) as usize;
            }
        }
    }
    Evaluation {
        sentences: data.len(),
        tokens,
        unaligned,
        one_to_one: share(one, tokens),
        upos: share(upos, tokens),
        xpos: share(xpos, tokens),
        both: share(both, tokens),
        upos_words: share(wright, wtok),
        by_link: links
            .iter()
            .zip(by)
            .map(|(&link, (n, u, x))| LinkAccuracy { link, tokens: n, upos: share(u, n), xpos: share(x, n) })
            .collect(),
        uncached: share(unc, tokens),
        upos_uncached: share(unc_right, unc),
        treebank_words: tbw,
        treebank_carried: share(carried, tbw),
        treebank_upos: share(tb_right, tbw),
    }
}
