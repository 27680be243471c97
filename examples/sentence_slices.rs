//! Measures how the sentence models' rows built from slices of the
//! document's own analysis (what `score` does since 2026-12-07, third
//! session; docs/PERFORMANCE.md, "Sentence models from the document's
//! analysis") differ from the rows of each sentence analysed again as its
//! own text (what `score` did before, and what the models are trained on:
//! standalone sentences). It also checks, for every sentence and every
//! model, that the probabilities `score` gives
//! ([`slant::engine::score_with_models`], which slices the run's own
//! analysis) equal those of the slice built here independently.
//!
//!     cargo run --release --example sentence_slices -- CORPUS.jsonl \
//!         models/bias.json models/subjectivity.json [models/leaning.json]
//!
//! CORPUS.jsonl: one `{"text": ...}` object per line (bench/make_corpus.py).
//! For every sentence of every document it builds the feature row of each
//! model both ways (the standalone analysis the models were trained on, and
//! the document's tokens and matches of that sentence) and counts the
//! sentences whose rows differ in any bit, with the first reason found:
//! the tokens (forms), the number of sentences, the quotation state of a
//! word, or the matches (label, negation, quoted voice). It also counts the
//! sentences with no quotation mark and no quoted word, and how many of
//! those differ; `SHOW=1` prints the match labels of each such sentence
//! both ways (labels only, no text) to stderr. For a document-level model
//! with a boilerplate list (leaning) it counts the documents the list
//! changes, which are the ones that model analyses a second time, and for
//! those compares the model's row of the cleaned text (what scoring
//! computes) with the row of the document's own analysis with the removed
//! text's tokens and matches masked, counting the documents that differ
//! by first reason (measured for docs/PERFORMANCE.md; not what scoring does).

use anyhow::{Context, Result};
use slant::engine::score_with_models;
use slant::features::sparse::CsrMatrix;
use slant::models::artifact::{Level, TrainedModel};
use slant::read::Document;
use slant::signals::stats::count;
use slant::signals::{DocSignals, Match, Worker};
use slant::text::normalize::normalize_str;
use slant::text::Analyzed;
use std::io::BufRead;
use std::path::Path;

/// The document's analysis of sentence `i`, as if it were a document of
/// one sentence: its tokens and the matches that start in it, renumbered.
fn slice(doc: &DocSignals, i: u32) -> DocSignals {
    let a = doc.analyzed.tokens.partition_point(|t| t.sentence < i);
    let b = doc.analyzed.tokens.partition_point(|t| t.sentence <= i);
    let tokens = doc.analyzed.tokens[a..b].iter().map(|t| slant::text::Token { sentence: 0, ..*t }).collect();
    let matches = doc
        .matches
        .iter()
        .filter(|m| m.sentence == i)
        .map(|m| Match { sentence: 0, tok_start: m.tok_start - a, tok_end: m.tok_end - a, ..*m })
        .collect();
    DocSignals {
        analyzed: Analyzed { tokens, sentences: vec![doc.analyzed.sentences[i as usize]], quotes: Vec::new() },
        matches,
        attributions: Vec::new(),
    }
}

/// Why a slice differs from the standalone analysis (first reason found).
fn reason(alone: &DocSignals, sl: &DocSignals) -> &'static str {
    let forms = |d: &DocSignals| d.analyzed.tokens.iter().map(|t| (t.form, t.kind.is_word())).collect::<Vec<_>>();
    if forms(alone) != forms(sl) {
        return "tokens";
    }
    if alone.analyzed.sentences.len() != 1 {
        return "sentence count";
    }
    let quoted = |d: &DocSignals| d.analyzed.tokens.iter().map(|t| t.in_quote).collect::<Vec<_>>();
    if quoted(alone) != quoted(sl) {
        return "quotation state";
    }
    let key = |d: &DocSignals| {
        let mut v: Vec<_> = d
            .matches
            .iter()
            .map(|m| (format!("{:?}", m.label), m.tok_start, m.tok_end, m.negated, m.in_quote))
            .collect();
        v.sort();
        v
    };
    if key(alone) != key(sl) {
        return "matches";
    }
    "other"
}

/// `doc` without the tokens and matches that overlap `removed` (sorted
/// byte ranges), and without the sentences left with no word, renumbered:
/// the document's analysis of what a boilerplate list keeps.
fn masked(doc: &DocSignals, removed: &[(usize, usize)]) -> DocSignals {
    let hit = |a: usize, b: usize| {
        let k = removed.partition_point(|r| r.1 <= a);
        removed.get(k).is_some_and(|r| r.0 < b)
    };
    let tokens: Vec<_> = doc.analyzed.tokens.iter().filter(|t| !hit(t.span.start, t.span.end)).copied().collect();
    let mut has_word = vec![false; doc.analyzed.sentences.len()];
    for t in tokens.iter().filter(|t| t.kind.is_word()) {
        has_word[t.sentence as usize] = true;
    }
    let mut number = vec![u32::MAX; has_word.len()];
    let mut sentences = Vec::new();
    for (i, s) in doc.analyzed.sentences.iter().enumerate() {
        if has_word[i] {
            number[i] = sentences.len() as u32;
            sentences.push(*s);
        }
    }
    let kept = |s: u32| number.get(s as usize).is_some_and(|&n| n != u32::MAX);
    let tokens = tokens
        .into_iter()
        .filter(|t| kept(t.sentence))
        .map(|t| slant::text::Token { sentence: number[t.sentence as usize], ..t })
        .collect();
    let matches = doc
        .matches
        .iter()
        .filter(|m| kept(m.sentence) && !hit(m.span.start, m.span.end))
        .map(|m| Match { sentence: number[m.sentence as usize], ..*m })
        .collect();
    DocSignals { analyzed: Analyzed { tokens, sentences, quotes: Vec::new() }, matches, attributions: Vec::new() }
}

