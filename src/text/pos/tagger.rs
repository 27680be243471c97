//! Greedy left-to-right tagging with the averaged perceptron's weights.
//!
//! Why it is fast: a token's score is a sum of per-feature weight rows, and
//! every feature but the tag-history ones depends on one word only. So for
//! each word type the tagger keeps five precomputed score vectors, one per
//! role (the token itself, i-1, i-2, i+1, i+2: see `features.rs`), and a
//! token costs one hash lookup of its surface plus the sum of six dense
//! vectors (five roles and one precomputed tag-history vector) and an argmax.
//! Only the features joining two words (the previous tag with the word, and
//! for words with several tags in training the next word or the ambiguity
//! classes of the next two) are looked up per token, one sparse row each.
//! Vectors for the frequent surfaces of the training data are built when
//! the model loads; any other word's are built on first sight and cached in
//! the caller's [`Scratch`]. Words in the tag dictionary skip scoring.

use super::features::{self, Ambiguity, FeatBufs, Pad, Template, TemplateSet, WordFeats};
use super::model::ModelHeader;
use super::tags::PosTag;
use super::PosError;
use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// `Entry::fixed` for words the tag dictionary does not decide.
pub(crate) const NO_CLASS: u8 = u8::MAX;
/// Tags are class indices plus one "before the sentence" tag; the
/// `PrevTagWord` lookup keeps them in a 128-bit mask.
pub(crate) const MAX_CLASSES: usize = 127;

/// The model's weights as stored: sparse rows of quantised weights.
///
/// Rows `0..features.len()` belong to the hashed features (`features` is
/// sorted). Rows after them belong to [`Template::PrevTagWord`]
/// (features::Template), grouped by word: word `tw_words[j]` owns rows
/// `F + tw_word_end[j-1] .. F + tw_word_end[j]`, one per previous tag,
/// `tw_tag` giving each row's tag (increasing within a word). Grouping them
/// makes the lookup one probe per word instead of one per possible tag.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Body {
    /// A weight is `value * scale`.
    pub scale: f32,
    pub features: Vec<u64>,
    pub tw_words: Vec<u64>,
    pub tw_word_end: Vec<u32>,
    pub tw_tag: Vec<u8>,
    /// Cumulative cell count at the end of each row.
    pub row_end: Vec<u32>,
    pub cell_class: Vec<u8>,
    pub cell_value: Vec<i16>,
}

impl Body {
    #[inline]
    pub(crate) fn cells(&self, row: usize) -> std::ops::Range<usize> {
        let start = if row == 0 { 0 } else { self.row_end[row - 1] as usize };
        start..self.row_end[row] as usize
    }

    /// Add row `row` into `acc` (dense, indexed by class).
    #[inline]
    pub(crate) fn add_row(&self, row: usize, acc: &mut [f32]) {
        for c in self.cells(row) {
            acc[self.cell_class[c] as usize] += self.cell_value[c] as f32 * self.scale;
        }
    }

    /// Check the shapes the tagger relies on (a file is untrusted input).
    pub(crate) fn validate(&self, n_classes: usize) -> Result<(), PosError> {
        let shape = |m: String| Err(PosError::Shape(m));
        if !self.features.windows(2).all(|w| w[0] < w[1]) {
            return shape("feature hashes are not strictly increasing".into());
        }
        if !self.tw_words.windows(2).all(|w| w[0] < w[1]) {
            return shape("tag-word hashes are not strictly increasing".into());
        }
        if self.tw_word_end.len() != self.tw_words.len() {
            return shape("tag-word table lengths differ".into());
        }
        let n_tw = self.tw_tag.len();
        let mut prev = 0u32;
        for &e in &self.tw_word_end {
            // Every listed word owns at least one row.
            if e <= prev || e as usize > n_tw {
                return shape("tag-word row ranges are not increasing".into());
            }
            let range = prev as usize..e as usize;
            if !self.tw_tag[range].windows(2).all(|w| w[0] < w[1]) {
                return shape("tag-word tags are not increasing".into());
            }
            prev = e;
        }
        if prev as usize != n_tw {
            return shape("tag-word rows do not cover the table".into());
        }
        if self.tw_tag.iter().any(|&t| t as usize > n_classes) {
            return shape("a tag-word row names a tag outside the label set".into());
        }
        if self.row_end.len() != self.features.len() + n_tw {
            return shape(format!("{} rows for {} features", self.row_end.len(), self.features.len() + n_tw));
        }
        if !self.row_end.windows(2).all(|w| w[0] <= w[1]) {
            return shape("row ends are not increasing".into());
        }
        let n_cells = self.cell_class.len();
        if self.cell_value.len() != n_cells || self.row_end.last().map_or(0, |&e| e as usize) != n_cells {
            return shape("cell arrays do not match the rows".into());
        }
        if self.cell_class.iter().any(|&c| c as usize >= n_classes) {
            return shape("a weight names a class outside the label set".into());
        }
        if !self.scale.is_finite() || self.scale <= 0.0 {
            return shape(format!("weight scale {} is not a positive number", self.scale));
        }
        Ok(())
    }
}

