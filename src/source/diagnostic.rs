//! Diagnostics about the user's schema files: a severity, a stable kebab-case code, a message, the place in
//! the file (`file:line:col`, 1-based, columns counted in characters) and a help line that says what to do.
//!
//! Invariant: a diagnostic with an origin also carries the path to show, which is the schema directory as
//! the user gave it joined with the origin's file, so `Display` prints a path the user can open from where
//! they ran the command.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where a statement (or a token in it) starts: a file relative to the schema directory, and a 1-based
/// line and column (the column counts characters, not bytes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: PathBuf,
    pub line: u32,
    pub col: u32,
}

impl Origin {
    pub fn new(file: impl Into<PathBuf>, line: u32, col: u32) -> Self {
        Origin { file: file.into(), line, col }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One finding about the schema files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable kebab-case code, e.g. `bare-drop`.
    pub code: &'static str,
    pub message: String,
    pub origin: Option<Origin>,
    /// The origin's file as shown to the user: the schema directory as given, joined with `origin.file`.
    pub path: Option<PathBuf>,
    /// Extra lines shown under the message, each already labelled (`detail: ...`, `hint: ...`).
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            origin: None,
            path: None,
            notes: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    /// Places the diagnostic at `origin`, a position in a file under the schema directory `root`.
    pub fn at(mut self, root: &Path, origin: Origin) -> Self {
        self.path = Some(root.join(&origin.file));
        self.origin = Some(origin);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(origin) = &self.origin {
            let path = self.path.as_deref().unwrap_or(&origin.file);
            write!(f, "{}:{}:{}: ", path.display(), origin.line, origin.col)?;
        }
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)?;
        for note in &self.notes {
            write!(f, "\n  {note}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The errors found in the schema files, all of them (not just the first), in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError(pub Vec<Diagnostic>);

impl SourceError {
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.0
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        let errors = self.0.iter().filter(|d| d.is_error()).count();
        if errors > 1 {
            write!(f, "\n{errors} errors")?;
        }
        Ok(())
    }
}

impl std::error::Error for SourceError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_shows_the_path_as_given_with_help() {
        let d = Diagnostic::error("bare-drop", "DROP TABLE app.old would drop an object")
            .at(Path::new("schema"), Origin::new("tables.sql", 12, 5))
            .help("remove the statement");
        assert_eq!(
            d.to_string(),
            "schema/tables.sql:12:5: error[bare-drop]: DROP TABLE app.old would drop an object\n  help: remove the statement"
        );
    }

    #[test]
    fn display_without_origin_and_with_notes() {
        let d = Diagnostic::warning("owner-ignored", "3 statements ignored").note("detail: x");
        assert_eq!(d.to_string(), "warning[owner-ignored]: 3 statements ignored\n  detail: x");
    }

    #[test]
    fn source_error_counts_errors() {
        let e = SourceError(vec![Diagnostic::error("a", "one"), Diagnostic::error("b", "two")]);
        assert_eq!(e.to_string(), "error[a]: one\nerror[b]: two\n2 errors");
    }
}