/// For a document-level model with a boilerplate list and a `text` it
/// changes into `cleaned`: `None` when the row from the document's own
/// analysis with the removed text masked equals the row of the cleaned
/// text's analysis (what scoring computes) bit for bit, else the first
/// reason found.
fn masked_reason(m: &TrainedModel, text: &str, cleaned: &str, w: &mut Worker) -> Option<&'static str> {
    let f = &m.file.features;
    let removed = f.spec().boilerplate.as_ref()?.removed_spans(text);
    let own = m.signals.analyze(text, w);
    let mk = masked(&own, &removed);
    let mk_stats = count(&m.signals, &mk);
    let a = f.row_of_doc(&mk.analyzed, &w.analyzer, &mk_stats);
    let cl = m.signals.analyze(cleaned, w);
    let cl_stats = count(&m.signals, &cl);
    // The cleaned text's analysis may have started the word ids over;
    // the masked row was built before it.
    let b = f.row_of_doc(&cl.analyzed, &w.analyzer, &cl_stats);
    let bits = |r: &[(u32, f32)]| r.iter().map(|e| (e.0, e.1.to_bits())).collect::<Vec<_>>();
    if bits(&a) == bits(&b) {
        return None;
    }
    Some(if mk_stats.n_sentences != cl_stats.n_sentences {
        "sentence count"
    } else if mk_stats.n_words != cl_stats.n_words {
        "word count"
    } else if mk_stats.n_quoted_words != cl_stats.n_quoted_words {
        "quoted words"
    } else if mk_stats
        .categories
        .iter()
        .map(|c| (c.n, c.author_n))
        .ne(cl_stats.categories.iter().map(|c| (c.n, c.author_n)))
        || mk_stats.dimensions != cl_stats.dimensions
    {
        "matches"
    } else {
        "terms (bigrams across a cut)"
    })
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (corpus, model_paths) = args.split_first().context("usage: sentence_slices CORPUS.jsonl MODEL...")?;
    let models: Vec<TrainedModel> =
        model_paths.iter().map(|p| TrainedModel::load(Path::new(p))).collect::<Result<_, _>>()?;
    // Document-level models with a boilerplate list: count the documents
    // it changes (only those need leaning's second analysis).
    let (sentence_models, cleaners): (Vec<TrainedModel>, Vec<TrainedModel>) =
        models.into_iter().partition(|m| m.file.level == Level::Sentence);
    let models = sentence_models;
    let cleaners: Vec<_> = cleaners.into_iter().filter(|m| m.file.features.spec().boilerplate.is_some()).collect();
    let (mut n_docs, mut n_cleaned) = (0usize, vec![0usize; cleaners.len()]);
    // Per such model, the documents whose row from the masked document
    // differs from the row of the cleaned text, by first reason.
    let mut mask_differs: Vec<Vec<(&'static str, usize)>> = vec![Vec::new(); cleaners.len()];
    let set = models.first().context("no sentence-level model given")?.signals.clone();
    let mut w = Worker::default();
    let (mut n_sent, mut n_diff, mut n_plain, mut n_plain_diff) = (0usize, 0usize, 0usize, 0usize);
    // Per model: sentences whose row differs from the standalone analysis,
    // and sentences whose probabilities from `score` (`score_with_models`,
    // the reuse path) differ from those of the slice built here.
    let mut n_model_diff = vec![0usize; models.len()];
    let mut n_not_scored = vec![0usize; models.len()];
    let mut reasons: Vec<(&'static str, usize)> = Vec::new();
    for (line_no, line) in std::io::BufReader::new(std::fs::File::open(corpus)?).lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        let text = normalize_str(v["text"].as_str().unwrap_or(""));
        n_docs += 1;
        for ((m, n), masked) in cleaners.iter().zip(&mut n_cleaned).zip(&mut mask_differs) {
            let std::borrow::Cow::Owned(cleaned) = m.file.features.spec().clean(&text) else { continue };
            *n += 1;
            if let Some(r) = masked_reason(m, &text, &cleaned, &mut w) {
                match masked.iter_mut().find(|(k, _)| *k == r) {
                    Some((_, n)) => *n += 1,
                    None => masked.push((r, 1)),
                }
            }
        }
        // What `score` computes for the document (every sentence model).
        let doc_in = Document {
            id: line_no.to_string(),
            text: text.to_string(),
            kept: Vec::new(),
            location: String::new(),
            warnings: Vec::new(),
        };
        let scored = score_with_models(&set, &models, &mut w, doc_in);
        // Per sentence, whether any model's row differs from the standalone one.
        let mut sentence_differs: Vec<bool> = Vec::new();
        let mut sentence_reason: Vec<Option<&'static str>> = Vec::new();
        let mut sentence_plain: Vec<bool> = Vec::new();
        for (k, m) in models.iter().enumerate() {
            let f = &m.file.features;
            let mut doc = m.signals.analyze(&text, &mut w);
            let mut doc_generation = w.analyzer.generation();
            let n = doc.analyzed.sentences.len();
            sentence_differs.resize(n, false);
            sentence_reason.resize(n, None);
            sentence_plain.resize(n, false);
            let mut slices = CsrMatrix::new(f.n_features());
            for i in 0..n {
                let s = doc.analyzed.sentences[i];
                let alone = m.signals.analyze(&text[s.span.start..s.span.end], &mut w);
                let a = f.row_of_doc(&alone.analyzed, &w.analyzer, &count(&m.signals, &alone));
                if w.analyzer.generation() != doc_generation {
                    // The standalone analysis cleared the caches: the
                    // document's word ids are stale, so it is analysed again.
                    doc = m.signals.analyze(&text, &mut w);
                    doc_generation = w.analyzer.generation();
                }
                let sl = slice(&doc, i as u32);
                let b = f.row_of_doc(&sl.analyzed, &w.analyzer, &count(&m.signals, &sl));
                let bits = |r: &[(u32, f32)]| {
                    let mut r: Vec<(u32, u32)> = r.iter().map(|e| (e.0, e.1.to_bits())).collect();
                    r.sort_unstable();
                    r
                };
                if bits(&a) != bits(&b) {
                    n_model_diff[k] += 1;
                    sentence_differs[i] = true;
                    sentence_reason[i].get_or_insert_with(|| reason(&alone, &sl));
                    if std::env::var_os("SHOW").is_some() {
                        let lab = |d: &DocSignals| {
                            d.matches
                                .iter()
                                .map(|m| format!("{:?}{}", m.label, if m.negated { "-neg" } else { "" }))
                                .collect::<Vec<_>>()
                        };
                        eprintln!("{}: alone {:?}\nslice {:?}\n", m.file.name, lab(&alone), lab(&sl));
                    }
                }
                // A sentence with no quotation mark and no quoted word in
                // the document.
                sentence_plain[i] = !text[s.span.start..s.span.end]
                    .contains(['"', '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}', '\''])
                    && sl.analyzed.tokens.iter().all(|t| !t.in_quote);
                slices.push_row(b);
            }
            // Every sentence's probabilities, bit for bit, no early stop.
            let want = (n > 0).then(|| m.file.estimator.predict_proba(&slices));
            let got = scored.sentence_probs[k].as_ref();
            n_not_scored[k] += match (want, got) {
                (None, None) => 0,
                (Some(want), Some(got)) if want.dim() == got.dim() => want
                    .rows()
                    .into_iter()
                    .zip(got.rows())
                    .filter(|(a, b)| a.iter().zip(b.iter()).any(|(x, y)| x.to_bits() != y.to_bits()))
                    .count(),
                _ => n.max(1),
            };
        }
        n_sent += sentence_differs.len();
        n_plain += sentence_plain.iter().filter(|&&p| p).count();
        for ((&d, r), &p) in sentence_differs.iter().zip(&sentence_reason).zip(&sentence_plain) {
            if d {
                n_diff += 1;
                n_plain_diff += p as usize;
                let r = r.unwrap_or("other");
                match reasons.iter_mut().find(|(k, _)| *k == r) {
                    Some((_, n)) => *n += 1,
                    None => reasons.push((r, 1)),
                }
            }
        }
    }
    for ((m, n), masked) in cleaners.iter().zip(&n_cleaned).zip(&mask_differs) {
        println!("{}: boilerplate removed from {n} of {n_docs} documents", m.file.name);
        let total: usize = masked.iter().map(|(_, n)| n).sum();
        println!(
            "  row from the document's analysis with the removed text masked differs from the cleaned text's row: {total} of {n} ({:.2}%)",
            100.0 * total as f64 / (*n).max(1) as f64
        );
        for (r, k) in masked {
            println!("    {r}: {k}");
        }
    }
    println!("sentences {n_sent}, rows differ {n_diff} ({:.2}%)", 100.0 * n_diff as f64 / n_sent.max(1) as f64);
    for ((m, d), ns) in models.iter().zip(&n_model_diff).zip(&n_not_scored) {
        println!(
            "  {}: rows differ from the standalone analysis {d}; sentences whose probabilities from score differ from the slice built here: {ns}",
            m.file.name
        );
    }
    println!("without quotation marks or quoted words: {n_plain} sentences, rows differ {n_plain_diff}");
    for (r, n) in reasons {
        println!("  {r}: {n}");
    }
    Ok(())
}
