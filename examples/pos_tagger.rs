//! Train and evaluate slant's part-of-speech tagger (`slant::text::pos`).
//!
//!     cargo run --release --example pos_tagger -- train \
//!         --data ../shared/data/pos_ud_english_ewt -o models/pos/en_ewt.json
//!     cargo run --release --example pos_tagger -- eval \
//!         --model models/pos/en_ewt.json --data ../shared/data/pos_ud_english_ewt
//!
//! `train` fits on `train.conllu.gz` and prints dev accuracy after every
//! pass (settings are chosen on dev). With `--final train+dev` it then
//! refits on train and dev with the same settings for the shipped model.
//! Test accuracy is measured once, on the model written, unless `--no-test`.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use slant::text::pos::train::{self, Evaluation, Tokenization, TrainData, TrainSettings};
use slant::text::pos::{AccuracyReport, Scratch, Tagger, Template};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Parser)]
#[command(about = "Train and evaluate slant's POS tagger on UD CoNLL-U data")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Train on train.conllu.gz, monitoring dev.
    Train {
        /// Folder with train/dev/test.conllu.gz.
        #[arg(long)]
        data: PathBuf,
        /// Where to write the model (nothing is written without it).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Data of the written model: `train`, or `train+dev` (refit after
        /// the dev-monitored run, same settings).
        #[arg(long, default_value = "train")]
        r#final: String,
        #[arg(long)]
        no_test: bool,
        #[arg(long, value_parser = parse_tokenization, default_value = "slant")]
        tokenization: Tokenization,
        #[arg(long)]
        iterations: Option<usize>,
        #[arg(long)]
        seed: Option<u64>,
        /// Comma-separated template names (snake_case), replacing the default set.
        #[arg(long)]
        templates: Option<String>,
        /// Templates added to the default set.
        #[arg(long)]
        add: Option<String>,
        #[arg(long)]
        tagdict_min_count: Option<u32>,
        #[arg(long)]
        tagdict_min_share: Option<f64>,
        #[arg(long)]
        min_label_count: Option<u32>,
        #[arg(long)]
        prune_below: Option<f64>,
        #[arg(long)]
        cache_min_count: Option<u32>,
        #[arg(long)]
        cache_max_words: Option<usize>,
        #[arg(long)]
        rare_word_max: Option<u32>,
        #[arg(long)]
        ambiguity_min_count: Option<u32>,
        #[arg(long)]
        ambiguity_min_share: Option<f64>,
    },
    /// Evaluate a model file on dev and/or test.
    Eval {
        #[arg(long)]
        model: PathBuf,
        #[arg(long)]
        data: PathBuf,
        /// Comma-separated splits.
        #[arg(long, default_value = "dev,test")]
        splits: String,
        /// Also print the N most frequent UPOS confusions (gold -> predicted,
        /// for words with and without precomputed entries) and wrong words.
        #[arg(long, default_value_t = 0)]
        confusions: usize,
    },
}

fn parse_tokenization(s: &str) -> Result<Tokenization, String> {
    match s {
        "slant" => Ok(Tokenization::Slant),
        "treebank" => Ok(Tokenization::Treebank),
        _ => Err(format!("{s:?}: expected slant or treebank")),
    }
}

fn parse_templates(s: &str) -> Result<Vec<Template>> {
    s.split(',')
        .map(|t| {
            serde_json::from_value(serde_json::Value::String(t.trim().to_string()))
                .with_context(|| format!("template {t:?}"))
        })
        .collect()
}

fn split_path(data: &Path, split: &str) -> PathBuf {
    data.join(format!("{split}.conllu.gz"))
}

fn read(data: &Path, splits: &[&str], tok: Tokenization) -> Result<TrainData> {
    let paths: Vec<PathBuf> = splits.iter().map(|s| split_path(data, s)).collect();
    let refs: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    let d = TrainData::read(&refs, tok)?;
    if d.skipped > 0 {
        eprintln!("note: {} sentence(s) of {} could not be aligned and were skipped", d.skipped, splits.join("+"));
    }
    Ok(d)
}

