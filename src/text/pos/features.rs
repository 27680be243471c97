//! Feature extraction, shared by training and tagging so the two can never
//! disagree.
//!
//! A feature is a 64-bit hash of (template id, value); no feature string is
//! ever built. The hash function and the template ids are part of the model
//! format ([`FEATURE_HASH`]): changing either means a new format version.
//!
//! Every template except the tag-history ones depends on one word only, so
//! the features of a word type are computed once and grouped by the role the
//! word plays relative to the token being tagged: the token itself, the
//! word before it (i-1), two before (i-2), after (i+1), two after (i+2). The
//! tagger turns each role's features into one summed score vector per word
//! type, which is what makes tagging cheap (see `tagger.rs`).

use serde::{Deserialize, Serialize};

/// Name of the feature hash, stored in model files.
pub const FEATURE_HASH: &str =
    "slant-pos-hash-1: FNV-1a 64 of the value bytes, template id mixed in, splitmix64 finish";

/// A feature template. The discriminants are hashed into every feature, so
/// they are part of the model format and must never be renumbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Template {
    /// Constant feature: the class prior.
    Bias = 0,
    /// Lowercased word (numbers folded to `!YEAR` / `!DIGITS`).
    Word = 1,
    Suffix1 = 2,
    Suffix2 = 3,
    Suffix3 = 4,
    Prefix1 = 5,
    /// Character classes: `Xxx`, `dd,dd`, `X.X.`, `xx-xx` (runs cut at 2).
    Shape = 6,
    /// The word with its case, when it has upper-case letters.
    Cased = 7,
    PrevWord = 8,
    PrevSuffix3 = 9,
    Prev2Word = 10,
    NextWord = 11,
    NextSuffix3 = 12,
    Next2Word = 13,
    PrevTag = 14,
    Prev2Tag = 15,
    /// The previous two predicted tags together.
    PrevTags = 16,
    /// The previous predicted tag together with the word.
    PrevTagWord = 17,
    Prefix2 = 18,
    Prefix3 = 19,
    Suffix4 = 20,
    PrevShape = 21,
    NextShape = 22,
    /// Spelling flags, one feature each: has a digit, a hyphen, an
    /// upper-case letter, an apostrophe; starts upper-case; all upper-case.
    Flags = 23,
    Suffix5 = 24,
    /// The word's ambiguity class: the set of UPOS tags it had in training
    /// (words seen often enough; any other word gets the class "unknown").
    Ambig = 25,
    PrevAmbig = 26,
    NextAmbig = 27,
    Next2Ambig = 28,
    Next2Suffix3 = 29,
    /// The word together with the next word's ambiguity class, for words
    /// whose own class has several tags ("to" before a verb or a noun).
    WordNextAmbig = 30,
    /// The same words together with the next word itself, and with the
    /// ambiguity class of the word after it.
    WordNextWord = 31,
    WordNext2Ambig = 32,
}

impl Template {
    pub const ALL: [Template; 33] = [
        Template::Bias,
        Template::Word,
        Template::Suffix1,
        Template::Suffix2,
        Template::Suffix3,
        Template::Prefix1,
        Template::Shape,
        Template::Cased,
        Template::PrevWord,
        Template::PrevSuffix3,
        Template::Prev2Word,
        Template::NextWord,
        Template::NextSuffix3,
        Template::Next2Word,
        Template::PrevTag,
        Template::Prev2Tag,
        Template::PrevTags,
        Template::PrevTagWord,
        Template::Prefix2,
        Template::Prefix3,
        Template::Suffix4,
        Template::PrevShape,
        Template::NextShape,
        Template::Flags,
        Template::Suffix5,
        Template::Ambig,
        Template::PrevAmbig,
        Template::NextAmbig,
        Template::Next2Ambig,
        Template::Next2Suffix3,
        Template::WordNextAmbig,
        Template::WordNextWord,
        Template::WordNext2Ambig,
    ];

    /// Templates that identify the word itself (rather than its spelling
    /// class): left out for rare training words, see
    /// `TrainSettings::rare_word_max`.
    pub const IDENTITY: [Template; 2] = [Template::Word, Template::Cased];

