//! `slant report`: one self-contained HTML file with a corpus summary
//! (histograms as inline SVG) and every document with its matches
//! highlighted, paginated in the browser. No network resources.

use super::common::{Console, InputArgs, LexiconArgs, RunArgs};
use anyhow::Result;
use clap::Args;
use slant::engine::{score_with_models, Engine, EngineConfig, Item};
use slant::models::artifact::TrainedModel;
use slant::output::report::Report;
use slant::output::AtomicOutput;
use slant::read::Corpus;
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

    /// Report at most N documents (default: all).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Also chart a trained model's probability of its first label (repeatable).
    #[arg(long, value_name = "FILE")]
    pub model: Vec<PathBuf>,

    /// The report's title.
    #[arg(long, default_value = "slant report")]
    pub title: String,

    #[command(flatten)]
    pub lexicons: LexiconArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

pub fn run(args: ReportArgs) -> Result<()> {
    let set = args.lexicons.load()?;
    let models = args.model.iter().map(|p| TrainedModel::load(p)).collect::<Result<Vec<_>, _>>()?;
    let out = AtomicOutput::create(Some(&args.output))?;
    let mut report = Report::new(&set, &models)?;
    let console = Console::with_progress(args.run.quiet, &args.input.inputs);
    let engine = Engine::new(EngineConfig { limit: args.limit, ..args.run.engine_config() })?;
    let corpus = Corpus::new(args.input.inputs.clone(), args.input.read_options());
    engine.run(
        corpus,
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
    console.finish();
    let n = report.n_docs();
    {
        let mut w = out.writer()?;
        report.finish(&args.title, &mut w)?;
    }
    out.commit()?;
    if out_is_file(&args.output) {
        console.info(&format!("wrote {n} document(s) to {}", args.output.display()));
    }
    Ok(())
}

fn out_is_file(p: &std::path::Path) -> bool {
    p != std::path::Path::new("-")
}
