//! The text pipeline: canonical text -> tokens -> sentences -> quotations ->
//! lowercase forms and Snowball stems. Each stage lives in its own module and
//! can be tested alone; [`Analyzer`] runs them in order and keeps every
//! token's byte and character offsets.

pub mod normalize;
pub mod pos;
pub mod quote;
pub(crate) mod scan;
pub mod sentence;
pub mod token;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

pub use quote::Quote;
pub use sentence::Sentence;
pub use token::{RawToken, Span, TokenKind};

/// A token after the whole pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// Index into [`Analyzed::sentences`].
    pub sentence: u32,
    /// Whether the token lies inside a quotation.
    pub in_quote: bool,
    /// Whether the surface form starts with an upper-case letter.
    pub capitalized: bool,
    /// Lowercase surface form id (see [`Analyzer::form`]).
    pub form: u32,
    /// Snowball stem id (see [`Analyzer::stem`]).
    pub stem: u32,
    /// Part-of-speech tags from [`Analyzer::tag`]; `X` / `FW` until then.
    pub upos: pos::Upos,
    pub xpos: pos::Xpos,
}

/// One document after analysis. Token/stem ids are only meaningful together
/// with the [`Analyzer`] that produced them.
#[derive(Debug, Default, Clone)]
pub struct Analyzed {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub quotes: Vec<Quote>,
}

impl Analyzed {
    pub fn n_words(&self) -> usize {
        self.tokens.iter().filter(|t| t.kind.is_word()).count()
    }
    pub fn n_quoted_words(&self) -> usize {
        self.tokens.iter().filter(|t| t.kind.is_word() && t.in_quote).count()
    }
}

/// Beyond this many distinct forms the caches are reset between documents,
/// so memory stays bounded on corpora with unbounded vocabularies.
const MAX_CACHED_FORMS: usize = 1 << 21;

/// Token buffers above this capacity are freed after use (see `analyze`).
pub(crate) const KEEP_BUFFER_TOKENS: usize = 1 << 20;

/// Runs the text pipeline and owns the form/stem caches (one per worker
/// thread). Stemming each distinct form once measured 2x faster than
/// stemming every token (rust-stack.md §4.1).
pub struct Analyzer {
    stemmer: Stemmer,
    /// Ids of the forms that are not [`short_key`]s.
    form_ids: FxHashMap<Box<str>, u32>,
    /// Ids of the forms of at most 7 ASCII bytes (most words), by
    /// [`short_key`]: one multiplication to hash and one comparison, where a
    /// string key cost a byte-wise hash and a `memcmp`.
    short_forms: FxHashMap<u64, u32>,
    form_text: Vec<Box<str>>,
    form_stem: Vec<u32>,
    stem_ids: FxHashMap<Box<str>, u32>,
    stem_text: Vec<Box<str>>,
    lower_buf: String,
    raw: Vec<RawToken>,
    /// Tagger buffers, reused across sentences and documents.
    pos_scratch: pos::Scratch,
    pos_tags: Vec<pos::PosTag>,
    /// Tags of recently tagged sentences, by their tokens' surfaces (see
    /// [`SentenceTagMemo`]).
    tag_memo: SentenceTagMemo,
    /// Bumped whenever the caches are cleared (form and stem ids reused),
    /// so caches keyed by those ids elsewhere know to start over. Starts at
    /// a process-wide unique value, so two analyzers never share one.
    generation: u64,
}

/// Hands out generation ranges: each analyzer starts at a multiple of 2^32.
static NEXT_ANALYZER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