    /// The classic feature set (Honnibal's "200 lines of Python" tagger,
    /// plus shape and the shorter suffixes).
    pub const DEFAULT: [Template; 17] = [
        Template::Bias,
        Template::Word,
        Template::Suffix1,
        Template::Suffix2,
        Template::Suffix3,
        Template::Prefix1,
        Template::Shape,
        Template::PrevWord,
        Template::PrevSuffix3,
        Template::Prev2Word,
        Template::NextWord,
        Template::NextSuffix3,
        Template::Next2Word,
        Template::PrevTag,
        Template::Prev2Tag,
        Template::PrevTags,
        Template::PrevTagWord,
    ];
}

/// A set of enabled templates (bit i = template with discriminant i).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateSet(u64);

impl TemplateSet {
    pub fn new(templates: &[Template]) -> Self {
        TemplateSet(templates.iter().fold(0, |m, &t| m | 1 << t as u64))
    }
    #[inline]
    pub fn has(self, t: Template) -> bool {
        self.0 & (1 << t as u64) != 0
    }
    /// Enabled templates in discriminant order (the order stored in files).
    pub fn list(self) -> Vec<Template> {
        Template::ALL.iter().copied().filter(|&t| self.has(t)).collect()
    }
    /// This set without `templates`.
    pub fn without(self, templates: &[Template]) -> Self {
        TemplateSet(self.0 & !TemplateSet::new(templates).0)
    }
    /// Whether any template of the ambiguity-class family is enabled.
    pub fn uses_ambiguity(self) -> bool {
        [
            Template::Ambig,
            Template::PrevAmbig,
            Template::NextAmbig,
            Template::Next2Ambig,
            Template::WordNextAmbig,
            Template::WordNextWord,
            Template::WordNext2Ambig,
        ]
        .iter()
        .any(|&t| self.has(t))
    }
}

/// Ambiguity classes by word: [`fnv1a`] of the normalised word (see
/// [`normalise_into`]) -> bit mask of UPOS tags (bit i = `Upos::ALL[i]`).
pub(crate) type Ambiguity = rustc_hash::FxHashMap<u64, u32>;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline]
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// splitmix64's finaliser: FNV's low bits are weak, hash tables want all
/// 64 bits well mixed.
#[inline]
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The feature id of `template` with a value whose hash is `payload`.
#[inline]
pub(crate) fn feature(template: Template, payload: u64) -> u64 {
    mix64(payload ^ (template as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// Tag-history features; tags are class indices, `start` is the class
/// count (the tag before the sentence).
#[inline]
pub(crate) fn prev_tag(t1: usize) -> u64 {
    feature(Template::PrevTag, t1 as u64 + 1)
}
#[inline]
pub(crate) fn prev2_tag(t2: usize) -> u64 {
    feature(Template::Prev2Tag, t2 as u64 + 1)
}
#[inline]
pub(crate) fn prev_tags(t1: usize, t2: usize) -> u64 {
    feature(Template::PrevTags, ((t1 as u64) << 16 | t2 as u64) + 1)
}
/// `word` is [`WordFeats::word`], `next_amb` the next word's
/// [`WordFeats::amb`].
#[inline]
pub(crate) fn word_next_ambig(word: u64, next_amb: u64) -> u64 {
    feature(Template::WordNextAmbig, word ^ mix64(next_amb ^ 0x5bd1_e995))
}
#[inline]
pub(crate) fn word_next_word(word: u64, next_word: u64) -> u64 {
    feature(Template::WordNextWord, word ^ mix64(next_word ^ 0x2545_f491))
}
#[inline]
pub(crate) fn word_next2_ambig(word: u64, next2_amb: u64) -> u64 {
    feature(Template::WordNext2Ambig, word ^ mix64(next2_amb ^ 0x9e6c_63d0))
}
/// `word` is [`WordFeats::word`].
#[inline]
pub(crate) fn prev_tag_word(t1: usize, word: u64) -> u64 {
    feature(Template::PrevTagWord, word ^ mix64(t1 as u64 + 1))
}

/// Most features one role can have (`own` has the most).
pub(crate) const MAX_OWN: usize = 20;
pub(crate) const MAX_CTX: usize = 4;

/// A fixed-size feature list (no allocation per word).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FeatList<const N: usize> {
    ids: [u64; N],
    len: u8,
}

impl<const N: usize> Default for FeatList<N> {
    fn default() -> Self {
        FeatList { ids: [0; N], len: 0 }
    }
}

impl<const N: usize> FeatList<N> {
    #[inline]
    fn push(&mut self, id: u64) {
        self.ids[self.len as usize] = id;
        self.len += 1;
    }
    #[inline]
    pub fn as_slice(&self) -> &[u64] {
        &self.ids[..self.len as usize]
    }
}

/// The features of one word type, by role.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WordFeats {
    /// Features of the token being tagged.
    pub own: FeatList<MAX_OWN>,
    /// Features this word contributes when it is the word before the token.
    pub as_prev: FeatList<MAX_CTX>,
    pub as_prev2: FeatList<MAX_CTX>,
    pub as_next: FeatList<MAX_CTX>,
    pub as_next2: FeatList<MAX_CTX>,
    /// Hash of the normalised word, the value part of [`Template::PrevTagWord`].
    pub word: u64,
    /// The ambiguity class as a feature value: 0 for none, mask + 1, or
    /// [`PAD_AMB`] for the padding after the sentence.
    pub amb: u64,
    /// The word's ambiguity class has several tags: it takes
    /// [`Template::WordNextAmbig`] features.
    pub ambiguous: bool,
}

/// [`WordFeats::amb`] of the padding words (no mask + 1 can reach it).
pub(crate) const PAD_AMB: u64 = 1 << 40;

impl WordFeats {
    /// The role lists in the order the tagger stores them.
    pub fn roles(&self) -> [&[u64]; 5] {
        [
            self.own.as_slice(),
            self.as_prev.as_slice(),
            self.as_prev2.as_slice(),
            self.as_next.as_slice(),
            self.as_next2.as_slice(),
        ]
    }
}

/// The padding words around a sentence: i-1 of the first token is
/// `Start`, i-2 of the first token `Start2`; likewise `End`, `End2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pad {
    Start,
    Start2,
    End,
    End2,
}

