//! export: where a build may write. An output path (the PDF, the `--emit-source` files) must
//! be absent or a regular file, and never one of the files the build reads — the project's
//! YAML, its attachments and template overrides, a font directory's contents — so that no
//! command line, however mistyped, destroys an input or replaces a device node. Checked
//! before anything is written; a refusal is a usage error.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::load::{EVALUATIONS_DIR, TARGETS_DIR, TEMPLATES_DIR, file_kind, project_paths};

/// The inputs of one build, resolved once, against which output paths are checked.
#[derive(Debug, Clone, Default)]
pub struct Guard {
    /// Canonical paths of every file the project may read.
    inputs: Vec<PathBuf>,
    /// Canonical font directories: nothing inside them is written.
    font_dirs: Vec<PathBuf>,
    /// The project's directories of attachments and template overrides, as absolute paths
    /// and (when they exist) canonical: nothing is written inside them either, so that an
    /// output never changes what the next build reads (a `watch` writing into `targets/`
    /// would rebuild for ever).
    input_dirs: Vec<PathBuf>,
}

impl Guard {
    /// The inputs of `project` (a directory or one YAML file), the font directories and the
    /// files named besides (catalog files).
    pub fn new(project: &Path, font_paths: &[PathBuf], named: &[PathBuf]) -> Self {
        let (root, main) = project_paths(project);
        let mut inputs: Vec<PathBuf> = std::iter::once(&main)
            .chain(named)
            .filter_map(|p| p.canonicalize().ok())
            .collect();
        let mut input_dirs = Vec::new();
        for dir in [EVALUATIONS_DIR, TARGETS_DIR, TEMPLATES_DIR] {
            let dir = root.join(dir);
            input_dirs.push(absolute(&dir));
            input_dirs.extend(dir.canonicalize().ok());
            if let Ok(entries) = fs::read_dir(&dir) {
                inputs.extend(
                    entries
                        .filter_map(Result::ok)
                        .filter_map(|e| e.path().canonicalize().ok()),
                );
            }
        }
        let font_dirs = font_paths
            .iter()
            .filter_map(|d| d.canonicalize().ok())
            .collect();
        Self {
            inputs,
            font_dirs,
            input_dirs,
        }
    }

    /// The same guard with more inputs (files found to be read once the project is loaded).
    pub fn with_inputs(mut self, files: &[PathBuf]) -> Self {
        self.inputs
            .extend(files.iter().filter_map(|p| p.canonicalize().ok()));
        self
    }

    /// The path to write for `path` (through a symbolic link to its target), or why it may
    /// not be written.
    pub fn admit(&self, path: &Path) -> Result<PathBuf, Diagnostic> {
        let refuse = |what: String, hint: &str| {
            Diagnostic::error(format!("output `{}` {what}", path.display())).hint(hint)
        };
        let real = match fs::symlink_metadata(path) {
            Ok(_) => {
                let real = path.canonicalize().map_err(|_| {
                    refuse(
                        "is a symbolic link to nothing".into(),
                        "remove the link or choose another output path",
                    )
                })?;
                let meta = fs::metadata(&real).map_err(|e| {
                    refuse(format!("cannot be read: {e}"), "choose another output path")
                })?;
                if !meta.is_file() {
                    return Err(refuse(
                        format!(
                            "is {}; budgetdoc only writes new or regular files",
                            file_kind(&meta)
                        ),
                        "give a file path such as out/document.pdf (`budgetdoc check` validates without writing)",
                    ));
                }
                real
            }
            Err(_) => {
                let Some(name) = path.file_name() else {
                    return Err(refuse(
                        "names no file".into(),
                        "give a file path such as out/document.pdf",
                    ));
                };
                let parent = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                match parent.canonicalize() {
                    Ok(dir) => dir.join(name),
                    // The directory is created by the build.
                    Err(_) => absolute(path),
                }
            }
        };
        if self.inputs.contains(&real) {
            return Err(refuse(
                "is a file this build reads; writing it would destroy it".into(),
                "write the output somewhere else, e.g. `-o out/document.pdf`",
            ));
        }
        if let Some(dir) = self.input_dirs.iter().find(|d| real.starts_with(d)) {
            return Err(refuse(
                format!("lies in `{}`, a directory the build reads", dir.display()),
                "write the output outside the project's templates/, targets/ and evaluations/, e.g. `-o out/document.pdf`",
            ));
        }
        if let Some(dir) = self.font_dirs.iter().find(|d| real.starts_with(d)) {
            return Err(refuse(
                format!(
                    "lies in the font directory `{}`, which the build reads",
                    dir.display()
                ),
                "write the output outside the font directories",
            ));
        }
        Ok(real)
    }
}

/// `path` made absolute, without `.` components (nothing is resolved: it may not exist).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::PROJECT_FILE;

    #[test]
    fn inputs_devices_and_directories_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        fs::create_dir_all(project.join("evaluations")).unwrap();
        fs::write(project.join(PROJECT_FILE), "kind: budget\n").unwrap();
        fs::write(project.join("evaluations/01.yaml"), "name: x\n").unwrap();
        let guard = Guard::new(&project, &[], &[]);
        assert!(guard.admit(&project.join(PROJECT_FILE)).is_err());
        assert!(guard.admit(&project.join("evaluations/01.yaml")).is_err());
        assert!(guard.admit(&project).is_err());
        #[cfg(unix)]
        {
            assert!(guard.admit(Path::new("/dev/null")).is_err());
            let link = dir.path().join("link.pdf");
            std::os::unix::fs::symlink(project.join(PROJECT_FILE), &link).unwrap();
            assert!(guard.admit(&link).is_err(), "a link to an input");
        }
        // Nor inside the directories the build reads, existing or not.
        assert!(guard.admit(&project.join("evaluations/x.pdf")).is_err());
        assert!(guard.admit(&project.join("templates/sub/x.pdf")).is_err());
        assert!(guard.admit(&project.join("./targets/x.pdf")).is_err());
        let fresh = dir.path().join("out/new.pdf");
        assert_eq!(guard.admit(&fresh).unwrap(), fresh);
        let existing = dir.path().join("old.pdf");
        fs::write(&existing, b"%PDF").unwrap();
        assert_eq!(
            guard.admit(&existing).unwrap(),
            existing.canonicalize().unwrap()
        );
    }

    #[test]
    fn a_single_file_project_is_its_own_input() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.yaml");
        fs::write(&file, "kind: budget\n").unwrap();
        let guard = Guard::new(&file, &[dir.path().join("fonts")], &[]);
        assert!(guard.admit(&file).is_err());
    }
}