/// Precomputed scores of one word type.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Vector index per role (own, as i-1, as i-2, as i+1, as i+2) in the
    /// owner's pool; vector 0 is all zeros.
    vec: [u32; 5],
    /// The tag dictionary's class, or [`NO_CLASS`].
    fixed: u8,
    /// Previous tags with a `PrevTagWord` row for this word, and the row of
    /// the lowest one (rows of one word are contiguous).
    tw_mask: u128,
    tw_first: u32,
    /// [`WordFeats::word`], [`WordFeats::amb`], [`WordFeats::ambiguous`].
    word: u64,
    amb: u64,
    ambiguous: bool,
}

/// Entry ids with this bit set live in the [`Scratch`], not the tagger.
const LOCAL: u32 = 1 << 31;
/// Marks an entry id as one of the model's cache words (index into
/// `Tagger::cached`), built on first use.
const CACHED: u32 = 1 << 30;

/// Most entries a [`Scratch`] caches before evicting; bounds its memory
/// (each entry holds up to five score vectors, 1.4 KB) on unbounded
/// vocabularies.
const MAX_LOCAL_ENTRIES: usize = 8192;

static NEXT_TAGGER_ID: AtomicU64 = AtomicU64::new(1);

/// Score vectors, each the sum of a set of weight rows, stored once per
/// distinct set: the context roles of unseen words mostly find the same few
/// rows (their suffix, shape and "no class" features), so words share them,
/// which saves both the summing and the memory. Vector 0 is all zeros.
#[derive(Debug, Default, Clone)]
struct VecPool {
    data: Vec<f32>,
    /// Hash of a row set -> its vector; and each vector's row-set hash.
    by_rows: FxHashMap<u64, u32>,
    keys: Vec<u64>,
    /// Holds one word's vectors only (a cache word's entry): nothing to
    /// share, so row sets are neither hashed nor indexed.
    private: bool,
}

impl VecPool {
    fn clear(&mut self, stride: usize) {
        self.data.clear();
        self.data.resize(stride, 0.0);
        self.by_rows.clear();
        self.keys.clear();
        self.keys.push(0);
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    /// Add a vector with row-set hash `key`, copied from `v`; returns its index.
    fn push(&mut self, key: u64, v: &[f32]) -> u32 {
        let i = self.keys.len() as u32;
        self.data.extend_from_slice(v);
        self.keys.push(key);
        self.by_rows.insert(key, i);
        i
    }
}

/// Hash of a set of weight rows (in the order found; the feature order of
/// a role is fixed, so equal sets come in equal order). Like the feature
/// hashes, 64 bits make a collision negligible.
fn rows_key(rows: &[u32]) -> u64 {
    rows.iter().fold(features::mix64(rows.len() as u64), |h, &r| features::mix64(h ^ r as u64))
}

/// A part-of-speech tagger: an averaged perceptron over hashed features,
/// predicting `UPOS|XPOS` pairs, greedy left to right. Immutable and `Sync`:
/// share one per process and give each thread its own [`Scratch`].
#[derive(Debug)]
pub struct Tagger {
    pub(crate) header: ModelHeader,
    pub(crate) body: Body,
    labels: Vec<PosTag>,
    n: usize,
    /// Score vectors are padded to a multiple of 8 lanes for the vector unit.
    stride: usize,
    set: TemplateSet,
    ambiguity: Ambiguity,
    index: FxHashMap<u64, u32>,
    tw_index: FxHashMap<u64, u32>,
    /// Summed `PrevTag`, `Prev2Tag`, `PrevTags` rows for each (t1, t2).
    hist: Vec<f32>,
    /// Cache word -> its index in `cached` (and in the header's `cache_words`).
    known: FxHashMap<Box<str>, u32>,
    /// The cache words' entries, each built the first time any thread meets
    /// the word, then shared. Building all ~10,000 at load was most of the
    /// start-up time (about 140 M instructions) and most runs meet only part
    /// of them; an entry is the same whenever it is built (the same rows
    /// summed in the same order), so outputs do not change.
    cached: Vec<OnceLock<CachedEntry>>,
    /// The tag-dictionary class of each cache word (`NO_CLASS` if none).
    cached_fixed: Vec<u8>,
    /// Entries 0..4 are the pads (Start, Start2, End, End2).
    entries: Vec<Entry>,
    pool: VecPool,
    /// Dequantised weights of `body`'s cells.
    cell_f32: Vec<f32>,
    /// Dense copies (`stride` floats each) of the hashed-feature rows with
    /// many cells; `dense_of[row]` is the copy's index or [`NO_DENSE`]. See
    /// [`dense_rows`].
    dense: Vec<f32>,
    dense_of: Vec<u32>,
    /// Proof that the CPU has AVX, if it has (see [`sum_max`]).
    avx: Option<Avx>,
    id: u64,
}

/// A cache word's entry with its own score vectors (index 0 is the zero
/// vector, as in a [`VecPool`]).
#[derive(Debug)]
struct CachedEntry {
    entry: Entry,
    pool: Vec<f32>,
}

/// Per-thread working memory for [`Tagger::tag`]: after warm-up, tagging
/// allocates nothing. Also caches the score vectors of words the model has
/// no precomputed entry for (bounded, see `MAX_LOCAL_ENTRIES`).
#[derive(Debug, Default)]
pub struct Scratch {
    ents: Vec<u32>,
    scores: Vec<f32>,
    bufs: FeatBufs,
    /// Surface hash -> local entry; the surface is kept in `arena` to
    /// verify hits.
    map: FxHashMap<u64, u32>,
    keys: Vec<(u32, u32)>,
    arena: String,
    entries: Vec<Entry>,
    pool: VecPool,
    /// Sightings of each local entry since the last eviction.
    hits: Vec<u8>,
    /// The tagger the cache was filled by (entries are model-specific).
    tagger: u64,
}

impl Scratch {
    pub fn new() -> Self {
        Self::default()
    }

