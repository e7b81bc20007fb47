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

/// Runs all five stages and writes the PDF (and, if asked, the sources).
pub fn build(project: &Path, options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let checked = check(project)?;
    let mut warnings = checked.warnings;
    let root = checked.loaded.root.clone();
    let sources = render::sources(&root, &checked.validated, &checked.derived)?;
    if let Some(dir) = &options.emit_source {
        emit_source(dir, &sources).map_err(|d| Diagnostics(vec![d]))?;
    }
    let fonts = if options.font_paths.is_empty() {
        render::world::embedded_fonts()
    } else {
        let paths: Vec<&Path> = options.font_paths.iter().map(PathBuf::as_path).collect();
        render::world::fonts(&paths)
    };
    let (doc, template_warnings) = render::compile(
        &root,
        &sources,
        Arc::clone(&fonts),
        render::today(&checked.validated),
    )?;
    warnings.extend(template_warnings);

    let timestamp = match checked.validated.date() {
        Some(d) => typst::foundations::Datetime::from_ymd_hms(d.year, d.month, d.day, 0, 0, 0),
        None => options
            .source_date_epoch
            .and_then(export::datetime_from_epoch),
    };
    let export_options = export::ExportOptions {
        ident: format!(
            "budgetdoc/{}/{}",
            checked.validated.input().department.as_str(),
            checked.validated.input().year
        ),
        timestamp,
        tagged: options.tagged,
    };
    let bytes = export::pdf(&doc, &export_options).map_err(|d| Diagnostics(vec![d]))?;
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| default_output(&checked.loaded));
    export::write_atomic(&output, &bytes).map_err(|d| Diagnostics(vec![d]))?;
    Ok(BuildReport {
        output,
        pages: doc.pages().len(),
        bytes: bytes.len(),
        warnings,
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
