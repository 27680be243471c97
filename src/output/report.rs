//! A self-contained HTML report of a corpus: a summary with histograms drawn
//! as inline SVG, then one section per document with every counted match
//! highlighted by category and a table of counts. No network resources: the
//! CSS and the small script that paginates the documents are inline.
//!
//! The markup is written with maud's `html!`, which escapes every spliced
//! value; the only raw strings are the fixed `CSS` and `JS` below (and
//! SVG that `html!` itself produced, spliced as [`Markup`]).
//!
//! Documents are rendered one at a time ([`Report::add`]) into a temporary
//! file; only the per-document numbers needed for the charts are kept in
//! memory. [`Report::finish`] writes the head, the summary, the document
//! sections and the script to the output.

use crate::engine::{Scored, SENTENCE_FLAG_THRESHOLD};
use crate::error::{Context, Result};
use crate::models::artifact::TrainedModel;
use crate::output::columns::{label_names, model_outputs};
use crate::signals::attribution::SourceType;
use crate::signals::stats::{balance, per1k};
use crate::signals::{Label, Match, Rule, SignalSet};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::io::{BufWriter, Read, Seek, Write};

/// Documents shown per page by the report's script.
pub const PER_PAGE: usize = 20;

/// Background colours of the framing categories (cycled).
const PALETTE: &[&str] =
    &["#ffe08a", "#f5b3e6", "#b8f0b0", "#a8e4f0", "#c3c8ff", "#ffb3a8", "#e0d0a0", "#d8b8ff", "#a8f0d8", "#f0c8a0"];
/// Side mentions and statements: outlined, not filled.
const SIDE_CLASS: &str = "side";
/// The empty element of the page template where the document sections go:
/// [`Report::finish`] renders the page around it and streams the sections
/// from the temporary file in its place. Escaped text cannot contain `<`,
/// and neither [`CSS`] nor [`JS`] contains this, so it occurs exactly once.
const DOCS_SLOT: &str = "<main id=\"docs\"></main>";

/// A CSS class name for a category: `cat-<name>` with anything outside
/// `[A-Za-z0-9_-]` replaced by `_`.
pub fn category_class(name: &str) -> String {
    let safe: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    format!("cat-{safe}")
}

fn rule_text(set: &SignalSet, rule: Rule) -> String {
    crate::output::columns::rule_text(&set.lexicon, &set.sides, rule)
}

fn is_framing(m: &Match) -> bool {
    matches!(m.label, Label::Framing { .. })
}

