//! `--format parquet`, the format taken from the output's name, and
//! `score --columns`, through the real binary on a corpus written here.
//! Every Parquet file is read back with the parquet crate and compared,
//! cell by cell, with the CSV of the same run.

use arrow_array::{Array, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use assert_cmd::Command;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use predicates::prelude::*;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

/// Four short articles of our own; `d3` has no words (its rates are
/// undefined: empty in the CSV, null in Parquet) and no outlet.
const CORPUS: &str = "id,outlet,text\n\
d1,east,\"Officials said the plan may possibly fail, critics argue. \"\"It is a disaster,\"\" the mayor told reporters.\"\n\
d2,west,\"Democrats and Republicans clearly disagree. A spokesperson, who asked not to be named, claimed the vote was rigged.\"\n\
d3,,\"...\"\n\
d4,east,\"The report suggests the economy might grow. According to analysts, it is very likely.\"\n";

fn corpus(dir: &Path) -> PathBuf {
    let p = dir.join("corpus.csv");
    fs::write(&p, CORPUS).unwrap();
    p
}

/// All batches of a Parquet file, concatenated per column.
fn read_parquet(path: &Path) -> (Vec<String>, Vec<DataType>, Vec<RecordBatch>, usize) {
    let file = fs::File::open(path).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let row_groups = builder.metadata().num_row_groups();
    let schema = builder.schema().clone();
    let names = schema.fields().iter().map(|f| f.name().clone()).collect();
    let types = schema.fields().iter().map(|f| f.data_type().clone()).collect();
    let batches = builder.build().unwrap().map(|b| b.unwrap()).collect();
    (names, types, batches, row_groups)
}

/// The cell as the CSV writes it (None for a null).
fn cell(batch: &RecordBatch, col: usize, row: usize) -> Option<String> {
    let a = batch.column(col);
    if a.is_null(row) {
        return None;
    }
    Some(match a.data_type() {
        DataType::Utf8 => a.as_any().downcast_ref::<StringArray>().unwrap().value(row).to_string(),
        DataType::Int64 => a.as_any().downcast_ref::<Int64Array>().unwrap().value(row).to_string(),
        DataType::Float64 => a.as_any().downcast_ref::<Float64Array>().unwrap().value(row).to_string(),
        t => panic!("unexpected type {t}"),
    })
}

/// The Parquet file holds the CSV's header, rows and values: text equal,
/// integers equal, decimals equal as numbers, empty cells as nulls.
fn assert_same_table(csv_path: &Path, parquet_path: &Path) -> (Vec<String>, Vec<DataType>) {
    let mut r = csv::Reader::from_path(csv_path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let (names, types, batches, _) = read_parquet(parquet_path);
    assert_eq!(names, header, "{}", parquet_path.display());
    let mut i = 0;
    for b in &batches {
        for row in 0..b.num_rows() {
            for (c, name) in names.iter().enumerate() {
                let want = &rows[i][c];
                match cell(b, c, row) {
                    None => assert_eq!(want, "", "{name} row {i}: null in Parquet, '{want}' in the CSV"),
                    Some(got) if types[c] == DataType::Float64 => {
                        assert_eq!(got.parse::<f64>().unwrap(), want.parse::<f64>().unwrap(), "{name} row {i}")
                    }
                    Some(got) => assert_eq!(&got, want, "{name} row {i}"),
                }
            }
            i += 1;
        }
    }
    assert_eq!(i, rows.len(), "{}: row count", parquet_path.display());
    (names, types)
}

/// The Arrow type each codebook type maps to.
fn codebook_types(dir: &Path) -> HashMap<(String, String), DataType> {
    let out = dir.join("codebook.csv");
    slant().arg("codebook").arg("-o").arg(&out).assert().success();
    let mut r = csv::Reader::from_path(&out).unwrap();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            let t = match &x[2] {
                "text" => DataType::Utf8,
                "integer" | "flag (0/1)" => DataType::Int64,
                d if d.starts_with("decimal") => DataType::Float64,
                other => panic!("codebook type {other}"),
            };
            ((x[0].to_string(), x[1].to_string()), t)
        })
        .collect()
}