    fn reset(&mut self, tagger: u64, stride: usize) {
        self.map.clear();
        self.keys.clear();
        self.arena.clear();
        self.entries.clear();
        self.hits.clear();
        self.pool.clear(stride);
        self.tagger = tagger;
    }

    /// Make room: keep the entries seen at least twice since the last
    /// eviction (the words that recur in the text at hand: names, topic
    /// words), drop the rest. Rebuilding an entry costs far more than
    /// copying it, and most rare words are not seen again soon.
    fn evict(&mut self, stride: usize) {
        let keep: Vec<usize> = (0..self.entries.len()).filter(|&i| self.hits[i] >= 2).collect();
        if keep.len() > MAX_LOCAL_ENTRIES / 2 {
            self.reset(self.tagger, stride);
            return;
        }
        let (pool, entries) = (std::mem::take(&mut self.pool), std::mem::take(&mut self.entries));
        let (keys, arena) = (std::mem::take(&mut self.keys), std::mem::take(&mut self.arena));
        self.reset(self.tagger, stride);
        // Old vector index -> new one (vectors are shared between entries).
        let mut moved: FxHashMap<u32, u32> = FxHashMap::default();
        for i in keep {
            let mut e = entries[i];
            for v in e.vec.iter_mut().filter(|v| **v != 0) {
                let old = *v;
                *v = *moved.entry(old).or_insert_with(|| {
                    let from = old as usize * stride;
                    self.pool.push(pool.keys[old as usize], &pool.data[from..from + stride])
                });
            }
            let (s, l) = keys[i];
            let w = &arena[s as usize..(s + l) as usize];
            self.insert(w, e);
        }
    }

