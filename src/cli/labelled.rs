//! Labelled corpora for `train`, `eval` and `keyness`: documents with a
//! label (and optionally a group) column, processed once through the
//! engine so every subcommand reads, threads and reports the same way.

use super::common::{Console, InputArgs, RunArgs};
use anyhow::Result;
use slant::engine::{Engine, Item};
use slant::read::Corpus;
use slant::signals::Worker;

/// Rows in input order; `results[i]` is the per-document work on row `i`.
pub struct Labelled<T> {
    pub ids: Vec<String>,
    pub texts: Vec<String>,
    pub labels: Vec<String>,
    pub groups: Option<Vec<String>>,
    pub results: Vec<T>,
}

/// Read `text,label[,group]` rows and run `work(worker, text, label)` on
/// every row on all threads; rows with an empty label are skipped (and
/// said so). `keep_text` keeps each row's text (for the training-data hash).
pub fn read_labelled<T: Send>(
    input: &InputArgs,
    label_col: &str,
    group_col: Option<&str>,
    run: &RunArgs,
    keep_text: bool,
    work: impl Fn(&mut Worker, &str, &str) -> T + Sync,
) -> Result<Labelled<T>> {
    let mut opts = input.read_options();
    let base = opts.keep_cols.len();
    opts.keep_cols.push(label_col.to_string());
    if let Some(g) = group_col {
        opts.keep_cols.push(g.to_string());
    }
    let console = Console::with_progress(run.quiet, &input.inputs);
    let engine = Engine::new(run.engine_config())?;
    let mut out =
        Labelled { ids: vec![], texts: vec![], labels: vec![], groups: group_col.map(|_| vec![]), results: vec![] };
    let mut empty_labels = 0;
    let summary = engine.run(
        Corpus::new(input.inputs.clone(), opts),
        |worker, mut doc| {
            let label = doc.kept[base].trim();
            let result = (!label.is_empty()).then(|| work(worker, &doc.text, label));
            if !keep_text {
                doc.text = String::new();
            }
            (doc, result)
        },
        |batch| {
            for item in batch {
                let Item::Done((doc, result)) = item else { continue };
                let Some(result) = result else {
                    empty_labels += 1;
                    console.info(&format!("skipped: {} (document '{}'): empty label", doc.location, doc.id));
                    continue;
                };
                let mut kept = doc.kept.into_iter().skip(base);
                out.labels.push(kept.next().unwrap_or_default().trim().to_string());
                if let Some(g) = &mut out.groups {
                    g.push(kept.next().unwrap_or_default());
                }
                out.ids.push(doc.id);
                out.texts.push(doc.text);
                out.results.push(result);
            }
            Ok(())
        },
        &console,
    )?;
    console.finish();
    let skipped = summary.skipped + empty_labels;
    if skipped > 0 {
        console.info(&format!("{skipped} row(s) skipped"));
    }
    Ok(out)
}
