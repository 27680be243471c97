//! A self-contained HTML report of a corpus: a summary with histograms drawn
//! as inline SVG (and, grouped by a kept column, box plots per group), a
//! table of every document's scores that the page's script sorts and
//! filters, then one section per document with every counted match
//! highlighted by category and a table of counts. No network resources: the
//! CSS, the data and the small script are inline.
//!
//! Size: the highlighted sections are the bulk of the page (about 30 KB per
//! news article), so only the first [`Report::with_max_text`] documents get
//! one; every document is a row of the table, which the script draws from a
//! compact JSON block (ids, kept values, scores column by column: 113 bytes
//! per AllSides article with one kept column and 12 scores) one page of rows
//! at a time.
//!
//! The markup is written with maud's `html!`, which escapes every spliced
//! value; the only raw strings are the fixed `CSS` and `JS` below, SVG that
//! `html!` itself produced (spliced as [`Markup`]), and the JSON data block,
//! whose every `<` is written `\u003c` so nothing in it can end the script
//! element. The script writes data into the page only as text.
//!
//! Documents are rendered one at a time ([`Report::add`]) into a temporary
//! file; only the per-document numbers of the table and charts are kept in
//! memory. [`Report::finish`] writes the head, the summary, the table, the
//! document sections, the data and the script to the output.

