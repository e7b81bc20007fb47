//! budgetdoc: typesets a department's 部门决算 (final accounts) from YAML into the official
//! PDF layout, deriving every figure in the tables and the text.
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
pub mod load;
pub mod money;
pub mod render;
pub mod validate;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use diag::{Diagnostic, Diagnostics};

/// The result of load → validate → derive.
pub struct Checked {
    pub loaded: load::Loaded,
    pub validated: validate::Validated,
    pub derived: derive::Derived,
    /// Warnings found on the way (errors make `check` fail instead).
    pub warnings: Diagnostics,
}

/// Runs load, validate and derive; writes nothing.
pub fn check(project: &Path) -> Result<Checked, Diagnostics> {
    let loaded = load::load(project)?;
    let (validated, warnings) = validate::validate(&loaded)?;
    let derived = derive::derive(&validated);
    Ok(Checked {
        loaded,
        validated,
        derived,
        warnings,
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
pub fn default_output(loaded: &load::Loaded) -> PathBuf {
    loaded.root.join("out").join(format!("{}.pdf", loaded.name))
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
    let checked = check(project)?;
    let sources = render::sources(&checked.loaded.root, &checked.validated, &checked.derived)?;
    let fonts = if font_paths.is_empty() {
        render::world::embedded_fonts()
    } else {
        let paths: Vec<&Path> = font_paths.iter().map(PathBuf::as_path).collect();
        render::world::fonts(&paths)
    };
    let (document, template_warnings) = render::compile(
        &checked.loaded.root,
        &sources,
        Arc::clone(&fonts),
        render::today(&checked.validated),
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

/// Runs all five stages and writes the PDF (and, if asked, the sources).
pub fn build(project: &Path, options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let compiled = compile(project, &options.font_paths)?;
    if let Some(dir) = &options.emit_source {
        emit_source(dir, &compiled.sources).map_err(|d| Diagnostics(vec![d]))?;
    }
    let validated = &compiled.checked.validated;
    let timestamp = match validated.date() {
        Some(d) => typst::foundations::Datetime::from_ymd_hms(d.year, d.month, d.day, 0, 0, 0),
        None => options
            .source_date_epoch
            .and_then(export::datetime_from_epoch),
    };
    let export_options = export::ExportOptions {
        ident: format!(
            "budgetdoc/{}/{}",
            validated.input().department.as_str(),
            validated.input().year
        ),
        timestamp,
        tagged: options.tagged,
    };
    let bytes =
        export::pdf(&compiled.document, &export_options).map_err(|d| Diagnostics(vec![d]))?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| default_output(&compiled.checked.loaded));
    export::write_atomic(&output, &bytes).map_err(|d| Diagnostics(vec![d]))?;
    Ok(BuildReport {
        output,
        pages: compiled.document.pages().len(),
        bytes: bytes.len(),
        warnings: compiled.warnings,
    })
}

/// Writes the exact sources that are compiled, plus the embedded fonts, so that
/// `typst compile --ignore-system-fonts --font-path fonts main.typ` reproduces the document.
fn emit_source(dir: &Path, sources: &render::Sources) -> Result<(), Diagnostic> {
    let write = |path: PathBuf, bytes: &[u8]| {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create `{}`: {e}", parent.display()))
            })?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", path.display())))
    };
    for (name, bytes) in &sources.files {
        write(dir.join(name), bytes)?;
    }
    for (name, bytes) in render::world::EMBEDDED_FONT_FILES {
        write(dir.join("fonts").join(name), bytes)?;
    }
    Ok(())
}
