//! Per-stage throughput of the slant pipeline (docs/PERFORMANCE.md).
//!
//!     cargo bench --bench pipeline -- --warm-up-time 1 --measurement-time 3
//!
//! The input is news-like text written for this bench (no dataset text),
//! repeated to about 64 KB; criterion reports bytes/s of that text per stage.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use slant::features::terms::TermCounts;
use slant::models::artifact::TrainedModel;
use slant::signals::stats::count;
use slant::signals::{SignalSet, Worker};
use slant::text::normalize::normalize_str;
use slant::text::Analyzer;
use std::path::Path;

const ARTICLE: &str = r#"City council delays vote on downtown transit plan

The city council on Tuesday postponed a vote on the $1.2 billion downtown transit plan, a move critics argue could push construction back by at least two years. Council President Maria Delgado said the delay was "necessary to get the numbers right," but opponents called it a stalling tactic.

According to a draft budget obtained by the Courier, the project may cost about 15 percent more than the estimate announced last spring. Officials familiar with the negotiations, who spoke on condition of anonymity, said the state could still withdraw its share of the funding if no agreement is reached by June.

"This is a disastrous decision for every family that depends on the bus," said Tom Reyes, a spokesman for the Riders Union. "They promised us relief, and they have clearly broken that promise." Supporters of the delay insisted that the council had simply asked for more time, and some experts suggest the revised route might serve fewer neighborhoods.

Republicans on the council accused the mayor of hiding the true costs, while Democrats said the so-called budget gap was exaggerated. It remains unclear whether the federal grant, which reportedly requires a signed agreement by the end of the year, will survive the delay. Analysts at the Regional Policy Institute estimated that roughly 40,000 commuters would be affected.

The mayor's office declined to comment on Wednesday. Observers noted that the fight is likely to shape next year's election, and perhaps the region's economy for a decade.
"#;

fn corpus_text() -> String {
    let mut s = String::new();
    while s.len() < 64 * 1024 {
        s.push_str(ARTICLE);
        s.push('\n');
    }
    normalize_str(&s)
}

fn stages(c: &mut Criterion) {
    let text = corpus_text();
    let texts = [text.as_str()];
    let mut g = c.benchmark_group("stage");
    g.throughput(Throughput::Bytes(text.len() as u64));

    g.bench_function("tokenize", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            slant::text::token::tokenize(black_box(&text), &mut out);
            black_box(out.len())
        })
    });
    g.bench_function("split_sentences", |b| {
        b.iter(|| black_box(slant::text::sentence::split_sentences(black_box(&text))))
    });
    g.bench_function("analyze_stem_cache", |b| {
        let mut an = Analyzer::new();
        b.iter(|| black_box(an.analyze(black_box(&text))))
    });

    let set = SignalSet::builtin();
    g.bench_function("lexicon_signals", |b| {
        let mut w = Worker::default();
        b.iter(|| black_box(set.analyze(black_box(&text), &mut w)))
    });

    let model = TrainedModel::load(Path::new("models/leaning.json")).expect("models/leaning.json");
    {
        let mut w = Worker::default();
        let sig = model.signals.analyze(&text, &mut w);
        let stats = count(&model.signals, &sig);
        let f = &model.file.features;
        g.bench_function("term_counts_from_doc", |b| {
            b.iter(|| black_box(TermCounts::from_doc(black_box(&sig.analyzed), &w.analyzer, f.spec().ngram_max)))
        });
        let terms = TermCounts::from_doc(&sig.analyzed, &w.analyzer, f.spec().ngram_max);
        g.bench_function("featurizer_row", |b| b.iter(|| black_box(f.row(black_box(&terms), &stats))));
        // What `score --model` runs: vocabulary lookups while walking the tokens.
        g.bench_function("featurizer_row_of_doc", |b| {
            b.iter(|| black_box(f.row_of_doc(black_box(&sig.analyzed), &w.analyzer, &stats)))
        });
    }
    g.bench_function("featurize_leaning", |b| {
        let mut w = Worker::default();
        b.iter(|| black_box(model.featurize(black_box(&texts), &mut w)))
    });
    g.bench_function("predict_texts_leaning", |b| {
        let mut w = Worker::default();
        b.iter(|| black_box(model.predict_texts(black_box(&texts), &mut w)))
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
