//! `slant tokens`: the token table a researcher would otherwise get from
//! spaCy (offsets, sentence, lowercase form, stem, part-of-speech tags,
//! quotation flag), from the same analysis `score` uses.

use super::common::{Console, CorpusInput, InputArgs, LexiconArgs, Outcome, OutputArgs, RunArgs};
use anyhow::Result;
use clap::Args;
use slant::engine::{tokens_of, Engine};
use slant::output::columns::token_schema;
use slant::output::lexicon_refs;
use slant::output::table::{RunInfo, Table};
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  slant tokens datasets/examples -o tokens.csv
  slant tokens articles.csv --text-col body --format jsonl -o tokens.jsonl

Columns: doc_id, sentence_idx, token_idx, char_start, char_end, text, lower, stem, upos,
xpos, in_quote (defined in `slant codebook`).")]
pub struct TokensArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// The token table (default: standard output), with a manifest beside it.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub output_options: OutputArgs,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub lexicons: LexiconArgs,
}

pub fn run(args: TokensArgs) -> Result<Outcome> {
    super::common::refuse_keep_cols(
        &args.input,
        "tokens",
        "the token table has a row per token: join it to `slant score --keep-cols` output on doc_id",
    )?;
    let set = args.lexicons.load()?;
    let schema = token_schema();
    args.output_options.check_outputs(
        &[("-o", args.output.as_deref())],
        &args.input.files_read(&args.lexicons.files()),
        args.run.quiet,
    )?;
    let config = args.output_options.config();
    let mut table = Table::create(args.output.as_deref(), &schema.header(), &schema.kinds(), "tokens", &config)?;
    let console = Console::with_progress(args.run.quiet, &args.input.inputs);
    let engine = Engine::new(args.run.engine_config())?;
    let mut cells = Vec::new();
    let summary = CorpusInput::new(&args.input).run(
        &engine,
        |worker, doc| tokens_of(&set, worker, doc),
        |batch| super::common::write_rows(&mut table, &schema, batch, |d| d.tokens.len(), &mut cells),
        &console,
    )?;
    let mut run = RunInfo::now(args.input.inputs.iter().map(|p| p.display().to_string()).collect());
    run.lexicons = lexicon_refs(&set);
    run.documents_scored = summary.processed;
    run.documents_skipped = summary.skipped;
    let rows = table.row_count;
    table.finish(&run)?;
    console.info(&format!("wrote {rows} token(s) of {} document(s)", summary.processed));
    Ok(console.outcome(summary.skipped, &args.run))
}