/// Features of a padding word (values that no real token can have: they
/// start with a control character the tokenizer never emits).
pub(crate) fn pad_feats(pad: Pad, set: TemplateSet) -> WordFeats {
    let mut f = WordFeats::default();
    let (name, prev, next): (&[u8], bool, bool) = match pad {
        Pad::Start => (b"\x01-START-", true, false),
        Pad::Start2 => (b"\x01-START2-", true, false),
        Pad::End => (b"\x01-END-", false, true),
        Pad::End2 => (b"\x01-END2-", false, true),
    };
    let w = fnv1a(name);
    f.word = w;
    f.amb = PAD_AMB;
    if prev {
        if set.has(Template::PrevWord) && pad == Pad::Start {
            f.as_prev.push(feature(Template::PrevWord, w));
        }
        if set.has(Template::Prev2Word) {
            f.as_prev2.push(feature(Template::Prev2Word, w));
        }
    }
    if next {
        if set.has(Template::NextWord) && pad == Pad::End {
            f.as_next.push(feature(Template::NextWord, w));
        }
        if set.has(Template::Next2Word) {
            f.as_next2.push(feature(Template::Next2Word, w));
        }
    }
    f
}

/// Reusable string buffers for [`word_feats`].
#[derive(Debug, Default, Clone)]
pub(crate) struct FeatBufs {
    lower: String,
    shape: String,
}

