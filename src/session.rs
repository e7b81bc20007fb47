//! The library session for verbs that compile more than once in one process (watch,
//! preview, batch builds): it owns the font store — the embedded fonts and any `--font-path`
//! directories, scanned once — and every compile returns the files and directories the
//! build read or looked for, on success and on failure, so that a watcher knows what to
//! watch even after a YAML error. Typst's own caches (comemo) live for the process, so a
//! repeated compile reuses them; the session also keeps the YAML files it parsed
//! ([`crate::load::cache`]), so a compile parses only the files whose text changed, and
//! passes what the last good compile's layout tells the next ([`crate::render::hint`]), so
//! Typst lays out in fewer passes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use typst_kit::fonts::FontStore;

use crate::diag::Diagnostics;
use crate::load::TEMPLATES_DIR;
use crate::load::cache::LoadCache;
use crate::render::hint::LayoutHint;
use crate::{BuildOptions, Compiled, kinds, render};

/// Fonts and options shared by every compile of a session.
pub struct Session {
    fonts: Arc<FontStore>,
    options: BuildOptions,
    /// The files parsed by earlier compiles, reused while their text is unchanged.
    parsed: Arc<LoadCache>,
    /// What the last good compile's layout tells the next one of the same project.
    hint: Mutex<(PathBuf, LayoutHint)>,
}

/// A compile's result and what it depended on.
pub struct Compile {
    pub result: Result<Compiled, Diagnostics>,
    /// Every file and directory the build read or looked for, sorted: the project's YAML,
    /// its attachments directory, its template overrides directory, catalog files, font
    /// directories.
    pub dependencies: Vec<PathBuf>,
}

impl Session {
    /// A session with the options of every compile (`output` and `emit_source` are the
    /// caller's business); the fonts are loaded here, once.
    pub fn new(options: &BuildOptions) -> Self {
        Self {
            fonts: render::world::font_store(&options.font_paths),
            options: options.clone(),
            parsed: Arc::default(),
            hint: Mutex::default(),
        }
    }

    /// The session's fonts, for builds that share them.
    pub fn fonts(&self) -> Arc<FontStore> {
        Arc::clone(&self.fonts)
    }

    /// Runs load → validate → derive → render on `project`.
    pub fn compile(&self, project: &Path) -> Compile {
        let hint = match &*self.hint.lock().unwrap_or_else(|e| e.into_inner()) {
            (of, hint) if of == project => *hint,
            _ => LayoutHint::default(),
        };
        let result = crate::compile_in(
            project,
            &self.options,
            Arc::clone(&self.fonts),
            Some(Arc::clone(&self.parsed)),
            &hint,
        );
        if let Ok(compiled) = &result {
            *self.hint.lock().unwrap_or_else(|e| e.into_inner()) =
                (project.to_path_buf(), LayoutHint::of(&compiled.document));
        }
        let dependencies = dependencies(project, &self.options, result.as_ref().ok());
        Compile {
            result,
            dependencies,
        }
    }
}

/// Drops Typst's cached results that the last builds did not use: a long run of many
/// documents (or a long preview) keeps its memory bounded. Safe while other threads
/// compile.
pub fn trim_caches() {
    comemo::evict(2);
}

