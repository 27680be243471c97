//! Gold tags for slant's tokens.
//!
//! Slant tokenizes differently from the treebank ("don't" is one token, not
//! `do` `n't`; "Al-Zaman" one token, not three; quotes, `$`, `%` are no
//! tokens at all), and the tagger must learn slant's tokens because those
//! are what it will see. So each treebank sentence's `# text` is run through
//! slant's own tokenizer and every slant token is matched to the treebank
//! words it overlaps, by their byte offsets in that text:
//!
//! * one word with the same span: that word's tags (`OneToOne`);
//! * several words (`Merged`: "don't", "Elena's", "so-called", "gonna"):
//!   the tags of their syntactic head, the first of them whose HEAD lies
//!   outside the group. "don't" -> `do` (AUX|VBP), "Elena's" -> `Elena`
//!   (PROPN|NNP), "so-called" -> `called` (VERB|VBN), "U.S.-led" -> `led`;
//! * part of one word (`Part`: "3:30" as `3` `:` `30`, "Mr." as `Mr` `.`):
//!   the word's tags, except that a punctuation token cut out of a word
//!   that is not punctuation is PUNCT with the Penn tag of its character
//!   (`.` `,` `:` `-LRB-` `-RRB-`, `HYPH` for dashes): to slant it is
//!   punctuation, and "." tagged NNP would teach the model nonsense;
//! * no word (`Unaligned`): no gold tag (not trained on, not scored).
//!
//! Word spans come from matching each FORM (or multiword token surface) in
//! the text in order; the words of a multiword token get sub-spans when
//! their forms spell it out (case and apostrophe style aside), else the
//! whole token's span.

use super::conllu::TbSentence;
use crate::text::pos::tags::{PosTag, Upos, Xpos};
use crate::text::token::{tokenize, TokenKind};
use serde::{Deserialize, Serialize};

/// How a token got its gold tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    OneToOne,
    Merged,
    Part,
    Unaligned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlignedToken {
    /// Byte span in [`AlignedSentence::text`].
    pub start: u32,
    pub end: u32,
    pub gold: Option<PosTag>,
    pub link: Link,
    pub punct: bool,
}

/// One sentence in the tokenization the tagger is trained and scored on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlignedSentence {
    pub id: String,
    pub text: String,
    pub tokens: Vec<AlignedToken>,
    /// Every treebank word: its gold UPOS and the token that carries its
    /// tag, if any (the token it is the head of, matches, or contains).
    pub words: Vec<(Upos, Option<u32>)>,
}

impl AlignedSentence {
    pub fn surface(&self, i: usize) -> &str {
        let t = &self.tokens[i];
        &self.text[t.start as usize..t.end as usize]
    }

    pub fn surfaces(&self) -> Vec<&str> {
        (0..self.tokens.len()).map(|i| self.surface(i)).collect()
    }
}

/// Which tokens to train or score on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tokenization {
    /// slant's tokenizer on `# text` (what the shipped model is trained on).
    Slant,
    /// The treebank's own words (a calibration against published taggers).
    Treebank,
}

#[derive(Debug, Clone, Default)]
pub struct Aligned {
    pub sentences: Vec<AlignedSentence>,
    /// Ids of sentences whose words could not be located in their text.
    pub skipped: Vec<String>,
}

impl Aligned {
    pub fn n_tokens(&self) -> usize {
        self.sentences.iter().map(|s| s.tokens.len()).sum()
    }
}

pub fn align(sentences: &[TbSentence], tok: Tokenization) -> Aligned {
    let mut out = Aligned::default();
    for s in sentences {
        let a = match tok {
            Tokenization::Slant => word_spans(s).map(|spans| align_slant(s, &spans)),
            Tokenization::Treebank => Some(treebank_tokens(s)),
        };
        match a {
            Some(a) => out.sentences.push(a),
            None => out.skipped.push(s.id.clone()),
        }
    }
    out
}

/// Skip whitespace, then expect `form` at `*pos`.
fn locate(text: &str, pos: &mut usize, form: &str) -> Option<(usize, usize)> {
    let rest = &text[*pos..];
    let skipped = rest.len() - rest.trim_start().len();
    let start = *pos + skipped;
    if !text[start..].starts_with(form) {
        return None;
    }
    *pos = start + form.len();
    Some((start, *pos))
}

