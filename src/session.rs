//! The library session for verbs that compile more than once in one process (watch,
//! preview, batch builds): it owns the font store — the embedded fonts and any `--font-path`
//! directories, scanned once — and every compile returns the files and directories the
//! build read or looked for, on success and on failure, so that a watcher knows what to
//! watch even after a YAML error. Typst's own caches (comemo) live for the process, so a
//! repeated compile reuses them; the session also keeps the YAML files it parsed
//! ([`crate::load::cache`]), so a compile parses only the files whose text changed, and the
//! last good compile's layout of each project, which the next compile of that project starts
//! from ([`crate::render::settle`]), so Typst lays out in fewer passes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use typst_kit::fonts::FontStore;

use crate::diag::Diagnostics;
use crate::load::TEMPLATES_DIR;
use crate::load::cache::LoadCache;
use crate::{BuildOptions, Compiled, kinds, render};
use typst_layout::PagedDocument;

/// Fonts and options shared by every compile of a session.
pub struct Session {
    fonts: Arc<FontStore>,
    options: BuildOptions,
    /// The files parsed by earlier compiles, reused while their text is unchanged.
    parsed: Arc<LoadCache>,
    /// The last good compile's layout and its project: the next compile of that project
    /// starts from it ([`crate::render::settle`]).
    seed: Mutex<Option<(PathBuf, PagedDocument)>>,
    /// Whether compiles lay out the marked document ([`crate::compile_marked`]): the
    /// preview's, whose clicks look figures up by position; never a session that writes PDFs.
    marked: bool,
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
            seed: Mutex::default(),
            marked: false,
        }
    }

    /// A session whose compiles lay out the marked document, for a preview (which writes no
    /// PDF): every figure's box is known.
    pub fn marked(options: &BuildOptions) -> Self {
        Self {
            marked: true,
            ..Self::new(options)
        }
    }

    /// The session's fonts, for builds that share them.
    pub fn fonts(&self) -> Arc<FontStore> {
        Arc::clone(&self.fonts)
    }

    /// Runs load → validate → derive → render on `project`.
    pub fn compile(&self, project: &Path) -> Compile {
        let seed = match &*self.seed.lock().unwrap_or_else(|e| e.into_inner()) {
            Some((of, doc)) if of == project => Some(doc.clone()),
            _ => None,
        };
        let result = crate::compile_in(
            project,
            &self.options,
            Arc::clone(&self.fonts),
            Some(Arc::clone(&self.parsed)),
            seed,
            self.marked,
        );
        if let Ok(compiled) = &result {
            *self.seed.lock().unwrap_or_else(|e| e.into_inner()) =
                Some((project.to_path_buf(), compiled.document.clone()));
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
    if let Ok(text) = std::fs::read_to_string(&main) {
        out.extend(crate::pack::files_named(&root, &text));
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
    use crate::testing::example;

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

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy_dir(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }

    /// A rebuild starts from the last good layout of its project ([`crate::render::settle`])
    /// and writes the PDF a cold build of the same input writes, byte for byte: after an edit
    /// of one amount, and after an edit that moves every later page and the 目录's numbers.
    #[test]
    fn a_rebuild_from_the_last_layout_writes_the_same_pdf_as_a_cold_build() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        copy_dir(&example("nx-hrss-2024-final"), &project);
        let main = project.join("budgetdoc.yaml");
        let text = std::fs::read_to_string(&main).unwrap();
        let pdf = |c: &Compiled| crate::testing::pdf(&c.document);
        let session = Session::new(&BuildOptions::default());
        let first = session.compile(&project).result.unwrap();
        let pages = first.document.pages().len();
        let paragraph = "二是部门项目自主评。";
        assert!(text.contains("general_budget: 2000000.00") && text.contains(paragraph));
        let longer = format!(
            "{paragraph}{}",
            "逐项目、逐指标梳理填报年度完成值。".repeat(120)
        );
        for (step, edited) in [
            (
                "one amount",
                text.replacen(
                    "general_budget: 2000000.00",
                    "general_budget: 2000001.00",
                    1,
                ),
            ),
            ("a longer paragraph", text.replacen(paragraph, &longer, 1)),
            ("back", text.clone()),
        ] {
            std::fs::write(&main, &edited).unwrap();
            let rebuilt = session.compile(&project).result.unwrap();
            let cold = crate::compile_with(&project, &BuildOptions::default()).unwrap();
            assert!(pdf(&rebuilt) == pdf(&cold), "{step}");
            if step == "a longer paragraph" {
                assert!(
                    rebuilt.document.pages().len() > pages,
                    "the edit moves pages"
                );
            }
        }
        // A project compiled after another starts cold: a seed is the same project's only.
        let other = session
            .compile(&example("zhongwei-hrss-2024-budget"))
            .result
            .unwrap();
        let cold = crate::compile_with(
            &example("zhongwei-hrss-2024-budget"),
            &BuildOptions::default(),
        )
        .unwrap();
        assert!(pdf(&other) == pdf(&cold));
    }
}
