//! `slant report`: one self-contained HTML file with a corpus summary
//! (histograms as inline SVG) and every document with its matches
//! highlighted, paginated in the browser. No network resources.

use super::common::{InputArgs, LexiconArgs};
use anyhow::Result;
use clap::Args;
use slant::engine::score_with_models;
use slant::models::artifact::TrainedModel;
use slant::output::report::Report;
use slant::output::AtomicOutput;
use slant::read::Corpus;
use slant::signals::Worker;
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
}

pub fn run(args: ReportArgs) -> Result<()> {
    let set = args.lexicons.load()?;
    let models = args.model.iter().map(|p| TrainedModel::load(p)).collect::<Result<Vec<_>, _>>()?;
    let out = AtomicOutput::create(Some(&args.output))?;
    let mut report = Report::new(&set, &models)?;
    let mut worker = Worker::default();
    let mut skipped = 0;
    let docs = Corpus::new(args.input.inputs.clone(), args.input.read_options()).skipping_bad(|_| skipped += 1);
    for doc in docs.take(args.limit.unwrap_or(usize::MAX)) {
        let doc = doc?;
        let scored = score_with_models(&set, &models, &mut worker, doc);
        report.add(&scored)?;
    }
    for _ in 0..skipped {
        report.skipped();
    }
    let n = report.n_docs();
    {
        let mut w = out.writer()?;
        report.finish(&args.title, &mut w)?;
    }
    out.commit()?;
    if out_is_file(&args.output) {
        eprintln!("slant: wrote {n} document(s) to {}", args.output.display());
    }
    Ok(())
}

fn out_is_file(p: &std::path::Path) -> bool {
    p != std::path::Path::new("-")
}
