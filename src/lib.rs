//! budgetdoc: typesets a department's 部门决算 (final accounts), 部门预算 (budget) and
//! project performance-target publications from YAML into the official PDF layouts,
//! deriving every figure in the tables and the text.
//!
//! The pipeline is **load → validate → derive → render → export**. Stage modules hold what
//! every kind shares — [`load`], [`check`] (validate), [`figures`] (derive), [`render`],
//! [`export`] — and each document kind lives in [`kinds`], behind the one seam
//! [`kind::DocumentKind`]; [`forms`] is the form component two kinds print. [`check`]
//! (the function) runs the first three stages, [`build`] all five.

pub mod batch;
pub mod catalog;
pub mod check;
pub mod diag;
pub mod explain;
pub mod export;
pub mod figures;
pub mod forms;
pub mod freshness;
pub mod init;
pub mod kind;
pub mod kinds;
pub mod limits;
pub mod load;
pub mod money;
pub mod output;
pub mod pack;
pub mod preview;
pub mod profile;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod session;
pub mod suggest;
#[cfg(test)]
mod testing;
pub mod workbook;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use diag::{Diagnostic, Diagnostics};

pub use kind::{Checked, Document};

/// Runs load, validate and derive, then the checks that need the derived figures (R02 and
/// the kind's own); writes nothing.
pub fn check(project: &Path) -> Result<Checked, Diagnostics> {
    check_with(project, &[])
}

/// [`check`] with catalog files the person running budgetdoc names (`--catalog`,
/// `BUDGETDOC_CATALOG`): a region's 科目 names, read wherever they are.
pub fn check_with(project: &Path, catalog_files: &[PathBuf]) -> Result<Checked, Diagnostics> {
    check_in(project, catalog_files, None)
}

/// [`check_with`] in a session that builds the project again and again (watch, preview):
/// `cache` keeps the parsed files, so only those that changed are parsed again.
fn check_in(
    project: &Path,
    catalog_files: &[PathBuf],
    cache: Option<Arc<load::cache::LoadCache>>,
) -> Result<Checked, Diagnostics> {
    let mut checked = derive_in(project, catalog_files, cache)?;
    let warnings = late_warnings(&checked);
    checked.warnings.extend(warnings);
    if checked.warnings.has_errors() {
        return Err(checked.warnings);
    }
    Ok(checked)
}

/// Load, validate and derive: everything the document's data needs.
fn derive_in(
    project: &Path,
    catalog_files: &[PathBuf],
    cache: Option<Arc<load::cache::LoadCache>>,
) -> Result<Checked, Diagnostics> {
    let keys: Vec<&str> = kinds::KINDS.iter().map(|k| k.key()).collect();
    let main = load::load_main(project, &keys, cache)?;
    let kind = kinds::find(&main.kind).expect("load accepts only the registry's kinds");
    kind.check(main, catalog_files)
}

/// The checks that need the derived figures (R02 and the kind's own, placeholders, the
/// project's accepted exceptions and the stale ones among them): what [`check_in`] adds to
/// the warnings of [`derive_in`]. They warn, but for a `{…}` placeholder left in print
/// (R07), an error that fails the compile. Nothing the templates read depends on them, so a
/// compile runs them beside Typst.
fn late_warnings(checked: &Checked) -> Diagnostics {
    let document = &checked.document;
    let mut warnings = Diagnostics::default();
    if let Some(file) = document.files().first() {
        let figures = render::printed_figures(&document.printed());
        warnings.extend(check::free_text::check(file, &figures));
    }
    warnings.extend(document.0.check_figures());
    warnings.extend(check::placeholders::check(document.files()));
    warnings.extend(check::placeholders::leftovers(
        &document.data(),
        document.files(),
    ));
    let acceptance = document.0.acceptance();
    acceptance.apply_all(&mut warnings);
    let mut all = checked.warnings.clone();
    all.extend(warnings.clone());
    warnings.extend(acceptance.stale(&all));
    warnings
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
    /// Refuse to write the PDF when the project accepted an exception (`accept:`).
    pub deny_accepted: bool,
    /// How long the templates may take to compile; `None` waits for ever.
    pub timeout: Option<std::time::Duration>,
    /// Catalog files of 科目 names named on the command line or in the environment.
    pub catalogs: Vec<PathBuf>,
    /// Also write the tables as an xlsx workbook here.
    pub xlsx: Option<PathBuf>,
    /// Write only the workbook: no typesetting, no PDF.
    pub no_pdf: bool,
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
    /// Every file and directory the build read or looked for.
    pub dependencies: Vec<PathBuf>,
    /// What the build read, as it read it: each file with the hash of the bytes read, each
    /// directory with the hash of the listing seen ([`load::reads`]).
    pub read: Vec<(PathBuf, load::reads::Seen)>,
    /// The hash of the PDF written ([`load::reads::digest`]); empty when none was.
    pub digest: String,
    /// The workbook written (`--xlsx`) and its size in bytes.
    pub workbook: Option<(PathBuf, usize)>,
}