/// One document's section: heading, highlighted text, count table.
///
/// Marks: the text is cut into segments where the set of active counted
/// matches (framing and side) is constant; each segment with at least one
/// active match is one `<mark>`, with the class, `data-category`,
/// `data-subcategory`, `data-rule` and `data-in-quote` of the first active
/// framing match (or, when only side matches are active, of the first one,
/// with class `side`) and every active match in its `title`. `data-m` lists the ordinals
/// (0-based, in match order) of the counted framing matches active in the
/// segment, so the distinct values of `data-m` in a section are exactly the
/// document's counted framing matches (the `score --matches` rows with
/// `negated` = 0 whose category is not `side_*`).
///
/// `kept_names` are the `--keep-cols` names; each document shows its values
/// (`outlet: North`) beside its id, and carries them as `data-kept-<name>`.
pub fn render_document(
    set: &SignalSet,
    models: &[ModelView],
    s: &Scored,
    index: usize,
    kept_names: &[String],
) -> Markup {
    let kept: Vec<(&str, &str)> = kept_names.iter().zip(&s.doc.kept).map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let text = &s.doc.text;
    // Ordinals of counted framing matches.
    let ms = &s.signals.matches;
    let mut ordinal = vec![usize::MAX; ms.len()];
    let mut k = 0;
    for (i, m) in ms.iter().enumerate() {
        if m.counted() && is_framing(m) {
            ordinal[i] = k;
            k += 1;
        }
    }
    let segments = crate::signals::segments(ms, text.len());
    html! {
        section.doc id=(format!("doc-{index}")) data-index=(index) data-doc-id=(s.doc.id) {
            "\n"
            h3 {
                (s.doc.id) " "
                @for (name, value) in &kept {
                    span.kept data-name=(name) { (name) ": " (value) } " "
                }
                span.meta {
                    (s.stats.n_words) " words, " (s.stats.n_sentences) " sentences, "
                    (s.stats.n_quoted_words) " quoted words"
                }
            }
            "\n"
            div.text {
                @for seg in &segments {
                    @let piece = &text[seg.start..seg.end];
                    @if seg.active.is_empty() {
                        (piece)
                    } @else {
                        (mark(set, ms, &ordinal, &seg.active, piece))
                    }
                }
            }
            "\n"
            table.counts {
                thead {
                    tr {
                        th { "category" } th { "n" } th { "per 1k words" }
                        th { "author voice n" } th { "quoted n" } th { "negated n" }
                    }
                }
                tbody {
                    "\n"
                    @for (c, cc) in set.lexicon.categories.iter().zip(&s.stats.categories) {
                        tr {
                            td { span class={ "swatch " (category_class(&c.name)) } {} (c.name) }
                            td { (cc.n) }
                            td { (fmt_opt(per1k(cc.n, s.stats.n_words), 2)) }
                            td { (cc.author_n) }
                            td { (cc.quoted_n) }
                            td { (cc.negated_n) }
                        }
                        "\n"
                    }
                }
            }
            "\n"
            @if !set.sides.dimensions.is_empty() {
                table.counts {
                    thead {
                        tr { th { "dimension" } th { "mentions" } th { "statements" } th { "balance" } }
                    }
                    tbody {
                        "\n"
                        @for (d, dc) in set.sides.dimensions.iter().zip(&s.stats.dimensions) {
                            tr {
                                td { (d.name) }
                                td { (d.side_a) " " (dc.mentions[0]) " / " (d.side_b) " " (dc.mentions[1]) }
                                td { (d.side_a) " " (dc.statements[0]) " / " (d.side_b) " " (dc.statements[1]) }
                                td { (fmt_opt(balance(dc.statements[0], dc.statements[1]), 3)) }
                            }
                            "\n"
                        }
                    }
                }
                "\n"
            }
            @if !s.signals.attributions.is_empty() {
                table.sources {
                    thead {
                        tr { th { "source" } th { "type" } th { "cue" } th { "mode" } th { "content" } th { "sides" } }
                    }
                    tbody {
                        "\n"
                        @for r in &s.signals.attributions {
                            tr {
                                td.speaker { (span_text(s, r.source)) @if r.source_type == SourceType::Pronoun { @if let Some(n) = r.name { " (= " (span_text(s, Some(n))) ")" } } }
                                td { (r.source_type.name()) }
                                td { (span_text(s, Some(r.cue))) @if r.in_quote { " (in quotation)" } }
                                td { (r.mode.name()) }
                                td.said { (span_text(s, r.content)) }
                                td { (sides_text(set, &r.sides)) }
                            }
                            "\n"
                        }
                    }
                }
                "\n"
            }
            @for (m, vals) in models.iter().zip(&s.model_values) {
                p.model data-model=(m.name) {
                    "model " b { (m.name) } ": "
                    (m.columns.iter().zip(vals).map(|(c, v)| format!("{c} = {}", fmt_opt(*v, 3))).collect::<Vec<_>>().join(", "))
                }
                "\n"
            }
            @for (m, probs) in models.iter().zip(&s.sentence_probs) {
                @if let Some(p) = probs {
                    @for (c, label) in m.labels.iter().enumerate() {
                        @let flagged = flagged_sentences(p, c);
                        p.model.flagged data-model=(m.name) data-label=(label) {
                            "sentences that model " b { (m.name) } " gives P(" (label) ") > " (SENTENCE_FLAG_THRESHOLD) ": "
                            @if flagged.is_empty() { "none" } @else { (flagged.join(", ")) }
                        }
                        "\n"
                    }
                }
            }
        }
        "\n"
    }
}