#[test]
fn score_tables_in_parquet_match_the_csv_of_the_same_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path());
    let d = dir.path();
    for ext in ["csv", "parquet"] {
        slant()
            .arg("score")
            .arg(&input)
            .args(["--keep-cols", "outlet", "-q", "-o"])
            .arg(d.join(format!("s.{ext}")))
            .arg("--sentences")
            .arg(d.join(format!("se.{ext}")))
            .arg("--matches")
            .arg(d.join(format!("m.{ext}")))
            .arg("--sources")
            .arg(d.join(format!("so.{ext}")))
            .assert()
            .success();
    }
    let types = codebook_types(d);
    for (stem, file) in [("s", "scores"), ("se", "sentences"), ("m", "matches"), ("so", "sources")] {
        let parquet = d.join(format!("{stem}.parquet"));
        assert_eq!(&fs::read(&parquet).unwrap()[..4], b"PAR1", "{stem}: the name chose Parquet");
        let (names, got) = assert_same_table(&d.join(format!("{stem}.csv")), &parquet);
        for (name, t) in names.iter().zip(&got) {
            let want = if name == "outlet" { &DataType::Utf8 } else { &types[&(file.to_string(), name.clone())] };
            assert_eq!(t, want, "{file}.{name}");
        }
        // The manifest beside it, as for the CSV, with the same row count.
        let manifest: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(d.join(format!("{stem}.parquet.manifest.json"))).unwrap())
                .unwrap();
        let csv_manifest: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(d.join(format!("{stem}.csv.manifest.json"))).unwrap()).unwrap();
        assert_eq!(manifest["rows"], csv_manifest["rows"]);
        assert_eq!(manifest["output_kind"], file);
    }
    // The undefined rates of the empty document and its missing outlet are nulls.
    let (names, _, batches, _) = read_parquet(&d.join("s.parquet"));
    let col = |n: &str| names.iter().position(|x| x == n).unwrap();
    let b = &batches[0];
    let d3 = (0..b.num_rows()).find(|&r| cell(b, 0, r).as_deref() == Some("d3")).unwrap();
    assert_eq!(cell(b, col("n_words"), d3).as_deref(), Some("0"));
    assert_eq!(cell(b, col("hedge_per1k"), d3), None);
    assert_eq!(cell(b, col("outlet"), d3), None);
}

#[test]
fn a_long_table_is_written_in_several_row_groups() {
    let dir = tempfile::tempdir().unwrap();
    // 70,000 word tokens and as many full stops: more than one row group
    // of 65,536 rows, in batches of 8,192.
    let text = "Officials may cut taxes. ".repeat(14_000);
    let input = dir.path().join("long.txt");
    fs::write(&input, text).unwrap();
    let (csv_out, pq_out) = (dir.path().join("t.csv"), dir.path().join("t.parquet"));
    for out in [&csv_out, &pq_out] {
        slant().arg("tokens").arg(&input).arg("-q").arg("-o").arg(out).assert().success();
    }
    let (_, _, _, row_groups) = read_parquet(&pq_out);
    assert!(row_groups >= 2, "{row_groups} row group(s)");
    assert_same_table(&csv_out, &pq_out);
}

#[test]
fn every_table_writing_subcommand_takes_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = corpus(d);
    slant()
        .arg("score")
        .arg(&input)
        .args(["--keep-cols", "outlet", "-q", "-o"])
        .arg(d.join("s.csv"))
        .arg("--matches")
        .arg(d.join("m.csv"))
        .assert()
        .success();
    let runs: Vec<(&str, Vec<String>)> = vec![
        ("summarize", vec![d.join("s.csv").display().to_string(), "--by".into(), "outlet".into()]),
        ("terms", vec![d.join("m.csv").display().to_string()]),
        ("kwic", vec![input.display().to_string(), "--category".into(), "hedge".into(), "-q".into()]),
        ("tokens", vec![input.display().to_string(), "-q".into()]),
        ("codebook", vec![]),
    ];
    for (cmd, args) in runs {
        let (csv_out, pq_out) = (d.join(format!("{cmd}.csv")), d.join(format!("{cmd}.parquet")));
        for (out, format) in [(&csv_out, "csv"), (&pq_out, "parquet")] {
            slant().arg(cmd).args(&args).args(["--format", format, "-o"]).arg(out).assert().success();
        }
        let (names, _) = assert_same_table(&csv_out, &pq_out);
        assert!(!names.is_empty(), "{cmd}");
        assert!(d.join(format!("{cmd}.parquet.manifest.json")).exists(), "{cmd}");
    }
}

#[test]
fn format_and_output_name_agree_or_warn() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = corpus(d);
    // --format wins over the name, with a warning (not an error).
    let x = d.join("x.csv");
    slant()
        .arg("score")
        .arg(&input)
        .args(["--format", "tsv", "-o"])
        .arg(&x)
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: ").and(predicate::str::contains("x.csv is written as tsv")));
    assert!(fs::read_to_string(&x).unwrap().starts_with("doc_id\tn_words\t"));
    // -q silences the warning.
    slant().arg("score").arg(&input).args(["--format", "tsv", "-q", "-o"]).arg(&x).assert().success().stderr("");
    // Without --format each file is written as its name says.
    let (t, j, c) = (d.join("y.tsv"), d.join("y.jsonl"), d.join("y.out"));
    slant()
        .arg("score")
        .arg(&input)
        .arg("-q")
        .arg("-o")
        .arg(&t)
        .arg("--matches")
        .arg(&j)
        .arg("--sentences")
        .arg(&c)
        .assert()
        .success()
        .stderr("");
    assert!(fs::read_to_string(&t).unwrap().starts_with("doc_id\tn_words\t"));
    assert!(fs::read_to_string(&j).unwrap().starts_with("{\"doc_id\":"));
    let other = fs::read_to_string(&c).unwrap();
    assert!(other.starts_with("doc_id,") && !other.contains('\t'), "other names: CSV");
    // The same in another subcommand, through the same options.
    let k = d.join("k.parquet");
    slant()
        .arg("kwic")
        .arg(&input)
        .args(["--category", "hedge", "--format", "jsonl", "-o"])
        .arg(&k)
        .assert()
        .success()
        .stderr(predicate::str::contains("k.parquet is written as jsonl"));
    // --excel is for CSV; a Parquet name with it is refused before anything is written.
    let e = d.join("e.parquet");
    slant()
        .arg("score")
        .arg(&input)
        .arg("--excel")
        .arg("-o")
        .arg(&e)
        .assert()
        .failure()
        .stderr(predicate::str::contains("--excel and --resume work with --format csv only"));
    assert!(!e.exists());
}