/// The xlsx bytes of a checked document's tables: identical for identical input (the
/// workbook's creation time is the document's `date:`, else a fixed date).
pub fn workbook(document: &Document) -> Result<Vec<u8>, Diagnostic> {
    let created = document
        .meta()
        .date
        .and_then(|d| {
            Some(workbook::write::Created {
                year: u16::try_from(d.year).ok()?,
                month: d.month,
                day: d.day,
            })
        })
        .unwrap_or_default();
    workbook::write::xlsx(&document.sheets(), created)
}

/// Where a project's PDF goes by default (`<root>/out/<name>.pdf`), known before it is
/// loaded; `None` when the project does not exist.
pub fn planned_output(project: &Path) -> Option<PathBuf> {
    let (root, _) = load::project_paths(project);
    load::output_name(project).map(|name| root.join("out").join(format!("{name}.pdf")))
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
    compile_once(project, options, false)
}

/// [`compile_with`] in the marked layout: every figure carries its id into the layout, so
/// [`render::figure_boxes`] finds where each is printed. It lays out exactly as the plain
/// one (a test compares every glyph's position), but its PDF is not the build's: `explain`
/// and the preview use it, `build` never does.
pub fn compile_marked(project: &Path, options: &BuildOptions) -> Result<Compiled, Diagnostics> {
    compile_once(project, options, true)
}

/// One compile outside a session: its own fonts, no parsed files kept, no earlier layout.
fn compile_once(
    project: &Path,
    options: &BuildOptions,
    marked: bool,
) -> Result<Compiled, Diagnostics> {
    let fonts = render::world::font_store(&options.font_paths);
    compile_in(project, options, fonts, None, None, marked)
}

/// Compiles with fonts already loaded (once per [`session::Session`]), and the session's
/// parsed files and last layout of the project when it has them. The checks that only warn
/// run on a second thread while Typst evaluates the templates.
fn compile_in(
    project: &Path,
    options: &BuildOptions,
    fonts: Arc<typst_kit::fonts::FontStore>,
    cache: Option<Arc<load::cache::LoadCache>>,
    seed: Option<typst_layout::PagedDocument>,
    marked: bool,
) -> Result<Compiled, Diagnostics> {
    let timeout = options.timeout;
    let mut checked = derive_in(project, &options.catalogs, cache)?;
    let sources = if marked {
        checked.document.marked_sources()?
    } else {
        checked.document.sources()?
    };
    let (typeset, late) = std::thread::scope(|scope| {
        let late = scope.spawn(|| late_warnings(&checked));
        let doc = &checked.document;
        let typeset = render::compile(
            doc.root(),
            &sources,
            Arc::clone(&fonts),
            render::today(doc.meta().date, doc.meta().year),
            timeout,
            seed,
        );
        // The checks end long before Typst; a panic in them is a panic of the compile.
        let late = late.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (typeset, late)
    });
    checked.warnings.extend(late);
    // A late check that fails (a placeholder left in print) fails the compile.
    if checked.warnings.has_errors() {
        return Err(checked.warnings);
    }
    let (document, template_warnings) = typeset?;
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
    build_with_fonts(project, options, None)
}

