//! budgetdoc: typesets a department's 部门决算 (final accounts) and 部门预算 (budget) from YAML
//! into the official PDF layouts, deriving every figure in the tables and the text.
//!
//! The pipeline is **load → validate → derive → render → export**, one module per stage:
//! [`load`] reads YAML with positions, [`validate`] collects every problem and alone builds
//! the validated model, [`derive`] does all arithmetic in `rust_decimal`, [`render`] formats
//! and compiles the Typst templates, [`export`] writes the PDF atomically. [`check`] runs the
//! first three stages, [`build`] all five.

pub mod catalog;
pub mod derive;
pub mod diag;
pub mod export;
pub mod init;
pub mod limits;
pub mod load;
pub mod money;
pub mod output;
pub mod render;
pub mod report;
pub mod rules;
pub mod suggest;
pub mod validate;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use diag::{Diagnostic, Diagnostics};

/// A checked document of one kind: what was loaded, the validated model and the derived
/// figures.
pub enum Document {
    /// 部门决算.
    FinalAccounts {
        loaded: Box<load::FinalAccountsProject>,
        validated: Box<validate::Validated>,
        derived: Box<derive::Derived>,
    },
    /// 部门预算.
    Budget {
        loaded: Box<load::BudgetProject>,
        validated: Box<validate::budget::ValidatedBudget>,
        derived: Box<derive::budget::DerivedBudget>,
    },
    /// 项目支出预算绩效目标 publication.
    PerformanceTargets {
        loaded: Box<load::TargetsProject>,
        validated: Box<validate::targets::ValidatedTargets>,
        derived: Vec<derive::targets::DerivedTarget>,
    },
}

impl Document {
    /// The project directory.
    pub fn root(&self) -> &Path {
        match self {
            Document::FinalAccounts { loaded, .. } => &loaded.root,
            Document::Budget { loaded, .. } => &loaded.root,
            Document::PerformanceTargets { loaded, .. } => &loaded.root,
        }
    }

    /// The output name stem.
    pub fn name(&self) -> &str {
        match self {
            Document::FinalAccounts { loaded, .. } => &loaded.name,
            Document::Budget { loaded, .. } => &loaded.name,
            Document::PerformanceTargets { loaded, .. } => &loaded.name,
        }
    }

    /// The publication date typed in the data, if any.
    pub fn date(&self) -> Option<validate::Date> {
        match self {
            Document::FinalAccounts { validated, .. } => validated.date(),
            Document::Budget { validated, .. } => validated.date(),
            Document::PerformanceTargets { validated, .. } => validated.date(),
        }
    }

    /// The department and the year.
    pub fn department_and_year(&self) -> (&str, i32) {
        match self {
            Document::FinalAccounts { validated, .. } => (
                validated.input().department.as_str(),
                validated.input().year,
            ),
            Document::Budget { validated, .. } => (
                validated.input().department.as_str(),
                validated.input().year,
            ),
            Document::PerformanceTargets { validated, .. } => (
                validated.input().department.as_str(),
                validated.input().year,
            ),
        }
    }

    /// What `check` reports it checked, e.g. "26 self-evaluations".
    pub fn summary(&self) -> String {
        match self {
            Document::FinalAccounts { derived, .. } => {
                format!("部门决算, {} self-evaluations", derived.evaluations.len())
            }
            Document::Budget {
                validated, derived, ..
            } => format!(
                "部门预算, {} units, {} performance-target forms",
                validated.input().units.len(),
                derived.targets.len()
            ),
            Document::PerformanceTargets { derived, .. } => {
                format!("项目支出预算绩效目标, {} forms", derived.len())
            }
        }
    }

    /// The document's data (`/data.json`): every printed figure, formatted.
    pub fn data(&self) -> serde_json::Value {
        match self {
            Document::FinalAccounts {
                validated, derived, ..
            } => render::view::view(validated, derived),
            Document::Budget {
                validated, derived, ..
            } => render::view_budget::view(validated, derived),
            Document::PerformanceTargets {
                validated, derived, ..
            } => render::view_targets::view(validated, derived),
        }
    }

    /// The main YAML file.
    fn main_file(&self) -> Option<&load::SourceFile> {
        match self {
            Document::FinalAccounts { loaded, .. } => loaded.files.first(),
            Document::Budget { loaded, .. } => loaded.files.first(),
            Document::PerformanceTargets { loaded, .. } => loaded.files.first(),
        }
    }

