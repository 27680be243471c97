//! `slant keyness`: rank stems and stem bigrams by how strongly they mark a
//! target group of documents against a reference group (weighted log-odds
//! with an informative Dirichlet prior, and signed chi-squared; see
//! [`slant::keyness`]), and optionally save the top terms as a sides file.

use super::common::{InputArgs, Outcome, OutputArgs, RunArgs};
use super::labelled::{read_labelled, LabelColumn};
use anyhow::{bail, Context, Result};
use clap::Args;
use slant::keyness::{self, Counts, Group, SidesSpec, StopWords};
use slant::models::artifact::snake;
use slant::output::columns::keyness_schema;
use slant::output::table::{RunInfo, Table};
use slant::output::{now_rfc3339, AtomicOutput};
use slant::signals::lexicon::{Sides, BUILTIN_SIDES};
use slant::signals::table::is_snake_case;
use slant::signals::SignalSet;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  slant keyness corpus.csv --group-col leaning --target left --reference right -o keyness.csv
  slant keyness corpus.csv --group-col outlet --target fox -o fox_vs_rest.csv   # target vs rest
  slant keyness corpus.csv --group-col leaning --target left --reference right \\
      --stop-words --plot keyness.svg -o keyness.csv
  slant keyness corpus.csv --group-col leaning --target left --reference right \\
      --save-sides learned.tsv --dimension leaning --save-top 50 -o keyness.csv
  slant score new_articles/ --sides learned.tsv -o scores.csv

