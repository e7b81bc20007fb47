//! `budgetdoc check`: load → validate → derive; print every problem; write nothing.

use std::process::ExitCode;

use clap::Args;

use super::{ProjectsArgs, ReportArgs, batch, print};

#[derive(Debug, Args)]
pub struct CheckCommand {
    #[clap(flatten)]
    pub project: ProjectsArgs,
    #[clap(flatten)]
    pub report: ReportArgs,
}

pub fn run(c: CheckCommand) -> ExitCode {
    if batch::is_batch(&c.project, false) {
        return run_batch(c);
    }
    let project = c.project.paths[0].clone();
    match budgetdoc::check_with(&project, &c.project.catalogs.files()) {
        Ok(checked) => {
            let warnings = checked.warnings.sorted();
            print::diagnostics(&warnings, &c.report);
            eprintln!(
                "checked {}: {}; {}",
                project.display(),
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

/// Several projects: each checked, reported in input order; exit 1 when any fails.
fn run_batch(c: CheckCommand) -> ExitCode {
    let targets = match batch::targets(&c.project, &c.report) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let catalogs = &c.project.catalogs.files();
    let mut failed = 0;
    let mut progress = batch::Progress::new(targets.len());
    let mut reporter = print::Reporter::new(&c.report, "check");
    let in_order: Vec<usize> = (0..targets.len()).collect();
    budgetdoc::batch::run(
        &targets,
        &in_order,
        batch::jobs(&c.project),
        |t| budgetdoc::check_with(&t.project, catalogs).map(|checked| checked.warnings),
        |_, t, result| {
            progress.clear();
            match result {
                Ok(warnings) => {
                    let warnings = warnings.sorted();
                    let denied = print::failed(&warnings, &c.report);
                    let status = if denied { "failed" } else { "ok" };
                    reporter.project(&t.project, status, None, warnings.clone());
                    if denied {
                        failed += 1;
                        eprintln!(
                            "FAILED {}: {}",
                            t.project.display(),
                            print::denied(&c.report)
                        );
                    } else {
                        eprintln!("ok {}: {}", t.project.display(), print::summary(&warnings));
                    }
                }
                Err(d) => {
                    failed += 1;
                    let d = d.sorted();
                    reporter.project(&t.project, "failed", None, d.clone());
                    eprintln!("FAILED {}: {}", t.project.display(), print::summary(&d));
                }
            }
            progress.tick(&t.project);
        },
    );
    reporter.finish();
    batch::finish("check", targets.len(), failed)
}