fn show(name: &str, e: &Evaluation) {
    println!(
        "{name}: UPOS {:.2}%  XPOS {:.2}%  both {:.2}%  (words only UPOS {:.2}%) over {} tokens; 1:1 {:.2}%; unaligned {}",
        100.0 * e.upos,
        100.0 * e.xpos,
        100.0 * e.both,
        100.0 * e.upos_words,
        e.tokens,
        100.0 * e.one_to_one,
        e.unaligned
    );
    let links: Vec<String> = e
        .by_link
        .iter()
        .map(|l| format!("{:?} {} tok UPOS {:.2}% XPOS {:.2}%", l.link, l.tokens, 100.0 * l.upos, 100.0 * l.xpos))
        .collect();
    println!("    by link: {}", links.join("; "));
    println!(
        "    uncached {:.2}% of tokens, UPOS {:.2}% on them; treebank words {}: {:.2}% carried, UPOS {:.2}% (uncarried = wrong)",
        100.0 * e.uncached,
        100.0 * e.upos_uncached,
        e.treebank_words,
        100.0 * e.treebank_carried,
        100.0 * e.treebank_upos
    );
}

/// The most frequent UPOS errors: (gold, predicted, seen-in-training) pairs
/// and the surfaces most often wrong.
fn print_confusions(tagger: &Tagger, data: &[train::AlignedSentence], top: usize) {
    use std::collections::HashMap;
    let mut sc = Scratch::new();
    let mut out = Vec::new();
    let mut pairs: HashMap<(String, String, bool), usize> = HashMap::new();
    let mut words: HashMap<(String, String, String), usize> = HashMap::new();
    for s in data {
        let surf = s.surfaces();
        tagger.tag(&surf, &mut sc, &mut out);
        for (i, (t, p)) in s.tokens.iter().zip(&out).enumerate() {
            let Some(g) = t.gold else { continue };
            if g.upos != p.upos {
                let cached = tagger.is_cached(surf[i]);
                *pairs.entry((g.upos.to_string(), p.upos.to_string(), cached)).or_default() += 1;
                *words.entry((surf[i].to_string(), g.upos.to_string(), p.upos.to_string())).or_default() += 1;
            }
        }
    }
    let mut pairs: Vec<_> = pairs.into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("    top confusions (gold -> predicted, precomputed word or not):");
    for ((g, p, c), n) in pairs.iter().take(top) {
        println!("      {n:5}  {g:>6} -> {p:<6} {}", if *c { "known" } else { "rare/unseen" });
    }
    let mut words: Vec<_> = words.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let w: Vec<String> = words.iter().take(top).map(|((w, g, p), n)| format!("{w} {g}->{p} x{n}")).collect();
    println!("    most often wrong: {}", w.join("; "));
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Train {
            data,
            output,
            r#final,
            no_test,
            tokenization,
            iterations,
            seed,
            templates,
            add,
            tagdict_min_count,
            tagdict_min_share,
            min_label_count,
            prune_below,
            cache_min_count,
            cache_max_words,
            rare_word_max,
            ambiguity_min_count,
            ambiguity_min_share,
        } => {
            let mut s = TrainSettings { tokenization, ..Default::default() };
            if let Some(t) = templates {
                s.templates = parse_templates(&t)?;
            }
            if let Some(t) = add {
                s.templates.extend(parse_templates(&t)?);
            }
            macro_rules! set {
                ($($f:ident),*) => { $(if let Some(v) = $f { s.$f = v; })* };
            }
            set!(iterations, seed, tagdict_min_count, tagdict_min_share, min_label_count, prune_below);
            set!(cache_min_count, cache_max_words, rare_word_max, ambiguity_min_count, ambiguity_min_share);
            let command: Vec<String> = std::env::args().skip(1).collect();
            let t0 = Instant::now();
            let tr = read(&data, &["train"], tokenization)?;
            let dev = read(&data, &["dev"], tokenization)?;
            println!(
                "read and aligned {} train + {} dev sentences in {:.1}s",
                tr.sentences.len(),
                dev.sentences.len(),
                t0.elapsed().as_secs_f64()
            );
            let t1 = Instant::now();
            let mut last_dev = None;
            let tagger = train::train(&tr, &s, Some(&dev.sentences), command.clone(), |r| {
                let m = r.monitor.as_ref().expect("monitored");
                println!(
                    "pass {:2}: train errors {:.2}%  dev UPOS {:.2}%  XPOS {:.2}%  both {:.2}%  ({:.1}s)",
                    r.epoch,
                    100.0 * r.errors as f64 / r.tokens.max(1) as f64,
                    100.0 * m.upos,
                    100.0 * m.xpos,
                    100.0 * m.both,
                    t1.elapsed().as_secs_f64()
                );
                last_dev = Some(m.clone());
            })?;
            let dev_eval = last_dev.expect("at least one pass");
            show("dev (trained on train)", &dev_eval);
            let mut accuracy = vec![AccuracyReport {
                split: "dev".into(),
                model: "trained on train only, same settings (dev chose the settings)".into(),
                metrics: dev_eval,
            }];
            let mut tagger = match r#final.as_str() {
                "train" => tagger,
                "train+dev" => {
                    let both = read(&data, &["train", "dev"], tokenization)?;
                    let t2 = Instant::now();
                    let t = train::train(&both, &s, None, command, |_| {})?;
                    println!("refit on train+dev in {:.1}s", t2.elapsed().as_secs_f64());
                    t
                }
                other => bail!("--final {other:?}: expected train or train+dev"),
            };
            if !no_test {
                let test = read(&data, &["test"], tokenization)?;
                let e = train::evaluate(&tagger, &test.sentences);
                show("test (the written model)", &e);
                accuracy.push(AccuracyReport { split: "test".into(), model: "this model".into(), metrics: e });
            }
            tagger.set_accuracy(accuracy);
            if let Some(out) = output {
                if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                tagger.save(&out)?;
                let bytes = std::fs::metadata(&out)?.len();
                let t3 = Instant::now();
                let back = Tagger::load(&out)?;
                let load = t3.elapsed();
                if back.to_json() != std::fs::read(&out)? {
                    bail!("{} does not round-trip byte for byte", out.display());
                }
                println!(
                    "wrote {} ({:.2} MB, {} labels, {} tag-dictionary words, {} cache words); reload {:.1} ms, round trip exact",
                    out.display(),
                    bytes as f64 / 1e6,
                    back.labels().len(),
                    back.header().tagdict.len(),
                    back.header().cache_words.len(),
                    load.as_secs_f64() * 1e3
                );
            }
        }
        Cmd::Eval { model, data, splits, confusions } => {
            let t0 = Instant::now();
            let tagger = Tagger::load(&model)?;
            println!("loaded {} in {:.1} ms", model.display(), t0.elapsed().as_secs_f64() * 1e3);
            let tok = tagger.header().settings.tokenization;
            for split in splits.split(',') {
                let d = read(&data, &[split.trim()], tok)?;
                let t = Instant::now();
                let e = train::evaluate(&tagger, &d.sentences);
                let secs = t.elapsed().as_secs_f64();
                show(split, &e);
                println!(
                    "    tagged {} tokens in {:.3}s ({:.2} M tokens/s incl. evaluation bookkeeping)",
                    e.tokens + e.unaligned,
                    secs,
                    (e.tokens + e.unaligned) as f64 / secs / 1e6
                );
                if confusions > 0 {
                    print_confusions(&tagger, &d.sentences, confusions);
                }
            }
        }
    }
    Ok(())
}
