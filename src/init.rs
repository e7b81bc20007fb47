//! init: write a kind's commented starter project (its `STARTER`, from `src/init/<kind>/`)
//! that builds as is. Refuses to overwrite files.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::kind::AnyKind;

/// Writes the starter project of `kind` into `dir` (created if missing). Lists the files
/// written; refuses to overwrite any.
pub fn init(dir: &Path, kind: &dyn AnyKind) -> Result<Vec<String>, Diagnostic> {
    write_starter(dir, kind.starter())
}

/// Writes the starter of the shipped region pack `region` (a project of `kind`) into `dir`.
pub fn init_region(
    dir: &Path,
    kind: &dyn AnyKind,
    region: &str,
) -> Result<Vec<String>, Diagnostic> {
    let Some(shipped) = crate::pack::find_shipped(region) else {
        return Err(
            Diagnostic::error(format!("no shipped region pack `{region}`"))
                .hint(crate::pack::known_hint(region)),
        );
    };
    let of_kind = crate::pack::shipped(Some(kind.key()));
    if !of_kind.iter().any(|(n, _, _)| *n == region) {
        return Err(Diagnostic::error(format!(
            "the region pack `{region}` is not an edition of `{}`",
            kind.key()
        ))
        .hint("`budgetdoc init --help` lists each pack with its kind"));
    }
    write_starter(dir, &[(crate::load::PROJECT_FILE, shipped.starter)])
}

fn write_starter(dir: &Path, starter: &[(&str, &str)]) -> Result<Vec<String>, Diagnostic> {
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
    let mut created = Created::default();
    for (rel, text) in starter {
        if let Err(d) = created.write(&dir.join(rel), text) {
            created.undo();
            return Err(d);
        }
    }
    Ok(created
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect())
}

/// What `init` has created so far, so that a failure part-way removes it again and leaves
/// no half-written project.
#[derive(Default)]
struct Created {
    files: Vec<PathBuf>,
    /// Directories that did not exist before, outermost first.
    dirs: Vec<PathBuf>,
}

impl Created {
    fn write(&mut self, path: &Path, text: &str) -> Result<(), Diagnostic> {
        if let Some(parent) = path.parent() {
            let mut missing: Vec<PathBuf> = parent
                .ancestors()
                .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
                .map(Path::to_path_buf)
                .collect();
            missing.reverse();
            fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create `{}`: {e}", parent.display()))
            })?;
            self.dirs.extend(missing);
        }
        // `create_new`: a file that appeared since the check is not overwritten.
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| {
                self.files.push(path.to_path_buf());
                f.write_all(text.as_bytes())
            });
        written.map_err(|e| {
            Diagnostic::error(format!(
                "cannot write `{}`: {e}; nothing was kept",
                path.display()
            ))
        })
    }

    fn undo(&self) {
        for f in self.files.iter().rev() {
            let _ = fs::remove_file(f);
        }
        for d in self.dirs.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_part_way_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("new/p");
        // `targets` is a file, so the second starter file cannot be written.
        fs::create_dir_all(&project).unwrap();
        fs::write(project.join("targets"), b"in the way").unwrap();
        assert!(init(&project, &crate::kinds::budget::Budget).is_err());
        assert!(!project.join(crate::load::PROJECT_FILE).exists());
        assert_eq!(fs::read(project.join("targets")).unwrap(), b"in the way");
    }
}
