//! `slant kwic`: keyword in context. Every match of the chosen categories
//! (or of a pattern given on the command line) with its sentence around it:
//! where a category fires, read as a concordance instead of through pandas
//! on the evidence file.

use super::common::{Console, CorpusInput, InputArgs, LexiconArgs, Outcome, OutputArgs, RunArgs};
use anyhow::{bail, Result};
use clap::{ArgGroup, Args};
use slant::engine::{score_with_models, Engine};
use slant::kwic::{category_names, kwic_rows, pattern_set, KwicFilter, PATTERN_CATEGORY};
use slant::output::columns::kwic_schema;
use slant::output::lexicon_refs;
use slant::output::table::{RunInfo, Table};
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(
    group(ArgGroup::new("what").required(true).args(["category", "pattern"])),
    after_help = "Examples:
  slant kwic corpus/ --category hedge -o hedges.csv
  slant kwic articles.csv --text-col body --keep-cols outlet --category hedge --subcategory modal --width 60
  slant kwic articles.csv --pattern \"critics argue\" --pattern \"sources say\"
  slant kwic corpus/ --pattern \"comment{VERB}\" --width 0

One row per match: doc_id, kept columns, sentence_idx, char_start, char_end (as in the --matches
file of `slant score`), left, match, right (the sentence around the match, at most --width
characters each side), category, subcategory, rule, in_quote, negated (defined in `slant codebook`,
file kwic). --pattern takes lexicon syntax (docs/LEXICONS.md): `critics argue` matches \"critic
argued\" too, `=May` only that form, `word{VERB}` only the verb."
)]
pub struct KwicArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Matches of these categories (comma-separated or repeated), by their
    /// names in the --matches file: hedge, booster, attribution, sourcing,
    /// quotation, side_party, ... (`slant codebook` lists the lexicon's).
    #[arg(long, value_delimiter = ',', value_name = "CATEGORIES")]
    pub category: Vec<String>,

    /// Only these subcategories of the chosen categories (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "SUBCATEGORIES", requires = "category")]
    pub subcategory: Vec<String>,

    /// Matches of this pattern in lexicon syntax (repeatable), instead of
    /// the lexicon's categories; filed under category `pattern`.
    #[arg(long, value_name = "PATTERN", conflicts_with_all = ["category", "lexicon", "sides", "dicts"])]
    pub pattern: Vec<String>,

    /// Characters of the sentence shown on each side of the match (0 = the
    /// whole sentence).
    #[arg(long, default_value_t = 60, value_name = "CHARS")]
    pub width: usize,

    /// The concordance (default: standard output), with a manifest beside it.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub output_options: OutputArgs,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub lexicons: LexiconArgs,
}

pub fn run(args: KwicArgs) -> Result<Outcome> {
    let (set, filter) = if args.pattern.is_empty() {
        let set = args.lexicons.load()?;
        let known = category_names(&set);
        if let Some(unknown) = args.category.iter().find(|c| !known.contains(c)) {
            bail!("--category {unknown}: no such category (known: {})", known.join(", "));
        }
        let filter = KwicFilter { categories: args.category.clone(), subcategories: args.subcategory.clone() };
        check_subcategories(&set, &filter)?;
        (set, filter)
    } else {
        let filter = KwicFilter { categories: vec![PATTERN_CATEGORY.to_string()], subcategories: Vec::new() };
        (pattern_set(&args.pattern)?, filter)
    };
    let schema = kwic_schema(&args.input.keep_cols);
    args.output_options.check_outputs(
        &[("-o", args.output.as_deref())],
        &args.input.files_read(&args.lexicons.files()),
        args.run.quiet,
    )?;
    let config = args.output_options.config();
    let mut table = Table::create(args.output.as_deref(), &schema.header(), &schema.kinds(), "kwic", &config)?
        .lexicon_syntax_column("rule");
    let console = Console::with_progress(args.run.quiet, &args.input.inputs);
    let engine = Engine::new(args.run.engine_config())?;
    let mut cells = Vec::new();
    let summary = CorpusInput::new(&args.input).run(
        &engine,
        |worker, doc| kwic_rows(&set, &score_with_models(&set, &[], worker, doc), &filter, args.width),
        |batch| super::common::write_rows(&mut table, &schema, batch, |d| d.rows.len(), &mut cells),
        &console,
    )?;
    let mut run = RunInfo::now(args.input.inputs.iter().map(|p| p.display().to_string()).collect());
    run.lexicons = lexicon_refs(&set);
    run.documents_scored = summary.processed;
    run.documents_skipped = summary.skipped;
    run.options = serde_json::json!({
        "category": args.category,
        "subcategory": args.subcategory,
        "pattern": args.pattern,
        "width": args.width,
    });
    let rows = table.row_count;
    table.finish(&run)?;
    console.info(&format!("wrote {rows} match(es) in {} document(s)", summary.processed));
    Ok(console.outcome(summary.skipped, &args.run))
}

/// Every --subcategory is a subcategory of one of the chosen categories
/// (or a side label of a chosen side category): a typo would list nothing.
fn check_subcategories(set: &slant::signals::SignalSet, filter: &KwicFilter) -> Result<()> {
    let mut known: Vec<String> = Vec::new();
    for c in &filter.categories {
        if let Some(ci) = set.lexicon.category_index(c) {
            known.extend(set.lexicon.categories[ci].subcategories.iter().map(|s| s.name.clone()));
        }
        for d in &set.sides.dimensions {
            if *c == format!("side_{}", d.name) || *c == format!("side_{}_statement", d.name) {
                known.extend([d.side_a.clone(), d.side_b.clone()]);
            }
        }
    }
    if let Some(unknown) = filter.subcategories.iter().find(|s| !known.contains(s)) {
        bail!(
            "--subcategory {unknown}: not a subcategory of {} (known: {})",
            filter.categories.join(", "),
            known.join(", ")
        );
    }
    Ok(())
}
