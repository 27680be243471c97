//! `slant report`: one self-contained HTML file with a corpus summary
//! (histograms as inline SVG) and every document with its matches
//! highlighted, paginated in the browser. No network resources.

use super::common::{load_models, no_limit_if_zero, Console, CorpusInput, InputArgs, LexiconArgs, Outcome, RunArgs};
use anyhow::Result;
use clap::Args;
use slant::engine::{score_with_models, Engine, EngineConfig, Item};
use slant::output::report::Report;
use slant::output::AtomicOutput;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  slant report datasets/examples -o report.html
  slant report articles.csv --text-col body --limit 1000 --model models/leaning.json -o report.html")]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// The HTML file to write (`-` for standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// Report at most N documents (default and 0: all).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Also chart trained models' probability of their first label: one or
    /// more files (`--model a.json b.json`; repeatable).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub model: Vec<PathBuf>,

    /// The report's title.
    #[arg(long, default_value = "slant report")]
    pub title: String,

    #[command(flatten)]
    pub lexicons: LexiconArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

pub fn run(args: ReportArgs) -> Result<Outcome> {
    let set = args.lexicons.load()?;
    let models = load_models(&args.model)?;
    let out = AtomicOutput::create(Some(&args.output))?;
    let mut report = Report::new(&set, &models)?.with_kept_columns(&args.input.keep_cols);
    let console = Console::with_progress(args.run.quiet, &args.input.inputs);
    let engine = Engine::new(EngineConfig { limit: no_limit_if_zero(args.limit), ..args.run.engine_config() })?;
    let summary = CorpusInput::new(&args.input).run(
        &engine,
        |worker, doc| score_with_models(&set, &models, worker, doc),
        |batch| {
            for item in batch {
                match item {
                    Item::Done(scored) => report.add(&scored)?,
                    Item::Skipped(_) => report.skipped(),
                }
            }
            Ok(())
        },
        &console,
    )?;
    let n = report.n_docs();
    {
        let mut w = out.writer()?;
        report.finish(&args.title, &mut w)?;
    }
    out.commit()?;
    if out_is_file(&args.output) {
        console.info(&format!("wrote {n} document(s) to {}", args.output.display()));
    }
    Ok(console.outcome(summary.skipped, &args.run))
}

fn out_is_file(p: &std::path::Path) -> bool {
    p != std::path::Path::new("-")
}
