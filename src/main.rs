//! The `budgetdoc` command line: parses arguments and dispatches to the library; no pipeline
//! logic lives here. Exit codes: 0 success (warnings allowed), 1 a problem in the data,
//! templates or output, 2 a usage error.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use budgetdoc::diag::Diagnostics;

/// Typesets a department's 部门决算 and 部门预算 from YAML into the official PDF layouts.
#[derive(Debug, Parser)]
#[command(name = "budgetdoc", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load, validate, derive, render and export the PDF.
    Build(BuildCommand),
    /// Load, validate and derive; print every problem; write nothing.
    Check(CheckCommand),
    /// Write a commented starter project that builds as is.
    Init(InitCommand),
}

#[derive(Debug, Args)]
struct ProjectArgs {
    /// The project: a directory holding budgetdoc.yaml, or one YAML file.
    project: PathBuf,
}

#[derive(Debug, Args)]
struct BuildCommand {
    #[clap(flatten)]
    project: ProjectArgs,
    /// Output PDF [default: <PROJECT>/out/<name>.pdf].
    #[arg(short, long, value_name = "OUT.pdf")]
    output: Option<PathBuf>,
    /// Also write the exact Typst sources, data and fonts that were compiled to this
    /// directory (`typst compile --ignore-system-fonts --font-path fonts main.typ` reproduces
    /// the document).
    #[arg(long, value_name = "DIR")]
    emit_source: Option<PathBuf>,
    /// Additional directories with fonts (e.g. licensed 仿宋_GB2312); name them in the
    /// project's `fonts:` section.
    #[arg(
        long,
        value_name = "DIR",
        env = "BUDGETDOC_FONT_PATHS",
        value_delimiter = ':'
    )]
    font_path: Vec<PathBuf>,
    /// Write a tagged (accessible) PDF; several times larger for table-heavy documents.
    #[arg(long)]
    tagged: bool,
    /// The PDF creation date (Unix seconds) when the data has no `date:`.
    #[arg(long, env = "SOURCE_DATE_EPOCH", value_name = "SECONDS")]
    source_date_epoch: Option<i64>,
}

#[derive(Debug, Args)]
struct CheckCommand {
    #[clap(flatten)]
    project: ProjectArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Kind {
    /// 部门决算 (final accounts).
    FinalAccounts,
    /// 部门预算 (budget).
    Budget,
    /// 项目支出预算绩效目标 (a performance-target publication).
    PerformanceTargets,
}

#[derive(Debug, Args)]
struct InitCommand {
    /// The directory to create the project in.
    dir: PathBuf,
    /// The kind of document.
    #[arg(long, value_enum, default_value = "final-accounts")]
    kind: Kind,
}

fn print(diags: &Diagnostics) {
    let mut err = std::io::stderr().lock();
    for d in diags.iter() {
        let _ = writeln!(err, "{d}");
    }
}

fn summary(diags: &Diagnostics) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.iter().count() - errors;
    format!("{errors} error(s), {warnings} warning(s)")
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match cli.command {
        Command::Check(c) => match budgetdoc::check(&c.project.project) {
            Ok(checked) => {
                let warnings = checked.warnings.sorted();
                print(&warnings);
                eprintln!(
                    "checked {}: {}; {}",
                    c.project.project.display(),
                    checked.document.summary(),
                    summary(&warnings)
                );
                ExitCode::SUCCESS
            }
            Err(diags) => {
                let diags = diags.sorted();
                print(&diags);
                eprintln!("check failed: {}", summary(&diags));
                ExitCode::from(1)
            }
        },
        Command::Build(b) => {
            let options = budgetdoc::BuildOptions {
                output: b.output,
                emit_source: b.emit_source,
                font_paths: b.font_path,
                tagged: b.tagged,
                source_date_epoch: b.source_date_epoch,
            };
            match budgetdoc::build(&b.project.project, &options) {
                Ok(report) => {
                    let warnings = report.warnings.sorted();
                    print(&warnings);
                    eprintln!(
                        "wrote {} ({} pages, {} bytes); {}",
                        report.output.display(),
                        report.pages,
                        report.bytes,
                        summary(&warnings)
                    );
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    let diags = diags.sorted();
                    print(&diags);
                    eprintln!("build failed, nothing written: {}", summary(&diags));
                    ExitCode::from(1)
                }
            }
        }
        Command::Init(i) => {
            let kind = match i.kind {
                Kind::FinalAccounts => budgetdoc::load::Kind::FinalAccounts,
                Kind::Budget => budgetdoc::load::Kind::Budget,
                Kind::PerformanceTargets => budgetdoc::load::Kind::PerformanceTargets,
            };
            match budgetdoc::init::init(&i.dir, kind) {
                Ok(files) => {
                    for f in files {
                        eprintln!("created {f}");
                    }
                    eprintln!("build it with: budgetdoc build {}", i.dir.display());
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprintln!("{d}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
