//! Errors: every one names the document it concerns and says what is wrong.

use crate::fill::FillProblem;
use std::path::PathBuf;

/// Why a document (or a template file) could not be read.
///
/// Each variant carries the path or name the caller gave, so a message
/// printed on its own still says which file failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read from disk.
    #[error("{file}: cannot read the file: {source}")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a PDF at all (empty, HTML, an image...).
    #[error("{file}: not a PDF file ({reason})")]
    NotPdf { file: PathBuf, reason: String },
    /// The file starts like a PDF but its structure cannot be read.
    #[error("{file}: damaged PDF: {reason}")]
    Damaged { file: PathBuf, reason: String },
    /// The document is encrypted and the empty user password does not open it.
    /// The message names no way of giving one: that is the front end's to say.
    #[error("{file}: the PDF is encrypted and needs a password")]
    PasswordRequired { file: PathBuf },
    /// A password was given but it opens neither the user nor the owner lock.
    #[error("{file}: the password given does not open this encrypted PDF")]
    WrongPassword { file: PathBuf },
    /// The document has an XFA form and no AcroForm fields, and its XFA
    /// data packet holds no values we can report.
    #[error("{file}: XFA-only form: the fields live in an XFA template and {detail}")]
    XfaOnly { file: PathBuf, detail: String },
    /// The field tree is nested deeper than any real form would be.
    #[error("{file}: the form field tree is deeper than {limit} levels (at \"{field}\")")]
    FieldTreeTooDeep {
        file: PathBuf,
        field: String,
        limit: usize,
    },
    /// A page number outside the document was asked for.
    #[error("{file}: there is no page {page} (the document has {count} pages)")]
    NoSuchPage {
        file: PathBuf,
        page: u32,
        count: u32,
    },
    /// A template file could not be read or is not valid template TOML.
    #[error("{file}: bad template file: {reason}")]
    Template { file: PathBuf, reason: String },
    /// The values to fill in do not fit the form; every problem is listed,
    /// each naming its field.
    #[error("{file}: the values do not fit the form:{}", problem_lines(problems))]
    InvalidFill {
        file: PathBuf,
        problems: Vec<FillProblem>,
    },
    /// The document is encrypted and the password it was opened with does
    /// not allow the change.
    #[error(
        "{file}: the PDF's permissions do not allow {what} with the password it was opened with"
    )]
    ChangesNotAllowed { file: PathBuf, what: &'static str },
    /// The filled document could not be written.
    #[error("{file}: cannot write the filled form: {source}")]
    Write {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn problem_lines(problems: &[FillProblem]) -> String {
    problems.iter().map(|p| format!("\n  {p}")).collect()
}

/// An error is cloned when a document's eager load, made once, is asked
/// for again; an I/O error keeps its kind and message.
impl Clone for Error {
    fn clone(&self) -> Self {
        match self {
            Error::Io { file, source } => Error::Io {
                file: file.clone(),
                source: std::io::Error::new(source.kind(), source.to_string()),
            },
            Error::NotPdf { file, reason } => Error::NotPdf {
                file: file.clone(),
                reason: reason.clone(),
            },
            Error::Damaged { file, reason } => Error::Damaged {
                file: file.clone(),
                reason: reason.clone(),
            },
            Error::PasswordRequired { file } => Error::PasswordRequired { file: file.clone() },
            Error::WrongPassword { file } => Error::WrongPassword { file: file.clone() },
            Error::XfaOnly { file, detail } => Error::XfaOnly {
                file: file.clone(),
                detail: detail.clone(),
            },
            Error::FieldTreeTooDeep { file, field, limit } => Error::FieldTreeTooDeep {
                file: file.clone(),
                field: field.clone(),
                limit: *limit,
            },
            Error::NoSuchPage { file, page, count } => Error::NoSuchPage {
                file: file.clone(),
                page: *page,
                count: *count,
            },
            Error::Template { file, reason } => Error::Template {
                file: file.clone(),
                reason: reason.clone(),
            },
            Error::InvalidFill { file, problems } => Error::InvalidFill {
                file: file.clone(),
                problems: problems.clone(),
            },
            Error::ChangesNotAllowed { file, what } => Error::ChangesNotAllowed {
                file: file.clone(),
                what,
            },
            Error::Write { file, source } => Error::Write {
                file: file.clone(),
                source: std::io::Error::new(source.kind(), source.to_string()),
            },
        }
    }
}

impl Error {
    /// True when the problem is with what the user supplied (a password is
    /// missing or wrong, a template is malformed, a page does not exist),
    /// as opposed to a damaged or unsupported document.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::Io { .. }
                | Error::PasswordRequired { .. }
                | Error::WrongPassword { .. }
                | Error::NoSuchPage { .. }
                | Error::Template { .. }
                | Error::ChangesNotAllowed { .. }
        )
    }
}

/// Shorthand for results in this crate.
pub type Result<T> = std::result::Result<T, Error>;
