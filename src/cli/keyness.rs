//! `slant keyness`: rank stems and stem bigrams by how strongly they mark a
//! target group of documents against a reference group (weighted log-odds
//! with an informative Dirichlet prior, and signed chi-squared; see
//! [`slant::keyness`]), and optionally save the top terms as a sides file.

use super::common::{InputArgs, Outcome, OutputArgs, RunArgs};
use super::train::{fmt_num, read_labelled, LabelColumn};
use anyhow::{bail, Context, Result};
use clap::Args;
use slant::keyness::{self, Counts, Group, SidesSpec};
use slant::models::artifact::snake;
use slant::output::columns::Kind;
use slant::output::table::{RunInfo, Table};
use slant::output::{now_rfc3339, AtomicOutput};
use slant::signals::lexicon::Sides;
use slant::signals::table::is_snake_case;
use slant::signals::SignalSet;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  slant keyness corpus.csv --group-col leaning --target left --reference right -o keyness.csv
  slant keyness corpus.csv --group-col outlet --target fox --reference cnn --top 100 \\
      --min-count 10 --ngrams 1
  slant keyness corpus.csv --group-col leaning --target left --reference right \\
      --save-sides learned.tsv --dimension leaning --save-top 50 -o keyness.csv
  slant score new_articles/ --sides learned.tsv -o scores.csv

Output columns: term (stem or `stem stem`), kind (unigram|bigram), target_count,
reference_count, target_per10k, reference_per10k (per 10,000 tokens for unigrams, per
10,000 bigrams for bigrams), log_odds (weighted log-odds, Monroe, Colaresi & Quinn 2008,
informative Dirichlet prior), z (log_odds / its standard deviation), chi2 (2x2, no
continuity correction, + when over-represented in the target), rank_z. Rows are sorted by
z descending: terms marking the target come first, terms marking the reference last.")]
pub struct KeynessArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Column / field holding the group of each document (e.g. leaning, outlet).
    #[arg(long, value_name = "COLUMN")]
    pub group_col: String,

    /// Group value whose marker terms get positive z.
    #[arg(long, value_name = "VALUE")]
    pub target: String,

    /// Group value compared against (negative z). Rows of other groups are ignored.
    #[arg(long, value_name = "VALUE")]
    pub reference: String,

    /// CSV file to write (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Keep only the first N rows (the N terms with the highest z). Default: all.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Leave out terms occurring fewer than N times in the two groups together.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub min_count: u64,

    /// Largest n-gram of stems: 1 = unigrams, 2 = unigrams and bigrams.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub ngrams: u8,

    /// Weight of the informative Dirichlet prior as a share of the data:
    /// alpha0 = PRIOR x (tokens of both groups), alpha_w = PRIOR x (the term's
    /// pooled count). 1 uses the pooled corpus itself as the prior; smaller is weaker.
    #[arg(long, default_value_t = 0.01, value_name = "PRIOR")]
    pub prior: f64,

    /// Save the top terms as a sides file (docs/LEXICONS.md) for `slant score --sides`:
    /// side a = the --save-top terms with the highest z, side b = the lowest.
    #[arg(long, value_name = "FILE")]
    pub save_sides: Option<PathBuf>,

    /// Dimension name in the saved sides file (ASCII snake_case).
    #[arg(long, default_value = "keyness", value_name = "NAME")]
    pub dimension: String,

    /// Label of side a (the target) in the saved sides file. Default: the target value in snake_case.
    #[arg(long, value_name = "LABEL")]
    pub side_a_label: Option<String>,

    /// Label of side b (the reference) in the saved sides file. Default: the reference value in snake_case.
    #[arg(long, value_name = "LABEL")]
    pub side_b_label: Option<String>,

    /// Terms per side in the saved sides file.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub save_top: usize,

    #[command(flatten)]
    pub output_options: OutputArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

