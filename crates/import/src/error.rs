//! The one error type of all importers: which file, where in it, what was found and expected.

use std::fmt;
use thiserror::Error;
use xxgk_model::{Lang, Location, Text};

/// What kind of problem stopped an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not well-formed (malformed JSON, a broken zip, invalid CSV).
    Syntax,
    /// Well-formed, but not shaped like a report (wrong field type, unknown cell id).
    Shape,
    /// Not a format xxgk reads, or an encrypted or unsupported file.
    Format,
    /// A table, row, column or required field could not be found.
    Missing,
    /// The input exceeds a limit (size, rows, cells).
    Limit,
}

/// Why a file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct ImportError {
    /// The file (as named by the caller).
    pub file: String,
    /// What kind of problem.
    pub kind: ErrorKind,
    /// Where in the file, when known (boxed to keep `Result`s small).
    pub location: Option<Box<Location>>,
    /// What was found and what was expected, in Chinese and English.
    pub message: Text,
}

impl ImportError {
    /// A new error.
    pub fn new(
        file: &str,
        kind: ErrorKind,
        location: Option<Location>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        ImportError {
            file: file.to_string(),
            kind,
            location: location.map(Box::new),
            message: Text::new(zh, en),
        }
    }

    /// The kind as `validate --json` and `aggregate --json` name it (`kind` of a file error):
    /// `syntax`, `shape`, `format`, `missing` or `limit`.
    pub fn kind_code(&self) -> &'static str {
        match self.kind {
            ErrorKind::Syntax => "syntax",
            ErrorKind::Shape => "shape",
            ErrorKind::Format => "format",
            ErrorKind::Missing => "missing",
            ErrorKind::Limit => "limit",
        }
    }

    /// The error as the JSON outputs carry it.
    pub fn file_error(&self) -> xxgk_model::output::FileError {
        xxgk_model::output::FileError {
            kind: self.kind_code().to_string(),
            location: self.location.as_deref().cloned(),
            message: self.message.clone(),
        }
    }

    /// The error as one line in `lang`: `file: place: message`.
    pub fn describe(&self, lang: Lang) -> String {
        let place = self
            .location
            .as_ref()
            .map(|l| l.display(lang))
            .filter(|p| !p.is_empty());
        match place {
            Some(p) => format!("{}: {}: {}", self.file, p, self.message.get(lang)),
            None => format!("{}: {}", self.file, self.message.get(lang)),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::Zh))
    }
}