    /// Add a local entry for the surface `w`; returns its id.
    fn insert(&mut self, w: &str, e: Entry) -> u32 {
        let id = self.entries.len() as u32;
        self.entries.push(e);
        self.hits.push(0);
        self.keys.push((self.arena.len() as u32, w.len() as u32));
        self.arena.push_str(w);
        // On a hash collision the newer word takes the slot; the older one
        // is rebuilt on its next appearance (correct, just slower).
        self.map.insert(surface_key(w), id);
        id
    }
}

/// The local cache's key of a surface.
#[inline]
fn surface_key(w: &str) -> u64 {
    features::mix64(features::fnv1a(w.as_bytes()))
}

impl Tagger {
    /// Build the tagger from a checked header and body (used by loading and
    /// by training, so both tag with exactly the same code).
    pub(crate) fn from_parts(header: ModelHeader, body: Body) -> Result<Self, PosError> {
        let labels = header.parse_labels()?;
        let n = labels.len();
        if n == 0 || n > MAX_CLASSES {
            return Err(PosError::Shape(format!("{n} labels (1 to {MAX_CLASSES} supported)")));
        }
        body.validate(n)?;
        let set = TemplateSet::new(&header.features.templates);
        let stride = n.div_ceil(8) * 8;
        let index: FxHashMap<u64, u32> = body.features.iter().enumerate().map(|(i, &h)| (h, i as u32)).collect();
        let tw_index: FxHashMap<u64, u32> = body.tw_words.iter().enumerate().map(|(i, &h)| (h, i as u32)).collect();
        let cell_f32: Vec<f32> = body.cell_value.iter().map(|&q| q as f32 * body.scale).collect();
        let (dense, dense_of) = dense_rows(&body, &cell_f32, stride);
        let ambiguity = ambiguity_index(&header.ambiguity)?;
        let mut t = Tagger {
            header,
            body,
            labels,
            n,
            stride,
            set,
            ambiguity,
            index,
            tw_index,
            hist: Vec::new(),
            known: FxHashMap::default(),
            cached: Vec::new(),
            cached_fixed: Vec::new(),
            entries: Vec::new(),
            pool: VecPool::default(),
            cell_f32,
            dense,
            dense_of,
            avx: Avx::detect(),
            id: NEXT_TAGGER_ID.fetch_add(1, Ordering::Relaxed),
        };
        t.build_hist();
        let mut pool = VecPool::default();
        pool.clear(stride);
        let mut entries = Vec::with_capacity(4);
        for pad in [Pad::Start, Pad::Start2, Pad::End, Pad::End2] {
            entries.push(t.build_entry(&features::pad_feats(pad, set), NO_CLASS, &mut pool));
        }
        let mut fixed: FxHashMap<&str, u8> = FxHashMap::default();
        for (w, c) in &t.header.tagdict {
            if *c as usize >= n {
                return Err(PosError::Shape(format!("tag dictionary word {w:?} has class {c} of {n}")));
            }
            fixed.insert(w.as_str(), *c);
        }
        let mut known = FxHashMap::default();
        known.reserve(t.header.cache_words.len());
        let mut cached_fixed = Vec::with_capacity(t.header.cache_words.len());
        for (i, w) in t.header.cache_words.iter().enumerate() {
            if known.insert(w.clone().into_boxed_str(), i as u32).is_some() {
                return Err(PosError::Shape(format!("cache word {w:?} listed twice")));
            }
            cached_fixed.push(fixed.get(w.as_str()).copied().unwrap_or(NO_CLASS));
        }
        if known.len() as u32 >= CACHED {
            return Err(PosError::Shape(format!("{} cache words (at most {})", known.len(), CACHED - 1)));
        }
        if let Some((w, _)) = t.header.tagdict.iter().find(|(w, _)| !known.contains_key(w.as_str())) {
            return Err(PosError::Shape(format!("tag dictionary word {w:?} is not among the cache words")));
        }
        t.cached = (0..known.len()).map(|_| OnceLock::new()).collect();
        t.cached_fixed = cached_fixed;
        pool.data.shrink_to_fit();
        // Only local caches add vectors after loading.
        pool.by_rows = FxHashMap::default();
        pool.keys = Vec::new();
        t.pool = pool;
        t.entries = entries;
        t.known = known;
        Ok(t)
    }

    fn build_hist(&mut self) {
        let (n, stride) = (self.n, self.stride);
        let mut hist = vec![0.0f32; (n + 1) * (n + 1) * stride];
        let mut base = vec![0.0f32; stride];
        for t1 in 0..=n {
            base.fill(0.0);
            if let Some(&r) = self.index.get(&features::prev_tag(t1)) {
                self.body.add_row(r as usize, &mut base);
            }
            for t2 in 0..=n {
                let v = &mut hist[(t1 * (n + 1) + t2) * stride..][..stride];
                v.copy_from_slice(&base);
                for h in [features::prev2_tag(t2), features::prev_tags(t1, t2)] {
                    if let Some(&r) = self.index.get(&h) {
                        self.body.add_row(r as usize, v);
                    }
                }
                // Padding lanes can never win the argmax.
                v[n..].fill(f32::NEG_INFINITY);
            }
        }
        self.hist = hist;
    }

    /// Sum each role's rows into new vectors of `pool`.
    fn build_entry(&self, f: &WordFeats, fixed: u8, pool: &mut VecPool) -> Entry {
        self.build_entry_with(f, fixed, pool, true)
    }

    /// [`build_entry`](Self::build_entry), adding the rows that have a dense
    /// copy from it if `use_dense` (tests compare both ways).
    fn build_entry_with(&self, f: &WordFeats, fixed: u8, pool: &mut VecPool, use_dense: bool) -> Entry {
        let mut vec = [0u32; 5];
        let mut rows = [0u32; features::MAX_OWN];
        for (r, ids) in f.roles().into_iter().enumerate() {
            let mut n = 0;
            for &row in ids.iter().filter_map(|h| self.index.get(h)) {
                rows[n] = row;
                n += 1;
            }
            if n == 0 {
                continue;
            }
            let key = if pool.private { 0 } else { rows_key(&rows[..n]) };
            let shared = if pool.private { None } else { pool.by_rows.get(&key).copied() };
            if let Some(v) = shared {
                vec[r] = v;
                continue;
            }
            let start = pool.data.len();
            pool.data.resize(start + self.stride, 0.0);
            let acc = &mut pool.data[start..];
            for &row in &rows[..n] {
                let d = self.dense_of[row as usize];
                if use_dense && d != NO_DENSE {
                    add_lanes(acc, &self.dense[d as usize * self.stride..][..self.stride], self.avx);
                    continue;
                }
                // The row's classes and weights as slices zipped together: one
                // bounds check per cell (the class) instead of three.
                let cells = self.body.cells(row as usize);
                let classes = &self.body.cell_class[cells.clone()];
                for (&class, &w) in classes.iter().zip(&self.cell_f32[cells]) {
                    acc[class as usize] += w;
                }
            }
            vec[r] = pool.len() as u32;
            pool.keys.push(key);
            if !pool.private {
                pool.by_rows.insert(key, vec[r]);
            }
        }
        let (mut tw_mask, mut tw_first) = (0u128, 0u32);
        if let Some(&j) = self.tw_index.get(&f.word) {
            let j = j as usize;
            let start = if j == 0 { 0 } else { self.body.tw_word_end[j - 1] as usize };
            let end = self.body.tw_word_end[j] as usize;
            tw_first = (self.body.features.len() + start) as u32;
            for &t in &self.body.tw_tag[start..end] {
                tw_mask |= 1u128 << t;
            }
        }
        Entry { vec, fixed, tw_mask, tw_first, word: f.word, amb: f.amb, ambiguous: f.ambiguous }
    }