/// What a build of `project` reads or looks for. Without a checked document (the YAML did
/// not load) every kind's attachments directory is watched, since the kind is unknown.
pub fn dependencies(
    project: &Path,
    options: &BuildOptions,
    compiled: Option<&Compiled>,
) -> Vec<PathBuf> {
    let (root, main) = crate::load::project_paths(project);
    let mut out = vec![main.clone(), root.join(TEMPLATES_DIR)];
    match compiled {
        Some(c) => {
            out.extend(c.checked.document.files().iter().map(|f| f.path.clone()));
            if project.is_dir() {
                out.push(root.join(c.checked.document.attachments()));
            }
            out.extend(c.checked.catalog_files.iter().cloned());
        }
        None if project.is_dir() => {
            out.extend(kinds::KINDS.iter().map(|k| root.join(k.attachments())));
        }
        None => {}
    }
    out.extend(options.catalogs.iter().cloned());
    out.extend(options.font_paths.iter().cloned());
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name)
    }

    #[test]
    fn a_compile_reports_what_it_read_and_a_failed_one_what_to_watch() {
        let session = Session::new(&BuildOptions::default());
        let project = example("nx-employment-2024-targets");
        let done = session.compile(&project);
        assert!(done.result.is_ok());
        assert!(done.dependencies.contains(&project.join("budgetdoc.yaml")));
        assert!(done.dependencies.contains(&project.join("targets")));
        assert!(done.dependencies.contains(&project.join("templates")));
        assert!(
            done.dependencies
                .contains(&project.join("targets/01-staff-training.yaml"))
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("budgetdoc.yaml"), "kind: [broken\n").unwrap();
        let failed = session.compile(dir.path());
        assert!(failed.result.is_err());
        for watched in ["budgetdoc.yaml", "evaluations", "targets", "templates"] {
            assert!(
                failed.dependencies.contains(&dir.path().join(watched)),
                "{watched}"
            );
        }
    }

    /// The session's data after each step equals a fresh check's: the parsed files it keeps
    /// never stand in for a changed, broken, fixed or deleted file.
    #[test]
    fn a_compile_parses_again_exactly_the_files_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        let source = example("nx-employment-2024-targets");
        std::fs::create_dir_all(project.join("targets")).unwrap();
        std::fs::copy(
            source.join("budgetdoc.yaml"),
            project.join("budgetdoc.yaml"),
        )
        .unwrap();
        for e in std::fs::read_dir(source.join("targets")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), project.join("targets").join(e.file_name())).unwrap();
        }
        let session = Session::new(&BuildOptions::default());
        let form = project.join("targets/01-staff-training.yaml");
        let text = std::fs::read_to_string(&form).unwrap();
        let same_as_fresh = |step: &str| {
            let ours = session
                .compile(&project)
                .result
                .map(|c| c.checked.document.data());
            let fresh = crate::check(&project).map(|c| c.document.data());
            match (ours, fresh) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{step}"),
                (Err(a), Err(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{step}"),
                (a, b) => panic!("{step}: session ok {}, fresh ok {}", a.is_ok(), b.is_ok()),
            }
        };
        let data = || {
            session
                .compile(&project)
                .result
                .unwrap()
                .checked
                .document
                .data()
        };
        same_as_fresh("first");
        let before = data();
        same_as_fresh("nothing changed");
        std::fs::write(
            &form,
            text.replace("project_total: 385.4", "project_total: 400"),
        )
        .unwrap();
        same_as_fresh("a form changed");
        assert_ne!(data(), before, "the edit is printed");
        std::fs::write(
            &form,
            text.replace("project_total: 385.4", "project_total: 四百"),
        )
        .unwrap();
        same_as_fresh("a form broken");
        same_as_fresh("still broken");
        std::fs::write(&form, &text).unwrap();
        same_as_fresh("fixed");
        std::fs::remove_file(project.join("targets/07-unit-funds-project.yaml")).unwrap();
        same_as_fresh("a form deleted");
        let main = project.join("budgetdoc.yaml");
        let main_text = std::fs::read_to_string(&main).unwrap();
        std::fs::write(&main, main_text.replacen("kind:", "kind: [", 1)).unwrap();
        same_as_fresh("the main file broken");
        std::fs::write(&main, &main_text).unwrap();
        same_as_fresh("the main file fixed");
    }

    /// The second compile of a session lays the 目录 out with the first one's hint, and its
    /// PDF is the one a cold build writes, byte for byte.
    #[test]
    fn a_compile_with_the_layout_hint_writes_the_same_pdf() {
        let project = example("nx-hrss-2024-final");
        let session = Session::new(&BuildOptions::default());
        let first = session.compile(&project).result.unwrap();
        assert_eq!(LayoutHint::of(&first.document).contents_pages, Some(2));
        let hinted = session.compile(&project).result.unwrap();
        assert!(hinted.sources.files["data.json"].starts_with(b"{"));
        let data = String::from_utf8(hinted.sources.files["data.json"].clone()).unwrap();
        assert!(data.contains(r#""layout_hint":{"contents_pages":2}"#));
        let cold = crate::compile_with(&project, &BuildOptions::default()).unwrap();
        let options = crate::export::ExportOptions {
            ident: "test".into(),
            timestamp: None,
            tagged: false,
        };
        let pdf = |c: &Compiled| crate::export::pdf(&c.document, &options).unwrap();
        assert!(pdf(&hinted) == pdf(&cold));
        // A document without a 目录 gives no hint.
        let targets = session.compile(&example("nx-employment-2024-targets"));
        let doc = targets.result.unwrap().document;
        assert_eq!(LayoutHint::of(&doc), LayoutHint::default());
    }
}
