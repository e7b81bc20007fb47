//! init: write a commented starter project that builds as is. Refuses to overwrite files.

use std::fs;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::load::{Kind, PROJECT_FILE};

/// The starter files of a final-accounts project, by relative path.
pub const FINAL_ACCOUNTS_STARTER: [(&str, &str); 2] = [
    (
        PROJECT_FILE,
        include_str!("init/final-accounts/budgetdoc.yaml"),
    ),
    (
        "evaluations/01-example.yaml",
        include_str!("init/final-accounts/evaluations/01-example.yaml"),
    ),
];

/// The starter files of a budget project, by relative path.
pub const BUDGET_STARTER: [(&str, &str); 3] = [
    (PROJECT_FILE, include_str!("init/budget/budgetdoc.yaml")),
    (
        "targets/01-example.yaml",
        include_str!("init/budget/targets/01-example.yaml"),
    ),
    (
        "targets/02-example.yaml",
        include_str!("init/budget/targets/02-example.yaml"),
    ),
];

/// The starter files of a performance-target publication, by relative path.
pub const TARGETS_STARTER: [(&str, &str); 2] = [
    (
        PROJECT_FILE,
        include_str!("init/performance-targets/budgetdoc.yaml"),
    ),
    (
        "targets/01-example.yaml",
        include_str!("init/performance-targets/targets/01-example.yaml"),
    ),
];

/// Writes the starter project of `kind` into `dir` (created if missing). Lists the files
/// written; refuses to overwrite any.
pub fn init(dir: &Path, kind: Kind) -> Result<Vec<String>, Diagnostic> {
    let starter: &[(&str, &str)] = match kind {
        Kind::FinalAccounts => &FINAL_ACCOUNTS_STARTER,
        Kind::Budget => &BUDGET_STARTER,
        Kind::PerformanceTargets => &TARGETS_STARTER,
    };
    for (rel, _) in starter {
        let path = dir.join(rel);
        if path.exists() {
            return Err(Diagnostic::error(format!(
                "`{}` already exists; nothing was written",
                path.display()
            ))
            .hint("choose an empty or new directory"));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in starter {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create `{}`: {e}", parent.display()))
            })?;
        }
        fs::write(&path, text)
            .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", path.display())))?;
        written.push(path.display().to_string());
    }
    Ok(written)
}
