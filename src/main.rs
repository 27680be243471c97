//! The `slant` binary: a thin layer over the library's subcommands.

use clap::{Parser, Subcommand};

/// `eprintln!` that never panics: a standard error closed by its reader
/// (`2>&1 | head`) loses the line, and the run keeps its exit status.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;

use cli::common::{error_status, status, Outcome};
use cli::{
    codebook, dict, eval, explain, keyness, kwic, lexicon, model, report, score, summarize, terms, tokens, train,
};

#[derive(Debug, Parser)]
#[command(
    name = "slant",
    version,
    about = "Measure how news is framed: hedging, attribution and sourcing, boosters, loaded wording, quoted voice and partisan balance, with evidence for every number.",
    after_help = "Examples:
  slant score datasets/examples -o scores.csv --sentences sentences.csv --matches matches.csv
  slant explain datasets/examples/anonymous-scoop.txt
  slant tokens datasets/examples -o tokens.csv
  slant codebook -o codebook.csv
  slant lexicon export -o framing.tsv
  slant report datasets/examples -o report.html
  slant train data.csv --label-col label --group-col outlet --cv 5 -o models/mine.json
  slant eval models/mine.json heldout.csv --label-col label -o metrics.csv
  slant summarize scores.csv --by outlet -o by_outlet.csv
  slant terms matches.csv --scores scores.csv --by outlet -o terms.csv
  slant kwic corpus.csv --category hedge --keep-cols outlet -o hedges_in_context.csv
  slant keyness corpus.csv --group-col leaning --target left --reference right -o keyness.csv

Exit status (every subcommand that reads a corpus: score, tokens, kwic, report, explain, train, eval, keyness):
  0  everything was read and processed
  1  error: the run stopped (a bad option value, an unreadable lexicon or model, an output that
     cannot be written, --strict at a bad record, standard output closed by its reader while
     other output files were still to come); no output is written (if some already were, a
     line names them)
  2  the command line is wrong (unknown option, missing argument)
  3  finished with its outputs written, but input was lost: records or files were skipped (a
     truncated or corrupt .gz, an unreadable file, a bad record); they are listed on standard
     error and by `score --errors FILE`. --allow-skips exits with 0 instead
  4  nothing usable in the input: no documents (e.g. a folder without .txt or .html files), or a
     column or field named by an option (--text-col, --id-col, --keep-cols, --label-col,
     --group-col) is not there; no output is written
  130  interrupted (Ctrl-C, SIGTERM, SIGHUP): unfinished outputs removed, previous ones intact"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score documents: one CSV row per document (plus optional sentence and evidence files).
    Score(score::ScoreArgs),
    /// Show documents in the terminal with every match marked, and a per-sentence summary.
    Explain(explain::ExplainArgs),
    /// Write the token table: offsets, sentence, lowercase form, stem, part-of-speech tags, quotation flag.
    Tokens(tokens::TokensArgs),
    /// Write one self-contained HTML report: corpus charts (per group with --by), a table of every document to sort and filter, and documents with their matches highlighted.
    Report(report::ReportArgs),
    /// Write the codebook: every column of every table slant writes (score, summarize, terms, keyness,
    /// kwic, tokens, train, eval, model inspect) with definition, unit, range and source.
    Codebook(codebook::CodebookArgs),
    /// Train a classifier on labelled text with cross-validated metrics; save a model file.
    Train(Box<train::TrainArgs>),
    /// Evaluate a model file on held-out labelled data.
    Eval(eval::EvalArgs),
    /// Compare groups of a scores table: n, mean, SD, median, bootstrap interval; differences with Hedges' g.
    Summarize(summarize::SummarizeArgs),
    /// Which words each category matched: counts, documents, per-1k rates, per group (from a --matches file).
    Terms(terms::TermsArgs),
    /// Every match of a category or pattern with its sentence around it (keyword in context), with offsets.
    Kwic(Box<kwic::KwicArgs>),
    /// Rank stems and bigrams marking one group of documents against another (weighted log-odds, chi-squared).
    Keyness(Box<keyness::KeynessArgs>),
    /// Print a shell completion script (e.g. `slant completions bash > /etc/bash_completion.d/slant`).
    #[command(
        after_help = "Examples:\n  slant completions bash > ~/.local/share/bash-completion/completions/slant\n  slant completions zsh > ~/.zfunc/_slant\n  slant completions fish > ~/.config/fish/completions/slant.fish"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Inspect model files.
    #[command(subcommand)]
    Model(model::ModelCommand),
    /// Check custom dictionaries (LIWC .dic, YAML, CSV) for use with --dict.
    #[command(subcommand)]
    Dict(dict::DictCommand),
    /// Write the built-in lexicons to files you can read, cite and edit.
    #[command(subcommand)]
    Lexicon(lexicon::LexiconCommand),
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => usage_error(e),
    };
    // Ctrl-C, SIGTERM (a cluster job's time limit, `kill`), SIGHUP: the
    // outputs being written are temporary files until the run completes;
    // remove them (the previous outputs stay as they were) and exit 130.
    // Without this they would be left behind as hidden `.name.*.tmp` files.
    // Outputs are moved into place one after another: an interrupt between
    // two of them says which were replaced. The log stays locked until the
    // exit, so none is moved into place after the message.
    let _ = ctrlc::set_handler(|| {
        let log = slant::files::remove_unfinished();
        if log.replaced().is_empty() {
            note!("slant: interrupted: unfinished outputs removed, previous outputs left as they were");
        } else {
            note!(
                "slant: interrupted: already written: {}; not written (previous versions left as they were): {}",
                names(log.replaced()),
                names(&log.not_written())
            );
        }
        std::process::exit(cli::common::status::INTERRUPTED);
    });
    let result: anyhow::Result<Outcome> = match cli.command {
        Command::Score(a) => score::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Tokens(a) => tokens::run(a),
        Command::Report(a) => report::run(a),
        Command::Codebook(a) => codebook::run(a).map(|()| Outcome::Complete),
        Command::Train(a) => train::run(*a),
        Command::Eval(a) => eval::run(a),
        Command::Model(a) => model::run(a).map(|()| Outcome::Complete),
        Command::Keyness(a) => keyness::run(*a),
        Command::Kwic(a) => kwic::run(*a),
        Command::Summarize(a) => summarize::run(a).map(|()| Outcome::Complete),
        Command::Terms(a) => terms::run(a).map(|()| Outcome::Complete),
        Command::Dict(a) => dict::run(a).map(|()| Outcome::Complete),
        Command::Lexicon(a) => lexicon::run(a).map(|()| Outcome::Complete),
        Command::Completions { shell } => {
            // Generated into memory first: clap_complete panics when its
            // writer fails (a closed pipe, `| head`), a plain write does not.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "slant", &mut script);
            std::io::Write::write_all(&mut std::io::stdout().lock(), &script)
                .map_err(anyhow::Error::from)
                .map(|()| Outcome::Complete)
        }
    };
    std::process::exit(match result {
        Ok(outcome) => outcome.status(),
        Err(e) => report_error(&e),
    })
}