    /// The entry id of a surface: a cache word of the model (its shared
    /// entry built now if no thread has yet), cached in `sc`, or built now.
    #[inline]
    fn lookup(&self, w: &str, sc: &mut Scratch) -> u32 {
        if let Some(&i) = self.known.get(w) {
            if self.cached[i as usize].get().is_none() {
                self.build_cached(i as usize, sc);
            }
            return i | CACHED;
        }
        self.lookup_local(w, sc)
    }

    #[cold]
    fn build_cached(&self, i: usize, sc: &mut Scratch) {
        let mut pool = VecPool { private: true, ..VecPool::default() };
        pool.clear(self.stride);
        let f = features::word_feats(&self.header.cache_words[i], self.set, &self.ambiguity, &mut sc.bufs);
        let entry = self.build_entry(&f, self.cached_fixed[i], &mut pool);
        // Another thread may have built it meanwhile: the same entry.
        let _ = self.cached[i].set(CachedEntry { entry, pool: pool.data });
    }

    #[cold]
    fn lookup_local(&self, w: &str, sc: &mut Scratch) -> u32 {
        if let Some(&e) = sc.map.get(&surface_key(w)) {
            let (s, l) = sc.keys[e as usize];
            if &sc.arena[s as usize..(s + l) as usize] == w {
                let h = &mut sc.hits[e as usize];
                *h = h.saturating_add(1);
                return e | LOCAL;
            }
        }
        let f = features::word_feats(w, self.set, &self.ambiguity, &mut sc.bufs);
        let e = self.build_entry(&f, NO_CLASS, &mut sc.pool);
        let id = sc.insert(w, e);
        sc.hits[id as usize] = 1;
        id | LOCAL
    }

    #[inline]
    fn entry<'a>(&'a self, sc: &'a Scratch, id: u32) -> (&'a Entry, &'a [f32]) {
        if id & LOCAL != 0 {
            (&sc.entries[(id & !LOCAL) as usize], &sc.pool.data)
        } else if id & CACHED != 0 {
            let c = self.cached[(id & !CACHED) as usize].get().expect("built by lookup");
            (&c.entry, &c.pool)
        } else {
            (&self.entries[id as usize], &self.pool.data)
        }
    }

