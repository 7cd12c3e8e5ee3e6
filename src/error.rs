//! Diagnostics: every problem found in the content, with the file, position, key and a hint.
//!
//! A diagnostic prints as `path:line:col: error: key: message` followed by an indented
//! `hint:` line, so editors and terminals can jump to the place. Positions are 1-based and
//! relative to the file (also inside front matter).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::i18n::{Lang, Text};

/// How serious a diagnostic is. Errors fail the build; warnings are reported (and fail with
/// `--strict`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a file, 1-based. `line == 0` means "the file as a whole".
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub const fn new(line: usize, col: usize) -> Self {
        Pos { line, col }
    }
    /// The start of a file.
    pub const START: Pos = Pos { line: 1, col: 1 };
}

/// One problem in the content.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the content folder, with `/` separators.
    pub file: String,
    #[serde(flatten)]
    pub pos: Pos,
    /// The key involved, as a path such as `steps[2].screenshot.alt` (empty when none).
    pub key: String,
    pub message: Text,
    pub hint: Text,
}

impl Diagnostic {
    pub fn error(file: &str, pos: Pos, key: &str, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            pos,
            key: key.to_string(),
            message,
            hint: Text::default(),
        }
    }

    pub fn warning(file: &str, pos: Pos, key: &str, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, key, message)
        }
    }

    pub fn hint(mut self, hint: Text) -> Self {
        self.hint = hint;
        self
    }

    /// Formats the diagnostic with the content folder prefixed to its file, as the user
    /// typed the folder on the command line, in `lang`.
    pub fn display<'a>(&'a self, root: &'a Path, lang: Lang) -> DisplayDiagnostic<'a> {
        DisplayDiagnostic {
            d: self,
            root,
            lang,
        }
    }
}

/// Display adapter returned by [`Diagnostic::display`].
pub struct DisplayDiagnostic<'a> {
    d: &'a Diagnostic,
    root: &'a Path,
    lang: Lang,
}

/// Joins the content folder and a content-relative path for display (`./` left out).
pub fn display_path(root: &Path, file: &str) -> String {
    let root = root.to_string_lossy();
    let root = root.trim_end_matches('/');
    if root.is_empty() || root == "." {
        file.to_string()
    } else if file.is_empty() {
        root.to_string()
    } else {
        format!("{root}/{file}")
    }
}

impl fmt::Display for DisplayDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.d;
        let sev = match (d.severity, self.lang) {
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::En) => "warning",
            (Severity::Error, Lang::Vi) => "lỗi",
            (Severity::Warning, Lang::Vi) => "cảnh báo",
        };
        write!(f, "{}", display_path(self.root, &d.file))?;
        if d.pos.line > 0 {
            write!(f, ":{}:{}", d.pos.line, d.pos.col)?;
        }
        write!(f, ": {sev}: ")?;
        if !d.key.is_empty() {
            write!(f, "{}: ", d.key)?;
        }
        write!(f, "{}", d.message.get(self.lang))?;
        if !d.hint.is_empty() {
            let label = match self.lang {
                Lang::En => "hint",
                Lang::Vi => "gợi ý",
            };
            write!(f, "\n  {label}: {}", d.hint.get(self.lang))?;
        }
        Ok(())
    }
}

/// All diagnostics of a run, sorted by file and position.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
    pub fn errors(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Sorts by file, position, then message, and drops exact duplicates.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.pos, a.severity, &a.key, &a.message)
                .cmp(&(&b.file, b.pos, b.severity, &b.key, &b.message))
        });
        self.0.dedup();
    }
}

/// A failure that is not about the content itself: I/O on the output folder, a missing
/// browser for `--pdf`, and the like.
#[derive(Debug)]
pub enum Error {
    /// Problems in the content (at least one error).
    Content(Diagnostics),
    /// An I/O error, with the path it concerns.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Anything else, already worded for the user.
    Other(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Content(d) => write!(
                f,
                "{} in the content",
                crate::i18n::count_en(d.errors(), "error", "errors")
            ),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Other(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
