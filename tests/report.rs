//! `slant report` through the real binary: one self-contained HTML file.

use assert_cmd::Command;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn slant() -> Command {
    Command::cargo_bin("slant").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn report(args: &[&str], out: &Path) -> String {
    slant().arg("report").args(args).arg("-o").arg(out).assert().success();
    fs::read_to_string(out).unwrap()
}

/// The report's JSON data block (every document's id, kept values, scores).
fn data_block(html: &str) -> serde_json::Value {
    let block = html
        .split("<script type=\"application/json\" id=\"slant-data\">")
        .nth(1)
        .expect("a data block")
        .split("</script>")
        .next()
        .unwrap();
    // Nothing in it can close the script element or start markup.
    assert!(!block.contains('<'), "a '<' in the data block");
    serde_json::from_str(block).unwrap()
}

/// The document sections: (data-doc-id, section html).
fn sections(html: &str) -> Vec<(String, String)> {
    html.split("<section class=\"doc\"")
        .skip(1)
        .map(|s| {
            let s = s.split("</section>").next().unwrap();
            let id = s.split("data-doc-id=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
            (id, s.to_string())
        })
        .collect()
}

/// The values of attribute `attr` on every `<mark` of a fragment.
fn mark_attrs(section: &str, attr: &str) -> Vec<String> {
    section
        .split("<mark ")
        .skip(1)
        .map(|m| {
            let tag = format!(" {}", m.split('>').next().unwrap());
            tag.split(&format!(" {attr}=\""))
                .nth(1)
                .unwrap_or_else(|| panic!("no {attr} in {tag}"))
                .split('"')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Everything outside the documents' `<div class="text">` blocks.
fn outside_texts(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<div class=\"text\">") {
        out.push_str(&rest[..i]);
        let j = rest[i..].find("</div>").expect("unclosed text div");
        rest = &rest[i + j..];
    }
    out.push_str(rest);
    out
}

#[test]
fn report_on_the_examples_is_self_contained_with_charts_and_sections() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let html = report(
        &[
            root().join("datasets/examples").to_str().unwrap(),
            "--model",
            root().join("models/leaning.json").to_str().unwrap(),
        ],
        &out,
    );
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(sections(&html).len(), 16);
    assert!(html.contains("<svg"));
    let data = data_block(&html);
    let columns: Vec<&str> = data["columns"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert!(columns.contains(&"hedge_per1k") && columns.contains(&"party_balance"), "{columns:?}");
    // Every label of the model is charted under the model's and the label's
    // names, and is a column of the table under its scores-file name.
    for label in ["center", "left", "right"] {
        assert!(html.contains(&format!("<figcaption>leaning: P({label})</figcaption>")), "{label}");
        assert!(columns.contains(&format!("p_leaning_{label}").as_str()), "{label}");
    }
    assert!(html.contains(
        "data-model=\"leaning\" data-level=\"document\">model <b>leaning</b> (document level): P(center) = "
    ));
    assert!(html.contains("<span id=\"n-docs\">16</span>"));
    assert!(html.contains("class=\"page-indicator\""));
    // No network: no resource attributes pointing outside, no external
    // stylesheets or scripts, and no URL outside the documents' own text.
    for attr in ["src=", "href="] {
        for v in html.split(attr).skip(1) {
            let v = v.trim_start_matches(['"', '\'']);
            assert!(!v.starts_with("http") && !v.starts_with("//"), "{attr}{}", &v[..v.len().min(40)]);
        }
    }
    for bad in ["<link", "<script src", "@import", "url(", "<iframe", "<img"] {
        assert!(!html.contains(bad), "{bad}");
    }
    let outside = outside_texts(&html);
    assert!(!outside.contains("http://") && !outside.contains("https://"));
    // The example corpus does contain one URL, escaped in its text.
    assert!(html.contains("https://example.org/report"));
}

/// In each document section, the distinct ordinals in the marks' `data-m`
/// are exactly the counted framing matches: the `score --matches` rows
/// with negated = 0 whose category is not a side (`side_*`). Every mark
/// of a framing category carries at least one, side-only marks none.
#[test]
fn marks_cover_exactly_the_counted_framing_matches() {
    let dir = tempfile::tempdir().unwrap();
    let (out, scores, matches) =
        (dir.path().join("report.html"), dir.path().join("scores.csv"), dir.path().join("matches.csv"));
    let examples = root().join("datasets/examples");
    let html = report(&[examples.to_str().unwrap()], &out);
    slant().arg("score").arg(&examples).arg("-o").arg(&scores).arg("--matches").arg(&matches).assert().success();
    let mut want: BTreeMap<String, usize> = BTreeMap::new();
    let mut r = csv::Reader::from_path(&matches).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (di, ci, ni) = (col("doc_id"), col("category"), col("negated"));
    for rec in r.records() {
        let rec = rec.unwrap();
        let e = want.entry(rec[di].to_string()).or_default();
        if &rec[ni] == "0" && !rec[ci].starts_with("side_") {
            *e += 1;
        }
    }
    let secs = sections(&html);
    assert_eq!(secs.len(), want.len());
    let mut total = 0;
    for (id, sec) in &secs {
        let ids: BTreeSet<usize> = mark_attrs(sec, "data-m")
            .iter()
            .flat_map(|v| v.split_whitespace().map(|x| x.parse::<usize>().unwrap()).collect::<Vec<_>>())
            .collect();
        let n = want[id.as_str()];
        assert_eq!(ids.len(), n, "document {id}");
        assert_eq!(ids, (0..n).collect::<BTreeSet<_>>(), "document {id}");
        // A mark's first class is its category's, or `side` for a side
        // mention alone (a framing mark over a side mention adds `side`).
        for (class, m) in mark_attrs(sec, "class").iter().zip(mark_attrs(sec, "data-m")) {
            assert_eq!(class == "side", m.is_empty(), "document {id}: class {class}, data-m {m:?}");
        }
        for (class, cat) in mark_attrs(sec, "class").iter().zip(mark_attrs(sec, "data-category")) {
            if class != "side" {
                assert_eq!(class.split(' ').next().unwrap(), format!("cat-{cat}"));
            }
        }
        total += n;
    }
    assert!(total > 300, "{total}");
}

#[test]
fn document_text_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(
        docs.join("x<y>.txt"),
        "Officials said the plan may <script>alert(1)</script> fail & \"critics\" argue it's <b>bad</b>.\n",
    )
    .unwrap();
    let out = dir.path().join("report.html");
    let html = report(&[docs.to_str().unwrap(), "--title", "<i>t</i>"], &out);
    assert_eq!(html.matches("<script").count(), 2, "only the report's own data block and script");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<b>bad"));
    assert!(html.contains("&lt;b&gt;bad"));
    assert!(html.contains("&amp;"));
    assert!(html.contains("data-doc-id=\"x&lt;y&gt;\""));
    assert!(html.contains("&lt;i&gt;t&lt;/i&gt;"));
    assert!(html.contains("data-category=\"hedge\""));
}

#[test]
fn limit_and_pagination_for_many_documents() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("many.csv");
    let mut body = String::from("id,text\n");
    for i in 0..45 {
        body.push_str(&format!("d{i},\"Critics argue the plan may fail, officials said. Doc {i}.\"\n"));
    }
    fs::write(&csv, body).unwrap();
    let out = dir.path().join("report.html");
    let html = report(&[csv.to_str().unwrap()], &out);
    assert_eq!(sections(&html).len(), 45);
    assert!(html.contains("Page 1 of 3"));
    assert!(html.contains("data-per-page=\"20\""));
    let html = report(&[csv.to_str().unwrap(), "--limit", "5"], &out);
    assert_eq!(sections(&html).len(), 5);
    assert!(html.contains("Page 1 of 1"));
}

/// Everything a document brings (its id, its text, its kept columns) and
/// the title reach the page only as escaped text: no element, attribute or
/// entity of theirs survives.
#[test]
fn ids_texts_kept_columns_and_titles_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(["id", "text", "outlet"]).unwrap();
    w.write_record([
        "<b id=\"x\">d1</b>",
        "Officials said the plan may <script>alert(1)</script> fail, \"critics\" & ampersands argue.",
        "<img src=x onerror=alert(2)>",
    ])
    .unwrap();
    w.write_record(["a\"b&c", "Critics argue it's \"likely\" <i>bad</i> & worse.", "\"><script>alert(3)</script>"])
        .unwrap();
    w.flush().unwrap();
    let out = dir.path().join("report.html");
    let html = report(&[path.to_str().unwrap(), "--keep-cols", "outlet", "--title", "\"<t>\" & co"], &out);
    assert_eq!(html.matches("<script").count(), 2, "only the report's own data block and script");
    // The data block holds the values as JSON strings with no '<' (checked
    // by data_block); the page script writes them only as text.
    let data = data_block(&html);
    assert_eq!(data["kept"][0][0], "<img src=x onerror=alert(2)>");
    assert_eq!(data["ids"][1], "a\"b&c");
    let markup = html.split("<script type=\"application/json\"").next().unwrap();
    for bad in ["<b ", "<i>", "<img", "<t>", "alert(2)>"] {
        assert!(!markup.contains(bad), "{bad}");
    }
    // Kept columns are shown with each document (#14 item 8), as text.
    assert!(html.contains("outlet: &lt;img src=x onerror=alert(2)&gt;"));
    assert!(html.contains("outlet: &quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"));
    // Text: tags, quotes and ampersands escaped.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // (The quoted words are marked, so the quotes and what follows are checked.)
    assert!(html.contains("fail, &quot;<mark"));
    assert!(html.contains("</mark>&quot; &amp; "));
    assert!(html.contains("&lt;i&gt;bad&lt;/i&gt; &amp; worse."));
    // Ids in attributes and in headings.
    assert!(html.contains("data-doc-id=\"&lt;b id=&quot;x&quot;&gt;d1&lt;/b&gt;\""));
    assert!(html.contains("<h3>&lt;b id=&quot;x&quot;&gt;d1&lt;/b&gt; <span class=\"kept\" data-name=\"outlet\">"));
    assert!(html.contains("data-doc-id=\"a&quot;b&amp;c\""));
    // Title in <title> and <h1>.
    assert_eq!(html.matches("&quot;&lt;t&gt;&quot; &amp; co").count(), 2);
    // The documents were still read and marked.
    let secs = sections(&html);
    assert_eq!(secs.len(), 2);
    assert!(secs.iter().all(|(_, s)| s.contains("<mark ")));
}

/// A chart's title is escaped in the caption and in the SVG's label.
#[test]
fn histogram_titles_are_escaped() {
    let svg = slant::output::report::histogram_svg("<x\"&>", &[Some(0.5), None], 0.0, 1.0, 4).into_string();
    assert!(!svg.contains("<x"));
    assert!(svg.contains("<figcaption>&lt;x&quot;&amp;&gt;</figcaption>"));
    assert!(svg.contains("aria-label=\"histogram of &lt;x&quot;&amp;&gt;\""));
    assert!(svg.contains("1 documents; 1 undefined (not shown)"));
    // SVG elements are closed explicitly (no self-closing tags to misparse).
    assert_eq!(svg.matches("<line ").count(), svg.matches("</line>").count());
}

/// A CSV we write: `n` documents, outlets A, B, C in turn; outlet A's
/// documents hedge more than the others.
fn outlet_corpus(path: &Path, n: usize) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(["id", "text", "outlet", "desk"]).unwrap();
    for i in 0..n {
        let outlet = ["A", "B", "C"][i % 3];
        let text = if outlet == "A" {
            format!("The council may perhaps approve the plan, officials said. It could possibly pass in week {i}.")
        } else {
            format!("The council approved the plan on Monday, officials said. It passed in week {i}.")
        };
        w.write_record([format!("d{i}"), text, outlet.to_string(), format!("desk{}", i % 2)]).unwrap();
    }
    w.flush().unwrap();
}

