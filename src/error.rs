//! The library's one error type. Every error names where it happened (a
//! file, a line, a document) in its message; causes are kept as
//! [`std::error::Error::source`] so the binary can print the whole chain and
//! recognise, for example, a closed pipe. The binary adds `anyhow` on top.

//!
//! The error types of the stages (a corpus record, a lexicon line, a fit)
//! live here too, so this module depends on no other module of the crate
//! but the tagger's (`text::pos::PosError`, the lowest stage); the stages
//! re-export them (`read::ReadError`, ...).

use std::fmt::{self, Display};
use std::io;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or stream could not be opened, read or written; `what` says
    /// which and what was being done ("cannot read model file m.json").
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
    /// An input/output error with no more to say than its own message.
    #[error(transparent)]
    Os(#[from] io::Error),
    /// A corpus record or file that cannot be read (with its location and
    /// document id).
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A lexicon, sides or dictionary file with a bad line.
    #[error(transparent)]
    Table(#[from] TableError),
    /// A model could not be fitted.
    #[error(transparent)]
    Fit(#[from] ModelError),
    /// The part-of-speech tagger's model or training data.
    #[error(transparent)]
    Pos(#[from] crate::text::pos::PosError),
    /// A model file's binary body does not match its header (truncated, corrupt).
    #[error(transparent)]
    ModelBody(#[from] crate::models::body::BodyError),
    #[error("cannot write CSV")]
    Csv(#[from] csv::Error),
    #[error("invalid JSON")]
    Json(#[from] serde_json::Error),
    #[error("cannot write Parquet")]
    Parquet(#[from] parquet::errors::ParquetError),
    /// Anything else the caller got wrong or the data does not allow, with
    /// the position in the message.
    #[error("{0}")]
    Invalid(String),
    /// An error with what was being done when it happened.
    #[error("{context}")]
    Context {
        context: String,
        #[source]
        source: Box<Error>,
    },
}

/// csv::Error keeps its io::Error as a kind, not as a source.
fn csv_io(c: &csv::Error) -> Option<&io::Error> {
    match c.kind() {
        csv::ErrorKind::Io(io) => Some(io),
        _ => None,
    }
}

impl Error {
    pub fn invalid(message: impl Display) -> Self {
        Error::Invalid(message.to_string())
    }

    pub fn io(what: impl Display, source: io::Error) -> Self {
        Error::Io { what: what.to_string(), source }
    }

    /// Whether a closed pipe (e.g. `slant score ... | head`) caused this.
    pub fn is_broken_pipe(&self) -> bool {
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(e) = cur {
            let ours = e.downcast_ref::<Error>().or_else(|| e.downcast_ref::<Box<Error>>().map(|b| &**b));
            let io = match ours {
                Some(Error::Io { source, .. }) | Some(Error::Os(source)) => Some(source),
                Some(Error::Csv(c)) => csv_io(c),
                _ => e.downcast_ref::<io::Error>().or_else(|| e.downcast_ref::<csv::Error>().and_then(csv_io)),
            };
            if io.is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe) {
                return true;
            }
            cur = e.source();
        }
        false
    }

    /// The message with every cause, as one line ("a: b: c").
    pub fn full_message(&self) -> String {
        let mut out = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            out.push_str(": ");
            out.push_str(&c.to_string());
            cause = c.source();
        }
        out
    }
}

/// A problem reading input. `fatal` errors end the input (bad options, an
/// unreadable or corrupt file); others affect one record only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub location: String,
    pub doc_id: Option<String>,
    pub message: String,
    pub fatal: bool,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.doc_id {
            Some(id) => write!(f, "{} (document '{}'): {}", self.location, id, self.message),
            None => write!(f, "{}: {}", self.location, self.message),
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    pub fn fatal(location: impl Into<String>, message: impl Into<String>) -> Self {
        ReadError { location: location.into(), doc_id: None, message: message.into(), fatal: true }
    }
    pub fn record(location: impl Into<String>, message: impl Into<String>) -> Self {
        ReadError { location: location.into(), doc_id: None, message: message.into(), fatal: false }
    }
}

/// A problem in a lexicon or sides file, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for TableError {}

/// Errors from fitting (implements what linfa's `Fit` trait requires).
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("invalid training data: {0}")]
    Data(String),
    #[error("invalid hyperparameter: {0}")]
    Param(String),
    #[error("optimiser failed: {0}")]
    Solver(String),
    #[error(transparent)]
    Linfa(#[from] linfa::error::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `.context(...)` for library results, as anyhow has it, but keeping the
/// typed error underneath.
pub trait Context<T> {
    fn context(self, context: impl Display) -> Result<T>;
    fn with_context<C: Display>(self, f: impl FnOnce() -> C) -> Result<T>;
}

impl<T, E: Into<Error>> Context<T> for std::result::Result<T, E> {
    fn context(self, context: impl Display) -> Result<T> {
        self.map_err(|e| Error::Context { context: context.to_string(), source: Box::new(e.into()) })
    }
    fn with_context<C: Display>(self, f: impl FnOnce() -> C) -> Result<T> {
        self.map_err(|e| Error::Context { context: f().to_string(), source: Box::new(e.into()) })
    }
}

/// Return early with an [`Error::Invalid`] built like `format!`.
#[macro_export]
macro_rules! bail {
    ($($arg:tt)*) => {
        return Err($crate::error::Error::Invalid(format!($($arg)*)))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_keeps_the_cause_in_the_chain() {
        let io = io::Error::new(io::ErrorKind::BrokenPipe, "pipe closed");
        let e = Err::<(), _>(io).context("cannot write scores.csv").unwrap_err();
        assert_eq!(e.to_string(), "cannot write scores.csv");
        assert_eq!(e.full_message(), "cannot write scores.csv: pipe closed");
        assert!(e.is_broken_pipe());
        assert!(!Error::invalid("x").is_broken_pipe());
        // A closed pipe seen by the CSV writer.
        let csv_err = csv::Error::from(io::Error::new(io::ErrorKind::BrokenPipe, "closed"));
        assert!(Err::<(), _>(Error::Csv(csv_err)).context("cannot write output").unwrap_err().is_broken_pipe());
    }
}