/// The text of a token range of a document ("" when absent).
fn span_text(s: &Scored, r: Option<(usize, usize)>) -> &str {
    let t = &s.signals.analyzed.tokens;
    r.map_or("", |(a, b)| &s.doc.text[t[a].span.start..t[b - 1].span.end])
}

/// "party=democratic stance=critics" for an attribution's sides.
fn sides_text(set: &SignalSet, sides: &[Option<usize>]) -> String {
    sides
        .iter()
        .zip(&set.sides.dimensions)
        .filter_map(|(side, d)| side.map(|x| format!("{}={}", d.name, if x == 0 { &d.side_a } else { &d.side_b })))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `<mark>` of one text segment with active matches `active`
/// (indices into `ms`); see [`render_document`].
fn mark(set: &SignalSet, ms: &[Match], ordinal: &[usize], active: &[usize], piece: &str) -> Markup {
    // The first framing match names the segment; side mentions only when alone.
    let first = &ms[active.iter().copied().find(|&i| is_framing(&ms[i])).unwrap_or(active[0])];
    let (cat, sub) = label_names(&set.lexicon, &set.sides, first.label);
    let class = if is_framing(first) { category_class(&cat) } else { SIDE_CLASS.to_string() };
    let title: Vec<String> = active
        .iter()
        .map(|&i| {
            let m = &ms[i];
            let (c, s) = label_names(&set.lexicon, &set.sides, m.label);
            let voice = if m.in_quote { "quoted voice" } else { "author voice" };
            format!("{c}/{s} · rule: {} · {voice}", rule_text(set, m.rule))
        })
        .collect();
    let ids: Vec<String> =
        active.iter().filter(|&&i| ordinal[i] != usize::MAX).map(|&i| ordinal[i].to_string()).collect();
    html! {
        mark class=(class) data-category=(cat) data-subcategory=(sub) data-rule=(rule_text(set, first.rule))
            data-in-quote=(u8::from(first.in_quote)) data-m=(ids.join(" ")) title=(title.join("\n")) { (piece) }
    }
}

fn fmt_opt(v: Option<f64>, d: usize) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x:.d$}"),
        _ => "–".into(),
    }
}

