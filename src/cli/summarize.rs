//! `slant summarize`: group comparison of a scores table (or any CSV/TSV
//! with numeric columns): per group and column n, mean, SD, median and a
//! bootstrap interval of the mean, in long form; and, for two groups, their
//! difference with its interval and Hedges' g. With --weight, the weighted
//! (pooled) figures.

use super::common::OutputArgs;
use anyhow::{anyhow, bail, Context, Result};
use clap::Args;
use rayon::prelude::*;
use slant::output::columns::{difference_schema, summary_schema};
use slant::output::parquet::CsvFromParquet;
use slant::output::table::{RunInfo, Table};
use slant::output::OutputFormat;
use slant::summarize::{
    difference, difference_weighted, summarize, summarize_weighted, Bootstrap, DifferenceRow, SummaryRow, Weighted,
};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  slant score articles.csv --keep-cols outlet -o scores.csv
  slant summarize scores.csv --by outlet -o by_outlet.csv
  slant summarize scores.csv --by leaning --columns hedge_per1k,sourcing_vague_n \\
      --compare left right --diff left_vs_right.csv -o by_leaning.csv
  slant summarize scores.csv --by outlet --columns hedge_per1k,quoted_word_share --weight n_words
      # pooled rate of each outlet: total hedge matches / total words x 1000

Default columns: every column whose name ends in _per1k, _share, _balance or starts with p_
(rates, shares and probabilities; counts grow with length, so compare them only with care).
Empty cells are left out of that column's figures (n says how many values each figure rests
on). Output columns are defined in the codebook (`slant codebook`, files summary and
summary_diff).

Weights: without --weight every document counts the same, so a 40-word brief moves a group
mean of hedge_per1k as much as a 4,000-word feature. --weight n_words weights each row by its
words: for a _per1k column the group mean becomes total count / total words x 1000 (the pooled
rate), and quoted_word_share becomes total quoted words / total words. Other rates have their
own denominators, for which n_words is not the right weight: _quoted_per1k (weight
n_quoted_words), sources_<type>_share (statements_n), _author_per1k (n_words - n_quoted_words,
not a column: add it to the table first); summarise those in their own run with --columns and
that --weight (with --weight n_words and no --columns, a note on standard error names the
default columns it does not pool). Rows of weight 0 are left out; the columns sum_weight and
n_eff (Kish's effective sample size) show how much the weights concentrate a group.")]
pub struct SummarizeArgs {
    /// A table written by `slant score -o` (CSV; TSV or Parquet when the name ends in .tsv or .parquet; .gz read too).
    #[arg(value_name = "TABLE")]
    pub input: PathBuf,

    /// Column whose values form the groups (e.g. outlet, leaning, a `--keep-cols` column).
    /// Without it the whole table is one group, `(all)`.
    #[arg(long, value_name = "COLUMN")]
    pub by: Option<String>,

    /// Columns to summarise (comma-separated). Default: the rate columns (see below).
    #[arg(long, value_delimiter = ',', value_name = "COLUMNS")]
    pub columns: Vec<String>,

    /// Two groups to compare (A minus B); the table goes to --diff.
    #[arg(long, num_args = 2, value_names = ["A", "B"], requires = "diff")]
    pub compare: Vec<String>,

    /// File for the difference table of --compare.
    #[arg(long, value_name = "FILE", requires = "compare")]
    pub diff: Option<PathBuf>,

    /// Weight each row by this numeric column (e.g. `--weight n_words`: the
    /// pooled rate of the group for _per1k columns; see below for other
    /// rates). Means, SDs, medians, intervals and Hedges' g become weighted;
    /// n stays the number of rows. An empty, negative or non-numeric weight
    /// is an error; rows of weight 0 are left out. Intervals need 10
    /// effective rows (Kish's n_eff) as well as 10 rows. The weight column
    /// itself is not summarised unless named in --columns.
    #[arg(long, value_name = "COLUMN")]
    pub weight: Option<String>,

    /// Bootstrap resamples (0 = no intervals).
    #[arg(long, default_value_t = 2000, value_name = "N")]
    pub resamples: usize,

    /// Seed of the bootstrap (same seed, same intervals).
    #[arg(long, default_value_t = 20240601)]
    pub seed: u64,

    /// Largest group bootstrapped; larger groups get the normal-theory
    /// interval (see the ci_method column). Groups of fewer than 10 values
    /// (with --weight, also of an n_eff below 10) get no interval: a
    /// bootstrap of so few is far too narrow.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub bootstrap_max_n: usize,

    /// Print nothing on standard error except errors.
    #[arg(short, long)]
    pub quiet: bool,

    /// Summary table (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub output_options: OutputArgs,
}

/// The group of a table without --by.
const ALL: &str = "(all)";

fn is_rate_column(name: &str) -> bool {
    name.ends_with("_per1k") || name.ends_with("_share") || name.ends_with("_balance") || name.starts_with("p_")
}

/// Whether n_words is the denominator of a rate column, and so the weight
/// that makes its group mean the pooled rate: the _per1k rates over all
/// words and quoted_word_share, not the voice rates (quoted or author's
/// words), shares of statements, balances or probabilities.
fn is_per_word_rate(name: &str) -> bool {
    let voice = name.ends_with("_quoted_per1k") || name.ends_with("_author_per1k");
    (name.ends_with("_per1k") && !voice) || name == "quoted_word_share"
}

/// How many column names a note lists before it says how many more there are.
const NOTE_NAMES: usize = 6;

/// A table slant wrote (CSV, or TSV when the name ends in .tsv, Parquet
/// when it ends in .parquet; gzip read too): its reader, header (BOM removed) and name for messages.
pub struct TableReader {
    pub reader: csv::Reader<Box<dyn Read>>,
    pub header: Vec<String>,
    pub name: String,
}

impl TableReader {
    pub fn open(path: &Path) -> Result<Self> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).with_context(|| format!("cannot open {name}"))?;
        let gz = path.extension().is_some_and(|e| e == "gz");
        let parquet = OutputFormat::from_path(path) == Some(OutputFormat::Parquet);
        let raw: Box<dyn Read> = if parquet {
            Box::new(CsvFromParquet::open(file).with_context(|| format!("{name}: cannot read as Parquet"))?)
        } else if gz {
            Box::new(flate2::read::MultiGzDecoder::new(file))
        } else {
            Box::new(file)
        };
        let delimiter = if name.trim_end_matches(".gz").ends_with(".tsv") { b'\t' } else { b',' };
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(raw);
        let header = reader
            .headers()
            .with_context(|| format!("{name}: cannot read the header row"))?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_string())
            .collect();
        Ok(TableReader { reader, header, name })
    }

    /// The index of column `col`, or an error naming the option and the columns there are.
    pub fn column(&self, col: &str, option: &str) -> Result<usize> {
        self.header.iter().position(|h| h == col).with_context(|| {
            format!(
                "{}: {option} '{col}' is not a column of this table (columns: {})",
                self.name,
                self.header.join(", ")
            )
        })
    }
}

