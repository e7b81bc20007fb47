//! Diagnostics shared by every stage: a problem with its severity, where it is in the
//! user's files (`file:line:col` and the key path), what is wrong and a hint.
//!
//! Stages collect diagnostics instead of stopping at the first problem, so `check` can print
//! every problem in one run (ripgrep's `Error::Partial` idea).

use std::fmt;
use std::path::PathBuf;

use crate::rules::Rule;
pub use crate::rules::Severity;

/// A position inside a user's file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
}

/// Another value involved in a problem (e.g. the other side of a sum that disagrees).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub location: Option<Location>,
    pub path: Option<String>,
    pub message: String,
}

/// One problem found in the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The rule of [`crate::rules`] it breaks (e.g. `F15`); its severity is the rule's.
    pub rule: Option<&'static Rule>,
    pub location: Option<Location>,
    /// Key path inside the YAML, e.g. `functional[3].income.other`.
    pub path: Option<String>,
    pub message: String,
    pub hint: Option<String>,
    /// Secondary locations: the other values involved.
    pub related: Vec<Related>,
    /// The reason the project gave for accepting the problem (`accept:`); the diagnostic is
    /// then a note.
    pub accepted: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            rule: None,
            location: None,
            path: None,
            message: message.into(),
            hint: None,
            related: Vec::new(),
            accepted: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    pub fn path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.path = (!path.is_empty()).then_some(path);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Tags the diagnostic with the rule it breaks; the severity becomes the rule's.
    pub fn rule(mut self, rule: &'static Rule) -> Self {
        self.rule = Some(rule);
        self.severity = rule.severity;
        self
    }

    /// Adds another value involved.
    pub fn related(
        mut self,
        location: Option<Location>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let path = path.into();
        self.related.push(Related {
            location,
            path: (!path.is_empty()).then_some(path),
            message: message.into(),
        });
        self
    }

    /// `error`, `warning` or `note`, with the rule: `error[F15]`.
    pub fn label(&self) -> String {
        let label = self.severity.word();
        match self.rule {
            Some(r) => format!("{label}[{}]", r.id),
            None => label.to_string(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error: message (at key.path)` then an indented `hint:` line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{}:{}:{}: ", loc.file.display(), loc.line, loc.col)?;
        }
        write!(f, "{}: {}", self.label(), self.message)?;
        if let Some(path) = &self.path {
            write!(f, " (at `{path}`)")?;
        }
        for r in &self.related {
            write!(f, "\n  = note: ")?;
            if let Some(loc) = &r.location {
                write!(f, "{}:{}:{}: ", loc.file.display(), loc.line, loc.col)?;
            }
            write!(f, "{}", r.message)?;
            if let Some(path) = &r.path {
                write!(f, " (at `{path}`)")?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        if let Some(reason) = &self.accepted {
            write!(f, "\n  = accepted: {reason}")?;
        }
        Ok(())
    }
}

/// The texts of the files that diagnostics point into, as the stages loaded them: the
/// human report takes its snippets from here and never re-reads a file (which may have
/// changed since, or be a link the project was refused).
static SOURCES: std::sync::Mutex<std::collections::BTreeMap<PathBuf, std::sync::Arc<str>>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

/// Remembers the text of `path` as it was loaded (the latest load wins).
pub fn remember_source(path: &std::path::Path, text: &str) {
    if let Ok(mut sources) = SOURCES.lock() {
        sources.insert(path.to_path_buf(), std::sync::Arc::from(text));
    }
}

/// The text of `path` as it was loaded, if it was.
pub fn source_text(path: &std::path::Path) -> Option<std::sync::Arc<str>> {
    SOURCES.lock().ok()?.get(path).cloned()
}

/// Everything a stage reported; the stage failed if any is an error.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// By file and position (diagnostics without a position first), errors before warnings
    /// at the same place, so output is stable.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            let key = |d: &Diagnostic| d.location.as_ref().map(|l| (l.file.clone(), l.line, l.col));
            key(a)
                .cmp(&key(b))
                .then(b.severity.cmp(&a.severity))
                .then(a.message.cmp(&b.message))
        });
        self.0.dedup();
        self
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// Problems the project accepted (`accept:`).
    pub fn notes(&self) -> usize {
        self.count(Severity::Note)
    }

    fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}
