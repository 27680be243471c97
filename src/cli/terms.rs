//! `slant terms`: which surface forms a category matched, how often, in how
//! many documents, per group: the first look a researcher takes before
//! trusting a category on a new corpus (is `attack` a heart attack here?).

use super::common::OutputArgs;
use super::summarize::TableReader;
use anyhow::{bail, Context, Result};
use clap::Args;
use slant::output::columns::terms_schema;
use slant::output::table::{RunInfo, Table};
use slant::summarize::{term_form, TermRow};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  slant score corpus.csv --keep-cols outlet -o scores.csv --matches matches.csv
  slant terms matches.csv --scores scores.csv -o terms.csv
  slant terms matches.csv --scores scores.csv --by outlet --category loaded --top 20 -o loaded_by_outlet.csv

Counts counted matches only (negated ones are left out, as in the scores). Per-1k rates and
document shares need --scores (the scores file of the same run: n_words and kept columns).
Output columns are defined in the codebook (`slant codebook`, file terms).")]
pub struct TermsArgs {
    /// The evidence file written by `slant score --matches` (CSV; TSV or Parquet by name; .gz read too).
    #[arg(value_name = "MATCHES")]
    pub matches: PathBuf,

    /// The scores file of the same run: words per document for per-1k rates and document shares,
    /// and the --by column.
    #[arg(long, value_name = "FILE")]
    pub scores: Option<PathBuf>,

    /// Group by this column of the scores file (e.g. a `--keep-cols` column such as outlet).
    #[arg(long, value_name = "COLUMN", requires = "scores")]
    pub by: Option<String>,

    /// Only these categories (comma-separated, e.g. hedge,loaded).
    #[arg(long, value_delimiter = ',', value_name = "CATEGORIES")]
    pub category: Vec<String>,

    /// Keep the N most frequent terms per group, category and subcategory (0 = all).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub top: usize,

    /// Output file (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub output_options: OutputArgs,
}

/// Group of a document without --by.
const ALL: &str = "(all)";

/// (group, category, subcategory, term): what a row of the table counts.
type TermKey = (String, String, String, String);

/// Per document of the scores file: its group and words.
struct Docs {
    group_of: HashMap<String, String>,
    /// group -> (documents, words)
    totals: BTreeMap<String, (usize, usize)>,
}

fn read_scores(path: &std::path::Path, by: Option<&str>) -> Result<Docs> {
    let table = TableReader::open(path)?;
    let id = table.column("doc_id", "--scores: column")?;
    let words = table.column("n_words", "--scores: column")?;
    let group = by.map(|b| table.column(b, "--by")).transpose()?;
    let TableReader { mut reader, name, .. } = table;
    let mut docs = Docs { group_of: HashMap::new(), totals: BTreeMap::new() };
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.with_context(|| format!("{name}: cannot read row {}", i + 2))?;
        let g = group.map_or(ALL, |c| rec.get(c).unwrap_or("")).to_string();
        let n: usize = rec.get(words).unwrap_or("").parse().with_context(|| {
            format!("{name}: line {}: n_words is {:?}, not a count", i + 2, rec.get(words).unwrap_or(""))
        })?;
        let t = docs.totals.entry(g.clone()).or_default();
        t.0 += 1;
        t.1 += n;
        docs.group_of.insert(rec.get(id).unwrap_or("").to_string(), g);
    }
    Ok(docs)
}

pub fn run(args: TermsArgs) -> Result<()> {
    let docs = args.scores.as_deref().map(|p| read_scores(p, args.by.as_deref())).transpose()?;
    let table = TableReader::open(&args.matches)?;
    let col = |c: &str| table.column(c, "matches file: column");
    let (id, cat, sub, text, negated) =
        (col("doc_id")?, col("category")?, col("subcategory")?, col("matched_text")?, col("negated")?);
    let TableReader { mut reader, name, .. } = table;
    let wanted: HashSet<&str> = args.category.iter().map(String::as_str).collect();
    let mut counts: BTreeMap<TermKey, (usize, HashSet<String>)> = BTreeMap::new();
    let mut unknown_docs = 0usize;
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.with_context(|| format!("{name}: cannot read row {}", i + 2))?;
        let field = |c: usize| rec.get(c).unwrap_or("");
        if field(negated) == "1" || (!wanted.is_empty() && !wanted.contains(field(cat))) {
            continue;
        }
        let doc = field(id);
        let group = match &docs {
            Some(d) => match d.group_of.get(doc) {
                Some(g) => g.clone(),
                None => {
                    unknown_docs += 1;
                    continue;
                }
            },
            None => ALL.to_string(),
        };
        let e =
            counts.entry((group, field(cat).to_string(), field(sub).to_string(), term_form(field(text)))).or_default();
        e.0 += 1;
        e.1.insert(doc.to_string());
    }
    if unknown_docs > 0 {
        bail!(
            "{name}: {unknown_docs} match(es) belong to documents that are not in the --scores file: \
             give the scores file of the same run"
        );
    }
    // Subcategory totals for the shares.
    let mut sub_totals: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for ((g, c, s, _), (n, _)) in &counts {
        *sub_totals.entry((g, c, s)).or_default() += n;
    }
    let mut rows: Vec<TermRow> = counts
        .iter()
        .map(|((g, c, s, t), (n, in_docs))| {
            let totals = docs.as_ref().and_then(|d| d.totals.get(g)).copied();
            TermRow {
                by: args.by.clone().unwrap_or_default(),
                group: g.clone(),
                category: c.clone(),
                subcategory: s.clone(),
                term: t.clone(),
                n: *n,
                n_docs: in_docs.len(),
                per1k: totals.and_then(|(_, w)| (w > 0).then(|| *n as f64 * 1000.0 / w as f64)),
                doc_share: totals.and_then(|(d, _)| (d > 0).then(|| in_docs.len() as f64 / d as f64)),
                share_of_subcategory: *n as f64 / sub_totals[&(g.as_str(), c.as_str(), s.as_str())] as f64,
            }
        })
        .collect();
    // Most frequent first within each group, category and subcategory.
    rows.sort_by(|a, b| {
        (&a.group, &a.category, &a.subcategory)
            .cmp(&(&b.group, &b.category, &b.subcategory))
            .then(b.n.cmp(&a.n))
            .then(a.term.cmp(&b.term))
    });
    let inputs: Vec<&std::path::Path> = std::iter::once(args.matches.as_path()).chain(args.scores.as_deref()).collect();
    args.output_options.check_outputs(&[("-o", args.output.as_deref())], &slant::files::Reads::files(inputs), false)?;
    let schema = terms_schema();
    let mut out = Table::create(
        args.output.as_deref(),
        &schema.header(),
        &schema.kinds(),
        "terms",
        &args.output_options.config(),
    )?;
    let (mut cells, mut rank, mut last) = (Vec::new(), 0usize, None);
    for r in &rows {
        let key = (&r.group, &r.category, &r.subcategory);
        rank = if last == Some(key) { rank + 1 } else { 1 };
        last = Some(key);
        if args.top == 0 || rank <= args.top {
            schema.row(r, 0, &mut cells);
            out.write(&mut cells)?;
        }
    }
    let mut inputs = vec![args.matches.display().to_string()];
    inputs.extend(args.scores.iter().map(|p| p.display().to_string()));
    let mut run = RunInfo::now(inputs);
    run.documents_scored = docs.as_ref().map_or(0, |d| d.group_of.len());
    out.finish(&run)?;
    Ok(())
}