    #[inline]
    fn vector<'a>(&self, (e, pool): (&Entry, &'a [f32]), role: usize) -> &'a [f32] {
        let v = e.vec[role] as usize * self.stride;
        &pool[v..v + self.stride]
    }

    /// Tag one sentence given as its tokens' surface forms (slant's
    /// tokenization, punctuation tokens included). `out` is cleared and
    /// receives one tag per word.
    pub fn tag(&self, words: &[&str], scratch: &mut Scratch, out: &mut Vec<PosTag>) {
        self.tag_iter(words.iter().copied(), scratch, out)
    }

    /// Identifies this tagger (unique in the process), for caches of its output.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// [`Tagger::tag`] over any sequence of surfaces, e.g. slices of the
    /// document text by token span, without collecting them first.
    pub fn tag_iter<'w>(&self, words: impl IntoIterator<Item = &'w str>, sc: &mut Scratch, out: &mut Vec<PosTag>) {
        out.clear();
        // Between sentences is the only safe moment to drop cached entries:
        // the ids of this sentence's words must stay valid until it is done.
        if sc.tagger != self.id {
            sc.reset(self.id, self.stride);
        } else if sc.entries.len() >= MAX_LOCAL_ENTRIES {
            sc.evict(self.stride);
        }
        let mut ents = std::mem::take(&mut sc.ents);
        ents.clear();
        for w in words {
            ents.push(self.lookup(w, sc));
        }
        let mut scores = std::mem::take(&mut sc.scores);
        scores.resize(self.stride, 0.0);
        let (n, stride) = (self.n, self.stride);
        let len = ents.len();
        let pad = |p: usize| (&self.entries[p], self.pool.data.as_slice());
        // Every token's entry resolved once (each is read by up to five
        // tokens), between the padding words: token i is `r[i + 2]`, so its
        // neighbours i-2..i+2 are `r[i]..r[i + 4]` with no edge cases.
        let mut r: Vec<(&Entry, &[f32])> = Vec::with_capacity(ents.len() + 4);
        r.extend([pad(1), pad(0)]);
        r.extend(ents.iter().map(|&id| self.entry(sc, id)));
        r.extend([pad(2), pad(3)]);
        let (mut t1, mut t2) = (n, n);
        let avx = self.avx;
        for i in 0..len {
            let me = r[i + 2];
            let class = if me.0.fixed != NO_CLASS {
                me.0.fixed as usize
            } else {
                let (prev2, prev, next, next2) = (r[i], r[i + 1], r[i + 3], r[i + 4]);
                let vs = [
                    self.vector(me, 0),
                    self.vector(prev, 1),
                    self.vector(prev2, 2),
                    self.vector(next, 3),
                    self.vector(next2, 4),
                    &self.hist[(t1 * (n + 1) + t2) * stride..][..stride],
                ];
                let s = &mut scores[..stride];
                let mut max = sum_max(vs, s, avx);
                let mut add_row = |row: usize| {
                    let cells = self.body.cells(row);
                    let classes = &self.body.cell_class[cells.clone()];
                    for (&class, &w) in classes.iter().zip(&self.cell_f32[cells]) {
                        s[class as usize] += w;
                    }
                };
                // The two features that join the word with its context.
                let mut extra = false;
                if me.0.ambiguous {
                    let w = me.0.word;
                    let joint = [
                        (Template::WordNextAmbig, features::word_next_ambig(w, next.0.amb)),
                        (Template::WordNextWord, features::word_next_word(w, next.0.word)),
                        (Template::WordNext2Ambig, features::word_next2_ambig(w, next2.0.amb)),
                    ];
                    for (t, h) in joint {
                        if self.set.has(t) {
                            if let Some(&row) = self.index.get(&h) {
                                add_row(row as usize);
                                extra = true;
                            }
                        }
                    }
                }
                if me.0.tw_mask >> t1 & 1 != 0 {
                    let below = me.0.tw_mask & ((1u128 << t1) - 1);
                    add_row(me.0.tw_first as usize + below.count_ones() as usize);
                    extra = true;
                }
                if extra {
                    max = lanes_max(s);
                }
                // The first class with the top score (pad lanes are -inf).
                s.iter().position(|&v| v == max).unwrap_or(0)
            };
            out.push(self.labels[class]);
            t2 = t1;
            t1 = class;
        }
        sc.ents = ents;
        sc.scores = scores;
    }

    /// Tag many sentences (convenience for evaluation; allocates a Vec per
    /// sentence).
    pub fn tag_sentences(&self, sentences: &[Vec<&str>]) -> Vec<Vec<PosTag>> {
        let mut sc = Scratch::new();
        sentences
            .iter()
            .map(|s| {
                let mut out = Vec::with_capacity(s.len());
                self.tag(s, &mut sc, &mut out);
                out
            })
            .collect()
    }

    /// Whether `word` has score vectors precomputed at load time (the
    /// frequent surfaces of the training data).
    pub fn is_cached(&self, word: &str) -> bool {
        self.known.contains_key(word)
    }

    /// The model's classes (`UPOS|XPOS` pairs), in class-index order.
    pub fn labels(&self) -> &[PosTag] {
        &self.labels
    }

    /// Record measured accuracy in the header (written by [`Tagger::save`]).
    pub fn set_accuracy(&mut self, reports: Vec<super::model::AccuracyReport>) {
        self.header.accuracy = reports;
    }

    /// The model file's header: tag sets, feature settings, provenance,
    /// accuracy.
    pub fn header(&self) -> &ModelHeader {
        &self.header
    }
}

/// The ambiguity classes of a model file as the feature code looks them up,
/// checked: words strictly increasing (so none twice), each class a
/// non-empty set of UPOS tags.
fn ambiguity_index(classes: &[(String, u32)]) -> Result<Ambiguity, PosError> {
    let all_tags = (1u32 << super::tags::Upos::ALL.len()) - 1;
    let mut index = Ambiguity::default();
    index.reserve(classes.len());
    for (i, (word, mask)) in classes.iter().enumerate() {
        if i > 0 && classes[i - 1].0 >= *word {
            return Err(PosError::Shape(format!(
                "ambiguity classes are not in strictly increasing word order at {word:?}"
            )));
        }
        if *mask == 0 || mask & !all_tags != 0 {
            return Err(PosError::Shape(format!("ambiguity class {mask:#x} of {word:?} is not a set of UPOS tags")));
        }
        // Distinct words whose hashes collide would silently share a class.
        if index.insert(features::fnv1a(word.as_bytes()), *mask).is_some() {
            return Err(PosError::Shape(format!("ambiguity class word {word:?} collides with another")));
        }
    }
    Ok(index)
}