    /// The templates and data of the document, ready to compile.
    fn sources(&self) -> Result<render::Sources, Diagnostics> {
        match self {
            Document::FinalAccounts {
                validated, derived, ..
            } => render::sources(
                self.root(),
                &render::FINAL_ACCOUNTS_TEMPLATES,
                &render::view::view(validated, derived),
            ),
            Document::Budget {
                validated, derived, ..
            } => render::sources(
                self.root(),
                &render::BUDGET_TEMPLATES,
                &render::view_budget::view(validated, derived),
            ),
            Document::PerformanceTargets {
                validated, derived, ..
            } => render::sources(
                self.root(),
                &render::TARGETS_TEMPLATES,
                &render::view_targets::view(validated, derived),
            ),
        }
    }
}

/// The result of load → validate → derive.
pub struct Checked {
    pub document: Document,
    /// Warnings found on the way (errors make `check` fail instead).
    pub warnings: Diagnostics,
    /// The catalog files read (named on the command line and by the project).
    pub catalog_files: Vec<PathBuf>,
}

/// Runs load, validate and derive, then the checks that need the derived figures (R02);
/// writes nothing.
pub fn check(project: &Path) -> Result<Checked, Diagnostics> {
    check_with(project, &[])
}

/// [`check`] with catalog files the person running budgetdoc names (`--catalog`,
/// `BUDGETDOC_CATALOG`): a region's 科目 names, read wherever they are.
pub fn check_with(project: &Path, catalog_files: &[PathBuf]) -> Result<Checked, Diagnostics> {
    let mut checked = check_facts(project, catalog_files)?;
    if let Some(file) = checked.document.main_file() {
        let figures = validate::narrative::figures(&checked.document.data());
        let mut warnings = validate::narrative::check(file, &figures);
        if let Document::Budget { derived, .. } = &checked.document
            && !derived.targets.is_empty()
        {
            warnings.extend(validate::narrative::check_project_count(
                file,
                "performance.intro",
                derived.targets.len(),
                "the number of performance-target forms",
            ));
        }
        checked.warnings.extend(warnings);
    }
    Ok(checked)
}

