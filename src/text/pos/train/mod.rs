//! Training and evaluation: CoNLL-U in ([`conllu`]), gold tags for slant's
//! tokens ([`align`]), an averaged perceptron trained on them
//! ([`perceptron`]), exported to the same [`Tagger`] that loads model files,
//! and accuracy measured with that tagger ([`evaluate`]).
//!
//! Deterministic: sentences are shuffled by a seeded ChaCha8 generator,
//! weights are integers, and nothing depends on hash-map iteration order.

pub mod align;
pub mod conllu;
mod eval;
mod perceptron;

pub use align::{align, Aligned, AlignedSentence, AlignedToken, Link, Tokenization};
pub use conllu::{parse_conllu, read_conllu, Multiword, TbSentence, TbWord};
pub use eval::{evaluate, Evaluation, LinkAccuracy};

use super::features::{self, FeatBufs, Pad, Template, TemplateSet, WordFeats};
use super::model::{self, DataFile, FeatureInfo, ModelHeader, TrainingInfo};
use super::tagger::{Body, Tagger, MAX_CLASSES};
use super::tags::{PosTag, Upos, Xpos};
use super::PosError;
use perceptron::Perceptron;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Everything that decides what model comes out of the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainSettings {
    pub tokenization: Tokenization,
    pub templates: Vec<Template>,
    /// Passes over the training sentences.
    pub iterations: usize,
    pub seed: u64,
    /// A surface seen at least this often, with one class at least
    /// `tagdict_min_share` of the time, is tagged by dictionary.
    pub tagdict_min_count: u32,
    pub tagdict_min_share: f64,
    /// `UPOS|XPOS` pairs rarer than this in training are not classes of
    /// their own; their tokens train as the most frequent pair with the
    /// same XPOS (scored against their true tags all the same).
    pub min_label_count: u32,
    /// Averaged weights smaller than this in magnitude are dropped.
    pub prune_below: f64,
    /// Surfaces seen at least this often (at most `cache_max_words` of
    /// them) get score vectors precomputed at load time.
    pub cache_min_count: u32,
    pub cache_max_words: usize,
    /// Training tokens whose surface occurs at most this often in the
    /// training data are trained without their identity features
    /// ([`Template::IDENTITY`] and the previous-tag + word feature), as the
    /// unseen words they stand in for will be tagged; 0 = off.
    pub rare_word_max: u32,
    /// A normalised word seen at least this often gets an ambiguity class:
    /// the UPOS tags it had at least `ambiguity_min_share` of the time.
    pub ambiguity_min_count: u32,
    pub ambiguity_min_share: f64,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            tokenization: Tokenization::Slant,
            templates: Template::DEFAULT.to_vec(),
            iterations: 10,
            seed: 20_251_203,
            tagdict_min_count: 20,
            tagdict_min_share: 0.97,
            min_label_count: 10,
            prune_below: 0.0,
            cache_min_count: 2,
            cache_max_words: 30_000,
            rare_word_max: 0,
            ambiguity_min_count: 5,
            ambiguity_min_share: 0.05,
        }
    }
}

impl TrainSettings {
    fn validate(&self) -> Result<(), PosError> {
        let bad = |m: &str| Err(PosError::Setting(m.to_string()));
        if self.iterations == 0 {
            return bad("iterations must be at least 1");
        }
        if !(0.0..=1.0).contains(&self.tagdict_min_share) {
            return bad("tagdict_min_share must be between 0 and 1");
        }
        if !(self.prune_below >= 0.0 && self.prune_below.is_finite()) {
            return bad("prune_below must be a finite number >= 0");
        }
        if !(0.0..=1.0).contains(&self.ambiguity_min_share) {
            return bad("ambiguity_min_share must be between 0 and 1");
        }
        if self.ambiguity_min_count == 0 {
            return bad("ambiguity_min_count must be at least 1");
        }
        if self.templates.is_empty() {
            return bad("no feature templates");
        }
        Ok(())
    }
}

/// Training data: aligned sentences and the files they came from.
#[derive(Debug, Clone, Default)]
pub struct TrainData {
    pub sentences: Vec<AlignedSentence>,
    pub files: Vec<DataFile>,
    /// Sentences dropped because their words could not be found in their text.
    pub skipped: usize,
}