/// `--by outlet` draws one box plot per score with one row per group, even
/// when the column was not named in `--keep-cols`; the table's data carries
/// the kept values and the same numbers as the scores file.
#[test]
fn by_draws_box_plots_per_group_and_the_table_data_matches_the_scores() {
    let dir = tempfile::tempdir().unwrap();
    let (csv_path, out, scores) = (dir.path().join("c.csv"), dir.path().join("r.html"), dir.path().join("s.csv"));
    outlet_corpus(&csv_path, 12);
    let html = report(&[csv_path.to_str().unwrap(), "--keep-cols", "desk", "--by", "outlet", "-q"], &out);
    let groups = html.split("<section id=\"groups\" data-by=\"outlet\">").nth(1).expect("a groups section");
    let groups = groups.split("</section>").next().unwrap();
    let hedge = groups
        .split("<figure class=\"chart groups\" data-column=\"hedge_per1k\">")
        .nth(1)
        .expect("a hedge box plot")
        .split("</figure>")
        .next()
        .unwrap();
    for g in ["A", "B", "C"] {
        assert!(hedge.contains(&format!("<g class=\"group\" data-group=\"{g}\">")), "{g}");
        assert!(hedge.contains(&format!("<title>{g}: n = 4, median ")), "{g}");
    }
    for column in ["distancing_per1k", "party_balance"] {
        assert!(groups.contains(&format!("data-column=\"{column}\"")), "{column}");
    }
    // The table data: ids, both kept columns (--by added), values per column.
    slant().arg("score").arg(&csv_path).args(["-q", "-o"]).arg(&scores).assert().success();
    let data = data_block(&html);
    assert_eq!(data["kept_names"], serde_json::json!(["desk", "outlet"]));
    assert_eq!(data["kept"][1][0], "A");
    assert_eq!(data["by"], 1);
    let columns: Vec<&str> = data["columns"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    let mut r = csv::Reader::from_path(&scores).unwrap();
    let h = r.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(data["ids"].as_array().unwrap().len(), rows.len());
    let mut checked = 0;
    for (j, name) in columns.iter().enumerate() {
        let Some(col) = h.iter().position(|x| x == *name) else { continue };
        for (i, row) in rows.iter().enumerate() {
            let v = &data["values"][j][i];
            match row[col].parse::<f64>() {
                // The scores file has 3 decimals, the data block 4.
                Ok(x) => assert!((v.as_f64().unwrap() - x).abs() < 6e-4, "{name} doc {i}: {v} vs {x}"),
                Err(_) => assert!(v.is_null(), "{name} doc {i}: {v} vs empty"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 12 * 10, "{checked}");
}

#[test]
fn by_a_column_that_is_not_in_the_input_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("c.csv");
    outlet_corpus(&csv_path, 3);
    slant()
        .arg("report")
        .arg(&csv_path)
        .args(["--by", "publisher", "-q", "-o"])
        .arg(dir.path().join("r.html"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("publisher"));
}

/// Quartiles, median, mean and Tukey whiskers of the box plot.
#[test]
fn box_plot_figures() {
    let values: Vec<Option<f64>> = [1.0, 2.0, 3.0, 4.0, 5.0, 100.0].into_iter().map(Some).chain([None]).collect();
    let svg = slant::output::report::box_plot_svg("t", "c", &[("g".to_string(), values)], 0.0, 0.0).into_string();
    // numpy: percentile([1,2,3,4,5,100], [25,50,75]) = 2.25, 3.5, 4.75; IQR 2.5, so
    // the upper whisker stops at 5 (100 > 4.75 + 3.75); the mean counts 100.
    assert!(
        svg.contains("<title>g: n = 6, median 3.500, quartiles 2.250 to 4.750, mean 19.167, whiskers 1.000 to 5.000; 1 undefined</title>"),
        "{svg}"
    );
    let none = slant::output::report::box_plot_svg("t", "c", &[("g".to_string(), vec![None])], 0.0, 1.0).into_string();
    assert!(none.contains("no defined value"));
}

/// Only the first `--max-docs-text` documents carry their highlighted
/// text; every document is in the table data. 0 means all.
#[test]
fn max_docs_text_bounds_the_highlighted_documents_not_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let (csv_path, out) = (dir.path().join("c.csv"), dir.path().join("r.html"));
    outlet_corpus(&csv_path, 30);
    let html = report(&[csv_path.to_str().unwrap(), "--max-docs-text", "7", "-q"], &out);
    let secs = sections(&html);
    assert_eq!(
        secs.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        (0..7).map(|i| format!("d{i}")).collect::<Vec<_>>()
    );
    let data = data_block(&html);
    assert_eq!(data["ids"].as_array().unwrap().len(), 30);
    assert_eq!(data["n_text"], 7);
    assert!(html.contains("highlighted text is included for the first 7 of the 30 documents"));
    let html = report(&[csv_path.to_str().unwrap(), "--max-docs-text", "0", "-q"], &out);
    assert_eq!(sections(&html).len(), 30);
    assert_eq!(data_block(&html)["n_text"], 30);
}

/// A hedge inside a quotation is its own mark, named by the hedge, with
/// the quotation as a band of the quotation's colour: the quotation's
/// background does not hide it.
#[test]
fn a_hedge_inside_a_quotation_keeps_its_colour_with_the_quotation_as_a_band() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    slant()
        .args(["report", "-", "-q", "-o"])
        .arg(&out)
        .write_stdin("The mayor said, \"We may raise taxes next year.\" Nobody objected.\n")
        .assert()
        .success();
    let html = fs::read_to_string(&out).unwrap();
    let (_, sec) = &sections(&html)[0];
    let may = sec.split("<mark ").find(|m| m.contains(">may</mark>")).expect("a mark on 'may'");
    assert!(may.starts_with("class=\"cat-hedge\" data-category=\"hedge\""), "{may}");
    assert!(may.contains("data-within=\"quotation\""), "{may}");
    // The band has the quotation category's colour, which differs from the hedge's.
    let colour = |cat: &str| {
        html.split(&format!(".cat-{cat} {{ background: ")).nth(1).unwrap().split(';').next().unwrap().to_string()
    };
    let (hedge, quotation) = (colour("hedge"), colour("quotation"));
    assert_ne!(hedge, quotation);
    assert!(may.contains(&format!("style=\"box-shadow: inset 0 -4px 0 {quotation}\"")), "{may}");
    // Both matches are named in its tooltip, and the quotation's words around it are quotation marks.
    assert!(may.contains("hedge/modal") && may.contains("quotation/direct"), "{may}");
    assert!(sec.contains("data-category=\"quotation\" data-subcategory=\"direct\""));
}