/// The catalogs of a document: the files named on the command line (anywhere), the
/// project's `catalog_file` (inside the project), the project's `catalog:` entries.
fn catalogs<M, A>(
    loaded: &load::Loaded<M, A>,
    year: i32,
    entries: &std::collections::BTreeMap<load::scalar::Code, load::scalar::Text>,
    project_file: Option<&load::scalar::Text>,
    named: &[PathBuf],
) -> Result<(catalog::Catalogs, Diagnostics), Diagnostics> {
    let mut catalogs = catalog::Catalogs {
        year,
        project: entries
            .iter()
            .map(|(c, n)| (c.as_str().to_string(), n.as_str().trim().to_string()))
            .collect(),
        files: Vec::new(),
    };
    let mut warnings = Diagnostics::default();
    let mut errors = Diagnostics::default();
    let confinement = load::Confinement::new(&loaded.root).map_err(|d| Diagnostics(vec![d]))?;
    // The project's own file first: a department's names win over its region's.
    let mut files: Vec<(PathBuf, Option<&load::Confinement>)> = project_file
        .map(|rel| (loaded.root.join(rel.as_str().trim()), Some(&confinement)))
        .into_iter()
        .collect();
    files.extend(named.iter().map(|p| (p.clone(), None)));
    for (path, confined) in files {
        match catalog::supplied::read(&path, confined) {
            Ok((file, w)) => {
                catalogs.files.push(file);
                warnings.extend(w);
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok((catalogs, warnings))
    } else {
        Err(errors)
    }
}

fn check_facts(project: &Path, catalog_files: &[PathBuf]) -> Result<Checked, Diagnostics> {
    Ok(match load::load(project)? {
        load::Project::FinalAccounts(loaded) => {
            let m = &loaded.main;
            let (catalogs, mut warnings) = catalogs(
                &loaded,
                m.year,
                &m.catalog,
                m.catalog_file.as_ref(),
                catalog_files,
            )?;
            let catalog_files = catalogs.files.iter().map(|f| f.path.clone()).collect();
            let (validated, w) = validate::validate(&loaded, &catalogs)?;
            warnings.extend(w);
            let derived = derive::derive(&validated);
            Checked {
                document: Document::FinalAccounts {
                    loaded,
                    validated: Box::new(validated),
                    derived: Box::new(derived),
                },
                warnings,
                catalog_files,
            }
        }
        load::Project::Budget(loaded) => {
            let m = &loaded.main;
            let (catalogs, mut warnings) = catalogs(
                &loaded,
                m.year,
                &m.catalog,
                m.catalog_file.as_ref(),
                catalog_files,
            )?;
            let catalog_files = catalogs.files.iter().map(|f| f.path.clone()).collect();
            let (validated, w) = validate::budget::validate(&loaded, &catalogs)?;
            warnings.extend(w);
            let derived = derive::budget::derive(&validated);
            Checked {
                document: Document::Budget {
                    loaded,
                    validated: Box::new(validated),
                    derived: Box::new(derived),
                },
                warnings,
                catalog_files,
            }
        }
        load::Project::PerformanceTargets(loaded) => {
            let (validated, warnings) = validate::targets::validate(&loaded)?;
            let derived = derive::targets::derive_document(&validated);
            Checked {
                document: Document::PerformanceTargets {
                    loaded,
                    validated: Box::new(validated),
                    derived,
                },
                warnings,
                catalog_files: Vec::new(),
            }
        }
    })
}

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Where to write the PDF; default `<project>/out/<name>.pdf`.
    pub output: Option<PathBuf>,
    /// Also write the compiled Typst sources and data here.
    pub emit_source: Option<PathBuf>,
    /// Extra font directories (a department's licensed fonts).
    pub font_paths: Vec<PathBuf>,
    /// Write a tagged (accessible) PDF.
    pub tagged: bool,
    /// `SOURCE_DATE_EPOCH`: the PDF date when the data gives none.
    pub source_date_epoch: Option<i64>,
    /// Refuse to write the PDF when there are warnings.
    pub deny_warnings: bool,
    /// How long the templates may take to compile; `None` waits for ever.
    pub timeout: Option<std::time::Duration>,
    /// Catalog files of 科目 names named on the command line or in the environment.
    pub catalogs: Vec<PathBuf>,
}

/// Why a build wrote nothing.
#[derive(Debug, Clone)]
pub enum BuildFailure {
    /// The request itself is wrong (an output path that would destroy a file, a font
    /// directory that does not exist): the CLI's exit code 2.
    Usage(Diagnostic),
    /// The project has problems (data, templates, output): exit code 1.
    Problems(Diagnostics),
}

impl From<Diagnostics> for BuildFailure {
    fn from(d: Diagnostics) -> Self {
        BuildFailure::Problems(d)
    }
}

/// What a successful build produced.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub bytes: usize,
    pub warnings: Diagnostics,
}

/// The default output path of a project.
pub fn default_output(document: &Document) -> PathBuf {
    document
        .root()
        .join("out")
        .join(format!("{}.pdf", document.name()))
}

/// A compiled, laid-out document and what produced it.
pub struct Compiled {
    pub checked: Checked,
    pub sources: render::Sources,
    pub document: typst_layout::PagedDocument,
    /// Warnings of every stage.
    pub warnings: Diagnostics,
}

/// Runs load → validate → derive → render: a laid-out document, nothing written.
pub fn compile(project: &Path, font_paths: &[PathBuf]) -> Result<Compiled, Diagnostics> {
    compile_with(
        project,
        &BuildOptions {
            font_paths: font_paths.to_vec(),
            ..BuildOptions::default()
        },
    )
}

/// [`compile`] with the options of a build: font directories, catalog files, and a deadline
/// for the templates. When the deadline passes, the error says so and the compile goes on in
/// a thread of its own until it ends (Typst cannot be interrupted); the command line exits
/// at once.
pub fn compile_with(project: &Path, options: &BuildOptions) -> Result<Compiled, Diagnostics> {
    let font_paths = &options.font_paths;
    let timeout = options.timeout;
    let checked = check_with(project, &options.catalogs)?;
    let sources = checked.document.sources()?;
    let fonts = if font_paths.is_empty() {
        render::world::embedded_fonts()
    } else {
        let paths: Vec<&Path> = font_paths.iter().map(PathBuf::as_path).collect();
        render::world::fonts(&paths)
    };
    let doc = &checked.document;
    let (document, template_warnings) = render::compile(
        doc.root(),
        &sources,
        Arc::clone(&fonts),
        render::today(doc.date(), doc.department_and_year().1),
        timeout,
    )?;
    let mut warnings = checked.warnings.clone();
    warnings.extend(template_warnings);
    Ok(Compiled {
        checked,
        sources,
        document,
        warnings,
    })
}

