//! `slant explain`: a document in the terminal with every match marked by
//! category, then a per-sentence summary, so a reader can check the numbers.

use super::common::{
    load_lexicons_and_models, no_limit_if_zero, Console, CorpusInput, InputArgs, LexiconArgs, Outcome, RunArgs,
};
use anstream::AutoStream;
use anstyle::{AnsiColor, Color, Style};
use anyhow::Result;
use clap::{Args, ValueEnum};
use slant::engine::{
    score_document, stacked_sentence_rows, Engine, EngineConfig, Item, Scored, SentenceSlices, SENTENCE_FLAG_THRESHOLD,
};
use slant::models::artifact::{Level, TrainedModel};
use slant::output::columns::label_names;
use slant::signals::{Label, Match, SignalSet, Worker};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is unset
    /// (anstream's rules: also CLICOLOR, CLICOLOR_FORCE and TERM=dumb).
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  slant explain datasets/examples/anonymous-scoop.txt
  slant explain articles.csv --text-col body --limit 3 --color never | less")]
pub struct ExplainArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Explain at most N documents (0: all).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,

    /// Also show trained models' probabilities and the features that
    /// pushed them: one or more files (`--model a.json b.json`; repeatable).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub model: Vec<std::path::PathBuf>,

    /// Features listed per model.
    #[arg(long, default_value_t = 12)]
    pub top: usize,

    /// Colour output; without colour, matches are shown as [text]{category/subcategory}.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(flatten)]
    pub lexicons: LexiconArgs,

    #[command(flatten)]
    pub run: RunArgs,
}

/// Bold or underlined foreground colour.
const fn styled(color: AnsiColor, underline: bool) -> Style {
    let s = Style::new().fg_color(Some(Color::Ansi(color)));
    if underline {
        s.underline()
    } else {
        s.bold()
    }
}

/// Styles per category position (cycled).
const STYLES: [Style; 10] = [
    styled(AnsiColor::Yellow, false),
    styled(AnsiColor::Magenta, false),
    styled(AnsiColor::Green, false),
    styled(AnsiColor::Cyan, false),
    styled(AnsiColor::Blue, false),
    styled(AnsiColor::Red, false),
    styled(AnsiColor::Yellow, true),
    styled(AnsiColor::Magenta, true),
    styled(AnsiColor::Green, true),
    styled(AnsiColor::Cyan, true),
];
/// Side mentions and statements.
const SIDE_STYLE: Style = Style::new().invert();

impl From<ColorChoice> for anstream::ColorChoice {
    fn from(c: ColorChoice) -> Self {
        match c {
            ColorChoice::Auto => anstream::ColorChoice::Auto,
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
        }
    }
}

pub fn run(args: ExplainArgs) -> Result<Outcome> {
    let (set, models) = load_lexicons_and_models(&args.lexicons, &args.model)?;
    // Colour is decided once, here, by anstream (`auto`: standard output is
    // a terminal, NO_COLOR unset or empty, CLICOLOR/CLICOLOR_FORCE, TERM not
    // `dumb`), because the workers must know which form to render: the plain
    // form is not the coloured one with its escapes stripped, it adds
    // `[..]{category/subcategory}`. Everything is still written through the
    // AutoStream, which passes the styles through when colour is on and, when
    // it is off, also strips escape sequences that a document's own text
    // may carry.
    let mut w = AutoStream::new(std::io::stdout(), args.color.into());
    let color = w.current_choice() != anstream::ColorChoice::Never;
    if color {
        write!(w, "legend:")?;
        for (i, c) in set.lexicon.categories.iter().enumerate() {
            let style = STYLES[i % STYLES.len()];
            write!(w, " {style}{}{style:#}", c.name)?;
        }
        writeln!(w, " {SIDE_STYLE}side mention{SIDE_STYLE:#}")?;
    }
    // Documents are scored and rendered on all threads, printed in order.
    let console = Console::new(args.run.quiet);
    let engine = Engine::new(EngineConfig { limit: no_limit_if_zero(Some(args.limit)), ..args.run.engine_config() })?;
    let explain_one = |worker: &mut Worker, doc| -> Result<Vec<u8>> {
        let scored = score_document(&set, worker, doc);
        let mut out = Vec::new();
        render(&mut out, &set, &scored, color, &args.input.keep_cols)?;
        for m in &models {
            explain_model(&mut out, &set, m, &scored, worker, args.top)?;
        }
        Ok(out)
    };
    let summary = CorpusInput::new(&args.input).run(
        &engine,
        explain_one,
        |batch| {
            for item in batch {
                if let Item::Done(text) = item {
                    let text = text.map_err(|e| slant::error::Error::invalid(format!("{e:#}")))?;
                    w.write_all(&text).map_err(|e| slant::error::Error::io("cannot write to standard output", e))?;
                }
            }
            Ok(())
        },
        &console,
    )?;
    Ok(console.outcome(summary.skipped, &args.run))
}

