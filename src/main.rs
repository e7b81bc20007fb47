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
    /// Stop with an error (exit 1, nothing written) when the process holds more memory than
    /// this many MB; 0 for no limit.
    #[arg(
        long,
        global = true,
        value_name = "MB",
        env = "BUDGETDOC_MAX_MEMORY",
        default_value_t = budgetdoc::limits::DEFAULT_MAX_MEMORY_MB
    )]
    max_memory: usize,
}

/// The system allocator, counted, so that a runaway template ends with a message instead of
/// an abort (src/limits.rs).
#[global_allocator]
static ALLOCATOR: budgetdoc::limits::CappedAllocator = budgetdoc::limits::CappedAllocator::new();

#[derive(Debug, Subcommand)]
enum Command {
    /// Load, validate, derive, render and export the PDF.
    Build(BuildCommand),
    /// Load, validate and derive; print every problem; write nothing.
    Check(CheckCommand),
    /// Write a commented starter project that builds as is.
    Init(InitCommand),
    /// List the rule catalog: ID, severity, how it is enforced, statement.
    Rules,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// A source snippet with a caret under the value (coloured on a terminal), on stderr.
    Human,
    /// `file:line:col: error[F15]: message`, one line each, on stdout.
    Short,
    /// One JSON document on stdout.
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…,col=…::…`) on stdout.
    Github,
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
    /// Treat warnings as errors (exit 1; `build` writes nothing).
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Debug, Args)]
struct ProjectArgs {
    /// The project: a directory holding budgetdoc.yaml, or one YAML file.
    project: PathBuf,
    /// A catalog of 科目 names (CSV, TSV or xlsx with code and name columns), e.g. a
    /// region's, exported from its finance software; repeatable, the first naming a code wins.
    #[arg(
        long = "catalog",
        value_name = "FILE",
        env = "BUDGETDOC_CATALOG",
        value_delimiter = ':'
    )]
    catalogs: Vec<PathBuf>,
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
    /// Stop with an error when the build takes longer than this; 0 for no limit.
    #[arg(
        long,
        value_name = "SECONDS",
        env = "BUDGETDOC_TIMEOUT",
        default_value_t = DEFAULT_TIMEOUT_SECONDS
    )]
    timeout: u64,
    #[clap(flatten)]
    report: ReportArgs,
}

/// Far above any document's compile time (the examples take 0.1–0.2 s), short enough that
/// a template that loops for ever does not hold a CI job.
const DEFAULT_TIMEOUT_SECONDS: u64 = 60;

#[derive(Debug, Args)]
struct CheckCommand {
    #[clap(flatten)]
    project: ProjectArgs,
    #[clap(flatten)]
    report: ReportArgs,
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

/// Prints the diagnostics in the chosen format: human on stderr, the others on stdout.
fn print(diags: &Diagnostics, report: &ReportArgs) {
    use budgetdoc::report::{Format, render};
    use std::io::IsTerminal;
    let format = match report.format {
        OutputFormat::Human => Format::Human,
        OutputFormat::Short => Format::Short,
        OutputFormat::Json => Format::Json,
        OutputFormat::Github => Format::Github,
    };
    if format == Format::Human {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let _ = std::io::stderr()
            .lock()
            .write_all(render(diags, format, color).as_bytes());
    } else {
        let _ = std::io::stdout()
            .lock()
            .write_all(render(diags, format, false).as_bytes());
    }
}

fn summary(diags: &Diagnostics) -> String {
    format!(
        "{} error(s), {} warning(s)",
        diags.errors(),
        diags.warnings()
    )
}

/// Warnings count as errors under `--deny-warnings`.
fn failed(diags: &Diagnostics, report: &ReportArgs) -> bool {
    diags.has_errors() || (report.deny_warnings && diags.warnings() > 0)
}

/// Ends the process with an error when a build takes longer than `seconds` (0: never). A
/// PDF is only renamed into place complete, so nothing half-written is left.
fn deadline(seconds: u64) {
    if seconds == 0 {
        return;
    }
    let watchdog = std::thread::Builder::new()
        .name("deadline".into())
        .spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(seconds));
            eprintln!(
                "budgetdoc: error: the build did not finish within {seconds} s; nothing was written\n  = hint: a template override may loop for ever; fix it, or raise the limit with --timeout SECONDS (env BUDGETDOC_TIMEOUT)"
            );
            std::process::exit(1);
        });
    // Without a watchdog thread the build simply runs unbounded.
    drop(watchdog);
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
    ALLOCATOR.set_limit_mb(cli.max_memory);
    if let Command::Build(b) = &cli.command {
        deadline(b.timeout);
    }
    match cli.command {
        Command::Check(c) => match budgetdoc::check_with(&c.project.project, &c.project.catalogs) {
            Ok(checked) => {
                let warnings = checked.warnings.sorted();
                print(&warnings, &c.report);
                eprintln!(
                    "checked {}: {}; {}",
                    c.project.project.display(),
                    checked.document.summary(),
                    summary(&warnings)
                );
                if failed(&warnings, &c.report) {
                    eprintln!("check failed: warnings are denied");
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(diags) => {
                let diags = diags.sorted();
                print(&diags, &c.report);
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
                deny_warnings: b.report.deny_warnings,
                // The deadline bounds the whole process (`deadline` below): cheaper than
                // compiling on a thread of its own, and it covers every stage.
                timeout: None,
                catalogs: b.project.catalogs.clone(),
            };
            match budgetdoc::build(&b.project.project, &options) {
                Ok(report) => {
                    let warnings = report.warnings.sorted();
                    print(&warnings, &b.report);
                    eprintln!(
                        "wrote {} ({} pages, {} bytes); {}",
                        report.output.display(),
                        report.pages,
                        report.bytes,
                        summary(&warnings)
                    );
                    ExitCode::SUCCESS
                }
                Err(budgetdoc::BuildFailure::Usage(d)) => {
                    print(&Diagnostics(vec![d]), &b.report);
                    eprintln!("build refused, nothing written");
                    ExitCode::from(2)
                }
                Err(budgetdoc::BuildFailure::Problems(diags)) => {
                    let diags = diags.sorted();
                    print(&diags, &b.report);
                    eprintln!("build failed, nothing written: {}", summary(&diags));
                    ExitCode::from(1)
                }
            }
        }
        Command::Rules => {
            let mut out = std::io::stdout().lock();
            for r in budgetdoc::rules::RULES {
                let severity = match r.severity {
                    budgetdoc::diag::Severity::Error => "error",
                    budgetdoc::diag::Severity::Warning => "warning",
                };
                let how = match r.enforcement {
                    budgetdoc::rules::Enforcement::Checked => "checked".to_string(),
                    budgetdoc::rules::Enforcement::ByConstruction(why) => {
                        format!("by construction: {why}")
                    }
                };
                let _ = writeln!(out, "{}\t{severity}\t{}\t[{how}]", r.id, r.statement);
            }
            ExitCode::SUCCESS
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