impl TrainData {
    /// Read CoNLL-U files and align them under `tok`.
    pub fn read(paths: &[&Path], tok: Tokenization) -> Result<TrainData, PosError> {
        let mut out = TrainData::default();
        for p in paths {
            let (sents, raw) = read_conllu(p)?;
            let a = align(&sents, tok);
            out.files.push(DataFile {
                name: p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned()),
                sha256: hex(&Sha256::digest(&raw)),
                sentences: sents.len(),
            });
            out.skipped += a.skipped.len();
            out.sentences.extend(a.sentences);
        }
        Ok(out)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What one pass over the training data did.
#[derive(Debug, Clone)]
pub struct EpochReport {
    pub epoch: usize,
    pub tokens: usize,
    /// Training tokens the current (not averaged) weights got wrong.
    pub errors: usize,
    /// The averaged model after this pass, on the monitoring data.
    pub monitor: Option<Evaluation>,
}

/// The alignment rule, as recorded in model files.
pub const ALIGNMENT_RULE: &str = "slant's tokenizer on each sentence's `# text`; tokens matched to treebank words \
by byte offsets: same span -> that word's tags; several words (e.g. don't, Elena's, so-called) -> the tags of their \
syntactic head (the first whose HEAD is outside the group); part of one word (e.g. 3:30, Mr.) -> that word's tags, but a punctuation token cut out of a \
non-punctuation word is PUNCT with the Penn tag of its character (. , : -LRB- -RRB-, HYPH for dashes); no word \
-> no gold tag (not trained on, not scored)";

/// Train a tagger. `monitor` (dev data) is evaluated after every pass and
/// reported to `on_epoch`; it never influences the weights.
pub fn train(
    data: &TrainData,
    settings: &TrainSettings,
    monitor: Option<&[AlignedSentence]>,
    command: Vec<String>,
    mut on_epoch: impl FnMut(&EpochReport),
) -> Result<Tagger, PosError> {
    settings.validate()?;
    let started = std::time::Instant::now();
    let sents = &data.sentences;
    if sents.iter().all(|s| s.tokens.iter().all(|t| t.gold.is_none())) {
        return Err(PosError::NoData("no token has a gold tag".into()));
    }
    let (labels, class_of) = label_set(sents, settings.min_label_count)?;
    let n = labels.len();
    let set = TemplateSet::new(&settings.templates);

    // Word types, their features, and per-sentence type ids and gold classes.
    let mut type_ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut types: Vec<&str> = Vec::new();
    let mut sent_types: Vec<Vec<u32>> = Vec::with_capacity(sents.len());
    let mut sent_gold: Vec<Vec<Option<u8>>> = Vec::with_capacity(sents.len());
    for s in sents {
        let mut ids = Vec::with_capacity(s.tokens.len());
        for i in 0..s.tokens.len() {
            let w = s.surface(i);
            let next = types.len() as u32;
            let id = *type_ids.entry(w).or_insert(next);
            if id == next {
                types.push(w);
            }
            ids.push(id);
        }
        sent_types.push(ids);
        sent_gold.push(s.tokens.iter().map(|t| t.gold.map(|g| class_of[&g])).collect());
    }
    // Tag dictionary and cache words from type counts.
    let mut counts: Vec<FxHashMap<u8, u32>> = vec![FxHashMap::default(); types.len()];
    let mut freq = vec![0u32; types.len()];
    for (ids, golds) in sent_types.iter().zip(&sent_gold) {
        for (&t, g) in ids.iter().zip(golds) {
            freq[t as usize] += 1;
            if let Some(g) = g {
                *counts[t as usize].entry(*g).or_default() += 1;
            }
        }
    }
    let ambiguity_classes =
        if set.uses_ambiguity() { ambiguity_classes(&types, &counts, &labels, settings) } else { Vec::new() };
    let ambiguity: features::Ambiguity =
        ambiguity_classes.iter().map(|(w, m)| (features::fnv1a(w.as_bytes()), *m)).collect();
    let mut bufs = FeatBufs::default();
    let feats: Vec<WordFeats> = types.iter().map(|w| features::word_feats(w, set, &ambiguity, &mut bufs)).collect();
    let pads = [Pad::Start, Pad::Start2, Pad::End, Pad::End2].map(|p| features::pad_feats(p, set));
    // The own features of rare words, without the word's identity.
    let anonymous = set.without(&Template::IDENTITY);
    let rare: Vec<Option<WordFeats>> = types
        .iter()
        .zip(&freq)
        .map(|(w, &c)| (c <= settings.rare_word_max).then(|| features::word_feats(w, anonymous, &ambiguity, &mut bufs)))
        .collect();
    let mut fixed = vec![None; types.len()];
    let mut tagdict = Vec::new();
    for (t, c) in counts.iter().enumerate() {
        let total: u32 = c.values().sum();
        // Ties go to the lower class index, so the choice is deterministic.
        if let Some((&k, &m)) = c.iter().max_by_key(|&(&k, &m)| (m, std::cmp::Reverse(k))) {
            if total >= settings.tagdict_min_count && m as f64 >= settings.tagdict_min_share * total as f64 {
                fixed[t] = Some(k);
                tagdict.push((types[t].to_string(), k));
            }
        }
    }
    tagdict.sort();
    let mut by_freq: Vec<usize> = (0..types.len()).filter(|&t| freq[t] >= settings.cache_min_count).collect();
    by_freq.sort_by(|&a, &b| freq[b].cmp(&freq[a]).then_with(|| types[a].cmp(types[b])));
    by_freq.truncate(settings.cache_max_words);
    let mut cached = vec![false; types.len()];
    by_freq.iter().for_each(|&t| cached[t] = true);
    // Tag-dictionary words must have an entry: that is where it is looked up.
    by_freq.extend((0..types.len()).filter(|&t| fixed[t].is_some() && !cached[t]));
    let cache_words: Vec<String> = by_freq.iter().map(|&t| types[t].to_string()).collect();

    let mut p = Perceptron::new(n);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(settings.seed);
    let mut order: Vec<usize> = (0..sents.len()).collect();
    let mut fv: Vec<u64> = Vec::with_capacity(64);
    let mut scores = vec![0i64; n];
    let mut tagger = None;
    for epoch in 1..=settings.iterations {
        order.shuffle(&mut rng);
        let (mut tokens, mut errors) = (0, 0);
        for &si in &order {
            let (ids, golds) = (&sent_types[si], &sent_gold[si]);
            let len = ids.len();
            let (mut t1, mut t2) = (n, n);
            for i in 0..len {
                let guess = if let Some(k) = fixed[ids[i] as usize] {
                    k as usize
                } else {
                    let f = |j: usize| &feats[ids[j] as usize];
                    let rare_own = rare[ids[i] as usize].as_ref();
                    fv.clear();
                    fv.extend_from_slice(rare_own.unwrap_or(f(i)).own.as_slice());
                    fv.extend_from_slice(if i >= 1 { f(i - 1) } else { &pads[0] }.as_prev.as_slice());
                    let p2 = match i {
                        0 => &pads[1],
                        1 => &pads[0],
                        _ => f(i - 2),
                    };
                    fv.extend_from_slice(p2.as_prev2.as_slice());
                    fv.extend_from_slice(if i + 1 < len { f(i + 1) } else { &pads[2] }.as_next.as_slice());
                    let n2 = if i + 2 < len {
                        f(i + 2)
                    } else if i + 1 < len {
                        &pads[2]
                    } else {
                        &pads[3]
                    };
                    fv.extend_from_slice(n2.as_next2.as_slice());
                    if set.has(Template::PrevTag) {
                        fv.push(features::prev_tag(t1));
                    }
                    if set.has(Template::Prev2Tag) {
                        fv.push(features::prev2_tag(t2));
                    }
                    if set.has(Template::PrevTags) {
                        fv.push(features::prev_tags(t1, t2));
                    }
                    if f(i).ambiguous && rare_own.is_none() {
                        let next = if i + 1 < len { f(i + 1) } else { &pads[2] };
                        let word = f(i).word;
                        if set.has(Template::WordNextAmbig) {
                            fv.push(features::word_next_ambig(word, next.amb));
                        }
                        if set.has(Template::WordNextWord) {
                            fv.push(features::word_next_word(word, next.word));
                        }
                        if set.has(Template::WordNext2Ambig) {
                            fv.push(features::word_next2_ambig(word, n2.amb));
                        }
                    }
                    let tw = (set.has(Template::PrevTagWord) && rare_own.is_none()).then(|| {
                        let word = f(i).word;
                        (features::prev_tag_word(t1, word), t1 as u8, word)
                    });
                    if let Some((h, _, _)) = tw {
                        fv.push(h);
                    }
                    p.score(&fv, &mut scores);
                    let guess = first_max(&scores);
                    if let Some(g) = golds[i] {
                        tokens += 1;
                        if g as usize != guess {
                            errors += 1;
                            // The tag-word feature goes in with its identity.
                            let plain = if tw.is_some() { &fv[..fv.len() - 1] } else { &fv[..] };
                            p.update(plain, tw, g, guess as u8);
                        }
                        p.tick();
                    }
                    guess
                };
                t2 = t1;
                t1 = guess;
            }
        }
        let last = epoch == settings.iterations;
        if monitor.is_some() || last {
            let mut info = TrainingInfo {
                files: data.files.clone(),
                alignment: match settings.tokenization {
                    Tokenization::Slant => ALIGNMENT_RULE.into(),
                    Tokenization::Treebank => "the treebank's own words (calibration model)".into(),
                },
                sentences: sents.len(),
                tokens: sents.iter().map(|s| s.tokens.len()).sum(),
                one_to_one: one_to_one_share(sents),
                seconds: 0.0,
                command: command.clone(),
            };
            if last {
                info.seconds = started.elapsed().as_secs_f64();
            }
            let t = export(&p, &labels, settings, &tagdict, &ambiguity_classes, &cache_words, info)?;
            let report = EpochReport { epoch, tokens, errors, monitor: monitor.map(|m| evaluate(&t, m)) };
            on_epoch(&report);
            tagger = Some(t);
        } else {
            on_epoch(&EpochReport { epoch, tokens, errors, monitor: None });
        }
    }
    Ok(tagger.expect("at least one iteration"))
}

fn one_to_one_share(sents: &[AlignedSentence]) -> f64 {
    let (mut one, mut all) = (0usize, 0usize);
    for t in sents.iter().flat_map(|s| &s.tokens) {
        if t.gold.is_some() {
            all += 1;
            one += (t.link == Link::OneToOne) as usize;
        }
    }
    one as f64 / all.max(1) as f64
}

fn first_max(s: &[i64]) -> usize {
    let mut best = 0;
    for (k, &v) in s.iter().enumerate() {
        if v > s[best] {
            best = k;
        }
    }
    best
}

/// Classes: the `UPOS|XPOS` pairs of training, by frequency; rare pairs
/// map to the most frequent kept pair with their XPOS (or UPOS, or the
/// most frequent pair overall).
#[allow(clippy::type_complexity)]
fn label_set(sents: &[AlignedSentence], min_count: u32) -> Result<(Vec<PosTag>, FxHashMap<PosTag, u8>), PosError> {
    let mut counts: FxHashMap<PosTag, u32> = FxHashMap::default();
    for t in sents.iter().flat_map(|s| &s.tokens) {
        if let Some(g) = t.gold {
            *counts.entry(g).or_default() += 1;
        }
    }
    let mut pairs: Vec<(PosTag, u32)> = counts.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let kept: Vec<PosTag> =
        pairs.iter().enumerate().filter(|&(i, &(_, c))| i == 0 || c >= min_count).map(|(_, &(p, _))| p).collect();
    if kept.len() > MAX_CLASSES {
        return Err(PosError::Setting(format!(
            "{} classes (at most {MAX_CLASSES}); raise min_label_count",
            kept.len()
        )));
    }
    let mut class_of: FxHashMap<PosTag, u8> = kept.iter().enumerate().map(|(i, &p)| (p, i as u8)).collect();
    for &(p, _) in &pairs {
        if class_of.contains_key(&p) {
            continue;
        }
        // `kept` is in frequency order, so `position` finds the most frequent.
        let k = kept
            .iter()
            .position(|k| k.xpos == p.xpos)
            .or_else(|| kept.iter().position(|k| k.upos == p.upos))
            .unwrap_or(0);
        class_of.insert(p, k as u8);
    }
    Ok((kept, class_of))
}

/// The ambiguity classes of the training words: by normalised word, the
/// UPOS tags it had at least `ambiguity_min_share` of the time (the UPOS of
/// the class it was trained as: a rare `UPOS|XPOS` pair counts as the pair
/// it is merged into), for words seen at least `ambiguity_min_count` times;
/// sorted by word.
fn ambiguity_classes(
    types: &[&str],
    counts: &[FxHashMap<u8, u32>],
    labels: &[PosTag],
    settings: &TrainSettings,
) -> Vec<(String, u32)> {
    let mut by_word: FxHashMap<String, [u32; Upos::ALL.len()]> = FxHashMap::default();
    let mut norm = String::new();
    for (w, c) in types.iter().zip(counts) {
        features::normalise_into(w, &mut norm);
        let row = by_word.entry(norm.clone()).or_default();
        for (&k, &m) in c {
            row[labels[k as usize].upos as usize] += m;
        }
    }
    let mut out: Vec<(String, u32)> = by_word
        .into_iter()
        .filter_map(|(w, row)| {
            let total: u32 = row.iter().sum();
            if total < settings.ambiguity_min_count {
                return None;
            }
            let min = settings.ambiguity_min_share * total as f64;
            let mask =
                row.iter().enumerate().filter(|&(_, &m)| m > 0 && m as f64 >= min).fold(0u32, |a, (i, _)| a | 1 << i);
            (mask != 0).then_some((w, mask))
        })
        .collect();
    out.sort();
    out
}

#[allow(clippy::too_many_arguments)]
fn export(
    p: &Perceptron,
    labels: &[PosTag],
    settings: &TrainSettings,
    tagdict: &[(String, u8)],
    ambiguity: &[(String, u32)],
    cache_words: &[String],
    training: TrainingInfo,
) -> Result<Tagger, PosError> {
    let rows = p.averaged(settings.prune_below);
    let max = rows.iter().flat_map(|r| r.cells.iter().map(|c| c.1.abs())).fold(0.0f64, f64::max);
    let scale = if max > 0.0 { (max / 32767.0) as f32 } else { 1.0 };
    // A quantised row: (class, value) cells.
    type QRow = Vec<(u8, i16)>;
    let quant = |cells: &[(u8, f64)]| -> QRow {
        cells
            .iter()
            .map(|&(k, a)| (k, (a / scale as f64).round().clamp(-32767.0, 32767.0) as i16))
            .filter(|&(_, q)| q != 0)
            .collect()
    };
    let mut hashed: Vec<(u64, QRow)> = Vec::new();
    let mut tw: Vec<(u64, u8, QRow)> = Vec::new();
    for r in &rows {
        let cells = quant(&r.cells);
        if cells.is_empty() {
            continue;
        }
        match r.tag_word {
            None => hashed.push((r.hash, cells)),
            Some((t1, word)) => tw.push((word, t1, cells)),
        }
    }
    hashed.sort_by_key(|r| r.0);
    tw.sort_by_key(|r| (r.0, r.1));
    let mut body = Body { scale, ..Default::default() };
    let push_cells = |body: &mut Body, cells: &[(u8, i16)]| {
        for &(k, q) in cells {
            body.cell_class.push(k);
            body.cell_value.push(q);
        }
        body.row_end.push(body.cell_class.len() as u32);
    };
    for (h, cells) in &hashed {
        body.features.push(*h);
        push_cells(&mut body, cells);
    }
    for (word, t1, cells) in &tw {
        if body.tw_words.last() != Some(word) {
            body.tw_words.push(*word);
            body.tw_word_end.push(body.tw_tag.len() as u32);
        }
        body.tw_tag.push(*t1);
        *body.tw_word_end.last_mut().expect("pushed above") = body.tw_tag.len() as u32;
        push_cells(&mut body, cells);
    }
    let header = ModelHeader {
        format: model::FORMAT.into(),
        version: model::VERSION,
        name: "en_ewt".into(),
        description: "Part-of-speech tagger for slant's tokens: averaged perceptron predicting UPOS|XPOS pairs, \
                      trained on UD English EWT"
            .into(),
        slant_version: env!("CARGO_PKG_VERSION").into(),
        created: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        tokenizer: match settings.tokenization {
            Tokenization::Slant => "slant-tokenizer-1 (src/text/token.rs), punctuation tokens included".into(),
            Tokenization::Treebank => "UD treebank words".into(),
        },
        labels: labels.iter().map(|l| l.to_string()).collect(),
        upos_tags: Upos::ALL.iter().map(|u| u.as_str().to_string()).collect(),
        xpos_tags: Xpos::all().map(|x| x.as_str().to_string()).collect(),
        features: FeatureInfo::new(TemplateSet::new(&settings.templates).list()),
        settings: settings.clone(),
        training,
        accuracy: Vec::new(),
        tagdict: tagdict.to_vec(),
        ambiguity: ambiguity.to_vec(),
        cache_words: cache_words.to_vec(),
        weights: model::weights_info(&body),
    };
    let mut header = header;
    // The tagger keeps the decoded body; `to_json` encodes it again.
    header.weights.data.clear();
    Tagger::from_parts(header, body)
}