#[test]
fn columns_keeps_id_kept_columns_and_the_named_groups() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = corpus(d);
    let (all, some) = (d.join("all.csv"), d.join("some.parquet"));
    slant().arg("score").arg(&input).args(["--keep-cols", "outlet", "-q", "-o"]).arg(&all).assert().success();
    slant()
        .arg("score")
        .arg(&input)
        .args(["--keep-cols", "outlet", "--columns", "hedge,party,n_words", "-q", "-o"])
        .arg(&some)
        .assert()
        .success();
    let (names, _, batches, _) = read_parquet(&some);
    let mut r = csv::Reader::from_path(&all).unwrap();
    let full: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let want: Vec<String> = full
        .iter()
        .filter(|n| {
            ["doc_id", "outlet", "n_words"].contains(&n.as_str()) || n.starts_with("hedge_") || n.starts_with("party_")
        })
        .cloned()
        .collect();
    assert_eq!(names, want, "the schema's order, only the chosen columns");
    assert!(names.iter().any(|n| n == "hedge_per1k") && names.iter().any(|n| n == "party_balance"));
    // Same values as the full table.
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let hedge = full.iter().position(|n| n == "hedge_n").unwrap();
    let got = names.iter().position(|n| n == "hedge_n").unwrap();
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(cell(&batches[0], got, i).as_deref(), Some(&row[hedge]));
    }
    // An unknown name is an error that lists the groups; nothing is written.
    let bad = d.join("bad.csv");
    slant().arg("score").arg(&input).args(["--columns", "hedge,hedges", "-o"]).arg(&bad).assert().failure().stderr(
        predicate::str::contains("'hedges' is neither a column group nor a column")
            .and(predicate::str::contains("Groups: text, hedge, distancing"))
            .and(predicate::str::contains("sources")),
    );
    assert!(!bad.exists());
}

#[test]
fn summarize_and_terms_read_parquet_as_they_read_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = corpus(d);
    for ext in ["csv", "parquet"] {
        slant()
            .arg("score")
            .arg(&input)
            .args(["--keep-cols", "outlet", "-q", "-o"])
            .arg(d.join(format!("s.{ext}")))
            .arg("--matches")
            .arg(d.join(format!("m.{ext}")))
            .assert()
            .success();
        slant()
            .arg("summarize")
            .arg(d.join(format!("s.{ext}")))
            .args(["--by", "outlet", "--format", "csv", "-o"])
            .arg(d.join(format!("sum_from_{ext}.csv")))
            .assert()
            .success();
        slant()
            .arg("terms")
            .arg(d.join(format!("m.{ext}")))
            .arg("--scores")
            .arg(d.join(format!("s.{ext}")))
            .args(["--by", "outlet", "-o"])
            .arg(d.join(format!("terms_from_{ext}.csv")))
            .assert()
            .success();
    }
    for stem in ["sum", "terms"] {
        let a = fs::read_to_string(d.join(format!("{stem}_from_csv.csv"))).unwrap();
        let b = fs::read_to_string(d.join(format!("{stem}_from_parquet.csv"))).unwrap();
        assert!(a.lines().count() > 2, "{a}");
        assert_eq!(a, b, "{stem}");
    }
}

#[test]
fn resume_checks_the_columns_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = corpus(d);
    let out = d.join("r.csv");
    slant().arg("score").arg(&input).args(["--columns", "hedge", "-q", "-o"]).arg(&out).assert().success();
    let before = fs::read_to_string(&out).unwrap();
    slant().arg("score").arg(&input).args(["--columns", "hedge", "--resume", "-q", "-o"]).arg(&out).assert().success();
    assert_eq!(fs::read_to_string(&out).unwrap(), before, "every document was done");
    slant()
        .arg("score")
        .arg(&input)
        .args(["--columns", "loaded", "--resume", "-o"])
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicate::str::contains("other options (columns)"));
    assert_eq!(fs::read_to_string(&out).unwrap(), before);
}