/// [`build`] with a font store already loaded (a batch of projects shares one, see
/// [`batch`]); `None` loads the fonts for this build.
pub fn build_with_fonts(
    project: &Path,
    options: &BuildOptions,
    fonts: Option<Arc<typst_kit::fonts::FontStore>>,
) -> Result<BuildReport, BuildFailure> {
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
    let requested_xlsx = match &options.xlsx {
        Some(x) => Some(guard.admit(x).map_err(BuildFailure::Usage)?),
        None if options.no_pdf => {
            return Err(BuildFailure::Usage(
                Diagnostic::error("`--no-pdf` leaves nothing to write").hint("add --xlsx OUT.xlsx"),
            ));
        }
        None => None,
    };
    if options.no_pdf {
        return build_workbook_only(project, options, &guard, requested_xlsx);
    }
    if let (Some(x), Some(o)) = (&requested_xlsx, &requested)
        && same_file(x, o)
    {
        return Err(BuildFailure::Usage(
            Diagnostic::error(format!(
                "`--xlsx {}` names the PDF's own path",
                options.xlsx.as_deref().unwrap_or(x).display()
            ))
            .hint("give the workbook a path of its own, e.g. out/tables.xlsx"),
        ));
    }
    let (compiled, read) = load::reads::record(|| match fonts {
        Some(fonts) => compile_in(project, options, fonts, None, None, false),
        None => compile_with(project, options),
    });
    let compiled = compiled?;
    if (options.deny_warnings && compiled.warnings.warnings() > 0)
        || (options.deny_accepted && compiled.warnings.notes() > 0)
    {
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
    if let Some(x) = &requested_xlsx {
        guard.admit(x).map_err(BuildFailure::Usage)?;
    }
    if let Some(dir) = &options.emit_source {
        emit_source(dir, &compiled.sources)?;
    }
    let bytes = pdf(&compiled, options)?;
    // Both outputs are made before either is written: a failure writes neither.
    let book = match &requested_xlsx {
        Some(x) => Some((x, workbook(doc).map_err(|d| Diagnostics(vec![d]))?)),
        None => None,
    };
    export::write_atomic(&output, &bytes).map_err(|d| Diagnostics(vec![d]))?;
    if let Some((x, book)) = &book {
        export::write_atomic(x, book).map_err(|d| Diagnostics(vec![d]))?;
    }
    let dependencies = session::dependencies(project, options, Some(&compiled));
    Ok(BuildReport {
        output: options.output.clone().unwrap_or(output),
        pages: compiled.document.pages().len(),
        bytes: bytes.len(),
        warnings: compiled.warnings,
        dependencies,
        read,
        digest: load::reads::digest(&bytes),
        workbook: book.map(|(_, b)| (options.xlsx.clone().unwrap_or_default(), b.len())),
    })
}

/// Whether two output paths name the same file (the same path, or the same existing file).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// `build --xlsx OUT --no-pdf`: load → validate → derive, then the workbook; no Typst.
fn build_workbook_only(
    project: &Path,
    options: &BuildOptions,
    guard: &output::Guard,
    requested: Option<PathBuf>,
) -> Result<BuildReport, BuildFailure> {
    let (checked, read) = load::reads::record(|| check_with(project, &options.catalogs));
    let checked = checked?;
    if (options.deny_warnings && checked.warnings.warnings() > 0)
        || (options.deny_accepted && checked.warnings.notes() > 0)
    {
        return Err(checked.warnings.into());
    }
    let guard = guard.clone().with_inputs(&checked.catalog_files);
    let Some(path) = requested else {
        return Err(BuildFailure::Usage(Diagnostic::error("no workbook path")));
    };
    guard.admit(&path).map_err(BuildFailure::Usage)?;
    let bytes = workbook(&checked.document).map_err(|d| Diagnostics(vec![d]))?;
    export::write_atomic(&path, &bytes).map_err(|d| Diagnostics(vec![d]))?;
    let dependencies = session::dependencies(project, options, None);
    let shown = options.xlsx.clone().unwrap_or(path);
    Ok(BuildReport {
        output: shown.clone(),
        pages: 0,
        bytes: bytes.len(),
        warnings: checked.warnings,
        dependencies,
        read,
        digest: String::new(),
        workbook: Some((shown, bytes.len())),
    })
}

/// Reads the workbook at `path` into a project of the kind whose tables it holds (`kind`
/// forces one; else each kind of the registry is asked in turn): the kind's key and what
/// the import produced.
pub fn import(
    path: &std::path::Path,
    kind: Option<&'static dyn kind::AnyKind>,
    options: &workbook::project::ImportOptions,
) -> Result<(&'static str, workbook::project::Imported), Diagnostics> {
    let book = workbook::read::Book::open(path).map_err(|d| Diagnostics(vec![d]))?;
    let kinds: Vec<&'static dyn kind::AnyKind> = match kind {
        Some(k) => vec![k],
        None => kinds::KINDS.to_vec(),
    };
    for k in kinds {
        if let Some(result) = k.import(&book, options) {
            return result.map(|imported| (k.key(), imported));
        }
    }
    let names: Vec<String> = book
        .sheets
        .iter()
        .map(|g| format!("`{}`", g.name))
        .collect();
    Err(Diagnostics(vec![
        Diagnostic::error(format!(
            "`{}` holds none of the tables budgetdoc reads (sheets: {})",
            path.display(),
            names.join(", ")
        ))
        .hint("the sheets are found by their code (公开02表, 财决03, Z03, 表二) or their title (收入决算表); rename a sheet or its title row to match"),
    ]))
}