/// A histogram as inline SVG. `lo..hi` is the value range (widened to
/// include every value); undefined values are counted separately.
pub fn histogram_svg(title: &str, values: &[Option<f64>], lo: f64, hi: f64, bins: usize) -> Markup {
    let defined: Vec<f64> = values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    let undefined = values.len() - defined.len();
    let lo = defined.iter().copied().fold(lo, f64::min);
    let mut hi = defined.iter().copied().fold(hi, f64::max);
    if hi <= lo {
        hi = lo + 1.0;
    }
    let bins = bins.max(1);
    let mut counts = vec![0usize; bins];
    for v in &defined {
        let b = (((v - lo) / (hi - lo)) * bins as f64).floor() as usize;
        counts[b.min(bins - 1)] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let (w, h, left, bottom, top) = (280.0, 150.0, 34.0, 22.0, 8.0);
    let plot_w = w - left - 8.0;
    let plot_h = h - bottom - top;
    let bw = plot_w / bins as f64;
    let (y, x2, ty, lx) = (top + plot_h, left + plot_w, h - 6.0, left - 4.0);
    // SVG elements are closed explicitly (`{}`): inside <svg> an HTML parser
    // would nest an unclosed <line> around what follows.
    html! {
        figure.chart {
            figcaption { (title) }
            svg width=(w) height=(h) viewBox=(format!("0 0 {w} {h}")) role="img"
                aria-label=(format!("histogram of {title}")) {
                @for (i, &c) in counts.iter().enumerate() {
                    @let bh = plot_h * c as f64 / max as f64;
                    @let (a, b) = (lo + (hi - lo) * i as f64 / bins as f64, lo + (hi - lo) * (i + 1) as f64 / bins as f64);
                    rect x=(format!("{:.1}", left + i as f64 * bw)) y=(format!("{:.1}", top + plot_h - bh))
                        width=(format!("{:.1}", (bw - 1.0).max(0.5))) height=(format!("{bh:.1}")) class="bar" {
                        title { (format!("{a:.3} to {b:.3}: {c}")) }
                    }
                }
                line x1=(left) y1=(y) x2=(x2) y2=(y) class="axis" {}
                line x1=(left) y1=(top) x2=(left) y2=(y) class="axis" {}
                text x=(left) y=(ty) class="tick" { (short(lo)) }
                text x=(x2) y=(ty) class="tick" text-anchor="end" { (short(hi)) }
                text x=(lx) y=(top + 8.0) class="tick" text-anchor="end" { (max) }
                text x=(lx) y=(y) class="tick" text-anchor="end" { "0" }
            }
            div.note {
                (defined.len()) " documents"
                @if undefined > 0 { "; " (undefined) " undefined (not shown)" }
            }
        }
        "\n"
    }
}

fn short(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// The previous/next buttons and the page indicator (the script updates them).
fn pager(pages: usize) -> Markup {
    html! {
        div.pager {
            button type="button" class="prev" { "← prev" }
            " "
            span.page-indicator { "Page 1 of " (pages) }
            " "
            button type="button" class="next" { "next →" }
        }
    }
}

/// What the report shows of a model: its name, labels and the names of its
/// columns in the scores file (in the order of its values in [`Scored`]).
pub struct ModelView {
    pub name: String,
    pub labels: Vec<String>,
    pub columns: Vec<String>,
}

impl ModelView {
    pub fn of(m: &TrainedModel) -> Self {
        ModelView {
            name: m.file.name.clone(),
            labels: m.file.labels.clone(),
            columns: model_outputs(m).into_iter().map(|(suffix, _)| format!("p_{}_{suffix}", m.file.name)).collect(),
        }
    }
}

/// The sentences (0-based `sentence_idx`, as in the sentences file, with
/// the probability) whose probability of label `c` is above the flag threshold.
fn flagged_sentences(p: &ndarray::Array2<f64>, c: usize) -> Vec<String> {
    p.column(c)
        .iter()
        .enumerate()
        .filter(|(_, &v)| v > SENTENCE_FLAG_THRESHOLD)
        .map(|(i, v)| format!("{i} ({v:.2})"))
        .collect()
}

/// The report being built.
pub struct Report<'a> {
    set: &'a SignalSet,
    models: Vec<ModelView>,
    /// Document sections, written as they come.
    sections: BufWriter<std::fs::File>,
    n_docs: usize,
    n_words: usize,
    n_skipped: usize,
    /// Per category, `<cat>_per1k` of each document.
    per1k: Vec<Vec<Option<f64>>>,
    /// The balance dimension charted (`party` if present, else the first).
    balance_dim: Option<usize>,
    balance: Vec<Option<f64>>,
    /// Per model and output column, its value in each document.
    probs: Vec<Vec<Vec<Option<f64>>>>,
    /// `--keep-cols`, shown with each document.
    kept_names: Vec<String>,
}

impl<'a> Report<'a> {
    pub fn new(set: &'a SignalSet, models: &[TrainedModel]) -> Result<Self> {
        let file = tempfile::tempfile().context("cannot create a temporary file for the report")?;
        let balance_dim = set
            .sides
            .dimensions
            .iter()
            .position(|d| d.name == "party")
            .or(if set.sides.dimensions.is_empty() { None } else { Some(0) });
        Ok(Report {
            set,
            models: models.iter().map(ModelView::of).collect(),
            sections: BufWriter::new(file),
            n_docs: 0,
            n_words: 0,
            n_skipped: 0,
            per1k: vec![Vec::new(); set.lexicon.categories.len()],
            balance_dim,
            balance: Vec::new(),
            probs: models.iter().map(|m| vec![Vec::new(); model_outputs(m).len()]).collect(),
            kept_names: Vec::new(),
        })
    }

    /// Show these kept columns (`--keep-cols`, in the order read) with each document.
    pub fn with_kept_columns(mut self, names: &[String]) -> Self {
        self.kept_names = names.to_vec();
        self
    }

    /// Add one scored document (its model values, if any, in `--model` order).
    pub fn add(&mut self, s: &Scored) -> Result<()> {
        let html = render_document(self.set, &self.models, s, self.n_docs, &self.kept_names);
        self.sections.write_all(html.0.as_bytes())?;
        self.n_docs += 1;
        self.n_words += s.stats.n_words;
        for (ci, v) in self.per1k.iter_mut().enumerate() {
            v.push(per1k(s.stats.categories[ci].n, s.stats.n_words));
        }
        if let Some(d) = self.balance_dim {
            let dc = &s.stats.dimensions[d];
            self.balance.push(balance(dc.statements[0], dc.statements[1]));
        }
        for (mi, columns) in self.probs.iter_mut().enumerate() {
            for (k, p) in columns.iter_mut().enumerate() {
                p.push(s.model_values.get(mi).and_then(|v| v.get(k).copied().flatten()));
            }
        }
        Ok(())
    }

    /// Count a skipped (unreadable) record in the summary.
    pub fn skipped(&mut self) {
        self.n_skipped += 1;
    }

    pub fn n_docs(&self) -> usize {
        self.n_docs
    }

    /// The whole page with an empty [`DOCS_SLOT`] where the sections go.
    fn page(&self, title: &str) -> Markup {
        let set = self.set;
        let pages = self.n_docs.div_ceil(PER_PAGE).max(1);
        // Category colours: class names are `[A-Za-z0-9_-]` and colours are
        // constants, so escaping (spliced as text) leaves the rules as they are.
        let category_css: String = set
            .lexicon
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| format!(".{} {{ background: {}; }}\n", category_class(&c.name), PALETTE[i % PALETTE.len()]))
            .collect();
        html! {
            (DOCTYPE) "\n"
            html lang="en" {
                "\n"
                head {
                    "\n" meta charset="utf-8";
                    "\n" meta name="viewport" content="width=device-width, initial-scale=1";
                    "\n" title { (title) }
                    "\n" style { "\n" (PreEscaped(CSS)) (category_css) }
                    "\n"
                }
                "\n"
                body data-per-page=(PER_PAGE) {
                    "\n" h1 { (title) } "\n"
                    section #summary {
                        h2 { "Corpus summary" } "\n"
                        p {
                            span id="n-docs" { (self.n_docs) } " documents, "
                            span id="n-words" { (self.n_words) } " words"
                            @if self.n_skipped > 0 { ", " (self.n_skipped) " record(s) skipped (unreadable)" }
                            "."
                        }
                        "\n" h3 { "Framing categories per 1,000 words" } "\n"
                        div.charts {
                            "\n"
                            @for (c, values) in set.lexicon.categories.iter().zip(&self.per1k) {
                                (histogram_svg(&format!("{}_per1k", c.name), values, 0.0, 0.0, 12))
                            }
                        }
                        "\n"
                        @if let Some(d) = self.balance_dim {
                            @let name = &set.sides.dimensions[d].name;
                            h3 { "Balance: " (name) } "\n"
                            div.charts { "\n" (histogram_svg(&format!("{name}_balance"), &self.balance, 0.0, 1.0, 10)) }
                            "\n"
                        }
                        @if !self.models.is_empty() {
                            h3 { "Models" } "\n"
                            div.charts {
                                "\n"
                                @for (m, columns) in self.models.iter().zip(&self.probs) {
                                    @for (name, p) in m.columns.iter().zip(columns) {
                                        (histogram_svg(&format!("{name} (model {})", m.name), p, 0.0, 1.0, 10))
                                    }
                                }
                            }
                            "\n"
                            p.note {
                                "Each chart is one column of the scores file. A sentence-level model is applied to each sentence; a document gets the mean, the maximum and the share of sentences above " (SENTENCE_FLAG_THRESHOLD) " of each label's probability, and lists the sentences it flags."
                            }
                            "\n"
                        }
                    }
                    "\n"
                    nav #nav {
                        div.legend {
                            "legend:"
                            @for c in &set.lexicon.categories {
                                " " mark class={ "legend-item " (category_class(&c.name)) } { (c.name) }
                            }
                            " " mark class={ "legend-item " (SIDE_CLASS) } { "side mention" }
                        }
                        (pager(pages))
                    }
                    "\n"
                    main #docs {}
                    "\n"
                    (pager(pages))
                    "\n" script { "\n" (PreEscaped(JS)) } "\n"
                }
                "\n"
            }
            "\n"
        }
    }

    /// Write the whole report to `w`.
    pub fn finish(self, title: &str, w: &mut dyn Write) -> Result<()> {
        let page = self.page(title).into_string();
        let at = page.find(DOCS_SLOT).expect("the page template has the documents' slot");
        let (head, tail) = page.split_at(at + DOCS_SLOT.len() - "</main>".len());
        let mut file = self.sections.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        w.write_all(head.as_bytes())?;
        w.write_all(b"\n")?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            w.write_all(&buf[..n])?;
        }
        w.write_all(tail.as_bytes())?;
        w.flush()?;
        Ok(())
    }
}