/// Lanes of the vector unit the score loops are written for: fixed-size
/// chunks let the compiler keep everything in SIMD registers.
const LANES: usize = 8;

/// [`Tagger::dense_of`] of a row without a dense copy.
const NO_DENSE: u32 = u32::MAX;
/// Rows with at least this many cells get a dense copy. Summing a sparse
/// row costs a few instructions per cell, a dense one a few per 8 lanes
/// (with AVX; twice that without), and the rows of the frequent features
/// (bias, common suffixes, shapes) have most of the 70 classes.
const DENSE_MIN_CELLS: usize = 12;

/// Dense copies of the hashed-feature rows with at least
/// [`DENSE_MIN_CELLS`] cells, for [`Tagger::build_entry`]. Adding a dense
/// copy gives the same floats as adding the cells one by one: each class
/// still receives the row's one weight, in the same row order, and the
/// other lanes receive +0.0, which leaves any sum unchanged (no weight or
/// sum here is -0.0: weights are `q * scale` with `scale > 0`, and a sum of
/// values that are not -0.0 is not -0.0). A row naming a class twice would
/// add its two weights in one step, so it stays sparse.
fn dense_rows(body: &Body, cell_f32: &[f32], stride: usize) -> (Vec<f32>, Vec<u32>) {
    // Row r's cells end at row_end[r] and start where row r-1's end; a
    // pass over the ends (not `Body::cells` per row) keeps this cheap at load.
    let mut start = 0;
    let rows: Vec<usize> = body.row_end[..body.features.len()]
        .iter()
        .enumerate()
        .filter_map(|(row, &end)| {
            let classes = &body.cell_class[start as usize..end as usize];
            start = end;
            if classes.len() < DENSE_MIN_CELLS {
                return None;
            }
            // Classes are below MAX_CLASSES (checked by `Body::validate`).
            let mut seen = [false; MAX_CLASSES];
            classes.iter().all(|&c| !std::mem::replace(&mut seen[c as usize], true)).then_some(row)
        })
        .collect();
    let mut dense = vec![0.0f32; rows.len() * stride];
    let mut dense_of = vec![NO_DENSE; body.features.len()];
    for (d, &row) in rows.iter().enumerate() {
        dense_of[row] = d as u32;
        let cells = body.cells(row);
        let lanes = &mut dense[d * stride..][..stride];
        for (&c, &w) in body.cell_class[cells.clone()].iter().zip(&cell_f32[cells]) {
            lanes[c as usize] = w;
        }
    }
    (dense, dense_of)
}

/// Proof that the CPU has AVX: the only way to get one is
/// [`Avx::detect`], which checks at run time, so the `unsafe` calls into
/// the `#[target_feature(enable = "avx")]` functions below cannot be
/// reached from safe code on a CPU without it (a `bool` could be set by
/// mistake).
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
struct Avx(());

impl Avx {
    /// `Some` when the CPU has AVX; always `None` off x86-64.
    #[inline]
    fn detect() -> Option<Avx> {
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("avx").then_some(Avx(()))
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            None
        }
    }
}

