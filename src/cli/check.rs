//! `budgetdoc check`: load → validate → derive; print every problem; write nothing.

use std::process::ExitCode;

use clap::Args;

use super::{ProjectArgs, ReportArgs, print};

#[derive(Debug, Args)]
pub struct CheckCommand {
    #[clap(flatten)]
    pub project: ProjectArgs,
    #[clap(flatten)]
    pub report: ReportArgs,
}

pub fn run(c: CheckCommand) -> ExitCode {
    match budgetdoc::check_with(&c.project.project, &c.project.catalogs) {
        Ok(checked) => {
            let warnings = checked.warnings.sorted();
            print::diagnostics(&warnings, &c.report);
            eprintln!(
                "checked {}: {}; {}",
                c.project.project.display(),
                checked.document.meta().summary,
                print::summary(&warnings)
            );
            if print::failed(&warnings, &c.report) {
                eprintln!("check failed: {}", print::denied(&c.report));
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(diags) => {
            let diags = diags.sorted();
            print::diagnostics(&diags, &c.report);
            eprintln!("check failed: {}", print::summary(&diags));
            ExitCode::from(1)
        }
    }
}
