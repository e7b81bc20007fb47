//! `budgetdoc import`: a workbook of the official tables (budgetdoc's own `--xlsx`, or a
//! finance system's export) into a new project whose facts name their cells; then the new
//! project is checked, as `check` would.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use budgetdoc::diag::Diagnostics;
use budgetdoc::workbook::project::ImportOptions;

use super::{CatalogArgs, KindArg, ReportArgs, print};

#[derive(Debug, Args)]
pub struct ImportCommand {
    /// The workbook: .xlsx, .xls, .xlsb or .ods.
    pub workbook: PathBuf,
    /// The directory of the new project (created; no existing file in it is overwritten).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// The kind of document [default: the kind whose tables the workbook holds].
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// The year, when no title or header in the workbook says it.
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,
    /// Take the names of 科目 codes that no catalog knows from the workbook (into the
    /// project's `catalog:`) instead of refusing them.
    #[arg(long)]
    pub new_codes: bool,
    #[clap(flatten)]
    pub catalogs: CatalogArgs,
    #[clap(flatten)]
    pub report: ReportArgs,
}

pub fn run(i: ImportCommand) -> ExitCode {
    if let Err(d) = new_or_empty(&i.output) {
        print::diagnostics(&Diagnostics(vec![d]), &i.report);
        eprintln!("import refused, nothing written");
        return ExitCode::from(2);
    }
    let mut catalogs = budgetdoc::catalog::Catalogs::default();
    for path in &i.catalogs.catalogs {
        match budgetdoc::catalog::supplied::read(path, None) {
            Ok((file, _)) => catalogs.files.push(file),
            Err(d) => {
                print::diagnostics(&d, &i.report);
                eprintln!("import failed, nothing written");
                return ExitCode::from(1);
            }
        }
    }
    let options = ImportOptions {
        catalogs,
        new_codes: i.new_codes,
        year: i.year,
        pack: i.catalogs.pack.clone(),
    };
    let (kind, imported) = match budgetdoc::import(&i.workbook, i.kind.map(|k| k.0), &options) {
        Ok(done) => done,
        Err(d) => {
            print::diagnostics(&d.sorted(), &i.report);
            eprintln!("import failed, nothing written");
            return ExitCode::from(1);
        }
    };
    print::diagnostics(&imported.warnings, &i.report);
    if i.report.deny_warnings && imported.warnings.warnings() > 0 {
        eprintln!(
            "import failed, nothing written: {} — {}",
            print::summary(&imported.warnings),
            print::denied(&i.report)
        );
        return ExitCode::from(1);
    }
    if let Err(d) = budgetdoc::workbook::project::write_files(&i.output, &imported.files) {
        print::diagnostics(&Diagnostics(vec![d]), &i.report);
        eprintln!("import failed, nothing written");
        return ExitCode::from(1);
    }
    eprintln!(
        "imported {} facts ({} cells read) into {} ({kind}); {}",
        imported.facts,
        imported.located.len(),
        i.output.display(),
        print::summary(&imported.warnings)
    );
    match budgetdoc::check_with(&i.output, &i.catalogs.catalogs) {
        Ok(checked) => {
            eprintln!(
                "check of the new project: {}; write the texts marked {} and build it with: budgetdoc build {}",
                print::summary(&checked.warnings),
                budgetdoc::workbook::project::PLACEHOLDER,
                i.output.display()
            );
        }
        Err(d) => {
            print::diagnostics(&d.sorted(), &i.report);
            eprintln!("the new project does not check yet; fix it before building");
        }
    }
    ExitCode::SUCCESS
}

/// The new project's directory must be new or empty: an import never mixes its files with
/// others (a usage error, before the workbook is read).
fn new_or_empty(dir: &std::path::Path) -> Result<(), budgetdoc::diag::Diagnostic> {
    let refuse = |what: &str| {
        budgetdoc::diag::Diagnostic::error(format!("`-o {}` {what}", dir.display()))
            .hint("import into a new or empty directory, e.g. `-o new-project`")
    };
    match std::fs::symlink_metadata(dir) {
        Err(_) => Ok(()),
        Ok(meta) if !meta.is_dir() => Err(refuse("exists and is not a directory")),
        Ok(_) => match std::fs::read_dir(dir).map(|mut entries| entries.next().is_none()) {
            Ok(true) => Ok(()),
            Ok(false) => Err(refuse("is not empty")),
            Err(e) => Err(refuse(&format!("cannot be read: {e}"))),
        },
    }
}