/// `acc += d`, lane by lane (both of the same length, a multiple of
/// [`LANES`]); with AVX when given the proof (see [`sum_max`]).
#[inline(always)]
fn add_lanes(acc: &mut [f32], d: &[f32], avx: Option<Avx>) {
    #[cfg(target_arch = "x86_64")]
    if let Some(Avx(())) = avx {
        // SAFETY: an `Avx` exists only when `Avx::detect` found AVX.
        return unsafe { add_lanes_avx(acc, d) };
    }
    let _ = avx;
    add_lanes_plain(acc, d)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn add_lanes_avx(acc: &mut [f32], d: &[f32]) {
    add_lanes_plain(acc, d)
}

#[inline(always)]
fn add_lanes_plain(acc: &mut [f32], d: &[f32]) {
    for (a, b) in acc.chunks_exact_mut(LANES).zip(d.chunks_exact(LANES)) {
        for l in 0..LANES {
            a[l] += b[l];
        }
    }
}

/// `out = sum of vs`, returning the maximum of `out`. All slices have the
/// same length, a multiple of [`LANES`].
///
/// On x86-64 with AVX (checked at run time: the build targets plain
/// x86-64) the same code is compiled for 8-lane registers; without, it
/// loads each operand into a 4-lane SSE register before adding (SSE cannot
/// add from unaligned memory). The per-lane operations and their order are
/// the same, so the sums are identical to the bit; on the benchmark slice
/// the AVX version ran 29 M instructions where this loop had run 103 M.
#[inline(always)]
fn sum_max(vs: [&[f32]; 6], out: &mut [f32], avx: Option<Avx>) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if let Some(Avx(())) = avx {
        // SAFETY: an `Avx` exists only when `Avx::detect` found AVX.
        return unsafe { sum_max_avx(vs, out) };
    }
    let _ = avx;
    sum_max_lanes(vs, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn sum_max_avx(vs: [&[f32]; 6], out: &mut [f32]) -> f32 {
    sum_max_lanes(vs, out)
}

#[inline(always)]
fn sum_max_lanes(vs: [&[f32]; 6], out: &mut [f32]) -> f32 {
    let mut m = [f32::NEG_INFINITY; LANES];
    let [a, b, d, e, f, h] = vs;
    // Fixed-size chunks zipped together: no bounds checks inside, so the
    // compiler keeps each chunk in SIMD registers (an index-and-slice
    // version of this loop was not inlined and ran at half the speed).
    let chunks = out
        .chunks_exact_mut(LANES)
        .zip(a.chunks_exact(LANES))
        .zip(b.chunks_exact(LANES))
        .zip(d.chunks_exact(LANES))
        .zip(e.chunks_exact(LANES))
        .zip(f.chunks_exact(LANES))
        .zip(h.chunks_exact(LANES));
    for ((((((o, a), b), d), e), f), h) in chunks {
        for l in 0..LANES {
            let x = a[l] + b[l] + d[l] + e[l] + f[l] + h[l];
            o[l] = x;
            m[l] = if x > m[l] { x } else { m[l] };
        }
    }
    m.into_iter().fold(f32::NEG_INFINITY, f32::max)
}

#[inline]
fn lanes_max(s: &[f32]) -> f32 {
    let mut m = [f32::NEG_INFINITY; LANES];
    for c in s.chunks_exact(LANES) {
        for l in 0..LANES {
            m[l] = if c[l] > m[l] { c[l] } else { m[l] };
        }
    }
    m.into_iter().fold(f32::NEG_INFINITY, f32::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries built with the dense rows equal, to the bit, those built
    /// cell by cell: for cache words and for spellings the model never saw.
    #[test]
    fn dense_rows_give_the_same_vectors() {
        let t = Tagger::builtin();
        assert!(!t.dense.is_empty(), "the shipped model has rows with a dense copy");
        let unseen = ["Zyxqar", "unblorpable", "3,141", "U.N.-led", "ÉTÉ", "x", "--"];
        let words = t.header.cache_words.iter().map(String::as_str).step_by(3).chain(unseen);
        let mut bufs = FeatBufs::default();
        let bits = |p: &VecPool| p.data.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let mut dense_used = 0;
        for w in words {
            let f = features::word_feats(w, t.set, &t.ambiguity, &mut bufs);
            let (mut dense, mut sparse) = (VecPool::default(), VecPool::default());
            dense.clear(t.stride);
            sparse.clear(t.stride);
            let a = t.build_entry_with(&f, NO_CLASS, &mut dense, true);
            let b = t.build_entry_with(&f, NO_CLASS, &mut sparse, false);
            assert_eq!(a.vec, b.vec, "{w}");
            assert_eq!(bits(&dense), bits(&sparse), "{w}");
            dense_used += f
                .own
                .as_slice()
                .iter()
                .filter_map(|h| t.index.get(h))
                .filter(|&&r| t.dense_of[r as usize] != NO_DENSE)
                .count();
        }
        assert!(dense_used > 1000, "the words' rows include dense ones ({dense_used})");
    }

    /// With AVX or without, the score sums and their maximum are the same
    /// to the bit (on a CPU without AVX both calls take the plain path).
    #[test]
    fn lane_sums_are_the_same_with_and_without_avx() {
        let mut state = 7u64;
        let mut next = || {
            state = features::mix64(state.wrapping_add(0x9e37_79b9_7f4a_7c15));
            // Weights of either sign and a spread of magnitudes.
            ((state >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 10f32.powi((state % 7) as i32 - 3)
        };
        let stride = 72;
        for _ in 0..200 {
            let vs: Vec<Vec<f32>> = (0..6).map(|_| (0..stride).map(|_| next()).collect()).collect();
            let refs = [&vs[0][..], &vs[1][..], &vs[2][..], &vs[3][..], &vs[4][..], &vs[5][..]];
            let (mut a, mut b) = (vec![0.0f32; stride], vec![0.0f32; stride]);
            let (ma, mb) = (sum_max(refs, &mut a, Avx::detect()), sum_max(refs, &mut b, None));
            assert_eq!(ma.to_bits(), mb.to_bits());
            assert_eq!(
                a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                b.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            );
            add_lanes(&mut a, &vs[0], Avx::detect());
            add_lanes(&mut b, &vs[0], None);
            assert_eq!(
                a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                b.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            );
        }
    }
}