/// A model's probabilities and the features that pushed the predicted
/// class (contribution = weight x feature value for linear models; change
/// in probability along the decision path for trees). A document-level
/// model is explained on the whole text; a sentence-level model on each
/// sentence (the unit it was trained on): its per-sentence probabilities,
/// the sentences it flags, and the features of the sentence it is surest of.
fn explain_model(
    w: &mut impl Write,
    set: &SignalSet,
    m: &TrainedModel,
    scored: &Scored,
    worker: &mut Worker,
    top: usize,
) -> Result<()> {
    let text = &scored.doc.text;
    let units: Vec<&str> = match m.file.level {
        Level::Document => vec![text.as_str()],
        Level::Sentence => scored.signals.analyzed.sentences.iter().map(|s| &text[s.span.start..s.span.end]).collect(),
    };
    if units.is_empty() {
        writeln!(w, "--- model '{}' ({:?}): no sentence to apply it to ---\n", m.file.name, m.file.algorithm())?;
        return Ok(());
    }
    // A sentence's row is the slice of the document's analysis, as `score`
    // computes it (its quotation state and matches in the article's
    // context): the run's analysis when the model shares its lexicons
    // (`sentence_rows` analyses again if its word ids went stale), else the
    // model's own analysis of the text. The models it stacks (if any) give
    // their probabilities of the same rows, as in `score`.
    let x = match m.file.level {
        Level::Document => m.featurize(&units, worker),
        Level::Sentence => {
            let slices = SentenceSlices::new(set, &scored.signals, scored.generation);
            stacked_sentence_rows(set, m, worker, text, Some(&slices), &[])
        }
    };
    // The run stops here: the message names the document and the model.
    let x = x.map_err(|e| {
        anyhow::anyhow!("{} (document '{}'): model '{}': {e}", scored.doc.location, scored.doc.id, m.file.name)
    })?;
    let p = m.file.estimator.predict_proba(&x);
    let labels = &m.file.labels;
    let argmax = |r: usize| (0..p.ncols()).fold(0, |b, c| if p[[r, c]] > p[[r, b]] { c } else { b });
    let probs = |r: usize| -> String {
        labels.iter().enumerate().map(|(c, l)| format!("{l}={:.3}", p[[r, c]])).collect::<Vec<_>>().join(" ")
    };
    // What is explained: for a document, its predicted label. For sentences,
    // the label flagged in the fewest sentences (the informative one, e.g.
    // 'uncertain' rather than 'certain') and the sentence with its highest
    // probability; the surest prediction when no sentence is flagged.
    let flagged_in = |c: usize| (0..p.nrows()).filter(|&r| p[[r, c]] > SENTENCE_FLAG_THRESHOLD).count();
    // Ties go to the label with less probability over all sentences.
    let mass = |c: usize| p.column(c).sum();
    let rarest = (0..p.ncols())
        .filter(|&c| flagged_in(c) > 0)
        .min_by(|&a, &b| flagged_in(a).cmp(&flagged_in(b)).then(mass(a).total_cmp(&mass(b))));
    let (row, best) = match rarest {
        Some(c) => ((0..p.nrows()).fold(0, |b, r| if p[[r, c]] > p[[b, c]] { r } else { b }), c),
        None => {
            let r = (0..p.nrows()).fold(0, |b, r| if p[[r, argmax(r)]] > p[[b, argmax(b)]] { r } else { b });
            (r, argmax(r))
        }
    };
    match m.file.level {
        Level::Document => writeln!(w, "--- model '{}' ({:?}): {} ---", m.file.name, m.file.algorithm(), probs(0))?,
        Level::Sentence => {
            writeln!(
                w,
                "--- sentence-level model '{}' ({:?}), per sentence (idx, probabilities, flagged = a label above {SENTENCE_FLAG_THRESHOLD}) ---",
                m.file.name,
                m.file.algorithm()
            )?;
            for (i, unit) in units.iter().enumerate() {
                let flagged: Vec<&str> = labels
                    .iter()
                    .enumerate()
                    .filter(|&(c, _)| p[[i, c]] > SENTENCE_FLAG_THRESHOLD)
                    .map(|(_, l)| l.as_str())
                    .collect();
                let preview: String = unit.chars().take(60).map(|c| if c == '\n' { ' ' } else { c }).collect();
                writeln!(w, "{i:>4} {}  [{}] | {preview}", probs(i), flagged.join(","))?;
            }
            writeln!(w, "explained: sentence {row}")?;
        }
    }
    writeln!(w, "features pushing '{}' (contribution, feature):", labels[best])?;
    for (f, v) in m.file.estimator.contributions(&x, row, best).into_iter().take(top) {
        writeln!(w, "  {v:+.4}  {}", m.file.features.feature_name(f as usize))?;
    }
    writeln!(w)?;
    Ok(())
}