const CSS: &str = r#"body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 70em; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h3 .meta { font-weight: normal; color: #666; font-size: 0.8em; } h3 .kept { font-weight: normal; font-size: 0.8em; background: #eef; padding: 0 0.3em; border-radius: 3px; }
.charts { display: flex; flex-wrap: wrap; gap: 0.8em; }
figure.chart { margin: 0; border: 1px solid #ddd; padding: 0.3em; }
figure.chart figcaption { font-size: 0.85em; font-weight: bold; }
svg .bar { fill: #4a78b0; } svg .axis { stroke: #444; } svg .tick { font-size: 10px; fill: #444; }
.note { font-size: 0.8em; color: #666; }
nav#nav { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #ccc; padding: 0.4em 0; z-index: 1; }
.legend mark { padding: 0 0.3em; }
.pager { margin: 0.4em 0; }
section.doc { border-top: 2px solid #888; margin-top: 1.5em; }
.text { white-space: pre-wrap; line-height: 1.6; font-family: Georgia, serif; }
mark { color: inherit; border-radius: 2px; }
mark.side { background: transparent; outline: 1px dashed #555; }
table.counts { border-collapse: collapse; margin: 0.6em 0; font-size: 0.85em; }
table.counts td, table.counts th { border: 1px solid #ccc; padding: 0.1em 0.5em; text-align: right; }
table.counts td:first-child, table.counts th:first-child { text-align: left; }
table.sources { border-collapse: collapse; margin: 0.6em 0; font-size: 0.85em; }
table.sources td, table.sources th { border: 1px solid #ccc; padding: 0.1em 0.5em; text-align: left; vertical-align: top; }
table.sources td.speaker { font-weight: bold; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; border: 1px solid #999; }
"#;

const JS: &str = r#"(function () {
  var docs = document.querySelectorAll('section.doc');
  var per = parseInt(document.body.getAttribute('data-per-page'), 10) || 20;
  var pages = Math.max(1, Math.ceil(docs.length / per));
  var page = 0;
  function show(p) {
    page = Math.min(Math.max(p, 0), pages - 1);
    for (var i = 0; i < docs.length; i++) { docs[i].hidden = Math.floor(i / per) !== page; }
    var ind = document.querySelectorAll('.page-indicator');
    for (var j = 0; j < ind.length; j++) {
      ind[j].textContent = 'Page ' + (page + 1) + ' of ' + pages + ' (' + docs.length + ' documents)';
    }
    var b = document.querySelectorAll('button.prev');
    for (var k = 0; k < b.length; k++) { b[k].disabled = page === 0; }
    b = document.querySelectorAll('button.next');
    for (k = 0; k < b.length; k++) { b[k].disabled = page === pages - 1; }
  }
  function fromHash() {
    var m = /^#doc-(\d+)$/.exec(location.hash);
    if (m) { show(Math.floor(parseInt(m[1], 10) / per)); var d = document.getElementById('doc-' + m[1]); if (d) { d.scrollIntoView(); } }
  }
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t.classList && t.classList.contains('prev')) { show(page - 1); document.getElementById('docs').scrollIntoView(); }
    if (t.classList && t.classList.contains('next')) { show(page + 1); document.getElementById('docs').scrollIntoView(); }
  });
  window.addEventListener('hashchange', fromHash);
  show(0);
  fromHash();
})();
"#;
