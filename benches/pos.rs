//! Throughput of the part-of-speech tagger (`slant::text::pos`).
//!
//!     cargo bench --bench pos -- --warm-up-time 1 --measurement-time 5
//!
//! Tags news-like text written for this bench (no dataset text), split into
//! slant's tokens and sentences beforehand, so only tagging is timed;
//! criterion reports tokens/s (elements/s) on one thread. Set `POS_BENCH_CONLLU`
//! to a CoNLL-U(.gz) file to also tag its sentences (read at bench time,
//! nothing from it is stored). `POS_MODEL` selects a model file instead of
//! the built-in one.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use slant::text::pos::{Scratch, Tagger};
use slant::text::sentence::split_sentences;
use slant::text::token::tokenize;
use std::path::Path;

const ARTICLE: &str = "State lawmakers on Thursday approved a sweeping overhaul of the water authority, a plan \
critics say could raise monthly bills for thousands of households. Senator Ellen Park, who wrote the bill, said \
the changes were long overdue. \"We can't keep patching pipes that were laid before our grandparents were born,\" \
she told reporters outside the Capitol.\n\nThe measure passed 31-19 after nearly six hours of debate. Opponents \
argued that the so-called modernization fee would fall hardest on rural towns, where the authority's costs per \
customer are highest. \"This is a tax by another name,\" said Rep. Dan Whitfield, a Republican from Millbrook. \
Supporters claimed the fee may be waived for low-income residents, though the final text does not spell out how.\n\n\
According to an analysis released Monday by the Center for Fiscal Policy, the average household would pay about \
$4.80 more each month by 2027. The authority's board, which meets next week, declined to comment on the estimate. \
Governor Maria Lopez is expected to sign the bill, her office said, but she hasn't said whether she will seek \
changes to the fee schedule.\n\nEngineers have warned for years that the system is failing. A 2019 report found \
that one in five mains had exceeded its design life, and breaks have forced boil-water notices in at least a \
dozen towns since January. Some residents said they were relieved. \"Honestly, I'd pay more if it meant the \
water stopped turning brown,\" said Linda Ortiz, 58, a retired teacher.\n";

/// Sentences as lists of token surfaces.
fn sentences(text: &str) -> Vec<Vec<String>> {
    let mut raw = Vec::new();
    tokenize(text, &mut raw);
    let mut out = Vec::new();
    let mut k = 0;
    for s in split_sentences(text) {
        let mut words = Vec::new();
        while k < raw.len() && raw[k].span.start < s.span.end {
            words.push(text[raw[k].span.start..raw[k].span.end].to_string());
            k += 1;
        }
        if !words.is_empty() {
            out.push(words);
        }
    }
    out
}

fn bench_tagging(c: &mut Criterion) {
    let tagger = match std::env::var("POS_MODEL") {
        Ok(p) => Box::leak(Box::new(Tagger::load(Path::new(&p)).expect("POS_MODEL loads"))),
        Err(_) => Tagger::builtin(),
    };
    let mut inputs = vec![("news_like", sentences(&ARTICLE.repeat(8)))];
    if let Ok(p) = std::env::var("POS_BENCH_CONLLU") {
        let (sents, _) = slant::text::pos::train::read_conllu(Path::new(&p)).expect("POS_BENCH_CONLLU reads");
        let tb: Vec<Vec<String>> = sents.iter().flat_map(|s| sentences(&s.text)).collect();
        inputs.push(("conllu_text", tb));
    }
    let mut g = c.benchmark_group("pos");
    for (name, sents) in &inputs {
        let refs: Vec<Vec<&str>> = sents.iter().map(|s| s.iter().map(String::as_str).collect()).collect();
        let n: usize = refs.iter().map(Vec::len).sum();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(*name, |b| {
            let mut sc = Scratch::new();
            let mut out = Vec::new();
            b.iter(|| {
                let mut acc = 0usize;
                for s in &refs {
                    tagger.tag(black_box(s), &mut sc, &mut out);
                    acc += out.len();
                }
                black_box(acc)
            })
        });
    }
    g.finish();

    let file = std::env::var("POS_MODEL")
        .map_or_else(|_| slant::text::pos::BUILTIN_MODEL.to_vec(), |p| std::fs::read(p).unwrap());
    let mut g = c.benchmark_group("pos_load");
    g.sample_size(10);
    g.bench_function("from_json", |b| {
        b.iter(|| black_box(Tagger::from_json(black_box(&file)).unwrap().labels().len()))
    });
    g.finish();
}

criterion_group!(benches, bench_tagging);
criterion_main!(benches);
