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
    assert!(html.contains("hedge_per1k"));
    assert!(html.contains("party_balance"));
    // Every label of the model is charted, under its scores-file column name.
    for label in ["center", "left", "right"] {
        assert!(html.contains(&format!("p_leaning_{label} (model leaning)")), "{label}");
    }
    assert!(html.contains("data-model=\"leaning\""));
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
        for (class, m) in mark_attrs(sec, "class").iter().zip(mark_attrs(sec, "data-m")) {
            assert_eq!(class == "side", m.is_empty(), "document {id}: class {class}, data-m {m:?}");
        }
        for (class, cat) in mark_attrs(sec, "class").iter().zip(mark_attrs(sec, "data-category")) {
            if class != "side" {
                assert_eq!(class, &format!("cat-{cat}"));
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
    assert_eq!(html.matches("<script").count(), 1, "only the report's own script");
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
    assert_eq!(html.matches("<script").count(), 1, "only the report's own script");
    for bad in ["<b ", "<i>", "<img", "<t>", "alert(2)>"] {
        assert!(!html.contains(bad), "{bad}");
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