/// Values per group and selected column, read in one pass.
struct Grouped {
    columns: Vec<String>,
    /// group -> per selected column, its non-empty values (and with
    /// --weight their rows' weights, rows of weight 0 left out).
    groups: BTreeMap<String, Vec<ColumnValues>>,
    rows: usize,
}

#[derive(Clone, Default)]
struct ColumnValues {
    values: Vec<f64>,
    /// Empty without --weight; else one weight per value.
    weights: Vec<f64>,
}

impl ColumnValues {
    fn weighted(&self) -> Weighted<'_> {
        Weighted { values: &self.values, weights: &self.weights }
    }
}

/// A cell's number, or what is wrong with it: "inf" and "1e400" parse (as
/// infinity) but are no usable value, and saying "not a number" of them
/// would puzzle.
fn finite_number(cell: &str) -> Result<f64, &'static str> {
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err("not a finite number"),
        Err(_) => Err("not a number"),
    }
}

fn read_table(args: &SummarizeArgs) -> Result<Grouped> {
    let table = TableReader::open(&args.input)?;
    let by = args.by.as_deref().map(|b| table.column(b, "--by")).transpose()?;
    let weight = args.weight.as_deref().map(|w| table.column(w, "--weight")).transpose()?;
    let selected: Vec<usize> = if args.columns.is_empty() {
        (0..table.header.len())
            .filter(|&i| Some(i) != by && Some(i) != weight && is_rate_column(&table.header[i]))
            .collect()
    } else {
        args.columns.iter().map(|c| table.column(c, "--columns")).collect::<Result<_>>()?
    };
    let TableReader { mut reader, header, name } = table;
    if selected.is_empty() {
        bail!(
            "{name}: no column to summarise: no name ends in _per1k, _share or _balance or starts with p_; \
             name them with --columns"
        );
    }
    let mut groups: BTreeMap<String, Vec<ColumnValues>> = BTreeMap::new();
    let mut record = csv::StringRecord::new();
    let mut rows = 0;
    while reader.read_record(&mut record).with_context(|| format!("{name}: cannot read row {}", rows + 2))? {
        rows += 1;
        let line = record.position().map_or(rows + 1, |p| p.line() as usize);
        let row_weight = match weight {
            None => None,
            Some(c) => {
                let cell = record.get(c).unwrap_or("").trim();
                let w = finite_number(cell).map_err(|what| {
                    anyhow!(
                        "{name}: line {line}: weight column '{}' holds {cell:?}, {what} \
                         (every row needs a weight >= 0; 0 leaves the row out)",
                        header[c]
                    )
                })?;
                if w < 0.0 {
                    bail!("{name}: line {line}: weight column '{}' holds {cell:?}, a negative weight", header[c]);
                }
                Some(w)
            }
        };
        let group = match by {
            Some(b) => record.get(b).unwrap_or("").to_string(),
            None => ALL.to_string(),
        };
        let columns = groups.entry(group).or_insert_with(|| vec![ColumnValues::default(); selected.len()]);
        for (k, &c) in selected.iter().enumerate() {
            let cell = record.get(c).unwrap_or("").trim();
            if cell.is_empty() {
                continue;
            }
            let v = finite_number(cell)
                .map_err(|what| anyhow!("{name}: line {line}: column '{}' holds {cell:?}, {what}", header[c]))?;
            match row_weight {
                None => columns[k].values.push(v),
                // A row of weight 0 adds nothing to a weighted figure; left
                // out so that n and the intervals count only rows that do.
                Some(0.0) => {}
                Some(w) => {
                    columns[k].values.push(v);
                    columns[k].weights.push(w);
                }
            }
        }
    }
    if rows == 0 {
        bail!("{name}: the table has a header but no rows");
    }
    Ok(Grouped { columns: selected.iter().map(|&c| header[c].clone()).collect(), groups, rows })
}

