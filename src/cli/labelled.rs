//! Labelled corpora for `train`, `eval` and `keyness`: documents with a
//! label (and optionally a group) column, processed once through the
//! engine so every subcommand reads, threads and reports the same way.

use super::common::{Console, CorpusInput, InputArgs, Outcome, RunArgs};
use anyhow::Result;
use slant::engine::{Engine, Item};
use slant::read::ColumnRole;
use slant::signals::Worker;

/// Rows in input order; `results[i]` is the per-document work on row `i`.
pub struct Labelled<T> {
    pub ids: Vec<String>,
    pub texts: Vec<String>,
    pub labels: Vec<String>,
    pub groups: Option<Vec<String>>,
    /// The `--keep-cols` names, and each row's values of them.
    pub kept_names: Vec<String>,
    pub kept: Vec<Vec<String>>,
    /// Where each row came from (`file:line` for table files).
    pub locations: Vec<String>,
    pub results: Vec<T>,
    /// Records or files that could not be read.
    pub skipped: usize,
    /// The console the rows were read with, to end the run on.
    pub console: Console,
}

impl<T> Labelled<T> {
    /// How the run ends for its input (exit status 3 when records were
    /// lost, unless --allow-skips); call after the outputs are written.
    pub fn outcome(&self, run: &RunArgs) -> Outcome {
        self.console.outcome(self.skipped, run)
    }
}

/// The column holding each row's label, and the option that named it
/// (`--label-col`, or `--group-col` for keyness), for messages.
pub struct LabelColumn<'a> {
    pub name: &'a str,
    pub option: &'static str,
}

/// Read `text,label[,group]` rows and run `work(worker, text, label)` on
/// every row on all threads; rows with an empty label are left out (and
/// counted). `keep_text` keeps each row's text (for the training-data hash).
/// `--keep-cols` goes into the `--predictions` rows of `train` and `eval`:
/// without that file it has nowhere to go, and is refused.
pub fn keep_cols_need_predictions(input: &InputArgs, predictions: Option<&std::path::Path>) -> Result<()> {
    if !input.keep_cols.is_empty() && predictions.is_none() {
        anyhow::bail!(
            "--keep-cols: the kept columns are copied into the --predictions rows; give --predictions FILE (or leave --keep-cols out)"
        );
    }
    Ok(())
}

pub fn read_labelled<T: Send>(
    input: &InputArgs,
    label: LabelColumn<'_>,
    group_col: Option<&str>,
    run: &RunArgs,
    keep_text: bool,
    work: impl Fn(&mut Worker, &str, &str) -> T + Sync,
) -> Result<Labelled<T>> {
    let mut opts = input.read_options();
    let base = opts.keep_cols.len();
    opts.keep_col_roles = vec![ColumnRole::new("kept column", "--keep-cols"); base];
    opts.keep_cols.push(label.name.to_string());
    let what = if label.option == "--group-col" { "group column" } else { "label column" };
    opts.keep_col_roles.push(ColumnRole::new(what, label.option));
    if let Some(g) = group_col {
        opts.keep_cols.push(g.to_string());
        opts.keep_col_roles.push(ColumnRole::new("group column", "--group-col"));
    }
    let console = Console::with_progress(run.quiet, &input.inputs);
    let engine = Engine::new(run.engine_config())?;
    let mut out = Labelled {
        ids: vec![],
        texts: vec![],
        labels: vec![],
        groups: group_col.map(|_| vec![]),
        kept_names: input.keep_cols.clone(),
        kept: vec![],
        locations: vec![],
        results: vec![],
        skipped: 0,
        console: Console::new(run.quiet),
    };
    let mut empty_labels = 0;
    let mut first_empty = None;
    let summary = CorpusInput::with_options(input, opts).run(
        &engine,
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
                    first_empty.get_or_insert_with(|| format!("{} (document '{}')", doc.location, doc.id));
                    continue;
                };
                let mut kept = doc.kept.into_iter();
                out.kept.push(kept.by_ref().take(base).collect());
                out.labels.push(kept.next().unwrap_or_default().trim().to_string());
                if let Some(g) = &mut out.groups {
                    g.push(kept.next().unwrap_or_default());
                }
                out.ids.push(doc.id);
                out.locations.push(doc.location);
                out.texts.push(doc.text);
                out.results.push(result);
            }
            Ok(())
        },
        &console,
    )?;
    if let Some(first) = first_empty {
        console.info(&format!(
            "{empty_labels} row(s) with an empty {what} ('{}') left out, the first at {first}",
            label.name
        ));
    }
    out.skipped = summary.skipped;
    out.console = console;
    Ok(out)
}

/// `--group-domain`: each group value is a URL; group by its registrable
/// domain (the publisher). Values without a host keep their own value (so
/// they stay apart from every publisher) and are counted in a note.
pub fn group_by_domain<T>(data: &mut Labelled<T>, col: &str) {
    let Some(groups) = &mut data.groups else { return };
    let mut no_host = 0;
    let mut first = None;
    for (i, g) in groups.iter_mut().enumerate() {
        match slant::eval::folds::registrable_domain(g) {
            Some(d) => *g = d,
            None => {
                no_host += 1;
                first.get_or_insert_with(|| format!("{} ({:?})", data.locations[i], g));
            }
        }
    }
    let distinct: std::collections::BTreeSet<&String> = groups.iter().collect();
    let mut msg = format!("--group-domain: {} publisher domain(s) from column '{col}'", distinct.len());
    if let Some(first) = first {
        msg.push_str(&format!("; {no_host} value(s) without a host kept as they are, the first at {first}"));
    }
    data.console.info(&msg);
}