impl Analyzer {
    pub fn new() -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
            form_ids: FxHashMap::default(),
            short_forms: FxHashMap::default(),
            form_text: Vec::new(),
            form_stem: Vec::new(),
            stem_ids: FxHashMap::default(),
            stem_text: Vec::new(),
            lower_buf: String::new(),
            raw: Vec::new(),
            pos_scratch: pos::Scratch::new(),
            pos_tags: Vec::new(),
            tag_memo: SentenceTagMemo::default(),
            generation: NEXT_ANALYZER.fetch_add(1, std::sync::atomic::Ordering::Relaxed) << 32,
        }
    }

    /// Identifies this analyzer's current form and stem ids: differs between
    /// analyzers, and changes when the ids are reassigned (see the field).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Lowercase surface form of a token (curly apostrophes made straight).
    pub fn form(&self, id: u32) -> &str {
        &self.form_text[id as usize]
    }

    /// Snowball stem of a token (numbers, URLs and punctuation: the form).
    pub fn stem(&self, id: u32) -> &str {
        &self.stem_text[id as usize]
    }

    /// The id of `stem` if a token of this generation has it. Ids are
    /// handed out in order and never change within a generation, so a stem
    /// without an id now differs from the stems of every id below
    /// [`stem_count`](Self::stem_count).
    pub fn stem_id(&self, stem: &str) -> Option<u32> {
        self.stem_ids.get(stem).copied()
    }

    /// Number of stems with ids in this generation (the ids are `0..n`).
    pub fn stem_count(&self) -> usize {
        self.stem_text.len()
    }

    /// Keep the tags of recently tagged sentences for reuse (see
    /// [`SentenceTagMemo`]); worth it only when the same sentences are
    /// analysed again, as models with a boilerplate list (the cleaned text)
    /// or with lexicons of their own do. Off by default.
    pub fn memoise_tags(&mut self, on: bool) {
        self.tag_memo.on = on;
    }

    /// Forget every form and stem (ids are reused from 0 afterwards); done
    /// when the caches outgrow their bound.
    pub fn clear_caches(&mut self) {
        self.generation += 1;
        self.form_ids.clear();
        self.short_forms.clear();
        self.form_text.clear();
        self.form_stem.clear();
        self.stem_ids.clear();
        self.stem_text.clear();
    }

    /// Analyze canonical `text` (see [`normalize`]).
    pub fn analyze(&mut self, text: &str) -> Analyzed {
        if self.form_text.len() > MAX_CACHED_FORMS {
            self.clear_caches();
        }
        let mut raw = std::mem::take(&mut self.raw);
        token::tokenize(text, &mut raw);
        let sentences = sentence::split_sentences(text);
        let quotes = quote::find_quotes(text);
        let mut tokens = Vec::with_capacity(raw.len());
        let (mut si, mut qi) = (0usize, 0usize);
        for rt in &raw {
            while si + 1 < sentences.len() && rt.span.start >= sentences[si].span.end {
                si += 1;
            }
            while qi < quotes.len() && rt.span.start >= quotes[qi].span.end {
                qi += 1;
            }
            let in_quote = quotes.get(qi).is_some_and(|q| rt.span.start >= q.span.start && rt.span.end <= q.span.end);
            let surface = &text[rt.span.start..rt.span.end];
            let capitalized = surface.chars().next().is_some_and(char::is_uppercase);
            let (form, stem) = self.intern(surface, rt.kind);
            tokens.push(Token {
                span: rt.span,
                kind: rt.kind,
                sentence: si as u32,
                in_quote,
                capitalized,
                form,
                stem,
                upos: pos::Upos::X,
                xpos: pos::Xpos::FW,
            });
        }
        // Keep the buffer for the next document, unless one huge document
        // grew it: a worker must not hold gigabytes for the rest of the run.
        if raw.capacity() > KEEP_BUFFER_TOKENS {
            raw = Vec::new();
        }
        self.raw = raw;
        let sentences = drop_wordless_sentences(sentences, &mut tokens);
        Analyzed { tokens, sentences, quotes }
    }

    /// Part-of-speech tag every sentence of `doc` (analysed from `text`)
    /// with `tagger`, in place. Sentences are tagged one at a time, as the
    /// tagger was trained (each sentence starts its own tag history).
    pub fn tag(&mut self, text: &str, doc: &mut Analyzed, tagger: &pos::Tagger) {
        self.tag_sentences(text, doc, tagger, |_| true);
    }

    /// [`tag`](Self::tag) only the sentences for which `wanted(sentence)`
    /// is true; the others keep `X` / `FW`.
    pub fn tag_sentences(
        &mut self,
        text: &str,
        doc: &mut Analyzed,
        tagger: &pos::Tagger,
        wanted: impl Fn(usize) -> bool,
    ) {
        let mut start = 0;
        while start < doc.tokens.len() {
            let sentence = doc.tokens[start].sentence;
            let end = start + doc.tokens[start..].iter().take_while(|t| t.sentence == sentence).count();
            if !wanted(sentence as usize) {
                start = end;
                continue;
            }
            let words = || doc.tokens[start..end].iter().map(|t| &text[t.span.start..t.span.end]);
            let memo_on = self.tag_memo.on;
            let memo = memo_on.then_some(&mut self.tag_memo);
            let tags = match memo.and_then(|m| m.get(tagger.id(), words())) {
                Some(tags) => tags,
                None => {
                    tagger.tag_iter(words(), &mut self.pos_scratch, &mut self.pos_tags);
                    if memo_on {
                        self.tag_memo.insert(&self.pos_tags);
                    }
                    &self.pos_tags
                }
            };
            for (t, tag) in doc.tokens[start..end].iter_mut().zip(tags) {
                t.upos = tag.upos;
                t.xpos = tag.xpos;
            }
            start = end;
        }
    }

    /// Form and stem ids for a surface string, computing and caching them.
    fn intern(&mut self, surface: &str, kind: TokenKind) -> (u32, u32) {
        // A surface of at most 7 ASCII bytes (most tokens) has its ASCII
        // lowercase as its form; other lower-case ASCII surfaces are their
        // own form. Both are looked up without copying the surface.
        if let Some(key) = short_key(surface) {
            if let Some(&f) = self.short_forms.get(&key) {
                return (f, self.form_stem[f as usize]);
            }
        } else if surface.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
            if let Some(&f) = self.form_ids.get(surface) {
                return (f, self.form_stem[f as usize]);
            }
        }
        self.lower_buf.clear();
        if surface.is_ascii() {
            // Fast path for the common case: no per-char Unicode case mapping.
            self.lower_buf.push_str(surface);
            self.lower_buf.make_ascii_lowercase();
        } else {
            for c in surface.chars() {
                if c == '\u{2019}' {
                    self.lower_buf.push('\'');
                } else {
                    self.lower_buf.extend(c.to_lowercase());
                }
            }
        }
        // A non-ASCII surface can have a short ASCII form (the Kelvin sign's
        // is "k"): the form decides which map holds it.
        let form_key = short_key(&self.lower_buf);
        let known = match form_key {
            Some(key) => self.short_forms.get(&key),
            None => self.form_ids.get(self.lower_buf.as_str()),
        };
        if let Some(&f) = known {
            return (f, self.form_stem[f as usize]);
        }
        let stem_string = if kind == TokenKind::Word {
            self.stemmer.stem(&self.lower_buf).into_owned()
        } else {
            self.lower_buf.clone()
        };
        let stem = match self.stem_ids.get(stem_string.as_str()) {
            Some(&s) => s,
            None => {
                let s = self.stem_text.len() as u32;
                self.stem_text.push(stem_string.clone().into_boxed_str());
                self.stem_ids.insert(stem_string.into_boxed_str(), s);
                s
            }
        };
        let f = self.form_text.len() as u32;
        let boxed: Box<str> = self.lower_buf.as_str().into();
        match form_key {
            Some(key) => {
                self.short_forms.insert(key, f);
            }
            None => {
                self.form_ids.insert(boxed.clone(), f);
            }
        }
        self.form_text.push(boxed);
        self.form_stem.push(stem);
        (f, stem)
    }

    /// Tokenize, lowercase and stem a standalone phrase (used to compile
    /// lexicon patterns with exactly the pipeline applied to documents).
    pub fn phrase_stems(&mut self, phrase: &str) -> Vec<(String, String, TokenKind)> {
        let mut raw = Vec::new();
        token::tokenize(phrase, &mut raw);
        raw.iter()
            .map(|rt| {
                let surface = &phrase[rt.span.start..rt.span.end];
                let (f, s) = self.intern(surface, rt.kind);
                (self.form(f).to_string(), self.stem(s).to_string(), rt.kind)
            })
            .collect()
    }
}