pub fn run(args: KeynessArgs) -> Result<Outcome> {
    super::common::refuse_keep_cols(
        &args.input,
        "keyness",
        "it ranks terms of groups of documents (leave --keep-cols out)",
    )?;
    if !(args.prior.is_finite() && args.prior > 0.0) {
        bail!("--prior must be a positive number, not {}", args.prior);
    }
    let (target, reference) = (args.target.trim(), args.reference.trim());
    if target == reference {
        bail!("--target and --reference are the same value {target:?}");
    }
    let label_a = args.side_a_label.clone().unwrap_or_else(|| snake(target));
    let label_b = args.side_b_label.clone().unwrap_or_else(|| snake(reference));
    if args.save_sides.is_some() {
        if !is_snake_case(&args.dimension) {
            bail!("--dimension {:?} must be ASCII snake_case", args.dimension);
        }
        for (flag, l) in [("--side-a-label", &label_a), ("--side-b-label", &label_b)] {
            if !is_snake_case(l) {
                bail!("{flag} {l:?} must be ASCII snake_case");
            }
        }
        if label_a == label_b {
            bail!("the two side labels are the same ({label_a:?}); set --side-a-label / --side-b-label");
        }
    }

    // Count every document of the two groups on all threads; merge in order.
    let set = SignalSet::builtin();
    let ngram_max = args.ngrams as usize;
    let mut data = read_labelled(
        &args.input,
        LabelColumn { name: &args.group_col, option: "--group-col" },
        None,
        &args.run,
        false,
        |w, text, label| {
            let group = match label {
                l if l == target => Group::Target,
                l if l == reference => Group::Reference,
                _ => return None,
            };
            let mut c = Counts::default();
            c.add_text(&set, w, text, group, ngram_max);
            Some(c)
        },
    )?;
    let mut values: BTreeMap<&str, usize> = BTreeMap::new();
    for l in &data.labels {
        *values.entry(l.as_str()).or_default() += 1;
    }
    for (flag, v) in [("--target", target), ("--reference", reference)] {
        if !values.contains_key(v) {
            let known: Vec<String> = values.iter().map(|(k, n)| format!("{k:?} ({n})")).collect();
            bail!(
                "{flag} value {v:?} does not occur in column '{}' (values, with document counts: {})",
                args.group_col,
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            );
        }
    }
    let counts = std::mem::take(&mut data.results).into_iter().flatten().fold(Counts::default(), Counts::merge);

    let ranked = keyness::rank(counts.score(args.prior), args.min_count);
    if !args.run.quiet {
        note!(
            "slant: {target:?}: {} documents, {} tokens; {reference:?}: {} documents, {} tokens; {} terms with count >= {}",
            counts.target.docs,
            counts.target.n_tokens(),
            counts.reference.docs,
            counts.reference.n_tokens(),
            ranked.len(),
            args.min_count
        );
    }

    let header = [
        "term",
        "kind",
        "target_count",
        "reference_count",
        "target_per10k",
        "reference_per10k",
        "log_odds",
        "z",
        "chi2",
        "rank_z",
    ];
    let mut kinds = vec![Kind::Decimal(17); header.len()];
    kinds[..2].fill(Kind::Text);
    kinds[2..4].fill(Kind::Integer);
    kinds[9] = Kind::Integer;
    let mut t = Table::create(args.output.as_deref(), &header, &kinds, "keyness", &args.output_options.config())?;
    let n = args.top.unwrap_or(ranked.len());
    for (i, s) in ranked.iter().take(n).enumerate() {
        t.write(&mut [
            s.term.clone(),
            s.kind.as_str().to_string(),
            s.target_count.to_string(),
            s.reference_count.to_string(),
            fmt_num(s.target_per10k),
            fmt_num(s.reference_per10k),
            fmt_num(s.log_odds),
            fmt_num(s.z),
            fmt_num(s.chi2),
            (i + 1).to_string(),
        ])?;
    }
    let mut run = RunInfo::now(args.input.inputs.iter().map(|p| p.display().to_string()).collect());
    run.documents_scored = data.ids.len();
    t.finish(&run)?;

    if let Some(path) = &args.save_sides {
        let inputs: Vec<String> = args.input.inputs.iter().map(|p| p.display().to_string()).collect();
        let command: Vec<String> = std::iter::once("slant".to_string())
            .chain(std::env::args().skip(1))
            .map(|a| if a.is_empty() || a.contains(char::is_whitespace) { format!("'{a}'") } else { a })
            .collect();
        let spec = SidesSpec {
            dimension: args.dimension.clone(),
            label_a: label_a.clone(),
            label_b: label_b.clone(),
            description: format!(
                "terms learned by slant keyness: {}={target} (a) vs {}={reference} (b)",
                args.group_col, args.group_col
            ),
            header: vec![
                "slant sides file learned by `slant keyness` (weighted log-odds with an informative Dirichlet prior,".into(),
                "Monroe, Colaresi & Quinn 2008, Political Analysis 16(4)).".into(),
                format!("command: {}", command.join(" ")),
                format!("created: {} (slant {})", now_rfc3339(), env!("CARGO_PKG_VERSION")),
                format!("corpus: {}", inputs.join(", ")),
                format!(
                    "groups: column '{}': target {target:?} ({} documents, {} tokens) vs reference {reference:?} ({} documents, {} tokens)",
                    args.group_col,
                    counts.target.docs,
                    counts.target.n_tokens(),
                    counts.reference.docs,
                    counts.reference.n_tokens()
                ),
                format!(
                    "settings: ngrams={} prior={} min_count={} save_top={}",
                    args.ngrams, args.prior, args.min_count, args.save_top
                ),
                format!(
                    "side a ({label_a}) = the terms with the highest z (over-represented in {target:?}); side b ({label_b}) = the lowest z."
                ),
                "Each pattern is the most frequent surface form of its stem(s); slant stems it again when loading.".into(),
                "Terms with a number are left out. Use with `slant score --sides FILE` (this replaces the shipped".into(),
                "sides file; to keep its dimensions, append these lines to a copy of models/lexicons/sides.tsv).".into(),
            ],
            top: args.save_top,
        };
        let (text, n) = keyness::sides_file(&ranked, &counts, &spec);
        // The file must load as `slant score --sides` would load it.
        let name = path.display().to_string();
        let sides = Sides::parse(&name, &text).context("internal error: the learned sides file does not parse")?;
        SignalSet::new(slant::signals::lexicon::Lexicon::builtin(), sides)
            .context("internal error: the learned sides file does not compile")?;
        let out = AtomicOutput::create(Some(path))?;
        {
            let mut w = out.writer()?;
            w.write_all(text.as_bytes())?;
            w.flush()?;
        }
        out.commit()?;
        if !args.run.quiet {
            note!("slant: wrote {} side-a and {} side-b patterns to {name}", n[0], n[1]);
        }
    }
    Ok(data.outcome(&args.run))
}