/// Runs all five stages and writes the PDF (and, if asked, the sources). Output paths are
/// checked before anything is read or written: each must be absent or a regular file, and
/// none may be a file the build reads.
pub fn build(project: &Path, options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    for dir in &options.font_paths {
        if !dir.is_dir() {
            return Err(BuildFailure::Usage(
                Diagnostic::error(format!("font directory `{}` does not exist", dir.display()))
                    .hint("give an existing directory to --font-path (or BUDGETDOC_FONT_PATHS)"),
            ));
        }
    }
    let guard = output::Guard::new(project, &options.font_paths, &options.catalogs);
    let requested = match &options.output {
        Some(o) => Some(guard.admit(o).map_err(BuildFailure::Usage)?),
        None => None,
    };
    if let Some(dir) = &options.emit_source {
        for path in emitted_paths(dir) {
            guard.admit(&path).map_err(BuildFailure::Usage)?;
        }
    }
    let compiled = compile_with(project, options)?;
    if options.deny_warnings && !compiled.warnings.is_empty() {
        return Err(compiled.warnings.into());
    }
    // The project's own catalog file is known only now: checked before anything is written.
    let guard = guard.with_inputs(&compiled.checked.catalog_files);
    if let Some(o) = &requested {
        guard.admit(o).map_err(BuildFailure::Usage)?;
    }
    if let Some(dir) = &options.emit_source {
        for path in emitted_paths(dir) {
            guard.admit(&path).map_err(BuildFailure::Usage)?;
        }
    }
    let doc = &compiled.checked.document;
    let output = match requested {
        Some(o) => o,
        None => guard
            .admit(&default_output(doc))
            .map_err(BuildFailure::Usage)?,
    };
    if let Some(dir) = &options.emit_source {
        emit_source(dir, &compiled.sources)?;
    }
    let (department, year) = doc.department_and_year();
    let timestamp = match doc.date() {
        Some(d) => typst::foundations::Datetime::from_ymd_hms(d.year, d.month, d.day, 0, 0, 0),
        None => options
            .source_date_epoch
            .and_then(export::datetime_from_epoch),
    };
    let export_options = export::ExportOptions {
        ident: format!("budgetdoc/{department}/{year}"),
        timestamp,
        tagged: options.tagged,
    };
    let one = |d| Diagnostics(vec![d]);
    let bytes = export::pdf(&compiled.document, &export_options).map_err(one)?;
    export::write_atomic(&output, &bytes).map_err(one)?;
    Ok(BuildReport {
        output: options.output.clone().unwrap_or(output),
        pages: compiled.document.pages().len(),
        bytes: bytes.len(),
        warnings: compiled.warnings,
    })
}

/// Every path `--emit-source DIR` may write, whatever the document's kind: checked before
/// the build reads anything.
fn emitted_paths(dir: &Path) -> Vec<PathBuf> {
    let mut names: Vec<&str> = render::FINAL_ACCOUNTS_TEMPLATES
        .iter()
        .chain(&render::BUDGET_TEMPLATES)
        .chain(&render::TARGETS_TEMPLATES)
        .map(|(name, _)| *name)
        .chain([render::DATA_PATH])
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    paths.extend(
        render::world::EMBEDDED_FONT_FILES
            .iter()
            .map(|(name, _)| dir.join("fonts").join(name)),
    );
    paths
}

/// Writes the exact sources that are compiled, plus the embedded fonts, so that
/// `typst compile --ignore-system-fonts --font-path fonts main.typ` reproduces the document.
/// Its paths are among [`emitted_paths`], checked before the build began.
fn emit_source(dir: &Path, sources: &render::Sources) -> Result<(), Diagnostics> {
    let write = |path: PathBuf, bytes: &[u8]| {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create `{}`: {e}", parent.display()))
            })?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", path.display())))
    };
    let one = |d| Diagnostics(vec![d]);
    for (name, bytes) in &sources.files {
        write(dir.join(name), bytes).map_err(one)?;
    }
    for (name, bytes) in render::world::EMBEDDED_FONT_FILES {
        write(dir.join("fonts").join(name), bytes).map_err(one)?;
    }
    Ok(())
}
