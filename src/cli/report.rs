//! `slant report`: one self-contained HTML file with a corpus summary
//! (histograms and, with `--by`, box plots per group, as inline SVG), a
//! table of every document's scores to sort and filter, and the first
//! `--max-docs-text` documents with their matches highlighted. No network
//! resources.

use super::common::{
    load_lexicons_and_models, no_limit_if_zero, Console, CorpusInput, InputArgs, LexiconArgs, Outcome, RunArgs,
};
use anyhow::Result;
use clap::Args;
use slant::engine::{score_with_reuse, Engine, EngineConfig, Item, StackedReuse};
use slant::output::report::Report;
use slant::output::AtomicOutput;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  slant report datasets/examples -o report.html
  slant report articles.csv --text-col body --keep-cols outlet,date --by outlet -o report.html
  slant report articles.csv --text-col body --model models/leaning.json --max-docs-text 2000 -o report.html

The page has: histograms of every score; with --by, box plots of every score per group;
a table of every document (id, kept columns, scores) to sort by any column and filter
by kept value, id text or a score range; and the documents with every match highlighted
(a cue inside a quotation keeps its own colour, the quotation runs as a band beneath).
The highlighted text is the bulk of the file (about 30 KB per news article), so only the
first --max-docs-text documents carry it; every document is in the table.")]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// The HTML file to write (`-` for standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// Report at most N documents (default and 0: all).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Also chart trained models, every label: P(label) of a document-level
    /// model; mean, max and share of sentences above 0.5 of a sentence-level
    /// one. One or more files (`--model a.json b.json`; repeatable).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub model: Vec<PathBuf>,

    /// Draw box plots of every score per group of this column (read as a
    /// kept column: added to --keep-cols if not named there).
    #[arg(long, value_name = "COL")]
    pub by: Option<String>,

    /// Include the highlighted text of the first N documents only (0: all).
    /// Every document is in the sortable table and the charts.
    #[arg(long, value_name = "N", default_value_t = slant::output::report::DEFAULT_MAX_TEXT)]
    pub max_docs_text: usize,

    /// The report's title.
    #[arg(long, default_value = "slant report")]
    pub title: String,

    #[command(flatten)]
    pub lexicons: LexiconArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

pub fn run(mut args: ReportArgs) -> Result<Outcome> {
    if let Some(by) = &args.by {
        if !args.input.keep_cols.contains(by) {
            args.input.keep_cols.push(by.clone());
        }
    }
    let read: Vec<&std::path::Path> = args.model.iter().map(|p| p.as_path()).chain(args.lexicons.files()).collect();
    slant::files::check_distinct_outputs(&args.input.files_read(&read), &[("-o", args.output.as_path())])?;
    let (set, models) = load_lexicons_and_models(&args.lexicons, &args.model)?;
    let out = AtomicOutput::create(Some(&args.output))?;
    let mut report = Report::new(&set, &models)?
        .with_kept_columns(&args.input.keep_cols)
        .with_max_text(no_limit_if_zero(Some(args.max_docs_text)));
    if let Some(by) = &args.by {
        report = report.with_group_by(by)?;
    }
    let console = Console::with_progress(args.run.quiet, &args.input.inputs);
    let engine = Engine::new(EngineConfig { limit: no_limit_if_zero(args.limit), ..args.run.engine_config() })?;
    // Which stacked models are given as well (their rows reused), decided once.
    let reuse = StackedReuse::of(&models);
    let mut lost_values = 0;
    let summary = CorpusInput::new(&args.input).run(
        &engine,
        |worker, doc| score_with_reuse(&set, &models, &reuse, worker, doc),
        |batch| {
            for item in batch {
                match item {
                    Item::Done(scored) => {
                        if !scored.model_errors.is_empty() {
                            lost_values += 1;
                            for message in &scored.model_errors {
                                console.lost_values_line(&scored.doc.location, &scored.doc.id, message);
                            }
                        }
                        report.add(&scored)?
                    }
                    Item::Skipped(_) => report.skipped(),
                }
            }
            Ok(())
        },
        &console,
    )?;
    let (n, n_text) = (report.n_docs(), report.n_text());
    {
        let mut w = out.writer()?;
        report.finish(&args.title, &mut w)?;
    }
    out.commit()?;
    if out_is_file(&args.output) {
        let with_text = report_text_note(n, n_text);
        console.info(&format!("wrote {n} document(s) to {}{with_text}", args.output.display()));
    }
    Ok(console.outcome_with_lost_values(summary.skipped, lost_values, &args.run))
}

/// "" when every document's text is in the report, else how many are.
fn report_text_note(n: usize, n_text: usize) -> String {
    if n_text < n {
        format!(" (highlighted text of the first {n_text}; --max-docs-text to change)")
    } else {
        String::new()
    }
}

fn out_is_file(p: &std::path::Path) -> bool {
    p != std::path::Path::new("-")
}