pub fn run(args: SummarizeArgs) -> Result<()> {
    let boot =
        Bootstrap { resamples: args.resamples, seed: args.seed, max_n: args.bootstrap_max_n, ..Bootstrap::default() };
    let data = read_table(&args)?;
    let by = args.by.clone().unwrap_or_default();
    args.output_options.check_outputs(
        &std::iter::once(("-o", args.output.as_deref()))
            .chain(args.diff.as_deref().map(|p| ("--diff", Some(p))))
            .collect::<Vec<_>>(),
        &slant::files::Reads::files(vec![args.input.as_path()]),
        args.quiet,
    )?;
    // The default columns mix rates of different denominators, and a plain
    // `--weight n_words` pools only those over all words (the --help says
    // so; this says which columns of this table it concerns).
    if !args.quiet && args.columns.is_empty() && args.weight.as_deref() == Some("n_words") {
        let others: Vec<&str> = data.columns.iter().map(String::as_str).filter(|c| !is_per_word_rate(c)).collect();
        if !others.is_empty() {
            let more = match others.len().saturating_sub(NOTE_NAMES) {
                0 => String::new(),
                k => format!(" and {k} more"),
            };
            note!(
                "slant: note: n_words is not the denominator of {}{more}: their weighted means are not pooled rates \
                 (summarise them with their own --weight and --columns; see --help)",
                others[..others.len().min(NOTE_NAMES)].join(", ")
            );
        }
    }
    let config = args.output_options.config();
    let mut run = RunInfo::now(vec![args.input.display().to_string()]);
    run.documents_scored = data.rows;

    // Both groups of --compare must exist before anything is written.
    for g in &args.compare {
        if !data.groups.contains_key(g) {
            bail!(
                "--compare: no group '{g}' in column '{by}' (groups: {})",
                data.groups.keys().cloned().collect::<Vec<_>>().join(", ")
            );
        }
    }
    let weighted = args.weight.is_some();
    let schema = summary_schema(&boot, args.weight.as_deref());
    let mut table = Table::create(args.output.as_deref(), &schema.header(), &schema.kinds(), "summary", &config)?;
    let mut cells = Vec::new();
    // Every (group, column) on all cores (each has its own seeded
    // generator, so the figures do not depend on the thread count), then
    // written in order.
    let work: Vec<(&String, &String, &ColumnValues)> = data
        .groups
        .iter()
        .flat_map(|(g, values)| data.columns.iter().zip(values).map(move |(c, v)| (g, c, v)))
        .collect();
    let rows: Vec<SummaryRow> = work
        .par_iter()
        .map(|&(group, column, v)| SummaryRow {
            by: by.clone(),
            group: group.clone(),
            column: column.clone(),
            summary: if weighted { summarize_weighted(v.weighted(), &boot) } else { summarize(&v.values, &boot) },
        })
        .collect();
    for row in &rows {
        schema.row(row, 0, &mut cells);
        table.write(&mut cells)?;
    }
    table.finish(&run)?;

    if let (Some(path), [a, b]) = (&args.diff, args.compare.as_slice()) {
        let (va, vb) = (&data.groups[a], &data.groups[b]);
        let schema = difference_schema(&boot, args.weight.as_deref());
        let mut table = Table::create(Some(path), &schema.header(), &schema.kinds(), "summary_diff", &config)?;
        for (k, column) in data.columns.iter().enumerate() {
            let row = DifferenceRow {
                by: by.clone(),
                group_a: a.clone(),
                group_b: b.clone(),
                column: column.clone(),
                difference: if weighted {
                    difference_weighted(va[k].weighted(), vb[k].weighted(), &boot)
                } else {
                    difference(&va[k].values, &vb[k].values, &boot)
                },
            };
            schema.row(&row, 0, &mut cells);
            table.write(&mut cells)?;
        }
        table.finish(&run)?;
    }
    Ok(())
}