Output columns (defined in `slant codebook`): term (stem or `stem stem`), surface (its most
frequent surface form), forms (unigrams: top surface forms with counts), kind
(unigram|bigram), target_count, reference_count, target_per10k, reference_per10k (per 10,000
tokens for unigrams, per 10,000 bigrams for bigrams), log_odds (weighted log-odds, Monroe,
Colaresi & Quinn 2008, informative Dirichlet prior), z (log_odds / its standard deviation),
chi2 (2x2, no continuity correction, + when over-represented in the target), rank_z. Rows
are sorted by z descending: terms marking the target come first, the reference last.")]
pub struct KeynessArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Column / field holding the group of each document (e.g. leaning, outlet).
    #[arg(long, value_name = "COLUMN")]
    pub group_col: String,

    /// Group value whose marker terms get positive z.
    #[arg(long, value_name = "VALUE")]
    pub target: String,

    /// Group value compared against (negative z); rows of other groups are
    /// ignored. Left out: every document not in the target (target vs rest).
    #[arg(long, value_name = "VALUE")]
    pub reference: Option<String>,

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

    /// Remove stop words before scoring: the shipped list of English function
    /// words (articles, pronouns, auxiliaries, prepositions, conjunctions; not
    /// modals, negation or speech verbs, which slant measures), or FILE (one
    /// word per line; `slant lexicon export stopwords` writes the shipped one
    /// to edit). Words match by stem; a bigram goes when either word is a stop word.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub stop_words: Option<Option<PathBuf>>,

    /// Also draw the top terms of each side as a bar chart of z (standalone SVG).
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,

    /// Terms per side in the --plot chart.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub plot_top: usize,

    /// Save the top terms as a sides file (docs/LEXICONS.md) for `slant score --sides`:
    /// side a = the --save-top terms with the highest z, side b = the lowest. The file is
    /// the shipped sides file with the learned dimension added (so party, stance and
    /// ideology keep working), unless --replace-sides.
    #[arg(long, value_name = "FILE")]
    pub save_sides: Option<PathBuf>,

    /// With --save-sides: write only the learned dimension (loading it with --sides then
    /// replaces the shipped dimensions).
    #[arg(long, requires = "save_sides")]
    pub replace_sides: bool,

    /// Dimension name in the saved sides file (ASCII snake_case; not one of the shipped
    /// dimensions unless --replace-sides).
    #[arg(long, default_value = "keyness", value_name = "NAME")]
    pub dimension: String,

    /// Label of side a (the target) in the saved sides file. Default: the target value in snake_case.
    #[arg(long, value_name = "LABEL")]
    pub side_a_label: Option<String>,

    /// Label of side b (the reference) in the saved sides file. Default: the reference value
    /// in snake_case (`not_<target>` for target vs rest).
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
    let target = args.target.trim();
    let reference = args.reference.as_deref().map(str::trim);
    if reference == Some(target) {
        bail!("--target and --reference are the same value {target:?}");
    }
    // How the reference is named in messages, the plot and the sides file.
    let reference_name = reference.map(str::to_string).unwrap_or_else(|| format!("not {target}"));
    let label_a = args.side_a_label.clone().unwrap_or_else(|| snake(target));
    let label_b = args.side_b_label.clone().unwrap_or_else(|| match reference {
        Some(r) => snake(r),
        None => format!("not_{}", snake(target)),
    });
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
        if !args.replace_sides {
            // Fail before reading the corpus, not after.
            keyness::add_to_sides("builtin:sides.tsv", BUILTIN_SIDES, "", &args.dimension)
                .map_err(|e| anyhow::anyhow!("--dimension: the shipped sides file {}", e.message))?;
        }
    }
    let read = args.input.files_read(&args.stop_words.iter().flatten().map(|p| p.as_path()).collect::<Vec<_>>());
    args.output_options.check_outputs(&[("-o", args.output.as_deref())], &read, args.run.quiet)?;
    // The chart and the sides file are no tables, but must not replace an
    // input or another output either.
    let others: Vec<(&str, &std::path::Path)> = [
        ("-o", Some(args.output.as_deref().unwrap_or(std::path::Path::new("-")))),
        ("--plot", args.plot.as_deref()),
        ("--save-sides", args.save_sides.as_deref()),
    ]
    .into_iter()
    .filter_map(|(flag, p)| p.map(|p| (flag, p)))
    .collect();
    slant::files::check_distinct_outputs(&read, &others)?;
    let stop_words = match &args.stop_words {
        None => None,
        Some(None) => Some(StopWords::builtin()),
        Some(Some(path)) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the stop-word list {}", path.display()))?;
            Some(StopWords::parse(&path.display().to_string(), &text)?)
        }
    };

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
            let group = match (label, reference) {
                (l, _) if l == target => Group::Target,
                (l, Some(r)) if l == r => Group::Reference,
                (_, Some(_)) => return None,
                (_, None) => Group::Reference,
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
    let known = || -> String {
        let v: Vec<String> = values.iter().map(|(k, n)| format!("{k:?} ({n})")).collect();
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    for (flag, v) in std::iter::once(("--target", target)).chain(reference.map(|r| ("--reference", r))) {
        if !values.contains_key(v) {
            bail!(
                "{flag} value {v:?} does not occur in column '{}' (values, with document counts: {})",
                args.group_col,
                known()
            );
        }
    }
    if reference.is_none() && values.len() < 2 {
        bail!(
            "no document outside --target {target:?} to compare with (column '{}' values: {})",
            args.group_col,
            known()
        );
    }
    let counts = std::mem::take(&mut data.results).into_iter().flatten().fold(Counts::default(), Counts::merge);

    let ranked = keyness::rank(counts.score(args.prior, stop_words.as_ref()), args.min_count);
    if !args.run.quiet {
        note!(
            "slant: {target:?}: {} documents, {} tokens; {reference_name:?}: {} documents, {} tokens; {} terms with count >= {}{}",
            counts.target.docs,
            counts.target.n_tokens(),
            counts.reference.docs,
            counts.reference.n_tokens(),
            ranked.len(),
            args.min_count,
            match &stop_words {
                Some(s) => format!(" after removing the {} stop words of {}", s.n_words, s.source),
                None => String::new(),
            }
        );
    }

    let schema = keyness_schema();
    let mut t = Table::create(
        args.output.as_deref(),
        &schema.header(),
        &schema.kinds(),
        "keyness",
        &args.output_options.config(),
    )?;
    let mut cells = Vec::new();
    for (i, s) in ranked.iter().take(args.top.unwrap_or(ranked.len())).enumerate() {
        schema.row(s, i, &mut cells);
        t.write(&mut cells)?;
    }
    let mut run = RunInfo::now(args.input.inputs.iter().map(|p| p.display().to_string()).collect());
    run.documents_scored = data.ids.len();
    t.finish(&run)?;

    if let Some(path) = &args.plot {
        let svg = slant::output::plot::keyness_svg(&ranked, args.plot_top, target, &reference_name);
        write_file(path, &svg)?;
        if !args.run.quiet {
            note!("slant: wrote the keyness chart to {}", path.display());
        }
    }

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
                "terms learned by slant keyness: {}={target} (a) vs {}={reference_name} (b)",
                args.group_col, args.group_col
            ),
            header: vec![
                "slant sides dimension learned by `slant keyness` (weighted log-odds with an informative Dirichlet prior,".into(),
                "Monroe, Colaresi & Quinn 2008, Political Analysis 16(4)).".into(),
                format!("command: {}", command.join(" ")),
                format!("created: {} (slant {})", now_rfc3339(), env!("CARGO_PKG_VERSION")),
                format!("corpus: {}", inputs.join(", ")),
                format!(
                    "groups: column '{}': target {target:?} ({} documents, {} tokens) vs reference {reference_name:?} ({} documents, {} tokens)",
                    args.group_col,
                    counts.target.docs,
                    counts.target.n_tokens(),
                    counts.reference.docs,
                    counts.reference.n_tokens()
                ),
                format!(
                    "settings: ngrams={} prior={} min_count={} save_top={} stop_words={}",
                    args.ngrams,
                    args.prior,
                    args.min_count,
                    args.save_top,
                    stop_words.as_ref().map_or("none", |s| s.source.as_str())
                ),
                format!(
                    "side a ({label_a}) = the terms with the highest z (over-represented in {target:?}); side b ({label_b}) = the lowest z."
                ),
                "Each pattern is the most frequent surface form of its stem(s); slant stems it again when loading.".into(),
                "Terms with a number are left out.".into(),
            ],
            top: args.save_top,
        };
        let (learned, n) = keyness::sides_file(&ranked, &counts, &spec);
        let text = if args.replace_sides {
            learned
        } else {
            keyness::add_to_sides("builtin:sides.tsv", BUILTIN_SIDES, &learned, &args.dimension)?
        };
        // The file must load as `slant score --sides` would load it.
        let name = path.display().to_string();
        let sides = Sides::parse(&name, &text).context("internal error: the learned sides file does not parse")?;
        SignalSet::new(slant::signals::lexicon::Lexicon::builtin(), sides)
            .context("internal error: the learned sides file does not compile")?;
        write_file(path, &text)?;
        if !args.run.quiet {
            note!(
                "slant: wrote {} side-a and {} side-b patterns to {name}{}",
                n[0],
                n[1],
                if args.replace_sides { " (learned dimension only)" } else { ", after the shipped dimensions" }
            );
        }
    }
    Ok(data.outcome(&args.run))
}

/// Write a whole text file atomically.
fn write_file(path: &std::path::Path, text: &str) -> Result<()> {
    let out = AtomicOutput::create(Some(path))?;
    {
        let mut w = out.writer()?;
        w.write_all(text.as_bytes())?;
        w.flush()?;
    }
    out.commit()?;
    Ok(())
}