/// Lowercase with curly apostrophes straightened, as the Analyzer's forms.
fn lowercase_into(surface: &str, out: &mut String) {
    out.clear();
    if surface.is_ascii() {
        out.push_str(surface);
        out.make_ascii_lowercase();
    } else {
        for c in surface.chars() {
            if c == '\u{2019}' {
                out.push('\'');
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
}

fn shape_into(surface: &str, out: &mut String) {
    out.clear();
    let (mut last, mut run) = ('\0', 0);
    for c in surface.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if c == '\u{2019}' {
            '\''
        } else if c.is_alphabetic() {
            // Scripts without case (CJK, Devanagari).
            'a'
        } else {
            c
        };
        if s == last {
            run += 1;
        } else {
            last = s;
            run = 1;
        }
        // Runs are cut at two so "Xxxxx" and "Xxx" share a shape.
        if run <= 2 {
            out.push(s);
        }
    }
}

/// Byte offset where the last `k` chars of `s` start (None if `s` has at
/// most `k` chars: the suffix would be the whole word, already a feature).
fn suffix_start(s: &str, k: usize) -> Option<usize> {
    let mut it = s.char_indices().rev();
    let mut start = s.len();
    for _ in 0..k {
        start = it.next()?.0;
    }
    it.next().map(|_| start)
}

/// Byte offset where the first `k` chars of `s` end (None if shorter).
fn prefix_end(s: &str, k: usize) -> Option<usize> {
    let mut it = s.char_indices();
    it.nth(k - 1)?;
    Some(it.next().map_or(s.len(), |(i, _)| i))
}

/// The value of [`Template::Word`] for a lowercase word.
fn normalised(lower: &str) -> &str {
    let lb = lower.as_bytes();
    // Numbers have too many values to learn one by one (Honnibal's folding).
    if lb.first().is_some_and(u8::is_ascii_digit) {
        if lb.len() == 4 && lb.iter().all(u8::is_ascii_digit) {
            "!YEAR"
        } else {
            "!DIGITS"
        }
    } else {
        lower
    }
}

/// The normalised word (the value of [`Template::Word`], the key of the
/// ambiguity classes) of `surface`, into `out`.
pub(crate) fn normalise_into(surface: &str, out: &mut String) {
    let mut lower = String::new();
    lowercase_into(surface, &mut lower);
    out.clear();
    out.push_str(normalised(&lower));
}

/// One [`Template::Flags`] feature per spelling property the word has.
fn flags(surface: &str) -> [bool; 6] {
    let (mut digit, mut hyphen, mut upper, mut apostrophe, mut letters, mut lower) =
        (false, false, false, false, 0, false);
    for c in surface.chars() {
        digit |= c.is_numeric();
        hyphen |= c == '-';
        apostrophe |= c == '\'' || c == '\u{2019}';
        if c.is_uppercase() {
            upper = true;
            letters += 1;
        } else if c.is_lowercase() {
            lower = true;
            letters += 1;
        }
    }
    let initial = surface.chars().next().is_some_and(char::is_uppercase);
    [digit, hyphen, upper, apostrophe, initial, letters >= 2 && upper && !lower]
}

/// All features of the word `surface`, by role. `ambiguity` gives the
/// ambiguity classes (used only by the `*Ambig` templates).
pub(crate) fn word_feats(surface: &str, set: TemplateSet, ambiguity: &Ambiguity, bufs: &mut FeatBufs) -> WordFeats {
    let mut f = WordFeats::default();
    lowercase_into(surface, &mut bufs.lower);
    let lower = bufs.lower.as_str();
    let lb = lower.as_bytes();
    let norm = normalised(lower).as_bytes();
    let w = fnv1a(norm);
    f.word = w;
    let own = &mut f.own;
    if set.has(Template::Bias) {
        own.push(feature(Template::Bias, 0));
    }
    if set.has(Template::Word) {
        own.push(feature(Template::Word, w));
    }
    let suf3 = suffix_start(lower, 3).map(|s| fnv1a(&lb[s..]));
    for (t, k) in [
        (Template::Suffix1, 1),
        (Template::Suffix2, 2),
        (Template::Suffix3, 3),
        (Template::Suffix4, 4),
        (Template::Suffix5, 5),
    ] {
        if set.has(t) {
            let h = if k == 3 { suf3 } else { suffix_start(lower, k).map(|s| fnv1a(&lb[s..])) };
            if let Some(h) = h {
                own.push(feature(t, h));
            }
        }
    }
    for (t, k) in [(Template::Prefix1, 1), (Template::Prefix2, 2), (Template::Prefix3, 3)] {
        if set.has(t) {
            if let Some(e) = prefix_end(lower, k) {
                own.push(feature(t, fnv1a(&lb[..e])));
            }
        }
    }
    let needs_shape = set.has(Template::Shape) || set.has(Template::PrevShape) || set.has(Template::NextShape);
    let shape = if needs_shape {
        shape_into(surface, &mut bufs.shape);
        fnv1a(bufs.shape.as_bytes())
    } else {
        0
    };
    if set.has(Template::Shape) {
        own.push(feature(Template::Shape, shape));
    }
    if set.has(Template::Cased) && surface.chars().any(char::is_uppercase) {
        // The surface with the case kept (apostrophes as in `lower`).
        let h = if surface.is_ascii() {
            fnv1a(surface.as_bytes())
        } else {
            let mut h = FNV_OFFSET;
            let mut buf = [0u8; 4];
            for c in surface.chars() {
                let c = if c == '\u{2019}' { '\'' } else { c };
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    h ^= b as u64;
                    h = h.wrapping_mul(FNV_PRIME);
                }
            }
            h
        };
        own.push(feature(Template::Cased, h));
    }
    if set.has(Template::Flags) {
        for (i, on) in flags(surface).into_iter().enumerate() {
            if on {
                own.push(feature(Template::Flags, i as u64 + 1));
            }
        }
    }
    // Class 0 stands for "no class" (a rare or unseen word), itself a
    // useful signal about the word.
    let mask = if set.uses_ambiguity() { ambiguity.get(&w).copied() } else { None };
    let amb = mask.map_or(0, |m| m as u64 + 1);
    f.amb = amb;
    f.ambiguous =
        (set.has(Template::WordNextAmbig) || set.has(Template::WordNextWord) || set.has(Template::WordNext2Ambig))
            && mask.is_some_and(|m| m.count_ones() >= 2);
    if set.has(Template::Ambig) {
        own.push(feature(Template::Ambig, amb));
    }

    let suf3_or_word = suf3.unwrap_or_else(|| fnv1a(lb));
    if set.has(Template::PrevWord) {
        f.as_prev.push(feature(Template::PrevWord, w));
    }
    if set.has(Template::PrevSuffix3) {
        f.as_prev.push(feature(Template::PrevSuffix3, suf3_or_word));
    }
    if set.has(Template::PrevShape) {
        f.as_prev.push(feature(Template::PrevShape, shape));
    }
    if set.has(Template::PrevAmbig) {
        f.as_prev.push(feature(Template::PrevAmbig, amb));
    }
    if set.has(Template::Prev2Word) {
        f.as_prev2.push(feature(Template::Prev2Word, w));
    }
    if set.has(Template::NextWord) {
        f.as_next.push(feature(Template::NextWord, w));
    }
    if set.has(Template::NextSuffix3) {
        f.as_next.push(feature(Template::NextSuffix3, suf3_or_word));
    }
    if set.has(Template::NextShape) {
        f.as_next.push(feature(Template::NextShape, shape));
    }
    if set.has(Template::NextAmbig) {
        f.as_next.push(feature(Template::NextAmbig, amb));
    }
    if set.has(Template::Next2Word) {
        f.as_next2.push(feature(Template::Next2Word, w));
    }
    if set.has(Template::Next2Suffix3) {
        f.as_next2.push(feature(Template::Next2Suffix3, suf3_or_word));
    }
    if set.has(Template::Next2Ambig) {
        f.as_next2.push(feature(Template::Next2Ambig, amb));
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let mut s = String::new();
        for (w, want) in [("Apple", "Xxx"), ("U.S.", "X.X."), ("1,000", "d,dd"), ("so-called", "xx-xx"), ("I", "X")] {
            shape_into(w, &mut s);
            assert_eq!(s, want, "{w}");
        }
    }

    #[test]
    fn affixes_by_chars() {
        assert_eq!(suffix_start("naïve", 3), Some(2));
        assert_eq!(suffix_start("the", 3), None);
        assert_eq!(prefix_end("élan", 1), Some(2));
        assert_eq!(prefix_end("a", 2), None);
    }

    #[test]
    fn curly_and_straight_apostrophes_share_features() {
        let set = TemplateSet::new(&Template::ALL);
        let mut b = FeatBufs::default();
        let a = word_feats("don\u{2019}t", set, &Ambiguity::default(), &mut b);
        let c = word_feats("don't", set, &Ambiguity::default(), &mut b);
        assert_eq!(a.roles(), c.roles());
    }

    #[test]
    fn numbers_fold_but_keep_their_suffix() {
        let set = TemplateSet::new(&Template::DEFAULT);
        let mut b = FeatBufs::default();
        let a = word_feats("1,250", set, &Ambiguity::default(), &mut b);
        let c = word_feats("3,250", set, &Ambiguity::default(), &mut b);
        assert_eq!(a.word, c.word);
        assert_eq!(a.own.as_slice()[1], c.own.as_slice()[1]);
        assert_eq!(word_feats("1999", set, &Ambiguity::default(), &mut b).word, fnv1a(b"!YEAR"));
    }
}