/// What `--verify` found for a project: its PDF on disk against a build in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    UpToDate(PathBuf),
    Missing(PathBuf),
    Stale(PathBuf),
}

/// Builds `project` in memory and compares the PDF with the one at its output path
/// (`options.output`, else the default); nothing is written.
pub fn verify_with_fonts(
    project: &Path,
    options: &BuildOptions,
    fonts: Arc<typst_kit::fonts::FontStore>,
) -> Result<Verdict, Diagnostics> {
    let compiled = compile_in(project, options, fonts, None, None, false)?;
    let path = match &options.output {
        Some(o) => o.clone(),
        None => default_output(&compiled.checked.document),
    };
    let bytes = pdf(&compiled, options)?;
    Ok(match std::fs::read(&path) {
        Err(_) => Verdict::Missing(path),
        Ok(on_disk) if on_disk == bytes => Verdict::UpToDate(path),
        Ok(_) => Verdict::Stale(path),
    })
}

/// The PDF of a compiled document: dated by the data's `date:` (else `SOURCE_DATE_EPOCH`),
/// with an ID derived from the department and year, so it is the same for every build of
/// the document (PDF viewers keep their place across `watch` rebuilds).
pub fn pdf(compiled: &Compiled, options: &BuildOptions) -> Result<Vec<u8>, Diagnostics> {
    let meta = compiled.checked.document.meta();
    let (department, year) = (meta.department.as_str(), meta.year);
    let timestamp = match meta.date {
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
    export::pdf(&compiled.document, &export_options).map_err(|d| Diagnostics(vec![d]))
}

/// Every path `--emit-source DIR` may write, whatever the document's kind: checked before
/// the build reads anything.
fn emitted_paths(dir: &Path) -> Vec<PathBuf> {
    let mut names: Vec<&str> = kinds::KINDS
        .iter()
        .flat_map(|k| k.templates())
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
        if name == render::DATA_PATH {
            write(dir.join(name), &render::readable_json(bytes)).map_err(one)?;
        } else {
            write(dir.join(name), bytes).map_err(one)?;
        }
    }
    for (name, bytes) in render::world::EMBEDDED_FONT_FILES {
        write(dir.join("fonts").join(name), bytes).map_err(one)?;
    }
    Ok(())
}
