//! init: write a commented starter project that builds as is. Refuses to overwrite files.

use std::fs;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::load::{EVALUATIONS_DIR, PROJECT_FILE};

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

/// Writes the starter project into `dir` (created if missing). Lists the files written.
pub fn init(dir: &Path) -> Result<Vec<String>, Diagnostic> {
    for (rel, _) in FINAL_ACCOUNTS_STARTER {
        let path = dir.join(rel);
        if path.exists() {
            return Err(Diagnostic::error(format!(
                "`{}` already exists; nothing was written",
                path.display()
            ))
            .hint("choose an empty or new directory"));
        }
    }
    fs::create_dir_all(dir.join(EVALUATIONS_DIR))
        .map_err(|e| Diagnostic::error(format!("cannot create `{}`: {e}", dir.display())))?;
    let mut written = Vec::new();
    for (rel, text) in FINAL_ACCOUNTS_STARTER {
        let path = dir.join(rel);
        fs::write(&path, text)
            .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", path.display())))?;
        written.push(path.display().to_string());
    }
    Ok(written)
}
