//! `budgetdoc build`: load → validate → derive → render → export, under the command line's
//! deadline.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use budgetdoc::diag::Diagnostics;

use super::{ProjectArgs, ReportArgs, print};

/// Far above any document's build time (the examples take 0.1–0.5 s), short enough that a
/// template that loops for ever does not hold a CI job.
const DEFAULT_TIMEOUT_SECONDS: u64 = 60;

#[derive(Debug, Args)]
pub struct BuildCommand {
    #[clap(flatten)]
    pub project: ProjectArgs,
    /// Output PDF [default: <PROJECT>/out/<name>.pdf].
    #[arg(short, long, value_name = "OUT.pdf")]
    pub output: Option<PathBuf>,
    /// Also write the exact Typst sources, data and fonts that were compiled to this
    /// directory (`typst compile --ignore-system-fonts --font-path fonts main.typ` reproduces
    /// the document).
    #[arg(long, value_name = "DIR")]
    pub emit_source: Option<PathBuf>,
    /// Additional directories with fonts (e.g. licensed 仿宋_GB2312); name them in the
    /// project's `fonts:` section.
    #[arg(
        long,
        value_name = "DIR",
        env = "BUDGETDOC_FONT_PATHS",
        value_delimiter = ':'
    )]
    pub font_path: Vec<PathBuf>,
    /// Write a tagged (accessible) PDF; several times larger for table-heavy documents.
    #[arg(long)]
    pub tagged: bool,
    /// The PDF creation date (Unix seconds) when the data has no `date:`.
    #[arg(long, env = "SOURCE_DATE_EPOCH", value_name = "SECONDS")]
    pub source_date_epoch: Option<i64>,
    /// Stop with an error when the build takes longer than this; 0 for no limit.
    #[arg(
        long,
        value_name = "SECONDS",
        env = "BUDGETDOC_TIMEOUT",
        default_value_t = DEFAULT_TIMEOUT_SECONDS
    )]
    pub timeout: u64,
    #[clap(flatten)]
    pub report: ReportArgs,
}

pub fn run(b: BuildCommand) -> ExitCode {
    deadline(b.timeout);
    let options = budgetdoc::BuildOptions {
        output: b.output,
        emit_source: b.emit_source,
        font_paths: b.font_path,
        tagged: b.tagged,
        source_date_epoch: b.source_date_epoch,
        deny_warnings: b.report.deny_warnings,
        deny_accepted: b.report.deny_accepted,
        // The deadline bounds the whole process (`deadline`): cheaper than compiling on a
        // thread of its own, and it covers every stage.
        timeout: None,
        catalogs: b.project.catalogs.clone(),
    };
    match budgetdoc::build(&b.project.project, &options) {
        Ok(report) => {
            let warnings = report.warnings.sorted();
            print::diagnostics(&warnings, &b.report);
            eprintln!(
                "wrote {} ({} pages, {} bytes); {}",
                report.output.display(),
                report.pages,
                report.bytes,
                print::summary(&warnings)
            );
            ExitCode::SUCCESS
        }
        Err(budgetdoc::BuildFailure::Usage(d)) => {
            print::diagnostics(&Diagnostics(vec![d]), &b.report);
            eprintln!("build refused, nothing written");
            ExitCode::from(2)
        }
        Err(budgetdoc::BuildFailure::Problems(diags)) => {
            let diags = diags.sorted();
            print::diagnostics(&diags, &b.report);
            let denied = if diags.has_errors() {
                String::new()
            } else {
                format!(" — {}", print::denied(&b.report))
            };
            eprintln!(
                "build failed, nothing written: {}{denied}",
                print::summary(&diags)
            );
            ExitCode::from(1)
        }
    }
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