/// Evidence for one document.
/// `kept_names` are the `--keep-cols` names, shown with their values after the id.
pub fn render(w: &mut impl Write, set: &SignalSet, s: &Scored, color: bool, kept_names: &[String]) -> Result<()> {
    let text = &s.doc.text;
    let kept: String = kept_names.iter().zip(&s.doc.kept).map(|(n, v)| format!("{n}: {v}; ")).collect();
    writeln!(
        w,
        "=== {} ({kept}{} words, {} sentences, {} quoted words) ===",
        s.doc.id, s.stats.n_words, s.stats.n_sentences, s.stats.n_quoted_words
    )?;
    // Walk the text in segments where the set of active matches is constant,
    // so overlapping matches of different categories are all shown.
    let ms = &s.signals.matches;
    for seg in slant::signals::segments(ms, text.len()) {
        let text_seg = &text[seg.start..seg.end];
        let active: Vec<&Match> = seg.active.iter().map(|&i| &ms[i]).collect();
        if active.is_empty() {
            w.write_all(text_seg.as_bytes())?;
            continue;
        }
        let labels: Vec<String> = active
            .iter()
            .map(|m| {
                let (c, sub) = label_names(&set.lexicon, &set.sides, m.label);
                format!("{c}/{sub}")
            })
            .collect();
        if color {
            let style = match active[0].label {
                Label::Framing { category, .. } => STYLES[category % STYLES.len()],
                _ => SIDE_STYLE,
            };
            write!(w, "{style}{text_seg}{style:#}")?;
        } else {
            write!(w, "[{text_seg}]{{{}}}", labels.join(","))?;
        }
    }
    writeln!(w)?;
    writeln!(w, "--- sentences (idx, chars, words, quoted share, counted matches) ---")?;
    for (i, sent) in s.signals.analyzed.sentences.iter().enumerate() {
        let st = &s.stats.sentences[i];
        let counts: Vec<String> = set
            .lexicon
            .categories
            .iter()
            .zip(&st.categories)
            .filter(|(_, &n)| n > 0)
            .map(|(c, n)| format!("{}={n}", c.name))
            .collect();
        let quoted = if st.n_words > 0 { st.n_quoted_words as f64 / st.n_words as f64 } else { 0.0 };
        let preview: String =
            text[sent.span.start..sent.span.end].chars().take(60).map(|c| if c == '\n' { ' ' } else { c }).collect();
        writeln!(
            w,
            "{i:>4} {:>6}-{:<6} {:>3}w q={quoted:.2}  {:<40} | {preview}",
            sent.span.char_start,
            sent.span.char_end,
            st.n_words,
            counts.join(" ")
        )?;
    }
    render_sources(w, set, s)?;
    let negated = ms.iter().filter(|m| !m.counted()).count();
    if negated > 0 {
        writeln!(w, "({negated} negated match(es) not counted; see `score --matches`)")?;
    }
    writeln!(w)?;
    Ok(())
}

/// Who says what: each attribution record with its speaker, cue and content
/// (the rows of `score --sources`).
fn render_sources(w: &mut impl Write, set: &SignalSet, s: &Scored) -> Result<()> {
    let recs = &s.signals.attributions;
    if recs.is_empty() {
        return Ok(());
    }
    let tokens = &s.signals.analyzed.tokens;
    let text = &s.doc.text;
    let span_text = |r: Option<(usize, usize)>| -> String {
        r.map_or(String::new(), |(a, b)| {
            text[tokens[a].span.start..tokens[b - 1].span.end]
                .chars()
                .map(|c| if c == '\n' { ' ' } else { c })
                .collect()
        })
    };
    writeln!(w, "--- who says what (idx, sentence, source [type], cue, mode: content; sides) ---")?;
    for (i, r) in recs.iter().enumerate() {
        let mut source = match r.source {
            Some(_) => format!("{} [{}]", span_text(r.source), r.source_type.name()),
            None => "(no source) [none]".to_string(),
        };
        if r.source_type == slant::signals::attribution::SourceType::Pronoun {
            source.push_str(&match r.name {
                Some(_) => format!(" = {}", span_text(r.name)),
                None => " (unresolved)".into(),
            });
        }
        let mut content = span_text(r.content);
        if content.chars().count() > 80 {
            content = content.chars().take(77).collect::<String>() + "...";
        }
        let sides: Vec<String> = r
            .sides
            .iter()
            .enumerate()
            .filter_map(|(d, of_side)| slant::output::report::side_text(&set.sides.dimensions[d], *of_side))
            .collect();
        writeln!(
            w,
            "{i:>4} s{:<4} {source} -- {} ({}{}) -- {}: \"{content}\"{}",
            r.sentence,
            span_text(Some(r.cue)),
            r.verb_class.name(),
            if r.in_quote { ", in quotation" } else { "" },
            r.mode.name(),
            if sides.is_empty() { String::new() } else { format!("; {}", sides.join(" ")) }
        )?;
    }
    Ok(())
}