/// Print an error and return its exit status (see `cli::common::status`).
fn report_error(e: &anyhow::Error) -> i32 {
    // A closed pipe (e.g. `| head`) is not an error worth reporting.
    let broken_pipe = |c: &(dyn std::error::Error + 'static)| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<slant::error::Error>().is_some_and(|e| e.is_broken_pipe())
    };
    let (written, not_written) = slant::files::output_log();
    if e.chain().any(broken_pipe) {
        if not_written.is_empty() {
            return status::OK;
        }
        // The reader of standard output stopped early (`| head`): fine for
        // that output, but the files still to come were never written,
        // which a plain success would hide.
        note!(
            "slant: error: standard output was closed before the run finished, so these outputs were not \
             written (previous versions left as they were): {}",
            names(&not_written)
        );
        return status::ERROR;
    }
    note!("slant: error: {e:#}");
    if !written.is_empty() {
        note!(
            "slant: written before the error: {}; not written (previous versions left as they were): {}",
            names(&written),
            names(&not_written)
        );
    }
    error_status(e)
}

/// "a.csv, b.csv" (or "none").
fn names<P: AsRef<std::path::Path>>(paths: &[P]) -> String {
    if paths.is_empty() {
        return "none".to_string();
    }
    paths.iter().map(|p| p.as_ref().display().to_string()).collect::<Vec<_>>().join(", ")
}

/// clap's message and exit status (2, or 0 for --help and --version), with
/// a hint when inputs went missing behind `--model`, which takes several
/// files (`slant score --model a.json corpus/` reads `corpus/` as a model).
fn usage_error(e: clap::Error) -> ! {
    let _ = e.print();
    let missing = e.kind() == clap::error::ErrorKind::MissingRequiredArgument;
    if missing && std::env::args().any(|a| a == "--model") {
        note!(
            "\nnote: --model takes one or more files, so the inputs right after it were read as models: \
             put the inputs first (`slant score corpus/ --model a.json b.json`) or end the --model list with another option"
        );
    }
    std::process::exit(if e.use_stderr() { status::USAGE } else { status::OK })
}