/// The ASCII lowercase of a string of at most 7 ASCII bytes, packed into
/// an integer with its length in the top byte (so distinct strings get
/// distinct keys, NUL bytes included); `None` for other strings.
fn short_key(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() > 7 {
        return None;
    }
    let mut key = (b.len() as u64) << 56;
    for (i, &c) in b.iter().enumerate() {
        if !c.is_ascii() {
            return None;
        }
        key |= (c.to_ascii_lowercase() as u64) << (8 * i);
    }
    Some(key)
}

/// Sentences a memo holds before it starts over (about 1 MB per thread;
/// a news article has a few dozen, and the second analyses follow their
/// document at once). 8,192 added 16 MB to the peak memory of two threads.
const MAX_MEMO_SENTENCES: usize = 2048;
/// Longer sentences (keys) are not memoised, so the memo stays small.
const MAX_MEMO_KEY_BYTES: usize = 16 * 1024;

/// The tags of recently tagged sentences, keyed by the exact sequence of
/// their tokens' surfaces (each prefixed by its length, so the key is
/// unambiguous) for one tagger. The tagger's output is a function of that
/// sequence alone, so a hit gives exactly the tags tagging would. It pays
/// because a model with a boilerplate list (leaning) analyses the cleaned
/// text right after the document, and most of its sentences are the
/// document's (where most sentences were tagged).
#[derive(Default)]
struct SentenceTagMemo {
    /// Off unless the caller expects to tag the same sentences again (see
    /// [`Analyzer::memoise_tags`]): building the keys costs about 2% of an
    /// analysis that never hits.
    on: bool,
    tagger: u64,
    key: Vec<u8>,
    tags: FxHashMap<Box<[u8]>, Box<[pos::PosTag]>>,
}