fn same_char(a: char, b: char) -> bool {
    let norm = |c: char| if c == '\u{2019}' || c == '`' { '\'' } else { c };
    let (a, b) = (norm(a), norm(b));
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

/// Byte length of the prefix of `s` that spells `form`, if it does.
fn spells(s: &str, form: &str) -> Option<usize> {
    let mut it = s.char_indices();
    for f in form.chars() {
        let (_, c) = it.next()?;
        if !same_char(c, f) {
            return None;
        }
    }
    Some(it.next().map_or(s.len(), |(i, _)| i))
}

/// Byte span of every word in the sentence text.
fn word_spans(s: &TbSentence) -> Option<Vec<(usize, usize)>> {
    let text = &s.text;
    let n = s.words.len();
    let mut spans = vec![(0, 0); n];
    let mut pos = 0;
    let mut id = 1u32;
    let mut mw = s.multiwords.iter().peekable();
    while id as usize <= n {
        if let Some(m) = mw.next_if(|m| m.first == id) {
            let (a, b) = locate(text, &mut pos, &m.form)?;
            let words = &s.words[m.first as usize - 1..m.last as usize];
            let mut c = a;
            let mut sub = Vec::with_capacity(words.len());
            for w in words {
                match spells(&text[c..b], &w.form) {
                    Some(len) if len > 0 => {
                        sub.push((c, c + len));
                        c += len;
                    }
                    _ => break,
                }
            }
            let whole = sub.len() == words.len() && c == b;
            for (k, w) in (m.first as usize - 1..m.last as usize).enumerate() {
                spans[w] = if whole { sub[k] } else { (a, b) };
            }
            id = m.last + 1;
        } else {
            spans[id as usize - 1] = locate(text, &mut pos, &s.words[id as usize - 1].form)?;
            id += 1;
        }
    }
    Some(spans)
}

fn tag_of(s: &TbSentence, w: usize) -> PosTag {
    PosTag { upos: s.words[w].upos, xpos: s.words[w].xpos }
}

fn align_slant(s: &TbSentence, spans: &[(usize, usize)]) -> AlignedSentence {
    let mut raw = Vec::new();
    tokenize(&s.text, &mut raw);
    let mut words: Vec<(Upos, Option<u32>)> = s.words.iter().map(|w| (w.upos, None)).collect();
    let mut tokens = Vec::with_capacity(raw.len());
    let mut group = Vec::new();
    for (ti, rt) in raw.iter().enumerate() {
        let (ts, te) = (rt.span.start, rt.span.end);
        group.clear();
        group.extend((0..spans.len()).filter(|&j| spans[j].0 < te && spans[j].1 > ts));
        let (link, chosen) = match group.len() {
            0 => (Link::Unaligned, None),
            1 if spans[group[0]] == (ts, te) => (Link::OneToOne, Some(group[0])),
            1 => (Link::Part, Some(group[0])),
            _ => {
                let inside = |id: u32| id != 0 && group.contains(&(id as usize - 1));
                let head = group.iter().copied().find(|&j| !inside(s.words[j].head)).unwrap_or(group[0]);
                (Link::Merged, Some(head))
            }
        };
        if let Some(j) = chosen {
            words[j].1.get_or_insert(ti as u32);
        }
        let punct = rt.kind == TokenKind::Punct;
        let gold = match chosen {
            // The '.' of "Mr." or the ':' of "10:30" is punctuation to slant.
            Some(j) if link == Link::Part && punct && s.words[j].upos != Upos::Punct => {
                Some(PosTag { upos: Upos::Punct, xpos: punct_xpos(&s.text[ts..te]) })
            }
            Some(j) => Some(tag_of(s, j)),
            None => None,
        };
        tokens.push(AlignedToken { start: ts as u32, end: te as u32, gold, link, punct });
    }
    AlignedSentence { id: s.id.clone(), text: s.text.clone(), tokens, words }
}

/// The Penn tag of a punctuation token cut out of a word.
fn punct_xpos(p: &str) -> Xpos {
    match p.chars().next() {
        Some('.' | '!' | '?') => Xpos::PERIOD,
        Some(',') => Xpos::COMMA,
        Some('(' | '[') => Xpos::LRB,
        Some(')' | ']') => Xpos::RRB,
        Some('-' | '\u{2013}' | '\u{2014}') => Xpos::HYPH,
        _ => Xpos::COLON,
    }
}

/// The treebank's words as tokens, in a text of their forms joined by spaces.
fn treebank_tokens(s: &TbSentence) -> AlignedSentence {
    let mut text = String::new();
    let mut tokens = Vec::with_capacity(s.words.len());
    for (j, w) in s.words.iter().enumerate() {
        if j > 0 {
            text.push(' ');
        }
        let start = text.len() as u32;
        text.push_str(&w.form);
        tokens.push(AlignedToken {
            start,
            end: text.len() as u32,
            gold: Some(tag_of(s, j)),
            link: Link::OneToOne,
            punct: w.upos == Upos::Punct,
        });
    }
    let words = s.words.iter().enumerate().map(|(j, w)| (w.upos, Some(j as u32))).collect();
    AlignedSentence { id: s.id.clone(), text, tokens, words }
}