use crate::engine::{Scored, SENTENCE_FLAG_THRESHOLD};
use crate::error::{Context, Result};
use crate::models::artifact::{Level, TrainedModel};
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
    &["#ffe08a", "#f5b3e6", "#b8f0b0", "#a8e4f0", "#c3c8ff", "#ffb3a8", "#cfd6dd", "#d8b8ff", "#a8f0d8", "#f0c8a0"];
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
/// `data-subcategory`, `data-rule` and `data-in-quote` of the innermost
/// (shortest) active framing match (or, when only side matches are active,
/// of the first one, with class `side`), the other framing categories active
/// over it in `data-within` (drawn as bands; see [`mark`]), and every active
/// match in its `title`. `data-m` lists the ordinals
/// (0-based, in match order) of the counted framing matches active in the
/// segment, so the distinct values of `data-m` in a section are exactly the
/// document's counted framing matches (the `score --matches` rows with
/// `negated` = 0 whose category is not `side_*`).
///
/// `kept_names` are the `--keep-cols` names; each document shows its values
/// (`outlet: North`) beside its id, each in a `span.kept` with `data-name`.
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
                p.model data-model=(m.name) data-level=(if m.sentence_level { "sentence" } else { "document" }) {
                    "model " b { (m.name) }
                    @if m.sentence_level {
                        " (sentence level, over the document's " (s.stats.n_sentences) " sentences): "
                    } @else {
                        " (document level): "
                    }
                    (m.columns.iter().zip(vals).map(|(c, v)| format!("{} = {}", c.label, fmt_opt(*v, 3))).collect::<Vec<_>>().join("; "))
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
fn sides_text(set: &SignalSet, sides: &[[bool; 2]]) -> String {
    sides
        .iter()
        .zip(&set.sides.dimensions)
        .filter_map(|(of_side, d)| side_text(d, *of_side))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `party=democratic`, `party=democratic+republican` (a joint statement),
/// or nothing, for one dimension of an attribution's sides.
pub fn side_text(d: &crate::signals::lexicon::Dimension, of_side: [bool; 2]) -> Option<String> {
    let labels: Vec<&str> =
        [&d.side_a, &d.side_b].into_iter().zip(of_side).filter(|(_, on)| *on).map(|(l, _)| l.as_str()).collect();
    (!labels.is_empty()).then(|| format!("{}={}", d.name, labels.join("+")))
}

/// The `<mark>` of one text segment with active matches `active`
/// (indices into `ms`); see [`render_document`].
///
/// Nested matches stay visible: the innermost active framing match (the
/// shortest; a hedge inside a quotation) names the segment and gives its
/// background colour, and every other category active over the segment
/// (the quotation around the hedge) draws a band of its own colour along
/// the bottom (`data-within` lists them). Side mentions and statements are
/// an outline, on top of either.
fn mark(set: &SignalSet, ms: &[Match], ordinal: &[usize], active: &[usize], piece: &str) -> Markup {
    let len = |i: usize| ms[i].span.end - ms[i].span.start;
    let mut framing: Vec<usize> = active.iter().copied().filter(|&i| is_framing(&ms[i])).collect();
    // Shortest first; a tie keeps match order (the sort is stable).
    framing.sort_by_key(|&i| len(i));
    let has_side = framing.len() < active.len();
    let first = &ms[framing.first().copied().unwrap_or(active[0])];
    let (cat, sub) = label_names(&set.lexicon, &set.sides, first.label);
    let mut class = if is_framing(first) { category_class(&cat) } else { SIDE_CLASS.to_string() };
    if has_side && is_framing(first) {
        class.push(' ');
        class.push_str(SIDE_CLASS);
    }
    // The enclosing categories, innermost first, each once and not the segment's own.
    let mut within: Vec<usize> = Vec::new();
    for &i in framing.iter().skip(1) {
        if let Label::Framing { category, .. } = ms[i].label {
            if Some(category) != framing_category(first) && !within.contains(&category) {
                within.push(category);
            }
        }
    }
    let bands: Vec<String> = within
        .iter()
        .enumerate()
        .map(|(k, &c)| format!("inset 0 -{}px 0 {}", 4 * (k + 1), category_colour(c)))
        .collect();
    let within_names: Vec<&str> = within.iter().map(|&c| set.lexicon.categories[c].name.as_str()).collect();
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
    // The band colours are constants of PALETTE, so the style is ours, not the document's.
    html! {
        mark class=(class) data-category=(cat) data-subcategory=(sub) data-rule=(rule_text(set, first.rule))
            data-in-quote=(u8::from(first.in_quote)) data-m=(ids.join(" "))
            data-within=[(!within_names.is_empty()).then(|| within_names.join(" "))]
            style=[(!bands.is_empty()).then(|| format!("box-shadow: {}", bands.join(", ")))]
            title=(title.join("\n")) { (piece) }
    }
}

fn framing_category(m: &Match) -> Option<usize> {
    match m.label {
        Label::Framing { category, .. } => Some(category),
        _ => None,
    }
}

/// The colour of framing category `c` (its background, or its band when it encloses another).
fn category_colour(c: usize) -> &'static str {
    PALETTE[c % PALETTE.len()]
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

/// One output column of a model: its name in the scores file and what it
/// is, for a reader (`P(left)`, `mean P(biased) over sentences`).
pub struct ModelColumn {
    pub column: String,
    pub label: String,
}

/// What the report shows of a model: its name, level, labels and columns
/// (in the order of its values in [`Scored`]).
pub struct ModelView {
    pub name: String,
    pub labels: Vec<String>,
    /// A sentence-level model: its columns are aggregates over sentences.
    pub sentence_level: bool,
    pub columns: Vec<ModelColumn>,
}

impl ModelView {
    pub fn of(m: &TrainedModel) -> Self {
        let sentence_level = matches!(m.file.level, Level::Sentence);
        // `model_outputs` lists, per label, P (document level) or its mean,
        // max and share above the threshold (sentence level): the same order here.
        let labels: Vec<String> = m
            .file
            .labels
            .iter()
            .flat_map(|l| {
                if sentence_level {
                    vec![
                        format!("mean P({l}) over sentences"),
                        format!("max P({l}) over sentences"),
                        format!("share of sentences with P({l}) > {SENTENCE_FLAG_THRESHOLD}"),
                    ]
                } else {
                    vec![format!("P({l})")]
                }
            })
            .collect();
        let columns = model_outputs(m)
            .into_iter()
            .zip(labels)
            .map(|((suffix, _), label)| ModelColumn { column: format!("p_{}_{suffix}", m.file.name), label })
            .collect();
        ModelView { name: m.file.name.clone(), labels: m.file.labels.clone(), sentence_level, columns }
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

/// What a score column of the report is: it decides where it is charted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    Words,
    Category,
    Balance,
    Model,
}

/// One per-document number of the overview table and the charts, named
/// as in the scores file, with its value in each document.
struct ScoreColumn {
    name: String,
    /// What a reader sees as the chart's caption.
    title: String,
    kind: ColumnKind,
    /// The range a chart starts from (widened to the values).
    range: (f64, f64),
    values: Vec<Option<f64>>,
}

/// Groups drawn in a box plot at most (the largest ones); the others are counted in a note.
pub const MAX_GROUPS: usize = 30;

/// A box plot per group as inline SVG: for each group, the box from the
/// first to the third quartile, the median as a bar, the mean as a dot,
/// and whiskers to the most extreme values within 1.5 IQR of the box
/// (outliers are not drawn). `groups` are (name, values); undefined
/// values are counted in each row's tooltip and not drawn. Groups are
/// drawn in the order given, at most [`MAX_GROUPS`].
pub fn box_plot_svg(title: &str, column: &str, groups: &[(String, Vec<Option<f64>>)], lo: f64, hi: f64) -> Markup {
    let rows: Vec<(&str, Option<BoxStats>, usize)> = groups
        .iter()
        .take(MAX_GROUPS)
        .map(|(g, vs)| {
            let mut defined: Vec<f64> = vs.iter().flatten().copied().filter(|v| v.is_finite()).collect();
            defined.sort_by(f64::total_cmp);
            (g.as_str(), BoxStats::of(&defined), vs.len() - defined.len())
        })
        .collect();
    let lo = rows.iter().filter_map(|r| r.1.as_ref().map(|b| b.whisker_lo)).fold(lo, f64::min);
    let mut hi = rows.iter().filter_map(|r| r.1.as_ref().map(|b| b.whisker_hi)).fold(hi, f64::max);
    if hi <= lo {
        hi = lo + 1.0;
    }
    let (w, row_h, label_w, top, bottom, right) = (520.0, 16.0, 170.0, 6.0, 22.0, 56.0);
    let h = top + row_h * rows.len() as f64 + bottom;
    let plot_w = w - label_w - right;
    let x = |v: f64| label_w + plot_w * (v - lo) / (hi - lo);
    let y_axis = top + row_h * rows.len() as f64;
    let f = |v: f64| format!("{v:.1}");
    html! {
        figure.chart.groups data-column=(column) {
            figcaption { (title) }
            svg width=(w) height=(h) viewBox=(format!("0 0 {w} {h}")) role="img"
                aria-label=(format!("box plots of {title} by group")) {
                @for (k, (name, stats, undefined)) in rows.iter().enumerate() {
                    @let y = top + row_h * k as f64;
                    @let mid = y + row_h / 2.0;
                    g.group data-group=(name) {
                        text x=(label_w - 4.0) y=(f(mid + 3.5)) class="tick" text-anchor="end" { (truncate(name, 26)) }
                        @match stats {
                            Some(b) => {
                                title {
                                    (format!("{name}: n = {}, median {:.3}, quartiles {:.3} to {:.3}, mean {:.3}, whiskers {:.3} to {:.3}",
                                        b.n, b.median, b.q1, b.q3, b.mean, b.whisker_lo, b.whisker_hi))
                                    @if *undefined > 0 { (format!("; {undefined} undefined")) }
                                }
                                line x1=(f(x(b.whisker_lo))) y1=(f(mid)) x2=(f(x(b.whisker_hi))) y2=(f(mid)) class="whisker" {}
                                rect x=(f(x(b.q1))) y=(f(y + 3.0)) width=(f((x(b.q3) - x(b.q1)).max(1.0))) height=(f(row_h - 6.0)) class="box" {}
                                line x1=(f(x(b.median))) y1=(f(y + 2.0)) x2=(f(x(b.median))) y2=(f(y + row_h - 2.0)) class="median" {}
                                circle cx=(f(x(b.mean))) cy=(f(mid)) r="2" class="mean" {}
                                text x=(w - right + 4.0) y=(f(mid + 3.5)) class="tick" { "n=" (b.n) }
                            }
                            None => {
                                title { (format!("{name}: no defined value ({undefined} undefined)")) }
                                text x=(label_w + 4.0) y=(f(mid + 3.5)) class="tick" { "no defined value" }
                            }
                        }
                    }
                }
                line x1=(label_w) y1=(y_axis) x2=(label_w + plot_w) y2=(y_axis) class="axis" {}
                text x=(label_w) y=(h - 6.0) class="tick" { (short(lo)) }
                text x=(label_w + plot_w / 2.0) y=(h - 6.0) class="tick" text-anchor="middle" { (short((lo + hi) / 2.0)) }
                text x=(label_w + plot_w) y=(h - 6.0) class="tick" text-anchor="end" { (short(hi)) }
            }
            @if groups.len() > MAX_GROUPS {
                div.note { (groups.len() - MAX_GROUPS) " smaller group(s) not shown" }
            }
        }
        "\n"
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// Median, quartiles (linear interpolation, as R's type 7 and numpy's
/// default), mean and Tukey whiskers of sorted values; `None` when empty.
struct BoxStats {
    n: usize,
    q1: f64,
    median: f64,
    q3: f64,
    mean: f64,
    whisker_lo: f64,
    whisker_hi: f64,
}

impl BoxStats {
    fn of(sorted: &[f64]) -> Option<Self> {
        let n = sorted.len();
        if n == 0 {
            return None;
        }
        let q = |p: f64| {
            let h = (n - 1) as f64 * p;
            let (a, b) = (h.floor() as usize, h.ceil() as usize);
            sorted[a] + (h - a as f64) * (sorted[b] - sorted[a])
        };
        let (q1, median, q3) = (q(0.25), q(0.5), q(0.75));
        let reach = 1.5 * (q3 - q1);
        let whisker_lo = sorted.iter().copied().find(|&v| v >= q1 - reach).unwrap_or(q1);
        let whisker_hi = sorted.iter().rev().copied().find(|&v| v <= q3 + reach).unwrap_or(q3);
        let mean = sorted.iter().sum::<f64>() / n as f64;
        Some(BoxStats { n, q1, median, q3, mean, whisker_lo, whisker_hi })
    }
}

/// Documents whose highlighted text the report includes when not told otherwise.
pub const DEFAULT_MAX_TEXT: usize = 500;

/// The report being built.
pub struct Report<'a> {
    set: &'a SignalSet,
    models: Vec<ModelView>,
    /// Document sections, written as they come.
    sections: BufWriter<std::fs::File>,
    n_docs: usize,
    n_words: usize,
    n_skipped: usize,
    /// The documents whose sections (highlighted text) are included: the
    /// first this many; `None`: all.
    max_text: Option<usize>,
    n_text: usize,
    /// Every document's id and kept values (`--keep-cols` order), for the overview.
    ids: Vec<String>,
    kept: Vec<Vec<String>>,
    /// The per-document numbers of the overview table and the charts.
    columns: Vec<ScoreColumn>,
    /// `--keep-cols`, shown with each document.
    kept_names: Vec<String>,
    /// The kept column whose values group the documents in the group charts.
    group_by: Option<usize>,
}

impl<'a> Report<'a> {
    pub fn new(set: &'a SignalSet, models: &[TrainedModel]) -> Result<Self> {
        let file = tempfile::tempfile().context("cannot create a temporary file for the report")?;
        let models: Vec<ModelView> = models.iter().map(ModelView::of).collect();
        let column =
            |name: String, title: String, kind, range| ScoreColumn { name, title, kind, range, values: vec![] };
        let mut columns = vec![column("n_words".into(), "words".into(), ColumnKind::Words, (0.0, 0.0))];
        for c in &set.lexicon.categories {
            columns.push(column(
                format!("{}_per1k", c.name),
                format!("{} per 1,000 words", c.name),
                ColumnKind::Category,
                (0.0, 0.0),
            ));
        }
        for d in &set.sides.dimensions {
            let title = format!("{} balance ({} vs {} statements)", d.name, d.side_a, d.side_b);
            columns.push(column(format!("{}_balance", d.name), title, ColumnKind::Balance, (0.0, 1.0)));
        }
        for m in &models {
            for c in &m.columns {
                columns.push(column(
                    c.column.clone(),
                    format!("{}: {}", m.name, c.label),
                    ColumnKind::Model,
                    (0.0, 1.0),
                ));
            }
        }
        Ok(Report {
            set,
            models,
            sections: BufWriter::new(file),
            n_docs: 0,
            n_words: 0,
            n_skipped: 0,
            max_text: Some(DEFAULT_MAX_TEXT),
            n_text: 0,
            ids: Vec::new(),
            kept: Vec::new(),
            columns,
            kept_names: Vec::new(),
            group_by: None,
        })
    }

    /// Show these kept columns (`--keep-cols`, in the order read) with each
    /// document, in the overview table and its filters.
    pub fn with_kept_columns(mut self, names: &[String]) -> Self {
        self.kept_names = names.to_vec();
        self
    }

    /// Chart every score by the groups of kept column `name` (one of the
    /// kept columns). An error when it is not one of them.
    pub fn with_group_by(mut self, name: &str) -> Result<Self> {
        let at = self.kept_names.iter().position(|n| n == name).ok_or_else(|| {
            crate::error::Error::invalid(format!(
                "cannot group by '{name}': not a kept column (kept: {})",
                if self.kept_names.is_empty() { "none".to_string() } else { self.kept_names.join(", ") }
            ))
        })?;
        self.group_by = Some(at);
        Ok(self)
    }

    /// Include the highlighted text of the first `n` documents only
    /// (`None`: every document). Every document is in the overview table.
    pub fn with_max_text(mut self, n: Option<usize>) -> Self {
        self.max_text = n;
        self
    }

    /// Add one scored document (its model values, if any, in `--model` order).
    pub fn add(&mut self, s: &Scored) -> Result<()> {
        if self.max_text.is_none_or(|m| self.n_docs < m) {
            let html = render_document(self.set, &self.models, s, self.n_docs, &self.kept_names);
            self.sections.write_all(html.0.as_bytes())?;
            self.n_text += 1;
        }
        self.n_docs += 1;
        self.n_words += s.stats.n_words;
        self.ids.push(s.doc.id.clone());
        self.kept.push(
            self.kept_names.iter().enumerate().map(|(k, _)| s.doc.kept.get(k).cloned().unwrap_or_default()).collect(),
        );
        let mut values: Vec<Option<f64>> = vec![Some(s.stats.n_words as f64)];
        values.extend(s.stats.categories.iter().map(|c| per1k(c.n, s.stats.n_words)));
        values.extend(s.stats.dimensions.iter().map(|d| balance(d.statements[0], d.statements[1])));
        for (mi, m) in self.models.iter().enumerate() {
            for k in 0..m.columns.len() {
                values.push(s.model_values.get(mi).and_then(|v| v.get(k).copied().flatten()));
            }
        }
        debug_assert_eq!(values.len(), self.columns.len());
        for (c, v) in self.columns.iter_mut().zip(values) {
            c.values.push(v);
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

    /// The documents whose highlighted text is in the report.
    pub fn n_text(&self) -> usize {
        self.n_text
    }

    fn histograms(&self, kind: ColumnKind, bins: usize) -> Markup {
        html! {
            div.charts {
                "\n"
                @for c in self.columns.iter().filter(|c| c.kind == kind) {
                    (histogram_svg(&c.title, &c.values, c.range.0, c.range.1, bins))
                }
            }
            "\n"
        }
    }

    /// The documents' groups by the kept column `by`: (group, document
    /// indices), largest first, ties by name.
    fn groups(&self, by: usize) -> Vec<(String, Vec<usize>)> {
        let mut map: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
        for (i, kept) in self.kept.iter().enumerate() {
            map.entry(kept[by].as_str()).or_default().push(i);
        }
        let mut groups: Vec<(String, Vec<usize>)> = map
            .into_iter()
            .map(|(g, d)| (if g.is_empty() { "(empty)".to_string() } else { g.to_string() }, d))
            .collect();
        groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        groups
    }

    /// Box plots of every category rate, balance and model column by group.
    fn group_charts(&self, by: usize) -> Markup {
        let groups = self.groups(by);
        let name = &self.kept_names[by];
        let charts = |kind: ColumnKind| {
            html! {
                div.charts {
                    "\n"
                    @for c in self.columns.iter().filter(|c| c.kind == kind) {
                        @let per_group: Vec<(String, Vec<Option<f64>>)> =
                            groups.iter().map(|(g, docs)| (g.clone(), docs.iter().map(|&i| c.values[i]).collect())).collect();
                        (box_plot_svg(&c.title, &c.name, &per_group, c.range.0, c.range.1))
                    }
                }
                "\n"
            }
        };
        html! {
            section #groups data-by=(name) {
                h2 { "By " (name) } "\n"
                p.note {
                    (groups.len()) " group(s) of the kept column " b { (name) } ", largest first"
                    @if groups.len() > MAX_GROUPS { " (the " (MAX_GROUPS) " largest are drawn)" }
                    ". Box: first to third quartile; bar: median; dot: mean; whiskers: the most extreme values within 1.5 times the box's length (outliers not drawn). Hover a row for its figures."
                }
                "\n" h3 { "Framing categories per 1,000 words" } "\n"
                (charts(ColumnKind::Category))
                @if !self.set.sides.dimensions.is_empty() {
                    h3 { "Balance of the sides' statements (1 = as many for each side, 0 = one side only; documents with no statement are undefined)" } "\n"
                    (charts(ColumnKind::Balance))
                }
                @if !self.models.is_empty() {
                    h3 { "Models" } "\n"
                    (charts(ColumnKind::Model))
                }
            }
            "\n"
        }
    }

    /// The compact data block of the overview table: every document's id,
    /// kept values and scores, column by column. Numbers are rounded to 4
    /// decimals; undefined values are `null`.
    fn data_json(&self) -> String {
        let round = |v: &Option<f64>| match v {
            Some(x) if x.is_finite() => serde_json::Value::from((x * 1e4).round() / 1e4),
            _ => serde_json::Value::Null,
        };
        let data = serde_json::json!({
            "ids": self.ids,
            "n_text": self.n_text,
            "kept_names": self.kept_names,
            "kept": (0..self.kept_names.len()).map(|k| self.kept.iter().map(|d| d[k].as_str()).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "by": self.group_by,
            "columns": self.columns.iter().map(|c| serde_json::json!({"name": c.name, "title": c.title})).collect::<Vec<_>>(),
            "values": self.columns.iter().map(|c| c.values.iter().map(round).collect::<Vec<_>>()).collect::<Vec<_>>(),
        });
        // Inside <script> only `</script` or `<!--` could end or change the
        // block; `<` occurs only in strings, where `\u003c` means the same.
        data.to_string().replace('<', "\\u003c")
    }

    /// The whole page with an empty [`DOCS_SLOT`] where the sections go.
    fn page(&self, title: &str) -> Markup {
        let set = self.set;
        let pages = self.n_text.div_ceil(PER_PAGE).max(1);
        // Category colours: class names are `[A-Za-z0-9_-]` and colours are
        // constants, so escaping (spliced as text) leaves the rules as they are.
        let category_css: String = set
            .lexicon
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| format!(".{} {{ background: {}; }}\n", category_class(&c.name), category_colour(i)))
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
                        (self.histograms(ColumnKind::Category, 12))
                        @if !set.sides.dimensions.is_empty() {
                            h3 { "Balance of the sides' statements" } "\n"
                            (self.histograms(ColumnKind::Balance, 10))
                        }
                        @if !self.models.is_empty() {
                            h3 { "Models" } "\n"
                            (self.histograms(ColumnKind::Model, 10))
                            p.note {
                                "Each chart is one column of the scores file (its name is in the overview table's header tooltip). A document-level model gives each document P(label) for every label. A sentence-level model is applied to each sentence, as the document's analysis reads it (quotation state and matches in the article); a document gets, per label, the mean and the maximum of P(label) over its sentences and the share of sentences with P(label) above " (SENTENCE_FLAG_THRESHOLD) ", and lists the sentences it flags."
                            }
                            "\n"
                        }
                    }
                    "\n"
                    @if let Some(by) = self.group_by { (self.group_charts(by)) }
                    section #overview {
                        h2 { "Documents" } "\n"
                        p.note {
                            "Every document with its scores. Click a column's header to sort (again to reverse); filter by a kept column, by text in the id and kept values, or by a range of any score. The highlighted documents below follow the same filter and order."
                            @if self.n_text < self.n_docs {
                                " The highlighted text is included for the first " (self.n_text) " of the " (self.n_docs) " documents (in input order); the others are listed here with their scores only."
                            }
                        }
                        "\n"
                        div #filters {
                            label { "search id and kept values " input #q type="search" size="18"; }
                            " " span #kept-filters {}
                            " " label { "score " select #fcol { option value="-1" { "(none)" } } }
                            " " label { "from " input #fmin type="number" step="any" size="6"; }
                            " " label { "to " input #fmax type="number" step="any" size="6"; }
                            " " button #reset type="button" { "clear filters" }
                            " " span #n-match {}
                        }
                        "\n"
                        div.table-wrap { table #doc-table { thead {} tbody {} } }
                        div.tpager {
                            button type="button" class="tprev" { "← prev" }
                            " " span.tpage-indicator {} " "
                            button type="button" class="tnext" { "next →" }
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
                            " " span.note { "(a cue inside a longer match, such as a hedge inside a quotation, has its own colour; the longer match's colour runs as a band beneath it)" }
                        }
                        (pager(pages))
                    }
                    "\n"
                    main #docs {}
                    "\n"
                    (pager(pages))
                    "\n" script type="application/json" id="slant-data" { (PreEscaped(self.data_json())) } "\n"
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
svg .box { fill: #a9c4e4; stroke: #2f5d8f; } svg .whisker { stroke: #2f5d8f; } svg .median { stroke: #111; stroke-width: 2; } svg .mean { fill: #c0392b; }
svg g.group:hover .box { fill: #7fa7d6; }
.note { font-size: 0.8em; color: #666; }
#filters { margin: 0.4em 0; font-size: 0.9em; } #filters label { white-space: nowrap; } #n-match { font-weight: bold; }
.table-wrap { overflow-x: auto; max-height: 32em; }
table#doc-table { border-collapse: collapse; font-size: 0.8em; }
table#doc-table th, table#doc-table td { border: 1px solid #ddd; padding: 0.1em 0.4em; text-align: right; white-space: nowrap; }
table#doc-table th { cursor: pointer; background: #f4f4f4; position: sticky; top: 0; }
table#doc-table th.sorted-asc::after { content: " ▲"; } table#doc-table th.sorted-desc::after { content: " ▼"; }
table#doc-table td.id, table#doc-table td.kept { text-align: left; }
nav#nav { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #ccc; padding: 0.4em 0; z-index: 1; }
.legend mark { padding: 0 0.3em; }
.pager, .tpager { margin: 0.4em 0; }
section.doc { border-top: 2px solid #888; margin-top: 1.5em; }
.text { white-space: pre-wrap; line-height: 1.8; font-family: Georgia, serif; }
mark { color: inherit; background: transparent; border-radius: 2px; padding-bottom: 1px; }
mark.side { outline: 1px dashed #555; }
table.counts { border-collapse: collapse; margin: 0.6em 0; font-size: 0.85em; }
table.counts td, table.counts th { border: 1px solid #ccc; padding: 0.1em 0.5em; text-align: right; }
table.counts td:first-child, table.counts th:first-child { text-align: left; }
table.sources { border-collapse: collapse; margin: 0.6em 0; font-size: 0.85em; }
table.sources td, table.sources th { border: 1px solid #ccc; padding: 0.1em 0.5em; text-align: left; vertical-align: top; }
table.sources td.speaker { font-weight: bold; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; border: 1px solid #999; }
"#;

/// The page's script: the overview table (sort, filter, page) drawn from
/// the JSON data block, and the pagination of the highlighted documents in
/// the table's order and filter. Values from the data reach the page only
/// through `textContent` and `value`, never as markup.
const JS: &str = r#"(function () {
  'use strict';
  function $(id) { return document.getElementById(id); }
  var D = JSON.parse($('slant-data').textContent);
  var n = D.ids.length, nText = D.n_text;
  var per = parseInt(document.body.getAttribute('data-per-page'), 10) || 20;
  var rowsPer = 50;
  var main = $('docs');
  var sections = {};
  var secs = main.querySelectorAll('section.doc');
  for (var s = 0; s < secs.length; s++) { sections[secs[s].getAttribute('data-index')] = secs[s]; }
  var state = { sort: null, dir: 1, q: '', kept: {}, fcol: -1, fmin: NaN, fmax: NaN };
  var order = [], withText = [], tpage = 0, page = 0;
  var keptValues = {};  // per kept column with a filter menu: its distinct values, in menu order

  // Sort keys: 'id', 'k<j>' (kept column j), 'v<j>' (score column j).
  function value(key, i) {
    if (key === 'id') { return D.ids[i]; }
    var j = parseInt(key.slice(1), 10);
    return key[0] === 'k' ? D.kept[j][i] : D.values[j][i];
  }
  function passes(i) {
    if (state.q) {
      var hay = D.ids[i];
      for (var k = 0; k < D.kept.length; k++) { hay += '\u0001' + D.kept[k][i]; }
      if (hay.toLowerCase().indexOf(state.q) < 0) { return false; }
    }
    for (var c in state.kept) { if (D.kept[c][i] !== state.kept[c]) { return false; } }
    if (state.fcol >= 0) {
      var v = D.values[state.fcol][i];
      if (v === null) { return false; }
      if (!isNaN(state.fmin) && v < state.fmin) { return false; }
      if (!isNaN(state.fmax) && v > state.fmax) { return false; }
    }
    return true;
  }
  function compare(a, b) {
    var x = value(state.sort, a), y = value(state.sort, b);
    // Undefined values last whichever the direction; ties keep input order.
    if (x === null || y === null) { return x === y ? a - b : (x === null ? 1 : -1); }
    var d = typeof x === 'number' ? x - y : (x < y ? -1 : (x > y ? 1 : 0));
    return d * state.dir || a - b;
  }
  function compute() {
    order = [];
    for (var i = 0; i < n; i++) { if (passes(i)) { order.push(i); } }
    if (state.sort !== null) { order.sort(compare); }
    withText = order.filter(function (i) { return i < nText; });
    var shown = {};
    for (var p = 0; p < withText.length; p++) { shown[withText[p]] = true; main.appendChild(sections[withText[p]]); }
    for (var key in sections) { if (!shown[key]) { sections[key].hidden = true; } }
    tpage = 0;
    $('n-match').textContent = order.length + ' of ' + n + ' documents';
    drawTable();
    show(0);
  }
  function fmt(v) { return v === null ? '–' : String(Math.round(v * 1000) / 1000); }
  function th(text, key, title) {
    var e = document.createElement('th');
    e.textContent = text; e.setAttribute('data-key', key); e.title = title;
    return e;
  }
  function drawHead() {
    var tr = document.createElement('tr');
    tr.appendChild(th('id', 'id', 'document id'));
    for (var k = 0; k < D.kept_names.length; k++) { tr.appendChild(th(D.kept_names[k], 'k' + k, 'kept column ' + D.kept_names[k])); }
    for (var j = 0; j < D.columns.length; j++) { tr.appendChild(th(D.columns[j].name, 'v' + j, D.columns[j].title)); }
    $('doc-table').tHead.appendChild(tr);
  }
  function setDisabled(sel, v) { var b = document.querySelectorAll(sel); for (var k = 0; k < b.length; k++) { b[k].disabled = v; } }
  function drawTable() {
    var ths = $('doc-table').tHead.querySelectorAll('th');
    for (var h = 0; h < ths.length; h++) {
      var key = ths[h].getAttribute('data-key');
      ths[h].className = key === state.sort ? (state.dir > 0 ? 'sorted-asc' : 'sorted-desc') : '';
    }
    var body = $('doc-table').tBodies[0];
    var rows = document.createDocumentFragment();
    var pages = Math.max(1, Math.ceil(order.length / rowsPer));
    tpage = Math.min(Math.max(tpage, 0), pages - 1);
    var end = Math.min(order.length, (tpage + 1) * rowsPer);
    for (var r = tpage * rowsPer; r < end; r++) {
      var i = order[r], tr = document.createElement('tr'), td = document.createElement('td');
      tr.setAttribute('data-index', i);
      td.className = 'id';
      if (i < nText) {
        var a = document.createElement('a'); a.href = '#doc-' + i; a.textContent = D.ids[i]; td.appendChild(a);
      } else { td.textContent = D.ids[i]; td.title = 'highlighted text not included in this report'; }
      tr.appendChild(td);
      for (var k = 0; k < D.kept.length; k++) { td = document.createElement('td'); td.className = 'kept'; td.textContent = D.kept[k][i]; tr.appendChild(td); }
      for (var j = 0; j < D.values.length; j++) { td = document.createElement('td'); td.textContent = fmt(D.values[j][i]); tr.appendChild(td); }
      rows.appendChild(tr);
    }
    body.textContent = '';
    body.appendChild(rows);
    var ind = document.querySelectorAll('.tpage-indicator');
    for (var q = 0; q < ind.length; q++) { ind[q].textContent = 'Rows ' + (order.length ? tpage * rowsPer + 1 : 0) + '–' + end + ' of ' + order.length; }
    setDisabled('button.tprev', tpage === 0); setDisabled('button.tnext', tpage === pages - 1);
  }
  function show(p) {
    var pages = Math.max(1, Math.ceil(withText.length / per));
    page = Math.min(Math.max(p, 0), pages - 1);
    for (var i = 0; i < withText.length; i++) { sections[withText[i]].hidden = Math.floor(i / per) !== page; }
    var ind = document.querySelectorAll('.page-indicator');
    for (var j = 0; j < ind.length; j++) {
      ind[j].textContent = 'Page ' + (page + 1) + ' of ' + pages + ' (' + withText.length + ' documents)';
    }
    setDisabled('button.prev', page === 0); setDisabled('button.next', page === pages - 1);
  }
  function keptFilters() {
    var box = $('kept-filters');
    for (var k = 0; k < D.kept_names.length; k++) {
      var seen = {}, vals = [];
      for (var i = 0; i < n; i++) { var v = D.kept[k][i]; if (!Object.prototype.hasOwnProperty.call(seen, v)) { seen[v] = true; vals.push(v); } }
      if (vals.length > 1000) { continue; }  // the search box serves such columns
      vals.sort();
      var label = document.createElement('label'), sel = document.createElement('select');
      label.textContent = D.kept_names[k] + ' ';
      sel.className = 'kept-filter'; sel.setAttribute('data-k', k);
      var all = document.createElement('option'); all.value = '-1'; all.textContent = '(all)'; sel.appendChild(all);
      for (var j = 0; j < vals.length; j++) { var o = document.createElement('option'); o.value = j; o.textContent = vals[j] === '' ? '(empty)' : vals[j]; sel.appendChild(o); }
      keptValues[k] = vals;
      label.appendChild(sel); box.appendChild(label); box.appendChild(document.createTextNode(' '));
    }
    var fcol = $('fcol');
    for (var c = 0; c < D.columns.length; c++) { var op = document.createElement('option'); op.value = c; op.textContent = D.columns[c].name; fcol.appendChild(op); }
  }
  function readFilters() {
    state.q = $('q').value.trim().toLowerCase();
    state.kept = {};
    var sels = document.querySelectorAll('select.kept-filter');
    for (var k = 0; k < sels.length; k++) {
      var c = sels[k].getAttribute('data-k'), v = parseInt(sels[k].value, 10);
      if (v >= 0) { state.kept[c] = keptValues[c][v]; }
    }
    state.fcol = parseInt($('fcol').value, 10);
    state.fmin = $('fmin').value === '' ? NaN : parseFloat($('fmin').value);
    state.fmax = $('fmax').value === '' ? NaN : parseFloat($('fmax').value);
    compute();
  }
  function clearFilters() {
    $('q').value = ''; $('fcol').value = '-1'; $('fmin').value = ''; $('fmax').value = '';
    var sels = document.querySelectorAll('select.kept-filter');
    for (var k = 0; k < sels.length; k++) { sels[k].value = '-1'; }
    readFilters();
  }
  function fromHash() {
    var m = /^#doc-(\d+)$/.exec(location.hash);
    if (!m) { return; }
    var i = parseInt(m[1], 10), pos = withText.indexOf(i);
    if (pos < 0 && i < nText) { clearFilters(); pos = withText.indexOf(i); }
    if (pos >= 0) { show(Math.floor(pos / per)); sections[i].scrollIntoView(); }
  }
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!t.classList) { return; }
    if (t.classList.contains('prev')) { show(page - 1); main.scrollIntoView(); }
    if (t.classList.contains('next')) { show(page + 1); main.scrollIntoView(); }
    if (t.classList.contains('tprev')) { tpage -= 1; drawTable(); }
    if (t.classList.contains('tnext')) { tpage += 1; drawTable(); }
    if (t.tagName === 'TH' && t.parentNode.parentNode === $('doc-table').tHead) {
      var key = t.getAttribute('data-key');
      state.dir = state.sort === key ? -state.dir : 1;
      state.sort = key;
      compute();
    }
  });
  $('filters').addEventListener('input', readFilters);
  $('filters').addEventListener('change', readFilters);
  $('reset').addEventListener('click', clearFilters);
  window.addEventListener('hashchange', fromHash);
  keptFilters();
  drawHead();
  compute();
  fromHash();
})();
"#;