impl SentenceTagMemo {
    /// The memoised tags of `words` for tagger `tagger`; on a miss the key
    /// is kept for [`SentenceTagMemo::insert`].
    fn get<'w>(&mut self, tagger: u64, words: impl Iterator<Item = &'w str>) -> Option<&[pos::PosTag]> {
        if self.tagger != tagger {
            self.tagger = tagger;
            self.tags.clear();
        }
        self.key.clear();
        for w in words {
            // A word over 4 GB would wrap its prefix, but its key could never
            // equal a stored one: keys over MAX_MEMO_KEY_BYTES are not stored.
            self.key.extend_from_slice(&(w.len() as u32).to_le_bytes());
            self.key.extend_from_slice(w.as_bytes());
        }
        self.tags.get(self.key.as_slice()).map(|t| &t[..])
    }

    /// Remember `tags` for the key of the last [`SentenceTagMemo::get`].
    fn insert(&mut self, tags: &[pos::PosTag]) {
        if self.key.len() > MAX_MEMO_KEY_BYTES {
            return; // a run-on "sentence" of a whole document: not worth holding
        }
        if self.tags.len() >= MAX_MEMO_SENTENCES {
            self.tags.clear();
        }
        self.tags.insert(self.key.as_slice().into(), tags.into());
    }
}

/// Sentences without a word token (a lone dash, a soft hyphen) are not
/// sentences; they and their punctuation tokens are dropped.
fn drop_wordless_sentences(sentences: Vec<Sentence>, tokens: &mut Vec<Token>) -> Vec<Sentence> {
    let mut has_word = vec![false; sentences.len()];
    for t in tokens.iter().filter(|t| t.kind.is_word()) {
        has_word[t.sentence as usize] = true;
    }
    if has_word.iter().all(|&w| w) {
        return sentences;
    }
    let mut remap = vec![0u32; sentences.len()];
    let mut kept = Vec::with_capacity(sentences.len());
    for (i, s) in sentences.into_iter().enumerate() {
        if has_word[i] {
            kept.push(s);
        }
        remap[i] = kept.len().saturating_sub(1) as u32;
    }
    tokens.retain(|t| has_word[t.sentence as usize]);
    for t in tokens.iter_mut() {
        t.sentence = remap[t.sentence as usize];
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_without_words_are_dropped() {
        let mut a = Analyzer::new();
        let doc = a.analyze("First one.\n\n\u{ad}\n\n—\n\nSecond one.");
        assert_eq!(doc.sentences.len(), 2);
        assert_eq!(doc.tokens.last().unwrap().sentence, 1);
    }

    #[test]
    fn stems_inflections_together() {
        let mut a = Analyzer::new();
        let text = "Critics argued. Critics argue, arguing!";
        let doc = a.analyze(text);
        let stems: Vec<&str> = doc.tokens.iter().filter(|t| t.kind.is_word()).map(|t| a.stem(t.stem)).collect();
        assert_eq!(stems, vec!["critic", "argu", "critic", "argu", "argu"]);
        assert_eq!(doc.sentences.len(), 2);
        assert_eq!(doc.tokens.last().unwrap().sentence, 1);
    }

    #[test]
    fn tokens_know_they_are_quoted() {
        let mut a = Analyzer::new();
        let doc = a.analyze("She said “we may win” today.");
        let quoted: Vec<&str> = doc.tokens.iter().filter(|t| t.in_quote).map(|t| a.form(t.form)).collect();
        assert_eq!(quoted, vec!["we", "may", "win"]);
        assert_eq!(doc.n_words(), 6);
        assert_eq!(doc.n_quoted_words(), 3);
    }

    #[test]
    fn curly_apostrophe_forms_match_straight() {
        let mut a = Analyzer::new();
        let doc = a.analyze("don’t don't");
        assert_eq!(doc.tokens[0].form, doc.tokens[1].form);
    }

    /// One id per form, whichever map holds it: short and long forms,
    /// upper and lower case, a non-ASCII surface with a short ASCII form
    /// (the Kelvin sign lowercases to "k"), and strings that differ only
    /// by length or a NUL byte get distinct keys.
    #[test]
    fn each_form_has_one_id() {
        let mut a = Analyzer::new();
        let words = [
            "k", "K", "\u{212A}", "the", "The", "THE", "seventy", "Seventy", "seventh", "sevent", "hundreds",
            "Hundreds", "HUNDREDS", "café", "CAFÉ", "don’t", "don't", "a", "a\0", "\0", "7", "3.5",
        ];
        let ids: Vec<u32> = words.iter().map(|w| a.intern(w, TokenKind::Word).0).collect();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(a.form(ids[i]), w.replace('’', "'").to_lowercase(), "{w:?}");
            for (j, v) in words.iter().enumerate() {
                let same = w.replace('’', "'").to_lowercase() == v.replace('’', "'").to_lowercase();
                assert_eq!(ids[i] == ids[j], same, "{w:?} {v:?}");
            }
        }
        assert_ne!(short_key("a"), short_key("a\0"));
        assert_eq!(short_key("eightchr"), None);
        assert_eq!(short_key("é"), None);
    }

    /// Tags from the sentence memo equal fresh tags: the same sentences
    /// again (memo hits), alone and inside other documents, and sentences
    /// whose surfaces concatenate alike but split differently ("ab c" /
    /// "a bc", which the length prefixes keep apart).
    #[test]
    fn memoised_tags_equal_fresh_tags() {
        let tagger = pos::Tagger::builtin();
        let texts = [
            "Officials said the plan may fail. Critics called it a disaster.",
            "Critics called it a disaster.",
            "Officials said the plan may fail. Critics called it a disaster.",
            "The can rusts. I can swim.",
            "Ab c runs. A bc runs.",
            "A bc runs. Ab c runs.",
        ];
        let (mut memo, mut fresh) = (Analyzer::new(), Analyzer::new());
        memo.memoise_tags(true);
        let mut hits = 0;
        for text in texts {
            let before = memo.tag_memo.tags.len();
            let mut a = memo.analyze(text);
            memo.tag(text, &mut a, tagger);
            hits += a.sentences.len() - (memo.tag_memo.tags.len() - before);
            let mut b = fresh.analyze(text);
            fresh.tag(text, &mut b, tagger);
            let tags = |d: &Analyzed| d.tokens.iter().map(|t| (t.upos, t.xpos)).collect::<Vec<_>>();
            assert_eq!(tags(&a), tags(&b), "{text}");
        }
        assert!(hits >= 4, "the repeated sentences come from the memo ({hits} hits)");
        assert!(fresh.tag_memo.tags.is_empty(), "off by default");
    }
}
